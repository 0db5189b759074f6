#include "rw_abi.h"

#include <daemon.h>
#include <config/peer_cfg.h>
#include <sa/ike_sa.h>

#include <rw_version.h>

/* Mirrors of the first private members behind the public interfaces, as in
 * 5.9.x ike_sa.c and peer_cfg.c. If our idea of sizeof(public) is wrong, the
 * member read here is not the one libcharon stored. */
typedef struct {
	ike_sa_t public;
	ike_sa_id_t *ike_sa_id;
} ike_sa_probe_t;

typedef struct {
	peer_cfg_t public;
	refcount_t refcount;
	char *name;
} peer_cfg_probe_t;

static bool probe_ike_sa(char *err, size_t len)
{
	ike_sa_id_t *id;
	ike_sa_t *ike_sa;
	bool ok;

	id = ike_sa_id_create(IKEV2, 0x0102030405060708ULL, 0, FALSE);
	ike_sa = ike_sa_create(id, FALSE, IKEV2);
	id->destroy(id);
	if (!ike_sa)
	{
		snprintf(err, len, "could not create an IKE_SA to probe");
		return FALSE;
	}
	ok = ((ike_sa_probe_t*)ike_sa)->ike_sa_id == ike_sa->get_id(ike_sa);
	if (ok)
	{
		ike_sa->destroy(ike_sa);
	}
	else
	{
		/* the vtable is misaligned: calling destroy() could run anything, so
		 * this probe object is leaked on purpose */
		snprintf(err, len, "ike_sa_t layout differs (headers say %zu bytes; "
				 "config.h does not match this charon, e.g. ME/mediation)",
				 sizeof(ike_sa_t));
	}
	return ok;
}

static bool probe_peer_cfg(char *err, size_t len)
{
	ike_cfg_create_t ike = {
		.version = IKEV2,
		.local = "%any",
		.remote = "%any",
		.local_port = IKEV2_UDP_PORT,
		.remote_port = IKEV2_UDP_PORT,
	};
	peer_cfg_create_t peer = {
		.unique = UNIQUE_NO,
	};
	peer_cfg_t *cfg;
	bool ok;

	cfg = peer_cfg_create("rw-abi-probe", ike_cfg_create(&ike), &peer);
	ok = ((peer_cfg_probe_t*)cfg)->name == cfg->get_name(cfg);
	if (ok)
	{
		cfg->destroy(cfg);
	}
	else
	{
		snprintf(err, len, "peer_cfg_t layout differs (headers say %zu bytes; "
				 "config.h does not match this charon, e.g. ME/mediation)",
				 sizeof(peer_cfg_t));
	}
	return ok;
}

bool rw_abi_probe_layout(char *err, size_t len)
{
	return probe_peer_cfg(err, len) && probe_ike_sa(err, len);
}

bool rw_abi_check(const char *plugin)
{
	char running[RW_VERSION_MAX], err[256];

	if (rw_version_find_in_file("/proc/self/exe", running, sizeof(running)) == 0)
	{
		if (!streq(running, RW_ABI_EXPECTED_VERSION))
		{
			DBG1(DBG_LIB, "%s: built for strongSwan %s but running in strongSwan "
				 "%s, refusing to load (rebuild against the %s source)", plugin,
				 RW_ABI_EXPECTED_VERSION, running, running);
			return FALSE;
		}
	}
	else
	{
		snprintf(running, sizeof(running), "unknown");
		DBG2(DBG_LIB, "%s: no strongSwan version in this executable, checking "
			 "layouts only", plugin);
	}
	if (!rw_abi_probe_layout(err, sizeof(err)))
	{
		DBG1(DBG_LIB, "%s: ABI mismatch with strongSwan %s: %s, refusing to load",
			 plugin, running, err);
		return FALSE;
	}
	DBG1(DBG_LIB, "%s: ABI check passed (built for strongSwan %s, running %s, "
		 "ike_sa_t %zu and peer_cfg_t %zu bytes)", plugin, RW_ABI_EXPECTED_VERSION,
		 running, sizeof(ike_sa_t), sizeof(peer_cfg_t));
	return TRUE;
}
