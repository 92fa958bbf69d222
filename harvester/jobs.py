"""Scheduled archival jobs: a TOML file per job, incremental runs, run reports, cron and systemd schedules.

A job lives in ``JOBS_DIR/NAME.toml``; its data in the job's output directory (``JOBS_DIR/NAME/`` unless the
file says otherwise): ``crawl/`` (WARCs, crawl log, index, crawl state shared by all runs, so unchanged
pages become revisits), ``dataset/`` (kept current after every run), ``pages.sqlite`` (parsed pages, so a
run parses only its own captures), ``seen.sqlite`` (payload digest per URL, to tell new from changed) and
``runs/RUN.json`` (one machine-readable report per run).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import sqlite3
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_BUSY = 0, 1, 75  # 75: EX_TEMPFAIL, "try again later", what cron wrappers expect
NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")  # always fullmatch: "$" would accept "name\n"
# A seed: http(s), a host, no whitespace, quotes, backslashes or control characters (they end up in cron and
# systemd files and in the crawl's own request line).
SEED_RE = re.compile(r"https?://[^\s\x00-\x1f\x7f\"'\\<>`]+", re.I)


def valid_name(name: str) -> bool:
    return isinstance(name, str) and NAME_RE.fullmatch(name) is not None and name not in (".", "..")


def valid_seed(url: str) -> bool:
    from urllib.parse import urlsplit

    if not isinstance(url, str) or SEED_RE.fullmatch(url) is None:
        return False
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises on a bad port)
    except ValueError:
        return False
    return bool(parts.hostname)


class JobError(Exception):
    """A job file that cannot be used, or a job that cannot run; the message names the file and field."""


class JobBusy(JobError):
    """Another run of the same job holds its lock."""


def default_jobs_dir() -> Path:
    if os.environ.get("HARVESTER_JOBS_DIR"):
        return Path(os.environ["HARVESTER_JOBS_DIR"])
    data = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(data) / "harvester" / "jobs"


# --- the job file --------------------------------------------------------------------------------------
@dataclass
class Job:
    name: str
    seeds: list[str]
    scope: str = "thread"
    schedule: str = "daily"
    output: str | None = None  # default: JOBS_DIR/NAME
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    max_pages: int | None = None
    max_depth: int | None = None
    requisites: bool = True
    delay: float = 1.0
    obey_robots: bool = True
    contact: str | None = None
    user_agent: str | None = None
    timeout: float = 30.0
    retries: int = 3
    max_response_mb: float = 100.0
    wacz: bool = False
    timezone: str | None = None
    path: Path | None = None  # the TOML file

    @property
    def home(self) -> Path:
        if self.output:
            out = Path(os.path.expanduser(self.output))
            return out if out.is_absolute() or self.path is None else self.path.parent / out
        return (self.path.parent if self.path else default_jobs_dir()) / self.name

    def crawl_config(self, loopback_only: bool = False):
        from harvester.capture.crawl import Config

        return Config(seeds=list(self.seeds), output=str(self.home / "crawl"), scope=self.scope,
                      include=list(self.include), exclude=list(self.exclude), max_pages=self.max_pages,
                      max_depth=self.max_depth, requisites=self.requisites, obey_robots=self.obey_robots,
                      delay=self.delay, contact=self.contact, user_agent=self.user_agent,
                      max_response_bytes=int(self.max_response_mb * 1_000_000), timeout=self.timeout,
                      retries=self.retries, warc_prefix=self.name, wacz=self.wacz, loopback_only=loopback_only)


_TYPES = {
    "name": str, "seeds": list, "scope": str, "schedule": str, "output": str, "include": list, "exclude": list,
    "max_pages": int, "max_depth": int, "requisites": bool, "delay": (int, float), "obey_robots": bool,
    "contact": str, "user_agent": str, "timeout": (int, float), "retries": int, "max_response_mb": (int, float),
    "wacz": bool, "timezone": str,
}
_SECTIONS = {"limits": ("include", "exclude", "max_pages", "max_depth", "requisites"),
             "politeness": ("delay", "obey_robots", "contact", "user_agent", "timeout", "retries",
                            "max_response_mb"),
             "output": ("output", "wacz", "timezone")}


def load_job(path: Path) -> Job:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise JobError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise JobError(f"{path}: not valid TOML: {exc}") from exc
    flat: dict = {}
    for key, value in data.items():
        if key in _SECTIONS and isinstance(value, dict):
            for sub, subvalue in value.items():
                if sub not in _SECTIONS[key]:
                    raise JobError(f"{path}: unknown field [{key}] {sub}")
                flat[sub] = subvalue
        else:
            flat[key] = value
    for key, value in flat.items():
        if key not in _TYPES:
            raise JobError(f"{path}: unknown field {key!r}")
        if not isinstance(value, _TYPES[key]) or (isinstance(value, bool) and _TYPES[key] is int):
            raise JobError(f"{path}: field {key!r} has the wrong type ({type(value).__name__})")
    flat.setdefault("name", path.stem)
    if flat["name"] != path.stem:
        raise JobError(f"{path}: name {flat['name']!r} differs from the file name")
    if not valid_name(flat["name"]):
        raise JobError(f"{path}: bad job name {flat['name']!r}: letters, digits, '.', '_' and '-' only")
    if not flat.get("seeds") or not all(valid_seed(s) for s in flat["seeds"]):
        bad = next((s for s in flat.get("seeds") or [] if not valid_seed(s)), None)
        raise JobError(f"{path}: seeds must be a non-empty list of http(s) URLs without spaces, quotes or "
                       f"control characters" + (f" (not {bad!r})" if bad is not None else ""))
    if isinstance(flat.get("output"), str) and _unsafe_path(flat["output"]):
        raise JobError(f"{path}: output {flat['output']!r} holds a control character")
    if flat.get("scope", "thread") not in ("thread", "board", "site"):
        raise JobError(f"{path}: scope must be thread, board or site")
    try:
        Schedule(flat.get("schedule", "daily"), flat["name"])
    except ValueError as exc:
        raise JobError(f"{path}: schedule: {exc}") from exc
    for pattern in flat.get("include", []) + flat.get("exclude", []):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise JobError(f"{path}: bad regex {pattern!r}: {exc}") from exc
    return Job(**flat, path=path)


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def job_toml(job: Job) -> str:
    """The job as a commented TOML file; every field is optional except seeds."""

    def line(key, comment):
        value = getattr(job, key)
        return f"{key} = {_toml(value)}" if value is not None else f"# {key} =   # {comment}"

    return "\n".join([
        "# harvester job: re-captures a forum on a schedule (see the README, \"Scheduled jobs\").",
        "# Run it with `harvester job run NAME`; `harvester job schedule NAME` prints its cron line.",
        f"name = {_toml(job.name)}",
        f"seeds = {_toml(job.seeds)}",
        f"scope = {_toml(job.scope)}            # thread | board | site",
        f"schedule = {_toml(job.schedule)}      # hourly | daily | weekly | a cron expression \"m h dom mon dow\"",
        "",
        "[limits]",
        f"include = {_toml(job.include)}        # regexes: only follow matching URLs",
        f"exclude = {_toml(job.exclude)}        # regexes: never fetch matching URLs",
        line("max_pages", "stop after this many pages per run"),
        line("max_depth", "follow links at most this many hops from a seed"),
        f"requisites = {_toml(job.requisites)}  # stylesheets, images and scripts the pages use",
        "",
        "[politeness]",
        f"delay = {_toml(job.delay)}            # seconds between requests to a host",
        f"obey_robots = {_toml(job.obey_robots)}",
        line("contact", "URL or e-mail for site owners; goes into the user agent"),
        line("user_agent", "replaces the whole user agent"),
        f"timeout = {_toml(job.timeout)}",
        f"retries = {_toml(job.retries)}",
        f"max_response_mb = {_toml(job.max_response_mb)}",
        "",
        "[output]",
        line("output", "directory for crawl/, dataset/, runs/ (default: next to this file, named after the job)"),
        f"wacz = {_toml(job.wacz)}              # also package each run as a WACZ",
        line("timezone", "the site's zone for dates printed without an offset, e.g. Europe/Brussels"),
        "",
    ])


def _unsafe_path(text: str) -> bool:
    """Control characters (newlines above all) cannot be written into a crontab line or a unit file safely."""
    return any(ord(c) < 32 or ord(c) == 127 for c in text)


def job_path(jobs_dir: Path, name: str) -> Path:
    if not valid_name(name):
        raise JobError(f"bad job name {name!r}: letters, digits, '.', '_' and '-' only")
    return jobs_dir / f"{name}.toml"


def create_job(jobs_dir: Path, job: Job, force: bool = False) -> Path:
    path = job_path(jobs_dir, job.name)
    if path.exists() and not force:
        raise JobError(f"{path} exists; use --force to replace it")
    jobs_dir.mkdir(parents=True, exist_ok=True)
    text = job_toml(job)
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text(text, encoding="utf-8")
    load_job(tmp.rename(path))  # what we write must load back
    return path


def list_jobs(jobs_dir: Path) -> list[Job | JobError]:
    out: list[Job | JobError] = []
    for path in sorted(jobs_dir.glob("*.toml")) if jobs_dir.is_dir() else []:
        try:
            out.append(load_job(path))
        except JobError as exc:
            out.append(exc)
    return out


# --- schedules -----------------------------------------------------------------------------------------
_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_DAYS = {d: i for i, d in enumerate("sun mon tue wed thu fri sat".split())}
_SYSTEMD_DAYS = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")


class Schedule:
    """``hourly``, ``daily``, ``weekly`` or a five-field cron expression.

    Named schedules run at a fixed minute (and, for daily and weekly, a night hour) derived from the job
    name, so jobs spread out instead of all starting on the hour; ``job schedule`` shows the time.
    """

    def __init__(self, text: str, name: str):
        self.text = text.strip()
        spread = int(hashlib.sha256(name.encode()).hexdigest(), 16)
        minute, hour = spread % 60, (spread // 60) % 6
        named = {"hourly": f"{minute} * * * *", "daily": f"{minute} {hour} * * *",
                 "weekly": f"{minute} {hour} * * 1"}
        fields = named.get(self.text, self.text).split()
        if len(fields) != 5:
            raise ValueError(f"{text!r} is not hourly, daily, weekly or a five-field cron expression")
        self.cron = " ".join(fields)  # never the text as given: it may hold newlines
        self.fields = fields
        self.minutes = _cron_field(fields[0], 0, 59, {})
        self.hours = _cron_field(fields[1], 0, 23, {})
        self.doms = _cron_field(fields[2], 1, 31, {})
        self.months = _cron_field(fields[3], 1, 12, _MONTHS)
        self.dows = {d % 7 for d in _cron_field(fields[4], 0, 7, _DAYS)}
        self.dom_any, self.dow_any = fields[2] == "*", fields[4] == "*"

    def matches(self, t: datetime) -> bool:
        if t.minute not in self.minutes or t.hour not in self.hours or t.month not in self.months:
            return False
        dom_ok, dow_ok = t.day in self.doms, (t.weekday() + 1) % 7 in self.dows
        if self.dom_any or self.dow_any:
            return dom_ok and dow_ok
        return dom_ok or dow_ok  # cron: when both are restricted, either may match

    def last_tick(self, now: datetime) -> datetime | None:
        """The latest scheduled minute at or before ``now`` (within a year)."""
        t = now.replace(second=0, microsecond=0)
        for _ in range(366 * 24 * 60):
            if self.matches(t):
                return t
            t -= timedelta(minutes=1)
        return None

    def due(self, last_start: datetime | None, now: datetime) -> bool:
        """Due when a scheduled minute has passed since the last run started (or there was none)."""
        tick = self.last_tick(now)
        return last_start is None or (tick is not None and last_start < tick)

    def on_calendar(self) -> str:
        """The same schedule as a systemd OnCalendar expression."""
        minute, hour, dom, month, dow = self.fields

        def conv(spec: str, first: int) -> str:
            if spec == "*":
                return "*"
            spec = re.sub(r"^\*/", f"{first}/", spec)
            return spec.replace("-", "..")

        days = ""
        if dow != "*":
            days = ",".join(_SYSTEMD_DAYS[d] for d in sorted(self.dows)) + " "
        return f"{days}*-{conv(month, 1)}-{conv(dom, 1)} {conv(hour, 0)}:{conv(minute, 0)}:00"


def _cron_field(spec: str, lo: int, hi: int, names: dict[str, int]) -> set[int]:
    values: set[int] = set()
    for part in spec.lower().split(","):
        step = 1
        if "/" in part:
            part, step_text = part.split("/", 1)
            if not step_text.isdigit() or int(step_text) == 0:
                raise ValueError(f"bad step in {spec!r}")
            step = int(step_text)
        if part == "*":
            start, end = lo, hi
        elif "-" in part:
            a, b = part.split("-", 1)
            start, end = _cron_value(a, names, spec), _cron_value(b, names, spec)
        else:
            start = _cron_value(part, names, spec)
            end = hi if step > 1 else start
        if not lo <= start <= end <= hi:
            raise ValueError(f"{spec!r} is outside {lo}-{hi}")
        values.update(range(start, end + 1, step))
    return values


def _cron_value(text: str, names: dict[str, int], spec: str) -> int:
    if text.isdigit():
        return int(text)
    if text in names:  # cron's three-letter names only: "mon;reboot" is not Monday
        return names[text]
    raise ValueError(f"cannot read {text!r} in {spec!r}")


# --- runs ----------------------------------------------------------------------------------------------
def runs(job: Job) -> list[dict]:
    """Run reports, oldest first."""
    reports = []
    for path in sorted((job.home / "runs").glob("*.json")):
        try:
            reports.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    return reports


def last_start(job: Job) -> datetime | None:
    done = runs(job)
    return datetime.fromisoformat(done[-1]["started"].replace("Z", "+00:00")) if done else None


def _iso(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Lock:
    """An exclusive flock on ``JOB/.run.lock``: released by the kernel when a run dies, so never stuck."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.fh = open(path, "a+", encoding="utf-8")
        try:
            fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            self.fh.seek(0)
            holder = self.fh.read().strip() or "another process"
            self.fh.close()
            raise JobBusy(f"job is already running ({holder}); this run was not started") from exc

    def note(self, text: str) -> None:
        self.fh.seek(0)
        self.fh.truncate()
        self.fh.write(text)
        self.fh.flush()

    def release(self) -> None:
        self.note("")
        fcntl.flock(self.fh, fcntl.LOCK_UN)
        self.fh.close()


def run_job(job: Job, now: Callable[[], datetime] = lambda: datetime.now(UTC),
            report: Callable[[str], None] = lambda msg: None, loopback_only: bool = False,
            crawler_factory=None) -> dict:
    """One incremental run: crawl into the shared crawl directory, classify what changed, update the dataset,
    write the run report. Raises JobBusy when a run of this job is active."""
    from harvester.capture.crawl import Crawler, CrawlError

    home = job.home
    lock = _Lock(home / ".run.lock")
    started = now()
    run_id = started.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lock.note(f"pid {os.getpid()}, run {run_id}")
    result: dict = {"job": job.name, "run": run_id, "started": _iso(started), "status": "failed", "reason": None,
                    "pages": {"new": 0, "changed": 0, "unchanged": 0, "gone": 0, "failed": 0}, "requisites": 0,
                    "bytes": 0, "warc_files": [], "repaired": [], "dataset": None}
    try:
        crawl_dir = home / "crawl"
        crawl_dir.mkdir(parents=True, exist_ok=True)
        before = {p.name for p in crawl_dir.glob("*.warc.gz")}
        crawler = (crawler_factory or Crawler)(job.crawl_config(loopback_only), report=report)
        summary = None
        try:
            summary = crawler.run()
        except CrawlError as exc:
            result["reason"] = str(exc)
        new_files = sorted(p.name for p in crawl_dir.glob("*.warc.gz") if p.name not in before)
        result["warc_files"] = new_files
        if job.wacz and (crawl_dir / f"{job.name}.wacz").exists():
            # rebuilt every run with every capture so far: a revisit replays only beside its original
            result["wacz"] = f"crawl/{job.name}.wacz"
        if summary is not None:
            result.update(requisites=summary.requisites, bytes=summary.bytes, repaired=summary.repaired)
            result["pages"]["failed"] = summary.failed
            result["problems"] = summary.problems[:50]
        result["pages"].update(_classify(home, [crawl_dir / n for n in new_files]))
        fetched = sum(result["pages"][k] for k in ("new", "changed", "unchanged"))
        if summary is not None and fetched == 0:
            result["reason"] = "nothing could be fetched (site down, DNS failure or every page blocked)"
        elif summary is not None:
            result["status"] = "ok"
        if new_files or not (home / "dataset" / "datapackage.json").exists():
            result["dataset"] = _update_dataset(job, crawl_dir, report)
    except Exception as exc:  # the report must still be written, and say why
        result["reason"] = f"{type(exc).__name__}: {exc}"
        result["status"] = "failed"
    finally:
        if result["status"] != "ok" and not result["reason"]:
            result["reason"] = "interrupted"  # Ctrl-C or a signal: the next run resumes and repairs
        result["finished"] = _iso(now())
        result["exit_status"] = EXIT_OK if result["status"] == "ok" else EXIT_FAILED
        runs_dir = home / "runs"
        runs_dir.mkdir(parents=True, exist_ok=True)
        tmp = runs_dir / f".{run_id}.json.tmp"
        tmp.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        tmp.rename(runs_dir / f"{run_id}.json")
        lock.release()
    return result


def _classify(home: Path, warcs: list[Path]) -> dict[str, int]:
    """new: a page URL never captured before; changed: captured before with another payload; unchanged:
    a revisit (or the same payload again); gone: a page captured before that now answers 404 or 410."""
    from warcio.archiveiterator import ArchiveIterator

    counts = {"new": 0, "changed": 0, "unchanged": 0, "gone": 0}
    db = sqlite3.connect(home / "seen.sqlite")
    db.execute("CREATE TABLE IF NOT EXISTS seen (url TEXT PRIMARY KEY, digest TEXT)")
    with db:
        for path in warcs:
            with open(path, "rb") as fh:
                for rec in ArchiveIterator(fh):
                    if rec.rec_type not in ("response", "revisit"):
                        continue
                    ctype = (rec.http_headers.get_header("Content-Type") or "") if rec.http_headers else ""
                    code = rec.http_headers.get_statuscode() if rec.http_headers else ""
                    url = rec.rec_headers.get_header("WARC-Target-URI")
                    row = db.execute("SELECT digest FROM seen WHERE url = ?", (url,)).fetchone()
                    if rec.rec_type == "response" and code in ("404", "410") and row is not None:
                        counts["gone"] += 1
                        continue
                    if rec.rec_type == "response" and ("html" not in ctype.lower() or not code.startswith("2")):
                        continue  # requisites, and error pages
                    digest = rec.rec_headers.get_header("WARC-Payload-Digest")
                    if rec.rec_type == "revisit":
                        if row is not None or "html" in ctype.lower():
                            counts["unchanged"] += 1
                        continue
                    if row is None:
                        counts["new"] += 1
                    elif row[0] == digest:
                        counts["unchanged"] += 1
                    else:
                        counts["changed"] += 1
                    db.execute("INSERT OR REPLACE INTO seen VALUES (?, ?)", (url, digest))
    db.close()
    return counts


def _update_dataset(job: Job, crawl_dir: Path, report) -> dict:
    from harvester.extract import Options, extract

    # Only WARCs not yet extracted are read (this run's, and any a killed run closed but never extracted):
    # revisits of pages captured earlier resolve from the page store.
    store = job.home / "pages.sqlite"
    done: set[str] = set()
    if store.exists():
        with sqlite3.connect(store) as db:
            done = {path for (path,) in db.execute("SELECT path FROM inputs")}
    warcs = sorted(str(p) for p in crawl_dir.glob("*.warc.gz") if str(p) not in done)
    # A revisit whose original was not stored as a parsed page (a listing or any page skipped as no discussion)
    # resolves only with the original's WARC among the inputs: add the earlier files the new revisits refer to.
    # Extract reads them only to resolve (they are done), so the dataset matches a full extract of every WARC.
    warcs = sorted(set(warcs) | _referred_files(crawl_dir, warcs, done, store))
    options = Options(timezone=job.timezone, page_store=str(store))
    summary = extract(warcs, str(job.home / "dataset"), options, report=report)
    return {"pages_ok": summary.ok, "pages_skipped": summary.skipped, "pages_failed": summary.failed,
            "threads": summary.threads, "posts": summary.posts, "participants": summary.participants}


def _referred_files(crawl_dir: Path, warcs: list[str], done: set[str], store: Path) -> set[str]:
    """Earlier WARCs (already extracted) holding the originals that revisits in ``warcs`` refer to, for those
    originals the page store does not hold (pages skipped as no discussion are not stored)."""
    from warcio.archiveiterator import ArchiveIterator

    from harvester.sources.archives import _revisit_may_be_html  # the revisits extract resolves, exactly

    refers: set[str] = set()
    for path in warcs:
        with open(path, "rb") as fh:
            for rec in ArchiveIterator(fh):
                if (rec.rec_type == "revisit" and rec.rec_headers.get_header("WARC-Refers-To")
                        and _revisit_may_be_html(rec)):
                    refers.add(rec.rec_headers.get_header("WARC-Refers-To"))
    if refers and store.exists():
        db = sqlite3.connect(str(store))
        try:
            refers -= {rid for (rid,) in db.execute("SELECT DISTINCT record_id FROM pages WHERE record_id IS NOT NULL")}
        finally:
            db.close()
    state = crawl_dir / "crawl-state.sqlite"
    if not refers or not state.exists():
        return set()
    found: set[str] = set()
    db = sqlite3.connect(str(state))
    try:
        ids = sorted(refers)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            rows = db.execute(f"SELECT DISTINCT filename FROM captures WHERE record_id IN "
                              f"({','.join('?' * len(chunk))})", chunk)
            found.update(str(crawl_dir / name) for (name,) in rows if name)
    finally:
        db.close()
    return {path for path in found if path in done and os.path.exists(path)}


# --- schedule files ------------------------------------------------------------------------------------
# Every value that reaches a crontab line or a unit file is quoted with that file's own rules: the job name
# and seeds are validated, but paths (--jobs-dir, output) may hold spaces, quotes, ';', '$(...)' or '%'.
def run_argv(job: Job, jobs_dir: Path, python: str = sys.executable) -> list[str]:
    """The command a schedule runs, as an argument list with absolute paths (cron starts in $HOME)."""
    jobs_dir = Path(os.path.abspath(jobs_dir))
    for text in (python, str(jobs_dir), str(job.home)):
        if _unsafe_path(text):
            raise JobError(f"cannot schedule a path with a control character: {text!r}")
    if not valid_name(job.name):
        raise JobError(f"bad job name {job.name!r}")
    return [os.path.abspath(python), "-m", "harvester", "job", "run", job.name, "--jobs-dir", str(jobs_dir)]


def cron_quote(arg: str) -> str:
    """One shell word for a crontab command: shlex.quote, and '%' escaped (cron turns a bare '%' into a newline
    and removes the backslash before the shell sees the line)."""
    import shlex

    return shlex.quote(arg).replace("%", "\\%")


def systemd_quote(arg: str) -> str:
    """One word in systemd's command-line syntax: double quotes with C escapes, '%%' for a literal '%'
    (specifiers) and '$$' for a literal '$' (environment expansion)."""
    if re.fullmatch(r"[A-Za-z0-9_@+=:,./-]+", arg):
        return arg  # nothing to quote
    out = []
    for ch in arg:
        if ch in '\\"':
            out.append("\\" + ch)
        elif ch == "%":
            out.append("%%")
        elif ch == "$":
            out.append("$$")
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _systemd_text(text: str) -> str:
    """A free-text value (Description=): one line, specifiers escaped."""
    return re.sub(r"[\x00-\x1f\x7f]", " ", text).replace("%", "%%")


def command_line(job: Job, jobs_dir: Path, python: str = sys.executable) -> str:
    return " ".join(cron_quote(a) for a in run_argv(job, jobs_dir, python))


def crontab_line(job: Job, jobs_dir: Path, python: str = sys.executable) -> str:
    log = str(Path(os.path.abspath(job.home)) / "cron.log")
    return (f"{Schedule(job.schedule, job.name).cron} {command_line(job, jobs_dir, python)} "
            f">> {cron_quote(log)} 2>&1")


def due_crontab_line(jobs_dir: Path, python: str = sys.executable) -> str:
    jobs_dir = Path(os.path.abspath(jobs_dir))
    if _unsafe_path(str(jobs_dir)) or _unsafe_path(python):
        raise JobError(f"cannot schedule a path with a control character: {str(jobs_dir)!r}")
    argv = [os.path.abspath(python), "-m", "harvester", "job", "run", "--due", "--jobs-dir", str(jobs_dir)]
    return (f"*/15 * * * * {' '.join(cron_quote(a) for a in argv)} >> {cron_quote(str(jobs_dir / 'cron.log'))}"
            " 2>&1")


def systemd_units(job: Job, jobs_dir: Path, python: str = sys.executable) -> dict[str, str]:
    unit = f"harvester-job-{job.name}"
    exec_start = " ".join(systemd_quote(a) for a in run_argv(job, jobs_dir, python))
    service = "\n".join([
        "[Unit]", _systemd_text(f"Description=harvester job {job.name}: {job.scope} capture of "
                                f"{' '.join(job.seeds)}"),
        "Wants=network-online.target", "After=network-online.target", "",
        "[Service]", "Type=oneshot", f"ExecStart={exec_start}",
        # 75 means another run was still active: not a failure of this unit
        "SuccessExitStatus=75", "Nice=10", "",
    ])
    timer = "\n".join([
        "[Unit]", _systemd_text(f"Description=Schedule of harvester job {job.name} ({job.schedule})"), "",
        "[Timer]", f"OnCalendar={Schedule(job.schedule, job.name).on_calendar()}", "Persistent=true",
        "RandomizedDelaySec=60", "", "[Install]", "WantedBy=timers.target", "",
    ])
    return {f"{unit}.service": service, f"{unit}.timer": timer}
