/*
 * Request paths against route patterns.  Input: a path, or a pattern,
 * a 0x00 byte and a path.  The path is also tried against every pattern
 * of medex's route table.  Captures are non-empty, at most 64 of
 * [A-Za-z0-9._-], and there are no more than ROUTE_CAPTURES_MAX.
 */
#include "fuzz.h"
#include "route_match.h"
#include "route_table.h"

static void
check_caps(const struct route_captures *cap)
{
	int	i;
	size_t	n;

	FUZZ_ASSERT(cap->count >= 0 && cap->count <= ROUTE_CAPTURES_MAX);
	for (i = 0; i < cap->count; i++) {
		n = strnlen(cap->value[i], ROUTE_CAPTURE_LEN);
		FUZZ_ASSERT(n > 0 && n < ROUTE_CAPTURE_LEN);
		FUZZ_ASSERT(strspn(cap->value[i], "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct route_captures	 cap;
	char			*a, *b, *path;
	size_t			 i;

	fuzz_split(data, len, 0, &a, &b);
	if (memchr(data, 0, len) != NULL) {
		if (route_match(a, b, &cap))
			check_caps(&cap);
		path = b;
	} else
		path = a;
	for (i = 0; i < route_table_count; i++) {
		if (route_match(route_table[i].pattern, path, &cap))
			check_caps(&cap);
	}
	free(a);
	free(b);
	return (0);
}
