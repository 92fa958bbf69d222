"""Scheduled jobs against a local forum whose content changes between runs."""

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from harvester import jobs
from harvester.cli import main
from tests import pages
from tests.capture_servers import Server
from tests.conftest import read_jsonl

T0 = datetime(2026, 3, 1, 4, 0, tzinfo=UTC)


def local(html: str) -> str:
    return html.replace("http://forum.example.org", "")  # every link stays on the test server


class ChangingForum:
    """/forum lists threads; /node/N shows them. Tests edit ``threads`` between runs."""

    def __init__(self):
        self.down = False
        self.removed: set[int] = set()  # still linked from the listing, but the page answers 404
        self.threads = {
            10: [pages.comment(11, votes="1 user has voted."), pages.comment(12, body="<p>first version</p>")],
            20: [pages.comment(21, nid=20)],
        }

    def listing(self) -> str:
        teasers = "".join(f'<div id="node-{n}" class="node node-forum node-teaser"><h2><a href="/node/{n}">'
                          f"Thread {n}</a></h2></div>" for n in sorted(self.threads))
        return local(pages.HEAD.format(nid=0, title="Forum", charset="utf-8") + teasers + "</div></body></html>")

    def app(self, h):
        path = h.path.split("?")[0]
        if self.down:
            return h.send(503, b"<html><body>maintenance</body></html>")
        if path == "/robots.txt":
            return h.send(200, b"User-agent: *\nDisallow: /admin/\n", "text/plain")
        if path == "/forum":
            return h.send(200, self.listing().encode())
        if path.startswith("/node/") and path[6:].isdigit() and int(path[6:]) in self.threads.keys() - self.removed:
            nid = int(path[6:])
            return h.send(200, local(pages.page(*self.threads[nid], nid=nid, title=f"Thread {nid}")).encode())
        return None


@pytest.fixture
def forum():
    f = ChangingForum()
    with Server(f.app) as server:
        f.server = server
        yield f


def make_job(tmp_path, forum, name="club") -> jobs.Job:
    jobs_dir = tmp_path / "jobs"
    job = jobs.Job(name=name, seeds=[forum.server.url("/forum")], scope="board", delay=0.0, retries=0,
                   requisites=False, schedule="daily")
    jobs.create_job(jobs_dir, job)
    return jobs.load_job(jobs_dir / f"{name}.toml")


def records(path: Path):
    with open(path, "rb") as fh:
        for rec in ArchiveIterator(fh):
            yield rec.rec_type, rec.rec_headers.get_header("WARC-Target-URI"), rec


def test_three_runs_follow_the_forum(tmp_path, forum):
    job = make_job(tmp_path, forum)
    first = jobs.run_job(job, now=lambda: T0, loopback_only=True)
    assert first["status"] == "ok" and first["exit_status"] == 0
    assert first["pages"] == {"new": 3, "changed": 0, "unchanged": 0, "gone": 0, "failed": 0}
    assert first["dataset"]["threads"] == 2
    hashes = {p["id"]: p["content_hash"] for p in read_jsonl(job.home / "dataset" / "posts.jsonl")}

    # between runs: votes change, a post is edited, a reply is added, a new thread appears
    forum.threads[10] = [pages.comment(11, votes="3 users have voted."), pages.comment(12, body="<p>edited</p>"),
                         pages.comment(13)]
    forum.threads[30] = [pages.comment(31, nid=30)]
    time.sleep(1.05)  # WARC-Date has one-second resolution: keep the runs' capture times apart
    second = jobs.run_job(job, now=lambda: T0 + timedelta(days=1), loopback_only=True)
    assert second["status"] == "ok"
    assert second["pages"] == {"new": 1, "changed": 2, "unchanged": 1, "gone": 0, "failed": 0}
    kinds = {}
    for name in second["warc_files"]:
        for rec_type, uri, _rec in records(job.home / "crawl" / name):
            if uri and "/node/" in uri and rec_type != "request":
                kinds[uri.rsplit("/", 1)[-1]] = rec_type
    assert kinds == {"10": "response", "20": "revisit", "30": "response"}
    posts = {p["id"]: p for p in read_jsonl(job.home / "dataset" / "posts.jsonl")}
    assert posts["comment/11"]["votes"] == 3 and posts["comment/11"]["captures_seen"] == 2
    assert posts["comment/11"]["first_seen"] < posts["comment/11"]["last_seen"]
    assert posts["comment/12"]["body_text"] == "edited" and posts["comment/12"]["content_hash"] != hashes["comment/12"]
    assert {"comment/13", "comment/31"} <= set(posts)
    assert posts["comment/21"]["captures_seen"] == 2  # the revisit counts as a capture of the unchanged page
    # the second run read only its own WARC: the revisit's original came from the page store
    captures = read_jsonl(job.home / "dataset" / "captures.jsonl")
    assert any("parsed in an earlier run" in (c["reason"] or "") for c in captures)
    assert {c["source_file"].rsplit("/", 1)[-1] for c in captures} == set(first["warc_files"] + second["warc_files"])

    # then: a post is deleted and a thread page is removed
    forum.threads[10] = [pages.comment(11, votes="3 users have voted."), pages.comment(13)]
    forum.removed.add(20)
    time.sleep(1.05)
    third = jobs.run_job(job, now=lambda: T0 + timedelta(days=2), loopback_only=True)
    assert third["status"] == "ok"
    assert third["pages"]["gone"] == 1  # the removed page answers 404
    posts = {p["id"]: p for p in read_jsonl(job.home / "dataset" / "posts.jsonl")}
    assert posts["comment/12"]["missing_since"] == posts["comment/11"]["last_seen"]
    assert "comment/21" in posts  # the removed thread stays in the dataset
    threads = {t["id"]: t for t in read_jsonl(job.home / "dataset" / "threads.jsonl")}
    assert threads["node/20"]["extra"]["gone_status"] == 404  # ... marked gone since the third run's answer
    assert threads["node/20"]["extra"]["gone_since"] > threads["node/20"]["last_seen"]
    assert "gone_since" not in threads["node/10"]["extra"]
    assert [r["run"] for r in jobs.runs(job)] == ["20260301T040000Z", "20260302T040000Z", "20260303T040000Z"]
    assert main(["job", "--jobs-dir", str(job.path.parent), "status", "club"]) == 0


def test_wacz_job_packages_every_capture_after_each_run(tmp_path, forum):
    import zipfile

    jobs_dir = tmp_path / "jobs"
    jobs.create_job(jobs_dir, jobs.Job(name="club", seeds=[forum.server.url("/forum")], scope="board", delay=0.0,
                                       retries=0, requisites=False, wacz=True))
    job = jobs.load_job(jobs_dir / "club.toml")
    first = jobs.run_job(job, now=lambda: T0, loopback_only=True)
    time.sleep(1.05)
    second = jobs.run_job(job, now=lambda: T0 + timedelta(days=1), loopback_only=True)
    assert first["wacz"] == second["wacz"] == "crawl/club.wacz"
    with zipfile.ZipFile(job.home / "crawl" / "club.wacz") as zf:
        archived = {n.split("/", 1)[1] for n in zf.namelist() if n.startswith("archive/")}
    assert archived == set(first["warc_files"] + second["warc_files"])


def test_overlapping_run_is_refused(tmp_path, forum, capsys):
    job = make_job(tmp_path, forum)
    holder = jobs._Lock(job.home / ".run.lock")
    holder.note("pid 4242, run 20260301T040000Z")
    try:
        with pytest.raises(jobs.JobBusy, match="pid 4242"):
            jobs.run_job(job, loopback_only=True)
        status = main(["job", "--jobs-dir", str(job.path.parent), "run", "club", "--loopback-only"])
        assert status == jobs.EXIT_BUSY
    finally:
        holder.release()
    assert "already running" in capsys.readouterr().err
    assert jobs.runs(job) == []  # the refused run wrote no report and touched nothing
    assert jobs.run_job(job, loopback_only=True)["status"] == "ok"


def test_outage_is_a_failed_run_and_the_next_run_retries(tmp_path, forum):
    job = make_job(tmp_path, forum)
    forum.down = True
    failed = jobs.run_job(job, now=lambda: T0, loopback_only=True)
    assert failed["status"] == "failed" and failed["exit_status"] == 1
    assert "nothing could be fetched" in failed["reason"]
    forum.down = False
    ok = jobs.run_job(job, now=lambda: T0 + timedelta(hours=1), loopback_only=True)
    assert ok["status"] == "ok" and ok["pages"]["new"] == 3
    assert [r["status"] for r in jobs.runs(job)] == ["failed", "ok"]


def test_run_killed_midway_is_recovered_by_the_next(tmp_path, forum):
    job = make_job(tmp_path, forum)
    forum.server.httpd.gate = lambda path: path.startswith("/node/20")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    proc = subprocess.Popen([sys.executable, "-m", "harvester", "job", "--jobs-dir", str(job.path.parent), "run",
                             "club", "--loopback-only"], env=env, stderr=subprocess.PIPE)
    try:
        assert forum.server.httpd.blocked.wait(60), "the run never reached the gated page"
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    finally:
        forum.server.httpd.gate = None
        forum.server.httpd.release.set()
    assert proc.returncode == -signal.SIGKILL
    result = jobs.run_job(job, loopback_only=True)  # the kernel dropped the dead run's lock
    assert result["status"] == "ok"
    threads = read_jsonl(job.home / "dataset" / "threads.jsonl")
    assert sorted(t["id"] for t in threads) == ["node/10", "node/20"]
    assert not list((job.home / "crawl").glob("*.open"))
    assert main(["verify", str(job.home / "crawl")]) == 0


def test_job_file_written_by_hand(tmp_path):
    jobs_dir = tmp_path / "jobs"
    jobs_dir.mkdir()
    (jobs_dir / "daa.toml").write_text(
        'seeds = ["http://daa.ec.europa.eu/en/groups/engagement"]\nscope = "board"\nschedule = "30 2 * * 1-5"\n'
        '[politeness]\ndelay = 2\ncontact = "archivist@example.org"\n[output]\ntimezone = "Europe/Brussels"\n')
    job = jobs.load_job(jobs_dir / "daa.toml")
    assert (job.name, job.scope, job.delay, job.timezone) == ("daa", "board", 2, "Europe/Brussels")
    assert job.home == jobs_dir / "daa"
    (jobs_dir / "bad.toml").write_text('seeds = ["http://x.org/"]\nscope = "everything"\n')
    with pytest.raises(jobs.JobError, match="bad.toml: scope"):
        jobs.load_job(jobs_dir / "bad.toml")
    (jobs_dir / "typo.toml").write_text('seeds = ["http://x.org/"]\n[politeness]\ndelya = 1\n')
    with pytest.raises(jobs.JobError, match=r"unknown field \[politeness\] delya"):
        jobs.load_job(jobs_dir / "typo.toml")


def test_created_job_loads_back_and_lists(tmp_path, capsys):
    jobs_dir = tmp_path / "jobs"
    assert main(["job", "--jobs-dir", str(jobs_dir), "create", "daa", "--url", "http://daa.ec.europa.eu/en/",
                 "--scope", "site", "--every", "weekly", "--max-pages", "500", "--contact", "me@example.org"]) == 0
    job = jobs.load_job(jobs_dir / "daa.toml")
    assert (job.scope, job.schedule, job.max_pages, job.contact) == ("site", "weekly", 500, "me@example.org")
    assert main(["job", "--jobs-dir", str(jobs_dir), "create", "daa", "--url", "http://x.org/"]) == 2
    assert main(["job", "--jobs-dir", str(jobs_dir), "list"]) == 0
    assert "daa\tweekly\tsite" in capsys.readouterr().out


@pytest.mark.parametrize("text, last, now, due", [
    ("0 3 * * *", None, T0, True),
    ("0 3 * * *", T0.replace(hour=3, minute=0), T0.replace(hour=3, minute=59), False),
    ("0 3 * * *", T0.replace(hour=3, minute=0) - timedelta(days=1), T0.replace(hour=3, minute=5), True),
    ("*/15 * * * *", T0, T0 + timedelta(minutes=14), False),
    ("*/15 * * * *", T0, T0 + timedelta(minutes=15), True),
    ("30 2 * * mon-fri", datetime(2026, 3, 6, 2, 30, tzinfo=UTC), datetime(2026, 3, 8, 23, 0, tzinfo=UTC), False),
    ("30 2 * * mon-fri", datetime(2026, 3, 6, 2, 30, tzinfo=UTC), datetime(2026, 3, 9, 2, 30, tzinfo=UTC), True),
    ("0 0 1 * *", datetime(2026, 2, 1, tzinfo=UTC), datetime(2026, 2, 28, 23, 59, tzinfo=UTC), False),
])
def test_cron_due(text, last, now, due):
    assert jobs.Schedule(text, "x").due(last, now) is due


def test_named_schedules_spread_and_convert():
    daily = jobs.Schedule("daily", "daa")
    minute, hour, *_ = daily.cron.split()
    assert daily.cron == f"{minute} {hour} * * *" and 0 <= int(hour) < 6
    assert jobs.Schedule("hourly", "daa").cron == f"{minute} * * * *"
    assert daily.on_calendar() == f"*-*-* {hour}:{minute}:00"
    assert jobs.Schedule("30 2 * * 1-5", "x").on_calendar() == "Mon,Tue,Wed,Thu,Fri *-*-* 2:30:00"
    assert jobs.Schedule("*/10 * * * *", "x").on_calendar() == "*-*-* *:0/10:00"
    for bad in ("sometimes", "61 * * * *", "* * * *", "*/0 * * * *"):
        with pytest.raises(ValueError):
            jobs.Schedule(bad, "x")


def test_schedule_command_prints_cron_and_writes_systemd(tmp_path, capsys):
    jobs_dir = tmp_path / "jobs"
    main(["job", "--jobs-dir", str(jobs_dir), "create", "daa", "--url", "http://daa.ec.europa.eu/", "--every",
          "45 1 * * *"])
    capsys.readouterr()
    assert main(["job", "--jobs-dir", str(jobs_dir), "schedule", "daa"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("45 1 * * * ") and f"job run daa --jobs-dir {jobs_dir}" in line
    assert main(["job", "--jobs-dir", str(jobs_dir), "schedule", "daa", "--systemd", str(tmp_path / "units")]) == 0
    timer = (tmp_path / "units" / "harvester-job-daa.timer").read_text()
    service = (tmp_path / "units" / "harvester-job-daa.service").read_text()
    assert "OnCalendar=*-*-* 1:45:00" in timer and "Persistent=true" in timer
    assert "Type=oneshot" in service and "job run daa" in service
    assert main(["job", "--jobs-dir", str(jobs_dir), "schedule", "--due"]) == 0
    assert "job run --due" in capsys.readouterr().out


def test_run_due_runs_only_due_jobs(tmp_path, forum, capsys, monkeypatch):
    due = make_job(tmp_path, forum, "fresh")
    done = make_job(tmp_path, forum, "recent")
    recent_run = {"job": "recent", "run": "x", "started": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                  "status": "ok", "pages": {}, "warc_files": []}
    (done.home / "runs").mkdir(parents=True)
    (done.home / "runs" / "x.json").write_text(json.dumps(recent_run))
    monkeypatch.setattr(jobs.Schedule, "last_tick", lambda self, now: now - timedelta(hours=1))
    assert main(["job", "--jobs-dir", str(due.path.parent), "run", "--due", "--loopback-only"]) == 0
    assert len(jobs.runs(due)) == 1 and len(jobs.runs(done)) == 1


class _Planted:
    """A pickle that creates a file when loaded: what someone who can write the job folder could plant."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_the_page_store_holds_data_and_never_unpickles(tmp_path):
    import pickle
    import sqlite3

    from harvester.extract import Options, extract
    from tests.samples_support import SAMPLES

    store = tmp_path / "pages.sqlite"
    case = str(SAMPLES / "drupal" / "d7-bartik")
    extract([case], str(tmp_path / "one"), Options(page_store=str(store), progress=False))
    db = sqlite3.connect(store)
    (blob,) = db.execute("SELECT data FROM pages").fetchone()
    assert json.loads(blob)["parsed"]["thread"]["id"] == "node/314"  # plain JSON, readable by anyone
    marker = tmp_path / "planted"
    db.execute("UPDATE pages SET data = ?", (pickle.dumps(_Planted(marker)),))
    db.commit()
    db.close()
    summary = extract([case], str(tmp_path / "two"), Options(page_store=str(store), progress=False))
    assert not marker.exists()  # never loaded
    assert summary.posts == 7  # the store was forgotten and the input read again
