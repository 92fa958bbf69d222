"""Vanilla Forums 2.x discussion pages (``/discussion/ID/slug/pN``), category listings for crawling.

Written from Vanilla's views (applications/vanilla/views/discussion: discussion.php and helper_functions.php's
writeComment, library/core/functions.render.php's userAnchor and dateUpdated, Gdn_Format::date's ``time``
output, the Quotes plugin): the opening post ``div#Discussion_ID.ItemDiscussion``, comments
``li#Comment_ID.ItemComment``, each with ``span.Author > a.Username`` (to ``/profile/NAME``), ``span.MItem.DateCreated
> a.Permalink > time[datetime]`` and ``div.Message.userContent``; quotes ``blockquote.UserQuote`` ("X said:" in
``div.QuoteAuthor``) name no post; pages ``/pN`` with ``span.Pager a.Highlight``. Vanilla is flat.
Ids: a discussion is ``discussion/ID``, a comment ``comment/ID``.
"""

from __future__ import annotations

import re

from harvester.engines import toolkit
from harvester.engines.toolkit import Detection, Layout, Sign, first, has_class, text, x
from harvester.model import ParsedPage
from harvester.text import element_text

NAME = "vanilla"
VERSION = "1.0.0"

POST = ("/descendant::div[starts-with(@id,'Discussion_')][contains(@class,'ItemDiscussion')]"
        " | /descendant::li[starts-with(@id,'Comment_')][contains(@class,'ItemComment')]")
SIGNS = (
    Sign("body#vanilla_discussion_index / body.Vanilla", 8,
         "/html/body[starts-with(@id,'vanilla_') or contains(@class,'Vanilla')]", needle="anilla"),
    Sign("'Powered by Vanilla' credit", 8, needle="vanillaforums",
         xpath="/descendant::a[contains(@href,'vanillaforums.com') or contains(@href,'vanillaforums.org')]"),
    Sign("ItemDiscussion / ItemComment posts", 5, needle="ItemComment", xpath=f"({POST})[1]"),
    Sign("a.Username profile links", 2, needle="Username",
         xpath=f"(/descendant::a[{has_class('Username')}][contains(@href,'/profile/')])[1]"),
)

LAYOUT = Layout(
    post=POST,
    post_id="@id", post_id_re=r"^(?:Discussion|Comment)_(\d+)$",
    permalink=f"descendant::span[{has_class('DateCreated')}]/a[1]",
    author=(f"descendant::span[{has_class('Author')}]/a[{has_class('Username')}][1]"
            f" | descendant::span[{has_class('Author')}][not(a[{has_class('Username')}])]"),
    profile_id_re=r"/profile/(?:\d+/)?([^/?#]+)",  # the profile name (2.x URLs carry no number)
    date=f"descendant::span[{has_class('DateCreated')}]//time[1]",
    date_attrs=("datetime",),
    body=f"descendant::div[{has_class('Message')}][1]",
    quote=f"descendant::blockquote[{has_class('UserQuote')} or {has_class('Quote')}]",
    quote_author=f"div[{has_class('QuoteAuthor')}]/a[1]",  # "<a>X</a> said:" in the forum's language
    facts=(("user_title", f"descendant::span[{has_class('AuthorTitle')}]"),
           ("location", f"descendant::span[{has_class('AuthorLocation')}]"),
           ("avatar_url", f"descendant::span[{has_class('Author')}]//img")),
)
FURNITURE = toolkit.furniture(frozenset(("Reactions", "Signature", "UserSignature", "Attachments", "Item-Footer")))

X_EDITED = x(f"descendant::div[{has_class('Meta')}]//span[@title][starts-with(normalize-space(),'edited')"
             " or contains(@title, 'dited')][1]/@title")
X_TITLE = x(f"/descendant::div[{has_class('PageTitle')}]/h1 | /descendant::h1[{has_class('H')}][1]")
X_CRUMBS = x(f"(/descendant::*[{has_class('Breadcrumbs')}])[1]//a[@href]")
X_PAGER = x(f"(/descendant::*[{has_class('Pager')}])[1]")
X_CANONICAL = x("/html/head/link[@rel='canonical']/@href")
X_ALL_LINKS = x("/descendant::a[@href]")
X_NESTED = x("descendant::li[starts-with(@id,'Comment_')]")
X_REACTION_COUNTS = x(f"descendant::*[{has_class('Reactions')}]//span[{has_class('Count')}]")
X_QUOTE_TEXT = x(f"div[{has_class('QuoteText')}]")

_DISCUSSION = re.compile(r"/discussion/(\d{1,12})(?:/[^/?#]*)?(?:/p(\d{1,6}))?")
_CATEGORY = re.compile(r"/categories/[^/?#]+(?:/p\d{1,6})?/?$")


def score(doc) -> Detection:
    return toolkit.score(doc, NAME, SIGNS)


def parse(doc, zone=None, links: bool = True, records: bool = True) -> ParsedPage:
    """Records of one discussion page (``records=False``: its id, url and crawl hints)."""
    elements = x(LAYOUT.post)(doc.root)
    did, url_page = _discussion(doc)
    hints = _crawl_links(doc, did if elements else None) if links or not elements else {}
    if not elements or did is None:
        reason = "Vanilla listing page, no posts" if hints.get("threads") else "Vanilla page without posts"
        return ParsedPage(thread=None, posts=[], links=hints, skip_reason=reason)
    current, total = _pager(doc)
    page_no = (current or url_page or 1) - 1
    canonical = next(iter(X_CANONICAL(doc.root)), None) or doc.url or f"/discussion/{did}"
    thread_url = doc.absolute(re.sub(r"/p\d+/?$", "", canonical.split("?")[0].split("#")[0]))
    if not records:
        return ParsedPage(thread={"id": f"discussion/{did}", "url": thread_url}, posts=[], links=hints,
                          page_number=page_no)
    posts = []
    for el, post in toolkit.read_elements(doc, elements, LAYOUT, X_NESTED, FURNITURE):
        kind = "discussion" if (el.get("id") or "").startswith("Discussion_") else "comment"
        post["id"] = f"{kind}/{post['id']}" if post["id"] else None
        _finish(el, post)
        posts.append(post)
    crumbs = toolkit.breadcrumb(doc, X_CRUMBS.path)
    board_path = [name for name, url in crumbs[1:] if url and "/categories/" in url]
    extra: dict = {"board_path": board_path}
    if board_path:
        extra["board_url"] = next(url for name, url in reversed(crumbs) if url and "/categories/" in url)
    op_on_page = any(p["id"] and p["id"].startswith("discussion/") for p in posts)
    if op_on_page and not posts[0]["id"].startswith("discussion/"):
        posts.sort(key=lambda p: not p["id"].startswith("discussion/"))
    thread = {"id": f"discussion/{did}", "url": thread_url, "title": text(first(doc.root, X_TITLE.path)),
              "board": board_path[-1] if board_path else None, "reply_count": None, "extra": extra,
              "op_on_page": op_on_page}
    return toolkit.page(doc, zone, thread, posts, page_number=page_no, pages_total=total, links=hints)


def _finish(el, post: dict) -> None:
    """The edit note (a title "Edited DATE by X."), reaction counts, quotes without their author line."""
    edited = next(iter(X_EDITED(el)), None)
    if edited:
        post["extra"]["edited"] = edited.strip()
    counts = [toolkit.count(text(c)) for c in X_REACTION_COUNTS(el)]
    counts = [c for c in counts if c is not None]
    if counts:
        post.update(votes=sum(counts), votes_kind="reactions", votes_raw=" ".join(map(str, counts)))
    body = first(el, LAYOUT.body)
    for quote, q in zip(post["quotes"], x(LAYOUT.quote)(body) if body is not None else (), strict=False):
        inner = first(q, X_QUOTE_TEXT.path)
        if inner is not None:
            quote["text"] = element_text(inner)
    if post["extra"].get("anonymous"):
        post.pop("author_facts", None)


def _discussion(doc) -> tuple[str | None, int | None]:
    for url in (doc.url, *X_CANONICAL(doc.root)):
        m = _DISCUSSION.search(url or "")
        if m:
            return m.group(1), int(m.group(2)) if m.group(2) else None
    return None, None


def _pager(doc) -> tuple[int | None, int | None]:
    pager = first(doc.root, X_PAGER.path)
    if pager is None:
        return None, None
    current = next((int(t) for t in (text(a) or "" for a in pager.iter("a")
                                      if "Highlight" in (a.get("class") or "").split()) if t.isdigit()), None)
    numbers = [int(t) for t in (text(a) or "" for a in pager.iter("a")) if t.isdigit() and len(t) < 7]
    return current, max(numbers + ([current] if current else []), default=None)


def _crawl_links(doc, did: str | None) -> dict[str, list[str]]:
    anchors = X_ALL_LINKS(doc.root)
    if did is not None:
        pager = first(doc.root, X_PAGER.path)
        here = (doc.url or "").split("#")[0]
        pages = toolkit.unique_links(doc, pager.iter("a") if pager is not None else (),
                                     keep=lambda u: (_DISCUSSION.search(u) or [None, None])[1] == did)
        return {"pages": [u for u in pages if u.split("#")[0] != here], "threads": [], "listings": []}
    threads = toolkit.unique_links(doc, anchors, keep=lambda u: bool(_DISCUSSION.search(u)) and "/p" not in
                                   u.rsplit("/", 1)[-1][:2] and "comment" not in u)
    listings = toolkit.unique_links(doc, anchors, keep=lambda u: bool(_CATEGORY.search(u.split("?")[0])))
    return {"pages": [], "threads": threads, "listings": listings}
