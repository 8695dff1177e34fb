/*
 * GET /api/v1/audit (lead ME): the office's case trail and security log
 * as one list, newest first, filtered by case, user, kind, a searched
 * text and a range of days (API.md "Audit").  The filters are checked
 * here and passed as one JSON object to api_audit (sql/audit.sql), so
 * that the /audit page (pages/audit.c) prepares them the same way.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "medex.h"
#include "api.h"
#include "api_audit.h"
#include "handlers.h"
#include "query.h"
#include "respond.h"
#include "validate.h"

/* A query parameter into j under name: 0 when present but bad. */
static int
audit_param(struct http_request *req, json_t *j, const char *name,
    char *buf, size_t len)
{
	int	q;

	if ((q = query_get(req->query_string, name, buf, len)) == QUERY_BAD)
		return (0);
	if (q == QUERY_ABSENT || *buf == '\0')
		return (1);
	json_object_set_new(j, name, json_string(buf));
	return (1);
}

static int
all_of(const char *s, const char *set, size_t max)
{
	size_t	n;

	n = strlen(s);
	return (n >= 1 && n <= max && strspn(s, set) == n);
}

const char *
audit_prepare(struct http_request *req, struct audit_q *q)
{
	struct vdate	 d;
	json_t		*j;
	const char	*v, *why;
	char		 buf[400];
	int		 has_after;

	memset(q, 0, sizeof(*q));
	if (!api_page(req, q->limit, sizeof(q->limit), q->after,
	    sizeof(q->after), &has_after))
		return ("limit must be 1-200 and cursor one given by a "
		    "previous page.");
	j = json_object();
	why = NULL;
	if (!audit_param(req, j, "case", buf, sizeof(buf)) ||
	    ((v = json_string_value(json_object_get(j, "case"))) != NULL &&
	    !all_of(v, "0123456789", 18)))
		why = "case must be a case id.";
	else if (!audit_param(req, j, "user", buf, 80) ||
	    ((v = json_string_value(json_object_get(j, "user"))) != NULL &&
	    !validate_username(v)))
		why = "user must be a username.";
	else if (!audit_param(req, j, "kind", buf, 48) ||
	    ((v = json_string_value(json_object_get(j, "kind"))) != NULL &&
	    !all_of(v, "abcdefghijklmnopqrstuvwxyz_", 40)))
		why = "kind must be a kind of event, such as viewed or search.";
	else if (!audit_param(req, j, "q", buf, sizeof(buf)) ||
	    ((v = json_string_value(json_object_get(j, "q"))) != NULL &&
	    strlen(v) > 200))
		why = "q must be at most 200 characters.";
	else if (!audit_param(req, j, "from", buf, 16) ||
	    ((v = json_string_value(json_object_get(j, "from"))) != NULL &&
	    !validate_date(v, &d)))
		why = "from must be a date, YYYY-MM-DD.";
	else if (!audit_param(req, j, "to", buf, 16) ||
	    ((v = json_string_value(json_object_get(j, "to"))) != NULL &&
	    !validate_date(v, &d)))
		why = "to must be a date, YYYY-MM-DD.";
	if (why == NULL)
		q->filter = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (why != NULL)
		return (why);
	if (q->filter == NULL)
		return ("the filters could not be read.");
	q->params[0] = q->limit;
	q->params[1] = has_after ? q->after : NULL;
	q->params[2] = q->filter;
	return (NULL);
}

void
audit_q_free(struct audit_q *q)
{
	free(q->filter);
	q->filter = NULL;
}

int
api_audit(struct http_request *req, struct medex_req *mr)
{
	struct audit_q	 q;
	const char	*why;
	int		 ret;

	if ((why = audit_prepare(req, &q)) != NULL)
		return (api_bad_request(req, mr, why));
	ret = api_call(req, mr, AUDIT_SQL, 3, q.params);
	audit_q_free(&q);
	return (ret);
}
