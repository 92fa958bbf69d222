"""Capture speed: `harvester crawl` against `wget --mirror --warc-file` on the same local forum.

    python benchmarks/capture.py --pages 300

Generates a forum with generate.py (thread pages with their comment pages), serves it on 127.0.0.1 with an
index page linking every thread, then crawls it with each tool, politeness delay off, and prints URLs
fetched, seconds, URLs/s and WARC bytes. Both tools are kept to the forum's own pages: harvester by its
board scope and trap list, wget by an accept pattern for the same pages.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate import SITE, iter_corpus  # noqa: E402  (a sibling script, not a package)


def wget_accept(site: dict[str, bytes]) -> str:
    """wget follows every same-host link; keep it to the pages harvester's board scope takes: the index and
    the generated thread pages with their comment pages (their sidebars also link threads never generated,
    which would be 404s for wget only)."""
    paths = sorted(re.escape(p.lstrip("/")) for p in site if p not in ("/", "/robots.txt"))
    return rf"^http://127\.0\.0\.1:[0-9]+/({'|'.join(paths)})?$"


def build_site(pages: int, seed: int) -> dict[str, bytes]:
    site: dict[str, bytes] = {}
    firsts = []
    for p in iter_corpus(seed, pages=pages):
        if p.wayback or not p.url.startswith(SITE):
            continue
        path = p.url[len(SITE):] or "/"
        site[path] = p.html
        if p.page == 0:
            firsts.append(path)
    teasers = "".join(f'<div id="node-{i}" class="node node-discussion node-teaser"><h2><a href="{path}">'
                      f"Thread {i}</a></h2></div>" for i, path in enumerate(firsts, 1))
    site["/"] = ('<!DOCTYPE html><html><head><meta name="Generator" content="Drupal 7 (http://drupal.org)">'
                 f"<title>Discussions</title></head><body class=\"page-node\">{teasers}</body></html>").encode()
    site["/robots.txt"] = b"User-agent: *\nDisallow: /admin/\n"
    return site


def serve(site: dict[str, bytes]) -> tuple[ThreadingHTTPServer, list[str]]:
    log: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes: with Nagle's algorithm on, a keep-alive client (wget) waits
        # ~40 ms for the delayed ACK on every request, a server artefact that real servers do not have.
        disable_nagle_algorithm = True

        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802
            log.append(self.path)
            body = site.get(self.path)
            status = 200 if body is not None else 404
            body = body if body is not None else b"<html><body>not found</body></html>"
            ctype = "text/plain" if self.path.endswith(".txt") else "text/html; charset=utf-8"
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, log


def run(label: str, argv: list[str], log: list[str], out: str) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    log.clear()
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    warc_bytes = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(out) for f in fs
                     if ".warc" in f)
    return {"tool": label, "urls": len(log), "seconds": seconds, "warc_mb": warc_bytes / 1e6,
            "status": proc.returncode, "stderr": proc.stderr[-500:]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=300, help="generated pages (default 300)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=5, help="crawls per tool, alternating; the median counts (default 5)")
    args = ap.parse_args(argv)
    site = build_site(args.pages, args.seed)
    httpd, log = serve(site)
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    tmp = tempfile.mkdtemp(prefix="capture-bench-")
    tools = {"harvester crawl": [sys.executable, "-m", "harvester", "crawl", base, "--scope", "board", "--delay",
                                 "0", "--no-requisites", "--no-progress", "--loopback-only", "--output",
                                 os.path.join(tmp, "harvester crawl", "out")]}
    if shutil.which("wget"):
        tools["wget --mirror --warc-file"] = [
            "wget", "--mirror", "--no-verbose", "--no-proxy",
            f"--warc-file={os.path.join(tmp, 'wget --mirror --warc-file', 'wget')}", "--accept-regex",
            wget_accept(site), "-P", os.path.join(tmp, "wget --mirror --warc-file", "mirror"), base]
    runs: dict[str, list[dict]] = {label: [] for label in tools}
    for _ in range(args.runs):  # alternating, so a slow spell of the machine hits both tools alike
        for label, argv in tools.items():
            runs[label].append(run(label, argv, log, os.path.join(tmp, label)))
    httpd.shutdown()
    pages = sum(1 for k in site if k not in ("/", "/robots.txt"))
    print(f"site: {pages} forum pages + index, {sum(len(v) for v in site.values()) / 1e6:.1f} MB of HTML; "
          f"{args.runs} crawls per tool")
    print("| tool | URLs fetched | seconds (median) | all runs | URLs/s | WARC MB | exit |")
    print("|---|---:|---:|---|---:|---:|---:|")
    for label, done in runs.items():
        seconds = statistics.median(r["seconds"] for r in done)
        last, every = done[-1], " ".join(f"{r['seconds']:.2f}" for r in done)
        print(f"| {label} | {last['urls']} | {seconds:.2f} | {every} "
              f"| {last['urls'] / seconds:.1f} | {last['warc_mb']:.1f} | {last['status']} |")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
