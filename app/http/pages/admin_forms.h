/*
 * The admin's forms (pages/admin_forms.c): the parts that
 * pages/admin_users.c and pages/admin_offices.c share.  Each form is a
 * page of the pc_* kind (page_call.h).
 */
#ifndef MEDEX_ADMIN_FORMS_H
#define MEDEX_ADMIN_FORMS_H

#include <jansson.h>

#include "medex.h"
#include "page.h"
#include "page_call.h"

enum admin_form {
	AF_NONE = 0,
	AF_ADD_USER,
	AF_ADD_OFFICE,
	AF_OFFICE,
	AF_ROLE,
	AF_USER_OFFICE,
	AF_STATUS,
	AF_PASSWORD,
	AF_USER_SSO		/* issue 24: subject, email, break-glass */
};

/* Which form a route pattern (or path) is. */
enum admin_form	 admin_form_of(const char *);
const char	*admin_str(json_t *, const char *);
/* The layout's start, with the signed-in user and the admin's nav. */
void		 admin_begin(struct medex_req *, struct pc *, struct sbuf *,
		    const char *, enum page_nav);
/* The error summary of pc->errors (field -> message), then the h1. */
void		 admin_errors(struct pc *, struct sbuf *, const char *);
const char	*admin_err(struct pc *, const char *);
void		 admin_hidden(struct sbuf *, const char *, const char *);
void		 error_line(struct sbuf *, const char *, const char *);
void		 role_radios(struct sbuf *, const char *, const char *);
void		 office_select(struct sbuf *, json_t *, const char *,
		    const char *);
void		 text_field(struct sbuf *, struct pc *, const char *,
		    const char *, const char *, const char *, const char *,
		    const char *);
/* A checkbox sending "true" when ticked (NULL hint: none). */
void		 checkbox_field(struct sbuf *, const char *, const char *,
		    const char *, int);
/* The form, its id "admin-form" (form-level errors link there). */
void		 form_open(struct medex_req *, struct sbuf *, const char *);
/* A form POST's value, or NULL when empty. */
const char	*fv(struct medex_req *, const char *);
void		 summary_row(struct sbuf *, const char *, const char *,
		    const char *, const char *, const char *);
void		 done_banner(struct sbuf *, const char *);
void		 warning(struct sbuf *, const char *, const char *);

#endif
