/*
 * Building JSON by calls, into an sbuf, with the commas and the escaping
 * done here so that no caller can get either wrong.
 *
 * Strings are escaped per RFC 8259 (", \ and every control character,
 * the latter as \u00XX), and also <, >, & (as \u003c, \u003e, \u0026)
 * and U+2028/U+2029, so that JSON dropped into an HTML page or a script
 * can never end the element it sits in.  Bytes that are not well-formed
 * UTF-8 become U+FFFD, so the output is always valid UTF-8.
 *
 * Call order is checked: a key outside an object, a value in an object
 * without a key, a close that does not match, or a second top-level
 * value marks the writer as failed.  Failure (misuse, or the sbuf's
 * ceiling) is sticky; jw_finish() says whether the whole document is
 * good, so callers may ignore the other return values.
 *
 * The writer functions are jw_*, not json_*: libjwt pulls in jansson,
 * whose json_object(), json_string(), json_integer() ... would clash.
 *
 * Functions return 0 on success and -1 on failure.
 */
#ifndef MEDEX_JSON_WRITER_H
#define MEDEX_JSON_WRITER_H

#include <stddef.h>

#include "sbuf.h"

#define JW_MAX_DEPTH	32

struct json_writer {
	struct sbuf	*sb;
	int		 err;
	int		 done;		/* the top-level value is complete */
	int		 want_value;	/* after a key, before its value */
	int		 depth;
	char		 open[JW_MAX_DEPTH];	/* '{' or '[' per level */
	char		 nonempty[JW_MAX_DEPTH];	/* a comma is due */
};

void	jw_init(struct json_writer *, struct sbuf *);
int	jw_finish(struct json_writer *);

int	jw_object_open(struct json_writer *);
int	jw_object_close(struct json_writer *);
int	jw_array_open(struct json_writer *);
int	jw_array_close(struct json_writer *);
int	jw_key(struct json_writer *, const char *);

/* A NULL string is written as null. */
int	jw_string(struct json_writer *, const char *);
int	jw_string_len(struct json_writer *, const char *, size_t);
int	jw_int(struct json_writer *, long long);
int	jw_bool(struct json_writer *, int);
int	jw_null(struct json_writer *);
/* A number with one decimal from tenths: 756 is 75.6, 0 is 0.0. */
int	jw_tenths(struct json_writer *, long long);

/* Key and value in one call, for the common case. */
int	jw_member_string(struct json_writer *, const char *, const char *);
int	jw_member_int(struct json_writer *, const char *, long long);

/* An escaped, quoted JSON string, outside of any writer. */
int	jw_escape(struct sbuf *, const char *, size_t);

/*
 * API.md's error shape, appended to the sbuf:
 *
 *	{"error":{"code":"...","message":"...","fields":{"name":"why",...}}}
 *
 * `fields` is nfields pairs of {name, reason}; with none, "fields" is
 * left out.  The _extra variant puts nextra {name, value} string members
 * inside "error" after "message": "from" and "to" for invalid_transition,
 * "existing_case" for a duplicate.
 */
int	json_error_body(struct sbuf *, const char *, const char *,
	    const char *[][2], size_t);
int	json_error_body_extra(struct sbuf *, const char *, const char *,
	    const char *[][2], size_t, const char *[][2], size_t);

#endif
