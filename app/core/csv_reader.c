/*
 * The streaming CSV reader of csv_reader.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unistr.h>

#include "csv_reader.h"

#define CSV_EOF		(-1)
#define CSV_FAIL	(-2)

/* U+20AC ... U+0178 for 0x80-0x9F; 0 where 1252 defines nothing. */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178
};

size_t
csv_cp1252_to_utf8(const char *in, size_t n, char *out)
{
	const unsigned char	*p = (const unsigned char *)in;
	unsigned int		 cp;
	size_t			 i, o;

	o = 0;
	for (i = 0; i < n; i++) {
		cp = p[i];
		if (cp >= 0x80 && cp < 0xA0)
			cp = cp1252_high[cp - 0x80] ? cp1252_high[cp - 0x80] :
			    0xFFFD;
		if (cp < 0x80)
			out[o++] = (char)cp;
		else if (cp < 0x800) {
			out[o++] = (char)(0xC0 | (cp >> 6));
			out[o++] = (char)(0x80 | (cp & 0x3F));
		} else {
			out[o++] = (char)(0xE0 | (cp >> 12));
			out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			out[o++] = (char)(0x80 | (cp & 0x3F));
		}
	}
	out[o] = '\0';
	return (o);
}

int
csv_reader_init(struct csv_reader *r, csv_read_fn fn, void *arg)
{
	memset(r, 0, sizeof(*r));
	r->read = fn;
	r->arg = arg;
	r->outcap = 3 * CSV_FIELD_MAX + CSV_FIELDS_MAX + 1;
	r->raw = malloc(CSV_FIELD_MAX);
	r->out = malloc(r->outcap);
	if (r->raw == NULL || r->out == NULL) {
		csv_reader_free(r);
		return (-1);
	}
	return (0);
}

void
csv_reader_free(struct csv_reader *r)
{
	free(r->raw);
	r->raw = NULL;
	free(r->out);
	r->out = NULL;
}

/* Reads more into buf from len on; 0, or -1 when the callback failed. */
static int
csv_fill(struct csv_reader *r)
{
	ssize_t	n;

	if (r->pos == r->len) {
		r->pos = 0;
		r->len = 0;
	}
	while (!r->eof && r->len < sizeof(r->buf)) {
		n = r->read(r->arg, r->buf + r->len, sizeof(r->buf) - r->len);
		if (n < 0)
			return (-1);
		if (n == 0)
			r->eof = 1;
		r->len += (size_t)n;
		/* One read is enough once the first buffer is decided. */
		if (r->started && n > 0)
			break;
	}
	return (0);
}

static int
csv_peek(struct csv_reader *r)
{
	if (r->pos == r->len) {
		if (r->eof)
			return (CSV_EOF);
		if (csv_fill(r) != 0)
			return (CSV_FAIL);
		if (r->pos == r->len)
			return (CSV_EOF);
	}
	return ((unsigned char)r->buf[r->pos]);
}

static int
csv_get(struct csv_reader *r)
{
	int	c;

	if ((c = csv_peek(r)) >= 0)
		r->pos++;
	return (c);
}

/*
 * The length of buf's well-formed prefix worth testing: a UTF-8
 * sequence cut by the end of a full buffer is left out.
 */
static size_t
csv_utf8_span(const struct csv_reader *r)
{
	const unsigned char	*b = (const unsigned char *)r->buf;
	size_t			 n, i, need;

	n = r->len;
	if (r->eof || n == 0)
		return (n);
	i = n;
	while (i > 0 && n - i < 3 && (b[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0 || b[i - 1] < 0xC0)
		return (n);
	need = b[i - 1] >= 0xF0 ? 4 : b[i - 1] >= 0xE0 ? 3 : 2;
	return (n - (i - 1) < need ? i - 1 : n);
}

/* The first buffer: the byte order mark, the encoding, the separator. */
static int
csv_start(struct csv_reader *r)
{
	size_t	i, semi, comma;
	int	quoted;

	if (csv_fill(r) != 0)
		return (-1);
	r->started = 1;
	if (r->len >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0) {
		r->enc = CSV_ENC_UTF8_BOM;
		r->pos = 3;
	} else if (u8_check((const uint8_t *)r->buf, csv_utf8_span(r)) ==
	    NULL)
		r->enc = CSV_ENC_UTF8;
	else
		r->enc = CSV_ENC_CP1252;
	semi = comma = 0;
	quoted = 0;
	for (i = r->pos; i < r->len; i++) {
		if (r->buf[i] == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (r->buf[i] == '\n' || r->buf[i] == '\r')
			break;
		else if (r->buf[i] == ';')
			semi++;
		else if (r->buf[i] == ',')
			comma++;
	}
	r->sep = semi > comma ? ';' : ',';
	return (0);
}

static enum csv_result
csv_push(struct csv_reader *r, int c)
{
	if (r->rawlen + 1 >= CSV_FIELD_MAX)
		return (CSV_ERR_TOO_LONG);
	r->raw[r->rawlen++] = (char)c;
	return (CSV_RECORD);
}

/* Ends the field being read; the next one starts after its NUL. */
static enum csv_result
csv_field_end(struct csv_reader *r)
{
	enum csv_result	res;

	if ((res = csv_push(r, '\0')) != CSV_RECORD)
		return (res);
	if (r->nfields == CSV_FIELDS_MAX)
		return (CSV_ERR_TOO_MANY);
	r->nfields++;
	if (r->nfields < CSV_FIELDS_MAX)
		r->rawoff[r->nfields] = r->rawlen;
	return (CSV_RECORD);
}

/*
 * After a separator, CR or LF outside quotes: 1 when the record goes
 * on with another field, 0 when it ended (a CR LF taken whole).
 */
static int
csv_after(struct csv_reader *r, int c)
{
	if (c == r->sep)
		return (1);
	if (c == '\r' && csv_peek(r) == '\n')
		r->pos++;
	return (0);
}

/* A quoted field, its opening quote read: 1 more fields, 0 ended. */
static enum csv_result
csv_quoted(struct csv_reader *r, int *more)
{
	enum csv_result	res;
	int		c;

	for (;;) {
		if ((c = csv_get(r)) == CSV_FAIL)
			return (CSV_ERR_READ);
		if (c == CSV_EOF)
			return (CSV_ERR_QUOTE);
		if (c == 0)
			return (CSV_ERR_NUL);
		if (c == '"') {
			if (csv_peek(r) == '"') {
				r->pos++;
			} else
				break;
		}
		if ((res = csv_push(r, c)) != CSV_RECORD)
			return (res);
	}
	c = csv_get(r);
	if (c == CSV_FAIL)
		return (CSV_ERR_READ);
	if (c == CSV_EOF) {
		*more = 0;
		return (CSV_RECORD);
	}
	if (c != r->sep && c != '\r' && c != '\n')
		return (CSV_ERR_QUOTE);
	*more = csv_after(r, c);
	return (CSV_RECORD);
}

/* An unquoted field, c its first byte. */
static enum csv_result
csv_plain(struct csv_reader *r, int c, int *more)
{
	enum csv_result	res;

	for (;;) {
		if (c == CSV_FAIL)
			return (CSV_ERR_READ);
		if (c == CSV_EOF) {
			*more = 0;
			return (CSV_RECORD);
		}
		if (c == 0)
			return (CSV_ERR_NUL);
		if (c == r->sep || c == '\r' || c == '\n') {
			*more = csv_after(r, c);
			return (CSV_RECORD);
		}
		if ((res = csv_push(r, c)) != CSV_RECORD)
			return (res);
		c = csv_get(r);
	}
}

/* One record's raw fields, or CSV_END at the end of the input. */
static enum csv_result
csv_read_record(struct csv_reader *r)
{
	enum csv_result	res;
	int		c, more;

	r->rawlen = 0;
	r->nfields = 0;
	r->rawoff[0] = 0;
	if ((c = csv_get(r)) == CSV_FAIL)
		return (CSV_ERR_READ);
	if (c == CSV_EOF)
		return (CSV_END);
	do {
		more = 0;
		if (c == '"')
			res = csv_quoted(r, &more);
		else
			res = csv_plain(r, c, &more);
		if (res == CSV_RECORD)
			res = csv_field_end(r);
		if (res != CSV_RECORD)
			return (res);
		if (more && (c = csv_get(r)) == CSV_FAIL)
			return (CSV_ERR_READ);
	} while (more);
	return (CSV_RECORD);
}

static int
csv_record_empty(const struct csv_reader *r)
{
	size_t	i;

	for (i = 0; i < r->nfields; i++) {
		if (r->raw[r->rawoff[i]] != '\0')
			return (0);
	}
	return (1);
}

/* The raw fields, as UTF-8, into out and fields[]. */
static void
csv_convert(struct csv_reader *r)
{
	const char	*f;
	size_t		 i, n, o;

	o = 0;
	for (i = 0; i < r->nfields; i++) {
		f = r->raw + r->rawoff[i];
		n = strlen(f);
		r->fields[i] = r->out + o;
		if (r->enc == CSV_ENC_CP1252 ||
		    u8_check((const uint8_t *)f, n) != NULL) {
			if (r->enc != CSV_ENC_CP1252)
				r->converted++;
			o += csv_cp1252_to_utf8(f, n, r->out + o) + 1;
		} else {
			memcpy(r->out + o, f, n + 1);
			o += n + 1;
		}
	}
}

enum csv_result
csv_next(struct csv_reader *r)
{
	enum csv_result	res;

	if (!r->started && csv_start(r) != 0)
		return (CSV_ERR_READ);
	for (;;) {
		if ((res = csv_read_record(r)) != CSV_RECORD)
			return (res);
		r->record++;
		if (!csv_record_empty(r))
			break;
	}
	csv_convert(r);
	return (CSV_RECORD);
}

const char *
csv_result_str(enum csv_result res)
{
	switch (res) {
	case CSV_RECORD:
	case CSV_END:
		return ("read");
	case CSV_ERR_QUOTE:
		return ("a quoted field is not closed, or has text after "
		    "its closing quote");
	case CSV_ERR_TOO_LONG:
		return ("the row is longer than 65,536 bytes");
	case CSV_ERR_TOO_MANY:
		return ("the row has more than 64 columns");
	case CSV_ERR_NUL:
		return ("the row holds a NUL byte (is this a spreadsheet "
		    "saved as CSV?)");
	case CSV_ERR_READ:
		return ("the file could not be read");
	case CSV_ERR_NOMEM:
		break;
	}
	return ("out of memory");
}

const char *
csv_encoding_str(enum csv_encoding enc)
{
	switch (enc) {
	case CSV_ENC_UTF8:
		return ("UTF-8");
	case CSV_ENC_UTF8_BOM:
		return ("UTF-8 with byte order mark");
	case CSV_ENC_CP1252:
		break;
	}
	return ("Windows-1252");
}
