/*
 * The form page of a case write, and the write: the form of a new case
 * (GET, POST /cases/new, case_new.c) and of each action
 * (GET, POST /cases/{id}/{action}, case_actions.c) is written here.
 * A POST's write goes to the API's SQL function; 2xx is a 303 to the
 * case page, 422 and 412 the form again with the errors in words or
 * the conflict (read afresh), the rest a page in words.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "medex.h"
#include "api.h"
#include "api_cases.h"
#include "case_bereaved.h"
#include "case_fields.h"
#include "case_missing.h"
#include "case_form.h"
#include "case_parts.h"
#include "case_people.h"
#include "case_state.h"
#include "form.h"
#include "form_prefill.h"
#include "form_render.h"
#include "html_writer.h"
#include "json_reader.h"
#include "page.h"
#include "page_call.h"
#include "page_frame.h"
#include "respond.h"

/*
 * Ending scrutiny needs the declaration of the case's examiner of now
 * (issue 19): the checkbox is offered to that examiner while the case
 * has none, so that a reallocated case can be declared for on the way
 * out.  Anyone else could not make the declaration by ticking it.
 */
static int
examiner_to_declare(struct pc *pc, const struct case_transition *t)
{
	const char	*examiner, *me;

	if (!(t->guards & GUARD_EXAMINER_DECLARED) ||
	    json_is_true(json_object_get(pc->kase, "independent")))
		return (0);
	examiner = cp_str(pc->kase, "examiner");
	me = pc->me != NULL ? cp_str(pc->me, "username") : NULL;
	return (examiner != NULL && (me == NULL || strcmp(examiner, me) == 0));
}

/* The fields of an action; a transition's come from its row's guards. */
static size_t
act_fields(struct pc *pc, const struct fspec **sets)
{
	const struct case_transition	*t;
	enum case_state			 from, to;
	size_t				 n;

	n = 0;
	if (pc->act == NULL) {
		sets[n++] = fields_create;
		sets[n++] = fields_create_more;
	} else if (pc->act->fields != NULL)
		sets[n++] = pc->act->fields;
	else if (pc->kase != NULL && case_state_from_str(cp_str(pc->kase,
	    "state"), &from) == 0 && case_state_from_str(pc->to, &to) == 0 &&
	    (t = case_transition_find(from, to)) != NULL) {
		if ((t->guards & GUARD_INDEPENDENT) || examiner_to_declare(pc,
		    t))
			sets[n++] = fields_tr_independent;
		if (t->guards & GUARD_REASON)
			sets[n++] = fields_tr_reason;
		if (t->guards & GUARD_MCCD_DATE)
			sets[n++] = fields_tr_mccd;
	}
	return (n);
}

/*
 * A case that can no longer change (closed, withdrawn, with the
 * coroner) is offered no form; the form's URL says why, in words.
 */
static int
case_final_page(struct medex_req *mr, struct pc *pc, struct sbuf *sb)
{
	enum case_state	 st;
	char		 name[600], back[128], msg[256];

	if (pc->act == NULL || pc->kase == NULL ||
	    case_state_from_str(cp_str(pc->kase, "state"), &st) != 0 ||
	    !case_state_is_final(st))
		return (0);
	cp_name(pc->kase, name, sizeof(name));
	pc->status = 409;
	pc_begin(mr, pc, sb, "This case can no longer change", 0);
	snprintf(back, sizeof(back), "/cases/%s", pc->id);
	html_start(sb, "a");
	html_attr(sb, "class", "nhsuk-back-link");
	html_attr(sb, "href", back);
	html_end(sb);
	html_raw(sb, "Back to the case</a>");
	page_h1(sb, name, "This case can no longer change");
	snprintf(msg, sizeof(msg), "%s: %s.", st == CASE_CORONER_INVESTIGATING ?
	    "The coroner is investigating this death, so medex records "
	    "nothing more on it" : st == CASE_WITHDRAWN ? "This case was "
	    "withdrawn, so nothing more can be recorded on it" : "This case "
	    "is closed, so nothing more can be recorded on it",
	    pc->act->title);
	page_p(sb, msg);
	page_p(sb, "What was recorded is on the case page.");
	page_end(sb);
	return (1);
}

/*
 * Withdraw and reopen (case_missing.h's rare moves): the row of the
 * transition form, or NULL for any other form.
 */
static const struct case_transition *
rare_move(struct pc *pc)
{
	const struct case_transition	*t;
	enum case_state			 from, to;

	if (pc->act == NULL || pc->act->fields != NULL || pc->kase == NULL ||
	    case_state_from_str(cp_str(pc->kase, "state"), &from) != 0 ||
	    case_state_from_str(pc->to, &to) != 0 ||
	    (t = case_transition_find(from, to)) == NULL ||
	    !case_move_is_rare(t))
		return (NULL);
	return (t);
}

/* What a rare move will do, said before the reason is asked for. */
static void
rare_warning(struct sbuf *sb, const struct case_transition *t)
{
	html_raw(sb, "<div class=\"nhsuk-warning-callout\">"
	    "<h2 class=\"nhsuk-warning-callout__label\"><span "
	    "role=\"text\"><span class=\"nhsuk-u-visually-hidden\">"
	    "Important: </span>What will happen</span></h2>");
	if (t->to == CASE_WITHDRAWN)
		html_raw(sb, "<p>The case leaves every working list and "
		    "nothing more can be recorded on it. What is recorded "
		    "stays. The reason you give is recorded in the case's "
		    "history and shown in a banner at the top of the case "
		    "page.</p>");
	else
		html_raw(sb, "<p>The case goes back to scrutiny, and the "
		    "medical examiner finishes scrutiny again before a new "
		    "MCCD. What is recorded stays. The reason you give is "
		    "recorded in the case's history and shown in a banner at "
		    "the top of the case page.</p>");
	html_raw(sb, "</div>");
}

/* The form of a new case or of an action (pc->act), with pc->errors. */
void
case_form_render(struct medex_req *mr, struct pc *pc, struct sbuf *sb)
{
	const struct fspec		*sets[4], *f;
	const struct case_transition	*rare;
	struct form			 pre;
	enum case_state		 to;
	char			 title[256], name[600], action[256];
	char			 ver[32];
	size_t			 n, i;
	int			 errs, prefilled;

	if (case_final_page(mr, pc, sb))
		return;
	n = act_fields(pc, sets);
	/* A GET starts from what the case records (form_prefill.c). */
	prefilled = 0;
	if (mr->form == NULL && pc->kase != NULL && pc->act != NULL &&
	    pc->act->fields != NULL) {
		form_init(&pre);
		fp_prefill(&pre, pc->act, pc->kase);
		if (pc->contact[0] != '\0')
			(void)form_add(&pre, "contact_id", pc->contact);
		mr->form = &pre;
		prefilled = 1;
	}
	fr_words(&pc->errors, sets, n, pc->act != NULL ? pc->act->slug :
	    NULL, pc->act != NULL ? pc->id : NULL);
	rare = rare_move(pc);
	if (pc->act == NULL)
		snprintf(title, sizeof(title), "Add a new case");
	else if (rare != NULL)
		snprintf(title, sizeof(title), "%s", rare->to ==
		    CASE_WITHDRAWN ? "Withdraw the case" : "Reopen the case");
	else if (pc->act->fields == NULL && case_state_from_str(pc->to,
	    &to) == 0)
		snprintf(title, sizeof(title), "Move the case to: %s",
		    case_state_label(to));
	else
		snprintf(title, sizeof(title), "%s", pc->act->title);
	errs = pc->errors != NULL && json_object_size(pc->errors) > 0;
	pc_begin(mr, pc, sb, title, errs || pc->banner != NULL);
	html_raw(sb, "<div class=\"nhsuk-grid-row\"><div "
	    "class=\"nhsuk-grid-column-two-thirds\">");
	if (pc->act != NULL) {
		snprintf(action, sizeof(action), "/cases/%s", pc->id);
		html_start(sb, "a");
		html_attr(sb, "class", "nhsuk-back-link");
		html_attr(sb, "href", action);
		html_end(sb);
		html_raw(sb, "Back to the case</a>");
	} else
		html_raw(sb, "<a class=\"nhsuk-back-link\" href=\"/cases\">"
		    "Back to cases</a>");
	if (pc->banner != NULL) {
		struct page_error	e = { NULL, pc->banner };
		char			first[160];

		/* The link goes to the form's first field, or the case. */
		snprintf(first, sizeof(first), "/cases/%s", pc->id);
		for (i = 0; i < n && first[0] == '/'; i++) {
			for (f = sets[i]; f->name != NULL; f++) {
				if (f->type != F_HIDDEN) {
					snprintf(first, sizeof(first), "%s%s",
					    f->name, f->type == F_DATE ||
					    f->type == F_AT ? "-day" : "");
					break;
				}
			}
		}
		e.field = first;
		page_error_summary(sb, &e, 1);
	} else
		fr_errors(pc->errors, sets, n, sb);
	if (pc->kase != NULL) {
		cp_name(pc->kase, name, sizeof(name));
		page_h1(sb, name, title);
	} else
		page_h1(sb, NULL, title);
	if (pc->act == NULL)
		snprintf(action, sizeof(action), "/cases/new");
	else if (pc->act->fields == NULL)
		snprintf(action, sizeof(action), "/cases/%s/transition",
		    pc->id);
	else
		snprintf(action, sizeof(action), "/cases/%s/%s", pc->id,
		    pc->act->slug);
	html_start(sb, "form");
	html_attr(sb, "action", action);
	html_attr(sb, "method", "post");
	html_raw(sb, " novalidate>");
	page_csrf_field(sb, mr->page_csrf);
	page_key_field(sb);
	if (pc->kase != NULL) {
		snprintf(ver, sizeof(ver), "%lld", (long long)
		    json_integer_value(json_object_get(pc->kase, "version")));
		html_raw(sb, "<input type=\"hidden\" name=\"version\"");
		html_attr(sb, "value", ver);
		html_raw(sb, ">");
	}
	if (pc->act != NULL && pc->act->fields == NULL) {
		html_raw(sb, "<input type=\"hidden\" name=\"to\"");
		html_attr(sb, "value", pc->to);
		html_raw(sb, ">");
		if (n == 0)
			page_p(sb, "Check the case, then continue.");
		if (rare != NULL)
			rare_warning(sb, rare);
	}
	for (i = 0; i < n; i++) {
		for (f = sets[i]; f->name != NULL; f++) {
			if (!fr_revealed(sets[i], f->name) &&
			    !cbe_field(mr, pc->errors, pc->kase, sb, pc->act,
			    sets[i], f) &&
			    !cpe_field(mr, pc->errors, pc->list, pc->kase,
			    sb, sets[i], f))
				fr_field(mr, pc->errors, sb, sets[i], f);
		}
	}
	if (rare != NULL) {
		html_raw(sb, "<button class=\"nhsuk-button "
		    "nhsuk-button--warning\" data-module=\"nhsuk-button\" "
		    "type=\"submit\">");
		html_text(sb, title);
		html_raw(sb, "</button>");
	} else
		page_button(sb, pc->act != NULL ? pc->act->button :
		    "Add the case");
	html_raw(sb, "</form></div></div>");
	page_end(sb);
	if (prefilled) {
		form_free(&pre);
		mr->form = NULL;
	}
}

/* The 409 of a form key sent again with other answers (idem_replay). */
static int
key_conflict(json_t *j)
{
	const char	*m;

	m = json_string_value(json_object_get(json_object_get(j, "error"),
	    "message"));
	return (m != NULL && strstr(m, "Idempotency-Key") != NULL);
}

/* The request's hash for its key: path, version and the API's body. */
void
case_form_hash(struct http_request *req, json_t *j, long long version,
    char hash[65])
{
	struct sbuf	 sb;
	char		*canon;

	canon = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	sbuf_init(&sb, API_BODY_MAX * 2);
	sbuf_appendf(&sb, "%lld\n%s", version, canon != NULL ? canon : "");
	api_request_hash(req, sb.data != NULL ? sb.data : "", hash);
	sbuf_free(&sb);
	free(canon);
}

/*
 * The answer of a write: 2xx goes to the case page; 422 and 412 show
 * the form again (with the case, read afresh); the rest are pages.
 */
static void
pc_write_cb(struct http_request *req, struct medex_req *mr,
    struct kore_pgsql *sql)
{
	struct pc	*pc = mr->step_data;
	json_t		*j, *fields;
	const char	*id;

	pc_row(mr, sql);
	j = jr_load(mr->body.data, mr->body.len);
	if (mr->status >= 200 && mr->status < 300) {
		id = pc->act == NULL ? cp_str(j, "id") : pc->id;
		snprintf(pc->location, sizeof(pc->location), "/cases/%s%s%s",
		    id != NULL ? id : "", pc->act != NULL ? "?saved=" : "",
		    pc->act != NULL ? pc->act->slug : "");
		pc->redirect_to = pc->location;
		pages_redirect(req, mr, pc->location);
	} else if (mr->status == 422) {
		fields = json_object_get(json_object_get(j, "error"),
		    "fields");
		pc->errors = fields != NULL ? json_deep_copy(fields) :
		    json_object();
		if (json_object_size(pc->errors) == 0)
			json_object_set_new(pc->errors, "body",
			    json_string("is not valid"));
		pc->status = 422;
	} else if (mr->status == 412 || mr->status == 428) {
		pc->banner = "Someone else changed this case while you were "
		    "on this page. The case below is as it is now: check it, "
		    "then send the form again.";
		pc->status = 412;
	} else {
		pc->failed = 1;
		if (mr->status == 409 && key_conflict(j)) {
			sbuf_reset(&mr->body);
			sbuf_appends(&mr->body, "{\"error\":{\"code\":"
			    "\"conflict\",\"message\":\"This form was "
			    "already sent with other answers. Open the case "
			    "again to see what was saved.\"}}");
		}
		pages_refused(req, mr);
	}
	if (j != NULL)
		json_decref(j);
}

/* After the write: the form again needs the case (and the header). */
int
case_form_again(struct http_request *req, struct medex_req *mr)
{
	struct pc	*pc = mr->step_data;
	const char	*p[2];

	if (pc->failed || pc->redirect_to != NULL)
		return (medex_respond(req, mr, mr->status, mr->content_type,
		    mr->body.data, mr->body.len));
	pc->render = case_form_render;
	pc->ncalls = 0;
	pc_add_me(pc);
	if (pc->act != NULL) {
		p[0] = pc->id;
		p[1] = "true";
		pc_add(pc, sql_case_get, 2, p, &pc->kase, 0);
	}
	if (cpe_needed(pc->act))
		pc_add(pc, sql_page_assignees, 0, NULL, &pc->list, 0);
	return (pc_run(req, mr));
}

/* Sends the write cc; its answer is a redirect or the form again. */
int
case_form_write(struct http_request *req, struct medex_req *mr,
    struct case_call *cc)
{
	mr->on_complete = case_form_again;
	return (api_call_cb(req, mr, cc->sql, cc->n, cc->params,
	    pc_write_cb));
}
