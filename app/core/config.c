/*
 * Reading medex.ini.  Values are kept as written (trimmed); the callers
 * decide what each one means.  The file holds secrets (database
 * passwords), so errors name the line number and never echo a value.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static char	*config_trim(char *);

static char *
config_trim(char *s)
{
	char	*end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return (s);
}

int
config_parse(struct config *cfg, const char *text, char *err, size_t errlen)
{
	char		*copy, *line, *next, *eq, *key, *value;
	int		 lineno, ret;

	memset(cfg, 0, sizeof(*cfg));
	ret = -1;
	lineno = 0;
	if ((copy = strdup(text)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return (-1);
	}

	for (line = copy; line != NULL; line = next) {
		lineno++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		line = config_trim(line);
		if (*line == '\0' || *line == '#')
			continue;
		if (strlen(line) >= CONFIG_MAX_LINE) {
			snprintf(err, errlen, "line %d is too long", lineno);
			goto cleanup;
		}
		if ((eq = strchr(line, '=')) == NULL) {
			snprintf(err, errlen, "line %d has no '='", lineno);
			goto cleanup;
		}
		*eq = '\0';
		key = config_trim(line);
		value = config_trim(eq + 1);
		if (*key == '\0') {
			snprintf(err, errlen, "line %d has no key", lineno);
			goto cleanup;
		}
		if (cfg->count == CONFIG_MAX_ENTRIES) {
			snprintf(err, errlen, "too many settings");
			goto cleanup;
		}
		cfg->entries[cfg->count].key = strdup(key);
		cfg->entries[cfg->count].value = strdup(value);
		cfg->count++;
		if (cfg->entries[cfg->count - 1].key == NULL ||
		    cfg->entries[cfg->count - 1].value == NULL) {
			snprintf(err, errlen, "out of memory");
			goto cleanup;
		}
	}
	ret = 0;

cleanup:
	free(copy);
	if (ret != 0)
		config_free(cfg);
	return (ret);
}

int
config_load(struct config *cfg, const char *path, char *err, size_t errlen)
{
	FILE		*fp;
	char		*text;
	long		 len;
	int		 ret;

	ret = -1;
	text = NULL;
	memset(cfg, 0, sizeof(*cfg));
	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "cannot open %s: %s", path,
		    strerror(errno));
		return (-1);
	}
	if (fseek(fp, 0, SEEK_END) != 0 || (len = ftell(fp)) < 0 ||
	    len > 1024 * 1024 || fseek(fp, 0, SEEK_SET) != 0) {
		snprintf(err, errlen, "cannot read %s", path);
		goto cleanup;
	}
	if ((text = calloc(1, (size_t)len + 1)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto cleanup;
	}
	if (fread(text, 1, (size_t)len, fp) != (size_t)len) {
		snprintf(err, errlen, "cannot read %s", path);
		goto cleanup;
	}
	ret = config_parse(cfg, text, err, errlen);

cleanup:
	free(text);
	fclose(fp);
	return (ret);
}

const char *
config_get(const struct config *cfg, const char *key)
{
	size_t		i;

	for (i = 0; i < cfg->count; i++) {
		if (strcmp(cfg->entries[i].key, key) == 0)
			return (cfg->entries[i].value);
	}
	return (NULL);
}

long long
config_get_int(const struct config *cfg, const char *key, long long def,
    long long min, long long max)
{
	const char	*v;
	char		*end;
	long long	 n;

	if ((v = config_get(cfg, key)) == NULL || *v == '\0')
		return (def);
	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno != 0 || *end != '\0' || n < min || n > max)
		return (def);
	return (n);
}

void
config_free(struct config *cfg)
{
	size_t		i;

	for (i = 0; i < cfg->count; i++) {
		if (cfg->entries[i].value != NULL)
			explicit_bzero(cfg->entries[i].value,
			    strlen(cfg->entries[i].value));
		free(cfg->entries[i].key);
		free(cfg->entries[i].value);
	}
	memset(cfg, 0, sizeof(*cfg));
}
