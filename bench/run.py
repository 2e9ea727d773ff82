#!/usr/bin/env python3
"""miniboard's benchmark: one command builds the release binary, makes (or reuses) seeded databases, loads the
server on 127.0.0.1 with wrk at 1 and 64 connections, and writes BENCHMARKS.md.

    python3 bench/run.py                      # 10,000 / 100,000 / 1,000,000 questions
    BENCH_SIZES=10000 BENCH_SECONDS=3 python3 bench/run.py   # a quick look
    BENCH_ENGINE=postgres python3 bench/run.py   # the same rows on PostgreSQL (bench/POSTGRES.md)
    python3 bench/lighthouse.py                  # Lighthouse's scores (bench/LIGHTHOUSE.md)

On PostgreSQL each size's board is the cached SQLite board copied (`miniboard copy`) into a private cluster
on this host (scripts/postgres.sh), reached over its unix socket; the server's first start builds its search index (timed, and the memory it
holds after noted), and the measured server is the next start, on that index, as on SQLite.

Databases are cached in target/bench/, so a rerun does not rebuild them. Every load is bounded in time and
targets 127.0.0.1 only. Needs wrk (Debian's package; installed with apt-get where missing).
"""

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
BINARY = TARGET / "release" / "miniboard"
CACHE = TARGET / "bench"
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "10000,100000,1000000").split(",")]
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
# The load generator gets the first CPU and the server the others (one each on two cores), so wrk never
# preempts the server mid-request; BENCH_PIN=0 lets them share every CPU.
CPUS = sorted(os.sched_getaffinity(0))
PIN = len(CPUS) >= 2 and os.environ.get("BENCH_PIN", "1") != "0"
LOAD_CPUS = {CPUS[0]} if PIN else set(CPUS)
SERVER_CPUS = set(CPUS[1:]) if PIN else set(CPUS)
# Eight of the seed's commonest English words: FTS5 walked all eight lists to find posts holding every one.
EIGHT_WORDS = "flask python rust database query index session login"
SEED_VERSION = "v4"  # bump when the seed's output changes, so cached databases are rebuilt
PASSWORD = "seed-password"
ENGINE = os.environ.get("BENCH_ENGINE", "sqlite")
POSTGRES = {}  # the private cluster's folder and URL template, when ENGINE is postgres
# The measured server's log: its filter, and the file it goes to (none: thrown away).
SERVER_LOG = "warn"
SERVER_STDERR = None


def run(*args, **kw):
    return subprocess.run(args, check=True, **kw)


def ensure_tools():
    if shutil.which("wrk") is None:
        run("apt-get", "update", "-qq")
        run("apt-get", "install", "-y", "-qq", "wrk")
    run("cargo", "build", "--release", "--locked", "--quiet", cwd=ROOT)


def database(questions):
    """A seeded database: answers 2x, likes 3x and comments 1x the questions, a quarter of the questions with
    an accepted answer, 50 views a question, a user per 200 questions, one 300-answer thread (an accepted
    answer and 30 comments on its first page)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"board-{questions}-{SEED_VERSION}.db"
    if path.exists():
        # A database seeded by an older build gets this build's schema once, not on every measured start.
        run(str(BINARY), "migrate", env=dict(os.environ, MINIBOARD_DATABASE=str(path), MINIBOARD_LOG="warn"),
            stdout=subprocess.DEVNULL)
        build_search_index(path)
        return path
    partial = path.with_suffix(".partial.db")
    for leftover in CACHE.glob(partial.name + "*"):
        leftover.unlink()
    env = dict(os.environ, MINIBOARD_DATABASE=str(partial))
    print(f"seeding {questions:,} questions (cached as {path.name})", flush=True)
    run(str(BINARY), "seed", "--users", str(max(50, questions // 200)), "--questions", str(questions),
        "--answers", str(questions * 2), "--likes", str(questions * 3), "--comments", str(questions),
        "--accepted", str(questions // 4), "--views", str(questions * 50), "--thread", "300", env=env)
    conn = sqlite3.connect(partial)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    for suffix in ("-wal", "-shm"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    partial.rename(path)
    build_search_index(path)
    return path


def search_dir(db):
    return Path(str(db) + ".search")


def build_search_index(db):
    """Builds the search index beside a cached database once (a server builds it at its first start), so every
    measured start copies it instead of building it again."""
    if search_dir(db).exists():
        return
    print(f"building the search index of {db.name}", flush=True)
    started = time.perf_counter()
    env = dict(os.environ, MINIBOARD_DATABASE=str(db), MINIBOARD_BIND="127.0.0.1:17999", MINIBOARD_LOG="warn")
    process = subprocess.Popen([str(BINARY), "serve"], env=env)
    try:
        while True:
            try:
                with urllib.request.urlopen("http://127.0.0.1:17999/healthz", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.perf_counter() - started > 1800:
                    raise RuntimeError("the server did not build the search index")
                time.sleep(0.5)
    finally:
        process.terminate()
        process.wait(timeout=60)
    print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)


def postgres_url(name):
    return POSTGRES["template"].replace("{db}", name)


def psql(sql, database="postgres"):
    return subprocess.run(["psql", "-qtA", postgres_url(database), "-c", sql], check=True,
                          capture_output=True, text=True).stdout.strip()


class Server:
    def __init__(self, db, port, pg_name=None):
        # A copy per run: likes and answers written by the load must not change the cached database.
        self.dir = tempfile.mkdtemp(prefix="miniboard-bench-")
        self.owns_database = pg_name is None
        if pg_name is not None:
            # Another app server on a board already copied into PostgreSQL.
            self.db = db
            self.pg_name = pg_name
            database_setting = postgres_url(pg_name)
        elif ENGINE == "postgres":
            # The cached SQLite board stays the source of the rows' targets; the server runs on its copy.
            self.db = db
            self.pg_name = f"bench_{port}_{int(time.time())}"
            psql(f"CREATE DATABASE {self.pg_name}")
            started = time.perf_counter()
            run(str(BINARY), "copy", "--from", str(db), "--to", postgres_url(self.pg_name),
                env=dict(os.environ, MINIBOARD_LOG="warn"), stdout=subprocess.DEVNULL)
            print(f"  copied into PostgreSQL in {time.perf_counter() - started:.0f} s", flush=True)
            psql("VACUUM ANALYZE", self.pg_name)
            database_setting = postgres_url(self.pg_name)
        else:
            self.db = Path(self.dir) / "board.db"
            shutil.copyfile(db, self.db)
            if search_dir(db).exists():
                shutil.copytree(search_dir(db), search_dir(self.db))
            database_setting = str(self.db)
        # Write the copy out before measuring: the kernel flushing 5 GB of it in the background took CPU from
        # the first rows of the run (p99s of 1-3 ms on pages that take 0.1 ms).
        os.sync()
        self.base = f"http://127.0.0.1:{port}"
        # The per-client limits (uncached searches) would refuse a load from one address: off, as for any
        # load test. The log-in throttle stays on (it cannot be switched off).
        # Behind a "proxy" on 127.0.0.1, so the views row can send a new viewer's address with each request.
        env = dict(os.environ, MINIBOARD_DATABASE=database_setting, MINIBOARD_BIND=f"127.0.0.1:{port}",
                   MINIBOARD_LOG=SERVER_LOG, MINIBOARD_RATE_LIMITS="off", MINIBOARD_TRUSTED_PROXIES="127.0.0.1")
        self.first_start = None
        self.process = None
        try:
            self.start_measured(env, pg_name)
        except BaseException:
            # A server that did not come up leaves nothing behind: no process on the port, no folder, no
            # database.
            self.stop()
            raise
        self.database_setting = database_setting

    def start_measured(self, env, pg_name):
        if ENGINE == "postgres" or pg_name is not None:
            # A folder of its own, built at the first start; on SQLite the index copied beside the board is
            # used.
            env["MINIBOARD_SEARCH_DIR"] = str(Path(self.dir) / "search")
            if self.owns_database:
                # The first start builds the index from the copied board: its time and the memory the server
                # holds after it are reported; the measured server is the next start, which opens the built
                # index as a restarted production server (and every SQLite run) does.
                build_ms = self.start(env, limit_s=1800)
                self.first_start = (build_ms, self.rss_mb())
                self.end_process()
        # Another app server builds an index of its own at its start.
        self.startup_ms = self.start(env, limit_s=1800 if pg_name is not None else 30)

    def start(self, env, limit_s):
        """Starts the server and waits until it answers; how long that took, in ms."""
        started = time.perf_counter()
        stderr = open(SERVER_STDERR, "a") if SERVER_STDERR else subprocess.DEVNULL
        self.process = subprocess.Popen([str(BINARY), "serve"], env=env, stderr=stderr,
                                        preexec_fn=lambda: os.sched_setaffinity(0, SERVER_CPUS))
        if SERVER_STDERR:
            stderr.close()  # the server holds its own
        while True:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"the server exited at start ({self.process.returncode})")
                if time.perf_counter() - started > limit_s:
                    raise RuntimeError("the server did not start")
                time.sleep(0.002)
        return (time.perf_counter() - started) * 1000

    def end_process(self):
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def api_token(self, username):
        """A write token for `username`, made the operator's way."""
        made = subprocess.run([str(BINARY), "token", "create", username, "--scope", "write", "--name", "bench"],
                              env=dict(os.environ, MINIBOARD_DATABASE=self.database_setting, MINIBOARD_LOG="warn"),
                              check=True, capture_output=True, text=True)
        return made.stdout.strip()

    def peak_rss_mb(self):
        return self.status_mb("VmHWM:")

    def rss_mb(self):
        return self.status_mb("VmRSS:")

    def status_mb(self, field):
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) / 1024
        return float("nan")

    def reset_peak_rss(self):
        """Starts the peak over from the current RSS (Linux: clear_refs 5), so each row has its own peak."""
        Path(f"/proc/{self.process.pid}/clear_refs").write_text("5")

    def stop(self):
        self.end_process()
        shutil.rmtree(self.dir, ignore_errors=True)
        if ENGINE == "postgres" and self.owns_database and hasattr(self, "pg_name"):
            psql(f"DROP DATABASE IF EXISTS {self.pg_name}")

    def sql(self, statement):
        """Runs `statement` on the server's board behind its back (as an operator's script would); returns the
        first column of the first row, as text."""
        if ENGINE == "postgres":
            return psql(statement, self.pg_name)
        conn = sqlite3.connect(self.db, timeout=30)
        try:
            row = conn.execute(statement).fetchone()
            conn.commit()
        finally:
            conn.close()
        return "" if row is None else str(row[0])

    def like_counter_and_rows(self, question):
        """The question's like counter and its like rows, as stored."""
        sql = ("SELECT like_count, (SELECT count(*) FROM question_likes WHERE question_id = id) FROM questions "
               f"WHERE id = {int(question)}")
        if ENGINE == "postgres":
            count, rows = psql(sql, self.pg_name).split("|")
            return int(count), int(rows)
        conn = sqlite3.connect(self.db)
        found = conn.execute(sql).fetchone()
        conn.close()
        return found


def session(base, username):
    """Logs in as a seeded user; returns (cookie header, CSRF token)."""
    import http.cookiejar
    jar = http.cookiejar.CookieJar()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    page = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrf_token": token}).encode()
    try:
        opener.open(base + "/login", data=body)
    except urllib.error.HTTPError as redirect:
        if redirect.code != 303:
            raise
    # Tokens are bound to the session: the one from the log-in form stopped working at the log-in.
    page = opener.open(base + "/").read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return cookie, token


def wrk(url, connections, script=None):
    args = ["wrk", "-t", str(min(len(LOAD_CPUS), connections)), "-c", str(connections), "-d", f"{SECONDS}s",
            "--latency", "--timeout", "10s"]
    if script:
        args += ["-s", script]
    out = subprocess.run(args + [url], check=True, capture_output=True, text=True,
                         preexec_fn=lambda: os.sched_setaffinity(0, LOAD_CPUS)).stdout

    def millis(text):
        number, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
        return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    # The latency distribution lines ("     50%    3.85ms"), not "+/- Stdev" columns that end in 50.00%.
    p50 = millis(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = millis(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = int(bad.group(1)) if bad else 0
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return {"rate": rate, "p50": p50, "p99": p99, "errors": errors}


def lua_get_as(cookie, path):
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write(f"""
wrk.path = "{path}"
wrk.headers["Cookie"] = "{cookie}"
""")
    script.close()
    return script.name


INBOX_SIZE = 100_000
FOLLOWERS = 10_000
POSTS_PER_TAG = 30


def prepare_people(server, plan):
    """Behind the server's back: up to 100,000 notifications in the liker's inbox (one for each of the first
    answers by others, all read), and 10,000 accounts following `followed_tag`. Returns the inbox's size and
    the id its deep page starts before."""
    liker = int(plan["liker_id"])
    server.sql(f"INSERT INTO notifications (user_id, kind, question_id, answer_id, actor_id, created_at, read) "
               f"SELECT {liker}, 'answer', question_id, id, author_id, created_at, 1 FROM answers "
               f"WHERE author_id <> {liker} ORDER BY id LIMIT {INBOX_SIZE}")
    server.sql(f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {FOLLOWERS}) "
               "INSERT INTO users (username, username_key, username_skeleton, email, email_key, password_hash, "
               "created_at) SELECT 'benchfan' || i, 'benchfan' || i, 'benchfan' || i, "
               "'benchfan' || i || '@example.com', 'benchfan' || i || '@example.com', 'none', 0 FROM n")
    server.sql("INSERT INTO tag_follows (tag_id, user_id, created_at) SELECT t.id, u.id, 0 FROM tags t, users u "
               f"WHERE t.name = '{plan['followed_tag']}' AND u.username LIKE 'benchfan%'")
    if ENGINE == "postgres":
        # As autovacuum would soon: rows added behind the server's back, planned on old statistics, made the
        # first inbox row of the 10,000 run 90 ms a page until they were analysed.
        server.sql("ANALYZE notifications, tag_follows, users")
    size = int(server.sql(f"SELECT count(*) FROM notifications WHERE user_id = {liker}"))
    deep = server.sql(f"SELECT id FROM notifications WHERE user_id = {liker} ORDER BY id DESC "
                      f"LIMIT 1 OFFSET {max(0, size * 9 // 10)}")
    return size, int(deep)


def post_questions(server, cookie, token, tag, count):
    """Asks `count` questions in `tag`, one at a time, as a browser without JavaScript does; after each, waits
    until the background has told every follower. Returns (each post's ms, each fan-out's ms)."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    posts, fan_outs = [], []
    for n in range(count):
        body = urllib.parse.urlencode({
            "subject": f"Measured question {n} in {tag}", "content": "Posted by the benchmark.",
            "tags": tag, "csrf_token": token}).encode()
        request = urllib.request.Request(server.base + "/questions", data=body, headers={"Cookie": cookie})
        began = time.perf_counter()
        try:
            opener.open(request, timeout=30)
        except urllib.error.HTTPError as redirect:
            if redirect.code != 303:
                raise
        posted = time.perf_counter()
        posts.append((posted - began) * 1000)
        while server.sql("SELECT count(*) FROM notification_jobs") != "0":
            time.sleep(0.002)
        fan_outs.append((time.perf_counter() - posted) * 1000)
        # Apart, so one post's background work never overlaps the next post.
        time.sleep(0.05)
    return posts, fan_outs


def lua_post(cookie, token, path):
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write(f"""
wrk.method = "POST"
wrk.path = "{path}"
wrk.headers["Cookie"] = "{cookie}"
wrk.headers["X-CSRF-Token"] = "{token}"
wrk.headers["HX-Request"] = "true"
""")
    script.close()
    return script.name


def lua_api_like(token, path):
    """Likes through the JSON API, as a program would: PUT, then DELETE, then PUT, ... with its token."""
    return lua_numbered(f"""
  local method = (n % 2 == 1) and "PUT" or "DELETE"
  return wrk.format(method, "{path}", {{["Authorization"] = "Bearer {token}"}})
""")


def lua_api_get(token, path):
    """GETs of the JSON API with a token (never cached: an API read always renders)."""
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write(f'wrk.path = "{path}"\nwrk.headers["Authorization"] = "Bearer {token}"\n')
    script.close()
    return script.name


def visitor_form(base):
    """A visitor's log-in form: (cookie header, CSRF token) bound to the visitor's nonce cookie."""
    import http.cookiejar
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return "; ".join(f"{c.name}={c.value}" for c in jar), token


def lua_login_storm(cookie, token):
    """Wrong-password log-ins for ever new names from one client: the throttle and the hashing bound answer."""
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write(f"""
local n = 0
request = function()
  n = n + 1
  local body = "username=storm" .. n .. "&password=wrong-password&csrf_token={token}"
  return wrk.format("POST", "/login", {{["Cookie"] = "{cookie}",
    ["Content-Type"] = "application/x-www-form-urlencoded"}}, body)
end
""")
    script.close()
    return script.name


def lua_mixed(cookie, token, reads, like_path):
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    paths = ", ".join(f'"{p}"' for p in reads)
    script.write(f"""
local reads = {{{paths}}}
local counter = 0
request = function()
  counter = counter + 1
  if counter % 10 == 0 then
    return wrk.format("POST", "{like_path}", {{["Cookie"] = "{cookie}", ["X-CSRF-Token"] = "{token}", ["HX-Request"] = "true"}})
  end
  return wrk.format("GET", reads[(counter % #reads) + 1])
end
""")
    script.close()
    return script.name


def lua_uncached(path, accept_encoding=None):
    """GETs of `path` that the visitors' page cache must not answer: a message cookie makes the page the
    visitor's own (the cache keys on the parsed parameters, so a junk parameter no longer misses), and a
    new junk parameter per request keeps any other cache out too: every request renders (and, with
    `accept_encoding`, is compressed)."""
    separator = "&" if "?" in path else "?"
    encoding = f', ["Accept-Encoding"] = "{accept_encoding}"' if accept_encoding else ""
    return lua_numbered(f"""
  return wrk.format("GET", "{path}{separator}uncached=" .. thread_id .. "-" .. n, {{["Cookie"] = "miniboard_flash=none"{encoding}}})
""")


def lua_accepting(encoding):
    """GETs that accept `encoding`, as a browser's do."""
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write(f'wrk.headers["Accept-Encoding"] = "{encoding}"\n')
    script.close()
    return script.name


def lua_numbered(request_body):
    """A script whose `request` sees `thread_id` (1, 2, ... per wrk thread) and `n` (this thread's count of
    requests so far, itself included), and returns what `request_body` makes of them."""
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write(f"""
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end
local n = 0
request = function()
  n = n + 1
{request_body}
end
""")
    script.close()
    return script.name


def lua_new_viewers(path):
    """GETs of `path`, each from a new address (`X-Forwarded-For`, believed from 127.0.0.1): every request is a
    view to count, as a page linked from elsewhere gets them."""
    return lua_numbered(f"""
  local address = "10." .. thread_id .. "." .. (math.floor(n / 256) % 256) .. "." .. (n % 256)
  return wrk.format("GET", "{path}", {{["X-Forwarded-For"] = address}})
""")


RELEVANCE_SAMPLE = 200
HIT = re.compile(r' data-question="(\d+)"')
WORD = re.compile(r"\w+")


def relevance(server):
    """Searches, through the server as a visitor would (uncached), for 200 random questions: by the exact
    subject (is a question with that subject first?) and by three words that stand together in the body (is
    the question in the first ten?). Returns the Markdown table: query kind x language -> hit rate, p50, p99."""
    conn = sqlite3.connect(server.db)
    rows = {}
    for seen, (qid, language, subject, three_words) in enumerate(relevance_sample(conn), start=1):
        for kind, query, good in [
            ("exact subject, first", subject, lambda hits: first_has_subject(conn, hits, subject)),
            ("three body words, top 10", three_words, lambda hits: qid in hits[:10]),
        ]:
            url = f"{server.base}/questions?q={urllib.parse.quote(query)}&uncached={seen}"
            request = urllib.request.Request(url, headers={"Cookie": "miniboard_flash=none"})
            began = time.perf_counter()
            with urllib.request.urlopen(request, timeout=30) as response:
                html = response.read().decode()
            took = (time.perf_counter() - began) * 1000
            hits = [int(h) for h in HIT.findall(html)]
            entry = rows.setdefault((kind, language), {"hits": 0, "n": 0, "ms": [], "clear": 0, "clear_hits": 0})
            entry["n"] += 1
            entry["hits"] += bool(good(hits))
            entry["ms"].append(took)
            if kind.startswith("three"):
                # How many questions hold these words as typed, in this order: past ten, no ranking can
                # promise this one a place in the first ten.
                if phrase_count(server, query, seen) <= 10:
                    entry["clear"] += 1
                    entry["clear_hits"] += bool(good(hits))
    conn.close()
    table = ["| query | language | found | found, where at most 10 questions hold the words in that order "
             "| p50 ms | p99 ms |", "|---|---|---:|---:|---:|---:|"]
    for (kind, language), entry in sorted(rows.items()):
        ms = sorted(entry["ms"])
        p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
        clear = (f"{entry['clear_hits']}/{entry['clear']} ({entry['clear_hits'] / entry['clear']:.0%})"
                 if entry["clear"] else "-")
        table.append(f"| {kind} | {language} | {entry['hits']}/{entry['n']} ({entry['hits'] / entry['n']:.0%}) "
                     f"| {clear} | {ms[len(ms) // 2]:.2f} | {p99:.2f} |")
    return "\n".join(table)


def relevance_sample(conn):
    """The relevance run's questions, the same every run: (id, language, subject, three words that stand
    together in its body)."""
    import random
    top, = conn.execute("SELECT max(id) FROM questions").fetchone()
    picker = random.Random(12)
    sample = []
    while len(sample) < RELEVANCE_SAMPLE:
        found = conn.execute("SELECT id, subject, content FROM questions WHERE id = ?",
                             (picker.randint(1, top),)).fetchone()
        if found is None:
            continue
        qid, subject, content = found
        korean = any("\uac00" <= c <= "\ud7a3" for c in subject + content)
        words = WORD.findall(content)
        start = picker.randint(0, max(0, len(words) - 3))
        sample.append((qid, "Korean" if korean else "English", subject, " ".join(words[start:start + 3])))
    return sample


def first_has_subject(conn, hits, subject):
    """Whether the first of `hits` (question ids) has `subject`."""
    return bool(hits) and conn.execute("SELECT subject FROM questions WHERE id = ?",
                                       (hits[0],)).fetchone() == (subject,)


SUMMARY_COUNT = re.compile(r'id="search-summary"[^>]*>.*?: (more than )?([\d,]+) question', re.S)


def phrase_count(server, words, seen):
    """How many questions hold `words` as one phrase, as the search page counts them (10,001 for "more
    than 10,000"; 0 when nothing matches)."""
    url = f"{server.base}/questions?q={urllib.parse.quote(chr(34) + words + chr(34))}&uncached=p{seen}"
    request = urllib.request.Request(url, headers={"Cookie": "miniboard_flash=none"})
    with urllib.request.urlopen(request, timeout=30) as response:
        html = response.read().decode()
    found = SUMMARY_COUNT.search(html)
    if found is None:
        return 0
    return int(found.group(2).replace(",", "")) + (1 if found.group(1) else 0)


def targets(db):
    conn = sqlite3.connect(db)
    thread, thread_answers = conn.execute(
        "SELECT id, answer_count FROM questions ORDER BY answer_count DESC LIMIT 1").fetchone()
    five = conn.execute("SELECT id FROM questions WHERE answer_count = 5 LIMIT 1").fetchone()
    five = five[0] if five else thread
    liker, = conn.execute("SELECT username FROM users ORDER BY id LIMIT 1").fetchone()
    liker_id, = conn.execute("SELECT id FROM users WHERE username = ?", (liker,)).fetchone()
    liked, = conn.execute("SELECT id FROM questions WHERE author_id != ? ORDER BY id LIMIT 1", (liker_id,)).fetchone()
    rare_en = conn.execute("SELECT username FROM users WHERE username LIKE 'user%' ORDER BY id DESC LIMIT 1").fetchone()[0]
    rare_ko = conn.execute("SELECT username FROM users WHERE username LIKE '사용자%' ORDER BY id DESC LIMIT 1").fetchone()[0]
    css = "/static/app.css"
    big_tag, big_tag_count = conn.execute(
        "SELECT name, question_count FROM tags ORDER BY question_count DESC LIMIT 1").fetchone()
    # Two more tags: one that 10,000 users follow, one that nobody does (the rows that post into them).
    followed_tag, quiet_tag = [name for name, in conn.execute(
        "SELECT name FROM tags ORDER BY question_count DESC LIMIT 2 OFFSET 1")]
    # A question whose related questions come from its subject's words (it has no tags).
    untagged = conn.execute("SELECT id FROM questions WHERE tags = '' ORDER BY id DESC LIMIT 1").fetchone()
    untagged = untagged[0] if untagged else five
    # The user with the most questions, and how far their profile's tabs go.
    active, active_questions = conn.execute(
        "SELECT u.username, count(*) FROM users u JOIN questions q ON q.author_id = u.id "
        "GROUP BY u.id ORDER BY count(*) DESC, u.id LIMIT 1").fetchone()
    active_answers, = conn.execute(
        "SELECT count(*) FROM answers a JOIN users u ON u.id = a.author_id WHERE u.username = ?",
        (active,)).fetchone()
    conn.close()
    last_answer_page = (thread_answers + 9) // 10
    q = urllib.parse.quote
    profile = f"/users/{q(active)}"
    last_question_page = max(1, (active_questions + 9) // 10)
    last_answers_page = max(1, (active_answers + 9) // 10)
    return {
        "thread": thread, "liked": liked, "liker": liker, "liker_id": liker_id, "css": css,
        "followed_tag": followed_tag, "quiet_tag": quiet_tag,
        "reads": [
            ("list page 1", "/"),
            ("list page 50,000 (or the last)", "/questions?page=50000"),
            ("sort: most liked", "/questions?sort=likes"),
            ("sort: most answered", "/questions?sort=answers"),
            ("sort: most liked, page 50,000", "/questions?sort=likes&page=50000"),
            ("tab: unanswered, page 1", "/questions?sort=unanswered"),
            ("tab: unanswered, page 10,000 (or the last)", "/questions?sort=unanswered&page=10000"),
            ("tab: no accepted answer, page 50,000", "/questions?sort=unaccepted&page=50000"),
            ("search: common English (flask)", "/questions?q=flask"),
            (f"search: rare English ({rare_en})", f"/questions?q={q(rare_en)}"),
            ("search: common Korean (파이썬)", f"/questions?q={q('파이썬')}"),
            (f"search: rare Korean ({rare_ko})", f"/questions?q={q(rare_ko)}"),
            ("search: 8 common words", f"/questions?q={q(EIGHT_WORDS)}"),
            ("question with 5 answers", f"/questions/{five}"),
            (f"question with {thread_answers} answers, an accepted one and 30 comments, first page",
             f"/questions/{thread}"),
            (f"question with {thread_answers} answers, last page", f"/questions/{thread}?apage={last_answer_page}"),
            ("tags, page 1", "/tags"),
            (f"tag with the most questions ({big_tag_count:,}), page 1", f"/tags/{q(big_tag)}"),
            (f"tag with the most questions, page 5,000 (or the last)", f"/tags/{q(big_tag)}?page=5000"),
            (f"tag with the most questions, most liked, page 5,000 (or the last)",
             f"/tags/{q(big_tag)}?sort=likes&page=5000"),
            (f"search: common English with a tag (flask [{big_tag}])", f"/questions?q={q('flask [' + big_tag + ']')}"),
            ("feed: newest questions (Atom)", "/feeds/questions.atom"),
            ("users, page 1", "/users"),
            (f"profile of the most active user ({active_questions:,} questions), page 1", profile),
            (f"profile of the most active user, questions, last page", f"{profile}?page={last_question_page}"),
            ("static file (app.css)", css),
        ],
        # What browsers get (a browser's Accept-Encoding): pages gzipped, from the cache's kept bytes, and the
        # build's brotli assets.
        "compressed": [
            ("list page 1, compressed (gzip)", "/"),
            ("question with an accepted answer and 30 comments, compressed (gzip)", f"/questions/{thread}"),
            ("static file (Bootstrap), compressed (brotli)", "/static/vendor/bootstrap.min.css"),
        ],
        # The JSON API with a token (what a program sends): nothing of it is cached.
        "api": [
            ("API: questions, page 1", "/api/v1/questions"),
            ("API: questions, page 50,000 (or the last)", "/api/v1/questions?page=50000"),
            (f"API: question with {thread_answers} answers, an accepted one and 30 comments",
             f"/api/v1/questions/{thread}"),
            ("API: search, common English (flask)", "/api/v1/questions?q=flask"),
        ],
        # Visitors' pages are cached until the next write; these rows show what rendering one costs.
        "uncached": [
            ("list page 1, uncached", "/"),
            ("sort: most liked, page 50,000, uncached", "/questions?sort=likes&page=50000"),
            ("tab: unanswered, page 10,000 (or the last), uncached", "/questions?sort=unanswered&page=10000"),
            ("question with an accepted answer and 30 comments, uncached", f"/questions/{thread}"),
            ("search: common English (flask), uncached", "/questions?q=flask"),
            ("search: common Korean (파이썬), uncached", f"/questions?q={q('파이썬')}"),
            ("search: 8 common words, uncached", f"/questions?q={q(EIGHT_WORDS)}"),
            ("question with 5 answers and related questions by tags, uncached", f"/questions/{five}"),
            ("question without tags, related questions by subject words, uncached", f"/questions/{untagged}"),
            ("feed: newest questions (Atom), uncached", "/feeds/questions.atom"),
            (f"feed: the tag with the most questions, uncached", f"/tags/{q(big_tag)}/feed.atom"),
            (f"search: common English with a tag (flask [{big_tag}]), uncached",
             f"/questions?q={q('flask [' + big_tag + ']')}"),
            ("users, page 1, uncached", "/users"),
            ("profile of the most active user, page 1, uncached", profile),
            ("profile of the most active user, questions, last page, uncached",
             f"{profile}?page={last_question_page}"),
            (f"profile of the most active user, answers ({active_answers:,}), last page, uncached",
             f"{profile}?tab=answers&page={last_answers_page}"),
            ("tag with the most questions, page 1, uncached", f"/tags/{q(big_tag)}"),
            ("tag with the most questions, page 5,000 (or the last), uncached", f"/tags/{q(big_tag)}?page=5000"),
            ("tag with the most questions, most liked, page 5,000 (or the last), uncached",
             f"/tags/{q(big_tag)}?sort=likes&page=5000"),
        ],
    }


def POSTGRES_VERSION():
    return psql("SHOW server_version").split()[0]


def machine():
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    cores = os.cpu_count()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    return cpu, cores, commit


def placement():
    def names(cpus):
        return "CPU " + ", ".join(str(c) for c in sorted(cpus))
    if PIN:
        return (f"The server runs on {names(SERVER_CPUS)} and wrk on {names(LOAD_CPUS)}, so the load generator "
                f"never preempts the server.")
    return "The server and wrk share every CPU."


def main():
    ensure_tools()
    if ENGINE == "postgres":
        POSTGRES["dir"] = tempfile.mkdtemp(prefix="miniboard-bench-pg-")
        POSTGRES["template"] = subprocess.run(
            ["bash", str(ROOT / "scripts" / "postgres.sh"), "start", POSTGRES["dir"]],
            check=True, capture_output=True, text=True).stdout.strip()
    try:
        return measure_all()
    finally:
        if ENGINE == "postgres":
            subprocess.run(["bash", str(ROOT / "scripts" / "postgres.sh"), "stop", POSTGRES["dir"]])


def measure_all():
    cpu, cores, commit = machine()
    sections = []
    results = {}
    for size in SIZES:
        db = database(size)
        print(f"== {size:,} questions", flush=True)
        port = 18000 + size % 1000
        server = Server(db, port)
        try:
            sections.append(measure(server, db, size, results))
            if ENGINE == "postgres" and size == SEVERAL_SIZE:
                sections.append(measure_several(server, size))
        finally:
            server.stop()
    (CACHE / f"results-{ENGINE}.json").write_text(json.dumps(results, indent=1))
    if ENGINE == "postgres":
        (ROOT / "bench" / "POSTGRES.md").write_text(
            f"Machine: {cpu}, {cores} cores. Commit {commit}. {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.\n"
            f"Made by `BENCH_ENGINE=postgres python3 bench/run.py`: the same rows, the server on PostgreSQL "
            f"{POSTGRES_VERSION()} over its unix socket on this host (fsync off in the private cluster). "
            f"{placement()}\n\n" + "\n".join(sections).replace("## ", "### PostgreSQL, "))
        print("wrote bench/POSTGRES.md")
        return
    header = (f"# miniboard benchmarks\n\n"
              f"Machine: {cpu}, {cores} cores. Commit {commit}. {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.\n"
              f"Made by `python3 bench/run.py`: wrk for {SECONDS} s per row against 127.0.0.1, the release build, "
              f"a copy of the seeded database per size. {placement()} Errors count non-2xx/3xx responses and "
              f"socket errors; peak RSS is the server's, per row.\n\n")
    analysis = ROOT / "bench" / "ANALYSIS.md"
    notes = analysis.read_text() if analysis.exists() else ""
    # The PostgreSQL rows of the last `BENCH_ENGINE=postgres` run follow the SQLite rows.
    postgres = ROOT / "bench" / "POSTGRES.md"
    on_postgres = ("\n## On PostgreSQL\n\n" + postgres.read_text()) if postgres.exists() else ""
    # And the last `python3 bench/lighthouse.py` run's scores.
    lighthouse = ROOT / "bench" / "LIGHTHOUSE.md"
    light = ("\n## Lighthouse (mobile)\n\n" + lighthouse.read_text()) if lighthouse.exists() else ""
    (ROOT / "BENCHMARKS.md").write_text(header + notes + "\n" + "\n".join(sections) + light + on_postgres)
    print("wrote BENCHMARKS.md")


# The board size the two-servers-behind-nginx rows run at (PostgreSQL only): the largest one of at most
# 100,000 questions, since the second server builds a search index of its own at start.
SEVERAL_SIZE = max([s for s in SIZES if s <= 100_000] or SIZES[:1])


def nginx_in_front(ports, listen):
    """nginx proxying to the app servers on `ports` as the shipped site does (HTTP/1.1 to a keepalive
    upstream, the client's address forwarded), plain HTTP on `listen`; returns (process, folder)."""
    folder = Path(tempfile.mkdtemp(prefix="miniboard-bench-nginx-"))
    servers = "".join(f"        server 127.0.0.1:{port};\n" for port in ports)
    (folder / "nginx.conf").write_text(f"""
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    upstream miniboard {{
{servers}        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{listen};
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $remote_addr;
        location / {{ proxy_pass http://miniboard; }}
    }}
}}
""")
    process = subprocess.Popen(["nginx", "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
                               stderr=subprocess.DEVNULL,
                               preexec_fn=lambda: os.sched_setaffinity(0, SERVER_CPUS))
    base = f"http://127.0.0.1:{listen}"
    for _ in range(500):
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=1):
                break
        except OSError:
            time.sleep(0.01)
    return process, folder


def measure_several(first, size):
    """Two app servers on one PostgreSQL behind nginx: a few of the rows, through nginx."""
    print(f"== {size:,} questions, two app servers behind nginx", flush=True)
    if shutil.which("nginx") is None:
        run("apt-get", "install", "-y", "-qq", "nginx")
    second = Server(first.db, 19000 + size % 1000, pg_name=first.pg_name)
    listen = 19500 + size % 100
    proxy, folder = nginx_in_front([int(first.base.rsplit(":", 1)[1]), int(second.base.rsplit(":", 1)[1])],
                                   listen)
    base = f"http://127.0.0.1:{listen}"
    plan = targets(first.db)
    rows = []
    try:
        def record(label, connections, path, script=None):
            for server in (first, second):
                server.reset_peak_rss()
            r = wrk(base + path, connections, script)
            r["rss"] = max(first.peak_rss_mb(), second.peak_rss_mb())
            rows.append((label, connections, r))
            print(f"  {label:45} c={connections:<3} {r['rate']:>9.0f}/s p50 {r['p50']:.2f} ms "
                  f"p99 {r['p99']:.2f} ms errors {r['errors']}", flush=True)

        record("list page 1", 64, "/")
        record("static file (app.css)", 64, plan["css"])
        for connections in (1, 64):
            record("list page 1, uncached", connections, "/", lua_uncached("/"))
        # The log-in storm that ended the rows before throttles this client on the shared database: the
        # operator's reset, so the liker can log in again.
        psql("DELETE FROM login_attempts", first.pg_name)
        cookie, token = session(base, plan["liker"])
        like_path = f"/questions/{plan['liked']}/like"
        for connections in (1, 64):
            record("htmx like toggle (POST)", connections, like_path, lua_post(cookie, token, like_path))
        count, rows_liked = first.like_counter_and_rows(plan["liked"])
        mixed_reads = [path for _, path in plan["reads"][:4]] + [f"/questions/{plan['thread']}"]
        record("mixed: 90% reads, 10% like toggles", 64, "/", lua_mixed(cookie, token, mixed_reads, like_path))
    finally:
        proxy.terminate()
        proxy.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)
        second.stop()
    table = ["| endpoint (through nginx) | conns | req/s | p50 ms | p99 ms | errors | peak RSS MB (either server) |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for label, c, r in rows:
        table.append(f"| {label} | {c} | {r['rate']:,.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['errors']} "
                     f"| {r['rss']:.1f} |")
    return (f"## {size:,} questions, two app servers behind nginx\n\n"
            f"Both servers on the one PostgreSQL database and on the same CPU as one server had above, nginx "
            f"(one worker) in front with the shipped site's proxy settings over plain HTTP: what the second "
            f"server costs, not what it adds on a second host. Like counter after the toggle runs equals its "
            f"rows: {'yes' if count == rows_liked else 'NO'} ({count} = {rows_liked}).\n\n"
            + "\n".join(table) + "\n")


def measure(server, db, size, results):
    """Every row for one database size; returns its Markdown section."""
    plan = targets(server.db)
    rows = []

    def record(label, connections, url, script=None):
        server.reset_peak_rss()
        r = wrk(url, connections, script)
        r["rss"] = server.peak_rss_mb()
        rows.append((label, connections, r))
        print(f"  {label:45} c={connections:<3} {r['rate']:>9.0f}/s p50 {r['p50']:.2f} ms "
              f"p99 {r['p99']:.2f} ms errors {r['errors']} peak RSS {r['rss']:.1f} MB", flush=True)

    for label, path in plan["reads"]:
        for connections in (1, 64):
            record(label, connections, server.base + path)
    for label, path in plan["compressed"]:
        for connections in (1, 64):
            record(label, connections, server.base + path, lua_accepting("gzip, deflate, br, zstd"))
    for label, path in plan["uncached"]:
        for connections in (1, 64):
            record(label, connections, server.base + path, lua_uncached(path))
    for label, path in plan["uncached"][:1] + plan["uncached"][3:4]:
        for connections in (1, 64):
            record(f"{label}, compressed (gzip)", connections, server.base + path,
                   lua_uncached(path, "gzip, deflate, br, zstd"))
    viewed = f"/questions/{plan['thread']}"
    for connections in (1, 64):
        record("question page, a new viewer each request (views counted)", connections, server.base + viewed,
               lua_new_viewers(viewed))
    cookie, token = session(server.base, plan["liker"])
    like_path = f"/questions/{plan['liked']}/like"
    for connections in (1, 64):
        record("htmx like toggle (POST)", connections, server.base + like_path,
               lua_post(cookie, token, like_path))
    # The JSON API: every read renders (no page cache), as a program with a token reads; its like toggle
    # moves the same counter, checked below with the page's.
    api_token = server.api_token(plan["liker"])
    for label, path in plan["api"]:
        for connections in (1, 64):
            record(label, connections, server.base + path, lua_api_get(api_token, path))
    api_like = f"/api/v1/questions/{plan['liked']}/like"
    for connections in (1, 64):
        record("API: like toggle (PUT/DELETE)", connections, server.base + api_like,
               lua_api_like(api_token, api_like))
    count, rows_liked = server.like_counter_and_rows(plan["liked"])
    exact = count == rows_liked
    # People: an inbox of 100,000 notifications, pages by id; a question into a tag 10,000 users follow
    # returns as fast as one into a tag nobody follows (past the first 50, followers are told afterwards).
    inbox_size, deep_before = prepare_people(server, plan)
    fan_out_note = ""
    for label, path in [(f"inbox of {inbox_size:,} notifications, page 1", "/notifications"),
                        (f"inbox of {inbox_size:,} notifications, 90% deep", f"/notifications?before={deep_before}")]:
        for connections in (1, 64):
            record(label, connections, server.base + path, lua_get_as(cookie, path))
    for tag, label in [(plan["quiet_tag"], "ask a question in a tag nobody follows (POST, one at a time)"),
                       (plan["followed_tag"],
                        f"ask a question in a tag {FOLLOWERS:,} users follow (POST, one at a time)")]:
        server.reset_peak_rss()
        posts, fan_outs = post_questions(server, cookie, token, tag, POSTS_PER_TAG)
        posts.sort()
        fan_outs.sort()
        r = {"rate": 1000 / (sum(posts) / len(posts)), "p50": posts[len(posts) // 2], "p99": posts[-1],
             "errors": 0, "rss": server.peak_rss_mb()}
        rows.append((label, 1, r))
        print(f"  {label:45} c=1   p50 {r['p50']:.2f} ms max {r['p99']:.2f} ms; every follower told "
              f"{fan_outs[len(fan_outs) // 2]:.0f} ms after (p50)", flush=True)
        if tag == plan["followed_tag"]:
            fan_out_note = (f"All {FOLLOWERS:,} followers of a question's tag were told {fan_outs[len(fan_outs) // 2]:.0f} ms "
                            f"after the post returned (p50 of {POSTS_PER_TAG}; the POST rows' p99 column is their "
                            f"slowest, and req/s one over their mean).")
    mixed_reads = [path for _, path in plan["reads"][:4]] + [f"/questions/{plan['thread']}"]
    for connections in (1, 64):
        record("mixed: 90% reads, 10% like toggles", connections, server.base + "/",
               lua_mixed(cookie, token, mixed_reads, like_path))
    # Last, so its failed log-ins cannot throttle the rows above: every answer here is a refusal (422 for a
    # checked wrong password, 429 from the throttle, 503 when the hashing queue is full), counted as errors.
    storm_cookie, storm_token = visitor_form(server.base)
    record("log-in storm: wrong passwords, one client (all refused)", 64, server.base + "/login",
           lua_login_storm(storm_cookie, storm_token))
    found = relevance(server)
    rss = max(r["rss"] for _, _, r in rows)
    startup = server.startup_ms
    first_start = ""
    if server.first_start is not None:
        built_ms, held_mb = server.first_start
        first_start = (f"The first start built the search index in {built_ms / 1000:.0f} s and then held "
                       f"{held_mb:.1f} MB; the runs below are the next start's, on the built index. ")
    results[size] = {label + f" c={c}": r for label, c, r in rows}
    static64 = next(r for label, c, r in rows if label.startswith("static") and c == 64)["rate"]
    table = ["| endpoint | conns | req/s | p50 ms | p99 ms | errors | vs static (c=64) | peak RSS MB |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for label, c, r in rows:
        share = f"{r['rate'] / static64:.0%}" if c == 64 else ""
        table.append(f"| {label} | {c} | {r['rate']:,.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['errors']} | {share} "
                     f"| {r['rss']:.1f} |")
    return (
        f"## {size:,} questions\n\n"
        f"Database: {size:,} questions, {2 * size:,} answers (+300 in one thread), about {3 * size:,} likes, "
        f"{size:,} comments (+30), {size // 4:,} accepted answers, about {50 * size:,} views; "
        f"{os.path.getsize(db) / 1e9:.2f} GB.\n"
        f"{first_start}Start-up until /healthz answers: {startup:.0f} ms. Peak RSS over all runs: {rss:.1f} MB. "
        f"Like counter after the toggle runs equals its rows: {'yes' if exact else 'NO'} "
        f"({count} = {rows_liked}). {fan_out_note}\n\n" + "\n".join(table) + "\n\n"
        f"Search relevance: {RELEVANCE_SAMPLE} random questions, each searched as a visitor would (uncached, one "
        f"connection, times include the client): by its exact subject (is a question with that subject "
        f"first?) and by three words that stand together in its body (is it in the first ten?).\n\n"
        + found + "\n")


if __name__ == "__main__":
    sys.exit(main())
