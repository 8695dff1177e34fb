#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "migration.h"

static int	migration_cmp(const void *, const void *);
static int	migration_name_cmp(const void *, const void *);

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

/*
 * A file of sql/: a name of [a-z0-9_] and ".sql", as for migrations but
 * without the number (the order is sql/ORDER's).
 */
int
migration_code_name_ok(const char *name)
{
	size_t		len, i;

	len = strlen(name);
	if (len < 5 || len >= MIGRATION_NAME_MAX ||
	    strcmp(name + len - 4, ".sql") != 0)
		return (0);
	for (i = 0; i < len - 4; i++) {
		if (!islower((unsigned char)name[i]) &&
		    !isdigit((unsigned char)name[i]) && name[i] != '_')
			return (0);
	}
	return (1);
}

/*
 * sql/ORDER: one file name a line, in the order they are applied;
 * blank lines and lines starting with '#' are comments.  Fills names
 * (version is the position, from 1; no hash yet).  A bad name, a name
 * listed twice or too many names: -1 with a sentence in err.
 */
int
migration_code_order(const char *text, struct migration *files, size_t max,
    size_t *nfiles, char *err, size_t errlen)
{
	const char	*p, *eol;
	char		 line[MIGRATION_NAME_MAX];
	size_t		 len, i, lineno;

	*nfiles = 0;
	lineno = 0;
	for (p = text; *p != '\0'; p = *eol == '\0' ? eol : eol + 1) {
		lineno++;
		if ((eol = strchr(p, '\n')) == NULL)
			eol = p + strlen(p);
		len = (size_t)(eol - p);
		while (len > 0 && isspace((unsigned char)p[len - 1]))
			len--;
		if (len == 0 || p[0] == '#')
			continue;
		if (len >= sizeof(line)) {
			snprintf(err, errlen, "ORDER line %zu is too long",
			    lineno);
			return (-1);
		}
		memcpy(line, p, len);
		line[len] = '\0';
		if (!migration_code_name_ok(line)) {
			snprintf(err, errlen, "ORDER line %zu: \"%s\" is not "
			    "a file name of [a-z0-9_] ending in .sql", lineno,
			    line);
			return (-1);
		}
		for (i = 0; i < *nfiles; i++) {
			if (strcmp(files[i].name, line) == 0) {
				snprintf(err, errlen, "ORDER lists %s twice",
				    line);
				return (-1);
			}
		}
		if (*nfiles == max) {
			snprintf(err, errlen, "ORDER lists more than %zu "
			    "files", max);
			return (-1);
		}
		memset(&files[*nfiles], 0, sizeof(files[*nfiles]));
		files[*nfiles].version = (int)*nfiles + 1;
		memcpy(files[*nfiles].name, line, len + 1);
		(*nfiles)++;
	}
	return (0);
}

/* A whole file, NUL-terminated, and its length; NULL if unreadable. */
char *
migration_read_file(const char *path, size_t *lenp)
{
	FILE		*fp;
	char		*buf;
	long		 len;

	if ((fp = fopen(path, "rb")) == NULL)
		return (NULL);
	buf = NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (len = ftell(fp)) >= 0 &&
	    fseek(fp, 0, SEEK_SET) == 0 &&
	    (buf = calloc(1, (size_t)len + 1)) != NULL) {
		if (fread(buf, 1, (size_t)len, fp) != (size_t)len) {
			free(buf);
			buf = NULL;
		} else {
			*lenp = (size_t)len;
		}
	}
	fclose(fp);
	return (buf);
}

/*
 * The files of the sql folder dir, in sql/ORDER's order, each with its
 * SHA-256.  Both medexctl (which applies them) and the server (whose
 * /readyz compares them with what the database applied) read the folder
 * through this.  A listed file that is missing, or a .sql file that
 * ORDER does not list (it would never be applied), is an error.
 */
int
migration_code_scan(const char *dir, struct migration *files, size_t max,
    size_t *nfiles, char *err, size_t errlen)
{
	DIR		*d;
	struct dirent	*de;
	char		 path[4096], *text;
	size_t		 len, i;
	int		 ret;

	ret = -1;
	d = NULL;
	*nfiles = 0;
	snprintf(path, sizeof(path), "%s/ORDER", dir);
	if ((text = migration_read_file(path, &len)) == NULL) {
		snprintf(err, errlen, "cannot read %s", path);
		goto cleanup;
	}
	if (strlen(text) != len) {
		snprintf(err, errlen, "%s holds a NUL byte", path);
		goto cleanup;
	}
	if (migration_code_order(text, files, max, nfiles, err, errlen) != 0)
		goto cleanup;
	for (i = 0; i < *nfiles; i++) {
		free(text);
		snprintf(path, sizeof(path), "%s/%s", dir, files[i].name);
		if ((text = migration_read_file(path, &len)) == NULL) {
			snprintf(err, errlen, "cannot read %s, listed in "
			    "ORDER", path);
			goto cleanup;
		}
		migration_sha256_hex((unsigned char *)text, len,
		    files[i].sha256);
	}
	if ((d = opendir(dir)) == NULL) {
		snprintf(err, errlen, "cannot open %s", dir);
		goto cleanup;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 4 || strcmp(de->d_name + len - 4, ".sql") != 0)
			continue;
		for (i = 0; i < *nfiles; i++) {
			if (strcmp(files[i].name, de->d_name) == 0)
				break;
		}
		if (i == *nfiles) {
			snprintf(err, errlen, "%s/%s is not listed in %s/ORDER "
			    "(it would never be applied)", dir, de->d_name,
			    dir);
			goto cleanup;
		}
	}
	ret = 0;

cleanup:
	if (d != NULL)
		closedir(d);
	free(text);
	return (ret);
}

/*
 * The files of sql/ against what schema_code recorded (recorded: name
 * and SHA-256, in any order).  Returns how many differ, each named in
 * out: changed, new, or recorded but no longer in the folder.
 */
size_t
migration_code_diff(const struct migration *files, size_t nfiles,
    const struct migration *recorded, size_t nrecorded, char *out,
    size_t outlen)
{
	size_t		 i, j, n, used;
	const char	*what, *name;
	int		 w;

	n = 0;
	used = 0;
	if (outlen > 0)
		out[0] = '\0';
	for (i = 0; i < nfiles + nrecorded; i++) {
		what = NULL;
		if (i < nfiles) {
			name = files[i].name;
			for (j = 0; j < nrecorded; j++) {
				if (strcmp(recorded[j].name, name) == 0)
					break;
			}
			if (j == nrecorded)
				what = "is new";
			else if (strcmp(recorded[j].sha256,
			    files[i].sha256) != 0)
				what = "differs from what the database runs";
		} else {
			name = recorded[i - nfiles].name;
			for (j = 0; j < nfiles; j++) {
				if (strcmp(files[j].name, name) == 0)
					break;
			}
			if (j == nfiles)
				what = "is no longer in the folder";
		}
		if (what == NULL)
			continue;
		n++;
		if (used < outlen) {
			w = snprintf(out + used, outlen - used, "%s%s %s",
			    n > 1 ? "; " : "", name, what);
			if (w > 0)
				used += (size_t)w;
		}
	}
	return (n);
}

static int
migration_name_cmp(const void *a, const void *b)
{
	const struct migration	*ma = *(const struct migration *const *)a;
	const struct migration	*mb = *(const struct migration *const *)b;

	return (strcmp(ma->name, mb->name));
}

/*
 * One line "name sha256\n" a file, sorted by name in byte order: what
 * /readyz compares with schema_code's rows aggregated the same way
 * (ORDER BY filename COLLATE "C").  -1 when out is too small.
 */
int
migration_code_summary(const struct migration *files, size_t nfiles,
    char *out, size_t outlen)
{
	const struct migration	*sorted[MIGRATION_CODE_MAX];
	size_t			 i, used;
	int			 w;

	if (nfiles > MIGRATION_CODE_MAX || outlen == 0)
		return (-1);
	for (i = 0; i < nfiles; i++)
		sorted[i] = &files[i];
	qsort(sorted, nfiles, sizeof(sorted[0]), migration_name_cmp);
	used = 0;
	out[0] = '\0';
	for (i = 0; i < nfiles; i++) {
		w = snprintf(out + used, outlen - used, "%s %s\n",
		    sorted[i]->name, sorted[i]->sha256);
		if (w < 0 || (size_t)w >= outlen - used)
			return (-1);
		used += (size_t)w;
	}
	return (0);
}
