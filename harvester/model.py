"""The objects that pass between layers: a Page from a source, a ParsedPage from an engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class InputError(Exception):
    """An input that cannot be read as a page (status ``error`` in captures.jsonl)."""


@dataclass
class Page:
    """One captured HTML page, as raw bytes plus everything known about where it came from."""

    source_file: str
    source_type: str  # html | wayback | warc | live
    body: bytes
    url: str | None = None  # the original page URL, archive prefix removed
    archive_url: str | None = None  # the replay URL, when there is one
    capture_time: str | None = None  # UTC ISO 8601 with Z
    http_charset: str | None = None  # charset from a transport header, if any
    provenance: dict[str, Any] = field(default_factory=dict)  # source-specific extras (WARC offsets, ...)
    notes: list[str] = field(default_factory=list)  # warnings that go into the capture row

    @property
    def size(self) -> int:
        return len(self.body)


@dataclass
class ParsedPage:
    """What an engine returns for one page: records without provenance, plus crawl hints."""

    # None for a page with no discussion (a listing, a front page); only id and url when the engine was asked
    # for crawl hints alone (parse(..., records=False))
    thread: dict[str, Any] | None
    posts: list[dict[str, Any]]
    members: list[dict[str, Any]] = field(default_factory=list)
    page_number: int = 0  # zero-based comment page
    pages_total: int | None = None
    # Links the crawler may follow, classified by the engine: "pages" (other comment pages of this
    # thread), "threads" (thread pages listed here), "listings" (further listing pages).
    links: dict[str, list[str]] = field(default_factory=dict)
    skip_reason: str | None = None  # why a page without a thread holds no records
    # shows some posts of its page, not the page (a single post's JSON): no post is missing for its absence,
    # and it neither completes the thread nor gives the thread's fields
    partial: bool = False
