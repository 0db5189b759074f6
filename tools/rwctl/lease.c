/*
 * rwctl lease list|release: addresses handed out from the pools. A lease stays with
 * its owner after he disconnects (he gets it back next time) until somebody else
 * needs it; "release" frees it for anybody at once.
 */

#include "common.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_ONLINE = RWCTL_OPT_LOCAL,
	OPT_POOL,
	OPT_FORCE,
};

static const struct option lease_options[] = {
	RWCTL_COMMON_OPTIONS,
	{ "online", no_argument, NULL, OPT_ONLINE },
	{ "pool", required_argument, NULL, OPT_POOL },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ NULL, 0, NULL, 0 },
};

static int lease_list(rwctl_opts_t *opts, int argc, char **argv);
static int lease_release(rwctl_opts_t *opts, int argc, char **argv);

const rwctl_cmd_t rwctl_lease_cmds[] = {
	{ .name = "list", .run = lease_list, .usage = "lease list [POOL] [--online]",
	  .summary = "list leases",
	  .description = "List leases (of one POOL). Columns: POOL ADDRESS USER STATE ONLINE\n"
		"ACQUIRED RELEASED GATEWAY. STATE is online, static (reserved for its user) or\n"
		"offline (kept for its last user until the pool needs it).",
	  .options_help = "  --online               only addresses in use now\n" },
	{ .name = "release", .run = lease_release, .usage = "lease release ADDRESS [OPTIONS]",
	  .summary = "free a lease",
	  .description = "Free a lease: the address no longer goes back to its last user and is\n"
		"the next one handed out.",
	  .options_help = "  --pool NAME            pool of ADDRESS (default: the pool containing it)\n"
		"  --force                free it even while a client holds it (that client\n"
		"                         and the next one may then share the address)\n" },
	{ .name = NULL },
};

int rwctl_lease(rwctl_opts_t *opts, int argc, char **argv)
{
	return rwctl_group_run(opts, "lease", rwctl_lease_cmds, argc, argv);
}

typedef struct {
	bool online_only;
	const char *pool;
	bool force;
} lease_options_t;

static int parse_lease_options(rwctl_opts_t *opts, const rwctl_cmd_t *cmd, int argc,
							   char **argv, lease_options_t *lo)
{
	bool is_list = cmd->run == lease_list;
	int opt, rc;

	*lo = (lease_options_t){ 0 };
	while ((opt = getopt_long(argc, argv, RWCTL_SHORT_OPTIONS, lease_options,
							  NULL)) != -1)
	{
		switch (opt)
		{
			case OPT_ONLINE:
				if (!is_list)
				{
					return rwctl_usage_error(cmd, "option --online does not apply here");
				}
				lo->online_only = true;
				break;
			case OPT_POOL:
			case OPT_FORCE:
				if (is_list)
				{
					return rwctl_usage_error(cmd, "option %s does not apply here",
											 argv[optind - 1]);
				}
				if (opt == OPT_POOL)
				{
					lo->pool = optarg;
				}
				else
				{
					lo->force = true;
				}
				break;
			default:
				rc = rwctl_common_option(opts, cmd, opt, argv);
				if (rc != RWCTL_CONTINUE)
				{
					return rc;
				}
		}
	}
	return RWCTL_CONTINUE;
}

static const char *lease_state(const rw_lease_t *lease)
{
	if (lease->online)
	{
		return "online";
	}
	return lease->is_static ? "static" : "offline";
}

static json_object *lease_json(const rw_lease_t *lease)
{
	json_object *o = json_object_new_object();
	char addr[RW_ADDR_STRLEN], when[32];

	json_object_object_add(o, "pool", json_object_new_string(lease->pool));
	json_object_object_add(o, "address", json_object_new_string(
		rw_addr_format(&lease->address, addr, sizeof(addr))));
	json_object_object_add(o, "user", lease->user[0] ?
						   json_object_new_string(lease->user) : NULL);
	json_object_object_add(o, "state", json_object_new_string(lease_state(lease)));
	json_object_object_add(o, "online", json_object_new_int(lease->online));
	json_object_object_add(o, "static", json_object_new_boolean(lease->is_static));
	json_object_object_add(o, "acquired", lease->acquired ? json_object_new_string(
		rwctl_time_utc(lease->acquired, when, sizeof(when))) : NULL);
	json_object_object_add(o, "released", lease->released ? json_object_new_string(
		rwctl_time_utc(lease->released, when, sizeof(when))) : NULL);
	json_object_object_add(o, "gateway", lease->gateway[0] ?
						   json_object_new_string(lease->gateway) : NULL);
	return o;
}

static bool list_one_lease(const rw_lease_t *lease, void *ctx)
{
	rwctl_list_t *list = ctx;
	char addr[RW_ADDR_STRLEN], online[16], acquired[32], released[32];

	if (rwctl_list_is_json(list))
	{
		rwctl_list_json(list, lease_json(lease));
		return true;
	}
	snprintf(online, sizeof(online), "%d", lease->online);
	rwctl_list_row(list, (const char *[]){
		lease->pool, rw_addr_format(&lease->address, addr, sizeof(addr)), lease->user,
		lease_state(lease), online,
		rwctl_time_local(lease->acquired, acquired, sizeof(acquired)),
		rwctl_time_local(lease->released, released, sizeof(released)), lease->gateway,
	});
	return true;
}

static int lease_list(rwctl_opts_t *opts, int argc, char **argv)
{
	static const char *headers[] = {
		"POOL", "ADDRESS", "USER", "STATE", "ONLINE", "ACQUIRED", "RELEASED", "GATEWAY",
	};
	const rwctl_cmd_t *cmd = &rwctl_lease_cmds[0];
	const char *pool_name = NULL;
	lease_options_t lo;
	rwctl_list_t *list;
	rw_store_t *store;
	rw_pool_t pool;
	rw_error_t err;
	int rc;

	rc = parse_lease_options(opts, cmd, argc, argv, &lo);
	if (rc == RWCTL_CONTINUE)
	{
		rc = rwctl_positional(cmd, argc, argv, 0, 1);
	}
	if (rc != RWCTL_CONTINUE)
	{
		return rc;
	}
	if (optind < argc)
	{
		pool_name = argv[optind];
	}
	rc = rwctl_open(opts, RWCTL_DB_READ, &store);
	if (rc != RWCTL_EXIT_OK)
	{
		return rc;
	}
	/* an unknown pool is an error, not an empty list */
	if (pool_name && rw_store_pool_get(store, pool_name, &pool, &err) != RW_OK)
	{
		rc = rwctl_fail_store(&err);
		rw_store_close(store);
		return rc;
	}
	list = rwctl_list_begin(opts, headers, 8);
	if (rw_store_lease_list(store, pool_name, lo.online_only, list_one_lease, list,
							&err) != RW_OK)
	{
		rc = rwctl_fail_store(&err);
	}
	if (rwctl_list_end(list) != RWCTL_EXIT_OK && rc == RWCTL_EXIT_OK)
	{
		rc = RWCTL_EXIT_ERROR;
	}
	rw_store_close(store);
	return rc;
}

typedef struct {
	const rw_addr_t *address;
	rw_lease_t lease;
	bool found;
} lease_search_t;

static bool match_lease(const rw_lease_t *lease, void *ctx)
{
	lease_search_t *search = ctx;

	if (!rw_addr_cmp(&lease->address, search->address))
	{
		search->lease = *lease;
		search->found = true;
		return false;
	}
	return true;
}

static int lease_release(rwctl_opts_t *opts, int argc, char **argv)
{
	const rwctl_cmd_t *cmd = &rwctl_lease_cmds[1];
	char pool[RW_POOL_NAME_MAX + 1];
	lease_search_t search;
	lease_options_t lo;
	rw_store_t *store;
	rw_addr_t address;
	rw_error_t err;
	int rc;

	rc = parse_lease_options(opts, cmd, argc, argv, &lo);
	if (rc == RWCTL_CONTINUE)
	{
		rc = rwctl_positional(cmd, argc, argv, 1, 1);
	}
	if (rc == RWCTL_CONTINUE && rw_addr_parse(argv[optind], &address) != RW_OK)
	{
		rc = rwctl_usage_error(cmd, "'%s' is not an IPv4 or IPv6 address", argv[optind]);
	}
	if (rc != RWCTL_CONTINUE)
	{
		return rc;
	}
	rc = rwctl_open(opts, RWCTL_DB_CHANGE, &store);
	if (rc != RWCTL_EXIT_OK)
	{
		return rc;
	}
	if (lo.pool)
	{
		snprintf(pool, sizeof(pool), "%s", lo.pool);
	}
	else
	{
		rc = rwctl_pool_for_address(store, &address, pool, sizeof(pool));
	}
	/* librw has no lookup of one lease: find it in the pool's list */
	search = (lease_search_t){ .address = &address };
	if (rc == RWCTL_EXIT_OK && rw_store_lease_list(store, pool, false, match_lease,
												   &search, &err) != RW_OK)
	{
		rc = rwctl_fail_store(&err);
	}
	if (rc == RWCTL_EXIT_OK && !search.found)
	{
		rc = rwctl_fail(RWCTL_EXIT_NOTFOUND, "%s has no lease in pool '%s'", argv[optind],
						pool);
	}
	if (rc == RWCTL_EXIT_OK && search.lease.is_static)
	{
		rc = rwctl_fail(RWCTL_EXIT_CONFLICT, "%s is the static address of '%s': change "
						"that with 'rwctl user set %s --static-ip none'", argv[optind],
						search.lease.user, search.lease.user);
	}
	if (rc == RWCTL_EXIT_OK && search.lease.online && !lo.force)
	{
		rc = rwctl_fail(RWCTL_EXIT_CONFLICT, "%s is online (user '%s'): end the session "
						"with 'rwctl session kill --user %s' first, or --force",
						argv[optind], search.lease.user, search.lease.user);
	}
	if (rc == RWCTL_EXIT_OK &&
		rw_store_lease_free(store, pool, &address, &err) != RW_OK)
	{
		rc = rwctl_fail_store(&err);
	}
	rw_store_close(store);
	return rc;
}
