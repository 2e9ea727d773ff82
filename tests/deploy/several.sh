#!/usr/bin/env bash
# Several app servers: two miniboard processes on one PostgreSQL behind nginx (the shipped site with an
# upstream of both, as DEPLOY.md shows). A write through one is on the next page of the other; under load,
# kill -9 of one costs visitors no error page and loses no acknowledged write; the restarted one rejoins.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
bin="${CARGO_TARGET_DIR:-$root/target}/debug/miniboard"
[ -x "$bin" ] || (cd "$root" && cargo build --locked --quiet)

work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    bash "$root/scripts/postgres.sh" stop "$work/pg" || true
    rm -rf "$work"
}
trap cleanup EXIT

. "$root/tests/deploy/lib.sh"

# --- PostgreSQL: a private cluster with one database ------------------------------------------------------
mkdir -p "$work/pg"
template=$(bash "$root/scripts/postgres.sh" start "$work/pg")
psql_() { psql -qtA "${template//\{db\}/miniboard}" -c "$1"; }
psql -qtA "${template//\{db\}/postgres}" -c "CREATE DATABASE miniboard" >/dev/null
database=${template//\{db\}/miniboard}

# --- nginx: the shipped site, its upstream holding both servers' sockets ---------------------------------
https_port=$(free_port)
http_port=$(free_port)
host=board.example.com
base="https://$host:$https_port"
mkdir -p "$work/run"
chmod 755 "$work/run"
nginx_config "$work/run/a.sock" "$work/run/b.sock"
check "the site's upstream holds both servers" test "$(grep -c "server unix:$work/run/" "$work/site.conf")" = 2
nginx -c "$work/nginx.conf" -p "$work" -g 'daemon off;' &
pids+=($!)

# --- two miniboard servers, as two instances of the service would run -------------------------------------
secret=$(openssl rand -hex 32)
declare -A server_pid
start_server() { # name
    local name=$1
    # These servers take answers as fast as a script sends them (durability under load): the limits on
    # writing, which would stop one account after five, are off as for every test that hammers writes.
    env MINIBOARD_RATE_LIMITS=off MINIBOARD_PROFILE=production MINIBOARD_SECRET_KEY="$secret" MINIBOARD_PUBLIC_URL=https://board.example.com MINIBOARD_DATABASE="$database" \
        MINIBOARD_SEARCH_DIR="$work/search-$name" MINIBOARD_BIND="unix:$work/run/$name.sock" \
        MINIBOARD_SOCKET_GROUP=nogroup MINIBOARD_TRUSTED_PROXIES=unix MINIBOARD_LOG=info \
        "$bin" serve 2>>"$work/$name.log" &
    server_pid[$name]=$!
    pids+=($!)
    for _ in $(seq 200); do [ -S "$work/run/$name.sock" ] && return 0; sleep 0.05; done
    echo "server $name did not start" >&2
    cat "$work/$name.log" >&2
    exit 1
}
start_server a
start_server b

direct() { # server, path: a GET straight to one server, past nginx
    curl -s --max-time 10 --unix-socket "$work/run/$1.sock" -H "Host: $host" -H 'X-Forwarded-Proto: https' "http://$host$2"
}
for _ in $(seq 100); do curl_ -o /dev/null "$base/healthz" && break; sleep 0.05; done

alice="$work/alice.jar"
signup=$(post "$alice" /signup username=alice email=alice@example.com password1=deploy-password password2=deploy-password)
check "sign-up through nginx (303)" test "${signup%% *}" = "303"

# A visitor's front page, kept by server b; then a question asked (through whichever server nginx picks).
direct b / >/dev/null
asked=$(post "$alice" /questions "subject=Asked on one server" "content=Seen on both.")
question=$(echo "$asked" | sed -n 's#.*/questions/\([0-9]*\)$#\1#p')
check "asking through nginx (303 to /questions/ID)" test -n "$question"
check "server a's next page shows it" grep -q 'Asked on one server' <(direct a /)
check "server b's next page shows it (its kept page is not served)" grep -q 'Asked on one server' <(direct b /)
check "alice is logged in on both servers (one session table)" bash -c "grep -q '>alice<' <(curl -s --unix-socket '$work/run/a.sock' -H 'Host: $host' -H 'X-Forwarded-Proto: https' -b '$alice' http://$host/) && grep -q '>alice<' <(curl -s --unix-socket '$work/run/b.sock' -H 'Host: $host' -H 'X-Forwarded-Proto: https' -b '$alice' http://$host/)"

# Under load: visitors read and alice answers through nginx; server a is killed with SIGKILL mid-way.
statuses="$work/statuses"
acks="$work/acks"
: >"$statuses"
: >"$acks"
(
    for n in $(seq 1 300); do
        curl_ -o /dev/null -w '%{http_code}\n' "$base/questions?page=$((n % 3 + 1))&n=$n" >>"$statuses"
    done
) &
reader=$!
pids+=("$reader")
(
    alice_token=$(token "$alice")
    for n in $(seq 1 40); do
        location=$(curl_ -b "$alice" -c "$alice" -o /dev/null -w '%{http_code} %{redirect_url}' \
            --data-urlencode "csrf_token=$alice_token" --data-urlencode "content=answer $n under load" \
            "$base/questions/$question/answers")
        case "$location" in 303*answer-*) echo "${location##*answer-}" >>"$acks" ;; esac
    done
) &
writer=$!
pids+=("$writer")
for _ in $(seq 100); do [ "$(wc -l <"$statuses")" -ge 60 ] && break; sleep 0.05; done
kill -9 "${server_pid[a]}"
wait "$reader" "$writer" || true
check "300 reads through nginx, every one a 200 while a server died" \
    bash -c "[ \$(wc -l <'$statuses') = 300 ] && ! grep -qv '^200$' '$statuses'"
check "answers were acknowledged under load" test "$(wc -l <"$acks")" -ge 20
stored=$(psql_ "SELECT id FROM answers WHERE question_id = $question")
missing=0
while read -r answer; do grep -qx "$answer" <<<"$stored" || missing=$((missing + 1)); done <"$acks"
check "every acknowledged answer is in the database" test "$missing" = 0
check "the question's answer count counts its answers" \
    test "$(psql_ "SELECT answer_count = (SELECT count(*) FROM answers WHERE question_id = $question) FROM questions WHERE id = $question")" = t

# Server a comes back and serves the board as it now is.
rm -f "$work/run/a.sock"
start_server a
last=$(tail -n 1 "$acks")
check "the restarted server rejoins and shows the latest answer" \
    grep -q "id=\"answer-$last\"" <(direct a "/questions/$question?asort=recent")

echo "several servers: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
