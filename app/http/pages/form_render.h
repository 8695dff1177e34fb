/*
 * Writing the case forms' fields (pages/form_render.c).
 */
#ifndef MEDEX_FORM_RENDER_H
#define MEDEX_FORM_RENDER_H

#include <jansson.h>

#include "medex.h"
#include "case_fields.h"

/* One field of the set, with the form's value and errors[f->key]. */
void	fr_field(struct medex_req *, json_t *, struct sbuf *,
	    const struct fspec *, const struct fspec *);
/* Is this field of the set written inside another's reveal? */
int	fr_revealed(const struct fspec *, const char *);
/* The error summary of errors; the number of errors in it. */
size_t	fr_errors(json_t *, const struct fspec *const *, size_t,
	    struct sbuf *);
/*
 * errors' messages in words (form_msg.h) on the form of the action slug
 * (NULL: a new case) of case_id; those on no field of the form become
 * {message, href}, href the form that fixes them.
 */
void	fr_words(json_t **, const struct fspec *const *, size_t,
	    const char *, const char *);

#endif
