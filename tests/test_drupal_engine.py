"""The Drupal engine on pages built for one behaviour each."""

import pytest

from harvester.document import Document
from harvester.engines import drupal
from harvester.model import Page
from tests import pages


def parse(html: str, url: str | None = None, **kw):
    doc = Document(Page(source_file="t.html", source_type="html", body=html.encode(), url=url))
    assert drupal.detect(doc)
    return drupal.parse(doc, **kw)


def tree(parsed):
    return [(p["id"], p["parent_id"], p["depth"]) for p in parsed.posts]


def strip_rdf(html: str) -> str:
    import re

    return re.sub(r'<span rel="sioc:reply_of"[^>]*></span>', "", html)


NESTED = [
    pages.comment(11, reply_of="/node/10"),
    pages.indented(
        pages.comment(12, reply_of="/comment/11#comment-11"),
        pages.indented(pages.comment(13, reply_of="/comment/12#comment-12")),
        pages.comment(14, reply_of="/comment/11#comment-11"),
    ),
    pages.comment(15, reply_of="/node/10"),
]
EXPECTED_TREE = [("node/10", None, 0), ("comment/11", None, 0), ("comment/12", "comment/11", 1),
                 ("comment/13", "comment/12", 2), ("comment/14", "comment/11", 1), ("comment/15", None, 0)]


def test_reply_tree_from_rdf():
    assert tree(parse(pages.page(*NESTED))) == EXPECTED_TREE


def test_reply_tree_from_indented_divs_without_rdf():
    assert tree(parse(strip_rdf(pages.page(*NESTED)))) == EXPECTED_TREE


def test_rdf_parent_wins_over_nesting():
    # a theme that flattens the nesting still carries sioc:reply_of
    flat = pages.page(pages.comment(11, reply_of="/node/10"), pages.comment(12, reply_of="/comment/11#comment-11"))
    assert tree(parse(flat))[2] == ("comment/12", "comment/11", 0)


@pytest.mark.parametrize(
    "text, votes",
    [
        ("15 users have voted.", 15),
        ("1 user has voted.", 1),
        ("0 users have voted.", 0),
        ("Only you voted.", 1),
        ("3 users have voted, including you.", 3),
        ("Voting is closed. 4 users have voted.", 4),
        ("Voting is closed. Only you voted.", 1),
        ("1,204 users have voted.", 1204),
        ("No votes yet", 0),
    ],
)
def test_rate_wordings(text, votes):
    parsed = parse(pages.page(pages.comment(11, votes=text)))
    assert parsed.posts[1]["votes"] == votes
    assert parsed.posts[1]["votes_raw"] == text
    assert parsed.posts[0]["votes"] is None and parsed.posts[0]["votes_raw"] is None


def test_rate_widget_found_by_id_outside_the_comment():
    # some themes print the widget in a region after the comment; its id still names the comment
    html = pages.page(pages.comment(11)).replace(
        "</body>", '<div class="rate-widget" id="rate-comment-11-1-1"><div class="rate-info">'
                   "7 users have voted.</div></div></body>")
    assert parse(html).posts[1]["votes"] == 7


def test_anonymous_and_truncated_names():
    truncated = pages.comment(12, name="Maximilianus Ex...", uid=40).replace(
        '<div class="submitted">',
        '<div class="user-picture"><a href="/user/40" title="View user profile."><img src="/p.jpg" '
        'alt="Maximilianus Exampleton&#039;s picture" title="Maximilianus Exampleton&#039;s picture" /></a></div>'
        '<div class="submitted">', 1)
    parsed = parse(pages.page(pages.comment(11, name="Visitor", uid=None), truncated))
    anon, full = parsed.posts[1], parsed.posts[2]
    assert (anon["author_name"], anon["author_id"], anon["author_url"]) == ("Visitor", None, None)
    assert anon["extra"]["anonymous"] is True
    assert (full["author_name"], full["author_id"]) == ("Maximilianus Exampleton", "40")
    assert full["extra"]["author_name_displayed"] == "Maximilianus Ex..."


def test_dates_use_markup_offset_else_site_zone():
    from harvester.dates import get_zone

    parsed = parse(pages.page(pages.comment(11, shown="Fri, 2012-05-04 11:34")), zone=get_zone("Europe/Brussels"))
    op, c = parsed.posts
    assert (op["published_utc"], op["published_local"], op["published_tz"], op["published_raw"]) == (
        "2012-04-26T11:18:00Z", "2012-04-26T13:18:00", "+02:00", "Thu, 2012-04-26 13:18")
    assert (c["published_utc"], c["published_local"], c["published_tz"], c["published_raw"]) == (
        "2012-05-04T09:34:00Z", "2012-05-04T11:34:00", "Europe/Brussels", "Fri, 2012-05-04 11:34")
    naive = parse(pages.page(pages.comment(11, shown="Fri, 2012-05-04 11:34"))).posts[1]
    assert (naive["published_utc"], naive["published_local"], naive["published_tz"]) == (
        None, "2012-05-04T11:34:00", None)


def test_body_text_paragraphs_and_links_made_absolute():
    body = '<p>First line<br />second line with <a href="/node/99">a link</a>.</p><p>Second paragraph.</p>' \
           "<blockquote><p>quoted words</p></blockquote>"
    parsed = parse(pages.page(pages.comment(11, body=body)), url="http://forum.example.org/node/10")
    c = parsed.posts[1]
    assert c["body_text"] == "First line\nsecond line with a link.\n\nSecond paragraph.\n\nquoted words"
    assert 'href="http://forum.example.org/node/99"' in c["body_html"]
    assert c["links"] == [{"url": "http://forum.example.org/node/99", "text": "a link"}]
    assert c["quotes"] == [{"author": None, "text": "quoted words"}]
    assert c["url"] == "http://forum.example.org/node/10#comment-11"


def test_pager_gives_page_number_and_total():
    parsed = parse(pages.page(pages.comment(11), pager=pages.pager(1, 3)), url="http://forum.example.org/node/10?page=1")
    assert (parsed.page_number, parsed.pages_total) == (1, 4)
    assert "http://forum.example.org/node/10?page=3" in parsed.links["pages"]
    # without a URL the current pager item says which page this is
    parsed = parse(pages.page(pages.comment(11), pager=pages.pager(2, 3)))
    assert (parsed.page_number, parsed.pages_total) == (2, 4)


def test_listing_page_is_not_a_thread_but_gives_links():
    html = pages.HEAD.format(nid=1, title="Forum", charset="utf-8") + "".join(
        f'<div id="node-{n}" class="node node-forum node-teaser"><h2><a href="/node/{n}">T{n}</a></h2></div>'
        for n in (5, 6)) + "</div></body></html>"
    parsed = parse(html, url="http://forum.example.org/forum/1")
    assert parsed.thread is None and "listing" in parsed.skip_reason
    assert parsed.links["threads"] == ["http://forum.example.org/node/5", "http://forum.example.org/node/6"]


def _sample_pages():
    from tests.samples_support import SAMPLES

    return sorted(SAMPLES.glob("drupal/*/*.html"))


@pytest.mark.parametrize("path", _sample_pages(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_crawl_hints_only_give_the_full_parse_links(path):
    """records=False (what the crawler calls) must find the links and the thread the full parse finds."""
    def run(records):
        doc = Document(Page(source_file=str(path), source_type="html", body=path.read_bytes()))
        return drupal.parse(doc, records=records)

    full, hints = run(True), run(False)
    assert hints.links == full.links
    assert hints.posts == [] and full.posts
    assert hints.thread == {"id": full.thread["id"], "url": full.thread["url"]}


def test_crawl_hints_only_on_a_listing_and_a_pager():
    listing = pages.HEAD.format(nid=1, title="Forum", charset="utf-8") + (
        '<div id="node-5" class="node node-forum node-teaser"><h2><a href="/node/5">T5</a></h2></div>'
        "</div></body></html>")
    parsed = parse(listing, url="http://forum.example.org/forum/1", records=False)
    assert parsed.thread is None and parsed.links["threads"] == ["http://forum.example.org/node/5"]
    parsed = parse(pages.page(pages.comment(11), pager=pages.pager(1, 3)), url="http://forum.example.org/node/10?page=1",
                   records=False)
    assert parsed.thread["id"] == "node/10" and parsed.posts == []
    assert "http://forum.example.org/node/10?page=3" in parsed.links["pages"]


def test_thread_links_of_two_kinds_keep_document_order():
    views = ('<div class="view"><span class="views-field views-field-title"><a href="/node/7">T7</a></span></div>')
    teaser = '<div id="node-5" class="node node-teaser"><h2><a href="/node/5">T5</a></h2></div>'
    html = pages.HEAD.format(nid=1, title="Forum", charset="utf-8") + views + teaser + "</div></body></html>"
    for records in (True, False):
        parsed = parse(html, url="http://forum.example.org/forum/1", records=records)
        assert parsed.links["threads"] == ["http://forum.example.org/node/7", "http://forum.example.org/node/5"]


def test_detect_rejects_other_pages():
    body = b"<html><body><div class='post'>x</div></body></html>"
    doc = Document(Page(source_file="x", source_type="html", body=body))
    assert not drupal.detect(doc)


def test_forum_index_links_down_to_sub_forums():
    """forum-list.tpl.php: a forum index or container lists sub-forums, which are listings to crawl."""
    rows = "".join(
        f'<tr id="forum-list-{n}" class="odd"><td class="forum"><div class="icon forum-status-default"></div>'
        f'<div class="name"><a href="/forum/{n}">Forum {n}</a></div><div class="description">d</div></td>'
        f'<td class="topics">3</td><td class="posts">9</td><td class="last-reply">'
        f'<a href="/user/2" class="username">x</a></td></tr>' for n in (2, 3))
    html = pages.HEAD.format(nid=1, title="Forums", charset="utf-8").replace("page-node", "page-forum") + (
        f'<table id="forum"><thead><tr><th>Forum</th></tr></thead><tbody>{rows}</tbody></table></div></body></html>')
    parsed = parse(html, url="http://forum.example.org/forum")
    assert parsed.thread is None
    assert parsed.links["listings"] == ["http://forum.example.org/forum/2", "http://forum.example.org/forum/3"]


def test_rate_fivestar_wording_and_fivestar_module():
    rate_stars = pages.comment(11, votes="Total votes: 12")
    fivestar = pages.comment(12).replace(
        '<ul class="links inline">',
        '<div class="fivestar-static-item"><div class="form-item"><div class="fivestar-default">'
        '<div class="fivestar-widget-static fivestar-widget-static-vote fivestar-widget-static-5 clearfix">'
        '<div class="star star-1 star-odd star-first"><span class="on">4.2</span></div></div></div>'
        '<div class="description"><div class="fivestar-summary fivestar-summary-average-count">'
        '<span class="average-rating">Average: <span>4.2</span></span> <span class="total-votes">'
        '(<span>5</span> votes)</span></div></div></div></div><ul class="links inline">', 1)
    parsed = parse(pages.page(rate_stars, fivestar))
    assert (parsed.posts[1]["votes"], parsed.posts[1]["extra"]["vote_widget"]) == (12, "rate")
    assert (parsed.posts[2]["votes"], parsed.posts[2]["votes_raw"]) == (5, "Average: 4.2 (5 votes)")
    assert parsed.posts[2]["extra"]["vote_widget"] == "fivestar"


def test_thread_without_node_id_is_keyed_by_its_path():
    import re

    html = re.sub(r'<link rel="(?:canonical|shortlink)"[^>]*>', "", pages.page(pages.comment(11)))
    html = html.replace('id="node-10" ', "").replace('about="/node/10" ', "")
    parsed = parse(html, url="http://forum.example.org/forum/topic-about-lime")
    assert parsed.thread["id"] == "path:/forum/topic-about-lime"
    assert parsed.posts[1]["thread_id"] == "path:/forum/topic-about-lime"


def _comments_by_selector(wrapper):
    """The definition the structural walk replaced: X_COMMENT, minus comments inside a comment, with depth
    as the number of div.indented between comment and wrapper."""
    from lxml import etree

    from harvester.text import has_class

    selector = etree.XPath(f".//*[{has_class('comment')} and (self::div or self::article or self::li)]"
                           "[not(ancestor::form)]")
    found = []
    for el in selector(wrapper):
        if any("comment" in (a.get("class") or "").split() for a in el.iterancestors()):
            continue
        depth = 0
        for a in el.iterancestors():
            if a is wrapper:
                break
            depth += "indented" in (a.get("class") or "").split()
        found.append((el, depth))
    return found


def test_comment_walk_matches_the_selector_it_replaced():
    from tests.samples_support import SAMPLES

    tricky = pages.page(
        pages.comment(11), pages.indented(pages.comment(12), pages.indented(pages.comment(13))),
        '<form class="comment-form"><div class="comment">a form, not a post</div></form>',
        '<div class="comment"><blockquote><div class="comment">quoted</div></blockquote></div>',
        '<ul class="comments"><li class="comment">li</li><li class="indented"><article class="comment">'
        '<span class="comment">span</span></article></li></ul>',
        '<section class="comment"><div class="comment">inside a commented section</div></section>',
    )
    documents = [path.read_bytes() for path in SAMPLES.glob("*/*/*.html")] + [tricky.encode()]
    checked = 0
    for body in documents:
        doc = Document(Page(source_file="t.html", source_type="html", body=body))
        wrapper = drupal.X_BY_ID(doc.root, id="comments")
        if not wrapper:
            continue
        walked, _pagers = drupal._comment_elements(wrapper[0])
        assert walked == _comments_by_selector(wrapper[0])
        checked += len(walked)
    assert checked > 60


def test_node_and_comments_found_without_the_id_shortcuts():
    """The body class naming another node, and a sidebar block with id="comments" before the page: the
    lookups behind the id shortcuts still find the thread's own node and comment wrapper."""
    html = pages.page(pages.comment(11), pages.indented(pages.comment(12)))
    html = html.replace("page-node-10 ", "page-node-99 ")
    html = html.replace('<div id="page">', '<div class="region-sidebar-first"><div class="block"><div id="comments">'
                        '<div class="comment">a block of recent comments</div></div></div></div><div id="page">')
    assert tree(parse(html, url="http://forum.example.org/node/10")) == [
        ("node/10", None, 0), ("comment/11", None, 0), ("comment/12", "comment/11", 1)]
