"""Which URLs a crawl follows: scopes, include/exclude patterns, forum URL traps, link extraction.

Forum URL traps avoided by default (each would multiply one thread into endless near-copies, or post forms):

- session ids, removed from URLs before anything else: ``sid``, ``PHPSESSID``, ``jsessionid``, ``sessionid``,
  ``session_id``, ``s`` (a 32-hex vBulletin/phpBB session), ``;jsessionid=`` path parameters;
- sort, order and highlight parameters: ``sort``, ``order``, ``dir``, ``highlight``, ``hilit``, ``sort_by``,
  ``sort_order``, ``orderby``, ``tid`` order links; and ``destination=`` (login/redirect forms);
- reply, edit and account forms: ``/comment/reply/``, ``/comment/N/edit|delete``, ``/node/add``,
  ``/node/N/edit|delete|revisions``, ``/user/login``, ``/user/register``, ``/user/password``, ``/user/logout``,
  ``/user/N/edit|contact``, ``/contact``, ``posting.php``, ``newreply.php``, ``login.php``, ``register.php``;
- calendars and date browsers: ``/calendar``, ``/event/...`` dates, ``ical``;
- print views and feeds: ``/print/``, ``/printpdf/``, ``?print``, ``/rss.xml``, ``/feed``, ``.rss``, ``/atom``;
- search results, vote/flag/rate actions: ``/search``, ``/vote/``, ``/rate/``, ``/flag/``, ``/votingapi/``.
- vBulletin: ``printthread.php``, ``showpost.php``, ``archive/index.php`` and other views, forms and tools
  (``sendmessage``, ``report``, ``postings``, ``subscription``, ``private``, ``reputation``, ``misc``,
  ``memberlist``...), and ``goto``, ``pp``, ``daysprune`` parameters.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

SESSION_PARAMS = {"sid", "phpsessid", "jsessionid", "sessionid", "session_id", "oscsid", "zenid"}
TRAP_PARAMS = {"sort", "order", "dir", "highlight", "hilit", "sort_by", "sort_order", "orderby", "destination",
               "print", "replytocom", "format"}
TRAP_PATHS = re.compile(
    r"/comment/reply/|/comment/\d+/(?:edit|delete)|/node/add\b|/node/\d+/(?:edit|delete|revisions)"
    r"|/user/(?:login|register|password|logout)|/user/\d+/(?:edit|contact)|(?:^|/)contact(?:/|$)"
    r"|(?:posting|newreply|newthread|login|register|profile)\.php|/calendar\b|\bical\b|/print(?:pdf)?/"
    r"|/rss\.xml$|/feed/?$|\.rss$|/atom\b|/search\b|/vote/|/rate/|/flag/|/votingapi/|/logout\b",
    re.I)
# vBulletin: printable, single-post, archive and member-list views of the same posts; forms and mod tools;
# "goto=newpost" redirects, per-page and day-prune variants of the same listings
TRAP_PARAMS |= {"goto", "pp", "daysprune"}
TRAP_PATHS = re.compile(
    TRAP_PATHS.pattern + r"|(?:printthread|showpost|sendmessage|report|postings|subscription|private|reputation"
    r"|infraction|inlinemod|editpost|misc|memberlist|usercp|announcement)\.php|/archive/index\.php", re.I)
_HEX32 = re.compile(r"^[0-9a-f]{32}$", re.I)
_JSESSION = re.compile(r";jsessionid=[^/?#]*", re.I)
_CSS_URL = re.compile(rb"""url\(\s*['"]?([^'")\s]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""", re.I)


def canonical(url: str) -> str | None:
    """Drop fragments and session ids; None for URLs a crawler cannot fetch."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    path = _JSESSION.sub("", parts.path) or "/"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k.lower() not in SESSION_PARAMS and not (k == "s" and _HEX32.match(v))]
    q = urlencode(query, doseq=True) if query != parse_qsl(parts.query, keep_blank_values=True) else parts.query
    netloc = parts.netloc.lower()
    return urlunsplit((parts.scheme.lower(), netloc, path, q, ""))


def trap_reason(url: str) -> str | None:
    parts = urlsplit(url)
    keys = {k.lower() for k, _v in parse_qsl(parts.query, keep_blank_values=True)}
    hit = keys & TRAP_PARAMS
    if hit:
        return f"trap parameter {sorted(hit)[0]}"
    # Drupal without clean URLs puts the path in ?q=
    q_path = dict(parse_qsl(parts.query)).get("q", "")
    for path in (parts.path, "/" + q_path.lstrip("/") if q_path else ""):
        if path and TRAP_PATHS.search(path):
            return "trap path"
    return None


def html_links(doc) -> tuple[list[str], list[str]]:
    """(links, requisites) of a parsed Document, absolute."""
    root = doc.root
    links = [doc.absolute(h) for h in root.xpath("//a/@href | //area/@href")]
    req = root.xpath("//img/@src | //script/@src | //input[@type='image']/@src | //embed/@src"
                     " | //link[contains(concat(' ', translate(@rel, 'SIHCNOTYLE', 'sihcnotyle'), ' '), "
                     "' stylesheet ') or contains(translate(@rel, 'ICON', 'icon'), 'icon')]/@href")
    for srcset in root.xpath("//img/@srcset | //source/@srcset"):
        req += [c.strip().split()[0] for c in srcset.split(",") if c.strip()]
    for style in root.xpath("//style/text() | //*/@style"):
        req += [(a or b).decode("utf-8", "replace")
                for a, b in ((m.group(1), m.group(2)) for m in _CSS_URL.finditer(style.encode()))]
    return [u for u in links if u], [doc.absolute(u) for u in req if u and not u.startswith("data:")]


def css_links(css: bytes, base: str) -> list[str]:
    out = []
    for m in _CSS_URL.finditer(css):
        ref = (m.group(1) or m.group(2) or b"").decode("utf-8", "replace")
        if ref and not ref.startswith("data:"):
            out.append(urljoin(base, ref))
    return out


class Scope:
    """Decides which discovered URLs join the queue."""

    def __init__(self, mode: str, seeds: list[str], include: list[str] = (), exclude: list[str] = (),
                 max_depth: int | None = None, avoid_traps: bool = True):
        self.mode = mode
        self.seeds = seeds
        self.hosts = {urlsplit(s).netloc.lower() for s in seeds}
        self.prefixes = [_dir_of(s) for s in seeds]
        self.include = [re.compile(p) for p in include]
        self.exclude = [re.compile(p) for p in exclude]
        self.max_depth = max_depth
        self.avoid_traps = avoid_traps

    def rejects(self, url: str, depth: int, requisite: bool = False) -> str | None:
        """Why ``url`` stays out, or None."""
        if self.avoid_traps and not requisite:
            reason = trap_reason(url)
            if reason:
                return reason
        if any(p.search(url) for p in self.exclude):
            return "excluded"
        if requisite:
            return None  # stylesheets and images may live on a CDN and never deepen the crawl
        if self.include and not any(p.search(url) for p in self.include):
            return "not included"
        if self.max_depth is not None and depth > self.max_depth:
            return "too deep"
        if urlsplit(url).netloc.lower() not in self.hosts:
            return "other host"
        return None

    def same_area(self, url: str) -> bool:
        """For unknown engines in thread/board scope: stay under the seed's own path."""
        path = urlsplit(url)
        return any(f"{path.netloc.lower()}{path.path}".startswith(p) for p in self.prefixes)


def _dir_of(url: str) -> str:
    parts = urlsplit(url)
    path = parts.path if parts.path.endswith("/") else parts.path
    return f"{parts.netloc.lower()}{path}"
