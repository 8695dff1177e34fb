#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reqbody.h"

static int	reqbody_depth_ok(json_t *, int);
static int	number_fits(const char *, size_t);
static char	*nofit_rewrite(const char *, size_t, size_t *);

/* The text the JSON string REQBODY_NOFIT decodes to. */
static const char	nofit_value[] = "\007medex:number-out-of-range";

void
ferr_init(struct ferrs *fe)
{
	memset(fe, 0, sizeof(*fe));
}

/* Keeps the first error of each field; field names are copied. */
void
ferr_add(struct ferrs *fe, const char *name, const char *message)
{
	size_t	i;

	for (i = 0; i < fe->n; i++) {
		if (strcmp(fe->name[i], name) == 0)
			return;
	}
	if (fe->n == FERR_MAX)
		return;
	snprintf(fe->name[fe->n], FERR_NAME, "%s", name);
	fe->pairs[fe->n][0] = fe->name[fe->n];
	fe->pairs[fe->n][1] = message;
	fe->n++;
}

/*
 * 1 when j (at depth `depth`) and everything in it lie within
 * REQBODY_MAX_DEPTH.  The recursion stops one level past the limit, so
 * however deep jansson went (up to its own 2048) this goes no deeper.
 */
static int
reqbody_depth_ok(json_t *j, int depth)
{
	const char	*key;
	json_t		*v;
	size_t		 i;

	if (!json_is_object(j) && !json_is_array(j))
		return (1);
	if (depth > REQBODY_MAX_DEPTH)
		return (0);
	if (json_is_object(j)) {
		json_object_foreach(j, key, v) {
			if (!reqbody_depth_ok(v, depth + 1))
				return (0);
		}
	} else {
		json_array_foreach(j, i, v) {
			if (!reqbody_depth_ok(v, depth + 1))
				return (0);
		}
	}
	return (1);
}

/*
 * Would jansson hold this number token?  It reads integers with
 * strtoll and others with strtod, and refuses ERANGE overflow (not
 * underflow, which reads as 0).
 */
static int
number_fits(const char *tok, size_t n)
{
	char	buf[64], *heap, *s;
	double	d;
	int	fits;

	heap = NULL;
	s = buf;
	if (n >= sizeof(buf)) {
		if ((heap = malloc(n + 1)) == NULL)
			return (1);
		s = heap;
	}
	memcpy(s, tok, n);
	s[n] = '\0';
	errno = 0;
	if (strcspn(s, ".eE") == n) {
		(void)strtoll(s, NULL, 10);
		fits = errno != ERANGE;
	} else {
		d = strtod(s, NULL);
		fits = !(errno == ERANGE && isinf(d));
	}
	free(heap);
	return (fits);
}

/*
 * How many of the first len bytes of s can belong to a number.  The
 * body is not NUL-terminated, so this never reads past len.
 */
static size_t
number_span(const char *s, size_t len)
{
	size_t	n;

	for (n = 0; n < len; n++) {
		if (s[n] == '\0' || strchr("0123456789+-.eE", s[n]) == NULL)
			break;
	}
	return (n);
}

/*
 * The body again with each number that does not fit written as the
 * string REQBODY_NOFIT, or NULL when there is none.  Outside strings,
 * a '-' or a digit can only start a number.
 */
static char *
nofit_rewrite(const char *body, size_t len, size_t *outlen)
{
	static const char	 lit[] = "\"" REQBODY_NOFIT "\"";
	char			*out;
	size_t			 i, k, n, o;
	int			 in_str, changed;

	/* Each replaced token is at least one byte long. */
	if ((out = malloc(len * sizeof(lit) + 1)) == NULL)
		return (NULL);
	in_str = changed = 0;
	for (i = 0, o = 0; i < len; ) {
		if (in_str) {
			if (body[i] == '\\' && i + 1 < len)
				out[o++] = body[i++];
			else if (body[i] == '"')
				in_str = 0;
			out[o++] = body[i++];
			continue;
		}
		if (body[i] == '"')
			in_str = 1;
		if (body[i] != '-' && (body[i] < '0' || body[i] > '9')) {
			out[o++] = body[i++];
			continue;
		}
		n = number_span(body + i, len - i);
		if (number_fits(body + i, n)) {
			for (k = 0; k < n; k++)
				out[o++] = body[i + k];
		} else {
			memcpy(out + o, lit, sizeof(lit) - 1);
			o += sizeof(lit) - 1;
			changed = 1;
		}
		i += n;
	}
	if (!changed) {
		free(out);
		return (NULL);
	}
	*outlen = o;
	return (out);
}

int
reqbody_nofit(const json_t *v)
{
	return (json_is_string(v) &&
	    strcmp(json_string_value(v), nofit_value) == 0);
}

/* A JSON object, or NULL when the body is not one (400 malformed_json). */
json_t *
reqbody_parse(const char *body, size_t len)
{
	json_t		*j;
	json_error_t	 err;
	char		*again;
	size_t		 alen;

	if (body == NULL || len == 0)
		return (NULL);
	j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &err);
	if (j == NULL && (again = nofit_rewrite(body, len, &alen)) != NULL) {
		j = json_loadb(again, alen, JSON_REJECT_DUPLICATES, &err);
		free(again);
	}
	if (j == NULL)
		return (NULL);
	if (!json_is_object(j) || !reqbody_depth_ok(j, 1)) {
		json_decref(j);
		return (NULL);
	}
	return (j);
}

/* Every member of obj not in allowed (NULL-terminated) is an error. */
void
reqbody_unknown(json_t *obj, const char *const *allowed, const char *prefix,
    struct ferrs *fe)
{
	const char	*key;
	json_t		*v;
	char		 name[FERR_NAME];
	size_t		 i;
	int		 known;

	json_object_foreach(obj, key, v) {
		known = 0;
		for (i = 0; allowed[i] != NULL; i++) {
			if (strcmp(key, allowed[i]) == 0)
				known = 1;
		}
		if (known)
			continue;
		snprintf(name, sizeof(name), "%s%s", prefix ? prefix : "",
		    key);
		ferr_add(fe, name, "is not a known field");
	}
}

/* The string value of key, or NULL (an error is added when it matters). */
const char *
reqbody_string(json_t *obj, const char *key, int required, struct ferrs *fe)
{
	json_t	*v;

	v = json_object_get(obj, key);
	if (v == NULL || json_is_null(v)) {
		if (required)
			ferr_add(fe, key, "is required");
		return (NULL);
	}
	if (reqbody_nofit(v)) {
		ferr_add(fe, key, REQBODY_NOFIT_PHRASE);
		return (NULL);
	}
	if (!json_is_string(v)) {
		ferr_add(fe, key, "must be a string");
		return (NULL);
	}
	if (strlen(json_string_value(v)) != json_string_length(v)) {
		ferr_add(fe, key, "may not contain NUL characters");
		return (NULL);
	}
	return (json_string_value(v));
}

/* 1 with *out set when present and boolean; 0 otherwise. */
int
reqbody_bool(json_t *obj, const char *key, int required, int *out,
    struct ferrs *fe)
{
	json_t	*v;

	v = json_object_get(obj, key);
	if (v == NULL || json_is_null(v)) {
		if (required)
			ferr_add(fe, key, "is required");
		return (0);
	}
	if (reqbody_nofit(v)) {
		ferr_add(fe, key, REQBODY_NOFIT_PHRASE);
		return (0);
	}
	if (!json_is_boolean(v)) {
		ferr_add(fe, key, "must be true or false");
		return (0);
	}
	*out = json_is_true(v);
	return (1);
}
