"""Same-machine ratios on a noisy machine: one SQLite server and one PostgreSQL server per binary given, all
on copies of the 10,000-question board, their rows run in turn, several rounds; prints each row's median p50
(one connection, uncached). The ratios of the PostgreSQL targets are read from one such run, where a slow
spell of the machine hits every server alike.

    python3 bench/interleaved.py BINARY [BINARY ...]   # e.g. the build before a change, then after it
    ROUNDS=5 by default; the SQLite server runs the last binary given.
"""
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import run

ROUNDS = int(os.environ.get("ROUNDS", "5"))


def main(binaries):
    run.POSTGRES["dir"] = tempfile.mkdtemp(prefix="miniboard-interleaved-pg-")
    run.POSTGRES["template"] = subprocess.run(
        ["bash", str(run.ROOT / "scripts" / "postgres.sh"), "start", run.POSTGRES["dir"]],
        check=True, capture_output=True, text=True).stdout.strip()
    db = run.database(10_000)
    plan = run.targets(db)
    servers = []
    try:
        run.ENGINE, run.BINARY = "sqlite", Path(binaries[-1])
        servers.append(("sqlite", "sqlite", run.Server(db, 18789)))
        run.ENGINE = "postgres"
        for at, binary in enumerate(binaries):
            run.BINARY = Path(binary)
            shared = servers[1][2].pg_name if len(servers) > 1 else None
            servers.append(("postgres", binary, run.Server(db, 18790 + at, pg_name=shared)))
        rows = [("list page 1", "/"), ("question with 30 comments", f"/questions/{plan['thread']}")]
        p50s = {}
        for _ in range(ROUNDS):
            for label, path in rows:
                for engine, binary, server in servers:
                    measured = run.wrk(server.base + path, 1, run.lua_uncached(path))
                    p50s.setdefault((label, engine, binary), []).append(measured["p50"])
        for (label, engine, binary), values in p50s.items():
            print(f"{label:28} {engine:8} {binary}: median p50 {statistics.median(values):.2f} ms "
                  f"(runs {', '.join(f'{v:.2f}' for v in sorted(values))})")
    finally:
        for engine, _, server in reversed(servers):
            run.ENGINE = engine
            server.stop()
        subprocess.run(["bash", str(run.ROOT / "scripts" / "postgres.sh"), "stop", run.POSTGRES["dir"]])


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
