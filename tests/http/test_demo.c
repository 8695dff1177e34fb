/*
 * The demo data (issue 23, acceptance 1): scripts/demo-data.py records
 * its cases through the real API into an office of its own; the office
 * then has cases in every state and the records the issue names, and
 * `medexctl audit verify` passes.  A second run with --if-empty adds
 * nothing; scripts/demo-reset.sh removes a case added since and puts the
 * demo cases back, and the trail still verifies.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

#define OFFICE	"DEMOT"

static const char *const states[] = {
	"notified", "in_scrutiny", "referred_to_coroner",
	"coroner_investigating", "awaiting_mccd", "mccd_issued", "closed",
	"withdrawn"
};

static struct t_session	lead;
static char		list[512];
static int		ready;

static void
setup(void)
{
	static const char *const users[][2] = {
		{ "demot.me", "medical_examiner" },
		{ "demot.lead", "lead_medical_examiner" },
		{ "demot.officer", "officer" },
		{ "demot.liaison", "liaison_officer" }
	};
	FILE	*fp;
	size_t	 i;

	if (ready)
		return;
	t_forget_failures();
	snprintf(list, sizeof(list), "%s/demot-users.txt",
	    getenv("MEDEX_DATA"));
	fp = fopen(list, "w");
	ck_assert_ptr_nonnull(fp);
	for (i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		t_user(users[i][0], users[i][1], OFFICE);
		fprintf(fp, "%-20s %-24s %s\n", users[i][0], users[i][1],
		    T_PASSWORD);
	}
	fclose(fp);
	t_login_ok("demot.lead", &lead);
	ready = 1;
}

/* Runs a script of scripts/ with the test's server and users. */
static int
script(const char *what)
{
	char	cmd[2048];

	snprintf(cmd, sizeof(cmd), "cd %s && export MEDEX_DEMO_OFFICE=%s "
	    "MEDEX_DEMO_USERS=%s MEDEX_DEMO_URL=%s MEDEXCTL=%s/medexctl && %s",
	    getenv("MEDEX_TEST_ROOT"), OFFICE, list, t_url(),
	    getenv("MEDEX_TEST_OUT"), what);
	return (t_run(cmd));
}

static int
verify(void)
{
	char	cmd[1024];

	snprintf(cmd, sizeof(cmd), "%s/medexctl audit verify >/dev/null",
	    getenv("MEDEX_TEST_OUT"));
	return (t_run(cmd));
}

/* How many of the office's cases the list query finds (at most 200). */
static size_t
count(const char *query)
{
	struct t_resp	 r;
	char		 path[512];
	size_t		 n;

	snprintf(path, sizeof(path), "/api/v1/cases?limit=200%s", query);
	t_get(path, lead.bearer, &r);
	ck_assert_msg(r.status == 200, "%s: %ld %s", path, r.status, r.body);
	n = json_array_size(json_object_get(r.json, "items"));
	t_resp_free(&r);
	return (n);
}

static size_t
total(void)
{
	char	q[64];
	size_t	i, n;

	for (i = 0, n = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		snprintf(q, sizeof(q), "&state=%s", states[i]);
		n += count(q);
	}
	return (n);
}

/* The first case of a list query, as the whole case. */
static json_t *
first_case(const char *query)
{
	struct t_resp	 r;
	json_t		*k;
	char		 path[512];

	snprintf(path, sizeof(path), "/api/v1/cases?limit=1%s", query);
	t_get(path, lead.bearer, &r);
	ck_assert_msg(r.status == 200 && json_array_size(json_object_get(
	    r.json, "items")) == 1, "%s: %ld %s", path, r.status, r.body);
	snprintf(path, sizeof(path), "/api/v1/cases/%s",
	    json_string_value(json_object_get(json_array_get(
	    json_object_get(r.json, "items"), 0), "id")));
	t_resp_free(&r);
	t_get(path, lead.bearer, &r);
	ck_assert_int_eq(r.status, 200);
	k = json_incref(r.json);
	t_resp_free(&r);
	return (k);
}

static int
has_warning(json_t *k, const char *code)
{
	json_t	*w;
	size_t	 i;

	json_array_foreach(json_object_get(k, "warnings"), i, w) {
		if (strcmp(json_string_value(json_object_get(w, "code")),
		    code) == 0)
			return (1);
	}
	return (0);
}

static void
check_demo_office(void)
{
	json_t	*k;
	char	 q[64];
	size_t	 i;

	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		snprintf(q, sizeof(q), "&state=%s", states[i]);
		ck_assert_msg(count(q) > 0, "no demo case in %s", states[i]);
	}
	ck_assert_uint_ge(total(), 40);
	ck_assert_uint_ge(count("&overdue=true"), 2);
	/* A Welsh name, found as staff type it. */
	ck_assert_uint_eq(count("&q=gwenllian%20llewellyn"), 1);
	/* The unidentified person has no NHS number. */
	k = first_case("&q=unidentified");
	ck_assert(json_object_get(k, "nhs_number") == NULL ||
	    json_is_null(json_object_get(k, "nhs_number")));
	json_decref(k);
	/* A neonatal death with its neonatal cause of death. */
	k = first_case("&q=lindqvist");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(k,
	    "cause_of_death"), "form")), "neonatal");
	json_decref(k);
	/* An urgent faith release, still to be achieved. */
	k = first_case("&q=yusuf");
	ck_assert(json_is_true(json_object_get(json_object_get(k,
	    "urgent_release"), "requested")));
	json_decref(k);
	/* A cremation with a pacemaker left in: the warning is raised. */
	k = first_case("&q=godfrey%20ironside");
	ck_assert(has_warning(k, "implants_before_cremation"));
	json_decref(k);
	/* Decided by the coroner, and a governance referral. */
	k = first_case("&q=tobias%20wrenfield");
	ck_assert_uint_eq(json_array_size(json_object_get(k,
	    "governance_referrals")), 1);
	json_decref(k);
	k = first_case("&q=reginald%20foxley");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(k,
	    "coroner_referral"), "decision")), "investigating");
	ck_assert(json_is_string(json_object_get(json_object_get(k,
	    "coroner_referral"), "acknowledged_at")));
	json_decref(k);
	/* A referral sent and not acknowledged: the officer chases it. */
	k = first_case("&q=percival%20dunstable");
	ck_assert(json_is_string(json_object_get(json_object_get(k,
	    "coroner_referral"), "sent_at")));
	ck_assert(json_is_null(json_object_get(json_object_get(k,
	    "coroner_referral"), "acknowledged_at")));
	json_decref(k);
}

START_TEST(demo_data_covers_every_state_and_verifies)
{
	setup();
	ck_assert_uint_eq(total(), 0);
	ck_assert_int_eq(script("python3 scripts/demo-data.py "
	    "\"$MEDEX_DEMO_URL\" \"$MEDEX_DEMO_USERS\" >/dev/null"), 0);
	check_demo_office();
	ck_assert_int_eq(verify(), 0);
}
END_TEST

START_TEST(a_second_first_run_adds_nothing)
{
	size_t	n;

	setup();
	n = total();
	ck_assert_uint_ge(n, 40);
	ck_assert_int_eq(script("python3 scripts/demo-data.py --if-empty "
	    "\"$MEDEX_DEMO_URL\" \"$MEDEX_DEMO_USERS\" >/dev/null"), 0);
	ck_assert_uint_eq(total(), n);
}
END_TEST

START_TEST(demo_reset_puts_it_back)
{
	struct t_resp	 r;
	json_t		*k;
	char		 path[128], id[32];
	size_t		 n;

	setup();
	n = total();
	/* Someone tries medex: closes nothing, adds a case. */
	k = first_case("&state=notified");
	snprintf(id, sizeof(id), "%s",
	    json_string_value(json_object_get(k, "id")));
	json_decref(k);
	ck_assert_int_eq(script("python3 - >/dev/null <<'EOF'\n"
	    "import json, os, urllib.request\n"
	    "u = os.environ['MEDEX_DEMO_URL']\n"
	    "def call(path, body, token=None):\n"
	    "    h = {'Content-Type': 'application/json'}\n"
	    "    if token: h['Authorization'] = 'Bearer ' + token\n"
	    "    q = urllib.request.Request(u + path, json.dumps(body).encode(),"
	    " h)\n"
	    "    return json.load(urllib.request.urlopen(q))\n"
	    "t = call('/api/v1/auth/login', {'username': 'demot.officer',"
	    " 'password': '" T_PASSWORD "'})['token']\n"
	    "call('/api/v1/cases', {'given_name': 'Tried', 'family_name':"
	    " 'Bytheuser', 'date_of_birth': '1950-01-01', 'sex': 'male',"
	    " 'date_of_death': '2026-11-01', 'place_of_death': 'home',"
	    " 'attending_practitioner': {'name': 'Dr X', 'gmc_number':"
	    " '1234567'}}, t)\n"
	    "EOF"), 0);
	ck_assert_uint_eq(total(), n + 1);
	ck_assert_int_eq(script("scripts/demo-reset.sh >/dev/null 2>&1"), 0);
	ck_assert_uint_eq(total(), n);
	ck_assert_uint_eq(count("&q=bytheuser"), 0);
	snprintf(path, sizeof(path), "/api/v1/cases/%s", id);
	t_get(path, lead.bearer, &r);
	ck_assert_int_eq(r.status, 404);
	t_resp_free(&r);
	check_demo_office();
	ck_assert_int_eq(verify(), 0);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("demo");
	tc = tcase_create("demo");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, demo_data_covers_every_state_and_verifies);
	tcase_add_test(tc, a_second_first_run_adds_nothing);
	tcase_add_test(tc, demo_reset_puts_it_back);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
