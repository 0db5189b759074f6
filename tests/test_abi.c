/* Layout probe against the installed libcharon. Built twice: with the project's
 * config.h (EXPECT_MATCH=1, must pass) and with ME undefined (EXPECT_MATCH=0, the
 * probe must catch the mismatch). */
#include <stdlib.h>

#include <check.h>
#include <daemon.h>

#include "../plugins/common/rw_abi.h"

#if !EXPECT_MATCH
/* the mismatching probe leaks its probe objects on purpose (see rw_abi.c): keep
 * LeakSanitizer quiet about them in sanitizer builds */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}
#endif

START_TEST(test_layout_probe)
{
	char err[256] = "";
	bool ok;

	ok = rw_abi_probe_layout(err, sizeof(err));
#if EXPECT_MATCH
	ck_assert_msg(ok, "layout probe failed: %s", err);
#else
	ck_assert_msg(!ok, "probe did not notice a config.h without ME");
	ck_assert_ptr_nonnull(strstr(err, "layout differs"));
#endif
}
END_TEST

static void setup(void)
{
	ck_assert(library_init(NULL, "charon"));
	ck_assert(libcharon_init());
}

static void teardown(void)
{
	/* a mismatching probe leaves objects behind on purpose; and with a wrong
	 * layout, deinit would read the wrong members too */
#if EXPECT_MATCH
	libcharon_deinit();
	library_deinit();
#endif
}

int main(void)
{
	Suite *s = suite_create(EXPECT_MATCH ? "abi" : "abi-without-me");
	TCase *tc = tcase_create("probe");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_layout_probe);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
