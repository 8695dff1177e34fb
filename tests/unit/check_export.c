#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "sbuf.h"

static const char	*row_leder(char *, size_t, const char *, int, int,
			    int, int, const char *);

/* leder_notifications is 2: suppressed wherever it is shown. */
static const char *
row(char *buf, size_t len, const char *office, int notified, int completed,
    int within, const char *days)
{
	return (row_leder(buf, len, office, notified, completed, within, 2,
	    days));
}

static const char *
row_leder(char *buf, size_t len, const char *office, int notified,
    int completed, int within, int leder, const char *days)
{
	snprintf(buf, len, "{\"office\":\"%s\",\"deaths_notified\":%d,"
	    "\"scrutiny_completed\":%d,\"completed_within_target\":%d,"
	    "\"coroner_referrals\":3,\"coroner_investigating\":0,"
	    "\"coroner_not_investigating\":0,\"bereaved_reached\":12,"
	    "\"bereaved_declined\":0,\"bereaved_no_response\":0,"
	    "\"bereaved_no_contacts\":0,\"bereaved_other\":0,"
	    "\"concerns_raised\":0,"
	    "\"referrals_structured_judgement_review\":0,"
	    "\"referrals_patient_safety\":0,"
	    "\"referrals_learning_from_deaths\":0,\"referrals_pals\":0,"
	    "\"referrals_other\":0,\"urgent_release_requested\":13,"
	    "\"urgent_release_achieved\":0,\"leder_notifications\":%d,"
	    "\"days\":%s}", office, notified,
	    completed, within, leder, days);
	return (buf);
}

START_TEST(two_offices_and_all_follow_the_rules)
{
	struct sbuf	 sb;
	char		 a[1024], b[1024], raw[4096], err[128];
	const char	*d12 = "[1,1,1,1,2,2,2,3,3,4,5,9]";

	snprintf(raw, sizeof(raw), "{\"rows\":[%s,%s]}",
	    row(b, sizeof(b), "ZED", 12, 12, 9, d12),
	    row(a, sizeof(a), "ABC", 12, 12, 9, d12));
	sbuf_init(&sb, 1 << 20);
	ck_assert_int_eq(export_render(raw, strlen(raw), "2026-04", 1,
	    EXPORT_CSV, &sb, err, sizeof(err)), 0);
	/* Sorted by code, ALL last; 12 -> 10, but ALL's 24 -> 25. */
	ck_assert_ptr_nonnull(strstr(sb.data, "\r\n2026-04,ABC,10,10,10,"));
	ck_assert_ptr_nonnull(strstr(sb.data, "\r\n2026-04,ZED,10,10,10,"));
	ck_assert_ptr_nonnull(strstr(sb.data, "\r\n2026-04,ALL,25,25,20,"));
	ck_assert(strstr(sb.data, "ABC") < strstr(sb.data, "ZED"));
	ck_assert(strstr(sb.data, "ZED") < strstr(sb.data, "ALL"));
	ck_assert_int_eq(strncmp(sb.data, "month,office,deaths_notified,", 29),
	    0);
	sbuf_free(&sb);
}
END_TEST

/*
 * Issue 19: leder_notifications is published through the same
 * disclosure control as every count: 2 is "*", 12 is 10, 0 stays 0.
 */
START_TEST(leder_notifications_are_disclosure_controlled)
{
	struct sbuf	 sb;
	char		 a[1024], b[1024], c[1024], raw[4096], err[128];
	const char	*d = "[1,1,1,1,2,2,2,3,3,4,5,9]";

	snprintf(raw, sizeof(raw), "{\"rows\":[%s,%s,%s]}",
	    row_leder(a, sizeof(a), "ABC", 12, 12, 9, 2, d),
	    row_leder(b, sizeof(b), "DEF", 12, 12, 9, 12, d),
	    row_leder(c, sizeof(c), "GHI", 12, 12, 9, 0, d));
	sbuf_init(&sb, 1 << 20);
	ck_assert_int_eq(export_render(raw, strlen(raw), "2026-04", 0,
	    EXPORT_JSON, &sb, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(sb.data, "\"office\":\"ABC\""));
	ck_assert_ptr_nonnull(strstr(strstr(sb.data, "\"ABC\""),
	    "\"leder_notifications\":\"*\"}"));
	ck_assert_ptr_nonnull(strstr(strstr(sb.data, "\"DEF\""),
	    "\"leder_notifications\":10}"));
	ck_assert_ptr_nonnull(strstr(strstr(sb.data, "\"GHI\""),
	    "\"leder_notifications\":0}"));
	sbuf_free(&sb);
}
END_TEST

START_TEST(same_input_gives_same_bytes_and_json_has_stars)
{
	struct sbuf	 s1, s2;
	char		 a[1024], raw[4096], err[128];

	snprintf(raw, sizeof(raw), "{\"rows\":[%s]}",
	    row(a, sizeof(a), "ABC", 3, 7, 5, "[1,2,3,4,5,6,7]"));
	sbuf_init(&s1, 1 << 20);
	sbuf_init(&s2, 1 << 20);
	ck_assert_int_eq(export_render(raw, strlen(raw), "2026-10", 0,
	    EXPORT_JSON, &s1, err, sizeof(err)), 0);
	ck_assert_int_eq(export_render(raw, strlen(raw), "2026-10", 0,
	    EXPORT_JSON, &s2, err, sizeof(err)), 0);
	ck_assert_str_eq(s1.data, s2.data);
	ck_assert_ptr_nonnull(strstr(s1.data, "\"month\":\"2026-10\""));
	ck_assert_ptr_nonnull(strstr(s1.data, "\"deaths_notified\":\"*\""));
	ck_assert_ptr_nonnull(strstr(s1.data,
	    "\"median_days_to_completion\":\"*\""));
	ck_assert_ptr_null(strstr(s1.data, "\"ALL\""));
	sbuf_free(&s1);
	sbuf_free(&s2);
}
END_TEST

START_TEST(inconsistent_or_bad_figures_are_refused)
{
	struct sbuf	 sb;
	char		 a[1024], raw[4096], err[128];

	sbuf_init(&sb, 1 << 20);
	/* Three completions but two durations. */
	snprintf(raw, sizeof(raw), "{\"rows\":[%s]}",
	    row(a, sizeof(a), "ABC", 3, 3, 1, "[1,2]"));
	ck_assert_int_eq(export_render(raw, strlen(raw), "2026-10", 0,
	    EXPORT_CSV, &sb, err, sizeof(err)), -1);
	ck_assert_int_eq(export_render("{", 1, "2026-10", 0, EXPORT_CSV, &sb,
	    err, sizeof(err)), -1);
	ck_assert_int_eq(export_render("{\"rows\":[{}]}", 12, "2026-10", 0,
	    EXPORT_CSV, &sb, err, sizeof(err)), -1);
	sbuf_free(&sb);
}
END_TEST

/* The page's path: the same rules, as structs, never the raw counts. */
START_TEST(rows_as_structs_are_the_published_figures)
{
	struct dc_row	*rows;
	size_t		 n;
	char		 a[1024], b[1024], raw[4096], err[128];

	snprintf(raw, sizeof(raw), "{\"rows\":[%s,%s]}",
	    row(b, sizeof(b), "ZED", 13, 3, 2, "[1,2,5]"),
	    row(a, sizeof(a), "ABC", 12, 12, 9,
	    "[1,1,1,1,2,2,2,3,3,4,5,9]"));
	ck_assert_int_eq(export_rows(raw, strlen(raw), "2026-04", 1, &rows,
	    &n, err, sizeof(err)), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(rows[0].office, "ABC");
	ck_assert_str_eq(rows[1].office, "ZED");
	ck_assert_str_eq(rows[2].office, "ALL");
	ck_assert_str_eq(rows[0].month, "2026-04");
	/* 12 -> 10, 13 -> 15, 3 -> *, 25 -> 25, 0 stays 0. */
	ck_assert_int_eq(rows[0].deaths_notified.kind, DC_NUMBER);
	ck_assert_int_eq(rows[0].deaths_notified.v, 10);
	ck_assert_int_eq(rows[1].deaths_notified.v, 15);
	ck_assert_int_eq(rows[1].scrutiny_completed.kind, DC_SUPPRESSED);
	ck_assert_int_eq(rows[1].pct_completed_within_target.kind,
	    DC_SUPPRESSED);
	ck_assert_int_eq(rows[2].deaths_notified.v, 25);
	ck_assert_int_eq(rows[0].coroner_investigating.kind, DC_NUMBER);
	ck_assert_int_eq(rows[0].coroner_investigating.v, 0);
	/* 9 of 12 -> 10 of 10: 100.0% from the rounded figures. */
	ck_assert_int_eq(rows[0].pct_completed_within_target.v, 1000);
	free(rows);

	/* Without ALL, and with no offices at all. */
	ck_assert_int_eq(export_rows(raw, strlen(raw), "2026-04", 0, &rows,
	    &n, err, sizeof(err)), 0);
	ck_assert_uint_eq(n, 2);
	free(rows);
	ck_assert_int_eq(export_rows("{\"rows\":[]}", 11, "2026-04", 0,
	    &rows, &n, err, sizeof(err)), 0);
	ck_assert_uint_eq(n, 0);
	free(rows);

	/* Refusals leave nothing to free. */
	ck_assert_int_eq(export_rows("{", 1, "2026-04", 0, &rows, &n, err,
	    sizeof(err)), -1);
	ck_assert_ptr_null(rows);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(export_rows(raw, strlen(raw), "2026-4", 0, &rows,
	    &n, err, sizeof(err)), -1);
	ck_assert_ptr_null(rows);
	snprintf(raw, sizeof(raw), "{\"rows\":[%s]}",
	    row(a, sizeof(a), "ABC", 3, 3, 1, "[1,2]"));
	ck_assert_int_eq(export_rows(raw, strlen(raw), "2026-04", 0, &rows,
	    &n, err, sizeof(err)), -1);
	ck_assert_ptr_null(rows);
}
END_TEST

START_TEST(months_and_filenames)
{
	char	f[64];

	ck_assert(export_month_valid("2026-04"));
	ck_assert(!export_month_valid("2026-13"));
	ck_assert(!export_month_valid("2026-00"));
	ck_assert(!export_month_valid("2026-4"));
	ck_assert(!export_month_valid("20a6-04"));
	export_filename("2026-04", NULL, EXPORT_CSV, f, sizeof(f));
	ck_assert_str_eq(f, "medex-2026-04-ALL.csv");
	export_filename("2026-04", "ABC", EXPORT_JSON, f, sizeof(f));
	ck_assert_str_eq(f, "medex-2026-04-ABC.json");
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	s = suite_create("export");
	tc = tcase_create("core");
	tcase_add_test(tc, two_offices_and_all_follow_the_rules);
	tcase_add_test(tc, leder_notifications_are_disclosure_controlled);
	tcase_add_test(tc, same_input_gives_same_bytes_and_json_has_stars);
	tcase_add_test(tc, inconsistent_or_bad_figures_are_refused);
	tcase_add_test(tc, months_and_filenames);
	tcase_add_test(tc, rows_as_structs_are_the_published_figures);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
