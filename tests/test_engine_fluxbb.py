"""FluxBB 1.2-1.5 and PunBB 1.2 (issue 15): detection, posts recomputed from the pages with plain lxml, the pager,
crawl hints and a local crawl."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from harvester.capture.crawl import Config, Crawler
from harvester.cli import main
from harvester.document import Document
from harvester.engines import detect, fluxbb
from harvester.model import Page
from tests.capture_servers import Server, static_app
from tests.conftest import read_jsonl
from tests.samples_support import SAMPLES, foreign_pages

FLUX = SAMPLES / "fluxbb"
PAGES = {"fluxbb15-two-pages": ["page-1.html", "page-2.html"], "punbb12-german-wayback": ["page.html"]}
SITE = "http://swl-corner.example.org/forum/"


def _doc(path, url=None) -> Document:
    return Document(Page(source_file=str(path), source_type="html", body=path.read_bytes(), url=url))


def _shown(case: str) -> list[dict]:
    """What each div.blockpost of the pages shows: id, '#N', author and profile id, quoted names."""
    out = []
    for name in PAGES[case]:
        root = etree.fromstring((FLUX / case / name).read_bytes(), etree.HTMLParser())
        for div in root.iter("div"):
            if "blockpost" not in (div.get("class") or "").split():
                continue
            strong = div.find(".//div[@class='postleft']/dl/dt/strong")
            link = strong.find("a")
            heads = [h.text or "" for h in div.iter("cite", "h4")]
            out.append({"id": div.get("id")[1:], "n": int(re.sub(r"\D", "", div.find("h2/span/span").text)),
                        "author": "".join(strong.itertext()).strip(),
                        "uid": re.search(r"id=(\d+)", link.get("href")).group(1) if link is not None else None,
                        "quoted": [re.sub(r"\s+\S+:$", "", h.strip()) for h in heads]})
    return out


@pytest.mark.parametrize("case", sorted(PAGES))
def test_detected_from_the_page_alone(case):
    for name in PAGES[case]:
        assert detect(_doc(FLUX / case / name)) is fluxbb


def test_no_other_sample_is_taken_for_fluxbb():
    for page in foreign_pages("fluxbb"):
        assert fluxbb.score(_doc(page)).score < 10, page


@pytest.mark.parametrize("case", sorted(PAGES))
def test_posts_match_what_the_pages_show(case, tmp_path):
    extra = ["--site-url", SITE] if case.startswith("fluxbb15") else []
    assert main(["extract", *(str(FLUX / case / p) for p in PAGES[case]), "-o", str(tmp_path / "o"),
                 "--no-progress", *extra]) == 0
    posts = read_jsonl(tmp_path / "o" / "posts.jsonl")
    shown = _shown(case)
    assert [p["id"] for p in posts] == [s["id"] for s in shown]
    assert [p["position"] + 1 for p in posts] == [s["n"] for s in shown]  # '#N' headers count from 1
    for post, seen in zip(posts, shown, strict=True):
        assert post["author_name"] == seen["author"]
        assert post["author_id"] == seen["uid"]
        assert bool(post["extra"].get("anonymous")) == (seen["uid"] is None)
        assert [q["author"] for q in post["quotes"]] == seen["quoted"]
        assert post["parent_id"] is None and post["depth"] == 0  # a flat board
        assert "73 from the Pennines" not in post["body_text"]  # the signature is not the message
        assert "Last edited" not in post["body_text"] and "Zuletzt bearbeitet" not in post["body_text"]
    assert posts[0]["is_op"] and not any(p["is_op"] for p in posts[1:])
    threads = read_jsonl(tmp_path / "o" / "threads.jsonl")
    assert len(threads) == 1 and threads[0]["pages_total"] == len(PAGES[case])


def test_pager_and_crawl_hints():
    url = SITE + "viewtopic.php?id=318&p=2"
    parsed = fluxbb.parse(_doc(FLUX / "fluxbb15-two-pages" / "page-2.html", url), records=False)
    assert parsed.thread == {"id": "t318", "url": SITE + "viewtopic.php?id=318"}
    assert parsed.page_number == 1
    assert parsed.links["pages"] == [SITE + "viewtopic.php?id=318"]  # page 1 ("Previous" and "1")


LISTING = """<!DOCTYPE html><html><head><title>Receivers and antennas / Shortwave Listeners' Corner</title></head>
<body><div id="punviewforum" class="pun"><div id="vf" class="blocktable"><div class="box"><div class="inbox">
<table><tbody>
<tr class="rowodd"><td class="tcl"><div class="tclcon"><div><a href="viewtopic.php?id=318">Long wire on a balcony: worth
 it?</a> <span class="byuser">by marta_k</span><span class="pagestext">[ <a href="viewtopic.php?id=318">1</a>
 <a href="viewtopic.php?id=318&amp;p=2">2</a> ]</span></div></div></td><td class="tc2">4</td>
<td class="tcr"><a href="viewtopic.php?pid=20440#p20440">2013-10-03 10:05:55</a></td></tr>
</tbody></table></div></div></div>
<p class="pagelink conl"><span class="pages-label">Pages: </span><strong class="item1">1</strong></p>
<p id="poweredby">Powered by <a href="https://fluxbb.org/">FluxBB</a></p></div></body></html>"""


def test_local_crawl_of_a_board(tmp_path):
    routes: dict[str, bytes] = {}

    with Server(static_app(routes)) as server:
        case = FLUX / "fluxbb15-two-pages"
        routes.update({"/forum/viewforum.php?id=4": LISTING.encode(),
                       "/forum/viewtopic.php?id=318": (case / "page-1.html").read_bytes(),
                       "/forum/viewtopic.php?id=318&p=2": (case / "page-2.html").read_bytes()})
        cfg = Config(seeds=[server.url("/forum/viewforum.php?id=4")], output=str(tmp_path / "crawl"), scope="board",
                     delay=0, requisites=False, loopback_only=True)
        Crawler(cfg, sleep=lambda s: None).run()
        log = [p for p in server.log if p != "/robots.txt"]
    assert "/forum/viewtopic.php?id=318" in log and "/forum/viewtopic.php?id=318&p=2" in log
    assert not any("pid=" in p or "action=" in p for p in log), log
    assert main(["extract", str(tmp_path / "crawl"), "-o", str(tmp_path / "ds"), "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "ds" / "posts.jsonl")
    assert [p["id"] for p in posts] == [s["id"] for s in _shown("fluxbb15-two-pages")]


def _post(pid: int, name: str, uid: int, when: str, subject: str) -> str:
    return (f'<div id="p{pid}" class="blockpost rowodd"><h2><span><span class="conr">#1</span> '
            f'<a href="viewtopic.php?pid={pid}#p{pid}">{when}</a></span></h2><div class="box"><div class="inbox">'
            f'<div class="postbody"><div class="postleft"><dl><dt><strong><a href="profile.php?id={uid}">{name}</a>'
            f'</strong></dt></dl></div><div class="postright"><h3>{subject}</h3><div class="postmsg"><p>Words of '
            f'{name}.</p></div></div></div></div></div></div>')


# Released 1.4 and 1.5 write the breadcrumb as ul.crumbs (not the ol of master), the topic's crumb as a > strong
CRUMBS_14 = ('<div class="linkst"><div class="inbox crumbsplus"><ul class="crumbs"><li><a href="index.php">Index</a>'
             '</li><li><span>»&#160;</span><a href="viewforum.php?id=7">Feeders</a></li><li><span>»&#160;</span>'
             '<a href="viewtopic.php?id=4411"><strong>Coax or ladder line</strong></a></li></ul><div class="pagepost">'
             '<p class="pagelink conl"><span class="pages-label">Pages: </span><strong class="item1">1</strong></p>'
             '</div></div></div>')
# 1.2: a plain ul, the topic's crumb unlinked; a closed topic has no reply link, only its pager names it
CRUMBS_12 = ('<div class="linkst"><div class="inbox"><p class="pagelink conl">Pages: <a href="viewtopic.php?id=4412">'
             '1</a>&nbsp;<strong>2</strong></p><p class="postlink conr">&nbsp;</p><ul><li><a href="index.php">Index'
             '</a></li><li>&nbsp;&raquo;&nbsp;<a href="viewforum.php?id=7">Feeders</a></li><li>&nbsp;&raquo;&nbsp;'
             'Baluns</li></ul></div></div>')


def _page(crumbs: str, post: str) -> bytes:
    return (f'<html><head><title>t</title></head><body><div id="punviewtopic" class="pun">{crumbs}{post}'
            '<p class="conr">Powered by <a href="http://fluxbb.org/">FluxBB</a></p></div></body></html>').encode()


@pytest.mark.parametrize(("crumbs", "topic", "title", "page"), [
    (CRUMBS_14, "t4411", "Coax or ladder line", 0), (CRUMBS_12, "t4412", "Baluns", 1),
    # master's generate_crumbs writes an ol
    (CRUMBS_14.replace("<ul class", "<ol class").replace("</ul>", "</ol>"), "t4411", "Coax or ladder line", 0)])
def test_a_page_without_its_url_names_its_topic(crumbs, topic, title, page):
    """A mirror keeps no URL: the topic id, title and board come from the page's own crumbs or pager."""
    subject = title if page == 0 else f"Re: {title}"
    body = _page(crumbs, _post(9001, "ines_v", 31, "2011-02-03 04:05:06", subject))
    parsed = fluxbb.parse(Document(Page(source_file="t.html", source_type="html", body=body, url=None)))
    root = etree.fromstring(body, etree.HTMLParser())
    hrefs = root.xpath("//div[@class='linkst']//a/@href")
    named = {m for h in hrefs for m in re.findall(r"viewtopic\.php\?id=(\d+)", h)}
    assert parsed.thread["id"] == topic and {topic[1:]} == named
    assert parsed.thread["title"] == title and parsed.thread["board"] == "Feeders"
    assert parsed.thread["extra"]["board_path"] == ["Feeders"]
    assert parsed.page_number == page
    assert [p["id"] for p in parsed.posts] == ["9001"] and parsed.posts[0]["author_id"] == "31"


@pytest.mark.parametrize(("postlink", "locked"), [
    ("&nbsp;", False),  # 1.2: a visitor who may not reply to an open topic
    ("Topic closed", True),
    ('Topic closed / <a href="post.php?tid=4412">Post reply</a>', True),  # a moderator still may
    ('<a href="post.php?tid=4412">Post reply</a>', False)])
def test_locked_only_when_the_page_says_closed(postlink, locked):
    crumbs = CRUMBS_12.replace('<p class="postlink conr">&nbsp;</p>', f'<p class="postlink conr">{postlink}</p>')
    assert crumbs != CRUMBS_12 or postlink == "&nbsp;"
    body = _page(crumbs, _post(9002, "ines_v", 31, "2011-02-03 04:05:06", "Re: Baluns"))
    root = etree.fromstring(body, etree.HTMLParser())
    says_closed = any("closed" in "".join(p.itertext()).lower() for p in root.xpath("//p[@class='postlink conr']"))
    parsed = fluxbb.parse(Document(Page(source_file="t.html", source_type="html", body=body, url=None)))
    assert parsed.thread["extra"].get("locked", False) is locked is says_closed
