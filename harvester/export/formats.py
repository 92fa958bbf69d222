"""One writer per export format, each fed the dataset's rows table by table, plus the data dictionary and the
export's Frictionless data package.

A writer has ``begin(table)``, ``row(table, row)``, ``end(table)``, ``close()`` and ``resources`` (the files it
wrote that the data package describes).
"""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import orjson

from harvester import __version__
from harvester.export import columns as cols

# --- types per kind --------------------------------------------------------------------------------
SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER", "utc": "TEXT",
             "local": "TEXT", "strings": "TEXT", "records": "TEXT", "json": "TEXT"}
DICTIONARY_TYPES = {"string": "text", "integer": "integer", "number": "decimal number", "boolean": "true/false",
                    "utc": "timestamp (UTC)", "local": "timestamp (local wall clock, no zone)",
                    "strings": "list of text", "records": "list of objects", "json": "object (JSON)"}
# Keys a table is looked up by; posts repeat their key in --all-captures datasets, so theirs is an index.
PRIMARY = {"threads": ("site", "id"), "participants": ("key",)}
INDEXES = {"posts": (("site", "id"), ("site", "thread_id"), ("author_key",), ("parent_id",)),
           "captures": (("id",),)}


def _json_text(value) -> str | None:
    return None if value is None else orjson.dumps(value).decode()


def _flat(column: cols.Column, value):
    """A value as a flat file holds it: nested values as JSON text, booleans as true/false."""
    if column.kind in ("strings", "records", "json"):
        return _json_text(value)
    if column.kind == "boolean" and value is not None:
        return "true" if value else "false"
    return value


class _Writer:
    def __init__(self, out: Path, transform, manifest: dict):
        self.out, self.transform, self.manifest = out, transform, manifest
        self.resources: list[tuple[str, str, str]] = []  # (table, path, format)

    def begin(self, table: str) -> None:
        pass

    def row(self, table: str, row: dict) -> None:
        pass

    def end(self, table: str) -> None:
        pass

    def close(self) -> None:
        pass


class JsonlWriter(_Writer):
    """The tables as JSON Lines again: what a transformed (pseudonymised, slimmed) derivative needs."""

    def begin(self, table):
        self.fh = open(self.out / f"{table}.jsonl", "wb")

    def row(self, table, row):
        self.fh.write(orjson.dumps(row, option=orjson.OPT_APPEND_NEWLINE))

    def end(self, table):
        self.fh.close()
        self.resources.append((table, f"{table}.jsonl", "jsonl"))


class CsvWriter(_Writer):
    """RFC 4180: UTF-8, CRLF line ends, every field that needs it quoted, a header row; nested fields as JSON."""

    def begin(self, table):
        self.columns = self.transform.columns(table)
        self.fh = open(self.out / f"{table}.csv", "w", encoding="utf-8", newline="")
        self.writer = csv.writer(self.fh, lineterminator="\r\n")
        self.writer.writerow([c.name for c in self.columns])

    def row(self, table, row):
        self.writer.writerow([_flat(c, row.get(c.name)) for c in self.columns])

    def end(self, table):
        self.fh.close()
        self.resources.append((table, f"{table}.csv", "csv"))


class ParquetWriter(_Writer):
    """Typed columns: instants as UTC timestamps, wall-clock times as timestamps without zone (never mixed),
    lists as list columns, ``extra`` as JSON text; row groups of BATCH rows, so memory stays flat."""

    BATCH = 2000  # rows per row group: a group of posts with their HTML is some 10 MB in Python objects

    def begin(self, table):
        import pyarrow.parquet as pq

        self.columns = self.transform.columns(table)
        self.schema = arrow_schema(self.columns)
        self.pending: list[dict] = []
        self.writer = pq.ParquetWriter(self.out / f"{table}.parquet", self.schema, compression="zstd")

    def row(self, table, row):
        self.pending.append(row)
        if len(self.pending) >= self.BATCH:
            self._flush()

    def _flush(self):
        import pyarrow as pa

        if not self.pending:
            return
        data = {c.name: [_arrow_value(c, r.get(c.name)) for r in self.pending] for c in self.columns}
        self.writer.write_table(pa.Table.from_pydict(data, schema=self.schema))
        self.pending = []

    def end(self, table):
        self._flush()
        self.writer.close()
        self.resources.append((table, f"{table}.parquet", "parquet"))


def arrow_schema(columns):
    import pyarrow as pa

    kinds = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_(),
             "utc": pa.timestamp("ms", tz="UTC"), "local": pa.timestamp("ms"), "strings": pa.list_(pa.string()),
             "json": pa.string()}
    fields = []
    for c in columns:
        if c.kind == "records":
            kind = pa.list_(pa.struct([(f, pa.string()) for f in c.fields]))
        else:
            kind = kinds[c.kind]
        fields.append(pa.field(c.name, kind, metadata={"description": c.description}))
    return pa.schema(fields)


def _arrow_value(column: cols.Column, value):
    if column.kind == "utc":
        return cols.parse_utc(value)
    if column.kind == "local":
        return cols.parse_local(value)
    if column.kind == "json":
        return _json_text(value)
    if column.kind == "records" and value is not None:
        return [{f: (None if item.get(f) is None else str(item.get(f))) for f in column.fields} for item in value]
    return value


class SqliteWriter(_Writer):
    """One table per dataset table with typed columns, keys and indexes, and views for the common joins."""

    FILE = "dataset.sqlite"

    def __init__(self, out, transform, manifest):
        super().__init__(out, transform, manifest)
        self.db = sqlite3.connect(out / self.FILE)
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")

    def begin(self, table):
        self.columns = self.transform.columns(table)
        names = {c.name for c in self.columns}
        spec = [f'"{c.name}" {SQL_TYPES[c.kind]}' for c in self.columns]
        key = PRIMARY.get(table)
        if key and set(key) <= names:
            spec.append(f"PRIMARY KEY ({', '.join(key)})")
        self.db.execute(f'CREATE TABLE "{table}" ({", ".join(spec)})')
        self.insert = f'INSERT OR IGNORE INTO "{table}" VALUES ({", ".join("?" * len(self.columns))})'
        self.pending: list[tuple] = []

    def row(self, table, row):
        values = []
        for c in self.columns:
            value = row.get(c.name)
            values.append(_json_text(value) if c.kind in ("strings", "records", "json")
                          else int(value) if c.kind == "boolean" and value is not None else value)
        self.pending.append(tuple(values))
        if len(self.pending) >= 2000:
            self.db.executemany(self.insert, self.pending)
            self.pending = []

    def end(self, table):
        self.db.executemany(self.insert, self.pending)
        names = {c.name for c in self.columns}
        for i, index in enumerate(INDEXES.get(table, ())):
            if set(index) <= names:
                self.db.execute(f'CREATE INDEX "{table}_{i}" ON "{table}" ({", ".join(index)})')
        self.db.commit()

    def close(self):
        for view in VIEWS:
            try:
                self.db.execute(view)
            except sqlite3.OperationalError:  # a column the view needs was dropped
                pass
        self.db.commit()
        self.db.close()
        self.resources.append(("*", self.FILE, "sqlite"))


VIEWS = (
    "CREATE VIEW posts_with_authors AS SELECT posts.*, participants.name AS participant_name, "
    "participants.posts_in_dataset AS author_posts_in_dataset, participants.anonymous AS author_anonymous "
    "FROM posts LEFT JOIN participants ON posts.author_key = participants.key",
    "CREATE VIEW replies AS SELECT child.site, child.thread_id, child.id AS post_id, child.author_key, "
    "parent.id AS parent_id, parent.author_key AS parent_author_key, child.published_utc "
    "FROM posts AS child JOIN posts AS parent ON parent.site IS child.site AND parent.id = child.parent_id",
    "CREATE VIEW thread_posts AS SELECT threads.site, threads.id AS thread_id, threads.title, threads.board, "
    "posts.id AS post_id, posts.position, posts.author_key, posts.published_utc, posts.body_text "
    "FROM threads JOIN posts ON posts.site IS threads.site AND posts.thread_id = threads.id",
)


class DuckdbWriter(_Writer):
    """A DuckDB database built from typed Parquet (written beside, then removed unless asked for), with the
    same views as the SQLite file."""

    FILE = "dataset.duckdb"

    def __init__(self, out, transform, manifest):
        super().__init__(out, transform, manifest)
        self.parquet = ParquetWriter(out, transform, manifest)
        self.parquet_dir = out / ".duckdb-parquet"
        self.parquet_dir.mkdir()
        self.parquet.out = self.parquet_dir

    def begin(self, table):
        self.parquet.begin(table)

    def row(self, table, row):
        self.parquet.row(table, row)

    def end(self, table):
        self.parquet.end(table)

    def close(self):
        import shutil

        import duckdb

        db = duckdb.connect(str(self.out / self.FILE))
        # DuckDB buffers a table in memory before writing it; a limit makes it spill instead, so memory stays
        # flat in the dataset's size
        db.execute("SET memory_limit = '192MB'")
        db.execute("SET preserve_insertion_order = true")
        try:
            for table, path, _ in self.parquet.resources:
                db.execute(f'CREATE TABLE "{table}" AS SELECT * FROM read_parquet(?)', [str(self.parquet_dir / path)])
            for table, key in PRIMARY.items():
                try:
                    db.execute(f'CREATE UNIQUE INDEX "{table}_key" ON "{table}" ({", ".join(key)})')
                except duckdb.Error:  # duplicated or dropped key columns: no unique index, the data stays
                    pass
            for table, indexes in INDEXES.items():
                for i, index in enumerate(indexes):
                    try:
                        db.execute(f'CREATE INDEX "{table}_{i}" ON "{table}" ({", ".join(index)})')
                    except duckdb.Error:
                        pass
            for view in VIEWS:
                try:
                    db.execute(view)
                except duckdb.Error:
                    pass
        finally:
            db.close()
        shutil.rmtree(self.parquet_dir)
        self.resources.append(("*", self.FILE, "duckdb"))


class ConvokitWriter(_Writer):
    """The ConvoKit corpus layout: utterances.jsonl (streamed), speakers.json, conversations.json, corpus.json
    and index.json, loadable with ``convokit.Corpus(filename=...)``.

    Utterance ids are ``SITE/POST_ID``; a post's ``reply_to`` is its parent, or on flat boards the thread's
    opening post (``meta.reply_to_inferred`` says so); speakers are participant keys.
    """

    DIR = "convokit"

    def __init__(self, out, transform, manifest):
        super().__init__(out, transform, manifest)
        self.dir = out / self.DIR
        self.dir.mkdir()
        self.speakers: dict[str, dict] = {}
        self.conversations: dict[str, dict] = {}
        self.utterances = None
        self.thread_ops: dict[tuple, str] = {}

    def row(self, table, row):
        site = row.get("site") or "-"
        if table == "threads":
            self.conversations[f"{site}/{row['id']}"] = {
                "meta": {k: row.get(k) for k in ("title", "board", "url", "complete", "posts_extracted")},
                "vectors": []}
        elif table == "posts":
            if self.utterances is None:
                self.utterances = open(self.dir / "utterances.jsonl", "wb")
            uid = f"{site}/{row['id']}"
            thread = (site, row.get("thread_id"))
            if row.get("is_op"):
                self.thread_ops[thread] = uid
            op = self.thread_ops.get(thread)
            parent = f"{site}/{row['parent_id']}" if row.get("parent_id") else None
            inferred = parent is None and not row.get("is_op") and op is not None
            timestamp = cols.parse_utc(row.get("published_utc"))
            self.utterances.write(orjson.dumps({
                "id": uid, "speaker": row.get("author_key") or "[unknown]",
                "conversation_id": op or f"{site}/{row.get('thread_id')}",
                "reply_to": op if inferred else parent,
                "timestamp": int(timestamp.timestamp()) if timestamp else None,
                "text": row.get("body_text") or "",
                "meta": {"thread_id": row.get("thread_id"), "position": row.get("position"),
                         "published_local": row.get("published_local"), "votes": row.get("votes"),
                         "votes_kind": row.get("votes_kind"), "deleted": row.get("deleted"),
                         "reply_to_inferred": inferred},
                "vectors": []}, option=orjson.OPT_APPEND_NEWLINE))
            self.speakers.setdefault(row.get("author_key") or "[unknown]", {"meta": {}, "vectors": []})
        elif table == "participants":
            entry = self.speakers.get(row.get("key"))
            if entry is not None:
                entry["meta"] = {k: row.get(k) for k in ("name", "anonymous", "posts_in_dataset", "user_title")}

    def close(self):
        if self.utterances is None:
            self.utterances = open(self.dir / "utterances.jsonl", "wb")
        self.utterances.close()
        for conv_id in list(self.conversations):  # ConvoKit names a conversation by its first utterance
            op = self.thread_ops.get(tuple(conv_id.split("/", 1)))
            if op and op != conv_id:
                self.conversations[op] = self.conversations.pop(conv_id)
        dump = {"speakers.json": self.speakers, "conversations.json": self.conversations,
                "corpus.json": {"name": "harvester export", "harvester_version": __version__},
                "index.json": {
                    "utterances-index": {k: ["<class 'str'>"] for k in ("thread_id", "published_local",
                                                                          "votes_kind")}
                    | {"position": ["<class 'int'>"], "votes": ["<class 'int'>"], "deleted": ["<class 'bool'>"],
                       "reply_to_inferred": ["<class 'bool'>"]},
                    "speakers-index": {"name": ["<class 'str'>"], "anonymous": ["<class 'bool'>"],
                                       "posts_in_dataset": ["<class 'int'>"], "user_title": ["<class 'str'>"]},
                    "conversations-index": {"title": ["<class 'str'>"], "board": ["<class 'str'>"],
                                            "url": ["<class 'str'>"], "complete": ["<class 'bool'>"],
                                            "posts_extracted": ["<class 'int'>"]},
                    "overall-index": {"name": ["<class 'str'>"], "harvester_version": ["<class 'str'>"]},
                    "version": 1, "vectors": []}}
        for name, value in dump.items():
            (self.dir / name).write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        self.resources.append(("convokit-utterances", f"{self.DIR}/utterances.jsonl", "jsonl"))
        for name in dump:
            self.resources.append((f"convokit-{Path(name).stem}", f"{self.DIR}/{name}", "json"))


class GraphWriter(_Writer):
    """The reply network: who replied to whom (``parent_id``) and who quoted whom (resolved quotes), one edge
    per (source, target, kind) with its weight and first and last UTC times; as CSV and GraphML.

    posts.jsonl holds a thread's posts together, so parents are looked up within the current thread only.
    """

    def __init__(self, out, transform, manifest):
        super().__init__(out, transform, manifest)
        self.edges: dict[tuple[str, str, str], list] = {}
        self.thread: tuple | None = None
        self.authors: dict[str, str | None] = {}
        self.nodes: dict[str, dict] = {}

    def row(self, table, row):
        if table == "posts":
            thread = (row.get("site"), row.get("thread_id"))
            if thread != self.thread:
                self.thread, self.authors = thread, {}
            author = row.get("author_key")
            self.authors[row["id"]] = author
            when = row.get("published_utc")
            parent_author = self.authors.get(row.get("parent_id")) if row.get("parent_id") else None
            if author and parent_author:
                self._edge(author, parent_author, "reply", when)
            for q in row.get("quotes") or ():
                if author and q.get("author_key"):
                    self._edge(author, q["author_key"], "quote", when)
        elif table == "participants":
            self.nodes[row["key"]] = {"name": row.get("name"), "posts": row.get("posts_in_dataset")}

    def _edge(self, source, target, kind, when):
        edge = self.edges.get((source, target, kind))
        if edge is None:
            self.edges[(source, target, kind)] = [1, when, when]
        else:
            edge[0] += 1
            if when and (edge[1] is None or when < edge[1]):
                edge[1] = when
            if when and (edge[2] is None or when > edge[2]):
                edge[2] = when

    def close(self):
        with open(self.out / "edges.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\r\n")
            w.writerow(["source", "target", "kind", "weight", "first_utc", "last_utc"])
            for (s, t, k), (n, first, last) in sorted(self.edges.items()):
                w.writerow([s, t, k, n, first, last])
        self.resources.append(("edges", "edges.csv", "csv"))
        with open(self.out / "graph.graphml", "w", encoding="utf-8") as fh:
            fh.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                     '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n'
                     '<key id="name" for="node" attr.name="name" attr.type="string"/>\n'
                     '<key id="posts" for="node" attr.name="posts" attr.type="long"/>\n'
                     '<key id="kind" for="edge" attr.name="kind" attr.type="string"/>\n'
                     '<key id="weight" for="edge" attr.name="weight" attr.type="long"/>\n'
                     '<key id="first_utc" for="edge" attr.name="first_utc" attr.type="string"/>\n'
                     '<key id="last_utc" for="edge" attr.name="last_utc" attr.type="string"/>\n'
                     '<graph id="replies" edgedefault="directed">\n')
            used = {k for s, t, _ in self.edges for k in (s, t)} | set(self.nodes)
            for key in sorted(used):
                node = self.nodes.get(key, {})
                fh.write(f"<node id={quoteattr(key)}>")
                if node.get("name") is not None:
                    fh.write(f'<data key="name">{escape(node["name"])}</data>')
                if node.get("posts") is not None:
                    fh.write(f'<data key="posts">{int(node["posts"])}</data>')
                fh.write("</node>\n")
            for (s, t, k), (n, first, last) in sorted(self.edges.items()):
                fh.write(f'<edge source={quoteattr(s)} target={quoteattr(t)}><data key="kind">{k}</data>'
                         f'<data key="weight">{n}</data>'
                         + (f'<data key="first_utc">{first}</data>' if first else "")
                         + (f'<data key="last_utc">{last}</data>' if last else "") + "</edge>\n")
            fh.write("</graph>\n</graphml>\n")
        self.resources.append(("graph", "graph.graphml", "graphml"))


IDS = ("record_type", "site", "id", "thread_id", "source_url", "capture_time", "archive_url", "warc_filename",
       "warc_record_id", "warc_record_offset", "warc_record_length", "warc_payload_digest")


class IdsWriter(_Writer):
    """A dehydrated list: which record came from which capture, enough for anyone with the same archive to
    rebuild the dataset with harvester, and nothing anyone said."""

    def __init__(self, out, transform, manifest):
        super().__init__(out, transform, manifest)
        self.fh = open(self.out / "ids.csv", "w", encoding="utf-8", newline="")
        self.writer = csv.writer(self.fh, lineterminator="\r\n")
        self.writer.writerow(IDS)

    def row(self, table, row):
        if table in ("threads", "posts"):
            self.writer.writerow([row.get(k) for k in IDS])

    def close(self):
        self.fh.close()
        self.resources.append(("ids", "ids.csv", "csv"))


WRITERS = {"jsonl": JsonlWriter, "csv": CsvWriter, "parquet": ParquetWriter, "sqlite": SqliteWriter,
           "duckdb": DuckdbWriter, "convokit": ConvokitWriter, "graph": GraphWriter, "ids": IdsWriter}


# --- data dictionary and manifest -------------------------------------------------------------------
def write_dictionary(out: Path, transform, examples: dict[str, dict]) -> None:
    """DATA_DICTIONARY.md and data_dictionary.csv: every field of every table, its type, meaning, an example."""
    rows = []
    for table in ("threads", "posts", "participants", "captures"):
        for c in transform.columns(table):
            example = examples.get(table, {}).get(c.name)
            shown = json.dumps(example, ensure_ascii=False) if isinstance(example, dict | list) else example
            shown = None if shown is None else str(shown)
            if shown and len(shown) > 80:
                shown = shown[:77] + "..."
            rows.append((table, c.name, DICTIONARY_TYPES[c.kind], c.description, shown))
    with open(out / "data_dictionary.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(["table", "field", "type", "meaning", "example"])
        w.writerows(rows)
    lines = ["# Data dictionary", "", f"Generated by harvester {__version__} from the record contract.", ""]
    current = None
    for table, name, kind, meaning, example in rows:
        if table != current:
            lines += ["", f"## {table}", "", "| field | type | meaning | example |", "|---|---|---|---|"]
            current = table
        cell = (example or "").replace("|", "\\|").replace("\n", " ")
        lines.append(f"| `{name}` | {kind} | {meaning.replace('|', '/')} | {cell} |")
    (out / "DATA_DICTIONARY.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


EXTRA_SCHEMAS = {
    "edges": {"fields": [
        {"name": "source", "type": "string", "description": "Participant key of the one who replied or quoted."},
        {"name": "target", "type": "string", "description": "Participant key of the one replied to or quoted."},
        {"name": "kind", "type": "string", "constraints": {"enum": ["reply", "quote"]},
         "description": "reply: from parent_id; quote: from a quote whose author was resolved."},
        {"name": "weight", "type": "integer", "description": "How many posts make this edge."},
        {"name": "first_utc", "type": "datetime", "description": "Earliest published_utc among them."},
        {"name": "last_utc", "type": "datetime", "description": "Latest published_utc among them."}],
        "primaryKey": ["source", "target", "kind"]},
    "ids": {"fields": [{"name": name, "type": "integer" if name in ("warc_record_offset", "warc_record_length")
                        else "datetime" if name == "capture_time" else "string"} for name in IDS]},
}
MEDIA_TYPES = {"parquet": "application/vnd.apache.parquet", "sqlite": "application/vnd.sqlite3",
               "duckdb": "application/octet-stream", "graphml": "application/graphml+xml",
               "json": "application/json"}


def table_schema(transform, table: str, fmt: str) -> dict:
    from harvester.package import table_schema as schema

    return schema(table, fmt, transform.columns(table), transform.all_captures)


def write_manifest(out: Path, source: dict, options, transform, summary, writers) -> None:
    """datapackage.json: a Frictionless Data Package of the tabular files, with what was done to them."""
    from harvester.export import now

    resources = []
    for w in writers:
        for table, path, fmt in w.resources:
            # one resource per file, named after its table and format; a table's foreign keys point at the
            # resource of the same format
            base = table if table != "*" else Path(path).stem
            name = f"{base}-{fmt}" if not base.endswith(fmt) else base
            if fmt in ("csv", "jsonl") and not table.startswith("convokit"):
                # text tables: frictionless reads and checks every cell against the Table Schema
                resource = {"name": name, "path": path, "type": "table", "profile": "tabular-data-resource"}
                resource["schema"] = EXTRA_SCHEMAS[table] if table in EXTRA_SCHEMAS else \
                    table_schema(transform, table, fmt)
                for fk in resource["schema"].get("foreignKeys", ()):
                    fk["reference"]["resource"] = f"{fk['reference']['resource']}-{fmt}"
                if fmt == "csv":
                    resource.update(format="csv", mediatype="text/csv", encoding="utf-8",
                                    dialect={"delimiter": ",", "lineTerminator": "\r\n", "header": True})
                else:
                    resource.update(format="jsonl", mediatype="application/jsonl", encoding="utf-8")
            else:
                # binary files (Parquet, databases, GraphML, the ConvoKit corpus): described, checked as files;
                # their columns are the data dictionary's
                resource = {"name": name, "path": path, "type": "file", "format": fmt,
                            "mediatype": MEDIA_TYPES.get(fmt, "application/octet-stream")}
            resources.append(resource)
    inputs = [{"path": transform.relative(i.get("path")), "sha256": i.get("sha256"), "size": i.get("size")}
              for i in source.get("inputs", []) if isinstance(i, dict)]
    package = {
        "profile": "data-package",
        "name": "harvester-export",
        "title": source.get("title") or "Forum discussions extracted with harvester",
        "description": "Threads, posts, participants and captures of archived forum pages, exported by harvester "
                       f"{__version__} from a dataset of schema {source.get('schema_version')}.",
        "created": now(),
        "licenses": source.get("licenses") or [{"name": "other-closed",
                                                "title": "Not yet chosen: fill in before sharing"}],
        "sources": [{"title": i["path"], "path": i["path"]} for i in inputs[:1000]],
        "harvester": {
            "version": __version__, "schema_version": source.get("schema_version"), "formats": list(options.formats),
            "counts": summary.counts,
            "pseudonymised": None if not options.pseudonymise else {
                "method": "HMAC-SHA256 of each participant key under a secret key kept by the exporter (not "
                          "included); names in bodies and quotes replaced; e-mail, phone and IP addresses masked",
                "key_fingerprint": transform.people.fingerprint()},
            "dropped_fields": sorted(options.drop),
            "source_inputs": inputs,
        },
        "resources": resources,
    }
    (out / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n",
                                          encoding="utf-8")
