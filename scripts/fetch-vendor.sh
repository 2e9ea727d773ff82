#!/usr/bin/env bash
# Fetches the front-end files miniboard embeds into assets/vendor/, from the npm registry, at pinned versions.
# The files are committed, so a build never needs the network; run this only to change a version.
#
# htmx: the 2.0.x line. 4.x (released 2026-09) rewrote the request engine and changed attribute
# inheritance; 2.0.x is maintained, documented and is what hx-boost, hx-headers and hx-confirm here are
# written against. Move to 4.x deliberately, with the browser tests, not by accident.
set -euo pipefail

HTMX_VERSION=2.0.11
BOOTSTRAP_VERSION=5.3.9

root=$(cd "$(dirname "$0")/.." && pwd)
vendor="$root/assets/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fetch() { # package version file-in-package target-name
    local tarball
    tarball=$(cd "$work" && npm pack --silent "$1@$2")
    tar -xzf "$work/$tarball" -C "$work" "package/$3"
    install -m 0644 "$work/package/$3" "$vendor/$4"
    rm -rf "$work/package"
}

mkdir -p "$vendor"
fetch htmx.org "$HTMX_VERSION" dist/htmx.min.js htmx.min.js
fetch bootstrap "$BOOTSTRAP_VERSION" dist/css/bootstrap.min.css bootstrap.min.css
# Browsers ask for the source map only with developer tools open; drop the reference so nothing 404s.
sed -i '/sourceMappingURL/d' "$vendor/bootstrap.min.css"
echo "assets/vendor: htmx $HTMX_VERSION, bootstrap $BOOTSTRAP_VERSION"
