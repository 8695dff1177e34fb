/*
 * form_msg: the case forms' errors in the NHS content guide's words,
 * and the form that fixes an error the page does not show.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "form_msg.h"
#include "page.h"
#include "validate.h"

static const char *
msg(const char *slug, const char *key, const char *api, const char *label,
    int choice)
{
	static char	buf[512];

	return (form_msg(slug, key, api, label, choice, buf, sizeof(buf)));
}

START_TEST(the_table_says_what_to_do)
{
	ck_assert_str_eq(msg(NULL, "date_of_death", VALIDATE_PHRASE_REQUIRED,
	    "Date of death", 0), "Enter the date of death");
	ck_assert_str_eq(msg(NULL, "date_of_death", VALIDATE_PHRASE_DATE,
	    "Date of death", 0), "Date of death must be a real date");
	ck_assert_str_eq(msg("coroner-referral", "categories",
	    VALIDATE_PHRASE_REQUIRED, "Reasons", 1),
	    "Select at least one reason for the referral");
	ck_assert_str_eq(msg("transition", "independent",
	    "must be declared true", "I had no part", 1),
	    "Confirm you had no part in the care of the person who died");
	/* Issue 19: the examiner's declaration on the way out of scrutiny. */
	ck_assert_str_eq(msg("transition", "independent",
	    "the case's examiner has not declared independence for this case",
	    "I had no part", 1),
	    "Confirm you had no part in the care of the person who died");
	ck_assert_str_eq(msg("coroner-decision", "decided_at",
	    "is before the referral to the coroner", "Decided", 0),
	    "The decision must be dated on or after the day of the referral");
	ck_assert_str_eq(msg("leder", "leder_notified_at",
	    "is before the death", "Date LeDeR was notified", 0),
	    "Date LeDeR was notified must be on or after the date of death");
	ck_assert_str_eq(msg("transition", "cause_of_death",
	    "not agreed with the attending practitioner", NULL, 0),
	    "Cause of death not agreed with the attending practitioner");
	ck_assert_str_eq(msg("cause-of-death", "form",
	    "must be neonatal for a death in the first 28 days of life", NULL,
	    0), "The death was in the first 28 days of life: record the "
	    "cause of death on the neonatal form");
}
END_TEST

START_TEST(the_same_key_is_worded_for_its_form)
{
	ck_assert_str_eq(msg("coroner-referral", "reason",
	    VALIDATE_PHRASE_REQUIRED, "Reason for the referral", 0),
	    "Enter the reason for the referral");
	ck_assert_str_eq(msg("assignment", "reason", VALIDATE_PHRASE_REQUIRED,
	    "Reason", 0), "Enter the reason for the reallocation");
	ck_assert_str_eq(msg("urgent-release", "reason",
	    VALIDATE_PHRASE_REQUIRED, "Reason", 1),
	    "Select the reason for the urgent release");
}
END_TEST

START_TEST(a_field_not_in_the_table_is_worded_from_its_label)
{
	ck_assert_str_eq(msg("final-actions", "funeral_director",
	    VALIDATE_PHRASE_REQUIRED, "Funeral director (optional)", 0),
	    "Enter funeral director");
	ck_assert_str_eq(msg("x", "when", VALIDATE_PHRASE_DATE,
	    "Date the thing happened", 0),
	    "Date the thing happened must be a real date");
	ck_assert_str_eq(msg("x", "kind", VALIDATE_PHRASE_ENUM, "Kind", 1),
	    "Select kind");
	ck_assert_str_eq(msg("x", "gp", VALIDATE_PHRASE_REQUIRED,
	    "GP notified", 1), "Select GP notified");
}
END_TEST

/* No message says "required", a format or a code name. */
START_TEST(no_message_is_in_a_programmers_words)
{
	static const char *const phrases[] = { VALIDATE_PHRASE_REQUIRED,
	    VALIDATE_PHRASE_DATE, VALIDATE_PHRASE_TIMESTAMP,
	    VALIDATE_PHRASE_GMC, VALIDATE_PHRASE_USERNAME,
	    VALIDATE_PHRASE_ENUM, "must be given", "is in the future",
	    "must be true or false", "examiner or officer is required",
	    "recorded as not_investigating", "no record_review note",
	    "must be a string" };
	static const char *const keys[] = { "date_of_death", "examiner",
	    "coroner_decision", "record_review", "reason", "categories",
	    "mccd_issued_on", "some_field", "form", "bereaved" };
	static const char *const slugs[] = { "transition", "assignment",
	    "coroner-referral", "discussion" };
	const char	*m;
	size_t		 i, j, k, c;

	for (i = 0; i < sizeof(phrases) / sizeof(phrases[0]); i++)
	for (j = 0; j < sizeof(keys) / sizeof(keys[0]); j++)
	for (k = 0; k < sizeof(slugs) / sizeof(slugs[0]); k++)
	for (c = 0; c < 3; c++) {
		m = msg(slugs[k], keys[j], phrases[i], c == 2 ? NULL :
		    "Some field", c == 1);
		ck_assert_msg(strstr(m, "required") == NULL &&
		    strstr(m, "YYYY") == NULL && strstr(m, "RFC") == NULL &&
		    strchr(m, '_') == NULL, "%s %s %s: %s", slugs[k], keys[j],
		    phrases[i], m);
	}
}
END_TEST

START_TEST(an_unmet_guard_names_the_form_that_fixes_it_and_who)
{
	const char	*who;

	ck_assert_str_eq(form_msg_fix("cause_of_death",
	    "not agreed with the attending practitioner", &who),
	    "cause-of-death");
	ck_assert_str_eq(who, "the case's medical examiner");
	ck_assert_str_eq(form_msg_fix("form", "must be standard for a death",
	    &who), "cause-of-death");
	ck_assert_str_eq(form_msg_fix("form", "must be neonatal for a death",
	    &who), "cause-of-death-neonatal");
	ck_assert_str_eq(form_msg_fix("bereaved", "no contact", &who),
	    "contact");
	ck_assert_str_eq(form_msg_fix("coroner_referral.categories", "x",
	    &who), "coroner-referral");
	ck_assert_ptr_null(form_msg_fix("date_of_death", "x", &who));
	ck_assert_ptr_null(who);
}
END_TEST

START_TEST(a_summary_link_to_a_page_is_not_a_fragment)
{
	struct page_error	e[2] = {
		{ "date_of_death-day", "Enter the date of death" },
		{ "/cases/7/cause-of-death", "Cause of death not agreed" } };
	struct sbuf		sb;

	sbuf_init(&sb, 4096);
	page_error_summary(&sb, e, 2);
	ck_assert_ptr_nonnull(strstr(sb.data,
	    "href=\"#date_of_death-day\""));
	ck_assert_ptr_nonnull(strstr(sb.data,
	    "href=\"/cases/7/cause-of-death\""));
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

	s = suite_create("form_msg");
	tc = tcase_create("core");
	tcase_add_test(tc, the_table_says_what_to_do);
	tcase_add_test(tc, the_same_key_is_worded_for_its_form);
	tcase_add_test(tc, a_field_not_in_the_table_is_worded_from_its_label);
	tcase_add_test(tc, no_message_is_in_a_programmers_words);
	tcase_add_test(tc, an_unmet_guard_names_the_form_that_fixes_it_and_who);
	tcase_add_test(tc, a_summary_link_to_a_page_is_not_a_fragment);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
