"""The shared engine toolkit: counts, ids, dates from attributes, quotes, pagers, detection and `detect`."""

import json

import pytest

from harvester.document import Document
from harvester.engines import toolkit
from harvester.engines.toolkit import Layout, Sign, count, has_class, page_of, people_count
from harvester.model import Page


@pytest.mark.parametrize("shown, expect", [
    ("Likes: 5", 5), ("1,234 posts", 1234), ("1.234 Beiträge", 1234), ("12 345 messages", 12345),
    ("1.2k", 1200), ("3M views", 3_000_000), ("no number", None), ("", None), (None, None),
    ("9" * 40, None),  # no forum shows a 40-digit count: a hostile page must not size anything with it
])
def test_count(shown, expect):
    assert count(shown) == expect


@pytest.mark.parametrize("shown, expect", [
    ("Anna, Bert and 12 others like this.", 14), ("Anna and Bert like this.", 2), ("Anna likes this.", 1),
    ("Anna, Bert, Carl", 3), ("Anna und 3 andere", 4), ("", None),
])
def test_people_count(shown, expect):
    assert people_count(shown) == expect


def test_page_of_in_board_languages():
    assert page_of("Page 2 of 34") == (2, 34)
    assert page_of("Seite 3 von 7") == (3, 7)
    assert page_of("Страница 1 из 5") == (1, 5)
    assert page_of("Pagina 4 di 9") == (4, 9)
    assert page_of("no pager here") == (None, None)


def test_epoch_and_query_helpers():
    assert toolkit.epoch_to_iso("1335446285") == "2012-04-26T13:18:05Z"
    assert toolkit.epoch_to_iso("99999999999999999999") is None and toolkit.epoch_to_iso("x") is None
    assert toolkit.query_value("http://f.example/index.php?action=profile;u=42", "u") == "42"
    assert toolkit.query_value("http://f.example/viewtopic.php?t=7&start=20", "start") == "20"


BOARD = """<html><head><meta name="generator" content="ExampleBoard 2"></head><body>
<div class="crumbs"><a href="/">Home</a> &raquo; <a href="/forum/3">Gardening</a></div>
<p class="pagination">Page 1 of 2 <a href="/topic/9?page=2">2</a></p>
<div class="post" id="p101"><a class="username" href="/member.php?u=7">Anna</a>
 <span class="date"><time datetime="2012-04-26T13:18:05+02:00">26 Apr 2012</time></span>
 <span class="rank">Seedling</span><span class="count">Posts: 1,204</span>
 <div class="content"><p>First <b>post</b>.</p><div class="signature">my sig</div></div>
 <div class="likes">Bert, Carl and 3 others like this</div></div>
<div class="post" id="p102"><span class="username">Guest</span>
 <span class="date" data-time="1335450000">x</span>
 <div class="content"><blockquote><cite><a href="/post/101">Anna wrote:</a></cite>First post.</blockquote>
 <p>Agreed.</p><p class="edit">Last edited by Guest on 27 Apr</p></div></div>
</body></html>"""

LAYOUT = Layout(
    post=f"/descendant::div[{has_class('post')}]", post_id="@id",
    author=f"descendant::*[{has_class('username')}]", profile_id_re=r"[?&]u=(\d+)",
    date=f"descendant::*[{has_class('date')}]/time | descendant::*[{has_class('date')}][@data-time]",
    body=f"descendant::div[{has_class('content')}]", junk=f"descendant::*[{has_class('signature')}]",
    edited=f"descendant::*[{has_class('edit')}]", quote="descendant::blockquote", quote_author="cite",
    quote_author_re=r"^(.*?) wrote", quote_post_id="cite/a/@href", votes=f"descendant::*[{has_class('likes')}]",
    votes_kind="likes", votes_people=True,
    facts=(("user_title", f"descendant::*[{has_class('rank')}]"),
           ("post_count_shown", f"descendant::*[{has_class('count')}]")),
)


def _doc(html=BOARD):
    return Document(Page(source_file="t.html", source_type="html", body=html.encode(),
                         url="http://f.example/topic/9"))


def test_read_posts_from_a_layout():
    doc = _doc()
    a, b = toolkit.read_posts(doc, LAYOUT)
    assert (a["id"], a["author_name"], a["author_id"], a["author_url"]) == (
        "101", "Anna", "7", "http://f.example/member.php?u=7")
    assert a["_iso"] == "2012-04-26T13:18:05+02:00" and a["published_raw"] == "26 Apr 2012"
    assert a["body_text"] == "First post." and "sig" not in a["body_html"]  # the signature is not the post
    assert (a["votes"], a["votes_kind"]) == (5, "likes")
    assert a["author_facts"] == {"user_title": "Seedling", "post_count_shown": 1204}
    assert b["extra"]["anonymous"] is True and b["author_id"] is None
    assert b["_iso"] == "2012-04-26T14:20:00Z"  # from the epoch attribute
    assert b["quotes"] == [{"author": "Anna", "text": "First post.", "post_id": "101"}]
    assert b["extra"]["edited"] == "Last edited by Guest on 27 Apr" and "edited" not in b["body_text"]


def test_page_finishes_dates_and_marks_the_opening_post():
    doc = _doc()
    posts = toolkit.read_posts(doc, LAYOUT)
    parsed = toolkit.page(doc, None, {"id": "topic/9", "url": doc.url}, posts, pages_total=2)
    assert [p["is_op"] for p in parsed.posts] == [True, False]
    assert parsed.thread["created_utc"] == "2012-04-26T11:18:05Z"
    assert parsed.thread["author_name"] == "Anna" and parsed.pages_total == 2
    assert all(p["thread_id"] == "topic/9" and p["depth"] == 0 for p in parsed.posts)


def test_score_sums_the_signs_seen():
    signs = (Sign("generator", 10, "/html/head/meta[@name='generator'][contains(@content,'ExampleBoard')]",
                  version="2"),
             Sign("post ids", 4, "/descendant::div[starts-with(@id,'p1')]"),
             Sign("never", 50, needle="no-such-text"))
    found = toolkit.score(_doc(), "exampleboard", signs)
    assert (found.score, found.version, found.signs) == (14, "2", ["generator", "post ids"])


def test_detect_command_prints_engine_score_and_signs(tmp_path, capsys):
    from harvester.cli import main
    from tests.samples_support import SAMPLES

    (tmp_path / "not-a-forum.html").write_text("<html><body><p>Hello</p></body></html>")
    code = main(["detect", "--json", str(SAMPLES / "drupal" / "d7-bartik"), str(tmp_path)])
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 0
    assert rows[0]["engine"] == "drupal" and rows[0]["score"] >= toolkit.CLAIM and rows[0]["signs"]
    assert rows[1]["engine"] is None and rows[1]["score"] < toolkit.CLAIM


def test_escaped_body_takes_back_text_up_to_the_furniture():
    """A stray </div> closed the body: the words after it, not the signature, belong to the post."""
    from lxml import html as lxml_html

    post = lxml_html.fromstring(
        '<div class="post"><div class="box"><div class="body"></div></div>Escaped <b>words</b>'
        '<p>and more</p><div class="signature">sig</div><p>after</p></div>')
    body = post.xpath("descendant::div[@class='body']")[0]
    box = toolkit.escaped_body(post, body, toolkit.furniture(frozenset({"signature"})))
    assert toolkit.squash(toolkit.text_content(box)) == "Escaped wordsand more"
    assert "sig" not in toolkit.text_content(box)
    assert toolkit.escaped_body(post, post.xpath("descendant::div[@class='signature']")[0],
                                toolkit.furniture(frozenset({"nothing"}))) is not None
    whole = lxml_html.fromstring('<div><div class="body">all here</div><div class="signature">s</div></div>')
    assert toolkit.escaped_body(whole, whole[0], toolkit.furniture(frozenset({"signature"}))) is None


def test_union_branches_split_only_at_top_level():
    from harvester.engines.toolkit import union_branches

    assert union_branches("a | b[x='|'] | (c|d)[1] | e[f|g]") == ("a", "b[x='|']", "(c|d)[1]", "e[f|g]")
    assert union_branches("descendant::a") == ("descendant::a",)


def test_first_of_a_union_is_the_earliest_in_document_order():
    """Branches are evaluated apart (libxml2's union merge is quadratic); the answer is still XPath's."""
    from lxml import etree

    from harvester.engines.toolkit import first

    root = etree.fromstring("<html><body><div><p id='a'/><b id='b'/></div><i id='c'/><p id='d'/></body></html>",
                            etree.HTMLParser())
    for expr in ("//i | //b | //p", "//i | //p", "//p[2] | //i", "//u | //i"):
        assert first(root, expr) is etree.XPath(expr)(root)[0], expr
    assert first(root, "//u | //v") is None
    assert first(root, "//u/@id | //i/@id") == "c"
