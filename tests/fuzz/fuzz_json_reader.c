/*
 * The JSON reader fed arbitrary bytes, judged against jansson: jr_load()
 * refuses exactly what json_loadb(data, len, 0, NULL) refuses, and what
 * both read is the same tree (integers and reals kept apart).  Input
 * with a NUL byte is refused, whatever jansson says (json_reader.h).
 */
#include <jansson.h>

#include "fuzz.h"
#include "json_reader.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	json_t	*a, *b;

	b = jr_load((const char *)data, len);
	if (memchr(data, '\0', len) != NULL) {
		FUZZ_ASSERT(b == NULL);
		return (0);
	}
	a = json_loadb((const char *)data, len, 0, NULL);
	FUZZ_ASSERT((a == NULL) == (b == NULL));
	if (a != NULL)
		FUZZ_ASSERT(json_equal(a, b));
	json_decref(a);
	json_decref(b);
	return (0);
}
