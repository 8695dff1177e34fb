/*
 * The form page of a case write, and the write (pages/case_form.c).
 */
#ifndef MEDEX_CASE_FORM_H
#define MEDEX_CASE_FORM_H

#include <jansson.h>

#include "medex.h"
#include "api_cases.h"
#include "page_call.h"

#define KEY_BAD_MSG	"This form is not one that medex gave out. Go back, " \
			"reload the page and try again."

/* pc_render of the form of pc->act (NULL: a new case). */
void	case_form_render(struct medex_req *, struct pc *, struct sbuf *);
/* The form again (on_complete after a write, or after the checks). */
int	case_form_again(struct http_request *, struct medex_req *);
/* Sends the write; its answer is a redirect or the form again. */
int	case_form_write(struct http_request *, struct medex_req *,
	    struct case_call *);
/* The hash of a form's key: path, version and the API's body. */
void	case_form_hash(struct http_request *, json_t *, long long,
	    char [65]);

#endif
