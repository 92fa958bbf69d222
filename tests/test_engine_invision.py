"""Invision Community 4 and 5 and IP.Board 3 (issue 15): detection, posts recomputed from the pages with plain lxml
(comment or post ids, authors, dates, quoted ids, reaction sums, likes and reputation points), the pager and crawl
hints."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from lxml import etree

from harvester.cli import main
from harvester.document import Document
from harvester.engines import detect, invision
from harvester.model import Page
from tests.conftest import read_jsonl
from tests.samples_support import SAMPLES, foreign_pages

IPS = SAMPLES / "invision"
PAGES = {"ips46-two-pages": ["page.html", "page-2.html"], "ips5-german-wayback": ["page.html"]}
BASE = "https://community.retrocomputing-club.example/topic/8841-replacing-the-psu-in-a-1984-home-computer/"
PAGES_3 = {"ipb3-two-pages": ["page.html", "page-2.html"], "ipb3-german-wayback": ["page.html"]}
BASE_3 = "https://forums.tidepool-anglers.example/topic/4412-sinking-line-for-estuary-sea-trout/"


def _doc(path, url=None) -> Document:
    return Document(Page(source_file=str(path), source_type="html", body=path.read_bytes(), url=url))


def _shown(case: str) -> list[dict]:
    out = []
    for name in PAGES[case]:
        root = etree.fromstring((IPS / case / name).read_bytes(), etree.HTMLParser())
        for art in root.iter("article"):
            if not (art.get("id") or "").startswith("elComment_"):
                continue
            head = next(h for h in art.iter("h3") if {"cAuthorPane_author", "ipsEntry__username"}
                        & set((h.get("class") or "").split()))
            link = next(iter(head.iter("a")), None)
            reactions = [int(s.text) for li in art.iter("li") if "ipsReact_reactCount" in (li.get("class") or "")
                         for s in li.iter("span") if (s.text or "").isdigit()]
            out.append({"id": art.get("id")[10:], "author": "".join(head.itertext()).strip(),
                        "uid": re.search(r"/profile/(\d+)-", link.get("href")).group(1) if link is not None else None,
                        "quoted": [b.get("data-ipsquote-contentcommentid") for b in art.iter("blockquote")],
                        "votes": sum(reactions) if reactions else None})
    return out


@pytest.mark.parametrize("case", sorted(PAGES))
def test_detected_from_the_page_alone(case):
    for name in PAGES[case]:
        assert detect(_doc(IPS / case / name)) is invision


def test_page_controller_sign_in_the_template_s_camel_case():
    """IPS 4's globalTemplate writes data-pageApp/data-pageController: a real topic page without the footer link
    was left to the generic engine when the sign looked for the lower-case spelling in the page text."""
    signs = invision.score(_doc(IPS / "ips46-two-pages" / "page.html")).signs
    assert any(s.startswith("body[data-pageapp=forums]") for s in signs)
    html = (IPS / "ips46-two-pages" / "page.html").read_text(encoding="utf-8")
    bare = html.replace('<a rel="nofollow" title="Invision Community" href="https://www.invisioncommunity.com/">'
                        'Powered by Invision Community</a>', "")
    assert "invisioncommunity.com" not in bare
    doc = Document(Page(source_file="t.html", source_type="html", body=bare.encode()))
    assert detect(doc) is invision


def _cut_post(cid: int, uid: int, name: str, when: str) -> str:
    """A 4.x post as a page cut to its posts keeps it: no head, no body attributes, no footer."""
    link = f"https://boards.example.net/topic/5150-tuning-a-loop/?do=findComment&amp;comment={cid}"
    return (f'<a id="comment-{cid}"></a><article id="elComment_{cid}" class="cPost ipsBox ipsComment">'
            f'<aside class="ipsComment_author cAuthorPane"><h3 class="ipsType_sectionHead cAuthorPane_author"><strong>'
            f'<a href="https://boards.example.net/profile/{uid}-{name}/">{name}</a></strong></h3></aside>'
            f'<div class="ipsColumn ipsColumn_fluid"><div id="comment-{cid}_wrap"'
            f' data-controller="core.front.core.comment" data-commentapp="forums" data-commenttype="forums"'
            f' data-commentid="{cid}"><div class="ipsComment_meta ipsType_light"><div class="ipsType_reset">'
            f'<a href="{link}" class="ipsType_blendLinks">Posted <time datetime="{when}" title="x">x</time></a>'
            f'</div></div><div class="cPost_contentWrap"><div data-role="commentContent" class="ipsType_richText">'
            f'<p>Text of {name}.</p></div></div></div></div></article>')


def test_a_page_cut_to_its_posts_is_still_invision():
    """A real 4.x topic kept as its post blocks only (no head, footer or body attributes) went to the generic engine
    (no profile ids, the 'Share' and 'Posted' lines in the text) and, read as Invision, named no topic: the posts'
    comment controller and their permalinks to /topic/T-slug/ say both."""
    body = ("<div><p>Tail of an opening post whose block was cut.</p></div>"
            + _cut_post(71, 4, "ana_r", "2020-01-08T22:09:53Z") + _cut_post(78, 9, "ole", "2020-01-18T22:12:13Z"))
    doc = Document(Page(source_file="t.html", source_type="html", body=body.encode(), url=None))
    assert detect(doc) is invision
    parsed = invision.parse(doc)
    root = etree.fromstring(body.encode(), etree.HTMLParser())
    topics = {m for h in root.xpath("//time/parent::a/@href") for m in re.findall(r"/topic/(\d+)-", h)}
    assert topics == {"5150"} and parsed.thread["id"] == "topic/5150"
    assert parsed.thread["url"] == "https://boards.example.net/topic/5150-tuning-a-loop/"
    assert [(p["id"], p["author_id"], p["published_utc"]) for p in parsed.posts] == [
        (a.get("id")[10:], re.search(r"/profile/(\d+)-", a.xpath(".//h3//a/@href")[0]).group(1),
         a.xpath(".//time/@datetime")[0]) for a in root.xpath("//article")]
    assert [p["body_text"] for p in parsed.posts] == ["Text of ana_r.", "Text of ole."]


def test_no_other_sample_is_taken_for_invision():
    for page in foreign_pages("invision"):
        assert invision.score(_doc(page)).score < 10, page


@pytest.mark.parametrize("case", sorted(PAGES))
def test_posts_match_what_the_pages_show(case, tmp_path):
    assert main(["extract", *(str(IPS / case / p) for p in PAGES[case]), "-o", str(tmp_path / "o"),
                 "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "o" / "posts.jsonl")
    shown = _shown(case)
    assert [p["id"] for p in posts] == [s["id"] for s in shown]
    for post, seen in zip(posts, shown, strict=True):
        assert post["author_name"] == seen["author"]  # once, though the mobile pane repeats it
        assert post["author_id"] == seen["uid"]
        assert bool(post["extra"].get("anonymous")) == (seen["uid"] is None)
        assert [q["post_id"] for q in post["quotes"]] == seen["quoted"]
        assert post["votes"] == seen["votes"]
        assert "Edited" not in post["body_text"] and post["published_utc"]
    first = posts[0]
    assert first["extra"].get("edited", "").startswith("Edited") or case != "ips46-two-pages"


def test_pager_and_crawl_hints():
    parsed = invision.parse(_doc(IPS / "ips46-two-pages" / "page-2.html", BASE + "page/2/"), records=False)
    assert parsed.thread == {"id": "topic/8841", "url": BASE}
    assert parsed.page_number == 1
    assert parsed.links["pages"] == [BASE]


# --- IP.Board 3 ---------------------------------------------------------------------------------------
def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def _likes(li) -> int:
    """People a like line names: each linked name is one, a linked 'N others' is N."""
    total = 0
    for a in li.iter("a"):
        m = re.match(r"(\d+) others?$", "".join(a.itertext()).strip())
        total += int(m.group(1)) if m else 1
    return total


def _shown_3(case: str) -> list[dict]:
    out = []
    for name in PAGES_3[case]:
        root = etree.fromstring((IPS / case / name).read_bytes(), etree.HTMLParser())
        for block in root.iter("div"):
            if not (block.get("id") or "").startswith("post_id_") or "post_block" not in _classes(block):
                continue
            h3 = next(block.iter("h3"))
            span = next((sp for sp in h3.iter("span") if "author" in _classes(sp)), None)
            link = next(span.iter("a"), None) if span is not None else None
            if span is not None:
                author = "".join(span.itertext()).strip()
            else:  # a guest: the name is the h3's own text, after the permalink span
                author = " ".join(t.strip() for t in h3.xpath("text()") if t.strip())
            abbr = next((a for a in block.iter("abbr") if "published" in _classes(a)), None)
            when = datetime.fromisoformat(abbr.get("title")).astimezone(UTC) if abbr is not None else None
            like = next((li for li in block.iter("li") if "ipsLikeBar_info" in _classes(li)), None)
            script = "".join(sc.text or "" for sc in block.iter("script"))
            points = re.search(r"parseInt\('(-?\d+)'\)", script)
            quoted = []
            for el in block.iter("blockquote", "p"):
                if el.tag == "blockquote" and el.get("data-cid"):
                    quoted.append(el.get("data-cid"))
                elif el.tag == "p" and "citation" in _classes(el):
                    quoted.append(re.search(r"pid=(\d+)", next(el.iter("a")).get("href")).group(1))
            edit = next((e for e in block.iter("p") if "edit" in _classes(e)), None)
            out.append({"id": block.get("id")[8:], "author": author,
                        "uid": re.search(r"(?:showuser=|/user/)(\d+)", link.get("href")).group(1) if link is not None
                        else None,
                        "guest": "guest" in _classes(h3),
                        "utc": when.strftime("%Y-%m-%dT%H:%M:%SZ") if when else None,
                        "votes": _likes(like) if like is not None else int(points.group(1)) if points else None,
                        "quoted": quoted,
                        "edit": " ".join("".join(edit.itertext()).split()) if edit is not None else None,
                        "deleted": any((d.get("id") or "").startswith("postsDelete_") for d in block.iter("div"))})
    return out


@pytest.mark.parametrize("case", sorted(PAGES_3))
def test_ipb3_detected_from_the_page_alone(case):
    for name in PAGES_3[case]:
        doc = _doc(IPS / case / name)
        assert detect(doc) is invision
        assert invision.score(doc).version == "3"


def test_ipb3_signs_do_not_fire_on_invision_4_and_5():
    for case in PAGES:
        for name in PAGES[case]:
            found = invision.score(_doc(IPS / case / name))
            assert found.version is None and not [s for s in found.signs if "IP.Board" in s], (case, found)


@pytest.mark.parametrize("case", sorted(PAGES_3))
def test_ipb3_posts_match_what_the_pages_show(case, tmp_path):
    assert main(["extract", *(str(IPS / case / p) for p in PAGES_3[case]), "-o", str(tmp_path / "o"),
                 "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "o" / "posts.jsonl")
    shown = _shown_3(case)
    assert [p["id"] for p in posts] == [s["id"] for s in shown]
    assert any(s["guest"] for s in shown) and any(s["quoted"] for s in shown) and any(s["edit"] for s in shown)
    for post, seen in zip(posts, shown, strict=True):
        assert post["author_name"] == seen["author"], post["id"]
        assert post["author_id"] == seen["uid"]
        assert bool(post["extra"].get("anonymous")) == seen["guest"]
        assert post["published_utc"] == seen["utc"]
        assert post["votes"] == seen["votes"], post["id"]
        assert [q["post_id"] for q in post["quotes"]] == seen["quoted"]
        assert post["extra"].get("edited") == seen["edit"]
        assert post["deleted"] == seen["deleted"]
        if seen["edit"]:
            assert seen["edit"] not in post["body_text"] and "edited" not in post["body_text"]
        assert post["thread_id"].startswith("topic/") and post["parent_id"] is None and post["depth"] == 0
    deleted = [p for p in posts if p["deleted"]]
    assert all(p["body_text"] == "" and p["extra"]["deleted_note"].startswith("Deleted by") for p in deleted)
    assert bool(deleted) == (case == "ipb3-two-pages")


def test_ipb3_pager_and_crawl_hints():
    one = invision.parse(_doc(IPS / "ipb3-two-pages" / "page.html", BASE_3), records=False)
    two = invision.parse(_doc(IPS / "ipb3-two-pages" / "page-2.html", BASE_3 + "page-2"), records=False)
    assert one.thread == two.thread == {"id": "topic/4412", "url": BASE_3}
    assert (one.page_number, two.page_number) == (0, 1)
    assert one.links["pages"] == [BASE_3 + "page-2"] and two.links["pages"] == [BASE_3]
    full = invision.parse(_doc(IPS / "ipb3-two-pages" / "page-2.html", BASE_3 + "page-2"))
    assert full.pages_total == 2 and full.thread["title"] == "Sinking line for estuary sea trout"
    assert full.thread["extra"]["board_path"] == ["Fly fishing", "Tackle talk"]
    assert not any(p["is_op"] for p in full.posts)  # page 2 does not show the opening post
    german = invision.parse(_doc(IPS / "ipb3-german-wayback" / "page.html"))
    topic = "http://forum.kuestenkajak.example.de/index.php?showtopic=3318"
    assert german.thread["id"] == "topic/3318" and german.thread["url"] == topic
    assert german.links["pages"] == [topic + "&st=4"] and german.pages_total == 2 and german.page_number == 0
    assert german.thread["reply_count"] == 5  # "5 Antworten zu diesem Thema"


@pytest.mark.parametrize(("url", "page"), [("index.php?showtopic=77&st=20", 1),
                                          ("index.php?/topic/77-a-slug/page__st__20", 1),
                                          ("topic/77-a-slug/page-3", 2)])
def test_ipb3_topic_id_and_first_page_from_any_url_form(url, page):
    """The 3.0-3.2 friendly URLs (/page__st__N), 3.4's (/page-N) and the query form name one thread."""
    raw = (IPS / "ipb3-two-pages" / "page.html").read_text(encoding="utf-8")
    raw = re.sub(r'<link rel="canonical"[^>]*>', "", raw)  # the URL alone must say which topic
    raw = raw.replace("Page 1 of 2", "")  # and, without the pager's words, which page
    raw = raw.replace("<li class='page active'>1</li>", f"<li class='page active'>{page + 1}</li>")
    site = "https://board.example/"
    doc = Document(Page(source_file="p.html", source_type="html", body=raw.encode(), url=site + url))
    parsed = invision.parse(doc, records=False)
    assert parsed.thread["id"] == "topic/77" and parsed.page_number == page
    assert "st=" not in parsed.thread["url"] and "page" not in parsed.thread["url"].split("77")[-1]


@pytest.mark.parametrize("case, site, paths", [
    ("ips46-two-pages", "https://community.retrocomputing-club.example",
     ["/topic/8841-replacing-the-psu-in-a-1984-home-computer/",
      "/topic/8841-replacing-the-psu-in-a-1984-home-computer/page/2/"]),
    ("ipb3-two-pages", "https://forums.tidepool-anglers.example",
     ["/topic/4412-sinking-line-for-estuary-sea-trout/", "/topic/4412-sinking-line-for-estuary-sea-trout/page-2"]),
])
def test_local_crawl_follows_the_pager(case, site, paths, tmp_path):
    from tests.capture_servers import crawl_sample

    names = ("page.html", "page-2.html")
    pages = {path: (IPS / case / name).read_bytes() for path, name in zip(paths, names, strict=True)}
    assert crawl_sample(tmp_path / "crawl", site, pages) == paths
    assert main(["extract", str(tmp_path / "crawl"), "-o", str(tmp_path / "ds"), "--no-progress"]) == 0
    expected = json.loads((IPS / case / "expected.json").read_text(encoding="utf-8"))
    assert [p["id"] for p in read_jsonl(tmp_path / "ds" / "posts.jsonl")] == [p["id"] for p in expected["posts"]]
