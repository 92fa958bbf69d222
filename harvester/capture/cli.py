"""``harvester crawl`` and ``harvester verify``: argparse definitions and handlers (imports stay lazy)."""

from __future__ import annotations

import sys

USAGE_ERROR = 2


def add_parsers(sub) -> None:
    cr = sub.add_parser("crawl", help="capture a forum (or its Wayback Machine captures) into WARC files",
                        description="Crawl a thread, a board or a whole site politely into WARC files, with a "
                                    "crawl log, a CDXJ index and resumable state in the output directory. "
                                    "Run the same command again to resume an interrupted crawl.")
    cr.add_argument("urls", nargs="*", metavar="URL", help="start URLs")
    cr.add_argument("-o", "--output", required=True, metavar="DIR", help="directory for WARCs, log, index, state")
    cr.add_argument("--scope", choices=("thread", "board", "site"), default="thread",
                    help="thread: the thread and its comment pages; board: every thread listed and the listing's "
                         "pages; site: everything on the host (default thread)")
    cr.add_argument("--include", action="append", default=[], metavar="REGEX", help="only follow matching URLs")
    cr.add_argument("--exclude", action="append", default=[], metavar="REGEX", help="never fetch matching URLs")
    cr.add_argument("--max-pages", type=int, metavar="N", help="stop after N pages (requisites not counted)")
    cr.add_argument("--max-depth", type=int, metavar="N", help="follow links at most N hops from a start URL")
    cr.add_argument("--no-requisites", action="store_true", help="skip stylesheets, images and scripts")
    cr.add_argument("--requisites-any-host", action="store_true",
                    help="also fetch stylesheets, images and scripts from other hosts and ports (CDNs); private, "
                         "loopback and link-local addresses stay off limits unless a start URL is on one")
    wb = cr.add_argument_group("Wayback Machine")
    wb.add_argument("--wayback", metavar="PATTERN", help="capture the Wayback Machine's copies of URLs matching "
                                                         "PATTERN (e.g. 'forum.example.org/node/*')")
    wb.add_argument("--from", dest="wayback_from", metavar="DATE", help="captures from this date (YYYY[MMDD...])")
    wb.add_argument("--to", dest="wayback_to", metavar="DATE", help="captures up to this date")
    wb.add_argument("--cdx-endpoint", metavar="URL", help="CDX API (default the Internet Archive's)")
    wb.add_argument("--replay-host", metavar="URL", help="replay host for id_ captures (default web.archive.org)")
    po = cr.add_argument_group("politeness and limits")
    po.add_argument("--ignore-robots", action="store_true", help="do not obey robots.txt (noted in warcinfo)")
    po.add_argument("--delay", type=float, default=1.0, metavar="SECONDS",
                    help="pause between requests to a host (default 1)")
    po.add_argument("--contact", metavar="URL|EMAIL", help="how site owners reach you; goes into the user agent")
    po.add_argument("--user-agent", metavar="STRING", help="replace the whole user agent")
    po.add_argument("--max-response-mb", type=float, default=100.0, metavar="MB",
                    help="cut responses at this size (default 100)")
    po.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS", help="network timeout (default 30)")
    po.add_argument("--max-time", type=float, default=300.0, metavar="SECONDS",
                    help="give up on a response after this long in all, however slowly it arrives (default 300)")
    po.add_argument("--retries", type=int, default=3, metavar="N",
                    help="retries after resets, timeouts, 5xx and 429 (default 3)")
    po.add_argument("--conditional", action="store_true",
                    help="re-crawls send If-None-Match/If-Modified-Since: less traffic, but unchanged pages are "
                         "archived as 304 revisits that pywb and ReplayWeb.page replay as empty pages")
    po.add_argument("--loopback-only", action="store_true", help=argparse_suppress())
    out = cr.add_argument_group("output")
    out.add_argument("--warc-prefix", default="harvester", metavar="NAME", help="WARC file name prefix")
    out.add_argument("--warc-max-mb", type=float, default=1000.0, metavar="MB",
                     help="start a new WARC file past this size (default 1000)")
    out.add_argument("--wacz", action="store_true", help="also package the output as PREFIX.wacz")
    out.add_argument("--no-progress", action="store_true", help="no progress line even on a terminal")

    ve = sub.add_parser("verify", help="check every WARC in a directory (structure, digests, warcinfo)")
    ve.add_argument("directory", metavar="DIR")


def argparse_suppress():
    import argparse

    return argparse.SUPPRESS


def crawl_command(args, parser) -> int:
    import re
    import signal

    from harvester.capture.crawl import Config, Crawler, CrawlError
    from harvester.capture.wayback import DEFAULT_CDX, DEFAULT_REPLAY

    if bool(args.urls) == bool(args.wayback):
        parser.error("give start URLs or --wayback PATTERN (not both)")
    for flag, value in (("--from", args.wayback_from), ("--to", args.wayback_to)):
        if value and not args.wayback:
            parser.error(f"{flag} needs --wayback")
        if value and not re.fullmatch(r"\d{4}(\d{2}){0,5}|\d{4}(-\d{2}){0,2}", value):
            parser.error(f"{flag} wants a date like 2012 or 20120315")
    for pattern in args.include + args.exclude:
        try:
            re.compile(pattern)
        except re.error as exc:
            parser.error(f"bad regex {pattern!r}: {exc}")
    for name in ("max_pages", "max_depth", "retries"):
        if getattr(args, name) is not None and getattr(args, name) < 0:
            parser.error(f"--{name.replace('_', '-')} cannot be negative")
    if (args.delay < 0 or args.timeout <= 0 or args.max_response_mb <= 0 or args.warc_max_mb <= 0
            or args.max_time <= 0):
        parser.error("--delay, --timeout, --max-time, --max-response-mb and --warc-max-mb must be positive")
    config = Config(
        seeds=list(args.urls), output=args.output, scope=args.scope, include=args.include, exclude=args.exclude,
        max_pages=args.max_pages, max_depth=args.max_depth, requisites=not args.no_requisites,
        requisite_hosts=args.requisites_any_host,
        wayback=args.wayback, wayback_from=args.wayback_from, wayback_to=args.wayback_to,
        cdx_endpoint=args.cdx_endpoint or DEFAULT_CDX, replay=args.replay_host or DEFAULT_REPLAY,
        obey_robots=not args.ignore_robots, delay=args.delay, contact=args.contact, user_agent=args.user_agent,
        max_response_bytes=int(args.max_response_mb * 1_000_000), timeout=args.timeout, max_time=args.max_time,
        retries=args.retries,
        warc_prefix=args.warc_prefix, warc_max_bytes=int(args.warc_max_mb * 1_000_000), wacz=args.wacz,
        conditional=args.conditional, loopback_only=args.loopback_only)
    tty = sys.stderr.isatty() and not args.no_progress

    def say(msg: str) -> None:
        print(("\r\x1b[K" if tty else "") + f"harvester: {msg}", file=sys.stderr)

    def progress(s) -> None:
        if tty:
            print(f"\r\x1b[Kcrawl: {s.pages} pages, {s.requisites} requisites, {s.queued} queued, {s.failed} failed, "
                  f"{s.bytes / 1e6:.1f} MB", end="", file=sys.stderr, flush=True)

    crawler = Crawler(config, report=say, progress=progress)

    def on_sigint(signum, frame):
        if crawler.stop:
            raise KeyboardInterrupt
        crawler.stop = True
        say("stopping after the current request (Ctrl-C again to abort at once)")

    # SIGTERM (kill, systemd stop, a container shutting down) ends the crawl the way Ctrl-C does: the current
    # request finishes, the WARC is closed and the state committed, so nothing is left .open
    old = signal.signal(signal.SIGINT, on_sigint)
    old_term = signal.signal(signal.SIGTERM, on_sigint)
    try:
        summary = crawler.run()
    except CrawlError as exc:
        say(f"error: {exc}")
        return 1
    except KeyboardInterrupt:
        say("aborted; run the same command again to resume (the torn WARC is repaired then)")
        return 130
    finally:
        signal.signal(signal.SIGINT, old)
        signal.signal(signal.SIGTERM, old_term)
    if tty:
        print("\r\x1b[K", end="", file=sys.stderr)
    for problem in summary.problems[:20]:
        say(f"failed: {problem}")
    say(f"{summary.line()} -> {args.output}")
    if crawler.stop:
        say("interrupted; run the same command again to resume")
        return 130
    return 1 if summary.failed else 0


def verify_command(args, parser) -> int:
    from harvester.capture.verify import verify

    ok = verify(args.directory, report=lambda msg: print(f"harvester: {msg}", file=sys.stderr))
    return 0 if ok else 1
