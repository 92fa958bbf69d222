"""The record contract: field lists, their JSON Schemas, and the provenance every record carries.

``schemas/*.schema.json`` are generated from this module (``harvester schemas``) and a test keeps
them identical, so the code and the published schemas cannot drift apart.
"""

from __future__ import annotations

from functools import cache
from typing import Any

SCHEMA_VERSION = "1.0.0"
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
    "id": _described(STR, "The engine's native id, e.g. node/1417, comment/5012, user/88."),
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
QUOTE = {"type": "object", "additionalProperties": False, "required": ["author", "text"],
         "properties": {"author": OPT_STR, "text": STR, "post_id": OPT_STR}}

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
        "published": _described(OPT_STR, "ISO 8601; UTC with Z when the zone is known, else local time."),
        "published_raw": _described(OPT_STR, "The date exactly as displayed."),
        "published_tz": _described(OPT_STR, "Zone name or UTC offset applied; null when unknown."),
        "body_text": _described(STR, "Clean text; paragraphs separated by blank lines."),
        "body_html": _described(STR, "Inner HTML of the body with links made absolute."),
        "links": _described({"type": "array", "items": LINK}, "Links in the body."),
        "quotes": _described({"type": "array", "items": QUOTE}, "Quoted passages in the body."),
        "votes": _described({"type": ["integer", "null"]},
                           "Vote count (or Vote Up/Down score) as displayed at capture time; null when none shown."),
        "votes_raw": _described(OPT_STR, "The vote text as displayed."),
        "deleted": _described(BOOL, "True when the page shows the post as deleted."),
        "content_hash": _described(STR, "sha256: of body_text; a change between captures is an edit."),
        "first_seen": _described(OPT_TIME, "Earliest capture time showing the post (null when unknown)."),
        "last_seen": _described(OPT_TIME, "Latest capture time showing the post; its values come from there."),
        "captures_seen": _described(INT0, "Page captures that show the post."),
        "missing_since": _described(OPT_TIME, "First later capture of its page that no longer shows the post."),
    },
    "thread": {
        "url": _described(OPT_URL, "Canonical URL of the first page."),
        "title": _described(OPT_STR, "Thread title."),
        "board": _described(OPT_STR, "Board, forum or group the thread belongs to."),
        "author_name": _described(OPT_STR, "Author of the opening post."),
        "created": _described(OPT_STR, "Published time of the opening post (same rules as post.published)."),
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
        "name": _described(OPT_STR, "Display name, untruncated."),
        "url": _described(OPT_URL, "Profile URL."),
        "roles": _described({"type": "array", "uniqueItems": True,
                             "items": {"enum": ["author", "commenter", "member"]}},
                            "author: opened a thread; commenter: wrote a comment; member: shown in a members block."),
        "posts_in_dataset": _described(INT0, "Posts written by this participant in the dataset."),
        "threads_in_dataset": _described(INT0, "Threads this participant posted in."),
        "first_post_time": _described(OPT_STR, "Earliest published time of their posts."),
        "last_post_time": _described(OPT_STR, "Latest published time of their posts."),
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
