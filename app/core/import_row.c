/*
 * The rows of a case import: see import_row.h.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_body.h"
#include "import_row.h"
#include "london_time.h"

const char *const import_columns[] = {
	"given_name", "family_name", "nhs_number", "date_of_birth", "sex",
	"date_of_death", "time_of_death", "place_of_death", "place_detail",
	"attending_practitioner_name", "attending_practitioner_gmc_number",
	"notified_at", "ethnicity", "state", "examiner", "officer",
	"mccd_issued_on", "coroner_outcome", NULL
};

/* The field of POST /api/v1/cases each column fills (NULL: none). */
static const char *const import_api_field[IC_COUNT] = {
	"given_name", "family_name", "nhs_number", "date_of_birth", "sex",
	"date_of_death", "time_of_death", "place_of_death", "place_detail",
	"attending_practitioner.name", "attending_practitioner.gmc_number",
	"notified_at", "ethnicity", NULL, NULL, NULL, NULL, NULL
};

static const int import_required[] = { IC_GIVEN_NAME, IC_FAMILY_NAME,
    IC_DATE_OF_BIRTH, IC_SEX, IC_DATE_OF_DEATH, IC_PLACE_OF_DEATH,
    IC_AP_NAME, IC_AP_GMC };

static const char *const import_coroner_outcomes[] = { "investigating",
    "not_investigating", NULL };

#define HEADER_NAME_MAX	64

/* "Date of death " -> "date_of_death": lower case, blanks to _. */
static void
import_fold(const char *s, char *out, size_t outlen)
{
	size_t	o;

	while (*s == ' ' || *s == '\t')
		s++;
	for (o = 0; *s != '\0' && o + 1 < outlen; s++) {
		if (*s == ' ' || *s == '-' || *s == '\t')
			out[o++] = '_';
		else
			out[o++] = (char)tolower((unsigned char)*s);
	}
	while (o > 0 && out[o - 1] == '_')
		o--;
	out[o] = '\0';
}

int
import_header(struct import_map *m, char **fields, size_t n,
    struct ferrs *fe)
{
	char	name[HEADER_NAME_MAX];
	int	seen[IC_COUNT], c;
	size_t	i;

	memset(seen, 0, sizeof(seen));
	m->nfields = n;
	for (i = 0; i < n; i++) {
		import_fold(fields[i], name, sizeof(name));
		m->col[i] = validate_enum(name, import_columns);
		if (m->col[i] < 0)
			ferr_add(fe, name[0] ? name : "(empty)",
			    "is not a column of the import layout");
		else if (seen[m->col[i]]++)
			ferr_add(fe, name, "is given twice");
	}
	for (i = 0; i < sizeof(import_required) / sizeof(int); i++) {
		c = import_required[i];
		if (!seen[c])
			ferr_add(fe, import_columns[c], "is a required column "
			    "and the header does not have it");
	}
	return (fe->n ? -1 : 0);
}

static int
import_digits(const char *s, size_t n, int *out)
{
	size_t	i;

	*out = 0;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return (0);
		*out = *out * 10 + (s[i] - '0');
	}
	return (n > 0);
}

int
import_date(const char *s, struct vdate *d)
{
	char		 iso[VDATE_STR_LEN];
	const char	*a, *b;
	struct vdate	 t;

	if (strlen(s) == 10 && s[4] == '-')
		return (validate_date(s, d));
	if ((a = strchr(s, '/')) == NULL || (b = strchr(a + 1, '/')) == NULL)
		return (0);
	if (a - s > 2 || b - a - 1 > 2 || strlen(b + 1) != 4 ||
	    !import_digits(s, (size_t)(a - s), &t.day) ||
	    !import_digits(a + 1, (size_t)(b - a - 1), &t.month) ||
	    !import_digits(b + 1, 4, &t.year))
		return (0);
	if (!vdate_format(&t, iso))
		return (0);
	return (validate_date(iso, d));
}

/* The cell of column c, trimmed of blanks; "" when absent. */
static void
import_cell(const struct import_map *m, char **fields, size_t n, int c,
    char *out, size_t outlen)
{
	const char	*s;
	size_t		 i, len;

	s = "";
	for (i = 0; i < n && i < m->nfields; i++) {
		if (m->col[i] == c)
			s = fields[i];
	}
	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len >= outlen)
		len = outlen - 1;
	memcpy(out, s, len);
	out[len] = '\0';
}

/* Codes as people type them: "Care home" is care_home. */
static void
import_code(char *s, int upper)
{
	for (; *s != '\0'; s++) {
		if (*s == ' ' || *s == '-')
			*s = '_';
		else
			*s = (char)(upper ? toupper((unsigned char)*s) :
			    tolower((unsigned char)*s));
	}
}

#define CELL_MAX	(CSV_FIELD_MAX)

/* A date column into the body as YYYY-MM-DD; 1 when it was good. */
static int
import_put_date(json_t *body, const char *key, const char *cell,
    const char *col, struct ferrs *fe, struct vdate *d)
{
	char	iso[VDATE_STR_LEN];

	if (*cell == '\0')
		return (0);
	if (!import_date(cell, d)) {
		ferr_add(fe, col, IMPORT_PHRASE_DATE);
		return (0);
	}
	vdate_format(d, iso);
	json_object_set_new(body, key, json_string(iso));
	return (1);
}

/*
 * notified_at: a date alone is taken as 00:00 London time of that day
 * (never in the future when the day is today); else an RFC 3339 time.
 */
static void
import_put_notified(json_t *body, const char *cell, struct ferrs *fe)
{
	struct vdate	 d;
	struct tm	 tm;
	long long	 t;
	time_t		 mid;
	char		 ts[32];

	if (*cell == '\0')
		return;
	if (import_date(cell, &d) &&
	    london_to_utc(d.year, d.month, d.day, 0, 0, &mid) == 0 &&
	    gmtime_r(&mid, &tm) != NULL) {
		strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
		json_object_set_new(body, "notified_at", json_string(ts));
	} else if (validate_timestamp(cell, &t))
		json_object_set_new(body, "notified_at", json_string(cell));
	else
		ferr_add(fe, "notified_at", "must be a date as DD/MM/YYYY or "
		    "YYYY-MM-DD, or an RFC 3339 time");
}

/* The body of POST /api/v1/cases from the row's case columns. */
static json_t *
import_body(const struct import_map *m, char **fields, size_t n,
    char *cell, struct ferrs *fe, struct vdate *dod, int *has_dod)
{
	static const int text[] = { IC_GIVEN_NAME, IC_FAMILY_NAME,
	    IC_NHS_NUMBER, IC_TIME_OF_DEATH, IC_PLACE_DETAIL };
	static const int codes[] = { IC_SEX, IC_PLACE_OF_DEATH,
	    IC_ETHNICITY };
	struct vdate	 dob;
	json_t		*body, *ap;
	size_t		 i;
	int		 c;

	body = json_object();
	for (i = 0; i < sizeof(text) / sizeof(int); i++) {
		c = text[i];
		import_cell(m, fields, n, c, cell, CELL_MAX);
		if (*cell != '\0')
			json_object_set_new(body, import_api_field[c],
			    json_string(cell));
	}
	for (i = 0; i < sizeof(codes) / sizeof(int); i++) {
		c = codes[i];
		import_cell(m, fields, n, c, cell, CELL_MAX);
		import_code(cell, c == IC_ETHNICITY);
		if (*cell != '\0')
			json_object_set_new(body, import_api_field[c],
			    json_string(cell));
	}
	import_cell(m, fields, n, IC_DATE_OF_BIRTH, cell, CELL_MAX);
	import_put_date(body, "date_of_birth", cell, "date_of_birth", fe,
	    &dob);
	import_cell(m, fields, n, IC_DATE_OF_DEATH, cell, CELL_MAX);
	*has_dod = import_put_date(body, "date_of_death", cell,
	    "date_of_death", fe, dod);
	import_cell(m, fields, n, IC_NOTIFIED_AT, cell, CELL_MAX);
	import_put_notified(body, cell, fe);

	ap = json_object();
	import_cell(m, fields, n, IC_AP_NAME, cell, CELL_MAX);
	if (*cell != '\0')
		json_object_set_new(ap, "name", json_string(cell));
	import_cell(m, fields, n, IC_AP_GMC, cell, CELL_MAX);
	if (*cell != '\0')
		json_object_set_new(ap, "gmc_number", json_string(cell));
	if (json_object_size(ap) > 0)
		json_object_set_new(body, "attending_practitioner", ap);
	else
		json_decref(ap);
	return (body);
}

/* The column an error of case_body_check() names. */
static const char *
import_col_of(const char *api)
{
	size_t	i;

	if (strcmp(api, "attending_practitioner") == 0)
		return (import_columns[IC_AP_NAME]);
	for (i = 0; i < IC_COUNT; i++) {
		if (import_api_field[i] != NULL &&
		    strcmp(import_api_field[i], api) == 0)
			return (import_columns[i]);
	}
	return (api);
}

/* Runs the API's checks; copies their errors, named by column. */
static json_t *
import_check_body(json_t *body, time_t now, struct ferrs *fe)
{
	struct ferrs	 ce;
	json_t		*out;
	size_t		 i;

	ferr_init(&ce);
	out = json_object();
	case_body_check(CASE_BODY_CREATE, body, now, &ce, out);
	/* An error of ours on a column comes first (ferr_add keeps it). */
	for (i = 0; i < ce.n; i++)
		ferr_add(fe, import_col_of(ce.pairs[i][0]), ce.pairs[i][1]);
	return (out);
}

/* A username column: "" or a good username, folded. */
static void
import_username(const struct import_map *m, char **fields, size_t n,
    int c, char *cell, char *out, struct ferrs *fe)
{
	import_cell(m, fields, n, c, cell, CELL_MAX);
	out[0] = '\0';
	if (*cell == '\0')
		return;
	if (!validate_username(cell)) {
		ferr_add(fe, import_columns[c], VALIDATE_PHRASE_USERNAME);
		return;
	}
	username_lower(cell);
	snprintf(out, USERNAME_MAX + 1, "%s", cell);
}

static int
import_state_has_examiner(enum case_state s)
{
	return (s == CASE_IN_SCRUTINY || s == CASE_AWAITING_MCCD ||
	    s == CASE_MCCD_ISSUED || s == CASE_CLOSED);
}

/* The MCCD date: for mccd_issued and closed only, as the API's. */
static void
import_mccd(struct import_row *row, const char *cell, time_t now,
    const struct vdate *dod, int has_dod, struct ferrs *fe)
{
	struct vdate	d, today;
	int		need;

	need = row->state == CASE_MCCD_ISSUED || row->state == CASE_CLOSED;
	if (*cell == '\0') {
		if (need)
			ferr_add(fe, "mccd_issued_on", "is required for a case "
			    "in state mccd_issued or closed");
		return;
	}
	if (!need) {
		ferr_add(fe, "mccd_issued_on", "is only for a case in state "
		    "mccd_issued or closed");
		return;
	}
	if (!import_date(cell, &d)) {
		ferr_add(fe, "mccd_issued_on", IMPORT_PHRASE_DATE);
		return;
	}
	vdate_today_london(now, &today);
	if (vdate_cmp(&d, &today) > 0)
		ferr_add(fe, "mccd_issued_on", "is in the future");
	else if (has_dod && vdate_cmp(&d, dod) < 0)
		ferr_add(fe, "mccd_issued_on", "is before the date of death");
	else
		vdate_format(&d, row->mccd);
}

/*
 * The coroner's outcome: `investigating` is what coroner_investigating
 * means; `not_investigating` only on a case that went on past the
 * coroner; none while the referral waits, nor on a case never referred.
 */
static void
import_coroner(struct import_row *row, char *cell, struct ferrs *fe)
{
	int	i;

	import_code(cell, 0);
	if (*cell == '\0') {
		if (row->state == CASE_CORONER_INVESTIGATING)
			ferr_add(fe, "coroner_outcome", "is required for a "
			    "case in state coroner_investigating");
		return;
	}
	if ((i = validate_enum(cell, import_coroner_outcomes)) < 0) {
		ferr_add(fe, "coroner_outcome", "must be investigating or "
		    "not_investigating");
		return;
	}
	row->coroner = import_coroner_outcomes[i];
	if (row->state == CASE_CORONER_INVESTIGATING && i != 0)
		ferr_add(fe, "coroner_outcome", "must be investigating for a "
		    "case in state coroner_investigating");
	else if (row->state != CASE_CORONER_INVESTIGATING && i == 0)
		ferr_add(fe, "coroner_outcome", "investigating goes with "
		    "state coroner_investigating");
	else if (row->state == CASE_NOTIFIED ||
	    row->state == CASE_REFERRED_TO_CORONER)
		ferr_add(fe, "coroner_outcome", "is not for a case in state "
		    "notified or referred_to_coroner");
}

/* state, examiner, officer, MCCD date, coroner outcome. */
static void
import_progress(const struct import_map *m, char **fields, size_t n,
    time_t now, char *cell, struct import_row *row, struct ferrs *fe,
    const struct vdate *dod, int has_dod)
{
	import_cell(m, fields, n, IC_STATE, cell, CELL_MAX);
	import_code(cell, 0);
	row->state = CASE_NOTIFIED;
	if (*cell != '\0' && case_state_from_str(cell, &row->state) != 0) {
		ferr_add(fe, "state", "is not a case state (notified, "
		    "in_scrutiny, referred_to_coroner, coroner_investigating, "
		    "awaiting_mccd, mccd_issued, closed, withdrawn)");
		return;
	}
	import_username(m, fields, n, IC_EXAMINER, cell, row->examiner, fe);
	import_username(m, fields, n, IC_OFFICER, cell, row->officer, fe);
	if (row->examiner[0] == '\0' && import_state_has_examiner(row->state))
		ferr_add(fe, "examiner", "is required for a case in this "
		    "state (an ME took it into scrutiny)");
	import_cell(m, fields, n, IC_MCCD_ISSUED_ON, cell, CELL_MAX);
	import_mccd(row, cell, now, dod, has_dod, fe);
	import_cell(m, fields, n, IC_CORONER_OUTCOME, cell, CELL_MAX);
	import_coroner(row, cell, fe);
}

int
import_row_read(const struct import_map *m, char **fields, size_t n,
    time_t now, struct import_row *row, struct ferrs *fe)
{
	struct vdate	 dod;
	json_t		*body;
	char		*cell;
	int		 has_dod;

	memset(row, 0, sizeof(*row));
	if (n > m->nfields) {
		ferr_add(fe, "row", "has more cells than the header");
		return (-1);
	}
	if ((cell = malloc(CELL_MAX)) == NULL) {
		ferr_add(fe, "row", "could not be read (out of memory)");
		return (-1);
	}
	body = import_body(m, fields, n, cell, fe, &dod, &has_dod);
	row->data = import_check_body(body, now, fe);
	json_decref(body);
	import_progress(m, fields, n, now, cell, row, fe, &dod, has_dod);
	free(cell);
	if (fe->n > 0) {
		import_row_free(row);
		return (-1);
	}
	return (0);
}

void
import_row_free(struct import_row *row)
{
	json_decref(row->data);
	row->data = NULL;
}
