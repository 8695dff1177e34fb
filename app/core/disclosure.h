/*
 * Disclosure control for the monthly transparency export (API.md
 * "Exports", DOMAIN.md section 8), and the rendering of its rows as CSV
 * and JSON.
 *
 * The rules, for every row, ALL included:
 *  - a count of 0 stays 0; 1 to 7 is suppressed (`*`); any other count
 *    is rounded to the nearest 5 (integers never tie);
 *  - the percentage within target is computed from the two ROUNDED
 *    counts, half up to one decimal, in integer arithmetic; it is `*`
 *    when either count is `*` and null when nothing was completed;
 *  - the median days to completion is over the RAW durations (even
 *    counts average the two middle ones), `*` under 8 cases, null with
 *    none, and is not rounded to 5;
 *  - ALL sums the raw counts and pools the raw durations of the offices,
 *    then applies the same rules.
 *
 * Percentages and medians are held in tenths (756 is 75.6) so that the
 * output never depends on floating point: the same rows always give the
 * same bytes.
 *
 * Functions returning int return 0 on success and -1 on failure.
 */
#ifndef MEDEX_DISCLOSURE_H
#define MEDEX_DISCLOSURE_H

#include <stddef.h>

#include "csv_writer.h"
#include "json_writer.h"
#include "sbuf.h"

/*
 * Kinds start at 1 so that a value left zeroed is not a valid 0: the
 * renderers refuse it rather than publish a figure nobody computed.
 */
#define DC_NUMBER		1	/* v is a count, or tenths */
#define DC_SUPPRESSED		2	/* shown as * */
#define DC_NULL			3	/* empty in CSV, null in JSON */

#define DC_SUPPRESS_BELOW	8	/* counts 1..7, medians of < 8 */
#define DC_ROUND_TO		5

/*
 * Far above any month of deaths in England and Wales, and low enough
 * that 2000 * count cannot overflow in the percentage.  A raw count past
 * it is a bug upstream and dc_row_apply() refuses it.
 */
#define DC_COUNT_MAX		1000000000000000LL

#define DC_MONTH_LEN		7	/* YYYY-MM */
#define DC_OFFICE_MAX		16
#define DC_ALL_OFFICE		"ALL"
#define DC_NCOLUMNS		23

struct dc_value {
	int		kind;
	long long	v;
};

/*
 * One office's raw figures for a month, before disclosure control, as
 * the database counts them.  Use dc_raw_init() to set month and office
 * and zero the rest.
 */
struct dc_raw_row {
	char		 month[DC_MONTH_LEN + 1];
	char		 office[DC_OFFICE_MAX + 1];
	long long	 deaths_notified;
	long long	 scrutiny_completed;
	long long	 completed_within_target;
	long long	 coroner_referrals;
	long long	 coroner_investigating;
	long long	 coroner_not_investigating;
	long long	 bereaved_reached;
	long long	 bereaved_declined;
	long long	 bereaved_no_response;
	long long	 bereaved_no_contacts;
	long long	 bereaved_other;
	long long	 concerns_raised;
	long long	 referrals_structured_judgement_review;
	long long	 referrals_patient_safety;
	long long	 referrals_learning_from_deaths;
	long long	 referrals_pals;
	long long	 referrals_other;
	long long	 urgent_release_requested;
	long long	 urgent_release_achieved;
	long long	 leder_notifications;	/* issue 19 */

	/*
	 * Whole days from notification to end of scrutiny, one for each
	 * case counted in scrutiny_completed (so ndays must equal it).
	 * Not owned: the caller keeps it alive and frees it.
	 */
	const int	*days_to_completion;
	size_t		 ndays;
};

/* A published row: API.md's 24 columns, in its order. */
struct dc_row {
	char		month[DC_MONTH_LEN + 1];
	char		office[DC_OFFICE_MAX + 1];
	struct dc_value	deaths_notified;
	struct dc_value	scrutiny_completed;
	struct dc_value	completed_within_target;
	struct dc_value	pct_completed_within_target;
	struct dc_value	median_days_to_completion;
	struct dc_value	coroner_referrals;
	struct dc_value	coroner_investigating;
	struct dc_value	coroner_not_investigating;
	struct dc_value	bereaved_reached;
	struct dc_value	bereaved_declined;
	struct dc_value	bereaved_no_response;
	struct dc_value	bereaved_no_contacts;
	struct dc_value	bereaved_other;
	struct dc_value	concerns_raised;
	struct dc_value	referrals_structured_judgement_review;
	struct dc_value	referrals_patient_safety;
	struct dc_value	referrals_learning_from_deaths;
	struct dc_value	referrals_pals;
	struct dc_value	referrals_other;
	struct dc_value	urgent_release_requested;
	struct dc_value	urgent_release_achieved;
	struct dc_value	leder_notifications;
};

/*
 * The name of value column i (after month and office, in API.md's
 * order), and whether it is a count (else a percentage or median); NULL
 * past the last.  The OpenAPI document describes the rows from it.
 */
const char	*dc_column_name(size_t, int *);

/* The rules, one value at a time. */
struct dc_value	dc_count(long long);
struct dc_value	dc_percent(struct dc_value, struct dc_value);
int		dc_median(const int *, size_t, struct dc_value *);

/*
 * Rows.  dc_raw_init() wants a month YYYY-MM and an office code (2-16
 * of A-Z 0-9 _ -, starting with a letter).  dc_row_apply() refuses a raw
 * row that cannot be right (a negative or huge count, more within target
 * than completed, ndays not equal to scrutiny_completed, a negative
 * duration, a bad month or office).  dc_row_sum() builds the ALL row
 * for a month from n offices' raw rows.
 */
int	dc_raw_init(struct dc_raw_row *, const char *, const char *);
int	dc_row_apply(const struct dc_raw_row *, struct dc_row *);
int	dc_row_sum(const struct dc_raw_row *, size_t, const char *,
	    struct dc_row *);

/*
 * The whole export's rows: n office rows sorted by code (bytewise), and
 * with add_all an ALL row last, into out (room for n rows, n + 1 with
 * add_all); on failure out holds nothing to publish.  Two
 * raw rows for one office, or an office whose code is ALL when an ALL
 * row is wanted, are refused.
 */
int	dc_rows_build(const struct dc_raw_row *, size_t, const char *, int,
	    struct dc_row *);

/*
 * Rendering.  CSV: `*` as *, null as an empty cell.  JSON: numbers as
 * numbers, `*` as the string "*", null as null.  A row with a value of
 * no known kind is refused before anything is written.
 *
 * dc_export_csv() writes the header and the rows; dc_export_json()
 * writes {"month":"YYYY-MM","rows":[{column: value, ...}, ...]}.
 */
int	dc_csv_header(struct csv_writer *);
int	dc_csv_row(struct csv_writer *, const struct dc_row *);
int	dc_json_row(struct json_writer *, const struct dc_row *);
int	dc_export_csv(struct sbuf *, const struct dc_row *, size_t);
int	dc_export_json(struct sbuf *, const char *, const struct dc_row *,
	    size_t);

#endif
