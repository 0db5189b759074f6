/**
 * @defgroup rw_dns_p rw_dns
 * @ingroup cplugins
 *
 * @defgroup rw_dns_plugin rw_dns_plugin
 * @{ @ingroup rw_dns_p
 */

#ifndef RW_DNS_PLUGIN_H_
#define RW_DNS_PLUGIN_H_

#include <plugins/plugin.h>

typedef struct rw_dns_plugin_t rw_dns_plugin_t;

/**
 * DNS servers, DNS domains (INTERNAL_DNS_DOMAIN) and split networks per connection,
 * pool and user, shaped per client family.
 */
struct rw_dns_plugin_t {

	/**
	 * implements plugin interface
	 */
	plugin_t plugin;
};

#endif /** RW_DNS_PLUGIN_H_ @}*/
