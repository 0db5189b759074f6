/**
 * @defgroup rw_abi rw_abi
 * @{ @ingroup rw_plugins
 *
 * Guard against a plugin built with headers or a config.h that do not match the
 * running charon. A wrong config.h does not fail to compile: it silently changes
 * struct layouts (e.g. ME adds members to ike_sa_t and peer_cfg_t), so every plugin
 * checks at load time and refuses to load on a mismatch.
 */

#ifndef RW_ABI_H_
#define RW_ABI_H_

#include <library.h>

/**
 * Version the plugin was compiled for. Tests override it to provoke a mismatch.
 */
#ifndef RW_ABI_EXPECTED_VERSION
#define RW_ABI_EXPECTED_VERSION VERSION
#endif

/**
 * Check that the running strongSwan matches the headers this plugin was built with.
 *
 * Compares the version in the running daemon binary with RW_ABI_EXPECTED_VERSION
 * (a process that is not charon, e.g. a test harness, skips this part) and probes the
 * layouts of ike_sa_t and peer_cfg_t against objects created by libcharon.
 * Logs the result at DBG1.
 *
 * @param plugin	name of the plugin, for log lines
 * @return			TRUE if the plugin may load
 */
bool rw_abi_check(const char *plugin);

/**
 * Probe struct layouts only.
 *
 * @param err		receives a description of the first mismatch
 * @param len		size of err
 * @return			TRUE if all probes agree with the headers
 */
bool rw_abi_probe_layout(char *err, size_t len);

#endif /** RW_ABI_H_ @}*/
