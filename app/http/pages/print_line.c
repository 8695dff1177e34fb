/*
 * The line at the foot of every printed page of the signed-in pages
 * (the queue, the case page and its print view): which office, when it
 * was printed and by whom, so that a sheet found on a desk says where
 * it came from.  Written at the top of <main> and placed at the foot
 * of each sheet by the print stylesheet (assets/src/medex.css); hidden
 * on screen except in the print view.  Serves no URL itself; used by
 * page_call.c's pc_begin().
 */
#include <stdio.h>
#include <time.h>

#include "case_parts.h"
#include "html_writer.h"
#include "print_line.h"

void
print_line(struct sbuf *sb, const char *office_name, const char *office,
    const char *at, const char *who, int screen)
{
	char		 when[64], now[32];
	struct tm	 tm;
	time_t		 t;

	if (at == NULL) {
		t = time(NULL);
		gmtime_r(&t, &tm);
		strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
		at = now;
	}
	cp_time(at, when, sizeof(when));
	html_raw(sb, "<p id=\"print-footer\" class=\"nhsuk-body-s "
	    "medex-print-footer");
	if (!screen)
		html_raw(sb, " medex-print-only");
	html_raw(sb, "\">");
	if (office_name != NULL) {
		html_text(sb, office_name);
		html_raw(sb, " (");
	}
	html_text(sb, office != NULL ? office : "");
	if (office_name != NULL)
		html_raw(sb, ")");
	html_raw(sb, ". Printed ");
	html_text(sb, when);
	html_raw(sb, " by ");
	html_text(sb, who != NULL ? who : "");
	html_raw(sb, ".</p>");
}
