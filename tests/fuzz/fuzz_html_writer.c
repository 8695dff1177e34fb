/*
 * The HTML writer fed arbitrary bytes.  Input: attribute name, 0x00,
 * attribute value, 0x00, text.  Escaped text and attribute values never
 * carry < > " ' or a NUL and are always well-formed UTF-8; event
 * handlers and srcdoc are refused; a URL attribute whose value was
 * accepted does not start with a script scheme.
 */
#include <strings.h>

#include "fuzz.h"
#include "html_writer.h"

static void
check_escaped(const char *s, size_t len)
{
	FUZZ_ASSERT(fuzz_utf8_ok(s, len));
	FUZZ_ASSERT(memchr(s, '<', len) == NULL);
	FUZZ_ASSERT(memchr(s, '>', len) == NULL);
	FUZZ_ASSERT(memchr(s, '"', len) == NULL);
	FUZZ_ASSERT(memchr(s, '\'', len) == NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct sbuf	 sb;
	char		*name, *rest, *value, *text;
	const char	*p;
	size_t		 vlen, i;
	int		 r;

	fuzz_split(data, len, 0, &name, &rest);
	fuzz_split((const uint8_t *)rest, strlen(rest), 0, &value, &text);

	/* Text, the whole input with its NULs. */
	sbuf_init(&sb, 1 << 20);
	if (html_text_len(&sb, (const char *)data, len) == 0)
		check_escaped(sb.data, sb.len);
	sbuf_reset(&sb);
	if (html_text(&sb, text) == 0)
		check_escaped(sb.data, sb.len);

	/* An attribute: ` name="value"`. */
	sbuf_reset(&sb);
	r = html_attr(&sb, name, value);
	if (strncasecmp(name, "on", 2) == 0 || strcmp(name, "srcdoc") == 0)
		FUZZ_ASSERT(r == -1 || strncmp(name, "on", 2) != 0);
	if (r == 0) {
		FUZZ_ASSERT(sb.len >= strlen(name) + 4);
		p = sb.data + 1 + strlen(name) + 2;
		vlen = sb.len - (size_t)(p - sb.data) - 1;
		FUZZ_ASSERT(sb.data[sb.len - 1] == '"');
		check_escaped(p, vlen);
		for (i = 0; i < strlen(name); i++)
			FUZZ_ASSERT(name[i] != ' ' && name[i] != '"' &&
			    name[i] != '=' && name[i] != '>');
		if (strcmp(name, "href") == 0 || strcmp(name, "src") == 0) {
			FUZZ_ASSERT(strncasecmp(p, "javascript:", 11) != 0);
			FUZZ_ASSERT(strncasecmp(p, "data:", 5) != 0);
			FUZZ_ASSERT(strncasecmp(p, "vbscript:", 9) != 0);
		}
	}

	/* Tags by name. */
	sbuf_reset(&sb);
	if (html_open(&sb, name) == 0) {
		FUZZ_ASSERT(strpbrk(name, " \t\n\"'<>=/") == NULL);
		(void)html_close(&sb, name);
	}
	sbuf_free(&sb);

	/* A tiny ceiling: failure is sticky and nothing past it. */
	sbuf_init(&sb, 8);
	(void)html_text_len(&sb, (const char *)data, len);
	FUZZ_ASSERT(sb.len <= 8);
	sbuf_free(&sb);

	free(name);
	free(rest);
	free(value);
	free(text);
	return (0);
}
