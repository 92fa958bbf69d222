"""``harvester job create|list|run|status|schedule``: argparse definitions and handlers (imports stay lazy)."""

from __future__ import annotations

import sys


def add_parsers(sub) -> None:
    job = sub.add_parser("job", help="scheduled archival crawls that keep a forum's dataset current",
                         description="Jobs re-capture a forum on a schedule: each run crawls incrementally "
                                     "(revisits for what did not change), updates the job's dataset and "
                                     "writes a JSON run report.")
    job.add_argument("--jobs-dir", metavar="DIR",
                     help="where job files live (default $HARVESTER_JOBS_DIR, else ~/.local/share/harvester/jobs)")
    jsub = job.add_subparsers(dest="job_command", metavar="ACTION", required=True)

    cr = jsub.add_parser("create", help="write a job file")
    cr.add_argument("name")
    cr.add_argument("--url", action="append", required=True, metavar="URL", help="seed URL (repeatable)")
    cr.add_argument("--scope", choices=("thread", "board", "site"), default="thread")
    cr.add_argument("--every", default="daily", metavar="SCHEDULE",
                    help="hourly, daily, weekly or a cron expression like '30 2 * * *' (default daily)")
    cr.add_argument("--output", metavar="DIR", help="job data directory (default JOBS_DIR/NAME)")
    cr.add_argument("--include", action="append", default=[], metavar="REGEX")
    cr.add_argument("--exclude", action="append", default=[], metavar="REGEX")
    cr.add_argument("--max-pages", type=int, metavar="N")
    cr.add_argument("--max-depth", type=int, metavar="N")
    cr.add_argument("--no-requisites", action="store_true")
    cr.add_argument("--delay", type=float, default=1.0, metavar="SECONDS")
    cr.add_argument("--contact", metavar="URL|EMAIL")
    cr.add_argument("--timezone", metavar="ZONE", help="the site's zone, for the dataset")
    cr.add_argument("--wacz", action="store_true", help="package each run as a WACZ")
    cr.add_argument("--force", action="store_true", help="replace an existing job file")

    jsub.add_parser("list", help="show every job, its schedule and its last run")

    ru = jsub.add_parser("run", help="one incremental run (safe to call from cron)")
    ru.add_argument("name", nargs="?")
    ru.add_argument("--due", action="store_true", help="run every job whose schedule says it is due")
    ru.add_argument("--loopback-only", action="store_true", help=_suppress())

    st = jsub.add_parser("status", help="the last runs of a job")
    st.add_argument("name")
    st.add_argument("--runs", type=int, default=10, metavar="N", help="how many runs to show (default 10)")
    st.add_argument("--json", action="store_true", help="print the last run report as JSON")

    sc = jsub.add_parser("schedule", help="print the crontab line, or write systemd service and timer units")
    sc.add_argument("name", nargs="?", help="a job (omit with --due for one line that runs every due job)")
    sc.add_argument("--due", action="store_true", help="the single cron line for `job run --due`")
    sc.add_argument("--systemd", metavar="DIR", help="write NAME.service and NAME.timer into DIR")


def _suppress():
    import argparse

    return argparse.SUPPRESS


def job_command(args, parser) -> int:
    import os
    from pathlib import Path

    from harvester import jobs

    # absolute: schedules run from another directory ($HOME for cron)
    jobs_dir = Path(os.path.abspath(args.jobs_dir if args.jobs_dir else jobs.default_jobs_dir()))
    say = _say
    try:
        return _ACTIONS[args.job_command](args, parser, jobs, jobs_dir, say)
    except jobs.JobBusy as exc:
        say(str(exc))
        return jobs.EXIT_BUSY
    except jobs.JobError as exc:
        say(f"error: {exc}")
        return 2


def _say(msg: str) -> None:
    print(f"harvester: {msg}", file=sys.stderr)


def _load(jobs, jobs_dir, name):
    return jobs.load_job(jobs.job_path(jobs_dir, name))


def _create(args, parser, jobs, jobs_dir, say) -> int:
    import os

    if not jobs.valid_name(args.name):
        parser.error(f"bad job name {args.name!r}: letters, digits, '.', '_' and '-' only")
    for url in args.url:
        if not jobs.valid_seed(url):
            parser.error(f"--url {url!r}: an http(s) URL without spaces, quotes or control characters")
    # relative to where the command ran, not to the jobs directory
    output = os.path.abspath(os.path.expanduser(args.output)) if args.output else None
    job = jobs.Job(name=args.name, seeds=args.url, scope=args.scope, schedule=args.every, output=output,
                   include=args.include, exclude=args.exclude, max_pages=args.max_pages, max_depth=args.max_depth,
                   requisites=not args.no_requisites, delay=args.delay, contact=args.contact,
                   timezone=args.timezone, wacz=args.wacz)
    try:
        jobs.Schedule(args.every, args.name)
    except ValueError as exc:
        parser.error(f"--every: {exc}")
    path = jobs.create_job(jobs_dir, job, force=args.force)
    say(f"wrote {path}; run it with `harvester job run {args.name}`")
    return 0


def _list(args, parser, jobs, jobs_dir, say) -> int:
    found = jobs.list_jobs(jobs_dir)
    if not found:
        say(f"no jobs in {jobs_dir}")
    for job in found:
        if isinstance(job, jobs.JobError):
            print(f"!  {job}")
            continue
        done = jobs.runs(job)
        last = f"last run {done[-1]['started']} {done[-1]['status']}" if done else "never run"
        print(f"{job.name}\t{job.schedule}\t{job.scope}\t{' '.join(job.seeds)}\t{last}")
    return 0


def _run(args, parser, jobs, jobs_dir, say) -> int:
    from datetime import UTC, datetime

    if bool(args.name) == bool(args.due):
        parser.error("give a job name or --due")
    if args.name:
        selected = [_load(jobs, jobs_dir, args.name)]
    else:
        now = datetime.now(UTC)
        selected = []
        for job in jobs.list_jobs(jobs_dir):
            if isinstance(job, jobs.JobError):
                say(f"error: {job}")
                continue
            if jobs.Schedule(job.schedule, job.name).due(jobs.last_start(job), now):
                selected.append(job)
        if not selected:
            say("no job is due")
    worst = 0
    for job in selected:
        try:
            result = jobs.run_job(job, report=say, loopback_only=args.loopback_only)
        except KeyboardInterrupt:
            say(f"{job.name}: interrupted; the report says so, and the next run resumes")
            return 130
        except jobs.JobBusy as exc:
            say(f"{job.name}: {exc}")
            worst = max(worst, jobs.EXIT_BUSY if args.name else 0)
            continue
        say(f"{job.name}: run {result['run']} {result['status']}: {_pages(result)}; "
            f"{len(result['warc_files'])} WARC files" + (f"; {result['reason']}" if result["reason"] else ""))
        worst = max(worst, result["exit_status"])
    return worst


def _pages(report: dict) -> str:
    p = report["pages"]
    return ", ".join(f"{p.get(k, 0)} {k}" for k in ("new", "changed", "unchanged", "gone", "failed")) + " pages"


def _status(args, parser, jobs, jobs_dir, say) -> int:
    import json

    job = _load(jobs, jobs_dir, args.name)
    done = jobs.runs(job)
    if args.json:
        print(json.dumps(done[-1] if done else None, indent=2))
        return 0
    print(f"job {job.name}: {job.scope} of {' '.join(job.seeds)}, schedule {job.schedule}, data in {job.home}")
    if not done:
        print("never run")
    for r in done[-args.runs:]:
        print(f"{r['started']}  {r['status']:6}  {_pages(r)}; {r['bytes'] / 1e6:.1f} MB; "
              f"WARCs: {', '.join(r['warc_files']) or '-'}" + (f"; {r['reason']}" if r.get("reason") else ""))
    return 0 if not done or done[-1]["status"] == "ok" else 1


def _schedule(args, parser, jobs, jobs_dir, say) -> int:
    from pathlib import Path

    if args.due:
        print(jobs.due_crontab_line(jobs_dir))
        return 0
    if not args.name:
        parser.error("give a job name or --due")
    job = _load(jobs, jobs_dir, args.name)
    if args.systemd:
        target = Path(args.systemd)
        target.mkdir(parents=True, exist_ok=True)
        for name, text in jobs.systemd_units(job, jobs_dir).items():
            (target / name).write_text(text, encoding="utf-8")
            say(f"wrote {target / name}")
        say(f"enable with: systemctl --user enable --now harvester-job-{job.name}.timer")
        return 0
    print(jobs.crontab_line(job, jobs_dir))
    return 0


_ACTIONS = {"create": _create, "list": _list, "run": _run, "status": _status, "schedule": _schedule}
