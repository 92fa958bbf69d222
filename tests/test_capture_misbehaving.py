"""Servers that misbehave: the crawl records what it can, retries politely, never hangs or loops."""

from __future__ import annotations

from warcio.archiveiterator import ArchiveIterator

from harvester.capture.crawl import Config, Crawler
from harvester.capture.verify import verify
from tests.capture_servers import Server, misbehaving_app


def run(tmp_path, srv, path, **kw):
    sleeps: list[float] = []
    kw.setdefault("retries", 2)
    cfg = Config(seeds=[srv.url(path)], output=str(tmp_path), loopback_only=True, delay=0, timeout=kw.pop("timeout", 5),
                 backoff=0.01, **kw)
    crawler = Crawler(cfg, sleep=sleeps.append)
    crawler.run()
    return crawler, sleeps


def responses(out):
    found = []
    for p in sorted(out.glob("*.warc.gz")):
        with open(p, "rb") as fh:
            for rec in ArchiveIterator(fh):
                if rec.rec_type in ("response", "revisit"):
                    found.append((rec.rec_headers, rec.http_headers, rec.content_stream().read()))
    return found


def log_lines(out):
    return (out / "crawl.log").read_text().splitlines()


def test_retry_after_is_honoured(tmp_path):
    state = {}
    with Server(misbehaving_app(state)) as srv:
        crawler, sleeps = run(tmp_path, srv, "/retry-after")
    assert state["retry-after"] == 2
    assert sum(sleeps) >= 7  # the server's Retry-After, not the short backoff
    assert crawler.summary.failed == 0
    recs = [r for r in responses(tmp_path) if r[0].get_header("WARC-Target-URI").endswith("/retry-after")]
    assert len(recs) == 1 and recs[0][1].get_statuscode() == "200"
    assert any("2t" in line for line in log_lines(tmp_path))


def test_503_gives_up_after_bounded_retries(tmp_path):
    with Server(misbehaving_app({})) as srv:
        crawler, sleeps = run(tmp_path, srv, "/unavailable", retries=2)
        hits = srv.log.count("/unavailable")
    assert hits == 3
    assert crawler.summary.failed == 1
    assert sleeps.count(3) == 2 or sum(sleeps) >= 6
    recs = responses(tmp_path)
    assert [r[1].get_statuscode() for r in recs if "unavailable" in r[0].get_header("WARC-Target-URI")] == ["503"]


def test_connection_reset_is_retried_then_logged(tmp_path):
    with Server(misbehaving_app({})) as srv:
        crawler, _ = run(tmp_path, srv, "/reset", retries=1)
        assert srv.log.count("/reset") == 2
    assert crawler.summary.failed == 1
    line = [ln for ln in log_lines(tmp_path) if ln.split()[3].endswith("/reset")][0]
    assert line.split()[1] in ("-3", "-2")
    assert verify(str(tmp_path), report=lambda m: None)


def test_truncated_body_is_marked(tmp_path):
    with Server(misbehaving_app({})) as srv:
        crawler, _ = run(tmp_path, srv, "/truncated", retries=1)
    recs = [r for r in responses(tmp_path) if r[0].get_header("WARC-Target-URI").endswith("/truncated")]
    assert len(recs) == 1
    assert recs[0][0].get_header("WARC-Truncated") == "disconnect"
    assert recs[0][2] == b"<html><body>only part"
    assert crawler.summary.failed == 1
    assert verify(str(tmp_path), report=lambda m: None)


def test_redirect_loop_and_endless_chain_stop(tmp_path):
    with Server(misbehaving_app({})) as srv:
        run(tmp_path / "a", srv, "/loop-a")
        assert srv.log.count("/loop-a") == 1 and srv.log.count("/loop-b") == 1
        run(tmp_path / "b", srv, "/chain")
        chain = [p for p in srv.log if p.startswith("/chain")]
    assert 1 < len(chain) <= 7


def test_huge_body_is_cut_at_the_limit(tmp_path):
    state = {}
    with Server(misbehaving_app(state)) as srv:
        crawler, _ = run(tmp_path, srv, "/huge", max_response_bytes=1_000_000)
    recs = [r for r in responses(tmp_path) if r[0].get_header("WARC-Target-URI").endswith("/huge")]
    assert len(recs) == 1
    assert recs[0][0].get_header("WARC-Truncated") == "length"
    assert len(recs[0][2]) == 1_000_000
    assert crawler.summary.failed == 0


def test_slow_server_times_out(tmp_path):
    with Server(misbehaving_app({})) as srv:
        crawler, _ = run(tmp_path, srv, "/slow", timeout=0.2, retries=1)
    assert crawler.summary.failed == 1
    line = [ln for ln in log_lines(tmp_path) if ln.split()[3].endswith("/slow")][0]
    assert line.split()[1] == "-4"


def test_wrong_charset_is_archived_and_parsed(tmp_path):
    with Server(misbehaving_app({})) as srv:
        crawler, _ = run(tmp_path, srv, "/latin1", scope="site")
        assert "/loop-a" in srv.log  # the link was found despite the undecodable bytes
    recs = [r for r in responses(tmp_path) if r[0].get_header("WARC-Target-URI").endswith("/latin1")]
    assert "caf\u00e9".encode("latin-1") in recs[0][2]
    assert crawler.summary.failed == 0
