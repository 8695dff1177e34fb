/*
 * docs/api.md stays true: its route lists are the route table the
 * server enforces (app/core/route_table.c), row for row and role for
 * role, and its API list is also what GET /api/v1/openapi.json
 * describes.  A route added, removed or given other roles without the
 * documentation following fails here, naming each route that differs.
 *
 * docs/api.md marks each list with an HTML comment: the table that
 * follows "<!-- routes:api -->" holds the API routes (those that the
 * OpenAPI description lists: /api/, the health routes and the keys),
 * the one after "<!-- routes:pages -->" every other route.  A row is
 * | METHOD | `path` | roles |, the roles being "public", "all" or role
 * codes separated by commas.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "role.h"
#include "route_table.h"
#include "testlib.h"

#define DOC_ROWS_MAX	256
#define REPORT_MAX	16384

struct doc_row {
	char		method[16];
	char		path[256];
	char		roles_text[256];
	unsigned int	roles;
	int		roles_ok;	/* every word of roles_text known */
	int		seen;
};

struct doc_table {
	struct doc_row	rows[DOC_ROWS_MAX];
	size_t		n;
	int		found;		/* the marker was there */
};

struct report {
	char	text[REPORT_MAX];
	size_t	len;
	int	count;
};

/* The routes of the API document: route_is_api() (route_table.c). */
static int
api_route(const struct route_def *rd)
{
	return (route_is_api(rd->pattern));
}

static void report_add(struct report *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static void
report_add(struct report *r, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	r->count++;
	if (r->len + 1 >= sizeof(r->text))
		return;
	va_start(ap, fmt);
	n = vsnprintf(r->text + r->len, sizeof(r->text) - r->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		r->len += (size_t)n < sizeof(r->text) - r->len ? (size_t)n :
		    sizeof(r->text) - r->len - 1;
}

/* A role mask as docs/api.md writes it. */
static void
roles_words(unsigned int mask, char *out, size_t len)
{
	size_t	o;
	int	i;

	if (mask & ROUTE_PUBLIC) {
		snprintf(out, len, "public");
		return;
	}
	if (mask == RB_ALL) {
		snprintf(out, len, "all");
		return;
	}
	out[0] = '\0';
	for (i = 0, o = 0; i < ROLE_COUNT; i++) {
		if (!role_in(mask, (enum role)i))
			continue;
		snprintf(out + o, len - o, "%s%s", o > 0 ? ", " : "",
		    role_str((enum role)i));
		o = strlen(out);
	}
	if (o == 0)
		snprintf(out, len, "(nobody)");
}

/* A cell without its white space and backticks, into out. */
static void
cell(const char *s, size_t len, char *out, size_t outlen)
{
	size_t	i, o;

	while (len > 0 && (*s == ' ' || *s == '\t' || *s == '`')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
	    s[len - 1] == '`'))
		len--;
	for (i = 0, o = 0; i < len && o + 1 < outlen; i++)
		out[o++] = s[i];
	out[o] = '\0';
}

/* "public", "all", or role codes separated by commas (spaces allowed). */
static int
parse_roles(const char *text, unsigned int *mask)
{
	char		 buf[256], *w, *save;
	enum role	 r;
	size_t		 i, j;

	*mask = 0;
	if (strcmp(text, "public") == 0) {
		*mask = ROUTE_PUBLIC;
		return (1);
	}
	if (strcmp(text, "all") == 0) {
		*mask = RB_ALL;
		return (1);
	}
	/* Keep letters, '_' and ','; a comma separates, nothing else. */
	for (i = 0, j = 0; text[i] != '\0' && j + 1 < sizeof(buf); i++) {
		if (text[i] != ' ' && text[i] != '`')
			buf[j++] = text[i];
	}
	buf[j] = '\0';
	if (buf[0] == '\0')
		return (0);
	for (w = strtok_r(buf, ",", &save); w != NULL;
	    w = strtok_r(NULL, ",", &save)) {
		if (role_from_str(w, &r) != 0)
			return (0);
		*mask |= ROLE_BIT(r);
	}
	return (1);
}

/* The table after the line holding marker in doc, into t. */
static void
doc_table_read(const char *doc, const char *marker, struct doc_table *t)
{
	const char	*p, *eol, *c[4];
	struct doc_row	*row;
	size_t		 k;
	int		 in_table;

	memset(t, 0, sizeof(*t));
	if ((p = strstr(doc, marker)) == NULL)
		return;
	t->found = 1;
	p = strchr(p, '\n');
	in_table = 0;
	while (p != NULL && *p != '\0') {
		p++;
		eol = strchr(p, '\n');
		if (eol == NULL)
			eol = p + strlen(p);
		if (*p != '|') {
			if (in_table)
				break;
			if (eol > p && strncmp(p, "<!--", 4) != 0)
				break;	/* only blank lines before the table */
			p = *eol == '\0' ? NULL : eol;
			continue;
		}
		in_table++;
		/* The header row and the |---| row are not routes. */
		if (in_table > 2 && t->n < DOC_ROWS_MAX) {
			c[0] = p;
			for (k = 1; k < 4; k++) {
				c[k] = memchr(c[k - 1] + 1, '|',
				    (size_t)(eol - c[k - 1] - 1));
				if (c[k] == NULL)
					break;
			}
			row = &t->rows[t->n++];
			if (k < 4) {
				snprintf(row->path, sizeof(row->path),
				    "(a row without three cells)");
			} else {
				cell(c[0] + 1, (size_t)(c[1] - c[0] - 1),
				    row->method, sizeof(row->method));
				cell(c[1] + 1, (size_t)(c[2] - c[1] - 1),
				    row->path, sizeof(row->path));
				cell(c[2] + 1, (size_t)(c[3] - c[2] - 1),
				    row->roles_text, sizeof(row->roles_text));
				row->roles_ok = parse_roles(row->roles_text,
				    &row->roles);
			}
		}
		p = *eol == '\0' ? NULL : eol;
	}
}

static struct doc_row *
doc_find(struct doc_table *t, const char *method, const char *path)
{
	size_t	i;

	for (i = 0; i < t->n; i++) {
		if (strcmp(t->rows[i].method, method) == 0 &&
		    strcmp(t->rows[i].path, path) == 0)
			return (&t->rows[i]);
	}
	return (NULL);
}

static char *
doc_text(void)
{
	char		 path[4096];
	const char	*root;
	char		*doc;

	root = getenv("MEDEX_TEST_ROOT");
	ck_assert_msg(root != NULL, "MEDEX_TEST_ROOT is not set "
	    "(run through scripts/test-http.sh)");
	snprintf(path, sizeof(path), "%s/docs/api.md", root);
	doc = t_file(path);
	ck_assert_msg(doc[0] != '\0', "%s is missing or empty", path);
	return (doc);
}

/*
 * One marked table of docs/api.md against the route table's rows that
 * want() selects: every route listed once with its roles, nothing else.
 */
static void
check_table(const char *marker, int want_api)
{
	struct doc_table	*t;
	struct doc_row		*row;
	struct report		 r;
	const struct route_def	*rd;
	const char		*m;
	char			*doc, roles[256];
	size_t			 i, k;

	doc = doc_text();
	t = calloc(1, sizeof(*t));
	ck_assert_ptr_nonnull(t);
	doc_table_read(doc, marker, t);
	free(doc);
	ck_assert_msg(t->found, "docs/api.md has no %s", marker);
	ck_assert_msg(t->n > 0, "docs/api.md has no table after %s", marker);
	memset(&r, 0, sizeof(r));

	for (i = 0; i < route_table_count; i++) {
		rd = &route_table[i];
		if (api_route(rd) != want_api)
			continue;
		m = route_method_str(rd->method);
		if ((row = doc_find(t, m, rd->pattern)) == NULL) {
			report_add(&r, "\n  missing from docs/api.md: %s %s",
			    m, rd->pattern);
			continue;
		}
		row->seen++;
		if (!row->roles_ok)
			report_add(&r, "\n  %s %s: roles \"%s\" are not "
			    "public, all or role codes", m, rd->pattern,
			    row->roles_text);
		else if (row->roles != rd->roles) {
			roles_words(rd->roles, roles, sizeof(roles));
			report_add(&r, "\n  %s %s: docs/api.md says \"%s\", "
			    "the route table \"%s\"", m, rd->pattern,
			    row->roles_text, roles);
		}
	}
	for (k = 0; k < t->n; k++) {
		row = &t->rows[k];
		if (row->seen == 0)
			report_add(&r, "\n  extra in docs/api.md (not a route "
			    "of this list in the route table): %s %s",
			    row->method, row->path);
		else if (doc_find(t, row->method, row->path) != row)
			report_add(&r, "\n  listed twice in docs/api.md: %s "
			    "%s", row->method, row->path);
	}
	free(t);
	ck_assert_msg(r.count == 0, "%s: %d difference(s) between docs/api.md "
	    "and app/core/route_table.c:%s", marker, r.count, r.text);
}

START_TEST(api_routes_in_the_docs_are_the_route_table)
{
	check_table("<!-- routes:api -->", 1);
}
END_TEST

START_TEST(page_routes_in_the_docs_are_the_route_table)
{
	check_table("<!-- routes:pages -->", 0);
}
END_TEST

START_TEST(api_routes_in_the_docs_are_the_openapi_paths)
{
	struct doc_table	*t;
	struct doc_row		*row;
	struct report		 r;
	struct t_resp		 resp;
	json_t			*paths, *item, *op;
	const char		*key, *m;
	char			*doc, method[16];
	size_t			 k, i;

	doc = doc_text();
	t = calloc(1, sizeof(*t));
	ck_assert_ptr_nonnull(t);
	doc_table_read(doc, "<!-- routes:api -->", t);
	free(doc);
	ck_assert_msg(t->n > 0, "docs/api.md has no API route table");

	t_get("/api/v1/openapi.json", NULL, &resp);
	ck_assert_int_eq(resp.status, 200);
	paths = json_object_get(resp.json, "paths");
	ck_assert_ptr_nonnull(paths);
	memset(&r, 0, sizeof(r));
	json_object_foreach(paths, key, item) {
		json_object_foreach(item, m, op) {
			snprintf(method, sizeof(method), "%s", m);
			for (i = 0; method[i] != '\0'; i++) {
				if (method[i] >= 'a' && method[i] <= 'z')
					method[i] = (char)(method[i] - 'a' +
					    'A');
			}
			if ((row = doc_find(t, method, key)) == NULL)
				report_add(&r, "\n  in openapi.json, missing "
				    "from docs/api.md: %s %s", method, key);
			else
				row->seen++;
		}
	}
	for (k = 0; k < t->n; k++) {
		if (t->rows[k].seen == 0)
			report_add(&r, "\n  in docs/api.md, not in "
			    "openapi.json: %s %s", t->rows[k].method,
			    t->rows[k].path);
	}
	t_resp_free(&resp);
	free(t);
	ck_assert_msg(r.count == 0, "%d difference(s) between docs/api.md and "
	    "GET /api/v1/openapi.json:%s", r.count, r.text);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("docs");
	tc = tcase_create("http");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, api_routes_in_the_docs_are_the_route_table);
	tcase_add_test(tc, page_routes_in_the_docs_are_the_route_table);
	tcase_add_test(tc, api_routes_in_the_docs_are_the_openapi_paths);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
