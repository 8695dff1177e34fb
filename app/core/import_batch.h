/*
 * A spreadsheet held in memory, as the lead medical examiner's import
 * page (app/http/pages/import_page.c) receives it: every row read and
 * checked by import_row.c, as `medexctl import cases` does with a file
 * it streams, into the one JSON object that api_import_stage()
 * (sql/import.sql) takes:
 *
 *   {"file", "sha256", "encoding", "separator", "rows_read",
 *    "rows": [{"row", "data", "state", "examiner", "officer", "mccd",
 *              "coroner"}, ...],
 *    "errors": [{"row", "column", "message"}, ...], "errors_total"}
 *
 * The page takes at most IMPORT_PAGE_ROWS rows (the database does the
 * whole file in one request, within its statement timeout); larger
 * files are for medexctl.  At most IMPORT_PAGE_ERRORS errors are listed;
 * errors_total counts them all.  Pure C, no Kore.
 */
#ifndef MEDEX_IMPORT_BATCH_H
#define MEDEX_IMPORT_BATCH_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

#define IMPORT_PAGE_ROWS	2000
#define IMPORT_PAGE_ERRORS	200
#define IMPORT_FILE_NAME	200	/* bytes of the name kept */

/* The check of buf[0..len); NULL when out of memory. */
json_t	*import_batch_check(const char *, size_t, const char *, time_t,
	    long);

/*
 * The name a browser sent for the file, as the trail may keep it: the
 * last part of a Windows or Unix path, control characters as '_', cut
 * at IMPORT_FILE_NAME bytes on a character boundary; "upload.csv" when
 * nothing is left.
 */
void	 import_file_name(const char *, char *, size_t);

/* The template's one line: the layout's column names, comma-separated. */
size_t	 import_template(char *, size_t);

#endif
