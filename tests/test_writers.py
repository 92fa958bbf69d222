"""The dataset writer: lines in order, files appended whole, nothing left half-written."""

import json
import os

import pytest

from harvester.writers import DatasetWriter, dumps


def _posts(path):
    return [json.loads(line) for line in (path / "posts.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("kernel_copy", [True, False])
def test_appended_files_keep_their_place_among_written_lines(tmp_path, monkeypatch, kernel_copy):
    if not kernel_copy:  # a system or file system without copy_file_range
        def refuse(*args):
            raise OSError(38, "Function not implemented")

        monkeypatch.setattr(os, "copy_file_range", refuse, raising=False)
    writer = DatasetWriter(str(tmp_path / "ds"))
    writer.write_lines("posts", [dumps({"n": 1}), dumps({"n": 2})])
    part = writer.tmp / ".posts-0.part"
    part.write_bytes(dumps({"n": 3, "text": "é" * 100_000}) + dumps({"n": 4}))
    writer.append_file("posts", str(part), 2)
    writer.write_line("posts", dumps({"n": 5}))
    writer.commit({})
    assert [p["n"] for p in _posts(tmp_path / "ds")] == [1, 2, 3, 4, 5]
    manifest = json.loads((tmp_path / "ds" / "datapackage.json").read_text())
    assert manifest["counts"]["posts"] == 5 and manifest["inputs"] == []
    assert not part.exists()


def test_manifest_streams_its_inputs_in_place(tmp_path):
    """Inputs come from an iterator (a collection of loose pages can list millions) and land as a JSON array
    between the counts and the options."""
    writer = DatasetWriter(str(tmp_path / "ds"))
    inputs = ({"path": f"pages/{i}.html", "sha256": "0" * 64, "size": i} for i in range(3))
    writer.commit({"options": {"timezone": "UTC"}}, inputs=inputs)
    manifest = json.loads((tmp_path / "ds" / "datapackage.json").read_text(encoding="utf-8"))
    assert manifest["inputs"] == [{"path": f"pages/{i}.html", "sha256": "0" * 64, "size": i} for i in range(3)]
    assert list(manifest)[list(manifest).index("counts") + 1:][:2] == ["inputs", "options"]


def test_worker_processes_leave_no_part_files_whatever_the_output_is_called(tmp_path):
    """Workers open the spill by URI: characters that mean something in a URI must not break it."""
    from harvester.cli import main
    from tests.samples_support import SAMPLES

    out = tmp_path / "run #2 ?%20" / "ds"
    assert main(["extract", str(SAMPLES), "-o", str(out), "--no-progress", "--jobs", "2"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        ".harvester-dataset", "CODEBOOK.md", "captures.jsonl", "datapackage.json", "participants.jsonl", "posts.jsonl",
        "schemas", "threads.jsonl"]
