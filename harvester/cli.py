"""Command line: ``harvester extract|validate|schemas``. Imports stay lazy so ``--help`` is instant."""

from __future__ import annotations

import argparse
import os
import sys

USAGE_ERROR = 2


def _jobs(value: str) -> int:
    """--jobs: a number of worker processes, or "auto" (or 0, as in xz and zstd) for one per usable CPU."""
    try:
        n = 0 if value.strip().lower() == "auto" else int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is neither a number nor 'auto'") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"{n} worker processes")
    if n == 0:
        return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return n


def build_parser() -> argparse.ArgumentParser:
    from harvester import __version__

    parser = argparse.ArgumentParser(
        prog="harvester",
        description="Turn archived web forums into research datasets.",
    )
    parser.add_argument("--version", action="version", version=f"harvester {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    ex = sub.add_parser("extract", help="extract threads, posts and participants from saved pages",
                        description="Read HTML pages (files, .html.gz, Save Page As, Wayback pages, directories) "
                                    "and write a dataset directory of JSON Lines tables.")
    ex.add_argument("inputs", nargs="+", metavar="INPUT", help="files or directories (walked recursively)")
    ex.add_argument("-o", "--output", required=True, metavar="DIR", help="dataset directory to write")
    ex.add_argument("--engine", metavar="NAME", help="force a forum engine instead of detecting it (drupal)")
    ex.add_argument("--timezone", metavar="ZONE",
                    help="IANA zone of the site (e.g. Europe/Brussels) for dates printed without an offset")
    ex.add_argument("--site-url", metavar="URL",
                    help="original site (e.g. http://daa.ec.europa.eu/) for pages that carry no URL of their own")
    ex.add_argument("--max-page-mb", type=float, default=16.0, metavar="MB",
                    help="refuse pages larger than this, with an error row (default 16)")
    ex.add_argument("--all-captures", action="store_true",
                    help="one post row per capture of the post (for votes and edits over time)")
    ex.add_argument("--jobs", type=_jobs, default=1, metavar="N",
                    help="parse and merge in N worker processes; 'auto' or 0: one per CPU (default 1)")
    ex.add_argument("--no-progress", action="store_true", help="no progress bar even on a terminal")
    ex.add_argument("--spark", metavar="MASTER",
                    help="run on Apache Spark: local[*], yarn, k8s://..., spark://... (inputs and output may then be "
                         "hdfs://, s3a://, gs:// URLs; needs the spark extra and Java 17)")
    ex.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE", help="a Spark setting (repeatable)")
    ex.add_argument("--format", choices=("jsonl", "parquet"), default="jsonl",
                    help="table format; parquet needs --spark (default jsonl)")

    va = sub.add_parser("validate", help="check a dataset against schemas/ and its manifest")
    va.add_argument("dataset", metavar="DIR")
    va.add_argument("--max-problems", type=int, default=20, metavar="N", help="stop after N problems (default 20)")

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

    return {"extract": _extract, "validate": _validate, "schemas": _schemas, "crawl": capture_cli.crawl_command,
            "verify": capture_cli.verify_command, "job": jobs_cli.job_command}[args.command](args, parser)


def _extract(args, parser) -> int:
    from harvester import engines
    from harvester.dates import get_zone
    from harvester.extract import Options, extract
    from harvester.writers import OutputError, check_output

    if args.engine and args.engine not in engines.names():
        parser.error(f"unknown engine {args.engine!r}; known: {', '.join(engines.names())}")
    try:
        get_zone(args.timezone)
        if not args.spark:
            check_output(args.output)
    except (ValueError, OutputError) as exc:
        parser.error(str(exc))
    if (args.conf or args.format != "jsonl") and not args.spark:
        parser.error("--conf and --format parquet need --spark")
    if any("=" not in item for item in args.conf):
        parser.error("--conf takes KEY=VALUE")
    options = Options(engine=args.engine, timezone=args.timezone, site_url=args.site_url,
                      max_page_mb=args.max_page_mb, all_captures=args.all_captures, jobs=args.jobs,
                      progress=sys.stderr.isatty() and not args.no_progress)
    try:
        if args.spark:
            summary = _spark_extract(args, options, parser)
        else:
            summary = extract(args.inputs, args.output, options)
    except KeyboardInterrupt:
        print("harvester: interrupted; no dataset was written", file=sys.stderr)
        return 130
    print(f"harvester: {summary.line(args.output)}", file=sys.stderr)
    return 1 if summary.failed else 0


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
