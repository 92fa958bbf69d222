"""Crawl state in ``OUTPUT/crawl-state.sqlite``: the queue and done set of the current job, the dedup store
and the validators (ETag, Last-Modified) of earlier captures.

A URL becomes ``done`` in the same transaction that queues its links, after its records were flushed to the
WARC; ``repair`` reconciles the two after a kill. Dedup entries carry ``closed``: they are offered to other
files only once the file holding the original has been closed (renamed), so a crash cannot leave a revisit
that points at a torn record.
"""

from __future__ import annotations

import json
import sqlite3

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY, seq INTEGER, depth INTEGER, hops TEXT, via TEXT, kind TEXT,
    status TEXT DEFAULT 'queued', code INTEGER, filename TEXT, offset INTEGER, end INTEGER);
CREATE INDEX IF NOT EXISTS urls_queue ON urls (status, seq);
CREATE TABLE IF NOT EXISTS captures (
    record_id TEXT PRIMARY KEY, digest TEXT, uri TEXT, date TEXT, filename TEXT, offset INTEGER,
    end INTEGER, closed INTEGER DEFAULT 0);
CREATE INDEX IF NOT EXISTS captures_digest ON captures (digest);
CREATE TABLE IF NOT EXISTS validators (
    url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, record_id TEXT);
"""


class State:
    def __init__(self, path: str):
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        self.db.row_factory = sqlite3.Row

    def close(self) -> None:
        self.db.close()

    def tx(self):
        return _Tx(self.db)

    # -- job -----------------------------------------------------------------------------------------
    def get(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def new_job(self, signature: str) -> None:
        with self.tx():
            self.db.execute("DELETE FROM urls")
            self.set("job", signature)
            self.set("finished", "0")
            self.set("seeded", "")

    # -- queue ---------------------------------------------------------------------------------------
    def add(self, url: str, depth: int, hops: str, via: str | None, kind: str) -> bool:
        cur = self.db.execute(
            "INSERT OR IGNORE INTO urls (url, seq, depth, hops, via, kind) VALUES "
            "(?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM urls), ?, ?, ?, ?)", (url, depth, hops, via, kind))
        return cur.rowcount > 0

    def next(self, skip_hosts=()):
        """The oldest queued URL, leaving out those under any of ``skip_hosts`` ("scheme://netloc" prefixes)."""
        where, args = "", []
        for key in skip_hosts:
            where += " AND substr(url, 1, ?) != ?"
            args += [len(key) + 1, key + "/"]
        return self.db.execute(f"SELECT * FROM urls WHERE status='queued'{where} ORDER BY seq LIMIT 1",
                               args).fetchone()

    def finish_url(self, url: str, status: str, code: int | None, where=None) -> None:
        self.db.execute("UPDATE urls SET status=?, code=?, filename=?, offset=?, end=? WHERE url=?",
                        (status, code, where.filename if where else None, where.offset if where else None,
                         where.end if where else None, url))

    def url_row(self, url: str):
        return self.db.execute("SELECT * FROM urls WHERE url=?", (url,)).fetchone()

    def counts(self) -> dict[str, int]:
        rows = self.db.execute("SELECT status, COUNT(*) FROM urls GROUP BY status").fetchall()
        return {r[0]: r[1] for r in rows}

    def pages_done(self) -> int:
        """Pages fetched (answered or failed): robots-blocked, refused and skipped URLs do not count."""
        return self.db.execute("SELECT COUNT(*) FROM urls WHERE status IN ('done', 'failed') "
                               "AND kind IN ('page','wayback') AND (code IS NULL OR code != -7)").fetchone()[0]

    # -- dedup and validators ------------------------------------------------------------------------
    def add_capture(self, record_id, digest, uri, date, where) -> None:
        self.db.execute("INSERT OR REPLACE INTO captures VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
                        (record_id, digest, uri, date, where.filename, where.offset, where.end))

    def original(self, digest: str, open_file: str | None):
        """The earliest response with this payload digest in a closed file (or in the file being written,
        where it precedes the revisit, so a cut can never keep the revisit and lose the original)."""
        return self.db.execute(
            "SELECT * FROM captures WHERE digest=? AND (closed=1 OR filename=?) ORDER BY rowid LIMIT 1",
            (digest, open_file)).fetchone()

    def capture(self, record_id: str):
        return self.db.execute("SELECT * FROM captures WHERE record_id=? AND closed=1", (record_id,)).fetchone()

    def set_validators(self, url: str, etag: str | None, last_modified: str | None, record_id: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO validators VALUES (?, ?, ?, ?)", (url, etag, last_modified, record_id))

    def validators(self, url: str):
        """(etag, last-modified, original capture row) from an earlier capture whose file is closed."""
        row = self.db.execute("SELECT * FROM validators WHERE url=?", (url,)).fetchone()
        if row is None:
            return None
        cap = self.capture(row["record_id"])
        return (row["etag"], row["last_modified"], cap) if cap is not None else None

    def file_closed(self, filename: str) -> None:
        self.db.execute("UPDATE captures SET closed=1 WHERE filename=?", (filename,))

    def file_cut(self, filename: str, length: int) -> list[str]:
        """Forget what a repaired file lost past ``length``; returns the URLs put back in the queue."""
        with self.tx():
            self.db.execute("DELETE FROM captures WHERE filename=? AND end>?", (filename, length))
            self.db.execute("DELETE FROM validators WHERE record_id NOT IN (SELECT record_id FROM captures)")
            lost = [r[0] for r in self.db.execute(
                "SELECT url FROM urls WHERE filename=? AND end>? AND status!='queued'", (filename, length))]
            self.db.execute("UPDATE urls SET status='queued', filename=NULL, offset=NULL, end=NULL "
                            "WHERE filename=? AND end>?", (filename, length))
            self.file_closed(filename)
        return lost

    def dump(self, key: str, value) -> None:
        self.set(key, json.dumps(value))


class _Tx:
    def __init__(self, db):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN")
        return self.db

    def __exit__(self, exc_type, exc, tb):
        self.db.execute("COMMIT" if exc_type is None else "ROLLBACK")
        return False
