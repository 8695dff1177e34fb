#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "deadline_words.h"

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

static const char *
words(time_t deadline, time_t now)
{
	static char	buf[64];

	deadline_words(deadline, now, buf, sizeof(buf));
	return (buf);
}

START_TEST(words_for_today_tomorrow_later_and_overdue)
{
	time_t	now = utc(2026, 1, 15, 10, 0);

	ck_assert_str_eq(words(utc(2026, 1, 15, 23, 0), now), "due today");
	ck_assert_str_eq(words(utc(2026, 1, 15, 9, 0), now), "due today");
	ck_assert_str_eq(words(utc(2026, 1, 16, 9, 0), now), "due tomorrow");
	ck_assert_str_eq(words(utc(2026, 1, 18, 9, 0), now), "due in 3 days");
	ck_assert_str_eq(words(utc(2026, 1, 14, 23, 0), now),
	    "1 day overdue");
	ck_assert_str_eq(words(utc(2026, 1, 13, 9, 0), now),
	    "2 days overdue");
}
END_TEST

/*
 * London dates, not UTC ones: in summer 23:30 UTC is already the next
 * day in London, and a deadline then is "tomorrow" seen at 22:00 UTC
 * (23:00 BST), though both are the same UTC date.
 */
START_TEST(days_are_london_days)
{
	ck_assert_str_eq(words(utc(2026, 7, 1, 23, 30), utc(2026, 7, 1, 22,
	    0)), "due tomorrow");
	ck_assert_str_eq(words(utc(2026, 7, 1, 22, 30), utc(2026, 7, 1, 23,
	    30)), "1 day overdue");
	/* In winter London is UTC. */
	ck_assert_str_eq(words(utc(2026, 1, 1, 23, 30), utc(2026, 1, 1, 22,
	    0)), "due today");
	/* Across the October change: 25 Oct 2026. */
	ck_assert_str_eq(words(utc(2026, 10, 26, 0, 30), utc(2026, 10, 25,
	    0, 30)), "due tomorrow");
}
END_TEST

START_TEST(api_times_are_read)
{
	char	buf[64];

	ck_assert_int_eq(deadline_words_str("2026-07-03T12:00:00Z",
	    utc(2026, 7, 1, 12, 0), buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "due in 2 days");
	ck_assert_int_eq(deadline_words_str(NULL, 0, buf, sizeof(buf)), -1);
	ck_assert_str_eq(buf, "-");
	ck_assert_int_eq(deadline_words_str("2026-07-03", 0, buf,
	    sizeof(buf)), -1);
	ck_assert_int_eq(deadline_words_str("2026-13-03T12:00:00Z", 0, buf,
	    sizeof(buf)), -1);
	ck_assert_int_eq(deadline_words_str("2026-07-03T12:00:00Zx", 0, buf,
	    sizeof(buf)), -1);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	s = suite_create("deadline_words");
	tc = tcase_create("core");
	tcase_add_test(tc, words_for_today_tomorrow_later_and_overdue);
	tcase_add_test(tc, days_are_london_days);
	tcase_add_test(tc, api_times_are_read);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
