"""harvester export and report: every format read back with its own reader and compared with the JSON Lines;
pseudonymised derivatives searched for what they must not hold."""

import csv
import json
import re
import shutil
import sqlite3
import subprocess

import pytest
from lxml import html

from harvester.cli import main
from harvester.export import columns as cols
from tests.conftest import read_jsonl
from tests.samples_support import SAMPLES

TABLES = ("threads", "posts", "participants", "captures")
PLANTED = "Write to anna.berger@example.org or call +32 2 555 01 23; my box answers on 192.168.10.42."


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    """The samples' dataset, with one post carrying an e-mail address, a phone number and an IP address."""
    root = tmp_path_factory.mktemp("export")
    pages = root / "pages"
    for case in SAMPLES.glob("drupal/*/"):
        for page in case.glob("page*.html"):
            target = pages / case.name / page.name
            target.parent.mkdir(parents=True, exist_ok=True)
            html = page.read_bytes()
            if case.name == "d7-bartik" and page.name == "page.html":
                html = html.replace(b"The thing that broke was disk space", PLANTED.encode() + b" Disk space")
            target.write_bytes(html)
    out = root / "dataset"
    assert main(["extract", str(pages), "--output", str(out), "--no-progress", "--timezone", "UTC"]) == 0
    return out


def tables(path):
    return {t: read_jsonl(path / f"{t}.jsonl") for t in TABLES}


@pytest.fixture(scope="module")
def exported(dataset, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "all"
    code = main(["export", str(dataset), "--to", "parquet,csv,sqlite,duckdb", "--to", "convokit",
                 "--to", "graph,ids", "--output", str(out)])
    assert code == 0
    return out


def _path_field(table, name):
    """Input paths are made relative to the inputs' common folder in every export (no machine paths leak)."""
    return name == "source_file" or (table == "captures" and name == "id")


def test_parquet_has_real_types_and_the_same_values(dataset, exported):
    import pyarrow as pa
    import pyarrow.parquet as pq

    source = tables(dataset)
    for table in TABLES:
        t = pq.read_table(exported / f"{table}.parquet")
        assert t.num_rows == len(source[table])
        rows = t.to_pylist()
        for column in cols.columns(table):
            field = t.schema.field(column.name)
            if column.kind == "utc":
                assert field.type == pa.timestamp("ms", tz="UTC"), column.name
            if column.kind == "local":
                assert field.type == pa.timestamp("ms"), column.name  # wall clock, never mixed with instants
            for row, record in zip(rows, source[table], strict=True):
                got, want = row[column.name], record[column.name]
                if column.kind == "utc":
                    assert got == cols.parse_utc(want), (table, column.name)
                elif column.kind == "local":
                    assert got == cols.parse_local(want), (table, column.name)
                elif column.kind == "json":
                    assert json.loads(got) == want, (table, column.name)
                elif column.kind == "records":
                    assert got == [{k: (None if v is None else str(v)) for k, v in item.items()} for item in want]
                elif _path_field(table, column.name):
                    assert want.endswith("/" + got) and not got.startswith("/"), (table, column.name)
                else:
                    assert got == want, (table, column.name)


def test_parquet_reads_in_pandas_and_duckdb(exported):
    import duckdb
    import pandas as pd

    posts = pd.read_parquet(exported / "posts.parquet")
    assert str(posts["published_utc"].dtype).startswith("datetime64") and "UTC" in str(posts["published_utc"].dtype)
    n = duckdb.sql(f"SELECT count(*) FROM read_parquet('{exported / 'posts.parquet'}')").fetchall()[0][0]
    assert n == len(posts)


def test_csv_is_rfc4180_and_round_trips(dataset, exported):
    import pandas as pd

    source = tables(dataset)
    for table in TABLES:
        raw = (exported / f"{table}.csv").read_bytes()
        assert b"\r\n" in raw and raw.decode("utf-8")
        with open(exported / f"{table}.csv", encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert len(rows) == len(source[table])
        assert list(rows[0]) == [c.name for c in cols.columns(table)] if rows else True
        for row, record in zip(rows, source[table], strict=True):
            for column in cols.columns(table):
                got, want = row[column.name], record[column.name]
                if column.kind in ("strings", "records", "json"):
                    assert json.loads(got) == want if want is not None else got == ""
                elif column.kind == "boolean":
                    assert got == ("" if want is None else "true" if want else "false")
                elif _path_field(table, column.name):
                    assert want.endswith("/" + got)
                else:
                    assert got == ("" if want is None else str(want)), (table, column.name)
        assert len(pd.read_csv(exported / f"{table}.csv")) == len(source[table])


def test_sqlite_keys_indexes_and_join_view(dataset, exported):
    source = tables(dataset)
    db = sqlite3.connect(exported / "dataset.sqlite")
    for table in TABLES:
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == len(source[table])
    with_author = sum(1 for p in source["posts"] if p["author_key"])
    joined = db.execute("SELECT count(*) FROM posts_with_authors WHERE participant_name IS NOT NULL").fetchone()[0]
    assert joined == with_author  # every post's author_key is a participant's key
    assert db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'index'").fetchone()[0] >= 4
    replies = db.execute("SELECT count(*) FROM replies").fetchone()[0]
    assert replies == sum(1 for p in source["posts"] if p["parent_id"])


def test_duckdb_tables_types_and_views(dataset, exported):
    import duckdb

    source = tables(dataset)
    db = duckdb.connect(str(exported / "dataset.duckdb"), read_only=True)
    for table in TABLES:
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == len(source[table])
    kinds = dict(db.execute("SELECT column_name, data_type FROM information_schema.columns "
                            "WHERE table_name = 'posts'").fetchall())
    assert kinds["published_utc"] == "TIMESTAMP WITH TIME ZONE" and kinds["published_local"] == "TIMESTAMP"
    assert db.execute("SELECT count(*) FROM posts_with_authors").fetchone()[0] == len(source["posts"])


def test_convokit_layout(dataset, exported):
    source = tables(dataset)
    corpus = exported / "convokit"
    utterances = read_jsonl(corpus / "utterances.jsonl")
    speakers = json.loads((corpus / "speakers.json").read_text())
    conversations = json.loads((corpus / "conversations.json").read_text())
    index = json.loads((corpus / "index.json").read_text())
    assert len(utterances) == len(source["posts"])
    ids = {u["id"] for u in utterances}
    assert len(ids) == len(utterances)
    for u in utterances:
        assert set(u) == {"id", "speaker", "conversation_id", "reply_to", "timestamp", "text", "meta", "vectors"}
        assert u["reply_to"] is None or u["reply_to"] in ids
        assert u["conversation_id"] in conversations and u["speaker"] in speakers
    # replies follow the page's tree: parent_id, not only the inferred reply to the opening post
    tree = {f"{p['site']}/{p['id']}": f"{p['site']}/{p['parent_id']}" for p in source["posts"] if p["parent_id"]}
    assert all(next(u for u in utterances if u["id"] == k)["reply_to"] == v for k, v in tree.items())
    assert {"utterances-index", "speakers-index", "conversations-index", "overall-index"} <= set(index)


def test_reply_network_recomputed_from_posts(dataset, exported):
    import networkx as nx

    posts = tables(dataset)["posts"]
    author = {(p["site"], p["id"]): p["author_key"] for p in posts}
    expected = {}
    for p in posts:
        parent = author.get((p["site"], p["parent_id"]))
        if p["parent_id"] and p["author_key"] and parent:
            expected[(p["author_key"], parent, "reply")] = expected.get((p["author_key"], parent, "reply"), 0) + 1
        for q in p["quotes"]:
            if q["author_key"] and p["author_key"]:
                key = (p["author_key"], q["author_key"], "quote")
                expected[key] = expected.get(key, 0) + 1
    with open(exported / "edges.csv", encoding="utf-8", newline="") as fh:
        edges = {(r["source"], r["target"], r["kind"]): int(r["weight"]) for r in csv.DictReader(fh)}
    assert edges == expected and edges
    g = nx.read_graphml(exported / "graph.graphml")
    assert {(s, t, d["kind"]): d["weight"] for s, t, d in g.edges(data=True)} == expected


def test_ids_list_points_at_captures(dataset, exported):
    source = tables(dataset)
    with open(exported / "ids.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(source["threads"]) + len(source["posts"])
    assert "body_text" not in rows[0] and {"warc_record_offset", "warc_payload_digest", "source_url"} <= set(rows[0])


def test_data_package_and_dictionary(exported):
    from frictionless import validate

    report = validate(str(exported / "datapackage.json"))
    assert report.valid, report.flatten(["title", "message"])[:5]
    dictionary = (exported / "DATA_DICTIONARY.md").read_text()
    with open(exported / "data_dictionary.csv", encoding="utf-8", newline="") as fh:
        listed = {(r["table"], r["field"]) for r in csv.DictReader(fh)}
    for table in TABLES:
        for column in cols.columns(table):
            assert (table, column.name) in listed and f"`{column.name}`" in dictionary


def _leaks(text, originals):
    return sorted(n for n in originals if re.search(r"(?<!\w)" + re.escape(n) + r"(?!\w)", text))


def test_pseudonymised_export_holds_no_one(dataset, tmp_path):
    source = tables(dataset)
    key = tmp_path / "secret.key"
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["export", str(dataset), "--to", "jsonl,csv,graph,ids", "--pseudonymise", "--key-file", str(key),
                 "--output", str(a)]) == 0
    assert key.exists() and (key.stat().st_mode & 0o077) == 0  # a new key, private to its owner
    names = {n for p in source["participants"] for n in [p["name"], *p["names_seen"]] if n}
    urls = {p["url"] for p in source["participants"] if p["url"]}
    ids = {p["author_id"] for p in source["posts"] if p["author_id"]}
    written = "".join(f.read_text(encoding="utf-8") for f in a.rglob("*") if f.is_file() and f.suffix != ".key")
    assert _leaks(written, names) == []
    assert [u for u in urls if u in written] == []
    assert "anna.berger@example.org" not in written and "192.168.10.42" not in written
    assert "555 01 23" not in written and "[email]" in written and "[phone]" in written and "[ip]" in written
    assert key.read_text().strip() not in written
    posts = read_jsonl(a / "posts.jsonl")
    assert not any(p["author_id"] in ids for p in posts)
    participants = read_jsonl(a / "participants.jsonl")
    keys = {p["key"] for p in participants}
    assert all(p["author_key"] in keys for p in posts if p["author_key"])  # the join survives
    assert sum(p["posts_in_dataset"] for p in participants) == sum(1 for p in posts if p["author_key"])
    manifest = json.loads((a / "datapackage.json").read_text())
    assert manifest["harvester"]["pseudonymised"]["key_fingerprint"]
    assert all(not i["path"].startswith("/") for i in manifest["harvester"]["source_inputs"])
    assert all(not p["source_file"].startswith("/") for p in posts)
    # the same key, the same pseudonyms (a study can be extended); another key, others
    assert main(["export", str(dataset), "--to", "jsonl", "--pseudonymise", "--key-file", str(key),
                 "--output", str(b)]) == 0
    assert (b / "posts.jsonl").read_bytes() == (a / "posts.jsonl").read_bytes()
    other = tmp_path / "other.key"
    c = tmp_path / "c"
    assert main(["export", str(dataset), "--to", "jsonl", "--pseudonymise", "--key-file", str(other),
                 "--output", str(c)]) == 0
    assert {p["key"] for p in read_jsonl(c / "participants.jsonl")}.isdisjoint(keys)


def test_drop_and_no_body_html(dataset, tmp_path):
    out = tmp_path / "slim"
    assert main(["export", str(dataset), "--to", "csv,jsonl", "--no-body-html", "--drop", "avatar_url",
                 "--output", str(out)]) == 0
    assert "body_html" not in read_jsonl(out / "posts.jsonl")[0]
    assert "avatar_url" not in read_jsonl(out / "participants.jsonl")[0]
    with open(out / "posts.csv", encoding="utf-8", newline="") as fh:
        assert "body_html" not in next(csv.reader(fh))


def test_export_refuses_what_it_did_not_write(dataset, tmp_path):
    notes = tmp_path / "mine"
    notes.mkdir()
    (notes / "notes.txt").write_text("keep me")
    with pytest.raises(SystemExit) as exit_:
        main(["export", str(dataset), "--to", "csv", "--output", str(notes)])
    assert exit_.value.code == 2 and (notes / "notes.txt").read_text() == "keep me"
    with pytest.raises(SystemExit):
        main(["export", str(dataset), "--to", "xlsx", "--output", str(tmp_path / "x")])
    assert not (tmp_path / "x").exists()
    # an earlier export is replaced whole
    out = tmp_path / "again"
    assert main(["export", str(dataset), "--to", "csv", "--output", str(out)]) == 0
    assert main(["export", str(dataset), "--to", "jsonl", "--output", str(out)]) == 0
    assert not (out / "posts.csv").exists() and (out / "posts.jsonl").exists()


def test_report_renders_with_its_figures(dataset, tmp_path):
    import base64

    out = tmp_path / "report.html"
    assert main(["report", str(dataset), "--output", str(out)]) == 0
    page = html.fromstring(out.read_text(encoding="utf-8"))
    images = page.xpath("//figure/img/@src")
    assert len(images) >= 5
    for src in images:
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    assert {p.stem for p in (tmp_path / "report_files").glob("*.png")} >= {
        "posts_per_month", "thread_length", "participant_activity", "votes", "top_boards"}
    counts = {tr.xpath("th")[0].text: tr.xpath("td")[0].text for tr in page.xpath("//h2[.='Counts']/"
                                                                                   "following-sibling::table[1]//tr")}
    assert counts["posts"] == str(len(read_jsonl(dataset / "posts.jsonl")))


CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)


@pytest.mark.skipif(CHROMIUM is None, reason="no headless browser: install Debian's chromium to run this check")
def test_report_figures_display_in_a_headless_browser(dataset, tmp_path):
    """The report as a reader sees it: every figure decodes and has a size in a real browser engine."""
    out = tmp_path / "report.html"
    assert main(["report", str(dataset), "--output", str(out)]) == 0
    probe = tmp_path / "probe.html"  # the report, plus a script that writes what the browser made of each image
    probe.write_text(out.read_text(encoding="utf-8").replace("</body>", (
        "<script>addEventListener('load', () => { document.body.setAttribute('data-figures', JSON.stringify("
        "[...document.images].map(i => [i.complete, i.naturalWidth, i.naturalHeight]))); });</script></body>")),
        encoding="utf-8")
    run = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
         "--virtual-time-budget=5000", "--dump-dom", probe.as_uri()],
        capture_output=True, text=True, timeout=120)
    dom = html.fromstring(run.stdout)
    figures = json.loads(dom.xpath("//body/@data-figures")[0])
    assert len(figures) >= 5
    assert all(complete and width > 100 and height > 100 for complete, width, height in figures), figures


@pytest.mark.parametrize("text, masked", [
    ("mail me: jo.doe+forum@mail.example.co.uk.", "mail me: [email]."),
    ("call +32 2 555 01 23 or (02) 555-0123", "call [phone] or [phone]"),
    ("from 10.0.0.7, then fe80::1ff:fe23:4567:890a.", "from [ip], then [ip]."),
    # what must stay: dates, times, counts, years, versions
    ("on 2012-04-26 at 14:30, 26.04.2012, 1,234 posts in 2011, v3.0.1", None),
])
def test_contact_masks(text, masked):
    from harvester.export.privacy import mask_contacts

    assert mask_contacts(text) == (masked or text)
