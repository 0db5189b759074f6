#include "rw_sqlite_dns.h"

#include <daemon.h>

#include "../common/rw_host.h"

typedef struct private_rw_sqlite_dns_t private_rw_sqlite_dns_t;

struct private_rw_sqlite_dns_t {

	/**
	 * Public interface
	 */
	rw_sqlite_dns_t public;

	/**
	 * The store
	 */
	rw_sqlite_db_t *db;
};

/* one line per value the operator put into the database by hand and is invalid */
static void log_skipped(void *ctx, const char *msg)
{
	DBG1(DBG_CFG, "rw-sqlite: %s %s, skipped", (char*)ctx, msg);
}

static bool vip_in_pool(ike_sa_t *ike_sa, rw_pool_t *pool)
{
	enumerator_t *enumerator;
	rw_addr_t addr;
	host_t *vip;
	bool found = FALSE;

	enumerator = ike_sa->create_virtual_ip_enumerator(ike_sa, FALSE);
	while (!found && enumerator->enumerate(enumerator, &vip))
	{
		found = rw_addr_of_host(vip, &addr) && rw_range_contains(&pool->range, &addr);
	}
	enumerator->destroy(enumerator);
	return found;
}

METHOD(rw_store_dns_t, get, bool,
	private_rw_sqlite_dns_t *this, ike_sa_t *ike_sa,
	rw_dns_conf_t *user_conf, char user_name[RW_NAME_MAX + 1],
	rw_dns_conf_t *pool_conf, char pool_name[RW_POOL_NAME_MAX + 1])
{
	enumerator_t *enumerator;
	peer_cfg_t *peer_cfg;
	rw_status_t status;
	rw_store_t *store;
	rw_user_t user;
	rw_pool_t pool;
	rw_error_t err;
	char what[RW_POOL_NAME_MAX + 16], *name;

	memset(user_conf, 0, sizeof(*user_conf));
	memset(pool_conf, 0, sizeof(*pool_conf));
	user_name[0] = pool_name[0] = '\0';
	store = this->db->lock(this->db);
	if (!store)
	{
		return FALSE;
	}
	status = this->db->find_user(this->db, store, ike_sa->get_other_eap_id(ike_sa),
								 &user, &err);
	if (status == RW_OK)
	{
		snprintf(what, sizeof(what), "DNS setting of user");
		status = rw_store_dns_get(store, RW_DNS_OF_USER, user.name, user_conf,
								  log_skipped, what, &err);
		if (status == RW_OK)
		{
			snprintf(user_name, RW_NAME_MAX + 1, "%s", user.name);
		}
	}
	peer_cfg = ike_sa->get_peer_cfg(ike_sa);
	if (peer_cfg && (status == RW_OK || status == RW_ERR_NOTFOUND))
	{
		status = RW_OK;
		enumerator = peer_cfg->create_pool_enumerator(peer_cfg);
		while (enumerator->enumerate(enumerator, &name))
		{
			status = rw_store_pool_get(store, name, &pool, &err);
			if (status == RW_ERR_NOTFOUND)
			{	/* a pool of another provider */
				status = RW_OK;
				continue;
			}
			if (status != RW_OK)
			{
				break;
			}
			if (!vip_in_pool(ike_sa, &pool))
			{
				continue;
			}
			snprintf(what, sizeof(what), "DNS setting of pool '%s'", pool.name);
			status = rw_store_dns_get(store, RW_DNS_OF_POOL, pool.name, pool_conf,
									  log_skipped, what, &err);
			if (status == RW_OK)
			{
				snprintf(pool_name, RW_POOL_NAME_MAX + 1, "%s", pool.name);
			}
			break;
		}
		enumerator->destroy(enumerator);
	}
	if (status != RW_OK && status != RW_ERR_NOTFOUND)
	{
		this->db->log_error(this->db, "DNS settings lookup failed", &err);
	}
	this->db->unlock(this->db, status == RW_ERR_NOTFOUND ? RW_OK : status);
	return status == RW_OK || status == RW_ERR_NOTFOUND;
}

METHOD(rw_sqlite_dns_t, destroy, void,
	private_rw_sqlite_dns_t *this)
{
	free(this);
}

rw_sqlite_dns_t *rw_sqlite_dns_create(rw_sqlite_db_t *db)
{
	private_rw_sqlite_dns_t *this;

	INIT(this,
		.public = {
			.lookup = {
				.get = _get,
			},
			.destroy = _destroy,
		},
		.db = db,
	);
	return &this->public;
}
