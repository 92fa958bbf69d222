"""Serialise a dataset directory: JSON Lines tables, schemas and a datapackage.json manifest.

Everything is written into a sibling temporary directory and moved into place at the end, so an
interrupted run never leaves a directory that looks like a finished dataset.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import orjson

from harvester import __version__, records

TABLES = (("threads", "thread"), ("posts", "post"), ("participants", "participant"), ("captures", "capture"))
MANIFEST = "datapackage.json"
MEDIA_TYPES = {"jsonl": "application/jsonl", "parquet": "application/vnd.apache.parquet"}


class OutputError(Exception):
    """The output directory cannot be used."""


def check_output(path: str) -> None:
    """Refuse to replace a non-empty directory that is not a harvester dataset."""
    out = Path(path)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{path} exists and is not a directory")
    if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).exists():
        raise OutputError(f"{path} is not empty and holds no {MANIFEST}; refusing to overwrite it")


def dumps(record: dict) -> bytes:
    """One compact UTF-8 JSON line, newline included. orjson: serialising was most of the serial work left
    in a --jobs run; it appends the newline without copying the line."""
    return orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)


_STREAMED = "\0 written item by item \0"  # where the inputs go in the manifest; no path holds a NUL


class DatasetWriter:
    """Streams records into a temporary directory; ``commit`` moves it into place, ``abort`` removes it."""

    def __init__(self, path: str):
        check_output(path)
        self.out = Path(path)
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.partial-", dir=self.out.parent))
        self.counts = {name: 0 for name, _ in TABLES}
        self._files = {name: open(self.tmp / f"{name}.jsonl", "wb") for name, _ in TABLES}

    def write(self, table: str, record: dict) -> None:
        self.write_line(table, dumps(record))

    def write_line(self, table: str, line: bytes) -> None:
        """A record already serialised by ``dumps`` (workers serialise in parallel)."""
        self._files[table].write(line)
        self.counts[table] += 1

    def write_lines(self, table: str, lines: list[bytes]) -> None:
        self._files[table].writelines(lines)
        self.counts[table] += len(lines)

    def append_file(self, table: str, path: str, count: int) -> None:
        """``count`` lines a worker process wrote to ``path``, which goes afterwards. The kernel copies them
        where it can (copy_file_range), so the main process, the serial part of a --jobs run, neither
        receives nor writes them."""
        fh = self._files[table]
        fh.flush()
        with open(path, "rb") as src:
            left = os.fstat(src.fileno()).st_size
            try:
                while left > 0:
                    copied = os.copy_file_range(src.fileno(), fh.fileno(), left)
                    if copied == 0:
                        break
                    left -= copied
            except (AttributeError, OSError):  # another system or file system: copy what is left ourselves
                pass
            if left > 0:
                shutil.copyfileobj(src, fh)
        os.remove(path)
        self.counts[table] += count

    def write_manifest(self, manifest_extra: dict, inputs: Iterable[dict] = (), table_format: str = "jsonl") -> None:
        """Close the tables, write the schemas, then the manifest. ``inputs`` (every input file read, as
        {"path", "sha256", "size"}) is streamed into it: a collection of loose pages can have millions."""
        for fh in self._files.values():
            fh.close()
        (self.tmp / "schemas").mkdir()
        for _name, record_type in TABLES:
            with open(self.tmp / "schemas" / f"{record_type}.schema.json", "w", encoding="utf-8") as fh:
                json.dump(records.schema(record_type), fh, indent=2)
                fh.write("\n")
        manifest = {
            "profile": "data-package",
            "name": "harvester-dataset",
            "created": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            "harvester_version": __version__,
            "schema_version": records.SCHEMA_VERSION,
            "schema_versions": {record_type: records.SCHEMA_VERSION for _name, record_type in TABLES},
            "counts": dict(self.counts),
            "inputs": _STREAMED,
            **manifest_extra,
            "resources": [{
                "name": name,
                "path": f"{name}.{table_format}",  # parquet (Spark): a directory of part files
                "format": table_format,
                "mediatype": MEDIA_TYPES[table_format],
                "encoding": "utf-8",
                "records": self.counts[name],
                "schema": f"schemas/{record_type}.schema.json",
            } for name, record_type in TABLES],
        }
        head, tail = json.dumps(manifest, indent=2, ensure_ascii=False).split(json.dumps(_STREAMED), 1)
        # The manifest is written last: a directory without it is never mistaken for a finished dataset.
        with open(self.tmp / MANIFEST, "w", encoding="utf-8") as fh:
            fh.write(head)
            separator = "[\n    "
            for item in inputs:
                fh.write(separator + json.dumps(item, ensure_ascii=False))
                separator = ",\n    "
            fh.write("[]" if separator.startswith("[") else "\n  ]")
            fh.write(tail + "\n")

    def publish(self) -> None:
        """Move the finished dataset into place."""
        _replace(self.tmp, self.out)

    def commit(self, manifest_extra: dict, inputs: Iterable[dict] = ()) -> None:
        self.write_manifest(manifest_extra, inputs)
        self.publish()

    def abort(self) -> None:
        for fh in self._files.values():
            fh.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


def _replace(tmp: Path, out: Path) -> None:
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        os.rename(out, old)
    os.rename(tmp, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
