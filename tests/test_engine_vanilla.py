"""Vanilla 2.x (issue 15): detection, posts recomputed from the pages with plain lxml (ids, authors, reaction counts,
quoted authors), the repeated discussion counted once, and the pager."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from harvester.cli import main
from harvester.document import Document
from harvester.engines import detect, vanilla
from harvester.model import Page
from tests.conftest import read_jsonl
from tests.samples_support import SAMPLES, foreign_pages

VAN = SAMPLES / "vanilla"
PAGES = {"vanilla28-two-pages": ["page.html", "page-2.html"], "vanilla-french-wayback": ["page.html"]}


def _doc(path, url=None) -> Document:
    return Document(Page(source_file=str(path), source_type="html", body=path.read_bytes(), url=url))


def _shown(case: str) -> dict[str, dict]:
    out = {}
    for name in PAGES[case]:
        root = etree.fromstring((VAN / case / name).read_bytes(), etree.HTMLParser())
        for el in root.iter("div", "li"):
            ident = el.get("id") or ""
            if not (ident.startswith("Discussion_") or ident.startswith("Comment_")):
                continue
            user = next(a.text for a in el.iter("a") if a.get("class") == "Username")
            counts = [int(s.text) for s in el.iter("span") if s.get("class") == "Count"]
            quoted = [a.text for q in el.iter("blockquote") for d in q.iter("div")
                      if d.get("class") == "QuoteAuthor" for a in d.iter("a")]
            key = ("discussion/" if ident.startswith("Discussion_") else "comment/") + ident.split("_")[1]
            out[key] = {"author": user, "votes": sum(counts) if counts else None, "quoted": quoted}
    return out


@pytest.mark.parametrize("case", sorted(PAGES))
def test_detected_from_the_page_alone(case):
    for name in PAGES[case]:
        assert detect(_doc(VAN / case / name)) is vanilla


def test_no_other_sample_is_taken_for_vanilla():
    for page in foreign_pages("vanilla"):
        assert vanilla.score(_doc(page)).score < 10, page


@pytest.mark.parametrize("case", sorted(PAGES))
def test_posts_match_what_the_pages_show(case, tmp_path):
    assert main(["extract", *(str(VAN / case / p) for p in PAGES[case]), "-o", str(tmp_path / "o"),
                 "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "o" / "posts.jsonl")
    shown = _shown(case)
    assert sorted(p["id"] for p in posts) == sorted(shown)  # the discussion repeated on page 2 is one post
    assert posts[0]["id"].startswith("discussion/") and posts[0]["is_op"]
    for post in posts:
        seen = shown[post["id"]]
        assert post["author_name"] == seen["author"] and post["author_id"] == seen["author"]
        assert post["votes"] == seen["votes"]
        assert [q["author"] for q in post["quotes"]] == seen["quoted"]
        assert post["published_utc"] and post["parent_id"] is None


def test_pager_hints():
    url = "https://forum.riverside-growers.example/discussion/3051/leaf-curl-on-peach-trees/p2"
    parsed = vanilla.parse(_doc(VAN / "vanilla28-two-pages" / "page-2.html", url), records=False)
    assert parsed.page_number == 1
    assert parsed.thread["url"] == url.rsplit("/", 1)[0]
    assert parsed.links["pages"] == [url.rsplit("/", 1)[0] + "/p1"]


def test_local_crawl_follows_the_pager(tmp_path):
    from tests.capture_servers import crawl_sample

    case = SAMPLES / "vanilla" / "vanilla28-two-pages"
    first = "/discussion/3051/leaf-curl-on-peach-trees"
    # the pager links page 1 as /p1, Vanilla's other address of the first page: fetched, and merged
    pages = {first: (case / "page.html").read_bytes(), first + "/p2": (case / "page-2.html").read_bytes(),
             first + "/p1": (case / "page.html").read_bytes()}
    fetched = crawl_sample(tmp_path / "crawl", "https://forum.riverside-growers.example", pages)
    assert fetched == [first, first + "/p1", first + "/p2"]
    assert main(["extract", str(tmp_path / "crawl"), "-o", str(tmp_path / "ds"), "--no-progress"]) == 0
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    assert [p["id"] for p in read_jsonl(tmp_path / "ds" / "posts.jsonl")] == [p["id"] for p in expected["posts"]]
