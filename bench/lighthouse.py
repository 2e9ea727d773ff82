#!/usr/bin/env python3
"""Lighthouse on the pages visitors land on, served by the release binary alone (no nginx in front), with
Debian's Chromium: the list, a question page with answers, a search. Lighthouse's default run is the mobile
preset (a mid-range phone on a simulated slow 4G network). Writes bench/LIGHTHOUSE.md, which bench/run.py puts
into BENCHMARKS.md.

    python3 bench/lighthouse.py

Uses the 10,000-question board of bench/run.py (seeded once, cached in target/bench/), and Lighthouse from npm at
the version in bench/lighthouse/package-lock.json; never a browser a tool downloads.
"""

import json
import os
import shutil
import subprocess
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402  (the benchmark's build, seeded boards and server)

HERE = Path(__file__).resolve().parent / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
# Audits a page fails on purpose, and why.
ON_PURPOSE = {
    "is-crawlable": "search results carry `noindex` and robots.txt keeps crawlers off them (a search engine "
                    "should send people to questions, not to our result pages); Lighthouse fails any page kept "
                    "out of indexes",
}


def ensure_lighthouse():
    if shutil.which("chromium") is None:
        run.run("apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium")
    # `npm install`, which follows the lock file: `npm ci` refuses it, because one of Lighthouse's own
    # dependencies asks for two packages at "latest".
    run.run("npm", "install", "--silent", "--no-audit", "--no-fund", cwd=HERE)


def pages(db):
    conn = sqlite3.connect(db)
    # A question with five answers, as most with answers have: the page a search engine sends people to.
    question, = conn.execute(
        "SELECT id FROM questions WHERE answer_count = 5 ORDER BY id LIMIT 1").fetchone()
    conn.close()
    return [
        ("list", "/"),
        ("question with 5 answers", f"/questions/{question}"),
        ("search (flask)", "/questions?q=flask"),
    ]


def lighthouse(url, out):
    env = dict(os.environ, CHROME_PATH=shutil.which("chromium"))
    subprocess.run(
        [str(HERE / "node_modules" / ".bin" / "lighthouse"), url, "--quiet", "--output=json",
         f"--output-path={out}", f"--only-categories={','.join(CATEGORIES)}",
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
        check=True, env=env)
    report = json.loads(Path(out).read_text())
    audits = report["audits"]
    failed = sorted(
        audit_id for category in CATEGORIES
        for ref in report["categories"][category]["auditRefs"]
        if ref["weight"] > 0
        for audit_id in [ref["id"]]
        if audits[audit_id].get("score") is not None and audits[audit_id]["score"] < 1)
    return {
        "scores": [round(report["categories"][c]["score"] * 100) for c in CATEGORIES],
        "fcp": audits["first-contentful-paint"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "bytes": audits["total-byte-weight"]["numericValue"],
        "requests": len(audits["network-requests"]["details"]["items"]),
        "failed": failed,
        "version": report["lighthouseVersion"],
        "chrome": report["environment"]["hostUserAgent"],
    }


def main():
    run.ensure_tools()
    ensure_lighthouse()
    db = run.database(10_000)
    server = run.Server(db, 18700)
    rows = []
    try:
        with tempfile.TemporaryDirectory() as work:
            for label, path in pages(db):
                result = lighthouse(server.base + path, os.path.join(work, "report.json"))
                rows.append((label, path, result))
                print(f"  {label:28} {result['scores']} FCP {result['fcp']:.0f} ms "
                      f"{result['bytes'] / 1000:.1f} KB {result['failed']}", flush=True)
    finally:
        server.stop()
    version = rows[0][2]["version"]
    chrome = next((part for part in rows[0][2]["chrome"].split() if part.startswith(("HeadlessChrome/", "Chrome/"))), "")
    table = ["| page | performance | accessibility | best practices | SEO | first contentful paint | largest "
             "contentful paint | total blocking time | layout shift | first-load transfer | requests |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for label, path, r in rows:
        scores = " | ".join(str(s) for s in r["scores"])
        table.append(f"| {label} (`{path}`) | {scores} | {r['fcp'] / 1000:.1f} s | {r['lcp'] / 1000:.1f} s | "
                     f"{r['tbt']:.0f} ms | {r['cls']:.3f} | {r['bytes'] / 1000:.1f} KB | {r['requests']} |")
    below = [f"{label}: {', '.join(f'{a} ({ON_PURPOSE[a]})' if a in ON_PURPOSE else a for a in r['failed'])}"
             for label, _, r in rows if r["failed"]]
    cpu, cores, commit = run.machine()
    (Path(__file__).resolve().parent / "LIGHTHOUSE.md").write_text(
        f"Machine: {cpu}, {cores} cores. Commit {commit}. {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.\n"
        f"Made by `python3 bench/lighthouse.py`: Lighthouse {version} (mobile preset: a mid-range phone on a "
        f"simulated slow 4G network, 4x CPU slow-down) in Debian's {chrome.replace('HeadlessChrome', 'Chromium')}, "
        f"against the release binary alone on the 10,000-question board, cold cache. First-load transfer is "
        f"every byte the page's first visit moves (HTML, CSS, script, icon), compressed as sent.\n\n"
        + "\n".join(table) + "\n\n"
        + ("Audits below full marks: " + "; ".join(below) + ".\n" if below else
           "Every audit that counts towards a score passed on every page.\n"))
    print("wrote bench/LIGHTHOUSE.md")


if __name__ == "__main__":
    main()
