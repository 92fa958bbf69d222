"""Crawl a local copy of the sample pages, then extract the crawl: the same discussion as from the files."""

from harvester.capture.crawl import Config, Crawler
from harvester.cli import main
from tests.capture_servers import Server
from tests.conftest import read_jsonl
from tests.samples_support import SAMPLES

KEYS = ("id", "parent_id", "depth", "position", "author_name", "author_id", "votes", "votes_raw",
        "published_utc", "published_local", "published_raw", "body_text", "title")


def serve(routes: dict[str, bytes]):
    def app(h):
        if h.path == "/robots.txt":
            return h.send(200, b"User-agent: *\nAllow: /\n", "text/plain")
        body = routes.get(h.path)
        return h.send(200, body) if body is not None else None

    return Server(app)


def crawl_and_extract(tmp_path, routes, seed, *extract_args, wacz=False):
    with serve(routes) as server:
        cfg = Config(seeds=[server.url(seed)], output=str(tmp_path / "crawl"), scope="thread", delay=0,
                     requisites=False, loopback_only=True, wacz=wacz)
        summary = Crawler(cfg, sleep=lambda s: None).run()
    assert summary.failed == 0
    assert main(["extract", str(tmp_path / "crawl"), "-o", str(tmp_path / "ds"), "--no-progress",
                 *extract_args]) == 0
    return read_jsonl(tmp_path / "ds" / "posts.jsonl"), read_jsonl(tmp_path / "ds" / "threads.jsonl")


def from_files(tmp_path, paths, *extract_args):
    assert main(["extract", *map(str, paths), "-o", str(tmp_path / "files"), "--no-progress", *extract_args]) == 0
    return read_jsonl(tmp_path / "files" / "posts.jsonl"), read_jsonl(tmp_path / "files" / "threads.jsonl")


def pick(posts):
    return [{k: p[k] for k in KEYS} for p in posts]


def test_crawled_seed_thread_extracts_like_the_saved_page(tmp_path):
    page = SAMPLES / "drupal" / "d7-daa-seed" / "page.html"
    path = "/en/content/social-media-and-public-sector"
    posts, threads = crawl_and_extract(tmp_path, {path: page.read_bytes()}, path)
    expected, _ = from_files(tmp_path, [page])
    assert pick(posts) == pick(expected)
    assert posts[0]["source_type"] == "warc" and posts[0]["warc_record_offset"] is not None
    assert posts[0]["source_url"].endswith(path) and posts[0]["capture_time"].endswith("Z")


def test_crawled_two_page_thread_merges_like_the_saved_pages(tmp_path):
    case = SAMPLES / "drupal" / "d7-two-pages"
    path = "/forum/vegetables-north-facing-balcony"
    routes = {path: (case / "page-0.html").read_bytes(), path + "?page=1": (case / "page-1.html").read_bytes()}
    posts, threads = crawl_and_extract(tmp_path, routes, path)
    expected, _ = from_files(tmp_path, [case / "page-0.html", case / "page-1.html"])
    assert pick(posts) == pick(expected)
    assert (threads[0]["pages_total"], threads[0]["pages_captured"], threads[0]["complete"]) == (2, 2, True)
    assert threads[0]["source_urls"][1].endswith("?page=1")


def test_crawl_directory_with_its_wacz_is_not_read_twice(tmp_path):
    """--wacz packages the same WARCs again beside them: each record still counts once."""
    case = SAMPLES / "drupal" / "d7-two-pages"
    path = "/forum/vegetables-north-facing-balcony"
    routes = {path: (case / "page-0.html").read_bytes(), path + "?page=1": (case / "page-1.html").read_bytes()}
    posts, threads = crawl_and_extract(tmp_path, routes, path, wacz=True)
    assert list((tmp_path / "crawl").glob("*.wacz"))
    captures = read_jsonl(tmp_path / "ds" / "captures.jsonl")
    assert [c["status"] for c in captures] == ["ok", "ok"]
    assert threads[0]["captures_seen"] == 2 and {p["captures_seen"] for p in posts} == {1, 2}
