/*
 * PostgreSQL array literals of text values (pg_array.h).
 *
 * PostgreSQL's array input (arrayfuncs.c, ReadArrayStr) treats a quoted
 * element as data up to the next unescaped quote, with a backslash
 * taking the next byte literally; unquoted elements are where NULL,
 * braces, commas and white space mean something.  Quoting every element
 * leaves only `"` and `\` to escape.
 */
#include <string.h>

#include "pg_array.h"

static int
pg_array_element(struct sbuf *b, const char *v)
{
	const char	*p;
	size_t		 run;

	if (v == NULL)
		return (sbuf_appends(b, "NULL"));
	if (sbuf_appendc(b, '"') != 0)
		return (-1);
	for (p = v; *p != '\0'; p += run) {
		run = strcspn(p, "\"\\");
		if (run > 0) {
			if (sbuf_append(b, p, run) != 0)
				return (-1);
			continue;
		}
		if (sbuf_appendc(b, '\\') != 0 || sbuf_appendc(b, *p) != 0)
			return (-1);
		run = 1;
	}
	return (sbuf_appendc(b, '"'));
}

int
pg_array_text(struct sbuf *b, const char *const *vals, size_t n)
{
	size_t	i;

	if (sbuf_appendc(b, '{') != 0)
		return (-1);
	for (i = 0; i < n; i++) {
		if (i > 0 && sbuf_appendc(b, ',') != 0)
			return (-1);
		if (pg_array_element(b, vals[i]) != 0)
			return (-1);
	}
	return (sbuf_appendc(b, '}'));
}
