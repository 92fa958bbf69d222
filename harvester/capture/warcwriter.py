"""WARC/1.1 files: one gzip member per record, warcinfo first, ``.open`` while written, rolled at a size limit.

Records are serialised here rather than with warcio's writer so that offsets, lengths and digests are known
exactly when a record is written (the state and the dedup store point at them) and so revisits carry
WARC-Refers-To and WARC-Truncated, which warcio's helper leaves out.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import socket
import time
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass

WARC_VERSION = "WARC/1.1"
PROFILE_IDENTICAL = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
PROFILE_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
CONFORMS_TO = "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"
OPEN_SUFFIX = ".open"


def sha1_b32(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def warc_date(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def new_id() -> str:
    return f"<urn:uuid:{uuid.uuid4()}>"


@dataclass
class Written:
    """Where a record landed."""

    record_id: str
    filename: str
    offset: int
    end: int  # offset just past the record's gzip member
    date: str


def sha1_b32_parts(*parts) -> str:
    h = hashlib.sha1()
    for part in parts:
        h.update(part)
    return "sha1:" + base64.b32encode(h.digest()).decode("ascii")


def record_head(headers: list[tuple[str, str]], length: int) -> bytes:
    head = [WARC_VERSION] + [f"{k}: {v}" for k, v in headers] + [f"Content-Length: {length}"]
    return ("\r\n".join(head) + "\r\n\r\n").encode("utf-8")


def write_gzip_member(fh, parts) -> None:
    """One gzip member of ``parts`` written as it is compressed, a MB at a time: a large response is never
    copied whole into a record or a compressed buffer."""
    comp = zlib.compressobj(6, zlib.DEFLATED, 31)
    for part in parts:
        view = memoryview(part)
        for start in range(0, len(view), 1 << 20):
            fh.write(comp.compress(view[start:start + (1 << 20)]))
    fh.write(comp.flush())


class WarcWriter:
    """Writes record groups into rolling files; ``on_close(filename)`` fires after each rename."""

    def __init__(self, directory: str, prefix: str, max_bytes: int, warcinfo: dict[str, str],
                 on_close: Callable[[str], None] = lambda name: None, clock: Callable[[], float] = time.time):
        self.directory = directory
        self.prefix = re.sub(r"[^A-Za-z0-9._]+", "_", prefix) or "harvester"
        self.max_bytes = max_bytes
        self.warcinfo = warcinfo
        self.on_close = on_close
        self.clock = clock
        self.host = re.sub(r"[^A-Za-z0-9.]+", "_", socket.gethostname()) or "localhost"
        self.serial = 0
        self.fh = None
        self.filename: str | None = None
        self.warcinfo_id: str | None = None
        # (offset, end) of each response and revisit record, per file this writer made: the CDXJ index reads
        # only their headers instead of decompressing every file again
        self.indexable: dict[str, list[tuple[int, int]]] = {}

    # -- files -------------------------------------------------------------------------------------
    def _open(self) -> None:
        while True:
            stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime(self.clock()))
            name = f"{self.prefix}-{stamp}-{self.serial:05d}-{self.host}.warc.gz"
            self.serial += 1
            path = os.path.join(self.directory, name)
            if not os.path.exists(path) and not os.path.exists(path + OPEN_SUFFIX):
                break
        self.fh = open(path + OPEN_SUFFIX, "xb")
        self.filename = name
        self.warcinfo_id = new_id()
        fields = {**self.warcinfo, "format": "WARC File Format 1.1", "conformsTo": CONFORMS_TO}
        block = "".join(f"{k}: {v}\r\n" for k, v in fields.items() if v).encode("utf-8")
        self._write([("WARC-Type", "warcinfo"), ("WARC-Record-ID", self.warcinfo_id),
                     ("WARC-Date", warc_date(self.clock())), ("WARC-Filename", name),
                     ("Content-Type", "application/warc-fields"), ("WARC-Block-Digest", sha1_b32(block))], block)

    def close(self) -> None:
        if self.fh is None:
            return
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.fh.close()
        self.fh = None
        path = os.path.join(self.directory, self.filename)
        os.replace(path + OPEN_SUFFIX, path)
        name, self.filename = self.filename, None
        self.on_close(name)

    def begin_group(self) -> None:
        """Call before a record group: rolls over when the file is full, so a group never spans files."""
        if self.fh is not None and self.fh.tell() >= self.max_bytes:
            self.close()
        if self.fh is None:
            self._open()

    def _write(self, headers: list[tuple[str, str]], block: bytes, *more: bytes) -> Written:
        """A record whose block is ``block`` followed by ``more`` (kept apart so they are never joined)."""
        offset = self.fh.tell()
        length = len(block) + sum(len(m) for m in more)
        write_gzip_member(self.fh, [record_head(headers, length), block, *more, b"\r\n\r\n"])
        self.fh.flush()  # a kill -9 then loses at most the record being written
        rid = dict(headers)["WARC-Record-ID"]
        return Written(rid, self.filename, offset, self.fh.tell(), dict(headers)["WARC-Date"])

    # -- records -----------------------------------------------------------------------------------
    def _common(self, rtype: str, uri: str, date: str, rid: str | None = None) -> list[tuple[str, str]]:
        return [("WARC-Type", rtype), ("WARC-Record-ID", rid or new_id()), ("WARC-Date", date),
                ("WARC-Target-URI", uri), ("WARC-Warcinfo-ID", self.warcinfo_id)]

    def response(self, uri: str, date: str, ip: str | None, head: bytes, body: bytes,
                 truncated: str | None = None, rid: str | None = None) -> tuple[Written, str]:
        """A response record holding ``head`` + ``body`` as received; returns (where, payload digest)."""
        payload_digest = sha1_b32(body)
        headers = self._common("response", uri, date, rid)
        if ip:
            headers.append(("WARC-IP-Address", ip))
        headers += [("Content-Type", "application/http;msgtype=response"),
                    ("WARC-Block-Digest", sha1_b32_parts(head, body)), ("WARC-Payload-Digest", payload_digest)]
        if truncated:
            headers.append(("WARC-Truncated", truncated))
        return self._indexed(self._write(headers, head, body)), payload_digest

    def revisit(self, uri: str, date: str, ip: str | None, head: bytes, profile: str, refers_to: dict,
                payload_digest: str | None, rid: str | None = None) -> Written:
        """A revisit record; ``refers_to`` has uri, date and record_id of the original response."""
        headers = self._common("revisit", uri, date, rid)
        if ip:
            headers.append(("WARC-IP-Address", ip))
        headers += [("WARC-Profile", profile), ("WARC-Refers-To-Target-URI", refers_to["uri"]),
                    ("WARC-Refers-To-Date", refers_to["date"]), ("WARC-Refers-To", refers_to["record_id"]),
                    ("Content-Type", "application/http;msgtype=response"), ("WARC-Block-Digest", sha1_b32(head))]
        if payload_digest:
            headers.append(("WARC-Payload-Digest", payload_digest))
        if profile == PROFILE_IDENTICAL:
            headers.append(("WARC-Truncated", "length"))  # the block keeps the headers, not the payload
        return self._indexed(self._write(headers, head))

    def _indexed(self, where: Written) -> Written:
        self.indexable.setdefault(where.filename, []).append((where.offset, where.end))
        return where

    def request(self, uri: str, date: str, raw: bytes, concurrent_to: str) -> Written:
        headers = self._common("request", uri, date) + [
            ("WARC-Concurrent-To", concurrent_to), ("Content-Type", "application/http;msgtype=request"),
            ("WARC-Block-Digest", sha1_b32(raw))]
        return self._write(headers, raw)

    def metadata(self, uri: str, date: str, fields: dict[str, str], concurrent_to: str) -> Written:
        block = "".join(f"{k}: {v}\r\n" for k, v in fields.items()).encode("utf-8")
        headers = self._common("metadata", uri, date) + [
            ("WARC-Concurrent-To", concurrent_to), ("Content-Type", "application/warc-fields"),
            ("WARC-Block-Digest", sha1_b32(block))]
        return self._write(headers, block)


# -- reading back and repair ---------------------------------------------------------------------------
@dataclass
class ScannedRecord:
    offset: int
    end: int
    type: str
    uri: str | None
    record_id: str | None
    date: str | None
    payload_digest: str | None


def scan_members(path: str) -> tuple[list[ScannedRecord], int]:
    """Complete records of a (possibly torn) .warc.gz and the byte length they cover.

    Each gzip member is inflated in a stream (never held whole); a member counts only if its gzip
    stream ends and its WARC record is as long as its Content-Length says.
    """
    records: list[ScannedRecord] = []
    good_end = 0
    with open(path, "rb") as fh:
        data = fh.read(1 << 20)
        base = 0  # file offset of data[0]
        while data:
            d = zlib.decompressobj(31)
            head, out_len, pos, start = b"", 0, 0, base
            try:
                while True:
                    chunk = d.decompress(data[pos:])
                    out_len += len(chunk)
                    if len(head) < 65536:
                        head += chunk[:65536]
                    if d.eof:
                        used = len(data) - len(d.unused_data)
                        data, base = d.unused_data, base + used
                        break
                    more = fh.read(1 << 20)
                    if not more:
                        return records, good_end
                    base += len(data)
                    data, pos = more, 0
            except zlib.error:
                return records, good_end
            rec = _parse_record_head(head, out_len)
            if rec is None:
                return records, good_end
            records.append(ScannedRecord(start, base, *rec))
            good_end = base
            if not data:
                data = fh.read(1 << 20)
    return records, good_end


def _parse_record_head(head: bytes, total: int):
    end = head.find(b"\r\n\r\n")
    if not head.startswith(b"WARC/") or end < 0:
        return None
    fields = {}
    for line in head[:end].decode("utf-8", "replace").split("\r\n")[1:]:
        key, _, value = line.partition(":")
        fields[key.strip().lower()] = value.strip()
    try:
        length = int(fields.get("content-length", ""))
    except ValueError:
        return None
    if total != end + 4 + length + 4:
        return None
    return (fields.get("warc-type", ""), fields.get("warc-target-uri"), fields.get("warc-record-id"),
            fields.get("warc-date"), fields.get("warc-payload-digest"))


def repair(path_open: str) -> tuple[str | None, list[ScannedRecord], int]:
    """Cut a stale ``.open`` file after its last complete record and rename it.

    Returns (final filename or None when nothing was worth keeping, kept records, kept length).
    """
    records, good_end = scan_members(path_open)
    while records and records[-1].type == "request":
        # a request is written before its response: without the response it is cut too
        good_end = records.pop().offset
    if not records or records[0].type != "warcinfo":
        os.remove(path_open)
        return None, [], 0
    with open(path_open, "r+b") as fh:
        fh.truncate(good_end)
        fh.flush()
        os.fsync(fh.fileno())
    final = path_open[: -len(OPEN_SUFFIX)]
    os.replace(path_open, final)
    return os.path.basename(final), records, good_end


def read_record(path: str, offset: int):
    """(http status, headers list, decoded payload) of the response record at ``offset``."""
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as fh:
        fh.seek(offset)
        for record in ArchiveIterator(fh):
            headers = record.http_headers.headers if record.http_headers else []
            status = int(record.http_headers.get_statuscode() or 0) if record.http_headers else 0
            try:
                body = record.content_stream().read()
            except Exception:  # a damaged encoding: parse what the raw stream holds
                body = b""
            return status, headers, body
    raise FileNotFoundError(f"no record at {path}:{offset}")

