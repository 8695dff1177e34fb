/*
 * The lead medical examiner's import page (issue 23): GET /office/import,
 * its template, POST /office/import (a multipart upload: the dry-run
 * report) and POST /office/import/confirm.  A file with a bad row is
 * refused with the row and column named and nothing written; a clean
 * file is reported and nothing written until it is confirmed; the
 * confirmation writes every row once, each case with an `imported`
 * event naming the lead ME, the file and its SHA-256; sent again it
 * writes nothing; the same file again has nothing to import; a
 * Windows-1252 file with `;` is read; other roles, another office's lead
 * and a form without its CSRF token are refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

#define BOUNDARY	"medexTestBoundary7d3"
#define HEADER	"given_name,family_name,nhs_number,date_of_birth,sex," \
	"date_of_death,place_of_death,attending_practitioner_name," \
	"attending_practitioner_gmc_number,state,examiner\r\n"

static struct t_session	lead, lead_b, officer;
static int		nhs_seq;

static void
setup(void)
{
	t_forget_failures();
	t_user("ximp.lead", "lead_medical_examiner", "XIMPA");
	t_user("ximp.me", "medical_examiner", "XIMPA");
	t_user("ximp.officer", "officer", "XIMPA");
	t_user("ximp.lead.b", "lead_medical_examiner", "XIMPB");
	t_login_ok("ximp.lead", &lead);
	t_login_ok("ximp.lead.b", &lead_b);
	t_login_ok("ximp.officer", &officer);
}

/* A multipart form of the file (and the csrf_token unless NULL). */
static void
upload(struct t_session *s, const char *csrf, const char *name,
    const char *data, size_t len, struct t_resp *r)
{
	const char	*h[3] = { "Content-Type: multipart/form-data; "
			    "boundary=" BOUNDARY, s->cookie, NULL };
	char		*body;
	size_t		 n;
	int		 w;

	body = malloc(len + 1024);
	ck_assert_ptr_nonnull(body);
	n = 0;
	if (csrf != NULL) {
		w = snprintf(body, 1024, "--" BOUNDARY "\r\nContent-Disposition:"
		    " form-data; name=\"csrf_token\"\r\n\r\n%s\r\n", csrf);
		n = (size_t)w;
	}
	w = snprintf(body + n, 512, "--" BOUNDARY "\r\nContent-Disposition: "
	    "form-data; name=\"file\"; filename=\"%s\"\r\nContent-Type: "
	    "text/csv\r\n\r\n", name);
	n += (size_t)w;
	memcpy(body + n, data, len);
	n += len;
	w = snprintf(body + n, 64, "\r\n--" BOUNDARY "--\r\n");
	n += (size_t)w;
	t_request("POST", "/office/import", h, body, n, r);
	free(body);
}

static void
confirm(struct t_session *s, const char *id, struct t_resp *r)
{
	const char	*h[3] = { "Content-Type: "
			    "application/x-www-form-urlencoded", s->cookie,
			    NULL };
	char		 body[256];

	snprintf(body, sizeof(body), "csrf_token=%s&upload=%s", s->csrf, id);
	t_request("POST", "/office/import/confirm", h, body, strlen(body), r);
}

/* What a page says is wrong, for a failure's message. */
static const char *
said(const struct t_resp *r)
{
	const char	*p;

	p = strstr(r->body, "id=\"import-errors\"");
	return (p != NULL ? p : r->body);
}

/* The hidden upload id of a report page, into id. */
static void
upload_id(const struct t_resp *r, char *id, size_t len)
{
	const char	*p;
	size_t		 n;

	p = strstr(r->body, "name=\"upload\" value=\"");
	ck_assert_msg(p != NULL, "no upload field: %.1500s", r->body);
	p += strlen("name=\"upload\" value=\"");
	n = strcspn(p, "\"");
	ck_assert_uint_lt(n, len);
	memcpy(id, p, n);
	id[n] = '\0';
}

/* The owner's connection, under office code (row-level security). */
static PGconn *
office_db(const char *code)
{
	PGconn		*db;
	const char	*p[1] = { code };

	db = t_db("db_owner");
	free(t_db_value_p(db, "SELECT set_config('medex.office_id', (SELECT "
	    "id::text FROM offices WHERE code = $1), false)", 1, p));
	return (db);
}

static long
office_cases(const char *code)
{
	PGconn		*db;
	char		*v;
	long		 n;

	db = office_db(code);
	v = t_db_value(db, "SELECT count(*) FROM cases");
	n = atol(v);
	free(v);
	PQfinish(db);
	return (n);
}

/* n rows, the first in scrutiny with its examiner, the last without an
 * NHS number; family names carry tag so each test's rows are its own. */
static char *
csv_file(int n, const char *tag)
{
	char	*csv, nhs[11];
	size_t	 len;
	int	 i;

	csv = malloc(256 * (size_t)(n + 1));
	ck_assert_ptr_nonnull(csv);
	strcpy(csv, HEADER);
	len = strlen(csv);
	for (i = 0; i < n; i++) {
		t_nhs_number("972", 100000, &nhs_seq, nhs);
		len += (size_t)sprintf(csv + len, "Ann%d,%s,%s,01/02/1940,"
		    "female,03/10/2026,hospital,Dr P Jones,1234567,%s,%s\r\n",
		    i, tag, i == n - 1 ? "" : nhs,
		    i == 0 ? "in_scrutiny" : "", i == 0 ? "ximp.me" : "");
	}
	return (csv);
}

START_TEST(form_and_template_for_the_lead_only)
{
	struct t_resp	r;
	const char	*h[2] = { NULL, NULL };

	h[0] = lead.cookie;
	t_request("GET", "/office/import", h, NULL, 0, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "enctype=\"multipart/form-data\""));
	ck_assert_ptr_nonnull(strstr(r.body, "/office/import/template.csv"));
	ck_assert_ptr_nonnull(strstr(r.body, "coroner_outcome"));
	t_resp_free(&r);
	t_request("GET", "/office/import/template.csv", h, NULL, 0, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_mem_eq(r.body, "\xef\xbb\xbfgiven_name,family_name,", 25);
	ck_assert_ptr_nonnull(strstr(r.headers, "medex-import-template.csv"));
	t_resp_free(&r);
	h[0] = officer.cookie;
	t_request("GET", "/office/import", h, NULL, 0, &r);
	ck_assert_int_eq(r.status, 403);
	t_resp_free(&r);
	t_request("GET", "/office/import/template.csv", h, NULL, 0, &r);
	ck_assert_int_eq(r.status, 403);
	t_resp_free(&r);
	upload(&officer, officer.csrf, "x.csv", HEADER, strlen(HEADER), &r);
	ck_assert_int_eq(r.status, 403);
	t_resp_free(&r);
}
END_TEST

START_TEST(bad_row_is_named_and_nothing_written)
{
	struct t_resp	 r;
	char		*csv;
	long		 before;

	before = office_cases("XIMPA");
	csv = csv_file(3, "Badrow");
	/* Row 3 (the second data row): a date of birth that is no date. */
	memcpy(strstr(csv, "Ann1,") + strlen("Ann1,Badrow,") + 11,
	    "31/02", 5);
	upload(&lead, lead.csrf, "bad.csv", csv, strlen(csv), &r);
	ck_assert_int_eq(r.status, 422);
	ck_assert_ptr_nonnull(strstr(r.body, "nothing was imported"));
	ck_assert_ptr_nonnull(strstr(r.body,
	    "<td class=\"nhsuk-table__cell\">date_of_birth</td>"));
	ck_assert_ptr_nonnull(strstr(r.body, ">3</"));
	ck_assert_ptr_null(strstr(r.body, "name=\"upload\""));
	t_resp_free(&r);
	ck_assert_int_eq(office_cases("XIMPA"), before);
	free(csv);
}
END_TEST

START_TEST(clean_file_is_checked_then_confirmed_once)
{
	struct t_resp	 r;
	char		*csv, id[32], *v;
	const char	*p[1] = { "Confirmed" };
	long		 before;
	PGconn		*db;

	before = office_cases("XIMPA");
	csv = csv_file(3, "Confirmed");
	upload(&lead, lead.csrf, "office cases.csv", csv,
	    strlen(csv), &r);
	ck_assert_msg(r.status == 200, "%ld %.1500s", r.status, said(&r));
	ck_assert_ptr_nonnull(strstr(r.body, "Import 3 cases"));
	ck_assert_ptr_nonnull(strstr(r.body, "office cases.csv"));
	upload_id(&r, id, sizeof(id));
	t_resp_free(&r);
	/* The dry run wrote nothing. */
	ck_assert_int_eq(office_cases("XIMPA"), before);
	/* Another office's lead cannot use this check. */
	confirm(&lead_b, id, &r);
	ck_assert_int_eq(r.status, 409);
	t_resp_free(&r);
	confirm(&lead, id, &r);
	ck_assert_msg(r.status == 200, "%ld %.1500s", r.status, said(&r));
	ck_assert_ptr_nonnull(strstr(r.body, "3 cases imported"));
	t_resp_free(&r);
	ck_assert_int_eq(office_cases("XIMPA"), before + 3);
	db = office_db("XIMPA");
	v = t_db_value_p(db, "SELECT count(*) FROM case_events e JOIN cases k "
	    "ON k.id = e.case_id WHERE k.family_name = $1 AND e.action = "
	    "'imported' AND e.actor = 'ximp.lead' AND e.actor_role = "
	    "'lead_medical_examiner' AND e.changes->>'file' = "
	    "'office cases.csv' AND length(e.changes->>'file_sha256') = 64",
	    1, p);
	ck_assert_str_eq(v, "3");
	free(v);
	v = t_db_value_p(db, "SELECT state || ' ' || (examiner_id IS NOT "
	    "NULL) FROM cases WHERE family_name = $1 AND given_name = 'Ann0'",
	    1, p);
	ck_assert_str_eq(v, "in_scrutiny true");
	free(v);
	/* The check is gone once used. */
	v = t_db_value(db, "SELECT count(*) FROM import_uploads");
	ck_assert_str_eq(v, "0");
	free(v);
	PQfinish(db);
	/* Sent again: nothing more. */
	confirm(&lead, id, &r);
	ck_assert_int_eq(r.status, 409);
	ck_assert_ptr_nonnull(strstr(r.body, "no longer open"));
	t_resp_free(&r);
	ck_assert_int_eq(office_cases("XIMPA"), before + 3);
	/* The same file again: every row is in medex already. */
	upload(&lead, lead.csrf, "office cases.csv", csv, strlen(csv), &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "there is nothing to import"));
	ck_assert_ptr_null(strstr(r.body, "name=\"upload\""));
	t_resp_free(&r);
	free(csv);
}
END_TEST

START_TEST(windows_1252_with_semicolons_is_read)
{
	struct t_resp	 r;
	const char	 csv[] = "given_name;family_name;date_of_birth;sex;"
	    "date_of_death;place_of_death;attending_practitioner_name;"
	    "attending_practitioner_gmc_number\r\n"
	    "Ren\xe9" "e;C\xf4t\xe9;01/02/1940;female;03/10/2026;home;"
	    "Dr P Jones;1234567\r\n";

	upload(&lead, lead.csrf, "excel.csv", csv, sizeof(csv) - 1, &r);
	ck_assert_msg(r.status == 200, "%ld %.1500s", r.status, said(&r));
	ck_assert_ptr_nonnull(strstr(r.body, "Windows-1252"));
	ck_assert_ptr_nonnull(strstr(r.body, "separated by &quot;;&quot;"));
	ck_assert_ptr_nonnull(strstr(r.body, "Import 1 case<"));
	t_resp_free(&r);
}
END_TEST

START_TEST(no_file_or_no_csrf_token_is_refused)
{
	struct t_resp	 r;
	long		 before;

	before = office_cases("XIMPA");
	upload(&lead, lead.csrf, "empty.csv", "", 0, &r);
	ck_assert_int_eq(r.status, 422);
	ck_assert_ptr_nonnull(strstr(r.body, "Select the spreadsheet"));
	t_resp_free(&r);
	upload(&lead, NULL, "x.csv", HEADER, strlen(HEADER), &r);
	ck_assert_int_eq(r.status, 403);
	t_resp_free(&r);
	upload(&lead, "0123456789abcdef0123456789abcdef", "x.csv", HEADER,
	    strlen(HEADER), &r);
	ck_assert_int_eq(r.status, 403);
	t_resp_free(&r);
	ck_assert_int_eq(office_cases("XIMPA"), before);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("import_page");
	tc = tcase_create("http");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, form_and_template_for_the_lead_only);
	tcase_add_test(tc, bad_row_is_named_and_nothing_written);
	tcase_add_test(tc, clean_file_is_checked_then_confirmed_once);
	tcase_add_test(tc, windows_1252_with_semicolons_is_read);
	tcase_add_test(tc, no_file_or_no_csrf_token_is_refused);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
