/*
 * case_body: the checks of the case routes' bodies (issue 5, acceptance
 * 5 at the level of the module), with a fixed "now".
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "case_body.h"

/* 2026-11-23T12:00:00Z */
#define NOW	((time_t)1795435200)

static const char base[] = "{\"given_name\":\"Siân\",\"family_name\":"
    "\"ap Ŵyn\",\"date_of_birth\":\"1950-01-01\",\"sex\":\"female\","
    "\"date_of_death\":\"2026-11-20\",\"place_of_death\":\"home\","
    "\"attending_practitioner\":{\"name\":\"Dr A\","
    "\"gmc_number\":\"1234567\"}";

/* Checks base plus extra ("" or ",\"k\":v") as kind; fields in fe. */
static json_t *
check_body(enum case_body_kind kind, const char *body, struct ferrs *fe)
{
	json_t		*in, *out;
	json_error_t	 err;

	in = json_loads(body, 0, &err);
	ck_assert_msg(in != NULL, "%s: %s", body, err.text);
	out = json_object();
	ferr_init(fe);
	case_body_check(kind, in, NOW, fe, out);
	json_decref(in);
	return (out);
}

static json_t *
check_case(const char *extra, struct ferrs *fe)
{
	char	buf[2048];

	snprintf(buf, sizeof(buf), "%s%s}", base, extra);
	return (check_body(CASE_BODY_CREATE, buf, fe));
}

static int
has_field(const struct ferrs *fe, const char *name)
{
	size_t	i;

	for (i = 0; i < fe->n; i++) {
		if (strcmp(fe->pairs[i][0], name) == 0)
			return (1);
	}
	return (0);
}

START_TEST(valid_case_maps_to_columns)
{
	struct ferrs	 fe;
	json_t		*out;

	out = check_case(",\"nhs_number\":\"943 476 5919\","
	    "\"priority\":{\"faith\":true}", &fe);
	ck_assert_int_eq(fe.n, 0);
	ck_assert_str_eq(json_string_value(json_object_get(out, "nhs_number")),
	    "9434765919");
	ck_assert_str_eq(json_string_value(json_object_get(out, "ap_gmc")),
	    "1234567");
	ck_assert(json_is_true(json_object_get(out, "prio_faith")));
	ck_assert(json_is_false(json_object_get(out, "prio_child")));
	json_decref(out);
}
END_TEST

START_TEST(nhs_numbers)
{
	static const char *const good[] = { "9434765919", "4010232137" };
	static const char *const bad[] = { "9434765918", "0000000000", "123",
	    "12345678901", "943476591X" };
	struct ferrs	 fe;
	json_t		*out;
	char		 extra[64];
	size_t		 i;

	for (i = 0; i < 2; i++) {
		snprintf(extra, sizeof(extra), ",\"nhs_number\":\"%s\"",
		    good[i]);
		out = check_case(extra, &fe);
		ck_assert_msg(fe.n == 0, "%s", good[i]);
		json_decref(out);
	}
	for (i = 0; i < 5; i++) {
		snprintf(extra, sizeof(extra), ",\"nhs_number\":\"%s\"",
		    bad[i]);
		out = check_case(extra, &fe);
		ck_assert_msg(fe.n == 1 && has_field(&fe, "nhs_number"), "%s",
		    bad[i]);
		json_decref(out);
	}
}
END_TEST

START_TEST(dates)
{
	struct ferrs	 fe;
	json_t		*out;

	out = check_body(CASE_BODY_CREATE, "{\"given_name\":\"A\","
	    "\"family_name\":\"B\",\"date_of_birth\":\"1950-02-30\","
	    "\"sex\":\"male\",\"date_of_death\":\"2026-11-24\","
	    "\"place_of_death\":\"home\",\"attending_practitioner\":"
	    "{\"name\":\"Dr\",\"gmc_number\":\"1234567\"}}", &fe);
	ck_assert(has_field(&fe, "date_of_birth"));
	ck_assert(has_field(&fe, "date_of_death"));	/* tomorrow */
	json_decref(out);
	out = check_body(CASE_BODY_CREATE, "{\"given_name\":\"A\","
	    "\"family_name\":\"B\",\"date_of_birth\":\"2000-01-02\","
	    "\"sex\":\"male\",\"date_of_death\":\"2000-01-01\","
	    "\"place_of_death\":\"home\",\"notified_at\":"
	    "\"1999-12-31T23:00:00Z\",\"attending_practitioner\":"
	    "{\"name\":\"Dr\",\"gmc_number\":\"1234567\"}}", &fe);
	ck_assert(has_field(&fe, "date_of_death"));
	ck_assert(has_field(&fe, "notified_at"));
	json_decref(out);
	out = check_case(",\"notified_at\":\"2026-11-23T12:30:00Z\"", &fe);
	ck_assert(has_field(&fe, "notified_at"));	/* the future */
	json_decref(out);
}
END_TEST

START_TEST(unknown_missing_and_nested_fields_are_named)
{
	struct ferrs	 fe;
	json_t		*out;

	out = check_body(CASE_BODY_CREATE, "{\"colour\":\"red\","
	    "\"attending_practitioner\":{\"name\":\"Dr\",\"gmc_number\":"
	    "\"123456\",\"x\":1},\"ethnicity\":\"T\"}", &fe);
	ck_assert(has_field(&fe, "colour"));
	ck_assert(has_field(&fe, "given_name"));
	ck_assert(has_field(&fe, "sex"));
	ck_assert(has_field(&fe, "attending_practitioner.gmc_number"));
	ck_assert(has_field(&fe, "attending_practitioner.x"));
	ck_assert(has_field(&fe, "ethnicity"));
	json_decref(out);
	/* The NHS Data Dictionary has no I, O or Q (API.md). */
	out = check_body(CASE_BODY_PATCH, "{\"ethnicity\":\"I\"}", &fe);
	ck_assert(has_field(&fe, "ethnicity"));
	json_decref(out);
	out = check_body(CASE_BODY_PATCH, "{\"ethnicity\":\"Q\"}", &fe);
	ck_assert(has_field(&fe, "ethnicity"));
	json_decref(out);
	out = check_body(CASE_BODY_PATCH, "{\"ethnicity\":\"S\"}", &fe);
	ck_assert_int_eq(fe.n, 0);
	json_decref(out);
	/* A PATCH needs nothing, but a required field may not be null. */
	out = check_body(CASE_BODY_PATCH, "{\"family_name\":null}", &fe);
	ck_assert_int_eq(fe.n, 1);
	ck_assert(has_field(&fe, "family_name"));
	json_decref(out);
}
END_TEST

START_TEST(cause_of_death_lines_in_order)
{
	struct ferrs	 fe;
	json_t		*out;

	out = check_body(CASE_BODY_CAUSE_OF_DEATH, "{\"form\":\"standard\","
	    "\"part1b\":\"X\",\"agreed_with_attending_practitioner\":true}",
	    &fe);
	ck_assert(has_field(&fe, "part1a"));
	ck_assert(has_field(&fe, "part1b"));
	json_decref(out);
	out = check_body(CASE_BODY_CAUSE_OF_DEATH, "{\"form\":\"neonatal\","
	    "\"infant_main\":\"Prematurity\",\"part1a\":\"X\","
	    "\"agreed_with_attending_practitioner\":true}", &fe);
	ck_assert_int_eq(fe.n, 1);
	ck_assert(has_field(&fe, "part1a"));
	json_decref(out);
}
END_TEST

START_TEST(contacts_and_referrals)
{
	struct ferrs	 fe;
	json_t		*out;

	out = check_body(CASE_BODY_CONTACT, "{\"person_name\":\"Ann\","
	    "\"relationship\":\"wife\",\"method\":\"fax\",\"outcome\":"
	    "\"reached\",\"at\":\"2026-11-21T10:00:00Z\","
	    "\"concerns_raised\":true}", &fe);
	ck_assert(has_field(&fe, "method"));
	ck_assert(has_field(&fe, "concerns"));
	ck_assert_int_eq(fe.n, 2);
	json_decref(out);
	out = check_body(CASE_BODY_CORONER_REFERRAL, "{\"categories\":"
	    "[\"violence\",\"violence\"],\"reason\":\"x\"}", &fe);
	ck_assert(has_field(&fe, "categories"));
	json_decref(out);
	out = check_body(CASE_BODY_CORONER_REFERRAL, "{\"categories\":[],"
	    "\"reason\":\" \"}", &fe);
	ck_assert(has_field(&fe, "categories"));
	ck_assert(has_field(&fe, "reason"));
	json_decref(out);
	out = check_body(CASE_BODY_NOTE, "{\"kind\":\"record_review\","
	    "\"text\":\"Seen.\"}", &fe);
	ck_assert(has_field(&fe, "circumstances"));
	ck_assert(has_field(&fe, "proposed_outcome"));
	json_decref(out);
}
END_TEST

START_TEST(transition_bodies)
{
	struct ferrs	 fe;
	json_t		*out;

	out = check_body(CASE_BODY_TRANSITION, "{\"to\":\"heaven\"}", &fe);
	ck_assert(has_field(&fe, "to"));
	ck_assert_ptr_null(json_object_get(out, "to"));
	json_decref(out);
	out = check_body(CASE_BODY_TRANSITION, "{\"to\":\"mccd_issued\","
	    "\"mccd_issued_on\":\"2026-11-24\"}", &fe);
	ck_assert(has_field(&fe, "mccd_issued_on"));
	ck_assert_str_eq(json_string_value(json_object_get(out, "to")),
	    "mccd_issued");
	json_decref(out);
}
END_TEST

/* Issue 18: an assignment's reason, 1-500 characters. */
START_TEST(assignment_reason)
{
	struct ferrs	 fe;
	json_t		*out;
	char		 buf[700];

	out = check_body(CASE_BODY_ASSIGNMENT, "{\"examiner\":\"Dr.Ode\","
	    "\"reason\":\"On leave\\nuntil Monday\"}", &fe);
	ck_assert_uint_eq(fe.n, 0);
	ck_assert_str_eq(json_string_value(json_object_get(out, "reason")),
	    "On leave\nuntil Monday");
	ck_assert_str_eq(json_string_value(json_object_get(out, "examiner")),
	    "dr.ode");
	json_decref(out);
	out = check_body(CASE_BODY_ASSIGNMENT, "{\"examiner\":\"dr.ode\","
	    "\"reason\":\"\"}", &fe);
	ck_assert(has_field(&fe, "reason"));
	json_decref(out);
	snprintf(buf, sizeof(buf), "{\"officer\":\"o\",\"reason\":\"%0501d\"}",
	    0);
	out = check_body(CASE_BODY_ASSIGNMENT, buf, &fe);
	ck_assert(has_field(&fe, "reason"));
	json_decref(out);
	out = check_body(CASE_BODY_ASSIGNMENT, "{\"reason\":\"why\"}", &fe);
	ck_assert(has_field(&fe, "examiner"));
	json_decref(out);
	out = check_body(CASE_BODY_ASSIGNMENT, "{\"examiner\":\"dr.ode\","
	    "\"why\":\"x\"}", &fe);
	ck_assert(has_field(&fe, "why"));
	json_decref(out);
}
END_TEST

/* Issue 19: an urgent-release outcome only when requested. */
START_TEST(urgent_outcome_needs_a_request)
{
	struct ferrs	 fe;
	json_t		*out;

	out = check_body(CASE_BODY_URGENT_RELEASE,
	    "{\"requested\":false,\"outcome\":\"achieved\"}", &fe);
	ck_assert(has_field(&fe, "outcome"));
	json_decref(out);
	out = check_body(CASE_BODY_URGENT_RELEASE,
	    "{\"requested\":false,\"outcome\":null}", &fe);
	ck_assert_int_eq(fe.n, 0);
	json_decref(out);
	out = check_body(CASE_BODY_URGENT_RELEASE, "{\"requested\":true,"
	    "\"reason\":\"faith\",\"outcome\":\"not_achieved\"}", &fe);
	ck_assert_int_eq(fe.n, 0);
	ck_assert_str_eq(json_string_value(json_object_get(out,
	    "urgent_outcome")), "not_achieved");
	json_decref(out);
}
END_TEST

/* Issue 23: the referral's sending and the coroner's acknowledgement. */
START_TEST(referral_sent_and_acknowledged)
{
	struct ferrs	 fe;
	json_t		*out;

	out = check_body(CASE_BODY_REFERRAL_SENT, "{\"sent_at\":"
	    "\"2026-11-21T10:00:00Z\",\"method\":\"secure_email\"}", &fe);
	ck_assert_int_eq(fe.n, 0);
	ck_assert_str_eq(json_string_value(json_object_get(out, "method")),
	    "secure_email");
	json_decref(out);
	out = check_body(CASE_BODY_REFERRAL_SENT, "{\"sent_at\":"
	    "\"2099-01-01T10:00:00Z\",\"method\":\"fax\",\"by\":\"x\"}",
	    &fe);
	ck_assert(has_field(&fe, "sent_at"));
	ck_assert(has_field(&fe, "method"));
	ck_assert(has_field(&fe, "by"));
	json_decref(out);
	out = check_body(CASE_BODY_REFERRAL_ACK, "{}", &fe);
	ck_assert(has_field(&fe, "acknowledged_at"));
	json_decref(out);
	out = check_body(CASE_BODY_REFERRAL_ACK, "{\"acknowledged_at\":"
	    "\"2026-11-21T10:00:00Z\",\"reference\":\"INL/1\"}", &fe);
	ck_assert_int_eq(fe.n, 0);
	ck_assert_str_eq(json_string_value(json_object_get(out, "reference")),
	    "INL/1");
	json_decref(out);
}
END_TEST

/* Issue 19: the LeDeR and SMI flags and the day LeDeR was told. */
START_TEST(leder_flags_and_date)
{
	struct ferrs	 fe;
	json_t		*out;

	out = check_case(",\"learning_disability_or_autism\":true,"
	    "\"severe_mental_illness\":false,"
	    "\"leder_notified_at\":\"2026-11-21\"", &fe);
	ck_assert_int_eq(fe.n, 0);
	ck_assert(json_is_true(json_object_get(out,
	    "learning_disability_or_autism")));
	ck_assert_str_eq(json_string_value(json_object_get(out,
	    "leder_notified_at")), "2026-11-21");
	json_decref(out);
	/* Before the death (2026-11-20), in the future, not a flag. */
	out = check_case(",\"leder_notified_at\":\"2026-11-19\"", &fe);
	ck_assert(has_field(&fe, "leder_notified_at"));
	json_decref(out);
	out = check_case(",\"leder_notified_at\":\"2026-11-24\"", &fe);
	ck_assert(has_field(&fe, "leder_notified_at"));
	json_decref(out);
	out = check_case(",\"severe_mental_illness\":\"yes\"", &fe);
	ck_assert(has_field(&fe, "severe_mental_illness"));
	json_decref(out);
	/* A PATCH may clear the day. */
	out = check_body(CASE_BODY_PATCH, "{\"leder_notified_at\":null}",
	    &fe);
	ck_assert_int_eq(fe.n, 0);
	ck_assert(json_is_null(json_object_get(out, "leder_notified_at")));
	json_decref(out);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	s = suite_create("case_body");
	tc = tcase_create("case_body");
	tcase_add_test(tc, valid_case_maps_to_columns);
	tcase_add_test(tc, nhs_numbers);
	tcase_add_test(tc, dates);
	tcase_add_test(tc, unknown_missing_and_nested_fields_are_named);
	tcase_add_test(tc, cause_of_death_lines_in_order);
	tcase_add_test(tc, contacts_and_referrals);
	tcase_add_test(tc, transition_bodies);
	tcase_add_test(tc, assignment_reason);
	tcase_add_test(tc, urgent_outcome_needs_a_request);
	tcase_add_test(tc, leder_flags_and_date);
	tcase_add_test(tc, referral_sent_and_acknowledged);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
