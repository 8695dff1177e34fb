/*
 * The canonical text and hash of a case event, built in C, against
 * vectors computed by the database's case_event_canonical() (hash
 * version 1), case_event_canonical_v2() and case_event_digest()
 * (version 2) and case_event_hash() (sql/cases_common.sql) on
 * PostgreSQL 15, with the session's TimeZone set to Europe/London (the
 * SQL formats in UTC whatever the session says).  The v2 events'
 * changes and salts are the database's text output of the jsonb given
 * to those functions.
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

#define V2_UPDATED_CANON \
	"v2|7|3|1969-12-31T23:59:59.500000Z|x|y|updated|" \
	"\"state\":bd0eed2c48687f3759c87d5edbb595041f71d2ec87b184e6759f963a6bb31045," \
	"\"nhs_number\":879e34889a83128f9a41b0665dfe42b5ec616fef959abb111386e6f0267ebe49," \
	"\"family_name\":527873c18ab233c9061b1c24f78716c77572dcd5ee64217dae9aef5c75607787"
#define V2_UPDATED_HASH \
	"552c743e6d6bc2790a630ef7ee4138a1292c9eb49093448226abccb468e3b754"

static const struct vector vectors[] = {
	{ { 42, 1, 0, "ada.officer", "officer", "case_created",
	    "{\"a\": [null, true, {\"b\": 2}], \"n\": 1.50, \"kind\": "
	    "\"officer_summary\", \"text\": \"Zo\xc3\xab said \\\"hi\\\"\\n"
	    "\\t</script>\"}", 1, NULL, NULL },
	  "1782863998.000120", "",
	  "42|1|2026-06-30T23:59:58.000120Z|ada.officer|officer|case_created|"
	  "{\"a\": [null, true, {\"b\": 2}], \"n\": 1.50, \"kind\": "
	  "\"officer_summary\", \"text\": \"Zo\xc3\xab said \\\"hi\\\"\\n"
	  "\\t</script>\"}",
	  "e0671c31853d08a1b3c3a5d76e16456531953b6eb7b99ee18c5cb1fc17d0b57d" },
	{ { 9007199254740993LL, 12, 0, "medexctl:root", "medical_examiner",
	    "note_added", "{}", 1, NULL, NULL },
	  "1767225600.000000", H64("ab"),
	  "9007199254740993|12|2026-01-01T00:00:00.000000Z|medexctl:root|"
	  "medical_examiner|note_added|{}",
	  "c650d4375a520fe4e019a87ffa3a89f02af75782d8cb900ff849807d130c7948" },
	{ { 7, 3, 0, "x", "y", "z",
	    "{\"k\": \"\\u0001\", \"\xc3\xa9\": \"\xc3\xa9\"}", 1, "{}",
	    "{}" },
	  "-0.500000", H64("00"),
	  "7|3|1969-12-31T23:59:59.500000Z|x|y|z|"
	  "{\"k\": \"\\u0001\", \"\xc3\xa9\": \"\xc3\xa9\"}",
	  "f7f2c7e41ad9ad8b4e945ef8d61dc120e8f081940cf123b1b44c94767b0d65e3" },
	/* v2: keys in jsonb's order (shorter first), escapes, a quote. */
	{ { 42, 1, 0, "ada.officer", "officer", "created",
	    "{\"a\": [null, true, {\"b\": 2}], \"n\": 1.50, \"\xc3\xa9\": "
	    "\"\xc3\xa9\", \"q\\\"k\": {\"new\": \"x\"}, \"kind\": "
	    "\"officer_summary\", \"text\": \"Zo\xc3\xab said \\\"hi\\\"\\n"
	    "\\t</script>\"}", 2,
	    "{\"a\": \"00112233445566778899aabbccddeeff\", \"n\": "
	    "\"0123456789abcdef0123456789abcdef\", \"\xc3\xa9\": "
	    "\"ffffffffffffffffffffffffffffffff\", \"q\\\"k\": "
	    "\"a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0\", \"kind\": "
	    "\"11111111111111111111111111111111\", \"text\": "
	    "\"22222222222222222222222222222222\"}", "{}" },
	  "1782863998.000120", "",
	  "v2|42|1|2026-06-30T23:59:58.000120Z|ada.officer|officer|created|"
	  "\"a\":6635f66722e35c04ba97ae66877b639c819948c6893ad03cb1a287a1d305820f,"
	  "\"n\":8fc1a464225e73d8b9ed239054ccb13daf05383976125b93340e8802bfb0b753,"
	  "\"\xc3\xa9\":3078762b607e257f4cdc87805417fad309f8e39af0791080e7390893e9f829df,"
	  "\"q\\\"k\":d13e900a653ce1e59763fdd16fdfb242dbe7f68510076914f73bbfee794520a3,"
	  "\"kind\":4fcbd7d70682545f49b5980fbd125917db173f296fa0089233556332135d1d06,"
	  "\"text\":5b9e930de127e6ad30cf9539623f973f9106a17fddec1c8e8580850763386356",
	  "0c68470122c29a522a9e85a1086b54b7bc038f5e115eb3a60e852038d9bdf776" },
	{ { 9007199254740993LL, 12, 0, "medexctl:root", "medical_examiner",
	    "viewed", "{}", 2, "{}", "{}" },
	  "1767225600.000000", H64("ab"),
	  "v2|9007199254740993|12|2026-01-01T00:00:00.000000Z|medexctl:root|"
	  "medical_examiner|viewed|",
	  "37c68564de6d49648097c9c14e273142a9df05a45da5887fcc9a9d7fefa09881" },
#define V2_UPDATED	5
	{ { 7, 3, 0, "x", "y", "updated",
	    "{\"state\": {\"new\": \"closed\", \"old\": \"mccd_issued\"}, "
	    "\"nhs_number\": {\"new\": \"9434765919\"}, \"family_name\": "
	    "{\"new\": \"Retainable\"}}", 2,
	    "{\"state\": \"5f0e1d2c3b4a59687766554433221100\", \"nhs_number\": "
	    "\"c0ffee00c0ffee00c0ffee00c0ffee00\", \"family_name\": "
	    "\"0f1e2d3c4b5a69788796a5b4c3d2e1f0\"}", "{}" },
	  "-0.500000", H64("00"), V2_UPDATED_CANON, V2_UPDATED_HASH },
	/* The same event after the purge: the same text, the same hash. */
#define V2_PURGED	6
	{ { 7, 3, 0, "x", "y", "updated",
	    "{\"state\": {\"new\": \"closed\", \"old\": \"mccd_issued\"}, "
	    "\"nhs_number\": null, \"family_name\": null}", 2,
	    "{\"state\": \"5f0e1d2c3b4a59687766554433221100\"}",
	    "{\"nhs_number\": \"879e34889a83128f9a41b0665dfe42b5ec616fef959abb11"
	    "1386e6f0267ebe49\", \"family_name\": \"527873c18ab233c9061b1c24f787"
	    "16c77572dcd5ee64217dae9aef5c75607787\"}" },
	  "-0.500000", H64("00"), V2_UPDATED_CANON, V2_UPDATED_HASH },
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

/* case_event_digest('00112233445566778899aabbccddeeff', '"Zo\xc3\xab"'). */
START_TEST(a_value_digest_is_the_databases)
{
	char	d[AUDIT_HASH_HEX];

	ck_assert_int_eq(audit_value_digest("00112233445566778899aabbccddeeff",
	    AUDIT_SALT_HEX, "\"Zo\xc3\xab\"", 6, d), 0);
	ck_assert_str_eq(d,
	    "03512b0208f22929b48b6ec233f5f8bbbbde74d0e45e3f58bf3a443df52f1d9f");
}
END_TEST

/* The hash of e, which must be computable. */
static void
v2_hash(const struct audit_event *e, char out[AUDIT_HASH_HEX])
{
	ck_assert_int_eq(audit_event_hash(H64("00"), e, out), 0);
}

/* A v2 event changed anywhere, purged value or not, has another hash. */
START_TEST(a_changed_v2_event_changes_the_hash)
{
	struct audit_event	e;
	char			hash[AUDIT_HASH_HEX];

	/* A value left by the purge. */
	e = vector_event(V2_PURGED);
	e.changes = "{\"state\": {\"new\": \"closed\", \"old\": "
	    "\"in_scrutiny\"}, \"nhs_number\": null, \"family_name\": null}";
	v2_hash(&e, hash);
	ck_assert_str_ne(hash, V2_UPDATED_HASH);
	/* A purged value's stored digest. */
	e = vector_event(V2_PURGED);
	e.purged = "{\"nhs_number\": \"979e34889a83128f9a41b0665dfe42b5ec616f"
	    "ef959abb111386e6f0267ebe49\", \"family_name\": \"527873c18ab233c9"
	    "061b1c24f78716c77572dcd5ee64217dae9aef5c75607787\"}";
	v2_hash(&e, hash);
	ck_assert_str_ne(hash, V2_UPDATED_HASH);
	/* A salt. */
	e = vector_event(V2_UPDATED);
	e.salts = "{\"state\": \"5f0e1d2c3b4a59687766554433221100\", "
	    "\"nhs_number\": \"c0ffee00c0ffee00c0ffee00c0ffee01\", "
	    "\"family_name\": \"0f1e2d3c4b5a69788796a5b4c3d2e1f0\"}";
	v2_hash(&e, hash);
	ck_assert_str_ne(hash, V2_UPDATED_HASH);
	/* A value not purged. */
	e = vector_event(V2_UPDATED);
	e.changes = "{\"state\": {\"new\": \"closed\", \"old\": "
	    "\"mccd_issued\"}, \"nhs_number\": {\"new\": \"9434765918\"}, "
	    "\"family_name\": {\"new\": \"Retainable\"}}";
	v2_hash(&e, hash);
	ck_assert_str_ne(hash, V2_UPDATED_HASH);
	/* A key gone, its salt and all. */
	e = vector_event(V2_PURGED);
	e.changes = "{\"state\": {\"new\": \"closed\", \"old\": "
	    "\"mccd_issued\"}, \"family_name\": null}";
	v2_hash(&e, hash);
	ck_assert_str_ne(hash, V2_UPDATED_HASH);
	/* The version: the same columns hashed as v1. */
	e = vector_event(V2_UPDATED);
	e.version = 1;
	v2_hash(&e, hash);
	ck_assert_str_ne(hash, V2_UPDATED_HASH);
}
END_TEST

/*
 * What the database never writes cannot be verified: a purged key that
 * still has a value (its digest would vouch for anything), a key
 * without a salt, salts and digests that are not lower-case hex of
 * their length, changes that are not jsonb's text of an object.
 */
START_TEST(a_v2_event_not_as_written_is_refused)
{
	static const char *changes[] = {
		"{\"state\": {\"new\": \"closed\", \"old\": \"mccd_issued\"}, "
		"\"nhs_number\": {\"new\": \"9434765919\"}, \"family_name\": "
		"null}",
		"{\"state\": {\"new\": \"closed\", \"old\": \"mccd_issued\"}, "
		"\"nhs_number\": \"\", \"family_name\": null}",
		"{\"state\": 1, \"nhs_number\": null, \"family_name\": null} ",
		"{\"state\":1, \"nhs_number\": null, \"family_name\": null}",
		"{\"state\": 1,\"nhs_number\": null, \"family_name\": null}",
		"{\"state\": 1, \"nhs_number\": null, \"family_name\": null",
		"{\"state\": {\"a\": 1, \"nhs_number\": null}",
		"{\"state\": \"1, \"nhs_number\": null, \"family_name\": null}",
		"{\"state\": , \"nhs_number\": null, \"family_name\": null}",
		"[]", "", "null",
	};
	static const char *salts[] = {
		"{}", "{\"state\": \"5F0E1D2C3B4A59687766554433221100\"}",
		"{\"state\": \"5f0e1d2c3b4a5968776655443322110\"}",
		"{\"state\": \"5f0e1d2c3b4a596877665544332211000\"}",
		"{\"state\": 1}", "{\"state\": \"5f0e1d2c3b4a59687766554433221100\"",
	};
	static const char *purged[] = {
		"{\"nhs_number\": \"879E34889a83128f9a41b0665dfe42b5ec616fef959abb"
		"111386e6f0267ebe49\", \"family_name\": \"527873c18ab233c9061b1c24"
		"f78716c77572dcd5ee64217dae9aef5c75607787\"}",
		"{\"nhs_number\": null, \"family_name\": \"527873c18ab233c9061b1c"
		"24f78716c77572dcd5ee64217dae9aef5c75607787\"}",
		"{\"nhs_number\": \"879e\", \"family_name\": \"527873c18ab233c9061"
		"b1c24f78716c77572dcd5ee64217dae9aef5c75607787\"}",
		"{\"nhs_number\": \"879e34889a83128f9a41b0665dfe42b5ec616fef959abb"
		"111386e6f0267ebe49\", \"family_name\": \"527873c18ab233c9061b1c24"
		"f78716c77572dcd5ee64217dae9aef5c75607787\"",
	};
	struct audit_event	e;
	char			hash[AUDIT_HASH_HEX];
	size_t			i;

	for (i = 0; i < sizeof(changes) / sizeof(changes[0]); i++) {
		e = vector_event(V2_PURGED);
		e.changes = changes[i];
		ck_assert_msg(audit_event_hash("", &e, hash) == -1, "%s",
		    changes[i]);
	}
	for (i = 0; i < sizeof(salts) / sizeof(salts[0]); i++) {
		e = vector_event(V2_PURGED);
		e.salts = salts[i];
		ck_assert_msg(audit_event_hash("", &e, hash) == -1, "%s",
		    salts[i]);
	}
	for (i = 0; i < sizeof(purged) / sizeof(purged[0]); i++) {
		e = vector_event(V2_PURGED);
		e.purged = purged[i];
		ck_assert_msg(audit_event_hash("", &e, hash) == -1, "%s",
		    purged[i]);
	}
	e = vector_event(V2_PURGED);
	e.salts = NULL;
	ck_assert_int_eq(audit_event_hash("", &e, hash), -1);
	e = vector_event(V2_PURGED);
	e.version = 3;
	ck_assert_int_eq(audit_event_hash("", &e, hash), -1);
	e = vector_event(0);
	e.version = 0;
	ck_assert_int_eq(audit_event_hash("", &e, hash), -1);
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
	tcase_add_test(tc, a_value_digest_is_the_databases);
	tcase_add_test(tc, a_changed_v2_event_changes_the_hash);
	tcase_add_test(tc, a_v2_event_not_as_written_is_refused);
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
