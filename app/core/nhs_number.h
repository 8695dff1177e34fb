/*
 * NHS numbers: ten digits, the last a modulus 11 check digit.
 *
 * People type them with spaces ("943 476 5919"); medex stores the ten
 * digits and shows them 3-3-4.  The arithmetic lets a number made of one
 * repeated digit through (0000000000, 1111111111, ...), so those are
 * refused explicitly.  Numbers starting 999 are the test range: valid,
 * but a live service may refuse them (nhs_number_is_test_range()).
 */
#ifndef MEDEX_NHS_NUMBER_H
#define MEDEX_NHS_NUMBER_H

#define NHS_NUMBER_DIGITS	10
#define NHS_NUMBER_LEN		(NHS_NUMBER_DIGITS + 1)	/* with NUL */
#define NHS_NUMBER_SHOWN_LEN	13		/* "943 476 5919" and NUL */

enum nhs_result {
	NHS_OK = 0,
	NHS_ERR_LENGTH,		/* not ten digits */
	NHS_ERR_CHARACTER,	/* something other than a digit or a space */
	NHS_ERR_CHECK_DIGIT,	/* fails modulus 11, or computes to 10 */
	NHS_ERR_REPEATED	/* one digit ten times */
};

/*
 * Reads an NHS number as typed: digits, with spaces anywhere.  On
 * NHS_OK, out holds the ten digits and a NUL; on error, out is "".
 */
enum nhs_result	 nhs_number_normalise(const char *, char [NHS_NUMBER_LEN]);

/* The phrase for API.md's `fields`, e.g. "fails the check digit". */
const char	*nhs_number_error_str(enum nhs_result);

/*
 * Writes ten digits as "943 476 5919".  Returns 0, or -1 (and out "")
 * when the input is not ten digits.
 */
int		 nhs_number_format(const char *, char [NHS_NUMBER_SHOWN_LEN]);

/* 1 if ten stored digits lie in the test range (they start 999). */
int		 nhs_number_is_test_range(const char *);

#endif
