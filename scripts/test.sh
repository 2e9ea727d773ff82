#!/usr/bin/env bash
# Runs every test of miniboard. Installs what the tests need where it is missing, so a fresh clone works.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo >/dev/null 2>&1; then
    echo "cargo is missing: install Rust (https://rustup.rs) first" >&2
    exit 1
fi

# What the tests use from Debian, where missing: libxml2's xmllint (the sitemap checked against the protocol's
# schema), aiosmtpd (the SMTP server the mail tests deliver to, under Debian's own Python), Node for the
# vendored files' check and the walk, and for the walk Debian's Chromium (and CJK fonts, for Korean in the
# screenshots), never a browser a tool downloads.
missing=()
/usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || missing+=(python3-aiosmtpd)
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
# The contract test installs schemathesis (PyPI) into a virtual environment of its own.
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' || missing+=(fonts-noto-cjk)
if [ "${#missing[@]}" -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The embedded Bootstrap holds every rule today's templates use (and htmx is the pinned release).
bash scripts/fetch-vendor.sh --check

cargo test --locked --all-targets "$@"
# The JSON API against its own OpenAPI document, on SQLite (then on PostgreSQL below).
bash tests/contract/run.sh

# The API suite again on PostgreSQL, in a private cluster of its own (installs postgresql where missing).
pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/miniboard-pg.XXXXXX")
trap 'bash scripts/postgres.sh stop "$pg_dir"' EXIT
pg_url=$(bash scripts/postgres.sh start "$pg_dir")
MINIBOARD_TEST_ENGINE=postgres MINIBOARD_TEST_POSTGRES="$pg_url" cargo test --locked --test api "$@"
psql -qtA "${pg_url//\{db\}/postgres}" -c "CREATE DATABASE contract" >/dev/null
MINIBOARD_DATABASE="${pg_url//\{db\}/contract}" bash tests/contract/run.sh

# miniboard behind nginx on a unix socket, as DEPLOY.md sets it up (installs nginx where missing); then two
# app servers on one PostgreSQL behind nginx, one killed under load.
bash tests/deploy/run.sh
bash tests/deploy/several.sh
# Continuous copies of a SQLite board with Litestream (its release binary from npm): the host lost under
# load, the board restored.
bash tests/deploy/litestream.sh

# The walk in a real browser, with playwright-core and axe-core from npm at the versions in
# tests/browser/package-lock.json.
(cd tests/browser && npm ci --no-audit --no-fund --silent && npm test --silent)
