/*
 * The medex page layout and the NHS.UK frontend components the pages
 * use, written through html_writer.h only: every string these take is
 * escaped, so text from users or the database never reaches the page
 * as markup.  Pure C (no Kore), so that it is unit-tested.
 *
 * A page is page_begin(), components, page_end().  Class names are
 * NHS.UK frontend's (assets/node_modules/nhsuk-frontend); the CSS and
 * JavaScript are served from /assets/ (scripts/assets.sh), never from a
 * CDN, and no page has an inline script or style, so the
 * Content-Security-Policy (PAGE_CSP) can forbid them.
 */
#ifndef MEDEX_PAGE_H
#define MEDEX_PAGE_H

#include <stddef.h>

#include "role.h"
#include "sbuf.h"

#define PAGE_CSP	"default-src 'none'; script-src 'self'; " \
			"style-src 'self'; img-src 'self'; font-src 'self'; " \
			"connect-src 'self'; manifest-src 'self'; " \
			"form-action 'self'; frame-ancestors 'none'; " \
			"base-uri 'none'"

#define PAGE_MAX	(2 * 1024 * 1024)

/* Sections of the header's menu, for marking the current one. */
enum page_nav {
	NAV_NONE = 0,
	NAV_CASES,
	NAV_OFFICES,
	NAV_USERS,
	NAV_EXPORTS,
	NAV_OFFICE,
	NAV_AUDIT,
	NAV_ACCOUNT
};

/* Who is signed in; a NULL user in page_begin() means nobody. */
struct page_user {
	const char	*username;
	const char	*display_name;	/* NULL: the username is shown */
	enum role	 role;
	const char	*office;
	const char	*csrf;		/* for the sign-out form; may be "" */
};

struct page_error {
	const char	*field;		/* the input's id, or a path ("/...") */
	const char	*message;
};

struct page_input {
	const char	*id;		/* also the field's name */
	const char	*label;
	const char	*hint;		/* NULL: none */
	const char	*value;		/* NULL: empty */
	const char	*type;		/* "text", "password", ... */
	const char	*autocomplete;	/* NULL: none */
	const char	*error;		/* NULL: none */
	const char	*width;		/* "10", "20", ...; NULL: full */
};

/*
 * The title is "<title> - medex", with "Error: " in front when the page
 * shows errors (the service manual's pattern).
 */
int	page_begin(struct sbuf *, const char *, int,
	    const struct page_user *, enum page_nav);
int	page_end(struct sbuf *);

/* The error summary; it takes focus (autofocus, and JS) on load. */
int	page_error_summary(struct sbuf *, const struct page_error *, size_t);

int	page_h1(struct sbuf *, const char *, const char *);
int	page_p(struct sbuf *, const char *);
int	page_field(struct sbuf *, const struct page_input *);
int	page_csrf_field(struct sbuf *, const char *);

/*
 * A form that writes carries a key made when it is shown: 128 random
 * bits as 32 hex digits in a hidden "form_key" field.  The POST sends
 * it as the write's Idempotency-Key, so a form sent twice records once.
 * page_form_key() fills out[PAGE_KEY_LEN + 1]; -1 if no randomness.
 */
#define PAGE_KEY_LEN	32
int	page_form_key(char *);
int	page_key_field(struct sbuf *);
int	page_button(struct sbuf *, const char *);

/*
 * Tables: page_table_begin() with a caption and the column heads,
 * then page_table_row() per row (cells[0] is the row's header), then
 * page_table_end().  A cell may be a link: links[i] non-NULL.
 */
int	page_table_begin(struct sbuf *, const char *, const char *const *,
	    size_t);
int	page_table_row(struct sbuf *, const char *const *,
	    const char *const *, size_t);
int	page_table_end(struct sbuf *);

/* The "inset text" box for a short note, e.g. an empty queue. */
int	page_inset(struct sbuf *, const char *);

#endif
