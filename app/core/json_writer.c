/*
 * The escaping JSON writer; see json_writer.h for the contract.  Output
 * is compact (no spaces or newlines) so that identical calls give
 * identical bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "json_writer.h"
#include "sbuf.h"

static int	jw_fail(struct json_writer *);
static int	jw_before_value(struct json_writer *);
static int	jw_after_value(struct json_writer *);
static int	jw_open(struct json_writer *, char);
static int	jw_close(struct json_writer *, char, char);

void
jw_init(struct json_writer *jw, struct sbuf *sb)
{
	memset(jw, 0, sizeof(*jw));
	jw->sb = sb;
}

/*
 * Whether the writer produced exactly one complete, balanced JSON value
 * and every byte of it reached the buffer.
 */
int
jw_finish(struct json_writer *jw)
{
	if (jw->err || jw->sb->oom || jw->depth != 0 || !jw->done ||
	    jw->want_value)
		return (-1);
	return (0);
}

static int
jw_fail(struct json_writer *jw)
{
	jw->err = 1;
	return (-1);
}

/*
 * Every value goes through here first: it checks that a value may come
 * now and writes the comma that separates it from the one before.
 */
static int
jw_before_value(struct json_writer *jw)
{
	int	d;

	if (jw->err || jw->sb->oom)
		return (jw_fail(jw));
	if (jw->depth == 0) {
		if (jw->done)
			return (jw_fail(jw));
		return (0);
	}

	d = jw->depth - 1;
	if (jw->open[d] == '{') {
		if (!jw->want_value)
			return (jw_fail(jw));
		jw->want_value = 0;
		return (0);
	}
	if (jw->nonempty[d])
		(void)sbuf_appendc(jw->sb, ',');
	jw->nonempty[d] = 1;
	return (0);
}

static int
jw_after_value(struct json_writer *jw)
{
	if (jw->depth == 0)
		jw->done = 1;
	if (jw->sb->oom)
		return (jw_fail(jw));
	return (0);
}

static int
jw_open(struct json_writer *jw, char c)
{
	if (jw_before_value(jw) == -1)
		return (-1);
	if (jw->depth == JW_MAX_DEPTH)
		return (jw_fail(jw));
	(void)sbuf_appendc(jw->sb, c);
	jw->open[jw->depth] = c;
	jw->nonempty[jw->depth] = 0;
	jw->depth++;
	if (jw->sb->oom)
		return (jw_fail(jw));
	return (0);
}

static int
jw_close(struct json_writer *jw, char open, char close)
{
	if (jw->err || jw->sb->oom)
		return (jw_fail(jw));
	if (jw->depth == 0 || jw->open[jw->depth - 1] != open ||
	    jw->want_value)
		return (jw_fail(jw));
	(void)sbuf_appendc(jw->sb, close);
	jw->depth--;
	return (jw_after_value(jw));
}

int
jw_object_open(struct json_writer *jw)
{
	return (jw_open(jw, '{'));
}

int
jw_object_close(struct json_writer *jw)
{
	return (jw_close(jw, '{', '}'));
}

int
jw_array_open(struct json_writer *jw)
{
	return (jw_open(jw, '['));
}

int
jw_array_close(struct json_writer *jw)
{
	return (jw_close(jw, '[', ']'));
}

int
jw_key(struct json_writer *jw, const char *key)
{
	int	d;

	if (jw->err || jw->sb->oom || key == NULL)
		return (jw_fail(jw));
	if (jw->depth == 0 || jw->want_value)
		return (jw_fail(jw));
	d = jw->depth - 1;
	if (jw->open[d] != '{')
		return (jw_fail(jw));

	if (jw->nonempty[d])
		(void)sbuf_appendc(jw->sb, ',');
	jw->nonempty[d] = 1;
	(void)jw_escape(jw->sb, key, strlen(key));
	(void)sbuf_appendc(jw->sb, ':');
	jw->want_value = 1;
	if (jw->sb->oom)
		return (jw_fail(jw));
	return (0);
}

int
jw_string(struct json_writer *jw, const char *s)
{
	if (s == NULL)
		return (jw_null(jw));
	return (jw_string_len(jw, s, strlen(s)));
}

int
jw_string_len(struct json_writer *jw, const char *s, size_t len)
{
	if (s == NULL)
		return (jw_null(jw));
	if (jw_before_value(jw) == -1)
		return (-1);
	(void)jw_escape(jw->sb, s, len);
	return (jw_after_value(jw));
}

int
jw_int(struct json_writer *jw, long long v)
{
	if (jw_before_value(jw) == -1)
		return (-1);
	(void)sbuf_appendf(jw->sb, "%lld", v);
	return (jw_after_value(jw));
}

int
jw_bool(struct json_writer *jw, int v)
{
	if (jw_before_value(jw) == -1)
		return (-1);
	(void)sbuf_appends(jw->sb, v ? "true" : "false");
	return (jw_after_value(jw));
}

int
jw_null(struct json_writer *jw)
{
	if (jw_before_value(jw) == -1)
		return (-1);
	(void)sbuf_appends(jw->sb, "null");
	return (jw_after_value(jw));
}

int
jw_tenths(struct json_writer *jw, long long tenths)
{
	if (jw_before_value(jw) == -1)
		return (-1);
	(void)sbuf_append_tenths(jw->sb, tenths);
	return (jw_after_value(jw));
}

int
jw_member_string(struct json_writer *jw, const char *key, const char *s)
{
	if (jw_key(jw, key) == -1)
		return (-1);
	return (jw_string(jw, s));
}

int
jw_member_int(struct json_writer *jw, const char *key, long long v)
{
	if (jw_key(jw, key) == -1)
		return (-1);
	return (jw_int(jw, v));
}

/*
 * Copies runs of harmless bytes in one append and stops only at what
 * needs escaping.  <, > and & are escaped although JSON does not need
 * it, so that "</script>" or "<!--" in a value cannot end the HTML
 * element that a page embeds the JSON in; U+2028 and U+2029 likewise,
 * for JavaScript engines older than ES2019 that end a line on them.
 */
int
jw_escape(struct sbuf *sb, const char *s, size_t len)
{
	size_t		 i, start, n;
	unsigned char	 c;
	int32_t		 cp;

	(void)sbuf_appendc(sb, '"');
	start = 0;
	i = 0;
	while (i < len) {
		c = (unsigned char)s[i];
		if (c >= 0x80) {
			n = sbuf_utf8_next(s + i, len - i, &cp);
			if (cp != SBUF_UTF8_BAD && cp != 0x2028 &&
			    cp != 0x2029) {
				i += n;
				continue;
			}
			(void)sbuf_append(sb, s + start, i - start);
			if (cp == SBUF_UTF8_BAD)
				(void)sbuf_appends(sb, SBUF_UTF8_REPLACEMENT);
			else
				(void)sbuf_appendf(sb, "\\u%04x",
				    (unsigned int)cp);
			i += n;
			start = i;
			continue;
		}
		if (c >= 0x20 && c != '"' && c != '\\' && c != '<' &&
		    c != '>' && c != '&') {
			i++;
			continue;
		}
		(void)sbuf_append(sb, s + start, i - start);
		if (c == '"')
			(void)sbuf_appends(sb, "\\\"");
		else if (c == '\\')
			(void)sbuf_appends(sb, "\\\\");
		else
			(void)sbuf_appendf(sb, "\\u%04x", (unsigned int)c);
		i++;
		start = i;
	}
	(void)sbuf_append(sb, s + start, i - start);
	(void)sbuf_appendc(sb, '"');

	return (sb->oom ? -1 : 0);
}

int
json_error_body(struct sbuf *sb, const char *code, const char *message,
    const char *fields[][2], size_t nfields)
{
	return (json_error_body_extra(sb, code, message, fields, nfields,
	    NULL, 0));
}

/*
 * The writer's failures are sticky, so the calls below are not checked
 * one by one: jw_finish() reports any of them.
 */
int
json_error_body_extra(struct sbuf *sb, const char *code, const char *message,
    const char *fields[][2], size_t nfields, const char *extra[][2],
    size_t nextra)
{
	struct json_writer	jw;
	size_t			i;

	jw_init(&jw, sb);
	(void)jw_object_open(&jw);
	(void)jw_key(&jw, "error");
	(void)jw_object_open(&jw);
	(void)jw_member_string(&jw, "code", code);
	(void)jw_member_string(&jw, "message", message);
	for (i = 0; i < nextra; i++)
		(void)jw_member_string(&jw, extra[i][0], extra[i][1]);
	if (nfields > 0) {
		(void)jw_key(&jw, "fields");
		(void)jw_object_open(&jw);
		for (i = 0; i < nfields; i++)
			(void)jw_member_string(&jw, fields[i][0],
			    fields[i][1]);
		(void)jw_object_close(&jw);
	}
	(void)jw_object_close(&jw);
	(void)jw_object_close(&jw);

	return (jw_finish(&jw));
}
