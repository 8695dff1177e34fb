/*
 * Codes of a case in words: the NHS ethnic categories (NHS Data
 * Dictionary, "Ethnic category", 2001 census) and the few codes whose
 * words are more than the code made readable ("mccd" is "MCCD").
 * Other codes are shown by case_parts.c's cp_code_label().
 */
#include <string.h>

#include "case_words.h"

static const char *const ethnicity[][2] = {
	{ "A", "White: British" },
	{ "B", "White: Irish" },
	{ "C", "White: any other White background" },
	{ "D", "Mixed: White and Black Caribbean" },
	{ "E", "Mixed: White and Black African" },
	{ "F", "Mixed: White and Asian" },
	{ "G", "Mixed: any other mixed background" },
	{ "H", "Asian or Asian British: Indian" },
	{ "J", "Asian or Asian British: Pakistani" },
	{ "K", "Asian or Asian British: Bangladeshi" },
	{ "L", "Asian or Asian British: any other Asian background" },
	{ "M", "Black or Black British: Caribbean" },
	{ "N", "Black or Black British: African" },
	{ "P", "Black or Black British: any other Black background" },
	{ "R", "Other ethnic groups: Chinese" },
	{ "S", "Other ethnic groups: any other ethnic group" },
	{ "Z", "Not stated" },
};

static const char *const words[][2] = {
	{ "mccd", "Medical certificate of cause of death (MCCD)" },
	{ "coroner", "Referral to the coroner" },
	{ "refer_to_coroner", "Refer to the coroner" },
	{ "sudden_not_unexpected", "Sudden but not unexpected" },
	{ "pals", "Patient advice and liaison service (PALS)" },
	{ "none", "None" },
	{ "present_removed", "Present, removed" },
	{ "present_not_removed", "Present, not removed" },
	{ "not_applicable", "Not applicable" },
	{ "unable", "Unable to notify" },
	{ "gp", "GP" },
	{ "in_person", "In person" },
	{ "no_answer", "No answer" },
	{ "wrong_number", "Wrong number" },
	{ "not_investigating", "Not investigating" },
	{ "investigating", "Investigating" },
};

const char *
case_ethnicity_label(const char *code)
{
	size_t	i;

	if (code == NULL)
		return (NULL);
	for (i = 0; i < sizeof(ethnicity) / sizeof(ethnicity[0]); i++) {
		if (strcmp(ethnicity[i][0], code) == 0)
			return (ethnicity[i][1]);
	}
	return (NULL);
}

const char *
case_code_words(const char *code)
{
	size_t	i;

	if (code == NULL)
		return (NULL);
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (strcmp(words[i][0], code) == 0)
			return (words[i][1]);
	}
	return (NULL);
}
