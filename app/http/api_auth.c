/*
 * POST /api/v1/auth/login, logout, refresh; GET /api/v1/me and the JWKS.
 *
 * Login takes two statements around a Kore task: login_reserve (the
 * throttle check and, in the same statement, the attempt reserved; the
 * user's hash), the argon2id check in a task thread (so a 64 MiB hash
 * never stalls other requests on this worker), then login_record (the
 * attempt settled, the session, the audit).  The sign-in page
 * (pages/account.c) runs the same steps through auth_login_start() and
 * only answers differently.
 *
 * The second factor (docs/api.md "Two-step sign-in"): login_reserve
 * also gives the user's TOTP secret when it is on; the code sent as
 * "otp" is checked here (app/core/totp.c) once the password was, and
 * login_record is told the time step it matched, or only what was sent
 * (a recovery code, or a wrong code), and decides (sql/otp.sql).
 *
 * Each hash costs 64 MiB and about 0.2 s of a core, so a worker runs at
 * most medex.login_hashes_max of them at once (login_hashes_max in
 * medex.ini, default 2); a login past that is 503 with Retry-After,
 * before any hash.
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
#include "totp.h"
#include "validate.h"

static const char sql_login_reserve[] =
    "SELECT retry_after, attempt_id, user_id, password_hash, role, office, "
    "otp_secret FROM login_reserve($1, $2)";
static const char sql_login_record[] =
    "SELECT * FROM login_record($1::bigint, $2, $3, $4::bigint, "
    "$5::boolean, $6, $7, $8::bigint, $9, $10::integer, $11::bigint, "
    "$12, $13::bigint)";
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
	char			attempt[24];
	char			user_id[24];
	char			role[32];
	char			office[17];
	char			otp[TOTP_INPUT_MAX + 1];	/* as sent */
	int			otp_given;
	char			otp_secret[TOTP_SECRET_B32_MAX + 1];
	char			otp_step[24];	/* the step it matched */
	int			retry_after;
	int			ok;
	int			shed;		/* no hash: over the cap */
	int			hash_slot;	/* counted in login_hashes */
	char			*token;
	struct token_claims	claims;
	char			csrf[65];
	api_after_cb		done;		/* the caller's, or NULL */
};

/* Password checks running in this worker's task threads. */
static long long	login_hashes;

static void
login_slot_give(struct login *l)
{
	if (l->hash_slot) {
		l->hash_slot = 0;
		login_hashes--;
	}
}

static void
login_free(void *arg)
{
	struct login	*l = arg;

	login_slot_give(l);
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
	kore_strlcpy(l->attempt, kore_pgsql_getvalue(sql, 0, 1),
	    sizeof(l->attempt));
	kore_strlcpy(l->user_id, kore_pgsql_getvalue(sql, 0, 2),
	    sizeof(l->user_id));
	kore_strlcpy(l->hash, kore_pgsql_getvalue(sql, 0, 3),
	    sizeof(l->hash));
	kore_strlcpy(l->role, kore_pgsql_getvalue(sql, 0, 4),
	    sizeof(l->role));
	kore_strlcpy(l->office, kore_pgsql_getvalue(sql, 0, 5),
	    sizeof(l->office));
	kore_strlcpy(l->otp_secret, kore_pgsql_getvalue(sql, 0, 6),
	    sizeof(l->otp_secret));
	/* No such user: verify against the dummy, in the same time. */
	if (l->user_id[0] == '\0')
		l->hash[0] = '\0';
}

static void
login_finish_cb(struct http_request *req, struct medex_req *mr)
{
	struct login	*l = mr->step_data;

	if (mr->status == 200)
		cookie_set(req, l->token, l->claims.exp - l->claims.iat);
	if (l->done != NULL)
		l->done(req, mr);
}

static int
login_finish(struct http_request *req, struct medex_req *mr)
{
	struct login	*l = mr->step_data;
	const char	*params[13];
	char		 expires[24], lifetime[16], auth_time[24];
	time_t		 now;
	long long	 step;

	now = time(NULL);
	/* The code only counts with the right password (login_record). */
	if (l->ok && !l->shed && l->otp_given && l->otp_secret[0] != '\0' &&
	    (step = totp_verify(l->otp_secret, now, l->otp)) >= 0)
		snprintf(l->otp_step, sizeof(l->otp_step), "%lld", step);
	explicit_bzero(l->otp_secret, sizeof(l->otp_secret));
	if (l->ok && !l->shed) {
		memset(&l->claims, 0, sizeof(l->claims));
		kore_strlcpy(l->claims.sub, l->username, sizeof(l->claims.sub));
		kore_strlcpy(l->claims.role, l->role, sizeof(l->claims.role));
		kore_strlcpy(l->claims.office, l->office,
		    sizeof(l->claims.office));
		token_random_hex(l->claims.jti, 16);
		l->claims.iat = now;
		l->claims.nbf = now;
		l->claims.exp = now + auth_token_lifetime(now, now);
		l->claims.auth_time = now;
		if (!token_issue(medex_ring, medex.issuer, "medex",
		    &l->claims, &l->token) ||
		    !token_csrf_hex(l->token, l->csrf))
			return (api_error(req, mr, 500, "internal_error",
			    "The token could not be made."));
	}
	snprintf(expires, sizeof(expires), "%lld", (long long)l->claims.exp);
	snprintf(lifetime, sizeof(lifetime), "%lld",
	    (long long)(l->claims.exp - now));
	snprintf(auth_time, sizeof(auth_time), "%lld",
	    (long long)l->claims.auth_time);
	params[0] = l->attempt;
	params[1] = l->username;
	params[2] = mr->address;
	params[3] = l->user_id[0] != '\0' ? l->user_id : NULL;
	params[4] = l->shed ? NULL : l->ok ? "true" : "false";
	params[5] = l->ok ? l->claims.jti : NULL;
	params[6] = l->ok ? l->csrf : NULL;
	params[7] = l->ok ? expires : NULL;
	params[8] = l->ok ? l->token : NULL;
	params[9] = lifetime;
	params[10] = l->ok ? auth_time : NULL;
	params[11] = l->ok && l->otp_given ? l->otp : NULL;
	params[12] = l->ok && l->otp_step[0] != '\0' ? l->otp_step : NULL;
	mr->on_api_result = login_finish_cb;
	return (db_call(req, mr, sql_login_record, 13, params,
	    api_result_cb));
}

static int
login_task_resume(struct http_request *req, struct medex_req *mr)
{
	struct login	*l = mr->step_data;

	if (kore_task_state(&l->task) != KORE_TASK_STATE_FINISHED)
		return (KORE_RESULT_RETRY);
	login_slot_give(l);
	return (login_finish(req, mr));
}

static int
login_checked(struct http_request *req, struct medex_req *mr)
{
	struct login	*l = mr->step_data;

	if (l->retry_after > 0) {
		mr->retry_after = l->retry_after;
		medex_retry_after(req, mr);
		if (l->done != NULL) {
			mr->status = 429;
			l->done(req, mr);
			return (medex_respond(req, mr, mr->status,
			    mr->content_type, mr->body.data, mr->body.len));
		}
		return (api_error(req, mr, 429, "too_many_attempts",
		    "Too many sign-in attempts; wait before trying again."));
	}
	if (l->attempt[0] == '\0')
		return (api_error(req, mr, 500, "internal_error",
		    "The sign-in could not be recorded."));
	/*
	 * Other logins took the worker's hash slots while this one was in
	 * the database: its attempt is settled as shed (not counted) and
	 * the answer is 503.
	 */
	if (login_hashes >= medex.login_hashes_max) {
		explicit_bzero(l->password, sizeof(l->password));
		l->shed = 1;
		return (login_finish(req, mr));
	}
	login_hashes++;
	l->hash_slot = 1;
	kore_task_create(&l->task, login_task);
	kore_task_bind_request(&l->task, req);
	l->task_started = 1;
	mr->step_task = &l->task;
	mr->resume = login_task_resume;
	kore_task_run(&l->task);
	return (KORE_RESULT_RETRY);
}

/*
 * Signs in with a username and password (and otp: the second factor's
 * code or a recovery code, NULL or "" when none was sent): throttle
 * check, argon2id in a task, session.  The answer is login_finish's
 * api_result (200 with the token and the cookie set, 401, or 429),
 * which done (NULL for the API's JSON) may turn into another before it
 * is sent.
 */
int
auth_login_start(struct http_request *req, struct medex_req *mr,
    const char *u, const char *p, const char *otp, api_after_cb done)
{
	struct login	*l;
	const char	*params[2];

	/* A flood is shed here, before it costs the database anything. */
	if (login_hashes >= medex.login_hashes_max)
		return (api_error(req, mr, 503, "unavailable",
		    "Too many sign-ins are being checked; try again in a few "
		    "seconds."));
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
	/* Something that cannot be a code is sent on as one that fails. */
	if (otp != NULL && *otp != '\0') {
		l->otp_given = 1;
		if (!totp_normalize(otp, l->otp))
			kore_strlcpy(l->otp, "-", sizeof(l->otp));
	}

	params[0] = l->username;
	params[1] = mr->address;
	mr->on_complete = login_checked;
	return (db_call(req, mr, sql_login_reserve, 2, params,
	    login_begin_cb));
}

int
api_auth_login(struct http_request *req, struct medex_req *mr)
{
	static const char *const allowed[] = { "username", "password", "otp",
	    NULL };
	struct ferrs	 fe;
	json_t		*j;
	const char	*u, *p, *otp;
	int		 ret;

	if ((j = api_body(req, mr, &ret)) == NULL)
		return (ret);
	ferr_init(&fe);
	reqbody_unknown(j, allowed, NULL, &fe);
	u = reqbody_string(j, "username", REQ_REQUIRED, &fe);
	p = reqbody_string(j, "password", REQ_REQUIRED, &fe);
	otp = reqbody_string(j, "otp", REQ_OPTIONAL, &fe);
	if (fe.n > 0) {
		ret = api_validation(req, mr, &fe);
		json_decref(j);
		return (ret);
	}
	ret = auth_login_start(req, mr, u, p, otp, NULL);
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
		cookie_set(req, l->token, l->claims.exp - l->claims.iat);
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
	/* A token of the previous release: the session's start is unknown
	 * here; the database still ends it (auth_check). */
	if (l->claims.auth_time <= 0)
		l->claims.auth_time = now;
	l->claims.exp = now + auth_token_lifetime(now, l->claims.auth_time);
	if (!token_issue(medex_ring, medex.issuer, "medex", &l->claims,
	    &l->token) || !token_csrf_hex(l->token, l->csrf))
		return (api_error(req, mr, 500, "internal_error",
		    "The token could not be made."));
	snprintf(expires, sizeof(expires), "%lld", (long long)l->claims.exp);
	snprintf(lifetime, sizeof(lifetime), "%lld",
	    (long long)(l->claims.exp - now));
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
