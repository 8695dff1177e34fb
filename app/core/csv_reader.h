/*
 * A streaming CSV reader for spreadsheets as Excel and LibreOffice save
 * them (RFC 4180 quoting, CRLF or LF, fields holding line breaks), for
 * `medexctl import cases`.  It holds one record at a time, whatever the
 * size of the file, and reads through a callback, so it needs no file.
 *
 * The encoding is decided once, from the first buffer of the file: a
 * UTF-8 byte order mark, or bytes that are well-formed UTF-8, mean
 * UTF-8; anything else is Windows-1252 (what Excel writes for "CSV" on
 * Windows) and is converted to UTF-8.  A field that is not well-formed
 * UTF-8 in a file taken as UTF-8 is converted from Windows-1252 too, so
 * every field handed out is well-formed UTF-8.  The separator is `;`
 * or `,`: whichever the header line (the first record) has more of.
 *
 * Records that hold nothing (a blank line, or only separators, which
 * Excel writes below a table) are skipped, but counted: csv_record
 * numbers records as a spreadsheet numbers rows, the header being 1.
 */
#ifndef MEDEX_CSV_READER_H
#define MEDEX_CSV_READER_H

#include <stddef.h>
#include <sys/types.h>

#define CSV_BUF_SIZE		65536
#define CSV_FIELD_MAX		65536	/* bytes of one record, all fields */
#define CSV_FIELDS_MAX		64

/* Reads up to n bytes into buf: the count, 0 at the end, -1 on error. */
typedef ssize_t	(*csv_read_fn)(void *, char *, size_t);

enum csv_encoding {
	CSV_ENC_UTF8 = 0,
	CSV_ENC_UTF8_BOM,
	CSV_ENC_CP1252
};

enum csv_result {
	CSV_RECORD = 0,		/* a record is in fields[] */
	CSV_END,		/* no more records */
	CSV_ERR_QUOTE,		/* a quoted field not closed, or text after it */
	CSV_ERR_TOO_LONG,	/* a record of more than CSV_FIELD_MAX bytes */
	CSV_ERR_TOO_MANY,	/* more than CSV_FIELDS_MAX fields */
	CSV_ERR_NUL,		/* a NUL byte */
	CSV_ERR_READ,		/* the callback failed */
	CSV_ERR_NOMEM
};

struct csv_reader {
	csv_read_fn		 read;
	void			*arg;
	char			 buf[CSV_BUF_SIZE];
	size_t			 len;		/* bytes in buf */
	size_t			 pos;		/* next byte of buf */
	int			 eof;
	int			 started;
	enum csv_encoding	 enc;
	char			 sep;
	long			 record;	/* of the last record read */
	long			 converted;	/* fields taken as 1252 in UTF-8 */
	/* The record as read, then as handed out (UTF-8, NUL-ended). */
	char			*raw;
	size_t			 rawlen;
	size_t			 rawoff[CSV_FIELDS_MAX];
	char			*out;
	size_t			 outcap;
	size_t			 nfields;
	char			*fields[CSV_FIELDS_MAX];
};

/* 0, or -1 when out of memory. */
int			 csv_reader_init(struct csv_reader *, csv_read_fn,
			    void *);
void			 csv_reader_free(struct csv_reader *);
/* The next record into r->fields / r->nfields, numbered r->record. */
enum csv_result		 csv_next(struct csv_reader *);
const char		*csv_result_str(enum csv_result);
const char		*csv_encoding_str(enum csv_encoding);

/*
 * Appends the UTF-8 of the Windows-1252 bytes in[0..n) to out, which
 * has room for 3n+1 bytes; NUL-terminates and returns the length.  The
 * five bytes 1252 leaves undefined become U+FFFD.
 */
size_t			 csv_cp1252_to_utf8(const char *, size_t, char *);

#endif
