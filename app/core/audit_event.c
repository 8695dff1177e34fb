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

/*
 * jsonb's text output, read only as far as v2 needs: the top-level
 * members of an object, each key and value as the exact bytes the
 * database printed (so that a value's digest is over the same text as
 * the SQL's value::text).  jsonb prints ", " between members and ": "
 * after a key, always; anything else is not its output.
 */
struct audit_member {
	const char	*key;		/* with its quotes */
	size_t		 keylen;
	const char	*val;
	size_t		 vallen;
};

struct audit_iter {
	const char	*p;
	int		 n;		/* members read so far */
};

/* Past the JSON string at s (at its opening quote), or NULL. */
static const char *
json_skip_string(const char *s)
{
	for (s++; *s != '"'; s++) {
		if (*s == '\\')
			s++;
		if (*s == '\0')
			return (NULL);
	}
	return (s + 1);
}

/* Past the JSON value at s, or NULL. */
static const char *
json_skip_value(const char *s)
{
	size_t	n;
	int	depth;

	if (*s == '"')
		return (json_skip_string(s));
	if (*s != '{' && *s != '[') {
		/* A number, true, false or null. */
		n = strcspn(s, ",]} ");
		return (n == 0 ? NULL : s + n);
	}
	depth = 0;
	do {
		if (*s == '"') {
			if ((s = json_skip_string(s)) == NULL)
				return (NULL);
			continue;
		}
		if (*s == '\0')
			return (NULL);
		if (*s == '{' || *s == '[')
			depth++;
		else if (*s == '}' || *s == ']')
			depth--;
		s++;
	} while (depth > 0);
	return (s);
}

/* 1 and the next member, 0 after the last (the whole text read), -1. */
static int
audit_next(struct audit_iter *it, struct audit_member *m)
{
	const char	*s, *e;

	s = it->p;
	if (it->n == 0 && *s++ != '{')
		return (-1);
	if (*s == '}')
		return (s[1] == '\0' ? 0 : -1);
	if (it->n > 0) {
		if (strncmp(s, ", ", 2) != 0)
			return (-1);
		s += 2;
	}
	if (*s != '"' || (e = json_skip_string(s)) == NULL)
		return (-1);
	m->key = s;
	m->keylen = (size_t)(e - s);
	if (strncmp(e, ": ", 2) != 0)
		return (-1);
	s = e + 2;
	if ((e = json_skip_value(s)) == NULL)
		return (-1);
	m->val = s;
	m->vallen = (size_t)(e - s);
	it->p = e;
	it->n++;
	return (1);
}

/*
 * 1 and the member of obj with key's key in *m, 0 when none, or -1
 * when obj (all of it) is not jsonb's text of an object.
 */
static int
audit_lookup(const char *obj, const struct audit_member *key,
    struct audit_member *m)
{
	struct audit_iter	it;
	struct audit_member	x;
	int			r, found;

	it.p = obj;
	it.n = 0;
	found = 0;
	while ((r = audit_next(&it, &x)) == 1) {
		if (!found && x.keylen == key->keylen &&
		    memcmp(x.key, key->key, key->keylen) == 0) {
			*m = x;
			found = 1;
		}
	}
	return (r != 0 ? -1 : found);
}

/* Whether a member's value is a string of exactly n lower-case hex digits. */
static int
audit_hex_value(const struct audit_member *m, size_t n)
{
	return (m->vallen == n + 2 && m->val[0] == '"' &&
	    m->val[n + 1] == '"' &&
	    strspn(m->val + 1, "0123456789abcdef") == n);
}

static void
audit_hex(const unsigned char *md, char out[AUDIT_HASH_HEX])
{
	static const char	hex[] = "0123456789abcdef";
	int			i;

	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 0xf];
	}
	out[64] = '\0';
}

int
audit_value_digest(const char *salt, size_t saltlen, const char *value,
    size_t len, char out[AUDIT_HASH_HEX])
{
	EVP_MD_CTX	*ctx;
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen;
	int		 ok;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return (-1);
	ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
	    EVP_DigestUpdate(ctx, salt, saltlen) == 1 &&
	    EVP_DigestUpdate(ctx, "|", 1) == 1 &&
	    EVP_DigestUpdate(ctx, value, len) == 1 &&
	    EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 && mdlen == 32;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return (-1);
	audit_hex(md, out);
	return (0);
}

/*
 * v2's list of "key":digest.  A purged key's value must be null: the
 * stored digest stands for a value that is gone, never for one that
 * is still there (which could then be anything).
 */
static int
audit_digests(struct sbuf *sb, const struct audit_event *e)
{
	struct audit_iter	it;
	struct audit_member	m, x;
	char			d[AUDIT_HASH_HEX];
	int			r;

	if (e->salts == NULL || e->purged == NULL)
		return (-1);
	it.p = e->changes;
	it.n = 0;
	while ((r = audit_next(&it, &m)) == 1) {
		if (it.n > 1)
			sbuf_appendc(sb, ',');
		sbuf_append(sb, m.key, m.keylen);
		sbuf_appendc(sb, ':');
		r = audit_lookup(e->purged, &m, &x);
		if (r == 1) {
			if (m.vallen != 4 || memcmp(m.val, "null", 4) != 0 ||
			    !audit_hex_value(&x, 64))
				return (-1);
			sbuf_append(sb, x.val + 1, 64);
			continue;
		}
		if (r != 0 || audit_lookup(e->salts, &m, &x) != 1 ||
		    !audit_hex_value(&x, AUDIT_SALT_HEX) ||
		    audit_value_digest(x.val + 1, AUDIT_SALT_HEX, m.val,
		    m.vallen, d) != 0)
			return (-1);
		sbuf_appends(sb, d);
	}
	return (r);
}

int
audit_canonical(struct sbuf *sb, const struct audit_event *e)
{
	char	at[AUDIT_TIME_LEN];

	if (e->version != 1 && e->version != 2)
		return (-1);
	if (audit_time_str(e->at_us, at) != 0)
		return (-1);
	if (e->version == 2)
		sbuf_appends(sb, "v2|");
	sbuf_appendf(sb, "%lld|%lld|%s|", e->case_id, e->seq, at);
	sbuf_appends(sb, e->actor);
	sbuf_appendc(sb, '|');
	sbuf_appends(sb, e->role);
	sbuf_appendc(sb, '|');
	sbuf_appends(sb, e->action);
	sbuf_appendc(sb, '|');
	if (e->version == 1)
		sbuf_appends(sb, e->changes);
	else if (audit_digests(sb, e) != 0)
		return (-1);
	return (sb->oom ? -1 : 0);
}

int
audit_event_hash(const char *prev, const struct audit_event *e,
    char out[AUDIT_HASH_HEX])
{
	struct sbuf	sb;
	unsigned char	md[EVP_MAX_MD_SIZE];
	unsigned int	mdlen;
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
	audit_hex(md, out);
	ret = 0;
cleanup:
	sbuf_free(&sb);
	return (ret);
}
