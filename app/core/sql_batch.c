/*
 * One statement from several: see sql_batch.h.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "sql_batch.h"

/*
 * Copy src to dst, adding shift to every $n with n >= first.  Fails
 * (0) if dst is too small or a number is absurd.
 */
int
sql_renumber(char *dst, size_t size, const char *src, int first, int shift)
{
	size_t	 len;
	long	 n;
	int	 w;

	len = 0;
	while (*src != '\0') {
		if (*src != '$' || !isdigit((unsigned char)src[1])) {
			if (len + 1 >= size)
				return (0);
			dst[len++] = *src++;
			continue;
		}
		src++;
		n = 0;
		while (isdigit((unsigned char)*src)) {
			n = n * 10 + (*src++ - '0');
			if (n > 65535)
				return (0);
		}
		if (n >= first)
			n += shift;
		w = snprintf(dst + len, size - len, "$%ld", n);
		if (w < 0 || (size_t)w >= size - len)
			return (0);
		len += (size_t)w;
	}
	if (len >= size)
		return (0);
	dst[len] = '\0';
	return (1);
}

static void
batch_append(struct sql_batch *b, const char *s)
{
	size_t	n;

	n = strlen(s);
	if (b->overflow || b->len + n >= b->size) {
		b->overflow = 1;
		return;
	}
	memcpy(b->buf + b->len, s, n + 1);
	b->len += n;
}

void
sql_batch_init(struct sql_batch *b, char *buf, size_t size)
{
	memset(b, 0, sizeof(*b));
	b->buf = buf;
	b->size = size;
	if (size == 0)
		b->overflow = 1;
	else
		buf[0] = '\0';
	batch_append(b, "SELECT * FROM (");
}

/* Add a call that has nparams parameters of its own ($7 on). */
int
sql_batch_add(struct sql_batch *b, const char *sql, int nparams)
{
	char	head[48];

	if (b->overflow || nparams < 0)
		return (0);
	(void)snprintf(head, sizeof(head), "%sSELECT %d%s, s.* FROM (",
	    b->calls == 0 ? "" : " UNION ALL ", b->calls,
	    b->calls == 0 ? " AS batch_call" : "");
	batch_append(b, head);
	if (b->overflow)
		return (0);
	if (!sql_renumber(b->buf + b->len, b->size - b->len, sql,
	    SQL_BATCH_SHARED + 1, b->params)) {
		b->overflow = 1;
		return (0);
	}
	b->len += strlen(b->buf + b->len);
	batch_append(b, ") s");
	b->calls++;
	b->params += nparams;
	return (!b->overflow);
}

int
sql_batch_end(struct sql_batch *b)
{
	batch_append(b, ") b ORDER BY batch_call");
	return (!b->overflow && b->calls > 0);
}
