"""The export's view of the record contract: each table's columns with one analysis type each.

Derived from ``harvester.records``, so a new field reaches every format (and its data dictionary) at once.
Kinds: ``string``, ``integer``, ``number``, ``boolean``, ``utc`` (an instant, from ``...Z`` text), ``local``
(a wall-clock time without zone, kept apart from the instants), ``strings`` (a list of strings), ``records``
(a list of small objects: links, quotes) and ``json`` (``extra``: an object whose keys vary by engine, kept as
JSON text so that tables of different runs and engines always have the same columns).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from harvester import records
from harvester.writers import TABLES


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    description: str
    fields: tuple[str, ...] = ()  # for kind "records": the keys of each item


def _kind(spec: dict) -> tuple[str, tuple[str, ...]]:
    types = spec.get("type", "string")
    types = [t for t in (types if isinstance(types, list) else [types]) if t != "null"]
    if "enum" in spec or "const" in spec:
        return ("string", ())
    if spec.get("format") == "date-time":
        return ("utc", ())
    if spec.get("pattern", "").endswith(r"\d{2}:\d{2}:\d{2}$"):
        return ("local", ())
    kind = types[0] if types else "string"
    if kind == "array":
        items = spec.get("items", {})
        if items.get("type") == "object":
            return ("records", tuple(items["properties"]))
        return ("strings", ())
    if kind == "object":
        return ("json", ())
    return (kind, ())


@cache
def columns(table: str) -> tuple[Column, ...]:
    record_type = dict(TABLES)[table]
    props = records.schema(record_type)["properties"]
    out = []
    for name in records.field_order(record_type):
        spec = props[name]
        kind, fields = _kind(spec)
        out.append(Column(name, kind, spec.get("description", ""), fields))
    return tuple(out)


def parse_utc(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def parse_local(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None
