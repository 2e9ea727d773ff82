#!/usr/bin/env bash
# The deploy test: miniboard on a unix socket behind nginx, configured from the files in systemd/ and nginx/,
# checked end to end through nginx. Both run as child processes of this script and are stopped at the end.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
bin="${CARGO_TARGET_DIR:-$root/target}/debug/miniboard"
[ -x "$bin" ] || (cd "$root" && cargo build --locked --quiet)

need() { command -v "$1" >/dev/null 2>&1; }
if ! need nginx || ! need openssl || ! need curl || ! need python3; then
    if need apt-get; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx openssl curl python3 >/dev/null
    else
        echo "deploy test needs nginx, openssl, curl and python3" >&2
        exit 1
    fi
fi

work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

. "$root/tests/deploy/lib.sh"

http_port=$(free_port)
https_port=$(free_port)
host=board.example.com
base="https://$host:$https_port"
socket="$work/run/miniboard.sock"
mkdir -p "$work/run" "$work/data" "$work/units"
chmod 755 "$work/run"

# --- nginx: the shipped site, pointed at this test's socket, ports and certificate -----------------------
nginx_config "$socket"
check "nginx -t accepts nginx/miniboard.conf" nginx -t -q -c "$work/nginx.conf" -p "$work"
nginx -c "$work/nginx.conf" -p "$work" -g 'daemon off;' &
pids+=($!)

# --- miniboard, as miniboard.service runs it --------------------------------------------------------------
secret=$(openssl rand -hex 32)
start_miniboard() { # extra environment assignments
    # These servers take answers as fast as a script sends them (durability under load): the limits on
    # writing, which would stop one account after five, are off as for every test that hammers writes.
    env MINIBOARD_RATE_LIMITS=off MINIBOARD_PROFILE=production MINIBOARD_SECRET_KEY="$secret" MINIBOARD_PUBLIC_URL=https://board.example.com MINIBOARD_DATABASE="$work/data/miniboard.db" \
        MINIBOARD_BIND="unix:$socket" MINIBOARD_SOCKET_GROUP=nogroup MINIBOARD_LOG=info "$@" \
        "$bin" serve 2>>"$work/miniboard.log" &
    miniboard_pid=$!
    pids+=("$miniboard_pid")
    for _ in $(seq 100); do [ -S "$socket" ] && return 0; sleep 0.05; done
    echo "miniboard did not create $socket" >&2
    cat "$work/miniboard.log" >&2
    exit 1
}
stop_miniboard() {
    kill -TERM "$miniboard_pid"
    wait "$miniboard_pid"
}
start_miniboard MINIBOARD_TRUSTED_PROXIES=unix
check "the socket has mode 0660 and group nogroup" test "$(stat -c '%a %G' "$socket")" = "660 nogroup"

for _ in $(seq 100); do curl_ -o /dev/null "$base/healthz" && break; sleep 0.05; done

check "GET /healthz through nginx" test "$(curl_ "$base/healthz")" = "ok"
redirect=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -H "Host: $host" "http://127.0.0.1:$http_port/questions?page=2")
check "http redirects to https" test "$redirect" = "301 https://$host/questions?page=2"

# Sign-up and log-in with CSRF form posts.
# A visitor's pages carry no token: the log-in form does, and a logged-in user's front page does.
alice="$work/alice.jar"
bob="$work/bob.jar"
signup=$(post "$alice" /signup username=alice email=alice@example.com password1=deploy-password password2=deploy-password)
check "sign-up through nginx (303)" test "${signup%% *}" = "303"
check "the session cookie is Secure behind https" grep -q '#HttpOnly_board.example.com.*TRUE.*miniboard_session' "$alice"
post "$alice" /logout >/dev/null
login=$(post "$alice" /login username=alice password=deploy-password)
check "log-in through nginx (303)" test "${login%% *}" = "303"
check "the navbar shows alice" grep -q '>alice<' <(curl_ -b "$alice" "$base/")

asked=$(post "$alice" /questions "subject=Deployed behind nginx" "content=It **works**.")
question=$(echo "$asked" | sed -n 's#.*/questions/\([0-9]*\)$#\1#p')
check "asking a question (303 to /questions/ID)" test -n "$question"
post "$bob" /signup username=bob email=bob@example.com password1=deploy-password password2=deploy-password >/dev/null
like=$(curl_ -b "$bob" -c "$bob" -X POST -H "HX-Request: true" -H "X-CSRF-Token: $(token "$bob")" "$base/questions/$question/like")
check "an htmx like through nginx counts 1" grep -q 'data-like-count="1"' <<<"$like"

# Static files: hashed URL cached for a year, gzip, and nginx's cache; 304 for the ETag of the coding sent.
htmx_url=$(curl_ "$base/" | grep -o '/static/vendor/htmx.min.js?v=[0-9a-f]*' | head -1)
headers=$(curl_ -D - -o /dev/null -H 'Accept-Encoding: gzip' "$base$htmx_url")
check "static file: immutable for a year" grep -qi '^cache-control: public, max-age=31536000, immutable' <<<"$headers"
check "static file: gzip" grep -qi '^content-encoding: gzip' <<<"$headers"
again=$(curl_ -D - -o /dev/null -H 'Accept-Encoding: gzip' "$base$htmx_url")
check "static file: the second fetch comes from nginx's cache" grep -qi '^x-cache: HIT' <<<"$again"
etag=$(grep -i '^etag:' <<<"$headers" | tr -d '\r' | cut -d' ' -f2)
revalidated=$(curl_ -o /dev/null -w '%{http_code}' -H 'Accept-Encoding: gzip' -H "If-None-Match: $etag" "$base$htmx_url")
check "static file: 304 for a matching ETag" test "$revalidated" = "304"
# The binary compresses; nginx passes its brotli and its pages through, compressed once.
headers=$(curl_ -D - -o /dev/null -H 'Accept-Encoding: br' "$base$htmx_url")
check "static file: brotli through nginx" grep -qi '^content-encoding: br' <<<"$headers"
page=$(curl_ -D - -o "$work/page.gz" -H 'Accept-Encoding: gzip' "$base/")
check "a page: gzip through nginx" grep -qi '^content-encoding: gzip' <<<"$page"
check "a page: compressed once" grep -q 'miniboard' <(gzip -dc "$work/page.gz")

{ printf 'content='; head -c 2000000 /dev/zero | tr '\0' 'x'; } >"$work/big-body"
status=$(curl_ -o /dev/null -w '%{http_code}' -b "$alice" --data-binary "@$work/big-body" "$base/questions/$question/answers")
check "a 2 MB body is refused with 413" test "$status" = "413"

# The client address: believed from the trusted proxy (the socket), never the spoofed leftmost value.
curl_ -o /dev/null -H 'X-Forwarded-For: 203.0.113.9' "$base/deploy-probe-trusted"
sleep 0.2
line=$(grep 'path=/deploy-probe-trusted' "$work/miniboard.log" || true)
check "trusted proxy: the log shows the client nginx saw" grep -q 'client=127.0.0.1' <<<"$line"
check "trusted proxy: a spoofed X-Forwarded-For is not believed" bash -c "! grep -q 203.0.113.9 <<<'$line'"

# A backup while answers are being posted holds every answer acknowledged before it began.
acks="$work/acks"
: >"$acks"
(
    bob_token=$(token "$bob")
    for n in $(seq 1 60); do
        location=$(curl_ -b "$bob" -c "$bob" -o /dev/null -w '%{http_code} %{redirect_url}' \
            --data-urlencode "csrf_token=$bob_token" --data-urlencode "content=answer $n while backing up" \
            "$base/questions/$question/answers")
        case "$location" in 303*answer-*) echo "${location##*answer-}" >>"$acks" ;; esac
    done
) &
writer=$!
pids+=("$writer")
for _ in $(seq 100); do [ "$(wc -l <"$acks")" -ge 10 ] && break; sleep 0.05; done
cp "$acks" "$work/acked-before-backup"
backup_out=$(MINIBOARD_DATABASE="$work/data/miniboard.db" "$bin" backup "$work/backup.db")
wait "$writer"
check "backup while serving passes integrity_check" grep -q 'integrity_check ok' <<<"$backup_out"
check "the backup holds every acknowledged answer" python3 - "$work/backup.db" "$work/acked-before-backup" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
acked = [int(line) for line in open(sys.argv[2]) if line.strip()]
present = {row[0] for row in db.execute("SELECT id FROM answers")}
missing = [a for a in acked if a not in present]
sys.exit(1 if missing or not acked else 0)
PY
restore_out=$(MINIBOARD_DATABASE="$work/data/miniboard.db" "$bin" restore "$work/backup.db" 2>&1 || true)
check "restore refuses while the server holds the database" grep -q 'running miniboard holds' <<<"$restore_out"

# Untrusted: the same request, and the log keeps the peer (the socket), not the forwarded address.
stop_miniboard
check "the socket is removed on shutdown" test ! -e "$socket"
start_miniboard
curl_ -o /dev/null "$base/deploy-probe-untrusted"
sleep 0.2
check "untrusted proxy: the log shows the socket peer" grep -q 'path=/deploy-probe-untrusted.*client=unix' "$work/miniboard.log"
stop_miniboard

# The unit files, with the binary and environment file where this machine has them.
if need systemd-analyze; then
    cp "$root"/systemd/*.service "$root"/systemd/*.socket "$root"/systemd/*.timer "$work/units/"
    # Templates (several app servers) are checked as an instance: miniboard@1.
    for template in "$work"/units/*@.*; do mv "$template" "${template/@./@1.}"; done
    sed -i -e "s#/usr/local/bin/miniboard#$bin#" -e "s#/etc/miniboard/miniboard.env#$root/systemd/miniboard.env.example#" "$work"/units/*.service
    check "systemd-analyze verify on the unit files" systemd-analyze verify "$work"/units/*
else
    echo "skip systemd-analyze: not on this machine"
fi

echo "deploy: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
