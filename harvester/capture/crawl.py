"""The crawl job: queue -> robots -> polite fetch with retries -> WARC records -> links -> queue.

One request at a time (so at most one per host), a per-host delay, state committed after every URL so a
kill at any moment resumes where it stopped.
"""

from __future__ import annotations

import email.utils
import fcntl
import ipaddress
import json
import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin

from harvester import __version__
from harvester.capture import crawllog, robots
from harvester.capture import wayback as wb
from harvester.capture.fetch import Exchange, FetchError, fetch
from harvester.capture.scope import AddressPolicy, Scope, canonical, css_links, html_links
from harvester.capture.state import State
from harvester.capture.warcwriter import (
    OPEN_SUFFIX,
    PROFILE_IDENTICAL,
    PROFILE_NOT_MODIFIED,
    WarcWriter,
    new_id,
    read_record,
    repair,
    sha1_b32,
    warc_date,
)

STATE_FILE = "crawl-state.sqlite"
LOG_FILE = "crawl.log"
INDEX_FILE = "index.cdxj"
MAX_REDIRECTS = 5
RETRY_STATUSES = {429, 500, 502, 503, 504}


class CrawlError(Exception):
    """The crawl cannot start (output locked, bad seed ...)."""


@dataclass
class Config:
    seeds: list[str]
    output: str
    scope: str = "thread"  # thread | board | site
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    max_pages: int | None = None
    max_depth: int | None = None
    requisites: bool = True
    requisite_hosts: bool = False  # requisites on other hosts and ports (CDNs): only when asked for
    # If-None-Match/If-Modified-Since on re-crawls: saves bandwidth, but a 304 is archived as a
    # server-not-modified revisit that pywb and ReplayWeb.page replay as an empty 304. Off by default: an
    # unchanged page is fetched whole and recorded as an identical-payload-digest revisit, which replays.
    conditional: bool = False
    wayback: str | None = None  # a CDX url pattern
    wayback_from: str | None = None
    wayback_to: str | None = None
    cdx_endpoint: str = wb.DEFAULT_CDX
    replay: str = wb.DEFAULT_REPLAY
    obey_robots: bool = True
    delay: float = 1.0
    contact: str | None = None
    user_agent: str | None = None
    max_response_bytes: int = 100_000_000
    timeout: float = 30.0
    max_time: float = 300.0  # the whole response, however slowly it trickles in
    retries: int = 3
    backoff: float = 2.0  # first retry wait without Retry-After, doubled each time
    max_retry_after: float = 900.0  # a longer Retry-After gives up on the URL instead of stalling the crawl
    warc_prefix: str = "harvester"
    warc_max_bytes: int = 1_000_000_000
    wacz: bool = False
    loopback_only: bool = False  # tests: refuse any address but 127.0.0.0/8 and ::1

    def agent(self) -> str:
        if self.user_agent:
            return self.user_agent
        contact = f"; +{self.contact}" if self.contact else ""
        return f"harvester/{__version__} (web archiving{contact})"

    def signature(self) -> str:
        """What makes two runs the same job (limits may change between a kill and its resume)."""
        return json.dumps([self.seeds, self.scope, self.include, self.exclude, self.wayback, self.wayback_from,
                           self.wayback_to, self.requisites, self.requisite_hosts])


@dataclass
class Summary:
    pages: int = 0
    requisites: int = 0
    revisits: int = 0
    failed: int = 0
    blocked: int = 0
    bytes: int = 0
    queued: int = 0
    skipped: int = 0  # queued pages left unfetched by --max-pages
    limit: str | None = None  # which limit cut the crawl
    paused: dict[str, float] = field(default_factory=dict)  # host -> Retry-After seconds that outlast the run
    repaired: list[str] = field(default_factory=list)
    warcs: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.pages} pages, {self.requisites} requisites, {self.revisits} revisits, "
                f"{self.failed} failed, {self.blocked} blocked by robots.txt, {self.bytes / 1e6:.1f} MB"
                + (f", {self.queued} still queued" if self.queued else "")
                + (f"; {self.limit}: {self.skipped} queued pages not fetched" if self.limit else "")
                + "".join(f"; {host} asked to wait {int(wait)}s (Retry-After), its URLs stay queued"
                          for host, wait in self.paused.items()))


class Crawler:
    def __init__(self, config: Config, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic,
                 report: Callable[[str], None] = lambda msg: None,
                 progress: Callable[[Summary], None] = lambda s: None):
        self.config = config
        self._sleep_fn = sleep
        self.clock = clock
        self.report = report
        self.progress = progress
        self.stop = False
        self.summary = Summary()
        self.rules: dict[str, robots.Rules] = {}
        self.last_request: dict[str, float] = {}
        self.not_before: dict[str, float] = {}  # per host, from Retry-After (clock time)
        self.paused: dict[str, float] = {}  # hosts whose Retry-After outlasts max_retry_after: seconds asked
        self._pool = None
        hosts_from = [config.replay] if config.wayback else config.seeds
        self.scope = Scope(config.scope, hosts_from, config.include, config.exclude, config.max_depth,
                           requisite_hosts=config.requisite_hosts)
        self.addresses: AddressPolicy | None = None  # resolved when the crawl starts

    # -- the job ------------------------------------------------------------------------------------
    def run(self) -> Summary:
        cfg = self.config
        os.makedirs(cfg.output, exist_ok=True)
        lock = open(os.path.join(cfg.output, ".lock"), "w")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise CrawlError(f"another crawl is writing to {cfg.output}") from exc
        self.state = State(os.path.join(cfg.output, STATE_FILE))
        self.log = open(os.path.join(cfg.output, LOG_FILE), "a", encoding="utf-8")
        if self.addresses is None:
            self.addresses = AddressPolicy([cfg.replay, cfg.cdx_endpoint] if cfg.wayback else cfg.seeds)
        self.writer = WarcWriter(cfg.output, cfg.warc_prefix, cfg.warc_max_bytes, self._warcinfo(),
                                 on_close=self._closed)
        try:
            self._repair()
            self._start_job()
            self._loop()
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
                self._pool = None
            self.writer.close()
            counts = self.state.counts()
            self.summary.queued = counts.get("queued", 0)
            self.log.close()
            try:
                # The crawl counts as finished only once its index (and WACZ) exist: a kill while they are
                # written leaves it unfinished, and the same command then rebuilds them without re-crawling.
                if sys.exc_info()[0] is None:
                    self._index()
                    if not self.summary.queued and not self.stop:
                        self.state.set("finished", "1")
            finally:
                self.state.close()
                fcntl.flock(lock, fcntl.LOCK_UN)
                lock.close()
        return self.summary

    def _helper(self):
        """One helper thread for link discovery (see _record)."""
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="harvester-links")
        return self._pool

    def _warcinfo(self) -> dict[str, str]:
        import socket

        cfg = self.config
        what = f"Wayback captures of {cfg.wayback}" if cfg.wayback else f"{cfg.scope} crawl of {' '.join(cfg.seeds)}"
        return {"software": f"harvester/{__version__}", "hostname": socket.gethostname(),
                "operator": cfg.contact or "", "isPartOf": cfg.warc_prefix, "description": what,
                "robots": "classic" if cfg.obey_robots else "ignore", "http-header-user-agent": cfg.agent(),
                "http-header-from": cfg.contact if cfg.contact and "@" in cfg.contact else ""}

    def _closed(self, name: str) -> None:
        self.state.file_closed(name)
        self.summary.warcs.append(name)

    def _start_job(self) -> None:
        st, sig = self.state, self.config.signature()
        if st.get("job") == sig and st.get("finished") == "0":
            self.report(f"resuming the unfinished crawl in {self.config.output}")
        else:
            st.new_job(sig)
        if st.get("seeded") != sig:
            self._seed()
            st.set("seeded", sig)

    def _seed(self) -> None:
        cfg = self.config
        if not cfg.wayback:
            for seed in cfg.seeds:
                url = canonical(seed)
                if url is None:
                    raise CrawlError(f"not an http(s) URL: {seed}")
                self.state.add(url, 0, "", None, "page")
            return
        resume_key = None
        while True:
            query = wb.cdx_query_url(cfg.cdx_endpoint, cfg.wayback, cfg.wayback_from, cfg.wayback_to,
                                          resume_key)
            ex, err, _tries = self._fetch(query, [])
            if ex is None or ex.status != 200:
                raise CrawlError(f"CDX query failed: {err or ex.status}: {query}")
            rows, resume_key = wb.parse_cdx(ex.payload())
            with self.state.tx():
                for row in rows:
                    if row.get("timestamp") and row.get("original"):
                        self.state.add(wb.capture_url(cfg.replay, row["timestamp"], row["original"]),
                                       0, "", None, "wayback")
            if not resume_key:
                break

    # -- crash repair -------------------------------------------------------------------------------
    def _repair(self) -> None:
        out = self.config.output
        for name in sorted(os.listdir(out)):
            if not name.endswith(".warc.gz" + OPEN_SUFFIX):
                continue
            final, records, length = repair(os.path.join(out, name))
            closed = name[: -len(OPEN_SUFFIX)]
            lost = self.state.file_cut(closed, length)
            self.summary.repaired.append(closed)
            self.report(f"repaired {name}: kept {len(records)} complete records, "
                        f"{len(lost)} URLs put back in the queue")
            if final is None:
                continue
            for rec in records:
                row = self.state.url_row(rec.uri) if rec.uri else None
                if rec.type not in ("response", "revisit") or row is None or row["status"] != "queued":
                    continue
                # Killed after the record was flushed but before the state commit: adopt the record (a revisit
                # too: fetching its URL again would archive the page twice).
                where = _Where(final, rec.offset, rec.end)
                status, headers, body = read_record(os.path.join(out, final), rec.offset)
                original = None
                if rec.type == "revisit":
                    original = self.state.original(rec.payload_digest, final) if rec.payload_digest else None
                    if original is not None:  # links come from the payload the revisit stands for
                        try:
                            _s, _h, body = read_record(os.path.join(out, original["filename"]), original["offset"])
                        except OSError:
                            body = b""
                with self.state.tx():
                    if rec.type == "response":
                        self.state.add_capture(rec.record_id, rec.payload_digest, rec.uri, rec.date, where)
                    self.state.file_closed(final)
                    failed = status in RETRY_STATUSES
                    self.state.finish_url(rec.uri, "failed" if failed else "done", status, where)
                    if not failed:
                        self._enqueue(row, self._discover(row, status, headers, body or b""))

    # -- main loop ----------------------------------------------------------------------------------
    def _loop(self) -> None:
        cfg = self.config
        while not self.stop:
            row = self.state.next(self.paused)
            if row is None:
                return
            if (cfg.max_pages is not None and row["kind"] in ("page", "wayback")
                    and self.state.pages_done() >= cfg.max_pages):
                self.state.finish_url(row["url"], "skipped", crawllog.CODES["quota"])
                self.summary.skipped += 1
                self.summary.limit = f"--max-pages {cfg.max_pages} reached"
                self._log(crawllog.CODES["quota"], 0, row, "-", time.time(), 0.0, None, ["max-pages"])
                continue
            key = robots.host_key(row["url"])
            held = self._held(key)
            if held > cfg.max_retry_after:
                # the host asked (Retry-After) for a longer pause than the crawl may stall: leave its URLs
                # queued for the next run, go on with other hosts
                self.paused[key] = self.summary.paused[key] = held
                self.report(f"{key} asked to wait {held:.0f}s (Retry-After): its URLs stay queued for the next run")
                continue
            self._process(row)
            self.summary.queued = self.state.counts().get("queued", 0)
            self.progress(self.summary)

    def _process(self, row) -> None:
        cfg, url, kind = self.config, row["url"], row["kind"]
        key = robots.host_key(url)
        if cfg.obey_robots and kind != "robots":
            rules = self._robots(row)
            if not rules.allowed(url):
                code = crawllog.CODES["robots" if rules.status < 500 and rules.status >= 0 else "robots-failed"]
                self.state.finish_url(url, "blocked", code)
                self.summary.blocked += 1
                self._log(code, 0, row, "-", time.time(), 0.0, None, ["robots.txt"])
                return
        headers = []
        previous = self.state.validators(url) if kind != "robots" and cfg.conditional else None
        if previous:
            etag, last_modified, _cap = previous
            if etag:
                headers.append(("If-None-Match", etag))
            if last_modified:
                headers.append(("If-Modified-Since", last_modified))
        ex, err, tries = self._fetch(url, headers, key)
        notes = [f"{tries}t"] if tries > 1 else []
        if ex is None:
            code = crawllog.CODES.get(err.kind, -3)
            self.state.finish_url(url, "failed", code)
            self.summary.failed += 1
            self.summary.problems.append(f"{url}: {err}")
            self._log(code, 0, row, "-", time.time(), 0.0, None, notes + [err.kind])
            if kind == "robots":
                # refused by the address policy (or unfetchable): the URLs themselves are refused the same
                # way and logged as such, rather than as blocked by a robots.txt that was never asked for
                self.rules[key] = robots.Rules(None, 404 if err.kind == "url" else -1)
            return
        self._record(row, ex, previous, notes)

    def _record(self, row, ex: Exchange, previous, notes: list[str]) -> None:
        url, kind, w = row["url"], row["kind"], self.writer
        date = warc_date(ex.started)
        failed = ex.status in RETRY_STATUSES or ex.truncated in ("disconnect", "time")
        discovered = None
        if not failed and ex.status != 304:
            # Links are found (lxml parse) in a helper thread while this one compresses and writes the records
            # (zlib): both release the GIL, so on two cores they overlap instead of adding up.
            discovered = self._helper().submit(self._discover, row, ex.status, ex.headers,
                                               ex.payload(self.config.max_response_bytes) or b"")
        w.begin_group()
        # request first, pointing at the response's id: a kill between the two leaves a lone request at the end
        # of the file, which repair cuts; the other order could keep a response whose request was never written
        rid = new_id()
        w.request(url, date, ex.request, rid)
        digest, original = None, None
        if ex.status == 304 and previous and previous[2] is not None:
            original = previous[2]
            where = w.revisit(url, date, ex.ip, ex.head, PROFILE_NOT_MODIFIED, original, original["digest"], rid)
            digest = original["digest"]
            notes.append("duplicate:server-not-modified")
        else:
            digest = sha1_b32(ex.body)
            if ex.status == 200 and ex.body and not ex.truncated:
                original = self.state.original(digest, w.filename)
            if original is not None:
                where = w.revisit(url, date, ex.ip, ex.head, PROFILE_IDENTICAL, original, digest, rid)
                notes.append("duplicate:digest")
            else:
                where, digest = w.response(url, date, ex.ip, ex.head, ex.body, ex.truncated, rid)
        capture = wb.as_capture(url, self.config.replay) if self.config.wayback else None
        if capture:
            w.metadata(url, date, wb.metadata_fields(*capture), where.record_id)
        if ex.truncated:
            notes.append(f"{ex.truncated}-trunc")
        if discovered is not None:
            links = discovered.result()
        elif failed:
            links = []
        else:  # 304 Not Modified: the links are those of the payload it stands for
            body = b""
            if original is not None:
                try:
                    _s, _h, body = read_record(os.path.join(self.config.output, original["filename"]),
                                               original["offset"])
                except OSError:
                    body = b""
            links = self._discover(row, ex.status, ex.headers, body or b"")
        with self.state.tx():
            if original is None and ex.status != 304:
                self.state.add_capture(where.record_id, digest, url, date, where)
            holder = original["record_id"] if original is not None else where.record_id
            if ex.status in (200, 304) and not ex.truncated and (ex.header("etag") or ex.header("last-modified")
                                                                 or ex.status == 304):
                etag = ex.header("etag") or (previous[0] if previous else None)
                lm = ex.header("last-modified") or (previous[1] if previous else None)
                self.state.set_validators(url, etag, lm, holder)
            self.state.finish_url(url, "failed" if failed else "done", ex.status, where)
            self._enqueue(row, links)
        s = self.summary
        s.bytes += len(ex.head) + len(ex.body)
        if failed:
            s.failed += 1
            s.problems.append(f"{url}: HTTP {ex.status}" + (f" ({ex.truncated})" if ex.truncated else ""))
        elif original is not None:
            s.revisits += 1
        if kind in ("page", "wayback"):
            s.pages += 1
        elif kind == "requisite":
            s.requisites += 1
        self._log(ex.status, len(ex.body), row, ex.mime, ex.started, ex.duration, digest, notes)

    # -- robots -------------------------------------------------------------------------------------
    def _robots(self, row) -> robots.Rules:
        key = robots.host_key(row["url"])
        if key in self.rules:
            return self.rules[key]
        rurl = robots.robots_url(row["url"])
        done = self.state.url_row(rurl)
        if done is not None and done["status"] == "done" and done["filename"]:
            try:
                status, _h, body = read_record(os.path.join(self.config.output, done["filename"]), done["offset"])
                self.rules[key] = robots.Rules(body.decode("utf-8", "replace"), status)
                return self.rules[key]
            except (OSError, FileNotFoundError):
                pass
        if done is None:
            self.state.add(rurl, row["depth"], (row["hops"] or "") + "P", row["url"], "robots")
        elif done["status"] != "queued":
            self.state.finish_url(rurl, "queued", None)
        self._process(self.state.url_row(rurl))
        return self.rules.setdefault(key, robots.Rules(None, -1))

    # -- fetching -----------------------------------------------------------------------------------
    def _fetch(self, url: str, headers: list[tuple[str, str]], key: str | None = None):
        """(exchange or None, error or None, tries): retries resets, timeouts, 5xx and 429 with backoff."""
        cfg = self.config
        key = key or robots.host_key(url)
        sent = [("User-Agent", cfg.agent()), ("Accept", "*/*"), ("Accept-Encoding", "gzip")]
        if cfg.contact and "@" in cfg.contact:
            sent.append(("From", cfg.contact))
        sent += headers
        policy = self.addresses

        def allow(ip: str) -> bool:
            return (policy is None or policy.allows(ip)) and (not cfg.loopback_only or _loopback(ip))

        tries = 0
        while True:
            tries += 1
            self._polite(key)
            ex, err = None, None
            try:
                ex = fetch(url, sent, timeout=cfg.timeout, max_bytes=cfg.max_response_bytes, allow_host=allow,
                           max_time=cfg.max_time)
            except FetchError as exc:
                err = exc
            finally:
                self.last_request[key] = self.clock()
            if err is not None and err.kind == "url":
                return None, err, tries
            if ex is not None and ex.status in (429, 503):
                self._hold(key, _retry_after(ex.header("retry-after")))
            retry = err is not None or ex.status in RETRY_STATUSES or ex.truncated in ("disconnect", "time")
            if not retry or tries > cfg.retries or self.stop:
                return ex, err, tries
            wait = cfg.backoff * 2 ** (tries - 1)
            if ex is not None and ex.status in (429, 503):
                wait = _retry_after(ex.header("retry-after")) or wait
            if wait > cfg.max_retry_after:
                return ex, err, tries
            self.report(f"retrying {url} in {wait:.0f}s ({err or f'HTTP {ex.status}'})")
            self._sleep(wait)

    def _hold(self, key: str, seconds: float | None) -> None:
        """A host's Retry-After holds every request to that host, not only the URL that got it (kept in the
        state, so a run started soon after still waits)."""
        if not seconds:
            return
        self.not_before[key] = max(self.not_before.get(key, 0.0), self.clock() + seconds)
        self.state.set(f"not-before {key}", repr(time.time() + seconds))

    def _held(self, key: str) -> float:
        """Seconds the host still asks us to wait."""
        if key not in self.not_before:
            until = self.state.get(f"not-before {key}")
            self.not_before[key] = self.clock() + (float(until) - time.time()) if until else 0.0
        return max(0.0, self.not_before[key] - self.clock())

    def _polite(self, key: str) -> None:
        delay = self.config.delay
        rules = self.rules.get(key)
        if rules is not None and rules.crawl_delay():
            delay = max(delay, min(rules.crawl_delay(), 60.0))
        wait = self._held(key)
        last = self.last_request.get(key)
        if last is not None:
            wait = max(wait, last + delay - self.clock())
        if wait > 0:
            self._sleep(wait)

    def _sleep(self, seconds: float) -> None:
        # In slices, so Ctrl-C during a long Retry-After stops promptly.
        while seconds > 0 and not self.stop:
            step = min(seconds, 0.5)
            self._sleep_fn(step)
            seconds -= step

    # -- links --------------------------------------------------------------------------------------
    def _discover(self, row, status: int, headers, body: bytes) -> list[tuple[str, str, str]]:
        """(url, hop letter, kind) to queue: redirects, engine-classified links, requisites."""
        cfg, url, kind = self.config, row["url"], row["kind"]
        found: list[tuple[str, str, str]] = []
        hdr = {k.lower(): v for k, v in headers}
        if 300 <= status < 400 and hdr.get("location"):
            hops = row["hops"] or ""
            if len(hops) - len(hops.rstrip("R")) < MAX_REDIRECTS and kind != "robots":
                found.append((urljoin(url, hdr["location"].strip()), "R", kind))
        if kind == "robots" or not body or not (200 <= status < 300 or status == 304):
            if kind == "robots":
                self.rules[robots.host_key(url)] = robots.Rules(body.decode("utf-8", "replace"), status)
            return found
        mime = (hdr.get("content-type") or "").split(";")[0].strip().lower()
        if mime == "text/css" and cfg.requisites:
            return found + [(u, "E", "requisite") for u in css_links(body, url)]
        if "html" not in mime and not (not mime and b"<html" in body[:2048].lower()):
            return found
        return found + self._html_links(row, hdr, body)

    def _html_links(self, row, hdr, body: bytes) -> list[tuple[str, str, str]]:
        from harvester import engines
        from harvester.document import Document
        from harvester.model import Page

        cfg, url, kind = self.config, row["url"], row["kind"]
        capture = wb.as_capture(url, cfg.replay) if cfg.wayback else None
        charset = _charset(hdr.get("content-type"))
        page = Page(source_file=url, source_type="live", body=bytes(body), url=capture[0] if capture else url,
                    http_charset=charset)
        try:
            doc = Document(page, None, 16_000_000)  # extract's default memory bound (README: memory)
        except Exception as exc:  # an unreadable page is still archived; it just yields no links
            self.report(f"note: {url}: no links taken from this page ({type(exc).__name__}: {exc})")
            return []
        every: list = []

        def all_links() -> tuple[list[str], list[str]]:
            """Every link and requisite of the page: taken only when the scope or requisites need them."""
            if not every:
                try:
                    every.append(html_links(doc))
                except Exception as exc:
                    self.report(f"note: {url}: no links taken from this page ({type(exc).__name__}: {exc})")
                    every.append(([], []))
            return every[0]

        found: list[tuple[str, str, str]] = []
        if cfg.requisites and kind != "requisite":
            for r in all_links()[1]:
                target = wb.capture_url(cfg.replay, capture[1], r) if capture else r
                found.append((target, "E", "requisite"))
        if kind != "page":
            return found
        parsed = None
        try:
            engine = engines.detect(doc)
            parsed = engine.parse(doc, records=False) if engine else None
        except Exception as exc:  # engine bugs and InputError alike must not stop a crawl
            self.report(f"note: {url}: links from the page itself ({type(exc).__name__}: {exc})")
        if cfg.scope == "site":
            follow = all_links()[0] + (parsed.links.get("pages", []) + parsed.links.get("threads", [])
                                       if parsed else [])
        elif parsed is not None:
            follow = list(parsed.links.get("pages", []))
            if cfg.scope == "board" and parsed.thread is None:
                follow += parsed.links.get("threads", []) + parsed.links.get("listings", [])
        else:
            follow = [u for u in all_links()[0] if self.scope.same_area(u)]
        return found + [(u, "L", "page") for u in follow if u]

    def _enqueue(self, row, found: list[tuple[str, str, str]]) -> None:
        for target, hop, kind in found:
            url = canonical(target)
            if url is None:
                continue
            depth = row["depth"] + (1 if hop == "L" else 0)
            if self.scope.rejects(url, depth, requisite=kind == "requisite") and hop != "R":
                continue
            if hop == "R" and self.scope.rejects(url, depth, requisite=kind == "requisite") not in (None, "too deep"):
                continue
            self.state.add(url, depth, ((row["hops"] or "") + hop)[-40:], row["url"], kind)

    # -- outputs ------------------------------------------------------------------------------------
    def _log(self, status, size, row, mime, started, duration, digest, notes) -> None:
        self.log.write(crawllog.line(status, size, row["url"], row["hops"], row["via"], mime, started, duration,
                                     digest, notes) + "\n")
        self.log.flush()

    def _index(self) -> None:
        from harvester.capture import cdxj

        out = self.config.output
        warcs = sorted(os.path.join(out, n) for n in os.listdir(out) if n.endswith(".warc.gz"))
        cdxj.write_index(warcs, os.path.join(out, INDEX_FILE), known=self.writer.indexable)
        if self.config.wacz and not self.stop:
            from harvester.capture import wacz

            wacz.package(out, warcs, os.path.join(out, INDEX_FILE), self.config)


@dataclass
class _Where:
    filename: str
    offset: int
    end: int


def _charset(content_type: str | None) -> str | None:
    m = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type or "", re.I)
    return m.group(1) if m else None


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _loopback(ip: str) -> bool:
    try:
        return ipaddress.ip_address(ip.split("%")[0]).is_loopback
    except ValueError:
        return False

