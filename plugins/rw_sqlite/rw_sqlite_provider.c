#include "rw_sqlite_provider.h"

#include "../common/rw_host.h"

#include <daemon.h>
#include <utils/debug.h>

typedef struct private_rw_sqlite_provider_t private_rw_sqlite_provider_t;

struct private_rw_sqlite_provider_t {

	/**
	 * Public interface
	 */
	rw_sqlite_provider_t public;

	/**
	 * The store
	 */
	rw_sqlite_db_t *db;

	/**
	 * Pool usage (0..1) from which a warning is logged
	 */
	double warn_usage;
};

static int family_of(host_t *host)
{
	return host->get_family(host) == AF_INET6 ? 6 : 4;
}

/* the store's user behind the peer's EAP (or IKE) identity */
static bool user_of(private_rw_sqlite_provider_t *this, rw_store_t *store,
					ike_sa_t *ike_sa, rw_user_t *user, rw_status_t *status)
{
	identification_t *id = ike_sa->get_other_eap_id(ike_sa);
	rw_error_t err;

	*status = this->db->find_user(this->db, store, id, user, &err);
	if (*status != RW_OK && *status != RW_ERR_NOTFOUND)
	{
		DBG1(DBG_CFG, "rw-sqlite: no address for '%Y': %s", id, err.msg);
	}
	return *status == RW_OK;
}

/**
 * Next pool of the list that is in the store, skipping the others (another provider,
 * e.g. a swanctl.conf pool, serves those). FALSE at the end of the list or on a
 * store failure (*status set, logged).
 */
static bool next_store_pool(private_rw_sqlite_provider_t *this, rw_store_t *store,
							enumerator_t *enumerator, char **name, rw_pool_t *pool,
							rw_status_t *status)
{
	rw_error_t err;

	while (enumerator->enumerate(enumerator, name))
	{
		*status = rw_store_pool_get(store, *name, pool, &err);
		if (*status == RW_OK)
		{
			return TRUE;
		}
		if (*status != RW_ERR_NOTFOUND)
		{
			this->db->log_error(this->db, "pool lookup failed", &err);
			return FALSE;
		}
	}
	*status = RW_OK;
	return FALSE;
}

METHOD(attribute_provider_t, acquire_address, host_t*,
	private_rw_sqlite_provider_t *this, linked_list_t *pools, ike_sa_t *ike_sa,
	host_t *requested)
{
	enumerator_t *enumerator;
	rw_status_t status = RW_OK;
	rw_store_t *store;
	rw_user_t user;
	rw_pool_t pool;
	rw_addr_t addr;
	rw_error_t err;
	host_t *host = NULL;
	double usage;
	char *name;

	store = this->db->lock(this->db);
	if (!store)
	{
		return NULL;
	}
	enumerator = pools->create_enumerator(pools);
	while (!host && next_store_pool(this, store, enumerator, &name, &pool, &status))
	{
		if (pool.range.start.family != family_of(requested))
		{
			continue;
		}
		if (!user_of(this, store, ike_sa, &user, &status))
		{
			status = status == RW_ERR_NOTFOUND ? RW_OK : status;
			break;
		}
		status = rw_store_lease_acquire(store, name, user.name,
										this->db->get_gateway(this->db), &addr, &usage,
										&err);
		switch (status)
		{
			case RW_OK:
				host = rw_host_of(&addr);
				DBG2(DBG_CFG, "rw-sqlite: lease %H from pool '%s' for user '%s'",
					 host, name, user.name);
				if (usage >= this->warn_usage)
				{
					DBG1(DBG_CFG, "rw-sqlite: pool '%s' is %.0f%% used", name,
						 usage * 100);
				}
				break;
			case RW_ERR_FULL:
				DBG1(DBG_CFG, "rw-sqlite: %s, no address for user '%s'", err.msg,
					 user.name);
				status = RW_OK;
				break;
			default:
				this->db->log_error(this->db, "lease failed", &err);
				break;
		}
		if (status != RW_OK)
		{
			break;
		}
	}
	enumerator->destroy(enumerator);
	this->db->unlock(this->db, status);
	return host;
}

/**
 * A lease to release, deferred
 */
typedef struct {
	char pool[RW_POOL_NAME_MAX + 1];
	rw_addr_t address;
} release_t;

/**
 * Deferred write: release a lease (store NULL: dropped)
 */
static void release_write(rw_sqlite_db_t *db, rw_store_t *store, release_t *release)
{
	char buf[RW_ADDR_STRLEN];
	rw_status_t status;
	rw_error_t err;

	if (store)
	{
		status = rw_store_lease_release(store, release->pool, &release->address, &err);
		if (status == RW_OK)
		{
			DBG2(DBG_CFG, "rw-sqlite: released %s to pool '%s'",
				 rw_addr_format(&release->address, buf, sizeof(buf)), release->pool);
		}
		else if (status == RW_ERR_NOTFOUND)
		{
			/* freed by an administrator or a crash repair meanwhile */
			DBG2(DBG_CFG, "rw-sqlite: %s", err.msg);
		}
		else
		{
			db->log_error(db, "lease release failed", &err);
		}
	}
	free(release);
}

METHOD(attribute_provider_t, release_address, bool,
	private_rw_sqlite_provider_t *this, linked_list_t *pools, host_t *address,
	ike_sa_t *ike_sa)
{
	enumerator_t *enumerator;
	rw_status_t status = RW_OK;
	rw_store_t *store;
	release_t *release = NULL;
	rw_pool_t pool;
	rw_addr_t addr;
	char *name;

	if (!rw_addr_of_host(address, &addr))
	{
		return FALSE;
	}
	store = this->db->lock(this->db);
	if (!store)
	{
		return FALSE;
	}
	enumerator = pools->create_enumerator(pools);
	while (!release && next_store_pool(this, store, enumerator, &name, &pool, &status))
	{
		if (rw_range_contains(&pool.range, &addr))
		{
			INIT(release,
				.address = addr,
			);
			snprintf(release->pool, sizeof(release->pool), "%s", name);
		}
	}
	enumerator->destroy(enumerator);
	this->db->unlock(this->db, status);
	if (!release)
	{
		return FALSE;
	}
	/* the address is ours; writing its release need not delay the peer's delete:
	 * a reconnect before the write finds the lease still held and holds it again */
	this->db->defer(this->db, (rw_sqlite_write_t)release_write, release);
	return TRUE;
}

METHOD(rw_sqlite_provider_t, destroy, void,
	private_rw_sqlite_provider_t *this)
{
	free(this);
}

/*
 * see header file
 */
rw_sqlite_provider_t *rw_sqlite_provider_create(rw_sqlite_db_t *db)
{
	private_rw_sqlite_provider_t *this;

	INIT(this,
		.public = {
			.provider = {
				.acquire_address = _acquire_address,
				.release_address = _release_address,
				.create_attribute_enumerator = (void*)enumerator_create_empty,
			},
			.destroy = _destroy,
		},
		.db = db,
		.warn_usage = lib->settings->get_int(lib->settings,
							"%s.plugins.rw-sqlite.pool_warn", 90, lib->ns) / 100.0,
	);
	return &this->public;
}
