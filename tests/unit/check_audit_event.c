/*
 * The canonical text and hash of a case event, built in C, against
 * vectors computed by the database's case_event_canonical() and
 * case_event_hash() (sql/cases_common.sql) on PostgreSQL 15, with the
 * session's TimeZone set to Europe/London (the SQL formats in UTC
 * whatever the session says).
 */
#include <check.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "audit_event.h"

struct vector {
	struct audit_event	 e;
	const char		*epoch;	/* extract(epoch FROM at) */
	const char		*prev;
	const char		*canon;
	const char		*hash;
};

#define H64(x)	x x x x x x x x x x x x x x x x x x x x x x x x x x x x x x \
		x x

static const struct vector vectors[] = {
	{ { 42, 1, 0, "ada.officer", "officer", "case_created",
	    "{\"a\": [null, true, {\"b\": 2}], \"n\": 1.50, \"kind\": "
	    "\"officer_summary\", \"text\": \"Zo\xc3\xab said \\\"hi\\\"\\n"
	    "\\t</script>\"}" },
	  "1782863998.000120", "",
	  "42|1|2026-06-30T23:59:58.000120Z|ada.officer|officer|case_created|"
	  "{\"a\": [null, true, {\"b\": 2}], \"n\": 1.50, \"kind\": "
	  "\"officer_summary\", \"text\": \"Zo\xc3\xab said \\\"hi\\\"\\n"
	  "\\t</script>\"}",
	  "e0671c31853d08a1b3c3a5d76e16456531953b6eb7b99ee18c5cb1fc17d0b57d" },
	{ { 9007199254740993LL, 12, 0, "medexctl:root", "medical_examiner",
	    "note_added", "{}" },
	  "1767225600.000000", H64("ab"),
	  "9007199254740993|12|2026-01-01T00:00:00.000000Z|medexctl:root|"
	  "medical_examiner|note_added|{}",
	  "c650d4375a520fe4e019a87ffa3a89f02af75782d8cb900ff849807d130c7948" },
	{ { 7, 3, 0, "x", "y", "z",
	    "{\"k\": \"\\u0001\", \"\xc3\xa9\": \"\xc3\xa9\"}" },
	  "-0.500000", H64("00"),
	  "7|3|1969-12-31T23:59:59.500000Z|x|y|z|"
	  "{\"k\": \"\\u0001\", \"\xc3\xa9\": \"\xc3\xa9\"}",
	  "f7f2c7e41ad9ad8b4e945ef8d61dc120e8f081940cf123b1b44c94767b0d65e3" },
};

static struct audit_event
vector_event(int i)
{
	struct audit_event	e;

	e = vectors[i].e;
	ck_assert_int_eq(audit_epoch_us(vectors[i].epoch, &e.at_us), 0);
	return (e);
}

START_TEST(the_canonical_text_is_the_databases)
{
	struct audit_event	e;
	struct sbuf		sb;

	e = vector_event(_i);
	sbuf_init(&sb, 1 << 20);
	ck_assert_int_eq(audit_canonical(&sb, &e), 0);
	ck_assert_str_eq(sb.data, vectors[_i].canon);
	sbuf_free(&sb);
}
END_TEST

START_TEST(the_hash_is_the_databases)
{
	struct audit_event	e;
	char			hash[AUDIT_HASH_HEX];

	e = vector_event(_i);
	ck_assert_int_eq(audit_event_hash(vectors[_i].prev, &e, hash), 0);
	ck_assert_str_eq(hash, vectors[_i].hash);
}
END_TEST

START_TEST(a_changed_field_changes_the_hash)
{
	struct audit_event	e;
	char			hash[AUDIT_HASH_HEX];

	e = vector_event(0);
	e.actor = "someone";
	ck_assert_int_eq(audit_event_hash(vectors[0].prev, &e, hash), 0);
	ck_assert_str_ne(hash, vectors[0].hash);
	e = vector_event(0);
	e.at_us -= 1;
	ck_assert_int_eq(audit_event_hash(vectors[0].prev, &e, hash), 0);
	ck_assert_str_ne(hash, vectors[0].hash);
	e = vector_event(0);
	ck_assert_int_eq(audit_event_hash(H64("00"), &e, hash), 0);
	ck_assert_str_ne(hash, vectors[0].hash);
}
END_TEST

START_TEST(epochs_parse_to_microseconds)
{
	long long	us;

	ck_assert_int_eq(audit_epoch_us("0", &us), 0);
	ck_assert_int_eq(us, 0);
	ck_assert_int_eq(audit_epoch_us("12.5", &us), 0);
	ck_assert_int_eq(us, 12500000);
	ck_assert_int_eq(audit_epoch_us("-0.000001", &us), 0);
	ck_assert_int_eq(us, -1);
	ck_assert_int_eq(audit_epoch_us("253402300799.999999", &us), 0);
	ck_assert_int_eq(us, 253402300799999999LL);
}
END_TEST

START_TEST(bad_epochs_are_refused)
{
	static const char *bad[] = { "", "-", ".5", "1.", "1.0000001",
	    "1e6", " 1", "1 ", "+1", "1234567890123", "Infinity", "NaN",
	    "--1" };
	long long	us;
	size_t		i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(audit_epoch_us(bad[i], &us) == -1, "%s", bad[i]);
}
END_TEST

START_TEST(times_outside_years_1_to_9999_are_refused)
{
	char	out[AUDIT_TIME_LEN];

	ck_assert_int_eq(audit_time_str(-62135596800LL * 1000000, out), 0);
	ck_assert_str_eq(out, "0001-01-01T00:00:00.000000Z");
	ck_assert_int_eq(audit_time_str(253402300800LL * 1000000 - 1, out),
	    0);
	ck_assert_str_eq(out, "9999-12-31T23:59:59.999999Z");
	ck_assert_int_eq(audit_time_str(-62135596800LL * 1000000 - 1, out),
	    -1);
	ck_assert_int_eq(audit_time_str(253402300800LL * 1000000, out), -1);
	ck_assert_int_eq(audit_time_str(LLONG_MIN, out), -1);
	ck_assert_int_eq(audit_time_str(LLONG_MAX, out), -1);
}
END_TEST

int
main(void)
{
	Suite	*s;
	SRunner	*sr;
	TCase	*tc;
	int	 n;
	int	 nvec;

	nvec = (int)(sizeof(vectors) / sizeof(vectors[0]));
	s = suite_create("audit_event");
	tc = tcase_create("core");
	tcase_add_loop_test(tc, the_canonical_text_is_the_databases, 0, nvec);
	tcase_add_loop_test(tc, the_hash_is_the_databases, 0, nvec);
	tcase_add_test(tc, a_changed_field_changes_the_hash);
	tcase_add_test(tc, epochs_parse_to_microseconds);
	tcase_add_test(tc, bad_epochs_are_refused);
	tcase_add_test(tc, times_outside_years_1_to_9999_are_refused);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	n = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (n == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
