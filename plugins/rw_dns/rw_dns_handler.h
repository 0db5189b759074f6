/**
 * @defgroup rw_dns_handler rw_dns_handler
 * @{ @ingroup rw_dns_p
 * Attribute provider (DNS servers and domains) and listener (what each client asked
 * for in its configuration request; traffic selectors narrowed to split networks).
 */

#ifndef RW_DNS_HANDLER_H_
#define RW_DNS_HANDLER_H_

#include <attributes/attribute_provider.h>
#include <bus/listeners/listener.h>

typedef struct rw_dns_handler_t rw_dns_handler_t;

struct rw_dns_handler_t {

	/**
	 * Provides INTERNAL_IP4_DNS, INTERNAL_IP6_DNS and INTERNAL_DNS_DOMAIN
	 */
	attribute_provider_t provider;

	/**
	 * Records configuration requests, narrows traffic selectors
	 */
	listener_t listener;

	/**
	 * Read the connection settings and options from strongswan.conf again.
	 */
	void (*reload)(rw_dns_handler_t *this);

	/**
	 * Destroy it.
	 */
	void (*destroy)(rw_dns_handler_t *this);
};

rw_dns_handler_t *rw_dns_handler_create(void);

#endif /** RW_DNS_HANDLER_H_ @}*/
