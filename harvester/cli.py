"""Command line: ``harvester extract|validate|schemas``. Imports stay lazy so ``--help`` is instant."""

from __future__ import annotations

import argparse
import math
import os
import signal
import sqlite3
import sys
import threading

# Exit statuses of extract (README.md lists them): each failure class its own.
SOME_FAILED = 1  # the dataset was written; some inputs failed (captures.jsonl says which and why)
USAGE_ERROR = 2
NOTHING_EXTRACTED = 3  # no input page could be read: nothing written, a previous dataset is kept
OUTPUT_ERROR = 4  # the dataset could not be written (permissions, disk full): a previous dataset is kept
INTERRUPTED = 130
TERMINATED = 143


class Terminated(BaseException):
    """SIGTERM, raised in the main thread so that the run cleans up as for Ctrl-C."""


def _page_mb(value: str) -> float:
    """--max-page-mb: megabytes, 0 for no limit; a negative or non-finite one used to end in a traceback."""
    try:
        mb = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of megabytes") from None
    if not math.isfinite(mb) or mb < 0:
        raise argparse.ArgumentTypeError(f"{value!r}: give a size in MB, or 0 for no limit")
    return mb


def _jobs(value: str) -> int:
    """--jobs: a number of worker processes, or "auto" (or 0, as in xz and zstd) for one per usable CPU."""
    try:
        n = 0 if value.strip().lower() == "auto" else int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is neither a number nor 'auto'") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"{n} worker processes")
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if n > max(8, 4 * cpus):  # all forked at once: a typo such as 99999 exhausted the machine's memory
        raise argparse.ArgumentTypeError(f"{n} worker processes for {cpus} CPUs: at most {max(8, 4 * cpus)}")
    return n or cpus


def _engine_names() -> list[str]:
    from harvester import engines  # here, not at the top: the engines load only when the parser is built

    return engines.names()


def build_parser() -> argparse.ArgumentParser:
    from harvester import __version__

    parser = argparse.ArgumentParser(
        prog="harvester",
        description="Turn archived web forums into research datasets.",
    )
    parser.add_argument("--version", action="version", version=f"harvester {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    ex = sub.add_parser("extract", help="extract threads, posts and participants from saved pages and web archives",
                        description="Read forum pages and write a dataset directory of JSON Lines tables with a "
                                    "Frictionless datapackage.json and a CODEBOOK.md. Inputs: HTML files, .html.gz, "
                                    "browser 'Save Page As' pages, Wayback Machine replay and id_ pages, "
                                    "archive.today snapshots, wget mirrors, web archives (.warc, .warc.gz, .arc, "
                                    ".arc.gz, .wacz) and directories of any of these (walked recursively).")
    ex.add_argument("inputs", nargs="+", metavar="INPUT",
                    help="HTML/.html.gz files, WARC/ARC/WACZ archives, or directories (walked recursively)")
    ex.add_argument("-o", "--output", required=True, metavar="DIR", help="dataset directory to write")
    ex.add_argument("--engine", metavar="NAME",
                    help=f"force a forum engine instead of detecting it: {', '.join(_engine_names())}")
    ex.add_argument("--timezone", metavar="ZONE",
                    help="IANA zone of the site (e.g. Europe/Brussels) for dates printed without an offset")
    ex.add_argument("--site-url", metavar="URL",
                    help="original site (e.g. http://daa.ec.europa.eu/) for pages that carry no URL of their own")
    ex.add_argument("--max-page-mb", type=_page_mb, default=16.0, metavar="MB",
                    help="refuse pages larger than this, with an error row (default 16)")
    ex.add_argument("--all-captures", action="store_true",
                    help="one post row per capture of the post (for votes and edits over time)")
    ex.add_argument("--jobs", type=_jobs, default=1, metavar="N",
                    help="parse and merge in N worker processes; 'auto' or 0: one per CPU (default 1)")
    ex.add_argument("--no-progress", action="store_true", help="no progress bar even on a terminal")
    ex.add_argument("--title", help="the data package's title")
    ex.add_argument("--description", help="the data package's description")
    ex.add_argument("--license", metavar="ID", help="licence of the dataset, an SPDX or Open Definition id "
                    "(e.g. CC-BY-4.0, ODC-By-1.0); unset, the package says none was chosen")
    ex.add_argument("--citation", help="how to cite the dataset")
    ex.add_argument("--metadata", metavar="FILE",
                    help="a JSON file with any of title, description, licenses, citation, contributors, keywords, "
                         "homepage, version (Data Package properties); the options above override it")
    ex.add_argument("--spark", metavar="MASTER",
                    help="run on Apache Spark: local[*], yarn, k8s://..., spark://... (inputs and output may then be "
                         "hdfs://, s3a://, gs:// URLs; needs the spark extra and Java 17)")
    ex.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE", help="a Spark setting (repeatable)")
    ex.add_argument("--format", choices=("jsonl", "parquet"), default="jsonl",
                    help="table format; parquet needs --spark (default jsonl)")

    va = sub.add_parser("validate", help="check a dataset against schemas/ and its manifest")
    va.add_argument("dataset", metavar="DIR")
    va.add_argument("--max-problems", type=int, default=20, metavar="N",
                    help="stop after N problems (default 20; 0: report them all)")

    de = sub.add_parser("detect", help="say which forum engine each page is, with its score and signs",
                        description="Triage a mixed folder or archive before extracting it: for every page, the "
                                    "engine that would read it, its version or theme, its score and the signs that "
                                    "decided, and the runner-up.")
    de.add_argument("inputs", nargs="+", metavar="INPUT", help="files, directories or web archives, as for extract")
    de.add_argument("--json", action="store_true", help="one JSON object per page instead of text lines")
    de.add_argument("--max-page-mb", type=_page_mb, default=16.0, metavar="MB", help="as for extract (default 16)")

    xp = sub.add_parser("export", help="write a dataset in analysis formats, optionally pseudonymised",
                        description="Write the dataset's tables as Parquet, CSV, SQLite, DuckDB, a ConvoKit corpus, "
                                    "the reply network (edge list and GraphML), a dehydrated id list or JSON Lines, "
                                    "with a data dictionary and a Frictionless datapackage.json.")
    xp.add_argument("dataset", metavar="DATASET")
    xp.add_argument("--to", action="append", required=True, metavar="FORMAT",
                    help="parquet, csv, sqlite, duckdb, convokit, graph, ids or jsonl; repeat or comma-separate")
    xp.add_argument("-o", "--output", required=True, metavar="DIR", help="directory to write")
    xp.add_argument("--pseudonymise", "--pseudonymize", action="store_true",
                    help="replace people by keyed pseudonyms and mask e-mail, phone and IP addresses in bodies")
    xp.add_argument("--key-file", metavar="FILE",
                    help="secret key for --pseudonymise (created if missing; keep it, never share it)")
    xp.add_argument("--drop", action="append", default=[], metavar="FIELD",
                    help="leave a field out of every table (repeatable), e.g. body_html, avatar_url")
    xp.add_argument("--no-body-html", action="store_true", help="same as --drop body_html")

    rp = sub.add_parser("report", help="write a self-contained HTML report of a dataset, with PNG figures")
    rp.add_argument("dataset", metavar="DATASET")
    rp.add_argument("-o", "--output", required=True, metavar="FILE", help="HTML file to write (figures beside it)")

    sc = sub.add_parser("schemas", help="write the record JSON Schemas (the published contract) to a directory")
    sc.add_argument("directory", nargs="?", default="schemas", metavar="DIR")
    from harvester.capture import cli as capture_cli

    capture_cli.add_parsers(sub)
    from harvester import jobs_cli

    jobs_cli.add_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return USAGE_ERROR
    from harvester import jobs_cli
    from harvester.capture import cli as capture_cli

    commands = {"extract": _extract, "detect": _detect, "validate": _validate, "schemas": _schemas,
                "export": _export, "report": _report,
                "crawl": capture_cli.crawl_command, "verify": capture_cli.verify_command, "job": jobs_cli.job_command}
    return commands[args.command](args, parser)


def _extract(args, parser) -> int:
    from harvester import engines
    from harvester.dates import get_zone
    from harvester.extract import NoInputs, Options, extract
    from harvester.writers import OutputError, check_output

    if args.engine and args.engine not in engines.names():
        parser.error(f"unknown engine {args.engine!r}; known: {', '.join(engines.names())}")
    try:
        get_zone(args.timezone)
        if not args.spark:
            check_output(args.output, args.inputs)
    except (ValueError, OutputError) as exc:
        parser.error(str(exc))
    if (args.conf or args.format != "jsonl") and not args.spark:
        parser.error("--conf and --format parquet need --spark")
    if any("=" not in item for item in args.conf):
        parser.error("--conf takes KEY=VALUE")
    options = Options(engine=args.engine, timezone=args.timezone, site_url=args.site_url,
                      max_page_mb=args.max_page_mb, all_captures=args.all_captures, jobs=args.jobs,
                      progress=sys.stderr.isatty() and not args.no_progress, metadata=_metadata(args, parser))
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if main_thread else None
    try:
        if args.spark:
            summary = _spark_extract(args, options, parser)
        else:
            summary = extract(args.inputs, args.output, options)
    except NoInputs as exc:
        parser.error(str(exc))
    except OutputError as exc:
        print(f"harvester: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except OSError as exc:  # inputs' errors are capture rows: this is the output
        print(f"harvester: cannot write {args.output}: {exc.strerror or exc}"
              f"{f' ({exc.filename})' if exc.filename else ''}; nothing was replaced", file=sys.stderr)
        return OUTPUT_ERROR
    except sqlite3.Error as exc:  # the spill and the indexes on disk: a full disk or a file size limit
        print(f"harvester: cannot write {args.output}: a temporary database failed ({exc}); nothing was replaced",
              file=sys.stderr)
        return OUTPUT_ERROR
    except (KeyboardInterrupt, Terminated) as exc:
        print("harvester: interrupted; no dataset was written (a previous one is kept)", file=sys.stderr)
        return TERMINATED if isinstance(exc, Terminated) else INTERRUPTED
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)
    if not summary.written:
        print(f"harvester: {summary.line(args.output)}", file=sys.stderr)
        print(f"harvester: no page could be read; nothing written to {args.output}", file=sys.stderr)
        return NOTHING_EXTRACTED
    print(f"harvester: {summary.line(args.output)}", file=sys.stderr)
    return SOME_FAILED if summary.failed else 0


def _terminate(signum, frame):
    raise Terminated()


def _metadata(args, parser) -> dict | None:
    """The data package's descriptive properties from --metadata FILE and the options that override it."""
    import json

    from harvester.package import METADATA

    found: dict = {}
    if args.metadata:
        try:
            with open(args.metadata, encoding="utf-8") as fh:
                found = json.loads(fh.read(1_000_001))
        except (OSError, ValueError) as exc:
            parser.error(f"--metadata {args.metadata}: {exc}")
        if not isinstance(found, dict):
            parser.error(f"--metadata {args.metadata}: not a JSON object")
        unknown = sorted(set(found) - set(METADATA))
        if unknown:
            parser.error(f"--metadata {args.metadata}: unknown properties {unknown}; known: {', '.join(METADATA)}")
    for key in ("title", "description", "citation"):
        if getattr(args, key):
            found[key] = getattr(args, key)
    if args.license:
        found["licenses"] = [{"name": args.license}]
    return found or None


def _detect(args, parser) -> int:
    import json

    from harvester import engines
    from harvester.document import Document
    from harvester.engines.toolkit import CLAIM
    from harvester.extract import iter_jobs
    from harvester.model import InputError

    failed = 0
    max_bytes = int(args.max_page_mb * 1_000_000)
    for job in iter_jobs(args.inputs, max_bytes, lambda _: None):
        row: dict = {"input": job.label, "engine": None, "version": None, "score": 0, "signs": [], "others": {}}
        if job.page is None:
            failed += job.error is not None
            row["error"] = job.error or "a revisit (its original page is detected on its own)"
        else:
            try:
                found = engines.scores(Document(job.page, None, max_bytes))
            except InputError as exc:
                failed += 1
                row["error"] = str(exc)
            else:
                best = found[0] if found[0].score >= CLAIM or found[-1].score < CLAIM else found[-1]
                if best.score >= CLAIM:
                    row.update(engine=best.engine, version=best.version)
                row.update(score=best.score, signs=best.signs,
                           others={d.engine: d.score for d in found if d is not best and d.score})
        if args.json:
            print(json.dumps(row, ensure_ascii=False))
        else:
            what = row.get("error") or (f"{row['engine']} {row['version'] or ''}".strip() if row["engine"]
                                        else "no engine (below the claim threshold)")
            others = ", ".join(f"{k} {v}" for k, v in row["others"].items())
            print(f"{row['input']}\t{what}\tscore {row['score']}\t{'; '.join(row['signs'])}"
                  + (f"\t(also: {others})" if others else ""))
    return 1 if failed else 0


def _export(args, parser) -> int:
    try:
        from harvester.export import ExportError, ExportOptions, export
        from harvester.export.privacy import KeyError_
    except ImportError as exc:
        parser.error(f"export needs the optional dependencies: pip install 'harvester[export]' ({exc})")
    formats = tuple(f.strip() for value in args.to for f in value.split(",") if f.strip())
    drop = tuple(args.drop) + (("body_html",) if args.no_body_html else ())
    options = ExportOptions(formats=formats, pseudonymise=args.pseudonymise, key_file=args.key_file, drop=drop)
    try:
        summary = export(args.dataset, args.output, options)
    except (ExportError, KeyError_) as exc:
        parser.error(str(exc))
    except ImportError as exc:
        parser.error(f"this format needs the optional dependencies: pip install 'harvester[export]' ({exc})")
    except KeyboardInterrupt:
        print("harvester: interrupted; nothing was written", file=sys.stderr)
        return 130
    if summary.key_created:
        print(f"harvester: created a new key in {args.key_file}; keep it to extend this export later, "
              "never share it", file=sys.stderr)
    counts = ", ".join(f"{n} {t}" for t, n in summary.counts.items())
    print(f"harvester: exported {counts} as {', '.join(formats)} -> {args.output}", file=sys.stderr)
    return 0


def _report(args, parser) -> int:
    try:
        from harvester.export import ExportError
        from harvester.report import write_report
    except ImportError as exc:
        parser.error(f"report needs the optional dependencies: pip install 'harvester[export]' ({exc})")
    try:
        figures = write_report(args.dataset, args.output)
    except ExportError as exc:
        parser.error(str(exc))
    print(f"harvester: report with {len(figures)} figures -> {args.output}", file=sys.stderr)
    return 0


def _spark_extract(args, options, parser):
    try:
        import pyspark  # noqa: F401

        from harvester.spark.driver import extract as spark_extract
        from harvester.writers import OutputError
    except ImportError as exc:
        parser.error(f"--spark needs pyspark: pip install 'harvester[spark]' ({exc})")
    conf = dict(item.split("=", 1) for item in args.conf)
    try:
        return spark_extract(args.inputs, args.output, options, args.spark, conf, args.format)
    except OutputError as exc:
        parser.error(str(exc))


def _validate(args, parser) -> int:
    from harvester.validate import validate_dataset

    checked, problems = validate_dataset(args.dataset, args.max_problems)
    for problem in problems:
        print(problem, file=sys.stderr)
    verdict = "invalid" if problems else "valid"
    print(f"harvester: {args.dataset}: {checked} records checked, {verdict}", file=sys.stderr)
    return 1 if problems else 0


def _schemas(args, parser) -> int:
    import json
    from pathlib import Path

    from harvester import records

    out = Path(args.directory)
    out.mkdir(parents=True, exist_ok=True)
    for record_type in records.RECORD_TYPES:
        path = out / f"{record_type}.schema.json"
        path.write_text(json.dumps(records.schema(record_type), indent=2) + "\n", encoding="utf-8")
        print(path)
    return 0
