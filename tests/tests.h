#ifndef RW_TESTS_H_
#define RW_TESTS_H_

#include <check.h>

Suite *version_suite(void);
Suite *store_suite(void);
Suite *dns_suite(void);

#endif
