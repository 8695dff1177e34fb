/*
 * medexctl: command-line administration of a medex database.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

struct cli_command {
	const char	*name;
	int		(*run)(int, char **);
	const char	*usage;
};

static const struct cli_command	commands[] = {
	{ "migrate", cli_migrate, "migrate [--check]" },
	{ "office", cli_office, "office add CODE NAME..." },
	{ "user", cli_user, "user add USERNAME --role ROLE --office CODE "
	    "[--name NAME]  (password on standard input)\n"
	    "  medexctl user disable USERNAME [--reason TEXT]" },
	{ "sessions", cli_sessions, "sessions revoke --user USERNAME "
	    "[--reason TEXT]" },
	{ "export", cli_export, "export --month YYYY-MM [--office CODE] "
	    "[--format csv|json]" },
	{ "audit", cli_audit, "audit verify [--case ID] [--checkpoint FILE "
	    "--key KEY.pem]\n"
	    "  medexctl audit checkpoint --key PRIVATE.pem [--out FILE]" },
	{ "retention", cli_retention, "retention purge --before YYYY-MM-DD "
	    "[--dry-run]" },
	{ "import", cli_import, "import cases FILE --office CODE "
	    "[--dry-run]" },
};

static void
usage(void)
{
	size_t		i;

	fprintf(stderr, "usage:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(stderr, "  medexctl %s\n", commands[i].usage);
	fprintf(stderr, "The database is the one of the state folder "
	    "$MEDEX_DATA (default var/), or $MEDEX_DB_URL.\n");
}

int
main(int argc, char **argv)
{
	size_t		i;

	if (argc < 2) {
		usage();
		return (2);
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) == 0)
			return (commands[i].run(argc - 1, argv + 1));
	}
	usage();
	return (2);
}
