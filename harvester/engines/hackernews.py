"""Hacker News item pages (news.ycombinator.com/item?id=N): the story and its comment tree.

Written from the markup of the open-source news.arc (anarki's apps/news/news.arc: comhead, subtext, morelink) and
the item pages the Wayback Machine holds from 2008 on: ``table.fatitem`` with the story row (``tr.athing#ID``,
``span.titleline``, older ``td.title > a``), the subtext (``span.score`` "N points", ``a.hnuser``,
``span.age[title]``), Ask/Show text in ``div.toptext``; comments ``tr.athing.comtr#ID`` whose depth is
``td.ind[indent]`` or, on older pages, the spacer image's width (40 px a level); the parent of a comment is the
nearest earlier comment one level up. Pages before 2014 have no classes on rows or user links: the story is the
``td.title`` row before ``td.subtext`` (``span#score_N``, the age as plain text), each comment a row around
``td.default`` (``span.comhead``, ``span.comment``), its id in the vote arrow (``up_N``) or its "link". Comment
scores are not shown to readers: only the story has votes.
Ids: a thread is ``item/N``, every post its own item id ``item/N``.
"""

from __future__ import annotations

import re

from harvester.engines import toolkit
from harvester.engines.toolkit import Detection, Sign, first, has_class, text, x
from harvester.model import ParsedPage
from harvester.text import element_text, inner_html, linked

NAME = "hackernews"
VERSION = "1.1.0"

SIGNS = (
    Sign("table#hnmain", 6, "id('hnmain')", needle="hnmain"),
    Sign("Hacker News name and y18 logo", 6, needle="Hacker News",
         xpath=f"/descendant::*[{has_class('hnname')}] | /descendant::img[contains(@src,'y18.')]"),
    Sign("comment rows (tr.athing.comtr)", 5, needle="comtr", xpath=f"(/descendant::tr[{has_class('comtr')}])[1]"),
    Sign("a.hnuser / vote?id= links", 3, needle="hnuser", xpath=f"(/descendant::a[{has_class('hnuser')}])[1]"),
    # 2008-2014 item pages: no classes on rows or user links; td.default holds the comment head and text
    Sign("comment heads in td.default with vote?for= arrows (before 2014)", 5, needle="comhead",
         xpath=f"(/descendant::td[{has_class('default')}][div/span[{has_class('comhead')}]]"
               f"[preceding-sibling::td/descendant::a[starts-with(@href,'vote?for=')]])[1]"),
    Sign("news.ycombinator.com links", 2, needle="ycombinator.com",
         xpath="/html/head/link[contains(@href,'news.ycombinator.com')]"
               " | /descendant::a[contains(@href,'news.ycombinator.com')][1]"),
)

X_STORY = x(f"(/descendant::table[{has_class('fatitem')}]/descendant::tr[{has_class('athing')}])[1]")
# 2008-2016 item pages have no table.fatitem: the story is the first title row (tr.athing from 2014) followed by
# its subtext row
X_STORY_OLD = x(f"(/descendant::tr[{has_class('athing')} or td[{has_class('title')}]/a]"
                f"[following-sibling::tr[1]/td[{has_class('subtext')}]])[1]")
X_TOPTEXT_OLD = x("tr[4]/td[2][not(form)][normalize-space()]")
X_TITLE_LINK = x(f"descendant::span[{has_class('titleline')}]/a[1] | td[{has_class('title')}]/a[1]")
X_SUBTEXT = x(f"following-sibling::tr[1]/td[{has_class('subtext')}]")
X_TOPTEXT = x(f"/descendant::table[{has_class('fatitem')}]/descendant::*[{has_class('toptext')}][1]"
              f" | /descendant::table[{has_class('fatitem')}]/tr[4]/td[2][not(form)][normalize-space()]")
X_COMMENTS = x(f"/descendant::tr[{has_class('comtr')}][@id]")
# 2015: comment rows are plain tr.athing without an id; the indent cell tells them from the story
X_COMMENTS_OLD = x(f"/descendant::tr[{has_class('athing')}][descendant::td[{has_class('ind')}]]")
# 2008-2014: a comment is the outer row around a table whose row holds the spacer, the arrows and td.default
X_COMMENTS_2013 = x(f"/descendant::td[{has_class('default')}][div/span[{has_class('comhead')}]]/ancestor::tr[2]")
X_ROW_ITEM = x("descendant::a[starts-with(@id,'up_')][1]/@id"
               " | descendant::span[starts-with(@id,'score_')][1]/@id"
               " | descendant::a[starts-with(@href,'item?id=')][1]/@href")
X_IND = x(f"descendant::td[{has_class('ind')}][1]")
X_SPACER = x(f"descendant::td[{has_class('ind')}][1]/img/@width"
             " | descendant::tr[1]/td[1][not(@class)]/img[contains(@src,'s.gif')]/@width")  # before 2014
X_HEAD = x(f"descendant::span[{has_class('comhead')}][1]")
X_USER = "descendant::a[@class='hnuser' or contains(@href,'user?id=')][1]"
X_AGE = x(f"descendant::span[{has_class('age')}][1]")
# the comment's text: div.commtext (2020 on), span.commtext or, before, the colour span in div.comment
X_TEXT = x(f"(descendant::*[{has_class('commtext')}] | descendant::span[string-length(normalize-space(@class))=3]"
           f"[starts-with(@class,'c')] | descendant::span[{has_class('comment')}])[1]")
X_MORE = x(f"/descendant::a[{has_class('morelink')}][contains(@href,'item?id=')]/@href")
# before 2014 "More" was a one-time link (/x?fnid=...) that expires: it says the page is not the whole thread, but
# is no address to crawl
X_MORE_FNID = x("/descendant::a[normalize-space()='More'][contains(@href,'x?fnid=')][1]")
X_CANONICAL = x("/html/head/link[@rel='canonical']/@href")

_ITEM = re.compile(r"item\?id=(\d{1,12})")
_PAGE = re.compile(r"[?&](?:amp;)?p=(\d{1,6})")
_EPOCH_AFTER = re.compile(r"^(\S+T\S+)\s+\d+$")  # "2023-03-01T14:02:11 1677679331"
_COMMENTS = re.compile(r"(\d[\d,]*)\s*comments?", re.I)
_AGO = re.compile(r"\b(\d{1,6} (?:second|minute|hour|day|week|month|year)s? ago)\b")
_GONE = ("[deleted]", "[dead]", "[flagged]")


def score(doc) -> Detection:
    return toolkit.score(doc, NAME, SIGNS)


def parse(doc, zone=None, links: bool = True, records: bool = True) -> ParsedPage:
    """Records of one item page (``records=False``: its id, url and crawl hints)."""
    story = first(doc.root, X_STORY.path)
    old = story is None
    if old:
        story = first(doc.root, X_STORY_OLD.path)
    item = _item_id(doc, story)
    more = [doc.absolute(h) for h in X_MORE(doc.root)]
    if story is None or item is None:
        return ParsedPage(thread=None, posts=[], links={"pages": [], "threads": [], "listings": []},
                          skip_reason="Hacker News page without an item (a listing or another page)")
    page_no = _page(doc.url)
    thread_id = f"item/{item}"
    thread_url = doc.absolute(f"item?id={item}")
    hints = {"pages": [u for u in more if u], "threads": [], "listings": []}
    if not records:
        return ParsedPage(thread={"id": thread_id, "url": thread_url}, posts=[], links=hints, page_number=page_no)
    op = _story(doc, story, thread_id, thread_url, old)
    on_comment = op["title"] is None  # a comment's own page: the comments below reply to it
    posts = [op]
    last_at: dict[int, str] = {}
    rows = X_COMMENTS(doc.root) or (X_COMMENTS_OLD(doc.root) or X_COMMENTS_2013(doc.root) if old else [])
    for row in rows:
        if row is story:  # a comment's own page: its fatitem row is the opening post
            continue
        depth = _depth(row)
        post = _comment(doc, row)
        parent = last_at.get(depth - 1) if depth > 0 else op["id"] if on_comment else None
        if depth > 0 and parent is None:
            post["extra"]["parent_unknown"] = True  # its parent is on an earlier "More" page
        post.update(thread_id=thread_id, depth=depth + on_comment, parent_id=parent)
        last_at[depth] = post["id"]
        for deeper in [d for d in last_at if d > depth]:
            del last_at[deeper]
        posts.append(post)
    extra: dict = {}
    later = bool(more) or first(doc.root, X_MORE_FNID.path) is not None
    if later:
        extra["incomplete"] = True  # "More": the rest of the comments are on the next page
    subtext = first(story, X_SUBTEXT.path)
    m = _COMMENTS.search((text(subtext) or "").replace("\u00a0", " "))
    thread = {"id": thread_id, "url": thread_url, "title": op["title"], "board": None,
              "reply_count": int(m.group(1).replace(",", "")) if m else None, "extra": extra,
              "op_on_page": True}
    return toolkit.page(doc, zone, thread, posts, page_number=page_no,
                        pages_total=page_no + 2 if later else page_no + 1, links=hints)


def _story(doc, row, thread_id: str, thread_url: str, old: bool = False) -> dict:
    """The story (or, on a comment's own page, that comment): title, link, points, author, time, text."""
    title_link = first(row, X_TITLE_LINK.path)
    subtext = first(row, X_SUBTEXT.path)
    is_comment = "comtr" in (row.get("class") or "").split() or title_link is None
    meta = subtext if subtext is not None else row
    body = first(doc.root, X_TOPTEXT.path) if not is_comment else first(row, X_TEXT.path)
    if body is None and old and not is_comment:  # the Ask/Show text row under the subtext, without fatitem
        body = first(row.getparent(), X_TOPTEXT_OLD.path)
    user = first(meta, X_USER)
    raw, iso = _age(first(meta, X_AGE.path)) if first(meta, X_AGE.path) is not None else _age_link(meta)
    score_el = first(meta, f"descendant::span[{has_class('score')} or starts-with(@id,'score_')]")
    votes = toolkit.count(text(score_el))
    linked_els = linked(body) if body is not None else []
    body_text = element_text(body) if body is not None else ""
    post = {
        "id": thread_id, "url": thread_url,
        "title": text(title_link) if not is_comment else None,
        "author_name": text(user), "author_id": text(user),
        "author_url": doc.absolute(user.get("href")) if user is not None else None,
        "published_raw": raw, "_iso": iso,
        "body_text": body_text,
        "body_html": inner_html(body, doc.absolute, linked_els) if body is not None else "",
        "links": toolkit.links(doc, linked_els), "quotes": [],
        "votes": votes, "votes_kind": "points" if votes is not None else None, "votes_raw": text(score_el),
        "rating": None, "deleted": False, "extra": {}, "parent_id": None, "depth": 0,
    }
    href = title_link.get("href") if title_link is not None else None
    own = _ITEM.search(href or "")
    if href and not (own and own.group(1) == thread_id.split("/")[-1]):  # Ask HN links to itself (saved pages
        post["extra"]["story_url"] = doc.absolute(href)  # may hold it made absolute)
    return post


def _comment(doc, row) -> dict:
    head = first(row, X_HEAD.path)
    user = first(head, X_USER) if head is not None else None
    age = first(row, X_AGE.path)
    raw, iso = _age(age) if age is not None or head is None else _age_link(head)
    body = first(row, X_TEXT.path)
    for reply in body.iterdescendants("div") if body is not None else ():
        if "reply" in (reply.get("class") or "").split():
            toolkit.drop(reply)  # older pages put the reply link inside the comment text
            break
    linked_els = linked(body) if body is not None else []
    body_text = element_text(body) if body is not None else ""
    shown = (text(head) or "") + " " + body_text[:12]
    state = next((g.strip("[]") for g in _GONE if g in shown), None)
    item = row.get("id") or _row_item(row)
    post = {
        "id": f"item/{item}", "url": doc.absolute(f"item?id={item}"), "title": None,
        "author_name": text(user), "author_id": text(user),
        "author_url": doc.absolute(user.get("href")) if user is not None else None,
        "published_raw": raw, "_iso": iso, "body_text": body_text,
        "body_html": inner_html(body, doc.absolute, linked_els) if body is not None else "",
        "links": toolkit.links(doc, linked_els), "quotes": [], "votes": None, "votes_kind": None,
        "votes_raw": None, "rating": None, "deleted": state == "deleted" or (user is None and not body_text),
        "extra": {"state": state} if state else {},
    }
    return post


def _age(el) -> tuple[str | None, str | None]:
    """(shown time, ISO time): span.age's title is the UTC time (newer pages append the epoch)."""
    if el is None:
        return None, None
    title = (el.get("title") or "").strip()
    m = _EPOCH_AFTER.match(title)
    iso = m.group(1) if m else title if "T" in title else None
    if iso and not iso.endswith("Z") and "+" not in iso[10:]:
        iso += "Z"  # HN prints UTC without saying so
    return text(el), iso


def _age_link(meta) -> tuple[str | None, str | None]:
    """2015 pages print the age as the item link's text ("24 minutes ago"), without span.age or a title; earlier
    pages as plain text after the user's link ("368 days ago  | link")."""
    link = first(meta, "descendant::a[starts-with(@href,'item?id=')][1]")
    shown = text(link)
    if shown and "ago" in shown:
        return shown, None
    printed = _AGO.search(text(meta) or "")
    return (printed.group(1), None) if printed else (None, None)


def _row_item(row) -> str | None:
    """The item id of a row without an id attribute: its vote arrow (up_N), score (score_N) or item link."""
    for value in X_ROW_ITEM(row):
        m = re.search(r"(\d{1,12})$", value)
        if m:
            return m.group(1)
    return None


def _depth(row) -> int:
    ind = first(row, X_IND.path)
    if ind is not None and (ind.get("indent") or "").isdigit():
        return min(int(ind.get("indent")), 500)
    widths = X_SPACER(row)
    return min(int(widths[0]) // 40, 500) if widths and widths[0].isdigit() else 0


def _item_id(doc, story) -> str | None:
    for url in (doc.url, *X_CANONICAL(doc.root)):
        m = _ITEM.search(url or "")
        if m:
            return m.group(1)
    if story is None:
        return None
    if (story.get("id") or "").isdigit():
        return story.get("id")
    subtext = first(story, X_SUBTEXT.path)
    return _row_item(story) or (_row_item(subtext) if subtext is not None else None)


def _page(url: str | None) -> int:
    m = _PAGE.search(url or "")
    return max(int(m.group(1)) - 1, 0) if m and "item?" in (url or "") else 0
