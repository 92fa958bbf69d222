"""CDXJ index for pywb / ReplayWeb.page: ``SURT TIMESTAMP {json}`` lines sorted by bytes."""

from __future__ import annotations

import json
import os
import re

import surt as _surt

_MIME_END = re.compile(r"[;\s]")


def surt(url: str) -> str:
    """The key pywb and cdxj-indexer give ``url``: the ``surt`` package's canonical SURT, so a replay tool
    finds the records under the same key it computes for a request (IP hosts, bare queries, ``?q=a/b``)."""
    try:
        return _surt.surt(url)
    except Exception:  # what cdxj-indexer does for a URL surt cannot parse
        return url


INDEXED = ("response", "revisit", "resource")


def _line(record, offset: int, length: int, name: str) -> bytes:
    headers = record.rec_headers
    rtype = record.rec_type
    uri = headers.get_header("WARC-Target-URI")
    date = headers.get_header("WARC-Date") or ""
    entry = {"url": uri}
    if record.http_headers is not None:
        mime = "warc/revisit" if rtype == "revisit" else _MIME_END.split(
            record.http_headers.get_header("Content-Type") or "", 1)[0].strip()
        if mime:
            entry["mime"] = mime
        entry["status"] = record.http_headers.get_statuscode()
    digest = headers.get_header("WARC-Payload-Digest")
    if digest:
        entry["digest"] = digest
    entry.update(length=str(length), offset=str(offset), filename=name)
    stamp = re.sub(r"\D", "", date)[:14]
    return f"{surt(uri)} {stamp} {json.dumps(entry)}".encode()


def index_file(path: str) -> list[bytes]:
    """Lines for the response, revisit and resource records of one WARC, read whole."""
    from warcio.archiveiterator import ArchiveIterator

    name = os.path.basename(path)
    lines = []
    with open(path, "rb") as fh:
        it = ArchiveIterator(fh)
        for record in it:
            if record.rec_type not in INDEXED:
                continue
            offset = it.get_record_offset()
            record.raw_stream.read()
            it.read_to_end(record)
            lines.append(_line(record, offset, it.get_record_length(), name))
    return lines


def index_spans(path: str, spans: list[tuple[int, int]]) -> list[bytes]:
    """Lines for records whose (offset, end) are known, one gzip member each: only their headers are read."""
    from warcio.archiveiterator import ArchiveIterator

    name = os.path.basename(path)
    lines = []
    with open(path, "rb") as fh:
        for offset, end in spans:
            fh.seek(offset)
            # small reads: the headers sit in the member's first few KB; the default block inflates most of it
            record = next(ArchiveIterator(fh, block_size=2048))
            if record.rec_type in INDEXED:
                lines.append(_line(record, offset, end - offset, name))
    return lines


def write_index(warcs: list[str], out_path: str, known: dict[str, list[tuple[int, int]]] | None = None) -> int:
    """Index every WARC; ``known`` gives, per file name, where its indexable records are (files the crawl
    wrote itself), so that only their headers are read."""
    known = known or {}
    lines = []
    for path in warcs:
        spans = known.get(os.path.basename(path))
        lines.extend(index_spans(path, spans) if spans is not None else index_file(path))
    lines.sort()
    tmp = out_path + ".tmp"
    with open(tmp, "wb") as fh:
        for ln in lines:
            fh.write(ln + b"\n")
    os.replace(tmp, out_path)
    return len(lines)
