/**
 * @defgroup rw_quirks rw_quirks
 * @{ @ingroup librw
 *
 * Client quirks as data: which workaround the rw-quirks plugin applies to a client of
 * each family (a built-in table, overridable per family with options), the proposal
 * shaping decision on the client's own offer (transform lists, no charon types)
 * and the server certificate requirements of each family.
 *
 * Legacy algorithms are the ones rw_cl_transform_is_legacy() names, the same definition
 * the classifier uses for rw_cl_result_t.legacy_only.
 */

#ifndef RW_QUIRKS_H_
#define RW_QUIRKS_H_

#include "rw_classify.h"
#include "rw_error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** IANA KE transform ID of MODP_1536 (group 5), advertised but broken on Apple */
#define RW_KE_MODP_1536 5

/** what to do when an Apple client gets an IPv6 virtual IP without ::/0 */
typedef enum {
	RW_V6_ROUTE_OFF = 0,
	/** log a warning only */
	RW_V6_ROUTE_WARN,
	/** add ::/0 to the gateway's traffic selectors */
	RW_V6_ROUTE_ADD,
} rw_v6_route_t;

/** The quirks of one family. */
typedef struct {
	/** send the certificate (and chain) without CERTREQ (send_cert = ifasked) */
	bool send_cert;
	/** remove legacy algorithms from an offer that has something stronger */
	bool strip_legacy;
	/** accept an offer that has nothing stronger than legacy algorithms */
	bool legacy;
	/** remove MODP_1536 from the offer */
	bool strip_modp1536;
	/** shape ESP proposals (IKE_AUTH, CREATE_CHILD_SA) as well as IKE proposals */
	bool shape_esp;
	/** remove NAT-D notifies from DPD requests */
	bool dpd_without_natd;
	/** ::/0 in the gateway's traffic selectors for IPv6 virtual IPs */
	rw_v6_route_t ipv6_default_route;
	/** never reauthenticate (rekey instead) */
	bool no_reauth;
	/** DPD after this many idle seconds, 0 to keep the connection's setting */
	unsigned dpd_delay;
} rw_quirks_t;

typedef struct rw_quirk_table_t rw_quirk_table_t;

/**
 * Create the table with the built-in quirks of apple, windows, android-native,
 * strongswan and unknown. A family without an entry gets none (stock behaviour).
 */
rw_quirk_table_t *rw_quirk_table_create(void);

/**
 * Is this a family name the classifier can give (lower case letters, digits and '-',
 * shorter than RW_FAMILY_LEN, as classifier rules require; "unknown" too)? Options of
 * other names would never apply.
 */
bool rw_quirk_family_valid(const char *family);

/**
 * Set one option of a family, as written in strongswan.conf
 * (charon.plugins.rw-quirks.families.FAMILY.KEY = VALUE). A family not in the table
 * gets an entry with no quirks first.
 *
 * Keys: send_cert, strip_legacy, legacy, strip_modp1536, shape_esp, dpd_without_natd,
 * no_reauth (yes/no/true/false/1/0/enabled/disabled), ipv6_default_route (add, warn,
 * off), dpd_delay (seconds, or with a suffix s, m, h; 0 keeps the connection's).
 *
 * @return RW_OK, or RW_ERR_INVALID with err->msg naming the family and key (also
 *         for a family name rw_quirk_family_valid() refuses)
 */
rw_status_t rw_quirk_table_set(rw_quirk_table_t *table, const char *family,
							   const char *key, const char *value, rw_error_t *err);

/**
 * Quirks of a family; a family without an entry (NULL too) gets the entry of
 * "unknown".
 */
const rw_quirks_t *rw_quirk_table_get(const rw_quirk_table_t *table,
									  const char *family);

/**
 * Families with an entry, for listing: the name of entry i, NULL past the end.
 */
const char *rw_quirk_table_family(const rw_quirk_table_t *table, size_t i);

void rw_quirk_table_destroy(rw_quirk_table_t *table);

/**
 * Parse a boolean as strongSwan does (yes, no, true, false, on, off, 1, 0, enabled,
 * disabled; case-insensitive).
 */
bool rw_quirks_parse_bool(const char *value, bool *out);

/** Parse a duration in seconds (plain number, or suffix s, m, h, d). */
bool rw_quirks_parse_time(const char *value, unsigned *out);

/** What rw_quirks_shape() decided for one offer. */
typedef enum {
	/** leave the offer as it is */
	RW_SHAPE_KEEP = 0,
	/** remove the transforms rw_shape_keep_transform() rejects, and the proposals
	 *  rw_shape_t.keep marks */
	RW_SHAPE_STRIP,
	/** legacy-only offer from a family not allowed to use it: remove everything */
	RW_SHAPE_REJECT,
} rw_shape_action_t;

typedef struct {
	rw_shape_action_t action;
	/** filters in effect for RW_SHAPE_STRIP */
	bool drop_legacy;
	bool drop_modp1536;
	/** the offer has nothing stronger than legacy algorithms */
	bool legacy_only;
	/** the offer contained MODP_1536 */
	bool had_modp1536;
	/** for RW_SHAPE_STRIP: proposal i survives */
	bool keep[RW_CL_MAX_PROPOSALS];
	/** proposals and transforms removed */
	unsigned removed_proposals;
	unsigned removed_transforms;
	/** proposals left */
	unsigned left;
} rw_shape_t;

/**
 * One proposal of an offer to shape: all its transforms, however many. The
 * classifier's rw_cl_proposal_t holds RW_CL_MAX_TRANSFORMS only, fewer than a stock
 * charon client offers (its default IKE proposal has 38 transforms on Debian's
 * 5.9.8, the AEAD default 47), so the shaping decision is not taken on it.
 */
typedef struct {
	/** transforms (RW_TRANS_* types), NULL only if n_transforms is 0 */
	const rw_cl_transform_t *transforms;
	size_t n_transforms;
} rw_shape_proposal_t;

/**
 * Decide how to shape a client's offer (the SA payload of IKE_SA_INIT, IKE_AUTH or
 * CREATE_CHILD_SA, in message order) for the quirks of its family.
 *
 * - a legacy algorithm is removed when the offer also has a complete proposal without
 *   legacy algorithms (strip_legacy);
 * - a legacy-only offer is kept (legacy) or rejected (!legacy, only when
 *   allow_reject; ESP offers are never rejected, the IKE_SA is already up);
 * - MODP_1536 is removed (strip_modp1536), as long as a proposal remains;
 * - a proposal that loses every transform of a type it had is removed.
 * An empty offer, or one of more than RW_CL_MAX_PROPOSALS proposals, is kept.
 *
 * @param q				quirks of the client's family
 * @param proposals		the offer, every transform of every proposal
 * @param n				number of proposals
 * @param allow_reject	a legacy-only offer may be rejected
 * @param out			decision
 */
void rw_quirks_shape_offer(const rw_quirks_t *q, const rw_shape_proposal_t *proposals,
						   size_t n, bool allow_reject, rw_shape_t *out);

/**
 * rw_quirks_shape_offer() on the classifier's description of an offer. An offer that
 * does not fit the description (overflow: a proposal of more than
 * RW_CL_MAX_TRANSFORMS transforms, more than RW_CL_MAX_PROPOSALS proposals) is kept:
 * describe such offers with rw_shape_proposal_t instead.
 *
 * @param q				quirks of the client's family
 * @param proposals		the offer
 * @param n				number of proposals
 * @param overflow		the description is incomplete (items did not fit)
 * @param allow_reject	a legacy-only offer may be rejected
 * @param out			decision
 */
void rw_quirks_shape(const rw_quirks_t *q, const rw_cl_proposal_t *proposals, size_t n,
					 bool overflow, bool allow_reject, rw_shape_t *out);

/**
 * Does a transform stay in the shaped offer (RW_SHAPE_STRIP)?
 */
bool rw_shape_keep_transform(const rw_shape_t *shape, const rw_cl_transform_t *t);

/**
 * The advice logged when a client of family ends up on legacy algorithms (never
 * NULL, may be generic).
 */
const char *rw_quirks_legacy_hint(const char *family);

/** Problems a family has with the gateway's certificate. */
enum {
	/** no subjectAltName equal to the gateway's identity */
	RW_CERT_NO_SAN = 1 << 0,
	/** no serverAuth extended key usage */
	RW_CERT_NO_SERVERAUTH = 1 << 1,
	/** the gateway cannot build the chain up to a root from what it holds */
	RW_CERT_CHAIN_INCOMPLETE = 1 << 2,
};

/** What the plugin found out about the gateway's certificate. */
typedef struct {
	/** a subjectAltName equals the identity the gateway uses */
	bool san_matches_id;
	/** the certificate has the serverAuth extended key usage */
	bool server_auth;
	/** chain to a self-signed root complete with the certificates held */
	bool chain_complete;
} rw_cert_facts_t;

/**
 * Problems (RW_CERT_* bits) a client of family has with a certificate; 0 for
 * families without known requirements.
 */
unsigned rw_quirks_cert_problems(const char *family, const rw_cert_facts_t *facts);

/** Families with known certificate requirements: name i, NULL past the end. */
const char *rw_quirks_cert_family(size_t i);

/** One phrase for a RW_CERT_* bit, e.g. "no serverAuth extended key usage". */
const char *rw_quirks_cert_problem_str(unsigned bit);

#endif /** RW_QUIRKS_H_ @}*/
