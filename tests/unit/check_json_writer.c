#include <check.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "json_writer.h"
#include "sbuf.h"

/* One string value, as a whole JSON document, into a fresh buffer. */
static void
json_one_string(struct sbuf *sb, const char *s, size_t len)
{
	struct json_writer	jw;

	sbuf_init(sb, 4096);
	jw_init(&jw, sb);
	ck_assert_int_eq(jw_string_len(&jw, s, len), 0);
	ck_assert_int_eq(jw_finish(&jw), 0);
}

START_TEST(object_members_are_separated_by_commas)
{
	struct sbuf		sb;
	struct json_writer	jw;

	sbuf_init(&sb, 4096);
	jw_init(&jw, &sb);
	jw_object_open(&jw);
	jw_member_string(&jw, "a", "x");
	jw_member_int(&jw, "b", 2);
	jw_key(&jw, "c");
	jw_bool(&jw, 1);
	jw_key(&jw, "d");
	jw_bool(&jw, 0);
	jw_key(&jw, "e");
	jw_null(&jw);
	jw_object_close(&jw);
	ck_assert_int_eq(jw_finish(&jw), 0);
	ck_assert_str_eq(sb.data,
	    "{\"a\":\"x\",\"b\":2,\"c\":true,\"d\":false,\"e\":null}");
	sbuf_free(&sb);
}
END_TEST

START_TEST(nested_arrays_and_objects_get_their_commas)
{
	struct sbuf		sb;
	struct json_writer	jw;

	sbuf_init(&sb, 4096);
	jw_init(&jw, &sb);
	jw_object_open(&jw);
	jw_key(&jw, "items");
	jw_array_open(&jw);
	jw_object_open(&jw);
	jw_member_int(&jw, "id", 1);
	jw_object_close(&jw);
	jw_object_open(&jw);
	jw_object_close(&jw);
	jw_array_open(&jw);
	jw_array_close(&jw);
	jw_int(&jw, 3);
	jw_array_close(&jw);
	jw_key(&jw, "next_cursor");
	jw_null(&jw);
	jw_object_close(&jw);
	ck_assert_int_eq(jw_finish(&jw), 0);
	ck_assert_str_eq(sb.data,
	    "{\"items\":[{\"id\":1},{},[],3],\"next_cursor\":null}");
	sbuf_free(&sb);
}
END_TEST

START_TEST(integers_cover_the_whole_long_long_range)
{
	struct sbuf		sb;
	struct json_writer	jw;

	sbuf_init(&sb, 4096);
	jw_init(&jw, &sb);
	jw_array_open(&jw);
	jw_int(&jw, 0);
	jw_int(&jw, -1);
	jw_int(&jw, LLONG_MAX);
	jw_int(&jw, LLONG_MIN);
	jw_array_close(&jw);
	ck_assert_int_eq(jw_finish(&jw), 0);
	ck_assert_str_eq(sb.data, "[0,-1,9223372036854775807,"
	    "-9223372036854775808]");
	sbuf_free(&sb);
}
END_TEST

START_TEST(tenths_are_numbers_with_one_decimal)
{
	struct sbuf		sb;
	struct json_writer	jw;

	sbuf_init(&sb, 4096);
	jw_init(&jw, &sb);
	jw_array_open(&jw);
	jw_tenths(&jw, 756);
	jw_tenths(&jw, 0);
	jw_tenths(&jw, 5);
	jw_tenths(&jw, 375);
	jw_tenths(&jw, 1000);
	jw_array_close(&jw);
	ck_assert_int_eq(jw_finish(&jw), 0);
	ck_assert_str_eq(sb.data, "[75.6,0.0,0.5,37.5,100.0]");
	sbuf_free(&sb);
}
END_TEST

START_TEST(quotes_and_backslashes_are_escaped)
{
	struct sbuf	sb;

	json_one_string(&sb, "say \"hi\" \\o/", 12);
	ck_assert_str_eq(sb.data, "\"say \\\"hi\\\" \\\\o/\"");
	sbuf_free(&sb);
}
END_TEST

START_TEST(control_characters_are_escaped_as_u00xx)
{
	struct sbuf	sb;

	json_one_string(&sb, "a\nb\rc\td\x01" "e\x1f" "f\b\f", 13);
	ck_assert_str_eq(sb.data, "\"a\\u000ab\\u000dc\\u0009d\\u0001"
	    "e\\u001ff\\u0008\\u000c\"");
	sbuf_free(&sb);
}
END_TEST

START_TEST(embedded_nul_is_escaped_not_truncated)
{
	struct sbuf	sb;

	json_one_string(&sb, "a\0b", 3);
	ck_assert_str_eq(sb.data, "\"a\\u0000b\"");
	sbuf_free(&sb);
}
END_TEST

START_TEST(script_tag_cannot_break_out_of_html)
{
	struct sbuf	sb;
	const char	*s = "<script>alert(1)</script>";

	json_one_string(&sb, s, strlen(s));
	ck_assert_str_eq(sb.data, "\"\\u003cscript\\u003ealert(1)"
	    "\\u003c/script\\u003e\"");
	ck_assert_ptr_null(strchr(sb.data, '<'));
	sbuf_free(&sb);
}
END_TEST

START_TEST(attribute_breakout_payload_stays_inside_the_string)
{
	struct sbuf	sb;
	const char	*s = "\"><img src=x onerror=alert(1)>";

	json_one_string(&sb, s, strlen(s));
	ck_assert_str_eq(sb.data, "\"\\\"\\u003e\\u003cimg src=x "
	    "onerror=alert(1)\\u003e\"");
	sbuf_free(&sb);
}
END_TEST

START_TEST(ampersand_and_html_comment_are_escaped)
{
	struct sbuf	sb;
	const char	*s = "<!-- &amp; -->";

	json_one_string(&sb, s, strlen(s));
	ck_assert_str_eq(sb.data,
	    "\"\\u003c!-- \\u0026amp; --\\u003e\"");
	sbuf_free(&sb);
}
END_TEST

START_TEST(line_and_paragraph_separators_are_escaped)
{
	struct sbuf	sb;
	const char	*s = "a\xe2\x80\xa8" "b\xe2\x80\xa9" "c";

	json_one_string(&sb, s, strlen(s));
	ck_assert_str_eq(sb.data, "\"a\\u2028b\\u2029c\"");
	sbuf_free(&sb);
}
END_TEST

START_TEST(valid_utf8_is_kept_as_it_is)
{
	struct sbuf	sb;
	const char	*s = "Ysbyty Gwynedd \xe2\x80\x93 G\xc5\xb5yl "
			    "\xf0\x9f\x98\x80";

	json_one_string(&sb, s, strlen(s));
	ck_assert_int_eq(sb.data[0], '"');
	ck_assert_int_eq(memcmp(sb.data + 1, s, strlen(s)), 0);
	ck_assert_uint_eq(sb.len, strlen(s) + 2);
	sbuf_free(&sb);
}
END_TEST

START_TEST(invalid_utf8_is_replaced_with_fffd)
{
	struct sbuf	sb;
	/* Stray byte, overlong '<', surrogate, truncated then 'A'. */
	const char	*s = "x\xff" "y\xc0\xbc" "z\xed\xa0\x80"
			    "w\xe2\x82" "A";

	json_one_string(&sb, s, strlen(s));
	ck_assert_str_eq(sb.data, "\"x\xef\xbf\xbdy\xef\xbf\xbd\xef\xbf\xbd"
	    "z\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdw\xef\xbf\xbd" "A\"");
	sbuf_free(&sb);
}
END_TEST

START_TEST(keys_are_escaped_like_values)
{
	struct sbuf		sb;
	struct json_writer	jw;

	sbuf_init(&sb, 4096);
	jw_init(&jw, &sb);
	jw_object_open(&jw);
	jw_member_int(&jw, "a\"b<", 1);
	jw_object_close(&jw);
	ck_assert_int_eq(jw_finish(&jw), 0);
	ck_assert_str_eq(sb.data, "{\"a\\\"b\\u003c\":1}");
	sbuf_free(&sb);
}
END_TEST

START_TEST(null_string_is_written_as_null)
{
	struct sbuf		sb;
	struct json_writer	jw;

	sbuf_init(&sb, 4096);
	jw_init(&jw, &sb);
	jw_object_open(&jw);
	jw_member_string(&jw, "officer", NULL);
	jw_key(&jw, "examiner");
	jw_string_len(&jw, NULL, 4);
	jw_object_close(&jw);
	ck_assert_int_eq(jw_finish(&jw), 0);
	ck_assert_str_eq(sb.data, "{\"officer\":null,\"examiner\":null}");
	sbuf_free(&sb);
}
END_TEST

START_TEST(value_without_key_in_an_object_is_refused)
{
	struct sbuf		sb;
	struct json_writer	jw;

	sbuf_init(&sb, 4096);
	jw_init(&jw, &sb);
	jw_object_open(&jw);
	ck_assert_int_eq(jw_int(&jw, 1), -1);
	/* Sticky: a correct call afterwards does not repair it. */
	ck_assert_int_eq(jw_object_close(&jw), -1);
	ck_assert_int_eq(jw_finish(&jw), -1);
	sbuf_free(&sb);
}
END_TEST

START_TEST(key_outside_an_object_is_refused)
{
	struct sbuf		sb;
	struct json_writer	jw;

	sbuf_init(&sb, 4096);
	jw_init(&jw, &sb);
	jw_array_open(&jw);
	ck_assert_int_eq(jw_key(&jw, "k"), -1);
	ck_assert_int_eq(jw_finish(&jw), -1);
	sbuf_free(&sb);

	sbuf_init(&sb, 4096);
	jw_init(&jw, &sb);
	ck_assert_int_eq(jw_key(&jw, "k"), -1);
	sbuf_free(&sb);
}
END_TEST

START_TEST(two_keys_in_a_row_are_refused)
{
	struct sbuf		sb;
	struct json_writer	jw;

	sbuf_init(&sb, 4096);
	jw_init(&jw, &sb);
	jw_object_open(&jw);
	jw_key(&jw, "a");
	ck_assert_int_eq(jw_key(&jw, "b"), -1);
	ck_assert_int_eq(jw_finish(&jw), -1);
	sbuf_free(&sb);
}
END_TEST

START_TEST(mismatched_or_missing_close_is_refused)
{
	struct sbuf		sb;
	struct json_writer	jw;

	sbuf_init(&sb, 4096);
	jw_init(&jw, &sb);
	jw_object_open(&jw);
	ck_assert_int_eq(jw_array_close(&jw), -1);
	ck_assert_int_eq(jw_finish(&jw), -1);
	sbuf_free(&sb);

	sbuf_init(&sb, 4096);
	jw_init(&jw, &sb);
	jw_array_open(&jw);
	ck_assert_int_eq(jw_finish(&jw), -1);
	sbuf_free(&sb);

	sbuf_init(&sb, 4096);
	jw_init(&jw, &sb);
	ck_assert_int_eq(jw_object_close(&jw), -1);
	sbuf_free(&sb);
}
END_TEST

START_TEST(key_left_without_value_is_refused_at_close)
{
	struct sbuf		sb;
	struct json_writer	jw;

	sbuf_init(&sb, 4096);
	jw_init(&jw, &sb);
	jw_object_open(&jw);
	jw_key(&jw, "a");
	ck_assert_int_eq(jw_object_close(&jw), -1);
	ck_assert_int_eq(jw_finish(&jw), -1);
	sbuf_free(&sb);
}
END_TEST

START_TEST(second_top_level_value_is_refused)
{
	struct sbuf		sb;
	struct json_writer	jw;

	sbuf_init(&sb, 4096);
	jw_init(&jw, &sb);
	ck_assert_int_eq(jw_int(&jw, 1), 0);
	ck_assert_int_eq(jw_int(&jw, 2), -1);
	ck_assert_int_eq(jw_finish(&jw), -1);
	ck_assert_str_eq(sb.data, "1");
	sbuf_free(&sb);
}
END_TEST

START_TEST(empty_writer_is_not_a_document)
{
	struct sbuf		sb;
	struct json_writer	jw;

	sbuf_init(&sb, 4096);
	jw_init(&jw, &sb);
	ck_assert_int_eq(jw_finish(&jw), -1);
	sbuf_free(&sb);
}
END_TEST

START_TEST(nesting_deeper_than_the_limit_is_refused)
{
	struct sbuf		sb;
	struct json_writer	jw;
	int			i;

	sbuf_init(&sb, 4096);
	jw_init(&jw, &sb);
	for (i = 0; i < JW_MAX_DEPTH; i++)
		ck_assert_int_eq(jw_array_open(&jw), 0);
	ck_assert_int_eq(jw_array_open(&jw), -1);
	ck_assert_int_eq(jw_finish(&jw), -1);
	sbuf_free(&sb);
}
END_TEST

START_TEST(output_past_the_buffer_limit_fails_the_document)
{
	struct sbuf		sb;
	struct json_writer	jw;
	char			big[200];

	memset(big, '<', sizeof(big));
	sbuf_init(&sb, 64);
	jw_init(&jw, &sb);
	jw_array_open(&jw);
	ck_assert_int_eq(jw_string_len(&jw, big, sizeof(big)), -1);
	ck_assert_int_eq(jw_array_close(&jw), -1);
	ck_assert_int_eq(jw_finish(&jw), -1);
	ck_assert_int_eq(sb.oom, 1);
	ck_assert_uint_le(sb.len, 64);
	sbuf_free(&sb);
}
END_TEST

START_TEST(error_body_without_fields_leaves_fields_out)
{
	struct sbuf	sb;

	sbuf_init(&sb, 4096);
	ck_assert_int_eq(json_error_body(&sb, "not_found",
	    "No such case.", NULL, 0), 0);
	ck_assert_str_eq(sb.data, "{\"error\":{\"code\":\"not_found\","
	    "\"message\":\"No such case.\"}}");
	sbuf_free(&sb);
}
END_TEST

START_TEST(error_body_names_each_bad_field)
{
	struct sbuf	 sb;
	const char	*fields[][2] = {
		{ "nhs_number", "fails the check digit" },
		{ "attending_practitioner.gmc_number", "is required" },
	};

	sbuf_init(&sb, 4096);
	ck_assert_int_eq(json_error_body(&sb, "validation_failed",
	    "Check the fields named.", fields, 2), 0);
	ck_assert_str_eq(sb.data, "{\"error\":{\"code\":\"validation_failed\","
	    "\"message\":\"Check the fields named.\",\"fields\":{"
	    "\"nhs_number\":\"fails the check digit\","
	    "\"attending_practitioner.gmc_number\":\"is required\"}}}");
	sbuf_free(&sb);
}
END_TEST

START_TEST(error_body_carries_from_and_to_inside_error)
{
	struct sbuf	 sb;
	const char	*extra[][2] = {
		{ "from", "closed" },
		{ "to", "in_scrutiny" },
	};

	sbuf_init(&sb, 4096);
	ck_assert_int_eq(json_error_body_extra(&sb, "invalid_transition",
	    "A closed case cannot go back to scrutiny.", NULL, 0,
	    extra, 2), 0);
	ck_assert_str_eq(sb.data, "{\"error\":{\"code\":\"invalid_transition\","
	    "\"message\":\"A closed case cannot go back to scrutiny.\","
	    "\"from\":\"closed\",\"to\":\"in_scrutiny\"}}");
	sbuf_free(&sb);
}
END_TEST

START_TEST(error_body_carries_existing_case_and_fields_together)
{
	struct sbuf	 sb;
	const char	*extra[][2] = { { "existing_case", "c_123" } };
	const char	*fields[][2] = { { "nhs_number", "already open" } };

	sbuf_init(&sb, 4096);
	ck_assert_int_eq(json_error_body_extra(&sb, "conflict", "Duplicate.",
	    fields, 1, extra, 1), 0);
	ck_assert_str_eq(sb.data, "{\"error\":{\"code\":\"conflict\","
	    "\"message\":\"Duplicate.\",\"existing_case\":\"c_123\","
	    "\"fields\":{\"nhs_number\":\"already open\"}}}");
	sbuf_free(&sb);
}
END_TEST

START_TEST(error_body_escapes_hostile_text)
{
	struct sbuf	 sb;
	const char	*fields[][2] = {
		{ "<script>alert(1)</script>", "\"><img src=x onerror=1>" },
	};

	sbuf_init(&sb, 4096);
	ck_assert_int_eq(json_error_body(&sb, "bad_request",
	    "unknown field \"x\"\n", fields, 1), 0);
	ck_assert_str_eq(sb.data, "{\"error\":{\"code\":\"bad_request\","
	    "\"message\":\"unknown field \\\"x\\\"\\u000a\",\"fields\":{"
	    "\"\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\":"
	    "\"\\\"\\u003e\\u003cimg src=x onerror=1\\u003e\"}}}");
	sbuf_free(&sb);
}
END_TEST

START_TEST(error_body_fails_when_the_buffer_is_too_small)
{
	struct sbuf	sb;

	sbuf_init(&sb, 16);
	ck_assert_int_eq(json_error_body(&sb, "not_found",
	    "No such case.", NULL, 0), -1);
	ck_assert_int_eq(sb.oom, 1);
	sbuf_free(&sb);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	s = suite_create("json_writer");
	tc = tcase_create("core");
	tcase_add_test(tc, object_members_are_separated_by_commas);
	tcase_add_test(tc, nested_arrays_and_objects_get_their_commas);
	tcase_add_test(tc, integers_cover_the_whole_long_long_range);
	tcase_add_test(tc, tenths_are_numbers_with_one_decimal);
	tcase_add_test(tc, quotes_and_backslashes_are_escaped);
	tcase_add_test(tc, control_characters_are_escaped_as_u00xx);
	tcase_add_test(tc, embedded_nul_is_escaped_not_truncated);
	tcase_add_test(tc, script_tag_cannot_break_out_of_html);
	tcase_add_test(tc, attribute_breakout_payload_stays_inside_the_string);
	tcase_add_test(tc, ampersand_and_html_comment_are_escaped);
	tcase_add_test(tc, line_and_paragraph_separators_are_escaped);
	tcase_add_test(tc, valid_utf8_is_kept_as_it_is);
	tcase_add_test(tc, invalid_utf8_is_replaced_with_fffd);
	tcase_add_test(tc, keys_are_escaped_like_values);
	tcase_add_test(tc, null_string_is_written_as_null);
	tcase_add_test(tc, value_without_key_in_an_object_is_refused);
	tcase_add_test(tc, key_outside_an_object_is_refused);
	tcase_add_test(tc, two_keys_in_a_row_are_refused);
	tcase_add_test(tc, mismatched_or_missing_close_is_refused);
	tcase_add_test(tc, key_left_without_value_is_refused_at_close);
	tcase_add_test(tc, second_top_level_value_is_refused);
	tcase_add_test(tc, empty_writer_is_not_a_document);
	tcase_add_test(tc, nesting_deeper_than_the_limit_is_refused);
	tcase_add_test(tc, output_past_the_buffer_limit_fails_the_document);
	tcase_add_test(tc, error_body_without_fields_leaves_fields_out);
	tcase_add_test(tc, error_body_names_each_bad_field);
	tcase_add_test(tc, error_body_carries_from_and_to_inside_error);
	tcase_add_test(tc,
	    error_body_carries_existing_case_and_fields_together);
	tcase_add_test(tc, error_body_escapes_hostile_text);
	tcase_add_test(tc, error_body_fails_when_the_buffer_is_too_small);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
