/*
 * rwctl user add|del|set|passwd|list|show (import and export are in csv.c).
 */

#include "common.h"
#include "dns.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rw_nthash.h"

enum {
	OPT_PASSWORD_STDIN = RWCTL_OPT_LOCAL,
	OPT_NT_HASH_STDIN,
	OPT_STATIC_IP,
	OPT_POOL,
	OPT_EXPIRES,
	OPT_SESSION_LIMIT,
	OPT_DISABLE,
	OPT_ENABLE,
};

static const struct option user_options[] = {
	RWCTL_COMMON_OPTIONS,
	{ "password-stdin", no_argument, NULL, OPT_PASSWORD_STDIN },
	{ "nt-hash-stdin", no_argument, NULL, OPT_NT_HASH_STDIN },
	{ "static-ip", required_argument, NULL, OPT_STATIC_IP },
	{ "pool", required_argument, NULL, OPT_POOL },
	{ "expires", required_argument, NULL, OPT_EXPIRES },
	{ "session-limit", required_argument, NULL, OPT_SESSION_LIMIT },
	{ "disable", no_argument, NULL, OPT_DISABLE },
	{ "enable", no_argument, NULL, OPT_ENABLE },
	RWCTL_DNS_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

#define SECRET_OPTIONS_HELP \
	"  --password-stdin       read the password from the first line of stdin\n" \
	"                         (default: ask twice on the terminal, without echo)\n" \
	"  --nt-hash-stdin        read an NT hash (32 hex digits) from stdin instead,\n" \
	"                         e.g. one exported from another system\n"

#define ATTRIBUTE_OPTIONS_HELP \
	"  --static-ip ADDR|none  always give the user this address; it is reserved\n" \
	"                         inside its pool\n" \
	"  --pool NAME            pool of --static-ip (default: the pool containing it)\n" \
	"  --expires WHEN|never   the user can log in until then: YYYY-MM-DD (local\n" \
	"                         midnight), 'YYYY-MM-DD HH:MM[:SS]', ...Z for UTC,\n" \
	"                         @EPOCH, +Nh, +Nd, +Nw, now, never (default)\n" \
	"  --session-limit N|none at most N sessions at once (default: none)\n" \
	"  --disable, --enable    refuse / allow logins\n"

static int user_add(rwctl_opts_t *opts, int argc, char **argv);
static int user_del(rwctl_opts_t *opts, int argc, char **argv);
static int user_set(rwctl_opts_t *opts, int argc, char **argv);
static int user_passwd(rwctl_opts_t *opts, int argc, char **argv);
static int user_list(rwctl_opts_t *opts, int argc, char **argv);
static int user_show(rwctl_opts_t *opts, int argc, char **argv);

const rwctl_cmd_t rwctl_user_cmds[] = {
	{ .name = "add", .run = user_add, .usage = "user add NAME [OPTIONS]",
	  .summary = "add a user",
	  .description = "Add a user who logs in with EAP-MSCHAPv2. The password is asked twice on\n"
		"the terminal without echo, or read with --password-stdin.",
	  .options_help = SECRET_OPTIONS_HELP ATTRIBUTE_OPTIONS_HELP },
	{ .name = "del", .run = user_del, .usage = "user del NAME",
	  .summary = "delete a user",
	  .description = "Delete a user: charon cuts his sessions, his static address becomes free;\n"
		"his history stays." },
	{ .name = "set", .run = user_set, .usage = "user set NAME OPTIONS",
	  .summary = "change a user",
	  .description = "Change a user. charon applies it at once: disabling or expiring cuts his\n"
		"sessions. The DNS options set what the rw-dns plugin sends to him at his next\n"
		"login, overriding his pool's and the connection's values; refused if a DNS\n"
		"server would lie outside the split networks.",
	  .options_help = ATTRIBUTE_OPTIONS_HELP RWCTL_DNS_HELP },
	{ .name = "passwd", .run = user_passwd, .usage = "user passwd NAME [OPTIONS]",
	  .summary = "set a user's password",
	  .options_help = SECRET_OPTIONS_HELP },
	{ .name = "list", .run = user_list, .usage = "user list",
	  .summary = "list users",
	  .description = "List users. Columns: NAME STATE EXPIRES STATIC_IP POOL SESSION_LIMIT ONLINE\n"
		"(STATE is enabled, disabled or expired; ONLINE counts his sessions now)." },
	{ .name = "show", .run = user_show, .usage = "user show NAME",
	  .summary = "show a user",
	  .description = "Show a user, with his DNS settings and where each comes from." },
	{ .name = "import", .run = rwctl_user_import, .usage = "user import [FILE|-] [--dry-run]",
	  .summary = "add users from CSV",
	  .description = "Add users from CSV (stdin if no FILE) in one transaction: all of them, or\n"
		"none if any line is bad; every bad line is reported as FILE:LINE: reason.\n"
		"The header line names the columns, in any order:\n"
		"  name                   the user name (required)\n"
		"  password or nt_hash    one of them on each line (nt_hash: 32 hex digits)\n"
		"  static_ip, pool        optional static address; pool defaults to the\n"
		"                         pool containing it\n"
		"  expires                empty for never, or as --expires of 'user add'\n"
		"  session_limit          empty for none\n"
		"  enabled                yes or no (default yes)\n"
		"A field with a comma, quote or leading space is quoted (\"a,\"\"b\"), RFC 4180.\n"
		"Shows a progress bar when stderr is a terminal.",
	  .options_help = "  --dry-run              check the file against the database, import nothing\n" },
	{ .name = "export", .run = rwctl_user_export, .usage = "user export [FILE|-]",
	  .summary = "write users as CSV",
	  .description = "Write all users as CSV that 'user import' reads back: name, nt_hash,\n"
		"static_ip, pool, expires (UTC), session_limit, enabled. NT hashes, never\n"
		"passwords; they are password equivalents, so FILE is created with mode 0600." },
	{ .name = NULL },
};

int rwctl_user(rwctl_opts_t *opts, int argc, char **argv)
{
	return rwctl_group_run(opts, "user", rwctl_user_cmds, argc, argv);
}

static const rwctl_cmd_t *find_cmd(const char *name)
{
	const rwctl_cmd_t *cmd;

	for (cmd = rwctl_user_cmds; cmd->name; cmd++)
	{
		if (!strcmp(cmd->name, name))
		{
			return cmd;
		}
	}
	abort();
}

/* what the options of add, set and passwd asked for */
typedef struct {
	rwctl_secret_source_t secret;
	bool secret_given;
	const char *static_ip;
	const char *pool;
	const char *expires;
	const char *session_limit;
	/* -1 unchanged, 0 disable, 1 enable */
	int enable;
	rwctl_dns_changes_t dns;
} user_changes_t;

/*
 * Parse the options of add, set and passwd; allowed is a mask of what the command
 * accepts. Returns RWCTL_CONTINUE or an exit status.
 */
enum { ALLOW_SECRET = 1, ALLOW_ATTRIBUTES = 2, ALLOW_DNS = 4 };

static int parse_user_options(rwctl_opts_t *opts, const rwctl_cmd_t *cmd, int allowed,
							  int argc, char **argv, user_changes_t *changes)
{
	int opt, rc;

	*changes = (user_changes_t){ .secret = RWCTL_SECRET_PROMPT, .enable = -1 };
	while ((opt = getopt_long(argc, argv, RWCTL_SHORT_OPTIONS, user_options,
							  NULL)) != -1)
	{
		bool is_secret = opt == OPT_PASSWORD_STDIN || opt == OPT_NT_HASH_STDIN;
		bool is_attribute = opt >= OPT_STATIC_IP && opt <= OPT_ENABLE;
		bool is_dns = rwctl_dns_is_option(opt);

		if ((is_secret && !(allowed & ALLOW_SECRET)) ||
			(is_attribute && !(allowed & ALLOW_ATTRIBUTES)) ||
			(is_dns && !(allowed & ALLOW_DNS)))
		{
			return rwctl_usage_error(cmd, "option %s does not apply here",
									 argv[optind - 1]);
		}
		if (is_dns)
		{
			rc = rwctl_dns_option(&changes->dns, cmd, opt, optarg);
			if (rc != RWCTL_CONTINUE)
			{
				return rc;
			}
			continue;
		}
		switch (opt)
		{
			case OPT_PASSWORD_STDIN:
			case OPT_NT_HASH_STDIN:
				if (changes->secret_given)
				{
					return rwctl_usage_error(cmd, "give either --password-stdin or "
											 "--nt-hash-stdin");
				}
				changes->secret_given = true;
				changes->secret = opt == OPT_PASSWORD_STDIN ?
					RWCTL_SECRET_PASSWORD_STDIN : RWCTL_SECRET_HASH_STDIN;
				break;
			case OPT_STATIC_IP:
				changes->static_ip = optarg;
				break;
			case OPT_POOL:
				changes->pool = optarg;
				break;
			case OPT_EXPIRES:
				changes->expires = optarg;
				break;
			case OPT_SESSION_LIMIT:
				changes->session_limit = optarg;
				break;
			case OPT_DISABLE:
			case OPT_ENABLE:
				if (changes->enable != -1 && changes->enable != (opt == OPT_ENABLE))
				{
					return rwctl_usage_error(cmd, "give either --enable or --disable");
				}
				changes->enable = opt == OPT_ENABLE;
				break;
			default:
				rc = rwctl_common_option(opts, cmd, opt, argv);
				if (rc != RWCTL_CONTINUE)
				{
					return rc;
				}
		}
	}
	if (changes->pool && !changes->static_ip)
	{
		return rwctl_usage_error(cmd, "--pool names the pool of --static-ip");
	}
	if (changes->pool && changes->static_ip && !strcmp(changes->static_ip, "none"))
	{
		return rwctl_usage_error(cmd, "--pool makes no sense with --static-ip none");
	}
	return RWCTL_CONTINUE;
}

/* check a user name given on the command line; RWCTL_CONTINUE if fine */
static int check_name(const rwctl_cmd_t *cmd, const char *name)
{
	rw_error_t err;

	if (rw_user_name_check(name, &err) != RW_OK)
	{
		return rwctl_usage_error(cmd, "invalid user name '%s': %s", name, err.msg);
	}
	return RWCTL_CONTINUE;
}

/*
 * Fill the attributes of user from changes (values already validated by
 * validate_attributes()); the mask receives the RW_USER_* fields set. Resolving
 * the pool of a static address needs the store.
 */
static int apply_attributes(rw_store_t *store, const user_changes_t *changes,
							rw_user_t *user, int *mask)
{
	int rc;

	*mask = 0;
	if (changes->static_ip)
	{
		*mask |= RW_USER_STATIC;
		user->static_ip = (rw_addr_t){ 0 };
		user->pool[0] = '\0';
		if (strcmp(changes->static_ip, "none"))
		{
			rw_addr_parse(changes->static_ip, &user->static_ip);
			if (changes->pool)
			{
				snprintf(user->pool, sizeof(user->pool), "%s", changes->pool);
			}
			else
			{
				rc = rwctl_pool_for_address(store, &user->static_ip, user->pool,
											sizeof(user->pool));
				if (rc != RWCTL_EXIT_OK)
				{
					return rc;
				}
			}
		}
	}
	if (changes->expires)
	{
		*mask |= RW_USER_EXPIRES;
		rwctl_parse_time(changes->expires, rwctl_now(), &user->expires);
	}
	if (changes->session_limit)
	{
		*mask |= RW_USER_LIMIT;
		rwctl_parse_count(changes->session_limit, true, &user->session_limit);
	}
	if (changes->enable != -1)
	{
		*mask |= RW_USER_ENABLED;
		user->enabled = changes->enable;
	}
	return RWCTL_EXIT_OK;
}

/* malformed values are usage errors, found before the database is touched */
static int validate_attributes(const rwctl_cmd_t *cmd, const user_changes_t *changes)
{
	rw_addr_t addr;
	int64_t when;
	int limit;

	if (changes->static_ip && strcmp(changes->static_ip, "none") &&
		rw_addr_parse(changes->static_ip, &addr) != RW_OK)
	{
		return rwctl_usage_error(cmd, "--static-ip takes an IPv4 or IPv6 address or "
								 "'none', not '%s'", changes->static_ip);
	}
	if (changes->pool && (!changes->pool[0] ||
						  strlen(changes->pool) > RW_POOL_NAME_MAX))
	{
		return rwctl_usage_error(cmd, "invalid pool name '%s'", changes->pool);
	}
	if (changes->expires && !rwctl_parse_time(changes->expires, rwctl_now(), &when))
	{
		return rwctl_usage_error(cmd, "--expires takes a date such as 2025-12-31, "
								 "'2025-12-31 18:00', +30d or never, not '%s'",
								 changes->expires);
	}
	if (changes->session_limit &&
		!rwctl_parse_count(changes->session_limit, true, &limit))
	{
		return rwctl_usage_error(cmd, "--session-limit takes a number or 'none', not "
								 "'%s'", changes->session_limit);
	}
	return RWCTL_CONTINUE;
}

static int user_add(rwctl_opts_t *opts, int argc, char **argv)
{
	const rwctl_cmd_t *cmd = find_cmd("add");
	user_changes_t changes;
	rw_store_t *store = NULL;
	rw_user_t user = { .enabled = true }, existing;
	rw_error_t err;
	int rc, mask;

	rc = parse_user_options(opts, cmd, ALLOW_SECRET | ALLOW_ATTRIBUTES, argc, argv,
							&changes);
	if (rc == RWCTL_CONTINUE)
	{
		rc = rwctl_positional(cmd, argc, argv, 1, 1);
	}
	if (rc == RWCTL_CONTINUE)
	{
		rc = check_name(cmd, argv[optind]);
	}
	if (rc == RWCTL_CONTINUE)
	{
		rc = validate_attributes(cmd, &changes);
	}
	if (rc != RWCTL_CONTINUE)
	{
		return rc;
	}
	snprintf(user.name, sizeof(user.name), "%s", argv[optind]);
	rc = rwctl_open(opts, RWCTL_DB_CREATE, &store);
	if (rc != RWCTL_EXIT_OK)
	{
		return rc;
	}
	/* refuse before asking for a password that would be thrown away */
	if (rw_store_user_get(store, user.name, &existing, &err) == RW_OK)
	{
		rc = rwctl_fail(RWCTL_EXIT_CONFLICT, "user '%s' exists already", existing.name);
	}
	if (rc == RWCTL_EXIT_OK)
	{
		rc = apply_attributes(store, &changes, &user, &mask);
	}
	if (rc == RWCTL_EXIT_OK)
	{
		rc = rwctl_read_secret(changes.secret, user.name, user.nt_hash);
	}
	if (rc == RWCTL_EXIT_OK && rw_store_user_add(store, &user, &err) != RW_OK)
	{
		rc = rwctl_fail_store(&err);
	}
	explicit_bzero(user.nt_hash, sizeof(user.nt_hash));
	rw_store_close(store);
	return rc;
}

static int user_del(rwctl_opts_t *opts, int argc, char **argv)
{
	const rwctl_cmd_t *cmd = find_cmd("del");
	user_changes_t changes;
	rw_store_t *store;
	rw_error_t err;
	int rc;

	rc = parse_user_options(opts, cmd, 0, argc, argv, &changes);
	if (rc == RWCTL_CONTINUE)
	{
		rc = rwctl_positional(cmd, argc, argv, 1, 1);
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
	if (rw_store_user_del(store, argv[optind], &err) != RW_OK)
	{
		rc = rwctl_fail_store(&err);
	}
	rw_store_close(store);
	return rc;
}

static int user_set(rwctl_opts_t *opts, int argc, char **argv)
{
	const rwctl_cmd_t *cmd = find_cmd("set");
	user_changes_t changes;
	rw_store_t *store;
	rw_user_t user;
	rw_error_t err;
	int rc, mask;

	rc = parse_user_options(opts, cmd, ALLOW_ATTRIBUTES | ALLOW_DNS, argc, argv,
							&changes);
	if (rc == RWCTL_CONTINUE)
	{
		rc = rwctl_positional(cmd, argc, argv, 1, 1);
	}
	if (rc == RWCTL_CONTINUE)
	{
		rc = validate_attributes(cmd, &changes);
	}
	if (rc == RWCTL_CONTINUE && !changes.static_ip && !changes.expires &&
		!changes.session_limit && changes.enable == -1 && !rwctl_dns_any(&changes.dns))
	{
		rc = rwctl_usage_error(cmd, "nothing to change: give --static-ip, --expires, "
							   "--session-limit, --enable, --disable or DNS options");
	}
	if (rc != RWCTL_CONTINUE)
	{
		rwctl_dns_changes_free(&changes.dns);
		return rc;
	}
	rc = rwctl_open(opts, RWCTL_DB_CHANGE, &store);
	if (rc != RWCTL_EXIT_OK)
	{
		rwctl_dns_changes_free(&changes.dns);
		return rc;
	}
	if (rw_store_user_get(store, argv[optind], &user, &err) != RW_OK)
	{
		rc = rwctl_fail_store(&err);
	}
	if (rc == RWCTL_EXIT_OK)
	{
		rc = apply_attributes(store, &changes, &user, &mask);
	}
	if (rc == RWCTL_EXIT_OK && mask && rw_store_user_set(store, &user, mask,
														 &err) != RW_OK)
	{
		rc = rwctl_fail_store(&err);
	}
	if (rc == RWCTL_EXIT_OK && rwctl_dns_any(&changes.dns))
	{
		rc = rwctl_dns_apply(store, RW_DNS_OF_USER, user.name, &changes.dns);
	}
	explicit_bzero(user.nt_hash, sizeof(user.nt_hash));
	rw_store_close(store);
	rwctl_dns_changes_free(&changes.dns);
	return rc;
}

static int user_passwd(rwctl_opts_t *opts, int argc, char **argv)
{
	const rwctl_cmd_t *cmd = find_cmd("passwd");
	user_changes_t changes;
	rw_store_t *store;
	rw_user_t user;
	rw_error_t err;
	int rc;

	rc = parse_user_options(opts, cmd, ALLOW_SECRET, argc, argv, &changes);
	if (rc == RWCTL_CONTINUE)
	{
		rc = rwctl_positional(cmd, argc, argv, 1, 1);
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
	if (rw_store_user_get(store, argv[optind], &user, &err) != RW_OK)
	{
		rc = rwctl_fail_store(&err);
	}
	if (rc == RWCTL_EXIT_OK)
	{
		rc = rwctl_read_secret(changes.secret, user.name, user.nt_hash);
	}
	if (rc == RWCTL_EXIT_OK &&
		rw_store_user_set(store, &user, RW_USER_NT_HASH, &err) != RW_OK)
	{
		rc = rwctl_fail_store(&err);
	}
	explicit_bzero(user.nt_hash, sizeof(user.nt_hash));
	rw_store_close(store);
	return rc;
}

/* ------------------------------------------------------------------------------ */
/* listing */

/* online sessions per user, to show next to each user without a query per user */
typedef struct {
	char (*names)[RW_NAME_MAX + 1];
	size_t count, allocated;
} online_users_t;

static bool collect_online(const rw_session_t *session, void *ctx)
{
	online_users_t *online = ctx;

	if (online->count == online->allocated)
	{
		online->allocated = online->allocated ? 2 * online->allocated : 64;
		online->names = realloc(online->names, online->allocated *
								sizeof(online->names[0]));
		if (!online->names)
		{
			abort();
		}
	}
	snprintf(online->names[online->count++], RW_NAME_MAX + 1, "%s", session->user);
	return true;
}

static int compare_names(const void *a, const void *b)
{
	return strcasecmp(a, b);
}

static int online_count(const online_users_t *online, const char *name)
{
	const char (*hit)[RW_NAME_MAX + 1];
	size_t first, last;

	if (!online->count)
	{
		return 0;
	}
	hit = bsearch(name, online->names, online->count, sizeof(online->names[0]),
				  compare_names);
	if (!hit)
	{
		return 0;
	}
	/* bsearch lands on any of the equal entries: count the run around it */
	first = last = hit - online->names;
	while (first > 0 && !strcasecmp(online->names[first - 1], name))
	{
		first--;
	}
	while (last + 1 < online->count && !strcasecmp(online->names[last + 1], name))
	{
		last++;
	}
	return (int)(last - first + 1);
}

static int load_online(rw_store_t *store, online_users_t *online)
{
	rw_error_t err;

	*online = (online_users_t){ 0 };
	if (rw_store_session_list(store, NULL, true, collect_online, online, &err) != RW_OK)
	{
		free(online->names);
		return rwctl_fail_store(&err);
	}
	if (online->count)
	{
		qsort(online->names, online->count, sizeof(online->names[0]), compare_names);
	}
	return RWCTL_EXIT_OK;
}

static const char *user_state(const rw_user_t *user, int64_t now)
{
	if (!user->enabled)
	{
		return "disabled";
	}
	if (user->expires && user->expires <= now)
	{
		return "expired";
	}
	return "enabled";
}

static json_object *json_time_or_null(int64_t t)
{
	char buf[32];

	return t ? json_object_new_string(rwctl_time_utc(t, buf, sizeof(buf))) : NULL;
}

static json_object *user_json(const rw_user_t *user, int online, int64_t now)
{
	json_object *o = json_object_new_object();
	char addr[RW_ADDR_STRLEN];

	json_object_object_add(o, "name", json_object_new_string(user->name));
	json_object_object_add(o, "state", json_object_new_string(user_state(user, now)));
	json_object_object_add(o, "enabled", json_object_new_boolean(user->enabled));
	json_object_object_add(o, "expires", json_time_or_null(user->expires));
	json_object_object_add(o, "static_ip", user->static_ip.family ?
		json_object_new_string(rw_addr_format(&user->static_ip, addr, sizeof(addr))) :
		NULL);
	json_object_object_add(o, "pool", user->pool[0] ?
						   json_object_new_string(user->pool) : NULL);
	json_object_object_add(o, "session_limit", user->session_limit ?
						   json_object_new_int(user->session_limit) : NULL);
	json_object_object_add(o, "online", json_object_new_int(online));
	json_object_object_add(o, "created", json_time_or_null(user->created));
	json_object_object_add(o, "updated", json_time_or_null(user->updated));
	return o;
}

typedef struct {
	rwctl_list_t *list;
	online_users_t online;
	int64_t now;
} user_list_ctx_t;

static bool list_one_user(const rw_user_t *user, void *data)
{
	user_list_ctx_t *ctx = data;
	char expires[32], addr[RW_ADDR_STRLEN], limit[16], online[16];
	int count = online_count(&ctx->online, user->name);

	if (rwctl_list_is_json(ctx->list))
	{
		rwctl_list_json(ctx->list, user_json(user, count, ctx->now));
		return true;
	}
	snprintf(limit, sizeof(limit), "%d", user->session_limit);
	snprintf(online, sizeof(online), "%d", count);
	rwctl_list_row(ctx->list, (const char *[]){
		user->name,
		user_state(user, ctx->now),
		user->expires ? rwctl_time_local(user->expires, expires, sizeof(expires)) :
			"never",
		user->static_ip.family ? rw_addr_format(&user->static_ip, addr, sizeof(addr)) :
			NULL,
		user->pool,
		user->session_limit ? limit : "none",
		online,
	});
	return true;
}

static int user_list(rwctl_opts_t *opts, int argc, char **argv)
{
	static const char *headers[] = {
		"NAME", "STATE", "EXPIRES", "STATIC_IP", "POOL", "SESSION_LIMIT", "ONLINE",
	};
	const rwctl_cmd_t *cmd = find_cmd("list");
	user_changes_t changes;
	user_list_ctx_t ctx = { .now = rwctl_now() };
	rw_store_t *store;
	rw_error_t err;
	int rc;

	rc = parse_user_options(opts, cmd, 0, argc, argv, &changes);
	if (rc == RWCTL_CONTINUE)
	{
		rc = rwctl_positional(cmd, argc, argv, 0, 0);
	}
	if (rc != RWCTL_CONTINUE)
	{
		return rc;
	}
	rc = rwctl_open(opts, RWCTL_DB_READ, &store);
	if (rc != RWCTL_EXIT_OK)
	{
		return rc;
	}
	rc = load_online(store, &ctx.online);
	if (rc == RWCTL_EXIT_OK)
	{
		ctx.list = rwctl_list_begin(opts, headers, 7);
		if (rw_store_user_list(store, list_one_user, &ctx, &err) != RW_OK)
		{
			rc = rwctl_fail_store(&err);
		}
		/* close the JSON array even after a failure: the error is on stderr */
		if (rwctl_list_end(ctx.list) != RWCTL_EXIT_OK && rc == RWCTL_EXIT_OK)
		{
			rc = RWCTL_EXIT_ERROR;
		}
		free(ctx.online.names);
	}
	rw_store_close(store);
	return rc;
}

static int user_show(rwctl_opts_t *opts, int argc, char **argv)
{
	const rwctl_cmd_t *cmd = find_cmd("show");
	char when[32], addr[RW_ADDR_STRLEN], number[16];
	user_changes_t changes;
	json_object *o;
	rw_store_t *store;
	rw_user_t user;
	rw_error_t err;
	int64_t now = rwctl_now();
	int rc, count;

	rc = parse_user_options(opts, cmd, 0, argc, argv, &changes);
	if (rc == RWCTL_CONTINUE)
	{
		rc = rwctl_positional(cmd, argc, argv, 1, 1);
	}
	if (rc != RWCTL_CONTINUE)
	{
		return rc;
	}
	rc = rwctl_open(opts, RWCTL_DB_READ, &store);
	if (rc != RWCTL_EXIT_OK)
	{
		return rc;
	}
	if (rw_store_user_get(store, argv[optind], &user, &err) != RW_OK)
	{
		rc = rwctl_fail_store(&err);
	}
	if (rc == RWCTL_EXIT_OK && rw_store_session_count(store, user.name, &count,
													  &err) != RW_OK)
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
		o = user_json(&user, count, now);
		rc = rwctl_dns_show(store, user.name, user.pool, o);
		rw_store_close(store);
		if (rc != RWCTL_EXIT_OK)
		{
			json_object_put(o);
			return rc;
		}
		return rwctl_print_json(o);
	}
	rwctl_show_field("name:", user.name);
	rwctl_show_field("state:", user_state(&user, now));
	rwctl_show_field("expires:", user.expires ?
					 rwctl_time_local(user.expires, when, sizeof(when)) : "never");
	rwctl_show_field("static ip:", user.static_ip.family ?
					 rw_addr_format(&user.static_ip, addr, sizeof(addr)) : NULL);
	rwctl_show_field("pool:", user.pool);
	snprintf(number, sizeof(number), "%d", user.session_limit);
	rwctl_show_field("session limit:", user.session_limit ? number : "none");
	snprintf(number, sizeof(number), "%d", count);
	rwctl_show_field("online:", number);
	rwctl_show_field("created:", rwctl_time_local(user.created, when, sizeof(when)));
	rwctl_show_field("updated:", rwctl_time_local(user.updated, when, sizeof(when)));
	rc = rwctl_dns_show(store, user.name, user.pool, NULL);
	rw_store_close(store);
	return rc == RWCTL_EXIT_OK ? rwctl_flush_stdout() : rc;
}
