/*
 * rwctl pool add|del|set|list|show: the address pools swanctl.conf names with
 * "pools = NAME".
 */

#include "common.h"
#include "dns.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_FORCE = RWCTL_OPT_LOCAL,
};

static const struct option pool_options[] = {
	RWCTL_COMMON_OPTIONS,
	{ "force", no_argument, NULL, OPT_FORCE },
	RWCTL_DNS_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

static int pool_add(rwctl_opts_t *opts, int argc, char **argv);
static int pool_del(rwctl_opts_t *opts, int argc, char **argv);
static int pool_set(rwctl_opts_t *opts, int argc, char **argv);
static int pool_list(rwctl_opts_t *opts, int argc, char **argv);
static int pool_show(rwctl_opts_t *opts, int argc, char **argv);

#define RANGE_HELP \
	"RANGE is a CIDR (198.18.0.0/16: network and broadcast address are not handed\n" \
	"out; 2001:db8:1::/64) or FIRST-LAST (198.18.0.10-198.18.0.99)."

const rwctl_cmd_t rwctl_pool_cmds[] = {
	{ .name = "add", .run = pool_add, .usage = "pool add NAME RANGE",
	  .summary = "add an address pool",
	  .description = "Add an address pool for swanctl.conf's 'pools = NAME'; it must not\n"
		"overlap another pool.\n" RANGE_HELP },
	{ .name = "del", .run = pool_del, .usage = "pool del NAME [--force]",
	  .summary = "delete a pool",
	  .description = "Delete a pool and its leases.",
	  .options_help = "  --force                delete it even while addresses are online\n" },
	{ .name = "set", .run = pool_set, .usage = "pool set NAME [RANGE] [DNS OPTIONS]",
	  .summary = "change the range or DNS settings of a pool",
	  .description = "Change the range of a pool; refused if a lease or static address would\n"
		"fall outside it, or if it would overlap another pool.\n" RANGE_HELP "\n"
		"The DNS options set what the rw-dns plugin sends to the pool's clients; they\n"
		"override the connection's values (strongswan.conf) and are overridden by a\n"
		"user's own. Refused if a DNS server would lie outside the split networks.",
	  .options_help = RWCTL_DNS_HELP },
	{ .name = "list", .run = pool_list, .usage = "pool list",
	  .summary = "list pools",
	  .description = "List pools. Columns: NAME RANGE SIZE ONLINE LEASES USAGE (USAGE is\n"
		"ONLINE/SIZE; LEASES counts addresses handed out or reserved so far)." },
	{ .name = "show", .run = pool_show, .usage = "pool show NAME",
	  .summary = "show a pool",
	  .description = "Show a pool, with its DNS settings and where each comes from." },
	{ .name = NULL },
};

int rwctl_pool(rwctl_opts_t *opts, int argc, char **argv)
{
	return rwctl_group_run(opts, "pool", rwctl_pool_cmds, argc, argv);
}

static const rwctl_cmd_t *find_cmd(const char *name)
{
	const rwctl_cmd_t *cmd;

	for (cmd = rwctl_pool_cmds; cmd->name; cmd++)
	{
		if (!strcmp(cmd->name, name))
		{
			return cmd;
		}
	}
	abort();
}

/*
 * Parse options and expect between min and max positional arguments; returns
 * RWCTL_CONTINUE or an exit status.
 */
static int parse_pool_options(rwctl_opts_t *opts, const rwctl_cmd_t *cmd, bool allow_force,
							  int argc, char **argv, int min, int max, bool *force,
							  rwctl_dns_changes_t *dns)
{
	int opt, rc;

	*force = false;
	while ((opt = getopt_long(argc, argv, RWCTL_SHORT_OPTIONS, pool_options,
							  NULL)) != -1)
	{
		if (rwctl_dns_is_option(opt))
		{
			rc = dns ? rwctl_dns_option(dns, cmd, opt, optarg)
					 : rwctl_usage_error(cmd, "option %s does not apply here",
										 argv[optind - 1]);
			if (rc != RWCTL_CONTINUE)
			{
				return rc;
			}
			continue;
		}
		if (opt == OPT_FORCE && allow_force)
		{
			*force = true;
			continue;
		}
		if (opt == OPT_FORCE)
		{
			return rwctl_usage_error(cmd, "option --force does not apply here");
		}
		rc = rwctl_common_option(opts, cmd, opt, argv);
		if (rc != RWCTL_CONTINUE)
		{
			return rc;
		}
	}
	return rwctl_positional(cmd, argc, argv, min, max);
}

/*
 * Pool names go into swanctl.conf's comma-separated "pools =" list, so only
 * characters that survive there are accepted.
 */
static int check_pool_name(const rwctl_cmd_t *cmd, const char *name)
{
	size_t len = strlen(name);

	if (!len || len > RW_POOL_NAME_MAX ||
		strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			   "0123456789._-") != len)
	{
		return rwctl_usage_error(cmd, "invalid pool name '%s': 1 to %d letters, digits, "
								 "'.', '_' or '-'", name, RW_POOL_NAME_MAX);
	}
	return RWCTL_CONTINUE;
}

static int check_range(const rwctl_cmd_t *cmd, const char *spec)
{
	rw_range_t range;
	rw_error_t err;

	rw_error_clear(&err);
	if (rw_range_parse(spec, &range, &err) != RW_OK)
	{
		return rwctl_usage_error(cmd, "invalid range '%s': %s", spec,
								 err.msg[0] ? err.msg : "not a CIDR or FIRST-LAST");
	}
	return RWCTL_CONTINUE;
}

static int pool_add(rwctl_opts_t *opts, int argc, char **argv)
{
	const rwctl_cmd_t *cmd = find_cmd("add");
	rw_store_t *store;
	rw_error_t err;
	bool force;
	int rc;

	rc = parse_pool_options(opts, cmd, false, argc, argv, 2, 2, &force, NULL);
	if (rc == RWCTL_CONTINUE)
	{
		rc = check_pool_name(cmd, argv[optind]);
	}
	if (rc == RWCTL_CONTINUE)
	{
		rc = check_range(cmd, argv[optind + 1]);
	}
	if (rc != RWCTL_CONTINUE)
	{
		return rc;
	}
	rc = rwctl_open(opts, RWCTL_DB_CREATE, &store);
	if (rc != RWCTL_EXIT_OK)
	{
		return rc;
	}
	if (rw_store_pool_add(store, argv[optind], argv[optind + 1], &err) != RW_OK)
	{
		rc = rwctl_fail_store(&err);
	}
	rw_store_close(store);
	return rc;
}

static int pool_del(rwctl_opts_t *opts, int argc, char **argv)
{
	const rwctl_cmd_t *cmd = find_cmd("del");
	rw_store_t *store;
	rw_error_t err;
	bool force;
	int rc;

	rc = parse_pool_options(opts, cmd, true, argc, argv, 1, 1, &force, NULL);
	if (rc != RWCTL_CONTINUE)
	{
		return rc;
	}
	rc = rwctl_open(opts, RWCTL_DB_CHANGE, &store);
	if (rc != RWCTL_EXIT_OK)
	{
		return rc;
	}
	if (rw_store_pool_del(store, argv[optind], force, &err) != RW_OK)
	{
		rc = rwctl_fail_store(&err);
	}
	rw_store_close(store);
	return rc;
}

static int pool_set(rwctl_opts_t *opts, int argc, char **argv)
{
	const rwctl_cmd_t *cmd = find_cmd("set");
	rwctl_dns_changes_t dns = { 0 };
	const char *range;
	rw_store_t *store;
	rw_error_t err;
	bool force;
	int rc;

	rc = parse_pool_options(opts, cmd, false, argc, argv, 1, 2, &force, &dns);
	range = rc == RWCTL_CONTINUE ? argv[optind + 1] : NULL;
	if (rc == RWCTL_CONTINUE && range)
	{
		rc = check_range(cmd, range);
	}
	if (rc == RWCTL_CONTINUE && !range && !rwctl_dns_any(&dns))
	{
		rc = rwctl_usage_error(cmd, "nothing to change: give a RANGE or DNS options");
	}
	if (rc == RWCTL_CONTINUE)
	{
		rc = rwctl_open(opts, RWCTL_DB_CHANGE, &store);
		if (rc == RWCTL_EXIT_OK)
		{
			if (range && rw_store_pool_set_range(store, argv[optind], range,
												 &err) != RW_OK)
			{
				rc = rwctl_fail_store(&err);
			}
			if (rc == RWCTL_EXIT_OK && rwctl_dns_any(&dns))
			{
				rc = rwctl_dns_apply(store, RW_DNS_OF_POOL, argv[optind], &dns);
			}
			rw_store_close(store);
		}
	}
	rwctl_dns_changes_free(&dns);
	return rc;
}

/* share of the pool online, in percent */
static double pool_usage(const rw_pool_t *pool)
{
	return pool->size ? 100.0 * (double)pool->online / (double)pool->size : 0.0;
}

static json_object *pool_json(const rw_pool_t *pool)
{
	json_object *o = json_object_new_object();
	char addr[RW_ADDR_STRLEN], when[32];

	json_object_object_add(o, "name", json_object_new_string(pool->name));
	json_object_object_add(o, "first", json_object_new_string(
		rw_addr_format(&pool->range.start, addr, sizeof(addr))));
	json_object_object_add(o, "last", json_object_new_string(
		rw_addr_format(&pool->range.end, addr, sizeof(addr))));
	json_object_object_add(o, "size", json_object_new_uint64(pool->size));
	json_object_object_add(o, "online", json_object_new_uint64(pool->online));
	json_object_object_add(o, "leases", json_object_new_uint64(pool->leases));
	json_object_object_add(o, "usage_percent", json_object_new_double(pool_usage(pool)));
	json_object_object_add(o, "created", pool->created ? json_object_new_string(
		rwctl_time_utc(pool->created, when, sizeof(when))) : NULL);
	return o;
}

static bool list_one_pool(const rw_pool_t *pool, void *ctx)
{
	rwctl_list_t *list = ctx;
	char range[RW_RANGE_STRLEN], size[24], online[24], leases[24], usage[16];

	if (rwctl_list_is_json(list))
	{
		rwctl_list_json(list, pool_json(pool));
		return true;
	}
	snprintf(size, sizeof(size), "%llu", (unsigned long long)pool->size);
	snprintf(online, sizeof(online), "%llu", (unsigned long long)pool->online);
	snprintf(leases, sizeof(leases), "%llu", (unsigned long long)pool->leases);
	snprintf(usage, sizeof(usage), "%.1f%%", pool_usage(pool));
	rwctl_list_row(list, (const char *[]){
		pool->name, rw_range_format(&pool->range, range, sizeof(range)), size, online,
		leases, usage,
	});
	return true;
}

static int pool_list(rwctl_opts_t *opts, int argc, char **argv)
{
	static const char *headers[] = {
		"NAME", "RANGE", "SIZE", "ONLINE", "LEASES", "USAGE",
	};
	const rwctl_cmd_t *cmd = find_cmd("list");
	rwctl_list_t *list;
	rw_store_t *store;
	rw_error_t err;
	bool force;
	int rc;

	rc = parse_pool_options(opts, cmd, false, argc, argv, 0, 0, &force, NULL);
	if (rc != RWCTL_CONTINUE)
	{
		return rc;
	}
	rc = rwctl_open(opts, RWCTL_DB_READ, &store);
	if (rc != RWCTL_EXIT_OK)
	{
		return rc;
	}
	list = rwctl_list_begin(opts, headers, 6);
	if (rw_store_pool_list(store, list_one_pool, list, &err) != RW_OK)
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

static int pool_show(rwctl_opts_t *opts, int argc, char **argv)
{
	const rwctl_cmd_t *cmd = find_cmd("show");
	char addr[RW_ADDR_STRLEN], number[32], when[32];
	rw_store_t *store;
	json_object *o;
	rw_pool_t pool;
	rw_error_t err;
	bool force;
	int rc;

	rc = parse_pool_options(opts, cmd, false, argc, argv, 1, 1, &force, NULL);
	if (rc != RWCTL_CONTINUE)
	{
		return rc;
	}
	rc = rwctl_open(opts, RWCTL_DB_READ, &store);
	if (rc != RWCTL_EXIT_OK)
	{
		return rc;
	}
	if (rw_store_pool_get(store, argv[optind], &pool, &err) != RW_OK)
	{
		rc = rwctl_fail_store(&err);
	}
	if (rc != RWCTL_EXIT_OK)
	{
		rw_store_close(store);
		return rc;
	}
	if (opts->json)
	{
		o = pool_json(&pool);
		rc = rwctl_dns_show(store, NULL, pool.name, o);
		rw_store_close(store);
		if (rc != RWCTL_EXIT_OK)
		{
			json_object_put(o);
			return rc;
		}
		return rwctl_print_json(o);
	}
	rwctl_show_field("name:", pool.name);
	rwctl_show_field("first:", rw_addr_format(&pool.range.start, addr, sizeof(addr)));
	rwctl_show_field("last:", rw_addr_format(&pool.range.end, addr, sizeof(addr)));
	snprintf(number, sizeof(number), "%llu", (unsigned long long)pool.size);
	rwctl_show_field("size:", number);
	snprintf(number, sizeof(number), "%llu", (unsigned long long)pool.online);
	rwctl_show_field("online:", number);
	snprintf(number, sizeof(number), "%llu", (unsigned long long)pool.leases);
	rwctl_show_field("leases:", number);
	snprintf(number, sizeof(number), "%.1f%%", pool_usage(&pool));
	rwctl_show_field("usage:", number);
	rwctl_show_field("created:", rwctl_time_local(pool.created, when, sizeof(when)));
	rc = rwctl_dns_show(store, NULL, pool.name, NULL);
	rw_store_close(store);
	return rc == RWCTL_EXIT_OK ? rwctl_flush_stdout() : rc;
}

/* ------------------------------------------------------------------------------ */

typedef struct {
	const rw_addr_t *address;
	char *pool;
	size_t len;
	bool found;
} pool_search_t;

static bool match_pool(const rw_pool_t *pool, void *ctx)
{
	pool_search_t *search = ctx;

	if (rw_range_contains(&pool->range, search->address))
	{
		snprintf(search->pool, search->len, "%s", pool->name);
		search->found = true;
		return false;
	}
	return true;
}

int rwctl_pool_for_address(rw_store_t *store, const rw_addr_t *address, char *pool,
						   size_t len)
{
	pool_search_t search = { .address = address, .pool = pool, .len = len };
	char addr[RW_ADDR_STRLEN];
	rw_error_t err;

	if (rw_store_pool_list(store, match_pool, &search, &err) != RW_OK)
	{
		return rwctl_fail_store(&err);
	}
	if (!search.found)
	{
		return rwctl_fail(RWCTL_EXIT_NOTFOUND, "no pool contains %s: add one with "
						  "'rwctl pool add' or name it with --pool",
						  rw_addr_format(address, addr, sizeof(addr)));
	}
	return RWCTL_EXIT_OK;
}
