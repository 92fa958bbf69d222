"""The extract job: inputs -> pages -> engine records -> dataset directory.

Pages are parsed one at a time (in worker processes with ``--jobs``); each parsed page is spilled to a
temporary SQLite file keyed by thread, so memory stays flat however many pages there are (with ``--jobs``,
each worker keeps the pages it parsed in a shard of its own and the spill says where). Threads are then
merged one at a time and streamed to the dataset writer.
"""

from __future__ import annotations

import os
import re
import sqlite3
import sys
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path

import orjson

from harvester import __version__, engines, records
from harvester.assemble import PageResult, People, author_facts, merge_thread
from harvester.dates import get_zone
from harvester.document import Document
from harvester.model import InputError, Page, ParsedPage
from harvester.sources import files
from harvester.writers import DatasetWriter, dumps

WARC_FIELDS = ("warc_filename", "warc_record_id", "warc_record_offset", "warc_record_length", "warc_payload_digest")


@dataclass
class Options:
    engine: str | None = None  # force an engine instead of detecting it
    timezone: str | None = None  # the site's zone, for dates printed without an offset
    site_url: str | None = None  # the original site, for pages saved without any URL
    max_page_mb: float = 16.0  # real discussion pages stay well under; a bigger one is refused, not parsed
    all_captures: bool = False  # one post row per observation instead of one per post
    jobs: int = 1  # worker processes for parsing
    # A persistent store of parsed pages (scheduled jobs): inputs already in it are not parsed again, and
    # the dataset is written from everything it holds.
    page_store: str | None = None
    progress: bool = False
    # The data package's title, description, licences, citation ... (harvester.package.METADATA)
    metadata: dict | None = None


@dataclass
class Summary:
    ok: int = 0
    skipped: int = 0
    failed: int = 0
    threads: int = 0
    posts: int = 0
    participants: int = 0
    problems: list[str] = field(default_factory=list)
    written: bool = True  # False: no page could be read, and whatever was at the output is left as it was

    def line(self, output: str) -> str:
        return (f"{self.ok + self.skipped + self.failed} pages: {self.ok} ok, {self.skipped} skipped, "
                f"{self.failed} failed; {self.threads} threads, {self.posts} posts, "
                f"{self.participants} participants -> {output}")


@dataclass
class Job:
    """One unit of work: a page to parse, or an input that already failed."""

    label: str
    source: str = ""  # the input file (an archive's path for its records); the label by default
    page: Page | None = None
    earlier: bytes | None = None  # a revisit resolved from the page store: the original's parsed page
    error: str | None = None
    sha256: str | None = None
    size: int | None = None


class NoInputs(ValueError):
    """The inputs named no page at all (an empty or unmounted folder): a usage error, nothing is written."""


def provenance(page: Page, engine, site: str | None = None) -> dict:
    prov = {
        "site": site,
        "source_url": page.url,
        "source_type": page.source_type,
        "source_file": page.source_file,
        "capture_time": page.capture_time,
        "archive_url": page.archive_url,
        "parser_name": engine.NAME if engine else None,
        "parser_version": engine.VERSION if engine else None,
        "harvester_version": __version__,
    }
    for key in WARC_FIELDS:
        prov[key] = page.provenance.get(key)
    return prov


def iter_jobs(inputs: list[str], max_bytes: int, record_input: Callable[[dict], None],
             done: frozenset[str] = frozenset(), earlier=None,
             record_gone: Callable[[tuple], None] = lambda gone: None) -> Iterator[Job]:
    """Every input page as a Job; web archives are read last, as one collection, so revisits resolve.

    Inputs named in ``done`` were extracted before: archives among them are still read (a revisit may refer
    to them) but yield nothing. ``earlier(page)`` may resolve a revisit whose original is in none of the
    inputs, from pages parsed in an earlier run.
    """
    archives = []
    for entry in files.walk(inputs):
        if entry.path in done and not files.is_archive(entry.path):
            continue
        if entry.error:
            yield Job(entry.path, error=entry.error)
        elif files.is_archive(entry.path):
            archives.append(entry.path)
        else:
            try:
                page, digest, size = files.load(entry.path, max_bytes)
            except InputError as exc:
                yield Job(entry.path, error=str(exc))
                continue
            record_input({"path": entry.path, "sha256": digest, "size": size})
            yield Job(entry.path, page=page, sha256=digest, size=size)
    if archives:
        from harvester.sources.archives import iter_archives

        for item in iter_archives(archives, max_bytes):
            if item.source in done:
                continue
            if item.inventory:
                record_input(item.inventory)
            if item.gone:
                record_gone(item.gone)
                continue
            if item.page is not None:
                yield Job(item.label, page=item.page, size=item.page.size)
            elif item.error:
                original = earlier(item.unresolved) if earlier and item.unresolved is not None else None
                if original is not None:
                    yield Job(item.label, page=item.unresolved, earlier=original)
                else:
                    yield Job(item.label, source=item.source, error=item.error)


def process_page(page: Page, options: Options, zone, forced_name: str | None) -> tuple[PageResult | None, dict]:
    """Parse one page: (result or None, capture row values). Never raises for bad input."""
    engine = engines.by_name(forced_name) if forced_name else None
    capture: dict = {"posts_found": 0}
    doc = parsed = None
    try:
        doc = Document(page, options.site_url, int(options.max_page_mb * 1_000_000))
        capture["encoding"] = doc.encoding
        engine = engine or engines.detect(doc)
        if engine is None:
            capture.update(status="skipped",
                           reason=f"not a forum page any engine recognises ({engines.why_not(doc)})")
        else:
            parsed = engine.parse(doc, zone=zone, links=False)
    except InputError as exc:
        capture.update(status="error", reason=str(exc))
    except Exception as exc:  # an engine bug must not end the batch; the row says what happened
        name = engine.NAME if engine else "document"
        capture.update(status="error", reason=f"{name} failed: {type(exc).__name__}: {exc}")
    prov = provenance(page, engine, doc.site if doc is not None else None)
    capture["_provenance"] = prov
    capture["_notes"] = list(page.notes)
    if parsed is None:
        return None, capture
    if parsed.thread is None:
        capture.update(status="skipped", reason=parsed.skip_reason)
        return None, capture
    capture.update(status="ok", posts_found=len(parsed.posts), thread_id=parsed.thread["id"],
                   page_number=parsed.page_number)
    return PageResult(parsed=parsed, provenance=prov, order=0), capture


def _work(args):
    """Parse one job; the parsed page comes back already serialised, ready for the spill, so the main
    process (the serial part of a --jobs run) neither decodes nor encodes it again.

    With a shard directory (a --jobs run's temporary spill), the worker stores it in its own shard
    file and sends back only where it is: the main process never holds it. Those 50-500 KB buffers, passed
    through the main process, fragmented its heap (it grew ~14 MB per 100,000 pages).
    """
    job, options, zone_name, forced_name, shard_dir = args
    if job.page is None:
        return job, None, None
    if job.earlier is not None:
        result, capture = _revisit_of(job.page, job.earlier)
    else:
        result, capture = process_page(job.page, options, get_zone(zone_name), forced_name)
    job.page = None  # nothing else needs the page: do not send it back
    if result is None:
        return job, None, capture
    try:
        blob = dump_page(result)
    except TypeError:  # a lone surrogate ("\ud800" in a page's JSON decodes to one): UTF-8 cannot hold it
        vars(result.parsed).update(valid_unicode(vars(result.parsed)))
        result.provenance = valid_unicode(result.provenance)
        capture.update(thread_id=result.parsed.thread["id"])
        capture["_notes"].append("lone surrogates (invalid Unicode escapes in the page's JSON) read as U+FFFD")
        blob = dump_page(result)
    key = (result.provenance["site"] or "", result.parsed.thread["id"], result.provenance["warc_record_id"],
           result.provenance["warc_payload_digest"])
    return job, (key, _Shard.store(shard_dir, blob) if shard_dir else blob), capture


_SURROGATE = re.compile("[\ud800-\udfff]")


def valid_unicode(value):
    """``value`` with each lone surrogate as U+FFFD (json.loads joins a valid pair into one character, so any
    surrogate left in a string is lone); dicts, lists and strings are rebuilt, other values kept."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {valid_unicode(k): valid_unicode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [valid_unicode(v) for v in value]
    return value


def _revisit_of(page: Page, original: bytes) -> tuple[PageResult, dict]:
    """The original's parsed page, as captured again by the revisit: the revisit's time and record."""
    result = load_page(original)
    prov = dict(result.provenance)
    prov.update(source_file=page.source_file, source_type=page.source_type, capture_time=page.capture_time,
                archive_url=page.archive_url, **{k: page.provenance.get(k) for k in WARC_FIELDS})
    result.provenance = prov
    capture = {"status": "ok", "posts_found": len(result.parsed.posts), "thread_id": result.parsed.thread["id"],
               "page_number": result.parsed.page_number, "_provenance": prov,
               "_notes": ["revisit: the unchanged page was parsed in an earlier run"]}
    return result, capture


def _ordered_map(fn, tasks, pool, window: int, batch: int = 1):
    """fn over tasks, results in task order; in this process without a pool.

    Workers take ``batch`` tasks at a time (each hand-over costs the main process, the serial part). At
    most ``window`` batches in flight keeps memory flat: the producer never runs far ahead of the workers.
    """
    if pool is None:
        yield from map(fn, tasks)
        return
    pending = []
    tasks = iter(tasks)
    while chunk := list(islice(tasks, batch)):
        pending.append(pool.submit(_apply_all, fn, chunk))
        if len(pending) >= window:
            yield from pending.pop(0).result()
    for future in pending:
        yield from future.result()


PAGE_BATCH = 4  # pages per worker task; with two batches per worker in flight, 8 pages per worker at most


def _apply_all(fn, chunk: list) -> list:
    return [fn(task) for task in chunk]


def _merge_work(args):
    """Merge one thread's pages and serialise its records: the thread's line, its posts' lines (or the file
    they were written to), their count, and its authors summarised, for participants. What comes back to the
    main process, the serial part of a --jobs run, is small."""
    rows, all_captures, posts_file = args
    if isinstance(rows, tuple):  # (spill path, site, thread): a worker reads the pages itself
        path, site, thread = rows
        rows = _Spill.rows(_reader(path), site, thread)
    pages = []
    for i in range(len(rows)):
        n, data = rows[i]
        rows[i] = None  # each blob goes once its page is loaded: a page can be tens of MB
        pages.append(_loaded(n, data))
        del data
    thread, posts = merge_thread(pages, all_captures)
    # every page repeats the members block: only a member's first appearance can add anything
    members, seen = [], set()
    for r in pages:
        for member in r.parsed.members:
            key = (r.provenance["site"], member.get("id"), member.get("url"), member.get("name"))
            if key not in seen:
                seen.add(key)
                members.append((member, r.provenance))
    lines = [dumps(p) for p in posts]
    if posts_file:
        with open(posts_file, "wb") as fh:
            fh.writelines(lines)
        lines = posts_file
    return dumps(thread), lines, len(posts), People.summarise(posts, author_facts(pages)), members


THREAD_ROWS = ("SELECT pages.n, pages.data, shards.path, shards.row FROM pages LEFT JOIN shards USING (n) "
               "WHERE site = ? AND thread = ? ORDER BY pages.n")
_READERS: dict[str, sqlite3.Connection] = {}


def _reader(path: str) -> sqlite3.Connection:
    """A worker's read-only connection to the spill, opened once per process."""
    if path not in _READERS:
        # as_uri() percent-encodes the path: an output directory may well be called "run #2"
        _READERS[path] = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)
    return _READERS[path]


SHARD_PREFIX = ".pages-"


class _Shard:
    """A worker's own file of serialised pages, beside a temporary spill (see _work)."""

    OPEN: dict[str, tuple[sqlite3.Connection, str]] = {}  # per spill directory, in this worker process

    @classmethod
    def store(cls, directory: str, blob: bytes) -> tuple[str, int]:
        """Write one serialised page; (shard path, row) to find it again."""
        if directory not in cls.OPEN:
            path = os.path.join(directory, f"{SHARD_PREFIX}{os.getpid()}.sqlite")
            # Temporary data, read back in this run only: no journal, no fsync; autocommit, so each page is
            # in the file before the main process hears of it.
            db = sqlite3.connect(path, isolation_level=None)
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            db.execute("CREATE TABLE IF NOT EXISTS pages (data BLOB)")
            cls.OPEN[directory] = (db, path)
        db, path = cls.OPEN[directory]
        return path, db.execute("INSERT INTO pages (data) VALUES (?)", (blob,)).lastrowid


class _Spill:
    """Parsed pages on disk, grouped by thread, with the capture rows and inputs they came from.

    Temporary for a one-off extract; persistent (``Options.page_store``) for scheduled jobs, which add only
    their new captures and rewrite the dataset from everything stored.
    """

    SCHEMA = """
    CREATE TABLE IF NOT EXISTS pages (n INTEGER PRIMARY KEY, site TEXT, thread TEXT, data BLOB,
                                      record_id TEXT, digest TEXT);
    CREATE TABLE IF NOT EXISTS captures (n INTEGER PRIMARY KEY, row TEXT);
    CREATE TABLE IF NOT EXISTS inputs (path TEXT PRIMARY KEY, sha256 TEXT, size INTEGER);
    CREATE TABLE IF NOT EXISTS shards (n INTEGER PRIMARY KEY, path TEXT, row INTEGER);
    CREATE TABLE IF NOT EXISTS gone (url TEXT PRIMARY KEY, time TEXT, status INTEGER);
    CREATE INDEX IF NOT EXISTS by_thread ON pages (site, thread, n);
    CREATE INDEX IF NOT EXISTS by_record ON pages (record_id);
    CREATE INDEX IF NOT EXISTS by_digest ON pages (digest);
    """

    def __init__(self, path: str, persistent: bool):
        self.path, self.persistent = path, persistent
        self.db = sqlite3.connect(path)
        self.db.executescript(self.SCHEMA)
        old = self.db.execute("SELECT 1 FROM pages WHERE data IS NOT NULL AND substr(data, 1, 1) != X'7B' "
                              "LIMIT 1").fetchone()
        if old:  # pickles of an older harvester: never loaded; forget them, and the inputs are read again
            self.db.executescript("DELETE FROM pages; DELETE FROM captures; DELETE FROM inputs; DELETE FROM shards;")
            self.db.commit()
        self.count = self.db.execute("SELECT COALESCE(MAX(n) + 1, 0) FROM pages").fetchone()[0]

    def add_gone(self, gone: tuple) -> None:
        """A 404/410 answer for a URL; the latest one counts."""
        url, time, status = gone
        self.db.execute("INSERT INTO gone VALUES (?, ?, ?) ON CONFLICT (url) DO UPDATE SET time = excluded.time, "
                        "status = excluded.status WHERE COALESCE(excluded.time, '') >= COALESCE(gone.time, '')",
                        (url, time, status))

    def gone(self) -> dict[str, tuple[str | None, int]]:
        return {url: (time, status) for url, time, status in self.db.execute("SELECT url, time, status FROM gone")}

    def done_inputs(self) -> frozenset[str]:
        return frozenset(p for (p,) in self.db.execute("SELECT path FROM inputs"))

    def add(self, key: tuple, blob: bytes | tuple[str, int]) -> None:
        """A serialised PageResult (dump_page) under its (site, thread id, WARC record id, payload digest), or where a
        worker's shard holds it."""
        site, thread, record_id, digest = key
        stored = isinstance(blob, tuple)
        self.db.execute("INSERT INTO pages VALUES (?, ?, ?, ?, ?, ?)",
                        (self.count, site, thread, None if stored else blob, record_id, digest))
        if stored:
            self.db.execute("INSERT INTO shards VALUES (?, ?, ?)", (self.count, *blob))
        self.count += 1

    def earlier(self, revisit: Page) -> bytes | None:
        """The parsed original of a revisit, by the record it refers to, else by payload digest."""
        for column, value in (("record_id", revisit.provenance.get("refers_to")),
                              ("digest", revisit.provenance.get("warc_payload_digest"))):
            if value:
                row = self.db.execute(f"SELECT data FROM pages WHERE {column} = ? ORDER BY n LIMIT 1",
                                      (value,)).fetchone()
                if row:
                    return row[0]
        return None

    def add_capture(self, row: dict) -> None:
        self.db.execute("INSERT INTO captures (row) VALUES (?)", (orjson.dumps(row),))

    def add_input(self, entry: dict) -> None:
        """An input file read: {"path", "sha256", "size"} (stored as it comes: inputs can be millions)."""
        self.db.execute("INSERT OR REPLACE INTO inputs VALUES (:path, :sha256, :size)", entry)

    def captures(self) -> Iterator[dict]:
        for (row,) in self.db.execute("SELECT row FROM captures ORDER BY n"):
            yield orjson.loads(row)

    def inputs(self) -> Iterator[dict]:
        for path, sha256, size in self.db.execute("SELECT * FROM inputs"):
            yield {"path": path, "sha256": sha256, "size": size}

    def thread_keys(self) -> Iterator[tuple[str, str]]:
        """(site, thread id) of every thread, in order of first appearance (a cursor: millions of threads
        are not a list in memory)."""
        return self.db.execute("SELECT site, thread FROM pages GROUP BY site, thread ORDER BY MIN(n)")

    @staticmethod
    def rows(db: sqlite3.Connection, site: str, thread: str) -> list[tuple[int, bytes]]:
        """One thread's (input order, serialised page) rows, read from the shards where workers stored them."""
        found = []
        for n, data, shard, row in db.execute(THREAD_ROWS, (site, thread)).fetchall():
            if shard is not None:
                (data,) = _reader(shard).execute("SELECT data FROM pages WHERE rowid = ?", (row,)).fetchone()
            found.append((n, data))
        return found

    def close(self, keep: bool) -> None:
        if self.db is None:
            return
        if keep:
            self.db.commit()
        else:
            self.db.rollback()
        self.db.close()
        self.db = None
        if not self.persistent:
            os.remove(self.path)
            for shard in Path(self.path).parent.glob(f"{SHARD_PREFIX}*.sqlite"):
                shard.unlink()


def make_pool(jobs: int):
    """Worker processes that end when the main process does, even when it is killed with SIGKILL."""
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=jobs, initializer=_watch_parent, initargs=(os.getpid(),))


def _watch_parent(parent: int) -> None:
    """A worker's watch: once its parent is gone (the worker is re-parented), it exits. A killed parent never
    closes the task queue, so without this the workers would wait on it forever."""
    import threading
    import time

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def extract(inputs: list[str], output: str, options: Options,
            report: Callable[[str], None] = lambda msg: print(msg, file=sys.stderr)) -> Summary:
    get_zone(options.timezone)  # a bad zone is a usage error before any work starts
    max_bytes = int(options.max_page_mb * 1_000_000)
    summary = Summary()
    writer = DatasetWriter(output, inputs)
    persistent = options.page_store is not None
    spill = pool = None
    try:
        spill = _Spill(options.page_store or os.path.join(writer.tmp, ".pages.sqlite"), persistent)
        if options.jobs > 1:
            pool = make_pool(options.jobs)
        jobs = iter_jobs(inputs, max_bytes, spill.add_input, spill.done_inputs() if persistent else frozenset(),
                         spill.earlier if persistent else None, spill.add_gone)
        # Workers keep the pages they parse in shard files beside a temporary spill (not in a page store,
        # whose pages must stay in one file, committed with the run).
        shard_dir = os.path.dirname(spill.path) if pool is not None and not persistent else None
        tasks = ((job, options, options.timezone, options.engine, shard_dir) for job in jobs)
        parsed_pages = _ordered_map(_work, tasks, pool, options.jobs * 2, batch=PAGE_BATCH)
        found = 0  # inputs that exist
        for job, parsed, capture in _progress(parsed_pages, options.progress):
            found += job.error != files.MISSING
            spill.add_capture(_capture_row(summary, job, capture, report))
            if parsed is not None:
                spill.add(*parsed)
        if not persistent and (not found or (summary.ok == 0 and writer.out.exists())):
            # Mistyped paths, an empty or unmounted folder, or no page extracted: an empty dataset must not
            # replace the previous one. (A job's page store holds every earlier page: it rewrites.)
            spill.close(keep=False)
            writer.abort()
            if not found:
                raise NoInputs(f"no input pages found in {', '.join(inputs) or 'the inputs'}")
            summary.written = False
            return summary
        for row in spill.captures():
            writer.write("captures", row)
        people = People()
        gone = spill.gone()
        if pool is not None:
            # Workers read their threads' pages from the spill: the main process, the serial part, only
            # hands out keys, eight threads a task. They see only what is committed. (A persistent page
            # store keeps this run's pages even if writing the dataset fails: the next run rebuilds it.)
            spill.db.commit()
            # Their posts' lines go to a file each, which the writer appends.
            merges = (((spill.path, site, thread), options.all_captures, str(writer.tmp / f".posts-{i}.part"))
                      for i, (site, thread) in enumerate(spill.thread_keys()))
            merged = _ordered_map(_merge_work, merges, pool, options.jobs * 4, batch=8)
        else:
            merged = (_merge_work((spill.rows(spill.db, site, thread), options.all_captures, None))
                      for site, thread in spill.thread_keys())
        for thread_line, post_lines, n_posts, authors, members in merged:
            writer.write_line("threads", _mark_gone(thread_line, gone) if gone else thread_line)
            if isinstance(post_lines, str):
                writer.append_file("posts", post_lines, n_posts)
            else:
                writer.write_lines("posts", post_lines)
            people.add_posts(authors)
            for member, prov in members:
                people.add_member(member, prov)
        for participant in people.records():
            writer.write("participants", participant)
        summary.threads, summary.posts, summary.participants = (
            writer.counts["threads"], writer.counts["posts"], writer.counts["participants"])
        writer.write_manifest({
            "metadata": options.metadata,
            "options": {k: v for k, v in asdict(options).items()
                        if k not in ("progress", "jobs", "page_store", "metadata")} | {"inputs": list(inputs)},
            "engines": {e.NAME: e.VERSION for e in engines.REGISTRY},
            "failed": summary.problems,
        }, inputs=spill.inputs())
        spill.close(keep=True)  # before the temporary directory that may hold it becomes the dataset
        writer.publish()
    except BaseException:
        try:
            if spill is not None:
                spill.close(keep=False)
        except Exception:  # noqa: BLE001 - a full disk fails this too; the partial dataset must go anyway
            pass
        writer.abort()
        raise
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return summary


def _mark_gone(line: bytes, gone: dict[str, tuple[str | None, int]]) -> bytes:
    """The thread row with ``extra.gone_since``/``gone_status`` when its URL answered 404 or 410 after the
    thread was last captured (a deleted or hidden thread)."""
    thread = orjson.loads(line)
    answer = gone.get(thread["url"]) if thread.get("url") else None
    if answer is None:
        return line
    time, status = answer
    last = thread.get("last_seen")
    if last and time and time <= last:
        return line  # the 404 came before a capture that shows the thread: not gone
    thread["extra"] = {**(thread.get("extra") or {}), "gone_since": time, "gone_status": status}
    return dumps(thread)


def dump_page(result: PageResult) -> bytes:
    """A parsed page as JSON: the page store outlives the run, and JSON, unlike pickle, runs no code when read."""
    # the dataclass's own dict, not asdict(): that deep-copies every post first (8x slower)
    return orjson.dumps({"parsed": vars(result.parsed), "provenance": result.provenance, "order": result.order})


def load_page(data: bytes) -> PageResult:
    """What dump_page wrote; a pickle from an older harvester's store is refused, never unpickled."""
    if not data.startswith(b"{"):
        raise ValueError("not a JSON page (a page store written by an older harvester?)")
    value = orjson.loads(data)
    return PageResult(parsed=ParsedPage(**value["parsed"]), provenance=value["provenance"], order=value["order"])


def _loaded(n: int, data: bytes) -> PageResult:
    result = load_page(data)
    result.order = n  # input order, which merges use to break ties
    return result


def _capture_row(summary: Summary, job: Job, capture: dict | None, report) -> dict:
    if capture is None:  # the input failed before it could be parsed
        capture = {"status": "error", "reason": job.error, "posts_found": 0,
                   "_provenance": provenance(Page(source_file=job.source or job.label, source_type="html",
                                                  body=b""), None)}
    prov = capture.pop("_provenance")
    reason = "; ".join(filter(None, [capture.get("reason"), *capture.pop("_notes", [])])) or None
    status = capture["status"]
    if status == "ok":
        summary.ok += 1
    elif status == "skipped":
        summary.skipped += 1
        report(f"skipped: {job.label}: {reason}")
    else:
        summary.failed += 1
        summary.problems.append(f"{job.label}: {reason}")
        report(f"error: {job.label}: {reason}")
    return records.make("capture", {
        **prov, **capture, "id": job.label, "reason": reason, "sha256": job.sha256, "size": job.size,
    })


def _progress(items, enabled: bool):
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, unit="page", desc="extract", file=sys.stderr, leave=False)
