/*
 * NHS numbers as typed.  A number that normalises is ten digits that
 * format as 3-3-4 and normalise again to themselves.
 */
#include "fuzz.h"
#include "nhs_number.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char		*s, out[NHS_NUMBER_LEN], again[NHS_NUMBER_LEN];
	char		 shown[NHS_NUMBER_SHOWN_LEN];
	enum nhs_result	 r;

	s = fuzz_str(data, len);
	r = nhs_number_normalise(s, out);
	FUZZ_ASSERT(nhs_number_error_str(r) != NULL);
	if (r == NHS_OK) {
		FUZZ_ASSERT(strlen(out) == NHS_NUMBER_DIGITS);
		FUZZ_ASSERT(strspn(out, "0123456789") == NHS_NUMBER_DIGITS);
		FUZZ_ASSERT(nhs_number_format(out, shown) == 0);
		FUZZ_ASSERT(strlen(shown) == NHS_NUMBER_SHOWN_LEN - 1);
		FUZZ_ASSERT(nhs_number_normalise(shown, again) == NHS_OK);
		FUZZ_ASSERT(strcmp(out, again) == 0);
		(void)nhs_number_is_test_range(out);
	} else
		FUZZ_ASSERT(out[0] == '\0');
	/* The raw input as if it were stored digits. */
	if (nhs_number_format(s, shown) != 0)
		FUZZ_ASSERT(shown[0] == '\0');
	(void)nhs_number_is_test_range(s);
	free(s);
	return (0);
}
