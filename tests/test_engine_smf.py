"""The SMF engine on its samples (1.1, 2.0 Curve, 2.0 German, 2.1) and on pages changed for one behaviour each."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from harvester.capture.scope import trap_reason
from harvester.document import Document
from harvester.engines import detect, scores, smf
from harvester.model import Page
from tests.samples_support import SAMPLES, cases, run_case

SMF = SAMPLES / "smf"
CASES = sorted(p.name for p in SMF.iterdir() if (p / "meta.json").exists())
VERSIONS = {"smf11-two-pages": "1.1", "smf20-curve-wayback": "2.0", "smf20-curve-german": "2.0",
            "smf21-two-pages": "2.1"}


def doc_of(path: Path, url: str | None = None, html: str | None = None, capture_time: str | None = None):
    body = html.encode() if html is not None else path.read_bytes()
    return Document(Page(source_file=str(path), source_type="html", body=body, url=url, capture_time=capture_time))


def meta(case: str) -> dict:
    return json.loads((SMF / case / "meta.json").read_text(encoding="utf-8"))


def pages_of(case: str) -> list[Path]:
    return [SMF / case / name for name in meta(case)["pages"]]


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    cache = {}

    def get(case):
        if case not in cache:
            cache[case] = run_case(SMF / case, tmp_path_factory.mktemp(case) / "out")
        return cache[case]

    return get


# --- detection ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", CASES)
def test_detected_with_version_and_above_every_other_engine(case):
    for path in pages_of(case):
        found = scores(doc_of(path))
        assert found[0].engine == "smf" and found[0].version == VERSIONS[case], found
        assert all(d.score < found[0].score for d in found[1:])
        assert detect(doc_of(path)) is smf


def test_smf_claims_no_other_sample():
    others = [c for c in cases() if c.parent.name != "smf"]
    assert others
    for case in others:
        for name in json.loads((case / "meta.json").read_text())["pages"]:
            assert smf.score(doc_of(case / name)).score < smf.toolkit.CLAIM, case


# --- what the samples' own facts say beyond the parametrised sample test ------------------------------
@pytest.mark.parametrize("case", CASES)
def test_quotes_name_the_quoted_message(case, results):
    facts = meta(case)["facts"]
    posts = {p["id"]: p for p in results(case)["posts"]}
    for pid, quotes in facts["quotes"].items():
        assert [[q["author"], q["post_id"]] for q in posts[pid]["quotes"]] == quotes, pid
    quoted = {q["post_id"] for p in posts.values() for q in p["quotes"] if q["post_id"]}
    assert quoted <= set(posts)  # every linked quote points at a message of the same thread
    for pid, note in facts["edited"].items():
        assert posts[pid]["extra"]["edited"] == note
        assert "Last Edit" not in posts[pid]["body_text"] and "Letzte" not in posts[pid]["body_text"]
    assert sorted(p["id"] for p in posts.values() if p["deleted"]) == sorted(facts.get("deleted", []))


@pytest.mark.parametrize("case", CASES)
def test_counts_recomputed_from_the_pages(case, results):
    out = results(case)
    raw = "".join(p.read_text(encoding="utf-8") for p in pages_of(case))
    ids = re.findall(r'id="subject_(\d+)"', raw)
    assert [p["id"] for p in out["posts"]] == [f"msg/{i}" for i in ids]
    assert [p["position"] for p in out["posts"]] == list(range(len(ids)))
    authors = {p["author_key"] for p in out["posts"]}
    assert authors == {p["key"] for p in out["participants"]}
    for person in out["participants"]:
        assert person["posts_in_dataset"] == sum(p["author_key"] == person["key"] for p in out["posts"])
    # guests: no profile link in the poster column, anonymous participants
    guests = {p["author_name"] for p in out["posts"] if p["extra"].get("anonymous")}
    assert guests == {p["name"] for p in out["participants"] if p["anonymous"]} and len(guests) == 1
    assert all(p["author_id"] is None and p["author_url"] is None for p in out["posts"] if p["extra"].get("anonymous"))
    # signatures are not body text
    assert not any("Tourenwart" in p["body_text"] or "Millbrook Junction" in p["body_text"] or
                   "pinned calendar" in p["body_text"] or "water troughs" in p["body_text"] for p in out["posts"])


def test_postbit_facts_and_karma(results):
    people = {p["name"]: p for p in results("smf20-curve-german")["participants"]}
    assert people["Sepp Hintermoser"]["user_title"] == "Moderator"
    assert people["Sepp Hintermoser"]["post_count_shown"] == 1502
    assert people["Gipfelgrantler"]["reputation"] == -4  # "Karma: +0/-4"
    assert people["Wanderer aus Kempten"]["user_title"] is None  # the guest's "Gast" line is no rank
    people = {p["name"]: p for p in results("smf21-two-pages")["participants"]}
    assert people["Nadia Perrault"]["location"] == "Saint-Malo"
    assert people["old_refractor"]["avatar_url"].endswith("/avatars/Astronomy/saturn.png")
    people = {p["name"]: p for p in results("smf11-two-pages")["participants"]}
    assert people["Harold_K"]["post_count_shown"] == 1388 and people["tinplate_tess"]["reputation"] == 1


def test_likes_and_unapproved(results):
    posts = {p["id"]: p for p in results("smf21-two-pages")["posts"]}
    assert [posts[i]["votes"] for i in ("msg/5501", "msg/5507", "msg/5512")] == [3, 1, None]
    assert posts["msg/5501"]["votes_kind"] == "likes"
    assert posts["msg/5541"]["extra"]["unapproved"] is True and not posts["msg/5541"]["deleted"]


# --- dates ----------------------------------------------------------------------------------------------
def test_dates_in_english_german_and_day_words(results):
    wb = {p["id"]: p for p in results("smf20-curve-wayback")["posts"]}
    for pid, local in meta("smf20-curve-wayback")["facts"]["published_local"].items():
        assert wb[pid]["published_local"] == local and wb[pid]["published_approximate"], pid
    assert wb["msg/9811"]["published_local"] == "2011-06-12T19:45:10" and not wb["msg/9811"]["published_approximate"]
    de = {p["id"]: p for p in results("smf20-curve-german")["posts"]}
    assert de["msg/1204"]["published_local"] == "2010-10-07T19:40:51"
    # "Heute um 09:14:27" on a page saved without a capture time: the day cannot be known
    assert de["msg/1213"]["published_raw"] == "Heute um 09:14:27" and de["msg/1213"]["published_local"] is None
    v21 = {p["id"]: p for p in results("smf21-two-pages")["posts"]}
    assert v21["msg/5512"]["published_local"] == "2023-03-15T07:40:00"


def test_heute_resolved_against_a_capture_time_and_zone():
    path = SMF / "smf20-curve-german" / "page.html"
    doc = doc_of(path, capture_time="2010-10-08T08:05:00Z")
    from harvester.dates import get_zone

    parsed = smf.parse(doc, zone=get_zone("Europe/Berlin"))
    last = parsed.posts[-1]
    assert last["published_local"] == "2010-10-08T09:14:27" and last["published_utc"] == "2010-10-08T07:14:27Z"


# --- pager, pages, merge ----------------------------------------------------------------------------------
@pytest.mark.parametrize("case, numbers, total", [("smf11-two-pages", [0, 1], 2), ("smf21-two-pages", [0, 1], 2),
                                                  ("smf20-curve-german", [0], 2), ("smf20-curve-wayback", [0], 1)])
def test_pager(case, numbers, total):
    parsed = [smf.parse(doc_of(p)) for p in pages_of(case)]
    assert [p.page_number for p in parsed] == numbers
    assert {p.pages_total for p in parsed} == {total}


def test_two_pages_merge_into_one_thread(results):
    out = results("smf21-two-pages")
    assert len(out["threads"]) == 1
    thread = out["threads"][0]
    assert thread["pages_captured"] == 2 and thread["complete"] and thread["posts_extracted"] == 7
    assert [p["is_op"] for p in out["posts"]] == [True] + [False] * 6


# --- crawl hints and traps --------------------------------------------------------------------------------
def test_topic_page_names_its_other_pages_only():
    site = "https://forum.harbourlights-astro.example/index.php"
    first, second = (smf.parse(doc_of(p), records=False) for p in pages_of("smf21-two-pages"))
    assert first.links == {"pages": [f"{site}?topic=812.4"], "threads": [], "listings": []}
    assert second.links["pages"] == [f"{site}?topic=812.0"]
    assert first.thread == {"id": "topic/812", "url": f"{site}?topic=812.0"} and first.posts == []
    q = smf.parse(doc_of(pages_of("smf11-two-pages")[0]), records=False)
    assert q.links["pages"] == ["http://www.riverside-models.example/forum/index.php/topic,57.3.html"]
    assert q.thread["url"] == "http://www.riverside-models.example/forum/index.php/topic,57.0.html"
    full = smf.parse(doc_of(pages_of("smf21-two-pages")[0]))
    assert full.links == first.links  # the crawler's cheap parse agrees with the full one


LISTING = """<!DOCTYPE html><html><head><script>var smf_scripturl = "http://b.example/index.php";</script>
<link rel="canonical" href="http://b.example/index.php?board=3.0"></head><body>
<div class="navigate_section"><ul><li><a href="http://b.example/index.php"><span>Club</span></a> &#187;</li>
<li class="last"><a href="http://b.example/index.php?board=3.0"><span>Patch</span></a></li></ul></div>
<div class="pagesection"><div class="pagelinks floatleft">Pages: [<strong>1</strong>]
<a class="navPages" href="http://b.example/index.php?board=3.20">2</a></div></div>
<div class="tborder topic_table" id="messageindex"><table class="table_grid"><thead><tr class="catbg">
<th><a href="http://b.example/index.php?board=3.0;sort=subject">Subject</a></th></tr></thead><tbody>
<tr><td class="subject windowbg2"><div><span id="msg_9811"><a href="http://b.example/index.php?topic=1402.0">Blight</a></span>
<p>Started by <a href="http://b.example/index.php?action=profile;u=211">carol</a>
<small id="pages9811">&#171; <a class="navPages" href="http://b.example/index.php?topic=1402.0">1</a>
<a class="navPages" href="http://b.example/index.php?topic=1402.15">2</a> &#187;</small></p></div></td></tr>
<tr><td class="subject windowbg2"><div><span id="msg_9700"><a href="http://b.example/index.php?topic=1399.0">Slugs</a></span>
<a href="http://b.example/index.php?topic=1399.msg9790#new">new</a></div></td></tr>
</tbody></table></div>
<a href="http://b.example/index.php?action=markasread;sa=board;board=3.0">Mark read</a>
<div id="footer_section"><a href="http://www.simplemachines.org">Simple Machines</a></div></body></html>"""


def test_listing_page_gives_topics_and_board_pages():
    doc = doc_of(Path("listing.html"), html=LISTING)
    assert detect(doc) is smf
    parsed = smf.parse(doc, records=False)
    assert parsed.thread is None and parsed.posts == []
    assert parsed.links["threads"] == ["http://b.example/index.php?topic=1402.0", "http://b.example/index.php?topic=1399.0"]
    assert parsed.links["listings"] == ["http://b.example/index.php?board=3.0", "http://b.example/index.php?board=3.20"]
    assert smf.parse(doc).skip_reason


@pytest.mark.parametrize("url", [
    "http://h/index.php?action=post;quote=5501;topic=812.0;last_msg=5541",
    "http://h/index.php?action=printpage;topic=812.0",
    "http://h/index.php?action=likes;ltype=msg;sa=like;like=5501;e3a7c1f0=5d0b",
    "http://h/index.php?action=search2", "http://h/index.php?action=mlist",
    "http://h/index.php?topic=812.0;prev_next=next#new", "http://h/index.php/topic,57.0/prev_next,prev.html",
    "http://h/index.php?topic=1399.new#new", "http://h/index.php?board=3.0;sort=subject",
    "http://h/index.php?wap2", "http://h/index.php?action=profile;area=showposts;u=41",
])
def test_traps_avoided(url):
    assert trap_reason(url)


@pytest.mark.parametrize("url", ["http://h/index.php?topic=812.4", "http://h/index.php/topic,57.3.html",
                                 "http://h/index.php?msg=5501", "http://h/index.php?topic=9.msg77#msg77",
                                 "http://h/index.php?board=3.20", "http://h/index.php?action=profile;u=41"])
def test_pages_worth_crawling_are_not_traps(url):
    assert trap_reason(url) is None


# --- archived forms and broken markup ---------------------------------------------------------------------
def unwrap_wayback(html: str) -> str:
    html = re.sub(r"<script[^>]*bundle-playback.*?<!-- End Wayback Rewrite JS Include -->", "", html, flags=re.S)
    html = re.sub(r"<!-- BEGIN WAYBACK TOOLBAR INSERT -->.*?<!-- END WAYBACK TOOLBAR INSERT -->", "", html, flags=re.S)
    html = re.sub(r"(?:https://web\.archive\.org)?/web/\d{14}(?:[a-z]{2}_)?/", "", html)
    return html[: html.index("</html>") + 7]


def test_wayback_capture_gives_the_posts_of_the_plain_page():
    path = SMF / "smf20-curve-wayback" / "page.html"
    archived = smf.parse(doc_of(path))
    plain_html = unwrap_wayback(path.read_text(encoding="utf-8"))
    assert "web.archive.org" not in plain_html and "__wm" not in plain_html
    plain = smf.parse(doc_of(path, html=plain_html, capture_time="2011-06-14T18:22:05Z"))
    keys = ("id", "url", "author_name", "author_id", "author_url", "published_raw", "published_local",
            "body_text", "body_html", "quotes", "extra", "deleted")
    assert [{k: p[k] for k in keys} for p in archived.posts] == [{k: p[k] for k in keys} for p in plain.posts]
    assert archived.thread["url"] == plain.thread["url"] and len(archived.posts) == 4


@pytest.mark.parametrize("case", CASES)
def test_unbalanced_html_in_a_body_loses_no_post(case):
    for path in pages_of(case):
        html = path.read_text(encoding="utf-8")
        count = len(smf.parse(doc_of(path)).posts)
        # a post body that opens tags it never closes, and closes some it never opened
        body_open = r'(<div class="inner"[^>]*>)' if 'class="inner"' in html else r'(<div class="post">)'
        broken = re.sub(body_open, r"\1<div><b><i><table><tr><td>unclosed</span></div></blockquote>", html, count=1)
        assert broken != html
        assert len(smf.parse(doc_of(path, html=broken)).posts) == count, path


def test_quote_author_in_several_languages():
    assert smf.quote_author("Quote from: Dennis Oakley on Yesterday at 09:02:33 PM") == "Dennis Oakley"
    assert smf.quote_author("Zitat von: Wanderer aus Kempten am 08. Oktober 2010, 07:12:40") == "Wanderer aus Kempten"
    assert smf.quote_author("Citation de : Jean Dupont le 3 mars 2012, 10:15:00") == "Jean Dupont"
    assert smf.quote_author("Cita de: pepe en Marzo 05, 2012, 10:15:00 am") == "pepe"
    assert smf.quote_author("Quote from: Visiting Bob") == "Visiting Bob"
    assert smf.quote_author("Quote") is None


def test_sticky_and_locked_from_the_topic_icons():
    path = SMF / "smf21-two-pages" / "page-0.html"
    plain = smf.parse(doc_of(path)).thread["extra"]
    assert (plain["sticky"], plain["locked"]) == (False, False)
    title = '<span id="top_subject">First light with a 150mm Dobsonian</span>'
    locked = path.read_text(encoding="utf-8").replace(title, title + ' <span class="main_icons lock"></span>')
    assert smf.parse(doc_of(path, html=locked)).thread["extra"]["locked"] is True
    path = SMF / "smf20-curve-german" / "page.html"
    sticky = path.read_text(encoding="utf-8").replace("topic/veryhot_post.gif", "topic/quiet_post_sticky.gif")
    extra = smf.parse(doc_of(path, html=sticky)).thread["extra"]
    assert (extra["sticky"], extra["locked"]) == (True, False)


# SMF 2.0's Core theme (issue 15: a real board's topic page was skipped as "without a topic"): no div.post_wrapper,
# each post a div.windowbg|windowbg2 in a div.bordercolor, the pager "Pages: [1] 2" in a div.middletext and the
# crumbs in ul.linktree. Invented names and text.
CORE_20 = """<!DOCTYPE html><html><head><title>Pump schedules</title>
<link rel="canonical" href="https://fen.example.org/index.php/topic,512.0.html?PHPSESSID=abc" />
<script type="text/javascript">var smf_scripturl = "https://fen.example.org/index.php";</script></head><body>
<ul class="linktree" id="linktree_upper">
<li><a href="https://fen.example.org/index.php"><span>Fen Club</span></a> &gt;</li>
<li><a href="https://fen.example.org/index.php#c1"><span>Drainage</span></a> &gt;</li>
<li><a href="https://fen.example.org/index.php/board,4.0.html"><span>Pumps</span></a> &gt;</li>
<li class="last">Topic:
<a href="https://fen.example.org/index.php/topic,512.0.html"><span>Pump schedules</span></a></li>
</ul>
<div id="bodyarea"><a id="msg7001"></a>
<div class="clearfix margintop" id="postbuttons"><div class="margintop middletext floatleft">Pages: [<strong>1</strong>]
<a class="navPages" href="https://fen.example.org/index.php/topic,512.15.html">2</a></div></div>
<div id="forumposts" class="tborder">
<form action="https://fen.example.org/index.php?action=quickmod2;topic=512.0" method="post" id="quickModForm">
%s
</form></div></div>
<div class="copyright"><a href="https://www.simplemachines.org/">Powered by SMF 2.0</a></div></body></html>"""
CORE_POST = """<div class="bordercolor"><a id="msg{id}"></a>
<div class="clearfix {bg} largepadding">
<div class="floatleft poster"><h4><a href="https://fen.example.org/index.php?action=profile;u={uid}">{name}</a></h4>
<ul class="reset smalltext" id="msg_{id}_extra_info"><li>Posts: 12</li></ul></div>
<div class="postarea"><div class="flow_hidden"><div class="keyinfo">
<h5 id="subject_{id}"><a href="https://fen.example.org/index.php/topic,512.msg{id}.html#msg{id}">{subject}</a></h5>
<div class="smalltext">&#171; <strong>{reply} on:</strong> March 3, 2009, 0{hour}:15:00 PM &#187;</div></div></div>
<div class="post"><hr class="hrcolor" /><div class="inner" id="msg_{id}">{body}</div></div></div>
<div class="moderatorbar"><div class="signature" id="msg_{id}_signature">Dig deep</div></div>
</div></div>"""


def test_smf20_core_theme_posts_pager_and_crumbs(tmp_path):
    posts = "".join(CORE_POST.format(id=7001 + i, bg="windowbg" if i % 2 == 0 else "windowbg2", uid=40 + i,
                                     name=name, subject=("Re: " if i else "") + "Pump schedules",
                                     reply=f"Reply #{i}" if i else "", hour=i + 1, body=body)
                    for i, (name, body) in enumerate((("Ada Marsh", "When does the east pump run?"),
                                                      ("Ben Reed", "Every night at ten."))))
    doc = doc_of(tmp_path / "page.html", html=CORE_20 % posts)
    assert detect(doc) is smf
    parsed = smf.parse(doc)
    assert parsed.skip_reason is None
    assert [(p["id"], p["author_name"], p["author_id"]) for p in parsed.posts] == \
        [("msg/7001", "Ada Marsh", "40"), ("msg/7002", "Ben Reed", "41")]
    assert parsed.posts[1]["published_raw"] == "March 3, 2009, 02:15:00 PM"
    assert parsed.posts[0]["body_text"] == "When does the east pump run?"  # no signature
    assert parsed.pages_total == 2 and parsed.thread["title"] == "Pump schedules"
    assert parsed.thread["board"] == "Pumps" and parsed.thread["extra"]["board_path"] == ["Drainage", "Pumps"]
    assert parsed.links["pages"] == ["https://fen.example.org/index.php/topic,512.15.html"]
