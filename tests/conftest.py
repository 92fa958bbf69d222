import json
import os
from pathlib import Path

import pytest

from harvester.cli import main
from tests.spark_support import spark  # noqa: F401  (one SparkSession for the whole test session)

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


def pytest_sessionfinish(session, exitstatus):
    """Under CI=true a skipped Spark test fails the run: CI must test the Spark path, not pass without it."""
    from tests.spark_support import SKIP_PREFIX

    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if os.environ.get("CI") != "true" or reporter is None:
        return
    skipped = [r for r in reporter.stats.get("skipped", []) if SKIP_PREFIX in str(r.longrepr)]
    if skipped:
        reporter.write_line(f"CI: {len(skipped)} Spark tests were skipped ({skipped[0].longrepr[2]}); failing the run",
                            red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
