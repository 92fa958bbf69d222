"""Web archives (.warc, .warc.gz, .arc, .arc.gz, .wacz): HTML responses become Pages, damage becomes error items.

Reading is streaming: one record's payload at a time, capped at ``max_bytes``. Revisit records are resolved
through a small index (record id, target URI + date, payload digest -> file and offset) and the original is
re-read from its offset, so no payload is ever kept for later. Where warcio gives up on a damaged file, the
reader scans forward for the next record start (a gzip member, a ``WARC/1.x`` line, an ARC header line) and
carries on from there.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import sqlite3
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import DecompressingBufferedReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.limitreader import LimitReader
from warcio.statusandheaders import StatusAndHeadersParserException

from harvester.document import unwrap_wayback, wayback_timestamp_to_iso
from harvester.model import Page

HTML_TYPES = {"text/html", "application/xhtml+xml"}
OK_STATUSES = {200, 203}
GONE_STATUSES = {404, 410}  # a page captured before that answers these is gone from the site
_GZIP_MAGIC = b"\x1f\x8b\x08"
# A record start in an uncompressed file: a WARC version line, or an ARC v1 header line
# (URL IP-address 14-digit-date content-type length).
_RECORD_START = re.compile(
    rb"[\n\x00](WARC/1\.[01]\r?\n|[a-z][a-z0-9+.-]*://[^ \r\n]+ [^ \r\n]+ \d{14} [^ \r\n]+ \d+\r?\n)", re.I)
_ARC_LINE = re.compile(rb"^[a-z][a-z0-9+.-]*://\S+ \S+ \d{14} \S+ \d+\r?\n", re.I)
_SNIFF = re.compile(rb"<!doctype html|<html|<head|<body", re.I)
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([^\"';\s]+)", re.I)
_SINGLE_GZIP = ("the file is one gzip stream holding many records (a whole WARC gzipped at once), which cannot "
                "be read by record offset; rewrite it with `warcio recompress`")
_SCAN_BLOCK = 1 << 16
_SCAN_OVERLAP = 8192  # longest record-start line the scanner can find across a block boundary
_READ_BLOCK = 1 << 16
# Errors warcio (or zlib under it) raises on bytes that are not a readable record.
_DAMAGE = (ArchiveLoadFailed, StatusAndHeadersParserException, zlib.error, EOFError, ValueError, UnicodeError)


@dataclass
class ArchiveItem:
    """One result of reading an archive: a page, an error, or (last for each file) the file's inventory entry."""

    source: str  # the archive path as given
    page: Page | None = None
    error: str | None = None  # names the file and offset, says why, and where reading resumed
    offset: int | None = None  # record offset in the WARC (the member inside a .wacz)
    member: str | None = None  # the WARC inside a .wacz this item comes from
    # For a resolved revisit: where the payload was read ("file@offset"); the page carries the revisit's own
    # capture time and record id/offset.
    payload_from: str | None = None
    inventory: dict | None = None  # {"path", "sha256", "size"} of the input file; only on the file's last item
    # For a revisit whose original is not in the inputs: the revisit as a Page without payload, its
    # provenance naming what it refers to ("refers_to" record id, the payload digest), so that a caller
    # holding the original from an earlier run can resolve it.
    unresolved: Page | None = None
    # A 404 or 410 response: (URL, capture time, status), so a thread last seen before it is marked gone.
    gone: tuple[str, str | None, int] | None = None

    @property
    def label(self) -> str:
        """A name for the captures row: ``path[#member][@offset]``."""
        name = f"{self.source}#{self.member}" if self.member else self.source
        return name if self.offset is None else f"{name}@{self.offset}"


def iter_archive(path: str, max_bytes: int) -> Iterator[ArchiveItem]:
    """Read one archive; revisits resolve only against records in the same file."""
    return iter_archives([path], max_bytes)


def iter_archives(paths: list[str], max_bytes: int) -> Iterator[ArchiveItem]:
    """Read several archives as one collection, so a revisit in one file resolves to a response in another.

    Items come file by file in record order, each file ending with its inventory item; revisits whose
    original comes later in the inputs are yielded after the last file. A record read again (same record id
    and payload digest: a crawl directory holds its WARCs and, in a WACZ, the same WARCs packaged again) is
    yielded once. ``max_bytes`` 0 means no page limit.
    """
    resolver = _Resolver(max_bytes)
    try:
        for path in paths:
            yield from _iter_file(path, max_bytes, resolver)
        yield from resolver.finish()
    finally:
        resolver.close()


# --- streams: a file on disk, or one WARC inside a WACZ -----------------------------------------------------


@dataclass(frozen=True)
class _Stream:
    path: str
    member: str | None = None
    entry: int = -1  # the member's place in the zip directory: two members may share one name

    @property
    def filename(self) -> str:
        base = os.path.basename(self.path)
        return f"{base}#{self.member}" if self.member else base

    @property
    def name(self) -> str:
        return f"{self.path}#{self.member}" if self.member else self.path

    @contextlib.contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        if self.member is None:
            with open(self.path, "rb") as fh:
                yield fh
        else:
            with zipfile.ZipFile(self.path) as zf, _open_member(zf, zf.infolist()[self.entry]) as fh:
                yield fh


class _StoredMember:
    """An uncompressed zip member read straight from the zip file, as a seekable file of its own.

    zipfile's reader checks the CRC only at the member's end, so one flipped byte anywhere made the last read
    fail and lost every record still to come; and it seeks backwards by reading again from the start. The
    member's records carry their own checks (gzip CRCs, lengths, digests): damage is found and skipped there.
    """

    def __init__(self, fh: IO[bytes], start: int, size: int):
        self.fh, self.start, self.size, self.pos = fh, start, size, 0

    def read(self, size: int = -1) -> bytes:
        left = self.size - self.pos
        n = left if size is None or size < 0 else min(size, left)
        if n <= 0:
            return b""
        self.fh.seek(self.start + self.pos)
        data = self.fh.read(n)
        self.pos += len(data)
        return data

    def tell(self) -> int:
        return self.pos

    def seek(self, pos: int, whence: int = 0) -> int:
        base = {0: 0, 1: self.pos, 2: self.size}[whence]
        self.pos = max(0, base + pos)
        return self.pos

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _open_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo):
    """A readable, seekable file of one zip member; stored members bypass zipfile's reader (see above)."""
    if info.flag_bits & 0x1:
        raise _MemberError("encrypted zip member, cannot be read")
    if info.compress_type == zipfile.ZIP_STORED:
        zf.fp.seek(info.header_offset)
        local = zf.fp.read(30)
        if len(local) < 30 or local[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile("bad local file header")
        name_len, extra_len = int.from_bytes(local[26:28], "little"), int.from_bytes(local[28:30], "little")
        return _StoredMember(zf.fp, info.header_offset + 30 + name_len + extra_len, info.compress_size)
    try:
        return zf.open(info)
    except NotImplementedError as exc:  # a compression method zipfile does not have
        raise _MemberError(f"unsupported zip compression ({exc})") from exc


class _MemberError(Exception):
    """A zip member harvester cannot read at all."""


class _HashingReader:
    """Hashes the file's bytes the first time they are read, so the manifest digest needs no second pass.

    Only the contiguous prefix read so far is hashed; ``finish`` reads whatever was never reached (normally
    nothing, since reading and resyncing go through the whole file).
    """

    def __init__(self, fh: IO[bytes]):
        self.fh = fh
        self.sha = hashlib.sha256()
        self.hashed = 0

    def read(self, size: int = -1) -> bytes:
        pos = self.fh.tell()
        data = self.fh.read(size)
        if pos <= self.hashed < pos + len(data):
            self.sha.update(memoryview(data)[self.hashed - pos:])
            self.hashed = pos + len(data)
        return data

    def tell(self) -> int:
        return self.fh.tell()

    def seek(self, pos: int, whence: int = 0) -> int:
        return self.fh.seek(pos, whence)

    def finish(self) -> tuple[str, int]:
        self.fh.seek(self.hashed)
        while self.read(1 << 20):
            pass
        return self.sha.hexdigest(), self.hashed


# --- one record, read -----------------------------------------------------------------------------------------


@dataclass
class _Record:
    """What the reader keeps of one record: headers and, for an HTML response, the payload."""

    offset: int
    length: int
    kind: str  # page | revisit | gone | other
    status: int | None = None
    uri: str | None = None
    date: str | None = None
    record_id: str | None = None
    digest: str | None = None
    charset: str | None = None
    body: bytes | None = None
    too_big: bool = False
    refers_to: str | None = None
    refers_to_uri: str | None = None
    refers_to_date: str | None = None
    notes: list[str] = field(default_factory=list)


class _Damaged(Exception):
    def __init__(self, offset: int, reason: str):
        super().__init__(reason)
        self.offset = offset
        self.reason = reason


MAX_HEADER_LINE = 1 << 20  # a record or HTTP header line longer than this is damage, not a header


class _BoundedLines(DecompressingBufferedReader):
    """warcio's reader with a bound on a line: its readline joins block after block until a newline, so a
    stretch of zeros or any bytes without one (a hole in a damaged file) cost quadratic time and memory
    (50 MB: 35 s, 900 MB). Bounded, such a line is one unreadable header and the resync skips the rest."""

    def readline(self, length=None):
        return super().readline(MAX_HEADER_LINE if length is None or length > MAX_HEADER_LINE else length)


def _iterator(fh) -> ArchiveIterator:
    it = ArchiveIterator(fh)
    it.reader = _BoundedLines(it.fh, block_size=it.reader.block_size)  # nothing has been read yet
    return it


def _quiet():
    # warcio prints warnings about damaged data to stderr; we report the same damage as error items, and a
    # stray line there would also break a progress bar. The swap is process-wide but never spans a yield.
    return contextlib.redirect_stderr(io.StringIO())


def _read_next(it: ArchiveIterator, fh, stream_size: int | None, compressed: bool,
               max_bytes: int) -> _Record | None:
    """The next record from ``it`` (None at the end); raises _Damaged for bytes that are not a whole record."""
    offset = it.offset
    with _quiet():
        try:
            record = next(it)
        except StopIteration:
            _check_tail(fh, it.offset, stream_size, compressed)
            return None
        # Header fields warcio expects but a damaged record lacks surface as attribute or type errors.
        except (*_DAMAGE, AttributeError, TypeError, KeyError, IndexError) as exc:
            raise _Damaged(offset, _describe(exc)) from exc
        offset = it.offset
        try:
            return _read_record(it, record, offset, stream_size, compressed, max_bytes)
        except _DAMAGE as exc:
            raise _Damaged(offset, _describe(exc)) from exc


def _check_tail(fh, end: int, stream_size: int | None, compressed: bool) -> None:
    """warcio ends quietly at a torn last gzip member or a cut header: bytes left over after the last record."""
    if stream_size is None or end >= stream_size:
        return
    fh.seek(end)
    tail = fh.read(min(stream_size - end, 4096))
    if compressed or tail.strip() or stream_size - end > len(tail):
        raise _Damaged(end, f"{stream_size - end} bytes at the end are not a whole record "
                            "(torn gzip member or cut record)")


def _read_record(it, record, offset, stream_size, compressed, max_bytes) -> _Record:
    headers = record.rec_headers
    is_arc = record.format == "arc"
    declared = headers.get_header("length" if is_arc else "Content-Length")
    if declared is None or not declared.strip().isdigit():
        raise _Damaged(offset, f"bad record header: Content-Length is {declared!r}")
    if not compressed and stream_size is not None and offset + int(declared) > stream_size:
        # Reading on would swallow every record after this one, so stop here and resync.
        raise _Damaged(offset, f"record claims {int(declared)} bytes, more than the {stream_size - offset} "
                               f"left in the file")
    rec = _Record(offset=offset, length=0, kind="other")
    if is_arc:
        rec.uri, rec.date = headers.get_header("uri"), headers.get_header("archive-date")
    else:
        rec.uri, rec.date = headers.get_header("WARC-Target-URI"), headers.get_header("WARC-Date")
        rec.record_id = headers.get_header("WARC-Record-ID")
        rec.digest = headers.get_header("WARC-Payload-Digest")
    rec_type = record.rec_type
    http = record.http_headers
    if rec_type == "revisit":
        rec.kind = "revisit" if _revisit_may_be_html(record) else "other"
        rec.refers_to = headers.get_header("WARC-Refers-To")
        rec.refers_to_uri = headers.get_header("WARC-Refers-To-Target-URI")
        rec.refers_to_date = headers.get_header("WARC-Refers-To-Date")
        if http is not None:
            rec.charset = _charset(http.get_header("Content-Type"))
    elif rec_type == "response" and http is not None and _status(http) in OK_STATUSES:
        rec.kind = "page"
        content_type = http.get_header("Content-Type")
    elif rec_type == "resource":
        rec.kind = "page"
        content_type = record.content_type
    elif rec_type == "response" and http is not None and _status(http) in GONE_STATUSES:
        rec.kind, rec.status = "gone", _status(http)
    if rec.kind == "page":
        rec.charset = _charset(content_type)
        if _media_type(content_type) in HTML_TYPES or _topic_json(content_type, rec.uri):
            rec.body, rec.too_big = _read_body(record.content_stream(), max_bytes, sniff=False)
        elif not _media_type(content_type):
            rec.body, rec.too_big = _read_body(record.content_stream(), max_bytes, sniff=True)
        if rec.body is None:
            rec.kind = "other"
    errors_before = it.err_count
    rec.length = it.get_record_length()  # drains the rest of the record
    raw = record.raw_stream
    if isinstance(raw, LimitReader) and raw.limit > 0:
        raise _Damaged(offset, f"truncated record: {raw.limit} of its {int(declared)} bytes are missing "
                               "(torn gzip member, cut file or wrong Content-Length)")
    if it.err_count > errors_before:
        raise _Damaged(offset, "record does not end where its Content-Length says (no blank lines after it)")
    decomp = it.reader.decompressor if it.reader else None
    if compressed and decomp is not None and not decomp.eof:
        if it.next_line:  # the member goes on with another record
            raise _Damaged(offset, _SINGLE_GZIP)
        raise _Damaged(offset, "torn gzip member (the file ends or the data is corrupt before the member's end)")
    return rec


def _read_body(stream, max_bytes: int, sniff: bool) -> tuple[bytes | None, bool]:
    """(payload, over the limit); payload None when sniffing finds no HTML. Never reads past the limit."""
    parts: list[bytes] = []
    total = 0
    while True:
        want = _READ_BLOCK if not max_bytes else min(_READ_BLOCK, max_bytes + 1 - total)
        chunk = stream.read(want)
        if not chunk:
            break
        if sniff and not parts and not _SNIFF.search(chunk[:2048]):
            return None, False
        parts.append(chunk)
        total += len(chunk)
        if max_bytes and total > max_bytes:
            return b"", True
    return b"".join(parts), False


_TOPIC_JSON_URL = re.compile(r"/(?:t/(?:[^/?#]+/)?\d{1,12}(?:/\d{1,7}|/posts)?|posts/\d{1,12})\.json(?:[?#]|$)")


def _topic_json(content_type: str | None, uri: str | None) -> bool:
    """A Discourse topic's JSON (``/t/slug/ID.json``, at a post ``/t/ID/N.json``), its posts (``/t/ID/posts.json``)
    or a post's (``/posts/ID.json``): they hold the reply tree."""
    return _media_type(content_type) == "application/json" and bool(_TOPIC_JSON_URL.search(uri or ""))


def _revisit_may_be_html(record) -> bool:
    """A revisit keeps the response headers: skip it early when they say image, redirect, error."""
    http = record.http_headers
    if http is None:
        return True  # no headers kept: only the original can tell
    media = _media_type(http.get_header("Content-Type"))
    if media and media not in HTML_TYPES:
        return False
    status = _status(http)
    return status in OK_STATUSES or status == 304 or status is None


def _status(http) -> int | None:
    code = http.get_statuscode()
    return int(code) if code and code.isdigit() else None


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _charset(content_type: str | None) -> str | None:
    m = _CHARSET.search(content_type or "")
    return m.group(1) if m else None


def _describe(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    if "non-chunked gzip" in text:  # warcio's long explanation of the same thing
        return _SINGLE_GZIP
    if len(text) > 160:
        text = text[:160] + "..."
    return f"unreadable record ({type(exc).__name__}: {text})" if text else f"unreadable record ({type(exc).__name__})"


def _iso_utc(value: str | None) -> str | None:
    """WARC-Date (ISO 8601, any offset, optional fraction) or ARC's 14-digit date, as UTC ``...Z``."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return wayback_timestamp_to_iso(value[:14])
    try:
        parsed = datetime.fromisoformat(value.replace("z", "Z"))
        if parsed.tzinfo is None:  # the WARC spec says UTC
            parsed = parsed.replace(tzinfo=UTC)
        parsed = parsed.astimezone(UTC)
    except (ValueError, OverflowError):  # 9999-99-99, or year 1 at +01:00 (before the calendar starts)
        return None
    return f"{parsed.year:04d}" + parsed.strftime("-%m-%dT%H:%M:%SZ")


# --- a file: iterate, and resync after damage ----------------------------------------------------------------


def _iter_file(path: str, max_bytes: int, resolver: _Resolver) -> Iterator[ArchiveItem]:
    if path.lower().endswith(".wacz"):
        yield from _iter_wacz(path, max_bytes, resolver)
        return
    try:
        fh = open(path, "rb")
    except OSError as exc:
        yield ArchiveItem(path, error=f"{path}: cannot read file: {exc.strerror or exc}")
        return
    with fh:
        reader = _HashingReader(fh)
        stream = _Stream(path)
        try:
            size = os.fstat(fh.fileno()).st_size
            yield from _iter_stream(stream, reader, size, max_bytes, resolver)
            sha256, size = reader.finish()
        except OSError as exc:
            yield ArchiveItem(path, error=f"{path}: read error: {exc.strerror or exc}")
            return
    yield ArchiveItem(path, inventory={"path": path, "sha256": sha256, "size": size})


def _iter_wacz(path: str, max_bytes: int, resolver: _Resolver) -> Iterator[ArchiveItem]:
    # The WARCs are read member by member straight from the zip; the manifest digest of the .wacz itself
    # takes one extra sequential pass, since zip reading jumps around the file.
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            members = sorted((info.filename, i) for i, info in enumerate(infos)
                             if info.filename.startswith("archive/") and _is_archive_name(info.filename))
            names = [name for name, _ in members]
            if not members:
                yield ArchiveItem(path, error=f"{path}: WACZ holds no WARC files under archive/")
            for name, i in members:
                # two members with one name are both read; the second is named by its place in the zip
                member = name if names.count(name) == 1 or names.index(name) == members.index((name, i)) \
                    else f"{name} (zip entry {i + 1})"
                stream = _Stream(path, member, i)
                try:
                    with _open_member(zf, infos[i]) as fh:
                        yield from _iter_stream(stream, fh, infos[i].file_size, max_bytes, resolver)
                except (zipfile.BadZipFile, zlib.error, EOFError, _MemberError) as exc:  # zip-level damage
                    yield ArchiveItem(path, member=member, error=f"{stream.name}: damaged zip member: {exc}")
        sha = hashlib.sha256()
        size = 0
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                sha.update(chunk)
                size += len(chunk)
    except (OSError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        yield ArchiveItem(path, error=f"{path}: cannot read WACZ: {exc}")
        return
    yield ArchiveItem(path, inventory={"path": path, "sha256": sha.hexdigest(), "size": size})


def _is_archive_name(name: str) -> bool:
    return name.lower().endswith((".warc", ".warc.gz", ".arc", ".arc.gz"))


def _is_compressed(fh, name: str) -> bool:
    fh.seek(0)
    head = fh.read(2)
    fh.seek(0)
    return head == b"\x1f\x8b" or name.lower().endswith(".gz")


def _iter_stream(stream: _Stream, fh, size: int | None, max_bytes: int,
                 resolver: _Resolver, start: int | None = 0, end: int | None = None) -> Iterator[ArchiveItem]:
    """Every item of one WARC/ARC stream, restarting warcio after each damaged stretch.

    With ``end``, only the records that start before it (a range of a big file read on its own, ``start``
    being a record start): the next range goes on from the first record at or after ``end``.
    """
    compressed = _is_compressed(fh, stream.name)
    while start is not None and (end is None or start < end):
        fh.seek(start)
        it = _iterator(fh)
        attempt, start = start, None
        while True:
            try:
                rec = _read_next(it, fh, size, compressed, max_bytes)
            except _Damaged as damage:
                # warcio's offsets go wrong inside some damage (even negative); never resume at or before the
                # place this attempt began, so every resync moves forward and the loop ends.
                offset = max(damage.offset, attempt)
                if end is not None and offset >= end:
                    break
                start = _resync(fh, offset + 1, compressed)
                where = f"resumed at offset {start}" if start is not None else "no readable record after it"
                yield ArchiveItem(stream.path, member=stream.member, offset=offset,
                                  error=f"{stream.name}: damaged at offset {offset}: {damage.reason}; {where}")
                break
            if rec is None or (end is not None and rec.offset >= end):
                break
            yield from resolver.handle(stream, rec)


def _resync(fh, start: int, compressed: bool) -> int | None:
    """Offset of the next plausible record start at or after ``start``, or None."""
    pos = max(start - 1, 0)  # include the byte before, which may be the newline a record start follows
    tail = b""
    tried = start - 1
    pattern = re.compile(re.escape(_GZIP_MAGIC)) if compressed else _RECORD_START
    fh.seek(pos)
    while True:
        chunk = fh.read(_SCAN_BLOCK)
        if not chunk:
            return None
        buf = tail + chunk
        base = pos - len(tail)
        pos += len(chunk)
        for m in pattern.finditer(buf):
            found = base + (m.start(1) if pattern.groups else m.start())
            if found <= tried:
                continue
            tried = found
            if not compressed or _gzip_member_starts_record(fh, found):
                return found
        fh.seek(pos)
        tail = buf[-_SCAN_OVERLAP:]


def _gzip_member_starts_record(fh, offset: int) -> bool:
    """Whether a gzip member starts at ``offset`` and begins with a WARC or ARC record header."""
    fh.seek(offset)
    try:
        head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(fh.read(4096), 256)
    except zlib.error:
        return False
    return head.startswith(b"WARC/") or bool(_ARC_LINE.match(head))


# --- pages and revisits ---------------------------------------------------------------------------------------


class _Locations:
    """Where each HTML response is (stream number, offset), under its record id, its URI and date, and its
    payload digest; the first one wins. Also which (record id, digest) pairs were read already.

    On disk, in a private temporary SQLite database that goes when it is closed: a collection of millions
    of records would otherwise hold hundreds of MB of keys in memory.
    """

    BY_ID, BY_URI_DATE, BY_DIGEST = 0, 1, 2

    def __init__(self):
        self.db = sqlite3.connect("")  # "": a temporary on-disk database, deleted on close
        self.db.executescript("""
            CREATE TABLE loc (kind INTEGER, key TEXT, stream INTEGER, offset INTEGER, PRIMARY KEY (kind, key))
                WITHOUT ROWID;
            CREATE TABLE seen (id TEXT, digest TEXT, PRIMARY KEY (id, digest)) WITHOUT ROWID;
        """)

    def add(self, kind: int, key: str, loc: tuple[int, int]) -> None:
        self.db.execute("INSERT OR IGNORE INTO loc VALUES (?, ?, ?, ?)", (kind, key, *loc))

    def get(self, kind: int, key: str) -> tuple[int, int] | None:
        row = self.db.execute("SELECT stream, offset FROM loc WHERE kind = ? AND key = ?", (kind, key)).fetchone()
        return (row[0], row[1]) if row else None

    def first_reading(self, record_id: str, digest: str | None) -> bool:
        """False when this record (same id, same payload digest) was read already."""
        return self.db.execute("INSERT OR IGNORE INTO seen VALUES (?, ?)", (record_id, digest or "")).rowcount == 1

    def close(self) -> None:
        self.db.close()


class _Resolver:
    """Turns records into items; remembers where each HTML response was, to resolve revisits by offset."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.streams: list[_Stream] = []  # index values refer to streams by position, to keep entries small
        self.stream_ids: dict[_Stream, int] = {}
        self.locations = _Locations()
        self.pending: list[tuple[_Stream, _Record]] = []

    def close(self) -> None:
        self.locations.close()

    def handle(self, stream: _Stream, rec: _Record) -> Iterator[ArchiveItem]:
        if rec.kind in ("page", "revisit") and rec.record_id and not self.locations.first_reading(rec.record_id,
                                                                                                  rec.digest):
            return
        if rec.kind == "page":
            if rec.too_big:
                yield self._too_big(stream, rec)
                return
            self._remember(stream, rec)
            yield ArchiveItem(stream.path, member=stream.member, offset=rec.offset, page=_page(stream, rec, rec))
        elif rec.kind == "gone" and rec.uri:
            yield ArchiveItem(stream.path, member=stream.member, offset=rec.offset,
                              gone=(rec.uri, _iso_utc(rec.date), rec.status))
        elif rec.kind == "revisit":
            loc = self._lookup(rec)
            if loc is None:
                self.pending.append((stream, rec))  # the original may come later in the inputs
            else:
                yield self._resolve(stream, rec, loc)

    def finish(self) -> Iterator[ArchiveItem]:
        for stream, rec in self.pending:
            loc = self._lookup(rec)
            if loc is None:
                unresolved = _page(stream, rec, rec)
                unresolved.provenance["refers_to"] = rec.refers_to
                yield ArchiveItem(stream.path, member=stream.member, offset=rec.offset, unresolved=unresolved, error=(
                    f"{stream.name}: revisit at offset {rec.offset} ({rec.uri}) refers to a response not found in "
                    f"the inputs (WARC-Refers-To {rec.refers_to}, {rec.refers_to_uri} at {rec.refers_to_date}, "
                    f"digest {rec.digest})"))
            else:
                yield self._resolve(stream, rec, loc)
        self.pending = []

    def _remember(self, stream: _Stream, rec: _Record) -> None:
        sid = self.stream_ids.setdefault(stream, len(self.streams))
        if sid == len(self.streams):
            self.streams.append(stream)
        loc, index = (sid, rec.offset), self.locations
        if rec.record_id:
            index.add(index.BY_ID, rec.record_id, loc)
        if rec.uri and rec.date:
            index.add(index.BY_URI_DATE, _uri_date(rec.uri, rec.date), loc)
        if rec.digest:
            index.add(index.BY_DIGEST, rec.digest, loc)

    def _lookup(self, rec: _Record) -> tuple[int, int] | None:
        index = self.locations
        found = index.get(index.BY_ID, rec.refers_to) if rec.refers_to else None
        if found is None and rec.refers_to_uri and rec.refers_to_date:
            found = index.get(index.BY_URI_DATE, _uri_date(rec.refers_to_uri, rec.refers_to_date))
        if found is None and rec.digest:
            found = index.get(index.BY_DIGEST, rec.digest)
        return found

    def _resolve(self, stream: _Stream, rec: _Record, loc: tuple[int, int]) -> ArchiveItem:
        source, offset = self.streams[loc[0]], loc[1]
        where = f"{source.name}@{offset}"
        item = ArchiveItem(stream.path, member=stream.member, offset=rec.offset, payload_from=where)
        try:
            with source.open() as fh:
                fh.seek(offset)
                original = _read_next(_iterator(fh), fh, None, False, self.max_bytes)
        except (OSError, zipfile.BadZipFile, _Damaged, _MemberError, zlib.error, EOFError) as exc:
            item.error = f"{stream.name}: revisit at offset {rec.offset}: cannot re-read its original at {where}: {exc}"
            return item
        if original is None or original.kind != "page":
            item.error = f"{stream.name}: revisit at offset {rec.offset}: no HTML response at {where}"
        elif original.too_big:
            return self._too_big(stream, rec)
        else:
            item.page = _page(stream, rec, original)
            item.page.notes.append(f"revisit: payload read from {where}")
        return item

    def _too_big(self, stream: _Stream, rec: _Record) -> ArchiveItem:
        return ArchiveItem(stream.path, member=stream.member, offset=rec.offset, error=(
            f"{stream.name}: HTML response at offset {rec.offset} ({rec.uri}) is over the page size limit of "
            f"{self.max_bytes / 1e6:.0f} MB (raise it with --max-page-mb)"))


def _uri_date(uri: str, date: str) -> str:
    return f"{uri}\n{_iso_utc(date) or date}"  # a line break cannot occur in a header value


def _page(stream: _Stream, rec: _Record, payload: _Record) -> Page:
    """A Page with ``rec``'s identity and capture time and ``payload``'s bytes (the same record unless a revisit)."""
    page = Page(source_file=stream.path, source_type="warc", body=payload.body or b"", url=rec.uri,
                capture_time=_iso_utc(rec.date), http_charset=payload.charset or rec.charset)
    if rec.uri:
        original, timestamp, _modifier = unwrap_wayback(rec.uri)
        if timestamp:
            page.url, page.archive_url = original, rec.uri
            page.capture_time = wayback_timestamp_to_iso(timestamp) or page.capture_time
    if rec.date and page.capture_time is None:
        page.notes.append(f"unreadable WARC-Date {rec.date!r}")
    page.provenance = {
        "warc_filename": stream.filename,
        "warc_record_id": rec.record_id,
        "warc_record_offset": rec.offset,
        "warc_record_length": rec.length,
        "warc_payload_digest": rec.digest,
    }
    return page
