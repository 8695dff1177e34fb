/*
 * Clinical-safety warnings on the case page (API.md "Warnings").
 *
 * The case page shows the case's open warnings in an NHS.UK warning
 * callout, so a save that raised one is followed by the callout on the
 * page it leads to, and it stays there until someone acknowledges it:
 *
 * POST /cases/{id}/acknowledge-warning   code, csrf_token, form_key
 *
 * one plain form per warning, the same SQL call as the API's
 * acknowledgement; 2xx is a 303 back to the case page, the rest a page
 * in words.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "medex.h"
#include "api.h"
#include "api_cases.h"
#include "api_warnings.h"
#include "case_form.h"
#include "case_parts.h"
#include "case_warnings.h"
#include "form_parse.h"
#include "handlers.h"
#include "html_writer.h"
#include "page.h"
#include "page_call.h"
#include "page_frame.h"
#include "respond.h"

void
cw_callout(struct medex_req *mr, struct sbuf *sb, json_t *k, const char *id,
    int may_ack)
{
	json_t		*ws, *w;
	char		 action[128];
	size_t		 i;

	ws = json_object_get(k, "warnings");
	if (json_array_size(ws) == 0)
		return;
	snprintf(action, sizeof(action), "/cases/%s/acknowledge-warning", id);
	html_raw(sb, "<div class=\"nhsuk-warning-callout\" id=\"warnings\">"
	    "<h2 class=\"nhsuk-warning-callout__label\"><span role=\"text\">"
	    "<span class=\"nhsuk-u-visually-hidden\">Important: </span>"
	    "Check before you continue</span></h2>"
	    "<ul class=\"nhsuk-list\">");
	json_array_foreach(ws, i, w) {
		html_start(sb, "li");
		html_attr(sb, "data-code", cp_str(w, "code"));
		html_end(sb);
		html_raw(sb, "<p class=\"nhsuk-body\">");
		html_text(sb, cp_str(w, "message"));
		html_raw(sb, "</p>");
		if (!may_ack) {
			html_raw(sb, "</li>");
			continue;
		}
		html_start(sb, "form");
		html_attr(sb, "action", action);
		html_attr(sb, "method", "post");
		html_raw(sb, " novalidate>");
		page_csrf_field(sb, mr->page_csrf);
		page_key_field(sb);
		html_raw(sb, "<input type=\"hidden\" name=\"code\"");
		html_attr(sb, "value", cp_str(w, "code"));
		html_raw(sb, "><button class=\"nhsuk-button "
		    "nhsuk-button--secondary medex-no-print\" "
		    "data-module=\"nhsuk-button\" type=\"submit\">"
		    "Acknowledge<span class=\"nhsuk-u-visually-hidden\">: ");
		html_text(sb, cp_str(w, "message"));
		html_raw(sb, "</span></button></form></li>");
	}
	html_raw(sb, "</ul></div>");
}

/* The acknowledgement's answer: back to the case, or a page in words. */
static void
ack_cb(struct http_request *req, struct medex_req *mr, struct kore_pgsql *sql)
{
	struct pc	*pc = mr->step_data;

	pc_row(mr, sql);
	if (mr->status >= 200 && mr->status < 300) {
		snprintf(pc->location, sizeof(pc->location),
		    "/cases/%s?saved=acknowledge-warning", pc->id);
		pc->redirect_to = pc->location;
		pages_redirect(req, mr, pc->location);
		return;
	}
	pc->failed = 1;
	pages_refused(req, mr);
}

static int
ack_done(struct http_request *req, struct medex_req *mr)
{
	return (medex_respond(req, mr, mr->status, mr->content_type,
	    mr->body.data, mr->body.len));
}

int
pages_case_warning_ack(struct http_request *req, struct medex_req *mr)
{
	struct pc		*pc;
	struct case_call	 cc;
	json_t			*j;
	const char		*key, *code;
	char			 hash[65];
	int			 ret;

	pc = pc_new(mr);
	if (!pf_key(mr, &key))
		return (pages_error(req, mr, 400, KEY_BAD_MSG));
	j = json_object();
	code = pf_val(mr, "code");
	json_object_set_new(j, "code", code != NULL ? json_string(code) :
	    json_null());
	case_form_hash(req, j, 0, hash);
	case_warning_ack_prepare(&cc, pc->id, api_role_ok(mr), j, key,
	    key != NULL ? hash : NULL);
	mr->on_complete = ack_done;
	ret = api_call_cb(req, mr, cc.sql, cc.n, cc.params, ack_cb);
	case_call_free(&cc);
	json_decref(j);
	return (ret);
}
