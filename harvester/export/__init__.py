"""``harvester export``: a dataset's tables in analysis formats, optionally pseudonymised for sharing.

The dataset is read once per table, line by line, and every format writes as it reads (Parquet row groups,
CSV rows, SQLite inserts, ConvoKit utterances, graph edges aggregated per pair of people), so memory does not
grow with the number of posts; what grows with the number of participants (pseudonyms, speakers, graph
nodes) is held once per person. Output is written to a temporary sibling folder and moved into place only
when complete.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import orjson

from harvester import __version__
from harvester.export import columns as cols
from harvester.export.privacy import Pseudonymiser, common_root, load_key, relative_path
from harvester.writers import MANIFEST, TABLES

FORMATS = ("parquet", "csv", "sqlite", "duckdb", "convokit", "graph", "ids", "jsonl")
MARKER = ".harvester-export"  # names a folder this command wrote, which a later export may replace
BATCH = 2000


class ExportError(Exception):
    """The dataset or the output cannot be used (a usage error, exit status 2)."""


@dataclass
class ExportOptions:
    formats: tuple[str, ...]
    pseudonymise: bool = False
    key_file: str | None = None
    drop: tuple[str, ...] = ()
    progress: bool = False


@dataclass
class ExportSummary:
    counts: dict[str, int] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    key_created: bool = False


def read_table(dataset: Path, table: str) -> Iterator[dict]:
    path = dataset / f"{table}.jsonl"
    with open(path, "rb") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                raise ExportError(f"{path}:{number}: not a JSON record ({exc})") from None
            if not isinstance(record, dict):
                raise ExportError(f"{path}:{number}: not a JSON object")
            yield record


def check_dataset(path: str) -> tuple[Path, dict]:
    root = Path(path)
    try:
        manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ExportError(f"{path} is not a harvester dataset ({MANIFEST}: {exc})") from None
    if not isinstance(manifest, dict):
        raise ExportError(f"{path}/{MANIFEST} is not an object")
    for table, _ in TABLES:
        if not (root / f"{table}.jsonl").is_file():
            raise ExportError(f"{path} has no {table}.jsonl")
    return root, manifest


def check_output(path: str) -> Path:
    out = Path(path)
    if out.exists() and not out.is_dir():
        raise ExportError(f"{path} exists and is not a directory")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise ExportError(f"{path} is not empty and was not written by harvester export; refusing to replace it")
    return out


class Transform:
    """What every format receives: dropped fields gone, input paths relative, people pseudonymised."""

    def __init__(self, manifest: dict, options: ExportOptions, people: Pseudonymiser | None):
        self.drop = set(options.drop)
        self.people = people
        self.all_captures = bool((manifest.get("options") or {}).get("all_captures"))
        self.roots = common_root([i.get("path", "") for i in manifest.get("inputs", []) if isinstance(i, dict)])

    def relative(self, path: str | None) -> str | None:
        return relative_path(path, self.roots)

    def columns(self, table: str) -> tuple[cols.Column, ...]:
        return tuple(c for c in cols.columns(table) if c.name not in self.drop)

    def __call__(self, table: str, record: dict) -> dict:
        record = dict(record)
        for key in ("source_file",):
            record[key] = relative_path(record.get(key), self.roots)
        if table == "captures":
            record["id"] = relative_path(record.get("id"), self.roots)
        p = self.people
        if p is not None:
            site = record.get("site")
            if table in ("posts", "threads"):
                record["author_name"] = p.person(record.get("author_key")) if record.get("author_key") else \
                    p.name(site, record.get("author_name"))
                record["author_key"] = self._key(site, record.get("author_key"))
                record["title"] = p.text(site, record.get("title"))
            if table == "posts":
                record["author_id"] = p.person(record["author_key"]) if record.get("author_id") else None
                record["author_url"] = p.url(record.get("author_url"))
                for name in ("body_text", "body_html", "published_raw", "votes_raw"):
                    record[name] = p.text(site, record.get(name))
                record["quotes"] = [{**q, "author": p.name(site, q.get("author")),
                                     "author_key": self._key(site, q.get("author_key")),
                                     "text": p.text(site, q.get("text"))} for q in record.get("quotes") or ()]
                record["links"] = [{"url": p.url(link["url"]) if link.get("url") in p.urls else link.get("url"),
                                    "text": p.text(site, link.get("text"))} for link in record.get("links") or ()]
            if table == "participants":
                person = p.person(record["key"])
                record.update(id=person, key=self._key(site, record["key"]), name=person,
                              names_seen=sorted({p.name(site, n) for n in record.get("names_seen") or ()}),
                              url=p.url(record.get("url")), avatar_url=p.url(record.get("avatar_url")))
            if table == "captures":
                record["reason"] = p.text(site, record.get("reason"))
            record["extra"] = self._extra(site, record.get("extra"))
        for name in self.drop:
            record.pop(name, None)
        return record

    def _key(self, site, key: str | None) -> str | None:
        return None if key is None else f"{site or '-'}/{self.people.person(key)}"

    def _extra(self, site, value, top: bool = True):
        if top and isinstance(value, dict):
            # Drupal's truncated display name and an anonymous poster's homepage name the person directly
            value = {**value}
            if value.get("author_name_displayed"):
                value["author_name_displayed"] = self.people.name(site, value["author_name_displayed"])
            if value.get("author_homepage"):
                value["author_homepage"] = self.people.url(value["author_homepage"])
        if isinstance(value, str):
            return self.people.text(site, value)
        if isinstance(value, dict):
            return {k: self._extra(site, v, False) for k, v in value.items()}
        if isinstance(value, list):
            return [self._extra(site, v, False) for v in value]
        return value


def export(dataset: str, output: str, options: ExportOptions, report=None) -> ExportSummary:
    """Write the requested formats of ``dataset`` into ``output``."""
    from harvester.export import formats as fmt

    root, manifest = check_dataset(dataset)
    out = check_output(output)
    unknown = [f for f in options.formats if f not in FORMATS]
    if unknown or not options.formats:
        raise ExportError(f"unknown format {unknown[0]!r}; known: {', '.join(FORMATS)}" if unknown else
                          "no format given")
    summary = ExportSummary()
    people = None
    if options.pseudonymise:
        if not options.key_file:
            raise ExportError("--pseudonymise needs --key-file (made with a new random key if it does not exist)")
        key, summary.key_created = load_key(options.key_file)
        people = Pseudonymiser(key)
        for participant in read_table(root, "participants"):
            people.learn(participant)
    transform = Transform(manifest, options, people)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    try:
        writers = [fmt.WRITERS[name](tmp, transform, manifest) for name in options.formats]
        examples: dict[str, dict[str, object]] = {}
        for table, _ in TABLES:
            for w in writers:
                w.begin(table)
            seen = examples.setdefault(table, {})
            n = 0
            for record in read_table(root, table):
                row = transform(table, record)
                for w in writers:
                    w.row(table, row)
                for key, value in row.items():
                    if key not in seen and value not in (None, "", [], {}):
                        seen[key] = value
                n += 1
            summary.counts[table] = n
            for w in writers:
                w.end(table)
        for w in writers:
            w.close()
        fmt.write_dictionary(tmp, transform, examples)
        fmt.write_manifest(tmp, manifest, options, transform, summary, writers)
        (tmp / MARKER).write_text(f"harvester {__version__} export\n", encoding="utf-8")
        os.chmod(tmp, 0o777 & ~_umask())
        summary.files = sorted(p.relative_to(tmp).as_posix() for p in tmp.rglob("*") if p.is_file())
        _replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return summary


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _replace(tmp: Path, out: Path) -> None:
    """Move the finished export into place; an earlier export there goes only once the new one is whole."""
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        os.rename(out, old)
        os.rename(tmp, out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(tmp, out)


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
