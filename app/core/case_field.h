/*
 * Reading the fields of a case body (case_field.c), for the checks of
 * case_body.c: each reader takes the field `key` of the body, adds its
 * error (named by its dotted path) or copies the good value to `out`
 * under `col`.  `required` is ignored in a PATCH, where every field is
 * optional.
 */
#ifndef MEDEX_CASE_FIELD_H
#define MEDEX_CASE_FIELD_H

#include <time.h>

#include <jansson.h>

#include "reqbody.h"
#include "validate.h"

/*
 * One body being read: the input object, the dotted prefix of its
 * fields ("attending_practitioner."), the errors and the output.
 */
struct cv {
	json_t		*in;
	const char	*prefix;
	struct ferrs	*fe;
	json_t		*out;
	int		 patch;		/* every field optional */
	time_t		 now;
};

void		 cv_err(struct cv *, const char *, const char *);
/* The field, or NULL (an error added when it is required). */
json_t		*cv_get(struct cv *, const char *, int);
void		 cv_put(struct cv *, const char *, json_t *);
const char	*cv_string(struct cv *, const char *, int);
/* Free text of at most max code points, normalised: 1 when put. */
int		 cv_text(struct cv *, const char *, const char *, int,
		    size_t, int);
/* One of allowed: the value, or NULL. */
const char	*cv_enum(struct cv *, const char *, const char *, int,
		    const char *const *);
/* 1 with *out set when present and boolean. */
int		 cv_bool(struct cv *, const char *, const char *, int, int *);
int		 cv_date(struct cv *, const char *, const char *, int,
		    struct vdate *);
/* An RFC 3339 time not in the future: 1 with *epoch. */
int		 cv_time(struct cv *, const char *, const char *, int,
		    long long *);
void		 cv_gmc(struct cv *, const char *, const char *, int);
/* An identifier of another record: digits, as a string. */
void		 cv_ref(struct cv *, const char *, const char *);
/* A nested object; NULL when absent or wrong (an error is added). */
json_t		*cv_object(struct cv *, const char *, int);
/* Refuses the fields not in allowed (NULL-terminated). */
void		 cv_unknown(struct cv *, const char *const *);
/* Today in London, by the body's "now". */
int		 cv_today(const struct cv *, struct vdate *);

#endif
