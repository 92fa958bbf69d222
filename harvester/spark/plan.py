"""The driver's plan: which inputs there are, in the single-machine order, cut into units of work.

Local paths are walked exactly as ``harvester extract`` walks them. Other URLs (``hdfs://``, ``s3a://``,
``gs://``, ``file://``) are expanded by the cluster's own Hadoop file system (globs, directories recursively,
sorted), so whatever the cluster reads can be an input. An archive bigger than the split size is cut into byte
ranges: at the offsets of a CDXJ index beside it when there is one, else (gzipped files) wherever the next gzip
member after a cut begins a record, found by the task itself. An uncompressed archive without an index is one
unit: a WARC header line can appear inside a payload, so scanning for one could cut a record in two.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator

from harvester.sources import files
from harvester.spark.tasks import Unit, local_path, scheme

DEFAULT_SPLIT_MB = 256


def plan(inputs: list[str], split_bytes: int, remote_lister: Callable[[str], list[tuple[str, int]]] | None = None,
         index_reader: Callable[[str], Iterator[bytes]] | None = None) -> list[Unit]:
    """Units in the single-machine order. ``remote_lister(url)``: (path, size) of the files a URL names."""
    loose: list[Unit] = []
    archived: list[tuple[str, int | None]] = []
    for given in inputs:
        if scheme(given) and remote_lister is not None:
            found = remote_lister(given)
            if not found:
                loose.append(Unit("error", 0, given, error="no such file or directory"))
            for path, size in found:
                if files.is_archive(path):
                    archived.append((path, size))
                else:
                    loose.append(Unit("file", 0, path, size=size))
            continue
        for entry in files.walk([local_path(given) or given]):
            if entry.error:
                loose.append(Unit("error", 0, entry.path, error=entry.error))
            elif files.is_archive(entry.path):
                archived.append((entry.path, None))
            else:
                loose.append(Unit("file", 0, entry.path))
    units = [Unit(u.kind, n, u.path, size=u.size, error=u.error) for n, u in enumerate(loose)]
    offsets = _index_offsets([p for p, _ in archived], index_reader) if split_bytes else {}
    for n, (path, size) in enumerate(archived):
        if size is None:
            try:
                size = os.path.getsize(path)
            except OSError:
                size = None  # the task reports it
        units.extend(_ranges(n, path, size, split_bytes, offsets.get(path)))
    return units


def _ranges(n: int, path: str, size: int | None, split_bytes: int, offsets: list[int] | None) -> list[Unit]:
    lower = path.lower()
    if (not split_bytes or size is None or size <= split_bytes or lower.endswith(".wacz")
            or (not lower.endswith(".gz") and not offsets)):
        return [Unit("archive", n, path, size=size)]
    if offsets:  # exact record starts from the index; a range holds at least one of them
        cuts = [0]
        for offset in sorted(set(offsets)):
            if offset >= cuts[-1] + split_bytes:
                cuts.append(offset)
        bounds = list(zip(cuts, [*cuts[1:], None], strict=True))
        exact = True
    else:
        starts = list(range(0, size, split_bytes))
        bounds = list(zip(starts, [*starts[1:], None], strict=True))
        exact = False
    if len(bounds) == 1:
        return [Unit("archive", n, path, size=size)]
    return [Unit("digest", n, path, size=size)] + [
        Unit("range", n, path, start=start, end=end, exact=exact, size=size) for start, end in bounds]


def _index_offsets(archives: list[str], index_reader) -> dict[str, list[int]]:
    """Record offsets per archive from the CDXJ indexes (``*.cdxj``) in the archives' directories."""
    by_dir: dict[str, list[str]] = {}
    for path in archives:
        by_dir.setdefault(os.path.dirname(path), []).append(path)
    found: dict[str, list[int]] = {}
    for directory, paths in by_dir.items():
        names = {os.path.basename(p): p for p in paths}
        for lines in _indexes(directory, index_reader):
            for line in lines:
                try:
                    fields = json.loads(line.split(b" ", 2)[2])
                    path = names.get(fields["filename"])
                    if path is not None:
                        found.setdefault(path, []).append(int(fields["offset"]))
                except (IndexError, KeyError, ValueError, TypeError):
                    continue  # a line that is not CDXJ: splitting falls back to gzip members
    return found


def _indexes(directory: str, index_reader) -> Iterator[Iterator[bytes]]:
    if scheme(directory) and local_path(directory) is None:
        if index_reader is not None:
            yield from index_reader(directory)
        return
    local = local_path(directory) or "."
    try:
        names = sorted(n for n in os.listdir(local) if n.endswith(".cdxj"))
    except OSError:
        return
    for name in names:
        with open(os.path.join(local, name), "rb") as fh:
            yield fh
