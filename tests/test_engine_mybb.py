"""MyBB 1.8 (issue 15): detection, posts recomputed from the pages with plain lxml, the pager, crawl hints and a
local crawl."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from harvester.capture.crawl import Config, Crawler
from harvester.cli import main
from harvester.document import Document
from harvester.engines import detect, mybb
from harvester.model import Page
from tests.capture_servers import Server, static_app
from tests.conftest import read_jsonl
from tests.samples_support import SAMPLES, foreign_pages

MYBB = SAMPLES / "mybb"
PAGES = {"mybb18-two-pages": ["page-1.html", "page-2.html"], "mybb18-spanish-wayback": ["page.html"]}
SITE = "https://forum.tidewater-kayak.example.com/"


def _doc(path, url=None) -> Document:
    return Document(Page(source_file=str(path), source_type="html", body=path.read_bytes(), url=url))


def _shown(case: str) -> list[dict]:
    """What each div.post#post_N of the pages shows: id, author and uid, quoted pids, deleted, the date's title."""
    out = []
    for name in PAGES[case]:
        root = etree.fromstring((MYBB / case / name).read_bytes(), etree.HTMLParser())
        for div in root.iter("div"):
            if "post" not in (div.get("class") or "").split() or not (div.get("id") or "").startswith("post_"):
                continue
            large = next(s for s in div.iter("span") if s.get("class") == "largetext")
            link = large.find("a")
            date = next((s for s in div.iter("span") if s.get("class") == "post_date"), None)
            titled = date.find("span[@title]") if date is not None else None
            out.append({"id": div.get("id")[5:], "author": "".join(large.itertext()).strip(),
                        "uid": re.search(r"uid=(\d+)", link.get("href")).group(1) if link is not None else None,
                        "quoted": [re.search(r"pid=(\d+)", a.get("href")).group(1) for a in div.iter("a")
                                   if a.get("class") == "quick_jump"],
                        "deleted": "deleted_post_hidden" in div.get("class"),
                        "date_title": titled.get("title") if titled is not None else None})
    return out


@pytest.mark.parametrize("case", sorted(PAGES))
def test_detected_from_the_page_alone(case):
    for name in PAGES[case]:
        assert detect(_doc(MYBB / case / name)) is mybb


def test_no_other_sample_is_taken_for_mybb():
    for page in foreign_pages("mybb"):
        assert mybb.score(_doc(page)).score < 10, page


@pytest.mark.parametrize("case", sorted(PAGES))
def test_posts_match_what_the_pages_show(case, tmp_path):
    assert main(["extract", *(str(MYBB / case / p) for p in PAGES[case]), "-o", str(tmp_path / "o"),
                 "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "o" / "posts.jsonl")
    shown = _shown(case)
    assert [p["id"] for p in posts] == [s["id"] for s in shown]
    for post, seen in zip(posts, shown, strict=True):
        assert post["author_name"] == seen["author"]
        assert post["author_id"] == seen["uid"]
        assert bool(post["extra"].get("anonymous")) == (seen["uid"] is None)
        assert [q["post_id"] for q in post["quotes"]] == seen["quoted"]
        assert post["deleted"] == seen["deleted"]
        if seen["date_title"]:  # "Yesterday"/"Ayer": the date the word stands for
            assert post["published_raw"].startswith(seen["date_title"])
        assert post["parent_id"] is None and post["depth"] == 0
        for noise in ("Club trips every second", "Huerto Urbano Ebro", "last modified", "Última modificación"):
            assert noise not in post["body_text"]
    assert posts[0]["is_op"] and not any(p["is_op"] for p in posts[1:])
    threads = read_jsonl(tmp_path / "o" / "threads.jsonl")
    assert len(threads) == 1 and threads[0]["pages_total"] == len(PAGES[case])


def test_pager_and_crawl_hints():
    url = SITE + "showthread.php?tid=2071&page=2"
    parsed = mybb.parse(_doc(MYBB / "mybb18-two-pages" / "page-2.html", url), records=False)
    assert parsed.thread == {"id": "tid/2071", "url": SITE + "showthread.php?tid=2071"}
    assert parsed.page_number == 1
    assert parsed.links["pages"] == [SITE + "showthread.php?tid=2071"]


LISTING = """<!DOCTYPE html><html><head><title>Boats and gear</title>
<script type="text/javascript" src="jscripts/general.js?ver=1827"></script></head><body>
<div class="navigation"><a href="index.php">Tidewater Kayak Forum</a> &rsaquo;
<span class="active">Boats and gear</span></div>
<table class="tborder clear"><tr class="inline_row"><td class="trow1 forumdisplay_regular">
<div><span><span class=" subject_new" id="tid_2071"><a href="showthread.php?tid=2071">Rudder or skeg for a first sea
kayak?</a></span><span class="smalltext">(Pages: <a href="showthread.php?tid=2071">1</a>
<a href="showthread.php?tid=2071&amp;page=2">2</a>)</span></span>
<div class="author smalltext"><a href="member.php?action=profile&amp;uid=14">nina.holm</a></div></div></td>
<td class="trow1 forumdisplay_regular"><a href="showthread.php?tid=2071&amp;action=lastpost">Last Post</a></td></tr>
</table>
<div class="pagination"><span class="pages">Pages (2):</span> <span class="pagination_current">1</span>
<a href="forumdisplay.php?fid=9&amp;page=2" class="pagination_page">2</a></div>
<span id="copyright">Powered By <a href="https://mybb.com" target="_blank" rel="noopener">MyBB</a></span>
</body></html>"""


def test_local_crawl_of_a_forum(tmp_path):
    routes: dict[str, bytes] = {}

    with Server(static_app(routes)) as server:
        case = MYBB / "mybb18-two-pages"

        def local(name):
            return (case / name).read_text(encoding="utf-8").replace(SITE, server.base + "/").encode()
        routes.update({"/forumdisplay.php?fid=9": LISTING.encode(),
                       "/showthread.php?tid=2071": local("page-1.html"),
                       "/showthread.php?tid=2071&page=2": local("page-2.html")})
        cfg = Config(seeds=[server.url("/forumdisplay.php?fid=9")], output=str(tmp_path / "crawl"), scope="board",
                     delay=0, requisites=False, loopback_only=True)
        Crawler(cfg, sleep=lambda s: None).run()
        log = [p for p in server.log if p != "/robots.txt"]
    assert "/showthread.php?tid=2071" in log and "/showthread.php?tid=2071&page=2" in log
    assert not any("action=" in p or "pid=" in p for p in log), log
    assert main(["extract", str(tmp_path / "crawl"), "-o", str(tmp_path / "ds"), "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "ds" / "posts.jsonl")
    assert [p["id"] for p in posts] == [s["id"] for s in _shown("mybb18-two-pages")]


def test_mybb_16_table_postbit(tmp_path):
    """MyBB 1.6: posts are table.tborder#post_N; the edit note sits in the date cell, the signature after the
    message, details in td.post_author_info."""
    page = MYBB / "mybb16-wayback" / "page.html"
    assert detect(_doc(page)) is mybb and mybb.score(_doc(page)).version == "1.6"
    assert main(["extract", str(page), "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "o" / "posts.jsonl")
    root = etree.fromstring(page.read_bytes(), etree.HTMLParser())
    tables = [t.get("id")[5:] for t in root.iter("table") if (t.get("id") or "").startswith("post_")]
    assert [p["id"] for p in posts] == tables
    assert posts[0]["extra"]["edited"].startswith("This post was last modified")
    assert "modified" not in (posts[0]["published_raw"] or "")
    assert "Never change all the filter media" not in posts[1]["body_text"]  # the signature
    assert posts[1]["quotes"][0]["post_id"] == posts[0]["id"]
    people = {p["name"]: p for p in read_jsonl(tmp_path / "o" / "participants.jsonl")}
    assert people["TankDoc"]["post_count_shown"] == 5318 and people["TankDoc"]["reputation"] == 88


def test_threaded_mode_takes_the_tree_from_the_indented_links(tmp_path):
    """Threaded mode shows one post; its parent and depth come from the 'Messages In This Thread' tree, each level
    13 px further in (recomputed here from the styles)."""
    page = MYBB / "mybb18-threaded" / "page.html"
    root = etree.fromstring(page.read_bytes(), etree.HTMLParser())
    levels = []
    for div in root.iter("div"):
        m = re.match(r"margin-left:\s*(\d+)px", (div.get("style") or "").strip())
        if m:
            a = div.find("a")
            pid = re.search(r"pid=(\d+)", a.get("href")).group(1) if a is not None else "19311"  # bold: shown
            levels.append((pid, int(m.group(1)) // 13))
    parent_of = {}
    for i, (pid, level) in enumerate(levels):
        parent_of[pid] = next((p for p, lv in reversed(levels[:i]) if lv == level - 1), None)
    assert main(["extract", str(page), "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    (post,) = read_jsonl(tmp_path / "o" / "posts.jsonl")
    assert post["id"] == "19311" and post["parent_id"] == parent_of["19311"] == "19304"
    assert post["depth"] == 1 and not post["is_op"]
    (thread,) = read_jsonl(tmp_path / "o" / "threads.jsonl")
    assert thread["extra"]["display_mode"] == "threaded"


# A theme seen on a real board (issue 15): the crumbs listed in div.breadcrumb (home icon first, the thread last as
# a.active to "#"), an alerts popup with its own td.thead before the posts, the thread's title as td.thead > strong
# (no div), the quick reply box's td.thead > div > strong after the posts, and search-engine-friendly links
# (User-NAME, Thread-SLUG) so that only the reputation link carries the uid. Invented names and text.
SEO_THEME = """<!DOCTYPE html><html><head><title>Rudder pins</title>
<script src="https://paddlers.example.org/jscripts/general.js"></script></head><body>
<table class="tborder"><tr><td class="thead" colspan="2"><strong>Recent Alerts</strong></td></tr></table>
<div class="breadcrumb"><ul>
<li class="first_crumb"><a href="index.php"><span>i</span> <span>&nbsp;</span></a>
<li><a href="https://paddlers.example.org/index.php"><span>Paddlers</span></a></li>
<li><a href="Forum-Gear"><span>Gear</span></a></li>
<li><a href="Forum-Repairs"><span>Repairs</span></a></li>
<li><a href="#" class="active"><span>Rudder pins</span></a></li>
</ul></div>
<table class="tborder tfixed clear"><tr><td class="thead" colspan="2">
<strong>Rudder pins</strong> <a href="#thread_menu" class="float_right">menu</a>
<div class="popup_menu" id="thread_menu"><a class="popup_item" href="printthread.php?tid=4411">Print</a></div>
</td></tr></table>
<div id="posts">
<a name="pid90001" id="pid90001"></a>
<div class="post classic" id="post_90001">
<div class="post_author"><div class="author_information">
<strong><span class="largetext"><a href="https://paddlers.example.org/User-Marit-Olsen">
<span>Marit Olsen</span></a></span></strong>
<span class="smalltext">Member</span></div>
<div class="author_statistics smalltext"><div>Posts: <span class="float_right">12</span></div>
<div>Reputation: <span class="float_right"><a href="reputation.php?uid=3307">
<strong class="reputation_neutral">2</strong></a></span></div>
</div></div>
<div class="post_content"><div class="post_head"><span class="post_date">03-02-2014, 08:15 PM</span>
<a href="Thread-Rudder-pins?pid=90001#pid90001" class="posturl">#1</a></div>
<div class="post_body scaleimages" id="pid_90001">Which pins fit the older rudder?</div></div>
</div>
</div>
<table class="tborder"><tr><td class="thead" colspan="2"><div><strong>Quick Reply</strong></div></td></tr>
<tr><td><input type="hidden" name="tid" value="4411"></td></tr></table>
<div id="copyright">Powered By <a href="https://mybb.com">MyBB</a></div>
</body></html>"""


def test_theme_with_listed_crumbs_and_search_engine_friendly_links(tmp_path):
    page = tmp_path / "Thread-Rudder-pins.html"
    page.write_text(SEO_THEME)
    assert detect(_doc(page)) is mybb
    assert main(["extract", str(page), "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    (thread,) = read_jsonl(tmp_path / "o" / "threads.jsonl")
    assert thread["title"] == "Rudder pins"  # not the quick reply box's "Quick Reply", nor "Recent Alerts"
    assert thread["board"] == "Repairs" and thread["extra"]["board_path"] == ["Gear", "Repairs"]
    (post,) = read_jsonl(tmp_path / "o" / "posts.jsonl")
    assert post["author_url"] == "https://paddlers.example.org/User-Marit-Olsen"
    assert post["author_id"] == "3307" and post["author_key"].endswith("/user:3307")


def test_thanks_of_the_thank_you_like_plugin_are_votes(tmp_path):
    """Each post's votes are the profile links in its span#tyl_data_PID, counted here with plain lxml; a soft-
    deleted post (no thanks box) has none; a board set to 'Like' gives votes_kind likes."""
    case = MYBB / "mybb18-two-pages"
    shown = {}
    for name in PAGES["mybb18-two-pages"]:
        root = etree.fromstring((case / name).read_bytes(), etree.HTMLParser())
        for div in root.iter("div"):
            if (div.get("id") or "").startswith("post_") and "post" in (div.get("class") or "").split():
                pid = div.get("id")[5:]
                data = [s for s in div.iter("span") if s.get("id") == f"tyl_data_{pid}"]
                shown[pid] = len([a for a in data[0].iter("a")]) if data else None
    assert main(["extract", *(str(case / n) for n in PAGES["mybb18-two-pages"]), "-o", str(tmp_path / "o"),
                 "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "o" / "posts.jsonl")
    assert {p["id"]: p["votes"] for p in posts} == shown and sorted(v for v in shown.values() if v) == [1, 1, 2]
    assert {p["votes_kind"] for p in posts if p["votes"] is not None} == {"thanks"}
    html = (case / "page-1.html").read_text(encoding="utf-8")
    liked = html.replace("users say Thank You to", "users Like").replace("user says Thank You to", "user Likes")
    (tmp_path / "liked.html").write_text(liked, encoding="utf-8")
    parsed = mybb.parse(_doc(tmp_path / "liked.html"))
    assert [(p["votes"], p["votes_kind"]) for p in parsed.posts] == [(2, "likes"), (1, "likes"), (0, "likes")]
