/**
 * @defgroup rw_store_dns rw_store_dns
 * @{ @ingroup rw_plugins
 *
 * DNS settings of pools and users in the rw-sqlite store, for rw-dns. rw-sqlite
 * registers a rw_store_dns_t with lib->set(lib, RW_STORE_DNS, ...) while it is loaded
 * (it owns the database connection); rw-dns looks it up with lib->get() each time and
 * serves the connection level alone when it is absent.
 */

#ifndef RW_STORE_DNS_H_
#define RW_STORE_DNS_H_

#include <sa/ike_sa.h>

#include <rw_dns.h>
#include <rw_store.h>

#define RW_STORE_DNS "rw-sqlite-dns"

typedef struct rw_store_dns_t rw_store_dns_t;

struct rw_store_dns_t {

	/**
	 * DNS settings of the user behind the peer's EAP identity of ike_sa (matched as
	 * rw-sqlite matches it for authentication) and of the store pool holding one of
	 * the peer's virtual IPs (pools of the IKE_SA's peer_cfg only).
	 *
	 * @param ike_sa		IKE_SA of the client, virtual IPs assigned
	 * @param user			settings of the user (all fields unset if none)
	 * @param user_name		receives the user's name, "" if the store has none
	 * @param pool			settings of the pool (all fields unset if none)
	 * @param pool_name		receives the pool's name, "" if none
	 * @return				FALSE if the store failed (logged by rw-sqlite)
	 */
	bool (*get)(rw_store_dns_t *this, ike_sa_t *ike_sa,
				rw_dns_conf_t *user, char user_name[RW_NAME_MAX + 1],
				rw_dns_conf_t *pool, char pool_name[RW_POOL_NAME_MAX + 1]);
};

#endif /** RW_STORE_DNS_H_ @}*/
