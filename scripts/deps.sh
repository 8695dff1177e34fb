#!/usr/bin/env bash
# Installs the Debian packages medex needs, and only those that are missing.
# Run by `make deps`, and by `make run` / `make test` through the stamp file.
set -eu

PACKAGES="build-essential pkg-config kore libjwt-dev libssl-dev libjansson-dev
libargon2-dev libunistring-dev libpq-dev postgresql-15 postgresql-contrib
check libsubunit-dev curl ca-certificates nodejs chromium
nginx pgbackrest python3 libhpdf-dev poppler-utils liboath-dev
librhonabwy-dev glewlwyd sqlite3 jq"
# nginx: tests/http/test_scale_out.c runs conf/nginx-medex.conf in front
# of two instances.  pgbackrest: scripts/backup.sh and the restore drill;
# python3: the failover test's writers (tests/ha/).  libhpdf-dev: the
# coroner referral PDF (libharu); poppler-utils: pdftotext, with which
# tests/http/test_referral_document.c reads the PDF back.  liboath-dev:
# the TOTP second factor (app/core/totp.c, RFC 6238).  librhonabwy-dev:
# single sign-on's ID token checks (JWS, JWKS: app/core/oidc.c).
# glewlwyd, sqlite3, jq: the real OpenID Connect provider the tests sign
# in through (scripts/idp.sh).
# `deps.sh fuzz` (make fuzz): clang and its libFuzzer runtime as well.
if [ "${1:-}" = fuzz ]; then
	PACKAGES="$PACKAGES clang libclang-rt-14-dev"
fi

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

# npm comes with some builds of nodejs (NodeSource's) and conflicts with
# Debian's npm package there: ask for it only when the command is missing.
command -v npm >/dev/null 2>&1 || missing="$missing npm"

# libcurl's headers for the HTTP tests: either flavour will do (the
# OpenID Connect client library pulls in the GnuTLS one, which conflicts
# with the OpenSSL one), so one already there is kept.
if ! dpkg-query -W -f='${Status}' libcurl4-openssl-dev 2>/dev/null |
    grep -q "install ok installed" &&
    ! dpkg-query -W -f='${Status}' libcurl4-gnutls-dev 2>/dev/null |
    grep -q "install ok installed"; then
	missing="$missing libcurl4-openssl-dev"
fi

if [ -z "$missing" ]; then
	exit 0
fi

echo "medex: installing missing Debian packages:$missing"
if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	SUDO="sudo"
else
	echo "medex: cannot install packages without root." >&2
	echo "Run: sudo apt-get update && sudo apt-get install -y$missing" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
