#!/usr/bin/env bash
# A private PostgreSQL cluster for the tests, from Debian's package (installed where missing): nothing is
# shared with a server the machine may run, and nothing is kept.
#   bash scripts/postgres.sh start DIR   # starts a cluster in DIR (empty); prints the URL template, {db} for the name
#   bash scripts/postgres.sh stop DIR    # stops it and removes DIR
set -euo pipefail

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

action=${1:?start or stop}
dir=${2:?a directory}
case "$action" in
start)
    bin=$(find_bin)
    if [ -z "$bin" ]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
        bin=$(find_bin)
    fi
    # initdb refuses to run as root: root runs the cluster as the postgres user, anyone else as themselves.
    as=()
    if [ "$(id -u)" = 0 ]; then
        chown postgres "$dir"
        as=(runuser -u postgres --)
    fi
    "${as[@]}" "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C --no-sync >/dev/null
    # A socket in DIR and no TCP; durability is not what the tests measure, speed is welcome.
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -s start \
        -o "-k $dir -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400"
    echo "postgresql:///{db}?host=$dir&user=postgres"
    ;;
stop)
    bin=$(find_bin)
    if [ -n "$bin" ] && [ -f "$dir/data/postmaster.pid" ]; then
        as=()
        [ "$(id -u)" = 0 ] && as=(runuser -u postgres --)
        "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -w -s -m immediate stop || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
