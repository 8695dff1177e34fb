#!/usr/bin/env bash
# Proof, with curl alone and no browser, that the test OpenID Connect
# provider (scripts/idp.sh, glewlwyd) runs a whole authorization code flow
# with PKCE: sign in through glewlwyd's own auth API (cookie jar), the
# authorization request, the code from the redirect, the token request
# (client_secret_basic, then private_key_jwt), the ID token's header and
# claims checked and its RS256 signature verified with openssl; a code
# used twice, a wrong code_verifier and a request without PKCE refused.
#
#   tests/idp/flow.sh
#
# Starts the provider in a mktemp folder on a free port and stops it at
# the end; exits 0 only if every step gave what it should.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/scripts/lib.sh"

tmp=$(mktemp -d /tmp/medex-idp.XXXXXX)
idp=$tmp/idp
cleanup() {
	"$root/scripts/idp.sh" stop "$idp" || true
	rm -rf "$tmp"
}
trap cleanup EXIT

port=$(free_port 9400)
# Nothing listens there: the flow stops at the redirect, whose Location
# we read.
redirect_uri=http://127.0.0.1:9/medex/oidc/callback
# In two steps: `eval "$(...)"` would not stop on a failed start.
vars=$("$root/scripts/idp.sh" start "$idp" "$port" "$redirect_uri")
eval "$vars"

failures=0
ok() { echo "ok   - $*"; }
not_ok() { echo "FAIL - $*"; failures=$((failures + 1)); }
check() { # check DESCRIPTION ACTUAL EXPECTED
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1: '$2', not '$3'"; fi
}
b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
b64url_decode() {
	local s
	s=$(tr -- '-_' '+/')
	while [ $((${#s} % 4)) -ne 0 ]; do s=$s=; done
	printf '%s' "$s" | base64 -d
}
rand() { openssl rand -base64 "$1" | tr '+/' '-_' | tr -d '=\n'; }

echo "# provider: $IDP_ISSUER (pid $IDP_PID, folder $IDP_DIR)"
disc=$(curl -sf "$IDP_DISCOVERY")
check "discovery issuer" "$(jq -r .issuer <<<"$disc")" "$IDP_ISSUER"
check "discovery offers PKCE S256" \
    "$(jq -r '.code_challenge_methods_supported | index("S256") != null' \
    <<<"$disc")" true
check "discovery offers private_key_jwt" \
    "$(jq -r '.token_endpoint_auth_methods_supported |
    index("private_key_jwt") != null' <<<"$disc")" true
echo "#   end_session_endpoint: $(jq -r .end_session_endpoint <<<"$disc")"
auth_ep=$(jq -r .authorization_endpoint <<<"$disc")
token_ep=$(jq -r .token_endpoint <<<"$disc")
jwks=$(curl -sf "$(jq -r .jwks_uri <<<"$disc")")
check "JWKS has one RS256 key" "$(jq -r '[.keys[].alg] | join(",")' \
    <<<"$jwks")" RS256

# 1. Sign in to glewlwyd (what its login page does with the form).
jar=$tmp/cookies
code=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" \
    -H 'Content-Type: application/json' \
    -d "$(jq -n --arg u "$IDP_USER" --arg p "$IDP_PASSWORD" \
    '{username: $u, password: $p}')" "${IDP_ISSUER%/oidc}/auth/")
check "sign in as $IDP_USER" "$code" 200

# authorize VERIFIER STATE NONCE [EXTRA CURL ARGS]: prints the Location.
# g_continue is what glewlwyd's login page adds when the user presses
# "Continue": without it glewlwyd always shows its login page first.
authorize() {
	local challenge
	challenge=$(printf %s "$1" | openssl dgst -sha256 -binary | b64url)
	curl -s -o /dev/null -w '%{redirect_url}' -b "$jar" -G "$auth_ep" \
	    --data-urlencode response_type=code \
	    --data-urlencode client_id="$IDP_CLIENT_ID" \
	    --data-urlencode redirect_uri="$redirect_uri" \
	    --data-urlencode scope=openid \
	    --data-urlencode state="$2" --data-urlencode nonce="$3" \
	    --data-urlencode code_challenge="$challenge" \
	    --data-urlencode code_challenge_method=S256 "${@:4}"
}
param() { sed -n "s/.*[?&]$1=\([^&#]*\).*/\1/p"; }

# 2. Without g_continue: the login page, as a browser would see it.
loc=$(authorize "$(rand 48)" s0 n0)
case $loc in
"${IDP_ISSUER%/api/oidc}/login.html?"*) ok "login page first: ${loc%%\?*}" ;;
*) not_ok "expected the login page, got '$loc'" ;;
esac

# 3. The authorization request proper.
verifier=$(rand 48)
state=$(rand 12)
nonce=$(rand 12)
loc=$(authorize "$verifier" "$state" "$nonce" --data-urlencode g_continue=)
echo "#   redirect: $loc"
case $loc in
"$redirect_uri?"*) ok "redirected to the client" ;;
*) not_ok "redirect to '$loc'" ;;
esac
check "state comes back" "$(param state <<<"$loc")" "$state"
authz_code=$(param code <<<"$loc")
[ -n "$authz_code" ] && ok "got a code" || not_ok "no code in '$loc'"

# 4. Token request, client_secret_basic with the code_verifier.
token() { # token CODE VERIFIER [EXTRA CURL ARGS]: prints status and body
	curl -s -w '\n%{http_code}' -d grant_type=authorization_code \
	    --data-urlencode code="$1" \
	    --data-urlencode redirect_uri="$redirect_uri" \
	    --data-urlencode code_verifier="$2" "${@:3}" "$token_ep"
}
resp=$(token "$authz_code" "$verifier" -u "$IDP_CLIENT_ID:$IDP_CLIENT_SECRET")
check "token request (client_secret_basic)" "$(tail -n1 <<<"$resp")" 200
id_token=$(head -n -1 <<<"$resp" | jq -r '.id_token // empty')
[ -n "$id_token" ] && ok "got an ID token" || not_ok "no ID token: $resp"

header=$(cut -d. -f1 <<<"$id_token" | b64url_decode)
payload=$(cut -d. -f2 <<<"$id_token" | b64url_decode)
echo "# ID token header:"
jq . <<<"$header" | sed 's/^/#   /'
echo "# ID token payload:"
jq . <<<"$payload" | sed 's/^/#   /'
jq -r '"#   iss=\(.iss) aud=\(.aud) azp=\(.azp // "(absent)")",
    "#   sub=\(.sub) nonce=\(.nonce) email=\(.email // "(absent)")",
    "#   iat=\(.iat) exp=\(.exp) auth_time=\(.auth_time // "(absent)")",
    "#   acr=\(.acr // "(absent)") amr=\(.amr // [] | join(","))"' \
    <<<"$payload"
check "alg" "$(jq -r .alg <<<"$header")" RS256
check "kid is the JWKS key's" "$(jq -r .kid <<<"$header")" \
    "$(jq -r '.keys[0].kid' <<<"$jwks")"
check "iss" "$(jq -r .iss <<<"$payload")" "$IDP_ISSUER"
check "aud" "$(jq -r .aud <<<"$payload")" "$IDP_CLIENT_ID"
check "sub is IDP_USER_SUB" "$(jq -r .sub <<<"$payload")" "$IDP_USER_SUB"
check "nonce" "$(jq -r .nonce <<<"$payload")" "$nonce"
check "email" "$(jq -r .email <<<"$payload")" "$IDP_USER_EMAIL"
now=$(date +%s)
check "exp in the future" "$(jq -r ".exp > $now" <<<"$payload")" true
# The signature, with the provider's public key and openssl alone.
cut -d. -f3 <<<"$id_token" | b64url_decode > "$tmp/sig"
if printf %s "${id_token%.*}" | openssl dgst -sha256 \
    -verify "$IDP_DIR/sign_pub.pem" -signature "$tmp/sig" >/dev/null; then
	ok "RS256 signature verifies"
else
	not_ok "RS256 signature does not verify"
fi

# 5. The same code again: refused.
resp=$(token "$authz_code" "$verifier" -u "$IDP_CLIENT_ID:$IDP_CLIENT_SECRET")
echo "#   second use of the code: HTTP $(tail -n1 <<<"$resp") $(head -n -1 <<<"$resp")"
if [ "$(tail -n1 <<<"$resp")" != 200 ] &&
    [ -z "$(head -n -1 <<<"$resp" | jq -r '.id_token // empty')" ]; then
	ok "code used twice is refused"
else
	not_ok "code used twice was accepted"
fi

# 6. A wrong code_verifier, and no PKCE at all: refused.
verifier=$(rand 48)
loc=$(authorize "$verifier" s2 n2 --data-urlencode g_continue=)
resp=$(token "$(param code <<<"$loc")" "$(rand 48)" \
    -u "$IDP_CLIENT_ID:$IDP_CLIENT_SECRET")
echo "#   wrong code_verifier: HTTP $(tail -n1 <<<"$resp") $(head -n -1 <<<"$resp")"
[ "$(tail -n1 <<<"$resp")" != 200 ] && ok "wrong code_verifier refused" ||
    not_ok "wrong code_verifier accepted"
loc=$(curl -s -o /dev/null -w '%{redirect_url}' -b "$jar" -G "$auth_ep" \
    --data-urlencode response_type=code \
    --data-urlencode client_id="$IDP_CLIENT_ID" \
    --data-urlencode redirect_uri="$redirect_uri" \
    --data-urlencode scope=openid --data-urlencode state=s3 \
    --data-urlencode g_continue=)
echo "#   without PKCE: $loc"
[ -n "$(param error <<<"$loc")" ] && [ -z "$(param code <<<"$loc")" ] &&
    ok "request without code_challenge refused" ||
    not_ok "request without code_challenge accepted"

# 7. private_key_jwt: a client assertion signed RS256 with the client key.
verifier=$(rand 48)
loc=$(authorize "$verifier" s4 n4 --data-urlencode g_continue=)
jh=$(jq -cn --arg kid "$IDP_CLIENT_KID" \
    '{alg: "RS256", typ: "JWT", kid: $kid}' | b64url)
jp=$(jq -cn --arg c "$IDP_CLIENT_ID" --arg aud "$token_ep" \
    --arg jti "$(rand 16)" --argjson now "$(date +%s)" \
    '{iss: $c, sub: $c, aud: $aud, jti: $jti, iat: $now,
      exp: ($now + 60)}' | b64url)
js=$(printf %s "$jh.$jp" | openssl dgst -sha256 -sign "$IDP_CLIENT_KEY" |
    b64url)
resp=$(token "$(param code <<<"$loc")" "$verifier" \
    --data-urlencode client_id="$IDP_CLIENT_ID" \
    --data-urlencode client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer \
    --data-urlencode client_assertion="$jh.$jp.$js")
check "token request (private_key_jwt)" "$(tail -n1 <<<"$resp")" 200
[ -n "$(head -n -1 <<<"$resp" | jq -r '.id_token // empty')" ] &&
    ok "private_key_jwt gives an ID token" ||
    not_ok "private_key_jwt: $(head -n -1 <<<"$resp")"

if [ "$failures" -ne 0 ]; then
	echo "# $failures check(s) failed; glewlwyd's log:"
	tail -n 30 "$IDP_DIR/glewlwyd.log" | sed 's/^/#   /'
	exit 1
fi
echo "# all checks passed"
