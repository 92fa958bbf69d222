"""FluxBB 1.2-1.5 and PunBB 1.2 topic pages (viewtopic.php), board listings for crawling.

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
"""

from __future__ import annotations

import re

from harvester.engines import toolkit
from harvester.engines.toolkit import Detection, Layout, Sign, first, has_class, text, x
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

_TOPIC = re.compile(r"viewtopic\.php\?(?:[^#]*&(?:amp;)?)?id=(\d+)|[?&](?:amp;)?tid=(\d+)")
_PAGE = re.compile(r"[?&](?:amp;)?p=(\d+)")
_FORUM = re.compile(r"viewforum\.php\?(?:[^#]*&(?:amp;)?)?id=(\d+)")


def score(doc) -> Detection:
    return toolkit.score(doc, NAME, SIGNS)


def parse(doc, zone=None, links: bool = True, records: bool = True) -> ParsedPage:
    """Records of one topic page (``records=False``: only its id, url and crawl hints)."""
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
        m = _TOPIC.search(url or "")
        if m:
            return m.group(1) or m.group(2)
    return None


def _pager(doc) -> tuple[int | None, int | None]:
    """(current page, pages) from p.pagelink: "Pages: 1 2 3 Next" with the current page in ``strong``."""
    pager = first(doc.root, X_PAGER.path)
    if pager is None:
        return None, None
    current = next((int(t) for t in (text(s) or "" for s in pager.iter("strong")) if t.isdigit()), None)
    numbers = [int(t) for t in (text(a) or "" for a in pager.iter("a")) if t.isdigit() and len(t) < 7]
    return current, max(numbers + ([current] if current else []), default=None)


def _crawl_links(doc, topic: str | None) -> dict[str, list[str]]:
    """The topic's other pages (pager), or on listings the topics (first pages) and the forums' pages."""
    if topic is not None:
        pager = first(doc.root, X_PAGER.path)
        pages = toolkit.unique_links(doc, pager.iter("a") if pager is not None else (),
                                     keep=lambda u: _topic_of(u) == topic) if pager is not None else []
        return {"pages": pages, "threads": [], "listings": []}
    anchors = X_ALL_LINKS(doc.root)
    threads = toolkit.unique_links(doc, anchors, keep=lambda u: _topic_of(u) is not None and "viewtopic" in u
                                   and "pid=" not in u and "action=" not in u and not _PAGE.search(u))
    listings = toolkit.unique_links(doc, anchors, keep=lambda u: bool(_FORUM.search(u)))
    return {"pages": [], "threads": threads, "listings": listings}


def _topic_of(url: str) -> str | None:
    m = _TOPIC.search(url or "")
    return (m.group(1) or m.group(2)) if m else None
