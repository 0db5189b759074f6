/*
 * pool_bench: in-process benchmark of virtual IP acquire+release through charon's
 * attribute manager, as the IKE daemon calls it, for any attribute provider plugin
 * (upstream attr-sql, rw-sqlite). No daemon, no network: library_init() and
 * libcharon_init(), plugins loaded from explicit directories, one real IKE_SA per
 * simulated user with its own EAP identity.
 *
 *   pool_bench [OPTIONS] --pool NAME           run the benchmark
 *   pool_bench --probe [OPTIONS]               exit 0 if the plugins register an
 *                                              attribute provider, 3 if not
 *   pool_bench setup-attr-sql --db PATH --pool NAME --size N [...]
 *                                              create upstream's SQLite schema and a
 *                                              pre-filled pool, part of it leased
 *
 * Test addresses only from documentation ranges: 198.18.0.0/15 and 2001:db8::/32.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include <daemon.h>
#include <library.h>
#include <bus/listeners/logger.h>
#include <config/peer_cfg.h>
#include <credentials/auth_cfg.h>
#include <sa/ike_sa.h>

#ifndef POOL_BENCH_CONF
#define POOL_BENCH_CONF NULL
#endif
#ifndef POOL_BENCH_PLUGIN_DIRS
#define POOL_BENCH_PLUGIN_DIRS ""
#endif
#ifndef POOL_BENCH_SCHEMA
#define POOL_BENCH_SCHEMA ""
#endif

#define EXIT_USAGE 2
#define EXIT_NO_PROVIDER 3

static const char *prog = "pool_bench";

static void die(const char *fmt, ...)
{
	va_list args;

	fprintf(stderr, "%s: ", prog);
	va_start(args, fmt);
	vfprintf(stderr, fmt, args);
	va_end(args);
	fprintf(stderr, "\n");
	exit(1);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---------------------------------------------------------------------------- */
/* setup-attr-sql: upstream schema and a pre-filled pool, written with libsqlite3 */

/** documentation ranges only: 198.18.0.0/15 and 2001:db8::/32 */
static bool in_doc_range(int family, const unsigned char *a)
{
	if (family == AF_INET)
	{
		return a[0] == 198 && (a[1] & 0xfe) == 18;
	}
	return a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8;
}

/** add n to a big-endian address of len bytes */
static void addr_add(unsigned char *a, int len, uint64_t n)
{
	int i;

	for (i = len - 1; i >= 0 && n; i--)
	{
		n += a[i];
		a[i] = n & 0xff;
		n >>= 8;
	}
}

static void sql_exec(sqlite3 *db, const char *sql, const char *what)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
	{
		die("setup: %s failed: %s", what, err ? err : sqlite3_errmsg(db));
	}
}

static sqlite3_stmt *sql_prepare(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *stmt;

	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
	{
		die("setup: cannot prepare '%s': %s", sql, sqlite3_errmsg(db));
	}
	return stmt;
}

static void sql_step(sqlite3 *db, sqlite3_stmt *stmt, const char *what)
{
	if (sqlite3_step(stmt) != SQLITE_DONE)
	{
		die("setup: %s failed: %s", what, sqlite3_errmsg(db));
	}
	sqlite3_reset(stmt);
}

static char *read_file(const char *path)
{
	FILE *f;
	char *buf;
	long len;

	f = fopen(path, "r");
	if (!f)
	{
		die("setup: cannot read schema %s: %s", path, strerror(errno));
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = malloc(len + 1);
	if (fread(buf, 1, len, f) != (size_t)len)
	{
		die("setup: cannot read schema %s", path);
	}
	buf[len] = '\0';
	fclose(f);
	return buf;
}

static void usage_setup(FILE *out)
{
	fprintf(out,
"usage: pool_bench setup-attr-sql --db PATH --pool NAME --size N [--family 4|6]\n"
"         [--start ADDR] [--leased N] [--timeout SECONDS] [--schema FILE]\n"
"  Creates a new database PATH with upstream's schema (src/pool/sqlite.sql) and a\n"
"  pool of N addresses from ADDR (default 198.18.0.0 or 2001:db8::), one row per\n"
"  address as 'ipsec pool --add' writes them. The first --leased addresses (default\n"
"  N/2) are online (released = 0), each leased to its own identity\n"
"  'onlineI@example.com', as attr-sql hands addresses out in row order.\n"
"  --timeout is the pool's lease timeout (default 0: static leases, the default\n"
"  of 'ipsec pool --add').\n");
}

static int cmd_setup(int argc, char *argv[])
{
	const char *db_path = NULL, *pool = NULL, *start_str = NULL;
	const char *schema = POOL_BENCH_SCHEMA;
	long long size = 0, leased = -1, timeout = 0, i;
	int family = AF_INET, len, c;
	unsigned char start[16], end[16], cur[16];
	char ident[64], *sql;
	sqlite3 *db;
	sqlite3_stmt *ins_pool, *ins_id, *ins_addr;
	time_t now = time(NULL);
	double t0 = now_s();
	static struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"pool", required_argument, NULL, 'p'},
		{"size", required_argument, NULL, 'n'},
		{"family", required_argument, NULL, 'f'},
		{"start", required_argument, NULL, 's'},
		{"leased", required_argument, NULL, 'l'},
		{"timeout", required_argument, NULL, 't'},
		{"schema", required_argument, NULL, 'S'},
		{"help", no_argument, NULL, 'h'},
		{0}
	};

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1)
	{
		switch (c)
		{
			case 'd': db_path = optarg; break;
			case 'p': pool = optarg; break;
			case 'n': size = atoll(optarg); break;
			case 'f':
				family = streq(optarg, "6") ? AF_INET6 : streq(optarg, "4") ?
						 AF_INET : -1;
				break;
			case 's': start_str = optarg; break;
			case 'l': leased = atoll(optarg); break;
			case 't': timeout = atoll(optarg); break;
			case 'S': schema = optarg; break;
			case 'h': usage_setup(stdout); return 0;
			default: usage_setup(stderr); return EXIT_USAGE;
		}
	}
	if (!db_path || !pool || size <= 0 || family < 0 || optind != argc)
	{
		usage_setup(stderr);
		return EXIT_USAGE;
	}
	if (!*schema)
	{
		die("setup: no schema file known; pass --schema <strongswan-src>/src/pool/sqlite.sql");
	}
	if (leased < 0)
	{
		leased = size / 2;
	}
	if (leased > size)
	{
		die("setup: --leased %lld exceeds --size %lld", leased, size);
	}
	if (!start_str)
	{
		start_str = family == AF_INET ? "198.18.0.0" : "2001:db8::";
	}
	len = family == AF_INET ? 4 : 16;
	if (inet_pton(family, start_str, start) != 1)
	{
		die("setup: invalid IPv%d start address '%s'", family == AF_INET ? 4 : 6,
			start_str);
	}
	memcpy(end, start, len);
	addr_add(end, len, size - 1);
	if (!in_doc_range(family, start) || !in_doc_range(family, end) ||
		memcmp(end, start, len) < 0)
	{
		die("setup: %lld addresses from %s leave the documentation range %s",
			size, start_str, family == AF_INET ? "198.18.0.0/15" : "2001:db8::/32");
	}

	if (remove(db_path) != 0 && errno != ENOENT)
	{
		die("setup: cannot remove old %s: %s", db_path, strerror(errno));
	}
	if (sqlite3_open(db_path, &db) != SQLITE_OK)
	{
		die("setup: cannot create %s: %s", db_path, sqlite3_errmsg(db));
	}
	/* for this bulk load only; not persistent, the benchmark opens it as attr-sql does */
	sql_exec(db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;", "pragmas");
	sql = read_file(schema);
	sql_exec(db, sql, "creating upstream's schema");
	free(sql);

	sql_exec(db, "BEGIN", "begin");
	ins_pool = sql_prepare(db, "INSERT INTO pools (name, start, end, timeout) "
						   "VALUES (?, ?, ?, ?)");
	sqlite3_bind_text(ins_pool, 1, pool, -1, SQLITE_STATIC);
	sqlite3_bind_blob(ins_pool, 2, start, len, SQLITE_STATIC);
	sqlite3_bind_blob(ins_pool, 3, end, len, SQLITE_STATIC);
	sqlite3_bind_int64(ins_pool, 4, timeout);
	sql_step(db, ins_pool, "inserting the pool");
	sqlite3_finalize(ins_pool);

	ins_id = sql_prepare(db, "INSERT INTO identities (id, type, data) VALUES (?, ?, ?)");
	ins_addr = sql_prepare(db, "INSERT INTO addresses "
				"(pool, address, identity, acquired, released) VALUES (1, ?, ?, ?, ?)");
	memcpy(cur, start, len);
	for (i = 0; i < size; i++)
	{
		if (i < leased)
		{
			snprintf(ident, sizeof(ident), "online%lld@example.com", i + 1);
			sqlite3_bind_int64(ins_id, 1, i + 1);
			sqlite3_bind_int(ins_id, 2, ID_RFC822_ADDR);
			sqlite3_bind_blob(ins_id, 3, ident, strlen(ident), SQLITE_TRANSIENT);
			sql_step(db, ins_id, "inserting an identity");
			sqlite3_bind_int64(ins_addr, 2, i + 1);
			sqlite3_bind_int64(ins_addr, 3, now);
			sqlite3_bind_int64(ins_addr, 4, 0);
		}
		else
		{	/* as 'ipsec pool --add' writes a free address */
			sqlite3_bind_int64(ins_addr, 2, 0);
			sqlite3_bind_int64(ins_addr, 3, 0);
			sqlite3_bind_int64(ins_addr, 4, 1);
		}
		sqlite3_bind_blob(ins_addr, 1, cur, len, SQLITE_TRANSIENT);
		sql_step(db, ins_addr, "inserting an address");
		addr_add(cur, len, 1);
	}
	sqlite3_finalize(ins_id);
	sqlite3_finalize(ins_addr);
	sql_exec(db, "COMMIT", "commit");
	if (sqlite3_close(db) != SQLITE_OK)
	{
		die("setup: closing %s failed", db_path);
	}
	inet_ntop(family, end, ident, sizeof(ident));
	printf("setup: %s: pool '%s' %s-%s, %lld addresses, %lld leased, timeout %lld "
		   "(%.1f s)\n", db_path, pool, start_str, ident, size, leased, timeout,
		   now_s() - t0);
	return 0;
}

/* ---------------------------------------------------------------------------- */
/* the benchmark                                                                 */

/** stderr logger while plugins load, so load failures are visible */
static level_t log_level = 1;

METHOD(logger_t, log_, void,
	logger_t *this, debug_t group, level_t level, int thread, ike_sa_t *ike_sa,
	const char *message)
{
	fprintf(stderr, "%s: [%s] %s\n", prog, enum_to_name(debug_names, group) ?: "?",
			message);
}

METHOD(logger_t, get_level, level_t,
	logger_t *this, debug_t group)
{
	return log_level;
}

static logger_t stderr_logger;

/** count attribute providers the plugins register */
static int providers;
static void (*orig_add_provider)(attribute_manager_t*, attribute_provider_t*);
static void (*orig_remove_provider)(attribute_manager_t*, attribute_provider_t*);

static void counting_add_provider(attribute_manager_t *this,
								  attribute_provider_t *provider)
{
	providers++;
	orig_add_provider(this, provider);
}

static void counting_remove_provider(attribute_manager_t *this,
									 attribute_provider_t *provider)
{
	providers--;
	orig_remove_provider(this, provider);
}

typedef struct {
	ike_sa_t *ike_sa;
	host_t *last;
} user_t;

static ike_sa_t *create_user_sa(u_int i, peer_cfg_t *peer_cfg)
{
	ike_sa_id_t *id;
	ike_sa_t *ike_sa;
	auth_cfg_t *auth;
	char buf[64];

	id = ike_sa_id_create(IKEV2, 0x5000000000000000ULL + i, 0x6000000000000000ULL + i,
						  FALSE);
	ike_sa = ike_sa_create(id, FALSE, IKEV2);
	id->destroy(id);
	if (!ike_sa)
	{
		die("cannot create an IKE_SA");
	}
	ike_sa->set_peer_cfg(ike_sa, peer_cfg);
	ike_sa->set_my_host(ike_sa, host_create_from_string("192.0.2.1", 4500));
	/* remote peers behind NATs in 198.51.100.0/24, distinct ports */
	snprintf(buf, sizeof(buf), "198.51.100.%u", 1 + i % 254);
	ike_sa->set_other_host(ike_sa, host_create_from_string(buf, 1024 + i % 60000));
	ike_sa->set_my_id(ike_sa, identification_create_from_string("gw.example.com"));
	/* IKE identity = the client's address (as Windows does), EAP identity = user */
	ike_sa->set_other_id(ike_sa, identification_create_from_string(buf));
	auth = auth_cfg_create();
	auth->add(auth, AUTH_RULE_AUTH_CLASS, AUTH_CLASS_EAP);
	auth->add(auth, AUTH_RULE_IDENTITY, identification_create_from_string(buf));
	snprintf(buf, sizeof(buf), "bench%u@example.com", i + 1);
	auth->add(auth, AUTH_RULE_EAP_IDENTITY, identification_create_from_string(buf));
	ike_sa->add_auth_cfg(ike_sa, FALSE, auth);
	return ike_sa;
}

/** whether name is a word of the space separated list */
static bool is_loaded(const char *list, const char *name)
{
	size_t len = strlen(name);
	const char *pos = list;

	while ((pos = strstr(pos, name)))
	{
		if ((pos == list || pos[-1] == ' ') && (pos[len] == ' ' || pos[len] == '\0'))
		{
			return TRUE;
		}
		pos += len;
	}
	return FALSE;
}

static void usage(FILE *out)
{
	fprintf(out,
"usage: pool_bench [--conf FILE] [--plugins LIST] [--plugin-dir DIR]... [--db PATH]\n"
"         [--set KEY=VALUE]... --pool NAME [--family 4|6] [--users U] [--ops N]\n"
"         [--seconds S] [--debug LEVEL]\n"
"       pool_bench --probe [--conf FILE] [--plugins LIST] [--db PATH] [--set ...]\n"
"       pool_bench setup-attr-sql --help\n"
"  Loads LIST (default \"sqlite attr-sql\") from the --plugin-dir directories (default\n"
"  %s),\n"
"  then each of U users (default 32, own IKE_SA and EAP identity bench<i>@example.com)\n"
"  acquires and releases an address once (warm-up, timed separately), then users take\n"
"  turns to acquire+release through charon->attributes until N operations (default\n"
"  100000) or S seconds (default 20) are reached. One operation = one acquire_address()\n"
"  + one release_address().\n"
"  --db PATH sets charon.plugins.attr-sql.database=sqlite://PATH and\n"
"  charon.plugins.rw-sqlite.database=PATH. --conf defaults to\n"
"  %s.\n"
"  --probe exits 0 if the plugins register an attribute provider, %d if not.\n"
"  The last line is: result: ops=N seconds=S ops_per_s=X us_per_op=Y ...\n",
		POOL_BENCH_PLUGIN_DIRS, POOL_BENCH_CONF ? POOL_BENCH_CONF : "strongswan.conf",
		EXIT_NO_PROVIDER);
}

static void set_option(const char *kv)
{
	char key[256], *value;

	snprintf(key, sizeof(key), "%s", kv);
	value = strchr(key, '=');
	if (!value || value == key)
	{
		die("--set needs KEY=VALUE, got '%s'", kv);
	}
	*value++ = '\0';
	lib->settings->set_str(lib->settings, "%s", value, key);
}

int main(int argc, char *argv[])
{
	char *conf = POOL_BENCH_CONF, *plugins = "sqlite attr-sql", *pool = NULL;
	char *db = NULL, *sets[32], *dirs[16], *loaded, *token, key[256];
	int nsets = 0, ndirs = 0, family = AF_INET, c, i, nusers = 32;
	long long max_ops = 100000, ops, sticky_changes = 0;
	double max_seconds = 20, t0, t1, warm;
	const char *stop;
	bool probe = FALSE, missing = FALSE;
	linked_list_t *pools;
	peer_cfg_t *peer_cfg;
	host_t *requested, *addr;
	user_t *users;
	enumerator_t *enumerator;
	static struct option opts[] = {
		{"conf", required_argument, NULL, 'c'},
		{"plugins", required_argument, NULL, 'P'},
		{"plugin-dir", required_argument, NULL, 'D'},
		{"db", required_argument, NULL, 'd'},
		{"set", required_argument, NULL, 's'},
		{"pool", required_argument, NULL, 'p'},
		{"family", required_argument, NULL, 'f'},
		{"users", required_argument, NULL, 'u'},
		{"ops", required_argument, NULL, 'n'},
		{"seconds", required_argument, NULL, 'S'},
		{"debug", required_argument, NULL, 'g'},
		{"probe", no_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{0}
	};

	if (argc > 1 && streq(argv[1], "setup-attr-sql"))
	{
		return cmd_setup(argc - 1, argv + 1);
	}
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1)
	{
		switch (c)
		{
			case 'c': conf = optarg; break;
			case 'P': plugins = optarg; break;
			case 'D':
				if (ndirs == countof(dirs))
				{
					die("too many --plugin-dir");
				}
				dirs[ndirs++] = optarg;
				break;
			case 'd': db = optarg; break;
			case 's':
				if (nsets == countof(sets))
				{
					die("too many --set");
				}
				sets[nsets++] = optarg;
				break;
			case 'p': pool = optarg; break;
			case 'f':
				family = streq(optarg, "6") ? AF_INET6 : streq(optarg, "4") ?
						 AF_INET : -1;
				break;
			case 'u': nusers = atoi(optarg); break;
			case 'n': max_ops = atoll(optarg); break;
			case 'S': max_seconds = atof(optarg); break;
			case 'g': log_level = atoi(optarg); break;
			case 'r': probe = TRUE; break;
			case 'h': usage(stdout); return 0;
			default: usage(stderr); return EXIT_USAGE;
		}
	}
	if ((!probe && !pool) || family < 0 || nusers < 1 || max_ops < 1 ||
		max_seconds <= 0 || optind != argc)
	{
		usage(stderr);
		return EXIT_USAGE;
	}
	if (conf && access(conf, R_OK) != 0)
	{
		die("cannot read %s: %s", conf, strerror(errno));
	}

	if (!library_init(conf, "charon"))
	{
		die("library_init failed (%s)", conf ? conf : "default strongswan.conf");
	}
	if (!libcharon_init())
	{
		die("libcharon_init failed");
	}
	if (db)
	{
		snprintf(key, sizeof(key), "sqlite://%s", db);
		lib->settings->set_str(lib->settings, "charon.plugins.attr-sql.database", key);
		lib->settings->set_str(lib->settings, "charon.plugins.rw-sqlite.database", db);
	}
	for (i = 0; i < nsets; i++)
	{
		set_option(sets[i]);
	}
	if (ndirs == 0)
	{
		enumerator = enumerator_create_token(POOL_BENCH_PLUGIN_DIRS, ":", " ");
		while (enumerator->enumerate(enumerator, &token))
		{
			lib->plugins->add_path(lib->plugins, token);
		}
		enumerator->destroy(enumerator);
	}
	for (i = 0; i < ndirs; i++)
	{
		lib->plugins->add_path(lib->plugins, dirs[i]);
	}

	stderr_logger = (logger_t){
		.log = _log_,
		.get_level = _get_level,
	};
	charon->bus->add_logger(charon->bus, &stderr_logger);
	orig_add_provider = charon->attributes->add_provider;
	orig_remove_provider = charon->attributes->remove_provider;
	charon->attributes->add_provider = counting_add_provider;
	charon->attributes->remove_provider = counting_remove_provider;
	if (!lib->plugins->load(lib->plugins, plugins))
	{
		die("loading plugins '%s' failed", plugins);
	}
	charon->bus->remove_logger(charon->bus, &stderr_logger);
	if (log_level > 1)
	{	/* keep logging during the run when asked for more than load errors */
		charon->bus->add_logger(charon->bus, &stderr_logger);
	}

	loaded = lib->plugins->loaded_plugins(lib->plugins);
	enumerator = enumerator_create_token(plugins, " ", " !");
	while (enumerator->enumerate(enumerator, &token))
	{
		if (!is_loaded(loaded, token))
		{
			fprintf(stderr, "%s: plugin '%s' not loaded (loaded: %s)\n", prog, token,
					loaded);
			missing = TRUE;
		}
	}
	enumerator->destroy(enumerator);
	if (probe)
	{
		/* unloading removes the providers again */
		int status = providers > 0 && !missing ? 0 : EXIT_NO_PROVIDER;

		printf("probe: plugins '%s', loaded '%s', %d attribute provider(s)\n",
			   plugins, loaded, providers);
		lib->plugins->unload(lib->plugins);
		libcharon_deinit();
		library_deinit();
		return status;
	}
	if (missing)
	{
		die("not all plugins loaded (see above; the debug log is on stderr)");
	}
	if (providers <= 0)
	{
		die("plugins '%s' registered no attribute provider", plugins);
	}

	pools = linked_list_create();
	pools->insert_last(pools, pool);
	{
		ike_cfg_create_t ike = {
			.version = IKEV2,
			.local = "192.0.2.1",
			.remote = "%any",
			.local_port = IKEV2_NATT_PORT,
			.remote_port = IKEV2_UDP_PORT,
		};
		peer_cfg_create_t peer = {
			.unique = UNIQUE_REPLACE,
		};
		peer_cfg = peer_cfg_create("pool-bench", ike_cfg_create(&ike), &peer);
		peer_cfg->add_pool(peer_cfg, pool);
	}
	users = calloc(nusers, sizeof(user_t));
	for (i = 0; i < nusers; i++)
	{
		users[i].ike_sa = create_user_sa(i, peer_cfg);
	}
	requested = host_create_any(family);

	printf("pool_bench: plugins '%s', pool '%s' (IPv%d), %d users, %d attribute "
		   "provider(s), at most %lld ops or %.0f s\n", plugins, pool,
		   family == AF_INET ? 4 : 6, nusers, providers, max_ops, max_seconds);
	fflush(stdout);

	/* warm-up: each user's first lease */
	t0 = now_s();
	for (i = 0; i < nusers; i++)
	{
		addr = charon->attributes->acquire_address(charon->attributes, pools,
												   users[i].ike_sa, requested);
		if (!addr)
		{
			die("warm-up: no address for user %d in pool '%s'", i + 1, pool);
		}
		if (!charon->attributes->release_address(charon->attributes, pools, addr,
												 users[i].ike_sa))
		{
			die("warm-up: releasing %H of user %d failed", addr, i + 1);
		}
		users[i].last = addr;
	}
	warm = now_s() - t0;
	printf("warmup: %d first leases in %.3f s (%.1f ops/s)\n", nusers, warm,
		   nusers / warm);
	fflush(stdout);

	/* worker threads, as in charon: plugins' periodic jobs (rw-sqlite writes its
	 * deferred lease releases in batches from one) run beside the loop */
	lib->processor->set_threads(lib->processor, 4);

	/* measured: users take turns reconnecting */
	t0 = now_s();
	t1 = t0;
	for (ops = 0; ops < max_ops && t1 - t0 < max_seconds; )
	{
		user_t *u = &users[ops % nusers];

		addr = charon->attributes->acquire_address(charon->attributes, pools,
												   u->ike_sa, requested);
		if (!addr)
		{
			die("op %lld: no address for user %lld in pool '%s'", ops + 1,
				ops % nusers + 1, pool);
		}
		if (addr->get_family(addr) != family)
		{
			die("op %lld: got %H, not IPv%d", ops + 1, addr, family == AF_INET ? 4 : 6);
		}
		if (!charon->attributes->release_address(charon->attributes, pools, addr,
												 u->ike_sa))
		{
			die("op %lld: releasing %H failed", ops + 1, addr);
		}
		if (!addr->ip_equals(addr, u->last))
		{
			sticky_changes++;
		}
		u->last->destroy(u->last);
		u->last = addr;
		ops++;
		t1 = now_s();
	}
	stop = ops >= max_ops ? "ops" : "time";

	for (i = 0; i < nusers; i++)
	{
		users[i].last->destroy(users[i].last);
		users[i].ike_sa->destroy(users[i].ike_sa);
	}
	free(users);
	requested->destroy(requested);
	peer_cfg->destroy(peer_cfg);
	pools->destroy(pools);
	/* inside the measurement: a provider writes what it deferred when unloaded;
	 * stop the workers first, as charon does before it unloads plugins */
	lib->processor->cancel(lib->processor);
	lib->scheduler->flush(lib->scheduler);
	lib->plugins->unload(lib->plugins);
	t1 = now_s();
	printf("result: ops=%lld seconds=%.3f ops_per_s=%.1f us_per_op=%.1f "
		   "stop=%s sticky_changes=%lld warmup_ops_per_s=%.1f\n", ops, t1 - t0,
		   ops / (t1 - t0), (t1 - t0) * 1e6 / ops, stop, sticky_changes,
		   nusers / warm);
	libcharon_deinit();
	library_deinit();
	return 0;
}
