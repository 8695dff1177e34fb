#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "html_writer.h"
#include "sbuf.h"

START_TEST(text_escapes_the_five_special_characters)
{
	struct sbuf	sb;

	sbuf_init(&sb, 4096);
	ck_assert_int_eq(html_text(&sb, "a & b < c > d \" e ' f"), 0);
	ck_assert_str_eq(sb.data,
	    "a &amp; b &lt; c &gt; d &quot; e &#39; f");
	sbuf_free(&sb);
}
END_TEST

START_TEST(script_tag_in_text_is_inert)
{
	struct sbuf	sb;

	sbuf_init(&sb, 4096);
	ck_assert_int_eq(html_text(&sb, "<script>alert(1)</script>"), 0);
	ck_assert_str_eq(sb.data, "&lt;script&gt;alert(1)&lt;/script&gt;");
	sbuf_free(&sb);
}
END_TEST

START_TEST(attribute_breakout_in_text_is_inert)
{
	struct sbuf	sb;

	sbuf_init(&sb, 4096);
	ck_assert_int_eq(html_text(&sb,
	    "\"><img src=x onerror=alert(1)>"), 0);
	ck_assert_str_eq(sb.data,
	    "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
	sbuf_free(&sb);
}
END_TEST

START_TEST(already_escaped_text_is_escaped_again)
{
	struct sbuf	sb;

	sbuf_init(&sb, 4096);
	ck_assert_int_eq(html_text(&sb, "&lt;b&gt;"), 0);
	ck_assert_str_eq(sb.data, "&amp;lt;b&amp;gt;");
	sbuf_free(&sb);
}
END_TEST

START_TEST(attribute_is_written_with_a_leading_space_and_quotes)
{
	struct sbuf	sb;

	sbuf_init(&sb, 4096);
	ck_assert_int_eq(html_start(&sb, "input"), 0);
	ck_assert_int_eq(html_attr(&sb, "name", "family_name"), 0);
	ck_assert_int_eq(html_attr(&sb, "value", "O'Brien"), 0);
	ck_assert_int_eq(html_attr(&sb, "data-case-id", "c_1"), 0);
	ck_assert_int_eq(html_end(&sb), 0);
	ck_assert_str_eq(sb.data, "<input name=\"family_name\" "
	    "value=\"O&#39;Brien\" data-case-id=\"c_1\">");
	sbuf_free(&sb);
}
END_TEST

START_TEST(attribute_breakout_payload_stays_inside_the_value)
{
	struct sbuf	sb;

	sbuf_init(&sb, 4096);
	ck_assert_int_eq(html_attr(&sb, "value",
	    "\"><img src=x onerror=alert(1)>"), 0);
	ck_assert_str_eq(sb.data, " value=\"&quot;&gt;&lt;img src=x "
	    "onerror=alert(1)&gt;\"");
	ck_assert_int_eq(html_attr(&sb, "title", "' autofocus onfocus='x"), 0);
	ck_assert_ptr_null(strchr(sb.data + 1, '\''));
	sbuf_free(&sb);
}
END_TEST

START_TEST(attribute_name_that_is_not_plain_is_refused)
{
	struct sbuf	sb;

	sbuf_init(&sb, 4096);
	ck_assert_int_eq(html_attr(&sb, "x onload", "1"), -1);
	ck_assert_int_eq(html_attr(&sb, "a\"b", "1"), -1);
	ck_assert_int_eq(html_attr(&sb, "Href", "/"), -1);
	ck_assert_int_eq(html_attr(&sb, "", "1"), -1);
	ck_assert_int_eq(html_attr(&sb, NULL, "1"), -1);
	ck_assert_str_eq(sb.data, "");
	sbuf_free(&sb);
}
END_TEST

START_TEST(event_handler_and_srcdoc_attributes_are_refused)
{
	struct sbuf	sb;

	sbuf_init(&sb, 4096);
	ck_assert_int_eq(html_attr(&sb, "onclick", "alert(1)"), -1);
	ck_assert_int_eq(html_attr(&sb, "onerror", "x"), -1);
	ck_assert_int_eq(html_attr(&sb, "srcdoc", "<script>x</script>"), -1);
	ck_assert_str_eq(sb.data, "");
	sbuf_free(&sb);
}
END_TEST

START_TEST(script_url_in_a_url_attribute_becomes_a_hash)
{
	struct sbuf	sb;

	sbuf_init(&sb, 4096);
	ck_assert_int_eq(html_attr(&sb, "href", "javascript:alert(1)"), -1);
	ck_assert_str_eq(sb.data, " href=\"#\"");
	sbuf_reset(&sb);
	ck_assert_int_eq(html_attr(&sb, "href", "  JaVaScRiPt:alert(1)"), -1);
	ck_assert_int_eq(html_attr(&sb, "href", "java\tscr\nipt:alert(1)"),
	    -1);
	ck_assert_int_eq(html_attr(&sb, "src",
	    "data:text/html,<script>alert(1)</script>"), -1);
	ck_assert_int_eq(html_attr(&sb, "action", "vbscript:x"), -1);
	ck_assert_int_eq(html_attr(&sb, "href",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:x"), -1);
	ck_assert_str_eq(sb.data, " href=\"#\" href=\"#\" src=\"#\" "
	    "action=\"#\" href=\"#\"");
	sbuf_free(&sb);
}
END_TEST

START_TEST(relative_and_web_urls_are_allowed)
{
	struct sbuf	sb;

	sbuf_init(&sb, 4096);
	ck_assert_int_eq(html_attr(&sb, "href", "/cases/c_1?tab=notes"), 0);
	ck_assert_int_eq(html_attr(&sb, "href", "https://example.org/a&b"),
	    0);
	ck_assert_int_eq(html_attr(&sb, "href", "mailto:me@example.org"), 0);
	ck_assert_int_eq(html_attr(&sb, "href", "notes#x:y"), 0);
	ck_assert_int_eq(html_attr(&sb, "href", ""), 0);
	ck_assert_str_eq(sb.data, " href=\"/cases/c_1?tab=notes\" "
	    "href=\"https://example.org/a&amp;b\" "
	    "href=\"mailto:me@example.org\" href=\"notes#x:y\" href=\"\"");
	sbuf_free(&sb);
}
END_TEST

START_TEST(entity_encoded_scheme_is_not_decoded_into_a_script_url)
{
	struct sbuf	sb;

	/* The & is escaped, so the browser sees "&colon;", not ':'. */
	sbuf_init(&sb, 4096);
	ck_assert_int_eq(html_attr(&sb, "href",
	    "javascript&colon;alert(1)"), 0);
	ck_assert_str_eq(sb.data,
	    " href=\"javascript&amp;colon;alert(1)\"");
	sbuf_free(&sb);
}
END_TEST

START_TEST(null_attribute_value_is_empty)
{
	struct sbuf	sb;

	sbuf_init(&sb, 4096);
	ck_assert_int_eq(html_attr(&sb, "value", NULL), 0);
	ck_assert_str_eq(sb.data, " value=\"\"");
	sbuf_free(&sb);
}
END_TEST

START_TEST(invalid_utf8_is_replaced_with_fffd)
{
	struct sbuf	sb;

	sbuf_init(&sb, 4096);
	/* An overlong '<' must not turn into markup either. */
	ck_assert_int_eq(html_text(&sb, "a\xc0\xbc" "b\xff" "c\xe2\x82"), 0);
	ck_assert_str_eq(sb.data, "a\xef\xbf\xbd\xef\xbf\xbd" "b\xef\xbf\xbd"
	    "c\xef\xbf\xbd");
	sbuf_free(&sb);
}
END_TEST

START_TEST(nul_bytes_are_dropped)
{
	struct sbuf	sb;

	sbuf_init(&sb, 4096);
	ck_assert_int_eq(html_text_len(&sb, "a\0<b\0", 5), 0);
	ck_assert_uint_eq(sb.len, 6);
	ck_assert_str_eq(sb.data, "a&lt;b");
	sbuf_free(&sb);
}
END_TEST

START_TEST(valid_utf8_is_kept_as_it_is)
{
	struct sbuf	 sb;
	const char	*s = "Ysbyty Gwynedd \xe2\x80\x93 G\xc5\xb5yl "
			     "\xf0\x9f\x98\x80";

	sbuf_init(&sb, 4096);
	ck_assert_int_eq(html_text(&sb, s), 0);
	ck_assert_str_eq(sb.data, s);
	sbuf_free(&sb);
}
END_TEST

START_TEST(null_text_writes_nothing)
{
	struct sbuf	sb;

	sbuf_init(&sb, 4096);
	ck_assert_int_eq(html_text(&sb, NULL), 0);
	ck_assert_int_eq(html_text_len(&sb, NULL, 3), 0);
	ck_assert_str_eq(sb.data, "");
	sbuf_free(&sb);
}
END_TEST

START_TEST(raw_writes_a_literal_unchanged)
{
	struct sbuf	sb;

	sbuf_init(&sb, 4096);
	ck_assert_int_eq(html_raw(&sb, "<!doctype html><p class=\"x\">"), 0);
	ck_assert_str_eq(sb.data, "<!doctype html><p class=\"x\">");
	sbuf_free(&sb);
}
END_TEST

START_TEST(tags_are_opened_and_closed_by_name)
{
	struct sbuf	sb;

	sbuf_init(&sb, 4096);
	ck_assert_int_eq(html_open(&sb, "td"), 0);
	ck_assert_int_eq(html_text(&sb, "<b>"), 0);
	ck_assert_int_eq(html_close(&sb, "td"), 0);
	ck_assert_int_eq(html_open(&sb, "h1"), 0);
	ck_assert_int_eq(html_close(&sb, "h1"), 0);
	ck_assert_str_eq(sb.data, "<td>&lt;b&gt;</td><h1></h1>");
	sbuf_free(&sb);
}
END_TEST

START_TEST(tag_name_that_is_not_plain_is_refused)
{
	struct sbuf	sb;

	sbuf_init(&sb, 4096);
	ck_assert_int_eq(html_open(&sb, "script src=x"), -1);
	ck_assert_int_eq(html_close(&sb, "p><script"), -1);
	ck_assert_int_eq(html_start(&sb, "1p"), -1);
	ck_assert_int_eq(html_open(&sb, NULL), -1);
	ck_assert_str_eq(sb.data, "");
	sbuf_free(&sb);
}
END_TEST

START_TEST(output_past_the_buffer_limit_sets_the_flag)
{
	struct sbuf	sb;
	char		big[100];

	memset(big, '&', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	sbuf_init(&sb, 64);
	ck_assert_int_eq(html_text(&sb, big), -1);
	ck_assert_int_eq(sb.oom, 1);
	ck_assert_uint_le(sb.len, 64);
	ck_assert_int_eq(html_raw(&sb, "<p>"), -1);
	ck_assert_int_eq(html_attr(&sb, "title", "x"), -1);
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

	s = suite_create("html_writer");
	tc = tcase_create("core");
	tcase_add_test(tc, text_escapes_the_five_special_characters);
	tcase_add_test(tc, script_tag_in_text_is_inert);
	tcase_add_test(tc, attribute_breakout_in_text_is_inert);
	tcase_add_test(tc, already_escaped_text_is_escaped_again);
	tcase_add_test(tc,
	    attribute_is_written_with_a_leading_space_and_quotes);
	tcase_add_test(tc, attribute_breakout_payload_stays_inside_the_value);
	tcase_add_test(tc, attribute_name_that_is_not_plain_is_refused);
	tcase_add_test(tc, event_handler_and_srcdoc_attributes_are_refused);
	tcase_add_test(tc, script_url_in_a_url_attribute_becomes_a_hash);
	tcase_add_test(tc, relative_and_web_urls_are_allowed);
	tcase_add_test(tc,
	    entity_encoded_scheme_is_not_decoded_into_a_script_url);
	tcase_add_test(tc, null_attribute_value_is_empty);
	tcase_add_test(tc, invalid_utf8_is_replaced_with_fffd);
	tcase_add_test(tc, nul_bytes_are_dropped);
	tcase_add_test(tc, valid_utf8_is_kept_as_it_is);
	tcase_add_test(tc, null_text_writes_nothing);
	tcase_add_test(tc, raw_writes_a_literal_unchanged);
	tcase_add_test(tc, tags_are_opened_and_closed_by_name);
	tcase_add_test(tc, tag_name_that_is_not_plain_is_refused);
	tcase_add_test(tc, output_past_the_buffer_limit_sets_the_flag);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
