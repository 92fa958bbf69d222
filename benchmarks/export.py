"""Export benchmark: time, peak memory and output size of `harvester export` for each format, on datasets of
growing size, to check that memory stays flat in the number of posts and how much smaller Parquet is.

    python benchmarks/export.py --pages 200 1000 --work bench/export

Each size: a corpus from generate.py, `harvester extract` into a dataset, then one `harvester export` per
format in a child process (its peak RSS from getrusage). Prints a table; the last figures are in README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FORMATS = ("jsonl", "parquet", "csv", "sqlite", "duckdb", "convokit", "graph")


def measure(pages: int, work: Path) -> list[dict]:
    work.mkdir(parents=True, exist_ok=True)
    warc = work / f"corpus-{pages}.warc.gz"
    dataset = work / f"dataset-{pages}"
    if not warc.exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--pages", str(pages), "--warc", str(warc)],
                       check=True, stdout=subprocess.DEVNULL)
    if not dataset.exists():
        subprocess.run([sys.executable, "-m", "harvester", "extract", str(warc), "-o", str(dataset),
                        "--no-progress"], check=True, stderr=subprocess.DEVNULL)
    posts = json.loads((dataset / "datapackage.json").read_text())["counts"]["posts"]
    jsonl_mb = sum(f.stat().st_size for f in dataset.glob("*.jsonl")) / 1e6
    rows = []
    for fmt in FORMATS:
        out = work / f"out-{pages}-{fmt}"
        code = (f"import resource, sys; from harvester.cli import main; code = main(['export', {str(dataset)!r}, "
                f"'--to', {fmt!r}, '--output', {str(out)!r}]); "
                "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss); sys.exit(code)")
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        rss = int(done.stdout.split()[-1]) / 1024
        size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file()) / 1e6
        rows.append({"pages": pages, "posts": posts, "format": fmt, "seconds": seconds, "rss_mb": rss,
                     "out_mb": size, "jsonl_mb": jsonl_mb})
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, nargs="+", default=[200, 1000])
    ap.add_argument("--work", default="bench/export")
    args = ap.parse_args()
    os.environ.setdefault("PYTHONHASHSEED", "0")
    print("| pages | posts | format | seconds | peak RSS MB | output MB | JSONL tables MB | JSONL / output |")
    print("|---:|---:|---|---:|---:|---:|---:|---:|")
    for pages in args.pages:
        for r in measure(pages, Path(args.work)):
            print(f"| {r['pages']} | {r['posts']} | {r['format']} | {r['seconds']:.1f} | {r['rss_mb']:.0f} | "
                  f"{r['out_mb']:.1f} | {r['jsonl_mb']:.1f} | {r['jsonl_mb'] / r['out_mb']:.1f}x |")


if __name__ == "__main__":
    main()
