/**
 * @defgroup rw_emulate_listener rw_emulate_listener
 * @{ @ingroup rw_emulate
 *
 * Bus listener of the test-only rw-emulate plugin. On a client charon it rewrites
 * the outgoing IKE_SA_INIT and first IKE_AUTH request into the layout of a device
 * profile, logs every configuration reply attribute and models the device's
 * documented failures. On a gateway charon it can add NAT-D notifies to DPDs
 * (inject_natd_dpd), as gateways do in flows a road-warrior set-up of 5.9.8 never
 * reaches, so the client side of that quirk can be tested.
 */

#ifndef RW_EMULATE_LISTENER_H_
#define RW_EMULATE_LISTENER_H_

#include <bus/listeners/listener.h>

#include "rw_emulate_profile.h"

typedef struct rw_emulate_listener_t rw_emulate_listener_t;

struct rw_emulate_listener_t {

	/**
	 * Implements listener_t.
	 */
	listener_t listener;

	/**
	 * Destroy the listener.
	 */
	void (*destroy)(rw_emulate_listener_t *this);
};

/**
 * Create the listener.
 *
 * @param profile			device profile (copied), NULL to only log replies
 * @param inject_natd_dpd	add NAT-D notifies to outgoing DPD requests
 * @return					listener
 */
rw_emulate_listener_t *rw_emulate_listener_create(rw_emulate_profile_t *profile,
												  bool inject_natd_dpd);

/**
 * Format a configuration attribute value for the reply log line.
 *
 * Addresses as text, INTERNAL_IP6_ADDRESS and subnets with their prefix length,
 * INTERNAL_DNS_DOMAIN and APPLICATION_VERSION as text when printable, anything
 * else (and values of an unexpected length) as 0x-prefixed hex, truncated to fit;
 * an empty value as "-".
 *
 * @param type		attribute type
 * @param value		attribute value
 * @param buf		receives the text
 * @param len		size of buf (at least 8)
 */
void rw_emulate_format_attr(uint16_t type, chunk_t value, char *buf, size_t len);

#endif /** RW_EMULATE_LISTENER_H_ @}*/
