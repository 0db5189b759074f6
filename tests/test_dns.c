#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include <rw_dns.h>
#include <rw_nthash.h>
#include <rw_store.h>

#include "tests.h"

static char dir[64], path[128];
static rw_store_t *store;

static void setup(void)
{
	rw_error_t err;
	rw_user_t u = { .enabled = true, .name = "alice" };

	snprintf(dir, sizeof(dir), "/tmp/rw-test-dns-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/rw.db", dir);
	ck_assert_int_eq(rw_store_open(path, RW_STORE_CREATE, 2000, &store, &err), RW_OK);
	ck_assert_int_eq(rw_store_pool_add(store, "rw", "198.18.0.0/24", &err), RW_OK);
	ck_assert_int_eq(rw_nthash("secret", u.nt_hash, NULL), RW_OK);
	ck_assert_int_eq(rw_store_user_add(store, &u, &err), RW_OK);
}

static void teardown(void)
{
	char cmd[160];

	rw_store_close(store);
	store = NULL;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static const char *fmt(const rw_dns_conf_t *conf, rw_dns_field_t field)
{
	static char buf[RW_DNS_TEXT_MAX + 1];

	return rw_dns_format(conf, field, buf, sizeof(buf));
}

START_TEST(test_parse_lists)
{
	rw_dns_conf_t conf = { 0 };
	rw_error_t err;

	ck_assert_int_eq(rw_dns_parse(&conf, RW_DNS_SERVERS,
								  "198.51.100.53, 2001:db8::53 198.51.100.53", &err), RW_OK);
	ck_assert_str_eq(fmt(&conf, RW_DNS_SERVERS), "198.51.100.53, 2001:db8::53");
	ck_assert_int_eq(rw_dns_parse(&conf, RW_DNS_DOMAINS, "corp.example., Lab.example,"
								  "corp.EXAMPLE _ldap._tcp.corp.example", &err), RW_OK);
	ck_assert_str_eq(fmt(&conf, RW_DNS_DOMAINS),
					 "corp.example, Lab.example, _ldap._tcp.corp.example");
	ck_assert_int_eq(rw_dns_parse(&conf, RW_DNS_SPLIT, "198.51.100.0/24,2001:db8:1::/48 "
								  "198.51.100.53", &err), RW_OK);
	ck_assert_str_eq(fmt(&conf, RW_DNS_SPLIT),
					 "198.51.100.0/24, 2001:db8:1::/48, 198.51.100.53/32");
	ck_assert(conf.set[RW_DNS_SERVERS] && conf.set[RW_DNS_DOMAINS] && conf.set[RW_DNS_SPLIT]);
	/* an empty list is an explicit "none" that still overrides */
	ck_assert_int_eq(rw_dns_parse(&conf, RW_DNS_DOMAINS, "", &err), RW_OK);
	ck_assert(conf.set[RW_DNS_DOMAINS]);
	ck_assert_int_eq(conf.n_domains, 0);
}
END_TEST

START_TEST(test_parse_rejects)
{
	static const struct {
		rw_dns_field_t field;
		const char *list;
		const char *msg;
	} bad[] = {
		{ RW_DNS_SERVERS, "198.51.100.300", "invalid DNS server '198.51.100.300'" },
		{ RW_DNS_SERVERS, "ns.corp.example", "not an IPv4 or IPv6 address" },
		{ RW_DNS_SERVERS, "1.1.1.1 1.1.1.2 1.1.1.3 1.1.1.4 1.1.1.5 1.1.1.6 1.1.1.7 1.1.1.8 "
		  "1.1.1.9", "too many DNS servers: at most 8" },
		{ RW_DNS_DOMAINS, "corp..example", "empty label" },
		{ RW_DNS_DOMAINS, "-corp.example", "starts or ends with '-'" },
		{ RW_DNS_DOMAINS, "corp-.example", "starts or ends with '-'" },
		{ RW_DNS_DOMAINS, "corp/x.example", "character '/' not allowed" },
		{ RW_DNS_DOMAINS, "c\xc3\xa9.example", "not allowed" },
		{ RW_DNS_DOMAINS, ".", "empty domain name" },
		{ RW_DNS_DOMAINS, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example",
		  "longer than 63" },
		{ RW_DNS_SPLIT, "198.51.100.1/24", "host bits set" },
		{ RW_DNS_SPLIT, "198.51.100.0/33", "prefix must be 0 to 32" },
		{ RW_DNS_SPLIT, "2001:db8::/129", "prefix must be 0 to 128" },
		{ RW_DNS_SPLIT, "198.51.100.0/", "prefix must be" },
		{ RW_DNS_SPLIT, "corp/24", "not an address" },
	};
	rw_dns_conf_t conf = { 0 };
	rw_error_t err;
	char longname[400];
	unsigned i;

	ck_assert_int_eq(rw_dns_parse(&conf, RW_DNS_SERVERS, "198.51.100.53", &err), RW_OK);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
	{
		ck_assert_int_eq(rw_dns_parse(&conf, bad[i].field, bad[i].list, &err),
						 RW_ERR_INVALID);
		ck_assert_msg(strstr(err.msg, bad[i].msg), "'%s': got '%s'", bad[i].list, err.msg);
	}
	/* a failed parse leaves conf as it was */
	ck_assert_str_eq(fmt(&conf, RW_DNS_SERVERS), "198.51.100.53");
	ck_assert(!conf.set[RW_DNS_DOMAINS] && !conf.set[RW_DNS_SPLIT]);

	/* 254 characters: one too many */
	memset(longname, 'a', sizeof(longname));
	for (i = 63; i < 254; i += 64)
	{
		longname[i] = '.';
	}
	longname[254] = '\0';
	ck_assert_int_eq(rw_dns_parse(&conf, RW_DNS_DOMAINS, longname, &err), RW_ERR_INVALID);
	ck_assert_msg(strstr(err.msg, "longer than 253"), "%s", err.msg);
	longname[253] = '\0';
	ck_assert_int_eq(rw_dns_parse(&conf, RW_DNS_DOMAINS, longname, &err), RW_OK);
	/* far too long for any field */
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	ck_assert_int_eq(rw_dns_parse(&conf, RW_DNS_DOMAINS, longname, &err), RW_ERR_INVALID);
	ck_assert_msg(strstr(err.msg, "too long"), "%s", err.msg);
}
END_TEST

static void count_skip(void *ctx, const char *msg)
{
	(*(int*)ctx)++;
	ck_assert_ptr_nonnull(strstr(msg, "invalid"));
}

START_TEST(test_parse_lenient)
{
	rw_dns_conf_t conf = { 0 };
	int skipped = 0;

	rw_dns_parse_lenient(&conf, RW_DNS_SERVERS, "198.51.100.53 bogus 2001:db8::53 300.1.1.1",
						 count_skip, &skipped);
	ck_assert_int_eq(skipped, 2);
	ck_assert_str_eq(fmt(&conf, RW_DNS_SERVERS), "198.51.100.53, 2001:db8::53");
	ck_assert(conf.set[RW_DNS_SERVERS]);
}
END_TEST

START_TEST(test_merge_and_check)
{
	rw_dns_conf_t user = { 0 }, pool = { 0 }, conn = { 0 }, eff;
	const rw_dns_conf_t *levels[] = { &user, &pool, &conn };
	int source[RW_DNS_FIELDS];
	rw_error_t err;

	ck_assert_int_eq(rw_dns_parse(&conn, RW_DNS_SERVERS, "198.51.100.53", &err), RW_OK);
	ck_assert_int_eq(rw_dns_parse(&conn, RW_DNS_DOMAINS, "corp.example", &err), RW_OK);
	ck_assert_int_eq(rw_dns_parse(&pool, RW_DNS_DOMAINS, "pool.example", &err), RW_OK);
	ck_assert_int_eq(rw_dns_parse(&user, RW_DNS_DOMAINS, "user.example", &err), RW_OK);
	ck_assert_int_eq(rw_dns_parse(&pool, RW_DNS_SPLIT, "198.51.100.0/24", &err), RW_OK);
	rw_dns_merge(levels, 3, &eff, source);
	ck_assert_int_eq(source[RW_DNS_SERVERS], 2);
	ck_assert_int_eq(source[RW_DNS_DOMAINS], 0);
	ck_assert_int_eq(source[RW_DNS_SPLIT], 1);
	ck_assert_str_eq(fmt(&eff, RW_DNS_DOMAINS), "user.example");
	ck_assert_str_eq(fmt(&eff, RW_DNS_SERVERS), "198.51.100.53");
	ck_assert_int_eq(rw_dns_check(&eff, &err), RW_OK);

	/* a split network that leaves the DNS server outside is refused */
	ck_assert_int_eq(rw_dns_parse(&user, RW_DNS_SPLIT, "198.51.100.0/26, 2001:db8::/32",
								  &err), RW_OK);
	ck_assert_int_eq(rw_dns_parse(&user, RW_DNS_SERVERS, "198.51.100.1 198.51.100.99",
								  &err), RW_OK);
	rw_dns_merge(levels, 3, &eff, source);
	ck_assert_int_eq(rw_dns_check(&eff, &err), RW_ERR_INVALID);
	ck_assert_msg(strstr(err.msg, "DNS server 198.51.100.99 lies outside the split "
						 "networks"), "%s", err.msg);

	/* nothing set anywhere */
	levels[0] = levels[1] = levels[2] = NULL;
	rw_dns_merge(levels, 3, &eff, source);
	ck_assert_int_eq(source[RW_DNS_SERVERS], -1);
	ck_assert(!eff.set[RW_DNS_SERVERS] && eff.n_servers == 0);
}
END_TEST

START_TEST(test_store_set_get_clear)
{
	rw_dns_conf_t conf;
	rw_error_t err;

	ck_assert_int_eq(rw_store_dns_set(store, RW_DNS_OF_POOL, "rw", RW_DNS_SERVERS,
									  "198.51.100.53,198.51.100.53  2001:db8::53", &err),
					 RW_OK);
	ck_assert_int_eq(rw_store_dns_set(store, RW_DNS_OF_USER, "ALICE", RW_DNS_DOMAINS,
									  "corp.example.", &err), RW_OK);
	ck_assert_int_eq(rw_store_dns_set(store, RW_DNS_OF_USER, "alice", RW_DNS_SPLIT, "",
									  &err), RW_OK);
	ck_assert_int_eq(rw_store_dns_get(store, RW_DNS_OF_POOL, "rw", &conf, NULL, NULL, &err),
					 RW_OK);
	ck_assert_str_eq(fmt(&conf, RW_DNS_SERVERS), "198.51.100.53, 2001:db8::53");
	ck_assert(conf.set[RW_DNS_SERVERS] && !conf.set[RW_DNS_DOMAINS]);
	ck_assert_int_eq(rw_store_dns_get(store, RW_DNS_OF_USER, "Alice", &conf, NULL, NULL,
									  &err), RW_OK);
	ck_assert_str_eq(fmt(&conf, RW_DNS_DOMAINS), "corp.example");
	ck_assert(conf.set[RW_DNS_SPLIT] && conf.n_split == 0);
	ck_assert(!conf.set[RW_DNS_SERVERS]);

	/* clearing makes the field inherited again */
	ck_assert_int_eq(rw_store_dns_set(store, RW_DNS_OF_USER, "alice", RW_DNS_SPLIT, NULL,
									  &err), RW_OK);
	ck_assert_int_eq(rw_store_dns_get(store, RW_DNS_OF_USER, "alice", &conf, NULL, NULL,
									  &err), RW_OK);
	ck_assert(!conf.set[RW_DNS_SPLIT]);

	/* invalid values and unknown owners change nothing */
	ck_assert_int_eq(rw_store_dns_set(store, RW_DNS_OF_POOL, "rw", RW_DNS_SERVERS,
									  "198.51.100.53 nonsense", &err), RW_ERR_INVALID);
	ck_assert_msg(strstr(err.msg, "invalid DNS server 'nonsense'"), "%s", err.msg);
	ck_assert_int_eq(rw_store_dns_get(store, RW_DNS_OF_POOL, "rw", &conf, NULL, NULL, &err),
					 RW_OK);
	ck_assert_str_eq(fmt(&conf, RW_DNS_SERVERS), "198.51.100.53, 2001:db8::53");
	ck_assert_int_eq(rw_store_dns_set(store, RW_DNS_OF_POOL, "nope", RW_DNS_SERVERS,
									  "198.51.100.53", &err), RW_ERR_NOTFOUND);
	ck_assert_str_eq(err.msg, "no pool 'nope'");
	ck_assert_int_eq(rw_store_dns_get(store, RW_DNS_OF_USER, "bob", &conf, NULL, NULL, &err),
					 RW_ERR_NOTFOUND);
}
END_TEST

static void exec_sql(const char *sql)
{
	sqlite3 *db;

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_msg(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK, "%s",
				  sqlite3_errmsg(db));
	sqlite3_close(db);
}

START_TEST(test_store_hand_edited)
{
	rw_dns_conf_t conf;
	rw_error_t err;
	int skipped = 0;

	exec_sql("UPDATE pools SET dns = '198.51.100.53, bad, 198.51.100.54'");
	ck_assert_int_eq(rw_store_dns_get(store, RW_DNS_OF_POOL, "rw", &conf, count_skip,
									  &skipped, &err), RW_OK);
	ck_assert_int_eq(skipped, 1);
	ck_assert_str_eq(fmt(&conf, RW_DNS_SERVERS), "198.51.100.53, 198.51.100.54");
}
END_TEST

START_TEST(test_migrate_from_v1)
{
	rw_dns_conf_t conf;
	rw_error_t err;
	rw_user_t user;

	rw_store_close(store);
	store = NULL;
	/* turn the database back into schema 1 */
	exec_sql("ALTER TABLE pools DROP COLUMN dns; ALTER TABLE pools DROP COLUMN domains;"
			 "ALTER TABLE pools DROP COLUMN split; ALTER TABLE users DROP COLUMN dns;"
			 "ALTER TABLE users DROP COLUMN domains; ALTER TABLE users DROP COLUMN split;"
			 "PRAGMA user_version = 1;");
	ck_assert_int_eq(rw_store_open(path, 0, 2000, &store, &err), RW_OK);
	ck_assert_int_eq(rw_store_user_get(store, "alice", &user, &err), RW_OK);
	ck_assert_int_eq(rw_store_dns_get(store, RW_DNS_OF_POOL, "rw", &conf, NULL, NULL, &err),
					 RW_OK);
	ck_assert(!conf.set[RW_DNS_SERVERS]);
	ck_assert_int_eq(rw_store_dns_set(store, RW_DNS_OF_POOL, "rw", RW_DNS_SERVERS,
									  "198.51.100.53", &err), RW_OK);
}
END_TEST

Suite *dns_suite(void)
{
	Suite *s = suite_create("dns");
	TCase *tc;

	tc = tcase_create("lists");
	tcase_add_test(tc, test_parse_lists);
	tcase_add_test(tc, test_parse_rejects);
	tcase_add_test(tc, test_parse_lenient);
	tcase_add_test(tc, test_merge_and_check);
	suite_add_tcase(s, tc);

	tc = tcase_create("store");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_store_set_get_clear);
	tcase_add_test(tc, test_store_hand_edited);
	tcase_add_test(tc, test_migrate_from_v1);
	suite_add_tcase(s, tc);
	return s;
}
