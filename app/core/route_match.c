#include <string.h>

#include "route_match.h"

static int	route_segment_char(char);

static int
route_segment_char(char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-');
}

/* Returns 1 when path matches pattern, 0 otherwise. */
int
route_match(const char *pattern, const char *path, struct route_captures *cap)
{
	const char	*p, *s;
	size_t		 len;

	cap->count = 0;
	p = pattern;
	s = path;
	while (*p != '\0') {
		if (*p != '{') {
			if (*p != *s)
				return (0);
			p++;
			s++;
			continue;
		}
		/* A capture: skip "{name}" in the pattern. */
		if ((p = strchr(p, '}')) == NULL)
			return (0);
		p++;
		len = 0;
		while (route_segment_char(s[len]))
			len++;
		if (len == 0 || len >= ROUTE_CAPTURE_LEN ||
		    cap->count == ROUTE_CAPTURES_MAX)
			return (0);
		if (s[len] != '\0' && s[len] != '/')
			return (0);
		memcpy(cap->value[cap->count], s, len);
		cap->value[cap->count][len] = '\0';
		cap->count++;
		s += len;
	}
	return (*s == '\0');
}
