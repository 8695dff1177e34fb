/*
 * POST /api/v1/auth/login, logout, refresh; GET /api/v1/me and the JWKS.
 *
 * Login takes two statements around a Kore task: login_begin (throttle
 * check and the user's hash), the argon2id check in a task thread (so a
 * 64 MiB hash never stalls other requests on this worker), then
 * login_finish (session row or failure row, and the audit).  The sign-in
 * page (pages/account.c) runs the same steps through auth_login_start() and only
 * answers differently.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "medex.h"
#include "api.h"
#include "api_auth.h"
#include "auth.h"
#include "cookie.h"
#include "db_async.h"
#include "handlers.h"
#include "respond.h"
#include "json_writer.h"
#include "password.h"
#include "validate.h"

static const char sql_login_begin[] =
    "SELECT retry_after, user_id, password_hash, role, office "
    "FROM login_begin($1, $2)";
static const char sql_login_finish[] =
    "SELECT * FROM login_finish($1, $2, $3, $4::boolean, $5, $6, "
    "$7::bigint, $8, $9::integer)";
static const char sql_me[] = "SELECT * FROM api_me($1, $2, $3, $4, $5, $6)";
static const char sql_logout[] =
    "SELECT * FROM api_logout($1, $2, $3, $4, $5, $6)";
static const char sql_refresh[] =
    "SELECT * FROM api_refresh($1, $2, $3, $4, $5, $6, $7, $8, "
    "$9::bigint, $10, $11::integer)";

struct login {
	struct kore_task	task;		/* first: the task entry casts */
	int			task_started;
	char			username[65];
	char			password[PASSWORD_MAX_BYTES + 1];
	char			hash[PASSWORD_ENCODED_MAX];
	char			user_id[24];
	char			role[32];
	char			office[17];
	int			retry_after;
	int			ok;
	char			*token;
	struct token_claims	claims;
	char			csrf[65];
	api_after_cb		done;		/* the caller's, or NULL */
};

static void
login_free(void *arg)
{
	struct login	*l = arg;

	if (l->task_started)
		kore_task_destroy(&l->task);
	if (l->token != NULL) {
		explicit_bzero(l->token, strlen(l->token));
		free(l->token);
	}
	explicit_bzero(l, sizeof(*l));
	kore_free(l);
}

/* In a task thread: nothing here may touch Kore's request or pools. */
static int
login_task(struct kore_task *t)
{
	struct login	*l = (struct login *)t;

	if (l->hash[0] != '\0')
		l->ok = password_verify(l->hash, l->password);
	else
		password_dummy_verify(l->password);
	explicit_bzero(l->password, sizeof(l->password));
	return (KORE_RESULT_OK);
}

static void
login_begin_cb(struct http_request *req, struct medex_req *mr,
    struct kore_pgsql *sql)
{
	struct login	*l = mr->step_data;

	(void)req;
	if (kore_pgsql_ntuples(sql) != 1)
		return;
	l->retry_after = atoi(kore_pgsql_getvalue(sql, 0, 0));
	kore_strlcpy(l->user_id, kore_pgsql_getvalue(sql, 0, 1),
	    sizeof(l->user_id));
	kore_strlcpy(l->hash, kore_pgsql_getvalue(sql, 0, 2),
	    sizeof(l->hash));
	kore_strlcpy(l->role, kore_pgsql_getvalue(sql, 0, 3),
	    sizeof(l->role));
	kore_strlcpy(l->office, kore_pgsql_getvalue(sql, 0, 4),
	    sizeof(l->office));
	/* No such user: verify against the dummy, in the same time. */
	if (l->user_id[0] == '\0')
		l->hash[0] = '\0';
}

static void
login_finish_cb(struct http_request *req, struct medex_req *mr)
{
	struct login	*l = mr->step_data;

	if (mr->status == 200)
		cookie_set(req, l->token, medex.token_lifetime);
	if (l->done != NULL)
		l->done(req, mr);
}

static int
login_finish(struct http_request *req, struct medex_req *mr)
{
	struct login	*l = mr->step_data;
	const char	*params[9];
	char		 expires[24], lifetime[16];
	time_t		 now;

	now = time(NULL);
	if (l->ok) {
		memset(&l->claims, 0, sizeof(l->claims));
		kore_strlcpy(l->claims.sub, l->username, sizeof(l->claims.sub));
		kore_strlcpy(l->claims.role, l->role, sizeof(l->claims.role));
		kore_strlcpy(l->claims.office, l->office,
		    sizeof(l->claims.office));
		token_random_hex(l->claims.jti, 16);
		l->claims.iat = now;
		l->claims.nbf = now;
		l->claims.exp = now + medex.token_lifetime;
		if (!token_issue(medex_ring, medex.issuer, "medex",
		    &l->claims, &l->token) ||
		    !token_csrf_hex(l->token, l->csrf))
			return (api_error(req, mr, 500, "internal_error",
			    "The token could not be made."));
	}
	snprintf(expires, sizeof(expires), "%lld", (long long)l->claims.exp);
	snprintf(lifetime, sizeof(lifetime), "%lld", medex.token_lifetime);
	params[0] = l->username;
	params[1] = mr->address;
	params[2] = l->user_id[0] != '\0' ? l->user_id : NULL;
	params[3] = l->ok ? "true" : "false";
	params[4] = l->ok ? l->claims.jti : NULL;
	params[5] = l->ok ? l->csrf : NULL;
	params[6] = l->ok ? expires : NULL;
	params[7] = l->ok ? l->token : NULL;
	params[8] = lifetime;
	mr->on_api_result = login_finish_cb;
	return (db_call(req, mr, sql_login_finish, 9, params, api_result_cb));
}

static int
login_task_resume(struct http_request *req, struct medex_req *mr)
{
	struct login	*l = mr->step_data;

	if (kore_task_state(&l->task) != KORE_TASK_STATE_FINISHED)
		return (KORE_RESULT_RETRY);
	return (login_finish(req, mr));
}

static int
login_checked(struct http_request *req, struct medex_req *mr)
{
	struct login	*l = mr->step_data;
	char		 secs[16];

	if (l->retry_after > 0) {
		snprintf(secs, sizeof(secs), "%d", l->retry_after);
		http_response_header(req, "retry-after", secs);
		if (l->done != NULL) {
			mr->status = 429;
			l->done(req, mr);
			return (medex_respond(req, mr, mr->status,
			    mr->content_type, mr->body.data, mr->body.len));
		}
		return (api_error(req, mr, 429, "too_many_attempts",
		    "Too many failed sign-ins; wait before trying again."));
	}
	kore_task_create(&l->task, login_task);
	kore_task_bind_request(&l->task, req);
	l->task_started = 1;
	mr->step_task = &l->task;
	mr->resume = login_task_resume;
	kore_task_run(&l->task);
	return (KORE_RESULT_RETRY);
}

/*
 * Signs in with a username and password: throttle check, argon2id in a
 * task, session.  The answer is login_finish's api_result (200 with the
 * token and the cookie set, 401, or 429), which done (NULL for the
 * API's JSON) may turn into another before it is sent.
 */
int
auth_login_start(struct http_request *req, struct medex_req *mr,
    const char *u, const char *p, api_after_cb done)
{
	struct login	*l;
	const char	*params[2];

	l = kore_calloc(1, sizeof(*l));
	mr->step_data = l;
	mr->step_free = login_free;
	l->done = done;
	/*
	 * A username that cannot exist, or an overlong password, still
	 * goes through the same steps and fails the same way.
	 */
	kore_strlcpy(l->username, validate_username(u) ? u : "-invalid-",
	    sizeof(l->username));
	username_lower(l->username);
	if (strlen(p) <= PASSWORD_MAX_BYTES)
		kore_strlcpy(l->password, p, sizeof(l->password));

	params[0] = l->username;
	params[1] = mr->address;
	mr->on_complete = login_checked;
	return (db_call(req, mr, sql_login_begin, 2, params, login_begin_cb));
}

int
api_auth_login(struct http_request *req, struct medex_req *mr)
{
	static const char *const allowed[] = { "username", "password", NULL };
	struct ferrs	 fe;
	json_t		*j;
	const char	*u, *p;
	int		 ret;

	if ((j = api_body(req, mr, &ret)) == NULL)
		return (ret);
	ferr_init(&fe);
	reqbody_unknown(j, allowed, NULL, &fe);
	u = reqbody_string(j, "username", REQ_REQUIRED, &fe);
	p = reqbody_string(j, "password", REQ_REQUIRED, &fe);
	if (fe.n > 0) {
		ret = api_validation(req, mr, &fe);
		json_decref(j);
		return (ret);
	}
	ret = auth_login_start(req, mr, u, p, NULL);
	json_decref(j);
	return (ret);
}

static void
logout_cb(struct http_request *req, struct medex_req *mr)
{
	if (mr->status == 204 && mr->from_cookie)
		cookie_set(req, "", 0);
}

int
api_auth_logout(struct http_request *req, struct medex_req *mr)
{
	mr->on_api_result = logout_cb;
	return (api_call(req, mr, sql_logout, 0, NULL));
}

int
api_auth_me(struct http_request *req, struct medex_req *mr)
{
	return (api_call(req, mr, sql_me, 0, NULL));
}

static void
refresh_cb(struct http_request *req, struct medex_req *mr)
{
	struct login	*l = mr->step_data;

	if (mr->status == 200)
		cookie_set(req, l->token, medex.token_lifetime);
}

int
api_auth_refresh(struct http_request *req, struct medex_req *mr)
{
	struct login	*l;
	const char	*params[5];
	char		 expires[24], lifetime[16];
	time_t		 now;

	l = kore_calloc(1, sizeof(*l));
	mr->step_data = l;
	mr->step_free = login_free;
	now = time(NULL);
	l->claims = mr->claims;
	token_random_hex(l->claims.jti, 16);
	l->claims.iat = now;
	l->claims.nbf = now;
	l->claims.exp = now + medex.token_lifetime;
	if (!token_issue(medex_ring, medex.issuer, "medex", &l->claims,
	    &l->token) || !token_csrf_hex(l->token, l->csrf))
		return (api_error(req, mr, 500, "internal_error",
		    "The token could not be made."));
	snprintf(expires, sizeof(expires), "%lld", (long long)l->claims.exp);
	snprintf(lifetime, sizeof(lifetime), "%lld", medex.token_lifetime);
	params[0] = l->claims.jti;
	params[1] = l->csrf;
	params[2] = expires;
	params[3] = l->token;
	params[4] = lifetime;
	mr->on_api_result = refresh_cb;
	return (api_call(req, mr, sql_refresh, 5, params));
}

int
api_jwks(struct http_request *req, struct medex_req *mr)
{
	char	*jwks;
	int	 ret;

	if (!token_jwks_json(medex_ring, &jwks))
		return (api_error(req, mr, 500, "internal_error",
		    "The key set could not be made."));
	ret = medex_respond(req, mr, 200, "application/json", jwks,
	    strlen(jwks));
	free(jwks);
	return (ret);
}
