#include "rw_sqlite_plugin.h"

#include <daemon.h>
#include <plugins/plugin_feature.h>

#include "../common/rw_abi.h"
#include "rw_sqlite_accounting.h"
#include "rw_sqlite_creds.h"
#include "rw_sqlite_db.h"
#include "rw_sqlite_dns.h"
#include "rw_sqlite_provider.h"

typedef struct private_rw_sqlite_plugin_t private_rw_sqlite_plugin_t;

/**
 * private data of rw-sqlite plugin
 */
struct private_rw_sqlite_plugin_t {

	/**
	 * implements plugin interface
	 */
	rw_sqlite_plugin_t public;

	/**
	 * connection to the store
	 */
	rw_sqlite_db_t *db;

	/**
	 * NT hashes for EAP-MSCHAPv2
	 */
	rw_sqlite_creds_t *creds;

	/**
	 * virtual IPs
	 */
	rw_sqlite_provider_t *provider;

	/**
	 * sessions and live enforcement
	 */
	rw_sqlite_accounting_t *accounting;

	/**
	 * DNS settings of pools and users, for rw-dns
	 */
	rw_sqlite_dns_t *dns;
};

METHOD(plugin_t, get_name, char*,
	private_rw_sqlite_plugin_t *this)
{
	return "rw-sqlite";
}

/**
 * Open the store, repair it after a crash, register credentials, pools and
 * accounting
 */
static bool register_store(private_rw_sqlite_plugin_t *this,
						   plugin_feature_t *feature, bool reg, void *cb_data)
{
	if (reg)
	{
		this->db = rw_sqlite_db_create();
		this->creds = rw_sqlite_creds_create(this->db);
		this->provider = rw_sqlite_provider_create(this->db);
		this->accounting = rw_sqlite_accounting_create(this->db);
		this->dns = rw_sqlite_dns_create(this->db);
		if (lib->settings->get_bool(lib->settings,
								"%s.plugins.rw-sqlite.crash_recovery", TRUE, lib->ns))
		{
			this->accounting->recover(this->accounting);
		}
		lib->credmgr->add_set(lib->credmgr, &this->creds->set);
		charon->attributes->add_provider(charon->attributes,
										 &this->provider->provider);
		charon->bus->add_listener(charon->bus, &this->accounting->listener);
		this->accounting->start(this->accounting);
		lib->set(lib, RW_STORE_DNS, &this->dns->lookup);
		DBG1(DBG_CFG, "rw-sqlite: active, database '%s', gateway '%s'",
			 this->db->get_path(this->db), this->db->get_gateway(this->db));
	}
	else
	{
		lib->set(lib, RW_STORE_DNS, NULL);
		charon->bus->remove_listener(charon->bus, &this->accounting->listener);
		charon->attributes->remove_provider(charon->attributes,
											&this->provider->provider);
		lib->credmgr->remove_set(lib->credmgr, &this->creds->set);
		this->accounting->destroy(this->accounting);
		this->dns->destroy(this->dns);
		this->provider->destroy(this->provider);
		this->creds->destroy(this->creds);
		this->db->destroy(this->db);
		DBG2(DBG_CFG, "rw-sqlite: inactive");
	}
	return TRUE;
}

METHOD(plugin_t, get_features, int,
	private_rw_sqlite_plugin_t *this, plugin_feature_t *features[])
{
	static plugin_feature_t f[] = {
		PLUGIN_CALLBACK((plugin_feature_callback_t)register_store, NULL),
			PLUGIN_PROVIDE(CUSTOM, "rw-sqlite"),
	};
	*features = f;
	return countof(f);
}

METHOD(plugin_t, destroy, void,
	private_rw_sqlite_plugin_t *this)
{
	free(this);
}

/*
 * see header file
 */
plugin_t *rw_sqlite_plugin_create()
{
	private_rw_sqlite_plugin_t *this;

	if (!rw_abi_check("rw-sqlite"))
	{
		return NULL;
	}

	INIT(this,
		.public = {
			.plugin = {
				.get_name = _get_name,
				.get_features = _get_features,
				.destroy = _destroy,
			},
		},
	);

	return &this->public.plugin;
}
