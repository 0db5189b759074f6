/*
 * librw quirk table, proposal shaping decisions and certificate requirements, on the
 * offers client-fingerprints.md records (IANA numbers).
 */

#include <rw_quirks.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

/* IANA transform IDs used below */
enum {
	ENCR_3DES = 3, ENCR_AES_CBC = 12, ENCR_AES_CTR = 13, ENCR_AES_GCM_8 = 18,
	ENCR_AES_GCM_12 = 19, ENCR_AES_GCM_16 = 20, ENCR_CHACHA20_POLY1305 = 28,
	INTEG_SHA1_96 = 2, INTEG_AES_XCBC_96 = 5, INTEG_AES_CMAC_96 = 8,
	INTEG_SHA2_256_128 = 12, INTEG_SHA2_384_192 = 13, INTEG_SHA2_512_256 = 14,
	PRF_SHA1 = 2, PRF_AES128_XCBC = 4, PRF_SHA2_256 = 5, PRF_SHA2_384 = 6,
	PRF_SHA2_512 = 7, PRF_AES128_CMAC = 8,
	MODP_1024 = 2, MODP_1536 = 5, MODP_2048 = 14, MODP_3072 = 15, MODP_4096 = 16,
	ECP_256 = 19, MODP_2048_256 = 24, CURVE_25519 = 31,
	NO_ESN = 0,
};

static void add(rw_cl_proposal_t *p, uint8_t type, uint16_t id, uint16_t keylen)
{
	ck_assert_uint_lt(p->n_transforms, RW_CL_MAX_TRANSFORMS);
	p->transforms[p->n_transforms++] = (rw_cl_transform_t){ type, id, keylen };
}

/** a single-transform IKE proposal as Apple and Windows send them */
static void ike(rw_cl_proposal_t *p, uint16_t encr, uint16_t keylen, uint16_t integ,
				uint16_t prf, uint16_t ke)
{
	memset(p, 0, sizeof(*p));
	p->protocol = 1;
	add(p, RW_TRANS_ENCR, encr, keylen);
	if (integ)
	{
		add(p, RW_TRANS_INTEG, integ, 0);
	}
	add(p, RW_TRANS_PRF, prf, 0);
	add(p, RW_TRANS_KE, ke, 0);
}

static void esp(rw_cl_proposal_t *p, uint16_t encr, uint16_t keylen, uint16_t integ)
{
	memset(p, 0, sizeof(*p));
	p->protocol = 3;
	add(p, RW_TRANS_ENCR, encr, keylen);
	if (integ)
	{
		add(p, RW_TRANS_INTEG, integ, 0);
	}
	add(p, RW_TRANS_ESN, NO_ESN, 0);
}

/* C06/X07: iOS up to 16.5 and macOS (X06) default offer */
static size_t ios12(rw_cl_proposal_t *p)
{
	ike(&p[0], ENCR_AES_CBC, 256, INTEG_SHA2_256_128, PRF_SHA2_256, MODP_2048);
	ike(&p[1], ENCR_AES_CBC, 256, INTEG_SHA2_256_128, PRF_SHA2_256, ECP_256);
	ike(&p[2], ENCR_AES_CBC, 256, INTEG_SHA2_256_128, PRF_SHA2_256, MODP_1536);
	ike(&p[3], ENCR_AES_CBC, 128, INTEG_SHA1_96, PRF_SHA1, MODP_1024);
	ike(&p[4], ENCR_3DES, 0, INTEG_SHA1_96, PRF_SHA1, MODP_1024);
	return 5;
}

/* C01/X01: iOS 17+ and macOS 14, GCM/ECP_256 first */
static size_t ios17(rw_cl_proposal_t *p)
{
	ike(&p[0], ENCR_AES_GCM_16, 256, 0, PRF_SHA2_256, ECP_256);
	ike(&p[1], ENCR_AES_GCM_16, 256, 0, PRF_SHA2_256, MODP_2048);
	ike(&p[2], ENCR_AES_CBC, 256, INTEG_SHA2_256_128, PRF_SHA2_256, ECP_256);
	ike(&p[3], ENCR_AES_CBC, 256, INTEG_SHA2_256_128, PRF_SHA2_256, MODP_2048);
	return 4;
}

/* C11/C12/X03: Windows 10 default, 3DES first, MODP_1024 in every proposal */
static size_t win10(rw_cl_proposal_t *p)
{
	ike(&p[0], ENCR_3DES, 0, INTEG_SHA1_96, PRF_SHA1, MODP_1024);
	ike(&p[1], ENCR_3DES, 0, INTEG_SHA2_256_128, PRF_SHA2_256, MODP_1024);
	ike(&p[2], ENCR_3DES, 0, INTEG_SHA2_384_192, PRF_SHA2_384, MODP_1024);
	ike(&p[3], ENCR_AES_CBC, 128, INTEG_SHA1_96, PRF_SHA1, MODP_1024);
	ike(&p[4], ENCR_AES_CBC, 128, INTEG_SHA2_256_128, PRF_SHA2_256, MODP_1024);
	ike(&p[5], ENCR_AES_CBC, 192, INTEG_SHA2_256_128, PRF_SHA2_256, MODP_1024);
	ike(&p[6], ENCR_AES_CBC, 256, INTEG_SHA1_96, PRF_SHA1, MODP_1024);
	ike(&p[7], ENCR_AES_CBC, 256, INTEG_SHA2_256_128, PRF_SHA2_256, MODP_1024);
	ike(&p[8], ENCR_AES_GCM_16, 256, 0, PRF_SHA2_256, MODP_1024);
	return 9;
}

/* X05: Android native, two proposals with many transforms each, PRF_HMAC_SHA1 in
 * both */
static size_t android(rw_cl_proposal_t *p)
{
	static const uint16_t ke[] = { MODP_4096, CURVE_25519, MODP_3072, MODP_2048 };
	static const uint16_t prf[] = { PRF_SHA1, PRF_AES128_XCBC, PRF_SHA2_256,
									PRF_SHA2_384, PRF_SHA2_512, PRF_AES128_CMAC };
	size_t i;

	memset(p, 0, 2 * sizeof(*p));
	p[0].protocol = p[1].protocol = 1;
	add(&p[0], RW_TRANS_ENCR, ENCR_AES_CTR, 256);
	add(&p[0], RW_TRANS_ENCR, ENCR_AES_CBC, 256);
	add(&p[0], RW_TRANS_ENCR, ENCR_AES_CBC, 128);
	add(&p[0], RW_TRANS_INTEG, INTEG_SHA2_512_256, 0);
	add(&p[0], RW_TRANS_INTEG, INTEG_SHA2_256_128, 0);
	add(&p[0], RW_TRANS_INTEG, INTEG_AES_XCBC_96, 0);
	add(&p[0], RW_TRANS_INTEG, INTEG_AES_CMAC_96, 0);
	add(&p[1], RW_TRANS_ENCR, ENCR_CHACHA20_POLY1305, 0);
	add(&p[1], RW_TRANS_ENCR, ENCR_AES_GCM_16, 256);
	add(&p[1], RW_TRANS_ENCR, ENCR_AES_GCM_12, 128);
	add(&p[1], RW_TRANS_ENCR, ENCR_AES_GCM_8, 128);
	for (i = 0; i < 2; i++)
	{
		size_t j;

		for (j = 0; j < sizeof(ke) / sizeof(ke[0]); j++)
		{
			add(&p[i], RW_TRANS_KE, ke[j], 0);
		}
		for (j = 0; j < sizeof(prf) / sizeof(prf[0]); j++)
		{
			add(&p[i], RW_TRANS_PRF, prf[j], 0);
		}
	}
	return 2;
}

static rw_quirk_table_t *table;

static void setup(void)
{
	table = rw_quirk_table_create();
	ck_assert_ptr_nonnull(table);
}

static void teardown(void)
{
	rw_quirk_table_destroy(table);
}

/* --- table ---------------------------------------------------------------------- */

START_TEST(test_builtin)
{
	const rw_quirks_t *apple, *win, *android, *sw, *unknown;

	apple = rw_quirk_table_get(table, "apple");
	ck_assert(apple->send_cert && apple->strip_legacy && apple->legacy);
	ck_assert(apple->strip_modp1536 && apple->dpd_without_natd && apple->no_reauth);
	ck_assert_int_eq(apple->ipv6_default_route, RW_V6_ROUTE_ADD);
	ck_assert_uint_eq(apple->dpd_delay, 30);

	win = rw_quirk_table_get(table, "windows");
	ck_assert(!win->send_cert && win->strip_legacy && win->legacy);
	ck_assert(!win->strip_modp1536 && !win->no_reauth && !win->dpd_delay);

	android = rw_quirk_table_get(table, "android-native");
	ck_assert(android->send_cert && android->strip_legacy && !android->legacy);

	sw = rw_quirk_table_get(table, "strongswan");
	ck_assert(!sw->send_cert && sw->strip_legacy && !sw->legacy);

	/* unknown and families without an entry: stock behaviour */
	unknown = rw_quirk_table_get(table, "unknown");
	ck_assert(!unknown->send_cert && !unknown->strip_legacy && unknown->legacy &&
			  !unknown->strip_modp1536 && !unknown->shape_esp &&
			  !unknown->dpd_without_natd && !unknown->no_reauth &&
			  unknown->ipv6_default_route == RW_V6_ROUTE_OFF && !unknown->dpd_delay);
	ck_assert_ptr_eq(rw_quirk_table_get(table, "nosuchfamily"), unknown);
	ck_assert_ptr_eq(rw_quirk_table_get(table, NULL), unknown);
	ck_assert_ptr_nonnull(rw_quirk_table_get(NULL, "apple"));
}
END_TEST

START_TEST(test_set_options)
{
	const rw_quirks_t *q;
	rw_error_t err;

	ck_assert_int_eq(rw_quirk_table_set(table, "apple", "send_cert", "no", &err), RW_OK);
	ck_assert_int_eq(rw_quirk_table_set(table, "apple", "dpd_delay", "2m", &err), RW_OK);
	ck_assert_int_eq(rw_quirk_table_set(table, "apple", "ipv6_default_route", "warn",
										&err), RW_OK);
	q = rw_quirk_table_get(table, "apple");
	ck_assert(!q->send_cert);
	ck_assert_uint_eq(q->dpd_delay, 120);
	ck_assert_int_eq(q->ipv6_default_route, RW_V6_ROUTE_WARN);
	/* the other quirks of the family stay */
	ck_assert(q->strip_modp1536 && q->no_reauth);

	ck_assert_int_eq(rw_quirk_table_set(table, "windows", "legacy", "No", &err), RW_OK);
	ck_assert(!rw_quirk_table_get(table, "windows")->legacy);
	ck_assert_int_eq(rw_quirk_table_set(table, "strongswan", "legacy", "enabled", &err),
					 RW_OK);
	ck_assert(rw_quirk_table_get(table, "strongswan")->legacy);
	ck_assert_int_eq(rw_quirk_table_set(table, "unknown", "strip_legacy", "1", &err),
					 RW_OK);
	ck_assert(rw_quirk_table_get(table, "nosuchfamily")->strip_legacy);
	ck_assert_int_eq(rw_quirk_table_set(table, "apple", "ipv6_default_route", "off",
										&err), RW_OK);
	ck_assert_int_eq(rw_quirk_table_get(table, "apple")->ipv6_default_route,
					 RW_V6_ROUTE_OFF);
}
END_TEST

START_TEST(test_new_family)
{
	const rw_quirks_t *q;
	rw_error_t err;
	const char *name;
	size_t i;
	bool found = false;

	/* a family added by classifier rules: no quirks but the one set */
	ck_assert_int_eq(rw_quirk_table_set(table, "samsung", "send_cert", "yes", &err),
					 RW_OK);
	q = rw_quirk_table_get(table, "samsung");
	ck_assert(q->send_cert && !q->strip_legacy && q->legacy && !q->no_reauth);
	ck_assert_ptr_ne(q, rw_quirk_table_get(table, "unknown"));
	for (i = 0; (name = rw_quirk_table_family(table, i)); i++)
	{
		found |= strcmp(name, "samsung") == 0;
	}
	ck_assert(found);
	ck_assert_uint_eq(i, 6);
}
END_TEST

START_TEST(test_bad_options)
{
	const rw_quirks_t before = *rw_quirk_table_get(table, "apple");
	static const char *bad[][3] = {
		{ "apple", "send_cert", "maybe" },
		{ "apple", "send_cert", "" },
		{ "apple", "dpd_delay", "-1" },
		{ "apple", "dpd_delay", "30x" },
		{ "apple", "dpd_delay", "30ss" },
		{ "apple", "dpd_delay", "99999999999999999999" },
		{ "apple", "dpd_delay", "5000000d" },
		{ "apple", "dpd_delay", "" },
		{ "apple", "ipv6_default_route", "always" },
		{ "apple", "no_such_option", "yes" },
		{ "", "send_cert", "yes" },
		{ "app le", "send_cert", "yes" },
		{ "apple\n", "send_cert", "yes" },
		{ "a-family-name-that-is-far-too-long-for-it", "send_cert", "yes" },
	};
	rw_error_t err;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
	{
		ck_assert_int_eq(rw_quirk_table_set(table, bad[i][0], bad[i][1], bad[i][2],
											&err), RW_ERR_INVALID);
		ck_assert_int_eq(err.status, RW_ERR_INVALID);
		ck_assert(strlen(err.msg) > 0);
	}
	ck_assert_int_eq(rw_quirk_table_set(table, NULL, "send_cert", "yes", &err),
					 RW_ERR_INVALID);
	ck_assert_int_eq(rw_quirk_table_set(table, "apple", NULL, "yes", &err),
					 RW_ERR_INVALID);
	ck_assert_int_eq(rw_quirk_table_set(table, "apple", "send_cert", NULL, NULL),
					 RW_ERR_INVALID);
	ck_assert(memcmp(&before, rw_quirk_table_get(table, "apple"), sizeof(before)) == 0);
	/* no entry made for a family whose option failed */
	ck_assert_ptr_eq(rw_quirk_table_get(table, "app le"),
					 rw_quirk_table_get(table, "unknown"));
	ck_assert_ptr_null(rw_quirk_table_family(table, 5));
}
END_TEST

START_TEST(test_parse)
{
	unsigned t;
	bool b;

	ck_assert(rw_quirks_parse_time("0", &t) && t == 0);
	ck_assert(rw_quirks_parse_time("45", &t) && t == 45);
	ck_assert(rw_quirks_parse_time("45s", &t) && t == 45);
	ck_assert(rw_quirks_parse_time("3m", &t) && t == 180);
	ck_assert(rw_quirks_parse_time("2h", &t) && t == 7200);
	ck_assert(rw_quirks_parse_time("1d", &t) && t == 86400);
	ck_assert(!rw_quirks_parse_time(" 1", &t));
	ck_assert(!rw_quirks_parse_time("s", &t));
	ck_assert(!rw_quirks_parse_time(NULL, &t));
	ck_assert(rw_quirks_parse_bool("TRUE", &b) && b);
	ck_assert(rw_quirks_parse_bool("on", &b) && b);
	ck_assert(rw_quirks_parse_bool("off", &b) && !b);
	ck_assert(rw_quirks_parse_bool("disabled", &b) && !b);
	ck_assert(!rw_quirks_parse_bool("yess", &b));
	ck_assert(!rw_quirks_parse_bool(NULL, &b));
}
END_TEST

/* --- shaping -------------------------------------------------------------------- */

static bool kept(const rw_shape_t *s, const rw_cl_proposal_t *p, uint8_t type,
				 uint16_t id)
{
	rw_cl_transform_t t = { type, id, 0 };
	unsigned i;

	for (i = 0; i < p->n_transforms; i++)
	{
		if (p->transforms[i].type == type && p->transforms[i].id == id)
		{
			t = p->transforms[i];
		}
	}
	return rw_shape_keep_transform(s, &t);
}

START_TEST(test_shape_apple_ios12)
{
	rw_cl_proposal_t p[RW_CL_MAX_PROPOSALS];
	rw_shape_t s;
	size_t n = ios12(p);

	rw_quirks_shape(rw_quirk_table_get(table, "apple"), p, n, false, true, &s);
	ck_assert_int_eq(s.action, RW_SHAPE_STRIP);
	ck_assert(!s.legacy_only && s.had_modp1536);
	ck_assert(s.keep[0] && s.keep[1]);
	/* MODP_1536 (advertised, broken), AES128/SHA1/MODP_1024, 3DES/SHA1/MODP_1024 */
	ck_assert(!s.keep[2] && !s.keep[3] && !s.keep[4]);
	ck_assert_uint_eq(s.left, 2);
	ck_assert_uint_eq(s.removed_proposals, 3);
	ck_assert_uint_eq(s.removed_transforms, 0);
	ck_assert(!kept(&s, &p[2], RW_TRANS_KE, MODP_1536));
	ck_assert(!kept(&s, &p[3], RW_TRANS_PRF, PRF_SHA1));
	ck_assert(kept(&s, &p[0], RW_TRANS_KE, MODP_2048));
	ck_assert(kept(&s, &p[1], RW_TRANS_KE, ECP_256));
}
END_TEST

START_TEST(test_shape_apple_modp1536_only)
{
	rw_cl_proposal_t p[RW_CL_MAX_PROPOSALS];
	rw_quirks_t q = *rw_quirk_table_get(table, "apple");
	rw_shape_t s;
	size_t n = ios12(p);

	/* legacy stripping off: MODP_1536 still goes, legacy proposals stay */
	q.strip_legacy = false;
	rw_quirks_shape(&q, p, n, false, true, &s);
	ck_assert_int_eq(s.action, RW_SHAPE_STRIP);
	ck_assert(s.drop_modp1536 && !s.drop_legacy);
	ck_assert(s.keep[0] && s.keep[1] && !s.keep[2] && s.keep[3] && s.keep[4]);
	ck_assert(kept(&s, &p[4], RW_TRANS_ENCR, ENCR_3DES));

	/* both off: nothing changes */
	q.strip_modp1536 = false;
	rw_quirks_shape(&q, p, n, false, true, &s);
	ck_assert_int_eq(s.action, RW_SHAPE_KEEP);
	ck_assert(kept(&s, &p[2], RW_TRANS_KE, MODP_1536));
}
END_TEST

START_TEST(test_shape_modern)
{
	rw_cl_proposal_t p[RW_CL_MAX_PROPOSALS];
	rw_shape_t s;
	size_t n = ios17(p);

	rw_quirks_shape(rw_quirk_table_get(table, "apple"), p, n, false, true, &s);
	ck_assert_int_eq(s.action, RW_SHAPE_KEEP);
	ck_assert(!s.legacy_only && !s.had_modp1536);
	ck_assert_uint_eq(s.left, 4);
}
END_TEST

START_TEST(test_shape_windows_default)
{
	rw_cl_proposal_t p[RW_CL_MAX_PROPOSALS];
	rw_quirks_t q = *rw_quirk_table_get(table, "windows");
	rw_shape_t s;
	size_t n = win10(p);

	/* legacy only, Windows may use it: kept (the plugin logs the hint) */
	rw_quirks_shape(&q, p, n, false, true, &s);
	ck_assert_int_eq(s.action, RW_SHAPE_KEEP);
	ck_assert(s.legacy_only);
	ck_assert_uint_eq(s.left, 9);

	/* not allowed: rejected in IKE_SA_INIT, kept where it cannot be (ESP) */
	q.legacy = false;
	rw_quirks_shape(&q, p, n, false, true, &s);
	ck_assert_int_eq(s.action, RW_SHAPE_REJECT);
	ck_assert_uint_eq(s.left, 0);
	ck_assert(!kept(&s, &p[7], RW_TRANS_ENCR, ENCR_AES_CBC));
	rw_quirks_shape(&q, p, n, false, false, &s);
	ck_assert_int_eq(s.action, RW_SHAPE_KEEP);
}
END_TEST

START_TEST(test_shape_windows_dh2048)
{
	rw_cl_proposal_t p[RW_CL_MAX_PROPOSALS];
	rw_shape_t s;
	size_t n = win10(p);

	/* X04: NegotiateDH2048_AES256 adds AES-256/SHA2-256/MODP_2048 */
	ike(&p[n++], ENCR_AES_CBC, 256, INTEG_SHA2_256_128, PRF_SHA2_256, MODP_2048);
	rw_quirks_shape(rw_quirk_table_get(table, "windows"), p, n, false, true, &s);
	ck_assert_int_eq(s.action, RW_SHAPE_STRIP);
	ck_assert(!s.legacy_only);
	ck_assert_uint_eq(s.left, 1);
	ck_assert(s.keep[9]);
}
END_TEST

START_TEST(test_shape_strongswan_legacy)
{
	rw_cl_proposal_t p[RW_CL_MAX_PROPOSALS];
	rw_shape_t s;

	/* a charon client configured with aes128-sha1-modp1024 only: its family never
	 * needs legacy, the offer is rejected */
	memset(p, 0, sizeof(p[0]));
	p[0].protocol = 1;
	add(&p[0], RW_TRANS_ENCR, ENCR_AES_CBC, 128);
	add(&p[0], RW_TRANS_INTEG, INTEG_SHA1_96, 0);
	add(&p[0], RW_TRANS_PRF, PRF_SHA1, 0);
	add(&p[0], RW_TRANS_KE, MODP_1024, 0);
	rw_quirks_shape(rw_quirk_table_get(table, "strongswan"), p, 1, false, true, &s);
	ck_assert_int_eq(s.action, RW_SHAPE_REJECT);
	ck_assert(s.legacy_only);
	/* unknown clients keep stock behaviour */
	rw_quirks_shape(rw_quirk_table_get(table, "unknown"), p, 1, false, true, &s);
	ck_assert_int_eq(s.action, RW_SHAPE_KEEP);
}
END_TEST

START_TEST(test_shape_android_multi)
{
	rw_cl_proposal_t p[RW_CL_MAX_PROPOSALS];
	rw_shape_t s;
	size_t n = android(p);

	/* only PRF_HMAC_SHA1 goes, from both proposals; both stay */
	rw_quirks_shape(rw_quirk_table_get(table, "android-native"), p, n, false, true, &s);
	ck_assert_int_eq(s.action, RW_SHAPE_STRIP);
	ck_assert(s.keep[0] && s.keep[1]);
	ck_assert_uint_eq(s.left, 2);
	ck_assert_uint_eq(s.removed_proposals, 0);
	ck_assert_uint_eq(s.removed_transforms, 2);
	ck_assert(!kept(&s, &p[0], RW_TRANS_PRF, PRF_SHA1));
	ck_assert(kept(&s, &p[0], RW_TRANS_PRF, PRF_AES128_XCBC));
	ck_assert(kept(&s, &p[1], RW_TRANS_ENCR, ENCR_CHACHA20_POLY1305));
	ck_assert(kept(&s, &p[1], RW_TRANS_KE, CURVE_25519));
}
END_TEST

START_TEST(test_shape_esp)
{
	rw_cl_proposal_t p[RW_CL_MAX_PROPOSALS];
	rw_cl_transform_t esn = { RW_TRANS_ESN, NO_ESN, 0 };
	rw_shape_t s;

	/* X06: macOS ESP offer */
	esp(&p[0], ENCR_AES_CBC, 256, INTEG_SHA2_256_128);
	esp(&p[1], ENCR_AES_GCM_16, 256, 0);
	esp(&p[2], ENCR_AES_CBC, 128, INTEG_SHA1_96);
	esp(&p[3], ENCR_3DES, 0, INTEG_SHA1_96);
	rw_quirks_shape(rw_quirk_table_get(table, "apple"), p, 4, false, false, &s);
	ck_assert_int_eq(s.action, RW_SHAPE_STRIP);
	ck_assert(s.keep[0] && s.keep[1] && !s.keep[2] && !s.keep[3]);
	/* ESN is never legacy */
	ck_assert(rw_shape_keep_transform(&s, &esn));

	/* legacy-only ESP is never rejected: the IKE_SA is up already */
	rw_quirks_t q = *rw_quirk_table_get(table, "strongswan");
	rw_quirks_shape(&q, &p[2], 2, false, false, &s);
	ck_assert_int_eq(s.action, RW_SHAPE_KEEP);
	ck_assert(s.legacy_only);
}
END_TEST

START_TEST(test_shape_bad_input)
{
	rw_cl_proposal_t p[RW_CL_MAX_PROPOSALS];
	const rw_quirks_t *apple = rw_quirk_table_get(table, "apple");
	rw_shape_t s;
	size_t n = ios12(p);

	/* empty, overflowing, too long lists and no quirks: stock behaviour */
	rw_quirks_shape(apple, p, 0, false, true, &s);
	ck_assert_int_eq(s.action, RW_SHAPE_KEEP);
	rw_quirks_shape(apple, p, n, true, true, &s);
	ck_assert_int_eq(s.action, RW_SHAPE_KEEP);
	rw_quirks_shape(apple, p, RW_CL_MAX_PROPOSALS + 1, false, true, &s);
	ck_assert_int_eq(s.action, RW_SHAPE_KEEP);
	rw_quirks_shape(NULL, p, n, false, true, &s);
	ck_assert_int_eq(s.action, RW_SHAPE_KEEP);
	rw_quirks_shape(apple, NULL, n, false, true, &s);
	ck_assert_int_eq(s.action, RW_SHAPE_KEEP);
	ck_assert(rw_shape_keep_transform(NULL, &p[0].transforms[0]));

	/* a proposal without transforms, unknown transform types and IDs, a count
	 * beyond the array: no read past it, unknown transforms are not legacy */
	memset(p, 0, sizeof(p[0]) * 3);
	p[1].n_transforms = 255;
	p[2].n_transforms = 2;
	p[2].transforms[0] = (rw_cl_transform_t){ 200, 65535, 65535 };
	p[2].transforms[1] = (rw_cl_transform_t){ RW_TRANS_KE, 60000, 0 };
	rw_quirks_shape(apple, p, 3, false, true, &s);
	ck_assert_int_ne(s.action, RW_SHAPE_REJECT);
	ck_assert(s.action == RW_SHAPE_KEEP || s.keep[2]);
}
END_TEST

/* charon's default IKE proposals on Debian's 5.9.8 (proposal_create_default() and
 * proposal_create_default_aead() with its default plugins): the "default" of swanctl,
 * NetworkManager and the strongSwan app, more transforms than rw_cl_proposal_t holds */
static const rw_cl_transform_t charon_default[] = {
	{ RW_TRANS_ENCR, ENCR_AES_CBC, 128 }, { RW_TRANS_ENCR, ENCR_AES_CBC, 192 },
	{ RW_TRANS_ENCR, ENCR_AES_CBC, 256 }, { RW_TRANS_ENCR, ENCR_AES_CTR, 128 },
	{ RW_TRANS_ENCR, ENCR_AES_CTR, 192 }, { RW_TRANS_ENCR, ENCR_AES_CTR, 256 },
	{ RW_TRANS_ENCR, 23, 128 }, { RW_TRANS_ENCR, 23, 192 }, { RW_TRANS_ENCR, 23, 256 },
	{ RW_TRANS_ENCR, 24, 128 }, { RW_TRANS_ENCR, 24, 192 }, { RW_TRANS_ENCR, 24, 256 },
	{ RW_TRANS_ENCR, ENCR_3DES, 0 },
	{ RW_TRANS_INTEG, INTEG_SHA2_256_128, 0 }, { RW_TRANS_INTEG, INTEG_SHA2_384_192, 0 },
	{ RW_TRANS_INTEG, INTEG_SHA2_512_256, 0 }, { RW_TRANS_INTEG, INTEG_AES_XCBC_96, 0 },
	{ RW_TRANS_INTEG, INTEG_AES_CMAC_96, 0 }, { RW_TRANS_INTEG, INTEG_SHA1_96, 0 },
	{ RW_TRANS_PRF, PRF_SHA2_256, 0 }, { RW_TRANS_PRF, PRF_SHA2_384, 0 },
	{ RW_TRANS_PRF, PRF_SHA2_512, 0 }, { RW_TRANS_PRF, PRF_AES128_XCBC, 0 },
	{ RW_TRANS_PRF, PRF_AES128_CMAC, 0 }, { RW_TRANS_PRF, PRF_SHA1, 0 },
	{ RW_TRANS_KE, ECP_256, 0 }, { RW_TRANS_KE, 20, 0 }, { RW_TRANS_KE, 21, 0 },
	{ RW_TRANS_KE, 28, 0 }, { RW_TRANS_KE, 29, 0 }, { RW_TRANS_KE, 30, 0 },
	{ RW_TRANS_KE, CURVE_25519, 0 }, { RW_TRANS_KE, 32, 0 },
	{ RW_TRANS_KE, MODP_3072, 0 }, { RW_TRANS_KE, MODP_4096, 0 },
	{ RW_TRANS_KE, 17, 0 }, { RW_TRANS_KE, 18, 0 }, { RW_TRANS_KE, MODP_2048, 0 },
};

static size_t charon_default_aead(rw_cl_transform_t *t)
{
	/* GCM_16, CCM_16, CAMELLIA_CCM_16 and ChaCha20, then GCM_12/8, CCM_12/8,
	 * CAMELLIA_CCM_12/8; the PRFs and groups of the default */
	static const uint16_t encr[] = { ENCR_AES_GCM_16, 16, 27, ENCR_AES_GCM_12,
									 ENCR_AES_GCM_8, 15, 14, 26, 25 };
	size_t i, k, n = 0;

	for (i = 0; i < sizeof(encr) / sizeof(encr[0]); i++)
	{
		for (k = 128; k <= 256; k += 64)
		{
			t[n++] = (rw_cl_transform_t){ RW_TRANS_ENCR, encr[i], k };
		}
		if (i == 2)
		{
			t[n++] = (rw_cl_transform_t){ RW_TRANS_ENCR, ENCR_CHACHA20_POLY1305, 0 };
		}
	}
	for (i = 0; i < sizeof(charon_default) / sizeof(charon_default[0]); i++)
	{
		if (charon_default[i].type == RW_TRANS_PRF ||
			charon_default[i].type == RW_TRANS_KE)
		{
			t[n++] = charon_default[i];
		}
	}
	return n;
}

START_TEST(test_shape_charon_default)
{
	rw_cl_transform_t aead[64];
	rw_shape_proposal_t offer[2] = {
		{ charon_default, sizeof(charon_default) / sizeof(charon_default[0]) },
		{ aead, charon_default_aead(aead) },
	};
	rw_cl_transform_t t;
	rw_shape_t s;

	ck_assert_uint_eq(offer[0].n_transforms, 38);
	ck_assert_uint_eq(offer[1].n_transforms, 47);
	ck_assert_uint_gt(offer[0].n_transforms, RW_CL_MAX_TRANSFORMS);

	/* strongswan: 3DES, HMAC_SHA1_96 and PRF_HMAC_SHA1 go, both proposals stay */
	rw_quirks_shape_offer(rw_quirk_table_get(table, "strongswan"), offer, 2, true, &s);
	ck_assert_int_eq(s.action, RW_SHAPE_STRIP);
	ck_assert(!s.legacy_only && !s.had_modp1536);
	ck_assert(s.keep[0] && s.keep[1]);
	ck_assert_uint_eq(s.left, 2);
	ck_assert_uint_eq(s.removed_proposals, 0);
	ck_assert_uint_eq(s.removed_transforms, 4);
	t = (rw_cl_transform_t){ RW_TRANS_ENCR, ENCR_3DES, 0 };
	ck_assert(!rw_shape_keep_transform(&s, &t));
	t = (rw_cl_transform_t){ RW_TRANS_PRF, PRF_SHA1, 0 };
	ck_assert(!rw_shape_keep_transform(&s, &t));
	t = (rw_cl_transform_t){ RW_TRANS_KE, MODP_2048, 0 };
	ck_assert(rw_shape_keep_transform(&s, &t));

	/* the same for the families that strip legacy; unknown keeps it */
	rw_quirks_shape_offer(rw_quirk_table_get(table, "apple"), offer, 2, true, &s);
	ck_assert_int_eq(s.action, RW_SHAPE_STRIP);
	ck_assert_uint_eq(s.removed_transforms, 4);
	rw_quirks_shape_offer(rw_quirk_table_get(table, "unknown"), offer, 2, true, &s);
	ck_assert_int_eq(s.action, RW_SHAPE_KEEP);
	ck_assert_uint_eq(s.left, 2);

	/* with MODP_1536 in it (a charon client configured so), apple loses it */
	{
		rw_cl_transform_t more[64];
		rw_shape_proposal_t one = { more, offer[0].n_transforms + 1 };

		memcpy(more, charon_default, sizeof(charon_default));
		more[offer[0].n_transforms] = (rw_cl_transform_t){ RW_TRANS_KE, MODP_1536, 0 };
		rw_quirks_shape_offer(rw_quirk_table_get(table, "apple"), &one, 1, true, &s);
		ck_assert_int_eq(s.action, RW_SHAPE_STRIP);
		ck_assert(s.had_modp1536 && s.drop_modp1536);
		ck_assert_uint_eq(s.removed_transforms, 4);
	}

	/* bad input: a count without transforms, too many proposals */
	offer[1].transforms = NULL;
	rw_quirks_shape_offer(rw_quirk_table_get(table, "apple"), offer, 2, true, &s);
	ck_assert_int_eq(s.action, RW_SHAPE_KEEP);
	rw_quirks_shape_offer(rw_quirk_table_get(table, "apple"), offer,
						  RW_CL_MAX_PROPOSALS + 1, true, &s);
	ck_assert_int_eq(s.action, RW_SHAPE_KEEP);
	rw_quirks_shape_offer(rw_quirk_table_get(table, "apple"), NULL, 1, true, &s);
	ck_assert_int_eq(s.action, RW_SHAPE_KEEP);
}
END_TEST

START_TEST(test_family_names)
{
	static const char *bad[] = {
		"Apple", "APPLE", "android_native", "my.family", "apple ", "",
		"a-family-name-of-32-characters12",
	};
	static const char *good[] = {
		"apple", "android-native", "unknown", "samsung2",
		"a-family-name-of-31-characters1",
	};
	rw_error_t err;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
	{
		ck_assert_msg(!rw_quirk_family_valid(bad[i]), "%s", bad[i]);
		ck_assert_int_eq(rw_quirk_table_set(table, bad[i], "send_cert", "yes", &err),
						 RW_ERR_INVALID);
		ck_assert_ptr_nonnull(strstr(err.msg, "invalid family name"));
	}
	ck_assert(!rw_quirk_family_valid(NULL));
	/* no entry was made for them */
	ck_assert_ptr_null(rw_quirk_table_family(table, 5));
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
	{
		ck_assert_msg(rw_quirk_family_valid(good[i]), "%s", good[i]);
		ck_assert_int_eq(rw_quirk_table_set(table, good[i], "send_cert", "yes", &err),
						 RW_OK);
	}
}
END_TEST

START_TEST(test_legacy_hint)
{
	ck_assert_ptr_nonnull(strstr(rw_quirks_legacy_hint("windows"), "Windows"));
	ck_assert_ptr_nonnull(strstr(rw_quirks_legacy_hint("apple"), "profile"));
	ck_assert_ptr_nonnull(rw_quirks_legacy_hint("unknown"));
	ck_assert_ptr_nonnull(rw_quirks_legacy_hint(NULL));
}
END_TEST

/* --- certificates --------------------------------------------------------------- */

START_TEST(test_cert_requirements)
{
	rw_cert_facts_t good = { true, true, true }, none = { false, false, false };
	rw_cert_facts_t no_eku = { true, false, true };
	unsigned all = RW_CERT_NO_SAN | RW_CERT_NO_SERVERAUTH | RW_CERT_CHAIN_INCOMPLETE;
	const char *family;
	size_t i;

	for (i = 0; (family = rw_quirks_cert_family(i)); i++)
	{
		ck_assert_uint_eq(rw_quirks_cert_problems(family, &good), 0);
		ck_assert(rw_quirks_cert_problems(family, &none) & RW_CERT_NO_SAN);
		ck_assert(rw_quirks_cert_problems(family, &none) & RW_CERT_CHAIN_INCOMPLETE);
	}
	ck_assert_uint_eq(i, 4);
	ck_assert_uint_eq(rw_quirks_cert_problems("apple", &none), all);
	ck_assert_uint_eq(rw_quirks_cert_problems("windows", &no_eku),
					  RW_CERT_NO_SERVERAUTH);
	/* Android and charon-based clients do not check the EKU */
	ck_assert_uint_eq(rw_quirks_cert_problems("android-native", &no_eku), 0);
	ck_assert_uint_eq(rw_quirks_cert_problems("strongswan", &no_eku), 0);
	ck_assert_uint_eq(rw_quirks_cert_problems("unknown", &none), 0);
	ck_assert_uint_eq(rw_quirks_cert_problems(NULL, &none), 0);
	ck_assert_uint_eq(rw_quirks_cert_problems("apple", NULL), 0);
	ck_assert_ptr_nonnull(strstr(rw_quirks_cert_problem_str(RW_CERT_NO_SERVERAUTH),
								 "serverAuth"));
	ck_assert_ptr_nonnull(strstr(rw_quirks_cert_problem_str(RW_CERT_NO_SAN),
								 "subjectAltName"));
	ck_assert_ptr_nonnull(strstr(rw_quirks_cert_problem_str(RW_CERT_CHAIN_INCOMPLETE),
								 "chain"));
}
END_TEST

static Suite *quirks_suite(void)
{
	Suite *s = suite_create("quirks");
	TCase *tc;

	tc = tcase_create("table");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_builtin);
	tcase_add_test(tc, test_set_options);
	tcase_add_test(tc, test_new_family);
	tcase_add_test(tc, test_bad_options);
	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_family_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("shape");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_shape_apple_ios12);
	tcase_add_test(tc, test_shape_apple_modp1536_only);
	tcase_add_test(tc, test_shape_modern);
	tcase_add_test(tc, test_shape_windows_default);
	tcase_add_test(tc, test_shape_windows_dh2048);
	tcase_add_test(tc, test_shape_strongswan_legacy);
	tcase_add_test(tc, test_shape_android_multi);
	tcase_add_test(tc, test_shape_esp);
	tcase_add_test(tc, test_shape_bad_input);
	tcase_add_test(tc, test_shape_charon_default);
	tcase_add_test(tc, test_legacy_hint);
	suite_add_tcase(s, tc);

	tc = tcase_create("cert");
	tcase_add_test(tc, test_cert_requirements);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(quirks_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
