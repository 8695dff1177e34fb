/*
 * The import page's reading of a file held in memory (import_batch.h).
 * The rows are checked by the code of `medexctl import cases`
 * (import_row.c), so the page and the command accept the same files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "csv_reader.h"
#include "import_batch.h"
#include "import_row.h"

struct mem_file {
	const char	*buf;
	size_t		 len, off;
};

static ssize_t
mem_read(void *arg, char *out, size_t n)
{
	struct mem_file	*m = arg;

	if (n > m->len - m->off)
		n = m->len - m->off;
	memcpy(out, m->buf + m->off, n);
	m->off += n;
	return ((ssize_t)n);
}

static int
sha256_hex(const char *buf, size_t len, char out[65])
{
	unsigned char	d[EVP_MAX_MD_SIZE];
	unsigned int	n, i;

	if (EVP_Digest(buf, len, d, &n, EVP_sha256(), NULL) != 1 || n != 32)
		return (-1);
	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
	return (0);
}

/* One error of the report; past the cap only counted. */
static int
batch_error(json_t *check, long row, const char *column, const char *msg)
{
	json_t	*errs, *e;

	errs = json_object_get(check, "errors");
	json_object_set_new(check, "errors_total", json_integer(
	    json_integer_value(json_object_get(check, "errors_total")) + 1));
	if (json_array_size(errs) >= IMPORT_PAGE_ERRORS)
		return (0);
	e = json_pack("{s:I, s:s?, s:s}", "row", (json_int_t)row, "column",
	    column, "message", msg);
	return (e == NULL ? -1 : json_array_append_new(errs, e));
}

static int
batch_ferrs(json_t *check, long row, const struct ferrs *fe)
{
	size_t	i;

	for (i = 0; i < fe->n; i++)
		if (batch_error(check, row, fe->pairs[i][0],
		    fe->pairs[i][1]) != 0)
			return (-1);
	return (0);
}

/* A good row as import_rows_apply() (sql/import.sql) reads it. */
static int
batch_row(json_t *check, long rowno, struct import_row *row)
{
	json_t	*r;

	r = json_pack("{s:I, s:O, s:s, s:s?, s:s?, s:s?, s:s?}",
	    "row", (json_int_t)rowno, "data", row->data,
	    "state", case_state_str(row->state),
	    "examiner", row->examiner[0] ? row->examiner : NULL,
	    "officer", row->officer[0] ? row->officer : NULL,
	    "mccd", row->mccd[0] ? row->mccd : NULL,
	    "coroner", row->coroner);
	if (r == NULL)
		return (-1);
	return (json_array_append_new(json_object_get(check, "rows"), r));
}

/* The header, then each row; -1 only when out of memory. */
static int
batch_records(json_t *check, struct csv_reader *rd, time_t now, long max)
{
	struct import_map	 map;
	struct import_row	 row;
	struct ferrs		 fe;
	enum csv_result		 res;
	long			 n;
	char			 limit[128];

	ferr_init(&fe);
	if ((res = csv_next(rd)) != CSV_RECORD)
		return (batch_error(check, 1, NULL, res == CSV_END ?
		    "the file is empty" : csv_result_str(res)));
	if (import_header(&map, rd->fields, rd->nfields, &fe) != 0)
		return (batch_ferrs(check, 1, &fe));
	n = 0;
	while ((res = csv_next(rd)) == CSV_RECORD) {
		if (++n > max) {
			snprintf(limit, sizeof(limit), "this page takes at "
			    "most %ld rows; a larger file is imported with "
			    "medexctl import cases", max);
			return (batch_error(check, rd->record, NULL, limit));
		}
		ferr_init(&fe);
		if (import_row_read(&map, rd->fields, rd->nfields, now, &row,
		    &fe) != 0) {
			if (batch_ferrs(check, rd->record, &fe) != 0)
				return (-1);
			continue;
		}
		if (batch_row(check, rd->record, &row) != 0) {
			import_row_free(&row);
			return (-1);
		}
		import_row_free(&row);
	}
	json_object_set_new(check, "rows_read", json_integer(n));
	if (res != CSV_END)
		return (batch_error(check, rd->record + 1, NULL,
		    csv_result_str(res)));
	return (0);
}

json_t *
import_batch_check(const char *buf, size_t len, const char *name,
    time_t now, long max_rows)
{
	struct mem_file		 m;
	struct csv_reader	*rd;
	json_t			*check;
	char			 sha[65], file[IMPORT_FILE_NAME + 1], sep[2];
	int			 ok;

	if (sha256_hex(buf, len, sha) != 0)
		return (NULL);
	import_file_name(name, file, sizeof(file));
	check = json_pack("{s:s, s:s, s:i, s:[], s:[], s:i}", "file", file,
	    "sha256", sha, "rows_read", 0, "rows", "errors", "errors_total",
	    0);
	if (check == NULL)
		return (NULL);
	memset(&m, 0, sizeof(m));
	m.buf = buf;
	m.len = len;
	if ((rd = malloc(sizeof(*rd))) == NULL ||
	    csv_reader_init(rd, mem_read, &m) != 0) {
		free(rd);
		json_decref(check);
		return (NULL);
	}
	ok = batch_records(check, rd, now, max_rows) == 0;
	sep[0] = rd->sep;
	sep[1] = '\0';
	if (ok && rd->started) {
		json_object_set_new(check, "encoding",
		    json_string(csv_encoding_str(rd->enc)));
		json_object_set_new(check, "separator", json_string(sep));
	}
	csv_reader_free(rd);
	free(rd);
	if (!ok) {
		json_decref(check);
		return (NULL);
	}
	return (check);
}

void
import_file_name(const char *in, char *out, size_t outlen)
{
	const char	*p, *s;
	size_t		 n;

	s = in != NULL ? in : "";
	for (p = s; *p != '\0'; p++)
		if (*p == '/' || *p == '\\')
			s = p + 1;
	for (n = 0; s[n] != '\0' && n + 1 < outlen && n < IMPORT_FILE_NAME;
	    n++)
		out[n] = ((unsigned char)s[n] < 0x20 || s[n] == 0x7f) ? '_' :
		    s[n];
	/* Not in the middle of a UTF-8 sequence. */
	while (n > 0 && s[n] != '\0' && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	out[n] = '\0';
	if (n == 0)
		snprintf(out, outlen, "upload.csv");
}

size_t
import_template(char *out, size_t len)
{
	size_t	i, n;
	int	w;

	n = 0;
	out[0] = '\0';
	for (i = 0; i < IC_COUNT; i++) {
		w = snprintf(out + n, len - n, "%s%s", i > 0 ? "," : "",
		    import_columns[i]);
		if (w < 0 || (size_t)w >= len - n)
			return (0);
		n += (size_t)w;
	}
	if (n + 2 >= len)
		return (0);
	out[n++] = '\r';
	out[n++] = '\n';
	out[n] = '\0';
	return (n);
}
