/**
 * @defgroup rw_addr rw_addr
 * @{ @ingroup librw
 *
 * IPv4/IPv6 addresses and address ranges for pools.
 */

#ifndef RW_ADDR_H_
#define RW_ADDR_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rw_error.h"

/** Longest printed address with NUL */
#define RW_ADDR_STRLEN 46
/** Longest printed range ("a-b") with NUL */
#define RW_RANGE_STRLEN (2 * RW_ADDR_STRLEN)

typedef struct {
	/** 0 (none), 4 or 6 */
	uint8_t family;
	/** network byte order; IPv4 uses the first 4 bytes */
	uint8_t b[16];
} rw_addr_t;

typedef struct {
	rw_addr_t start;
	rw_addr_t end;
} rw_range_t;

/** 4 or 16 bytes, 0 for no address */
size_t rw_addr_len(const rw_addr_t *a);

/** Parse a literal IPv4 or IPv6 address (no names, no prefix). */
rw_status_t rw_addr_parse(const char *s, rw_addr_t *a);

/** Make an address from 4 or 16 bytes in network order. */
rw_status_t rw_addr_from_bytes(const void *bytes, size_t len, rw_addr_t *a);

/** Print an address into buf (RW_ADDR_STRLEN), returns buf. */
char *rw_addr_format(const rw_addr_t *a, char *buf, size_t len);

/** Compare two addresses of one family (memcmp order), families first. */
int rw_addr_cmp(const rw_addr_t *a, const rw_addr_t *b);

/** Next address; false on overflow (a unchanged then). */
bool rw_addr_inc(rw_addr_t *a);

/**
 * Parse a pool specification.
 *
 * "198.18.0.0/24" covers .1 to .254 (network and broadcast addresses excluded for
 * IPv4 prefixes up to /30), "2001:db8::/64" covers ::1 up to the last address,
 * "198.18.0.10-198.18.0.20" is taken as written. A CIDR with host bits set is refused.
 */
rw_status_t rw_range_parse(const char *spec, rw_range_t *r, rw_error_t *err);

/** Print "start-end" into buf (RW_RANGE_STRLEN). */
char *rw_range_format(const rw_range_t *r, char *buf, size_t len);

bool rw_range_contains(const rw_range_t *r, const rw_addr_t *a);
bool rw_range_overlaps(const rw_range_t *a, const rw_range_t *b);

/** Number of addresses, saturating at UINT64_MAX. */
uint64_t rw_range_size(const rw_range_t *r);

#endif /** RW_ADDR_H_ @}*/
