/*
 * Offices and users (API.md "Offices and users (admin)").  The handlers
 * validate the body in C and call one api_* function; role rules are in
 * the route table (routes.c) and again in the SQL functions.  A new
 * password is hashed in a Kore task before the call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "medex.h"
#include "api.h"
#include "api_admin.h"
#include "handlers.h"
#include "respond.h"
#include "password.h"
#include "validate.h"

static const char sql_office_create[] =
    "SELECT * FROM api_office_create($1, $2, $3, $4, $5, $6, $7, $8, $9, "
    "$10, $11::integer)";
static const char sql_office_get[] =
    "SELECT * FROM api_office_get($1, $2, $3, $4, $5, $6, $7)";
static const char sql_office_patch[] =
    "SELECT * FROM api_office_patch($1, $2, $3, $4, $5, $6, $7, "
    "$8::integer, $9, $10::integer, $11::jsonb, $12::boolean, "
    "$13::integer, $14::boolean, $15, $16::jsonb)";
static const char sql_office_list[] =
    "SELECT * FROM api_office_list($1, $2, $3, $4, $5, $6, $7::integer, $8)";
static const char sql_user_create[] =
    "SELECT * FROM api_user_create($1, $2, $3, $4, $5, $6, $7, $8, $9, "
    "$10, $11, $12, $13)";
static const char sql_user_list[] =
    "SELECT * FROM api_user_list($1, $2, $3, $4, $5, $6, $7::integer, $8)";
static const char sql_user_get[] =
    "SELECT * FROM api_user_get($1, $2, $3, $4, $5, $6, $7)";
static const char sql_user_patch[] =
    "SELECT * FROM api_user_patch($1, $2, $3, $4, $5, $6, $7, $8::integer, "
    "$9, $10, $11::boolean, $12::jsonb, $13)";

static const char sql_patch_refusal[] =
    "SELECT * FROM api_admin_patch_refusal($1, $2, $3, $4, $5, $6, $7, "
    "$8, $9::integer, $10::jsonb)";

static const char sql_session_ok[] =
    "SELECT * FROM api_session_ok($1, $2, $3, $4, $5, $6)";

/* A user change waiting for its password hash. */
struct user_job {
	struct kore_task	task;		/* first: the task entry casts */
	int			task_started;
	char			password[PASSWORD_MAX_BYTES + 1];
	char			hash[PASSWORD_ENCODED_MAX];
	int			hashed;
	int			nparams;
	char			*params[10];
	const char		*sql;
	api_after_cb		done;	/* a page's, or NULL: the API's */
};

static void
user_job_free(void *arg)
{
	struct user_job	*u = arg;
	int		 i;

	if (u->task_started)
		kore_task_destroy(&u->task);
	for (i = 0; i < u->nparams; i++)
		kore_free(u->params[i]);
	explicit_bzero(u, sizeof(*u));
	kore_free(u);
}

static int
user_job_task(struct kore_task *t)
{
	struct user_job	*u = (struct user_job *)t;

	u->hashed = password_hash(u->password, u->hash, sizeof(u->hash));
	explicit_bzero(u->password, sizeof(u->password));
	return (KORE_RESULT_OK);
}

static char *
dup_or_null(const char *s)
{
	return (s == NULL ? NULL : kore_strdup(s));
}

/*
 * A page's reading of the row: status and body, without the API's ETag
 * and Location headers (a page answers with its own redirect), then the
 * page's done.
 */
static void
user_job_page_row(struct http_request *req, struct medex_req *mr,
    struct kore_pgsql *sql)
{
	struct user_job	*u = mr->step_data;

	mr->status = 500;
	sbuf_reset(&mr->body);
	if (kore_pgsql_ntuples(sql) == 1 && kore_pgsql_nfields(sql) >= 4) {
		mr->status = atoi(kore_pgsql_getvalue(sql, 0, 0));
		sbuf_appends(&mr->body, kore_pgsql_getvalue(sql, 0, 1));
		mr->content_type = "application/json; charset=utf-8";
	}
	u->done(req, mr);
}

/* Runs the job's SQL, with the hash (or NULL) as its last parameter. */
static int
user_job_call(struct http_request *req, struct medex_req *mr)
{
	struct user_job	*u = mr->step_data;
	const char	*params[11];
	int		 i;

	for (i = 0; i < u->nparams; i++)
		params[i] = u->params[i];
	params[i++] = u->hashed ? u->hash : NULL;
	if (u->done != NULL)
		return (api_call_cb(req, mr, u->sql, i, params,
		    user_job_page_row));
	return (api_call(req, mr, u->sql, i, params));
}

static int
user_job_resume(struct http_request *req, struct medex_req *mr)
{
	struct user_job	*u = mr->step_data;

	if (kore_task_state(&u->task) != KORE_TASK_STATE_FINISHED)
		return (KORE_RESULT_RETRY);
	if (!u->hashed)
		return (api_error(req, mr, 500, "internal_error",
		    "The password could not be hashed."));
	return (user_job_call(req, mr));
}

/* The session was checked (api_session_ok): refused, or on to the hash. */
static int
user_job_checked(struct http_request *req, struct medex_req *mr)
{
	struct user_job	*u = mr->step_data;

	if (mr->status != 204) {
		explicit_bzero(u->password, sizeof(u->password));
		if (mr->status == 0)
			return (api_error(req, mr, 500, "internal_error",
			    "No answer was built."));
		if (u->done != NULL)
			u->done(req, mr);
		return (medex_respond(req, mr, mr->status, mr->content_type,
		    mr->body.data, mr->body.len));
	}
	mr->status = 0;
	mr->content_type = NULL;
	sbuf_reset(&mr->body);
	kore_task_create(&u->task, user_job_task);
	kore_task_bind_request(&u->task, req);
	u->task_started = 1;
	mr->step_task = &u->task;
	mr->resume = user_job_resume;
	kore_task_run(&u->task);
	return (KORE_RESULT_RETRY);
}

/*
 * A 64 MiB hash only for a caller whose session is live (checked first,
 * one cheap call) and whose role may change users: a revoked token or
 * another role gets its 401/403/404 from the database without a hash
 * (the change's own call checks everything again).
 */
static int
user_job_start(struct http_request *req, struct medex_req *mr)
{
	struct user_job	*u = mr->step_data;

	if (u->password[0] != '\0' && strcmp(mr->claims.role, "admin") != 0)
		explicit_bzero(u->password, sizeof(u->password));
	if (u->password[0] == '\0')
		return (user_job_call(req, mr));
	mr->on_api_result = NULL;
	mr->on_complete = user_job_checked;
	return (api_call(req, mr, sql_session_ok, 0, NULL));
}

/*
 * target_days: absent (0), or a whole number of days 1-30 (1, in days);
 * anything else is a field error.
 */
static int
check_target_days(json_t *j, struct ferrs *fe, char days[16])
{
	json_t		*v;
	json_int_t	 n;

	if ((v = json_object_get(j, "target_days")) == NULL)
		return (0);
	if (!json_is_integer(v) || (n = json_integer_value(v)) < 1 ||
	    n > 30) {
		ferr_add(fe, "target_days", "must be a whole number of days, "
		    "1-30");
		return (0);
	}
	snprintf(days, 16, "%lld", (long long)n);
	return (1);
}

static void
check_office_name(json_t *j, struct ferrs *fe, const char **out,
    int required, char **norm)
{
	if ((*out = reqbody_string(j, "name", required, fe)) != NULL &&
	    validate_text(*out, 200, 0, norm) != TEXT_OK)
		ferr_add(fe, "name", "must be 1-200 characters of text");
}

/*
 * A new office's target_days is the body's, or the server's default
 * (MEDEX_TARGET_DAYS, medex.ini's target_days: operations.md).
 */
int
api_offices_create(struct http_request *req, struct medex_req *mr)
{
	static const char *const allowed[] = { "code", "name", "target_days",
	    NULL };
	struct ferrs	 fe;
	json_t		*j;
	const char	*code, *name, *key, *params[5];
	char		*nname, hash[65], days[16];
	int		 ret;

	if ((j = api_body(req, mr, &ret)) == NULL)
		return (ret);
	ferr_init(&fe);
	nname = NULL;
	reqbody_unknown(j, allowed, NULL, &fe);
	if ((code = reqbody_string(j, "code", REQ_REQUIRED, &fe)) != NULL &&
	    (!validate_office_code(code) || strcmp(code, "ALL") == 0))
		ferr_add(&fe, "code", "must be 2-16 of A-Z 0-9 _ - starting "
		    "with a letter, and not ALL");
	check_office_name(j, &fe, &name, REQ_REQUIRED, &nname);
	if (!check_target_days(j, &fe, days))
		snprintf(days, sizeof(days), "%lld", medex.target_days);
	if (fe.n > 0) {
		ret = api_validation(req, mr, &fe);
		goto cleanup;
	}
	if (!api_idem(req, mr, j, &key, hash, &ret))
		goto cleanup;
	params[0] = key;
	params[1] = hash;
	params[2] = code;
	params[3] = nname;
	params[4] = days;
	ret = api_call(req, mr, sql_office_create, 5, params);

cleanup:
	free(nname);
	json_decref(j);
	return (ret);
}

/* An unknown or malformed code is the database's 404, after its 401. */
int
api_offices_get(struct http_request *req, struct medex_req *mr)
{
	const char	*params[1];

	params[0] = mr->cap.value[0];
	return (api_call(req, mr, sql_office_get, 1, params));
}

/* The field errors as a JSON object text (NULL when none). */
static char *
ferrs_json(struct ferrs *fe)
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

/*
 * retention_years: absent (0), null (1, years ""), or a whole number of
 * years 1-100 (1, in years); anything else is a field error.
 */
static int
check_retention(json_t *j, struct ferrs *fe, char years[16])
{
	json_t		*v;
	json_int_t	 n;

	years[0] = '\0';
	if ((v = json_object_get(j, "retention_years")) == NULL)
		return (0);
	if (json_is_null(v))
		return (1);
	if (!json_is_integer(v) || (n = json_integer_value(v)) < 1 ||
	    n > 100) {
		ferr_add(fe, "retention_years", "must be a whole number of "
		    "years, 1-100, or null");
		return (0);
	}
	snprintf(years, 16, "%lld", (long long)n);
	return (1);
}

/*
 * coroner_area (issue 23, printed on the referral document): absent
 * (0), null (1, *out NULL), or 1-200 characters of text (1, *out).
 */
static int
check_coroner_area(json_t *j, struct ferrs *fe, const char **out,
    char **norm)
{
	json_t	*v;

	*out = NULL;
	if ((v = json_object_get(j, "coroner_area")) == NULL)
		return (0);
	if (json_is_null(v))
		return (1);
	if (!json_is_string(v) || validate_text(json_string_value(v), 200, 0,
	    norm) != TEXT_OK) {
		ferr_add(fe, "coroner_area", "must be 1-200 characters of "
		    "text, or null");
		return (0);
	}
	*out = *norm != NULL ? *norm : json_string_value(v);
	return (1);
}

/* The body's string field name: absent, null, or 1-max of text. */
static int
sso_text(json_t *j, json_t *out, const char *name, size_t max,
    int email, struct ferrs *fe)
{
	json_t		*v;
	const char	*s;
	char		*norm;
	int		 ok;

	if ((v = json_object_get(j, name)) == NULL)
		return (1);
	if (json_is_null(v)) {
		json_object_set_new(out, name, json_null());
		return (1);
	}
	norm = NULL;
	s = json_string_value(v);
	ok = s != NULL && validate_text(s, max, 0, &norm) == TEXT_OK;
	if (ok && norm != NULL)
		s = norm;
	if (ok && email)
		ok = validate_email(s);
	if (!ok)
		ferr_add(fe, name, email ? "must be an email address, or null" :
		    "must be 1-255 characters of text, or null");
	else
		json_object_set_new(out, name, json_string(s));
	free(norm);
	return (ok);
}

static void
sso_bool(json_t *j, json_t *out, const char *name, struct ferrs *fe)
{
	int	v;

	if (reqbody_bool(j, name, REQ_OPTIONAL, &v, fe))
		json_object_set_new(out, name, json_boolean(v));
}

/*
 * The single sign-on fields of a user's PATCH (issue 24) as a JSON
 * object of those sent (malloc'd text), for api_user_patch's p_sso.
 */
static char *
sso_user_fields(json_t *j, struct ferrs *fe)
{
	json_t	*out;
	char	*text;

	out = json_object();
	sso_text(j, out, "sso_subject", 255, 0, fe);
	sso_text(j, out, "email", 254, 1, fe);
	sso_bool(j, out, "sso_email_link", fe);
	sso_bool(j, out, "break_glass", fe);
	text = json_dumps(out, JSON_COMPACT);
	json_decref(out);
	return (text);
}

/* The same for an office's PATCH: sso_required, sso_min_acr. */
static char *
sso_office_fields(json_t *j, struct ferrs *fe)
{
	json_t	*out;
	char	*text;

	out = json_object();
	sso_bool(j, out, "sso_required", fe);
	sso_text(j, out, "sso_min_acr", 100, 0, fe);
	text = json_dumps(out, JSON_COMPACT);
	json_decref(out);
	return (text);
}

/*
 * A PATCH of a user or an office refused for its body (a refusal of
 * api_body_deferred() as {"$error"}, or a 422's fields): the database
 * answers 404, 403, 428 and 412 first (API.md "Order of checks").
 */
static int
patch_refused(struct http_request *req, struct medex_req *mr,
    const char *kind, const char *key, long long version, char *error)
{
	const char	*params[4];
	char		 ifm[24];
	int		 ret;

	snprintf(ifm, sizeof(ifm), "%lld", version);
	params[0] = kind;
	params[1] = key;
	params[2] = version > 0 ? ifm : NULL;
	params[3] = error;
	ret = api_call(req, mr, sql_patch_refusal, 4, params);
	free(error);
	return (ret);
}

/*
 * PATCH /api/v1/offices/{code} {"name"?, "target_days"?,
 * "retention_years"?, "coroner_area"?} with If-Match.
 * The body's field errors go to the database, which answers them (422)
 * only after 404, 403 and 428/412 (API.md "Order of checks").
 */
int
api_offices_patch(struct http_request *req, struct medex_req *mr)
{
	static const char *const allowed[] = { "name", "target_days",
	    "retention_years", "coroner_area", "sso_required", "sso_min_acr",
	    NULL };
	struct ferrs	 fe;
	json_t		*j;
	const char	*name, *area, *params[10];
	char		*nname, *narea, *fields, *sso, days[16], years[16],
			 ifm[24];
	long long	 version;
	struct api_body_err	 be;
	int		 ret, has_days, has_years, has_area;

	if ((version = api_if_match(req)) < 0)
		return (api_bad_request(req, mr, "If-Match must be a quoted "
		    "version, e.g. \"3\"."));
	if ((j = api_body_deferred(req, &be)) == NULL)
		return (patch_refused(req, mr, "office", mr->cap.value[0],
		    version, api_body_err_json(&be)));
	ferr_init(&fe);
	nname = narea = NULL;
	reqbody_unknown(j, allowed, NULL, &fe);
	check_office_name(j, &fe, &name, REQ_OPTIONAL, &nname);
	has_days = check_target_days(j, &fe, days);
	has_years = check_retention(j, &fe, years);
	has_area = check_coroner_area(j, &fe, &area, &narea);
	sso = sso_office_fields(j, &fe);
	fields = ferrs_json(&fe);
	snprintf(ifm, sizeof(ifm), "%lld", version);
	params[0] = mr->cap.value[0];
	params[1] = version > 0 ? ifm : NULL;
	params[2] = fields == NULL ? nname : NULL;
	params[3] = fields == NULL && has_days ? days : NULL;
	params[4] = fields;
	params[5] = fields == NULL && has_years ? "true" : "false";
	params[6] = has_years && years[0] != '\0' ? years : NULL;
	params[7] = fields == NULL && has_area ? "true" : "false";
	params[8] = has_area ? area : NULL;
	params[9] = fields == NULL ? sso : NULL;
	ret = api_call(req, mr, sql_office_patch, 10, params);
	free(sso);
	free(fields);
	free(nname);
	free(narea);
	json_decref(j);
	return (ret);
}

static int
list_call(struct http_request *req, struct medex_req *mr, const char *sql)
{
	struct api_list	 l;
	const char	*params[2];
	int		 ret;

	if (!api_list_page(req, mr, &l, &ret))
		return (ret);
	params[0] = l.limit;
	params[1] = l.cursor;
	return (api_call(req, mr, sql, 2, params));
}

int
api_offices_list(struct http_request *req, struct medex_req *mr)
{
	return (list_call(req, mr, sql_office_list));
}

int
api_users_list(struct http_request *req, struct medex_req *mr)
{
	return (list_call(req, mr, sql_user_list));
}

int
api_users_get(struct http_request *req, struct medex_req *mr)
{
	const char	*params[1];
	char		 username[65];

	kore_strlcpy(username, mr->cap.value[0], sizeof(username));
	username_lower(username);
	params[0] = username;
	return (api_call(req, mr, sql_user_get, 1, params));
}

static void
check_role(json_t *j, struct ferrs *fe, const char **out, int required)
{
	enum role	r;

	*out = reqbody_string(j, "role", required, fe);
	if (*out != NULL && role_from_str(*out, &r) != 0)
		ferr_add(fe, "role", "is not a role of API.md");
}

static void
check_office(json_t *j, struct ferrs *fe, const char **out, int required)
{
	*out = reqbody_string(j, "office", required, fe);
	if (*out != NULL && !validate_office_code(*out))
		ferr_add(fe, "office", "is not an office code");
}

static void
check_password(json_t *j, struct ferrs *fe, const char **out, int required)
{
	const char	*why;
	json_t		*v;

	*out = reqbody_string(j, "password", required, fe);
	if (*out == NULL)
		return;
	v = json_object_get(j, "password");
	if ((why = password_policy_check_len(*out,
	    json_string_length(v))) != NULL)
		ferr_add(fe, "password", why);
}

int
api_users_create(struct http_request *req, struct medex_req *mr)
{
	static const char *const allowed[] = { "username", "display_name",
	    "password", "role", "office", NULL };
	struct ferrs	 fe;
	json_t		*j;
	const char	*username, *display, *pw, *role, *office, *key;
	char		*ndisplay, lower[65], hash[65];
	int		 ret;

	if ((j = api_body(req, mr, &ret)) == NULL)
		return (ret);
	ferr_init(&fe);
	ndisplay = NULL;
	reqbody_unknown(j, allowed, NULL, &fe);
	if ((username = reqbody_string(j, "username", REQ_REQUIRED, &fe)) !=
	    NULL && !validate_username(username))
		ferr_add(&fe, "username", "must be 3-64 of a-z 0-9 . _ -");
	if ((display = reqbody_string(j, "display_name", REQ_REQUIRED, &fe)) !=
	    NULL && validate_text(display, 200, 0, &ndisplay) != TEXT_OK)
		ferr_add(&fe, "display_name", "must be 1-200 characters of text");
	check_password(j, &fe, &pw, REQ_REQUIRED);
	check_role(j, &fe, &role, REQ_REQUIRED);
	check_office(j, &fe, &office, REQ_REQUIRED);
	if (fe.n > 0) {
		ret = api_validation(req, mr, &fe);
		goto cleanup;
	}
	if (!api_idem(req, mr, j, &key, hash, &ret))
		goto cleanup;
	kore_strlcpy(lower, username, sizeof(lower));
	username_lower(lower);
	ret = admin_user_create(req, mr, key, hash, lower, ndisplay, role,
	    office, pw, NULL);

cleanup:
	free(ndisplay);
	json_decref(j);
	return (ret);
}

int
api_users_patch(struct http_request *req, struct medex_req *mr)
{
	static const char *const allowed[] = { "role", "office", "disabled",
	    "password", "sso_subject", "email", "sso_email_link",
	    "break_glass", NULL };
	struct ferrs	 fe;
	json_t		*j;
	const char	*pw, *role, *office;
	char		 username[65], ifm[24], *sso;
	long long	 version;
	struct api_body_err	 be;
	int		 ret, disabled, has_disabled;

	/* 404/403 come from the database; 428/412 too, after those. */
	if ((version = api_if_match(req)) < 0)
		return (api_bad_request(req, mr, "If-Match must be a quoted "
		    "version, e.g. \"3\"."));
	kore_strlcpy(username, mr->cap.value[0], sizeof(username));
	username_lower(username);
	if ((j = api_body_deferred(req, &be)) == NULL)
		return (patch_refused(req, mr, "user", username, version,
		    api_body_err_json(&be)));
	ferr_init(&fe);
	reqbody_unknown(j, allowed, NULL, &fe);
	check_role(j, &fe, &role, REQ_OPTIONAL);
	check_office(j, &fe, &office, REQ_OPTIONAL);
	check_password(j, &fe, &pw, REQ_OPTIONAL);
	has_disabled = reqbody_bool(j, "disabled", REQ_OPTIONAL, &disabled,
	    &fe);
	sso = sso_user_fields(j, &fe);
	if (fe.n > 0) {
		free(sso);
		json_decref(j);
		return (patch_refused(req, mr, "user", username, version,
		    ferrs_json(&fe)));
	}
	snprintf(ifm, sizeof(ifm), "%lld", version);
	ret = admin_user_patch(req, mr, username, version > 0 ? ifm : NULL,
	    role, office, has_disabled ? (disabled ? "true" : "false") : NULL,
	    sso, pw, NULL);
	free(sso);
	json_decref(j);
	return (ret);
}

/*
 * The one call that creates a user (api_user_create), for the API and
 * the admin pages: the password hashed in a task first.  done is the
 * page's on_api_result (NULL for the API).
 */
int
admin_user_create(struct http_request *req, struct medex_req *mr,
    const char *key, const char *hash, const char *username,
    const char *display, const char *role, const char *office,
    const char *password, api_after_cb done)
{
	struct user_job	*u;

	u = kore_calloc(1, sizeof(*u));
	mr->step_data = u;
	mr->step_free = user_job_free;
	u->sql = sql_user_create;
	u->done = done;
	u->params[0] = dup_or_null(key);
	u->params[1] = dup_or_null(hash);
	u->params[2] = kore_strdup(username);
	u->params[3] = kore_strdup(display);
	u->params[4] = kore_strdup(role);
	u->params[5] = kore_strdup(office);
	u->nparams = 6;
	kore_strlcpy(u->password, password, sizeof(u->password));
	return (user_job_start(req, mr));
}

/*
 * The one call that changes a user (api_user_patch); NULL: unchanged.
 * sso: the single sign-on fields sent, a JSON object's text.
 */
int
admin_user_patch(struct http_request *req, struct medex_req *mr,
    const char *username, const char *if_match, const char *role,
    const char *office, const char *disabled, const char *sso,
    const char *password, api_after_cb done)
{
	struct user_job	*u;

	u = kore_calloc(1, sizeof(*u));
	mr->step_data = u;
	mr->step_free = user_job_free;
	u->sql = sql_user_patch;
	u->done = done;
	u->params[0] = kore_strdup(username);
	u->params[1] = dup_or_null(if_match);
	u->params[2] = dup_or_null(role);
	u->params[3] = dup_or_null(office);
	u->params[4] = dup_or_null(disabled);
	u->params[5] = dup_or_null(sso);
	u->nparams = 6;
	if (password != NULL)
		kore_strlcpy(u->password, password, sizeof(u->password));
	return (user_job_start(req, mr));
}
