/*
 * The case forms' error messages; see form_msg.h.  The table is the
 * place to word a message: the first row that matches (form, key,
 * phrase) wins; "*" matches any form, a phrase matches by its start.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "form_msg.h"

struct msg_row {
	const char	*slug;		/* the action's form, "*" any */
	const char	*key;		/* the API's field */
	const char	*api;		/* the start of the API's phrase */
	const char	*message;
};

static const struct msg_row msgs[] = {
	/* The new case, and the deceased's details. */
	{ "*", "given_name", "is required", "Enter the given names" },
	{ "*", "family_name", "is required", "Enter the family name" },
	{ "*", "sex", "", "Select the sex" },
	{ "*", "place_of_death", "", "Select the place of death" },
	{ "*", "date_of_birth", "is required", "Enter the date of birth" },
	{ "*", "date_of_birth", "must be a real date",
	    "Date of birth must be a real date" },
	{ "*", "date_of_birth", "is in the future",
	    "Date of birth must be today or in the past" },
	{ "*", "date_of_death", "is required", "Enter the date of death" },
	{ "*", "date_of_death", "must be a real date",
	    "Date of death must be a real date" },
	{ "*", "date_of_death", "is in the future",
	    "Date of death must be today or in the past" },
	{ "*", "date_of_death", "is before the date of birth",
	    "Date of death must be the same as or after the date of birth" },
	{ "*", "leder_notified_at", "is in the future",
	    "Date LeDeR was notified must be today or in the past" },
	{ "*", "leder_notified_at", "is before the death",
	    "Date LeDeR was notified must be on or after the date of death" },
	{ "*", "leder_notified_at", "", "Date LeDeR was notified must be a "
	    "real date" },
	{ "*", "time_of_death", "", "Enter the time of death in the 24-hour "
	    "clock, like 14:30" },
	{ "*", "nhs_number", "already has an open case",
	    "There is already an open case for this NHS number and date of "
	    "death" },
	{ "*", "nhs_number", "", "Enter a 10 digit NHS number, like "
	    "485 777 3456" },
	{ "*", "attending_practitioner.name", "",
	    "Enter the attending practitioner's name" },
	{ "*", "attending_practitioner.gmc_number", "is required",
	    "Enter the attending practitioner's GMC number" },
	{ "*", "attending_practitioner.gmc_number", "",
	    "GMC number must be 7 digits" },
	{ "*", "attending_practitioner", "",
	    "Enter the attending practitioner's name and GMC number" },
	{ "discussion", "practitioner", "",
	    "Enter the practitioner's name and GMC number" },
	{ "discussion", "practitioner.name", "",
	    "Enter the practitioner's name" },
	{ "discussion", "practitioner.gmc_number", "is required",
	    "Enter the practitioner's GMC number" },
	{ "discussion", "practitioner.gmc_number", "",
	    "GMC number must be 7 digits" },
	{ "discussion", "happened", "",
	    "Select whether the discussion took place" },
	{ "discussion", "reason_not", "",
	    "Enter why the discussion did not take place" },
	{ "discussion", "outcome", "", "Select the outcome of the discussion" },
	{ "*", "at", "is before the death",
	    "The date must be the same as or after the date of death" },
	{ "*", "at", "is in the future",
	    "The date must be today or in the past" },
	{ "*", "at", "", "Enter a real date and time" },

	/* Cause of death, on the form that does not fit the age. */
	{ "*", "form", "must be neonatal",
	    "The death was in the first 28 days of life: record the cause "
	    "of death on the neonatal form" },
	{ "*", "form", "must be standard",
	    "The death was after the first 28 days of life: record the "
	    "cause of death on the standard form" },
	{ "*", "part1a", "is required",
	    "Enter the disease or condition leading directly to death" },
	{ "*", "part1b", "needs the line above it",
	    "Enter Part I (a) before Part I (b)" },
	{ "*", "part1c", "needs the line above it",
	    "Enter Part I (b) before Part I (c)" },
	{ "*", "part1d", "needs the line above it",
	    "Enter Part I (c) before Part I (d)" },
	{ "*", "infant_main", "is required",
	    "Enter the main disease or condition in the infant" },

	/* Coroner. */
	{ "coroner-referral", "categories", "",
	    "Select at least one reason for the referral" },
	{ "coroner-referral", "reason", "",
	    "Enter the reason for the referral" },
	{ "coroner-decision", "decision", "",
	    "Select the coroner's decision" },
	{ "coroner-decision", "decided_at", "is before the death",
	    "The decision must be dated on or after the date of death" },
	{ "coroner-decision", "decided_at", "is before the referral",
	    "The decision must be dated on or after the day of the referral" },
	{ "coroner-decision", "decided_at", "is in the future",
	    "The decision must be dated today or in the past" },
	{ "coroner-decision", "decided_at", "",
	    "Enter a real date and time of the decision" },
	{ "coroner-decision", "coroner_referral", "",
	    "No referral to the coroner is recorded" },

	/* Contacts, governance, final actions, urgent release. */
	{ "contact", "person_name", "", "Enter the name of the person" },
	{ "contact", "relationship", "",
	    "Enter their relationship to the person who died" },
	{ "contact", "method", "", "Select how you contacted them" },
	{ "contact", "outcome", "", "Select the outcome" },
	{ "contact", "concerns", "", "Enter their concerns" },
	{ "contact", "concerns_raised", "",
	    "Select whether they raised concerns" },
	{ "contact-exhausted", "reason", "",
	    "Select why no one could be given the chance to ask questions" },
	{ "governance", "kind", "", "Select a referral, or none" },
	{ "governance", "reason", "", "Enter the reason" },
	{ "final-actions", "disposal", "", "Select the disposal" },
	{ "final-actions", "implants", "", "Select whether there are implants" },
	{ "final-actions", "gp_notified", "",
	    "Select whether the GP was notified" },
	{ "urgent-release", "requested", "",
	    "Select whether urgent release was requested" },
	{ "urgent-release", "reason", "",
	    "Select the reason for the urgent release" },
	{ "urgent-release", "outcome", "is only for",
	    "Record an outcome only when urgent release was requested" },
	{ "representative", "name", "", "Enter their name" },
	{ "representative", "relationship", "",
	    "Enter their relationship to the person who died" },
	{ "assignment", "examiner", "is not a medical examiner",
	    "Select a medical examiner of this office" },
	{ "assignment", "examiner", "", "Select a medical examiner" },
	{ "*", "officer", "is not an officer",
	    "Select an officer of this office" },
	{ "*", "officer", "", "Select an officer" },
	{ "assignment", "reason", "",
	    "Enter the reason for the reallocation" },

	/* A move of state: its inputs, then its guards. */
	{ "transition", "independent", "",
	    "Confirm you had no part in the care of the person who died" },
	{ "transition", "reason", "", "Enter the reason" },
	{ "transition", "mccd_issued_on", "must be a real date",
	    "Date the MCCD was issued must be a real date" },
	{ "transition", "mccd_issued_on", "is before the date of death",
	    "Date the MCCD was issued must be on or after the date of death" },
	{ "transition", "mccd_issued_on", "is in the future",
	    "Date the MCCD was issued must be today or in the past" },
	{ "transition", "mccd_issued_on", "",
	    "Enter the date the MCCD was issued" },
	{ "*", "coroner_referral.categories", "",
	    "Select at least one reason for the referral" },
	{ "*", "record_review", "", "The medical records have not been "
	    "reviewed" },
	{ "*", "practitioner_discussions", "", "No discussion with the "
	    "attending practitioner has taken place" },
	{ "*", "cause_of_death", "not agreed",
	    "Cause of death not agreed with the attending practitioner" },
	{ "*", "bereaved", "", "No bereaved person has been given the "
	    "chance to ask questions, and contact is not recorded as "
	    "impossible" },
	{ "*", "coroner_referral", "open",
	    "The coroner has not yet decided on the referral" },
	{ "*", "coroner_decision", "recorded as investigating",
	    "The coroner is investigating this death" },
	{ "*", "coroner_decision", "recorded as not_investigating",
	    "The coroner decided not to investigate this death" },
	{ "*", "coroner_decision", "", "The coroner's decision is not "
	    "recorded" },
	{ "*", "governance_referrals", "",
	    "A concern raised has no governance decision" },
	{ "*", "final_actions", "", "The final actions are not recorded" },

	/* Issue 18: reallocation, notes by kind, every field of a case. */
	{ "assign-officer", "reason", "",
	    "Enter the reason for the reallocation" },
	{ "note", "kind", "", "Select the kind of note" },
	{ "note", "text", "", "Enter the note" },
	{ "*", "ethnicity", "", "Select an ethnicity from the list" },
	{ "*", "notified_at", "is before the death", "When the office was "
	    "told must be on or after the date of death" },
	{ "*", "notified_at", "is in the future", "When the office was told "
	    "must be now or in the past" },
	{ "*", "notified_at", "", "Enter a real date and time when the office "
	    "was told" },
	{ "*", "urgent_release.requested", "",
	    "Select whether urgent release was requested" },
	{ "*", "urgent_release.reason", "",
	    "Select the reason for the urgent release" },
	{ "*", "urgent_release", "",
	    "Select the reason for the urgent release" },
	{ "*", "priority.detail", "", "Priority details must be 500 "
	    "characters or fewer" },
};

struct fix_row {
	const char	*key;
	const char	*api;		/* the start of the phrase */
	const char	*slug;
	const char	*who;
};

static const struct fix_row fixes[] = {
	{ "form", "must be neonatal", "cause-of-death-neonatal",
	    "the case's medical examiner" },
	{ "form", "must be standard", "cause-of-death",
	    "the case's medical examiner" },
	{ "coroner_referral.categories", "", "coroner-referral",
	    "an officer or a medical examiner" },
	{ "record_review", "", "record-review",
	    "the case's medical examiner" },
	{ "practitioner_discussions", "", "discussion",
	    "the case's medical examiner" },
	{ "cause_of_death", "", "cause-of-death",
	    "the case's medical examiner" },
	{ "bereaved", "", "contact", "an officer or a medical examiner" },
	{ "coroner_referral", "open", "coroner-decision",
	    "an officer or a medical examiner" },
	{ "coroner_decision", "", "coroner-decision",
	    "an officer or a medical examiner" },
	{ "governance_referrals", "", "governance",
	    "the case's medical examiner" },
	{ "final_actions", "", "final-actions",
	    "an officer or a medical examiner" },
};

static int
starts(const char *s, const char *prefix)
{
	return (s != NULL && strncmp(s, prefix, strlen(prefix)) == 0);
}

/* The label without " (optional)", its first letter lower case. */
static void
label_lower(const char *label, char *out, size_t len)
{
	const char	*opt;
	size_t		 n;

	n = strlen(label);
	if ((opt = strstr(label, " (optional)")) != NULL)
		n = (size_t)(opt - label);
	snprintf(out, len, "%.*s", (int)n, label);
	/* "Date of death" -> "date of death"; "GP notified" is kept. */
	if (out[0] != '\0' && isupper((unsigned char)out[0]) &&
	    out[1] != '\0' && islower((unsigned char)out[1]))
		out[0] = (char)tolower((unsigned char)out[0]);
}

const char *
form_msg(const char *slug, const char *key, const char *api,
    const char *label, int choice, char *buf, size_t len)
{
	char	lab[256];
	size_t	i;

	if (api == NULL)
		api = "";
	for (i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
		if ((strcmp(msgs[i].slug, "*") == 0 || (slug != NULL &&
		    strcmp(msgs[i].slug, slug) == 0)) &&
		    strcmp(msgs[i].key, key) == 0 && starts(api, msgs[i].api)) {
			snprintf(buf, len, "%s", msgs[i].message);
			return (buf);
		}
	}
	if (label == NULL) {
		snprintf(buf, len, "Check the case's %s", key);
		for (i = 0; buf[i] != '\0'; i++)
			if (buf[i] == '_' || buf[i] == '.')
				buf[i] = ' ';
		return (buf);
	}
	label_lower(label, lab, sizeof(lab));
	if (starts(api, "must be a real date as"))
		snprintf(buf, len, "%c%s must be a real date",
		    toupper((unsigned char)lab[0]), lab + 1);
	else if (starts(api, "must be an RFC 3339"))
		snprintf(buf, len, "%c%s must be a real date and time",
		    toupper((unsigned char)lab[0]), lab + 1);
	else if (starts(api, "is in the future"))
		snprintf(buf, len, "%c%s must be today or in the past",
		    toupper((unsigned char)lab[0]), lab + 1);
	else if (choice)
		snprintf(buf, len, "Select %s", lab);
	else if (starts(api, "is required") || starts(api, "may not be "
	    "empty") || starts(api, "must be given") || api[0] == '\0')
		snprintf(buf, len, "Enter %s", lab);
	else if (strstr(api, "required") == NULL && strchr(api, '_') == NULL &&
	    strstr(api, "YYYY") == NULL)
		snprintf(buf, len, "%c%s %s", toupper((unsigned char)lab[0]),
		    lab + 1, api);
	else
		snprintf(buf, len, "Check %s", lab);
	return (buf);
}

const char *
form_msg_fix(const char *key, const char *api, const char **who)
{
	size_t	i;

	for (i = 0; i < sizeof(fixes) / sizeof(fixes[0]); i++) {
		if (strcmp(fixes[i].key, key) == 0 &&
		    starts(api != NULL ? api : "", fixes[i].api)) {
			if (who != NULL)
				*who = fixes[i].who;
			return (fixes[i].slug);
		}
	}
	if (who != NULL)
		*who = NULL;
	return (NULL);
}
