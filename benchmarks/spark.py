"""extract --spark local[2] against --jobs 2 and --jobs 1 on one corpus; Spark's fixed start-up cost; driver memory.

    python benchmarks/spark.py bench/c200.warc.gz [--flat bench/c800.warc.gz] [--runs 3]

Every run is the real command line to a finished dataset, in its own process tree, timed wall-clock; the median of
``--runs`` is reported. The start-up cost is a Spark run on one small page (session, JVM, Python workers, the
stages with nothing in them). Memory: the peak resident set of the driver's Python process and of the JVM (in
local mode, driver and executors in one), sampled every 0.1 s from /proc; with ``--flat``, the same on a bigger
corpus, to see whether the driver grows with the records.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE = os.path.join(HERE, "..", "samples", "drupal", "d7-daa-seed", "page.html")


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(p) for p in fh.read().split()]
    except OSError:
        return []


def _comm(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/comm") as fh:
            return fh.read().strip()
    except OSError:
        return ""


def run(args: list[str]) -> dict:
    """Wall time and peak RSS (MB) of the driver (this command's process) and of any JVM under it."""
    out = tempfile.mkdtemp(prefix="bench-spark-")
    target = os.path.join(out, "ds")
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "harvester", "extract", *args, "-o", target, "--no-progress"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    driver = jvm = 0
    while proc.poll() is None:
        driver = max(driver, _rss_kb(proc.pid))
        for child in _children(proc.pid):
            if _comm(child) == "java":
                jvm = max(jvm, _rss_kb(child))
        time.sleep(0.1)
    elapsed = time.perf_counter() - start
    err = proc.stderr.read()
    summary = [ln for ln in err.splitlines() if ln.startswith("harvester:")]
    shutil.rmtree(out, ignore_errors=True)
    if proc.returncode not in (0, 1) or not summary:
        raise SystemExit(f"harvester extract {' '.join(args)} failed:\n{err[-2000:]}")
    pages = int(summary[-1].split(" pages:")[0].rsplit(" ", 1)[-1])
    return {"seconds": elapsed, "pages": pages, "driver_mb": driver / 1024, "jvm_mb": jvm / 1024}


def median_run(args: list[str], runs: int) -> dict:
    results = [run(args) for _ in range(runs)]
    best = {k: statistics.median(r[k] for r in results) for k in ("seconds", "driver_mb", "jvm_mb")}
    return {**best, "pages": results[0]["pages"]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="+", help="WARC files (or directories) to extract")
    ap.add_argument("--flat", nargs="+", help="a bigger corpus, for the driver memory of the Spark run")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--split-mb", type=float, default=16, help="spark.harvester.splitMB for the Spark runs")
    args = ap.parse_args(argv)
    spark = ["--spark", "local[2]", "--conf", f"spark.harvester.splitMB={args.split_mb}",
             "--conf", "spark.ui.showConsoleProgress=false"]
    startup = median_run([SAMPLE, *spark], args.runs)
    rows = [
        ("--jobs 1", 1, median_run([*args.corpus, "--jobs", "1"], args.runs)),
        ("--jobs 2", 2, median_run([*args.corpus, "--jobs", "2"], args.runs)),
        ("--spark local[2]", 2, median_run([*args.corpus, *spark], args.runs)),
    ]
    one = rows[0][2]["pages"] / rows[0][2]["seconds"]
    print(f"{rows[0][2]['pages']} pages; median of {args.runs} runs\n")
    print("| run | seconds | pages/s | per core | vs --jobs 1 | driver RSS MB | JVM RSS MB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, cores, r in rows:
        rate = r["pages"] / r["seconds"]
        print(f"| {name} | {r['seconds']:.1f} | {rate:.1f} | {rate / cores:.1f} | {rate / one:.2f}x | "
              f"{r['driver_mb']:.0f} | {r['jvm_mb']:.0f} |")
    spark_row = rows[2][2]
    net = spark_row["seconds"] - startup["seconds"]
    print(f"\nSpark start-up (one page, local[2]): {startup['seconds']:.1f} s; driver {startup['driver_mb']:.0f} MB, "
          f"JVM {startup['jvm_mb']:.0f} MB")
    if net > 0:
        rate = spark_row["pages"] / net
        print(f"local[2] without the start-up: {rate:.1f} pages/s, {rate / 2:.1f} per core, {rate / one:.2f}x --jobs 1")
    if args.flat:
        big = median_run([*args.flat, *spark], 1)
        print(f"\nflatness: {spark_row['pages']} pages -> driver {spark_row['driver_mb']:.0f} MB, JVM "
              f"{spark_row['jvm_mb']:.0f} MB; {big['pages']} pages ({big['seconds']:.1f} s) -> driver "
              f"{big['driver_mb']:.0f} MB, JVM {big['jvm_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
