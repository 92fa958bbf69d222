"""`harvester validate` on damaged datasets (issue 12, point 13): a problem line for each damage, never a
traceback, never "valid" for a dataset that is not."""

import json
import shutil

import pytest

from harvester.cli import main
from harvester.validate import validate_dataset
from tests.samples_support import SAMPLES


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    out = tmp_path_factory.mktemp("v") / "dataset"
    assert main(["extract", str(SAMPLES / "drupal" / "d7-bartik"), "-o", str(out), "--no-progress"]) == 0
    assert validate_dataset(str(out)) == (validate_dataset(str(out))[0], [])
    return out


def _posts_line(dataset, n=0):
    return (dataset / "posts.jsonl").read_bytes().splitlines()[n]


def _replace_first_post(dataset, new: bytes):
    lines = (dataset / "posts.jsonl").read_bytes().splitlines(keepends=True)
    lines[0] = new.rstrip(b"\n") + b"\n"
    (dataset / "posts.jsonl").write_bytes(b"".join(lines))


def _damage_field(field, raw_value):
    def damage(d):
        rec = json.loads(_posts_line(d))
        text = json.dumps(rec, ensure_ascii=False)
        old = f'"{field}": {json.dumps(rec[field], ensure_ascii=False)}'
        assert old in text
        _replace_first_post(d, text.replace(old, f'"{field}": {raw_value}', 1).encode("utf-8"))
    return damage


def _manifest(text):
    def damage(d):
        (d / "datapackage.json").write_text(text)
    return damage


def _table_is_a_folder(d):
    (d / "threads.jsonl").unlink()
    (d / "threads.jsonl").mkdir()


def _dup_row(d):
    lines = (d / "posts.jsonl").read_bytes().splitlines(keepends=True)
    (d / "posts.jsonl").write_bytes(b"".join([*lines, lines[1]]))


def _dup_key(d):
    line = _posts_line(d)
    _replace_first_post(d, line[:-1] + b', "votes": 5}')


DAMAGE = {
    "manifest-is-a-list": (_manifest("[1, 2]"), "not a JSON object"),
    "manifest-is-a-number": (_manifest("7"), "not a JSON object"),
    "manifest-not-utf8": (lambda d: (d / "datapackage.json").write_bytes(b'{"counts": "\xff"}'), "unreadable"),
    "post-not-utf8": (lambda d: _replace_first_post(d, _posts_line(d).replace(b"dana_w", b"dana\xff", 1)),
                      "not UTF-8"),
    "table-is-a-folder": (_table_is_a_folder, "not a file"),
    "deep-json": (lambda d: _replace_first_post(d, b"[" * 100_000 + b"]" * 100_000), "nested too deep"),
    "nan-votes": (_damage_field("votes", "NaN"), "NaN is not a JSON number"),
    "infinity-votes": (_damage_field("votes", "Infinity"), "Infinity is not a JSON number"),
    "lone-surrogate": (_damage_field("author_name", '"\\ud800x"'), "lone surrogate"),
    "duplicate-key": (_dup_key, "duplicate key 'votes'"),
    "duplicated-row": (_dup_row, "a second row with the key"),
    "month-zero": (_damage_field("published_utc", '"2012-00-00T00:00:00Z"'), "published_utc"),
    "all-nines": (_damage_field("published_utc", '"9999-99-99T99:99:99Z"'), "published_utc"),
    "not-a-url": (_damage_field("url", '"not a url"'), "url"),
    "url-with-spaces": (_damage_field("source_url", '"http://host/a b"'), "source_url"),
}


@pytest.mark.parametrize("name", sorted(DAMAGE))
def test_each_damage_is_a_problem_line_not_a_traceback(clean, tmp_path, name, capsys):
    damage, words = DAMAGE[name]
    dataset = tmp_path / "d"
    shutil.copytree(clean, dataset)
    damage(dataset)
    checked, problems = validate_dataset(str(dataset))
    assert problems and any(words in p for p in problems), problems
    assert main(["validate", str(dataset)]) == 1
    assert "invalid" in capsys.readouterr().err


def test_max_problems_zero_reports_every_problem(clean, tmp_path, capsys):
    dataset = tmp_path / "d"
    shutil.copytree(clean, dataset)
    lines = (dataset / "posts.jsonl").read_text(encoding="utf-8").splitlines()
    broken = [json.dumps(json.loads(line) | {"url": "nope"}) for line in lines]
    (dataset / "posts.jsonl").write_text("\n".join(broken) + "\n", encoding="utf-8")
    assert len(validate_dataset(str(dataset), 3)[1]) == 3
    assert len(validate_dataset(str(dataset), 0)[1]) == len(lines)
    assert main(["validate", str(dataset), "--max-problems", "0"]) == 1
    assert "invalid" in capsys.readouterr().err


def test_dates_and_urls_that_are_real_pass(clean):
    """The format checks read real values right: the clean dataset has dates with Z and offsets, and URLs."""
    rows = [json.loads(line) for line in (clean / "posts.jsonl").read_text().splitlines()]
    assert any(r["published_utc"] for r in rows) and any(r["url"] for r in rows)
    assert validate_dataset(str(clean))[1] == []
