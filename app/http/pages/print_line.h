/*
 * The line a printed page ends with (pages/print_line.c).
 */
#ifndef MEDEX_PRINT_LINE_H
#define MEDEX_PRINT_LINE_H

#include "sbuf.h"

/*
 * "Office Name (CODE). Printed 4 Dec 2026 17:40 GMT by Dr Asha Rao."
 * at: RFC 3339, or NULL for now.  Shown on paper only, unless screen.
 */
void	print_line(struct sbuf *, const char *, const char *, const char *,
	    const char *, int);

#endif
