/*
 * Every case form starts from what is recorded.  On a GET no form was
 * sent; the action's record on the case (the cause of death, the final
 * actions, the open coroner referral or its decision, urgent release,
 * the assignment, the practitioner of a discussion) is written as the
 * form would send it, field by field as case_fields.c describes them,
 * and the form is rendered from that.  Saving it unchanged sends the
 * body that is recorded, and the write records nothing new
 * (api_case_write, sql/cases_write.sql).  Serves no URL itself; used
 * by case_form.c.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "case_fields.h"
#include "form.h"
#include "form_prefill.h"
#include "london_time.h"

/* The record the action's fields are read from, or NULL (borrowed). */
static json_t *
record_of(const struct act *a, json_t *k)
{
	json_t	*cr;

	if (a->kind == NULL)
		return (NULL);
	if (strcmp(a->kind, "cause_of_death") == 0 ||
	    strcmp(a->kind, "final_actions") == 0 ||
	    strcmp(a->kind, "urgent_release") == 0)
		return (json_object_get(k, a->kind));
	if (strcmp(a->kind, "assignment") == 0 ||
	    strcmp(a->kind, "details") == 0)
		return (k);
	cr = json_object_get(k, "coroner_referral");
	if (cr == NULL || json_is_null(cr))
		return (NULL);
	/* A decided referral is not edited: a new one starts empty. */
	if (strcmp(a->kind, "coroner_referral") == 0)
		return (json_is_string(json_object_get(cr, "decision")) ?
		    NULL : cr);
	if (strcmp(a->kind, "coroner_decision") == 0)
		return (cr);
	return (NULL);
}

/* "a" or "a.b" in o; the discussion's practitioner is the case's AP. */
static json_t *
lookup(json_t *o, json_t *k, const char *key)
{
	const char	*dot;
	char		 head[64];

	if ((dot = strchr(key, '.')) == NULL)
		return (json_object_get(o, key));
	snprintf(head, sizeof(head), "%.*s", (int)(dot - key), key);
	if (strcmp(head, "practitioner") == 0)
		o = json_object_get(k, "attending_practitioner");
	else
		o = json_object_get(o, head);
	return (json_object_get(o, dot + 1));
}

/* A date and time (RFC 3339, UTC) as the four inputs, in London. */
static void
put_at(struct form *out, const char *name, time_t t)
{
	struct tm	tm;
	char		k[96], v[16];

	(void)london_from_utc(t, &tm);
	snprintf(k, sizeof(k), "%s-day", name);
	snprintf(v, sizeof(v), "%d", tm.tm_mday);
	(void)form_add(out, k, v);
	snprintf(k, sizeof(k), "%s-month", name);
	snprintf(v, sizeof(v), "%d", tm.tm_mon + 1);
	(void)form_add(out, k, v);
	snprintf(k, sizeof(k), "%s-year", name);
	snprintf(v, sizeof(v), "%d", tm.tm_year + 1900);
	(void)form_add(out, k, v);
	snprintf(k, sizeof(k), "%s-time", name);
	snprintf(v, sizeof(v), "%02d:%02d", tm.tm_hour, tm.tm_min);
	(void)form_add(out, k, v);
}

static int
parse_utc(const char *s, time_t *t)
{
	struct tm	tm;

	memset(&tm, 0, sizeof(tm));
	if (s == NULL || sscanf(s, "%d-%d-%dT%d:%d:%d", &tm.tm_year,
	    &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
	    &tm.tm_sec) != 6)
		return (-1);
	tm.tm_year -= 1900;
	tm.tm_mon--;
	*t = timegm(&tm);
	return (0);
}

static void
put_field(struct form *out, const struct fspec *f, json_t *v)
{
	const char	*s;
	char		 k[96], d[3][8];
	json_t		*x;
	size_t		 i;
	time_t		 t;
	int		 y, m, day;

	s = json_string_value(v);
	switch (f->type) {
	case F_HIDDEN:
		return;
	case F_AT:
		if (parse_utc(s, &t) == -1)
			t = time(NULL);
		put_at(out, f->name, t);
		return;
	case F_DATE:
		if (s == NULL || sscanf(s, "%d-%d-%d", &y, &m, &day) != 3)
			return;
		snprintf(d[0], sizeof(d[0]), "%d", day);
		snprintf(d[1], sizeof(d[1]), "%d", m);
		snprintf(d[2], sizeof(d[2]), "%d", y);
		snprintf(k, sizeof(k), "%s-day", f->name);
		(void)form_add(out, k, d[0]);
		snprintf(k, sizeof(k), "%s-month", f->name);
		(void)form_add(out, k, d[1]);
		snprintf(k, sizeof(k), "%s-year", f->name);
		(void)form_add(out, k, d[2]);
		return;
	case F_YESNO:
		if (json_is_boolean(v))
			(void)form_add(out, f->name, json_is_true(v) ? "yes" :
			    "no");
		return;
	case F_CHECK:
		if (json_is_true(v))
			(void)form_add(out, f->name, "yes");
		return;
	case F_FLAGS:
		for (i = 0; f->codes[i] != NULL; i++) {
			if (json_is_true(json_object_get(v, f->codes[i])))
				(void)form_add(out, f->name, f->codes[i]);
		}
		return;
	case F_CHECKS:
		json_array_foreach(v, i, x) {
			if (json_is_string(x))
				(void)form_add(out, f->name,
				    json_string_value(x));
		}
		return;
	default:
		if (s != NULL)
			(void)form_add(out, f->name, s);
		return;
	}
}

void
fp_prefill(struct form *out, const struct act *a, json_t *k)
{
	const struct fspec	*f;
	json_t			*rec;

	if (a == NULL || a->fields == NULL || k == NULL)
		return;
	rec = record_of(a, k);
	for (f = a->fields; f->name != NULL; f++) {
		if (rec != NULL)
			put_field(out, f, lookup(rec, k, f->key));
		else if (strcmp(f->key, "practitioner.name") == 0 ||
		    strcmp(f->key, "practitioner.gmc_number") == 0)
			put_field(out, f, lookup(k, k, f->key));
		else if (f->type == F_AT)
			put_at(out, f->name, time(NULL));
	}
}
