"""extract over web archives: the same records as from the pages, with WARC provenance; --jobs agrees."""

import io
import json

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.conftest import read_jsonl
from tests.samples_support import SAMPLES

SEED = SAMPLES / "drupal" / "d7-daa-seed" / "page.html"
URL = "http://daa.ec.europa.eu/en/content/social-media-and-public-sector"


def write_warc(path, pages):
    """pages: (url, html bytes, WARC-Date) tuples written as gzipped response records with warcio."""
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, body, date in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                                  ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers,
                                               warc_headers_dict={"WARC-Date": date})
            writer.write_record(record)


def test_warc_gives_the_same_records_as_the_page(tmp_path, run_extract):
    body = SEED.read_bytes()
    write_warc(tmp_path / "crawl.warc.gz", [(URL, body, "2013-01-02T03:04:05Z")])
    status, from_warc = run_extract(tmp_path / "crawl.warc.gz")
    assert status == 0
    (tmp_path / "dataset").rename(tmp_path / "first")
    status, from_page = run_extract(SEED)
    assert status == 0
    keys = ("id", "parent_id", "depth", "author_name", "votes", "published_utc", "published_local", "body_text",
            "body_html", "links")
    def pick(posts):
        return [{k: p[k] for k in keys} for p in posts]

    assert pick(from_warc["posts"]) == pick(from_page["posts"])
    op = from_warc["posts"][0]
    assert (op["source_type"], op["capture_time"], op["source_url"]) == ("warc", "2013-01-02T03:04:05Z", URL)
    assert op["warc_filename"] == "crawl.warc.gz" and op["warc_record_id"].startswith("<urn:uuid:")
    assert op["warc_record_offset"] == 0 and op["warc_record_length"] > 0
    assert op["warc_payload_digest"].startswith("sha1:")
    assert from_warc["manifest"]["inputs"][0]["path"].endswith("crawl.warc.gz")


def test_record_offsets_fetch_the_exact_record(tmp_path, run_extract):
    from warcio.archiveiterator import ArchiveIterator

    body = SEED.read_bytes()
    other = body.replace(b"node-1417", b"node-1418").replace(b"/en/node/1417", b"/en/node/1418")
    write_warc(tmp_path / "c.warc.gz", [(URL, body, "2013-01-02T03:04:05Z"),
                                        (URL + "-2", other, "2013-01-03T00:00:00Z")])
    _, t = run_extract(tmp_path / "c.warc.gz")
    for thread in t["threads"]:
        with open(tmp_path / "c.warc.gz", "rb") as fh:
            fh.seek(thread["warc_record_offset"])
            record = next(iter(ArchiveIterator(fh)))
            assert record.rec_headers.get_header("WARC-Record-ID") == thread["warc_record_id"]
            assert record.rec_headers.get_header("WARC-Target-URI") == thread["source_url"]


def test_jobs_two_gives_the_same_dataset(tmp_path):
    from harvester.cli import main

    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        assert main(["extract", str(SAMPLES), "-o", str(out), "--no-progress", "--jobs", jobs]) == 0
        outs.append({name: read_jsonl(out / f"{name}.jsonl") for name in ("threads", "posts", "participants",
                                                                           "captures")})
        manifest = json.loads((out / "datapackage.json").read_text())
        assert manifest["counts"]["posts"] == len(outs[-1]["posts"])
    assert outs[0] == outs[1]


def test_jobs_auto_means_one_per_usable_cpu(capsys):
    import os

    from harvester.cli import build_parser, main

    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    for value, expected in (("auto", usable), ("0", usable), ("00", usable), ("3", 3)):
        assert build_parser().parse_args(["extract", "x", "-o", "y", "--jobs", value]).jobs == expected
    for bad in ("-1", "many"):
        with pytest.raises(SystemExit) as exc:
            main(["extract", "x", "-o", "y", "--jobs", bad])
        assert exc.value.code == 2 and "--jobs" in capsys.readouterr().err


def test_page_store_parses_only_new_inputs(tmp_path, monkeypatch):
    from harvester import extract as extract_mod
    from harvester.extract import Options, extract

    body = SEED.read_bytes()
    write_warc(tmp_path / "run1.warc.gz", [(URL, body, "2013-01-02T03:04:05Z")])
    changed = body.replace(b"15 users have voted.", b"16 users have voted.")
    write_warc(tmp_path / "run2.warc.gz", [(URL, changed, "2013-02-02T03:04:05Z")])
    parsed = []
    real = extract_mod.process_page

    def counting(page, *a):
        parsed.append(page.source_file)
        return real(page, *a)

    monkeypatch.setattr(extract_mod, "process_page", counting)
    options = Options(page_store=str(tmp_path / "pages.sqlite"))
    extract([str(tmp_path / "run1.warc.gz")], str(tmp_path / "ds"), options, report=lambda m: None)
    summary = extract([str(tmp_path / "run1.warc.gz"), str(tmp_path / "run2.warc.gz")], str(tmp_path / "ds"),
                      options, report=lambda m: None)
    assert [p.rsplit("/", 1)[-1] for p in parsed] == ["run1.warc.gz", "run2.warc.gz"]
    assert summary.ok == 1  # this run's pages
    posts = read_jsonl(tmp_path / "ds" / "posts.jsonl")
    op = posts[0]
    assert (op["votes"], op["captures_seen"], op["first_seen"]) == (16, 2, "2013-01-02T03:04:05Z")
    assert len(read_jsonl(tmp_path / "ds" / "captures.jsonl")) == 2
    manifest = json.loads((tmp_path / "ds" / "datapackage.json").read_text())
    assert len(manifest["inputs"]) == 2


def test_page_store_with_worker_processes_gives_the_same_dataset(tmp_path):
    """With --jobs, workers read the pages back from the committed store themselves."""
    from harvester.extract import Options, extract

    body = SEED.read_bytes()
    write_warc(tmp_path / "run1.warc.gz", [(URL, body, "2013-01-02T03:04:05Z")])
    write_warc(tmp_path / "run2.warc.gz", [(URL, body.replace(b"15 users have voted.", b"16 users have voted."),
                                            "2013-02-02T03:04:05Z")])
    datasets = []
    for jobs in (1, 2):
        options = Options(page_store=str(tmp_path / f"pages{jobs}.sqlite"), jobs=jobs)
        out = tmp_path / f"ds{jobs}"
        extract([str(tmp_path / "run1.warc.gz")], str(out), options, report=lambda m: None)
        extract([str(tmp_path / "run1.warc.gz"), str(tmp_path / "run2.warc.gz")], str(out), options,
                report=lambda m: None)
        datasets.append({name: read_jsonl(out / f"{name}.jsonl") for name in ("threads", "posts", "participants")})
    assert datasets[0] == datasets[1]
    assert datasets[1]["posts"][0]["votes"] == 16 and datasets[1]["posts"][0]["captures_seen"] == 2


def test_damaged_warc_gives_an_error_row_and_keeps_the_rest(tmp_path, run_extract):
    body = SEED.read_bytes()
    other = body.replace(b"node-1417", b"node-1418").replace(b"/en/node/1417", b"/en/node/1418")
    write_warc(tmp_path / "c.warc.gz", [(URL, body, "2013-01-02T03:04:05Z"),
                                        (URL + "-2", other, "2013-01-03T00:00:00Z")])
    data = (tmp_path / "c.warc.gz").read_bytes()
    (tmp_path / "c.warc.gz").write_bytes(data[: len(data) - 500])  # tear the last record
    status, t = run_extract(tmp_path / "c.warc.gz")
    assert status == 1
    rows = t["captures"]
    ok = [r for r in rows if r["status"] == "ok"]
    errors = [r for r in rows if r["status"] == "error"]
    assert len(ok) == 1 and ok[0]["thread_id"] == "node/1417"
    assert len(errors) == 1 and errors[0]["source_file"].endswith("c.warc.gz")
    assert "offset" in errors[0]["reason"] and errors[0]["id"].startswith(str(tmp_path / "c.warc.gz"))
    assert [th["id"] for th in t["threads"]] == ["node/1417"]


def test_page_store_resolves_revisits_of_earlier_runs(tmp_path):
    """A later WARC holding only a revisit: read alone, its original comes from the page store."""
    from harvester.extract import Options, extract

    body = SEED.read_bytes()
    write_warc(tmp_path / "run1.warc.gz", [(URL, body, "2013-01-02T03:04:05Z")])
    with open(tmp_path / "run1.warc.gz", "rb") as fh:
        from warcio.archiveiterator import ArchiveIterator

        original = next(r for r in ArchiveIterator(fh) if r.rec_type == "response")
        record_id = original.rec_headers.get_header("WARC-Record-ID")
        digest = original.rec_headers.get_header("WARC-Payload-Digest")
    with open(tmp_path / "run2.warc.gz", "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        revisit = writer.create_revisit_record(URL, digest, URL, "2013-01-02T03:04:05Z")
        revisit.rec_headers.add_header("WARC-Refers-To", record_id)
        revisit.rec_headers.replace_header("WARC-Date", "2013-03-03T00:00:00Z")
        writer.write_record(revisit)
    options = Options(page_store=str(tmp_path / "pages.sqlite"))
    extract([str(tmp_path / "run1.warc.gz")], str(tmp_path / "ds"), options, report=lambda m: None)
    summary = extract([str(tmp_path / "run2.warc.gz")], str(tmp_path / "ds"), options, report=lambda m: None)
    assert (summary.ok, summary.failed) == (1, 0)
    posts = read_jsonl(tmp_path / "ds" / "posts.jsonl")
    assert posts[0]["captures_seen"] == 2 and posts[0]["last_seen"] == "2013-03-03T00:00:00Z"
    assert posts[0]["warc_filename"] == "run2.warc.gz"
    captures = read_jsonl(tmp_path / "ds" / "captures.jsonl")
    assert "parsed in an earlier run" in captures[-1]["reason"]
    # without the store the same revisit has nothing to resolve against: a clear error row
    status = extract([str(tmp_path / "run2.warc.gz")], str(tmp_path / "alone"), Options(), report=lambda m: None)
    assert status.failed == 1


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_thread_whose_url_answers_404_later_is_marked_gone(tmp_path, run_extract, jobs):
    """Thread node/10 captured, then its URL answers 410; node/20 answered 404 before its capture (it came
    back): only node/10 is gone. The answers' times come from the archive, not from the run."""
    from tests import pages
    from tests.archive_fixtures import Rec, write_warc

    site = "http://forum.example.org"
    one = pages.page(pages.comment(11), nid=10).encode()
    two = pages.page(pages.comment(21, nid=20), nid=20).encode()
    write_warc(tmp_path / "crawl.warc.gz", [
        Rec(f"{site}/node/20", b"not found", status="404 Not Found", date="2021-01-01T00:00:00Z"),
        Rec(f"{site}/node/10", one, date="2021-02-01T00:00:00Z"),
        Rec(f"{site}/node/20", two, date="2021-02-01T00:00:05Z"),
        Rec(f"{site}/node/10", b"gone", status="410 Gone", date="2021-03-01T00:00:00Z"),
    ])
    status, t = run_extract(tmp_path / "crawl.warc.gz", extra=["--jobs", jobs])
    assert status == 0
    threads = {th["id"]: th for th in t["threads"]}
    assert threads["node/10"]["extra"]["gone_since"] == "2021-03-01T00:00:00Z"
    assert threads["node/10"]["extra"]["gone_status"] == 410
    assert "gone_since" not in threads["node/20"]["extra"]
    assert len(t["captures"]) == 2  # the answers are not pages: no capture rows for them
