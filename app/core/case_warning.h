/*
 * Clinical-safety warnings (API.md "Warnings", DOMAIN.md): what a case
 * write may answer beside the result instead of refusing it.  Which
 * warnings a case's stored fields raise is decided by the database
 * after the write (sql/warnings.sql: the duplicate needs the office's
 * other cases, the abbreviations the office's list); this holds what C
 * decides: the codes themselves (the acknowledgement's body, /reference)
 * and the test-range NHS number, refused or let through to a warning by
 * the instance's setting.
 */
#ifndef MEDEX_CASE_WARNING_H
#define MEDEX_CASE_WARNING_H

#include <jansson.h>

#include "reqbody.h"

/* API.md's warning codes, NULL-terminated. */
extern const char *const case_warning_codes[];

/* 1 if s is one of case_warning_codes. */
int	case_warning_code_known(const char *);

/*
 * The field error for the ten digits of an NHS number when the instance
 * does not allow test numbers (allow 0) and the number is in the 999
 * test range; NULL when the number may be kept (then, if in the range,
 * the database raises test_nhs_number).
 */
const char	*case_warning_nhs_refusal(const char *, int);

/*
 * The same over a checked case body (out, as case_body_check() wrote
 * it): adds the refusal to fe under "nhs_number".
 */
void	case_warning_nhs_check(json_t *, int, struct ferrs *);

/*
 * The acknowledgement's body {"code": "..."}: the code, or NULL with the
 * errors in fe (missing, not a string, unknown, or other fields).
 */
const char	*case_warning_ack_body(json_t *, struct ferrs *);

/*
 * An office's list of abbreviations (PUT .../abbreviations
 * {"abbreviations": [...]}): at most CASE_ABBREV_MAX words of 1-16
 * letters and digits, each once.  The words, upper-cased and sorted, are
 * appended to out; errors go to fe under "abbreviations".
 */
#define CASE_ABBREV_MAX		200
#define CASE_ABBREV_LEN		16
void	case_warning_abbrev_body(json_t *, json_t *, struct ferrs *);

#endif
