import json
from pathlib import Path

import pytest

from harvester.cli import main

REPO = Path(__file__).resolve().parent.parent


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


@pytest.fixture
def run_extract(tmp_path):
    """Run ``harvester extract`` in-process; returns (exit status, dataset tables by name)."""

    def run(*inputs, extra=()):
        out = tmp_path / "dataset"
        status = main(["extract", *map(str, inputs), "--output", str(out), "--no-progress", *extra])
        tables = {}
        if out.exists():
            for name in ("threads", "posts", "participants", "captures"):
                tables[name] = read_jsonl(out / f"{name}.jsonl")
            tables["manifest"] = json.loads((out / "datapackage.json").read_text())
        return status, tables

    return run
