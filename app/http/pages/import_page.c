/*
 * GET /office/import: the lead medical examiner brings the office's
 * cases in from a spreadsheet (issue 23), in three steps:
 *
 *   1. the form: what the file must hold, the template to download
 *      (GET /office/import/template.csv), and the file to choose;
 *   2. POST /office/import (multipart): the file is read and every row
 *      checked here, by the code of `medexctl import cases`
 *      (app/core/import_batch.c, import_row.c), then api_import_stage()
 *      (sql/import.sql) runs the rows in a transaction it rolls back:
 *      the report lists each error by row and column, or what the import
 *      would create, and nothing is written;
 *   3. POST /office/import/confirm: api_import_confirm() writes the
 *      checked rows in one transaction, all or nothing.
 *
 * The rows wait between 2 and 3 in import_uploads (at most an hour, for
 * the user who checked them); the file itself is never kept.  Larger
 * files than the page takes (IMPORT_PAGE_ROWS rows, Kore's 2 MiB body)
 * are for medexctl, which streams them.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "medex.h"
#include "api.h"
#include "form.h"
#include "handlers.h"
#include "html_writer.h"
#include "import_batch.h"
#include "import_row.h"
#include "page.h"
#include "page_frame.h"
#include "respond.h"
#include "signed_in.h"

static const char sql_stage[] =
    "SELECT * FROM api_import_stage($1, $2, $3, $4, $5, $6, $7::jsonb)";
static const char sql_confirm[] =
    "SELECT * FROM api_import_confirm($1, $2, $3, $4, $5, $6, $7)";

/* What each column of the layout holds, in import_columns' order. */
static const char *const import_notes[IC_COUNT][2] = {
	{ "Yes", "1 to 200 characters" },
	{ "Yes", "1 to 200 characters" },
	{ "No", "10 digits; spaces allowed" },
	{ "Yes", "DD/MM/YYYY or YYYY-MM-DD" },
	{ "Yes", "female, male, indeterminate or unknown" },
	{ "Yes", "a date as above; not in the future" },
	{ "No", "HH:MM" },
	{ "Yes", "hospital, hospice, care home, home or other" },
	{ "No", "up to 500 characters" },
	{ "Yes", "1 to 200 characters" },
	{ "Yes", "7 digits" },
	{ "No", "when the office was told (a date); today if empty" },
	{ "No", "one NHS ethnic category letter" },
	{ "No", "the case's state; notified if empty" },
	{ "For a case in scrutiny or later",
	    "the username of a medical examiner of this office" },
	{ "No", "the username of an officer of this office" },
	{ "For a case whose MCCD was issued", "a date" },
	{ "For a case the coroner is investigating",
	    "investigating or not_investigating" },
};

static const char *
js(json_t *o, const char *key)
{
	return (json_string_value(json_object_get(o, key)));
}

static long long
ji(json_t *o, const char *key)
{
	return ((long long)json_integer_value(json_object_get(o, key)));
}

static void
import_columns_table(struct sbuf *sb)
{
	static const char *const heads[] = { "Column", "Required",
	    "What it holds" };
	const char	*cells[3], *links[3] = { NULL, NULL, NULL };
	size_t		 i;

	html_raw(sb, "<details class=\"nhsuk-details\"><summary "
	    "class=\"nhsuk-details__summary\"><span class=\"nhsuk-details__"
	    "summary-text\">The columns of the file</span></summary>"
	    "<div class=\"nhsuk-details__text\">");
	page_table_begin(sb, "The columns of the file", heads, 3);
	for (i = 0; i < IC_COUNT; i++) {
		cells[0] = import_columns[i];
		cells[1] = import_notes[i][0];
		cells[2] = import_notes[i][1];
		page_table_row(sb, cells, links, 3);
	}
	page_table_end(sb);
	html_raw(sb, "</div></details>");
}

/* The file input and its button; error is the field's message or NULL. */
static void
import_upload_form(struct medex_req *mr, struct sbuf *sb, const char *error)
{
	char	hint[160];

	html_raw(sb, "<form action=\"/office/import\" method=\"post\" "
	    "enctype=\"multipart/form-data\" novalidate>");
	page_csrf_field(sb, mr->page_csrf);
	if (error != NULL)
		html_raw(sb, "<div class=\"nhsuk-form-group "
		    "nhsuk-form-group--error\">");
	else
		html_raw(sb, "<div class=\"nhsuk-form-group\">");
	html_raw(sb, "<label class=\"nhsuk-label nhsuk-label--s\" "
	    "for=\"file\">The spreadsheet, saved as CSV</label>");
	snprintf(hint, sizeof(hint), "UTF-8 or Windows-1252, separated by "
	    "commas or semicolons; at most %d rows.", IMPORT_PAGE_ROWS);
	html_raw(sb, "<div class=\"nhsuk-hint\" id=\"file-hint\">");
	html_text(sb, hint);
	html_raw(sb, "</div>");
	if (error != NULL) {
		html_raw(sb, "<span class=\"nhsuk-error-message\" "
		    "id=\"file-error\"><span class=\"nhsuk-u-visually-hidden\">"
		    "Error:</span> ");
		html_text(sb, error);
		html_raw(sb, "</span>");
	}
	html_raw(sb, "<input class=\"medex-file\" id=\"file\" "
	    "name=\"file\" type=\"file\" accept=\".csv,text/csv\" ");
	if (error != NULL)
		html_raw(sb, "aria-describedby=\"file-hint file-error\">");
	else
		html_raw(sb, "aria-describedby=\"file-hint\">");
	html_raw(sb, "</div>");
	page_button(sb, "Check the file");
	html_raw(sb, "</form>");
}

static void
import_intro(struct sbuf *sb)
{
	page_p(sb, "Bring the office's cases in from a spreadsheet. medex "
	    "checks every row first and shows you what it would do; nothing "
	    "is written until you confirm, and then the whole file is "
	    "imported or none of it.");
	page_p(sb, "A row whose case is already in medex (the same NHS "
	    "number, or without one the same names and dates of birth and "
	    "death) is skipped, so the same file can be imported again. "
	    "Each case records that you imported it, from which file.");
	html_raw(sb, "<p class=\"nhsuk-body\"><a href=\"/office/import/"
	    "template.csv\" download>Download the template (CSV)</a>: the "
	    "header row to fill in with Excel or LibreOffice.</p>");
}

static void
import_page_open(struct medex_req *mr, struct sbuf *sb, const char *title,
    int errors)
{
	struct page_user	u;

	if (pages_user(mr, page_display_name(mr), &u))
		page_begin(sb, title, errors, &u, NAV_OFFICE);
	else
		page_begin(sb, title, errors, NULL, NAV_OFFICE);
	html_raw(sb, "<div class=\"nhsuk-grid-row\">"
	    "<div class=\"nhsuk-grid-column-two-thirds\">");
}

static void
import_page_close(struct sbuf *sb)
{
	html_raw(sb, "</div></div>");
	page_end(sb);
}

/* Step 1; error (a missing file) is said at the top and at the field. */
static void
import_form_page(struct medex_req *mr, struct sbuf *sb, const char *error)
{
	struct page_error	e = { "file", error };

	import_page_open(mr, sb, "Import cases", error != NULL);
	if (error != NULL)
		page_error_summary(sb, &e, 1);
	page_h1(sb, "Office", "Import cases from a spreadsheet");
	import_intro(sb);
	import_columns_table(sb);
	import_upload_form(mr, sb, error);
	import_page_close(sb);
}

static void
render_form(struct http_request *req, struct medex_req *mr, json_t *j,
    struct sbuf *sb)
{
	(void)req;
	(void)j;
	import_form_page(mr, sb, NULL);
}

int
pages_import(struct http_request *req, struct medex_req *mr)
{
	return (page_signed_in(req, mr, NULL, 0, NULL, render_form));
}

/* The rows of errors, in the file's numbering (the header is row 1). */
static void
import_errors_table(struct sbuf *sb, json_t *errs, long long total)
{
	static const char *const heads[] = { "Row", "Column", "Problem" };
	const char	*cells[3], *links[3] = { NULL, NULL, NULL };
	char		 row[32], more[128];
	json_t		*e;
	size_t		 i;

	html_raw(sb, "<div id=\"import-errors\">");
	page_table_begin(sb, "What is wrong, row by row", heads, 3);
	json_array_foreach(errs, i, e) {
		snprintf(row, sizeof(row), "%lld", ji(e, "row"));
		cells[0] = row;
		cells[1] = js(e, "column") != NULL ? js(e, "column") :
		    "(the row)";
		cells[2] = js(e, "message") != NULL ? js(e, "message") : "";
		page_table_row(sb, cells, links, 3);
	}
	page_table_end(sb);
	html_raw(sb, "</div>");
	if (total > (long long)json_array_size(errs)) {
		snprintf(more, sizeof(more), "And %lld more problems not "
		    "listed: correct these and check the file again.",
		    total - (long long)json_array_size(errs));
		page_p(sb, more);
	}
}

/* A summary list row: key and value, both text. */
static void
summary_row(struct sbuf *sb, const char *key, const char *value)
{
	html_raw(sb, "<div class=\"nhsuk-summary-list__row\">"
	    "<dt class=\"nhsuk-summary-list__key\">");
	html_text(sb, key);
	html_raw(sb, "</dt><dd class=\"nhsuk-summary-list__value\">");
	html_text(sb, value != NULL ? value : "");
	html_raw(sb, "</dd></div>");
}

static void
import_summary(struct sbuf *sb, json_t *j, int done)
{
	char	n[3][32], how[96];

	snprintf(n[0], sizeof(n[0]), "%lld", ji(j, "rows_read"));
	snprintf(n[1], sizeof(n[1]), "%lld", ji(j, "created"));
	snprintf(n[2], sizeof(n[2]), "%lld", ji(j, "existing"));
	snprintf(how, sizeof(how), "%s, cells separated by \"%s\"",
	    js(j, "encoding") != NULL ? js(j, "encoding") : "unknown",
	    js(j, "separator") != NULL ? js(j, "separator") : ",");
	html_raw(sb, "<dl class=\"nhsuk-summary-list\">");
	summary_row(sb, "File", js(j, "file"));
	summary_row(sb, "Rows", n[0]);
	summary_row(sb, done ? "Cases created" : "Cases it would create",
	    n[1]);
	summary_row(sb, "Already in medex (skipped)", n[2]);
	summary_row(sb, "Read as", how);
	summary_row(sb, "SHA-256 of the file", js(j, "sha256"));
	html_raw(sb, "</dl>");
}

/* Errors: nothing written; the list, then the form again. */
static void
import_refused(struct medex_req *mr, struct sbuf *sb, json_t *j)
{
	struct page_error	 e = { "/office/import#import-errors", NULL };
	json_t			*errs = json_object_get(j, "errors");
	long long		 total;
	char			 msg[160];

	total = ji(j, "errors_total");
	if (total < (long long)json_array_size(errs))
		total = (long long)json_array_size(errs);
	snprintf(msg, sizeof(msg), "The file has %lld problem%s: nothing "
	    "was imported", total, total == 1 ? "" : "s");
	e.field = "import-errors";
	e.message = msg;
	mr->status = 422;
	import_page_open(mr, sb, "Import cases", 1);
	page_error_summary(sb, &e, 1);
	page_h1(sb, js(j, "file"), "Import cases from a spreadsheet");
	page_p(sb, "Correct the rows below in the spreadsheet, save it as "
	    "CSV again and check it again. Rows are numbered as the "
	    "spreadsheet numbers them: the header is row 1.");
	import_errors_table(sb, errs, total);
	import_upload_form(mr, sb, NULL);
	import_columns_table(sb);
	import_page_close(sb);
}

/* Step 2's report of a clean file, with the confirmation. */
static void
import_report(struct medex_req *mr, struct sbuf *sb, json_t *j)
{
	char	button[64];

	import_page_open(mr, sb, "Check the import", 0);
	page_h1(sb, "Import cases from a spreadsheet", "Check the import");
	import_summary(sb, j, 0);
	if (ji(j, "created") == 0) {
		page_inset(sb, "Every row of this file is already in medex: "
		    "there is nothing to import.");
		html_raw(sb, "<p class=\"nhsuk-body\"><a href=\"/office/"
		    "import\">Choose another file</a></p>");
		import_page_close(sb);
		return;
	}
	html_raw(sb, "<div class=\"nhsuk-warning-callout\"><h2 class=\""
	    "nhsuk-warning-callout__label\"><span role=\"text\"><span class="
	    "\"nhsuk-u-visually-hidden\">Important: </span>Nothing is "
	    "imported yet</span></h2><p>Every row was checked. Import them "
	    "now, or choose another file. This check is kept for an hour.</p>"
	    "</div>");
	html_raw(sb, "<form action=\"/office/import/confirm\" method=\"post\" "
	    "novalidate>");
	page_csrf_field(sb, mr->page_csrf);
	html_raw(sb, "<input type=\"hidden\" name=\"upload\" value=\"");
	html_text(sb, js(j, "upload") != NULL ? js(j, "upload") : "");
	html_raw(sb, "\">");
	snprintf(button, sizeof(button), "Import %lld case%s",
	    ji(j, "created"), ji(j, "created") == 1 ? "" : "s");
	page_button(sb, button);
	html_raw(sb, "</form><p class=\"nhsuk-body\"><a href=\"/office/"
	    "import\">Choose another file</a></p>");
	import_page_close(sb);
}

static void
render_report(struct http_request *req, struct medex_req *mr, json_t *j,
    struct sbuf *sb)
{
	(void)req;
	if (j == NULL || !json_is_array(json_object_get(j, "errors"))) {
		mr->status = 500;
		page_error_body(mr, 500, NULL);
		return;
	}
	if (json_array_size(json_object_get(j, "errors")) > 0)
		import_refused(mr, sb, j);
	else
		import_report(mr, sb, j);
}

static void
render_no_file(struct http_request *req, struct medex_req *mr, json_t *j,
    struct sbuf *sb)
{
	(void)req;
	(void)j;
	mr->status = 422;
	import_form_page(mr, sb, "Select the spreadsheet's CSV file");
}

/* Step 2: the file read and checked here, then the dry run. */
int
pages_import_check(struct http_request *req, struct medex_req *mr)
{
	struct http_file	*f;
	json_t			*check;
	char			*buf, *s;
	const char		*p[1];
	ssize_t			 n;
	int			 ret;

	f = http_file_lookup(req, "file");
	if (f == NULL || f->length == 0)
		return (page_signed_in(req, mr, NULL, 0, NULL,
		    render_no_file));
	buf = kore_malloc(f->length);
	http_file_rewind(f);
	n = http_file_read(f, buf, f->length);
	check = n == (ssize_t)f->length ? import_batch_check(buf, f->length,
	    f->filename, time(NULL), IMPORT_PAGE_ROWS) : NULL;
	explicit_bzero(buf, f->length);
	kore_free(buf);
	if (check == NULL)
		return (pages_error(req, mr, 500, NULL));
	s = json_dumps(check, JSON_COMPACT);
	json_decref(check);
	if (s == NULL)
		return (pages_error(req, mr, 500, NULL));
	p[0] = s;
	ret = page_signed_in(req, mr, sql_stage, 1, p, render_report);
	explicit_bzero(s, strlen(s));
	free(s);
	return (ret);
}

/* Step 3's answer: imported, refused (the office changed), or gone. */
static void
render_done(struct http_request *req, struct medex_req *mr, json_t *j,
    struct sbuf *sb)
{
	char	line[160];

	(void)req;
	if (j == NULL) {
		mr->status = 500;
		page_error_body(mr, 500, NULL);
		return;
	}
	if (json_is_true(json_object_get(j, "gone"))) {
		mr->status = 409;
		import_page_open(mr, sb, "Import cases", 0);
		page_h1(sb, "Import cases from a spreadsheet",
		    "This check is no longer open");
		page_p(sb, "It was imported already, or it was checked more "
		    "than an hour ago, or you checked another file since. "
		    "Nothing was imported now.");
		html_raw(sb, "<p class=\"nhsuk-body\"><a href=\"/office/"
		    "import\">Check the file again</a></p>");
		import_page_close(sb);
		return;
	}
	if (!json_is_true(json_object_get(j, "imported"))) {
		import_refused(mr, sb, j);
		return;
	}
	import_page_open(mr, sb, "Cases imported", 0);
	html_raw(sb, "<div class=\"nhsuk-panel\" role=\"status\">"
	    "<h1 class=\"nhsuk-panel__heading\">");
	snprintf(line, sizeof(line), "%lld case%s imported", ji(j, "created"),
	    ji(j, "created") == 1 ? "" : "s");
	html_text(sb, line);
	html_raw(sb, "</h1></div>");
	import_summary(sb, j, 1);
	html_raw(sb, "<p class=\"nhsuk-body\"><a href=\"/cases\">Go to the "
	    "work queue</a></p><p class=\"nhsuk-body\"><a href=\"/office/"
	    "import\">Import another file</a></p>");
	import_page_close(sb);
}

int
pages_import_confirm(struct http_request *req, struct medex_req *mr)
{
	const char	*p[1];

	p[0] = form_get(mr->form, "upload");
	if (p[0] == NULL)
		p[0] = "";
	return (page_signed_in(req, mr, sql_confirm, 1, p, render_done));
}

/*
 * The template: the header row, with a UTF-8 byte order mark so that
 * Excel opens it as UTF-8 (names with accents survive the round trip).
 */
int
pages_import_template(struct http_request *req, struct medex_req *mr)
{
	char	t[1024];
	size_t	n;

	memcpy(t, "\xef\xbb\xbf", 3);
	n = import_template(t + 3, sizeof(t) - 3);
	if (n == 0)
		return (pages_error(req, mr, 500, NULL));
	http_response_header(req, "content-disposition",
	    "attachment; filename=\"medex-import-template.csv\"");
	return (medex_respond(req, mr, 200, "text/csv; charset=utf-8", t,
	    n + 3));
}
