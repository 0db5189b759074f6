/* scale_bench: librw at scale, without charon.
 *
 *   scale_bench lookup DB USERS LOOKUPS   NT-hash lookups (rw_store_user_auth) with
 *                                         USERS users in the store
 *   scale_bench recover DB LEASES         crash repair with LEASES online leases
 *   scale_bench fill DB USERS LEASES      fill a store for other measurements
 *   scale_bench users DB COUNT PREFIX     COUNT users PREFIX1.., password on stdin
 *   scale_bench pool DB SIZE FAMILY USERS the pool of bench/run pool: "bench", SIZE
 *                                         addresses from 198.18.0.0 (FAMILY 4) or
 *                                         2001:db8:: (6) as attr-sql's, the first half
 *                                         online for online<i>@example.com, and USERS
 *                                         users bench<i>@example.com
 *
 * Prints one line "name=value ..." per run for bench/run to tabulate. Setup data is
 * written with plain SQL in one transaction (that is not what is measured); the
 * measured part goes through librw as the plugin does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include <rw_nthash.h>
#include <rw_store.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what, const char *msg)
{
	fprintf(stderr, "scale_bench: %s: %s\n", what, msg);
	exit(1);
}

static sqlite3 *open_raw(const char *path)
{
	rw_store_t *store;
	rw_error_t err;
	sqlite3 *db;

	/* let librw create the schema */
	if (rw_store_open(path, RW_STORE_CREATE, 5000, &store, &err) != RW_OK)
	{
		die("open", err.msg);
	}
	rw_store_close(store);
	if (sqlite3_open(path, &db) != SQLITE_OK)
	{
		die("open", sqlite3_errmsg(db));
	}
	sqlite3_exec(db, "PRAGMA synchronous = OFF", NULL, NULL, NULL);
	return db;
}

static void exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
	{
		die(sql, msg ? msg : "failed");
	}
}

/* USERS users PREFIX1..PREFIXN (or "u0".."uN-1") with the NT hash of password */
static void fill_users_as(sqlite3 *db, long users, const char *prefix,
						  const char *password)
{
	sqlite3_stmt *stmt;
	uint8_t hash[16];
	char name[64];
	long i;

	if (rw_nthash(password, hash, NULL) != RW_OK)
	{
		die("nthash", "MD4 unavailable or bad password");
	}
	exec(db, "BEGIN");
	sqlite3_prepare_v2(db, "INSERT INTO users (name, nt_hash, created, updated) "
					   "VALUES (?, ?, 0, 0)", -1, &stmt, NULL);
	for (i = 0; i < users; i++)
	{
		if (prefix)
		{
			snprintf(name, sizeof(name), "%s%ld", prefix, i + 1);
		}
		else
		{
			snprintf(name, sizeof(name), "u%ld", i);
		}
		sqlite3_bind_text(stmt, 1, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_blob(stmt, 2, hash, 16, SQLITE_STATIC);
		if (sqlite3_step(stmt) != SQLITE_DONE)
		{
			die("insert user", sqlite3_errmsg(db));
		}
		sqlite3_reset(stmt);
	}
	sqlite3_finalize(stmt);
	exec(db, "COMMIT");
}

static void fill_users(sqlite3 *db, long users)
{
	fill_users_as(db, users, NULL, "secret");
}

/* pool "big" = 2001:db8::/108 (1M addresses), LEASES online leases of gateway gw1
 * owned by u0.. (or by nobody when there are fewer users) */
static void fill_leases(sqlite3 *db, long leases, long users)
{
	sqlite3_stmt *stmt;
	uint8_t addr[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	long i;
	char sql[256];

	exec(db, "BEGIN");
	exec(db, "INSERT INTO pools (name, family, first, last, cursor, created) VALUES "
		 "('big', 6, X'20010db8000000000000000000000001', "
		 "X'20010db80000000000000000000fffff', NULL, 0)");
	sqlite3_prepare_v2(db, "INSERT INTO leases (pool_id, address, user_id, online, "
					   "acquired, gateway) VALUES (1, ?, ?, 1, 0, 'gw1')", -1, &stmt,
					   NULL);
	for (i = 0; i < leases; i++)
	{
		long v = i + 1;

		addr[13] = (v >> 16) & 0xff;
		addr[14] = (v >> 8) & 0xff;
		addr[15] = v & 0xff;
		sqlite3_bind_blob(stmt, 1, addr, 16, SQLITE_TRANSIENT);
		if (i < users)
		{
			sqlite3_bind_int64(stmt, 2, i + 1);
		}
		else
		{
			sqlite3_bind_null(stmt, 2);
		}
		if (sqlite3_step(stmt) != SQLITE_DONE)
		{
			die("insert lease", sqlite3_errmsg(db));
		}
		sqlite3_reset(stmt);
	}
	sqlite3_finalize(stmt);
	snprintf(sql, sizeof(sql), "UPDATE pools SET online = %ld, leases = %ld WHERE "
			 "id = 1", leases, leases);
	exec(db, sql);
	exec(db, "COMMIT");
}

static int cmd_lookup(const char *path, long users, long lookups)
{
	rw_store_t *store;
	rw_error_t err;
	rw_user_t user;
	char name[32];
	double start, secs;
	long i;
	sqlite3 *db;

	unlink(path);
	db = open_raw(path);
	fill_users(db, users);
	sqlite3_close(db);
	if (rw_store_open(path, 0, 5000, &store, &err) != RW_OK)
	{
		die("open", err.msg);
	}
	srandom(42);
	start = now();
	for (i = 0; i < lookups; i++)
	{
		/* Windows-style identity, the normalisation is part of the cost */
		snprintf(name, sizeof(name), "CORP\\U%ld", random() % users);
		if (rw_store_user_auth(store, name, RW_MATCH_DEFAULT, &user, &err) != RW_OK)
		{
			die("lookup", err.msg);
		}
	}
	secs = now() - start;
	rw_store_close(store);
	printf("bench=lookup users=%ld lookups=%ld seconds=%.3f us_per_lookup=%.2f\n",
		   users, lookups, secs, secs * 1e6 / lookups);
	return 0;
}

static int cmd_recover(const char *path, long leases)
{
	rw_store_t *store;
	rw_error_t err;
	double start, secs;
	int sessions = 0, released = 0;
	sqlite3 *db;

	unlink(path);
	db = open_raw(path);
	fill_users(db, leases);
	fill_leases(db, leases, leases);
	sqlite3_close(db);
	if (rw_store_open(path, 0, 5000, &store, &err) != RW_OK)
	{
		die("open", err.msg);
	}
	start = now();
	if (rw_store_recover(store, "gw1", &sessions, &released, &err) != RW_OK)
	{
		die("recover", err.msg);
	}
	secs = now() - start;
	rw_store_close(store);
	if (released != leases)
	{
		die("recover", "not every lease was released");
	}
	printf("bench=recover leases=%ld released=%d seconds=%.3f\n", leases, released,
		   secs);
	return 0;
}

static int cmd_fill(const char *path, long users, long leases)
{
	sqlite3 *db;

	unlink(path);
	db = open_raw(path);
	fill_users(db, users);
	if (leases)
	{
		fill_leases(db, leases, users);
	}
	sqlite3_close(db);
	printf("bench=fill users=%ld leases=%ld\n", users, leases);
	return 0;
}

/* address number i of the pool (0-based from 198.18.0.0 or 2001:db8::) */
static void pool_addr(int family, long i, uint8_t *addr, int *len)
{
	uint8_t v4[4] = { 198, 18, 0, 0 }, v6[16] = { 0x20, 0x01, 0x0d, 0xb8 };

	if (family == 4)
	{
		memcpy(addr, v4, 4);
		*len = 4;
	}
	else
	{
		memcpy(addr, v6, 16);
		*len = 16;
	}
	addr[*len - 3] += (i >> 16) & 0xff;
	addr[*len - 2] += (i >> 8) & 0xff;
	addr[*len - 1] += i & 0xff;
}

static int cmd_pool(const char *path, long size, int family, long users)
{
	sqlite3_stmt *user, *lease;
	uint8_t hash[16], first[16], last[16], cursor[16], addr[16];
	char name[64];
	long i, half = size / 2;
	int len;
	sqlite3 *db;

	unlink(path);
	db = open_raw(path);
	if (rw_nthash("secret", hash, NULL) != RW_OK)
	{
		die("nthash", "MD4 unavailable");
	}
	pool_addr(family, 0, first, &len);
	pool_addr(family, size - 1, last, &len);
	pool_addr(family, half, cursor, &len);
	exec(db, "BEGIN");
	sqlite3_prepare_v2(db, "INSERT INTO pools (name, family, first, last, cursor, "
					   "online, leases, created) VALUES ('bench', ?, ?, ?, ?, ?, ?, 0)",
					   -1, &user, NULL);
	sqlite3_bind_int(user, 1, family);
	sqlite3_bind_blob(user, 2, first, len, SQLITE_STATIC);
	sqlite3_bind_blob(user, 3, last, len, SQLITE_STATIC);
	sqlite3_bind_blob(user, 4, cursor, len, SQLITE_STATIC);
	sqlite3_bind_int64(user, 5, half);
	sqlite3_bind_int64(user, 6, half);
	if (sqlite3_step(user) != SQLITE_DONE)
	{
		die("insert pool", sqlite3_errmsg(db));
	}
	sqlite3_finalize(user);
	sqlite3_prepare_v2(db, "INSERT INTO users (name, nt_hash, created, updated) "
					   "VALUES (?, ?, 0, 0)", -1, &user, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO leases (pool_id, address, user_id, online, "
					   "acquired, gateway) VALUES (1, ?, last_insert_rowid(), 1, 0, "
					   "'gw1')", -1, &lease, NULL);
	for (i = 0; i < half + users; i++)
	{
		if (i < half)
		{
			snprintf(name, sizeof(name), "online%ld@example.com", i);
		}
		else
		{
			snprintf(name, sizeof(name), "bench%ld@example.com", i - half + 1);
		}
		sqlite3_bind_text(user, 1, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_blob(user, 2, hash, 16, SQLITE_STATIC);
		if (sqlite3_step(user) != SQLITE_DONE)
		{
			die("insert user", sqlite3_errmsg(db));
		}
		sqlite3_reset(user);
		if (i < half)
		{
			pool_addr(family, i, addr, &len);
			sqlite3_bind_blob(lease, 1, addr, len, SQLITE_TRANSIENT);
			if (sqlite3_step(lease) != SQLITE_DONE)
			{
				die("insert lease", sqlite3_errmsg(db));
			}
			sqlite3_reset(lease);
		}
	}
	sqlite3_finalize(user);
	sqlite3_finalize(lease);
	exec(db, "COMMIT");
	sqlite3_close(db);
	printf("bench=pool size=%ld family=%d online=%ld users=%ld\n", size, family, half,
		   users);
	return 0;
}

/* users DB COUNT PREFIX: the password comes on stdin, never argv */
static int cmd_users(const char *path, long users, const char *prefix)
{
	char password[256];
	sqlite3 *db;

	if (!fgets(password, sizeof(password), stdin))
	{
		die("users", "no password on stdin");
	}
	password[strcspn(password, "\n")] = '\0';
	unlink(path);
	db = open_raw(path);
	fill_users_as(db, users, prefix, password);
	sqlite3_close(db);
	printf("bench=users users=%ld\n", users);
	return 0;
}

int main(int argc, char *argv[])
{
	if (argc == 5 && strcmp(argv[1], "users") == 0)
	{
		return cmd_users(argv[2], atol(argv[3]), argv[4]);
	}
	if (argc == 6 && strcmp(argv[1], "pool") == 0)
	{
		return cmd_pool(argv[2], atol(argv[3]), atoi(argv[4]), atol(argv[5]));
	}
	if (argc == 5 && strcmp(argv[1], "lookup") == 0)
	{
		return cmd_lookup(argv[2], atol(argv[3]), atol(argv[4]));
	}
	if (argc == 4 && strcmp(argv[1], "recover") == 0)
	{
		return cmd_recover(argv[2], atol(argv[3]));
	}
	if (argc == 5 && strcmp(argv[1], "fill") == 0)
	{
		return cmd_fill(argv[2], atol(argv[3]), atol(argv[4]));
	}
	fprintf(stderr, "usage: scale_bench lookup DB USERS LOOKUPS\n"
			"       scale_bench recover DB LEASES\n"
			"       scale_bench fill DB USERS LEASES\n"
			"       scale_bench pool DB SIZE FAMILY USERS\n"
			"       scale_bench users DB COUNT PREFIX   (password on stdin)\n");
	return 2;
}
