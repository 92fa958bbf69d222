"""The benchmark generator's pages parse as what they were generated from: posts, parents, depths, pages."""

import importlib.util
import re
import sys

import pytest

from tests.conftest import REPO


def _generator(name: str = "generate"):
    """A benchmark generator module, loaded from its file (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", REPO / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_generated_warc_extracts_to_the_generated_threads(tmp_path, run_extract):
    gen = _generator()
    pages = list(gen.iter_corpus(seed=7, pages=12))
    warc = tmp_path / "corpus.warc.gz"
    gen.write_warc(iter(pages), str(warc))
    status, tables = run_extract(warc)
    assert status == 0
    assert len(tables["captures"]) == len(pages)

    threads = {p.thread.nid: p.thread for p in pages}
    seen_pages: dict[int, set[int]] = {}
    for p in pages:
        seen_pages.setdefault(p.thread.nid, set()).add(p.page)
    posts_by_thread: dict[str, list[dict]] = {}
    for post in tables["posts"]:
        posts_by_thread.setdefault(post["thread_id"], []).append(post)
    assert len(threads) >= 2
    for nid, thread in threads.items():
        got = posts_by_thread[f"node/{nid}"]
        shown = [c for n, c in enumerate(thread.comments) if n // gen.PER_PAGE in seen_pages[nid]]
        assert [p["id"] for p in got] == [f"node/{nid}"] + [f"comment/{c.cid}" for c in shown]
        by_id = {p["id"]: p for p in got}
        for c in shown:
            post = by_id[f"comment/{c.cid}"]
            assert post["parent_id"] == (f"comment/{c.parent}" if c.parent else None)
            assert post["depth"] == c.depth
            assert post["votes"] is not None
        thread_row = next(t for t in tables["threads"] if t["id"] == f"node/{nid}")
        assert thread_row["pages_total"] == thread.pages
        assert thread_row["reply_count"] == len(thread.comments)


def test_fluxbb_corpus_extracts_to_what_was_generated(tmp_path, run_extract):
    module = _generator("generate_fluxbb")
    pages = list(module.iter_corpus(seed=3, pages=8))
    warc = tmp_path / "fluxbb.warc.gz"
    _generator().write_warc(iter(pages), str(warc))
    status, tables = run_extract(warc)
    assert status == 0 and len(tables["captures"]) == 8
    shown = [int(m) for p in pages for m in re.findall(rb'<div id="p(\d+)" class="blockpost', p.html)]
    assert sorted(int(p["id"]) for p in tables["posts"]) == sorted(shown)
    assert all(p["parser_name"] == "fluxbb" and p["published_raw"] for p in tables["posts"])


def test_mybb_corpus_extracts_to_what_was_generated(tmp_path, run_extract):
    module = _generator("generate_mybb")
    pages = list(module.iter_corpus(seed=3, pages=8))
    warc = tmp_path / "mybb.warc.gz"
    _generator().write_warc(iter(pages), str(warc))
    status, tables = run_extract(warc)
    assert status == 0 and len(tables["captures"]) == 8
    shown = [int(m) for p in pages for m in re.findall(rb'<div class="post " style="" id="post_(\d+)"', p.html)]
    assert sorted(int(p["id"]) for p in tables["posts"]) == sorted(shown)
    quoted = {m for p in pages for m in re.findall(rb'showthread\.php\?pid=(\d+)#pid\d+" class="quick_jump"', p.html)}
    assert {q["post_id"].encode() for p in tables["posts"] for q in p["quotes"]} == quoted
    assert all(p["parser_name"] == "mybb" and p["published_raw"] for p in tables["posts"])


def test_wordpress_corpus_extracts_to_the_generated_trees(tmp_path, run_extract):
    module = _generator("generate_wordpress")
    pages = list(module.iter_corpus(seed=5, pages=6))
    warc = tmp_path / "wordpress.warc.gz"
    _generator().write_warc(iter(pages), str(warc))
    status, tables = run_extract(warc)
    assert status == 0 and len(tables["captures"]) == 6
    expected = {}  # comment id -> parent id, rebuilt from the depth-N classes in generation order
    for page in pages:
        last: dict[int, str] = {}
        for cid, depth in re.findall(rb'<li id="comment-(\d+)" class="comment [^"]*depth-(\d+)', page.html):
            depth = int(depth) - 1
            expected[f"comment/{cid.decode()}"] = last.get(depth - 1) if depth else None
            last[depth] = f"comment/{cid.decode()}"
    got = {p["id"]: p["parent_id"] for p in tables["posts"] if p["id"].startswith("comment/")}
    assert got == expected and len(got) > 20


def test_hackernews_corpus_extracts_to_the_generated_trees(tmp_path, run_extract):
    module = _generator("generate_hackernews")
    pages = list(module.iter_corpus(seed=2, pages=5))
    warc = tmp_path / "hn.warc.gz"
    _generator().write_warc(iter(pages), str(warc))
    status, tables = run_extract(warc)
    assert status == 0 and len(tables["captures"]) == 5
    expected = {}
    for page in pages:
        stack: list[str] = []
        for cid, level in re.findall(rb'<tr class="athing comtr" id="(\d+)">.*?indent="(\d+)"', page.html):
            level = int(level)
            del stack[level:]
            expected[f"item/{cid.decode()}"] = stack[-1] if stack else None
            stack.append(f"item/{cid.decode()}")
    got = {p["id"]: p["parent_id"] for p in tables["posts"] if not p["is_op"]}
    assert got == expected and len(got) > 5


def test_stackexchange_corpus_extracts_to_what_was_generated(tmp_path, run_extract):
    module = _generator("generate_stackexchange")
    pages = list(module.iter_corpus(seed=4, pages=5))
    warc = tmp_path / "se.warc.gz"
    _generator().write_warc(iter(pages), str(warc))
    status, tables = run_extract(warc)
    assert status == 0 and len(tables["captures"]) == 5
    answers = {int(a) for p in pages for a in re.findall(rb'data-answerid="(\d+)"', p.html)}
    comments = {int(c) for p in pages for c in re.findall(rb'data-comment-id="(\d+)"', p.html)}
    got = {p["id"] for p in tables["posts"]}
    assert {f"answer/{a}" for a in answers} <= got and {f"comment/{c}" for c in comments} <= got
    assert len(got) == len(answers) + len(comments) + 5
    assert sum(1 for p in tables["posts"] if p["extra"].get("accepted")) == 5


def test_discourse_corpus_extracts_to_what_was_generated(tmp_path, run_extract):
    module = _generator("generate_discourse")
    pages = list(module.iter_corpus(seed=6, pages=6))
    warc = tmp_path / "discourse.warc.gz"
    _generator().write_warc(iter(pages), str(warc))
    status, tables = run_extract(warc)
    assert status == 0 and len(tables["captures"]) == 6
    likes = [int(v) for p in pages for v in re.findall(rb'itemprop="userInteractionCount" content="(\d+)"', p.html)
             [::2]]  # LikeAction then CommentAction per post
    assert [p["votes"] for p in tables["posts"]] == likes
    quoted = sum(len(re.findall(rb"<aside class=\"quote", p.html)) for p in pages)
    assert sum(len(p["quotes"]) for p in tables["posts"]) == quoted


def test_reddit_corpus_extracts_to_the_generated_trees(tmp_path, run_extract):
    module = _generator("generate_reddit")
    pages = list(module.iter_corpus(seed=8, pages=4))
    warc = tmp_path / "reddit.warc.gz"
    _generator().write_warc(iter(pages), str(warc))
    status, tables = run_extract(warc)
    assert status == 0 and len(tables["captures"]) == 4
    from lxml import etree

    expected = {}
    for page in pages:  # parents from the div.child nesting of the generated pages
        root = etree.fromstring(page.html, etree.HTMLParser())
        for div in root.iter("div"):
            if "comment" in (div.get("class") or "").split():
                up = next((a for a in div.iterancestors("div") if "comment" in (a.get("class") or "").split()), None)
                expected[div.get("data-fullname")] = up.get("data-fullname") if up is not None else None
    got = {p["id"]: p["parent_id"] for p in tables["posts"] if p["id"].startswith("t1_")}
    assert got == expected and any(expected.values())


def test_reddit_redesign_corpus_extracts_to_the_generated_trees(tmp_path, run_extract):
    """--redesign pages: the tree recomputed from each page's 'level N' labels (depth-first) is what is extracted."""
    module = _generator("generate_reddit")
    pages = list(module.iter_redesign_corpus(seed=8, pages=4))
    warc = tmp_path / "redesign.warc.gz"
    _generator().write_warc(iter(pages), str(warc))
    status, tables = run_extract(warc)
    assert status == 0 and len(tables["captures"]) == 4
    expected = {}
    for page in pages:
        branch: dict[int, str] = {}
        for cid, level in re.findall(rb'<div id="(t1_[0-9a-z]+)" style.*?>level (\d+)</span>', page.html):
            depth = int(level) - 1
            expected[cid.decode()] = branch.get(depth - 1) if depth else None
            branch[depth] = cid.decode()
    got = {p["id"]: p["parent_id"] for p in tables["posts"] if p["id"].startswith("t1_")}
    assert got == expected and any(expected.values())
    assert all(p["published_approximate"] is False for p in tables["posts"])  # times from the state JSON


def test_invision_corpus_extracts_to_what_was_generated(tmp_path, run_extract):
    module = _generator("generate_invision")
    pages = list(module.iter_corpus(seed=9, pages=5))
    warc = tmp_path / "invision.warc.gz"
    _generator().write_warc(iter(pages), str(warc))
    status, tables = run_extract(warc)
    assert status == 0 and len(tables["captures"]) == 5
    shown = sorted(int(i) for p in pages for i in re.findall(rb'<article id="elComment_(\d+)"', p.html))
    assert sorted(int(p["id"]) for p in tables["posts"]) == shown
    quoted = sorted(int(q) for p in pages for q in re.findall(rb'data-ipsquote-contentcommentid="(\d+)"', p.html))
    assert sorted(int(q["post_id"]) for p in tables["posts"] for q in p["quotes"]) == quoted


def test_ipb3_invision_corpus_extracts_to_what_was_generated(tmp_path, run_extract):
    module = _generator("generate_invision")
    warc = tmp_path / "ipb3.warc.gz"
    assert module.main(["--pages", "5", "--seed", "11", "--warc", str(warc), "--ipb3"]) == 0
    pages = list(module.iter_corpus_3(seed=11, pages=5))
    status, tables = run_extract(warc)
    assert status == 0 and len(tables["captures"]) == 5
    assert {t["parser_name"] for t in tables["threads"]} == {"invision"}
    shown = sorted(int(i) for p in pages for i in re.findall(rb"id='post_id_(\d+)'", p.html))
    assert sorted(int(p["id"]) for p in tables["posts"]) == shown
    quoted = sorted(int(q) for p in pages for q in re.findall(rb'data-cid="(\d+)"', p.html))
    assert sorted(int(q["post_id"]) for p in tables["posts"] for q in p["quotes"]) == quoted and quoted
    assert all(p["votes_kind"] == "likes" and p["votes"] >= 1 for p in tables["posts"])


def test_vanilla_corpus_extracts_to_what_was_generated(tmp_path, run_extract):
    module = _generator("generate_vanilla")
    pages = list(module.iter_corpus(seed=10, pages=5))
    warc = tmp_path / "vanilla.warc.gz"
    _generator().write_warc(iter(pages), str(warc))
    status, tables = run_extract(warc)
    assert status == 0 and len(tables["captures"]) == 5
    comments = {f"comment/{int(c)}" for p in pages for c in re.findall(rb'id="Comment_(\d+)"', p.html)}
    discussions = {f"discussion/{int(d)}" for p in pages for d in re.findall(rb'id="Discussion_(\d+)"', p.html)}
    assert {p["id"] for p in tables["posts"]} == comments | discussions


@pytest.mark.parametrize("name, row", [("generate_hackernews", rb'<tr class="athing comtr"'),
                                       ("generate_reddit", rb'data-type="comment"')])
def test_max_posts_bounds_the_comments_of_every_page(name, row, tmp_path):
    """--max-posts makes pages the size of another corpus's, for the per-page comparison in the README."""
    module = _generator(name)
    warc = tmp_path / "c.warc.gz"
    assert module.main(["--pages", "12", "--warc", str(warc), "--max-posts", "9"]) == 0
    pages = list(module.iter_corpus(seed=1, pages=12, max_posts=9))
    counts = [len(re.findall(row, p.html)) for p in pages]
    assert max(counts) <= 9 and min(counts) >= 1 and warc.stat().st_size > 0
    default = [len(re.findall(row, p.html)) for p in module.iter_corpus(seed=1, pages=12)]
    assert max(default) > 9


def test_punbb14_corpus_extracts_to_what_was_generated(tmp_path, run_extract):
    module = _generator("generate_fluxbb")
    pages = list(module.iter_corpus_punbb14(seed=3, pages=8))
    warc = tmp_path / "punbb14.warc.gz"
    _generator().write_warc(iter(pages), str(warc))
    status, tables = run_extract(warc)
    assert status == 0 and len(tables["captures"]) == 8
    shown = [int(m) for p in pages for m in re.findall(rb'<div id="p(\d+)" class="posthead"', p.html)]
    guests = sum(p.html.count(b'<li class="usertitle"><span>Guest</span>') for p in pages)
    assert sorted(int(p["id"]) for p in tables["posts"]) == sorted(shown)
    assert all(p["parser_name"] == "fluxbb" and p["published_raw"] for p in tables["posts"])
    assert sum(bool(p["extra"].get("anonymous")) for p in tables["posts"]) == guests > 0
    pagers = [re.search(rb'<p class="paging">(.*?)</p>', p.html).group(1) for p in pages]
    assert {t["pages_total"] for t in tables["threads"]} == {max(map(int, re.findall(rb">(\d+)<", g))) for g in pagers}
