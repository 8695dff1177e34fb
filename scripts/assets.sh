#!/usr/bin/env bash
# Builds assets/vendor/ (git-ignored), which the server serves under
# /assets/: NHS.UK frontend's compiled CSS, JavaScript and images from
# npm (`npm ci` from the committed assets/package-lock.json into
# assets/node_modules/), and medex's own files from assets/src/.
# Nothing is fetched at run time.  Run by make through build/.assets-ok.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
a=$root/assets
cd "$a"
if [ ! -f node_modules/.package-lock.json ] ||
    [ package-lock.json -nt node_modules/.package-lock.json ]; then
	npm ci --no-audit --no-fund --loglevel=error
fi
dist=$a/node_modules/nhsuk-frontend/dist/nhsuk
out=$a/vendor
rm -rf "$out.new"
mkdir -p "$out.new/images"
# The fonts live on an NHS CDN that the Content-Security-Policy does not
# allow: drop those @font-face rules so that browsers use the fallback
# (Arial) without trying, rather than log a refusal on every page.
sed -E 's#@font-face\{[^}]*assets\.nhs\.uk[^}]*\}##g' \
    "$dist/nhsuk-frontend.min.css" > "$out.new/nhsuk-frontend.min.css"
cp "$dist/nhsuk-frontend.min.js" "$out.new/"
cp "$dist"/assets/images/*.svg "$dist"/assets/images/*.png \
    "$dist"/assets/images/favicon.ico "$out.new/images/"
cp "$a"/src/* "$out.new/"
rm -rf "$out"
mv "$out.new" "$out"
