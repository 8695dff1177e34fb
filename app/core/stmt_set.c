/*
 * The statements a connection has prepared (stmt_set.h).  A linear
 * search: medex has a few dozen distinct SQL texts, and a lookup is
 * cheap next to the round trip it goes with.
 */
#include <stdio.h>
#include <string.h>

#include "stmt_set.h"

uint64_t
stmt_hash(const char *sql)
{
	uint64_t		 h;
	const unsigned char	*p;

	/* FNV-1a, 64 bits. */
	h = 14695981039346656037ULL;
	for (p = (const unsigned char *)sql; *p != '\0'; p++) {
		h ^= *p;
		h *= 1099511628211ULL;
	}
	return (h);
}

void
stmt_name(const char *sql, char out[STMT_NAME_LEN])
{
	(void)snprintf(out, STMT_NAME_LEN, "medex_%016llx_%zu",
	    (unsigned long long)stmt_hash(sql), strlen(sql));
}

void
stmt_set_clear(struct stmt_set *s)
{
	s->n = 0;
}

int
stmt_set_has(const struct stmt_set *s, uint64_t key)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		if (s->key[i] == key)
			return (1);
	return (0);
}

/* 1 if the key is in the set now, 0 if the set is full. */
int
stmt_set_add(struct stmt_set *s, uint64_t key)
{
	if (stmt_set_has(s, key))
		return (1);
	if (s->n >= STMT_SET_MAX)
		return (0);
	s->key[s->n++] = key;
	return (1);
}
