/*
 * The JSON reader; see json_reader.h for what it accepts and why.
 *
 * A recursive descent over the buffer: jr_value() reads one value and
 * leaves the cursor after it.  Strings without escapes go to jansson
 * straight from the buffer; the others are decoded into one scratch
 * buffer that the whole document shares.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json_reader.h"
#include "sbuf.h"

struct jr {
	const char	*p;		/* the next byte to read */
	const char	*end;
	char		*tmp;		/* decoded strings, numbers */
	size_t		 tmpcap;
	int		 depth;
};

static json_t	*jr_value(struct jr *);

static void
jr_space(struct jr *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' ||
	    *r->p == '\r' || *r->p == '\t'))
		r->p++;
}

/* Room for n bytes in the scratch buffer. */
static int
jr_room(struct jr *r, size_t n)
{
	char	*t;
	size_t	 cap;

	if (n <= r->tmpcap)
		return (0);
	cap = r->tmpcap == 0 ? 256 : r->tmpcap;
	while (cap < n)
		cap *= 2;
	if ((t = realloc(r->tmp, cap)) == NULL)
		return (-1);
	r->tmp = t;
	r->tmpcap = cap;
	return (0);
}

static int
jr_hex4(const char *s, int32_t *out)
{
	int32_t	v;
	int	i;

	v = 0;
	for (i = 0; i < 4; i++) {
		v <<= 4;
		if (s[i] >= '0' && s[i] <= '9')
			v |= s[i] - '0';
		else if (s[i] >= 'a' && s[i] <= 'f')
			v |= s[i] - 'a' + 10;
		else if (s[i] >= 'A' && s[i] <= 'F')
			v |= s[i] - 'A' + 10;
		else
			return (-1);
	}
	*out = v;
	return (0);
}

/* Appends code point cp as UTF-8 at r->tmp + *n (room checked). */
static void
jr_put_utf8(struct jr *r, size_t *n, int32_t cp)
{
	char	*o = r->tmp + *n;

	if (cp < 0x80) {
		o[0] = (char)cp;
		*n += 1;
	} else if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		*n += 2;
	} else if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		*n += 3;
	} else {
		o[0] = (char)(0xf0 | (cp >> 18));
		o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[3] = (char)(0x80 | (cp & 0x3f));
		*n += 4;
	}
}

/*
 * One \uXXXX escape at s (after the backslash and 'u'), or a surrogate
 * pair; sets *used to the bytes read after "\u".
 */
static int
jr_unicode(struct jr *r, const char *s, size_t *used, int32_t *cp)
{
	int32_t	hi, lo;

	if (r->end - s < 4 || jr_hex4(s, &hi) == -1)
		return (-1);
	*used = 4;
	if (hi >= 0xdc00 && hi <= 0xdfff)
		return (-1);
	if (hi >= 0xd800 && hi <= 0xdbff) {
		if (r->end - s < 10 || s[4] != '\\' || s[5] != 'u' ||
		    jr_hex4(s + 6, &lo) == -1 || lo < 0xdc00 || lo > 0xdfff)
			return (-1);
		hi = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
		*used = 10;
	}
	if (hi == 0)
		return (-1);
	*cp = hi;
	return (0);
}

/*
 * The string whose opening quote r->p is past: its bytes, undecoded,
 * are checked first (and found to need no copy, mostly); the decoded
 * text is left in *s and *len, pointing into the buffer or r->tmp.
 */
static int
jr_string(struct jr *r, const char **s, size_t *len)
{
	const char	*q, *start;
	size_t		 n, used, k;
	int32_t		 cp;
	int		 escaped;

	start = r->p;
	escaped = 0;
	for (q = start; q < r->end && *q != '"'; ) {
		if ((unsigned char)*q < 0x20)
			return (-1);
		if ((unsigned char)*q >= 0x80) {
			n = sbuf_utf8_next(q, (size_t)(r->end - q), &cp);
			if (cp == SBUF_UTF8_BAD)
				return (-1);
			q += n;
			continue;
		}
		if (*q == '\\') {
			escaped = 1;
			/* The escaped byte is never the closing quote. */
			if (++q == r->end)
				return (-1);
		}
		q++;
	}
	if (q >= r->end)
		return (-1);
	r->p = q + 1;
	if (!escaped) {
		*s = start;
		*len = (size_t)(q - start);
		return (0);
	}

	/* Escapes never grow the text: \uXXXX is 6 bytes for at most 3. */
	if (jr_room(r, (size_t)(q - start)) == -1)
		return (-1);
	n = 0;
	for (k = 0; start + k < q; ) {
		if (start[k] != '\\') {
			r->tmp[n++] = start[k++];
			continue;
		}
		k++;
		switch (start[k]) {
		case '"':
		case '\\':
		case '/':
			r->tmp[n++] = start[k];
			break;
		case 'b':
			r->tmp[n++] = '\b';
			break;
		case 'f':
			r->tmp[n++] = '\f';
			break;
		case 'n':
			r->tmp[n++] = '\n';
			break;
		case 'r':
			r->tmp[n++] = '\r';
			break;
		case 't':
			r->tmp[n++] = '\t';
			break;
		case 'u':
			/* The hex digits lie before the closing quote. */
			if (jr_unicode(r, start + k + 1, &used, &cp) == -1 ||
			    start + k + 1 + used > q)
				return (-1);
			jr_put_utf8(r, &n, cp);
			k += used;
			break;
		default:
			return (-1);
		}
		k++;
	}
	*s = r->tmp;
	*len = n;
	return (0);
}

static int
jr_digits(struct jr *r)
{
	const char	*start = r->p;

	while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
		r->p++;
	return (r->p > start ? 0 : -1);
}

/* A number per RFC 8259: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static json_t *
jr_number(struct jr *r)
{
	const char	*start = r->p;
	size_t		 n;
	int		 real;
	long long	 i;
	double		 d;
	char		*endp;

	real = 0;
	if (r->p < r->end && *r->p == '-')
		r->p++;
	if (r->p < r->end && *r->p == '0')
		r->p++;
	else if (jr_digits(r) == -1)
		return (NULL);
	if (r->p < r->end && *r->p == '.') {
		real = 1;
		r->p++;
		if (jr_digits(r) == -1)
			return (NULL);
	}
	if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
		real = 1;
		r->p++;
		if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
			r->p++;
		if (jr_digits(r) == -1)
			return (NULL);
	}
	/* After "0" a digit is a leading zero: jansson refuses it too. */
	if (r->p < r->end && *r->p >= '0' && *r->p <= '9')
		return (NULL);

	/* strtoll and strtod want a terminated string. */
	n = (size_t)(r->p - start);
	if (jr_room(r, n + 1) == -1)
		return (NULL);
	memcpy(r->tmp, start, n);
	r->tmp[n] = '\0';
	errno = 0;
	if (!real) {
		i = strtoll(r->tmp, &endp, 10);
		if (errno == ERANGE || (size_t)(endp - r->tmp) != n)
			return (NULL);
		return (json_integer((json_int_t)i));
	}
	d = strtod(r->tmp, &endp);
	if ((size_t)(endp - r->tmp) != n ||
	    (errno == ERANGE && (d == HUGE_VAL || d == -HUGE_VAL)))
		return (NULL);
	return (json_real(d));
}

/*
 * One member, "key": value, into obj.  A decoded key sits in r->tmp,
 * which the value may reuse: it is copied first (keys are short; a long
 * one is allocated).
 */
static int
jr_member(struct jr *r, json_t *obj)
{
	const char	*k;
	size_t		 klen;
	char		 small[128], *key;
	json_t		*v;
	int		 ret;

	if (r->p >= r->end || *r->p != '"')
		return (-1);
	r->p++;
	if (jr_string(r, &k, &klen) == -1)
		return (-1);
	key = NULL;
	if (k == r->tmp) {
		key = klen < sizeof(small) ? small : malloc(klen);
		if (key == NULL)
			return (-1);
		memcpy(key, k, klen);
		k = key;
	}
	ret = -1;
	jr_space(r);
	if (r->p >= r->end || *r->p != ':')
		goto cleanup;
	r->p++;
	/* json_object_setn_new_nocheck() takes v, even when it fails. */
	if ((v = jr_value(r)) == NULL ||
	    json_object_setn_new_nocheck(obj, k, klen, v) == -1)
		goto cleanup;
	ret = 0;
cleanup:
	if (key != small)
		free(key);
	return (ret);
}

static json_t *
jr_object(struct jr *r)
{
	json_t	*obj;

	if ((obj = json_object()) == NULL)
		return (NULL);
	jr_space(r);
	if (r->p < r->end && *r->p == '}') {
		r->p++;
		return (obj);
	}
	for (;;) {
		if (jr_member(r, obj) == -1)
			break;
		jr_space(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			jr_space(r);
			continue;
		}
		if (r->p < r->end && *r->p == '}') {
			r->p++;
			return (obj);
		}
		break;
	}
	json_decref(obj);
	return (NULL);
}

static json_t *
jr_array(struct jr *r)
{
	json_t	*arr, *v;

	if ((arr = json_array()) == NULL)
		return (NULL);
	jr_space(r);
	if (r->p < r->end && *r->p == ']') {
		r->p++;
		return (arr);
	}
	for (;;) {
		if ((v = jr_value(r)) == NULL ||
		    json_array_append_new(arr, v) == -1)
			goto fail;
		jr_space(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == ']') {
			r->p++;
			return (arr);
		}
		goto fail;
	}
fail:
	json_decref(arr);
	return (NULL);
}

/* A literal word: true, false or null. */
static int
jr_word(struct jr *r, const char *w, size_t n)
{
	if ((size_t)(r->end - r->p) < n || memcmp(r->p, w, n) != 0)
		return (-1);
	r->p += n;
	return (0);
}

static json_t *
jr_value(struct jr *r)
{
	json_t		*v;
	const char	*s;
	size_t		 len;

	/* jansson counts every value, scalars too, against its limit. */
	if (++r->depth > JR_MAX_DEPTH)
		return (NULL);
	jr_space(r);
	v = NULL;
	if (r->p >= r->end)
		goto done;
	switch (*r->p) {
	case '{':
		r->p++;
		v = jr_object(r);
		break;
	case '[':
		r->p++;
		v = jr_array(r);
		break;
	case '"':
		r->p++;
		if (jr_string(r, &s, &len) == 0)
			v = json_stringn_nocheck(s, len);
		break;
	case 't':
		if (jr_word(r, "true", 4) == 0)
			v = json_true();
		break;
	case 'f':
		if (jr_word(r, "false", 5) == 0)
			v = json_false();
		break;
	case 'n':
		if (jr_word(r, "null", 4) == 0)
			v = json_null();
		break;
	default:
		if (*r->p == '-' || (*r->p >= '0' && *r->p <= '9'))
			v = jr_number(r);
		break;
	}
done:
	r->depth--;
	return (v);
}

json_t *
jr_load(const char *buf, size_t len)
{
	struct jr	 r;
	json_t		*v;

	memset(&r, 0, sizeof(r));
	r.p = buf;
	r.end = buf + len;
	v = NULL;
	jr_space(&r);
	if (r.p >= r.end || (*r.p != '{' && *r.p != '['))
		goto cleanup;
	if ((v = jr_value(&r)) == NULL)
		goto cleanup;
	jr_space(&r);
	if (r.p != r.end) {
		json_decref(v);
		v = NULL;
	}
cleanup:
	free(r.tmp);
	return (v);
}
