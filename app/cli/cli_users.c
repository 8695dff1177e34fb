/*
 * medexctl office add CODE NAME...
 * medexctl user add USERNAME --role ROLE --office CODE [--name "Display"]
 *
 * For the first admin on a fresh database.  The password is read from
 * standard input (one line), never from the command line, where any
 * user could see it in the process list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "password.h"
#include "role.h"
#include "validate.h"

static int
run_params(PGconn *db, const char *sql, int n, const char **params)
{
	PGresult	*res;
	int		 ok;

	res = PQexecParams(db, sql, n, NULL, params, NULL, NULL, 0);
	ok = PQresultStatus(res) == PGRES_TUPLES_OK ||
	    PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "medexctl: %s", PQresultErrorMessage(res));
	else if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 0)
		ok = -1;
	PQclear(res);
	return (ok);
}

static int
office_add(int argc, char **argv)
{
	PGconn		*db;
	const char	*params[3];
	char		 name[512], *nname, actor[128];
	int		 i, ret;

	if (argc < 3) {
		fprintf(stderr, "usage: medexctl office add CODE NAME...\n");
		return (2);
	}
	if (!validate_office_code(argv[1]) || strcmp(argv[1], "ALL") == 0) {
		fprintf(stderr, "medexctl: office codes are 2-16 of A-Z 0-9 "
		    "_ - starting with a letter (and not ALL)\n");
		return (2);
	}
	name[0] = '\0';
	for (i = 2; i < argc; i++) {
		if (i > 2)
			strncat(name, " ", sizeof(name) - strlen(name) - 1);
		strncat(name, argv[i], sizeof(name) - strlen(name) - 1);
	}
	if (validate_text(name, 200, 0, &nname) != TEXT_OK) {
		fprintf(stderr, "medexctl: the name must be 1-200 characters "
		    "of text\n");
		return (2);
	}
	if ((db = cli_db_connect()) == NULL) {
		free(nname);
		return (1);
	}
	params[0] = argv[1];
	params[1] = nname;
	cli_actor(actor, sizeof(actor));
	params[2] = actor;
	ret = run_params(db, "WITH o AS (INSERT INTO offices (code, name) "
	    "VALUES ($1, $2) ON CONFLICT (code) DO NOTHING RETURNING code) "
	    "SELECT security_log('office_created', $3, NULL, o.code, "
	    "'cli') FROM o", 3, params);
	if (ret == -1)
		fprintf(stderr, "medexctl: office %s exists already\n",
		    argv[1]);
	else if (ret == 1)
		printf("office %s added\n", argv[1]);
	free(nname);
	PQfinish(db);
	return (ret == 1 ? 0 : 1);
}

static int
read_password(char *out, size_t len)
{
	size_t	n;

	if (fgets(out, (int)len, stdin) == NULL)
		return (0);
	n = strlen(out);
	if (n > 0 && out[n - 1] == '\n')
		out[--n] = '\0';
	if (n > 0 && out[n - 1] == '\r')
		out[--n] = '\0';
	return (1);
}

static int
user_add(int argc, char **argv)
{
	PGconn		*db;
	const char	*role, *office, *display, *why, *params[6];
	char		 username[65], pw[PASSWORD_MAX_BYTES + 2], actor[128];
	char		 hash[PASSWORD_ENCODED_MAX];
	enum role	 r;
	int		 i, ret;

	role = office = display = NULL;
	if (argc < 2) {
		fprintf(stderr, "usage: medexctl user add USERNAME --role ROLE "
		    "--office CODE [--name NAME]\n");
		return (2);
	}
	for (i = 2; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--role") == 0)
			role = argv[i + 1];
		else if (strcmp(argv[i], "--office") == 0)
			office = argv[i + 1];
		else if (strcmp(argv[i], "--name") == 0)
			display = argv[i + 1];
		else
			break;
	}
	if (i != argc || role == NULL || office == NULL) {
		fprintf(stderr, "usage: medexctl user add USERNAME --role ROLE "
		    "--office CODE [--name NAME]\n");
		return (2);
	}
	if (!validate_username(argv[1])) {
		fprintf(stderr, "medexctl: usernames are 3-64 of a-z 0-9 . _ -\n");
		return (2);
	}
	if (role_from_str(role, &r) != 0) {
		fprintf(stderr, "medexctl: unknown role %s\n", role);
		return (2);
	}
	snprintf(username, sizeof(username), "%s", argv[1]);
	username_lower(username);
	if (!read_password(pw, sizeof(pw))) {
		fprintf(stderr, "medexctl: give the password on standard input\n");
		return (2);
	}
	if ((why = password_policy_check(pw)) != NULL) {
		fprintf(stderr, "medexctl: password %s\n", why);
		explicit_bzero(pw, sizeof(pw));
		return (2);
	}
	ret = password_hash(pw, hash, sizeof(hash));
	explicit_bzero(pw, sizeof(pw));
	if (!ret) {
		fprintf(stderr, "medexctl: cannot hash the password\n");
		return (1);
	}
	if ((db = cli_db_connect()) == NULL)
		return (1);
	params[0] = username;
	params[1] = display != NULL ? display : username;
	params[2] = role;
	params[3] = office;
	params[4] = hash;
	cli_actor(actor, sizeof(actor));
	params[5] = actor;
	ret = run_params(db, "WITH u AS (INSERT INTO users (username, "
	    "display_name, role, office_id, password_hash) SELECT $1, $2, $3, "
	    "o.id, $5 FROM offices o WHERE o.code = $4 "
	    "ON CONFLICT (username) DO NOTHING RETURNING username) "
	    "SELECT security_log('user_created', $6, $4, u.username, "
	    "'cli', jsonb_build_object('role', $3::text)) FROM u",
	    6, params);
	if (ret == -1)
		fprintf(stderr, "medexctl: user %s exists already, or there is "
		    "no office %s\n", username, office);
	else if (ret == 1)
		printf("user %s added (%s, %s)\n", username, role, office);
	explicit_bzero(hash, sizeof(hash));
	PQfinish(db);
	return (ret == 1 ? 0 : 1);
}

int
cli_office(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return (office_add(argc - 1, argv + 1));
	fprintf(stderr, "usage: medexctl office add CODE NAME...\n");
	return (2);
}

int
cli_user(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return (user_add(argc - 1, argv + 1));
	if (argc >= 2 && strcmp(argv[1], "disable") == 0)
		return (cli_user_disable(argc - 1, argv + 1));
	fprintf(stderr, "usage: medexctl user add USERNAME --role ROLE "
	    "--office CODE [--name NAME]\n"
	    "       medexctl user disable USERNAME [--reason TEXT]\n");
	return (2);
}
