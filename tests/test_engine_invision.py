"""Invision Community 4 and 5 (issue 15): detection, posts recomputed from the pages with plain lxml (comment ids,
authors, quoted comment ids, reaction sums), the pager and crawl hints."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from harvester.cli import main
from harvester.document import Document
from harvester.engines import detect, invision
from harvester.model import Page
from tests.conftest import read_jsonl
from tests.samples_support import SAMPLES, foreign_pages

IPS = SAMPLES / "invision"
PAGES = {"ips46-two-pages": ["page.html", "page-2.html"], "ips5-german-wayback": ["page.html"]}
BASE = "https://community.retrocomputing-club.example/topic/8841-replacing-the-psu-in-a-1984-home-computer/"


def _doc(path, url=None) -> Document:
    return Document(Page(source_file=str(path), source_type="html", body=path.read_bytes(), url=url))


def _shown(case: str) -> list[dict]:
    out = []
    for name in PAGES[case]:
        root = etree.fromstring((IPS / case / name).read_bytes(), etree.HTMLParser())
        for art in root.iter("article"):
            if not (art.get("id") or "").startswith("elComment_"):
                continue
            head = next(h for h in art.iter("h3") if {"cAuthorPane_author", "ipsEntry__username"}
                        & set((h.get("class") or "").split()))
            link = next(iter(head.iter("a")), None)
            reactions = [int(s.text) for li in art.iter("li") if "ipsReact_reactCount" in (li.get("class") or "")
                         for s in li.iter("span") if (s.text or "").isdigit()]
            out.append({"id": art.get("id")[10:], "author": "".join(head.itertext()).strip(),
                        "uid": re.search(r"/profile/(\d+)-", link.get("href")).group(1) if link is not None else None,
                        "quoted": [b.get("data-ipsquote-contentcommentid") for b in art.iter("blockquote")],
                        "votes": sum(reactions) if reactions else None})
    return out


@pytest.mark.parametrize("case", sorted(PAGES))
def test_detected_from_the_page_alone(case):
    for name in PAGES[case]:
        assert detect(_doc(IPS / case / name)) is invision


def test_no_other_sample_is_taken_for_invision():
    for page in foreign_pages("invision"):
        assert invision.score(_doc(page)).score < 10, page


@pytest.mark.parametrize("case", sorted(PAGES))
def test_posts_match_what_the_pages_show(case, tmp_path):
    assert main(["extract", *(str(IPS / case / p) for p in PAGES[case]), "-o", str(tmp_path / "o"),
                 "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "o" / "posts.jsonl")
    shown = _shown(case)
    assert [p["id"] for p in posts] == [s["id"] for s in shown]
    for post, seen in zip(posts, shown, strict=True):
        assert post["author_name"] == seen["author"]  # once, though the mobile pane repeats it
        assert post["author_id"] == seen["uid"]
        assert bool(post["extra"].get("anonymous")) == (seen["uid"] is None)
        assert [q["post_id"] for q in post["quotes"]] == seen["quoted"]
        assert post["votes"] == seen["votes"]
        assert "Edited" not in post["body_text"] and post["published_utc"]
    first = posts[0]
    assert first["extra"].get("edited", "").startswith("Edited") or case != "ips46-two-pages"


def test_pager_and_crawl_hints():
    parsed = invision.parse(_doc(IPS / "ips46-two-pages" / "page-2.html", BASE + "page/2/"), records=False)
    assert parsed.thread == {"id": "topic/8841", "url": BASE}
    assert parsed.page_number == 1
    assert parsed.links["pages"] == [BASE]
