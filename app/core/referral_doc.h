/*
 * The coroner referral document's text (issue 23): which lines, in
 * which order, from which fields of the case, and the words of the
 * regulation 3 categories.  Pure C, no Kore: the printable page
 * (pages/referral_page.c) and the PDF (libharu, the same file) both
 * render this model, so the two cannot say different things.
 *
 * The input is what api_page_referral_document (sql/referral.sql)
 * answers: {"case": case_json, "office": {code, name, coroner_area},
 * "examiner": {username, display_name, gmc_number} or null,
 * "names": {username: display_name}}.
 */
#ifndef MEDEX_REFERRAL_DOC_H
#define MEDEX_REFERRAL_DOC_H

#include <stddef.h>

#include <jansson.h>

enum rd_kind {
	RD_TITLE,	/* the document's one title */
	RD_TEXT,	/* a paragraph */
	RD_HEADING,	/* a section */
	RD_FIELD,	/* label: value */
	RD_ITEM		/* one item of a list (the categories) */
};

struct rd_line {
	enum rd_kind	 kind;
	const char	*label;		/* RD_FIELD only, static text */
	char		*text;		/* owned */
};

struct referral_doc {
	struct rd_line	*lines;
	size_t		 n, cap;
	int		 oom;
};

/* Builds the model; 0, or -1 when the case has no referral. */
int		 referral_doc_build(struct referral_doc *, json_t *);
void		 referral_doc_free(struct referral_doc *);
/* "self_harm" -> "The death may have been due to self-harm."; NULL
 * for a code that is no category. */
const char	*referral_category_words(const char *);
/* "secure_email" -> "Secure email"; NULL for no method. */
const char	*referral_method_words(const char *);

/* The ways a referral is sent, NULL-terminated (the API's codes). */
extern const char *const referral_send_methods[];

#endif
