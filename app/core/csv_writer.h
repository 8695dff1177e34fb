/*
 * RFC 4180 CSV, written cell by cell into an sbuf.
 *
 * A cell is quoted when it holds a comma, a double quote, CR or LF, and
 * its double quotes are doubled.  Rows end in CRLF.
 *
 * No cell may start a spreadsheet formula: one whose first character
 * would be =, +, -, @, TAB or CR gets a single quote in front (and is
 * then quoted if it needs to be), as the OWASP guidance on CSV
 * injection asks.  This applies to numbers too, which is harmless
 * because medex never writes a negative one.
 *
 * UTF-8 is kept as it is; bytes that are not well-formed UTF-8 become
 * U+FFFD and NUL bytes are dropped (before the formula check, so a NUL
 * cannot hide an '=').  A NULL cell is written as an empty one.
 *
 * Functions return 0 on success and -1 once the sbuf's error flag is
 * set (it is sticky; test it at the end).
 */
#ifndef MEDEX_CSV_WRITER_H
#define MEDEX_CSV_WRITER_H

#include <stddef.h>

#include "sbuf.h"

struct csv_writer {
	struct sbuf	*sb;
	size_t		 ncells;	/* cells so far in this row */
};

void	csv_init(struct csv_writer *, struct sbuf *);
int	csv_cell(struct csv_writer *, const char *);
int	csv_cell_len(struct csv_writer *, const char *, size_t);
int	csv_cell_int(struct csv_writer *, long long);
/* One decimal from tenths: 756 is 75.6, 0 is 0.0. */
int	csv_cell_tenths(struct csv_writer *, long long);
int	csv_row_end(struct csv_writer *);

#endif
