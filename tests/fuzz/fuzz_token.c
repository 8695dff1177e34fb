/*
 * JWT checking.  A key ring is generated at start-up (no key is ever
 * committed).  The first input byte picks the mode:
 *
 *   even	the rest is a compact token, verified as it is;
 *   odd	the rest is a header JSON, a newline and a payload JSON,
 *		signed with the ring's own key and then verified, so that
 *		the claim checks behind the signature are reached too.
 *
 * A token accepted has all its claims, times in order around "now", and
 * NUL-terminated strings.
 */
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "fuzz.h"
#include "token.h"

#define ISS	"medex"
#define AUD	"medex"
#define NOW	1700000000LL
#define SKEW	60

static struct token_ring	*ring;
static EVP_PKEY			*pkey;

static char *
b64url(const unsigned char *in, size_t len)
{
	char	*out, *p;
	int	 n;

	if ((out = malloc(len * 2 + 4)) == NULL)
		abort();
	n = EVP_EncodeBlock((unsigned char *)out, in, (int)len);
	out[n] = '\0';
	for (p = out; *p != '\0'; p++) {
		if (*p == '+')
			*p = '-';
		else if (*p == '/')
			*p = '_';
		else if (*p == '=')
			*p = '\0';
	}
	return (out);
}

static char *
sign(const char *header, size_t hlen, const char *payload, size_t plen)
{
	EVP_MD_CTX		*ctx;
	ECDSA_SIG		*esig;
	const BIGNUM		*r, *s;
	const unsigned char	*p;
	unsigned char		 der[128], raw[64];
	char			*h, *b, *sig, *input, *token;
	size_t			 derlen, n;

	h = b64url((const unsigned char *)header, hlen);
	b = b64url((const unsigned char *)payload, plen);
	n = strlen(h) + strlen(b) + 2;
	if ((input = malloc(n)) == NULL)
		abort();
	snprintf(input, n, "%s.%s", h, b);
	ctx = EVP_MD_CTX_new();
	derlen = sizeof(der);
	if (EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, pkey) != 1 ||
	    EVP_DigestSign(ctx, der, &derlen, (const unsigned char *)input,
	    strlen(input)) != 1)
		abort();
	EVP_MD_CTX_free(ctx);
	p = der;
	if ((esig = d2i_ECDSA_SIG(NULL, &p, (long)derlen)) == NULL)
		abort();
	ECDSA_SIG_get0(esig, &r, &s);
	if (BN_bn2binpad(r, raw, 32) != 32 || BN_bn2binpad(s, raw + 32,
	    32) != 32)
		abort();
	ECDSA_SIG_free(esig);
	sig = b64url(raw, sizeof(raw));
	n = strlen(input) + strlen(sig) + 2;
	if ((token = malloc(n)) == NULL)
		abort();
	snprintf(token, n, "%s.%s", input, sig);
	free(h);
	free(b);
	free(sig);
	free(input);
	return (token);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	BIO	*bio;
	char	*pem;
	long	 len;

	(void)argc;
	(void)argv;
	if ((pkey = EVP_EC_gen("P-256")) == NULL)
		abort();
	bio = BIO_new(BIO_s_mem());
	if (PEM_write_bio_PrivateKey(bio, pkey, NULL, NULL, 0, NULL,
	    NULL) != 1)
		abort();
	len = BIO_get_mem_data(bio, &pem);
	if ((ring = token_ring_new()) == NULL ||
	    !token_ring_set_signing_key(ring, "k1", pem, (size_t)len))
		abort();
	BIO_free(bio);
	return (0);
}

static void
verify(const char *tok)
{
	struct token_claims	c;
	enum token_result	r;

	r = token_verify(ring, tok, ISS, AUD, NOW, SKEW, &c);
	FUZZ_ASSERT(token_result_str(r) != NULL);
	if (r != TOKEN_OK)
		return;
	FUZZ_ASSERT(memchr(c.sub, 0, sizeof(c.sub)) != NULL && c.sub[0]);
	FUZZ_ASSERT(memchr(c.role, 0, sizeof(c.role)) != NULL && c.role[0]);
	FUZZ_ASSERT(memchr(c.office, 0, sizeof(c.office)) != NULL);
	FUZZ_ASSERT(memchr(c.jti, 0, sizeof(c.jti)) != NULL && c.jti[0]);
	FUZZ_ASSERT(c.exp > NOW - SKEW);
	FUZZ_ASSERT(c.nbf <= NOW + SKEW);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const uint8_t	*nl;
	char		*tok;
	size_t		 hlen;

	if (len == 0)
		return (0);
	if ((data[0] & 1) == 0) {
		tok = fuzz_str(data + 1, len - 1);
		verify(tok);
		free(tok);
		return (0);
	}
	data++;
	len--;
	if (len > TOKEN_MAX_LEN || (nl = memchr(data, '\n', len)) == NULL)
		return (0);
	hlen = (size_t)(nl - data);
	tok = sign((const char *)data, hlen, (const char *)nl + 1,
	    len - hlen - 1);
	verify(tok);
	free(tok);
	return (0);
}
