#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "validate.h"

/* Parses a time the test knows to be good. */
static long long
ts(const char *s)
{
	long long	epoch;

	ck_assert_msg(validate_timestamp(s, &epoch) == 1, "bad time %s", s);
	return (epoch);
}

/* The London date of a time, as text. */
static const char *
london(const char *s)
{
	static char	buf[VDATE_STR_LEN];
	struct vdate	d;

	ck_assert_int_eq(london_date_of(ts(s), &d), 1);
	ck_assert_int_eq(vdate_format(&d, buf), 1);
	return (buf);
}

START_TEST(date_accepts_real_dates)
{
	struct vdate	d;

	ck_assert_int_eq(validate_date("2026-10-03", &d), 1);
	ck_assert_int_eq(d.year, 2026);
	ck_assert_int_eq(d.month, 10);
	ck_assert_int_eq(d.day, 3);
	ck_assert_int_eq(validate_date("2024-02-29", &d), 1);
	ck_assert_int_eq(validate_date("2000-02-29", &d), 1);
	ck_assert_int_eq(validate_date("1850-01-01", &d), 1);
	ck_assert_int_eq(validate_date("9999-12-31", &d), 1);
	ck_assert_int_eq(validate_date("2025-12-31", &d), 1);
}
END_TEST

START_TEST(date_refuses_impossible_days)
{
	struct vdate	d;

	ck_assert_int_eq(validate_date("2025-02-29", &d), 0);
	ck_assert_int_eq(validate_date("1900-02-29", &d), 0);
	ck_assert_int_eq(validate_date("2024-02-30", &d), 0);
	ck_assert_int_eq(validate_date("2025-04-31", &d), 0);
	ck_assert_int_eq(validate_date("2025-13-01", &d), 0);
	ck_assert_int_eq(validate_date("2025-00-10", &d), 0);
	ck_assert_int_eq(validate_date("2025-01-00", &d), 0);
	ck_assert_int_eq(validate_date("2025-01-32", &d), 0);
}
END_TEST

START_TEST(date_refuses_other_shapes_and_years)
{
	struct vdate	d;

	ck_assert_int_eq(validate_date("2025-1-01", &d), 0);
	ck_assert_int_eq(validate_date("25-01-01", &d), 0);
	ck_assert_int_eq(validate_date("2025/01/01", &d), 0);
	ck_assert_int_eq(validate_date("2025-01-01T00:00:00Z", &d), 0);
	ck_assert_int_eq(validate_date(" 2025-01-01", &d), 0);
	ck_assert_int_eq(validate_date("2025-01-0a", &d), 0);
	ck_assert_int_eq(validate_date("+025-01-01", &d), 0);
	ck_assert_int_eq(validate_date("", &d), 0);
	ck_assert_int_eq(validate_date(NULL, &d), 0);
	ck_assert_int_eq(validate_date("1849-12-31", &d), 0);
	ck_assert_int_eq(validate_date("0000-01-01", &d), 0);
}
END_TEST

START_TEST(timestamp_gives_epoch_seconds)
{
	ck_assert_int_eq(ts("1970-01-01T00:00:00Z"), 0);
	ck_assert_int_eq(ts("2026-10-03T14:05:00Z"), 1791036300LL);
	ck_assert_int_eq(ts("2026-10-03T15:05:00+01:00"), 1791036300LL);
	ck_assert_int_eq(ts("2026-10-03T09:35:00-04:30"), 1791036300LL);
	ck_assert_int_eq(ts("2026-10-03T14:05:00.123456789Z"), 1791036300LL);
	ck_assert_int_eq(ts("2026-10-03t14:05:00z"), 1791036300LL);
	ck_assert_int_eq(ts("2024-02-29T23:59:59Z"), 1709251199LL);
	ck_assert_int_eq(ts("1850-01-01T00:00:00Z"), -3786825600LL);
	ck_assert_int_eq(ts("2000-03-01T00:00:00-00:00"), 951868800LL);
}
END_TEST

START_TEST(timestamp_refuses_missing_offset_and_bad_fields)
{
	long long	e;

	ck_assert_int_eq(validate_timestamp("2026-10-03T14:05:00", &e), 0);
	ck_assert_int_eq(validate_timestamp("2026-10-03 14:05:00Z", &e), 0);
	ck_assert_int_eq(validate_timestamp("2026-10-03T14:05Z", &e), 0);
	ck_assert_int_eq(validate_timestamp("2026-10-03", &e), 0);
	ck_assert_int_eq(validate_timestamp("2026-10-03T24:00:00Z", &e), 0);
	ck_assert_int_eq(validate_timestamp("2026-10-03T14:60:00Z", &e), 0);
	ck_assert_int_eq(validate_timestamp("2026-10-03T14:05:60Z", &e), 0);
	ck_assert_int_eq(validate_timestamp("2025-02-29T14:05:00Z", &e), 0);
	ck_assert_int_eq(validate_timestamp("2026-10-03T14:05:00.Z", &e), 0);
	ck_assert_int_eq(validate_timestamp(
	    "2026-10-03T14:05:00.1234567890Z", &e), 0);
	ck_assert_int_eq(validate_timestamp("2026-10-03T14:05:00+1:00", &e),
	    0);
	ck_assert_int_eq(validate_timestamp("2026-10-03T14:05:00+0100", &e),
	    0);
	ck_assert_int_eq(validate_timestamp("2026-10-03T14:05:00+24:00", &e),
	    0);
	ck_assert_int_eq(validate_timestamp("2026-10-03T14:05:00+01:60", &e),
	    0);
	ck_assert_int_eq(validate_timestamp("2026-10-03T14:05:00Zjunk", &e),
	    0);
	ck_assert_int_eq(validate_timestamp("2026-10-03T14:05:00+01:00 ", &e),
	    0);
	ck_assert_int_eq(validate_timestamp("", &e), 0);
	ck_assert_int_eq(validate_timestamp(NULL, &e), 0);
}
END_TEST

START_TEST(london_date_follows_british_summer_time)
{
	/* DOMAIN.md section 7 and the brief's own examples. */
	ck_assert_str_eq(london("2025-03-30T23:30:00Z"), "2025-03-31");
	ck_assert_str_eq(london("2026-10-31T23:30:00Z"), "2026-10-31");
	ck_assert_str_eq(london("2026-04-01T00:30:00+01:00"), "2026-04-01");

	/* Winter: London is UTC. */
	ck_assert_str_eq(london("2026-01-15T23:59:59Z"), "2026-01-15");
	ck_assert_str_eq(london("2026-12-31T23:30:00Z"), "2026-12-31");

	/* Summer: an hour ahead. */
	ck_assert_str_eq(london("2026-07-01T23:00:00Z"), "2026-07-02");
	ck_assert_str_eq(london("2026-07-01T22:59:59Z"), "2026-07-01");
}
END_TEST

START_TEST(london_date_switches_at_0100_utc_on_last_sunday)
{
	/* 2025: BST from Sunday 30 March to Sunday 26 October. */
	ck_assert_str_eq(london("2025-03-30T00:59:59Z"), "2025-03-30");
	ck_assert_str_eq(london("2025-03-29T23:30:00Z"), "2025-03-29");
	ck_assert_str_eq(london("2025-10-25T23:30:00Z"), "2025-10-26");
	ck_assert_str_eq(london("2025-10-26T23:30:00Z"), "2025-10-26");

	/* 2026: BST from Sunday 29 March to Sunday 25 October. */
	ck_assert_str_eq(london("2026-03-28T23:30:00Z"), "2026-03-28");
	ck_assert_str_eq(london("2026-03-29T23:30:00Z"), "2026-03-30");
	ck_assert_str_eq(london("2026-10-24T23:30:00Z"), "2026-10-25");
	ck_assert_str_eq(london("2026-10-25T23:30:00Z"), "2026-10-25");

	/* A year whose 31 March is itself a Sunday (2024). */
	ck_assert_str_eq(london("2024-03-31T00:59:59Z"), "2024-03-31");
	ck_assert_str_eq(london("2024-03-31T23:00:00Z"), "2024-04-01");
	ck_assert_str_eq(london("2024-03-30T23:00:00Z"), "2024-03-30");
}
END_TEST

START_TEST(london_date_refuses_instants_out_of_range)
{
	struct vdate	d;

	ck_assert_int_eq(london_date_of(-62135596801LL, &d), 0);
	ck_assert_int_eq(london_date_of(253402300800LL, &d), 0);
	ck_assert_int_eq(london_date_of(-1, &d), 1);
	ck_assert_int_eq(d.year, 1969);
	ck_assert_int_eq(d.month, 12);
	ck_assert_int_eq(d.day, 31);
	ck_assert_int_eq(vdate_today_london((time_t)0, &d), 1);
	ck_assert_int_eq(d.year, 1970);
}
END_TEST

START_TEST(days_between_counts_calendar_days)
{
	struct vdate	a, b;

	ck_assert_int_eq(validate_date("2026-10-03", &a), 1);
	ck_assert_int_eq(validate_date("2026-10-06", &b), 1);
	ck_assert_int_eq(vdate_days_between(&a, &b), 3);
	ck_assert_int_eq(vdate_days_between(&b, &a), -3);
	ck_assert_int_eq(vdate_days_between(&a, &a), 0);

	/* A clock-change day is one day. */
	ck_assert_int_eq(validate_date("2025-03-29", &a), 1);
	ck_assert_int_eq(validate_date("2025-03-31", &b), 1);
	ck_assert_int_eq(vdate_days_between(&a, &b), 2);

	/* Across a leap day and a year end. */
	ck_assert_int_eq(validate_date("2024-02-28", &a), 1);
	ck_assert_int_eq(validate_date("2024-03-01", &b), 1);
	ck_assert_int_eq(vdate_days_between(&a, &b), 2);
	ck_assert_int_eq(validate_date("2025-12-30", &a), 1);
	ck_assert_int_eq(validate_date("2026-01-02", &b), 1);
	ck_assert_int_eq(vdate_days_between(&a, &b), 3);
	ck_assert_int_eq(validate_date("1850-01-01", &a), 1);
	ck_assert_int_eq(validate_date("9999-12-31", &b), 1);
	ck_assert_int_eq(vdate_days_between(&a, &b), 2976725);
}
END_TEST

START_TEST(dates_compare_and_format)
{
	struct vdate	a, b;
	char		buf[VDATE_STR_LEN];

	ck_assert_int_eq(validate_date("2026-10-03", &a), 1);
	ck_assert_int_eq(validate_date("2026-10-04", &b), 1);
	ck_assert_int_lt(vdate_cmp(&a, &b), 0);
	ck_assert_int_gt(vdate_cmp(&b, &a), 0);
	ck_assert_int_eq(vdate_cmp(&a, &a), 0);
	ck_assert_int_eq(vdate_format(&a, buf), 1);
	ck_assert_str_eq(buf, "2026-10-03");
	a.month = 13;
	ck_assert_int_eq(vdate_format(&a, buf), 0);
	ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(gmc_is_seven_digits)
{
	ck_assert_int_eq(validate_gmc("1234567"), 1);
	ck_assert_int_eq(validate_gmc("0000001"), 1);
	ck_assert_int_eq(validate_gmc("123456"), 0);
	ck_assert_int_eq(validate_gmc("12345678"), 0);
	ck_assert_int_eq(validate_gmc("123456a"), 0);
	ck_assert_int_eq(validate_gmc(" 1234567"), 0);
	ck_assert_int_eq(validate_gmc(""), 0);
	ck_assert_int_eq(validate_gmc(NULL), 0);
}
END_TEST

START_TEST(username_rules_and_folding)
{
	char	name[] = "Dr.Jones_2-A";
	char	longest[USERNAME_MAX + 2];

	ck_assert_int_eq(validate_username("abc"), 1);
	ck_assert_int_eq(validate_username("j.smith_2-x"), 1);
	ck_assert_int_eq(validate_username(name), 1);
	username_lower(name);
	ck_assert_str_eq(name, "dr.jones_2-a");

	ck_assert_int_eq(validate_username("ab"), 0);
	ck_assert_int_eq(validate_username("a b"), 0);
	ck_assert_int_eq(validate_username("a@b.c"), 0);
	ck_assert_int_eq(validate_username("j\xc3\xb6rg"), 0);
	ck_assert_int_eq(validate_username(""), 0);
	ck_assert_int_eq(validate_username(NULL), 0);

	memset(longest, 'a', USERNAME_MAX);
	longest[USERNAME_MAX] = '\0';
	ck_assert_int_eq(validate_username(longest), 1);
	longest[USERNAME_MAX] = 'a';
	longest[USERNAME_MAX + 1] = '\0';
	ck_assert_int_eq(validate_username(longest), 0);
}
END_TEST

START_TEST(email_needs_one_at_with_text_either_side)
{
	ck_assert_int_eq(validate_email("a.b@example.nhs.uk"), 1);
	ck_assert_int_eq(validate_email("x@y"), 1);
	ck_assert_int_eq(validate_email(NULL), 0);
	ck_assert_int_eq(validate_email(""), 0);
	ck_assert_int_eq(validate_email("example.nhs.uk"), 0);
	ck_assert_int_eq(validate_email("@example.nhs.uk"), 0);
	ck_assert_int_eq(validate_email("a@"), 0);
	ck_assert_int_eq(validate_email("a@b@c"), 0);
	ck_assert_int_eq(validate_email("a b@c"), 0);
	ck_assert_int_eq(validate_email("a@b\tc"), 0);
	ck_assert_int_eq(validate_email("a@b\nc"), 0);
}
END_TEST

START_TEST(office_code_rules)
{
	ck_assert_int_eq(validate_office_code("RX"), 1);
	ck_assert_int_eq(validate_office_code("LEEDS_1"), 1);
	ck_assert_int_eq(validate_office_code("A-2"), 1);
	ck_assert_int_eq(validate_office_code("ABCDEFGHIJKLMNOP"), 1);
	ck_assert_int_eq(validate_office_code("ABCDEFGHIJKLMNOPQ"), 0);
	ck_assert_int_eq(validate_office_code("A"), 0);
	ck_assert_int_eq(validate_office_code("1AB"), 0);
	ck_assert_int_eq(validate_office_code("_AB"), 0);
	ck_assert_int_eq(validate_office_code("leeds"), 0);
	ck_assert_int_eq(validate_office_code("AB C"), 0);
	ck_assert_int_eq(validate_office_code("ALL."), 0);
	ck_assert_int_eq(validate_office_code(NULL), 0);
}
END_TEST

START_TEST(enum_gives_index_or_minus_one)
{
	static const char *const	sexes[] = {
		"female", "male", "indeterminate", "unknown", NULL
	};

	ck_assert_int_eq(validate_enum("female", sexes), 0);
	ck_assert_int_eq(validate_enum("unknown", sexes), 3);
	ck_assert_int_eq(validate_enum("Female", sexes), -1);
	ck_assert_int_eq(validate_enum("", sexes), -1);
	ck_assert_int_eq(validate_enum(NULL, sexes), -1);
}
END_TEST

START_TEST(text_accepts_welsh_diacritics_apostrophes_hyphens)
{
	char	*out;

	ck_assert_int_eq(validate_text("Gw\xc5\xb5" "ad ap Rhys", 100, 0, &out),
	    TEXT_OK);
	ck_assert_str_eq(out, "Gw\xc5\xb5" "ad ap Rhys");
	free(out);
	ck_assert_int_eq(validate_text("D\xc5\xb7" "fed", 100, 0, &out),
	    TEXT_OK);
	free(out);
	ck_assert_int_eq(validate_text("O'Brien-Sm\xc3\xb8rgrav Ren\xc3\xa9"
	    "e", 100, 0, &out), TEXT_OK);
	free(out);
	/* A typographic apostrophe, and a name in Greek script. */
	ck_assert_int_eq(validate_text("O\xe2\x80\x99Neill", 100, 0, &out),
	    TEXT_OK);
	free(out);
	ck_assert_int_eq(validate_text("\xce\x9d\xce\xaf\xce\xba\xce\xbf\xcf"
	    "\x82", 100, 0, &out), TEXT_OK);
	free(out);
}
END_TEST

START_TEST(text_is_normalised_to_nfc)
{
	char	*out;

	/* w + combining circumflex (U+0302) becomes U+0175. */
	ck_assert_int_eq(validate_text("Gwe\xcc\x81n w\xcc\x82", 100, 0, &out),
	    TEXT_OK);
	ck_assert_str_eq(out, "Gw\xc3\xa9n \xc5\xb5");
	free(out);

	/* Length is counted after composition: two code points, not four. */
	ck_assert_int_eq(validate_text("e\xcc\x81" "e\xcc\x81", 2, 0, &out),
	    TEXT_OK);
	ck_assert_str_eq(out, "\xc3\xa9\xc3\xa9");
	free(out);
}
END_TEST

START_TEST(text_is_trimmed_and_refused_when_empty)
{
	char	*out;

	ck_assert_int_eq(validate_text("  Ann  ", 100, 0, &out), TEXT_OK);
	ck_assert_str_eq(out, "Ann");
	free(out);
	/* No-break spaces trim too. */
	ck_assert_int_eq(validate_text("\xc2\xa0" "Ann\xc2\xa0", 100, 0, &out),
	    TEXT_OK);
	ck_assert_str_eq(out, "Ann");
	free(out);

	out = (char *)1;
	ck_assert_int_eq(validate_text("", 100, 0, &out), TEXT_EMPTY);
	ck_assert_ptr_null(out);
	ck_assert_int_eq(validate_text("   ", 100, 0, &out), TEXT_EMPTY);
	ck_assert_int_eq(validate_text(" \n\t ", 100, 1, &out), TEXT_EMPTY);
	ck_assert_int_eq(validate_text(NULL, 100, 0, &out), TEXT_EMPTY);
	ck_assert_ptr_null(out);
	ck_assert_str_eq(validate_text_error_str(TEXT_EMPTY),
	    "may not be empty");
}
END_TEST

START_TEST(text_refuses_ill_formed_utf8)
{
	char	*out;

	/* Overlong "/", a lone continuation byte, a truncated sequence. */
	ck_assert_int_eq(validate_text("a\xc0\xaf", 100, 0, &out),
	    TEXT_BAD_UTF8);
	ck_assert_int_eq(validate_text("a\x80", 100, 0, &out), TEXT_BAD_UTF8);
	ck_assert_int_eq(validate_text("a\xc3", 100, 0, &out), TEXT_BAD_UTF8);
	/* An overlong NUL, a surrogate, and past U+10FFFF. */
	ck_assert_int_eq(validate_text("a\xc0\x80", 100, 0, &out),
	    TEXT_BAD_UTF8);
	ck_assert_int_eq(validate_text("a\xed\xa0\x80", 100, 0, &out),
	    TEXT_BAD_UTF8);
	ck_assert_int_eq(validate_text("a\xf4\x90\x80\x80", 100, 0, &out),
	    TEXT_BAD_UTF8);
	ck_assert_int_eq(validate_text("\xff", 100, 0, &out), TEXT_BAD_UTF8);
	ck_assert_ptr_null(out);
}
END_TEST

START_TEST(text_refuses_control_characters)
{
	char	*out;

	ck_assert_int_eq(validate_text("Ann\nSmith", 100, 0, &out),
	    TEXT_CONTROL);
	ck_assert_int_eq(validate_text("Ann\tSmith", 100, 0, &out),
	    TEXT_CONTROL);
	ck_assert_int_eq(validate_text("Ann\rSmith", 100, 1, &out),
	    TEXT_CONTROL);
	ck_assert_int_eq(validate_text("Ann\x1bSmith", 100, 1, &out),
	    TEXT_CONTROL);
	ck_assert_int_eq(validate_text("Ann\x7f", 100, 1, &out),
	    TEXT_CONTROL);
	/* C1 control U+0085, and a right-to-left override U+202E. */
	ck_assert_int_eq(validate_text("Ann\xc2\x85", 100, 1, &out),
	    TEXT_CONTROL);
	ck_assert_int_eq(validate_text("Ann\xe2\x80\xae" "htims", 100, 0,
	    &out), TEXT_CONTROL);
	/* U+2028, a line separator. */
	ck_assert_int_eq(validate_text("Ann\xe2\x80\xa8", 100, 1, &out),
	    TEXT_CONTROL);
	ck_assert_ptr_null(out);
	ck_assert_str_eq(validate_text_error_str(TEXT_CONTROL),
	    "may not contain control characters");
}
END_TEST

START_TEST(multiline_text_keeps_lines_and_folds_crlf)
{
	char	*out;

	ck_assert_int_eq(validate_text("line one\n\tline two", 100, 1, &out),
	    TEXT_OK);
	ck_assert_str_eq(out, "line one\n\tline two");
	free(out);
	ck_assert_int_eq(validate_text("one\r\ntwo\r\n", 100, 1, &out),
	    TEXT_OK);
	ck_assert_str_eq(out, "one\ntwo");
	free(out);
}
END_TEST

START_TEST(text_refuses_more_code_points_than_allowed)
{
	char	*out;

	ck_assert_int_eq(validate_text("abcde", 5, 0, &out), TEXT_OK);
	free(out);
	ck_assert_int_eq(validate_text("abcdef", 5, 0, &out), TEXT_TOO_LONG);
	ck_assert_ptr_null(out);
	/* Code points, not bytes: five two-byte letters fit in five. */
	ck_assert_int_eq(validate_text("\xc5\xb5\xc5\xb5\xc5\xb5\xc5\xb5\xc5"
	    "\xb5", 5, 0, &out), TEXT_OK);
	free(out);
	/* Trimmed white space does not count. */
	ck_assert_int_eq(validate_text("  abcde  ", 5, 0, &out), TEXT_OK);
	free(out);
	/* The CR of CR LF is not stored, so it does not count. */
	ck_assert_int_eq(validate_text("ab\r\ncd", 5, 1, &out), TEXT_OK);
	free(out);
	ck_assert_str_eq(validate_text_error_str(TEXT_TOO_LONG), "is too long");
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	s = suite_create("validate");
	tc = tcase_create("core");
	tcase_add_test(tc, date_accepts_real_dates);
	tcase_add_test(tc, date_refuses_impossible_days);
	tcase_add_test(tc, date_refuses_other_shapes_and_years);
	tcase_add_test(tc, timestamp_gives_epoch_seconds);
	tcase_add_test(tc, timestamp_refuses_missing_offset_and_bad_fields);
	tcase_add_test(tc, london_date_follows_british_summer_time);
	tcase_add_test(tc, london_date_switches_at_0100_utc_on_last_sunday);
	tcase_add_test(tc, london_date_refuses_instants_out_of_range);
	tcase_add_test(tc, days_between_counts_calendar_days);
	tcase_add_test(tc, dates_compare_and_format);
	tcase_add_test(tc, gmc_is_seven_digits);
	tcase_add_test(tc, username_rules_and_folding);
	tcase_add_test(tc, office_code_rules);
	tcase_add_test(tc, enum_gives_index_or_minus_one);
	tcase_add_test(tc, text_accepts_welsh_diacritics_apostrophes_hyphens);
	tcase_add_test(tc, text_is_normalised_to_nfc);
	tcase_add_test(tc, text_is_trimmed_and_refused_when_empty);
	tcase_add_test(tc, text_refuses_ill_formed_utf8);
	tcase_add_test(tc, text_refuses_control_characters);
	tcase_add_test(tc, multiline_text_keeps_lines_and_folds_crlf);
	tcase_add_test(tc, text_refuses_more_code_points_than_allowed);
	tcase_add_test(tc, email_needs_one_at_with_text_either_side);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
