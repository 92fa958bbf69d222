"""Reddit comment pages: classic markup (old.reddit.com, www.reddit.com before 2018), the 2018-2022 redesign, shreddit.

Today's pages (2023 on) are web components: ``shreddit-post[id=t3_…][author][score][created-timestamp]
[permalink][post-title]`` with ``[slot=text-body]``, and ``shreddit-comment[thingid][parentid][depth][author]
[score]`` with ``[slot=comment]`` and ``time[datetime]``; they carry the tree themselves.

Written from the open-source reddit code's templates (r2/templates: printable.html's thing attributes, link.html,
comment.html, utils.html's timestamps, morechildren.html): every item is a ``div.thing`` with ``data-fullname``
(``t3_`` the post, ``t1_`` a comment), ``data-author`` and ``data-permalink``; the tagline holds ``a.author``,
``span.score.unvoted`` ("N points", or ``span.score-hidden``) and ``time.live-timestamp[datetime]``; the text is
``div.usertext-body > div.md``; replies sit in ``div.child > div.sitetable``. A comment's parent is its "parent"
button (``a[data-event-action=parent]`` to ``#ID``) or else the comment around it; "load more comments" stubs
(``morechildren``) are not comments and mark the thread incomplete. Ids are Reddit's fullnames.

The 2018-2022 redesign (www.reddit.com as the Wayback Machine holds it) is React markup with hashed class names that
change with every build, so none is used. The server put its state in ``<script id="data">window.___r = {...};``
(often followed by ``window.___prefetches = [...]``): ``posts.models`` keyed by ``t3_`` fullnames (title, author,
authorId, score, numComments, created, permalink, isScoreHidden, isRemoved) and ``features.comments.models`` keyed by
``t1_`` fullnames (postId, parentId, depth, author, authorId, score, isScoreHidden, created, permalink, bodyMD,
isRemoved, collapsed). ``created`` is read as epoch milliseconds, or seconds when the number is small. Where the
state is missing or unreadable the markup gives the same: each comment is a flat ``div#t1_ID[tabindex=-1]``
indented by ``padding-left`` and labelled "level N" for screen readers, with ``a[data-testid=comment_author_link]``,
``a[data-testid=comment_timestamp]`` (an age, "3 days ago"), "N points" or "Score hidden" in
``[data-testid=post-comment-header]``, the text in ``div[data-testid=comment]`` and the count in
``div#vote-arrows-ID``; 2019 builds keep the comments in the top-level ``comments.models`` without a depth, their
texts as rich-text JSON (``media.richtextContent``), and the order and depth in ``commentsPage`` (a chain from
``keyToHeadCommentId`` through ``keyToCommentThreadLinkSets`` and ``continueThreads``); pages saved as rendered
(scripts and links stripped) may lack the name link, leaving the avatar's profile link. The post is
``div#t3_ID[data-testid=post-container]`` with
``a[data-testid=post_author_link]`` ("u/NAME") and ``[data-click-id=timestamp]``. A comment deleted by its author is
a collapsed row "Comment deleted by user"; "Continue this thread" and "N more replies" stubs mark the thread
incomplete. Read in: Reddit's own desktop2x bundles as kept in public repositories (the comment and post model
fields, the selectors reading ``features.comments.models``, the Comment component's class map), an extension that
clones the server's comment markup, scrapers that cut ``window.___r`` out of ``script#data`` and read
``posts.models`` and ``features.comments.models``, scraper and user-script selectors (``post_author_link``,
``post_timestamp``, ``post-container``, "Comment deleted by user", " more repl", "Continue this thread").
"Comment removed by moderator" is read by analogy, not seen in a source.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from lxml import etree

from harvester.engines import toolkit
from harvester.engines.toolkit import Detection, Sign, first, has_class, text, x
from harvester.model import ParsedPage
from harvester.replytree import OpenBranch
from harvester.text import element_text, inner_html, linked, squash, text_content

NAME = "reddit"
VERSION = "1.1.0"

SIGNS = (
    Sign("shreddit-post element (2023+)", 10, "(/descendant::shreddit-post)[1]", needle="shreddit-post"),
    Sign("div.thing[data-fullname=t3_...]", 6, needle="data-fullname",
         xpath=f"(/descendant::div[{has_class('thing')}][starts-with(@data-fullname,'t3_')])[1]"),
    Sign("comment things (t1_)", 5, needle="t1_",
         xpath=f"(/descendant::div[{has_class('thing')}][{has_class('comment')}])[1]"),
    Sign("reddit static assets / redditmedia", 5, needle="redditstatic",
         xpath="/html/head/link[contains(@href,'redditstatic.com')]"
               " | /html/head/script[contains(@src,'redditstatic')]"
               # pages saved without scripts and links keep the tile icon (content=, or value= in some builds)
               " | /html/head/meta[@name='msapplication-TileImage'][contains(@content,'redditstatic.com')"
               " or contains(@value,'redditstatic.com')]"),
    Sign("body.comments-page", 3, f"/html/body[{has_class('comments-page')}]", needle="comments-page"),
    Sign("2018-2022 redesign state script (window.___r)", 8, needle="window.___r",
         xpath="(/descendant::script[@id='data'][starts-with(normalize-space(.),'window.___r')])[1]"),
    Sign("2018-2022 redesign post (data-testid=post-container, t3_ id)", 5, needle="post-container",
         xpath="(/descendant::div[@data-testid='post-container'][starts-with(@id,'t3_')])[1]"),
    Sign("2018-2022 redesign comments (div#t1_... tabindex=-1)", 4, needle="t1_",
         xpath="(/descendant::div[starts-with(@id,'t1_')][@tabindex='-1'])[1]"),
)

X_LINK = x(f"(/descendant::div[{has_class('thing')}][starts-with(@data-fullname,'t3_')])[1]")
# a deleted comment that still has replies is drawn without data-fullname (2025 old.reddit): its permalink names it
X_COMMENTS = x(f"/descendant::div[{has_class('thing')}][{has_class('comment')}][starts-with(@data-fullname,'t1_')"
               " or (not(@data-fullname) and contains(@data-permalink,'/comments/'))]")
X_MORE = x(f"/descendant::div[{has_class('thing')}][{has_class('morechildren')}]"
           f" | /descendant::span[{has_class('morecomments')}]")
X_ENTRY = x(f"div[{has_class('entry')}][1]")
X_TITLE = x(f"descendant::p[{has_class('title')}]/a[{has_class('title')}][1]")
X_TAGLINE = x(f"descendant::p[{has_class('tagline')}][1]")
X_AUTHOR = x(f"descendant::a[{has_class('author')}][1]")
X_SCORE = x(f"descendant::span[{has_class('score')}][{has_class('unvoted')}][1]"
            f" | descendant::span[{has_class('score-hidden')}][1]")
X_LINK_SCORE = x(f"descendant::div[{has_class('score')}][{has_class('unvoted')}][1]")
X_TIME = x(f"descendant::time[{has_class('live-timestamp')} or @datetime][1]")
X_EDITED = x(f"descendant::time[{has_class('edited-timestamp')}][1]")
X_BODY = x(f"descendant::div[{has_class('usertext-body')}]/div[{has_class('md')}][1]")
X_PARENT_BUTTON = x(f"div[{has_class('entry')}]/ul/li/a[@data-event-action='parent']/@href")  # its own, not a reply's

_FULLNAME = re.compile(r"^t[13]_([0-9a-z]{1,13})$")
_GONE = ("[deleted]", "[removed]")


def score(doc) -> Detection:
    return toolkit.score(doc, NAME, SIGNS)


def parse(doc, zone=None, links: bool = True, records: bool = True) -> ParsedPage:
    """Records of one comments page (``records=False``: its id, url and crawl hints)."""
    if "shreddit-post" in doc.text and first(doc.root, X_LINK.path) is None:
        return _parse_shreddit(doc, zone, records)
    link = first(doc.root, X_LINK.path)
    if link is None and ("window.___r" in doc.text or "post-container" in doc.text):
        return _parse_redesign(doc, zone, records)
    fullname = link.get("data-fullname") if link is not None else None
    if link is None or not _FULLNAME.match(fullname or ""):
        return ParsedPage(thread=None, posts=[], links={"pages": [], "threads": [], "listings": []},
                          skip_reason="Reddit page without a post (a listing or another page)")
    thread_url = doc.absolute(link.get("data-permalink")) or doc.url
    hints = {"pages": [], "threads": [], "listings": []}
    if not records:
        return ParsedPage(thread={"id": fullname, "url": thread_url}, posts=[], links=hints)
    comments = X_COMMENTS(doc.root)
    by_element = {c: _comment_id(c) for c in comments}
    comments = [c for c in comments if by_element[c]]
    known = set(by_element.values())
    op = _thing(doc, link, fullname)
    op.update(title=text(first(link, X_TITLE.path)), url=thread_url, parent_id=None, depth=0)
    votes_el = first(link, X_LINK_SCORE.path)
    op["votes_raw"] = text(votes_el)
    op["votes"] = toolkit.count(votes_el.get("title")) if votes_el is not None else None
    op["votes_kind"] = "score" if op["votes"] is not None else None
    posts = [op]
    parents = {el: _parent(el, known, by_element) for el in comments}
    stubs = bool(X_MORE(doc.root))  # before the comments are taken apart: most stubs sit in a reply's div.child
    nested = set(comments)
    for el in comments:  # each read without the comments inside it (replies, or posts swallowed by bad HTML)
        if any(a in nested for a in el.iterancestors()):
            toolkit.drop(el)
    depth_of: dict[str, int] = {}
    for el in comments:
        cid = by_element[el]
        parent = parents[el]
        post = _thing(doc, el, cid)
        post["parent_id"] = parent
        post["depth"] = depth_of[parent] + 1 if parent in depth_of else 0
        depth_of[cid] = post["depth"]
        posts.append(post)
    subreddit = link.get("data-subreddit-prefixed") or link.get("data-subreddit")
    extra: dict = {}
    if stubs:
        extra["incomplete"] = True  # "load more comments": replies the page did not include
    thread = {"id": fullname, "url": thread_url, "title": op["title"], "board": subreddit,
              "reply_count": _int(link.get("data-comments-count")), "extra": extra, "op_on_page": True}
    return toolkit.page(doc, zone, thread, posts, page_number=0, pages_total=1, links=hints)


def _thing(doc, el, fullname: str) -> dict:
    """A post or comment: author, time, score, text, and whether it was deleted or removed."""
    entry = first(el, X_ENTRY.path)
    scope = entry if entry is not None else el
    tagline = first(scope, X_TAGLINE.path)
    author = first(tagline, X_AUTHOR.path) if tagline is not None else None
    when = first(tagline, X_TIME.path) if tagline is not None else None
    body = first(scope, X_BODY.path)
    if body is not None and not element_text(body):
        # a stray </div> at the start of the text closed div.md early: what a browser shows follows it
        escaped = toolkit.escaped_body(scope, body, _is_furniture)
        body = escaped if escaped is not None else body
    score_el = first(tagline, X_SCORE.path) if tagline is not None else None
    hidden = score_el is not None and "score-hidden" in (score_el.get("class") or "")
    votes = None if hidden or score_el is None else toolkit.count(score_el.get("title") or text(score_el))
    if score_el is not None and not hidden and (text(score_el) or "").lstrip().startswith("-"):
        votes = -votes if votes else votes
    linked_els = linked(body) if body is not None else []
    body_text = element_text(body) if body is not None else ""
    name = el.get("data-author") or text(author)
    # "[deleted]" as the author alone is a deleted account: the text is still shown, the comment is not deleted
    gone = body_text in _GONE or "deleted" in (el.get("class") or "").split()
    extra: dict = {}
    if gone:
        extra["state"] = "removed" if body_text == "[removed]" else "deleted"
    if hidden:
        extra["score_hidden"] = True
    edited = first(tagline, X_EDITED.path) if tagline is not None else None
    if edited is not None:
        extra["edited"] = edited.get("datetime") or edited.get("title")
    permalink = el.get("data-permalink")
    return {
        "id": fullname, "url": doc.absolute(permalink) if permalink else None, "title": None,
        "author_name": None if name in _GONE else name,
        "author_id": el.get("data-author-fullname") if name not in _GONE else None,
        "author_url": doc.absolute(author.get("href")) if author is not None and name not in _GONE else None,
        "published_raw": text(when), "_iso": when.get("datetime") if when is not None else None,
        "body_text": body_text, "body_html": inner_html(body, doc.absolute, linked_els) if body is not None else "",
        "links": toolkit.links(doc, linked_els), "quotes": [],
        "votes": votes, "votes_kind": "score" if votes is not None else None,
        "votes_raw": text(score_el), "rating": None, "deleted": gone, "extra": extra,
    }


def _comment_id(el) -> str | None:
    """data-fullname, or for a deleted comment drawn without it the last part of its permalink."""
    fullname = el.get("data-fullname")
    if fullname is None:
        tail = (el.get("data-permalink") or "").rstrip("/").rsplit("/", 1)[-1]
        fullname = f"t1_{tail}"
    return fullname if _FULLNAME.match(fullname) and fullname.startswith("t1_") else None


def _is_furniture(el) -> bool:
    classes = set((el.get("class") or "").split())
    return bool(classes & {"buttons", "flat-list", "reportform", "child", "clearleft"}) or el.tag in ("ul", "form")


def _parent(el, known: set, by_element: dict) -> str | None:
    """The "parent" button's target (``#ID`` of the parent comment), else the comment around this one."""
    for href in X_PARENT_BUTTON(el):
        candidate = "t1_" + href.lstrip("#").split("/")[-1].split("#")[-1]
        if candidate in known:
            return candidate
    below = el
    for a in el.iterancestors():
        # a real reply sits in its parent's div.child; a comment that unbalanced HTML pushed into another's
        # text (div.entry) is not that comment's reply
        if a in by_element and "child" in (below.get("class") or "").split():
            return by_element[a]
        below = a
    return None


def _int(value) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


X_SHREDDIT_POST = x("(/descendant::shreddit-post)[1]")
X_SHREDDIT_COMMENTS = x("/descendant::shreddit-comment[starts-with(@thingid,'t1_')]")
X_SLOT_BODY = x("descendant::*[@slot='text-body'][1]")
X_SLOT_COMMENT = x("descendant::*[@slot='comment'][1]")
X_ANY_TIME = x("descendant::time[@datetime][1]")


def _parse_shreddit(doc, zone, records: bool) -> ParsedPage:
    """Today's pages: the post and comments are custom elements whose attributes hold the facts."""
    post_el = first(doc.root, X_SHREDDIT_POST.path)
    fullname = post_el.get("id") if post_el is not None else None
    hints = {"pages": [], "threads": [], "listings": []}
    if post_el is None or not _FULLNAME.match(fullname or ""):
        return ParsedPage(thread=None, posts=[], links=hints, skip_reason="Reddit page without a post")
    thread_url = doc.absolute(post_el.get("permalink")) or doc.url
    if not records:
        return ParsedPage(thread={"id": fullname, "url": thread_url}, posts=[], links=hints)
    op = _element_post(doc, post_el, fullname, X_SLOT_BODY, post_el.get("created-timestamp"))
    op.update(title=post_el.get("post-title"), url=thread_url, parent_id=None, depth=0)
    posts = [op]
    comments = X_SHREDDIT_COMMENTS(doc.root)
    known = {c.get("thingid") for c in comments}
    for el in comments:
        when = first(el, X_ANY_TIME.path)
        post = _element_post(doc, el, el.get("thingid"), X_SLOT_COMMENT,
                             when.get("datetime") if when is not None else None)
        parent = el.get("parentid")
        post["parent_id"] = parent if parent in known else None
        depth = el.get("depth") or "0"
        post["depth"] = int(depth) if depth.isdigit() and len(depth) < 4 else 0
        posts.append(post)
    shown = _int(post_el.get("comment-count"))
    extra = {"incomplete": True} if shown is not None and shown > len(comments) else {}
    thread = {"id": fullname, "url": thread_url, "title": op["title"],
              "board": post_el.get("subreddit-prefixed-name"), "reply_count": shown, "extra": extra,
              "op_on_page": True}
    return toolkit.page(doc, zone, thread, posts, page_number=0, pages_total=1, links=hints)


def _element_post(doc, el, fullname: str, body_x, iso: str | None) -> dict:
    """A shreddit-post or shreddit-comment: its attributes and its slotted text."""
    author = el.get("author")
    gone = el.get("is-comment-deleted") == "true"  # "[deleted]" as the author alone is a deleted account
    body = first(el, body_x.path)
    for nested in list(body.iter("shreddit-comment")) if body is not None else ():
        toolkit.drop(nested)
    if body is not None and not element_text(body):
        # stray </div>s at the start closed the slot early: the text follows it, up to the action row
        escaped = toolkit.escaped_body(el, body, lambda e: e.tag.startswith("shreddit-") or e.get("slot") is not None)
        body = escaped if escaped is not None else body
    linked_els = linked(body) if body is not None else []
    body_text = element_text(body) if body is not None else ""
    score = el.get("score")
    votes = int(score) if score and score.lstrip("-").isdigit() and len(score) < 10 else None
    extra: dict = {"state": "removed" if body_text == "[removed]" else "deleted"} if gone or body_text in _GONE else {}
    return {
        "id": fullname, "url": doc.absolute(el.get("permalink")) if el.get("permalink") else None, "title": None,
        "author_name": None if gone or author in _GONE else author,
        "author_id": None if gone or author in _GONE else el.get("author-id"),
        "author_url": doc.absolute(f"/user/{author}/") if author and not gone and author not in _GONE else None,
        "published_raw": iso, "_iso": iso, "body_text": body_text,
        "body_html": inner_html(body, doc.absolute, linked_els) if body is not None else "",
        "links": toolkit.links(doc, linked_els), "quotes": [], "votes": votes,
        "votes_kind": "score" if votes is not None else None, "votes_raw": score, "rating": None,
        "deleted": gone or body_text in _GONE, "extra": extra,
    }


# --- The 2018-2022 redesign ("new Reddit") -------------------------------------------------------------------
# Hashed class names change with every build, so none is used: the state JSON, ids and data-testid attributes are.
REDESIGN_STATE_PREFIX = "window.___r"
X_REDESIGN_STATE = x("/descendant::script[@id='data'][1]")
# 2019 builds: div#t3_ID[tabindex=-1] around div[data-test-id=post-content] (no data-testid=post-container)
X_REDESIGN_POST = x("(/descendant::div[@data-testid='post-container'][starts-with(@id,'t3_')]"
                    " | /descendant::div[starts-with(@id,'t3_')][@data-test-id='post-content']"
                    " | /descendant::div[starts-with(@id,'t3_')][@tabindex='-1']"
                    "[div[@data-test-id='post-content']])[1]")
X_REDESIGN_POSTS = x("/descendant::div[@data-testid='post-container']")
X_REDESIGN_TITLE = x("descendant::h1[1]")
X_REDESIGN_POST_BODY = x("descendant::div[@data-click-id='text'][1] | descendant::*[@data-test-id='post-content']"
                         "/descendant::div[contains(@class,'RichTextJSON-root')][1]")
X_REDESIGN_COMMENTS = x("/descendant::div[starts-with(@id,'t1_')][@tabindex='-1']")
X_REDESIGN_BODY = x("(descendant::div[@data-testid='comment' or @data-test-id='comment'])[1]")  # 2019: data-test-id
X_REDESIGN_AUTHOR = x("(descendant::a[@data-testid='comment_author_link' or @data-testid='post_author_link'])[1]")
# builds whose saved pages lost the name link keep the avatar's profile link, or a div[to] for "[deleted]"
X_REDESIGN_AVATAR = x("(descendant::a[@data-testid='comment_author_icon']/@href"
                      " | descendant::div[starts-with(@to,'/user/')]/@to)[1]")
X_REDESIGN_TIME = x("(descendant::*[@data-testid='comment_timestamp' or @data-testid='post_timestamp'"
                    " or @data-click-id='timestamp' or starts-with(@id,'CommentTopMeta--Created--')])[1]")
X_REDESIGN_COUNT_LINK = x("descendant::a[@data-click-id='comments'][contains(@href,'/comments/')][1]")
X_REDESIGN_HEADER = x("descendant::*[@data-testid='post-comment-header'][1]")
X_REDESIGN_VOTES = x("descendant::div[starts-with(@id,'vote-arrows-')]/div[1]")
X_REDESIGN_LEVEL = x("descendant::span[starts-with(normalize-space(.),'level ')][1]")
X_REDESIGN_STUB_TEXT = etree.XPath("/descendant::text()[contains(.,' more repl') or contains(.,' more comment')"
                                   " or starts-with(normalize-space(.),'Continue this thread')]",
                                   smart_strings=True)  # text nodes that know their element
_STUB = re.compile(r"^(?:\d[\d,.]*k? more (?:repl(?:y|ies)|comments?)|Continue this thread)\W*$")
_GONE_ROWS = {"Comment deleted by user": "deleted", "Comment removed by moderator": "removed"}  # collapsed, no text
_LEVEL = re.compile(r"^level (\d{1,3})$")
_POINTS = re.compile(r"(-?[\d.,]+k?)\s+points?\b")
_COUNT = re.compile(r"^(\d[\d.,]*k?) comments?$")
_PROFILE = re.compile(r"^/user/([A-Za-z0-9_-]{1,40}|\[deleted\])/?$")
_PADDING = re.compile(r"padding-left:\s*(\d{1,4})px")
_COMMENTS_PATH = re.compile(r"/comments/([0-9a-z]{1,13})(?:/|$)")
_SUBREDDIT_PATH = re.compile(r"^/r/([A-Za-z0-9_]{2,21})/")


def _redesign_state(doc) -> tuple[dict | None, str | None]:
    """The server's state (``<script id="data">window.___r = {...};``) as a dict, or None and why not."""
    script = first(doc.root, X_REDESIGN_STATE.path)
    source = (script.text or "") if script is not None else ""
    start = source.find("{", source.find(REDESIGN_STATE_PREFIX))
    if REDESIGN_STATE_PREFIX not in source or start < 0:
        return None, None
    try:  # the page is within --max-page-mb; raw_decode stops at the object's end (a prefetch list may follow)
        state, _end = json.JSONDecoder().raw_decode(source, start)
    except (ValueError, RecursionError) as exc:
        return None, f"Reddit state JSON unreadable ({type(exc).__name__}): read from the markup"
    return (state, None) if isinstance(state, dict) else (None, "Reddit state JSON is not an object")


def _models(state: dict | None, *path: str) -> dict:
    node = state
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else {}


def _json_iso(value) -> str | None:
    """``created``: epoch milliseconds (or seconds in some builds) as an ISO instant."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 10**14:  # NaN, Infinity
        return None
    seconds = int(value // 1000 if value > 10**11 else value)
    return toolkit.epoch_to_iso(str(seconds))


def _json_int(value) -> int | None:
    return int(value) if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**9 else None


def _json_str(value) -> str | None:
    value = _XML_UNSAFE.sub("", value) if isinstance(value, str) else None  # JSON may hold lone surrogates
    return value if value and len(value) < 500 else None


def _display_order(state: dict | None, fullname: str) -> dict[str, int]:
    """Comment ids in the order the page shows them, with their depth, from the 2019-2020 state's
    ``commentsPage``: ``keyToHeadCommentId`` starts a chain whose links (``keyToCommentThreadLinkSets``, and
    ``continueThreads`` / ``moreComments`` for stubs) each name the next item."""
    key = next((k for k, v in _models(state, "commentsPage", "keyToPostId").items() if v == fullname), None)
    links = _models(state, "commentsPage", "keyToCommentThreadLinkSets", key) if key else {}
    stubs = {**_models(state, "continueThreads", "models"), **_models(state, "moreComments", "models")}
    node = {"type": "comment", "id": _models(state, "commentsPage", "keyToHeadCommentId").get(key)}
    order: dict[str, int] = {}
    seen: set = set()
    while isinstance(node, dict) and isinstance(node.get("id"), str) and node["id"] not in seen \
            and len(seen) <= len(links) + len(stubs):  # a chain that loops or runs on stops
        seen.add(node["id"])
        link = (links if node.get("type") == "comment" else stubs).get(node["id"])
        if not isinstance(link, dict):
            break
        depth = _json_int(link.get("depth"))
        if node.get("type") == "comment" and _FULLNAME.match(node["id"]):
            order[node["id"]] = depth if depth is not None and 0 <= depth < 1000 else -1
        node = link.get("next")
    return order


# Rich-text JSON ("rtjson", media.richtextContent.document) as the 2019-2020 state holds comment and post texts:
# blocks (par, code, list/li, blockquote, h, hr, table) of spans (text, raw, link, br, u/, r/ mentions)
_RT_TAGS = {"par": "p", "code": "pre", "blockquote": "blockquote", "li": "li", "hr": "hr", "br": "br",
            "table": "table", "spoilertext": "span"}
_RT_LIMIT = 20000  # nodes read from one text
# what JSON may hold but an HTML tree may not: NUL and other control characters, lone surrogates
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _rtjson(document) -> etree._Element | None:
    """The text of a rich-text document as HTML elements, or None when it is not one."""
    if not isinstance(document, list):
        return None
    root = etree.Element("div")
    budget = [_RT_LIMIT]
    _rt_children(root, document, budget, 0)
    return root


def _rt_children(parent, nodes, budget: list, depth: int) -> None:
    for node in nodes if isinstance(nodes, list) and depth < 40 else ():
        if budget[0] <= 0 or not isinstance(node, dict):
            return
        budget[0] -= 1
        kind, words = node.get("e"), node.get("t")
        words = _XML_UNSAFE.sub("", words) if isinstance(words, str) else ""
        if kind in ("text", "raw") or (kind not in _RT_TAGS and kind not in ("link", "list", "h") and words
                                       and not isinstance(node.get("c"), list)):
            _rt_text(parent, words + ("\n" if kind == "raw" and parent.tag == "pre" else ""))
            continue
        if kind == "link":
            el = etree.SubElement(parent, "a")
            if isinstance(node.get("u"), str):
                el.set("href", _XML_UNSAFE.sub("", node["u"]))
            el.text = words
            continue
        if kind in ("u/", "r/"):
            el = etree.SubElement(parent, "a", href=f"/{kind}{words}/")
            el.text = f"{kind}{words}"
            continue
        if kind == "list":
            tag = "ol" if node.get("o") is True else "ul"
        elif kind == "h":
            level = node.get("l")
            tag = f"h{level}" if isinstance(level, int) and 1 <= level <= 6 else "h3"
        else:
            tag = _RT_TAGS.get(kind, "div")
        el = etree.SubElement(parent, tag)
        _rt_children(el, node.get("c"), budget, depth + 1)
        if tag == "pre" and el.text is not None:
            el.text = el.text.rstrip("\n")


def _rt_text(parent, words: str) -> None:
    """Append text after the last child (lxml keeps it in that child's tail)."""
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + words
    else:
        parent.text = (parent.text or "") + words


def _parse_redesign(doc, zone, records: bool) -> ParsedPage:
    """The 2018-2022 React pages: the state JSON where the page has it, else ids, data-testid and 'level N'."""
    hints = {"pages": [], "threads": [], "listings": []}
    state, problem = _redesign_state(doc)
    if problem:
        doc.page.notes.append(problem)
    post_models = _models(state, "posts", "models")
    comment_models = _models(state, "features", "comments", "models") or _models(state, "comments", "models")
    post_el = first(doc.root, X_REDESIGN_POST.path)
    match = _COMMENTS_PATH.search(urlsplit(doc.url or "").path or "")
    fullname = f"t3_{match.group(1)}" if match else None
    if fullname is None and (doc.url or (len(X_REDESIGN_POSTS(doc.root)) > 1
                                         and first(doc.root, X_REDESIGN_COMMENTS.path) is None)):
        return ParsedPage(thread=None, posts=[], links=hints,
                          skip_reason="Reddit listing page (no /comments/ in its address, or several posts)")
    if fullname is None and post_el is not None:
        fullname = post_el.get("id")
    if fullname is None or not _FULLNAME.match(fullname):
        return ParsedPage(thread=None, posts=[], links=hints, skip_reason="Reddit page without a post")
    model = post_models.get(fullname)
    model = model if isinstance(model, dict) else {}
    if not model and post_el is None:
        return ParsedPage(thread=None, posts=[], links=hints, skip_reason="Reddit page without a post")
    permalink = _json_str(model.get("permalink"))
    count_link = first(post_el, X_REDESIGN_COUNT_LINK.path) if post_el is not None else None
    if permalink is None and doc.url is None and count_link is not None:  # a page saved without its address
        own = _COMMENTS_PATH.search(count_link.get("href") or "")
        permalink = count_link.get("href") if own and f"t3_{own.group(1)}" == fullname else None
    thread_url = doc.absolute(permalink) if permalink else doc.url
    if not records:
        return ParsedPage(thread={"id": fullname, "url": thread_url}, posts=[], links=hints)
    op = _redesign_post(doc, post_el, model, fullname, X_REDESIGN_POST_BODY)
    title = _json_str(model.get("title"))
    if title is None and post_el is not None:
        title = text(first(post_el, X_REDESIGN_TITLE.path))
    op.update(title=title, url=thread_url, parent_id=None, depth=0)
    posts = [op]
    elements: dict = {}
    for el in X_REDESIGN_COMMENTS(doc.root):  # a saved page can hold a comment twice (a second render outside the
        if _FULLNAME.match(el.get("id") or ""):  # app's main content, counts a moment later): the first is the page's
            elements.setdefault(el.get("id"), el)
    for el in elements.values():  # each read without comments that bad HTML pushed inside it
        if any(a.get("id") in elements for a in el.iterancestors()):
            toolkit.drop(el)
    shown_order = _display_order(state, fullname)  # 2019-2020 builds: the models carry no depth, no order
    order = [cid for cid in shown_order if cid in comment_models or cid in elements]
    order += [cid for cid in elements if cid not in shown_order]
    order += [cid for cid, cm in comment_models.items() if cid not in elements and cid not in shown_order
              and _FULLNAME.match(cid) and (not isinstance(cm, dict) or cm.get("postId") in (None, fullname))]
    # (the state can hold comments of other posts the reader opened before: their postId says so)
    branch = OpenBranch()
    depth_of: dict[str, int] = {}
    for cid in order:
        cm = comment_models.get(cid)
        cm = cm if isinstance(cm, dict) else {}
        el = elements.get(cid)
        post = _redesign_post(doc, el, cm, cid, X_REDESIGN_BODY)
        parent = cm.get("parentId")
        depth = _json_int(cm.get("depth"))
        if depth is None or not 0 <= depth < 1000:
            depth = shown_order.get(cid, -1)
        if depth < 0:
            depth = depth_of[parent] + 1 if parent in depth_of else _dom_depth(el)
        post["parent_id"] = parent if parent in elements or parent in comment_models else branch.parent(depth)
        post["depth"] = depth
        depth_of[cid] = depth
        branch.push(depth, cid)
        posts.append(post)
    extra: dict = {}
    shown = _json_int(model.get("numComments"))
    counted = _COUNT.match(squash(text_content(count_link))) if shown is None and count_link is not None else None
    shown = toolkit.count(counted.group(1)) if counted else shown  # "5.7k comments" on the post
    stubs = _models(state, "continueThreads", "models") or _models(state, "moreComments", "models")
    if stubs or _has_stub(doc.root) or (shown is not None and shown > len(order)):
        extra["incomplete"] = True  # "N more replies", "Continue this thread": replies the page did not include
    sub = _SUBREDDIT_PATH.match(urlsplit(thread_url or "").path or "")
    thread = {"id": fullname, "url": thread_url, "title": op["title"], "board": f"r/{sub.group(1)}" if sub else None,
              "reply_count": shown, "extra": extra, "op_on_page": True}
    return toolkit.page(doc, zone, thread, posts, page_number=0, pages_total=1, links=hints)


def _has_stub(root) -> bool:
    """A "N more replies" / "Continue this thread" stub: the whole text of an element outside comment texts."""
    for node in X_REDESIGN_STUB_TEXT(root):
        holder = node.getparent()
        if holder is None or holder.tag in ("script", "style") or not _STUB.match(squash(str(node))):
            continue
        if not any(a.get("data-testid") == "comment" or a.get("data-test-id") == "post-content"
                   or a.get("data-click-id") == "text" for a in holder.iterancestors()):
            return True
    return False


def _dom_depth(el) -> int:
    """'level N' (screen-reader text) or else the padding-left indentation (16 px, then 21 px a level)."""
    if el is None:
        return 0
    level = _LEVEL.match(text(first(el, X_REDESIGN_LEVEL.path)) or "")
    if level:
        return max(int(level.group(1)) - 1, 0)
    pad = _PADDING.search(el.get("style") or "")
    return max((int(pad.group(1)) - 16 + 10) // 21, 0) if pad else 0


def _redesign_furniture(el) -> bool:
    """The action row after a comment's text (vote arrows, Reply/Share buttons), or the next comment."""
    return el.tag == "button" or (el.get("id") or "").startswith(("vote-arrows-", "t1_")) \
        or el.find(".//button") is not None


def _redesign_post(doc, el, model: dict, fullname: str, body_x) -> dict:
    """A post or comment of the redesign: the model's facts, the element's text."""
    body = first(el, body_x.path) if el is not None else None
    body_text = element_text(body) if body is not None else ""
    if body is not None and not body_text:
        escaped = toolkit.escaped_body(el, body, _redesign_furniture)
        body = escaped if escaped is not None else body
        body_text = element_text(body)
    media = model.get("media")
    if body is None and isinstance(media, dict) and isinstance(media.get("richtextContent"), dict):
        body = _rtjson(media["richtextContent"].get("document"))  # 2019-2020 state: the text as rich-text JSON
        body_text = element_text(body) if body is not None else ""
    if body is None and _json_str(model.get("bodyMD")) is not None:
        body = etree.Element("div")
        etree.SubElement(body, "p").text = _XML_UNSAFE.sub("", model["bodyMD"])
        body_text = element_text(body)
    linked_els = linked(body) if body is not None else []
    author_el = first(el, X_REDESIGN_AUTHOR.path) if el is not None else None
    name = _json_str(model.get("author")) or (text(author_el) or "").removeprefix("u/") or None
    if name is None and el is not None and author_el is None:
        avatar = _PROFILE.match(next(iter(X_REDESIGN_AVATAR(el)), ""))
        name = avatar.group(1) if avatar else None
    when = first(el, X_REDESIGN_TIME.path) if el is not None else None
    header = text(first(el, X_REDESIGN_HEADER.path)) or "" if el is not None else ""
    hidden = model.get("isScoreHidden") is True or (not model and "Score hidden" in header)
    votes = _json_int(model.get("score"))
    raw_votes = None
    if votes is None and not hidden:
        points = _POINTS.search(header)
        raw_votes = points.group(0) if points else None
        votes = toolkit.count(points.group(1).lstrip("-")) if points else None
        votes = -votes if votes and points.group(1).startswith("-") else votes
        arrows = first(el, X_REDESIGN_VOTES.path) if el is not None and points is None else None
        if arrows is not None and (text(arrows) or "").lstrip("-")[:1].isdigit():  # "128", "1.2k"; not "Vote"
            raw_votes = text(arrows)
            votes = toolkit.count(raw_votes.lstrip("-"))
            votes = -votes if votes and raw_votes.startswith("-") else votes
    row_text = squash(text_content(el)) if el is not None and body is None else ""
    row = next((state for words, state in _GONE_ROWS.items() if words in row_text), None)
    # "[deleted]" as the author is a deleted account; only without any text is the comment itself shown as gone
    gone = (name in _GONE and body is None) or body_text in _GONE or model.get("isRemoved") is True or row is not None \
        or model.get("isDeleted") is True
    extra: dict = {}
    if gone:
        removed = body_text == "[removed]" or model.get("isRemoved") is True or row == "removed"
        extra["state"] = "removed" if removed else "deleted"
    if hidden:
        extra["score_hidden"] = True
        votes = None
    edited = _json_iso(model.get("editedAt"))
    if edited:
        extra["edited"] = edited
    permalink = _json_str(model.get("permalink")) or (when.get("href") if when is not None else None)
    profile = f"/user/{name}/" if name and name not in _GONE else None
    return {
        "id": fullname, "url": doc.absolute(permalink) if permalink else None, "title": None,
        "author_name": None if name in _GONE else name,
        "author_id": _json_str(model.get("authorId")) if name not in _GONE else None,
        "author_url": doc.absolute(profile) if profile else None,
        "published_raw": text(when), "_iso": _json_iso(model.get("created")),
        "body_text": body_text, "body_html": inner_html(body, doc.absolute, linked_els) if body is not None else "",
        "links": toolkit.links(doc, linked_els), "quotes": [],
        "votes": votes, "votes_kind": "score" if votes is not None else None,
        "votes_raw": raw_votes or (str(votes) if votes is not None else ("Score hidden" if hidden else None)),
        "rating": None, "deleted": gone, "extra": extra,
    }
