"""Every sample page gives exactly its expected records, and agrees with the facts its author wrote down."""

import json

import pytest

from harvester.text import squash
from tests.samples_support import cases, differences, run_case

CASES = cases()


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    cache = {}

    def get(case):
        if case not in cache:
            cache[case] = run_case(case, tmp_path_factory.mktemp(case.name) / "dataset")
        return cache[case]

    return get


def test_there_are_samples():
    assert len(CASES) >= 8


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_sample_matches_expected(case, results):
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    actual = results(case)
    diffs = []
    for table in ("threads", "posts", "participants"):
        diffs += differences(expected[table], actual[table], table)
    assert not diffs, "\n".join(diffs)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_sample_agrees_with_its_facts(case, results):
    """The facts in meta.json were written from the page, independently of the parser."""
    facts = json.loads((case / "meta.json").read_text(encoding="utf-8"))["facts"]
    actual = results(case)
    if "skipped" in facts:  # a page that is not a discussion: no engine may turn it into posts
        assert actual["captures"] and all(c["status"] == "skipped" and facts["skipped"] in c["reason"]
                                          for c in actual["captures"])
        assert actual["threads"] == actual["posts"] == actual["participants"] == []
        return
    assert all(c["status"] == "ok" for c in actual["captures"])
    thread = actual["threads"][0]
    assert len(actual["threads"]) == 1
    for key in ("id", "title", "board", "author_name", "pages_total"):
        if key in facts["thread"]:
            assert thread[key] == facts["thread"][key], key
    assert thread["reply_count"] == facts["thread"].get("reply_count_shown")
    posts = actual["posts"]
    assert [p["id"] for p in posts] == [f["id"] for f in facts["posts"]]
    for post, fact in zip(posts, facts["posts"], strict=True):
        for key in ("parent_id", "depth", "author_name", "author_id", "published_raw", "votes", "votes_raw"):
            if key in fact:
                assert post[key] == fact[key], f"{post['id']}.{key}"
        assert squash(post["body_text"]).startswith(squash(fact["body_starts"])), post["id"]
        assert bool(post["extra"].get("anonymous")) == fact.get("anonymous", False), post["id"]
    members = [p["name"] for p in actual["participants"] if "member" in p["roles"]]
    assert members == facts.get("members", [])


def test_readme_main_job_on_all_samples(tmp_path):
    """The README's first command: every sample together, exit 0, a dataset that validates."""
    from harvester.cli import main
    from harvester.validate import validate_dataset
    from tests.samples_support import SAMPLES

    out = tmp_path / "dataset"
    assert main(["extract", str(SAMPLES), "--output", str(out), "--no-progress"]) == 0
    checked, problems = validate_dataset(str(out))
    assert problems == [] and checked > 100
    threads = [json.loads(line) for line in (out / "threads.jsonl").read_text().splitlines()]
    seed = next(t for t in threads if t["id"] == "node/1417")
    # the seed page and its Wayback capture are two captures of one thread
    assert seed["captures_seen"] == 2 and seed["last_seen"] == "2012-11-05T17:30:12Z"
