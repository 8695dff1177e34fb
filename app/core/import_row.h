/*
 * The rows of a case import (`medexctl import cases`, docs/operations.md
 * "Importing cases"): the header of the file names its columns, each
 * row becomes the body of POST /api/v1/cases and is checked by the very
 * code that checks that body (case_body_check), plus the columns the API
 * sets through later calls (state, examiner, officer, MCCD date, the
 * coroner's outcome), checked here against each other.
 *
 * Errors are named by the column of the layout (the header's spelling
 * folded: "Date of death" is date_of_death), so the report can say
 * "row 7, date_of_death: is in the future".  Pure C: no database; what
 * needs the stored data (usernames of the office, the duplicate) is the
 * SQL function's.
 */
#ifndef MEDEX_IMPORT_ROW_H
#define MEDEX_IMPORT_ROW_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "case_state.h"
#include "csv_reader.h"
#include "reqbody.h"
#include "validate.h"

enum import_col {
	IC_GIVEN_NAME = 0,
	IC_FAMILY_NAME,
	IC_NHS_NUMBER,
	IC_DATE_OF_BIRTH,
	IC_SEX,
	IC_DATE_OF_DEATH,
	IC_TIME_OF_DEATH,
	IC_PLACE_OF_DEATH,
	IC_PLACE_DETAIL,
	IC_AP_NAME,
	IC_AP_GMC,
	IC_NOTIFIED_AT,
	IC_ETHNICITY,
	IC_STATE,
	IC_EXAMINER,
	IC_OFFICER,
	IC_MCCD_ISSUED_ON,
	IC_CORONER_OUTCOME,
	IC_COUNT
};

/* The layout's column names, in template order (IC_COUNT of them). */
extern const char *const import_columns[];

/* Which layout column each field of the file is (-1: none). */
struct import_map {
	int	col[CSV_FIELDS_MAX];
	size_t	nfields;
};

/* One good row: what import_case() (sql/import.sql) takes. */
struct import_row {
	json_t		*data;		/* case columns, as api_case_create */
	enum case_state	 state;
	char		 examiner[USERNAME_MAX + 1];
	char		 officer[USERNAME_MAX + 1];
	char		 mccd[VDATE_STR_LEN];
	const char	*coroner;	/* NULL, or a decision code */
};

/*
 * The header record: 0, or -1 with errors (an unknown or repeated
 * column, a required one missing) in fe.
 */
int	import_header(struct import_map *, char **, size_t, struct ferrs *);

/*
 * A data record: 0 with row filled (row->data to be freed with
 * import_row_free), or -1 with errors in fe.  now is the clock for
 * "not in the future".
 */
int	import_row_read(const struct import_map *, char **, size_t, time_t,
	    struct import_row *, struct ferrs *);
void	import_row_free(struct import_row *);

/* DD/MM/YYYY (day and month of 1 or 2 digits) or YYYY-MM-DD: 1 or 0. */
int	import_date(const char *, struct vdate *);

#define IMPORT_PHRASE_DATE	"must be a real date as DD/MM/YYYY or " \
	"YYYY-MM-DD"

#endif
