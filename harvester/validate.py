"""Check a dataset directory against the record schemas and its own manifest."""

from __future__ import annotations

import json
from pathlib import Path

from harvester import records
from harvester.writers import MANIFEST, TABLES


def validate_dataset(path: str, limit: int = 20) -> tuple[int, list[str]]:
    """Return (records checked, problems), stopping after ``limit`` problems."""
    from jsonschema import Draft202012Validator, FormatChecker

    problems: list[str] = []
    root = Path(path)
    manifest_path = root / MANIFEST
    if not manifest_path.exists():
        return 0, [f"{manifest_path}: missing; not a harvester dataset"]
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return 0, [f"{manifest_path}: unreadable: {exc}"]
    checked = 0
    ids: dict[str, set] = {}
    thread_refs: list[tuple[str, int, str]] = []
    for table, record_type in TABLES:
        validator = Draft202012Validator(records.schema(record_type), format_checker=FormatChecker())
        file = root / f"{table}.jsonl"
        if not file.exists():
            problems.append(f"{file}: missing")
            continue
        count = 0
        seen = ids.setdefault(table, set())
        with open(file, encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                count += 1
                checked += 1
                try:
                    rec = json.loads(line)
                except ValueError as exc:
                    problems.append(f"{file}:{lineno}: not JSON: {exc}")
                    continue
                for err in validator.iter_errors(rec):
                    where = "/".join(str(p) for p in err.absolute_path) or "(record)"
                    problems.append(f"{file}:{lineno}: {where}: {err.message}")
                    if len(problems) >= limit:
                        return checked, problems
                if isinstance(rec, dict):
                    seen.add((rec.get("site"), rec.get("id")))
                    if table == "posts":
                        thread_refs.append((f"{file}:{lineno}", rec.get("site"), rec.get("thread_id")))
        stated = manifest.get("counts", {}).get(table)
        if stated is not None and stated != count:
            problems.append(f"{file}: {count} records but {MANIFEST} says {stated}")
    for where, site, thread_id in thread_refs:
        if (site, thread_id) not in ids.get("threads", set()):
            problems.append(f"{where}: thread_id {thread_id!r} has no row in threads.jsonl")
            if len(problems) >= limit:
                break
    return checked, problems[:limit]
