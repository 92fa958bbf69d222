"""Reddit's classic markup (issue 15): detection, the tree recomputed from the page with plain lxml (div.child
nesting), deleted and removed comments, hidden scores, 'load more comments' stubs, and a reply tree that unbalanced
HTML cannot bend."""

from __future__ import annotations

import pytest
from lxml import etree

from harvester.cli import main
from harvester.document import Document
from harvester.engines import detect, reddit
from harvester.model import Page
from tests.conftest import read_jsonl
from tests.samples_support import SAMPLES, foreign_pages

RD = SAMPLES / "reddit"
CASES = ("oldreddit-nested-more", "reddit2014-german-wayback")


def _doc(path) -> Document:
    return Document(Page(source_file=str(path), source_type="html", body=path.read_bytes()))


def _tree(case: str) -> list[tuple[str, str | None, str]]:
    """(fullname, parent fullname from the div.child nesting, data-author) of every comment thing."""
    root = etree.fromstring((RD / case / "page.html").read_bytes(), etree.HTMLParser())
    out = []
    for div in root.iter("div"):
        classes = (div.get("class") or "").split()
        if "thing" not in classes or "comment" not in classes:
            continue
        up = next((a for a in div.iterancestors("div") if "comment" in (a.get("class") or "").split()
                   and "thing" in (a.get("class") or "").split()), None)
        out.append((div.get("data-fullname"), up.get("data-fullname") if up is not None else None,
                    div.get("data-author")))
    return out


@pytest.mark.parametrize("case", CASES)
def test_detected_from_the_page_alone(case):
    assert detect(_doc(RD / case / "page.html")) is reddit


def test_no_other_sample_is_taken_for_reddit():
    for page in foreign_pages("reddit"):
        assert reddit.score(_doc(page)).score < 10, page


@pytest.mark.parametrize("case", CASES)
def test_tree_and_authors_match_the_page(case, tmp_path):
    assert main(["extract", str(RD / case / "page.html"), "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "o" / "posts.jsonl")
    tree = _tree(case)
    assert [(p["id"], p["parent_id"]) for p in posts[1:]] == [(cid, parent) for cid, parent, _ in tree]
    for post, (_cid, _parent, author) in zip(posts[1:], tree, strict=True):
        gone = author == "[deleted]"
        assert post["deleted"] == gone and post["author_name"] == (None if gone else author)
        assert "permalink" not in post["body_text"] and "load more comments" not in post["body_text"]
    assert posts[0]["votes"] > 0 and posts[0]["votes_kind"] == "score"


def test_hidden_scores_and_stubs():
    parsed = reddit.parse(_doc(RD / "oldreddit-nested-more" / "page.html"))
    by_id = {p["id"]: p for p in parsed.posts}
    assert by_id["t1_f0a4f10"]["votes"] is None and by_id["t1_f0a4f10"]["extra"]["score_hidden"]
    assert by_id["t1_f0a2b07"]["extra"]["state"] == "removed"
    assert "t1_f0a3x99" not in by_id  # the morechildren stub is not a comment
    assert parsed.thread["extra"]["incomplete"] is True


def test_a_comment_pushed_into_another_by_bad_html_keeps_its_place(tmp_path):
    """An unclosed <table> in the first comment puts every later comment inside its text: the later ones are
    still their own posts, top-level ones stay top-level (they are not in the first comment's div.child)."""
    html = (RD / "reddit2014-german-wayback" / "page.html").read_text(encoding="utf-8")
    html = html.replace("<p>Bei uns gibt es drei Eimer", "<table><tr><td><p>Bei uns gibt es drei Eimer", 1)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "page.html").write_text(html, encoding="utf-8")
    assert main(["extract", str(tmp_path / "in"), "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    parents = {p["id"]: p["parent_id"] for p in read_jsonl(tmp_path / "o" / "posts.jsonl")}
    assert parents == {"t3_27w9q1": None, "t1_chl2k1a": None, "t1_chl2p0q": "t1_chl2k1a", "t1_chl3a77": None}


def test_todays_shreddit_page_gives_the_tree_from_parentid(tmp_path):
    """2023+ pages: shreddit-comment elements carry thingid, parentid and depth; the tree is theirs, checked here
    against the elements' nesting as a browser builds it."""
    page = RD / "shreddit-2024-gardening" / "page.html"
    assert detect(_doc(page)) is reddit
    assert main(["extract", str(page), "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "o" / "posts.jsonl")
    root = etree.fromstring(page.read_bytes(), etree.HTMLParser())
    nested = {}
    for el in root.iter("shreddit-comment"):
        up = next(el.iterancestors("shreddit-comment"), None)
        nested[el.get("thingid")] = up.get("thingid") if up is not None else None
    assert {p["id"]: p["parent_id"] for p in posts[1:]} == nested
    assert posts[0]["votes"] == 142 and posts[0]["title"] == "Tips for a first allotment?"
    assert sum(p["deleted"] for p in posts) == 1
