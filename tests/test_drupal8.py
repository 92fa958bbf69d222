"""Drupal 8-11 pages (issue 15): core comment markup in Bartik, Olivero and a news theme that drops the node's
classes. Facts are recomputed from the pages with plain lxml, not through the engine."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from harvester.capture.crawl import Config, Crawler
from harvester.cli import main
from harvester.document import Document
from harvester.engines import detect, drupal
from harvester.model import Page
from tests.capture_servers import Server, static_app
from tests.conftest import read_jsonl
from tests.samples_support import SAMPLES

CASES = {
    "d8-bartik-two-pages": ["page.html", "page-2.html"],
    "d10-olivero-german": ["page.html"],
    "d9-newsroom-wayback": ["page.html"],
}


def _doc(path) -> Document:
    return Document(Page(source_file=str(path), source_type="html", body=path.read_bytes()))


def _extract(tmp_path, name: str) -> list[dict]:
    case = SAMPLES / "drupal" / name
    out = tmp_path / name
    assert main(["extract", *(str(case / p) for p in CASES[name]), "-o", str(out), "--no-progress"]) == 0
    return read_jsonl(out / "posts.jsonl")


def _page_comments(name: str) -> list[dict]:
    """Each comment article as the page shows it: id, user id, the 'In reply to' link, the RDF date."""
    found = []
    for page in CASES[name]:
        root = etree.fromstring((SAMPLES / "drupal" / name / page).read_bytes(), etree.HTMLParser())
        for art in root.iter("article"):
            if art.get("data-comment-user-id") is None:
                continue
            ident = art.get("id") or art.getprevious().get("id")
            reply = [a.get("href") for p in art.iter("p") if (p.text or "").strip().startswith(("In reply", "Antwort"))
                     for a in p.iter("a")]
            created = [s.get("content") for s in art.iter("span") if s.get("property") == "schema:dateCreated"]
            found.append({"id": "comment/" + ident.split("-")[1], "uid": art.get("data-comment-user-id"),
                          "parent": ("comment/" + re.search(r"comment-(\d+)", reply[0]).group(1)) if reply else None,
                          "created": created[0] if created else None})
    return found


@pytest.mark.parametrize("name", sorted(CASES))
def test_detected_as_drupal_8_or_later(name):
    for page in CASES[name]:
        doc = _doc(SAMPLES / "drupal" / name / page)
        assert detect(doc) is drupal
        assert drupal.score(doc).version == "8+"


@pytest.mark.parametrize("name", sorted(CASES))
def test_comments_tree_and_anonymity_match_the_page(name, tmp_path):
    """Every comment article of the pages, in order; parents equal the hidden 'In reply to' links (the engine
    reads div.indented); anonymous exactly where data-comment-user-id is 0; RDF instants kept."""
    posts = _extract(tmp_path, name)
    comments = [p for p in posts if not p["is_op"]]
    shown = _page_comments(name)
    assert [c["id"] for c in comments] == [s["id"] for s in shown]
    for post, seen in zip(comments, shown, strict=True):
        assert post["parent_id"] == seen["parent"], post["id"]
        assert bool(post["extra"].get("anonymous")) == (seen["uid"] == "0"), post["id"]
        assert post["author_id"] == (None if seen["uid"] == "0" else seen["uid"]), post["id"]
        if seen["created"]:
            assert post["published_utc"] == seen["created"].replace("+00:00", "Z"), post["id"]
        assert post["depth"] == (0 if seen["parent"] is None else
                                 next(p["depth"] for p in comments if p["id"] == seen["parent"]) + 1)
    assert posts[0]["is_op"] and posts[0]["id"].startswith("node/")


def test_the_news_theme_without_node_classes_gives_the_article(tmp_path):
    """The article is found through its schema.org Article; its text is the site's own body field (the core
    one holds a newsletter form), its author the byline link; comment subjects are their own permalinks."""
    posts = _extract(tmp_path, "d9-newsroom-wayback")
    op = posts[0]
    assert op["id"] == "node/48213" and op["author_name"] == "LOTTE KUIPERS"
    assert op["body_text"].startswith("Het tekort is het grootst") and "Nieuwsbrief" not in op["body_text"]
    titles = {p["id"]: p["title"] for p in posts}
    assert titles["comment/90219"] == "Praktijkwoning"  # not its parent's subject, linked in "In reply to"


def test_anonymous_author_is_not_the_parent_named_in_reply_to(tmp_path):
    posts = {p["id"]: p for p in _extract(tmp_path, "d10-olivero-german")}
    assert posts["comment/1215"]["author_name"] == "Anwohnerin Hof 3"
    assert posts["comment/1209"]["author_name"] == "Greta Lindqvist"


def test_a_stub_core_body_field_escaped_by_a_stray_div_keeps_its_text(tmp_path):
    """Drupal 8 puts the item class on the field itself: a </div> at the start of a comment closes it, and the
    text after it is still that comment's body."""
    case = SAMPLES / "drupal" / "d8-bartik-two-pages"
    work = tmp_path / "in"
    work.mkdir()
    html = (case / "page.html").read_text(encoding="utf-8")
    html = html.replace("<p>Put me down for two", "</div><p>Put me down for two", 1)
    (work / "page.html").write_text(html, encoding="utf-8")
    assert main(["extract", str(work), "-o", str(tmp_path / "out"), "--no-progress"]) == 0
    posts = {p["id"]: p for p in read_jsonl(tmp_path / "out" / "posts.jsonl")}
    assert posts["comment/301"]["body_text"].startswith("Put me down for two")
    assert len(posts) == 5


def test_local_crawl_follows_the_d8_pager(tmp_path):
    case = SAMPLES / "drupal" / "d8-bartik-two-pages"
    routes: dict[str, bytes] = {}

    with Server(static_app(routes)) as server:
        def local(name):
            return (case / name).read_text(encoding="utf-8").replace(
                "https://allotments.example.org", server.base).encode()
        routes.update({"/node/58": local("page.html"), "/node/58?page=0": local("page.html"),
                       "/node/58?page=1": local("page-2.html")})
        cfg = Config(seeds=[server.url("/node/58")], output=str(tmp_path / "crawl"), scope="thread", delay=0,
                     requisites=False, loopback_only=True)
        Crawler(cfg, sleep=lambda s: None).run()
        assert "/node/58?page=1" in server.log
    assert main(["extract", str(tmp_path / "crawl"), "-o", str(tmp_path / "ds"), "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "ds" / "posts.jsonl")
    assert [p["id"] for p in posts] == ["node/58"] + [c["id"] for c in _page_comments("d8-bartik-two-pages")]


# A Drupal 8 theme (seen on a real 8.7 site) whose comment header holds only the picture in
# div.comment__submitted; "Submitted by NAME DATE" and the RDF date are in p.comment__author further down, and
# the body is the RDF schema:text div inside div.comment__content, without field classes. Invented text.
D8_PLAIN_FIELDS = """<!DOCTYPE html><html lang="en"><head>
<meta name="Generator" content="Drupal 8 (https://www.drupal.org)" />
<link rel="canonical" href="http://kiln.example/glazing-notes" />
<link rel="shortlink" href="http://kiln.example/node/31" />
<title>Glazing notes | Kiln Club</title></head><body class="page-node-31 path-node node--type-blogs">
<h1 class="node__title"><span>Glazing notes</span></h1>
<article data-history-node-id="31" role="article" class="node blogs node--type-blogs node--view-mode-full">
 <div class="node__meta"><span>Submitted by
  <span about="/user/7" typeof="schema:Person" property="schema:name">ilse</span>
  on <span>Thu, 02/08/2018 - 13:02</span></span></div>
 <div class="node__content"><div><div>Image</div>
  <div><img src="/sites/default/files/kiln.jpg" alt="Image" /></div></div>
  <div><p>Three coats, thin ones.</p></div>
  <div class="sharethis-wrapper"><span class="st_facebook"></span></div></div>
</article>
<div id="block-comments" class="comment-block"><section><h2>Comments</h2>
<article role="article" data-comment-user-id="0" id="comment-501" about="/comment/501" typeof="schema:Comment"
  class="comment by-anonymous clearfix">
 <header class="comment-header"><div class="comment__submitted"><div class="user-picture">
  <article typeof="schema:Person" about="/user/0"></article></div></div></header>
 <div class="comment__text">
  <h3 property="schema:name"><a href="/comment/501#comment-501" class="permalink" rel="bookmark">Cone six?</a></h3>
  <p class="comment__author comment__submitted__data"><a href="/comment/501#comment-501">Permalink</a> Submitted by
   <span rel="schema:author"><span typeof="schema:Person" property="schema:name">potter joe (not verified)</span>
   </span>
   Sat, 06/29/2019 - 17:10
   <span property="schema:dateCreated" content="2019-06-29T11:40:08+00:00" class="hidden"></span></p>
  <div class="comment__content"><div property="schema:text"><p>Does this hold at cone six?</p></div></div>
  <footer class="comment__footer"><nav><ul class="links inline"><li class="comment-reply">
   <a href="/comment/reply/node/31/field_comments/501">Reply</a></li></ul></nav></footer>
 </div>
</article>
</section></div>
<script type="application/json" data-drupal-selector="drupal-settings-json">
{"path":{"currentPath":"node\\/31"}}</script>
</body></html>"""


def test_comment_byline_below_a_picture_only_header_and_rdf_body(tmp_path):
    """A real Drupal 8.7 page gave its comments no author, no date and no text, and its node no text."""
    page = tmp_path / "node.html"
    page.write_text(D8_PLAIN_FIELDS)
    assert main(["extract", str(page), "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    node, comment = read_jsonl(tmp_path / "o" / "posts.jsonl")
    assert node["body_text"] == "Three coats, thin ones."  # not the image field's label
    assert comment["id"] == "comment/501" and comment["title"] == "Cone six?"
    assert comment["author_name"] == "potter joe" and comment["extra"]["anonymous"] is True
    assert comment["published_utc"] == "2019-06-29T11:40:08Z"
    assert comment["body_text"] == "Does this hold at cone six?"


# The forum module of Drupal 8-11: forums.html.twig's div#forum holds the sub-forums (forum-list.html.twig, here
# Olivero's: td.forum-list__forum, a.forum__name--link whose href ends in a space) and the topics
# (forum-topic-list.html.twig, no theme overrides it: table#forum-topic-ID without a class, td.topic > div.title >
# the title link, then forum-submitted's "By NAME" with a link to the author, which is no thread).
D8_FORUM = """<!DOCTYPE html><html lang="en" dir="ltr"><head><meta charset="utf-8">
<meta name="Generator" content="Drupal 10 (https://www.drupal.org)"><title>Repairs | Clockmakers</title>
<link rel="canonical" href="https://clocks.example.org/forum/4"></head>
<body class="path-forum"><div class="dialog-off-canvas-main-canvas" data-off-canvas-main-canvas>
<main role="main"><h1 class="title page-title">Repairs</h1><div id="forum">
<table id="forum-4"><thead><tr><th>Forum</th><th>Topics</th><th>Posts</th><th>Last post</th></tr></thead><tbody>
<tr id="forum-list-9" class="odd"><td class="forum-list__forum"><div class="forum__icon forum-status-default"
title="No new posts"><span class="visually-hidden">No new posts</span></div><div class="forum__name">
<a href="/forum/9 " class="forum__name--link">Escapements</a></div></td><td class="forum__topics">3</td>
<td class="forum__posts">11</td><td class="forum__last-reply">n/a</td></tr></tbody></table>
<table id="forum-topic-4"><thead><tr><th>Topic</th><th>Replies</th><th>Last reply</th></tr>
</thead><tbody>%s</tbody></table><nav class="pager" role="navigation"><ul class="pager__items js-pager__items">
<li class="pager__item is-active"><a href="?page=0">1</a></li><li class="pager__item"><a href="?page=1">2</a></li>
</ul></nav></div></main></div></body></html>"""
D8_TOPIC_ROW = """<tr class="odd"><td class="topic"><div class="forum__icon forum-status-default" title="Normal topic">
<span class="visually-hidden">Normal topic</span></div><div class="title"><div>
<a href="/forum/{slug}" hreflang="en">{title}</a></div><div><span class="submitted">By
<a title="View user profile." href="/user/{uid}" class="username">{name}</a> 3 days ago</span></div></div>
</td><td class="replies">2</td><td class="last-reply">n/a</td></tr>"""


def test_drupal_8_forum_listing_gives_its_topics_and_sub_forums():
    rows = "".join(D8_TOPIC_ROW.format(slug=slug, title=title, uid=uid, name=name) for slug, title, uid, name in (
        ("mainspring-set-too-tight", "Mainspring set too tight", 12, "ivo"),
        ("crutch-adjustment", "Crutch adjustment", 15, "mae")))
    html = D8_FORUM % rows
    doc = Document(Page(source_file="forum.html", source_type="live", body=html.encode(),
                        url="https://clocks.example.org/forum/4"))
    assert detect(doc) is drupal
    parsed = drupal.parse(doc)
    assert parsed.thread is None and parsed.posts == []
    root = etree.fromstring(html.encode(), etree.HTMLParser())
    titles = [a.get("href") for a in root.iter("a") if a.get("hreflang") == "en"]  # the topics, read apart
    assert parsed.links["threads"] == ["https://clocks.example.org" + h for h in titles]
    assert parsed.links["listings"] == ["https://clocks.example.org/forum/9"]
    assert "https://clocks.example.org/forum/4?page=1" in parsed.links["pages"]
    assert not any("/user/" in u for links in parsed.links.values() for u in links)
