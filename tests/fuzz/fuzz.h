/*
 * Shared by the libFuzzer targets in this folder: each target is one
 * file fuzz_<name>.c with LLVMFuzzerTestOneInput(), built by `make fuzz`
 * with clang -fsanitize=fuzzer,address,undefined against app/core.
 *
 * An invariant that fails calls FUZZ_ASSERT, which aborts: libFuzzer
 * then saves the input as a crash like any sanitizer report.
 */
#ifndef MEDEX_FUZZ_H
#define MEDEX_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_ASSERT(x)	do {						\
	if (!(x)) {							\
		fprintf(stderr, "%s:%d: invariant failed: %s\n",	\
		    __FILE__, __LINE__, #x);				\
		abort();						\
	}								\
} while (0)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***);

/* A NUL-terminated copy of data (which may itself hold NULs). */
static inline char *
fuzz_str(const uint8_t *data, size_t len)
{
	char	*s;

	if ((s = malloc(len + 1)) == NULL)
		abort();
	memcpy(s, data, len);
	s[len] = '\0';
	return (s);
}

/*
 * Splits data at its first byte sep: *a gets the part before it and *b
 * the part after (both NUL-terminated, malloc'd).  Without sep, *b is "".
 */
static inline void
fuzz_split(const uint8_t *data, size_t len, uint8_t sep, char **a, char **b)
{
	const uint8_t	*p;
	size_t		 alen;

	if ((p = memchr(data, sep, len)) == NULL) {
		*a = fuzz_str(data, len);
		*b = fuzz_str((const uint8_t *)"", 0);
		return;
	}
	alen = (size_t)(p - data);
	*a = fuzz_str(data, alen);
	*b = fuzz_str(p + 1, len - alen - 1);
}

/* 1 when s[0..len) is well-formed UTF-8 with no NUL byte. */
static inline int
fuzz_utf8_ok(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i, n, k;
	unsigned int		 cp, min;

	for (i = 0; i < len; i += n) {
		if (p[i] == 0)
			return (0);
		if (p[i] < 0x80) {
			n = 1;
			continue;
		}
		if ((p[i] & 0xe0) == 0xc0) {
			n = 2; cp = p[i] & 0x1f; min = 0x80;
		} else if ((p[i] & 0xf0) == 0xe0) {
			n = 3; cp = p[i] & 0x0f; min = 0x800;
		} else if ((p[i] & 0xf8) == 0xf0) {
			n = 4; cp = p[i] & 0x07; min = 0x10000;
		} else
			return (0);
		if (i + n > len)
			return (0);
		for (k = 1; k < n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return (0);
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return (0);
	}
	return (1);
}

#endif
