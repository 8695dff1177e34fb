/*
 * Request bodies: a JSON object parsed with jansson (which refuses
 * invalid UTF-8; duplicate keys and nesting deeper than
 * REQBODY_MAX_DEPTH are refused too), the unknown-field check
 * API.md asks for, and typed getters that collect one error per field so
 * that a 422 can name each bad field.  Pure: no Kore, fuzzable.
 */
#ifndef MEDEX_REQBODY_H
#define MEDEX_REQBODY_H

#include <stddef.h>

#include <jansson.h>

/*
 * The deepest nesting a body may have, the top object being depth 1.
 * medex's bodies need 3; jansson alone would take 2048.  Deeper bodies
 * are refused as malformed (400).
 */
#define REQBODY_MAX_DEPTH	32

#define FERR_MAX	32
#define FERR_NAME	96

struct ferrs {
	size_t		 n;
	char		 name[FERR_MAX][FERR_NAME];
	const char	*pairs[FERR_MAX][2];
};

void		 ferr_init(struct ferrs *);
void		 ferr_add(struct ferrs *, const char *, const char *);

/*
 * The body's object, or NULL when it is not one (400 malformed_json).
 * A number jansson cannot hold (1e400, an integer past 64 bits) is not
 * malformed JSON: it becomes the string REQBODY_NOFIT, which every
 * field reader refuses with REQBODY_NOFIT_PHRASE, so that the 422 names
 * its field (issue 19).
 */
json_t		*reqbody_parse(const char *, size_t);
#define REQBODY_NOFIT		"\\u0007medex:number-out-of-range"
#define REQBODY_NOFIT_PHRASE	"is a number too large to be read"
/* 1 when v is what an out-of-range number became. */
int		 reqbody_nofit(const json_t *);
void		 reqbody_unknown(json_t *, const char *const *, const char *,
		    struct ferrs *);
const char	*reqbody_string(json_t *, const char *, int, struct ferrs *);
int		 reqbody_bool(json_t *, const char *, int, int *,
		    struct ferrs *);

#define REQ_OPTIONAL	0
#define REQ_REQUIRED	1

#endif
