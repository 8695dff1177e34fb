/*
 * Role codes and labels, in enum order, so that one table answers both
 * directions and the reference endpoint can list them.
 */
#include <stddef.h>
#include <string.h>

#include "role.h"

struct role_name {
	const char	*code;
	const char	*label;
};

static const struct role_name	role_names[ROLE_COUNT] = {
	[ROLE_MEDICAL_EXAMINER] =
	    { "medical_examiner", "Medical examiner" },
	[ROLE_LEAD_MEDICAL_EXAMINER] =
	    { "lead_medical_examiner", "Lead medical examiner" },
	[ROLE_OFFICER] =
	    { "officer", "Medical examiner officer" },
	[ROLE_LIAISON_OFFICER] =
	    { "liaison_officer", "Bereaved liaison officer" },
	[ROLE_ANALYST] =
	    { "analyst", "Analyst" },
	[ROLE_NATIONAL_ANALYST] =
	    { "national_analyst", "National analyst" },
	[ROLE_ADMIN] =
	    { "admin", "Administrator" },
};

/* ROLE_BIT() of every role must fit in an unsigned int mask. */
_Static_assert(ROLE_COUNT < 32, "too many roles for an unsigned mask");

int
role_from_str(const char *s, enum role *out)
{
	int		i;

	if (s == NULL)
		return (-1);

	for (i = 0; i < ROLE_COUNT; i++) {
		if (strcmp(s, role_names[i].code) == 0) {
			*out = (enum role)i;
			return (0);
		}
	}

	return (-1);
}

const char *
role_str(enum role r)
{
	if ((int)r < 0 || r >= ROLE_COUNT)
		return (NULL);

	return (role_names[r].code);
}

const char *
role_label(enum role r)
{
	if ((int)r < 0 || r >= ROLE_COUNT)
		return (NULL);

	return (role_names[r].label);
}

int
role_in(unsigned int mask, enum role r)
{
	if ((int)r < 0 || r >= ROLE_COUNT)
		return (0);

	return ((mask & ROLE_BIT(r)) != 0);
}
