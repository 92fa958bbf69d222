"""Web archive source: WARC/ARC/WACZ records to Pages, revisits, other tools' WARCs, damaged files."""

from __future__ import annotations

import gzip
import hashlib
import http.server
import os
import random
import shutil
import subprocess
import threading
import tracemalloc
import zipfile
import zlib
from functools import partial

import pytest

from harvester.sources.archives import iter_archive, iter_archives
from tests.archive_fixtures import Rec, html, http_response, warcio_records, write_arc, write_wacz, write_warc

MB = 1_000_000
PROV_KEYS = {"warc_filename", "warc_record_id", "warc_record_offset", "warc_record_length", "warc_payload_digest"}
SITE = "http://forum.example.org"


def mixed_records() -> list[Rec]:
    """HTML in every transfer form, plus everything a reader must skip."""
    return [
        Rec(f"{SITE}/node/1", html("one")),
        Rec(f"{SITE}/node/1", rec_type="request"),
        Rec(f"{SITE}/node/2", html("two"), chunked=True),
        Rec(f"{SITE}/node/3", html("three"), gzip=True),
        Rec(f"{SITE}/node/4", html("four"), gzip=True, chunked=True),
        Rec(f"{SITE}/logo.png", b"\x89PNG\r\n\x1a\n....", content_type="image/png"),
        Rec(f"{SITE}/style.css", b"body{}", content_type="text/css"),
        Rec(f"{SITE}/old", html("moved"), status="301 Moved Permanently"),
        Rec(f"{SITE}/gone", html("not found"), status="404 Not Found"),
        Rec(f"{SITE}/broken", html("error"), status="500 Internal Server Error"),
        Rec("urn:crawl:meta", b"outlink: x\r\n", rec_type="metadata", content_type="application/warc-fields"),
        Rec("dns:forum.example.org", b"forum.example.org. 300 IN A 192.0.2.1\n", content_type="text/dns"),
        Rec(f"{SITE}/node/5", html("five"), rec_type="resource", content_type="text/html"),
        Rec(f"{SITE}/node/6", html("six"), content_type=None),  # no type: sniffed as HTML
        Rec(f"{SITE}/blob", b"\x00\x01\x02 not html", content_type=None),
        Rec(f"{SITE}/node/7", html("seven", "x" * 600), content_type="application/xhtml+xml",
            date="2021-03-04T06:06:07.123456+01:00"),
    ]


EXPECTED = {f"{SITE}/node/{n}": html(t, *(("x" * 600,) if n == 7 else ()))
            for n, t in enumerate(["", "one", "two", "three", "four", "five", "six", "seven"]) if n}


def pages(items):
    return [i.page for i in items if i.page]


def errors(items):
    return [i for i in items if i.error]


def sha256(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


@pytest.mark.parametrize("gz", [True, False])
@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_html_responses_become_pages_with_provenance(tmp_path, gz, version):
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    write_warc(path, mixed_records(), gz=gz, version=version)
    items = list(iter_archive(str(path), 10 * MB))
    assert errors(items) == []
    got = pages(items)
    assert {p.url: p.body for p in got} == EXPECTED  # decoded: no chunk framing, no gzip
    truth = {r["id"]: r for r in warcio_records(path)}
    for page in got:
        assert page.source_file == str(path) and page.source_type == "warc"
        assert set(page.provenance) == PROV_KEYS
        rec = truth[page.provenance["warc_record_id"]]
        assert rec["uri"] == page.url
        assert page.provenance["warc_filename"] == path.name
        assert page.provenance["warc_record_offset"] == rec["offset"]
        assert page.provenance["warc_record_length"] == rec["length"]
        assert page.provenance["warc_payload_digest"] == rec["digest"]
        expected_time = "2021-03-04T05:06:07Z"  # node/7 is the same instant written at +01:00
        assert page.capture_time == expected_time
    by_url = {p.url: p for p in got}
    assert by_url[f"{SITE}/node/1"].http_charset == "utf-8"
    assert by_url[f"{SITE}/node/6"].http_charset is None
    # the item offset and label point at the record
    for item in items:
        if item.page:
            assert item.offset == item.page.provenance["warc_record_offset"]
            assert item.label == f"{path}@{item.offset}"
    last = items[-1]
    assert last.inventory == {"path": str(path), "sha256": sha256(path), "size": os.path.getsize(path)}
    assert all(i.inventory is None for i in items[:-1])


def test_re_reading_a_record_at_its_offset_gives_the_same_page(tmp_path):
    path = tmp_path / "c.warc.gz"
    write_warc(path, mixed_records())
    for page in pages(iter_archive(str(path), MB)):
        tail = tmp_path / "tail.warc.gz"
        with open(path, "rb") as fh:
            fh.seek(page.provenance["warc_record_offset"])
            tail.write_bytes(fh.read(page.provenance["warc_record_length"]))
        again = pages(iter_archive(str(tail), MB))
        assert [(p.url, p.body) for p in again] == [(page.url, page.body)]


def test_windows_1252_charset_from_header(tmp_path):
    body = "<html><head><title>Caf\u00e9</title></head><body><p>\u201cquoted\u201d \u2013 \u20ac5</p></body></html>"
    path = tmp_path / "cp.warc.gz"
    write_warc(path, [Rec(f"{SITE}/node/9", body.encode("windows-1252"),
                          content_type='text/html; charset="windows-1252"')])
    [page] = pages(iter_archive(str(path), MB))
    assert page.http_charset == "windows-1252"
    assert page.body == body.encode("windows-1252")


def test_wayback_id_record_maps_to_original_url_and_time(tmp_path):
    replay = "https://web.archive.org/web/20121105173012id_/http://forum.example.org/node/10?page=1"
    path = tmp_path / "wb.warc.gz"
    write_warc(path, [Rec(replay, html("ten"), date="2024-06-01T00:00:00Z")])
    [page] = pages(iter_archive(str(path), MB))
    assert page.url == "http://forum.example.org/node/10?page=1"
    assert page.archive_url == replay
    assert page.capture_time == "2012-11-05T17:30:12Z"


def test_heritrix_style_warc_1_0(tmp_path):
    """response + request + metadata per fetch, WARC/1.0, dns records, WARC-Concurrent-To links."""
    recs = []
    for n in range(3):
        uri = f"{SITE}/node/{20 + n}"
        rid = f"<urn:uuid:10000000-0000-0000-0000-{n:012d}>"
        recs += [Rec("dns:forum.example.org", b"forum.example.org. 300 IN A 192.0.2.1\n", content_type="text/dns",
                     record_id=f"<urn:uuid:dns-{n}>"),
                 Rec(uri, html(f"h{n}"), record_id=rid, extra_http=(("Server", "Apache"),)),
                 Rec(uri, rec_type="request", record_id=f"<urn:uuid:req-{n}>",
                     warc_headers={"WARC-Concurrent-To": rid}),
                 Rec(uri, b"via: \r\nhopsFromSeed: L\r\n", rec_type="metadata", content_type="application/warc-fields",
                     record_id=f"<urn:uuid:meta-{n}>", warc_headers={"WARC-Concurrent-To": rid})]
    path = tmp_path / "IAH-20210304050607-00000-host.warc.gz"
    write_warc(path, recs, version="1.0")
    items = list(iter_archive(str(path), MB))
    assert errors(items) == []
    assert [p.url for p in pages(items)] == [f"{SITE}/node/{20 + n}" for n in range(3)]


@pytest.mark.parametrize("gz", [False, True])
def test_arc_v1(tmp_path, gz):
    path = tmp_path / ("old.arc.gz" if gz else "old.arc")
    write_arc(path, [
        (f"{SITE}/node/30", "19990203040506", http_response(html("arc one"))),
        (f"{SITE}/logo.gif", "19990203040507", http_response(b"GIF89a....", "image/gif")),
        (f"{SITE}/moved", "19990203040507", http_response(html("m"), status="302 Found")),
        (f"{SITE}/node/31", "19990203040508", http_response(html("arc two"), "text/html; charset=iso-8859-1")),
    ], gz=gz)
    items = list(iter_archive(str(path), MB))
    assert errors(items) == []
    got = pages(items)
    assert [(p.url, p.capture_time, p.http_charset, p.body) for p in got] == [
        (f"{SITE}/node/30", "1999-02-03T04:05:06Z", None, html("arc one")),
        (f"{SITE}/node/31", "1999-02-03T04:05:08Z", "iso-8859-1", html("arc two")),
    ]
    truth = {r["uri"]: r for r in warcio_records(path)}
    for page in got:
        assert page.provenance["warc_record_offset"] == truth[page.url]["offset"]
        assert page.provenance["warc_record_length"] == truth[page.url]["length"]
        assert page.provenance["warc_record_id"] is None  # ARC records have no id


def test_wacz_reads_warcs_inside_the_zip(tmp_path):
    one, two = tmp_path / "one.warc.gz", tmp_path / "two.warc"
    write_warc(one, [Rec(f"{SITE}/node/40", html("forty")), Rec(f"{SITE}/a.png", b"..", content_type="image/png")])
    write_warc(two, [Rec(f"{SITE}/node/41", html("forty-one"))], gz=False)
    path = tmp_path / "collection.wacz"
    write_wacz(path, {"data.warc.gz": one.read_bytes(), "more.warc": two.read_bytes()})
    items = list(iter_archive(str(path), MB))
    assert errors(items) == []
    got = pages(items)
    assert [(p.url, p.body) for p in got] == [(f"{SITE}/node/40", html("forty")),
                                              (f"{SITE}/node/41", html("forty-one"))]
    assert got[0].provenance["warc_filename"] == "collection.wacz#archive/data.warc.gz"
    assert got[1].provenance["warc_filename"] == "collection.wacz#archive/more.warc"
    assert got[0].provenance["warc_record_offset"] == warcio_records(one)[1]["offset"]
    assert got[1].provenance["warc_record_offset"] == warcio_records(two)[1]["offset"]
    assert items[0].member == "archive/data.warc.gz"
    assert items[0].label == f"{path}#archive/data.warc.gz@{items[0].offset}"
    assert items[-1].inventory == {"path": str(path), "sha256": sha256(path), "size": os.path.getsize(path)}


def _original_and_revisit(tmp_path, refers_to_id=True, refers_to_date="2020-01-01T00:00:00Z"):
    orig = tmp_path / "first.warc.gz"
    write_warc(orig, [Rec(f"{SITE}/node/50", html("fifty"), chunked=True, gzip=True,
                          date="2020-01-01T00:00:00Z", record_id="<urn:uuid:orig>")])
    digest = warcio_records(orig)[1]["digest"]
    headers = {"WARC-Payload-Digest": digest, "WARC-Refers-To-Target-URI": f"{SITE}/node/50",
               "WARC-Refers-To-Date": refers_to_date}
    if refers_to_id:
        headers["WARC-Refers-To"] = "<urn:uuid:orig>"
    rev = tmp_path / "second.warc.gz"
    write_warc(rev, [Rec(f"{SITE}/node/51", html("other")),
                     Rec(f"{SITE}/node/50", rec_type="revisit", date="2021-06-07T08:09:10Z",
                         record_id="<urn:uuid:rev>", warc_headers=headers)])
    return orig, rev, digest


@pytest.mark.parametrize("order", ["original first", "revisit first"])
def test_revisit_resolves_to_original_in_another_file(tmp_path, order):
    orig, rev, digest = _original_and_revisit(tmp_path)
    paths = [str(orig), str(rev)] if order == "original first" else [str(rev), str(orig)]
    items = list(iter_archives(paths, MB))
    assert errors(items) == []
    [item] = [i for i in items if i.payload_from]
    page = item.page
    assert page.url == f"{SITE}/node/50"
    assert page.body == html("fifty")  # the original's payload, decoded
    assert page.capture_time == "2021-06-07T08:09:10Z"  # the revisit's own capture
    rev_rec = [r for r in warcio_records(rev) if r["type"] == "revisit"][0]
    assert page.provenance == {"warc_filename": "second.warc.gz", "warc_record_id": "<urn:uuid:rev>",
                               "warc_record_offset": rev_rec["offset"], "warc_record_length": rev_rec["length"],
                               "warc_payload_digest": digest}
    assert item.payload_from == f"{orig}@{warcio_records(orig)[1]['offset']}"
    assert len(pages(items)) == 3


@pytest.mark.parametrize("by", ["uri and date", "digest"])
def test_revisit_resolves_without_refers_to_id(tmp_path, by):
    # a Refers-To-Date matching no record leaves only the payload digest to go by
    date = "2020-01-01T00:00:00.000Z" if by == "uri and date" else "2019-12-31T00:00:00Z"
    orig, rev, _digest = _original_and_revisit(tmp_path, refers_to_id=False, refers_to_date=date)
    items = list(iter_archives([str(orig), str(rev)], MB))
    assert errors(items) == []
    [item] = [i for i in items if i.payload_from]
    assert item.page.body == html("fifty")
    assert item.payload_from.startswith(str(orig))


def test_unresolvable_revisit_is_an_error_item(tmp_path):
    _orig, rev, _digest = _original_and_revisit(tmp_path)
    items = list(iter_archive(str(rev), MB))
    [err] = errors(items)
    assert "revisit" in err.error and str(rev) in err.error and f"offset {err.offset}" in err.error
    assert [p.url for p in pages(items)] == [f"{SITE}/node/51"]


def test_page_over_the_size_limit_is_an_error_not_a_crash(tmp_path):
    path = tmp_path / "big.warc.gz"
    write_warc(path, [Rec(f"{SITE}/node/60", html("big", "y" * 5000)), Rec(f"{SITE}/node/61", html("small"))])
    items = list(iter_archive(str(path), 2000))
    [err] = errors(items)
    assert "size limit" in err.error and str(path) in err.error
    assert [p.url for p in pages(items)] == [f"{SITE}/node/61"]


def test_memory_stays_flat_for_a_large_record(tmp_path):
    big = b"<html><body>" + b"z" * (24 * MB) + b"</body></html>"
    path = tmp_path / "large.warc"
    write_warc(path, [Rec(f"{SITE}/huge", big), Rec(f"{SITE}/pic", big, content_type="image/png"),
                      Rec(f"{SITE}/node/70", html("after"))], gz=False)
    tracemalloc.start()
    try:
        items = list(iter_archive(str(path), MB))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [p.url for p in pages(items)] == [f"{SITE}/node/70"]
    assert len(errors(items)) == 1
    assert peak < 6 * MB


# --- damage ---------------------------------------------------------------------------------------------------


def _damage_fixture(tmp_path, gz: bool):
    path = tmp_path / ("src.warc.gz" if gz else "src.warc")
    recs = [Rec(f"{SITE}/node/{80 + n}", html(f"p{n}", "w" * (n * 40)), chunked=n % 2 == 1) for n in range(6)]
    recs.insert(3, Rec(f"{SITE}/x.png", b"\x89PNG" + bytes(range(256)), content_type="image/png"))
    write_warc(path, recs, gz=gz)
    data = path.read_bytes()
    intact = {i.offset: i.page.provenance["warc_record_length"] for i in iter_archive(str(path), MB) if i.page}
    return data, warcio_records(path), intact


@pytest.mark.parametrize("gz", [True, False])
def test_truncated_at_every_offset(tmp_path, gz):
    data, records, intact = _damage_fixture(tmp_path, gz)
    cut_path = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    for cut in range(1, len(data), 23):
        cut_path.write_bytes(data[:cut])
        items = list(iter_archive(str(cut_path), MB))
        got = {i.offset for i in items if i.page}
        assert got == {o for o, n in intact.items() if o + n <= cut}, cut
        inside = any(r["offset"] < cut < r["offset"] + r["length"] for r in records)
        errs = errors(items)
        # a cut between records (or in the blank lines after one) loses nothing and is no error
        assert bool(errs) == inside, cut
        for err in errs:
            assert err.error.startswith(f"{cut_path}: damaged at offset {err.offset}:")
        assert items[-1].inventory["sha256"] == hashlib.sha256(data[:cut]).hexdigest()


@pytest.mark.parametrize("gz", [True, False])
def test_random_corruption_loses_only_the_damaged_records(tmp_path, gz):
    data, _records, intact = _damage_fixture(tmp_path, gz)
    rng = random.Random(20240604)
    bad_path = tmp_path / ("bad.warc.gz" if gz else "bad.warc")
    for _trial in range(60):
        buf = bytearray(data)
        hits = []
        for _ in range(rng.randint(1, 3)):
            pos, n = rng.randrange(len(buf)), rng.randint(1, 16)
            buf[pos:pos + n] = bytes(rng.randrange(256) for _ in range(len(buf[pos:pos + n])))
            hits.append((pos, pos + n))
        bad_path.write_bytes(bytes(buf))
        items = list(iter_archive(str(bad_path), MB))
        got = {i.offset for i in items if i.page}
        # +4: the blank lines ending an uncompressed record belong to it
        untouched = {o for o, n in intact.items() if not any(a < o + n + 4 and b > o for a, b in hits)}
        assert untouched <= got, hits
        assert items[-1].inventory is not None


def _rewrite(data: bytes, offset: int, old: bytes, new: bytes) -> bytes:
    at = data.index(old, offset)
    return data[:at] + new + data[at + len(old):]


@pytest.mark.parametrize("damage", ["version line", "huge length", "short length", "bad length", "no length",
                                    "garbage between"])
def test_bad_headers_in_the_middle_of_an_uncompressed_warc(tmp_path, damage):
    data, records, intact = _damage_fixture(tmp_path, gz=False)
    victim = records[3]  # a page response
    offset = victim["offset"]
    head = data[offset:offset + 600]
    length_line = head[head.index(b"Content-Length: "):].split(b"\r\n", 1)[0]
    if damage == "version line":
        data = _rewrite(data, offset, b"WARC/1.1", b"WXRC/9.9")
    elif damage == "huge length":
        data = _rewrite(data, offset, length_line, b"Content-Length: 99999999999")
    elif damage == "short length":
        data = _rewrite(data, offset, length_line, b"Content-Length: 12")
    elif damage == "bad length":
        data = _rewrite(data, offset, length_line, b"Content-Length: 12x4")
    elif damage == "no length":
        data = _rewrite(data, offset, length_line + b"\r\n", b"")
    else:
        data = data[:offset] + b"\x00garbage\r\nmore garbage\r\n" + data[offset:]
    path = tmp_path / "mid.warc"
    path.write_bytes(data)
    items = list(iter_archive(str(path), MB))
    [err] = errors(items)
    assert err.offset == offset and "resumed at offset" in err.error
    got = [i.page.url for i in items if i.page]
    expected = [r["uri"] for r in records if r["offset"] in intact]
    if damage != "garbage between":
        expected.remove(victim["uri"])
    assert got == expected


@pytest.mark.parametrize("damage", ["torn member", "huge length", "junk with a false gzip header"])
def test_bad_member_in_the_middle_of_a_warc_gz(tmp_path, damage):
    data, records, intact = _damage_fixture(tmp_path, gz=True)
    victim = records[3]
    start, end = victim["offset"], victim["offset"] + victim["length"]
    if damage == "junk with a false gzip header":
        # the resync must not stop at a gzip magic number that does not start a record
        data = data[:start] + b"JUNK\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage" + data[start:]
        victim = {"uri": None}
    elif damage == "torn member":
        data = data[:start + (end - start) // 2] + data[end:]
    else:
        member = zlib.decompress(data[start:end], 16 + zlib.MAX_WBITS)
        length_line = member[member.index(b"Content-Length: "):].split(b"\r\n", 1)[0]
        data = data[:start] + gzip.compress(member.replace(length_line, b"Content-Length: 99999999"), mtime=0) \
            + data[end:]
    path = tmp_path / "mid.warc.gz"
    path.write_bytes(data)
    items = list(iter_archive(str(path), MB))
    [err] = errors(items)
    assert err.offset == start and str(path) in err.error
    expected = [r["uri"] for r in records if r["offset"] in intact and r["uri"] != victim["uri"]]
    assert [p.url for p in pages(items)] == expected


@pytest.mark.parametrize("size", ["small", "larger than a read block"])
def test_whole_file_gzip_is_reported_not_misread(tmp_path, size):
    plain = tmp_path / "plain.warc"
    noise = random.Random(7).randbytes(100_000 if size != "small" else 10)
    write_warc(plain, [Rec(f"{SITE}/noise.bin", noise, content_type="image/png"), *mixed_records()], gz=False)
    path = tmp_path / "whole.warc.gz"
    path.write_bytes(gzip.compress(plain.read_bytes(), mtime=0))
    items = list(iter_archive(str(path), MB))
    [err] = errors(items)
    assert err.offset == 0 and "warcio recompress" in err.error


def test_not_an_archive_at_all(tmp_path):
    path = tmp_path / "fake.warc.gz"
    path.write_bytes(b"this is not a web archive\n" * 10)
    items = list(iter_archive(str(path), MB))
    assert len(errors(items)) == 1 and errors(items)[0].offset == 0
    assert items[-1].inventory["size"] == 260


def test_missing_file(tmp_path):
    [item] = list(iter_archive(str(tmp_path / "nope.warc"), MB))
    assert item.error and "cannot read" in item.error and item.inventory is None


# --- wget -----------------------------------------------------------------------------------------------------


@pytest.fixture
def local_site(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    (root / "index.html").write_text('<!DOCTYPE html><html><body><a href="t2.html">next</a>'
                                     '<img src="pic.png"></body></html>')
    (root / "t2.html").write_text("<html><body><p>thread two</p></body></html>")
    (root / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _wget(tmp_path, url, name, *extra):
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    subprocess.run(["wget", "-q", "--no-proxy", "-r", "-l1", "-P", str(tmp_path / f"{name}-mirror"),
                    f"--warc-file={tmp_path / name}", *extra, url], check=True, timeout=120, env=env)
    return tmp_path / f"{name}.warc.gz"


@pytest.mark.skipif(shutil.which("wget") is None, reason="wget is not installed")
def test_wget_warc_and_its_dedup_revisits(tmp_path, local_site):
    first = _wget(tmp_path, local_site, "first", "--warc-cdx")
    items = list(iter_archive(str(first), MB))
    assert errors(items) == []
    got = pages(items)
    assert sorted(p.url for p in got) == [local_site, local_site + "t2.html"]  # not robots.txt 404, not the png
    assert all(p.capture_time.endswith("Z") and p.provenance["warc_record_id"] for p in got)
    # a second crawl deduplicated against the first writes revisits that point at it by WARC-Refers-To only
    second = _wget(tmp_path, local_site, "second", f"--warc-dedup={tmp_path / 'first.cdx'}")
    items = list(iter_archives([str(second), str(first)], MB))
    assert errors(items) == []
    revisits = [i for i in items if i.payload_from]
    assert sorted(i.page.url for i in revisits) == [local_site, local_site + "t2.html"]
    assert all(i.page.provenance["warc_filename"] == "second.warc.gz" for i in revisits)
    assert all(i.page.body for i in revisits)


def _eighteen_pages(tmp_path):
    warc = tmp_path / "eighteen.warc.gz"
    write_warc(warc, [Rec(f"{SITE}/node/{n}", html(f"page {n}", "words " * 200)) for n in range(100, 118)])
    return warc


@pytest.mark.parametrize("seed", range(6))
def test_one_flipped_byte_in_a_wacz_loses_what_it_loses_in_the_bare_warc(tmp_path, seed):
    """zipfile checks a member's CRC only at its end: harvester reads stored members itself, so the damage is
    found by the records' own checks and costs the same record(s) as in the bare .warc.gz."""
    warc = _eighteen_pages(tmp_path)
    clean = warc.read_bytes()
    wacz = tmp_path / "c.wacz"
    write_wacz(wacz, {"eighteen.warc.gz": clean})  # the zip's CRC is of the clean bytes, as in a real WACZ
    spot = random.Random(seed).randrange(200, len(clean) - 200)
    data = bytearray(clean)
    data[spot] ^= 0xFF
    bare = tmp_path / "bare.warc.gz"
    bare.write_bytes(bytes(data))
    packed = bytearray(wacz.read_bytes())
    start = packed.find(clean)
    packed[start + spot] ^= 0xFF  # the same byte, flipped inside the .wacz
    wacz.write_bytes(bytes(packed))
    in_bare, in_wacz = pages(iter_archive(str(bare), MB)), pages(iter_archive(str(wacz), MB))
    assert len(in_bare) >= 16
    assert sorted(p.url for p in in_wacz) == sorted(p.url for p in in_bare)
    assert errors(iter_archive(str(wacz), MB))  # the damage is reported


def test_wacz_members_sharing_a_name_are_both_read(tmp_path):
    import warnings

    one, two = tmp_path / "one.warc.gz", tmp_path / "two.warc.gz"
    write_warc(one, [Rec(f"{SITE}/node/60", html("sixty"))])
    write_warc(two, [Rec(f"{SITE}/node/61", html("sixty-one"))])
    path = tmp_path / "dup.wacz"
    with warnings.catch_warnings(), zipfile.ZipFile(path, "w") as zf:
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name, and writes it
        zf.writestr("archive/data.warc.gz", one.read_bytes())
        zf.writestr("archive/data.warc.gz", two.read_bytes())
    items = list(iter_archive(str(path), MB))
    assert errors(items) == []
    got = pages(items)
    assert sorted(p.url for p in got) == [f"{SITE}/node/60", f"{SITE}/node/61"]
    assert len({p.provenance["warc_filename"] for p in got}) == 2


def test_encrypted_or_unsupported_wacz_members_are_error_rows(tmp_path):
    one = tmp_path / "one.warc.gz"
    write_warc(one, [Rec(f"{SITE}/node/70", html("seventy"))])
    path = tmp_path / "odd.wacz"
    write_wacz(path, {"a.warc.gz": one.read_bytes(), "b.warc.gz": one.read_bytes(), "c.warc.gz": one.read_bytes()})
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        infos = {i.filename: i for i in zf.infolist()}
    # mark a.warc.gz encrypted and b.warc.gz compressed with a method zipfile lacks, in both headers
    for name, field, value in (("archive/a.warc.gz", "flag", 1), ("archive/b.warc.gz", "method", 99)):
        local = infos[name].header_offset
        central = data.find(b"PK\x01\x02" + data[local + 4:local + 6], 0)
        while data[central + 46:central + 46 + len(name)] != name.encode():
            central = data.find(b"PK\x01\x02", central + 4)
        if field == "flag":
            data[local + 6] |= 1
            data[central + 8] |= 1
        else:
            data[local + 8:local + 10] = value.to_bytes(2, "little")
            data[central + 10:central + 12] = value.to_bytes(2, "little")
    path.write_bytes(bytes(data))
    items = list(iter_archive(str(path), MB))
    problems = [i.error for i in errors(items)]
    assert any("a.warc.gz" in e and "encrypted" in e for e in problems), problems
    assert any("b.warc.gz" in e and "compression" in e for e in problems), problems
    assert [p.url for p in pages(items)] == [f"{SITE}/node/70"]  # c.warc.gz still read


@pytest.mark.parametrize("gz", [True, False])
def test_a_hole_of_zeros_costs_a_bounded_read_not_a_quadratic_one(tmp_path, gz):
    """warcio joins blocks until a newline: 32 MB without one held ~32 MB at once (and 50 MB took 35 s). Header
    lines are bounded, so the hole is one damaged stretch, skipped by the resync, and the records after it read."""
    warc = tmp_path / ("a.warc.gz" if gz else "a.warc")
    write_warc(warc, [Rec(f"{SITE}/node/{n}", html(f"page {n}")) for n in (1, 2)], gz=gz)
    later = tmp_path / ("b.warc.gz" if gz else "b.warc")
    write_warc(later, [Rec(f"{SITE}/node/3", html("page 3"))], gz=gz, warcinfo=False)
    holed = tmp_path / ("holed.warc.gz" if gz else "holed.warc")
    with open(holed, "wb") as fh:
        fh.write(warc.read_bytes())
        fh.write(b"\0" * (32 << 20))
        fh.write(later.read_bytes())
    tracemalloc.start()
    try:
        items = list(iter_archive(str(holed), MB))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert sorted(p.url for p in pages(items)) == [f"{SITE}/node/1", f"{SITE}/node/2", f"{SITE}/node/3"]
    assert len(errors(items)) == 1
    assert peak < 8 << 20, f"peak {peak / 2**20:.1f} MB"
