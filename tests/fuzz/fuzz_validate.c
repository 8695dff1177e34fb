/*
 * Dates, RFC 3339 times, GMC numbers, usernames, office codes and free
 * text.  The first byte picks the text options; the rest is the value.
 * A date that validates formats back to itself; a time that validates
 * has a London date; text that validates is well-formed UTF-8 in bounds.
 */
#include "fuzz.h"
#include "validate.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct vdate		 d, d2;
	enum text_result	 tr;
	long long		 epoch;
	char			*s, *nfc, buf[VDATE_STR_LEN];
	size_t			 max;
	int			 multiline;

	if (len == 0)
		return (0);
	multiline = data[0] & 1;
	max = (size_t)(data[0] >> 1) * 8 + 1;
	s = fuzz_str(data + 1, len - 1);

	if (validate_date(s, &d)) {
		FUZZ_ASSERT(vdate_format(&d, buf) == 1);
		FUZZ_ASSERT(strcmp(buf, s) == 0);
		FUZZ_ASSERT(vdate_cmp(&d, &d) == 0);
		FUZZ_ASSERT(vdate_days_between(&d, &d) == 0);
	}
	if (validate_timestamp(s, &epoch)) {
		FUZZ_ASSERT(london_date_of(epoch, &d2) == 1);
		FUZZ_ASSERT(d2.month >= 1 && d2.month <= 12);
		FUZZ_ASSERT(d2.day >= 1 && d2.day <= 31);
	}
	(void)validate_gmc(s);
	if (validate_username(s)) {
		FUZZ_ASSERT(strlen(s) >= USERNAME_MIN &&
		    strlen(s) <= USERNAME_MAX);
		username_lower(s);
		FUZZ_ASSERT(validate_username(s));
	}
	if (validate_office_code(s))
		FUZZ_ASSERT(strlen(s) >= OFFICE_CODE_MIN &&
		    strlen(s) <= OFFICE_CODE_MAX);

	tr = validate_text(s, max, multiline, &nfc);
	FUZZ_ASSERT(validate_text_error_str(tr) != NULL);
	if (tr == TEXT_OK) {
		FUZZ_ASSERT(nfc != NULL && nfc[0] != '\0');
		FUZZ_ASSERT(fuzz_utf8_ok(nfc, strlen(nfc)));
		FUZZ_ASSERT(strchr(nfc, '\r') == NULL);
		if (!multiline)
			FUZZ_ASSERT(strchr(nfc, '\n') == NULL);
		free(nfc);
	} else
		FUZZ_ASSERT(nfc == NULL);
	free(s);
	return (0);
}
