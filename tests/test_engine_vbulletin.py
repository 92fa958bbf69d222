"""vBulletin engine: detection, posts, quotes, votes, dates in two languages, trees, pagers, crawl hints, a Wayback
copy against its plain page, unbalanced bodies, and a crawl of a local board built from the samples."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from harvester import engines
from harvester.capture.crawl import Config, Crawler
from harvester.document import Document
from harvester.engines import vbulletin
from harvester.engines.toolkit import CLAIM
from harvester.extract import Options, extract
from harvester.model import Page
from tests.capture_servers import Server

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
VB = SAMPLES / "vbulletin"


def doc_of(path: Path, url: str | None = None, capture_time: str | None = None) -> Document:
    return Document(Page(source_file=str(path), source_type="html", body=path.read_bytes(), url=url,
                         capture_time=capture_time))


def parse(path: Path, zone=None, **kw):
    from harvester.dates import get_zone
    return vbulletin.parse(doc_of(path, **kw), zone=get_zone(zone))


# --- Detection -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case,version", [
    ("vb3-postbit-two-pages/page-1.html", "3.8.7"), ("vb3-legacy-hybrid/page.html", "3.8.7"),
    ("vb4-legacy-en/page.html", "4.2.2"), ("vb4-de-wayback/page.html", "4.2.2"), ("vb5-two-pages/page-2.html", "5.6.4"),
])
def test_detected_as_vbulletin_with_version(case, version):
    found = engines.scores(doc_of(VB / case))
    assert found[0].engine == "vbulletin" and found[0].score >= CLAIM
    assert found[0].version == version
    assert all(d.score < found[0].score for d in found[1:])


def test_detection_from_markup_alone_when_the_generator_meta_is_stripped():
    html = (VB / "vb4-legacy-en/page.html").read_text(encoding="utf-8")
    html = re.sub(r'<meta name="generator"[^>]*>', "", html).replace('id="vbulletin_html"', "")
    page = Page(source_file="x.html", source_type="html", body=html.encode())
    found = vbulletin.score(Document(page))
    assert found.score >= CLAIM and found.version == "4"


def test_does_not_claim_other_engines_samples():
    for meta in SAMPLES.glob("*/*/meta.json"):
        if meta.parent.parent.name == "vbulletin":
            continue
        for name in json.loads(meta.read_text(encoding="utf-8"))["pages"]:
            assert vbulletin.score(doc_of(meta.parent / name)).score < CLAIM, meta.parent.name


# --- Posts -----------------------------------------------------------------------------------------------------
def test_quotes_carry_the_quoted_post_ids_and_names():
    posts = {p["id"]: p for p in parse(VB / "vb4-legacy-en/page.html").posts}
    quotes = posts["post/51215"]["quotes"]
    assert [(q["author"], q["post_id"]) for q in quotes] == [("Eddyline Ed", "post/51204"), ("Guest", "post/51209")]
    assert quotes[0]["text"].startswith("You learn to steer")
    # vB3: the unnamed quote has neither author nor post id
    v3 = {p["id"]: p for p in parse(VB / "vb3-postbit-two-pages/page-2.html").posts}
    assert [(q["author"], q["post_id"]) for q in v3["post/88131"]["quotes"]] == [
        ("Unregistered", "post/88112"), (None, None)]


def test_thanks_and_likes_are_counted_from_what_the_page_lists():
    v3 = {p["id"]: p for p in parse(VB / "vb3-postbit-two-pages/page-1.html").posts}
    assert (v3["post/88101"]["votes"], v3["post/88101"]["votes_kind"]) == (3, "thanks")
    assert v3["post/88126"]["votes"] == 1 and v3["post/88107"]["votes"] is None
    v5 = {p["id"]: p for p in parse(VB / "vb5-two-pages/page-1.html").posts}
    assert (v5["node/90422"]["votes"], v5["node/90422"]["votes_kind"]) == (6, "likes")
    assert v5["node/90441"]["votes_raw"] == "1 like"


def test_edit_notes_signatures_and_ads_stay_out_of_bodies():
    v3 = {p["id"]: p for p in parse(VB / "vb3-postbit-two-pages/page-1.html").posts}
    assert v3["post/88107"]["extra"]["edited"] == "Last edited by grimy_gus; 03-15-2009 at 08:30 AM."
    for p in v3.values():
        assert "Last edited" not in p["body_text"] and "__________" not in p["body_text"]
        assert "ballast" not in p["body_text"] and "Advertisement" not in p["body_html"]
    v4 = {p["id"]: p for p in parse(VB / "vb4-legacy-en/page.html").posts}
    assert "Last edited" not in v4["post/51204"]["body_text"] and v4["post/51204"]["extra"]["edited"]
    assert "Paddle more" not in v4["post/51200"]["body_text"]


def test_deleted_and_guest_posts():
    v4 = {p["id"]: p for p in parse(VB / "vb4-legacy-en/page.html").posts}
    deleted = v4["post/51211"]
    assert deleted["deleted"] and deleted["body_text"] == "" and deleted["author_name"] == "knot_a_sailor"
    guest = v4["post/51209"]
    assert guest["extra"]["anonymous"] and guest["author_id"] is None and guest["author_url"] is None
    v3 = {p["id"]: p for p in parse(VB / "vb3-postbit-two-pages/page-2.html").posts}
    assert v3["post/88133"]["deleted"] and not v3["post/88131"]["deleted"]


def test_postbit_facts_in_english_and_german():
    v3 = parse(VB / "vb3-postbit-two-pages/page-1.html").posts[0]["author_facts"]
    assert v3 == {"user_title": "Senior Member", "joined_raw": "Mar 2004", "location": "Ohio",
                  "post_count_shown": 1482,
                  "avatar_url": "http://www.tinplate-junction.org/forums/customavatars/avatar214_3.gif"}
    de = parse(VB / "vb4-de-wayback/page.html").posts[0]["author_facts"]
    assert (de["joined_raw"], de["location"], de["post_count_shown"]) == ("03.2011", "Kassel", 1204)


# --- Dates -----------------------------------------------------------------------------------------------------
def test_today_and_yesterday_in_german_against_the_capture_time():
    posts = parse(VB / "vb4-de-wayback/page.html", zone="Europe/Berlin").posts
    by = {p["id"]: p for p in posts}
    assert by["post/301877"]["published_local"] == "2014-03-17T21:47:00"  # Gestern
    assert by["post/301893"]["published_utc"] == "2014-03-18T07:02:00Z"  # Heute, 08:02 CET
    assert not by["post/301893"]["published_approximate"]


def test_today_without_a_zone_is_approximate_and_without_a_capture_time_unknown():
    html = (VB / "vb4-legacy-en/page.html").read_text(encoding="utf-8").replace("05-04-2013", "Today")
    html = html.replace("All times are GMT -8. ", "")  # the zone the footer states would make it exact
    page = Page(source_file="t.html", source_type="html", body=html.encode(), capture_time="2013-05-04T20:00:00Z")
    post = vbulletin.parse(Document(page)).posts[-1]
    assert post["published_raw"] == "Today, 10:05 AM"
    assert post["published_local"] == "2013-05-04T10:05:00" and post["published_approximate"]
    page = Page(source_file="t.html", source_type="html", body=html.encode())
    assert vbulletin.parse(Document(page)).posts[-1]["published_local"] is None


def test_english_dashed_and_ordinal_dates_and_vb5_machine_times():
    v3 = parse(VB / "vb3-postbit-two-pages/page-1.html", zone="America/New_York").posts
    # 03-14-2009, 10:15 PM at the footer's GMT -5 (New York was already at -4: the board's DST was off)
    assert v3[0]["published_utc"] == "2009-03-15T03:15:00Z"
    hybrid = parse(VB / "vb3-legacy-hybrid/page.html").posts
    assert hybrid[0]["published_local"] == "2009-03-14T20:15:00"  # 14th March 2009, 20:15
    v5 = parse(VB / "vb5-two-pages/page-1.html").posts
    assert v5[0]["published_local"] == "2020-09-12T21:04:11" and v5[0]["published_utc"] == "2020-09-13T02:04:11Z"


@pytest.mark.parametrize("case", sorted(c.name for c in VB.iterdir() if (c / "meta.json").exists()))
def test_dates_take_the_offset_the_footer_states(case):
    """vBulletin shifts every date by the offset its footer prints ("All times are GMT -5.", "Alle Zeitangaben in
    WEZ +1."; fetch_time_data adds the DST hour to it when DST is on): recomputed here from the footer's words,
    each post's UTC time is its local time minus it, whatever --timezone says."""
    meta = json.loads((VB / case / "meta.json").read_text(encoding="utf-8"))
    for name in meta["pages"]:
        page = (VB / case / name).read_text(encoding="utf-8", errors="replace")
        said = re.search(r"(?:All times are|Alle Zeitangaben in) (?:GMT|WEZ) ?([+-]\d+)?\.", page)
        posts = parse(VB / case / name, zone="Asia/Tokyo", capture_time=meta.get("capture_time")).posts
        if said is None:
            continue
        assert any(p["published_local"] for p in posts)
        hours = int(said.group(1) or 0)
        for post in (p for p in posts if p["published_local"]):
            local = datetime.fromisoformat(post["published_local"])
            assert post["published_utc"] == (local - timedelta(hours=hours)).isoformat() + "Z", post["id"]
            assert post["published_tz_source"] == "markup"


# --- Trees, pagers, pages ----------------------------------------------------------------------------------------
def test_hybrid_mode_tree_from_the_post_list():
    posts = parse(VB / "vb3-legacy-hybrid/page.html").posts
    tree = {p["id"]: (p["parent_id"], p["depth"]) for p in posts}
    # recompute from the writeLink calls' indentation, which showthread.php writes as two spaces per level
    text = (VB / "vb3-legacy-hybrid/page.html").read_text(encoding="latin-1")
    stack: list[str] = []
    for indent, pid in re.findall(r"^( *)writeLink\((\d+),", text, re.M):
        level = len(indent) // 2
        del stack[level:]
        parent = stack[-1] if level > 1 else None
        assert tree[f"post/{pid}"] == (f"post/{parent}" if parent else None, max(level - 1, 0))
        stack.append(pid)
    assert len(stack) and len(tree) == 6


def test_vb5_comments_are_children_of_their_reply():
    posts = parse(VB / "vb5-two-pages/page-1.html").posts
    ids = [p["id"] for p in posts]
    assert ids.index("node/90425") == ids.index("node/90422") + 1
    assert {p["id"]: p["parent_id"] for p in posts if p["depth"]} == {"node/90425": "node/90422",
                                                                      "node/90430": "node/90422"}


@pytest.mark.parametrize("case,page_number,total", [
    ("vb3-postbit-two-pages/page-2.html", 1, 2), ("vb4-de-wayback/page.html", 1, 2),
    ("vb5-two-pages/page-1.html", 0, 2), ("vb4-legacy-en/page.html", 0, 1),
])
def test_pager_page_number_and_total(case, page_number, total):
    parsed = parse(VB / case)
    assert (parsed.page_number, parsed.pages_total) == (page_number, total)


def test_two_pages_merge_in_display_order(tmp_path):
    case = VB / "vb3-postbit-two-pages"
    summary = extract([str(case / "page-2.html"), str(case / "page-1.html")], str(tmp_path / "out"),
                      Options(timezone="America/New_York"), report=lambda m: None)
    assert summary.failed == 0
    posts = [json.loads(line) for line in (tmp_path / "out/posts.jsonl").read_text().splitlines()]
    assert [p["position"] for p in posts] == list(range(8))
    assert posts[0]["id"] == "post/88101" and posts[-1]["id"] == "post/88140"
    thread = json.loads((tmp_path / "out/threads.jsonl").read_text())
    assert thread["complete"] and thread["pages_captured"] == 2 and thread["posts_extracted"] == 8


# --- Wayback against plain ---------------------------------------------------------------------------------------
def test_wayback_copy_gives_the_posts_of_the_plain_page():
    wayback = (VB / "vb4-de-wayback/page.html").read_text(encoding="utf-8")
    plain = re.sub(r"<!-- BEGIN WAYBACK TOOLBAR INSERT -->.*?<!-- END WAYBACK TOOLBAR INSERT -->", "", wayback,
                   flags=re.S)
    plain = re.sub(r"<head>.*?<!-- End Wayback Rewrite JS Include -->", "<head>", plain, flags=re.S)
    plain = re.sub(r"</html>.*$", "</html>\n", plain, flags=re.S)
    plain = re.sub(r"/web/\d{14}[a-z]{0,2}_?/", "", plain)
    assert "archive.org" not in plain
    url = "http://www.aquaristik-treff.de/forum/threads/7754-Neues-Becken-einfahren-wie-lange-wirklich/page2"
    a = vbulletin.parse(doc_of(VB / "vb4-de-wayback/page.html"))
    b = vbulletin.parse(Document(Page(source_file="p.html", source_type="html", body=plain.encode(), url=url,
                                      capture_time="2014-03-18T13:15:02Z")))
    assert a.posts == b.posts and a.thread == b.thread and a.pages_total == b.pages_total


# --- Unbalanced bodies -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case,body_marker", [
    ("vb3-postbit-two-pages/page-1.html", "Weathering powders, every time."),
    ("vb4-legacy-en/page.html", "Skeg. You learn to steer"),
    ("vb5-two-pages/page-1.html", "Congratulations! A wide-field"),
])
def test_unbalanced_html_in_a_body_loses_no_post(case, body_marker):
    html = (VB / case).read_bytes().decode("latin-1")
    before = [(p["id"], p["author_name"]) for p in parse(VB / case).posts]
    broken = html.replace(body_marker, "<div><table><tr><td><b><i>" + body_marker, 1)
    page = Page(source_file="b.html", source_type="html", body=broken.encode("latin-1"))
    after = [(p["id"], p["author_name"]) for p in vbulletin.parse(Document(page)).posts]
    assert after == before


# --- Crawl hints -------------------------------------------------------------------------------------------------
def test_thread_pages_are_the_pager_links_without_traps():
    url = "http://www.tinplate-junction.org/forums/showthread.php?t=4512"
    hints = vbulletin.parse(doc_of(VB / "vb3-postbit-two-pages/page-1.html", url=url), records=False)
    assert hints.links["pages"] == [url + "&page=2"]
    assert hints.thread == {"id": "thread/4512", "url": url} and hints.posts == []
    v5 = vbulletin.parse(doc_of(VB / "vb5-two-pages/page-2.html"), records=False)
    assert v5.links["pages"] == ["https://community.lanternfish-astro.net/forum/observing/deep-sky/"
                                 "90417-first-light-with-a-10-inch-dobsonian"]


LISTING = """<html><head><meta name="generator" content="vBulletin 3.8.7" />
<script type="text/javascript" src="clientscript/vbulletin_global.js?v=387"></script>
<title>Painting &amp; Weathering - Tinplate Junction</title></head><body>
<table class="tborder"><tr><td class="alt1">
<span class="navbar"><a href="index.php">Tinplate Junction</a></span></td></tr></table>
<div class="pagenav" align="right"><table class="tborder"><tr>
<td class="vbmenu_control" style="font-weight:normal">Page 1 of 2</td>
<td class="alt2"><span class="smallfont" title="Showing results 1 to 2 of 3"><strong>1</strong></span></td>
<td class="alt1"><a class="smallfont" href="forumdisplay.php?f=17&amp;order=desc&amp;page=2" title="">2</a></td>
</tr></table></div>
<table class="tborder" id="threadslist"><tbody id="threadbits_forum_17">
<tr><td class="alt1" id="td_threadtitle_4512"><div>
<a href="showthread.php?s=0123456789abcdef0123456789abcdef&amp;t=4512" id="thread_title_4512">Weathering brass</a>
<a href="showthread.php?t=4512&amp;goto=newpost">
<img src="images/buttons/firstnew.gif" alt="Go to first new post" /></a>
</div></td></tr>
<tr><td class="alt1" id="td_threadtitle_99">
<div><a href="showthread.php?t=99" id="thread_title_99">Gone</a></div></td></tr>
</tbody></table>
<a href="forumdisplay.php?f=17&amp;sort=title&amp;order=asc">Thread title</a>
<a href="printthread.php?t=4512">print</a>
<div class="smallfont">Powered by vBulletin&reg; Version 3.8.7</div></body></html>"""


def test_listing_page_gives_threads_and_listing_pages():
    page = Page(source_file="l.html", source_type="html", body=LISTING.encode(),
                url="http://www.tinplate-junction.org/forums/forumdisplay.php?f=17")
    parsed = vbulletin.parse(Document(page))
    assert parsed.thread is None and "listing" in parsed.skip_reason
    base = "http://www.tinplate-junction.org/forums/"
    assert parsed.links["threads"] == [base + "showthread.php?t=4512", base + "showthread.php?t=99"]
    assert parsed.links["listings"] == [base + "forumdisplay.php?f=17&page=2"]


def board_app(pages: dict[str, bytes]):
    def app(h):
        body = pages.get(h.path)
        return h.send(200, body, "text/html; charset=ISO-8859-1") if body is not None else None
    return app


def test_board_crawl_of_a_local_vb3_board_then_extract(tmp_path):
    case = VB / "vb3-postbit-two-pages"
    pages = {"/forums/forumdisplay.php?f=17": LISTING.encode(),
             "/forums/showthread.php?t=4512": (case / "page-1.html").read_bytes(),
             "/forums/showthread.php?t=4512&page=2": (case / "page-2.html").read_bytes(),
             "/robots.txt": b"User-agent: *\nDisallow:\n"}
    with Server(board_app(pages)) as srv:
        cfg = Config(seeds=[srv.url("/forums/forumdisplay.php?f=17")], output=str(tmp_path / "warc"), scope="board",
                     loopback_only=True, delay=0, timeout=5, backoff=0.01, requisites=False)
        Crawler(cfg, sleep=lambda s: None).run()
        log = srv.log
    fetched = {re.sub(r"^\S+ ", "", line).split(" ")[0] for line in log}
    joined = " ".join(log)
    assert "/forums/showthread.php?t=4512&page=2" in joined
    for trap in ("printthread", "goto=", "sort=", "newreply", "showpost", "s=0123"):
        assert trap not in joined, (trap, fetched)
    summary = extract([str(tmp_path / "warc")], str(tmp_path / "out"), Options(), report=lambda m: None)
    posts = [json.loads(line) for line in (tmp_path / "out/posts.jsonl").read_text().splitlines()]
    assert [p["id"] for p in posts][:1] == ["post/88101"] and len(posts) == 8
    assert summary.failed == 0


# A real vB 3.9 board (issue 15) whose style rebuilt the postbit's tables from divs: div#postN > div.tpost >
# div.trow > div.tcell, the message cell div.tcell#td_post_N, and quotes as div > label + div.panel.alt2 whose
# "view post" link is the thread URL with #postN. Invented names and text in that markup.
DIV_POSTBIT = """<!DOCTYPE html><html><head><meta name="generator" content="vBulletin 3.9.3" />
<script type="text/javascript" src="https://wings.example.org/clientscript/vbulletin_global.js"></script>
<title>Crosswind landings</title></head><body>
<a href="https://wings.example.org/printthread.php?t=512" rel="nofollow">Show Printable Version</a>
<div class="tcell smallfont" itemscope itemtype="http://schema.org/BreadcrumbList">
<span itemprop="itemListElement" itemscope itemtype="http://schema.org/ListItem">
<a href="https://wings.example.org/" itemprop="item"><span itemprop="name">Wings Forums</span></a></span> &gt;
<span itemprop="itemListElement" itemscope itemtype="http://schema.org/ListItem">
<a href="https://wings.example.org/landing-12/" itemprop="item"><span itemprop="name">Landing</span></a></span></div>
<div id="posts">
<div id="edit{pid}"><div id="post{pid}"><div class="tpost"><div class="trow-group">
<div class="trow thead smallfont"><div class="tcell" style="width:175px;">
<a name="post{pid}"><img class="inlineimg" src="https://wings.example.org/images/statusicon/post_old.gif"
 alt="Old" /></a>
3rd Mar 2024, 09:{minute}
</div><div class="tcell text-right">#<a href="https://wings.example.org/{pid}-post{n}.html" id="postcount{pid}"
name="{n}"><strong>{n}</strong></a></div></div>
<div class="trow"><div class="tcell alt2" style="width:175px;"><div id="postmenu_{pid}">
<a rel="nofollow" class="bigusername" href="https://wings.example.org/members/{uid}-{slug}">{name}</a></div>
<div class="smallfont"><div>Join Date: Jul 1999</div><div>Posts: 1,204</div></div></div>
<div class="tcell alt1" id="td_post_{pid}"><div id="post_message_{pid}">{body}</div></div></div>
</div></div></div></div>
<div id="post_thanks_box_{pid}"></div>
{next}
</div></body></html>"""
DIV_QUOTE = """<div style="margin:1rem;"><div><label>Quote:</label></div>
<div class="panel alt2" style="border:1px inset">
<div>Originally Posted by <strong>Ana Reyes</strong>
<a href="https://wings.example.org/landing/512-crosswind-landings.html#post9001" title="View Post">view</a></div>
<div style="font-style:italic">Crab until the flare.</div></div></div>Then kick it straight."""


def test_vb3_postbit_built_from_divs_and_its_quotes(tmp_path):
    second = DIV_POSTBIT.format(pid=9004, minute="12", n=2, uid=31, slug="tom-hale", name="Tom Hale",
                                body=DIV_QUOTE, next="")
    second = second[second.index('<div id="edit9004">'):second.index("</div></body>")]
    page = DIV_POSTBIT.format(pid=9001, minute="05", n=1, uid=30, slug="ana-reyes", name="Ana Reyes",
                              body="Crab until the flare.", next=second)
    path = tmp_path / "512-crosswind-landings.html"
    path.write_text(page)
    assert engines.detect(doc_of(path)) is vbulletin
    posts = parse(path).posts
    assert [(p["id"], p["author_name"], p["author_id"], p["published_raw"]) for p in posts] == [
        ("post/9001", "Ana Reyes", "30", "3rd Mar 2024, 09:05"), ("post/9004", "Tom Hale", "31", "3rd Mar 2024, 09:12")]
    assert posts[0]["body_text"] == "Crab until the flare."
    # the thanks hack's box is there, empty: nobody thanked, no count and no kind
    assert [(p["votes"], p["votes_kind"]) for p in posts] == [(None, None), (None, None)]
    assert [(q["author"], q["post_id"], q["text"]) for q in posts[1]["quotes"]] == [
        ("Ana Reyes", "post/9001", "Crab until the flare.")]
    thread = parse(path).thread  # the crumbs as schema.org BreadcrumbList microdata, not span.navbar links
    assert thread["board"] == "Landing" and thread["extra"]["board_path"] == ["Wings Forums", "Landing"]
