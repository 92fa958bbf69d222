"""Serialise a dataset directory: JSON Lines tables, schemas and a datapackage.json manifest.

Everything is written into a sibling temporary directory and moved into place at the end, so an
interrupted run never leaves a directory that looks like a finished dataset. A marker file lists every file
harvester wrote: only a directory that it verifies (nothing else in it) is ever replaced, and the swap is one
atomic exchange where the kernel offers it; an interrupted swap is undone by the next run.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import re
import shutil
import sys
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


MARKER = ".harvester-dataset"  # {"written_by": "harvester", "files": [every path harvester wrote]}
# What datasets written before the marker hold: accepted only when nothing else is there.
_LEGACY_FILES = {MANIFEST, "schemas", "CODEBOOK.md", *(f"{t}.jsonl" for t, _r in TABLES),
                 *(f"schemas/{r}.schema.json" for _t, r in TABLES)}


def check_output(path: str, inputs: Iterable[str] = ()) -> None:
    """Refuse an output that is not harvester's own dataset, holds files it did not write, or overlaps an
    input. Undoes an interrupted swap and removes dead runs' temporary directories first."""
    out = Path(path)
    recover(out)
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise OutputError(f"{path} exists and is not a directory")
    if out.is_dir():
        foreign = foreign_files(out)
        if foreign is None:
            raise OutputError(f"{path} is not empty and is not a dataset harvester wrote; refusing to replace it")
        if foreign:
            shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
            raise OutputError(f"{path} holds files harvester did not write ({shown}); move them away first")
    resolved = out.resolve()
    for given in inputs:
        inp = Path(given).resolve()
        if resolved == inp or inp in resolved.parents:
            raise OutputError(f"output {path} is inside input {given}")
        if resolved in inp.parents:
            raise OutputError(f"input {given} is inside output {path}, which would replace it")


def _entries(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))


def foreign_files(out: Path) -> list[str] | None:
    """Files in ``out`` that harvester did not write; None when ``out`` is not a dataset it wrote at all."""
    entries = _entries(out)
    if not entries:
        return []
    try:
        with open(out / MARKER, encoding="utf-8") as fh:
            marker = json.load(fh)
        written = set(marker["files"]) | {MARKER}
        if marker.get("written_by") != "harvester":
            return None
    except FileNotFoundError:
        try:
            with open(out / MANIFEST, "rb") as fh:
                if b'"harvester_version"' not in fh.read(4096):
                    return None
        except OSError:
            return None
        written = _LEGACY_FILES
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return [e for e in entries if e not in written]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def recover(out: Path) -> list[str]:
    """Put back a dataset a killed swap left aside, and remove the temporary directories of runs that are
    no longer alive (a killed run's ``.NAME.partial-PID-*``). Returns what was done."""
    done: list[str] = []
    debris = re.compile(rf"\.{re.escape(out.name)}\.(partial|old)-(\d+)(?:-.*)?")
    try:
        siblings = sorted(out.parent.iterdir())
    except OSError:
        return done
    for sibling in siblings:
        m = debris.fullmatch(sibling.name)
        if not m or not sibling.is_dir() or sibling.is_symlink():
            continue
        pid = int(m.group(2))
        if pid != os.getpid() and _alive(pid):
            continue  # another run is still writing
        if m.group(1) == "old" and not out.exists():
            os.rename(sibling, out)
            done.append(f"restored {out} from an interrupted replacement")
        else:
            shutil.rmtree(sibling, ignore_errors=True)
            done.append(f"removed {sibling.name}, left by an interrupted run")
    for line in done:
        print(f"harvester: {line}", file=sys.stderr)
    return done


def dumps(record: dict) -> bytes:
    """One compact UTF-8 JSON line, newline included. orjson: serialising was most of the serial work left
    in a --jobs run; it appends the newline without copying the line."""
    return orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)


_STREAMED = "\0 written item by item \0"  # where the inputs go in the manifest; no path holds a NUL
_STREAMED_SOURCES = "\0 sources written item by item \0"
CODEBOOK = "CODEBOOK.md"


def _stream_list(fh, listed: Path, shape) -> None:
    """A JSON list of the items in ``listed`` (JSON Lines), one per line, shaped by ``shape``."""
    separator = "[\n    "
    with open(listed, "rb") as src:
        for line in src:
            fh.write(separator + json.dumps(shape(orjson.loads(line)), ensure_ascii=False))
            separator = ",\n    "
    fh.write("[]" if separator.startswith("[") else "\n  ]")


class DatasetWriter:
    """Streams records into a temporary directory; ``commit`` moves it into place, ``abort`` removes it."""

    def __init__(self, path: str, inputs: Iterable[str] = ()):
        self.out = Path(path)
        self.out.parent.mkdir(parents=True, exist_ok=True)
        check_output(path, inputs)
        # The pid names the run: a later run removes the directory only once this process is gone.
        self.tmp = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.partial-{os.getpid()}-", dir=self.out.parent))
        _permit(self.tmp)
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
        """Close the tables, write the schemas and CODEBOOK.md, then the manifest: a Frictionless data package
        whose tables carry Table Schemas with keys. ``inputs`` (every input file read, as {"path", "sha256",
        "size"}) is streamed into it, twice (as harvester's ``inputs`` and as the package's ``sources``): a
        collection of loose pages can have millions. ``manifest_extra["metadata"]`` holds the title,
        description, licences and citation the user gave."""
        from harvester import package

        for fh in self._files.values():
            fh.close()
        (self.tmp / "schemas").mkdir()
        for _name, record_type in TABLES:
            with open(self.tmp / "schemas" / f"{record_type}.schema.json", "w", encoding="utf-8") as fh:
                json.dump(records.schema(record_type), fh, indent=2)
                fh.write("\n")
        (self.tmp / CODEBOOK).write_text(package.codebook(), encoding="utf-8")
        extra = dict(manifest_extra)
        metadata = extra.pop("metadata", None)
        all_captures = bool((extra.get("options") or {}).get("all_captures"))
        tabular = table_format == "jsonl"
        manifest = {
            "profile": "tabular-data-package" if tabular else "data-package",
            "name": "harvester-dataset",
            **package.descriptive(metadata),
            "created": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            "harvester_version": __version__,
            "schema_version": records.SCHEMA_VERSION,
            "schema_versions": {record_type: records.SCHEMA_VERSION for _name, record_type in TABLES},
            "counts": dict(self.counts),
            "inputs": _STREAMED,
            **extra,
            "sources": _STREAMED_SOURCES,
            "resources": [{
                "name": name,
                "path": f"{name}.{table_format}",  # parquet (Spark): one file per table
                "type": "table" if tabular else "file",
                **({"profile": "tabular-data-resource"} if tabular else {}),
                "format": table_format,
                "mediatype": MEDIA_TYPES[table_format],
                "encoding": "utf-8",
                "records": self.counts[name],
                **({"schema": package.table_schema(name, all_captures=all_captures)} if tabular else {}),
                "jsonSchema": f"schemas/{record_type}.schema.json",
            } for name, record_type in TABLES],
        }
        # the inputs go through a temporary file: the manifest lists them twice, and they come as a stream
        listed = self.tmp / ".inputs.tmp"
        with open(listed, "wb") as fh:
            for item in inputs:
                fh.write(orjson.dumps(item, option=orjson.OPT_APPEND_NEWLINE))
        text = json.dumps(manifest, indent=2, ensure_ascii=False)
        head, rest = text.split(json.dumps(_STREAMED), 1)
        middle, tail = rest.split(json.dumps(_STREAMED_SOURCES), 1)
        # The manifest is written last: a directory without it is never mistaken for a finished dataset.
        with open(self.tmp / MANIFEST, "w", encoding="utf-8") as fh:
            fh.write(head)
            _stream_list(fh, listed, lambda item: item)
            fh.write(middle)
            _stream_list(fh, listed, lambda item: {"title": item.get("path"), "path": item.get("path"),
                                                   "sha256": item.get("sha256"), "bytes": item.get("size")})
            fh.write(tail + "\n")
        listed.unlink()

    def publish(self) -> None:
        """Write the marker, then move the finished dataset into place."""
        files = [e for e in _entries(self.tmp) if e != MARKER]
        with open(self.tmp / MARKER, "w", encoding="utf-8") as fh:
            json.dump({"written_by": "harvester", "harvester_version": __version__, "files": files}, fh)
        _replace(self.tmp, self.out)

    def commit(self, manifest_extra: dict, inputs: Iterable[dict] = ()) -> None:
        self.write_manifest(manifest_extra, inputs)
        self.publish()

    def abort(self) -> None:
        for fh in self._files.values():
            try:
                fh.close()
            except OSError:  # its buffer could not be flushed (the disk is full): it is being removed anyway
                pass
        shutil.rmtree(self.tmp, ignore_errors=True)


def _permit(directory: Path) -> None:
    """mkdtemp makes a private directory; a dataset gets what the umask allows, like any other directory."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(directory, 0o777 & ~mask)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # an old kernel or a file system without exchange
    raise OSError(err, os.strerror(err), str(b))


def _replace(tmp: Path, out: Path) -> None:
    """Put ``tmp`` at ``out``. With an exchange, ``out`` is at every instant the old or the new dataset;
    otherwise the old one waits at ``.NAME.old-PID`` between two renames, and is put back if this fails or
    is interrupted (``recover`` does it in the next run if this process is killed)."""
    if not out.exists():
        os.rename(tmp, out)
        return
    if _exchange(tmp, out):
        shutil.rmtree(tmp, ignore_errors=True)  # now the old dataset
        return
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    os.rename(out, old)
    try:
        os.rename(tmp, out)
    except BaseException:
        if not out.exists():
            os.rename(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)
