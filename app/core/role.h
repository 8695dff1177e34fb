/*
 * The roles of API.md: every user has exactly one.  The enum is what the
 * code passes around; the string codes are what tokens, bodies and the
 * database carry.  Role sets (who may use a route, who may make a
 * transition) are bit masks built with ROLE_BIT().
 */
#ifndef MEDEX_ROLE_H
#define MEDEX_ROLE_H

enum role {
	ROLE_MEDICAL_EXAMINER = 0,
	ROLE_LEAD_MEDICAL_EXAMINER,
	ROLE_OFFICER,
	ROLE_LIAISON_OFFICER,
	ROLE_ANALYST,
	ROLE_NATIONAL_ANALYST,
	ROLE_ADMIN,
	ROLE_COUNT
};

#define ROLE_BIT(r)		(1u << (unsigned int)(r))

#define RB_MEDICAL_EXAMINER	ROLE_BIT(ROLE_MEDICAL_EXAMINER)
#define RB_LEAD_MEDICAL_EXAMINER ROLE_BIT(ROLE_LEAD_MEDICAL_EXAMINER)
#define RB_OFFICER		ROLE_BIT(ROLE_OFFICER)
#define RB_LIAISON_OFFICER	ROLE_BIT(ROLE_LIAISON_OFFICER)
#define RB_ANALYST		ROLE_BIT(ROLE_ANALYST)
#define RB_NATIONAL_ANALYST	ROLE_BIT(ROLE_NATIONAL_ANALYST)
#define RB_ADMIN		ROLE_BIT(ROLE_ADMIN)

/* The sets API.md names again and again. */
#define RB_EXAMINERS		(RB_MEDICAL_EXAMINER | RB_LEAD_MEDICAL_EXAMINER)
#define RB_CASEWORKERS		(RB_EXAMINERS | RB_OFFICER)
#define RB_CASE_READERS		(RB_CASEWORKERS | RB_LIAISON_OFFICER)
#define RB_ALL			(ROLE_BIT(ROLE_COUNT) - 1u)

/* Room for the longest code, "lead_medical_examiner", and its NUL. */
#define ROLE_STR_MAX		22

/* 0 and the role in *out, or -1 for a string that names no role. */
int		 role_from_str(const char *, enum role *);

/* The code ("medical_examiner"), or NULL for a value out of range. */
const char	*role_str(enum role);

/* A label for people ("Medical examiner officer"), or NULL. */
const char	*role_label(enum role);

/* 1 if the role is in the mask, else 0. */
int		 role_in(unsigned int, enum role);

#endif
