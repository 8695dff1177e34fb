#include <stdio.h>
#include <string.h>
#include <time.h>

#include "deadline_words.h"
#include "london_time.h"

/* Days since 1970-01-01 of t's London calendar date. */
static long
london_day(time_t t)
{
	time_t	local;

	local = t + london_offset(t);
	if (local >= 0)
		return ((long)(local / 86400));
	return ((long)((local - 86399) / 86400));
}

long
deadline_days(time_t deadline, time_t now)
{
	return (london_day(deadline) - london_day(now));
}

void
deadline_words(time_t deadline, time_t now, char *buf, size_t len)
{
	long	d;

	d = deadline_days(deadline, now);
	if (d == 0)
		snprintf(buf, len, "due today");
	else if (d == 1)
		snprintf(buf, len, "due tomorrow");
	else if (d > 1)
		snprintf(buf, len, "due in %ld days", d);
	else if (d == -1)
		snprintf(buf, len, "1 day overdue");
	else
		snprintf(buf, len, "%ld days overdue", -d);
}

int
deadline_words_str(const char *s, time_t now, char *buf, size_t len)
{
	struct tm	tm;
	int		y, mo, d, h, mi, se, n;

	n = 0;
	if (s == NULL || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d,
	    &h, &mi, &se, &n) != 6 || n == 0 || s[n] != '\0' ||
	    mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    se > 60 || y < 1970) {
		snprintf(buf, len, "-");
		return (-1);
	}
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	deadline_words(timegm(&tm), now, buf, len);
	return (0);
}
