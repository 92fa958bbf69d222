"""What Spark's executors run: read a unit of input, resolve a revisit, merge a thread, total a site's participants.

Plain functions on plain values, no Spark import: they call the same sources, engines, assemble and records code
as ``harvester extract``, so the two give the same records. Every item carries an ``order``, a tuple that sorts
as the single-machine run would have met it: ``(0, n, 0, 0)`` for the n-th loose file, ``(1, n, start, k)`` for the
k-th item read from the range of archive n that begins at byte ``start``, ``(2, ...)`` for a revisit whose
original comes later in the inputs (the single-machine run resolves those after the last file).
"""

from __future__ import annotations

import contextlib
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from harvester import records
from harvester.assemble import People
from harvester.extract import Job, Options, Summary, _capture_row, _merge_work, _work
from harvester.model import InputError
from harvester.sources import archives, files
from harvester.writers import dumps

LOOSE, ARCHIVE, LATER = 0, 1, 2


@dataclass(frozen=True)
class Unit:
    """One task's input: a loose file, a whole archive, a byte range of a big archive, or a digest pass over one."""

    kind: str  # file | error | archive | range | digest
    index: int  # position among the loose files, or among the archives, in the single-machine order
    path: str
    start: int = 0  # range: where to begin (a record start when exact, else where to look for the next one)
    end: int | None = None  # range: records that start at or after this belong to the next range
    exact: bool = False
    size: int | None = None
    error: str | None = None


@dataclass
class Entry:
    """One result of reading: a capture (parsed page or error), a revisit still to resolve, or an input file."""

    kind: str  # capture | revisit | input
    order: tuple
    dedup: tuple | None = None  # (record id, payload digest): a record read twice counts once, the first time
    keys: tuple = ()  # (kind, key) a revisit may find this page by: 0 record id, 1 URI + date, 2 payload digest
    location: tuple | None = None  # (stream, offset) of this page's record, to read it again for a revisit
    capture: dict | None = None  # the capture record
    status: str | None = None
    problem: str | None = None  # the manifest's "failed" line
    thread: tuple | None = None  # (site, thread id)
    blob: bytes | None = None  # the pickled PageResult
    revisit: tuple | None = None  # (stream, record)
    inventory: dict | None = None


def earlier(a: Entry, b: Entry) -> Entry:
    return a if a.order <= b.order else b


# --- opening inputs: local paths as they are, other URLs through fsspec --------------------------------------


def scheme(path: str) -> str:
    """The URL scheme of an input or output, "" for a local path (a Windows drive letter is not a scheme)."""
    found = urlsplit(path).scheme
    return found if len(found) > 1 else ""


def local_path(path: str) -> str | None:
    """The local file a path or file: URL names, or None for a remote URL."""
    kind = scheme(path)
    if not kind:
        return path
    return urlsplit(path).path if kind == "file" else None


def open_input(path: str):
    """A seekable binary file object for a local path or any URL fsspec knows (hdfs://, s3a://, gs://)."""
    local = local_path(path)
    if local is not None:
        return open(local, "rb")
    try:
        import fsspec
    except ImportError as exc:
        raise OSError(f"reading {scheme(path)}:// inputs on the executors needs fsspec and its driver for "
                      f"that file system (pip install fsspec s3fs, gcsfs, or pyarrow for hdfs)") from exc
    return fsspec.open(path, "rb").open()


@dataclass(frozen=True)
class _Stream(archives._Stream):
    """An archive stream opened through ``open_input``, so a revisit's original can be re-read on any executor."""

    @contextlib.contextmanager
    def open(self):
        if self.member is None and local_path(self.path) is None:
            with open_input(self.path) as fh:
                yield fh
        else:
            with archives._Stream(local_path(self.path) or self.path, self.member).open() as fh:
                yield fh


# --- reading ------------------------------------------------------------------------------------------------


class _Collector(archives._Resolver):
    """Hands every HTML response and revisit on as it is read; deduplication and revisits are Spark's joins."""

    def handle(self, stream, rec):
        if rec.kind in ("page", "revisit"):
            yield (rec.kind, stream, rec)


def read_unit(unit: Unit, options: Options) -> Iterator[Entry]:
    """Every Entry of one unit, pages parsed, in the order the single-machine run meets them."""
    max_bytes = int(options.max_page_mb * 1_000_000)
    if unit.kind == "error":
        yield _captured(Job(unit.path, error=unit.error), (LOOSE, unit.index, 0, 0), options)
    elif unit.kind == "file":
        yield from _read_file(unit, max_bytes, options)
    elif unit.kind == "digest":
        yield from _digest(unit)
    else:
        collector = _Collector(max_bytes)
        try:
            for k, item in enumerate(_archive_items(unit, max_bytes, collector)):
                yield from _archive_entry(item, (ARCHIVE, unit.index, unit.start, k), collector, options)
        finally:
            collector.close()


def _read_file(unit: Unit, max_bytes: int, options: Options) -> Iterator[Entry]:
    order = (LOOSE, unit.index, 0, 0)
    try:
        page, digest, size = files.load(unit.path, max_bytes)
    except InputError as exc:
        yield _captured(Job(unit.path, error=str(exc)), order, options)
        return
    yield Entry("input", order, inventory={"path": unit.path, "sha256": digest, "size": size})
    yield _captured(Job(unit.path, page=page, sha256=digest, size=size), order, options)


def _digest(unit: Unit) -> Iterator[Entry]:
    """SHA-256 of a big archive read in ranges (a digest cannot be put together from the ranges' digests)."""
    import hashlib

    sha, size = hashlib.sha256(), 0
    try:
        with open_input(unit.path) as fh:
            while chunk := fh.read(1 << 20):
                sha.update(chunk)
                size += len(chunk)
    except OSError:
        return  # the ranges report the file as unreadable; the single-machine run lists no such input either
    yield Entry("input", (ARCHIVE, unit.index, 0, 0), inventory={"path": unit.path, "sha256": sha.hexdigest(),
                                                                  "size": size})


def _archive_items(unit: Unit, max_bytes: int, collector: _Collector) -> Iterator:
    local = local_path(unit.path)
    if unit.kind == "archive" and local == unit.path:
        yield from archives._iter_file(unit.path, max_bytes, collector)  # the single-machine reader as it is
        return
    stream = _Stream(unit.path)
    if unit.path.lower().endswith(".wacz"):
        yield archives.ArchiveItem(unit.path, error=f"{unit.path}: WACZ packages are read from local paths only")
        return
    try:
        fh = open_input(unit.path)
    except OSError as exc:
        yield archives.ArchiveItem(unit.path, error=f"{unit.path}: cannot read file: {exc.strerror or exc}")
        return
    with fh:
        whole = unit.kind == "archive"
        reader = archives._HashingReader(fh) if whole else fh
        try:
            size = unit.size if unit.size is not None else fh.seek(0, os.SEEK_END)
            start = unit.start
            if not unit.exact and start > 0:  # a range begins at the first record at or after its start
                start = archives._resync(fh, start, compressed=True)
            yield from archives._iter_stream(stream, reader, size, max_bytes, collector, start, unit.end)
            if whole:
                sha256, size = reader.finish()
        except OSError as exc:
            yield archives.ArchiveItem(unit.path, error=f"{unit.path}: read error: {exc.strerror or exc}")
            return
    if whole:
        yield archives.ArchiveItem(unit.path, inventory={"path": unit.path, "sha256": sha256, "size": size})


def _archive_entry(item, order: tuple, collector: _Collector, options: Options) -> Iterator[Entry]:
    if isinstance(item, archives.ArchiveItem):
        if item.inventory:
            yield Entry("input", (ARCHIVE, order[1], 0, 0), inventory=item.inventory)
        elif item.error:
            yield _captured(Job(item.label, source=item.source, error=item.error), order, options)
        return
    kind, stream, rec = item
    dedup = (rec.record_id, rec.digest or "") if rec.record_id else None
    label = archives.ArchiveItem(stream.path, member=stream.member, offset=rec.offset).label
    if kind == "revisit":
        yield Entry("revisit", order, dedup=dedup, revisit=(stream, rec))
    elif rec.too_big:
        too_big = collector._too_big(stream, rec)
        yield _captured(Job(label, source=too_big.source, error=too_big.error), order, options, dedup=dedup)
    else:
        keys = []
        if rec.record_id:
            keys.append((0, rec.record_id))
        if rec.uri and rec.date:
            keys.append((1, archives._uri_date(rec.uri, rec.date)))
        if rec.digest:
            keys.append((2, rec.digest))
        page = archives._page(stream, rec, rec)
        rec.body = None
        yield _captured(Job(label, page=page, size=page.size), order, options, dedup=dedup, keys=tuple(keys),
                        location=(_Stream(stream.path, stream.member), rec.offset))


def _captured(job: Job, order: tuple, options: Options, **fields) -> Entry:
    """Parse the job's page (if any) exactly as ``harvester extract`` does; the capture record and the page."""
    _job, parsed, capture = _work((job, options, options.timezone, options.engine, None))
    summary = Summary()
    row = _capture_row(summary, job, capture, lambda message: None)
    entry = Entry("capture", order, capture=row, status=row["status"],
                  problem=summary.problems[0] if summary.problems else None, **fields)
    if parsed is not None:
        (site, thread, _record_id, _digest), entry.blob = parsed
        entry.thread = (site, thread)
    return entry


# --- revisits -------------------------------------------------------------------------------------------------


def lookup_keys(entry: Entry) -> list[tuple]:
    """The (kind, key) pairs a revisit looks its original up by, in the order the reader tries them."""
    rec = entry.revisit[1]
    keys = []
    if rec.refers_to:
        keys.append((0, rec.refers_to))
    if rec.refers_to_uri and rec.refers_to_date:
        keys.append((1, archives._uri_date(rec.refers_to_uri, rec.refers_to_date)))
    if rec.digest:
        keys.append((2, rec.digest))
    return keys


def resolve(entry: Entry, found, options: Options) -> Entry:
    """The revisit as the single-machine reader resolves it. ``found``: (kind, (order, location)) of the first
    page under each of its keys. A key met before the revisit wins, in the reader's order of kinds; else the
    revisit waits for the end of the inputs (and its order says so) and takes the first kind found at all."""
    candidates = dict(found or ())
    before = [kind for kind in (0, 1, 2) if kind in candidates and candidates[kind][0] < entry.order]
    order = entry.order if before else (LATER, *entry.order[1:])
    chosen = before[0] if before else min(candidates, default=None)
    stream, rec = entry.revisit
    resolver = archives._Resolver(int(options.max_page_mb * 1_000_000))
    try:
        if chosen is None:
            resolver.pending = [(stream, rec)]
            item = next(resolver.finish())
        else:
            source, offset = candidates[chosen][1]
            resolver.streams = [source]
            item = resolver._resolve(stream, rec, (0, offset))
    finally:
        resolver.close()
    job = (Job(item.label, page=item.page, size=item.page.size) if item.page is not None
           else Job(item.label, source=item.source, error=item.error))
    return _captured(job, order, options, dedup=entry.dedup)


# --- threads and participants -----------------------------------------------------------------------------------


def merge(site: str, pages, all_captures: bool) -> tuple:
    """One thread's (order, pickled page) pairs merged: (first order, (thread line, post lines, authors, members,
    site))."""
    rows = sorted(pages, key=lambda row: row[0])
    first = rows[0][0]
    thread_line, post_lines, _count, authors, members = _merge_work((rows, all_captures, None))
    return first, (thread_line, post_lines, authors, members, site)


def site_partition(key: tuple) -> int:
    """Threads of one site go to one partition (participants are keyed within a site); stable across processes."""
    return zlib.crc32(key[0].encode("utf-8", "surrogatepass"))


def participants(rows: Iterator[tuple]) -> Iterator[tuple]:
    """Participant records of the sites in one partition, its threads met in order as in the single-machine run.

    Each record comes keyed by when that run would have created it: (thread order, n-th new key there).
    """
    site, people, created = None, None, {}
    for (thread_site, order), (authors, members) in rows:
        if people is None or thread_site != site:
            yield from _participant_lines(people, created)
            site, people, created = thread_site, People(), {}
        new = _new_keys(people, authors, members)
        people.add_posts(authors)
        for member, provenance in members:
            people.add_member(member, provenance)
        created.update((key, (order, n)) for n, key in enumerate(new))
    yield from _participant_lines(people, created)


def _new_keys(people: People, authors: list[dict], members: list) -> list[str]:
    """The participant keys this thread adds to ``people``, in the order it adds them (authors, then members)."""
    keys = [g["key"] for g in authors]
    for member, provenance in members:
        pid = records.participant_id(member.get("id"), member.get("url"), member.get("name"), False)
        keys.append(records.participant_key(provenance["site"], pid))
    return [key for key in dict.fromkeys(keys) if key is not None and people.store.get(key) is None]


def _participant_lines(people: People | None, created: dict) -> Iterator[tuple]:
    if people is not None:
        for record in people.records():
            yield created[record["key"]], dumps(record)
