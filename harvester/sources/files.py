"""Loose files and directories: HTML, .html.gz, "Save Page As" pages, wget mirrors of the Wayback Machine."""

from __future__ import annotations

import hashlib
import os
import re
import stat
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from harvester.document import unwrap_wayback, wayback_timestamp_to_iso
from harvester.model import InputError, Page

HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx", ".jsp"}
NOT_PAGES = {
    ".css", ".js", ".mjs", ".json", ".xml", ".rss", ".atom", ".txt", ".md", ".csv", ".jsonl",
    ".png", ".jpg", ".jpeg", ".gif", ".svg", ".ico", ".webp", ".bmp", ".tif", ".tiff",
    ".woff", ".woff2", ".ttf", ".otf", ".eot", ".pdf", ".zip", ".mp3", ".mp4", ".swf",
    ".cdx", ".cdxj", ".log", ".toml", ".yaml", ".yml",
}
ARCHIVE_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz", ".wacz")
_WAYBACK_PATH = re.compile(r"web\.archive\.org/web/(\d{4,14})([a-z]{2}_)?/(.+)$")
_SNIFF = re.compile(rb"<!doctype html|<html|<head|<body|<!--\s*saved from url", re.I)


MISSING = "no such file or directory"


@dataclass
class Entry:
    """One input found by the walk: a page to read, or an input that failed before reading."""

    path: str
    error: str | None = None


def is_archive(path: str) -> bool:
    return path.lower().endswith(ARCHIVE_SUFFIXES)


def walk(inputs: list[str]) -> Iterator[Entry]:
    """Named files as given; directories recursively, in sorted order, keeping only page-like files.

    Only regular files are read: a FIFO or a device (a link to /dev/zero) would block or never end. In a
    directory, a symbolic link that leads outside it is refused, not followed.
    """
    for given in inputs:
        if _undecodable(given):
            yield _bad_name(given)
        elif os.path.isdir(given):
            yield from _walk_dir(given)
        elif os.path.exists(given) or os.path.islink(given):
            yield Entry(given, _not_regular(given))
        else:
            yield Entry(given, MISSING)


def _undecodable(path: str) -> bool:
    """A name whose bytes are not UTF-8 (Python holds them as lone surrogates, which no table can store)."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _bad_name(path: str) -> Entry:
    shown = os.fsencode(path).decode("utf-8", "backslashreplace")
    return Entry(shown, "file name is not valid UTF-8 (its bytes are shown escaped): not read; rename it to read it")


def _not_regular(path: str) -> str | None:
    """Why a path cannot be read as a file, or None for a regular file (missing ones are the reader's to say)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode):
        return None
    kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "a directory" if stat.S_ISDIR(mode) else "not a file")
    return f"not a regular file: {kind}, not read"


def _walk_dir(top: str) -> Iterator[Entry]:
    failures: list[OSError] = []
    inside = os.path.realpath(top)
    for dirpath, dirnames, filenames in os.walk(top, onerror=failures.append):
        while failures:
            err = failures.pop()
            yield Entry(err.filename or dirpath, f"cannot read directory: {err.strerror or err}")
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not _is_saved_resources(
            dirpath, d, filenames))
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            if _undecodable(path):
                yield _bad_name(path)
                continue
            if os.path.islink(path) and os.path.commonpath(
                    [inside, os.path.realpath(path)]) != inside:
                yield Entry(path, "symbolic link to outside the input folder, not followed")
                continue
            problem = _not_regular(path)
            if problem:
                yield Entry(path, problem)
            elif _is_page_candidate(path):
                yield Entry(path)
    while failures:
        err = failures.pop()
        yield Entry(err.filename or top, f"cannot read directory: {err.strerror or err}")


def _is_saved_resources(dirpath: str, dirname: str, filenames: list[str]) -> bool:
    """The ``NAME_files/`` folder a browser writes beside ``NAME.html`` holds resources, not pages."""
    if not dirname.endswith("_files"):
        return False
    stem = dirname[: -len("_files")]
    return any(f.startswith(stem + ".") for f in filenames)


def _is_page_candidate(path: str) -> bool:
    lower = path.lower()
    if is_archive(lower):
        return True
    if lower.endswith(".gz"):
        lower = lower[:-3]
    suffix = Path(lower).suffix
    if suffix in HTML_SUFFIXES:
        return True
    if suffix == ".json":  # a Discourse topic's or post's JSON is a page of posts; other JSON is not
        return _is_discourse_json(_head(path).lstrip())
    if suffix in NOT_PAGES:
        return False
    try:  # wget mirrors keep names like "node/1417" or "topic?page=1": sniff them
        with open(path, "rb", opener=_open_nonblocking) as fh:
            head = fh.read(2048)
    except OSError:
        return True  # let the reader report it
    if head.startswith(b"\x1f\x8b"):
        return True
    return bool(_SNIFF.search(head))


def _head(path: str) -> bytes:
    try:
        with open(path, "rb", opener=_open_nonblocking) as fh:
            return fh.read(8192)
    except OSError:
        return b""


# as Discourse sends them, or pretty-printed by whoever saved them (jq, json.dump(indent=2))
_TOPIC_JSON = re.compile(rb'\{\s*"post_stream"\s*:\s*\{')
_POST_JSON = re.compile(rb'\{\s*"id"\s*:\s*\d{1,12}\s*,')
_POST_JSON_KEYS = (b'"post_number":', b'"topic_id":', b'"cooked":', b'"avatar_template":')
# or saved with sorted keys (jq -S): the topic known by its first keys, a post by its post keys
_SORTED_JSON = re.compile(rb'\{\s*"(?:accepted_answer|actions_summary)"\s*:')
_SORTED_TOPIC_KEYS = (b'"archetype":', b'"chunk_size":')


def _is_discourse_json(head: bytes) -> bool:
    """/t/slug/ID.json starts with its post stream; /posts/ID.json is one post, known by its keys."""
    if _TOPIC_JSON.match(head):
        return True
    if _SORTED_JSON.match(head) and all(k in head for k in _SORTED_TOPIC_KEYS):
        return True
    return bool(_POST_JSON.match(head) or _SORTED_JSON.match(head)) and all(k in head for k in _POST_JSON_KEYS)


def _open_nonblocking(path: str, flags: int) -> int:
    """Opening a FIFO with no writer blocks forever; non-blocking, it returns at once (no effect on files)."""
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def load(path: str, max_bytes: int) -> tuple[Page, str, int]:
    """Read one file into a Page; returns (page, sha256 of the file, file size)."""
    try:
        with open(path, "rb", opener=_open_nonblocking) as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):  # it became a FIFO or device since the walk
                raise InputError(_not_regular(path) or "not a regular file, not read")
            raw = fh.read(max_bytes + 1) if max_bytes else fh.read()
            if max_bytes and len(raw) > max_bytes:
                size = os.fstat(fh.fileno()).st_size
                raise InputError(f"file is {size / 1e6:.1f} MB, over the page size limit of "
                                 f"{max_bytes / 1e6:.0f} MB (raise it with --max-page-mb)")
    except FileNotFoundError as exc:
        raise InputError("file vanished before it could be read") from exc
    except IsADirectoryError as exc:
        raise InputError("is a directory") from exc
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}") from exc
    digest, size = hashlib.sha256(raw).hexdigest(), len(raw)
    body = _gunzip(raw, max_bytes) if raw.startswith(b"\x1f\x8b") else raw
    page = Page(source_file=path, source_type="html", body=body)
    m = _WAYBACK_PATH.search(Path(path).as_posix())
    if m:
        page.url = unwrap_wayback(f"/web/{m.group(1)}/{m.group(3)}")[0]
        page.archive_url = f"https://web.archive.org/web/{m.group(1)}{m.group(2) or ''}/{page.url}"
        page.capture_time = wayback_timestamp_to_iso(m.group(1))
        if page.capture_time is None:
            page.notes.append(f"capture time unknown (Wayback timestamp {m.group(1)!r} is not a full date)")
        page.source_type = "wayback"
    return page, digest, size


def _gunzip(raw: bytes, max_bytes: int) -> bytes:
    decomp = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = decomp.decompress(raw, max_bytes + 1 if max_bytes else 0)
    except zlib.error as exc:
        raise InputError(f"damaged gzip data: {exc}") from exc
    if max_bytes and len(out) > max_bytes:
        raise InputError(f"page is over the size limit of {max_bytes / 1e6:.0f} MB once decompressed")
    if not decomp.eof:
        raise InputError("truncated gzip file (the compressed stream ends early)")
    return out
