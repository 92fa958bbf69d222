"""Crawls of a local Drupal forum: scopes, records, digests, naming, rotation, dedup, 304 revisits, robots."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import re

from warcio.archiveiterator import ArchiveIterator

from harvester.capture.crawl import Config, Crawler
from harvester.capture.verify import verify
from harvester.cli import main
from tests.capture_servers import Forum, Server, forum_app

NAME = re.compile(r"^(?P<prefix>[\w.]+)-(?P<ts>\d{14})-(?P<serial>\d{5})-(?P<host>[\w.]+)\.warc\.gz$")


def crawl(out, seeds, **kw) -> Crawler:
    kw.setdefault("delay", 0)
    kw.setdefault("timeout", 5)
    kw.setdefault("backoff", 0.01)
    cfg = Config(seeds=seeds, output=str(out), loopback_only=True, **kw)
    crawler = Crawler(cfg, sleep=lambda s: None)
    crawler.run()
    return crawler


def records(out) -> list[tuple[str, object, bytes]]:
    """(file name, record headers, raw block bytes after http headers) for every record, in file order."""
    found = []
    for name in sorted(os.listdir(out)):
        if not name.endswith(".warc.gz"):
            continue
        with open(os.path.join(out, name), "rb") as fh:
            for rec in ArchiveIterator(fh):
                found.append((name, rec, rec.raw_stream.read()))
    return found


def b32(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


def paths(urls) -> list[str]:
    return sorted(re.sub(r"^http://127\.0\.0\.1:\d+", "", u) for u in urls)


def test_thread_scope_records_and_files(tmp_path):
    forum = Forum()
    with Server(forum_app(forum)) as srv:
        crawler = crawl(tmp_path, [srv.url("/node/1")], contact="mailto:archivist@example.org")
        log = srv.log
    s = crawler.summary
    assert s.failed == 0 and s.pages == 3
    names = [n for n in os.listdir(tmp_path) if ".warc" in n]
    assert names and all(NAME.match(n) for n in names), names
    assert not any(n.endswith(".open") for n in names)
    recs = records(tmp_path)
    by_type: dict[str, list] = {}
    for _name, rec, _block in recs:
        by_type.setdefault(rec.rec_type, []).append(rec)
    assert recs[0][1].rec_type == "warcinfo"
    info = recs[0][1]
    assert info.rec_headers.get_header("WARC-Filename") == recs[0][0]
    fields = recs[0][2].decode()
    assert "robots: classic" in fields and "format: WARC File Format 1.1" in fields
    assert "http-header-user-agent: harvester/" in fields and "archivist@example.org" in fields
    # the thread's three comment pages, its requisites, robots.txt; no other thread, no trap, nothing disallowed
    responses = {rec.rec_headers.get_header("WARC-Target-URI") for rec in by_type["response"]}
    got = paths(responses | {r.rec_headers.get_header("WARC-Target-URI") for r in by_type.get("revisit", [])})
    assert "/node/1" in got and "/node/1?page=1" in got and "/node/1?page=2" in got
    assert "/robots.txt" in got and "/sites/all/themes/t/style.css" in got and "/sites/all/themes/t/bg.png" in got
    assert "/sites/default/files/pictures/picture-2.png" in got
    assert not any(p.startswith(("/node/2", "/forum", "/user", "/comment", "/admin")) for p in got)
    assert not any(("sort=" in p or "highlight" in p or "PHPSESSID" in p or "destination" in p) for p in log)
    assert len(log) == len(set(log)), "a URL was fetched twice"
    # request/response pairs and digests
    ids = {rec.rec_headers.get_header("WARC-Record-ID"): rec for rec in by_type["response"] + by_type["revisit"]}
    assert len(by_type["request"]) == len(ids)
    for req in by_type["request"]:
        assert req.rec_headers.get_header("WARC-Concurrent-To") in ids
    for _name, rec, _block in recs:
        if rec.rec_type in ("response", "request"):
            assert rec.http_headers is not None
    for name in {n for n, _r, _b in recs}:
        with open(tmp_path / name, "rb") as fh:
            data = fh.read()
        with open(tmp_path / name, "rb") as fh:
            it = ArchiveIterator(fh)
            for rec in it:
                if rec.rec_type != "response":
                    rec.raw_stream.read()
                    continue
                rec.raw_stream.read()
                it.read_to_end(rec)
                offset, length = it.get_record_offset(), it.get_record_length()
                member = gzip.decompress(data[offset:offset + length])
                hdr_end = member.index(b"\r\n\r\n") + 4
                block = member[hdr_end:-4]
                assert rec.rec_headers.get_header("WARC-Block-Digest") == b32(block)
                http_end = block.index(b"\r\n\r\n") + 4
                assert rec.rec_headers.get_header("WARC-Payload-Digest") == b32(block[http_end:])
                assert block.startswith(b"HTTP/1.0 200") or block.startswith(b"HTTP/1.0 404")
                assert rec.rec_headers.get_header("WARC-IP-Address") == "127.0.0.1"
    # identical pictures at one URL each are responses; the same PNG bytes at other URLs are revisits
    revisits = by_type.get("revisit", [])
    assert revisits
    for rv in revisits:
        h = rv.rec_headers
        assert h.get_header("WARC-Profile").endswith("/revisit/identical-payload-digest")
        assert h.get_header("WARC-Truncated") == "length"
        target = h.get_header("WARC-Refers-To")
        assert target in ids and ids[target].rec_type == "response"
        assert h.get_header("WARC-Refers-To-Target-URI") == ids[target].rec_headers.get_header("WARC-Target-URI")
        assert h.get_header("WARC-Refers-To-Date") == ids[target].rec_headers.get_header("WARC-Date")
        assert h.get_header("WARC-Payload-Digest") == ids[target].rec_headers.get_header("WARC-Payload-Digest")
    # crawl log, CDXJ index, verify
    lines = (tmp_path / "crawl.log").read_text().splitlines()
    assert len(lines) == len(ids)
    assert all(len(line.split()) == 12 for line in lines), lines[:3]
    assert any(" 200 " in line and "/node/1?page=1 L " in line for line in lines)
    index = (tmp_path / "index.cdxj").read_bytes().splitlines()
    assert index == sorted(index) and len(index) == len(ids)
    first = json.loads(index[0].split(b" ", 2)[2])
    assert {"url", "offset", "length", "filename", "digest"} <= set(first)
    index_check(tmp_path)
    assert verify(str(tmp_path), report=lambda m: None)
    assert main(["verify", str(tmp_path)]) == 0
    warcio_check(tmp_path)


def index_check(out) -> None:
    """The index the crawl wrote (from where it put its records) is the one a full read of its WARCs gives."""
    from harvester.capture import cdxj

    warcs = sorted(str(p) for p in out.glob("*.warc.gz"))
    assert warcs
    assert (out / "index.cdxj").read_bytes().splitlines() == sorted(
        line for w in warcs for line in cdxj.index_file(w))


def warcio_check(out) -> None:
    """warcio's own checker (what archivists run) must pass every file."""
    import pytest
    from warcio.cli import main as warcio_main

    with pytest.raises(SystemExit) as exc:
        warcio_main(["check", *sorted(str(p) for p in out.glob("*.warc.gz"))])
    assert exc.value.code == 0


def test_board_scope_takes_every_listed_thread(tmp_path):
    forum = Forum()
    with Server(forum_app(forum)) as srv:
        crawler = crawl(tmp_path, [srv.url("/forum")], scope="board", requisites=False)
        log = srv.log
    pages = [p for p in log if not p.startswith("/robots")]
    assert sorted(pages) == sorted(["/forum", "/forum?page=1", "/node/1", "/node/1?page=1", "/node/1?page=2",
                                    "/node/2", "/node/3", "/node/3?page=1", "/node/4"])
    assert crawler.summary.pages == 9 and crawler.summary.failed == 0


def test_site_scope_obeys_robots_and_records_ignoring(tmp_path):
    forum = Forum({1: 1})
    with Server(forum_app(forum)) as srv:
        crawler = crawl(tmp_path / "a", [srv.url("/node/1")], scope="site", requisites=False)
        assert "/admin/secret" not in srv.log and crawler.summary.blocked == 1
        lines = (tmp_path / "a" / "crawl.log").read_text()
        assert "-9998" in lines and "/admin/secret" in lines
        crawl(tmp_path / "b", [srv.url("/node/1")], scope="site", requisites=False, obey_robots=False)
        assert "/admin/secret" in srv.log
    info = records(tmp_path / "b")[0][2].decode()
    assert "robots: ignore" in info


def test_rotation_and_naming(tmp_path):
    forum = Forum()
    with Server(forum_app(forum)) as srv:
        crawl(tmp_path, [srv.url("/node/1")], warc_prefix="forum", warc_max_bytes=1)
    names = sorted(n for n in os.listdir(tmp_path) if n.endswith(".warc.gz"))
    assert len(names) > 5
    serials = [int(NAME.match(n).group("serial")) for n in names]
    assert serials == list(range(len(names)))
    assert all(NAME.match(n).group("prefix") == "forum" for n in names)
    for name in names:
        with open(tmp_path / name, "rb") as fh:
            recs = list((r.rec_type, r.rec_headers.get_header("WARC-Filename")) for r in ArchiveIterator(fh))
        assert recs[0] == ("warcinfo", name)
        assert [t for t, _f in recs].count("warcinfo") == 1
        assert {"response", "request"} <= {t for t, _f in recs} or "revisit" in {t for t, _f in recs}
    index_check(tmp_path)
    assert verify(str(tmp_path), report=lambda m: None)
    warcio_check(tmp_path)


def test_second_run_with_conditional_requests_and_dedup(tmp_path):
    forum = Forum({1: 5})
    with Server(forum_app(forum)) as srv:
        crawl(tmp_path, [srv.url("/node/1")], conditional=True)
        first = records(tmp_path)
        forum.add_comment(1)  # page 2 (?page=1) changes, page 1 does not
        crawler = crawl(tmp_path, [srv.url("/node/1")], conditional=True)
    assert crawler.summary.failed == 0
    later = records(tmp_path)[len(first):]
    originals = {r.rec_headers.get_header("WARC-Record-ID"): r for _n, r, _b in first}
    by_uri = {}
    for _n, rec, _b in later:
        if rec.rec_type in ("response", "revisit"):
            by_uri[paths([rec.rec_headers.get_header("WARC-Target-URI")])[0]] = rec
    not_modified = by_uri["/node/1"]
    h = not_modified.rec_headers
    assert not_modified.rec_type == "revisit"
    assert h.get_header("WARC-Profile").endswith("/revisit/server-not-modified")
    assert not_modified.http_headers.get_statuscode() == "304"
    orig = originals[h.get_header("WARC-Refers-To")]
    assert orig.rec_headers.get_header("WARC-Target-URI") == h.get_header("WARC-Refers-To-Target-URI")
    assert orig.rec_headers.get_header("WARC-Date") == h.get_header("WARC-Refers-To-Date")
    assert by_uri["/node/1?page=1"].rec_type == "response"  # gained a comment
    png = by_uri["/sites/default/files/pictures/picture-2.png"]
    assert png.rec_type == "revisit"
    assert png.rec_headers.get_header("WARC-Profile").endswith("/revisit/identical-payload-digest")
    assert png.rec_headers.get_header("WARC-Refers-To") in originals
    # the 304 page's links still came from the archived copy: page 2 was crawled in run two
    assert "/node/1?page=1" in by_uri
    index_check(tmp_path)  # run one's files read whole, run two's from where it wrote its records
    assert verify(str(tmp_path), report=lambda m: None)


def test_max_pages_and_depth(tmp_path):
    forum = Forum()
    with Server(forum_app(forum)) as srv:
        c = crawl(tmp_path / "a", [srv.url("/forum")], scope="board", requisites=False, max_pages=3)
        assert c.summary.pages == 3
        c = crawl(tmp_path / "b", [srv.url("/forum")], scope="board", requisites=False, max_depth=1)
        fetched = [p for p in srv.log[-20:] if not p.startswith("/robots")]
    assert "/node/1?page=2" not in fetched[-8:]
    assert c.summary.pages == 4  # depth 0: the listing; depth 1: its page 2 and the two threads it lists
