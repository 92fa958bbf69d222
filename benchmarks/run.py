"""Benchmark harvester against lxml parse-only on a generated .warc.gz; prints a table of stages.

    python benchmarks/run.py corpus.warc.gz                       # every stage, one corpus
    python benchmarks/run.py corpus.warc.gz --flat big.warc.gz huge.warc.gz   # RSS at other sizes

Each stage runs in its own process so its peak RSS is its own. In-process stages stream the WARC and time
only the stage's own work per page (the WARC reading is its own stage); ``extract`` runs the real command
line on the whole file, reading included, to a finished dataset. The ratio column is pages/s divided by
lxml parse-only pages/s on the same pages: THE baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
HARVESTER = [sys.executable, "-m", "harvester"]


# --- stages run inside a child process --------------------------------------------------------------------------


def _payloads(path: str):
    """(url, payload) of every HTML response, as warcio reads them."""
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type == "response":
                yield record.rec_headers.get_header("WARC-Target-URI"), record.content_stream().read()


def _stage_function(name: str):
    """The per-page work of a stage: a function of (url, payload)."""
    if name == "decode":
        from harvester.sources.decode import decode_html

        return lambda url, body: decode_html(body, "utf-8")
    if name == "lxml":
        import lxml.html

        return lambda url, body: lxml.html.document_fromstring(body)
    if name == "harvester":
        from harvester import engines
        from harvester.document import Document
        from harvester.model import Page

        def parse(url, body):
            doc = Document(Page(source_file="bench", source_type="warc", body=body, url=url, http_charset="utf-8"))
            engine = engines.detect(doc)
            return engine.parse(doc, links=False) if engine else None  # as extract calls it: no crawl hints

        return parse
    if name == "lxml-xpath":
        sys.path.insert(0, HERE)
        import lxml_baseline

        return lambda url, body: lxml_baseline.extract(body)
    if name == "bs4":
        sys.path.insert(0, HERE)
        import bs4_baseline

        return lambda url, body: bs4_baseline.extract(body)
    if name == "trafilatura":
        import trafilatura

        return lambda url, body: trafilatura.extract(body, include_comments=True)
    raise KeyError(name)


def write_stage(dataset: str) -> dict:
    """The writer alone: every record of a finished dataset serialised and written again, with its manifest.

    Records are read back and parsed untimed; ``pages`` is the number of captures, so pages/s compares with
    the other rows."""
    import orjson

    from harvester.writers import DatasetWriter

    out = tempfile.mkdtemp(prefix="harvester-bench-write-")
    shutil.rmtree(out)
    writer = DatasetWriter(out)
    spent, pages = 0.0, 0
    for table in ("captures", "threads", "posts", "participants"):
        with open(os.path.join(dataset, f"{table}.jsonl"), "rb") as fh:
            for line in fh:
                record = orjson.loads(line)
                start = time.perf_counter()
                writer.write(table, record)
                spent += time.perf_counter() - start
                pages += table == "captures"
    start = time.perf_counter()
    writer.commit({}, inputs=())
    spent += time.perf_counter() - start
    shutil.rmtree(out, ignore_errors=True)
    return {"pages": pages, "bytes": 0, "seconds": spent,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def run_stage(name: str, path: str, limit: int | None) -> dict:
    pages = size = 0
    spent = 0.0
    if name == "write":
        return write_stage(path)
    if name == "warc":
        start = time.perf_counter()
        for _url, body in _payloads(path):
            pages, size = pages + 1, size + len(body)
            if limit and pages >= limit:
                break
        spent = time.perf_counter() - start
    else:
        work = _stage_function(name)
        for url, body in _payloads(path):
            start = time.perf_counter()
            work(url, body)
            spent += time.perf_counter() - start
            pages, size = pages + 1, size + len(body)
            if limit and pages >= limit:
                break
    return {"pages": pages, "bytes": size, "seconds": spent,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


# --- the parent: run children, measure, print -------------------------------------------------------------------


def measured(cmd: list[str]) -> tuple[float, float, str]:
    """(wall seconds, peak RSS MB of the largest descendant, stdout) of a command, in a fresh measuring process."""
    probe = ("import json, resource, subprocess, sys, time; t = time.perf_counter(); "
             "p = subprocess.run(sys.argv[1:], capture_output=True, text=True); w = time.perf_counter() - t; "
             "sys.stderr.write(p.stderr); "
             "print(json.dumps({'wall': w, 'rc': p.returncode, 'out': p.stdout, "
             "'rss': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))")
    done = subprocess.run([sys.executable, "-c", probe, *cmd], capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)
    if result["rc"] != 0 and "extract" not in cmd:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{done.stderr}")
    return result["wall"], result["rss"], result["out"]


def stage(name: str, path: str, limit: int | None) -> dict:
    cmd = [sys.executable, os.path.abspath(__file__), "--stage", name, path]
    if limit:
        cmd += ["--limit", str(limit)]
    _wall, _rss, out = measured(cmd)
    return json.loads(out)


PARTS = (
    ("read", "reading the WARC (warcio, inventory, dedup)"),
    ("document", "Document: decode, unwrap, lxml parse"),
    ("engine", "engine: detect + parse"),
    ("pickle", "provenance, capture values, pickle"),
    ("spill", "spill: store and read back pages"),
    ("merge", "merge threads, build and serialise records"),
    ("participants", "participants"),
    ("write", "write JSON Lines, manifest, publish"),
    ("other", "the rest (capture rows, loop)"),
)


def breakdown(path: str, base: float) -> None:
    """Where an in-process extract --jobs 1 spends its time, and what it would reach with a free engine."""
    done = subprocess.run([sys.executable, os.path.join(HERE, "breakdown.py"), path], capture_output=True,
                          text=True, check=True)
    result = json.loads(done.stdout)
    pages, total, parts = result["pages"], result["total"], result["parts"]
    print("| part of extract --jobs 1 (in process)       | ms/page |  share |")
    print("|---------------------------------------------|--------:|-------:|")
    for key, label in PARTS:
        print(f"| {label:<43} | {parts[key] / pages * 1000:>7.2f} | {parts[key] / total:>6.1%} |")
    print(f"| {'total':<43} | {total / pages * 1000:>7.2f} | {1:>6.1%} |")
    free = pages / (total - parts["engine"])
    print(f"\nin process: {pages / total:.1f} pages/s ({pages / total / base:.1%} of lxml); with an engine that took "
          f"no time at all: {free:.1f} pages/s ({free / base:.1%} of lxml)")


def extract(path: str, jobs: int = 1, extra: tuple[str, ...] = (), then=None) -> dict:
    """The real command line, timed; ``then(dataset_dir)`` runs before the dataset is removed."""
    out = tempfile.mkdtemp(prefix="harvester-bench-")
    shutil.rmtree(out)
    try:
        wall, rss, _ = measured([*HARVESTER, "extract", path, "-o", out, "--no-progress", "--jobs", str(jobs),
                                 *extra])
        with open(os.path.join(out, "datapackage.json"), encoding="utf-8") as fh:
            counts = json.load(fh)["counts"]
        after = then(out) if then else None
    finally:
        shutil.rmtree(out, ignore_errors=True)
    pages = counts["captures"]
    return {"pages": pages, "bytes": _payload_bytes(path), "seconds": wall, "rss_mb": rss, "counts": counts,
            "then": after}


_SIZES: dict[str, int] = {}


def _payload_bytes(path: str) -> int:
    if path not in _SIZES:
        _SIZES[path] = stage("warc", path, None)["bytes"]
    return _SIZES[path]


def help_time(runs: int = 7) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([*HARVESTER, "--help"], capture_output=True, check=True)
        best = min(best, time.perf_counter() - start)
    return best


def parallel_capacity() -> float:
    """How many busy processes this machine really runs at once (2.0 on two free cores)."""
    busy = [sys.executable, "-c", "sum(range(40_000_000))"]
    start = time.perf_counter()
    subprocess.run(busy, check=True)
    one = time.perf_counter() - start
    start = time.perf_counter()
    procs = [subprocess.Popen(busy) for _ in range(2)]
    for p in procs:
        p.wait()
    return 2 * one / (time.perf_counter() - start)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            cpu = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), cpu)
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def row(label: str, r: dict, base: float | None) -> str:
    rate = r["pages"] / r["seconds"] if r["seconds"] else float("inf")
    mbs = r["bytes"] / 1e6 / r["seconds"] if r["seconds"] else float("inf")
    ratio = f"{rate / base:6.1%}" if base else "     -"
    return f"| {label:<34} | {r['pages']:>6} | {rate:>9.1f} | {mbs:>7.1f} | {ratio:>7} | {r['rss_mb']:>7.0f} |"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="harvester benchmarks")
    ap.add_argument("corpus", help="a .warc.gz from generate.py")
    ap.add_argument("--stage", help=argparse.SUPPRESS)
    ap.add_argument("--limit", type=int, help="pages for the slow baselines (bs4, trafilatura); default 200")
    ap.add_argument("--flat", nargs="*", default=[], metavar="WARC",
                    help="more corpora: extract peak RSS on each (memory flatness)")
    ap.add_argument("--huge", metavar="WARC",
                    help="a corpus with one pathological page: extract RSS with the default page limit and 64 MB")
    ap.add_argument("--skip", nargs="*", default=[],
                    help="stages to skip (e.g. trafilatura bs4 lxml-xpath jobs breakdown)")
    args = ap.parse_args(argv)
    if args.stage:
        print(json.dumps(run_stage(args.stage, args.corpus, args.limit)))
        return 0

    print(f"machine: {machine()}")
    print(f"corpus: {args.corpus} ({os.path.getsize(args.corpus) / 1e6:.0f} MB compressed)\n")
    print("| stage                              |  pages |   pages/s |    MB/s | vs lxml | RSS MB |")
    print("|------------------------------------|-------:|----------:|--------:|--------:|-------:|")
    results = {name: stage(name, args.corpus, None) for name in ("warc", "decode", "lxml")}
    base = results["lxml"]["pages"] / results["lxml"]["seconds"]
    print(row("WARC read (warcio, payloads)", results["warc"], base))
    print(row("decode (bytes -> str)", results["decode"], base))
    print(row("lxml parse only (BASELINE)", results["lxml"], base))
    print(row("harvester parse (Document+engine)", stage("harvester", args.corpus, None), base))
    if "lxml-xpath" not in args.skip:
        print(row("lxml+XPath baseline (parse incl.)", stage("lxml-xpath", args.corpus, None), base))
    one = extract(args.corpus, 1, then=lambda dataset: stage("write", dataset, None))
    written = one["then"] | {"bytes": one["bytes"]}  # MB/s of the HTML, as in every other row
    print(row("write (JSON Lines + manifest)", written, base))
    print(row("harvester extract --jobs 1", one, base))
    if "jobs" not in args.skip:
        two = extract(args.corpus, 2)
        print(row("harvester extract --jobs 2", two, base))
    slow_limit = args.limit or 200
    if "bs4" not in args.skip:
        print(row(f"BeautifulSoup baseline ({slow_limit} pages)", stage("bs4", args.corpus, slow_limit), base))
    if "trafilatura" not in args.skip:
        try:
            import trafilatura  # noqa: F401
        except ImportError:
            print("| trafilatura: not installed          |")
        else:
            print(row(f"trafilatura comments ({slow_limit} pages)", stage("trafilatura", args.corpus, slow_limit),
                      base))
    print()
    if "breakdown" not in args.skip:
        breakdown(args.corpus, base)
        print()
    if "jobs" not in args.skip:
        # single runs vary by 10% here: more alternating pairs, so a slow spell hits both alike
        pairs = [(one["seconds"], two["seconds"])]
        for _ in range(2):
            pairs.append((extract(args.corpus, 1)["seconds"], extract(args.corpus, 2)["seconds"]))
        ratios = sorted(a / b for a, b in pairs)
        print(f"--jobs 2 / --jobs 1: {statistics.median(ratios):.2f}x, median of {len(pairs)} alternating pairs "
              f"({', '.join(f'{r:.2f}x' for r in ratios)}); two busy processes run at {parallel_capacity():.2f}x "
              "one on this machine")
    print(f"extract: {one['counts']}")
    print(f"harvester --help: {help_time() * 1000:.0f} ms (best of 7)")
    for path in args.flat:
        r = extract(path, 1)
        print(f"extract of {path} ({os.path.getsize(path) / 1e6:.0f} MB compressed, {r['pages']} pages, "
              f"{r['bytes'] / 1e6:.0f} MB HTML): peak RSS {r['rss_mb']:.0f} MB, "
              f"{r['pages'] / r['seconds']:.1f} pages/s")
    if args.huge:
        for extra in ((), ("--max-page-mb", "64")):
            r = extract(args.huge, 1, extra)
            print(f"extract of {args.huge} {' '.join(extra) or '(default page limit)'}: {r['pages']} pages, "
                  f"peak RSS {r['rss_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
