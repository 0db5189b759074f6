#include "rw_sqlite_plugin.h"

#include <daemon.h>
#include <plugins/plugin_feature.h>

#include "../common/rw_abi.h"

/** Default location of the store, shared with rwctl */
#define RW_SQLITE_DEFAULT_DB "/var/lib/strongswan/rw.db"

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
	 * path of the SQLite database
	 */
	char *database;
};

METHOD(plugin_t, get_name, char*,
	private_rw_sqlite_plugin_t *this)
{
	return "rw-sqlite";
}

/**
 * Read options and announce the plugin
 */
static bool register_store(private_rw_sqlite_plugin_t *this,
						   plugin_feature_t *feature, bool reg, void *cb_data)
{
	if (reg)
	{
		this->database = strdup(lib->settings->get_str(lib->settings,
							"%s.plugins.rw-sqlite.database", RW_SQLITE_DEFAULT_DB,
							lib->ns));
		DBG1(DBG_CFG, "rw-sqlite: active, database '%s'", this->database);
	}
	else
	{
		DBG2(DBG_CFG, "rw-sqlite: inactive");
		free(this->database);
		this->database = NULL;
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
	free(this->database);
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
