#include <stdlib.h>

#include "tests.h"

int main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(version_suite());
	srunner_add_suite(sr, store_suite());
	srunner_add_suite(sr, dns_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
