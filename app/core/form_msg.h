/*
 * The errors of the case forms in words, as the NHS service manual's
 * content guide asks ("Enter the date of death", "Date of death must be
 * a real date"), from the API's errors, which name a field by its JSON
 * key and say what is wrong in a programmer's terms ("is required",
 * "must be a real date as YYYY-MM-DD").
 *
 * form_msg() looks (form, key, API phrase) up in a table; a field the
 * table does not name gets a message from its label and the kind of
 * phrase.  form_msg_fix() says, for an error on a record the form does
 * not show (a move's unmet guard, the cause of death on the other
 * form), which action's form fixes it and who must act.
 */
#ifndef MEDEX_FORM_MSG_H
#define MEDEX_FORM_MSG_H

#include <stddef.h>

/*
 * The message for the API's error phrase on key, on the form of the
 * action slug (NULL for the new case form), in buf.  label is the
 * field's label (NULL if the form has no such field); choice is 1 for
 * radios and checkboxes ("Select ..."), 0 for inputs ("Enter ...").
 */
const char	*form_msg(const char *slug, const char *key, const char *api,
		    const char *label, int choice, char *buf, size_t len);

/*
 * The slug of the action whose form fixes an error on key with this
 * phrase (NULL if none), and in *who the people who must act.
 */
const char	*form_msg_fix(const char *key, const char *api,
		    const char **who);

#endif
