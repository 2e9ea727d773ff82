#!/usr/bin/env python3
"""Where an uncached search page's time goes, per request: the relevance run's 400 searches (the same 200
questions, by exact subject and by three body words) sent over one kept-alive connection, several rounds,
the last one measured. Each request's time as the client sees it is set beside the server's own log of
it (the whole request, and the search inside it), so what is the search's, the page's (reading the rows,
snippets, render) and the client's is told apart. Prints one row per query kind and language.

    python3 bench/search_time.py [QUESTIONS [BINARY ...]]   # 1,000,000 by default; ROUNDS=3
    # with binaries (e.g. the build before a change, then after it), their servers answer in turn
"""
import http.client
import os
import re
import sqlite3
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import run

ROUNDS = max(1, int(os.environ.get("ROUNDS", "3")))
DURATION = re.compile(r"([\d.]+)(µs|ms|s)\b")
UNITS_MS = {"µs": 0.001, "ms": 1.0, "s": 1000.0}


def ms(text):
    value, unit = DURATION.match(text).groups()
    return float(value) * UNITS_MS[unit]


def server_times(log, count, sent):
    """The last `count` searches' (request ms, search ms), in order, from the server's log; `sent` requests
    in all, each of which must have searched once (the pairs go by order)."""
    lines = Path(log).read_text().splitlines()
    requests = [float(re.search(r'latency_ms="?([\d.]+)', line).group(1)) for line in lines
                if "miniboard::access" in line and "path=/questions " in line]
    searches = [ms(re.search(r"total=(\S+)", line).group(1)) for line in lines if "search timings" in line]
    if len(requests) != sent or len(searches) != sent:
        sys.exit(f"the server logged {len(requests)} requests and {len(searches)} searches for {sent} sent")
    return list(zip(requests[-count:], searches[-count:]))


def main(size, binaries):
    """One server per binary (the release build when none is given), each query sent to every server in
    turn, the order alternating, so a slow spell of the machine hits each build alike."""
    if binaries:
        binaries = [Path(binary) for binary in binaries]
    else:
        run.ensure_tools()
        binaries = [run.BINARY]
    db = run.database(size)
    run.SERVER_LOG = "warn,miniboard::access=info,miniboard::search=debug"
    servers, logs = [], []
    try:
        for at, binary in enumerate(binaries):
            run.BINARY = binary
            logs.append(tempfile.NamedTemporaryFile(prefix="miniboard-search-log-", delete=False).name)
            run.SERVER_STDERR = logs[-1]
            servers.append(run.Server(db, 18788 + at))
        conn = sqlite3.connect(servers[0].db)
        queries = []
        # A body without words gives no three words: nothing to search (the plain list would answer).
        for qid, language, subject, three_words in run.relevance_sample(conn):
            queries.append(("exact subject, first", language, subject,
                            lambda hits, subject=subject: run.first_has_subject(conn, hits, subject)))
            if three_words:
                queries.append(("three body words, top 10", language, three_words,
                                lambda hits, qid=qid: qid in hits[:10]))
        clients = [http.client.HTTPConnection("127.0.0.1", 18788 + at, timeout=30)
                   for at in range(len(servers))]
        for round_ in range(ROUNDS):
            measured = [[] for _ in servers]
            for at, (kind, language, query, good) in enumerate(queries):
                # A new address each time: never from the visitors' page cache.
                path = f"/questions?q={urllib.parse.quote(query)}&uncached={round_}.{at}"
                order = list(range(len(servers)))
                if (at + round_) % 2:
                    order.reverse()
                for which in order:
                    began = time.perf_counter()
                    clients[which].request("GET", path, headers={"Cookie": "miniboard_flash=none"})
                    response = clients[which].getresponse()
                    html = response.read().decode()
                    if response.status != 200:
                        sys.exit(f"{path}: {response.status}")
                    took = (time.perf_counter() - began) * 1000
                    hits = [int(h) for h in run.HIT.findall(html)]
                    measured[which].append((kind, language, took, good(hits)))
        tables = []
        for binary, log, entries in zip(binaries, logs, measured):
            rows = {}
            timed = server_times(log, len(queries), ROUNDS * len(queries))
            for (kind, language, took, found), (request, search) in zip(entries, timed):
                rows.setdefault((kind, language), []).append((took, request, search, found))
            tables.append((binary, rows))
    finally:
        for server in servers:
            server.stop()
        for log in logs:
            os.unlink(log)
    for binary, rows in tables:
        print(f"{size:,} questions, {binary}, round {ROUNDS} of {ROUNDS} (ms, p50 unless said)\n")
        print("| query | language | found | client p50 / p99 | server | search | page outside the search | client's own |")
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        for (kind, language), entries in sorted(rows.items()):
            took = sorted(entry[0] for entry in entries)
            p99 = took[min(len(took) - 1, int(len(took) * 0.99))]
            median = lambda values: statistics.median(values)
            print(f"| {kind} | {language} | {sum(e[3] for e in entries)}/{len(entries)} "
                  f"| {median(took):.2f} / {p99:.2f} | {median([e[1] for e in entries]):.2f} "
                  f"| {median([e[2] for e in entries]):.2f} | {median([e[1] - e[2] for e in entries]):.2f} "
                  f"| {median([e[0] - e[1] for e in entries]):.2f} |")
        print()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000, sys.argv[2:])
