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

START_TEST(code_file_names)
{
	ck_assert_int_eq(migration_code_name_ok("cases_read.sql"), 1);
	ck_assert_int_eq(migration_code_name_ok("a.sql"), 1);
	ck_assert_int_eq(migration_code_name_ok(".sql"), 0);
	ck_assert_int_eq(migration_code_name_ok("Cases.sql"), 0);
	ck_assert_int_eq(migration_code_name_ok("cases.sql~"), 0);
	ck_assert_int_eq(migration_code_name_ok("../x.sql"), 0);
	ck_assert_int_eq(migration_code_name_ok("a b.sql"), 0);
}
END_TEST

START_TEST(code_order_keeps_order_and_skips_comments)
{
	struct migration	files[4];
	size_t			n;
	char			err[256];

	ck_assert_int_eq(migration_code_order("# why\n\nb.sql\na.sql  \n"
	    "# more\nc.sql", files, 4, &n, err, sizeof(err)), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(files[0].name, "b.sql");
	ck_assert_str_eq(files[1].name, "a.sql");
	ck_assert_str_eq(files[2].name, "c.sql");
	ck_assert_int_eq(files[2].version, 3);
}
END_TEST

START_TEST(code_order_refuses_bad_twice_and_too_many)
{
	struct migration	files[2];
	size_t			n;
	char			err[256];

	ck_assert_int_eq(migration_code_order("a.sql\n../b.sql\n", files, 2,
	    &n, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "../b.sql"));
	ck_assert_int_eq(migration_code_order("a.sql\na.sql\n", files, 2,
	    &n, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "twice"));
	ck_assert_int_eq(migration_code_order("a.sql\nb.sql\nc.sql\n",
	    files, 2, &n, err, sizeof(err)), -1);
}
END_TEST

START_TEST(code_diff_names_changed_new_and_removed)
{
	struct migration	files[3], rec[3];
	char			out[512];

	files[0] = mk(1, "a.sql", "aa");
	files[1] = mk(2, "b.sql", "bb");
	files[2] = mk(3, "c.sql", "cc");
	rec[0] = mk(0, "c.sql", "cc");
	rec[1] = mk(0, "a.sql", "aa");
	rec[2] = mk(0, "b.sql", "bb");
	ck_assert_uint_eq(migration_code_diff(files, 3, rec, 3, out,
	    sizeof(out)), 0);
	ck_assert_str_eq(out, "");

	rec[2] = mk(0, "b.sql", "b2");
	ck_assert_uint_eq(migration_code_diff(files, 3, rec, 3, out,
	    sizeof(out)), 1);
	ck_assert_ptr_nonnull(strstr(out, "b.sql differs"));

	rec[2] = mk(0, "old.sql", "bb");
	ck_assert_uint_eq(migration_code_diff(files, 3, rec, 3, out,
	    sizeof(out)), 2);
	ck_assert_ptr_nonnull(strstr(out, "b.sql is new"));
	ck_assert_ptr_nonnull(strstr(out, "old.sql is no longer"));

	/* Nothing recorded yet (a database from before sql/). */
	ck_assert_uint_eq(migration_code_diff(files, 3, NULL, 0, out,
	    sizeof(out)), 3);
}
END_TEST

START_TEST(code_summary_is_sorted_by_name)
{
	struct migration	files[2];
	char			out[512], small[8];

	files[0] = mk(1, "b.sql", "bb");
	files[1] = mk(2, "a.sql", "aa");
	ck_assert_int_eq(migration_code_summary(files, 2, out, sizeof(out)),
	    0);
	ck_assert_str_eq(out, "a.sql aa\nb.sql bb\n");
	ck_assert_int_eq(migration_code_summary(files, 2, small,
	    sizeof(small)), -1);
}
END_TEST

static void
put(const char *dir, const char *name, const char *text)
{
	char	 path[512];
	FILE	*fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	fputs(text, fp);
	fclose(fp);
}

START_TEST(code_scan_hashes_listed_files_and_refuses_unlisted)
{
	struct migration	files[4];
	char			dir[] = "/tmp/check_migration.XXXXXX";
	char			err[512], cmd[600];
	size_t			n;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	put(dir, "ORDER", "# x\nb.sql\na.sql\n");
	put(dir, "a.sql", "abc");
	put(dir, "b.sql", "");
	ck_assert_int_eq(migration_code_scan(dir, files, 4, &n, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(files[0].name, "b.sql");
	ck_assert_str_eq(files[1].sha256, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");

	put(dir, "c.sql", "");
	ck_assert_int_eq(migration_code_scan(dir, files, 4, &n, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "c.sql is not listed"));

	put(dir, "ORDER", "b.sql\na.sql\nc.sql\nd.sql\n");
	ck_assert_int_eq(migration_code_scan(dir, files, 4, &n, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "d.sql"));
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
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
	tcase_add_test(tc, code_file_names);
	tcase_add_test(tc, code_order_keeps_order_and_skips_comments);
	tcase_add_test(tc, code_order_refuses_bad_twice_and_too_many);
	tcase_add_test(tc, code_diff_names_changed_new_and_removed);
	tcase_add_test(tc, code_summary_is_sorted_by_name);
	tcase_add_test(tc, code_scan_hashes_listed_files_and_refuses_unlisted);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
