/* rw-abi-check [CHARON]: check that the headers and config.h this project is built
 * with match the installed charon (version and struct layouts). Exit 0 if they do. */
#include <stdio.h>

#include <daemon.h>

#include <rw_version.h>
#include "../../plugins/common/rw_abi.h"

int main(int argc, char *argv[])
{
	const char *charon_path = argc > 1 ? argv[1] : RW_IPSECDIR "/charon";
	char installed[RW_VERSION_MAX], err[256];
	bool ok;

	if (rw_version_find_in_file(charon_path, installed, sizeof(installed)) != 0)
	{
		fprintf(stderr, "rw-abi-check: no strongSwan version found in %s\n",
				charon_path);
		return 1;
	}
	if (!streq(installed, VERSION))
	{
		fprintf(stderr, "rw-abi-check: headers are strongSwan %s but %s is "
				"strongSwan %s\n", VERSION, charon_path, installed);
		return 1;
	}
	if (!library_init(NULL, "charon") || !libcharon_init())
	{
		fprintf(stderr, "rw-abi-check: cannot initialize libstrongswan/libcharon\n");
		return 1;
	}
	ok = rw_abi_probe_layout(err, sizeof(err));
	if (!ok)
	{
		fprintf(stderr, "rw-abi-check: %s\n", err);
		/* no deinit: with a wrong layout it would read the wrong members */
		return 1;
	}
	libcharon_deinit();
	library_deinit();
	printf("rw-abi-check: headers match %s (strongSwan %s, ike_sa_t %zu bytes, "
		   "peer_cfg_t %zu bytes)\n", charon_path, installed, sizeof(ike_sa_t),
		   sizeof(peer_cfg_t));
	return 0;
}
