"""Discussions on software no named engine knows, read in two stages, tried only after every named engine.

1. Structured data: schema.org ``DiscussionForumPosting``, ``SocialMediaPosting``, ``Question``, ``Answer`` and
   ``Comment`` in JSON-LD, microdata or RDFa, and microformats2 ``h-entry`` with ``p-comment`` replies. An
   ``Article``/``BlogPosting`` is the opening post only when comments come with it.
2. Page structure: sibling blocks of one shape (same tag and classes), each with a user-looking name, a
   date-looking text and a body of prose; blocks nested in blocks give the reply tree.

Every record says ``parser_name: generic``; the thread's ``extra`` holds ``generic_stage`` (``json-ld``,
``microdata``, ``rdfa``, ``microformats``, ``structure``) and ``confidence`` (0-1). Listings, search results,
shop pages and articles without comments are skipped with the reason.
"""

from __future__ import annotations

import copy
import json
import re
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from lxml import etree

from harvester.dates import day_word_fields, parse_display_date, relative_to
from harvester.engines import toolkit
from harvester.engines.toolkit import CLAIM, Detection, Sign, text, x
from harvester.text import element_text, inner_html, linked, squash, text_content

NAME = "generic"
VERSION = "1.0.0"

OP_TYPES = ("DiscussionForumPosting", "SocialMediaPosting", "Question")
ARTICLE_TYPES = ("Article", "BlogPosting", "NewsArticle", "Report", "TechArticle", "WebPage")
REPLY_TYPES = ("Comment", "Answer")
TYPES = frozenset(OP_TYPES + ARTICLE_TYPES + REPLY_TYPES)
CHILD_KEYS = ("comment", "suggestedAnswer", "acceptedAnswer", "hasPart", "replies")
NOT_DISCUSSION = frozenset(("Product", "Offer", "AggregateOffer", "SearchResultsPage", "ItemList", "Recipe", "Event"))
MAX_ITEMS = 20_000  # structured items read from one page: a hostile page must not make unbounded work
MAX_DEPTH = 64  # nesting followed in JSON-LD and markup

# Cheap tests on the page text decide whether a stage can apply before any tree walk.
SIGNS = (
    Sign("schema.org discussion types in JSON-LD", CLAIM, "/descendant::script[@type='application/ld+json']"
         "[contains(., 'DiscussionForumPosting') or contains(., 'Comment') or contains(., 'Answer')"
         " or contains(., 'SocialMediaPosting') or contains(., 'Question')]", needle="ld+json"),
    Sign("schema.org discussion types in microdata", CLAIM,
         "/descendant::*[@itemscope][contains(@itemtype, 'DiscussionForumPosting') or contains(@itemtype, 'Comment')"
         " or contains(@itemtype, 'Answer') or contains(@itemtype, 'SocialMediaPosting')]", needle="itemtype"),
    Sign("schema.org discussion types in RDFa", CLAIM,
         "/descendant::*[@typeof][contains(@typeof, 'DiscussionForumPosting') or contains(@typeof, 'Comment')"
         " or contains(@typeof, 'Answer')]", needle="typeof"),
    Sign("microformats2 h-entry with comments", CLAIM,
         "/descendant::*[contains(@class, 'h-entry')]/descendant::*[contains(@class, 'p-comment')"
         " or contains(@class, 'u-comment')]", needle="h-entry"),
)

X_JSONLD = "/descendant::script[@type='application/ld+json']"
X_CANONICAL = "/html/head/link[@rel='canonical']/@href"
X_TITLES = ("/html/head/meta[@property='og:title']/@content", "/descendant::h1[1]", "/html/head/title")
X_SHOP = ("/html/head/meta[@property='og:type'][contains(@content, 'product')]"
          " | /descendant::*[@itemtype][contains(@itemtype, 'schema.org/Product')]"
          " | /descendant::button[contains(translate(., 'ADTOCRBUY', 'adtocrbuy'), 'add to cart')]")
X_SEARCH = ("/descendant::input[@type='search' or @name='q' or @name='query' or @name='keywords']"
            "[ancestor::form[contains(translate(@action, 'SEARCH', 'search'), 'search')]]")
PAGE_PARAMS = ("page", "p", "pg", "start", "offset")
PROFILE = re.compile(r"/(?:users?|members?|profiles?|people|author|u|~)[/=.:-]|[?&;](?:u|uid|user|userid|"
                     r"user_id|member|memberid|showuser|mode=viewprofile)=|^mailto:", re.I)
AUTHOR_CLASS = re.compile(r"author|user|poster|nick|name|byline|from", re.I)
BY = re.compile(r"(?:^|\s)(?:by|posted by|written by|from|von|par|por|di|door|przez|автор)[:\s]+([^\s,|•·]{2,40})",
                re.I)
DATEISH = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{1,2}:\d{2}|\b(?:19|20)\d{2}\b|\bago\b|yesterday|today",
                     re.I)
NUMBER_IN_ID = re.compile(r"\d+")


# --- Detection -------------------------------------------------------------------------------------
def score(doc) -> Detection:
    """Structured data that names a discussion claims the page; otherwise the structure stage is asked."""
    found = toolkit.score(doc, NAME, SIGNS)
    if found.score >= CLAIM:
        found.score = CLAIM  # never more than a named engine's one strong sign: named engines win ties
        found.version = "structured data"
        return found
    blocks = _structure(doc)
    if blocks:
        found.signs.append(f"{len(blocks)} repeated post blocks with author, date and prose")
        found.score, found.version = CLAIM, "page structure"
    return found


def detect(doc) -> bool:
    return score(doc).score >= CLAIM


# --- Parsing ---------------------------------------------------------------------------------------
def parse(doc, zone=None, links: bool = True, records: bool = True):
    thread_url, page_no = _thread_url(doc)
    thread_id = f"path:{urlsplit(thread_url).path or '/'}" + (f"?{urlsplit(thread_url).query}"
                                                              if urlsplit(thread_url).query else "") \
        if thread_url else f"path:{doc.page.source_file}"
    crawl = {"pages": _page_links(doc, thread_url)} if links else {}
    if x(X_SHOP)(doc.root):
        return _skip("generic: a shop page (product markup or an add-to-cart button), not a discussion", crawl)
    reading = _structured(doc)
    stage, confidence = None, 0.0
    if reading is not None:
        stage, items = reading
        posts = _posts_from_items(doc, items, thread_id)
        confidence = 0.9
    else:
        blocks = _structure(doc)
        seen = getattr(doc, "_generic_seen", None)
        if not blocks and seen:
            return _skip(f"generic: schema.org {', '.join(seen)} without comments or replies, not a discussion", crawl)
        if not blocks:
            return _skip("generic: no discussion found: no schema.org DiscussionForumPosting, SocialMediaPosting, "
                         "Question, Answer or Comment (JSON-LD, microdata, RDFa), no microformats h-entry with "
                         "comments, and no repeated post blocks each with an author, a date and prose", crawl)
        stage = "structure"
        posts, confidence = _posts_from_blocks(doc, blocks, thread_id)
    if not posts:
        return _skip(f"generic: {stage} markup without a discussion (an article or listing without comments)", crawl)
    if not records:
        return toolkit.ParsedPage(thread={"id": thread_id, "url": thread_url}, posts=[], links=crawl,
                                  page_number=page_no)
    _unique(posts, thread_id)
    title = posts[0].get("title") or next((text(t) for t in map(lambda e: toolkit.first(doc.root, e), X_TITLES)
                                           if t is not None and text(t)), None)
    posts[0]["title"] = posts[0].get("title") or title
    thread = {"id": thread_id, "url": thread_url, "title": title, "board": _board(doc, title), "reply_count": None,
              "op_on_page": posts[0].pop("_is_op", True),
              "extra": {"generic_stage": stage, "confidence": round(confidence, 2)}}
    for p in posts:
        p.pop("_is_op", None)
    return toolkit.page(doc, zone, thread, posts, page_number=page_no, links=crawl)


def _board(doc, title: str | None) -> str | None:
    """The last BreadcrumbList entry (JSON-LD) that is not the thread itself."""
    if "BreadcrumbList" not in doc.text:
        return None
    for script in x(X_JSONLD)(doc.root):
        try:
            data = json.loads(text_content(script))
        except (ValueError, RecursionError):
            continue
        for obj in data if isinstance(data, list) else [data]:
            if isinstance(obj, dict) and "BreadcrumbList" in _type_names(obj.get("@type")):
                names = [_str(i.get("name") or (i.get("item") or {}).get("name") if isinstance(i.get("item"), dict)
                              else i.get("name")) for i in obj.get("itemListElement") or () if isinstance(i, dict)]
                names = [n for n in names if n and n != title]
                if len(names) > 1:
                    return names[-1]
    return None


def _skip(reason: str, crawl: dict):
    return toolkit.ParsedPage(thread=None, posts=[], links=crawl, skip_reason=reason)


def _thread_url(doc) -> tuple[str | None, int]:
    """The page's URL without its page parameter (canonical link first) and the zero-based page number."""
    canonical = toolkit.first(doc.root, X_CANONICAL)
    url = doc.absolute(canonical) if canonical else doc.url
    if not url:
        return None, 0
    parts = urlsplit(url)
    query = parse_qs(parts.query, keep_blank_values=True)
    page_no = 0
    for key in PAGE_PARAMS:
        if key in query:
            value = query.pop(key)[0]
            if value.isdigit() and len(value) < 7:
                page_no = max(0, int(value) - (1 if key in ("p", "pg") else 0))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query, doseq=True), "")), page_no


def _page_links(doc, thread_url) -> list[str]:
    """Links to other pages of the same thread: same path, a page parameter."""
    if not thread_url:
        return []
    path = urlsplit(thread_url).path
    return toolkit.unique_links(doc, x("/descendant::a[@href]")(doc.root), keep=lambda u: urlsplit(u).path == path
                                and any(f"{k}=" in urlsplit(u).query for k in PAGE_PARAMS))


def _unique(posts: list[dict], thread_id: str) -> None:
    """Native ids repeated on one page (a template bug, a hostile page) fall back to positions."""
    seen = set()
    for i, p in enumerate(posts):
        if p["id"] in seen:
            p["id"] = f"{thread_id}#{i}"
        seen.add(p["id"])


# --- Stage 1: structured data ----------------------------------------------------------------------
def _type_names(value) -> set[str]:
    names = value if isinstance(value, list) else str(value or "").split()
    return {str(n).rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1].rsplit("#", 1)[-1] for n in names if n}


def _structured(doc) -> tuple[str, list[dict]] | None:
    """(stage, items in document order with their parents) when the page's structured data is a discussion."""
    candidates = []
    if "ld+json" in doc.text:
        candidates.append(("json-ld", _jsonld_items(doc)))
    if "itemscope" in doc.text:
        candidates.append(("microdata", _markup_items(doc, "itemscope", "itemprop", "itemtype")))
    if "typeof" in doc.text:
        candidates.append(("rdfa", _markup_items(doc, "typeof", "property", "typeof")))
    if "h-entry" in doc.text:
        candidates.append(("microformats", _mf2_items(doc)))
    best = None
    for stage, items in candidates:
        kept = _discussion(items)
        if kept and (best is None or len(kept) > len(best[1])):
            best = (stage, kept)
    if best is None:
        doc._generic_seen = sorted({t for _, items in candidates for i in items for t in i["types"]})
    return best


def _discussion(items: list[dict]) -> list[dict]:
    """The items that make a discussion, the opening post first; [] for listings and bare articles."""
    if any(t in NOT_DISCUSSION for i in items for t in i["types"]) and \
            not any(i["types"] & set(REPLY_TYPES) for i in items):
        return []
    texted = [i for i in items if i["text"]]
    ops = [i for i in texted if i["types"] & set(OP_TYPES) and i["parent"] is None]
    replies = [i for i in texted if i["types"] & set(REPLY_TYPES) or i["parent"] is not None]
    articles = [i for i in texted if i["types"] & set(ARTICLE_TYPES) and i["parent"] is None]
    if len(ops) >= 3 and not replies:
        return []  # a listing of topics
    if ops:
        op = ops[0]
    elif replies and articles:
        op = articles[0]
    elif replies:
        op = None  # comments whose article carries no structured data of its own
    else:
        return []  # an article without comments
    rest = [i for i in texted if i is not op and (i in replies or i["types"] & set(OP_TYPES))]
    if op is None:
        for i in rest:
            i["_is_op"] = False
        return rest
    return [op, *rest]


def _item(types, source) -> dict:
    return {"types": types, "id": None, "url": None, "title": None, "author_name": None, "author_url": None,
            "date": None, "text": None, "el": None, "likes": None, "upvotes": None, "parent": None,
            "parent_ref": None, "source": source}


def _jsonld_items(doc) -> list[dict]:
    items: list[dict] = []
    for script in x(X_JSONLD)(doc.root):
        try:
            data = json.loads(text_content(script).strip().removeprefix("<!--").removesuffix("-->"))
        except (ValueError, RecursionError):
            continue
        _visit_jsonld(data, None, items, 0)
    return items


def _visit_jsonld(obj, parent, items: list, depth: int) -> None:
    if depth > MAX_DEPTH or len(items) >= MAX_ITEMS:
        return
    if isinstance(obj, list):
        for value in obj:
            _visit_jsonld(value, parent, items, depth + 1)
        return
    if not isinstance(obj, dict):
        return
    types = _type_names(obj.get("@type"))
    if types & TYPES or types & NOT_DISCUSSION:
        item = _item(types, "json-ld")
        item.update(id=_str(obj.get("@id") or obj.get("identifier")), url=_str(obj.get("url")),
                    title=_str(obj.get("headline") or obj.get("name")),
                    date=_str(obj.get("datePublished") or obj.get("dateCreated")),
                    text=squash(_str(obj.get("text") or obj.get("articleBody"))) or None,
                    upvotes=_int(obj.get("upvoteCount")), parent=parent,
                    parent_ref=_ref(obj.get("parentItem")), likes=_likes(obj.get("interactionStatistic")))
        author = obj.get("author")
        author = author[0] if isinstance(author, list) and author else author
        if isinstance(author, dict):
            item.update(author_name=_str(author.get("name") or author.get("alternateName")),
                        author_url=_str(author.get("url")))
        elif isinstance(author, str):
            item["author_name"] = author
        items.append(item)
        for key in CHILD_KEYS:
            if key in obj:
                start = len(items)
                _visit_jsonld(obj[key], item, items, depth + 1)
                if key == "acceptedAnswer":
                    for child in items[start:]:
                        child["accepted"] = child["parent"] is item or child.get("accepted", False)
        for key in ("mainEntity", "@graph"):
            if key in obj:
                _visit_jsonld(obj[key], parent, items, depth + 1)
        return
    for value in obj.values():
        if isinstance(value, dict | list):
            _visit_jsonld(value, parent, items, depth + 1)


def _str(value) -> str | None:
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url") or value.get("name")
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value).strip() or None if value is not None else None


def _int(value) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if abs(number) < 10**15 else None


def _ref(value) -> str | None:
    return _str(value)


def _likes(stats) -> int | None:
    for stat in stats if isinstance(stats, list) else [stats]:
        if isinstance(stat, dict) and "Like" in str(stat.get("interactionType")):
            return _int(stat.get("userInteractionCount"))
    return None


def _markup_items(doc, scope_attr: str, prop_attr: str, type_attr: str) -> list[dict]:
    """Microdata (itemscope/itemprop/itemtype) or RDFa (typeof/property) items, nesting kept."""
    items: list[dict] = []
    scopes = x(f"/descendant::*[@{scope_attr}]")(doc.root)[:MAX_ITEMS]
    by_el: dict = {}
    for el in scopes:
        types = _type_names(el.get(type_attr))
        if not (types & TYPES or types & NOT_DISCUSSION):
            continue
        item = _item(types, "microdata" if prop_attr == "itemprop" else "rdfa")
        props = _props(el, scope_attr, prop_attr)
        for name, found in _orphans(el, scope_attr, prop_attr).items():
            props.setdefault(name, found)
        author = _either(props, "author", "creator")
        if author is not None and author.get(scope_attr) is not None:
            sub = _props(author, scope_attr, prop_attr)
            item["author_name"] = _value(sub.get("name"), "name") or text(author)
            link = sub.get("url") if sub.get("url") is not None else sub.get("name")
            href = link.get("href") if link is not None and not isinstance(link, str) else link
            item["author_url"] = doc.absolute(href) if href and "/" in href else None
        elif author is not None:
            item["author_name"] = text(author)
        body = _either(props, "text", "articleBody", "description")
        if body is not None and body.get("content") is None and not squash(text_content(body)):
            body = _pushed_out(body, scope_attr, prop_attr)
        if body is not None and body.get("content") is None and not squash(text_content(body)):
            body = _scope_text(el, scope_attr, type_attr, {author, _either(props, "datePublished", "dateCreated")})
        item.update(id=el.get("id") or _value(props.get("identifier")),
                    url=doc.absolute(_value(props.get("url"), "url")),
                    title=_value(props.get("headline")) or _value(props.get("name")),
                    date=_value(props.get("datePublished")) or _value(props.get("dateCreated")),
                    el=body if body is not None and body.get("content") is None else None,
                    text=squash(_value(body)) or None, upvotes=_int(_value(props.get("upvoteCount"))),
                    parent_ref=_value(props.get("parentItem"), "parentItem"))
        stat = props.get("interactionStatistic")
        if stat is not None and stat.get(scope_attr) is not None:
            sub = _props(stat, scope_attr, prop_attr)
            if "Like" in (_value(sub.get("interactionType")) or ""):
                item["likes"] = _int(_value(sub.get("userInteractionCount")))
        parent = next((by_el[a] for a in el.iterancestors() if a in by_el), None)
        item["parent"] = parent
        item["scope_el"] = el
        item["accepted"] = "acceptedAnswer" in (el.get(prop_attr) or "")
        by_el[el] = item
        items.append(item)
    return items


def _orphans(scope, scope_attr: str, prop_attr: str) -> dict:
    """Properties a stray closing tag pushed out of the item: in the elements right after its scope element,
    up to the next item. Browsers show them in place; the tree libxml2 builds has them outside."""
    out: dict = {}
    type_attr = "itemtype" if scope_attr == "itemscope" else "typeof"
    # the elements after the scope in document order (a stray </div></div> can put them a level or two up)
    for el in x("following::*[position() <= 40]")(scope):
        if _type_names(el.get(type_attr)) & TYPES:
            break  # the next post
        for name in (el.get(prop_attr) or "").split():
            owner = next((a for a in el.iterancestors() if a.get(scope_attr) is not None), None)
            if owner is None or not _type_names(owner.get(type_attr)) & TYPES or owner in scope.iterancestors():
                out.setdefault(name.rsplit(":", 1)[-1].rsplit("/", 1)[-1], el)
    return out


def _pushed_out(body, scope_attr: str, prop_attr: str):
    """A body element left empty because a stray closing tag ended it: its text now follows it, up to the
    next property or item; a wrapper holding those elements stands in for it."""
    wrapper = etree.Element("div")
    wrapper.text = body.tail
    for sib in list(body.itersiblings()):
        if not isinstance(sib.tag, str) or sib.get(prop_attr) is not None or sib.get(scope_attr) is not None \
                or x(f"descendant::*[@{prop_attr} or @{scope_attr}]")(sib):
            break
        wrapper.append(copy.deepcopy(sib))
    return wrapper if len(wrapper) or squash(wrapper.text) else body


def _scope_text(scope, scope_attr: str, type_attr: str, skip: set):
    """The last resort for an item whose body broken markup scattered: its own text, without the posts nested in
    it and without its author and date, as a new element."""
    wrapper = etree.Element("div")
    parts: list[str] = []

    def walk(el, depth):
        if depth > MAX_DEPTH:
            return
        parts.append(el.text or "")
        for child in el:
            nested_post = isinstance(child.tag, str) and child.get(scope_attr) is not None and \
                _type_names(child.get(type_attr)) & TYPES
            if isinstance(child.tag, str) and child not in skip and not nested_post and \
                    child.tag not in ("script", "style", "form", "input", "button"):
                walk(child, depth + 1)
            parts.append(child.tail or "")

    walk(scope, 0)
    wrapper.text = squash(" ".join(parts))
    return wrapper


def _either(props: dict, *names: str):
    """The first property present (lxml elements without children are falsy: test for None)."""
    return next((props[n] for n in names if props.get(n) is not None), None)


def _props(scope, scope_attr: str, prop_attr: str) -> dict:
    """The scope's own properties (not those of scopes nested in it): name -> element or string."""
    out: dict = {}
    stack = list(scope)[::-1]  # document order from the end of a list: pop(0) made 400,000 nodes quadratic
    while stack:
        el = stack.pop()
        if not isinstance(el.tag, str):
            continue
        names = (el.get(prop_attr) or "").split()
        for name in names:
            name = name.rsplit(":", 1)[-1].rsplit("/", 1)[-1]
            if name not in out:
                out[name] = el  # the element: bodies keep their HTML and links, _value reads the rest
        if el.get(scope_attr) is None:
            stack.extend(list(el)[::-1])
    return out


URL_PROPS = frozenset(("url", "image", "sameAs", "parentItem", "mainEntityOfPage", "contentUrl"))


def _prop_value(el, name: str | None = None) -> str | None:
    """A property's value: content or datetime attributes, links for URL properties, else the text (many sites
    put itemprop="name" on the profile link, whose name is its text)."""
    attrs = ("content", "datetime", "href", "src", "resource") if name is None or name in URL_PROPS \
        else ("content", "datetime")
    for attr in attrs:
        if el.get(attr):
            return el.get(attr)
    return text(el)


def _value(found, name: str | None = None) -> str | None:
    if found is None or isinstance(found, str):
        return found
    return _prop_value(found, name)


def _mf2_items(doc) -> list[dict]:
    """microformats2: h-entry (or h-cite) posts, p-author h-card, dt-published, e-content, p-comment replies."""
    items: list[dict] = []
    by_el: dict = {}
    for el in x("/descendant::*[contains(@class, 'h-entry') or contains(@class, 'h-cite')]")(doc.root)[:MAX_ITEMS]:
        classes = set((el.get("class") or "").split())
        if not classes & {"h-entry", "h-cite"}:
            continue
        parent = next((by_el[a] for a in el.iterancestors() if a in by_el), None)
        item = _item({"Comment"} if parent is not None else {"BlogPosting"}, "microformats")
        author = _mf_first(el, "p-author", "u-author")
        if author is not None:
            name = _mf(author, "p-name")
            item["author_name"] = text(name) if name is not None else text(author)
            link = author if author.get("href") else _mf(author, "u-url")
            item["author_url"] = doc.absolute(link.get("href")) if link is not None else None
        published = _mf(el, "dt-published")
        content = _mf_first(el, "e-content", "p-content")
        url = _mf(el, "u-url")
        name = _mf(el, "p-name")
        item.update(parent=parent, el=content, text=text(content) if content is not None else None,
                    date=(published.get("datetime") or text(published)) if published is not None else None,
                    url=doc.absolute(url.get("href")) if url is not None else None,
                    title=text(name) if name is not None and name is not content else None, id=el.get("id"))
        by_el[el] = item
        items.append(item)
    # a feed of entries without replies is a listing; an entry with replies is a discussion
    return items if any(i["parent"] is not None for i in items) else []


def _mf_first(el, *classes: str):
    return next((found for found in (_mf(el, c) for c in classes) if found is not None), None)


def _mf(el, cls: str):
    """The first descendant with the microformats class, not inside a nested h-* item of its own."""
    for found in x(f"descendant::*[contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')]")(el):
        inner = next((a for a in found.iterancestors() if a is el or _is_item(a)), None)
        if inner is el:
            return found
    return None


def _is_item(el) -> bool:
    return any(c.startswith("h-") for c in (el.get("class") or "").split())


def _posts_from_items(doc, items: list[dict], thread_id: str) -> list[dict]:
    by_ref = {}
    for i in items:
        for ref in (i["id"], i["url"]):
            if ref:
                by_ref[ref] = i
    op = items[0] if items[0].get("_is_op", True) else None
    index = {id(i): n for n, i in enumerate(items)}
    ids = {id(i): _native_id(i, n) or f"{thread_id}#{n}" for n, i in enumerate(items)}
    depths: dict[int, int] = {}
    parents: list[str | None] = []
    for i in items:
        parent = i["parent"]
        if i["parent_ref"] and i["parent_ref"] in by_ref:
            parent = by_ref[i["parent_ref"]]
        if parent is op or parent is None or id(parent) not in index:
            parents.append(None)
            depths[id(i)] = 0
        else:
            parents.append(ids[id(parent)])
            depths[id(i)] = depths.get(id(parent), 0) + 1
    scopes = {i["scope_el"] for i in items if i.get("scope_el") is not None}
    posts: list[dict] = [{}] * len(items)
    # last first: an item's body that broken markup made swallow later items lets go of them only after they
    # have been read
    for n in reversed(range(len(items))):
        i = items[n]
        body = i["el"] if i["el"] is not None else _element_of(doc, i)
        if body is not None:
            for inner in [el for el in body.iter() if el in scopes and el is not i.get("scope_el")]:
                toolkit.drop(inner)
        linked_els = linked(body) if body is not None else []
        votes, kind = (i["upvotes"], "score") if i["upvotes"] is not None else (i["likes"], "likes") \
            if i["likes"] is not None else (None, None)
        iso = i["date"] if i["date"] and "T" in i["date"] else None
        posts[n] = {
            "id": ids[id(i)], "url": i["url"], "title": i["title"] if n == 0 else None,
            "author_name": i["author_name"], "author_id": None, "author_url": i["author_url"],
            "published_raw": i["date"], "_iso": iso,
            "body_text": element_text(body) if body is not None else i["text"] or "",
            "body_html": inner_html(body, doc.absolute, linked_els) if body is not None else "",
            "links": toolkit.links(doc, linked_els), "quotes": [], "votes": votes, "votes_kind": kind,
            "votes_raw": None if votes is None else str(votes), "rating": None, "deleted": False,
            "parent_id": parents[n], "depth": depths[id(i)],
            "extra": {"schema_type": sorted(i["types"])[0], **({"accepted": True} if i.get("accepted") else {})},
            "_is_op": i.get("_is_op", True),
        }
    return posts


def _element_of(doc, item: dict):
    """For a JSON-LD item whose id names an element of the page (``#post-9004``), that element's body: the
    largest element inside it whose text holds the item's text."""
    ref = item["id"] or item["url"] or ""
    fragment = urlsplit(ref).fragment if "#" in ref else None
    found = x("id($id)")(doc.root, id=fragment) if fragment else []
    if not found or not item["text"]:
        return None
    want = item["text"][:40]
    best = None
    for el in found[0].iter():
        if isinstance(el.tag, str) and want in squash(text_content(el)):
            best = el  # the innermost element that still holds the start of the text
            if el.tag == "p":
                best = el.getparent()
                break
    # broken markup can leave the text outside the element or pull other posts in: then the JSON-LD text
    # alone is the body
    shown = squash(text_content(best)) if best is not None else ""
    if not shown.startswith(item["text"][:20]) or len(shown) > 1.3 * len(item["text"]) + 40:
        return None
    return best


def _native_id(item: dict, n: int) -> str | None:
    for ref in (item["id"], item["url"]):
        if ref:
            fragment = urlsplit(ref).fragment if "#" in ref else ref.rsplit("/", 1)[-1]
            if fragment and NUMBER_IN_ID.search(fragment) and len(fragment) < 80:
                return fragment
    return None


# --- Stage 2: page structure -----------------------------------------------------------------------
def _signature(el) -> tuple:
    classes = tuple(sorted(NUMBER_IN_ID.sub("", c) for c in (el.get("class") or "").split()))
    return (el.tag, classes)


def _structure(doc) -> list:
    """The best group of same-shaped sibling blocks that each hold an author, a date and prose ([] if none).

    Blocks of that shape nested inside others (threaded comments) join the group. Kept on the document:
    detection and parsing ask for it in turn."""
    found = getattr(doc, "_generic_blocks", None)
    if found is None:
        found = doc._generic_blocks = _find_structure(doc)
    return found


def _find_structure(doc) -> list:
    body = doc.root.find("body")
    if body is None or x(X_SHOP)(doc.root):
        return []
    best, best_score = [], 0.0
    for parent in body.iter():
        if not isinstance(parent.tag, str) or len(parent) < 2 or _in_chrome(parent):
            continue
        groups: dict[tuple, list] = {}
        for child in parent:
            if isinstance(child.tag, str) and child.tag not in ("script", "style", "br", "hr", "option"):
                groups.setdefault(_signature(child), []).append(child)
        for members in groups.values():
            if len(members) < 2:
                continue
            good = [m for m in members if _looks_like_post(doc, m)]
            if len(good) < 2 or len(good) < 0.6 * len(members):
                continue
            score = len(good) * len(good) / len(members)
            if score > best_score:
                best, best_score = good, score
    if not best or _is_listing(doc, best):
        return []
    # blocks of the same shape elsewhere: replies nested in blocks, and blocks that broken markup (a stray
    # <table> in a post) pushed into another part of the tree
    shape = _signature(best[0])
    nested = [el for el in body.iter(shape[0]) if el not in best and _signature(el) == shape
              and not _in_chrome(el) and _looks_like_post(doc, el)]
    blocks = best + nested
    order = {el: i for i, el in enumerate(body.iter())}
    return sorted(blocks, key=lambda el: order.get(el, 0))


def _in_chrome(el) -> bool:
    return any(isinstance(a.tag, str) and a.tag in ("nav", "header", "footer", "aside", "form", "select")
               for a in (el, *el.iterancestors()))


def _parts(doc, block) -> dict | None:
    """Author element and name, date element and text, of one block (None when one of them is missing)."""
    author_el = name = None
    for a in x("descendant::a[@href]")(block):
        if PROFILE.search(a.get("href") or "") and text(a) and len(text(a)) <= 60:
            author_el, name = a, text(a)
            break
    if author_el is None:
        for el in x("descendant::*[@class]")(block):
            if AUTHOR_CLASS.search(el.get("class") or "") and not len(x("descendant::p")(el)):
                value = text(el)
                if value and len(value) <= 60:
                    author_el, name = el, BY.sub(r"\1", value).strip() if BY.search(value) else value
                    break
    date_el, raw = None, None
    for t in x("descendant::time")(block):
        date_el, raw = t, text(t) or t.get("datetime")
        break
    if date_el is None:
        for el in block.iter():
            if not isinstance(el.tag, str) or len(el) > 3:
                continue
            value = text(el)
            if value and len(value) <= 80 and DATEISH.search(value) and _is_date(value):
                date_el, raw = el, value
                break
    if author_el is None and date_el is not None:
        m = BY.search(text(date_el.getparent()) or "")
        if m:
            author_el, name = date_el.getparent(), m.group(1)
    if author_el is None or date_el is None:
        return None
    return {"author_el": author_el, "name": name, "date_el": date_el, "raw": raw}


def _is_date(value: str) -> bool:
    return bool(parse_display_date(value) or relative_to(value, "2000-01-01T00:00:00Z")
                or day_word_fields(value, "2000-01-01T00:00:00Z", None))


def _looks_like_post(doc, block) -> bool:
    parts = _parts(doc, block)
    if parts is None:
        return False
    prose = _prose(block, parts)
    return len(prose) >= 25 and " " in prose


def _prose(block, parts) -> str:
    """The block's words outside its author, date, links and nested blocks of the same shape."""
    shape = _signature(block)
    skip = {parts["author_el"], parts["date_el"]}
    out: list[str] = []

    def walk(el, depth: int) -> None:
        if depth > MAX_DEPTH:
            return
        out.append(el.text or "")
        for child in el:
            if isinstance(child.tag, str) and child not in skip and child.tag not in ("a", "script", "style") \
                    and _signature(child) != shape:
                walk(child, depth + 1)
            out.append(child.tail or "")

    walk(block, 0)
    return squash(" ".join(out))


def _is_below(el, ancestor) -> bool:
    return any(a is ancestor for a in el.iterancestors())


def _is_listing(doc, blocks) -> bool:
    """Topic listings and search results: each block leads with a link to another page of content."""
    if x(X_SEARCH)(doc.root) and len(blocks) >= 3:
        return True
    leading = 0
    targets = set()
    for block in blocks:
        # the first link with words: a teaser's picture link before its title link says nothing
        first = next((a for a in x("descendant::a[@href]")(block)
                      if not PROFILE.search(a.get("href") or "") and text(a)), None)
        if first is None:
            continue
        label = text(first) or ""
        heading = (first.getparent() is not None and first.getparent().tag in ("h1", "h2", "h3", "h4", "strong", "b")
                   or bool(x("descendant::*[self::h1 or self::h2 or self::h3 or self::h4]")(first)))
        if len(label) >= 12 and (heading or squash(text_content(block)).startswith(label)):
            leading += 1
            parts = urlsplit(doc.absolute(first.get("href")) or "")
            targets.add((parts.path, parts.query))
    return leading >= 0.6 * len(blocks) and len(targets) >= 0.6 * len(blocks)


def _posts_from_blocks(doc, blocks: list, thread_id: str) -> tuple[list[dict], float]:
    members = set(blocks)
    parts = [_parts(doc, block) for block in blocks]
    ancestors = [[a for a in block.iterancestors() if a in members] for block in blocks]
    ids = {}
    for n, block in enumerate(blocks):
        native = block.get("id")
        ids[block] = native if native and NUMBER_IN_ID.search(native) and len(native) < 80 else f"{thread_id}#{n}"
    posts: list[dict] = [{}] * len(blocks)
    # deepest first: a reply is read before the block around it lets go of it
    for n in reversed(range(len(blocks))):
        block, part = blocks[n], parts[n]
        body = _body(block, part, members)
        for inner in [el for el in body.iter() if el in members and el is not block]:
            toolkit.drop(inner)
        linked_els = [el for el in linked(body) if el is not part["author_el"]]
        href = part["author_el"].get("href")
        posts[n] = {
            "id": ids[block], "url": None, "title": None, "author_name": part["name"], "author_id": None,
            "author_url": doc.absolute(href) if href and PROFILE.search(href) else None,
            "published_raw": part["raw"], "_iso": part["date_el"].get("datetime") if part["date_el"].tag == "time"
            else None,
            "body_text": element_text(body), "body_html": inner_html(body, doc.absolute, linked_els),
            "links": toolkit.links(doc, linked_els), "quotes": [], "votes": None, "votes_kind": None,
            "votes_raw": None, "rating": None, "deleted": False,
            "parent_id": ids[ancestors[n][0]] if ancestors[n] else None, "depth": len(ancestors[n]), "extra": {},
        }
    regular = sum(1 for p in posts if p["author_name"] and p["published_raw"])
    return posts, round(0.5 + 0.4 * regular / len(posts) * min(1.0, len(posts) / 5), 2)


def _body(block, parts, members):
    """The block's largest element of prose that holds neither its author nor its date, else the block."""
    best, best_len = None, 0
    for el in block.iter():
        if el is block or not isinstance(el.tag, str) or el.tag in ("a", "span", "time", "b", "strong", "em"):
            continue
        if el in members or parts["author_el"] in el.iter() or parts["date_el"] in el.iter():
            continue
        size = len(squash(text_content(el)))
        if size > best_len:
            best, best_len = el, size
    total = len(_prose(block, parts))
    return best if best is not None and best_len >= 0.5 * total else block
