"""Schema 2.0 as a researcher uses it (issue 11): participants recomputed from posts, exact joins, times that
pandas, DuckDB and pyarrow read without options, stable column types across datasets, a valid data package and
a codebook, a unique key per --all-captures row."""

import json
import random
from collections import Counter, defaultdict

import pytest

from harvester import records
from harvester.cli import main
from harvester.export import columns as cols
from tests import pages
from tests.conftest import read_jsonl
from tests.samples_support import SAMPLES
from tests.test_assemble import wayback_copy

TABLES = ("threads", "posts", "participants", "captures")


def _tables(path):
    return {t: read_jsonl(path / f"{t}.jsonl") for t in TABLES}


@pytest.fixture(scope="module")
def samples_dataset(tmp_path_factory):
    out = tmp_path_factory.mktemp("samples") / "dataset"
    assert main(["extract", str(SAMPLES), "-o", str(out), "--no-progress", "--title", "harvester samples",
                 "--license", "CC-BY-4.0", "--citation", "Samples (2026)"]) == 0
    return out


@pytest.fixture(scope="module")
def crowd(tmp_path_factory):
    """Forty threads whose users collide: users 7 and 8 are both "Ann", anonymous visitors call themselves
    "Ann" and "Bob" (Bob is also user 9's name), and user 10 is renamed from "carl" to "Carl B." between the
    Wayback captures of 2012 and 2013."""
    rng = random.Random(11)
    d = tmp_path_factory.mktemp("crowd") / "in"
    people = [("Ann", 7), ("Ann", 8), ("Ann", None), ("Bob", 9), ("Bob", None), ("dora", 11)]
    truth = []
    for n in range(40):
        nid = 100 + n
        year = 2012 if n < 20 else 2013
        carl = "carl" if year == 2012 else "Carl B."
        comments, rows = [], []
        for k in range(rng.randint(1, 6)):
            name, uid = rng.choice(people + [(carl, 10)])
            cid = nid * 100 + k
            comments.append(pages.comment(cid, name=name, uid=uid, nid=nid, shown="Fri, 2012-05-04 11:34"))
            rows.append((name, uid))
        author = rng.choice([p for p in people if p[1]] + [(carl, 10)])
        html = pages.page(*comments, nid=nid, author=author[0], uid=author[1])
        wayback_copy(d, html, f"{year}0601000000", f"http://forum.example.org/node/{nid}")
        truth.append([author, *rows])
    return d, truth


def test_participants_equal_those_recomputed_from_posts_by_user_id(crowd, tmp_path):
    d, truth = crowd
    out = tmp_path / "ds"
    assert main(["extract", str(d), "-o", str(out), "--no-progress"]) == 0
    t = _tables(out)
    # recomputed from the pages' own truth: registered users by id, anonymous posters by name
    expected = Counter((f"user:{uid}" if uid else f"anonymous:{name}") for rows in truth for name, uid in rows)
    got = {p["id"]: p["posts_in_dataset"] for p in t["participants"]}
    assert got == dict(expected)
    # and from the posts table, as a user would: group posts by author_key
    by_key = Counter(p["author_key"] for p in t["posts"])
    assert {p["key"]: p["posts_in_dataset"] for p in t["participants"]} == dict(by_key)
    threads = defaultdict(set)
    for p in t["posts"]:
        threads[p["author_key"]].add(p["thread_id"])
    assert all(p["threads_in_dataset"] == len(threads[p["key"]]) for p in t["participants"])
    people = {p["id"]: p for p in t["participants"]}
    assert people["user:7"]["name"] == people["user:8"]["name"] == "Ann"  # two people, one display name
    assert people["anonymous:Ann"]["anonymous"] is True and people["user:9"]["anonymous"] is False
    assert people["user:10"]["name"] == "Carl B." and people["user:10"]["names_seen"] == ["carl", "Carl B."]


def test_posts_join_participants_exactly(crowd, tmp_path):
    import duckdb

    d, _truth = crowd
    out = tmp_path / "ds"
    assert main(["extract", str(d), "-o", str(out), "--no-progress"]) == 0
    posts, people = out / "posts.jsonl", out / "participants.jsonl"
    unmatched = duckdb.sql(f"SELECT count(*) FROM read_json_auto('{posts}') p LEFT JOIN read_json_auto('{people}') "
                           "u ON p.author_key = u.key WHERE u.key IS NULL").fetchall()[0][0]
    total = duckdb.sql(f"SELECT count(*) FROM read_json_auto('{posts}')").fetchall()[0][0]
    assert unmatched == 0 and total > 40


def test_times_read_without_options(samples_dataset):
    import duckdb
    import pandas as pd

    posts = pd.read_json(samples_dataset / "posts.jsonl", lines=True, dtype=False)
    utc = pd.to_datetime(posts["published_utc"])  # no utc=True, no format: one kind of value in the column
    assert str(utc.dtype).startswith("datetime64") and "UTC" in str(utc.dtype)
    local = pd.to_datetime(posts["published_local"])
    assert getattr(local.dtype, "tz", None) is None
    kinds = {row[0]: row[1] for row in duckdb.sql(
        f"DESCRIBE SELECT published_utc::TIMESTAMPTZ AS u, published_local::TIMESTAMP AS l "
        f"FROM read_json_auto('{samples_dataset / 'posts.jsonl'}')").fetchall()}
    assert kinds == {"u": "TIMESTAMP WITH TIME ZONE", "l": "TIMESTAMP"}


def _duckdb_columns(table):
    """The fixed column types a reader gives DuckDB: from the record contract, as harvester.export.columns."""
    kinds = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN",
             "utc": "TIMESTAMPTZ", "local": "TIMESTAMP", "strings": "VARCHAR[]", "json": "JSON", "records": "JSON"}
    return {c.name: kinds[c.kind] for c in cols.columns(table)}


def test_tables_of_two_runs_concatenate_with_one_schema(samples_dataset, tmp_path):
    """A small run (one Drupal page: many columns all null) and the samples read with the same fixed types."""
    import duckdb
    import pyarrow as pa
    import pyarrow.json as pj

    small = tmp_path / "small"
    assert main(["extract", str(SAMPLES / "drupal" / "d7-latin1"), "-o", str(small), "--no-progress"]) == 0
    for table in TABLES:
        spec = json.dumps(_duckdb_columns(table)).replace('"', "'")
        union = duckdb.sql(f"SELECT * FROM read_json('{samples_dataset / (table + '.jsonl')}', columns={spec}) "
                           f"UNION ALL SELECT * FROM read_json('{small / (table + '.jsonl')}', columns={spec})")
        n = union.count("*").fetchall()[0][0]
        assert n == len(read_jsonl(samples_dataset / f"{table}.jsonl")) + len(read_jsonl(small / f"{table}.jsonl"))
        # pyarrow: the same explicit schema (extra aside: a free object) gives identical schemas to concatenate
        from harvester.export.formats import arrow_schema

        schema = arrow_schema([c for c in cols.columns(table) if c.kind not in ("json", "utc", "local")])
        opts = pj.ParseOptions(explicit_schema=schema, unexpected_field_behavior="ignore")
        a = pj.read_json(samples_dataset / f"{table}.jsonl", parse_options=opts)
        b = pj.read_json(small / f"{table}.jsonl", parse_options=opts)
        assert a.schema == b.schema
        assert pa.concat_tables([a, b]).num_rows == n


def test_every_field_has_one_json_type(samples_dataset):
    for table, record_type in zip(TABLES, ("thread", "post", "participant", "capture"), strict=True):
        seen = defaultdict(set)
        for row in read_jsonl(samples_dataset / f"{table}.jsonl"):
            assert list(row) == records.field_order(record_type)  # every field, in contract order
            for key, value in row.items():
                if value is not None:
                    seen[key].add("number" if isinstance(value, int | float) and not isinstance(value, bool)
                                  else type(value).__name__)
        assert {k: v for k, v in seen.items() if len(v) > 1} == {}


def test_data_package_is_valid_and_described(samples_dataset):
    from frictionless import validate

    report = validate(str(samples_dataset / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])[:5]
    package = json.loads((samples_dataset / "datapackage.json").read_text())
    assert package["title"] == "harvester samples" and package["licenses"] == [{"name": "CC-BY-4.0"}]
    assert package["citation"] == "Samples (2026)"
    assert len(package["sources"]) == len(package["inputs"]) and all(s["sha256"] for s in package["sources"])
    posts = next(r for r in package["resources"] if r["name"] == "posts")
    assert posts["schema"]["primaryKey"] == ["site", "id"]
    assert {fk["reference"]["resource"] for fk in posts["schema"]["foreignKeys"]} == {"threads", "participants"}


def test_a_broken_join_makes_the_package_invalid(samples_dataset, tmp_path):
    import shutil

    from frictionless import validate

    bad = tmp_path / "bad"
    shutil.copytree(samples_dataset, bad)
    rows = read_jsonl(bad / "posts.jsonl")
    rows[1]["author_key"] = "nowhere.example/user:1"
    (bad / "posts.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    report = validate(str(bad / "datapackage.json"))
    assert not report.valid and ["foreign-key"] in report.flatten(["type"])


def test_codebook_documents_every_field_and_extra_key(samples_dataset):
    book = (samples_dataset / "CODEBOOK.md").read_text()
    for table in TABLES:
        assert all(f"`{c.name}`" in book for c in cols.columns(table))
    used = {k for table in ("threads", "posts", "participants")
            for row in read_jsonl(samples_dataset / f"{table}.jsonl") for k in row["extra"]}
    assert used - set(records.EXTRA_KEYS) == set()  # an engine's new extra key must be documented
    assert all(f"`{k}`" in book for k in used)


def test_metadata_file_and_bad_metadata(tmp_path):
    meta = tmp_path / "meta.json"
    meta.write_text(json.dumps({"title": "From file", "contributors": [{"title": "A. Archivist"}],
                                "keywords": ["forums"]}))
    out = tmp_path / "ds"
    assert main(["extract", str(SAMPLES / "drupal" / "d7-latin1"), "-o", str(out), "--no-progress",
                 "--metadata", str(meta), "--description", "Given on the command line"]) == 0
    package = json.loads((out / "datapackage.json").read_text())
    assert (package["title"], package["description"], package["keywords"]) == (
        "From file", "Given on the command line", ["forums"])
    meta.write_text(json.dumps({"title": "x", "secret_field": 1}))
    with pytest.raises(SystemExit) as exit_:
        main(["extract", str(SAMPLES / "drupal" / "d7-latin1"), "-o", str(tmp_path / "b"), "--metadata", str(meta)])
    assert exit_.value.code == 2


def test_all_captures_rows_have_a_unique_key(tmp_path):
    """The opening post seen on ?page=1 and ?page=2 in the same second, and posts seen in several captures."""
    d = tmp_path / "in"
    url = "http://forum.example.org/node/10"
    wayback_copy(d, pages.page(pages.comment(11), pager=pages.pager(0, 2)), "20120601000000", url)
    wayback_copy(d, pages.page(pages.comment(12), pager=pages.pager(1, 2)), "20120601000000", url + "?page=1")
    wayback_copy(d, pages.page(pages.comment(13), pager=pages.pager(2, 2)), "20120601000000", url + "?page=2")
    wayback_copy(d, pages.page(pages.comment(11), pager=pages.pager(0, 2)), "20130601000000", url)
    out = tmp_path / "ds"
    assert main(["extract", str(d), "-o", str(out), "--no-progress", "--all-captures"]) == 0
    posts = read_jsonl(out / "posts.jsonl")
    keys = [(p["site"], p["id"], p["capture_time"]) for p in posts]
    assert len(keys) > len(set(keys))  # the old key repeats: the opening post on three pages at one second
    assert len({p["observation_id"] for p in posts}) == len(posts)
    package = json.loads((out / "datapackage.json").read_text())
    assert next(r for r in package["resources"] if r["name"] == "posts")["schema"]["primaryKey"] == ["observation_id"]
    from frictionless import validate

    assert validate(str(out / "datapackage.json")).valid


def test_observation_ids_do_not_depend_on_where_the_inputs_sit(tmp_path):
    """A copy of the inputs in another folder (another clone, another machine) gives the same keys."""
    import shutil

    case = SAMPLES / "smf" / "smf21-two-pages"
    ids = []
    for where in ("a", "deeper/b"):
        copy = tmp_path / where / "case"
        shutil.copytree(case, copy)
        out = tmp_path / f"out-{where.replace('/', '-')}"
        assert main(["extract", str(copy), "-o", str(out), "--no-progress"]) == 0
        ids.append(sorted(p["observation_id"] for p in read_jsonl(out / "posts.jsonl")))
    assert ids[0] == ids[1] and len(set(ids[0])) == len(ids[0]) > 0


def test_all_captures_keys_stay_unique_for_one_file_name_in_two_folders(tmp_path):
    """Two saves of one page, same file name, no capture time: nothing but the folder tells them apart."""
    page = pages.page(pages.comment(11), pages.comment(12))
    for folder in ("2019", "2020"):
        (tmp_path / "in" / folder).mkdir(parents=True)
        (tmp_path / "in" / folder / "thread.html").write_text(page, encoding="utf-8")
    out = tmp_path / "ds"
    assert main(["extract", str(tmp_path / "in"), "-o", str(out), "--no-progress", "--all-captures"]) == 0
    posts = read_jsonl(out / "posts.jsonl")
    assert len(posts) == 2 * len({p["id"] for p in posts}) > 0
    assert len({p["observation_id"] for p in posts}) == len(posts)


def test_extract_help_names_every_input_kind_and_engine(capsys):
    from harvester import engines

    with pytest.raises(SystemExit):
        main(["extract", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for kind in (".warc", ".warc.gz", ".arc", ".wacz", ".html.gz", "Wayback", "Save Page As", "directories"):
        assert kind in text
    assert all(name in text for name in engines.names())
