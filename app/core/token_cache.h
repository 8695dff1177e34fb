/*
 * Tokens this process has verified already, so that a session's next
 * requests skip the ECDSA check (measured: about 0.3-0.6 ms a token with
 * libjwt 1.10, which parses the PEM key on every call; docs/benchmark.md
 * "Where the time goes").
 *
 * Pure C, no Kore.  A fixed table of TOKEN_CACHE_SLOTS entries, each
 * keyed by the SHA-256 of the whole compact token, so it holds no token
 * and only a token that verified, byte for byte, can hit.  An entry is
 * answered only within the token's own nbf..exp (with the same skew as
 * token_verify()), so the cache never lets through what token_verify()
 * would refuse at that moment; revocation is checked in the database on
 * every request either way.  One table a process (a Kore worker), so no
 * locking; the key ring is loaded once at start, so an entry cannot
 * outlive the key that verified it.
 *
 * Set-associative: a token's digest picks a set of TOKEN_CACHE_WAYS
 * entries, and a new token replaces the set's least recently used one.
 * The table was direct-mapped at first, one entry a digest, and two
 * live tokens that fell on one slot pushed each other out on every
 * request: with the bench's 16 sessions two did, and each of their
 * requests paid the whole check (a tenth of all requests, a quarter of
 * the worker's time; issue 21, docs/benchmark.md).  Now a set must see
 * more than TOKEN_CACHE_WAYS live tokens before one is verified again.
 */
#ifndef MEDEX_TOKEN_CACHE_H
#define MEDEX_TOKEN_CACHE_H

#include "token.h"

/* Entries a worker keeps (a power of two); about 1.3 MB. */
#define TOKEN_CACHE_SLOTS	4096
#define TOKEN_CACHE_WAYS	8	/* entries a set; divides the slots */

struct token_cache_entry {
	unsigned char		digest[32];
	struct token_claims	claims;
	char			csrf[TOKEN_CSRF_LEN + 1];
	int			used;
	unsigned long long	last;	/* the cache's clock when last used */
};

struct token_cache {
	struct token_cache_entry	slot[TOKEN_CACHE_SLOTS];
	unsigned long long		clock;	/* one tick a get or put */
	unsigned long long		hits;
	unsigned long long		misses;
};

struct token_cache	*token_cache_new(void);
void			 token_cache_free(struct token_cache *);

/*
 * Claims and CSRF token of a token verified before, if it is still
 * within its times at now (seconds) with skew: 1, or 0 (verify it).
 */
int	token_cache_get(struct token_cache *, const char *, long long,
	    long long, struct token_claims *, char [TOKEN_CSRF_LEN + 1]);

/* Keep what token_verify() answered TOKEN_OK for, and its CSRF token. */
void	token_cache_put(struct token_cache *, const char *,
	    const struct token_claims *, const char [TOKEN_CSRF_LEN + 1]);

#endif
