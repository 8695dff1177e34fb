#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "audit_event.h"

#define US_PER_S	1000000LL
/* More than year 9999 needs: 253402300800 seconds. */
#define EPOCH_DIGITS	12
/* jsonb values stop at 255 MiB; an event's text is never near this. */
#define CANON_MAX	((size_t)1 << 30)
/* 0001-01-01T00:00:00Z and 10000-01-01T00:00:00Z, the SQL's YYYY. */
#define TIME_FIRST_S	(-62135596800LL)
#define TIME_END_S	253402300800LL

int
audit_epoch_us(const char *s, long long *us)
{
	long long	sec, frac;
	int		neg, n;

	neg = *s == '-';
	if (neg)
		s++;
	sec = 0;
	for (n = 0; *s >= '0' && *s <= '9'; s++, n++) {
		if (n == EPOCH_DIGITS)
			return (-1);
		sec = sec * 10 + (*s - '0');
	}
	if (n == 0)
		return (-1);
	frac = 0;
	n = 0;
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, n++) {
			if (n == 6)
				return (-1);
			frac = frac * 10 + (*s - '0');
		}
		if (n == 0)
			return (-1);
	}
	if (*s != '\0')
		return (-1);
	for (; n < 6; n++)
		frac *= 10;
	*us = sec * US_PER_S + frac;
	if (neg)
		*us = -*us;
	return (0);
}

int
audit_time_str(long long us, char out[AUDIT_TIME_LEN])
{
	struct tm	tm;
	time_t		sec;
	long long	frac;
	int		n;

	if (us < TIME_FIRST_S * US_PER_S || us >= TIME_END_S * US_PER_S)
		return (-1);
	/* Floor, not truncation: -0.5 s is 23:59:59.5 of the day before. */
	frac = us % US_PER_S;
	if (frac < 0)
		frac += US_PER_S;
	sec = (time_t)((us - frac) / US_PER_S);
	if (gmtime_r(&sec, &tm) == NULL)
		return (-1);
	n = snprintf(out, AUDIT_TIME_LEN, "%04d-%02d-%02dT%02d:%02d:%02d."
	    "%06lldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	    tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
	if (n != AUDIT_TIME_LEN - 1)
		return (-1);
	return (0);
}

int
audit_canonical(struct sbuf *sb, const struct audit_event *e)
{
	char	at[AUDIT_TIME_LEN];

	if (audit_time_str(e->at_us, at) != 0)
		return (-1);
	sbuf_appendf(sb, "%lld|%lld|%s|", e->case_id, e->seq, at);
	sbuf_appends(sb, e->actor);
	sbuf_appendc(sb, '|');
	sbuf_appends(sb, e->role);
	sbuf_appendc(sb, '|');
	sbuf_appends(sb, e->action);
	sbuf_appendc(sb, '|');
	sbuf_appends(sb, e->changes);
	return (sb->oom ? -1 : 0);
}

int
audit_event_hash(const char *prev, const struct audit_event *e,
    char out[AUDIT_HASH_HEX])
{
	struct sbuf	sb;
	unsigned char	md[EVP_MAX_MD_SIZE];
	unsigned int	mdlen, i;
	int		ret;

	ret = -1;
	sbuf_init(&sb, CANON_MAX);
	sbuf_appends(&sb, prev);
	sbuf_appendc(&sb, '|');
	if (audit_canonical(&sb, e) != 0)
		goto cleanup;
	if (EVP_Digest(sb.data, sb.len, md, &mdlen, EVP_sha256(), NULL) != 1 ||
	    mdlen != 32)
		goto cleanup;
	for (i = 0; i < mdlen; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	ret = 0;
cleanup:
	sbuf_free(&sb);
	return (ret);
}
