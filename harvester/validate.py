"""Check a dataset directory against the record schemas and its own manifest.

Every damage a file can carry becomes a problem line, never a traceback: a manifest that is not an object,
bytes that are not UTF-8, a table that is a folder, JSON nested past reason, NaN, lone surrogates, duplicate
keys, a row twice, a date or URL that is not one.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from harvester import records
from harvester.assemble import reply_loops
from harvester.writers import MANIFEST, TABLES

MAX_LINE = 64 * 1024 * 1024  # a longer line is damage, not a record: never read it whole
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
_KEYS = {"threads": ("site", "id"), "posts": ("site", "id"), "participants": ("key",), "captures": ("id",)}


class _Damaged(ValueError):
    """A line that json.loads would accept but that is not the JSON the dataset promises."""


def _no_constant(name: str):
    raise _Damaged(f"{name} is not a JSON number")


def _no_duplicates(pairs):
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise _Damaged(f"duplicate key {key!r}")
        obj[key] = value
    return obj


def _loads(line: str):
    value = json.loads(line, parse_constant=_no_constant, object_pairs_hook=_no_duplicates)
    _check_strings(value)  # lone surrogates written as \ud800 decode into str but encode nowhere
    return value


def _check_strings(value) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise _Damaged("a string holds a lone surrogate (not Unicode text)") from exc
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _format_checker():
    from jsonschema import FormatChecker

    checker = FormatChecker(formats=())

    @checker.checks("date-time", raises=ValueError)
    def date_time(value) -> bool:
        if not isinstance(value, str):
            return True
        if not _DATE_TIME.match(value):
            return False
        datetime.fromisoformat(value.replace("Z", "+00:00"))  # raises on month 00, hour 99, ...
        return True

    @checker.checks("uri", raises=ValueError)
    def uri(value) -> bool:
        if not isinstance(value, str):
            return True
        parts = urlsplit(value)
        return bool(parts.scheme and (parts.netloc or parts.scheme in ("urn", "mailto", "data"))) and \
            not any(c in value for c in ' <>"{}|\\^`') and all(ord(c) > 0x20 and ord(c) != 0x7F for c in value)

    return checker


def validate_dataset(path: str, limit: int = 20) -> tuple[int, list[str]]:
    """Return (records checked, problems), stopping after ``limit`` problems (0: no limit)."""
    from jsonschema import Draft202012Validator

    limit = limit if limit and limit > 0 else float("inf")
    problems: list[str] = []
    root = Path(path)
    manifest_path = root / MANIFEST
    if not manifest_path.is_file():
        return 0, [f"{manifest_path}: missing; not a harvester dataset"]
    try:
        manifest = _loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        return 0, [f"{manifest_path}: unreadable: {exc}"]
    if not isinstance(manifest, dict):
        return 0, [f"{manifest_path}: not a JSON object; not a harvester dataset"]
    counts = manifest.get("counts") if isinstance(manifest.get("counts"), dict) else {}
    all_captures = bool((manifest.get("options") or {}).get("all_captures")) if isinstance(
        manifest.get("options"), dict) else False
    checker = _format_checker()
    checked = 0
    ids: dict[str, set] = {}
    thread_refs: list[tuple[str, object, object]] = []
    trees: dict[tuple, dict] = {}  # (site, thread id) -> {post id: parent id}

    def problem(text: str) -> bool:
        problems.append(text)
        return len(problems) >= limit

    for table, record_type in TABLES:
        validator = Draft202012Validator(records.schema(record_type), format_checker=checker)
        key = ("observation_id",) if table == "posts" and all_captures else _KEYS[table]
        file = root / f"{table}.jsonl"
        if not file.exists():
            if problem(f"{file}: missing"):
                return checked, problems
            continue
        if not file.is_file():
            if problem(f"{file}: not a file"):
                return checked, problems
            continue
        count = 0
        seen = ids.setdefault(table, set())
        try:
            fh = open(file, "rb")
        except OSError as exc:
            if problem(f"{file}: unreadable: {exc.strerror or exc}"):
                return checked, problems
            continue
        with fh:
            lineno = 0
            while True:
                raw = fh.readline(MAX_LINE + 1)
                if not raw:
                    break
                lineno += 1
                if len(raw) > MAX_LINE:
                    fh.readline()  # the rest of this line, unread into memory by readline's own buffer
                    count += 1
                    if problem(f"{file}:{lineno}: a line over {MAX_LINE // 2**20} MB, not read"):
                        return checked, problems
                    continue
                count += 1
                checked += 1
                try:
                    rec = _loads(raw.decode("utf-8"))
                except UnicodeDecodeError as exc:
                    if problem(f"{file}:{lineno}: not UTF-8 text: {exc.reason} at byte {exc.start}"):
                        return checked, problems
                    continue
                except RecursionError:
                    if problem(f"{file}:{lineno}: JSON nested too deep to be a record"):
                        return checked, problems
                    continue
                except ValueError as exc:
                    if problem(f"{file}:{lineno}: not JSON: {exc}"):
                        return checked, problems
                    continue
                try:
                    errors = list(validator.iter_errors(rec))
                except RecursionError:
                    errors = []
                    if problem(f"{file}:{lineno}: a value nested too deep to check"):
                        return checked, problems
                for err in errors:
                    where = "/".join(str(p) for p in err.absolute_path) or "(record)"
                    if problem(f"{file}:{lineno}: {where}: {err.message}"):
                        return checked, problems
                if isinstance(rec, dict):
                    row_key = tuple(_hashable(rec.get(k)) for k in key)
                    if row_key in seen:
                        shown = ", ".join(f"{k}={rec.get(k)!r}" for k in key)
                        if problem(f"{file}:{lineno}: a second row with the key {shown}"):
                            return checked, problems
                    seen.add(row_key)
                    if table == "posts":
                        thread_refs.append((f"{file}:{lineno}", _hashable(rec.get("site")),
                                            _hashable(rec.get("thread_id"))))
                        tree = trees.setdefault((_hashable(rec.get("site")), _hashable(rec.get("thread_id"))), {})
                        tree[_hashable(rec.get("id"))] = _hashable(rec.get("parent_id"))
        stated = counts.get(table)
        if stated is not None and stated != count:
            if problem(f"{file}: {count} records but {MANIFEST} says {stated}"):
                return checked, problems
    threads = ids.get("threads", set())
    for where, site, thread_id in thread_refs:
        if (site, thread_id) not in threads:
            if problem(f"{where}: thread_id {thread_id!r} has no row in threads.jsonl"):
                return checked, problems
    for (_site, thread_id), tree in trees.items():
        for loop in reply_loops(tree):
            shown = " -> ".join(repr(i) for i in loop[:5]) + (" -> ..." if len(loop) > 5 else "")
            if problem(f"{root / 'posts.jsonl'}: thread {thread_id!r}: parent_id makes a loop: {shown}"):
                return checked, problems
    return checked, problems


def _hashable(value):
    """A key value as something a set holds (a damaged row may carry a list or an object there)."""
    return value if isinstance(value, str | int | float | bool | type(None)) else json.dumps(value, sort_keys=True)
