/*
 * rwctl's DNS options (--dns, --domain, --split, --no-...) of "pool set" and "user set",
 * and the DNS part of "pool show" and "user show".
 */

#ifndef RWCTL_DNS_H_
#define RWCTL_DNS_H_

#include "common.h"

#include <json-c/json.h>

#include <rw_dns.h>

/* option codes, above those of the subcommand files */
enum {
	RWCTL_OPT_DNS = RWCTL_OPT_LOCAL + 100,
	RWCTL_OPT_DOMAIN,
	RWCTL_OPT_SPLIT,
	RWCTL_OPT_NO_DNS,
	RWCTL_OPT_NO_DOMAIN,
	RWCTL_OPT_NO_SPLIT,
};

#define RWCTL_DNS_OPTIONS \
	{ "dns", required_argument, NULL, RWCTL_OPT_DNS }, \
	{ "domain", required_argument, NULL, RWCTL_OPT_DOMAIN }, \
	{ "split", required_argument, NULL, RWCTL_OPT_SPLIT }, \
	{ "no-dns", no_argument, NULL, RWCTL_OPT_NO_DNS }, \
	{ "no-domain", no_argument, NULL, RWCTL_OPT_NO_DOMAIN }, \
	{ "no-split", no_argument, NULL, RWCTL_OPT_NO_SPLIT }

#define RWCTL_DNS_HELP \
	"  --dns ADDR[,ADDR]      DNS servers, IPv4 and IPv6 (repeatable; at most 8)\n" \
	"  --domain NAME[,NAME]   DNS domains resolved through the tunnel (split DNS),\n" \
	"                         sent as INTERNAL_DNS_DOMAIN (repeatable; at most 16)\n" \
	"  --split CIDR[,CIDR]    split networks: the client's traffic selectors are\n" \
	"                         narrowed to them (repeatable; at most 32; 'none' for a\n" \
	"                         full tunnel overriding the levels below)\n" \
	"  --no-dns, --no-domain, --no-split\n" \
	"                         clear the value: inherit it again\n"

/* what the DNS options asked for: per field nothing, a new list, or clearing */
typedef struct {
	bool given[RW_DNS_FIELDS];
	bool clear[RW_DNS_FIELDS];
	/* the list, values of repeated options joined; validated */
	char *list[RW_DNS_FIELDS];
} rwctl_dns_changes_t;

/* true if opt is one of the DNS options */
bool rwctl_dns_is_option(int opt);

/* handle a DNS option (values are checked here); RWCTL_CONTINUE or an exit status */
int rwctl_dns_option(rwctl_dns_changes_t *changes, const rwctl_cmd_t *cmd, int opt,
					 const char *arg);

/* true if any DNS option was given */
bool rwctl_dns_any(const rwctl_dns_changes_t *changes);

/*
 * Apply the changes to a pool or user in one transaction, refused (nothing changed)
 * when the result leaves a DNS server outside the split networks; returns an exit
 * status.
 */
int rwctl_dns_apply(rw_store_t *store, rw_dns_owner_t owner, const char *name,
					const rwctl_dns_changes_t *changes);

void rwctl_dns_changes_free(rwctl_dns_changes_t *changes);

/*
 * Print (or add to the JSON object o) the effective DNS settings of a user (with the
 * pool of his static address, may be "") or of a pool (user NULL), and where each
 * value comes from. Returns an exit status.
 */
int rwctl_dns_show(rw_store_t *store, const char *user, const char *pool,
				   json_object *o);

#endif /* RWCTL_DNS_H_ */
