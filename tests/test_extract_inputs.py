"""Bad and unusual inputs: each gets a capture row with a reason, the batch goes on, exit status tells."""

import gzip
import os
import re
import sys

import pytest

from harvester import extract as extract_mod
from harvester.cli import main
from tests import pages
from tests.samples_support import SAMPLES


def write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def by_file(captures):
    return {os.path.basename(c["source_file"]): c for c in captures}


def test_good_page_alone_exits_zero(tmp_path, run_extract):
    write(tmp_path / "in" / "t.html", pages.page(pages.comment(11)))
    status, t = run_extract(tmp_path / "in")
    assert status == 0
    assert [c["status"] for c in t["captures"]] == ["ok"]
    assert len(t["posts"]) == 2 and t["threads"][0]["site"] == "forum.example.org"


def test_bad_inputs_are_recorded_and_the_batch_goes_on(tmp_path, run_extract, capsys):
    d = tmp_path / "in"
    write(d / "a-good.html", pages.page(pages.comment(11)))
    write(d / "b-empty.html", b"")
    write(d / "c-binary.html", bytes(range(256)) * 8)
    write(d / "d-truncated.html", pages.page(pages.comment(11), pages.comment(12))[:-400])
    write(d / "e-not-forum.html", "<html><head><title>Hi</title></head><body><p>Just a page.</p></body></html>")
    write(d / "f-gzipped.html.gz", gzip.compress(pages.page(pages.comment(21), nid=20).encode()))
    write(d / "g-torn.html.gz", gzip.compress(pages.page(nid=30).encode())[:-30])
    write(d / "style.css", "body { color: red }")  # not a page: not an input row at all
    status, t = run_extract(d)
    assert status == 1
    rows = by_file(t["captures"])
    assert set(rows) == {"a-good.html", "b-empty.html", "c-binary.html", "d-truncated.html", "e-not-forum.html",
                         "f-gzipped.html.gz", "g-torn.html.gz"}
    assert rows["a-good.html"]["status"] == "ok"
    assert rows["b-empty.html"] == rows["b-empty.html"] | {"status": "error", "reason": "empty file"}
    assert rows["c-binary.html"]["status"] == "error" and "binary" in rows["c-binary.html"]["reason"]
    assert rows["d-truncated.html"]["status"] == "ok" and "truncated" in rows["d-truncated.html"]["reason"]
    assert rows["e-not-forum.html"]["status"] == "skipped"
    assert rows["f-gzipped.html.gz"]["status"] == "ok" and rows["f-gzipped.html.gz"]["posts_found"] == 2
    assert rows["g-torn.html.gz"]["status"] == "error" and "gzip" in rows["g-torn.html.gz"]["reason"]
    err = capsys.readouterr().err
    assert f"error: {d / 'b-empty.html'}: empty file" in err
    assert f"skipped: {d / 'e-not-forum.html'}: not a forum page" in err
    assert t["manifest"]["failed"] and any("c-binary.html" in f for f in t["manifest"]["failed"])
    assert {i["path"].rsplit("/", 1)[-1] for i in t["manifest"]["inputs"]} >= {"a-good.html", "f-gzipped.html.gz"}


def test_summary_line_counts(tmp_path, capsys):
    d = tmp_path / "in"
    write(d / "a.html", pages.page(pages.comment(11)))
    write(d / "b.html", "<html><body>nothing</body></html>")
    write(d / "c.html", b"")
    assert main(["extract", str(d), "-o", str(tmp_path / "out"), "--no-progress"]) == 1
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert "3 pages: 1 ok, 1 skipped, 1 failed; 1 threads, 2 posts" in last


def test_oversized_page_is_an_error_not_a_crash(tmp_path, run_extract):
    big = pages.page(pages.comment(11, body="<p>" + "x" * 1_200_000 + "</p>"))
    write(tmp_path / "in" / "big.html", big)
    write(tmp_path / "in" / "small.html", pages.page(nid=20))
    status, t = run_extract(tmp_path / "in", extra=["--max-page-mb", "1"])
    rows = by_file(t["captures"])
    assert status == 1
    assert rows["big.html"]["status"] == "error" and "limit" in rows["big.html"]["reason"]
    assert rows["small.html"]["status"] == "ok"


def test_missing_input_and_unreadable_directory(tmp_path, run_extract):
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        locked = None  # root reads everything; the missing path still exercises the error row
    else:
        locked = tmp_path / "in" / "locked"
        locked.mkdir(parents=True)
        write(locked / "x.html", pages.page())
        locked.chmod(0)
    write(tmp_path / "in" / "ok.html", pages.page())
    try:
        status, t = run_extract(tmp_path / "in", tmp_path / "nope.html")
    finally:
        if locked is not None:
            locked.chmod(0o755)
    reasons = {os.path.basename(c["source_file"]): c["reason"] for c in t["captures"] if c["status"] == "error"}
    assert status == 1
    assert reasons["nope.html"] == "no such file or directory"
    if locked is not None:
        assert "cannot read directory" in reasons["locked"]


def test_file_vanishing_mid_run(tmp_path, run_extract, monkeypatch):
    d = tmp_path / "in"
    write(d / "a.html", pages.page())
    write(d / "b.html", pages.page(nid=20))
    real_walk = extract_mod.files.walk

    def walk_then_delete(inputs):
        for entry in real_walk(inputs):
            if entry.path.endswith("b.html"):
                os.remove(entry.path)
            yield entry

    monkeypatch.setattr(extract_mod.files, "walk", walk_then_delete)
    status, t = run_extract(d)
    rows = by_file(t["captures"])
    assert status == 1
    assert rows["a.html"]["status"] == "ok"
    assert rows["b.html"]["status"] == "error" and "vanished" in rows["b.html"]["reason"]


def test_engine_crash_on_one_page_does_not_stop_the_batch(tmp_path, run_extract, monkeypatch):
    from harvester.engines import drupal

    d = tmp_path / "in"
    write(d / "a.html", pages.page(title="boom"))
    write(d / "b.html", pages.page(nid=20))
    real = drupal.parse

    def fragile(doc, **kw):
        if "boom" in doc.root.findtext(".//title"):
            raise RuntimeError("unexpected markup")
        return real(doc, **kw)

    monkeypatch.setattr(drupal, "parse", fragile)
    status, t = run_extract(d)
    rows = by_file(t["captures"])
    assert status == 1
    assert rows["a.html"]["status"] == "error" and "RuntimeError: unexpected markup" in rows["a.html"]["reason"]
    assert rows["b.html"]["status"] == "ok"


def test_usage_errors_exit_two(tmp_path, capsys):
    occupied = tmp_path / "occupied"
    write(occupied / "notes.txt", "mine")
    for argv in (["extract", str(tmp_path), "-o", str(occupied)],
                 ["extract", str(tmp_path), "-o", str(tmp_path / "o"), "--engine", "nope"],
                 ["extract", str(tmp_path), "-o", str(tmp_path / "o"), "--timezone", "Mars/Olympus"],
                 ["extract"]):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 2
    assert (occupied / "notes.txt").read_text() == "mine"


def test_bad_page_size_limit_is_a_usage_error_not_a_traceback(tmp_path):
    """--max-page-mb -1 (or nan, inf) reached file.read() and ended in a ValueError traceback."""
    write(tmp_path / "in" / "a.html", pages.page())
    extract = ["extract", str(tmp_path / "in"), "-o", str(tmp_path / "o"), "--no-progress"]
    for mb in ("-1", "nan", "inf", "lots"):
        for argv in (extract, ["detect", str(tmp_path / "in")]):
            with pytest.raises(SystemExit) as exc:
                main([*argv, "--max-page-mb", mb])
            assert exc.value.code == 2
    assert not (tmp_path / "o").exists()
    assert main([*extract, "--max-page-mb", "0"]) == 0  # 0: no limit


def test_absurd_jobs_count_is_a_usage_error(tmp_path, monkeypatch):
    """--jobs 99999 forked that many workers at once and the run was killed for lack of memory."""
    write(tmp_path / "in" / "a.html", pages.page())

    def no_pool(jobs):
        raise AssertionError(f"a pool of {jobs} workers was started")

    monkeypatch.setattr(extract_mod, "make_pool", no_pool)
    with pytest.raises(SystemExit) as exc:
        main(["extract", str(tmp_path / "in"), "-o", str(tmp_path / "o"), "--no-progress", "--jobs", "99999"])
    assert exc.value.code == 2 and not (tmp_path / "o").exists()


def test_interrupted_run_leaves_no_dataset(tmp_path, monkeypatch):
    write(tmp_path / "in" / "a.html", pages.page())

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(extract_mod, "merge_thread", interrupted)
    out = tmp_path / "out"
    assert main(["extract", str(tmp_path / "in"), "-o", str(out), "--no-progress"]) == 130
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]


def test_failed_write_keeps_previous_dataset(tmp_path, monkeypatch):
    write(tmp_path / "in" / "a.html", pages.page())
    out = tmp_path / "out"
    assert main(["extract", str(tmp_path / "in"), "-o", str(out), "--no-progress"]) == 0
    before = (out / "posts.jsonl").read_text()
    import harvester.writers as writers

    def broken(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(writers, "dumps", broken)
    assert main(["extract", str(tmp_path / "in"), "-o", str(out), "--no-progress"]) == 4
    assert (out / "posts.jsonl").read_text() == before
    assert not [p for p in tmp_path.iterdir() if ".partial-" in p.name]


def test_real_entry_point(tmp_path):
    import subprocess

    write(tmp_path / "in" / "a.html", pages.page(pages.comment(11)))
    proc = subprocess.run([sys.executable, "-m", "harvester", "extract", str(tmp_path / "in"), "-o",
                           str(tmp_path / "out")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "1 pages: 1 ok, 0 skipped, 0 failed; 1 threads, 2 posts" in proc.stderr
    check = subprocess.run([sys.executable, "-m", "harvester", "validate", str(tmp_path / "out")],
                           capture_output=True, text=True)
    assert check.returncode == 0 and "valid" in check.stderr


def test_fifty_megabyte_page_is_refused_with_the_default_limit(tmp_path, run_extract):
    d = tmp_path / "in"
    d.mkdir()
    with open(d / "huge.html", "wb") as fh:
        fh.write(b"<html><body>")
        chunk = b"<p>" + b"spam " * 20_000 + b"</p>\n"
        for _ in range(50_000_000 // len(chunk) + 1):
            fh.write(chunk)
    write(d / "ok.html", pages.page())
    status, t = run_extract(d)
    rows = by_file(t["captures"])
    assert status == 1
    assert rows["huge.html"]["status"] == "error" and "50.0 MB" in rows["huge.html"]["reason"]
    assert rows["ok.html"]["status"] == "ok"


def test_engine_can_be_forced_when_detection_says_no(tmp_path, run_extract):
    # a stripped copy: no generator, no drupal.js, no body classes; only the node and comment markup
    html = re.sub(r'<meta name="Generator"[^>]*>|<body[^>]*>', "", pages.page(pages.comment(11)))
    write(tmp_path / "in" / "t.html", html.replace('<a id="comment-11"></a>', ""))
    status, t = run_extract(tmp_path / "in")
    assert t["captures"][0]["status"] == "skipped"
    status, t = run_extract(tmp_path / "in", extra=["--engine", "drupal"])
    assert status == 0 and [p["id"] for p in t["posts"]] == ["node/10", "comment/11"]


def test_progress_bar_runs_and_the_manifest_describes_the_run(tmp_path, capsys):
    from harvester.extract import Options, extract

    write(tmp_path / "in" / "a.html", pages.page(pages.comment(11)))
    summary = extract([str(tmp_path / "in")], str(tmp_path / "out"), Options(progress=True, timezone="UTC"),
                      report=lambda m: None)
    assert summary.ok == 1
    assert "extract" in capsys.readouterr().err  # tqdm's label
    manifest = __import__("json").loads((tmp_path / "out" / "datapackage.json").read_text())
    assert manifest["options"]["timezone"] == "UTC" and manifest["schema_version"]
    assert manifest["schema_versions"] == {t: manifest["schema_version"] for t in ("thread", "post", "participant",
                                                                                  "capture")}
    assert manifest["counts"] == {"threads": 1, "posts": 2, "participants": 2, "captures": 1}
    assert [r["name"] for r in manifest["resources"]] == ["threads", "posts", "participants", "captures"]
    assert manifest["engines"]["drupal"] and manifest["harvester_version"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_fifos_devices_and_links_outside_are_refused_not_read(tmp_path, run_extract):
    """A FIFO blocks a reader forever and /dev/zero never ends: each gets an error row, the rest is read."""
    import shutil

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "drupal" / "d7-bartik" / "page.html", folder / "good.html")
    os.mkfifo(folder / "pipe.html")
    os.symlink("/dev/zero", tmp_path / "zero.html")  # named on the command line: followed, then refused
    outside = tmp_path / "elsewhere.html"
    outside.write_text("<html><body>private notes</body></html>")
    os.symlink(outside, folder / "link.html")
    fifo_named = tmp_path / "named.html"
    os.mkfifo(fifo_named)
    status, t = run_extract(folder, fifo_named, tmp_path / "zero.html", extra=["--max-page-mb", "0"])
    assert status == 1  # some inputs failed, the good page is in the dataset
    rows = {os.path.basename(c["source_file"]): c for c in t["captures"]}
    assert rows["good.html"]["status"] == "ok" and len(t["posts"]) == 7
    assert "FIFO" in rows["pipe.html"]["reason"] and "FIFO" in rows["named.html"]["reason"]
    assert "device" in rows["zero.html"]["reason"]
    assert "outside the input folder" in rows["link.html"]["reason"]


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses file names that are not UTF-8")
def test_a_file_name_that_is_not_utf8_is_an_error_row_not_a_traceback(tmp_path, run_extract):
    import shutil

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "drupal" / "d7-bartik" / "page.html", folder / "good.html")
    shutil.copy(SAMPLES / "drupal" / "d7-bartik" / "page.html", os.fsdecode(bytes(folder) + b"/bad\xff.html"))
    status, t = run_extract(folder)
    assert status == 1
    rows = {os.path.basename(c["source_file"]): c for c in t["captures"]}
    assert rows["good.html"]["status"] == "ok"
    assert "not valid UTF-8" in rows["bad\\xff.html"]["reason"]
