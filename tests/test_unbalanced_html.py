"""Unbalanced user HTML at the start of the first reply's body loses no post (issue 12, point 4).

Parametrised over every sample of every engine: a browser shows all the posts of such a page, so must we.
The first reply is found through the sample's expected.json (its body text in the page), not the engine.
"""

import json
import re
import shutil

import pytest

from tests.samples_support import cases, run_case

MUTATIONS = {"open-div": b"<div>", "close-div": b"</div>", "open-table": b"<table>",
             "close-two": b"</div></div>", "table-cell": b"<table><tr><td>"}
# pages that are not discussions have no reply to mutate (their own test checks they stay post-less)
CASES = [c for c in cases() if "skipped" not in json.loads((c / "meta.json").read_text(encoding="utf-8"))["facts"]]


def first_reply_spot(case) -> tuple[str, int]:
    """(page file, offset) where the body of the first reply found in the raw pages begins."""
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    pages = json.loads((case / "meta.json").read_text(encoding="utf-8"))["pages"]
    for post in expected["posts"]:
        if post["is_op"] or not post["body_text"]:
            continue
        words = post["body_text"].split()
        # the words as the page's UTF-8 bytes (a Cyrillic or Greek board), else their ASCII letters
        tries = [(" ".join(words[:n]).encode(enc, "ignore")) for n in (6, 4, 3, 2, 1) for enc in ("utf-8", "ascii")]
        for snippet in dict.fromkeys(tries):
            if len(snippet) < 6:
                continue
            for name in pages:
                raw = (case / name).read_bytes()
                # the page's own text, not a copy in structured data (JSON-LD scripts repeat every post)
                spots = [m.start() for m in re.finditer(re.escape(snippet), raw)
                         if raw.rfind(b"<script", 0, m.start()) <= raw.rfind(b"</script", 0, m.start())]
                if len(spots) == 1:
                    at = spots[0]
                    tag = raw.rfind(b"<", 0, at)  # before the tag that opens the text (<p>), if it does
                    close = raw.find(b">", tag)
                    gap = raw[close + 1:at]
                    return name, tag if 0 <= tag and len(gap) < 8 and b"<" not in gap else at
    raise AssertionError(f"{case.name}: no reply body found in the pages")


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_unbalanced_tag_in_first_reply_loses_no_post(case, mutation, tmp_path):
    copy = tmp_path / case.name
    shutil.copytree(case, copy)
    name, at = first_reply_spot(copy)
    raw = (copy / name).read_bytes()
    (copy / name).write_bytes(raw[:at] + MUTATIONS[mutation] + raw[at:])
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    actual = run_case(copy, tmp_path / "out")
    assert [p["id"] for p in actual["posts"]] == [p["id"] for p in expected["posts"]]
    assert [p["author_name"] for p in actual["posts"]] == [p["author_name"] for p in expected["posts"]]
    # no post swallows another: each body keeps its own text and none of a later post's
    for got, want in zip(actual["posts"], expected["posts"], strict=True):
        assert "".join(got["body_text"].split()).startswith("".join(want["body_text"][:20].split()))
        others = [p["body_text"][:40] for p in expected["posts"] if p["id"] != want["id"] and len(p["body_text"]) > 30]
        assert not [o for o in others if o in got["body_text"] and o not in want["body_text"]], got["id"]
