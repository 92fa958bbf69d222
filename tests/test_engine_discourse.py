"""Discourse crawler view (issue 15): detection, posts recomputed from the pages with plain lxml (numbers, authors,
likes, quoted post numbers), the next-page link and a local crawl."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from harvester.capture.crawl import Config, Crawler
from harvester.cli import main
from harvester.document import Document
from harvester.engines import detect, discourse
from harvester.model import Page
from tests.capture_servers import Server, static_app
from tests.conftest import read_jsonl
from tests.samples_support import SAMPLES, foreign_pages

DC = SAMPLES / "discourse"
PAGES = {"discourse24-two-pages": ["page.html", "page-2.html"], "discourse3-german-wayback": ["page.html"]}
BASE = "https://forum.openmapcrafters.example"


def _doc(path, url=None) -> Document:
    return Document(Page(source_file=str(path), source_type="html", body=path.read_bytes(), url=url))


def _shown(case: str) -> list[dict]:
    out = []
    for name in PAGES[case]:
        root = etree.fromstring((DC / case / name).read_bytes(), etree.HTMLParser())
        topic = re.search(r"/t/[^/]+/(\d+)", root.find(".//link[@rel='canonical']").get("href")).group(1)
        for div in root.iter("div"):
            if "crawler-post" not in (div.get("class") or "").split():
                continue
            number = next(s.text for s in div.iter("span") if s.get("itemprop") == "position")
            name = next(s.text for s in div.iter("span") if s.get("itemprop") == "name")
            likes = next(m.get("content") for m in div.iter("meta") if m.get("itemprop") == "userInteractionCount")
            quoted = [f"t/{topic}/{a.get('data-post')}" for a in div.iter("aside")]
            out.append({"id": f"t/{topic}/{number.strip()}", "author": name, "likes": int(likes), "quoted": quoted})
    return out


@pytest.mark.parametrize("case", sorted(PAGES))
def test_detected_from_the_page_alone(case):
    for name in PAGES[case]:
        assert detect(_doc(DC / case / name)) is discourse


def test_no_other_sample_is_taken_for_discourse():
    for page in foreign_pages("discourse"):
        assert discourse.score(_doc(page)).score < 10, page


@pytest.mark.parametrize("case", sorted(PAGES))
def test_posts_match_what_the_pages_show(case, tmp_path):
    assert main(["extract", *(str(DC / case / p) for p in PAGES[case]), "-o", str(tmp_path / "o"),
                 "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "o" / "posts.jsonl")
    shown = _shown(case)
    assert [p["id"] for p in posts] == [s["id"] for s in shown]
    for post, seen in zip(posts, shown, strict=True):
        assert post["author_name"] == seen["author"]
        assert post["votes"] == seen["likes"] and post["votes_kind"] == "likes"
        assert [q["post_id"] for q in post["quotes"]] == seen["quoted"]
        assert post["published_utc"] is not None
    assert posts[0]["is_op"] and not any(p["is_op"] for p in posts[1:])


def test_first_post_time_is_its_publication_not_its_edit(tmp_path):
    assert main(["extract", str(DC / "discourse24-two-pages" / "page.html"), "-o", str(tmp_path / "o"),
                 "--no-progress"]) == 0
    op = read_jsonl(tmp_path / "o" / "posts.jsonl")[0]
    assert op["published_utc"] == "2020-07-14T08:12:40Z"  # datePublished; the visible time is dateModified


def test_local_crawl_follows_the_next_page(tmp_path):
    case = DC / "discourse24-two-pages"
    routes: dict[str, bytes] = {}

    with Server(static_app(routes)) as server:
        def local(name):
            return (case / name).read_text(encoding="utf-8").replace(BASE, server.base).encode()
        path = "/t/offline-tiles-for-field-surveys/4127"
        routes.update({path: local("page.html"), path + "?page=2": local("page-2.html")})
        cfg = Config(seeds=[server.url(path)], output=str(tmp_path / "crawl"), scope="thread", delay=0,
                     requisites=False, loopback_only=True)
        Crawler(cfg, sleep=lambda s: None).run()
        log = [p for p in server.log if p != "/robots.txt"]
    assert path + "?page=2" in log
    assert main(["extract", str(tmp_path / "crawl"), "-o", str(tmp_path / "ds"), "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "ds" / "posts.jsonl")
    assert [p["id"] for p in posts] == [s["id"] for s in _shown("discourse24-two-pages")]
