"""Where one `harvester extract --jobs 1` spends its time, part by part.

    python benchmarks/breakdown.py corpus.warc.gz        # prints JSON: seconds per part, pages

Runs the real ``harvester.extract.extract`` in this process with a timer around each part of the pipeline
(the functions extract calls, wrapped here; nothing in harvester changes). Timers sit at page and thread
granularity, so their own cost (two clock reads per call) is far below the noise. run.py prints the result as
a table, with what extract would reach if its engine took no time at all.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from collections import defaultdict

SPENT: dict[str, float] = defaultdict(float)


def _timed(part: str, fn):
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            SPENT[part] += time.perf_counter() - start

    return wrapper


def _timed_iter(part: str, make):
    def wrapper(*args, **kwargs):
        items = iter(make(*args, **kwargs))
        while True:
            start = time.perf_counter()
            try:
                item = next(items)
            except StopIteration:
                return
            finally:
                SPENT[part] += time.perf_counter() - start
            yield item

    return wrapper


def breakdown(path: str) -> dict:
    from harvester import engines, extract
    from harvester.assemble import People
    from harvester.writers import DatasetWriter

    extract.iter_jobs = _timed_iter("read", extract.iter_jobs)
    extract.Document = _timed("document", extract.Document)
    engines.detect = _timed("engine", engines.detect)
    for engine in engines.REGISTRY:
        engine.parse = _timed("engine", engine.parse)
    extract._work = _timed("work", extract._work)  # Document + engine + provenance, capture values, pickle
    for name in ("add", "add_capture", "captures", "close"):
        setattr(extract._Spill, name, _timed("spill", getattr(extract._Spill, name)))
    extract._Spill.rows = staticmethod(_timed("spill", extract._Spill.rows))
    extract._merge_work = _timed("merge", extract._merge_work)
    for name in ("write", "write_line", "write_lines", "append_file", "write_manifest", "publish"):
        setattr(DatasetWriter, name, _timed("write", getattr(DatasetWriter, name)))
    for name in ("add_posts", "add_member"):
        setattr(People, name, _timed("participants", getattr(People, name)))
    People.records = _timed_iter("participants", People.records)

    out = tempfile.mkdtemp(prefix="harvester-breakdown-")
    shutil.rmtree(out)
    try:
        start = time.perf_counter()
        summary = extract.extract([path], out, extract.Options(progress=False), report=lambda msg: None)
        total = time.perf_counter() - start
    finally:
        shutil.rmtree(out, ignore_errors=True)
    parts = dict(SPENT)
    parts["pickle"] = parts.pop("work") - parts["document"] - parts["engine"]
    parts["other"] = total - sum(parts.values())
    return {"pages": summary.ok, "total": total, "parts": parts}


if __name__ == "__main__":
    print(json.dumps(breakdown(sys.argv[1])))
