#!/usr/bin/env bash
# Runs every test of miniboard. Installs what the tests need where it is missing, so a fresh clone works.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo >/dev/null 2>&1; then
    echo "cargo is missing: install Rust (https://rustup.rs) first" >&2
    exit 1
fi

cargo test --locked --all-targets "$@"

# miniboard behind nginx on a unix socket, as DEPLOY.md sets it up (installs nginx where missing).
bash tests/deploy/run.sh
