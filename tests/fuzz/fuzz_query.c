/*
 * Query strings.  Input: name, a 0x00 byte, then the query string; the
 * value is read into buffers of several sizes.  A value found is
 * NUL-terminated within the buffer and is UTF-8 text with no control
 * characters.
 */
#include "fuzz.h"
#include "query.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const size_t	 sizes[] = { 1, 2, 16, 300, 4096 };
	char			*name, *qs, *out;
	size_t			 i, olen;
	int			 r;

	fuzz_split(data, len, 0, &name, &qs);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		if ((out = malloc(sizes[i])) == NULL)
			abort();
		r = query_get(qs, name, out, sizes[i]);
		FUZZ_ASSERT(r == QUERY_FOUND || r == QUERY_ABSENT ||
		    r == QUERY_BAD);
		if (r == QUERY_FOUND) {
			olen = strnlen(out, sizes[i]);
			FUZZ_ASSERT(olen < sizes[i]);
			FUZZ_ASSERT(fuzz_utf8_ok(out, olen));
			FUZZ_ASSERT(strpbrk(out, "\x01\x02\x03\x04\x05\x06"
			    "\x07\x08\t\n\v\f\r\x0e\x0f\x10\x11\x12\x13\x14"
			    "\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f"
			    "\x7f") == NULL);
		}
		free(out);
	}
	(void)query_get(NULL, name, NULL, 0);
	free(name);
	free(qs);
	return (0);
}
