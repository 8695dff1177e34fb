/*
 * GET /cases/{id}/{action}   the form of an action on a case (the
 *                            table of actions is case_fields.c's;
 *                            /cases/{id}/transition?to=STATE for a
 *                            change of state)
 * POST /cases/{id}/{action}  its write: the API route's call, from the
 *                            form, behind the form's key
 * and which actions the case page offers (act_offered).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "medex.h"
#include "api.h"
#include "api_cases.h"
#include "case_actions.h"
#include "case_bereaved.h"
#include "case_fields.h"
#include "case_form.h"
#include "case_parts.h"
#include "case_people.h"
#include "case_state.h"
#include "form_parse.h"
#include "handlers.h"
#include "page_call.h"
#include "page_frame.h"
#include "query.h"
#include "respond.h"

/* The API's writes behind the form's key (sql/pages.sql). */
static const char sql_page_case_write[] =
    "SELECT * FROM api_page_case_write($1, $2, $3, $4, $5, $6, $7, "
    "$8::boolean, $9, $10::integer, $11, $12, $13::jsonb, $14::jsonb)";
static const char sql_page_case_transition[] =
    "SELECT * FROM api_page_case_transition($1, $2, $3, $4, $5, $6, $7, "
    "$8::boolean, $9::integer, $10::jsonb, $11, $12::jsonb, $13::jsonb, "
    "$14, $15::boolean, $16::date, $17, $18)";

/* Days from date of birth to date of death, or -1. */
static long
age_days(json_t *k)
{
	struct tm	a, b;
	const char	*dob, *dod;

	dob = cp_str(k, "date_of_birth");
	dod = cp_str(k, "date_of_death");
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	if (dob == NULL || dod == NULL ||
	    sscanf(dob, "%d-%d-%d", &a.tm_year, &a.tm_mon, &a.tm_mday) != 3 ||
	    sscanf(dod, "%d-%d-%d", &b.tm_year, &b.tm_mon, &b.tm_mday) != 3)
		return (-1);
	a.tm_year -= 1900;
	b.tm_year -= 1900;
	a.tm_mon--;
	b.tm_mon--;
	return ((long)((timegm(&b) - timegm(&a)) / 86400));
}

/*
 * May this user be offered this action on this case now?  The role
 * from the route table (and, for ME-only records, case_state.h's
 * examiner rule), the state from the table of transitions: an action
 * is offered in the states from which its work leads somewhere.
 */
int
act_offered(struct medex_req *mr, const struct act *a, json_t *k)
{
	enum case_state	 st;
	enum role	 role;
	json_t		*cr;
	long		 days;

	role = pc_role(mr);
	if (!role_may(mr, a->api) || !role_in(a->roles, role))
		return (0);
	if (case_state_from_str(cp_str(k, "state"), &st) != 0 ||
	    case_state_is_final(st))
		return (0);
	if (a->fields == NULL)
		return (0);
	cr = json_object_get(k, "coroner_referral");
	days = age_days(k);
	if (strcmp(a->slug, "cause-of-death") == 0 && days >= 0 && days < 28)
		return (0);
	if (strcmp(a->slug, "cause-of-death-neonatal") == 0 &&
	    !(days >= 0 && days < 28))
		return (0);
	if (strcmp(a->slug, "coroner-referral") == 0)
		return ((st == CASE_NOTIFIED || st == CASE_IN_SCRUTINY ||
		    st == CASE_AWAITING_MCCD) && (json_is_null(cr) ||
		    cr == NULL || cp_str(cr, "decision") != NULL));
	if (strcmp(a->slug, "coroner-decision") == 0)
		return (cr != NULL && !json_is_null(cr) &&
		    cp_str(cr, "decision") == NULL);
	/* Issue 23: the open referral is sent, then acknowledged. */
	if (strcmp(a->slug, "referral-sent") == 0)
		return (cr != NULL && !json_is_null(cr) &&
		    cp_str(cr, "decision") == NULL &&
		    cp_str(cr, "sent_at") == NULL);
	if (strcmp(a->slug, "referral-ack") == 0)
		return (cr != NULL && !json_is_null(cr) &&
		    cp_str(cr, "decision") == NULL &&
		    cp_str(cr, "sent_at") != NULL &&
		    cp_str(cr, "acknowledged_at") == NULL);
	if (strcmp(a->slug, "final-actions") == 0)
		return (st == CASE_MCCD_ISSUED);
	if (strcmp(a->slug, "urgent-release") == 0 ||
	    strcmp(a->slug, "representative") == 0 ||
	    strcmp(a->slug, "assignment") == 0 ||
	    strcmp(a->slug, "assign-officer") == 0 ||
	    strcmp(a->slug, "note") == 0)
		return (1);
	/* LeDeR is told of a death of a person with a learning
	 * disability or autism: offered until the day is recorded. */
	if (strcmp(a->slug, "leder") == 0)
		return (json_is_true(json_object_get(k,
		    "learning_disability_or_autism")) &&
		    cp_str(k, "leder_notified_at") == NULL);
	/* The details are changed from the case page's "Change" links. */
	if (strcmp(a->slug, "details") == 0)
		return (0);
	if (strcmp(a->slug, "contact") == 0 ||
	    strcmp(a->slug, "contact-exhausted") == 0)
		return (st == CASE_NOTIFIED || st == CASE_IN_SCRUTINY);
	if (strcmp(a->slug, "governance") == 0)
		return (st == CASE_IN_SCRUTINY || st == CASE_AWAITING_MCCD ||
		    st == CASE_MCCD_ISSUED);
	/* record review, discussion, cause of death: scrutiny's work. */
	if (st != CASE_IN_SCRUTINY)
		return (0);
	if (role != ROLE_LEAD_MEDICAL_EXAMINER && (cp_str(k, "examiner") ==
	    NULL || strcmp(cp_str(k, "examiner"), mr->claims.sub) != 0))
		return (0);
	return (1);
}

/* GET /cases/{id}/{action} */
int
pages_case_form(struct http_request *req, struct medex_req *mr)
{
	struct pc	*pc;
	const char	*p[2];
	enum case_state	 st;

	pc = pc_new(mr);
	if ((pc->act = act_of_route(mr->route)) == NULL)
		return (pages_error(req, mr, 404, NULL));
	/* A transition names its target; without one, the case's list. */
	if (pc->act->fields == NULL && strcmp(api_role_ok(mr), "true") == 0 &&
	    (query_get(req->query_string, "to", pc->to, sizeof(pc->to)) !=
	    QUERY_FOUND || case_state_from_str(pc->to, &st) != 0)) {
		snprintf(pc->location, sizeof(pc->location), "/cases/%s",
		    pc->id);
		pages_redirect(req, mr, pc->location);
		return (medex_respond(req, mr, mr->status, mr->content_type,
		    mr->body.data, mr->body.len));
	}
	/* The governance form of the contact that raised the concern. */
	if (query_get(req->query_string, "contact", pc->contact,
	    sizeof(pc->contact)) != QUERY_FOUND || !pf_digits(pc->contact))
		pc->contact[0] = '\0';
	pc->render = case_form_render;
	pc_add_me(pc);
	p[0] = pc->id;
	p[1] = api_role_ok(mr);
	pc_add(pc, sql_case_get, 2, p, &pc->kase, 0);
	if (cpe_needed(pc->act))
		pc_add(pc, sql_page_assignees, 0, NULL, &pc->list, 0);
	return (pc_run(req, mr));
}

/* POST /cases/{id}/{action}: the API route's call, from the form. */
int
pages_case_action(struct http_request *req, struct medex_req *mr)
{
	struct pc		*pc;
	struct case_call	 cc;
	const struct fspec	*sets[4];
	json_t			*j;
	const char		*v, *role_ok, *key;
	char			 hash[65];
	long long		 version;
	size_t			 n, i;
	int			 ret;

	pc = pc_new(mr);
	if ((pc->act = act_of_route(mr->route)) == NULL)
		return (pages_error(req, mr, 404, NULL));
	if (!pf_key(mr, &key))
		return (pages_error(req, mr, 400, KEY_BAD_MSG));
	version = 0;
	if ((v = pf_val(mr, "version")) != NULL && pf_digits(v) &&
	    strlen(v) < 10)
		version = atoll(v);
	role_ok = api_role_ok(mr);
	j = json_object();
	if (pc->act->fields == NULL) {
		if ((v = pf_val(mr, "to")) != NULL)
			kore_strlcpy(pc->to, v, sizeof(pc->to));
		json_object_set_new(j, "to", json_string(pc->to));
		/* Every input a transition may take; the checks pick. */
		sets[0] = fields_tr_independent;
		sets[1] = fields_tr_reason;
		sets[2] = fields_tr_mccd;
		n = 3;
		for (i = 0; i < n; i++)
			pf_to_json(mr, sets[i], j);
		if (json_is_false(json_object_get(j, "independent")))
			json_object_del(j, "independent");
		case_form_hash(req, j, version, hash);
		case_transition_prepare(&cc, pc->id, role_ok, mr->claims.role,
		    j, version);
		cc.sql = sql_page_case_transition;
		cc.params[cc.n++] = key;
		cc.params[cc.n++] = key != NULL ? hash : NULL;
	} else {
		pf_to_json(mr, pc->act->fields, j);
		cbe_to_json(mr, pc->act, j);
		case_form_hash(req, j, pc->act->put ? version : 0, hash);
		case_write_prepare(&cc, pc->id, role_ok, pc->act->kind,
		    pc->act->body, j, pc->act->put ? version : 0, key,
		    key != NULL ? hash : NULL);
		cc.sql = sql_page_case_write;
	}
	ret = case_form_write(req, mr, &cc);
	case_call_free(&cc);
	json_decref(j);
	return (ret);
}
