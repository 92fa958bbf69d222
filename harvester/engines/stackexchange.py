"""Stack Exchange question pages (Stack Overflow, Super User, *.stackexchange.com and Q&A sites on their markup).

Written from the question page markup the sites serve and the Wayback Machine holds (2012 on): the question
``div#question[data-questionid][data-score]``, answers ``div#answer-N.answer[data-answerid][data-score]``
(``accepted-answer`` marks the accepted one), bodies ``div.js-post-body`` (older ``div.post-text``), the score
``div.js-vote-count[data-value]`` (older ``span.vote-count-post``), signatures ``div.post-signature`` whose owner
is the "asked"/"answered" one (an "edited" signature names the editor), ``span.relativetime[title]`` times in UTC,
and each post's comments ``li.comment[data-comment-id][data-comment-score]`` with ``span.comment-copy``,
``a.comment-user`` and ``span.relativetime-clean[title]``. The question is the opening post, answers are top-level
replies (``extra.accepted``), comments reply to their post. Ids: ``question/N``, ``answer/N``, ``comment/N``.
"""

from __future__ import annotations

import re

from harvester.engines import toolkit
from harvester.engines.toolkit import Detection, Sign, first, has_class, text, x
from harvester.model import ParsedPage
from harvester.text import element_text, inner_html, linked

NAME = "stackexchange"
VERSION = "1.0.0"

SIGNS = (
    Sign("body.question-page", 6, f"/html/body[{has_class('question-page')}]", needle="question-page"),
    Sign("div#question[data-questionid]", 6, "id('question')[@data-questionid]", needle="data-questionid"),
    Sign("sstatic.net assets / StackExchange script", 6, needle="StackExchange",
         xpath="/html/head/script[contains(@src,'sstatic.net') or contains(., 'StackExchange.init')]"
               " | /html/head/link[contains(@href,'sstatic.net')]"),
    Sign("#question-header", 3, "id('question-header')", needle="question-header"),
)

X_QUESTION = x("id('question')")
X_ANSWERS = x(f"/descendant::div[{has_class('answer')}][@data-answerid]")
X_TITLE = x("id('question-header')//h1")
X_BODY = x(f"(descendant::div[{has_class('js-post-body')} or {has_class('post-text')}])[1]")
X_VOTES = x(f"(descendant::*[{has_class('js-vote-count')} or {has_class('vote-count-post')}])[1]")
# 2013-2018 pages: the signatures are table cells (td.post-signature) and the comments table rows (tr#comment-N)
X_SIGNATURES = x(f"descendant::*[self::div or self::td][{has_class('post-signature')}]")
X_TIME = x(f"descendant::span[{has_class('relativetime')}][@title][1] | descendant::time[@datetime][1]")
X_USER_LINK = x(f"descendant::div[{has_class('user-details')}]/a[contains(@href,'/users/')][1]")
X_USER_NAME = x(f"descendant::div[{has_class('user-details')}]")
X_WIKI = x(f"descendant::*[{has_class('community-wiki')}][1]")
X_HISTORY = x("descendant::a[starts-with(@id,'history-')][1]")
X_ITEMPROP_NAME = x("descendant::*[@itemprop='name'][1]")
X_CREATED = x("descendant::time[@itemprop='dateCreated'][@datetime][1]")
X_CREATED_ASKED = x("/descendant::time[@itemprop='dateCreated'][@datetime][not(ancestor::*[@data-answerid])][1]")
X_REPUTATION = x(f"descendant::span[{has_class('reputation-score')}][1]")
X_COMMENTS = x(f"descendant::*[self::li or self::tr][{has_class('comment')}]"
                "[@data-comment-id or starts-with(@id,'comment-')]")
X_COMMENT_TEXT = x(f"descendant::span[{has_class('comment-copy')}][1]")
X_COMMENT_USER = x(f"descendant::a[{has_class('comment-user')}][1] | descendant::span[{has_class('comment-user')}][1]")
X_COMMENT_SCORE = x(f"descendant::*[self::div or self::td][{has_class('comment-score')}][1]")
X_COMMENT_TIME = x(f"descendant::span[{has_class('relativetime-clean')} or {has_class('relativetime')}][@title][1]")
X_MORE_COMMENTS = x("descendant::*[@data-remaining-comments-count][1]/@data-remaining-comments-count")
X_PAGER = x(f"/descendant::div[{has_class('s-pagination')} or {has_class('pager-answers')}][1]")
X_ANSWER_COUNT = x("id('answers-header')//h2/@data-answercount | id('answers-header')//*[@itemprop='answerCount']")
X_CANONICAL = x("/html/head/link[@rel='canonical']/@href")
X_TAGS = x(f"(/descendant::div[{has_class('post-taglist')}])[1]//a[{has_class('post-tag')}]")

_REVS = re.compile(r"\d+\s+revs?\b")
_PAGE = re.compile(r"[?&]page=(\d{1,6})")
_OWNER = re.compile(r"\b(asked|answered|posted|gefragt|beantwortet|demandé|répondu|preguntada|respondida)\b", re.I)


def score(doc) -> Detection:
    return toolkit.score(doc, NAME, SIGNS)


def parse(doc, zone=None, links: bool = True, records: bool = True) -> ParsedPage:
    """Records of one question page (``records=False``: its id, url and crawl hints)."""
    question = first(doc.root, X_QUESTION.path)
    qid = question.get("data-questionid") if question is not None else None
    if question is None or not (qid or "").isdigit():
        return ParsedPage(thread=None, posts=[], links={"pages": [], "threads": [], "listings": []},
                          skip_reason="Stack Exchange page without a question")
    thread_id = f"question/{qid}"
    canonical = next(iter(X_CANONICAL(doc.root)), None)
    thread_url = doc.absolute((canonical or doc.url or f"/questions/{qid}").split("?")[0].split("#")[0])
    current, total = _pager(doc)
    hints = {"pages": _pages(doc, qid), "threads": [], "listings": []}
    if not records:
        return ParsedPage(thread={"id": thread_id, "url": thread_url}, posts=[], links=hints,
                          page_number=(current or 1) - 1)
    answers = X_ANSWERS(doc.root)
    # An unclosed tag in a post puts the answers after it inside that post: detach them (each keeps its own
    # subtree) so that no post's comments or body take in an answer's.
    posts_els = {question, *answers}
    for el in answers:
        if any(a in posts_els for a in el.iterancestors()):
            toolkit.drop(el)
    op = _post(doc, question, thread_id, thread_url)
    op["title"] = text(first(doc.root, X_TITLE.path))
    posts = [op, *_comments(doc, question, thread_id)]
    for el in answers:
        answer = _post(doc, el, f"answer/{el.get('data-answerid')}",
                       doc.absolute(f"/a/{el.get('data-answerid')}"))
        if "accepted-answer" in (el.get("class") or "").split():
            answer["extra"]["accepted"] = True
        posts.append(answer)
        posts.extend(_comments(doc, el, answer["id"]))
    tags = [t for t in (text(a) for a in X_TAGS(doc.root)) if t]
    count = next(iter(X_ANSWER_COUNT(doc.root)), None)
    count = count if isinstance(count, str) else text(count)
    thread = {"id": thread_id, "url": thread_url, "title": op["title"], "board": tags[0] if tags else None,
              "reply_count": int(count) if count and count.strip().isdigit() else None,
              "extra": {"board_path": tags} if tags else {}, "op_on_page": True}
    return toolkit.page(doc, zone, thread, posts, page_number=(current or 1) - 1, pages_total=total, links=hints)


def _post(doc, el, post_id: str, url: str | None) -> dict:
    """A question or an answer: score, body, its owner (asked/answered signature) and last edit."""
    body = first(el, X_BODY.path)
    votes_el = first(el, X_VOTES.path)
    votes_raw = (votes_el.get("data-value") or text(votes_el)) if votes_el is not None else el.get("data-score")
    signatures = X_SIGNATURES(el)
    owner = next((s for s in signatures if "owner" in (s.get("class") or "").split()), None)
    if owner is None:  # older pages: the signature saying "asked"/"answered", else the last one
        owner = next((s for s in signatures if _OWNER.search(text(s) or "")), signatures[-1] if signatures else None)
    link = first(owner, X_USER_LINK.path) if owner is not None else None
    name = text(link) if link is not None else _plain_name(owner)
    wiki = next((s for s in signatures if first(s, X_WIKI.path) is not None), None)
    if wiki is not None and (not name or wiki is owner):
        # a community wiki post: the "answered" signature is nameless (or absent), the wiki one names the main
        # author by a profile link ("10 revs, 6 users 24%" then the name) or its revision link
        link = first(wiki, X_USER_LINK.path)
        history = first(wiki, X_HISTORY.path)
        name = text(link) if link is not None else \
            text(history) if history is not None and not _REVS.search(text(history) or "") else None
    raw, iso = _time(first(owner, X_TIME.path) if owner is not None else None)
    if iso is None:  # a community wiki post's owner signature has no time; its microdata keeps the creation
        created = first(el, X_CREATED.path)
        if created is None and el.get("id") == "question":  # the question's is in the header's "Asked" line
            created = first(doc.root, X_CREATED_ASKED.path)
        raw_created, iso = _time(created)
        raw = raw or raw_created or iso
    linked_els = linked(body) if body is not None else []
    extra: dict = {}
    edits = [s for s in signatures if s is not owner and s is not wiki and "owner" not in (s.get("class") or "")]
    if edits:
        edit_raw, edit_iso = _time(first(edits[0], X_TIME.path))
        extra["edited"] = edit_iso or edit_raw
    if wiki is not None or owner is not None and "community wiki" in (text(owner) or "").lower():
        extra["community_wiki"] = True
    post = {
        "id": post_id, "url": url, "title": None, "author_name": name,
        "author_id": _user_id(link), "author_url": doc.absolute(link.get("href")) if link is not None else None,
        "published_raw": raw, "_iso": iso,
        "body_text": element_text(body) if body is not None else "",
        "body_html": inner_html(body, doc.absolute, linked_els) if body is not None else "",
        "links": toolkit.links(doc, linked_els), "quotes": [],
        "votes": _int(votes_raw), "votes_kind": "score" if _int(votes_raw) is not None else None,
        "votes_raw": votes_raw, "rating": None, "deleted": False, "extra": extra,
        "parent_id": None, "depth": 0,
    }
    if link is None and name and wiki is None:
        extra["anonymous"] = True  # a deleted account ("user123") or an unregistered poster
    rep = text(first(owner, X_REPUTATION.path)) if owner is not None else None
    if rep and link is not None:
        post["author_facts"] = {"reputation": toolkit.count(rep)}
    return post


def _comments(doc, post_el, parent_id: str) -> list[dict]:
    """The comments under a question or answer (replies to it); the page shows the first few only."""
    out = []
    for li in X_COMMENTS(post_el):
        user = first(li, X_COMMENT_USER.path)
        body = first(li, X_COMMENT_TEXT.path)
        raw, iso = _time(first(li, X_COMMENT_TIME.path))
        linked_els = linked(body) if body is not None else []
        score_raw = li.get("data-comment-score")
        if score_raw is None:  # 2013-2021 markup: the score is the text of the comment-score cell, empty for 0
            box = first(li, X_COMMENT_SCORE.path)
            if box is not None:
                score_raw = text(box) or "0"
        cid = li.get("data-comment-id") or (li.get("id") or "").removeprefix("comment-")
        if not cid.isdigit():
            continue
        post = {
            "id": f"comment/{cid}", "url": doc.absolute(f"#comment{cid}_{parent_id.split('/')[-1]}"), "title": None,
            "author_name": text(user), "author_id": _user_id(user) if user is not None and user.tag == "a" else None,
            "author_url": doc.absolute(user.get("href")) if user is not None and user.get("href") else None,
            "published_raw": raw, "_iso": iso,
            "body_text": element_text(body) if body is not None else "",
            "body_html": inner_html(body, doc.absolute, linked_els) if body is not None else "",
            "links": toolkit.links(doc, linked_els), "quotes": [],
            "votes": _int(score_raw), "votes_kind": "score" if _int(score_raw) is not None else None,
            "votes_raw": score_raw, "rating": None, "deleted": False, "extra": {},
            "parent_id": parent_id, "depth": 1,
        }
        if user is not None and user.tag != "a":
            post["extra"]["anonymous"] = True
        out.append(post)
    remaining = next(iter(X_MORE_COMMENTS(post_el)), None)
    if remaining and remaining.isdigit() and int(remaining) > 0 and out:
        out[-1]["extra"]["comments_not_shown"] = int(remaining)  # "show N more comments": not in the page
    return out


def _time(el) -> tuple[str | None, str | None]:
    """(shown, ISO) from span.relativetime[title="2019-03-04 11:22:33Z"] or time[datetime]."""
    if el is None:
        return None, None
    value = (el.get("title") or el.get("datetime") or "").split(",")[0].strip()
    iso = value.replace(" ", "T") if re.match(r"^\d{4}-\d\d-\d\d[ T]\d\d:\d\d", value) else None
    if iso and not iso.endswith("Z") and "+" not in iso[10:]:
        iso += "Z"  # the sites print UTC
    return text(el), iso


def _plain_name(owner) -> str | None:
    """A deleted or anonymous user: the name is text, not a link ("user1234", "anon")."""
    details = first(owner, X_USER_NAME.path) if owner is not None else None
    if details is None:
        return None
    named = first(details, X_ITEMPROP_NAME.path)  # 2019 on: "The dude<span itemprop=name>The dude</span>"
    if named is not None and text(named):
        return text(named)
    shown = (details.text or "").strip() or text(details)
    return shown.split()[0] if shown and not (details.text or "").strip() else shown or None


def _user_id(link) -> str | None:
    m = re.search(r"/users/(-?\d+)", link.get("href") or "") if link is not None else None
    return m.group(1) if m else None


def _int(value) -> int | None:
    try:
        number = int(str(value).strip().replace(",", ""))
    except (TypeError, ValueError):
        return None
    return number if abs(number) < 10**12 else None


def _pager(doc) -> tuple[int | None, int | None]:
    pager = first(doc.root, X_PAGER.path)
    if pager is None:
        return None, None
    current = next((int(t) for t in (text(e) or "" for e in pager.iter("span", "a")
                                      if "is-selected" in (e.get("class") or "") or "current" in (e.get("class") or ""))
                    if t.isdigit()), None)
    numbers = [int(t) for t in (text(a) or "" for a in pager.iter("a", "span")) if t.isdigit() and len(t) < 6]
    return current, max(numbers + ([current] if current else []), default=None)


def _pages(doc, qid: str) -> list[str]:
    pager = first(doc.root, X_PAGER.path)
    if pager is None:
        return []
    return toolkit.unique_links(doc, pager.iter("a"), keep=lambda u: f"/questions/{qid}" in u and bool(_PAGE.search(u)))
