#include "rw_quirks_plugin.h"

#include <daemon.h>
#include <plugins/plugin_feature.h>

#include <rw_classify.h>
#include <rw_quirks.h>

#include "../common/rw_abi.h"
#include "../common/rw_client.h"
#include "rw_quirks_config.h"
#include "rw_quirks_listener.h"
#include "rw_quirks_selfcheck.h"

/** default seconds between certificate self-checks */
#define SELFCHECK_INTERVAL 10

typedef struct private_rw_quirks_plugin_t private_rw_quirks_plugin_t;

/**
 * private data of rw-quirks plugin
 */
struct private_rw_quirks_plugin_t {

	/**
	 * implements plugin interface
	 */
	rw_quirks_plugin_t public;

	/**
	 * classifier with the configured rules
	 */
	rw_classifier_t *classifier;

	/**
	 * quirks per family
	 */
	rw_quirk_table_t *table;

	/**
	 * classifies clients and applies quirks
	 */
	rw_quirks_listener_t *listener;

	/**
	 * certificate self-check
	 */
	rw_quirks_selfcheck_t *selfcheck;
};

METHOD(plugin_t, get_name, char*,
	private_rw_quirks_plugin_t *this)
{
	return "rw-quirks";
}

/**
 * One line per family with what it gets, at DBG2
 */
static void log_quirks(private_rw_quirks_plugin_t *this)
{
	const rw_quirks_t *q;
	const char *family;
	int i;

	for (i = 0; (family = rw_quirk_table_family(this->table, i)); i++)
	{
		q = rw_quirk_table_get(this->table, family);
		DBG2(DBG_CFG, "rw-quirks: %s: send_cert=%d strip_legacy=%d legacy=%d "
			 "strip_modp1536=%d shape_esp=%d dpd_without_natd=%d "
			 "ipv6_default_route=%d no_reauth=%d dpd_delay=%u", family,
			 q->send_cert, q->strip_legacy, q->legacy, q->strip_modp1536,
			 q->shape_esp, q->dpd_without_natd, q->ipv6_default_route,
			 q->no_reauth, q->dpd_delay);
	}
}

/**
 * Set up the classifier, the quirks and the listener; publish the registry
 */
static bool register_quirks(private_rw_quirks_plugin_t *this,
							plugin_feature_t *feature, bool reg, void *cb_data)
{
	u_int interval;

	if (reg)
	{
		this->classifier = rw_classifier_create();
		this->table = rw_quirk_table_create();
		if (!this->classifier || !this->table)
		{
			DBG1(DBG_CFG, "rw-quirks: out of memory");
			if (this->classifier)
			{
				rw_classifier_destroy(this->classifier);
			}
			rw_quirk_table_destroy(this->table);
			this->classifier = NULL;
			this->table = NULL;
			return FALSE;
		}
		rw_quirks_config_load_rules(this->classifier);
		rw_quirks_config_load_families(this->table);
		log_quirks(this);
		this->listener = rw_quirks_listener_create(this->classifier, this->table);
		charon->bus->add_listener(charon->bus, &this->listener->listener);
		if (!lib->set(lib, RW_CLIENT_REGISTRY, &this->listener->registry))
		{
			DBG1(DBG_CFG, "rw-quirks: another client registry is registered");
		}
		interval = lib->settings->get_time(lib->settings,
							"%s.plugins.rw-quirks.selfcheck_interval",
							SELFCHECK_INTERVAL, lib->ns);
		this->selfcheck = rw_quirks_selfcheck_create(interval);
		DBG1(DBG_CFG, "rw-quirks: active, classifying clients, certificate "
			 "self-check every %us", interval);
	}
	else if (this->listener)
	{
		this->selfcheck->destroy(this->selfcheck);
		if (lib->get(lib, RW_CLIENT_REGISTRY) == &this->listener->registry)
		{
			lib->set(lib, RW_CLIENT_REGISTRY, NULL);
		}
		charon->bus->remove_listener(charon->bus, &this->listener->listener);
		this->listener->destroy(this->listener);
		rw_quirk_table_destroy(this->table);
		rw_classifier_destroy(this->classifier);
		this->listener = NULL;
		DBG2(DBG_CFG, "rw-quirks: inactive");
	}
	return TRUE;
}

METHOD(plugin_t, get_features, int,
	private_rw_quirks_plugin_t *this, plugin_feature_t *features[])
{
	static plugin_feature_t f[] = {
		PLUGIN_CALLBACK((plugin_feature_callback_t)register_quirks, NULL),
			PLUGIN_PROVIDE(CUSTOM, "rw-quirks"),
	};
	*features = f;
	return countof(f);
}

METHOD(plugin_t, destroy, void,
	private_rw_quirks_plugin_t *this)
{
	free(this);
}

/*
 * see header file
 */
plugin_t *rw_quirks_plugin_create()
{
	private_rw_quirks_plugin_t *this;

	if (!rw_abi_check("rw-quirks"))
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
