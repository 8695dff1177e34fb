/*
 * Hostile HTTP: malformed requests sent as raw bytes over TCP.  Each must
 * get a 4xx or a closed connection, never a 5xx or a hang, and /healthz
 * must answer 200 after each.  Where medex itself answered (the answer
 * carries X-Request-Id) under /api/, the body must be API.md's JSON
 * error shape; where Kore answered before medex saw the request, the
 * status is printed ("kore:") for the README.
 *
 * The corpus is data: the tables below, where @AUTH@ stands for an
 * admin's "Authorization: Bearer ..." line, @HOST@ for the Host line and
 * @CL@ for the length of what follows the first blank line.
 * JSON bodies go to POST /api/v1/offices as an admin, so that they reach
 * the parser; every office code in them starts HX, and at the end no
 * such office may exist.
 *
 * The same raw corpus then goes through the shipped nginx
 * (conf/nginx-medex.conf, over TLS, as tests/http/nginx_front.sh runs
 * it): in the documented deployment every answer a client gets is in
 * API.md's JSON shape, including those nginx gives itself, and none of
 * Kore's bare answers reaches a client (issue 20, "the HTTP edge").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"
#include "testraw.h"

#define WAIT_MS		15000	/* a complete request answered by then */
#define SLOW_WAIT_MS	45000	/* header and body timeouts are 10 s, 30 s */

#define F_VERSION	0x01	/* Kore's 505 for an unknown version is ok */
#define F_NOBODY	0x02	/* HEAD: no body to check */

#define RAW(s)		s, sizeof(s) - 1

struct hcase {
	const char	*name;
	const char	*data;
	size_t		 len;
	int		 want;	/* exact status, or 0 for any 4xx/close */
	int		 flags;
	char		*(*gen)(size_t *);
};

struct jcase {
	const char	*name;
	const char	*body;
	size_t		 len;
	int		 want;
	const char	*code;	/* error.code wanted, or NULL */
};

static struct t_session	admin;
static int		kore_answers;

static const struct hcase raw_cases[] = {
	/* Request lines. */
	{ "garbage line", RAW("GARBAGE\r\n\r\n"), 400, 0, NULL },
	{ "empty lines", RAW("\r\n\r\n\r\n\r\n"), 0, 0, NULL },
	{ "method only", RAW("GET\r\n@HOST@\r\n"), 400, 0, NULL },
	{ "http/0.9", RAW("GET /api/v1/offices\r\n@HOST@\r\n"), 400, 0,
	    NULL },
	{ "four words", RAW("GET /api/v1/offices HTTP/1.1 x\r\n@HOST@\r\n"),
	    0, 0, NULL },
	{ "version 9.9", RAW("GET /api/v1/offices HTTP/9.9\r\n@HOST@\r\n"),
	    0, F_VERSION, NULL },
	{ "version FOO", RAW("GET /api/v1/offices FOO/1.1\r\n@HOST@\r\n"),
	    0, F_VERSION, NULL },
	{ "unknown method", RAW("BREW /api/v1/offices HTTP/1.1\r\n@HOST@"
	    "\r\n"), 400, 0, NULL },
	{ "lower-case get", RAW("get /api/v1/offices HTTP/1.1\r\n@HOST@"
	    "\r\n"), 401, 0, NULL },
	{ "TRACE", RAW("TRACE /api/v1/offices HTTP/1.1\r\n@HOST@\r\n"), 400,
	    0, NULL },
	{ "CONNECT", RAW("CONNECT 127.0.0.1:22 HTTP/1.1\r\n@HOST@\r\n"), 400,
	    0, NULL },
	{ "absolute form", RAW("GET http://evil.example/api/v1/offices "
	    "HTTP/1.1\r\n@HOST@\r\n"), 404, 0, NULL },
	{ "asterisk", RAW("GET * HTTP/1.1\r\n@HOST@\r\n"), 404, 0, NULL },
	{ "LF only", RAW("GET /api/v1/offices HTTP/1.1\n@HOST@\n"), 0, 0,
	    NULL },
	{ "NUL in path", RAW("GET /api/v1/off\0ices HTTP/1.1\r\n@HOST@\r\n"),
	    0, 0, NULL },
	{ "bad UTF-8 path", RAW("GET /api/v1/users/\xff\xfe HTTP/1.1\r\n"
	    "@HOST@@AUTH@\r\n"), 404, 0, NULL },
	{ "escaped bad UTF-8 path", RAW("GET /api/v1/users/%ff%fe HTTP/1.1"
	    "\r\n@HOST@@AUTH@\r\n"), 404, 0, NULL },
	{ "dot segments", RAW("GET /api/v1/../../../etc/passwd HTTP/1.1\r\n"
	    "@HOST@\r\n"), 404, 0, NULL },
	{ "bad limit escape", RAW("GET /api/v1/offices?limit=%zz HTTP/1.1"
	    "\r\n@HOST@@AUTH@\r\n"), 400, 0, NULL },
	{ "huge limit", RAW("GET /api/v1/offices?limit=99999999999999999999"
	    "99 HTTP/1.1\r\n@HOST@@AUTH@\r\n"), 400, 0, NULL },
	{ "negative limit", RAW("GET /api/v1/offices?limit=-1 HTTP/1.1\r\n"
	    "@HOST@@AUTH@\r\n"), 400, 0, NULL },
	{ "bad cursor", RAW("GET /api/v1/offices?cursor=zz%00 HTTP/1.1\r\n"
	    "@HOST@@AUTH@\r\n"), 400, 0, NULL },
	{ "NUL in query", RAW("GET /api/v1/offices?limit=5%00 HTTP/1.1\r\n"
	    "@HOST@@AUTH@\r\n"), 400, 0, NULL },

	/* Headers. */
	{ "no Host", RAW("GET /api/v1/offices HTTP/1.1\r\n\r\n"), 400, 0,
	    NULL },
	{ "empty Host", RAW("GET /api/v1/offices HTTP/1.1\r\nHost: \r\n\r\n"),
	    400, 0, NULL },
	{ "two Hosts", RAW("GET /api/v1/offices HTTP/1.1\r\nHost: a\r\n"
	    "Host: b\r\n\r\n"), 0, 0, NULL },
	{ "header without colon", RAW("GET /api/v1/offices HTTP/1.1\r\n"
	    "@HOST@Foo\r\n\r\n"), 400, 0, NULL },
	{ "empty header value", RAW("GET /api/v1/offices HTTP/1.1\r\n@HOST@"
	    "X-A:\r\n\r\n"), 400, 0, NULL },
	{ "space in header name", RAW("GET /api/v1/offices HTTP/1.1\r\n"
	    "@HOST@Bad Name: x\r\n\r\n"), 400, 0, NULL },
	{ "control in header", RAW("GET /api/v1/offices HTTP/1.1\r\n@HOST@"
	    "X-A: a\x01z\r\n\r\n"), 400, 0, NULL },
	{ "8-bit header", RAW("GET /api/v1/offices HTTP/1.1\r\n@HOST@"
	    "X-A: \xff\xfe\r\n\r\n"), 400, 0, NULL },
	{ "NUL in header", RAW("GET /api/v1/offices HTTP/1.1\r\n@HOST@"
	    "X-A: a\0b\r\n\r\n"), 0, 0, NULL },
	{ "folded header", RAW("GET /api/v1/offices HTTP/1.1\r\n@HOST@"
	    "X-A: a\r\n  folded\r\n\r\n"), 400, 0, NULL },
	{ "Basic auth", RAW("GET /api/v1/offices HTTP/1.1\r\n@HOST@"
	    "Authorization: Basic YWRtaW46YWRtaW4=\r\n\r\n"), 401, 0, NULL },
	{ "garbage bearer", RAW("GET /api/v1/offices HTTP/1.1\r\n@HOST@"
	    "Authorization: Bearer a.b.c\r\n\r\n"), 401, 0, NULL },
	{ "empty bearer", RAW("GET /api/v1/offices HTTP/1.1\r\n@HOST@"
	    "Authorization: Bearer \r\n\r\n"), 0, 0, NULL },
	{ "garbage cookie", RAW("GET /api/v1/offices HTTP/1.1\r\n@HOST@"
	    "Cookie: medex_session=%ff%00; medex_session=x\r\n\r\n"), 401, 0,
	    NULL },
	{ "bad If-Match", RAW("PATCH /api/v1/users/nobody HTTP/1.1\r\n@HOST@"
	    "@AUTH@If-Match: \"-99999999999999999999\"\r\nContent-Type: "
	    "application/json\r\nContent-Length: 2\r\n\r\n{}"), 0, 0, NULL },
	{ "bad Idempotency-Key", RAW("POST /api/v1/offices HTTP/1.1\r\n"
	    "@HOST@@AUTH@Idempotency-Key: \x7f\x7f\r\nContent-Type: "
	    "application/json\r\nContent-Length: @CL@\r\n\r\n"
	    "{\"code\":\"HXIK\",\"name\":\"x y\"}"), 400, 0, NULL },
	{ "X-Forwarded-For junk", RAW("GET /api/v1/offices HTTP/1.1\r\n"
	    "@HOST@X-Forwarded-For: ' OR 1=1 --, ::::, 999.1.1.1\r\n\r\n"),
	    401, 0, NULL },

	/* Content-Length. */
	{ "POST without length", RAW("POST /api/v1/offices HTTP/1.1\r\n"
	    "@HOST@@AUTH@Content-Type: application/json\r\n\r\n"), 411, 0,
	    NULL },
	{ "negative length", RAW("POST /api/v1/offices HTTP/1.1\r\n@HOST@"
	    "Content-Length: -1\r\n\r\n"), 411, 0, NULL },
	{ "letters for length", RAW("POST /api/v1/offices HTTP/1.1\r\n"
	    "@HOST@Content-Length: abc\r\n\r\n"), 411, 0, NULL },
	{ "exponent length", RAW("POST /api/v1/offices HTTP/1.1\r\n@HOST@"
	    "Content-Length: 1e3\r\n\r\n"), 411, 0, NULL },
	{ "overflowing length", RAW("POST /api/v1/offices HTTP/1.1\r\n"
	    "@HOST@Content-Length: 99999999999999999999999\r\n\r\n"), 411, 0,
	    NULL },
	{ "length over 2 MiB", RAW("POST /api/v1/offices HTTP/1.1\r\n"
	    "@HOST@Content-Length: 3000000\r\n\r\n"), 413, 0, NULL },
	{ "two lengths", RAW("POST /api/v1/offices HTTP/1.1\r\n@HOST@@AUTH@"
	    "Content-Type: application/json\r\nContent-Length: 2\r\n"
	    "Content-Length: 500\r\n\r\n{}"), 0, 0, NULL },
	{ "GET with a body", RAW("GET /api/v1/offices HTTP/1.1\r\n@HOST@"
	    "Content-Length: 5\r\n\r\nhello"), 401, 0, NULL },

	/* Chunked encoding, which Kore 4.1 does not take for requests. */
	{ "chunked, no length", RAW("POST /api/v1/offices HTTP/1.1\r\n@HOST@"
	    "@AUTH@Content-Type: application/json\r\nTransfer-Encoding: "
	    "chunked\r\n\r\n5\r\n{\"a\":\r\n0\r\n\r\n"), 411, 0, NULL },
	{ "chunked and length", RAW("POST /api/v1/offices HTTP/1.1\r\n@HOST@"
	    "@AUTH@Content-Type: application/json\r\nTransfer-Encoding: "
	    "chunked\r\nContent-Length: @CL@\r\n\r\n2\r\n{}\r\n0\r\n\r\n"), 400,
	    0, NULL },
	{ "bad chunk size", RAW("POST /api/v1/offices HTTP/1.1\r\n@HOST@"
	    "@AUTH@Content-Type: application/json\r\nTransfer-Encoding: "
	    "chunked\r\nContent-Length: @CL@\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"), 400,
	    0, NULL },
	{ "gzip, chunked", RAW("POST /api/v1/offices HTTP/1.1\r\n@HOST@"
	    "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"), 411, 0,
	    NULL },

	/* Methods. */
	{ "DELETE a list", RAW("DELETE /api/v1/offices HTTP/1.1\r\n@HOST@"
	    "@AUTH@\r\n"), 405, 0, NULL },
	{ "PUT a list", RAW("PUT /api/v1/offices HTTP/1.1\r\n@HOST@@AUTH@"
	    "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"),
	    405, 0, NULL },
	{ "OPTIONS", RAW("OPTIONS /api/v1/offices HTTP/1.1\r\n@HOST@\r\n"),
	    405, 0, NULL },
	{ "HEAD", RAW("HEAD /api/v1/offices HTTP/1.1\r\n@HOST@\r\n"), 405,
	    F_NOBODY, NULL },
	{ "PATCH healthz", RAW("PATCH /healthz HTTP/1.1\r\n@HOST@"
	    "Content-Length: 0\r\n\r\n"), 405, 0, NULL },
	{ "PUT over HTTP/1.0", RAW("PUT /api/v1/offices HTTP/1.0\r\n@HOST@"
	    "Content-Length: 0\r\n\r\n"), 405, 0, NULL },
	{ "pipelined junk", RAW("GET /api/v1/nothing HTTP/1.1\r\n@HOST@\r\n"
	    "JUNK\r\n\r\n"), 404, 0, NULL },
};

static const struct jcase json_cases[] = {
	{ "unclosed object", RAW("{"), 400, "malformed_json" },
	{ "invalid UTF-8 string", RAW("{\"code\":\"HX\xff\",\"name\":\"a\"}"),
	    400, "malformed_json" },
	{ "overlong UTF-8", RAW("{\"code\":\"HX1\",\"name\":\"\xc0\xaf\"}"),
	    400, "malformed_json" },
	{ "UTF-8 surrogate", RAW("{\"code\":\"HX1\",\"name\":\"\xed\xa0\x80"
	    "\"}"), 400, "malformed_json" },
	{ "lone escaped surrogate", RAW("{\"code\":\"HX1\",\"name\":"
	    "\"\\ud800\"}"), 400, "malformed_json" },
	{ "invalid UTF-8 key", RAW("{\"\xfe\":1}"), 400, "malformed_json" },
	/* Issue 19: a number that does not fit is 422 on its field. */
	{ "real overflow", RAW("{\"code\":1e999999,\"name\":\"a\"}"), 422,
	    "validation_failed" },
	{ "integer overflow", RAW("{\"code\":1234567890123456789012345678901"
	    ",\"name\":\"a\"}"), 422, "validation_failed" },
	{ "real underflow", RAW("{\"code\":-1e-999999,\"name\":\"a\"}"), 422,
	    "validation_failed" },
	{ "raw NUL in string", RAW("{\"code\":\"HX\0A\",\"name\":\"a\"}"), 400,
	    "malformed_json" },
	{ "escaped NUL", RAW("{\"code\":\"HX2\",\"name\":\"a\\u0000b\"}"), 400,
	    "malformed_json" },
	{ "duplicate keys", RAW("{\"code\":\"HXDUPA\",\"code\":\"HXDUPB\","
	    "\"name\":\"a\"}"), 400, "malformed_json" },
	{ "array body", RAW("[{\"code\":\"HX3\",\"name\":\"a\"}]"), 400,
	    "malformed_json" },
	{ "string body", RAW("\"HX4\""), 400, "malformed_json" },
	{ "empty body", RAW(""), 400, "malformed_json" },
	{ "trailing garbage", RAW("{\"code\":\"HX5\",\"name\":\"a\"} x"), 400,
	    "malformed_json" },
	{ "two objects", RAW("{\"code\":\"HX6\",\"name\":\"a\"}{}"), 400,
	    "malformed_json" },
	{ "byte order mark", RAW("\xef\xbb\xbf{\"code\":\"HX7\",\"name\":"
	    "\"a\"}"), 400, "malformed_json" },
	{ "single quotes", RAW("{'code':'HX8','name':'a'}"), 400,
	    "malformed_json" },
	{ "comment", RAW("{\"code\":\"HX9\", /* c */ \"name\":\"a\"}"), 400,
	    "malformed_json" },
	{ "NaN", RAW("{\"code\":NaN,\"name\":\"a\"}"), 400, "malformed_json" },
	{ "wrong types", RAW("{\"code\":{\"a\":1},\"name\":[1]}"), 422,
	    "validation_failed" },
	{ "unknown field", RAW("{\"code\":\"HXA\",\"name\":\"a\",\"admin\":"
	    "true}"), 422, "validation_failed" },
	{ "control in name", RAW("{\"code\":\"HXB\",\"name\":\"a\\u001bb\"}"),
	    422, "validation_failed" },
	{ "bidi override name", RAW("{\"code\":\"HXC\",\"name\":\"a\\u202eb"
	    "\"}"), 422, "validation_failed" },
	{ "lower-case code", RAW("{\"code\":\"hxd\",\"name\":\"a\"}"), 422,
	    "validation_failed" },
	{ "SQL in code", RAW("{\"code\":\"HX'); DROP TABLE offices;--\","
	    "\"name\":\"a\"}"), 422, "validation_failed" },
};

static char *
gen_fill(const char *head, char c, size_t n, const char *tail, size_t *len)
{
	size_t	hl, tl;
	char	*p;

	hl = strlen(head);
	tl = strlen(tail);
	if ((p = malloc(hl + n + tl + 1)) == NULL)
		abort();
	memcpy(p, head, hl);
	memset(p + hl, c, n);
	memcpy(p + hl + n, tail, tl + 1);
	*len = hl + n + tl;
	return (p);
}

static char *
gen_long_path(size_t *len)
{
	return (gen_fill("GET /api/v1/", 'a', 5000, " HTTP/1.1\r\n@HOST@\r\n",
	    len));
}

static char *
gen_path_1900(size_t *len)
{
	return (gen_fill("GET /api/v1/users/", 'a', 1900, " HTTP/1.1\r\n"
	    "@HOST@@AUTH@\r\n", len));
}

static char *
gen_big_header(size_t *len)
{
	return (gen_fill("GET /api/v1/offices HTTP/1.1\r\n@HOST@X-Big: ", 'x',
	    7000, "\r\n\r\n", len));
}

static char *
gen_huge_header(size_t *len)
{
	return (gen_fill("GET /api/v1/offices HTTP/1.1\r\n@HOST@X-Big: ", 'x',
	    100000, "\r\n\r\n", len));
}

static char *
gen_long_token(size_t *len)
{
	return (gen_fill("GET /api/v1/offices HTTP/1.1\r\n@HOST@"
	    "Authorization: Bearer ey", 'A', 6000, ".e.e\r\n\r\n", len));
}

static char *
gen_many_headers(size_t *len)
{
	char	*p;
	size_t	 i, o;

	if ((p = malloc(64 + 200 * 16 + 16)) == NULL)
		abort();
	o = (size_t)sprintf(p, "GET /api/v1/offices HTTP/1.1\r\n@HOST@");
	for (i = 0; i < 200; i++)
		o += (size_t)sprintf(p + o, "X-R%03zu: %zu\r\n", i % 3, i);
	o += (size_t)sprintf(p + o, "\r\n");
	*len = o;
	return (p);
}

static char *
gen_repeated_auth(size_t *len)
{
	char	*p;
	size_t	 i, o;

	if ((p = malloc(64 + 20 * 32 + 16)) == NULL)
		abort();
	o = (size_t)sprintf(p, "GET /api/v1/offices HTTP/1.1\r\n@HOST@");
	for (i = 0; i < 20; i++)
		o += (size_t)sprintf(p + o, "Authorization: Bearer x%zu\r\n", i);
	o += (size_t)sprintf(p + o, "\r\n");
	*len = o;
	return (p);
}

static const struct hcase gen_cases[] = {
	{ "path of 5000 bytes", NULL, 0, 414, 0, gen_long_path },
	{ "path of 1900 bytes", NULL, 0, 404, 0, gen_path_1900 },
	{ "7000-byte header", NULL, 0, 401, 0, gen_big_header },
	{ "100 KB header", NULL, 0, 0, 0, gen_huge_header },
	{ "6 KB token", NULL, 0, 401, 0, gen_long_token },
	{ "200 headers", NULL, 0, 0, 0, gen_many_headers },
	{ "20 Authorization headers", NULL, 0, 401, 0, gen_repeated_auth },
};

/* data with @HOST@ and @AUTH@ replaced; malloc'd, *outlen its length. */
static char *
expand(const char *data, size_t len, size_t *outlen)
{
	char		 host[64], auth[4400], cl[32];
	const char	*rep, *end;
	char		*out;
	size_t		 i, o, cap, rl;

	snprintf(host, sizeof(host), "Host: 127.0.0.1:%d\r\n", tr_port());
	snprintf(auth, sizeof(auth), "%s\r\n", admin.bearer);
	end = memmem(data, len, "\r\n\r\n", 4);
	snprintf(cl, sizeof(cl), "%zu", end != NULL ?
	    len - (size_t)(end + 4 - data) : 0);
	cap = len + 16 * (sizeof(auth) + sizeof(host)) + 1;
	if ((out = malloc(cap)) == NULL)
		abort();
	o = 0;
	for (i = 0; i < len; ) {
		rep = NULL;
		if (len - i >= 6 && memcmp(data + i, "@HOST@", 6) == 0)
			rep = host;
		else if (len - i >= 6 && memcmp(data + i, "@AUTH@", 6) == 0)
			rep = auth;
		if (rep != NULL || (len - i >= 4 &&
		    memcmp(data + i, "@CL@", 4) == 0)) {
			if (rep == NULL)
				rep = cl;
			rl = strlen(rep);
			if (o + rl >= cap)
				abort();
			memcpy(out + o, rep, rl);
			o += rl;
			i += rep == cl ? 4 : 6;
			continue;
		}
		if (o + 1 >= cap) {
			cap *= 2;
			if ((out = realloc(out, cap)) == NULL)
				abort();
		}
		out[o++] = data[i++];
	}
	out[o] = '\0';
	*outlen = o;
	return (out);
}

static void
healthz_ok(const char *after)
{
	struct t_resp	r;

	t_get("/healthz", NULL, &r);
	ck_assert_msg(r.status == 200, "/healthz %ld after \"%s\"", r.status,
	    after);
	t_resp_free(&r);
}

/* The verdict on one answer; path says whether it was under /api/. */
static void
judge(const char *name, const struct tr_resp *r, int want, int flags,
    int api)
{
	json_t		*j;
	char		*rid, *ct;
	const char	*code, *msg;

	ck_assert_msg(!r->timed_out || r->status != 0,
	    "\"%s\": no answer and not closed within %d ms", name, WAIT_MS);
	ck_assert_msg(r->status == 0 || (r->status >= 400 && r->status < 500)
	    || (r->status == 505 && (flags & F_VERSION)),
	    "\"%s\": status %d", name, r->status);
	ck_assert_msg(strstr(r->data, "\r\nHTTP/1.1 5") == NULL,
	    "\"%s\": a later answer was a 5xx", name);
	if (want != 0)
		ck_assert_msg(r->status == want, "\"%s\": status %d, wanted "
		    "%d", name, r->status, want);
	if (r->status == 0) {
		printf("closed: %-28s\n", name);
		return;
	}
	rid = tr_header(r, "x-request-id");
	if (rid == NULL) {
		printf("kore: %-28s %d\n", name, r->status);
		kore_answers++;
		return;
	}
	free(rid);
	if (!api || (flags & F_NOBODY))
		return;
	ct = tr_header(r, "content-type");
	ck_assert_msg(ct != NULL && strncmp(ct, "application/json", 16) == 0,
	    "\"%s\": content-type %s", name, ct ? ct : "(none)");
	free(ct);
	ck_assert_msg(r->body != NULL, "\"%s\": no body", name);
	j = json_loadb(r->body, r->body_len, 0, NULL);
	ck_assert_msg(j != NULL, "\"%s\": body not JSON: %s", name, r->body);
	code = json_string_value(json_object_get(json_object_get(j, "error"),
	    "code"));
	msg = json_string_value(json_object_get(json_object_get(j, "error"),
	    "message"));
	ck_assert_msg(code != NULL && msg != NULL && *msg != '\0',
	    "\"%s\": not the error shape: %s", name, r->body);
	json_decref(j);
}

static void
run_case(const struct hcase *c)
{
	struct tr_resp	 r;
	char		*gen, *req;
	size_t		 glen, len;
	int		 api;

	gen = NULL;
	if (c->gen != NULL)
		gen = c->gen(&glen);
	req = expand(gen ? gen : c->data, gen ? glen : c->len, &len);
	api = strstr(req, " /api/") != NULL;
	ck_assert_msg(tr_exchange(req, len, WAIT_MS, &r) == 0,
	    "\"%s\": could not connect", c->name);
	judge(c->name, &r, c->want, c->flags, api);
	tr_resp_free(&r);
	free(req);
	free(gen);
	healthz_ok(c->name);
}

/* Through nginx: whoever answered, a 4xx (or 501, 505) in JSON. */
static void
judge_front(const char *name, const struct tr_resp *r, int flags)
{
	json_t		*j;
	char		*ct, *server;
	const char	*code;

	/* A HEAD answer has a length and no body: read until the deadline. */
	ck_assert_msg(!r->timed_out || ((flags & F_NOBODY) && r->status != 0),
	    "\"%s\" via nginx: no answer within %d ms", name, WAIT_MS);
	if (r->status == 0) {
		printf("nginx: %-28s closed\n", name);
		return;
	}
	ck_assert_msg((r->status >= 400 && r->status < 500) ||
	    r->status == 501 || r->status == 505, "\"%s\" via nginx: status "
	    "%d", name, r->status);
	server = tr_header(r, "server");
	ck_assert_msg(server == NULL || strchr(server, '/') == NULL,
	    "\"%s\" via nginx: Server: %s (a version)", name, server);
	free(server);
	if (flags & F_NOBODY)
		return;
	ct = tr_header(r, "content-type");
	ck_assert_msg(ct != NULL && strncmp(ct, "application/json", 16) == 0,
	    "\"%s\" via nginx: %d with content-type %s: %s", name, r->status,
	    ct ? ct : "(none)", r->body ? r->body : "(no body)");
	free(ct);
	ck_assert_msg(r->body != NULL, "\"%s\" via nginx: no body", name);
	j = json_loadb(r->body, r->body_len, 0, NULL);
	code = json_string_value(json_object_get(json_object_get(j, "error"),
	    "code"));
	ck_assert_msg(code != NULL, "\"%s\" via nginx: not the error shape: "
	    "%s", name, r->body);
	printf("nginx: %-28s %d %s\n", name, r->status, code);
	json_decref(j);
}

static void
run_case_front(const struct hcase *c)
{
	struct tr_resp	 r;
	char		*gen, *req;
	size_t		 glen, len;

	gen = NULL;
	if (c->gen != NULL)
		gen = c->gen(&glen);
	req = expand(gen ? gen : c->data, gen ? glen : c->len, &len);
	ck_assert_msg(tr_exchange(req, len, (c->flags & F_NOBODY) ? 2000 :
	    WAIT_MS, &r) == 0, "\"%s\": could not connect to nginx",
	    c->name);
	judge_front(c->name, &r, c->flags);
	tr_resp_free(&r);
	free(req);
	free(gen);
	healthz_ok(c->name);
}

static void
setup(void)
{
	t_user("hostile.admin", "admin", "HOSTX");
	t_login_ok("hostile.admin", &admin);
}

START_TEST(malformed_requests_get_4xx)
{
	size_t	i;

	for (i = 0; i < sizeof(raw_cases) / sizeof(raw_cases[0]); i++)
		run_case(&raw_cases[i]);
	for (i = 0; i < sizeof(gen_cases) / sizeof(gen_cases[0]); i++)
		run_case(&gen_cases[i]);
}
END_TEST

static void
post_body(const char *name, const char *body, size_t blen, int want,
    const char *code)
{
	struct tr_resp	 r;
	char		 head[5000], *req;
	size_t		 hl, len;
	json_t		*j;
	const char	*got;

	hl = (size_t)snprintf(head, sizeof(head), "POST /api/v1/offices "
	    "HTTP/1.1\r\nHost: 127.0.0.1\r\n%s\r\nContent-Type: "
	    "application/json\r\nContent-Length: %zu\r\n\r\n", admin.bearer,
	    blen);
	if ((req = malloc(hl + blen)) == NULL)
		abort();
	memcpy(req, head, hl);
	memcpy(req + hl, body, blen);
	len = hl + blen;
	ck_assert_msg(tr_exchange(req, len, WAIT_MS, &r) == 0,
	    "\"%s\": could not connect", name);
	judge(name, &r, want, 0, 1);
	if (code != NULL) {
		j = json_loadb(r.body, r.body_len, 0, NULL);
		got = json_string_value(json_object_get(json_object_get(j,
		    "error"), "code"));
		ck_assert_msg(got != NULL && strcmp(got, code) == 0,
		    "\"%s\": code %s, wanted %s", name, got ? got : "(none)",
		    code);
		json_decref(j);
	}
	tr_resp_free(&r);
	free(req);
	healthz_ok(name);
}

static char *
nested(size_t depth, size_t *len)
{
	char	*p;
	size_t	 i, o;

	if ((p = malloc(depth * 2 + 64)) == NULL)
		abort();
	o = (size_t)sprintf(p, "{\"code\":\"HXN\",\"name\":");
	for (i = 0; i < depth; i++)
		p[o++] = '[';
	for (i = 0; i < depth; i++)
		p[o++] = ']';
	p[o++] = '}';
	p[o] = '\0';
	*len = o;
	return (p);
}

START_TEST(hostile_json_bodies_get_4xx_and_create_nothing)
{
	PGconn	*db;
	char	*v, *b;
	size_t	 i, len;

	for (i = 0; i < sizeof(json_cases) / sizeof(json_cases[0]); i++)
		post_body(json_cases[i].name, json_cases[i].body,
		    json_cases[i].len, json_cases[i].want, json_cases[i].code);

	/* Nesting: past the limit (32), at jansson's own, and far past it. */
	b = nested(33, &len);
	post_body("nested 33 deep", b, len, 400, "malformed_json");
	free(b);
	b = nested(2000, &len);
	post_body("nested 2000 deep", b, len, 400, "malformed_json");
	free(b);
	b = nested(30000, &len);
	post_body("nested 30000 deep", b, len, 400, "malformed_json");
	free(b);
	b = nested(20, &len);
	post_body("nested 20 deep", b, len, 422, "validation_failed");
	free(b);

	/* A name far past its 200 characters, and a body past 64 KiB. */
	b = gen_fill("{\"code\":\"HXL\",\"name\":\"", 'n', 60000, "\"}", &len);
	post_body("60 KB name", b, len, 422, "validation_failed");
	free(b);
	b = gen_fill("{\"code\":\"HXM\",\"name\":\"", 'n', 70000, "\"}", &len);
	post_body("body over 64 KiB", b, len, 413, "payload_too_large");
	free(b);

	db = t_db("db_owner");
	v = t_db_value(db, "SELECT count(*) FROM offices WHERE code LIKE "
	    "'HX%'");
	ck_assert_msg(strcmp(v, "0") == 0, "%s offices were created", v);
	free(v);
	PQfinish(db);
	printf("hostile: %zu raw, %zu generated, %zu JSON + 6 more cases; "
	    "%d answered by Kore itself\n", sizeof(raw_cases) /
	    sizeof(raw_cases[0]), sizeof(gen_cases) / sizeof(gen_cases[0]),
	    sizeof(json_cases) / sizeof(json_cases[0]), kore_answers);
}
END_TEST

/*
 * Requests that never finish: a request line without its end, headers
 * without the blank line, a body shorter than its length.  All are open
 * at once; others are served meanwhile, and the server ends each (408 or
 * a close) by its header or body timeout, never with a 5xx.
 */
START_TEST(unfinished_requests_time_out_and_do_not_block)
{
	static const char *const slow[] = {
		"GET /api/v1/offi",
		"GET /api/v1/offices HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: 1",
		"POST /api/v1/offices HTTP/1.1\r\nHost: 127.0.0.1\r\n"
		    "Content-Type: application/json\r\nContent-Length: 100\r\n"
		    "\r\n{\"code\":",
		"POST /api/v1/offices HTTP/1.1\r\nHost: 127.0.0.1\r\n"
		    "Content-Length: 2000000\r\n\r\n",
	};
	struct tr_resp	r;
	int		fd[4];
	size_t		i;
	long		t0;

	for (i = 0; i < 4; i++) {
		fd[i] = tr_connect();
		ck_assert_int_ge(fd[i], 0);
		ck_assert_int_eq(tr_send(fd[i], slow[i], strlen(slow[i])), 0);
	}
	healthz_ok("unfinished requests");
	t0 = tr_now_ms();
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(tr_read(fd[i], (int)(SLOW_WAIT_MS -
		    (tr_now_ms() - t0)), &r), 0);
		ck_assert_msg(!r.timed_out, "unfinished request %zu: still "
		    "open after %d ms", i, SLOW_WAIT_MS);
		ck_assert_msg(r.status == 0 || (r.status >= 400 &&
		    r.status < 500), "unfinished request %zu: %d", i,
		    r.status);
		printf("unfinished %zu: %s %d\n", i, r.status ? "status" :
		    "closed", r.status);
		tr_resp_free(&r);
		close(fd[i]);
	}
	healthz_ok("unfinished requests ended");
}
END_TEST

static char	front_direct[256];

/*
 * nginx from conf/nginx-medex.conf in front of the test server; its
 * second upstream (port 9) has nobody listening, so nginx uses the first.
 */
static void
front_up(void)
{
	FILE	*fp;
	char	 cmd[1024], ports[64], url[256], ca[1024];
	int	 https, http;

	setup();
	snprintf(front_direct, sizeof(front_direct), "%s", t_url());
	snprintf(cmd, sizeof(cmd), "%s/tests/http/nginx_front.sh start 9",
	    getenv("MEDEX_TEST_ROOT"));
	fp = popen(cmd, "r");
	ck_assert_ptr_nonnull(fp);
	ck_assert_ptr_nonnull(fgets(ports, sizeof(ports), fp));
	ck_assert_int_eq(pclose(fp), 0);
	ck_assert_int_eq(sscanf(ports, "%d %d", &https, &http), 2);
	snprintf(url, sizeof(url), "https://127.0.0.1:%d", https);
	snprintf(ca, sizeof(ca), "%s/nginx/fullchain.pem",
	    getenv("MEDEX_DATA"));
	setenv("MEDEX_TEST_URL", url, 1);
	setenv("MEDEX_TEST_CAINFO", ca, 1);
}

static void
front_down(void)
{
	char	cmd[1024];

	snprintf(cmd, sizeof(cmd), "%s/tests/http/nginx_front.sh stop",
	    getenv("MEDEX_TEST_ROOT"));
	(void)t_run(cmd);
	setenv("MEDEX_TEST_URL", front_direct, 1);
	unsetenv("MEDEX_TEST_CAINFO");
}

START_TEST(malformed_requests_through_nginx_answer_json)
{
	struct tr_resp	r;
	size_t		i;

	/* A well-formed request reaches medex through the same path. */
	ck_assert_int_eq(tr_exchange(RAW("GET /healthz HTTP/1.1\r\n"
	    "Host: 127.0.0.1\r\n\r\n"), WAIT_MS, &r), 0);
	ck_assert_int_eq(r.status, 200);
	tr_resp_free(&r);
	for (i = 0; i < sizeof(raw_cases) / sizeof(raw_cases[0]); i++)
		run_case_front(&raw_cases[i]);
	for (i = 0; i < sizeof(gen_cases) / sizeof(gen_cases[0]); i++)
		run_case_front(&gen_cases[i]);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("hostile");
	tc = tcase_create("raw");
	tcase_set_timeout(tc, 300);
	tcase_add_unchecked_fixture(tc, setup, NULL);
	tcase_add_test(tc, malformed_requests_get_4xx);
	tcase_add_test(tc, hostile_json_bodies_get_4xx_and_create_nothing);
	tcase_add_test(tc, unfinished_requests_time_out_and_do_not_block);
	suite_add_tcase(s, tc);
	tc = tcase_create("front");
	tcase_set_timeout(tc, 300);
	tcase_add_unchecked_fixture(tc, front_up, front_down);
	tcase_add_test(tc, malformed_requests_through_nginx_answer_json);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
