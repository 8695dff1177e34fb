#include <sys/types.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include <curl/curl.h>

#include "config.h"
#include "testlib.h"

#define T_BODY_MAX	(16 * 1024 * 1024)

struct t_buf {
	char	*data;
	size_t	 len;
};

static size_t
t_collect(char *ptr, size_t size, size_t n, void *arg)
{
	struct t_buf	*b = arg;
	size_t		 add = size * n;
	char		*p;

	if (b->len + add > T_BODY_MAX)
		return (0);
	if ((p = realloc(b->data, b->len + add + 1)) == NULL)
		return (0);
	b->data = p;
	memcpy(b->data + b->len, ptr, add);
	b->len += add;
	b->data[b->len] = '\0';
	return (add);
}

const char *
t_url(void)
{
	const char	*u;

	if ((u = getenv("MEDEX_TEST_URL")) == NULL)
		u = "http://127.0.0.1:8888";
	return (u);
}

/*
 * One line of MEDEX_TEST_RESPONSES for an answer: written with one
 * write(2) to a file opened O_APPEND, so that lines of concurrent
 * requests (test_limits' threads) do not mix.
 */
static void
t_record(const char *file, int line, const char *method, const char *path,
    const struct t_resp *r)
{
	const char	*where;
	json_t		*o;
	char		*s, *nl, *ct, *rid, test[300];
	size_t		 n;
	int		 fd;

	if ((where = getenv("MEDEX_TEST_RESPONSES")) == NULL || *where == '\0')
		return;
	ct = t_header(r, "content-type");
	rid = t_header(r, "x-request-id");
	snprintf(test, sizeof(test), "%s:%d", file, line);
	o = json_pack("{ss ss ss sI ss? ss? so}", "test", test, "method",
	    method, "path", path, "status", (json_int_t)r->status,
	    "content_type", ct, "request_id", rid, "body", r->json != NULL ?
	    json_incref(r->json) : json_null());
	free(ct);
	free(rid);
	if (o == NULL || (s = json_dumps(o, JSON_COMPACT)) == NULL) {
		json_decref(o);
		return;
	}
	json_decref(o);
	n = strlen(s);
	if ((nl = realloc(s, n + 1)) == NULL) {
		free(s);
		return;
	}
	nl[n] = '\n';
	if ((fd = open(where, O_WRONLY | O_APPEND | O_CREAT, 0644)) != -1) {
		if (write(fd, nl, n + 1) != (ssize_t)(n + 1))
			fprintf(stderr, "%s: a short write\n", where);
		close(fd);
	}
	free(nl);
}

/* headers: NULL-terminated list of "Name: value" lines. */
int
t_request_at(const char *file, int line, const char *method,
    const char *path, const char **headers, const char *body, size_t len,
    struct t_resp *out)
{
	CURL			*c;
	struct curl_slist	*hl;
	struct t_buf		 b, h;
	char			 url[4096];
	const char		*ca;
	CURLcode		 rc;
	size_t			 i;

	memset(out, 0, sizeof(*out));
	memset(&b, 0, sizeof(b));
	memset(&h, 0, sizeof(h));
	hl = NULL;
	snprintf(url, sizeof(url), "%s%s", t_url(), path);
	if ((c = curl_easy_init()) == NULL)
		return (-1);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, t_collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, t_collect);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &h);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	/* HTTPS through nginx (test_scale_out): trust its throwaway cert. */
	if ((ca = getenv("MEDEX_TEST_CAINFO")) != NULL)
		curl_easy_setopt(c, CURLOPT_CAINFO, ca);
	/* Another loopback source address (127.0.0.2): another client. */
	if ((ca = getenv("MEDEX_TEST_INTERFACE")) != NULL)
		curl_easy_setopt(c, CURLOPT_INTERFACE, ca);
	/* Browsers send Content-Length: 0 on an empty POST; Kore needs it. */
	if (body == NULL && (strcmp(method, "POST") == 0 ||
	    strcmp(method, "PUT") == 0 || strcmp(method, "PATCH") == 0)) {
		body = "";
		len = 0;
	}
	if (body != NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)len);
	}
	hl = curl_slist_append(hl, "Expect:");
	for (i = 0; headers != NULL && headers[i] != NULL; i++)
		hl = curl_slist_append(hl, headers[i]);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
	curl_slist_free_all(hl);
	curl_easy_cleanup(c);
	out->body = b.data != NULL ? b.data : strdup("");
	out->len = b.len;
	out->headers = h.data != NULL ? h.data : strdup("");
	out->json = json_loadb(out->body, out->len, 0, NULL);
	if (rc == CURLE_OK)
		t_record(file, line, method, path, out);
	return (rc == CURLE_OK ? 0 : -1);
}

int
t_get_at(const char *file, int line, const char *path, const char *auth,
    struct t_resp *out)
{
	const char	*h[2] = { auth, NULL };

	return (t_request_at(file, line, "GET", path, auth ? h : NULL, NULL,
	    0, out));
}

int
t_post_json_at(const char *file, int line, const char *path,
    const char *auth, const char *body, struct t_resp *out)
{
	const char	*h[3] = { "Content-Type: application/json", auth,
			    NULL };

	return (t_request_at(file, line, "POST", path, h, body, strlen(body),
	    out));
}

void
t_resp_free(struct t_resp *r)
{
	free(r->body);
	free(r->headers);
	if (r->json != NULL)
		json_decref(r->json);
	memset(r, 0, sizeof(*r));
}

/* The value of a response header (case-insensitive), malloc'd, or NULL. */
char *
t_header(const struct t_resp *r, const char *name)
{
	const char	*p, *eol;
	size_t		 n;

	n = strlen(name);
	for (p = r->headers; p != NULL && *p != '\0'; p = eol) {
		if ((eol = strstr(p, "\r\n")) == NULL)
			break;
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			p += n + 1;
			while (*p == ' ')
				p++;
			return (strndup(p, (size_t)(eol - p)));
		}
		eol += 2;
	}
	return (NULL);
}

/* A string member found by a dotted path ("error.code"), or NULL. */
const char *
t_json_str(const struct t_resp *r, const char *path)
{
	json_t		*j;
	char		 key[128], *dot, *k;

	if (r->json == NULL)
		return (NULL);
	snprintf(key, sizeof(key), "%s", path);
	j = r->json;
	for (k = key; k != NULL; k = dot) {
		if ((dot = strchr(k, '.')) != NULL)
			*dot++ = '\0';
		if ((j = json_object_get(j, k)) == NULL)
			return (NULL);
	}
	return (json_string_value(j));
}

/* API.md's error shape, with this status and code. */
void
t_assert_error(const struct t_resp *r, long status, const char *code)
{
	const char	*c, *m;
	char		*ct;

	ck_assert_msg(r->status == status, "status %ld, wanted %ld: %s",
	    r->status, status, r->body);
	ck_assert_msg(r->json != NULL, "not JSON: %s", r->body);
	c = t_json_str(r, "error.code");
	m = t_json_str(r, "error.message");
	ck_assert_msg(c != NULL && strcmp(c, code) == 0,
	    "error.code %s, wanted %s", c ? c : "(none)", code);
	ck_assert_msg(m != NULL && *m != '\0', "no error.message");
	ct = t_header(r, "content-type");
	ck_assert_msg(ct != NULL && strncmp(ct, "application/json", 16) == 0,
	    "content-type %s", ct ? ct : "(none)");
	free(ct);
}

/*
 * role: "db_app" (medex.ini, the server's), "db_owner" or "db_reader"
 * (medexctl.ini, which only medexctl reads).
 */
PGconn *
t_db(const char *role)
{
	struct config	 cfg;
	char		 path[4096], err[256];
	const char	*data, *ci, *file;
	PGconn		*db;

	if ((data = getenv("MEDEX_DATA")) == NULL)
		data = "var";
	file = strcmp(role, "db_app") == 0 ? "medex.ini" : "medexctl.ini";
	snprintf(path, sizeof(path), "%s/%s", data, file);
	if (config_load(&cfg, path, err, sizeof(err)) != 0)
		ck_abort_msg("%s", err);
	if ((ci = config_get(&cfg, role)) == NULL || *ci == '\0')
		ck_abort_msg("no %s in %s", role, file);
	db = PQconnectdb(ci);
	config_free(&cfg);
	ck_assert_msg(PQstatus(db) == CONNECTION_OK, "db: %s",
	    PQerrorMessage(db));
	return (db);
}

/*
 * PostgreSQL's superuser on database dbname of the test's cluster
 * (scripts/pg.sh's secret): for what no medex role may do, such as
 * turning on the statement log or ending the server's backends.
 */
PGconn *
t_db_super(const char *dbname)
{
	char	 ci[1024], *pw, *port, path[512];
	PGconn	*db;

	snprintf(path, sizeof(path), "%s/secrets/pg_superuser",
	    getenv("MEDEX_DATA"));
	pw = t_file(path);
	snprintf(path, sizeof(path), "%s/pg.port", getenv("MEDEX_DATA"));
	port = t_file(path);
	port[strcspn(port, "\n")] = '\0';
	pw[strcspn(pw, "\n")] = '\0';
	snprintf(ci, sizeof(ci), "host=127.0.0.1 port=%s dbname=%s "
	    "user=postgres password=%s "
	    "options='-c client_min_messages=warning'", port, dbname, pw);
	free(pw);
	free(port);
	db = PQconnectdb(ci);
	ck_assert_msg(PQstatus(db) == CONNECTION_OK, "%s", PQerrorMessage(db));
	return (db);
}

/* The first value of a query's result, malloc'd ("" when none). */
char *
t_db_value(PGconn *db, const char *sql)
{
	PGresult	*res;
	char		*v;

	res = PQexec(db, sql);
	ck_assert_msg(PQresultStatus(res) == PGRES_TUPLES_OK, "%s: %s", sql,
	    PQerrorMessage(db));
	v = strdup(PQntuples(res) > 0 ? PQgetvalue(res, 0, 0) : "");
	PQclear(res);
	return (v);
}

/* The first value of a statement whose values are $n parameters. */
char *
t_db_value_p(PGconn *db, const char *sql, int n, const char *const *vals)
{
	PGresult	*res;
	char		*v;

	res = PQexecParams(db, sql, n, NULL, vals, NULL, NULL, 0);
	ck_assert_msg(PQresultStatus(res) == PGRES_TUPLES_OK, "%s: %s", sql,
	    PQerrorMessage(db));
	v = strdup(PQntuples(res) > 0 ? PQgetvalue(res, 0, 0) : "");
	PQclear(res);
	return (v);
}

/* As t_db_exec(), for one statement whose values are $n parameters. */
int
t_db_exec_p(PGconn *db, const char *sql, int n, const char *const *vals)
{
	PGresult	*res;
	ExecStatusType	 st;

	res = PQexecParams(db, sql, n, NULL, vals, NULL, NULL, 0);
	st = PQresultStatus(res);
	PQclear(res);
	return (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? 0 : -1);
}

/* 0 when the statement succeeds; else -1 with the SQLSTATE in state. */
int
t_db_exec(PGconn *db, const char *sql, char *state, size_t len)
{
	PGresult	*res;
	ExecStatusType	 st;
	const char	*s;

	res = PQexec(db, sql);
	st = PQresultStatus(res);
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
		PQclear(res);
		return (0);
	}
	s = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	if (state != NULL)
		snprintf(state, len, "%s", s ? s : "");
	PQclear(res);
	return (-1);
}

/*
 * Chains the views of cases recorded so far (sql/case_views.sql), as the
 * owner, rather than waiting for the server's timer to: the advisory
 * lock that case_views_chain() tries is taken first, waiting, so that a
 * round of the timer in flight ends before this one looks.  Every view
 * answered before the call is in its case's trail after it.  Returns how
 * many views this call chained.
 */
long
t_chain_views(void)
{
	PGconn	*db;
	char	*v;
	long	 n;

	db = t_db("db_owner");
	ck_assert_int_eq(t_db_exec(db, "BEGIN", NULL, 0), 0);
	ck_assert_int_eq(t_db_exec(db, "SELECT pg_advisory_xact_lock(26, 1)",
	    NULL, 0), 0);
	v = t_db_value(db, "SELECT case_views_chain(1000000)");
	ck_assert_int_eq(t_db_exec(db, "COMMIT", NULL, 0), 0);
	n = strtol(v, NULL, 10);
	free(v);
	PQfinish(db);
	return (n);
}

/*
 * Moves case id of office to state directly, as the owner, to test from
 * any state without its journey; with an event saying so, chained as
 * every event is, so that medexctl audit verify (which the suites run
 * over the whole database) finds the row and the trail agree.
 */
void
t_case_force_state(const char *office, const char *id, const char *state)
{
	PGconn		*db;
	const char	*p[2];

	db = t_db("db_owner");
	p[0] = office;
	ck_assert_int_eq(t_db_exec_p(db, "SELECT set_config("
	    "'medex.office_id', (SELECT id FROM offices WHERE code = $1)"
	    "::text, false)", 1, p), 0);
	ck_assert_int_eq(t_db_exec(db, "BEGIN", NULL, 0), 0);
	p[0] = state;
	p[1] = id;
	ck_assert_int_eq(t_db_exec_p(db, "UPDATE cases SET state = $1 "
	    "WHERE id = $2", 2, p), 0);
	ck_assert_int_eq(t_db_exec_p(db, "SELECT case_event_append("
	    "$2::bigint, date_trunc('microseconds', clock_timestamp()), "
	    "'test-fixture', 'admin', 'state_forced', jsonb_build_object("
	    "'state', jsonb_build_object('new', $1::text)))", 2, p), 0);
	ck_assert_int_eq(t_db_exec(db, "COMMIT", NULL, 0), 0);
	PQfinish(db);
}

/* Runs a shell command from the repository root; its exit status. */
int
t_run(const char *cmd)
{
	int	rc;

	rc = system(cmd);
	if (rc == -1 || !WIFEXITED(rc))
		return (-1);
	return (WEXITSTATUS(rc));
}

/*
 * Starts a second server on the test database
 * (tests/http/second_instance.sh start MODE: "" for a rotated signing
 * key, "same-keys" for the first one's), configured by the environment
 * as it stands, and writes its base URL (http://127.0.0.1:PORT) to url.
 * Fails the test when it does not start.
 */
void
t_second_start(const char *mode, char *url, size_t len)
{
	FILE	*fp;
	char	 cmd[1024], port[32];

	snprintf(cmd, sizeof(cmd), "%s/tests/http/second_instance.sh start %s",
	    getenv("MEDEX_TEST_ROOT"), mode);
	fp = popen(cmd, "r");
	ck_assert_ptr_nonnull(fp);
	ck_assert_ptr_nonnull(fgets(port, sizeof(port), fp));
	ck_assert_int_eq(pclose(fp), 0);
	port[strcspn(port, "\n")] = '\0';
	snprintf(url, len, "http://127.0.0.1:%s", port);
}

/* Stops the server t_second_start() started. */
void
t_second_stop(void)
{
	char	cmd[1024];

	snprintf(cmd, sizeof(cmd), "%s/tests/http/second_instance.sh stop",
	    getenv("MEDEX_TEST_ROOT"));
	(void)t_run(cmd);
}

/* The whole of a file (a server's log), or "" when there is none. */
char *
t_file(const char *path)
{
	FILE	*fp;
	char	*buf, *p;
	size_t	 len, n;

	len = 0;
	buf = malloc(1);
	ck_assert_ptr_nonnull(buf);
	if ((fp = fopen(path, "r")) != NULL) {
		for (;;) {
			p = realloc(buf, len + 65536 + 1);
			ck_assert_ptr_nonnull(p);
			buf = p;
			if ((n = fread(buf + len, 1, 65536, fp)) == 0)
				break;
			len += n;
		}
		fclose(fp);
	}
	buf[len] = '\0';
	return (buf);
}

int
t_main(Suite *s)
{
	SRunner	*sr;
	int	 failed;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	sr = srunner_create(s);
	/* Scenarios share one server: run them in order, in-process. */
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	curl_global_cleanup();
	return (failed == 0 ? 0 : 1);
}

/* /proc/<pid>/<what>, NUL-terminated in buf; its length, or -1. */
ssize_t
t_proc_read(pid_t pid, const char *what, char *buf, size_t size)
{
	FILE	*f;
	char	 path[64];
	size_t	 len;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, what);
	if ((f = fopen(path, "r")) == NULL)
		return (-1);
	len = fread(buf, 1, size - 1, f);
	fclose(f);
	buf[len] = '\0';
	return ((ssize_t)len);
}

/*
 * The test server's Kore processes, at most max: the parent if
 * parent_too, and those of its children whose process title has name
 * ("wrk": the workers; "": every child).  Asserts nothing: test_limits
 * calls it from a sampling thread.
 */
size_t
t_kore_pids(pid_t *out, size_t max, int parent_too, const char *name)
{
	DIR		*d;
	struct dirent	*de;
	FILE		*f;
	char		 path[300], buf[512], *p;
	pid_t		 parent, pid, ppid;
	size_t		 n;

	snprintf(path, sizeof(path), "%s/kore.pid", getenv("MEDEX_DATA"));
	if ((f = fopen(path, "r")) == NULL)
		return (0);
	if (fscanf(f, "%d", &parent) != 1)
		parent = -1;
	fclose(f);
	n = 0;
	if (parent > 0 && parent_too && n < max)
		out[n++] = parent;
	if (parent <= 0 || (d = opendir("/proc")) == NULL)
		return (n);
	while ((de = readdir(d)) != NULL && n < max) {
		if ((pid = (pid_t)atoi(de->d_name)) <= 0)
			continue;
		if (t_proc_read(pid, "stat", buf, sizeof(buf)) < 0 ||
		    (p = strrchr(buf, ')')) == NULL ||
		    sscanf(p + 2, "%*c %d", &ppid) != 1 || ppid != parent)
			continue;
		if (t_proc_read(pid, "cmdline", buf, sizeof(buf)) < 0 ||
		    strstr(buf, name) == NULL)
			continue;
		out[n++] = pid;
	}
	closedir(d);
	return (n);
}

void
t_nhs_number(const char *prefix, int start, int *seq, char out[11])
{
	int	i, sum, check;

	for (;;) {
		snprintf(out, 11, "%.3s%06d", prefix, start + (*seq)++);
		sum = 0;
		for (i = 0; i < 9; i++)
			sum += (out[i] - '0') * (10 - i);
		check = 11 - sum % 11;
		if (check == 11)
			check = 0;
		if (check == 10)
			continue;
		out[9] = (char)('0' + check);
		out[10] = '\0';
		return;
	}
}
