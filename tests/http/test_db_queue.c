/*
 * More requests at once than database connections (db_async.c's
 * first-come queue: 4 connections a worker by default).  Every request
 * is answered; clients that give up while queued do not keep a place or
 * a connection; and the log line of each request says how long it waited
 * for a connection and how long it spent in the database.  How fast is
 * for bench/, never asserted here.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"
#include "testraw.h"

#define CLIENTS		40
#define EACH		5
#define QUITTERS	64

struct client {
	pthread_t	 thread;
	int		 ok;		/* answers 200 */
	char		 last_id[40];	/* X-Request-Id of the last one */
};

static struct t_session	lead;

static void
setup(void)
{
	t_office("QUEUE");
	t_user("queue.lead", "lead_medical_examiner", "QUEUE");
	t_login_ok("queue.lead", &lead);
}

/* EACH reads of the office's queue, one after the other. */
static void *
client_main(void *arg)
{
	struct client	*c = arg;
	struct t_resp	 r;
	char		*id;
	int		 i;

	for (i = 0; i < EACH; i++) {
		if (t_get("/api/v1/cases?limit=50", lead.bearer, &r) != 0)
			continue;
		if (r.status == 200)
			c->ok++;
		if ((id = t_header(&r, "x-request-id")) != NULL) {
			snprintf(c->last_id, sizeof(c->last_id), "%s", id);
			free(id);
		}
		t_resp_free(&r);
	}
	return (NULL);
}

/* CLIENTS at once, EACH requests each: the number answered 200. */
static int
crowd(struct client *c)
{
	int	i, ok;

	memset(c, 0, sizeof(*c) * CLIENTS);
	for (i = 0; i < CLIENTS; i++)
		ck_assert_int_eq(pthread_create(&c[i].thread, NULL,
		    client_main, &c[i]), 0);
	ok = 0;
	for (i = 0; i < CLIENTS; i++) {
		pthread_join(c[i].thread, NULL);
		ok += c[i].ok;
	}
	return (ok);
}

START_TEST(more_requests_than_connections_are_all_answered)
{
	struct client	 c[CLIENTS];

	ck_assert_int_eq(crowd(c), CLIENTS * EACH);
}
END_TEST

/*
 * Clients that send a request and hang up at once, many more than there
 * are connections, so that some of them are queued when they go.  A
 * place or a connection kept by one of them would be lost for good; a
 * crowd after them is still answered in full.
 */
START_TEST(clients_that_hang_up_in_the_queue_leave_no_place_taken)
{
	struct client	 c[CLIENTS];
	char		 req[8192];
	int		 fds[QUITTERS], i, n;

	n = snprintf(req, sizeof(req), "GET /api/v1/cases?limit=50 HTTP/1.1\r\n"
	    "Host: localhost\r\n%s\r\n\r\n", lead.bearer);
	ck_assert_int_lt(n, (int)sizeof(req));
	for (i = 0; i < QUITTERS; i++) {
		fds[i] = tr_connect();
		ck_assert_int_ge(fds[i], 0);
		ck_assert_int_eq(tr_send(fds[i], req, (size_t)n), 0);
	}
	for (i = 0; i < QUITTERS; i++)
		close(fds[i]);
	ck_assert_int_eq(crowd(c), CLIENTS * EACH);
	ck_assert_int_eq(crowd(c), CLIENTS * EACH);
}
END_TEST

START_TEST(the_log_says_how_long_a_request_waited_and_queried)
{
	struct client	 c[CLIENTS];
	char		 path[1024], needle[64], *log, *line, *end;
	int		 i;

	ck_assert_int_eq(crowd(c), CLIENTS * EACH);
	snprintf(path, sizeof(path), "%s/kore.log", getenv("MEDEX_DATA"));
	for (i = 0; i < CLIENTS; i++) {
		ck_assert_msg(c[i].last_id[0] != '\0', "no X-Request-Id");
		/* respond.c writes the line before the answer goes. */
		log = t_file(path);
		snprintf(needle, sizeof(needle), " req=%s GET /api/v1/cases "
		    "200 ", c[i].last_id);
		line = strstr(log, needle);
		ck_assert_msg(line != NULL, "no log line for %s", needle);
		end = strchr(line, '\n');
		ck_assert_ptr_nonnull(end);
		*end = '\0';
		ck_assert_msg(strstr(line, "ms wait=") != NULL &&
		    strstr(line, "ms db=") != NULL && end[-1] == 's' &&
		    end[-2] == 'm', "log line without its times: %s", line);
		free(log);
	}
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("db_queue");
	tc = tcase_create("queue");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup, NULL);
	tcase_add_test(tc, more_requests_than_connections_are_all_answered);
	tcase_add_test(tc,
	    clients_that_hang_up_in_the_queue_leave_no_place_taken);
	tcase_add_test(tc, the_log_says_how_long_a_request_waited_and_queried);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
