#include "rw_dns_plugin.h"

#include <daemon.h>
#include <plugins/plugin_feature.h>

#include "../common/rw_abi.h"
#include "rw_dns_handler.h"

typedef struct private_rw_dns_plugin_t private_rw_dns_plugin_t;

/**
 * private data of rw-dns plugin
 */
struct private_rw_dns_plugin_t {

	/**
	 * implements plugin interface
	 */
	rw_dns_plugin_t public;

	/**
	 * attribute provider and listener
	 */
	rw_dns_handler_t *handler;
};

METHOD(plugin_t, get_name, char*,
	private_rw_dns_plugin_t *this)
{
	return "rw-dns";
}

/**
 * Register the attribute provider and the listener
 */
static bool register_handler(private_rw_dns_plugin_t *this,
							 plugin_feature_t *feature, bool reg, void *cb_data)
{
	if (reg)
	{
		this->handler = rw_dns_handler_create();
		charon->attributes->add_provider(charon->attributes,
										 &this->handler->provider);
		charon->bus->add_listener(charon->bus, &this->handler->listener);
	}
	else
	{
		charon->bus->remove_listener(charon->bus, &this->handler->listener);
		charon->attributes->remove_provider(charon->attributes,
											&this->handler->provider);
		this->handler->destroy(this->handler);
		this->handler = NULL;
	}
	return TRUE;
}

METHOD(plugin_t, get_features, int,
	private_rw_dns_plugin_t *this, plugin_feature_t *features[])
{
	static plugin_feature_t f[] = {
		PLUGIN_CALLBACK((plugin_feature_callback_t)register_handler, NULL),
			PLUGIN_PROVIDE(CUSTOM, "rw-dns"),
				/* after rw-quirks, so the split networks narrow the traffic
				 * selectors it completed (::/0 for Apple) */
				PLUGIN_SDEPEND(CUSTOM, "rw-quirks"),
				PLUGIN_SDEPEND(CUSTOM, "rw-sqlite"),
	};
	*features = f;
	return countof(f);
}

METHOD(plugin_t, reload, bool,
	private_rw_dns_plugin_t *this)
{
	if (this->handler)
	{
		this->handler->reload(this->handler);
	}
	return TRUE;
}

METHOD(plugin_t, destroy, void,
	private_rw_dns_plugin_t *this)
{
	free(this);
}

/*
 * see header file
 */
plugin_t *rw_dns_plugin_create()
{
	private_rw_dns_plugin_t *this;

	if (!rw_abi_check("rw-dns"))
	{
		return NULL;
	}

	INIT(this,
		.public = {
			.plugin = {
				.get_name = _get_name,
				.get_features = _get_features,
				.reload = _reload,
				.destroy = _destroy,
			},
		},
	);

	return &this->public.plugin;
}
