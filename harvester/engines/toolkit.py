"""What every forum engine needs, written once: detection by weighted signs, post reading from a table of
selectors, counts, ids, quotes, pagers and breadcrumbs.

An engine module is then mostly data::

    NAME, VERSION = "exampleboard", "1.0.0"
    SIGNS = (Sign("generator meta", 10, "/html/head/meta[@name='generator'][contains(@content,'ExampleBoard')]"),
             Sign("post blocks", 4, f"/descendant::div[{has_class('post')}][starts-with(@id,'p')]", version="2"))
    LAYOUT = Layout(post=f"/descendant::div[{has_class('post')}][starts-with(@id,'p')]", post_id="@id",
                    author=f"descendant::a[{has_class('username')}]", profile_id=r"[?&]u=(\\d+)",
                    date=f"descendant::*[{has_class('author')}]", body=f"descendant::div[{has_class('content')}]",
                    junk=f"descendant::*[{has_class('signature')}]", ...)

    def score(doc):
        return toolkit.score(doc, NAME, SIGNS)

    def parse(doc, zone=None, links=True, records=True):
        posts = toolkit.read_posts(doc, LAYOUT)
        ... what is the engine's own (thread id from the URL, its pager) ...
        return toolkit.page(doc, zone, thread, posts, page_number=..., pages_total=..., links=...)

Selectors are XPath strings (compiled once, here, by ``x``). Prefer ``descendant::`` to ``.//`` and
``has_class()`` to ``contains(@class, ...)``: see harvester/engines/drupal.py for why.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from urllib.parse import parse_qs, urlsplit

from lxml import etree

from harvester.dates import finish_dates, format_utc
from harvester.dates import stated_zone as zone_of
from harvester.model import ParsedPage
from harvester.text import element_text, has_class, inner_html, linked, squash, text_content

__all__ = ["has_class", "squash", "text_content"]  # re-exported: engines import their helpers from here


# --- XPath ------------------------------------------------------------------------------------------
@lru_cache(maxsize=1024)  # selectors come from engine code, not from pages
def x(expr: str) -> etree.XPath:
    """A compiled XPath, cached by its text (lxml would compile it again on every call)."""
    return etree.XPath(expr, smart_strings=False)


def first(el, expr: str | None):
    """The first node (or string) ``expr`` selects from ``el``; None when nothing or no selector.

    A union is taken branch by branch: libxml2 merges node sets with a linear search for duplicates, so
    ``a | b`` over two sets of 40,000 links (a hostile page) took seconds, and 150,000 never finished.
    """
    if el is None or not expr:
        return None
    branches = union_branches(expr)
    if len(branches) == 1:
        found = x(expr)(el)
        return found[0] if found else None
    hits = [found[0] for found in (x(branch)(el) for branch in branches) if found]
    if len(hits) < 2 or not all(isinstance(h, etree._Element) for h in hits):
        return hits[0] if hits else None
    return min(hits, key=document_position)


@lru_cache(maxsize=1024)
def union_branches(expr: str) -> tuple[str, ...]:
    """The top-level ``|`` branches of an XPath (not those inside brackets, parentheses or quotes)."""
    out, depth, quote, start = [], 0, None, 0
    for i, ch in enumerate(expr):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(expr[start:i].strip())
            start = i + 1
    out.append(expr[start:].strip())
    return tuple(out)


def document_position(el) -> tuple[int, ...]:
    """Child indexes from the root down to the element: tuples compare in document order."""
    path = []
    parent = el.getparent()
    while parent is not None:
        path.append(parent.index(el))
        el, parent = parent, parent.getparent()
    return tuple(reversed(path))


def text(el) -> str | None:
    """The element's text, white space folded; None for no element or an empty one."""
    if el is None:
        return None
    value = squash(el if isinstance(el, str) else text_content(el))
    return value or None


def drop(el) -> None:
    """Remove an element but keep its tail text (the words after it belong to the parent)."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def escaped_body(post_el, body_el, is_furniture) -> etree._Element | None:
    """What a stray ``</div>`` at the start of a message pushed out of its body element: the text and elements
    after the body, level by level up to the post element, until the post's own furniture (``is_furniture(el)``:
    signature, edit note, buttons). A copy in a new ``div``, or None when nothing escaped."""
    box = etree.Element("div")
    node = body_el
    while node is not None and node is not post_el:
        if node.tail and node.tail.strip():
            box.append(etree.Element("span"))
            box[-1].text = node.tail
        for sib in node.itersiblings():
            if not isinstance(sib.tag, str):
                continue
            if is_furniture(sib):
                node = None
                break
            box.append(copy.deepcopy(sib))
        node = node.getparent() if node is not None else None
    return box if len(box) else None


def read_elements(doc, elements: list, layout: Layout, nested, is_furniture):
    """Each post element and its record, read with ``layout``: the posts an unclosed tag in a message pushed
    inside it (``nested``, an XPath function) detached first, each then read on its own turn (a detached element
    stays whole), and a body a stray ``</div>`` emptied recovered from what escaped it."""
    for el in elements:
        for inner in nested(el) if len(elements) > 1 else ():
            drop(inner)
        post = read_post(doc, el, layout)
        if not post["body_text"] and not post["deleted"]:
            recover_body(doc, el, post, layout, is_furniture)
        yield el, post


def stated_zone(doc, posts: list, holders: str, read):
    """The zone a page states for its dates ("All times are UTC + 1 hour"), outside its posts: each element of
    ``holders`` (an XPath) is read by ``read(holder, its own text)``, which gives ("name", IANA name), ("minutes",
    offset) or None. None when the page states no zone, or two different ones."""
    inside = set(posts)
    found = set()
    for holder in x(holders)(doc.root):
        if holder in inside or any(a in inside for a in holder.iterancestors()):
            continue
        said = read(holder, " ".join("".join(holder.xpath("text()")).split()))
        if said is not None:
            found.add(said)
            if len(found) > 1:  # two statements: neither is taken, and no more need reading
                return None
    if len(found) != 1:
        return None
    kind, value = found.pop()
    return zone_of(value) if kind == "name" else zone_of(minutes=value)


def recover_body(doc, post_el, post: dict, layout: Layout, is_furniture) -> None:
    """A stray ``</div>`` at the start of a message closed its body early: the post's text, HTML and quotes are
    taken from what escaped it (``escaped_body``); nothing changes when nothing escaped."""
    body = first(post_el, layout.body)
    box = escaped_body(post_el, body, is_furniture) if body is not None else None
    if box is not None:
        post["body_text"] = element_text(box)
        post["body_html"] = inner_html(box, doc.absolute)
        post["quotes"] = read_quotes(box, layout) if layout.quote else []


def furniture(classes: frozenset[str], id_prefixes: tuple[str, ...] = ()):
    """An ``is_furniture`` test for ``escaped_body``: any of these classes, or an id with one of these prefixes."""
    def test(el) -> bool:
        return bool(set((el.get("class") or "").split()) & classes) or (el.get("id") or "").startswith(id_prefixes)
    return test


# --- Detection --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Sign:
    """One piece of evidence that a page was made by an engine.

    ``xpath`` is evaluated on the page root (keep it to the head or to id()/class lookups where possible);
    ``needle`` is a substring of the decoded page tested first, so a page without it costs no tree walk (a sign
    with only a needle is decided by the needle). ``version`` names the version or theme the sign implies.
    """

    label: str
    weight: int
    xpath: str | None = None
    needle: str | None = None
    version: str | None = None


@dataclass
class Detection:
    engine: str
    score: int
    version: str | None = None
    signs: list[str] = field(default_factory=list)


# A page is claimed by the best-scoring engine whose score reaches this: one strong sign (a generator meta
# or the engine's own script) or three weak ones.
CLAIM = 10


def score(doc, name: str, signs: tuple[Sign, ...]) -> Detection:
    """Sum the weights of the signs seen on the page; the version is the heaviest versioned sign's."""
    total, seen, version, version_weight = 0, [], None, -1
    page_text = doc.text
    for sign in signs:
        if sign.needle is not None and sign.needle not in page_text:
            continue
        if sign.xpath is not None and not x(sign.xpath)(doc.root):
            continue
        total += sign.weight
        seen.append(sign.label)
        if sign.version and sign.weight > version_weight:
            version, version_weight = sign.version, sign.weight
    return Detection(name, total, version, seen)


# --- Numbers and ids --------------------------------------------------------------------------------
_NUMBER = re.compile(r"(\d[\d,.\u00a0\u202f' ]*)\s*([kKmM]\b)?")
_OTHERS = re.compile(r"(\d[\d,.]*)\s+(?:others?|other people|andere|autres?|otros|altri|anderen|innych|других)",
                     re.I)
_AND = re.compile(r"\s+(?:and|und|et|y|e|en|i|и)\s+", re.I)


def count(value: str | None) -> int | None:
    """The first count in a text: "1,234", "1.234", "12 345", "1.2k", "3M"; None when there is none.

    Bounded: a number of more than 15 digits is not a count a forum shows, and gives None.
    """
    m = _NUMBER.search(value or "")
    if not m:
        return None
    digits = m.group(1).strip()
    if m.group(2):  # 1.2k: the separator is a decimal point
        try:
            return int(float(digits.replace(",", ".").replace(" ", "")) * (1000 if m.group(2) in "kK" else 10**6))
        except ValueError:
            return None
    digits = re.sub(r"\D", "", digits)
    return int(digits) if 0 < len(digits) <= 15 else None


def people_count(value: str | None) -> int | None:
    """How many people a "liked by" line names: "A, B and 12 others" = 14, "A and B" = 2, "A" = 1."""
    value = squash(value)
    if not value:
        return None
    m = _OTHERS.search(value)
    named = value[: m.start()] if m else value
    named = re.sub(r"\b(?:like|likes|liked|this|reacted|to|gefällt|das|aiment|ça|les gusta)\b.*$", "", named,
                   flags=re.I)
    names = [n for part in _AND.split(named) for n in part.split(",") if n.strip()]
    return len(names) + (count(m.group(1)) if m else 0)


def match(value: str | None, pattern: str, group: int = 1) -> str | None:
    """The group of a regular expression (compiled once per pattern) in a value; None when absent."""
    if not value:
        return None
    m = _compiled(pattern).search(value)
    return m.group(group) if m else None


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def query_value(url: str | None, key: str) -> str | None:
    """A query parameter of a URL, also in SMF's ``;key=value`` form."""
    if not url:
        return None
    query = urlsplit(url).query or ""
    values = parse_qs(query.replace(";", "&")).get(key)
    return values[0] if values else None


def epoch_to_iso(value: str | None) -> str | None:
    """A Unix time (``data-time``, ``data-timestamp``) as an ISO instant; None if it is not a sane one."""
    try:
        seconds = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    if not 0 < seconds < 32503680000:  # before the year 3000
        return None
    return format_utc(datetime.fromtimestamp(seconds, UTC))


# --- Posts ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Layout:
    """Where one engine version or theme keeps each part of a post: XPaths relative to the post element.

    Every field but ``post`` may be None when the markup does not show it. ``post_id``, ``profile_id`` and
    ``quote_post_id`` are read from the selected attribute or text with their ``*_re`` regex.
    """

    post: str  # from the root: every post element, in document order
    post_id: str | None = None
    post_id_re: str = r"(\d+)"
    title: str | None = None
    permalink: str | None = None
    author: str | None = None  # the author's link (or name element when guests have no link)
    profile_id_re: str | None = None  # user id from the profile link's href
    date: str | None = None  # element with a machine attribute or the printed date
    date_attrs: tuple[str, ...] = ("datetime", "data-time", "data-timestamp", "data-datestring", "title")
    date_strip: str | None = None  # regex removed from the printed date ("by NAME »", "Posted:")
    body: str | None = None
    junk: str | None = None  # under the body: signatures, buttons, ads, attachment lists (removed)
    edited: str | None = None  # the "Last edited by ..." note (kept in extra, removed from the body)
    quote: str | None = None  # under the body: each quote block
    quote_author: str | None = None  # under the quote: the element naming the quoted author
    quote_author_re: str | None = None  # regex whose group 1 is the name, on that element's text
    quote_post_id: str | None = None  # under the quote: attribute or href naming the quoted post
    quote_post_id_re: str = r"(\d+)"
    votes: str | None = None  # the element whose text holds the count
    votes_kind: str | None = None
    votes_people: bool = False  # the count is a list of names: "A, B and 12 others like this"
    deleted: str | None = None  # an XPath that selects something when the post is a deleted placeholder
    guest: str | None = None  # an XPath that selects something when the author is a guest
    facts: tuple[tuple[str, str], ...] = ()  # (participant fact, XPath under the post)
    facts_re: tuple[tuple[str, str], ...] = ()  # (fact, regex on the element's text) to cut labels off


GUEST_NAMES = frozenset(("guest", "unregistered", "gast", "invité", "invitado", "ospite", "gość", "гость",
                         "anonymous", "anonyme", "anónimo", "anonimo", "convidado", "niezarejestrowany"))
NUMERIC_FACTS = ("post_count_shown", "reputation")


def read_posts(doc, layout: Layout, root=None) -> list[dict]:
    """Every post the layout finds, as the dicts engines return (published_raw and _iso set, not finished)."""
    root = doc.root if root is None else root
    return [read_post(doc, el, layout) for el in x(layout.post)(root)]


def read_post(doc, el, layout: Layout) -> dict:
    """One post element's fields. The body is cleaned in place: edit notes, junk and signatures removed."""
    native = first(el, layout.post_id)
    post_id = match(native if isinstance(native, str) else text(native), layout.post_id_re)
    author_el = first(el, layout.author)
    name = text(author_el)
    href = author_el.get("href") if author_el is not None and not isinstance(author_el, str) else None
    author_url = doc.absolute(href) if href else None
    uid = match(href, layout.profile_id_re) if layout.profile_id_re else None
    anonymous = bool(layout.guest and x(layout.guest)(el)) or (not author_url and (name or "").lower() in GUEST_NAMES)
    raw, iso = read_date(first(el, layout.date), layout)
    extra: dict = {}
    body_el = first(el, layout.body)
    edited = first(el, layout.edited)
    if edited is not None and not isinstance(edited, str):
        extra["edited"] = text(edited)
        if body_el is not None and _is_below(edited, body_el):
            drop(edited)
    if body_el is not None and layout.junk:
        for junk in x(layout.junk)(body_el):
            drop(junk)
    quotes = read_quotes(body_el, layout) if layout.quote else []
    votes_el = first(el, layout.votes)
    votes_raw = text(votes_el)
    votes = (people_count(votes_raw) if layout.votes_people else count(votes_raw)) if votes_raw else None
    facts = {}
    for fact, expr in layout.facts:
        found = first(el, expr)
        if found is None:
            continue
        value = found if isinstance(found, str) else (found.get("src") if fact == "avatar_url" else text(found))
        pattern = dict(layout.facts_re).get(fact)
        value = match(value, pattern) if pattern else value
        if fact == "avatar_url":
            value = doc.absolute(value)
        elif fact in NUMERIC_FACTS:
            value = count(value)
        if value is not None:
            facts[fact] = value
    permalink = first(el, layout.permalink)
    body_text = element_text(body_el) if body_el is not None else ""
    linked_els = linked(body_el) if body_el is not None else []
    post = {
        "id": post_id,
        "url": doc.absolute(permalink if isinstance(permalink, str) else
                            permalink.get("href") if permalink is not None else None),
        "title": text(first(el, layout.title)),
        "author_name": name,
        "author_id": None if anonymous else uid,
        "author_url": None if anonymous else author_url,
        "published_raw": raw,
        "_iso": iso,
        "body_text": body_text,
        "body_html": inner_html(body_el, doc.absolute, linked_els) if body_el is not None else "",
        "links": links(doc, linked_els),
        "quotes": quotes,
        "votes": votes,
        "votes_kind": layout.votes_kind if votes is not None else None,
        "votes_raw": votes_raw,
        "rating": None,
        "deleted": bool(layout.deleted and x(layout.deleted)(el)),
        "extra": extra,
    }
    if anonymous:
        extra["anonymous"] = True
    if facts:
        post["author_facts"] = facts
    return post


def _is_below(el, ancestor) -> bool:
    return any(a is ancestor for a in el.iterancestors())


def read_date(el, layout: Layout) -> tuple[str | None, str | None]:
    """(printed date, machine-readable ISO or None): ``<time datetime>`` and epoch attributes first."""
    if el is None:
        return None, None
    if isinstance(el, str):
        return squash(el) or None, None
    iso = None
    for attr in layout.date_attrs:
        value = el.get(attr)
        if not value:
            continue
        iso = epoch_to_iso(value) if value.strip().isdigit() else value.strip() if "T" in value else None
        if iso:
            break
    raw = text(el)
    if raw and layout.date_strip:
        raw = _compiled(layout.date_strip).sub("", raw).strip() or None
    return raw, iso


def links(doc, linked_els: list) -> list[dict]:
    return [{"url": doc.absolute(a.get("href")), "text": squash(text_content(a))}
            for a in linked_els if a.tag == "a" and a.get("href")]


def read_quotes(body_el, layout: Layout) -> list[dict]:
    """Quote blocks in a body: who is quoted, the quoted text, and the quoted post's id when the markup says."""
    if body_el is None:
        return []
    out = []
    for q in x(layout.quote)(body_el):
        author_el = first(q, layout.quote_author)
        author_text = text(author_el)
        author = match(author_text, layout.quote_author_re) if layout.quote_author_re else author_text
        source = first(q, layout.quote_post_id)
        if source is not None and not isinstance(source, str):
            source = source.get("href") or text(source)
        quote_text = element_text(q)
        if author_text and quote_text.startswith(author_text):
            quote_text = quote_text[len(author_text):].strip()
        out.append({"author": author, "text": quote_text,
                    "post_id": match(source, layout.quote_post_id_re) if source else None})
    return out


# --- Pages and threads ------------------------------------------------------------------------------
_PAGE_OF = re.compile(
    r"(?:page|seite|página|pagina|strona|страница|pág\.?|p\.)\s*(\d{1,6})\s*(?:of|von|sur|de|di|van|z|из|/)\s*(\d{1,6})",
    re.I)


def page_of(value: str | None) -> tuple[int | None, int | None]:
    """(current, total) from "Page 2 of 34" in the board languages; one-based as printed."""
    m = _PAGE_OF.search(value or "")
    return (int(m.group(1)), int(m.group(2))) if m else (None, None)


def breadcrumb(doc, expr: str) -> list[tuple[str, str | None]]:
    """(text, absolute URL) of each breadcrumb link, in order, without empty ones."""
    out = []
    for a in x(expr)(doc.root):
        label = text(a)
        if label:
            out.append((label, doc.absolute(a.get("href"))))
    return out


def unique_links(doc, hrefs, keep=None) -> list[str]:
    """Absolute URLs, once each, in document order; ``keep`` filters them (a URL pattern of the engine)."""
    found: list[str] = []
    seen = set()
    for href in hrefs:
        href = href.get("href") if not isinstance(href, str) else href
        url = doc.absolute(href)
        if url and url not in seen and (keep is None or keep(url)):
            seen.add(url)
            found.append(url)
    return found


def page(doc, zone, thread: dict, posts: list[dict], page_number: int = 0, pages_total: int | None = None,
         links: dict | None = None, members: list[dict] | None = None) -> ParsedPage:
    """Finish one page: dates normalised, the thread's created times from its first post, the ParsedPage.

    ``thread`` holds id, url, title, board, reply_count and extra; the opening post is ``posts[0]`` only when
    ``thread["op_on_page"]`` is not False (later pages of a board thread do not show it).
    """
    finish_dates(posts, zone, doc.page.capture_time, doc.page.notes)
    op_on_page = thread.pop("op_on_page", True)
    op = posts[0] if posts and op_on_page else None
    for post in posts:  # boards are flat unless the engine says otherwise
        post.setdefault("thread_id", thread["id"])
        post.setdefault("parent_id", None)
        post.setdefault("depth", 0)
        post["is_op"] = post is op
    thread.setdefault("author_name", op["author_name"] if op else None)
    thread.setdefault("created_utc", op["published_utc"] if op else None)
    thread.setdefault("created_local", op["published_local"] if op else None)
    thread.setdefault("extra", {})
    return ParsedPage(thread=thread, posts=posts, members=members or [], page_number=page_number,
                      pages_total=max(pages_total or 1, page_number + 1), links=links or {})
