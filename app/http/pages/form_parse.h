/*
 * Reading a case form back (pages/form_parse.c).
 */
#ifndef MEDEX_FORM_PARSE_H
#define MEDEX_FORM_PARSE_H

#include <jansson.h>

#include "medex.h"
#include "case_fields.h"

const char	*pf_val(struct medex_req *, const char *);
int		 pf_digits(const char *);
/* The set's fields of the form into o, as the API's JSON body. */
void		 pf_to_json(struct medex_req *, const struct fspec *, json_t *);
/* The form_key: 1 with *key (NULL if none), 0 if not a valid key. */
int		 pf_key(struct medex_req *, const char **);

#endif
