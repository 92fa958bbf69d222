"""Serialise a dataset directory: JSON Lines tables, schemas and a datapackage.json manifest.

Everything is written into a sibling temporary directory and moved into place at the end, so an
interrupted run never leaves a directory that looks like a finished dataset.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from harvester import __version__, records

TABLES = (("threads", "thread"), ("posts", "post"), ("participants", "participant"), ("captures", "capture"))
MANIFEST = "datapackage.json"


class OutputError(Exception):
    """The output directory cannot be used."""


def check_output(path: str) -> None:
    """Refuse to replace a non-empty directory that is not a harvester dataset."""
    out = Path(path)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{path} exists and is not a directory")
    if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).exists():
        raise OutputError(f"{path} is not empty and holds no {MANIFEST}; refusing to overwrite it")


def dumps(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def write_dataset(path: str, tables: dict[str, list[dict]], manifest_extra: dict) -> dict:
    check_output(path)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    try:
        resources = []
        for name, record_type in TABLES:
            rows = tables.get(name, [])
            with open(tmp / f"{name}.jsonl", "w", encoding="utf-8", newline="\n") as fh:
                for row in rows:
                    fh.write(dumps(row))
                    fh.write("\n")
            resources.append({
                "name": name,
                "path": f"{name}.jsonl",
                "format": "jsonl",
                "mediatype": "application/jsonl",
                "encoding": "utf-8",
                "records": len(rows),
                "schema": f"schemas/{record_type}.schema.json",
            })
        (tmp / "schemas").mkdir()
        for _name, record_type in TABLES:
            with open(tmp / "schemas" / f"{record_type}.schema.json", "w", encoding="utf-8") as fh:
                json.dump(records.schema(record_type), fh, indent=2)
                fh.write("\n")
        manifest = {
            "profile": "data-package",
            "name": "harvester-dataset",
            "created": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            "harvester_version": __version__,
            "schema_version": records.SCHEMA_VERSION,
            "counts": {name: len(tables.get(name, [])) for name, _ in TABLES},
            **manifest_extra,
            "resources": resources,
        }
        with open(tmp / MANIFEST, "w", encoding="utf-8") as fh:
            json.dump(manifest, fh, indent=2, ensure_ascii=False)
            fh.write("\n")
        _replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


def _replace(tmp: Path, out: Path) -> None:
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        os.rename(out, old)
    os.rename(tmp, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
