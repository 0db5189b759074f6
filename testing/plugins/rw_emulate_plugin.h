/**
 * @defgroup rw_emulate rw_emulate
 * @ingroup rw_plugins
 *
 * @defgroup rw_emulate_plugin rw_emulate_plugin
 * @{ @ingroup rw_emulate
 *
 * Test-only plugin: makes a strongSwan client charon send what a recorded device
 * sends (charon.plugins.rw-emulate.profile = FILE) and model that device's
 * documented failures. Never installed.
 */

#ifndef RW_EMULATE_PLUGIN_H_
#define RW_EMULATE_PLUGIN_H_

#include <plugins/plugin.h>

typedef struct rw_emulate_plugin_t rw_emulate_plugin_t;

/**
 * rw-emulate plugin
 */
struct rw_emulate_plugin_t {

	/**
	 * implements plugin interface
	 */
	plugin_t plugin;
};

/**
 * Create the plugin (constructor called by the plugin loader)
 */
plugin_t *rw_emulate_plugin_create(void);

#endif /** RW_EMULATE_PLUGIN_H_ @}*/
