/*
 * POST /api/v1/me/password {"current_password","new_password"}: any
 * signed-in user changes their own password (API.md "Authentication").
 *
 * Three steps, like login (api_auth.c): password_change_begin checks
 * the session and gives the user's hash; a Kore task verifies the
 * current password against it and, only if right, hashes the new one
 * (argon2id is slow on purpose: never on the worker, and never before
 * the session is known to be good); api_password_change then sets the
 * hash and ends the user's other sessions (sql/auth.sql).
 */
#include <string.h>

#include <jansson.h>

#include "medex.h"
#include "api.h"
#include "api_password.h"
#include "handlers.h"
#include "password.h"
#include "respond.h"

static const char sql_begin[] =
    "SELECT * FROM password_change_begin($1, $2, $3, $4, $5, $6)";
static const char sql_change[] =
    "SELECT * FROM api_password_change($1, $2, $3, $4, $5, $6, "
    "$7::boolean, $8)";

struct pwchange {
	struct kore_task	task;		/* first: the task entry casts */
	int			task_started;
	char			current[PASSWORD_MAX_BYTES + 1];
	char			next[PASSWORD_MAX_BYTES + 1];
	char			old_hash[PASSWORD_ENCODED_MAX];
	char			new_hash[PASSWORD_ENCODED_MAX];
	int			go_on;
	int			ok;
	int			hashed;
	api_after_cb		done;
};

static void
pwchange_free(void *arg)
{
	struct pwchange	*p = arg;

	if (p->task_started)
		kore_task_destroy(&p->task);
	explicit_bzero(p, sizeof(*p));
	kore_free(p);
}

/* In a task thread: nothing here may touch Kore's request or pools. */
static int
pwchange_task(struct kore_task *t)
{
	struct pwchange	*p = (struct pwchange *)t;

	p->ok = p->old_hash[0] != '\0' &&
	    password_verify(p->old_hash, p->current);
	if (p->ok)
		p->hashed = password_hash(p->next, p->new_hash,
		    sizeof(p->new_hash));
	explicit_bzero(p->current, sizeof(p->current));
	explicit_bzero(p->next, sizeof(p->next));
	return (KORE_RESULT_OK);
}

/* password_change_begin's row: go on (status 0), or the answer. */
static void
pwchange_begin_cb(struct http_request *req, struct medex_req *mr,
    struct kore_pgsql *sql)
{
	struct pwchange	*p = mr->step_data;

	if (kore_pgsql_ntuples(sql) != 1 || kore_pgsql_nfields(sql) < 5)
		return;
	if (strcmp(kore_pgsql_getvalue(sql, 0, 0), "0") != 0) {
		api_result_cb(req, mr, sql);
		return;
	}
	p->go_on = 1;
	kore_strlcpy(p->old_hash, kore_pgsql_getvalue(sql, 0, 4),
	    sizeof(p->old_hash));
}

static void
pwchange_done_cb(struct http_request *req, struct medex_req *mr)
{
	struct pwchange	*p = mr->step_data;

	if (p->done != NULL)
		p->done(req, mr);
}

static int
pwchange_resume(struct http_request *req, struct medex_req *mr)
{
	struct pwchange	*p = mr->step_data;
	const char	*params[2];

	if (kore_task_state(&p->task) != KORE_TASK_STATE_FINISHED)
		return (KORE_RESULT_RETRY);
	if (p->ok && !p->hashed)
		return (api_error(req, mr, 500, "internal_error",
		    "The password could not be hashed."));
	params[0] = p->ok ? "true" : "false";
	params[1] = p->ok ? p->new_hash : NULL;
	mr->on_api_result = pwchange_done_cb;
	return (api_call(req, mr, sql_change, 2, params));
}

static int
pwchange_checked(struct http_request *req, struct medex_req *mr)
{
	struct pwchange	*p = mr->step_data;

	if (!p->go_on) {
		if (mr->status == 0)
			return (api_error(req, mr, 500, "internal_error",
			    "No answer was built."));
		return (medex_respond(req, mr, mr->status, mr->content_type,
		    mr->body.data, mr->body.len));
	}
	kore_task_create(&p->task, pwchange_task);
	kore_task_bind_request(&p->task, req);
	p->task_started = 1;
	mr->step_task = &p->task;
	mr->resume = pwchange_resume;
	kore_task_run(&p->task);
	return (KORE_RESULT_RETRY);
}

int
password_change_start(struct http_request *req, struct medex_req *mr,
    const char *current, const char *next, api_after_cb done)
{
	struct pwchange	*p;

	p = kore_calloc(1, sizeof(*p));
	mr->step_data = p;
	mr->step_free = pwchange_free;
	p->done = done;
	mr->on_api_result = done;
	if (strlen(current) <= PASSWORD_MAX_BYTES)
		kore_strlcpy(p->current, current, sizeof(p->current));
	kore_strlcpy(p->next, next, sizeof(p->next));
	mr->on_complete = pwchange_checked;
	return (api_call_cb(req, mr, sql_begin, 0, NULL, pwchange_begin_cb));
}

int
api_me_password(struct http_request *req, struct medex_req *mr)
{
	static const char *const allowed[] = { "current_password",
	    "new_password", NULL };
	struct ferrs	 fe;
	json_t		*j;
	const char	*cur, *next, *why;
	int		 ret;

	if ((j = api_body(req, mr, &ret)) == NULL)
		return (ret);
	ferr_init(&fe);
	reqbody_unknown(j, allowed, NULL, &fe);
	cur = reqbody_string(j, "current_password", REQ_REQUIRED, &fe);
	next = reqbody_string(j, "new_password", REQ_REQUIRED, &fe);
	if (next != NULL && (why = password_policy_check_len(next,
	    json_string_length(json_object_get(j, "new_password")))) != NULL)
		ferr_add(&fe, "new_password", why);
	/* A one-time password must be replaced, not kept (auth_check). */
	else if (next != NULL && cur != NULL && strcmp(next, cur) == 0)
		ferr_add(&fe, "new_password", "must differ from the current "
		    "password");
	if (fe.n > 0) {
		ret = api_validation(req, mr, &fe);
		json_decref(j);
		return (ret);
	}
	ret = password_change_start(req, mr, cur, next, NULL);
	json_decref(j);
	return (ret);
}
