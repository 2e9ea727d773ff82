#!/usr/bin/env bash
# A private PostgreSQL cluster for the tests, from Debian's package (installed where missing): nothing is
# shared with a server the machine may run, and nothing is kept.
#   bash scripts/postgres.sh start DIR   # starts a cluster in DIR (empty); prints the URL template, {db} for the name
#   bash scripts/postgres.sh stop DIR    # stops it and removes DIR
# Besides its unix socket, the cluster takes TLS connections (and only those) on 127.0.0.1: DIR/tls holds
# ca.crt (the CA its certificate, for the name localhost, chains to), other-ca.crt (a CA it does not) and
# port.
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
    # TLS on 127.0.0.1: a CA, the server's certificate from it, and a CA that has nothing to do with it.
    command -v openssl >/dev/null 2>&1 || {
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssl >/dev/null
    }
    tls=$dir/tls
    mkdir -p "$tls"
    for ca in ca other-ca; do
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
            -subj "/CN=miniboard test $ca" -keyout "$tls/$ca.key" -out "$tls/$ca.crt" 2>/dev/null
    done
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=localhost \
        -keyout "$tls/server.key" -out "$tls/server.csr" 2>/dev/null
    printf 'subjectAltName=DNS:localhost\n' >"$tls/server.ext"
    openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" -CAcreateserial \
        -days 2 -extfile "$tls/server.ext" -out "$tls/server.crt" 2>/dev/null
    cp "$tls/server.crt" "$tls/server.key" "$dir/data/"
    chmod 600 "$dir/data/server.key"
    [ "$(id -u)" = 0 ] && chown postgres "$dir/data/server.crt" "$dir/data/server.key"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    echo "$port" >"$tls/port"
    # Over TCP only TLS is let in, so a connection that works there was encrypted.
    printf 'local all all trust\nhostssl all all 127.0.0.1/32 trust\nhost all all all reject\n' >"$dir/data/pg_hba.conf"
    # Durability is not what the tests measure, speed is welcome.
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -s start \
        -o "-k $dir -c listen_addresses=127.0.0.1 -p $port -c ssl=on -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400"
    echo "postgresql:///{db}?host=$dir&port=$port&user=postgres"
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
