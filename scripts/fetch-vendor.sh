#!/usr/bin/env bash
# Makes the front-end files miniboard embeds, assets/vendor/, from the npm registry at the versions pinned in
# scripts/vendor/package.json (and its lock file):
#   - htmx as published (its minified build is its smallest);
#   - Bootstrap's stylesheet reduced to the rules the templates in src/ use and the variables assets/app.css
#     reads (PurgeCSS, scripts/vendor/purge.mjs): 232 KB down to about 34 KB. The browser walk's screenshots
#     are how a change here is checked to look the same.
# The files are committed, so a build never needs the network. Run this after changing a version, or when a
# template starts using a Bootstrap class (or app.css a variable) it did not use before; `--check` (run by the
# tests) fails when the committed stylesheet lacks a rule a purge of today's src/ and app.css keeps
# (scripts/vendor/covers.mjs), or htmx is not the pinned release.
#
# htmx: the 2.0.x line. 4.x (released 2026-09) rewrote the request engine and changed attribute
# inheritance; 2.0.x is maintained, documented and is what hx-boost, hx-headers and hx-confirm here are
# written against. Move to 4.x deliberately, with the browser tests, not by accident.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tools="$root/scripts/vendor"
vendor="$root/assets/vendor"
check=false
[[ "${1:-}" == "--check" ]] && check=true

(cd "$tools" && npm ci --silent --no-audit --no-fund)

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
install -m 0644 "$tools/node_modules/htmx.org/dist/htmx.min.js" "$out/htmx.min.js"
node "$tools/purge.mjs" "$tools/node_modules/bootstrap/dist/css/bootstrap.min.css" "$root/src" \
    "$root/assets/app.css" "$out/bootstrap.min.css"
# Browsers ask for the source map only with developer tools open; drop the reference so nothing 404s.
sed -i '/sourceMappingURL/d' "$out/bootstrap.min.css"

if $check; then
    if ! cmp -s "$out/htmx.min.js" "$vendor/htmx.min.js"; then
        echo "assets/vendor/htmx.min.js is not the pinned release: run scripts/fetch-vendor.sh" >&2
        exit 1
    fi
    if ! node "$tools/covers.mjs" "$out/bootstrap.min.css" "$vendor/bootstrap.min.css"; then
        echo "run scripts/fetch-vendor.sh and check the browser walk's screenshots" >&2
        exit 1
    fi
    echo "assets/vendor: holds every rule today's src/ uses"
else
    mkdir -p "$vendor"
    install -m 0644 "$out/htmx.min.js" "$out/bootstrap.min.css" "$vendor/"
    echo "assets/vendor: $(cd "$tools" && node -p \
        "const p = require('./package.json').devDependencies; \`htmx \${p['htmx.org']}, bootstrap \${p.bootstrap}\`")"
fi
