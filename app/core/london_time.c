/*
 * Europe/London wall-clock time; see london_time.h.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "london_time.h"

static const char *const mon_abbr[] = { "Jan", "Feb", "Mar", "Apr", "May",
    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

static int
days_in_month(int y, int m)
{
	static const int	days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
				    31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return (29);
	return (days[m - 1]);
}

static time_t
utc_of(int y, int m, int d, int hh, int mm)
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

/* 01:00 UTC on the last Sunday of month m of year y. */
static time_t
last_sunday_0100(int y, int m)
{
	struct tm	tm;
	time_t		t;
	int		d;

	d = days_in_month(y, m);
	t = utc_of(y, m, d, 1, 0);
	gmtime_r(&t, &tm);
	return (t - (time_t)tm.tm_wday * 86400);
}

int
london_offset(time_t t)
{
	struct tm	tm;
	int		y;

	gmtime_r(&t, &tm);
	y = tm.tm_year + 1900;
	if (t >= last_sunday_0100(y, 3) && t < last_sunday_0100(y, 10))
		return (3600);
	return (0);
}

int
london_to_utc(int y, int m, int d, int hh, int mm, time_t *out)
{
	time_t	local;

	if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 ||
	    d > days_in_month(y, m) || hh < 0 || hh > 23 || mm < 0 ||
	    mm > 59)
		return (-1);
	local = utc_of(y, m, d, hh, mm);
	if (london_offset(local - 3600) == 3600)
		*out = local - 3600;
	else
		*out = local;
	return (0);
}

const char *
london_from_utc(time_t t, struct tm *tm)
{
	int	off;

	off = london_offset(t);
	t += off;
	gmtime_r(&t, tm);
	return (off != 0 ? "BST" : "GMT");
}

/* "+01:00", "-05:30" or "Z" at s: seconds east of UTC, or -1 bad. */
static int
rfc3339_offset(const char *s, long *off)
{
	int	h, m;

	if (strcmp(s, "Z") == 0 || strcmp(s, "z") == 0) {
		*off = 0;
		return (0);
	}
	if ((s[0] != '+' && s[0] != '-') || strlen(s) != 6 ||
	    sscanf(s + 1, "%2d:%2d", &h, &m) != 2 || h > 23 || m > 59)
		return (-1);
	*off = (long)(h * 3600 + m * 60) * (s[0] == '-' ? -1 : 1);
	return (0);
}

/*
 * n ASCII digits at s as a number, or -1: what sscanf's %4d would take
 * and more strictly (no sign, no spaces), and without its cost: about
 * 3 % of a worker's samples under the case page (a time per timeline
 * line; issue 21).
 */
static int
fixed_digits(const char *s, int n)
{
	int	v, i;

	v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (-1);
		v = v * 10 + (s[i] - '0');
	}
	return (v);
}

void
london_format(const char *s, char *buf, size_t len)
{
	struct tm	 tm;
	const char	*zone, *rest;
	time_t		 t;
	long		 off;
	int		 y, m, d, hh, mm, ss;

	if (s == NULL) {
		snprintf(buf, len, "-");
		return;
	}
	if (strnlen(s, 10) < 10 || (y = fixed_digits(s, 4)) == -1 ||
	    s[4] != '-' || (m = fixed_digits(s + 5, 2)) == -1 ||
	    s[7] != '-' || (d = fixed_digits(s + 8, 2)) == -1 ||
	    m < 1 || m > 12 || d < 1 || d > 31) {
		snprintf(buf, len, "%s", s);
		return;
	}
	if (s[10] == '\0') {
		snprintf(buf, len, "%d %s %d", d, mon_abbr[m - 1], y);
		return;
	}
	if ((s[10] != 'T' && s[10] != 't') || strnlen(s + 11, 8) < 8 ||
	    (hh = fixed_digits(s + 11, 2)) == -1 || s[13] != ':' ||
	    (mm = fixed_digits(s + 14, 2)) == -1 || s[16] != ':' ||
	    (ss = fixed_digits(s + 17, 2)) == -1) {
		snprintf(buf, len, "%s", s);
		return;
	}
	rest = s + 19;
	if (*rest == '.')
		rest += 1 + strspn(rest + 1, "0123456789");
	if (rfc3339_offset(rest, &off) != 0) {
		snprintf(buf, len, "%s", s);
		return;
	}
	t = utc_of(y, m, d, hh, mm) + ss - off;
	zone = london_from_utc(t, &tm);
	snprintf(buf, len, "%d %s %d %02d:%02d %s", tm.tm_mday,
	    mon_abbr[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
	    zone);
}
