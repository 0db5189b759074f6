/**
 * @defgroup rw_dns rw_dns
 * @{ @ingroup librw
 *
 * DNS settings of a road-warrior connection: DNS servers (INTERNAL_IP4_DNS,
 * INTERNAL_IP6_DNS), DNS domains (INTERNAL_DNS_DOMAIN, attribute 25) and split networks
 * (the traffic selectors a split-tunnel client gets). They are set per connection
 * (strongswan.conf), per pool and per user (the store); each field of a more specific
 * level replaces the same field of the levels below it.
 */

#ifndef RW_DNS_H_
#define RW_DNS_H_

#include "rw_addr.h"
#include "rw_error.h"

#include <stdbool.h>
#include <stdint.h>

/* Limits per field. Every value is one attribute or traffic selector of the IKE_AUTH
 * response; past these a response grows beyond what clients are known to take in
 * unfragmented form, and no operator needs more. */
#define RW_DNS_MAX_SERVERS 8
#define RW_DNS_MAX_DOMAINS 16
#define RW_DNS_MAX_SPLIT 32
/** RFC 1035: 253 characters in text form, without the trailing dot */
#define RW_DNS_DOMAIN_MAX 253
/** longest text form of a field (domains are the longest) */
#define RW_DNS_TEXT_MAX (RW_DNS_MAX_DOMAINS * (RW_DNS_DOMAIN_MAX + 1))

typedef enum {
	RW_DNS_SERVERS = 0,
	RW_DNS_DOMAINS,
	RW_DNS_SPLIT,
	RW_DNS_FIELDS,
} rw_dns_field_t;

typedef struct {
	rw_addr_t net;
	uint8_t prefix;
} rw_cidr_t;

/** DNS settings of one level; a field not set is inherited from the level below */
typedef struct {
	bool set[RW_DNS_FIELDS];
	rw_addr_t servers[RW_DNS_MAX_SERVERS];
	unsigned n_servers;
	char domains[RW_DNS_MAX_DOMAINS][RW_DNS_DOMAIN_MAX + 1];
	unsigned n_domains;
	rw_cidr_t split[RW_DNS_MAX_SPLIT];
	unsigned n_split;
} rw_dns_conf_t;

/** Name of a field as used in options and output: "dns", "domains", "split" */
const char *rw_dns_field_name(rw_dns_field_t field);

/**
 * Parse a list (values separated by commas and/or white space) into one field of conf
 * and mark it set. An empty list sets the field to "none" (it still overrides).
 * Values are checked: addresses, CIDRs with host bits clear, domain names (RFC 1035
 * lengths, letters, digits, '-' and '_' inside labels); duplicates are dropped.
 *
 * @return RW_OK, or RW_ERR_INVALID with the offending value in err->msg (conf
 *         unchanged)
 */
rw_status_t rw_dns_parse(rw_dns_conf_t *conf, rw_dns_field_t field, const char *list,
						 rw_error_t *err);

/**
 * Parse a list value by value, skipping (and reporting through skip()) the values that
 * are invalid instead of failing: for the plugin, which logs one line per skipped
 * value and serves the rest. Sets the field even if every value was skipped.
 */
void rw_dns_parse_lenient(rw_dns_conf_t *conf, rw_dns_field_t field, const char *list,
						  void (*skip)(void *ctx, const char *msg), void *ctx);

/** Check one domain name; RW_ERR_INVALID says why. */
rw_status_t rw_dns_domain_check(const char *domain, rw_error_t *err);

/** Parse a CIDR ("198.51.100.0/24", "2001:db8::/48", a bare address is /32 or /128) */
rw_status_t rw_cidr_parse(const char *s, rw_cidr_t *cidr, rw_error_t *err);
char *rw_cidr_format(const rw_cidr_t *cidr, char *buf, size_t len);
bool rw_cidr_contains(const rw_cidr_t *cidr, const rw_addr_t *addr);

/**
 * Canonical text of one field (values joined by ", "), "" for none.
 */
char *rw_dns_format(const rw_dns_conf_t *conf, rw_dns_field_t field, char *buf,
					size_t len);

/**
 * Merge levels into the effective settings: levels[0] is the most specific (user),
 * then pool, then connection; NULL levels are skipped. source[field] receives the
 * index of the level the field came from, -1 if no level sets it.
 */
void rw_dns_merge(const rw_dns_conf_t *const *levels, int n, rw_dns_conf_t *out,
				  int source[RW_DNS_FIELDS]);

/**
 * Check effective settings: with split networks, every DNS server must lie inside one
 * of them or clients send their DNS queries past the tunnel and split DNS fails.
 *
 * @return RW_OK, or RW_ERR_INVALID naming the first server outside
 */
rw_status_t rw_dns_check(const rw_dns_conf_t *conf, rw_error_t *err);

#endif /** RW_DNS_H_ @}*/
