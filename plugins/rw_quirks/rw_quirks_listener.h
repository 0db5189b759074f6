/**
 * @defgroup rw_quirks_listener rw_quirks_listener
 * @{ @ingroup rw_quirks
 *
 * Classifies each client from its IKE_SA_INIT and IKE_AUTH requests (listener
 * message() hook, before charon processes them), keeps the result per IKE_SA (unique
 * id) for the other rw-* plugins and applies the quirks of the client's family:
 * proposal shaping, certificate without CERTREQ, DPD without NAT-D, ::/0 for IPv6
 * virtual IPs, no reauthentication and a short DPD delay.
 */

#ifndef RW_QUIRKS_LISTENER_H_
#define RW_QUIRKS_LISTENER_H_

#include <bus/listeners/listener.h>

#include <rw_classify.h>
#include <rw_quirks.h>

#include "../common/rw_client.h"

typedef struct rw_quirks_listener_t rw_quirks_listener_t;

struct rw_quirks_listener_t {

	/**
	 * Implements listener_t.
	 */
	listener_t listener;

	/**
	 * Family of each IKE_SA's client, for the other plugins.
	 */
	rw_client_registry_t registry;

	/**
	 * Full classification result of an IKE_SA's client.
	 *
	 * @param unique_id		unique ID of the IKE_SA
	 * @param result		receives the result
	 * @return				FALSE if the IKE_SA's client was not classified
	 */
	bool (*get_result)(rw_quirks_listener_t *this, uint32_t unique_id,
					   rw_cl_result_t *result);

	/**
	 * Number of IKE_SAs with state kept.
	 */
	u_int (*get_count)(rw_quirks_listener_t *this);

	/**
	 * Destroy a rw_quirks_listener_t.
	 */
	void (*destroy)(rw_quirks_listener_t *this);
};

/**
 * Create the listener.
 *
 * @param classifier	classifier with the rules from strongswan.conf (not owned)
 * @param table			quirks per family (not owned, not changed while in use)
 * @return				listener
 */
rw_quirks_listener_t *rw_quirks_listener_create(const rw_classifier_t *classifier,
												const rw_quirk_table_t *table);

#endif /** RW_QUIRKS_LISTENER_H_ @}*/
