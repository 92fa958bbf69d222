"""Invision Community 4.x and 5.x and IP.Board 3.x topic pages (forums app), board listings for crawling.

Written from Invision Community 4's front templates (forums/dev/html/front/topics: topic.phtml,
postContainer.phtml, post.phtml) and the markup of 4.x and 5.x topic pages: ``body[data-pageapp=forums]
[data-pagecontroller=topic][data-pageid=TID]``, posts ``article#elComment_ID`` (``cPost ipsComment`` in 4,
``ipsEntry`` in 5), the author in ``aside.cAuthorPane h3.cAuthorPane_author`` (4) or ``.ipsEntry__username`` (5)
linked to ``/profile/N-name/``, ``time[datetime]`` in the post's meta, the body ``div[data-role=commentContent]``
with the edit line ``span[data-excludequote]`` inside it, reactions ``li.ipsReact_reactCount`` (or the total
``ipsReact_reactCountOnly``), quotes ``blockquote.ipsQuote`` whose ``data-ipsquote-contentcommentid`` is the
quoted post, pages ``/page/N/`` with ``ul.ipsPagination[data-pages]``. Boards are flat; quotes carry the links.
Ids: a topic is ``topic/T``, a post its comment id.

IP.Board 3.x (3.0 to 3.4) is a second layout, written from its skin templates: skin_topic (``post``,
``softDeletedPostBit``, ``topicViewTemplate``), skin_global (``userHoverCard``, ``userInfoPane``,
``paginationTemplate``, ``globalTemplate``'s breadcrumb and copyright) and skin_global_other (``repButtons``),
and from scrapers of IP.Board 3 pages that read the same markup. ``body#ipboard_body``; posts
``div.post_block#post_id_PID`` (with an ``a#entryPID`` anchor); the author in the post's ``h3``:
``span.author.vcard`` with the ``userHoverCard`` link (``showuser=N`` or ``/user/N-name/``), a guest's bare
name in ``h3.guest``; the date ``p.posted_info abbr.published[title]`` (``date('c')``, ISO with offset); the body
``div.post.entry-content`` with the edit note ``p.edit`` at its end; likes ``div.ipsLikeBar
li.ipsLikeBar_info`` ("A, B and 2 others like this") or reputation ``div.rep_bar span.reputation`` (both shown
only to members), else the points every post passes to ``ipb.global.registerReputation``; quotes
``blockquote.ipsBlockquote[data-author][data-cid]`` (3.4) or ``p.citation`` with its ``a.snapback`` to
``pid=N`` before ``div.blockquote`` (3.0-3.3); a soft-deleted post (``div#postsDelete_PID``, the "Deleted by"
note); the pager ``div.pagination`` with ``li.pagejump`` ("Page 2 of 5") and ``li.page.active``; topic URLs
``showtopic=T`` (``&st=N``) and ``/topic/T-slug/`` (``/page__st__N``, ``/page-N``); the title
``h1.ipsType_pagetitle``; the breadcrumb ``ol.breadcrumb`` (``#breadcrumb``). Threads are ``topic/T`` as in 4.x
and 5.x, so captures of a board before and after its upgrade merge.
"""

from __future__ import annotations

import re

from harvester.engines import toolkit
from harvester.engines.toolkit import Detection, Layout, Sign, first, has_class, text, x
from harvester.model import ParsedPage
from harvester.text import element_text

NAME = "invision"
VERSION = "1.1.0"

POST = "/descendant::article[starts-with(@id,'elComment_')]"
SIGNS = (
    Sign("body[data-pageapp=forums][data-pagecontroller=topic]", 8,
         "/html/body[@data-pageapp='forums'][@data-pagecontroller='topic']",
         needle="data-page"),  # the template writes data-pageApp/data-pageController; lxml lowers them
    Sign("'Invision Community' footer link", 8, needle="Invision",
         xpath="/descendant::a[@title='Invision Community' or contains(@href,'invisioncommunity.com')"
               " or contains(@href,'invisionpower.com')]"),
    Sign("article#elComment_N posts", 5, needle="elComment_", xpath=f"({POST})[1]"),
    # inside every 4.x/5.x post: what still names the software in a page cut down to its posts (no head, no footer)
    Sign("posts' comment controller (data-controller=core.front.core.comment)", 5, needle="core.front.core.comment",
         xpath=f"({POST}//div[@data-controller='core.front.core.comment'][@data-commentid])[1]"),
    Sign("ips* classes (ipsApp, ipsLayout)", 3, needle="ipsApp",
         xpath="/html/body[contains(@class,'ipsApp')] | /html[contains(@class,'ipsApp')]"),
    Sign("IP.Board 3 body#ipboard_body", 5, needle="ipboard_body", xpath="/html/body[@id='ipboard_body']",
         version="3"),
    Sign("IP.Board 3 div.post_block#post_id_N posts", 5, needle="post_id_", version="3",
         xpath=f"(/descendant::div[{has_class('post_block')}][starts-with(@id,'post_id_')])[1]"),
    Sign("IP.Board 3 ipb.vars script", 3, needle="ipb.vars",
         xpath="(/html/head/script[contains(.,'ipb.vars[')])[1]"),
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
POST_3 = f"/descendant::div[{has_class('post_block')}][starts-with(@id,'post_id_')]"
_H3 = f"descendant::div[{has_class('post_wrap')}][1]/h3[1]"
_CITATION = f"preceding-sibling::*[1][self::p][{has_class('citation')}]"
LAYOUT_3 = Layout(
    post=POST_3,
    post_id="@id", post_id_re=r"^post_id_(\d+)$",
    permalink=f"{_H3}/span[{has_class('post_id')}]/a[@href]",
    author=f"{_H3}/span[{has_class('author')}]/descendant::a[@href][1]"
           f" | {_H3}/span[{has_class('author')}][not(descendant::a)]"
           f" | {_H3}[{has_class('guest')}]/text()[normalize-space()][1]",
    profile_id_re=r"(?:[?&]showuser=|/user/)(\d+)",
    date=f"descendant::p[{has_class('posted_info')}]/abbr[{has_class('published')}]",
    date_attrs=("title",),
    body=f"descendant::div[{has_class('post_body')}]/div[{has_class('entry-content')}][1]",
    edited=f"descendant::div[{has_class('entry-content')}]/p[{has_class('edit')}][1]",
    quote=f"descendant::blockquote[{has_class('ipsBlockquote')}] | descendant::div[{has_class('blockquote')}]",
    quote_author=f"@data-author | {_CITATION}",
    quote_author_re=r"^(.+?)(?:,\s[^,]*\d.*)?$",  # "X, on 04 March 2012 - 09:12 PM, said:" (3.0-3.3)
    quote_post_id=f"@data-cid | {_CITATION}/a[{has_class('snapback')}]/@href",
    quote_post_id_re=r"(?:^|[?&]pid=)(\d+)",
    guest=f"{_H3}[{has_class('guest')}]",
    deleted="descendant::div[starts-with(@id,'postsDelete_')]",
    facts=(("user_title", f"descendant::div[{has_class('user_details')}]//p[{has_class('member_title')}]"),
           ("avatar_url", f"descendant::div[{has_class('user_details')}]//li[{has_class('avatar')}]//img"),
           ("post_count_shown", f"descendant::div[{has_class('user_details')}]//li[{has_class('post_count')}]")),
)
FURNITURE_3 = toolkit.furniture(frozenset(("ipsLikeBar", "rep_bar", "signature", "post_controls")))
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
X_NESTED_3 = x(f"descendant::div[{has_class('post_block')}][starts-with(@id,'post_id_')]")
X_LIKES_3 = x(f"descendant::div[{has_class('ipsLikeBar')}]//li[{has_class('ipsLikeBar_info')}]")
X_REP_3 = x(f"descendant::div[{has_class('rep_bar')}]//span[{has_class('reputation')}]")
X_REP_SCRIPT_3 = x("descendant::script[contains(.,'registerReputation')]")
X_TITLE_3 = x(f"/descendant::h1[{has_class('ipsType_pagetitle')}][1]")
X_CRUMBS_3 = x(f"(/descendant::ol[{has_class('breadcrumb')}] | /descendant::*[@id='breadcrumb'])[1]//a[@href]")
X_PAGER_3 = x(f"(/descendant::div[{has_class('pagination')}])[1]")
X_PAGER_ACTIVE_3 = x(f"descendant::li[{has_class('page')}][{has_class('active')}]")
X_REPLIES_3 = x(f"(/descendant::div[{has_class('maintitle')}]/span[{has_class('ipsType_small')}])[1]")
X_TOPIC_SCRIPT_3 = x("(/descendant::script[contains(.,'ipb.topic.topic_id')])[1]")
_REP_POINTS = re.compile(r"registerReputation\(\s*'rep_post_\d{1,12}'[^)]{0,400}?parseInt\(\s*'(-?\d{1,9})'")
_SIGNED = re.compile(r"-?\d{1,9}")
_TOPIC_3 = re.compile(r"[?&]showtopic=(\d{1,12})|/topic/(\d{1,12})-")
_PAGE_3 = re.compile(r"/page-(\d{1,6})/?$|/page__st__(\d{1,9})")
_FORUM_3 = re.compile(r"[?&]showforum=\d{1,9}(?:&st=\d{1,9})?$"
                      r"|/forum/\d{1,9}-[^/?#]*/?(?:page-\d{1,6}|page__st__\d{1,9})?/?$")

_TOPIC = re.compile(r"/topic/(\d{1,12})-[^/?#]*(?:/page/(\d{1,6}))?")
_FORUM = re.compile(r"/forum/\d{1,9}-[^/?#]*/?(?:page/\d{1,6}/?)?$")


def score(doc) -> Detection:
    return toolkit.score(doc, NAME, SIGNS)


def parse(doc, zone=None, links: bool = True, records: bool = True) -> ParsedPage:
    """Records of one topic page (``records=False``: its id, url and crawl hints)."""
    if "post_id_" in doc.text and x(POST_3)(doc.root):
        return _parse_3(doc, zone, links, records)
    elements = x(LAYOUT.post)(doc.root)
    topic, url_page = _topic(doc, elements)
    hints = _crawl_links(doc, topic if elements else None) if links or not elements else {}
    if not elements or topic is None:
        reason = ("Invision listing page, no posts" if hints.get("threads") else
                  "Invision page without a topic id" if elements else "Invision page without posts")
        return ParsedPage(thread=None, posts=[], links=hints, skip_reason=reason)
    current, total = _pager(doc)
    page_no = (current or url_page or 1) - 1
    canonical = next(iter(X_CANONICAL(doc.root)), None) or doc.url or _permalink(elements)
    thread_url = doc.absolute(re.sub(r"page/\d+/?$", "", canonical.split("?")[0].split("#")[0]))
    if not records:
        return ParsedPage(thread={"id": f"topic/{topic}", "url": thread_url}, posts=[], links=hints,
                          page_number=page_no)
    posts = []
    for el, post in toolkit.read_elements(doc, elements, LAYOUT, X_NESTED, FURNITURE):
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


def _topic(doc, elements) -> tuple[str | None, int | None]:
    """(topic id, page in the URL): the page URL or canonical link, the body's data-pageid, else the first post's
    permalink (``/topic/T-slug/?do=findComment&comment=N``, which names no page), as in a page cut to its posts."""
    for url in (doc.url, *X_CANONICAL(doc.root)):
        m = _TOPIC.search(url or "")
        if m:
            return m.group(1), int(m.group(2)) if m.group(2) else None
    page_id = next(iter(X_BODY_PAGE(doc.root)), None)
    if page_id and page_id.isdigit():
        return page_id, None
    m = _TOPIC.search(_permalink(elements))
    return (m.group(1), None) if m else (None, None)


def _permalink(elements) -> str:
    link = first(elements[0], LAYOUT.permalink) if elements else None
    return (link.get("href") or "") if link is not None else ""


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


# --- IP.Board 3.x ------------------------------------------------------------------------------------
def _parse_3(doc, zone, links: bool, records: bool) -> ParsedPage:
    """One IP.Board 3 topic page: the same records as 4.x/5.x, from the 3.x skin's markup."""
    elements = x(LAYOUT_3.post)(doc.root)
    topic = _topic_3(doc)
    canonical = next(iter(X_CANONICAL(doc.root)), None) or doc.url or ""
    hints = _crawl_links_3(doc, topic) if links else {}
    if topic is None:
        return ParsedPage(thread=None, posts=[], links=hints, skip_reason="IP.Board 3 page without a topic id")
    current, total = _pager_3(doc)
    shown = next((m for m in (_PAGE_3.search(u.split("#")[0]) for u in (doc.url or "", canonical)) if m), None)
    page_no = (current or (int(shown.group(1)) if shown and shown.group(1) else 1)) - 1
    thread_url = doc.absolute(_thread_url_3(canonical))
    if not records:
        return ParsedPage(thread={"id": f"topic/{topic}", "url": thread_url}, posts=[], links=hints,
                          page_number=page_no)
    posts = []
    for el, post in toolkit.read_elements(doc, elements, LAYOUT_3, X_NESTED_3, FURNITURE_3):
        _finish_3(el, post)
        if not post["url"] and post["id"]:  # a soft-deleted post shows no permalink; its entry anchor remains
            post["url"] = doc.absolute(f"{canonical.split('#')[0]}#entry{post['id']}") if canonical else None
        posts.append(post)
    crumbs = toolkit.breadcrumb(doc, X_CRUMBS_3.path)
    boards = [(name, url) for name, url in crumbs if url and _FORUM_3.search(url.split("#")[0])]
    extra: dict = {"board_path": [name for name, _url in boards]}
    if boards:
        extra["board_url"] = boards[-1][1]
    thread = {"id": f"topic/{topic}", "url": thread_url, "title": text(first(doc.root, X_TITLE_3.path)),
              "board": boards[-1][0] if boards else None, "extra": extra, "op_on_page": page_no == 0,
              "reply_count": toolkit.count(text(first(doc.root, X_REPLIES_3.path)))}  # "4 replies to this topic"
    return toolkit.page(doc, zone, thread, posts, page_number=page_no, pages_total=total, links=hints)


def _finish_3(el, post: dict) -> None:
    """Likes or reputation as votes, the soft-deleted note, moderation state."""
    likes = first(el, X_LIKES_3.path)
    rep = first(el, X_REP_3.path) if likes is None else None
    if likes is not None:  # "A, B and 2 others like this"; an empty (hidden) line is no likes yet
        post["votes_raw"] = text(likes)
        post["votes"] = toolkit.people_count(post["votes_raw"]) or 0
        post["votes_kind"] = "likes"
    elif rep is not None and _SIGNED.search(text(rep) or ""):
        post["votes_raw"] = text(rep)
        post["votes"] = int(_SIGNED.search(post["votes_raw"]).group(0))
        post["votes_kind"] = "score"
    else:  # visitors see no bar, but every post hands its points to the reputation script
        script = first(el, X_REP_SCRIPT_3.path)
        points = _REP_POINTS.search(script.text or "") if script is not None else None
        if points:
            post["votes"], post["votes_kind"], post["votes_raw"] = int(points.group(1)), "points", None
    if post["deleted"]:
        post["extra"]["deleted_note"] = toolkit.squash(post["body_text"]) or None
        post["extra"]["state"] = "deleted"
        post.update(body_text="", body_html="", links=[], quotes=[])
    elif "moderated" in (el.get("class") or "").split():
        post["extra"]["state"] = "moderated"
    if post["extra"].get("anonymous"):
        post.pop("author_facts", None)


def _topic_3(doc) -> str | None:
    for url in (doc.url, *X_CANONICAL(doc.root)):
        m = _TOPIC_3.search(url or "")
        if m:
            return m.group(1) or m.group(2)
    script = first(doc.root, X_TOPIC_SCRIPT_3.path)
    return toolkit.match(script.text if script is not None else None, r"ipb\.topic\.topic_id\s*=\s*(\d{1,12})\b")


def _thread_url_3(url: str) -> str:
    """The topic's first page: without ``#entryN``, ``/page-N``, ``/page__st__N`` or ``st=N``."""
    url = url.split("#")[0]
    url = re.sub(r"/page(?:-\d{1,6}|__[^/?#]*)/?$", "/", url)
    return re.sub(r"[?&]st=\d{1,9}(?=&|$)", "", url)


def _pager_3(doc) -> tuple[int | None, int | None]:
    """(current, total) from the pager's "Page 2 of 5" (any language), else its active page."""
    pager = first(doc.root, X_PAGER_3.path)
    if pager is None:
        return None, None
    current, total = toolkit.page_of(text(first(pager, f"descendant::li[{has_class('pagejump')}]")))
    if current is None:
        active = text(first(pager, X_PAGER_ACTIVE_3.path)) or ""
        current = int(active) if active.isdigit() and len(active) < 7 else None
    return current, total


def _crawl_links_3(doc, topic: str | None) -> dict[str, list[str]]:
    """The topic's other pages from its pager (links of the same topic only)."""
    pager = first(doc.root, X_PAGER_3.path)
    if pager is None or topic is None:
        return {"pages": [], "threads": [], "listings": []}

    def same_topic(url: str) -> bool:
        m = _TOPIC_3.search(url)
        return bool(m) and (m.group(1) or m.group(2)) == topic

    here = (doc.url or "").split("#")[0]
    pages = toolkit.unique_links(doc, (a for a in pager.iter("a") if (a.get("href") or "#")[:1] != "#"),
                                 keep=same_topic)
    pages = list(dict.fromkeys(u.split("#")[0] for u in pages))
    return {"pages": [u for u in pages if u != here], "threads": [], "listings": []}
