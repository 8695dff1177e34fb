/*
 * A growable byte buffer with a hard ceiling, which every medex writer
 * (JSON, HTML, CSV) writes into.
 *
 * The ceiling is set once, at sbuf_init(), and is the most bytes the
 * buffer will ever hold (the terminating NUL aside).  An append that
 * would pass it, or that cannot get memory, appends nothing and sets
 * `oom` instead.  The flag is sticky: every later append is refused
 * until sbuf_reset(), so a writer may make many calls and test `oom`
 * once at the end.  This is what stops hostile input from growing a
 * response without bound.
 *
 * `data` is always a NUL-terminated string (an empty one before the
 * first append), so it may be handed to anything that wants a C string;
 * `len` is the true length, which matters when binary data holds NULs.
 *
 * Functions return 0 on success and -1 on failure.
 */
#ifndef MEDEX_SBUF_H
#define MEDEX_SBUF_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define SBUF_PRINTF(a, b)	__attribute__((format(printf, a, b)))
#else
#define SBUF_PRINTF(a, b)
#endif

/* sbuf_utf8_next() stores this for bytes that are not well-formed UTF-8. */
#define SBUF_UTF8_BAD		(-1)

/* Room for sbuf_tenths_str(): LLONG_MIN takes 22 bytes with its NUL. */
#define SBUF_TENTHS_MAX		24

/* What the writers put in place of ill-formed UTF-8: U+FFFD. */
#define SBUF_UTF8_REPLACEMENT	"\xef\xbf\xbd"

struct sbuf {
	char	*data;
	size_t	 len;
	size_t	 cap;
	size_t	 max;
	int	 oom;
};

void	sbuf_init(struct sbuf *, size_t);
void	sbuf_free(struct sbuf *);
void	sbuf_reset(struct sbuf *);
int	sbuf_append(struct sbuf *, const void *, size_t);
int	sbuf_appends(struct sbuf *, const char *);
int	sbuf_appendc(struct sbuf *, char);
int	sbuf_appendf(struct sbuf *, const char *, ...) SBUF_PRINTF(2, 3);
int	sbuf_append_tenths(struct sbuf *, long long);

/*
 * Shared by the writers: sbuf_tenths_str() formats tenths as "75.6"
 * (see sbuf_append_tenths) and returns the length; sbuf_utf8_next()
 * decodes one UTF-8 sequence from a non-empty input and returns the
 * bytes it used, storing SBUF_UTF8_BAD for ill-formed input.
 */
size_t	sbuf_tenths_str(char [SBUF_TENTHS_MAX], long long);
size_t	sbuf_utf8_next(const char *, size_t, int32_t *);

#endif
