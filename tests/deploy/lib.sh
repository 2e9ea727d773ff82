# What the deploy tests share: the pass/fail tally, a free port, and nginx serving the shipped site with this
# test's sockets, ports and certificate. Sourced; expects $root and $work.

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
check() { # description, then a command that must succeed
    local what=$1
    shift
    if "$@"; then ok "$what"; else fail "$what"; fi
}
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Writes $work/site.conf (nginx/miniboard.conf with its upstream holding the given unix sockets, on this test's
# ports and a self-signed certificate for $host) and $work/nginx.conf around it. Needs $host, $http_port and
# $https_port.
nginx_config() { # socket paths...
    local servers=""
    for socket in "$@"; do servers+="    server unix:$socket;\\n"; done
    mkdir -p "$work/tls" "$work/www" "$work/cache" "$work/tmp"
    chmod 777 "$work/cache" "$work/tmp"
    openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=$host" \
        -keyout "$work/tls/privkey.pem" -out "$work/tls/fullchain.pem" 2>/dev/null
    sed -e "s#    server unix:/run/miniboard/miniboard.sock;\$#${servers%\\n}#" \
        -e "s#listen 80;#listen 127.0.0.1:$http_port;#" \
        -e "s#listen 443 ssl http2;#listen 127.0.0.1:$https_port ssl http2;#" \
        -e '/listen \[::\]/d' \
        -e "s#/etc/letsencrypt/live/$host#$work/tls#" \
        -e "s#/var/cache/nginx/miniboard#$work/cache#" \
        -e "s#/var/www/html#$work/www#" \
        "$root/nginx/miniboard.conf" >"$work/site.conf"
    cat >"$work/nginx.conf" <<NGINX
user nobody nogroup;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    access_log $work/nginx-access.log;
    client_body_temp_path $work/tmp/body;
    proxy_temp_path $work/tmp/proxy;
    fastcgi_temp_path $work/tmp/fastcgi;
    uwsgi_temp_path $work/tmp/uwsgi;
    scgi_temp_path $work/tmp/scgi;
    include $work/site.conf;
}
NGINX
}

# Through nginx at $base, as a browser would: a CSRF token from a page this client can see (a visitor's
# log-in form, or a logged-in user's front page), and a form post carrying it. Needs $host, $https_port, $base.
curl_() { curl -sk --resolve "$host:$https_port:127.0.0.1" --max-time 10 "$@"; }
token() { { curl_ -b "$1" -c "$1" "$base/login"; curl_ -b "$1" -c "$1" "$base/"; } | grep -o 'name="csrf_token" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//'; }
post() { # jar path fields...
    local jar=$1 path=$2
    shift 2
    local args=()
    for field in "$@"; do args+=(--data-urlencode "$field"); done
    curl_ -b "$jar" -c "$jar" -o /dev/null -w '%{http_code} %{redirect_url}' \
        --data-urlencode "csrf_token=$(token "$jar")" "${args[@]}" "$base$path"
}
