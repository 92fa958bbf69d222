"""Simple Machines Forum 1.1, 2.0 (Curve) and 2.1 topic pages, board listings for crawling.

Written from SMF's public templates (Display.template.php, index.template.php and Subs.php's quote bbc of
each version); see the notes on SMF in the engine notes. Ids: a topic is ``topic/T``, a message ``msg/M``.
SMF boards are flat: quotes carry the quoted message id (their header links to ``topic=T.msgM#msgM`` or, in
2.1, ``?msg=M``), which is the reply network; ``parent_id`` stays null.
"""

from __future__ import annotations

import re

from harvester.dates import _day_words, _fold, _tables
from harvester.engines import toolkit
from harvester.engines.toolkit import Detection, Layout, Sign, first, has_class, text, x
from harvester.model import ParsedPage
from harvester.text import element_text

NAME = "smf"
VERSION = "1.0.0"

SUBJECT = "starts-with(@id,'subject_')"
PROFILE_LINK = "a[contains(@href,'action=profile') and contains(@href,'u=')]"

SIGNS = (
    Sign("smf_scripturl script variable", 10, needle="smf_scripturl"),
    Sign("Simple Machines footer credit", 10, needle="simplemachines.org",
         xpath="/descendant::a[contains(@href,'simplemachines.org')]"),
    Sign("SMF 2.1 message blocks (div.inner[data-msgid])", 6, needle="data-msgid",
         xpath=f"/descendant::div[{has_class('inner')}][@data-msgid]", version="2.1"),
    Sign("SMF 2.0 Curve keyinfo subjects (h5#subject_N)", 5, needle="keyinfo",
         xpath=f"/descendant::div[{has_class('keyinfo')}]/h5[{SUBJECT}]", version="2.0"),
    Sign("SMF 1.1 table postbit (div#subject_N in table.bordercolor)", 5, needle="bordercolor",
         xpath=f"/descendant::table[{has_class('bordercolor')}]//div[{SUBJECT}]", version="1.1"),
    Sign("quickModForm with topic=T.START", 4, needle="quickModForm",
         xpath="id('quickModForm')[contains(@action,'topic=')]"),
    Sign("SMF linktree (div.navigate_section)", 2, needle="navigate_section",
         xpath=f"/descendant::div[{has_class('navigate_section')}]/ul/li"),
)

# 2.0 and 2.1 share the post frame: div.windowbg > div.post_wrapper > div.poster + div.postarea (+ moderatorbar)
_POSTER = f"descendant::div[{has_class('poster')}]"
_FACTS_20 = (
    ("user_title", f"{_POSTER}/ul/li[{has_class('title')} or {has_class('membergroup')} or {has_class('postgroup')}]"),
    ("post_count_shown", f"{_POSTER}/ul/li[{has_class('postcount')}]"),
    ("avatar_url", f"{_POSTER}/ul/li[{has_class('avatar')}]//img"),
    ("location", f"{_POSTER}/ul/li[{has_class('cust_loca')}]"),
)
_FACTS_RE = (("location", r":\s*(.+)$"),)
LAYOUT_21 = Layout(
    post=f"/descendant::div[{has_class('post_wrapper')}]/parent::div[starts-with(@id,'msg')]",
    post_id=f"descendant::*[{SUBJECT}]/@id",
    title=f"descendant::*[{SUBJECT}]",
    permalink=f"descendant::div[{has_class('postinfo')}]/a[@href]",
    author=f"{_POSTER}/h4/{PROFILE_LINK} | {_POSTER}/h4[not({PROFILE_LINK})]",
    profile_id_re=r"[;?&]u=(\d+)",
    date=f"descendant::div[{has_class('postinfo')}]/a[{has_class('smalltext')}]",
    date_attrs=(),
    body=f"descendant::div[{has_class('inner')}][starts-with(@id,'msg_')]",
    edited="descendant::*[starts-with(@id,'modified_')][normalize-space()]",
    votes=f"descendant::li[{has_class('like_count')}]",
    votes_kind="likes",
    deleted="descendant::*[starts-with(@id,'msg_')][contains(@id,'_ignored_prompt')]",
    guest=f"{_POSTER}/h4[not({PROFILE_LINK})]",
    facts=_FACTS_20,
    facts_re=_FACTS_RE,
)
# 2.0's Core theme has no post_wrapper: div.bordercolor > div.windowbg|windowbg2 > div.poster + div.postarea
_CORE_20 = f"/descendant::div[{has_class('bordercolor')}]/div[div[{has_class('postarea')}]][descendant::h5[{SUBJECT}]]"
LAYOUT_20 = Layout(
    post=f"/descendant::div[{has_class('post_wrapper')}]/parent::div[descendant::h5[{SUBJECT}]] | {_CORE_20}",
    post_id=f"descendant::h5[{SUBJECT}]/@id",
    title=f"descendant::h5[{SUBJECT}]",
    permalink=f"descendant::h5[{SUBJECT}]/a[@href]",
    author=LAYOUT_21.author,
    profile_id_re=LAYOUT_21.profile_id_re,
    date=f"descendant::div[{has_class('keyinfo')}]/div[{has_class('smalltext')}]",
    date_attrs=(),
    date_strip=r"^[^:]*:\s*|\s*»\s*$",  # "« Reply #3 on: DATE »", "« Antwort #3 am: DATE »"
    body=f"descendant::div[{has_class('inner')}][starts-with(@id,'msg_')]",
    edited=LAYOUT_21.edited,
    deleted=LAYOUT_21.deleted,
    guest=LAYOUT_21.guest,
    facts=_FACTS_20,
    facts_re=_FACTS_RE,
)
_POSTER_11 = "descendant::td[@rowspan='2'][1]"
LAYOUT_11 = Layout(
    post=f"/descendant::td[{has_class('windowbg')} or {has_class('windowbg2')}][descendant::div[{SUBJECT}]]",
    post_id=f"descendant::div[{SUBJECT}]/@id",
    title=f"descendant::div[{SUBJECT}]",
    permalink=f"descendant::div[{SUBJECT}]/a[@href]",
    author=f"{_POSTER_11}/b/{PROFILE_LINK} | {_POSTER_11}/b[not({PROFILE_LINK})]",
    profile_id_re=r"[;?&]u=(\d+)",
    date=f"descendant::div[{SUBJECT}]/following-sibling::div[{has_class('smalltext')}][1]",
    date_attrs=(),
    date_strip=LAYOUT_20.date_strip,
    body=f"descendant::div[{has_class('post')}]",
    edited="descendant::td[starts-with(@id,'modified_')][normalize-space()]",
    guest=f"{_POSTER_11}/b[not({PROFILE_LINK})]",
    facts=(("avatar_url", f"{_POSTER_11}//img[{has_class('avatar')}]"),),
)
LAYOUTS = {"2.1": LAYOUT_21, "2.0": LAYOUT_20, "1.1": LAYOUT_11}

X_POSTER_TEXT_11 = x(f"{_POSTER_11}/div[{has_class('smalltext')}]")
X_KARMA = x(f"{_POSTER}/ul/li[{has_class('karma')}]")
X_CRUMBS = x(f"/descendant::div[{has_class('navigate_section')}][1]/ul/li/a"
             f" | (/descendant::div[{has_class('nav')}][b/a[{has_class('nav')}]])[1]/b/a")
X_CRUMBS_CORE = x(f"(/descendant::ul[{has_class('linktree')}])[1]/li/a")  # 2.0 Core: ul.linktree#linktree_upper
X_QUICKMOD = x("id('quickModForm')/@action")
X_PAGER = x(f"/descendant::div[{has_class('pagelinks')}][1] | (/descendant::td[{has_class('middletext')}]"
            "[contains(., ':')])[1]")
# 2.0 Core: "Pages: [1] 2" in a div.middletext (no div.pagelinks)
X_PAGER_CORE = x(f"(/descendant::div[{has_class('middletext')}][contains(., ':')]"
                 f"[strong or descendant::a[{has_class('navPages')}]])[1]")
X_PAGER_CURRENT = x(f"descendant::span[{has_class('current_page')}] | descendant::strong | descendant::b")
X_PAGER_LINKS = x(f"descendant::a[{has_class('navPages')} or {has_class('nav_page')}]")
X_ALL_LINKS = x("/descendant::a[@href]")
X_VIEWS = x(f"/descendant::*[@id='top_subject'] | /descendant::h3[{has_class('catbg')}]")
X_QUOTE_HEADERS = x(f"descendant::div[{has_class('quoteheader')}]")
X_CITES = x("descendant::blockquote/cite")
X_NESTED_POSTS = x(f"descendant::div[{has_class('post_wrapper')}]/parent::div | descendant::td"
                   f"[{has_class('windowbg')} or {has_class('windowbg2')}][descendant::div[{SUBJECT}]]"
                   f" | {_CORE_20.replace('/descendant::', 'descendant::', 1)}")
X_FURNITURE_INSIDE = x("descendant::*[starts-with(@id,'modified_')]")
_FURNITURE = frozenset(("under_message", "moderatorbar", "attachments", "signature", "post_separator", "keyinfo",
                        "poster", "postarea", "post_wrapper"))
X_HREF = x("descendant-or-self::a[@href][1]/@href")
X_NEXT_CONTENT = x("following-sibling::*[1]")

_TOPIC = re.compile(r"[?;&]topic=(\d+)(?:\.(\w+))?|/topic,(\d+)(?:\.(\w+))?")
_BOARD = re.compile(r"[?;&]board=(\d+)(?:\.(\d+))?|/board,(\d+)(?:\.(\d+))?")
_MSG = re.compile(r"msg=?(\d+)")
_KARMA = re.compile(r"([+-]?\d+)\s*/\s*-?(\d+)|([+-]?\d+)")
_POSTS_11 = re.compile(r"^\s*[^\W\d_][^\n:]{0,30}:\s*([\d,.\s]+)$", re.M)
_KARMA_11 = re.compile(r"^\s*Karma:?\s*(.+)$", re.M | re.I)
_VIEWS = re.compile(r"\((?:\D*?)\s(\d[\d,.]*)\s")
_TOPIC_ICON = re.compile(r"/images/topic/([\w.-]+)\.(?:gif|png)")  # normal_post_locked_sticky.gif
_TITLE_ICONS = re.compile(r'id="top_subject">(.{0,400}?)</h2>', re.S)  # 2.1: span.main_icons.lock/.sticky
_LEAD = re.compile(r"^[^:]{1,40}:\s*")


def score(doc) -> Detection:
    return toolkit.score(doc, NAME, SIGNS)


def parse(doc, zone=None, links: bool = True, records: bool = True) -> ParsedPage:
    """Records of one topic page (``records=False``: only its id, url and crawl hints)."""
    version = _version(doc)
    layout = LAYOUTS.get(version or "", LAYOUT_20)
    topic_id, start = _topic(doc)
    is_topic = topic_id is not None and x(layout.post)(doc.root)
    hints = _crawl_links(doc, topic_id if is_topic else None) if links or not is_topic else {}
    if not is_topic:
        return ParsedPage(thread=None, posts=[], links=hints,
                          skip_reason="SMF page without a topic (board index, listing or other action)")
    thread_url = _thread_url(doc, topic_id)
    page_no, pages_total = _pager(doc)
    if page_no is None and start == 0:
        page_no = 0
    if not records:
        return ParsedPage(thread={"id": f"topic/{topic_id}", "url": thread_url}, posts=[], links=hints,
                          page_number=page_no or 0)
    posts = []
    elements = x(layout.post)(doc.root)
    for el in elements:
        # A stray open tag in a message (a <table> never closed) makes the parser put the messages after it
        # inside this one: detach them first (they are read on their own turn, detached elements stay whole).
        for inner in X_NESTED_POSTS(el) if len(elements) > 1 else ():
            toolkit.drop(inner)
        post = toolkit.read_post(doc, el, layout)
        _finish_post(doc, el, post, version)
        if not post["body_text"] and not post["deleted"]:
            _escaped_body(doc, el, post, layout)
        posts.append(post)
    crumbs = toolkit.breadcrumb(doc, X_CRUMBS.path) or toolkit.breadcrumb(doc, X_CRUMBS_CORE.path)
    names = [name for name, _url in crumbs]
    board_path = names[1:-1] if len(names) > 2 else names[1:]
    title = names[-1] if len(names) > 1 else None
    if not title or (posts and title == board_path[-1:]):
        title = posts[0]["title"] if posts else None
    extra = {"board_path": board_path, **_topic_flags(doc)}
    views = _views(doc)
    if views is not None:
        extra["views"] = views
    if version:
        extra["smf_version"] = version
    thread = {"id": f"topic/{topic_id}", "url": thread_url, "title": title,
              "board": board_path[-1] if board_path else None, "reply_count": None, "extra": extra,
              "op_on_page": (page_no or 0) == 0}
    return toolkit.page(doc, zone, thread, posts, page_number=page_no or 0, pages_total=pages_total, links=hints)


def _escaped_body(doc, post_el, post: dict, layout: Layout) -> None:
    """A stray ``</div>`` at the start of a message closes its body early: take back what escaped it."""
    body = first(post_el, layout.body)
    box = toolkit.escaped_body(post_el, body, _is_furniture) if body is not None else None
    if box is not None:
        post["body_text"] = element_text(box)
        post["quotes"] = _quotes(box, [])


def _is_furniture(el) -> bool:
    return bool(set((el.get("class") or "").split()) & _FURNITURE or X_FURNITURE_INSIDE(el)
                or (el.get("id") or "").startswith(("modified_", "msg_")))


def _version(doc) -> str | None:
    """The version whose post markup the page holds; the words tested first spare a tree walk per version."""
    for version, word in (("2.1", "data-msgid"), ("2.0", "keyinfo"), ("1.1", "bordercolor")):
        if word in doc.text and x(LAYOUTS[version].post)(doc.root):
            return version
    return None


def _finish_post(doc, el, post: dict, version: str | None) -> None:
    """What the layout cannot say: ids as msg/M, quote authors and ids, karma, unapproved, guest facts."""
    if post["id"]:
        post["id"] = f"msg/{post['id']}"
    if post["extra"].get("edited") is None:
        post["extra"].pop("edited", None)
    else:
        post["extra"]["edited"] = _LEAD.sub("", post["extra"]["edited"].strip("«» ")).strip("«» ")
    body = first(el, (LAYOUTS.get(version or "") or LAYOUT_20).body)
    cites = X_CITES(body) if body is not None else []
    for cite in cites:  # 2.1's quote header: inline markup that SMF's stylesheet shows as a line of its own
        cite.tag = "div"
    if cites:
        post["body_text"] = element_text(body)
    post["quotes"] = _quotes(body, cites) if body is not None else []
    for cite in cites:
        cite.tag = "cite"
    if post["extra"].get("anonymous"):
        post.pop("author_facts", None)
        return
    facts = post.setdefault("author_facts", {})
    karma = text(X_KARMA(el)[0]) if version != "1.1" and X_KARMA(el) else None
    if version == "1.1":
        cells = X_POSTER_TEXT_11(el)
        lines = [ln.strip() for ln in element_text(cells[0]).splitlines() if ln.strip()] if cells else []
        if lines:
            facts["user_title"] = lines[0]
        for line in lines:
            m = _KARMA_11.match(line)
            if m:
                karma = line
            elif _POSTS_11.match(line) and "post_count_shown" not in facts:
                facts["post_count_shown"] = toolkit.count(line)
    if karma:
        m = _KARMA.search(karma.split(":")[-1])
        if m:
            facts["reputation"] = int(m.group(1)) - int(m.group(2)) if m.group(1) else int(m.group(3))
            post["extra"]["karma_raw"] = karma
    if not facts:
        post.pop("author_facts")
    if "approvebg" in (el.get("class") or ""):
        post["extra"]["unapproved"] = True


def _quotes(body, cites: list) -> list[dict]:
    """Quote blocks: 1.1 ``div.quoteheader + div.quote``; 2.0 ``div.quoteheader + blockquote``; 2.1
    ``blockquote > cite``. The header reads "Quote from: AUTHOR on DATE" in the board's language, linked to
    the quoted message when the quote was made with the quote button."""
    out = []
    for head in cites or X_QUOTE_HEADERS(body):
        if head.getparent().tag == "blockquote":  # 2.1 (its cite is a div while the post is read)
            block = head.getparent()
        else:
            block = X_NEXT_CONTENT(head)
            block = block[0] if block else None
            if block is not None and block.tag == "div" and "quote" not in (block.get("class") or "") \
                    and block.tag != "blockquote":
                block = None
        header = text(head) or ""
        href = X_HREF(head)
        m = _MSG.search(href[0]) if href else None
        quote_text = element_text(block) if block is not None else ""
        if block is head.getparent() and quote_text.startswith(header):
            quote_text = quote_text[len(header):].strip()
        out.append({"author": quote_author(header), "text": quote_text,
                    "post_id": f"msg/{m.group(1)}" if m else None})
    return out


def quote_author(header: str) -> str | None:
    """The author in "Quote from: NAME on DATE" / "Zitat von: NAME am DATE" / "Quote from: NAME".

    The words after the label are cut where a date begins (a number, a month or weekday name, a day word
    such as "Today"), one word after the name: that word is the language's "on". No label, no author.
    """
    if ":" not in header:
        return None
    rest = header.split(":", 1)[1].strip()
    words = rest.split()
    for k in range(1, len(words) - 1):
        if _starts_date(words[k + 1]):
            return " ".join(words[:k]) or None
    return rest or None


def _starts_date(word: str) -> bool:
    word = word.strip(",.")
    if not word:
        return False
    if word[0].isdigit():
        return True
    months, weekdays, _days, _ago = _tables()
    folded = _fold(word)
    return folded in months or folded in weekdays or bool(_day_words().fullmatch(word.lower()))


def _topic(doc) -> tuple[str | None, int | None]:
    """(topic id, start) from the page URL, else the quick-moderation form's action."""
    for url in (doc.url, *X_QUICKMOD(doc.root)):
        topic, start = _topic_of(url)
        if topic:
            return topic, int(start) if start and start.isdigit() else None
    return None, None


def _thread_url(doc, topic_id: str) -> str | None:
    """The topic's first page, in the form the page's own URL uses (``?topic=T.0`` or ``/topic,T.0.html``)."""
    url = doc.url or ""
    if re.search(r"/index\.php/topic,", url):
        return re.sub(r"/topic,\d+(?:\.\w+)?[^#?]*", f"/topic,{topic_id}.0.html", url.split("#")[0], count=1)
    if url and "index.php" in url:
        return url.split("index.php")[0] + f"index.php?topic={topic_id}.0"
    for action in X_QUICKMOD(doc.root):
        return doc.absolute(action.split("?")[0] + f"?topic={topic_id}.0")
    return None


def _pager(doc) -> tuple[int | None, int | None]:
    """(zero-based page, pages) from "Pages: [1] 2 3" (1.1/2.0) or span.current_page (2.1)."""
    pager = first(doc.root, X_PAGER.path)
    if pager is None:
        pager = first(doc.root, X_PAGER_CORE.path)
    if pager is None:
        return None, None
    current = None
    for el in X_PAGER_CURRENT(pager):
        value = text(el)
        if value and value.strip("[]").isdigit():
            current = int(value.strip("[]"))
            break
    numbers = [int(t) for t in (text(a) or "" for a in X_PAGER_LINKS(pager)) if t.isdigit()]
    total = max(numbers + ([current] if current else []), default=None)
    return (current - 1 if current else None), total


def _topic_flags(doc) -> dict:
    """Sticky and locked, from the topic icon's file name (1.1, 2.0) or the title's icons (2.1)."""
    m = _TOPIC_ICON.search(doc.text) or _TITLE_ICONS.search(doc.text)
    icons = m.group(1) if m else ""
    return {"sticky": "sticky" in icons, "locked": "lock" in icons}


def _views(doc) -> int | None:
    """"Topic: TITLE (Read 418 times)" in 1.1 and 2.0."""
    el = first(doc.root, X_VIEWS.path)
    m = _VIEWS.search(text(el) or "")
    return toolkit.count(m.group(1)) if m else None


def _crawl_links(doc, topic_id: str | None) -> dict[str, list[str]]:
    """Other pages of this topic (the pager); on listings, topics (first pages) and board pages."""
    pages: list[str] = []
    if topic_id is not None:
        pager = first(doc.root, X_PAGER.path)
        if pager is None:
            pager = first(doc.root, X_PAGER_CORE.path)
        if pager is not None:
            pages = toolkit.unique_links(doc, X_PAGER_LINKS(pager), keep=lambda u: _topic_of(u)[0] == topic_id)
        return {"pages": pages, "threads": [], "listings": []}
    anchors = X_ALL_LINKS(doc.root)
    threads = toolkit.unique_links(doc, anchors, keep=_is_topic_first_page)
    listings = toolkit.unique_links(doc, anchors, keep=_is_board_page)
    return {"pages": [], "threads": threads, "listings": listings}


def _topic_of(url: str | None) -> tuple[str | None, str | None]:
    """(topic id, start as written: "0", "15", "msg304", "new") of an SMF topic URL in either form."""
    m = _TOPIC.search(url or "")
    return (m.group(1) or m.group(3), m.group(2) or m.group(4)) if m else (None, None)


def _is_topic_first_page(url: str) -> bool:
    topic, start = _topic_of(url)
    return topic is not None and start in (None, "0") and "action=" not in url and "prev_next" not in url


def _is_board_page(url: str) -> bool:
    m = _BOARD.search(url)
    return bool(m) and "action=" not in url and "topic" not in url and "sort" not in url
