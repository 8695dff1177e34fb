/*
 * The field readers of the case bodies (case_body.c): each reads one
 * field of the body being checked, adds the error its field would get,
 * and copies a good value into the output under its column's name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "case_field.h"
#include "validate.h"

#define CLOCK_SKEW		120

void
cv_err(struct cv *v, const char *key, const char *msg)
{
	char	name[FERR_NAME];

	snprintf(name, sizeof(name), "%s%s", v->prefix, key);
	ferr_add(v->fe, name, msg);
}

/*
 * The member key: NULL when absent (an error when required), the JSON
 * null when present as null and nullable, else the value.
 */
json_t *
cv_get(struct cv *v, const char *key, int required)
{
	json_t	*x;

	x = json_object_get(v->in, key);
	if (x != NULL && reqbody_nofit(x)) {
		cv_err(v, key, REQBODY_NOFIT_PHRASE);
		return (NULL);
	}
	if (x == NULL && required && !v->patch)
		cv_err(v, key, VALIDATE_PHRASE_REQUIRED);
	if (x != NULL && json_is_null(x) && required) {
		cv_err(v, key, VALIDATE_PHRASE_REQUIRED);
		return (NULL);
	}
	return (x);
}

void
cv_put(struct cv *v, const char *col, json_t *val)
{
	if (col != NULL && v->out != NULL)
		json_object_set_new(v->out, col, val);
	else
		json_decref(val);
}

const char *
cv_string(struct cv *v, const char *key, int required)
{
	json_t	*x;

	if ((x = cv_get(v, key, required)) == NULL || json_is_null(x))
		return (NULL);
	if (!json_is_string(x)) {
		cv_err(v, key, "must be a string");
		return (NULL);
	}
	if (strlen(json_string_value(x)) != json_string_length(x)) {
		cv_err(v, key, "may not contain NUL characters");
		return (NULL);
	}
	return (json_string_value(x));
}

/* Free text, normalised; stored under col.  1 when a value was put. */
int
cv_text(struct cv *v, const char *key, const char *col, int required,
    size_t max, int multiline)
{
	enum text_result	 tr;
	const char		*s;
	char			*nfc;
	json_t			*x;

	x = json_object_get(v->in, key);
	s = cv_string(v, key, required);
	if (s == NULL) {
		if (x != NULL && json_is_null(x) && !required)
			cv_put(v, col, json_null());
		return (0);
	}
	if ((tr = validate_text(s, max, multiline, &nfc)) != TEXT_OK) {
		cv_err(v, key, validate_text_error_str(tr));
		return (0);
	}
	cv_put(v, col, json_string(nfc));
	free(nfc);
	return (1);
}

const char *
cv_enum(struct cv *v, const char *key, const char *col, int required,
    const char *const *allowed)
{
	const char	*s;
	json_t		*x;

	x = json_object_get(v->in, key);
	if ((s = cv_string(v, key, required)) == NULL) {
		if (x != NULL && json_is_null(x) && !required)
			cv_put(v, col, json_null());
		return (NULL);
	}
	if (validate_enum(s, allowed) < 0) {
		cv_err(v, key, VALIDATE_PHRASE_ENUM);
		return (NULL);
	}
	cv_put(v, col, json_string(s));
	return (s);
}

/* 1 with *out set when present and boolean. */
int
cv_bool(struct cv *v, const char *key, const char *col, int required,
    int *out)
{
	json_t	*x;

	if ((x = cv_get(v, key, required)) == NULL)
		return (0);
	if (json_is_null(x)) {
		cv_put(v, col, json_null());
		return (0);
	}
	if (!json_is_boolean(x)) {
		cv_err(v, key, "must be true or false");
		return (0);
	}
	*out = json_is_true(x);
	cv_put(v, col, json_boolean(*out));
	return (1);
}

int
cv_date(struct cv *v, const char *key, const char *col, int required,
    struct vdate *out)
{
	const char	*s;

	if ((s = cv_string(v, key, required)) == NULL)
		return (0);
	if (!validate_date(s, out)) {
		cv_err(v, key, VALIDATE_PHRASE_DATE);
		return (0);
	}
	cv_put(v, col, json_string(s));
	return (1);
}

/* An RFC 3339 time not in the future. */
int
cv_time(struct cv *v, const char *key, const char *col, int required,
    long long *epoch)
{
	const char	*s;

	if ((s = cv_string(v, key, required)) == NULL)
		return (0);
	if (!validate_timestamp(s, epoch)) {
		cv_err(v, key, VALIDATE_PHRASE_TIMESTAMP);
		return (0);
	}
	if (*epoch > (long long)v->now + CLOCK_SKEW) {
		cv_err(v, key, "is in the future");
		return (0);
	}
	cv_put(v, col, json_string(s));
	return (1);
}

void
cv_gmc(struct cv *v, const char *key, const char *col, int required)
{
	const char	*s;

	if ((s = cv_string(v, key, required)) == NULL)
		return;
	if (!validate_gmc(s)) {
		cv_err(v, key, VALIDATE_PHRASE_GMC);
		return;
	}
	cv_put(v, col, json_string(s));
}

/* An identifier of another record: digits, as a string. */
void
cv_ref(struct cv *v, const char *key, const char *col)
{
	const char	*s;
	size_t		 n;

	if ((s = cv_string(v, key, 0)) == NULL)
		return;
	n = strspn(s, "0123456789");
	if (n == 0 || n > 18 || s[n] != '\0') {
		cv_err(v, key, "is not an identifier of this case's records");
		return;
	}
	cv_put(v, col, json_string(s));
}

/* A nested object; NULL when absent or wrong (an error is added). */
json_t *
cv_object(struct cv *v, const char *key, int required)
{
	json_t	*x;

	if ((x = cv_get(v, key, required)) == NULL || json_is_null(x))
		return (NULL);
	if (!json_is_object(x)) {
		cv_err(v, key, "must be an object");
		return (NULL);
	}
	return (x);
}

void
cv_unknown(struct cv *v, const char *const *allowed)
{
	reqbody_unknown(v->in, allowed, v->prefix, v->fe);
}

int
cv_today(const struct cv *v, struct vdate *d)
{
	return (vdate_today_london(v->now, d));
}
