/**
 * @defgroup rw_client rw_client
 * @{ @ingroup rw_plugins
 *
 * How the rw-* plugins share what they know about a client. rw-quirks registers a
 * rw_client_registry_t with lib->set(lib, RW_CLIENT_REGISTRY, registry) while it is
 * loaded; rw-sqlite and rw-dns look it up with lib->get() each time they need it and
 * treat its absence as "family unknown".
 */

#ifndef RW_CLIENT_H_
#define RW_CLIENT_H_

#include <sa/ike_sa.h>

#include <rw_classify.h>

#define RW_CLIENT_REGISTRY "rw-quirks-clients"

typedef struct rw_client_registry_t rw_client_registry_t;

struct rw_client_registry_t {

	/**
	 * Family of the client of an IKE_SA, as classified by rw-quirks.
	 *
	 * @param ike_sa		IKE_SA of the client
	 * @param family		buffer receiving the family ("apple", "windows" ...)
	 * @param len			size of family
	 * @return				FALSE if the client was not classified (family "unknown")
	 */
	bool (*get_family)(rw_client_registry_t *this, ike_sa_t *ike_sa, char *family,
					   size_t len);
};

/**
 * Family of the client of ike_sa, "unknown" when rw-quirks is not loaded or did not
 * classify it.
 */
static inline void rw_client_family(ike_sa_t *ike_sa, char *family, size_t len)
{
	rw_client_registry_t *registry = lib->get(lib, RW_CLIENT_REGISTRY);

	if (!registry || !registry->get_family(registry, ike_sa, family, len))
	{
		snprintf(family, len, "unknown");
	}
}

#endif /** RW_CLIENT_H_ @}*/
