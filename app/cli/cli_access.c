/*
 * medexctl user disable USERNAME [--reason TEXT]
 * medexctl sessions revoke --user USERNAME [--reason TEXT]
 *
 * Ending someone's access at once, for the on-call engineer when the web
 * admin is not there (a lost laptop, a leaver, a suspected compromise).
 * Every session of the user is revoked in the same transaction, so each
 * instance refuses their token on its next request (the session row is
 * read on every request).  The security log records the operating-system
 * user who ran the command, not just "medexctl".
 */
#include <sys/types.h>

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "validate.h"

#define ACCESS_USAGE \
	"usage: medexctl user disable USERNAME [--reason TEXT]\n" \
	"       medexctl sessions revoke --user USERNAME [--reason TEXT]\n"

/*
 * Disables the user (when disable is "t") and revokes their live
 * sessions; logs one security event.  One statement: all or nothing.
 * Answers the user's office code and the number of sessions ended.
 */
static const char sql_end_access[] =
    "WITH u AS (SELECT u.id, o.code FROM users u JOIN offices o "
    "    ON o.id = u.office_id WHERE u.username = $1), "
    "d AS (UPDATE users SET disabled = true, version = version + 1, "
    "    updated_at = now() WHERE id = (SELECT id FROM u) AND $2 "
    "    AND NOT disabled RETURNING id), "
    "s AS (UPDATE sessions SET revoked_at = now() "
    "    WHERE user_id = (SELECT id FROM u) AND revoked_at IS NULL "
    "    RETURNING jti), "
    "n AS (SELECT count(*) AS n FROM s) "
    "SELECT u.code, n.n, (SELECT count(*) FROM d), "
    "    security_log($3, $4, u.code, $1, 'cli', jsonb_build_object("
    "    'sessions_revoked', n.n, 'reason', $5::text)) "
    "FROM u, n";

/* "medexctl:NAME", NAME the operating-system user (or the sudo caller). */
void
cli_actor(char *out, size_t len)
{
	struct passwd	*pw;
	const char	*name;

	name = getenv("SUDO_USER");
	if (name == NULL || *name == '\0') {
		pw = getpwuid(geteuid());
		name = pw != NULL ? pw->pw_name : "unknown";
	}
	snprintf(out, len, "medexctl:%s", name);
}

static int
end_access(const char *username, int disable, const char *reason)
{
	PGconn		*db;
	PGresult	*res;
	const char	*params[5];
	char		 actor[128], user[65];
	int		 ret;

	if (!validate_username(username)) {
		fprintf(stderr, "medexctl: usernames are 3-64 of a-z 0-9 . _ -\n");
		return (2);
	}
	snprintf(user, sizeof(user), "%s", username);
	username_lower(user);
	cli_actor(actor, sizeof(actor));
	if ((db = cli_db_connect()) == NULL)
		return (1);
	params[0] = user;
	params[1] = disable ? "t" : "f";
	params[2] = disable ? "user_disabled" : "sessions_revoked";
	params[3] = actor;
	params[4] = reason;
	res = PQexecParams(db, sql_end_access, 5, NULL, params, NULL, NULL, 0);
	ret = 1;
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "medexctl: %s", PQresultErrorMessage(res));
	} else if (PQntuples(res) == 0) {
		fprintf(stderr, "medexctl: no user %s\n", user);
	} else {
		if (disable)
			printf("user %s (%s) %s; %s session(s) revoked\n", user,
			    PQgetvalue(res, 0, 0), strcmp(PQgetvalue(res, 0, 2),
			    "1") == 0 ? "disabled" : "was already disabled",
			    PQgetvalue(res, 0, 1));
		else
			printf("user %s (%s): %s session(s) revoked\n", user,
			    PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1));
		ret = 0;
	}
	PQclear(res);
	PQfinish(db);
	return (ret);
}

/* argv: USERNAME [--reason TEXT] after the subcommand, or --user first. */
static int
access_args(int argc, char **argv, int want_user_flag, const char **user,
    const char **reason)
{
	int	i;

	*user = NULL;
	*reason = NULL;
	i = 1;
	if (want_user_flag) {
		if (argc < 3 || strcmp(argv[1], "--user") != 0)
			return (-1);
		i = 2;
	} else if (argc < 2) {
		return (-1);
	}
	*user = argv[i++];
	if (i == argc)
		return (0);
	if (strcmp(argv[i], "--reason") != 0 || i + 2 != argc)
		return (-1);
	*reason = argv[i + 1];
	return (0);
}

int
cli_user_disable(int argc, char **argv)
{
	const char	*user, *reason;

	if (access_args(argc, argv, 0, &user, &reason) == -1) {
		fprintf(stderr, ACCESS_USAGE);
		return (2);
	}
	return (end_access(user, 1, reason));
}

int
cli_sessions(int argc, char **argv)
{
	const char	*user, *reason;

	if (argc < 2 || strcmp(argv[1], "revoke") != 0 ||
	    access_args(argc - 1, argv + 1, 1, &user, &reason) == -1) {
		fprintf(stderr, ACCESS_USAGE);
		return (2);
	}
	return (end_access(user, 0, reason));
}
