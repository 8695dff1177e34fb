/*
 * Signing and checking audit checkpoints (checkpoint.h) with OpenSSL:
 * ECDSA with SHA-256 on P-256, the signature in DER, base64url.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "b64url.h"
#include "checkpoint.h"

#define SIG_MAX		160	/* DER ECDSA P-256: at most 72 bytes */

static void
set_err(char *err, size_t errlen, const char *msg)
{
	snprintf(err, errlen, "%s", msg);
}

/* The key of a PEM file: a private key, else a public one. */
static EVP_PKEY *
key_load(const char *path, int private_only)
{
	FILE		*fp;
	EVP_PKEY	*key;

	if ((fp = fopen(path, "r")) == NULL)
		return (NULL);
	key = PEM_read_PrivateKey(fp, NULL, NULL, NULL);
	if (key == NULL && !private_only) {
		rewind(fp);
		key = PEM_read_PUBKEY(fp, NULL, NULL, NULL);
	}
	fclose(fp);
	if (key != NULL && EVP_PKEY_base_id(key) != EVP_PKEY_EC) {
		EVP_PKEY_free(key);
		return (NULL);
	}
	return (key);
}

int
checkpoint_sign(const char *path, const char *data, size_t len, char *out,
    size_t outlen, char *err, size_t errlen)
{
	EVP_PKEY	*key;
	EVP_MD_CTX	*ctx;
	unsigned char	 sig[SIG_MAX];
	size_t		 siglen, n;
	int		 ret;

	ret = -1;
	ctx = NULL;
	if ((key = key_load(path, 1)) == NULL) {
		set_err(err, errlen, "cannot read an EC private key from the "
		    "key file");
		return (-1);
	}
	siglen = sizeof(sig);
	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, key) != 1 ||
	    EVP_DigestSign(ctx, sig, &siglen, (const unsigned char *)data,
	    len) != 1) {
		set_err(err, errlen, "signing failed");
		goto cleanup;
	}
	n = strlen(CHECKPOINT_SIG);
	if (outlen < n + 2 || !b64url_encode(sig, siglen, out + n,
	    outlen - n - 1)) {
		set_err(err, errlen, "signature buffer too small");
		goto cleanup;
	}
	memcpy(out, CHECKPOINT_SIG, n);
	strcat(out, "\n");
	ret = 0;
cleanup:
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(key);
	return (ret);
}

int
checkpoint_verify(const char *path, const char *text, size_t len,
    size_t *body_len, char *err, size_t errlen)
{
	EVP_PKEY	*key;
	EVP_MD_CTX	*ctx;
	unsigned char	*sig;
	const char	*last, *b64;
	size_t		 body, siglen, b64len, mlen;
	int		 ret;

	ret = -1;
	ctx = NULL;
	sig = NULL;
	mlen = strlen(CHECKPOINT_MAGIC);
	if (len < mlen || memcmp(text, CHECKPOINT_MAGIC, mlen) != 0) {
		set_err(err, errlen, "not a medex audit checkpoint");
		return (-1);
	}
	if (len < 2 || text[len - 1] != '\n') {
		set_err(err, errlen, "the file does not end with its "
		    "signature line");
		return (-1);
	}
	/* The last line: from after the previous newline. */
	for (last = text + len - 1; last > text && last[-1] != '\n'; last--)
		;
	body = (size_t)(last - text);
	if (strncmp(last, CHECKPOINT_SIG, strlen(CHECKPOINT_SIG)) != 0) {
		set_err(err, errlen, "the file does not end with its "
		    "signature line");
		return (-1);
	}
	b64 = last + strlen(CHECKPOINT_SIG);
	b64len = (size_t)(text + len - 1 - b64);
	if (!b64url_decode(b64, b64len, &sig, &siglen)) {
		set_err(err, errlen, "the signature is not base64url");
		return (-1);
	}
	if ((key = key_load(path, 0)) == NULL) {
		set_err(err, errlen, "cannot read an EC key from the key file");
		goto cleanup;
	}
	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, key) != 1 ||
	    EVP_DigestVerify(ctx, sig, siglen, (const unsigned char *)text,
	    body) != 1) {
		set_err(err, errlen, "the signature does not match: the "
		    "checkpoint was changed or signed with another key");
		EVP_PKEY_free(key);
		goto cleanup;
	}
	EVP_PKEY_free(key);
	*body_len = body;
	ret = 0;
cleanup:
	EVP_MD_CTX_free(ctx);
	free(sig);
	return (ret);
}

static int
hex64(const char *s)
{
	size_t	i;

	for (i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return (0);
	return (s[64] == '\0');
}

int
checkpoint_parse_head(const char *line, struct checkpoint_head *h)
{
	char	hash[66];
	int	n;

	if (strncmp(line, "head ", 5) != 0)
		return (0);
	n = 0;
	if (sscanf(line, "head %lld %lld %lld %65s%n", &h->office_id,
	    &h->case_id, &h->seq, hash, &n) != 4 || line[n] != '\0' ||
	    h->office_id <= 0 || h->case_id <= 0 || h->seq < 0 ||
	    strlen(hash) != 64 || !hex64(hash))
		return (-1);
	memcpy(h->hash, hash, 65);
	return (1);
}
