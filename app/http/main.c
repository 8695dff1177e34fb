/*
 * Kore's hooks: read medex.ini once in the parent (workers inherit it
 * when Kore forks them), register the database, and widen the seccomp
 * filter by what libpq needs (KORE.md).
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <kore/seccomp.h>

#include "medex.h"
#include "sso_provider.h"
#include "assets.h"
#include "auth.h"
#include "migration.h"
#include "routes.h"
#include "totp.h"

/*
 * libpq's first connection stats files (KORE.md).  Kore starts its task
 * threads lazily, and glibc 2.36 creates threads with clone3 and then
 * registers rseq: answering ENOSYS makes it fall back to clone, which
 * Kore allows.  argon2's 64 MiB blocks are grown with mremap; the
 * AddressSanitizer runtime of the test build asks gettid and, in a new
 * thread, sched_getaffinity (a refused call there kills only the task
 * thread, and the login waiting on it would hang).  libcurl, in the
 * single sign-on's task threads (sso_provider.c), asks the connected
 * socket's addresses (getpeername, getsockname) and makes a socketpair
 * to wake itself.
 */
KORE_SECCOMP_FILTER("medex",
	KORE_SYSCALL_ALLOW(newfstatat),
	KORE_SYSCALL_ALLOW(getdents64),
	KORE_SYSCALL_DENY(clone3, ENOSYS),
	KORE_SYSCALL_ALLOW(rseq),
	KORE_SYSCALL_ALLOW(mremap),
	KORE_SYSCALL_ALLOW(gettid),
	KORE_SYSCALL_ALLOW(sched_getaffinity),
	KORE_SYSCALL_ALLOW(getpeername),
	KORE_SYSCALL_ALLOW(getsockname),
	KORE_SYSCALL_ALLOW(socketpair),
);

struct medex_settings	medex;

void	kore_parent_configure(int, char **);

static int
count_migrations(const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	int		 n;

	if ((d = opendir(dir)) == NULL)
		fatal("medex: cannot open migrations folder %s", dir);
	n = 0;
	while ((de = readdir(d)) != NULL) {
		if (migration_name_version(de->d_name) > 0)
			n++;
	}
	closedir(d);
	return (n);
}

/*
 * What /readyz compares with schema_code: the name and SHA-256 of each
 * file of sql/ as this server was started with it.
 */
static char *
sql_summary(const char *dir)
{
	static struct migration	 files[MIGRATION_CODE_MAX];
	size_t			 n, len;
	char			 err[512], *buf;

	if (migration_code_scan(dir, files, MIGRATION_CODE_MAX, &n, err,
	    sizeof(err)) != 0)
		fatal("medex: %s", err);
	len = n * (MIGRATION_NAME_MAX + MIGRATION_SHA_HEX + 1) + 1;
	buf = kore_malloc(len);
	if (migration_code_summary(files, n, buf, len) != 0)
		fatal("medex: the sql folder %s lists too many files", dir);
	return (buf);
}

void
kore_parent_configure(int argc, char **argv)
{
	const char	*path, *v;
	char		 err[256];

	(void)argc;
	(void)argv;
	if ((path = getenv("MEDEX_CONFIG")) == NULL)
		fatal("medex: MEDEX_CONFIG is not set (see README)");
	if (config_load(&medex.cfg, path, err, sizeof(err)) != 0)
		fatal("medex: %s", err);

	if ((v = config_get(&medex.cfg, "db_app")) == NULL)
		fatal("medex: medex.ini has no db_app");
	if (!kore_pgsql_register(MEDEX_DB, v))
		fatal("medex: cannot register the database");
	if ((v = config_get(&medex.cfg, "db_read")) != NULL && *v != '\0') {
		if (!kore_pgsql_register(MEDEX_DB_READ, v))
			fatal("medex: cannot register the read replica");
		medex.has_read_db = 1;
	}
	medex.read_max_lag = config_get_int(&medex.cfg, "db_read_max_lag",
	    30, 1, 86400);

	v = config_get(&medex.cfg, "issuer");
	(void)kore_strlcpy(medex.issuer, v != NULL ? v : "medex",
	    sizeof(medex.issuer));
	medex.token_lifetime = config_get_int(&medex.cfg, "token_lifetime",
	    3600, 60, 3600);
	medex.session_max = config_get_int(&medex.cfg, "session_max",
	    43200, 60, 31 * 86400);
	medex.login_hashes_max = config_get_int(&medex.cfg,
	    "login_hashes_max", 2, 1, 64);
	medex.target_days = config_get_int(&medex.cfg, "target_days", 3, 1, 30);
	medex.token_cache = config_get_int(&medex.cfg, "token_cache", 1, 0,
	    1) == 1;
	medex.allow_test_nhs_numbers = config_get_int(&medex.cfg,
	    "allow_test_nhs_numbers", 0, 0, 1) == 1;
	medex.view_chain_ms = config_get_int(&medex.cfg, "view_chain_ms",
	    1000, 10, 60000);
	medex.prepared = config_get_int(&medex.cfg, "prepared", 1, 0, 1) == 1;
	medex.batch = config_get_int(&medex.cfg, "batch", DB_BATCH_MAX, 1,
	    DB_BATCH_MAX);

	if ((v = config_get(&medex.cfg, "migrations_dir")) == NULL)
		fatal("medex: medex.ini has no migrations_dir");
	medex.migrations_expected = count_migrations(v);
	if ((v = config_get(&medex.cfg, "sql_dir")) == NULL)
		fatal("medex: medex.ini has no sql_dir");
	medex.sql_expected = sql_summary(v);

	if (!totp_init())
		fatal("medex: liboath cannot start");
	auth_load_keys(&medex.cfg);
	auth_load_trusted_proxies(&medex.cfg);
	sso_configure(&medex.cfg);
	pages_assets_load(config_get(&medex.cfg, "assets_dir"));
	routes_check();
}
