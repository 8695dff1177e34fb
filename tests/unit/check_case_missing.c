#include <check.h>
#include <stdlib.h>

#include <jansson.h>

#include "case_missing.h"
#include "case_state.h"

static json_t *
kase(const char *text)
{
	json_t	*k;

	k = json_loads(text, 0, NULL);
	ck_assert_ptr_nonnull(k);
	return (k);
}

START_TEST(a_bare_case_in_scrutiny_misses_every_piece_of_scrutiny)
{
	const struct case_transition	*t;
	struct case_missing		 m[CASE_GUARDS_MAX];
	json_t				*k;

	k = kase("{\"state\":\"in_scrutiny\",\"examiner\":\"me\","
	    "\"notes\":[],\"practitioner_discussions\":[],\"contacts\":[],"
	    "\"contacts_exhausted\":[],\"coroner_referral\":null,"
	    "\"cause_of_death\":null,\"governance_referrals\":[]}");
	t = case_transition_find(CASE_IN_SCRUTINY, CASE_AWAITING_MCCD);
	ck_assert_uint_eq(case_missing(t, k, "me", m, CASE_GUARDS_MAX), 4);
	ck_assert_uint_eq(m[0].guard, GUARD_RECORD_REVIEW);
	ck_assert_str_eq(m[0].slug, "record-review");
	ck_assert_uint_eq(m[1].guard, GUARD_AP_DISCUSSION);
	ck_assert_uint_eq(m[2].guard, GUARD_CAUSE_AGREED);
	ck_assert_str_eq(m[2].who,
	    "The medical examiner must record the cause of death");
	ck_assert_str_eq(m[2].slug, "cause-of-death");
	ck_assert_uint_eq(m[3].guard, GUARD_BEREAVED);
	ck_assert_str_eq(m[3].slug, "contact");
	json_decref(k);
}
END_TEST

START_TEST(scrutiny_done_misses_nothing)
{
	const struct case_transition	*t;
	json_t				*k;

	k = kase("{\"state\":\"in_scrutiny\","
	    "\"notes\":[{\"kind\":\"record_review\"}],"
	    "\"practitioner_discussions\":[{\"happened\":true}],"
	    "\"cause_of_death\":{\"agreed_with_attending_practitioner\":true},"
	    "\"contacts\":[],\"contacts_exhausted\":[{\"reason\":\"x\"}],"
	    "\"coroner_referral\":{\"categories\":[\"a\"],"
	    "\"decision\":\"not_investigating\"}}");
	t = case_transition_find(CASE_IN_SCRUTINY, CASE_AWAITING_MCCD);
	ck_assert_uint_eq(case_missing(t, k, "me", NULL, 0), 0);
	json_decref(k);
}
END_TEST

START_TEST(an_open_referral_waits_for_the_coroner)
{
	const struct case_transition	*t;
	struct case_missing		 m[CASE_GUARDS_MAX];
	json_t				*k;

	k = kase("{\"state\":\"in_scrutiny\","
	    "\"notes\":[{\"kind\":\"record_review\"}],"
	    "\"practitioner_discussions\":[{\"happened\":false},"
	    "{\"happened\":true}],"
	    "\"cause_of_death\":{\"agreed_with_attending_practitioner\":true},"
	    "\"contacts\":[{\"outcome\":\"no_answer\"},"
	    "{\"outcome\":\"reached\"}],"
	    "\"coroner_referral\":{\"categories\":[\"a\"],\"decision\":null}}");
	t = case_transition_find(CASE_IN_SCRUTINY, CASE_AWAITING_MCCD);
	ck_assert_uint_eq(case_missing(t, k, "me", m, CASE_GUARDS_MAX), 1);
	ck_assert_uint_eq(m[0].guard, GUARD_NO_OPEN_REFERRAL);
	ck_assert_str_eq(m[0].slug, "coroner-decision");
	/* The referral itself is recorded: referring is possible. */
	t = case_transition_find(CASE_IN_SCRUTINY, CASE_REFERRED_TO_CORONER);
	ck_assert_uint_eq(case_missing(t, k, "me", m, CASE_GUARDS_MAX), 0);
	json_decref(k);
}
END_TEST

START_TEST(closing_needs_concerns_decided_and_final_actions)
{
	const struct case_transition	*t;
	struct case_missing		 m[CASE_GUARDS_MAX];
	json_t				*k;

	k = kase("{\"state\":\"mccd_issued\",\"final_actions\":null,"
	    "\"contacts\":[{\"id\":\"7\",\"concerns_raised\":true},"
	    "{\"id\":\"8\",\"concerns_raised\":true}],"
	    "\"governance_referrals\":[{\"contact_id\":\"7\"}]}");
	t = case_transition_find(CASE_MCCD_ISSUED, CASE_CLOSED);
	ck_assert_uint_eq(case_missing(t, k, "me", m, CASE_GUARDS_MAX), 2);
	ck_assert_uint_eq(m[0].guard, GUARD_CONCERNS_DECIDED);
	ck_assert_str_eq(m[0].slug, "governance");
	ck_assert_uint_eq(m[1].guard, GUARD_FINAL_ACTIONS);
	json_decref(k);

	/* A decision linked to no contact counts for one concern. */
	k = kase("{\"state\":\"mccd_issued\",\"final_actions\":{},"
	    "\"contacts\":[{\"id\":\"8\",\"concerns_raised\":true}],"
	    "\"governance_referrals\":[{\"contact_id\":null}]}");
	ck_assert_uint_eq(case_missing(t, k, "me", m, CASE_GUARDS_MAX), 0);
	json_decref(k);
}
END_TEST

START_TEST(the_moves_own_inputs_are_not_missing)
{
	struct case_facts	f;
	json_t			*k;

	k = kase("{\"state\":\"notified\",\"examiner\":\"a.me\"}");
	ck_assert_uint_eq(case_missing(case_transition_find(CASE_NOTIFIED,
	    CASE_IN_SCRUTINY), k, "a.me", NULL, 0), 0);
	ck_assert_uint_eq(case_missing(case_transition_find(CASE_NOTIFIED,
	    CASE_WITHDRAWN), k, "a.me", NULL, 0), 0);
	ck_assert_uint_eq(case_missing(case_transition_find(CASE_NOTIFIED,
	    CASE_REFERRED_TO_CORONER), k, "a.me", NULL, 0), 1);
	case_facts_from_json(k, "a.me", &f);
	ck_assert_int_eq(f.actor_is_examiner, 1);
	case_facts_from_json(k, "b.me", &f);
	ck_assert_int_eq(f.actor_is_examiner, 0);
	json_decref(k);
}
END_TEST

START_TEST(withdraw_and_reopen_are_rare)
{
	ck_assert_int_eq(case_move_is_rare(case_transition_find(
	    CASE_IN_SCRUTINY, CASE_WITHDRAWN)), 1);
	ck_assert_int_eq(case_move_is_rare(case_transition_find(
	    CASE_MCCD_ISSUED, CASE_IN_SCRUTINY)), 1);
	ck_assert_int_eq(case_move_is_rare(case_transition_find(
	    CASE_REFERRED_TO_CORONER, CASE_IN_SCRUTINY)), 0);
	ck_assert_int_eq(case_move_is_rare(case_transition_find(
	    CASE_MCCD_ISSUED, CASE_CLOSED)), 0);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	s = suite_create("case_missing");
	tc = tcase_create("core");
	tcase_add_test(tc, a_bare_case_in_scrutiny_misses_every_piece_of_scrutiny);
	tcase_add_test(tc, scrutiny_done_misses_nothing);
	tcase_add_test(tc, an_open_referral_waits_for_the_coroner);
	tcase_add_test(tc, closing_needs_concerns_decided_and_final_actions);
	tcase_add_test(tc, the_moves_own_inputs_are_not_missing);
	tcase_add_test(tc, withdraw_and_reopen_are_rare);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
