/*
 * Tests of the client classifier (lib/rw_classify.c) and the charon log parser
 * (lib/rw_logparse.c): every sample of client-fingerprints.md (tests/samples, one
 * file per sample, verbatim from the document) through both, the samples that are not charon log text
 * (C19, X01-X07) as hand-filled input, each rule condition on its own, rule text
 * errors, and the parser's grouping and robustness.
 */

#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rw_classify.h>
#include <rw_logparse.h>

#ifndef SAMPLES_DIR
#error SAMPLES_DIR must name tests/samples
#endif

#define MAX_SAS 64

static rw_classifier_t *cl;

/* what the parser produced for one input */
static struct {
	rw_lp_sa_t sas[MAX_SAS];
	rw_cl_result_t results[MAX_SAS];
	int n;
} got;

static void setup(void)
{
	cl = rw_classifier_create();
	ck_assert_ptr_nonnull(cl);
	memset(&got, 0, sizeof(got));
}

static void teardown(void)
{
	rw_classifier_destroy(cl);
	cl = NULL;
}

static void collect(void *ctx, const rw_lp_sa_t *sa)
{
	ck_assert_int_lt(got.n, MAX_SAS);
	got.sas[got.n] = *sa;
	rw_classify(cl, &sa->in, &got.results[got.n]);
	got.n++;
}

static char *read_sample(const char *name, size_t *len)
{
	char path[512];
	FILE *f;
	char *buf;
	long size;

	snprintf(path, sizeof(path), "%s/%s", SAMPLES_DIR, name);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	ck_assert_int_ge(size, 0);
	rewind(f);
	buf = malloc(size + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(fread(buf, 1, size, f), (size_t)size);
	buf[size] = '\0';
	fclose(f);
	*len = size;
	return buf;
}

/* parse text fed in chunks of chunk bytes (0: all at once) */
static void parse_text(const char *text, size_t len, size_t chunk)
{
	rw_logparse_t *p;
	size_t off;

	got.n = 0;
	p = rw_logparse_create(collect, NULL);
	ck_assert_ptr_nonnull(p);
	if (!chunk)
	{
		chunk = len ? len : 1;
	}
	for (off = 0; off < len; off += chunk)
	{
		rw_logparse_feed(p, text + off, len - off < chunk ? len - off : chunk);
	}
	rw_logparse_finish(p);
	rw_logparse_destroy(p);
}

static void parse_str(const char *text)
{
	parse_text(text, strlen(text), 0);
}

static void parse_sample(const char *name)
{
	size_t len;
	char *text = read_sample(name, &len);

	parse_text(text, len, 0);
	free(text);
}

/* ------------------------------------------------------------------------------ */
/* every sample of client-fingerprints.md */

typedef struct {
	const char *file;
	/* IKE_SAs the parser finds */
	int n_sas;
	/* expectations for the first one */
	const char *family;
	unsigned min_conf, max_conf;
	/* substring of the hint, NULL: any */
	const char *hint;
	/* -1 any */
	int legacy;
	/* runner-up family, NULL: any */
	const char *alt;
} sample_t;

static const sample_t samples[] = {
	/* Apple iOS; C01 adds HASH_ALG, GCM/ECP_256 first, EAP_ONLY */
	{ "C01.log", 1, "apple", 100, 100, "iOS 17+", 0, "" },
	/* REDIR_SUP first alone decides; the ESP proposal line carries the poster's
	 * bold markers ("**") and is not charon's text: dropped */
	{ "C02.log", 1, "apple", 50, 50, "iOS/macOS native", -1, "" },
	/* one proposal, the same as Windows 11 with NegotiateDH2048_AES256 sends (X04):
	 * Apple only by a small margin, Windows the runner-up */
	{ "C03.log", 1, "apple", 5, 20, "single proposal", 0, "windows" },
	{ "C04.log", 1, "apple", 100, 100, "before 17", -1, "" },
	/* the MODP_1024 retry after INVALID_KE_PAYLOAD is the same attempt */
	{ "C05.log", 1, "apple", 50, 100, "MODP_2048 first", -1, "" },
	/* iOS 16.5 default proposals as documented (lists on their own lines) */
	{ "C06.log", 1, "apple", 50, 100, "2017-2023", 0, "" },
	/* a profile's proposal sent verbatim: nothing Apple-specific in it, as the
	 * document says ("the number of proposals is a weak signal on its own") */
	{ "C07.log", 1, "unknown", 0, 0, NULL, 0, NULL },
	/* macOS 13.4 default: the single proposal of C03 */
	{ "C08.log", 1, "apple", 5, 20, "single proposal", 0, "windows" },
	/* family inferred in the document: Apple IKE_AUTH (terminal-wrapped lines joined)
	 * without REDIR_SUP */
	{ "C09.log", 1, "apple", 70, 100, "before 17", -1, "" },
	/* inferred: Apple notify order */
	{ "C10.log", 1, "apple", 50, 50, NULL, -1, "" },
	/* Windows default proposals (list cut by the excerpt: the cut one is dropped) */
	{ "C11.log", 1, "windows", 45, 100, "3DES/MODP_1024", 1, "" },
	{ "C12.log", 1, "windows", 45, 100, "3DES/MODP_1024", 1, "" },
	/* a CHILD_SA rekey only: no IKE_SA_INIT or IKE_AUTH to tell anything */
	{ "C13.log", 0, NULL, 0, 0, NULL, -1, NULL },
	{ "C14.log", 1, "windows", 100, 100, "custom proposal", 0, "" },
	{ "C15.log", 1, "windows", 100, 100, "before 10 1803", -1, "" },
	{ "C16.log", 1, "windows", 100, 100, "1803+", -1, "" },
	{ "C17.log", 1, "windows", 100, 100, "1803+", -1, "" },
	/* inferred from the Microsoft VIDs */
	{ "C18.log", 1, "windows", 100, 100, "1803+", -1, "" },
	/* strongSwan proposal keywords, not log text: see c19_windows_defaults */
	{ "C19.log", 0, NULL, 0, 0, NULL, -1, NULL },
	{ "C20.log", 1, "android-native", 100, 100, "Android", -1, "" },
	/* the KE group (MODP_2048_256) is what separates it from charon-based clients */
	{ "C21.log", 1, "android-native", 30, 60, "Android", 0, "strongswan" },
	/* IKE_SA_INIT only, the order Android native shares: charon-based by the ECP_256
	 * KE group, with little margin */
	{ "C22.log", 1, "strongswan", 15, 40, "charon-based", -1, "android-native" },
	/* IKE_SA_INIT only, no KE group: the document says strongSwan-based and Android
	 * native cannot be told apart here; the classifier leans to the far more common
	 * charon-based clients and says how little it knows */
	{ "C23.log", 1, "strongswan", 1, 15, "charon-based", -1, "android-native" },
	{ "C24.log", 1, "strongswan", 100, 100, "trust store", -1, "" },
	{ "C25.log", 1, "strongswan", 1, 15, "charon-based", -1, "android-native" },
	{ "C26.log", 1, "strongswan", 70, 100, "before MSG_ID_SYN_SUP", -1, "" },
	{ "C27.log", 1, "strongswan", 1, 15, "charon-based", 0, "android-native" },
	/* only the client's handling of the server's response: nothing it sent */
	{ "C28.log", 0, NULL, 0, 0, NULL, -1, NULL },
	{ "C29.log", 1, "strongswan", 100, 100, "6.x", -1, "" },
	/* not charon log text (Libreswan, NetworkExtension): see the hand-filled tests */
	{ "X01.log", 0, NULL, 0, 0, NULL, -1, NULL },
	{ "X02.log", 0, NULL, 0, 0, NULL, -1, NULL },
	{ "X03.log", 0, NULL, 0, 0, NULL, -1, NULL },
	{ "X04.log", 0, NULL, 0, 0, NULL, -1, NULL },
	{ "X05.log", 0, NULL, 0, 0, NULL, -1, NULL },
	{ "X06.log", 0, NULL, 0, 0, NULL, -1, NULL },
};

static void check_sample(const sample_t *s)
{
	const rw_cl_result_t *r;

	ck_assert_msg(got.n == s->n_sas, "%s: %d IKE_SAs, expected %d", s->file, got.n,
				  s->n_sas);
	if (!s->n_sas)
	{
		return;
	}
	r = &got.results[0];
	ck_assert_msg(!strcmp(r->family, s->family), "%s: family %s, expected %s",
				  s->file, r->family, s->family);
	ck_assert_msg(r->confidence >= s->min_conf && r->confidence <= s->max_conf,
				  "%s: confidence %u, expected %u..%u", s->file, r->confidence,
				  s->min_conf, s->max_conf);
	if (s->hint)
	{
		ck_assert_msg(strstr(r->hint, s->hint), "%s: hint '%s', expected '%s'",
					  s->file, r->hint, s->hint);
	}
	if (s->legacy >= 0)
	{
		ck_assert_msg(r->legacy_only == s->legacy, "%s: legacy_only %d", s->file,
					  r->legacy_only);
	}
	if (s->alt)
	{
		ck_assert_msg(!strcmp(r->alt_family, s->alt), "%s: runner-up '%s', expected "
					  "'%s'", s->file, r->alt_family, s->alt);
	}
}

START_TEST(test_sample)
{
	parse_sample(samples[_i].file);
	check_sample(&samples[_i]);
}
END_TEST

/* the same results whatever the chunks of text fed */
START_TEST(test_sample_chunked)
{
	rw_cl_result_t whole[MAX_SAS];
	rw_lp_sa_t sas[MAX_SAS];
	size_t len, chunks[] = { 1, 7, 100 };
	char *text = read_sample(samples[_i].file, &len);
	unsigned c;
	int n, k;

	parse_text(text, len, 0);
	n = got.n;
	memcpy(whole, got.results, sizeof(whole));
	memcpy(sas, got.sas, sizeof(sas));
	for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++)
	{
		parse_text(text, len, chunks[c]);
		ck_assert_int_eq(got.n, n);
		for (k = 0; k < n; k++)
		{
			ck_assert(!memcmp(&got.results[k], &whole[k], sizeof(whole[k])));
			ck_assert(!memcmp(&got.sas[k].in, &sas[k].in, sizeof(sas[k].in)));
		}
	}
	free(text);
}
END_TEST

/* what the document states about single fields */
START_TEST(test_sample_details)
{
	parse_sample("C14.log");
	ck_assert_int_eq(got.n, 1);
	/* 1 named CA + "38 cert requests for an unknown ca" (the 4 DBG2 keyid lines are
	 * among them) = the 39 of the document */
	ck_assert_int_eq(got.sas[0].in.auth.certreq_cas, 39);
	ck_assert_int_eq(got.sas[0].in.auth.n_certreq, 1);
	ck_assert_int_eq(got.sas[0].in.auth.idi_type, 9);
	ck_assert_int_eq(got.sas[0].in.init.n_vids, 4);
	ck_assert_int_eq(got.sas[0].in.auth.n_tsi, 2);
	ck_assert(got.sas[0].in.auth.tsi[0].full && got.sas[0].in.auth.tsi[1].full);
	ck_assert_int_eq(got.sas[0].in.auth.tsi[1].type, 8);
	ck_assert_str_eq(got.sas[0].peer, "136.62.77.151");

	parse_sample("C17.log");
	ck_assert_int_eq(got.sas[0].in.auth.certreq_cas, 53);
	/* IDi is the client's private IPv4 address */
	ck_assert_int_eq(got.sas[0].in.auth.idi_type, 1);

	parse_sample("C16.log");
	ck_assert_int_eq(got.sas[0].in.auth.certreq_cas, 53);

	parse_sample("C24.log");
	ck_assert_int_eq(got.sas[0].in.auth.certreq_cas, 135);

	parse_sample("C05.log");
	/* the client's first choice, not the MODP_1024 it retried with */
	ck_assert_int_eq(got.sas[0].in.init.ke_group, 14);

	parse_sample("C21.log");
	ck_assert_int_eq(got.sas[0].in.init.ke_group, 24);

	parse_sample("C22.log");
	ck_assert_int_eq(got.sas[0].in.init.ke_group, 19);
	ck_assert(got.sas[0].client_view);
	ck_assert_str_eq(got.sas[0].peer, "192.168.1.188");

	parse_sample("C18.log");
	ck_assert_int_eq(got.sas[0].unique_id, 1);

	parse_sample("C02.log");
	/* old releases print FRAG_SUP as N((16430)) */
	ck_assert_int_eq(got.sas[0].in.init.notifies[3], 16430);

	parse_sample("C04.log");
	/* attribute 25 as "(25)" on old releases ... */
	ck_assert_int_eq(got.sas[0].in.auth.cp_attrs[7], 25);
	ck_assert_int_eq(got.sas[0].in.auth.idi_type, 2);
	parse_sample("C01.log");
	/* ... and as DOMAIN on 5.9 */
	ck_assert_int_eq(got.sas[0].in.auth.cp_attrs[7], 25);
	/* IKE_SA_INIT and IKE_AUTH from different ports of the same address */
	ck_assert(got.sas[0].in.have_init && got.sas[0].in.have_auth);

	parse_sample("C09.log");
	/* wrapped lines joined: "N(NATD_D" + "_IP)", "ECP_" + "384" */
	ck_assert_int_eq(got.sas[0].in.init.n_notifies, 3);
	ck_assert_int_eq(got.sas[0].in.init.notifies[1], 16389);
	ck_assert_int_eq(got.sas[0].in.init.proposals[0].transforms[2].id, 20);
	/* the cut "N(NON" at the end is not a notify */
	ck_assert_int_eq(got.sas[0].in.auth.n_notifies, 3);

	parse_sample("C29.log");
	/* the client's own identity; the strongSwan VID logged is the gateway's */
	ck_assert_int_eq(got.sas[0].in.auth.idi_type, 3);
	ck_assert_int_eq(got.sas[0].in.init.n_vids, 0);
	ck_assert_str_eq(got.sas[0].peer, "192.168.0.3");
}
END_TEST

/* ------------------------------------------------------------------------------ */
/* hand-filled input */

/* "IKE:A/B/C, IKE:D/E" into msg */
static void add_proposals(rw_cl_msg_t *msg, const char *list)
{
	char buf[4096], *save1, *save2, *prop, *t;
	rw_cl_proposal_t *p;
	rw_cl_transform_t tr;

	snprintf(buf, sizeof(buf), "%s", list);
	for (prop = strtok_r(buf, ", ", &save1); prop; prop = strtok_r(NULL, ", ", &save1))
	{
		t = strchr(prop, ':');
		ck_assert_ptr_nonnull(t);
		*t = '\0';
		p = rw_cl_add_proposal(msg, !strcmp(prop, "IKE") ? 1 : 3);
		ck_assert_ptr_nonnull(p);
		for (t = strtok_r(t + 1, "/", &save2); t; t = strtok_r(NULL, "/", &save2))
		{
			ck_assert_msg(rw_cl_parse_transform(t, strlen(t), &tr), "transform %s", t);
			rw_cl_add_transform(msg, p, tr.type, tr.id, tr.keylen);
		}
	}
}

/* payload list as charon prints it, with N(...) and CPRQ(...) */
static void add_payloads(rw_cl_msg_t *msg, const char *list)
{
	char buf[1024], *save, *item, *open;
	uint16_t v;

	snprintf(buf, sizeof(buf), "%s", list);
	for (item = strtok_r(buf, " ", &save); item; item = strtok_r(NULL, " ", &save))
	{
		if (!strncmp(item, "N(", 2))
		{
			rw_cl_add_payload(msg, 41);
			item[strlen(item) - 1] = '\0';
			ck_assert_msg(rw_cl_name_lookup(RW_CL_NAMES_NOTIFY, item + 2,
											strlen(item + 2), &v), "notify %s", item);
			rw_cl_add_notify(msg, v);
			continue;
		}
		open = strchr(item, '(');
		if (open)
		{
			/* CPRQ(A,B,C) */
			char *attr, *save2;

			rw_cl_add_payload(msg, 47);
			msg->has_cp = true;
			open[strlen(open) - 1] = '\0';
			for (attr = strtok_r(open + 1, ",", &save2); attr;
				 attr = strtok_r(NULL, ",", &save2))
			{
				ck_assert(rw_cl_name_lookup(RW_CL_NAMES_CP_ATTR, attr, strlen(attr), &v));
				rw_cl_add_cp_attr(msg, v);
			}
			continue;
		}
		ck_assert_msg(rw_cl_name_lookup(RW_CL_NAMES_PAYLOAD, item, strlen(item), &v),
					  "payload %s", item);
		rw_cl_add_payload(msg, (uint8_t)v);
		if (v == 38)
		{
			msg->n_certreq++;
		}
	}
}

static void add_vid_hex(rw_cl_msg_t *msg, const char *hex)
{
	uint8_t data[RW_CL_MAX_VID_LEN];
	size_t n = 0;
	unsigned b;

	while (hex[0] && hex[1] && n < sizeof(data) && sscanf(hex, "%2x", &b) == 1)
	{
		data[n++] = b;
		hex += 2;
	}
	rw_cl_add_vid(msg, data, n);
}

#define VID_MS_NT5 "1e2b516905991c7d7c96fcbfb587e46100000009"
#define VID_MS_NEG "fb1de3cdf341b7ea16b7e5be0855f120"
#define VID_MS_IC "26244d38eddb61b3172a36e3d0cfb819"
#define VID_MS_UNNAMED "01528bbbc00696121849ab9a1c5b2a5100000002"

/* an Apple client as in C01 */
static void apple_input(rw_cl_input_t *in)
{
	memset(in, 0, sizeof(*in));
	in->have_init = in->have_auth = true;
	add_payloads(&in->init, "SA KE No N(REDIR_SUP) N(NATD_S_IP) N(NATD_D_IP) "
				 "N(FRAG_SUP) N(HASH_ALG)");
	add_proposals(&in->init, "IKE:AES_GCM_16_256/PRF_HMAC_SHA2_256/ECP_256, "
				  "IKE:AES_GCM_16_256/PRF_HMAC_SHA2_256/MODP_2048, "
				  "IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_256, "
				  "IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048");
	in->init.ke_group = 19;
	add_payloads(&in->auth, "IDi N(INIT_CONTACT) IDr CPRQ(ADDR,MASK,DHCP,DNS,ADDR6,"
				 "DHCP6,DNS6,DOMAIN) N(ESP_TFC_PAD_N) N(NON_FIRST_FRAG) SA TSi TSr "
				 "N(MOBIKE_SUP) N(EAP_ONLY)");
	in->auth.idi_type = 2;
}

/* a Windows client as in C16 */
static void windows_input(rw_cl_input_t *in)
{
	memset(in, 0, sizeof(*in));
	in->have_init = in->have_auth = true;
	add_payloads(&in->init, "SA KE No N(FRAG_SUP) N(NATD_S_IP) N(NATD_D_IP) V V V V");
	add_vid_hex(&in->init, VID_MS_NT5);
	add_vid_hex(&in->init, VID_MS_NEG);
	add_vid_hex(&in->init, VID_MS_IC);
	add_vid_hex(&in->init, VID_MS_UNNAMED);
	add_payloads(&in->auth, "IDi CERT CERTREQ AUTH N(MOBIKE_SUP) "
				 "CPRQ(ADDR,DNS,NBNS,SRV,ADDR6,DNS6,SRV6) SA TSi TSr");
	in->auth.certreq_cas = 53;
	in->auth.idi_type = 9;
}

static rw_cl_result_t classify(const rw_cl_input_t *in)
{
	rw_cl_result_t r;

	rw_classify(cl, in, &r);
	return r;
}

START_TEST(test_empty)
{
	rw_cl_input_t in;
	rw_cl_result_t r;

	memset(&in, 0, sizeof(in));
	r = classify(&in);
	ck_assert_str_eq(r.family, "unknown");
	ck_assert_int_eq(r.confidence, 0);
	ck_assert_str_eq(r.hint, "");
	ck_assert(!r.legacy_only);

	/* messages present but empty */
	in.have_init = in.have_auth = true;
	r = classify(&in);
	ck_assert_str_eq(r.family, "unknown");

	/* NULL arguments */
	rw_classify(cl, NULL, &r);
	ck_assert_str_eq(r.family, "unknown");
	rw_classify(NULL, &in, &r);
	ck_assert_str_eq(r.family, "unknown");
}
END_TEST

START_TEST(test_init_only)
{
	rw_cl_input_t in;
	rw_cl_result_t r;

	/* rw-quirks shapes proposals on IKE_SA_INIT alone */
	windows_input(&in);
	in.have_auth = false;
	r = classify(&in);
	ck_assert_str_eq(r.family, "windows");
	ck_assert_int_eq(r.confidence, 100);

	apple_input(&in);
	in.have_auth = false;
	r = classify(&in);
	ck_assert_str_eq(r.family, "apple");
	ck_assert_int_ge(r.confidence, 80);
	ck_assert_str_eq(r.hint, "iOS 17+/macOS 14+ (GCM/ECP_256 first)");
}
END_TEST

START_TEST(test_auth_only)
{
	rw_cl_input_t in;
	rw_cl_result_t r;

	windows_input(&in);
	in.have_init = false;
	r = classify(&in);
	ck_assert_str_eq(r.family, "windows");
	ck_assert_int_ge(r.confidence, 80);

	apple_input(&in);
	in.have_init = false;
	r = classify(&in);
	ck_assert_str_eq(r.family, "apple");
	ck_assert_int_eq(r.confidence, 100);
	ck_assert_str_eq(r.hint, "iOS 17+/macOS 14+ (EAP_ONLY, MOBIKE_SUP last)");
	/* no IKE_SA_INIT, no offer: never legacy */
	ck_assert(!r.legacy_only);
}
END_TEST

/* IKE_AUTH refines what IKE_SA_INIT suggested */
START_TEST(test_auth_refines)
{
	rw_cl_input_t in;
	rw_cl_result_t r;

	memset(&in, 0, sizeof(in));
	in.have_init = true;
	add_payloads(&in.init, "SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) N(HASH_ALG) "
				 "N(REDIR_SUP)");
	r = classify(&in);
	ck_assert_str_eq(r.family, "strongswan");
	ck_assert_str_eq(r.alt_family, "android-native");
	ck_assert_int_le(r.confidence, 15);

	in.have_auth = true;
	add_payloads(&in.auth, "IDi IDr SA TSi TSr CPRQ(ADDR,ADDR6,DNS,DNS6,MASK,VER)");
	r = classify(&in);
	ck_assert_str_eq(r.family, "android-native");
	ck_assert_int_ge(r.confidence, 80);
}
END_TEST

START_TEST(test_overflow)
{
	rw_cl_input_t in;
	rw_cl_result_t r;
	rw_cl_proposal_t *p;
	uint8_t big[100];
	int i;

	memset(&in, 0, sizeof(in));
	for (i = 0; i < RW_CL_MAX_NOTIFIES + 5; i++)
	{
		rw_cl_add_notify(&in.init, 16406);
	}
	ck_assert_int_eq(in.init.n_notifies, RW_CL_MAX_NOTIFIES);
	ck_assert_int_eq(in.init.overflow, 5);
	for (i = 0; i < RW_CL_MAX_PAYLOADS + 1; i++)
	{
		rw_cl_add_payload(&in.init, 41);
	}
	ck_assert_int_eq(in.init.overflow, 6);
	for (i = 0; i < RW_CL_MAX_VIDS + 1; i++)
	{
		rw_cl_add_vid(&in.init, (const uint8_t *)"x", 1);
	}
	ck_assert_int_eq(in.init.overflow, 7);
	memset(big, 0xaa, sizeof(big));
	memset(&in.auth, 0, sizeof(in.auth));
	/* a long VID keeps its first bytes (rules match prefixes) */
	rw_cl_add_vid(&in.auth, big, sizeof(big));
	ck_assert_int_eq(in.auth.vids[0].len, RW_CL_MAX_VID_LEN);
	ck_assert_int_eq(in.auth.overflow, 1);
	for (i = 0; i < RW_CL_MAX_ATTRS + 1; i++)
	{
		rw_cl_add_cp_attr(&in.auth, 1);
	}
	ck_assert_int_eq(in.auth.overflow, 2);
	for (i = 0; i < RW_CL_MAX_TS + 1; i++)
	{
		rw_cl_add_ts(&in.auth, i & 1, 7, true);
	}
	ck_assert_int_eq(in.auth.n_tsi + in.auth.n_tsr, RW_CL_MAX_TS + 1);
	for (i = 0; i < RW_CL_MAX_TS + 1; i++)
	{
		rw_cl_add_ts(&in.auth, false, 7, true);
	}
	ck_assert_int_gt(in.auth.overflow, 2);
	for (i = 0; i < RW_CL_MAX_PROPOSALS; i++)
	{
		ck_assert_ptr_nonnull(rw_cl_add_proposal(&in.auth, 3));
	}
	ck_assert_ptr_null(rw_cl_add_proposal(&in.auth, 3));
	p = &in.auth.proposals[0];
	for (i = 0; i < RW_CL_MAX_TRANSFORMS + 1; i++)
	{
		rw_cl_add_transform(&in.auth, p, 1, 12, 128);
	}
	ck_assert_int_eq(p->n_transforms, RW_CL_MAX_TRANSFORMS);
	rw_cl_add_transform(&in.auth, NULL, 1, 12, 128);

	/* the REDIR_SUPs that fit still count (without the VIDs Apple never sends) */
	in.init.n_vids = 0;
	in.have_init = true;
	r = classify(&in);
	ck_assert_str_eq(r.family, "apple");

	/* counts beyond the arrays (a filler's bug, or the fuzzer) are clamped */
	in.have_auth = true;
	in.init.n_notifies = 255;
	in.init.n_payloads = 255;
	in.init.n_vids = 255;
	in.init.n_proposals = 255;
	in.init.proposals[0].n_transforms = 255;
	in.auth.n_cp_attrs = 255;
	in.auth.n_notifies = 255;
	in.auth.n_payloads = 255;
	in.auth.vids[0].len = 255;
	in.auth.has_cp = true;
	r = classify(&in);
	ck_assert(r.confidence <= 100);
}
END_TEST

/* legacy: the one definition rw-quirks shapes proposals with */
START_TEST(test_legacy)
{
	static const struct {
		const char *name;
		bool legacy;
	} transforms[] = {
		{ "3DES_CBC", true }, { "DES_CBC", true }, { "BLOWFISH_CBC_128", true },
		{ "NULL", true }, { "AES_CBC_128", false }, { "AES_GCM_16_256", false },
		{ "CHACHA20_POLY1305_256", false }, { "HMAC_SHA1_96", true },
		{ "HMAC_MD5_96", true }, { "HMAC_SHA2_256_128", false }, { "AES_XCBC_96", false },
		{ "PRF_HMAC_SHA1", true }, { "PRF_HMAC_MD5", true },
		{ "PRF_HMAC_SHA2_256", false }, { "PRF_AES128_XCBC", false },
		{ "MODP_768", true }, { "MODP_1024", true }, { "MODP_1536", true },
		{ "MODP_1024_160", true }, { "ECP_192", true }, { "MODP_2048", false },
		{ "MODP_2048_256", false }, { "ECP_256", false }, { "CURVE_25519", false },
		{ "KE1_ML_KEM_768", false }, { "NO_EXT_SEQ", false }, { "(35)", false },
	};
	rw_cl_transform_t t;
	rw_cl_msg_t msg;
	unsigned i;

	for (i = 0; i < sizeof(transforms) / sizeof(transforms[0]); i++)
	{
		ck_assert_msg(rw_cl_parse_transform(transforms[i].name,
						strlen(transforms[i].name), &t), "%s", transforms[i].name);
		ck_assert_msg(rw_cl_transform_is_legacy(&t) == transforms[i].legacy, "%s",
					  transforms[i].name);
	}

	/* a proposal is legacy if it offers only legacy choices of some type */
	memset(&msg, 0, sizeof(msg));
	add_proposals(&msg, "IKE:AES_CBC_256/HMAC_SHA2_384_192/PRF_HMAC_SHA2_384/MODP_1024");
	ck_assert(rw_cl_proposal_is_legacy(&msg.proposals[0]));
	ck_assert(rw_cl_offer_is_legacy_only(&msg));
	/* ... not if a strong choice of that type is there too (charon style) */
	memset(&msg, 0, sizeof(msg));
	add_proposals(&msg, "IKE:AES_CBC_256/3DES_CBC/HMAC_SHA1_96/HMAC_SHA2_256_128/"
				  "PRF_HMAC_SHA2_256/MODP_1024/ECP_256");
	ck_assert(!rw_cl_proposal_is_legacy(&msg.proposals[0]));
	ck_assert(!rw_cl_offer_is_legacy_only(&msg));
	/* one strong proposal among legacy ones: not legacy only (iOS 16.5) */
	memset(&msg, 0, sizeof(msg));
	add_proposals(&msg, "IKE:3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024, "
				  "IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048");
	ck_assert(!rw_cl_offer_is_legacy_only(&msg));
	/* ESP with SHA1 only */
	memset(&msg, 0, sizeof(msg));
	add_proposals(&msg, "ESP:AES_CBC_256/HMAC_SHA1_96/NO_EXT_SEQ");
	ck_assert(rw_cl_offer_is_legacy_only(&msg));
	/* nothing offered: not legacy */
	memset(&msg, 0, sizeof(msg));
	ck_assert(!rw_cl_offer_is_legacy_only(&msg));
	rw_cl_add_proposal(&msg, 1);
	ck_assert(!rw_cl_proposal_is_legacy(&msg.proposals[0]));
	ck_assert(!rw_cl_offer_is_legacy_only(&msg));
}
END_TEST

START_TEST(test_names)
{
	rw_cl_transform_t t;
	uint16_t v;
	char buf[64];

	/* the notify numbers, as the rw-quirks plugin and the rules use them */
	static const struct {
		const char *name;
		uint16_t value;
	} notifies[] = {
		{ "NATD_S_IP", 16388 }, { "NATD_D_IP", 16389 }, { "FRAG_SUP", 16430 },
		{ "REDIR_SUP", 16406 }, { "HASH_ALG", 16431 }, { "INIT_CONTACT", 16384 },
		{ "MOBIKE_SUP", 16396 }, { "ESP_TFC_PAD_N", 16394 },
		{ "NON_FIRST_FRAG", 16395 }, { "EAP_ONLY", 16417 }, { "NO_ADD_ADDR", 16399 },
		{ "MULT_AUTH", 16404 }, { "MSG_ID_SYN_SUP", 16420 }, { "IKE_INT_SUP", 16438 },
		{ "(16430)", 16430 }, { "16430", 16430 }, { "MS_STATUS", 12345 },
	};
	unsigned i;

	for (i = 0; i < sizeof(notifies) / sizeof(notifies[0]); i++)
	{
		ck_assert(rw_cl_name_lookup(RW_CL_NAMES_NOTIFY, notifies[i].name,
									strlen(notifies[i].name), &v));
		ck_assert_msg(v == notifies[i].value, "%s", notifies[i].name);
	}
	ck_assert(!rw_cl_name_lookup(RW_CL_NAMES_NOTIFY, "NOPE", 4, &v));
	ck_assert(!rw_cl_name_lookup(RW_CL_NAMES_NOTIFY, "(99999)", 7, &v));
	ck_assert(!rw_cl_name_lookup(RW_CL_NAMES_NOTIFY, "()", 2, &v));
	ck_assert(!rw_cl_name_lookup(RW_CL_NAMES_NOTIFY, NULL, 0, &v));
	/* a name must match whole */
	ck_assert(!rw_cl_name_lookup(RW_CL_NAMES_NOTIFY, "FRAG_SUPX", 8 + 1, &v));
	ck_assert(rw_cl_name_lookup(RW_CL_NAMES_NOTIFY, "FRAG_SUPX", 8, &v));
	ck_assert(rw_cl_name_lookup(RW_CL_NAMES_CP_ATTR, "DOMAIN", 6, &v) && v == 25);
	ck_assert(rw_cl_name_lookup(RW_CL_NAMES_CP_ATTR, "(25)", 4, &v) && v == 25);
	ck_assert(rw_cl_name_lookup(RW_CL_NAMES_CP_ATTR, "SRV6", 4, &v) && v == 23457);
	ck_assert(rw_cl_name_lookup(RW_CL_NAMES_CP_ATTR, "VER", 3, &v) && v == 7);
	ck_assert(rw_cl_name_lookup(RW_CL_NAMES_PAYLOAD, "TSr", 3, &v) && v == 45);
	ck_assert(rw_cl_name_lookup(RW_CL_NAMES_ID_TYPE, "DN", 2, &v) && v == 9);
	ck_assert_str_eq(rw_cl_name(RW_CL_NAMES_NOTIFY, 16406), "REDIR_SUP");
	ck_assert_ptr_null(rw_cl_name(RW_CL_NAMES_NOTIFY, 60000));

	ck_assert(rw_cl_parse_transform("AES_CBC_256", 11, &t));
	ck_assert(t.type == RW_TRANS_ENCR && t.id == 12 && t.keylen == 256);
	ck_assert(rw_cl_parse_transform("AES_GCM_16_128", 14, &t));
	ck_assert(t.type == RW_TRANS_ENCR && t.id == 20 && t.keylen == 128);
	ck_assert(rw_cl_parse_transform("HMAC_SHA2_256_128", 17, &t));
	ck_assert(t.type == RW_TRANS_INTEG && t.id == 12 && !t.keylen);
	ck_assert(rw_cl_parse_transform("ECP_256", 7, &t));
	ck_assert(t.type == RW_TRANS_KE && t.id == 19 && !t.keylen);
	ck_assert(rw_cl_parse_transform("MODP_2048_256", 13, &t));
	ck_assert(t.type == RW_TRANS_KE && t.id == 24);
	ck_assert(rw_cl_parse_transform("KE2_ML_KEM_768", 14, &t));
	ck_assert(t.type == RW_TRANS_ADDKE1 + 1 && t.id == 36);
	ck_assert(rw_cl_parse_transform("UNKNOWN_4_1234", 14, &t));
	ck_assert(t.type == 4 && t.id == 1234);
	ck_assert(rw_cl_parse_transform("(35)", 4, &t));
	ck_assert(t.type == 0 && t.id == 35);
	ck_assert(!rw_cl_parse_transform("AES_CBC_x", 9, &t));
	ck_assert(!rw_cl_parse_transform("HMAC_SHA2_256_128_64", 20, &t));
	ck_assert(!rw_cl_parse_transform("KE9_ECP_256", 11, &t));
	ck_assert(!rw_cl_parse_transform("UNKNOWN_", 8, &t));
	ck_assert(!rw_cl_parse_transform("UNKNOWN_999_1", 13, &t));
	ck_assert(!rw_cl_parse_transform("", 0, &t));
	ck_assert(!rw_cl_parse_transform(NULL, 3, &t));

	/* printing is the inverse */
	static const char *const printed[] = {
		"AES_CBC_256", "3DES_CBC", "HMAC_SHA1_96", "PRF_HMAC_SHA2_384", "CURVE_25519",
		"NO_EXT_SEQ", "KE1_ML_KEM_768", "UNKNOWN_4_1234", "(35)", "AES_GCM_16_256",
	};
	for (i = 0; i < sizeof(printed) / sizeof(printed[0]); i++)
	{
		ck_assert(rw_cl_parse_transform(printed[i], strlen(printed[i]), &t));
		ck_assert_str_eq(rw_cl_transform_name(&t, buf, sizeof(buf)), printed[i]);
	}
}
END_TEST

/* C19: documented Windows proposals (strongSwan keywords in the document), as the
 * single-transform proposals Windows sends (see C11) */
static void windows_proposals(rw_cl_msg_t *msg, const char *const *encr, int n_encr,
							  const char *ke)
{
	static const char *const hashes[][2] = {
		{ "HMAC_SHA1_96", "PRF_HMAC_SHA1" },
		{ "HMAC_SHA2_256_128", "PRF_HMAC_SHA2_256" },
		{ "HMAC_SHA2_384_192", "PRF_HMAC_SHA2_384" },
	};
	char buf[256];
	int e, h;

	for (e = 0; e < n_encr; e++)
	{
		for (h = 0; h < 3; h++)
		{
			if (strstr(encr[e], "GCM"))
			{
				snprintf(buf, sizeof(buf), "IKE:%s/%s/%s", encr[e], hashes[h][1], ke);
			}
			else
			{
				snprintf(buf, sizeof(buf), "IKE:%s/%s/%s/%s", encr[e], hashes[h][0],
						 hashes[h][1], ke);
			}
			add_proposals(msg, buf);
		}
	}
}

START_TEST(test_c19_windows_defaults)
{
	static const char *const win7[] = {
		"3DES_CBC", "AES_CBC_128", "AES_CBC_192", "AES_CBC_256",
	};
	static const char *const win11[] = {
		"AES_GCM_16_128", "AES_GCM_16_256",
	};
	static const char *const dh2048[] = {
		"AES_CBC_256",
	};
	rw_cl_input_t in;
	rw_cl_result_t r;

	/* ike = 3des-aes128-aes192-aes256-sha1-sha256-sha384-modp1024 */
	memset(&in, 0, sizeof(in));
	in.have_init = true;
	in.init.payloads_unknown = true;
	windows_proposals(&in.init, win7, 4, "MODP_1024");
	r = classify(&in);
	ck_assert_str_eq(r.family, "windows");
	ck_assert_str_eq(r.hint, "Windows default proposals (3DES/MODP_1024)");
	ck_assert(r.legacy_only);

	/* Windows 11 adds aes128gcm16-aes256gcm16-...-modp1024 */
	windows_proposals(&in.init, win11, 2, "MODP_1024");
	r = classify(&in);
	ck_assert_str_eq(r.family, "windows");
	ck_assert_int_ge(r.confidence, 75);
	ck_assert(r.legacy_only);

	/* NegotiateDH2048_AES256: aes256-sha1-sha256-sha384-modp2048 looks like any
	 * client's single-transform proposals; only its VIDs make it Windows */
	memset(&in, 0, sizeof(in));
	in.have_init = true;
	in.init.payloads_unknown = true;
	windows_proposals(&in.init, dh2048, 1, "MODP_2048");
	r = classify(&in);
	ck_assert_str_eq(r.family, "unknown");
	ck_assert(!r.legacy_only);
	in.init.payloads_unknown = false;
	add_payloads(&in.init, "SA KE No N(FRAG_SUP) N(NATD_S_IP) N(NATD_D_IP) V V V V");
	add_vid_hex(&in.init, VID_MS_NT5);
	r = classify(&in);
	ck_assert_str_eq(r.family, "windows");
}
END_TEST

/* X01/X02: macOS 14 proposals (Libreswan, NetworkExtension), same as iOS 17+ */
START_TEST(test_x01_x02_macos14)
{
	rw_cl_input_t in;
	rw_cl_result_t r;

	memset(&in, 0, sizeof(in));
	in.have_init = true;
	in.init.payloads_unknown = true;
	add_proposals(&in.init, "IKE:AES_GCM_16_256/PRF_HMAC_SHA2_256/ECP_256, "
				  "IKE:AES_GCM_16_256/PRF_HMAC_SHA2_256/MODP_2048, "
				  "IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_256, "
				  "IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048");
	r = classify(&in);
	ck_assert_str_eq(r.family, "apple");
	ck_assert_str_eq(r.hint, "iOS 17+/macOS 14+ (GCM/ECP_256 first)");
	ck_assert(!r.legacy_only);
}
END_TEST

/* X03: Windows 10, three notifies and four VIDs, 3DES/MODP_1024 first */
START_TEST(test_x03_windows10)
{
	rw_cl_input_t in;
	rw_cl_result_t r;

	memset(&in, 0, sizeof(in));
	in.have_init = true;
	in.init.payloads_unknown = true;
	add_proposals(&in.init, "IKE:3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024, "
				  "IKE:3DES_CBC/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_1024");
	/* two proposals (the excerpt ends): not enough for the default-proposal rule */
	r = classify(&in);
	ck_assert_str_eq(r.family, "unknown");
	ck_assert(r.legacy_only);
	/* the payload types Libreswan logs: SA,KE,Ni,N,N,N,V,V,V,V (notify types and VID
	 * data not shown): four VIDs and no REDIR_SUP are not enough either */
	in.init.payloads_unknown = false;
	add_payloads(&in.init, "SA KE No N N N V V V V");
	r = classify(&in);
	ck_assert_str_ne(r.family, "apple");
	ck_assert_str_ne(r.family, "android-native");
}
END_TEST

/* X04: Windows 11 with NegotiateDH2048_AES256, IKE_AUTH SK{IDi,CERT,CERTREQ,AUTH,N,
 * CP,SA,TSi,TSr}: the Windows layout (no IDr, one notify, CP before SA) */
START_TEST(test_x04_windows11)
{
	rw_cl_input_t in;
	rw_cl_result_t r;

	memset(&in, 0, sizeof(in));
	in.have_init = in.have_auth = true;
	in.init.payloads_unknown = true;
	add_proposals(&in.init, "IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/"
				  "MODP_2048");
	add_payloads(&in.auth, "IDi CERT CERTREQ AUTH N CP SA TSi TSr");
	in.auth.n_notifies = 1;
	r = classify(&in);
	ck_assert_str_eq(r.family, "windows");
	ck_assert(!r.legacy_only);
}
END_TEST

/* X05: Android native (Libreswan): multi-transform proposals, MODP4096 first KE */
START_TEST(test_x05_android)
{
	rw_cl_input_t in;
	rw_cl_result_t r;

	memset(&in, 0, sizeof(in));
	in.have_init = true;
	in.init.payloads_unknown = true;
	add_proposals(&in.init, "IKE:AES_CTR_256/AES_CBC_256/AES_CTR_192/AES_CBC_192/"
				  "AES_CTR_128/AES_CBC_128/HMAC_SHA2_512_256/HMAC_SHA2_384_192/"
				  "HMAC_SHA2_256_128/AES_XCBC_96/AES_CMAC_96/MODP_4096/CURVE_25519/"
				  "MODP_3072/MODP_2048/PRF_HMAC_SHA1/PRF_AES128_XCBC/PRF_HMAC_SHA2_256/"
				  "PRF_HMAC_SHA2_384/PRF_HMAC_SHA2_512/PRF_AES128_CMAC, "
				  "IKE:CHACHA20_POLY1305_256/AES_GCM_16_256/AES_GCM_12_256/"
				  "AES_GCM_8_256/AES_GCM_16_192/AES_GCM_12_192/AES_GCM_8_192/"
				  "AES_GCM_16_128/AES_GCM_12_128/AES_GCM_8_128/MODP_4096/CURVE_25519/"
				  "MODP_3072/MODP_2048/PRF_HMAC_SHA1/PRF_AES128_XCBC/PRF_HMAC_SHA2_256/"
				  "PRF_HMAC_SHA2_384/PRF_HMAC_SHA2_512/PRF_AES128_CMAC");
	r = classify(&in);
	ck_assert_str_eq(r.family, "android-native");
	ck_assert(!r.legacy_only);
}
END_TEST

/* X06/X07: the five-proposal Apple list of macOS Big Sur and iOS 12 */
START_TEST(test_x06_x07_apple)
{
	rw_cl_input_t in;
	rw_cl_result_t r;

	memset(&in, 0, sizeof(in));
	in.have_init = in.have_auth = true;
	in.init.payloads_unknown = true;
	add_proposals(&in.init,
				  "IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048, "
				  "IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_256, "
				  "IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_1536, "
				  "IKE:AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024, "
				  "IKE:3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024");
	/* X06's IKE_AUTH SK{IDi,N,N,IDr,AUTH,CERT,CP,N,N,SA,TSi,TSr}, notify types not
	 * shown by Libreswan (but NON_FIRST_FRAGMENTS_ALSO is named by its next line) */
	add_payloads(&in.auth, "IDi N(INIT_CONTACT) N(MOBIKE_SUP) IDr AUTH CERT CP "
				 "N(ESP_TFC_PAD_N) N(NON_FIRST_FRAG) SA TSi TSr");
	r = classify(&in);
	ck_assert_str_eq(r.family, "apple");
	ck_assert_str_eq(r.hint, "iOS/macOS 2017-2023 proposal set");
	ck_assert_int_eq(r.confidence, 100);
	ck_assert(!r.legacy_only);
}
END_TEST

/* threads classify concurrently with one classifier */
typedef struct {
	rw_cl_input_t in;
	rw_cl_result_t expected;
	bool ok;
} thread_arg_t;

static void *classify_thread(void *data)
{
	thread_arg_t *arg = data;
	rw_cl_result_t r;
	int i;

	arg->ok = true;
	for (i = 0; i < 2000; i++)
	{
		rw_classify(cl, &arg->in, &r);
		if (memcmp(&r, &arg->expected, sizeof(r)))
		{
			arg->ok = false;
		}
	}
	return NULL;
}

START_TEST(test_threads)
{
	thread_arg_t args[4];
	pthread_t threads[4];
	int i;

	for (i = 0; i < 4; i++)
	{
		if (i % 2)
		{
			apple_input(&args[i].in);
		}
		else
		{
			windows_input(&args[i].in);
		}
		rw_classify(cl, &args[i].in, &args[i].expected);
	}
	for (i = 0; i < 4; i++)
	{
		ck_assert_int_eq(pthread_create(&threads[i], NULL, classify_thread, &args[i]), 0);
	}
	for (i = 0; i < 4; i++)
	{
		pthread_join(threads[i], NULL);
		ck_assert(args[i].ok);
	}
}
END_TEST

/* ------------------------------------------------------------------------------ */
/* rules */

/* each condition alone, on the Apple or the Windows input: a rule of weight 1000 for
 * family "probe" wins exactly when its condition holds */
static const struct {
	const char *cond;
	/* 'a' Apple input, 'w' Windows, 'i' Apple without IKE_AUTH, 'u' Apple with
	 * payload lists unknown */
	char input;
	bool match;
} conds[] = {
	{ "init_notify_has=REDIR_SUP,HASH_ALG", 'a', true },
	{ "init_notify_has=REDIR_SUP,IKE_INT_SUP", 'a', false },
	{ "init_notify_any=IKE_INT_SUP,HASH_ALG", 'a', true },
	{ "init_notify_any=IKE_INT_SUP", 'a', false },
	{ "init_notify_lacks=IKE_INT_SUP,COOKIE", 'a', true },
	{ "init_notify_lacks=IKE_INT_SUP,REDIR_SUP", 'a', false },
	{ "init_notify_first=REDIR_SUP", 'a', true },
	{ "init_notify_first=16406", 'a', true },
	{ "init_notify_first=NATD_S_IP", 'a', false },
	{ "init_notify_last=HASH_ALG", 'a', true },
	{ "init_notify_last=FRAG_SUP", 'a', false },
	{ "init_notify_seq=REDIR_SUP,NATD_S_IP,NATD_D_IP,FRAG_SUP,HASH_ALG", 'a', true },
	{ "init_notify_seq=REDIR_SUP,NATD_S_IP,NATD_D_IP,FRAG_SUP", 'a', false },
	{ "init_notify_begins=REDIR_SUP,NATD_S_IP", 'a', true },
	{ "init_notify_begins=NATD_S_IP", 'a', false },
	{ "init_notify_only=REDIR_SUP,NATD_S_IP,NATD_D_IP,FRAG_SUP,HASH_ALG,COOKIE", 'a',
	  true },
	{ "init_notify_only=REDIR_SUP,NATD_S_IP", 'a', false },
	{ "init_notify_order=NATD_S_IP,FRAG_SUP", 'a', true },
	{ "init_notify_order=FRAG_SUP,NATD_S_IP", 'a', false },
	{ "init_notify_order=FRAG_SUP,COOKIE", 'a', false },
	{ "init_notify_count=5", 'a', true },
	{ "init_notify_count>=5", 'a', true },
	{ "init_notify_count>5", 'a', false },
	{ "init_notify_count<=4", 'a', false },
	{ "init_notify_count<6", 'a', true },
	{ "auth_notify_has=ESP_TFC_PAD_N,NON_FIRST_FRAG", 'a', true },
	{ "auth_notify_last=EAP_ONLY", 'a', true },
	{ "auth_notify_count=1", 'w', true },
	{ "auth_notify_seq=MOBIKE_SUP", 'w', true },
	{ "cp_has=DOMAIN,DHCP", 'a', true },
	{ "cp_has=NBNS", 'a', false },
	{ "cp_any=SRV,SRV6", 'w', true },
	{ "cp_lacks=DHCP,DOMAIN", 'w', true },
	{ "cp_first=ADDR", 'a', true },
	{ "cp_only=ADDR,MASK,DHCP,DNS,ADDR6,DHCP6,DNS6,DOMAIN", 'a', true },
	{ "cp_only=ADDR,ADDR6,DNS,DNS6", 'a', false },
	{ "cp_count=8", 'a', true },
	{ "init_payload_first=SA", 'a', true },
	{ "init_payload_has=V", 'w', true },
	{ "init_payload_lacks=V", 'a', true },
	{ "auth_payload_order=CP,SA", 'a', true },
	{ "auth_payload_order=TSr,CP", 'a', false },
	{ "auth_payload_lacks=IDr", 'w', true },
	{ "auth_payload_has=IDr", 'w', false },
	{ "vid=1e2b5169", 'w', true },
	{ "vid=1e:2b:51:69:05:99", 'w', true },
	{ "vid=1E2B5169", 'w', true },
	{ "vid=ffff", 'w', false },
	{ "vid=1e2b516905991c7d7c96fcbfb587e4610000000900", 'w', false },
	{ "vid_count=4", 'w', true },
	{ "vid_count=0", 'a', true },
	{ "vid_count>=1", 'a', false },
	{ "ke_group=ECP_256", 'a', true },
	{ "ke_group=MODP_2048_256,19", 'a', true },
	{ "ke_group=24", 'a', false },
	{ "ke_group=ECP_256", 'w', false },
	{ "first_ke=ECP_256", 'a', true },
	{ "first_ke=MODP_2048", 'a', false },
	{ "proposal_count=4", 'a', true },
	{ "proposal_count>4", 'a', false },
	{ "proposal_count=0", 'w', false },
	{ "proposal_style=single", 'a', true },
	{ "proposal_style=multi", 'a', false },
	{ "first_proposal_has=AES_GCM_16_256", 'a', true },
	{ "first_proposal_has=AES_GCM_16", 'a', true },
	{ "first_proposal_has=AES_GCM_16_128", 'a', false },
	{ "first_proposal_has=AES_CBC_256", 'a', false },
	{ "any_proposal_has=AES_CBC_256", 'a', true },
	{ "any_proposal_has=3DES_CBC", 'a', false },
	{ "all_proposals_have=PRF_HMAC_SHA2_256", 'a', true },
	{ "all_proposals_have=ECP_256", 'a', false },
	{ "first_proposal=AES_GCM_16_256/PRF_HMAC_SHA2_256/ECP_256", 'a', true },
	{ "first_proposal=AES_GCM_16_256/ECP_256/PRF_HMAC_SHA2_256", 'a', false },
	{ "first_proposal=AES_GCM_16_256/PRF_HMAC_SHA2_256", 'a', false },
	{ "legacy_only=no", 'a', true },
	{ "legacy_only=yes", 'a', false },
	{ "legacy_only=no", 'w', false },
	{ "certreq_count=0", 'a', true },
	{ "certreq_count>=1", 'w', true },
	{ "certreq_cas>50", 'w', true },
	{ "certreq_cas=0", 'a', true },
	{ "idi_type=FQDN", 'a', true },
	{ "idi_type=IPV4,DN", 'w', true },
	{ "idi_type=2", 'w', false },
	{ "have=init", 'a', true },
	{ "have=auth", 'a', true },
	/* conditions on what was not seen are false, also negative ones */
	{ "have=auth", 'i', false },
	{ "auth_notify_count=0", 'i', false },
	{ "cp_lacks=NBNS", 'i', false },
	{ "certreq_count=0", 'i', false },
	{ "idi_type=FQDN", 'i', false },
	{ "init_notify_count=0", 'u', false },
	{ "init_notify_lacks=REDIR_SUP", 'u', false },
	{ "vid_count=0", 'u', false },
	{ "auth_payload_lacks=IDr", 'u', false },
	{ "proposal_count=4", 'u', true },
	/* several conditions: all must hold */
	{ "cp_has=DOMAIN init_notify_first=REDIR_SUP", 'a', true },
	{ "cp_has=DOMAIN init_notify_first=FRAG_SUP", 'a', false },
};

START_TEST(test_conditions)
{
	rw_cl_input_t in;
	rw_cl_result_t r;
	rw_error_t err;
	char rule[512];

	snprintf(rule, sizeof(rule), "probe family=probe weight=1000 %s", conds[_i].cond);
	ck_assert_msg(rw_classifier_add_rules(cl, rule, &err) == RW_OK, "%s: %s",
				  conds[_i].cond, err.msg);
	switch (conds[_i].input)
	{
		case 'w':
			windows_input(&in);
			break;
		case 'i':
			apple_input(&in);
			in.have_auth = false;
			break;
		case 'u':
			apple_input(&in);
			in.have_auth = false;
			in.init.payloads_unknown = true;
			break;
		default:
			apple_input(&in);
			break;
	}
	r = classify(&in);
	ck_assert_msg(!strcmp(r.family, "probe") == conds[_i].match, "%s on %c: %s",
				  conds[_i].cond, conds[_i].input, r.family);
}
END_TEST

START_TEST(test_rule_extend)
{
	rw_cl_input_t in;
	rw_cl_result_t r;
	rw_error_t err;

	/* a family added as data, with a hint */
	memset(&in, 0, sizeof(in));
	in.have_init = true;
	add_payloads(&in.init, "SA KE No N(NATD_S_IP) N(NATD_D_IP) N(COOKIE2)");
	r = classify(&in);
	ck_assert_str_eq(r.family, "unknown");
	ck_assert_int_eq(rw_classifier_add_rules(cl,
		"# a family of our own\n"
		"\n"
		"samsung-order family=samsung weight=60 hint=\"One UI (test)\" "
		"init_notify_seq=NATD_S_IP,NATD_D_IP,COOKIE2\r\n"
		"\tsamsung-vid family=samsung weight=40 vid=0102  # trailing comment\n",
		&err), RW_OK);
	r = classify(&in);
	ck_assert_str_eq(r.family, "samsung");
	ck_assert_int_eq(r.confidence, 60);
	ck_assert_str_eq(r.hint, "One UI (test)");
	add_vid_hex(&in.init, "010203");
	r = classify(&in);
	ck_assert_int_eq(r.confidence, 100);

	/* an added hint rule wins over the built-in hints */
	apple_input(&in);
	ck_assert_int_eq(rw_classifier_add_rules(cl, "my-hint family=apple hint=\"our "
		"iPhones\" init_notify_first=REDIR_SUP", &err), RW_OK);
	r = classify(&in);
	ck_assert_str_eq(r.hint, "our iPhones");
	ck_assert_int_eq(r.confidence, 100);
}
END_TEST

START_TEST(test_rule_override)
{
	rw_cl_input_t in;
	rw_cl_result_t r;
	rw_error_t err;

	/* Windows by the NT5 VID alone */
	memset(&in, 0, sizeof(in));
	in.have_init = true;
	add_payloads(&in.init, "SA KE No N(NATD_S_IP) N(NATD_D_IP) V");
	add_vid_hex(&in.init, VID_MS_NT5);
	r = classify(&in);
	ck_assert_str_eq(r.family, "windows");
	ck_assert_int_eq(r.confidence, 70);

	/* a rule of the same name replaces the built-in one */
	ck_assert_int_eq(rw_classifier_add_rules(cl, "ms-nt5-vid family=windows "
		"weight=25 vid=1e2b516905991c7d7c96fcbfb587e461", &err), RW_OK);
	r = classify(&in);
	ck_assert_int_eq(r.confidence, 25);

	/* and can be switched off */
	ck_assert_int_eq(rw_classifier_add_rules(cl, "ms-nt5-vid off", &err), RW_OK);
	r = classify(&in);
	ck_assert_str_eq(r.family, "unknown");

	/* or moved to another family */
	ck_assert_int_eq(rw_classifier_add_rules(cl, "ms-nt5-vid family=apple weight=90 "
		"vid=1e2b5169", &err), RW_OK);
	r = classify(&in);
	/* apple-no-vids (-40) still applies */
	ck_assert_str_eq(r.family, "apple");
	ck_assert_int_eq(r.confidence, 50);

	/* the built-in hint of a family can be replaced too */
	apple_input(&in);
	ck_assert_int_eq(rw_classifier_add_rules(cl, "apple-ios17-proposals family=apple "
		"weight=35 hint=\"new\" proposal_style=single proposal_count>=2", &err), RW_OK);
	r = classify(&in);
	ck_assert_str_eq(r.hint, "new");
}
END_TEST

START_TEST(test_rule_errors)
{
	static const struct {
		const char *text;
		const char *msg;
	} bad[] = {
		{ "x family=apple weight=10", "rule line 1: a rule needs at least one condition" },
		{ "x family=apple cp_has=NBNS", "rule line 1: expected weight=N or hint" },
		{ "x weight=10 cp_has=NBNS", "rule line 1: expected family=NAME" },
		{ "x family=unknown weight=1 cp_has=NBNS", "expected family=NAME" },
		{ "x family=Apple weight=1 cp_has=NBNS", "expected family=NAME" },
		{ "x family=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa weight=1 cp_has=NBNS",
		  "expected family=NAME" },
		{ "x family=apple weight=abc cp_has=NBNS", "weight takes a number" },
		{ "x family=apple weight=5000 cp_has=NBNS", "weight takes a number" },
		{ "x family=apple weight>=5 cp_has=NBNS", "weight takes a number" },
		{ "x family=apple weight=1 cp_has=NOSUCH", "unknown name" },
		{ "x family=apple weight=1 bogus=1", "unknown condition" },
		{ "x family=apple weight=1 cp_=1", "unknown condition" },
		{ "x family=apple weight=1 cp_count>=x", "expected a number" },
		{ "x family=apple weight=1 cp_count=99999999", "expected a number" },
		{ "x family=apple weight=1 cp_has>=NBNS", "only counts compare" },
		{ "x family=apple weight=1 vid=zz", "expected hex bytes" },
		{ "x family=apple weight=1 vid=1", "expected hex bytes" },
		{ "x family=apple weight=1 vid=", "expected key=value" },
		{ "x family=apple weight=1 vid=000102030405060708090a0b0c0d0e0f"
		  "101112131415161718191a1b1c1d1e1f20", "expected hex bytes" },
		{ "x family=apple weight=1 init_notify_first=COOKIE,COOKIE2", "expected one" },
		{ "x family=apple weight=1 init_notify_order=COOKIE", "expected two" },
		{ "x family=apple weight=1 cp_has=1,2,3,4,5,6,7,8,9", "up to 8" },
		{ "x family=apple weight=1 cp_has=1,,2", "up to 8" },
		{ "x family=apple weight=1 first_proposal=AES_CBC_256/BOGUS", "up to 8 transforms" },
		{ "x family=apple weight=1 first_proposal=AES_CBC_256//MODP_2048",
		  "up to 8 transforms" },
		{ "x family=apple weight=1 any_proposal_has=(35)", "unknown transform" },
		{ "x family=apple weight=1 proposal_style=both", "expected single or multi" },
		{ "x family=apple weight=1 legacy_only=maybe", "expected yes or no" },
		{ "x family=apple weight=1 have=both", "expected init or auth" },
		{ "x family=apple weight=1 idi_type=FOO", "unknown ID type" },
		{ "x family=apple weight=1 ke_group=AES_CBC", "unknown key exchange" },
		{ "x family=apple hint=\"unterminated cp_has=NBNS", "hint takes a text" },
		{ "x family=apple hint=\"\" cp_has=NBNS", "hint takes a text" },
		{ "x family=apple hint=\"0123456789012345678901234567890123456789012345678901"
		  "23456789012345678901234567890123456789012345\" cp_has=NBNS",
		  "hint takes a text" },
		{ "x family=apple weight=1 cp_has=1 cp_has=2 cp_has=3 cp_has=4 cp_has=5 "
		  "cp_has=6 cp_has=7 cp_has=8 cp_has=9", "more than 8 conditions" },
		{ "x family=apple weight=1 justaword", "expected key=value" },
		{ "x family=apple weight=1 =1", "expected key=value" },
		{ "b@d family=apple weight=1 cp_has=1", "expected a rule name" },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa family=apple weight=1 cp_has=1",
		  "expected a rule name" },
		{ "nosuch off", "no rule 'nosuch' to switch off" },
		{ "ms-nt5-vid off family=apple", "'off' takes nothing else" },
		/* the second line is bad: the first one is not applied either */
		{ "good family=probe weight=1000 have=init\nbad family=apple", "rule line 2" },
	};
	rw_cl_input_t in;
	rw_cl_result_t before, after;
	rw_error_t err;
	unsigned i;

	apple_input(&in);
	before = classify(&in);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
	{
		ck_assert_msg(rw_classifier_add_rules(cl, bad[i].text, &err) == RW_ERR_INVALID,
					  "accepted: %s", bad[i].text);
		ck_assert_msg(strstr(err.msg, bad[i].msg), "%s: '%s'", bad[i].text, err.msg);
	}
	after = classify(&in);
	ck_assert(!memcmp(&before, &after, sizeof(before)));

	/* nothing at all is fine */
	ck_assert_int_eq(rw_classifier_add_rules(cl, NULL, &err), RW_OK);
	ck_assert_int_eq(rw_classifier_add_rules(cl, "", &err), RW_OK);
	ck_assert_int_eq(rw_classifier_add_rules(cl, "# only a comment\n\n  \n", &err),
					 RW_OK);
	/* a rule switched off that the same text defines */
	ck_assert_int_eq(rw_classifier_add_rules(cl, "new family=apple weight=1 have=init\n"
		"new off", &err), RW_OK);
}
END_TEST

START_TEST(test_rule_limits)
{
	char text[64 * 1024], line[128];
	rw_error_t err;
	int i;

	/* 16 families: 4 built in, 12 more */
	text[0] = '\0';
	for (i = 0; i < 12; i++)
	{
		snprintf(line, sizeof(line), "f%d family=fam%d weight=1 have=init\n", i, i);
		strcat(text, line);
	}
	ck_assert_int_eq(rw_classifier_add_rules(cl, text, &err), RW_OK);
	ck_assert_int_eq(rw_classifier_add_rules(cl, "f12 family=fam12 weight=1 have=init",
											 &err), RW_ERR_INVALID);
	ck_assert(strstr(err.msg, "too many families"));

	/* at most 256 rules */
	text[0] = '\0';
	for (i = 0; i < 256; i++)
	{
		snprintf(line, sizeof(line), "r%d family=apple weight=1 have=init\n", i);
		strcat(text, line);
	}
	ck_assert_int_eq(rw_classifier_add_rules(cl, text, &err), RW_ERR_INVALID);
	ck_assert(strstr(err.msg, "rules"));

	/* a line longer than 1023 bytes */
	memset(text, 'a', 2000);
	text[2000] = '\0';
	ck_assert_int_eq(rw_classifier_add_rules(cl, text, &err), RW_ERR_INVALID);
	ck_assert(strstr(err.msg, "too long"));
}
END_TEST

/* ------------------------------------------------------------------------------ */
/* the log parser */

START_TEST(test_lp_unique_ids)
{
	/* two clients behind one NAT address, interleaved: told apart by <conn|N> */
	parse_str(
		"Jan  1 00:00:00 gw charon: 05[NET] <3> received packet: from 192.0.2.1[500] to 198.51.100.1[500] (300 bytes)\n"
		"Jan  1 00:00:00 gw charon: 05[ENC] <3> parsed IKE_SA_INIT request 0 [ SA KE No N(REDIR_SUP) N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) ]\n"
		"Jan  1 00:00:00 gw charon: 06[NET] <4> received packet: from 192.0.2.1[501] to 198.51.100.1[500] (300 bytes)\n"
		"Jan  1 00:00:00 gw charon: 06[ENC] <4> parsed IKE_SA_INIT request 0 [ SA KE No N(FRAG_SUP) N(NATD_S_IP) N(NATD_D_IP) V ]\n"
		"Jan  1 00:00:00 gw charon: 06[IKE] <4> received MS NT5 ISAKMPOAKLEY v9 vendor ID\n"
		"Jan  1 00:00:01 gw charon: 07[ENC] <rw|4> parsed IKE_AUTH request 1 [ IDi CERTREQ N(MOBIKE_SUP) CPRQ(ADDR DNS NBNS SRV) SA TSi TSr ]\n"
		"Jan  1 00:00:01 gw charon: 08[ENC] <rw|3> parsed IKE_AUTH request 1 [ IDi N(INIT_CONTACT) IDr CPRQ(ADDR MASK DHCP DNS DOMAIN) N(ESP_TFC_PAD_N) N(NON_FIRST_FRAG) SA TSi TSr ]\n"
		"Jan  1 00:00:01 gw charon: 08[IKE] <rw|3> received 5 cert requests for an unknown ca\n");
	ck_assert_int_eq(got.n, 2);
	ck_assert_int_eq(got.sas[0].unique_id, 3);
	ck_assert_str_eq(got.results[0].family, "apple");
	ck_assert_int_eq(got.results[0].confidence, 100);
	/* the cert request line goes with <rw|3>, not with thread 08's last context */
	ck_assert_int_eq(got.sas[0].in.auth.certreq_cas, 5);
	ck_assert_int_eq(got.sas[1].unique_id, 4);
	ck_assert_str_eq(got.sas[1].conn, "rw");
	ck_assert_str_eq(got.results[1].family, "windows");
	ck_assert_int_eq(got.sas[1].in.auth.certreq_cas, 0);
}
END_TEST

START_TEST(test_lp_threads)
{
	/* no IKE_SA prefixes: the thread and the client's address group the lines */
	parse_str(
		"05[NET] received packet: from 192.0.2.1[500] to 198.51.100.1[500] (300 bytes)\n"
		"06[NET] received packet: from 192.0.2.2[500] to 198.51.100.1[500] (300 bytes)\n"
		"05[ENC] parsed IKE_SA_INIT request 0 [ SA KE No N(REDIR_SUP) N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) ]\n"
		"06[ENC] parsed IKE_SA_INIT request 0 [ SA KE No N(FRAG_SUP) N(NATD_S_IP) N(NATD_D_IP) V V ]\n"
		"05[CFG] received proposals: IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048\n"
		"06[IKE] received MS NT5 ISAKMPOAKLEY v9 vendor ID\n"
		"06[ENC] received unknown vendor ID: 01:52:8b:bb:c0:06:96:12:18:49:ab:9a:1c:5b:2a:51:00:00:00:02\n"
		"09[NET] received packet: from 192.0.2.1[4500] to 198.51.100.1[4500] (300 bytes)\n"
		"10[NET] received packet: from 192.0.2.2[4500] to 198.51.100.1[4500] (300 bytes)\n"
		"10[ENC] parsed IKE_AUTH request 1 [ IDi CERTREQ N(MOBIKE_SUP) CPRQ(ADDR DNS NBNS SRV) SA TSi TSr ]\n"
		"10[IKE] received cert request for \"CN=CA\"\n"
		"10[CFG] looking for peer configs matching 198.51.100.1[%any]...192.0.2.2[198.18.0.7]\n"
		"09[ENC] parsed IKE_AUTH request 1 [ IDi N(INIT_CONTACT) IDr CPRQ(ADDR MASK DHCP DNS DOMAIN) N(ESP_TFC_PAD_N) N(NON_FIRST_FRAG) SA TSi TSr ]\n"
		"09[CFG] looking for peer configs matching 198.51.100.1[%any]...192.0.2.1[alice@example.org]\n"
		/* a third client whose IKE_SA_INIT is not in the log */
		"11[NET] received packet: from 192.0.2.3[4500] to 198.51.100.1[4500] (300 bytes)\n"
		"11[ENC] parsed IKE_AUTH request 1 [ IDi IDr SA TSi TSr CPRQ(ADDR MASK VER) ]\n"
		/* rekeying says nothing; its proposals are not the IKE_AUTH's */
		"12[ENC] parsed CREATE_CHILD_SA request 2 [ N(REKEY_SA) SA No TSi TSr ]\n"
		"12[CFG] received proposals: ESP:3DES_CBC/HMAC_MD5_96/NO_EXT_SEQ\n");
	ck_assert_int_eq(got.n, 3);
	ck_assert_str_eq(got.sas[0].peer, "192.0.2.1");
	ck_assert_str_eq(got.results[0].family, "apple");
	ck_assert_int_eq(got.sas[0].in.init.n_proposals, 1);
	ck_assert_int_eq(got.sas[0].in.auth.idi_type, 3);
	ck_assert_str_eq(got.sas[1].peer, "192.0.2.2");
	ck_assert_str_eq(got.results[1].family, "windows");
	ck_assert_int_eq(got.sas[1].in.init.n_vids, 2);
	ck_assert_int_eq(got.sas[1].in.auth.certreq_cas, 1);
	ck_assert_int_eq(got.sas[1].in.auth.idi_type, 1);
	ck_assert_str_eq(got.sas[2].peer, "192.0.2.3");
	ck_assert(!got.sas[2].in.have_init);
	ck_assert_str_eq(got.results[2].family, "android-native");
	ck_assert_int_eq(got.sas[2].in.auth.n_proposals, 0);
}
END_TEST

START_TEST(test_lp_retry)
{
	/* with unique ids: charon's new IKE_SA for the retry continues the attempt */
	parse_str(
		"01[NET] <1> received packet: from 192.0.2.9[500] to 198.51.100.1[500] (300 bytes)\n"
		"01[ENC] <1> parsed IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) N(HASH_ALG) N(REDIR_SUP) ]\n"
		"01[IKE] <1> key exchange method in received payload MODP_2048_256 doesn't match negotiated MODP_2048\n"
		"01[IKE] <1> key exchange method MODP_2048_256 unacceptable, requesting MODP_2048\n"
		"01[ENC] <1> generating IKE_SA_INIT response 0 [ N(INVAL_KE) ]\n"
		"02[NET] <2> received packet: from 192.0.2.9[500] to 198.51.100.1[500] (300 bytes)\n"
		"02[ENC] <2> parsed IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) N(HASH_ALG) N(REDIR_SUP) ]\n"
		"03[ENC] <conn|2> parsed IKE_AUTH request 1 [ IDi IDr SA TSi TSr CPRQ(ADDR ADDR6 DNS DNS6 MASK VER) ]\n"
		/* another client's IKE_SA_INIT after a COOKIE from a different address is
		 * not the retry */
		"04[NET] <3> received packet: from 192.0.2.10[500] to 198.51.100.1[500] (300 bytes)\n"
		"04[ENC] <3> parsed IKE_SA_INIT request 0 [ SA KE No N(REDIR_SUP) N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) ]\n"
		"04[ENC] <3> generating IKE_SA_INIT response 0 [ N(COOKIE) ]\n"
		"05[NET] <4> received packet: from 192.0.2.11[500] to 198.51.100.1[500] (300 bytes)\n"
		"05[ENC] <4> parsed IKE_SA_INIT request 0 [ SA KE No N(FRAG_SUP) N(NATD_S_IP) N(NATD_D_IP) V ]\n");
	ck_assert_int_eq(got.n, 3);
	ck_assert_int_eq(got.sas[0].unique_id, 2);
	ck_assert_int_eq(got.sas[0].in.init.ke_group, 24);
	ck_assert(got.sas[0].in.have_auth);
	ck_assert_str_eq(got.results[0].family, "android-native");
	ck_assert_int_eq(got.results[0].confidence, 100);
	ck_assert_str_eq(got.sas[1].peer, "192.0.2.10");
	ck_assert_str_eq(got.sas[2].peer, "192.0.2.11");
}
END_TEST

START_TEST(test_lp_client_view)
{
	/* a client's own log: what it generated, its VIDs from the DBG2 lines before */
	parse_str(
		"Mar  1 10:00:00 laptop charon: 08[IKE] <home|1> sending strongSwan vendor ID\n"
		"Mar  1 10:00:00 laptop charon: 08[ENC] <home|1> generating IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) N(HASH_ALG) N(REDIR_SUP) V ]\n"
		"Mar  1 10:00:00 laptop charon: 08[NET] <home|1> sending packet: from 198.18.5.5[500] to 192.0.2.1[500] (300 bytes)\n"
		"Mar  1 10:00:00 laptop charon: 09[ENC] <home|1> parsed IKE_SA_INIT response 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) V ]\n"
		"Mar  1 10:00:00 laptop charon: 09[IKE] <home|1> received MS NT5 ISAKMPOAKLEY v9 vendor ID\n"
		"Mar  1 10:00:00 laptop charon: 09[CFG] <home|1> received proposals: IKE:3DES_CBC/HMAC_MD5_96/PRF_HMAC_MD5/MODP_768\n"
		"Mar  1 10:00:00 laptop charon: 09[IKE] <home|1> authentication of 'CN=laptop, O=Example' (myself) with RSA_EMSA_PKCS1_SHA2_256 successful\n"
		"Mar  1 10:00:00 laptop charon: 09[ENC] <home|1> generating IKE_AUTH request 1 [ IDi CERT N(INIT_CONTACT) CERTREQ IDr AUTH CPRQ(ADDR DNS) SA TSi TSr N(MOBIKE_SUP) N(NO_ADD_ADDR) N(MULT_AUTH) N(EAP_ONLY) N(MSG_ID_SYN_SUP) ]\n");
	ck_assert_int_eq(got.n, 1);
	ck_assert(got.sas[0].client_view);
	ck_assert_str_eq(got.sas[0].peer, "198.18.5.5");
	ck_assert_str_eq(got.sas[0].conn, "home");
	/* its own VID, not the gateway's */
	ck_assert_int_eq(got.sas[0].in.init.n_vids, 1);
	ck_assert_int_eq(got.sas[0].in.init.vids[0].data[0], 0x88);
	/* the gateway's proposals are not the client's */
	ck_assert_int_eq(got.sas[0].in.init.n_proposals, 0);
	ck_assert_int_eq(got.sas[0].in.auth.idi_type, 9);
	ck_assert_str_eq(got.results[0].family, "strongswan");
	ck_assert_int_eq(got.results[0].confidence, 100);
}
END_TEST

START_TEST(test_lp_eap_rounds)
{
	/* journal lines without threads; EAP rounds after the first IKE_AUTH */
	parse_str(
		"Jan 09 15:55:51 vpn charon-systemd[1]: received packet: from 192.0.2.5[500] to 198.51.100.1[500] (612 bytes)\n"
		"Jan 09 15:55:51 vpn charon-systemd[1]: parsed IKE_SA_INIT request 0 [ SA KE No N(FRAG_SUP) N(NATD_S_IP) N(NATD_D_IP) V V V ]\n"
		"Jan 09 15:55:51 vpn charon-systemd[1]: received unknown vendor ID: 1e:2b:51:69:05:99:1c:7d:7c:96:fc:bf:b5:87:e4:61:00:00:00:09\n"
		"Jan 09 15:55:51 vpn charon-systemd[1]: received packet: from 192.0.2.5[4500] to 198.51.100.1[4500] (580 bytes)\n"
		"Jan 09 15:55:51 vpn charon-systemd[1]: parsed IKE_AUTH request 1 [ EF(1/2) ]\n"
		"Jan 09 15:55:51 vpn charon-systemd[1]: parsed IKE_AUTH request 1 [ EF(2/2) ]\n"
		"Jan 09 15:55:51 vpn charon-systemd[1]: parsed IKE_AUTH request 1 [ IDi CERTREQ N(MOBIKE_SUP) CPRQ(ADDR DNS NBNS SRV ADDR6 DNS6 SRV6) SA TSi TSr ]\n"
		"Jan 09 15:55:51 vpn charon-systemd[1]: received 52 cert requests for an unknown ca\n"
		"Jan 09 15:55:51 vpn charon-systemd[1]: parsed IKE_AUTH request 2 [ EAP/RES/ID ]\n"
		"Jan 09 15:55:51 vpn charon-systemd[1]: parsed IKE_AUTH request 3 [ AUTH ]\n"
		"Jan 09 15:55:51 vpn charon-systemd[1]: looking for a child config for 0.0.0.0/0 ::/0 === 10.1.0.0/16 2001:db8::/64\n"
		"Jan 09 15:55:51 vpn charon-systemd[1]: received proposals: ESP:AES_CBC_256/HMAC_SHA1_96/NO_EXT_SEQ, ESP:3DES_CBC/HMAC_SHA1_96/NO_EXT_SEQ\n"
		"Jan 09 15:55:51 vpn charon-systemd[1]: received proposals: ESP:AES_CBC_128/HMAC_SHA1_96/NO_EXT_SEQ\n");
	ck_assert_int_eq(got.n, 1);
	ck_assert_str_eq(got.results[0].family, "windows");
	ck_assert_int_eq(got.sas[0].in.init.n_vids, 1);
	ck_assert_int_eq(got.sas[0].in.auth.n_payloads, 7);
	ck_assert_int_eq(got.sas[0].in.auth.certreq_cas, 52);
	/* the last round's proposals; the first line wins */
	ck_assert_int_eq(got.sas[0].in.auth.n_proposals, 2);
	ck_assert_int_eq(got.sas[0].in.auth.n_tsr, 2);
	ck_assert(got.sas[0].in.auth.tsr[0].full && got.sas[0].in.auth.tsr[1].full);
	ck_assert_int_eq(got.sas[0].in.auth.n_tsi, 2);
	ck_assert(!got.sas[0].in.auth.tsi[0].full);
	ck_assert_int_eq(got.sas[0].in.auth.tsi[1].type, 8);
}
END_TEST

START_TEST(test_lp_restart)
{
	/* a new charon: its unique ids start over */
	parse_str(
		"00[DMN] Starting IKE charon daemon (strongSwan 5.9.8, Linux 6.1.0, x86_64)\n"
		"05[ENC] <1> parsed IKE_SA_INIT request 0 [ SA KE No N(REDIR_SUP) N(NATD_S_IP) ]\n"
		"00[DMN] Starting IKE charon daemon (strongSwan 5.9.8, Linux 6.1.0, x86_64)\n"
		"05[ENC] <1> parsed IKE_SA_INIT request 0 [ SA KE No N(FRAG_SUP) N(NATD_S_IP) V ]\n");
	ck_assert_int_eq(got.n, 2);
	ck_assert_int_eq(got.sas[0].in.init.notifies[0], 16406);
	ck_assert_int_eq(got.sas[1].in.init.notifies[0], 16430);
	ck_assert_int_eq(got.sas[1].index, 2);
}
END_TEST

static int emitted_before_finish;

static void count_cb(void *ctx, const rw_lp_sa_t *sa)
{
	int *n = ctx;

	(*n)++;
	collect(NULL, sa);
}

START_TEST(test_lp_bounded)
{
	char line[256];
	rw_logparse_t *p;
	int i, n = 0;

	/* more IKE_SAs than can be open: the least recently used ones are completed */
	got.n = 0;
	p = rw_logparse_create(count_cb, &n);
	for (i = 0; i < RW_LP_MAX_OPEN + 20; i++)
	{
		snprintf(line, sizeof(line), "01[ENC] <%d> parsed IKE_SA_INIT request 0 [ SA KE "
				 "No N(REDIR_SUP) ]", i + 1);
		rw_logparse_line(p, line, strlen(line));
	}
	ck_assert_int_eq(n, 20);
	ck_assert_int_eq(got.sas[0].unique_id, 1);
	rw_logparse_finish(p);
	ck_assert_int_eq(n, RW_LP_MAX_OPEN + 20);
	rw_logparse_destroy(p);

	/* one not seen for a long time is completed without waiting for the end */
	n = 0;
	got.n = 0;
	p = rw_logparse_create(count_cb, &n);
	snprintf(line, sizeof(line), "01[ENC] parsed IKE_SA_INIT request 0 [ SA KE No "
			 "N(REDIR_SUP) ]");
	rw_logparse_line(p, line, strlen(line));
	for (i = 0; i < RW_LP_IDLE_LINES + 2 * 64; i++)
	{
		rw_logparse_line(p, "01[NET] something else", 22);
	}
	emitted_before_finish = n;
	ck_assert_int_eq(emitted_before_finish, 1);
	rw_logparse_finish(p);
	ck_assert_int_eq(n, 1);
	rw_logparse_destroy(p);
}
END_TEST

START_TEST(test_lp_v6_names)
{
	/* strongSwan 6.x: IKE_INT_SUP, additional key exchanges, ML-KEM */
	parse_str(
		"13[ENC] <2> parsed IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) N(HASH_ALG) N(REDIR_SUP) N(IKE_INT_SUP) V ]\n"
		"13[IKE] <2> received strongSwan vendor ID\n"
		"13[CFG] <2> received proposals: IKE:AES_GCM_16_256/PRF_HMAC_SHA2_384/CURVE_25519/KE1_ML_KEM_768/KE2_(1080), IKE:AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_256/ECP_384\n");
	ck_assert_int_eq(got.n, 1);
	ck_assert_int_eq(got.sas[0].in.init.n_proposals, 2);
	ck_assert_int_eq(got.sas[0].in.init.proposals[0].n_transforms, 5);
	ck_assert_int_eq(got.sas[0].in.init.proposals[0].transforms[3].type, RW_TRANS_ADDKE1);
	ck_assert_int_eq(got.sas[0].in.init.proposals[0].transforms[3].id, 36);
	ck_assert_int_eq(got.sas[0].in.init.proposals[0].transforms[4].id, 1080);
	ck_assert_str_eq(got.results[0].family, "strongswan");
	ck_assert_str_eq(got.results[0].hint, "strongSwan 6.x (IKE_INT_SUP)");
	ck_assert_int_eq(got.results[0].confidence, 100);
}
END_TEST

START_TEST(test_lp_ids)
{
	static const struct {
		const char *id;
		uint8_t type;
	} ids[] = {
		{ "192.0.2.7", 1 }, { "2001:db8::7", 5 }, { "C=CH, O=strongSwan, CN=carol", 9 },
		{ "carol@example.org", 3 }, { "vpn.example.org", 2 }, { "glitch", 2 },
		{ "01:02:03:04:05:06:07:08:09:0a:0b:0c:0d:0e:0f:10:11:12:13:14", 11 },
		{ "%any", 0 },
	};
	char text[1024];
	unsigned i;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
	{
		snprintf(text, sizeof(text),
				 "01[ENC] parsed IKE_AUTH request 1 [ IDi SA TSi TSr ]\n"
				 "01[CFG] looking for peer configs matching 198.51.100.1[%%any]..."
				 "192.0.2.7[%s]\n", ids[i].id);
		parse_str(text);
		ck_assert_int_eq(got.n, 1);
		ck_assert_msg(got.sas[0].in.auth.idi_type == ids[i].type, "%s: %u", ids[i].id,
					  got.sas[0].in.auth.idi_type);
	}
}
END_TEST

START_TEST(test_lp_garbage)
{
	static const char *const lines[] = {
		"", "[", "]", "(", ")", "<", ">", "<|>", "<a|>", "<|99999999999999>",
		"01[ENC] parsed", "01[ENC] parsed IKE_SA_INIT", "01[ENC] parsed IKE_SA_INIT request",
		"01[ENC] parsed IKE_SA_INIT request 0 [", "01[ENC] parsed IKE_SA_INIT request 0 []",
		"01[ENC] parsed IKE_SA_INIT request 0 [ N( ]",
		"01[ENC] parsed IKE_SA_INIT request 0 [ N() N(()) N((( ))) CPRQ( CPRQ() (99) (x) ]",
		"01[ENC] parsed IKE_AUTH request 1 [ IDi CPRQ(((ADDR))) N(MS_STATUS(x)) ]",
		"01[ENC] parsed IKE_AUTH response 1 [ N(INVAL_KE) ]",
		"01[CFG] received proposals: ", "01[CFG] received proposals: IKE:",
		"01[CFG] received proposals: IKE:/, :, ESP:///, IKE:AES_CBC_256/",
		"01[CFG] received proposals: FOO:AES_CBC_256",
		"01[IKE] received unknown vendor ID: ", "01[IKE] received unknown vendor ID: z",
		"01[IKE] received unknown vendor ID: 0",
		"01[IKE] received  vendor ID", "01[IKE] sending vendor ID", "received vendor ID",
		"01[IKE] received 99999999999999999 cert requests for an unknown ca",
		"01[CFG] looking for peer configs matching ", "looking for peer configs matching ]...[",
		"looking for a child config for  === ", "DH group  unacceptable, requesting ",
		"peer didn't accept DH group , it requested ",
		"authentication of '", "authentication of '' (myself)",
		"received packet: from [", "sending packet: from ",
		"IKE:", "ESP:AES_CBC_256", "AH:", "Starting IKE ",
		"99999[ENC] parsed IKE_SA_INIT request 0 [ SA ]",
		"1[A] 2[BB] 3[CCCCC] 4[DD9] x",
	};
	char *big;
	size_t i;

	/* each line after a valid IKE_SA_INIT and IKE_AUTH, so it meets context */
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
	{
		char text[512];

		snprintf(text, sizeof(text),
				 "01[ENC] parsed IKE_SA_INIT request 0 [ SA KE No N(REDIR_SUP) ]\n%s\n"
				 "01[ENC] parsed IKE_AUTH request 1 [ IDi SA TSi TSr ]\n%s\n%s",
				 lines[i], lines[i], lines[i]);
		parse_str(text);
		ck_assert_int_le(got.n, 5);
	}

	/* binary junk with NULs, a line far over the limit, no newline at the end */
	big = malloc(3 * RW_LP_MAX_LINE);
	ck_assert_ptr_nonnull(big);
	for (i = 0; i < 3 * RW_LP_MAX_LINE; i++)
	{
		big[i] = (char)(i * 7919 % 251);
	}
	parse_text(big, 3 * RW_LP_MAX_LINE, 0);
	parse_text(big, 3 * RW_LP_MAX_LINE, 3);
	memset(big, 'N', 3 * RW_LP_MAX_LINE);
	memcpy(big, "01[ENC] parsed IKE_SA_INIT request 0 [ ", 39);
	parse_text(big, 3 * RW_LP_MAX_LINE, 1000);
	ck_assert_int_eq(got.n, 1);
	free(big);

	/* NULL and a parser not created */
	rw_logparse_feed(NULL, "x", 1);
	rw_logparse_line(NULL, "x", 1);
	rw_logparse_finish(NULL);
	rw_logparse_destroy(NULL);
	ck_assert_ptr_null(rw_logparse_create(NULL, NULL));
}
END_TEST

START_TEST(test_lp_wrapped)
{
	/* a wrapped line is only joined with what looks like its rest */
	parse_str(
		"01[ENC] parsed IKE_SA_INIT request 0 [ SA KE No N(REDIR_SUP) N(NATD_S_IP) N(NA\n"
		"TD_D_IP) ]\n"
		"01[CFG] received proposals: IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_25\n"
		"6/MODP_2048, IKE:AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024\n"
		"configured proposals: IKE:AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024\n");
	ck_assert_int_eq(got.n, 1);
	ck_assert_int_eq(got.sas[0].in.init.n_notifies, 3);
	ck_assert_int_eq(got.sas[0].in.init.notifies[2], 16389);
	ck_assert_int_eq(got.sas[0].in.init.n_proposals, 2);
	ck_assert_int_eq(got.sas[0].in.init.proposals[0].transforms[2].id, 5);
}
END_TEST

static Suite *classify_suite(void)
{
	Suite *s = suite_create("classify");
	TCase *tc;

	tc = tcase_create("samples");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_sample, 0, sizeof(samples) / sizeof(samples[0]));
	tcase_add_loop_test(tc, test_sample_chunked, 0,
						sizeof(samples) / sizeof(samples[0]));
	tcase_add_test(tc, test_sample_details);
	tcase_add_test(tc, test_c19_windows_defaults);
	tcase_add_test(tc, test_x01_x02_macos14);
	tcase_add_test(tc, test_x03_windows10);
	tcase_add_test(tc, test_x04_windows11);
	tcase_add_test(tc, test_x05_android);
	tcase_add_test(tc, test_x06_x07_apple);
	suite_add_tcase(s, tc);

	tc = tcase_create("classifier");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_init_only);
	tcase_add_test(tc, test_auth_only);
	tcase_add_test(tc, test_auth_refines);
	tcase_add_test(tc, test_overflow);
	tcase_add_test(tc, test_legacy);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_threads);
	suite_add_tcase(s, tc);

	tc = tcase_create("rules");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_conditions, 0, sizeof(conds) / sizeof(conds[0]));
	tcase_add_test(tc, test_rule_extend);
	tcase_add_test(tc, test_rule_override);
	tcase_add_test(tc, test_rule_errors);
	tcase_add_test(tc, test_rule_limits);
	suite_add_tcase(s, tc);

	tc = tcase_create("logparse");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_lp_unique_ids);
	tcase_add_test(tc, test_lp_threads);
	tcase_add_test(tc, test_lp_retry);
	tcase_add_test(tc, test_lp_client_view);
	tcase_add_test(tc, test_lp_eap_rounds);
	tcase_add_test(tc, test_lp_restart);
	tcase_add_test(tc, test_lp_bounded);
	tcase_add_test(tc, test_lp_v6_names);
	tcase_add_test(tc, test_lp_ids);
	tcase_add_test(tc, test_lp_garbage);
	tcase_add_test(tc, test_lp_wrapped);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(classify_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
