/*
 * Verified tokens of this process: see token_cache.h.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "token_cache.h"

/* A token's key: SHA-256 of its text. */
static int
cache_digest(const char *token, unsigned char md[32])
{
	unsigned int	len;

	len = 0;
	if (EVP_Digest(token, strlen(token), md, &len, EVP_sha256(),
	    NULL) != 1 || len != 32)
		return (0);
	return (1);
}

/* The first entry of the digest's set. */
static struct token_cache_entry *
cache_set(struct token_cache *tc, const unsigned char md[32])
{
	size_t	i;

	i = ((size_t)md[0] << 8 | md[1]) %
	    (TOKEN_CACHE_SLOTS / TOKEN_CACHE_WAYS);
	return (&tc->slot[i * TOKEN_CACHE_WAYS]);
}

/* The digest's entry in its set, or NULL. */
static struct token_cache_entry *
cache_find(struct token_cache *tc, const unsigned char md[32])
{
	struct token_cache_entry	*set;
	size_t				 w;

	set = cache_set(tc, md);
	for (w = 0; w < TOKEN_CACHE_WAYS; w++) {
		if (set[w].used && memcmp(set[w].digest, md, 32) == 0)
			return (&set[w]);
	}
	return (NULL);
}

/* Where a new digest goes: an empty entry, else the least recently used. */
static struct token_cache_entry *
cache_victim(struct token_cache *tc, const unsigned char md[32])
{
	struct token_cache_entry	*set, *v;
	size_t				 w;

	set = cache_set(tc, md);
	v = &set[0];
	for (w = 0; w < TOKEN_CACHE_WAYS; w++) {
		if (!set[w].used)
			return (&set[w]);
		if (set[w].last < v->last)
			v = &set[w];
	}
	return (v);
}

struct token_cache *
token_cache_new(void)
{
	return (calloc(1, sizeof(struct token_cache)));
}

void
token_cache_free(struct token_cache *tc)
{
	if (tc == NULL)
		return;
	explicit_bzero(tc, sizeof(*tc));
	free(tc);
}

int
token_cache_get(struct token_cache *tc, const char *token, long long now,
    long long skew, struct token_claims *out, char csrf[TOKEN_CSRF_LEN + 1])
{
	struct token_cache_entry	*e;
	unsigned char			 md[32];

	if (tc == NULL || token == NULL || !cache_digest(token, md))
		return (0);
	if ((e = cache_find(tc, md)) == NULL) {
		tc->misses++;
		return (0);
	}
	/* As token_verify(): skew bounded, now on its own side. */
	if (skew < 0)
		skew = 0;
	if (skew > TOKEN_SKEW_MAX)
		skew = TOKEN_SKEW_MAX;
	if (now > e->claims.exp + skew || now < e->claims.nbf - skew) {
		/* Expired (or not yet valid): verify it, and let it fail. */
		explicit_bzero(e, sizeof(*e));
		tc->misses++;
		return (0);
	}
	*out = e->claims;
	memcpy(csrf, e->csrf, TOKEN_CSRF_LEN + 1);
	e->last = ++tc->clock;
	tc->hits++;
	return (1);
}

void
token_cache_put(struct token_cache *tc, const char *token,
    const struct token_claims *claims, const char csrf[TOKEN_CSRF_LEN + 1])
{
	struct token_cache_entry	*e;
	unsigned char			 md[32];

	if (tc == NULL || token == NULL || claims == NULL || csrf == NULL ||
	    !cache_digest(token, md))
		return;
	/* A full set gives up its least recently used: the table stays
	 * bounded. */
	if ((e = cache_find(tc, md)) == NULL)
		e = cache_victim(tc, md);
	memcpy(e->digest, md, sizeof(md));
	e->claims = *claims;
	memcpy(e->csrf, csrf, TOKEN_CSRF_LEN);
	e->csrf[TOKEN_CSRF_LEN] = '\0';
	e->used = 1;
	e->last = ++tc->clock;
}
