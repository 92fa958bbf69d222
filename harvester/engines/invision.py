"""Invision Community 4.x and 5.x topic pages (forums app), board listings for crawling.

Written from Invision Community 4's front templates (forums/dev/html/front/topics: topic.phtml,
postContainer.phtml, post.phtml) and the markup of 4.x and 5.x topic pages: ``body[data-pageapp=forums]
[data-pagecontroller=topic][data-pageid=TID]``, posts ``article#elComment_ID`` (``cPost ipsComment`` in 4,
``ipsEntry`` in 5), the author in ``aside.cAuthorPane h3.cAuthorPane_author`` (4) or ``.ipsEntry__username`` (5)
linked to ``/profile/N-name/``, ``time[datetime]`` in the post's meta, the body ``div[data-role=commentContent]``
with the edit line ``span[data-excludequote]`` inside it, reactions ``li.ipsReact_reactCount`` (or the total
``ipsReact_reactCountOnly``), quotes ``blockquote.ipsQuote`` whose ``data-ipsquote-contentcommentid`` is the
quoted post, pages ``/page/N/`` with ``ul.ipsPagination[data-pages]``. Boards are flat; quotes carry the links.
Ids: a topic is ``topic/T``, a post its comment id.
"""

from __future__ import annotations

import re

from harvester.engines import toolkit
from harvester.engines.toolkit import Detection, Layout, Sign, first, has_class, text, x
from harvester.model import ParsedPage
from harvester.text import element_text

NAME = "invision"
VERSION = "1.0.0"

POST = "/descendant::article[starts-with(@id,'elComment_')]"
SIGNS = (
    Sign("body[data-pageapp=forums][data-pagecontroller=topic]", 8,
         "/html/body[@data-pageapp='forums'][@data-pagecontroller='topic']", needle="data-pagecontroller"),
    Sign("'Invision Community' footer link", 8, needle="Invision",
         xpath="/descendant::a[@title='Invision Community' or contains(@href,'invisioncommunity.com')"
               " or contains(@href,'invisionpower.com')]"),
    Sign("article#elComment_N posts", 5, needle="elComment_", xpath=f"({POST})[1]"),
    Sign("ips* classes (ipsApp, ipsLayout)", 3, needle="ipsApp",
         xpath="/html/body[contains(@class,'ipsApp')] | /html[contains(@class,'ipsApp')]"),
)

_AUTHOR = (f"descendant::*[{has_class('cAuthorPane_author')} or {has_class('ipsEntry__username')}]"
           "[not(ancestor::*[contains(@class,'cAuthorPane_mobile')])][1]")
LAYOUT = Layout(
    post=POST,
    post_id="@id", post_id_re=r"^elComment_(\d+)$",
    permalink=f"(descendant::*[{has_class('ipsComment_meta')} or {has_class('ipsEntry__header')}"
              f" or {has_class('ipsEntry__meta')}]//a[contains(@href,'comment=')])[1]",
    author=f"{_AUTHOR}//a[contains(@href,'/profile/')][1] | {_AUTHOR}[not(.//a)]",
    profile_id_re=r"/profile/(\d+)-",
    date=f"(descendant::*[{has_class('ipsComment_meta')} or {has_class('ipsEntry__header')}"
         f" or {has_class('ipsEntry__meta')}]//time[@datetime])[1]",
    date_attrs=("datetime",),
    body="descendant::div[@data-role='commentContent'][1]",
    junk="descendant::*[@data-role='memberSignature']",
    edited="descendant::div[@data-role='commentContent']//span[@data-excludequote][1]",
    quote=f"descendant::blockquote[{has_class('ipsQuote')}]",
    quote_author="@data-ipsquote-username",
    quote_post_id="@data-ipsquote-contentcommentid",
    guest=f"{_AUTHOR}[not(.//a)]",
    facts=(("user_title", f"descendant::aside[{has_class('cAuthorPane')}]//li[@data-role='group']"),
           ("avatar_url", f"descendant::aside[{has_class('cAuthorPane')}]//li[{has_class('cAuthorPane_photo')}]//img"),
           ("post_count_shown", f"descendant::aside[{has_class('cAuthorPane')}]//li[{has_class('ipsType_light')}]")),
)
FURNITURE = toolkit.furniture(frozenset(("ipsItemControls", "ipsComment_controls", "cPost_contentWrap",
                                         "ipsEntry__footer", "ipsReact", "ipsComment_meta")))

X_REACTIONS = x(f"descendant::ul[{has_class('ipsReact_reactions')}]/li[{has_class('ipsReact_reactCount')}]"
                f" | descendant::*[{has_class('ipsReact_reactCountOnly')}]")
X_QUOTE_CONTENTS = x(f"div[{has_class('ipsQuote_contents')}]")
X_TITLE = x(f"/descendant::h1[{has_class('ipsType_pageTitle')} or {has_class('ipsPageHeader__title')}][1]")
X_CRUMBS = x("(/descendant::*[@data-role='breadcrumbList'])[1]/li/a[@href]")
X_TIME_LONG = x(f"span[{has_class('ipsTime__long')}]")
X_PAGER = x(f"(/descendant::ul[{has_class('ipsPagination')}][@data-pages])[1]")
X_BODY_PAGE = x("/html/body[@data-pagecontroller='topic']/@data-pageid"
                " | /html/body[@data-pagecontroller='topic']/@data-id")
X_CANONICAL = x("/html/head/link[@rel='canonical']/@href")
X_ALL_LINKS = x("/descendant::a[@href]")
X_NESTED = x("descendant::article[starts-with(@id,'elComment_')]")

_TOPIC = re.compile(r"/topic/(\d{1,12})-[^/?#]*(?:/page/(\d{1,6}))?")
_FORUM = re.compile(r"/forum/\d{1,9}-[^/?#]*/?(?:page/\d{1,6}/?)?$")


def score(doc) -> Detection:
    return toolkit.score(doc, NAME, SIGNS)


def parse(doc, zone=None, links: bool = True, records: bool = True) -> ParsedPage:
    """Records of one topic page (``records=False``: its id, url and crawl hints)."""
    elements = x(LAYOUT.post)(doc.root)
    topic, url_page = _topic(doc)
    hints = _crawl_links(doc, topic if elements else None) if links or not elements else {}
    if not elements or topic is None:
        reason = "Invision listing page, no posts" if hints.get("threads") else "Invision page without posts"
        return ParsedPage(thread=None, posts=[], links=hints, skip_reason=reason)
    current, total = _pager(doc)
    page_no = (current or url_page or 1) - 1
    canonical = next(iter(X_CANONICAL(doc.root)), None) or doc.url or ""
    thread_url = doc.absolute(re.sub(r"page/\d+/?$", "", canonical.split("?")[0].split("#")[0]))
    if not records:
        return ParsedPage(thread={"id": f"topic/{topic}", "url": thread_url}, posts=[], links=hints,
                          page_number=page_no)
    posts = []
    for el in elements:
        for inner in X_NESTED(el) if len(elements) > 1 else ():  # posts an unclosed tag pushed into this one
            toolkit.drop(inner)
        post = toolkit.read_post(doc, el, LAYOUT)
        if not post["body_text"]:
            toolkit.recover_body(doc, el, post, LAYOUT, FURNITURE)
        _finish(el, post)
        posts.append(post)
    crumbs = toolkit.breadcrumb(doc, X_CRUMBS.path)
    board_path = [name for name, url in crumbs if url and "/forum/" in url]
    extra: dict = {"board_path": board_path}
    if crumbs and board_path:
        extra["board_url"] = next(url for name, url in reversed(crumbs) if url and "/forum/" in url)
    thread = {"id": f"topic/{topic}", "url": thread_url, "title": text(first(doc.root, X_TITLE.path)),
              "board": board_path[-1] if board_path else None, "reply_count": None, "extra": extra,
              "op_on_page": page_no == 0}
    return toolkit.page(doc, zone, thread, posts, page_number=page_no, pages_total=total, links=hints)


def _finish(el, post: dict) -> None:
    """Reactions, the edit line's words, quotes without their citation line, moderation states, and the long
    form of a 5.x date (its time element holds both "5. Januar" and the short age "9 T")."""
    when = first(el, LAYOUT.date)
    long_form = first(when, X_TIME_LONG.path) if when is not None else None
    if long_form is not None:
        post["published_raw"] = text(long_form)
    reactions = X_REACTIONS(el)
    if reactions:
        counts = [toolkit.count(text(r)) for r in reactions]
        post["votes"] = sum(c for c in counts if c is not None)
        post["votes_kind"] = "reactions"
        post["votes_raw"] = " ".join(filter(None, (text(r) for r in reactions)))
    for quote, q in zip(post["quotes"], toolkit.x(LAYOUT.quote)(first(el, LAYOUT.body)) if
                        first(el, LAYOUT.body) is not None else (), strict=False):
        contents = first(q, X_QUOTE_CONTENTS.path)
        if contents is not None:
            quote["text"] = element_text(contents)
    if post["extra"].get("edited") is None:
        post["extra"].pop("edited", None)
    classes = (el.get("class") or "").split()
    if "ipsModerated" in classes:
        post["extra"]["state"] = "moderated"
    if post["extra"].get("anonymous"):
        post.pop("author_facts", None)


def _topic(doc) -> tuple[str | None, int | None]:
    for url in (doc.url, *X_CANONICAL(doc.root)):
        m = _TOPIC.search(url or "")
        if m:
            return m.group(1), int(m.group(2)) if m.group(2) else None
    page_id = next(iter(X_BODY_PAGE(doc.root)), None)
    return (page_id, None) if page_id and page_id.isdigit() else (None, None)


def _pager(doc) -> tuple[int | None, int | None]:
    pager = first(doc.root, X_PAGER.path)
    if pager is None:
        return None, None
    total = pager.get("data-pages")
    active = first(pager, f"li[{has_class('ipsPagination_active')}]")
    current = text(active) or ""
    return (int(current) if current.isdigit() and len(current) < 7 else None,
            int(total) if total and total.isdigit() and len(total) < 7 else None)


def _crawl_links(doc, topic: str | None) -> dict[str, list[str]]:
    anchors = X_ALL_LINKS(doc.root)
    if topic is not None:
        pager = first(doc.root, X_PAGER.path)
        pages = toolkit.unique_links(doc, pager.iter("a") if pager is not None else (),
                                     keep=lambda u: (_TOPIC.search(u) or [None, None])[1] == topic) \
            if pager is not None else []
        here = (doc.url or "").split("#")[0]
        pages = list(dict.fromkeys(u.split("#")[0] for u in pages))
        return {"pages": [u for u in pages if u != here], "threads": [], "listings": []}
    threads = toolkit.unique_links(doc, anchors, keep=lambda u: bool(_TOPIC.search(u)) and "/page/" not in u
                                   and "?do=" not in u and "comment=" not in u)
    listings = toolkit.unique_links(doc, anchors, keep=lambda u: bool(_FORUM.search(u.split("?")[0])))
    return {"pages": [], "threads": threads, "listings": listings}
