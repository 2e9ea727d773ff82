#!/usr/bin/env bash
# Continuous copies of a SQLite board with Litestream (the release binary, from npm at the version in
# tests/litestream/package-lock.json): answers posted under load, the host "lost" (miniboard and
# Litestream killed with SIGKILL, the database file removed), `litestream restore`, and the board serving
# again from the restored file with every answer acknowledged before the last sync interval.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
bin="${CARGO_TARGET_DIR:-$root/target}/debug/miniboard"
[ -x "$bin" ] || (cd "$root" && cargo build --locked --quiet)
command -v npm >/dev/null 2>&1 || {
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
}
(cd "$root/tests/litestream" && npm ci --no-audit --no-fund --silent)
litestream="$root/tests/litestream/node_modules/@flydotio/litestream-linux-x64/litestream"

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
. "$root/tests/deploy/lib.sh"

db="$work/board.db"
cat >"$work/litestream.yml" <<YAML
dbs:
  - path: $db
    replicas:
      - type: file
        path: $work/replica
        sync-interval: 1s
YAML
port=$(free_port)
serve() { # database file
    MINIBOARD_DATABASE="$1" MINIBOARD_BIND="127.0.0.1:$port" MINIBOARD_RATE_LIMITS=off MINIBOARD_LOG=warn \
        "$bin" serve 2>>"$work/miniboard.log" &
    server=$!
    pids+=("$server")
    for _ in $(seq 200); do curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && return 0; sleep 0.05; done
    echo "miniboard did not start" >&2
    cat "$work/miniboard.log" >&2
    exit 1
}
serve "$db"
"$litestream" replicate -config "$work/litestream.yml" >>"$work/litestream.log" 2>&1 &
replicator=$!
pids+=("$replicator")

# Answers under load for three seconds; each acknowledgement recorded with its time.
python3 - "http://127.0.0.1:$port" "$work/acks" <<'PY'
import http.cookiejar, re, sys, time, urllib.parse, urllib.request

base, acks = sys.argv[1], sys.argv[2]
jar = http.cookiejar.CookieJar()

class Stay(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), Stay)

def token():
    # A logged-in user's front page carries one; a visitor's log-in form does.
    for path in ("/", "/login"):
        try:
            page = opener.open(base + path).read().decode()
        except urllib.error.HTTPError as err:
            page = err.read().decode()
        found = re.search(r'name="csrf_token" value="([^"]*)"', page)
        if found:
            return found.group(1)
    raise SystemExit("no form token on / or /login")

def post(path, fields):
    fields = dict(fields, csrf_token=token())
    try:
        opener.open(base + path, urllib.parse.urlencode(fields).encode())
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("location", "")
    return 200, ""

post("/signup", {"username": "lee", "email": "lee@example.com", "password1": "stream-password", "password2": "stream-password"})
status, location = post("/questions", {"subject": "Streamed off the host", "content": "Answers follow."})
question = location.rsplit("/", 1)[-1]
with open(acks, "w") as out:
    out.write(f"question {question}\n")
    started = time.time()
    n = 0
    while time.time() - started < 3:
        n += 1
        status, location = post(f"/questions/{question}/answers", {"content": f"answer {n} while streaming"})
        if status == 303 and "answer-" in location:
            out.write(f"{location.rsplit('answer-', 1)[-1]} {time.time():.3f}\n")
            out.flush()
PY
killed_at=$(python3 -c 'import time; print(f"{time.time():.3f}")')
kill -9 "$server" "$replicator"
wait "$server" "$replicator" 2>/dev/null || true
rm -f "$db" "$db-wal" "$db-shm"
check "answers were acknowledged under load" test "$(grep -vc '^question' "$work/acks")" -ge 20

"$litestream" restore -config "$work/litestream.yml" -o "$work/restored.db" "$db" >>"$work/litestream.log" 2>&1
check "litestream restores the lost database" test -s "$work/restored.db"
check "the restored file passes integrity_check" \
    test "$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])' "$work/restored.db")" = ok
# Everything acknowledged more than two sync intervals before the loss is in the restored board.
check "every answer acknowledged before the last sync interval is restored" python3 - "$work/restored.db" "$work/acks" "$killed_at" <<'PY'
import sqlite3, sys
db, acks, killed_at = sqlite3.connect(sys.argv[1]), sys.argv[2], float(sys.argv[3])
present = {row[0] for row in db.execute("SELECT id FROM answers")}
old_enough = [int(line.split()[0]) for line in open(acks)
              if not line.startswith("question") and float(line.split()[1]) < killed_at - 2.0]
missing = [answer for answer in old_enough if answer not in present]
print(f"   {len(old_enough)} answers old enough, {len(missing)} missing, {len(present)} restored in all")
sys.exit(1 if missing or not old_enough else 0)
PY
question=$(sed -n 's/^question //p' "$work/acks")
serve "$work/restored.db"
check "the board serves from the restored file" \
    grep -q 'Streamed off the host' <(curl -s "http://127.0.0.1:$port/questions/$question")
check "its counters count its rows" test "$(python3 -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT count(*) FROM questions q WHERE answer_count != (SELECT count(*) FROM answers a WHERE a.question_id = q.id)").fetchone()[0])
' "$work/restored.db")" = 0

echo "litestream: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
