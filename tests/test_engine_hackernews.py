"""Hacker News item pages (issue 15): detection, the comment tree rebuilt from the indents with plain lxml, deleted
comments, story points, the 'More' page and a local crawl."""

from __future__ import annotations

import pytest
from lxml import etree

from harvester.capture.crawl import Config, Crawler
from harvester.cli import main
from harvester.document import Document
from harvester.engines import detect, hackernews
from harvester.model import Page
from tests.capture_servers import Server, static_app
from tests.conftest import read_jsonl
from tests.samples_support import SAMPLES, foreign_pages

HN = SAMPLES / "hackernews"
CASES = ("hn-2023-ask-more", "hn-2017-story-wayback")


def _doc(path, url=None) -> Document:
    return Document(Page(source_file=str(path), source_type="html", body=path.read_bytes(), url=url))


def _rows(case: str) -> list[tuple[str, int, str | None]]:
    """(item id, indent level, user) of every comment row: indent from td.ind's spacer width (40 px a level)."""
    root = etree.fromstring((HN / case / "page.html").read_bytes(), etree.HTMLParser())
    out = []
    for tr in root.iter("tr"):
        if "comtr" not in (tr.get("class") or "").split():
            continue
        img = next(td for td in tr.iter("td") if "ind" in (td.get("class") or "").split()).find("img")
        user = next((a.text for a in tr.iter("a") if a.get("class") == "hnuser"), None)
        out.append(("item/" + tr.get("id"), int(img.get("width")) // 40, user))
    return out


@pytest.mark.parametrize("case", CASES)
def test_detected_from_the_page_alone(case):
    assert detect(_doc(HN / case / "page.html")) is hackernews


def test_no_other_sample_is_taken_for_hacker_news():
    for page in foreign_pages("hackernews"):
        assert hackernews.score(_doc(page)).score < 10, page


@pytest.mark.parametrize("case", CASES)
def test_tree_matches_the_indents(case, tmp_path):
    assert main(["extract", str(HN / case / "page.html"), "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "o" / "posts.jsonl")
    rows = _rows(case)
    assert [p["id"] for p in posts[1:]] == [r[0] for r in rows]
    stack: list[str] = []
    for post, (item, level, user) in zip(posts[1:], rows, strict=True):
        del stack[level:]
        assert post["parent_id"] == (stack[-1] if stack else None), item
        assert post["depth"] == level
        assert post["author_name"] == user
        assert post["deleted"] == (user is None)
        assert post["votes"] is None  # readers never see a comment's score
        assert "reply" not in post["body_text"].split()
        stack.append(item)
    assert posts[0]["is_op"] and posts[0]["votes_kind"] == "points" and posts[0]["votes"] > 0


def test_more_link_marks_the_thread_and_gives_the_next_page():
    url = "https://news.ycombinator.com/item?id=35812044"
    parsed = hackernews.parse(_doc(HN / "hn-2023-ask-more" / "page.html", url), zone=None)
    assert parsed.thread["extra"]["incomplete"] is True and parsed.pages_total == 2
    assert parsed.links["pages"] == [url + "&p=2"]


def test_local_crawl_follows_more(tmp_path):
    case = HN / "hn-2023-ask-more"
    second = (case / "page.html").read_text(encoding="utf-8")
    # page 2 of the same item: other comments, no "More"
    second = second.replace('<a href="item?id=35812044&amp;p=2" class="morelink" rel="next">More</a>', "")
    for old, new in (("35812311", "35815001"), ("35812502", "35815002"), ("35812990", "35815003"),
                     ("35813120", "35815004"), ("35813455", "35815005"), ("35814002", "35815006")):
        second = second.replace(old, new)
    routes = {"/item?id=35812044": (case / "page.html").read_bytes(), "/item?id=35812044&p=2": second.encode()}

    with Server(static_app(routes)) as server:
        cfg = Config(seeds=[server.url("/item?id=35812044")], output=str(tmp_path / "crawl"), scope="thread",
                     delay=0, requisites=False, loopback_only=True)
        Crawler(cfg, sleep=lambda s: None).run()
        log = [p for p in server.log if p != "/robots.txt"]
    assert "/item?id=35812044&p=2" in log
    assert not any(p.startswith(("/vote", "/reply", "/hide", "/fave", "/login")) for p in log), log
    assert main(["extract", str(tmp_path / "crawl"), "-o", str(tmp_path / "ds"), "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "ds" / "posts.jsonl")
    assert len(posts) == 1 + 6 + 6
