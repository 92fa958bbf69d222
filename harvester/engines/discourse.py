"""Discourse topic pages as crawlers and archives see them (the server-rendered crawler view).

Written from Discourse's app/views/topics/show.html.erb (the 1.x crawler view: ``div[itemtype=
DiscussionForumPosting]`` with ``div.creator``, ``b[itemprop=author]``, ``time[itemprop=datePublished]``,
``span[itemprop=position]``, ``div.post[itemprop=articleBody]`` and ``meta[itemprop=interactionCount]``
"UserLikes:N") and the 2.4 page its test fixtures hold (``div.topic-body.crawler-post`` with
``span.creator[itemprop=author] span[itemprop=name]``, ``meta``/``time[itemprop=datePublished]``,
``div.post[itemprop=articleBody|text]``, the LikeAction ``userInteractionCount`` and ``span.post-likes``, the
BreadcrumbList ``#breadcrumbs``, ``h1.crawler-topic-title``), inside ``<noscript>`` in 2.x. Newer versions mark
later posts ``itemprop=comment`` and give them ``id="post_N"``. Quotes ``aside.quote[data-username][data-post]
[data-topic]`` name the quoted post by its number. The HTML shows no reply tree: the board is flat and quotes carry
the links. Ids: a topic is ``t/ID``, a post ``t/ID/N`` (its number in the topic). 3.x prints the full name in
brackets after the username link; a post hidden by flags shows the ``flagging.user_must_edit`` notice instead of its
text (PostSerializer ``cooked``); deleted posts are left out, so their numbers are missing. 2.x classes its "next
page" block ``topic-body crawler-post`` too: not a post. ``/t/ID/N`` is topic ID at post N (Slug.for never makes an
all-digit slug).

The topic JSON (``/t/slug/ID.json``, TopicViewSerializer: ``post_stream.posts`` then ``stream`` of all post ids,
``id``, ``title``, ``slug``, ``posts_count``; each post ``post_number``, ``reply_to_post_number``, ``username``,
``name``, ``created_at``, ``cooked``, ``actions_summary`` where id 2 is a like, ``cooked_hidden``, ``deleted_at``)
gives the real reply tree. A single post's JSON (``/posts/ID.json``, PostSerializer at the top level with
``topic_id`` and ``topic_slug``) gives that post alone: a partial capture of its page; so do windows that are no
page: the topic JSON at a post (``/t/slug/ID/N.json``), ``/t/ID/posts.json`` (no title; latest first with
``?post_number=N``) and a topic JSON without its address that does not start at post 1.
"""

from __future__ import annotations

import json
import re

from lxml import etree

from harvester.engines import toolkit
from harvester.engines.toolkit import Detection, Sign, first, has_class, text, x
from harvester.model import ParsedPage
from harvester.text import element_text, inner_html, linked

NAME = "discourse"
VERSION = "1.2.0"

# 2.x gives the "next page" navigation block the post classes too (topic-body crawler-post): not a post
POSTS = (f"/descendant::div[{has_class('crawler-post')}][not(@role='navigation')]"
         " | /descendant::div[contains(@itemtype,'DiscussionForumPosting')][div[@class='creator']]")
SIGNS = (
    Sign("generator meta Discourse", 10, "/html/head/meta[@name='generator'][starts-with(@content,'Discourse')]",
         needle="Discourse"),
    Sign("data-discourse-setup", 6, "id('data-discourse-setup')", needle="data-discourse-setup"),
    Sign("crawler-view posts (div.crawler-post)", 5, needle="crawler-post",
         xpath=f"(/descendant::div[{has_class('crawler-post')}])[1]"),
    Sign("1.x crawler-view posts (div.creator, b[itemprop=author])", 7, needle="creator",
         xpath="(/descendant::div[contains(@itemtype,'DiscussionForumPosting')]/div[@class='creator']"
               "//b[@itemprop='author'])[1]"),
    # Discourse's own post header (2.x on): still there when a page is saved without its head
    Sign("crawler post header (div.crawler-post-meta)", 3, needle="crawler-post-meta",
         xpath=f"(/descendant::div[{has_class('crawler-post')}]/div[{has_class('crawler-post-meta')}])[1]"),
    Sign("'Powered by Discourse'", 3, needle="discourse.org",
         xpath="/descendant::a[contains(@href,'discourse.org')][contains(., 'Discourse')]"),
)

X_AUTHOR = x("descendant::*[@itemprop='author']/descendant-or-self::*[@itemprop='name'][1]"
             " | descendant::b[@itemprop='author'][1]")
X_AUTHOR_LINK = x("descendant::*[@itemprop='author']//a[@href][1] | descendant::div[@class='creator']//a[@href][1]")
# 2.x+ span.creator[itemprop=author]; 1.x div.creator > span: the user's link, "(Full Name)", the time
X_CREATOR = x(f"(descendant::span[{has_class('creator')}][@itemprop='author'] | descendant::div[@class='creator']/span"
              "[a/b[@itemprop='author']])[1]")
X_PUBLISHED = x("(descendant::meta[@itemprop='datePublished'][@content]"
                " | descendant::time[@itemprop='datePublished'])[1]")
# the shown publication time: never the first post's dateModified (2.x prints that one and hides the other)
X_SHOWN_TIME = x(f"(descendant::time[@itemprop='datePublished'] | descendant::time[{has_class('post-time')}]"
                 "[not(@itemprop)])[1]")
X_POSITION = x("descendant::*[@itemprop='position'][1]")
X_BODY = x(f"descendant::div[{has_class('post')}][@itemprop='articleBody' or @itemprop='text'][1]")
X_LIKES = x("descendant::*[@itemprop='interactionStatistic'][meta[@itemprop='interactionType']"
            "[contains(@content,'LikeAction')]]/meta[@itemprop='userInteractionCount']/@content"
            " | descendant::meta[@itemprop='interactionCount'][starts-with(@content,'UserLikes:')]/@content")
X_LIKES_SHOWN = x(f"descendant::span[{has_class('post-likes')}][1]")
X_QUOTES = x("descendant::aside[contains(@class,'quote')][@data-username]")
X_TITLE = x(f"/descendant::h1[{has_class('crawler-topic-title')}] | /descendant::*[@id='topic-title']//h1"
            " | (/descendant::noscript//h1 | /descendant::div[@id='main-outlet']//h1)[1]")
X_OG_TITLE = x("/html/head/meta[@property='og:title']/@content")
X_CRUMBS = x("(id('breadcrumbs') | /descendant::*[contains(@itemtype,'BreadcrumbList')])[1]"
             "//*[@itemprop='name' or @itemprop='title']")
X_CANONICAL = x("/html/head/link[@rel='canonical']/@href")
# a page saved without its head still names its topic: the title's link, the posts' mainEntityOfPage
X_TOPIC_LINK = x("(id('topic-title')//h1//a/@href | /descendant::link[@itemprop='mainEntityOfPage']/@href)[1]")
X_NEXT = x("/html/head/link[@rel='next']/@href | /descendant::div[@role='navigation']//a[@rel='next']/@href")
X_PREV = x("/html/head/link[@rel='prev']/@href | /descendant::div[@role='navigation']//a[@rel='prev']/@href")
X_HIDDEN_NOTE = x("descendant::*[contains(., 'flagged by the community')]")

# /t/slug/ID/N or /t/ID/N: Slug.for never makes a slug of digits alone ("topic" instead), so /t/ID/N is no slug
_TOPIC = re.compile(r"/t/(?:(?!\d+/)[^/?#]*/)?(\d{1,12})(?:/(\d{1,7}))?")
_PAGE = re.compile(r"[?&]page=(\d{1,6})")


# The topic JSON (/t/slug/ID.json) starts with its post stream; a page that is that JSON is read as data.
_JSON_HEAD = re.compile(r'\A\s*\{\s*"post_stream"\s*:\s*\{')
# A single post (/posts/ID.json) starts with its id; its keys say what it is.
_POST_JSON_HEAD = re.compile(r'\A\s*\{\s*"id"\s*:\s*\d{1,12}\s*,')
_POST_JSON_KEYS = ('"post_number":', '"topic_id":', '"cooked":', '"avatar_template":')
# Either saved with its keys sorted (jq -S, json.dump(sort_keys=True), as GrimoireLab's Perceval keeps them): the
# post stream then comes late, so a topic is known by the serializer's first keys and two of its own
_SORTED_HEAD = re.compile(r'\A\s*\{\s*"(?:accepted_answer|actions_summary)"\s*:')
_SORTED_TOPIC_KEYS = ('"archetype":', '"chunk_size":')
CHUNK_SIZE = 20  # TopicView's posts per page (chunk_size): a post's page from its number


def _json_kind(text: str) -> str | None:
    head = text[:200]
    if _JSON_HEAD.match(head):
        return "topic"
    sorted_keys = _SORTED_HEAD.match(head)
    if sorted_keys and all(k in text[:8192] for k in _SORTED_TOPIC_KEYS):
        return "topic"
    if (sorted_keys or _POST_JSON_HEAD.match(head)) and all(k in text[:8192] for k in _POST_JSON_KEYS):
        return "post"
    return None


def score(doc) -> Detection:
    kind = _json_kind(doc.text)
    if kind:
        return Detection(NAME, 20, None, ["topic JSON (post_stream)" if kind == "topic" else "post JSON"])
    return toolkit.score(doc, NAME, SIGNS)


def parse(doc, zone=None, links: bool = True, records: bool = True) -> ParsedPage:
    """Records of one topic page (``records=False``: its id, url and crawl hints)."""
    if _json_kind(doc.text):
        return _parse_json(doc, zone, records)
    elements = x(POSTS)(doc.root)
    topic = _topic(doc)
    pages = [u for u in (doc.absolute(h) for h in X_NEXT(doc.root) + X_PREV(doc.root)) if u]
    hints = {"pages": list(dict.fromkeys(pages)),
             "threads": [], "listings": []}
    if not elements or topic is None:
        return ParsedPage(thread=None, posts=[], links=hints, skip_reason="Discourse page without a topic's posts")
    page_no = _page(doc.url)
    thread_id = f"t/{topic}"
    canonical = next(iter(X_CANONICAL(doc.root)), None)
    named = canonical or doc.url or next((u for u in X_TOPIC_LINK(doc.root) if _TOPIC.search(u)), None)
    thread_url = doc.absolute(_topic_url(named or f"/t/{topic}"))
    if thread_url and thread_url.startswith(("http://", "https://")):
        # the same page as JSON holds the reply tree the HTML lacks: a crawl takes it too
        hints["pages"].append(thread_url + ".json" + (f"?page={page_no + 1}" if page_no else ""))
    if not records:
        return ParsedPage(thread={"id": thread_id, "url": thread_url}, posts=[], links=hints, page_number=page_no)
    known = set(elements)
    for el in elements:  # a post swallowed by another's unclosed tag: detach it, whole
        if any(a in known for a in el.iterancestors()):
            toolkit.drop(el)
    # a page cut off inside its last post leaves that post without author and text: nothing of it was captured
    elements = [el for el in elements if first(el, X_BODY.path) is not None or first(el, X_AUTHOR.path) is not None]
    posts = [_post(doc, el, topic, thread_url, n) for n, el in enumerate(elements)]
    crumbs = [t for t in (text(c) for c in X_CRUMBS(doc.root)) if t]
    title = text(first(doc.root, X_TITLE.path)) or next(iter(X_OG_TITLE(doc.root)), None)
    has_next = bool(X_NEXT(doc.root))
    thread = {"id": thread_id, "url": thread_url, "title": title, "board": crumbs[-1] if crumbs else None,
              "reply_count": None, "extra": {"board_path": crumbs} if crumbs else {},
              "op_on_page": any(p["extra"].get("post_number") == 1 for p in posts)}
    for post in posts:
        post["extra"].pop("post_number", None)
    return toolkit.page(doc, zone, thread, posts, page_number=page_no,
                        pages_total=page_no + (2 if has_next else 1), links=hints)


def _post(doc, el, topic: str, thread_url: str, n: int) -> dict:
    number = _number(el)
    author = first(el, X_AUTHOR.path)
    link = first(el, X_AUTHOR_LINK.path)
    published = first(el, X_PUBLISHED.path)
    iso = (published.get("content") or published.get("datetime")) if published is not None else None
    shown = first(el, X_SHOWN_TIME.path)
    if iso is None and shown is not None:
        iso = shown.get("datetime")
    body = first(el, X_BODY.path)
    likes_raw = next(iter(X_LIKES(el)), None)
    likes = _int(likes_raw.split(":")[-1]) if likes_raw else None
    shown_likes = text(first(el, X_LIKES_SHOWN.path))
    if body is not None and not element_text(body):
        # a stray </div> at the start of the post closed div.post early: what a browser shows follows it
        escaped = toolkit.escaped_body(el.getroottree().getroot(), body, _is_furniture)
        body = escaped if escaped is not None else body
    linked_els = linked(body) if body is not None else []
    quotes = []
    for aside in X_QUOTES(body) if body is not None else ():
        # post numbers are per topic, so a quote of another topic names that topic's post: t/OTHER/N
        quoted_topic = aside.get("data-topic") or topic
        post_no = aside.get("data-post") or ""
        ok = post_no.isdigit() and len(post_no) < 8 and quoted_topic.isdigit() and len(quoted_topic) < 13
        quoted = first(aside, "blockquote")
        quotes.append({"author": aside.get("data-username"), "text": element_text(quoted) if quoted is not None else "",
                       "post_id": f"t/{quoted_topic}/{post_no}" if ok else None})
    username = _username(link)
    post = {
        "id": f"t/{topic}/{number}" if number else f"t/{topic}#{n + 1}",
        "url": f"{thread_url}/{number}" if number else thread_url,
        "title": None, "author_name": username or text(author), "author_id": username,
        "author_url": doc.absolute(link.get("href")) if link is not None else None,
        "published_raw": text(shown) or iso, "_iso": iso,
        "body_text": element_text(body) if body is not None else "",
        "body_html": inner_html(body, doc.absolute, linked_els) if body is not None else "",
        "links": toolkit.links(doc, linked_els), "quotes": quotes,
        "votes": likes, "votes_kind": "likes" if likes is not None else None, "votes_raw": shown_likes or likes_raw,
        "rating": None, "deleted": False, "extra": {"post_number": int(number) if number else None},
    }
    display = text(author)
    if display and username and display != username:
        post["extra"]["display_name"] = display
    elif (named := _bracketed_name(el)) and named != username:
        post["extra"]["display_name"] = named
    if body is not None and X_HIDDEN_NOTE(body) and len(post["body_text"]) < 200:
        # flagged by the community: the crawler view prints a notice instead of the text, a placeholder
        post["extra"]["state"] = "hidden"
        post["deleted"] = True
    return post


def _bracketed_name(el) -> str | None:
    """3.x prints the user's full name in brackets after the username link: ``user (Full Name)``."""
    creator = first(el, X_CREATOR.path)
    if creator is None:
        return None
    tail = "".join((child.tail or "") for child in creator).strip()
    m = re.fullmatch(r"\((.{1,200})\)", tail, re.S)
    return m.group(1).strip() if m else None


def _is_furniture(el) -> bool:
    """What follows a post's text inside the post: its counters, headline and link-back list."""
    classes = el.get("class") or ""
    return el.tag in ("meta", "footer", "nav") or el.get("itemprop") in ("interactionStatistic", "headline") \
        or "crawler-linkback-list" in classes or "crawler-post" in classes or el.get("role") == "navigation"


def _number(el) -> str | None:
    m = re.match(r"^post_(\d{1,7})$", el.get("id") or "")
    if m:
        return m.group(1)
    pos = first(el, X_POSITION.path)
    value = (pos.get("content") or text(pos) or "") if pos is not None else ""
    value = value.strip().lstrip("#")
    return value if value.isdigit() and len(value) < 8 else None


def _username(link) -> str | None:
    m = re.search(r"/u(?:sers)?/([^/?#]+)", link.get("href") or "") if link is not None else None
    return m.group(1) if m else None


def _int(value) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def _topic(doc) -> str | None:
    for url in (doc.url, *X_CANONICAL(doc.root), *X_TOPIC_LINK(doc.root)):
        m = _TOPIC.search(url or "")
        if m:
            return m.group(1)
    return None


def _topic_url(url: str) -> str:
    """The topic's own address from a page's: without the post number, the query, ``.json`` or ``/posts``."""
    url = re.sub(r"\.json$", "", url.split("#")[0].split("?")[0])
    m = _TOPIC.search(url)
    return url[:m.end(1)] if m else url


def _page(url: str | None) -> int:
    m = _PAGE.search(url or "")
    return max(int(m.group(1)) - 1, 0) if m else 0


SMALL_ACTION = 3  # Post.types[:small_action]


def _parse_json(doc, zone, records: bool) -> ParsedPage:
    """The topic JSON: post_stream.posts with post_number and reply_to_post_number, the real reply tree."""
    hints = {"pages": [], "threads": [], "listings": []}
    try:
        data = json.loads(doc.text)  # bounded by --max-page-mb; nesting beyond Python's limit is RecursionError
    except (ValueError, RecursionError):
        return ParsedPage(thread=None, posts=[], links=hints, skip_reason="Discourse topic JSON that does not parse")
    single = isinstance(data, dict) and "post_stream" not in data
    if single:  # /posts/ID.json: the post itself, naming its topic
        data = {"post_stream": {"posts": [data]}, "id": data.get("topic_id"), "slug": data.get("topic_slug")}
    raw = (data.get("post_stream") or {}).get("posts") if isinstance(data, dict) else None
    if isinstance(raw, list):  # /t/ID/posts.json?post_number=N lists the posts before N, latest first
        raw = sorted(raw, key=lambda i: i.get("post_number") if isinstance(i, dict)
                     and isinstance(i.get("post_number"), int) else 0)
    topic = str(data.get("id") or "") if isinstance(data, dict) else ""
    if not topic and isinstance(raw, list) and raw and isinstance(raw[0], dict):  # /t/ID/posts.json
        topic = str(raw[0].get("topic_id") or "")
    if not topic and doc.url:
        topic = _topic(doc) or ""
    if not isinstance(raw, list) or not raw or not topic.isdigit() or len(topic) > 12:
        return ParsedPage(thread=None, posts=[], links=hints, skip_reason="Discourse topic JSON without posts")
    slug = data.get("slug") if isinstance(data.get("slug"), str) else ""
    base = _topic_url(doc.url) if doc.url and not single else None
    path = f"/t/{slug}/{topic}" if slug else f"/t/{topic}"
    # the slug when the JSON names it: the address the topic's HTML gives itself
    thread_url = base if base and _TOPIC.search(base) and not slug else _site_url(doc, path)
    thread_id = f"t/{topic}"
    if not records:
        return ParsedPage(thread={"id": thread_id, "url": thread_url}, posts=[], links=hints)
    posts, depth_of = [], {}
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("post_number"), int):
            continue
        if item.get("post_type") == SMALL_ACTION:  # "closed the topic" and the like: events, not posts
            continue
        posts.append(_json_post(doc, item, topic, thread_url, depth_of))
    if not posts:
        return ParsedPage(thread=None, posts=[], links=hints, skip_reason="Discourse topic JSON without posts")
    first = int(posts[0]["id"].rsplit("/", 1)[1])
    thread = {"id": thread_id, "url": thread_url, "title": data.get("title") if isinstance(data.get("title"), str)
              else None, "board": None, "reply_count": _replies(data.get("posts_count")),
              "extra": {}, "op_on_page": first == 1}
    stream = (data.get("post_stream") or {}).get("stream")
    if isinstance(stream, list) and len(stream) > len(raw):  # the JSON holds the first posts; the rest by id
        thread["extra"]["incomplete"] = True
    # posts.json (no title: posts without their topic) and a topic JSON at a post (/t/ID/N.json, or saved
    # without its address) that does not start the topic: a window across pages, not a page of its own
    window = "title" not in data or (first != 1 and not _PAGE.search(doc.url or ""))
    if single or window:
        parsed = toolkit.page(doc, zone, thread, posts, page_number=(first - 1) // CHUNK_SIZE, links=hints)
        parsed.partial = True
        return parsed
    # ?page=N holds posts (N-1)*chunk_size+1 onward: a page of its own, never a later capture of the first
    count, chunk = _count(data.get("posts_count"), 1), _count(data.get("chunk_size"), 1)
    total = -(-count // chunk) if count and chunk else None
    return toolkit.page(doc, zone, thread, posts, page_number=_page(doc.url), pages_total=total, links=hints)


def _json_post(doc, item: dict, topic: str, thread_url: str, depth_of: dict) -> dict:
    number = item["post_number"]
    username = item.get("username") if isinstance(item.get("username"), str) else None
    reply_to = item.get("reply_to_post_number")
    # Discourse replies only to earlier posts: a later or non-positive number is damage and would make a cycle
    ok = isinstance(reply_to, int) and not isinstance(reply_to, bool) and 0 < reply_to < number
    parent = f"t/{topic}/{reply_to}" if ok else None
    depth = depth_of.get(reply_to, 0) + 1 if parent else 0  # a parent not in this page: one level down
    depth_of[number] = depth
    cooked = item.get("cooked") if isinstance(item.get("cooked"), str) else ""
    # each post's HTML is parsed alone, in a body of its own: a stray </div> in it cannot end it early
    root = etree.fromstring(f"<html><body>{cooked}</body></html>", etree.HTMLParser()) if cooked.strip() else None
    body = root.find("body") if root is not None else None
    linked_els = linked(body) if body is not None else []
    quotes = []
    for aside in X_QUOTES(body) if body is not None else ():
        quoted_topic, post_no = aside.get("data-topic") or topic, aside.get("data-post") or ""
        ok = post_no.isdigit() and len(post_no) < 8 and quoted_topic.isdigit() and len(quoted_topic) < 13
        quoted = first(aside, "blockquote")
        quotes.append({"author": aside.get("data-username"), "text": element_text(quoted) if quoted is not None else "",
                       "post_id": f"t/{quoted_topic}/{post_no}" if ok else None})
    likes = next((_count(a.get("count"), 0) for a in item.get("actions_summary") or ()
                  if isinstance(a, dict) and a.get("id") == 2), None)  # post action type 2 is "like"
    if likes is None:  # anonymous JSON lists only the actions someone took: none listed is none taken
        likes = _count(item.get("like_count"), 0) if "like_count" in item else \
            (0 if isinstance(item.get("actions_summary"), list) else None)
    created = item.get("created_at") if isinstance(item.get("created_at"), str) else None
    post = {
        "id": f"t/{topic}/{number}", "url": f"{thread_url}/{number}" if thread_url else None, "title": None,
        "author_name": username, "author_id": username,
        "author_url": _site_url(doc, f"/u/{username}") if username else None,
        "published_raw": created, "_iso": created,
        "body_text": element_text(body) if body is not None else "",
        "body_html": inner_html(body, doc.absolute, linked_els) if body is not None else "",
        "links": toolkit.links(doc, linked_els), "quotes": quotes,
        "votes": likes, "votes_kind": "likes" if likes is not None else None,
        "votes_raw": str(likes) if likes is not None else None, "rating": None,
        "deleted": bool(item.get("cooked_hidden") or item.get("deleted_at") or item.get("user_deleted")),
        "parent_id": parent, "depth": depth, "extra": {},
    }
    name = item.get("name")
    if isinstance(name, str) and name.strip() and name.strip() != username:
        post["extra"]["display_name"] = name.strip()[:200]
    if item.get("cooked_hidden"):
        post["extra"]["state"] = "hidden"
    elif item.get("deleted_at") or item.get("user_deleted"):
        post["extra"]["state"] = "deleted"
    return post


def _count(value, floor: int) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and floor <= value < 10**9 else None


def _replies(posts_count) -> int | None:
    """posts_count counts the opening post too."""
    n = _count(posts_count, 1)
    return n - 1 if n is not None else None


def _site_url(doc, path: str) -> str | None:
    """An absolute URL on the site, or None when the JSON came without its address (no --site-url)."""
    url = doc.absolute(path)
    return url if url and url.startswith(("http://", "https://")) else None
