"""WordPress comments (issue 15): detection, the reply tree recomputed from the page's nesting (the engine reads
the depth-N classes), registered and unregistered commenters, pingbacks, comment pages and a local crawl."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from harvester.capture.crawl import Config, Crawler
from harvester.cli import main
from harvester.document import Document
from harvester.engines import detect, wordpress
from harvester.model import Page
from tests.capture_servers import Server, static_app
from tests.conftest import read_jsonl
from tests.samples_support import SAMPLES, foreign_pages

WP = SAMPLES / "wordpress"
PAGES = {"wp-twentytwentyone-two-pages": ["page.html", "page-2.html"], "wp-block-theme-french-wayback": ["page.html"]}
POST = "https://beekeeping-notes.example.org/2021/04/swarm-season-is-early-this-year/"


def _doc(path, url=None) -> Document:
    return Document(Page(source_file=str(path), source_type="html", body=path.read_bytes(), url=url))


def _tree(case: str) -> list[tuple[str, str | None, bool]]:
    """(comment id, parent from the li nesting, registered) for every li#comment-N of the pages, in order."""
    out = []
    for name in PAGES[case]:
        root = etree.fromstring((WP / case / name).read_bytes(), etree.HTMLParser())
        for li in root.iter("li"):
            if not re.fullmatch(r"comment-\d+", li.get("id") or ""):
                continue
            up = next((a for a in li.iterancestors("li") if re.fullmatch(r"comment-\d+", a.get("id") or "")), None)
            out.append(("comment/" + li.get("id")[8:], "comment/" + up.get("id")[8:] if up is not None else None,
                        "byuser" in li.get("class").split()))
    return out


@pytest.mark.parametrize("case", sorted(PAGES))
def test_detected_from_the_page_alone(case):
    for name in PAGES[case]:
        assert detect(_doc(WP / case / name)) is wordpress


def test_no_other_sample_is_taken_for_wordpress():
    for page in foreign_pages("wordpress"):
        assert detect(_doc(page)) is not wordpress, page


@pytest.mark.parametrize("case", sorted(PAGES))
def test_reply_tree_matches_the_nesting(case, tmp_path):
    assert main(["extract", *(str(WP / case / p) for p in PAGES[case]), "-o", str(tmp_path / "o"),
                 "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "o" / "posts.jsonl")
    assert posts[0]["is_op"] and posts[0]["id"].startswith("post/")
    comments = posts[1:]
    tree = _tree(case)
    assert [(p["id"], p["parent_id"]) for p in comments] == [(cid, parent) for cid, parent, _ in tree]
    depth = {}
    for post in comments:  # depth recomputed from the parents
        depth[post["id"]] = 0 if post["parent_id"] is None else depth[post["parent_id"]] + 1
        assert post["depth"] == depth[post["id"]]
    for post, (_cid, _parent, registered) in zip(comments, tree, strict=True):
        assert bool(post["extra"].get("anonymous")) == (not registered)
        assert "says:" not in post["body_text"] and "Reply" not in post["body_text"]
        assert "Répondre" not in post["body_text"]
    threads = read_jsonl(tmp_path / "o" / "threads.jsonl")
    assert threads[0]["reply_count"] == len(comments)  # the heading's count equals the comments found


def test_registered_author_and_pingback(tmp_path):
    case = WP / "wp-twentytwentyone-two-pages"
    assert main(["extract", str(case / "page.html"), str(case / "page-2.html"), "-o", str(tmp_path / "o"),
                 "--no-progress"]) == 0
    posts = {p["id"]: p for p in read_jsonl(tmp_path / "o" / "posts.jsonl")}
    assert posts["comment/733"]["author_id"] == "ruth" and posts["comment/733"]["extra"]["by_post_author"]
    ping = posts["comment/747"]
    assert ping["extra"]["ping"] == "pingback"
    assert ping["author_url"] == "https://marches-beekeepers.example.org/2021/04/early-swarms/"
    assert posts["comment/731"]["author_url"] == "http://owenbees.example.net/"


def test_comment_page_hints():
    parsed = wordpress.parse(_doc(WP / "wp-twentytwentyone-two-pages" / "page.html", POST + "comment-page-1/"),
                             records=False)
    assert parsed.thread == {"id": "post/412", "url": POST}
    assert parsed.links["pages"] == [POST + "comment-page-2/"]


def test_local_crawl_of_the_comment_pages(tmp_path):
    case = WP / "wp-twentytwentyone-two-pages"
    routes: dict[str, bytes] = {}

    with Server(static_app(routes)) as server:
        def local(name):
            return (case / name).read_text(encoding="utf-8").replace(
                "https://beekeeping-notes.example.org", server.base).encode()
        path = "/2021/04/swarm-season-is-early-this-year/"
        routes.update({path: local("page.html"), path + "comment-page-1/": local("page.html"),
                       path + "comment-page-2/": local("page-2.html")})
        cfg = Config(seeds=[server.url(path)], output=str(tmp_path / "crawl"), scope="thread", delay=0,
                     requisites=False, loopback_only=True)
        Crawler(cfg, sleep=lambda s: None).run()
        log = [p for p in server.log if p != "/robots.txt"]
    assert path + "comment-page-2/" in log
    assert not any("replytocom" in p for p in log), log
    assert main(["extract", str(tmp_path / "crawl"), "-o", str(tmp_path / "ds"), "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "ds" / "posts.jsonl")
    assert [p["id"] for p in posts[1:]] == [cid for cid, _p, _r in _tree("wp-twentytwentyone-two-pages")]
