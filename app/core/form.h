/*
 * HTML form bodies (application/x-www-form-urlencoded), as the pages'
 * plain POSTs send them.
 *
 * form_parse() splits name=value pairs on '&', turns '+' into a space
 * and decodes %XX.  It refuses (returns -1, leaving the form empty) a
 * body with a bad escape, a NUL byte, bytes that are not well-formed
 * UTF-8, more than FORM_FIELDS_MAX fields, or a value longer than
 * FORM_VALUE_MAX bytes: a browser never sends those, and the page
 * answers 400.  Line ends are kept as sent (browsers send CRLF).
 */
#ifndef MEDEX_FORM_H
#define MEDEX_FORM_H

#include <stddef.h>

#define FORM_FIELDS_MAX		128
#define FORM_VALUE_MAX		(32 * 1024)

struct form_field {
	char	*name;
	char	*value;
};

struct form {
	size_t			n;
	struct form_field	f[FORM_FIELDS_MAX];
};

void		 form_init(struct form *);
int		 form_parse(struct form *, const char *, size_t);
void		 form_free(struct form *);
/* Appends name=value (copies); -1 when full or out of memory. */
int		 form_add(struct form *, const char *, const char *);

/* The first value of the field, or NULL (also for a NULL form). */
const char	*form_get(const struct form *, const char *);

/* How many fields have this name (checkboxes send one per tick). */
size_t		 form_count(const struct form *, const char *);

/* The i-th value of the field (0-based), or NULL. */
const char	*form_get_nth(const struct form *, const char *, size_t);

#endif
