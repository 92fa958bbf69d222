"""Capture faults an archivist's audit found: requisites escaping scope, slow-drip servers, torn files,
kills during indexing, Retry-After per host, limits that cut a crawl."""

from __future__ import annotations

import os

from harvester.capture.crawl import Config, Crawler
from harvester.capture.scope import AddressPolicy
from tests.capture_servers import PNG, Forum, Server, forum_app


def crawl(out, seeds, **kw) -> Crawler:
    kw.setdefault("delay", 0)
    kw.setdefault("timeout", 5)
    kw.setdefault("backoff", 0.01)
    cfg = Config(seeds=seeds, output=str(out), loopback_only=True, **kw)
    crawler = Crawler(cfg, sleep=lambda s: None)
    crawler.run()
    return crawler


def fake_resolver(table):
    def resolve(host, port, type=0):
        return [(2, 1, 6, "", (table[host], port))]
    return resolve


def test_address_policy_refuses_internal_addresses_unless_a_seed_is_one():
    public = AddressPolicy(["http://forum.example/node/1"], resolve=fake_resolver({"forum.example": "93.184.216.34"}))
    assert public.allows("93.184.216.34") and public.allows("151.101.1.69") and public.allows("2a04:4e42::81")
    for internal in ("127.0.0.1", "127.0.0.2", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254",
                     "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fc00::5", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
                     "224.0.0.1", "not an address"):
        assert not public.allows(internal), internal
    local = AddressPolicy(["http://192.168.1.20:8080/forum"], resolve=fake_resolver({"192.168.1.20": "192.168.1.20"}))
    assert local.allows("192.168.1.20") and local.allows("93.184.216.34")
    assert not local.allows("192.168.1.1") and not local.allows("169.254.169.254") and not local.allows("127.0.0.1")


def test_requisites_of_other_hosts_only_when_asked_and_never_internal_addresses(tmp_path):
    with Server(lambda h: h.send(200, PNG, "image/png") if h.path.endswith(".png") else None) as cdn:
        other = cdn.url("/img/a.png")  # another port: another host

        def page(h):
            if h.path == "/node/1":
                body = (f'<html><head><link rel="stylesheet" href="/s.css"></head><body><p>Post</p>'
                        f'<img src="{other}"><img src="/moved.png"><img src="http://127.0.0.2:9/x.png">'
                        f'<img src="http://169.254.169.254/latest/meta-data/x.png"></body></html>')
                return h.send(200, body.encode())
            if h.path == "/moved.png":  # a same-host requisite redirected to an internal service
                return h.send(302, b"", headers=[("Location", "http://169.254.169.254/latest/meta-data/")])
            if h.path == "/s.css":
                return h.send(200, f"body {{ background: url('{cdn.url('/img/bg.png')}') }}".encode(), "text/css")
            return None

        with Server(page) as srv:
            crawl(tmp_path / "a", [srv.url("/node/1")])
            assert cdn.log == []  # other hosts: not without the option
            log_a = (tmp_path / "a" / "crawl.log").read_text()
            crawler = crawl(tmp_path / "b", [srv.url("/node/1")], requisite_hosts=True)
            assert sorted(cdn.log) == ["/img/a.png", "/img/bg.png", "/robots.txt"]
    assert "169.254.169.254" not in log_a and "127.0.0.2" not in log_a
    log_b = (tmp_path / "b" / "crawl.log").read_text()
    # with the option, internal addresses are still refused before any connection (-7: not fetchable)
    refused = [ln.split()[3] for ln in log_b.splitlines() if ln.split()[1] == "-7"]
    assert sorted(refused) == ["http://127.0.0.2:9/robots.txt", "http://127.0.0.2:9/x.png",
                               "http://169.254.169.254/latest/meta-data/",
                               "http://169.254.169.254/latest/meta-data/x.png", "http://169.254.169.254/robots.txt"]
    assert any("may not reach" in p for p in crawler.summary.problems)
    assert os.path.exists(tmp_path / "b" / "index.cdxj")


def test_forum_requisites_on_the_seed_host_are_still_taken(tmp_path):
    with Server(forum_app(Forum({1: 2}))) as srv:
        crawler = crawl(tmp_path, [srv.url("/node/1")])
    assert crawler.summary.requisites >= 3


def drip_app(h):
    """Headers, then one byte every 0.2 s for a minute (or headers themselves dripped, at /drip-head)."""
    import time

    try:
        if h.path == "/drip-head":
            for byte in b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nX-Slow: " + b"y" * 300:
                h.wfile.write(bytes([byte]))
                h.wfile.flush()
                time.sleep(0.2)
            return True
        if h.path == "/drip":
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Content-Length", "300")
            h.end_headers()
            h.wfile.flush()
            for _ in range(300):
                h.wfile.write(b"x")
                h.wfile.flush()
                time.sleep(0.2)
            return True
    except OSError:
        return True  # the crawler hung up: what the deadline is for
    return None


def test_total_deadline_per_response_stops_a_dripping_server(tmp_path):
    import time

    with Server(drip_app) as srv:
        t0 = time.monotonic()
        crawler = crawl(tmp_path, [srv.url("/drip"), srv.url("/drip-head")], timeout=5, max_time=1.5, retries=1,
                        requisites=False)
        elapsed = time.monotonic() - t0
    # each dripping URL is given up after max_time per try (2 tries each): not the minute each drip lasts
    assert elapsed < 15, elapsed
    problems = " ".join(crawler.summary.problems)
    assert crawler.summary.failed == 2
    assert "/drip: HTTP 200 (time)" in problems and "/drip-head" in problems
    log = (tmp_path / "crawl.log").read_text()
    assert "time-trunc" in log


def test_verify_fails_on_any_torn_member_or_record(tmp_path):
    import gzip
    import shutil
    import zlib

    from harvester.capture.verify import verify
    from harvester.capture.warcwriter import scan_members

    with Server(forum_app(Forum({1: 2}))) as srv:
        crawl(tmp_path / "good", [srv.url("/node/1")])
    assert verify(str(tmp_path / "good"), report=lambda m: None)
    warc = next((tmp_path / "good").glob("*.warc.gz"))
    records, end = scan_members(str(warc))
    last = records[-1]
    data = warc.read_bytes()
    member = gzip.decompress(data[last.offset:last.end])
    cases = {
        "cut inside the last gzip member": data[:(last.offset + last.end) // 2],
        "last member lost its gzip trailer": data[:last.end - 4],
        "a complete member whose record is short": data[:last.offset] + _gzip(member[:-40], zlib),
        "garbage after the last member": data + b"\x1f\x8b\x08\x00junk",
    }
    for what, torn in cases.items():
        case = tmp_path / what.replace(" ", "_")
        shutil.copytree(tmp_path / "good", case)
        (case / warc.name).write_bytes(torn)
        said = []
        assert not verify(str(case), report=said.append), what
        assert said and said[0].startswith("bad: ") and warc.name in said[0], (what, said)


def _gzip(data: bytes, zlib) -> bytes:
    comp = zlib.compressobj(6, zlib.DEFLATED, 31)
    return comp.compress(data) + comp.flush()


def test_kill_while_writing_the_wacz_then_resume_rebuilds_without_recrawling(tmp_path, monkeypatch):
    from harvester.capture import wacz
    from harvester.capture.verify import verify

    real_package = wacz.package

    def killed_midway(directory, warcs, index_path, config):
        with open(os.path.join(directory, f"{config.warc_prefix}.wacz.tmp"), "wb") as fh:
            fh.write(b"PK\x03\x04 half a zip")
        raise KeyboardInterrupt  # stands in for kill -9: nothing after this point runs

    with Server(forum_app(Forum({1: 4}))) as srv:
        monkeypatch.setattr(wacz, "package", killed_midway)
        try:
            crawl(tmp_path, [srv.url("/node/1")], wacz=True)
        except KeyboardInterrupt:
            pass
        fetched = len(srv.log)
        said = []
        assert not verify(str(tmp_path), report=said.append)
        assert "half-written" in said[0]
        monkeypatch.setattr(wacz, "package", real_package)
        again = crawl(tmp_path, [srv.url("/node/1")], wacz=True)
        assert len(srv.log) == fetched  # nothing fetched again
    assert again.summary.pages == 0
    assert (tmp_path / "harvester.wacz").exists() and not (tmp_path / "harvester.wacz.tmp").exists()
    assert verify(str(tmp_path), report=lambda m: None)


class FakeClock:
    def __init__(self):
        self.now = 1000.0
        self.slept = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def limited_app(state):
    def app(h):
        if h.path == "/robots.txt":
            return None
        if h.path == "/busy":
            return h.send(429, b"slow down", "text/plain", [("Retry-After", state["retry_after"])])
        if h.path.startswith("/p"):
            return h.send(200, f"<html><body>{h.path}</body></html>".encode())
        return None
    return app


def test_retry_after_holds_the_whole_host(tmp_path):
    state = {"retry_after": "40"}
    with Server(limited_app(state)) as srv:
        fake = FakeClock()
        cfg = Config(seeds=[srv.url("/busy"), srv.url("/p1")], output=str(tmp_path / "a"), delay=0, timeout=5,
                     retries=0, loopback_only=True, requisites=False)
        crawler = Crawler(cfg, sleep=fake.sleep, clock=fake.clock)
        crawler.run()
        assert "/p1" in srv.log
        assert sum(fake.slept) >= 40  # /p1 waited out the host's Retry-After though it never got a 429

        # a Retry-After longer than the crawl may stall: the host's other URLs stay queued, the run says so
        state["retry_after"] = "3600"
        before = len(srv.log)
        fake = FakeClock()
        cfg = Config(seeds=[srv.url("/busy"), srv.url("/p2"), srv.url("/p3")], output=str(tmp_path / "b"), delay=0,
                     timeout=5, retries=3, loopback_only=True, requisites=False)
        crawler = Crawler(cfg, sleep=fake.sleep, clock=fake.clock)
        summary = crawler.run()
        asked = [p for p in srv.log[before:] if p != "/robots.txt"]
        assert asked == ["/busy"], asked
        assert summary.queued == 2 and "asked to wait 3600s" in summary.line()
        assert sum(fake.slept) < 5
        # the hold is remembered: a run started right away does not ask again
        crawler = Crawler(cfg, sleep=fake.sleep, clock=fake.clock)
        crawler.run()
        assert [p for p in srv.log[before:] if p != "/robots.txt"] == ["/busy"]


def test_max_pages_counts_fetched_pages_and_says_it_cut_the_crawl(tmp_path):
    def app(h):
        if h.path == "/robots.txt":
            return h.send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        if h.path == "/":
            links = "".join(f'<a href="/private/{i}">x</a>' for i in range(8))
            links += "".join(f'<a href="/p{i}">y</a>' for i in range(8))
            return h.send(200, f"<html><body>{links}</body></html>".encode())
        if h.path.startswith("/p"):
            return h.send(200, f"<html><body>{h.path}</body></html>".encode())
        return None

    with Server(app) as srv:
        crawler = crawl(tmp_path, [srv.url("/")], scope="site", requisites=False, max_pages=4)
        fetched = [p for p in srv.log if p != "/robots.txt"]
    s = crawler.summary
    assert len(fetched) == 4 and s.pages == 4  # blocked URLs did not use up the limit
    assert s.blocked == 8 and s.skipped == 5 and s.limit == "--max-pages 4 reached"
    assert "--max-pages 4 reached: 5 queued pages not fetched" in s.line()
    log = (tmp_path / "crawl.log").read_text().splitlines()
    assert sum(1 for ln in log if ln.split()[1] == "-5003" and ln.endswith("max-pages")) == 5


def archived_once(out, since: set[str]):
    """(uri -> count of response/revisit records, request ids' targets present) in WARCs not in ``since``."""
    from collections import Counter

    from warcio.archiveiterator import ArchiveIterator

    uris, ids, concurrent = Counter(), set(), []
    for path in sorted(out.glob("*.warc.gz")):
        if path.name in since:
            continue
        with open(path, "rb") as fh:
            for rec in ArchiveIterator(fh):
                h = rec.rec_headers
                if rec.rec_type in ("response", "revisit"):
                    uris[h.get_header("WARC-Target-URI")] += 1
                    ids.add(h.get_header("WARC-Record-ID"))
                elif rec.rec_type == "request":
                    concurrent.append(h.get_header("WARC-Concurrent-To"))
    return uris, ids, concurrent


def _kill_after(monkeypatch, where: str, url_end: str):
    """Stand in for kill -9 at ``where`` while archiving the URL ending ``url_end``: the WARC stays .open,
    the state transaction never commits."""
    from harvester.capture import warcwriter

    monkeypatch.setattr(warcwriter.WarcWriter, "close", lambda self: self.fh and self.fh.flush())
    if where == "before-commit":
        real = Crawler._enqueue

        def enqueue(self, row, found):
            if row["url"].endswith(url_end):
                raise KeyboardInterrupt
            return real(self, row, found)

        monkeypatch.setattr(Crawler, "_enqueue", enqueue)
    else:  # after the request record, before the response or revisit
        for method in ("response", "revisit"):
            real_method = getattr(warcwriter.WarcWriter, method)

            def cut(self, uri, *a, _real=real_method, **kw):
                if uri.endswith(url_end):
                    raise KeyboardInterrupt
                return _real(self, uri, *a, **kw)

            monkeypatch.setattr(warcwriter.WarcWriter, method, cut)


def test_kill_during_a_recrawl_archives_the_inflight_page_once(tmp_path, monkeypatch):
    import time

    from harvester.capture.verify import verify

    for where in ("before-commit", "between-request-and-response"):
        out = tmp_path / where
        with Server(forum_app(Forum({1: 7}))) as srv:
            crawl(out, [srv.url("/node/1")])
            first = {p.name for p in out.glob("*.warc.gz")}
            time.sleep(1.1)
            with monkeypatch.context() as m:
                _kill_after(m, where, "/node/1?page=1")  # unchanged: a revisit in the re-crawl
                try:
                    crawl(out, [srv.url("/node/1")])
                except KeyboardInterrupt:
                    pass
            assert any(n.endswith(".open") for n in os.listdir(out)), where
            before = len(srv.log)
            crawl(out, [srv.url("/node/1")])
            again = srv.log[before:]
        uris, ids, concurrent = archived_once(out, first)
        twice = [u for u, n in uris.items() if n > 1]
        assert not twice, (where, twice)
        assert sorted(concurrent) == sorted(ids), where  # every response and revisit has its request, no orphan
        assert any(u.endswith("/node/1?page=1") for u in uris), where
        if where == "before-commit":
            assert "/node/1?page=1" not in again  # adopted from the repaired file, not fetched again
        assert verify(str(out), report=lambda m: None), where


def test_sigterm_closes_the_warc_like_ctrl_c(tmp_path):
    import signal
    import subprocess
    import sys

    from harvester.capture.verify import verify
    from harvester.cli import main

    out = tmp_path / "crawl"
    with Server(forum_app(Forum())) as srv:
        args = ["crawl", srv.url("/forum"), "--scope", "board", "--output", str(out), "--delay", "0",
                "--loopback-only", "--no-progress", "--timeout", "10"]
        srv.httpd.gate = lambda path: path == "/node/3"
        proc = subprocess.Popen([sys.executable, "-m", "harvester", *args], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        try:
            assert srv.httpd.blocked.wait(60), "the crawl never reached /node/3"
            proc.send_signal(signal.SIGTERM)
        finally:
            srv.httpd.gate = None
            srv.httpd.release.set()  # the held request ends (the handler returns without an answer)
            _out, err = proc.communicate(timeout=60)
        assert proc.returncode == 130, err
        assert "interrupted" in err
        assert not [n for n in os.listdir(out) if n.endswith(".open")]
        assert verify(str(out), report=lambda m: None)
        assert main(args) == 0  # resumes


def test_a_large_response_is_held_once(tmp_path):
    """A 20 MB response must not be copied whole again and again (joined chunks, head+body, the record
    bytes, the gzip member): Python's traced peak stays under 1.5 times the response."""
    import tracemalloc

    size = 20_000_000

    def app(h):
        if h.path == "/big.bin":
            h.send_response(200)
            h.send_header("Content-Type", "application/octet-stream")
            h.send_header("Content-Length", str(size))
            h.end_headers()
            block = os.urandom(1 << 16)  # incompressible: the gzip output is as large as the input
            for _ in range(size // len(block)):
                h.wfile.write(block)
            h.wfile.write(block[: size % len(block)])
            return True
        return None

    with Server(app) as srv:
        tracemalloc.start()
        try:
            crawler = crawl(tmp_path, [srv.url("/big.bin")], requisites=False, obey_robots=False)
            _now, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert crawler.summary.failed == 0 and crawler.summary.bytes > size
    assert peak < 1.5 * size, f"peak {peak / 1e6:.0f} MB for a {size / 1e6:.0f} MB response"
