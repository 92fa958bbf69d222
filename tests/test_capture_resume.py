"""kill -9 in the middle of a crawl, a torn record on top, then the same command again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter

from warcio.archiveiterator import ArchiveIterator

from harvester.capture.verify import verify
from harvester.capture.warcwriter import scan_members
from harvester.cli import main
from tests.capture_servers import Forum, Server, forum_app


def archived(out) -> Counter:
    uris = Counter()
    for name in sorted(os.listdir(out)):
        if name.endswith(".warc.gz"):
            with open(out / name, "rb") as fh:
                for rec in ArchiveIterator(fh):
                    if rec.rec_type in ("response", "revisit"):
                        uris[rec.rec_headers.get_header("WARC-Target-URI")] += 1
    return uris


def test_kill_tear_and_resume(tmp_path):
    forum = Forum()
    out = tmp_path / "crawl"
    with Server(forum_app(forum)) as srv:
        args = ["crawl", srv.url("/forum"), "--scope", "board", "--output", str(out), "--delay", "0",
                "--loopback-only", "--no-progress", "--timeout", "10"]
        srv.httpd.gate = lambda path: path == "/node/3"  # hold this request until the crawler is killed
        proc = subprocess.Popen([sys.executable, "-m", "harvester", *args], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            assert srv.httpd.blocked.wait(60), "the crawl never reached /node/3"
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        srv.httpd.gate = None
        srv.httpd.release.set()
        opened = [n for n in os.listdir(out) if n.endswith(".warc.gz.open")]
        assert len(opened) == 1
        # tear the last response record in half, as a crash during a write would
        path = out / opened[0]
        records, end = scan_members(str(path))
        assert end == os.path.getsize(path)
        last = [r for r in records if r.type == "response"][-1]
        with open(path, "r+b") as fh:
            fh.truncate((last.offset + last.end) // 2)
        torn_uri = last.uri
        before = len(srv.log)

        assert main(args) == 0
        resumed_log = srv.log[before:]

        reference = tmp_path / "reference"
        assert main(["crawl", srv.url("/forum"), "--scope", "board", "--output", str(reference), "--delay", "0",
                     "--loopback-only", "--no-progress"]) == 0

    assert not any(n.endswith(".open") for n in os.listdir(out))
    assert verify(str(out), report=lambda m: None)
    got = archived(out)
    assert max(got.values()) == 1, [u for u, n in got.items() if n > 1]
    assert set(got) == set(archived(reference))  # nothing lost
    # only the request in flight at the kill and the torn record were fetched again
    again = [p for p in resumed_log if p != "/robots.txt"]
    assert "/node/3" in again
    assert torn_uri.split("127.0.0.1", 1)[1].split("/", 1)[1] in "".join(again)
    assert len(again) == len(set(again))
    first_run = set(srv.log[:before]) - {"/node/3", "/" + torn_uri.split("/", 3)[3]}
    assert not first_run & set(again)
