"""extract --spark (local mode) gives the dataset `harvester extract` gives, record for record, in the same order.

Records are compared whole (every field, whatever the contract holds), table by table, plus the manifest but for
its creation time. One SparkSession (local[2], tests/spark_support.py) serves the whole test session.
"""

import gzip
import io
import json
import shutil

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from harvester.cli import main
from harvester.extract import Options, extract
from tests.conftest import read_jsonl
from tests.samples_support import SAMPLES
from tests.test_benchmark_corpus import _generator

TABLES = ("threads", "posts", "participants", "captures")


def dataset(path) -> dict:
    tables = {name: read_jsonl(path / f"{name}.jsonl") for name in TABLES}
    manifest = json.loads((path / "datapackage.json").read_text())
    manifest.pop("created")
    tables["manifest"] = manifest
    return tables


def both(tmp_path, inputs, options=None, **spark_args):
    """(single-machine dataset, Spark dataset, Spark summary) for the same inputs and options."""
    from harvester.spark.driver import extract as spark_extract

    options = options or Options()
    inputs = [str(p) for p in inputs]
    extract(inputs, str(tmp_path / "one"), options, report=lambda m: None)
    summary = spark_extract(inputs, str(tmp_path / "spark"), options, report=lambda m: None, **spark_args)
    return dataset(tmp_path / "one"), dataset(tmp_path / "spark"), summary


def assert_same(one: dict, other: dict) -> None:
    for name in (*TABLES, "manifest"):
        assert len(one[name]) == len(other[name]), name
        for a, b in zip(one[name] if name != "manifest" else [one[name]],
                        other[name] if name != "manifest" else [other[name]], strict=True):
            assert a == b, name


def test_samples_give_the_same_dataset(spark, tmp_path):
    one, other, summary = both(tmp_path, [SAMPLES])
    assert_same(one, other)
    assert summary.ok + summary.skipped + summary.failed == len(one["captures"])
    assert summary.posts == len(one["posts"]) > 50


# --- a generated collection: several WARCs, threads across files, revisits across files, damage ------------------


def _write(path, records, gz=True):
    """records: (kind, uri, body or (digest, refers_to_uri, refers_to_date, refers_to_id), date)."""
    ids = {}
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        for kind, uri, body, date in records:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            if kind == "response":
                rec = writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers,
                                                warc_headers_dict={"WARC-Date": date})
                ids[uri, date] = (rec.rec_headers.get_header("WARC-Record-ID"),
                                  rec.rec_headers.get_header("WARC-Payload-Digest"))
            else:
                digest, ref_uri, ref_date, ref_id = body
                rec = writer.create_revisit_record(uri, digest, ref_uri, ref_date, http_headers=headers,
                                                   warc_headers_dict={"WARC-Date": date})
                if ref_id:
                    rec.rec_headers.add_header("WARC-Refers-To", ref_id)
            writer.write_record(rec)
    return ids


def collection(root):
    """Four WARCs and a loose page from the benchmark generator's forum: every thread's pages dealt round the
    files, revisits in both directions, one revisit of nothing, the same record in two files, a torn file."""
    gen = _generator()
    pages = list(gen.iter_corpus(seed=11, pages=40))
    assert len({p.thread.path for p in pages}) < len(pages)  # some threads have several pages
    date = lambda p: p.date.strftime("%Y-%m-%dT%H:%M:%SZ")  # noqa: E731
    root.mkdir()
    files = [root / "crawl-a.warc.gz", root / "crawl-b.warc.gz", root / "crawl-c.warc", root / "crawl-d.warc.gz"]
    dealt = [[], [], [], []]
    for n, p in enumerate(pages):
        dealt[n % 3].append(("response", p.url, p.html, date(p)))
    ids = {}
    for path, recs in zip(files[:3], dealt[:3], strict=True):
        ids.update(_write(path, recs, gz=path.suffix == ".gz"))
    # d: revisits of a page in a and of one in c (both read before d; one found by record id, one by URI and
    # date), and a revisit that refers to nothing in the inputs
    a_page, c_page = pages[0], pages[2]
    a_id, a_digest = ids[a_page.url, date(a_page)]
    c_id, c_digest = ids[c_page.url, date(c_page)]
    _write(files[3], [
        ("revisit", a_page.url, (a_digest, a_page.url, date(a_page), a_id), "2030-01-01T00:00:00Z"),
        ("revisit", c_page.url, (c_digest, c_page.url, date(c_page), None), "2030-01-02T00:00:00Z"),
        ("revisit", "http://assembly.example.eu/gone", ("sha1:NOTHINGHERE", "http://assembly.example.eu/gone",
                                                        "2019-01-01T00:00:00Z", "<urn:uuid:none>"),
         "2030-01-03T00:00:00Z"),
    ])
    # a (read first) also holds a revisit of a page whose original comes later, in c
    later = pages[5]
    l_id, l_digest = ids[later.url, date(later)]
    with open(files[0], "ab") as fh:
        WARCWriter(fh, gzip=True).write_record(WARCWriter(io.BytesIO(), gzip=True).create_revisit_record(
            later.url, l_digest, later.url, date(later),
            warc_headers_dict={"WARC-Date": "2031-01-01T00:00:00Z", "WARC-Refers-To": l_id}))
    # b's records again, in another file (a crawl directory and its packaged copy)
    shutil.copy(files[1], root / "crawl-b-copy.warc.gz")
    # a torn file: its last record cut short
    torn = root / "crawl-e.warc.gz"
    _write(torn, [("response", p.url + "&torn", p.html, date(p)) for p in pages[6:9]])
    torn.write_bytes(torn.read_bytes()[:-300])
    # damage in the middle of a file: garbage between two records, read past by resync
    middle = root / "crawl-f.warc.gz"
    _write(middle, [("response", p.url + "&again", p.html, date(p)) for p in pages[9:12]])
    data = middle.read_bytes()
    cut = data.index(b"\x1f\x8b\x08", 100)  # the second record's gzip member
    middle.write_bytes(data[:cut] + b"\x1f\x8b\x08 not a record at all " * 20 + data[cut:])
    # loose pages: one fine, one torn gzip
    (root / "loose").mkdir()
    (root / "loose" / "page.html").write_bytes(pages[1].html)
    (root / "loose" / "broken.html.gz").write_bytes(gzip.compress(pages[3].html)[:-50])
    return pages


def test_collection_gives_the_same_dataset(spark, tmp_path):
    collection(tmp_path / "in")
    one, other, summary = both(tmp_path, [tmp_path / "in", tmp_path / "missing.warc.gz"])
    assert_same(one, other)
    captures = one["captures"]
    reasons = " ".join(r["reason"] or "" for r in captures)
    # the collection exercises what it was built for (else the equality above proves little)
    assert "payload read from" in reasons and "refers to a response not found" in reasons
    assert "damaged at offset" in reasons and "resumed at offset" in reasons and "truncated gzip file" in reasons
    assert summary.failed == sum(r["status"] == "error" for r in captures) >= 4
    files_per_thread = {}
    for r in captures:
        if r["status"] == "ok" and r["warc_filename"]:
            files_per_thread.setdefault(r["thread_id"], set()).add(r["warc_filename"])
    assert any(len(f) > 1 for f in files_per_thread.values())
    revisited = [r for r in captures if "payload read from" in (r["reason"] or "")]
    assert {r["warc_filename"] for r in revisited} >= {"crawl-a.warc.gz", "crawl-d.warc.gz"}


def test_big_files_read_in_ranges_give_the_same_dataset(spark, tmp_path):
    """Split size 20 KB: gzipped files are cut at gzip members, the uncompressed one at its CDXJ index."""
    from harvester.capture import cdxj
    from harvester.spark import plan

    collection(tmp_path / "in")
    cdxj.write_index([str(tmp_path / "in" / "crawl-c.warc")], str(tmp_path / "in" / "index.cdxj"))
    units = plan.plan([str(tmp_path / "in")], 20_000)
    ranges = [u for u in units if u.kind == "range"]
    assert {u.path.rsplit("/", 1)[1] for u in ranges} >= {"crawl-a.warc.gz", "crawl-c.warc"}
    assert any(u.exact for u in ranges) and any(not u.exact for u in ranges)
    spark.conf.set("spark.harvester.splitMB", "0.02")
    try:
        one, other, _summary = both(tmp_path, [tmp_path / "in"])
    finally:
        spark.conf.unset("spark.harvester.splitMB")
    assert_same(one, other)


def test_parquet_has_the_jsonl_columns_and_rows(spark, tmp_path):
    import pyarrow.parquet as pq

    from harvester.export.columns import columns as export_columns
    from harvester.export.columns import parse_local, parse_utc
    from harvester.spark.driver import extract as spark_extract

    # with options that change the records (one post row per capture, a zone for dates printed without one)
    options = Options(all_captures=True, timezone="Europe/Brussels")
    extract([str(SAMPLES)], str(tmp_path / "one"), options, report=lambda m: None)
    spark_extract([str(SAMPLES)], str(tmp_path / "pq"), options, fmt="parquet", report=lambda m: None)
    manifest = json.loads((tmp_path / "pq" / "datapackage.json").read_text())
    assert manifest["options"]["all_captures"] is True
    posts = read_jsonl(tmp_path / "one" / "posts.jsonl")
    assert len(posts) > len({(p["site"], p["id"]) for p in posts})  # some posts seen in several captures
    for name in TABLES:
        expected = read_jsonl(tmp_path / "one" / f"{name}.jsonl")
        table = pq.read_table(tmp_path / "pq" / f"{name}.parquet")
        assert table.column_names == list(expected[0])
        rows = table.to_pylist()
        assert len(rows) == len(expected) == next(r["records"] for r in manifest["resources"] if r["name"] == name)
        columns = {c.name: c for c in export_columns(name)}
        for row, record in zip(rows, expected, strict=True):
            for key, column in columns.items():  # the typed columns, as `harvester export` writes them
                if column.kind == "json":
                    row[key] = json.loads(row[key])  # free-form: JSON text in Parquet
                elif column.kind in ("utc", "local") and record[key] is not None:
                    parse = parse_utc if column.kind == "utc" else parse_local
                    assert row[key] == parse(record[key]), key
                    row[key] = record[key]
                elif column.kind == "records":
                    row[key] = [{k: v for k, v in item.items()} for item in row[key]]
                    record[key] = [{k: (None if v is None else str(v)) for k, v in item.items()}
                                   for item in record[key]]
            assert row == record
        if name == "posts":
            assert str(table.schema.field("published_utc").type) == "timestamp[us, tz=UTC]"
            assert str(table.schema.field("published_local").type) == "timestamp[us]"
    assert not list((tmp_path / "pq").rglob("*.crc")) and not list((tmp_path / "pq").rglob("_SUCCESS"))


def test_cli_with_file_urls_and_a_glob(spark, tmp_path, capsys):
    """Inputs as file:// URLs go through the cluster file system's glob; the records match the local run."""
    collection(tmp_path / "in")
    out = tmp_path / "ds"
    status = main(["extract", f"file://{tmp_path}/in/crawl-[ab].warc.gz", "-o", str(out), "--spark", "local[2]",
                   "--no-progress"])
    assert status == 1  # a revisit in a refers to a page in c, not among these inputs
    assert "harvester:" in capsys.readouterr().err
    ours = dataset(out)
    extract([str(tmp_path / "in" / "crawl-a.warc.gz"), str(tmp_path / "in" / "crawl-b.warc.gz")],
            str(tmp_path / "one"), Options(), report=lambda m: None)
    one = dataset(tmp_path / "one")
    for name in TABLES:  # the same records but for the inputs' names (file: URLs here, paths there)
        # (observation_id hashes the source file's name too)
        names = ("source_file", "id", "reason") if name == "captures" else ("source_file", "observation_id")
        assert [{k: v for k, v in r.items() if k not in names} for r in ours[name]] == \
               [{k: v for k, v in r.items() if k not in names} for r in one[name]]
    assert ours["captures"] and all(r["source_file"].startswith("file:") for r in ours["captures"])


def test_refuses_a_directory_that_is_not_a_dataset(spark, tmp_path, capsys):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "keep.txt").write_text("mine")
    with pytest.raises(SystemExit):
        main(["extract", str(SAMPLES), "-o", str(tmp_path / "notes"), "--spark", "local[2]"])
    assert "refusing to overwrite" in capsys.readouterr().err
    assert (tmp_path / "notes" / "keep.txt").read_text() == "mine"


def test_format_and_conf_need_spark(capsys):
    with pytest.raises(SystemExit):
        main(["extract", str(SAMPLES), "-o", "x", "--format", "parquet"])
    assert "need --spark" in capsys.readouterr().err
