#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migration.h"

static struct migration
mk(int version, const char *name, const char *sha)
{
	struct migration	m;

	memset(&m, 0, sizeof(m));
	m.version = version;
	snprintf(m.name, sizeof(m.name), "%s", name);
	snprintf(m.sha256, sizeof(m.sha256), "%s", sha);
	return (m);
}

START_TEST(file_names_give_versions)
{
	ck_assert_int_eq(migration_name_version("0001_init.sql"), 1);
	ck_assert_int_eq(migration_name_version("0012_cases_2.sql"), 12);
	ck_assert_int_eq(migration_name_version("0001_init.sql~"), -1);
	ck_assert_int_eq(migration_name_version("0001-init.sql"), -1);
	ck_assert_int_eq(migration_name_version("001_init.sql"), -1);
	ck_assert_int_eq(migration_name_version("0000_zero.sql"), -1);
	ck_assert_int_eq(migration_name_version("0003_Bad.sql"), -1);
}
END_TEST

START_TEST(contiguous_untouched_plan_is_accepted)
{
	struct migration	files[2], applied[1];
	char			err[256];

	files[0] = mk(1, "0001_a.sql", "aa");
	files[1] = mk(2, "0002_b.sql", "bb");
	applied[0] = mk(1, "0001_a.sql", "aa");
	ck_assert_int_eq(migration_check(files, 2, applied, 1, err,
	    sizeof(err)), 0);
}
END_TEST

START_TEST(edited_applied_file_is_refused_by_name)
{
	struct migration	files[1], applied[1];
	char			err[256];

	files[0] = mk(1, "0001_a.sql", "changed");
	applied[0] = mk(1, "0001_a.sql", "original");
	ck_assert_int_eq(migration_check(files, 1, applied, 1, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "0001_a.sql"));
	ck_assert_ptr_nonnull(strstr(err, "edited"));
}
END_TEST

START_TEST(missing_number_is_refused)
{
	struct migration	files[2];
	char			err[256];

	files[0] = mk(1, "0001_a.sql", "aa");
	files[1] = mk(3, "0003_c.sql", "cc");
	ck_assert_int_eq(migration_check(files, 2, NULL, 0, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "0002"));
}
END_TEST

START_TEST(duplicate_number_is_refused)
{
	struct migration	files[2];
	char			err[256];

	files[0] = mk(1, "0001_a.sql", "aa");
	files[1] = mk(1, "0001_b.sql", "bb");
	ck_assert_int_eq(migration_check(files, 2, NULL, 0, err,
	    sizeof(err)), -1);
}
END_TEST

START_TEST(removed_applied_file_is_refused)
{
	struct migration	files[1], applied[2];
	char			err[256];

	files[0] = mk(1, "0001_a.sql", "aa");
	applied[0] = mk(1, "0001_a.sql", "aa");
	applied[1] = mk(2, "0002_b.sql", "bb");
	ck_assert_int_eq(migration_check(files, 1, applied, 2, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "0002_b.sql"));
}
END_TEST

START_TEST(sha256_of_known_text)
{
	char	hex[MIGRATION_SHA_HEX];

	migration_sha256_hex((const unsigned char *)"abc", 3, hex);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	s = suite_create("migration");
	tc = tcase_create("core");
	tcase_add_test(tc, file_names_give_versions);
	tcase_add_test(tc, contiguous_untouched_plan_is_accepted);
	tcase_add_test(tc, edited_applied_file_is_refused_by_name);
	tcase_add_test(tc, missing_number_is_refused);
	tcase_add_test(tc, duplicate_number_is_refused);
	tcase_add_test(tc, removed_applied_file_is_refused);
	tcase_add_test(tc, sha256_of_known_text);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
