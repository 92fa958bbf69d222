"""vBulletin 3.x (``table#postN``: postbit and postbit_legacy), 4.x (``li#post_N``) and 5.x (``li.b-post``) thread
pages, their listings, and the threaded/hybrid display modes of 3.x/4.x.

Boards are flat: ``parent_id`` is set only where vBulletin shows a real tree (the threaded/hybrid post list,
vB5 comments under a reply); the "Originally Posted by" quote links are the reply network otherwise.
Post ids are ``post/N`` (3.x, 4.x) and ``node/N`` (5.x, where threads and posts are nodes); thread ids
``thread/N`` and ``node/N``.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from harvester.engines import toolkit
from harvester.engines.toolkit import Layout, Sign, first, has_class, x
from harvester.model import ParsedPage
from harvester.text import element_text, inner_html, linked

NAME = "vbulletin"
VERSION = "1.1.0"

# --- Selectors ------------------------------------------------------------------------------------------------
_DIGITS_AFTER = "translate(substring(@id,{n}),'0123456789','')='' and string-length(@id)>{m}"
# vB3's postbit is table#postN; styles that rebuilt its tables from divs (div.tpost > div.trow > div.tcell, with
# div#td_post_N) keep the ids, so div#postN is read the same way
VB3_POSTS = (f"/descendant::*[self::table or self::div][starts-with(@id,'post')"
             f" and {_DIGITS_AFTER.format(n=5, m=4)}]")
VB4_POSTS = f"/descendant::li[starts-with(@id,'post_') and {_DIGITS_AFTER.format(n=6, m=5)}]"
VB5_POSTS = f"/descendant::li[@data-node-id][{has_class('b-post')}]"
POSTS = {"3": VB3_POSTS, "4": VB4_POSTS, "5": VB5_POSTS}
PROFILE_ID = r"(?:member\.php\?(?:[^#]*?[&;])?(?:u=)?|/members?/)(\d+)"

SIGNS = (
    Sign("generator meta vBulletin 3", 10, "/html/head/meta[@name='generator'][starts-with(@content,'vBulletin 3')]",
         "vBulletin 3", version="3"),
    Sign("generator meta vBulletin 4", 10, "/html/head/meta[@name='generator'][starts-with(@content,'vBulletin 4')]",
         "vBulletin 4", version="4"),
    Sign("generator meta vBulletin 5", 10, "/html/head/meta[@name='generator'][starts-with(@content,'vBulletin 5')]",
         "vBulletin 5", version="5"),
    Sign("html#vbulletin_html", 10, "/html[@id='vbulletin_html']", "vbulletin_html", version="4"),
    Sign("body#vb-page-body", 10, "/html/body[@id='vb-page-body']", "vb-page-body", version="5"),
    Sign("clientscript/vbulletin scripts", 6, "/descendant::script[contains(@src,'clientscript/vbulletin')]",
         "clientscript/vbulletin"),
    Sign("div#post_message_N bodies", 4, "/descendant::div[starts-with(@id,'post_message_')]", "post_message_"),
    Sign("table#postN (or div#postN) postbits", 4, VB3_POSTS, 'id="post', version="3"),
    Sign("li#post_N.postcontainer postbits", 4, VB4_POSTS, "postcontainer", version="4"),
    Sign("li.b-post[data-node-id] posts", 5, VB5_POSTS, "b-post", version="5"),
    Sign("'Powered by vBulletin' credit", 4, needle="Powered by vBulletin"),
)
X_GENERATOR = "/html/head/meta[@name='generator'][starts-with(@content,'vBulletin')]/@content"

# vB3 postbit and postbit_legacy share ids; the date is the text right after the <a name="postN"> anchor.
_VB3_MENU = "descendant::div[starts-with(@id,'postmenu_')]"
VB3 = Layout(
    post=VB3_POSTS, post_id="@id",
    author=f"{_VB3_MENU}/a[{has_class('bigusername')}] | {_VB3_MENU}[not(a)]", profile_id_re=PROFILE_ID,
    date="descendant::a[starts-with(@name,'post')][1]/following-sibling::text()[normalize-space()][1]",
    title=f"descendant::*[starts-with(@id,'td_post_')]/div[{has_class('smallfont')}][not(em)]/strong",
    body="descendant::div[starts-with(@id,'post_message_')]", junk="descendant::div[starts-with(@id,'ad_')]",
    edited=f"descendant::*[starts-with(@id,'td_post_')]/div[{has_class('smallfont')}][em]",
    guest=f"{_VB3_MENU}[not(a)]",
    facts=(("user_title", f"{_VB3_MENU}/following-sibling::div[{has_class('smallfont')}][not(div)][not(.//img)][1]"),
           ("avatar_url", "descendant::a[contains(@href,'member.php')]/img")),
)
# postbit_deleted: no postmenu; the author's link (or a guest's name) is alone in the second row's cell.
VB3_DELETED = Layout(
    post=VB3_POSTS, post_id="@id", author="(descendant::tr[2]/td)[1]/a | (descendant::tr[2]/td)[1][not(a)]",
    profile_id_re=PROFILE_ID, date=VB3.date, guest="(descendant::tr[2]/td)[1][not(a)]", deleted="self::*",
)
VB4 = Layout(
    post=VB4_POSTS, post_id="@id",
    author=f"descendant::a[{has_class('username')}] | descendant::span[{has_class('username')}][{has_class('guest')}]",
    profile_id_re=PROFILE_ID, date=f"descendant::span[{has_class('date')}]",
    permalink=f"descendant::a[{has_class('postcounter')}]/@href",
    title=f"descendant::div[{has_class('postrow')}]/h2[{has_class('title')}]",
    # the message blockquote (not the edit note's nor the signature's), even when a stray </div> in the post
    # closed div#post_message_N before it
    body=f"descendant::blockquote[{has_class('postcontent')}][{has_class('restore')}]",
    edited=f"descendant::blockquote[{has_class('lastedited')}]",
    guest=f"descendant::span[{has_class('guest')}]",
    deleted=f"self::li[{has_class('postbitdeleted')} or {has_class('postbitignored')}]",
    facts=(("user_title", f"descendant::*[{has_class('usertitle')}]"),
           ("avatar_url", f"descendant::a[{has_class('postuseravatar')} or {has_class('postuseravatarlink')}]/img")),
)
VB5 = Layout(
    post=VB5_POSTS, post_id="@data-node-id",
    author=f"descendant::div[{has_class('author')}]//a | "
           f"descendant::div[{has_class('author')}][not(.//a)]//span[@itemprop='name']",
    profile_id_re=PROFILE_ID, date=f"descendant::div[{has_class('b-post__timestamp')}]/time",
    permalink=f"descendant::a[{has_class('b-post__count')}]/@href",
    title=f"descendant::h2[{has_class('b-post__title')}]",
    body=f"descendant::div[{has_class('js-post__content-text')}]",
    junk=f"descendant::div[{has_class('axd')}]",
    edited=f"descendant::*[{has_class('b-post__edit__history')}]",
    votes=f"descendant::li[{has_class('votecount')}]", votes_kind="likes",
    deleted=f"self::*[{has_class('b-post--deleted')}]",
    guest=f"descendant::div[{has_class('author')}][not(.//a)]",
    facts=(("user_title", f"descendant::div[{has_class('usertitle')}]"),
           ("avatar_url", f"descendant::a[{has_class('b-avatar')}]/img")),
)
VB5_COMMENTS = f"descendant::li[@data-node-id][{has_class('b-comment')}]"
VB5_COMMENT = Layout(
    post=VB5_COMMENTS, post_id="@data-node-id", author=f"descendant::*[{has_class('author')}]/a",
    profile_id_re=PROFILE_ID, date="descendant::time",
    body=f"descendant::div[{has_class('js-comment__content-text')}]",
)
# postbit user facts as "label: value" pairs (vB3 divs, vB4 dl, vB5 li), named in the board's language
X_STATS = {
    "3": f"descendant::div[{has_class('smallfont')}]/div[contains(.,':')]"
         "[not(ancestor::*[starts-with(@id,'td_post_')])]",
    "4": f"descendant::dl[{has_class('userinfo_extra')} or {has_class('userstats')}]/dt",
    "5": f"descendant::li[{has_class('b-userinfo__additional-info')}]",
}
STAT_LABELS = (
    ("joined_raw", ("join", "registriert", "inscri", "membre depuis", "miembro desde", "fecha de ingreso",
                    "iscritto", "registrato", "lid sinds", "geregistreerd", "cadastr", "registro", "dołączył",
                    "rejestracja", "регистрац")),
    ("location", ("location", "ort", "wohnort", "localisation", "ubicación", "località", "woonplaats",
                  "localização", "lokalizacja", "skąd", "откуда", "адрес")),
    ("post_count_shown", ("posts", "beiträge", "messages", "mensajes", "messaggi", "berichten", "mensagens",
                          "posty", "postów", "сообщени")),
)

# Quotes (bbcode_quote): vB4/5 div.bbcode_container, vB3 a div holding a "Quote:" label and a one-cell table.
X_QUOTES = {
    # (the div-built styles: the label in a div > label, the cell a div.alt2)
    "3": f"descendant::div[div[{has_class('smallfont')}] or div/label]"
         f"[table/tr/td[{has_class('alt2')}] or div[{has_class('alt2')}]]",
    "4": f"descendant::div[{has_class('bbcode_container')}]",
}
X_QUOTE_CELL = f"table/tr/td[{has_class('alt2')}] | div[{has_class('alt2')}]"
X_QUOTE_BY = {"3": "div[1][strong][following-sibling::div]", "4": f"descendant::div[{has_class('bbcode_postedby')}]"}
X_QUOTE_MSG = {"3": "div[2]", "4": f"descendant::div[{has_class('message')}]"}
X_QUOTE_LINK = "descendant::a[contains(@href,'p=') or contains(@href,'/node/') or contains(@href,'#post')]/@href"
RE_QUOTE_POST = r"(?:[?&]p=|/node/|#post)(\d+)"

X_BY_ID = "id($id)"
X_THANKS_MEMBERS = "descendant::a[contains(@href,'member')]"
X_THANKS_HEAD = {"3": "descendant::strong", "4": "descendant::h2"}

# Thread chrome
X_TITLE = {
    "3": f"/descendant::td[{has_class('navbar')}]/strong",
    "4": f"/descendant::span[{has_class('threadtitle')}]",
    "5": f"(/descendant::div[{has_class('page-title-widget')}]//h1[{has_class('main-title')}])[1]",
}
X_CRUMBS = {
    "3": f"/descendant::span[{has_class('navbar')}]/a",
    "4": f"/descendant::div[@id='breadcrumb']//li[{has_class('navbit')}]/a",
    "5": f"/descendant::a[{has_class('crumb-link')}]",
}
# styles that print the crumbs as schema.org BreadcrumbList microdata instead of span.navbar links
X_CRUMBS_MICRODATA = ("/descendant::*[@itemtype='http://schema.org/BreadcrumbList' or "
                      "@itemtype='https://schema.org/BreadcrumbList']/descendant::*[@itemprop='itemListElement']"
                      "/a[@itemprop='item']")
X_PAGER_TEXT = {
    "3": f"(/descendant::div[{has_class('pagenav')}]//td[{has_class('vbmenu_control')}])[1]",
    "4": f"(/descendant::div[@id='pagination_top']//a[{has_class('popupctrl')}])[1]",
}
X_PAGER_SHOWING = {
    "3": f"(/descendant::div[{has_class('pagenav')}]//td[{has_class('alt2')}]/span/@title)[1]",
    "4": "(/descendant::div[@id='postpagestats_above'])[1]",
}
X_PAGER_LINKS = {
    "3": f"/descendant::div[{has_class('pagenav')}]//a/@href",
    "4": "/descendant::div[@id='pagination_top' or @id='pagination_bottom']//a/@href",
    "5": f"/descendant::div[{has_class('js-pagenav')}]//a[@data-page]/@href",
}
X_VB5_CONTENT = f"descendant::div[{has_class('js-post__content')}]"
X_VB5_CHROME = (f"descendant::*[{has_class('b-media')} or {has_class('axd')} or {has_class('b-post__edit')}"
                f" or {has_class('post-signature')} or self::hr]")
X_VB5_PAGE = f"(/descendant::input[{has_class('js-pagenum')}]/@value)[1]"
X_VB5_TOTAL = f"(/descendant::span[{has_class('pagetotal')}])[1]"
X_VB5_NODEID = "(/descendant::input[@name='nodeid']/@value)[1]"
X_CANONICAL = "/html/head/link[@rel='canonical']/@href"
X_TOOL_LINKS = "/descendant::a[contains(@href,'printthread.php') or contains(@href,'subscription.php')]/@href"
X_CLOSED = {"3": "/descendant::img[contains(@src,'threadclosed')]",
            "4": "/descendant::a[@id='newreplylink_top'][not(span)]"}
X_SCRIPTS = "/descendant::script[not(@src)]/text()"
RE_WRITELINK = re.compile(r'writeLink\((\d+),\s*\d+,\s*\d+,\s*\d+,\s*"([^"]*)"')
# Listing pages: threadbit titles and sub-forum links
X_THREAD_LINKS = (f"/descendant::a[starts-with(@id,'thread_title_')]/@href"
                  f" | /descendant::a[{has_class('topic-title')}]/@href")
X_FORUM_LINKS = (f"/descendant::td[starts-with(@id,'f')]//a[contains(@href,'forumdisplay.php')]/@href"
                 f" | /descendant::h2[{has_class('forumtitle')}]/a/@href"
                 f" | /descendant::a[{has_class('forum-title')}]/@href"
                 f" | /descendant::div[{has_class('pagenav')} or @id='pagination_top']//a/@href")

RE_THREAD_ID = re.compile(r"(?:[?&]t=|showthread\.php[?/]|/threads/)(\d+)")
RE_PAGE_IN_URL = re.compile(r"(?:[?&]page=|/page-?)(\d+)")
# Parameters that make another URL of the same page (sessions, sort orders, highlights, per-page, display modes)
DROP_PARAMS = {"s", "sort", "order", "highlight", "pp", "daysprune", "mode", "goto", "styleid", "langid"}
LISTING_PATHS = re.compile(r"forumdisplay\.php|/forums?/|/forum$")


# --- Detection -------------------------------------------------------------------------------------------------
def score(doc) -> toolkit.Detection:
    """Generator meta, html#vbulletin_html or body#vb-page-body (strong); client scripts, post markup and the
    footer credit (weak). The version is the generator's when present ("3.8.7"), else the markup's major."""
    found = toolkit.score(doc, NAME, SIGNS)
    generator = first(doc.root, X_GENERATOR) if "vBulletin" in doc.text else None
    if generator and found.score:
        found.version = generator.split(None, 1)[-1].strip()
    return found


def detect(doc) -> bool:
    return score(doc).score >= toolkit.CLAIM


# The footer's "All times are GMT -5. The time now is 08:21 AM." (3-5; "Alle Zeitangaben in WEZ +1." in German,
# "+5.5" for half hours): fetch_time_data's tzoffset, the user's (a guest's: the board's) offset with the DST hour
# already added when DST is on, by which every date on the page was shifted.
X_ZONE_HOLDERS = "/descendant::*[text()[contains(., 'GMT') or contains(., 'UTC') or contains(., 'WEZ')]]"
_ZONE = re.compile(r"(?<![\w])(?:GMT|UTC|WEZ)\s*(?:(?P<sign>[+\-\u2212])\s*(?P<h>\d{1,2})(?:[.,](?P<f>\d{1,2}))?)?"
                   r"\s*[.,](?!\d)")


def _read_zone(holder, words: str):
    m = _ZONE.search(words)
    if m is None:
        return None
    minutes = int(m["h"] or 0) * 60 + (round(float("0." + m["f"]) * 60) if m["f"] else 0)
    return "minutes", -minutes if m["sign"] in ("-", "\u2212") else minutes


# --- Parsing ---------------------------------------------------------------------------------------------------
def parse(doc, zone=None, links: bool = True, records: bool = True) -> ParsedPage:
    root = doc.root
    major = _major(doc)
    tid = _thread_id(doc, major)
    hints = _crawl_links(doc, major, tid) if links else {}
    post_els = x(POSTS[major])(root)
    if not post_els or tid is None:
        threads = len(hints.get("threads", []))
        return ParsedPage(thread=None, posts=[], links=hints,
                          skip_reason=f"vBulletin listing page ({threads} thread links), no posts" if threads
                          else "vBulletin page without posts")
    thread_url = _thread_url(doc, major, tid)
    current, pages_total = _pager(doc, major)
    page_number = (current - 1) if current else _page_from_url(doc.url)
    if not records:
        return ParsedPage(thread={"id": tid, "url": thread_url}, posts=[], links=hints, page_number=page_number)

    if "GMT" in doc.text or "UTC" in doc.text or "WEZ" in doc.text:
        zone = toolkit.stated_zone(doc, post_els, X_ZONE_HOLDERS, _read_zone) or zone
    posts = []
    inner = x(POSTS[major].replace("/descendant::", "descendant::", 1))
    for el in post_els:
        for nested in inner(el):  # a post left open by broken HTML swallowed the next ones: take them out
            toolkit.drop(nested)
    for el in post_els:
        posts.extend(_read(doc, el, major))
    if major in ("3", "4") and "writeLink(" in doc.text:
        _apply_tree(doc, posts)
    crumbs = toolkit.breadcrumb(doc, X_CRUMBS[major]) or toolkit.breadcrumb(doc, X_CRUMBS_MICRODATA)
    if major == "5" and crumbs and crumbs[0][1] and urlsplit(crumbs[0][1]).path in ("", "/"):
        crumbs = crumbs[1:]  # vB5 starts with the site's "Home"
    generator = first(root, X_GENERATOR)
    extra: dict = {"version": generator.split(None, 1)[-1].strip() if generator else major,
                   "board_path": [c[0] for c in crumbs]}
    if crumbs:
        extra["board_url"] = crumbs[-1][1]
    closed = X_CLOSED.get(major)
    if closed and x(closed)(root):
        extra["locked"] = True
    if "writeLink(" in doc.text:
        extra["display_mode"] = "hybrid" if len(post_els) > 1 else "threaded"
    shown = _total_posts(doc, major)
    thread = {
        "id": tid, "url": thread_url, "title": toolkit.text(first(root, X_TITLE[major])),
        "board": crumbs[-1][0] if crumbs else None,
        "reply_count": shown - 1 if shown else None,
        "extra": extra, "op_on_page": page_number == 0,
    }
    if thread["title"] is None and posts:
        thread["title"] = posts[0]["title"]
    return toolkit.page(doc, zone, thread, posts, page_number=page_number, pages_total=pages_total, links=hints)


def _major(doc) -> str:
    text = doc.text
    if "vb-page-body" in text or "b-post" in text and x(VB5_POSTS)(doc.root):
        return "5"
    if "vbulletin_html" in text or "postcontainer" in text or "postbitdeleted" in text:
        return "4"
    return "3"


def _read(doc, el, major: str) -> list[dict]:
    """One postbit as a post (and for vB5 its comments after it)."""
    if major == "3":
        layout = VB3 if first(el, VB3.body) is not None else VB3_DELETED
    else:
        layout = VB4 if major == "4" else VB5
    comments = []
    if major == "5":  # comments live inside the reply's element: read and detach them first
        for c in x(VB5_COMMENTS)(el):
            comment = toolkit.read_post(doc, c, VB5_COMMENT)
            comment["quotes"] = _quotes(first(c, VB5_COMMENT.body), "4", "node/")
            comments.append(comment)
            c.getparent().remove(c)
    post = toolkit.read_post(doc, el, layout)
    prefix = "node/" if major == "5" else "post/"
    native = post["id"]
    post["id"] = prefix + native if native else None
    if major == "3" and native:
        post["url"] = doc.absolute(f"showthread.php?p={native}#post{native}")
    if major == "5" and not post["body_text"] and not post["deleted"]:
        _vb5_spilled_body(doc, el, post)
    if post["deleted"]:  # the placeholder's words ("deleted by X") are not the post's
        post["body_text"], post["body_html"], post["links"], post["title"] = "", "", [], None
    post["quotes"] = _quotes(first(el, layout.body), "3" if major == "3" else "4", prefix)
    if major in ("3", "4") and native:
        _thanks(doc, el, native, major, post)
    facts = _stats(el, major)
    if facts:
        post.setdefault("author_facts", {}).update(facts)
    for c in comments:
        c["id"] = prefix + c["id"] if c["id"] else None
        c["parent_id"], c["depth"] = post["id"], 1
    return [post, *comments]


def _vb5_spilled_body(doc, el, post: dict) -> None:
    """A stray </div> early in a vB5 message closes its text div: the words land in the content block around it,
    which is read instead, without its header, ads, edit note and signature."""
    holder = first(el, X_VB5_CONTENT)
    if holder is None:
        return
    for junk in x(X_VB5_CHROME)(holder):
        toolkit.drop(junk)
    linked_els = linked(holder)
    post.update(body_text=element_text(holder), body_html=inner_html(holder, doc.absolute, linked_els),
                links=toolkit.links(doc, linked_els))


def _quotes(body, kind: str, prefix: str) -> list[dict]:
    """Each quote: the quoted author from the <strong> vBulletin wraps the name in (any language), the quoted
    text, and the quoted post's id from the "view post" link."""
    if body is None:
        return []
    out = []
    for q in x(X_QUOTES[kind])(body):
        box = first(q, X_QUOTE_CELL) if kind == "3" else q
        if box is None:
            continue
        by = first(box, X_QUOTE_BY[kind])
        message = first(box, X_QUOTE_MSG[kind]) if by is not None else None
        link = first(by, X_QUOTE_LINK) if by is not None else None
        post_id = toolkit.match(link, RE_QUOTE_POST)
        out.append({"author": toolkit.text(first(by, "strong")) if by is not None else None,
                    "text": element_text(message if message is not None else box),
                    "post_id": prefix + post_id if post_id else None})
    return out


def _thanks(doc, el, native: str, major: str, post: dict) -> None:
    """The "Post Thank You Hack" box after a post (id post_thanks_box_N): the thankers it lists."""
    if "post_thanks_box_" not in doc.text:
        return
    box = x(X_BY_ID)(doc.root, id=f"post_thanks_box_{native}")
    if not box and el.getparent() is None:  # a post taken out of one that swallowed it keeps its box
        box = x("descendant::*[@id=$id]")(el, id=f"post_thanks_box_{native}")
    if not box:
        return
    names = x(X_THANKS_MEMBERS)(box[0])
    head = toolkit.text(first(box[0], X_THANKS_HEAD[major]))
    if not names and head is None:
        return  # the hack prints an empty box under every post nobody thanked: no count, no kind
    post["votes"] = len(names) if names else toolkit.count(head)
    post["votes_kind"] = "thanks"
    post["votes_raw"] = head


def _stats(el, major: str) -> dict:
    facts = {}
    for item in x(X_STATS[major])(el):
        if major == "4":
            label, value = toolkit.text(item), toolkit.text(item.getnext())
        elif major == "5":
            label, value = toolkit.text(first(item, "label")), toolkit.text(first(item, "span"))
        else:
            label, _, value = (toolkit.text(item) or "").partition(":")
        label = (label or "").lower().rstrip(":").strip()
        value = (value or "").strip()
        if not label or not value:
            continue
        for fact, words in STAT_LABELS:
            if any(label == w or label.startswith(w) and len(w) > 3 for w in words):
                facts.setdefault(fact, toolkit.count(value) if fact == "post_count_shown" else value)
                break
    return {k: v for k, v in facts.items() if v is not None}


def _apply_tree(doc, posts: list[dict]) -> None:
    """The threaded/hybrid post list (vbulletin_thrdpostlist.js ``writeLink`` calls): each call's image string
    encodes its depth (a number counts that many blank levels, each letter one). A reply to the opening post is
    top level (depth 0, no parent), as in the record contract."""
    parents: dict[str, tuple[str | None, int]] = {}
    stack: list[str] = []
    for script in x(X_SCRIPTS)(doc.root):
        if "writeLink(" not in script:
            continue
        for pid, images in RE_WRITELINK.findall(script):
            depth = sum(int(p) if p.isdigit() else 1 for p in images.split(",") if p) if images else 0
            del stack[depth:]
            parent = stack[depth - 1] if 0 < depth <= len(stack) else None
            stack.append(pid)
            parents[f"post/{pid}"] = (f"post/{parent}" if parent and depth > 1 else None, max(depth - 1, 0))
    for post in posts:
        if post["id"] in parents:
            post["parent_id"], post["depth"] = parents[post["id"]]


def _thread_id(doc, major: str) -> str | None:
    root = doc.root
    if major == "5":
        node = first(root, X_VB5_NODEID)
        if not node:
            node = toolkit.match(first(root, X_CANONICAL) or doc.url, r"/(\d+)-[^/?#]*(?:/page\d+)?/?(?:[?#]|$)")
        return f"node/{node}" if node else None
    for value in (doc.url, first(root, X_CANONICAL), *x(X_TOOL_LINKS)(root)):
        found = toolkit.match(value, RE_THREAD_ID.pattern) if value else None
        if found:
            return f"thread/{found}"
    return None


def _thread_url(doc, major: str, tid: str) -> str | None:
    canonical = first(doc.root, X_CANONICAL)
    base = doc.absolute(canonical) if canonical else (doc.url if major != "3" else None)
    if major == "3" or not base:
        return doc.absolute(f"showthread.php?t={tid.split('/')[1]}")
    return _clean(re.sub(r"/page-?\d+/?$", "", base))


def _pager(doc, major: str) -> tuple[int | None, int | None]:
    if major == "5":
        current, total = first(doc.root, X_VB5_PAGE), toolkit.count(toolkit.text(first(doc.root, X_VB5_TOTAL)))
        return (toolkit.count(current) if current else None), total
    return toolkit.page_of(toolkit.text(first(doc.root, X_PAGER_TEXT[major])))


def _total_posts(doc, major: str) -> int | None:
    """Z of "Showing results X to Y of Z" (pagenav_curpage), the thread's visible post count."""
    expr = X_PAGER_SHOWING.get(major)
    found = toolkit.text(first(doc.root, expr)) if expr else None
    numbers = re.findall(r"\d[\d.,]*", found or "")
    return toolkit.count(numbers[-1]) if len(numbers) >= 3 else None


def _page_from_url(url: str | None) -> int:
    found = toolkit.match(url, RE_PAGE_IN_URL.pattern)
    return max(int(found) - 1, 0) if found else 0


def _clean(url: str | None) -> str | None:
    """The URL without session, sort, highlight, per-page and display-mode parameters, and without fragment."""
    if not url:
        return url
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in DROP_PARAMS]
    # vB4's basic friendly URLs are a bare key: showthread.php?123-title
    q = urlencode(query).replace("=&", "&").rstrip("=") if query else ""
    if query and len(query) == 1 and not query[0][1]:
        q = query[0][0]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, q, ""))


def _crawl_links(doc, major: str, tid: str | None) -> dict[str, list[str]]:
    """Other pages of this thread (pager links), threads and sub-forums/listing pages of a listing page."""
    root = doc.root
    native = tid.split("/")[1] if tid else None

    def same_thread(url: str) -> bool:
        return bool(native) and (toolkit.match(url, RE_THREAD_ID.pattern) == native
                                 or f"/{native}-" in url or f"t={native}" in url)

    pages = [_clean(u) for u in toolkit.unique_links(doc, x(X_PAGER_LINKS[major])(root), keep=same_thread)]
    pages = [u for u in dict.fromkeys(pages) if u and u != _clean(doc.url)]
    if "thread_title_" in doc.text or "topic-title" in doc.text:
        threads = [_clean(u) for u in toolkit.unique_links(doc, x(X_THREAD_LINKS)(root))]
    else:
        threads = []
    listings = []
    if not x(POSTS[major])(root):
        listings = [_clean(u) for u in toolkit.unique_links(doc, x(X_FORUM_LINKS)(root), keep=LISTING_PATHS.search)]
    return {"pages": pages, "threads": list(dict.fromkeys(threads)), "listings": list(dict.fromkeys(listings))}
