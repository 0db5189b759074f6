#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include <rw_nthash.h>
#include <rw_store.h>

#include "tests.h"

static char dir[64], path[128];
static rw_store_t *store;
static int64_t fake_now = 1700000000;

static int64_t fake_clock(void *ctx)
{
	(void)ctx;
	return fake_now;
}

static void setup(void)
{
	rw_error_t err;

	snprintf(dir, sizeof(dir), "/tmp/rw-test-store-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/rw.db", dir);
	ck_assert_int_eq(rw_store_open(path, RW_STORE_CREATE, 2000, &store, &err), RW_OK);
	rw_store_set_clock(store, fake_clock, NULL);
}

static void teardown(void)
{
	char cmd[160];

	rw_store_close(store);
	store = NULL;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void add_user(const char *name, const char *pool, const char *static_ip)
{
	rw_user_t u = { .enabled = true };
	rw_error_t err;

	snprintf(u.name, sizeof(u.name), "%s", name);
	ck_assert_int_eq(rw_nthash("secret", u.nt_hash, NULL), RW_OK);
	if (static_ip)
	{
		snprintf(u.pool, sizeof(u.pool), "%s", pool);
		ck_assert_int_eq(rw_addr_parse(static_ip, &u.static_ip), RW_OK);
	}
	ck_assert_msg(rw_store_user_add(store, &u, &err) == RW_OK, "%s", err.msg);
}

static const char *acquire(const char *pool, const char *user)
{
	static char buf[RW_ADDR_STRLEN];
	rw_error_t err;
	rw_addr_t a;

	if (rw_store_lease_acquire(store, pool, user, "gw1", &a, NULL, &err) != RW_OK)
	{
		snprintf(buf, sizeof(buf), "error: %s", rw_status_name(err.status));
		return buf;
	}
	return rw_addr_format(&a, buf, sizeof(buf));
}

static void release(const char *pool, const char *addr)
{
	rw_error_t err;
	rw_addr_t a;

	ck_assert_int_eq(rw_addr_parse(addr, &a), RW_OK);
	ck_assert_msg(rw_store_lease_release(store, pool, &a, &err) == RW_OK, "%s", err.msg);
}

/* --- NT hashes ---------------------------------------------------------------- */

START_TEST(test_nthash_vectors)
{
	/* reference: printf %s PW | iconv -t utf-16le | openssl dgst -md4 */
	static const struct { const char *pw, *hex; } v[] = {
		{ "password", "8846f7eaee8fb117ad06bdd830b7586c" },
		{ "p\xc3\xa4ssw\xc3\xb6rd", "0553152250ac01adb4213cb9938663e4" },
		{ "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", "ced13822047f22ce2b3e7d763955f48e" },
		{ "\xf0\x9f\x98\x80x", "4239d4dcd7148a5ea8f750b376cfdbd6" },
	};
	uint8_t hash[16];
	char hex[33];
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
	{
		ck_assert_int_eq(rw_nthash(v[i].pw, hash, NULL), RW_OK);
		ck_assert_str_eq(rw_nthash_format(hash, hex), v[i].hex);
	}
	ck_assert_int_eq(rw_nthash("", hash, NULL), RW_ERR_INVALID);
	ck_assert_int_eq(rw_nthash("bad\xc3", hash, NULL), RW_ERR_INVALID);
	ck_assert_int_eq(rw_nthash("\xed\xa0\x80", hash, NULL), RW_ERR_INVALID);
	ck_assert_int_eq(rw_nthash_parse("8846F7EAEE8FB117AD06BDD830B7586C", hash, NULL),
					 RW_OK);
	ck_assert_str_eq(rw_nthash_format(hash, hex), v[0].hex);
	ck_assert_int_eq(rw_nthash_parse("8846f7", hash, NULL), RW_ERR_INVALID);
	ck_assert_int_eq(rw_nthash_parse("zz46f7eaee8fb117ad06bdd830b7586c", hash, NULL),
					 RW_ERR_INVALID);
}
END_TEST

/* --- addresses and ranges ------------------------------------------------------- */

START_TEST(test_ranges)
{
	char buf[RW_RANGE_STRLEN];
	rw_range_t r;
	rw_error_t err;

	ck_assert_int_eq(rw_range_parse("198.18.0.0/24", &r, NULL), RW_OK);
	ck_assert_str_eq(rw_range_format(&r, buf, sizeof(buf)), "198.18.0.1-198.18.0.254");
	ck_assert_uint_eq(rw_range_size(&r), 254);
	ck_assert_int_eq(rw_range_parse("198.18.0.0/15", &r, NULL), RW_OK);
	ck_assert_uint_eq(rw_range_size(&r), 131070);
	ck_assert_int_eq(rw_range_parse("198.18.0.7/32", &r, NULL), RW_OK);
	ck_assert_uint_eq(rw_range_size(&r), 1);
	ck_assert_int_eq(rw_range_parse("198.18.0.10-198.18.0.19", &r, NULL), RW_OK);
	ck_assert_uint_eq(rw_range_size(&r), 10);
	ck_assert_int_eq(rw_range_parse("2001:db8::/64", &r, NULL), RW_OK);
	ck_assert_str_eq(rw_range_format(&r, buf, sizeof(buf)),
					 "2001:db8::1-2001:db8::ffff:ffff:ffff:ffff");
	ck_assert_uint_eq(rw_range_size(&r), UINT64_MAX);
	ck_assert_int_eq(rw_range_parse("2001:db8::/108", &r, NULL), RW_OK);
	ck_assert_uint_eq(rw_range_size(&r), (1 << 20) - 1);

	ck_assert_int_eq(rw_range_parse("198.18.0.1/24", &r, &err), RW_ERR_INVALID);
	ck_assert_ptr_nonnull(strstr(err.msg, "host bits"));
	ck_assert_int_eq(rw_range_parse("198.18.0.0/33", &r, NULL), RW_ERR_INVALID);
	ck_assert_int_eq(rw_range_parse("198.18.0.0/", &r, NULL), RW_ERR_INVALID);
	ck_assert_int_eq(rw_range_parse("198.18.0.0/x", &r, NULL), RW_ERR_INVALID);
	ck_assert_int_eq(rw_range_parse("198.18.300.0/24", &r, NULL), RW_ERR_INVALID);
	ck_assert_int_eq(rw_range_parse("198.18.0.9-198.18.0.1", &r, NULL), RW_ERR_INVALID);
	ck_assert_int_eq(rw_range_parse("198.18.0.1-2001:db8::1", &r, NULL), RW_ERR_INVALID);
	ck_assert_int_eq(rw_range_parse("vpn.example.org/24", &r, NULL), RW_ERR_INVALID);
	ck_assert_int_eq(rw_range_parse("", &r, NULL), RW_ERR_INVALID);
}
END_TEST

START_TEST(test_identity_normalize)
{
	rw_match_t rule = RW_MATCH_DEFAULT;
	char out[RW_NAME_MAX + 1];

	ck_assert_int_eq(rw_identity_normalize("CORP\\Bob", rule, out, sizeof(out)), RW_OK);
	ck_assert_str_eq(out, "Bob");
	ck_assert_int_eq(rw_identity_normalize("bob@corp.example", rule, out, sizeof(out)),
					 RW_OK);
	ck_assert_str_eq(out, "bob@corp.example");
	rule.strip_realm = true;
	ck_assert_int_eq(rw_identity_normalize("bob@corp.example", rule, out, sizeof(out)),
					 RW_OK);
	ck_assert_str_eq(out, "bob");
	rule.strip_domain = false;
	ck_assert_int_eq(rw_identity_normalize("CORP\\bob", rule, out, sizeof(out)), RW_OK);
	ck_assert_str_eq(out, "CORP\\bob");
	ck_assert_int_eq(rw_identity_normalize("CORP\\", RW_MATCH_DEFAULT, out, sizeof(out)),
					 RW_ERR_INVALID);
}
END_TEST

/* --- open, schema, file ----------------------------------------------------------- */

START_TEST(test_open_creates_0600)
{
	struct stat st;

	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
}
END_TEST

START_TEST(test_open_missing)
{
	char other[160];
	rw_store_t *s;
	rw_error_t err;

	snprintf(other, sizeof(other), "%s/missing.db", dir);
	ck_assert_int_eq(rw_store_open(other, 0, 100, &s, &err), RW_ERR_NOTFOUND);
	ck_assert_ptr_null(s);
	ck_assert_ptr_nonnull(strstr(err.msg, "missing.db"));
	ck_assert_int_eq(access(other, F_OK), -1);
}
END_TEST

START_TEST(test_open_corrupt)
{
	char other[160];
	rw_store_t *s;
	rw_error_t err;
	FILE *f;
	int i;

	snprintf(other, sizeof(other), "%s/junk.db", dir);
	f = fopen(other, "w");
	for (i = 0; i < 200; i++)
	{
		fputs("this is not an SQLite database file at all ", f);
	}
	fclose(f);
	ck_assert_int_eq(rw_store_open(other, RW_STORE_CREATE, 100, &s, &err),
					 RW_ERR_CORRUPT);
	ck_assert_ptr_nonnull(strstr(err.msg, "corrupt or not a database"));
}
END_TEST

START_TEST(test_open_newer_schema)
{
	rw_store_t *s;
	rw_error_t err;
	sqlite3 *db;

	rw_store_close(store);
	store = NULL;
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL),
					 SQLITE_OK);
	sqlite3_close(db);
	ck_assert_int_eq(rw_store_open(path, RW_STORE_CREATE, 100, &s, &err), RW_ERR_SCHEMA);
	ck_assert_ptr_nonnull(strstr(err.msg, "schema version 99"));
}
END_TEST

START_TEST(test_readonly_file)
{
	rw_user_t u;
	rw_store_t *s;
	rw_error_t err;

	add_user("alice", NULL, NULL);
	rw_store_close(store);
	store = NULL;
	ck_assert_int_eq(chmod(path, 0400), 0);
	if (geteuid() == 0)
	{
		/* root writes anyway: use SQLite's read-only mode instead */
		ck_assert_int_eq(rw_store_open(path, RW_STORE_READONLY, 100, &s, &err), RW_OK);
	}
	else
	{
		ck_assert_int_eq(rw_store_open(path, 0, 100, &s, &err), RW_OK);
	}
	ck_assert_int_eq(rw_store_user_get(s, "alice", &u, &err), RW_OK);
	strcpy(u.name, "bob");
	ck_assert_int_eq(rw_store_user_add(s, &u, &err), RW_ERR_PERM);
	ck_assert_ptr_nonnull(strstr(err.msg, "read-only"));
	rw_store_close(s);
}
END_TEST

START_TEST(test_locked)
{
	rw_store_t *other;
	rw_user_t u = { .enabled = true };
	rw_error_t err;
	sqlite3 *db;

	/* another writer holds the lock longer than our busy timeout */
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(rw_store_open(path, 0, 200, &other, &err), RW_OK);
	strcpy(u.name, "carol");
	ck_assert_int_eq(rw_store_user_add(other, &u, &err), RW_ERR_BUSY);
	ck_assert_ptr_nonnull(strstr(err.msg, "locked"));
	/* reads still work in WAL mode */
	ck_assert_int_eq(rw_store_user_get(other, "carol", &u, &err), RW_ERR_NOTFOUND);
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);
	strcpy(u.name, "carol");
	ck_assert_int_eq(rw_store_user_add(other, &u, &err), RW_OK);
	rw_store_close(other);
}
END_TEST

START_TEST(test_no_password_in_file)
{
	char buf[65536];
	size_t n;
	FILE *f;

	add_user("alice", NULL, NULL);
	rw_store_close(store);
	store = NULL;
	f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	ck_assert_ptr_null(memmem(buf, n, "secret", 6));
	/* UTF-16 would hide it from a plain search */
	ck_assert_ptr_null(memmem(buf, n, "s\0e\0c\0r\0e\0t\0", 12));
}
END_TEST

/* --- users ------------------------------------------------------------------------ */

START_TEST(test_users)
{
	rw_user_t u = { .enabled = true }, got;
	rw_error_t err;

	add_user("Alice", NULL, NULL);
	strcpy(u.name, "alice");
	ck_assert_int_eq(rw_store_user_add(store, &u, &err), RW_ERR_EXISTS);
	ck_assert_ptr_nonnull(strstr(err.msg, "'Alice'"));
	strcpy(u.name, "");
	ck_assert_int_eq(rw_store_user_add(store, &u, &err), RW_ERR_INVALID);
	strcpy(u.name, "CORP\\bob");
	ck_assert_int_eq(rw_store_user_add(store, &u, &err), RW_ERR_INVALID);
	strcpy(u.name, "bad\xff");
	ck_assert_int_eq(rw_store_user_add(store, &u, &err), RW_ERR_INVALID);
	strcpy(u.name, "tab\there");
	ck_assert_int_eq(rw_store_user_add(store, &u, &err), RW_ERR_INVALID);
	strcpy(u.name, "J\xc3\xbcrgen");
	ck_assert_int_eq(rw_store_user_add(store, &u, &err), RW_OK);
	ck_assert_int_eq(rw_store_user_get(store, "J\xc3\xbcrgen", &got, &err), RW_OK);

	ck_assert_int_eq(rw_store_user_get(store, "ALICE", &got, &err), RW_OK);
	ck_assert_str_eq(got.name, "Alice");
	got.enabled = false;
	ck_assert_int_eq(rw_store_user_set(store, &got, RW_USER_ENABLED, &err), RW_OK);
	ck_assert_int_eq(rw_store_user_auth(store, "CORP\\alice", RW_MATCH_DEFAULT, &got,
										&err), RW_ERR_DISABLED);
	got.enabled = true;
	got.expires = fake_now + 10;
	ck_assert_int_eq(rw_store_user_set(store, &got, RW_USER_ENABLED | RW_USER_EXPIRES,
									   &err), RW_OK);
	ck_assert_int_eq(rw_store_user_auth(store, "CORP\\alice", RW_MATCH_DEFAULT, &got,
										&err), RW_OK);
	fake_now += 10;
	ck_assert_int_eq(rw_store_user_auth(store, "alice", RW_MATCH_DEFAULT, &got, &err),
					 RW_ERR_EXPIRED);
	ck_assert_int_eq(rw_store_user_auth(store, "nobody", RW_MATCH_DEFAULT, &got, &err),
					 RW_ERR_NOTFOUND);
	/* case-sensitive matching when asked for */
	ck_assert_int_eq(rw_store_user_auth(store, "j\xc3\xbcrgen",
					 (rw_match_t){ .strip_domain = true }, &got, &err), RW_ERR_NOTFOUND);
	ck_assert_int_eq(rw_store_user_del(store, "alice", &err), RW_OK);
	ck_assert_int_eq(rw_store_user_del(store, "alice", &err), RW_ERR_NOTFOUND);
}
END_TEST

START_TEST(test_import_all_or_nothing)
{
	rw_user_t users[5];
	rw_error_t err;
	rw_pool_t pool;
	int i;

	ck_assert_int_eq(rw_store_pool_add(store, "p", "198.18.0.0/24", &err), RW_OK);
	memset(users, 0, sizeof(users));
	for (i = 0; i < 5; i++)
	{
		snprintf(users[i].name, sizeof(users[i].name), "user%d", i);
		users[i].enabled = true;
	}
	strcpy(users[1].pool, "p");
	rw_addr_parse("198.18.0.7", &users[1].static_ip);
	/* the fourth collides with the second */
	strcpy(users[3].name, "USER1");
	ck_assert_int_eq(rw_store_user_import(store, users, 5, NULL, NULL, &err),
					 RW_ERR_EXISTS);
	ck_assert_int_eq(err.index, 3);
	ck_assert_int_eq(rw_store_user_get(store, "user0", &users[0], NULL), RW_ERR_NOTFOUND);
	ck_assert_int_eq(rw_store_pool_get(store, "p", &pool, NULL), RW_OK);
	ck_assert_uint_eq(pool.leases, 0);
	strcpy(users[3].name, "user3");
	ck_assert_int_eq(rw_store_user_import(store, users, 5, NULL, NULL, &err), RW_OK);
	ck_assert_int_eq(rw_store_user_get(store, "user4", &users[0], NULL), RW_OK);
	ck_assert_int_eq(rw_store_pool_get(store, "p", &pool, NULL), RW_OK);
	ck_assert_uint_eq(pool.leases, 1);
}
END_TEST

/* --- pools and leases ------------------------------------------------------------- */

START_TEST(test_pools)
{
	rw_error_t err;
	rw_pool_t pool;

	ck_assert_int_eq(rw_store_pool_add(store, "a", "198.18.0.0/24", &err), RW_OK);
	ck_assert_int_eq(rw_store_pool_add(store, "a", "198.18.1.0/24", &err), RW_ERR_EXISTS);
	ck_assert_int_eq(rw_store_pool_add(store, "b", "198.18.0.128/25", &err),
					 RW_ERR_EXISTS);
	ck_assert_ptr_nonnull(strstr(err.msg, "overlaps pool 'a'"));
	ck_assert_int_eq(rw_store_pool_add(store, "b", "198.18.0.255-198.18.1.10", &err),
					 RW_OK);
	ck_assert_int_eq(rw_store_pool_add(store, "bad name", "198.18.2.0/24", &err),
					 RW_ERR_INVALID);
	ck_assert_int_eq(rw_store_pool_add(store, "c", "198.18.2.0/33", &err),
					 RW_ERR_INVALID);
	ck_assert_int_eq(rw_store_pool_add(store, "v6", "2001:db8:1::/64", &err), RW_OK);
	ck_assert_int_eq(rw_store_pool_get(store, "v6", &pool, &err), RW_OK);
	ck_assert_uint_eq(pool.size, UINT64_MAX);
	ck_assert_uint_eq(pool.leases, 0);
	ck_assert_int_eq(rw_store_pool_get(store, "nope", &pool, &err), RW_ERR_NOTFOUND);
}
END_TEST

START_TEST(test_lazy_sticky_leases)
{
	rw_error_t err;
	rw_pool_t pool;

	/* a /15 needs no row per address */
	ck_assert_int_eq(rw_store_pool_add(store, "big", "198.18.0.0/15", &err), RW_OK);
	add_user("alice", NULL, NULL);
	add_user("bob", NULL, NULL);
	ck_assert_str_eq(acquire("big", "alice"), "198.18.0.1");
	ck_assert_str_eq(acquire("big", "bob"), "198.18.0.2");
	ck_assert_int_eq(rw_store_pool_get(store, "big", &pool, &err), RW_OK);
	ck_assert_uint_eq(pool.leases, 2);
	ck_assert_uint_eq(pool.online, 2);

	/* alice leaves and comes back: the same address */
	release("big", "198.18.0.1");
	fake_now += 100;
	ck_assert_str_eq(acquire("big", "alice"), "198.18.0.1");
	/* a reconnect while the old IKE_SA still holds it: same address, no second */
	ck_assert_str_eq(acquire("big", "alice"), "198.18.0.1");
	ck_assert_int_eq(rw_store_pool_get(store, "big", &pool, &err), RW_OK);
	ck_assert_uint_eq(pool.online, 2);
	ck_assert_uint_eq(pool.leases, 2);
	release("big", "198.18.0.1");
	ck_assert_int_eq(rw_store_pool_get(store, "big", &pool, &err), RW_OK);
	ck_assert_uint_eq(pool.online, 2);
	release("big", "198.18.0.1");
	ck_assert_int_eq(rw_store_pool_get(store, "big", &pool, &err), RW_OK);
	ck_assert_uint_eq(pool.online, 1);
	/* releasing an offline lease is an error, not a negative count */
	{
		rw_addr_t a;
		rw_addr_parse("198.18.0.1", &a);
		ck_assert_int_eq(rw_store_lease_release(store, "big", &a, &err), RW_ERR_NOTFOUND);
	}
}
END_TEST

START_TEST(test_ipv6_pool)
{
	rw_error_t err;

	ck_assert_int_eq(rw_store_pool_add(store, "v6", "2001:db8::/64", &err), RW_OK);
	add_user("alice", NULL, NULL);
	add_user("bob", NULL, NULL);
	ck_assert_str_eq(acquire("v6", "alice"), "2001:db8::1");
	ck_assert_str_eq(acquire("v6", "bob"), "2001:db8::2");
}
END_TEST

START_TEST(test_static_addresses)
{
	rw_user_t u;
	rw_error_t err;

	ck_assert_int_eq(rw_store_pool_add(store, "p", "198.18.0.0/29", &err), RW_OK);
	/* .1 is reserved for carol: the cursor skips it */
	add_user("carol", "p", "198.18.0.1");
	add_user("alice", NULL, NULL);
	ck_assert_str_eq(acquire("p", "alice"), "198.18.0.2");
	ck_assert_str_eq(acquire("p", "carol"), "198.18.0.1");
	ck_assert_int_eq(rw_store_user_get(store, "carol", &u, &err), RW_OK);
	ck_assert_str_eq(u.pool, "p");

	/* outside the pool, taken by another, unknown pool */
	memset(&u, 0, sizeof(u));
	strcpy(u.name, "dave");
	strcpy(u.pool, "p");
	rw_addr_parse("198.18.1.1", &u.static_ip);
	ck_assert_int_eq(rw_store_user_add(store, &u, &err), RW_ERR_INVALID);
	ck_assert_ptr_nonnull(strstr(err.msg, "not inside pool"));
	rw_addr_parse("198.18.0.1", &u.static_ip);
	ck_assert_int_eq(rw_store_user_add(store, &u, &err), RW_ERR_EXISTS);
	rw_addr_parse("198.18.0.2", &u.static_ip);
	ck_assert_int_eq(rw_store_user_add(store, &u, &err), RW_ERR_EXISTS);
	ck_assert_ptr_nonnull(strstr(err.msg, "in use by 'alice'"));
	strcpy(u.pool, "nope");
	ck_assert_int_eq(rw_store_user_add(store, &u, &err), RW_ERR_NOTFOUND);

	/* a static address is never handed to anybody else, even offline */
	release("p", "198.18.0.1");
	add_user("e1", NULL, NULL);
	add_user("e2", NULL, NULL);
	add_user("e3", NULL, NULL);
	add_user("e4", NULL, NULL);
	add_user("e5", NULL, NULL);
	add_user("e6", NULL, NULL);
	ck_assert_str_eq(acquire("p", "e1"), "198.18.0.3");
	ck_assert_str_eq(acquire("p", "e2"), "198.18.0.4");
	ck_assert_str_eq(acquire("p", "e3"), "198.18.0.5");
	ck_assert_str_eq(acquire("p", "e4"), "198.18.0.6");
	ck_assert_str_eq(acquire("p", "e5"), "error: pool full");
	/* deleting carol frees her reservation */
	ck_assert_int_eq(rw_store_user_del(store, "carol", &err), RW_OK);
	ck_assert_str_eq(acquire("p", "e5"), "198.18.0.1");
}
END_TEST

START_TEST(test_full_pool_reuses_oldest)
{
	rw_error_t err;
	double usage;
	rw_addr_t a;

	ck_assert_int_eq(rw_store_pool_add(store, "p", "198.18.0.1-198.18.0.2", &err), RW_OK);
	add_user("a", NULL, NULL);
	add_user("b", NULL, NULL);
	add_user("c", NULL, NULL);
	ck_assert_int_eq(rw_store_lease_acquire(store, "p", "a", "gw1", &a, &usage, &err),
					 RW_OK);
	ck_assert(usage > 0.49 && usage < 0.51);
	ck_assert_str_eq(acquire("p", "b"), "198.18.0.2");
	ck_assert_str_eq(acquire("p", "c"), "error: pool full");
	/* b leaves first, then a: c gets b's address (released longest ago) */
	release("p", "198.18.0.2");
	fake_now += 5;
	release("p", "198.18.0.1");
	ck_assert_str_eq(acquire("p", "c"), "198.18.0.2");
	/* b's address is gone, b gets what is left; a now finds nothing */
	ck_assert_str_eq(acquire("p", "b"), "198.18.0.1");
	ck_assert_str_eq(acquire("p", "a"), "error: pool full");
}
END_TEST

START_TEST(test_pool_set_and_del)
{
	rw_error_t err;

	ck_assert_int_eq(rw_store_pool_add(store, "p", "198.18.0.0/24", &err), RW_OK);
	add_user("a", NULL, NULL);
	ck_assert_str_eq(acquire("p", "a"), "198.18.0.1");
	ck_assert_int_eq(rw_store_pool_set_range(store, "p", "198.18.0.8/29", &err),
					 RW_ERR_INUSE);
	ck_assert_int_eq(rw_store_pool_set_range(store, "p", "198.18.0.0/23", &err), RW_OK);
	ck_assert_int_eq(rw_store_pool_del(store, "p", false, &err), RW_ERR_INUSE);
	ck_assert_int_eq(rw_store_pool_del(store, "p", true, &err), RW_OK);
	ck_assert_str_eq(acquire("p", "a"), "error: not found");
}
END_TEST

/* --- sessions ---------------------------------------------------------------------- */

static bool collect(const rw_session_t *s, rw_end_reason_t reason, void *ctx)
{
	char *out = ctx;

	sprintf(out + strlen(out), "%s:%s ", s->user, rw_end_reason_name(reason));
	return true;
}

static int64_t start_session(const char *user, const char *gateway)
{
	rw_session_t s;
	rw_error_t err;

	memset(&s, 0, sizeof(s));
	snprintf(s.user, sizeof(s.user), "%s", user);
	snprintf(s.gateway, sizeof(s.gateway), "%s", gateway);
	strcpy(s.remote, "192.0.2.10");
	ck_assert_msg(rw_store_session_start(store, &s, &err) == RW_OK, "%s", err.msg);
	return s.id;
}

START_TEST(test_sessions_doomed)
{
	char out[256] = "";
	rw_user_t u;
	rw_error_t err;
	int n;

	add_user("alive", NULL, NULL);
	add_user("off", NULL, NULL);
	add_user("old", NULL, NULL);
	add_user("gone", NULL, NULL);
	add_user("kicked", NULL, NULL);
	start_session("alive", "gw1");
	start_session("off", "gw1");
	start_session("old", "gw1");
	start_session("gone", "gw1");
	start_session("kicked", "gw1");
	start_session("off", "gw2");
	ck_assert_int_eq(rw_store_session_doomed(store, "gw1", collect, out, &err), RW_OK);
	ck_assert_str_eq(out, "");

	rw_store_user_get(store, "off", &u, NULL);
	u.enabled = false;
	rw_store_user_set(store, &u, RW_USER_ENABLED, NULL);
	rw_store_user_get(store, "old", &u, NULL);
	u.expires = fake_now;
	rw_store_user_set(store, &u, RW_USER_EXPIRES, NULL);
	rw_store_user_del(store, "gone", NULL);
	ck_assert_int_eq(rw_store_session_kill(store, 0, "kicked", &n, &err), RW_OK);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(rw_store_session_kill(store, 0, "nobody", &n, &err),
					 RW_ERR_NOTFOUND);
	ck_assert_int_eq(rw_store_session_doomed(store, "gw1", collect, out, &err), RW_OK);
	ck_assert_str_eq(out, "off:disabled old:expired gone:deleted kicked:admin-kill ");
}
END_TEST

START_TEST(test_recover_after_crash)
{
	rw_session_t s;
	rw_error_t err;
	rw_pool_t pool;
	rw_addr_t a;
	int sessions, leases, count;

	ck_assert_int_eq(rw_store_pool_add(store, "p", "198.18.0.0/24", &err), RW_OK);
	add_user("a", NULL, NULL);
	add_user("b", NULL, NULL);
	ck_assert_str_eq(acquire("p", "a"), "198.18.0.1");
	ck_assert_int_eq(rw_store_lease_acquire(store, "p", "b", "gw2", &a, NULL, &err),
					 RW_OK);
	start_session("a", "gw1");
	start_session("b", "gw2");

	ck_assert_int_eq(rw_store_recover(store, "gw1", &sessions, &leases, &err), RW_OK);
	ck_assert_int_eq(sessions, 1);
	ck_assert_int_eq(leases, 1);
	ck_assert_int_eq(rw_store_session_count(store, "a", &count, &err), RW_OK);
	ck_assert_int_eq(count, 0);
	ck_assert_int_eq(rw_store_session_count(store, "b", &count, &err), RW_OK);
	ck_assert_int_eq(count, 1);
	ck_assert_int_eq(rw_store_pool_get(store, "p", &pool, &err), RW_OK);
	ck_assert_uint_eq(pool.online, 1);
	/* a gets his address back, nothing is duplicated */
	ck_assert_str_eq(acquire("p", "a"), "198.18.0.1");
	ck_assert_int_eq(rw_store_pool_get(store, "p", &pool, &err), RW_OK);
	ck_assert_uint_eq(pool.online, 2);
	ck_assert_uint_eq(pool.leases, 2);
	(void)s;
}
END_TEST

START_TEST(test_batch)
{
	rw_session_t a = {}, b = {}, ghost = {};
	rw_error_t err;
	int count;

	add_user("a", NULL, NULL);
	add_user("b", NULL, NULL);
	strcpy(a.user, "a");
	strcpy(b.user, "b");
	strcpy(ghost.user, "nobody");
	ck_assert_int_eq(rw_store_batch_begin(store, &err), RW_OK);
	ck_assert_int_eq(rw_store_batch_begin(store, &err), RW_ERR_INVALID);
	ck_assert_int_eq(rw_store_session_start(store, &a, &err), RW_OK);
	/* one operation failing leaves the others of the batch alone */
	{
		rw_user_t dup = { .enabled = true };

		strcpy(dup.name, "A");
		ck_assert_int_eq(rw_store_user_add(store, &dup, &err), RW_ERR_EXISTS);
	}
	/* a user deleted meanwhile: recorded without owner, doomed as deleted */
	ck_assert_int_eq(rw_store_session_start(store, &ghost, &err), RW_OK);
	ck_assert_int_eq(rw_store_session_start(store, &b, &err), RW_OK);
	ck_assert_int_eq(rw_store_batch_end(store, true, &err), RW_OK);
	ck_assert_int_eq(rw_store_session_count(store, "a", &count, &err), RW_OK);
	ck_assert_int_eq(count, 1);
	ck_assert_int_eq(rw_store_session_count(store, "b", &count, &err), RW_OK);
	ck_assert_int_eq(count, 1);
	/* a batch rolled back leaves nothing */
	ck_assert_int_eq(rw_store_batch_begin(store, &err), RW_OK);
	ck_assert_int_eq(rw_store_session_start(store, &a, &err), RW_OK);
	ck_assert_int_eq(rw_store_batch_end(store, false, &err), RW_OK);
	ck_assert_int_eq(rw_store_session_count(store, "a", &count, &err), RW_OK);
	ck_assert_int_eq(count, 1);
	ck_assert_int_eq(rw_store_batch_end(store, true, &err), RW_ERR_INVALID);
	{
		char out[64] = "";

		strcpy(ghost.gateway, "");
		ck_assert_int_eq(rw_store_session_doomed(store, "", collect, out, &err), RW_OK);
		ck_assert_str_eq(out, "nobody:deleted ");
	}
}
END_TEST

/* --- two processes writing at once -------------------------------------------------- */

static bool count_online(const rw_lease_t *lease, void *ctx)
{
	int *n = ctx;

	(*n)++;
	return true;
}

START_TEST(test_two_writers)
{
	enum { USERS = 150 };
	char name[32];
	rw_error_t err;
	rw_pool_t pool;
	pid_t pids[2];
	int i, p, status, online = 0;

	ck_assert_int_eq(rw_store_pool_add(store, "p", "198.18.0.0/23", &err), RW_OK);
	for (i = 0; i < 2 * USERS; i++)
	{
		snprintf(name, sizeof(name), "u%d", i);
		add_user(name, NULL, NULL);
	}
	rw_store_close(store);
	store = NULL;
	for (p = 0; p < 2; p++)
	{
		pids[p] = fork();
		ck_assert_int_ge(pids[p], 0);
		if (pids[p] == 0)
		{
			rw_store_t *s;
			rw_addr_t a;
			int failed = 0;

			if (rw_store_open(path, 0, 5000, &s, &err) != RW_OK)
			{
				_exit(2);
			}
			for (i = 0; i < USERS; i++)
			{
				snprintf(name, sizeof(name), "u%d", p * USERS + i);
				if (rw_store_lease_acquire(s, "p", name, "gw1", &a, NULL, &err) != RW_OK)
				{
					failed++;
				}
			}
			rw_store_close(s);
			_exit(failed ? 1 : 0);
		}
	}
	for (p = 0; p < 2; p++)
	{
		ck_assert_int_eq(waitpid(pids[p], &status, 0), pids[p]);
		ck_assert(WIFEXITED(status));
		ck_assert_int_eq(WEXITSTATUS(status), 0);
	}
	ck_assert_int_eq(rw_store_open(path, 0, 2000, &store, &err), RW_OK);
	ck_assert_int_eq(rw_store_pool_get(store, "p", &pool, &err), RW_OK);
	ck_assert_uint_eq(pool.online, 2 * USERS);
	ck_assert_uint_eq(pool.leases, 2 * USERS);
	/* addresses are the primary key with the pool: distinct rows, each online once */
	ck_assert_int_eq(rw_store_lease_list(store, "p", true, count_online, &online, &err),
					 RW_OK);
	ck_assert_int_eq(online, 2 * USERS);
}
END_TEST

Suite *store_suite(void)
{
	Suite *s = suite_create("store");
	TCase *tc;

	tc = tcase_create("values");
	tcase_add_test(tc, test_nthash_vectors);
	tcase_add_test(tc, test_ranges);
	tcase_add_test(tc, test_identity_normalize);
	suite_add_tcase(s, tc);

	tc = tcase_create("db");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_open_creates_0600);
	tcase_add_test(tc, test_open_missing);
	tcase_add_test(tc, test_open_corrupt);
	tcase_add_test(tc, test_open_newer_schema);
	tcase_add_test(tc, test_readonly_file);
	tcase_add_test(tc, test_locked);
	tcase_add_test(tc, test_no_password_in_file);
	tcase_add_test(tc, test_users);
	tcase_add_test(tc, test_import_all_or_nothing);
	tcase_add_test(tc, test_pools);
	tcase_add_test(tc, test_lazy_sticky_leases);
	tcase_add_test(tc, test_ipv6_pool);
	tcase_add_test(tc, test_static_addresses);
	tcase_add_test(tc, test_full_pool_reuses_oldest);
	tcase_add_test(tc, test_pool_set_and_del);
	tcase_add_test(tc, test_sessions_doomed);
	tcase_add_test(tc, test_recover_after_crash);
	tcase_add_test(tc, test_batch);
	tcase_add_test(tc, test_two_writers);
	suite_add_tcase(s, tc);
	return s;
}
