"""XenForo 1.x (``li.message`` in ``ol#messageList``) and 2.x (``article.message--post``) thread pages.

Boards are flat: ``parent_id`` stays null and the quotes' post ids (``data-source="post: N"`` in 2.1+, the
``goto/post?id=N`` header link in 1.x and 2.0) are the reply network. What is XenForo's own here and not in
the toolkit: the full date kept in the ``title`` of its date elements, reaction and like lists counted from
their markup (any board language), the postbit's labelled pairs, moderation states, the pager, and its URLs.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

from harvester.dates import normalise, parse_display_date
from harvester.engines import toolkit
from harvester.engines.toolkit import CLAIM, Detection, Layout, Sign, first, has_class, text, x
from harvester.model import ParsedPage

NAME = "xenforo"
VERSION = "2.0.0"

# --- Selectors ---------------------------------------------------------------------------------------------
# Not only inside ol#messageList: a stray </div> in one message closes the list and the posts after it follow it
XF1_POSTS = f"/descendant::li[starts-with(@id,'post-')][{has_class('message')}]"
XF2_POSTS = f"/descendant::*[{has_class('message--post')}][starts-with(@data-content,'post-')]"

SIGNS = (
    Sign("html#XenForo", CLAIM, "/html[@id='XenForo']", version="1"),
    Sign("html#XF", CLAIM, "/html[@id='XF']", version="2"),
    Sign("li.message in ol#messageList", 6, f"/descendant::ol[@id='messageList']/li[{has_class('message')}]",
         needle="messageList", version="1"),
    Sign("article.message--post[data-content=post-N]", 6, XF2_POSTS, needle="message--post", version="2"),
    Sign("js/xenforo/ scripts", 4, "/descendant::script[contains(@src,'js/xenforo/')]", needle="js/xenforo/",
         version="1"),
    Sign("js/xf/ scripts", 4, "/descendant::script[contains(@src,'/js/xf/')]", needle="/js/xf/", version="2"),
    Sign("XenForo footer credit", 4, "/descendant::a[contains(@href,'xenforo.com')]", needle="xenforo.com"),
)

MEMBER_ID = r"members/(?:[^/?#]*\.)?(\d+)/?"
_NAMES = f"descendant::*[{has_class('message-name')} or {has_class('message-attribution-main')}]"
_XF2_DATE = f"descendant::*[{has_class('message-attribution-main')}]/descendant::time"
XF2 = Layout(
    post=XF2_POSTS,
    post_id="@data-content",
    permalink=f"{_XF2_DATE}/parent::a/@href",
    author=f"{_NAMES}/descendant::*[{has_class('username')}]",
    profile_id_re=MEMBER_ID,
    date=_XF2_DATE,
    date_attrs=("datetime", "data-time"),
    body=f"descendant::article[{has_class('message-body')}]/descendant::div[{has_class('bbWrapper')}]",
    junk=f"descendant::*[{has_class('bbCodeBlock-title')} or {has_class('bbCodeBlock-expandLink')}]",
    edited=f"descendant::div[{has_class('message-lastEdit')}]",
    quote=f"descendant::blockquote[{has_class('bbCodeBlock--quote')}]",
    quote_author="@data-quote",
    quote_post_id="@data-source",
    guest=f"{_NAMES}/descendant::*[{has_class('username')}][@data-user-id='0']",
    facts=(("user_title", f"descendant::*[{has_class('message-userTitle')}]"),
           ("avatar_url", f"descendant::*[{has_class('message-avatar')}]/descendant::img")),
)
# Post furniture after the body: where text that a stray </div> pushed out of the body ends
IS_FURNITURE = toolkit.furniture(frozenset((
    "messageTextEndMarker", "messageMeta", "editDate", "signature", "likesSummary", "message-lastEdit",
    "message-footer", "message-signature", "message-actionBar", "js-selectToQuoteEnd", "reactionsBar",
    "message-attachments")), ("likes-post-", "js-selectToQuoteEnd"))
BODY_BOX = {"1": f"descendant::div[{has_class('messageContent')}]",
            "2": f"descendant::article[{has_class('message-body')}]"}
_XF1_PERMALINK = f"descendant::*[{has_class('messageMeta')}]/descendant::a[{has_class('datePermalink')}]"
XF1 = Layout(
    post=XF1_POSTS,
    post_id="@id",
    permalink=f"{_XF1_PERMALINK}/@href",
    author=f"descendant::*[{has_class('userText')}]/*[{has_class('username')}]"
           f" | descendant::*[{has_class('placeholderContent')}]/a[{has_class('avatar')}]",
    profile_id_re=MEMBER_ID,
    date=f"{_XF1_PERMALINK}/*[{has_class('DateTime')}]",
    date_attrs=("datetime", "data-time"),
    body=f"descendant::blockquote[{has_class('messageText')}]",
    junk=f"descendant::*[{has_class('attribution')} or {has_class('quoteExpand')}"
         f" or {has_class('messageTextEndMarker')}]",
    edited=f"descendant::div[{has_class('editDate')}]",
    quote=f"descendant::div[{has_class('bbCodeQuote')}]",
    quote_author="@data-author",
    quote_post_id="@data-source",
    guest=f"self::*[not(descendant::a[{has_class('username')} or {has_class('avatar')}][contains(@href,'members/')])]",
    facts=(("user_title", f"descendant::*[{has_class('userText')}]/*[{has_class('userTitle')}]"),
           ("avatar_url", f"descendant::*[{has_class('avatarHolder')}]/descendant::img")),
)

# Per version: (postbit pairs, likes or reactions bar, its kind, deletion notice, states marked inside the post)
X_PAIRS = {"1": f"descendant::div[{has_class('extraUserInfo')}]/dl",
           "2": f"descendant::*[{has_class('message-userExtras')}]/dl"}
X_VOTES = {"1": f"descendant::*[{has_class('LikeText')}]",
           "2": f"descendant::*[{has_class('reactionsBar')} or {has_class('likesBar')}]"
                f"/a[{has_class('reactionsBar-link')} or {has_class('likesBar-link')}]"}
X_DELETION = {"1": f"descendant::*[{has_class('deletionNote')}]",
              "2": f"descendant::*[{has_class('messageNotice--deleted')}]"}
X_NOTICE_STATES = (("moderated", f"descendant::*[{has_class('messageNotice--moderated')}]"),
                   ("ignored", f"descendant::*[{has_class('messageNotice--ignored')}]"))
STATE_CLASSES = {"deleted": "deleted", "message--deleted": "deleted", "moderated": "moderated",
                 "message--moderated": "moderated", "ignored": "ignored", "is-ignored": "ignored"}
X_REACTION_KINDS = f"descendant::ul[{has_class('reactionSummary')}]/descendant::img/@alt"
X_REACTION_SCORE = "descendant::*[@itemprop='interactionStatistic']/meta[@itemprop='userInteractionCount']/@content"
X_QUOTES_WITHOUT_SOURCE = (f"/descendant::*[{has_class('bbCodeQuote')} or {has_class('bbCodeBlock--quote')}]"
                           "[not(@data-source) or @data-source='']")
X_QUOTE_HEADER = f"aside/div[{has_class('attribution')}] | div[{has_class('bbCodeBlock-title')}]"

X_TITLE = {"1": f"/descendant::div[{has_class('titleBar')}]/h1", "2": f"/descendant::h1[{has_class('p-title-value')}]"}
X_CRUMBS = {"1": f"(/descendant::span[{has_class('crumbs')}])[1]/descendant::a[{has_class('crumb')}]",
            "2": f"(/descendant::ul[{has_class('p-breadcrumbs')}])[1]/li/a"}
X_LOCKED = f"/descendant::*[{has_class('lockedAlert')} or {has_class('blockStatus-message--locked')}]"
X_THREAD_STATE = (("deleted", f"/descendant::*[{has_class('deletedAlert')}"
                              f" or {has_class('blockStatus-message--deleted')}]"),
                  ("moderated", f"/descendant::*[{has_class('moderatedAlert')}"
                                f" or {has_class('blockStatus-message--moderated')}]"))
X1_PAGENAV = f"(/descendant::div[{has_class('PageNav')}][@data-last])[1]"
X2_PAGES = f"(/descendant::ul[{has_class('pageNav-main')}])[1]/li"
X_LD = "/html/head/script[@type='application/ld+json']/text()"
X_CANONICAL = "/html/head/link[@rel='canonical']/@href"
X_PAGER_HREFS = f"/descendant::*[{has_class('PageNav')} or {has_class('pageNav')}]/descendant::a/@href"
X_THREAD_LINKS = (f"/descendant::*[{has_class('structItem-title')} or {has_class('discussionListItem')}]"
                  "/descendant::a[contains(@href,'threads/')]/@href")
X_FORUM_LINKS = f"/descendant::*[{has_class('node-title')} or {has_class('nodeTitle')}]/descendant::a/@href"

RE_THREAD = re.compile(r"threads/(?:[^/?#]*\.)?(\d+)/?(?:page-(\d+))?")
RE_NUMBER = re.compile(r"\d[\d.,\u00a0\u202f ]*")
# The quote header of XF 2.0 and 1.x says "NAME said:" in the board's language; 2.1+ also has data-quote.
RE_SAID = re.compile(r"\s+(?:said|wrote|sagte|schrieb|a dit|a écrit|dijo|escribió|ha detto|ha scritto|zei|schreef"
                     r"|disse|escreveu|napisał(?:\(a\))?|сказал(?:\(а\))?|(?:на)?писал(?:\(а\))?)\s*:?\s*$", re.I)
# Postbit labels as XenForo's language packs print them: joined, messages, reaction score or likes, location.
PAIR_FACTS = {
    "joined_raw": ("joined", "registriert", "inscrit", "registrado", "iscritto", "lid sinds", "membro desde",
                   "dołączył", "регистрация"),
    "post_count_shown": ("messages", "posts", "beiträge", "mensajes", "messaggi", "berichten", "mensagens",
                         "posty", "wiadomości", "сообщения"),
    "reputation": ("reaction score", "likes received", "punkte reaktionen", "erhaltene likes", "score de réaction",
                   "j'aime reçus", "puntuación de reacciones", "me gusta recibidos", "punteggio reazioni",
                   "mi piace ricevuti", "reactiescore", "pontuação de reação", "wynik reakcji", "баллы реакций",
                   "симпатии"),
    "location": ("location", "ort", "localisation", "ubicación", "località", "locatie", "localização",
                 "lokalizacja", "откуда", "адрес"),
}
PAIR_LABELS = {label: fact for fact, labels in PAIR_FACTS.items() for label in labels}

# URL traps: reply/quote/report/edit forms, reaction and like lists, member pages, search, sorting and filters,
# goto redirects and post permalinks (a second copy of a thread page), unread/latest jumps.
TRAPS = re.compile(r"/(?:reply|report|edit|delete|quote|reactions?|likes?|react|share|bookmark|history|ip|warn"
                   r"|watch|unread|latest|preview|approve|move|threadmark)s?(?:[/?#]|$)|/(?:members|search|login"
                   r"|register|lost-password|misc|goto|find-new|whats-new|inline-mod|account|conversations"
                   r"|help|attachments|posts)/|[?&](?:order|direction|prefix_id|starter_id|last_days|quote|page=)")


# --- Detection -----------------------------------------------------------------------------------------------
def score(doc) -> Detection:
    """The html id (XenForo / XF) and XenForo's scripts and credit; post markup tells the version apart."""
    return toolkit.score(doc, NAME, SIGNS)


def detect(doc) -> bool:
    return score(doc).score >= CLAIM


def _version(doc) -> tuple[str | None, list]:
    """("1" or "2", post elements), from the post markup the page actually holds."""
    if "message--post" in doc.text:
        found = x(XF2_POSTS)(doc.root)
        if found:
            return "2", found
    if "messageList" in doc.text:
        found = x(XF1_POSTS)(doc.root)
        if found:
            return "1", found
    return None, []


# --- Parsing -------------------------------------------------------------------------------------------------
def parse(doc, zone=None, links: bool = True, records: bool = True) -> ParsedPage:
    """Records of one thread page; a listing page gives crawl hints and no records."""
    root = doc.root
    version, elements = _version(doc)
    hints = _crawl_links(doc) if links else {}
    if not elements:
        return ParsedPage(thread=None, posts=[], links=hints,
                          skip_reason="XenForo page without posts (a forum listing or another page)")
    number, thread_url = _thread_of(doc, elements, version)
    thread_id = f"thread/{number}" if number else f"path:{doc.url or doc.page.source_file}"
    current, pages_total = _pager(root, version)
    m = RE_THREAD.search(doc.url or "")
    page_no = int(m.group(2)) - 1 if m and m.group(2) else current if current is not None else 0
    if not records:
        return ParsedPage(thread={"id": thread_id, "url": thread_url}, posts=[], links=hints, page_number=page_no)
    _unnest(elements)
    if doc.text.count("goto/post") > doc.text.count('data-source="post:'):  # some quote names its post only by link
        _mark_quote_sources(root)
    layout = XF2 if version == "2" else XF1
    posts = [_post(doc, el, layout, version, zone) for el in elements]
    title = text(first(root, X_TITLE[version]))
    if page_no == 0:
        posts[0]["title"] = title
    crumbs = toolkit.breadcrumb(doc, X_CRUMBS[version])
    extra: dict = {"xenforo_version": version}
    if crumbs:
        extra["board_path"] = [label for label, _ in crumbs]
        extra["board_url"] = crumbs[-1][1]
    if ("lockedAlert" in doc.text or "message--locked" in doc.text) and x(X_LOCKED)(root):
        extra["locked"] = True
    for state, expr in X_THREAD_STATE if "Alert" in doc.text or "blockStatus" in doc.text else ():
        if x(expr)(root):
            extra["state"] = state
    thread = {"id": thread_id, "url": thread_url, "title": title, "board": crumbs[-1][0] if crumbs else None,
              "reply_count": _reply_count(root) if "ld+json" in doc.text else None, "extra": extra,
              "op_on_page": page_no == 0}
    return toolkit.page(doc, zone, thread, posts, page_number=page_no, pages_total=pages_total, links=hints)


def _thread_of(doc, elements, version) -> tuple[str | None, str | None]:
    """(thread number, first-page URL) from the page URL, its canonical link, or the first post's permalink."""
    candidates = [doc.url, *x(X_CANONICAL)(doc.root)]
    if version == "2":
        candidates.append(first(elements[0], XF2.permalink))
    else:
        nav = first(doc.root, X1_PAGENAV)
        candidates.append(nav.get("data-baseurl") if nav is not None else None)
    for candidate in candidates:
        m = RE_THREAD.search(candidate or "")
        if m:
            url = doc.absolute(candidate[: m.start()] + m.group(0))
            return m.group(1), re.sub(r"page-\d+/?$", "", url) if url else None
    return None, None


def _unnest(elements: list) -> None:
    """Unclosed tags in one post make the parser nest the next posts inside it: move them back out, in order."""
    members = set(elements)
    previous = None
    for el in elements:
        if previous is not None and any(a in members for a in el.iterancestors()):
            el.getparent().remove(el)
            previous.addnext(el)
        previous = el


def _mark_quote_sources(root) -> None:
    """XF1 and XF 2.0 name the quoted post only in the quote header's ``goto/post?id=N`` link, which goes with
    the header: copy it (and the author, when no attribute names them) onto the quote as 2.1+ does."""
    for quote in x(X_QUOTES_WITHOUT_SOURCE)(root):
        header = first(quote, X_QUOTE_HEADER)
        if header is None:
            continue
        href = first(header, "a/@href")
        post_id = toolkit.match(href, r"goto/post\?id=(\d+)") or toolkit.match(href, r"posts/(\d+)")
        if post_id:
            quote.set("data-source", f"post: {post_id}")
        if not quote.get("data-quote") and not quote.get("data-author"):
            name = RE_SAID.sub("", text(header) or "")
            if name:
                quote.set("data-quote" if quote.tag == "blockquote" else "data-author", name)


def _post(doc, el, layout: Layout, version: str, zone) -> dict:
    post = toolkit.read_post(doc, el, layout)
    if not post["body_text"] and not post["deleted"]:
        # the body, or the box that held it when the stray tags closed that too (the text then follows the box)
        body = first(el, layout.body)
        body = body if body is not None else first(el, BODY_BOX[version])
        box = toolkit.escaped_body(el, body, IS_FURNITURE) if body is not None else None
        if box is not None:
            post["body_text"] = toolkit.element_text(box)
            post["body_html"] = toolkit.inner_html(box, doc.absolute)
            post["quotes"] = toolkit.read_quotes(box, layout)
    post["id"] = f"post/{post['id']}"
    for quote in post["quotes"]:
        quote["post_id"] = f"post/{quote['post_id']}" if quote["post_id"] else None
    post["author_name"] = el.get("data-author") or post["author_name"]
    anonymous = post["extra"].get("anonymous", False)
    if not anonymous and post["author_id"] is None:  # a renamed members route (/u/name.N/): the id attribute
        uid = first(el, f"{_NAMES}/descendant::*[{has_class('username')}]/@data-user-id")
        post["author_id"] = uid if uid and uid != "0" else None
    if post["url"] is None:
        post["url"] = doc.absolute(f"/posts/{post['id'][5:]}/")
    date_el = first(el, layout.date)
    if date_el is not None and date_el.get("title"):  # the full date and time; the text may be "Mar 4, 2023"
        post["published_raw"] = toolkit.squash(date_el.get("title"))
    if date_el is not None and date_el.get("data-datestring"):
        post["_iso"] = _epoch_with_offset(date_el) or post["_iso"]
    extra = post["extra"]
    _votes(post, el, version)
    _edited(el, layout, extra, zone)
    states = [STATE_CLASSES[c] for c in (el.get("class") or "").split() if c in STATE_CLASSES]
    if version == "2" and "messageNotice--" in doc.text:
        states += [state for state, expr in X_NOTICE_STATES if x(expr)(el)]
    states = list(dict.fromkeys(states))
    if states:
        extra["state"] = states[0] if len(states) == 1 else states
        post["deleted"] = True
    notice = first(el, X_DELETION[version]) if post["deleted"] else None
    if notice is not None:  # without its "Show..." button
        note = toolkit.squash(" ".join(notice.xpath("descendant::text()[not(ancestor::a[@data-xf-click])]")))
        extra["deletion_note"] = re.sub(r"\s+([.,])", r"\1", note)
    facts = post.pop("author_facts", {})
    if not anonymous:
        for dl in x(X_PAIRS[version])(el):
            fact = PAIR_LABELS.get((text(first(dl, "dt")) or "").rstrip(":").strip().lower())
            value = text(first(dl, "dd"))
            if fact and value:
                facts[fact] = toolkit.count(value) if fact in toolkit.NUMERIC_FACTS else value
        if facts.get("avatar_url") and "/avatars/avatar_" in facts["avatar_url"]:
            del facts["avatar_url"]  # the style's default picture, not the member's
        if facts:
            post["author_facts"] = {k: v for k, v in facts.items() if v is not None}
    return post


def _epoch_with_offset(el) -> str | None:
    """XF1's recent dates: an epoch beside the wall-clock date and time the board printed for it. Together
    they give the board's offset, so the instant keeps the local time the reader saw."""
    instant = toolkit.epoch_to_iso(el.get("data-time"))
    local = parse_display_date(f"{el.get('data-datestring')} {el.get('data-timestring') or ''}")
    if instant is None or local is None:
        return None
    utc = datetime.fromisoformat(instant[:-1])
    minutes = round((local - utc).total_seconds() / 900) * 15
    if abs(minutes) > 14 * 60:  # no zone is that far: the printed date is another day's
        return None
    sign = "-" if minutes < 0 else "+"
    return (utc + timedelta(minutes=minutes)).isoformat() + f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _votes(post: dict, el, version: str) -> None:
    """People in the likes/reactions list: the names shown plus "and N others" (any board language)."""
    bar = first(el, X_VOTES[version])
    if bar is None:
        return
    if version == "2":
        names = len(bar.xpath("bdi")) or len(bar.xpath(f"*[{has_class('username')}]"))
        numbers = RE_NUMBER.findall("".join(bar.xpath("text()")))
        others = toolkit.count(numbers[-1]) if numbers else 0
        kind = "reactions" if "reactionsBar-link" in (bar.get("class") or "") else "likes"
        kinds = x(X_REACTION_KINDS)(el)
        if kinds:
            post["extra"]["reaction_kinds"] = kinds
        score_ = toolkit.match(first(el, X_REACTION_SCORE), r"(-?\d+)")
        if score_ is not None:
            post["extra"]["reaction_score"] = int(score_)
    else:
        names = len(bar.xpath(f"a[{has_class('username')}]"))
        others = sum(toolkit.count(toolkit.text_content(a)) or 0 for a in bar.xpath("a[contains(@href,'/likes')]"))
        kind = "likes"
    if names or others:
        post["votes"], post["votes_kind"], post["votes_raw"] = names + (others or 0), kind, text(bar)


def _edited(el, layout: Layout, extra: dict, zone) -> None:
    """The edit note's time (machine attribute first), beside the note's text the toolkit keeps."""
    if "edited" not in extra:
        return
    note = first(el, layout.edited)
    stamp = first(note, "descendant::*[@datetime or @data-time or @title]") if note is not None else None
    if stamp is None:
        return
    raw, iso = toolkit.read_date(stamp, layout)
    fields = normalise(toolkit.squash(stamp.get("title")) or raw, iso, zone)
    if fields["published_utc"]:
        extra["edited_utc"] = fields["published_utc"]
    elif fields["published_local"]:
        extra["edited_local"] = fields["published_local"]


def _pager(root, version: str) -> tuple[int | None, int | None]:
    """(zero-based current page, total pages): XF1 ``data-page``/``data-last``, XF2 the page list's items."""
    if version == "1":
        nav = first(root, X1_PAGENAV)
        if nav is None:
            return None, None
        current = toolkit.count(nav.get("data-page"))
        return (current - 1 if current else None), toolkit.count(nav.get("data-last"))
    current, last = None, None
    for li in x(X2_PAGES)(root):
        n = toolkit.count(text(li))
        if n is None:
            continue
        last = max(last or 0, n)
        if "pageNav-page--current" in (li.get("class") or ""):
            current = n - 1
    return current, last


def _reply_count(root) -> int | None:
    """The ReplyAction count of XF2's DiscussionForumPosting JSON-LD in the head."""
    for script in x(X_LD)(root):
        try:
            data = json.loads(script)
        except ValueError:
            continue
        stats = data.get("interactionStatistic") if isinstance(data, dict) else None
        for stat in stats if isinstance(stats, list) else [stats]:
            if isinstance(stat, dict) and "ReplyAction" in str(stat.get("interactionType")):
                value = stat.get("userInteractionCount")
                return value if isinstance(value, int) and value >= 0 else toolkit.count(str(value))
    return None


# --- Crawl hints ---------------------------------------------------------------------------------------------
def _crawl_links(doc) -> dict[str, list[str]]:
    """Other pages of this thread (pager), thread links on a listing, sub-forum and listing pages; no traps."""
    root = doc.root
    current = RE_THREAD.search(doc.url or "")

    def keep(want):
        return lambda url: want(url) and not TRAPS.search(url.split("://", 1)[-1])

    def same_thread(url):
        m = RE_THREAD.search(url)
        return bool(m) and (m.group(1) == current.group(1) if current else "/page-" in url)

    pager = [h.split("#")[0] for h in x(X_PAGER_HREFS)(root)]
    pages = toolkit.unique_links(doc, pager, keep(same_thread))
    threads = toolkit.unique_links(doc, x(X_THREAD_LINKS)(root), keep(lambda u: bool(RE_THREAD.search(u))))
    threads = list(dict.fromkeys(re.sub(r"(threads/[^/?#]+/).*$", r"\1", u) for u in threads))
    listing_pages = toolkit.unique_links(doc, pager, keep(lambda u: "/forums/" in u)) if not current else []
    forums = toolkit.unique_links(doc, x(X_FORUM_LINKS)(root), keep(lambda u: "/forums/" in u or "/categories/" in u))
    return {"pages": pages, "threads": threads, "listings": list(dict.fromkeys(listing_pages + forums))}
