/*
 * Validation of data items and the London calendar.  See validate.h.
 *
 * Dates are turned into day numbers (days since 1970-01-01) with Howard
 * Hinnant's days_from_civil and back with civil_from_days: plain integer
 * arithmetic, so that no answer depends on the process's TZ, locale or
 * the range of time_t, and timegm() is not needed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "validate.h"

#define SECS_PER_DAY		86400LL
#define SECS_PER_HOUR		3600LL

/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z. */
#define EPOCH_MIN		(-62135596800LL)
#define EPOCH_MAX		253402300799LL

#define FRACTION_DIGITS_MAX	9

static int		 is_digit(char);
static int		 digits(const char *, int, int *);
static int		 is_leap(long long);
static int		 days_in_month(long long, int);
static int		 date_parts(const char *, struct vdate *);
static long long	 floor_div(long long, long long);
static long long	 days_from_civil(long long, int, int);
static void		 civil_from_days(long long, struct vdate *);
static long long	 last_sunday_0100_utc(long long, int);
static int		 refused_code_point(ucs4_t, int);

int
validate_date(const char *s, struct vdate *out)
{
	struct vdate	d;

	if (s == NULL || strlen(s) != 10)
		return (0);
	if (!date_parts(s, &d))
		return (0);

	*out = d;
	return (1);
}

int
validate_timestamp(const char *s, long long *epoch_out)
{
	struct vdate	d;
	const char	*p;
	int		hour, min, sec, oh, om, sign, n;
	long long	epoch;

	if (s == NULL || strlen(s) < 20)
		return (0);

	/*
	 * RFC 3339 allows lower case t and z; it also lets applications
	 * use a space for the T, which we do not, so that one spelling of
	 * a time is the one our own answers use.
	 */
	if (!date_parts(s, &d))
		return (0);
	if (s[10] != 'T' && s[10] != 't')
		return (0);
	if (!digits(s + 11, 2, &hour) || s[13] != ':' ||
	    !digits(s + 14, 2, &min) || s[16] != ':' ||
	    !digits(s + 17, 2, &sec))
		return (0);

	/*
	 * A leap second (:60) is refused: nobody records a death or a
	 * phone call at one, and accepting it would need a table.
	 */
	if (hour > 23 || min > 59 || sec > 59)
		return (0);

	p = s + 19;
	if (*p == '.') {
		p++;
		for (n = 0; is_digit(p[n]); n++)
			;
		if (n < 1 || n > FRACTION_DIGITS_MAX)
			return (0);
		p += n;
	}

	if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
		sign = 0;
		oh = 0;
		om = 0;
	} else if (*p == '+' || *p == '-') {
		sign = (*p == '+') ? 1 : -1;
		if (strlen(p) != 6 || !digits(p + 1, 2, &oh) || p[3] != ':' ||
		    !digits(p + 4, 2, &om))
			return (0);
		if (oh > 23 || om > 59)
			return (0);
	} else {
		return (0);
	}

	/* Local time minus its offset is UTC. */
	epoch = days_from_civil(d.year, d.month, d.day) * SECS_PER_DAY +
	    hour * SECS_PER_HOUR + min * 60LL + sec;
	epoch -= sign * (oh * SECS_PER_HOUR + om * 60LL);

	*epoch_out = epoch;
	return (1);
}

/*
 * Europe/London is UTC, or UTC+1 (BST) from 01:00 UTC on the last
 * Sunday of March to 01:00 UTC on the last Sunday of October.  That is
 * the rule since 1996 and it is applied to every year: older instants
 * may be an hour off, which cannot matter for the times medex records
 * (notifications, contacts, decisions), all of them recent.
 *
 * The year of the switch is taken from the UTC date; near New Year
 * London is on UTC, so the two never disagree where it counts.
 */
int
london_date_of(long long epoch, struct vdate *out)
{
	struct vdate	utc;
	long long	local;

	if (epoch < EPOCH_MIN || epoch > EPOCH_MAX)
		return (0);

	civil_from_days(floor_div(epoch, SECS_PER_DAY), &utc);

	local = epoch;
	if (epoch >= last_sunday_0100_utc(utc.year, 3) &&
	    epoch < last_sunday_0100_utc(utc.year, 10))
		local += SECS_PER_HOUR;

	civil_from_days(floor_div(local, SECS_PER_DAY), out);
	return (1);
}

int
vdate_today_london(time_t now, struct vdate *out)
{
	return (london_date_of((long long)now, out));
}

long long
vdate_days_between(const struct vdate *a, const struct vdate *b)
{
	return (days_from_civil(b->year, b->month, b->day) -
	    days_from_civil(a->year, a->month, a->day));
}

int
vdate_cmp(const struct vdate *a, const struct vdate *b)
{
	if (a->year != b->year)
		return (a->year < b->year ? -1 : 1);
	if (a->month != b->month)
		return (a->month < b->month ? -1 : 1);
	if (a->day != b->day)
		return (a->day < b->day ? -1 : 1);

	return (0);
}

int
vdate_format(const struct vdate *d, char out[VDATE_STR_LEN])
{
	out[0] = '\0';

	if (d->year < 0 || d->year > 9999 || d->month < 1 || d->month > 12 ||
	    d->day < 1 || d->day > 31)
		return (0);

	out[0] = (char)('0' + d->year / 1000);
	out[1] = (char)('0' + d->year / 100 % 10);
	out[2] = (char)('0' + d->year / 10 % 10);
	out[3] = (char)('0' + d->year % 10);
	out[4] = '-';
	out[5] = (char)('0' + d->month / 10);
	out[6] = (char)('0' + d->month % 10);
	out[7] = '-';
	out[8] = (char)('0' + d->day / 10);
	out[9] = (char)('0' + d->day % 10);
	out[10] = '\0';

	return (1);
}

int
validate_gmc(const char *s)
{
	int		i;

	if (s == NULL || strlen(s) != GMC_NUMBER_LEN)
		return (0);

	for (i = 0; i < GMC_NUMBER_LEN; i++) {
		if (!is_digit(s[i]))
			return (0);
	}

	return (1);
}

int
validate_username(const char *s)
{
	size_t		i, len;
	char		c;

	if (s == NULL)
		return (0);

	len = strlen(s);
	if (len < USERNAME_MIN || len > USERNAME_MAX)
		return (0);

	for (i = 0; i < len; i++) {
		c = s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    is_digit(c) || c == '.' || c == '_' || c == '-')
			continue;
		return (0);
	}

	return (1);
}

void
username_lower(char *s)
{
	/* By hand, not tolower(): the locale must not change a username. */
	for (; *s != '\0'; s++) {
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
	}
}

int
validate_office_code(const char *s)
{
	size_t		i, len;
	char		c;

	if (s == NULL)
		return (0);

	len = strlen(s);
	if (len < OFFICE_CODE_MIN || len > OFFICE_CODE_MAX)
		return (0);
	if (s[0] < 'A' || s[0] > 'Z')
		return (0);

	for (i = 1; i < len; i++) {
		c = s[i];
		if ((c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' ||
		    c == '-')
			continue;
		return (0);
	}

	return (1);
}

int
validate_email(const char *s)
{
	const char	*at;
	size_t		 i, len;

	if (s == NULL)
		return (0);
	len = strlen(s);
	if (len < 3 || len > 254)
		return (0);
	if ((at = strchr(s, '@')) == NULL || at == s || at[1] == '\0' ||
	    strchr(at + 1, '@') != NULL)
		return (0);
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
			return (0);
	return (1);
}

int
validate_enum(const char *s, const char *const *allowed)
{
	int		i;

	if (s == NULL || allowed == NULL)
		return (-1);

	for (i = 0; allowed[i] != NULL; i++) {
		if (strcmp(s, allowed[i]) == 0)
			return (i);
	}

	return (-1);
}

enum text_result
validate_text(const char *s, size_t max_codepoints, int multiline,
    char **nfc_out)
{
	enum text_result	 res;
	const uint8_t		*in;
	uint8_t			*norm;
	char			*copy;
	size_t			 len, normlen, i, start, end, count, j;
	ucs4_t			 uc;
	int			 ulen;

	*nfc_out = NULL;
	norm = NULL;
	copy = NULL;

	if (s == NULL) {
		res = TEXT_EMPTY;
		goto cleanup;
	}

	in = (const uint8_t *)s;
	len = strlen(s);

	if (u8_check(in, len) != NULL) {
		res = TEXT_BAD_UTF8;
		goto cleanup;
	}

	for (i = 0; i < len; i += (size_t)ulen) {
		ulen = u8_mbtouc(&uc, in + i, len - i);
		if (uc == '\r' && multiline && i + 1 < len && in[i + 1] == '\n')
			continue;
		if (refused_code_point(uc, multiline)) {
			res = TEXT_CONTROL;
			goto cleanup;
		}
	}

	if (len == 0) {
		res = TEXT_EMPTY;
		goto cleanup;
	}

	if ((norm = u8_normalize(UNINORM_NFC, in, len, NULL, &normlen)) ==
	    NULL) {
		res = TEXT_NOMEM;
		goto cleanup;
	}

	/*
	 * Trim on the normalised text, white space as Unicode defines it
	 * (no-break and ideographic spaces too), and count what is left
	 * without the CRs of CR LF, which are not stored.
	 */
	start = normlen;
	end = 0;
	count = 0;
	for (i = 0; i < normlen; i += (size_t)ulen) {
		ulen = u8_mbtouc(&uc, norm + i, normlen - i);
		if (uc_is_property_white_space(uc))
			continue;
		if (start == normlen)
			start = i;
		end = i + (size_t)ulen;
	}

	if (start == normlen) {
		res = TEXT_EMPTY;
		goto cleanup;
	}

	for (i = start; i < end; i += (size_t)ulen) {
		ulen = u8_mbtouc(&uc, norm + i, end - i);
		if (uc != '\r')
			count++;
	}

	if (count > max_codepoints) {
		res = TEXT_TOO_LONG;
		goto cleanup;
	}

	if ((copy = malloc(end - start + 1)) == NULL) {
		res = TEXT_NOMEM;
		goto cleanup;
	}

	/* A CR byte is never part of a longer UTF-8 sequence. */
	j = 0;
	for (i = start; i < end; i++) {
		if (norm[i] != '\r')
			copy[j++] = (char)norm[i];
	}
	copy[j] = '\0';

	*nfc_out = copy;
	copy = NULL;
	res = TEXT_OK;

cleanup:
	free(norm);
	free(copy);

	return (res);
}

const char *
validate_text_error_str(enum text_result res)
{
	switch (res) {
	case TEXT_OK:
		return ("is valid");
	case TEXT_EMPTY:
		return ("may not be empty");
	case TEXT_BAD_UTF8:
		return ("is not valid UTF-8");
	case TEXT_CONTROL:
		return ("may not contain control characters");
	case TEXT_TOO_LONG:
		return ("is too long");
	case TEXT_NOMEM:
		return ("could not be checked");
	}

	return ("is not valid text");
}

static int
is_digit(char c)
{
	return (c >= '0' && c <= '9');
}

/* Reads exactly n ASCII digits at s into *out; 1, or 0 if any is not. */
static int
digits(const char *s, int n, int *out)
{
	int		i, v;

	v = 0;
	for (i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return (0);
		v = v * 10 + (s[i] - '0');
	}

	*out = v;
	return (1);
}

static int
is_leap(long long y)
{
	return ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0);
}

static int
days_in_month(long long y, int m)
{
	static const int	days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && is_leap(y))
		return (29);

	return (days[m - 1]);
}

/* The YYYY-MM-DD at the start of s, with the year range checked. */
static int
date_parts(const char *s, struct vdate *out)
{
	int		y, m, d;

	if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &m) ||
	    s[7] != '-' || !digits(s + 8, 2, &d))
		return (0);

	if (y < VDATE_YEAR_MIN || y > VDATE_YEAR_MAX)
		return (0);
	if (m < 1 || m > 12)
		return (0);
	if (d < 1 || d > days_in_month(y, m))
		return (0);

	out->year = y;
	out->month = m;
	out->day = d;

	return (1);
}

/* Division rounding toward minus infinity, for instants before 1970. */
static long long
floor_div(long long a, long long b)
{
	long long	q;

	q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;

	return (q);
}

/*
 * Days since 1970-01-01 of a proleptic Gregorian date: the year is
 * counted from March, so the leap day falls at the end of it, and eras
 * of 400 years (146097 days) keep every division on non-negatives.
 */
static long long
days_from_civil(long long y, int m, int d)
{
	long long	era, yoe, doy, doe;

	if (m <= 2)
		y--;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return (era * 146097 + doe - 719468);
}

/* The inverse of days_from_civil(). */
static void
civil_from_days(long long z, struct vdate *out)
{
	long long	era, doe, yoe, y, doy, mp, d, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	if (m <= 2)
		y++;

	out->year = (int)y;
	out->month = (int)m;
	out->day = (int)d;
}

/* 01:00 UTC on the last Sunday of a 31-day month (March, October). */
static long long
last_sunday_0100_utc(long long year, int month)
{
	long long	last, weekday;

	last = days_from_civil(year, month, 31);

	/* Day 0, 1970-01-01, was a Thursday: 0 is Sunday, 4 Thursday. */
	weekday = last + 4 - floor_div(last + 4, 7) * 7;

	return ((last - weekday) * SECS_PER_DAY + SECS_PER_HOUR);
}

/*
 * Control characters (C0, DEL, C1) hide from the reader or break the
 * CSV, HTML and logs the text ends up in.  Bidi embeddings, overrides
 * and isolates make text display in another order than it is stored,
 * so that a name could read as someone else's: DOMAIN.md's "wrong case
 * opened" hazard.  U+2028 and U+2029 are line breaks in disguise.
 */
static int
refused_code_point(ucs4_t uc, int multiline)
{
	if (multiline && (uc == '\n' || uc == '\t'))
		return (0);
	if (uc < 0x20 || (uc >= 0x7f && uc <= 0x9f))
		return (1);
	if (uc == 0x2028 || uc == 0x2029)
		return (1);
	if ((uc >= 0x202a && uc <= 0x202e) || (uc >= 0x2066 && uc <= 0x2069))
		return (1);

	return (0);
}
