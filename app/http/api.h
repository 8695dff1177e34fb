/*
 * What every API handler shares (api.c): the JSON body, the 422 and 400
 * answers, one api_* SQL call with the caller's context in front, its
 * api_result row as the answer, If-Match, list pages and
 * Idempotency-Key.
 */
#ifndef MEDEX_API_H
#define MEDEX_API_H

#include <jansson.h>

#include "medex.h"
#include "validate.h"

/* The api_result row (status, body, etag, location) into mr. */
void		 api_result_cb(struct http_request *, struct medex_req *,
		    struct kore_pgsql *);
/* An api_* function: the six context parameters, then n more. */
int		 api_call(struct http_request *, struct medex_req *,
		    const char *, int, const char **);
int		 api_call_cb(struct http_request *, struct medex_req *,
		    const char *, int, const char **, db_result_cb);
/* "true" if the caller's role may use this route, else "false". */
const char	*api_role_ok(struct medex_req *);
int		 api_validation(struct http_request *, struct medex_req *,
		    struct ferrs *);
int		 api_bad_request(struct http_request *, struct medex_req *,
		    const char *);
json_t		*api_body(struct http_request *, struct medex_req *, int *);

/*
 * A body refused before the database is asked: answered by the caller
 * in API.md's order (issue 19: a PATCH without If-Match is 428 even
 * when its body is malformed), via the SQL's {"$error": ...}.
 */
struct api_body_err {
	int		 status;
	const char	*code;
	const char	*message;
};
json_t		*api_body_deferred(struct http_request *,
		    struct api_body_err *);
char		*api_body_err_json(const struct api_body_err *);
char		*api_body_read(struct http_request *, size_t, size_t *);
long long	 api_if_match(struct http_request *);

/* ?limit= and ?cursor=: 0 on a bad value. */
int		 api_page(struct http_request *, char *, size_t, char *,
		    size_t, int *);
/* The same, answering 400 itself: 0 after answering. */
struct api_list {
	char		 limit[16];
	char		 after[130];
	const char	*cursor;	/* after, or NULL on the first page */
};
int		 api_list_page(struct http_request *, struct medex_req *,
		    struct api_list *, int *);

void		 api_request_hash(struct http_request *, const char *,
		    char [65]);
int		 api_key_valid(const char *);
int		 api_idem_key(struct http_request *, const char **);
/* Idempotency-Key and the hash of the body j: 0 after answering 400. */
int		 api_idem(struct http_request *, struct medex_req *,
		    json_t *, const char **, char [65], int *);

#endif
