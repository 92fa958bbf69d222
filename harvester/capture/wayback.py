"""The Wayback Machine as a source: list captures through the CDX API, fetch each in its ``id_`` form.

The CDX listing is a probe, not content, so it is not archived (a WARC of the forum should hold the forum).
Each ``id_`` exchange is recorded as it happened with the archive, plus a metadata record naming the original
URL and capture time, which ``extract`` can use to map the page back to the original site.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode, urlsplit

from harvester.document import unwrap_wayback, wayback_timestamp_to_iso

DEFAULT_CDX = "https://web.archive.org/cdx/search/cdx"
DEFAULT_REPLAY = "https://web.archive.org"


def capture_url(replay: str, timestamp: str, original: str) -> str:
    return f"{replay.rstrip('/')}/web/{timestamp}id_/{original}"


def as_capture(url: str, replay: str) -> tuple[str, str] | None:
    """(original URL, 14-digit timestamp) when ``url`` is a capture on the replay host."""
    if urlsplit(url).netloc.lower() != urlsplit(replay).netloc.lower():
        return None
    path = url[len(f"{urlsplit(url).scheme}://{urlsplit(url).netloc}"):]
    original, ts, _mod = unwrap_wayback(path)
    if not ts:
        return None
    return original, ts.ljust(14, "0")


def metadata_fields(original: str, timestamp: str) -> dict[str, str]:
    return {"via": "wayback", "original-url": original, "capture-time": wayback_timestamp_to_iso(timestamp),
            "wayback-timestamp": timestamp}


def cdx_query_url(endpoint: str, pattern: str, start: str | None, end: str | None, resume_key: str | None,
                  limit: int = 5000) -> str:
    params = [("url", pattern), ("output", "json"), ("fl", "timestamp,original,statuscode,mimetype,digest"),
              ("collapse", "digest"), ("filter", "!statuscode:[45].."), ("limit", str(limit)),
              ("showResumeKey", "true")]
    if start:
        params.append(("from", re.sub(r"\D", "", start)))
    if end:
        params.append(("to", re.sub(r"\D", "", end)))
    if resume_key:
        params.append(("resumeKey", resume_key))
    return f"{endpoint}?{urlencode(params)}"


def parse_cdx(body: bytes) -> tuple[list[dict], str | None]:
    """Rows of a JSON CDX answer and its resume key (if the listing continues)."""
    text = body.decode("utf-8", "replace").strip()
    if not text:
        return [], None
    data = json.loads(text)
    if not data:
        return [], None
    header, rows, resume = data[0], [], None
    for i, row in enumerate(data[1:], 1):
        if not row:  # an empty row separates the resume key
            rest = data[i + 1:]
            resume = rest[0][0] if rest and rest[0] else None
            break
        rows.append(dict(zip(header, row, strict=False)))
    return rows, resume
