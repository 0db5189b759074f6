#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rw_version.h>

#include "tests.h"

static const char image[] =
	"\x7f" "ELF\0\0junk(strongSwan\0Linux strongSwan %s\0"
	"Starting IKE charon daemon (strongSwan 5.9.8, %s %s, %s)\0tail";

START_TEST(test_find_banner)
{
	char v[RW_VERSION_MAX];

	ck_assert_int_eq(rw_version_find(image, sizeof(image) - 1, v, sizeof(v)), 0);
	ck_assert_str_eq(v, "5.9.8");
}
END_TEST

START_TEST(test_find_systemd_and_prerelease)
{
	static const char img[] =
		"Starting charon-systemd IKE daemon (strongSwan 6.0.0dr2, %s %s, %s)";
	char v[RW_VERSION_MAX];

	ck_assert_int_eq(rw_version_find(img, sizeof(img) - 1, v, sizeof(v)), 0);
	ck_assert_str_eq(v, "6.0.0dr2");
}
END_TEST

START_TEST(test_find_none)
{
	static const char *bad[] = {
		"",
		"(strongSwan ",
		"(strongSwan 5.9.8",			/* no comma: cut off */
		"(strongSwan %s, ...)",			/* format, not a version */
		"Linux strongSwan 5.9.8\n",		/* not the daemon banner */
	};
	char v[RW_VERSION_MAX];
	int i;

	for (i = 0; i < (int)(sizeof(bad) / sizeof(bad[0])); i++)
	{
		ck_assert_int_eq(rw_version_find(bad[i], strlen(bad[i]), v, sizeof(v)), -1);
	}
}
END_TEST

START_TEST(test_find_too_long)
{
	static const char img[] = "(strongSwan 5.9.8, x)";
	char v[5];

	/* "5.9.8" needs 6 bytes with its NUL */
	ck_assert_int_eq(rw_version_find(img, sizeof(img) - 1, v, sizeof(v)), -1);
}
END_TEST

START_TEST(test_find_in_file_across_chunks)
{
	char path[] = "/tmp/rw-test-version-XXXXXX", v[RW_VERSION_MAX];
	static char filler[65536 - 7];
	FILE *f;
	int fd;

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "wb");
	ck_assert_ptr_nonnull(f);
	memset(filler, 'x', sizeof(filler));
	/* the banner straddles the 64 KiB read boundary */
	fwrite(filler, 1, sizeof(filler), f);
	fputs("daemon (strongSwan 5.9.8, %s)", f);
	fclose(f);
	ck_assert_int_eq(rw_version_find_in_file(path, v, sizeof(v)), 0);
	ck_assert_str_eq(v, "5.9.8");
	unlink(path);
	ck_assert_int_eq(rw_version_find_in_file(path, v, sizeof(v)), -1);
}
END_TEST

START_TEST(test_compare)
{
	ck_assert_int_eq(rw_version_compare("5.9.8", "5.9.8"), 0);
	ck_assert_int_lt(rw_version_compare("5.9.8", "5.9.10"), 0);
	ck_assert_int_gt(rw_version_compare("6.0.0", "5.9.14"), 0);
	ck_assert_int_lt(rw_version_compare("5.9.8rc1", "5.9.8"), 0);
	ck_assert_int_gt(rw_version_compare("5.9.8", "5.9.8dr4"), 0);
	ck_assert_int_lt(rw_version_compare("5.9", "5.9.1"), 0);
}
END_TEST

Suite *version_suite(void)
{
	Suite *s = suite_create("version");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_find_banner);
	tcase_add_test(tc, test_find_systemd_and_prerelease);
	tcase_add_test(tc, test_find_none);
	tcase_add_test(tc, test_find_too_long);
	tcase_add_test(tc, test_find_in_file_across_chunks);
	tcase_add_test(tc, test_compare);
	suite_add_tcase(s, tc);
	return s;
}
