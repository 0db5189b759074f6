/* Test-only plugin: the ABI guard of our plugins, compiled as if for another
 * strongSwan version. charon must refuse it with a clear log line and go on. */
#include <plugins/plugin.h>

#include "../../plugins/common/rw_abi.h"

plugin_t *rw_abi_mismatch_plugin_create(void);

plugin_t *rw_abi_mismatch_plugin_create()
{
	if (!rw_abi_check("rw-abi-mismatch"))
	{
		return NULL;
	}
	/* unreachable while the version differs */
	return NULL;
}
