/*
 * Reading a case form back: the values of a form POST (mr->form) turned
 * into the JSON body the API takes for the same write, field by field
 * as case_fields.c describes them (dates, London times as UTC, yes/no
 * as booleans, checkboxes as lists), and the form's key.  Serves no URL
 * itself; used by case_new.c and case_actions.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "medex.h"
#include "api.h"
#include "case_fields.h"
#include "form.h"
#include "form_parse.h"
#include "london_time.h"

/* The form's value of name, or NULL (also when there is no form). */
const char *
pf_val(struct medex_req *mr, const char *name)
{
	return (mr->form != NULL ? form_get(mr->form, name) : NULL);
}

/* Sets key ("a" or "a.b") in o. */
static void
json_put(json_t *o, const char *key, json_t *v)
{
	const char	*dot;
	char		 head[64];
	json_t		*sub;

	if ((dot = strchr(key, '.')) == NULL) {
		json_object_set_new(o, key, v);
		return;
	}
	snprintf(head, sizeof(head), "%.*s", (int)(dot - key), key);
	if ((sub = json_object_get(o, head)) == NULL) {
		sub = json_object();
		json_object_set_new(o, head, sub);
	}
	json_object_set_new(sub, dot + 1, v);
}

/* Only 0-9, and at least one. */
int
pf_digits(const char *s)
{
	return (s != NULL && *s != '\0' && strspn(s, "0123456789") ==
	    strlen(s));
}

static int
all_digits_n(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (0);
	}
	return (1);
}

/* The date of a date input, or NULL if empty; "x" if not numbers. */
static int
form_date(struct medex_req *mr, const char *name, char *buf, size_t len)
{
	const char	*d, *m, *y;
	char		 k[96];

	snprintf(k, sizeof(k), "%s-day", name);
	d = pf_val(mr, k);
	snprintf(k, sizeof(k), "%s-month", name);
	m = pf_val(mr, k);
	snprintf(k, sizeof(k), "%s-year", name);
	y = pf_val(mr, k);
	if ((d == NULL || *d == '\0') && (m == NULL || *m == '\0') &&
	    (y == NULL || *y == '\0'))
		return (0);
	if (!pf_digits(d) || !pf_digits(m) || !pf_digits(y) ||
	    strlen(y) != 4 || strlen(d) > 2 || strlen(m) > 2)
		snprintf(buf, len, "not a date");
	else
		snprintf(buf, len, "%s-%02d-%02d", y, atoi(m), atoi(d));
	return (1);
}

/*
 * A date input's "YYYY-MM-DD" and a time "HH:MM" read as Europe/London
 * wall-clock time, as RFC 3339 UTC; "not a time" when they are not.
 */
static void
form_at(const char *date, const char *hm, char *buf, size_t len)
{
	struct tm	tm;
	time_t		t;
	int		y, m, d, hh, mm, n;

	n = 0;
	if (hm == NULL || strlen(hm) != 5 || hm[2] != ':' ||
	    !all_digits_n(hm, 2) || !all_digits_n(hm + 3, 2) ||
	    sscanf(date, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
	    sscanf(hm, "%2d:%2d", &hh, &mm) != 2 ||
	    london_to_utc(y, m, d, hh, mm, &t) != 0) {
		snprintf(buf, len, "not a time");
		return;
	}
	gmtime_r(&t, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:00Z", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
}

/* Was the checkbox name sent with this value? */
static int
form_has(struct medex_req *mr, const char *name, const char *value)
{
	size_t	i;

	for (i = 0; mr->form != NULL && i < form_count(mr->form, name); i++) {
		if (strcmp(form_get_nth(mr->form, name, i), value) == 0)
			return (1);
	}
	return (0);
}

/* The JSON body the API takes, from the form's fields. */
void
pf_to_json(struct medex_req *mr, const struct fspec *fs, json_t *o)
{
	const struct fspec	*f;
	const char		*v;
	char			 buf[64], k[96];
	json_t			*a;
	size_t			 i;

	for (f = fs; f->name != NULL; f++) {
		v = pf_val(mr, f->name);
		switch (f->type) {
		case F_HIDDEN:
			json_put(o, f->key, json_string(f->codes[0]));
			break;
		case F_TEXT:
		case F_AREA:
		case F_RADIOS:
		case F_PEOPLE:
		case F_SELECT:
			if (v != NULL && *v != '\0')
				json_put(o, f->key, json_string(v));
			break;
		case F_YESNO:
			if (v != NULL && strcmp(v, "yes") == 0)
				json_put(o, f->key, json_true());
			else if (v != NULL && strcmp(v, "no") == 0)
				json_put(o, f->key, json_false());
			break;
		case F_CHECK:
			json_put(o, f->key, v != NULL &&
			    strcmp(v, "yes") == 0 ? json_true() : json_false());
			break;
		case F_CHECKS:
			a = json_array();
			for (i = 0; mr->form != NULL &&
			    i < form_count(mr->form, f->name); i++)
				json_array_append_new(a, json_string(
				    form_get_nth(mr->form, f->name, i)));
			json_put(o, f->key, a);
			break;
		case F_FLAGS:
			/* Every flag: a box left clear is false. */
			a = json_object();
			for (i = 0; f->codes[i] != NULL; i++)
				json_object_set_new(a, f->codes[i],
				    json_boolean(form_has(mr, f->name,
				    f->codes[i])));
			json_put(o, f->key, a);
			break;
		case F_DATE:
			if (form_date(mr, f->name, buf, sizeof(buf)))
				json_put(o, f->key, json_string(buf));
			break;
		case F_AT:
			if (!form_date(mr, f->name, buf, sizeof(buf)))
				break;
			snprintf(k, sizeof(k), "%s-time", f->name);
			form_at(buf, pf_val(mr, k), k, sizeof(k));
			json_put(o, f->key, json_string(k));
			break;
		}
	}
}

/*
 * The form's key (form_key): 1 with *key, NULL when the form has none;
 * 0 when it is not 1-128 printable characters, as the API's
 * Idempotency-Key.
 */
int
pf_key(struct medex_req *mr, const char **key)
{
	const char	*v;

	*key = NULL;
	if ((v = pf_val(mr, "form_key")) == NULL)
		return (1);
	if (!api_key_valid(v))
		return (0);
	*key = v;
	return (1);
}
