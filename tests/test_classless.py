"""Pages whose markup lost its classes and scripts (archive.today snapshots, sanitised copies): the Drupal
engine falls back to Drupal's own text patterns and the indentation structure."""

import json
import re

import pytest

from harvester.cli import main
from tests.conftest import read_jsonl
from tests.samples_support import SAMPLES

SEED = (SAMPLES / "drupal" / "d7-daa-seed" / "page.html").read_text(encoding="utf-8")
KEYS = ("id", "parent_id", "depth", "author_name", "author_id", "votes", "votes_raw", "published_raw", "body_text",
        "body_html", "links", "title", "extra")
# Garland (Drupal 6) prints "DATE — NAME" with no words of its own: without classes there is nothing to find.
CASES = ["d7-daa-seed", "d7-bartik", "d7-deep-nesting", "d7-two-pages", "d7-anonymous-truncated", "d7-latin1"]


def archive_today(html: str, url: str = "http://daa.ec.europa.eu/en/content/social-media-and-public-sector") -> str:
    """The page as archive.today stores it: scripts and stylesheets gone, class attributes gone, styles
    inlined (the indentation becomes margin-left), outgoing links routed through the archive, and the
    archive's own header above the content."""
    html = re.sub(r"<script\b.*?</script>|<style\b.*?</style>|<link\b[^>]*>|<meta\b[^>]*>", "", html, flags=re.S)
    html = html.replace('<div class="indented">', '<div style="margin-left:25px;">')
    html = re.sub(r'\s(?:class|about|typeof|property|rel|datatype|content|resource|xml:lang)="[^"]*"', "", html)
    origin = "/".join(url.split("/")[:3])
    html = re.sub(r'href="(/[^"]*)"', lambda m: f'href="https://archive.ph/o/Xq3Fz/{origin}{m.group(1)}"', html)
    header = ('<div id="HEADER"><table><tr><td>archive.today webpage capture</td>'
              f"<td>Saved from {url} 5 Nov 2012 17:30:12 UTC</td></tr></table></div>")
    html = re.sub(r"<body([^>]*)>", lambda m: f'<body{m.group(1)}>{header}<div id="CONTENT">', html, count=1)
    return html.replace("</body>", "</div></body>")


def run(tmp_path, name, html, *extra):
    path = tmp_path / name
    path.write_bytes(html if isinstance(html, bytes) else html.encode("utf-8"))
    out = tmp_path / f"out-{name}"
    status = main(["extract", str(path), "-o", str(out), "--no-progress", *extra])
    return status, {t: read_jsonl(out / f"{t}.jsonl") for t in ("posts", "threads", "participants", "captures")}


def essentials(post):
    values = {k: post[k] for k in KEYS}
    values["extra"] = {k: v for k, v in post["extra"].items() if k != "parent_on_earlier_page"}
    return values


@pytest.mark.parametrize("case", CASES)
def test_classless_snapshot_gives_the_same_discussion(tmp_path, case):
    page = sorted((SAMPLES / "drupal" / case).glob("*.html"))[0]
    raw = page.read_bytes()
    html = raw.decode("cp1252" if case == "d7-latin1" else "utf-8")
    url = json.loads((page.parent / "meta.json").read_text())["original_url"]
    snapshot = archive_today(html, url)
    assert 'class="' not in snapshot and "sioc:" not in snapshot
    _, ref = run(tmp_path, "page.html", raw)
    status, got = run(tmp_path, "snapshot.html", snapshot)
    assert status == 0, got["captures"]
    assert [essentials(p) for p in got["posts"]] == [essentials(p) for p in ref["posts"]]
    thread, ref_thread = got["threads"][0], ref["threads"][0]
    assert (thread["title"], thread["author_name"]) == (ref_thread["title"], ref_thread["author_name"])
    assert thread["pages_total"] == ref_thread["pages_total"]  # 2 for d7-two-pages: read from ?page= links
    assert thread["extra"]["markup"] == "classless"
    members = [p["name"] for p in got["participants"] if "member" in p["roles"]]
    assert members == [p["name"] for p in ref["participants"] if "member" in p["roles"]]


def test_archive_today_header_gives_url_and_capture_time(tmp_path):
    status, got = run(tmp_path, "snapshot.html", archive_today(SEED))
    thread = got["threads"][0]
    assert (thread["site"], thread["capture_time"]) == ("daa.ec.europa.eu", "2012-11-05T17:30:12Z")
    assert thread["source_url"] == "http://daa.ec.europa.eu/en/content/social-media-and-public-sector"
    assert thread["board"] == "Digital Agenda Assembly engagement"
    assert all("archive.ph" not in link["url"] for p in got["posts"] for link in p["links"])
