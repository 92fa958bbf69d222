"""phpBB engine: detection against every other sample, the facts written for each phpBB sample, dates in each
language against the capture time, pagers, multi-page merge, Wayback, broken markup, crawl hints and traps, and a
crawl of a board served on loopback."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from harvester import engines
from harvester.capture.scope import trap_reason
from harvester.document import Document
from harvester.engines import phpbb
from harvester.engines.toolkit import CLAIM
from harvester.model import Page
from harvester.text import squash
from tests.samples_support import cases, run_case

PHPBB = [c for c in cases() if c.parent.name == "phpbb"]
OTHERS = [c for c in cases() if c.parent.name != "phpbb"]
STYLES = {"phpbb33-prosilver-two-pages": "3.2-3.3 prosilver", "phpbb33-prosilver-wayback": "3.2-3.3 prosilver",
          "phpbb31-prosilver-de-wayback": "3.1 prosilver", "phpbb30-prosilver-fr": "3.0 prosilver",
          "phpbb30-subsilver2": "3.0 subsilver2", "phpbb20-subsilver": "2.0 subSilver"}
TWO_PAGES = next(c for c in PHPBB if c.name == "phpbb33-prosilver-two-pages")
SITE = "https://forum.riverbend-allotments.org/"


def pages_of(case: Path) -> list[Path]:
    return [case / name for name in json.loads((case / "meta.json").read_text(encoding="utf-8"))["pages"]]


def document(path_or_bytes, url: str | None = None) -> Document:
    body = path_or_bytes if isinstance(path_or_bytes, bytes) else Path(path_or_bytes).read_bytes()
    return Document(Page(source_file="page.html", source_type="live" if url else "html", body=body, url=url))


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    cache = {}

    def get(case):
        if case not in cache:
            cache[case] = run_case(case, tmp_path_factory.mktemp(case.name) / "dataset")
        return cache[case]

    return get


# --- Detection -------------------------------------------------------------------------------------
def test_every_style_has_a_sample():
    assert {STYLES[c.name] for c in PHPBB} == set(STYLES.values()) and len(PHPBB) == len(STYLES)


@pytest.mark.parametrize("path", [p for c in PHPBB for p in pages_of(c)], ids=lambda p: f"{p.parent.name}/{p.name}")
def test_phpbb_pages_are_claimed_with_their_style(path):
    found = engines.scores(document(path))
    best = found[0]
    assert best.engine == "phpbb" and best.score >= CLAIM and best.version == STYLES[path.parent.name]
    assert all(d.score < CLAIM for d in found[1:-1])  # no other named engine claims it
    assert engines.detect(document(path)) is phpbb


@pytest.mark.parametrize("path", [p for c in OTHERS for p in pages_of(c)], ids=lambda p: f"{p.parent.name}/{p.name}")
def test_other_samples_are_not_claimed(path):
    assert phpbb.score(document(path)).score < CLAIM


FORUMOTION = """<!DOCTYPE html><html><head><title>Topic - Tea lovers</title>
<link rel="stylesheet" href="https://illiweb.com/rs3/88/frm/prosilver.css" /></head>
<body id="phpbb" class="section-viewtopic ltr"><div id="wrap"><div id="page-body">
<h2 class="topic-title"><a href="/t12-green-or-black">Green or black?</a></h2>
<div id="p0" class="post bg1"><div class="inner"><div class="postbody"><div class="content">Sponsored</div>
</div></div></div>
<div id="p81" class="post bg2"><div class="inner"><div class="postbody">
<h3><a href="/t12-green-or-black#81">Green</a></h3>
<p class="author">by <strong><a href="/u3">leafy</a></strong> &raquo; Mon 4 Mar 2019 - 10:00</p>
<div class="content">Always green.</div></div></div></div>
</div><div class="copyright">Powered by <a href="https://www.phpbb.com/">phpBB</a>&reg;
<a href="https://www.forumotion.com">Forumotion.com</a></div></div></body></html>"""


def test_forumotion_lookalike_is_not_claimed():
    """Forumotion copies prosilver's classes and even credits phpBB; its own signs cancel the phpBB ones."""
    doc = document(FORUMOTION.encode())
    found = phpbb.score(doc)
    assert found.score < CLAIM and "Forumotion host (not phpBB)" in found.signs
    assert engines.detect(doc) is not phpbb
    # the same markup without the host's signs is prosilver-shaped enough to be claimed
    plain = FORUMOTION.replace("illiweb.com", "cdn.example.org").replace("Forumotion.com", "Hosting").replace(
        "forumotion", "example")
    assert phpbb.score(document(plain.encode())).score >= CLAIM


# --- The facts of every sample ---------------------------------------------------------------------
@pytest.mark.parametrize("case", PHPBB, ids=lambda c: c.name)
def test_sample_facts_beyond_the_common_ones(case, results):
    """Quotes with post ids, edit notes, deleted posts, times, board paths: facts written from the pages."""
    facts = json.loads((case / "meta.json").read_text(encoding="utf-8"))["facts"]
    actual = results(case)
    thread = actual["threads"][0]
    for key in ("board_path", "posts_shown"):
        if key in facts["thread"]:
            assert thread["extra"][key] == facts["thread"][key], key
    for post, fact in zip(actual["posts"], facts["posts"], strict=True):
        assert [{"author": q["author"], "post_id": q["post_id"]} for q in post["quotes"]] == fact.get("quotes", [])
        assert post["extra"].get("edited") == fact.get("edited")
        assert post["deleted"] == fact.get("deleted", False)
        for key in ("published_utc", "published_local"):
            if key in fact:
                assert post[key] == fact[key], (post["id"], key)
        if "iso_in_markup" in fact:
            assert post["published_tz_source"] == "markup"
        if "body_ends" in fact:
            assert squash(post["body_text"]).endswith(fact["body_ends"])
        assert post["thread_id"] == facts["thread"]["id"]


def test_quotes_join_the_posts_they_quote(results):
    """3.2+ quotes name the quoted post: every such id is a post of the dataset, by the quoted author."""
    posts = results(TWO_PAGES)["posts"]
    by_id = {p["id"]: p for p in posts}
    links = [(p["id"], q["post_id"], q["author"]) for p in posts for q in p["quotes"] if q["post_id"]]
    assert links == [("5304", "5301", "marigold_jo"), ("5320", "5304", "Tomasz K"), ("5340", "5327", "Tomasz K")]
    assert all(by_id[target]["author_name"] == author for _, target, author in links)
    assert all(p["parent_id"] is None and p["depth"] == 0 for p in posts)  # boards are flat


def test_signatures_edit_notes_and_buttons_stay_out_of_bodies(results):
    leftovers = re.compile(r"beans, mostly|Seed swap|rota questions|Spur H0|Six ruches|Wood and canvas|"
                           r"one set a month|_{5}|Last edited|Zuletzt geändert|Dernière édition|Select all|"
                           r"Reply with quote|Display this post|lid\.jpg|shed-roof")
    for case in PHPBB:
        for post in results(case)["posts"]:
            assert not leftovers.search(post["body_text"]), (case.name, post["id"], post["body_text"])


def test_guests_are_anonymous_and_members_have_postbit_facts(results):
    parts = {p["name"]: p for p in results(TWO_PAGES)["participants"]}
    assert parts["passing_gardener"]["anonymous"] and parts["passing_gardener"]["url"] is None
    jo = parts["marigold_jo"]
    assert (jo["user_title"], jo["post_count_shown"], jo["joined_raw"], jo["location"]) == (
        "Seasoned Digger", 412, "Mon Apr 12, 2021 7:03 pm", "Plot 14B")
    assert jo["avatar_url"] == SITE + "download/file.php?avatar=54_1618250611.jpg"
    for case, name, title, count in (("phpbb30-prosilver-fr", "Mathilde B.", "Apicultrice confirmée", 1204),
                                     ("phpbb30-subsilver2", "cedar_strip", "Club Member", 388),
                                     ("phpbb20-subsilver", "valvehead", "Soldering Iron Veteran", 1503)):
        found = {p["name"]: p for p in results(next(c for c in PHPBB if c.name == case))["participants"]}
        assert (found[name]["user_title"], found[name]["post_count_shown"]) == (title, count), case
        guests = [p for p in found.values() if p["anonymous"]]
        assert len(guests) == 1 and guests[0]["url"] is None


# --- Dates ---------------------------------------------------------------------------------------
DE = next(c for c in PHPBB if c.name == "phpbb31-prosilver-de-wayback")


def test_today_and_yesterday_need_the_capture_time():
    doc = document(DE / "page.html")
    assert doc.page.capture_time == "2016-03-05T10:30:00Z"
    posts = phpbb.parse(doc, zone=None).posts  # no zone: the capture's UTC day stands in, approximate
    assert [(p["published_raw"], p["published_local"], p["published_approximate"]) for p in posts] == [
        ("03.03.2016, 18:20", "2016-03-03T18:20:00", False), ("Gestern, 21:40", "2016-03-04T21:40:00", True),
        ("Heute, 08:05", "2016-03-05T08:05:00", True), ("Heute, 10:12", "2016-03-05T10:12:00", True)]
    doc = document(DE / "page.html")
    doc.page.capture_time = None  # the same page with no capture time: "Heute" cannot be placed
    posts = phpbb.parse(doc, zone=None).posts
    assert [p["published_local"] for p in posts] == ["2016-03-03T18:20:00", None, None, None]
    assert [p["published_raw"] for p in posts][1:] == ["Gestern, 21:40", "Heute, 08:05", "Heute, 10:12"]


@pytest.mark.parametrize("raw, local", [
    ("Tue Mar 05, 2024 9:12 pm", "2024-03-05T21:12:00"),  # English default 'D M d, Y g:i a'
    ("Mo 5. Mär 2018, 10:15", "2018-03-05T10:15:00"),  # German 'D j. M Y, H:i'
    ("Lun 4 Fév 2008, 14:05", "2008-02-04T14:05:00"),  # French pack shortening CLDR lacks
    ("Jeu 7 Juil 2008, 09:31", "2008-07-07T09:31:00"),
    ("mar 12 mar 2019, 14:05", "2019-03-12T14:05:00"),  # Spanish/Italian
    ("12 paź 2015, 18:03", "2015-10-12T18:03:00"),  # Polish
    ("12 окт 2015, 18:03", "2015-10-12T18:03:00"),  # Russian
    ("12 okt 2015 18:03", "2015-10-12T18:03:00"),  # Dutch
    ("Seg Out 12, 2015 6:03 pm", "2015-10-12T18:03:00"),  # Portuguese
])
def test_board_date_formats_in_each_language(raw, local):
    page = (TWO_PAGES / "page-1.html").read_text(encoding="utf-8")
    page = re.sub(r'<time datetime="[^"]*">Tue Mar 05, 2024 9:12 am</time>', raw, page, count=1)
    post = phpbb.parse(document(page.encode())).posts[0]
    assert (post["published_raw"], post["published_local"]) == (raw, local)


# --- Pages, merge, Wayback, broken markup ------------------------------------------------------------
@pytest.mark.parametrize("name, page, number, total", [
    ("phpbb33-prosilver-two-pages", "page-1.html", 0, 2), ("phpbb33-prosilver-two-pages", "page-2.html", 1, 2),
    ("phpbb31-prosilver-de-wayback", "page.html", 0, 1), ("phpbb30-prosilver-fr", "page.html", 0, 1),
    ("phpbb30-subsilver2", "page.html", 1, 2), ("phpbb20-subsilver", "page.html", 0, 2)])
def test_pagers(name, page, number, total):
    parsed = phpbb.parse(document(next(c for c in PHPBB if c.name == name) / page))
    assert (parsed.page_number, parsed.pages_total) == (number, total)


def test_two_pages_merge_into_one_thread(results):
    out = results(TWO_PAGES)
    thread, posts = out["threads"][0], out["posts"]
    assert (thread["pages_captured"], thread["pages_total"], thread["complete"], thread["posts_extracted"]) == (
        2, 2, True, 8)
    assert [p["position"] for p in posts] == list(range(8)) and [p["is_op"] for p in posts] == [True] + [False] * 7
    assert thread["extra"]["posts_shown"] == len(posts)  # "8 posts" printed by the board
    counted = Counter(p["author_key"] for p in posts)
    assert {p["key"]: p["posts_in_dataset"] for p in out["participants"]} == dict(counted)


def test_wayback_capture_gives_the_plain_page_posts():
    plain = phpbb.parse(document(TWO_PAGES / "page-1.html"))
    replay = phpbb.parse(document(next(c for c in PHPBB if c.name == "phpbb33-prosilver-wayback") / "page.html"))
    keys = ("id", "url", "author_name", "author_id", "author_url", "published_utc", "body_text", "quotes", "extra")
    assert [{k: p[k] for k in keys} for p in replay.posts] == [{k: p[k] for k in keys} for p in plain.posts]
    assert replay.thread == plain.thread and replay.links == plain.links


def test_unbalanced_html_inside_a_post_loses_no_post():
    page = (TWO_PAGES / "page-1.html").read_text(encoding="utf-8")
    broken = page.replace("Soak it for a week", "<div><b>Soak <table><tr><td>it for a week", 1)
    assert broken != page
    before = phpbb.parse(document(page.encode())).posts
    after = phpbb.parse(document(broken.encode())).posts
    assert [(p["id"], p["author_name"], p["published_raw"]) for p in after] == [
        (p["id"], p["author_name"], p["published_raw"]) for p in before]
    assert after[0]["body_text"] == before[0]["body_text"]


def test_prosilver_30_page_saved_without_its_address_takes_the_topic_from_the_title_link():
    """3.0 prosilver heads the topic with a bare <h2><a href="./viewtopic.php?f=F&t=T"> and prints no canonical
    link: a page saved without its address (a real one, issue 15) was skipped as "without posts" because the h2
    itself, not its link, was taken as the topic link."""
    case = next(c for c in PHPBB if c.name == "phpbb30-prosilver-fr")
    page = (case / "page.html").read_text(encoding="utf-8")
    page = page[page.index("<!DOCTYPE"):]  # no "saved from" line: the page names no address of its own
    parsed = phpbb.parse(document(page.encode()))
    assert parsed.skip_reason is None and parsed.thread["id"] == "t318"
    assert parsed.thread["title"] == "Frelons devant la ruche n°3" and len(parsed.posts) > 1


def test_pseudo_posts_without_an_id_are_skipped():
    page = (TWO_PAGES / "page-1.html").read_text(encoding="utf-8")
    ad = ('<div id="p0" class="post bg3"><div class="inner"><div class="postbody"><p class="author">Sponsor</p>'
          '<div class="content">Buy seeds</div></div></div></div>')
    posts = phpbb.parse(document(page.replace('\t<div id="p5304"', ad + '\t<div id="p5304"', 1).encode())).posts
    assert [p["id"] for p in posts] == ["5301", "5304", "5309", "5312", "5320"]


# --- Crawl hints and traps ---------------------------------------------------------------------------
def test_topic_pages_name_their_other_pages():
    one = phpbb.parse(document(TWO_PAGES / "page-1.html"), records=False)
    two = phpbb.parse(document(TWO_PAGES / "page-2.html"), records=False)
    assert one.thread == {"id": "t482", "url": SITE + "viewtopic.php?t=482"} and one.posts == []
    assert one.links["pages"] == [SITE + "viewtopic.php?t=482&start=5"]
    assert two.links["pages"] == [SITE + "viewtopic.php?t=482"]
    old = phpbb.parse(document(next(c for c in PHPBB if c.name == "phpbb20-subsilver") / "page.html"))
    assert old.links["pages"] == ["http://www.oldradio-restorers.net/forum/viewtopic.php?t=2041&postdays=0"
                                  "&postorder=asc&start=15"]
    for parsed in (one, two, old):
        for url in (u for kind in parsed.links.values() for u in kind):
            assert not set(parse_qs(urlsplit(url).query)) & phpbb.TRAP_KEYS, url


def viewforum(base: str = "./") -> str:
    """A prosilver 3.3 forum listing (viewforum_body.html, pagination.html) with the links a crawler meets."""
    rows = []
    for n, (t, title, replies, sticky, pages) in enumerate(((401, "Watering rota 2024", 12, True, 3),
                                                            (482, "Rain barrels: plastic or wooden?", 7, False, 2),
                                                            (455, "Hosepipe ban lessons", 3, False, 1))):
        pager = ""
        if pages > 1:
            items = "".join(f'<li><a class="button" href="{base}viewtopic.php?t={t}'
                            f'{"" if k == 0 else f"&amp;start={5 * k}"}">{k + 1}</a></li>' for k in range(pages))
            pager = (f'<div class="pagination"><span><i class="icon fa-clone fa-fw" aria-hidden="true"></i></span>'
                     f'<ul>{items}</ul></div>')
        rows.append(
            f'<li class="row bg{1 + n % 2}{" sticky" if sticky else ""}"><dl class="row-item topic_read">'
            f'<dt title="No unread posts"><div class="list-inner">'
            f'<a href="{base}viewtopic.php?t={t}" class="topictitle">{title}</a><br />'
            f'<div class="topic-poster responsive-hide left-box">by <a href="{base}memberlist.php?mode=viewprofile'
            f'&amp;u=54" class="username">marigold_jo</a> &raquo; <time datetime="2024-03-05T09:12:44+00:00">'
            f'Tue Mar 05, 2024 9:12 am</time></div>{pager}</div></dt>'
            f'<dd class="posts">{replies} <dfn>Replies</dfn></dd><dd class="views">{replies * 31} <dfn>Views</dfn></dd>'
            f'<dd class="lastpost"><span><dfn>Last post </dfn>by <a href="{base}memberlist.php?mode=viewprofile&amp;'
            f'u=88" class="username">Tomasz K</a> <a href="{base}viewtopic.php?p={5000 + t}#p{5000 + t}" '
            f'title="Go to last post"><i class="icon fa-external-link-square fa-fw icon-lightgray icon-md"></i></a>'
            f'<br /><time datetime="2024-03-07T21:26:58+00:00">Thu Mar 07, 2024 9:26 pm</time></span></dd></dl></li>')
    return f"""<!DOCTYPE html><html dir="ltr" lang="en-gb"><head><meta charset="utf-8" />
<title>Water and irrigation - Riverbend Allotments</title></head>
<body id="phpbb" class="nojs notouch section-viewforum ltr "><div id="wrap" class="wrap">
<div id="page-header"><div class="navbar" role="navigation">
<ul id="nav-breadcrumbs" class="nav-breadcrumbs linklist navlinks">
<li class="breadcrumbs" itemscope itemtype="https://schema.org/BreadcrumbList"><span class="crumb"><a itemprop="item"
href="{base}index.php"><span itemprop="name">Board index</span></a></span><span class="crumb" data-forum-id="2"><a
itemprop="item" href="{base}viewforum.php?f=2"><span itemprop="name">Growing</span></a></span></li></ul>
<a href="{base}ucp.php?mode=login">Login</a> <a href="{base}search.php?search_id=active_topics">Active topics</a>
</div></div><div id="page-body" class="page-body">
<h2 class="forum-title"><a href="{base}viewforum.php?f=7">Water and irrigation</a></h2>
<div class="action-bar bar-top"><a href="{base}posting.php?mode=post&amp;f=7" class="button">New Topic</a>
<div class="pagination">3 topics &bull; Page <strong>1</strong> of <strong>2</strong><ul>
<li class="active"><span>1</span></li><li><a class="button" href="{base}viewforum.php?f=7&amp;start=25">2</a></li>
<li class="arrow next"><a class="button button-icon-only" href="{base}viewforum.php?f=7&amp;start=25" rel="next">
Next</a></li></ul></div></div>
<div class="forumbg"><div class="inner"><ul class="topiclist"><li class="header"><dl class="row-item"><dt>
<div class="list-inner">Topics</div></dt><dd class="posts">Replies</dd><dd class="views">Views</dd></dl></li></ul>
<ul class="topiclist topics">{"".join(rows)}</ul></div></div>
<a href="{base}viewforum.php?hash=9f8e7d6c&amp;f=7&amp;mark=topics&amp;mark_time=1710000000">Mark topics read</a>
<a href="{base}viewtopic.php?f=7&amp;t=482&amp;view=unread#unread">First unread post</a>
</div><div class="copyright">Powered by <a href="https://www.phpbb.com/">phpBB</a>&reg; Forum Software
&copy; phpBB Limited</div></div></body></html>"""


def test_listing_page_gives_threads_and_listings_without_traps():
    doc = document(viewforum().encode(), url=SITE + "viewforum.php?f=7")
    assert engines.detect(doc) is phpbb
    parsed = phpbb.parse(doc)
    assert parsed.thread is None and parsed.posts == [] and "listing" in parsed.skip_reason
    assert parsed.links["threads"] == [SITE + "viewtopic.php?t=401", SITE + "viewtopic.php?t=401&start=5",
                                       SITE + "viewtopic.php?t=401&start=10", SITE + "viewtopic.php?t=482",
                                       SITE + "viewtopic.php?t=482&start=5", SITE + "viewtopic.php?t=455"]
    assert parsed.links["listings"] == [SITE + "viewforum.php?f=2", SITE + "viewforum.php?f=7",
                                        SITE + "viewforum.php?f=7&start=25"]
    assert parsed.links["pages"] == []


@pytest.mark.parametrize("url", ["memberlist.php", "memberlist.php?mode=team", "ucp.php?mode=login", "mcp.php?i=queue",
                                 "search.php?search_id=active_topics", "viewtopic.php?t=482&view=print",
                                 "viewtopic.php?f=7&t=482&view=unread", "viewforum.php?hash=ab&f=7&mark=topics",
                                 "posting.php?mode=reply&t=482", "report.php?p=5301", "viewonline.php",
                                 "viewtopic.php?t=482&hilit=barrel"])
def test_crawler_scope_avoids_phpbb_traps(url):
    assert trap_reason(SITE + url)


@pytest.mark.parametrize("url", ["viewtopic.php?t=482", "viewtopic.php?t=482&start=5", "viewforum.php?f=7&start=25",
                                 "index.php", "memberlist.php?mode=viewprofile&u=54"])
def test_crawler_scope_keeps_phpbb_pages(url):
    assert trap_reason(SITE + url) is None


def test_board_crawl_of_a_local_phpbb_board(tmp_path):
    """Board scope from the forum listing: both pages of the listed topic and nothing the traps name."""
    from harvester.extract import Options, extract
    from tests.capture_servers import Server
    from tests.test_capture_crawl import crawl

    topic = {"0": (TWO_PAGES / "page-1.html").read_bytes(), "5": (TWO_PAGES / "page-2.html").read_bytes()}

    def app(h):
        parts = urlsplit(h.path)
        q = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if parts.path == "/robots.txt":
            return h.send(200, b"User-agent: *\nDisallow:\n", "text/plain")
        if parts.path == "/board/viewforum.php" and q.get("f") == "7" and "start" not in q:
            return h.send(200, viewforum().encode())
        if parts.path == "/board/viewtopic.php" and q.get("t") == "482" and q.get("start", "0") in topic:
            return h.send(200, topic[q.get("start", "0")])
        return None

    with Server(app) as srv:
        crawler = crawl(tmp_path / "crawl", [srv.url("/board/viewforum.php?f=7")], scope="board", requisites=False)
        log = [p for p in srv.log if not p.startswith("/robots")]
    assert {"/board/viewforum.php?f=7", "/board/viewtopic.php?t=482", "/board/viewtopic.php?t=482&start=5"} <= set(log)
    assert not [p for p in log if trap_reason("http://h" + p) or re.search(r"[?&](p|view|mark|sid)=", p)], log
    assert crawler.summary.pages == len(log)
    summary = extract([str(tmp_path / "crawl")], str(tmp_path / "out"), Options(), report=lambda m: None)
    assert summary.failed == 0
    threads = [json.loads(line) for line in (tmp_path / "out" / "threads.jsonl").read_text().splitlines()]
    t482 = next(t for t in threads if t["id"] == "t482")
    assert (t482["posts_extracted"], t482["pages_captured"], t482["complete"]) == (8, 2, True)


def test_benchmark_corpus_pages_are_read_whole():
    """The generated phpBB corpus is read as phpBB, every post of every page, recounted from the generator."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import generate_phpbb

    for page in generate_phpbb.iter_corpus(seed=3, pages=12):
        doc = Document(Page(source_file="bench", source_type="warc", body=page.html, url=page.url))
        assert engines.detect(doc) is phpbb
        parsed = phpbb.parse(doc)
        shown = ([page.thread] + page.thread.comments)[page.page * 10:(page.page + 1) * 10]
        assert len(parsed.posts) == len(shown) and all(p["author_name"] for p in parsed.posts)
        assert parsed.thread["id"] == f"t{page.thread.nid}"


# 3.0 subsilver2's print view (viewtopic.php?...&view=print), as real saved pages of a Russian board show it
# (issue 15): invented names and text in its markup.
PRINT_S2 = """<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html dir="ltr" lang="ru-ru"><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<title>kayak.example :: Весенний сплав</title></head><body>
<table width="85%" cellspacing="3" cellpadding="0" border="0" align="center">
<tr><td colspan="2" align="center"><span class="Forum">kayak.example</span><br /><span class="gensmall">
<a href="http://forum.kayak.example/">http://forum.kayak.example/</a></span></td></tr>
<tr><td colspan="2"><br /></td></tr>
<tr><td><span class="topic">Весенний сплав</span><br /><span class="gensmall">
<a href="http://forum.kayak.example/viewtopic.php?f=3&amp;t=812">
http://forum.kayak.example/viewtopic.php?f=3&amp;t=812</a>
</span></td>
<td align="right" valign="bottom">
<span class="gensmall">Страница <strong>2</strong> из <strong>3</strong></span></td></tr>
</table>
%s
<hr width="85%" />
<table width="85%" cellspacing="3" cellpadding="0" border="0" align="center">
<tr><td><span class="gensmall">Страница <strong>2</strong> из <strong>3</strong></span></td>
<td align="right"><span class="gensmall">Часовой пояс: UTC + 3 часа</span></td></tr>
<tr><td colspan="2" align="center">
<span class="gensmall">Powered by phpBB &copy; 2000, 2002, 2005, 2007 phpBB Group<br />
http://www.phpbb.com/</span></td></tr></table></body></html>"""
PRINT_S2_POST = """<hr width="85%" />
<table width="85%" cellspacing="3" cellpadding="0" border="0" align="center">
<tr><td width="10%" nowrap="nowrap">Автор:&nbsp;</td><td><b>{name}</b> [ {date} ]</td></tr>
<tr><td width="10%" nowrap="nowrap">Заголовок сообщения:&nbsp;</td><td><b>{subject}</b></td></tr>
<tr><td colspan="2"><hr class="sep" />{body}</td></tr>
</table>"""


def test_subsilver2_print_view():
    rows = (("Вера Орлова", "Пн апр 11, 2011 5:20 pm", "Re: Весенний сплав", "Вода высокая."),
            ("Пётр Ив", "Пн апр 11, 2011 5:32 pm", "Re: Весенний сплав",
             '<div class="quotetitle">Вера Орлова писал(а):</div><div class="quotecontent">Вода высокая.</div>'
             "<br />Тогда в субботу."))
    posts = "".join(PRINT_S2_POST.format(name=name, date=date, subject=subject, body=body)
                    for name, date, subject, body in rows)
    doc = document(PRINT_S2.replace("%s", posts).encode())
    assert engines.detect(doc) is phpbb and phpbb.score(doc).version == "3.0 subsilver2 print"
    parsed = phpbb.parse(doc)
    assert parsed.thread["id"] == "t812" and parsed.thread["title"] == "Весенний сплав"
    assert (parsed.page_number, parsed.pages_total) == (1, 3)
    assert [(p["id"], p["author_name"], p["published_raw"]) for p in parsed.posts] == [
        ("t812-print-2.1", "Вера Орлова", "Пн апр 11, 2011 5:20 pm"),
        ("t812-print-2.2", "Пётр Ив", "Пн апр 11, 2011 5:32 pm")]
    assert parsed.posts[0]["title"] == "Re: Весенний сплав" and parsed.posts[0]["body_text"] == "Вода высокая."
    assert [q["author"] for q in parsed.posts[1]["quotes"]] == ["Вера Орлова"]



# A board theme rebuilt on prosilver with Bootstrap (as a real 3.0 board's was, issue 15): div.author instead of
# p.author, no h3 subjects, no topic-title link, the topic title a bare <h2>, no canonical link, saved without its
# address. It scored 8 and was skipped.
CUSTOM_PROSILVER = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Loom Makers &bull; Thema anzeigen -
Warp tension on a rigid heddle</title><link rel="stylesheet" href="./styles/loomy/theme/stylesheet.css"></head>
<body><div class="container"><div class="row-fluid"><div class="span9"><h2>Loom Makers</h2></div></div>
<div class="row-fluid"><div class="span9"><h2>Warp tension on a rigid heddle</h2></div></div>
<div class="row-fluid"><div class="topic-actions span8">
<a href="./posting.php?mode=reply&amp;f=7&amp;t=9141&amp;sid=ab12" class="btn btn-info">Post a reply</a></div>
<div class="paging span4 text-right">2 posts</div></div>%s
<a href="./viewforum.php?f=7&amp;sid=ab12" class="btn left">Return to Weaving</a></div></body></html>"""
CUSTOM_POST = """<div id="p{pid}" class="post row-fluid {parity}"><div class="postbody span9">
<div class="author">by <strong><a href="./memberlist.php?mode=viewprofile&amp;u={uid}&amp;sid=ab12">{name}</a></strong>
&raquo; {date} </div><div class="content">{body}</div></div>
<dl class="postprofile span3" id="profile{pid}"><dt></dt><dd><strong>Posts:</strong> 12</dd>
<dd><strong>Joined:</strong> Tue Dec 18, 2012 5:03 pm</dd></dl></div>"""


def test_custom_theme_rebuilt_on_prosilver_is_read():
    posts = "".join(CUSTOM_POST.format(pid=pid, parity=parity, uid=uid, name=name, date=date, body=body) for
                    pid, parity, uid, name, date, body in (
                        (7001, "even", 55, "Ada Spindle", "Wed Jan 02, 2013 7:14 pm", "My warp sags in the middle."),
                        (7009, "odd", 61, "Bo Treadle", "Thu Jan 03, 2013 6:50 pm",
                         "<blockquote><div><cite>Ada Spindle wrote:</cite>My warp sags.</div></blockquote>"
                         "Wind it tighter.")))
    doc = document((CUSTOM_PROSILVER % posts).encode())
    found = phpbb.score(doc)
    assert engines.detect(doc) is phpbb and found.score >= CLAIM
    assert "prosilver profile column (dl.postprofile#profileN)" in found.signs
    parsed = phpbb.parse(doc)
    # the topic from the reply button, its address as viewtopic.php; the title is the heading <title> ends with,
    # not the board's own heading
    assert parsed.thread["id"] == "t9141" and parsed.thread["url"].endswith("viewtopic.php?f=7&t=9141")
    assert parsed.thread["title"] == "Warp tension on a rigid heddle"
    assert [(p["id"], p["author_name"], p["author_id"], p["published_raw"]) for p in parsed.posts] == [
        ("7001", "Ada Spindle", "55", "Wed Jan 02, 2013 7:14 pm"),
        ("7009", "Bo Treadle", "61", "Thu Jan 03, 2013 6:50 pm")]
    assert parsed.posts[1]["quotes"][0]["author"] == "Ada Spindle"
    assert parsed.posts[1]["body_text"].endswith("Wind it tighter.")


def test_heading_title_needs_the_page_title_to_end_with_it():
    page = CUSTOM_PROSILVER.replace("Warp tension on a rigid heddle</h2>", "Something else</h2>")
    parsed = phpbb.parse(document((page % CUSTOM_POST.format(
        pid=1, parity="even", uid=2, name="Ada", date="Wed Jan 02, 2013 7:14 pm", body="Hi")).encode()))
    assert parsed.thread["id"] == "t9141" and parsed.thread["title"] is None


# --- The zone the board states ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["phpbb20-subsilver", "phpbb30-prosilver-fr", "phpbb30-subsilver2"])
def test_dates_take_the_offset_the_board_states(name, results):
    """2.0 and 3.0 print the offset every date was shifted by ("All times are GMT", "UTC + 1 heure", "UTC - 5 hours
    [ DST ]"): recomputed here from the page's own words, each post's UTC time is its printed time minus it."""
    case = next(c for c in PHPBB if c.name == name)
    page = re.sub(r"<abbr[^>]*>[^<]*</abbr>", "", (case / pages_of(case)[0].name).read_text(encoding="utf-8"))
    said = re.search(r"All times are (?:UTC|GMT)(?:\s*([+-])\s*(\d+))?[^\d<\[]*(\[)?|format UTC \+ (\d+)", page)
    sign, hours, dst, french = said.groups()
    hours = int(french) if french else (int(hours) * (-1 if sign == "-" else 1) if hours else 0) + (1 if dst else 0)
    posts = results(case)["posts"]
    assert posts
    for post in posts:
        local = datetime.fromisoformat(post["published_local"])
        assert post["published_utc"] == (local - timedelta(hours=hours)).isoformat() + "Z"
        assert post["published_tz_source"] == "markup"


ZONE_PAGE = """<html><head><title>t</title></head><body id="phpbb"><div id="page-body">
<h2 class="topic-title"><a href="./viewtopic.php?f=2&amp;t=77">Sundials</a></h2>
<div id="p901" class="post bg2"><div class="inner"><div class="postbody"><h3><a href="#p901">Sundials</a></h3>
<p class="author"><a href="./viewtopic.php?p=901#p901"></a>by <strong>
<a href="./memberlist.php?mode=viewprofile&amp;u=3">ada</a></strong> &raquo; <span class="responsive-hide">{when}</span>
</p><div class="content">{body}</div></div></div></div>
</div><div id="page-footer"><ul id="nav-footer" class="nav-footer linklist"><li class="rightside">{footer}</li></ul>
</div><p class="copyright">Powered by <a href="https://www.phpbb.com/">phpBB</a></p></body></html>"""


@pytest.mark.parametrize(("footer", "when", "utc", "tz"), [
    # 3.1 names the zone in the title: summer and winter dates take their own offsets
    ('All times are <span title="Europe/Berlin">UTC+01:00</span>', "Sun Jul 12, 2015 8:03 pm",
     "2015-07-12T18:03:00Z", "Europe/Berlin"),
    ('All times are <span title="Europe/Berlin">UTC+01:00</span>', "Mon Jan 12, 2015 8:03 pm",
     "2015-01-12T19:03:00Z", "Europe/Berlin"),
    # a language pack's translated name is no zone, and the rendering day's offset may not be the date's
    ('Alle Zeiten sind <span title="Europa/Berlin">UTC+01:00</span>', "Sun Jul 12, 2015 8:03 pm", None, None),
    # language packs that print the name after the offset: a translated name is no zone, a real one is
    ("Tutti gli orari sono UTC+02:00 Europa/Roma", "Mon Jan 12, 2015 8:03 pm", None, None),
    ("Tutti gli orari sono UTC+02:00 Europe/Rome", "Mon Jan 12, 2015 8:03 pm", "2015-01-12T19:03:00Z", "Europe/Rome"),
    # 3.0: an offset of hours and minutes, with and without the DST mark
    ("All times are UTC + 5:30 hours", "Sun Jul 12, 2015 8:03 pm", "2015-07-12T14:33:00Z", "+05:30"),
    ("All times are UTC - 3 hours [ DST ]", "Sun Jul 12, 2015 8:03 pm", "2015-07-12T22:03:00Z", "-02:00"),
    # two different statements: nothing is said
    ("All times are UTC + 1 hour</li><li>All times are UTC + 2 hours", "Sun Jul 12, 2015 8:03 pm", None, None),
])
def test_stated_zone_forms(footer, when, utc, tz):
    page = ZONE_PAGE.format(footer=footer, when=when, body="Shadow at noon.")
    post = phpbb.parse(document(page.encode())).posts[0]
    assert (post["published_utc"], post["published_tz"]) == (utc, tz)
    assert post["published_tz_source"] == ("markup" if utc else None)


def test_a_zone_written_in_a_post_is_not_the_boards_and_the_boards_beats_the_option():
    from harvester.dates import get_zone
    inside = ZONE_PAGE.format(footer="", when="Sun Jul 12, 2015 8:03 pm", body="<p>All times are UTC + 9 hours</p>")
    assert phpbb.parse(document(inside.encode())).posts[0]["published_utc"] is None
    stated = ZONE_PAGE.format(footer="All times are UTC + 2 hours", when="Sun Jul 12, 2015 8:03 pm", body="x")
    post = phpbb.parse(document(stated.encode()), zone=get_zone("America/Chicago")).posts[0]
    assert (post["published_utc"], post["published_tz_source"]) == ("2015-07-12T18:03:00Z", "markup")
    plain = ZONE_PAGE.format(footer="", when="Sun Jul 12, 2015 8:03 pm", body="x")
    post = phpbb.parse(document(plain.encode()), zone=get_zone("America/Chicago")).posts[0]
    assert (post["published_utc"], post["published_tz_source"]) == ("2015-07-13T01:03:00Z", "option")


def test_a_flood_of_zone_statements_is_cheap_and_says_nothing():
    """50,000 'All times are UTC + N hours' lines in a spam block outside the posts: each was searched whole (5.7 s
    for this 12 MB page); two different statements now end the search, and only a text's end is read."""
    import time

    page = (TWO_PAGES / "page-1.html").read_text(encoding="utf-8")
    flood = "".join(f"<p>All times are UTC + {i % 12} hours {'UTC ' * 50}</p>" for i in range(50_000))
    doc = Document(Page(source_file="t.html", source_type="html", body=page.replace(
        "</body>", flood + "</body>", 1).encode()), max_bytes=100_000_000)
    started = time.perf_counter()
    posts = phpbb.parse(doc).posts
    assert time.perf_counter() - started < 3  # generous: the page's parse is done, this is the engine alone
    assert len(posts) == 5 and all(p["published_tz_source"] == "markup" for p in posts)  # the <time> offsets
