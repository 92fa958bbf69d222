"""Drupal 6 to 11 discussion pages: the node is the opening post, comments are the replies.

Covers core templates and the common themes (Garland, Bartik, Zen-style in 6/7; Bartik, Classy, Olivero and
Bootstrap-style in 8-11), with or without the RDF module. The reply tree comes from ``sioc:reply_of`` when RDF
is on, otherwise from ``div.indented`` wrappers, which Drupal emits (CommentViewBuilder in 8+) as siblings
*after* the parent comment. Drupal 8+ facts (core comment.html.twig, Olivero's comment/node templates):
``article.comment.js-comment`` with ``data-comment-user-id`` (0: anonymous), ``footer.comment__meta``
holding ``p.comment__author`` and ``p.comment__time``, ``field--name-comment-body`` bodies, the RDF
module's ``schema:dateCreated`` (8/9 only), nodes as ``article.node[data-history-node-id]`` and pagers as
``nav.pager > ul.pager__items`` with ``li.is-active``. Custom news themes that drop the node's classes keep
its comment markup: the node is then the schema.org Article (RDFa or microdata) the comments belong to.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

from lxml import etree

from harvester.dates import finish_dates, parse_display_date, trim_after_date
from harvester.document import page_number
from harvester.engines.toolkit import CLAIM, Detection, document_position, drop
from harvester.model import ParsedPage
from harvester.replytree import OpenBranch
from harvester.text import element_text, has_class, inner_html, linked, squash, text_content

NAME = "drupal"
VERSION = "1.0.0"

# --- Selectors -------------------------------------------------------------------------------------
# Compiled once here: lxml would otherwise compile the expression again on every call, which cost as
# much as evaluating it on a comment. Plain strings (no smart strings) keep no reference to the tree.
# "descendant::x" rather than ".//x" (and "/descendant::x" rather than "//x"): the same nodes, but
# libxml2 walks the abbreviated form as descendant-or-self::node()/child::x, 10-40% slower.


def _x(expr: str) -> etree.XPath:
    return etree.XPath(expr, smart_strings=False)


def _xs(*exprs: str) -> tuple[etree.XPath, ...]:
    return tuple(_x(e) for e in exprs)


# A scan of the whole page costs up to half an lxml parse: the lookups that can are answered from the head,
# from libxml2's id index (id()), or skipped when the page's text never mentions the class.
X_BY_ID = _x("id($id)")
X_BODY_CLASS = _x("/html/body/@class")
X_HEAD_SIGNS = _x(
    "/html/head/script[contains(@src,'/misc/drupal.js')]"
    " | /html/head/script[contains(text(),'Drupal.settings') or contains(text(),'drupalSettings')]"
    " | /html/head/meta[translate(@name,'GENERATOR','generator')='generator']"
    "[contains(translate(@content,'DRUPAL','drupal'),'drupal')]"
)
X_GENERATOR = _x("/descendant::meta[translate(@name,'GENERATOR','generator')='generator']/@content")
X_STRONG_SIGNS = _xs(
    "/descendant::script[contains(@src,'/misc/drupal.js')]",
    "/descendant::script[contains(text(),'Drupal.settings') or contains(text(),'drupalSettings')]",
)
X_WEAK_SIGNS = _xs(
    "/descendant::link[contains(@href,'/sites/all/') or contains(@href,'/sites/default/files')]"
    " | /descendant::script[contains(@src,'/sites/all/')] | /descendant::style[contains(text(),'/sites/all/')]",
    f"/descendant::*[starts-with(@id,'node-') and {has_class('node')}]",
    "/descendant::body[contains(@class,'page-node') or contains(@class,'node-type-')]",
    f"/descendant::a[starts-with(@id,'comment-')] | /descendant::*[{has_class('indented')}]",
    "/descendant::article[@data-comment-user-id] | /descendant::article[@data-history-node-id]"
    " | /descendant::*[@data-drupal-selector or @data-drupal-messages-fallback]",
)
WEAK_LABELS = ("files under sites/", "node-N element", "page-node body class", "comment anchors or div.indented",
               "Drupal 8+ data attributes (data-comment-user-id, data-history-node-id, data-drupal-*)")
X_NODES = _x(f"/descendant::*[starts-with(@id,'node-') and {has_class('node')}]"
             " | /descendant::*[@typeof][starts-with(@about,'/node/')]"
             f" | /descendant::article[@data-history-node-id or ({has_class('node')} and @role='article')]")
# Drupal 8+ comments (core comment.html.twig) and, for themes that unclass the node, the article they belong to
X_D8_COMMENTS = _x("/descendant::article[@data-comment-user-id or contains(@class, 'js-comment')]")
X_ARTICLE_SCOPE = _x("/descendant::*[@typeof='schema:Article' or @typeof='schema:NewsArticle'"
                     " or contains(@itemtype, 'schema.org/Article') or contains(@itemtype, 'schema.org/NewsArticle')"
                     " or contains(@itemtype, 'schema.org/BlogPosting')]")
X_COMMENTS_WRAPPER = _x("/descendant::*[@id='comments']")
X_COMMENTS_WRAPPER_NEAR = _x("..//*[@id='comments']")
X_COMMENT = _x(f"descendant::*[{has_class('comment')} and (self::div or self::article or self::li)]"
               f"[not(ancestor::form)]")
X_TITLE = _xs(
    "/descendant::h1[@id='page-title']",
    f"/descendant::h1[{has_class('page-title')} or {has_class('title')} or {has_class('node-title')}]",
    f"/descendant::h2[{has_class('with-tabs')}]",
    "/descendant::*[@id='squeeze']//h2",
    "/descendant::*[@id='content']//h1 | /descendant::*[@id='main']//h1",
)
X_RDF_TITLE = _x("descendant::*[@property='dc:title'][@content]/@content")
X_PICTURE = _x(f"descendant::*[{has_class('user-picture')} or {has_class('picture')}]")
X_BODY_JUNK = _x(
    f"descendant::*[{has_class('rate-widget')} or {has_class('fivestar-widget')} or {has_class('vud-widget')}"
    f" or {has_class('field-name-group-audience')} or {has_class('field-name-og-group-ref')}"
    f" or {has_class('field-name-taxonomy-forums')} or {has_class('user-signature')}"
    f" or {has_class('links')} or {has_class('rdf-meta')} or {has_class('comment-arrow')}"
    f" or {has_class('field-type-taxonomy-term-reference')} or {has_class('fivestar-static-form-item')}"
    f" or {has_class('forum-topic-navigation')} or {has_class('book-navigation')}]"
)
X_RATE_WIDGETS = _x(f"/descendant::*[{has_class('rate-widget')}]")
X_BOARD = _xs(
    f"descendant::*[{has_class('field-name-group-audience')} or {has_class('field-name-og-group-ref')}]"
    f"/descendant::*[{has_class('field-item')}]//a",
    f"descendant::*[{has_class('field-name-taxonomy-forums')}]//*[{has_class('field-item')}]//a",
)
X_BREADCRUMB = _x(f"/descendant::*[{has_class('breadcrumb')}]//a")
X_NUM_REPLIES = _x("/descendant::*[@property='sioc:num_replies'][@content]/@content"
                   " | /descendant::*[@property='schema:interactionCount']"
                   "[starts-with(@content,'UserComments:')]/@content")
X_COMMENTS_COUNT = _x(f"/descendant::h2[{has_class('comments__title')}]/span[{has_class('comments__count')}]/text()")
X_COUNT_LINKS = _x("descendant::a[contains(@href, '#comments')]")  # the node's "3 comments" link
X_PAGER = _x(f"/descendant::ul[{has_class('pager')} or {has_class('pager__items')}]")
X_PAGER_IN = _x(f"descendant::ul[{has_class('pager')} or {has_class('pager__items')}]")
X_PAGER_CURRENT = _x(f"descendant::li[{has_class('pager-current')} or ({has_class('pager__item')}"
                     f" and {has_class('is-active')})]")
X_BLOCKS = _x(f"/descendant::*[{has_class('block')}]")
X_BLOCK_TITLE = _x("./h2 | ./*/h2 | ./h3")
# Thread links on listing pages, three kinds, each with the class name it needs: the page's text is screened
# for the name before the whole page is scanned; two kinds on one page take the union, in document order.
X_TEASER_KINDS = (
    ("teaser", _x(f"/descendant::*[{has_class('node-teaser')} or {has_class('teaser')}"
                  f" or {has_class('node--view-mode-teaser')}]//h2//a[@href]")),
    ("views-field-title", _x(f"/descendant::*[{has_class('views-field-title')}]//a[@href]")),
    ("forum-topic-list", _x(f"/descendant::table[{has_class('forum-topic-list')}]"
                            f"//td[{has_class('title')} or {has_class('topic')}]//a[@href]")),
    # forum-topic-list.html.twig (8-11): table#forum-topic-ID without a class; the cell's second div is the
    # "By NAME" line, whose author link is no thread
    ("forum-topic-", _x(f"/descendant::table[starts-with(@id,'forum-topic-')]//td[{has_class('topic')}]"
                        f"/div[{has_class('title')}]/div[1]//a[@href]")),
)
X_TEASER_LINKS = _x(" | ".join(x.path for _, x in X_TEASER_KINDS))
# Forum index and container pages (forum-list.tpl.php): links down to sub-forums, which are listings too.
# 8-11 wrap the table#forum-ID in forums.html.twig's div#forum; Olivero names the cell forum-list__forum and
# the name forum__name.
X_FORUM_LIST_LINKS = _x(
    f"id('forum')/descendant-or-self::table//td[{has_class('forum')} or {has_class('container')}"
    f" or {has_class('forum-list__forum')}]"
    f"/descendant::*[{has_class('forum-name')} or {has_class('name')} or {has_class('forum__name')}]//a[@href]"
)
X_SHORTLINK = _x("/html/head/link[@rel='shortlink']/@href")
X_HEAD_TITLE = _x("/html/head/title/text()")
X_VUD_SHOWN = _x(f"ancestor::*[{has_class('updown-score')} or {has_class('vud-score')}][1]")
X_LINK = _x("descendant::a[@href]")
X_LINK_HREFS = _x("descendant::a/@href")
X_QUOTE_AUTHOR = _x(f"descendant::*[{has_class('quote-author')}]")

# Per-post lookups index a post's classed descendants once (_Walk) and look these class tokens up.
# also "meta" that is not "links", then a D8+ comment's footer; Bartik's attribution comes first
C_BYLINE = ("attribution", "submitted", "node__submitted", "node__meta", "comment__meta", "comment__submitted",
            "byline", "byline__author")
C_USERNAME = "username"
PROFILE_PATHS = ("/user/", "/users/", "/member/")
C_PICTURE = ("user-picture", "picture")
C_COMMENT_TIME = ("comment-time", "comment__time")
C_BODY_FIELDS = ("field-name-body", "field-name-comment-body", "field--name-body", "field--name-comment-body")
C_FIELD_ITEM = ("field-item", "field__item", "field--item")  # 7, 8+ core, Bootstrap-based 8+
C_CONTENT = ("content", "comment-text")  # the second for Bartik comments without a content div
C_RATE_WIDGET, C_RATE_INFO = "rate-widget", "rate-info"
C_FIVESTAR = ("fivestar-summary", "total-votes", "fivestar-summary-combo")
C_VUD = ("up-current-score", "updown-current-score", "vud-current-score")
C_PERMALINK, C_PERMALINK_BOX = "permalink", "comment-permalink"
C_RDF_META = "rdf-meta"
X_CLASSED = _x("descendant::*[@class]")
X_PERSON_NAMES = _x("descendant-or-self::*[@typeof='schema:Person'][@property='schema:name'][@about]")
X_REPLY_OF = _x("descendant::*[@rel='sioc:reply_of']/@resource")
X_RDF_DATE = _x("descendant::*[@content][contains(@property,'dc:date') or contains(@property,'dc:created')"
                " or contains(@property,'schema:dateCreated')]")
X_RDF_TEXT = _x("descendant::*[@property='schema:text']")
X_RATE_INFO = _x(f"descendant::*[{has_class('rate-info')}]")

# Pages that lost their classes (archive.today snapshots, sanitised copies): Drupal's own words and ids.
X_BYLINES = _x("descendant::*[text()[starts-with(normalize-space(.), 'Submitted by')]]")
X_COMMENT_ANCHORS = _x("/descendant::a[starts-with(@id,'comment-') or starts-with(@name,'comment-')]")
X_NODE_IDS = _x("/descendant::*[starts-with(@id,'node-')]")
X_ALT_PICTURES = _x("descendant::img[contains(@alt, \"'s picture\")]")
X_VOTE_TEXT = _x("descendant::*[text()[contains(., ' voted') or contains(., 'Voting is closed')]]")
X_NOT_VERIFIED_TEXT = _x("descendant::*[text()[contains(., '(not verified)')]]")
X_FIELD_LABELS = _x("descendant::*[text()[contains(., 'audience:')]]")
X_HEADINGS_ALL = _x("/descendant::h2 | /descendant::h3")
MEMBER_BLOCK_TITLES = {"people", "members", "group members", "members of this group", "recent members"}

_D8_WORDS = ("drupalSettings", "drupal-settings-json", "data-comment-user-id", "data-history-node-id")
_PAGE_NODE = re.compile(r"\bpage-node-(\d+)\b")
_NODE_ID = re.compile(r"(?:^node-|/node/)(\d+)")
_COMMENT_ID = re.compile(r"(?:^comment-|/comment/(?:reply/\d+/)?|#comment-)(\d+)")
_USER_ID = re.compile(r"/user/(\d+)(?:[/?#]|$)")
_NOT_VERIFIED = re.compile(r"\s*\((?:not verified|nicht überprüft|non vérifié|no verificado)\)\s*$", re.I)
_PICTURE_ALT = re.compile(r"^(.*)'s picture$|^Picture of (.*)$|^(.*)'s avatar$", re.S)
_BYLINE = re.compile(r"^\s*(?:submitted|posted|written)\s+by\s*", re.I)
_DATE_TAIL = re.compile(r"\s*(?:[—–|,-]|\bby)\s*$", re.I)
# "NAME (not verified) on DATE": the marker follows the name when a theme prints both in one line
_DATE_LEAD = re.compile(r"^\s*(?:\((?:not verified|nicht überprüft|non vérifié|no verificado)\)\s*)?"
                        r"(?:[,|—–-]\s*)?(?:on|am|le|el|il|op|den|at)?\s*", re.I)
_COUNT_LINK = re.compile(r"^(\d[\d,.]*)\s+(?:comments?|replies|reply|Kommentare?|commentaires?|comentarios?|commenti|"
                         r"reacties|reactie)$", re.I)
_RATE_COUNT = re.compile(r"(\d[\d,.]*)\s+users?\s+(?:has|have)\s+voted", re.I)
_ONLY_YOU = re.compile(r"\bonly you voted\b", re.I)
_BLOCK_TAGS = frozenset("div p ul ol table h1 h2 h3 h4 blockquote section article header footer".split())
_VOTE_WORDING = re.compile(r"(?:Voting is closed\.\s*)?(?:\d[\d,.]*\s+users?\s+(?:has|have)\s+voted(?:, including you)?"
                           r"|only you voted|no votes yet)\.?", re.I)
_AVERAGE = re.compile(r"\baverage:?\s*(\d+(?:[.,]\d+)?)", re.I)
# What each widget's number counts: Rate counts voters, Vote Up/Down a score, Fivestar the votes of an average.
VOTE_KINDS = {"rate": "voters", "vote_up_down": "score", "fivestar": "rating_count"}
_NO_VOTES = re.compile(r"\bno votes yet\b|\bbe the first\b", re.I)
_VOTE_TOTAL = re.compile(r"(?:total votes:?\s*(\d[\d,]*))|(?:(\d[\d,]*)\s+votes?\b)", re.I)
_SCORE = re.compile(r"[+-]?\d+")
_REPLY_OF_COMMENT = re.compile(r"/comment/(\d+)|#comment-(\d+)")
_SUBMITTED_BY = re.compile(r"(?:Submitted|Posted)\s+by\s+(.+?)\s+on\s")
_CUSTOM_BODY = re.compile(r"^field-{1,2}name-field-[\w-]*body$")
_NAME_BAR_DATE = re.compile(r"^([^|]{1,80}?)\s+\|\s+(?=\D{0,20}\d)")
_DIGIT = re.compile(r"\d")
_FINAL_PERIOD = re.compile(r"(\d|[ap]m)\.$", re.I)
_RATE_WIDGET_ID = re.compile(r"rate-(node|comment)-(\d+)-")
_THOUSANDS = re.compile(r"[,.]")
_WROTE = re.compile(r"\s*wrote:?\s*$", re.I)
_DELETED = re.compile(r"^\s*(?:\[deleted\]|this comment has been deleted)", re.I)


# --- Detection -------------------------------------------------------------------------------------
def score(doc) -> Detection:
    """Drupal's signs: generator meta, drupal.js or Drupal.settings (strong); files under sites/, node and
    comment markup (weak, two make a claim); on pages without classes its "Submitted by" bylines with comment
    anchors or Rate wording."""
    root = doc.root
    seen: list[tuple[str, int]] = []
    if X_HEAD_SIGNS(root) or any("drupal" in g.lower() for g in X_GENERATOR(root)):
        seen.append(("drupal.js, Drupal.settings or generator in the head", CLAIM))
    elif any(x(root) for x in X_STRONG_SIGNS):
        seen.append(("drupal.js or Drupal.settings", CLAIM))
    for label, x in zip(WEAK_LABELS, X_WEAK_SIGNS, strict=True):
        if x(root):
            seen.append((label, CLAIM // 2))
    if X_BYLINES(root) and (X_COMMENT_ANCHORS(root) or X_VOTE_TEXT(root)):
        seen.append(("'Submitted by' bylines with comment anchors or Rate wording", CLAIM))
    version = "8+" if any(w in doc.text for w in _D8_WORDS) else "6/7"
    return Detection(NAME, sum(w for _, w in seen), version if seen else None, [label for label, _ in seen])


def detect(doc) -> bool:
    """True for pages Drupal rendered (generator meta, drupal.js or two weaker signs)."""
    return score(doc).score >= CLAIM


# --- Parsing ---------------------------------------------------------------------------------------
def parse(doc, zone=None, links: bool = True, records: bool = True) -> ParsedPage:
    """Records of one page; ``links=False`` skips the crawl hints (extraction does not need them).

    ``records=False`` gives what a crawler needs and nothing more: the links, and for a discussion page a
    thread holding only its id and url (no posts, members or other fields). Extracting every post would cost
    a crawl several times what fetching and archiving the page does.
    """
    root = doc.root
    node = _main_node(root)
    links = _crawl_links(doc, root) if links or node is None else {}
    if node is None and X_BYLINES(root):
        bare = _parse_bare(doc, zone)
        if bare is not None:
            bare.links = links
            return bare
    if node is None:
        teasers = len(links.get("threads", []))
        reason = f"Drupal listing page ({teasers} thread links), no discussion" if teasers else \
            "Drupal page without a node or comments"
        return ParsedPage(thread=None, posts=[], links=links, skip_reason=reason)

    nid = _node_id(node, doc)
    thread_url = _thread_url(doc.url) or _thread_url(doc.absolute(node.get("about"))) if doc.site else None
    thread_id = _thread_id(nid, thread_url)
    page_no = page_number(doc.url)
    if not records:
        return ParsedPage(thread={"id": thread_id, "url": thread_url}, posts=[], links=links,
                          page_number=page_no or 0)

    wrapper = _comments_wrapper(root, node)
    elements, pagers = _comment_elements(wrapper) if wrapper is not None else ([], [])
    if max(len(_ANCHORED_COMMENT.findall(doc.text)), doc.text.count("data-comment-user-id=")) > len(elements):
        elements = _misnested_comments(root, node, elements)
    shown_count = _shown_count(root) if "comments__count" in doc.text else None  # before the wrapper goes
    if wrapper is not None and wrapper.getparent() is not None and _is_inside(wrapper, node):
        # D7 prints comments inside the node: detach them so node queries never see comment markup.
        wrapper.getparent().remove(wrapper)
    votes_by_widget = _rate_widgets(root) if "rate-widget" in doc.text else {}

    op = _post(doc, node, kind="node", native_id=nid, zone=zone, votes=votes_by_widget)
    op.update(id=thread_id, thread_id=thread_id, parent_id=None, depth=0, is_op=True, url=thread_url,
              title=_title(root, node))
    posts = [op]
    posts.extend(_comments(doc, elements, thread_id, zone, votes_by_widget))

    finish_dates(posts, zone, doc.page.capture_time, doc.page.notes)
    pager_current, pages_total = _pager(root, wrapper, pagers) if pagers or "pager" in doc.text else (None, None)
    if page_no is None:
        page_no = pager_current if pager_current is not None else 0
    pages_total = max(pages_total or 1, page_no + 1)

    board, board_url = _board(doc, node, root)
    thread = {
        "id": thread_id,
        "url": thread_url,
        "title": op["title"],
        "board": board,
        "author_name": op["author_name"],
        "created_utc": op["published_utc"],
        "created_local": op["published_local"],
        "reply_count": _reply_count(root) if "num_replies" in doc.text or "UserComments:" in doc.text
        else shown_count if shown_count is not None else _count_link(node),
        "extra": {"board_url": board_url} if board_url else {},
    }
    return ParsedPage(thread=thread, posts=posts, members=_members(doc, root, node), page_number=page_no,
                      pages_total=pages_total, links=links)


def _main_node(root):
    """The full-view node: the first node that is not a teaser and not inside a sidebar block.

    D7 names the page's node in the body class (page-node-N): then it is looked up by its id.
    """
    for value in X_BODY_CLASS(root):
        m = _PAGE_NODE.search(value)
        found = X_BY_ID(root, id=f"node-{m.group(1)}") if m else None
        if found and "node" in (found[0].get("class") or "").split() and _is_full_node(found[0]):
            return found[0]
    found = next((el for el in X_NODES(root) if _is_full_node(el)), None)
    return found if found is not None else _article_of_comments(root)


def _article_of_comments(root):
    """A Drupal 8+ theme that drops the node's classes: the schema.org Article around the first comment (or
    before it), when the page has core's comment markup."""
    comments = X_D8_COMMENTS(root)
    if not comments:
        return None
    first_comment = comments[0]
    scopes = X_ARTICLE_SCOPE(root)
    holding = [s for s in scopes if _is_inside(first_comment, s)]
    if holding:
        return holding[-1]
    at = document_position(first_comment)
    before = [s for s in scopes if document_position(s) < at]
    return before[-1] if before else None


def _is_full_node(el) -> bool:
    classes = (el.get("class") or "").split()
    if "node-teaser" in classes or "teaser" in classes or "node--view-mode-teaser" in classes:
        return False
    return not any(_is_side_block(a) for a in el.iterancestors())


def _is_side_block(el) -> bool:
    """A block other than the one Drupal 7 renders the page's main content in."""
    classes = (el.get("class") or "").split()
    return "block" in classes and el.get("id") != "block-system-main" and "block-system-main" not in classes \
        and "block-system-main-block" not in classes  # Drupal 8+


def _comments_wrapper(root, node):
    # D7 prints #comments inside the node, D6 right after it: look there before scanning the whole page.
    parent = node.getparent()
    by_id = X_BY_ID(root, id="comments")
    if by_id and parent is not None and _is_inside(by_id[0], parent):
        return by_id[0]
    found = X_COMMENTS_WRAPPER_NEAR(node) or X_COMMENTS_WRAPPER(root)
    if found:
        return found[0]
    # Themes without #comments: the node's parent holds the comment divs after the node.
    return parent if parent is not None and X_COMMENT(parent) else None


def _is_inside(el, ancestor) -> bool:
    return any(a is ancestor for a in el.iterancestors())


def _node_id(node, doc) -> str | None:
    history = node.get("data-history-node-id")
    if history and history.isdigit():
        return history
    for value in (node.get("id"), node.get("about"), *X_SHORTLINK(doc.root)):
        if value:
            m = _NODE_ID.search(value)
            if m:
                return m.group(1)
    return None


def _thread_id(nid: str | None, thread_url: str | None) -> str:
    """``node/N``; without a node id, the thread's path, so that two such threads never share an id."""
    if nid:
        return f"node/{nid}"
    return f"path:{urlsplit(thread_url).path}" if thread_url else "node/unknown"


@lru_cache(maxsize=256)
def _thread_url(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    query = "&".join(q for q in parts.query.split("&") if q and not q.startswith("page="))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def _title(root, node) -> str | None:
    rdf = X_RDF_TITLE(node)
    if rdf and rdf[0].strip():
        return squash(rdf[0])
    for expr in X_TITLE:
        for el in expr(root):
            text = squash(text_content(el))
            if text:
                return text
    head = X_HEAD_TITLE(root)
    return squash(head[0].split(" | ")[0]) if head else None


def _comments(doc, elements, thread_id, zone, votes_by_widget):
    """Comments in display order with depth from div.indented and parents from RDF or nesting."""
    posts = []
    branch = OpenBranch()
    for el, depth in elements:
        walk = _Walk(el)
        cid = _comment_id(el, walk)
        post = _post(doc, el, kind="comment", native_id=cid, zone=zone, votes=votes_by_widget, walk=walk)
        post_id = f"comment/{cid}" if cid else f"{thread_id}#comment-{len(posts) + 1}"
        parent, parent_known = _rdf_parent(walk)
        if not parent_known:
            parent = branch.parent(depth)
            if depth > 0 and parent is None:
                post["extra"]["parent_on_earlier_page"] = True
        branch.push(depth, post_id)
        url = _comment_url(doc, walk, cid)
        post.update(id=post_id, thread_id=thread_id, parent_id=parent, depth=depth, is_op=False, url=url,
                    title=_comment_title(walk, cid))
        posts.append(post)
    return posts


def _comment_elements(wrapper) -> tuple[list[tuple[object, int]], list]:
    """(comment element, depth) in document order, and the ul.pager lists met on the way.

    Comments are div, article or li with the class "comment", not inside another comment (a quoted
    comment is markup, not a post) nor a form; depth counts the div.indented around them. One walk down
    the wrapper's structure: it never enters a comment, so it visits a few dozen elements where a ``.//``
    query would test every element of every comment.
    """
    found: list[tuple[object, int]] = []
    pagers: list = []
    if not any(a.tag == "form" or "comment" in (a.get("class") or "").split() for a in wrapper.iterancestors()):
        _collect_comments(wrapper, found, pagers)
    return found, pagers


def _collect_comments(wrapper, found: list, pagers: list) -> None:
    # A loop with its own stack: user HTML can nest 2,000 elements deep, past Python's recursion limit.
    stack = [(iter(wrapper), 0)]
    while stack:
        children, depth = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            continue
        tag = child.tag
        if not isinstance(tag, str) or tag == "form":
            continue
        classes = (child.get("class") or "").split()
        if "comment" in classes:
            if tag in ("div", "article", "li"):
                found.append((child, depth))
        elif len(child):
            if tag == "ul" and ("pager" in classes or "pager__items" in classes):
                pagers.append(child)
            stack.append((iter(child), depth + ("indented" in classes)))


_ANCHORED_COMMENT = re.compile(r"""<a\s[^>]*(?:id|name)\s*=\s*["']?comment-\d""", re.I)


def _misnested_comments(root, node, found: list[tuple[object, int]]) -> list[tuple[object, int]]:
    """Every comment the page marks with its own ``comment-N`` anchor, wherever unbalanced user HTML (an
    unclosed ``<div>``, a stray ``</div>`` or ``<table>``) put it: inside an earlier comment, or outside the
    comments wrapper. A browser shows them all. Each is moved out of the comment or node that swallowed it,
    with its anchor, so that no post's body holds another post; depth still counts div.indented around it."""
    known = {id(el) for el, _depth in found}
    # Drupal 8+ comments are their own mark (data-comment-user-id); earlier ones follow an anchor
    marked = [(a, a) for a in X_D8_COMMENTS(root)] + [(a, None) for a in X_COMMENT_ANCHORS(root)]
    for anchor, el in marked:
        el = el if el is not None else anchor.getnext()
        while el is not None and not isinstance(el.tag, str):
            el = el.getnext()
        if el is None or id(el) in known or el.tag not in ("div", "article", "li") \
                or "comment" not in (el.get("class") or "").split():
            continue
        if any(a.tag in ("form", "blockquote") or _is_side_block(a) for a in el.iterancestors()):
            continue
        known.add(id(el))
        depth = sum("indented" in (a.get("class") or "").split() for a in el.iterancestors())
        found.append((el, depth))
    order = {id(e): i for i, e in enumerate(root.iter())}
    found = [(el, depth) for el, depth in found if id(el) in order and order[id(el)] > order[id(node)]]
    found.sort(key=lambda pair: order[id(pair[0])])
    chosen = {id(el) for el, _depth in found}
    for el, _depth in reversed(found):
        if any(id(a) in chosen or a is node for a in el.iterancestors()):
            anchor = el.getprevious()
            box = etree.Element("div")
            if anchor is not None and anchor.tag == "a" and (anchor.get("id") or anchor.get("name") or "").startswith(
                    "comment-"):
                _move(anchor, box)
            _move(el, box)
    return found


def _move(el, new_parent) -> None:
    """Move ``el`` under ``new_parent``, leaving its tail text where it was."""
    tail, el.tail = el.tail, None
    prev, parent = el.getprevious(), el.getparent()
    if tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    new_parent.append(el)


def _comment_id(el, walk) -> str | None:
    for value in _id_candidates(el, walk):
        m = _COMMENT_ID.search(value) if value else None
        if m:
            return m.group(1)
    return None


def _id_candidates(el, walk):
    """The anchor before the comment, its own id and about, then (only if needed) its links."""
    prev = el.getprevious()
    while prev is not None and not isinstance(prev.tag, str):
        prev = prev.getprevious()
    if prev is not None and prev.tag == "a":
        yield prev.get("id") or prev.get("name")
    yield el.get("id")
    yield el.get("about")
    for a in _permalinks(walk):
        yield a.get("href")
    for a in walk.links():
        if "/comment/reply/" in a.get("href"):
            yield a.get("href")


def _rdf_parent(walk) -> tuple[str | None, bool]:
    """(parent id, whether RDF said so): reply_of a comment, or of the node for a top-level comment."""
    parent_known = False
    # D7 prints it as span.rdf-meta, which the post's class index holds: no query for those
    indexed = [e.get("resource") for e in walk.all(C_RDF_META) if e.get("rel") == "sioc:reply_of"]
    for resource in indexed or X_REPLY_OF(walk.root):
        if resource is None:
            continue
        m = _REPLY_OF_COMMENT.search(resource)
        if m:
            return f"comment/{m.group(1) or m.group(2)}", True
        if "/node/" in resource:
            parent_known = True
    return None, parent_known


def _permalinks(walk):
    """Permalink anchors (a.permalink, .comment-permalink a), then subject links (h2/h3 a)."""
    yield from (a for a in walk.all(C_PERMALINK) if a.tag == "a")
    for box in walk.all(C_PERMALINK_BOX):
        yield from box.iterdescendants("a")
    for h in walk.tag("h2", "h3"):
        yield from (a for a in h.iterdescendants("a") if a.get("href") is not None)


def _comment_url(doc, walk, cid):
    for a in _permalinks(walk):
        href = doc.absolute(a.get("href"))
        if href and cid and (f"comment-{cid}" in href or f"/comment/{cid}" in href):
            return href
    if cid and doc.site:
        base = _thread_url(doc.url) or doc.absolute(f"/comment/{cid}")
        return f"{base}#comment-{cid}"
    return None


def _comment_title(walk, cid: str | None = None) -> str | None:
    for h in walk.tag("h2", "h3"):
        text = squash(text_content(h))
        if text:
            return text
    # themes that print the subject as the permalink, outside a heading; not the parent's ("In reply to")
    for a in walk.all(C_PERMALINK):
        if cid and f"comment-{cid}" not in (a.get("href") or "") and f"/comment/{cid}" not in (a.get("href") or ""):
            continue
        text = squash(text_content(a))
        if text and not _DIGIT.fullmatch(text[:1] or "x") and text.lower() not in ("permalink", "#"):
            return text
    return None


def _post(doc, el, kind, native_id, zone, votes, bare: dict | None = None, walk=None) -> dict:
    """Author, date, body and votes of one node or comment element.

    ``bare`` gives the byline, body and vote elements of a page without classes, found by _bare_parts.
    """
    walk = walk or _Walk(el)
    meta = bare["byline"] if bare else walk.byline()
    if meta is None:
        meta, meta_walk = el, walk
    else:
        if not text_content(meta).strip():  # not itertext(): quadratic over runs of HTML comments
            _reclaim_byline(meta)  # moves elements in: index the byline afresh
            meta_walk = _Walk(meta)
        else:
            meta_walk = walk.within(meta)
    author = _author(doc, el, meta, walk, meta_walk)
    raw_date, iso = _date(meta, meta_walk, author.pop("_name_text", None))
    if bare and bare["date"] is not None:
        raw_date = squash(text_content(bare["date"]))  # Bartik-style: the date stands in its own element
    if bare:
        votes_raw = squash(text_content(bare["votes"])) if bare["votes"] is not None else None
        votes_value, vote_kind = _count_from_rate(votes_raw), "rate" if votes_raw else None
        body_el = bare["body"]
    else:
        votes_value, votes_raw, vote_kind = _votes(el, walk, kind, native_id, votes)
        votes_value = _plausible(votes_value)
        body_el = _body(el, walk)
    body_text = element_text(body_el) if body_el is not None else ""
    linked_els = linked(body_el) if body_el is not None else []
    post = {
        "author_name": author["name"],
        "author_id": author["id"],
        "author_url": author["url"],
        "published_raw": raw_date,  # the published_* fields are set by finish_dates once the page is read
        "_iso": iso,
        "body_text": body_text,
        "links": _links(doc, linked_els),
        "quotes": _quotes(body_el),
        "body_html": inner_html(body_el, doc.absolute, linked_els) if body_el is not None else "",
        "votes": votes_value,
        "votes_kind": VOTE_KINDS.get(vote_kind),
        "votes_raw": votes_raw,
        "rating": _rating(votes_raw) if vote_kind == "fivestar" else None,
        "deleted": _deleted(el, body_text),
        "extra": {},
    }
    if author["anonymous"]:
        post["extra"]["anonymous"] = True
        if author["homepage"]:
            post["extra"]["author_homepage"] = author["homepage"]
    if author["truncated_as"]:
        post["extra"]["author_name_displayed"] = author["truncated_as"]
    if vote_kind:
        post["extra"]["vote_widget"] = vote_kind
    return post


def _first(items):
    return items[0] if items else None


class _Walk:
    """The descendants of an element that carry a class, indexed by class token in document order.

    A has_class XPath costs about as much as indexing a whole comment this way, and a post needs a dozen
    lookups: index once, then look up in a dict. Lookups keep XPath's ``.//`` meaning (descendants only)
    and its document order. Tag lookups use lxml's own iterators, RDF attributes one lazy XPath.
    """

    __slots__ = ("root", "classes", "scoped")

    def __init__(self, root):
        classes: dict[str, list] = {}
        for i, e in enumerate(X_CLASSED(root)):
            for token in e.get("class").split():
                classes.setdefault(token, []).append((i, e))
        self.root, self.classes, self.scoped = root, classes, False

    def within(self, el) -> _Walk:
        """The walk of a descendant (the byline), answered from this index: lookups keep what lies inside it."""
        view = object.__new__(type(self))
        view.root, view.classes, view.scoped = el, self.classes, True
        return view

    def _hits(self, name: str):
        hits = self.classes.get(name, ())
        return [h for h in hits if _is_inside(h[1], self.root)] if self.scoped and hits else hits

    def first(self, *names: str):
        """The earliest element holding any of the class tokens."""
        best = None
        for name in names:
            hits = self._hits(name)
            if hits and (best is None or hits[0][0] < best[0]):
                best = hits[0]
        return best[1] if best else None

    def all(self, name: str) -> list:
        return [e for _, e in self._hits(name)]

    def tag(self, *names: str) -> list:
        return list(self.root.iterdescendants(*names))

    def byline(self):
        """attribution, submitted, or meta that is not a links list: whichever comes first."""
        meta = next(((i, e) for i, e in self.classes.get("meta", ()) if "links" not in e.get("class").split()),
                    None)
        candidates = [h[0] for h in (self.classes.get(c) for c in C_BYLINE) if h]
        if meta is not None:
            candidates.append(meta)
        if candidates:
            chosen = min(candidates)[1]
            author = self.classes.get("comment__author")
            if author and not text_content(chosen).strip() and author[0][1] is not chosen:
                # a Drupal 8+ theme whose comment header holds only the picture (div.comment__submitted): the
                # byline is p.comment__author further down ("Submitted by X DATE" and the RDF date)
                return author[0][1]
            return chosen
        # a Drupal 8+ comment whose theme dropped the footer's class: the footer is still its byline
        if self.root.get("data-comment-user-id") is not None:
            return next(self.root.iterdescendants("footer"), None)
        return None

    def position(self, el) -> int:
        """Document position of an indexed element (one with a class)."""
        for token in (el.get("class") or "").split():
            for i, e in self.classes.get(token, ()):
                if e is el:
                    return i
        return -1

    def links(self) -> list:
        return [a for a in self.tag("a") if a.get("href") is not None]

    def profile_link(self):
        return next((a for a in self.links() if any(p in a.get("href") for p in PROFILE_PATHS)), None)


def _reclaim_byline(meta) -> None:
    """Zen prints the picture <div> inside <p class="submitted">; HTML parsing closes the <p> at the <div>
    and leaves the byline as siblings. Move them back, up to the content."""
    sibling = meta.getnext()
    if meta.tail:
        meta.text, meta.tail = meta.tail, None
    while sibling is not None:
        classes = (sibling.get("class") or "").split()
        if isinstance(sibling.tag, str) and (
                "content" in classes or "links" in classes or sibling.tag in ("h2", "h3", "ul")):
            break
        following = sibling.getnext()
        meta.append(sibling)  # lxml moves the element together with its tail
        sibling = following


def _author(doc, post_el, meta, walk, meta_walk) -> dict:
    # Drupal 8+ themes print the author alone in p.comment__author; the footer's "In reply to X" names another
    box = meta_walk.first("comment__author")
    if box is not None:
        meta, meta_walk = box, walk.within(box)
    name_el = meta_walk.first(C_USERNAME)
    if name_el is None:
        name_el = meta_walk.profile_link()
    if name_el is None:
        name_el = next((e for e in X_NOT_VERIFIED_TEXT(meta) if _NOT_VERIFIED.search(squash(text_content(e)))
                        and len(e) == 0), None)
    if name_el is None and meta is not post_el:  # an anonymous poster's homepage; never the permalink
        name_el = next((a for a in meta_walk.links() if not _COMMENT_ID.search(a.get("href"))), None)
    text = squash(text_content(name_el)) if name_el is not None else \
        squash(text_content(box)) if box is not None else _submitted_name(meta)
    # Drupal 8+ says it outright: data-comment-user-id="0", Olivero's by-anonymous
    anonymous = bool(text and _NOT_VERIFIED.search(text)) or post_el.get("data-comment-user-id") == "0" \
        or "by-anonymous" in (post_el.get("class") or "").split()
    name = _NOT_VERIFIED.sub("", text) if text else None
    href = name_el.get("href") if name_el is not None and name_el.tag == "a" else None
    url = doc.absolute(href) if href else None
    # the picture only matters for a truncated or missing name, or a profile link without a user id
    needs_picture = not name or name.endswith("...") or not _USER_ID.search(url or "")
    picture = _picture(doc, post_el, walk) if needs_picture else {}
    truncated_as = None
    if name and name.endswith("...") and len(name) > 3:
        full = (name_el.get("content") if name_el is not None else None) or picture.get("name")
        if full and full.startswith(name[:-3]):
            truncated_as, name = name, full
    if not name and picture.get("name"):
        name = picture["name"]
    homepage = None
    if anonymous:
        homepage, url = url, None
    user_id = None
    for candidate in (url, picture.get("url"), name_el.get("about") if name_el is not None else None):
        m = _USER_ID.search(candidate or "")
        if m:
            user_id = m.group(1)
            break
    if url is None and not anonymous:
        url = picture.get("url")
    if user_id is None and not anonymous and name:  # D8 RDF: the name's span says whose it is
        user_id = next((m.group(1) for e in X_PERSON_NAMES(meta) if squash(text_content(e)) == name
                        for m in [_USER_ID.search(e.get("about"))] if m), None)
    return {"name": name or None, "id": None if anonymous else user_id, "url": url, "anonymous": anonymous,
            "homepage": homepage, "truncated_as": truncated_as, "_name_text": text}


def _submitted_name(meta) -> str | None:
    """"Submitted by NAME on DATE" (core), or "NAME | DATE" (news themes that print the two in one line)."""
    shown = squash(text_content(meta))
    m = _SUBMITTED_BY.search(shown) or _NAME_BAR_DATE.match(shown)
    return m.group(1) if m else None


def _picture(doc, post_el, walk) -> dict:
    pic = walk.first(*C_PICTURE)
    if pic is None:
        pic = _first(X_ALT_PICTURES(post_el))  # the picture's alt text survives where classes do not
    if pic is None:
        return {}
    return _picture_info(doc, pic)


def _picture_info(doc, pic) -> dict:
    # lxml's tag iterators rather than XPath queries: a members block has dozens of pictures.
    # The image: the first img with alt or title inside. The link: the first a[href] in document order
    # among the picture's ancestors, itself and its descendants.
    img = pic if pic.tag == "img" else next(
        (i for i in pic.iterdescendants("img") if i.get("alt") is not None or i.get("title") is not None), None)
    around = [a for a in pic.iterancestors("a") if a.get("href") is not None]
    link = around[-1] if around else pic if pic.tag == "a" and pic.get("href") is not None else next(
        (a for a in pic.iterdescendants("a") if a.get("href") is not None), None)
    name = None
    if img is not None:
        label = (img.get("alt") or img.get("title") or "").strip()
        m = _PICTURE_ALT.match(label)
        if m:
            name = next((g for g in m.groups() if g is not None), "").strip() or None
    url = doc.absolute(link.get("href")) if link is not None else None
    return {"name": name, "url": url, "image": doc.absolute(img.get("src")) if img is not None else None}


def _date(meta, meta_walk, name_text) -> tuple[str | None, str | None]:
    """(displayed date, ISO date from markup)."""
    iso = None
    # D7 wraps the byline in the RDF date span, the byline's first element: test it before querying
    lead = next((c for c in meta if isinstance(c.tag, str)), None)
    rdf = lead if lead is not None and _is_rdf_date(lead) else _first(X_RDF_DATE(meta_walk.root))
    if rdf is not None:
        iso = rdf.get("content")
    else:
        t = next((t for t in meta_walk.tag("time") if t.get("datetime") is not None), None)
        iso = t.get("datetime") if t is not None else None
    shown = meta_walk.first(*C_COMMENT_TIME)
    if shown is not None:
        return squash(text_content(shown)) or None, iso
    text = squash(text_content(meta))
    if rdf is not None and squash(text_content(rdf)):
        text = squash(text_content(rdf))  # the RDF span wraps the byline (nodes) or the date (comments)
    if name_text and name_text in text:
        before, after = text.split(name_text, 1)
        # "Submitted by NAME on DATE" in core; Garland prints "DATE — NAME"
        text = after if _DIGIT.search(after) else before
    text = _DATE_LEAD.sub("", _BYLINE.sub("", text, count=1), count=1)
    text = _DATE_TAIL.sub("", text).strip()
    if _FINAL_PERIOD.search(text):
        text = text[:-1]  # Drupal 6 ends the comment byline with a period
    return trim_after_date(text) or None, iso


def _is_rdf_date(el) -> bool:
    """What X_RDF_DATE selects."""
    prop = el.get("property")
    return prop is not None and el.get("content") is not None and (
        "dc:date" in prop or "dc:created" in prop or "schema:dateCreated" in prop)


def _rate_widgets(root) -> dict[str, object]:
    """Rate widgets keyed by what they rate: ``node/N`` or ``comment/N`` from the widget id."""
    found = {}
    for w in X_RATE_WIDGETS(root):
        m = _RATE_WIDGET_ID.match(w.get("id") or "")
        if m:
            found.setdefault(f"{m.group(1)}/{m.group(2)}", w)
    return found


def _votes(el, walk, kind, native_id, widgets) -> tuple[int | None, str | None, str | None]:
    widget = widgets.get(f"{kind}/{native_id}") if native_id else None
    if widget is None:
        widget = walk.first(C_RATE_WIDGET)
    if widget is not None:
        info = next((i for i in walk.all(C_RATE_INFO) if _is_inside(i, widget)), None) \
            if _is_inside(widget, el) else _first(X_RATE_INFO(widget))
        raw = squash(text_content(info)) if info is not None else None
        return _count_from_rate(raw), raw, "rate"
    stars = walk.first(*C_FIVESTAR)
    if stars is not None:
        raw = squash(text_content(stars))
        m = _VOTE_TOTAL.search(raw)
        count = int((m.group(1) or m.group(2)).replace(",", "")) if m else (0 if _NO_VOTES.search(raw) else None)
        return count, raw, "fivestar"
    vud = walk.first(*C_VUD)
    if vud is not None:
        m = _SCORE.search(squash(text_content(vud)))
        shown = _first(X_VUD_SHOWN(vud))
        raw = squash(text_content(shown if shown is not None else vud))
        return (int(m.group()) if m else None), raw, "vote_up_down"
    return None, None, None


def _rating(raw: str | None) -> float | None:
    """Fivestar's average ("Average: 4.5 (2 votes)"), on the widget's own scale."""
    m = _AVERAGE.search(raw or "")
    return float(m.group(1).replace(",", ".")) if m else None


def _count_from_rate(raw: str | None) -> int | None:
    if not raw:
        return None
    m = _RATE_COUNT.search(raw)
    if m:
        return int(_THOUSANDS.sub("", m.group(1)))
    if _ONLY_YOU.search(raw):
        return 1
    if _NO_VOTES.search(raw):
        return 0
    m = _VOTE_TOTAL.search(raw)  # Rate's fivestar widget: "Total votes: N"
    if m:
        return int((m.group(1) or m.group(2)).replace(",", ""))
    return None


def _body(el, walk):
    chosen = _core_body(el, walk)
    # A site's own body field (field_cc_body, field_article_body) holds the text when the core one is a stub
    custom = [e for token, hits in walk.classes.items() if _CUSTOM_BODY.match(token) for _i, e in hits]
    if custom:
        best = max(custom, key=lambda e: len(text_content(e).strip()))
        if chosen is None or len(text_content(best).strip()) > len(text_content(chosen).strip()):
            return best
    return chosen


def _core_body(el, walk):
    fields = {f for c in C_BODY_FIELDS for f in walk.all(c)}
    # Drupal 8+ puts the item class on the field itself when it has one value and no label
    items = [i for c in C_FIELD_ITEM for i in walk.all(c)
             if fields and (i in fields or any(a in fields for a in i.iterancestors()))] if fields else []
    items = sorted(set(items), key=lambda i: walk.position(i)) if len(items) > 1 else items
    if items:
        # several items of one field: keep them together (a field that is its own item stands alone)
        chosen = items[0] if len(items) == 1 or items[0] in fields else items[0].getparent()
        if text_content(chosen).strip():
            return chosen
        # No text: a stray </div> in the text closed the item early and the text follows it, in the field,
        # as a browser shows it (an image-only body has no text in its field either).
        if chosen in fields:  # Drupal 8+: the field is the item; what escaped it follows it
            _reclaim_text(chosen, el)
            return chosen
        field = next((a for a in chosen.iterancestors() if a in fields), None)
        return field if field is not None and text_content(field).strip() else chosen
    content = walk.first(C_CONTENT[0])
    if content is None:
        content = walk.first(C_CONTENT[1])
    if content is None:  # Drupal 8+ themes without field classes: the RDF text, else the comment's content div
        content = _first(X_RDF_TEXT(el))
        if content is None:
            content = walk.first("comment__content")
    if content is None and walk.first("node__content") is not None:
        # a node whose theme strips the field wrappers: node__content holds unlabelled field divs (an image with
        # its label, the body, share buttons); the body is the one with the most text
        box = walk.first("node__content")
        fields = [c for c in box if isinstance(c.tag, str) and c.tag == "div"]
        best = max(fields, key=lambda c: len(text_content(c).strip()), default=None)
        content = best if best is not None and len(text_content(best).strip()) * 2 > len(
            text_content(box).strip()) else box
    if content is None:
        return None
    for junk in X_BODY_JUNK(content):
        parent = junk.getparent()
        if parent is not None:
            drop(junk)
    if not text_content(content).strip():
        _reclaim_text(content, el)
    return content


_BODY_ENDS = {"links", "comment", "indented", "rate-widget", "signature", "user-signature"}


def _reclaim_text(content, post_el) -> None:
    """Stray </div>s in the text closed the content div (and maybe its parents) early: what follows, up to
    the links, inside the post, is the body a browser shows."""
    closed = content
    while closed is not None and closed is not post_el and not text_content(content).strip():
        if closed.tail and closed.tail.strip():
            content.append(etree.Element("span"))
            content[-1].text, closed.tail = closed.tail, None
        sibling = closed.getnext()
        while sibling is not None and not (isinstance(sibling.tag, str) and (
                _BODY_ENDS & set((sibling.get("class") or "").split())
                or sibling.tag in ("form", "a", "drupal-render-placeholder"))):
            following = sibling.getnext()
            content.append(sibling)  # its tail goes with it: the text between it and the next element
            sibling = following
        closed = closed.getparent()


def _links(doc, linked_els: list) -> list[dict]:
    return [{"url": doc.absolute(a.get("href")), "text": squash(text_content(a))}
            for a in linked_els if a.tag == "a" and a.get("href") is not None]


def _quotes(body_el) -> list[dict]:
    if body_el is None:
        return []
    quotes = []
    for q in body_el.iterdescendants("blockquote"):
        author_el = _first(X_QUOTE_AUTHOR(q))
        author = None
        if author_el is not None:
            author = _WROTE.sub("", squash(text_content(author_el))) or None
        text = element_text(q)
        if author_el is not None:
            text = text.replace(squash(text_content(author_el)), "", 1).strip()
        quotes.append({"author": author, "text": text})
    return quotes


def _deleted(el, body_text: str) -> bool:
    classes = (el.get("class") or "").split()
    return "comment-deleted" in classes or bool(
        _DELETED.match(body_text))


def _pager(root, wrapper, pagers: list) -> tuple[int | None, int | None]:
    """(current page, total pages) from the comment pager: the first one the comment walk met, else the
    first one in the wrapper or on the page."""
    pagers = pagers or (X_PAGER_IN(wrapper) if wrapper is not None else []) or X_PAGER(root)
    if not pagers:
        return None, None
    pager = pagers[0]
    numbers = [page_number(h) for h in X_LINK_HREFS(pager)]
    numbers = [n for n in numbers if n is not None]
    current = None
    cur = _first(X_PAGER_CURRENT(pager))
    shown = squash(text_content(cur)) if cur is not None else ""
    if shown.isdigit() and len(shown) < 8:
        current = int(shown) - 1
    highest = max(numbers + ([current] if current is not None else []) + [0])
    return current, highest + 1


def _board(doc, node, root) -> tuple[str | None, str | None]:
    for expr in X_BOARD:
        a = _first(expr(node))
        if a is not None:
            return squash(text_content(a)) or None, doc.absolute(a.get("href"))
    crumbs = X_BREADCRUMB(root)
    if any("/forum" in (c.get("href") or "") for c in crumbs[:-1] or crumbs):
        last = crumbs[-1]
        if "/forum" in (last.get("href") or ""):
            return squash(text_content(last)) or None, doc.absolute(last.get("href"))
    return None, None


def _reply_count(root) -> int | None:
    values = [v.strip().removeprefix("UserComments:") for v in X_NUM_REPLIES(root)]  # D8 RDF: "UserComments:7"
    if values and values[0].isdigit():
        return _plausible(int(values[0]))
    return None


def _shown_count(root) -> int | None:
    """Olivero's comment heading: "Comments<span class="comments__count">4</span>"."""
    shown = X_COMMENTS_COUNT(root)
    return _plausible(int(shown[0].strip())) if shown and shown[0].strip().isdigit() else None


def _count_link(node) -> int | None:
    """The count a node's own "N comments" link prints (news themes put it in the byline or the links)."""
    for a in X_COUNT_LINKS(node):
        m = _COUNT_LINK.match(squash(text_content(a)))
        if m:
            return _plausible(int(m.group(1).replace(",", "").replace(".", "")))
    return None


def _plausible(count: int | None) -> int | None:
    """A count as printed, unless it is beyond any real forum and beyond what JSON readers hold exactly
    (2^53): such a number is damage, and would stop the run when the record is written (2^64 overflows)."""
    return count if count is None or abs(count) < 2**53 else None


def _members(doc, root, node) -> list[dict]:
    """Pictures in a "People"/members block: group members, not post authors."""
    for block in X_BLOCKS(root):
        if _is_inside(block, node):
            continue
        title_el = _first(X_BLOCK_TITLE(block))
        title = squash(text_content(title_el)).lower() if title_el is not None else ""
        ident = (block.get("id") or "") + " " + (block.get("class") or "")
        if title not in MEMBER_BLOCK_TITLES and "members" not in ident:
            continue
        members = _pictured_members(doc, X_PICTURE(block))
        if members:
            return members
    return []


def _pictured_members(doc, pictures) -> list[dict]:
    """Members from the pictures of a members block: name from the alt text, id from the profile link."""
    members = []
    for pic in pictures:
        info = _picture_info(doc, pic)
        if info.get("name") or info.get("url"):
            m = _USER_ID.search(info.get("url") or "")
            members.append({"name": info.get("name"), "url": info.get("url"), "id": m.group(1) if m else None})
    return members


def _crawl_links(doc, root) -> dict[str, list[str]]:
    """Pager, thread and sub-forum links. Each is a whole-page scan, so each runs only when the page's text
    holds its class name (or libxml2's id index holds table#forum)."""
    pages = []
    for pager in X_PAGER(root) if "pager" in doc.text else ():
        for href in X_LINK_HREFS(pager):
            url = doc.absolute(href)
            if url and url not in pages:
                pages.append(url)
    kinds = [x for name, x in X_TEASER_KINDS if name in doc.text]
    teasers = kinds[0](root) if len(kinds) == 1 else X_TEASER_LINKS(root) if kinds else []
    return {"pages": pages, "threads": _unique_links(doc, teasers),
            "listings": _unique_links(doc, X_FORUM_LIST_LINKS(root)) if X_BY_ID(root, id="forum") else []}


def _unique_links(doc, anchors) -> list[str]:
    found: list[str] = []
    for a in anchors:
        url = doc.absolute(a.get("href"))
        if url and url not in found:
            found.append(url)
    return found


# --- Pages without classes -------------------------------------------------------------------------
def _parse_bare(doc, zone) -> ParsedPage | None:
    """A Drupal page whose class attributes are gone: posts are found by their bylines ("Submitted by",
    or an author beside a date), comments by their ``comment-N`` anchors, the tree by the indentation
    wrappers that follow a parent comment."""
    root = doc.root
    last_page = _bare_last_page(doc, root)  # before the comments (and their pager) are detached below
    bylines = X_BYLINES(root)
    boxes: list = []
    comment_bylines: list = []
    for anchor in X_COMMENT_ANCHORS(root):
        box = anchor.getnext()
        byline = _bare_byline(box) if box is not None else None
        if byline is not None:
            boxes.append(box)
            comment_bylines.append(byline)
    if not boxes:
        boxes = _exclusive_containers(bylines)[1:]
        comment_bylines = bylines[1:]
    op_byline = next((b for b in bylines if not any(_is_inside(b, box) for box in boxes)), None)
    if op_byline is None:
        return None
    node = next((n for n in X_NODE_IDS(root) if _is_inside(op_byline, n)), None)
    if node is None:
        node = _below_common_ancestor(op_byline, boxes[0]) if boxes else op_byline.getparent()
    if boxes and _is_inside(boxes[0], node):
        node.remove(_below(node, boxes[0]))  # as for classed pages: node lookups must not see the comments
    op_byline = _isolate_byline(op_byline)

    nid = _node_id(node, doc)
    thread_url = _thread_url(doc.url) or _thread_url(doc.absolute(node.get("about"))) if doc.site else None
    thread_id = _thread_id(nid, thread_url)
    op = _post(doc, node, "node", nid, zone, {}, bare=_bare_parts(node, op_byline))
    op.update(id=thread_id, thread_id=thread_id, parent_id=None, depth=0, is_op=True, url=thread_url,
              title=_title(root, node))
    posts = [op]
    box_set = set(boxes)
    branch = OpenBranch()
    for box, byline in zip(boxes, comment_bylines, strict=True):
        walk = _Walk(box)
        cid = _comment_id(box, walk)
        post = _post(doc, box, "comment", cid, zone, {}, bare=_bare_parts(box, _isolate_byline(byline)))
        post_id = f"comment/{cid}" if cid else f"{thread_id}#comment-{len(posts)}"
        depth = sum(1 for a in box.iterancestors() if _follows_a_comment(a, box_set))
        parent = branch.parent(depth)
        branch.push(depth, post_id)
        post.update(id=post_id, thread_id=thread_id, parent_id=parent, depth=depth, is_op=False,
                    url=_comment_url(doc, walk, cid), title=_comment_title(walk))
        if depth > 0 and parent is None:
            post["extra"]["parent_on_earlier_page"] = True
        posts.append(post)
    finish_dates(posts, zone, doc.page.capture_time, doc.page.notes)
    board, board_url = _bare_board(doc, node)
    extra = {"markup": "classless"} | ({"board_url": board_url} if board_url else {})
    thread = {"id": thread_id, "url": thread_url, "title": op["title"], "board": board,
              "author_name": op["author_name"], "created_utc": op["published_utc"],
              "created_local": op["published_local"], "reply_count": _reply_count(root),
              "extra": extra}
    page_no = page_number(doc.url) or 0
    return ParsedPage(thread=thread, posts=posts, members=_bare_members(doc, root), page_number=page_no,
                      pages_total=max(page_no, last_page) + 1)


def _bare_last_page(doc, root) -> int:
    """Without pager classes: the highest ?page=N among links back to this page's own path."""
    if not doc.url:
        return 0
    path = urlsplit(doc.url).path
    numbers = [page_number(url) for url in map(doc.absolute, X_LINK_HREFS(root))
               if url and "page=" in url and urlsplit(url).path == path]
    return max((n for n in numbers if n is not None), default=0)


def _bare_byline(box):
    """The "Submitted by" line of a post box, or (Bartik and the like) the block holding its date."""
    found = X_BYLINES(box)
    if found:
        return found[0]
    date_el = _date_element(box)
    if date_el is None:
        return None
    for a in date_el.iterancestors():
        if a is box:
            break
        if X_LINK(a) or _NOT_VERIFIED.search(squash(text_content(a))):
            return a
    return date_el


def _date_element(box):
    """The smallest element whose whole text is a date."""
    for el in box.iter():
        if not isinstance(el.tag, str) or len(el):
            continue
        text = squash(text_content(el))
        if 8 <= len(text) <= 60 and not text.startswith("Submitted") and parse_display_date(text):
            return el
    return None


def _isolate_byline(byline):
    """Zen's <p class="submitted"> holds a <div>, which HTML parsing answers by closing the <p>: the byline
    words then sit loose in the post box. Wrap the words from "Submitted by" to the next block in a span."""
    if not any(isinstance(k.tag, str) and k.tag in _BLOCK_TAGS for k in byline):
        return byline
    span = byline.makeelement("span", {})  # an element of the page's own (lxml.html) kind
    if byline.text and byline.text.strip().startswith("Submitted by"):
        span.text, byline.text = byline.text, None
        byline.insert(0, span)
    else:
        holder = next((k for k in byline if (k.tail or "").strip().startswith("Submitted by")), None)
        if holder is None:
            return byline
        span.text, holder.tail = holder.tail, None
        holder.addnext(span)
    nxt = span.getnext()
    while nxt is not None and isinstance(nxt.tag, str) and nxt.tag not in _BLOCK_TAGS:
        following = nxt.getnext()
        span.append(nxt)  # moves the element with its tail
        nxt = following
    return span


def _exclusive_containers(bylines) -> list:
    """For each byline, its largest ancestor holding no other byline: the post's box."""
    counts: dict = {}
    for b in bylines:
        for a in b.iterancestors():
            counts[a] = counts.get(a, 0) + 1
    boxes = []
    for b in bylines:
        top = b
        for a in b.iterancestors():
            if counts[a] > 1:
                break
            top = a
        boxes.append(top)
    return boxes


def _below(ancestor, el):
    """The child of ``ancestor`` on the way down to ``el``."""
    for a in el.iterancestors():
        if a.getparent() is ancestor:
            return a
    return el


def _below_common_ancestor(a, b):
    """The ancestor of ``a`` just below the lowest ancestor it shares with ``b``."""
    b_ancestors = set(b.iterancestors())
    prev = a
    for anc in a.iterancestors():
        if anc in b_ancestors:
            return prev
        prev = anc
    return prev


def _follows_a_comment(el, boxes) -> bool:
    """Drupal's indentation wrapper: an element right after a comment (its parent's box)."""
    prev = el.getprevious()
    while prev is not None and (not isinstance(prev.tag, str) or prev.tag == "a" and not len(prev)):
        prev = prev.getprevious()
    return prev is not None and prev in boxes


def _is_vote(el) -> bool:
    """A vote widget: the Rate wording and at most a button label or two ("up", "+1") besides."""
    text = squash(text_content(el))
    rest = _VOTE_WORDING.sub("", text)
    return rest != text and len(rest.split()) <= 2 and len(rest) < 20


def _is_aside(el) -> bool:
    """Parts of a post box that are not the body: votes, labelled fields, link lists, pictures, RDF spans."""
    if not isinstance(el.tag, str) or el.tag in ("ul", "img", "script", "style", "h2", "h3"):
        return True
    if not squash(text_content(el)):
        return True
    return _is_vote(el) or _is_labelled_field(el)


def _is_labelled_field(el) -> bool:
    """A Drupal field printed with its label: a first child whose whole text is "Label:"."""
    first = next((k for k in el if isinstance(k.tag, str)), None)
    if first is None:
        return False
    label = squash(text_content(first))
    return label.endswith(":") and len(label) <= 40


def _bare_parts(box, byline) -> dict:
    votes = next((v for v in X_VOTE_TEXT(box) if _is_vote(v)), None)
    if votes is not None:
        votes = next((v for v in votes.iter() if isinstance(v.tag, str) and not len(v) and _is_vote(v)), votes)
    start = _below(box, byline) if byline.getparent() is not box else byline
    body = None
    for candidate in start.itersiblings():
        if not _is_aside(candidate):
            body = candidate
            break
    while body is not None:
        kids = [k for k in body if isinstance(k.tag, str)]
        if any(_is_aside(k) for k in kids) and not squash(body.text):
            keep = [k for k in kids if not _is_aside(k)]
            if not keep:
                break
            body = keep[0]  # a content wrapper holding the body field beside votes and other fields
        elif len(kids) == 1 and not squash(body.text) and not squash(kids[0].tail) and kids[0].tag == "div":
            body = kids[0]  # field wrappers around the text
        else:
            break
    date_el = _date_element(byline) if not byline.text or not byline.text.strip().startswith("Submitted") \
        else None
    return {"byline": byline, "body": body, "votes": votes, "date": date_el}


def _bare_board(doc, node) -> tuple[str | None, str | None]:
    for label in X_FIELD_LABELS(node):
        field = label.getparent()
        a = _first(X_LINK(field)) if field is not None else None
        if a is not None:
            return squash(text_content(a)) or None, doc.absolute(a.get("href"))
    return None, None


def _bare_members(doc, root) -> list[dict]:
    for heading in X_HEADINGS_ALL(root):
        if squash(text_content(heading)).lower() not in MEMBER_BLOCK_TITLES:
            continue
        members = _pictured_members(doc, X_ALT_PICTURES(heading.getparent()))
        if members:
            return members
    return []
