#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "london_time.h"

static time_t
utc(int y, int m, int d, int hh, int mm)
{
	struct tm	tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	return (timegm(&tm));
}

START_TEST(summer_afternoon_is_an_hour_ahead_of_utc)
{
	time_t	t;

	ck_assert_int_eq(london_to_utc(2026, 7, 1, 14, 0, &t), 0);
	ck_assert(t == utc(2026, 7, 1, 13, 0));
	ck_assert_int_eq(london_to_utc(2026, 1, 15, 14, 0, &t), 0);
	ck_assert(t == utc(2026, 1, 15, 14, 0));
}
END_TEST

START_TEST(clocks_change_on_the_last_sundays_at_one_utc)
{
	time_t	t;

	/* 2026: 29 March and 25 October. */
	ck_assert_int_eq(london_offset(utc(2026, 3, 29, 0, 59)), 0);
	ck_assert_int_eq(london_offset(utc(2026, 3, 29, 1, 0)), 3600);
	ck_assert_int_eq(london_offset(utc(2026, 10, 25, 0, 59)), 3600);
	ck_assert_int_eq(london_offset(utc(2026, 10, 25, 1, 0)), 0);
	/* 2024: 31 March and 27 October. */
	ck_assert_int_eq(london_offset(utc(2024, 3, 31, 1, 0)), 3600);
	ck_assert_int_eq(london_offset(utc(2024, 3, 30, 12, 0)), 0);
	ck_assert_int_eq(london_offset(utc(2024, 10, 27, 0, 30)), 3600);
	/* Local 02:30 on the spring day is BST: 01:30Z. */
	ck_assert_int_eq(london_to_utc(2026, 3, 29, 2, 30, &t), 0);
	ck_assert(t == utc(2026, 3, 29, 1, 30));
	/* The skipped hour is read as GMT. */
	ck_assert_int_eq(london_to_utc(2026, 3, 29, 1, 30, &t), 0);
	ck_assert(t == utc(2026, 3, 29, 1, 30));
	/* The repeated hour is its first, BST. */
	ck_assert_int_eq(london_to_utc(2026, 10, 25, 1, 30, &t), 0);
	ck_assert(t == utc(2026, 10, 25, 0, 30));
	ck_assert_int_eq(london_to_utc(2026, 10, 25, 2, 30, &t), 0);
	ck_assert(t == utc(2026, 10, 25, 2, 30));
}
END_TEST

START_TEST(impossible_dates_and_times_are_refused)
{
	time_t	t = 42;

	ck_assert_int_eq(london_to_utc(2026, 2, 29, 12, 0, &t), -1);
	ck_assert_int_eq(london_to_utc(2024, 2, 29, 12, 0, &t), 0);
	ck_assert_int_eq(london_to_utc(2026, 13, 1, 12, 0, &t), -1);
	ck_assert_int_eq(london_to_utc(2026, 4, 31, 12, 0, &t), -1);
	ck_assert_int_eq(london_to_utc(2026, 4, 1, 24, 0, &t), -1);
	ck_assert_int_eq(london_to_utc(2026, 4, 1, 9, 60, &t), -1);
	ck_assert_int_eq(london_to_utc(2026, 0, 1, 9, 0, &t), -1);
}
END_TEST

START_TEST(times_are_shown_in_london_with_the_zone)
{
	char	buf[64];

	london_format("2026-07-01T13:00:00Z", buf, sizeof(buf));
	ck_assert_str_eq(buf, "1 Jul 2026 14:00 BST");
	london_format("2026-11-23T11:48:07Z", buf, sizeof(buf));
	ck_assert_str_eq(buf, "23 Nov 2026 11:48 GMT");
	london_format("2026-06-30T23:30:00Z", buf, sizeof(buf));
	ck_assert_str_eq(buf, "1 Jul 2026 00:30 BST");
	london_format("2026-07-01T15:00:00+02:00", buf, sizeof(buf));
	ck_assert_str_eq(buf, "1 Jul 2026 14:00 BST");
	london_format("2026-07-01T13:00:00.250Z", buf, sizeof(buf));
	ck_assert_str_eq(buf, "1 Jul 2026 14:00 BST");
	london_format("2026-07-01", buf, sizeof(buf));
	ck_assert_str_eq(buf, "1 Jul 2026");
	london_format(NULL, buf, sizeof(buf));
	ck_assert_str_eq(buf, "-");
	london_format("soon", buf, sizeof(buf));
	ck_assert_str_eq(buf, "soon");
	london_format("2026-07-01T13:00:00+1", buf, sizeof(buf));
	ck_assert_str_eq(buf, "2026-07-01T13:00:00+1");
}
END_TEST

/* Anything but the exact digits is shown as it came, not half-read. */
START_TEST(loose_dates_and_times_are_shown_as_they_came)
{
	static const char *const loose[] = { "+202-07-01", " 2026-07-01",
	    "2026-7-01", "2026-07-1", "2026/07/01", "2026-13-01",
	    "2026-07-00", "2026-07-01T1:00:00Z", "2026-07-01T13:00",
	    "2026-07-01T13:00:0", "2026-07-01T13-00-00Z", "2026-07-01x",
	    "2026-07-01T+1:00:00Z", "202", "" };
	char		 buf[64];
	size_t		 i;

	for (i = 0; i < sizeof(loose) / sizeof(loose[0]); i++) {
		london_format(loose[i], buf, sizeof(buf));
		ck_assert_str_eq(buf, loose[i]);
	}
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	s = suite_create("london_time");
	tc = tcase_create("core");
	tcase_add_test(tc, summer_afternoon_is_an_hour_ahead_of_utc);
	tcase_add_test(tc, clocks_change_on_the_last_sundays_at_one_utc);
	tcase_add_test(tc, impossible_dates_and_times_are_refused);
	tcase_add_test(tc, times_are_shown_in_london_with_the_zone);
	tcase_add_test(tc, loose_dates_and_times_are_shown_as_they_came);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
