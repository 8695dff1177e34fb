/*
 * The bodies of the case routes of API.md, checked in C before the one
 * SQL call of each route: every field's type, format, enumeration and
 * length, dates against each other and against "now" (passed in), NHS
 * numbers by their check digit, unknown fields refused.  Each error
 * names its field, nested fields by dotted path
 * ("attending_practitioner.gmc_number"), in a struct ferrs for the 422.
 *
 * What is good is copied into `out` under the names the database keeps
 * (given_name, ap_gmc, prio_child, cause_of_death {...}, ...), text
 * normalised to NFC and NHS numbers to ten digits.  Checks that need the
 * stored case (a PATCH's dates against the kept ones, the neonatal form
 * against the age, records of the same case) are the database's.
 */
#ifndef MEDEX_CASE_BODY_H
#define MEDEX_CASE_BODY_H

#include <time.h>

#include <jansson.h>

#include "reqbody.h"

enum case_body_kind {
	CASE_BODY_CREATE = 0,
	CASE_BODY_PATCH,
	CASE_BODY_NOTE,
	CASE_BODY_DISCUSSION,
	CASE_BODY_CAUSE_OF_DEATH,
	CASE_BODY_REPRESENTATIVE,
	CASE_BODY_CONTACT,
	CASE_BODY_EXHAUSTED,
	CASE_BODY_CORONER_REFERRAL,
	CASE_BODY_CORONER_DECISION,
	CASE_BODY_GOVERNANCE,
	CASE_BODY_FINAL_ACTIONS,
	CASE_BODY_ASSIGNMENT,
	CASE_BODY_URGENT_RELEASE,
	CASE_BODY_TRANSITION,
	CASE_BODY_REFERRAL_SENT,
	CASE_BODY_REFERRAL_ACK
};

/* Checks in against the kind's rules: errors to fe, values to out. */
void	case_body_check(enum case_body_kind, json_t *, time_t,
	    struct ferrs *, json_t *);

/* The code lists of API.md, NULL-terminated, for /reference too. */
extern const char *const case_sex_codes[];
extern const char *const case_ethnicity_codes[];
extern const char *const case_place_codes[];
extern const char *const case_urgent_reasons[];
extern const char *const case_urgent_outcomes[];
extern const char *const case_contact_methods[];
extern const char *const case_contact_outcomes[];
extern const char *const case_exhausted_reasons[];
extern const char *const case_referral_categories[];
extern const char *const case_coroner_decisions[];
extern const char *const case_governance_kinds[];
extern const char *const case_note_kinds[];
extern const char *const case_circumstances[];
extern const char *const case_proposed_outcomes[];
extern const char *const case_discussion_outcomes[];
extern const char *const case_disposals[];
extern const char *const case_implants[];
extern const char *const case_gp_notified[];

#endif
