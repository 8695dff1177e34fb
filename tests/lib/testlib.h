/*
 * Helpers for the HTTP scenario tests: requests to the real server with
 * libcurl, JSON answers parsed with jansson, and direct database access
 * (as the owner or the server's role) for setting up and checking state.
 * The server and database are those that scripts/test-http.sh started:
 * MEDEX_TEST_URL and MEDEX_DATA say where.
 */
#ifndef MEDEX_TESTLIB_H
#define MEDEX_TESTLIB_H

#include <sys/types.h>

#include <stddef.h>

#include <check.h>
#include <jansson.h>
#include <libpq-fe.h>

#define T_HEADERS_MAX	32

struct t_resp {
	long	 status;
	char	*body;
	size_t	 len;
	char	*headers;	/* raw response headers */
	json_t	*json;		/* NULL when the body is not JSON */
};

const char	*t_url(void);
int		 t_request_at(const char *, int, const char *, const char *,
		    const char **, const char *, size_t, struct t_resp *);
int		 t_get_at(const char *, int, const char *, const char *,
		    struct t_resp *);
int		 t_post_json_at(const char *, int, const char *, const char *,
		    const char *, struct t_resp *);

/*
 * The requests name the test line that made them: with
 * MEDEX_TEST_RESPONSES set (scripts/test-http.sh), each answer is
 * appended to that file as a JSON line (test, method, path, status,
 * content type, body) for tests/openapi/validate.mjs to check against
 * the OpenAPI document.
 */
#define t_request(...)		t_request_at(__FILE__, __LINE__, __VA_ARGS__)
#define t_get(...)		t_get_at(__FILE__, __LINE__, __VA_ARGS__)
#define t_post_json(...)	t_post_json_at(__FILE__, __LINE__, __VA_ARGS__)
void		 t_resp_free(struct t_resp *);
char		*t_header(const struct t_resp *, const char *);
const char	*t_json_str(const struct t_resp *, const char *);
void		 t_assert_error(const struct t_resp *, long, const char *);

PGconn		*t_db(const char *);
PGconn		*t_db_super(const char *);
char		*t_db_value(PGconn *, const char *);
int		 t_db_exec(PGconn *, const char *, char *, size_t);
char		*t_db_value_p(PGconn *, const char *, int, const char *const *);
int		 t_db_exec_p(PGconn *, const char *, int, const char *const *);
long		 t_chain_views(void);
void		 t_case_force_state(const char *, const char *, const char *);
int		 t_run(const char *);
void		 t_second_start(const char *, char *, size_t);
void		 t_second_stop(void);
char		*t_file(const char *);
ssize_t		 t_proc_read(pid_t, const char *, char *, size_t);
size_t		 t_kore_pids(pid_t *, size_t, int, const char *);

int		 t_main(Suite *);

/*
 * The next valid NHS number (modulus 11) of a file's own series:
 * PREFIX (3 digits) and 6 digits from START + *SEQ, skipping the
 * numbers that have no check digit.
 */
void	t_nhs_number(const char *, int, int *, char [11]);

#endif

/* Identity helpers (tests/lib/testlib_auth.c). */
#define T_PASSWORD	"correct horse battery"

struct t_session {
	char	token[4200];
	char	csrf[80];
	char	cookie[4300];	/* "medex_session=..." from Set-Cookie */
	char	bearer[4300];	/* "Authorization: Bearer ..." */
};

void	t_office(const char *);
void	t_user(const char *, const char *, const char *);
int	t_login(const char *, const char *, struct t_session *);
void	t_login_ok(const char *, struct t_session *);
void	t_forget_failures(void);
