/*
 * Warning codes and the test NHS number rule (case_warning.h).
 */
#include <stdlib.h>
#include <string.h>

#include "case_warning.h"
#include "nhs_number.h"

const char *const case_warning_codes[] = { "possible_duplicate",
    "age_over_120", "abbreviation_in_cause", "implants_before_cremation",
    "test_nhs_number", NULL };

int
case_warning_code_known(const char *s)
{
	size_t	i;

	if (s == NULL)
		return (0);
	for (i = 0; case_warning_codes[i] != NULL; i++) {
		if (strcmp(case_warning_codes[i], s) == 0)
			return (1);
	}
	return (0);
}

const char *
case_warning_nhs_refusal(const char *digits, int allow)
{
	if (allow || !nhs_number_is_test_range(digits))
		return (NULL);
	return ("is a test number (999 range), which this service does not "
	    "accept");
}

void
case_warning_nhs_check(json_t *out, int allow, struct ferrs *fe)
{
	json_t		*x;
	const char	*msg;

	x = json_object_get(out, "nhs_number");
	if (x == NULL || !json_is_string(x))
		return;
	if ((msg = case_warning_nhs_refusal(json_string_value(x), allow)) !=
	    NULL)
		ferr_add(fe, "nhs_number", msg);
}

const char *
case_warning_ack_body(json_t *j, struct ferrs *fe)
{
	static const char *const allowed[] = { "code", NULL };
	const char	*code;

	reqbody_unknown(j, allowed, "", fe);
	if ((code = reqbody_string(j, "code", 1, fe)) == NULL)
		return (NULL);
	if (!case_warning_code_known(code)) {
		ferr_add(fe, "code", "is not a warning code");
		return (NULL);
	}
	return (fe->n == 0 ? code : NULL);
}

static int
abbrev_cmp(const void *a, const void *b)
{
	return (strcmp(*(const char *const *)a, *(const char *const *)b));
}

/* 1 with the word upper-cased into up: 1-16 of A-Z a-z 0-9. */
static int
abbrev_word(const char *s, char up[CASE_ABBREV_LEN + 1])
{
	size_t	i;

	for (i = 0; s[i] != '\0'; i++) {
		if (i >= CASE_ABBREV_LEN)
			return (0);
		if (s[i] >= 'a' && s[i] <= 'z')
			up[i] = (char)(s[i] - 'a' + 'A');
		else if ((s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9'))
			up[i] = s[i];
		else
			return (0);
	}
	up[i] = '\0';
	return (i > 0);
}

void
case_warning_abbrev_body(json_t *j, json_t *out, struct ferrs *fe)
{
	static const char *const allowed[] = { "abbreviations", NULL };
	char		 words[CASE_ABBREV_MAX][CASE_ABBREV_LEN + 1];
	const char	*sorted[CASE_ABBREV_MAX];
	json_t		*a, *x;
	size_t		 i, n;

	reqbody_unknown(j, allowed, "", fe);
	a = json_object_get(j, "abbreviations");
	if (a == NULL || !json_is_array(a)) {
		ferr_add(fe, "abbreviations", "must be a list of words");
		return;
	}
	if ((n = json_array_size(a)) > CASE_ABBREV_MAX) {
		ferr_add(fe, "abbreviations", "may hold at most 200 words");
		return;
	}
	json_array_foreach(a, i, x) {
		if (!json_is_string(x) ||
		    strlen(json_string_value(x)) != json_string_length(x) ||
		    !abbrev_word(json_string_value(x), words[i])) {
			ferr_add(fe, "abbreviations", "each must be 1-16 "
			    "letters or digits");
			return;
		}
		sorted[i] = words[i];
	}
	qsort(sorted, n, sizeof(sorted[0]), abbrev_cmp);
	for (i = 0; i < n; i++) {
		if (i > 0 && strcmp(sorted[i], sorted[i - 1]) == 0) {
			ferr_add(fe, "abbreviations", "may not list a word "
			    "twice");
			return;
		}
	}
	for (i = 0; i < n; i++)
		json_array_append_new(out, json_string(sorted[i]));
}
