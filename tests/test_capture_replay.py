"""Replay through harvester's own index and WACZ: the keys are cdxj-indexer's, pywb finds every page,
including after a second crawl of unchanged pages."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile

from harvester.capture.crawl import Config, Crawler
from tests.capture_servers import Forum, Server, forum_app

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ODD = ("/odd?m3ou8l", "/?q=node/1", "/path/A%2Fb?x=1&a=%7E")


def odd_pages(h):
    """Pages at URLs a hand-made SURT gets wrong: a bare query word, ?q= paths (Drupal without clean URLs)."""
    if h.path in ODD:
        return h.send(200, f"<html><body><p>odd page {h.path}</p></body></html>".encode())
    return None


def crawl(out, seeds, **kw) -> Crawler:
    kw.setdefault("delay", 0)
    kw.setdefault("timeout", 5)
    cfg = Config(seeds=seeds, output=str(out), loopback_only=True, **kw)
    crawler = Crawler(cfg, sleep=lambda s: None)
    crawler.run()
    return crawler


def cdxj_indexer(warcs) -> list[str]:
    from cdxj_indexer.main import CDXJIndexer

    out = os.path.join(os.path.dirname(warcs[0]), "reference.cdxj")
    CDXJIndexer(output=out, inputs=list(warcs), sort=True).process_all()
    with open(out, encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    os.remove(out)
    return lines


def pywb(root, urls) -> dict[str, tuple[int, bytes]]:
    """url -> (status, body) of pywb's replay of the latest capture, in a subprocess."""
    proc = subprocess.run([sys.executable, "-m", "tests.pywb_replay", str(root), *urls], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = [json.loads(line[7:]) for line in proc.stdout.splitlines() if line.startswith("REPLAY ")]
    return {r["url"]: (r["status"], base64.b64decode(r["body"])) for r in rows}


def collection(root, warcs, index) -> None:
    coll = root / "collections" / "c"
    (coll / "archive").mkdir(parents=True)
    (coll / "indexes").mkdir()
    for w in warcs:
        shutil.copy(w, coll / "archive")
    shutil.copy(index, coll / "indexes" / "index.cdxj")


def test_index_keys_are_cdxj_indexers_and_pywb_replays_them(tmp_path):
    forum = Forum({1: 4})
    out = tmp_path / "crawl"
    with Server(forum_app(forum, odd_pages)) as srv:
        seeds = [srv.url("/node/1")] + [srv.url(p) for p in ODD]
        crawl(out, seeds)
        live = {u: None for u in seeds}
    warcs = sorted(str(p) for p in out.glob("*.warc.gz"))
    ours = (out / "index.cdxj").read_text(encoding="utf-8").splitlines()
    theirs = cdxj_indexer(warcs)
    assert len(ours) == len(theirs) > 10
    assert ours == theirs
    root = tmp_path / "pywb"
    collection(root, warcs, out / "index.cdxj")
    got = pywb(root, list(live))
    for path in ODD:
        status, body = got[srv.url(path)]
        assert status == 200 and f"odd page {path}".encode() in body, (path, status, body[:200])
    status, body = got[srv.url("/node/1")]
    assert status == 200 and b"Opening post 1." in body


def test_wacz_loads_in_pywb_and_names_the_seed(tmp_path):
    forum = Forum({1: 4})
    out = tmp_path / "crawl"
    with Server(forum_app(forum, odd_pages)) as srv:
        seed = srv.url("/node/1?page=1")
        crawl(out, [seed, srv.url(ODD[1])], wacz=True, warc_prefix="forum")
    wacz = out / "forum.wacz"
    with zipfile.ZipFile(wacz) as zf:
        names = zf.namelist()
        package = json.loads(zf.read("datapackage.json"))
    assert "indexes/index.cdx" in names, names
    assert package["mainPageURL"] == seed
    root = tmp_path / "pywb"
    root.mkdir()
    manager = [sys.executable, "-c", "from pywb.manager.manager import main; main()"]
    subprocess.run([*manager, "init", "c"], cwd=root, check=True, capture_output=True, timeout=120)
    proc = subprocess.run([*manager, "add", "--unpack-wacz", "c", str(wacz)], cwd=root, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0 and "does not contain" not in proc.stderr, proc.stderr
    got = pywb(root, [seed, srv.url(ODD[1])])
    assert got[seed][0] == 200 and b"Comment 103 text." in got[seed][1]
    assert got[srv.url(ODD[1])][0] == 200 and b"odd page" in got[srv.url(ODD[1])][1]


def test_second_crawl_of_unchanged_pages_replays_their_content(tmp_path):
    forum = Forum({1: 4})
    out = tmp_path / "crawl"
    with Server(forum_app(forum)) as srv:
        seed = srv.url("/node/1")
        crawl(out, [seed])
        time.sleep(1.1)  # WARC-Dates are to the second: the second crawl must be the later capture
        forum.add_comment(1)  # page 2 changes, page 1 does not
        second = crawl(out, [seed])
    assert second.summary.failed == 0 and second.summary.revisits >= 1
    warcs = sorted(str(p) for p in out.glob("*.warc.gz"))
    index = (out / "index.cdxj").read_text(encoding="utf-8").splitlines()
    latest = {}
    for line in index:
        _key, ts, data = line.split(" ", 2)
        entry = json.loads(data)
        latest[entry["url"]] = max(latest.get(entry["url"], ("", {})), (ts, entry), key=lambda x: x[0])
    assert latest[seed][1]["mime"] == "warc/revisit"  # the unchanged page was recorded as a revisit
    root = tmp_path / "pywb"
    collection(root, warcs, out / "index.cdxj")
    got = pywb(root, [seed, srv.url("/node/1?page=1")])
    assert got[seed][0] == 200 and b"Opening post 1." in got[seed][1], got[seed]
    assert got[srv.url("/node/1?page=1")][0] == 200 and b"Comment 104 text." in got[srv.url("/node/1?page=1")][1]
