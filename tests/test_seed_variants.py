"""The seed thread in saved forms and markup that are not in samples/: the same discussion must come out."""

import gzip
import re

import pytest

from tests.samples_support import SAMPLES

SEED = (SAMPLES / "drupal" / "d7-daa-seed" / "page.html").read_text(encoding="utf-8")
WAYBACK = (SAMPLES / "drupal" / "d7-daa-wayback" / "page.html").read_text(encoding="utf-8")
HOST = "http://daa.ec.europa.eu"
KEYS = ("id", "parent_id", "depth", "position", "author_name", "author_id", "votes", "votes_raw",
        "published_raw", "body_text", "title")


def essentials(posts):
    return [{k: p[k] for k in KEYS} for p in posts]


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    from harvester.cli import main
    from tests.conftest import read_jsonl

    out = tmp_path_factory.mktemp("ref") / "ds"
    assert main(["extract", str(SAMPLES / "drupal" / "d7-daa-seed" / "page.html"), "-o", str(out),
                 "--no-progress", "--timezone", "Europe/Brussels"]) == 0
    return read_jsonl(out / "posts.jsonl"), read_jsonl(out / "threads.jsonl")[0]


def firefox_saved(html: str, keep_canonical: bool = True) -> str:
    """Firefox "Save Page As, complete": resources moved to NAME_files/, page links made absolute."""
    html = re.sub(r'(src|href)="http://daa\.ec\.europa\.eu/[^"]*/([^/"?]+\.(?:css|js|png|jpg|gif|ico))[^"]*"',
                  r'\1="./page_files/\2"', html)
    html = re.sub(r'@import url\("http://daa\.ec\.europa\.eu/[^"]*/([^/"?]+\.css)[^"]*"\)',
                  r'@import url("./page_files/\1")', html)
    html = re.sub(r'(<a [^>]*href=")(/[^"]*)"', lambda m: f'{m.group(1)}{HOST}{m.group(2)}"', html)
    html = re.sub(r'(<link [^>]*href=")(/[^"]*)"', lambda m: f'{m.group(1)}{HOST}{m.group(2)}"', html)
    if not keep_canonical:
        html = re.sub(r'<link rel="(?:canonical|shortlink)"[^>]*>', "", html)
    return html


def run(tmp_path, name, data, *extra):
    from harvester.cli import main
    from tests.conftest import read_jsonl

    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    out = tmp_path / "out"
    status = main(["extract", str(path), "-o", str(out), "--no-progress", *extra])
    return status, read_jsonl(out / "posts.jsonl"), read_jsonl(out / "threads.jsonl"), \
        read_jsonl(out / "captures.jsonl")[0]


def test_firefox_saved_page(tmp_path, reference):
    html = firefox_saved(SEED)
    assert "http://daa.ec.europa.eu/sites" not in html  # no absolute asset link is left to give the site away
    status, posts, threads, capture = run(tmp_path, "Social media and public sector.html", html)
    assert status == 0
    assert essentials(posts) == essentials(reference[0])
    assert threads[0]["url"] == reference[1]["url"] and posts[0]["site"] == "daa.ec.europa.eu"


def test_firefox_saved_page_without_canonical(tmp_path, reference):
    status, posts, threads, capture = run(tmp_path, "page.html", firefox_saved(SEED, keep_canonical=False))
    assert status == 0
    assert essentials(posts) == essentials(reference[0])
    assert posts[0]["source_url"] is None and "page URL unknown" in capture["reason"]
    # the thread URL still comes from the node's RDF about attribute
    assert threads[0]["url"] == reference[1]["url"]


def test_gzipped_page(tmp_path, reference):
    status, posts, _, capture = run(tmp_path, "page.html.gz", gzip.compress(SEED.encode()))
    assert status == 0 and essentials(posts) == essentials(reference[0])


def test_site_without_rdf_module(tmp_path, reference):
    """Without RDF: no sioc:reply_of, no ISO dates; the tree comes from div.indented, dates from --timezone."""
    html = re.sub(r'<span rel="sioc:reply_of"[^>]*></span>', "", SEED)
    html = re.sub(r'<span property="dc:date dc:created"[^>]*>(.*?)</span>', r"\1", html, flags=re.S)
    html = re.sub(r' (?:property|typeof|about|rel|datatype|content)="[^"]*"', "", html)
    assert "sioc:" not in html
    status, posts, threads, _ = run(tmp_path, "page.html", html, "--timezone", "Europe/Brussels")
    assert status == 0
    assert essentials(posts) == essentials(reference[0])
    assert posts[0]["published_utc"] == "2012-04-26T11:18:00Z" and posts[0]["published_tz"] == "Europe/Brussels"
    assert posts[0]["published_local"] == "2012-04-26T13:18:00" and posts[0]["published_tz_source"] == "option"
    assert threads[0]["reply_count"] is None


def test_old_style_wayback_page_without_wombat(tmp_path, reference):
    """Replays from before the wombat rewriter: only the rewritten links and the trailer date remain."""
    html = re.sub(r"<script[^>]*>\s*__wm\.init.*?</script>", "", WAYBACK, flags=re.S)
    assert "__wm.wombat" not in html
    status, posts, threads, _ = run(tmp_path, "replay.html", html)
    assert status == 0
    assert [p["id"] for p in posts] == [p["id"] for p in reference[0]]
    assert threads[0]["capture_time"] == "2012-11-05T17:30:12Z"
    assert threads[0]["source_url"] == reference[1]["url"]
    assert threads[0]["source_type"] == "wayback"


def test_chrome_saved_wayback_page(tmp_path, reference):
    url = "https://web.archive.org/web/20121105173012/" + reference[1]["url"]
    html = f"<!-- saved from url=({len(url):04d}){url} -->\n" + WAYBACK
    status, posts, threads, _ = run(tmp_path, "replay.htm", html)
    assert status == 0
    assert threads[0]["archive_url"] == url and threads[0]["capture_time"] == "2012-11-05T17:30:12Z"
    assert [(p["id"], p["parent_id"]) for p in posts] == [(p["id"], p["parent_id"]) for p in reference[0]]


def html5_theme(html: str) -> str:
    """The seed in an HTML5 Drupal 7 theme (AdaptiveTheme/Omega style): article elements for the node and the
    comments, a footer byline with <time datetime> instead of the RDF span, and no RDF reply_of spans."""
    import lxml.html

    root = lxml.html.document_fromstring(html)
    for el in root.xpath("//div[starts-with(@id,'node-')] | //div[contains(concat(' ',@class,' '),' comment ')]"):
        el.tag = "article"
    for span in root.xpath("//span[@rel='sioc:reply_of']"):
        span.drop_tree()
    for box in root.xpath("//div[@class='submitted']"):
        span = box.xpath(".//span[@property='dc:date dc:created']")[0]
        box.tag, box.attrib["class"] = "footer", "submitted"
        time_el = lxml.html.Element("time", datetime=span.get("content"), pubdate="pubdate")
        time_el.text, time_el[:] = span.text, list(span)
        span.getparent().replace(span, time_el)
    return lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


def test_html5_theme(tmp_path, reference):
    html = html5_theme(SEED)
    assert "<article class=\"comment" in html and "<time datetime" in html and "sioc:reply_of" not in html
    status, posts, threads, _ = run(tmp_path, "page.html", html)
    assert status == 0
    assert essentials(posts) == essentials(reference[0])
    assert [p["published_utc"] for p in posts] == [p["published_utc"] for p in reference[0]]  # from <time datetime>
