/*
 * The key ring of the ES256 tokens: the signing key, the public keys
 * tokens are verified with (kept by kid, for rotation), and the JWK set
 * that publishes them.  Issuing and verifying are token.c's.
 */

#include <sys/types.h>

#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "b64url.h"
#include "token.h"

#define P256_COORD_LEN		32

/* base64url of 32 bytes without padding, and its NUL. */
#define P256_COORD_B64_LEN	43

static int	kid_valid(const char *);
static int	no_passphrase(char *, int, int, void *);
static int	pkey_is_p256(EVP_PKEY *);
static int	bio_to_string(BIO *, char **, size_t *);
static int	ring_add_verify(struct token_ring *, const char *,
		    const char *, size_t);
static json_t	*jwk_from_key(const struct token_key *);

struct token_ring *
token_ring_new(void)
{
	struct token_ring	*ring;

	if ((ring = calloc(1, sizeof(*ring))) == NULL)
		return (NULL);

	return (ring);
}

void
token_ring_free(struct token_ring *ring)
{
	size_t		i;

	if (ring == NULL)
		return;

	if (ring->sign_pem != NULL) {
		explicit_bzero(ring->sign_pem, ring->sign_pem_len);
		free(ring->sign_pem);
	}

	for (i = 0; i < ring->nverify; i++)
		free(ring->verify[i].pem);

	explicit_bzero(ring, sizeof(*ring));
	free(ring);
}

int
token_ring_set_signing_key(struct token_ring *ring, const char *kid,
    const char *pem, size_t len)
{
	BIO		*in, *priv, *pub;
	EVP_PKEY	*pkey;
	char		*priv_pem, *pub_pem;
	size_t		priv_len, pub_len;
	int		ret;

	ret = 0;
	in = priv = pub = NULL;
	pkey = NULL;
	priv_pem = pub_pem = NULL;
	priv_len = pub_len = 0;

	if (ring == NULL || !kid_valid(kid) || pem == NULL ||
	    len == 0 || len > INT_MAX)
		goto cleanup;

	if ((in = BIO_new_mem_buf(pem, (int)len)) == NULL)
		goto cleanup;

	/*
	 * Without a callback OpenSSL would prompt on the terminal for the
	 * passphrase of an encrypted key; refuse those instead. libjwt
	 * reads the key the same way each time it signs.
	 */
	pkey = PEM_read_bio_PrivateKey(in, NULL, no_passphrase, NULL);
	if (pkey == NULL || !pkey_is_p256(pkey))
		goto cleanup;

	/*
	 * Keep a canonical PKCS#8 copy rather than the caller's text, so
	 * that what libjwt signs with is exactly the key checked above
	 * and not, say, a second PEM block further down.
	 */
	if ((priv = BIO_new(BIO_s_mem())) == NULL ||
	    (pub = BIO_new(BIO_s_mem())) == NULL)
		goto cleanup;
	if (!PEM_write_bio_PrivateKey(priv, pkey, NULL, NULL, 0, NULL, NULL) ||
	    !PEM_write_bio_PUBKEY(pub, pkey))
		goto cleanup;
	if (!bio_to_string(priv, &priv_pem, &priv_len) ||
	    !bio_to_string(pub, &pub_pem, &pub_len))
		goto cleanup;

	/* The last step that can fail: the ring is untouched until here. */
	if (!ring_add_verify(ring, kid, pub_pem, pub_len))
		goto cleanup;

	if (ring->sign_pem != NULL) {
		explicit_bzero(ring->sign_pem, ring->sign_pem_len);
		free(ring->sign_pem);
	}
	ring->sign_pem = priv_pem;
	ring->sign_pem_len = priv_len;
	priv_pem = NULL;
	memcpy(ring->sign_kid, kid, strlen(kid) + 1);

	ret = 1;

cleanup:
	if (priv_pem != NULL) {
		explicit_bzero(priv_pem, priv_len);
		free(priv_pem);
	}
	free(pub_pem);
	BIO_free(in);
	BIO_free(priv);
	BIO_free(pub);
	EVP_PKEY_free(pkey);

	return (ret);
}

int
token_ring_add_public_key(struct token_ring *ring, const char *kid,
    const char *pem, size_t len)
{
	BIO		*in, *pub;
	EVP_PKEY	*pkey;
	char		*pub_pem;
	size_t		pub_len;
	int		ret;

	ret = 0;
	in = pub = NULL;
	pkey = NULL;
	pub_pem = NULL;

	if (ring == NULL || !kid_valid(kid) || pem == NULL ||
	    len == 0 || len > INT_MAX)
		goto cleanup;

	if ((in = BIO_new_mem_buf(pem, (int)len)) == NULL)
		goto cleanup;
	pkey = PEM_read_bio_PUBKEY(in, NULL, no_passphrase, NULL);
	if (pkey == NULL || !pkey_is_p256(pkey))
		goto cleanup;

	/* Canonical form, so one key always compares equal to itself. */
	if ((pub = BIO_new(BIO_s_mem())) == NULL)
		goto cleanup;
	if (!PEM_write_bio_PUBKEY(pub, pkey))
		goto cleanup;
	if (!bio_to_string(pub, &pub_pem, &pub_len))
		goto cleanup;

	ret = ring_add_verify(ring, kid, pub_pem, pub_len);

cleanup:
	free(pub_pem);
	BIO_free(in);
	BIO_free(pub);
	EVP_PKEY_free(pkey);

	return (ret);
}

int
token_ring_remove_key(struct token_ring *ring, const char *kid)
{
	size_t		i;

	if (ring == NULL || kid == NULL)
		return (0);

	/* Tokens we are still issuing must stay verifiable. */
	if (ring->sign_pem != NULL && strcmp(ring->sign_kid, kid) == 0)
		return (0);

	for (i = 0; i < ring->nverify; i++) {
		if (strcmp(ring->verify[i].kid, kid) == 0)
			break;
	}
	if (i == ring->nverify)
		return (0);

	free(ring->verify[i].pem);
	memmove(&ring->verify[i], &ring->verify[i + 1],
	    (ring->nverify - i - 1) * sizeof(ring->verify[0]));
	ring->nverify--;
	memset(&ring->verify[ring->nverify], 0, sizeof(ring->verify[0]));

	return (1);
}

int
token_jwks_json(const struct token_ring *ring, char **out)
{
	json_t		*root, *keys, *jwk;
	size_t		i;
	int		ret;

	ret = 0;
	root = NULL;

	if (out == NULL)
		goto cleanup;
	*out = NULL;
	if (ring == NULL)
		goto cleanup;

	if ((root = json_object()) == NULL || (keys = json_array()) == NULL)
		goto cleanup;

	/* set_new takes keys over even when it fails. */
	if (json_object_set_new(root, "keys", keys) != 0)
		goto cleanup;

	for (i = 0; i < ring->nverify; i++) {
		if ((jwk = jwk_from_key(&ring->verify[i])) == NULL)
			goto cleanup;
		if (json_array_append_new(keys, jwk) != 0)
			goto cleanup;
	}

	if ((*out = json_dumps(root, JSON_COMPACT)) == NULL)
		goto cleanup;

	ret = 1;

cleanup:
	json_decref(root);

	return (ret);
}

static json_t *
jwk_from_key(const struct token_key *key)
{
	BIO		*in;
	EVP_PKEY	*pkey;
	BIGNUM		*x, *y;
	unsigned char	bin[P256_COORD_LEN];
	char		xs[P256_COORD_B64_LEN + 1], ys[P256_COORD_B64_LEN + 1];
	json_t		*jwk;

	jwk = NULL;
	pkey = NULL;
	x = y = NULL;

	if ((in = BIO_new_mem_buf(key->pem, (int)key->pem_len)) == NULL)
		goto cleanup;
	if ((pkey = PEM_read_bio_PUBKEY(in, NULL, no_passphrase, NULL)) == NULL)
		goto cleanup;
	if (!EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_X, &x) ||
	    !EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, &y))
		goto cleanup;

	/* RFC 7518 6.2.1.2: each coordinate is the full 32 bytes. */
	if (BN_bn2binpad(x, bin, sizeof(bin)) != (int)sizeof(bin) ||
	    !b64url_encode(bin, sizeof(bin), xs, sizeof(xs)))
		goto cleanup;
	if (BN_bn2binpad(y, bin, sizeof(bin)) != (int)sizeof(bin) ||
	    !b64url_encode(bin, sizeof(bin), ys, sizeof(ys)))
		goto cleanup;

	jwk = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
	    "kty", "EC", "crv", "P-256", "x", xs, "y", ys,
	    "kid", key->kid, "use", "sig", "alg", "ES256");

cleanup:
	BN_free(x);
	BN_free(y);
	EVP_PKEY_free(pkey);
	BIO_free(in);

	return (jwk);
}

static int
kid_valid(const char *kid)
{
	size_t		i;
	char		ch;

	if (kid == NULL)
		return (0);

	/* Key ids go into headers and JSON: keep them to a safe set. */
	for (i = 0; kid[i] != '\0'; i++) {
		if (i == TOKEN_KID_MAX)
			return (0);
		ch = kid[i];
		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' ||
		    ch == '-')
			continue;
		return (0);
	}

	return (i > 0);
}

static int
no_passphrase(char *buf, int size, int rwflag, void *udata)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)udata;

	return (-1);
}

static int
pkey_is_p256(EVP_PKEY *pkey)
{
	char		group[32];
	size_t		len;

	if (!EVP_PKEY_is_a(pkey, "EC"))
		return (0);
	if (!EVP_PKEY_get_group_name(pkey, group, sizeof(group), &len))
		return (0);

	return (strcmp(group, "prime256v1") == 0);
}

static int
bio_to_string(BIO *bio, char **out, size_t *outlen)
{
	char		*data, *str;
	long		len;

	len = BIO_get_mem_data(bio, &data);
	if (len <= 0)
		return (0);

	if ((str = malloc((size_t)len + 1)) == NULL)
		return (0);
	memcpy(str, data, (size_t)len);
	str[len] = '\0';

	*out = str;
	*outlen = (size_t)len;

	return (1);
}

const struct token_key *
token_ring_find(const struct token_ring *ring, const char *kid)
{
	size_t		i;

	for (i = 0; i < ring->nverify; i++) {
		if (strcmp(ring->verify[i].kid, kid) == 0)
			return (&ring->verify[i]);
	}

	return (NULL);
}

static int
ring_add_verify(struct token_ring *ring, const char *kid, const char *pem,
    size_t len)
{
	const struct token_key	*have;
	struct token_key	*key;

	/*
	 * Loading the same key twice is harmless; one kid naming two keys
	 * would make verification depend on which was loaded last.
	 */
	if ((have = token_ring_find(ring, kid)) != NULL) {
		if (have->pem_len == len && memcmp(have->pem, pem, len) == 0)
			return (1);
		return (0);
	}

	if (ring->nverify == TOKEN_RING_MAX)
		return (0);

	key = &ring->verify[ring->nverify];
	if ((key->pem = malloc(len + 1)) == NULL)
		return (0);
	memcpy(key->pem, pem, len);
	key->pem[len] = '\0';
	key->pem_len = len;
	memcpy(key->kid, kid, strlen(kid) + 1);
	ring->nverify++;

	return (1);
}
