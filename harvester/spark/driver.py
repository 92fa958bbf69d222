"""``harvester extract --spark MASTER``: the extract job as Spark stages, writing the same dataset.

Executors read and parse (tasks.read_unit); a record read twice is kept once (reduce by record id and digest);
revisits find their originals through a join on the keys the reader looks them up by; threads are merged after a
group by (site, thread id); participants are totalled per site, threads in input order. Each table is sorted by
the single-machine order, written as part files by Spark's output committer (a retried task replaces its own
file, never adds rows) and the parts are concatenated into the dataset layout by the file system itself. The
driver holds the plan, the counts and the list of failed inputs, never records.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict
from functools import partial

from harvester import engines
from harvester.extract import Options, Summary
from harvester.sources import files
from harvester.spark import plan as planning
from harvester.spark import tasks
from harvester.writers import MANIFEST, TABLES, DatasetWriter, OutputError

FORMATS = ("jsonl", "parquet")
SPLIT_CONF = "spark.harvester.splitMB"  # archives bigger than this are read in ranges of about this size


def session(master: str | None, conf: dict[str, str]):
    """The active SparkSession (spark-submit, tests) or a new one on ``master``; (session, whether we made it)."""
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active, False
    builder = SparkSession.builder.appName("harvester extract")
    if master:
        builder = builder.master(master)
    # pyspark starts its workers with $PYSPARK_PYTHON (else "python3"), whatever spark.pyspark.python says
    if "spark.pyspark.python" in conf:
        os.environ["PYSPARK_PYTHON"] = conf["spark.pyspark.python"]
    elif (master or "").startswith("local") and not os.environ.get("PYSPARK_PYTHON"):
        os.environ["PYSPARK_PYTHON"] = sys.executable  # local workers run this same harvester
    for key, value in conf.items():
        builder = builder.config(key, value)
    return builder.getOrCreate(), True


def extract(inputs: list[str], output: str, options: Options, master: str | None = None,
            conf: dict[str, str] | None = None, fmt: str = "jsonl",
            report: Callable[[str], None] = lambda msg: print(msg, file=sys.stderr)) -> Summary:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
    spark, own = session(master, conf or {})
    try:
        return _run(spark, inputs, output, options, fmt, report)
    finally:
        if own:
            spark.stop()


def _run(spark, inputs, output, options, fmt, report) -> Summary:
    from pyspark import StorageLevel

    sc = spark.sparkContext
    out = _FileSystem(spark, output)
    out.check()
    split_mb = float(spark.conf.get(SPLIT_CONF, str(planning.DEFAULT_SPLIT_MB)))
    units = planning.plan(inputs, int(split_mb * 1_000_000), remote_lister=partial(_list_remote, spark))
    parts = max(sc.defaultParallelism, 1) * 2
    keep = StorageLevel.MEMORY_AND_DISK

    read = sc.parallelize(units, max(len(units), 1)).flatMap(partial(tasks.read_unit, options=options))
    # A record read twice (same record id and digest) counts once, where first met. Everything goes through the
    # one shuffle (a unique key where there is no record id): two branches off ``read`` would parse twice.
    entries = (read.map(lambda e: (e.dedup or (e.kind, *e.order), e)).reduceByKey(tasks.earlier, parts).values()
               .persist(keep))
    kinds = entries.map(lambda e: e.kind).countByValue()
    captures = entries.filter(lambda e: e.kind == "capture")
    resolved = None
    if kinds.get("revisit"):
        resolved = _revisits(entries, options, parts).persist(keep)
        captures = captures.union(resolved)

    # The capture rows without the parsed pages, kept apart: every pass over them would otherwise unpickle every page
    # (and the inputs' digests)
    light = entries.filter(lambda e: e.kind == "input").union(captures)
    rows = light.map(lambda e: (e.order, e.status, e.problem, tasks.dumps(e.capture) if e.capture else None,
                                e.inventory)).persist(keep)
    counts = rows.filter(lambda r: r[1]).map(lambda r: r[1]).countByValue()
    summary = Summary(ok=counts.get("ok", 0), skipped=counts.get("skipped", 0), failed=counts.get("error", 0))
    # the manifest lists every failed input, as harvester extract's does: one line per failure, not per record
    failed = rows.filter(lambda r: r[2]).map(lambda r: (r[0], r[2])).collect()
    summary.problems = [problem for _order, problem in sorted(failed)]
    for problem in summary.problems[:20]:
        report(f"error: {problem}")
    if len(summary.problems) > 20:
        report(f"... and {len(summary.problems) - 20} more errors (the manifest lists them all)")

    merged = (captures.filter(lambda e: e.blob is not None).map(lambda e: (e.thread, (e.order, e.blob)))
              .groupByKey(parts).map(lambda kv: tasks.merge(kv[0][0], kv[1], options.all_captures)).persist(keep))
    ordered = merged.sortByKey(numPartitions=parts).persist(keep)
    participants = (ordered.map(_people_row).repartitionAndSortWithinPartitions(parts, tasks.site_partition)
                    .mapPartitions(tasks.participants).persist(keep))
    tables = {
        "threads": ordered.map(lambda kv: kv[1][0]),
        "posts": ordered.flatMap(lambda kv: kv[1][1]),
        "participants": participants.sortByKey(numPartitions=parts).values(),
        "captures": rows.filter(lambda r: r[3]).map(lambda r: (r[0], r[3])).sortByKey(numPartitions=parts).values(),
    }
    # one per input file (not per record): sorted here, a path named twice counted once, where last named
    inputs_seen = {}
    for _order, inventory in sorted(rows.filter(lambda r: r[4]).map(lambda r: (r[0], r[4])).collect()):
        inputs_seen.pop(inventory["path"], None)
        inputs_seen[inventory["path"]] = inventory
    n_threads, n_posts = ordered.map(lambda kv: (1, len(kv[1][1]))).fold((0, 0), lambda a, b: (a[0] + b[0],
                                                                                                a[1] + b[1]))
    counted = {"threads": n_threads, "posts": n_posts, "participants": participants.count(),
               "captures": sum(counts.values())}
    try:
        for name, _record_type in TABLES:
            out.write_table(name, tables[name], fmt)
        summary.threads, summary.posts, summary.participants = (
            counted["threads"], counted["posts"], counted["participants"])
        out.write_manifest(counted, fmt, {
            "metadata": options.metadata,
            "options": {k: v for k, v in asdict(options).items()
                        if k not in ("progress", "jobs", "page_store", "metadata")}
            | {"inputs": list(inputs)},
            "engines": {e.NAME: e.VERSION for e in engines.REGISTRY},
            "failed": summary.problems,
        }, inputs_seen.values())
        out.publish()
    except BaseException:
        out.abort()
        raise
    finally:
        for rdd in (entries, resolved, rows, merged, ordered, participants):
            if rdd is not None:
                rdd.unpersist()
    return summary


def _revisits(entries, options, parts):
    """Each revisit resolved as the single-machine reader resolves it: the first page under each key it looks
    its original up by (a reduce), joined to the revisits, then chosen and re-read on an executor."""
    first = (entries.filter(lambda e: e.keys).flatMap(lambda e: [(k, (e.order, e.location)) for k in e.keys])
             .reduceByKey(lambda a, b: a if a[0] <= b[0] else b, parts))
    revisits = entries.filter(lambda e: e.kind == "revisit").map(lambda e: (e.order, e))
    found = (revisits.flatMap(lambda item: [(k, item[0]) for k in tasks.lookup_keys(item[1])])
             .join(first, parts).map(lambda kv: (kv[1][0], (kv[0][0], kv[1][1]))).groupByKey(parts))
    return revisits.leftOuterJoin(found, parts).map(lambda kv: tasks.resolve(kv[1][0], kv[1][1], options))


def _people_row(kv):
    """(site, thread order) -> (authors, members) of one merged thread, for the participants stage."""
    order, (_thread, _posts, authors, members, site) = kv
    return (site, order), (authors, members)


def _list_remote(spark, url: str) -> list[tuple[str, int]]:
    """(path, size) of the files a URL or glob names, directories walked, through the cluster's file system."""
    jvm = spark._jvm
    path = jvm.org.apache.hadoop.fs.Path(url)
    fs = path.getFileSystem(spark._jsc.hadoopConfiguration())
    found = []
    for status in fs.globStatus(path) or []:
        if status.isDirectory():
            it = fs.listFiles(status.getPath(), True)
            while it.hasNext():
                f = it.next()
                name = f.getPath().getName()
                if not name.startswith((".", "_")) and (files.is_archive(name) or _page_name(name)):
                    found.append((f.getPath().toString(), f.getLen()))
        else:
            found.append((status.getPath().toString(), status.getLen()))
    return sorted(found)


def _page_name(name: str) -> bool:
    lower = name.lower().removesuffix(".gz")
    return os.path.splitext(lower)[1] in files.HTML_SUFFIXES


class _FileSystem:
    """The output directory on the cluster's file system: part files, then the layout, then the rename."""

    def __init__(self, spark, output: str):
        self.spark, self.jvm = spark, spark._jvm
        self.output = output.rstrip("/") or output
        hadoop = self.jvm.org.apache.hadoop.fs
        self.out = hadoop.Path(self.output if tasks.scheme(self.output) else os.path.abspath(self.output))
        self.fs = self.out.getFileSystem(spark._jsc.hadoopConfiguration())
        if self.fs.getScheme() == "file":
            self.fs = self.fs.getRaw()  # no .crc file beside every file of the dataset
        self.out = self.fs.makeQualified(self.out)
        app = spark.sparkContext.applicationId
        self.tmp = hadoop.Path(self.out.getParent(), f".{self.out.getName()}.partial-{app}")
        self.parts = hadoop.Path(self.tmp, "_parts")

    def check(self) -> None:
        """As ``writers.check_output``: never replace a non-empty directory that is not a harvester dataset."""
        if self.fs.exists(self.out):
            if not self.fs.getFileStatus(self.out).isDirectory():
                raise OutputError(f"{self.output} exists and is not a directory")
            if self.fs.listStatus(self.out) and not self.fs.exists(self.child(self.out, MANIFEST)):
                raise OutputError(f"{self.output} is not empty and holds no {MANIFEST}; refusing to overwrite it")

    def child(self, parent, name: str):
        return self.jvm.org.apache.hadoop.fs.Path(parent, name)

    def write_table(self, name: str, lines, fmt: str) -> None:
        """Write one table (an RDD of serialised lines in dataset order)."""
        if fmt == "parquet":
            from harvester.spark.parquet import write

            write(self.spark, lines, dict(TABLES)[name], self.child(self.tmp, f"{name}.parquet").toString())
            self._tidy(self.child(self.tmp, f"{name}.parquet"))
            return
        parts = self.child(self.parts, name)
        lines.map(lambda line: line[:-1].decode("utf-8")).saveAsTextFile(parts.toString())
        self._concatenate(parts, self.child(self.tmp, f"{name}.jsonl"))

    def _concatenate(self, parts, target) -> None:
        """The part files, in order, into one file; the bytes go from file system to file system in the JVM."""
        names = sorted(s.getPath().getName() for s in self.fs.listStatus(parts)
                       if s.getPath().getName().startswith("part-"))
        io = self.jvm.org.apache.hadoop.io.IOUtils
        sink = self.fs.create(target, True)
        try:
            for name in names:
                source = self.fs.open(self.child(parts, name))
                try:
                    io.copyBytes(source, sink, 1 << 20, False)
                finally:
                    source.close()
        finally:
            sink.close()
        self.fs.delete(parts, True)

    def _tidy(self, directory) -> None:
        """Spark's markers and checksums are not part of the dataset."""
        for status in self.fs.listStatus(directory):
            name = status.getPath().getName()
            if name == "_SUCCESS" or name.endswith(".crc"):
                self.fs.delete(status.getPath(), False)

    def write_manifest(self, counts: dict, fmt: str, extra: dict, inputs) -> None:
        """Schemas and datapackage.json, written as ``harvester extract`` writes them, then copied over."""
        local = tempfile.mkdtemp(prefix="harvester-manifest-")
        writer = DatasetWriter(os.path.join(local, "dataset"))
        try:
            writer.counts.update(counts)
            writer.write_manifest(extra, inputs, table_format=fmt)
            for name in ("schemas", "CODEBOOK.md", MANIFEST):
                source = self.jvm.org.apache.hadoop.fs.Path(str((writer.tmp / name).resolve().as_uri()))
                self.fs.copyFromLocalFile(False, True, source, self.child(self.tmp, name))
        finally:
            writer.abort()
            os.rmdir(local)
        if self.fs.exists(self.parts):
            self.fs.delete(self.parts, True)

    def publish(self) -> None:
        old = None
        if self.fs.exists(self.out):
            old = self.child(self.out.getParent(), f".{self.out.getName()}.old-{os.getpid()}")
            self.fs.rename(self.out, old)
        if not self.fs.rename(self.tmp, self.out):
            raise OSError(f"cannot move the finished dataset into {self.output}")
        if old is not None:
            self.fs.delete(old, True)

    def abort(self) -> None:
        try:
            self.fs.delete(self.tmp, True)
        except Exception:  # the original error matters more than a failed clean-up
            pass
