#!/usr/bin/env bash
# The JSON API against its own document: schemathesis (PyPI, pinned in requirements.txt) reads
# /api/openapi.json from a running server and sends it requests generated from it (the documented examples,
# the edges of every parameter and body, random ones, and chains that use what one response returned in the
# next request), with a write token and without one, and checks every answer: never a 5xx, a status the
# document lists for that operation, the content type, headers and body its schema says, an undeclared
# method answered 405 with `Allow`, input the schema rules out refused, a deleted resource gone, a token's
# absence noticed.
#
# One check is left out: positive_data_acceptance ("schema-valid input is accepted"). The board's own text
# rules (a subject that shows nothing, lengths after trimming, tag names in any script after NFKC, no NUL)
# are the server's to check, and it answers each with 422 and the field named, as the document declares;
# JSON Schema cannot state them exactly. tests/api/json_api.rs asserts those answers by hand.
#
# The database is MINIBOARD_DATABASE (a SQLite file in a temporary folder when unset), seeded small.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
target="${CARGO_TARGET_DIR:-$root/target}"
bin="$target/debug/miniboard"
[ -x "$bin" ] || (cd "$root" && cargo build --locked --quiet)

# The tool in a virtual environment kept beside the build, made again when the pin changes.
venv="$target/contract-venv"
pin=$(cat "$root/tests/contract/requirements.txt")
if [ "$(cat "$venv/pinned" 2>/dev/null)" != "$pin" ]; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$root/tests/contract/requirements.txt"
    echo "$pin" >"$venv/pinned"
fi

work=$(mktemp -d)
server=""
cleanup() {
    if [ -n "$server" ]; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

export MINIBOARD_DATABASE="${MINIBOARD_DATABASE:-$work/board.db}"
export MINIBOARD_SEARCH_DIR="$work/search"
"$bin" seed --users 6 --questions 60 --answers 150 --likes 100 --comments 80 --accepted 10 --views 500 >/dev/null
token=$("$bin" token create user2 --scope write --name contract)

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
MINIBOARD_BIND="127.0.0.1:$port" MINIBOARD_LOG=warn "$bin" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.1
done

status=0
"$venv/bin/schemathesis" run "http://127.0.0.1:$port/api/openapi.json" \
    --header "Authorization: Bearer $token" \
    --checks all --exclude-checks positive_data_acceptance \
    --phases examples,coverage,fuzzing,stateful \
    --max-examples "${CONTRACT_EXAMPLES:-30}" \
    --seed "${CONTRACT_SEED:-20261206}" \
    --workers 2 --no-color --warnings off || status=$?
if grep -q 'panicked' "$work/server.log"; then
    echo "the server panicked:" >&2
    grep -A5 'panicked' "$work/server.log" >&2
    status=1
fi
if [ "$status" -ne 0 ]; then
    # The server's own account of what failed (each error names the request id the response carried).
    echo "the server's errors and warnings:" >&2
    grep -E 'ERROR|WARN|panicked' "$work/server.log" | tail -40 >&2 || true
fi
exit "$status"
