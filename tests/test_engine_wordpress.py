"""WordPress comments (issue 15): detection, the reply tree recomputed from the page's nesting (the engine reads
the depth-N classes), registered and unregistered commenters, pingbacks, comment pages and a local crawl."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from harvester.capture.crawl import Config, Crawler
from harvester.cli import main
from harvester.document import Document
from harvester.engines import detect, wordpress
from harvester.model import Page
from tests.capture_servers import Server, static_app
from tests.conftest import read_jsonl
from tests.samples_support import SAMPLES, foreign_pages

WP = SAMPLES / "wordpress"
PAGES = {"wp-twentytwentyone-two-pages": ["page.html", "page-2.html"], "wp-block-theme-french-wayback": ["page.html"]}
POST = "https://beekeeping-notes.example.org/2021/04/swarm-season-is-early-this-year/"


def _doc(path, url=None) -> Document:
    return Document(Page(source_file=str(path), source_type="html", body=path.read_bytes(), url=url))


def _tree(case: str) -> list[tuple[str, str | None, bool]]:
    """(comment id, parent from the li nesting, registered) for every li#comment-N of the pages, in order."""
    out = []
    for name in PAGES[case]:
        root = etree.fromstring((WP / case / name).read_bytes(), etree.HTMLParser())
        for li in root.iter("li"):
            if not re.fullmatch(r"comment-\d+", li.get("id") or ""):
                continue
            up = next((a for a in li.iterancestors("li") if re.fullmatch(r"comment-\d+", a.get("id") or "")), None)
            out.append(("comment/" + li.get("id")[8:], "comment/" + up.get("id")[8:] if up is not None else None,
                        "byuser" in li.get("class").split()))
    return out


@pytest.mark.parametrize("case", sorted(PAGES))
def test_detected_from_the_page_alone(case):
    for name in PAGES[case]:
        assert detect(_doc(WP / case / name)) is wordpress


def test_no_other_sample_is_taken_for_wordpress():
    for page in foreign_pages("wordpress"):
        assert detect(_doc(page)) is not wordpress, page


@pytest.mark.parametrize("case", sorted(PAGES))
def test_reply_tree_matches_the_nesting(case, tmp_path):
    assert main(["extract", *(str(WP / case / p) for p in PAGES[case]), "-o", str(tmp_path / "o"),
                 "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "o" / "posts.jsonl")
    assert posts[0]["is_op"] and posts[0]["id"].startswith("post/")
    comments = posts[1:]
    tree = _tree(case)
    assert [(p["id"], p["parent_id"]) for p in comments] == [(cid, parent) for cid, parent, _ in tree]
    depth = {}
    for post in comments:  # depth recomputed from the parents
        depth[post["id"]] = 0 if post["parent_id"] is None else depth[post["parent_id"]] + 1
        assert post["depth"] == depth[post["id"]]
    for post, (_cid, _parent, registered) in zip(comments, tree, strict=True):
        assert bool(post["extra"].get("anonymous")) == (not registered)
        assert "says:" not in post["body_text"] and "Reply" not in post["body_text"]
        assert "Répondre" not in post["body_text"]
    threads = read_jsonl(tmp_path / "o" / "threads.jsonl")
    assert threads[0]["reply_count"] == len(comments)  # the heading's count equals the comments found


def test_registered_author_and_pingback(tmp_path):
    case = WP / "wp-twentytwentyone-two-pages"
    assert main(["extract", str(case / "page.html"), str(case / "page-2.html"), "-o", str(tmp_path / "o"),
                 "--no-progress"]) == 0
    posts = {p["id"]: p for p in read_jsonl(tmp_path / "o" / "posts.jsonl")}
    assert posts["comment/733"]["author_id"] == "ruth" and posts["comment/733"]["extra"]["by_post_author"]
    ping = posts["comment/747"]
    assert ping["extra"]["ping"] == "pingback"
    assert ping["author_url"] == "https://marches-beekeepers.example.org/2021/04/early-swarms/"
    assert posts["comment/731"]["author_url"] == "http://owenbees.example.net/"


def test_comment_page_hints():
    parsed = wordpress.parse(_doc(WP / "wp-twentytwentyone-two-pages" / "page.html", POST + "comment-page-1/"),
                             records=False)
    assert parsed.thread == {"id": "post/412", "url": POST}
    assert parsed.links["pages"] == [POST + "comment-page-2/"]


def test_local_crawl_of_the_comment_pages(tmp_path):
    case = WP / "wp-twentytwentyone-two-pages"
    routes: dict[str, bytes] = {}

    with Server(static_app(routes)) as server:
        def local(name):
            return (case / name).read_text(encoding="utf-8").replace(
                "https://beekeeping-notes.example.org", server.base).encode()
        path = "/2021/04/swarm-season-is-early-this-year/"
        routes.update({path: local("page.html"), path + "comment-page-1/": local("page.html"),
                       path + "comment-page-2/": local("page-2.html")})
        cfg = Config(seeds=[server.url(path)], output=str(tmp_path / "crawl"), scope="thread", delay=0,
                     requisites=False, loopback_only=True)
        Crawler(cfg, sleep=lambda s: None).run()
        log = [p for p in server.log if p != "/robots.txt"]
    assert path + "comment-page-2/" in log
    assert not any("replytocom" in p for p in log), log
    assert main(["extract", str(tmp_path / "crawl"), "-o", str(tmp_path / "ds"), "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "ds" / "posts.jsonl")
    assert [p["id"] for p in posts[1:]] == [cid for cid, _p, _r in _tree("wp-twentytwentyone-two-pages")]


# Comment markup of themes seen on real blogs (issue 15), with invented names and text. A page carries no
# generator meta and serves its assets from a renamed upload folder, as a real news blog did: the comment list
# (ul or ol, class or id), the comment form posting to wp-comments-post.php and the wp-json link identify it.
THEMES = """<html><head><title>Spindle whorls of the lower valley</title>
<link rel="stylesheet" href="https://cdn.loomnotes.example/wp-upload/cache/site.min.css">
<link rel='https://api.w.org/' href='https://loomnotes.example/wp-json/' />
<link rel="canonical" href="https://loomnotes.example/2019/03/spindle-whorls/"></head>
<body class="post-template-default single single-post postid-8812">
<article id="post-8812" class="post"><h1 class="entry-title">Spindle whorls of the lower valley</h1>
<div class="m-post__meta"><span class="author vcard"><a class="url fn n" href="/authors/ilse/"></a>
<span class="author-name">by <a class="url fn n" href="/authors/ilse/">Ilse Weaver</a></span></span></div>
<div class="entry-content"><p>Clay, stone and bone whorls from three sites.</p>
<p>Weights range widely, and so do the holes.</p></div></article>
<div id="comments"><ul class="comment-list">
 <li class="comment byuser comment-author-teasel even thread-even depth-1 highlander-comment" id="comment-301">
  <cite class="comment-author"><img alt='' src='https://gravatar.example/a.png' class='avatar avatar-32'>
   <a href='https://teasel.example' rel='external nofollow ugc' class='url'>Teasel</a></cite>
  <small class="commentmetadata"><a href="#comment-301" title="">March 3, 2019 at 2:41 am</a></small>
  <div class="contenttext"><p>Are the bone ones drilled or burnt through?</p>
   <p id="comment-like-301" class="comment-likes comment-not-liked"><a href="?like_comment=301"
    class="comment-like-link needs-login"><span>Like</span></a><span id="comment-like-count-301"
    class="comment-like-feedback">Liked by <a href="#" class="view-likers" data-like-count="4">4 people</a></span></p>
  </div>
  <ul class="children">
   <li class="comment even depth-2" id="comment-302">
    <div class="the-comment"><div class="comment-box">
     <div class="comment-author meta"><strong>Warp Weighted</strong>
      3. März 2019 um 15:28 Uhr <a rel='nofollow' class='comment-reply-link'
      href='/2019/03/spindle-whorls/?replytocom=302#respond'> - Antworten</a></div>
     <div class="comment-text"><p>Burnt, judging by the glaze.</p></div></div></div>
   </li>
  </ul>
 </li>
 <li class="comment odd alt thread-odd depth-1" id="li-comment-303">
  <article id="comment-303" class="comment regular"><div class="comment-content">
   <ul class="comment-meta">
    <li class="comment-reply"><a class='comment-reply-link' href='#comment-303'>Antworten</a></li>
    <li class="comment-author">Heddle Hook</li>
    <li class="comment-time"><a href="https://loomnotes.example/2019/03/spindle-whorls/#comment-303">
     4. März 2019 &#64; 11:38</a></li>
   </ul>
   <div class="comment-text"><p>Stone ones spin longest.</p></div></div></article>
 </li>
 <li id="comment-304" class="comment even thread-even depth-1">
  <article id="div-comment-304" class="comment-body"><footer class="comment-meta">
   <div class="comment-author vcard"> Shuttle</div>
   <div class="comment-metadata"><a href="https://loomnotes.example/2019/03/spindle-whorls/#comment-304">
    <time datetime="2019-03-05T10:58:04+00:00"> Di 5. März 2019, 10:58 </time></a> | <a class='comment-reply-link'
    href='/2019/03/spindle-whorls/?replytocom=304#respond'>Antworten</a></div></footer>
  <div class="comment-content"><p>More pictures please.</p></div></article>
 </li>
 <li id="comment-305" class="comment byuser comment-author-nalbinder bypostauthor odd alt thread-odd depth-1">
  <article id="div-comment-305" class="comment-body"><div class="comment-meta">
   <div class="comment-author"><cite class="fn">Nal Binder<br />
    <span class="p3_comment_author">Autor</span></cite></div>
   <span class="comment-date">6. März 2019 / 6:16</span></div>
  <div class="comment-content"><p>Next week, with the scales.</p></div></article>
 </li>
</ul>
<form action="https://loomnotes.example/wp-comments-post.php" method="post" id="commentform"></form></div>
<aside id="recent-comments-2" class="widget widget_recentcomments"><div id="comments"><ol class="commentlist">
 <li class="comment even thread-even depth-1" id="li-comment-9001"><article id="comment-9001" class="comment miniature">
  <div class="comment-content"><ul class="comment-meta"><li class="comment-author">Someone Else</li>
  <li class="comment-link">On: <a href="/2019/02/other-post/">Another post</a></li></ul>
  <div class="comment-text"><p>A comment on another post.</p></div></div></article></li>
</ol></div></aside>
</body></html>"""


def test_theme_variants_of_the_comment_markup(tmp_path):
    """Real blogs left authors, dates and votes out (or took 'Antworten' as a date, the meta list as text, a
    sidebar's recent comments as replies); a news blog without generator meta went to the generic engine."""
    page = tmp_path / "post.html"
    page.write_text(THEMES)
    assert detect(_doc(page)) is wordpress
    assert main(["extract", str(page), "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "o" / "posts.jsonl")
    got = [(p["id"], p["parent_id"], p["author_name"], p["published_raw"], p["body_text"], p["votes"])
           for p in posts[1:]]
    assert got == [
        ("comment/301", None, "Teasel", "March 3, 2019 at 2:41 am", "Are the bone ones drilled or burnt through?", 4),
        ("comment/302", "comment/301", "Warp Weighted", "3. März 2019 um 15:28 Uhr", "Burnt, judging by the glaze.",
         None),
        ("comment/303", None, "Heddle Hook", "4. März 2019 @ 11:38", "Stone ones spin longest.", None),
        ("comment/304", None, "Shuttle", "Di 5. März 2019, 10:58", "More pictures please.", None),
        ("comment/305", None, "Nal Binder", "6. März 2019 / 6:16", "Next week, with the scales.", None),
    ]
    assert posts[0]["author_name"] == "Ilse Weaver"  # span.author.vcard > a.url.fn, its text-less twin skipped
    assert posts[1]["votes_kind"] == "likes" and posts[1]["votes_raw"] == "Liked by 4 people"
    assert posts[1]["author_url"] == "https://teasel.example"
    assert [p["published_local"] for p in posts[2:4]] == ["2019-03-03T15:28:00", "2019-03-04T11:38:00"]


# A theme older than comment_class() (WordPress before 2.7, still served by real blogs): list items without
# classes in ol#commentlist, the byline a <cite> ("Comment by NAME — DATE", "Pingback von NAME" and the date
# as the comment's own link).
LEGACY = """<html><head><meta name="generator" content="WordPress 5.1.1" />
<title>Old lamps | Lampblack</title></head><body class="single postid-77">
<div class="post" id="post-77"><span class="meta-author">By <a href="/author/lampwright/">Lamp Wright</a></span>
<h3 class="storytitle"><a href="/2011/07/old-lamps.html" rel="bookmark">Old lamps</a></h3>
<div class="storycontent"><p>Brass or tin?</p></div></div>
<h2 id="comments">3 Comments</h2>
<ol id="commentlist">
 <li id="comment-901">
  <p>Tin, every time.</p>
  <p><cite>Comment by <a href='http://wick.example' rel='external nofollow' class='url'>Wick Trimmer</a> &#8212;
   17.07, 2011 @ <a href="#comment-901">13:04</a></cite> </p>
 </li>
 <li id="comment-902">
  <p>Brass lasts.</p>
  <p><cite>Comment by Oil Can &#8212; 17.07, 2011 @ <a href="#comment-902">13:10</a></cite> </p>
 </li>
 <li id="comment-903" >
  <cite>Pingback von <a href='http://lamps.example/links/' rel='external nofollow' class='url'>Lamp links</a>  </cite>|
  <small><a href="#comment-903" title="">11.09.2011&nbsp;23:31</a></small>
  <p>[&#8230;] Old lamps &#8211; Brass or tin? [&#8230;]</p>
 </li>
</ol></body></html>"""


def test_legacy_comment_list_without_comment_class(tmp_path):
    """A real 2011 blog's 35 comments were missed: 'WordPress page without comments'."""
    page = tmp_path / "post.html"
    page.write_text(LEGACY)
    assert main(["extract", str(page), "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "o" / "posts.jsonl")
    got = [(p["id"], p["author_name"], p["author_url"], p["body_text"], p["extra"].get("ping")) for p in posts[1:]]
    assert got == [
        ("comment/901", "Wick Trimmer", "http://wick.example", "Tin, every time.", None),
        ("comment/902", "Oil Can", None, "Brass lasts.", None),
        ("comment/903", "Lamp links", "http://lamps.example/links/", "[…] Old lamps – Brass or tin? […]", "pingback"),
    ]
    assert (posts[0]["title"], posts[0]["body_text"]) == ("Old lamps", "Brass or tin?")  # 1.5 default theme
    assert posts[0]["author_name"] == "Lamp Wright"  # the theme's byline inside the post's element
    assert (posts[1]["published_raw"], posts[1]["published_local"]) == ("17.07, 2011 @ 13:04", "2011-07-17T13:04:00")
    assert posts[3]["published_local"] == "2011-09-11T23:31:00"


# WordPress 6.1 block markup as rendered on a real test site: the post author block prints the name in a <p>,
# and the comments title names the post ("One response to “...”") with a number in the title. Invented text.
BLOCK_61 = """<html><head><meta name="generator" content="WordPress 6.1.1" /></head>
<body class="post-template-default single single-post postid-51">
<h1 class="wp-block-post-title">Loom notes 2.5</h1>
<div class="wp-block-post-author"><div class="wp-block-post-author__content">
 <p class="wp-block-post-author__name">hedda</p></div></div>
<div class="wp-block-post-date"><time datetime="2023-01-13T18:38:05+00:00">January 13, 2023</time></div>
<div class="entry-content wp-block-post-content"><p>Warp first.</p></div>
<div class="wp-block-comments"><h2 id="comments" class="wp-block-comments-title">%s</h2>
<ol class="wp-block-comment-template"><li id="comment-2" class="comment even thread-even depth-1">
<div class="wp-block-columns"><div class="wp-block-column">
 <div class="wp-block-comment-author-name"><a rel="external nofollow ugc" href="https://bobbin.example/">bobbin</a></div>
 <div class="wp-block-group"><div class="wp-block-comment-date"><time datetime="2023-01-16T07:17:56+00:00">
  <a href="https://loom.example/2023/01/13/notes/#comment-2">January 16, 2023</a></time></div></div>
 <div class="wp-block-comment-content"><p>Weft second.</p></div>
</div></div></li></ol></div></body></html>"""


@pytest.mark.parametrize(("title", "count"), [
    ("One response to “Loom notes 2.5”", 1), ("7 thoughts on “Loom notes 2.5”", 7),
    ("Une réponse à « Loom notes 2.5 »", 1), ("Comments", None)])
def test_block_theme_post_author_name_and_the_count_beside_a_numbered_title(tmp_path, title, count):
    """A real WordPress 6.1 page: the post had no author and 'One response to “WP 6.1 ...”' counted 61."""
    page = tmp_path / "post.html"
    page.write_text(BLOCK_61 % title)
    assert main(["extract", str(page), "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    thread = read_jsonl(tmp_path / "o" / "threads.jsonl")[0]
    assert (thread["author_name"], thread["reply_count"]) == ("hedda", count)
    comment = read_jsonl(tmp_path / "o" / "posts.jsonl")[1]
    assert (comment["author_name"], comment["published_utc"]) == ("bobbin", "2023-01-16T07:17:56Z")


def test_post_time_from_the_head_when_the_theme_s_datetime_is_not_iso(tmp_path):
    """A real news theme writes <time datetime="23. Juni 2016"> 23.06.2016 um 16:14 Uhr</time>: no zone, no
    seconds. The head's article:published_time (Open Graph, with its offset) is the exact time."""
    page = tmp_path / "post.html"
    page.write_text(LEGACY.replace('<meta name="generator" content="WordPress 5.1.1" />',
                                   '<meta name="generator" content="WordPress 5.1.1" />'
                                   '<meta property="article:published_time" content="2011-07-16T21:40:12+02:00"/>')
                    .replace('<span class="meta-author">', '<time class="published dt-published" '
                             'datetime="16. Juli 2011"> 16.07.2011 um 21:40 Uhr</time><span class="meta-author">'))
    assert main(["extract", str(page), "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    op = read_jsonl(tmp_path / "o" / "posts.jsonl")[0]
    assert (op["published_utc"], op["published_tz"]) == ("2011-07-16T19:40:12Z", "+02:00")
    page.write_text(page.read_text().replace('<meta property="article:published_time" '
                                             'content="2011-07-16T21:40:12+02:00"/>', ""))
    assert main(["extract", str(page), "-o", str(tmp_path / "p"), "--no-progress"]) == 0
    op = read_jsonl(tmp_path / "p" / "posts.jsonl")[0]
    assert (op["published_utc"], op["published_local"]) == (None, "2011-07-16T21:40:00")  # the shown time, no zone


# Walker_Comment's legacy callback as a real German theme (Atahualpa) prints it: the theme renamed the
# div#div-comment-N box (comment-container), comment_text()'s paragraphs sit beside the author and meta boxes,
# and the post's text is in div.post-bodycopy. A news theme's own div#article-body has no WordPress class.
ATAHUALPA = """<html><head><meta name="generator" content="WordPress 4.3" /></head>
<body class="single postid-88"><div class="post-88 post hentry" id="post-88">
<div class="post-headline"><h1>Spindle whorls</h1></div>
<div class="post-bodycopy clearfix"><p>Clay, bone and stone.</p><p>Which spins longest?</p></div></div>
<h3 id="comments">2 comments</h3><ul class="commentlist">
<li class="comment even thread-even depth-1 clearfix" id="comment-71">
 <div id="div-comment-71" class="clearfix comment-container">
 <div class="comment-author vcard"><span class="authorname">Distaff</span></div>
 <div class="comment-meta commentmetadata"><a href="/88.php#comment-71">15. Dezember 2015 at 11:21</a>
  <span class="comment-reply-link"><a class="comment-reply-link" href="/88.php?replytocom=71#respond">Antwort</a></span>
 </div>
 <p>Stone, surely.</p><p>It is heaviest.</p>
 </div>
 <ul class="children"><li class="comment byuser comment-author-admin bypostauthor odd depth-2 clearfix" id="comment-72">
 <div id="div-comment-72" class="clearfix comment-container">
 <div class="comment-author vcard"><span class="authorname">Whorl</span></div>
 <div class="comment-meta commentmetadata"><a href="/88.php#comment-72">16. Dezember 2015 at 07:50</a></div>
 <p>Bone, in my hands.</p>
 </div></li></ul>
</li></ul></body></html>"""


def test_legacy_callback_box_renamed_by_the_theme_and_the_post_body(tmp_path):
    """A real Atahualpa blog's 9 comments and its post all had empty text; a real news theme's post too."""
    page = tmp_path / "post.html"
    page.write_text(ATAHUALPA)
    assert main(["extract", str(page), "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "o" / "posts.jsonl")
    got = [(p["id"], p["parent_id"], p["body_text"]) for p in posts]
    assert got == [("post/88", None, "Clay, bone and stone.\n\nWhich spins longest?"),
                   ("comment/71", None, "Stone, surely.\n\nIt is heaviest."),
                   ("comment/72", "comment/71", "Bone, in my hands.")]
    news = ATAHUALPA.replace('<div class="post-bodycopy clearfix">', '<div class="row"><div class="byline">'
                             '<a href="/author/ed/">Ed</a></div><div id="article-body"><p>Ads</p></div>'
                             '<div id="article-body2">').replace('<div class="post-88 post hentry" id="post-88">',
                                                                 '<article class="post-88 post hentry">')
    news = news.replace("Which spins longest?</p></div></div>", "Which spins longest?</p></div></div></article>")
    page.write_text(news)
    assert main(["extract", str(page), "-o", str(tmp_path / "p"), "--no-progress"]) == 0
    op = read_jsonl(tmp_path / "p" / "posts.jsonl")[0]
    assert op["body_text"] == "Clay, bone and stone.\n\nWhich spins longest?"  # the box with the most text


# Two real themes: a news theme's byline names the author without a link, and Elementor's theme builder puts the
# post's text and author box in its own widgets (no entry-content). Invented text.
BYLINES = """<html><head><meta name="generator" content="WordPress 5.2" /></head>
<body class="single postid-5">%s
<ol class="comment-list"><li id="comment-9" class="comment even thread-even depth-1">
<article id="div-comment-9" class="comment-body"><footer class="comment-meta"><div class="comment-author vcard">
<b class="fn">Treadle</b></div></footer><div class="comment-content"><p>Oiled mine.</p></div></article></li></ol>
</body></html>"""
NEWS_BYLINE = """<article id="post-5" class="post-5 post hentry"><header class="entry-header"><h1 class="entry-title">
Flyers</h1><div class="entry-meta"><span class="byline"> Posted by Mae Bobbin</span> on
<span class="posted-on"><span class="entry-date published">May 5, 2019</span></span></div></header>
<div class="entry-content"><p>Flyer hooks bent again.</p></div></article>"""
ELEMENTOR = """<div class="elementor post-5 post hentry"><h1 class="elementor-heading-title">Flyers</h1>
<div class="elementor-widget elementor-widget-author-box"><div class="elementor-author-box">
<div class="elementor-author-box__text"><h4 class="elementor-author-box__name">Mae Bobbin</h4></div></div></div>
<div class="elementor-element elementor-widget elementor-widget-theme-post-content">
<div class="elementor-widget-container">
<p>Flyer hooks bent again.</p></div></div></div>"""


@pytest.mark.parametrize("post", [NEWS_BYLINE, ELEMENTOR])
def test_post_author_and_text_of_a_plain_byline_and_of_elementor(tmp_path, post):
    """A real sports-news theme ('Posted by NAME', no link) and two real Elementor posts had no author; the
    Elementor posts had no text either."""
    page = tmp_path / "post.html"
    page.write_text(BYLINES % post)
    assert main(["extract", str(page), "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    op, comment = read_jsonl(tmp_path / "o" / "posts.jsonl")
    assert (op["author_name"], op["body_text"]) == ("Mae Bobbin", "Flyer hooks bent again.")
    assert (comment["author_name"], comment["body_text"]) == ("Treadle", "Oiled mine.")


def test_a_single_post_without_comments_is_not_called_a_listing(tmp_path):
    """A real recipe post without comments was skipped as a 'listing page': its related posts have entry titles."""
    page = tmp_path / "post.html"
    related = ('<aside class="related"><article class="post-8"><h2 class="entry-title"><a href="/other-post/">'
               'Other</a></h2></article></aside>')
    body = BYLINES.replace("<ol class=\"comment-list\">", related + "<ol class=\"x\">").replace(
        'id="comment-9" class="comment even thread-even depth-1"', "")
    page.write_text(body % NEWS_BYLINE)
    assert wordpress.parse(_doc(page)).skip_reason == "WordPress post without comments"
    page.write_text((body % NEWS_BYLINE).replace("single postid-5", "blog"))
    assert wordpress.parse(_doc(page)).skip_reason == "WordPress listing page, no comments"


# A WordPress.com theme (as a real German blog shows it): the post's id is on its heading, the post element is the
# hentry div around it with its text in div.main; the comment's author box is div.comment_author (underscore), its
# date printed beside the name with the time as the comment's own permalink. Invented text.
SAID_ON = """<html><head><meta name="generator" content="WordPress.com" /></head>
<body class="single single-post postid-26"><div class="post-26 post type-post hentry">
<h2 id="post-26">Bobbin lace</h2><div class="meta">Posted in <a href="/c/lace/" rel="category tag">Lace</a> by
 pillow on August 3, 2019</div>
<div class="main"><p>Pins first.</p><p>Then the pairs.</p></div><div class="comments">1 comment</div></div>
<ol class="commentlist"><li id="comment-61" class="comment byuser comment-author-kloeppel even thread-even depth-1">
 <div id="div-comment-61"><div class="comment_author vcard"><img class="avatar avatar-32" src="/a.png" alt="">
  <strong class="fn"><a href="https://kloeppel.example/" class="url">kloeppel</a></strong> said, on August 3, 2019 at
  <a href="/2019/08/03/bobbin-lace/#comment-61">3:12 pm</a></div>
 <p>Which pins?</p>
 <div class="reply"><a class="comment-reply-link" href="/2019/08/03/bobbin-lace/?replytocom=61#respond">Antworten</a>
 </div>
 </div></li></ol></body></html>"""


def test_wordpress_com_said_on_byline_and_a_hentry_post_element(tmp_path):
    """A real blog's comments held their byline and 'Antworten', their time was lost, and the post had no text."""
    page = tmp_path / "post.html"
    page.write_text(SAID_ON)
    assert main(["extract", str(page), "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    op, comment = read_jsonl(tmp_path / "o" / "posts.jsonl")
    assert op["body_text"] == "Pins first.\n\nThen the pairs."
    assert (comment["author_name"], comment["author_id"], comment["body_text"]) == ("kloeppel", "kloeppel",
                                                                                  "Which pins?")
    assert comment["published_local"] == "2019-08-03T15:12:00"


# Two real theme variants, invented text: a WordPress.com theme's comment-author box holds only the avatar and the
# name (cite.fn) sits in the meta header; a law blog's footer holds the author box ("NAME, " with the comma in
# .fn) and the time[datetime] without any comment-metadata box.
FN_OUTSIDE = """<html><head><meta name="generator" content="WordPress.com" /></head>
<body class="single postid-7"><article id="post-7" class="post-7 post hentry"><h1 class="entry-title">Warps</h1>
<div class="entry-content"><p>Linen warps.</p></div></article>
<ol class="comment-list">
<li id="comment-81" class="comment even thread-even depth-1"><article id="div-comment-81" class="comment-body">
 <div class="comment-author vcard"><img class="avatar avatar-50" src="/a.png" alt=""></div>
 <header class="comment-meta"><div class="comment-metadata"><a href="/warps/#comment-81">
  <time datetime="2014-01-15T23:36:38+01:00">Januar 15, 2014 um 23:36</time></a></div>
  <cite class="fn"><a href="https://heddle.example/" class="url">Heddle Jo</a></cite> <span class="says">sagt:</span>
 </header><div class="comment-content"><p>Wet them first.</p></div></article>
</li><li id="li-comment-82" class="comment odd alt thread-odd depth-1"><article id="comment-82" class="comment">
  <footer class="clear"><div class="comment-author vcard"><cite class="fn">Shed Stick, </cite>
  <a href="/warps/#comment-82"><time pubdate datetime="2014-01-16T08:34:03+01:00"> Do 16 Jan 2014 / 08:34 </time></a>
  <a class="comment-reply-link" href="/warps/?replytocom=82#respond">Antworten</a></div></footer>
  <div class="comment-content"><p>Or sized.</p></div></article></li>
</ol></body></html>"""


def test_name_outside_an_avatar_only_author_box_and_a_time_outside_a_meta_box(tmp_path):
    """Real WordPress.com comments had no author; a real law blog's comments had no UTC time and a comma name."""
    page = tmp_path / "post.html"
    page.write_text(FN_OUTSIDE)
    assert main(["extract", str(page), "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    got = [(p["id"], p["parent_id"], p["author_name"], p["published_utc"], p["body_text"])
           for p in read_jsonl(tmp_path / "o" / "posts.jsonl")[1:]]
    assert got == [("comment/81", None, "Heddle Jo", "2014-01-15T22:36:38Z", "Wet them first."),
                   ("comment/82", None, "Shed Stick", "2014-01-16T07:34:03Z", "Or sized.")]


def test_kubrick_alternate_rows_and_a_google_plus_authorship_badge(tmp_path):
    """A real 2012 blog on the old default theme: every other comment (li class="alt") was missed, and the post's
    author read 'NAMEon' from a Google+ badge."""
    page = tmp_path / "post.html"
    page.write_text(LEGACY.replace('<li id="comment-902">', '<li class="alt" id="comment-902">').replace(
        '<span class="meta-author">By <a href="/author/lampwright/">Lamp Wright</a></span>',
        '<a href="https://plus.google.com/1234?prsrc=3" rel="author"><span>Lamp Wright</span><span>on</span>'
        '<img src="gplus-32.png" alt=""></a>'))
    assert main(["extract", str(page), "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "o" / "posts.jsonl")
    assert [(p["id"], p["author_name"], p["body_text"]) for p in posts] == [
        ("post/77", "Lamp Wright", "Brass or tin?"),
        ("comment/901", "Wick Trimmer", "Tin, every time."),
        ("comment/902", "Oil Can", "Brass lasts."),
        ("comment/903", "Lamp links", "[…] Old lamps – Brass or tin? […]"),
    ]
    assert posts[2]["published_local"] == "2011-07-17T13:10:00"
