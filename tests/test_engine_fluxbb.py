"""FluxBB 1.2-1.5 and PunBB 1.2-1.4 (issue 15): detection, posts recomputed from the pages with plain lxml, the pager,
crawl hints and a local crawl."""

from __future__ import annotations

import json
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


# --- PunBB 1.3 / 1.4 ------------------------------------------------------------------------------------------
PUNBB = FLUX / "punbb14-two-pages"
PUNBB_PAGES = ["page-1.html", "page-2.html"]
PUNBB_CASES = {"punbb14-two-pages": ("PunBB 1.4", PUNBB_PAGES), "punbb13-russian-wayback": ("PunBB 1.3", ["page.html"])}
BENCH = "http://www.brewers-bench.example.net/forum/"


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def _shown_14(body: bytes) -> list[dict]:
    """What each PunBB 1.3/1.4 post of a page shows, read with plain lxml: the id of its div.posthead, the
    span.post-num, the byline's name and profile link, the permalink's text, the quotes' cite, the edit note, the
    signature's text, and whether the poster has an Online/Offline line (members do, guests do not)."""
    root = etree.fromstring(body, etree.HTMLParser())
    out = []
    for head in root.iter("div"):
        if "posthead" not in _classes(head) or not (head.get("id") or "").startswith("p"):
            continue
        post = head.getparent()
        spans = {c: s for s in head.iter("span") for c in _classes(s)}
        byline = spans["post-byline"]
        link = byline.find("a")
        name_el = link if link is not None else byline.find("strong")
        sig = [d for d in post.iter("div") if "sig-content" in _classes(d)]
        out.append({
            "id": head.get("id")[1:],
            "n": int(spans["post-num"].text),
            "author": name_el.text,
            "uid": re.search(r"(?:id=|/user/?)(\d+)", link.get("href")).group(1) if link is not None else None,
            "member": any("userstatus" in _classes(li) for li in post.iter("li")),
            "date": spans["post-link"].find("a").text,
            "quoted": [c.text.rsplit(" ", 1)[0] for c in post.iter("cite")],
            "edited": "".join((spans.get("post-edit") if spans.get("post-edit") is not None else
                               next((p for p in post.iter("p") if "lastedit" in _classes(p)), etree.Element("p")))
                              .itertext()) or None,
            "signature": "".join(sig[0].itertext()).strip() if sig else None,
            "op": "topicpost" in _classes(post),
        })
    return out


def _parse(body: bytes, url: str | None = None):
    return fluxbb.parse(Document(Page(source_file="t.html", source_type="html", body=body, url=url)))


@pytest.mark.parametrize("case", sorted(PUNBB_CASES))
def test_punbb_is_read_by_the_fluxbb_engine_with_its_version(case):
    version, pages = PUNBB_CASES[case]
    for name in pages:
        doc = _doc(FLUX / case / name)
        assert detect(doc) is fluxbb
        found = fluxbb.score(doc)
        assert found.version == version and found.score >= 16
        assert any("brd-page" in s for s in found.signs) and any("post-byline" in s for s in found.signs)


def test_punbb_signs_claim_no_other_sample():
    """Not even FluxBB's own samples: the PunBB 1.3/1.4 signs need its page and post markup."""
    punbb_signs = tuple(s for s in fluxbb.SIGNS if "PunBB 1.3/1.4" in s.label)
    assert len(punbb_signs) == 2
    for case in sorted(p for p in FLUX.iterdir() if p.is_dir() and not p.name.startswith("punbb1")):
        for page in case.glob("*.html"):
            assert not set(fluxbb.score(_doc(page)).signs) & {s.label for s in punbb_signs}, page
            assert fluxbb.score(_doc(page)).version is None


@pytest.mark.parametrize("case", sorted(PUNBB_CASES))
def test_punbb_posts_match_what_the_pages_show(case, tmp_path):
    pages = PUNBB_CASES[case][1]
    meta = json.loads((FLUX / case / "meta.json").read_text(encoding="utf-8"))
    extra = ["--timezone", meta["options"]["timezone"]] if meta["options"].get("timezone") else []
    assert main(["extract", *(str(FLUX / case / p) for p in pages), "-o", str(tmp_path / "o"), "--no-progress",
                 *extra]) == 0
    posts = read_jsonl(tmp_path / "o" / "posts.jsonl")
    shown = [s for name in pages for s in _shown_14((FLUX / case / name).read_bytes())]
    assert len(shown) == len(meta["facts"]["posts"]) and sum(not s["member"] for s in shown) == 1
    assert [p["id"] for p in posts] == [s["id"] for s in shown]
    assert [p["position"] + 1 for p in posts] == [s["n"] for s in shown]
    assert [p["is_op"] for p in posts] == [s["op"] for s in shown]
    for post, seen in zip(posts, shown, strict=True):
        assert post["author_name"] == seen["author"]
        assert post["author_id"] == seen["uid"]
        assert bool(post["extra"].get("anonymous")) == (not seen["member"])
        assert post["published_raw"] == seen["date"]
        if seen["date"][:1].isdigit():  # Y-m-d H:i:s; "Today"/"Yesterday" in the board's language are dated from
            assert post["published_local"] == seen["date"].replace(" ", "T")  # the capture (test_samples)
        assert post["published_local"] and post["published_local"].endswith(seen["date"][-8:])
        assert post["url"].endswith(f"/viewtopic.php?pid={seen['id']}#p{seen['id']}")
        assert [q["author"] for q in post["quotes"]] == seen["quoted"]
        assert all(q["post_id"] is None for q in post["quotes"])  # PunBB's quotes name no post
        assert post["parent_id"] is None and post["depth"] == 0
        if seen["signature"]:
            assert seen["signature"] not in post["body_text"] and "sig-content" not in post["body_html"]
        fact = next(f for f in meta["facts"]["posts"] if f["id"] == seen["id"])
        if seen["edited"]:  # "(edited by NAME DATE)" (1.4.2+), "Last edited by NAME (DATE)" (1.3)
            assert post["extra"]["edited"] == fact["edited"] and fact["edited"] in seen["edited"]
            assert seen["edited"] not in post["body_text"]
        else:
            assert "edited" not in post["extra"]
    assert any(s["signature"] for s in shown) and any(s["edited"] for s in shown)
    assert sum(len(s["quoted"]) for s in shown) == sum(len(f.get("quotes", [])) for f in meta["facts"]["posts"])
    thread = read_jsonl(tmp_path / "o" / "threads.jsonl")[0]
    assert thread["id"] == meta["facts"]["thread"]["id"] and thread["url"] == meta["original_url"]
    assert thread["title"] == meta["facts"]["thread"]["title"] and thread["board"] == meta["facts"]["thread"]["board"]
    assert thread["pages_total"] == len(pages) and thread["complete"]
    assert "locked" not in thread["extra"]
    # "Posts: 1 to 4 of 6" / "Сообщений [ 4 ]" above the posts; every page is here, so it counts what was read
    root = etree.fromstring((FLUX / case / pages[0]).read_bytes(), etree.HTMLParser())
    items = root.xpath("//div[@class='main-head']/h2/span/span[@class='item-info']")[0].text
    assert thread["reply_count"] == max(int(n) for n in re.findall(r"\d+", items)) - 1 == len(shown) - 1


def test_punbb14_pager_and_crawl_hints():
    for name, page, other in (("page-1.html", 0, "viewtopic.php?id=1187&p=2"),
                              ("page-2.html", 1, "viewtopic.php?id=1187")):
        body = (PUNBB / name).read_bytes()
        root = etree.fromstring(body, etree.HTMLParser())
        paging = root.xpath("//p[@class='paging']")[0]
        assert int(paging.find("strong").text) == page + 1
        parsed = _parse(body, url=None)  # the page names itself: absolute links
        assert parsed.thread["id"] == "t1187" and parsed.page_number == page and parsed.pages_total == 2
        assert parsed.links["pages"] == [BENCH + other]
        assert not any("pid=" in u or "tid=" in u for u in parsed.links["pages"])
        hints = _parse_hints(body)  # crawl --scope reads only the hints: the same as the full parse
        assert hints.links == parsed.links and hints.thread == {"id": "t1187", "url": BENCH + "viewtopic.php?id=1187"}
        assert hints.page_number == page and hints.posts == []


def _parse_hints(body: bytes):
    return fluxbb.parse(Document(Page(source_file="t.html", source_type="html", body=body, url=None)), records=False)


# PunBB's SEF URL schemes (include/url/*/forum_urls.php): the same page as a board with rewriting on writes it
FOLDER_FANCY = ((b"viewtopic.php?id=1187&amp;p=2", b"topic/1187/first-allgrain-batch-tastes-of-cardboard/page/2/"),
                (b"viewtopic.php?id=1187", b"topic/1187/first-allgrain-batch-tastes-of-cardboard/"),
                (rb"viewtopic.php\?pid=(\d+)#p\d+", rb"post/\1/#p\1"), (rb"profile.php\?id=(\d+)", rb"user/\1/"),
                (b"viewforum.php?id=6", b"forum/6/troubleshooting/"),
                (b"post.php?tid=1187&amp;qid=", b"new/reply/1187/quote/"),
                (b"post.php?tid=1187", b"new/reply/1187/"), (b"extern.php?action=feed&amp;tid=1187&amp;type=rss",
                                                             b"feed/rss/topic/1187/"),
                (b"extern.php?action=feed&amp;tid=1187&amp;type=atom", b"feed/atom/topic/1187/"))
FILE_BASED = ((b"viewtopic.php?id=1187&amp;p=2", b"topic1187-p2.html"), (b"viewtopic.php?id=1187", b"topic1187.html"),
              (rb"viewtopic.php\?pid=(\d+)#p\d+", rb"post\1.html#p\1"), (rb"profile.php\?id=(\d+)", rb"user\1.html"),
              (b"viewforum.php?id=6", b"forum6.html"), (b"post.php?tid=1187&amp;qid=", b"new-reply1187quote"),
              (b"post.php?tid=1187", b"new-reply1187.html"),
              (b"extern.php?action=feed&amp;tid=1187&amp;type=rss", b"feed-rss-topic1187.xml"),
              (b"extern.php?action=feed&amp;tid=1187&amp;type=atom", b"feed-atom-topic1187.xml"))


def _rewrite(body: bytes, scheme) -> bytes:
    for old, new in scheme:
        body = re.sub(old, new, body) if b"\\" in old else body.replace(old, new)
    assert b"viewtopic.php" not in body and b"profile.php" not in body
    return body


@pytest.mark.parametrize(("scheme", "page_2"), [
    (FOLDER_FANCY, "topic/1187/first-allgrain-batch-tastes-of-cardboard/page/2/"), (FILE_BASED, "topic1187-p2.html")])
def test_punbb14_sef_url_schemes(scheme, page_2):
    body = _rewrite((PUNBB / "page-1.html").read_bytes(), scheme)
    parsed = _parse(body)
    shown = _shown_14(body)
    assert parsed.thread["id"] == "t1187" and parsed.page_number == 0 and parsed.pages_total == 2
    assert parsed.links["pages"] == [BENCH + page_2]
    assert [p["author_id"] for p in parsed.posts] == [s["uid"] for s in shown] == ["42", "7", None, "113"]
    assert parsed.thread["board"] == "Troubleshooting"
    assert parsed.thread["extra"]["board_url"].startswith(BENCH + "forum")
    parsed_2 = _parse(_rewrite((PUNBB / "page-2.html").read_bytes(), scheme))
    assert parsed_2.thread["id"] == "t1187" and parsed_2.page_number == 1


def test_punbb14_listing_links_with_sef_urls():
    """A forum page of a folder-based board: topics (first pages only) and forum pages to crawl."""
    listing = (f'<html><body><div id="brd-wrap" class="brd"><div id="brd-viewforum" class="brd-page paged-page">'
               f'<div class="main-item"><h3 class="hn"><a href="{BENCH}topic/1187/first-allgrain/">First</a></h3>'
               f'<span class="item-nav"><a href="{BENCH}topic/1187/first-allgrain/page/2/">2</a></span>'
               f'<a href="{BENCH}post/8822/#p8822">last post</a></div>'
               f'<p class="paging"><a href="{BENCH}forum/6/troubleshooting/page/2/">2</a></p>'
               '<p id="copyright">Powered by <a href="http://punbb.informer.com/">PunBB</a></p></div></div></body></html>')
    doc = Document(Page(source_file="t.html", source_type="html", body=listing.encode(),
                        url=BENCH + "forum/6/troubleshooting/"))
    assert detect(doc) is fluxbb
    parsed = fluxbb.parse(doc)
    assert parsed.posts == [] and parsed.thread is None
    assert parsed.links["threads"] == [BENCH + "topic/1187/first-allgrain/"]
    assert parsed.links["listings"] == [BENCH + "forum/6/troubleshooting/page/2/"]


def test_punbb13_edit_note_in_the_body_and_linked_topic_crumb():
    """1.3 to 1.4.1 write the edit note as p.lastedit in the body ("Last edited by X (DATE)") and link the topic's
    own crumb; the note leaves the body, the topic's crumb is no board."""
    body = (PUNBB / "page-1.html").read_bytes()
    body = re.sub(rb' <span class="post-edit">\(edited by hop_ranger ([^)]*)\)</span>', b"", body)
    note = b'<p class="lastedit"><em>Last edited by hop_ranger (2012-03-10 20:31:55)</em></p>'
    body = body.replace(b"can I still save it?</p>", b"can I still save it?</p>" + note, 1)
    body = body.replace(b'crumblast"><span> &rarr;&#160;</span>First all-grain batch tastes of cardboard</span>',
                        b'crumblast"><span> &rarr;&#160;</span><a href="' + BENCH.encode() + b'viewtopic.php?id=1187">'
                        b'First all-grain batch tastes of cardboard</a></span>')
    body = body.replace(b"Oxygen.min.css", b"Oxygen.css")
    assert body.count(b"lastedit") == 1 and b"post-edit" not in body
    assert body.count(b"viewtopic.php?id=1187\">First") == 2
    parsed = _parse(body)
    op = parsed.posts[0]
    assert op["extra"]["edited"] == "hop_ranger (2012-03-10 20:31:55)"
    assert "Last edited" not in op["body_text"] and "lastedit" not in op["body_html"]
    assert op["body_text"].endswith("can I still save it?")
    assert parsed.thread["extra"]["board_path"] == ["Troubleshooting"] and parsed.thread["board"] == "Troubleshooting"
    assert fluxbb.score(_doc_of(body)).version == "PunBB 1.3/1.4"  # no stylesheet or header note to tell


def _doc_of(body: bytes) -> Document:
    return Document(Page(source_file="t.html", source_type="html", body=body, url=None))


def test_punbb14_closed_topic_and_members_shown_without_profile_links():
    """'[ Closed ] ' before the title's permalink marks the topic locked; a board that hides profiles from guests
    prints members' names in strong, like guests', but members keep their Online/Offline line."""
    body = (PUNBB / "page-1.html").read_bytes()
    body = body.replace(b'<h1 class="main-title"><a class="permalink"',
                        b'<h1 class="main-title">[ Closed ] <a class="permalink"')
    body = re.sub(rb'<a title="Go to [^"]*\'s profile" href="[^"]*">([^<]*)</a>', rb"<strong>\1</strong>", body)
    shown = _shown_14(body)
    parsed = _parse(body)
    assert parsed.thread["extra"]["locked"] is True
    assert [p["author_name"] for p in parsed.posts] == [s["author"] for s in shown]
    assert [bool(p["extra"].get("anonymous")) for p in parsed.posts] == [not s["member"] for s in shown]
    assert [p["extra"].get("anonymous", False) for p in parsed.posts] == [False, False, True, False]
    assert all(p["author_id"] is None for p in parsed.posts)


def test_punbb14_local_crawl_of_a_topic(tmp_path):
    routes: dict[str, bytes] = {}
    with Server(static_app(routes)) as server:
        base = server.url("/forum/")
        for name, path in (("page-1.html", "/forum/viewtopic.php?id=1187"),
                           ("page-2.html", "/forum/viewtopic.php?id=1187&p=2")):
            routes[path] = (PUNBB / name).read_bytes().replace(BENCH.encode(), base.encode())
        cfg = Config(seeds=[server.url("/forum/viewtopic.php?id=1187")], output=str(tmp_path / "crawl"),
                     scope="thread", delay=0, requisites=False, loopback_only=True)
        Crawler(cfg, sleep=lambda s: None).run()
        log = [p for p in server.log if p != "/robots.txt"]
    assert "/forum/viewtopic.php?id=1187&p=2" in log
    assert not any("pid=" in p or "tid=" in p or "extern.php" in p for p in log), log
    assert main(["extract", str(tmp_path / "crawl"), "-o", str(tmp_path / "ds"), "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "ds" / "posts.jsonl")
    assert [p["id"] for p in posts] == ["8801", "8803", "8806", "8810", "8815", "8822"]


def test_punbb_variants_post_id_on_the_post_and_date_unlinked():
    """Forks built on PunBB 1.3 (Flazy) put the id on div.post; some boards' themes link the post number and
    print the date as plain text in span.post-link. The same posts, ids and dates come out."""
    body = (PUNBB / "page-1.html").read_bytes()
    shown = _shown_14(body)
    moved = re.sub(rb'<div class="(post [^"]*)">\s*<div id="(p\d+)" class="posthead">',
                   rb'<div id="\2" class="\1">\n\t\t\t<div class="posthead">', body)
    relinked = re.sub(rb'<span class="post-num">(\d+)</span>(.*?)<span class="post-link"><a [^>]*href="([^"]*)">'
                      rb"([^<]*)</a></span>",
                      rb'<span class="post-num"><a class="permalink" href="\3">#\1</a></span>\2'
                      rb'<span class="post-link">\4</span>', body, flags=re.S)
    assert moved.count(b'class="posthead"') == relinked.count(b'class="posthead"') == 4
    assert b'<div class="posthead">' in moved and b'<span class="post-link">2012-' in relinked
    for variant in (moved, relinked):
        parsed = _parse(variant)
        assert [p["id"] for p in parsed.posts] == [s["id"] for s in shown]
        assert [p["published_raw"] for p in parsed.posts] == [s["date"] for s in shown]
        assert [p["url"] for p in parsed.posts] == [f"{BENCH}viewtopic.php?pid={s['id']}#p{s['id']}" for s in shown]
        assert [p["author_id"] for p in parsed.posts] == [s["uid"] for s in shown]
        assert fluxbb.score(_doc_of(variant)).score >= 16


def _unwrap_wayback(html: str) -> str:
    html = re.sub(r"<script[^>]*bundle-playback.*?<!-- End Wayback Rewrite JS Include -->", "", html, flags=re.S)
    html = re.sub(r"<!-- BEGIN WAYBACK TOOLBAR INSERT -->.*?<!-- END WAYBACK TOOLBAR INSERT -->", "", html, flags=re.S)
    html = re.sub(r"(?:https://web\.archive\.org)?/web/\d{14}(?:[a-z]{2}_)?/", "", html)
    return html[: html.index("</html>") + 7]


def test_punbb_wayback_capture_gives_the_posts_of_the_plain_page():
    from zoneinfo import ZoneInfo

    path = FLUX / "punbb13-russian-wayback" / "page.html"
    zone = ZoneInfo("Europe/Moscow")
    archived = fluxbb.parse(_doc(path), zone)
    plain_html = _unwrap_wayback(path.read_text(encoding="utf-8"))
    assert "web.archive.org" not in plain_html and "__wm" not in plain_html
    plain_doc = Document(Page(source_file=str(path), source_type="html", body=plain_html.encode(), url=None,
                              capture_time="2010-11-18T10:22:41Z"))
    plain = fluxbb.parse(plain_doc, zone)
    keys = ("id", "url", "author_name", "author_id", "author_url", "published_raw", "published_utc",
            "published_local", "body_text", "body_html", "quotes", "extra", "title")
    assert [{k: p[k] for k in keys} for p in archived.posts] == [{k: p[k] for k in keys} for p in plain.posts]
    assert archived.thread == plain.thread and len(archived.posts) == 4
    assert archived.posts[2]["published_utc"] == "2010-11-17T16:12:30Z"  # "Вчера 19:12:30" in Moscow (UTC+3)



def test_url_patterns_read_hostile_hrefs():
    """Hrefs repeating a pattern's start 20,000 times name no topic, forum, page or profile (the parameters before
    id= are bounded, so no pattern backtracks over the whole href from each start: that took seconds an href)."""
    hrefs = ["viewtopic.php?" * 20000, "viewforum.php?" * 20000, "/topic1-" * 20000 + "x", "/forum1-" * 20000,
             "/user" * 20000 + "x"]
    for href in hrefs:
        assert fluxbb._topic_of(href) is None and not fluxbb._FORUM.search(href) and not fluxbb._PAGE.search(href)
        assert not re.search(fluxbb.LAYOUT_14.profile_id_re, href)
    assert fluxbb._topic_of("viewtopic.php?" * 20000 + "id=7") == "7"  # the last start is read
    assert fluxbb._topic_of("viewtopic.php?" + "x=1&" * 200 + "id=7") is None  # 800 characters of parameters first
    assert fluxbb._topic_of("http://h/viewtopic.php?action=new&amp;id=7") == "7"
