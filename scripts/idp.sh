#!/usr/bin/env bash
# A throwaway OpenID Connect provider for the single sign-on tests:
# Debian's glewlwyd (2.7.5, packages glewlwyd and sqlite3; jq and openssl
# build its configuration) with its own sqlite3 database, listening on
# 127.0.0.1:PORT only, run as whoever calls (root is fine).
#
#   scripts/idp.sh start DIR PORT REDIRECT_URI [POST_LOGOUT_URI]
#   scripts/idp.sh stop  DIR
#
# start makes DIR (a scratch folder: keys, secrets, database, log), starts
# glewlwyd in the background (DIR/glewlwyd.pid, DIR/glewlwyd.log) and sets
# it up through its admin API: an OpenID Connect plugin instance `oidc`
# (issuer http://127.0.0.1:PORT/api/oidc, ID tokens signed RS256 with a key
# made here, code flow with PKCE S256 required, end_session), a confidential
# client `medex` (client_secret_basic or private_key_jwt, redirect URI
# REDIRECT_URI, post-logout URI POST_LOGOUT_URI, by default REDIRECT_URI's
# origin + "/"), and two users who sign in with a password: sso.examiner
# and sso.nobody.  It prints shell assignments for `eval`:
#
#   eval "$(scripts/idp.sh start /tmp/idp 9400 http://127.0.0.1:8888/cb)"
#
# tests/idp/README.md says what glewlwyd does and does not do, and how a
# browser signs in; tests/idp/flow.sh runs a whole flow with curl.
set -eu

usage="usage: idp.sh start DIR PORT REDIRECT_URI [POST_LOGOUT_URI] | stop DIR"
cmd=${1:?$usage}
dir=${2:?$usage}

stop_idp() {
	local pid i
	[ -f "$1/glewlwyd.pid" ] || return 0
	pid=$(cat "$1/glewlwyd.pid")
	rm -f "$1/glewlwyd.pid"
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null || true
	for i in $(seq 1 50); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
}

case $cmd in
stop)
	[ -d "$dir" ] || exit 0
	stop_idp "$(cd "$dir" && pwd)"
	exit 0
	;;
start) ;;
*)
	echo "$usage" >&2
	exit 2
	;;
esac

port=${3:?$usage}
redirect_uri=${4:?$usage}
# The origin of REDIRECT_URI (scheme://host[:port]) + "/".
post_logout_uri=${5:-$(echo "$redirect_uri" | sed -E 's#^([a-z]+://[^/]+).*#\1/#')}

for t in glewlwyd sqlite3 jq openssl curl; do
	if ! command -v "$t" >/dev/null 2>&1; then
		echo "idp.sh: $t is missing (apt-get install glewlwyd sqlite3" \
		    "jq openssl curl)" >&2
		exit 1
	fi
done
schema=/usr/share/doc/glewlwyd/database/init.sqlite3.sql.gz
webapp_src=/usr/share/glewlwyd/webapp
webapp_conf=/etc/glewlwyd/config-2.7.json/config.json
for f in "$schema" "$webapp_src/login.html" "$webapp_conf"; do
	[ -e "$f" ] || { echo "idp.sh: $f is missing (glewlwyd 2.7?)" >&2; exit 1; }
done

umask 077
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
# Starting again in the same folder starts afresh.
stop_idp "$dir"
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
	echo "idp.sh: something already listens on 127.0.0.1:$port" >&2
	exit 1
fi
rm -rf "$dir/glewlwyd.db" "$dir/webapp" "$dir"/*.jar

base=http://127.0.0.1:$port
api=$base/api
issuer=$api/oidc
examiner=sso.examiner
nobody=sso.nobody

# A random string of N letters and digits (glewlwyd's own sub alphabet).
rand_alnum() {
	local s=""
	while [ ${#s} -lt "$1" ]; do
		s=$s$(openssl rand -base64 48 | tr -dc 'A-Za-z0-9')
	done
	echo "${s:0:$1}"
}
b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }

# --- Keys and secrets: made afresh each start, never committed. -------
# The provider's ID token signing key (RS256).
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
    -out "$dir/sign_key.pem" 2>/dev/null
openssl pkey -in "$dir/sign_key.pem" -pubout -out "$dir/sign_pub.pem"
# The client's key for private_key_jwt (RS256: a JWS that openssl alone
# can sign, see tests/idp/flow.sh), and its public half as a JWKS.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
    -out "$dir/client_key.pem" 2>/dev/null
client_n=$(openssl rsa -in "$dir/client_key.pem" -noout -modulus |
    sed 's/^Modulus=//' | xxd -r -p | b64url)
client_kid=medex-$(rand_alnum 8)
jq -n --arg n "$client_n" --arg kid "$client_kid" \
    '{keys: [{kty: "RSA", e: "AQAB", n: $n, kid: $kid, alg: "RS256",
      use: "sig"}]}' > "$dir/client_jwks.json"
rand_alnum 40 > "$dir/client_secret"
rand_alnum 20 > "$dir/user_password"
rand_alnum 20 > "$dir/nobody_password"
rand_alnum 20 > "$dir/admin_password"
# glewlwyd gives each user a random 32-character `sub` the first time it
# issues a token for them (table gpo_subject_identifier, per plugin
# instance with subject-type public); we choose them beforehand instead,
# so that callers know them without a sign-in.
rand_alnum 32 > "$dir/user_sub"
rand_alnum 32 > "$dir/nobody_sub"

# --- Database: the package's schema, and what is easier in SQL. --------
zcat "$schema" | sqlite3 "$dir/glewlwyd.db"
sq() { printf "'%s'" "${1//\'/\'\'}"; }
sqlite3 "$dir/glewlwyd.db" <<EOF
-- openid needs a password sign-in (amr ["password"]); scopes email and
-- profile let a client ask for those claims.
UPDATE g_scope SET gs_password_required = 1, gs_password_max_age = 0
    WHERE gs_name = 'openid';
INSERT INTO g_scope (gs_name, gs_display_name, gs_description,
    gs_password_required, gs_password_max_age) VALUES
    ('email', 'E-mail', 'Your e-mail address', 1, 0),
    ('profile', 'Profile', 'Your name', 1, 0);
-- end_session reads the client's post_logout_redirect_uris as a list:
-- the client database module must store that property as one.
UPDATE g_client_module_instance SET gcmi_parameters = json_set(
    gcmi_parameters, '$."data-format".post_logout_redirect_uris',
    json('{"multiple":true,"read":true,"write":true}'))
    WHERE gcmi_name = 'database';
INSERT INTO gpo_subject_identifier (gposi_plugin_name, gposi_username,
    gposi_sub) VALUES
    ('oidc', $(sq $examiner), $(sq "$(cat "$dir/user_sub")")),
    ('oidc', $(sq $nobody), $(sq "$(cat "$dir/nobody_sub")"));
EOF

# --- The login web application, served by glewlwyd itself. -------------
# Debian's webapp/config.json is a symlink to a directory (the real file
# is inside it): a copy of the folder with the file in its place.
mkdir "$dir/webapp"
for f in "$webapp_src"/*; do
	[ "$(basename "$f")" = config.json ] || cp -rL "$f" "$dir/webapp/"
done
cp "$webapp_conf" "$dir/webapp/config.json"
# Browsers asking for en-US get English rather than a 404 first.
cp -r "$dir/webapp/locales/en" "$dir/webapp/locales/en-US"
chmod -R go+rX "$dir/webapp"

# --- glewlwyd's configuration (libconfig). ----------------------------
# No use_secure_connection line at all: glewlwyd 2.7.5 then wants the
# TLS key files even when it is false.
cat > "$dir/glewlwyd.conf" <<EOF
port=$port
bind_address="127.0.0.1"
external_url="$base"
login_url="login.html"
api_prefix="api"
static_files_path="$dir/webapp/"
allow_origin="*"
log_mode="console"
log_level="${IDP_LOG_LEVEL:-INFO}"
cookie_secure=0
cookie_same_site="empty"
session_expiration=86400
session_key="GLEWLWYD2_SESSION_ID"
admin_session_authentication="cookie"
profile_session_authentication="cookie"
allow_multiple_user_per_session=false
login_api_enabled=true
admin_scope="g_admin"
profile_scope="g_profile"
user_module_path="/usr/lib/glewlwyd/user"
client_module_path="/usr/lib/glewlwyd/client"
user_auth_scheme_module_path="/usr/lib/glewlwyd/scheme"
plugin_module_path="/usr/lib/glewlwyd/plugin"
hash_algorithm="SHA512"
database = { type = "sqlite3"; path = "$dir/glewlwyd.db"; };
static_files_mime_types = (
  { extension = ".html"; mime_type = "text/html"; },
  { extension = ".css"; mime_type = "text/css"; },
  { extension = ".js"; mime_type = "application/javascript"; },
  { extension = ".json"; mime_type = "application/json"; },
  { extension = ".png"; mime_type = "image/png"; },
  { extension = ".jpg"; mime_type = "image/jpeg"; },
  { extension = ".svg"; mime_type = "image/svg+xml"; },
  { extension = ".ico"; mime_type = "image/x-icon"; },
  { extension = ".woff"; mime_type = "font/woff"; },
  { extension = ".woff2"; mime_type = "font/woff2"; },
  { extension = ".ttf"; mime_type = "font/ttf"; },
  { extension = ".eot"; mime_type = "application/vnd.ms-fontobject"; }
);
EOF

# --- Start. -------------------------------------------------------------
# Detached from our stdout, or `eval "$(idp.sh start ...)"` would wait for
# glewlwyd to exit.
glewlwyd -c "$dir/glewlwyd.conf" </dev/null >"$dir/glewlwyd.log" 2>&1 &
echo $! > "$dir/glewlwyd.pid"

fail() {
	echo "idp.sh: $*" >&2
	tail -n 20 "$dir/glewlwyd.log" >&2 || true
	stop_idp "$dir"
	exit 1
}
for i in $(seq 1 100); do
	kill -0 "$(cat "$dir/glewlwyd.pid")" 2>/dev/null ||
	    fail "glewlwyd exited"
	if curl -sf -o /dev/null "$base/config"; then
		break
	fi
	[ "$i" -lt 100 ] || fail "glewlwyd does not answer on $base"
	sleep 0.1
done

# --- Set up through the admin API. -------------------------------------
# call JAR METHOD PATH [JSON]: fails, showing the answer, unless 200.
call() {
	local jar=$1 method=$2 path=$3 out code
	out=$(mktemp)
	code=$(curl -s -o "$out" -w '%{http_code}' -b "$jar" -c "$jar" \
	    -X "$method" -H 'Content-Type: application/json' \
	    ${4:+--data-binary "$4"} "$api$path") || code=000
	if [ "$code" != 200 ]; then
		echo "idp.sh: $method $path: HTTP $code $(cat "$out")" >&2
		rm -f "$out"
		fail "set-up failed"
	fi
	rm -f "$out"
}
admin=$dir/admin.jar
# The schema's administrator, admin/password, gets a random password.
call "$admin" POST /auth/ '{"username":"admin","password":"password"}'
call "$admin" PUT /user/admin "$(jq -n --rawfile p "$dir/admin_password" \
    '{name: "Administrator", scope: ["g_admin", "g_profile"],
      enabled: true, password: ($p | rtrimstr("\n"))}')"

call "$admin" POST /mod/plugin/ "$(jq -n --arg iss "$issuer" \
    --rawfile key "$dir/sign_key.pem" --rawfile cert "$dir/sign_pub.pem" '{
  module: "oidc", name: "oidc", display_name: "OpenID Connect",
  enabled: true,
  parameters: {
    iss: $iss, "subject-type": "public",
    "jwt-type": "rsa", "jwt-key-size": "256", key: $key, cert: $cert,
    "jwks-show": true,
    "access-token-duration": 3600, "refresh-token-duration": 86400,
    "code-duration": 600, "refresh-token-rolling": false,
    "allow-non-oidc": false,
    "auth-type-code-enabled": true, "auth-type-code-revoke-replayed": true,
    "auth-type-token-enabled": false, "auth-type-none-enabled": false,
    "auth-type-password-enabled": false, "auth-type-client-enabled": false,
    "auth-type-device-enabled": false, "auth-type-refresh-enabled": true,
    "pkce-allowed": true, "pkce-method-plain-allowed": false,
    "pkce-required": true,
    "email-claim": "mandatory",
    "name-claim": "on-demand", "name-claim-scope": ["profile"],
    "scope-claim": "no",
    "allowed-scope": ["openid", "email", "profile"],
    "session-management-allowed": true,
    "front-channel-logout-allowed": true,
    "session-cookie-name": "GLEWLWYD2_OIDC_SID",
    "session-cookie-expiration": 86400,
    "request-parameter-allow": true,
    "client-jwks-parameter": "jwks",
    "client-pubkey-parameter": "pubkey",
    "client-sign_kid-parameter": "sign_kid"
  }}')"

call "$admin" POST /client/ "$(jq -n --arg ru "$redirect_uri" \
    --arg plu "$post_logout_uri" --rawfile secret "$dir/client_secret" \
    --slurpfile jwks "$dir/client_jwks.json" '{
  client_id: "medex", name: "medex", enabled: true, confidential: true,
  client_secret: ($secret | rtrimstr("\n")),
  redirect_uri: [$ru], post_logout_redirect_uris: [$plu],
  authorization_type: ["code", "refresh_token"],
  token_endpoint_auth_method: ["client_secret_basic", "private_key_jwt"],
  jwks: $jwks[0], scope: []}')"

# Users: g_profile lets them record their consent below.
add_user() {
	call "$admin" POST /user/ "$(jq -n --arg u "$1" --arg n "$2" \
	    --arg e "$3" --rawfile p "$4" '{
	  username: $u, name: $n, email: $e, enabled: true,
	  password: ($p | rtrimstr("\n")),
	  scope: ["openid", "email", "profile", "g_profile"]}')"
}
add_user $examiner "SSO Examiner" sso.examiner@example.nhs.uk \
    "$dir/user_password"
add_user $nobody "SSO Nobody" sso.nobody@example.org "$dir/nobody_password"

# Consent given beforehand, as each user, so that the login page asks
# for a password only (it still shows a "Continue" step, see README).
for u in $examiner:user_password $nobody:nobody_password; do
	jar=$dir/${u%%:*}.jar
	call "$jar" POST /auth/ "$(jq -n --arg u "${u%%:*}" \
	    --rawfile p "$dir/${u#*:}" \
	    '{username: $u, password: ($p | rtrimstr("\n"))}')"
	call "$jar" PUT /auth/grant/medex '{"scope":"openid email profile"}'
	rm -f "$jar"
done
rm -f "$admin"

curl -sf -o /dev/null "$issuer/.well-known/openid-configuration" ||
    fail "no discovery document at $issuer"

# --- For the caller's eval. ---------------------------------------------
out() { printf '%s=%q\n' "$1" "$2"; }
out IDP_DIR "$dir"
out IDP_PORT "$port"
out IDP_ISSUER "$issuer"
out IDP_DISCOVERY "$issuer/.well-known/openid-configuration"
out IDP_LOGIN_URL "$base/login.html"
out IDP_CLIENT_ID medex
out IDP_CLIENT_SECRET "$(cat "$dir/client_secret")"
out IDP_CLIENT_KEY "$dir/client_key.pem"
out IDP_CLIENT_KID "$client_kid"
out IDP_REDIRECT_URI "$redirect_uri"
out IDP_POST_LOGOUT_URI "$post_logout_uri"
out IDP_USER $examiner
out IDP_PASSWORD "$(cat "$dir/user_password")"
out IDP_USER_EMAIL sso.examiner@example.nhs.uk
out IDP_USER_SUB "$(cat "$dir/user_sub")"
out IDP_NOBODY_USER $nobody
out IDP_NOBODY_PASSWORD "$(cat "$dir/nobody_password")"
out IDP_NOBODY_SUB "$(cat "$dir/nobody_sub")"
out IDP_PID "$(cat "$dir/glewlwyd.pid")"
