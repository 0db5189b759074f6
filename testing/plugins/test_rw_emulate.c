/* Unit tests of the test-only rw-emulate plugin: profile layouts, vendor IDs, every
 * shipped device profile, the reply attribute formatter, and bad input of each
 * (run under ASan/UBSan in the sanitizer build). */
#include <stdlib.h>
#include <unistd.h>

#include <check.h>
#include <library.h>
#include <attributes/attributes.h>

#include "rw_emulate_listener.h"
#include "rw_emulate_profile.h"

#ifndef RW_PROFILES_DIR
#error RW_PROFILES_DIR must name testing/profiles
#endif

static const char *profiles[] = {
	"ios10", "ios12", "ios17", "macos", "win10", "win11", "android-native",
	"strongswan-app",
};

START_TEST(test_layout_apple)
{
	rw_emulate_layout_t layout;
	char err[128] = "";

	ck_assert_msg(rw_emulate_parse_layout("IDi N(INIT_CONTACT) N(MOBIKE_SUP) IDr "
				"CPRQ(ADDR DHCP DNS MASK ADDR6 DHCP6 DNS6 DOMAIN) N(ESP_TFC_PAD_N) "
				"N(NON_FIRST_FRAG) SA TSi TSr", &layout, err, sizeof(err)), "%s", err);
	ck_assert(layout.set);
	ck_assert_int_eq(layout.count, 10);
	ck_assert_int_eq(layout.items[0].type, PLV2_ID_INITIATOR);
	ck_assert_int_eq(layout.items[1].type, PLV2_NOTIFY);
	ck_assert_int_eq(layout.items[1].notify, INITIAL_CONTACT);
	ck_assert_int_eq(layout.items[2].notify, MOBIKE_SUPPORTED);
	ck_assert_int_eq(layout.items[3].type, PLV2_ID_RESPONDER);
	ck_assert_int_eq(layout.items[4].type, PLV2_CONFIGURATION);
	ck_assert_int_eq(layout.items[4].attr_count, 8);
	ck_assert_int_eq(layout.items[4].attrs[0], INTERNAL_IP4_ADDRESS);
	ck_assert_int_eq(layout.items[4].attrs[1], INTERNAL_IP4_DHCP);
	ck_assert_int_eq(layout.items[4].attrs[7], INTERNAL_DNS_DOMAIN);
	ck_assert_int_eq(layout.items[9].type, PLV2_TS_RESPONDER);
}
END_TEST

START_TEST(test_layout_numbers)
{
	rw_emulate_layout_t layout;
	char err[128] = "";

	/* as old charon releases print FRAG_SUP and attribute 25 */
	ck_assert_msg(rw_emulate_parse_layout("SA KE No N((16430)) N(16431) "
				"CPRQ((25) 23456 SRV6) V", &layout, err, sizeof(err)), "%s", err);
	ck_assert_int_eq(layout.count, 7);
	ck_assert_int_eq(layout.items[3].notify, FRAGMENTATION_SUPPORTED);
	ck_assert_int_eq(layout.items[4].notify, SIGNATURE_HASH_ALGORITHMS);
	ck_assert_int_eq(layout.items[5].attr_count, 3);
	ck_assert_int_eq(layout.items[5].attrs[0], INTERNAL_DNS_DOMAIN);
	ck_assert_int_eq(layout.items[5].attrs[1], INTERNAL_IP4_SERVER);
	ck_assert_int_eq(layout.items[5].attrs[2], INTERNAL_IP6_SERVER);
	ck_assert_int_eq(layout.items[6].type, PLV2_VENDOR_ID);
	/* long names too, and an empty configuration request */
	ck_assert_msg(rw_emulate_parse_layout("  N(REDIRECT_SUPPORTED)\tCPRQ()  ",
				&layout, err, sizeof(err)), "%s", err);
	ck_assert_int_eq(layout.count, 2);
	ck_assert_int_eq(layout.items[0].notify, REDIRECT_SUPPORTED);
	ck_assert_int_eq(layout.items[1].attr_count, 0);
}
END_TEST

static const char *bad_layouts[] = {
	"",
	"   ",
	"SA KE No N",
	"N()",
	"N(",
	"N(REDIR_SUP",
	"N(REDIR_SUP))",
	")",
	"SA )(",
	"N(NO_SUCH_NOTIFY)",
	"N(70000)",
	"N(-1)",
	"N(1x)",
	"N(())",
	"CPRQ(ADDR",
	"CPRQ(ADDR BOGUS)",
	"CPRQ(40000)",
	"CPRQ((25)",
	"CPRQ(ADDR) SA(1)",
	"IDi(ADDR)",
	"Sa",
	"sa",
	"SK",
	"\xff\xfe",
	"N(\xff)",
	"CP(ADDR)",
	"N(REDIR_SUP)(X)",
	"N(AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA)",
};

START_TEST(test_layout_bad)
{
	rw_emulate_layout_t layout;
	char err[128];

	err[0] = '\0';
	ck_assert_msg(!rw_emulate_parse_layout(bad_layouts[_i], &layout, err,
										   sizeof(err)),
				  "accepted '%s'", bad_layouts[_i]);
	ck_assert_msg(strlen(err) > 0, "no error text for '%s'", bad_layouts[_i]);
	ck_assert(!rw_emulate_parse_layout(NULL, &layout, err, sizeof(err)));
}
END_TEST

START_TEST(test_layout_limits)
{
	rw_emulate_layout_t layout;
	char buf[4096] = "", err[128];
	int i;

	for (i = 0; i < RW_EMULATE_MAX_ITEMS; i++)
	{
		strcat(buf, "V ");
	}
	ck_assert_msg(rw_emulate_parse_layout(buf, &layout, err, sizeof(err)), "%s", err);
	ck_assert_int_eq(layout.count, RW_EMULATE_MAX_ITEMS);
	strcat(buf, "V");
	ck_assert(!rw_emulate_parse_layout(buf, &layout, err, sizeof(err)));

	strcpy(buf, "CPRQ(");
	for (i = 0; i < RW_EMULATE_MAX_ATTRS; i++)
	{
		strcat(buf, "DNS ");
	}
	strcat(buf, ")");
	ck_assert_msg(rw_emulate_parse_layout(buf, &layout, err, sizeof(err)), "%s", err);
	ck_assert_int_eq(layout.items[0].attr_count, RW_EMULATE_MAX_ATTRS);
	strcpy(buf + strlen(buf) - 1, "DNS)");
	ck_assert(!rw_emulate_parse_layout(buf, &layout, err, sizeof(err)));
	/* a tiny error buffer is never overrun */
	ck_assert(!rw_emulate_parse_layout("N(NO_SUCH_NOTIFY_AT_ALL)", &layout, err, 4));
	ck_assert_int_le(strlen(err), 3);
}
END_TEST

/* random bytes and random tokens: the parser answers yes or no, never crashes */
START_TEST(test_layout_random)
{
	static const char *tokens[] = {
		"SA", "KE", "No", "N(", "N(REDIR_SUP)", "(", ")", "CPRQ(", "ADDR", "(25)",
		" ", "\t", "V", "IDr", "65535", "N((16430))", "CPRQ(DNS)", "x",
	};
	rw_emulate_layout_t layout;
	char buf[512], err[64];
	u_int seed = 5, n, i, j;

	for (i = 0; i < 20000; i++)
	{
		n = rand_r(&seed) % 40;
		buf[0] = '\0';
		for (j = 0; j < n; j++)
		{
			if (rand_r(&seed) % 4)
			{
				strcat(buf, tokens[rand_r(&seed) % countof(tokens)]);
			}
			else
			{
				size_t len = strlen(buf);
				buf[len] = (rand_r(&seed) % 255) + 1;
				buf[len + 1] = '\0';
			}
		}
		rw_emulate_parse_layout(buf, &layout, err, sizeof(err));
		ck_assert_int_le(layout.count, RW_EMULATE_MAX_ITEMS);
	}
}
END_TEST

START_TEST(test_vids)
{
	rw_emulate_profile_t profile;
	char err[128] = "";

	ck_assert_msg(rw_emulate_parse_vids("1e2b516905991c7d7c96fcbfb587e46100000009, "
				"fb:1d:e3:cd:f3:41:b7:ea:16:b7:e5:be:08:55:f1:20  26244d38",
				&profile, err, sizeof(err)), "%s", err);
	ck_assert_int_eq(profile.vid_count, 3);
	ck_assert_int_eq(profile.vid_len[0], 20);
	ck_assert_int_eq(profile.vids[0][0], 0x1e);
	ck_assert_int_eq(profile.vids[0][19], 0x09);
	ck_assert_int_eq(profile.vid_len[1], 16);
	ck_assert_int_eq(profile.vids[1][15], 0x20);
	ck_assert_int_eq(profile.vid_len[2], 4);
	ck_assert(rw_emulate_parse_vids(NULL, &profile, err, sizeof(err)));
	ck_assert_int_eq(profile.vid_count, 0);
	ck_assert(rw_emulate_parse_vids(" , ,", &profile, err, sizeof(err)));
	ck_assert_int_eq(profile.vid_count, 0);
}
END_TEST

START_TEST(test_vids_bad)
{
	rw_emulate_profile_t profile;
	char buf[512], err[128];
	int i;

	ck_assert(!rw_emulate_parse_vids("abc", &profile, err, sizeof(err)));
	ck_assert(!rw_emulate_parse_vids("a", &profile, err, sizeof(err)));
	ck_assert(!rw_emulate_parse_vids("zz", &profile, err, sizeof(err)));
	ck_assert(!rw_emulate_parse_vids("0g", &profile, err, sizeof(err)));
	ck_assert(rw_emulate_parse_vids("1e2b,", &profile, err, sizeof(err)));
	ck_assert(!rw_emulate_parse_vids("1e2b5,", &profile, err, sizeof(err)));
	/* longer than RW_EMULATE_MAX_VID_LEN bytes */
	buf[0] = '\0';
	for (i = 0; i <= RW_EMULATE_MAX_VID_LEN; i++)
	{
		strcat(buf, "ab");
	}
	ck_assert(!rw_emulate_parse_vids(buf, &profile, err, sizeof(err)));
	/* more than RW_EMULATE_MAX_VIDS */
	buf[0] = '\0';
	for (i = 0; i <= RW_EMULATE_MAX_VIDS; i++)
	{
		strcat(buf, "00, ");
	}
	ck_assert(!rw_emulate_parse_vids(buf, &profile, err, sizeof(err)));
}
END_TEST

START_TEST(test_profiles_load)
{
	rw_emulate_profile_t profile;
	char path[PATH_MAX], err[256] = "";

	snprintf(path, sizeof(path), "%s/%s.conf", RW_PROFILES_DIR, profiles[_i]);
	ck_assert_msg(rw_emulate_profile_load(path, &profile, err, sizeof(err)),
				  "%s: %s", profiles[_i], err);
	ck_assert_str_eq(profile.name, profiles[_i]);
	ck_assert(profile.ike_sa_init.set);
	ck_assert(profile.ike_auth.set);
	ck_assert_int_eq(profile.ike_sa_init.items[0].type, PLV2_SECURITY_ASSOCIATION);
	ck_assert_int_eq(profile.ike_auth.items[0].type, PLV2_ID_INITIATOR);
	if (strpfx(profiles[_i], "win"))
	{
		ck_assert_int_eq(profile.vid_count, 4);
		ck_assert_int_eq(profile.certreq_unknown, 52);
		ck_assert(!profile.fail_without_cert);
	}
	else
	{
		ck_assert_int_eq(profile.vid_count, 0);
	}
	if (streq(profile.family, "apple"))
	{
		ck_assert(profile.fail_without_cert);
		ck_assert(profile.ipv6_needs_default);
	}
	ck_assert(profile.ignore_natd_dpd == streq(profiles[_i], "ios10"));
}
END_TEST

/* write a profile file and try to load it */
static bool load_string(const char *content, char *err, size_t len)
{
	rw_emulate_profile_t profile;
	char path[] = "/tmp/rw-emulate-test-XXXXXX";
	FILE *f;
	int fd;
	bool ok;

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	fputs(content, f);
	fclose(f);
	ok = rw_emulate_profile_load(path, &profile, err, len);
	unlink(path);
	return ok;
}

START_TEST(test_profile_bad)
{
	rw_emulate_profile_t profile;
	char err[256];

	ck_assert(!rw_emulate_profile_load("/nonexistent/profile.conf", &profile,
									   err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "cannot read profile"));
	ck_assert(!rw_emulate_profile_load(NULL, &profile, err, sizeof(err)));
	ck_assert(!load_string("", err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "no name"));
	ck_assert(!load_string("name = x\nike_sa_init = SA N(BOGUS)\n", err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "ike_sa_init"));
	ck_assert(!load_string("name = x\nike_auth = CPRQ(ADDR\n", err, sizeof(err)));
	ck_assert(!load_string("name = x\nvendor_ids = xyz\n", err, sizeof(err)));
	ck_assert(!load_string("name = x\ncertreq_unknown = 100000\n", err, sizeof(err)));
	ck_assert(!load_string("name = x\ncertreq_unknown = -1\n", err, sizeof(err)));
	ck_assert(!load_string("name { {{ = \n", err, sizeof(err)));
	/* a profile without layouts is valid: charon's own messages are sent */
	ck_assert_msg(load_string("name = plain\n", err, sizeof(err)), "%s", err);
}
END_TEST

static void check_format(uint16_t type, chunk_t value, const char *expected)
{
	char buf[128];

	rw_emulate_format_attr(type, value, buf, sizeof(buf));
	ck_assert_str_eq(buf, expected);
}

START_TEST(test_format)
{
	check_format(INTERNAL_IP4_ADDRESS, chunk_from_chars(198, 18, 0, 1), "198.18.0.1");
	check_format(INTERNAL_IP4_DNS, chunk_from_chars(198, 51, 100, 53), "198.51.100.53");
	check_format(INTERNAL_IP4_NETMASK, chunk_from_chars(255, 255, 255, 0), "255.255.255.0");
	check_format(INTERNAL_IP4_SUBNET,
				 chunk_from_chars(198, 51, 100, 0, 255, 255, 255, 0), "198.51.100.0/24");
	check_format(INTERNAL_IP4_SUBNET,
				 chunk_from_chars(0, 0, 0, 0, 0, 0, 0, 0), "0.0.0.0/0");
	/* a netmask that is not contiguous stays raw */
	check_format(INTERNAL_IP4_SUBNET,
				 chunk_from_chars(10, 0, 0, 0, 255, 0, 255, 0), "0x0a000000ff00ff00");
	check_format(INTERNAL_IP6_ADDRESS,
				 chunk_from_chars(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0,
								  0, 0, 0, 1, 64), "2001:db8::1/64");
	check_format(INTERNAL_IP6_DNS,
				 chunk_from_chars(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0,
								  0, 0, 0, 0x53), "2001:db8::53");
	check_format(INTERNAL_IP6_SUBNET,
				 chunk_from_chars(0x20, 0x01, 0x0d, 0xb8, 1, 0, 0, 0, 0, 0, 0, 0,
								  0, 0, 0, 0, 56), "2001:db8:100::/56");
	check_format(INTERNAL_DNS_DOMAIN, chunk_from_str("corp.example"), "corp.example");
	check_format(APPLICATION_VERSION, chunk_from_str("strongSwan 5.9.8"),
				 "strongSwan 5.9.8");
	check_format(INTERNAL_ADDRESS_EXPIRY, chunk_from_chars(0, 0, 0x0e, 0x10), "3600");
	check_format(INTERNAL_IP4_SERVER, chunk_from_chars(198, 51, 100, 1), "198.51.100.1");
	check_format(INTERNAL_DNS_DOMAIN, chunk_empty, "-");
	check_format(UNITY_BANNER, chunk_from_chars(0x41, 0x00), "0x4100");
}
END_TEST

START_TEST(test_format_bad)
{
	uint8_t big[600];
	char buf[64], tiny[8];

	/* wrong lengths fall back to hex */
	check_format(INTERNAL_IP4_ADDRESS, chunk_from_chars(1, 2, 3), "0x010203");
	check_format(INTERNAL_IP4_DNS, chunk_from_chars(1, 2, 3, 4, 5), "0x0102030405");
	check_format(INTERNAL_IP6_ADDRESS, chunk_from_chars(1, 2), "0x0102");
	/* prefix > 128 */
	check_format(INTERNAL_IP6_ADDRESS,
				 chunk_from_chars(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 200),
				 "0x00000000000000000000000000000000c8");
	check_format(INTERNAL_IP4_SUBNET, chunk_from_chars(1, 2, 3, 4), "0x01020304");
	check_format(INTERNAL_ADDRESS_EXPIRY, chunk_from_chars(1), "0x01");
	/* non-printable or space-free domains */
	check_format(INTERNAL_DNS_DOMAIN, chunk_from_chars('a', 0x00, 'b'), "0x610062");
	check_format(INTERNAL_DNS_DOMAIN, chunk_from_chars('a', '\n'), "0x610a");
	/* oversized values are truncated, marked, and never overrun the buffer */
	memset(big, 0xab, sizeof(big));
	rw_emulate_format_attr(INTERNAL_DNS_DOMAIN, chunk_from_thing(big), buf, sizeof(buf));
	ck_assert_int_eq(strlen(buf), sizeof(buf) - 1);
	ck_assert(strpfx(buf, "0xabab"));
	ck_assert_str_eq(buf + strlen(buf) - 3, "...");
	memset(big, 'a', sizeof(big));
	rw_emulate_format_attr(INTERNAL_DNS_DOMAIN, chunk_from_thing(big), tiny, sizeof(tiny));
	ck_assert_str_eq(tiny, "aaaa...");
	rw_emulate_format_attr(INTERNAL_DNS_DOMAIN, chunk_create(big, 8), tiny, sizeof(tiny));
	ck_assert_str_eq(tiny, "aaaa...");
	rw_emulate_format_attr(INTERNAL_DNS_DOMAIN, chunk_create(big, 7), tiny, sizeof(tiny));
	ck_assert_str_eq(tiny, "aaaaaaa");
	rw_emulate_format_attr(INTERNAL_DNS_DOMAIN, chunk_create(big, 6), tiny, sizeof(tiny));
	ck_assert_str_eq(tiny, "aaaaaa");
	rw_emulate_format_attr(INTERNAL_DNS_DOMAIN, chunk_create(big, 6), tiny, 3);
	ck_assert_str_eq(tiny, "aa");
	rw_emulate_format_attr(INTERNAL_IP6_DNS, chunk_from_thing(big), tiny, sizeof(tiny));
	ck_assert_int_eq(strlen(tiny), sizeof(tiny) - 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rw-emulate");
	TCase *tc;
	SRunner *sr;
	int failed;

	/* enum names live in libstrongswan/libcharon; settings need the library */
	library_init(NULL, "test-rw-emulate");

	tc = tcase_create("layout");
	tcase_add_test(tc, test_layout_apple);
	tcase_add_test(tc, test_layout_numbers);
	tcase_add_loop_test(tc, test_layout_bad, 0, countof(bad_layouts));
	tcase_add_test(tc, test_layout_limits);
	tcase_add_test(tc, test_layout_random);
	suite_add_tcase(s, tc);

	tc = tcase_create("vendor-ids");
	tcase_add_test(tc, test_vids);
	tcase_add_test(tc, test_vids_bad);
	suite_add_tcase(s, tc);

	tc = tcase_create("profiles");
	tcase_add_loop_test(tc, test_profiles_load, 0, countof(profiles));
	tcase_add_test(tc, test_profile_bad);
	suite_add_tcase(s, tc);

	tc = tcase_create("format");
	tcase_add_test(tc, test_format);
	tcase_add_test(tc, test_format_bad);
	suite_add_tcase(s, tc);

	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	library_deinit();
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
