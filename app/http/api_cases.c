/*
 * Cases (API.md "Cases").  Each handler validates its body in C into
 * two JSON objects, what is wrong (the 422 `fields`) and what to write
 * (under the database's column names), and makes one call of an
 * api_case_* function (sql/cases_read.sql, sql/cases_write.sql).  The 422 is not
 * answered here but passed down, so that the database answers 404, 403
 * and 428/412 first, as API.md orders the checks.
 *
 * Transitions take their decisions from case_state.c's table: for the
 * caller's role and the target state the handler computes, for every
 * state the case could be in, the table's answer, and the database
 * applies the one for the state it finds under the row lock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "medex.h"
#include "api.h"
#include "api_cases.h"
#include "handlers.h"
#include "case_body.h"
#include "case_state.h"
#include "case_warning.h"
#include "query.h"
#include "validate.h"

const char sql_case_create[] =
    "SELECT * FROM api_case_create($1, $2, $3, $4, $5, $6, $7, $8, "
    "$9::jsonb)";
const char sql_case_get[] =
    "SELECT * FROM api_case_get($1, $2, $3, $4, $5, $6, $7, $8::boolean)";
/* Waiting reads together (app/http/db_batch.c). */
static const char sql_case_get_batch[] =
    "SELECT * FROM api_case_get_batch($1::text[], $2::text[], $3::text[], "
    "$4::text[], $5::text[], $6::text[], $7::text[], $8::boolean[])";
const char sql_case_events[] =
    "SELECT * FROM api_case_events($1, $2, $3, $4, $5, $6, $7, "
    "$8::boolean, $9::integer, $10)";
static const char sql_case_notes[] =
    "SELECT * FROM api_case_notes($1, $2, $3, $4, $5, $6, $7, "
    "$8::boolean, $9::integer, $10)";
const char sql_case_list[] =
    "SELECT * FROM api_case_list($1, $2, $3, $4, $5, $6, $7::integer, $8, "
    "$9, $10, $11, $12::boolean, $13::boolean, $14::boolean, $15, $16, "
    "$17)";
static const char sql_case_summary[] =
    "SELECT * FROM api_case_summary($1, $2, $3, $4, $5, $6)";
static const char sql_reference[] =
    "SELECT * FROM api_reference($1, $2, $3, $4, $5, $6, $7::jsonb)";
static const char sql_case_write[] =
    "SELECT * FROM api_case_write($1, $2, $3, $4, $5, $6, $7, $8::boolean, "
    "$9, $10::integer, $11, $12, $13::jsonb, $14::jsonb)";
static const char sql_case_transition[] =
    "SELECT * FROM api_case_transition($1, $2, $3, $4, $5, $6, $7, "
    "$8::boolean, $9::integer, $10::jsonb, $11, $12::jsonb, $13::jsonb, "
    "$14, $15::boolean, $16::date)";


/* The fields of a ferrs as a JSON object text, or NULL when none. */
static char *
fields_json(struct ferrs *fe)
{
	json_t	*o;
	char	*s;
	size_t	 i;

	if (fe->n == 0)
		return (NULL);
	o = json_object();
	for (i = 0; i < fe->n; i++)
		json_object_set_new(o, fe->pairs[i][0],
		    json_string(fe->pairs[i][1]));
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return (s);
}

int
api_cases_create(struct http_request *req, struct medex_req *mr)
{
	struct ferrs	 fe;
	json_t		*j, *out;
	const char	*key, *params[3];
	char		*data, hash[65];
	int		 ret;

	if ((j = api_body(req, mr, &ret)) == NULL)
		return (ret);
	ferr_init(&fe);
	out = json_object();
	data = NULL;
	case_body_check(CASE_BODY_CREATE, j, time(NULL), &fe, out);
	case_warning_nhs_check(out, medex.allow_test_nhs_numbers, &fe);
	if (fe.n > 0) {
		ret = api_validation(req, mr, &fe);
		goto cleanup;
	}
	if (!api_idem(req, mr, j, &key, hash, &ret))
		goto cleanup;
	data = json_dumps(out, JSON_COMPACT);
	params[0] = key;
	params[1] = hash;
	params[2] = data;
	ret = api_call(req, mr, sql_case_create, 3, params);

cleanup:
	free(data);
	json_decref(out);
	json_decref(j);
	return (ret);
}

int
api_cases_get(struct http_request *req, struct medex_req *mr)
{
	const char	*params[2];

	params[0] = mr->cap.value[0];
	params[1] = api_role_ok(mr);
	mr->batch_next = sql_case_get_batch;
	return (api_call(req, mr, sql_case_get, 2, params));
}

static int
case_sublist(struct http_request *req, struct medex_req *mr,
    const char *sql)
{
	struct api_list	 l;
	const char	*params[4];
	int		 ret;

	if (!api_list_page(req, mr, &l, &ret))
		return (ret);
	params[0] = mr->cap.value[0];
	params[1] = api_role_ok(mr);
	params[2] = l.limit;
	params[3] = l.cursor;
	return (api_call(req, mr, sql, 4, params));
}

int
api_cases_events(struct http_request *req, struct medex_req *mr)
{
	return (case_sublist(req, mr, sql_case_events));
}

int
api_cases_notes_list(struct http_request *req, struct medex_req *mr)
{
	return (case_sublist(req, mr, sql_case_notes));
}

/* A true/false query parameter: 1 with *out, 0 absent, -1 bad. */
static int
query_bool(struct http_request *req, const char *name, const char **out)
{
	char	buf[8];
	int	q;

	*out = NULL;
	if ((q = query_get(req->query_string, name, buf, sizeof(buf))) ==
	    QUERY_BAD)
		return (-1);
	if (q == QUERY_ABSENT)
		return (0);
	if (strcmp(buf, "true") == 0)
		*out = "true";
	else if (strcmp(buf, "false") == 0)
		*out = "false";
	else
		return (-1);
	return (1);
}

/*
 * The parameters of api_case_list() from the query string, for the API
 * and the work queue page: NULL, or the 400's message.
 */
const char *
case_list_prepare(struct http_request *req, struct case_list_q *l)
{
	static const char *const sorts[] = { "newest", "oldest", "urgency",
	    NULL };
	static const char *const awaits[] = { "bereaved", "practitioner",
	    "mccd", "final_actions", "today", "coroner_acknowledgement", NULL };
	enum case_state	 st;
	const char	**params = l->params;
	int		 has_after, qs;

	memset(l, 0, sizeof(*l));
	if (!api_page(req, l->limit, sizeof(l->limit), l->after,
	    sizeof(l->after), &has_after))
		return ("limit must be 1-200 and cursor one given by a "
		    "previous page.");
	params[0] = l->limit;
	params[1] = has_after ? l->after : NULL;
	qs = query_get(req->query_string, "state", l->state, sizeof(l->state));
	if (qs == QUERY_BAD || (qs == QUERY_FOUND &&
	    strcmp(l->state, "open") != 0 &&
	    case_state_from_str(l->state, &st) != 0))
		return ("state must be a case state or open.");
	params[2] = qs == QUERY_FOUND ? l->state : NULL;
	qs = query_get(req->query_string, "examiner", l->examiner,
	    sizeof(l->examiner));
	if (qs == QUERY_BAD || (qs == QUERY_FOUND &&
	    !validate_username(l->examiner)))
		return ("examiner must be a username.");
	username_lower(l->examiner);
	params[3] = qs == QUERY_FOUND ? l->examiner : NULL;
	qs = query_get(req->query_string, "officer", l->officer,
	    sizeof(l->officer));
	if (qs == QUERY_BAD || (qs == QUERY_FOUND &&
	    !validate_username(l->officer)))
		return ("officer must be a username.");
	username_lower(l->officer);
	params[4] = qs == QUERY_FOUND ? l->officer : NULL;
	if (query_bool(req, "unassigned", &params[5]) < 0 ||
	    query_bool(req, "overdue", &params[6]) < 0 ||
	    query_bool(req, "priority", &params[7]) < 0)
		return ("unassigned, overdue and priority must be true or "
		    "false.");
	qs = query_get(req->query_string, "q", l->q, sizeof(l->q));
	if (qs == QUERY_BAD)
		return ("q must be at most 200 characters of text.");
	params[8] = qs == QUERY_FOUND && l->q[strspn(l->q, " ")] != '\0' ?
	    l->q : NULL;
	qs = query_get(req->query_string, "sort", l->sort, sizeof(l->sort));
	if (qs == QUERY_BAD || (qs == QUERY_FOUND &&
	    validate_enum(l->sort, sorts) < 0))
		return ("sort must be newest, oldest or urgency.");
	params[9] = qs == QUERY_FOUND ? l->sort : "newest";
	qs = query_get(req->query_string, "awaiting", l->awaiting,
	    sizeof(l->awaiting));
	if (qs == QUERY_BAD || (qs == QUERY_FOUND &&
	    validate_enum(l->awaiting, awaits) < 0))
		return ("awaiting must be bereaved, practitioner, mccd, "
		    "final_actions, today or coroner_acknowledgement.");
	params[10] = qs == QUERY_FOUND ? l->awaiting : NULL;
	return (NULL);
}

int
api_cases_list(struct http_request *req, struct medex_req *mr)
{
	struct case_list_q	 l;
	const char		*err;

	if ((err = case_list_prepare(req, &l)) != NULL)
		return (api_bad_request(req, mr, err));
	return (api_call(req, mr, sql_case_list, 11, l.params));
}

int
api_cases_summary(struct http_request *req, struct medex_req *mr)
{
	return (api_call(req, mr, sql_case_summary, 0, NULL));
}

/*
 * The one call of a case write other than a transition, for the API
 * and the pages alike: run the validator over the body and pass what
 * is wrong and what to write to api_case_write(), which answers in
 * API.md's order.
 */
void
case_write_prepare(struct case_call *cc, const char *id, const char *role_ok,
    const char *kind, enum case_body_kind body, json_t *j, long long version,
    const char *key, const char *hash)
{
	struct ferrs	 fe;
	json_t		*out;

	memset(cc, 0, sizeof(*cc));
	ferr_init(&fe);
	out = json_object();
	case_body_check(body, j, time(NULL), &fe, out);
	case_warning_nhs_check(out, medex.allow_test_nhs_numbers, &fe);
	cc->heap[0] = fields_json(&fe);
	cc->heap[1] = json_dumps(out, JSON_COMPACT);
	json_decref(out);
	snprintf(cc->ifm, sizeof(cc->ifm), "%lld", version);
	cc->sql = sql_case_write;
	cc->n = 8;
	cc->params[0] = id;
	cc->params[1] = role_ok;
	cc->params[2] = kind;
	cc->params[3] = version > 0 ? cc->ifm : NULL;
	cc->params[4] = key;
	cc->params[5] = hash;
	cc->params[6] = cc->heap[0];
	cc->params[7] = cc->heap[1];
}

void
case_call_free(struct case_call *cc)
{
	size_t	i;

	for (i = 0; i < sizeof(cc->heap) / sizeof(cc->heap[0]); i++)
		free(cc->heap[i]);
	if (cc->keep != NULL)
		json_decref(cc->keep);
	memset(cc, 0, sizeof(*cc));
}

/* "true" when the role may use the API route id (else the 404/403). */
const char *
case_role_ok(const char *role, enum route_id id)
{
	enum role	r;
	size_t		i;

	if (role_from_str(role, &r) != 0)
		return ("false");
	for (i = 0; i < route_table_count; i++) {
		if (route_table[i].id == id)
			return (role_in(route_table[i].roles, r) ? "true" :
			    "false");
	}
	return ("false");
}

/*
 * A case write whose body could not be read: the database still
 * answers 404, 403, 415, 428 and 412 first (API.md's order), then this
 * body's 413 or 400.  Nothing is written: p_invalid carries the error.
 */
static int
case_write_refused(struct http_request *req, struct medex_req *mr,
    const char *kind, enum case_body_kind body, long long version,
    const struct api_body_err *be)
{
	struct case_call	 cc;
	json_t			*empty;
	int			 ret;

	empty = json_object();
	case_write_prepare(&cc, mr->cap.value[0], api_role_ok(mr), kind, body,
	    empty, version, NULL, NULL);
	free(cc.heap[0]);
	cc.heap[0] = api_body_err_json(be);
	cc.params[6] = cc.heap[0];
	ret = api_call(req, mr, cc.sql, cc.n, cc.params);
	case_call_free(&cc);
	json_decref(empty);
	return (ret);
}

static int
case_write(struct http_request *req, struct medex_req *mr,
    const char *kind, enum case_body_kind body)
{
	struct api_body_err	 be;
	struct case_call	 cc;
	json_t			*j;
	const char		*key;
	char			 hash[65];
	long long		 version;
	int			 ret;

	if ((version = api_if_match(req)) < 0)
		return (api_bad_request(req, mr, "If-Match must be a quoted "
		    "version, e.g. \"3\"."));
	if ((j = api_body_deferred(req, &be)) == NULL)
		return (case_write_refused(req, mr, kind, body, version, &be));
	if (!api_idem(req, mr, j, &key, hash, &ret)) {
		json_decref(j);
		return (ret);
	}
	case_write_prepare(&cc, mr->cap.value[0], api_role_ok(mr), kind, body,
	    j, version, key, hash);
	ret = api_call(req, mr, cc.sql, cc.n, cc.params);
	case_call_free(&cc);
	json_decref(j);
	return (ret);
}

int
api_cases_patch(struct http_request *req, struct medex_req *mr)
{
	return (case_write(req, mr, "patch", CASE_BODY_PATCH));
}


int
api_cases_notes_add(struct http_request *req, struct medex_req *mr)
{
	return (case_write(req, mr, "note", CASE_BODY_NOTE));
}


int
api_cases_discussions(struct http_request *req, struct medex_req *mr)
{
	return (case_write(req, mr, "discussion", CASE_BODY_DISCUSSION));
}


int
api_cases_cause(struct http_request *req, struct medex_req *mr)
{
	return (case_write(req, mr, "cause_of_death", CASE_BODY_CAUSE_OF_DEATH));
}


int
api_cases_representatives(struct http_request *req, struct medex_req *mr)
{
	return (case_write(req, mr, "representative", CASE_BODY_REPRESENTATIVE));
}


int
api_cases_contacts(struct http_request *req, struct medex_req *mr)
{
	return (case_write(req, mr, "contact", CASE_BODY_CONTACT));
}


int
api_cases_exhausted(struct http_request *req, struct medex_req *mr)
{
	return (case_write(req, mr, "exhausted", CASE_BODY_EXHAUSTED));
}


int
api_cases_coroner_referral(struct http_request *req, struct medex_req *mr)
{
	return (case_write(req, mr, "coroner_referral", CASE_BODY_CORONER_REFERRAL));
}


int
api_cases_coroner_decision(struct http_request *req, struct medex_req *mr)
{
	return (case_write(req, mr, "coroner_decision", CASE_BODY_CORONER_DECISION));
}


/* Issue 23: sending the referral and the coroner's acknowledgement. */
int
api_cases_referral_sent(struct http_request *req, struct medex_req *mr)
{
	return (case_write(req, mr, "referral_sent", CASE_BODY_REFERRAL_SENT));
}


int
api_cases_referral_ack(struct http_request *req, struct medex_req *mr)
{
	return (case_write(req, mr, "referral_ack", CASE_BODY_REFERRAL_ACK));
}


int
api_cases_governance(struct http_request *req, struct medex_req *mr)
{
	return (case_write(req, mr, "governance", CASE_BODY_GOVERNANCE));
}


int
api_cases_final_actions(struct http_request *req, struct medex_req *mr)
{
	return (case_write(req, mr, "final_actions", CASE_BODY_FINAL_ACTIONS));
}


int
api_cases_assignment(struct http_request *req, struct medex_req *mr)
{
	return (case_write(req, mr, "assignment", CASE_BODY_ASSIGNMENT));
}


int
api_cases_urgent_release(struct http_request *req, struct medex_req *mr)
{
	return (case_write(req, mr, "urgent_release", CASE_BODY_URGENT_RELEASE));
}

/* The SQL names of the guards, for api_case_transition()'s facts. */
static const struct {
	unsigned int	 bit;
	const char	*name;
} guard_names[] = {
	{ GUARD_INDEPENDENT, "independent" },
	{ GUARD_REFERRAL_CATEGORIES, "referral_categories" },
	{ GUARD_REASON, "reason" },
	{ GUARD_CORONER_NOT_INVESTIGATING, "coroner_not_investigating" },
	{ GUARD_CORONER_INVESTIGATING, "coroner_investigating" },
	{ GUARD_RECORD_REVIEW, "record_review" },
	{ GUARD_AP_DISCUSSION, "ap_discussion" },
	{ GUARD_CAUSE_AGREED, "cause_agreed" },
	{ GUARD_BEREAVED, "bereaved" },
	{ GUARD_NO_OPEN_REFERRAL, "no_open_referral" },
	{ GUARD_MCCD_DATE, "mccd_date" },
	{ GUARD_CONCERNS_DECIDED, "concerns_decided" },
	{ GUARD_FINAL_ACTIONS, "final_actions" },
	{ GUARD_EXAMINER_DECLARED, "examiner_declared" },
};

/*
 * The table's answer for (every state, to, role) and the guards'
 * phrases, as case_state.c words them, for api_case_transition().
 */
static void
transition_rules(enum case_state to, int to_known, enum role role,
    json_t *rules, json_t *msgs)
{
	static const char *const decisions[] = { "none", "investigating",
	    "not_investigating" };
	const struct case_transition	*row;
	struct case_transition		 one;
	struct case_facts		 f;
	struct guard_failure		 gf[CASE_GUARDS_MAX];
	enum transition_result		 tr;
	json_t				*r, *g;
	size_t				 i, d, pos;
	int				 any, s;
	char				 key[64];

	/* Can this role make any transition at all? */
	any = 0;
	for (s = 0; s < CASE_STATE_COUNT; s++) {
		pos = 0;
		if (case_transitions_for((enum case_state)s, role, &pos) !=
		    NULL)
			any = 1;
	}
	for (s = 0; s < CASE_STATE_COUNT; s++) {
		r = json_object();
		g = json_array();
		row = NULL;
		if (!to_known)
			tr = any ? TRANSITION_INVALID : TRANSITION_FORBIDDEN;
		else {
			tr = case_transition_check((enum case_state)s, to, role);
			row = case_transition_find((enum case_state)s, to);
		}
		json_object_set_new(r, "d", json_string(
		    tr == TRANSITION_OK ? "o" :
		    tr == TRANSITION_FORBIDDEN ? "f" : "i"));
		for (i = 0; row != NULL &&
		    i < sizeof(guard_names) / sizeof(guard_names[0]); i++) {
			if (row->guards & guard_names[i].bit)
				json_array_append_new(g,
				    json_string(guard_names[i].name));
		}
		json_object_set_new(r, "g", g);
		json_object_set_new(r, "x", json_boolean(row != NULL &&
		    (row->guards & GUARD_EXAMINER)));
		json_object_set_new(rules,
		    case_state_str((enum case_state)s), r);
	}

	/* Each guard failing alone, for every coroner decision. */
	for (i = 0; i < sizeof(guard_names) / sizeof(guard_names[0]); i++) {
		for (d = 0; d < 3; d++) {
			memset(&f, 0, sizeof(f));
			f.open_coroner_referral = 1;
			f.open_concerns_without_decision = 1;
			f.coroner_decision = (enum coroner_decision)d;
			one.from = CASE_NOTIFIED;
			one.to = CASE_NOTIFIED;
			one.roles = 0;
			one.guards = guard_names[i].bit;
			if (case_guards_check(&one, &f, gf, CASE_GUARDS_MAX) !=
			    1)
				continue;
			if (guard_names[i].bit &
			    (GUARD_CORONER_INVESTIGATING |
			    GUARD_CORONER_NOT_INVESTIGATING))
				snprintf(key, sizeof(key), "%s/%s",
				    guard_names[i].name, decisions[d]);
			else if (d == 0)
				snprintf(key, sizeof(key), "%s",
				    guard_names[i].name);
			else
				continue;
			json_object_set_new(msgs, key, json_pack("[ss]",
			    gf[0].field, gf[0].message));
		}
	}
}

/*
 * The one call of a transition, for the API and the pages: the body's
 * checks, the table's answers for the role and api_case_transition().
 */
void
case_transition_prepare(struct case_call *cc, const char *id,
    const char *role_ok, const char *role_s, json_t *j, long long version)
{
	struct ferrs	 fe;
	enum case_state	 to;
	enum role	 role;
	json_t		*out, *rules, *msgs, *x;
	const char	*s;
	int		 to_known;

	memset(cc, 0, sizeof(*cc));
	ferr_init(&fe);
	out = json_object();
	case_body_check(CASE_BODY_TRANSITION, j, time(NULL), &fe, out);
	to = CASE_NOTIFIED;
	x = json_object_get(out, "to");
	to_known = x != NULL && case_state_from_str(json_string_value(x),
	    &to) == 0;
	x = json_object_get(j, "to");
	s = x != NULL && json_is_string(x) ? json_string_value(x) : NULL;

	rules = json_object();
	msgs = json_object();
	if (role_from_str(role_s, &role) != 0)
		role = ROLE_ADMIN;
	transition_rules(to, to_known, role, rules, msgs);
	cc->heap[0] = fields_json(&fe);
	cc->heap[1] = json_dumps(rules, JSON_COMPACT);
	cc->heap[2] = json_dumps(msgs, JSON_COMPACT);
	cc->heap[3] = s != NULL ? strdup(s) : NULL;
	json_decref(rules);
	json_decref(msgs);
	snprintf(cc->ifm, sizeof(cc->ifm), "%lld", version);

	cc->sql = sql_case_transition;
	cc->n = 10;
	cc->keep = out;
	cc->params[0] = id;
	cc->params[1] = role_ok;
	cc->params[2] = version > 0 ? cc->ifm : NULL;
	cc->params[3] = cc->heap[0];
	cc->params[4] = to_known ? case_state_str(to) : cc->heap[3];
	cc->params[5] = cc->heap[1];
	cc->params[6] = cc->heap[2];
	x = json_object_get(out, "reason");
	cc->params[7] = x != NULL && json_is_string(x) ?
	    json_string_value(x) : NULL;
	x = json_object_get(out, "independent");
	cc->params[8] = x == NULL || json_is_null(x) ? NULL :
	    (json_is_true(x) ? "true" : "false");
	x = json_object_get(out, "mccd_issued_on");
	cc->params[9] = fe.n == 0 && x != NULL && json_is_string(x) ?
	    json_string_value(x) : NULL;
}

int
api_cases_transition(struct http_request *req, struct medex_req *mr)
{
	struct api_body_err	 be;
	struct case_call	 cc;
	json_t			*j;
	long long		 version;
	int			 ret;

	if ((version = api_if_match(req)) < 0)
		return (api_bad_request(req, mr, "If-Match must be a quoted "
		    "version, e.g. \"3\"."));
	/* As case_write_refused(): the body's refusal after 428/412. */
	if ((j = api_body_deferred(req, &be)) == NULL) {
		j = json_object();
		case_transition_prepare(&cc, mr->cap.value[0],
		    api_role_ok(mr), mr->claims.role, j, version);
		free(cc.heap[0]);
		cc.heap[0] = api_body_err_json(&be);
		cc.params[3] = cc.heap[0];
	} else
		case_transition_prepare(&cc, mr->cap.value[0],
		    api_role_ok(mr), mr->claims.role, j, version);
	ret = api_call(req, mr, cc.sql, cc.n, cc.params);
	case_call_free(&cc);
	json_decref(j);
	return (ret);
}

/* Code lists as [{"code","label"}]; labels are the codes made readable. */
static json_t *
code_list(const char *const *codes)
{
	json_t	*a;
	char	 label[80];
	size_t	 i, k;

	a = json_array();
	for (i = 0; codes[i] != NULL; i++) {
		snprintf(label, sizeof(label), "%s", codes[i]);
		for (k = 0; label[k] != '\0'; k++) {
			if (label[k] == '_')
				label[k] = ' ';
		}
		if (label[0] >= 'a' && label[0] <= 'z')
			label[0] = (char)(label[0] - 'a' + 'A');
		json_array_append_new(a, json_pack("{ss ss}", "code", codes[i],
		    "label", label));
	}
	return (a);
}

int
api_reference(struct http_request *req, struct medex_req *mr)
{
	json_t		*o, *a, *roles;
	const char	*params[1];
	char		*body;
	size_t		 i;
	int		 r, s;

	o = json_object();
	a = json_array();
	for (s = 0; s < CASE_STATE_COUNT; s++)
		json_array_append_new(a, json_pack("{ss ss}", "code",
		    case_state_str((enum case_state)s), "label",
		    case_state_label((enum case_state)s)));
	json_object_set_new(o, "states", a);
	a = json_array();
	for (i = 0; i < case_transitions_count; i++) {
		roles = json_array();
		for (r = 0; r < ROLE_COUNT; r++) {
			if (role_in(case_transitions[i].roles, (enum role)r))
				json_array_append_new(roles,
				    json_string(role_str((enum role)r)));
		}
		json_array_append_new(a, json_pack("{ss ss so}", "from",
		    case_state_str(case_transitions[i].from), "to",
		    case_state_str(case_transitions[i].to), "roles", roles));
	}
	json_object_set_new(o, "transitions", a);
	json_object_set_new(o, "sex", code_list(case_sex_codes));
	json_object_set_new(o, "ethnicity", code_list(case_ethnicity_codes));
	json_object_set_new(o, "place_of_death", code_list(case_place_codes));
	json_object_set_new(o, "referral_categories",
	    code_list(case_referral_categories));
	json_object_set_new(o, "governance_kinds", code_list(case_governance_kinds));
	json_object_set_new(o, "contact_methods", code_list(case_contact_methods));
	json_object_set_new(o, "contact_outcomes", code_list(case_contact_outcomes));
	json_object_set_new(o, "exhausted_reasons",
	    code_list(case_exhausted_reasons));
	json_object_set_new(o, "note_kinds", code_list(case_note_kinds));
	json_object_set_new(o, "coroner_decisions",
	    code_list(case_coroner_decisions));
	json_object_set_new(o, "urgent_release_reasons",
	    code_list(case_urgent_reasons));
	json_object_set_new(o, "disposals", code_list(case_disposals));
	json_object_set_new(o, "implants", code_list(case_implants));
	json_object_set_new(o, "gp_notified", code_list(case_gp_notified));
	json_object_set_new(o, "warning_codes", code_list(case_warning_codes));
	a = json_array();
	for (r = 0; r < ROLE_COUNT; r++)
		json_array_append_new(a, json_pack("{ss ss}", "code",
		    role_str((enum role)r), "label", role_label((enum role)r)));
	json_object_set_new(o, "roles", a);
	body = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	params[0] = body;
	r = api_call(req, mr, sql_reference, 1, params);
	free(body);
	return (r);
}
