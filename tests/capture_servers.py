"""Local HTTP servers for the capture tests: a small Drupal 7 forum, misbehaving endpoints, a fake Wayback.

Everything listens on 127.0.0.1 port 0 in daemon threads; nothing touches the internet.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8"
                    "ffff3f0005fe02fea7d6a5c40000000049454e44ae426082")
PER_PAGE = 3


class Forum:
    """A Drupal-7-like forum: /forum (listing, 2 pages), /node/N threads with ?page=K comment pages."""

    def __init__(self, threads: dict[int, int] | None = None):
        self.threads = threads or {1: 7, 2: 2, 3: 4, 4: 1}  # nid -> number of comments
        self.etags = True

    def add_comment(self, nid: int) -> None:
        self.threads[nid] += 1

    def listing(self, page: int) -> str:
        nids = sorted(self.threads)
        half = (len(nids) + 1) // 2
        shown = nids[:half] if page == 0 else nids[half:]
        teasers = "".join(f'<div id="node-{n}" class="node node-teaser"><h2><a href="/node/{n}">Topic {n}</a></h2>'
                          f'<div class="content"><p>Teaser {n}</p></div></div>' for n in shown)
        pager = ('<ul class="pager"><li class="pager-current">1</li><li><a href="/forum?page=1">2</a></li></ul>'
                 if page == 0 else '<ul class="pager"><li><a href="/forum">1</a></li>'
                                   '<li class="pager-current">2</li></ul>')
        return _html("Forum", f'<h1 id="page-title">Forum</h1>{teasers}{pager}'
                              '<a href="/forum?sort=asc&amp;order=title">Sort</a>')

    def thread(self, nid: int, page: int) -> str | None:
        total = self.threads.get(nid)
        if total is None:
            return None
        pages = max(1, -(-total // PER_PAGE))
        if page >= pages:
            return None
        comments = []
        for c in range(page * PER_PAGE, min(total, (page + 1) * PER_PAGE)):
            cid = nid * 100 + c
            uid = 2 + c % 3
            comments.append(
                f'<a id="comment-{cid}"></a><div class="comment clearfix">'
                f'<div class="user-picture"><img src="/sites/default/files/pictures/picture-{uid}.png" '
                f'alt="user{uid}\'s picture"></div>'
                f'<h3><a href="/node/{nid}#comment-{cid}">Re: Topic {nid}</a></h3>'
                f'<div class="submitted">Submitted by <a href="/user/{uid}" class="username">user{uid}</a> '
                f'on Mon, 0{1 + c % 9}/02/2012 - 10:0{c % 10}</div>'
                f'<div class="content"><p>Comment {cid} text.</p></div>'
                f'<ul class="links"><li><a href="/comment/reply/{nid}/{cid}">reply</a></li></ul></div>')
        pager = ""
        if pages > 1:
            items = "".join(f'<li class="pager-current">{k + 1}</li>' if k == page else
                            f'<li><a href="/node/{nid}' + (f"?page={k}" if k else "") + f'">{k + 1}</a></li>'
                            for k in range(pages))
            pager = f'<ul class="pager">{items}</ul>'
        body = (f'<h1 id="page-title">Topic {nid}</h1>'
                f'<div id="node-{nid}" class="node node-forum">'
                f'<div class="submitted">Submitted by <a href="/user/1" class="username">alice</a> on '
                f'Sun, 01/01/2012 - 09:00</div><div class="content"><p>Opening post {nid}.</p></div></div>'
                f'<div id="comments">{"".join(comments)}{pager}</div>'
                f'<a href="/user/login?destination=node/{nid}">Log in</a> '
                f'<a href="/node/{nid}?highlight=x">hl</a> <a href="/node/{nid}?PHPSESSID=0123abcd">sess</a> '
                f'<a href="/admin/secret">admin</a> <a href="/forum">Forum</a>')
        return _html(f"Topic {nid}", body)


def _html(title: str, body: str) -> str:
    return ('<!DOCTYPE html><html><head><meta charset="utf-8">'
            '<meta name="Generator" content="Drupal 7 (http://drupal.org)">'
            f'<title>{title}</title><link rel="stylesheet" href="/sites/all/themes/t/style.css">'
            f'</head><body class="page-node"><div id="content">{body}</div></body></html>')


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802
        srv = self.server
        with srv.lock:
            srv.log.append(self.path)
        gate = srv.gate
        if gate is not None and gate(self.path):
            srv.blocked.set()
            srv.release.wait(30)  # held until the test kills the crawler
            return
        route = srv.app(self)
        if route is None:
            self.send(404, b"<html><body>not found</body></html>")

    def send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8", headers=()):
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        use_etag = self.server.etags and status == 200 and ctype.startswith("text/html")
        if use_etag and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return True
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if use_etag:
            self.send_header("ETag", etag)
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)
        return True


class Server:
    """``with Server(app) as s: s.url("/x")``; ``app(handler)`` answers or returns None for 404."""

    def __init__(self, app):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.app = app
        self.httpd.log = []
        self.httpd.lock = threading.Lock()
        self.httpd.gate = None
        self.httpd.blocked = threading.Event()
        self.httpd.release = threading.Event()
        self.httpd.etags = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    @property
    def log(self) -> list[str]:
        return list(self.httpd.log)


def forum_app(forum: Forum, extra=None):
    def app(h: Handler):
        parts = urlsplit(h.path)
        q = parse_qs(parts.query)
        page = int(q.get("page", ["0"])[0])
        if extra is not None and extra(h):
            return True
        if parts.path == "/robots.txt":
            return h.send(200, b"User-agent: *\nDisallow: /admin/\n", "text/plain")
        if parts.path == "/forum":
            return h.send(200, forum.listing(page).encode())
        if parts.path.startswith("/node/") and parts.path[6:].isdigit():
            html = forum.thread(int(parts.path[6:]), page)
            return h.send(200, html.encode()) if html else None
        if parts.path == "/sites/all/themes/t/style.css":
            return h.send(200, b"body { background: url('bg.png'); }", "text/css")
        if parts.path.endswith(".png"):
            return h.send(200, PNG, "image/png")
        if parts.path == "/admin/secret":
            return h.send(200, b"<html><body>secret</body></html>")
        return None

    return app


def misbehaving_app(state: dict):
    """Endpoints that fail in the ways real servers do."""

    def app(h: Handler):
        path = urlsplit(h.path).path
        if path == "/robots.txt":
            return None
        if path == "/slow":
            time.sleep(1.5)
            return h.send(200, b"<html>late</html>")
        if path == "/retry-after":
            state["retry-after"] = state.get("retry-after", 0) + 1
            if state["retry-after"] == 1:
                return h.send(429, b"slow down", "text/plain", [("Retry-After", "7")])
            return h.send(200, b"<html><body>finally</body></html>")
        if path == "/unavailable":
            return h.send(503, b"down", "text/plain", [("Retry-After", "3")])
        if path == "/reset":
            import socket
            import struct

            h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            h.close_connection = True
            h.connection.close()
            return True
        if path == "/truncated":
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Content-Length", "1000")
            h.end_headers()
            h.wfile.write(b"<html><body>only part")
            return True
        if path == "/loop-a":
            return h.send(302, b"", headers=[("Location", "/loop-b")])
        if path == "/loop-b":
            return h.send(302, b"", headers=[("Location", "/loop-a")])
        if path == "/chain":
            n = int(parse_qs(urlsplit(h.path).query).get("n", ["0"])[0])
            return h.send(302, b"", headers=[("Location", f"/chain?n={n + 1}")])
        if path == "/huge":
            h.send_response(200)
            h.send_header("Content-Type", "application/octet-stream")
            h.send_header("Content-Length", str(50_000_000))
            h.end_headers()
            block = b"x" * 65536
            try:
                for _ in range(50_000_000 // len(block)):
                    h.wfile.write(block)
            except OSError:
                state["huge-cut"] = True
            return True
        if path == "/latin1":
            body = "<html><body><p>caf\u00e9 na\u00efve</p><a href='/loop-a'>x</a></body></html>".encode("latin-1")
            return h.send(200, body, "text/html; charset=utf-8")
        return None

    return app


def wayback_app(captures: list[tuple[str, str, bytes]], queries: list[dict]):
    """A fake CDX API at /cdx and ``/web/TSid_/URL`` replay of ``captures`` (timestamp, url, body)."""

    def app(h: Handler):
        parts = urlsplit(h.path)
        if parts.path == "/cdx":
            q = {k: v[0] for k, v in parse_qs(parts.query).items()}
            queries.append(q)
            rows = [["timestamp", "original", "statuscode", "mimetype", "digest"]]
            for ts, url, body in captures:
                if q.get("from") and ts < q["from"].ljust(14, "0"):
                    continue
                if q.get("to") and ts > q["to"].ljust(14, "9"):
                    continue
                rows.append([ts, url, "200", "text/html", hashlib.sha1(body).hexdigest()])
            return h.send(200, json.dumps(rows).encode(), "application/json")
        if parts.path.startswith("/web/"):
            rest = h.path[len("/web/"):]
            ts, _, url = rest.partition("/")
            ts = ts.removesuffix("id_")
            for cts, curl, body in captures:
                if cts == ts and curl == url:
                    return h.send(200, body, "text/html; charset=utf-8",
                                  [("X-Archive-Orig-Date", "Mon, 02 Jan 2012 10:00:00 GMT")])
            for cts, curl, _body in captures:
                if curl == url:
                    return h.send(302, b"", headers=[("Location", f"/web/{cts}id_/{curl}")])
        return None

    return app


def static_app(routes: dict[str, bytes | tuple[bytes, str]]):
    """A site of fixed pages (path and query -> body, or (body, content type)) that lets every crawler in; 404
    for anything else. ``routes`` may be filled after the server starts (its base URL goes into the pages)."""
    def app(h: Handler):
        if h.path == "/robots.txt":
            return h.send(200, b"User-agent: *\nAllow: /\n", "text/plain")
        body = routes.get(h.path)
        if isinstance(body, tuple):
            return h.send(200, *body)
        return h.send(200, body) if body is not None else None
    return app


def crawl_sample(out, site: str, pages: dict[str, bytes], scope: str = "thread") -> list[str]:
    """Serve sample pages at their paths (``site``, the sample's origin, rewritten to the local server's), crawl
    from the first path into ``out`` and return the paths fetched, robots.txt aside."""
    from harvester.capture.crawl import Config, Crawler

    routes: dict[str, bytes] = {}
    with Server(static_app(routes)) as server:
        routes.update({path: body.replace(site.encode(), server.base.encode()) for path, body in pages.items()})
        cfg = Config(seeds=[server.url(next(iter(pages)))], output=str(out), scope=scope, delay=0,
                     requisites=False, loopback_only=True)
        Crawler(cfg, sleep=lambda s: None).run()
        return [p for p in server.log if p != "/robots.txt"]
