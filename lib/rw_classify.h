/**
 * @defgroup rw_classify rw_classify
 * @{ @ingroup librw
 *
 * Client classifier: recognises the family of an IKEv2 client (Apple, Windows,
 * Android native, strongSwan-based ...) from what it sends in IKE_SA_INIT and
 * IKE_AUTH. Input is a neutral description of those messages with numeric IANA types
 * only (payload, notify, transform, attribute and ID types, vendor ID bytes), so the
 * same code serves the rw-quirks plugin (filled from parsed payloads) and
 * `rwctl classify` (filled from charon log text, see rw_logparse.h).
 *
 * The signals and their weights are data: a built-in rule table that can be extended
 * or overridden with rules in text form (strongswan.conf, rwctl --rules).
 */

#ifndef RW_CLASSIFY_H_
#define RW_CLASSIFY_H_

#include "rw_error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Fixed capacities keep the description allocation-free (and easy to fuzz); what does
 * not fit is counted in `overflow` and ignored by the classifier. */
#define RW_CL_MAX_PAYLOADS 32
#define RW_CL_MAX_NOTIFIES 32
#define RW_CL_MAX_VIDS 8
#define RW_CL_MAX_VID_LEN 32
#define RW_CL_MAX_PROPOSALS 32
#define RW_CL_MAX_TRANSFORMS 24
#define RW_CL_MAX_ATTRS 32
#define RW_CL_MAX_TS 8

#define RW_FAMILY_LEN 32
#define RW_HINT_LEN 96

/** IKEv2 transform types (RFC 7296 3.3.2) */
enum {
	RW_TRANS_ENCR = 1,
	RW_TRANS_PRF = 2,
	RW_TRANS_INTEG = 3,
	RW_TRANS_KE = 4,
	RW_TRANS_ESN = 5,
	/** additional key exchanges 1..7 (RFC 9370): 6..12, printed KE1_ ... KE7_ */
	RW_TRANS_ADDKE1 = 6,
	RW_TRANS_ADDKE7 = 12,
};

typedef struct {
	/** RW_TRANS_* */
	uint8_t type;
	/** IANA transform ID (e.g. ENCR_AES_CBC 12, MODP_1024 2, ECP_256 19) */
	uint16_t id;
	/** key length attribute in bits, 0 if absent */
	uint16_t keylen;
} rw_cl_transform_t;

typedef struct {
	/** 1 IKE, 3 ESP */
	uint8_t protocol;
	uint8_t n_transforms;
	rw_cl_transform_t transforms[RW_CL_MAX_TRANSFORMS];
} rw_cl_proposal_t;

typedef struct {
	uint8_t len;
	uint8_t data[RW_CL_MAX_VID_LEN];
} rw_cl_vid_t;

typedef struct {
	/** 7 TS_IPV4_ADDR_RANGE, 8 TS_IPV6_ADDR_RANGE */
	uint8_t type;
	/** covers the whole address space of its type (0.0.0.0/0, ::/0) */
	bool full;
} rw_cl_ts_t;

/**
 * What a client sent in one message (IKE_SA_INIT or IKE_AUTH request). Every list is
 * in message order. Unset fields are zero.
 */
typedef struct {
	/** payload types in order (33 SA, 34 KE, 35 IDi, 36 IDr, 37 CERT, 38 CERTREQ,
	 *  39 AUTH, 40 Nonce, 41 N, 43 V, 44 TSi, 45 TSr, 47 CP, 48 EAP ...) */
	uint8_t payloads[RW_CL_MAX_PAYLOADS];
	uint8_t n_payloads;
	/** notify message types in order (16388 NAT_DETECTION_SOURCE_IP ...) */
	uint16_t notifies[RW_CL_MAX_NOTIFIES];
	uint8_t n_notifies;
	rw_cl_vid_t vids[RW_CL_MAX_VIDS];
	uint8_t n_vids;
	/** SA proposals: IKE in IKE_SA_INIT, ESP in IKE_AUTH */
	rw_cl_proposal_t proposals[RW_CL_MAX_PROPOSALS];
	uint8_t n_proposals;
	/** IKE_SA_INIT: group of the KE payload, 0 if none */
	uint16_t ke_group;
	/** IKE_AUTH: ID type of IDi (1 IPv4, 2 FQDN, 3 RFC822, 5 IPv6, 9 DN, 11 KEY_ID),
	 *  0 unknown */
	uint8_t idi_type;
	/** IKE_AUTH: number of CERTREQ payloads; -1 if unknown (log without the list) */
	int16_t n_certreq;
	/** IKE_AUTH: number of CA key identifiers requested over all CERTREQ payloads
	 *  (20 bytes each; saturates); Windows asks for its whole trust store */
	uint16_t certreq_cas;
	/** IKE_AUTH: configuration request attribute types in order (1 IP4_ADDRESS,
	 *  2 IP4_NETMASK, 3 IP4_DNS, 4 IP4_NBNS, 6 IP4_DHCP, 7 APPLICATION_VERSION,
	 *  8 IP6_ADDRESS, 10 IP6_DNS, 12 IP6_DHCP, 23 IP4_SERVER, 24 IP6_SERVER,
	 *  25 INTERNAL_DNS_DOMAIN ...) */
	uint16_t cp_attrs[RW_CL_MAX_ATTRS];
	uint8_t n_cp_attrs;
	bool has_cp;
	rw_cl_ts_t tsi[RW_CL_MAX_TS];
	uint8_t n_tsi;
	rw_cl_ts_t tsr[RW_CL_MAX_TS];
	uint8_t n_tsr;
	/** items that did not fit the fixed arrays */
	unsigned overflow;
	/** the payload list of this message was not seen (a log excerpt with only
	 *  proposals or vendor IDs): conditions on payloads, notifies, CP attributes and
	 *  CERTREQs are not evaluated. Always false when filled from a parsed message. */
	bool payloads_unknown;
} rw_cl_msg_t;

/** What the classifier saw of one IKE_SA (either part may be missing). */
typedef struct {
	bool have_init;
	rw_cl_msg_t init;
	bool have_auth;
	rw_cl_msg_t auth;
} rw_cl_input_t;

/** Result of a classification. */
typedef struct {
	/** "apple", "windows", "android-native", "strongswan" or "unknown" (or a family
	 *  added by rules) */
	char family[RW_FAMILY_LEN];
	/** version hint, e.g. "iOS/macOS 2017-2023 proposal set"; may be empty */
	char hint[RW_HINT_LEN];
	/** 0..100 */
	unsigned confidence;
	/** the client's own offer has nothing stronger than legacy algorithms (MODP_1024,
	 *  3DES, SHA1): the default offer of Windows, Apple before iOS 14 ... */
	bool legacy_only;
	/** the runner-up family with a positive score ("" if none), e.g. "android-native"
	 *  for a charon-style IKE_SA_INIT without IKE_AUTH */
	char alt_family[RW_FAMILY_LEN];
} rw_cl_result_t;

typedef struct rw_classifier_t rw_classifier_t;

/**
 * Create a classifier with the built-in rule table.
 */
rw_classifier_t *rw_classifier_create(void);

/**
 * Add rules in text form (one rule per line; syntax in rw_classify.c and the
 * rw-quirks .opt file). Rules with the name of a built-in rule replace it.
 *
 * @return RW_OK, or RW_ERR_INVALID with err->msg naming the line
 */
rw_status_t rw_classifier_add_rules(rw_classifier_t *cl, const char *text,
									rw_error_t *err);

/**
 * Add one rule line of len bytes (no newline in it; a trailing CR is ignored). An
 * empty or comment-only line adds nothing. For callers that read a rules file line by
 * line so that a bad line leaves the others: the error message names no line.
 *
 * @return RW_OK, or RW_ERR_INVALID with err->msg the reason
 */
rw_status_t rw_classifier_add_rule(rw_classifier_t *cl, const char *line, size_t len,
								   rw_error_t *err);

/**
 * Classify. Thread-safe for concurrent calls on one classifier (the rules are not
 * changed after setup). Never fails: no evidence gives family "unknown".
 */
void rw_classify(const rw_classifier_t *cl, const rw_cl_input_t *in,
				 rw_cl_result_t *out);

void rw_classifier_destroy(rw_classifier_t *cl);

/** Append helpers for fillers: they count what does not fit in msg->overflow. */
void rw_cl_add_payload(rw_cl_msg_t *msg, uint8_t type);
void rw_cl_add_notify(rw_cl_msg_t *msg, uint16_t type);
void rw_cl_add_vid(rw_cl_msg_t *msg, const uint8_t *data, size_t len);
void rw_cl_add_cp_attr(rw_cl_msg_t *msg, uint16_t type);
/** start a new proposal; returns NULL when full */
rw_cl_proposal_t *rw_cl_add_proposal(rw_cl_msg_t *msg, uint8_t protocol);
void rw_cl_add_transform(rw_cl_msg_t *msg, rw_cl_proposal_t *proposal, uint8_t type,
						 uint16_t id, uint16_t keylen);
void rw_cl_add_ts(rw_cl_msg_t *msg, bool responder, uint8_t type, bool full);

/* ------------------------------------------------------------------------------ */
/* legacy algorithms: the one definition shared by the classifier (legacy_only) and
 * rw-quirks' proposal shaping */

/**
 * Legacy transforms: DES/3DES/IDEA/CAST/Blowfish/NULL encryption, MD5 and SHA1
 * integrity and PRFs, MODP_768/1024/1536, MODP_1024_160, ECP_192 and MODP_NULL.
 * ESN and unknown transforms are never legacy.
 */
bool rw_cl_transform_is_legacy(const rw_cl_transform_t *t);

/**
 * A proposal is legacy if, for some transform type, every algorithm it offers of that
 * type is legacy (whatever the responder picks, the SA gets a legacy algorithm).
 * An empty proposal is not legacy.
 */
bool rw_cl_proposal_is_legacy(const rw_cl_proposal_t *p);

/**
 * True if msg has at least one proposal and all of them are legacy: the client offers
 * nothing stronger.
 */
bool rw_cl_offer_is_legacy_only(const rw_cl_msg_t *msg);

/* ------------------------------------------------------------------------------ */
/* charon's short names (as in its log and in rule text) */

typedef enum {
	/** IKEv2 payload types: "SA" 33 ... "EF" 53 */
	RW_CL_NAMES_PAYLOAD,
	/** notify types, charon's short names: "NATD_S_IP" 16388, "FRAG_SUP" 16430 ... */
	RW_CL_NAMES_NOTIFY,
	/** configuration attributes, short names: "ADDR" 1 ... "DOMAIN" 25, "SRV" 23456 */
	RW_CL_NAMES_CP_ATTR,
	/** ID types: "IPV4" 1, "FQDN" 2, "RFC822" 3, "IPV6" 5, "DN" 9, "KEY_ID" 11 */
	RW_CL_NAMES_ID_TYPE,
} rw_cl_names_t;

/**
 * Look up a name (not NUL-terminated, len bytes) of the given kind; "(N)" and plain
 * decimal numbers are accepted too, as charon prints types it has no name for.
 *
 * @return true and *value if known
 */
bool rw_cl_name_lookup(rw_cl_names_t kind, const char *name, size_t len,
					   uint16_t *value);

/** The name of a value, NULL if it has none. */
const char *rw_cl_name(rw_cl_names_t kind, uint16_t value);

/**
 * Parse a transform as charon prints it in a proposal: "AES_CBC_256" (name and key
 * length), "HMAC_SHA2_256_128", "PRF_HMAC_SHA2_256", "MODP_2048", "NO_EXT_SEQ",
 * "KE1_ML_KEM_768", "UNKNOWN_4_1234" or "(35)" (type unknown: 0).
 *
 * @return true if the name was recognised
 */
bool rw_cl_parse_transform(const char *name, size_t len, rw_cl_transform_t *t);

/** Print a transform as charon does ("AES_CBC_256") into buf; returns buf. */
const char *rw_cl_transform_name(const rw_cl_transform_t *t, char *buf, size_t len);

#endif /** RW_CLASSIFY_H_ @}*/
