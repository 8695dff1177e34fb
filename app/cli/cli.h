/*
 * medexctl: the command line for the first admin, migrations, exports and
 * audit checks.  It talks to the database that `make run` uses: the
 * instance whose state folder MEDEX_DATA names (default var/), or the
 * conninfo in MEDEX_DB_URL when that is set.  Credentials: medexctl.ini
 * (cli_db.c), never the server's medex.ini.
 */
#ifndef MEDEX_CLI_H
#define MEDEX_CLI_H

#include <stddef.h>

#include <libpq-fe.h>

#include "config.h"

extern struct config	cli_config;

int	 cli_config_open(void);
PGconn	*cli_db_connect(void);
int	 cli_ctl_config_open(struct config *);
PGconn	*cli_db_connect_reader(void);
int	 cli_exec_ok(PGconn *, const char *);
int	 cli_office_set(PGconn *, const char *);

int	 cli_migrate(int, char **);
int	 cli_office(int, char **);
int	 cli_user(int, char **);
int	 cli_export(int, char **);

int	 cli_audit(int, char **);
int	 cli_audit_checkpoint(int, char **);
/* One case's chain, in the caller's transaction: 0 intact, 1 broken,
 * -1 the database failed. */
int	 cli_audit_case(PGconn *, const char *);
int	 cli_audit_records(PGconn *, const char *, long long *);
int	 cli_checkpoint_verify(PGconn *, const char *, const char *);
void	 cli_actor(char *, size_t);
int	 cli_user_disable(int, char **);
int	 cli_sessions(int, char **);
int	 cli_retention(int, char **);
int	 cli_import(int, char **);

#endif
