/*
 * The only way medex pages write text into HTML.
 *
 * html_text() and html_attr() escape & < > " ' (as &amp; &lt; &gt;
 * &quot; &#39;), which makes a string safe both between tags and inside
 * a quoted attribute value.  Bytes that are not well-formed UTF-8 become
 * U+FFFD and NUL bytes are dropped, so a page is always valid UTF-8 and
 * never carries a NUL for a browser to trip on.  A NULL string writes
 * nothing.
 *
 * Escaping is not enough in two places, so html_attr() refuses them:
 * event-handler attributes (on...), whose value is script, and URL
 * attributes (href, src, action, formaction, ...) whose value has a
 * scheme other than http, https or mailto (javascript:, data:, ...).
 * A refused URL is written as "#" so the page stays well formed, and
 * -1 is returned.
 *
 * Everything else that reaches the page is markup from our own code,
 * through html_raw(), which only accepts a string literal: passing a
 * variable does not compile.  Never call html_raw_trusted() directly
 * with anything but a literal either.
 *
 * Functions return 0 on success and -1 on failure (the sbuf's error
 * flag, or a refused name or value); writing stops on the sbuf's flag.
 */
#ifndef MEDEX_HTML_WRITER_H
#define MEDEX_HTML_WRITER_H

#include <stddef.h>

#include "sbuf.h"

/* "" lit "" is a compile error unless lit is a string literal. */
#define html_raw(sb, lit)	html_raw_trusted((sb), "" lit "")

int	html_text(struct sbuf *, const char *);
int	html_text_len(struct sbuf *, const char *, size_t);
int	html_attr(struct sbuf *, const char *, const char *);
int	html_raw_trusted(struct sbuf *, const char *);

/*
 * Tags by name: html_open() writes <tag>, html_close() </tag>; for a
 * tag with attributes, html_start() writes <tag, then html_attr() as
 * often as needed, then html_end() writes >.  Names must be lower-case
 * ASCII letters and digits.
 */
int	html_open(struct sbuf *, const char *);
int	html_close(struct sbuf *, const char *);
int	html_start(struct sbuf *, const char *);
int	html_end(struct sbuf *);

#endif
