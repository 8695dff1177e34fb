#include <check.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"

START_TEST(new_buffer_is_an_empty_string)
{
	struct sbuf	sb;

	sbuf_init(&sb, 100);
	ck_assert_ptr_nonnull(sb.data);
	ck_assert_str_eq(sb.data, "");
	ck_assert_uint_eq(sb.len, 0);
	ck_assert_int_eq(sb.oom, 0);
	sbuf_free(&sb);
}
END_TEST

START_TEST(appends_grow_and_stay_nul_terminated)
{
	struct sbuf	sb;
	size_t		i;

	sbuf_init(&sb, 1 << 20);
	for (i = 0; i < 1000; i++) {
		ck_assert_int_eq(sbuf_appends(&sb, "abc"), 0);
		ck_assert_uint_eq(sb.len, (i + 1) * 3);
		ck_assert_int_eq(sb.data[sb.len], '\0');
	}
	ck_assert_int_eq(sbuf_appendc(&sb, 'z'), 0);
	ck_assert_uint_eq(strlen(sb.data), 3001);
	ck_assert_int_eq(memcmp(sb.data + 2997, "abcz", 4), 0);
	sbuf_free(&sb);
}
END_TEST

START_TEST(appendf_formats_like_printf)
{
	struct sbuf	sb;

	sbuf_init(&sb, 256);
	ck_assert_int_eq(sbuf_appendf(&sb, "%s=%lld;", "n", -42LL), 0);
	ck_assert_int_eq(sbuf_appendf(&sb, "%05d", 7), 0);
	ck_assert_int_eq(sbuf_appends(&sb, NULL), 0);
	ck_assert_str_eq(sb.data, "n=-42;00007");
	sbuf_free(&sb);
}
END_TEST

START_TEST(binary_data_with_nul_bytes_is_kept)
{
	struct sbuf	sb;

	sbuf_init(&sb, 16);
	ck_assert_int_eq(sbuf_append(&sb, "a\0b", 3), 0);
	ck_assert_uint_eq(sb.len, 3);
	ck_assert_int_eq(memcmp(sb.data, "a\0b\0", 4), 0);
	sbuf_free(&sb);
}
END_TEST

START_TEST(filling_exactly_to_the_limit_is_allowed)
{
	struct sbuf	sb;

	sbuf_init(&sb, 8);
	ck_assert_int_eq(sbuf_appends(&sb, "12345678"), 0);
	ck_assert_str_eq(sb.data, "12345678");
	ck_assert_int_eq(sb.oom, 0);
	ck_assert_uint_le(sb.cap, 9);
	sbuf_free(&sb);
}
END_TEST

START_TEST(append_past_the_limit_sets_the_flag_and_appends_nothing)
{
	struct sbuf	sb;

	sbuf_init(&sb, 8);
	ck_assert_int_eq(sbuf_appends(&sb, "12345"), 0);
	ck_assert_int_eq(sbuf_appends(&sb, "6789"), -1);
	ck_assert_int_eq(sb.oom, 1);
	ck_assert_str_eq(sb.data, "12345");
	ck_assert_uint_eq(sb.len, 5);
	sbuf_free(&sb);
}
END_TEST

START_TEST(the_flag_is_sticky_until_reset)
{
	struct sbuf	sb;

	sbuf_init(&sb, 4);
	ck_assert_int_eq(sbuf_appends(&sb, "too long"), -1);
	ck_assert_int_eq(sbuf_appendc(&sb, 'x'), -1);
	ck_assert_int_eq(sbuf_appendf(&sb, "%d", 1), -1);
	ck_assert_int_eq(sbuf_append_tenths(&sb, 5), -1);
	ck_assert_str_eq(sb.data, "");
	sbuf_reset(&sb);
	ck_assert_int_eq(sb.oom, 0);
	ck_assert_int_eq(sbuf_appendc(&sb, 'x'), 0);
	ck_assert_str_eq(sb.data, "x");
	sbuf_free(&sb);
}
END_TEST

START_TEST(appendf_past_the_limit_sets_the_flag)
{
	struct sbuf	sb;

	sbuf_init(&sb, 10);
	ck_assert_int_eq(sbuf_appendf(&sb, "%s", "0123456789x"), -1);
	ck_assert_int_eq(sb.oom, 1);
	ck_assert_uint_eq(sb.len, 0);
	sbuf_free(&sb);
}
END_TEST

START_TEST(hostile_length_near_size_max_does_not_wrap)
{
	struct sbuf	sb;

	sbuf_init(&sb, SIZE_MAX);
	ck_assert_int_eq(sbuf_appends(&sb, "ab"), 0);
	/* Would wrap len + n + 1 if unchecked; the data is never read. */
	ck_assert_int_eq(sbuf_append(&sb, "x", SIZE_MAX - 1), -1);
	ck_assert_int_eq(sb.oom, 1);
	ck_assert_str_eq(sb.data, "ab");
	sbuf_free(&sb);
}
END_TEST

START_TEST(zero_limit_holds_only_the_empty_string)
{
	struct sbuf	sb;

	sbuf_init(&sb, 0);
	ck_assert_int_eq(sbuf_append(&sb, "", 0), 0);
	ck_assert_str_eq(sb.data, "");
	ck_assert_int_eq(sbuf_appendc(&sb, 'a'), -1);
	ck_assert_str_eq(sb.data, "");
	sbuf_free(&sb);
}
END_TEST

START_TEST(reset_empties_and_keeps_the_memory)
{
	struct sbuf	 sb;
	char		*before;

	sbuf_init(&sb, 100);
	ck_assert_int_eq(sbuf_appends(&sb, "hello"), 0);
	before = sb.data;
	sbuf_reset(&sb);
	ck_assert_str_eq(sb.data, "");
	ck_assert_uint_eq(sb.len, 0);
	ck_assert_ptr_eq(sb.data, before);
	sbuf_free(&sb);
}
END_TEST

START_TEST(free_twice_is_harmless_and_buffer_is_reusable)
{
	struct sbuf	sb;

	sbuf_init(&sb, 100);
	ck_assert_int_eq(sbuf_appends(&sb, "hello"), 0);
	sbuf_free(&sb);
	sbuf_free(&sb);
	ck_assert_str_eq(sb.data, "");
	ck_assert_int_eq(sbuf_appends(&sb, "again"), 0);
	ck_assert_str_eq(sb.data, "again");
	sbuf_free(&sb);
}
END_TEST

START_TEST(reset_and_free_of_an_unused_buffer_are_harmless)
{
	struct sbuf	sb;

	sbuf_init(&sb, 10);
	sbuf_reset(&sb);
	ck_assert_str_eq(sb.data, "");
	sbuf_free(&sb);
	sbuf_free(&sb);
}
END_TEST

START_TEST(tenths_are_written_with_one_decimal)
{
	struct sbuf	sb;
	char		buf[SBUF_TENTHS_MAX];

	sbuf_init(&sb, 256);
	ck_assert_int_eq(sbuf_append_tenths(&sb, 756), 0);
	sbuf_appendc(&sb, ' ');
	sbuf_append_tenths(&sb, 0);
	sbuf_appendc(&sb, ' ');
	sbuf_append_tenths(&sb, 5);
	sbuf_appendc(&sb, ' ');
	sbuf_append_tenths(&sb, 1000);
	sbuf_appendc(&sb, ' ');
	sbuf_append_tenths(&sb, -5);
	sbuf_appendc(&sb, ' ');
	sbuf_append_tenths(&sb, -375);
	ck_assert_str_eq(sb.data, "75.6 0.0 0.5 100.0 -0.5 -37.5");
	sbuf_free(&sb);

	ck_assert_uint_eq(sbuf_tenths_str(buf, LLONG_MIN), 21);
	ck_assert_str_eq(buf, "-922337203685477580.8");
	ck_assert_uint_eq(sbuf_tenths_str(buf, LLONG_MAX), 20);
	ck_assert_str_eq(buf, "922337203685477580.7");
}
END_TEST

START_TEST(utf8_decoder_accepts_well_formed_sequences)
{
	int32_t	cp;

	ck_assert_uint_eq(sbuf_utf8_next("A", 1, &cp), 1);
	ck_assert_int_eq(cp, 'A');
	ck_assert_uint_eq(sbuf_utf8_next("\xc5\xb5", 2, &cp), 2);
	ck_assert_int_eq(cp, 0x175);			/* ŵ */
	ck_assert_uint_eq(sbuf_utf8_next("\xe2\x80\x93", 3, &cp), 3);
	ck_assert_int_eq(cp, 0x2013);			/* en dash */
	ck_assert_uint_eq(sbuf_utf8_next("\xf0\x9f\x98\x80", 4, &cp), 4);
	ck_assert_int_eq(cp, 0x1f600);
	ck_assert_uint_eq(sbuf_utf8_next("\xf4\x8f\xbf\xbf", 4, &cp), 4);
	ck_assert_int_eq(cp, 0x10ffff);
}
END_TEST

START_TEST(utf8_decoder_refuses_overlongs_surrogates_and_out_of_range)
{
	int32_t	cp;

	/* Overlong '/' and NUL, the classic filter bypasses. */
	ck_assert_uint_eq(sbuf_utf8_next("\xc0\xaf", 2, &cp), 1);
	ck_assert_int_eq(cp, SBUF_UTF8_BAD);
	ck_assert_uint_eq(sbuf_utf8_next("\xc1\x80", 2, &cp), 1);
	ck_assert_int_eq(cp, SBUF_UTF8_BAD);
	ck_assert_uint_eq(sbuf_utf8_next("\xe0\x80\xaf", 3, &cp), 1);
	ck_assert_int_eq(cp, SBUF_UTF8_BAD);
	ck_assert_uint_eq(sbuf_utf8_next("\xf0\x80\x80\xaf", 4, &cp), 1);
	ck_assert_int_eq(cp, SBUF_UTF8_BAD);
	/* UTF-16 surrogate D800. */
	ck_assert_uint_eq(sbuf_utf8_next("\xed\xa0\x80", 3, &cp), 1);
	ck_assert_int_eq(cp, SBUF_UTF8_BAD);
	/* U+110000 and the bytes that can never appear. */
	ck_assert_uint_eq(sbuf_utf8_next("\xf4\x90\x80\x80", 4, &cp), 1);
	ck_assert_int_eq(cp, SBUF_UTF8_BAD);
	ck_assert_uint_eq(sbuf_utf8_next("\xf5\x80\x80\x80", 4, &cp), 1);
	ck_assert_int_eq(cp, SBUF_UTF8_BAD);
	ck_assert_uint_eq(sbuf_utf8_next("\xff", 1, &cp), 1);
	ck_assert_int_eq(cp, SBUF_UTF8_BAD);
	/* A stray continuation byte. */
	ck_assert_uint_eq(sbuf_utf8_next("\x80" "A", 2, &cp), 1);
	ck_assert_int_eq(cp, SBUF_UTF8_BAD);
}
END_TEST

START_TEST(utf8_decoder_consumes_the_maximal_subpart_of_a_truncated_sequence)
{
	int32_t	cp;

	/* E2 82 then 'A': the two bytes go, 'A' is kept for the next call. */
	ck_assert_uint_eq(sbuf_utf8_next("\xe2\x82" "A", 3, &cp), 2);
	ck_assert_int_eq(cp, SBUF_UTF8_BAD);
	/* Cut short by the end of the input. */
	ck_assert_uint_eq(sbuf_utf8_next("\xf0\x9f\x98", 3, &cp), 3);
	ck_assert_int_eq(cp, SBUF_UTF8_BAD);
	ck_assert_uint_eq(sbuf_utf8_next("\xc5", 1, &cp), 1);
	ck_assert_int_eq(cp, SBUF_UTF8_BAD);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	s = suite_create("sbuf");
	tc = tcase_create("core");
	tcase_add_test(tc, new_buffer_is_an_empty_string);
	tcase_add_test(tc, appends_grow_and_stay_nul_terminated);
	tcase_add_test(tc, appendf_formats_like_printf);
	tcase_add_test(tc, binary_data_with_nul_bytes_is_kept);
	tcase_add_test(tc, filling_exactly_to_the_limit_is_allowed);
	tcase_add_test(tc,
	    append_past_the_limit_sets_the_flag_and_appends_nothing);
	tcase_add_test(tc, the_flag_is_sticky_until_reset);
	tcase_add_test(tc, appendf_past_the_limit_sets_the_flag);
	tcase_add_test(tc, hostile_length_near_size_max_does_not_wrap);
	tcase_add_test(tc, zero_limit_holds_only_the_empty_string);
	tcase_add_test(tc, reset_empties_and_keeps_the_memory);
	tcase_add_test(tc, free_twice_is_harmless_and_buffer_is_reusable);
	tcase_add_test(tc, reset_and_free_of_an_unused_buffer_are_harmless);
	tcase_add_test(tc, tenths_are_written_with_one_decimal);
	tcase_add_test(tc, utf8_decoder_accepts_well_formed_sequences);
	tcase_add_test(tc,
	    utf8_decoder_refuses_overlongs_surrogates_and_out_of_range);
	tcase_add_test(tc,
	    utf8_decoder_consumes_the_maximal_subpart_of_a_truncated_sequence);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
