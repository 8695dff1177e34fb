/*
 * medex runtime configuration: a `key = value` file, one setting a line,
 * `#` starts a comment.  The server and medexctl read the same file
 * ($MEDEX_DATA/medex.ini, written by scripts/configure.sh).
 */
#ifndef MEDEX_CONFIG_H
#define MEDEX_CONFIG_H

#include <stddef.h>

#define CONFIG_MAX_ENTRIES	64
#define CONFIG_MAX_LINE		2048

struct config_entry {
	char	*key;
	char	*value;
};

struct config {
	struct config_entry	entries[CONFIG_MAX_ENTRIES];
	size_t			count;
};

int		 config_load(struct config *, const char *, char *, size_t);
int		 config_parse(struct config *, const char *, char *, size_t);
const char	*config_get(const struct config *, const char *);
long long	 config_get_int(const struct config *, const char *,
		    long long, long long, long long);
void		 config_free(struct config *);

#endif
