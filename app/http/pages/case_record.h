/*
 * The records of a case as NHS.UK summary lists (pages/case_record.c):
 * the sections of the case page and its print view.  What a role may
 * not read is not in its case JSON (case_json in sql/cases_common.sql
 * leaves notes, discussions and governance out for the liaison
 * officer), and a section without its JSON is not written at all.
 */
#ifndef MEDEX_CASE_RECORD_H
#define MEDEX_CASE_RECORD_H

#include <jansson.h>

#include "sbuf.h"

/* The display name of a username from the page's names, or it. */
const char	*cr_who(json_t *, const char *);
/* A summary list's row; a "Change" link when href is not NULL. */
void		 cr_row(struct sbuf *, const char *, const char *,
		    const char *);
/* The deceased and the notification; Change links to change_href. */
void		 cr_details(struct sbuf *, json_t *, json_t *, const char *);
/* Priority and urgent release. */
void		 cr_flags(struct sbuf *, json_t *);
/* The bereaved people to contact. */
void		 cr_people(struct sbuf *, json_t *);
/* Contacts, notes, discussions, cause of death, coroner, governance,
 * final actions and the MCCD, each when the case JSON holds it; a
 * concern with no decision links to gov?contact=ID (the governance
 * form) when gov is not NULL. */
void		 cr_records(struct sbuf *, json_t *, json_t *, const char *);

#endif
