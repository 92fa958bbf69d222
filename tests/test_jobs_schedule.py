"""``job schedule`` with hostile names, seeds and paths: the crontab line runs exactly the job's command under
/bin/sh, the systemd unit holds exactly one ExecStart with the same arguments, nothing else runs."""

from __future__ import annotations

import os
import re
import subprocess

import pytest

from harvester import jobs
from harvester.cli import main

HOSTILE = "we ird 'q\" ;$(touch PWNED)`touch PWNED2`%d\\x"


def systemd_split(line: str) -> list[str]:
    """ExecStart= words as systemd reads them: whitespace-separated, "double"/'single' quoted, C escapes,
    then %% -> % and $$ -> $ (a lone % or $ would be a specifier or a variable: fail the test)."""
    words, i = [], 0
    while i < len(line):
        if line[i].isspace():
            i += 1
            continue
        word, quote = [], None
        while i < len(line) and (quote or not line[i].isspace()):
            ch = line[i]
            if quote is None and ch in "\"'":
                quote = ch
            elif ch == quote:
                quote = None
            elif ch == "\\":
                nxt = line[i + 1]
                if nxt == "x":
                    word.append(chr(int(line[i + 2:i + 4], 16)))
                    i += 2
                else:
                    word.append({"n": "\n", "t": "\t"}.get(nxt, nxt))
                i += 1
            elif ch in "%$":
                assert line[i + 1] == ch, f"unescaped {ch} in {line!r}"
                word.append(ch)
                i += 1
            else:
                word.append(ch)
            i += 1
        assert quote is None, line
        words.append("".join(word))
    return words


@pytest.mark.parametrize("name", ["a\n", "a\nb", "../x", "a;b", "a b", "..", "$(id)", "-rf", "x" * 65, ""])
def test_hostile_job_names_are_refused(tmp_path, name):
    with pytest.raises(SystemExit) as exc:
        main(["job", "--jobs-dir", str(tmp_path), "create", name, "--url", "http://forum.example/"])
    assert exc.value.code == 2
    with pytest.raises(jobs.JobError):
        jobs.job_path(tmp_path, name)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("seed", ["http://x.example/\nExecStartPre=/bin/sh -c id", "http://x.example/ a",
                                  "http://x.example/$(touch PWNED)'", 'http://x.example/"', "http://x.example/\r",
                                  "ftp://x.example/", "http://", "http://x.example:99999/", "http://x.example/\\"])
def test_hostile_seeds_are_refused_at_create_and_in_a_job_file(tmp_path, seed):
    with pytest.raises(SystemExit) as exc:
        main(["job", "--jobs-dir", str(tmp_path), "create", "forum", "--url", seed])
    assert exc.value.code == 2
    (tmp_path / "forum.toml").write_text(f"seeds = [{jobs._toml(seed)}]\n", encoding="utf-8")
    with pytest.raises(jobs.JobError, match="seeds"):
        jobs.load_job(tmp_path / "forum.toml")


def test_hostile_schedules_are_refused():
    for bad in ("0 0 * * mon;reboot", "0 0 * * 1\n* * * * * id", "0 0 * * sunday", "$(id) * * * *"):
        with pytest.raises(ValueError):
            jobs.Schedule(bad, "x")
    assert jobs.Schedule("0\t0 * *  1", "x").cron == "0 0 * * 1"


def fake_python(tmp_path):
    """An 'interpreter' at a hostile path that records its arguments (NUL-separated) instead of running."""
    bindir = tmp_path / ("bin " + HOSTILE)
    bindir.mkdir()
    py = bindir / "python3"
    py.write_text('#!/bin/sh\nfor a in "$@"; do printf \'%s\\0\' "$a"; done > "$ARGV_OUT"\n')
    py.chmod(0o755)
    return str(py)


def test_cron_line_runs_exactly_the_job_under_sh(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    rel_jobs = os.path.join("d " + HOSTILE, "..", "jobs " + HOSTILE)  # relative, with ../
    out_dir = "out " + HOSTILE
    assert main(["job", "--jobs-dir", rel_jobs, "create", "forum-1.a_b", "--url", "http://forum.example/f?a=1&b=2",
                 "--output", out_dir, "--every", "30 2 * * 1-5"]) == 0
    capsys.readouterr()
    assert main(["job", "--jobs-dir", rel_jobs, "schedule", "forum-1.a_b"]) == 0
    printed = capsys.readouterr().out
    assert printed.count("\n") == 1  # one crontab line
    jobs_dir = os.path.abspath(rel_jobs)
    job = jobs.load_job(jobs.job_path(jobs.Path(jobs_dir), "forum-1.a_b"))
    assert str(job.home) == str(tmp_path / out_dir)  # --output is relative to where create ran
    py = fake_python(tmp_path)
    for line in (jobs.crontab_line(job, jobs.Path(rel_jobs), python=py),
                 jobs.due_crontab_line(jobs.Path(rel_jobs), python=py)):
        assert "\n" not in line
        fields = line.split(" ", 5)
        assert fields[5].startswith("'/") or fields[5].startswith("/")  # an absolute interpreter
        command = fields[5]
        # cron turns an unescaped % into a newline and drops the backslash of \%
        assert re.search(r"(?<!\\)%", command) is None, command
        command = command.replace("\\%", "%")
        os.makedirs(job.home, exist_ok=True)
        argv_out = tmp_path / "argv"
        env = {"PATH": "/usr/bin:/bin", "ARGV_OUT": str(argv_out), "HOME": str(tmp_path)}
        elsewhere = tmp_path / "cron-cwd"
        elsewhere.mkdir(exist_ok=True)
        proc = subprocess.run(["/bin/sh", "-c", command], cwd=elsewhere, env=env, capture_output=True, timeout=30)
        assert proc.returncode == 0, proc.stderr
        argv = argv_out.read_bytes().split(b"\0")[:-1]
        if "--due" in line:
            assert [a.decode() for a in argv] == ["-m", "harvester", "job", "run", "--due", "--jobs-dir", jobs_dir]
            assert os.path.exists(os.path.join(jobs_dir, "cron.log"))
        else:
            assert [a.decode() for a in argv] == ["-m", "harvester", "job", "run", "forum-1.a_b", "--jobs-dir",
                                                  jobs_dir]
            assert (job.home / "cron.log").exists()  # the redirect went to the exact hostile path
    assert not list(tmp_path.rglob("PWNED*"))  # no $(...) or `...` ran


def test_systemd_unit_has_one_exec_start_with_the_exact_arguments(tmp_path, capsys):
    jobs_dir = tmp_path / ("jobs " + HOSTILE)
    assert main(["job", "--jobs-dir", str(jobs_dir), "create", "forum", "--url", "http://forum.example/%41?x=$y",
                 "--every", "weekly"]) == 0
    units = tmp_path / "units"
    assert main(["job", "--jobs-dir", str(jobs_dir), "schedule", "forum", "--systemd", str(units)]) == 0
    service = (units / "harvester-job-forum.service").read_text()
    keys = [ln.split("=", 1)[0] for ln in service.splitlines() if ln and not ln.startswith("[")]
    assert keys == ["Description", "Wants", "After", "Type", "ExecStart", "SuccessExitStatus", "Nice"]
    description = next(ln for ln in service.splitlines() if ln.startswith("Description="))
    assert "%%41" in description and "%41" not in description.replace("%%41", "")
    exec_start = next(ln for ln in service.splitlines() if ln.startswith("ExecStart="))[len("ExecStart="):]
    import sys

    assert systemd_split(exec_start) == [os.path.abspath(sys.executable), "-m", "harvester", "job", "run", "forum",
                                         "--jobs-dir", str(jobs_dir)]
    timer = (units / "harvester-job-forum.timer").read_text()
    assert [ln.split("=", 1)[0] for ln in timer.splitlines() if ln and not ln.startswith("[")] == [
        "Description", "OnCalendar", "Persistent", "RandomizedDelaySec", "WantedBy"]


def test_a_newline_in_a_path_is_refused_not_scheduled(tmp_path, capsys):
    jobs_dir = tmp_path / "jobs\nExecStartPre=evil"
    assert main(["job", "--jobs-dir", str(jobs_dir), "create", "forum", "--url", "http://forum.example/"]) == 0
    capsys.readouterr()
    assert main(["job", "--jobs-dir", str(jobs_dir), "schedule", "forum"]) == 2
    assert main(["job", "--jobs-dir", str(jobs_dir), "schedule", "forum", "--systemd", str(tmp_path / "u")]) == 2
    assert main(["job", "--jobs-dir", str(jobs_dir), "schedule", "--due"]) == 2
    assert capsys.readouterr().out == ""
    assert not (tmp_path / "u").exists() or not list((tmp_path / "u").iterdir())
