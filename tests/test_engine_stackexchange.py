"""Stack Exchange question pages (issue 15): detection, and every post recomputed from the page with plain lxml:
comments reply to the post they sit under, answers are top-level, the accepted one flagged, scores and times
from the markup's own attributes."""

from __future__ import annotations

import pytest
from lxml import etree

from harvester.cli import main
from harvester.document import Document
from harvester.engines import detect, stackexchange
from harvester.model import Page
from tests.conftest import read_jsonl
from tests.samples_support import SAMPLES, foreign_pages

SE = SAMPLES / "stackexchange"
CASES = ("se-2022-accepted-answer", "se-2016-spanish-wayback")


def _doc(path) -> Document:
    return Document(Page(source_file=str(path), source_type="html", body=path.read_bytes()))


def _shown(case: str) -> dict[str, dict]:
    root = etree.fromstring((SE / case / "page.html").read_bytes(), etree.HTMLParser())
    out = {}
    for el in root.iter("div"):
        if el.get("id") == "question" or el.get("data-answerid"):
            is_q = el.get("id") == "question"
            pid = f"question/{el.get('data-questionid')}" if is_q else f"answer/{el.get('data-answerid')}"
            owner = next(s for s in el.iter("div") if "owner" in (s.get("class") or "").split())
            title = next(s.get("title") for s in owner.iter("span") if s.get("title"))
            out[pid] = {"parent": None, "votes": int(el.get("data-score")),
                        "accepted": "accepted-answer" in (el.get("class") or ""), "time": title.replace(" ", "T")}
            for li in el.iter("li"):
                if li.get("data-comment-id"):
                    when = next(s.get("title") for s in li.iter("span") if "relativetime" in (s.get("class") or ""))
                    out[f"comment/{li.get('data-comment-id')}"] = {
                        "parent": pid, "votes": int(li.get("data-comment-score")), "accepted": False,
                        "time": when.split(",")[0].replace(" ", "T")}
    return out


@pytest.mark.parametrize("case", CASES)
def test_detected_from_the_page_alone(case):
    assert detect(_doc(SE / case / "page.html")) is stackexchange


def test_no_other_sample_is_taken_for_stack_exchange():
    for page in foreign_pages("stackexchange"):
        assert stackexchange.score(_doc(page)).score < 10, page


@pytest.mark.parametrize("case", CASES)
def test_posts_match_the_page(case, tmp_path):
    assert main(["extract", str(SE / case / "page.html"), "-o", str(tmp_path / "o"), "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "o" / "posts.jsonl")
    shown = _shown(case)
    assert sorted(p["id"] for p in posts) == sorted(shown)
    assert posts[0]["id"].startswith("question/") and posts[0]["is_op"]
    for post in posts:
        seen = shown[post["id"]]
        assert post["parent_id"] == seen["parent"], post["id"]
        assert post["depth"] == (0 if seen["parent"] is None else 1)
        assert post["votes"] == seen["votes"] and post["votes_kind"] == "score"
        assert bool(post["extra"].get("accepted")) == seen["accepted"]
        assert post["published_utc"] == seen["time"], post["id"]
    threads = read_jsonl(tmp_path / "o" / "threads.jsonl")
    assert threads[0]["reply_count"] == sum(1 for k in shown if k.startswith("answer/"))
    people = {p["name"]: p for p in read_jsonl(tmp_path / "o" / "participants.jsonl")}
    assert people["Okonkwo"]["reputation"] == 12400  # "12.4k" as the page shows it
