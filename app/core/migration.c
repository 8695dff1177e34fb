#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "migration.h"

static int	migration_cmp(const void *, const void *);

/*
 * "0001_init.sql" -> 1; anything else -> -1.  Four digits, an underscore,
 * a name of [a-z0-9_], and ".sql": a stray editor backup never runs.
 */
int
migration_name_version(const char *name)
{
	size_t		len, i;
	int		version;

	len = strlen(name);
	if (len < 10 || len >= MIGRATION_NAME_MAX)
		return (-1);
	if (strcmp(name + len - 4, ".sql") != 0 || name[4] != '_')
		return (-1);
	version = 0;
	for (i = 0; i < 4; i++) {
		if (!isdigit((unsigned char)name[i]))
			return (-1);
		version = version * 10 + (name[i] - '0');
	}
	for (i = 5; i < len - 4; i++) {
		if (!islower((unsigned char)name[i]) &&
		    !isdigit((unsigned char)name[i]) && name[i] != '_')
			return (-1);
	}
	if (version == 0)
		return (-1);
	return (version);
}

static int
migration_cmp(const void *a, const void *b)
{
	const struct migration	*ma = a, *mb = b;

	return ((ma->version > mb->version) - (ma->version < mb->version));
}

void
migration_sort(struct migration *m, size_t n)
{
	qsort(m, n, sizeof(*m), migration_cmp);
}

/*
 * files: what is on disk, sorted.  applied: what schema_migrations holds.
 * Returns 0 when the plan is safe, else -1 with a sentence in err.
 */
int
migration_check(const struct migration *files, size_t nfiles,
    const struct migration *applied, size_t napplied, char *err,
    size_t errlen)
{
	size_t		i, j;

	for (i = 0; i < nfiles; i++) {
		if (files[i].version != (int)i + 1) {
			if (i > 0 && files[i].version == files[i - 1].version)
				snprintf(err, errlen, "migrations %s and %s "
				    "share a number", files[i - 1].name,
				    files[i].name);
			else
				snprintf(err, errlen, "migration %04zu is "
				    "missing (next found: %s)", i + 1,
				    files[i].name);
			return (-1);
		}
	}

	for (j = 0; j < napplied; j++) {
		for (i = 0; i < nfiles; i++) {
			if (files[i].version == applied[j].version)
				break;
		}
		if (i == nfiles) {
			snprintf(err, errlen, "applied migration %s is no "
			    "longer in the migrations folder", applied[j].name);
			return (-1);
		}
		if (strcmp(files[i].name, applied[j].name) != 0) {
			snprintf(err, errlen, "migration %04d was applied as "
			    "%s but the file is now %s", applied[j].version,
			    applied[j].name, files[i].name);
			return (-1);
		}
		if (strcmp(files[i].sha256, applied[j].sha256) != 0) {
			snprintf(err, errlen, "migration %s was edited after "
			    "it was applied (sha256 %.12s... on disk, "
			    "%.12s... applied); add a new migration instead",
			    files[i].name, files[i].sha256,
			    applied[j].sha256);
			return (-1);
		}
	}
	return (0);
}

void
migration_sha256_hex(const unsigned char *data, size_t len,
    char out[MIGRATION_SHA_HEX])
{
	unsigned char	md[EVP_MAX_MD_SIZE];
	unsigned int	mdlen, i;

	mdlen = 0;
	EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
	for (i = 0; i < mdlen && i < 32; i++)
		snprintf(out + i * 2, 3, "%02x", md[i]);
	out[64] = '\0';
}
