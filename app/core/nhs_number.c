/*
 * NHS number normalising, checking and display.
 */
#include <stddef.h>
#include <string.h>

#include "nhs_number.h"

static int	is_digit(char);
static int	check_digit(const char *);

enum nhs_result
nhs_number_normalise(const char *in, char out[NHS_NUMBER_LEN])
{
	enum nhs_result	 res;
	size_t		 n;
	int		 i, same;

	out[0] = '\0';
	n = 0;

	if (in == NULL) {
		res = NHS_ERR_LENGTH;
		goto cleanup;
	}

	/*
	 * Only the space is forgiven: it is how the number is printed.
	 * Anything else (a dash, a tab) is more likely a different field
	 * pasted in than a way of writing an NHS number.  Counting goes on
	 * past ten digits so that an eleven digit number is a length error
	 * and not a silent truncation.
	 */
	for (; *in != '\0'; in++) {
		if (*in == ' ')
			continue;
		if (!is_digit(*in)) {
			res = NHS_ERR_CHARACTER;
			goto cleanup;
		}
		if (n < NHS_NUMBER_DIGITS)
			out[n] = *in;
		n++;
	}

	if (n != NHS_NUMBER_DIGITS) {
		res = NHS_ERR_LENGTH;
		goto cleanup;
	}
	out[n] = '\0';

	same = 1;
	for (i = 1; i < NHS_NUMBER_DIGITS; i++) {
		if (out[i] != out[0])
			same = 0;
	}
	if (same) {
		res = NHS_ERR_REPEATED;
		goto cleanup;
	}

	if (check_digit(out) != out[NHS_NUMBER_DIGITS - 1] - '0') {
		res = NHS_ERR_CHECK_DIGIT;
		goto cleanup;
	}

	res = NHS_OK;

cleanup:
	if (res != NHS_OK)
		out[0] = '\0';

	return (res);
}

const char *
nhs_number_error_str(enum nhs_result res)
{
	switch (res) {
	case NHS_OK:
		return ("is valid");
	case NHS_ERR_LENGTH:
		return ("must be 10 digits");
	case NHS_ERR_CHARACTER:
		return ("may contain only digits and spaces");
	case NHS_ERR_CHECK_DIGIT:
		return ("fails the check digit");
	case NHS_ERR_REPEATED:
		return ("may not be one repeated digit");
	}

	return ("is not a valid NHS number");
}

int
nhs_number_format(const char *digits, char out[NHS_NUMBER_SHOWN_LEN])
{
	int		i, j;

	out[0] = '\0';

	if (digits == NULL || strlen(digits) != NHS_NUMBER_DIGITS)
		return (-1);
	for (i = 0; i < NHS_NUMBER_DIGITS; i++) {
		if (!is_digit(digits[i]))
			return (-1);
	}

	j = 0;
	for (i = 0; i < NHS_NUMBER_DIGITS; i++) {
		if (i == 3 || i == 6)
			out[j++] = ' ';
		out[j++] = digits[i];
	}
	out[j] = '\0';

	return (0);
}

int
nhs_number_is_test_range(const char *digits)
{
	if (digits == NULL)
		return (0);

	return (strncmp(digits, "999", 3) == 0);
}

static int
is_digit(char c)
{
	return (c >= '0' && c <= '9');
}

/*
 * The check digit the first nine digits call for, weighted 10 down to 2:
 * 11 minus the remainder mod 11, where 11 means 0 and 10 means no
 * number with these nine digits is valid (-1, which no digit equals).
 */
static int
check_digit(const char *digits)
{
	int		i, sum, check;

	sum = 0;
	for (i = 0; i < NHS_NUMBER_DIGITS - 1; i++)
		sum += (digits[i] - '0') * (10 - i);

	check = 11 - (sum % 11);
	if (check == 11)
		check = 0;
	if (check == 10)
		check = -1;

	return (check);
}
