"""XenForo 1.x (``li.message`` in ``ol#messageList``) and 2.x (``article.message--post``) thread pages.

Posts are flat; the quote links (``data-source="post: N"`` in XF2, ``goto/post?id=N`` in both) are the reply
network. Dates come from ``<time datetime>`` (XF2) or ``data-time`` epochs (XF1 recent posts) before the
displayed text, which XF1 keeps in a ``title`` for older posts.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

from lxml import etree

from harvester.dates import normalise, parse_iso
from harvester.model import ParsedPage
from harvester.text import element_text, has_class, inner_html, linked, squash, text_content

NAME = "xenforo"
VERSION = "1.0.0"


def _x(expr: str) -> etree.XPath:
    return etree.XPath(expr, smart_strings=False)


# --- Selectors -------------------------------------------------------------------------------------------------
X_HTML_ID = _x("/html/@id")
X_XF1_POSTS = _x(f"/descendant::ol[@id='messageList']//li[starts-with(@id,'post-')][{has_class('message')}]")
X_XF2_POSTS = _x(f"/descendant::*[{has_class('message--post')}][starts-with(@data-content,'post-')]")
X_SIGNS = (  # (weight, sign name, expression): detection scores; a page needs 5 or more
    (6, "html#XenForo", _x("/html[@id='XenForo']")),
    (6, "html#XF", _x("/html[@id='XF']")),
    (4, "li.message in ol#messageList", _x(f"/descendant::ol[@id='messageList']/li[{has_class('message')}]")),
    (4, "article.message--post[data-content]", X_XF2_POSTS),
    (2, "xenforo.js / xf core js", _x("/descendant::script[contains(@src,'js/xenforo/') or contains(@src,'/js/xf/')]")),
    (2, "XenForo footer credit", _x("/descendant::a[contains(@href,'xenforo.com')][contains(.,'XenForo')]")),
    (1, "div.mainContent / div.p-body", _x(f"/descendant::div[{has_class('mainContent')} or {has_class('p-body')}]")),
)
THRESHOLD = 5

# XenForo 1
X1_TITLE = _x(f"/descendant::div[{has_class('titleBar')}]/h1")
X1_CRUMBS = _x(f"(/descendant::span[{has_class('crumbs')}])[1]/span[{has_class('crumb')}]/a")
X1_PAGENAV = _x(f"/descendant::div[{has_class('PageNav')}][@data-last]")
X1_LOCKED = _x(f"/descendant::dl[{has_class('threadAlerts')}]//span[@title='Locked']")
X1_BODY = _x(f"descendant::blockquote[{has_class('messageText')}]")
X1_DATE = _x(f"descendant::*[{has_class('messageMeta')}]//a[{has_class('datePermalink')}]")
X1_USER_LINK = _x(f"descendant::*[{has_class('messageUserInfo')} or {has_class('messageMeta')} or "
                  f"{has_class('placeholderContent')}]//a[{has_class('username')} or {has_class('avatar')}][@href]")
X1_TITLE_EL = _x(f"descendant::em[{has_class('userTitle')}]")
X1_PAIRS = _x(f"descendant::div[{has_class('extraUserInfo')}]/dl")
X1_AVATAR = _x(f"descendant::*[{has_class('avatarHolder')}]//img/@src")
X1_LIKES = _x(f"descendant::*[{has_class('LikeText')}]")
X1_EDIT = _x(f"descendant::div[{has_class('editDate')}]")
X1_QUOTES = _x(f"descendant::div[{has_class('bbCodeQuote')}]")
X1_QUOTE_CHROME = _x(f"descendant::div[{has_class('attribution')} or {has_class('quoteExpand')} or "
                     f"{has_class('messageTextEndMarker')}]")
X1_DELETION = _x(f"descendant::*[{has_class('deletionNote')}]")

# XenForo 2
X2_TITLE = _x(f"/descendant::h1[{has_class('p-title-value')}]")
X2_CRUMBS = _x(f"(/descendant::ul[{has_class('p-breadcrumbs')}])[1]/li/a")
X2_PAGES = _x(f"(/descendant::ul[{has_class('pageNav-main')}])[1]/li")
X2_LOCKED = _x(f"/descendant::*[{has_class('blockStatus-message--locked')}]")
X2_STICKY = _x(f"/descendant::*[{has_class('blockStatus-message--sticky')}]")
X2_LD = _x("/html/head/script[@type='application/ld+json']/text()")
X2_BODY = _x(f"descendant::article[{has_class('message-body')}]//div[{has_class('bbWrapper')}]")
X2_DATE = _x(f"descendant::*[{has_class('message-attribution-main')}]//time")
X2_DATE_LINK = _x(f"descendant::*[{has_class('message-attribution-main')}]//a[time]")
X2_USER = _x(f"descendant::*[{has_class('message-name')} or {has_class('message-attribution-main')}]"
             f"//*[{has_class('username')}]")
X2_TITLE_EL = _x(f"descendant::*[{has_class('message-userTitle')}]")
X2_PAIRS = _x(f"descendant::*[{has_class('message-userExtras')}]/dl")
X2_AVATAR = _x(f"descendant::*[{has_class('message-avatar')}]//img/@src")
X2_REACTIONS = _x(f"descendant::*[{has_class('reactionsBar')} or {has_class('likesBar')}]"
                  f"//a[{has_class('reactionsBar-link')} or {has_class('likesBar-link')}]")
X2_REACTION_KINDS = _x(f"descendant::*[{has_class('reactionSummary')}]//img/@alt")
X2_SCORE = _x("descendant::*[@itemprop='interactionStatistic']/meta[@itemprop='userInteractionCount']/@content")
X2_EDIT = _x(f"descendant::div[{has_class('message-lastEdit')}]")
X2_QUOTES = _x(f"descendant::blockquote[{has_class('bbCodeBlock--quote')}]")
X2_QUOTE_CHROME = _x(f"descendant::*[{has_class('bbCodeBlock-title')} or {has_class('bbCodeBlock-expandLink')}]")
X2_DELETION = _x(f"descendant::*[{has_class('messageNotice--deleted')}]")
X2_NOTICE_STATES = (("messageNotice--moderated", "moderated"), ("messageNotice--ignored", "ignored"))

X_LINK_HREFS = _x("descendant::a/@href")
X_THREAD_LINKS = _x("/descendant::*[" + has_class("structItem-title") + " or " + has_class("discussionListItem")
                    + "]//a[contains(@href,'threads/')]/@href")
X_FORUM_LINKS = _x("/descendant::*[" + has_class("node-title") + " or " + has_class("nodeTitle") + "]//a/@href")
X_CANONICAL = _x("/html/head/link[@rel='canonical']/@href")

RE_THREAD = re.compile(r"threads/(?:[^/?#]*\.)?(\d+)/?(?:page-(\d+))?")
RE_MEMBER = re.compile(r"members/(?:[^/?#]*\.)?(\d+)/?")
RE_POST_ID = re.compile(r"(?:goto/post\?id=|posts/|post-)(\d+)")
RE_SOURCE = re.compile(r"post:\s*(\d+)")
RE_NUMBER = re.compile(r"\d[\d.,\u00a0\u202f ]*")
RE_PAGE_OF = re.compile(r"(\d+)\D+(\d+)\s*$")
# "Today at 10:15" and its translations: the day is the capture's, in the board's (unknown) zone.
RELATIVE_DAYS = {
    0: ("today", "heute", "aujourd'hui", "hoy", "oggi", "vandaag", "hoje", "dzisiaj", "сегодня"),
    1: ("yesterday", "gestern", "hier", "ayer", "ieri", "gisteren", "ontem", "wczoraj", "вчера"),
}
RE_CLOCK = re.compile(r"(\d{1,2})[:.h](\d{2})\s*([ap]\.?m\.?)?", re.I)


# --- Detection -------------------------------------------------------------------------------------------------
def score(doc) -> tuple[int, str | None, list[str]]:
    """(score, version, signs seen): 6 for the html id, 4 for the post markup, less for scripts and credits."""
    root = doc.root
    signs, total = [], 0
    for weight, name, x in X_SIGNS:
        if x(root):
            signs.append(name)
            total += weight
    return total, _version(root), signs


def detect(doc) -> bool:
    return score(doc)[0] >= THRESHOLD


def _version(root) -> str | None:
    html_id = (X_HTML_ID(root) or [None])[0]
    if html_id == "XF" or (html_id != "XenForo" and X_XF2_POSTS(root)):
        return "2"
    if html_id == "XenForo" or X_XF1_POSTS(root):
        return "1"
    return None


# --- Parsing ---------------------------------------------------------------------------------------------------
def parse(doc, zone=None, links: bool = True, records: bool = True) -> ParsedPage:
    root = doc.root
    version = _version(root) or "2"
    url = _thread_url(doc)
    found = [u for u in (url, *X_CANONICAL(root)) if u and RE_THREAD.search(u)]
    match = RE_THREAD.search(found[0]) if found else None
    page_no = int(match.group(2)) - 1 if match and match.group(2) else None
    hints = _crawl_links(doc, root) if links else {}
    elements = X_XF2_POSTS(root) if version == "2" else X_XF1_POSTS(root)
    if not elements:
        return ParsedPage(thread=None, posts=[], links=hints,
                          skip_reason="XenForo page without posts (a forum listing or another page)")
    thread_id = f"thread/{match.group(1)}" if match else f"path:{doc.url or doc.page.source_file}"
    thread_url = doc.absolute(f"/threads/{match.group(1)}/") if match and not url else _first_page_url(url)
    current, pages_total = _pager(root, version)
    if page_no is None:
        page_no = current if current is not None else 0
    if not records:
        return ParsedPage(thread={"id": thread_id, "url": thread_url}, posts=[], links=hints, page_number=page_no)
    _unnest(elements)
    captured = doc.page.capture_time
    read = _xf2_post if version == "2" else _xf1_post
    posts = []
    for el in elements:
        post = read(doc, el)
        post.update(thread_id=thread_id, parent_id=None, depth=0, title=None)
        _set_date(post, zone, captured)
        if post["extra"].get("edited_raw") is not None:
            post["extra"]["edited"] = _date_value(post["extra"].pop("_edited_iso"), post["extra"]["edited_raw"],
                                                  zone, captured)
        else:
            post["extra"].pop("_edited_iso", None)
        posts.append(post)
    title = _title(root, version)
    for i, post in enumerate(posts):
        post["is_op"] = page_no == 0 and i == 0
        if post["is_op"]:
            post["title"] = title
    crumbs = [(squash(text_content(a)), doc.absolute(a.get("href"))) for a in
              (X2_CRUMBS(root) if version == "2" else X1_CRUMBS(root))]
    extra = {"xenforo_version": version}
    if crumbs:
        extra["board_path"] = [name for name, _ in crumbs]
        extra["board_url"] = crumbs[-1][1]
    if X2_LOCKED(root) or X1_LOCKED(root):
        extra["locked"] = True
    if X2_STICKY(root):
        extra["sticky"] = True
    op = posts[0] if posts[0]["is_op"] else None
    thread = {
        "id": thread_id,
        "url": thread_url,
        "title": title,
        "board": crumbs[-1][0] if crumbs else None,
        "author_name": op["author_name"] if op else None,
        "created": op["published"] if op else None,
        "reply_count": _reply_count(root) if version == "2" else None,
        "extra": extra,
    }
    return ParsedPage(thread=thread, posts=posts, page_number=page_no,
                      pages_total=max(pages_total or 1, page_no + 1), links=hints)


def _unnest(elements: list) -> None:
    """Unclosed tags in one post make the parser nest the next posts inside it: move them back out, in order."""
    members = {id(el) for el in elements}
    previous = None
    for el in elements:
        if previous is not None and any(id(a) in members for a in el.iterancestors()):
            el.getparent().remove(el)
            previous.addnext(el)
        previous = el


def _thread_url(doc) -> str | None:
    return doc.url if doc.url and RE_THREAD.search(doc.url) else None


def _first_page_url(url: str | None) -> str | None:
    return re.sub(r"page-\d+/?$", "", url.split("#")[0]) if url else None


def _title(root, version: str) -> str | None:
    el = (X2_TITLE(root) if version == "2" else X1_TITLE(root)) or None
    return squash(text_content(el[0])) if el else None


def _pager(root, version: str) -> tuple[int | None, int | None]:
    """(zero-based current page, total pages): XF1 ``data-page``/``data-last``, XF2 the page list's items."""
    if version == "1":
        nav = X1_PAGENAV(root)
        if nav:
            return _int(nav[0].get("data-page"), -1), _int(nav[0].get("data-last"))
        return None, None
    current, last = None, None
    for li in X2_PAGES(root):
        n = _int(squash(text_content(li)))
        if n is None:
            continue
        last = max(last or 0, n)
        if "pageNav-page--current" in (li.get("class") or ""):
            current = n - 1
    return current, last


def _int(value, shift: int = 0) -> int | None:
    digits = re.sub(r"\D", "", value or "")
    return int(digits) + shift if digits else None


def _reply_count(root) -> int | None:
    """The ReplyAction count of the page's DiscussionForumPosting JSON-LD."""
    for text in X2_LD(root):
        try:
            data = json.loads(text)
        except ValueError:
            continue
        stats = data.get("interactionStatistic") if isinstance(data, dict) else None
        for stat in stats if isinstance(stats, list) else [stats]:
            if isinstance(stat, dict) and "ReplyAction" in str(stat.get("interactionType")):
                count = stat.get("userInteractionCount")
                return count if isinstance(count, int) else _int(str(count))
    return None


# --- one post -----------------------------------------------------------------------------------------------------
def _base(doc, el, post_id: str, name: str | None, profile: str | None, user_id: str | None) -> dict:
    anonymous = user_id is None
    return {"id": f"post/{post_id}", "author_name": name, "author_id": None if anonymous else user_id,
            "author_url": profile if not anonymous else None, "published": None, "published_tz": None,
            "url": doc.absolute(f"/posts/{post_id}/"), "extra": {"anonymous": True} if anonymous else {}}


def _xf1_post(doc, el) -> dict:
    post_id = el.get("id")[5:]
    link = next((a for a in X1_USER_LINK(el) if RE_MEMBER.search(a.get("href"))), None)
    profile = doc.absolute(link.get("href")) if link is not None else None
    user_id = RE_MEMBER.search(profile).group(1) if profile else None
    post = _base(doc, el, post_id, el.get("data-author"), profile, user_id)
    date = X1_DATE(el)
    stamp = date[0].find(".//*[@class]") if date else None
    post["_epoch"] = stamp.get("data-time") if stamp is not None else None
    post["_iso"] = None
    post["published_raw"] = _shown_date(stamp)
    if date:
        post["url"] = doc.absolute(date[0].get("href"))
    classes = (el.get("class") or "").split()
    states = [c for c in ("deleted", "moderated", "ignored") if c in classes]
    body = X1_BODY(el)
    body = body[0] if body else None
    _read_body(doc, post, body, X1_QUOTES, X1_QUOTE_CHROME, _xf1_quote)
    likes = X1_LIKES(el)
    if likes:
        names = len(likes[0].xpath(f"a[{has_class('username')}]"))
        others = sum(_int(text_content(a)) or 0 for a in likes[0].xpath("a[contains(@href,'/likes')]"))
        post["votes"], post["votes_raw"] = names + others, squash(text_content(likes[0]))
    else:
        post["votes"] = post["votes_raw"] = None
    _edit_note(post, X1_EDIT(el))
    _postbit(post, el, X1_TITLE_EL, X1_PAIRS, X1_AVATAR, doc)
    _states(post, states, X1_DELETION(el))
    return post


def _xf2_post(doc, el) -> dict:
    post_id = el.get("data-content")[5:]
    user = X2_USER(el)
    user = user[0] if user else None
    uid = user.get("data-user-id") if user is not None else None
    href = user.get("href") if user is not None else None
    profile = doc.absolute(href) if href else None
    if uid in (None, "") and profile and RE_MEMBER.search(profile):
        uid = RE_MEMBER.search(profile).group(1)
    post = _base(doc, el, post_id, el.get("data-author") or (squash(text_content(user)) if user is not None else None),
                 profile, uid if uid not in (None, "", "0") else None)
    time_el = X2_DATE(el)
    time_el = time_el[0] if time_el else None
    post["_iso"] = time_el.get("datetime") if time_el is not None else None
    post["_epoch"] = time_el.get("data-time") if time_el is not None else None
    post["published_raw"] = _shown_date(time_el)
    link = X2_DATE_LINK(el)
    if link:
        post["url"] = doc.absolute(link[0].get("href"))
    classes = (el.get("class") or "").split()
    states = ["deleted"] if "message--deleted" in classes else []
    states += ["ignored"] if "is-ignored" in classes else []
    for cls, state in X2_NOTICE_STATES:
        if el.xpath(f"descendant::*[{has_class(cls)}]") and state not in states:
            states.append(state)
    body = X2_BODY(el)
    body = body[0] if body else None
    _read_body(doc, post, body, X2_QUOTES, X2_QUOTE_CHROME, _xf2_quote)
    bar = X2_REACTIONS(el)
    if bar:
        raw = squash(text_content(bar[0]))
        names = len(bar[0].xpath("bdi")) or len(bar[0].xpath(f"*[{has_class('username')}]"))
        tail = "".join(t for t in bar[0].xpath("text()"))
        others = _int((RE_NUMBER.findall(tail) or [""])[-1])
        post["votes"], post["votes_raw"] = names + (others or 0), raw
        kinds = X2_REACTION_KINDS(el)
        if kinds:
            post["extra"]["reaction_kinds"] = kinds
    else:
        post["votes"] = post["votes_raw"] = None
    score = X2_SCORE(el)
    if score and _int(score[0]) is not None:
        post["extra"]["reaction_score"] = int(score[0]) if score[0].lstrip("-").isdigit() else _int(score[0])
    _edit_note(post, X2_EDIT(el))
    _postbit(post, el, X2_TITLE_EL, X2_PAIRS, X2_AVATAR, doc)
    _states(post, states, X2_DELETION(el))
    return post


def _shown_date(el) -> str | None:
    """The date as the page shows it: XF's title holds the full date and time, the text may say only "Today"."""
    if el is None:
        return None
    return squash(el.get("title") or "") or squash(text_content(el)) or None


def _read_body(doc, post: dict, body, x_quotes, x_chrome, quote_fn) -> None:
    if body is None:
        post.update(body_text="", body_html="", links=[], quotes=[])
        return
    post["quotes"] = [quote_fn(q) for q in x_quotes(body)]
    for junk in x_chrome(body):
        _drop(junk)
    links = linked(body)
    post["body_text"] = element_text(body)
    post["body_html"] = inner_html(body, doc.absolute, links)
    post["links"] = [{"url": doc.absolute(a.get("href")), "text": squash(text_content(a))}
                     for a in links if a.tag == "a" and a.get("href") is not None]


def _drop(el) -> None:
    parent = el.getparent()
    if parent is None:
        return
    if el.tail and el.tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _quote_id(*values) -> str | None:
    for value in values:
        m = value and (RE_SOURCE.search(value) or RE_POST_ID.search(value))
        if m:
            return f"post/{m.group(1)}"
    return None


def _xf1_quote(q) -> dict:
    inner = q.xpath(f"descendant::div[{has_class('quote')}]")
    link = q.xpath(f"descendant::a[{has_class('AttributionLink')}]/@href")
    return {"author": q.get("data-author") or None, "text": element_text(inner[0]) if inner else element_text(q),
            "post_id": _quote_id(*link)}


def _xf2_quote(q) -> dict:
    inner = q.xpath(f"descendant::*[{has_class('bbCodeBlock-expandContent')}]")
    jump = q.xpath(f"descendant::a[{has_class('bbCodeBlock-sourceJump')}]")
    author = q.get("data-quote")
    if not author and jump:
        author = re.sub(r"\s*\S+\s*:$", "", squash(text_content(jump[0]))) or None
    return {"author": author or None, "text": element_text(inner[0]) if inner else element_text(q),
            "post_id": _quote_id(q.get("data-source"), *(j.get("href") for j in jump))}


def _edit_note(post: dict, notes) -> None:
    if not notes:
        post["extra"]["_edited_iso"] = None
        return
    stamp = notes[0].xpath("descendant::*[@datetime or @data-time or @title]")
    stamp = stamp[0] if stamp else None
    post["extra"]["edit_note"] = squash(text_content(notes[0]))
    post["extra"]["edited_raw"] = _shown_date(stamp) if stamp is not None else post["extra"]["edit_note"]
    post["extra"]["_edited_iso"] = _machine_time(stamp) if stamp is not None else None


def _machine_time(el) -> str | None:
    if el.get("datetime"):
        return el.get("datetime")
    epoch = el.get("data-time")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).isoformat()
    return None


def _postbit(post: dict, el, x_title, x_pairs, x_avatar, doc) -> None:
    """User title, join date, message count, location and avatar, as the postbit shows them."""
    facts = {}
    title = x_title(el)
    if title and squash(text_content(title[0])):
        facts["title"] = squash(text_content(title[0]))
    for dl in x_pairs(el):
        dt, dd = dl.find("dt"), dl.find("dd")
        if dt is not None and dd is not None:
            facts[squash(text_content(dt)).rstrip(":").strip()] = squash(text_content(dd))
    avatar = x_avatar(el)
    if avatar:
        facts["avatar"] = doc.absolute(avatar[0])
    if facts and not post["extra"].get("anonymous"):
        post["extra"]["author_postbit"] = facts


def _states(post: dict, states: list[str], notices) -> None:
    if states:
        post["extra"]["state"] = states[0] if len(states) == 1 else states
    if notices:
        post["extra"]["deletion_note"] = squash("".join(notices[0].xpath("text() | *[not(self::a)]//text()")))
    post["deleted"] = bool(states)


# --- dates --------------------------------------------------------------------------------------------------------
def _set_date(post: dict, zone, captured: str | None) -> None:
    iso, epoch, raw = post.pop("_iso"), post.pop("_epoch"), post["published_raw"]
    if not iso and epoch and epoch.isdigit():
        iso = datetime.fromtimestamp(int(epoch), UTC).isoformat()
    if iso and parse_iso(_colon_offset(iso)) is not None:
        post["published"], post["published_tz"] = normalise(raw, _colon_offset(iso), zone)
        return
    post["published"], post["published_tz"] = normalise(raw, None, zone) if raw else (None, None)
    if post["published"] is None and raw:
        relative = _relative(raw, captured)
        if relative is not None:
            post["published"], post["published_tz"] = relative, None
            post["extra"]["published_approximate"] = True


def _date_value(iso: str | None, raw: str | None, zone, captured) -> str | None:
    holder = {"_iso": iso, "_epoch": None, "published_raw": raw, "extra": {}}
    _set_date(holder, zone, captured)
    return holder["published"]


def _colon_offset(iso: str) -> str:
    """XF2 writes offsets as +0100; older Pythons' fromisoformat wants +01:00."""
    return re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", iso)


def _relative(raw: str, captured: str | None) -> str | None:
    """"Today at 10:15" / "Gestern um 18:02": the capture's day with the printed clock time, local, approximate."""
    ref = parse_iso(captured) if captured else None
    if ref is None:
        return None
    low = raw.lower()
    for back, words in RELATIVE_DAYS.items():
        if any(low.startswith(w) for w in words):
            clock = RE_CLOCK.search(raw)
            day = (ref - timedelta(days=back)).date()
            if not clock:
                return day.isoformat()
            hour, minute = int(clock.group(1)), int(clock.group(2))
            meridian = (clock.group(3) or "").lower().replace(".", "")
            if meridian == "pm" and hour < 12:
                hour += 12
            elif meridian == "am" and hour == 12:
                hour = 0
            return datetime(day.year, day.month, day.day, hour, minute).isoformat(timespec="seconds")
    return None


# --- crawl hints ----------------------------------------------------------------------------------------------------
# URL traps: reply/quote/report/edit forms, reactions and likes lists, member pages, search, sorting, goto redirects.
TRAPS = re.compile(r"/(?:reply|report|edit|delete|quote|reactions?|likes?|react|share|bookmark|history|ip|warn"
                   r"|watch|unread|latest|preview|approve|move|threadmark)s?(?:[/?#]|$)|/(?:members|search|login"
                   r"|register|lost-password|misc|goto|find-new|whats-new|inline-mod|account|conversations"
                   r"|help|attachments|posts)/|[?&](?:order|direction|prefix_id|starter_id|last_days|quote|page=)")


def _crawl_links(doc, root) -> dict[str, list[str]]:
    """Other pages of this thread (pager), thread links on a listing, sub-forum and listing pages."""
    def keep(hrefs, want):
        out = []
        for href in hrefs:
            url = doc.absolute(href)
            if url and url not in out and want(url) and not TRAPS.search(url.split("://", 1)[-1]):
                out.append(url.split("#")[0])
        return list(dict.fromkeys(out))

    current = RE_THREAD.search(doc.url or "")
    pager = root.xpath(f"/descendant::*[{has_class('PageNav')} or {has_class('pageNav')}]//a/@href")
    same_thread = (lambda u: bool(RE_THREAD.search(u)) and RE_THREAD.search(u).group(1) == current.group(1)) \
        if current else (lambda u: "/page-" in u)
    pages = keep(pager, same_thread)
    threads = keep(X_THREAD_LINKS(root), lambda u: bool(RE_THREAD.search(u)))
    threads = list(dict.fromkeys(re.sub(r"(threads/[^/?#]+/).*$", r"\1", u) for u in threads))
    listing_pages = keep(pager, lambda u: "/forums/" in u) if not current else []
    forums = keep(X_FORUM_LINKS(root), lambda u: "/forums/" in u or "/categories/" in u)
    return {"pages": pages, "threads": threads, "listings": list(dict.fromkeys(listing_pages + forums))}
