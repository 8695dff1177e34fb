/*
 * medexctl import cases FILE --office CODE [--dry-run]
 *
 * Brings an office's cases in from a spreadsheet saved as CSV (the
 * layout is in docs/operations.md, "Importing cases").  The file is
 * streamed: one record in memory at a time, whatever its length.  Each
 * row is checked by the code that checks POST /api/v1/cases
 * (app/core/import_row.c) and written by import_case() (sql/import.sql)
 * in one transaction for the whole file: a file with any bad row writes
 * nothing, and the report names each error by row and column.  A row
 * whose key is already a case of the office is left alone, so importing
 * the same file twice creates nothing new.  --dry-run does all of it
 * and rolls back.
 *
 * The file is read twice: first for its SHA-256, which each imported
 * case's `imported` event names, then for its rows; the second reading
 * hashes it again, and a file that changed in between is refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "cli.h"
#include "csv_reader.h"
#include "import_row.h"

#define IMPORT_USAGE \
	"usage: medexctl import cases FILE --office CODE [--dry-run]\n"
#define SHA256_HEX	65

static const char sql_office[] = "SELECT id FROM offices WHERE code = $1";
static const char sql_import[] =
    "SELECT import_case($1::bigint, $2, $3, $4, $5::integer, $6::jsonb, "
    "$7, $8, $9, $10::date, $11, 'admin')";

struct import_file {
	int		 fd;
	EVP_MD_CTX	*md;
};

struct import_run {
	PGconn		*db;
	const char	*office_id;
	const char	*path;
	const char	*actor;
	char		 sha[SHA256_HEX];
	long		 rows, created, existing, bad;
	long		 analyze_at;
};

/*
 * The statistics of cases are refreshed inside the transaction when the
 * rows it created double (500, 1000, 2000, ...): the planner otherwise
 * plans for the office's cases as they were before the import (none, for
 * a new office) and walks all of them for each row's duplicate checks,
 * which made an import of n rows take time in n squared.  ANALYZE in a
 * transaction counts its own new rows, and is rolled back with it.
 */
#define IMPORT_ANALYZE_FIRST	500

static ssize_t
import_read(void *arg, char *buf, size_t n)
{
	struct import_file	*f = arg;
	ssize_t			 r;

	do {
		r = read(f->fd, buf, n);
	} while (r < 0 && errno == EINTR);
	if (r > 0 && EVP_DigestUpdate(f->md, buf, (size_t)r) != 1)
		return (-1);
	return (r);
}

/* The hex SHA-256 of what was read so far. */
static int
import_digest(struct import_file *f, char out[SHA256_HEX])
{
	unsigned char	d[EVP_MAX_MD_SIZE];
	unsigned int	n, i;

	if (EVP_DigestFinal_ex(f->md, d, &n) != 1)
		return (-1);
	for (i = 0; i < n && i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
	return (0);
}

static int
import_open(struct import_file *f, const char *path)
{
	if ((f->fd = open(path, O_RDONLY)) < 0) {
		fprintf(stderr, "medexctl: %s: %s\n", path, strerror(errno));
		return (-1);
	}
	if ((f->md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(f->md, EVP_sha256(), NULL) != 1) {
		fprintf(stderr, "medexctl: SHA-256 not available\n");
		EVP_MD_CTX_free(f->md);
		close(f->fd);
		return (-1);
	}
	return (0);
}

static void
import_close(struct import_file *f)
{
	EVP_MD_CTX_free(f->md);
	f->md = NULL;
	close(f->fd);
	f->fd = -1;
}

/* The first reading: the file's SHA-256 alone. */
static int
import_hash(const char *path, char out[SHA256_HEX])
{
	struct import_file	f;
	char			buf[65536];
	ssize_t			n;

	if (import_open(&f, path) != 0)
		return (-1);
	while ((n = import_read(&f, buf, sizeof(buf))) > 0)
		;
	if (n < 0 || import_digest(&f, out) != 0) {
		fprintf(stderr, "medexctl: %s: cannot be read\n", path);
		import_close(&f);
		return (-1);
	}
	import_close(&f);
	return (0);
}

static void
import_report(long row, const struct ferrs *fe)
{
	size_t	i;

	for (i = 0; i < fe->n; i++)
		printf("row %ld, column %s: %s\n", row, fe->pairs[i][0],
		    fe->pairs[i][1]);
}

/* import_case()'s errors, as the report's lines. */
static void
import_report_json(long row, json_t *errs)
{
	const char	*k;
	json_t		*v;

	json_object_foreach(errs, k, v)
		printf("row %ld, column %s: %s\n", row, k, json_string_value(v));
}

/* One good row into import_case(); -1 when the database failed. */
static int
import_write(struct import_run *ir, long rowno, struct import_row *row)
{
	PGresult	*res;
	const char	*p[11];
	char		 rowbuf[24], *data;
	json_t		*ans, *errs;
	int		 ret;

	snprintf(rowbuf, sizeof(rowbuf), "%ld", rowno);
	if ((data = json_dumps(row->data, JSON_COMPACT)) == NULL)
		return (-1);
	p[0] = ir->office_id;
	p[1] = ir->actor;
	p[2] = ir->sha;
	p[3] = ir->path;
	p[4] = rowbuf;
	p[5] = data;
	p[6] = case_state_str(row->state);
	p[7] = row->examiner[0] ? row->examiner : NULL;
	p[8] = row->officer[0] ? row->officer : NULL;
	p[9] = row->mccd[0] ? row->mccd : NULL;
	p[10] = row->coroner;
	res = PQexecPrepared(ir->db, "import_case", 11, p, NULL, NULL, 0);
	free(data);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		printf("row %ld: the database refused it: %s", rowno,
		    PQerrorMessage(ir->db));
		PQclear(res);
		return (-1);
	}
	ret = 0;
	ans = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	if (ans == NULL)
		ret = -1;
	else if ((errs = json_object_get(ans, "errors")) != NULL) {
		import_report_json(rowno, errs);
		ir->bad++;
	} else if (json_object_get(ans, "existing") != NULL)
		ir->existing++;
	else if (++ir->created == ir->analyze_at) {
		ir->analyze_at *= 2;
		if (!cli_exec_ok(ir->db, "ANALYZE cases"))
			ret = -1;
	}
	json_decref(ans);
	PQclear(res);
	return (ret);
}

/* The header, then every row; 0 when the file was read to its end. */
static int
import_rows(struct import_run *ir, struct csv_reader *rd)
{
	struct import_map	 map;
	struct import_row	 row;
	struct ferrs		 fe;
	enum csv_result		 res;
	time_t			 now;

	now = time(NULL);
	ferr_init(&fe);
	if ((res = csv_next(rd)) != CSV_RECORD) {
		printf("row 1: %s\n", res == CSV_END ? "the file is empty" :
		    csv_result_str(res));
		return (-1);
	}
	if (import_header(&map, rd->fields, rd->nfields, &fe) != 0) {
		import_report(1, &fe);
		return (-1);
	}
	while ((res = csv_next(rd)) == CSV_RECORD) {
		ir->rows++;
		ferr_init(&fe);
		if (import_row_read(&map, rd->fields, rd->nfields, now, &row,
		    &fe) != 0) {
			import_report(rd->record, &fe);
			ir->bad++;
			continue;
		}
		if (import_write(ir, rd->record, &row) != 0) {
			import_row_free(&row);
			return (-1);
		}
		import_row_free(&row);
	}
	if (res != CSV_END) {
		printf("row %ld: %s\n", rd->record + 1, csv_result_str(res));
		return (-1);
	}
	return (0);
}

/* The second reading, in the transaction: 0, or -1 to roll back. */
static int
import_file_rows(struct import_run *ir)
{
	struct import_file	 f;
	struct csv_reader	*rd;
	char			 sha[SHA256_HEX];
	int			 ret;

	if (import_open(&f, ir->path) != 0)
		return (-1);
	ret = -1;
	if ((rd = malloc(sizeof(*rd))) == NULL ||
	    csv_reader_init(rd, import_read, &f) != 0) {
		fprintf(stderr, "medexctl: out of memory\n");
		goto cleanup;
	}
	if (import_rows(ir, rd) != 0)
		goto cleanup;
	/* Read to the end, so the digest covers the whole file. */
	while (import_read(&f, rd->buf, sizeof(rd->buf)) > 0)
		;
	if (import_digest(&f, sha) != 0 || strcmp(sha, ir->sha) != 0) {
		printf("the file changed while it was read: nothing "
		    "imported\n");
		goto cleanup;
	}
	printf("read %s: %s, separated by '%c'", ir->path,
	    csv_encoding_str(rd->enc), rd->sep);
	if (rd->converted > 0)
		printf(", %ld cell(s) read as Windows-1252", rd->converted);
	printf("\n");
	ret = ir->bad > 0 ? -1 : 0;
cleanup:
	if (rd != NULL)
		csv_reader_free(rd);
	free(rd);
	import_close(&f);
	return (ret);
}

static int
import_office_id(PGconn *db, const char *code, char *out, size_t len)
{
	PGresult	*res;
	const char	*p[1];
	int		 ok;

	p[0] = code;
	res = PQexecParams(db, sql_office, 1, NULL, p, NULL, NULL, 0);
	ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;
	if (ok)
		snprintf(out, len, "%s", PQgetvalue(res, 0, 0));
	else if (PQresultStatus(res) == PGRES_TUPLES_OK)
		fprintf(stderr, "medexctl: no office %s\n", code);
	else
		fprintf(stderr, "medexctl: %s", PQerrorMessage(db));
	PQclear(res);
	return (ok);
}

/* One plan for every row: the statement is prepared once. */
static int
import_prepare(PGconn *db)
{
	PGresult	*res;
	int		 ok;

	res = PQprepare(db, "import_case", sql_import, 11, NULL);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "medexctl: %s", PQerrorMessage(db));
	PQclear(res);
	return (ok);
}

static int
import_cases(const char *path, const char *office, int dry)
{
	struct import_run	ir;
	char			actor[128], office_id[32];
	int			ret, ok;

	memset(&ir, 0, sizeof(ir));
	cli_actor(actor, sizeof(actor));
	ir.actor = actor;
	ir.path = path;
	ir.office_id = office_id;
	ir.analyze_at = IMPORT_ANALYZE_FIRST;
	if (import_hash(path, ir.sha) != 0)
		return (1);
	if ((ir.db = cli_db_connect()) == NULL)
		return (1);
	ret = 1;
	if (!import_office_id(ir.db, office, office_id, sizeof(office_id)) ||
	    !cli_exec_ok(ir.db, "BEGIN"))
		goto cleanup;
	ok = cli_office_set(ir.db, office_id) && import_prepare(ir.db) &&
	    import_file_rows(&ir) == 0;
	if (!ok || dry) {
		if (!cli_exec_ok(ir.db, "ROLLBACK"))
			goto cleanup;
	} else if (!cli_exec_ok(ir.db, "COMMIT"))
		goto cleanup;
	printf("%ld row(s), SHA-256 %s: ", ir.rows, ir.sha);
	if (!ok)
		printf("%ld row(s) with errors; nothing imported\n",
		    ir.bad > 0 ? ir.bad : 1);
	else
		printf("%ld case(s) %s, %ld already in office %s%s\n",
		    ir.created, dry ? "would be created" : "created",
		    ir.existing, office, dry ? " (dry run, nothing changed)" :
		    "");
	ret = ok ? 0 : 1;
cleanup:
	PQfinish(ir.db);
	return (ret);
}

int
cli_import(int argc, char **argv)
{
	const char	*path, *office;
	int		 i, dry;

	path = office = NULL;
	dry = 0;
	if (argc < 3 || strcmp(argv[1], "cases") != 0) {
		fprintf(stderr, IMPORT_USAGE);
		return (2);
	}
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--dry-run") == 0 && !dry)
			dry = 1;
		else if (strcmp(argv[i], "--office") == 0 && i + 1 < argc &&
		    office == NULL)
			office = argv[++i];
		else if (argv[i][0] != '-' && path == NULL)
			path = argv[i];
		else {
			fprintf(stderr, IMPORT_USAGE);
			return (2);
		}
	}
	if (path == NULL || office == NULL || !validate_office_code(office)) {
		fprintf(stderr, IMPORT_USAGE);
		return (2);
	}
	return (import_cases(path, office, dry));
}
