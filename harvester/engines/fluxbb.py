"""FluxBB 1.2-1.5 and PunBB 1.2-1.4 topic pages (viewtopic.php), board listings for crawling.

Written from FluxBB's viewtopic.php, include/parser.php and include/functions.php (paginate, generate_crumbs,
format_time) on its 1.5 master and its 1.2 branch, which is the PunBB 1.2 code base. Posts are
``div#pID.blockpost`` (``firstpost`` on the opening post), the header's link to ``viewtopic.php?pid=ID#pID``
carries the date as printed (format_time: "Today"/"Yesterday" or the board's format, default
``Y-m-d H:i:s``), the author is ``div.postleft dt strong`` (linked to ``profile.php?id=N`` for members), the body
``div.postmsg`` (1.4+ also gives the signature that class) with the edit note ``p.postedit`` inside it. Boards
are flat and their quotes name no post ("X wrote:" in ``div.quotebox > cite`` from 1.4, ``div.incqbox > h4`` in
1.2). The breadcrumb is ``ul.crumbs`` in the released 1.4 and 1.5 (viewtopic.php writes it; the last crumb links the
topic, ``a > strong``), ``ol.crumbs`` on master (generate_crumbs), a plain ``ul`` in 1.2's ``div.linkst``. Ids: a
topic is ``tN``, a post its number.

PunBB 1.3 and 1.4 are a rewrite with other markup, read by a second layout from punbb/punbb's viewtopic.php,
header.php, include/functions.php (generate_crumbs, paginate, format_time, forum_link), include/parser.php,
include/url/*/forum_urls.php and lang/English/*.php at tags 1.3.6, v1.4 and v1.4.2 (and punbb/langs for Russian).
The page is ``div#brd-viewtopic.brd-page`` inside ``div#brd-wrap``; a post is ``div.post`` (``topicpost`` on the
opening post, ``replypost`` on the others) whose ``div.posthead#pID`` holds ``h3.post-ident``: ``span.post-num``
(position), ``span.post-byline`` ("<span>Topic by </span>NAME": a profile link for members, ``strong`` for
guests), ``span.post-link > a.permalink`` (format_time, as above) and from 1.4.2 ``span.post-edit`` "(edited by
X DATE)"; 1.3 to 1.4.1 write the edit note as ``p.lastedit > em`` "Last edited by X (DATE)" in the body. The body is
``div.entry-content`` with the signature ``div.sig-content``; ``h4.entry-title`` is "Topic: SUBJECT" or "Re:
SUBJECT". Members have ``li.userstatus`` (Online/Offline) in ``ul.author-ident``, guests do not. Quotes are
``div.quotebox > cite`` "X wrote:" + ``blockquote``, with no post id. The crumbs are ``#brd-crumbs-top span.crumb``
(the topic's crumb linked in 1.3, plain from 1.4), the title ``h1.main-title > a.permalink`` (after "[ Closed ]"
when closed), the pager ``p.paging`` (current page in ``strong``), the topic's post count in ``span.item-info``
("Posts: 1 to 25 of 30"). Every href is absolute (forum_link), in one of
five URL schemes: ``viewtopic.php?id=T&p=N`` (default), ``topic/T/[slug/]page/N/`` (folder based),
``topicT[-slug][-pN].html`` (file based); profiles ``profile.php?id=U``, ``user/U/``, ``userU.html``. Forks of
1.3 (Flazy) put the ``pID`` id on ``div.post``; some themes link the number and print the date unlinked.
"""

from __future__ import annotations

import re

from harvester.engines import toolkit
from harvester.engines.toolkit import Detection, Layout, Sign, first, has_class, squash, text, x
from harvester.model import ParsedPage

NAME = "fluxbb"
VERSION = "1.1.0"

POST = f"/descendant::div[{has_class('blockpost')}][starts-with(@id,'p')]"
SIGNS = (
    Sign("div#punviewtopic.pun (page wrapper)", 10, "/html/body/div[@id='punviewtopic'] | id('punviewtopic')",
         needle="punviewtopic"),
    Sign("'Powered by FluxBB/PunBB' credit", 10, needle="Powered by",
         xpath="/descendant::a[contains(@href,'fluxbb.org') or contains(@href,'punbb.org')"
               " or contains(@href,'punbb.informer.com')]"),
    Sign("div.blockpost posts with #N headers", 6, needle="blockpost",
         xpath=f"({POST})[1][h2/span/span[{has_class('conr')}]]"),
    Sign("div.linkst / p.pagelink", 2, needle="pagelink", xpath=f"/descendant::p[{has_class('pagelink')}]"),
    # PunBB 1.3/1.4: header.php writes <div id="brd-PAGE" class="brd-page TYPE"> inside div#brd-wrap.brd
    Sign("div#brd-wrap > div.brd-page (PunBB 1.3/1.4 page)", 10, needle="brd-page",
         xpath=f"id('brd-wrap')/div[{has_class('brd-page')}][starts-with(@id,'brd-')]"),
    Sign("div.post > div.posthead#pN with span.post-byline (PunBB 1.3/1.4 posts)", 6, needle="post-byline",
         xpath=f"(/descendant::div[{has_class('post')}][div[{has_class('posthead')}][starts-with(@id,'p')]"
               f" or starts-with(@id,'p')])[1]/div[{has_class('posthead')}]/h3/span[{has_class('post-byline')}]"),
)

_AUTHOR = f"descendant::div[{has_class('postleft')}]/dl/dt/strong"
LAYOUT = Layout(
    post=POST,
    post_id="@id", post_id_re=r"^p(\d+)$",
    title="descendant::h3[1]",
    permalink="h2/span/a[contains(@href,'pid=')]",
    author=f"{_AUTHOR}/a[contains(@href,'profile.php')] | {_AUTHOR}[not(a)]",
    profile_id_re=r"[?&]id=(\d+)",
    date="h2/span/a[contains(@href,'pid=')]",
    date_attrs=(),
    body=f"descendant::div[{has_class('postmsg')}][not({has_class('postsignature')})]",
    edited=f"descendant::p[{has_class('postedit')}]",
    quote=f"descendant::div[{has_class('quotebox')}] | descendant::blockquote[div[{has_class('incqbox')}]]",
    quote_author="cite | div/h4",
    quote_author_re=r"^(.+?)\s+\S+:?$",  # "NAME wrote:" in the board's language
    guest=f"{_AUTHOR}[not(a)]",
    facts=(("user_title", f"descendant::div[{has_class('postleft')}]/dl/dd[{has_class('usertitle')}]"),
           ("avatar_url", f"descendant::dd[{has_class('postavatar')}]//img"),
           ("post_count_shown", f"descendant::div[{has_class('postleft')}]/dl/dd[not(@class)]"
                                "[contains(., ':')][position() = last()]"),
           ("location", f"descendant::div[{has_class('postleft')}]/dl/dd[not(@class)][contains(., ':')][1]")),
    facts_re=(("location", r"^\s*(?:From|Von|De|Da|Desde|Z|Uit|Från)\s*:\s*(.+)$"),
              ("post_count_shown", r"^\s*[^\d:]{1,30}:\s*([\d,.\s\u00a0]+)$")),
)
FURNITURE = toolkit.furniture(frozenset(("postsignature", "postfoot", "postfootleft", "postfootright", "postedit",
                                         "clearer", "postleft")))

# PunBB 1.3/1.4 (a second layout: see the module docstring)
_HEAD14 = f"div[{has_class('posthead')}]"
# the id is on div.posthead in PunBB; forks (Flazy) move it to div.post
_POST_14 = f"div[{has_class('post')}][{_HEAD14}][starts-with(@id,'p') or {_HEAD14}[starts-with(@id,'p')]]"
POST_14 = f"/descendant::{_POST_14}"
_BYLINE = f"{_HEAD14}/h3/span[{has_class('post-byline')}]"
_POST_LINK = f"{_HEAD14}/h3/span[{has_class('post-link')}]"
# a theme may link the post number instead and print the date unlinked
_PERMALINK14 = f"{_POST_LINK}/a | {_HEAD14}/h3/span[{has_class('post-num')}]/a[contains(@href,'p')]"
_INFO14 = f"div[{has_class('postbody')}]/div[{has_class('post-author')}]/ul[{has_class('author-info')}]"
_IDENT14 = f"div[{has_class('postbody')}]/div[{has_class('post-author')}]/ul[{has_class('author-ident')}]"
LAYOUT_14 = Layout(
    post=POST_14,
    post_id=f"{_HEAD14}/@id[starts-with(.,'p')] | @id[starts-with(.,'p')]", post_id_re=r"^p(\d+)$",
    title=f"descendant::h4[{has_class('entry-title')}]",
    permalink=_PERMALINK14,
    author=f"{_BYLINE}/a | {_BYLINE}/strong",  # "<span>Topic by </span>NAME"
    profile_id_re=r"(?:[?&](?:amp;)?id=|/user/?)(\d+)",  # profile.php?id=U, user/U/, userU.html (linear)
    date=f"{_POST_LINK}/a | {_POST_LINK}[not(a)]",
    date_attrs=(),
    body=f"descendant::div[{has_class('entry-content')}]",
    junk=f"descendant::div[{has_class('sig-content')}]",
    # 1.4.2+: span.post-edit in the header; 1.3-1.4.1: p.lastedit in the body (removed from it when read)
    edited=f"{_HEAD14}/h3/span[{has_class('post-edit')}]"
           f" | descendant::div[{has_class('entry-content')}]/p[{has_class('lastedit')}]",
    quote=f"descendant::div[{has_class('quotebox')}]",
    quote_author="cite",
    quote_author_re=r"^(.+?)\s+\S+:?$",  # "NAME wrote:" / "NAME пишет:"
    # members (poster_id > 1) get li.userstatus (Online/Offline) and, when visitors may view profiles, a link
    guest=f"not({_IDENT14}/li[{has_class('userstatus')}]) and not({_BYLINE}/a)",
    facts=(("user_title", f"{_IDENT14}/li[{has_class('usertitle')}]"),
           ("avatar_url", f"{_IDENT14}/li[{has_class('useravatar')}]//img"),
           # From, Registered, Posts in that order (then admin-only lines): the count is the last all-number one
           ("post_count_shown", f"{_INFO14}/li[span/strong[translate(normalize-space(), '0123456789,. \u00a0', '')"
                                " = ''][not(contains(substring-after(., '.'), '.'))]][last()]"),
           ("location", f"{_INFO14}/li[1]")),
    facts_re=(("location", r"^\s*(?:From|Von|De|Da|Desde|Z|Uit|Från|Откуда)\s*:\s*(.+)$"),
              ("post_count_shown", r"^\s*[^\d:]{1,30}:\s*([\d,.\s\u00a0]+)$")),
)
FURNITURE_14 = toolkit.furniture(frozenset(("sig-content", "lastedit", "postfoot", "post-options", "post-author")))
X_POSTS_14 = x(POST_14)
X_NESTED_14 = x(f"descendant::{_POST_14}")
_CRUMB14 = f"id('brd-crumbs-top')/p/span[{has_class('crumb')}]"
X_CRUMBS_14 = x(f"{_CRUMB14}[not({has_class('crumbfirst')})][not({has_class('crumblast')})]/a")
X_CRUMB_LAST_14 = x(f"{_CRUMB14}[{has_class('crumblast')}]")
X_MAIN_TITLE = x(f"/descendant::h1[{has_class('main-title')}][1]")
X_PAGER_14 = x(f"(/descendant::p[{has_class('paging')}])[1]")
# generate_items_info above the posts: "Posts: 1 to 25 of 30" / "Сообщений [ с 1 по 25 из 30 ]" / "Posts: 4"
X_ITEMS_14 = x(f"(/descendant::div[{has_class('main-head')}]/h2/span/span[{has_class('item-info')}])[1]")
# where the page names its topic: the title's permalink, the feed links, the reply link, the pager
X_TOPIC_SOURCES_14 = x(f"/descendant::h1[{has_class('main-title')}]/a[{has_class('permalink')}]/@href"
                       " | /html/head/link[@rel='alternate' or @rel='canonical' or @rel='first']/@href"
                       f" | /descendant::p[{has_class('posting')}]/a/@href"
                       f" | /descendant::p[{has_class('paging')}]/a/@href")

_CRUMBS = f"(/descendant::*[self::ol or self::ul][{has_class('crumbs')}])[1]"
X_CRUMBS = x(f"{_CRUMBS}/li//a | (/descendant::div[{has_class('linkst')}])[1]/div/ul/li/a")
X_CRUMB_LAST = x(f"{_CRUMBS}/li[last()]")
X_PAGER = x(f"(/descendant::p[{has_class('pagelink')}])[1]")
X_ALL_LINKS = x("/descendant::a[@href]")
# where a page without its URL names its topic; the pager's links are the topic's own pages (a closed topic on a
# 1.2 board shows no reply link and no crumb to itself, only "Pages: 1 2")
X_TOPIC_SOURCES = x("/html/head/link[@rel='canonical' or @rel='alternate']/@href"
                    " | /descendant::a[contains(@href,'post.php?tid=')]/@href"
                    f" | /descendant::*[self::ol or self::ul][{has_class('crumbs')}]/li"
                    "/descendant::a[contains(@href,'viewtopic.php')]/@href"
                    f" | /descendant::p[{has_class('pagelink')}]/a[contains(@href,'viewtopic.php')]/@href")
X_NESTED = x(f"descendant::div[{has_class('blockpost')}][starts-with(@id,'p')]")
# "Topic closed" where the reply link would be (a moderator sees "Topic closed / Post reply"); 1.2 also writes
# p.postlink with only &nbsp; for a visitor who may not reply (guests, by default) to an open topic: no lock
X_CLOSED = x(f"/descendant::p[{has_class('postlink')}][text()[normalize-space(translate(., '\u00a0', ' '))]]"
             f" | /descendant::p[{has_class('closedtopic')}]")

# the topic in its URL schemes: viewtopic.php?id=T, post.php?tid=T and feeds' tid=T, and PunBB 1.3/1.4's SEF schemes
# (topic/T/, topicT.html, new/reply/T/, new-replyT.html, feed/rss/topic/T/, feed-rss-topicT.xml)
# (the parameters before id= are bounded: an unbounded [^#]* is quadratic on a hostile href repeating "viewtopic.php?")
_TOPIC = re.compile(r"viewtopic\.php\?(?:[^#]{0,300}?&(?:amp;)?)?id=(\d+)|[?&](?:amp;)?tid=(\d+)"
                    r"|/(?:topic/|new/reply/|feed/(?:rss|atom)/topic/)(\d+)/"
                    r"|/(?:topic|new-reply|feed-(?:rss|atom)-topic)(\d+)(?:-[^/?#]*)?\.(?:html|xml)(?:[?#]|$)")
_PAGE = re.compile(r"[?&](?:amp;)?p=(\d+)|/page/(\d+)/|-p(\d+)\.html")
_FORUM = re.compile(r"viewforum\.php\?(?:[^#]{0,300}?&(?:amp;)?)?id=(\d+)|/forum/(\d+)/|/forum(\d+)(?:-[^/?#]*)?\.html")
# URLs of a topic that are not its pages: post permalinks, replies, quotes, feeds, actions
_NOT_PAGE = re.compile(r"pid=|action=|/post/\d|/post\d+\.html|new/reply|new-reply|feed|tid=|extern\.php")


def score(doc) -> Detection:
    found = toolkit.score(doc, NAME, SIGNS)
    if any("PunBB 1.3/1.4" in sign for sign in found.signs):
        found.version = _punbb_version(doc)
    return found


def _punbb_version(doc) -> str:
    """1.3 links Oxygen_cs.css (style/Oxygen/Oxygen.php), 1.4 Oxygen.min.css through forum_loader and from 1.4.2
    writes the edit note as span.post-edit; other styles and unedited pages leave it open."""
    page = doc.text
    if "/Oxygen.min.css" in page or 'class="post-edit"' in page:
        return "PunBB 1.4"
    if "/Oxygen_cs.css" in page:
        return "PunBB 1.3"
    return "PunBB 1.3/1.4"


def parse(doc, zone=None, links: bool = True, records: bool = True) -> ParsedPage:
    """Records of one topic page (``records=False``: only its id, url and crawl hints)."""
    elements = X_POSTS_14(doc.root)
    if elements:
        return _parse_14(doc, elements, zone, links, records)
    elements = x(LAYOUT.post)(doc.root)
    topic = _topic(doc)
    hints = _crawl_links(doc, topic if elements else None) if links or not elements else {}
    if not elements or topic is None:
        reason = "FluxBB listing page, no posts" if hints.get("threads") else "FluxBB page without posts"
        return ParsedPage(thread=None, posts=[], links=hints, skip_reason=reason)
    current, pages_total = _pager(doc)
    page_no = (current or 1) - 1
    thread_url = doc.absolute(f"viewtopic.php?id={topic}")
    if not records:
        return ParsedPage(thread={"id": f"t{topic}", "url": thread_url}, posts=[], links=hints, page_number=page_no)
    posts = []
    for el, post in toolkit.read_elements(doc, elements, LAYOUT, X_NESTED, FURNITURE):
        _finish(post, el)
        posts.append(post)
    crumbs = toolkit.breadcrumb(doc, X_CRUMBS.path)
    board_path = [name for name, url in crumbs if url and "viewforum" in url]
    board_url = next((url for _name, url in reversed(crumbs) if url and "viewforum" in url), None)
    extra: dict = {"board_path": board_path}
    if board_url:
        extra["board_url"] = board_url
    if X_CLOSED(doc.root):
        extra["locked"] = True
    title = text(first(doc.root, X_CRUMB_LAST.path)) or (posts[0]["title"] if posts else None)
    if title and crumbs and title.startswith("»"):
        title = title.lstrip("» \u00a0") or None
    op_on_page = any("firstpost" in (el.get("class") or "").split() for el in elements)
    thread = {"id": f"t{topic}", "url": thread_url, "title": title,
              "board": board_path[-1] if board_path else None, "reply_count": None, "extra": extra,
              "op_on_page": op_on_page}
    return toolkit.page(doc, zone, thread, posts, page_number=page_no, pages_total=pages_total, links=hints)


def _parse_14(doc, elements: list, zone, links: bool, records: bool) -> ParsedPage:
    """A PunBB 1.3/1.4 topic page."""
    topic = _topic_14(doc)
    hints = _crawl_links(doc, topic, X_PAGER_14) if links else {}
    if topic is None:
        return ParsedPage(thread=None, posts=[], links=hints, skip_reason="PunBB page without its topic id")
    current, pages_total = _pager(doc, X_PAGER_14)
    if current is None:  # a theme without the pager: "(Page 2 of 3)" after the title
        current, pages_total = toolkit.page_of(text(first(doc.root, X_MAIN_TITLE.path)))
    page_no = (current or 1) - 1
    title_el = first(doc.root, X_MAIN_TITLE.path)
    permalink = first(title_el, f"a[{has_class('permalink')}]")
    thread_url = (doc.absolute(permalink.get("href")) if permalink is not None and _topic_of(permalink.get("href"))
                  == topic else doc.absolute(f"viewtopic.php?id={topic}"))
    if not records:
        return ParsedPage(thread={"id": f"t{topic}", "url": thread_url}, posts=[], links=hints, page_number=page_no)
    crumbs = toolkit.breadcrumb(doc, X_CRUMBS_14.path)
    # the forums between the index and the topic (1.3 links the topic's own crumb too: not a board)
    boards = [(name, url) for name, url in crumbs if _topic_of(url or "") is None]
    title = text(permalink)
    if not title:
        last = first(doc.root, X_CRUMB_LAST_14.path)
        title = squash("".join(last.xpath("text() | a//text()"))) if last is not None else None
    posts = []
    for _el, post in toolkit.read_elements(doc, elements, LAYOUT_14, X_NESTED_14, FURNITURE_14):
        _finish_14(post, title)
        posts.append(post)
    extra: dict = {"board_path": [name for name, _url in boards]}
    if boards and boards[-1][1]:
        extra["board_url"] = boards[-1][1]
    # "[ Closed ] " before the title's link (lang_topic 'Topic closed', any language)
    if permalink is not None and squash("".join(permalink.xpath("preceding-sibling::text()"))):
        extra["locked"] = True
    op_on_page = any("topicpost" in (el.get("class") or "").split() for el in elements)
    thread = {"id": f"t{topic}", "url": thread_url, "title": title or (posts[0]["title"] if posts else None),
              "board": boards[-1][0] if boards else None, "reply_count": _replies_14(doc), "extra": extra,
              "op_on_page": op_on_page}
    return toolkit.page(doc, zone, thread, posts, page_number=page_no, pages_total=pages_total, links=hints)


def _replies_14(doc) -> int | None:
    """The topic's posts as the page counts them, less the opening post: the largest number of the items line
    (first, last and total in the board's order: the total is the largest)."""
    found = first(doc.root, X_ITEMS_14.path)
    numbers = [toolkit.count(n) for n in re.findall(r"\d[\d,.\u00a0\u202f ]{0,20}", text(found) or "")]
    total = max((n for n in numbers if n is not None), default=None)
    return total - 1 if total else None


def _finish_14(post: dict, topic_title: str | None) -> None:
    """The edit note as "NAME (DATE)" or "NAME DATE", the subject without "Topic: "/"Re: ", no facts for guests."""
    edited = post["extra"].get("edited")
    if edited:
        note = edited.strip()
        if note.startswith("(") and note.endswith(")"):  # 1.4.2+: "(edited by X DATE)"
            note = note[1:-1].strip()
        m = re.match(r"^\s*\S.*?\s+(?:by|von|par|por|da|door|av)\s+(.+)$", note, re.I)
        # a language whose note has no "by" ("Отредактированно X (DATE)"): the label is the first word
        post["extra"]["edited"] = m.group(1) if m else (note.split(None, 1)[1] if " " in note else note)
    elif "edited" in post["extra"]:
        post["extra"].pop("edited")
    subject = post["title"]
    if subject and topic_title and subject.endswith(topic_title):
        post["title"] = topic_title  # lang_topic 'Topic title' / 'Reply title' around the topic's subject
    elif subject:
        post["title"] = re.sub(r"^\s*Re:\s*", "", subject) or None
    if post["extra"].get("anonymous"):
        post.pop("author_facts", None)


def _topic_14(doc) -> str | None:
    """The topic id: the page URL, else the title's permalink, the feed links, the reply link or the pager."""
    for url in (doc.url, *X_TOPIC_SOURCES_14(doc.root)):
        found = _topic_of(url)
        if found and not (url == doc.url and re.search(r"pid=|/post/|/post\d", url)):
            return found
    return None


def _finish(post: dict, el) -> None:
    """The edit note without its label, the "Re: " off reply subjects, no facts for guests."""
    edited = post["extra"].get("edited")
    if edited:
        m = re.match(r"^\s*\S.*?\s+(?:by|von|par|por|da|door|av)\s+(.+)$", edited, re.I)
        post["extra"]["edited"] = m.group(1) if m else edited
    elif "edited" in post["extra"]:
        post["extra"].pop("edited")
    if post["title"]:
        post["title"] = re.sub(r"^\s*Re:\s*", "", post["title"]) or None
    if post["extra"].get("anonymous"):
        post.pop("author_facts", None)  # a guest's only "fact" is the word Guest in the board's language


def _topic(doc) -> str | None:
    """The topic id: the page URL (``viewtopic.php?id=N``), else the canonical or feed link, the reply link
    (``post.php?tid=N``), the last breadcrumb or the pager (a ``?pid=`` URL names a post, not the topic)."""
    for url in (doc.url, *X_TOPIC_SOURCES(doc.root)):
        found = _topic_of(url)
        if found:
            return found
    return None


def _pager(doc, expr=X_PAGER) -> tuple[int | None, int | None]:
    """(current page, pages) from p.pagelink (PunBB 1.3/1.4: p.paging): "Pages: 1 2 3 Next" with the current
    page in ``strong``."""
    pager = first(doc.root, expr.path)
    if pager is None:
        return None, None
    current = next((int(t) for t in (text(s) or "" for s in pager.iter("strong")) if t.isdigit()), None)
    numbers = [int(t) for t in (text(a) or "" for a in pager.iter("a")) if t.isdigit() and len(t) < 7]
    return current, max(numbers + ([current] if current else []), default=None)


def _crawl_links(doc, topic: str | None, pager_expr=X_PAGER) -> dict[str, list[str]]:
    """The topic's other pages (pager), or on listings the topics (first pages) and the forums' pages."""
    if topic is not None:
        pager = first(doc.root, pager_expr.path)
        pages = toolkit.unique_links(doc, pager.iter("a") if pager is not None else (),
                                     keep=lambda u: _topic_of(u) == topic) if pager is not None else []
        return {"pages": pages, "threads": [], "listings": []}
    anchors = X_ALL_LINKS(doc.root)
    threads = toolkit.unique_links(doc, anchors, keep=lambda u: _topic_of(u) is not None and "tid=" not in u
                                   and not _NOT_PAGE.search(u) and not _PAGE.search(u))
    listings = toolkit.unique_links(doc, anchors, keep=lambda u: bool(_FORUM.search(u)))
    return {"pages": [], "threads": threads, "listings": listings}


def _topic_of(url: str | None) -> str | None:
    m = _TOPIC.search(url or "")
    return next((g for g in m.groups() if g), None) if m else None
