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

from harvester.dates import parse_iso
from harvester.engines import toolkit
from harvester.engines.toolkit import Detection, Sign, first, has_class, text, x
from harvester.model import ParsedPage
from harvester.text import element_text, inner_html, linked, text_content

NAME = "wordpress"
VERSION = "1.1.0"

_LIST = (f"self::*[self::ol or self::ul][{has_class('commentlist')} or {has_class('comment-list')}"
         " or @id='commentlist']")
COMMENT = ("/descendant::*[self::li or self::div or self::article][starts-with(@id,'comment-')]"
           f"[{has_class('comment')} or {has_class('pingback')} or {has_class('trackback')}"
           # a theme older than comment_class(): class-less, or Kubrick's alternate rows (class="alt")
           f" or self::li[not(@class) or normalize-space(@class)='alt'][parent::*[{_LIST}]]]"
           # not a sidebar's "recent comments" widget (comments of other posts, in the same markup)
           f"[not(ancestor::aside or ancestor::*[{has_class('widget')}])]")
SIGNS = (
    Sign("generator meta WordPress", 10, "/html/head/meta[@name='generator'][starts-with(@content,'WordPress')]",
         needle="WordPress"),
    Sign("wp-content / wp-includes assets", 5, needle="/wp-",
         xpath="/html/head/link[contains(@href,'/wp-content/') or contains(@href,'/wp-includes/')]"
               " | /html/head/script[contains(@src,'/wp-content/') or contains(@src,'/wp-includes/')]"),
    Sign("comment list (ol.commentlist, ol.comment-list, comment template block)", 5, needle="comment",
         xpath=f"/descendant::*[{_LIST} or self::ol[{has_class('wp-block-comment-template')}]]"
               "/li[starts-with(@id,'comment-')]"),
    Sign("comment form posting to wp-comments-post.php", 5, needle="wp-comments-post.php",
         xpath="(/descendant::form[contains(@action,'wp-comments-post.php')])[1]"),
    Sign("comment_class() depth classes", 3, needle="depth-1", xpath=f"({COMMENT})[1][{has_class('depth-1')}]"),
    Sign("wp-json / xmlrpc links", 2,
         xpath="/html/head/link[@rel='pingback' or @rel='EditURI' or @rel='https://api.w.org/']"),
)

# The post: classic themes (entry-*), block themes (wp-block-post-*), hAtom remains in older themes.
X_TITLE = x(f"/descendant::*[{has_class('entry-title')} or {has_class('wp-block-post-title')}"
            f" or {has_class('post-title')}][self::h1 or self::h2][1]")
X_POST_BODY = x(f"/descendant::div[{has_class('entry-content')} or {has_class('wp-block-post-content')}"
                f" or {has_class('post-content')} or {has_class('entry')} or {has_class('storycontent')}"
                f" or {has_class('post-bodycopy')} or {has_class('elementor-widget-theme-post-content')}][1]")
# (the last two: Atahualpa, and Elementor's theme builder)
# themes with their own body box (div#article-body): the block of the post's element with the most paragraph
# text of its own, outside the comments
X_POST_ELEMENT = x(f"(/descendant::*[self::article or self::div][starts-with(@id,'post-')]"
                   f" | /descendant::*[self::article or self::div][{has_class('hentry')}])[1]")
X_PARAGRAPH_BOXES = x("descendant::*[self::div or self::section][p]"
                      "[not(ancestor-or-self::*[@id='comments' or starts-with(@id,'comment-')"
                      f" or {has_class('comments-area')} or {has_class('commentlist')}"
                      f" or {has_class('comment-list')}])]")
X_POST_AUTHOR = x(f"/descendant::*[{has_class('entry-meta')} or {has_class('entry-header')} or {has_class('byline')}"
                  f" or {has_class('posted-by')} or {has_class('wp-block-post-author-name')}"
                  f" or {has_class('wp-block-post-author')}]/descendant::a[@rel='author' or {has_class('url')}"
                  f" or contains(@href,'/author/')][1]")
X_POST_AUTHOR_VCARD = x(f"(/descendant::*[{has_class('author')}][{has_class('vcard')}]"
                        f"/descendant::a[{has_class('fn')} or {has_class('url')}][normalize-space()])[1]")
X_POST_AUTHOR_ANY = x("/descendant::a[@rel='author'][1]")
X_POST_AUTHOR_NAME = x(f"/descendant::*[{has_class('wp-block-post-author__name')}"
                       f" or {has_class('wp-block-post-author-name')} or {has_class('post-author-name')}"
                       f" or {has_class('elementor-author-box__name')}][1]")
# a byline that names the author without a link ("Posted by NAME")
X_POST_BYLINE = x(f"(/descendant::*[{has_class('entry-meta')} or {has_class('entry-header')}]"
                  f"/descendant::*[{has_class('byline')} or {has_class('author')}][normalize-space()])[1]")
_BYLINE_LEAD = re.compile(r"^(?:posted\s+by|written\s+by|by|von|par|por|door|di)\s+", re.I)
# a theme's own byline inside the post's element (span.meta-author > a[href*=/author/])
X_POST_AUTHOR_IN_POST = x("(/descendant::*[self::article or self::div][starts-with(@id,'post-')][1]"
                          "/descendant::a[contains(@href,'/author/')][normalize-space()])[1]")
X_ARTICLE_HEADING = x("/descendant::*[self::article or self::div][starts-with(@id,'post-')][1]"
                      "/descendant::*[self::h1 or self::h2 or self::h3][1]")
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
# themes without .fn: the author box itself (cite.comment-author, li.comment-author, div.comment_author), whose
# website link, or bold name, is the author; a legacy theme's cite ("Comment by NAME — DATE")
C_AUTHOR_BOX = (f"descendant::*[{has_class('comment-author')} or {has_class('comment_author')}"
                f" or {has_class('comment-author-name')}][1]")
C_AUTHOR_IN_BOX = f"descendant::a[{has_class('url')}][1] | descendant::*[self::strong or self::b or self::cite][1]"
C_LEGACY_CITE = "descendant::cite[1]"
_LEGACY_LEAD = re.compile(r"^(?:comment|kommentar|commentaire|pingback|trackback)\s+(?:by|von|de|par)\s+", re.I)
_LEGACY_SPLIT = re.compile(r"\s+[\u2014\u2013|]\s+|\s+[\u2014\u2013|]$")
C_DATE = (f"descendant::*[{has_class('comment-metadata')} or {has_class('commentmetadata')}"
          f" or {has_class('wp-block-comment-date')} or {has_class('comment-meta')} or {has_class('comment_meta')}][1]")
C_DATE_OWN = f"descendant::*[{has_class('comment-date')} or {has_class('comment-time')}][1]"
C_JETPACK_LIKES = f"descendant::*[{has_class('comment-likes')}][1]"
C_TIME = "descendant::time[@datetime][1]"
# no meta box: the comment's own time outside its text (a theme's footer holding the author box and the time)
C_TIME_OUTSIDE = f"descendant::time[@datetime][not(ancestor::*[{has_class('comment-content')}])][1]"
# WordPress.com themes whose comment-author box holds only the avatar: the name (cite.fn) is in the meta header
C_FN_OUTSIDE = f"descendant::*[{has_class('fn')}][not(ancestor::*[{has_class('comment-content')}])][1]"
C_CONTENT = (f"descendant::div[{has_class('comment-content')} or {has_class('wp-block-comment-content')}"
             f" or {has_class('comment-text')} or {has_class('contenttext')}][1]")
# furniture some themes put inside the content box (the meta list of author, date and reply link; likes)
C_INNER_FURNITURE = (f"descendant::*[{has_class('comment-meta')} or {has_class('comment-metadata')}"
                     f" or {has_class('comment-author')} or {has_class('reply')} or {has_class('comment-likes')}]")
C_BODY_BOX = f"descendant::*[{has_class('comment-body')}][1]"
C_PERMALINK = f"{C_DATE}/descendant::a[contains(@href,'#comment-')][1]"
C_MODERATION = f"descendant::*[{has_class('comment-awaiting-moderation')}][1]"
_FURNITURE = frozenset(("comment-author", "comment_author", "comment-meta", "commentmetadata", "comment-metadata",
                        "reply",
                        "comment-awaiting-moderation", "children", "says", "edit-link", "avatar",
                        "wp-block-comment-author-name", "wp-block-comment-date", "wp-block-comment-reply-link",
                        "wp-block-comment-edit-link", "wp-block-avatar", "wp-block-group"))

X_HOLDS_FURNITURE = x(f"descendant::*[{has_class('wp-block-comment-date')}"
                      f" or {has_class('wp-block-comment-author-name')} or {has_class('comment-metadata')}"
                      f" or {has_class('comment-author')}][1]")
X_HOLDS_COMMENT = x("descendant-or-self::*[starts-with(@id,'comment-') or @id='respond'][1]")
_ID = re.compile(r"^comment-(\d+)$")
_DIGIT = re.compile(r"\d")
_DAY_COMMA_YEAR = re.compile(r"^(\d{1,2})\.(\d{1,2}),\s*(\d{4})\s*@\s*(\d{1,2}):(\d{2})$")
_QUOTED = re.compile(r"“[^”]*”|„[^“”]*[“”]|«[^»]*»|\"[^\"]*\"|‘[^’]*’")
_ONE = frozenset(("one", "un", "une", "ein", "eine", "einen", "uno", "una", "um", "uma", "een", "jeden", "jedna"))
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
        # a single post's page (body class postid-N) links other posts too (related posts): not a listing
        single = any(_POST_ID.search(c) and c.startswith("postid-") for c in " ".join(X_BODY_CLASS(doc.root)).split())
        reason = "WordPress post without comments" if single else "WordPress listing page, no comments" \
            if hints.get("threads") else "WordPress page without comments"
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
    title = text(first(doc.root, X_TITLE.path)) or next(iter(X_OG_TITLE(doc.root)), None) \
        or text(first(doc.root, X_ARTICLE_HEADING.path))
    author = first(doc.root, X_POST_AUTHOR.path)
    if author is None:  # the hAtom byline outside the usual wrappers (span.author.vcard > a.url.fn)
        author = first(doc.root, X_POST_AUTHOR_VCARD.path)
    if author is None:
        author = first(doc.root, X_POST_AUTHOR_IN_POST.path)
    if author is None:
        author = first(doc.root, X_POST_AUTHOR_ANY.path)
    if author is None:  # the post author block prints the name without a link (WordPress 6.1)
        author = first(doc.root, X_POST_AUTHOR_NAME.path)
    name = text(author)
    if author is not None and "plus.google.com" in (author.get("href") or ""):
        # Google+ authorship badge: <span>NAME</span><span>on</span><img>, the name alone
        name = next((text(c) for c in author.iterchildren("span") if text(c)), name)
    if author is None:
        byline = text(first(doc.root, X_POST_BYLINE.path)) or ""
        name = _BYLINE_LEAD.sub("", byline).strip() or None if _BYLINE_LEAD.match(byline) else None
    when = first(doc.root, X_POST_DATE.path)
    # a theme's datetime that is not ISO ("23. Juni 2016") or none at all: the head's ISO time, with its zone
    attr = when.get("datetime") if when is not None else None
    iso = attr if parse_iso(attr) else next(iter(X_META_DATE(doc.root)), None)
    body = first(doc.root, X_POST_BODY.path)
    if body is None:
        body = _paragraph_box(first(doc.root, X_POST_ELEMENT.path))
    linked_els = linked(body) if body is not None else []
    return {
        "id": thread_id, "url": url, "title": title,
        "author_name": name, "author_id": None,
        "author_url": doc.absolute(author.get("href")) if author is not None and author.get("href") else None,
        "published_raw": text(when) or iso, "_iso": iso,
        "body_text": element_text(body) if body is not None else "",
        "body_html": inner_html(body, doc.absolute, linked_els) if body is not None else "",
        "links": toolkit.links(doc, linked_els), "quotes": [], "votes": None, "votes_kind": None,
        "votes_raw": None, "rating": None, "deleted": False, "extra": {},
        "parent_id": None, "depth": 0,
    }


def _paragraph_box(post):
    """The post's block holding the most text in paragraphs of its own (a theme's own body box), or None."""
    if post is None:
        return None
    best, most = None, 0
    for box in X_PARAGRAPH_BOXES(post):
        size = sum(len(text_content(p)) for p in box.iterchildren("p"))
        if size > most:
            best, most = box, size
    return best


def _comment(doc, el) -> dict:
    classes = (el.get("class") or "").split()
    cid = _ID.match(el.get("id") or "")
    # a theme older than comment_class(): <li id="comment-N"> (class="alt" every other row) and a <cite> byline
    legacy = not classes or classes == ["alt"]
    author_el, box = _author(el, legacy)
    link = author_el if author_el is not None and author_el.tag == "a" else \
        first(author_el, "descendant::a[@href][not(contains(@href,'#comment-'))][1]") \
        if author_el is not None else None  # never the date's permalink in a legacy byline
    date_box = first(el, C_DATE_OWN) if first(el, C_DATE_OWN) is not None else first(el, C_DATE)
    time_el = first(date_box, C_TIME) if date_box is not None else first(el, C_TIME_OUTSIDE)
    permalink = first(el, C_PERMALINK) if first(el, C_PERMALINK) is not None else _own_link(el)
    cite = (text(first(el, C_LEGACY_CITE)) or "") if legacy else ""  # before the body drops the byline
    likes = _likes(el)
    body = _body(el)
    linked_els = linked(body) if body is not None else []
    registered = "byuser" in classes
    slug = _AUTHOR_SLUG.search(el.get("class") or "") if registered else None
    extra: dict = {}
    if not registered:
        extra["anonymous"] = True  # WordPress says byuser for registered commenters only
    if "pingback" in classes or "trackback" in classes or cite.lower().startswith(("pingback", "trackback")):
        extra["ping"] = "trackback" if "trackback" in classes or cite.lower().startswith("trackback") else "pingback"
    if first(el, C_MODERATION) is not None:
        extra["unapproved"] = True
    if "bypostauthor" in classes:
        extra["by_post_author"] = True
    if "ping" in extra and author_el is None:  # "Pingback: <a>Title of the linking page</a>"
        link = first(el, "descendant::a[@href][1]")
        author_el = link
    name = _name(author_el, legacy)
    if time_el is not None:
        raw = text(time_el)
    elif date_box is not None:
        raw = _shown_date(date_box)
    else:
        raw = _date_beside(box, author_el, legacy, permalink)
    return {
        "id": f"comment/{cid.group(1)}" if cid else None,
        "url": doc.absolute(permalink.get("href")) if permalink is not None else None,
        "title": None,
        "author_name": name,
        "author_id": slug.group(1) if slug else None,
        "author_url": doc.absolute(link.get("href")) if link is not None else None,
        "published_raw": raw,
        "_iso": time_el.get("datetime") if time_el is not None else _day_comma_year(raw),
        "body_text": element_text(body) if body is not None else "",
        "body_html": inner_html(body, doc.absolute, linked_els) if body is not None else "",
        "links": toolkit.links(doc, linked_els), "quotes": [],
        "votes": likes[0], "votes_kind": "likes" if likes[0] is not None else None,
        "votes_raw": likes[1], "rating": None, "deleted": False, "extra": extra,
    }


def _author(el, legacy: bool):
    """(the author's element, the box around it): .fn, the block's name, else the theme's author box."""
    found = first(el, C_AUTHOR)
    if found is not None:
        return found, None
    box = first(el, C_AUTHOR_BOX)
    if box is None and legacy:
        box = first(el, C_LEGACY_CITE)
    if box is None or not text(box):  # none, or an avatar-only box: the name (.fn) is elsewhere in the comment
        found = first(el, C_FN_OUTSIDE)
        return (found, None) if found is not None else (box, box) if box is not None else (None, None)
    inner = first(box, C_AUTHOR_IN_BOX)
    return (inner if inner is not None and text(inner) else box), box


def _name(author_el, legacy: bool) -> str | None:
    """The shown name: up to a line break (a theme's "Author" badge follows it), without "says:" or a legacy
    theme's "Comment by" and the date after the dash."""
    if author_el is None:
        return None
    parts = [author_el.text or ""]
    for child in author_el:
        if child.tag == "br":
            break
        if isinstance(child.tag, str) and set((child.get("class") or "").split()) & {"says", "avatar"}:
            parts.append(child.tail or "")
            continue
        parts.append(text_content(child) if isinstance(child.tag, str) else "")
        parts.append(child.tail or "")
    name = " ".join("".join(parts).split()).rstrip(",") or None  # "NAME, " when a theme prints the comma in .fn
    if name and (legacy or author_el.tag == "cite"):
        name = _LEGACY_SPLIT.split(_LEGACY_LEAD.sub("", name), maxsplit=1)[0].strip() or None
    return name


def _day_comma_year(raw: str | None) -> str | None:
    """An old theme's "17.07, 2011 @ 13:04" (d.m, Y @ H:i), which no date reader takes: the local wall clock."""
    m = _DAY_COMMA_YEAR.match(raw or "")
    if not m:
        return None
    day, month, year, hour, minute = (int(g) for g in m.groups())
    if not (1 <= day <= 31 and 1 <= month <= 12 and hour < 24 and minute < 60):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:00"


def _own_link(el):
    """A link to the comment's own anchor whose text is its date ("11.09.2011 23:31"): older themes."""
    target = "#" + (el.get("id") or "")
    return next((a for a in el.iter("a") if (a.get("href") or "").endswith(target) and _DIGIT.search(text(a) or "")),
                None)


def _date_beside(box, author_el, legacy: bool, permalink) -> str | None:
    """No date element: the date printed beside the name in the author box ("Ben 19. Juni 2018 um 15:28 Uhr -
    Antworten"), a legacy cite's text after the dash, or the comment's own link."""
    if box is not None:
        shown = box.text or ""
        for child in box:
            # the comment's own permalink stays: its text is the time ("said, on August 3, 2019 at <a>3:12 pm</a>")
            keep = child is not author_el and isinstance(child.tag, str) and (child.tag != "a" or child is permalink) \
                and not set((child.get("class") or "").split()) & {"avatar", "says"}
            shown += (text_content(child) if keep else "") + (child.tail or "")
        shown = " ".join(shown.split())
        if legacy:
            pieces = _LEGACY_SPLIT.split(text(box) or "", maxsplit=1)
            shown = pieces[1] if len(pieces) > 1 else ""
        if _DIGIT.search(shown):
            return shown.strip(" -|")
    return text(permalink) if permalink is not None else None


def _likes(el) -> tuple[int | None, str | None]:
    """Jetpack comment likes ("Liked by 21 people", data-like-count): counted, then taken out of the body."""
    box = first(el, C_JETPACK_LIKES)
    if box is None:
        return None, None
    counter = next((a for a in box.iter("a") if a.get("data-like-count")), None)
    shown = text(first(box, f"descendant::*[{has_class('comment-like-feedback')}][1]")) or text(box)
    value = counter.get("data-like-count") if counter is not None else None
    count = int(value) if value and value.isdigit() else toolkit.count(shown) if shown and _DIGIT.search(shown) \
        else 0
    toolkit.drop(box)
    return count, shown


def _body(el):
    """The comment's text: its content div, or (legacy callbacks, pings) its body box without the furniture."""
    content = first(el, C_CONTENT)
    if content is not None and element_text(content):
        inner = [f for f in x(C_INNER_FURNITURE)(content)]
        if inner and any(element_text(f) for f in inner):
            for f in inner:
                if f.getparent() is not None:
                    toolkit.drop(f)
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
    if box is None:  # Walker_Comment's own div#div-comment-N under a theme's class (comment-container)
        box = first(el, f"descendant::div[@id='div-{el.get('id')}'][1]") if _ID.match(el.get("id") or "") else None
    if box is None:  # block themes: the comment's column holds the content and the furniture
        box = content.getparent() if content is not None else el
    own = "#" + (el.get("id") or "")
    for child in list(box):
        if box is el and isinstance(child.tag, str) and (el.get("class") or "").split() in ([], ["alt"]) and (
                child.tag in ("cite", "small") or child.find(".//cite") is not None
                or any((a.get("href") or "").endswith(own) for a in child.iter("a"))):
            if child.tail and not child.tail.strip(" |\n\t\u2014\u2013"):
                child.tail = None  # the separator between the name and the date
            toolkit.drop(child)  # a legacy byline: "Comment by NAME — DATE", "Pingback von NAME | DATE"
            continue
        if isinstance(child.tag, str) and (set((child.get("class") or "").split()) & _FURNITURE
                                           or child.tag in ("footer", "ul", "ol") and box is el
                                           or X_HOLDS_FURNITURE(child)):
            toolkit.drop(child)
    return box


def _shown_date(box) -> str | None:
    """Legacy callback: "March 5, 2019 at 9:12 am" is the permalink's text; "(Edit)" follows it."""
    if box is None:
        return None
    anchors = [a for a in box.iter("a") if not _is_reply_link(a)]
    a = next((a for a in anchors if "#comment-" in (a.get("href") or "")), anchors[0] if anchors else None)
    return text(a) if a is not None else text(box)


def _is_reply_link(a) -> bool:
    href = a.get("href") or ""
    return "comment-reply-link" in (a.get("class") or "") or "replytocom=" in href or href.startswith("javascript:")


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
    """"7 thoughts on X", "12 Comments", "3 Responses": the first number of the comments' heading, outside the
    quoted post title (WordPress names the post: "One response to “WP 6.1 notes”" is 1, not 61)."""
    shown = text(first(doc.root, X_COUNT.path))
    if not shown:
        return None
    bare = _QUOTED.sub(" ", shown)
    value = toolkit.count(bare)
    if value is None and bare.split() and bare.split()[0].lower() in _ONE:
        return 1
    return value


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
