/*
 * The second factor of one's own account (API.md "Two-step sign-in"):
 *
 *   POST /api/v1/me/otp           enrolment starts: a new secret, its
 *                                 otpauth:// URI and ten recovery codes,
 *                                 shown this once
 *   POST /api/v1/me/otp/confirm   {"code"}: a code from the app turns it on
 *   POST /api/v1/me/otp/disable   {"code"}: a code or a recovery code
 *                                 turns it off
 *
 * The secret and the codes are made here (app/core/totp.c); the
 * database keeps the secret and the codes' hashes (sql/otp.sql).
 * Confirming and turning off take two statements around the code's
 * check, like the password change (api_password.c) but without a task:
 * an HMAC is cheap.  The pages (pages/account_otp.c) run the same steps
 * through otp_enrol_start() and otp_code_start().
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "medex.h"
#include "api.h"
#include "api_otp.h"
#include "handlers.h"
#include "respond.h"
#include "sbuf.h"
#include "totp.h"

static const char sql_start[] =
    "SELECT * FROM api_otp_start($1, $2, $3, $4, $5, $6, $7, $8, "
    "$9::text[])";
static const char sql_begin[] =
    "SELECT * FROM otp_begin($1, $2, $3, $4, $5, $6, $7)";
static const char sql_confirm[] =
    "SELECT * FROM api_otp_confirm($1, $2, $3, $4, $5, $6, $7, "
    "$8::bigint)";
static const char sql_disable[] =
    "SELECT * FROM api_otp_disable($1, $2, $3, $4, $5, $6, $7, "
    "$8::bigint)";

struct otp_step {
	int		disable;		/* else confirm */
	int		go_on;
	char		code[TOTP_INPUT_MAX + 1];
	char		secret[TOTP_SECRET_B32_MAX + 1];
	char		step[24];
	api_after_cb	done;
};

static void
otp_step_free(void *arg)
{
	struct otp_step	*o = arg;

	explicit_bzero(o, sizeof(*o));
	kore_free(o);
}

/*
 * Enrolment starts: the secret, the URI (issuer: medex.issuer, account:
 * the username) and the recovery codes, as a PostgreSQL text[] literal
 * (the codes are base32 and hyphens: nothing to quote).
 */
int
otp_enrol_start(struct http_request *req, struct medex_req *mr,
    api_after_cb done)
{
	char		 secret[TOTP_SECRET_B32_LEN + 1], uri[TOTP_URI_MAX];
	char		 code[TOTP_RECOVERY_LEN + 1];
	char		 codes[TOTP_RECOVERY_COUNT * (TOTP_RECOVERY_LEN + 1) + 3];
	const char	*params[3];
	size_t		 i, o;
	int		 ret;

	o = 0;
	codes[o++] = '{';
	for (i = 0; i < TOTP_RECOVERY_COUNT; i++) {
		if (!totp_recovery_new(code))
			return (api_error(req, mr, 500, "internal_error",
			    "The recovery codes could not be made."));
		if (i > 0)
			codes[o++] = ',';
		memcpy(codes + o, code, TOTP_RECOVERY_LEN);
		o += TOTP_RECOVERY_LEN;
	}
	codes[o++] = '}';
	codes[o] = '\0';
	if (!totp_secret_new(secret) ||
	    !totp_uri(medex.issuer, mr->claims.sub, secret, uri, sizeof(uri)))
		return (api_error(req, mr, 500, "internal_error",
		    "The secret could not be made."));
	params[0] = secret;
	params[1] = uri;
	params[2] = codes;
	mr->on_api_result = done;
	ret = api_call(req, mr, sql_start, 3, params);
	explicit_bzero(secret, sizeof(secret));
	explicit_bzero(codes, sizeof(codes));
	return (ret);
}

/* otp_begin's row: go on (status 0, the secret), or the answer. */
static void
otp_begin_cb(struct http_request *req, struct medex_req *mr,
    struct kore_pgsql *sql)
{
	struct otp_step	*o = mr->step_data;

	if (kore_pgsql_ntuples(sql) != 1 || kore_pgsql_nfields(sql) < 5)
		return;
	if (strcmp(kore_pgsql_getvalue(sql, 0, 0), "0") != 0) {
		api_result_cb(req, mr, sql);
		return;
	}
	o->go_on = 1;
	kore_strlcpy(o->secret, kore_pgsql_getvalue(sql, 0, 4),
	    sizeof(o->secret));
}

/* The code checked against the secret; the database decides. */
static int
otp_checked(struct http_request *req, struct medex_req *mr)
{
	struct otp_step	*o = mr->step_data;
	const char	*params[2];
	long long	 step;

	if (!o->go_on) {
		if (mr->status == 0)
			return (api_error(req, mr, 500, "internal_error",
			    "No answer was built."));
		if (o->done != NULL)
			o->done(req, mr);
		return (medex_respond(req, mr, mr->status, mr->content_type,
		    mr->body.data, mr->body.len));
	}
	if ((step = totp_verify(o->secret, time(NULL), o->code)) >= 0)
		snprintf(o->step, sizeof(o->step), "%lld", step);
	mr->on_api_result = o->done;
	if (o->disable) {
		params[0] = o->code;
		params[1] = o->step[0] != '\0' ? o->step : NULL;
		return (api_call(req, mr, sql_disable, 2, params));
	}
	params[0] = o->secret;
	params[1] = o->step[0] != '\0' ? o->step : NULL;
	return (api_call(req, mr, sql_confirm, 2, params));
}

/*
 * Confirming (disable 0) or turning off (1) with code, as typed: a
 * code that cannot be one is sent on as one that fails (and is logged
 * and counted by the database like any wrong code).
 */
int
otp_code_start(struct http_request *req, struct medex_req *mr,
    int disable, const char *code, api_after_cb done)
{
	struct otp_step	*o;
	const char	*params[1];

	o = kore_calloc(1, sizeof(*o));
	mr->step_data = o;
	mr->step_free = otp_step_free;
	o->disable = disable;
	o->done = done;
	if (!totp_normalize(code, o->code))
		kore_strlcpy(o->code, "-", sizeof(o->code));
	params[0] = disable ? "disable" : "confirm";
	mr->on_complete = otp_checked;
	return (api_call_cb(req, mr, sql_begin, 1, params, otp_begin_cb));
}

int
api_me_otp(struct http_request *req, struct medex_req *mr)
{
	json_t	*j;
	int	 ret;

	/* No body is needed; one that is sent must be JSON. */
	if (req->http_body_length > 0) {
		if ((j = api_body(req, mr, &ret)) == NULL)
			return (ret);
		json_decref(j);
	}
	return (otp_enrol_start(req, mr, NULL));
}

/* {"code"}: the same body for both. */
static int
api_me_otp_code(struct http_request *req, struct medex_req *mr,
    int disable)
{
	static const char *const allowed[] = { "code", NULL };
	struct ferrs	 fe;
	json_t		*j;
	const char	*code;
	int		 ret;

	if ((j = api_body(req, mr, &ret)) == NULL)
		return (ret);
	ferr_init(&fe);
	reqbody_unknown(j, allowed, NULL, &fe);
	code = reqbody_string(j, "code", REQ_REQUIRED, &fe);
	if (fe.n > 0) {
		ret = api_validation(req, mr, &fe);
		json_decref(j);
		return (ret);
	}
	ret = otp_code_start(req, mr, disable, code, NULL);
	json_decref(j);
	return (ret);
}

int
api_me_otp_confirm(struct http_request *req, struct medex_req *mr)
{
	return (api_me_otp_code(req, mr, 0));
}

int
api_me_otp_disable(struct http_request *req, struct medex_req *mr)
{
	return (api_me_otp_code(req, mr, 1));
}
