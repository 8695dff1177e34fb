/*
 * The JSON writer fed arbitrary bytes.  A string it writes is valid
 * JSON that jansson reads back; when the input was well-formed UTF-8
 * (NULs allowed) it reads back as the same bytes.  The output never
 * holds < > & or a raw control character.  The first byte drives a
 * sequence of writer calls in any order: the result is either refused
 * or a whole JSON document.
 */
#include <jansson.h>

#include "fuzz.h"
#include "json_writer.h"

static int
utf8_with_nul_ok(const char *s, size_t len)
{
	size_t	i, start;

	start = 0;
	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '\0')
			continue;
		if (!fuzz_utf8_ok(s + start, i - start))
			return (0);
		start = i + 1;
	}
	return (1);
}

static void
calls(const uint8_t *data, size_t len)
{
	struct sbuf		 sb;
	struct json_writer	 jw;
	json_t			*j;
	size_t			 i;
	char			 key[2];

	sbuf_init(&sb, 1 << 16);
	jw_init(&jw, &sb);
	for (i = 0; i < len && i < 256; i++) {
		key[0] = (char)('a' + data[i] % 26);
		key[1] = '\0';
		switch (data[i] % 11) {
		case 0: (void)jw_object_open(&jw); break;
		case 1: (void)jw_object_close(&jw); break;
		case 2: (void)jw_array_open(&jw); break;
		case 3: (void)jw_array_close(&jw); break;
		case 4: (void)jw_key(&jw, key); break;
		case 5: (void)jw_string(&jw, key); break;
		case 6: (void)jw_int(&jw, (long long)((unsigned long long)
			    data[i] << 56)); break;
		case 7: (void)jw_bool(&jw, data[i] & 16); break;
		case 8: (void)jw_null(&jw); break;
		case 9: (void)jw_tenths(&jw, -(long long)data[i] * 1234567);
			break;
		case 10: (void)jw_member_int(&jw, key, data[i]); break;
		}
	}
	if (jw_finish(&jw) == 0) {
		j = json_loadb(sb.data, sb.len, JSON_DECODE_ANY, NULL);
		FUZZ_ASSERT(j != NULL);
		json_decref(j);
	}
	sbuf_free(&sb);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct sbuf	 sb;
	json_t		*j;
	json_error_t	 err;
	size_t		 i;

	sbuf_init(&sb, 1 << 20);
	if (jw_escape(&sb, (const char *)data, len) == 0) {
		for (i = 0; i < sb.len; i++) {
			FUZZ_ASSERT((unsigned char)sb.data[i] >= 0x20);
			FUZZ_ASSERT(strchr("<>&", sb.data[i]) == NULL);
		}
		FUZZ_ASSERT(fuzz_utf8_ok(sb.data, sb.len));
		j = json_loadb(sb.data, sb.len, JSON_DECODE_ANY |
		    JSON_ALLOW_NUL, &err);
		FUZZ_ASSERT(j != NULL && json_is_string(j));
		if (utf8_with_nul_ok((const char *)data, len)) {
			FUZZ_ASSERT(json_string_length(j) == len);
			FUZZ_ASSERT(memcmp(json_string_value(j), data,
			    len) == 0);
		}
		json_decref(j);
	}
	sbuf_free(&sb);
	calls(data, len);
	return (0);
}
