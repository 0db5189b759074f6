/*
 * libFuzzer target: the classifier on any input (cl_codec.c turns the bytes into an
 * rw_cl_input_t and, optionally, rule text added to a fresh classifier). Checks what
 * a result must always be, and aborts (a finding) otherwise.
 */

#include "cl_codec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const rw_cl_input_t *in, const rw_cl_result_t *r)
{
	if (!memchr(r->family, '\0', sizeof(r->family)) ||
		!memchr(r->hint, '\0', sizeof(r->hint)) ||
		!memchr(r->alt_family, '\0', sizeof(r->alt_family)) || r->confidence > 100 ||
		!r->family[0] || !strcmp(r->family, "unknown") != !r->confidence ||
		r->legacy_only != (in->have_init && rw_cl_offer_is_legacy_only(&in->init)))
	{
		fprintf(stderr, "bad result: family '%.32s' hint '%.96s' confidence %u\n",
				r->family, r->hint, r->confidence);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static rw_classifier_t *builtin;
	static rw_cl_input_t in;
	static char rules[CL_CODEC_MAX_RULES + 1];
	rw_classifier_t *cl;
	rw_cl_result_t r;
	rw_error_t err;

	if (!builtin)
	{
		builtin = rw_classifier_create();
		if (!builtin)
		{
			abort();
		}
	}
	cl_decode(data, size, &in, rules);
	rw_classify(builtin, &in, &r);
	check(&in, &r);
	if (rules[0])
	{
		cl = rw_classifier_create();
		if (!cl)
		{
			abort();
		}
		if (rw_classifier_add_rules(cl, rules, &err) != RW_OK &&
			(err.status != RW_ERR_INVALID || !err.msg[0]))
		{
			abort();
		}
		rw_classify(cl, &in, &r);
		check(&in, &r);
		rw_classifier_destroy(cl);
	}
	return 0;
}
