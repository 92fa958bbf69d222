"""The output directory: only harvester's own dataset is replaced, never lost, never half-swapped (issue 12)."""

import json
import os
import signal
import subprocess
import sys

import pytest

from harvester import writers
from harvester.cli import main
from tests import pages


def write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data, encoding="utf-8")
    return path


def extract(inputs, out, *extra):
    return main(["extract", *map(str, inputs), "-o", str(out), "--no-progress", *extra])


@pytest.fixture
def dataset(tmp_path):
    """A good input folder and a dataset extracted from it: (input dir, output dir, its posts.jsonl)."""
    inp = tmp_path / "in"
    write(inp / "t.html", pages.page(pages.comment(11), pages.comment(12)))
    out = tmp_path / "out"
    assert extract([inp], out) == 0
    return inp, out, (out / "posts.jsonl").read_text()


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_someone_elses_data_package_is_refused_and_untouched(tmp_path, dataset):
    inp, _out, _posts = dataset
    other = tmp_path / "theirs"
    write(other / "datapackage.json", json.dumps({"profile": "data-package", "resources": []}))
    write(other / "notes.txt", "my notes")
    with pytest.raises(SystemExit) as exc:
        extract([inp], other)
    assert exc.value.code == 2
    assert (other / "notes.txt").read_text() == "my notes" and sorted(os.listdir(other)) == [
        "datapackage.json", "notes.txt"]


def test_a_file_added_to_a_dataset_is_never_deleted(dataset, capsys):
    inp, out, posts = dataset
    write(out / "notes.txt", "my notes")
    write(out / "schemas" / "extra.json", "{}")
    with pytest.raises(SystemExit) as exc:
        extract([inp], out)
    assert exc.value.code == 2
    assert "notes.txt" in capsys.readouterr().err
    assert (out / "notes.txt").read_text() == "my notes" and (out / "schemas" / "extra.json").exists()
    assert (out / "posts.jsonl").read_text() == posts


def test_a_dataset_written_before_the_marker_is_still_replaced(dataset):
    inp, out, posts = dataset
    (out / writers.MARKER).unlink()
    assert extract([inp], out) == 0
    assert (out / "posts.jsonl").read_text() == posts and (out / writers.MARKER).exists()


@pytest.mark.parametrize("where", ["output inside input", "input inside output"])
def test_output_and_input_must_not_overlap(tmp_path, where):
    inp = tmp_path / "in"
    write(inp / "t.html", pages.page(pages.comment(11)))
    out = inp / "ds" if where == "output inside input" else tmp_path
    with pytest.raises(SystemExit) as exc:
        extract([inp], out)
    assert exc.value.code == 2
    assert (inp / "t.html").exists() and not (inp / "ds").exists()


def test_mistyped_path_or_empty_folder_is_a_usage_error_and_keeps_the_dataset(tmp_path, dataset):
    _inp, out, posts = dataset
    (tmp_path / "empty").mkdir()
    for inputs in ([tmp_path / "typo"], [tmp_path / "empty"]):
        with pytest.raises(SystemExit) as exc:
            extract(inputs, out)
        assert exc.value.code == 2
        assert (out / "posts.jsonl").read_text() == posts
    assert not [p for p in tmp_path.iterdir() if ".partial-" in p.name]


def test_nothing_extracted_keeps_the_previous_dataset(tmp_path, dataset, capsys):
    _inp, out, posts = dataset
    write(tmp_path / "broken" / "a.html", "")
    write(tmp_path / "broken" / "b.html", "<html><body>not a forum</body></html>")
    assert extract([tmp_path / "broken"], out) == 3
    assert (out / "posts.jsonl").read_text() == posts
    assert "nothing written" in capsys.readouterr().err


def test_exchange_swaps_two_directories_in_one_step(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    write(a / "x", "a")
    write(b / "y", "b")
    if not writers._exchange(a, b):
        pytest.skip("no renameat2 exchange on this system (the two-rename path is tested below)")
    assert os.listdir(a) == ["y"] and os.listdir(b) == ["x"]


def test_interrupted_two_rename_swap_puts_the_old_dataset_back(dataset, monkeypatch):
    inp, out, posts = dataset
    monkeypatch.setattr(writers, "_exchange", lambda a, b: False)
    real_rename = os.rename

    def interrupted(src, dst):
        if ".partial-" in str(src):
            raise KeyboardInterrupt  # Ctrl-C between the two renames
        return real_rename(src, dst)

    monkeypatch.setattr(writers.os, "rename", interrupted)
    assert extract([inp], out) == 130
    monkeypatch.setattr(writers.os, "rename", real_rename)
    assert (out / "posts.jsonl").read_text() == posts
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".out.")]


def test_next_run_recovers_a_swap_killed_between_renames_and_removes_debris(tmp_path, dataset):
    inp, out, posts = dataset
    pid = dead_pid()
    os.rename(out, tmp_path / f".out.old-{pid}")  # what a kill between the renames leaves
    write(tmp_path / f".out.partial-{pid}-abc" / "posts.jsonl", "half\n")
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        write(tmp_path / f".out.partial-{live.pid}-xyz" / "posts.jsonl", "in progress\n")
        writers.recover(out)
        assert (out / "posts.jsonl").read_text() == posts
        left = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out."))
        assert left == [f".out.partial-{live.pid}-xyz"]  # a run still alive keeps its directory
    finally:
        live.kill()
        live.wait()
    assert extract([inp], out) == 0
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]


def test_sigterm_cleans_up_and_keeps_the_previous_dataset(dataset, monkeypatch):
    inp, out, posts = dataset
    real = writers.dumps

    def killed(record):
        os.kill(os.getpid(), signal.SIGTERM)
        return real(record)

    monkeypatch.setattr(writers, "dumps", killed)
    assert extract([inp], out) == 143
    assert (out / "posts.jsonl").read_text() == posts
    assert not [p for p in out.parent.iterdir() if ".partial-" in p.name]


def test_dataset_directory_follows_the_umask(tmp_path):
    inp = tmp_path / "in"
    write(inp / "t.html", pages.page(pages.comment(11)))
    old = os.umask(0o022)
    try:
        assert extract([inp], tmp_path / "out") == 0
    finally:
        os.umask(old)
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o755


def test_unwritable_output_parent_is_an_output_error_not_a_traceback(tmp_path, capsys):
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("root writes everywhere")
    inp = tmp_path / "in"
    write(inp / "t.html", pages.page(pages.comment(11)))
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        assert extract([inp], locked / "out") == 4
    finally:
        locked.chmod(0o755)
    assert "cannot write" in capsys.readouterr().err


def test_output_under_a_file_is_an_output_error_not_a_traceback(tmp_path, capsys):
    inp = tmp_path / "in"
    write(inp / "t.html", pages.page(pages.comment(11)))
    write(tmp_path / "afile", "x")
    assert extract([inp], tmp_path / "afile" / "out") == 4
    assert "cannot write" in capsys.readouterr().err


def test_workers_end_when_the_main_process_is_killed(tmp_path):
    """SIGKILL gives the main process no chance to stop its --jobs workers: they must notice and exit."""
    import signal
    import subprocess
    import sys
    import time

    script = ("import os, sys, time\n"
              "from harvester.extract import make_pool\n"
              "pool = make_pool(2)\n"
              "futures = [pool.submit(time.sleep, 60) for _ in range(2)]\n"
              "while len(pool._processes) < 2: time.sleep(0.05)\n"
              "print(' '.join(map(str, pool._processes)), flush=True)\n"
              "time.sleep(60)\n")
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    workers = [int(p) for p in proc.stdout.readline().split()]
    assert len(workers) == 2 and all(_alive(p) for p in workers)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(p) for p in workers)


def _alive(pid: int) -> bool:
    """Running, not merely a zombie waiting for its reaper."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
    except OSError:
        import os

        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True


@pytest.mark.parametrize("limit_kb", [4, 60, 200])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_write_that_fails_for_real_keeps_the_dataset_and_leaves_nothing(tmp_path, limit_kb, jobs):
    """The kernel refuses to grow any file past a size (RLIMIT_FSIZE, as a full disk refuses a write): at
    the spill, at the tables or at the manifest, by limit. Exit 4 with a sentence, the previous dataset
    intact, no partial folder left; it was a traceback (exit 1) and a partial folder."""
    import pathlib
    import shutil

    resource = pytest.importorskip("resource")
    samples = pathlib.Path(__file__).resolve().parent.parent / "samples"
    inp = tmp_path / "in"
    inp.mkdir()
    for i, page in enumerate(sorted(samples.glob("*/*/page*.html"))):
        shutil.copy(page, inp / f"p{i}.html")
    out = tmp_path / "out"
    assert extract([inp], out) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert sum(map(len, before.values())) > 200 * 1024  # every limit is hit somewhere

    def limited():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_kb * 1024, limit_kb * 1024))

    done = subprocess.run([sys.executable, "-m", "harvester", "extract", str(inp), "-o", str(out), "--no-progress",
                           "--jobs", jobs], preexec_fn=limited, capture_output=True, text=True, timeout=120)
    assert done.returncode == 4, done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith(f"harvester: cannot write {out}") and "nothing was replaced" in last
    assert "Traceback" not in done.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]
