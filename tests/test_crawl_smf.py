"""Crawl a local SMF 2.1 board made from the samples: board and site scope follow topics and their pages, never
SMF's traps; the crawl extracts to the same posts as the sample files."""

from __future__ import annotations

import re

from harvester.capture.crawl import Config, Crawler
from harvester.cli import main
from tests.capture_servers import Server
from tests.conftest import read_jsonl
from tests.samples_support import SAMPLES
from tests.test_engine_smf import LISTING

SITE = "https://forum.harbourlights-astro.example/"
CASE = SAMPLES / "smf" / "smf21-two-pages"


def board(base: str) -> dict[str, bytes]:
    """Path and query -> page, every absolute link of the samples pointed at the local server."""
    def local(html: str) -> bytes:
        return html.replace(SITE, base + "/").replace("http://b.example/", base + "/").encode()

    listing = LISTING.replace("topic=1402.0", "topic=812.0").replace("topic=1402.15", "topic=812.4")
    listing = listing.replace("board=3.", "board=5.")
    return {"/index.php?topic=812.0": local((CASE / "page-0.html").read_text(encoding="utf-8")),
            "/index.php?topic=812.4": local((CASE / "page-1.html").read_text(encoding="utf-8")),
            "/index.php?board=5.0": local(listing)}


def crawl(tmp_path, seed: str, scope: str):
    routes: dict[str, bytes] = {}

    def app(h):
        if h.path == "/robots.txt":
            return h.send(200, b"User-agent: *\nAllow: /\n", "text/plain")
        body = routes.get(h.path)
        return h.send(200, body) if body is not None else None

    with Server(app) as server:
        routes.update(board(server.base))
        cfg = Config(seeds=[server.url(seed)], output=str(tmp_path / "crawl"), scope=scope, delay=0,
                     requisites=False, loopback_only=True)
        Crawler(cfg, sleep=lambda s: None).run()
        return [p for p in server.log if p != "/robots.txt"]


def test_board_scope_takes_the_topic_and_its_pages_only(tmp_path):
    log = crawl(tmp_path, "/index.php?board=5.0", "board")
    # board=5.20 and topic 1399 are listed but not served here (404): asked for once each, and nothing else
    assert sorted(log) == ["/index.php?board=5.0", "/index.php?board=5.20", "/index.php?topic=1399.0",
                           "/index.php?topic=812.0", "/index.php?topic=812.4"]
    assert main(["extract", str(tmp_path / "crawl"), "-o", str(tmp_path / "ds"), "--no-progress"]) == 0
    posts = read_jsonl(tmp_path / "ds" / "posts.jsonl")
    assert main(["extract", str(CASE / "page-0.html"), str(CASE / "page-1.html"), "-o", str(tmp_path / "files"),
                 "--no-progress"]) == 0
    files = read_jsonl(tmp_path / "files" / "posts.jsonl")
    keys = ("id", "position", "author_name", "author_id", "published_local", "votes", "deleted", "body_text")

    def pick(rows):  # the site differs (127.0.0.1 here), so keys and author_keys do too
        return [{**{k: p[k] for k in keys}, "quotes": [(q["author"], q["post_id"]) for q in p["quotes"]]} for p in rows]

    assert pick(posts) == pick(files)
    assert len(posts) == 7


def test_site_scope_avoids_smf_traps(tmp_path):
    log = crawl(tmp_path, "/index.php?topic=812.0", "site")
    assert "/index.php?topic=812.4" in log
    for path in log:
        if "action=" in path:  # only a member's plain profile page is not a trap
            assert re.fullmatch(r"/index\.php\?action=profile;u=\d+", path), path
        assert "prev_next" not in path and "sort" not in path, path
    assert "/index.php?action=profile;u=41" in log
