/*
 * Unit tests for the verified-token cache (app/core/token_cache.c): only
 * the exact token hits, never outside its nbf..exp (with skew), an
 * expired entry is dropped, tokens that share a set keep each other
 * until the set is full and then the least recently used goes, and the
 * table answers the claims and CSRF token it was given.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <openssl/evp.h>

#include "token_cache.h"

#define NOW	1800000000LL

static struct token_cache	*tc;
static struct token_claims	 claims;
static const char		 csrf[] = "0123456789abcdef0123456789abcdef";
static const char		 tok[] = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";

static void
setup(void)
{
	tc = token_cache_new();
	ck_assert_ptr_nonnull(tc);
	memset(&claims, 0, sizeof(claims));
	strcpy(claims.sub, "cache.me");
	strcpy(claims.role, "medical_examiner");
	strcpy(claims.office, "OFF1");
	strcpy(claims.jti, "aa00");
	claims.iat = claims.nbf = NOW;
	claims.exp = NOW + 3600;
}

static void
teardown(void)
{
	token_cache_free(tc);
	tc = NULL;
}

START_TEST(miss_then_hit_with_the_same_claims)
{
	struct token_claims	out;
	char			c[TOKEN_CSRF_LEN + 1];

	ck_assert_int_eq(token_cache_get(tc, tok, NOW, 60, &out, c), 0);
	token_cache_put(tc, tok, &claims, csrf);
	memset(&out, 0, sizeof(out));
	ck_assert_int_eq(token_cache_get(tc, tok, NOW + 10, 60, &out, c), 1);
	ck_assert_str_eq(out.sub, "cache.me");
	ck_assert_str_eq(out.role, "medical_examiner");
	ck_assert_str_eq(out.office, "OFF1");
	ck_assert_str_eq(out.jti, "aa00");
	ck_assert_int_eq(out.exp, NOW + 3600);
	ck_assert_str_eq(c, csrf);
	ck_assert_uint_eq(tc->hits, 1);
	ck_assert_uint_eq(tc->misses, 1);
}
END_TEST

START_TEST(only_the_exact_token_hits)
{
	struct token_claims	out;
	char			c[TOKEN_CSRF_LEN + 1], other[sizeof(tok)];

	token_cache_put(tc, tok, &claims, csrf);
	memcpy(other, tok, sizeof(tok));
	other[sizeof(tok) - 2] ^= 1;	/* one bit of the signature */
	ck_assert_int_eq(token_cache_get(tc, other, NOW, 60, &out, c), 0);
	/* A prefix or an extension of it is another token. */
	ck_assert_int_eq(token_cache_get(tc, "eyJhbGciOiJFUzI1NiJ9", NOW, 60,
	    &out, c), 0);
	ck_assert_int_eq(token_cache_get(tc, tok, NOW, 60, &out, c), 1);
}
END_TEST

START_TEST(never_outside_its_times)
{
	struct token_claims	out;
	char			c[TOKEN_CSRF_LEN + 1];

	token_cache_put(tc, tok, &claims, csrf);
	/* Within the skew either side: still valid, as token_verify(). */
	ck_assert_int_eq(token_cache_get(tc, tok, NOW - 60, 60, &out, c), 1);
	ck_assert_int_eq(token_cache_get(tc, tok, NOW + 3660, 60, &out, c),
	    1);
	ck_assert_int_eq(token_cache_get(tc, tok, NOW - 61, 60, &out, c), 0);
	/* Past exp + skew: refused, and dropped for good. */
	ck_assert_int_eq(token_cache_get(tc, tok, NOW + 3661, 60, &out, c),
	    0);
	ck_assert_int_eq(token_cache_get(tc, tok, NOW, 60, &out, c), 0);
	/* A negative or huge skew is bounded as token_verify() bounds it. */
	token_cache_put(tc, tok, &claims, csrf);
	ck_assert_int_eq(token_cache_get(tc, tok, NOW + 3601, -5, &out, c),
	    0);
	token_cache_put(tc, tok, &claims, csrf);
	ck_assert_int_eq(token_cache_get(tc, tok, NOW + 3600 +
	    TOKEN_SKEW_MAX + 1, 1LL << 40, &out, c), 0);
}
END_TEST

START_TEST(the_table_stays_bounded)
{
	struct token_claims	out;
	char			c[TOKEN_CSRF_LEN + 1], t[64];
	int			i, hits;

	/* Many more tokens than slots: every get answers its own claims
	 * or nothing, never another token's. */
	for (i = 0; i < 4 * TOKEN_CACHE_SLOTS; i++) {
		snprintf(t, sizeof(t), "token-%d", i);
		snprintf(claims.sub, sizeof(claims.sub), "user%d", i);
		token_cache_put(tc, t, &claims, csrf);
	}
	hits = 0;
	for (i = 0; i < 4 * TOKEN_CACHE_SLOTS; i++) {
		snprintf(t, sizeof(t), "token-%d", i);
		if (token_cache_get(tc, t, NOW, 60, &out, c)) {
			hits++;
			snprintf(t, sizeof(t), "user%d", i);
			ck_assert_str_eq(out.sub, t);
		}
	}
	ck_assert_int_gt(hits, 0);
	ck_assert_int_le(hits, TOKEN_CACHE_SLOTS);
}
END_TEST

/*
 * n tokens ("set-<k>") whose digests fall in one set, found the way
 * token_cache.c picks a set (the first two bytes of the SHA-256).
 */
static void
tokens_of_one_set(char t[][32], int n)
{
	unsigned char	md[32];
	unsigned int	len;
	size_t		want, set;
	int		k, found;

	want = (size_t)-1;
	found = 0;
	for (k = 0; found < n; k++) {
		char	name[32];

		snprintf(name, sizeof(name), "set-%d", k);
		ck_assert_int_eq(EVP_Digest(name, strlen(name), md, &len,
		    EVP_sha256(), NULL), 1);
		set = ((size_t)md[0] << 8 | md[1]) %
		    (TOKEN_CACHE_SLOTS / TOKEN_CACHE_WAYS);
		if (want == (size_t)-1)
			want = set;
		if (set == want)
			memcpy(t[found++], name, sizeof(name));
	}
}

/*
 * Two live tokens on one slot pushed each other out on every request
 * when the table was direct-mapped (the bench's 16 sessions had such a
 * pair): a set holds TOKEN_CACHE_WAYS of them, all hitting.
 */
START_TEST(tokens_sharing_a_set_all_hit)
{
	struct token_claims	out;
	char			c[TOKEN_CSRF_LEN + 1];
	char			t[TOKEN_CACHE_WAYS][32];
	int			i, round;

	tokens_of_one_set(t, TOKEN_CACHE_WAYS);
	for (i = 0; i < TOKEN_CACHE_WAYS; i++) {
		snprintf(claims.sub, sizeof(claims.sub), "user%d", i);
		token_cache_put(tc, t[i], &claims, csrf);
	}
	for (round = 0; round < 3; round++) {
		for (i = 0; i < TOKEN_CACHE_WAYS; i++) {
			char	sub[32];

			ck_assert_msg(token_cache_get(tc, t[i], NOW, 60, &out,
			    c), "token %d missed in round %d", i, round);
			snprintf(sub, sizeof(sub), "user%d", i);
			ck_assert_str_eq(out.sub, sub);
		}
	}
	ck_assert_uint_eq(tc->misses, 0);
}
END_TEST

/* One more token than a set holds: the least recently used goes. */
START_TEST(a_full_set_gives_up_its_least_recently_used)
{
	struct token_claims	out;
	char			c[TOKEN_CSRF_LEN + 1];
	char			t[TOKEN_CACHE_WAYS + 1][32];
	int			i;

	tokens_of_one_set(t, TOKEN_CACHE_WAYS + 1);
	for (i = 0; i < TOKEN_CACHE_WAYS; i++)
		token_cache_put(tc, t[i], &claims, csrf);
	/* Use all but token 1 again: token 1 is now the oldest. */
	for (i = 0; i < TOKEN_CACHE_WAYS; i++) {
		if (i != 1)
			ck_assert(token_cache_get(tc, t[i], NOW, 60, &out, c));
	}
	token_cache_put(tc, t[TOKEN_CACHE_WAYS], &claims, csrf);
	ck_assert(!token_cache_get(tc, t[1], NOW, 60, &out, c));
	for (i = 0; i <= TOKEN_CACHE_WAYS; i++) {
		if (i != 1)
			ck_assert_msg(token_cache_get(tc, t[i], NOW, 60, &out,
			    c), "token %d was pushed out", i);
	}
}
END_TEST

START_TEST(null_cache_is_a_miss)
{
	struct token_claims	out;
	char			c[TOKEN_CSRF_LEN + 1];

	token_cache_put(NULL, tok, &claims, csrf);
	ck_assert_int_eq(token_cache_get(NULL, tok, NOW, 60, &out, c), 0);
	token_cache_free(NULL);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc_;
	SRunner	*sr;
	int	 failed;

	s = suite_create("token_cache");
	tc_ = tcase_create("cache");
	tcase_add_checked_fixture(tc_, setup, teardown);
	tcase_add_test(tc_, miss_then_hit_with_the_same_claims);
	tcase_add_test(tc_, only_the_exact_token_hits);
	tcase_add_test(tc_, never_outside_its_times);
	tcase_add_test(tc_, the_table_stays_bounded);
	tcase_add_test(tc_, tokens_sharing_a_set_all_hit);
	tcase_add_test(tc_, a_full_set_gives_up_its_least_recently_used);
	tcase_add_test(tc_, null_cache_is_a_miss);
	suite_add_tcase(s, tc_);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
