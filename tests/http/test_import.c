/*
 * Importing cases from a spreadsheet (issue 23, acceptance 2):
 * `medexctl import cases FILE --office CODE [--dry-run]`.  A valid file
 * of 500 rows across every state is imported, each case with an
 * `imported` event naming the file's SHA-256, and `medexctl audit
 * verify` passes; the same file again creates nothing; a dry run writes
 * nothing; a file with one bad row writes nothing and the report names
 * the row and the column (and so does a username the office does not
 * have); a Windows-1252 file with `;` separators is read, and a formula
 * in a cell is stored as text and answered as text by the API.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "testlib.h"

#define TI_HEADER "given_name,family_name,nhs_number,date_of_birth,sex," \
	"date_of_death,place_of_death,attending_practitioner_name," \
	"attending_practitioner_gmc_number,notified_at,state,examiner," \
	"officer,mccd_issued_on,coroner_outcome\r\n"

static int	ti_nhs_seq;

static const char *const ti_states[] = { "notified", "in_scrutiny",
    "referred_to_coroner", "coroner_investigating", "awaiting_mccd",
    "mccd_issued", "closed", "withdrawn" };

static void
ti_setup(void)
{
	t_user("ia.me", "medical_examiner", "IA");
	t_user("ia.officer", "officer", "IA");
	t_user("ib.me", "medical_examiner", "IB");
	t_user("ic.me", "medical_examiner", "IC");
}

/* A file of n rows in every state; row `bad` (0: none) has a bad date. */
static void
ti_file(const char *path, int n, int bad)
{
	const char	*st, *exam, *mccd, *cor;
	char		 nhs[11];
	FILE		*f;
	int		 i;

	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(TI_HEADER, f);
	for (i = 0; i < n; i++) {
		st = ti_states[i % 8];
		exam = (i % 8 == 1 || (i % 8 >= 4 && i % 8 <= 6)) ? "ia.me" :
		    "";
		mccd = (i % 8 == 5 || i % 8 == 6) ? "20/03/2025" : "";
		cor = i % 8 == 3 ? "investigating" : i % 8 == 6 ?
		    "not_investigating" : "";
		/* Every tenth row has no NHS number: its key is the names. */
		if (i % 10 == 9)
			nhs[0] = '\0';
		else
			t_nhs_number("423", 100000, &ti_nhs_seq, nhs);
		fprintf(f, "Ann,\"Import, Row %d\",%s,%02d/01/1940,female,"
		    "%s,hospital,Dr Jo Bell,1234567,2025-03-16,%s,%s,"
		    "ia.officer,%s,%s\r\n", i + 2, nhs, i % 28 + 1,
		    i + 2 == bad ? "31/02/2025" : "15/03/2025", st, exam, mccd,
		    cor);
	}
	ck_assert_int_eq(fclose(f), 0);
}

static int
ti_cmd(const char *args, char *out, size_t len)
{
	char	 cmd[1024];
	FILE	*f;
	size_t	 n;

	snprintf(cmd, sizeof(cmd), "%s/medexctl %s 2>&1",
	    getenv("MEDEX_TEST_OUT"), args);
	f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	n = fread(out, 1, len - 1, f);
	out[n] = '\0';
	return (pclose(f));
}

/* A value read as the owner under office `code` (row-level security). */
static char *
ti_val(PGconn *db, const char *code, const char *sql)
{
	char	set[256];

	snprintf(set, sizeof(set), "SELECT set_config('medex.office_id', "
	    "(SELECT id::text FROM offices WHERE code = '%s'), false)", code);
	free(t_db_value(db, set));
	return (t_db_value(db, sql));
}

static long
ti_count(PGconn *db, const char *code)
{
	char	*v;
	long	 n;

	v = ti_val(db, code, "SELECT count(*) FROM cases WHERE office_id = "
	    "current_setting('medex.office_id')::bigint");
	n = atol(v);
	free(v);
	return (n);
}

static void
ti_path(char *path, size_t len, const char *name)
{
	snprintf(path, len, "%s/import-%d-%s.csv", getenv("MEDEX_TEST_OUT"),
	    (int)getpid(), name);
}

START_TEST(valid_file_of_every_state_then_again_creates_nothing)
{
	PGconn	*db;
	char	 path[512], args[768], out[8192], sha[80], *v;
	FILE	*p;

	ti_setup();
	db = t_db("db_owner");
	ti_path(path, sizeof(path), "valid");
	ti_file(path, 500, 0);

	snprintf(args, sizeof(args), "import cases %s --office IA --dry-run",
	    path);
	ck_assert_msg(ti_cmd(args, out, sizeof(out)) == 0, "%s", out);
	ck_assert_msg(strstr(out, "500 case(s) would be created") != NULL,
	    "%s", out);
	ck_assert_int_eq(ti_count(db, "IA"), 0);

	snprintf(args, sizeof(args), "import cases %s --office IA", path);
	ck_assert_msg(ti_cmd(args, out, sizeof(out)) == 0, "%s", out);
	ck_assert_msg(strstr(out, "500 case(s) created, 0 already") != NULL,
	    "%s", out);
	ck_assert_int_eq(ti_count(db, "IA"), 500);
	v = ti_val(db, "IA", "SELECT count(DISTINCT state) FROM cases");
	ck_assert_str_eq(v, "8");
	free(v);
	v = ti_val(db, "IA", "SELECT count(*) FROM cases k JOIN users u ON "
	    "u.id = k.examiner_id WHERE u.username = 'ia.me' AND k.state = "
	    "'closed' AND k.mccd_issued_on = '2025-03-20'");
	ck_assert_str_eq(v, "62");
	free(v);

	/* Each case's event names the file's SHA-256 and the importer. */
	snprintf(args, sizeof(args), "sha256sum %s", path);
	p = popen(args, "r");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(fscanf(p, "%64s", sha), 1);
	pclose(p);
	snprintf(args, sizeof(args), "SELECT count(*) FROM case_events "
	    "WHERE action = 'imported' AND changes->>'file_sha256' = '%s' "
	    "AND actor LIKE 'medexctl:%%' AND changes->>'importer' = actor",
	    sha);
	v = ti_val(db, "IA", args);
	ck_assert_str_eq(v, "500");
	free(v);
	ck_assert_msg(ti_cmd("audit verify", out, sizeof(out)) == 0, "%s",
	    out);

	snprintf(args, sizeof(args), "import cases %s --office IA", path);
	ck_assert_msg(ti_cmd(args, out, sizeof(out)) == 0, "%s", out);
	ck_assert_msg(strstr(out, "0 case(s) created, 500 already") != NULL,
	    "%s", out);
	ck_assert_int_eq(ti_count(db, "IA"), 500);
	unlink(path);
	PQfinish(db);
}
END_TEST

START_TEST(one_bad_row_writes_nothing_and_is_named)
{
	PGconn	*db;
	char	 path[512], args[768], out[8192];

	ti_setup();
	db = t_db("db_owner");
	ti_path(path, sizeof(path), "bad");
	ti_file(path, 20, 9);
	snprintf(args, sizeof(args), "import cases %s --office IB", path);
	ck_assert_int_ne(ti_cmd(args, out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "row 9, column date_of_death: must be a "
	    "real date as DD/MM/YYYY or YYYY-MM-DD") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "nothing imported") != NULL, "%s", out);
	ck_assert_int_eq(ti_count(db, "IB"), 0);

	/* ia.me and ia.officer are not of office IB: only SQL knows. */
	ti_file(path, 3, 0);
	ck_assert_int_ne(ti_cmd(args, out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "row 3, column examiner: is not a medical "
	    "examiner of this office") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "row 2, column officer: is not an officer "
	    "of this office") != NULL, "%s", out);
	ck_assert_int_eq(ti_count(db, "IB"), 0);
	unlink(path);
	PQfinish(db);
}
END_TEST

START_TEST(windows_1252_with_semicolons_and_a_formula_kept_as_text)
{
	static const char csv[] = "Given name;Family name;Date of birth;Sex;"
	    "Date of death;Place of death;Attending practitioner name;"
	    "Attending practitioner GMC number\r\n"
	    "Zo\xEB;\"=HYPERLINK(\"\"http://x.invalid\"\";\"\"O\x92"
	    "Brien\"\")\";3/2/1950;Male;04/03/2025;Home;Dr Si\xE2n Ellis;"
	    "7654321\r\n";
	struct t_session	 s;
	struct t_resp		 r;
	PGconn			*db;
	FILE			*f;
	char			 path[512], args[768], out[8192], *id;
	char			 url[128];

	ti_setup();
	db = t_db("db_owner");
	ti_path(path, sizeof(path), "cp1252");
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(csv, f);
	fclose(f);
	snprintf(args, sizeof(args), "import cases %s --office IC", path);
	ck_assert_msg(ti_cmd(args, out, sizeof(out)) == 0, "%s", out);
	ck_assert_msg(strstr(out, "Windows-1252, separated by ';'") != NULL,
	    "%s", out);
	id = ti_val(db, "IC", "SELECT id FROM cases WHERE given_name = 'Zoë' "
	    "AND family_name = '=HYPERLINK(\"http://x.invalid\";\"O’Brien\")' "
	    "AND ap_name = 'Dr Siân Ellis' AND date_of_birth = '1950-02-03'");
	ck_assert_str_ne(id, "");

	t_login_ok("ic.me", &s);
	snprintf(url, sizeof(url), "/api/v1/cases/%s", id);
	t_get(url, s.bearer, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(t_json_str(&r, "family_name"),
	    "=HYPERLINK(\"http://x.invalid\";\"O’Brien\")");
	t_resp_free(&r);
	free(id);
	unlink(path);
	PQfinish(db);
}
END_TEST

START_TEST(bad_arguments_change_nothing)
{
	char	out[4096];

	ck_assert_int_eq(WEXITSTATUS(ti_cmd("import cases", out,
	    sizeof(out))), 2);
	ck_assert_int_eq(WEXITSTATUS(ti_cmd("import cases x.csv", out,
	    sizeof(out))), 2);
	ck_assert_int_eq(WEXITSTATUS(ti_cmd("import cases x.csv --office "
	    "lower", out, sizeof(out))), 2);
	ck_assert_int_ne(ti_cmd("import cases /nonexistent.csv --office IA",
	    out, sizeof(out)), 0);
	ck_assert_ptr_nonnull(strstr(out, "/nonexistent.csv"));
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("import");
	tc = tcase_create("import");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, valid_file_of_every_state_then_again_creates_nothing);
	tcase_add_test(tc, one_bad_row_writes_nothing_and_is_named);
	tcase_add_test(tc,
	    windows_1252_with_semicolons_and_a_formula_kept_as_text);
	tcase_add_test(tc, bad_arguments_change_nothing);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
