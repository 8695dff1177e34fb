#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "case_body.h"
#include "referral_doc.h"

static const char input[] =
    "{\"case\": {\"id\": \"42\", \"given_name\": \"Ada\","
    " \"family_name\": \"Lovelace\", \"nhs_number\": \"9990001234\","
    " \"date_of_birth\": \"1950-02-03\", \"date_of_death\": \"2026-07-01\","
    " \"time_of_death\": \"14:05\", \"place_of_death\": \"hospital\","
    " \"place_detail\": \"Ward 7\","
    " \"attending_practitioner\": {\"name\": \"Dr Who\","
    "  \"gmc_number\": \"1234567\"},"
    " \"practitioner_discussions\": [{\"practitioner\": {\"name\":"
    "  \"Dr Who\"}, \"at\": \"2026-07-02T10:00:00Z\", \"happened\": true,"
    "  \"proposed_cause\": \"Fall at home\","
    "  \"outcome\": \"refer_to_coroner\"}],"
    " \"contacts\": [{\"person_name\": \"Bob\", \"relationship\": \"Son\","
    "  \"outcome\": \"reached\", \"at\": \"2026-07-02T12:00:00Z\","
    "  \"questions\": \"Why the bruising?\"},"
    "  {\"person_name\": \"Eve\", \"relationship\": \"Niece\","
    "  \"outcome\": \"no_answer\", \"at\": \"2026-07-02T12:00:00Z\"}],"
    " \"coroner_referral\": {\"categories\": [\"trauma_or_injury\","
    "  \"neglect\"], \"reason\": \"An unwitnessed fall.\","
    "  \"recorded_at\": \"2026-07-02T13:00:00Z\","
    "  \"sent_at\": \"2026-07-02T14:00:00Z\", \"sent_method\":"
    "  \"secure_email\", \"sent_by\": \"o.one\"}},"
    " \"office\": {\"code\": \"NHS01\", \"name\": \"Example ME Office\","
    "  \"coroner_area\": \"Inner North London\"},"
    " \"examiner\": {\"username\": \"m.e\","
    "  \"display_name\": \"Dr Mary Examiner\", \"gmc_number\": null},"
    " \"names\": {\"o.one\": \"Olive Officer\"}}";

static json_t *
load(void)
{
	json_t	*j;

	j = json_loads(input, 0, NULL);
	ck_assert_ptr_nonnull(j);
	return (j);
}

/* The index of the first line whose text (or label) is s, or -1. */
static long
find(const struct referral_doc *d, const char *label, const char *text)
{
	size_t	i;

	for (i = 0; i < d->n; i++) {
		if (label != NULL && (d->lines[i].label == NULL ||
		    strcmp(d->lines[i].label, label) != 0))
			continue;
		if (text == NULL || strcmp(d->lines[i].text, text) == 0)
			return ((long)i);
	}
	return (-1);
}

START_TEST(every_category_has_words)
{
	size_t	i;

	for (i = 0; case_referral_categories[i] != NULL; i++)
		ck_assert_ptr_nonnull(referral_category_words(
		    case_referral_categories[i]));
	ck_assert_ptr_null(referral_category_words("murder"));
	ck_assert_ptr_null(referral_category_words(NULL));
	for (i = 0; referral_send_methods[i] != NULL; i++)
		ck_assert_ptr_nonnull(referral_method_words(
		    referral_send_methods[i]));
}
END_TEST

START_TEST(the_document_in_order)
{
	struct referral_doc	 d;
	json_t			*j = load();
	long			 to, dec, why, ap, fam, sent;

	ck_assert_int_eq(referral_doc_build(&d, j), 0);
	ck_assert_int_eq(d.oom, 0);
	ck_assert_int_eq(d.lines[0].kind, RD_TITLE);
	to = find(&d, NULL, "To");
	dec = find(&d, NULL, "The deceased");
	why = find(&d, NULL, "Why the death is referred");
	ap = find(&d, NULL, "The attending practitioner");
	fam = find(&d, NULL, "The family's views");
	sent = find(&d, NULL, "The referral");
	ck_assert(to > 0 && to < dec && dec < why && why < ap && ap < fam &&
	    fam < sent);
	ck_assert(find(&d, "Senior coroner for the area",
	    "Inner North London") > to);
	ck_assert(find(&d, "Name", "Ada Lovelace") > dec);
	ck_assert(find(&d, "NHS number", "999 000 1234") > dec);
	ck_assert(find(&d, "Date of death", "1 Jul 2026 at 14:05") > dec);
	ck_assert(find(&d, "Place of death", "Hospital: Ward 7") > dec);
	ck_assert(find(&d, NULL, "The death may have been due to trauma or "
	    "injury.") > why);
	ck_assert(find(&d, NULL, "The death may have been due to neglect, "
	    "including self-neglect.") > why);
	ck_assert(find(&d, "The medical examiner's reasons",
	    "An unwitnessed fall.") > why);
	ck_assert(find(&d, "Outcome", "agreed the death should be referred "
	    "to the coroner") > ap);
	ck_assert(find(&d, "Questions", "Why the bruising?") > fam);
	/* Only people who were reached give the family's views. */
	ck_assert_int_eq(find(&d, NULL, "Eve (Niece), spoken to on 2 Jul "
	    "2026 13:00 BST:"), -1);
	ck_assert(find(&d, NULL, "Bob (Son), spoken to on 2 Jul 2026 13:00 "
	    "BST:") > fam);
	ck_assert(find(&d, "Sent", "2 Jul 2026 15:00 BST by Secure email "
	    "(Olive Officer)") > sent);
	ck_assert(find(&d, "Acknowledged by the coroner",
	    "Not yet acknowledged") > sent);
	referral_doc_free(&d);
	json_decref(j);
}
END_TEST

START_TEST(what_medex_does_not_hold_is_said)
{
	struct referral_doc	 d;
	json_t			*j = load();

	ck_assert_int_eq(referral_doc_build(&d, j), 0);
	ck_assert(find(&d, "GMC number", "Not held by medex") >= 0);
	ck_assert(find(&d, "Medical examiner", "Dr Mary Examiner") >= 0);
	referral_doc_free(&d);
	json_object_set_new(json_object_get(j, "office"), "coroner_area",
	    json_null());
	json_object_set_new(j, "examiner", json_null());
	ck_assert_int_eq(referral_doc_build(&d, j), 0);
	ck_assert(find(&d, "Senior coroner for the area",
	    "Not recorded in medex") >= 0);
	ck_assert(find(&d, "Medical examiner", "Not assigned") >= 0);
	referral_doc_free(&d);
	json_decref(j);
}
END_TEST

START_TEST(no_referral_no_document)
{
	struct referral_doc	 d;
	json_t			*j = load();

	json_object_del(json_object_get(j, "case"), "coroner_referral");
	ck_assert_int_eq(referral_doc_build(&d, j), -1);
	ck_assert_uint_eq(d.n, 0);
	referral_doc_free(&d);
	json_decref(j);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	s = suite_create("referral_doc");
	tc = tcase_create("core");
	tcase_add_test(tc, every_category_has_words);
	tcase_add_test(tc, the_document_in_order);
	tcase_add_test(tc, what_medex_does_not_hold_is_said);
	tcase_add_test(tc, no_referral_no_document);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
