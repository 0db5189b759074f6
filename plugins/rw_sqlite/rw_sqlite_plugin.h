/**
 * @defgroup rw_sqlite rw_sqlite
 * @ingroup rw_plugins
 *
 * @defgroup rw_sqlite_plugin rw_sqlite_plugin
 * @{ @ingroup rw_sqlite
 */

#ifndef RW_SQLITE_PLUGIN_H_
#define RW_SQLITE_PLUGIN_H_

#include <plugins/plugin.h>

typedef struct rw_sqlite_plugin_t rw_sqlite_plugin_t;

/**
 * Road-warrior users, pools, leases and sessions served from an SQLite store.
 */
struct rw_sqlite_plugin_t {

	/**
	 * implements plugin interface
	 */
	plugin_t plugin;
};

#endif /** RW_SQLITE_PLUGIN_H_ @}*/
