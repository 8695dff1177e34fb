/*
 * What the case pages show of a case, written the same on each: a
 * code in words, the state as a coloured tag, London times, NHS
 * numbers in groups, the name, a link, a row of a summary list.  Serves
 * no URL itself; used by queue.c, case.c and case_form.c.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "case_parts.h"
#include "case_state.h"
#include "html_writer.h"
#include "london_time.h"

/* "care_home" -> "Care home". */
void
cp_code_label(const char *code, char *buf, size_t len)
{
	size_t	i;

	snprintf(buf, len, "%s", code != NULL ? code : "");
	for (i = 0; buf[i] != '\0'; i++) {
		if (buf[i] == '_')
			buf[i] = ' ';
	}
	if (buf[0] >= 'a' && buf[0] <= 'z')
		buf[0] = (char)(buf[0] - 'a' + 'A');
}

const char *
cp_str(json_t *o, const char *key)
{
	return (json_string_value(json_object_get(o, key)));
}

void
cp_state_tag(struct sbuf *sb, const char *state)
{
	enum case_state	 st;
	const char	*colour, *label;

	colour = "nhsuk-tag nhsuk-tag--grey";
	label = state;
	if (state != NULL && case_state_from_str(state, &st) == 0) {
		label = case_state_label(st);
		switch (st) {
		case CASE_NOTIFIED:
			colour = "nhsuk-tag nhsuk-tag--blue";
			break;
		case CASE_IN_SCRUTINY:
			colour = "nhsuk-tag nhsuk-tag--purple";
			break;
		case CASE_REFERRED_TO_CORONER:
		case CASE_CORONER_INVESTIGATING:
			colour = "nhsuk-tag nhsuk-tag--orange";
			break;
		case CASE_AWAITING_MCCD:
		case CASE_MCCD_ISSUED:
			colour = "nhsuk-tag nhsuk-tag--aqua-green";
			break;
		case CASE_CLOSED:
			colour = "nhsuk-tag nhsuk-tag--green";
			break;
		default:
			break;
		}
	}
	html_start(sb, "strong");
	html_attr(sb, "class", colour);
	html_end(sb);
	html_text(sb, label);
	html_raw(sb, "</strong>");
}

/* "2026-07-01T13:00:00Z" -> "1 Jul 2026 14:00 BST"; dates alone too. */
void
cp_time(const char *s, char *buf, size_t len)
{
	london_format(s, buf, len);
}

/* 4857773456 -> "485 777 3456". */
void
cp_nhs(const char *s, char *buf, size_t len)
{
	if (s == NULL || strlen(s) != 10) {
		snprintf(buf, len, "%s", s != NULL ? s : "Not known");
		return;
	}
	snprintf(buf, len, "%.3s %.3s %.4s", s, s + 3, s + 6);
}

void
cp_name(json_t *k, char *buf, size_t len)
{
	snprintf(buf, len, "%s %s", cp_str(k, "given_name") != NULL ?
	    cp_str(k, "given_name") : "", cp_str(k, "family_name") != NULL ?
	    cp_str(k, "family_name") : "");
}

void
cp_link(struct sbuf *sb, const char *href, const char *text, int current)
{
	html_start(sb, "a");
	html_attr(sb, "href", href);
	if (current)
		html_attr(sb, "aria-current", "page");
	html_end(sb);
	html_text(sb, text);
	html_raw(sb, "</a>");
}

/* The summary list's rows. */
void
cp_sl_row(struct sbuf *sb, const char *key, const char *value)
{
	html_raw(sb, "<div class=\"nhsuk-summary-list__row\"><dt "
	    "class=\"nhsuk-summary-list__key\">");
	html_text(sb, key);
	html_raw(sb, "</dt><dd class=\"nhsuk-summary-list__value\">");
	html_text(sb, value != NULL && *value != '\0' ? value : "Not known");
	html_raw(sb, "</dd></div>");
}
