"""phpBB 2.0 (subSilver), 3.0 (prosilver, subsilver2) and 3.1-3.3 (prosilver) topic pages.

Built from the phpBB templates (``viewtopic_body``, ``bbcode``, ``pagination``, ``navbar_header``) of each
branch. The style decides the Layout; the version is told by what prosilver prints around the date: bare text
(3.0), ``span.responsive-hide`` (3.1), ``<time datetime>`` (3.2, 3.3). Only 3.2+ quotes keep the quoted post's
id (``data-post-id``). Thread ids are ``t`` + the topic id; post ids are phpBB's post ids, so quote links join.

Hosted lookalikes (Forumotion, whose pages copy prosilver's classes) are not claimed: their own signs cancel the
phpBB ones, and the generic engine reads them.
"""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import parse_qsl, urlsplit

from lxml import etree

from harvester.engines import toolkit
from harvester.engines.toolkit import Detection, Layout, Sign, first, has_class, text, x
from harvester.model import ParsedPage
from harvester.text import element_text, inner_html

NAME = "phpbb"
VERSION = "1.1.0"

_PROFILE = "contains(@href,'mode=viewprofile')"
_POST_P = f"/descendant::div[{has_class('post')}][starts-with(@id,'p')][descendant::div[{has_class('postbody')}]]"
_POST_S2 = f"/descendant::table[{has_class('tablebg')}][tr/td/a[starts-with(@name,'p')]]"
_POST_S1 = f"/descendant::tr[td/span[{has_class('name')}]/a[@name]]"
# 3.0 subsilver2's print view (viewtopic.php?view=print, viewtopic_print.html): one table a post, rows
# "Author: <b>NAME</b> [ DATE ]", "Subject: <b>SUBJECT</b>" and the message after an hr.sep; no post ids, no profiles
_POST_PRINT_S2 = (f"/descendant::table[tr[1]/td[2]/b][tr[2]/td[2]/b]"
                  f"[tr[3]/td[@colspan='2']/hr[{has_class('sep')}]]")

# The post markup (the heaviest evidence) is read once by ``style`` and added in ``score``; these are the rest.
SIGNS = (
    Sign("body#phpbb (prosilver)", 6, "/html/body[@id='phpbb']", needle="phpbb"),
    Sign("'Powered by phpBB' credit (phpbb.com link)", 4, needle="phpbb.com/"),
    Sign("viewtopic.php links", 2, needle="viewtopic.php"),
    Sign("profile links (mode=viewprofile)", 2, needle="mode=viewprofile"),
    # prosilver's viewtopic_body: <dl class="postprofile" id="profile{POST_ID}">; custom themes built on it keep it
    Sign("prosilver profile column (dl.postprofile#profileN)", 4,
         f"/descendant::dl[{has_class('postprofile')}][starts-with(@id,'profile')]", needle="postprofile"),
    # Forumotion (and its French twin Forumactif) copy prosilver's classes on pages phpBB never made.
    Sign("Forumotion host (not phpBB)", -40, needle="forumotion"),
    Sign("Forumactif host (not phpBB)", -40, needle="forumactif"),
    Sign("Forumotion assets on illiweb.com (not phpBB)", -40, needle="illiweb.com"),
)
STYLE_WEIGHT = {"prosilver": 6, "subsilver2": 10, "subSilver": 10, "print": 10}

_WROTE = (r"^(.*?)\s+(?:wrote|hat geschrieben|schrieb|a écrit|escribió|ha scritto|scrisse|schreef|escreveu|"
          r"napisał\(a\)|napisał|написал\(а\)|написал|писал\(а\)|писал)\s*:")
_LABEL = r"^[^\d:]{1,40}:\s*"  # "Posted: ", "Verfasst: ", "Joined: " (labels carry no digits, dates do)
_AFTER_LABEL = r"^[^:]*:\s*(\S.*)$"

_PROFILE_DD = f"div/dl[{has_class('postprofile')}]"
# prosilver's "by NAME » DATE" line is p.author; themes rebuilt on prosilver (Bootstrap ones) make it a div
_AUTHOR_LINE = f"descendant::*[self::p or self::div][{has_class('author')}]"
PROSILVER = Layout(
    post=_POST_P,
    post_id="@id", post_id_re=r"^p(\d+)$",
    title=f"descendant::div[{has_class('postbody')}]/descendant::h3[1]/a",
    permalink=f"{_AUTHOR_LINE}/a[contains(@href,'#p')][1]",
    author=f"({_AUTHOR_LINE}/descendant::strong[1]/a"
           f" | {_AUTHOR_LINE}/descendant::strong[1][not(a)]"
           f" | {_PROFILE_DD}/dt/descendant::a[{_PROFILE}][normalize-space()])[1]",
    profile_id_re=r"[?&](?:amp;)?u=(\d+)",
    date=f"{_AUTHOR_LINE}/time | {_AUTHOR_LINE}[not(time)]",
    date_strip=r"^.*»\s*",
    body=f"descendant::div[{has_class('content')}][1]",
    junk=f"descendant::div[{has_class('codebox')}]/p | descendant::div[{has_class('codebox')}]/dl/dt"
         f" | descendant::div[{has_class('inline-attachment')}]",
    edited=f"descendant::div[{has_class('notice')}][not({has_class('post_deleted_msg')})][normalize-space()][1]",
    quote="descendant::blockquote",
    quote_author="div/cite[1]",
    quote_author_re=_WROTE,
    quote_post_id="div/cite/a[@data-post-id]/@data-post-id",
    # 3.1+ marks soft-deleted posts with the class (its notices come with it); div.ignore is the deleted or
    # ignored-user placeholder (3.0-3.3)
    deleted=f"self::div[{has_class('deleted')}] | div/div[{has_class('postbody')}]/div[{has_class('ignore')}]",
    guest=f"not({_PROFILE_DD}/dt//a[{_PROFILE}]) and not({_AUTHOR_LINE}//a[{_PROFILE}])",
    facts=(("user_title", f"{_PROFILE_DD}/dd[{has_class('profile-rank')}]"),
           ("post_count_shown", f"{_PROFILE_DD}/dd[{has_class('profile-posts')}]"),
           ("joined_raw", f"{_PROFILE_DD}/dd[{has_class('profile-joined')}]"),
           ("location", f"{_PROFILE_DD}/dd[{has_class('profile-phpbb_location')}]"),
           ("avatar_url", f"{_PROFILE_DD}/dt/descendant::img[1]")),
    facts_re=(("joined_raw", _AFTER_LABEL), ("location", _AFTER_LABEL)),
)
# 3.0 prosilver prints the profile lines as bare <dd><strong>Label:</strong> value</dd>, in a fixed order:
# rank (no label), posts, joined, location.
PROSILVER_30 = replace(
    PROSILVER,
    facts=(("user_title", f"{_PROFILE_DD}/dd[1][not(strong)][translate(normalize-space(), '\u00a0', '') != '']"),
              ("post_count_shown", f"{_PROFILE_DD}/dd[strong][1]"),
              ("joined_raw", f"{_PROFILE_DD}/dd[strong][2]"),
              ("location", f"{_PROFILE_DD}/dd[strong][3]"),
              ("avatar_url", f"{_PROFILE_DD}/dt/descendant::img[1]")),
)
_S2_DETAILS = f"descendant::td[{has_class('profile')}]/span[{has_class('postdetails')}]"
_S2_BODY = f"descendant::div[{has_class('postbody')}][1]"
SUBSILVER2 = Layout(
    post=_POST_S2,
    post_id="tr/td/a[starts-with(@name,'p')]/@name", post_id_re=r"^p(\d+)$",
    title=f"descendant::td[{has_class('gensmall')}][div][1]/div[1]/a",
    permalink="descendant::a[contains(@href,'#p')][contains(@href,'p=')][1]",
    author=f"descendant::b[{has_class('postauthor')}]",
    date=f"descendant::td[{has_class('gensmall')}][div][1]/div[2]",
    date_strip=_LABEL,
    body=_S2_BODY,
    edited=f"({_S2_BODY}/following-sibling::span[{has_class('gensmall')}][not({has_class('error')})][normalize-space()]"
           f" | {_S2_BODY}/following-sibling::table/descendant::span[{has_class('gensmall')}])[1]",
    quote=f"descendant::div[{has_class('quotecontent')}]",
    quote_author=f"preceding-sibling::div[1][{has_class('quotetitle')}]",
    quote_author_re=_WROTE,
    deleted=f"tr/td[{has_class('gensmall')}][@colspan='2']/a[starts-with(@name,'p')]",
    guest=f"not(descendant::a[{_PROFILE}])",
    facts=(("user_title", f"descendant::td[{has_class('profile')}]//td[{has_class('postdetails')}]"),
           # "<b>Joined:</b> DATE<br /><b>Posts:</b> N<br /><b>Location:</b> PLACE": by position, in any language
           ("joined_raw", f"{_S2_DETAILS}/b[1]/following-sibling::text()[1]"),
           ("post_count_shown", f"{_S2_DETAILS}/b[2]/following-sibling::text()[1]"),
           ("location", f"{_S2_DETAILS}/b[3]/following-sibling::text()[1]"),
           ("avatar_url", f"descendant::td[{has_class('profile')}]//img[not(contains(@src,'online'))]"
                          f"[not(contains(@src,'rank'))][1]")),
    facts_re=(("joined_raw", r"(\S.*\S)"), ("location", r"(\S.*\S)")),
)
_S1_BODY = f"descendant::span[{has_class('postbody')}][1]/parent::td"
SUBSILVER = Layout(
    post=_POST_S1,
    post_id=f"td/span[{has_class('name')}]/a/@name",
    permalink="descendant::a[contains(@href,'#')][contains(@href,'p=')][1]",
    author=f"td/span[{has_class('name')}]/b",
    date=f"descendant::span[{has_class('postdetails')}][span[{has_class('gen')}]]/text()[1]",
    body=_S1_BODY,
    edited=f"{_S1_BODY}/span[{has_class('gensmall')}][normalize-space()]",
    quote=f"descendant::td[{has_class('quote')}]",
    quote_author=f"../preceding-sibling::tr[1]/descendant::span[{has_class('genmed')}]",
    quote_author_re=_WROTE,
    guest=f"not(following-sibling::tr[1]/descendant::a[{_PROFILE}])",
    facts=(("user_title", f"td/span[{has_class('postdetails')}]/text()[1][not(contains(., ':'))]"),
           ("joined_raw", f"td/span[{has_class('postdetails')}]/text()[contains(., ':')][1]"),
           ("post_count_shown", f"td/span[{has_class('postdetails')}]/text()[contains(., ':')][2]"),
           ("location", f"td/span[{has_class('postdetails')}]/text()[contains(., ':')][3]"),
           ("avatar_url", f"td/span[{has_class('postdetails')}]/img[not(contains(@src,'rank'))][1]")),
    facts_re=(("user_title", r"(\S.*)"), ("joined_raw", _AFTER_LABEL), ("location", _AFTER_LABEL)),
)

SUBSILVER2_PRINT = Layout(
    post=_POST_PRINT_S2,
    title="tr[2]/td[2]/b",
    author="tr[1]/td[2]/b",
    date="tr[1]/td[2]/b/following-sibling::text()[1]",
    date_strip=r"^\s*\[\s*|\s*\]\s*$",
    body="tr[3]/td[@colspan='2']",
    quote=f"descendant::div[{has_class('quotecontent')}]",
    quote_author=f"preceding-sibling::div[1][{has_class('quotetitle')}]",
    quote_author_re=_WROTE,
)
X_PRINT_TITLE = f"/descendant::span[{has_class('topic')}][1]"
X_PRINT_TOPIC = (f"/descendant::span[{has_class('topic')}][1]/following-sibling::span[1]"
                 "/a[contains(@href,'viewtopic.php')]")
X_PRINT_PAGER = f"/descendant::span[{has_class('gensmall')}][strong]"

# Post furniture after the body: where text that escaped the body ends (see _escaped_body).
FURNITURE = frozenset(("notice", "signature", "attachbox", "back2top", "postprofile", "post-buttons",
                       "profile-icons", "author", "corners-bottom", "rules", "postbody", "gensmall", "divider"))
IS_FURNITURE = toolkit.furniture(FURNITURE, ("sig",))
NESTED = {layout_post: layout_post.replace("/descendant::", "descendant::", 1)
          for layout_post in (_POST_P, _POST_S2, _POST_S1)}
X_AUTHOR_TIME = f"descendant::p[{has_class('author')}]/time"
X_AUTHOR_RESPONSIVE = f"descendant::p[{has_class('author')}]/span[{has_class('responsive-hide')}]"
X_TOPIC_LINK = (f"/descendant::h2[{has_class('topic-title')}]/a | /descendant::a[{has_class('titles')}]"
                f" | /descendant::a[{has_class('maintitle')}] | id('page-body')/h2[1]/a"
                " | id('page-body')/h2[1][not(a)]")
X_CANONICAL = "/html/head/link[@rel='canonical']/@href"
# the "Post a reply" button (U_POST_REPLY_TOPIC) names the topic on every style, custom ones included
X_REPLY_LINK = ("/descendant::a[contains(@href,'posting.php')][contains(@href,'mode=reply')][contains(@href,'t=')][1]"
                "/@href")
X_HEADINGS = "/descendant::h2[normalize-space()]"
X_HEAD_TITLE = "/html/head/title"
X_CRUMBS = ("id('nav-breadcrumbs')/descendant::a[contains(@href,'viewforum.php')]",
            f"/descendant::ul[{has_class('navlinks')}]/li[1]/a[contains(@href,'viewforum.php')]",
            f"(/descendant::p[{has_class('breadcrumbs')}])[1]/a[contains(@href,'viewforum.php')]",
            f"/descendant::span[{has_class('nav')}][a[contains(@href,'index.php')]][1]/a[contains(@href,'viewforum.php')]")
X_PAGERS = (f"/descendant::div[{has_class('pagination')}] | /descendant::td[{has_class('nav')}]"
            f" | /descendant::span[{has_class('nav')}][not(a)]")
X_PAGER_ITEMS = f"descendant::li[not({has_class('arrow')})]/*[self::a or self::span]"
X_PAGER_ACTIVE = f"descendant::li[{has_class('active')}]/span"
X_LOCKED = (f"/descendant::a[contains(@href,'mode=reply')][descendant::i[{has_class('fa-lock')}]"
            f" or descendant::img[contains(@src,'locked')]] | /descendant::div[{has_class('locked-icon')}]")
X_LINKS = "/descendant::a[@href][contains(@href,'viewtopic.php') or contains(@href,'viewforum.php')]"
X_S2_PROFILE = f"descendant::a[{_PROFILE}][not(ancestor::div[{has_class('postbody')}])][1]"
X_S1_PROFILE = f"following-sibling::tr[1]/descendant::a[{_PROFILE}][1]"
X_S1_SUBJECT = f"descendant::span[{has_class('postdetails')}]/span[{has_class('gen')}]"
X_DELETED_NOTES = (f"descendant::div[{has_class('post_deleted_msg')}]", f"descendant::div[{has_class('ignore')}]",
                   f"descendant::td[{has_class('gensmall')}][@colspan='2']")
X_QUOTE_CITES = f"{_POST_P}/descendant::blockquote/div/cite"
X_SIG_RULE = (f"descendant::span[{has_class('postbody')}]"
              "/br[starts-with(normalize-space(following-sibling::text()[1]),'____')]")

# The footer's S_TIMEZONE, in the board's language: "All times are GMT + 1 Hour" (2.0), "Heures au format UTC + 1
# heure [ Heure d'été ]" (3.0: the offset, then the DST mark when the board or user has it on; 5.5 hours print as
# "+ 5:30"); 3.1 writes 'All times are <span title="Europe/Berlin">UTC+01:00</span>', the title naming the zone
# (the offset is the rendering day's). 2.0 and 3.0 shift every date by the same amount, so the offset is exact.
X_ZONE_HOLDERS = "/descendant::*[text()[contains(., 'UTC') or contains(., 'GMT')]]"
_ZONE = re.compile(r"(?<![\w])(?:UTC|GMT)"
                   r"(?:\s*(?P<sign>[+\-\u2212])\s*(?P<h>\d{1,2})(?:(?P<sep>[:.,])(?P<m>\d{1,2}))?)?(?![\d:])"
                   r"[^\[\]<>\d]{0,40}?(?P<dst>\[[^\[\]\d]{1,30}\])?\s*$")
# 3.1+ write the rendering day's offset as "UTC+02:00" (phpbb_format_timezone_offset), the zone's name in a title
# or, in some language packs, after it ("Tutti gli orari sono UTC+02:00 Europa/Roma")
_ZONE_31 = re.compile(r"UTC[+\-\u2212]\d{2}:\d{2}")
_ZONE_NAME = re.compile(r"\b[A-Z][A-Za-z_-]+/[A-Za-z_+\-/]+")
_UID = re.compile(r"[?&]u=(\d+)")
_POSTS_SHOWN = re.compile(r"^\s*(\d[\d,.\s]*)\s+\S")
# Links a crawler must not follow: other orders and filters of the same posts, print and unread views, the
# "mark read"/"watch" actions, single-post and highlight links (each a copy of a topic page).
TRAP_KEYS = frozenset(("view", "sk", "sd", "st", "hilit", "highlight", "mark", "watch", "unwatch", "bookmark",
                       "hash", "p", "e", "mode", "search_id", "uid"))
# phpBB 2 writes its default order into every page link; other orders and day filters are copies
DEFAULT_ORDER = {"postdays": "0", "postorder": "asc"}


# --- Detection -------------------------------------------------------------------------------------
def score(doc) -> Detection:
    found = toolkit.score(doc, NAME, SIGNS)
    version, layout, _posts = style(doc)
    if layout is not None:
        theme = version.split()[-1]
        found.score += STYLE_WEIGHT[theme]
        found.signs.append(f"{theme} post markup")
    found.version = version if found.score > 0 else None
    return found


def detect(doc) -> bool:
    return score(doc).score >= toolkit.CLAIM


def style(doc) -> tuple[str | None, Layout | None, list]:
    """(version and style, Layout, post elements) told by the post markup; (None, None, []) without posts.

    Read once per page (detection and parsing both ask) and kept on the document."""
    cached = getattr(doc, "_phpbb_style", None)
    if cached is None:
        cached = doc._phpbb_style = _style(doc)
    return cached


def _style(doc) -> tuple[str | None, Layout | None, list]:
    root, page = doc.root, doc.text
    if "postbody" in page:
        posts = x(_POST_P)(root)
        if posts:
            if first(posts[0], X_AUTHOR_TIME) is not None:
                return "3.2-3.3 prosilver", PROSILVER, posts
            if first(posts[0], X_AUTHOR_RESPONSIVE) is not None:
                return "3.1 prosilver", PROSILVER, posts
            return "3.0 prosilver", PROSILVER_30, posts
    if "postauthor" in page:
        posts = x(_POST_S2)(root)
        if posts and first(posts[0], f"descendant::b[{has_class('postauthor')}]") is not None:
            return "3.0 subsilver2", SUBSILVER2, posts
    if "postbody" in page and "postdetails" in page:
        posts = x(_POST_S1)(root)
        if posts and first(posts[0], f"td/descendant::span[{has_class('postbody')}]") is not None:
            return "2.0 subSilver", SUBSILVER, posts
    if 'class="topic"' in page and 'class="sep"' in page:
        posts = x(_POST_PRINT_S2)(root)
        if posts and first(root, X_PRINT_TOPIC) is not None:
            return "3.0 subsilver2 print", SUBSILVER2_PRINT, posts
    return None, None, []


# --- Parsing ---------------------------------------------------------------------------------------
def parse(doc, zone=None, links: bool = True, records: bool = True) -> ParsedPage:
    version, layout, elements = style(doc)
    thread_id, thread_url, title = _thread(doc)
    crawl = _crawl_links(doc, thread_id) if links else {}
    if layout is None or thread_id is None:
        reason = "phpBB listing page, no posts" if crawl.get("threads") else "phpBB page without posts"
        return ParsedPage(thread=None, posts=[], links=crawl, skip_reason=reason)
    current, pages_total = _pager(doc)
    if layout is SUBSILVER2_PRINT:  # "Page 1 of 42" in a span.gensmall, in the board's language
        current, pages_total = next((found for found in map(toolkit.page_of, map(text, x(X_PRINT_PAGER)(doc.root)))
                                     if found[1]), (None, None))
    page_number = (current or 1) - 1
    if not records:
        return ParsedPage(thread={"id": thread_id, "url": thread_url}, posts=[], links=crawl, page_number=page_number)

    zone = _stated_zone(doc, elements) or zone
    if layout is SUBSILVER:
        _cut_signatures(doc.root)
    elif "<cite" in doc.text:
        _break_after_cites(doc.root)
    posts = []
    nested = NESTED.get(layout.post) if len(elements) > 1 else None
    for el in elements:
        # A stray open tag in a message (a <table> never closed) makes the parser put the posts after it inside
        # this one: detach them first (they are read on their own turn; detached elements stay whole).
        for inner in x(nested)(el) if nested else ():
            toolkit.drop(inner)
        post = toolkit.read_post(doc, el, layout)
        if layout is SUBSILVER2_PRINT:
            # the print view names no post ids: the topic, the page and the place on it stand for one
            post["id"] = f"{thread_id}-print-{page_number + 1}.{len(posts) + 1}"
        if not post["body_text"] and not post["deleted"]:
            _escaped_body(doc, el, post, layout)
        if not post["id"] or post["id"] == "0":  # a pseudo-post (ads, "sponsored" blocks) has no real id
            continue
        _own_fields(doc, el, layout, post)
        posts.append(post)

    crumbs = _breadcrumb(doc)
    extra: dict = {"style": version}
    if crumbs:
        extra["board_path"] = [name for name, _url in crumbs]
        extra["board_url"] = crumbs[-1][1]
    if x(X_LOCKED)(doc.root):
        extra["locked"] = True
    shown = _posts_shown(doc)
    if shown is not None:
        extra["posts_shown"] = shown
    thread = {"id": thread_id, "url": thread_url, "title": title or (posts[0]["title"] if posts else None),
              "board": crumbs[-1][0] if crumbs else None, "reply_count": None, "extra": extra,
              "op_on_page": page_number == 0}
    return toolkit.page(doc, zone, thread, posts, page_number=page_number, pages_total=pages_total, links=crawl)


def _stated_zone(doc, elements: list):
    """The zone the board says its dates are in (X_ZONE_HOLDERS)."""
    if "UTC" not in doc.text and "GMT" not in doc.text:
        return None
    return toolkit.stated_zone(doc, elements, X_ZONE_HOLDERS, _read_zone)


def _read_zone(holder, words: str):
    m = _ZONE.search(words[-160:])  # the statement ends its element's text: a long text costs no more
    if m is None:
        return None
    name = holder.get("title") if words.startswith("UTC") else None
    name = name or next(iter(_ZONE_NAME.findall(words)), None)
    if name or _ZONE_31.search(words):  # 3.1+: only the zone's name tells each date's offset
        return ("name", name) if name else None  # a translated name ("Europa/Roma") is no zone
    minutes = 0
    if m["h"]:
        fraction = int(m["m"]) if m["sep"] == ":" else round(float("0." + m["m"]) * 60) if m["m"] else 0
        minutes = (int(m["h"]) * 60 + fraction) * (-1 if m["sign"] in "-\u2212" else 1)
    return "minutes", minutes + (60 if m["dst"] else 0)


def _own_fields(doc, el, layout: Layout, post: dict) -> None:
    """What the shared reader cannot know: profile links outside the name (subsilver2, subSilver), subSilver's
    labelled date and subject, the permalink when bots were served no mini-post link."""
    if layout is SUBSILVER2 or layout is SUBSILVER:
        link = first(el, X_S2_PROFILE if layout is SUBSILVER2 else X_S1_PROFILE)
        if link is not None and not post["extra"].get("anonymous"):
            post["author_url"] = doc.absolute(link.get("href"))
            m = _UID.search(link.get("href") or "")
            post["author_id"] = m.group(1) if m else None
    if layout is SUBSILVER:
        post["published_raw"] = toolkit.squash(re.sub(_LABEL, "", post["published_raw"] or "")) or None
        subject = first(el, X_S1_SUBJECT)
        if subject is not None and subject.tail:
            post["title"] = toolkit.squash(re.sub(_LABEL, "", toolkit.squash(subject.tail))) or None
    if layout is SUBSILVER2_PRINT:  # "[ DATE ]"
        post["published_raw"] = toolkit.squash(re.sub(layout.date_strip, "", post["published_raw"] or "")) or None
    if post["deleted"]:
        for expr in X_DELETED_NOTES:
            found = first(el, expr)
            if found is not None:
                note = text(found) or ""
                shown = text(first(found, "a[@data-post-id]"))  # "Display this post"
                post["extra"]["deleted_note"] = note.removesuffix(shown).strip() if shown else note
                break
    if not post["url"] and post["id"] and post["id"].isdigit():
        post["url"] = doc.absolute(f"viewtopic.php?p={post['id']}#p{post['id']}")


def _escaped_body(doc, post_el, post: dict, layout: Layout) -> None:
    """A stray ``</div>`` at the start of a message closes its body early: take back what escaped it."""
    body = first(post_el, layout.body)
    box = toolkit.escaped_body(post_el, body, IS_FURNITURE) if body is not None else None
    if box is not None:
        post["body_text"] = element_text(box)
        post["body_html"] = inner_html(box, doc.absolute)
        post["quotes"] = toolkit.read_quotes(box, layout)


def _cut_signatures(root) -> None:
    """phpBB 2 appends the signature to the message after a line of underscores: drop the line and all after it
    inside that span (the edit note lives in a sibling span and stays)."""
    for br in x(X_SIG_RULE)(root):
        span = br.getparent()
        if span is None:
            continue
        for sibling in list(br.itersiblings()):
            span.remove(sibling)
        br.tail = None
        span.remove(br)


def _break_after_cites(root) -> None:
    """prosilver's quote header (``cite``) is inline: a line break keeps "X wrote:" off the quoted words."""
    for cite in x(X_QUOTE_CITES)(root):
        br = etree.Element("br")
        br.tail, cite.tail = cite.tail, None
        cite.addnext(br)


def _thread(doc) -> tuple[str | None, str | None, str | None]:
    """(thread id, canonical thread URL, title) from the topic title link, the canonical link or the URL."""
    link = first(doc.root, X_TOPIC_LINK)
    title = text(link)
    if link is None:  # the print view prints the title, then the topic's address as a link
        link = first(doc.root, X_PRINT_TOPIC)
        title = text(first(doc.root, X_PRINT_TITLE)) if link is not None else None
    candidates = [link.get("href") if link is not None and link.get("href") else None,
                  first(doc.root, X_CANONICAL), doc.url, first(doc.root, X_REPLY_LINK)]
    for href in candidates:
        url = doc.absolute(href) if href else None
        topic = _query(url).get("t") if url else None
        if topic and topic.isdigit():
            return f"t{topic}", _topic_url(doc, url, topic), title or _heading_title(doc)
    return None, None, title


def _heading_title(doc) -> str | None:
    """A custom theme's bare <h2> topic title: the heading that ends the page's <title> ("SITE • View topic -
    TITLE" in any language), so a forum or site heading is never taken."""
    page_title = text(first(doc.root, X_HEAD_TITLE))
    if not page_title:
        return None
    for heading in x(X_HEADINGS)(doc.root):
        name = text(heading)
        if name and len(name) < len(page_title) and page_title.endswith(name):
            return name
    return None


def _topic_url(doc, url: str, topic: str) -> str:
    parts = urlsplit(url)
    forum = _query(url).get("f")
    query = f"f={forum}&t={topic}" if forum and forum.isdigit() else f"t={topic}"
    path = parts.path
    if path.endswith("posting.php"):  # taken from the reply button
        path = path.removesuffix("posting.php") + "viewtopic.php"
    return f"{parts.scheme}://{parts.netloc}{path}?{query}" if parts.netloc else f"viewtopic.php?{query}"


def _query(url: str | None) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query.replace("&amp;", "&"))) if url else {}


def _breadcrumb(doc) -> list[tuple[str, str | None]]:
    for expr in X_CRUMBS:
        crumbs = toolkit.breadcrumb(doc, expr)
        if crumbs:
            return crumbs
    return []


def _pager(doc) -> tuple[int | None, int | None]:
    """(current page, pages) from "Page 2 of 34" in any board language, else from prosilver's page list."""
    pagers = x(X_PAGERS)(doc.root)
    for pager in pagers:
        current, total = toolkit.page_of(text(pager))
        if total:
            return current, total
    for pager in pagers:
        numbers = [int(t) for t in (text(e) for e in x(X_PAGER_ITEMS)(pager)) if t and t.isdigit()]
        if numbers:
            active = first(pager, X_PAGER_ACTIVE)
            current = text(active)
            return (int(current) if current and current.isdigit() else None), max(numbers)
    return None, None


def _posts_shown(doc) -> int | None:
    """prosilver's "8 posts" (3.1+: before the page list; 3.0: "8 posts • Page 1 of 2")."""
    pager = first(doc.root, f"/descendant::div[{has_class('pagination')}]")
    head = (pager.text or "") if pager is not None else ""
    m = _POSTS_SHOWN.match(head)
    return toolkit.count(m.group(1)) if m else None


def _crawl_links(doc, thread_id: str | None) -> dict[str, list[str]]:
    """This topic's other pages, topics listed here, and forum listing pages; traps left out."""
    pages, threads, listings = [], [], []
    seen = set()
    for a in x(X_LINKS)(doc.root):
        url = doc.absolute(a.get("href"))
        if not url or url in seen:
            continue
        seen.add(url)
        query = _query(url)
        if TRAP_KEYS & set(query) or any(query.get(k, v) != v for k, v in DEFAULT_ORDER.items()):
            continue
        path = urlsplit(url).path
        url = url.split("#", 1)[0]
        if path.endswith("viewtopic.php") and query.get("t", "").isdigit():
            (pages if f"t{query['t']}" == thread_id else threads).append(url)
        elif path.endswith("viewforum.php") and query.get("f", "").isdigit():
            listings.append(url)
    here = _query(doc.url).get("start", "0")
    return {"pages": _once(p for p in pages if _query(p).get("start", "0") != here),
            "threads": _once(threads), "listings": _once(listings)}


def _once(urls) -> list[str]:
    return list(dict.fromkeys(urls))
