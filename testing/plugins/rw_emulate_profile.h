/**
 * @defgroup rw_emulate_profile rw_emulate_profile
 * @{ @ingroup rw_emulate
 *
 * Device profile of the test-only rw-emulate plugin: what a recorded client sends
 * and which of its documented failures to model.
 *
 * A profile is a strongswan.conf-syntax file (see testing/profiles/). The message
 * layouts are written in charon's own log notation, e.g.
 *   ike_sa_init = SA KE No N(REDIR_SUP) N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP)
 *   ike_auth = IDi N(INIT_CONTACT) IDr CPRQ(ADDR DNS DOMAIN) SA TSi TSr
 * so that a gateway's "parsed ... request" line can be compared with the profile
 * verbatim. Names are charon's short names or numbers: N(16430), N((16430)),
 * CPRQ(ADDR (25)).
 */

#ifndef RW_EMULATE_PROFILE_H_
#define RW_EMULATE_PROFILE_H_

#include <library.h>
#include <encoding/payloads/payload.h>
#include <encoding/payloads/notify_payload.h>

/** most items in one message layout */
#define RW_EMULATE_MAX_ITEMS 48
/** most configuration attributes in one CPRQ(...) */
#define RW_EMULATE_MAX_ATTRS 32
/** most vendor IDs */
#define RW_EMULATE_MAX_VIDS 16
/** longest vendor ID, in bytes */
#define RW_EMULATE_MAX_VID_LEN 64

typedef struct rw_emulate_item_t rw_emulate_item_t;
typedef struct rw_emulate_layout_t rw_emulate_layout_t;
typedef struct rw_emulate_profile_t rw_emulate_profile_t;

/**
 * One payload of a message layout.
 */
struct rw_emulate_item_t {
	/** payload type (PLV2_*) */
	payload_type_t type;
	/** notify type, for PLV2_NOTIFY */
	notify_type_t notify;
	/** configuration attribute types, for PLV2_CONFIGURATION */
	uint16_t attrs[RW_EMULATE_MAX_ATTRS];
	/** number of attrs */
	int attr_count;
};

/**
 * Payloads of a message, in order.
 */
struct rw_emulate_layout_t {
	/** FALSE if the profile does not set this layout: charon's message is sent */
	bool set;
	rw_emulate_item_t items[RW_EMULATE_MAX_ITEMS];
	int count;
};

/**
 * A device profile.
 */
struct rw_emulate_profile_t {
	/** profile name, e.g. "ios12" */
	char name[32];
	/** client family, e.g. "apple" */
	char family[32];
	/** IKE_SA_INIT request */
	rw_emulate_layout_t ike_sa_init;
	/** first IKE_AUTH request (the one with IDi) */
	rw_emulate_layout_t ike_auth;
	/** vendor IDs, used by the V items of the layouts in turn */
	uint8_t vids[RW_EMULATE_MAX_VIDS][RW_EMULATE_MAX_VID_LEN];
	size_t vid_len[RW_EMULATE_MAX_VIDS];
	int vid_count;
	/** key identifiers of unknown CAs added to CERTREQ (Windows: dozens) */
	int certreq_unknown;
	/** abort IKE_AUTH when the gateway sent no certificate */
	bool fail_without_cert;
	/** fail when the gateway chose MODP_1536 */
	bool fail_on_modp1536;
	/** never answer INFORMATIONAL requests carrying NAT-D notifies */
	bool ignore_natd_dpd;
	/** drop IPv6 selectors unless the remote IPv6 selectors contain ::/0 */
	bool ipv6_needs_default;
};

/**
 * Parse a message layout in charon's log notation.
 *
 * @param str		layout, e.g. "SA KE No N(NATD_S_IP)"
 * @param layout	receives the items
 * @param err		receives a description of the first error
 * @param len		size of err
 * @return			FALSE if str is not a valid layout
 */
bool rw_emulate_parse_layout(const char *str, rw_emulate_layout_t *layout,
							 char *err, size_t len);

/**
 * Parse a list of vendor IDs in hex ("1e2b51..., fb1de3...", colons allowed).
 *
 * @param str		comma or space separated hex strings
 * @param profile	receives vids, vid_len and vid_count
 * @param err		receives a description of the first error
 * @param len		size of err
 * @return			FALSE on bad hex, too many or too long vendor IDs
 */
bool rw_emulate_parse_vids(const char *str, rw_emulate_profile_t *profile,
						   char *err, size_t len);

/**
 * Load a profile file.
 *
 * @param file		path of the profile
 * @param profile	receives the profile
 * @param err		receives a description of the first error
 * @param len		size of err
 * @return			FALSE if the file is missing or invalid
 */
bool rw_emulate_profile_load(char *file, rw_emulate_profile_t *profile,
							 char *err, size_t len);

#endif /** RW_EMULATE_PROFILE_H_ @}*/
