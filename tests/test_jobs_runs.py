"""Job runs after the first: the dataset says what a full extract of every WARC says, no false failures."""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta

from harvester import jobs
from harvester.cli import main
from tests.conftest import read_jsonl
from tests.test_jobs import T0, forum, make_job  # noqa: F401  (forum is a fixture)


def statuses(captures) -> Counter:
    return Counter((c["source_url"], c["warc_record_id"], c["status"]) for c in captures)


def test_later_runs_log_no_false_revisit_failures(tmp_path, forum):  # noqa: F811
    job = make_job(tmp_path, forum)
    for day in range(3):
        result = jobs.run_job(job, now=lambda day=day: T0 + timedelta(days=day), loopback_only=True)
        assert result["status"] == "ok"
        time.sleep(1.05)  # WARC-Dates are to the second
    assert result["pages"]["unchanged"] == 3  # the listing and both threads: revisits in the third run
    captures = read_jsonl(job.home / "dataset" / "captures.jsonl")
    errors = [c for c in captures if c["status"] == "error"]
    assert errors == [], [c["reason"] for c in errors]
    assert result["dataset"]["pages_failed"] == 0
    # the same as one full extract of every WARC the job wrote
    full = tmp_path / "full"
    warcs = sorted(str(p) for p in (job.home / "crawl").glob("*.warc.gz"))
    assert main(["extract", *warcs, "-o", str(full)]) == 0
    assert statuses(captures) == statuses(read_jsonl(full / "captures.jsonl"))
