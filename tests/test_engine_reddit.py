"""Reddit's classic markup (issue 15): detection, the tree recomputed from the page with plain lxml (div.child
nesting), deleted and removed comments, hidden scores, 'load more comments' stubs, and a reply tree that unbalanced
HTML cannot bend."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from lxml import etree

from harvester.cli import main
from harvester.document import Document
from harvester.engines import detect, reddit
from harvester.model import Page
from tests.conftest import read_jsonl
from tests.samples_support import SAMPLES, foreign_pages

RD = SAMPLES / "reddit"
CASES = ("oldreddit-nested-more", "reddit2014-german-wayback")


def _doc(path) -> Document:
    return Document(Page(source_file=str(path), source_type="html", body=path.read_bytes()))


def _tree(case: str) -> list[tuple[str, str | None, str]]:
    """(fullname, parent fullname from the div.child nesting, data-author) of every comment thing."""
    root = etree.fromstring((RD / case / "page.html").read_bytes(), etree.HTMLParser())
    out = []
    for div in root.iter("div"):
        classes = (div.get("class") or "").split()
        if "thing" not in classes or "comment" not in classes:
            continue
        up = next((a for a in div.iterancestors("div") if "comment" in (a.get("class") or "").split()
                   and "thing" in (a.get("class") or "").split()), None)
        out.append((div.get("data-fullname"), up.get("data-fullname") if up is not None else None,
                    div.get("data-author")))
    return out


@pytest.mark.parametrize("case", CASES)
def test_detected_from_the_page_alone(case):
    assert detect(_doc(RD / case / "page.html")) is reddit


def test_no_other_sample_is_taken_for_reddit():
    for page in foreign_pages("reddit"):
        assert reddit.score(_doc(page)).score < 10, page


@pytest.mark.parametrize("case", CASES)
def test_tree_and_authors_match_the_page(case, tmp_path):
    assert main(["extract", str(RD / case / "page.html"), "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "o" / "posts.jsonl")
    tree = _tree(case)
    assert [(p["id"], p["parent_id"]) for p in posts[1:]] == [(cid, parent) for cid, parent, _ in tree]
    for post, (_cid, _parent, author) in zip(posts[1:], tree, strict=True):
        gone = author == "[deleted]"
        assert post["deleted"] == gone and post["author_name"] == (None if gone else author)
        assert "permalink" not in post["body_text"] and "load more comments" not in post["body_text"]
    assert posts[0]["votes"] > 0 and posts[0]["votes_kind"] == "score"


def test_hidden_scores_and_stubs():
    parsed = reddit.parse(_doc(RD / "oldreddit-nested-more" / "page.html"))
    by_id = {p["id"]: p for p in parsed.posts}
    assert by_id["t1_f0a4f10"]["votes"] is None and by_id["t1_f0a4f10"]["extra"]["score_hidden"]
    assert by_id["t1_f0a2b07"]["extra"]["state"] == "removed"
    assert "t1_f0a3x99" not in by_id  # the morechildren stub is not a comment
    assert parsed.thread["extra"]["incomplete"] is True


def test_a_comment_pushed_into_another_by_bad_html_keeps_its_place(tmp_path):
    """An unclosed <table> in the first comment puts every later comment inside its text: the later ones are
    still their own posts, top-level ones stay top-level (they are not in the first comment's div.child)."""
    html = (RD / "reddit2014-german-wayback" / "page.html").read_text(encoding="utf-8")
    html = html.replace("<p>Bei uns gibt es drei Eimer", "<table><tr><td><p>Bei uns gibt es drei Eimer", 1)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "page.html").write_text(html, encoding="utf-8")
    assert main(["extract", str(tmp_path / "in"), "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    parents = {p["id"]: p["parent_id"] for p in read_jsonl(tmp_path / "o" / "posts.jsonl")}
    assert parents == {"t3_27w9q1": None, "t1_chl2k1a": None, "t1_chl2p0q": "t1_chl2k1a", "t1_chl3a77": None}


def test_todays_shreddit_page_gives_the_tree_from_parentid(tmp_path):
    """2023+ pages: shreddit-comment elements carry thingid, parentid and depth; the tree is theirs, checked here
    against the elements' nesting as a browser builds it."""
    page = RD / "shreddit-2024-gardening" / "page.html"
    assert detect(_doc(page)) is reddit
    assert main(["extract", str(page), "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "o" / "posts.jsonl")
    root = etree.fromstring(page.read_bytes(), etree.HTMLParser())
    nested = {}
    for el in root.iter("shreddit-comment"):
        up = next(el.iterancestors("shreddit-comment"), None)
        nested[el.get("thingid")] = up.get("thingid") if up is not None else None
    assert {p["id"]: p["parent_id"] for p in posts[1:]} == nested
    assert posts[0]["votes"] == 142 and posts[0]["title"] == "Tips for a first allotment?"
    assert sum(p["deleted"] for p in posts) == 1


# --- 2018-2022 redesign ------------------------------------------------------------------------------------------
REDESIGN = RD / "redesign-2020-wayback" / "page.html"
REDESIGN_CASES = ("redesign-2020-wayback", "redesign-2021-german-wayback")


def _redesign_state(raw: bytes) -> dict:
    """The page's state, read here with lxml and the json module alone: script#data minus its JavaScript."""
    root = etree.fromstring(raw, etree.HTMLParser())
    source = root.xpath("//script[@id='data']")[0].text
    assert source.startswith("window.___r = ")
    return json.loads(source[len("window.___r = "):].split(";window.___prefetches")[0])


def _redesign_levels(raw: bytes) -> list[tuple[str, int]]:
    """(fullname, depth) of every comment element in page order, from its screen-reader 'level N' text."""
    root = etree.fromstring(raw, etree.HTMLParser())
    out = []
    for div in root.xpath("//div[starts-with(@id,'t1_')]"):
        if not re.fullmatch(r"t1_[0-9a-z]+", div.get("id")):  # t1_ID-comment-share-menu and the like
            continue
        level = [s.text for s in div.iter("span") if (s.text or "").startswith("level ")][0]
        out.append((div.get("id"), int(level.split()[1]) - 1))
    return out


def _extract(tmp_path, *pages) -> list[dict]:
    assert main(["extract", *map(str, pages), "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    return read_jsonl(tmp_path / "o" / "posts.jsonl")


@pytest.mark.parametrize("case", REDESIGN_CASES)
def test_redesign_detected_from_the_page_alone(case):
    assert detect(_doc(RD / case / "page.html")) is reddit
    assert reddit.score(_doc(RD / case / "page.html")).score >= 10


@pytest.mark.parametrize("case", REDESIGN_CASES)
def test_redesign_tree_scores_and_times_are_the_state_json(case, tmp_path):
    """Every comment model of features.comments.models becomes a post with its parentId (the post's own id
    means top level), depth, author, score and created time, in the order the page shows them."""
    raw = (RD / case / "page.html").read_bytes()
    state = _redesign_state(raw)
    models = state["features"]["comments"]["models"]
    posts = _extract(tmp_path, RD / case / "page.html")
    assert [p["id"] for p in posts[1:]] == [cid for cid, _ in _redesign_levels(raw)]
    assert sorted(p["id"] for p in posts[1:]) == sorted(models)
    for post in posts[1:]:
        m = models[post["id"]]
        assert post["parent_id"] == (m["parentId"] if m["parentId"].startswith("t1_") else None)
        assert post["depth"] == m["depth"]
        assert post["author_name"] == (None if m["author"] == "[deleted]" else m["author"])
        assert post["votes"] == (None if m["isScoreHidden"] else m["score"])
        when = datetime.fromtimestamp(m["created"] / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert post["published_utc"] == when and post["published_approximate"] is False
    (op_id, op), = state["posts"]["models"].items()
    assert posts[0]["id"] == op_id and posts[0]["votes"] == op["score"] and posts[0]["votes_kind"] == "score"
    assert posts[0]["title"] == op["title"] and posts[0]["author_name"] == op["author"]


@pytest.mark.parametrize("case", REDESIGN_CASES)
def test_redesign_without_its_state_is_read_from_the_markup(case, tmp_path):
    """Without the state script (cut off, or stripped by a copy) the same posts, tree and scores come from the
    elements' ids, 'level N' texts and 'N points'; dates become ages counted back from the capture time."""
    raw = (RD / case / "page.html").read_bytes()
    stripped = re.sub(rb'<script id="data">.*?</script>', b"", raw, flags=re.S)
    assert b"window.___r" not in stripped
    (tmp_path / "dom").mkdir()
    (tmp_path / "dom" / "page.html").write_bytes(stripped)
    posts = _extract(tmp_path, tmp_path / "dom" / "page.html")
    branch: dict[int, str] = {}
    expected = []
    for cid, depth in _redesign_levels(raw):  # depth-first listing: the parent is the latest comment one level up
        expected.append((cid, branch.get(depth - 1) if depth else None, depth))
        branch[depth] = cid
    assert [(p["id"], p["parent_id"], p["depth"]) for p in posts[1:]] == expected
    (tmp_path / "s").mkdir()
    with_state = {p["id"]: p for p in _extract(tmp_path / "s", RD / case / "page.html")}
    for post in posts:
        twin = with_state[post["id"]]
        assert (post["author_name"], post["deleted"], post["body_text"] or twin["body_text"]) == \
            (twin["author_name"], twin["deleted"], twin["body_text"])
        assert post["votes"] == twin["votes"] or post["deleted"]  # a deleted comment's row shows no score
        assert post["published_approximate"] is True
    if case != "redesign-2020-wayback":
        return
    by_id = {p["id"]: p for p in posts}
    assert by_id["t1_g18k2ab"]["votes"] == 42 and by_id["t1_g18k2ab"]["votes_raw"] == "42 points"
    assert by_id["t1_g1c0zkl"]["votes"] is None and by_id["t1_g1c0zkl"]["extra"]["score_hidden"]
    assert by_id["t3_i8m2qz"]["votes"] == 128  # the post's vote arrows


def test_redesign_deleted_removed_hidden_and_stubs():
    parsed = reddit.parse(_doc(REDESIGN))
    by_id = {p["id"]: p for p in parsed.posts}
    assert by_id["t1_g18p1ef"]["deleted"] and by_id["t1_g18p1ef"]["extra"]["state"] == "deleted"
    assert by_id["t1_g18p1ef"]["author_name"] is None
    assert by_id["t1_g18w2mn"]["deleted"] and by_id["t1_g18w2mn"]["extra"]["state"] == "removed"
    assert [p["id"] for p in parsed.posts if p["deleted"]] == ["t1_g18p1ef", "t1_g18w2mn"]
    assert by_id["t1_g1c0zkl"]["votes"] is None and by_id["t1_g1c0zkl"]["extra"] == {"score_hidden": True}
    assert not [i for i in by_id if not i.startswith(("t1_", "t3_"))]  # stubs are not posts
    assert parsed.thread["extra"]["incomplete"] is True and parsed.thread["reply_count"] == 9


def test_redesign_incomplete_from_stubs_or_count(tmp_path):
    """Either sign alone marks the page incomplete: a 'Continue this thread' / 'N more replies' stub, or a
    numComments above the comments shown. Without both (and with the stub words only inside a comment's own
    text) nothing says the page lacks replies."""
    html = REDESIGN.read_text(encoding="utf-8")
    counted = html.replace('"numComments":9', '"numComments":7')
    no_stubs = html.replace("Continue this thread", "").replace("2 more replies", "")
    neither = counted.replace("Continue this thread", "").replace("2 more replies", "")
    quoted = neither.replace(">Two weeks at", ">2 more replies</p><p>Two weeks at")
    for name, page, incomplete in (("counted", counted, True), ("no_stubs", no_stubs, True),
                                   ("neither", neither, False), ("quoted", quoted, False)):
        (tmp_path / f"{name}.html").write_text(page, encoding="utf-8")
        parsed = reddit.parse(_doc(tmp_path / f"{name}.html"))
        assert len(parsed.posts) == 8 and parsed.thread["extra"].get("incomplete", False) is incomplete, name


def test_redesign_unreadable_state_is_a_note_not_a_failure(tmp_path):
    """JSON nested past the parser's recursion limit: the page is read from its markup, with a note."""
    deep = 'window.___r = {"user"' + "[" * 5000
    html = REDESIGN.read_text(encoding="utf-8").replace('window.___r = {"user"', deep, 1)
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    doc = _doc(tmp_path / "page.html")
    parsed = reddit.parse(doc)
    assert [p["id"] for p in parsed.posts] == [p["id"] for p in reddit.parse(_doc(REDESIGN)).posts]
    assert any("state JSON unreadable" in note for note in doc.page.notes)


def test_redesign_odd_state_values_fall_back_to_the_markup(tmp_path):
    """Values of the wrong type or out of range (Infinity, NaN, a score as text) are not trusted: the comment
    keeps the markup's age and 'N points'."""
    html = REDESIGN.read_text(encoding="utf-8")
    html = html.replace('"score":42,', '"score":"42",').replace('"created":1597401722000', '"created":Infinity')
    html = html.replace('"created":1597403511000', '"created":NaN')
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    parsed = reddit.parse(_doc(tmp_path / "page.html"))
    by_id = {p["id"]: p for p in parsed.posts}
    assert by_id["t1_g18k2ab"]["votes"] == 42 and by_id["t1_g18k2ab"]["votes_raw"] == "42 points"
    for cid in ("t1_g18k2ab", "t1_g18m7cd"):
        assert by_id[cid]["published_approximate"] is True and by_id[cid]["published_utc"].startswith("2020-08-15")


def test_redesign_and_old_reddit_captures_of_one_thread_merge(tmp_path):
    """The same thread through old Reddit (classic markup) and the redesign: the same fullnames, the same
    participant keys (t2_ ids), so one thread whose shared comment was seen twice."""
    old = ('<!doctype html><html><head><title>How do you keep a sourdough starter alive on holiday? : Breadit</title>'
           '<link rel="canonical" href="https://www.reddit.com/r/Breadit/comments/i8m2qz/how_do_you_keep_a_sourdough_'
           'starter_alive_on/" /><link rel="stylesheet" type="text/css" href="//www.redditstatic.com/reddit.css">'
           '</head><body class="listing-page comments-page"><div class="content" role="main">'
           '<div class=" thing id-t3_i8m2qz linkflair self link" id="thing_t3_i8m2qz" data-fullname="t3_i8m2qz"'
           ' data-type="link" data-author="crumbcoat" data-author-fullname="t2_6x1k2f9a" data-subreddit-prefixed='
           '"r/Breadit" data-permalink="/r/Breadit/comments/i8m2qz/how_do_you_keep_a_sourdough_starter_alive_on/">'
           '<div class="midcol unvoted"><div class="score unvoted" title="130">130</div></div><div class="entry">'
           '<p class="title"><a class="title" href="/r/Breadit/comments/i8m2qz/">How do you keep a sourdough starter'
           ' alive on holiday?</a></p><p class="tagline">submitted <time datetime="2020-08-14T09:41:41+00:00"'
           ' class="live-timestamp">5 days ago</time> by <a href="https://old.reddit.com/user/crumbcoat" class='
           '"author">crumbcoat</a></p><form><div class="usertext-body"><div class="md"><p>I\'m away for two weeks'
           '</p></div></div></form></div></div><div class="commentarea"><div class="sitetable nestedlisting">'
           '<div class=" thing id-t1_g18k2ab comment" id="thing_t1_g18k2ab" data-fullname="t1_g18k2ab" data-type='
           '"comment" data-author="levain_larry" data-author-fullname="t2_3k9d1x7q" data-permalink="/r/Breadit/'
           'comments/i8m2qz/how_do_you_keep_a_sourdough_starter_alive_on/g18k2ab/"><div class="entry"><p class='
           '"tagline"><a href="https://old.reddit.com/user/levain_larry" class="author">levain_larry</a> <span class='
           '"score unvoted" title="44">44 points</span> <time datetime="2020-08-14T10:42:02+00:00" class="live-'
           'timestamp">5 days ago</time></p><form><div class="usertext-body"><div class="md"><p>Feed it at 1:5:5'
           '</p></div></div></form></div><div class="child"></div></div></div></div></div></body></html>')
    (tmp_path / "old.html").write_text(old, encoding="utf-8")
    assert detect(_doc(tmp_path / "old.html")) is reddit
    posts = _extract(tmp_path, tmp_path / "old.html", REDESIGN)
    threads = read_jsonl(tmp_path / "o" / "threads.jsonl")
    assert [t["id"] for t in threads] == ["t3_i8m2qz"] and threads[0]["captures_seen"] == 2
    shared = {p["id"]: p for p in posts}["t1_g18k2ab"]
    assert shared["captures_seen"] == 2 and shared["author_key"] == "www.reddit.com/user:t2_3k9d1x7q"
    assert len([p for p in posts if p["id"] == "t1_g18k2ab"]) == 1


def test_redesign_listing_page_is_skipped(tmp_path):
    """A subreddit's front page holds the same state script and post containers, but no thread."""
    html = REDESIGN.read_text(encoding="utf-8")
    listing = html.replace("/r/Breadit/comments/i8m2qz/how_do_you_keep_a_sourdough_starter_alive_on/", "/r/Breadit/")
    (tmp_path / "page.html").write_text(listing, encoding="utf-8")
    doc = _doc(tmp_path / "page.html")
    assert doc.url.endswith("/r/Breadit/")
    parsed = reddit.parse(doc)
    assert parsed.posts == [] and "listing" in parsed.skip_reason


def test_redesign_crawl_hints_only_give_the_thread():
    full, hints = reddit.parse(_doc(REDESIGN)), reddit.parse(_doc(REDESIGN), records=False)
    assert hints.posts == [] and full.posts
    assert hints.thread == {"id": full.thread["id"], "url": full.thread["url"]} and hints.links == full.links


@pytest.mark.parametrize("case, path", [
    ("oldreddit-nested-more", "/r/bicycletouring/comments/d8k2xq/first_tour_which_direction_round_the_loop/"),
    ("shreddit-2024-gardening", "/r/GardeningUK/comments/1arq9zt/tips_for_a_first_allotment/"),
])
def test_local_crawl_takes_the_comments_page(case, path, tmp_path):
    """Thread scope: the comments page, read back with the same tree as the sample; 'load more' and vote links
    are not followed."""
    from tests.capture_servers import crawl_sample

    folder = SAMPLES / "reddit" / case
    fetched = crawl_sample(tmp_path / "crawl", "https://www.reddit.com", {path: (folder / "page.html").read_bytes()})
    assert fetched == [path]
    assert main(["extract", str(tmp_path / "crawl"), "-o", str(tmp_path / "ds"), "--no-progress"]) == 0
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    got = read_jsonl(tmp_path / "ds" / "posts.jsonl")
    assert [(p["id"], p["parent_id"]) for p in got] == [(p["id"], p["parent_id"]) for p in expected["posts"]]


def _redesign_2019_page() -> str:
    """A 2019-build redesign page, invented: the state keeps comments in the top-level comments.models without a
    depth, texts as rich-text JSON, and the order in commentsPage's chain; the markup holds one comment
    (div[data-test-id=comment], a CommentTopMeta age) and the post (div#t3_ID[tabindex=-1] > post-content)."""
    def rt(*blocks):
        return {"richtextContent": {"document": list(blocks)}, "type": "rtjson"}

    def par(*spans):
        return {"e": "par", "c": list(spans)}

    def comment(cid, parent, author, created, text_media, **more):
        return {"id": cid, "parentId": parent, "author": author, "authorId": f"t2_{author[:4]}", "score": 3,
                "created": created, "isScoreHidden": False, "isDeleted": False, "editedAt": None,
                "permalink": f"/r/Kettles/comments/ab12cd/descale/{cid[3:]}/", "postId": "t3_ab12cd",
                "media": text_media, **more}

    key = "commentsPage--[post:'t3_ab12cd']"
    models = {  # not in display order, as the server wrote them
        "t1_kz3": comment("t1_kz3", "t1_kz1", "limescale_lou", 1550001200,
                          rt(par({"e": "text", "t": "Citric acid, then "}, {"e": "link", "u": "https://example.org/",
                                                                           "t": "rinse twice"})),
                          editedAt=1550001500),
        "t1_kz1": comment("t1_kz1", None, "boiling_bea", 1550000600, rt(par({"e": "text", "t": "Vinegar works."}))),
        "t1_kz4": comment("t1_kz4", None, "[deleted]", 1550001800, rt(par({"e": "text", "t": "[deleted]"})),
                          isDeleted=True, deletedBy="user"),
        "t1_kz2": comment("t1_kz2", "t1_kz1", "spout_sam", 1550000900,
                          rt({"e": "code", "c": [{"e": "raw", "t": "1 part acid"}, {"e": "raw", "t": "3 parts water"}]},
                             {"e": "list", "o": False, "c": [{"e": "li", "c": [par({"e": "text", "t": "boil"})]}]})),
        "t1_kz5": comment("t1_kz5", "t1_kz4", "filter_fay", 1550002400, rt(par({"e": "text", "t": "Gone now."}))),
    }
    links = {"t1_kz1": {"depth": 0, "next": {"type": "comment", "id": "t1_kz2"}},
             "t1_kz2": {"depth": 1, "next": {"type": "comment", "id": "t1_kz3"}},
             "t1_kz3": {"depth": 1, "next": {"type": "continueThread", "id": "continueThread-t1_kz3"}},
             "t1_kz4": {"depth": 0, "next": {"type": "comment", "id": "t1_kz5"}},
             "t1_kz5": {"depth": 1, "next": None}}
    state = {
        "posts": {"models": {"t3_ab12cd": {
            "id": "t3_ab12cd", "title": "How often do you descale a kettle?", "author": "boiling_bea",
            "authorId": "t2_boil", "score": 21, "numComments": 5, "created": 1550000000000,
            "permalink": "https://www.reddit.com/r/Kettles/comments/ab12cd/descale/",
            "media": rt(par({"e": "text", "t": "Hard water here."}))}}},
        "comments": {"models": models},
        "commentsPage": {"keyToPostId": {key: "t3_ab12cd"}, "keyToHeadCommentId": {key: "t1_kz1"},
                         "keyToCommentThreadLinkSets": {key: links}},
        "continueThreads": {"models": {"continueThread-t1_kz3": {
            "depth": 2, "parentId": "t1_kz3", "next": {"type": "comment", "id": "t1_kz4"}}}},
        "moreComments": {"models": {}},
    }
    return ('<!DOCTYPE html><html><head><link rel="canonical" href="https://www.reddit.com/r/Kettles/comments/ab12cd/'
            'descale/"/></head><body><div id="t3_ab12cd" tabindex="-1" class="_1a Post t3_ab12cd">'
            '<div data-test-id="post-content"><a data-click-id="timestamp" href="https://www.reddit.com/r/Kettles/'
            'comments/ab12cd/descale/">6 years ago</a><h1>How often do you descale a kettle?</h1>'
            '<div data-click-id="text"><div class="_2b RichTextJSON-root"><p>Hard water here.</p></div></div></div>'
            '</div><div id="t1_kz1" style="padding-left:16px" tabindex="-1" class="_3c"><div class="_4d Comment '
            't1_kz1"><span class="_5e">level 1</span><div class="_6f"><span>3 points</span><span> · </span>'
            '<a href="/r/Kettles/comments/ab12cd/descale/kz1/" id="CommentTopMeta--Created--t1_kz1"><span>6 years ago'
            '</span></a></div><div data-test-id="comment" class="_7g"><div class="_2b RichTextJSON-root"><p>Vinegar '
            'works.</p></div></div></div></div>'
            f'<script id="data">window.___r = {json.dumps(state)};</script></body></html>')


def test_redesign_2019_state_order_depth_and_rich_text(tmp_path):
    """2019 builds (as a real saved page has them): comments only in the state are placed and indented by the
    commentsPage chain, not the models' order; their texts come from the rich-text JSON; the one comment in the
    markup keeps its printed age; a deleted one (isDeleted) and an edit time are said; a continueThread stub
    marks the thread incomplete."""
    (tmp_path / "page.html").write_text(_redesign_2019_page(), encoding="utf-8")
    parsed = reddit.parse(_doc(tmp_path / "page.html"))
    got = [(p["id"], p["parent_id"], p["depth"]) for p in parsed.posts]
    assert got == [("t3_ab12cd", None, 0), ("t1_kz1", None, 0), ("t1_kz2", "t1_kz1", 1), ("t1_kz3", "t1_kz1", 1),
                   ("t1_kz4", None, 0), ("t1_kz5", "t1_kz4", 1)]
    by_id = {p["id"]: p for p in parsed.posts}
    op = by_id["t3_ab12cd"]
    assert op["body_text"] == "Hard water here." and op["published_raw"] == "6 years ago"
    assert by_id["t1_kz1"]["body_text"] == "Vinegar works." and by_id["t1_kz1"]["published_raw"] == "6 years ago"
    assert "1 part acid\n3 parts water" in by_id["t1_kz2"]["body_text"] and "boil" in by_id["t1_kz2"]["body_text"]
    assert "<pre>" in by_id["t1_kz2"]["body_html"] and "<li>" in by_id["t1_kz2"]["body_html"]
    assert by_id["t1_kz3"]["body_text"] == "Citric acid, then rinse twice"
    assert by_id["t1_kz3"]["links"][0]["url"] == "https://example.org/"
    assert by_id["t1_kz3"]["extra"]["edited"] == datetime.fromtimestamp(1550001500, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert by_id["t1_kz4"]["deleted"] and by_id["t1_kz4"]["author_name"] is None
    assert by_id["t1_kz4"]["extra"]["state"] == "deleted"
    assert parsed.thread["extra"]["incomplete"] is True  # 5 comments of 5, but the chain has a stub


def _rendered_redesign_page(first_votes: str = "12") -> str:
    """A redesign page saved as rendered (invented): no scripts, no links, no address; the tile icon in the head;
    one comment without its name link (only the avatar), a deleted one (div[to] '[deleted]'), a comment
    rendered a second time outside the app's content, and a promoted post after the thread's own."""
    def comment(cid, pad, level, header, body, votes):
        arrows = f'<div id="vote-arrows-{cid}"><button>up</button><div>{votes}</div></div>' if votes else ""
        text = f'<div data-testid="comment"><div><p>{body}</p></div></div>' if body else ""
        return (f'<div id="{cid}" style="padding-left:{pad}px" tabindex="-1"><div><span>level {level}</span>'
                f'{header}{text}{arrows}</div></div>')
    hidden_name = ('<a data-testid="comment_author_icon" href="/user/teapot_tom/"><div></div></a>'
                   '<div data-testid="post-comment-header"><span><a data-testid="comment_timestamp" href="#">'
                   '3 yr. ago</a></span></div>')
    named = ('<div data-testid="post-comment-header"><a data-testid="comment_author_link" href="/user/kettle_kim/">'
             'kettle_kim</a> <a data-testid="comment_timestamp" href="#">3 yr. ago</a></div>')
    deleted = ('<div to="/user/[deleted]/"><div></div></div><div data-testid="post-comment-header"><span><div>'
               '<span>[deleted]</span></div><a data-testid="comment_timestamp" href="#">3 yr. ago</a></span></div>')
    return ('<html><head><meta name="msapplication-TileImage" content="https://www.redditstatic.com/desktop2x/img/'
            'favicon/ms-icon-144x144.png"><title>Descaling : Kettles</title></head><body>'
            '<div id="AppRouter-main-content"><div id="t3_ab12cd" data-testid="post-container" tabindex="-1">'
            '<a data-testid="post_author_link" href="/user/kettle_kim/">u/kettle_kim</a>'
            '<a data-click-id="timestamp" href="#">3 years ago</a><h1>Descaling</h1>'
            '<div data-click-id="text"><p>Which acid?</p></div>'
            '<a data-click-id="comments" href="/r/Kettles/comments/ab12cd/descaling/"><span>1.2k comments</span></a>'
            '</div>'
            + comment("t1_kz1", 16, 1, named, "Citric.", first_votes)
            + comment("t1_kz2", 37, 2, hidden_name, "Vinegar smells.", "4")
            + comment("t1_kz3", 16, 1, deleted, "", "")
            + '<div id="t3_z=AbCdEf" data-testid="post-container"><h3>Buy a kettle</h3></div></div>'
            + '<div class="portal">' + comment("t1_kz1", 16, 1, named, "Citric.", "13") + '</div></body></html>')


def test_redesign_saved_as_rendered(tmp_path):
    """Scripts and links stripped, no address: still a Reddit thread (the head's tile icon), its first post the
    thread (not a listing because a promoted post follows), the permalink, board and shown count from the post's
    comments link; names from the avatar link, '[deleted]' from div[to]; a comment rendered twice is read once,
    from its first copy."""
    (tmp_path / "page.html").write_text(_rendered_redesign_page(), encoding="utf-8")
    doc = _doc(tmp_path / "page.html")
    assert doc.url is None and detect(doc) is reddit
    parsed = reddit.parse(doc)
    got = [(p["id"], p["parent_id"], p["depth"], p["author_name"], p["votes"], p["deleted"]) for p in parsed.posts]
    assert got == [
        ("t3_ab12cd", None, 0, "kettle_kim", None, False), ("t1_kz1", None, 0, "kettle_kim", 12, False),
        ("t1_kz2", "t1_kz1", 1, "teapot_tom", 4, False), ("t1_kz3", None, 0, None, None, True)]
    assert parsed.thread["url"].endswith("/r/Kettles/comments/ab12cd/descaling/")
    assert parsed.thread["board"] == "r/Kettles" and parsed.thread["reply_count"] == 1200
    assert parsed.thread["extra"]["incomplete"] is True  # 3 comments of 1.2k


def test_load_more_stub_inside_a_reply_marks_the_thread_incomplete(tmp_path):
    """A 'load more comments' stub in a reply's div.child (where a real 2018 page has both of its stubs) was lost
    when the replies were taken apart for reading, so the thread looked complete."""
    def thing(fullname, author, child=""):
        return (f'<div class=" thing id-{fullname} noncollapsed comment " id="thing_{fullname}" data-fullname='
                f'"{fullname}" data-type="comment" data-author="{author}"><div class="entry unvoted"><p class='
                f'"tagline"><a href="/user/{author}" class="author">{author}</a> <span class="score unvoted" title="3">'
                f'3 points</span> <time datetime="2018-04-21T21:36:45+00:00" class="live-timestamp">1 hour ago</time>'
                f'</p><form><div class="usertext-body"><div class="md"><p>Words of {author}.</p></div></div></form>'
                f'</div><div class="child">{child}</div></div>')
    stub = ('<div id="siteTable_t1_kb2" class="sitetable listing"><div class=" thing id-t1_kb9 noncollapsed '
            'morechildren " data-fullname="t1_kb9" data-type="morechildren"><div class="entry unvoted"><span class='
            '"morecomments"><a class="button" href="javascript:void(0)">load more comments</a></span></div></div>'
            '</div>')
    reply = f'<div id="siteTable_t1_kb1" class="sitetable listing">{thing("t1_kb2", "pawprint", stub)}</div>'
    html = ('<html><head><link rel="stylesheet" href="//www.redditstatic.com/reddit.css"></head><body class='
            '"listing-page comments-page"><div class=" thing id-t3_kb0 self link" data-fullname="t3_kb0" data-type='
            '"link" data-author="leash_lee" data-permalink="/r/aww/comments/kb0/walks/"><div class="entry"><p class='
            '"title"><a class="title" href="/r/aww/comments/kb0/walks/">Walks</a></p></div></div><div class='
            '"commentarea"><div class="sitetable nestedlisting">' + thing("t1_kb1", "leash_lee", reply)
            + '</div></div></body></html>')
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    parsed = reddit.parse(_doc(tmp_path / "page.html"))
    assert [(p["id"], p["parent_id"]) for p in parsed.posts] == [("t3_kb0", None), ("t1_kb1", None),
                                                                  ("t1_kb2", "t1_kb1")]
    assert parsed.thread["extra"].get("incomplete") is True


def test_deleted_comment_without_fullname_and_deleted_accounts(tmp_path):
    """Old Reddit (2025) draws a deleted comment that has replies without data-fullname: it keeps its place (its id
    from the permalink) and its reply stays its reply. A comment whose author deleted the account ('[deleted]' as
    author, text still shown) has no author but is not a deleted post; neither is such a post."""
    def thing(attrs, tagline, body, child=""):
        return (f'<div class=" thing {attrs}><div class="entry unvoted"><p class="tagline">{tagline} <time datetime='
                f'"2025-07-03T11:59:40+00:00" class="live-timestamp">5 months ago</time></p><form><div class='
                f'"usertext-body"><div class="md"><p>{body}</p></div></div></form></div><div class="child">'
                f'<div class="sitetable listing">{child}</div></div></div>')
    link = "/r/Kettles/comments/kb0/walks/"
    reply = thing(f'id-t1_kb3 comment " data-fullname="t1_kb3" data-author="spout_sam" data-permalink="{link}kb3/"',
                  '<a class="author" href="/user/spout_sam">spout_sam</a>', "Still here.")
    gone = thing(f'collapsed deleted comment " data-permalink="{link}kb2/"', "<em>[deleted]</em>", "[removed]", reply)
    account = thing(f'id-t1_kb4 comment " data-fullname="t1_kb4" data-permalink="{link}kb4/"',
                    '<span>[deleted]</span> <span class="score unvoted" title="8">8 points</span>', "Kept words.")
    html = ('<html><head><link rel="stylesheet" href="//www.redditstatic.com/reddit.css"></head><body class='
            '"listing-page comments-page"><div class=" thing id-t3_kb0 link" data-fullname="t3_kb0" data-type="link"'
            f' data-permalink="{link}"><div class="entry"><p class="title"><a class="title" href="{link}">Walks</a>'
            '</p><p class="tagline">submitted by <span>[deleted]</span></p></div></div><div class="commentarea">'
            f'<div class="sitetable nestedlisting">{gone}{account}</div></div></body></html>')
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    parsed = reddit.parse(_doc(tmp_path / "page.html"))
    got = [(p["id"], p["parent_id"], p["depth"], p["author_name"], p["deleted"], p["extra"].get("state"))
           for p in parsed.posts]
    assert got == [("t3_kb0", None, 0, None, False, None), ("t1_kb2", None, 0, None, True, "removed"),
                   ("t1_kb3", "t1_kb2", 1, "spout_sam", False, None), ("t1_kb4", None, 0, None, False, None)]
    assert {p["id"]: p for p in parsed.posts}["t1_kb4"]["body_text"] == "Kept words."


def test_redesign_deleted_account_is_not_a_deleted_comment(tmp_path):
    """In the 2019 state a comment by a deleted account keeps its text (isDeleted false): no author, not deleted."""
    page = _redesign_2019_page().replace('"limescale_lou"', '"[deleted]"')
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    by_id = {p["id"]: p for p in reddit.parse(_doc(tmp_path / "page.html")).posts}
    assert by_id["t1_kz3"]["author_name"] is None and by_id["t1_kz3"]["deleted"] is False
    assert by_id["t1_kz3"]["body_text"] == "Citric acid, then rinse twice"
    assert by_id["t1_kz4"]["deleted"] is True  # isDeleted, '[deleted]' text


def test_redesign_state_texts_with_control_characters(tmp_path):
    """JSON may carry NUL, control characters and lone surrogates that no HTML tree can hold: rich text, a link
    and a bodyMD holding them are read without them instead of failing the page."""
    page = _redesign_2019_page().replace('"1 part acid"', '"1 part\\u0000 acid\\ud800"')
    page = page.replace('"https://example.org/"', '"https://example.org/\\u0007"')
    rich = '"media": {"richtextContent": {"document": [{"e": "par", "c": [{"e": "text", "t": "Gone now."}]}]}'
    page = page.replace(rich + ', "type": "rtjson"}', '"bodyMD": "Gone\\u000b now."')
    assert page.count("\\u0") == 3
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    by_id = {p["id"]: p for p in reddit.parse(_doc(tmp_path / "page.html")).posts}
    assert by_id["t1_kz2"]["body_text"].startswith("1 part acid\n3 parts water")
    assert by_id["t1_kz3"]["links"][0]["url"] == "https://example.org/"
    assert by_id["t1_kz5"]["body_text"] == "Gone now."


def test_redesign_state_strings_with_lone_surrogates_do_not_stop_the_run(tmp_path):
    """A lone surrogate in the state's title or an author's name (valid JSON, not valid UTF-8) stopped the whole run
    when the page was stored; the strings are read without it."""
    page = _redesign_2019_page()
    page = page.replace('"How often do you descale a kettle?"', '"How often\\ud800 do you descale?"', 1)
    (tmp_path / "page.html").write_text(page.replace('"filter_fay"', '"filter_\\udc00fay"'), encoding="utf-8")
    assert main(["extract", str(tmp_path / "page.html"), "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    assert read_jsonl(tmp_path / "o" / "threads.jsonl")[0]["title"] == "How often do you descale?"
    assert "filter_fay" in {p["author_name"] for p in read_jsonl(tmp_path / "o" / "posts.jsonl")}


def test_redesign_state_comments_of_another_post_are_left_out(tmp_path):
    """The state may keep comments of another post the reader opened before; only this post's are its comments."""
    other = ('"t1_zz9": {"id": "t1_zz9", "parentId": null, "author": "elsewhere_eli", "score": 1, '
             '"created": 1550000000, "postId": "t3_other1", "media": null}, ')
    page = _redesign_2019_page().replace('"comments": {"models": {', '"comments": {"models": {' + other, 1)
    assert page.count("t1_zz9") == 2
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    ids = [p["id"] for p in reddit.parse(_doc(tmp_path / "page.html")).posts]
    assert ids == ["t3_ab12cd", "t1_kz1", "t1_kz2", "t1_kz3", "t1_kz4", "t1_kz5"]
