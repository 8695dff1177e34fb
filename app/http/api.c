/*
 * What every API handler shares: reading a JSON body (415, 413, 400),
 * answering 422 with the fields named, calling one api_* SQL function
 * with the caller's token context in front of its own parameters, and
 * turning its api_result row (status, body, version, location) into the
 * answer with ETag and Location.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "medex.h"
#include "api.h"
#include "db_async.h"
#include "migration.h"
#include "query.h"
#include "respond.h"

/* The api_result row of an api_* function: status, body, etag, location. */
void
api_result_cb(struct http_request *req, struct medex_req *mr,
    struct kore_pgsql *sql)
{
	const char	*body, *etag, *loc;
	char		 quoted[32];

	if (kore_pgsql_ntuples(sql) != 1 || kore_pgsql_nfields(sql) < 4)
		return;
	mr->status = atoi(kore_pgsql_getvalue(sql, 0, 0));
	body = kore_pgsql_getvalue(sql, 0, 1);
	etag = kore_pgsql_getvalue(sql, 0, 2);
	loc = kore_pgsql_getvalue(sql, 0, 3);
	mr->content_type = mr->status == 204 ? NULL :
	    "application/json; charset=utf-8";
	sbuf_reset(&mr->body);
	/* Past RESPONSE_MAX: db_resume() answers 500, with no ETag. */
	if (sbuf_appends(&mr->body, body) != 0)
		return;
	if (etag[0] != '\0') {
		snprintf(quoted, sizeof(quoted), "\"%s\"", etag);
		http_response_header(req, "etag", quoted);
	}
	if (loc[0] != '\0')
		http_response_header(req, "location", loc);
	if (mr->status == 429 || mr->status == 503)
		medex_retry_after(req, mr);
	if (mr->on_api_result != NULL)
		mr->on_api_result(req, mr);
}

/*
 * Calls fn, an api_* SQL text taking the six context parameters ($1 jti,
 * $2 sub, $3 role, $4 office, $5 csrf, $6 address) and then `n` more.
 */
int
api_call(struct http_request *req, struct medex_req *mr, const char *sql,
    int n, const char **extra)
{
	return (api_call_cb(req, mr, sql, n, extra, api_result_cb));
}

/* api_call() with the caller's reading of the row (the pages'). */
int
api_call_cb(struct http_request *req, struct medex_req *mr, const char *sql,
    int n, const char **extra, db_result_cb cb)
{
	const char	*params[DB_PARAMS_MAX];
	int		 i;

	if (n + 6 > DB_PARAMS_MAX)
		fatal("api_call: too many parameters");
	params[0] = mr->claims.jti;
	params[1] = mr->claims.sub;
	params[2] = mr->claims.role;
	params[3] = mr->claims.office;
	params[4] = mr->csrf;
	params[5] = mr->address;
	for (i = 0; i < n; i++)
		params[6 + i] = extra[i];
	return (db_call(req, mr, sql, n + 6, params, cb));
}

/*
 * For the SQL: may the caller's role use this request's row of the route
 * table?  "false" lets the database answer 404 (another office) before
 * 403, as API.md orders the checks.
 */
const char *
api_role_ok(struct medex_req *mr)
{
	enum role	r;

	if (role_from_str(mr->claims.role, &r) != 0 || mr->route == NULL)
		return ("false");
	return (role_in(mr->route->roles, r) ? "true" : "false");
}

int
api_bad_request(struct http_request *req, struct medex_req *mr,
    const char *msg)
{
	return (api_error(req, mr, 400, "bad_request", msg));
}

int
api_validation(struct http_request *req, struct medex_req *mr,
    struct ferrs *fe)
{
	return (api_error_fields(req, mr, 422, "validation_failed",
	    "Some fields are missing or not valid; see fields.",
	    fe->pairs, fe->n));
}

/*
 * The body, read whole: at most max bytes into a buffer of max + 1
 * (kore_free() it), or NULL (wiped and freed) when reading failed or
 * there was more.
 */
char *
api_body_read(struct http_request *req, size_t max, size_t *len)
{
	char	*buf;
	ssize_t	 r;

	buf = kore_malloc(max + 1);
	*len = 0;
	for (;;) {
		r = http_body_read(req, buf + *len, max + 1 - *len);
		if (r <= 0)
			break;
		*len += (size_t)r;
		if (*len > max)
			break;
	}
	if (r < 0 || *len > max) {
		explicit_bzero(buf, *len > max ? max + 1 : *len);
		kore_free(buf);
		return (NULL);
	}
	return (buf);
}

/*
 * The request's JSON object, or NULL with the refusal (415, 413 or 400)
 * in *e, for a caller that answers it itself, later.  The caller owns
 * the result (json_decref).
 */
json_t *
api_body_deferred(struct http_request *req, struct api_body_err *e)
{
	const char	*ct;
	char		*buf;
	size_t		 len;
	json_t		*j;

	if (!http_request_header(req, "content-type", &ct) ||
	    strncasecmp(ct, "application/json", 16) != 0 ||
	    (ct[16] != '\0' && ct[16] != ';' && ct[16] != ' ')) {
		e->status = 415;
		e->code = "unsupported_media_type";
		e->message = "Send the body as Content-Type: application/json.";
		return (NULL);
	}
	if (req->http_body_length > API_BODY_MAX ||
	    (buf = api_body_read(req, API_BODY_MAX, &len)) == NULL) {
		e->status = 413;
		e->code = "payload_too_large";
		e->message = "The request body is larger than 64 KiB.";
		return (NULL);
	}
	j = reqbody_parse(buf, len);
	kore_free(buf);
	if (j == NULL) {
		e->status = 400;
		e->code = "malformed_json";
		e->message = "The body is not a JSON object in UTF-8.";
		return (NULL);
	}
	return (j);
}

/* The refusal of api_body_deferred() as {"$error": {...}}, for SQL. */
char *
api_body_err_json(const struct api_body_err *e)
{
	json_t	*o;
	char	*s;

	o = json_pack("{s{si ss ss}}", "$error", "status", e->status,
	    "code", e->code, "message", e->message);
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return (s);
}

/*
 * The request's JSON object, or NULL after answering 415, 413 or 400.
 * The caller owns the result (json_decref).
 */
json_t *
api_body(struct http_request *req, struct medex_req *mr, int *ret)
{
	struct api_body_err	 e;
	json_t			*j;

	if ((j = api_body_deferred(req, &e)) == NULL) {
		*ret = api_error(req, mr, e.status, e.code, e.message);
		return (NULL);
	}
	return (j);
}

/*
 * If-Match: "<version>".  Returns the version, 0 when the header is
 * missing, -1 when it is malformed.
 */
long long
api_if_match(struct http_request *req)
{
	const char	*v;
	char		*end;
	long long	 n;

	if (!http_request_header(req, "if-match", &v))
		return (0);
	if (v[0] != '"')
		return (-1);
	n = strtoll(v + 1, &end, 10);
	if (end == v + 1 || end[0] != '"' || end[1] != '\0' || n < 1 ||
	    n > 2147483647)
		return (-1);
	return (n);
}

/*
 * ?limit= and ?cursor= for lists.  The cursor is the hex of the last key
 * seen; it decodes into after (NULL for the first page).  0 on a bad
 * value (the caller answers 400).
 */
int
api_page(struct http_request *req, char *limit, size_t limlen, char *after,
    size_t afterlen, int *has_after)
{
	char		 l[16], c[300], *end;
	long		 n;
	size_t		 i, clen;
	unsigned int	 byte;
	int		 q;

	n = 50;
	if ((q = query_get(req->query_string, "limit", l, sizeof(l))) ==
	    QUERY_BAD)
		return (0);
	if (q == QUERY_FOUND) {
		n = strtol(l, &end, 10);
		if (*l == '\0' || *end != '\0' || n < 1 || n > 200)
			return (0);
	}
	snprintf(limit, limlen, "%ld", n);
	*has_after = 0;
	if ((q = query_get(req->query_string, "cursor", c, sizeof(c))) ==
	    QUERY_BAD)
		return (0);
	if (q == QUERY_ABSENT || *c == '\0')
		return (1);
	clen = strlen(c);
	if (clen % 2 != 0 || clen / 2 >= afterlen)
		return (0);
	for (i = 0; i < clen / 2; i++) {
		if (sscanf(c + i * 2, "%2x", &byte) != 1 ||
		    strchr("0123456789abcdef", c[i * 2]) == NULL ||
		    strchr("0123456789abcdef", c[i * 2 + 1]) == NULL ||
		    byte == 0)
			return (0);
		after[i] = (char)byte;
	}
	after[i] = '\0';
	*has_after = 1;
	return (1);
}

/*
 * api_page() for a list route: 1 with l filled in, or 0 after answering
 * 400 (*ret is the answer's).
 */
int
api_list_page(struct http_request *req, struct medex_req *mr,
    struct api_list *l, int *ret)
{
	int	has_after;

	if (!api_page(req, l->limit, sizeof(l->limit), l->after,
	    sizeof(l->after), &has_after)) {
		*ret = api_bad_request(req, mr, "limit must be 1-200 and "
		    "cursor one given by a previous page.");
		return (0);
	}
	l->cursor = has_after ? l->after : NULL;
	return (1);
}

/* The SHA-256 of method, path and body, for Idempotency-Key replays. */
void
api_request_hash(struct http_request *req, const char *body, char out[65])
{
	struct sbuf	sb;

	sbuf_init(&sb, API_BODY_MAX * 2);
	sbuf_appendf(&sb, "%d %s\n", req->method, req->path);
	sbuf_appends(&sb, body != NULL ? body : "");
	migration_sha256_hex((unsigned char *)sb.data, sb.len, out);
	sbuf_free(&sb);
}

/* An idempotency key (the header's, a form's): 1-128 printable ASCII. */
int
api_key_valid(const char *v)
{
	size_t	i, n;

	n = strlen(v);
	if (n < 1 || n > 128)
		return (0);
	for (i = 0; i < n; i++) {
		if (v[i] < 0x21 || v[i] > 0x7e)
			return (0);
	}
	return (1);
}

/* Idempotency-Key: 1-128 printable ASCII, else NULL (ignored if absent). */
int
api_idem_key(struct http_request *req, const char **out)
{
	const char	*v;

	*out = NULL;
	if (!http_request_header(req, "idempotency-key", &v))
		return (1);
	if (!api_key_valid(v))
		return (0);
	*out = v;
	return (1);
}

/*
 * The Idempotency-Key of a write and the hash its replay is checked
 * with (of j in canonical form): 1, or 0 after answering 400 (*ret).
 */
int
api_idem(struct http_request *req, struct medex_req *mr, json_t *j,
    const char **key, char hash[65], int *ret)
{
	char	*canon;

	if (!api_idem_key(req, key)) {
		*ret = api_bad_request(req, mr, "Idempotency-Key must be "
		    "1-128 printable characters.");
		return (0);
	}
	canon = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	api_request_hash(req, canon, hash);
	free(canon);
	return (1);
}
