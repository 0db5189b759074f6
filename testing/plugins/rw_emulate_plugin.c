#include "rw_emulate_plugin.h"

#include <daemon.h>
#include <plugins/plugin_feature.h>

#include "../../plugins/common/rw_abi.h"
#include "rw_emulate_listener.h"
#include "rw_emulate_profile.h"

typedef struct private_rw_emulate_plugin_t private_rw_emulate_plugin_t;

/**
 * private data of rw-emulate plugin
 */
struct private_rw_emulate_plugin_t {

	/**
	 * implements plugin interface
	 */
	rw_emulate_plugin_t public;

	/**
	 * the device's behaviour on the bus
	 */
	rw_emulate_listener_t *listener;
};

METHOD(plugin_t, get_name, char*,
	private_rw_emulate_plugin_t *this)
{
	return "rw-emulate";
}

/**
 * Load the profile and register the listener; a profile that does not load
 * fails the plugin, so a scenario never runs a client that silently sends
 * charon's own messages
 */
static bool register_listener(private_rw_emulate_plugin_t *this,
							  plugin_feature_t *feature, bool reg, void *cb_data)
{
	rw_emulate_profile_t profile;
	char *file, err[256];
	bool inject;

	if (reg)
	{
		file = lib->settings->get_str(lib->settings,
							"%s.plugins.rw-emulate.profile", NULL, lib->ns);
		inject = lib->settings->get_bool(lib->settings,
							"%s.plugins.rw-emulate.inject_natd_dpd", FALSE, lib->ns);
		if (file)
		{
			if (!rw_emulate_profile_load(file, &profile, err, sizeof(err)))
			{
				DBG1(DBG_CFG, "rw-emulate: %s", err);
				return FALSE;
			}
			DBG1(DBG_CFG, "rw-emulate: emulating '%s' (%s) from '%s'",
				 profile.name, profile.family, file);
		}
		else
		{
			DBG1(DBG_CFG, "rw-emulate: no profile, logging reply attributes "
				 "only%s", inject ? ", adding NAT-D notifies to DPDs" : "");
		}
		this->listener = rw_emulate_listener_create(file ? &profile : NULL,
													inject);
		charon->bus->add_listener(charon->bus, &this->listener->listener);
	}
	else if (this->listener)
	{
		charon->bus->remove_listener(charon->bus, &this->listener->listener);
		this->listener->destroy(this->listener);
		this->listener = NULL;
	}
	return TRUE;
}

METHOD(plugin_t, get_features, int,
	private_rw_emulate_plugin_t *this, plugin_feature_t *features[])
{
	static plugin_feature_t f[] = {
		PLUGIN_CALLBACK((plugin_feature_callback_t)register_listener, NULL),
			PLUGIN_PROVIDE(CUSTOM, "rw-emulate"),
	};
	*features = f;
	return countof(f);
}

METHOD(plugin_t, destroy, void,
	private_rw_emulate_plugin_t *this)
{
	free(this);
}

/*
 * see header file
 */
plugin_t *rw_emulate_plugin_create()
{
	private_rw_emulate_plugin_t *this;

	if (!rw_abi_check("rw-emulate"))
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
