"""The seed sample against the seed itself: the text of the real page, read independently of the parser."""

import re

from tests.samples_support import SAMPLES, run_case

CASE = SAMPLES / "drupal" / "d7-daa-seed"
SUBMITTED = re.compile(r"^Submitted by (.+) on (\w{3}, \d{4}-\d{2}-\d{2} \d{2}:\d{2})$")
VOTED = re.compile(r"^(\d+ users? ha(?:s|ve) voted\.)$")


def seed_posts():
    """(author, date, body, votes text) for each "Submitted by" block of the seed text."""
    lines = (CASE / "seed.txt").read_text(encoding="utf-8").splitlines()
    posts, current = [], None
    for line in lines:
        m = SUBMITTED.match(line)
        if m:
            current = {"author": m.group(1), "date": m.group(2), "body": []}
            continue
        v = VOTED.match(line)
        if v and current:
            body = "\n".join(current["body"]).strip()
            body = re.sub(r"\n*Group audience:\s*$", "", body)
            posts.append((current["author"], current["date"], body, v.group(1)))
            current = None
        elif current is not None:
            current["body"].append(line)
    return posts, lines


def test_seed_sample_reproduces_the_seed_page(tmp_path):
    expected, lines = seed_posts()
    assert len(expected) == 8
    tables = run_case(CASE, tmp_path / "out")
    got = [(p["author_name"], p["published_raw"], p["body_text"], p["votes_raw"]) for p in tables["posts"]]
    assert got == expected
    assert tables["threads"][0]["title"] == lines[lines.index("Social media and public sector")]
    assert tables["threads"][0]["board"] == "Digital Agenda Assembly engagement"
    # the replies to Engberg and to ian_cli follow their parents, one level down
    by_author_date = {(p["author_name"], p["published_raw"]): p for p in tables["posts"]}
    assert by_author_date[("Paul Timmers", "Sun, 2012-05-13 18:07")]["parent_id"] == \
        by_author_date[("Engberg", "Fri, 2012-05-04 11:34")]["id"]
    assert by_author_date[("Paul Timmers", "Sun, 2012-05-13 18:01")]["parent_id"] == \
        by_author_date[("ian_cli", "Fri, 2012-05-11 11:55")]["id"]
    members_in_seed = [re.sub(r"'s picture$", "", line) for line in lines[lines.index("People's picture") + 1:]
                       if line.endswith("'s picture")]
    members = [p["name"] for p in tables["participants"] if "member" in p["roles"]]
    assert members[0] is None  # the block title "People" runs into a nameless user's "'s picture"
    assert members[1:] == members_in_seed
