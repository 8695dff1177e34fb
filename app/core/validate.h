/*
 * Validation of the data items of DOMAIN.md section 4 and the calendar
 * of section 7: dates, RFC 3339 times, Europe/London calendar dates,
 * GMC numbers, usernames, office codes, free text and enumerations.
 *
 * Predicates return 1 when the value is good and 0 when it is not, as
 * Kore's validators do, so that callers test them as booleans.  Free
 * text returns an enum, because the caller must tell the person which
 * rule they broke.  The VALIDATE_PHRASE_* strings are the phrases for
 * API.md's `fields`, so every handler words a bad value the same way.
 *
 * Nothing here reads the clock or the TZ database: "now" is passed in,
 * and British Summer Time is computed from its rule.
 */
#ifndef MEDEX_VALIDATE_H
#define MEDEX_VALIDATE_H

#include <stddef.h>
#include <time.h>

#define VDATE_YEAR_MIN		1850
#define VDATE_YEAR_MAX		9999
#define VDATE_STR_LEN		11	/* "2026-10-03" and NUL */

#define USERNAME_MIN		3
#define USERNAME_MAX		64
#define OFFICE_CODE_MIN		2
#define OFFICE_CODE_MAX		16
#define GMC_NUMBER_LEN		7

#define VALIDATE_PHRASE_REQUIRED	"is required"
#define VALIDATE_PHRASE_DATE		"must be a real date as YYYY-MM-DD"
#define VALIDATE_PHRASE_TIMESTAMP	\
	"must be an RFC 3339 time with offset, e.g. 2026-10-03T14:05:00Z"
#define VALIDATE_PHRASE_GMC		"must be 7 digits"
#define VALIDATE_PHRASE_USERNAME	"must be 3-64 of a-z 0-9 . _ -"
#define VALIDATE_PHRASE_OFFICE_CODE	\
	"must be 2-16 of A-Z 0-9 _ - starting with a letter"
#define VALIDATE_PHRASE_ENUM		"is not one of the allowed values"

/* A calendar date; month 1-12, day 1-31. */
struct vdate {
	int	year;
	int	month;
	int	day;
};

/*
 * Exactly YYYY-MM-DD, a real calendar date (leap years counted), year
 * 1850-9999.  On success the date is stored in *out.
 */
int	validate_date(const char *, struct vdate *);

/*
 * An RFC 3339 time with an offset ("Z" or "+hh:mm"/"-hh:mm"), seconds
 * required, fractional seconds (1-9 digits) allowed and dropped, date
 * part as validate_date().  On success the instant, in seconds since
 * 1970-01-01T00:00:00Z, is stored in *epoch_out.
 */
int	validate_timestamp(const char *, long long *);

/*
 * The Europe/London calendar date of an instant.  Returns 1, or 0 when
 * the instant lies outside years 1-9999.
 */
int	london_date_of(long long, struct vdate *);

/* The Europe/London calendar date of now; as london_date_of(). */
int	vdate_today_london(time_t, struct vdate *);

/* Calendar days from a to b: b - a, negative when b is earlier. */
long long	vdate_days_between(const struct vdate *, const struct vdate *);

/* <0, 0 or >0 as a is before, on or after b. */
int	vdate_cmp(const struct vdate *, const struct vdate *);

/* Writes "YYYY-MM-DD"; 1, or 0 (and "") for a year outside 0-9999. */
int	vdate_format(const struct vdate *, char [VDATE_STR_LEN]);

/* Exactly 7 ASCII digits, kept as text. */
int	validate_gmc(const char *);

/*
 * 3-64 of a-z 0-9 . _ -; A-Z is accepted too, because usernames are
 * compared without case: store and compare what username_lower() makes.
 */
int	validate_username(const char *);

/* Folds A-Z to a-z in place; nothing else changes. */
void	username_lower(char *);

/* 2-16 of A-Z 0-9 _ -, starting with a letter; lower case is refused. */
int	validate_office_code(const char *);

/*
 * An email address as a directory holds one: up to 254 bytes, one '@'
 * with text either side, no spaces or control characters.  Not RFC
 * 5322 in full: it is compared with the provider's claim, never mailed.
 */
int	validate_email(const char *);

/*
 * The index of s in the NULL-terminated list allowed, or -1 when s is
 * NULL or not in it.  Comparison is exact.
 */
int	validate_enum(const char *, const char *const *);

enum text_result {
	TEXT_OK = 0,
	TEXT_EMPTY,		/* NULL, or nothing but white space */
	TEXT_BAD_UTF8,		/* ill-formed, overlong, surrogate */
	TEXT_CONTROL,		/* a control or a hidden-layout character */
	TEXT_TOO_LONG,		/* more code points than allowed */
	TEXT_NOMEM		/* a server fault, not the person's */
};

/*
 * Free text from a person: a name, a reason, a note.
 *
 * Refuses ill-formed UTF-8; control characters (tab and line feed are
 * allowed when multiline is set, and so is CR directly before LF);
 * characters that change the order or the lines a reader sees (bidi
 * embeddings, overrides and isolates, U+2028, U+2029); text that is
 * empty once white space is trimmed from both ends; and text of more
 * than max_codepoints code points once normalised and trimmed.
 *
 * On TEXT_OK, *nfc_out is a malloc'd NUL-terminated copy, normalised
 * to NFC, trimmed of white space at both ends, CR LF folded to LF: this
 * is what medex stores and compares.  The caller frees it.  On any
 * other result *nfc_out is NULL.
 */
enum text_result	 validate_text(const char *, size_t, int, char **);

/* The phrase for API.md's `fields`, e.g. "may not be empty". */
const char		*validate_text_error_str(enum text_result);

#endif
