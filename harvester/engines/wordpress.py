"""WordPress posts with their comments: classic themes (wp_list_comments) and block themes (comment template).

Written from WordPress core: Walker_Comment (wp-includes/class-walker-comment.php: ``html5_comment`` and the
legacy ``comment`` and ``ping`` callbacks), comment_class() (``comment``/``pingback``/``trackback``, ``byuser``,
``comment-author-SLUG``, ``bypostauthor``, ``depth-N``, ``parent``), the block library's comment blocks
(``wp-block-comment-template``, ``wp-block-comment-author-name``, ``wp-block-comment-date``,
``wp-block-comment-content``) and the default themes' single.php/comments.php. The post is the opening post;
a comment is ``li#comment-N`` (``div`` in div style) whose replies sit in ``ul.children`` (``ol`` in block
themes). The reply tree is read from the ``depth-N`` classes WordPress prints on every comment, not from the
nesting, so unbalanced user HTML cannot move a reply. Ids: a thread is ``post/N``, a comment ``comment/N``.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from harvester.engines import toolkit
from harvester.engines.toolkit import Detection, Sign, first, has_class, text, x
from harvester.model import ParsedPage
from harvester.text import element_text, inner_html, linked

NAME = "wordpress"
VERSION = "1.0.0"

COMMENT = ("/descendant::*[self::li or self::div or self::article][starts-with(@id,'comment-')]"
           f"[{has_class('comment')} or {has_class('pingback')} or {has_class('trackback')}]")
SIGNS = (
    Sign("generator meta WordPress", 10, "/html/head/meta[@name='generator'][starts-with(@content,'WordPress')]",
         needle="WordPress"),
    Sign("wp-content / wp-includes assets", 5, needle="/wp-",
         xpath="/html/head/link[contains(@href,'/wp-content/') or contains(@href,'/wp-includes/')]"
               " | /html/head/script[contains(@src,'/wp-content/') or contains(@src,'/wp-includes/')]"),
    Sign("comment list (ol.commentlist, ol.comment-list, comment template block)", 5, needle="comment",
         xpath=f"/descendant::ol[{has_class('comment-list')} or {has_class('commentlist')}"
               f" or {has_class('wp-block-comment-template')}]/li[starts-with(@id,'comment-')]"),
    Sign("comment_class() depth classes", 3, needle="depth-1", xpath=f"({COMMENT})[1][{has_class('depth-1')}]"),
    Sign("wp-json / xmlrpc links", 2, needle="xmlrpc.php",
         xpath="/html/head/link[@rel='pingback' or @rel='EditURI' or @rel='https://api.w.org/']"),
)

# The post: classic themes (entry-*), block themes (wp-block-post-*), hAtom remains in older themes.
X_TITLE = x(f"/descendant::*[{has_class('entry-title')} or {has_class('wp-block-post-title')}"
            f" or {has_class('post-title')}][self::h1 or self::h2][1]")
X_POST_BODY = x(f"/descendant::div[{has_class('entry-content')} or {has_class('wp-block-post-content')}"
                f" or {has_class('post-content')} or {has_class('entry')}][1]")
X_POST_AUTHOR = x(f"/descendant::*[{has_class('entry-meta')} or {has_class('entry-header')} or {has_class('byline')}"
                  f" or {has_class('posted-by')} or {has_class('wp-block-post-author-name')}"
                  f" or {has_class('wp-block-post-author')}]/descendant::a[@rel='author' or {has_class('url')}"
                  f" or contains(@href,'/author/')][1]"
                  " | /descendant::a[@rel='author'][1]")
X_POST_DATE = x(f"/descendant::time[{has_class('entry-date')} or {has_class('published')}"
                f" or ancestor::*[{has_class('wp-block-post-date')}]][@datetime][1]")
X_META_DATE = x("/html/head/meta[@property='article:published_time']/@content")
X_SHORTLINK = x("/html/head/link[@rel='shortlink']/@href")
X_CANONICAL = x("/html/head/link[@rel='canonical']/@href")
X_BODY_CLASS = x("/html/body/@class")
X_ARTICLE_ID = x(f"/descendant::article[starts-with(@id,'post-')][1]/@id"
                 f" | /descendant::div[starts-with(@id,'post-')][{has_class('post')}][1]/@id")
X_OG_TITLE = x("/html/head/meta[@property='og:title']/@content")
X_CATEGORY = x("/descendant::a[@rel='category tag' or @rel='category'][1]")
X_PAGER = x(f"/descendant::*[{has_class('comment-navigation')} or {has_class('comments-pagination')}"
            f" or {has_class('wp-block-comments-pagination')} or {has_class('comment-nav')}]")
X_PAGER_CURRENT = x(f"descendant::span[{has_class('current')}]")
X_COUNT = x(f"/descendant::*[{has_class('comments-title')} or @id='comments-title'"
            f" or {has_class('wp-block-comments-title')}][1]")
X_ALL_LINKS = x("/descendant::a[@href]")
X_LISTED_POSTS = x(f"/descendant::*[{has_class('entry-title')} or {has_class('wp-block-post-title')}]/a[@href]")

# Under a comment: its own parts (the first match, never a reply's: replies come after in document order)
C_AUTHOR = (f"descendant::*[{has_class('comment-author')}]/descendant::*[{has_class('fn')}][1]"
            f" | descendant::div[{has_class('wp-block-comment-author-name')}][1]")
C_DATE = (f"descendant::*[{has_class('comment-metadata')} or {has_class('commentmetadata')}"
          f" or {has_class('wp-block-comment-date')} or {has_class('comment-meta')}][1]")
C_TIME = "descendant::time[@datetime][1]"
C_CONTENT = (f"descendant::div[{has_class('comment-content')} or {has_class('wp-block-comment-content')}"
             f" or {has_class('comment-text')}][1]")
C_BODY_BOX = f"descendant::*[{has_class('comment-body')}][1]"
C_PERMALINK = f"{C_DATE}/descendant::a[contains(@href,'#comment-')][1]"
C_MODERATION = f"descendant::*[{has_class('comment-awaiting-moderation')}][1]"
_FURNITURE = frozenset(("comment-author", "comment-meta", "commentmetadata", "comment-metadata", "reply",
                        "comment-awaiting-moderation", "children", "says", "edit-link", "avatar",
                        "wp-block-comment-author-name", "wp-block-comment-date", "wp-block-comment-reply-link",
                        "wp-block-comment-edit-link", "wp-block-avatar", "wp-block-group"))

X_HOLDS_FURNITURE = x(f"descendant::*[{has_class('wp-block-comment-date')}"
                      f" or {has_class('wp-block-comment-author-name')} or {has_class('comment-metadata')}"
                      f" or {has_class('comment-author')}][1]")
X_HOLDS_COMMENT = x("descendant-or-self::*[starts-with(@id,'comment-') or @id='respond'][1]")
_ID = re.compile(r"^comment-(\d+)$")
_POST_ID = re.compile(r"\bpostid-(\d+)\b|[?&]p=(\d+)|^post-(\d+)$")
_DEPTH = re.compile(r"\bdepth-(\d{1,4})\b")
_AUTHOR_SLUG = re.compile(r"\bcomment-author-([\w-]+)\b")
_COMMENT_PAGE = re.compile(r"/comment-page-(\d{1,6})/?|[?&]cpage=(\d{1,6})")


def score(doc) -> Detection:
    return toolkit.score(doc, NAME, SIGNS)


def parse(doc, zone=None, links: bool = True, records: bool = True) -> ParsedPage:
    """Records of one post page with its comments (``records=False``: its id, url and crawl hints)."""
    comments = x(COMMENT)(doc.root)
    post_id = _post_id(doc)
    thread_url = _thread_url(doc)
    hints = _crawl_links(doc, post_id if comments else None, thread_url) if links or not comments else {}
    if not comments or post_id is None:
        reason = "WordPress listing page, no comments" if hints.get("threads") else \
            "WordPress page without comments"
        return ParsedPage(thread=None, posts=[], links=hints, skip_reason=reason)
    current, pages_total = _pager(doc)
    page_no = (current or 1) - 1
    thread_id = f"post/{post_id}"
    if not records:
        return ParsedPage(thread={"id": thread_id, "url": thread_url}, posts=[], links=hints, page_number=page_no)
    # Comments nest in their parents' elements: each is detached from the comment around it, so that a
    # comment's text never holds its replies' (a detached element keeps its own subtree).
    known = set(comments)
    for el in comments:
        if any(a in known for a in el.iterancestors()):
            toolkit.drop(el)
    posts = [_opening_post(doc, thread_id, thread_url)]
    last_at_depth: dict[int, str] = {}
    for el in comments:
        post = _comment(doc, el)
        depth = _depth(el)
        parent = last_at_depth.get(depth - 1) if depth > 0 else None
        if depth > 0 and parent is None:
            post["extra"]["parent_unknown"] = True  # the parent is on an earlier comment page
        post.update(thread_id=thread_id, depth=depth, parent_id=parent)
        last_at_depth[depth] = post["id"]
        for deeper in [d for d in last_at_depth if d > depth]:
            del last_at_depth[deeper]
        posts.append(post)
    shown = _comment_count(doc)
    thread = {"id": thread_id, "url": thread_url, "title": posts[0]["title"],
              "board": text(first(doc.root, X_CATEGORY.path)), "reply_count": shown, "extra": {},
              "op_on_page": True}
    return toolkit.page(doc, zone, thread, posts, page_number=page_no, pages_total=pages_total, links=hints)


def _opening_post(doc, thread_id: str, url: str | None) -> dict:
    """The article: title, author, publication time and text."""
    title = text(first(doc.root, X_TITLE.path)) or next(iter(X_OG_TITLE(doc.root)), None)
    author = first(doc.root, X_POST_AUTHOR.path)
    when = first(doc.root, X_POST_DATE.path)
    iso = when.get("datetime") if when is not None else next(iter(X_META_DATE(doc.root)), None)
    body = first(doc.root, X_POST_BODY.path)
    linked_els = linked(body) if body is not None else []
    return {
        "id": thread_id, "url": url, "title": title,
        "author_name": text(author), "author_id": None,
        "author_url": doc.absolute(author.get("href")) if author is not None else None,
        "published_raw": text(when) or iso, "_iso": iso,
        "body_text": element_text(body) if body is not None else "",
        "body_html": inner_html(body, doc.absolute, linked_els) if body is not None else "",
        "links": toolkit.links(doc, linked_els), "quotes": [], "votes": None, "votes_kind": None,
        "votes_raw": None, "rating": None, "deleted": False, "extra": {},
        "parent_id": None, "depth": 0,
    }


def _comment(doc, el) -> dict:
    classes = (el.get("class") or "").split()
    cid = _ID.match(el.get("id") or "")
    author_el = first(el, C_AUTHOR)
    link = author_el if author_el is not None and author_el.tag == "a" else \
        first(author_el, "descendant::a[@href][1]") if author_el is not None else None
    date_box = first(el, C_DATE)
    time_el = first(date_box, C_TIME) if date_box is not None else None
    permalink = first(el, C_PERMALINK)
    body = _body(el)
    linked_els = linked(body) if body is not None else []
    registered = "byuser" in classes
    slug = _AUTHOR_SLUG.search(el.get("class") or "") if registered else None
    extra: dict = {}
    if not registered:
        extra["anonymous"] = True  # WordPress says byuser for registered commenters only
    if "pingback" in classes or "trackback" in classes:
        extra["ping"] = "pingback" if "pingback" in classes else "trackback"
    if first(el, C_MODERATION) is not None:
        extra["unapproved"] = True
    if "bypostauthor" in classes:
        extra["by_post_author"] = True
    if "ping" in extra and author_el is None:  # "Pingback: <a>Title of the linking page</a>"
        link = first(el, "descendant::a[@href][1]")
        author_el = link
    raw = text(time_el) if time_el is not None else _shown_date(date_box)
    return {
        "id": f"comment/{cid.group(1)}" if cid else None,
        "url": doc.absolute(permalink.get("href")) if permalink is not None else None,
        "title": None,
        "author_name": text(author_el),
        "author_id": slug.group(1) if slug else None,
        "author_url": doc.absolute(link.get("href")) if link is not None else None,
        "published_raw": raw,
        "_iso": time_el.get("datetime") if time_el is not None else None,
        "body_text": element_text(body) if body is not None else "",
        "body_html": inner_html(body, doc.absolute, linked_els) if body is not None else "",
        "links": toolkit.links(doc, linked_els), "quotes": [], "votes": None, "votes_kind": None,
        "votes_raw": None, "rating": None, "deleted": False, "extra": extra,
    }


def _body(el):
    """The comment's text: its content div, or (legacy callbacks, pings) its body box without the furniture."""
    content = first(el, C_CONTENT)
    if content is not None and element_text(content):
        return content
    body = _box(el, content)
    if body is not None and not element_text(body) and content is not None:
        # Stray </div>s at the start of the comment closed its content (and maybe the comment) early: the text
        # a browser shows follows it, up to the next comment or the comment's own furniture.
        escaped = toolkit.escaped_body(el.getroottree().getroot(), content, _is_furniture)
        return escaped if escaped is not None else body
    return body


def _is_furniture(el) -> bool:
    return bool(set((el.get("class") or "").split()) & _FURNITURE) or el.tag in ("footer", "nav", "form") \
        or bool(X_HOLDS_COMMENT(el))


def _box(el, content):
    """The comment's body box without its furniture (author, date, reply link): legacy callbacks and pings."""
    box = first(el, C_BODY_BOX)
    if box is None:  # block themes: the comment's column holds the content and the furniture
        box = content.getparent() if content is not None else el
    for child in list(box):
        if isinstance(child.tag, str) and (set((child.get("class") or "").split()) & _FURNITURE
                                           or child.tag in ("footer", "ul", "ol") and box is el
                                           or X_HOLDS_FURNITURE(child)):
            toolkit.drop(child)
    return box


def _shown_date(box) -> str | None:
    """Legacy callback: "March 5, 2019 at 9:12 am" is the permalink's text; "(Edit)" follows it."""
    if box is None:
        return None
    a = first(box, "descendant::a[1]")
    return text(a) if a is not None else text(box)


def _depth(el) -> int:
    """comment_class() prints depth-N (1 = top level): the tree without trusting the nesting."""
    m = _DEPTH.search(el.get("class") or "")
    if m:
        return int(m.group(1)) - 1
    return sum(1 for a in el.iterancestors() if "children" in (a.get("class") or "").split())


def _post_id(doc) -> str | None:
    """The post id: the body class (postid-N), the shortlink (?p=N) or the article's id (post-N)."""
    for value in (*X_BODY_CLASS(doc.root), *X_SHORTLINK(doc.root), *X_ARTICLE_ID(doc.root)):
        m = _POST_ID.search(value or "")
        if m:
            return next(g for g in m.groups() if g)
    return None


def _thread_url(doc) -> str | None:
    """The post's URL without its comment page: canonical link, else the page's own URL."""
    url = next(iter(X_CANONICAL(doc.root)), None) or doc.url
    url = doc.absolute(url) if url else None
    if not url:
        return None
    parts = urlsplit(url)
    path = _COMMENT_PAGE.sub("/", parts.path).replace("//", "/")
    query = "&".join(q for q in parts.query.split("&") if q and not q.startswith("cpage="))
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))


def _pager(doc) -> tuple[int | None, int | None]:
    """(current comment page, comment pages) from the comment navigation's page numbers and links."""
    pager = first(doc.root, X_PAGER.path)
    numbers = []
    for url in (doc.url, *(a.get("href") for a in (pager.iter("a") if pager is not None else ()))):
        m = _COMMENT_PAGE.search(url or "")
        if m:
            numbers.append(int(m.group(1) or m.group(2)))
    current_el = first(pager, X_PAGER_CURRENT.path) if pager is not None else None
    shown = text(current_el) or ""
    current = int(shown) if shown.isdigit() and len(shown) < 7 else None
    if current is None and doc.url:
        m = _COMMENT_PAGE.search(doc.url)
        current = int(m.group(1) or m.group(2)) if m else None
    if pager is None and current is None:
        return None, None
    return current, max(numbers + ([current] if current else []), default=None)


def _comment_count(doc) -> int | None:
    """"7 thoughts on X", "12 Comments", "3 Responses": the first number of the comments' heading."""
    return toolkit.count(text(first(doc.root, X_COUNT.path)))


def _crawl_links(doc, post_id: str | None, thread_url: str | None) -> dict[str, list[str]]:
    """The post's other comment pages, or on listings the posts and the listing's other pages."""
    anchors = X_ALL_LINKS(doc.root)
    if post_id is not None:
        base = (thread_url or "").rstrip("/")
        here = (doc.url or "").split("#")[0]
        pages = toolkit.unique_links(doc, anchors, keep=lambda u: bool(_COMMENT_PAGE.search(u))
                                     and u.startswith(base) and "replytocom" not in u)
        # the comments' permalinks name their own page: each page once, without the fragment, not this one
        pages = list(dict.fromkeys(u.split("#")[0] for u in pages))
        return {"pages": [u for u in pages if u != here], "threads": [], "listings": []}
    threads = toolkit.unique_links(doc, X_LISTED_POSTS(doc.root))
    listings = toolkit.unique_links(doc, anchors, keep=lambda u: bool(re.search(r"/page/\d{1,6}/?$|[?&]paged=\d", u)))
    return {"pages": [], "threads": threads, "listings": listings}
