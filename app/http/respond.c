/*
 * Writing the answer.  Every request leaves through medex_respond(),
 * which adds the common headers and writes the single log line.  Errors
 * under /api/ are API.md's JSON shape, errors of pages a page in the
 * NHS layout (written by pages/page_frame.c).  This is the bottom of the
 * Kore side: it calls nothing of it above the page frame.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "medex.h"
#include "json_writer.h"
#include "page.h"
#include "page_frame.h"
#include "respond.h"

static void	medex_log(struct http_request *, struct medex_req *, int);

const char *
medex_method_name(int m)
{
	switch (m) {
	case HTTP_METHOD_GET:
		return ("GET");
	case HTTP_METHOD_POST:
		return ("POST");
	case HTTP_METHOD_PUT:
		return ("PUT");
	case HTTP_METHOD_PATCH:
		return ("PATCH");
	case HTTP_METHOD_DELETE:
		return ("DELETE");
	case HTTP_METHOD_HEAD:
		return ("HEAD");
	case HTTP_METHOD_OPTIONS:
		return ("OPTIONS");
	}
	return ("OTHER");
}

/*
 * One line per request: time, request id, method, path (Kore has already
 * cut the query string off, which is where search terms travel), status,
 * duration, and of that the time spent waiting for a database connection
 * and in the database; batch=N when its read went in one statement with
 * others, N reads in all (db_batch.c).  Never a name, NHS number, body or
 * token.
 */
static void
medex_log(struct http_request *req, struct medex_req *mr, int status)
{
	char		 when[32], batch[24];
	struct tm	 tm;
	time_t		 now;

	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	batch[0] = '\0';
	if (mr->b_size > 1)
		snprintf(batch, sizeof(batch), " batch=%d", mr->b_size);
	printf("%s req=%s %s %.200s %d %" PRIu64 "ms wait=%" PRIu64
	    "ms db=%" PRIu64 "ms%s\n", when, mr->reqid,
	    medex_method_name(req->method), req->path, status,
	    kore_time_ms() - mr->start, mr->db_wait_ms, mr->db_query_ms,
	    batch);
	fflush(stdout);
}

void
medex_header(struct http_request *req, const char *name, const char *value)
{
	http_response_header(req, name, value);
}

/*
 * Several steps may decide that an answer is a 429 or 503 (the login's
 * throttle, then the error writer): the header goes out once, with the
 * most specific number of seconds (mr->retry_after when a step set it).
 */
void
medex_retry_after(struct http_request *req, struct medex_req *mr)
{
	char	secs[16];

	if (mr->retry_after_sent)
		return;
	mr->retry_after_sent = 1;
	if (mr->retry_after > 0) {
		snprintf(secs, sizeof(secs), "%d", mr->retry_after);
		http_response_header(req, "retry-after", secs);
	} else
		http_response_header(req, "retry-after", RETRY_AFTER_SECONDS);
}

int
medex_respond(struct http_request *req, struct medex_req *mr, int status,
    const char *content_type, const void *data, size_t len)
{
	http_response_header(req, "x-request-id", mr->reqid);
	http_response_header(req, "x-content-type-options", "nosniff");
	http_response_header(req, "referrer-policy", "no-referrer");
	/* No other site may open, embed or read what medex answers. */
	http_response_header(req, "cross-origin-opener-policy", "same-origin");
	http_response_header(req, "cross-origin-resource-policy",
	    "same-origin");
	http_response_header(req, "permissions-policy", "camera=(), "
	    "microphone=(), geolocation=(), payment=(), usb=()");
	http_response_header(req, "cache-control", mr->cache_control != NULL ?
	    mr->cache_control : "no-store");
	/* Pages need it; JSON loses nothing by carrying it too. */
	http_response_header(req, "content-security-policy", PAGE_CSP);
	http_response_header(req, "x-frame-options", "DENY");
	if (content_type != NULL)
		http_response_header(req, "content-type", content_type);
	medex_log(req, mr, status);
	http_response(req, status, data, len);
	return (KORE_RESULT_OK);
}

int
api_json(struct http_request *req, struct medex_req *mr, int status,
    struct sbuf *sb)
{
	if (sb->oom)
		return (api_error(req, mr, 500, "internal_error",
		    "The answer could not be built."));
	return (medex_respond(req, mr, status,
	    "application/json; charset=utf-8", sb->data, sb->len));
}

int
api_error_fields(struct http_request *req, struct medex_req *mr, int status,
    const char *code, const char *message, const char *(*fields)[2],
    size_t nfields)
{
	struct sbuf	sb;
	int		ret;

	if (mr->is_page)
		return (pages_error(req, mr, status, message));
	sbuf_init(&sb, 64 * 1024);
	json_error_body(&sb, code, message, fields, nfields);
	if (status == 503 || status == 429)
		medex_retry_after(req, mr);
	ret = medex_respond(req, mr, status, "application/json; charset=utf-8",
	    sb.data, sb.len);
	sbuf_free(&sb);
	return (ret);
}

int
api_error(struct http_request *req, struct medex_req *mr, int status,
    const char *code, const char *message)
{
	return (api_error_fields(req, mr, status, code, message, NULL, 0));
}

int
pages_error(struct http_request *req, struct medex_req *mr, int status,
    const char *message)
{
	if (status == 503 || status == 429)
		medex_retry_after(req, mr);
	page_error_body(mr, status, message);
	return (medex_respond(req, mr, mr->status, mr->content_type,
	    mr->body.data, mr->body.len));
}
