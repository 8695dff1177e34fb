/*
 * The fields of every case form, as the NHS.UK components they are
 * written in and the JSON keys the API takes them under: the new case
 * (/cases/new), each action (/cases/{id}/<slug>, the table of actions
 * below) and a transition's inputs (/cases/{id}/transition).  Data, and
 * the look-ups of it; form_render.c writes the fields, form_parse.c
 * reads them back.
 */
#include <string.h>

#include "case_fields.h"
#include "case_state.h"
#include "referral_doc.h"
#include "role.h"

static const struct act	*act_find(const char *);

static const char *const yes_no[] = { "yes", "no", NULL };
static const char *const kind_record_review[] = { "record_review", NULL };
static const char *const form_standard[] = { "standard", NULL };
static const char *const form_neonatal[] = { "neonatal", NULL };
static const char *const prio_flags[] = { "child", "faith", "cultural",
    "coroner", "other", NULL };
/* The notes an officer, ME or lead ME adds (record reviews have theirs). */
static const char *const note_kinds[] = { "officer_summary", "admission",
    "medical_history", "other", NULL };

const struct fspec fields_create[] = {
	{ "given_name", "given_name", "Given names", F_TEXT, NULL, NULL,
	    "20" },
	{ "family_name", "family_name", "Family name", F_TEXT, NULL, NULL,
	    "20" },
	{ "nhs_number", "nhs_number", "NHS number (optional)", F_TEXT, NULL,
	    "A 10 digit number, for example 485 777 3456", "10" },
	{ "date_of_birth", "date_of_birth", "Date of birth", F_DATE, NULL,
	    "For example, 15 3 1984", NULL },
	{ "sex", "sex", "Sex", F_RADIOS, case_sex_codes, NULL, NULL },
	{ "date_of_death", "date_of_death", "Date of death", F_DATE, NULL,
	    "For example, 27 10 2026", NULL },
	{ "time_of_death", "time_of_death", "Time of death (optional)",
	    F_TEXT, NULL, "24-hour clock, for example 14:30", "5" },
	{ "place_of_death", "place_of_death", "Place of death", F_RADIOS,
	    case_place_codes, NULL, NULL },
	{ "place_detail", "place_detail", "Place details (optional)", F_TEXT,
	    NULL, "For example, the ward or the address", NULL },
	{ "ap_name", "attending_practitioner.name",
	    "Attending practitioner's name", F_TEXT, NULL, NULL, "20" },
	{ "ap_gmc", "attending_practitioner.gmc_number",
	    "Attending practitioner's GMC number", F_TEXT, NULL,
	    "7 digits", "10" },
	{ "ethnicity", "ethnicity", "Ethnicity (optional)", F_SELECT,
	    case_ethnicity_codes, "The NHS ethnic category", NULL },
	{ "notified_at", "notified_at", "When was the office told", F_AT,
	    NULL, "For example, 27 10 2026 and 09:30", NULL },
	{ "priority", "priority", "Priority (optional)", F_FLAGS,
	    prio_flags, "Select all that apply", NULL },
	{ "priority_detail", "priority.detail", "Priority details "
	    "(optional)", F_TEXT, NULL, NULL, NULL },
	{ "learning_disability_or_autism", "learning_disability_or_autism",
	    "The person had a learning disability or autism (their death "
	    "is notified to LeDeR)", F_CHECK, NULL, NULL, NULL },
	{ "severe_mental_illness", "severe_mental_illness",
	    "The person had a severe mental illness", F_CHECK, NULL, NULL,
	    NULL },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

/* The LeDeR task: the day LeDeR was told of the death. */
static const struct fspec f_leder[] = {
	{ "leder_notified_at", "leder_notified_at",
	    "Date LeDeR was notified", F_DATE, NULL,
	    "For example, 27 10 2026", NULL },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

/* Urgent release: the new case asks; later, its own form records it. */
const struct fspec fields_create_more[] = {
	{ "urgent_requested", "urgent_release.requested",
	    "Has urgent release of the body been requested", F_YESNO, yes_no,
	    NULL, NULL },
	{ "urgent_reason", "urgent_release.reason", "Reason for urgent "
	    "release", F_RADIOS, case_urgent_reasons, NULL, NULL },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

static const struct fspec f_record_review[] = {
	{ "kind", "kind", NULL, F_HIDDEN, kind_record_review, NULL, NULL },
	{ "text", "text", "Your review of the medical records", F_AREA, NULL,
	    NULL, NULL },
	{ "circumstances", "circumstances", "Circumstances of the death",
	    F_RADIOS, case_circumstances, NULL, NULL },
	{ "proposed_outcome", "proposed_outcome", "Proposed outcome",
	    F_RADIOS, case_proposed_outcomes, NULL, NULL },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

static const struct fspec f_discussion[] = {
	{ "pr_name", "practitioner.name", "Practitioner's name", F_TEXT, NULL,
	    NULL, "20" },
	{ "pr_gmc", "practitioner.gmc_number", "Practitioner's GMC number",
	    F_TEXT, NULL, "7 digits", "10" },
	{ "at", "at", "When was it", F_AT, NULL, NULL, NULL },
	{ "happened", "happened", "Did the discussion take place", F_YESNO,
	    yes_no, NULL, NULL },
	{ "reason_not", "reason_not", "If not, why not", F_AREA, NULL, NULL,
	    NULL },
	{ "proposed_cause", "proposed_cause",
	    "Cause of death the practitioner proposed (optional)", F_AREA,
	    NULL, NULL, NULL },
	{ "outcome", "outcome", "Outcome", F_RADIOS, case_discussion_outcomes,
	    NULL, NULL },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

static const struct fspec f_cause[] = {
	{ "form", "form", NULL, F_HIDDEN, form_standard, NULL, NULL },
	{ "part1a", "part1a", "Part I (a) Disease or condition leading "
	    "directly to death", F_TEXT, NULL, NULL, NULL },
	{ "part1b", "part1b", "Part I (b) due to (optional)", F_TEXT, NULL,
	    NULL, NULL },
	{ "part1c", "part1c", "Part I (c) due to (optional)", F_TEXT, NULL,
	    NULL, NULL },
	{ "part1d", "part1d", "Part I (d) due to (optional)", F_TEXT, NULL,
	    NULL, NULL },
	{ "part2", "part2", "Part II Other significant conditions (optional)",
	    F_TEXT, NULL, NULL, NULL },
	{ "agreed", "agreed_with_attending_practitioner",
	    "Agreed with the attending practitioner", F_CHECK, NULL, NULL,
	    NULL },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

static const struct fspec f_cause_neonatal[] = {
	{ "form", "form", NULL, F_HIDDEN, form_neonatal, NULL, NULL },
	{ "infant_main", "infant_main", "Main disease or condition in the "
	    "infant", F_TEXT, NULL, NULL, NULL },
	{ "infant_other", "infant_other", "Other diseases or conditions in "
	    "the infant (optional)", F_TEXT, NULL, NULL, NULL },
	{ "maternal_main", "maternal_main", "Main maternal disease or "
	    "condition affecting the infant (optional)", F_TEXT, NULL, NULL,
	    NULL },
	{ "maternal_other", "maternal_other", "Other maternal diseases or "
	    "conditions (optional)", F_TEXT, NULL, NULL, NULL },
	{ "other_relevant", "other_relevant", "Other relevant causes "
	    "(optional)", F_TEXT, NULL, NULL, NULL },
	{ "agreed", "agreed_with_attending_practitioner",
	    "Agreed with the attending practitioner", F_CHECK, NULL, NULL,
	    NULL },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

static const struct fspec f_contact[] = {
	{ "person_name", "person_name", "Name of the person", F_TEXT, NULL,
	    NULL, "20" },
	{ "relationship", "relationship", "Relationship to the deceased",
	    F_TEXT, NULL, NULL, "20" },
	{ "method", "method", "How", F_RADIOS, case_contact_methods, NULL,
	    NULL },
	{ "outcome", "outcome", "Outcome", F_RADIOS, case_contact_outcomes,
	    NULL, NULL },
	{ "at", "at", "When", F_AT, NULL, NULL, NULL },
	{ "questions", "questions", "Their questions (optional)", F_AREA,
	    NULL, NULL, NULL },
	{ "concerns_raised", "concerns_raised", "Did they raise concerns",
	    F_YESNO, yes_no, NULL, NULL },
	{ "concerns", "concerns", "Their concerns (optional)", F_AREA, NULL,
	    NULL, NULL },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

static const struct fspec f_exhausted[] = {
	{ "reason", "reason", "Why no one could be given the chance to ask "
	    "questions", F_RADIOS, case_exhausted_reasons, NULL, NULL },
	{ "detail", "detail", "Details (optional)", F_AREA, NULL, NULL,
	    NULL },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

static const struct fspec f_coroner_referral[] = {
	{ "categories", "categories", "Reasons under the Notification of "
	    "Deaths Regulations 2019", F_CHECKS, case_referral_categories,
	    "Select all that apply", NULL },
	{ "reason", "reason", "Reason for the referral", F_AREA, NULL, NULL,
	    NULL },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

static const struct fspec f_coroner_decision[] = {
	{ "decision", "decision", "The coroner's decision", F_RADIOS,
	    case_coroner_decisions, NULL, NULL },
	{ "decided_at", "decided_at", "When was it made", F_AT, NULL, NULL,
	    NULL },
	{ "coroner_reference", "coroner_reference", "Coroner's reference "
	    "(optional)", F_TEXT, NULL, NULL, "20" },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

/* Issue 23: how the referral went to the coroner, and their answer. */
static const struct fspec f_referral_sent[] = {
	{ "method", "method", "How was the referral sent", F_RADIOS,
	    referral_send_methods, NULL, NULL },
	{ "sent_at", "sent_at", "When was it sent", F_AT, NULL, NULL, NULL },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

static const struct fspec f_referral_ack[] = {
	{ "acknowledged_at", "acknowledged_at", "When did the coroner's "
	    "office acknowledge it", F_AT, NULL, NULL, NULL },
	{ "reference", "reference", "Coroner's reference (optional)", F_TEXT,
	    NULL, NULL, "20" },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

static const struct fspec f_governance[] = {
	{ "kind", "kind", "Referral", F_RADIOS, case_governance_kinds,
	    "Choose none for a concern that needs no referral", NULL },
	{ "reason", "reason", "Reason", F_AREA, NULL, NULL, NULL },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

static const struct fspec f_final[] = {
	{ "disposal", "disposal", "Disposal", F_RADIOS, case_disposals, NULL,
	    NULL },
	{ "funeral_director", "funeral_director", "Funeral director "
	    "(optional)", F_TEXT, NULL, NULL, "20" },
	{ "implants", "implants", "Implants", F_RADIOS, case_implants, NULL,
	    NULL },
	{ "implant_detail", "implant_detail", "Implant details (optional)",
	    F_TEXT, NULL, NULL, NULL },
	{ "gp_notified", "gp_notified", "GP notified", F_RADIOS,
	    case_gp_notified, NULL, NULL },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

static const struct fspec f_urgent[] = {
	{ "requested", "requested", "Urgent release requested", F_YESNO,
	    yes_no, NULL, NULL },
	{ "reason", "reason", "Reason (if requested)", F_RADIOS,
	    case_urgent_reasons, NULL, NULL },
	{ "outcome", "outcome", "Outcome (optional)", F_RADIOS,
	    case_urgent_outcomes, NULL, NULL },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

static const struct fspec f_representative[] = {
	{ "name", "name", "Name", F_TEXT, NULL, NULL, "20" },
	{ "relationship", "relationship", "Relationship to the deceased",
	    F_TEXT, NULL, NULL, "20" },
	{ "phone", "phone", "Phone number (optional)", F_TEXT, NULL, NULL,
	    "20" },
	{ "email", "email", "Email address (optional)", F_TEXT, NULL, NULL,
	    NULL },
	{ "present_at_death", "present_at_death", "Were they present at the "
	    "death (optional)", F_YESNO, yes_no, NULL, NULL },
	{ "is_informant", "is_informant", "Are they the informant who will "
	    "register the death (optional)", F_YESNO, yes_no, NULL, NULL },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

/*
 * Assignment names people by display name (case_people.c lists the
 * office's MEs or officers as radios with their open cases).  Taking a
 * case from whoever has it is a reallocation, which needs a reason; the
 * reason is shown only when the case has someone to take it from.
 */
static const struct fspec f_assign[] = {
	{ "examiner", "examiner", "Medical examiner", F_PEOPLE, NULL, NULL,
	    NULL },
	{ "officer", "officer", "Medical examiner officer (optional)",
	    F_PEOPLE, NULL, NULL, NULL },
	{ "reason", "reason", "Why is the case being reallocated?",
	    F_AREA, NULL, "Needed when you change the medical examiner or "
	    "officer already assigned (at most 500 characters)", NULL },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

/* An officer assigns the case's officer (API.md: not the examiner). */
static const struct fspec f_assign_officer[] = {
	{ "officer", "officer", "Medical examiner officer", F_PEOPLE, NULL,
	    NULL, NULL },
	{ "reason", "reason", "Why is the case being reallocated?",
	    F_AREA, NULL, "Needed when you change the officer already "
	    "assigned (at most 500 characters)", NULL },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

/* A note by its kind (officer summary, admission, medical history). */
static const struct fspec f_note[] = {
	{ "kind", "kind", "What kind of note is it", F_RADIOS, note_kinds,
	    NULL, NULL },
	{ "text", "text", "Note", F_AREA, NULL, NULL, NULL },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

/* The transition's inputs; which are shown depends on the row's guards. */
const struct fspec fields_tr_independent[] = {
	{ "independent", "independent", "I had no part in the care of the "
	    "deceased and have no conflict of interest", F_CHECK, NULL, NULL,
	    NULL },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};
const struct fspec fields_tr_reason[] = {
	{ "reason", "reason", "Reason", F_AREA, NULL, NULL, NULL },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};
const struct fspec fields_tr_mccd[] = {
	{ "mccd_issued_on", "mccd_issued_on", "Date the MCCD was issued",
	    F_DATE, NULL, "For example, 27 10 2026", NULL },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

const struct act case_acts[] = {
	{ "record-review", "Record review", "Save the review",
	    R_CASES_NOTES_ADD, CASE_BODY_NOTE, "note", 0, RB_EXAMINERS,
	    f_record_review },
	{ "discussion", "Discussion with the attending practitioner",
	    "Save the discussion", R_CASES_DISCUSSIONS, CASE_BODY_DISCUSSION,
	    "discussion", 0, RB_EXAMINERS, f_discussion },
	{ "cause-of-death", "Cause of death", "Save the cause of death",
	    R_CASES_CAUSE, CASE_BODY_CAUSE_OF_DEATH, "cause_of_death", 1,
	    RB_EXAMINERS, f_cause },
	{ "cause-of-death-neonatal", "Cause of death (neonatal)",
	    "Save the cause of death", R_CASES_CAUSE,
	    CASE_BODY_CAUSE_OF_DEATH, "cause_of_death", 1, RB_EXAMINERS,
	    f_cause_neonatal },
	{ "contact", "Contact with the bereaved", "Save the contact",
	    R_CASES_CONTACTS, CASE_BODY_CONTACT, "contact", 0,
	    RB_CASE_READERS, f_contact },
	{ "contact-exhausted", "No bereaved contact possible",
	    "Save", R_CASES_EXHAUSTED, CASE_BODY_EXHAUSTED, "exhausted", 0,
	    RB_CASE_READERS, f_exhausted },
	{ "coroner-referral", "Coroner referral", "Save the referral",
	    R_CASES_CORONER_REFERRAL, CASE_BODY_CORONER_REFERRAL,
	    "coroner_referral", 1, RB_CASEWORKERS, f_coroner_referral },
	{ "coroner-decision", "Coroner's decision", "Save the decision",
	    R_CASES_CORONER_DECISION, CASE_BODY_CORONER_DECISION,
	    "coroner_decision", 1, RB_CASEWORKERS, f_coroner_decision },
	{ "referral-sent", "Referral sent to the coroner",
	    "Save how it was sent", R_CASES_REFERRAL_SENT,
	    CASE_BODY_REFERRAL_SENT, "referral_sent", 1, RB_CASEWORKERS,
	    f_referral_sent },
	{ "referral-ack", "Coroner's acknowledgement",
	    "Save the acknowledgement", R_CASES_REFERRAL_ACK,
	    CASE_BODY_REFERRAL_ACK, "referral_ack", 1, RB_CASEWORKERS,
	    f_referral_ack },
	{ "governance", "Governance referral", "Save", R_CASES_GOVERNANCE,
	    CASE_BODY_GOVERNANCE, "governance", 0, RB_EXAMINERS,
	    f_governance },
	{ "final-actions", "Final actions", "Save the final actions",
	    R_CASES_FINAL_ACTIONS, CASE_BODY_FINAL_ACTIONS, "final_actions", 1,
	    RB_CASEWORKERS, f_final },
	{ "urgent-release", "Urgent release", "Save", R_CASES_URGENT_RELEASE,
	    CASE_BODY_URGENT_RELEASE, "urgent_release", 1, RB_CASEWORKERS,
	    f_urgent },
	{ "representative", "Add a bereaved person to contact",
	    "Save the person", R_CASES_REPRESENTATIVES,
	    CASE_BODY_REPRESENTATIVE, "representative", 0, RB_CASE_READERS,
	    f_representative },
	{ "assignment", "Assign the case", "Save the assignment",
	    R_CASES_ASSIGNMENT, CASE_BODY_ASSIGNMENT, "assignment", 1,
	    RB_EXAMINERS, f_assign },
	{ "assign-officer", "Assign the case's officer", "Save the assignment",
	    R_CASES_ASSIGNMENT, CASE_BODY_ASSIGNMENT, "assignment", 1,
	    RB_OFFICER, f_assign_officer },
	{ "transition", "Change the state", "Continue", R_CASES_TRANSITION,
	    CASE_BODY_TRANSITION, NULL, 1, RB_CASEWORKERS, NULL },
	/* Reached by the case page's "Change" links, not its list. */
	{ "details", "Change the details", "Save the details",
	    R_CASES_PATCH, CASE_BODY_PATCH, "details", 1, RB_CASEWORKERS,
	    fields_create },
	{ "note", "Add a note", "Save the note", R_CASES_NOTES_ADD,
	    CASE_BODY_NOTE, "note", 0, RB_CASEWORKERS, f_note },
	{ "leder", "Notify LeDeR", "Save the date", R_CASES_PATCH,
	    CASE_BODY_PATCH, "details", 1, RB_CASEWORKERS, f_leder },
};
const size_t	case_acts_n = sizeof(case_acts) / sizeof(case_acts[0]);

/*
 * Conditional reveals (NHS.UK's radios pattern): the inner field is
 * written inside the choice's nhsuk-radios__conditional block.  Without
 * JavaScript it is simply shown; with it, NHS.UK frontend's radios
 * script hides it until the choice is made.
 */
const struct reveal fields_reveals[] = {
	{ f_discussion, "happened", "no", "reason_not" },
	{ f_contact, "concerns_raised", "yes", "concerns" },
	{ f_exhausted, "reason", "other", "detail" },
	{ f_coroner_decision, "decision", "investigating",
	    "coroner_reference" },
	{ f_urgent, "requested", "yes", "reason" },
	{ f_urgent, "requested", "yes", "outcome" },
	{ fields_create_more, "urgent_requested", "yes", "urgent_reason" },
};
const size_t	fields_reveals_n = sizeof(fields_reveals) /
    sizeof(fields_reveals[0]);

/* The action of a row "/cases/{id}/<slug>" of the route table. */
const struct act *
act_of_route(const struct route_def *rd)
{
	const char	*slash;

	if (rd == NULL || (slash = strrchr(rd->pattern, '/')) == NULL)
		return (NULL);
	return (act_find(slash + 1));
}

const struct act *
act_of_slug(const char *slug)
{
	return (slug != NULL ? act_find(slug) : NULL);
}

static const struct act *
act_find(const char *slug)
{
	size_t	i;

	for (i = 0; i < case_acts_n; i++) {
		if (strcmp(case_acts[i].slug, slug) == 0)
			return (&case_acts[i]);
	}
	return (NULL);
}

/* Is this the assignment forms' reallocation reason? */
int
fields_is_realloc_reason(const struct fspec *set, const struct fspec *f)
{
	return ((set == f_assign || set == f_assign_officer) &&
	    strcmp(f->name, "reason") == 0);
}
