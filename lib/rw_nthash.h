/**
 * @defgroup rw_nthash rw_nthash
 * @{ @ingroup librw
 *
 * NT password hashes (MD4 of the UTF-16LE password), as EAP-MSCHAPv2 needs them.
 */

#ifndef RW_NTHASH_H_
#define RW_NTHASH_H_

#include <stddef.h>
#include <stdint.h>

#include "rw_error.h"

/** Longest password accepted, in bytes of UTF-8 (MSCHAPv2 allows 256 characters) */
#define RW_PASSWORD_MAX 1024

/**
 * NT hash of a password given as UTF-8. Characters outside the BMP are encoded
 * as surrogate pairs, as Windows does. Invalid UTF-8 or an empty password is
 * RW_ERR_INVALID.
 */
rw_status_t rw_nthash(const char *password, uint8_t hash[16], rw_error_t *err);

/** Parse 32 hex digits (an exported NT hash). */
rw_status_t rw_nthash_parse(const char *hex, uint8_t hash[16], rw_error_t *err);

/** Print a hash as 32 lower-case hex digits into buf (33 bytes). */
char *rw_nthash_format(const uint8_t hash[16], char *buf);

/**
 * Decode one UTF-8 character at s (at most len bytes); returns its length or -1
 * for invalid UTF-8 (overlong forms, surrogates, beyond U+10FFFF).
 */
int rw_utf8_decode(const char *s, size_t len, uint32_t *cp);

#endif /** RW_NTHASH_H_ @}*/
