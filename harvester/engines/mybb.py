"""MyBB 1.8 and 1.6 thread pages (showthread.php, linear mode), forum listings for crawling.

Written from MyBB 1.8's default theme (install/resources/mybb_theme.xml: postbit, postbit_classic,
postbit_posturl, postbit_editedby, postbit_signature, postbit_deleted_member, mycode_quote_post, multipage,
nav), inc/class_parser.php (quotes with ``pid``/``dateline``) and the English language pack. Posts are
``div.post#post_PID`` after an ``a#pidPID`` anchor, the author in ``div.author_information span.largetext``
(linked to ``member.php?action=profile&uid=N`` for members), the date in ``span.post_date`` with the edit note
``span.post_edit`` inside it (relative dates carry the real one in a ``span[title]``), the body
``div.post_body#pid_PID``. Boards are flat in linear mode: quotes name the quoted post (``a.quick_jump`` to
``pid=N``). MyBB 1.6's postbit (its theme of the same name) is a ``table.tborder#post_PID``: the date in
``td.tcat div.smalltext`` with ``span#edited_by_PID``, the author in ``td.post_author``, the details in
``td.post_author_info``, the body ``div.post_body#pid_PID`` with the signature after it, quotes as plain
``blockquote > cite``. In threaded mode (``mode=threaded``) the page shows one post and, under "Messages In This
Thread", the whole reply tree as links indented 13 px a level (showthread.php's buildtree): that tree gives
``parent_id`` and ``depth``. Ids: a thread is ``tid/T``, a post its pid.
"""

from __future__ import annotations

import re

from harvester.engines import toolkit
from harvester.engines.toolkit import Detection, Layout, Sign, first, has_class, text, x
from harvester.model import ParsedPage
from harvester.text import element_text

NAME = "mybb"
VERSION = "1.0.0"

POST = (f"/descendant::div[{has_class('post')}][starts-with(@id,'post_')]"
        f"[descendant::div[{has_class('post_body')}] or {has_class('deleted_post_hidden')}]")
SIGNS = (
    Sign("'Powered By MyBB' credit", 10, needle="MyBB",
         xpath="/descendant::a[contains(@href,'mybb.com')][contains(., 'MyBB')]"),
    Sign("MyBB scripts (jscripts/general.js, thread.js)", 6, needle="jscripts/",
         xpath="/html/head/script[contains(@src,'jscripts/general.js') or contains(@src,'jscripts/thread.js')]"),
    Sign("div.post#post_N with div.post_body#pid_N", 6, needle="post_body",
         xpath=f"({POST})[1][descendant::div[{has_class('post_body')}][starts-with(@id,'pid_')]]"),
    Sign("MyBB 1.6 postbit (table.tborder#post_N with div.post_body)", 6, needle="post_body", version="1.6",
         xpath=f"(/descendant::table[starts-with(@id,'post_')]/descendant::div[{has_class('post_body')}]"
               "[starts-with(@id,'pid_')])[1]"),
    Sign("a#pidN anchors", 2, needle='id="pid', xpath="(/descendant::a[starts-with(@id,'pid')][@name])[1]"),
)

_AUTHOR = (f"descendant::div[{has_class('author_information')} or {has_class('deleted_post_author')}]"
           f"/strong/span[{has_class('largetext')}]")
LAYOUT = Layout(
    post=POST,
    post_id="@id", post_id_re=r"^post_(\d+)$",
    permalink=f"descendant::div[{has_class('post_head')}]/div[{has_class('float_right')}]/strong/a",
    author=f"{_AUTHOR}/descendant::a[1] | {_AUTHOR}[not(descendant::a)]",
    profile_id_re=r"[?&]uid=(\d+)",
    date=f"descendant::span[{has_class('post_date')}]",
    date_attrs=(),
    body=f"descendant::div[{has_class('post_body')}]",
    junk=f"descendant::div[{has_class('signature')}]",
    quote=f"descendant::blockquote[{has_class('mycode_quote')}]",
    quote_author="cite",
    quote_author_re=r"^(?:\([^)]*\)\s*)?(.+?)\s+\S+:\s*(?:\[\s*->\s*\])?$",  # "(DATE) NAME Wrote:"
    quote_post_id=f"cite/a[{has_class('quick_jump')}]/@href | cite/a[contains(@href,'pid')]/@href",
    quote_post_id_re=r"pid=?(\d+)",
    deleted=f"self::*[{has_class('deleted_post_hidden')} or {has_class('deleted_post')}]",
    guest=f"{_AUTHOR}[not(descendant::a)]",
    facts=(("user_title", f"descendant::div[{has_class('author_information')}]/span[{has_class('smalltext')}]"),
           ("avatar_url", f"descendant::div[{has_class('author_avatar')}]//img")),
)
POST_16 = (f"/descendant::table[{has_class('tborder')}][starts-with(@id,'post_')]"
           f"[descendant::div[{has_class('post_body')}]]")
_AUTHOR_16 = f"descendant::td[{has_class('post_author')}]/strong/span[{has_class('largetext')}]"
LAYOUT_16 = Layout(
    post=POST_16,
    post_id="@id", post_id_re=r"^post_(\d+)$",
    permalink=f"descendant::td[{has_class('tcat')}]//a[contains(@href,'#pid')][1]",
    author=f"{_AUTHOR_16}/descendant::a[1] | {_AUTHOR_16}[not(descendant::a)]",
    profile_id_re=r"[?&]uid=(\d+)",
    date=f"descendant::td[{has_class('tcat')}]/div[{has_class('smalltext')}][1]",
    date_attrs=(),
    body=f"descendant::div[{has_class('post_body')}]",
    quote="descendant::blockquote[cite]",
    quote_author="cite",
    quote_author_re=LAYOUT.quote_author_re,
    quote_post_id=LAYOUT.quote_post_id,
    quote_post_id_re=r"pid=?(\d+)",
    guest=f"{_AUTHOR_16}[not(descendant::a)]",
    facts=(("user_title", f"descendant::td[{has_class('post_author')}]/span[{has_class('smalltext')}]"),
           ("avatar_url", f"descendant::td[{has_class('post_avatar')}]//img")),
)
FURNITURE = toolkit.furniture(frozenset(("signature", "post_meta", "post_controls", "post_head", "attachments")))

X_EDIT = x(f"descendant::span[{has_class('post_edit')}] | descendant::span[starts-with(@id,'edited_by_')]")
X_DATE_TITLE = x("span[@title]/@title")
X_STATS = x(f"descendant::div[{has_class('author_statistics')}]"
            f" | descendant::td[{has_class('post_author_info')}]")
X_REPUTATION = x("descendant::a[contains(@href,'reputation.php')]"
                 " | descendant::strong[starts-with(@class,'reputation_')]")
X_CRUMBS = x(f"(/descendant::div[{has_class('navigation')}])[1]/a")
X_CRUMB_ACTIVE = x(f"(/descendant::div[{has_class('navigation')}])[1]/span[{has_class('active')}]")
# Themes that list the crumbs (div.breadcrumb > ul > li > a, the thread's own as a.active to "#"); the home icon
# (li.first_crumb) is no board
X_CRUMBS_LIST = x(f"(/descendant::div[{has_class('breadcrumb')}])[1]/ul/li[not({has_class('first_crumb')})]"
                  f"/a[not({has_class('active')})]")
X_CRUMB_LIST_ACTIVE = x(f"(/descendant::div[{has_class('breadcrumb')}])[1]/ul/li/a[{has_class('active')}]")
# The thread's title heads the table the posts follow: the nearest td.thead before the first post (the quick reply
# box after the posts and an alerts popup before them have theirs too); themes put its strong in a div or not
X_TITLE = x(f"preceding::td[{has_class('thead')}][1]/div/strong | preceding::td[{has_class('thead')}][1]/strong")
X_REPUTATION_UID = x("descendant::a[contains(@href,'reputation.php?uid=')]/@href")
X_PAGER = x(f"(/descendant::div[{has_class('pagination')}])[1]")
X_ALL_LINKS = x("/descendant::a[@href]")
X_TID = x("/descendant::input[@name='tid']/@value | /descendant::a[contains(@href,'tid=')]/@href")
X_NESTED = x(f"descendant::div[{has_class('post')}][starts-with(@id,'post_')]"
             f" | descendant::table[{has_class('tborder')}][starts-with(@id,'post_')]")
# the Thank You/Like System plugin (thankyoulike templates): span#tyl_data_PID holds one profile link per thanker;
# its title span says "Thank You" or "Like" (a board chooses one)
X_TYL_TITLES = x("/descendant::span[starts-with(@id,'tyl_title_')][not(starts-with(@id,'tyl_title_collapsed_'))]")
X_CLOSED = x("/descendant::a[contains(@href,'newreply.php')][descendant::span[contains(@class,'closed')]]"
             " | /descendant::span[contains(@class,'thread_closed')]")

_TID = re.compile(r"[?&](?:amp;)?tid=(\d+)|/Thread-[^/?#]*?-?(\d+)?(?:\.html)?(?:[?#]|$)")
_PAGE = re.compile(r"[?&](?:amp;)?page=(\d+)")
_FORUM = re.compile(r"forumdisplay\.php\?(?:[^#]*&(?:amp;)?)?fid=(\d+)|/Forum-[^/?#]+")
_NUMBER = re.compile(r"-?\d[\d,.]*")


def score(doc) -> Detection:
    return toolkit.score(doc, NAME, SIGNS)


def parse(doc, zone=None, links: bool = True, records: bool = True) -> ParsedPage:
    """Records of one thread page (``records=False``: only its id, url and crawl hints)."""
    layout = LAYOUT if "post_body" in doc.text and x(LAYOUT.post)(doc.root) else LAYOUT_16
    elements = x(layout.post)(doc.root)
    tid = _tid(doc)
    hints = _crawl_links(doc, tid if elements else None) if links or not elements else {}
    if not elements or tid is None:
        reason = "MyBB listing page, no posts" if hints.get("threads") else "MyBB page without posts"
        return ParsedPage(thread=None, posts=[], links=hints, skip_reason=reason)
    current, pages_total = _pager(doc)
    page_no = (current or 1) - 1
    thread_url = doc.absolute(f"showthread.php?tid={tid}")
    if not records:
        return ParsedPage(thread={"id": f"tid/{tid}", "url": thread_url}, posts=[], links=hints, page_number=page_no)
    posts = []
    for el in elements:
        # An unclosed tag in a message puts the posts after it inside this one: detach them first.
        for inner in X_NESTED(el) if len(elements) > 1 else ():
            toolkit.drop(inner)
        edit = first(el, X_EDIT.path)
        edited = text(edit)
        if edit is not None:
            toolkit.drop(edit)  # it sits inside span.post_date: the date must not carry it
        post = toolkit.read_post(doc, el, layout)
        if not post["body_text"] and not post["deleted"]:
            toolkit.recover_body(doc, el, post, layout, FURNITURE)
        _finish(doc, el, post, edited, layout)
        posts.append(post)
    crumbs = toolkit.breadcrumb(doc, X_CRUMBS.path) or toolkit.breadcrumb(doc, X_CRUMBS_LIST.path)
    board_path = [name for name, _url in crumbs[1:]]
    title = (text(first(elements[0], X_TITLE.path)) or text(first(doc.root, X_CRUMB_ACTIVE.path))
             or text(first(doc.root, X_CRUMB_LIST_ACTIVE.path)))
    extra: dict = {"board_path": board_path}
    if crumbs:
        extra["board_url"] = crumbs[-1][1]
    if X_CLOSED(doc.root):
        extra["locked"] = True
    _thanks(doc, elements, posts)
    tree = _threaded_tree(doc, posts)
    if tree:
        extra["display_mode"] = "threaded"
        for post in posts:
            post["parent_id"], post["depth"] = tree.get(post["id"], (None, 0))
    thread = {"id": f"tid/{tid}", "url": thread_url, "title": title,
              "board": board_path[-1] if board_path else None, "reply_count": None, "extra": extra,
              "op_on_page": page_no == 0 and not (tree and posts and posts[0]["parent_id"])}
    return toolkit.page(doc, zone, thread, posts, page_number=page_no, pages_total=pages_total, links=hints)


def _finish(doc, el, post: dict, edited: str | None, layout: Layout = LAYOUT) -> None:
    """The real date behind "Today"/"Yesterday", the edit note, the postbit's statistics, reputation."""
    if not post["url"] and post["id"]:  # a deleted post shows no permalink; its pid still addresses it
        post["url"] = doc.absolute(f"showthread.php?pid={post['id']}#pid{post['id']}")
    date_el = first(el, layout.date)
    real = X_DATE_TITLE(date_el) if date_el is not None else []
    if real and post["published_raw"]:
        # "<span title="03-14-2023">Yesterday</span>, 09:15 PM": the title holds the date the word stands for
        shown = text(first(date_el, "span[@title]")) or ""
        post["published_raw"] = post["published_raw"].replace(shown, real[0], 1) if shown else real[0]
    if edited:
        post["extra"]["edited"] = edited.strip("() ")
    if post["extra"].get("anonymous"):
        post.pop("author_facts", None)  # a guest's "user title" is the word Guest
    stats = first(el, X_STATS.path)
    if stats is None or post["extra"].get("anonymous"):
        return
    if post["author_id"] is None and post["author_url"]:
        # search-engine-friendly profile links (User-NAME) carry no uid; the reputation link beside them does
        m = re.search(r"uid=(\d+)", next(iter(X_REPUTATION_UID(stats)), ""))
        if m:
            post["author_id"] = m.group(1)
    facts = post.setdefault("author_facts", {})
    lines = [ln.strip() for ln in element_text(stats).splitlines() if ln.strip()]
    if lines:  # postbit_author_user: Posts, Threads, Joined, then Reputation, in the board's language
        m = _NUMBER.search(lines[0].split(":", 1)[-1])
        if m:
            facts["post_count_shown"] = toolkit.count(m.group())
    rep = first(stats, X_REPUTATION.path)
    if rep is not None:
        m = _NUMBER.search(text(rep) or "")
        if m:
            facts["reputation"] = int(m.group().replace(",", "").replace(".", ""))
    if not facts:
        post.pop("author_facts")


def _thanks(doc, elements, posts: list[dict]) -> None:
    """Votes from the Thank You/Like System plugin where the board runs it: the thankers listed under a post."""
    if "tyl_data_" not in doc.text:
        return
    titles = [t for t in (text(el) for el in X_TYL_TITLES(doc.root)) if t]
    kind = "likes" if any(re.search(r"\blikes?\b", t, re.I) for t in titles) else "thanks"
    for el, post in zip(elements, posts, strict=True):
        pid = post["id"] or ""
        data = first(el, f"descendant::span[@id='tyl_data_{pid}']") if pid.isdigit() else None
        if data is not None:
            count = sum(1 for a in data.iter("a") if a.get("href"))
            post.update(votes=count, votes_kind=kind, votes_raw=str(count))


def _tid(doc) -> str | None:
    """The thread id: the page URL, else the quick reply form's tid or a link carrying ``tid=``."""
    for url in (doc.url, *X_TID(doc.root)):
        m = _TID.search(url or "")
        if m and (m.group(1) or m.group(2)):
            return m.group(1) or m.group(2)
        if url and url.isdigit():
            return url
    return None


def _pager(doc) -> tuple[int | None, int | None]:
    """(current page, pages) from div.pagination: "Pages (3): 1 2 3 Next »" with span.pagination_current."""
    pager = first(doc.root, X_PAGER.path)
    if pager is None:
        return None, None
    current = text(first(pager, f"span[{has_class('pagination_current')}]"))
    label = text(first(pager, f"span[{has_class('pages')}]")) or ""
    m = re.search(r"\((\d{1,6})\)", label)
    numbers = [int(t) for t in (text(a) or "" for a in pager.iter("a")) if t.isdigit() and len(t) < 7]
    total = int(m.group(1)) if m else max(numbers, default=None)
    return (int(current) if current and current.isdigit() and len(current) < 7 else None), total


def _crawl_links(doc, tid: str | None) -> dict[str, list[str]]:
    """The thread's other pages, or on listings the threads (first pages) and the forums' pages."""
    if tid is not None:
        pager = first(doc.root, X_PAGER.path)
        pages = toolkit.unique_links(doc, pager.iter("a"), keep=lambda u: _tid_of(u) == tid) \
            if pager is not None else []
        return {"pages": pages, "threads": [], "listings": []}
    anchors = X_ALL_LINKS(doc.root)
    threads = toolkit.unique_links(doc, anchors, keep=lambda u: "showthread.php" in u and _tid_of(u) is not None
                                   and not _PAGE.search(u) and "pid=" not in u and "action=" not in u)
    listings = toolkit.unique_links(doc, anchors, keep=lambda u: bool(_FORUM.search(u)) and "sortby" not in u)
    return {"pages": [], "threads": threads, "listings": listings}


def _tid_of(url: str) -> str | None:
    m = _TID.search(url or "")
    return (m.group(1) or m.group(2)) if m else None


X_TREE_BITS = x("/descendant::div[starts-with(normalize-space(@style),'margin-left:')]"
                "[a[contains(@href,'mode=threaded')] or strong]")
_MARGIN = re.compile(r"margin-left:\s*(\d{1,5})px")
_PID = re.compile(r"[?&](?:amp;)?pid=(\d+)")


def _threaded_tree(doc, posts: list[dict]) -> dict[str, tuple[str | None, int]]:
    """pid -> (parent pid, depth) from threaded mode's tree of links; the shown post is the one in bold."""
    if "mode=threaded" not in doc.text:
        return {}
    shown = posts[0]["id"] if len(posts) == 1 else None
    tree: dict[str, tuple[str | None, int]] = {}
    stack: list[str] = []
    for bit in X_TREE_BITS(doc.root):
        m = _MARGIN.search(bit.get("style") or "")
        link = first(bit, "a[contains(@href,'mode=threaded')]")
        pid_m = _PID.search(link.get("href") or "") if link is not None else None
        pid = pid_m.group(1) if pid_m else shown
        if not m or pid is None:
            continue
        level = min(int(m.group(1)) // 13, 500)
        del stack[level:]
        tree[pid] = (stack[-1] if stack else None, len(stack))
        stack.append(pid)
    return tree
