#include "rw_dns_handler.h"

#include <daemon.h>
#include <collections/array.h>
#include <collections/hashtable.h>
#include <encoding/payloads/cp_payload.h>
#include <threading/mutex.h>
#include <threading/rwlock.h>

#include <rw_dns.h>

#include "../common/rw_client.h"
#include "../common/rw_host.h"
#include "../common/rw_store_dns.h"

typedef struct private_rw_dns_handler_t private_rw_dns_handler_t;

/** attribute 25 has no name in strongSwan 5.9 */
#define INTERNAL_DNS_DOMAIN 25

/** longest list of families in an option */
#define FAMILIES_MAX 256

/** the handler behind its listener interface (the provider comes first) */
#define LISTENER_THIS(listener) \
	((private_rw_dns_handler_t*)((char*)(listener) - \
		offsetof(private_rw_dns_handler_t, public.listener)))

struct private_rw_dns_handler_t {

	/**
	 * Public interface
	 */
	rw_dns_handler_t public;

	/**
	 * Connection name => rw_dns_conf_t*, from strongswan.conf
	 */
	hashtable_t *conns;

	/**
	 * Families that get INTERNAL_DNS_DOMAIN even without asking for it
	 */
	char domain_families[FAMILIES_MAX];

	/**
	 * Families whose traffic selectors are narrowed to the split networks
	 */
	char split_families[FAMILIES_MAX];

	/**
	 * Protects conns and the options
	 */
	rwlock_t *lock;

	/**
	 * IKE_SA unique id => client_t*
	 */
	hashtable_t *clients;

	/**
	 * Protects clients
	 */
	mutex_t *mutex;
};

/**
 * What we know about one IKE_SA's client
 */
typedef struct {
	/** unique id of the IKE_SA */
	uintptr_t id;
	/** configuration request attribute types < 64 the client sent, as bits */
	uint64_t requested;
	/** settings resolved (conf may still be NULL: nothing set anywhere) */
	bool resolved;
	/** effective settings, NULL if none */
	rw_dns_conf_t *conf;
	/** whose settings: user and pool names for the log */
	char user[RW_NAME_MAX + 1];
	char pool[RW_POOL_NAME_MAX + 1];
	char family[RW_FAMILY_LEN];
	/** logged what was sent (attributes, traffic selectors) */
	bool logged_attrs;
	bool logged_ts;
} client_t;

static void client_destroy(client_t *client)
{
	free(client->conf);
	free(client);
}

static bool requested(client_t *client, int type)
{
	return type < 64 && (client->requested & (1ULL << type));
}

/** Is family in a list of families ("apple windows", "all") */
static bool family_in(const char *list, const char *family)
{
	size_t len = strlen(family);
	const char *pos = list;

	while (*pos)
	{
		pos += strspn(pos, ", \t");
		if ((strncmp(pos, family, len) == 0 && strchr(", \t", pos[len])) ||
			(strncmp(pos, "all", 3) == 0 && strchr(", \t", pos[3])))
		{
			return TRUE;
		}
		pos += strcspn(pos, ", \t");
	}
	return FALSE;
}

/* one DBG1 line per invalid value in strongswan.conf, at load and reload */
static void log_skipped(void *ctx, const char *msg)
{
	DBG1(DBG_CFG, "rw-dns: connection '%s': %s, skipped", (char*)ctx, msg);
}

/**
 * Read the connections section of the options
 */
static hashtable_t *load_conns()
{
	enumerator_t *enumerator;
	hashtable_t *conns;
	rw_dns_conf_t *conf;
	rw_error_t err;
	char *name, *value;
	int field;

	conns = hashtable_create(hashtable_hash_str, hashtable_equals_str, 8);
	enumerator = lib->settings->create_section_enumerator(lib->settings,
									"%s.plugins.rw-dns.connections", lib->ns);
	while (enumerator->enumerate(enumerator, &name))
	{
		INIT(conf);
		for (field = 0; field < RW_DNS_FIELDS; field++)
		{
			value = lib->settings->get_str(lib->settings,
							"%s.plugins.rw-dns.connections.%s.%s", NULL, lib->ns,
							name, rw_dns_field_name(field));
			if (value)
			{
				rw_dns_parse_lenient(conf, field, value, log_skipped, name);
			}
		}
		if (rw_dns_check(conf, &err) != RW_OK)
		{
			DBG1(DBG_CFG, "rw-dns: connection '%s': %s; tunnelling the server's "
				 "address too", name, err.msg);
		}
		free(conns->put(conns, strdup(name), conf));
	}
	enumerator->destroy(enumerator);
	return conns;
}

static void destroy_conns(hashtable_t *conns)
{
	enumerator_t *enumerator;
	rw_dns_conf_t *conf;
	char *name;

	enumerator = conns->create_enumerator(conns);
	while (enumerator->enumerate(enumerator, &name, &conf))
	{
		free(name);
		free(conf);
	}
	enumerator->destroy(enumerator);
	conns->destroy(conns);
}

METHOD(rw_dns_handler_t, reload, void,
	private_rw_dns_handler_t *this)
{
	hashtable_t *conns, *old;

	conns = load_conns();
	this->lock->write_lock(this->lock);
	old = this->conns;
	this->conns = conns;
	snprintf(this->domain_families, sizeof(this->domain_families), "%s",
			 lib->settings->get_str(lib->settings, "%s.plugins.rw-dns.domain_families",
									"apple", lib->ns));
	snprintf(this->split_families, sizeof(this->split_families), "%s",
			 lib->settings->get_str(lib->settings, "%s.plugins.rw-dns.split_families",
									"apple android-native strongswan unknown",
									lib->ns));
	this->lock->unlock(this->lock);
	if (old)
	{
		destroy_conns(old);
	}
	DBG1(DBG_CFG, "rw-dns: settings for %u connection%s", conns->get_count(conns),
		 conns->get_count(conns) == 1 ? "" : "s");
}

/**
 * Get (create) the client entry of an IKE_SA; the mutex must be held
 */
static client_t *get_client(private_rw_dns_handler_t *this, ike_sa_t *ike_sa)
{
	uintptr_t id = ike_sa->get_unique_id(ike_sa);
	client_t *client;

	client = this->clients->get(this->clients, (void*)id);
	if (!client)
	{
		INIT(client,
			.id = id,
		);
		this->clients->put(this->clients, (void*)id, client);
	}
	return client;
}

static const char *whose(client_t *client, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s (%s)", client->user[0] ? "user '" : "",
			 client->user[0] ? client->user : "client",
			 client->user[0] ? "'" : "", client->family);
	return buf;
}

/**
 * Resolve the effective settings of a client once per IKE_SA: user over pool over
 * connection. The store is asked only when with_store is set, by the attribute
 * provider: listener hooks run under charon's bus lock, where a database that is
 * locked by rwctl would stall every thread. Returns the client entry (mutex held,
 * release with unlock), NULL if no level sets anything (mutex released).
 */
static client_t *resolve(private_rw_dns_handler_t *this, ike_sa_t *ike_sa,
						 bool with_store)
{
	rw_dns_conf_t *user, *pool, *conn = NULL, *eff;
	const rw_dns_conf_t *levels[3];
	char user_name[RW_NAME_MAX + 1] = "", pool_name[RW_POOL_NAME_MAX + 1] = "";
	char who[RW_NAME_MAX + 64];
	int source[RW_DNS_FIELDS], field;
	rw_store_dns_t *store = NULL;
	peer_cfg_t *peer_cfg;
	client_t *client;
	bool any = FALSE, store_failed = FALSE;

	this->mutex->lock(this->mutex);
	client = get_client(this, ike_sa);
	if (client->resolved)
	{
		if (client->conf)
		{
			return client;
		}
		this->mutex->unlock(this->mutex);
		return NULL;
	}
	this->mutex->unlock(this->mutex);

	/* look up outside the mutex: the store may take a while */
	user = calloc(1, sizeof(*user));
	pool = calloc(1, sizeof(*pool));
	eff = calloc(1, sizeof(*eff));
	if (with_store)
	{
		store = lib->get(lib, RW_STORE_DNS);
	}
	if (store && !store->get(store, ike_sa, user, user_name, pool, pool_name))
	{	/* rw-sqlite logged why; the client still gets the connection's settings */
		store_failed = TRUE;
		memset(user, 0, sizeof(*user));
		memset(pool, 0, sizeof(*pool));
	}
	peer_cfg = ike_sa->get_peer_cfg(ike_sa);
	this->lock->read_lock(this->lock);
	if (peer_cfg)
	{
		conn = this->conns->get(this->conns, peer_cfg->get_name(peer_cfg));
	}
	levels[0] = user;
	levels[1] = pool;
	levels[2] = conn;
	rw_dns_merge(levels, 3, eff, source);
	this->lock->unlock(this->lock);
	free(user);
	free(pool);
	for (field = 0; field < RW_DNS_FIELDS; field++)
	{
		any |= source[field] >= 0;
	}

	this->mutex->lock(this->mutex);
	client = get_client(this, ike_sa);
	if (client->resolved)
	{	/* resolved meanwhile */
		free(eff);
	}
	else
	{
		client->resolved = TRUE;
		client->conf = any ? eff : NULL;
		if (!any)
		{
			free(eff);
		}
		snprintf(client->user, sizeof(client->user), "%s", user_name);
		snprintf(client->pool, sizeof(client->pool), "%s", pool_name);
		rw_client_family(ike_sa, client->family, sizeof(client->family));
		if (store_failed)
		{
			DBG1(DBG_CFG, "rw-dns: store unavailable, %s gets the connection's DNS "
				 "settings only", whose(client, who, sizeof(who)));
		}
	}
	if (!client->conf)
	{
		this->mutex->unlock(this->mutex);
		return NULL;
	}
	return client;
}

/**
 * Attribute to send
 */
typedef struct {
	configuration_attribute_type_t type;
	chunk_t value;
} attribute_t;

/**
 * Enumerate attributes of an array, freeing them with the enumerator
 */
typedef struct {
	enumerator_t public;
	array_t *attributes;
	int i;
} attribute_enumerator_t;

METHOD(enumerator_t, enumerate_attributes, bool,
	attribute_enumerator_t *this, va_list args)
{
	configuration_attribute_type_t *type;
	attribute_t *attribute;
	chunk_t *value;

	VA_ARGS_VGET(args, type, value);
	if (array_get(this->attributes, this->i, &attribute))
	{
		this->i++;
		*type = attribute->type;
		*value = attribute->value;
		return TRUE;
	}
	return FALSE;
}

static void attribute_destroy(attribute_t *attribute)
{
	free(attribute->value.ptr);
	free(attribute);
}

METHOD(enumerator_t, destroy_attributes, void,
	attribute_enumerator_t *this)
{
	array_destroy_function(this->attributes, (void*)attribute_destroy, NULL);
	free(this);
}

static void add_attribute(array_t *attributes, configuration_attribute_type_t type,
						  chunk_t value)
{
	attribute_t *attribute;

	INIT(attribute,
		.type = type,
		.value = chunk_clone(value),
	);
	array_insert(attributes, ARRAY_TAIL, attribute);
}

/* append to a log line, keeping it terminated when full */
static void append(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list args;

	if (used + 1 < len)
	{
		va_start(args, fmt);
		vsnprintf(buf + used, len - used, fmt, args);
		va_end(args);
	}
}


METHOD(attribute_provider_t, create_attribute_enumerator, enumerator_t*,
	private_rw_dns_handler_t *this, linked_list_t *pools, ike_sa_t *ike_sa,
	linked_list_t *vips)
{
	attribute_enumerator_t *enumerator;
	client_t *client;
	rw_dns_conf_t *conf;
	array_t *attributes;
	bool want4, want6, want_domain, domain_family;
	char line[512] = "", addr[RW_ADDR_STRLEN], who[RW_NAME_MAX + 64];
	unsigned i;

	client = resolve(this, ike_sa, TRUE);
	if (!client)
	{
		return enumerator_create_empty();
	}
	conf = client->conf;
	/* IPv6 DNS servers are useless to a client without IPv6 in the tunnel */
	want4 = requested(client, INTERNAL_IP4_ADDRESS) || requested(client, INTERNAL_IP4_DNS);
	want6 = requested(client, INTERNAL_IP6_ADDRESS) || requested(client, INTERNAL_IP6_DNS);
	this->lock->read_lock(this->lock);
	domain_family = family_in(this->domain_families, client->family);
	this->lock->unlock(this->lock);
	want_domain = requested(client, INTERNAL_DNS_DOMAIN) || domain_family;

	attributes = array_create(0, 0);
	for (i = 0; i < conf->n_servers; i++)
	{
		if (conf->servers[i].family == 4 ? !want4 : !want6)
		{
			continue;
		}
		append(line, sizeof(line), "%s%s", array_count(attributes) ? " " : " DNS ",
			   rw_addr_format(&conf->servers[i], addr, sizeof(addr)));
		add_attribute(attributes, conf->servers[i].family == 4 ? INTERNAL_IP4_DNS
															   : INTERNAL_IP6_DNS,
					  chunk_create(conf->servers[i].b, rw_addr_len(&conf->servers[i])));
	}
	if (conf->n_domains)
	{
		if (want_domain)
		{
			for (i = 0; i < conf->n_domains; i++)
			{
				add_attribute(attributes, INTERNAL_DNS_DOMAIN,
							  chunk_from_str(conf->domains[i]));
				append(line, sizeof(line), "%s%s", i ? " " : line[0] ? ", domains "
					   : " domains ", conf->domains[i]);
			}
			append(line, sizeof(line), " (%s)", requested(client, INTERNAL_DNS_DOMAIN)
					   ? "requested" : "family uses them");
		}
		else
		{
			append(line, sizeof(line), "%sno domains (not requested)",
				   line[0] ? ", " : " ");
		}
	}
	if (!client->logged_attrs)
	{
		client->logged_attrs = TRUE;
		DBG1(DBG_CFG, "rw-dns: to %s%s%s%s:%s", whose(client, who, sizeof(who)),
			 client->pool[0] ? ", pool '" : "", client->pool,
			 client->pool[0] ? "'" : "", line[0] ? line : " nothing requested");
	}
	this->mutex->unlock(this->mutex);

	INIT(enumerator,
		.public = {
			.enumerate = enumerator_enumerate_default,
			.venumerate = _enumerate_attributes,
			.destroy = _destroy_attributes,
		},
		.attributes = attributes,
	);
	return &enumerator->public;
}

METHOD(listener_t, message, bool,
	listener_t *listener, ike_sa_t *ike_sa, message_t *message,
	bool incoming, bool plain)
{
	private_rw_dns_handler_t *this = LISTENER_THIS(listener);
	enumerator_t *enumerator;
	configuration_attribute_t *attribute;
	cp_payload_t *cp;
	client_t *client;
	uint64_t types = 0;
	int type;

	if (!incoming || !plain || !message->get_request(message) ||
		message->get_exchange_type(message) != IKE_AUTH)
	{
		return TRUE;
	}
	cp = (cp_payload_t*)message->get_payload(message, PLV2_CONFIGURATION);
	if (!cp || cp->get_type(cp) != CFG_REQUEST)
	{
		return TRUE;
	}
	enumerator = cp->create_attribute_enumerator(cp);
	while (enumerator->enumerate(enumerator, &attribute))
	{
		type = attribute->get_type(attribute);
		if (type < 64)
		{
			types |= 1ULL << type;
		}
	}
	enumerator->destroy(enumerator);
	this->mutex->lock(this->mutex);
	client = get_client(this, ike_sa);
	client->requested |= types;
	this->mutex->unlock(this->mutex);
	return TRUE;
}

/**
 * Add the part of ts inside net to list (if any)
 */
static void add_subset(linked_list_t *list, traffic_selector_t *ts, rw_cidr_t *net)
{
	traffic_selector_t *split, *subset;
	host_t *host;

	host = rw_host_of(&net->net);
	split = host ? traffic_selector_create_from_subnet(host, net->prefix, 0, 0, 65535)
				 : NULL;
	if (!split)
	{
		return;
	}
	subset = ts->get_subset(ts, split);
	split->destroy(split);
	if (subset)
	{
		list->insert_last(list, subset);
	}
}

METHOD(listener_t, narrow, bool,
	listener_t *listener, ike_sa_t *ike_sa, child_sa_t *child_sa,
	narrow_hook_t type, linked_list_t *local, linked_list_t *remote)
{
	private_rw_dns_handler_t *this = LISTENER_THIS(listener);
	enumerator_t *enumerator;
	traffic_selector_t *ts;
	linked_list_t *narrowed;
	rw_dns_conf_t *conf;
	client_t *client;
	rw_cidr_t host;
	bool split_family;
	char who[RW_NAME_MAX + 64], net[RW_DNS_MAX_SPLIT * 48];
	unsigned i, j;

	/* the TSr we answer with, and the TSi we propose when rekeying a CHILD_SA
	 * ourselves (built afresh from the connection's local_ts) */
	if (type != NARROW_RESPONDER && type != NARROW_INITIATOR_PRE_AUTH)
	{
		return TRUE;
	}
	client = resolve(this, ike_sa, FALSE);
	if (!client)
	{
		return TRUE;
	}
	conf = client->conf;
	if (!conf->n_split)
	{	/* full tunnel */
		this->mutex->unlock(this->mutex);
		return TRUE;
	}
	this->lock->read_lock(this->lock);
	split_family = family_in(this->split_families, client->family);
	this->lock->unlock(this->lock);
	if (!split_family)
	{
		if (!client->logged_ts)
		{
			client->logged_ts = TRUE;
			DBG1(DBG_CFG, "rw-dns: %s gets the full traffic selectors: this family "
				 "routes by its own settings (split_families)",
				 whose(client, who, sizeof(who)));
		}
		this->mutex->unlock(this->mutex);
		return TRUE;
	}

	narrowed = linked_list_create();
	enumerator = local->create_enumerator(local);
	while (enumerator->enumerate(enumerator, &ts))
	{
		for (i = 0; i < conf->n_split; i++)
		{
			add_subset(narrowed, ts, &conf->split[i]);
		}
		/* DNS servers outside the split networks: tunnel them too, or split DNS
		 * queries would bypass the tunnel */
		for (i = 0; i < conf->n_servers; i++)
		{
			for (j = 0; j < conf->n_split; j++)
			{
				if (rw_cidr_contains(&conf->split[j], &conf->servers[i]))
				{
					break;
				}
			}
			if (j == conf->n_split)
			{
				host = (rw_cidr_t){
					.net = conf->servers[i],
					.prefix = conf->servers[i].family == 4 ? 32 : 128,
				};
				add_subset(narrowed, ts, &host);
			}
		}
	}
	enumerator->destroy(enumerator);

	if (narrowed->get_count(narrowed))
	{
		if (!client->logged_ts)
		{
			client->logged_ts = TRUE;
			DBG1(DBG_CFG, "rw-dns: %s: split tunnel, local traffic selectors %#R",
				 whose(client, who, sizeof(who)), narrowed);
		}
		while (local->remove_first(local, (void**)&ts) == SUCCESS)
		{
			ts->destroy(ts);
		}
		while (narrowed->remove_first(narrowed, (void**)&ts) == SUCCESS)
		{
			local->insert_last(local, ts);
		}
	}
	else if (!client->logged_ts)
	{
		client->logged_ts = TRUE;
		DBG1(DBG_CFG, "rw-dns: %s: split networks %s lie outside the connection's "
			 "local traffic selectors %#R, keeping those", whose(client, who, sizeof(who)),
			 rw_dns_format(conf, RW_DNS_SPLIT, net, sizeof(net)), local);
	}
	narrowed->destroy(narrowed);
	this->mutex->unlock(this->mutex);
	return TRUE;
}

METHOD(listener_t, ike_state_change, bool,
	listener_t *listener, ike_sa_t *ike_sa, ike_sa_state_t state)
{
	private_rw_dns_handler_t *this = LISTENER_THIS(listener);
	uintptr_t id;
	client_t *client;

	if (state == IKE_DESTROYING)
	{
		id = ike_sa->get_unique_id(ike_sa);
		this->mutex->lock(this->mutex);
		client = this->clients->remove(this->clients, (void*)id);
		this->mutex->unlock(this->mutex);
		if (client)
		{
			client_destroy(client);
		}
	}
	return TRUE;
}

METHOD(listener_t, ike_rekey, bool,
	listener_t *listener, ike_sa_t *old, ike_sa_t *new)
{
	private_rw_dns_handler_t *this = LISTENER_THIS(listener);
	client_t *from, *to;

	this->mutex->lock(this->mutex);
	from = this->clients->get(this->clients,
							  (void*)(uintptr_t)old->get_unique_id(old));
	if (from)
	{	/* the rekeyed IKE_SA keeps what its client asked for and got */
		to = get_client(this, new);
		to->requested = from->requested;
		to->resolved = from->resolved;
		free(to->conf);
		to->conf = from->conf ? memcpy(malloc(sizeof(*from->conf)), from->conf,
									   sizeof(*from->conf)) : NULL;
		memcpy(to->user, from->user, sizeof(to->user));
		memcpy(to->pool, from->pool, sizeof(to->pool));
		memcpy(to->family, from->family, sizeof(to->family));
		to->logged_attrs = to->logged_ts = TRUE;
	}
	this->mutex->unlock(this->mutex);
	return TRUE;
}

METHOD(rw_dns_handler_t, destroy, void,
	private_rw_dns_handler_t *this)
{
	enumerator_t *enumerator;
	client_t *client;
	void *id;

	enumerator = this->clients->create_enumerator(this->clients);
	while (enumerator->enumerate(enumerator, &id, &client))
	{
		client_destroy(client);
	}
	enumerator->destroy(enumerator);
	this->clients->destroy(this->clients);
	destroy_conns(this->conns);
	this->mutex->destroy(this->mutex);
	this->lock->destroy(this->lock);
	free(this);
}

rw_dns_handler_t *rw_dns_handler_create()
{
	private_rw_dns_handler_t *this;

	INIT(this,
		.public = {
			.provider = {
				.acquire_address = (void*)return_null,
				.release_address = (void*)return_false,
				.create_attribute_enumerator = _create_attribute_enumerator,
			},
			.listener = {
				.message = _message,
				.narrow = _narrow,
				.ike_state_change = _ike_state_change,
				.ike_rekey = _ike_rekey,
			},
			.reload = _reload,
			.destroy = _destroy,
		},
		.clients = hashtable_create(hashtable_hash_ptr, hashtable_equals_ptr, 32),
		.mutex = mutex_create(MUTEX_TYPE_DEFAULT),
		.lock = rwlock_create(RWLOCK_TYPE_DEFAULT),
	);
	reload(this);
	return &this->public;
}
