/*
 * The classifier's name tables (payload, notify, configuration attribute and transform
 * names as charon prints them) against the enum names of the installed libcharon and
 * libstrongswan: every name charon can print maps to its number, and every name of
 * ours that this charon knows is its name. Names only newer releases print are listed.
 */

#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <library.h>
#include <attributes/attributes.h>
#include <encoding/payloads/notify_payload.h>
#include <encoding/payloads/payload.h>
#include <crypto/crypters/crypter.h>
#include <crypto/key_exchange.h>
#include <crypto/prfs/prf.h>
#include <crypto/signers/signer.h>
#include <crypto/transform.h>

#include <rw_classify.h>

/* names of later strongSwan releases, unknown to this charon */
static bool newer(const char *name)
{
	static const char *const names[] = {
		"IKE_INT_SUP", "ML_KEM_512", "ML_KEM_768", "ML_KEM_1024",
	};
	unsigned i;

	for (i = 0; i < countof(names); i++)
	{
		if (streq(name, names[i]))
		{
			return true;
		}
	}
	return false;
}

static void check_names(enum_name_t *charon, rw_cl_names_t kind, int from, int to)
{
	const char *ours, *theirs;
	uint16_t value;
	int v, known = 0;

	for (v = from; v <= to; v++)
	{
		theirs = enum_to_name(charon, v);
		ours = rw_cl_name(kind, v);
		if (theirs)
		{
			known++;
			ck_assert_msg(rw_cl_name_lookup(kind, theirs, strlen(theirs), &value),
						  "charon prints %d as %s, unknown here", v, theirs);
			ck_assert_msg(value == v, "%s is %d, not %u", theirs, v, value);
			ck_assert_msg(ours && streq(ours, theirs), "%d: ours %s, charon's %s", v,
						  ours, theirs);
		}
		else if (ours)
		{
			ck_assert_msg(newer(ours), "%s (%d) unknown to charon", ours, v);
		}
	}
	ck_assert_int_gt(known, 0);
}

START_TEST(test_payloads)
{
	/* IKEv2 payload types; the IKEv1 ones share the enum */
	check_names(payload_type_short_names, RW_CL_NAMES_PAYLOAD, PLV2_SECURITY_ASSOCIATION,
				PLV2_FRAGMENT);
}
END_TEST

START_TEST(test_notifies)
{
	check_names(notify_type_short_names, RW_CL_NAMES_NOTIFY, 0, 65535);
}
END_TEST

START_TEST(test_cp_attrs)
{
	check_names(configuration_attribute_type_short_names, RW_CL_NAMES_CP_ATTR, 0,
				32767);
}
END_TEST

static void check_transforms(enum_name_t *charon, uint8_t type)
{
	rw_cl_transform_t t;
	const char *theirs;
	char buf[64];
	int v, known = 0;

	for (v = 0; v <= 65535; v++)
	{
		theirs = enum_to_name(charon, v);
		/* "UNDEFINED" is both an encryption and an integrity algorithm */
		if (!theirs || streq(theirs, "UNDEFINED"))
		{
			continue;
		}
		known++;
		ck_assert_msg(rw_cl_parse_transform(theirs, strlen(theirs), &t), "%s unknown",
					  theirs);
		ck_assert_msg(t.type == type && t.id == v, "%s: %u/%u, not %u/%d", theirs,
					  t.type, t.id, type, v);
		ck_assert_str_eq(rw_cl_transform_name(&t, buf, sizeof(buf)), theirs);
	}
	ck_assert_int_gt(known, 1);
}

START_TEST(test_transforms)
{
	check_transforms(encryption_algorithm_names, 1);
	check_transforms(pseudo_random_function_names, 2);
	check_transforms(integrity_algorithm_names, 3);
	check_transforms(key_exchange_method_names, 4);
	check_transforms(extended_sequence_numbers_names, 5);
}
END_TEST

int main(void)
{
	SRunner *sr;
	Suite *s;
	TCase *tc;
	int failed;

	s = suite_create("names");
	tc = tcase_create("charon");
	tcase_add_test(tc, test_payloads);
	tcase_add_test(tc, test_notifies);
	tcase_add_test(tc, test_cp_attrs);
	tcase_add_test(tc, test_transforms);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
