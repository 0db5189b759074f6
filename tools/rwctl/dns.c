/*
 * DNS options of "pool set" / "user set" and the DNS part of "pool show" / "user show".
 * The values are the rw-dns plugin's: a user's value replaces his pool's, a pool's the
 * connection's (strongswan.conf, charon.plugins.rw-dns.connections.NAME).
 */

#include "dns.h"

#include <stdlib.h>
#include <string.h>

static const char *const option_name[RW_DNS_FIELDS] = { "--dns", "--domain", "--split" };

bool rwctl_dns_is_option(int opt)
{
	return opt >= RWCTL_OPT_DNS && opt <= RWCTL_OPT_NO_SPLIT;
}

int rwctl_dns_option(rwctl_dns_changes_t *changes, const rwctl_cmd_t *cmd, int opt,
					 const char *arg)
{
	rw_dns_field_t field;
	rw_dns_conf_t *conf;
	rw_error_t err;
	char *joined;
	bool none;
	int rc = RWCTL_CONTINUE;

	if (opt >= RWCTL_OPT_NO_DNS)
	{
		field = (rw_dns_field_t)(opt - RWCTL_OPT_NO_DNS);
		if (changes->given[field])
		{
			return rwctl_usage_error(cmd, "give either %s or --no-%s", option_name[field],
									 option_name[field] + 2);
		}
		changes->clear[field] = true;
		return RWCTL_CONTINUE;
	}
	field = (rw_dns_field_t)(opt - RWCTL_OPT_DNS);
	if (changes->clear[field])
	{
		return rwctl_usage_error(cmd, "give either %s or --no-%s", option_name[field],
								 option_name[field] + 2);
	}
	/* "none" stores an explicit empty list: it overrides the levels below */
	none = !strcmp(arg, "none");
	if (none && changes->given[field] && changes->list[field][0])
	{
		return rwctl_usage_error(cmd, "%s none cannot be combined with values",
								 option_name[field]);
	}
	if (asprintf(&joined, "%s%s%s", changes->list[field] ? changes->list[field] : "",
				 changes->list[field] && changes->list[field][0] ? "," : "",
				 none ? "" : arg) < 0)
	{
		return rwctl_fail(RWCTL_EXIT_ERROR, "out of memory");
	}
	conf = calloc(1, sizeof(*conf));
	if (!conf)
	{
		free(joined);
		return rwctl_fail(RWCTL_EXIT_ERROR, "out of memory");
	}
	if (rw_dns_parse(conf, field, joined, &err) != RW_OK)
	{
		rc = rwctl_usage_error(cmd, "%s: %s", option_name[field], err.msg);
		free(joined);
	}
	else
	{
		free(changes->list[field]);
		changes->list[field] = joined;
		changes->given[field] = true;
	}
	free(conf);
	return rc;
}

bool rwctl_dns_any(const rwctl_dns_changes_t *changes)
{
	int field;

	for (field = 0; field < RW_DNS_FIELDS; field++)
	{
		if (changes->given[field] || changes->clear[field])
		{
			return true;
		}
	}
	return false;
}

void rwctl_dns_changes_free(rwctl_dns_changes_t *changes)
{
	int field;

	for (field = 0; field < RW_DNS_FIELDS; field++)
	{
		free(changes->list[field]);
		changes->list[field] = NULL;
	}
}

/* settings of the levels of a user (with his pool) or a pool */
typedef struct {
	rw_dns_conf_t user;
	rw_dns_conf_t pool;
	rw_dns_conf_t eff;
	int source[RW_DNS_FIELDS];
} levels_t;

static rw_status_t load_levels(rw_store_t *store, const char *user, const char *pool,
							   levels_t *l, rw_error_t *err)
{
	const rw_dns_conf_t *levels[2] = { NULL, NULL };
	rw_status_t status = RW_OK;

	memset(l, 0, sizeof(*l));
	if (user)
	{
		status = rw_store_dns_get(store, RW_DNS_OF_USER, user, &l->user, NULL, NULL, err);
		levels[0] = &l->user;
	}
	if (status == RW_OK && pool && pool[0])
	{
		status = rw_store_dns_get(store, RW_DNS_OF_POOL, pool, &l->pool, NULL, NULL, err);
		levels[1] = &l->pool;
	}
	rw_dns_merge(levels, 2, &l->eff, l->source);
	return status;
}

int rwctl_dns_apply(rw_store_t *store, rw_dns_owner_t owner, const char *name,
					const rwctl_dns_changes_t *changes)
{
	rw_status_t status;
	rw_error_t err;
	rw_user_t user;
	levels_t *l;
	int field;

	l = malloc(sizeof(*l));
	if (!l)
	{
		return rwctl_fail(RWCTL_EXIT_ERROR, "out of memory");
	}
	status = rw_store_batch_begin(store, &err);
	for (field = 0; status == RW_OK && field < RW_DNS_FIELDS; field++)
	{
		if (changes->given[field] || changes->clear[field])
		{
			status = rw_store_dns_set(store, owner, name, (rw_dns_field_t)field,
									  changes->clear[field] ? NULL : changes->list[field],
									  &err);
		}
	}
	if (status == RW_OK)
	{	/* the effective result of this level and those below it in the store */
		user.pool[0] = '\0';
		if (owner == RW_DNS_OF_USER)
		{
			status = rw_store_user_get(store, name, &user, &err);
		}
		if (status == RW_OK)
		{
			status = load_levels(store, owner == RW_DNS_OF_USER ? name : NULL,
								 owner == RW_DNS_OF_USER ? user.pool : name, l, &err);
		}
		if (status == RW_OK)
		{
			status = rw_dns_check(&l->eff, &err);
		}
	}
	free(l);
	if (status != RW_OK)
	{
		rw_store_batch_end(store, false, NULL);
		return rwctl_fail_store(&err);
	}
	if (rw_store_batch_end(store, true, &err) != RW_OK)
	{
		return rwctl_fail_store(&err);
	}
	return RWCTL_EXIT_OK;
}

int rwctl_dns_show(rw_store_t *store, const char *user, const char *pool,
				   json_object *o)
{
	static const char *const keys[RW_DNS_FIELDS] = { "dns:", "domains:", "split:" };
	char value[RW_DNS_TEXT_MAX + 64], from[RW_POOL_NAME_MAX + 16];
	json_object *field_o;
	rw_error_t err;
	levels_t *l;
	int field, len;

	l = malloc(sizeof(*l));
	if (!l)
	{
		return rwctl_fail(RWCTL_EXIT_ERROR, "out of memory");
	}
	if (load_levels(store, user, pool, l, &err) != RW_OK)
	{
		free(l);
		return rwctl_fail_store(&err);
	}
	for (field = 0; field < RW_DNS_FIELDS; field++)
	{
		switch (l->source[field])
		{
			case 0:
				snprintf(from, sizeof(from), user ? "user" : "pool");
				break;
			case 1:
				snprintf(from, sizeof(from), "pool %s", pool);
				break;
			default:
				/* rwctl does not know which connection (or pool) serves the client */
				snprintf(from, sizeof(from), user && !(pool && pool[0])
						 ? "pool or connection" : "connection");
				break;
		}
		rw_dns_format(&l->eff, (rw_dns_field_t)field, value, RW_DNS_TEXT_MAX + 1);
		if (o)
		{
			field_o = json_object_new_object();
			json_object_object_add(field_o, "value", l->source[field] < 0 ? NULL :
								   json_object_new_string(value));
			json_object_object_add(field_o, "from", json_object_new_string(from));
			json_object_object_add(o, rw_dns_field_name((rw_dns_field_t)field), field_o);
			continue;
		}
		len = (int)strlen(value);
		snprintf(value + len, sizeof(value) - len, "%s(%s)",
				 l->source[field] < 0 ? "- " : !len ? "none " : " ",
				 l->source[field] >= 0 ? from : user && !(pool && pool[0])
				 ? "from the pool of his address or the connection"
				 : "from the connection, strongswan.conf");
		rwctl_show_field(keys[field], value);
	}
	free(l);
	return RWCTL_EXIT_OK;
}
