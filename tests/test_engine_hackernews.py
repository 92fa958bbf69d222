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


# Item pages as HN served them in 2015: no table.fatitem, rows without comtr or ids (the id is in the vote
# arrow and the item link), authors without the hnuser class, the age only as the item link's text, the Ask
# text in the fourth row of the story's table. Names, ids and text invented.
HN_2015 = """<html op="item"><head><title>Ask HN: Which lamp oil burns cleanest? | Hacker News</title></head>
<body><center><table id="hnmain"><tr><td bgcolor="#ff6600"><table><tr><td><a href="http://www.ycombinator.com">
<img src="y18.gif" width="18" height="18"></a></td><td><span class="pagetop"><b><a href="news">Hacker News</a></b>
</span></td></tr></table></td></tr>
<tr style="height:10px"></tr><tr><td>
  <table border="0">
    <tr class='athing'><td align="right" valign="top" class="title"><span class="rank"></span></td>
      <td><center><a id="up_7000100" href="vote?for=7000100&amp;dir=up&amp;goto=item%3Fid%3D7000100">
      <div class="votearrow"></div></a></center></td>
      <td class="title"><span class="deadmark"></span>
      <a href="item?id=7000100">Ask HN: Which lamp oil burns cleanest?</a></td></tr>
    <tr><td colspan="2"></td><td class="subtext"><span class="score" id="score_7000100">12 points</span>
      by <a href="user?id=wickwright">wickwright</a> <a href="item?id=7000100">2 hours ago</a> |
      <a href="item?id=7000100">3 comments</a></td></tr>
    <tr style="height:2px"></tr>
    <tr><td colspan="2"></td><td>Our workshop smokes every evening.<p>What do you burn?</td></tr>
    <tr style="height:10px"></tr><tr><td colspan="2"></td><td><form method="post" action="comment">
      <textarea name="text"></textarea></form></td></tr>
  </table><br><br>
  <table border="0">
    <tr class='athing'><td><table border="0"><tr><td class='ind'><img src="s.gif" height="1" width="0"></td>
      <td valign="top"><center><a id="up_7000111" href="vote?for=7000111&amp;dir=up">
      <div class="votearrow"></div></a></center></td>
      <td class="default"><div><span class="comhead"><a href="user?id=tallowmoth">tallowmoth</a>
        <a href="item?id=7000111">1 hour ago</a> <span class="par"></span></span></div><br><span class="comment">
        <span class="c00">Colza oil, filtered twice.<span></span><div class='reply'><p><font size="1">
        <u><a href="reply?id=7000111">reply</a></u></font></div></td></tr></table></td></tr>
    <tr class='athing'><td><table border="0"><tr><td class='ind'><img src="s.gif" height="1" width="40"></td>
      <td valign="top"><center><a id="up_7000123" href="vote?for=7000123&amp;dir=up">
      <div class="votearrow"></div></a></center></td>
      <td class="default"><div><span class="comhead"><a href="user?id=wickwright">wickwright</a>
        <a href="item?id=7000123">50 minutes ago</a> <span class="par"></span></span></div><br><span class="comment">
        <span class="c00">Twice through what?<span></span><div class='reply'><p><font size="1">
        <u><a href="reply?id=7000123">reply</a></u></font></div></td></tr></table></td></tr>
    <tr class='athing'><td><table border="0"><tr><td class='ind'><img src="s.gif" height="1" width="0"></td>
      <td valign="top"><center><a id="up_7000131" href="vote?for=7000131&amp;dir=up">
      <div class="votearrow"></div></a></center></td>
      <td class="default"><div><span class="comhead"><a href="user?id=emberline">emberline</a>
        <a href="item?id=7000131">5 minutes ago</a> <span class="par"></span></span></div><br><span class="comment">
        <span class="c00">Beeswax candles instead.<span></span><div class='reply'><p><font size="1">
        <u><a href="reply?id=7000131">reply</a></u></font></div></td></tr></table></td></tr>
  </table>
</td></tr></table></center></body></html>"""


def test_2015_item_page_without_fatitem_or_row_ids(tmp_path):
    """A real 2015 item page (and a 2016 one with ids but no fatitem) was skipped as 'without an item'."""
    page = tmp_path / "item.html"
    page.write_text(HN_2015)
    assert detect(_doc(page)) is hackernews
    assert main(["extract", str(page), "-o", str(tmp_path / "o"), "--no-progress", "--site-url",
                 "https://news.ycombinator.com/"]) == 0
    posts = read_jsonl(tmp_path / "o" / "posts.jsonl")
    assert [(p["id"], p["parent_id"], p["depth"], p["author_name"]) for p in posts] == [
        ("item/7000100", None, 0, "wickwright"),
        ("item/7000111", None, 0, "tallowmoth"),
        ("item/7000123", "item/7000111", 1, "wickwright"),
        ("item/7000131", None, 0, "emberline"),
    ]
    op = posts[0]
    assert op["title"] == "Ask HN: Which lamp oil burns cleanest?" and op["votes"] == 12
    assert op["body_text"].startswith("Our workshop smokes every evening.")
    assert posts[1]["body_text"] == "Colza oil, filtered twice."  # the reply link is not text
    assert posts[2]["published_raw"] == "50 minutes ago"  # no capture time: the age stays as shown
    thread = read_jsonl(tmp_path / "o" / "threads.jsonl")[0]
    assert thread["id"] == "item/7000100" and thread["reply_count"] == 3


def _hn_2013_comment(item: int, level: int, user: str, age: str, words: str, wrap: str = " ") -> str:
    """One comment row as 2008-2014 pages print it (invented): no classes on the rows or the user link, the depth
    only as the spacer's width, the age as plain text in the head."""
    return (f'<tr><td><table border=0><tr><td><img src="/images/s.gif" height=1 width={level * 40}></td>'
            f'<td valign=top><center><a id=up_{item} href="vote?for={item}&dir=up&whence=item"><img src="/images/'
            f'grayarrow.gif"></a><span id=down_{item}></span></center></td><td class="default"><div style="margin-top:'
            f'2px">\n<span{wrap}class="comhead"><a href="user?id={user}">{user}</a> {age}  | <a href="item?id={item}">'
            f'link</a></span></div><br>\n<span class="comment"><font color=#000000>{words}</font></span><p><font '
            f'size=1><u><a href="reply?id={item}&whence=item">reply</a></u></font></td></tr></table></td></tr>')


HN_2013 = (
    '<html><head><link rel="stylesheet" type="text/css" href="http://ycombinator.com/news.css"><title>Ask HN: Is '
    'tallow better than wax? | Hacker News</title></head><body><center><table border=0 width="85%"><tr><td '
    'bgcolor=#ff6600><table border=0><tr><td><a href="http://ycombinator.com"><img src="http://ycombinator.com/'
    'images/y18.gif"></a></td><td><span class="pagetop"><b><a href="news">Hacker News</a></b></span></td></tr>'
    '</table></td></tr><tr><td><table border=0><tr><td><center><a id=up_6000100 href="vote?for=6000100&dir=up&'
    'whence=item"><img src="/images/grayarrow.gif"></a></center></td><td class="title"><a href="item?id=6000100">'
    'Ask HN: Is tallow better than wax?</a></td></tr><tr><td colspan=1></td><td class="subtext"><span id='
    'score_6000100>17 points</span> by <a href="user?id=wickwright">wickwright</a> 5 hours ago  | <a href="item?id='
    '6000100">4 comments</a></td></tr><tr style="height:2px"></tr><tr><td></td><td>We burn both in the shop.</td>'
    '</tr><tr style="height:10px"></tr><tr><td></td><td><form method=post action="/r"><textarea name="text">'
    '</textarea></form></td></tr></table><br><br><table border=0>'
    + _hn_2013_comment(6000111, 0, "tallowmoth", "4 hours ago", "Tallow smokes more.")
    + _hn_2013_comment(6000123, 1, "wickwright", "3 hours ago", "Not with a good wick.", wrap="\n    ")
    + _hn_2013_comment(6000124, 2, "emberline", "2 hours ago", "Which wick?")
    + _hn_2013_comment(6000131, 0, "emberline", "1 hour ago", "Wax, for the smell.")
    + '</table><br><table><tr><td><a href="/x?fnid=Ab3dE5" rel="nofollow">More</a></td></tr></table>'
    '</td></tr></table></center></body></html>')


def test_2013_item_page_without_classes_or_ids(tmp_path):
    """Item pages before 2014 (real ones of 2012-2013 were not even detected): the story from the title row and its
    subtext (span#score_N, the age as text), comments from td.default rows with the depth in the spacer's width,
    ids from the vote arrows; the one-time '/x?fnid=' More link marks the thread incomplete but is not crawled."""
    page = tmp_path / "item.html"
    page.write_text(HN_2013)
    assert detect(_doc(page)) is hackernews
    parsed = hackernews.parse(_doc(page), zone=None)
    assert [(p["id"], p["parent_id"], p["depth"], p["author_name"], p["published_raw"]) for p in parsed.posts] == [
        ("item/6000100", None, 0, "wickwright", "5 hours ago"),
        ("item/6000111", None, 0, "tallowmoth", "4 hours ago"),
        ("item/6000123", "item/6000111", 1, "wickwright", "3 hours ago"),
        ("item/6000124", "item/6000123", 2, "emberline", "2 hours ago"),
        ("item/6000131", None, 0, "emberline", "1 hour ago"),
    ]
    op = parsed.posts[0]
    assert op["title"] == "Ask HN: Is tallow better than wax?" and op["votes"] == 17
    assert op["body_text"] == "We burn both in the shop." and "story_url" not in op["extra"]
    assert [p["body_text"] for p in parsed.posts[1:3]] == ["Tallow smokes more.", "Not with a good wick."]
    assert parsed.thread["reply_count"] == 4 and parsed.thread["extra"]["incomplete"] is True
    assert parsed.links["pages"] == []  # an fnid link expires: nothing to crawl


def test_ask_hn_title_made_absolute_is_not_a_story_link(tmp_path):
    """A saved page whose links were made absolute: the Ask HN title links to the item itself, not to a story."""
    html = (HN / "hn-2023-ask-more" / "page.html").read_text(encoding="utf-8")
    assert '<span class="titleline"><a href="item?id=35812044">' in html
    html = html.replace('<span class="titleline"><a href="item?id=35812044">',
                        '<span class="titleline"><a href="https://news.ycombinator.com/item?id=35812044">')
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    op = hackernews.parse(_doc(tmp_path / "page.html"), zone=None).posts[0]
    assert op["title"] and "story_url" not in op["extra"]
