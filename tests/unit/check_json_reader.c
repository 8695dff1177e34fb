/*
 * jr_load() against jansson's json_loadb(buf, len, 0, NULL): the same
 * tree for every document jansson reads, NULL for every one it refuses.
 * Fixed documents for the edges, then seeded random ones, as jansson
 * writes them, and the same with bytes changed.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "json_reader.h"

/* Both refuse, or both give equal trees (integer and real differ). */
static int
agrees(const char *buf, size_t len)
{
	json_t	*a, *b;
	int	 ok;

	a = json_loadb(buf, len, 0, NULL);
	b = jr_load(buf, len);
	if (a == NULL || b == NULL)
		ok = (a == NULL && b == NULL);
	else
		ok = json_equal(a, b);
	json_decref(a);
	json_decref(b);
	return (ok);
}

static int
agrees_s(const char *s)
{
	return (agrees(s, strlen(s)));
}

static const char *const good[] = {
	"{}", "[]", " \t\r\n[ ] \n", "{\"a\":1}", "[1,-1,0,-0,10]",
	"[9223372036854775807,-9223372036854775808]",
	"[1.5,-0.25,1e3,1E+3,1e-3,0.0,-0.0,123.456e-7,1e-400]",
	"[true,false,null]", "{\"a\":{\"b\":[{\"c\":null}]}}",
	"{\"\":\"\"}", "{\"a\":1,\"a\":2}", "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]",
	"[\"\\u0041\\u00e9\\u20ac\\ud83d\\ude00\"]", "[\"\\uD83D\\uDE00\"]",
	"[\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"]",
	"{\"k\\u00e9y\\n\":\"v\\tw\",\"x\":[\"y\\\"z\",{\"q\\\\\":1}]}",
	"{\"case\":{\"id\":\"42\",\"state\":\"in_scrutiny\","
	    "\"priority\":{\"on\":true,\"reason\":\"faith \\u0026 burial\"},"
	    "\"version\":3,\"representatives\":[]},\"names\":{\"me1\":"
	    "\"Dr O'Neil\"},\"timeline\":{\"items\":[{\"at\":"
	    "\"2026-12-07T10:00:00Z\",\"changes\":{\"state\":{\"old\":null,"
	    "\"new\":\"notified\"}}}],\"more\":false}}",
	"[0.1234567890123456789012345678901234567890123456789012345678901"
	    "23456789012345678901234567890]",
	"[1.7976931348623157e308,-1.7976931348623157e308,5e-324]",
};

static const char *const bad[] = {
	"", " ", "1", "\"a\"", "true", "null", "{", "[", "]", "}", "[1,]",
	"{\"a\":1,}", "{,}", "[,1]", "{\"a\"}", "{\"a\" 1}", "{1:2}",
	"{'a':1}", "[01]", "[-01]", "[00]", "[1.]", "[.5]", "[-]", "[+1]",
	"[1e]", "[1e+]", "[1.e3]", "[0x10]", "[Infinity]", "[NaN]",
	"[9223372036854775808]", "[-9223372036854775809]", "[1e400]",
	"[-1e400]", "[tru]", "[truex]", "[nul]", "[True]", "[\"a]",
	"[\"\\x\"]", "[\"\\u12\"]", "[\"\\u12g4\"]", "[\"\\u0000\"]",
	"{\"\\u0000\":1}", "[\"\\ud800\"]", "[\"\\udc00\"]",
	"[\"\\ud800\\u0041\"]", "[\"\\ud800x\"]", "[\"a\tb\"]",
	"[\"\xc3\"]", "[\"\xc0\xaf\"]", "[\"\xed\xa0\x80\"]",
	"[\"\xf4\x90\x80\x80\"]", "[\"\xff\"]", "[1] [2]", "[1]x", "{}{}",
	"[\"a\"\"b\"]", "[1 2]", "{\"a\":1 \"b\":2}", "[\x01]",
	"[\"\\", "[\"\\\"]", "{\"a\":", "{\"a\"", "[\"\\ud83d\\ude0\"]",
};

START_TEST(fixed_documents_read_as_jansson_reads_them)
{
	size_t	i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		json_t	*j = jr_load(good[i], strlen(good[i]));

		ck_assert_msg(j != NULL, "refused: %s", good[i]);
		json_decref(j);
		ck_assert_msg(agrees_s(good[i]), "differs: %s", good[i]);
	}
}
END_TEST

START_TEST(malformed_documents_are_refused_as_jansson_refuses_them)
{
	size_t	i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t	*j = jr_load(bad[i], strlen(bad[i]));

		ck_assert_msg(j == NULL, "accepted: %s", bad[i]);
		ck_assert_msg(agrees_s(bad[i]), "differs: %s", bad[i]);
	}
}
END_TEST

/* A raw NUL byte, inside a string and outside one. */
START_TEST(a_nul_byte_is_refused)
{
	ck_assert_ptr_null(jr_load("[\"a\0b\"]", 7));
	ck_assert_ptr_null(jr_load("[1,\0 2]", 7));
	ck_assert_ptr_null(jr_load("[1]\0", 4));
	ck_assert_ptr_null(jr_load("[1\0]", 4));
	ck_assert_ptr_null(jr_load("[true\0]", 7));
	ck_assert(agrees("[\"a\0b\"]", 7));
	ck_assert(agrees("[1]\0", 4));
}
END_TEST

/* Only the given length is read: the bytes after it are not there. */
START_TEST(the_length_bounds_the_document)
{
	json_t	*j;

	j = jr_load("[12]34", 4);
	ck_assert_ptr_nonnull(j);
	ck_assert_int_eq(json_integer_value(json_array_get(j, 0)), 12);
	json_decref(j);
	ck_assert_ptr_null(jr_load("[12]", 3));
	ck_assert_ptr_null(jr_load("[\"ab\"]", 4));
	ck_assert_ptr_null(jr_load("[tr", 3));
}
END_TEST

/* Nesting to jansson's limit and one past it, values counted as it does. */
START_TEST(nesting_is_limited_where_jansson_limits_it)
{
	char	*buf;
	int	 depth, i;
	size_t	 n;

	for (depth = JR_MAX_DEPTH - 2; depth <= JR_MAX_DEPTH + 1; depth++) {
		buf = malloc((size_t)depth * 2 + 2);
		ck_assert_ptr_nonnull(buf);
		n = 0;
		for (i = 0; i < depth; i++)
			buf[n++] = '[';
		buf[n++] = '1';
		for (i = 0; i < depth; i++)
			buf[n++] = ']';
		ck_assert_msg(agrees(buf, n), "differs at depth %d", depth);
		free(buf);
	}
}
END_TEST

/* --- random documents --------------------------------------------------- */

static uint32_t
rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return (*s);
}

/* A string with ASCII, escapes to be, and 2-, 3- and 4-byte UTF-8. */
static json_t *
rnd_string(uint32_t *s)
{
	static const char *const parts[] = { "a", "Z", " ", "\"", "\\", "/",
	    "\n", "\t", "\x01", "\x1f", "\xc3\xa9", "\xe2\x82\xac",
	    "\xf0\x9f\x98\x80", "<", "&", "'", "0", "\xe2\x80\xa8" };
	char	buf[256];
	size_t	n, len, i, k;

	len = rnd(s) % 12;
	n = 0;
	for (i = 0; i < len; i++) {
		k = rnd(s) % (sizeof(parts) / sizeof(parts[0]));
		memcpy(buf + n, parts[k], strlen(parts[k]));
		n += strlen(parts[k]);
	}
	return (json_stringn(buf, n));
}

static json_t *
rnd_value(uint32_t *s, int depth)
{
	json_t	*v;
	char	 key[32];
	int	 n, i;

	switch (rnd(s) % (depth > 4 ? 6 : 8)) {
	case 0:
		return (json_integer((json_int_t)(int32_t)rnd(s) *
		    (rnd(s) % 3 == 0 ? 1000003 : 1)));
	case 1:
		return (json_real((double)(int32_t)rnd(s) /
		    (double)(rnd(s) % 1000 + 1)));
	case 2:
		return (rnd_string(s));
	case 3:
		return (json_true());
	case 4:
		return (json_false());
	case 5:
		return (json_null());
	case 6:
		v = json_array();
		n = (int)(rnd(s) % 5);
		for (i = 0; i < n; i++)
			json_array_append_new(v, rnd_value(s, depth + 1));
		return (v);
	default:
		v = json_object();
		n = (int)(rnd(s) % 5);
		for (i = 0; i < n; i++) {
			json_t	*k = rnd_string(s);

			snprintf(key, sizeof(key), "%.20s%d",
			    json_string_value(k), i % 3);
			json_decref(k);
			json_object_set_new(v, key, rnd_value(s, depth + 1));
		}
		return (v);
	}
}

static const size_t dump_flags[] = { JSON_COMPACT, JSON_INDENT(2),
    JSON_ENSURE_ASCII, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_SORT_KEYS,
    JSON_INDENT(1) | JSON_ESCAPE_SLASH };

START_TEST(random_documents_read_as_jansson_reads_them)
{
	uint32_t	 s = 20261207;
	json_t		*doc, *mine;
	char		*text;
	int		 i;

	for (i = 0; i < 3000; i++) {
		doc = json_object();
		json_object_set_new(doc, "v", rnd_value(&s, 0));
		json_object_set_new(doc, "w", rnd_value(&s, 0));
		text = json_dumps(doc, dump_flags[i % 5]);
		ck_assert_ptr_nonnull(text);
		mine = jr_load(text, strlen(text));
		ck_assert_msg(mine != NULL && json_equal(mine, doc),
		    "not read back: %s", text);
		ck_assert_msg(agrees_s(text), "differs: %s", text);
		json_decref(mine);
		json_decref(doc);
		free(text);
	}
}
END_TEST

/* The same documents with bytes changed: refused or read, as jansson. */
START_TEST(damaged_documents_are_judged_as_jansson_judges_them)
{
	static const char	 bytes[] = "{}[],:\"\\/ 0123456789-+.eEu"
				    "tfnabrx\x01\x7f\x80\xbf\xc3\xe2\xed"
				    "\xf0\xf4\xff";
	uint32_t		 s = 7122026;
	json_t			*doc;
	char			*text;
	size_t			 len;
	int			 i, k, m;

	for (i = 0; i < 20000; i++) {
		doc = json_array();
		json_array_append_new(doc, rnd_value(&s, 0));
		json_array_append_new(doc, rnd_value(&s, 0));
		text = json_dumps(doc, dump_flags[i % 5]);
		json_decref(doc);
		ck_assert_ptr_nonnull(text);
		len = strlen(text);
		m = 1 + (int)(rnd(&s) % 3);
		for (k = 0; k < m; k++) {
			switch (rnd(&s) % 3) {
			case 0:		/* change a byte */
				text[rnd(&s) % len] =
				    bytes[rnd(&s) % (sizeof(bytes) - 1)];
				break;
			case 1:		/* cut the end off */
				len = 1 + rnd(&s) % len;
				break;
			default:	/* drop a byte */
				if (len > 1) {
					size_t	at = rnd(&s) % len;

					memmove(text + at, text + at + 1,
					    len - at - 1);
					len--;
				}
				break;
			}
		}
		ck_assert_msg(agrees(text, len), "differs: %.*s", (int)len,
		    text);
		free(text);
	}
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	s = suite_create("json_reader");
	tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, fixed_documents_read_as_jansson_reads_them);
	tcase_add_test(tc,
	    malformed_documents_are_refused_as_jansson_refuses_them);
	tcase_add_test(tc, a_nul_byte_is_refused);
	tcase_add_test(tc, the_length_bounds_the_document);
	tcase_add_test(tc, nesting_is_limited_where_jansson_limits_it);
	tcase_add_test(tc, random_documents_read_as_jansson_reads_them);
	tcase_add_test(tc,
	    damaged_documents_are_judged_as_jansson_judges_them);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
