/*
 * The single sign-on's provider (issue 24): its settings from medex.ini,
 * its discovery document and key set, and the token request.  The
 * network calls run in Kore task threads (sso.c), so they use libcurl's
 * easy interface with a hard timeout and plain malloc (never Kore's
 * pools), and touch nothing of the worker's: a task works on its own
 * copy of the provider (struct sso_provider) and the worker keeps what
 * it brings back.
 *
 * Why not iddawc (libiddawc-dev), which offers the whole flow: its HTTP
 * calls (ulfius) take no timeout a caller can set, and a provider that
 * hangs must show on the sign-in page within 5 s; its session object
 * also holds the nonce and the PKCE verifier in memory, which here live
 * in the database between the two requests (any worker, any instance
 * may get the callback).  rhonabwy (which iddawc itself uses) does the
 * JOSE: the ID token (app/core/oidc.c) and the private_key_jwt client
 * assertion below.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>
#include <rhonabwy.h>

#include "medex.h"
#include "sso_provider.h"
#include "token.h"

struct sso_config	sso;

#define FETCH_MAX	(256 * 1024)	/* a discovery, key set or token */

static void
setting(const struct config *cfg, const char *key, char *dst, size_t len)
{
	const char	*v;

	v = config_get(cfg, key);
	if (v == NULL || *v == '\0') {
		dst[0] = '\0';
		return;
	}
	if (strlen(v) >= len)
		fatal("medex: %s in medex.ini is too long", key);
	memcpy(dst, v, strlen(v) + 1);
}

static void
read_secret(const char *path, char *dst, size_t len)
{
	FILE	*f;
	size_t	 n;

	if ((f = fopen(path, "r")) == NULL)
		fatal("medex: cannot read sso_client_secret_file %s", path);
	n = fread(dst, 1, len - 1, f);
	fclose(f);
	dst[n] = '\0';
	while (n > 0 && (dst[n - 1] == '\n' || dst[n - 1] == '\r'))
		dst[--n] = '\0';
	if (n == 0)
		fatal("medex: sso_client_secret_file %s is empty", path);
}

/*
 * The client's private key (sso_client_key, PEM) into a new JWK in
 * *key (the caller frees it, also on failure).  Read again at each use
 * rather than kept, so that a key replaced on disk is taken up.
 */
static int
client_key_load(jwk_t **key)
{
	FILE		*f;
	unsigned char	 pem[16384];
	size_t		 n;
	int		 ok;

	*key = NULL;
	if ((f = fopen(sso.client_key_path, "r")) == NULL)
		return (0);
	n = fread(pem, 1, sizeof(pem), f);
	fclose(f);
	ok = r_jwk_init(key) == RHN_OK && r_jwk_import_from_pem_der(*key,
	    R_X509_TYPE_PRIVKEY, R_FORMAT_PEM, pem, n) == RHN_OK;
	explicit_bzero(pem, sizeof(pem));
	return (ok);
}

/*
 * The public half of the client's key as a JWK set, with its kid, alg
 * and use, into sso.client_jwks: what the provider is given as the
 * client's jwks_uri (CIS2 registers one), GET /api/v1/auth/sso/jwks.
 */
static int
client_jwks_make(void)
{
	jwk_t		*key, *pub;
	json_t		*set;
	char		*text;
	int		 ok;

	ok = 0;
	pub = NULL;
	set = NULL;
	text = NULL;
	if (!client_key_load(&key) || r_jwk_init(&pub) != RHN_OK ||
	    r_jwk_extract_pubkey(key, pub, 0) != RHN_OK)
		goto cleanup;
	if (r_jwk_set_property_str(pub, "use", "sig") != RHN_OK ||
	    r_jwk_set_property_str(pub, "alg", sso.client_key_alg) != RHN_OK ||
	    (sso.client_key_kid[0] != '\0' && r_jwk_set_property_str(pub,
	    "kid", sso.client_key_kid) != RHN_OK))
		goto cleanup;
	if ((set = json_pack("{s:[o]}", "keys",
	    r_jwk_export_to_json_t(pub))) == NULL ||
	    (text = json_dumps(set, JSON_COMPACT)) == NULL)
		goto cleanup;
	ok = kore_strlcpy(sso.client_jwks, text, sizeof(sso.client_jwks)) <
	    sizeof(sso.client_jwks);

cleanup:
	free(text);
	json_decref(set);
	r_jwk_free(pub);
	r_jwk_free(key);
	return (ok);
}

/*
 * Reads the sso_* settings (docs/operations.md "Single sign-on"); none
 * of them: single sign-on is off.  In the parent, before the workers.
 */
void
sso_configure(const struct config *cfg)
{
	char	path[512], auth[32];

	memset(&sso, 0, sizeof(sso));
	setting(cfg, "sso_issuer", sso.issuer, sizeof(sso.issuer));
	if (sso.issuer[0] == '\0')
		return;
	setting(cfg, "sso_discovery", sso.discovery, sizeof(sso.discovery));
	if (sso.discovery[0] == '\0' && (size_t)snprintf(sso.discovery,
	    sizeof(sso.discovery), "%.*s/.well-known/openid-configuration",
	    (int)(sizeof(sso.discovery) - 40), sso.issuer) >=
	    sizeof(sso.discovery))
		fatal("medex: sso_issuer is too long");
	setting(cfg, "sso_client_id", sso.client_id, sizeof(sso.client_id));
	setting(cfg, "sso_redirect_uri", sso.redirect_uri,
	    sizeof(sso.redirect_uri));
	setting(cfg, "sso_alg", sso.alg, sizeof(sso.alg));
	if (sso.alg[0] == '\0')
		kore_strlcpy(sso.alg, "RS256", sizeof(sso.alg));
	setting(cfg, "sso_scope", sso.scope, sizeof(sso.scope));
	if (sso.scope[0] == '\0')
		kore_strlcpy(sso.scope, "openid email", sizeof(sso.scope));
	setting(cfg, "sso_label", sso.label, sizeof(sso.label));
	if (sso.label[0] == '\0')
		kore_strlcpy(sso.label, "your organisation account",
		    sizeof(sso.label));
	setting(cfg, "sso_acr_levels", sso.acr_levels_text,
	    sizeof(sso.acr_levels_text));
	setting(cfg, "sso_acr_min", sso.acr_min, sizeof(sso.acr_min));
	setting(cfg, "sso_post_logout_uri", sso.post_logout_uri,
	    sizeof(sso.post_logout_uri));
	if (sso.client_id[0] == '\0' || sso.redirect_uri[0] == '\0')
		fatal("medex: sso_issuer needs sso_client_id and "
		    "sso_redirect_uri");
	if (r_str_to_jwa_alg(sso.alg) == R_JWA_ALG_NONE ||
	    strncmp(sso.alg, "HS", 2) == 0)
		fatal("medex: sso_alg %s: use RS256, PS256 or ES256", sso.alg);

	setting(cfg, "sso_client_auth", auth, sizeof(auth));
	if (auth[0] == '\0' || strcmp(auth, "client_secret_basic") == 0) {
		sso.private_key_jwt = 0;
		setting(cfg, "sso_client_secret_file", path, sizeof(path));
		if (path[0] == '\0')
			fatal("medex: client_secret_basic needs "
			    "sso_client_secret_file");
		read_secret(path, sso.client_secret,
		    sizeof(sso.client_secret));
	} else if (strcmp(auth, "private_key_jwt") == 0) {
		sso.private_key_jwt = 1;
		setting(cfg, "sso_client_key", sso.client_key_path,
		    sizeof(sso.client_key_path));
		setting(cfg, "sso_client_key_alg", sso.client_key_alg,
		    sizeof(sso.client_key_alg));
		setting(cfg, "sso_client_key_kid", sso.client_key_kid,
		    sizeof(sso.client_key_kid));
		if (sso.client_key_alg[0] == '\0')
			kore_strlcpy(sso.client_key_alg, "RS256",
			    sizeof(sso.client_key_alg));
		if (sso.client_key_path[0] == '\0')
			fatal("medex: private_key_jwt needs sso_client_key");
		if (!client_jwks_make())
			fatal("medex: sso_client_key %s: not a private key "
			    "rhonabwy can read", sso.client_key_path);
	} else
		fatal("medex: sso_client_auth %s: use client_secret_basic or "
		    "private_key_jwt", auth);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		fatal("medex: libcurl cannot start");
	sso.on = 1;
}

/* Fills e from the settings (pointers into sso and into levels). */
void
sso_expect(struct oidc_expect *e, char *levels, size_t len,
    const char *nonce)
{
	memset(e, 0, sizeof(*e));
	e->alg = sso.alg;
	e->issuer = sso.issuer;
	e->client_id = sso.client_id;
	e->nonce = nonce;
	kore_strlcpy(levels, sso.acr_levels_text, len);
	(void)oidc_acr_levels_parse(levels, e);
	e->acr_min = sso.acr_min;
}

struct fetch {
	char	*data;
	size_t	 len;
	int	 too_big;
};

static size_t
fetch_write(char *p, size_t size, size_t n, void *arg)
{
	struct fetch	*f = arg;
	char		*d;

	n *= size;
	if (f->len + n > FETCH_MAX) {
		f->too_big = 1;
		return (0);
	}
	if ((d = realloc(f->data, f->len + n + 1)) == NULL)
		return (0);
	f->data = d;
	memcpy(f->data + f->len, p, n);
	f->len += n;
	f->data[f->len] = '\0';
	return (n);
}

/*
 * One HTTP exchange with the provider: GET url, or POST form (already
 * encoded) with basic auth when user is not NULL.  The body is malloc'd
 * into *body (NUL-terminated); returns the HTTP status, or 0 when the
 * provider did not answer in time.  Task threads only.
 */
static long
provider_http(const char *url, const char *form, const char *user,
    const char *pass, char **body)
{
	CURL		*c;
	struct fetch	 f;
	long		 status;

	*body = NULL;
	memset(&f, 0, sizeof(f));
	status = 0;
	if ((c = curl_easy_init()) == NULL)
		return (0);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 2000L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)SSO_HTTP_TIMEOUT_MS);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, fetch_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &f);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "medex");
	if (form != NULL)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, form);
	if (user != NULL) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERNAME, user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, pass);
	}
	if (curl_easy_perform(c) == CURLE_OK && !f.too_big)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	if (status == 0) {
		free(f.data);
		return (0);
	}
	*body = f.data != NULL ? f.data : strdup("");
	return (status);
}

static int
copy_url(json_t *j, const char *key, char *dst, size_t len, int required)
{
	const char	*v;
	size_t		 i;

	dst[0] = '\0';
	v = json_string_value(json_object_get(j, key));
	if (v == NULL)
		return (!required);
	if (strlen(v) >= len || (strncmp(v, "https://", 8) != 0 &&
	    strncmp(v, "http://", 7) != 0))
		return (0);
	/* They go into Location and Refresh headers: no CR, LF, space. */
	for (i = 0; v[i] != '\0'; i++)
		if ((unsigned char)v[i] <= ' ' || v[i] == 0x7f)
			return (0);
	memcpy(dst, v, strlen(v) + 1);
	return (1);
}

/*
 * The discovery document into p (OpenID Connect Discovery 1.0: its
 * issuer must be the one configured).  Task threads only.
 */
int
sso_discover(struct sso_provider *p)
{
	json_t	*j;
	char	*body;
	long	 status;
	int	 ok;

	status = provider_http(sso.discovery, NULL, NULL, NULL, &body);
	if (status != 200) {
		free(body);
		return (0);
	}
	j = json_loads(body, 0, NULL);
	free(body);
	ok = j != NULL &&
	    json_is_string(json_object_get(j, "issuer")) &&
	    strcmp(json_string_value(json_object_get(j, "issuer")),
	    sso.issuer) == 0 &&
	    copy_url(j, "authorization_endpoint", p->authorize,
	    sizeof(p->authorize), 1) &&
	    copy_url(j, "token_endpoint", p->token, sizeof(p->token), 1) &&
	    copy_url(j, "jwks_uri", p->jwks_uri, sizeof(p->jwks_uri), 1) &&
	    copy_url(j, "end_session_endpoint", p->end_session,
	    sizeof(p->end_session), 0);
	json_decref(j);
	if (ok)
		p->fetched = time(NULL);
	return (ok);
}

/* The key set, malloc'd into *jwks.  Task threads only. */
int
sso_fetch_jwks(const struct sso_provider *p, char **jwks)
{
	long	status;

	status = provider_http(p->jwks_uri, NULL, NULL, NULL, jwks);
	if (status == 200)
		return (1);
	free(*jwks);
	*jwks = NULL;
	return (0);
}

/* form: key=value&... with libcurl's escaping, appended to *out. */
static int
form_add(CURL *c, char *out, size_t len, const char *key, const char *val)
{
	char	*e;
	size_t	 n;

	if ((e = curl_easy_escape(c, val, 0)) == NULL)
		return (0);
	n = strlen(out);
	n = (size_t)snprintf(out + n, len - n, "%s%s=%s", n > 0 ? "&" : "",
	    key, e);
	curl_free(e);
	return (strlen(out) < len - 1);
}

/*
 * RFC 7523's client assertion for private_key_jwt: signed by the
 * client's own key, for the token endpoint only, once (jti), for a
 * minute.  malloc'd (rhonabwy's), or NULL.
 */
static char *
client_assertion(const struct sso_provider *p)
{
	jwt_t		*jwt;
	jwk_t		*key;
	json_t		*claims;
	char		 jti[33], *out;
	time_t		 now;

	out = NULL;
	jwt = NULL;
	if (!client_key_load(&key) || r_jwt_init(&jwt) != RHN_OK)
		goto cleanup;
	now = time(NULL);
	if (!token_random_hex(jti, 16))
		goto cleanup;
	claims = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I}",
	    "iss", sso.client_id, "sub", sso.client_id, "aud", p->token,
	    "jti", jti, "iat", (json_int_t)now, "exp", (json_int_t)now + 60);
	if (claims == NULL)
		goto cleanup;
	/* The kid names the key among those registered (glewlwyd needs it). */
	if (r_jwt_set_full_claims_json_t(jwt, claims) == RHN_OK &&
	    r_jwt_set_sign_alg(jwt, r_str_to_jwa_alg(sso.client_key_alg)) ==
	    RHN_OK && r_jwt_set_header_str_value(jwt, "typ", "JWT") ==
	    RHN_OK && (sso.client_key_kid[0] == '\0' ||
	    r_jwt_set_header_str_value(jwt, "kid", sso.client_key_kid) ==
	    RHN_OK))
		out = r_jwt_serialize_signed(jwt, key, 0);
	json_decref(claims);

cleanup:
	r_jwt_free(jwt);
	r_jwk_free(key);
	return (out);
}

/*
 * The authorization code for tokens (RFC 6749 4.1.3, with PKCE's
 * verifier).  The ID token malloc'd into *id_token; otherwise 0 and the
 * reason ("provider_unreachable", "code_refused: <error>", ...) in why.
 * Task threads only.
 */
int
sso_token_request(const struct sso_provider *p, const char *code,
    const char *verifier, char **id_token, char *why, size_t whylen)
{
	CURL		*c;
	json_t		*j;
	char		 form[8192], *body, *assertion;
	const char	*err, *t;
	long		 status;
	int		 ok;

	*id_token = NULL;
	form[0] = '\0';
	assertion = NULL;
	if ((c = curl_easy_init()) == NULL) {
		kore_strlcpy(why, "internal", whylen);
		return (0);
	}
	ok = form_add(c, form, sizeof(form), "grant_type",
	    "authorization_code") &&
	    form_add(c, form, sizeof(form), "code", code) &&
	    form_add(c, form, sizeof(form), "redirect_uri",
	    sso.redirect_uri) &&
	    form_add(c, form, sizeof(form), "code_verifier", verifier);
	if (ok && sso.private_key_jwt) {
		ok = (assertion = client_assertion(p)) != NULL &&
		    form_add(c, form, sizeof(form), "client_id",
		    sso.client_id) &&
		    form_add(c, form, sizeof(form), "client_assertion_type",
		    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer") &&
		    form_add(c, form, sizeof(form), "client_assertion",
		    assertion);
	}
	curl_easy_cleanup(c);
	r_free(assertion);
	if (!ok) {
		kore_strlcpy(why, "client_auth", whylen);
		return (0);
	}
	status = provider_http(p->token, form, sso.private_key_jwt ? NULL :
	    sso.client_id, sso.client_secret, &body);
	explicit_bzero(form, sizeof(form));
	if (status == 0) {
		kore_strlcpy(why, "provider_unreachable", whylen);
		return (0);
	}
	j = json_loads(body, 0, NULL);
	free(body);
	t = json_string_value(json_object_get(j, "id_token"));
	if (status != 200 || t == NULL) {
		err = json_string_value(json_object_get(j, "error"));
		snprintf(why, whylen, "code_refused:%.40s",
		    err != NULL ? err : "no_id_token");
		json_decref(j);
		return (0);
	}
	*id_token = strdup(t);
	json_decref(j);
	return (*id_token != NULL);
}
