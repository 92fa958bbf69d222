"""The generic engine: named engines keep their pages, structured data and page structure give discussions,
hostile structured data is bounded, threaded blocks give the reply tree."""

import json

from harvester import engines
from harvester.document import Document
from harvester.engines import generic
from harvester.model import Page
from tests.samples_support import SAMPLES, cases


def doc_of(html: str, url="https://forum.example/t/1"):
    return Document(Page(source_file="t.html", source_type="html", body=html.encode(), url=url))


def test_named_engines_win_on_their_own_pages():
    for case in cases():
        engine = case.parent.name
        if engine == "generic":
            continue
        pages = json.loads((case / "meta.json").read_text())["pages"]
        for name in pages:
            doc = Document(Page(source_file=name, source_type="html", body=(case / name).read_bytes()))
            assert engines.detect(doc).NAME == engine, f"{case.name}/{name}"


def test_generic_pages_are_left_to_generic_and_scored_by_detect(capsys):
    from harvester.cli import main

    assert main(["detect", "--json", str(SAMPLES / "generic")]) == 0
    rows = {r["input"].split("/")[-2]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert rows["jsonld-board"]["engine"] == "generic" and rows["jsonld-board"]["version"] == "structured data"
    assert rows["homegrown-table-board"]["version"] == "page structure"
    assert rows["not-shop-page"]["engine"] is None and rows["not-topic-listing"]["engine"] is None


def test_forced_generic_reads_a_drupal_page_from_its_rdfa_or_structure(tmp_path):
    from harvester.cli import main

    out = tmp_path / "ds"
    assert main(["extract", str(SAMPLES / "drupal" / "d7-bartik"), "--engine", "generic", "-o", str(out),
                 "--no-progress"]) in (0, 3)
    captures = [json.loads(line) for line in (out / "captures.jsonl").read_text().splitlines()]
    assert captures[0]["parser_name"] == "generic"


THREADED = """<html><head><title>Sheep shearing day</title></head><body>
<div id="c"><div class="msg"><a href="/member/anna">anna</a> <span>12 May 2010 10:00</span>
  <p>We shear on Saturday, bring gloves and a flask of something hot.</p>
  <div class="msg"><a href="/member/bert">bert</a> <span>12 May 2010 11:30</span>
    <p>Can I bring the children along to watch the shearing?</p>
    <div class="msg"><a href="/member/anna">anna</a> <span>12 May 2010 12:10</span>
      <p>Of course, the pen by the barn is the safest place to watch from.</p></div></div></div>
<div class="msg"><a href="/member/cara">cara</a> <span>13 May 2010 08:00</span>
  <p>I can only come in the afternoon, is that still useful to you?</p></div></div></body></html>"""


def test_nested_blocks_give_the_reply_tree():
    parsed = generic.parse(doc_of(THREADED))
    got = [(p["author_name"], p["parent_id"], p["depth"]) for p in parsed.posts]
    ids = [p["id"] for p in parsed.posts]
    assert got == [("anna", None, 0), ("bert", ids[0], 1), ("anna", ids[1], 2), ("cara", None, 0)]
    # each body is the post's own words, not its replies'
    assert "children" not in parsed.posts[0]["body_text"] and "pen by the barn" in parsed.posts[2]["body_text"]
    assert parsed.thread["extra"]["generic_stage"] == "structure" and 0 < parsed.thread["extra"]["confidence"] <= 1


def test_hostile_structured_data_is_bounded():
    deep = '{"@type": "Comment", "text": "x", "comment": ' * 5000 + "{}" + "}" * 5000
    wide = json.dumps({"@type": "DiscussionForumPosting", "text": "t", "author": {"name": "a"},
                       "comment": [{"@type": "Comment", "text": f"reply {i}"} for i in range(50_000)]})
    for payload in (deep, wide):
        html = f'<html><head><script type="application/ld+json">{payload}</script></head><body></body></html>'
        parsed = generic.parse(doc_of(html))
        assert len(parsed.posts) <= generic.MAX_ITEMS


def test_skip_reasons_name_what_was_looked_for():
    parsed = generic.parse(doc_of("<html><body><p>Just a page.</p></body></html>"))
    assert parsed.thread is None and "DiscussionForumPosting" in parsed.skip_reason
    assert "repeated post blocks" in parsed.skip_reason


TEASER = """<div class="columns small-4"><div class="blog_entry_li"><a href="https://blog.example/{slug}/">
<img src="/img/{slug}.jpg" alt=""></a><div class="meta"><a href="https://blog.example/{slug}/">
<h2 class="entry-title">{title}</h2></a><div class="date">{date}</div>
<div class="by">von <a href="https://blog.example/author/{author}/">{author}</a></div></div>
<p>{teaser} Mehr dazu im ganzen Beitrag, mit Beispielen aus der Praxis.</p></div></div>"""


def test_related_article_teasers_are_not_replies():
    """A blog post without comments and a grid of 'recent posts' (picture link, then the title link holding an
    h2, a date and an author each) is a listing of other articles, not a discussion: a real theme did this."""
    teasers = "".join(TEASER.format(slug=f"beitrag-{n}", title=f"Ein anderer Beitrag über Thema {n}",
                                    date=f"{n + 3}. Mai 2018", author=a, teaser=f"Worum es in Nummer {n} geht.")
                      for n, a in enumerate(["vera-v", "anna-h", "vera-v"]))
    page = f"""<html><head><title>Zwischenbilanz</title></head><body><div class="row">
<div class="small-12 columns"><h1 class="entry-title">Zwischenbilanz eines Umbaus</h1>
<div class="date">20. Mai 2019</div><div class="by">von <a href="https://blog.example/author/anna-h/">anna-h</a></div>
<p>Der Handel steckt in der Krise, und es ist Pioniergeist gefragt, um die Lage zu wenden.</p></div></div>
<div class="recentposts row">{teasers}</div></body></html>"""
    doc = doc_of(page, url="https://blog.example/zwischenbilanz/")
    parsed = generic.parse(doc)
    assert parsed.thread is None and parsed.posts == []
    # the same grid with comment-like blocks (a name, a date, prose; no title link) is still read
    comments = "".join(f"""<div class="columns small-4"><div class="by"><a href="https://blog.example/author/{a}/">{a}</a>
</div><div class="date">{n + 21}. Mai 2019</div><p>Danke für den Beitrag, das deckt sich mit dem, was wir sehen.</p>
</div>""" for n, a in enumerate(["vera-v", "bert-k", "cara-m"]))
    parsed = generic.parse(doc_of(page.replace(teasers, comments), url="https://blog.example/zwischenbilanz/"))
    assert [p["author_name"] for p in parsed.posts][-3:] == ["vera-v", "bert-k", "cara-m"]
