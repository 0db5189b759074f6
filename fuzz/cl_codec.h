/*
 * Bytes <-> classifier input for the fuzz targets: a structured decoder that turns any
 * bytes into an rw_cl_input_t (through the append helpers, plus raw pokes of the
 * counts a careless filler could leave too high) and, optionally, rule text; and the
 * encoder that makes seeds of it from parsed log samples.
 *
 * Format: a flags byte (bit 0 have_init, 1 have_auth, 2/3 payloads unknown of init/
 * auth, 4 rule text follows as u16 length + bytes), then operations to the end, each
 * an op byte (bit 7: on IKE_AUTH, else IKE_SA_INIT; bits 0-4 the operation, see
 * cl_codec.c) and its arguments. Missing bytes read as zero.
 */

#ifndef CL_CODEC_H_
#define CL_CODEC_H_

#include <rw_classify.h>

#include <stddef.h>
#include <stdint.h>

/** the longest rule text a fuzz input carries */
#define CL_CODEC_MAX_RULES 4096

/**
 * Decode data into in (zeroed first); rules receives the rule text (NUL-terminated,
 * "" if none), of at most CL_CODEC_MAX_RULES bytes.
 */
void cl_decode(const uint8_t *data, size_t len, rw_cl_input_t *in, char *rules);

/**
 * Encode in (without rule text) into buf; returns the length, at most size.
 */
size_t cl_encode(const rw_cl_input_t *in, uint8_t *buf, size_t size);

#endif
