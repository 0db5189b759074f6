/**
 * @defgroup rw_quirks rw_quirks
 * @ingroup rw_plugins
 *
 * @defgroup rw_quirks_plugin rw_quirks_plugin
 * @{ @ingroup rw_quirks
 */

#ifndef RW_QUIRKS_PLUGIN_H_
#define RW_QUIRKS_PLUGIN_H_

#include <plugins/plugin.h>

typedef struct rw_quirks_plugin_t rw_quirks_plugin_t;

/**
 * Recognises each client's family from what it sends and applies that family's
 * quirks, per IKE_SA; publishes the family for the other rw-* plugins.
 */
struct rw_quirks_plugin_t {

	/**
	 * implements plugin interface
	 */
	plugin_t plugin;
};

#endif /** RW_QUIRKS_PLUGIN_H_ @}*/
