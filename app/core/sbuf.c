/*
 * The growable byte buffer behind every medex writer; see sbuf.h for the
 * contract.  All size arithmetic is checked, because the lengths handed
 * in may come, indirectly, from the network.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"

#define SBUF_MIN_CAP	64

static int	sbuf_reserve(struct sbuf *, size_t);

/*
 * What `data` points at while nothing is allocated, so that it is a
 * valid empty string from sbuf_init() on.  It is never written: every
 * write first grows the buffer, and sbuf_reset() leaves it alone.
 */
static char	sbuf_empty[1];

void
sbuf_init(struct sbuf *sb, size_t max)
{
	/* Keeps max + 1 (room for the NUL) from wrapping. */
	if (max == SIZE_MAX)
		max = SIZE_MAX - 1;

	sb->data = sbuf_empty;
	sb->len = 0;
	sb->cap = 0;
	sb->max = max;
	sb->oom = 0;
}

/*
 * Safe to call twice: the second call finds nothing allocated.  The
 * buffer may be used again afterwards, with the same ceiling.
 */
void
sbuf_free(struct sbuf *sb)
{
	if (sb->cap > 0)
		free(sb->data);
	sb->data = sbuf_empty;
	sb->len = 0;
	sb->cap = 0;
	sb->oom = 0;
}

void
sbuf_reset(struct sbuf *sb)
{
	sb->len = 0;
	sb->oom = 0;
	if (sb->cap > 0)
		sb->data[0] = '\0';
}

/*
 * Makes room for n more bytes and the NUL, or sets the error flag and
 * fails if that would pass the ceiling or memory runs out.  Growth
 * doubles, so appending a byte at a time stays linear.
 */
static int
sbuf_reserve(struct sbuf *sb, size_t n)
{
	size_t	 need, ncap;
	char	*p;

	if (sb->oom)
		return (-1);
	if (n > sb->max || sb->len > sb->max - n) {
		sb->oom = 1;
		return (-1);
	}
	need = sb->len + n + 1;
	if (need <= sb->cap)
		return (0);

	ncap = sb->cap > 0 ? sb->cap : SBUF_MIN_CAP;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2) {
			ncap = need;
			break;
		}
		ncap *= 2;
	}
	if (ncap > sb->max + 1)
		ncap = sb->max + 1;

	if ((p = realloc(sb->cap > 0 ? sb->data : NULL, ncap)) == NULL) {
		sb->oom = 1;
		return (-1);
	}
	if (sb->cap == 0)
		p[0] = '\0';
	sb->data = p;
	sb->cap = ncap;
	return (0);
}

int
sbuf_append(struct sbuf *sb, const void *data, size_t n)
{
	if (sbuf_reserve(sb, n) == -1)
		return (-1);
	if (n > 0)
		memcpy(sb->data + sb->len, data, n);
	sb->len += n;
	sb->data[sb->len] = '\0';
	return (0);
}

/* A NULL string appends nothing, like an empty one. */
int
sbuf_appends(struct sbuf *sb, const char *s)
{
	if (s == NULL)
		return (sbuf_append(sb, "", 0));
	return (sbuf_append(sb, s, strlen(s)));
}

int
sbuf_appendc(struct sbuf *sb, char c)
{
	return (sbuf_append(sb, &c, 1));
}

/*
 * Measures first, then formats in place: two passes over the arguments,
 * but no temporary buffer and no guessing.
 */
int
sbuf_appendf(struct sbuf *sb, const char *fmt, ...)
{
	va_list	 ap;
	int	 r;

	if (sb->oom)
		return (-1);

	va_start(ap, fmt);
	r = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (r < 0) {
		sb->oom = 1;
		return (-1);
	}
	if (sbuf_reserve(sb, (size_t)r) == -1)
		return (-1);

	va_start(ap, fmt);
	(void)vsnprintf(sb->data + sb->len, sb->cap - sb->len, fmt, ap);
	va_end(ap);
	sb->len += (size_t)r;
	return (0);
}

/*
 * Formats a value held in tenths as a decimal with exactly one digit
 * after the point (756 is "75.6", 0 is "0.0") and returns its length.
 * Percentages and medians are kept in tenths so that no floating point,
 * and so no platform or locale difference, can change the bytes of an
 * export.  The magnitude is taken as -(v + 1) + 1, which neither
 * overflows at LLONG_MIN nor wraps in unsigned arithmetic.
 */
size_t
sbuf_tenths_str(char buf[SBUF_TENTHS_MAX], long long tenths)
{
	unsigned long long	u;
	int			n;

	if (tenths < 0)
		u = (unsigned long long)(-(tenths + 1)) + 1;
	else
		u = (unsigned long long)tenths;
	n = snprintf(buf, SBUF_TENTHS_MAX, "%s%llu.%llu",
	    tenths < 0 ? "-" : "", u / 10, u % 10);
	return ((size_t)n);
}

int
sbuf_append_tenths(struct sbuf *sb, long long tenths)
{
	char	buf[SBUF_TENTHS_MAX];
	size_t	n;

	n = sbuf_tenths_str(buf, tenths);
	return (sbuf_append(sb, buf, n));
}

/*
 * Decodes the UTF-8 sequence at the start of s (len > 0).  Returns how
 * many bytes it used and stores the code point in *cp, or SBUF_UTF8_BAD
 * when the bytes are not well-formed by RFC 3629 (overlong forms,
 * surrogates, values past U+10FFFF, truncated or stray bytes).
 *
 * For bad input the count covers the longest prefix that could have
 * begun a valid sequence (Unicode's "maximal subpart"), so that each
 * broken sequence becomes one U+FFFD and the next valid character is
 * never swallowed.  It lives here because all three writers need it.
 */
size_t
sbuf_utf8_next(const char *str, size_t len, int32_t *cp)
{
	const unsigned char	*s;
	unsigned char		 lo, hi;
	size_t			 need, i;
	int32_t			 c;

	s = (const unsigned char *)str;
	c = s[0];
	lo = 0x80;
	hi = 0xbf;

	if (c < 0x80) {
		*cp = c;
		return (1);
	} else if (c >= 0xc2 && c <= 0xdf) {
		need = 1;
		c &= 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 2;
		c &= 0x0f;
		/* Overlongs below U+0800, then the surrogates. */
		if (s[0] == 0xe0)
			lo = 0xa0;
		else if (s[0] == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 3;
		c &= 0x07;
		/* Overlongs below U+10000, then past U+10FFFF. */
		if (s[0] == 0xf0)
			lo = 0x90;
		else if (s[0] == 0xf4)
			hi = 0x8f;
	} else {
		*cp = SBUF_UTF8_BAD;
		return (1);
	}

	for (i = 1; i <= need; i++) {
		if (i >= len || s[i] < lo || s[i] > hi) {
			*cp = SBUF_UTF8_BAD;
			return (i);
		}
		c = (c << 6) | (s[i] & 0x3f);
		lo = 0x80;
		hi = 0xbf;
	}

	*cp = c;
	return (need + 1);
}
