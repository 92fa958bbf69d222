# ruff: noqa: E501  (the listing page keeps XenForo's long lines)
"""XenForo engine: detection, quotes, reactions, dates in several languages, states, pagers, crawl hints."""

from __future__ import annotations

import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from benchmarks import xenforo_pages as xp
from harvester import engines
from harvester.document import Document
from harvester.engines import xenforo
from harvester.engines.toolkit import CLAIM
from harvester.model import Page
from tests.capture_servers import Server
from tests.samples_support import SAMPLES

XF = SAMPLES / "xenforo"


def doc_of(path_or_text, url=None, capture_time=None, source_type="html") -> Document:
    body = path_or_text.read_bytes() if isinstance(path_or_text, Path) else path_or_text.encode()
    return Document(Page(source_file="t.html", source_type=source_type, body=body, url=url,
                         capture_time=capture_time))


def small_thread(lang="en", now=None, pages=1) -> xp.Thread:
    tz = ZoneInfo("Europe/Berlin")
    a = xp.Member("Anna Holt", 5, "Member", xp.at(tz, 2020, 1, 2), 10)
    b = xp.Member("Bert", 6, "Member", xp.at(tz, 2020, 1, 3), 20)
    posts = [xp.Post(100 + i, a if i % 2 == 0 else b, xp.at(tz, 2023, 6, 14, 8 + i, 5), f"Body number {i}.")
             for i in range(3 * pages)]
    return xp.Thread(site="https://forum.example.net", thread_id=77, slug="a-thread", title="A thread", board="Board",
                     board_path="forums/board.2/", crumbs=[], board_title="Example", lang=lang, tz=tz, now=now,
                     pages=[posts[i * 3:(i + 1) * 3] for i in range(pages)])


# --- detection -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case,version", [("xf1-en-two-pages", "1"), ("xf1-fr-saved", "1"), ("xf1-es-locked", "1"),
                                          ("xf2-en-two-pages", "2"), ("xf2-de-wayback", "2")])
def test_detects_xenforo_and_its_version(case, version):
    doc = doc_of(XF / case / "page.html")
    found = xenforo.score(doc)
    assert found.score >= CLAIM and found.version == version and "XenForo footer credit" in found.signs
    ranked = engines.scores(doc)
    assert ranked[0].engine == "xenforo" and all(d.score < found.score for d in ranked[1:])
    assert engines.detect(doc) is xenforo  # ahead of every other engine, schema.org microdata or not


def test_post_markup_alone_claims_the_page():
    """A page cut down to its posts (no html id, scripts or credit) is still XenForo's."""
    html = (XF / "xf2-en-two-pages" / "page.html").read_text(encoding="utf-8")
    body = html[html.index('<div class="block-body'):html.index("</article>", html.index("post-90213")) + 10]
    found = xenforo.score(doc_of(f"<html><body>{body}</body></html>"))
    assert found.score < CLAIM and found.version == "2"  # the markup alone is a weak sign
    scripted = f'<html><head><script src="/js/xf/core-compiled.js"></script></head><body>{body}</body></html>'
    assert xenforo.score(doc_of(scripted)).score >= CLAIM


@pytest.mark.parametrize("page", sorted((SAMPLES / "drupal").glob("*/page.html")), ids=lambda p: p.parent.name)
def test_does_not_claim_drupal_pages(page):
    assert xenforo.score(doc_of(page)).score == 0


def test_generic_schema_org_page_is_not_xenforo():
    page = ('<html><body><article itemscope itemtype="https://schema.org/Comment"><div itemprop="text">hi</div>'
            '<meta itemprop="userInteractionCount" content="3"></article></body></html>')
    assert not xenforo.detect(doc_of(page))


# --- posts -----------------------------------------------------------------------------------------------------
def parsed(case, page="page.html", **kw):
    return xenforo.parse(doc_of(XF / case / page, **kw))


def test_xf2_quotes_carry_the_quoted_post_id_and_leave_no_chrome():
    posts = {p["id"]: p for p in parsed("xf2-en-two-pages", "page-2.html").posts}
    quotes = posts["post/90225"]["quotes"]
    assert [(q["author"], q["post_id"]) for q in quotes] == [("MagsTrent", "post/90220"), ("lena.vasquez", "post/90219")]
    text = posts["post/90225"]["body_text"]
    assert "said:" not in text and "Click to expand" not in text and "Which sealant did you use?" in text


def test_xf1_quotes_from_attribution_links():
    posts = {p["id"]: p for p in parsed("xf1-en-two-pages").posts}
    assert posts["post/7709"]["quotes"] == [{"author": "Nib & Barrel", "text": "Talc on the outside",
                                             "post_id": "post/7705"}]
    assert "said:" not in posts["post/7709"]["body_text"] and "Click to expand" not in posts["post/7709"]["body_text"]


def test_xf20_quotes_without_data_attributes_take_id_and_author_from_the_header():
    """XF 2.0 printed no data-quote/data-source: the "NAME said:" link to goto/post?id=N names both."""
    html = (XF / "xf2-en-two-pages" / "page-2.html").read_text(encoding="utf-8")
    html = re.sub(r' data-(?:attributes|quote|source)="[^"]*"', "", html)
    posts = {p["id"]: p for p in xenforo.parse(doc_of(html)).posts}
    assert [(q["author"], q["post_id"]) for q in posts["post/90225"]["quotes"]] == \
        [("MagsTrent", "post/90220"), ("lena.vasquez", "post/90219")]


def test_xf20_quote_header_in_russian_gives_the_name_alone():
    """A real Russian XF 2.0 board (issue 15) heads quotes "NAME написал(а):" with no data-quote: the name is what
    precedes the verb."""
    html = (XF / "xf2-en-two-pages" / "page-2.html").read_text(encoding="utf-8")
    html = re.sub(r' data-(?:attributes|quote|source)="[^"]*"', "", html).replace(" said:", " написал(а):")
    posts = {p["id"]: p for p in xenforo.parse(doc_of(html)).posts}
    assert [(q["author"], q["post_id"]) for q in posts["post/90225"]["quotes"]] == \
        [("MagsTrent", "post/90220"), ("lena.vasquez", "post/90219")]


def test_reaction_counts_add_names_and_others():
    xf2 = {p["id"]: p for p in parsed("xf2-en-two-pages").posts}
    assert xf2["post/90211"]["votes"] == 2 + 12 and xf2["post/90211"]["votes_kind"] == "reactions"
    assert xf2["post/90211"]["extra"]["reaction_kinds"] == ["Like", "Love"]
    assert xf2["post/90215"]["votes"] == 3 and xf2["post/90219"]["votes"] is None
    xf1 = {p["id"]: p for p in parsed("xf1-fr-saved").posts}
    assert xf1["post/3301"]["votes"] == 6 and xf1["post/3301"]["votes_raw"].endswith("aiment ça.")
    assert xf1["post/3301"]["votes_kind"] == "likes"
    es = {p["id"]: p for p in parsed("xf1-es-locked").posts}
    assert es["post/40121"]["votes"] == 6 and "personas más" in es["post/40121"]["votes_raw"]
    de = parsed("xf2-de-wayback").posts
    assert de[0]["votes"] == 5 and "weitere" in de[0]["votes_raw"]


def test_states_guests_and_edit_notes():
    posts = {p["id"]: p for r in ("page.html", "page-2.html") for p in parsed("xf2-en-two-pages", r).posts}
    assert posts["post/90217"]["deleted"] and posts["post/90217"]["extra"]["state"] == "ignored"
    assert posts["post/90222"]["deleted"] and posts["post/90222"]["extra"]["deletion_note"] == \
        "Deleted by quillspoke, Mar 7, 2023"
    assert posts["post/90222"]["body_text"] == "" and posts["post/90222"]["author_id"] == "2399"
    guest = posts["post/90223"]
    assert guest["author_id"] is None and guest["author_url"] is None and guest["extra"]["anonymous"]
    assert posts["post/90215"]["extra"]["edited_utc"] == "2023-03-05T15:12:00Z"
    assert posts["post/90215"]["extra"]["edited"] == "Last edited: Mar 5, 2023"
    assert "Last edited" not in posts["post/90215"]["body_text"]
    assert "Steel is real" not in posts["post/90211"]["body_text"]  # the signature
    xf1 = {p["id"]: p for p in parsed("xf1-en-two-pages", "page-2.html").posts}
    assert xf1["post/7710"]["deleted"] and xf1["post/7710"]["author_name"] == "Ivy Calder"
    assert xf1["post/7714"]["extra"]["anonymous"]


def test_postbit_facts():
    op = parsed("xf2-en-two-pages").posts[0]
    assert op["author_facts"] == {"user_title": "Well-known member", "joined_raw": "Apr 2, 2019",
                                  "post_count_shown": 1482, "reputation": 370, "location": "Duluth, MN",
                                  "avatar_url": "https://bikeshed.example.org/data/avatars/m/0/318.jpg?1650000000"}
    de = parsed("xf2-de-wayback").posts[0]["author_facts"]  # German labels, Wayback-rewritten avatar
    assert (de["joined_raw"], de["post_count_shown"], de["location"]) == ("11. März 2018", 2730, "Münsterland")
    assert de["avatar_url"] == "https://www.gartenplausch.example.de/data/avatars/m/0/41.jpg?1650000000"
    es = parsed("xf1-es-locked").posts[1]["author_facts"]
    assert es == {"user_title": "Miembro veterano", "joined_raw": "2 Mar 2011", "post_count_shown": 2604,
                  "reputation": 868, "location": "Zaragoza",
                  "avatar_url": "http://www.radiovalvulas.example.es/data/avatars/m/0/214.jpg?1400000000"}
    guest = parsed("xf1-en-two-pages", "page-2.html").posts[2]
    assert guest["extra"]["anonymous"] and "author_facts" not in guest  # "Guest" is no fact about the person


def test_participants_carry_the_postbit_facts(tmp_path):
    """Through extract: each participant has the facts its latest post showed, counted from the posts."""
    import json

    from harvester.cli import main
    assert main(["extract", str(XF / "xf1-es-locked" / "page.html"), "-o", str(tmp_path / "d"), "--no-progress"]) == 0
    people = {p["name"]: p for p in map(json.loads, (tmp_path / "d" / "participants.jsonl").read_text().splitlines())}
    posts = [json.loads(line) for line in (tmp_path / "d" / "posts.jsonl").read_text().splitlines()]
    assert {n: p["posts_in_dataset"] for n, p in people.items()} == \
        {n: sum(q["author_name"] == n for q in posts) for n in people}
    assert (people["Pilar Oyarzun"]["user_title"], people["Pilar Oyarzun"]["location"]) == ("Moderadora", "Bilbao")
    assert people["quique_rad"]["roles"] == ["author", "commenter"] and people["quique_rad"]["reputation"] == 43
    assert people["Tomás"]["anonymous"] and people["Tomás"]["user_title"] is None


def test_locked_thread():
    assert parsed("xf1-es-locked").thread["extra"]["locked"] is True
    assert "locked" not in parsed("xf1-en-two-pages").thread["extra"]
    t = small_thread()
    t.locked = True
    assert xenforo.parse(doc_of(xp.xf2_page(t, 1))).thread["extra"]["locked"] is True


# --- dates -----------------------------------------------------------------------------------------------------
def test_machine_dates_win_and_keep_their_offset():
    p = parsed("xf2-en-two-pages").posts[0]
    assert (p["published_utc"], p["published_local"], p["published_tz"], p["published_tz_source"]) == \
        ("2023-03-04T16:15:00Z", "2023-03-04T10:15:00", "-06:00", "markup")
    assert p["published_raw"] == "Mar 4, 2023 at 10:15 AM"


def test_xf1_title_dates_in_french_and_english_without_zone():
    fr = parsed("xf1-fr-saved").posts
    assert fr[0]["published_local"] == "2015-10-28T21:05:00" and fr[0]["published_utc"] is None
    # "Aujourd'hui à 09:20" with its epoch: the instant, and the printed wall clock with the board's offset
    assert (fr[4]["published_utc"], fr[4]["published_local"], fr[4]["published_tz"]) == \
        ("2015-11-12T08:20:00Z", "2015-11-12T09:20:00", "+01:00")
    en = parsed("xf1-en-two-pages").posts
    assert en[0]["published_local"] == "2014-03-03T21:12:00"
    es = parsed("xf1-es-locked").posts
    assert es[0]["published_local"] == "2016-04-12T18:40:00"  # "12 Abr 2016 a las 18:40"
    assert (es[3]["published_raw"], es[3]["published_utc"], es[3]["published_tz"]) == \
        ("Ayer a las 19:55", "2016-04-20T17:55:00Z", "+02:00")
    zoned = xenforo.parse(doc_of(XF / "xf1-es-locked" / "page.html"), zone=ZoneInfo("Europe/Madrid")).posts
    assert zoned[0]["published_utc"] == "2016-04-12T16:40:00Z"


@pytest.mark.parametrize("lang,word,day", [("de", "Heute um", 14), ("en", "Today at", 14), ("fr", "Aujourd'hui à", 14),
                                           ("es", "Hoy a las", 14), ("de", "Gestern um", 15), ("en", "Yesterday at", 15),
                                           ("fr", "Hier à", 15), ("es", "Ayer a las", 15)])
def test_today_and_yesterday_resolved_against_the_capture_time(lang, word, day):
    from datetime import UTC, datetime
    now = datetime(2023, 6, day, 18, 0, tzinfo=UTC)
    html = xp.xf2_page(small_thread(lang, now=now), 1)
    stripped = re.sub(r' (datetime|data-time|title)="[^"]*"', "", html)  # only the words are left
    captured = f"2023-06-{day}T18:00:00Z"
    posts = xenforo.parse(doc_of(stripped, capture_time=captured)).posts
    assert posts[0]["published_raw"].startswith(word)
    assert posts[0]["published_local"] == "2023-06-14T08:05:00" and posts[0]["published_approximate"]
    assert posts[0]["published_utc"] is None  # the board's zone is unknown
    zoned = xenforo.parse(doc_of(stripped, capture_time=captured), zone=ZoneInfo("Europe/Berlin")).posts
    assert zoned[0]["published_utc"] == "2023-06-14T06:05:00Z" and not zoned[0]["published_approximate"]
    assert xenforo.parse(doc_of(stripped)).posts[0]["published_local"] is None  # no capture time, no guess


# --- pages, merge, archive forms --------------------------------------------------------------------------------
def test_pager_and_page_numbers():
    p1, p2 = parsed("xf2-en-two-pages"), parsed("xf2-en-two-pages", "page-2.html")
    assert (p1.page_number, p1.pages_total, p2.page_number, p2.pages_total) == (0, 2, 1, 2)
    assert p1.posts[0]["is_op"] and not any(p["is_op"] for p in p1.posts[1:] + p2.posts)
    x1 = parsed("xf1-en-two-pages", "page-2.html")
    assert (x1.page_number, x1.pages_total) == (1, 2)
    assert parsed("xf2-de-wayback").pages_total == 2


def test_wayback_copy_gives_the_same_posts_as_the_plain_page():
    from datetime import UTC, datetime
    t = small_thread("de", now=datetime(2023, 6, 15, 9, 30, 12, tzinfo=UTC), pages=2)
    plain = xenforo.parse(doc_of(xp.xf2_page(t, 1), url=t.url()))
    replay = xp.wayback_copy(xp.xf2_page(t, 1), "20230615093012", t.url(), t.site)
    archived = xenforo.parse(Document(Page(source_file="w.html", source_type="html", body=replay.encode())))
    keys = ("id", "author_name", "author_id", "author_url", "published_utc", "body_text", "votes", "url", "quotes",
            "author_facts")
    assert [{k: p[k] for k in keys} for p in archived.posts] == [{k: p[k] for k in keys} for p in plain.posts]
    assert archived.thread["id"] == plain.thread["id"] == "thread/77"


def test_unbalanced_html_in_a_post_loses_no_post():
    t = small_thread(pages=1)
    t.pages[0][1].body = "<div><b>bold <i>open tags <table><tr><td>cell"
    posts = xenforo.parse(doc_of(xp.xf2_page(t, 1))).posts
    assert [p["id"] for p in posts] == ["post/100", "post/101", "post/102"]
    x1 = xenforo.parse(doc_of(xp.xf1_page(t, 1))).posts
    assert [p["id"] for p in x1] == ["post/100", "post/101", "post/102"]


# --- crawl hints -----------------------------------------------------------------------------------------------------
def test_thread_page_hints_name_the_other_pages_and_avoid_traps():
    hints = parsed("xf2-en-two-pages", url="https://bikeshed.example.org/threads/tubeless-on-a-1987-steel-tourer.4821/").links
    assert hints["pages"] == ["https://bikeshed.example.org/threads/tubeless-on-a-1987-steel-tourer.4821/",
                              "https://bikeshed.example.org/threads/tubeless-on-a-1987-steel-tourer.4821/page-2"]
    every = [u for v in hints.values() for u in v]
    assert not any(re.search(r"reply|report|/members/|/goto/|reactions", u) for u in every)


LISTING = """<!DOCTYPE html><html id="XF" lang="en-US" dir="LTR" data-template="forum_view"><head><title>Board</title></head>
<body><div class="p-body"><div class="structItemContainer">
<div class="structItem structItem--thread js-inlineModContainer"><div class="structItem-cell structItem-cell--main">
<div class="structItem-title"><a href="/threads/first-topic.11/" data-tp-primary="on">First topic</a></div>
<div class="structItem-minor"><a href="/members/anna.5/" class="username">Anna</a>
<span class="structItem-pageJump"><a href="/threads/first-topic.11/page-2">2</a></span></div></div></div>
<div class="structItem structItem--thread"><div class="structItem-title"><a href="/forums/board.2/?prefix_id=3" class="labelLink">Q</a>
<a href="/threads/second-topic.12/unread" title="Go to first unread">x</a><a href="/threads/second-topic.12/">Second topic</a></div></div>
</div><nav class="pageNavWrapper"><div class="pageNav"><ul class="pageNav-main"><li class="pageNav-page pageNav-page--current"><a href="/forums/board.2/">1</a></li>
<li class="pageNav-page"><a href="/forums/board.2/page-2">2</a></li></ul>
<a href="/forums/board.2/?order=title&amp;direction=asc">sort</a></div></nav></div>
<footer class="p-footer"><div class="p-footer-copyright"><a href="https://xenforo.com">Community platform by XenForo</a></div></footer></body></html>"""


def test_listing_page_gives_threads_and_listing_pages_but_no_records():
    result = xenforo.parse(doc_of(LISTING, url="https://forum.example.net/forums/board.2/"))
    assert result.thread is None and "XenForo page without posts" in result.skip_reason
    assert result.links["threads"] == ["https://forum.example.net/threads/first-topic.11/",
                                       "https://forum.example.net/threads/second-topic.12/"]
    assert result.links["listings"] == ["https://forum.example.net/forums/board.2/",
                                        "https://forum.example.net/forums/board.2/page-2"]


def test_local_crawl_of_a_board_fetches_every_thread_page(tmp_path):
    from harvester.capture.crawl import Config, Crawler
    from harvester.cli import main

    xf2 = (XF / "xf2-en-two-pages")
    pages = {"/threads/tubeless-on-a-1987-steel-tourer.4821/": (xf2 / "page.html").read_bytes(),
             "/threads/tubeless-on-a-1987-steel-tourer.4821/page-2": (xf2 / "page-2.html").read_bytes(),
             "/forums/workshop-repairs.7/": LISTING.replace("/threads/first-topic.11/",
                                                            "/threads/tubeless-on-a-1987-steel-tourer.4821/").encode()}

    def app(h):
        path = h.path.split("?")[0]
        if path == "/robots.txt":
            return h.send(200, b"User-agent: *\n", "text/plain")
        return h.send(200, pages[path]) if path in pages else None

    with Server(app) as server:
        out = tmp_path / "crawl"
        cfg = Config(seeds=[server.url("/forums/workshop-repairs.7/")], output=str(out), loopback_only=True,
                     delay=0, timeout=5, backoff=0.01, scope="board", requisites=False)
        Crawler(cfg, sleep=lambda s: None).run()
        fetched = set(server.log)
    assert any("/threads/tubeless-on-a-1987-steel-tourer.4821/page-2" in line for line in fetched)
    assert not any("order=title" in line or "/members/" in line for line in fetched)
    dataset = tmp_path / "dataset"
    assert main(["extract", str(out), "--output", str(dataset), "--no-progress"]) in (0, 1)
    import json
    threads = [json.loads(line) for line in (dataset / "threads.jsonl").read_text().splitlines()]
    assert [(t["id"], t["pages_captured"], t["complete"], t["posts_extracted"]) for t in threads] == \
        [("thread/4821", 2, True, 10)]
