/*
 * Deciding what `medexctl migrate` may do, before it touches the
 * database: the files must be numbered 0001, 0002, ... with no gap, and
 * every migration already applied must still be there, byte for byte
 * (same SHA-256).  Otherwise nothing is applied and the error names the
 * file.
 *
 * The code of the database (sql/, see sql/ORDER) is checked the same
 * way, file by file: its files are listed in sql/ORDER, and the database
 * records the SHA-256 of each in schema_code when it applies them.
 */
#ifndef MEDEX_MIGRATION_H
#define MEDEX_MIGRATION_H

#include <stddef.h>

#define MIGRATION_NAME_MAX	128
#define MIGRATION_SHA_HEX	65
#define MIGRATION_CODE_MAX	64	/* files in sql/ORDER */

struct migration {
	int	version;
	char	name[MIGRATION_NAME_MAX];
	char	sha256[MIGRATION_SHA_HEX];
};

int	migration_name_version(const char *);
void	migration_sort(struct migration *, size_t);
int	migration_check(const struct migration *, size_t,
	    const struct migration *, size_t, char *, size_t);
void	migration_sha256_hex(const unsigned char *, size_t,
	    char [MIGRATION_SHA_HEX]);

int	migration_code_name_ok(const char *);
int	migration_code_order(const char *, struct migration *, size_t,
	    size_t *, char *, size_t);
int	migration_code_scan(const char *, struct migration *, size_t,
	    size_t *, char *, size_t);
size_t	migration_code_diff(const struct migration *, size_t,
	    const struct migration *, size_t, char *, size_t);
int	migration_code_summary(const struct migration *, size_t, char *,
	    size_t);

char	*migration_read_file(const char *, size_t *);

#endif
