/*
 * The escaping HTML writer; see html_writer.h for the contract.
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "html_writer.h"
#include "sbuf.h"

static int	html_escape(struct sbuf *, const char *, size_t);
static int	html_name_ok(const char *, int);
static int	html_is_url_attr(const char *);
static int	html_url_ok(const char *);

/*
 * Attributes whose value the browser loads or follows as a URL, where a
 * javascript: or data: value runs script however well it is escaped.
 */
static const char *html_url_attrs[] = {
	"action", "background", "cite", "data", "formaction", "href",
	"ping", "poster", "src", "srcset", NULL
};

/* Schemes a URL attribute may carry; anything without one is relative. */
static const char *html_url_schemes[] = {
	"http", "https", "mailto", NULL
};

/*
 * Copies runs of harmless bytes in one append and stops only at what
 * needs escaping, dropping or replacing.
 */
static int
html_escape(struct sbuf *sb, const char *s, size_t len)
{
	size_t		 i, start, n;
	unsigned char	 c;
	int32_t		 cp;
	const char	*rep;

	start = 0;
	i = 0;
	while (i < len) {
		c = (unsigned char)s[i];
		n = 1;
		rep = NULL;
		if (c >= 0x80) {
			n = sbuf_utf8_next(s + i, len - i, &cp);
			if (cp != SBUF_UTF8_BAD) {
				i += n;
				continue;
			}
			rep = SBUF_UTF8_REPLACEMENT;
		} else {
			switch (c) {
			case '&':
				rep = "&amp;";
				break;
			case '<':
				rep = "&lt;";
				break;
			case '>':
				rep = "&gt;";
				break;
			case '"':
				rep = "&quot;";
				break;
			case '\'':
				rep = "&#39;";
				break;
			case '\0':
				rep = "";
				break;
			default:
				i++;
				continue;
			}
		}
		(void)sbuf_append(sb, s + start, i - start);
		(void)sbuf_appends(sb, rep);
		i += n;
		start = i;
	}
	(void)sbuf_append(sb, s + start, i - start);

	return (sb->oom ? -1 : 0);
}

/*
 * Tag and attribute names come from our code, but checking them costs
 * nothing and keeps a mistake from opening the markup: lower-case
 * letters and digits, and '-' where dash is set (data-*, aria-*).
 */
static int
html_name_ok(const char *name, int dash)
{
	const char	*p;

	if (name == NULL || *name < 'a' || *name > 'z')
		return (0);
	for (p = name; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
			continue;
		if (dash && *p == '-')
			continue;
		return (0);
	}
	return (1);
}

static int
html_is_url_attr(const char *name)
{
	size_t	i;

	for (i = 0; html_url_attrs[i] != NULL; i++) {
		if (strcmp(name, html_url_attrs[i]) == 0)
			return (1);
	}
	return (0);
}

/*
 * Reads the scheme the way a browser's URL parser would: leading spaces
 * and control characters are skipped and tabs and newlines inside are
 * ignored, so "  java\tscript:" is still javascript:.  A ':' before any
 * '/', '?' or '#' ends a scheme; without one the URL is relative.
 */
static int
html_url_ok(const char *value)
{
	char		 scheme[16];
	size_t		 n, i;
	const char	*p;

	p = value;
	while (*p != '\0' && (unsigned char)*p <= 0x20)
		p++;

	n = 0;
	for (; *p != '\0'; p++) {
		if (*p == '\t' || *p == '\n' || *p == '\r')
			continue;
		if (*p == '/' || *p == '?' || *p == '#')
			return (1);
		if (*p == ':')
			break;
		/* Longer than any scheme we allow: refuse if one follows. */
		if (n < sizeof(scheme) - 1)
			scheme[n] = *p;
		n++;
	}
	if (*p == '\0')
		return (1);
	if (n >= sizeof(scheme))
		return (0);
	scheme[n] = '\0';

	for (i = 0; html_url_schemes[i] != NULL; i++) {
		if (strcasecmp(scheme, html_url_schemes[i]) == 0)
			return (1);
	}
	return (0);
}

int
html_text(struct sbuf *sb, const char *s)
{
	if (s == NULL)
		return (sb->oom ? -1 : 0);
	return (html_escape(sb, s, strlen(s)));
}

int
html_text_len(struct sbuf *sb, const char *s, size_t len)
{
	if (s == NULL)
		return (sb->oom ? -1 : 0);
	return (html_escape(sb, s, len));
}

/*
 * Writes ` name="value"`.  srcdoc is refused with the event handlers:
 * its value is itself parsed as a document once unescaped.
 */
int
html_attr(struct sbuf *sb, const char *name, const char *value)
{
	int	ret;

	ret = -1;
	if (!html_name_ok(name, 1))
		goto cleanup;
	if (strncmp(name, "on", 2) == 0 || strcmp(name, "srcdoc") == 0)
		goto cleanup;
	if (value == NULL)
		value = "";

	(void)sbuf_appendc(sb, ' ');
	(void)sbuf_appends(sb, name);
	(void)sbuf_appends(sb, "=\"");
	if (html_is_url_attr(name) && !html_url_ok(value)) {
		(void)sbuf_appendc(sb, '#');
		(void)sbuf_appendc(sb, '"');
		goto cleanup;
	}
	(void)html_escape(sb, value, strlen(value));
	(void)sbuf_appendc(sb, '"');
	ret = sb->oom ? -1 : 0;

cleanup:
	return (ret);
}

int
html_raw_trusted(struct sbuf *sb, const char *literal)
{
	return (sbuf_appends(sb, literal));
}

int
html_open(struct sbuf *sb, const char *tag)
{
	if (html_start(sb, tag) == -1)
		return (-1);
	return (html_end(sb));
}

int
html_close(struct sbuf *sb, const char *tag)
{
	if (!html_name_ok(tag, 0))
		return (-1);
	(void)sbuf_appends(sb, "</");
	(void)sbuf_appends(sb, tag);
	return (sbuf_appendc(sb, '>'));
}

int
html_start(struct sbuf *sb, const char *tag)
{
	if (!html_name_ok(tag, 0))
		return (-1);
	(void)sbuf_appendc(sb, '<');
	return (sbuf_appends(sb, tag));
}

int
html_end(struct sbuf *sb)
{
	return (sbuf_appendc(sb, '>'));
}
