/*
 * What happened to a case, in sentences (pages/case_story.c): the
 * banners at the top of the case page and its timeline.
 */
#ifndef MEDEX_CASE_STORY_H
#define MEDEX_CASE_STORY_H

#include <jansson.h>

#include "sbuf.h"

/* "Contact saved" for ?saved=contact; NULL for an unknown slug. */
const char	*cs_saved_message(const char *);
/* The banners: what was just saved (the message), why a case was withdrawn, closed
 * or reopened, and an urgent release still waiting for its outcome. */
void		 cs_banners(struct sbuf *, json_t *, const char *);
/* The timeline, newest first, from api_page_case's "timeline". */
void		 cs_timeline(struct sbuf *, json_t *, json_t *);

#endif
