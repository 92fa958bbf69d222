"""The record contract: field lists, their JSON Schemas, and the provenance every record carries.

``schemas/*.schema.json`` are generated from this module (``harvester schemas``) and a test keeps
them identical, so the code and the published schemas cannot drift apart.
"""

from __future__ import annotations

from functools import cache
from typing import Any

SCHEMA_VERSION = "2.0.0"
RECORD_TYPES = ("thread", "post", "participant", "capture")
SCHEMA_BASE = "https://harvester.invalid/schemas/"  # an identifier, not a location that is fetched

STR = {"type": "string"}
OPT_STR = {"type": ["string", "null"]}
OPT_URL = {"type": ["string", "null"], "format": "uri"}
OPT_TIME = {"type": ["string", "null"], "format": "date-time"}
INT0 = {"type": "integer", "minimum": 0}
OPT_INT0 = {"type": ["integer", "null"], "minimum": 0}
BOOL = {"type": "boolean"}
EXTRA = {"type": "object", "description": "Engine-specific fields; not part of the stable contract."}


def _described(spec: dict, text: str) -> dict:
    return {**spec, "description": text}


COMMON: dict[str, dict] = {
    "schema_version": _described({"const": SCHEMA_VERSION}, "Version of this record contract."),
    "site": _described(OPT_STR, "Host of the original site (never the archive's host); null when unknown."),
    "id": _described(STR, "The engine's native id, e.g. node/1417, comment/5012; for participants user:ID, "
                          "url:PROFILE_URL, anonymous:NAME or name:NAME."),
    "source_url": _described(OPT_URL, "Original URL of the page the record came from, archive prefix removed."),
    "source_type": _described({"enum": ["html", "wayback", "warc", "live"]}, "Kind of input."),
    "source_file": _described(STR, "Input file the record came from, as given on the command line."),
    "capture_time": _described(
        {"type": ["string", "null"], "format": "date-time", "pattern": "Z$"},
        "UTC capture time from the Wayback timestamp or WARC-Date; null when unknown."),
    "archive_url": _described(OPT_URL, "Replay URL of the capture, when there is one."),
    "parser_name": _described(OPT_STR, "Engine that produced the record."),
    "parser_version": _described(OPT_STR, "Version of that engine."),
    "harvester_version": _described(STR, "Version of harvester that wrote the record."),
    "warc_filename": _described(OPT_STR, "WARC/ARC file holding the page; null for other inputs."),
    "warc_record_id": _described(OPT_STR, "WARC-Record-ID of the response (or resource) record."),
    "warc_record_offset": _described(OPT_INT0, "Byte offset of that record in the (compressed) file."),
    "warc_record_length": _described(OPT_INT0, "Length in bytes of that record in the (compressed) file."),
    "warc_payload_digest": _described(OPT_STR, "WARC-Payload-Digest of the record."),
}

LINK = {"type": "object", "additionalProperties": False, "required": ["url", "text"],
        "properties": {"url": OPT_STR, "text": STR}}
QUOTE = {"type": "object", "additionalProperties": False, "required": ["author", "text", "post_id", "author_key"],
         "properties": {"author": OPT_STR, "text": STR, "post_id": OPT_STR, "author_key": OPT_STR}}
VOTE_KINDS = ("voters", "score", "likes", "reactions", "thanks", "rating_count", "points")
TZ_SOURCES = ("markup", "option", "capture")
NAIVE_TIME = {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$"}
UTC_TIME = {"type": ["string", "null"], "format": "date-time", "pattern": "Z$"}

FIELDS: dict[str, dict[str, dict]] = {
    "post": {
        "thread_id": _described(STR, "Id of the thread (its opening post's id)."),
        "parent_id": _described(OPT_STR, "Id of the post this one replies to; null for top-level posts."),
        "position": _described(INT0, "0 for the opening post, then display order across pages."),
        "depth": _described(INT0, "Reply depth: 0 for the opening post and top-level comments."),
        "is_op": _described(BOOL, "True for the opening post."),
        "url": _described(OPT_URL, "Permalink."),
        "title": _described(OPT_STR, "Subject line, as displayed."),
        "author_name": _described(OPT_STR, "Full author name (untruncated), without '(not verified)'."),
        "author_id": _described(OPT_STR, "User id from the profile link; null for anonymous or unknown."),
        "author_url": _described(OPT_URL, "Profile URL on the original site."),
        "author_key": _described(OPT_STR, "The author's participant key (participants.key); null when no author."),
        "published_utc": _described(UTC_TIME, "Publication instant in UTC; null when the zone is unknown."),
        "published_local": _described(NAIVE_TIME, "Wall-clock time as printed, without zone; null if unreadable."),
        "published_raw": _described(OPT_STR, "The date exactly as displayed."),
        "published_tz": _described(OPT_STR, "Zone name or UTC offset of published_local; null when unknown."),
        "published_tz_source": _described(
            {"enum": [*TZ_SOURCES, None]},
            "Where the zone came from: markup (an offset in the page), option (--timezone), capture (counted "
            "back from the capture time); null when unknown."),
        "published_approximate": _described(BOOL, "True when the time was counted back ('3 days ago') or "
                                                  "resolved from words ('Yesterday') without a known zone."),
        "body_text": _described(STR, "Clean text; paragraphs separated by blank lines."),
        "body_html": _described(STR, "Inner HTML of the body with links made absolute."),
        "links": _described({"type": "array", "items": LINK}, "Links in the body."),
        "quotes": _described({"type": "array", "items": QUOTE}, "Quoted passages in the body."),
        "votes": _described({"type": ["integer", "null"]},
                           "The count or score shown at capture time (see votes_kind); null when none shown."),
        "votes_kind": _described({"enum": [*VOTE_KINDS, None]},
                                 "What votes counts: voters, score (up minus down), likes, reactions, thanks, "
                                 "rating_count (votes behind an average), points."),
        "votes_raw": _described(OPT_STR, "The vote text as displayed."),
        "rating": _described({"type": ["number", "null"]}, "Average rating shown (e.g. Fivestar), else null."),
        "deleted": _described(BOOL, "True when the page shows the post as deleted."),
        "content_hash": _described(STR, "sha256: of body_text; a change between captures is an edit."),
        "first_seen": _described(OPT_TIME, "Earliest capture time showing the post (null when unknown)."),
        "last_seen": _described(OPT_TIME, "Latest capture time showing the post; its values come from there."),
        "captures_seen": _described(INT0, "Page captures that show the post."),
        "missing_since": _described(OPT_TIME, "First later capture of its page that no longer shows the post."),
        "observation_id": _described(STR, "The post as seen in one capture (a hash of site, id, source URL, "
                                          "input file name, WARC record and capture time, never of folders): "
                                          "unique per row, also with --all-captures; otherwise the latest "
                                          "observation's."),
    },
    "thread": {
        "url": _described(OPT_URL, "Canonical URL of the first page."),
        "title": _described(OPT_STR, "Thread title."),
        "board": _described(OPT_STR, "Board, forum or group the thread belongs to."),
        "author_name": _described(OPT_STR, "Author of the opening post."),
        "author_key": _described(OPT_STR, "Participant key of that author."),
        "created_utc": _described(UTC_TIME, "published_utc of the opening post."),
        "created_local": _described(NAIVE_TIME, "published_local of the opening post."),
        "reply_count": _described(OPT_INT0, "Reply count as the page states it, if it does."),
        "posts_extracted": _described(INT0, "Posts in this dataset for the thread."),
        "pages_total": _described(OPT_INT0, "Comment pages the pager announces."),
        "pages_captured": _described(INT0, "Distinct comment pages found in the inputs."),
        "complete": _described(BOOL, "Every comment page was captured."),
        "source_urls": _described({"type": "array", "items": STR}, "Original URLs of the pages used."),
        "first_seen": _described(OPT_TIME, "Earliest capture time among its pages."),
        "last_seen": _described(OPT_TIME, "Latest capture time among its pages."),
        "captures_seen": _described(INT0, "Page captures combined into this thread."),
    },
    "participant": {
        "key": _described(STR, "Unique key, SITE/ID: what posts.author_key and quotes' author_key hold."),
        "name": _described(OPT_STR, "Display name, untruncated, from the latest capture."),
        "names_seen": _described({"type": "array", "items": STR},
                                 "Every display name seen for this key, in order of capture (renames)."),
        "url": _described(OPT_URL, "Profile URL."),
        "anonymous": _described(BOOL, "An unregistered poster (guest, 'not verified'), identified by name only."),
        "roles": _described({"type": "array", "uniqueItems": True,
                             "items": {"enum": ["author", "commenter", "member"]}},
                            "author: opened a thread; commenter: wrote a comment; member: shown in a members block."),
        "posts_in_dataset": _described(INT0, "Posts written by this participant in the dataset."),
        "threads_in_dataset": _described(INT0, "Threads this participant posted in."),
        "first_post_utc": _described(UTC_TIME, "Earliest published_utc of their posts."),
        "last_post_utc": _described(UTC_TIME, "Latest published_utc of their posts."),
        "first_post_local": _described(NAIVE_TIME, "Earliest published_local of their posts."),
        "last_post_local": _described(NAIVE_TIME, "Latest published_local of their posts."),
        "user_title": _described(OPT_STR, "User title or rank shown beside their posts."),
        "joined_raw": _described(OPT_STR, "Join date as displayed beside their posts."),
        "post_count_shown": _described(OPT_INT0, "Post count as displayed beside their posts (site-wide)."),
        "location": _described(OPT_STR, "Location as displayed beside their posts."),
        "avatar_url": _described(OPT_URL, "Avatar image URL."),
        "reputation": _described({"type": ["integer", "null"]}, "Reputation or karma as displayed."),
    },
    "capture": {
        "status": _described({"enum": ["ok", "skipped", "error"]}, "What became of this input page."),
        "reason": _described(OPT_STR, "Why it was skipped or failed, or warnings for an ok page."),
        "posts_found": _described(INT0, "Posts the engine found on this page."),
        "thread_id": _described(OPT_STR, "Thread the page belongs to."),
        "page_number": _described(OPT_INT0, "Zero-based comment page number."),
        "size": _described(OPT_INT0, "Bytes read."),
        "sha256": _described(OPT_STR, "SHA-256 of the bytes read."),
        "encoding": _described(OPT_STR, "Character encoding used to decode the page."),
    },
}


def field_order(record_type: str) -> list[str]:
    return ["record_type", *COMMON, *FIELDS[record_type], "extra"]


def schema(record_type: str) -> dict[str, Any]:
    props = {"record_type": {"const": record_type}, **COMMON, **FIELDS[record_type], "extra": EXTRA}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{SCHEMA_BASE}{record_type}.schema.json",
        "title": f"harvester {record_type} record",
        "type": "object",
        "additionalProperties": False,
        "required": list(props),
        "properties": props,
    }


@cache
def _field_order_and_set(record_type: str) -> tuple[tuple[str, ...], frozenset[str]]:
    order = tuple(field_order(record_type))
    return order, frozenset(order)


def make(record_type: str, values: dict[str, Any]) -> dict[str, Any]:
    """A record with every contract field, in contract order; unknown keys are a programming error."""
    order, allowed = _field_order_and_set(record_type)
    if not allowed.issuperset(values):
        unknown = sorted(set(values) - allowed)
        raise KeyError(f"{record_type} record has fields outside the contract: {unknown}")
    record = dict.fromkeys(order)  # contract order; update() keeps it, as the keys are all there
    record.update(values)
    record["record_type"] = record_type
    record["schema_version"] = SCHEMA_VERSION
    record["extra"] = values.get("extra") or {}
    return record


def participant_id(uid: str | None, url: str | None, name: str | None, anonymous: bool) -> str | None:
    """A person as the site identifies them: user id, else profile URL, else name.

    An anonymous poster is known by name only and never shares an id with a registered user of that name.
    """
    if anonymous:
        return f"anonymous:{name}" if name else None
    if uid:
        return f"user:{uid}"
    if url:
        return f"url:{url}"
    return f"name:{name}" if name else None


def participant_key(site: str | None, pid: str | None) -> str | None:
    """The dataset-wide key: the site and the participant id, so one column joins posts to participants."""
    return None if pid is None else f"{site or '-'}/{pid}"


# Keys engines put in ``extra``: outside the stable contract, but documented, so a reader knows what they hold.
# (record types, engines, meaning); a test fails when an engine writes a key that is not listed here.
EXTRA_KEYS: dict[str, tuple[str, str, str]] = {
    "anonymous": ("post", "all", "The author is an unregistered poster (guest, 'not verified')."),
    "author_homepage": ("post", "drupal", "An anonymous commenter's homepage link."),
    "author_name_displayed": ("post", "drupal", "The author's name as the page truncated it."),
    "vote_widget": ("post", "drupal", "The voting widget: rate, fivestar or vote_up_down."),
    "parent_unknown": ("post", "all", "A reply whose parent is on a comment page that was not captured, or whose "
                                      "named parent would close a loop in the reply tree (damaged markup)."),
    "markup": ("thread", "drupal", "classless: read from a page that lost its classes."),
    "board_url": ("thread", "all", "URL of the board the thread belongs to."),
    "gone_since": ("thread", "all", "Capture time of a 404/410 answer for the thread's URL after it was last "
                   "captured (deleted or hidden since); null time when the answer's date is unknown."),
    "gone_status": ("thread", "all", "The HTTP status of that answer: 404 or 410."),
    "board_path": ("thread", "boards", "The breadcrumb from the forum index to the board, as a list."),
    "locked": ("thread", "boards", "The thread is closed to new replies."),
    "sticky": ("thread", "boards", "The thread is pinned to the top of its board."),
    "views": ("thread", "smf", "View count as the page shows it."),
    "posts_shown": ("thread", "phpbb", "The post count the page prints ('8 posts')."),
    "display_mode": ("thread", "vbulletin, mybb", "threaded or hybrid: the page shows a reply tree."),
    "style": ("thread", "phpbb", "The phpBB version and style that rendered the page."),
    "version": ("thread", "vbulletin", "The vBulletin version (generator meta) or major version."),
    "smf_version": ("thread", "smf", "The SMF version that rendered the page."),
    "xenforo_version": ("thread", "xenforo", "1 or 2: the XenForo major version."),
    "edited": ("post", "boards", "The 'Last edited by ...' note (its text, or its time as printed)."),
    "edited_utc": ("post", "xenforo", "When the post was last edited, UTC."),
    "edited_local": ("post", "xenforo", "When the post was last edited, wall clock without zone."),
    "state": ("post", "xenforo, hackernews, discourse, reddit, invision",
              "deleted, moderated, ignored (XenForo, Invision), deleted, dead or flagged (Hacker News), hidden "
              "or deleted (Discourse), deleted or removed (Reddit): why the post shows as a placeholder or is marked."),
    "score_hidden": ("post", "reddit", "The subreddit hides comment scores ('[score hidden]'): votes is null."),
    "display_name": ("post", "discourse", "The author's full name shown beside the username."),
    "incomplete": ("thread", "hackernews, reddit, discourse", "The page says more comments exist than it holds "
                   "('More', 'load more comments', a Discourse topic JSON whose stream lists more posts)."),
    "story_url": ("post", "hackernews", "The link a story submits (the opening post's title link)."),
    "deletion_note": ("post", "xenforo", "The moderator's deletion note."),
    "deleted_note": ("post", "phpbb, invision", "The 'Deleted by ...' note of a soft-deleted post."),
    "unapproved": ("post", "smf, wordpress", "The post awaits moderation (shown to its author)."),
    "ping": ("post", "wordpress", "pingback or trackback: a link from another site, listed among the comments."),
    "by_post_author": ("post", "wordpress", "The comment is by the author of the post (bypostauthor)."),
    "karma_raw": ("post", "smf", "The author's karma as printed ('+7/-1')."),
    "reaction_kinds": ("post", "xenforo", "Reactions shown, by kind."),
    "reaction_score": ("post", "xenforo", "XenForo's weighted reaction score from its microdata."),
    "accepted": ("post", "generic, stackexchange", "The accepted answer of a question."),
    "community_wiki": ("post", "stackexchange", "A community wiki post: many revisions, no single owner."),
    "comments_not_shown": ("post", "stackexchange", "On the last comment shown under a post: how many more comments "
                           "the page did not include ('show N more comments')."),
    "schema_type": ("post", "generic", "The schema.org type the post was read from."),
    "generic_stage": ("thread", "generic", "json-ld, microdata, rdfa, microformats or structure."),
    "confidence": ("thread", "generic", "How sure the generic reading is, 0 to 1."),
}
