/*
 * Disclosure control and rendering for the monthly export; see
 * disclosure.h for the rules and DOMAIN.md section 8 for why.
 *
 * Nothing here uses floating point or the locale, and rows are walked
 * in one fixed column order, so identical input gives identical bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv_writer.h"
#include "disclosure.h"
#include "json_writer.h"
#include "sbuf.h"

#define DC_COL_COUNT	1
#define DC_COL_PERCENT	2
#define DC_COL_MEDIAN	3

/*
 * The 22 value columns after month and office, in API.md's order.  The
 * name of each count column is the name of its field in both row
 * structs (the macro makes it so), which keeps the header, the JSON
 * keys and the structs from drifting apart.
 */
struct dc_column {
	const char	*name;
	int		 type;
	size_t		 raw_off;	/* counts only */
	size_t		 out_off;
};

#define DC_COUNT_COLUMN(f)						\
	{ #f, DC_COL_COUNT, offsetof(struct dc_raw_row, f),		\
	    offsetof(struct dc_row, f) }

static const struct dc_column dc_columns[] = {
	DC_COUNT_COLUMN(deaths_notified),
	DC_COUNT_COLUMN(scrutiny_completed),
	DC_COUNT_COLUMN(completed_within_target),
	{ "pct_completed_within_target", DC_COL_PERCENT, 0,
	    offsetof(struct dc_row, pct_completed_within_target) },
	{ "median_days_to_completion", DC_COL_MEDIAN, 0,
	    offsetof(struct dc_row, median_days_to_completion) },
	DC_COUNT_COLUMN(coroner_referrals),
	DC_COUNT_COLUMN(coroner_investigating),
	DC_COUNT_COLUMN(coroner_not_investigating),
	DC_COUNT_COLUMN(bereaved_reached),
	DC_COUNT_COLUMN(bereaved_declined),
	DC_COUNT_COLUMN(bereaved_no_response),
	DC_COUNT_COLUMN(bereaved_no_contacts),
	DC_COUNT_COLUMN(bereaved_other),
	DC_COUNT_COLUMN(concerns_raised),
	DC_COUNT_COLUMN(referrals_structured_judgement_review),
	DC_COUNT_COLUMN(referrals_patient_safety),
	DC_COUNT_COLUMN(referrals_learning_from_deaths),
	DC_COUNT_COLUMN(referrals_pals),
	DC_COUNT_COLUMN(referrals_other),
	DC_COUNT_COLUMN(urgent_release_requested),
	DC_COUNT_COLUMN(urgent_release_achieved),
	DC_COUNT_COLUMN(leder_notifications),
};

#define DC_NVALUES	(sizeof(dc_columns) / sizeof(dc_columns[0]))

const char *
dc_column_name(size_t i, int *is_count)
{
	if (i >= DC_NVALUES)
		return (NULL);
	if (is_count != NULL)
		*is_count = dc_columns[i].type == DC_COL_COUNT;
	return (dc_columns[i].name);
}

static long long	 dc_raw_get(const struct dc_raw_row *,
			    const struct dc_column *);
static long long	*dc_raw_ptr(struct dc_raw_row *,
			    const struct dc_column *);
static const struct dc_value *dc_out_get(const struct dc_row *,
			    const struct dc_column *);
static struct dc_value	*dc_out_ptr(struct dc_row *,
			    const struct dc_column *);
static struct dc_value	 dc_value_make(int, long long);
static int		 dc_int_cmp(const void *, const void *);
static int		 dc_row_cmp(const void *, const void *);
static int		 dc_month_ok(const char *, size_t);
static int		 dc_office_ok(const char *, size_t);
static int		 dc_raw_check(const struct dc_raw_row *);
static int		 dc_row_valid(const struct dc_row *);
static int		 dc_json_value(struct json_writer *,
			    const struct dc_column *, const struct dc_value *);
static int		 dc_csv_value(struct csv_writer *,
			    const struct dc_column *, const struct dc_value *);

static long long
dc_raw_get(const struct dc_raw_row *raw, const struct dc_column *col)
{
	const long long	*p;

	p = (const long long *)(const void *)((const char *)raw +
	    col->raw_off);
	return (*p);
}

static long long *
dc_raw_ptr(struct dc_raw_row *raw, const struct dc_column *col)
{
	return ((long long *)(void *)((char *)raw + col->raw_off));
}

static const struct dc_value *
dc_out_get(const struct dc_row *row, const struct dc_column *col)
{
	return ((const struct dc_value *)(const void *)((const char *)row +
	    col->out_off));
}

static struct dc_value *
dc_out_ptr(struct dc_row *row, const struct dc_column *col)
{
	return ((struct dc_value *)(void *)((char *)row + col->out_off));
}

static struct dc_value
dc_value_make(int kind, long long v)
{
	struct dc_value	dv;

	dv.kind = kind;
	dv.v = v;
	return (dv);
}

/*
 * 0 stays 0 (an empty cell discloses nothing); 1 to 7 is suppressed;
 * the rest go to the nearest 5.  Integers never lie halfway between two
 * multiples of 5, so there is no tie rule.  The quotient and remainder
 * form cannot overflow, even at LLONG_MAX.  A negative count cannot
 * happen; if it does, the test below suppresses it rather than publish.
 */
struct dc_value
dc_count(long long raw)
{
	long long	q, r;

	if (raw == 0)
		return (dc_value_make(DC_NUMBER, 0));
	if (raw < DC_SUPPRESS_BELOW)
		return (dc_value_make(DC_SUPPRESSED, 0));

	q = raw / DC_ROUND_TO;
	r = raw % DC_ROUND_TO;
	if (r * 2 > DC_ROUND_TO)
		q++;
	return (dc_value_make(DC_NUMBER, q * DC_ROUND_TO));
}

/*
 * From the published (rounded) figures, so that a reader can recompute
 * it from the same row.  Half up to one decimal, exactly:
 * tenths = floor(1000 * num / den + 1/2) = (2000 * num + den) /
 * (2 * den).  Rounding to 5 is monotonic, so num <= den holds and the
 * result cannot pass 100.0; the clamp is there in case a caller breaks
 * that.  Figures past DC_COUNT_MAX would overflow, so they fail closed.
 */
struct dc_value
dc_percent(struct dc_value num, struct dc_value den)
{
	long long	n;

	if (num.kind == DC_SUPPRESSED || den.kind == DC_SUPPRESSED)
		return (dc_value_make(DC_SUPPRESSED, 0));
	if (num.kind != DC_NUMBER || den.kind != DC_NUMBER || den.v <= 0)
		return (dc_value_make(DC_NULL, 0));
	if (num.v < 0 || num.v > DC_COUNT_MAX || den.v > DC_COUNT_MAX)
		return (dc_value_make(DC_SUPPRESSED, 0));

	n = num.v > den.v ? den.v : num.v;
	return (dc_value_make(DC_NUMBER, (2000 * n + den.v) / (2 * den.v)));
}

static int
dc_int_cmp(const void *a, const void *b)
{
	int	x, y;

	x = *(const int *)a;
	y = *(const int *)b;
	return ((x > y) - (x < y));
}

/*
 * Over the raw durations, in tenths: the middle one times 10, or for an
 * even count the two middle ones times 5, which is exact.  Sorts a copy
 * so the caller's array is left as it was.  On failure (no memory) the
 * value is set to suppressed, so nothing is published by mistake.
 */
int
dc_median(const int *days, size_t n, struct dc_value *out)
{
	int	*copy;
	int	 ret;

	copy = NULL;
	ret = -1;
	*out = dc_value_make(DC_SUPPRESSED, 0);

	if (n == 0) {
		*out = dc_value_make(DC_NULL, 0);
		ret = 0;
		goto cleanup;
	}
	if (n < DC_SUPPRESS_BELOW) {
		ret = 0;
		goto cleanup;
	}
	if (days == NULL || n > SIZE_MAX / sizeof(*copy))
		goto cleanup;
	if ((copy = malloc(n * sizeof(*copy))) == NULL)
		goto cleanup;
	memcpy(copy, days, n * sizeof(*copy));
	qsort(copy, n, sizeof(*copy), dc_int_cmp);

	if (n % 2 == 1)
		*out = dc_value_make(DC_NUMBER, (long long)copy[n / 2] * 10);
	else
		*out = dc_value_make(DC_NUMBER,
		    ((long long)copy[n / 2 - 1] + copy[n / 2]) * 5);
	ret = 0;

cleanup:
	free(copy);
	return (ret);
}

/* YYYY-MM, month 01 to 12, NUL-terminated within size bytes. */
static int
dc_month_ok(const char *s, size_t size)
{
	size_t	i;

	if (s == NULL || strnlen(s, size) != DC_MONTH_LEN)
		return (0);
	for (i = 0; i < DC_MONTH_LEN; i++) {
		if (i == 4) {
			if (s[i] != '-')
				return (0);
		} else if (s[i] < '0' || s[i] > '9') {
			return (0);
		}
	}
	if (s[5] > '1' || (s[5] == '0' && s[6] == '0') ||
	    (s[5] == '1' && s[6] > '2'))
		return (0);
	return (1);
}

/* API.md: 2 to 16 of A-Z 0-9 _ -, starting with a letter. */
static int
dc_office_ok(const char *s, size_t size)
{
	size_t	i, len;

	if (s == NULL)
		return (0);
	len = strnlen(s, size);
	if (len < 2 || len > DC_OFFICE_MAX || len == size)
		return (0);
	if (s[0] < 'A' || s[0] > 'Z')
		return (0);
	for (i = 1; i < len; i++) {
		if ((s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-')
			continue;
		return (0);
	}
	return (1);
}

int
dc_raw_init(struct dc_raw_row *raw, const char *month, const char *office)
{
	memset(raw, 0, sizeof(*raw));
	if (!dc_month_ok(month, DC_MONTH_LEN + 1) ||
	    !dc_office_ok(office, DC_OFFICE_MAX + 1))
		return (-1);
	memcpy(raw->month, month, DC_MONTH_LEN + 1);
	memcpy(raw->office, office, strlen(office) + 1);
	return (0);
}

/*
 * What cannot be true of a month's figures.  Publishing them anyway
 * could put a wrong number, or an unsuppressed one, into national
 * statistics, so the export fails instead and the bug gets found.
 */
static int
dc_raw_check(const struct dc_raw_row *raw)
{
	size_t		i;
	long long	v;

	if (!dc_month_ok(raw->month, sizeof(raw->month)) ||
	    !dc_office_ok(raw->office, sizeof(raw->office)))
		return (-1);
	for (i = 0; i < DC_NVALUES; i++) {
		if (dc_columns[i].type != DC_COL_COUNT)
			continue;
		v = dc_raw_get(raw, &dc_columns[i]);
		if (v < 0 || v > DC_COUNT_MAX)
			return (-1);
	}
	if (raw->completed_within_target > raw->scrutiny_completed)
		return (-1);
	if ((unsigned long long)raw->scrutiny_completed != raw->ndays)
		return (-1);
	if (raw->ndays > 0 && raw->days_to_completion == NULL)
		return (-1);
	for (i = 0; i < raw->ndays; i++) {
		if (raw->days_to_completion[i] < 0)
			return (-1);
	}
	return (0);
}

int
dc_row_apply(const struct dc_raw_row *raw, struct dc_row *out)
{
	size_t	i;
	int	ret;

	ret = -1;
	memset(out, 0, sizeof(*out));
	if (dc_raw_check(raw) == -1)
		goto cleanup;

	memcpy(out->month, raw->month, sizeof(out->month));
	memcpy(out->office, raw->office, sizeof(out->office));
	for (i = 0; i < DC_NVALUES; i++) {
		if (dc_columns[i].type == DC_COL_COUNT)
			*dc_out_ptr(out, &dc_columns[i]) =
			    dc_count(dc_raw_get(raw, &dc_columns[i]));
	}
	out->pct_completed_within_target =
	    dc_percent(out->completed_within_target, out->scrutiny_completed);
	if (dc_median(raw->days_to_completion, raw->ndays,
	    &out->median_days_to_completion) == -1)
		goto cleanup;
	ret = 0;

cleanup:
	/* A half-made row has zeroed kinds, which no renderer accepts. */
	if (ret == -1)
		memset(out, 0, sizeof(*out));
	return (ret);
}

/*
 * The ALL row: raw counts summed and raw durations pooled before any
 * rounding, so that it is not the sum of rounded figures (two offices
 * of 12 publish 10 and 10, ALL 25).  Each office row is checked on its
 * own first, so that a bad row cannot hide inside the total.
 */
int
dc_row_sum(const struct dc_raw_row *rows, size_t n, const char *month,
    struct dc_row *out)
{
	struct dc_raw_row	 all;
	const struct dc_column	*col;
	long long		*sum;
	int			*pool;
	size_t			 i, j, ndays, at;
	int			 ret;

	pool = NULL;
	ret = -1;
	ndays = 0;
	memset(out, 0, sizeof(*out));
	if (dc_raw_init(&all, month, DC_ALL_OFFICE) == -1)
		goto cleanup;

	for (i = 0; i < n; i++) {
		if (dc_raw_check(&rows[i]) == -1 ||
		    strcmp(rows[i].month, all.month) != 0)
			goto cleanup;
		for (j = 0; j < DC_NVALUES; j++) {
			col = &dc_columns[j];
			if (col->type != DC_COL_COUNT)
				continue;
			/* Both are at most DC_COUNT_MAX: no overflow. */
			sum = dc_raw_ptr(&all, col);
			*sum += dc_raw_get(&rows[i], col);
			if (*sum > DC_COUNT_MAX)
				goto cleanup;
		}
		if (rows[i].ndays > SIZE_MAX / sizeof(*pool) - ndays)
			goto cleanup;
		ndays += rows[i].ndays;
	}

	if (ndays > 0) {
		if ((pool = malloc(ndays * sizeof(*pool))) == NULL)
			goto cleanup;
		at = 0;
		for (i = 0; i < n; i++) {
			if (rows[i].ndays == 0)
				continue;
			memcpy(pool + at, rows[i].days_to_completion,
			    rows[i].ndays * sizeof(*pool));
			at += rows[i].ndays;
		}
	}
	all.days_to_completion = pool;
	all.ndays = ndays;
	ret = dc_row_apply(&all, out);

cleanup:
	free(pool);
	return (ret);
}

static int
dc_row_cmp(const void *a, const void *b)
{
	return (strcmp(((const struct dc_row *)a)->office,
	    ((const struct dc_row *)b)->office));
}

/*
 * Sorting here, bytewise, rather than trusting the database's ORDER BY
 * keeps the order independent of the database's collation, where '-'
 * and '_' may sort differently from one locale to another.
 */
int
dc_rows_build(const struct dc_raw_row *raw, size_t n, const char *month,
    int add_all, struct dc_row *out)
{
	size_t	i;
	int	ret;

	ret = -1;
	if (!dc_month_ok(month, DC_MONTH_LEN + 1))
		goto cleanup;
	for (i = 0; i < n; i++) {
		if (dc_row_apply(&raw[i], &out[i]) == -1 ||
		    strcmp(out[i].month, month) != 0)
			goto cleanup;
	}
	if (n > 1)
		qsort(out, n, sizeof(*out), dc_row_cmp);
	for (i = 1; i < n; i++) {
		if (strcmp(out[i - 1].office, out[i].office) == 0)
			goto cleanup;
	}
	if (add_all) {
		for (i = 0; i < n; i++) {
			if (strcmp(out[i].office, DC_ALL_OFFICE) == 0)
				goto cleanup;
		}
		if (dc_row_sum(raw, n, month, &out[n]) == -1)
			goto cleanup;
	}
	ret = 0;

cleanup:
	return (ret);
}

static int
dc_row_valid(const struct dc_row *row)
{
	const struct dc_value	*v;
	size_t			 i;

	if (!dc_month_ok(row->month, sizeof(row->month)) ||
	    !dc_office_ok(row->office, sizeof(row->office)))
		return (0);
	for (i = 0; i < DC_NVALUES; i++) {
		v = dc_out_get(row, &dc_columns[i]);
		if (v->kind != DC_NUMBER && v->kind != DC_SUPPRESSED &&
		    v->kind != DC_NULL)
			return (0);
	}
	return (1);
}

int
dc_csv_header(struct csv_writer *cw)
{
	size_t	i;

	(void)csv_cell(cw, "month");
	(void)csv_cell(cw, "office");
	for (i = 0; i < DC_NVALUES; i++)
		(void)csv_cell(cw, dc_columns[i].name);
	return (csv_row_end(cw));
}

static int
dc_csv_value(struct csv_writer *cw, const struct dc_column *col,
    const struct dc_value *v)
{
	switch (v->kind) {
	case DC_SUPPRESSED:
		return (csv_cell(cw, "*"));
	case DC_NULL:
		return (csv_cell(cw, ""));
	default:
		if (col->type == DC_COL_COUNT)
			return (csv_cell_int(cw, v->v));
		return (csv_cell_tenths(cw, v->v));
	}
}

int
dc_csv_row(struct csv_writer *cw, const struct dc_row *row)
{
	size_t	i;

	if (!dc_row_valid(row))
		return (-1);
	(void)csv_cell(cw, row->month);
	(void)csv_cell(cw, row->office);
	for (i = 0; i < DC_NVALUES; i++)
		(void)dc_csv_value(cw, &dc_columns[i],
		    dc_out_get(row, &dc_columns[i]));
	return (csv_row_end(cw));
}

static int
dc_json_value(struct json_writer *jw, const struct dc_column *col,
    const struct dc_value *v)
{
	switch (v->kind) {
	case DC_SUPPRESSED:
		return (jw_string(jw, "*"));
	case DC_NULL:
		return (jw_null(jw));
	default:
		if (col->type == DC_COL_COUNT)
			return (jw_int(jw, v->v));
		return (jw_tenths(jw, v->v));
	}
}

int
dc_json_row(struct json_writer *jw, const struct dc_row *row)
{
	size_t	i;

	if (!dc_row_valid(row))
		return (-1);
	(void)jw_object_open(jw);
	(void)jw_member_string(jw, "month", row->month);
	(void)jw_member_string(jw, "office", row->office);
	for (i = 0; i < DC_NVALUES; i++) {
		(void)jw_key(jw, dc_columns[i].name);
		(void)dc_json_value(jw, &dc_columns[i],
		    dc_out_get(row, &dc_columns[i]));
	}
	return (jw_object_close(jw));
}

/*
 * Every row is checked before the first byte is written, so a refused
 * export leaves nothing half-written for a caller to send by mistake.
 */
int
dc_export_csv(struct sbuf *sb, const struct dc_row *rows, size_t n)
{
	struct csv_writer	cw;
	size_t			i;

	for (i = 0; i < n; i++) {
		if (!dc_row_valid(&rows[i]))
			return (-1);
	}
	csv_init(&cw, sb);
	(void)dc_csv_header(&cw);
	for (i = 0; i < n; i++)
		(void)dc_csv_row(&cw, &rows[i]);
	return (sb->oom ? -1 : 0);
}

int
dc_export_json(struct sbuf *sb, const char *month, const struct dc_row *rows,
    size_t n)
{
	struct json_writer	jw;
	size_t			i;

	if (!dc_month_ok(month, DC_MONTH_LEN + 1))
		return (-1);
	for (i = 0; i < n; i++) {
		if (!dc_row_valid(&rows[i]) ||
		    strcmp(rows[i].month, month) != 0)
			return (-1);
	}
	jw_init(&jw, sb);
	(void)jw_object_open(&jw);
	(void)jw_member_string(&jw, "month", month);
	(void)jw_key(&jw, "rows");
	(void)jw_array_open(&jw);
	for (i = 0; i < n; i++)
		(void)dc_json_row(&jw, &rows[i]);
	(void)jw_array_close(&jw);
	(void)jw_object_close(&jw);
	return (jw_finish(&jw));
}
