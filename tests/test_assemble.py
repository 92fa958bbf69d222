"""Pages of one thread merged: order, reply tree across pages, completeness, participants."""

import re

from tests import pages

URL = "http://forum.example.org/node/10"


def saved(path, html, url):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!-- saved from url=({len(url):04d}){url} -->\n" + html)


def no_rdf(html):
    return re.sub(r'<span rel="sioc:reply_of"[^>]*></span>', "", html)


def three_pages(tmp_path, keep=(0, 1, 2), rdf=True):
    """Page 1 opens with a reply whose parent (comment 12) is on page 0, as comment_prepare_thread emits it."""
    p0 = pages.page(pages.comment(11, reply_of="/node/10"), pages.comment(12, reply_of="/node/10"),
                    pager=pages.pager(0, 2))
    p1 = pages.page(pages.indented(pages.comment(13, reply_of="/comment/12#comment-12")),
                    pages.comment(14, reply_of="/node/10"), pager=pages.pager(1, 2))
    p2 = pages.page(pages.comment(15, reply_of="/node/10"), pager=pages.pager(2, 2))
    # given in reverse order on purpose: the merge follows page numbers, not argument order
    for n, html in reversed(list(enumerate((p0, p1, p2)))):
        if n in keep:
            saved(tmp_path / "in" / f"p{n}.html", html if rdf else no_rdf(html), URL + (f"?page={n}" if n else ""))
    return tmp_path / "in"


def test_pages_merge_into_one_thread_in_order(tmp_path, run_extract):
    status, t = run_extract(three_pages(tmp_path))
    assert status == 0
    assert len(t["threads"]) == 1
    posts = t["posts"]
    assert [p["id"] for p in posts] == ["node/10", "comment/11", "comment/12", "comment/13", "comment/14",
                                        "comment/15"]
    assert [p["position"] for p in posts] == list(range(6))
    assert posts[3]["parent_id"] == "comment/12" and posts[3]["depth"] == 1
    assert posts[3]["source_url"] == URL + "?page=1"
    thread = t["threads"][0]
    assert (thread["pages_total"], thread["pages_captured"], thread["complete"], thread["posts_extracted"]) == (
        3, 3, True, 6)
    assert thread["source_urls"] == [URL, URL + "?page=1", URL + "?page=2"]
    assert thread["url"] == URL


def test_parent_on_previous_page_without_rdf(tmp_path, run_extract):
    _, t = run_extract(three_pages(tmp_path, rdf=False))
    reply = next(p for p in t["posts"] if p["id"] == "comment/13")
    assert (reply["parent_id"], reply["depth"]) == ("comment/12", 1)
    assert "parent_unknown" not in reply["extra"]


def test_missing_page_makes_thread_incomplete_and_parent_unknown(tmp_path, run_extract):
    _, t = run_extract(three_pages(tmp_path, keep=(1, 2), rdf=False))
    thread = t["threads"][0]
    assert (thread["pages_total"], thread["pages_captured"], thread["complete"]) == (3, 2, False)
    reply = next(p for p in t["posts"] if p["id"] == "comment/13")
    assert reply["parent_id"] is None and reply["extra"]["parent_unknown"] is True
    assert t["posts"][0]["is_op"] and t["posts"][0]["position"] == 0


def test_participants_count_posts_threads_and_roles(tmp_path, run_extract):
    d = tmp_path / "in"
    saved(d / "a.html", pages.page(pages.comment(11, name="alice", uid=7, shown="Fri, 2012-05-04 11:34"),
                                   pages.comment(12, name="Visitor", uid=None), author="bob", uid=8), URL)
    saved(d / "b.html", pages.page(pages.comment(21, name="alice", uid=7, nid=20, shown="Sat, 2012-05-05 09:00"),
                                   nid=20, author="alice", uid=7, iso="2012-05-01T10:00:00+02:00"),
          "http://forum.example.org/node/20")
    _, t = run_extract(d)
    people = {p["id"]: p for p in t["participants"]}
    alice = people["user:7"]
    assert alice["roles"] == ["author", "commenter"]
    assert (alice["posts_in_dataset"], alice["threads_in_dataset"]) == (3, 2)
    assert alice["first_post_utc"] == "2012-05-01T08:00:00Z"
    assert alice["first_post_local"] == "2012-05-01T10:00:00"  # wall clock as printed (+02:00 in the markup)
    # instants only where the zone is known: the comments printed without one count in the local extremes only
    assert alice["last_post_local"] == "2012-05-05T09:00:00" and alice["last_post_utc"] == "2012-05-01T08:00:00Z"
    assert people["user:8"]["roles"] == ["author"]
    assert people["anonymous:Visitor"]["anonymous"] is True
    assert people["anonymous:Visitor"]["url"] is None
    # every post's author_key is a participant's key: the join is exact
    keys = {p["key"] for p in t["participants"]}
    assert all(p["author_key"] in keys for p in t["posts"])


def test_dataset_validates(tmp_path, run_extract):
    from harvester.validate import validate_dataset

    run_extract(three_pages(tmp_path))
    checked, problems = validate_dataset(str(tmp_path / "dataset"))
    assert problems == [] and checked > 6


def test_validate_reports_broken_records(tmp_path, run_extract):
    from harvester.validate import validate_dataset

    run_extract(three_pages(tmp_path))
    posts = tmp_path / "dataset" / "posts.jsonl"
    lines = posts.read_text().splitlines()
    lines[1] = lines[1].replace('"depth":0', '"depth":"zero"').replace('"thread_id":"node/10"', '"thread_id":"node/x"')
    posts.write_text("\n".join(lines + ["{not json"]) + "\n")
    _, problems = validate_dataset(str(tmp_path / "dataset"))
    text = "\n".join(problems)
    assert "posts.jsonl:2: depth: 'zero' is not of type 'integer'" in text
    assert "posts.jsonl:7: not JSON" in text
    assert "7 records but datapackage.json says 6" in text
    assert "thread_id 'node/x' has no row" in text


def wayback_copy(path, html, ts, url=URL):
    """A page as a wget mirror of the Wayback Machine's id_ form stores it."""
    target = path / "web.archive.org" / "web" / f"{ts}id_" / url.replace("://", ":/") / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html)


def captures_of_one_thread(tmp_path):
    """Three captures: a reply is added, a post edited, a post deleted and votes change between them."""
    d = tmp_path / "in"
    wayback_copy(d, pages.page(pages.comment(11, votes="1 user has voted."), pages.comment(12, body="<p>v1</p>")),
                 "20120501000000")
    wayback_copy(d, pages.page(pages.comment(11, votes="3 users have voted."), pages.comment(12, body="<p>v2</p>"),
                               pages.comment(13)), "20120601000000")
    wayback_copy(d, pages.page(pages.comment(11, votes="4 users have voted."), pages.comment(13)),
                 "20120701000000")
    return d


def test_captures_of_one_thread_combine(tmp_path, run_extract):
    status, t = run_extract(captures_of_one_thread(tmp_path))
    assert status == 0 and len(t["threads"]) == 1
    posts = {p["id"]: p for p in t["posts"]}
    assert [p["id"] for p in t["posts"]] == ["node/10", "comment/11", "comment/12", "comment/13"]
    c11, c12, c13 = posts["comment/11"], posts["comment/12"], posts["comment/13"]
    assert (c11["votes"], c11["capture_time"], c11["captures_seen"]) == (4, "2012-07-01T00:00:00Z", 3)
    assert (c11["first_seen"], c11["last_seen"], c11["missing_since"]) == (
        "2012-05-01T00:00:00Z", "2012-07-01T00:00:00Z", None)
    assert c12["body_text"] == "v2" and c12["last_seen"] == "2012-06-01T00:00:00Z"
    assert c12["missing_since"] == "2012-07-01T00:00:00Z"
    assert c13["first_seen"] == "2012-06-01T00:00:00Z"
    thread = t["threads"][0]
    assert (thread["captures_seen"], thread["first_seen"], thread["last_seen"]) == (
        3, "2012-05-01T00:00:00Z", "2012-07-01T00:00:00Z")
    assert thread["source_type"] == "wayback" and thread["site"] == "forum.example.org"


def test_all_captures_gives_one_row_per_observation(tmp_path, run_extract):
    _, t = run_extract(captures_of_one_thread(tmp_path), extra=["--all-captures"])
    rows = [p for p in t["posts"] if p["id"] == "comment/11"]
    assert [(r["capture_time"], r["votes"]) for r in rows] == [
        ("2012-05-01T00:00:00Z", 1), ("2012-06-01T00:00:00Z", 3), ("2012-07-01T00:00:00Z", 4)]
    edits = {r["content_hash"] for r in t["posts"] if r["id"] == "comment/12"}
    assert len(edits) == 2
    assert t["threads"][0]["posts_extracted"] == 4


def test_later_capture_with_shifted_page_boundary_keeps_order(tmp_path, run_extract):
    d = tmp_path / "in"
    # old capture: page 0 holds 11, 12; new capture: a reply 14 to 11 pushed 12 onto page 1
    wayback_copy(d, pages.page(pages.comment(11), pages.comment(12), pager=pages.pager(0, 0)), "20120501000000")
    wayback_copy(d, pages.page(pages.comment(11), pages.indented(pages.comment(14)), pager=pages.pager(0, 1)),
                 "20120601000000")
    wayback_copy(d, pages.page(pages.comment(12), pager=pages.pager(1, 1)), "20120601000000", URL + "?page=1")
    _, t = run_extract(d)
    assert [p["id"] for p in t["posts"]] == ["node/10", "comment/11", "comment/14", "comment/12"]
    assert t["threads"][0]["complete"] is True and t["threads"][0]["pages_total"] == 2
    assert next(p for p in t["posts"] if p["id"] == "comment/12")["missing_since"] is None


def _post(site, uid, url, name, thread, *, op=False, first="2012-01-01T00:00:00Z", anonymous=False, seen=None):
    """A post record as merge_thread makes it, with only what participants read filled in."""
    from harvester import records
    from harvester.assemble import PROVENANCE, author_key

    post = {k: (site if k == "site" else f"{k} of {thread}") for k in PROVENANCE}
    post.update(author_id=uid, author_url=url, author_name=name, thread_id=thread, is_op=op, published_utc=first,
                published_local=first and first[:-1], last_seen=seen, extra={"anonymous": True} if anonymous else {})
    post["author_key"] = author_key(post)
    return records.make("post", post)


def test_participants_moved_to_disk_give_the_same_records():
    """Past People.IN_MEMORY participants the entries move to a temporary database; nothing may change.
    The stream mixes what the identity rules care about: a renamed user, two users sharing a name, a guest with
    a registered user's name, an unknown site, a thread met twice by one person under two names, and members."""
    from harvester.assemble import People

    threads = [
        [_post("a.example", None, None, "Ann", "node/1", anonymous=True),
         _post("a.example", "7", "http://a.example/user/7", "Ann", "node/1", op=True, seen="2012-01-01T00:00:00Z")],
        [_post("a.example", "7", None, "Ann B.", "node/2", first="2011-05-05T00:00:00Z", seen="2013-01-01T00:00:00Z"),
         _post("a.example", "8", "http://a.example/user/8", "Ann B.", "node/2")],
        [_post(None, None, None, "Guest", "node/3", anonymous=True), _post("b.example", "7", None, "Bob", "node/3")],
        [_post(None, None, None, "Guest", "node/4", first="2013-01-01T00:00:00Z", anonymous=True)],
    ] + [[_post("c.example", str(100 + i), None, f"User {i}", f"node/{10 + i}")] for i in range(30)]
    members = [({"id": "7", "url": None, "name": "Ann"}, {"site": "a.example"}),
               ({"id": None, "url": "http://c.example/user/999", "name": "Lurker"}, {"site": "c.example"})]

    def run(limit):
        people = People(in_memory=limit)
        for i, posts in enumerate(threads):
            people.add_posts(People.summarise(posts))
            if i == 1:
                for member, prov in members:
                    people.add_member(member, prov)
        return list(people.records())

    in_memory = run(People.IN_MEMORY)
    by_key = {p["key"]: p for p in in_memory}
    # the guest Ann, user 7 (renamed Ann B.), user 8 (also Ann B.), Guest, Bob, Lurker, 30 users
    assert len(in_memory) == 36 and len(by_key) == 36
    ann = by_key["a.example/user:7"]
    assert (ann["id"], ann["posts_in_dataset"], ann["threads_in_dataset"], ann["roles"]) == (
        "user:7", 2, 2, ["author", "commenter", "member"])
    assert ann["name"] == "Ann B." and ann["names_seen"] == ["Ann", "Ann B."]  # the latest capture's name
    assert ann["first_post_utc"] == "2011-05-05T00:00:00Z" and ann["last_post_utc"] == "2012-01-01T00:00:00Z"
    assert by_key["a.example/user:8"]["posts_in_dataset"] == 1
    assert by_key["a.example/anonymous:Ann"]["anonymous"] is True
    assert by_key["-/anonymous:Guest"]["threads_in_dataset"] == 2
    for limit in (0, 1, 3, 20):
        assert run(limit) == in_memory, limit


def _reference_order(page_ids: list[list[str]]) -> list[str]:
    """The display-order rule written plainly (list index and insert): a new post goes right after the post
    before it on its page, or before the first already placed post after it, or at the end."""
    order: list[str] = []
    for ids in page_ids:
        anchor = None
        for i, pid in enumerate(ids):
            if pid in order:
                anchor = pid
                continue
            if anchor is not None:
                at = order.index(anchor) + 1
            else:
                later = [x for x in ids[i + 1:] if x in order]
                at = order.index(later[0]) if later else len(order)
            order.insert(at, pid)
            anchor = pid
    return order


def test_display_order_equals_the_plain_rule_on_random_captures():
    """Captures of one thread split at different page boundaries, some posts gone, some new: the merged
    order equals the rule computed the slow, obvious way."""
    import random

    from harvester.assemble import PageResult, _display_order
    from harvester.model import ParsedPage

    rnd = random.Random(7)
    for _ in range(200):
        thread = [f"c{i}" for i in range(rnd.randint(1, 40))]
        page_ids = []
        for _ in range(rnd.randint(1, 5)):
            kept = [c for c in thread if rnd.random() > 0.2]
            cut = sorted(rnd.sample(range(len(kept) + 1), min(2, len(kept) + 1)))
            page_ids.append(kept[cut[0]:cut[-1]] or kept)
        results = [PageResult(parsed=ParsedPage(thread={"id": "t"}, posts=[{"id": "op"}] + [{"id": p} for p in ids]),
                              provenance={}, order=n) for n, ids in enumerate(page_ids)]
        assert _display_order(results, "op") == _reference_order(page_ids)


def test_reply_loops_are_cut_so_every_thread_is_a_tree(tmp_path, run_extract):
    """Damaged or hostile markup can name a comment itself (shreddit's parentid), or a later reply of its own, as
    its parent: the dataset had a loop that validate passed. The earliest post of each loop loses its parent
    (parent_unknown), depths follow the parents again, and validate reports a loop in a damaged dataset."""
    import json
    from pathlib import Path

    from harvester.assemble import reply_loops
    from harvester.cli import main

    page = (Path(__file__).parent.parent / "samples/reddit/shreddit-2024-gardening/page.html").read_text("utf-8")
    ids = re.findall(r'<shreddit-comment [^>]*thingid="(t1_\w+)"', page)
    first, second = ids[0], ids[1]  # the second answers the first
    # the first (top-level) comment names its own reply as its parent; the third names itself
    looped = page.replace('parentid="" collapsed="" content-type="text" role="article">',
                          f'parentid="{second}" collapsed="" content-type="text" role="article">', 1)
    third = ids[2]
    looped = re.sub(rf'(thingid="{third}"[^>]*parentid=")[^"]*"', rf'\g<1>{third}"', looped, count=1)
    assert looped.count(f'parentid="{second}"') == 1 and f'thingid="{third}"' in looped
    saved(tmp_path / "in" / "t.html", looped, "https://www.reddit.com/r/GardeningUK/comments/1arq9zt/x/")
    status, t = run_extract(tmp_path / "in")
    assert status == 0
    tree = {p["id"]: p["parent_id"] for p in t["posts"]}
    assert reply_loops(tree) == []
    by = {p["id"]: p for p in t["posts"]}
    for pid in (first, third):  # the earliest of the two-post loop, and the post that named itself
        post = next(p for i, p in by.items() if i.endswith(pid[3:]))
        assert post["parent_id"] is None and post["extra"].get("parent_unknown") is True
    for post in t["posts"]:  # depths follow the parents
        if post["parent_id"] in by:
            assert post["depth"] == by[post["parent_id"]]["depth"] + 1
    # a dataset damaged by hand: validate names the loop
    out = tmp_path / "dataset"
    rows = [json.loads(line) for line in (out / "posts.jsonl").read_text().splitlines()]
    a, b = rows[1], rows[2]
    a["parent_id"], b["parent_id"] = b["id"], a["id"]
    (out / "posts.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert main(["validate", str(out)]) != 0
