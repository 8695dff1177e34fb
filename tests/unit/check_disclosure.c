#include <check.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "csv_writer.h"
#include "disclosure.h"
#include "json_writer.h"
#include "sbuf.h"

#define HEADER								\
	"month,office,deaths_notified,scrutiny_completed,"		\
	"completed_within_target,pct_completed_within_target,"		\
	"median_days_to_completion,coroner_referrals,"			\
	"coroner_investigating,coroner_not_investigating,"		\
	"bereaved_reached,bereaved_declined,bereaved_no_response,"	\
	"bereaved_no_contacts,bereaved_other,concerns_raised,"		\
	"referrals_structured_judgement_review,"			\
	"referrals_patient_safety,referrals_learning_from_deaths,"	\
	"referrals_pals,referrals_other,urgent_release_requested,"	\
	"urgent_release_achieved,leder_notifications\r\n"

static int	days_a[1000];
static int	days_b[1000];

/*
 * Whole exports are too long for Check's failure message, so this names
 * the first byte that differs and shows a little of each side.
 */
static void
assert_same_text(const char *got, const char *want)
{
	size_t	i;

	for (i = 0; got[i] != '\0' && got[i] == want[i]; i++)
		;
	ck_assert_msg(got[i] == want[i],
	    "differs at byte %zu: got \"%.40s\", want \"%.40s\"",
	    i, got + i, want + i);
}

static struct dc_value
number(long long v)
{
	struct dc_value	dv;

	dv.kind = DC_NUMBER;
	dv.v = v;
	return (dv);
}

static void
assert_number(struct dc_value v, long long want)
{
	ck_assert_int_eq(v.kind, DC_NUMBER);
	ck_assert_int_eq(v.v, want);
}

/*
 * A raw row with `completed` completions: `within` of them took `fast`
 * days and the rest `slow` days.
 */
static void
raw_row(struct dc_raw_row *raw, const char *office, int *days,
    long long completed, long long within, int fast, int slow)
{
	long long	i;

	ck_assert_int_eq(dc_raw_init(raw, "2026-04", office), 0);
	raw->scrutiny_completed = completed;
	raw->completed_within_target = within;
	for (i = 0; i < completed; i++)
		days[i] = i < within ? fast : slow;
	raw->days_to_completion = days;
	raw->ndays = (size_t)completed;
}

/* DOMAIN.md section 8's table, as one office's month. */
static void
worked_example(struct dc_raw_row *raw)
{
	raw_row(raw, "GWYNEDD", days_a, 398, 301, 2, 5);
	raw->deaths_notified = 412;
	raw->coroner_referrals = 3;
	raw->coroner_investigating = 0;
	raw->bereaved_declined = 12;
	raw->bereaved_no_response = 13;
}

START_TEST(count_of_zero_stays_zero)
{
	assert_number(dc_count(0), 0);
}
END_TEST

START_TEST(counts_from_one_to_seven_are_suppressed)
{
	long long	i;

	for (i = 1; i <= 7; i++)
		ck_assert_int_eq(dc_count(i).kind, DC_SUPPRESSED);
	ck_assert_int_eq(dc_count(3).kind, DC_SUPPRESSED);
}
END_TEST

START_TEST(counts_from_eight_round_to_the_nearest_five)
{
	assert_number(dc_count(8), 10);
	assert_number(dc_count(9), 10);
	assert_number(dc_count(10), 10);
	assert_number(dc_count(12), 10);
	assert_number(dc_count(13), 15);
	assert_number(dc_count(24), 25);
	assert_number(dc_count(412), 410);
	assert_number(dc_count(398), 400);
	assert_number(dc_count(301), 300);
	assert_number(dc_count(1000003), 1000005);
}
END_TEST

START_TEST(huge_and_negative_counts_do_not_overflow_or_publish)
{
	assert_number(dc_count(LLONG_MAX), LLONG_MAX - 2);
	assert_number(dc_count(LLONG_MAX - 4), LLONG_MAX - 2);
	ck_assert_int_eq(dc_count(-1).kind, DC_SUPPRESSED);
	ck_assert_int_eq(dc_count(LLONG_MIN).kind, DC_SUPPRESSED);
}
END_TEST

START_TEST(percent_is_from_the_rounded_figures)
{
	/* Raw 301/398 is 75.6; published from 300/400 it is 75.0. */
	assert_number(dc_percent(dc_count(301), dc_count(398)), 750);
	assert_number(dc_percent(number(300), number(400)), 750);
	/* Raw 13/42 is 31.0; published from 15/40 it is 37.5. */
	assert_number(dc_percent(dc_count(13), dc_count(42)), 375);
}
END_TEST

START_TEST(percent_rounds_half_up_to_one_decimal)
{
	assert_number(dc_percent(number(5), number(80)), 63);	/* 6.25 */
	assert_number(dc_percent(number(15), number(80)), 188);	/* 18.75 */
	assert_number(dc_percent(number(25), number(400)), 63);	/* 6.25 */
	assert_number(dc_percent(number(10), number(15)), 667);	/* 66.66 */
	assert_number(dc_percent(number(5), number(15)), 333);	/* 33.33 */
	assert_number(dc_percent(number(0), number(15)), 0);
	assert_number(dc_percent(number(10), number(10)), 1000);
}
END_TEST

START_TEST(percent_is_exactly_half_up_for_every_small_pair)
{
	long long	n, d, t;

	/*
	 * Half up means t/10 <= 100n/d + 1/20 < (t+1)/10, which in
	 * integers is 2td <= 2000n + d < 2(t+1)d.
	 */
	for (d = 10; d <= 2000; d += 5) {
		for (n = 0; n <= d; n += 5) {
			if (n > 0 && n < 10)
				continue;
			t = dc_percent(number(n), number(d)).v;
			ck_assert_int_le(2 * t * d, 2000 * n + d);
			ck_assert_int_lt(2000 * n + d, 2 * (t + 1) * d);
			ck_assert_int_le(t, 1000);
		}
	}
}
END_TEST

START_TEST(percent_is_suppressed_when_either_figure_is)
{
	ck_assert_int_eq(dc_percent(dc_count(3), dc_count(40)).kind,
	    DC_SUPPRESSED);
	ck_assert_int_eq(dc_percent(dc_count(0), dc_count(7)).kind,
	    DC_SUPPRESSED);
	ck_assert_int_eq(dc_percent(dc_count(5), dc_count(7)).kind,
	    DC_SUPPRESSED);
}
END_TEST

START_TEST(percent_is_null_when_nothing_was_completed)
{
	ck_assert_int_eq(dc_percent(dc_count(0), dc_count(0)).kind, DC_NULL);
}
END_TEST

START_TEST(percent_never_passes_one_hundred)
{
	assert_number(dc_percent(number(20), number(10)), 1000);
	ck_assert_int_eq(dc_percent(number(DC_COUNT_MAX + 1),
	    number(DC_COUNT_MAX + 1)).kind, DC_SUPPRESSED);
	assert_number(dc_percent(number(DC_COUNT_MAX), number(DC_COUNT_MAX)),
	    1000);
}
END_TEST

START_TEST(median_of_nothing_is_null)
{
	struct dc_value	v;

	ck_assert_int_eq(dc_median(NULL, 0, &v), 0);
	ck_assert_int_eq(v.kind, DC_NULL);
}
END_TEST

START_TEST(median_of_fewer_than_eight_is_suppressed)
{
	struct dc_value	v;
	int		d[7] = { 1, 2, 3, 4, 5, 6, 7 };
	size_t		n;

	for (n = 1; n <= 7; n++) {
		ck_assert_int_eq(dc_median(d, n, &v), 0);
		ck_assert_int_eq(v.kind, DC_SUPPRESSED);
	}
}
END_TEST

START_TEST(median_of_an_even_count_averages_the_middle_two)
{
	struct dc_value	v;
	int		d[8] = { 9, 1, 4, 3, 2, 8, 0, 7 };

	/* Sorted 0 1 2 3 4 7 8 9: (3 + 4) / 2 = 3.5. */
	ck_assert_int_eq(dc_median(d, 8, &v), 0);
	assert_number(v, 35);
}
END_TEST

START_TEST(median_of_an_odd_count_is_the_middle_value)
{
	struct dc_value	v;
	int		d[9] = { 30, 1, 4, 3, 2, 8, 0, 7, 6 };

	ck_assert_int_eq(dc_median(d, 9, &v), 0);
	assert_number(v, 40);
}
END_TEST

START_TEST(median_is_not_rounded_to_five_and_leaves_input_unsorted)
{
	struct dc_value	v;
	int		d[8] = { 3, 1, 3, 3, 1, 3, 3, 3 };
	int		copy[8];

	memcpy(copy, d, sizeof(d));
	ck_assert_int_eq(dc_median(d, 8, &v), 0);
	assert_number(v, 30);
	ck_assert_int_eq(memcmp(copy, d, sizeof(d)), 0);
}
END_TEST

START_TEST(worked_example_publishes_the_domain_table)
{
	struct dc_raw_row	raw;
	struct dc_row		row;

	worked_example(&raw);
	ck_assert_int_eq(dc_row_apply(&raw, &row), 0);
	ck_assert_str_eq(row.month, "2026-04");
	ck_assert_str_eq(row.office, "GWYNEDD");
	assert_number(row.deaths_notified, 410);
	assert_number(row.scrutiny_completed, 400);
	assert_number(row.completed_within_target, 300);
	assert_number(row.pct_completed_within_target, 750);
	assert_number(row.median_days_to_completion, 20);
	ck_assert_int_eq(row.coroner_referrals.kind, DC_SUPPRESSED);
	assert_number(row.coroner_investigating, 0);
	assert_number(row.bereaved_declined, 10);
	assert_number(row.bereaved_no_response, 15);
	assert_number(row.urgent_release_achieved, 0);
}
END_TEST

START_TEST(office_with_seven_completions_suppresses_count_percent_median)
{
	struct dc_raw_row	raw;
	struct dc_row		row;

	raw_row(&raw, "SMALL", days_a, 7, 5, 1, 9);
	raw.deaths_notified = 20;
	ck_assert_int_eq(dc_row_apply(&raw, &row), 0);
	assert_number(row.deaths_notified, 20);
	ck_assert_int_eq(row.scrutiny_completed.kind, DC_SUPPRESSED);
	ck_assert_int_eq(row.completed_within_target.kind, DC_SUPPRESSED);
	ck_assert_int_eq(row.pct_completed_within_target.kind, DC_SUPPRESSED);
	ck_assert_int_eq(row.median_days_to_completion.kind, DC_SUPPRESSED);
}
END_TEST

START_TEST(thirteen_within_target_of_forty_two_publishes_37_5)
{
	struct dc_raw_row	raw;
	struct dc_row		row;

	raw_row(&raw, "MID", days_a, 42, 13, 3, 6);
	ck_assert_int_eq(dc_row_apply(&raw, &row), 0);
	assert_number(row.completed_within_target, 15);
	assert_number(row.scrutiny_completed, 40);
	assert_number(row.pct_completed_within_target, 375);
	assert_number(row.median_days_to_completion, 60);
}
END_TEST

START_TEST(office_with_nothing_completed_has_null_percent_and_median)
{
	struct dc_raw_row	raw;
	struct dc_row		row;

	ck_assert_int_eq(dc_raw_init(&raw, "2026-04", "QUIET"), 0);
	ck_assert_int_eq(dc_row_apply(&raw, &row), 0);
	assert_number(row.scrutiny_completed, 0);
	ck_assert_int_eq(row.pct_completed_within_target.kind, DC_NULL);
	ck_assert_int_eq(row.median_days_to_completion.kind, DC_NULL);
}
END_TEST

START_TEST(all_row_sums_raw_counts_before_rounding)
{
	struct dc_raw_row	raw[2];
	struct dc_row		a, b, all;

	ck_assert_int_eq(dc_raw_init(&raw[0], "2026-04", "AAA"), 0);
	ck_assert_int_eq(dc_raw_init(&raw[1], "2026-04", "BBB"), 0);
	raw[0].bereaved_declined = 12;
	raw[1].bereaved_declined = 12;
	raw[0].coroner_referrals = 3;
	raw[1].coroner_referrals = 4;
	ck_assert_int_eq(dc_row_apply(&raw[0], &a), 0);
	ck_assert_int_eq(dc_row_apply(&raw[1], &b), 0);
	ck_assert_int_eq(dc_row_sum(raw, 2, "2026-04", &all), 0);
	assert_number(a.bereaved_declined, 10);
	assert_number(b.bereaved_declined, 10);
	assert_number(all.bereaved_declined, 25);
	/* Two suppressed cells add up to a suppressed 7, not to 0 or 10. */
	ck_assert_int_eq(all.coroner_referrals.kind, DC_SUPPRESSED);
	ck_assert_str_eq(all.office, "ALL");
	ck_assert_str_eq(all.month, "2026-04");
}
END_TEST

START_TEST(all_row_pools_raw_durations_for_its_median)
{
	struct dc_raw_row	raw[2];
	struct dc_row		a, all;

	raw_row(&raw[0], "AAA", days_a, 4, 4, 1, 1);
	raw_row(&raw[1], "BBB", days_b, 4, 0, 9, 9);
	ck_assert_int_eq(dc_row_apply(&raw[0], &a), 0);
	ck_assert_int_eq(a.median_days_to_completion.kind, DC_SUPPRESSED);
	ck_assert_int_eq(dc_row_sum(raw, 2, "2026-04", &all), 0);
	/* 1 1 1 1 9 9 9 9: (1 + 9) / 2. */
	assert_number(all.median_days_to_completion, 50);
	assert_number(all.scrutiny_completed, 10);
	ck_assert_int_eq(all.completed_within_target.kind, DC_SUPPRESSED);
	ck_assert_int_eq(all.pct_completed_within_target.kind, DC_SUPPRESSED);
}
END_TEST

START_TEST(all_row_of_no_offices_is_zeros)
{
	struct dc_row	all;

	ck_assert_int_eq(dc_row_sum(NULL, 0, "2026-04", &all), 0);
	assert_number(all.deaths_notified, 0);
	ck_assert_int_eq(all.pct_completed_within_target.kind, DC_NULL);
}
END_TEST

START_TEST(impossible_raw_rows_are_refused)
{
	struct dc_raw_row	raw;
	struct dc_row		row;

	raw_row(&raw, "AAA", days_a, 10, 5, 1, 4);
	ck_assert_int_eq(dc_row_apply(&raw, &row), 0);

	raw.deaths_notified = -1;
	ck_assert_int_eq(dc_row_apply(&raw, &row), -1);
	ck_assert_int_eq(row.deaths_notified.kind, 0);
	raw.deaths_notified = DC_COUNT_MAX + 1;
	ck_assert_int_eq(dc_row_apply(&raw, &row), -1);
	raw.deaths_notified = 0;

	raw.completed_within_target = 11;
	ck_assert_int_eq(dc_row_apply(&raw, &row), -1);
	raw.completed_within_target = 5;

	raw.ndays = 9;
	ck_assert_int_eq(dc_row_apply(&raw, &row), -1);
	raw.ndays = 10;

	days_a[3] = -1;
	ck_assert_int_eq(dc_row_apply(&raw, &row), -1);
	days_a[3] = 1;

	raw.days_to_completion = NULL;
	ck_assert_int_eq(dc_row_apply(&raw, &row), -1);
}
END_TEST

START_TEST(bad_month_or_office_is_refused)
{
	struct dc_raw_row	raw;
	struct dc_row		row;

	ck_assert_int_eq(dc_raw_init(&raw, "2026-13", "AAA"), -1);
	ck_assert_int_eq(dc_raw_init(&raw, "2026-00", "AAA"), -1);
	ck_assert_int_eq(dc_raw_init(&raw, "2026-4", "AAA"), -1);
	ck_assert_int_eq(dc_raw_init(&raw, "202604", "AAA"), -1);
	ck_assert_int_eq(dc_raw_init(&raw, "2026-041", "AAA"), -1);
	ck_assert_int_eq(dc_raw_init(&raw, NULL, "AAA"), -1);
	ck_assert_int_eq(dc_raw_init(&raw, "2026-04", "A"), -1);
	ck_assert_int_eq(dc_raw_init(&raw, "2026-04", "aaa"), -1);
	ck_assert_int_eq(dc_raw_init(&raw, "2026-04", "1AA"), -1);
	ck_assert_int_eq(dc_raw_init(&raw, "2026-04", "A,B"), -1);
	ck_assert_int_eq(dc_raw_init(&raw, "2026-04", "=CMD"), -1);
	ck_assert_int_eq(dc_raw_init(&raw, "2026-04",
	    "ABCDEFGHIJKLMNOPQ"), -1);
	ck_assert_int_eq(dc_raw_init(&raw, "2026-04", NULL), -1);
	ck_assert_int_eq(dc_raw_init(&raw, "2026-12", "ABCDEFGHIJKLMNOP"), 0);
	ck_assert_int_eq(dc_raw_init(&raw, "2026-10", "A_1-B"), 0);

	/* A month written over the array without its NUL. */
	ck_assert_int_eq(dc_raw_init(&raw, "2026-04", "AAA"), 0);
	memset(raw.month, '1', sizeof(raw.month));
	ck_assert_int_eq(dc_row_apply(&raw, &row), -1);
}
END_TEST

START_TEST(csv_header_follows_the_api_column_order)
{
	struct sbuf		sb;
	struct csv_writer	cw;

	sbuf_init(&sb, 4096);
	csv_init(&cw, &sb);
	ck_assert_int_eq(dc_csv_header(&cw), 0);
	ck_assert_str_eq(sb.data, HEADER);
	sbuf_free(&sb);
}
END_TEST

START_TEST(csv_shows_star_and_leaves_null_empty)
{
	struct dc_raw_row	raw[3];
	struct dc_row		rows[4];
	struct sbuf		sb;

	worked_example(&raw[0]);
	raw_row(&raw[1], "SMALL", days_b, 7, 5, 1, 9);
	raw[1].deaths_notified = 20;
	ck_assert_int_eq(dc_raw_init(&raw[2], "2026-04", "QUIET"), 0);
	ck_assert_int_eq(dc_rows_build(raw, 3, "2026-04", 1, rows), 0);

	sbuf_init(&sb, 1 << 16);
	ck_assert_int_eq(dc_export_csv(&sb, rows, 4), 0);
	assert_same_text(sb.data, HEADER
	    "2026-04,GWYNEDD,410,400,300,75.0,2.0,*,0,0,0,10,15,0,0,0,0,0,0,"
	    "0,0,0,0,0\r\n"
	    "2026-04,QUIET,0,0,0,,,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0\r\n"
	    "2026-04,SMALL,20,*,*,*,*,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0\r\n"
	    "2026-04,ALL,430,405,305,75.3,2.0,*,0,0,0,10,15,0,0,0,0,0,0,"
	    "0,0,0,0,0\r\n");
	sbuf_free(&sb);
}
END_TEST

START_TEST(json_has_numbers_star_strings_and_nulls)
{
	struct dc_raw_row	raw[2];
	struct dc_row		rows[2];
	struct sbuf		sb;

	raw_row(&raw[0], "SMALL", days_a, 7, 5, 1, 9);
	raw[0].deaths_notified = 412;
	ck_assert_int_eq(dc_raw_init(&raw[1], "2026-04", "QUIET"), 0);
	ck_assert_int_eq(dc_rows_build(raw, 2, "2026-04", 0, rows), 0);

	sbuf_init(&sb, 1 << 16);
	ck_assert_int_eq(dc_export_json(&sb, "2026-04", rows, 2), 0);
	assert_same_text(sb.data, "{\"month\":\"2026-04\",\"rows\":["
	    "{\"month\":\"2026-04\",\"office\":\"QUIET\","
	    "\"deaths_notified\":0,\"scrutiny_completed\":0,"
	    "\"completed_within_target\":0,"
	    "\"pct_completed_within_target\":null,"
	    "\"median_days_to_completion\":null,"
	    "\"coroner_referrals\":0,\"coroner_investigating\":0,"
	    "\"coroner_not_investigating\":0,\"bereaved_reached\":0,"
	    "\"bereaved_declined\":0,\"bereaved_no_response\":0,"
	    "\"bereaved_no_contacts\":0,\"bereaved_other\":0,"
	    "\"concerns_raised\":0,"
	    "\"referrals_structured_judgement_review\":0,"
	    "\"referrals_patient_safety\":0,"
	    "\"referrals_learning_from_deaths\":0,\"referrals_pals\":0,"
	    "\"referrals_other\":0,\"urgent_release_requested\":0,"
	    "\"urgent_release_achieved\":0,\"leder_notifications\":0},"
	    "{\"month\":\"2026-04\",\"office\":\"SMALL\","
	    "\"deaths_notified\":410,\"scrutiny_completed\":\"*\","
	    "\"completed_within_target\":\"*\","
	    "\"pct_completed_within_target\":\"*\","
	    "\"median_days_to_completion\":\"*\","
	    "\"coroner_referrals\":0,\"coroner_investigating\":0,"
	    "\"coroner_not_investigating\":0,\"bereaved_reached\":0,"
	    "\"bereaved_declined\":0,\"bereaved_no_response\":0,"
	    "\"bereaved_no_contacts\":0,\"bereaved_other\":0,"
	    "\"concerns_raised\":0,"
	    "\"referrals_structured_judgement_review\":0,"
	    "\"referrals_patient_safety\":0,"
	    "\"referrals_learning_from_deaths\":0,\"referrals_pals\":0,"
	    "\"referrals_other\":0,\"urgent_release_requested\":0,"
	    "\"urgent_release_achieved\":0,\"leder_notifications\":0}]}");
	sbuf_free(&sb);
}
END_TEST

START_TEST(json_percent_and_median_are_numbers_with_one_decimal)
{
	struct dc_raw_row	raw;
	struct dc_row		row;
	struct sbuf		sb;

	worked_example(&raw);
	ck_assert_int_eq(dc_row_apply(&raw, &row), 0);
	sbuf_init(&sb, 1 << 16);
	ck_assert_int_eq(dc_export_json(&sb, "2026-04", &row, 1), 0);
	ck_assert_ptr_nonnull(strstr(sb.data,
	    "\"pct_completed_within_target\":75.0,"
	    "\"median_days_to_completion\":2.0,"
	    "\"coroner_referrals\":\"*\",\"coroner_investigating\":0,"));
	sbuf_free(&sb);
}
END_TEST

START_TEST(rows_are_sorted_by_code_with_all_last)
{
	struct dc_raw_row	raw[3];
	struct dc_row		rows[4];

	ck_assert_int_eq(dc_raw_init(&raw[0], "2026-04", "ZZ"), 0);
	ck_assert_int_eq(dc_raw_init(&raw[1], "2026-04", "AB_1"), 0);
	ck_assert_int_eq(dc_raw_init(&raw[2], "2026-04", "AB-1"), 0);
	ck_assert_int_eq(dc_rows_build(raw, 3, "2026-04", 1, rows), 0);
	ck_assert_str_eq(rows[0].office, "AB-1");
	ck_assert_str_eq(rows[1].office, "AB_1");
	ck_assert_str_eq(rows[2].office, "ZZ");
	ck_assert_str_eq(rows[3].office, "ALL");
}
END_TEST

START_TEST(duplicate_office_wrong_month_or_office_named_all_is_refused)
{
	struct dc_raw_row	raw[2];
	struct dc_row		rows[3];

	ck_assert_int_eq(dc_raw_init(&raw[0], "2026-04", "AA"), 0);
	ck_assert_int_eq(dc_raw_init(&raw[1], "2026-04", "AA"), 0);
	ck_assert_int_eq(dc_rows_build(raw, 2, "2026-04", 0, rows), -1);

	ck_assert_int_eq(dc_raw_init(&raw[1], "2026-05", "BB"), 0);
	ck_assert_int_eq(dc_rows_build(raw, 2, "2026-04", 0, rows), -1);
	ck_assert_int_eq(dc_row_sum(raw, 2, "2026-04", &rows[2]), -1);

	ck_assert_int_eq(dc_raw_init(&raw[1], "2026-04", "ALL"), 0);
	ck_assert_int_eq(dc_rows_build(raw, 2, "2026-04", 0, rows), 0);
	ck_assert_int_eq(dc_rows_build(raw, 2, "2026-04", 1, rows), -1);
}
END_TEST

START_TEST(row_with_an_unset_value_is_not_rendered)
{
	struct dc_row		row;
	struct sbuf		sb;
	struct csv_writer	cw;
	struct json_writer	jw;

	memset(&row, 0, sizeof(row));
	memcpy(row.month, "2026-04", 8);
	memcpy(row.office, "AA", 3);
	sbuf_init(&sb, 4096);
	ck_assert_int_eq(dc_export_csv(&sb, &row, 1), -1);
	ck_assert_int_eq(dc_export_json(&sb, "2026-04", &row, 1), -1);
	csv_init(&cw, &sb);
	ck_assert_int_eq(dc_csv_row(&cw, &row), -1);
	jw_init(&jw, &sb);
	ck_assert_int_eq(dc_json_row(&jw, &row), -1);
	ck_assert_str_eq(sb.data, "");
	sbuf_free(&sb);
}
END_TEST

START_TEST(identical_input_gives_identical_bytes_in_any_order)
{
	struct dc_raw_row	raw[3], rev[3];
	struct dc_row		r1[4], r2[4];
	struct sbuf		c1, c2, j1, j2;

	worked_example(&raw[0]);
	raw_row(&raw[1], "SMALL", days_b, 7, 5, 1, 9);
	ck_assert_int_eq(dc_raw_init(&raw[2], "2026-04", "QUIET"), 0);
	rev[0] = raw[2];
	rev[1] = raw[1];
	rev[2] = raw[0];
	ck_assert_int_eq(dc_rows_build(raw, 3, "2026-04", 1, r1), 0);
	ck_assert_int_eq(dc_rows_build(rev, 3, "2026-04", 1, r2), 0);

	sbuf_init(&c1, 1 << 16);
	sbuf_init(&c2, 1 << 16);
	sbuf_init(&j1, 1 << 16);
	sbuf_init(&j2, 1 << 16);
	ck_assert_int_eq(dc_export_csv(&c1, r1, 4), 0);
	ck_assert_int_eq(dc_export_csv(&c2, r2, 4), 0);
	ck_assert_int_eq(dc_export_json(&j1, "2026-04", r1, 4), 0);
	ck_assert_int_eq(dc_export_json(&j2, "2026-04", r2, 4), 0);
	ck_assert_uint_eq(c1.len, c2.len);
	ck_assert_int_eq(memcmp(c1.data, c2.data, c1.len), 0);
	ck_assert_uint_eq(j1.len, j2.len);
	ck_assert_int_eq(memcmp(j1.data, j2.data, j1.len), 0);
	sbuf_free(&c1);
	sbuf_free(&c2);
	sbuf_free(&j1);
	sbuf_free(&j2);
}
END_TEST

START_TEST(export_too_big_for_the_buffer_fails)
{
	struct dc_raw_row	raw;
	struct dc_row		row;
	struct sbuf		sb;

	worked_example(&raw);
	ck_assert_int_eq(dc_row_apply(&raw, &row), 0);
	sbuf_init(&sb, 100);
	ck_assert_int_eq(dc_export_csv(&sb, &row, 1), -1);
	ck_assert_int_eq(sb.oom, 1);
	sbuf_reset(&sb);
	ck_assert_int_eq(dc_export_json(&sb, "2026-04", &row, 1), -1);
	sbuf_free(&sb);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	s = suite_create("disclosure");
	tc = tcase_create("core");
	tcase_add_test(tc, count_of_zero_stays_zero);
	tcase_add_test(tc, counts_from_one_to_seven_are_suppressed);
	tcase_add_test(tc, counts_from_eight_round_to_the_nearest_five);
	tcase_add_test(tc, huge_and_negative_counts_do_not_overflow_or_publish);
	tcase_add_test(tc, percent_is_from_the_rounded_figures);
	tcase_add_test(tc, percent_rounds_half_up_to_one_decimal);
	tcase_add_test(tc, percent_is_exactly_half_up_for_every_small_pair);
	tcase_add_test(tc, percent_is_suppressed_when_either_figure_is);
	tcase_add_test(tc, percent_is_null_when_nothing_was_completed);
	tcase_add_test(tc, percent_never_passes_one_hundred);
	tcase_add_test(tc, median_of_nothing_is_null);
	tcase_add_test(tc, median_of_fewer_than_eight_is_suppressed);
	tcase_add_test(tc, median_of_an_even_count_averages_the_middle_two);
	tcase_add_test(tc, median_of_an_odd_count_is_the_middle_value);
	tcase_add_test(tc,
	    median_is_not_rounded_to_five_and_leaves_input_unsorted);
	tcase_add_test(tc, worked_example_publishes_the_domain_table);
	tcase_add_test(tc,
	    office_with_seven_completions_suppresses_count_percent_median);
	tcase_add_test(tc, thirteen_within_target_of_forty_two_publishes_37_5);
	tcase_add_test(tc,
	    office_with_nothing_completed_has_null_percent_and_median);
	tcase_add_test(tc, all_row_sums_raw_counts_before_rounding);
	tcase_add_test(tc, all_row_pools_raw_durations_for_its_median);
	tcase_add_test(tc, all_row_of_no_offices_is_zeros);
	tcase_add_test(tc, impossible_raw_rows_are_refused);
	tcase_add_test(tc, bad_month_or_office_is_refused);
	tcase_add_test(tc, csv_header_follows_the_api_column_order);
	tcase_add_test(tc, csv_shows_star_and_leaves_null_empty);
	tcase_add_test(tc, json_has_numbers_star_strings_and_nulls);
	tcase_add_test(tc,
	    json_percent_and_median_are_numbers_with_one_decimal);
	tcase_add_test(tc, rows_are_sorted_by_code_with_all_last);
	tcase_add_test(tc,
	    duplicate_office_wrong_month_or_office_named_all_is_refused);
	tcase_add_test(tc, row_with_an_unset_value_is_not_rendered);
	tcase_add_test(tc, identical_input_gives_identical_bytes_in_any_order);
	tcase_add_test(tc, export_too_big_for_the_buffer_fails);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
