/*
 * The case forms' fields (pages/case_fields.c): the types of a field
 * and of an action, and the tables.
 */
#ifndef MEDEX_CASE_FIELDS_H
#define MEDEX_CASE_FIELDS_H

#include <stddef.h>

#include "case_body.h"
#include "route_table.h"

enum ftype {
	F_TEXT = 0,
	F_AREA,
	F_DATE,		/* day, month, year -> YYYY-MM-DD */
	F_AT,		/* a London date and time -> RFC 3339 (UTC) */
	F_RADIOS,
	F_YESNO,	/* radios -> true / false */
	F_CHECK,	/* one checkbox -> true / false */
	F_CHECKS,	/* checkboxes -> a list */
	F_HIDDEN,
	F_PEOPLE,	/* radios of the office's people (case_people.c) */
	F_FLAGS,	/* checkboxes -> {code: true | false} under key */
	F_SELECT	/* a select of codes (ethnicity) */
};

struct fspec {
	const char		*name;	/* the input's name and id */
	const char		*key;	/* JSON key; "a.b" nests */
	const char		*label;
	enum ftype		 type;
	const char *const	*codes;	/* choices; F_HIDDEN's value */
	const char		*hint;
	const char		*width;
};

struct act {
	const char		*slug;
	const char		*title;
	const char		*button;
	enum route_id		 api;
	enum case_body_kind	 body;
	const char		*kind;
	int			 put;	/* sends the version */
	unsigned int		 roles;	/* who is offered it */
	const struct fspec	*fields;
};

/*
 * A choice of a field that reveals another (NHS.UK's conditional
 * radios): inner is written inside the choice's block.
 */
struct reveal {
	const struct fspec	*set;
	const char		*field;
	const char		*code;
	const char		*inner;
};

/* Each set ends with a NULL name. */
extern const struct fspec	fields_create[];
/* The new case's fields that the details form does not edit. */
extern const struct fspec	fields_create_more[];
extern const struct fspec	fields_tr_independent[];
extern const struct fspec	fields_tr_reason[];
extern const struct fspec	fields_tr_mccd[];

extern const struct reveal	fields_reveals[];
extern const size_t		fields_reveals_n;

/* The actions on a case, in the order the case page offers them. */
extern const struct act		case_acts[];
extern const size_t		case_acts_n;

/* The action of a row "/cases/{id}/<slug>" of the route table. */
const struct act	*act_of_route(const struct route_def *);
/* The action of a slug ("cause-of-death"), or NULL. */
const struct act	*act_of_slug(const char *);
/* Is this field the assignment forms' reallocation reason? */
int			 fields_is_realloc_reason(const struct fspec *,
			    const struct fspec *);

#endif
