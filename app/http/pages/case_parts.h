/*
 * Pieces of the case pages (pages/case_parts.c).  Text goes through
 * html_writer.h: nothing reaches the page unescaped.
 */
#ifndef MEDEX_CASE_PARTS_H
#define MEDEX_CASE_PARTS_H

#include <stddef.h>

#include <jansson.h>

#include "sbuf.h"

/* "care_home" -> "Care home". */
void		 cp_code_label(const char *, char *, size_t);
/* The string member key of o, or NULL. */
const char	*cp_str(json_t *, const char *);
/* The state as an NHS.UK tag in its colour. */
void		 cp_state_tag(struct sbuf *, const char *);
/* "2026-07-01T13:00:00Z" -> "1 Jul 2026 14:00 BST"; dates alone too. */
void		 cp_time(const char *, char *, size_t);
/* 4857773456 -> "485 777 3456". */
void		 cp_nhs(const char *, char *, size_t);
/* Given and family name of a case. */
void		 cp_name(json_t *, char *, size_t);
/* <a href> with the text; aria-current when current. */
void		 cp_link(struct sbuf *, const char *, const char *, int);
/* A row of a summary list ("Not known" when value is empty). */
void		 cp_sl_row(struct sbuf *, const char *, const char *);

#endif
