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
/* errors' messages in words, prefixed with the field's label. */
void	fr_words(json_t **, const struct fspec *const *, size_t);

#endif
