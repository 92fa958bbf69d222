"""Discourse crawler view (issue 15): detection, posts recomputed from the pages with plain lxml (numbers, authors,
likes, quoted post numbers), the next-page link and a local crawl."""

from __future__ import annotations

import json
import re

import pytest
from lxml import etree

from harvester.capture.crawl import Config, Crawler
from harvester.cli import main
from harvester.document import Document
from harvester.engines import detect, discourse
from harvester.model import Page
from tests.capture_servers import Server, static_app
from tests.conftest import read_jsonl
from tests.samples_support import SAMPLES, foreign_pages

DC = SAMPLES / "discourse"
PAGES = {"discourse24-two-pages": ["page.html", "page-2.html"], "discourse3-german-wayback": ["page.html"],
         "discourse2025-hidden-quotes": ["page.html"]}
BASE = "https://forum.openmapcrafters.example"


def _doc(path, url=None) -> Document:
    return Document(Page(source_file=str(path), source_type="html", body=path.read_bytes(), url=url))


def _shown(case: str) -> list[dict]:
    out = []
    for name in PAGES[case]:
        root = etree.fromstring((DC / case / name).read_bytes(), etree.HTMLParser())
        topic = re.search(r"/t/[^/]+/(\d+)", root.find(".//link[@rel='canonical']").get("href")).group(1)
        for div in root.iter("div"):
            if "crawler-post" not in (div.get("class") or "").split():
                continue
            number = next(s.text for s in div.iter("span") if s.get("itemprop") == "position")
            name = next(s.text for s in div.iter("span") if s.get("itemprop") == "name")
            likes = next(m.get("content") for m in div.iter("meta") if m.get("itemprop") == "userInteractionCount")
            # a quote names its post by number within data-topic, which may be another topic
            quoted = [f"t/{a.get('data-topic') or topic}/{a.get('data-post')}" for a in div.iter("aside")]
            creator = next(s for s in div.iter("span") if "creator" in (s.get("class") or "").split())
            full = re.fullmatch(r"\s*\((.+)\)\s*", "".join(c.tail or "" for c in creator))
            body = next(d for d in div.iter("div") if d.get("itemprop") in ("text", "articleBody"))
            hidden = "flagged by the community" in "".join(body.itertext())
            out.append({"id": f"t/{topic}/{number.strip()}", "author": name, "likes": int(likes), "quoted": quoted,
                        "display_name": full.group(1) if full else None, "hidden": hidden})
    return out


@pytest.mark.parametrize("case", sorted(PAGES))
def test_detected_from_the_page_alone(case):
    for name in PAGES[case]:
        assert detect(_doc(DC / case / name)) is discourse


def test_no_other_sample_is_taken_for_discourse():
    for page in foreign_pages("discourse"):
        assert discourse.score(_doc(page)).score < 10, page


@pytest.mark.parametrize("case", sorted(PAGES))
def test_posts_match_what_the_pages_show(case, tmp_path):
    assert main(["extract", *(str(DC / case / p) for p in PAGES[case]), "-o", str(tmp_path / "o"),
                 "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "o" / "posts.jsonl")
    shown = _shown(case)
    assert [p["id"] for p in posts] == [s["id"] for s in shown]
    for post, seen in zip(posts, shown, strict=True):
        assert post["author_name"] == seen["author"]
        assert post["votes"] == seen["likes"] and post["votes_kind"] == "likes"
        assert [q["post_id"] for q in post["quotes"]] == seen["quoted"]
        assert post["published_utc"] is not None
        assert post["extra"].get("display_name") == seen["display_name"]
        assert post["deleted"] is seen["hidden"] and (post["extra"].get("state") == "hidden") is seen["hidden"]
    assert posts[0]["is_op"] and not any(p["is_op"] for p in posts[1:])


def test_first_post_time_is_its_publication_not_its_edit(tmp_path):
    assert main(["extract", str(DC / "discourse24-two-pages" / "page.html"), "-o", str(tmp_path / "o"),
                 "--no-progress"]) == 0
    op = read_jsonl(tmp_path / "o" / "posts.jsonl")[0]
    assert op["published_utc"] == "2020-07-14T08:12:40Z"  # datePublished; the visible time is dateModified


def test_deleted_post_leaves_a_gap_and_hidden_post_is_kept(tmp_path):
    case = DC / "discourse2025-hidden-quotes"
    assert main(["extract", str(case / "page.html"), "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "o" / "posts.jsonl")
    # the crawler view leaves deleted posts out: the numbers jump, nothing is invented for the gap
    assert [p["id"] for p in posts] == ["t/2207/1", "t/2207/2", "t/2207/4", "t/2207/5"]
    assert [p["position"] for p in posts] == [0, 1, 2, 3]
    hidden = posts[2]
    assert hidden["deleted"] and hidden["extra"]["state"] == "hidden" and hidden["votes"] == 0
    quotes = posts[3]["quotes"]
    assert quotes[0]["post_id"] == "t/2207/2" and quotes[0]["author_key"] == posts[1]["author_key"]
    assert quotes[1]["post_id"] == "t/1980/7" and quotes[1]["author"] == "fenna" and quotes[1]["author_key"] is None


def _unwrap_wayback(html: str) -> str:
    html = re.sub(r"<script[^>]*bundle-playback.*?<!-- End Wayback Rewrite JS Include -->", "", html, flags=re.S)
    html = re.sub(r"<!-- BEGIN WAYBACK TOOLBAR INSERT -->.*?<!-- END WAYBACK TOOLBAR INSERT -->", "", html, flags=re.S)
    return re.sub(r"(?:https://web\.archive\.org)?/web/\d{14}(?:[a-z]{2}_)?/", "", html)


def test_wayback_capture_gives_the_posts_of_the_plain_page():
    path = DC / "discourse3-german-wayback" / "page.html"
    archived = discourse.parse(_doc(path))
    plain_html = _unwrap_wayback(path.read_text(encoding="utf-8"))
    assert "web.archive.org" not in plain_html and "__wm" not in plain_html
    plain = discourse.parse(Document(Page(source_file=str(path), source_type="html", body=plain_html.encode())))
    keys = ("id", "url", "author_name", "author_id", "author_url", "published_raw", "body_text", "body_html",
            "quotes", "votes", "extra", "deleted")
    assert [{k: p[k] for k in keys} for p in archived.posts] == [{k: p[k] for k in keys} for p in plain.posts]
    assert archived.thread["url"] == plain.thread["url"] and len(archived.posts) == 4


@pytest.mark.parametrize("case", sorted(PAGES))
def test_unbalanced_html_in_a_body_loses_no_post(case):
    for name in PAGES[case]:
        path = DC / case / name
        html = path.read_text(encoding="utf-8")
        count = len(discourse.parse(_doc(path)).posts)
        # a post body that opens tags it never closes, and closes some it never opened
        broken = re.sub(r"(<div class='post' itemprop='(?:text|articleBody)'>)",
                        r"\1<div><b><i><table><tr><td>unclosed</span></div></blockquote>", html, count=1)
        assert broken != html
        parsed = discourse.parse(_doc(path)), discourse.parse(Document(Page(
            source_file=str(path), source_type="html", body=broken.encode())))
        assert len(parsed[1].posts) == count, path
        assert [p["id"] for p in parsed[1].posts] == [p["id"] for p in parsed[0].posts]


def test_local_crawl_follows_the_next_page(tmp_path):
    case = DC / "discourse24-two-pages"
    routes: dict[str, bytes] = {}

    with Server(static_app(routes)) as server:
        def local(name):
            return (case / name).read_text(encoding="utf-8").replace(BASE, server.base).encode()
        path = "/t/offline-tiles-for-field-surveys/4127"
        routes.update({path: local("page.html"), path + "?page=2": local("page-2.html")})
        cfg = Config(seeds=[server.url(path)], output=str(tmp_path / "crawl"), scope="thread", delay=0,
                     requisites=False, loopback_only=True)
        Crawler(cfg, sleep=lambda s: None).run()
        log = [p for p in server.log if p != "/robots.txt"]
    assert path + "?page=2" in log
    assert main(["extract", str(tmp_path / "crawl"), "-o", str(tmp_path / "ds"), "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "ds" / "posts.jsonl")
    assert [p["id"] for p in posts] == [s["id"] for s in _shown("discourse24-two-pages")]


def test_topic_json_reply_tree_follows_reply_to_post_number(tmp_path):
    case = DC / "discourse-topic-json"
    data = json.loads((case / "topic.json").read_text(encoding="utf-8"))
    assert detect(_doc(case / "topic.json")) is discourse
    assert main(["extract", str(case / "topic.json"), "--site-url", "https://talk.lenswork.example.org",
                 "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "o" / "posts.jsonl")
    raw = data["post_stream"]["posts"]
    assert [p["id"] for p in posts] == [f"t/{data['id']}/{r['post_number']}" for r in raw]
    depth: dict[int, int] = {}
    for post, r in zip(posts, raw, strict=True):
        to = r["reply_to_post_number"]
        depth[r["post_number"]] = depth[to] + 1 if to else 0
        assert post["parent_id"] == (f"t/{data['id']}/{to}" if to else None)
        assert post["depth"] == depth[r["post_number"]]
        likes = sum(a["count"] for a in r["actions_summary"] if a["id"] == 2)
        assert post["votes"] == likes and post["author_name"] == r["username"]
        assert post["deleted"] is bool(r.get("cooked_hidden"))
        assert post["published_utc"] == r["created_at"][:19] + "Z"
    assert [q["post_id"] for q in posts[3]["quotes"]] == ["t/2207/2"]
    assert max(p["depth"] for p in posts) == 2


def test_topic_json_reply_to_a_later_post_is_not_a_parent(tmp_path):
    """A damaged or forged JSON where posts 2 and 3 reply to each other gave a cyclic reply tree."""
    posts = [_json_post(1), _json_post(2, reply_to=3), _json_post(3, reply_to=2), _json_post(4, reply_to=-1)]
    (tmp_path / "t.json").write_text(json.dumps({"post_stream": {"posts": posts}, "id": 515, "title": "Loop",
                                                 "posts_count": 4}), encoding="utf-8")
    parsed = discourse.parse(_doc(tmp_path / "t.json"))
    tree = {p["id"]: (p["parent_id"], p["depth"]) for p in parsed.posts}
    assert tree == {"t/515/1": (None, 0), "t/515/2": (None, 0), "t/515/3": ("t/515/2", 1), "t/515/4": (None, 0)}


def test_other_json_files_are_not_pages(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "site.json").write_text('{"title": "x", "posts": []}', encoding="utf-8")
    (folder / "2207.json").write_bytes((DC / "discourse-topic-json" / "topic.json").read_bytes())
    assert main(["extract", str(folder), "--site-url", "https://talk.lenswork.example.org",
                 "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    captures = read_jsonl(tmp_path / "o" / "captures.jsonl")
    assert [c["source_file"].rsplit("/", 1)[-1] for c in captures] == ["2207.json"]


def test_topic_json_with_more_posts_in_its_stream_is_incomplete(tmp_path):
    data = json.loads((DC / "discourse-topic-json" / "topic.json").read_text(encoding="utf-8"))
    whole = discourse.parse(_doc(DC / "discourse-topic-json" / "topic.json"))
    assert "incomplete" not in whole.thread["extra"]
    data["post_stream"]["stream"] += [9999, 10000]  # ids of posts the JSON does not carry
    (tmp_path / "t.json").write_text(json.dumps(data), encoding="utf-8")
    part = discourse.parse(_doc(tmp_path / "t.json"))
    assert part.thread["extra"]["incomplete"] is True and len(part.posts) == len(whole.posts)


def test_topic_json_small_action_is_an_event_not_a_post(tmp_path):
    data = json.loads((DC / "discourse-topic-json" / "topic.json").read_text(encoding="utf-8"))
    posts = data["post_stream"]["posts"]
    closing = {**posts[-1], "id": posts[-1]["id"] + 1, "post_number": posts[-1]["post_number"] + 1,
               "post_type": 3, "action_code": "closed.enabled", "cooked": "", "reply_to_post_number": None}
    data["post_stream"]["posts"].append(closing)
    data["post_stream"]["stream"].append(closing["id"])
    (tmp_path / "t.json").write_text(json.dumps(data), encoding="utf-8")
    parsed = discourse.parse(_doc(tmp_path / "t.json"))
    assert [p["id"] for p in parsed.posts] == [f"t/2207/{p['post_number']}" for p in posts if p.get("post_type") != 3]


def test_topic_json_in_a_warc_is_read_and_merges_with_the_html(tmp_path):
    """A crawl that kept /t/slug/ID.json (application/json) next to the HTML: one thread, the JSON's tree."""
    from tests.archive_fixtures import Rec, write_warc

    case = DC / "discourse-topic-json"
    url = "https://talk.lenswork.example.org/t/rangefinder-focus-drifts-in-the-cold/2207"
    data = json.loads((case / "topic.json").read_text(encoding="utf-8"))
    write_warc(tmp_path / "crawl.warc.gz", [
        Rec(url, (DC / "discourse2025-hidden-quotes" / "page.html").read_bytes(), date="2025-02-01T10:00:00Z"),
        Rec(url + ".json", (case / "topic.json").read_bytes(), content_type="application/json; charset=utf-8",
            date="2025-02-01T10:00:05Z"),
        Rec("https://talk.lenswork.example.org/latest.json", b'{"topic_list": {"topics": []}}',
            content_type="application/json", date="2025-02-01T10:00:06Z"),
    ])
    assert main(["extract", str(tmp_path / "crawl.warc.gz"), "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    threads = read_jsonl(tmp_path / "o" / "threads.jsonl")
    posts = read_jsonl(tmp_path / "o" / "posts.jsonl")
    captures = read_jsonl(tmp_path / "o" / "captures.jsonl")
    assert [c["source_url"] for c in captures] == [url, url + ".json"]  # latest.json is not a topic
    assert not any("truncated" in (c["reason"] or "") for c in captures)
    assert [t["id"] for t in threads] == ["t/2207"] and threads[0]["captures_seen"] == 2
    raw = data["post_stream"]["posts"]
    assert [p["id"] for p in posts] == [f"t/2207/{r['post_number']}" for r in raw]
    for post, r in zip(posts, raw, strict=True):  # the JSON is the newer capture: its parents win
        to = r["reply_to_post_number"]
        assert post["parent_id"] == (f"t/2207/{to}" if to else None)
        assert post["url"] == f"{url}/{r['post_number']}"


def test_topic_json_nested_beyond_any_topic_is_skipped_not_a_crash(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "9.json").write_text('{"post_stream":{"posts":' + "[" * 200_000 + "]" * 200_000 + "}}",
                                     encoding="utf-8")
    (tmp_path / "in" / "2207.json").write_bytes((DC / "discourse-topic-json" / "topic.json").read_bytes())
    assert main(["extract", str(tmp_path / "in"), "--site-url", "https://talk.lenswork.example.org",
                 "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    captures = {c["source_file"].rsplit("/", 1)[-1]: c for c in read_jsonl(tmp_path / "o" / "captures.jsonl")}
    assert captures["9.json"]["status"] == "skipped" and "JSON" in captures["9.json"]["reason"]
    assert captures["2207.json"]["status"] == "ok"


def _topic_json() -> dict:
    return json.loads((DC / "discourse-topic-json" / "topic.json").read_text(encoding="utf-8"))


def test_single_post_json_is_a_partial_capture_that_marks_nothing_missing(tmp_path):
    """/posts/ID.json, captured after the topic page: the post's parent is added, nothing else changes."""
    from tests.archive_fixtures import Rec, write_warc

    url = "https://talk.lenswork.example.org/t/rangefinder-focus-drifts-in-the-cold/2207"
    post = next(p for p in _topic_json()["post_stream"]["posts"] if p["reply_to_post_number"])
    single = json.dumps(post, separators=(",", ":")).encode()
    assert single.startswith(b'{"id":')  # PostSerializer's first key, as Discourse renders it
    html = (DC / "discourse2025-hidden-quotes" / "page.html").read_bytes()
    write_warc(tmp_path / "c.warc.gz", [
        Rec(url, html, date="2025-02-01T10:00:00Z"),
        Rec(f"https://talk.lenswork.example.org/posts/{post['id']}.json", single,
            content_type="application/json; charset=utf-8", date="2025-02-02T10:00:00Z")])
    assert main(["extract", str(tmp_path / "c.warc.gz"), "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    assert main(["extract", str(DC / "discourse2025-hidden-quotes" / "page.html"), "-o", str(tmp_path / "h"),
                 "--no-progress"]) == 0
    alone, merged = read_jsonl(tmp_path / "h" / "posts.jsonl"), read_jsonl(tmp_path / "o" / "posts.jsonl")
    (thread,) = read_jsonl(tmp_path / "o" / "threads.jsonl")
    (html_thread,) = read_jsonl(tmp_path / "h" / "threads.jsonl")
    assert [p["id"] for p in merged] == [p["id"] for p in alone]
    assert all(p["missing_since"] is None for p in merged)
    for key in ("title", "board", "pages_total", "complete", "url"):
        assert thread[key] == html_thread[key], key
    number = post["post_number"]
    got = next(p for p in merged if p["id"] == f"t/2207/{number}")
    assert got["parent_id"] == f"t/2207/{post['reply_to_post_number']}" and got["captures_seen"] == 2


def test_single_post_json_file_is_read_alone(tmp_path):
    post = _topic_json()["post_stream"]["posts"][1]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / f"{post['id']}.json").write_text(json.dumps(post, separators=(",", ":")), encoding="utf-8")
    (tmp_path / "in" / "other.json").write_text('{"id":1,"name":"x"}', encoding="utf-8")
    assert main(["extract", str(tmp_path / "in"), "--site-url", "https://talk.lenswork.example.org",
                 "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    (only,) = read_jsonl(tmp_path / "o" / "posts.jsonl")
    assert only["id"] == f"t/2207/{post['post_number']}" and only["author_name"] == post["username"]
    (thread,) = read_jsonl(tmp_path / "o" / "threads.jsonl")
    assert thread["complete"] is False  # one post is not the topic
    assert len(read_jsonl(tmp_path / "o" / "captures.jsonl")) == 1  # other.json is not a page


def test_topic_json_pages_are_pages_of_their_own(tmp_path):
    """?page=2 of the JSON holds later posts: its capture must not mark the first page's posts missing."""
    from tests.archive_fixtures import Rec, write_warc

    url = "https://talk.lenswork.example.org/t/rangefinder-focus-drifts-in-the-cold/2207.json"
    data = _topic_json()
    first_half, second_half = data["post_stream"]["posts"][:3], data["post_stream"]["posts"][3:]
    pages = []
    for part in (first_half, second_half):
        page = {**data, "post_stream": {**data["post_stream"], "posts": part}, "chunk_size": 3}
        pages.append(json.dumps(page, separators=(",", ":")).encode())
    write_warc(tmp_path / "c.warc.gz", [
        Rec(url, pages[0], content_type="application/json", date="2025-02-01T10:00:00Z"),
        Rec(url + "?page=2", pages[1], content_type="application/json", date="2025-02-01T10:00:09Z")])
    assert main(["extract", str(tmp_path / "c.warc.gz"), "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "o" / "posts.jsonl")
    (thread,) = read_jsonl(tmp_path / "o" / "threads.jsonl")
    assert [p["id"] for p in posts] == [f"t/2207/{p['post_number']}" for p in first_half + second_half]
    assert all(p["missing_since"] is None for p in posts)
    assert thread["pages_total"] == 2 and thread["pages_captured"] == 2 and thread["complete"] is True
    captures = read_jsonl(tmp_path / "o" / "captures.jsonl")
    assert [c["page_number"] for c in captures] == [0, 1]


def test_a_crawl_takes_the_topic_json_and_so_the_reply_tree(tmp_path):
    """The HTML names its JSON as a page of the thread: a thread crawl fetches both and extraction merges them."""
    base = "https://talk.lenswork.example.org"
    path = "/t/rangefinder-focus-drifts-in-the-cold/2207"
    routes: dict[str, bytes] = {}
    with Server(static_app(routes)) as server:
        html = (DC / "discourse2025-hidden-quotes" / "page.html").read_text(encoding="utf-8")
        routes[path] = html.replace(base, server.base).encode()
        routes[path + ".json"] = ((DC / "discourse-topic-json" / "topic.json").read_bytes(), "application/json")
        cfg = Config(seeds=[server.url(path)], output=str(tmp_path / "crawl"), scope="thread", delay=0,
                     requisites=False, loopback_only=True)
        Crawler(cfg, sleep=lambda s: None).run()
        log = [p for p in server.log if p != "/robots.txt"]
    assert log == [path, path + ".json"]
    assert main(["extract", str(tmp_path / "crawl"), "-o", str(tmp_path / "ds"), "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "ds" / "posts.jsonl")
    raw = _topic_json()["post_stream"]["posts"]
    assert [p["id"] for p in posts] == [f"t/2207/{r['post_number']}" for r in raw]
    assert [p["parent_id"] for p in posts] == [f"t/2207/{r['reply_to_post_number']}"
                                               if r["reply_to_post_number"] else None for r in raw]


def _crawler_page(posts: str, tail: str = "", head: str = "") -> bytes:
    """A small invented 2.x crawler page of topic 515 around the given post blocks."""
    return (f"<html><head><meta name='generator' content='Discourse 2.8.0'>{head}"
            "<link rel='canonical' href='https://bikes.example.net/t/chain-wax-or-oil/515'></head><body>"
            f"<div id='main-outlet'><div id='topic-title'><h1>Chain wax or oil</h1></div>{posts}{tail}</div>"
            "</body></html>").encode()


def _post_2x(n: int, user: str, when: str, likes: int, text: str) -> str:
    return ("<div itemscope itemtype='http://schema.org/DiscussionForumPosting' class='topic-body crawler-post'>"
            "<div class='crawler-post-meta'><span class='creator' itemprop='author' itemscope"
            f" itemtype='http://schema.org/Person'><a itemprop='url' href='https://bikes.example.net/u/{user}'>"
            f"<span itemprop='name'>{user}</span></a></span><span class='crawler-post-infos'>"
            f"<time itemprop='datePublished' datetime='{when}' class='post-time'>{when[:10]}</time>"
            f"<span itemprop='position'>#{n}</span></span></div>"
            f"<div class='post' itemprop='articleBody'><p>{text}</p></div>"
            "<div itemprop='interactionStatistic' itemscope itemtype='http://schema.org/InteractionCounter'>"
            "<meta itemprop='interactionType' content='http://schema.org/LikeAction'/>"
            f"<meta itemprop='userInteractionCount' content='{likes}' /></div></div>")


def test_next_page_block_with_the_post_classes_is_not_a_post():
    """2.8 marks its "next page" navigation div ``topic-body crawler-post`` like the posts around it."""
    nav = ("<div role='navigation' itemscope itemtype='http://schema.org/SiteNavigationElement'"
           " class=\"topic-body crawler-post\"><span itemprop='name'><b><a rel='next' itemprop='url'"
           " href='/t/chain-wax-or-oil/515?page=2'>next page</a></b></span></div>")
    html = _crawler_page(_post_2x(1, "rim_tape", "2021-03-02T07:15:00Z", 3, "Wax lasts longer.")
                         + _post_2x(2, "spoke_key", "2021-03-02T09:40:12Z", 0, "Oil is quicker."), nav)
    root = etree.fromstring(html, etree.HTMLParser())
    bodies = [d for d in root.iter("div") if d.get("itemprop") == "articleBody"]
    parsed = discourse.parse(Document(Page(source_file="p.html", source_type="html", body=html)))
    assert len(parsed.posts) == len(bodies) == 2
    assert [p["id"] for p in parsed.posts] == ["t/515/1", "t/515/2"]
    assert [p["author_name"] for p in parsed.posts] == ["rim_tape", "spoke_key"]
    assert parsed.links["pages"][0] == "https://bikes.example.net/t/chain-wax-or-oil/515?page=2"


def test_page_saved_without_its_head_is_still_a_discourse_topic():
    """No generator meta, no canonical link: the crawler post headers say Discourse, the title's link the topic."""
    html = ("<html><body class='crawler'><div id='main-outlet'><div id='topic-title'><h1>"
            "<a href='/t/chain-wax-or-oil/515'>Chain wax or oil</a></h1></div>"
            + _post_2x(1, "rim_tape", "2021-03-02T07:15:00Z", 3, "Wax lasts longer.")
            + _post_2x(2, "spoke_key", "2021-03-02T09:40:12Z", 0, "Oil is quicker.")
            + "</div><footer><a href='https://www.discourse.org'>Powered by Discourse</a></footer></body></html>")
    doc = Document(Page(source_file="p.html", source_type="html", body=html.encode()))
    assert detect(doc) is discourse
    parsed = discourse.parse(doc)
    root = etree.fromstring(html.encode(), etree.HTMLParser())
    shown = [s.text.lstrip("#") for s in root.iter("span") if s.get("itemprop") == "position"]
    assert [p["id"] for p in parsed.posts] == [f"t/515/{n}" for n in shown] == ["t/515/1", "t/515/2"]
    assert [p["votes"] for p in parsed.posts] == [3, 0]
    assert parsed.thread["id"] == "t/515" and parsed.thread["title"] == "Chain wax or oil"


def test_topic_json_without_its_address_does_not_take_a_linked_site_for_its_own(tmp_path):
    """The posts link to other sites; a JSON page has no assets or canonical link: its site is unknown."""
    def post(n, user, link):
        return {"id": 900 + n, "username": user, "created_at": f"2016-05-2{n}T10:00:00.000Z", "post_number": n,
                "cooked": f"<p>See <a href=\"https://{link}/guide\">{link}</a></p>", "reply_to_post_number": None,
                "actions_summary": [], "topic_id": 88}
    topic = {"post_stream": {"posts": [post(1, "anna", "docs.vendor.example"),
                                       post(2, "bert", "docs.vendor.example")], "stream": [901, 902]},
             "id": 88, "title": "Which hypervisor", "posts_count": 2, "slug": "which-hypervisor"}
    (tmp_path / "88.json").write_text(json.dumps(topic, separators=(",", ":")), encoding="utf-8")
    assert main(["extract", str(tmp_path / "88.json"), "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "o" / "posts.jsonl")
    (thread,) = read_jsonl(tmp_path / "o" / "threads.jsonl")
    assert [p["site"] for p in posts] == [None, None] and thread["url"] is None
    assert not any("docs.vendor.example" in (p["author_key"] or "") for p in posts)
    assert main(["extract", str(tmp_path / "88.json"), "--site-url", "https://talk.hosts.example",
                 "-o", str(tmp_path / "s"), "--no-progress"]) == 0
    (thread,) = read_jsonl(tmp_path / "s" / "threads.jsonl")
    assert thread["url"] == "https://talk.hosts.example/t/which-hypervisor/88"


def test_page_at_a_post_address_without_slug_is_its_topic_not_the_post_number():
    """/t/515/2 is topic 515 at post 2 (Slug.for never makes a slug of digits), not topic 2."""
    html = _crawler_page(_post_2x(1, "rim_tape", "2021-03-02T07:15:00Z", 3, "Wax lasts longer.")
                         + _post_2x(2, "spoke_key", "2021-03-02T09:40:12Z", 0, "Oil is quicker."))
    doc = Document(Page(source_file="p.html", source_type="html", body=html.replace(b"<link rel='canonical'", b"<x"),
                        url="https://bikes.example.net/t/515/2"))
    parsed = discourse.parse(doc)
    assert parsed.thread["id"] == "t/515" and parsed.thread["url"] == "https://bikes.example.net/t/515"
    assert [p["id"] for p in parsed.posts] == ["t/515/1", "t/515/2"]
    assert parsed.posts[1]["url"] == "https://bikes.example.net/t/515/2"


def _json_post(n: int, reply_to: int | None = None) -> dict:
    return {"id": 7000 + n, "username": f"rider{n % 3}", "avatar_template": "/letter_avatar/r/{size}/1.png",
            "created_at": f"2021-03-{n:02d}T10:00:00.000Z",
            "post_number": n, "post_type": 1, "cooked": f"<p>Post {n}</p>", "reply_to_post_number": reply_to,
            "actions_summary": [], "topic_id": 515}


def test_topic_json_at_a_post_is_a_window_that_marks_nothing_missing(tmp_path):
    """/t/slug/ID/N.json holds the posts around N, not the first page: captured later, it must not make the
    first page's posts missing; /t/ID/posts.json?post_number=N lists the posts before N, latest first."""
    from tests.archive_fixtures import Rec, write_warc

    url = "https://bikes.example.net/t/chain-wax-or-oil/515"
    topic = {"post_stream": {"posts": [_json_post(1), _json_post(2, 1), _json_post(3)],
                             "stream": [7001 + i for i in range(6)]},
             "id": 515, "title": "Chain wax or oil", "slug": "chain-wax-or-oil", "posts_count": 6, "chunk_size": 3}
    window = {**topic, "post_stream": {**topic["post_stream"], "posts": [_json_post(n, n - 1) for n in (4, 5, 6)]}}
    before = {"post_stream": {"posts": [_json_post(3), _json_post(2, 1), _json_post(1)]}, "id": 515}
    write_warc(tmp_path / "c.warc.gz", [
        Rec(url + ".json", json.dumps(topic).encode(), content_type="application/json", date="2021-04-01T10:00:00Z"),
        Rec(url + "/6.json", json.dumps(window).encode(), content_type="application/json",
            date="2021-04-02T10:00:00Z"),
        Rec("https://bikes.example.net/t/515/posts.json?post_number=4", json.dumps(before).encode(),
            content_type="application/json", date="2021-04-03T10:00:00Z")])
    assert main(["extract", str(tmp_path / "c.warc.gz"), "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "o" / "posts.jsonl")
    (thread,) = read_jsonl(tmp_path / "o" / "threads.jsonl")
    assert [p["id"] for p in posts] == [f"t/515/{n}" for n in range(1, 7)]
    assert all(p["missing_since"] is None for p in posts)
    assert [p["parent_id"] for p in posts] == [None, "t/515/1", None, "t/515/3", "t/515/4", "t/515/5"]
    # the topic's address, never the window's (/6) or the listing's (/posts): the latest capture's form
    assert [p["url"] for p in posts] == [f"https://bikes.example.net/t/515/{n}" for n in (1, 2, 3)] + [
        f"{url}/{n}" for n in range(4, 7)]
    assert thread["url"] == url and thread["title"] == "Chain wax or oil" and thread["complete"] is False
    assert [c["status"] for c in read_jsonl(tmp_path / "o" / "captures.jsonl")] == ["ok"] * 3


def test_page_with_front_matter_before_its_doctype_is_read_as_discourse():
    """A pipeline saved the page behind a YAML header: its head (generator, canonical link) must still count."""
    page = _crawler_page(_post_2x(1, "rim_tape", "2021-03-02T07:15:00Z", 3, "Wax lasts longer."),
                         head="<title>Chain wax or oil</title>")
    html = b"---\nsource_url: https://bikes.example.net/t/chain-wax-or-oil/515\ningested: 2021-04-01\n---\n" \
        b"<!DOCTYPE html>\n" + page
    doc = Document(Page(source_file="p.html", source_type="html", body=html))
    assert detect(doc) is discourse
    parsed = discourse.parse(doc)
    assert [p["id"] for p in parsed.posts] == ["t/515/1"]
    assert parsed.thread["url"] == "https://bikes.example.net/t/chain-wax-or-oil/515"


def test_page_cut_off_inside_its_last_post_gives_no_empty_post():
    """A capture that stops in the last post's header: no author, no text, nothing to record."""
    cut = ("<div id='post_3' itemprop='comment' itemscope itemtype='http://schema.org/Comment'"
           " class='topic-body crawler-post'><div class='crawler-post-meta'><span class='creator' itemprop='author'"
           " itemscope itemtype='http://schema.org/Person'><a itemprop='url' href='https://bikes.example.net/u/ch")
    page = _crawler_page(_post_2x(1, "rim_tape", "2021-03-02T07:15:00Z", 3, "Wax lasts longer.")
                         + _post_2x(2, "spoke_key", "2021-03-02T09:40:12Z", 0, "Oil is quicker."))
    html = page[:page.index(b"</div></body>")] + cut.encode()
    parsed = discourse.parse(Document(Page(source_file="p.html", source_type="html", body=html)))
    root = etree.fromstring(html, etree.HTMLParser())
    with_text = [d for d in root.iter("div") if d.get("itemprop") == "articleBody"]
    assert [p["id"] for p in parsed.posts] == ["t/515/1", "t/515/2"] and len(with_text) == 2
    assert all(p["author_name"] and p["body_text"] for p in parsed.posts)


def _post_1x(n: int, user: str, name: str | None, when: str, likes: int, text: str) -> str:
    """A post as the 1.x crawler view prints it: div.creator > span (link, "(Full Name)", time), "#N"."""
    return ("<div itemscope itemtype='http://schema.org/DiscussionForumPosting'><div class='creator'><span>"
            f"<a href='/u/{user}'><b itemprop='author'>{user}</b></a>\n {f'({name})' if name else ''}\n"
            f"<time datetime='{when}' itemprop='datePublished'>{when[:10]}</time></span>"
            f"<span itemprop='position'>#{n}</span></div><div class='post' itemprop='articleBody'><p>{text}</p></div>"
            f"<meta itemprop='interactionCount' content='UserLikes:{likes}'>"
            "<meta itemprop='interactionCount' content='UserComments:0'><hr></div>")


def test_1x_crawler_view_is_detected_by_its_posts_and_keeps_full_names():
    """No generator meta (a page without its head): the 1.x posts and the footer credit say Discourse; "(Full Name)"
    after the username link is the display name."""
    html = ("<html><body><h1><a href='/t/which-thread-for-the-mount/812'>Which thread for the mount?</a></h1><hr>"
            + _post_1x(1, "quadpilot", None, "2018-10-09T11:20:05Z", 0, "Which thread?")
            + _post_1x(2, "ericw", "Eric W", "2018-10-09T15:02:44Z", 1, "M5, I think.")
            + "<footer id='noscript-footer'><p>Powered by <a href='https://www.discourse.org'>Discourse</a></p>"
            "</footer></body></html>").encode()
    doc = Document(Page(source_file="p.html", source_type="html", body=html,
                        url="https://talk.drones.example/t/which-thread-for-the-mount/812"))
    assert detect(doc) is discourse
    parsed = discourse.parse(doc)
    root = etree.fromstring(html, etree.HTMLParser())
    authors = [b.text for b in root.iter("b") if b.get("itemprop") == "author"]
    assert [p["author_name"] for p in parsed.posts] == authors == ["quadpilot", "ericw"]
    assert [p["id"] for p in parsed.posts] == ["t/812/1", "t/812/2"]
    assert [p["votes"] for p in parsed.posts] == [0, 1]
    assert [p["extra"].get("display_name") for p in parsed.posts] == [None, "Eric W"]
    assert [p["published_utc"] for p in parsed.posts] == ["2018-10-09T11:20:05Z", "2018-10-09T15:02:44Z"]


def test_pretty_printed_json_files_are_pages_and_windows_alone_keep_the_title(tmp_path):
    """JSON saved with indentation (jq, json.dump(indent=2)) is a page in a directory walk too; when only windows
    were captured (posts.json names no title), the thread takes the title of the window that names it."""
    listing = {"post_stream": {"posts": [_json_post(n) for n in (1, 2, 3)]}, "id": 515}
    window = {"post_stream": {"posts": [_json_post(n, n - 1) for n in (22, 23, 24)], "stream": list(range(24))},
              "id": 515, "title": "Chain wax or oil", "slug": "chain-wax-or-oil", "posts_count": 24, "chunk_size": 20}
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "posts.json").write_text(json.dumps(listing, indent=2), encoding="utf-8")
    (tmp_path / "in" / "24.json").write_text(json.dumps(window, indent=2), encoding="utf-8")
    (tmp_path / "in" / "7023.json").write_text(json.dumps(_json_post(23, 22), indent=2), encoding="utf-8")
    assert main(["extract", str(tmp_path / "in"), "--site-url", "https://bikes.example.net",
                 "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    assert [c["status"] for c in read_jsonl(tmp_path / "o" / "captures.jsonl")] == ["ok"] * 3
    posts = read_jsonl(tmp_path / "o" / "posts.jsonl")
    (thread,) = read_jsonl(tmp_path / "o" / "threads.jsonl")
    assert [p["id"] for p in posts] == [f"t/515/{n}" for n in (1, 2, 3, 22, 23, 24)]
    assert all(p["missing_since"] is None for p in posts) and thread["complete"] is False
    assert thread["title"] == "Chain wax or oil"


def test_json_saved_with_sorted_keys_is_read_like_discourse_sent_it(tmp_path):
    """jq -S or json.dump(sort_keys=True) (GrimoireLab Perceval keeps its Discourse captures so) moves the post
    stream behind 'actions_summary', 'archetype', 'chunk_size' and 'details': such a topic or post JSON was not a
    page at all. Read sorted, each gives the records the JSON as sent gives."""
    topic = _topic_json()
    # keys TopicViewSerializer always sends (the sample keeps only what the engine reads); sorted, the first
    topic.update(actions_summary=[{"id": 4, "count": 0, "hidden": False, "can_act": False}], chunk_size=20,
                 details={"can_edit": False, "notification_level": 1, "participants": []})
    post = topic["post_stream"]["posts"][1]
    sent, saved = tmp_path / "sent", tmp_path / "saved"
    sent.mkdir(), saved.mkdir()
    (sent / "2207.json").write_text(json.dumps(topic), encoding="utf-8")
    (sent / f"{post['id']}.json").write_text(json.dumps(post), encoding="utf-8")
    (saved / "2207.json").write_text(json.dumps(topic, sort_keys=True, indent=4), encoding="utf-8")
    (saved / f"{post['id']}.json").write_text(json.dumps(post, sort_keys=True, indent=4), encoding="utf-8")
    (saved / "other.json").write_text(json.dumps({"actions_summary": [], "name": "x"}, sort_keys=True),
                                      encoding="utf-8")
    assert (saved / "2207.json").read_text(encoding="utf-8").startswith('{\n    "actions_summary"')
    results = {}
    for folder in (sent, saved):
        assert main(["extract", str(folder), "--site-url", "https://talk.lenswork.example.org",
                     "-o", str(tmp_path / f"o-{folder.name}"), "--no-progress"]) == 0
        results[folder.name] = read_jsonl(tmp_path / f"o-{folder.name}" / "posts.jsonl")
        assert len(read_jsonl(tmp_path / f"o-{folder.name}" / "captures.jsonl")) == 2  # other.json is no page
    facts = ("id", "parent_id", "depth", "author_name", "published_utc", "votes", "body_text", "deleted")
    assert [[p[k] for k in facts] for p in results["saved"]] == [[p[k] for k in facts] for p in results["sent"]]
    assert len(results["saved"]) == len(topic["post_stream"]["posts"])
