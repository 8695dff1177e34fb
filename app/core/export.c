#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "disclosure.h"
#include "export.h"
#include "json_reader.h"

/* The raw count columns, in dc_raw_row's order, as the SQL names them. */
static const char *const count_columns[] = {
	"deaths_notified", "scrutiny_completed", "completed_within_target",
	"coroner_referrals", "coroner_investigating",
	"coroner_not_investigating", "bereaved_reached", "bereaved_declined",
	"bereaved_no_response", "bereaved_no_contacts", "bereaved_other",
	"concerns_raised", "referrals_structured_judgement_review",
	"referrals_patient_safety", "referrals_learning_from_deaths",
	"referrals_pals", "referrals_other", "urgent_release_requested",
	"urgent_release_achieved", "leder_notifications", NULL
};

static long long *
count_field(struct dc_raw_row *r, size_t i)
{
	long long	*f[] = {
		&r->deaths_notified, &r->scrutiny_completed,
		&r->completed_within_target, &r->coroner_referrals,
		&r->coroner_investigating, &r->coroner_not_investigating,
		&r->bereaved_reached, &r->bereaved_declined,
		&r->bereaved_no_response, &r->bereaved_no_contacts,
		&r->bereaved_other, &r->concerns_raised,
		&r->referrals_structured_judgement_review,
		&r->referrals_patient_safety,
		&r->referrals_learning_from_deaths, &r->referrals_pals,
		&r->referrals_other, &r->urgent_release_requested,
		&r->urgent_release_achieved, &r->leder_notifications,
	};

	return (f[i]);
}

/* YYYY-MM with a real month. */
int
export_month_valid(const char *m)
{
	int	i;

	if (m == NULL || strlen(m) != 7 || m[4] != '-')
		return (0);
	for (i = 0; i < 7; i++) {
		if (i != 4 && (m[i] < '0' || m[i] > '9'))
			return (0);
	}
	if (strncmp(m + 5, "01", 2) < 0 || strncmp(m + 5, "12", 2) > 0)
		return (0);
	return (strncmp(m, "1900", 4) >= 0);
}

static int
parse_row(json_t *o, const char *month, struct dc_raw_row *r, int **days)
{
	json_t		*v, *d;
	size_t		 i, n;

	v = json_object_get(o, "office");
	if (!json_is_string(v) || dc_raw_init(r, month,
	    json_string_value(v)) != 0)
		return (-1);
	for (i = 0; count_columns[i] != NULL; i++) {
		v = json_object_get(o, count_columns[i]);
		if (!json_is_integer(v))
			return (-1);
		*count_field(r, i) = json_integer_value(v);
	}
	d = json_object_get(o, "days");
	if (!json_is_array(d))
		return (-1);
	n = json_array_size(d);
	*days = NULL;
	if (n > 0 && (*days = calloc(n, sizeof(int))) == NULL)
		return (-1);
	for (i = 0; i < n; i++) {
		v = json_array_get(d, i);
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > 1000000)
			return (-1);
		(*days)[i] = (int)json_integer_value(v);
	}
	r->days_to_completion = *days;
	r->ndays = n;
	return (0);
}

/*
 * raw: the database's figures for one month; all: add the ALL row.  The
 * published rows (disclosure control applied) into a new array *rows of
 * *n (ALL last), which the caller frees; 0 on success, -1 with a reason
 * in err and nothing to free.
 */
int
export_rows(const char *raw, size_t rawlen, const char *month, int all,
    struct dc_row **rows, size_t *nrows, char *err, size_t errlen)
{
	json_t			*j, *jrows;
	struct dc_raw_row	*raw_rows;
	struct dc_row		*pub;
	int			**days;
	size_t			 n, i;
	int			 ret;

	ret = -1;
	*rows = NULL;
	*nrows = 0;
	raw_rows = NULL;
	pub = NULL;
	days = NULL;
	n = 0;
	if (!export_month_valid(month)) {
		snprintf(err, errlen, "the month is not valid");
		return (-1);
	}
	if ((j = jr_load(raw, rawlen)) == NULL ||
	    !json_is_array(jrows = json_object_get(j, "rows")) ||
	    (n = json_array_size(jrows)) > EXPORT_OFFICES_MAX) {
		snprintf(err, errlen, "the figures could not be read");
		goto cleanup;
	}
	raw_rows = calloc(n + 1, sizeof(*raw_rows));
	pub = calloc(n + 1, sizeof(*pub));
	days = calloc(n + 1, sizeof(*days));
	if (raw_rows == NULL || pub == NULL || days == NULL) {
		snprintf(err, errlen, "out of memory");
		goto cleanup;
	}
	for (i = 0; i < n; i++) {
		if (parse_row(json_array_get(jrows, i), month, &raw_rows[i],
		    &days[i]) != 0) {
			snprintf(err, errlen, "row %zu of the figures is not "
			    "valid", i);
			goto cleanup;
		}
	}
	if (dc_rows_build(raw_rows, n, month, all, pub) != 0) {
		snprintf(err, errlen, "the figures are not consistent");
		goto cleanup;
	}
	*rows = pub;
	*nrows = n + (all ? 1 : 0);
	pub = NULL;
	ret = 0;

cleanup:
	for (i = 0; days != NULL && i < n; i++)
		free(days[i]);
	free(days);
	free(raw_rows);
	free(pub);
	if (j != NULL)
		json_decref(j);
	return (ret);
}

/*
 * raw: the database's figures; all: add the ALL row.  0 on success with
 * the bytes in out; -1 with a reason in err.
 */
int
export_render(const char *raw, size_t rawlen, const char *month, int all,
    int format, struct sbuf *out, char *err, size_t errlen)
{
	struct dc_row	*pub;
	size_t		 n;
	int		 ret;

	if (export_rows(raw, rawlen, month, all, &pub, &n, err, errlen) != 0)
		return (-1);
	if (format == EXPORT_CSV)
		ret = dc_export_csv(out, pub, n);
	else
		ret = dc_export_json(out, month, pub, n);
	if (ret != 0)
		snprintf(err, errlen, "the export could not be written");
	free(pub);
	return (ret);
}

/* medex-YYYY-MM[-CODE].csv; all offices end -ALL. */
void
export_filename(const char *month, const char *office, int format,
    char *out, size_t len)
{
	snprintf(out, len, "medex-%s-%s.%s", month,
	    office != NULL ? office : "ALL",
	    format == EXPORT_CSV ? "csv" : "json");
}
