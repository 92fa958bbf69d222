"""Wayback harvests against a fake CDX API, the crawl/verify command line, WACZ packaging, URL traps."""

from __future__ import annotations

import json
import os
import zipfile

import pytest
from warcio.archiveiterator import ArchiveIterator

from harvester.capture.scope import canonical, trap_reason
from harvester.cli import main
from tests.capture_servers import Forum, Server, forum_app, wayback_app


def test_wayback_captures_with_metadata(tmp_path):
    forum = Forum({1: 1, 2: 1})
    captures = [("20120315101010", "http://forum.example.org/node/1", forum.thread(1, 0).encode()),
                ("20130101000000", "http://forum.example.org/node/2", forum.thread(2, 0).encode()),
                ("20150101000000", "http://forum.example.org/node/1", b"<html>later</html>")]
    queries: list[dict] = []
    with Server(wayback_app(captures, queries)) as srv:
        status = main(["crawl", "--wayback", "forum.example.org/node/*", "--from", "2012", "--to", "2014",
                       "--cdx-endpoint", srv.url("/cdx"), "--replay-host", srv.base, "--output", str(tmp_path),
                       "--delay", "0", "--loopback-only", "--no-progress", "--no-requisites"])
        log = srv.log
    assert status == 0
    assert queries[0]["url"] == "forum.example.org/node/*" and queries[0]["from"] == "2012"
    assert "/web/20150101000000id_/http://forum.example.org/node/1" not in log
    recs = []
    for name in sorted(os.listdir(tmp_path)):
        if name.endswith(".warc.gz"):
            with open(tmp_path / name, "rb") as fh:
                recs += [(r.rec_type, r.rec_headers, r.content_stream().read()) for r in ArchiveIterator(fh)]
    responses = {h.get_header("WARC-Record-ID"): h for t, h, _b in recs if t == "response"}
    metas = [(h, b) for t, h, b in recs if t == "metadata"]
    assert len(metas) == 2
    for h, block in metas:
        assert h.get_header("WARC-Concurrent-To") in responses
        target = responses[h.get_header("WARC-Concurrent-To")].get_header("WARC-Target-URI")
        assert target.startswith(srv.base + "/web/") and "id_/" in target
        fields = dict(line.split(": ", 1) for line in block.decode().splitlines())
        assert fields["original-url"] in target and fields["capture-time"] in ("2012-03-15T10:10:10Z",
                                                                                "2013-01-01T00:00:00Z")
    assert main(["verify", str(tmp_path)]) == 0


def test_cli_usage_errors_and_verify_failures(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["crawl", "--output", str(tmp_path)])  # neither URLs nor --wayback
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["crawl", "http://127.0.0.1:1/", "--output", str(tmp_path), "--exclude", "("])
    assert exc.value.code == 2
    assert main(["verify", str(tmp_path)]) == 1  # no WARCs
    (tmp_path / "x-20200101000000-00000-h.warc.gz.open").write_bytes(b"")
    assert main(["verify", str(tmp_path)]) == 1


def test_verify_catches_a_corrupted_record(tmp_path):
    with Server(forum_app(Forum({1: 1}))) as srv:
        assert main(["crawl", srv.url("/node/1"), "--output", str(tmp_path), "--delay", "0", "--loopback-only",
                     "--no-progress", "--no-requisites", "--wacz", "--warc-prefix", "forum"]) == 0
    assert main(["verify", str(tmp_path)]) == 0
    with zipfile.ZipFile(tmp_path / "forum.wacz") as zf:
        names = zf.namelist()
        package = json.loads(zf.read("datapackage.json"))
        pages = zf.read("pages/pages.jsonl").decode().splitlines()
    assert "indexes/index.cdx" in names and any(n.startswith("archive/forum-") for n in names)
    assert {r["path"] for r in package["resources"]} >= set(names) - {"datapackage.json"}
    assert json.loads(pages[0])["format"] == "json-pages-1.0" and any("/node/1" in p for p in pages[1:])
    # rewrite a WARC whose response body was altered but whose digests were kept
    import gzip

    warc = next(p for p in tmp_path.iterdir() if p.name.endswith(".warc.gz"))
    data = gzip.decompress(warc.read_bytes()).replace(b"Opening post 1.", b"Opening post X.")
    warc.write_bytes(gzip.compress(data))
    assert main(["verify", str(tmp_path)]) == 1


def test_trap_list():
    for url in ("http://f.org/comment/reply/1/2", "http://f.org/user/login?destination=node/1",
                "http://f.org/user/register", "http://f.org/node/1?sort=asc", "http://f.org/node/1?highlight=x",
                "http://f.org/calendar/2012-01", "http://f.org/print/1", "http://f.org/rss.xml",
                "http://f.org/?q=user/login", "http://f.org/node/1/edit", "http://f.org/search/node/x"):
        assert trap_reason(url), url
    for url in ("http://f.org/node/1?page=2", "http://f.org/forum/12", "http://f.org/groups/engagement"):
        assert trap_reason(url) is None, url
    assert canonical("http://F.org/node/1?PHPSESSID=abc&page=1#comment-3") == "http://f.org/node/1?page=1"
    assert canonical("http://f.org/t?s=0123456789abcdef0123456789abcdef&t=5") == "http://f.org/t?t=5"
    assert canonical("mailto:x@y") is None
