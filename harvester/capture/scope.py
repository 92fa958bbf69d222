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
- search results: ``/search``;
- SMF (``index.php?a=1;b=2`` and queryless ``index.php/a,1/b,2.html``): every ``action=`` but a plain member
  profile (post, quote, print, search, likes, mark read, notify, login, register, member list, who, stats, feeds,
  attachments), ``prev_next``, ``wap2``/``imode`` views, ``topicseen``, ``all``, and the unread-jump duplicates
  ``topic=T.new`` and ``topic=T.fromN`` (message permalinks ``topic=T.msgM`` and ``?msg=M`` are reading links);
- vBulletin: ``printthread.php``, ``archive/index.php`` (other views of the same posts), forms and tools
  (``sendmessage``, ``report``, ``postings``, ``subscription``, ``private``, ``reputation``, ``misc``...),
  and ``goto``, ``pp``, ``daysprune`` parameters.

Action links are never followed either: a GET that votes, rates, likes, thanks, reacts, flags, reports,
bookmarks, subscribes or marks read changes the live forum (``ACTION_*`` below, one entry per engine's form).
Engines that know more action URLs add them here, so the crawler and they share one list.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import parse_qsl, unquote_plus, urlencode, urljoin, urlsplit, urlunsplit

SESSION_PARAMS = {"sid", "phpsessid", "jsessionid", "sessionid", "session_id", "oscsid", "zenid"}
TRAP_PARAMS = {"sort", "order", "dir", "highlight", "hilit", "sort_by", "sort_order", "orderby", "destination",
               "print", "replytocom", "format"}
TRAP_PATHS = re.compile(
    r"/comment/reply/|/comment/\d+/(?:edit|delete)|/node/add\b|/node/\d+/(?:edit|delete|revisions)"
    r"|/user/(?:login|register|password|logout)|/user/\d+/(?:edit|contact)|(?:^|/)contact(?:/|$)"
    r"|(?:posting|newreply|newthread|login|register|profile)\.php|/calendar\b|\bical\b|/print(?:pdf)?/"
    r"|/rss\.xml$|/feed/?$|\.rss$|/atom\b|/search\b|/vote/|/rate/|/flag/|/votingapi/|/logout\b",
    re.I)

# Query keys whose presence makes a link an action: Drupal Rate ``?rate=TOKEN``, Flag ``token=``, phpBB
# Thanks ``thanks=``/``rthanks=`` and ``hash=`` (bookmark, watch, mark-read links), SMF ``sesc=``, HN ``auth=``
# and ``how=up``, Invision ``csrfKey=``, XenForo ``_xfToken=`` and ``reaction_id=``.
ACTION_PARAMS = {"rate", "vote", "votes", "like", "unlike", "thanks", "rthanks", "thank", "react", "reaction",
                 "reaction_id", "karma", "rating", "flag", "unflag", "token", "csrfkey", "_xftoken", "sesc",
                 "auth", "how", "hash", "bookmark", "watch", "unwatch", "subscribe", "unsubscribe", "report"}
# Keys naming what a dispatcher script does (vBulletin and Invision ``do=``, SMF and MyBB ``action=``, phpBB
# ``mode=``, SMF ``sa=``) and the action words that change state.
ACTION_KEYS = {"do", "action", "mode", "sa", "act"}
ACTION_WORDS = re.compile(
    r"(?:^|[_\-.])(?:vote|votes|rate|rating|like|likes|unlike|thank|thanks|thankyou|react|unreact|reaction|karma|"
    r"modifykarma|applaud|smite|rep|addrep|reputation|flag|unflag|report|reportcomment|reporttm|bookmark|"
    r"subscribe|unsubscribe|addsubscription|removesubscription|follow|unfollow|watch|unwatch|markread|markasread|"
    r"mark_read|post_thanks_add|post_thanks_remove_user|logout)(?:$|[_\-.])", re.I)
# Path forms: XenForo ``posts/N/like|react|report|bookmark|rate|vote``, Vanilla ``/react/``, vBulletin and MyBB
# ``reputation.php``, ``post_thanks.php``, ``thankyoulike.php``, ``report.php``, Drupal ``/vote/``, ``/rate/``,
# ``/flag/``, ``/votingapi/``, ``/fivestar/``, ``/plus1/``, ``/user/login-to-rate``, Discourse ``/post_actions``,
# Stack Exchange ``/posts/N/vote``, Hacker News ``vote``, ``flag``, ``hide``, ``fave``, ``vouch``.
ACTION_PATHS = re.compile(
    r"/(?:vote|votes|rate|flag|unflag|votingapi|fivestar|plus1|react|reaction|reactions|like|unlike|thanks|"
    r"post_actions|karma)(?:/|$)"
    r"|/(?:posts|threads|comments|topics|discussion|profile-posts|conversations)/[^/]+/"
    r"(?:like|unlike|react|reactions|report|bookmark|rate|vote|votes|watch|unwatch|follow|thank|thanks)(?:/|$)"
    r"|(?:^|/)(?:reputation|post_thanks|thankyoulike|thanks|report|rate|vote|karma|like)\.php$"
    r"|/(?:discussion|comment|post|posts|topic)/(?:bookmark|like|unlike|vote|flag|report|react|thank)/"
    r"|/user/login-to-rate\b|/node/\d+/rating\b"
    r"|^/(?:vote|flag|hide|unhide|fave|unfave|vouch)$",
    re.I)

# vBulletin: printable and archive views of the same posts; forms and mod tools;
# "goto=newpost" redirects, per-page and day-prune variants of the same listings
TRAP_PARAMS |= {"goto", "pp", "daysprune"}
TRAP_PATHS = re.compile(
    TRAP_PATHS.pattern + r"|(?:printthread|sendmessage|report|postings|subscription|private|reputation"
    r"|infraction|inlinemod|editpost|misc|usercp|announcement)\.php|/archive/index\.php", re.I)
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


def _params(query: str) -> list[tuple[str, str]]:
    """Query pairs split on ``&`` and on ``;`` (SMF writes ``?action=like;sa=like;like=5``)."""
    pairs = []
    for part in re.split(r"[&;]", query):
        if part:
            key, _, value = part.partition("=")
            pairs.append((unquote_plus(key).strip().lower(), unquote_plus(value)))
    return pairs


def action_reason(url: str) -> str | None:
    """Why ``url`` looks like a state-changing action (vote, rate, like, thank, react, flag ...), or None."""
    parts = urlsplit(url)
    params = _params(parts.query)
    for key, value in params:
        if key in ACTION_PARAMS:
            return f"action parameter {key}"
        if key in ACTION_KEYS and ACTION_WORDS.search(value):
            return f"action {key}={value[:40]}"
    # Drupal without clean URLs puts the path in ?q=; XenForo without friendly URLs in a bare first key
    paths = [parts.path] + ["/" + k.lstrip("/") for k, _v in params[:1] if "/" in k]
    paths += ["/" + v.lstrip("/") for k, v in params if k == "q" and v]
    if any(ACTION_PATHS.search(p) for p in paths):
        return "action path"
    return None


def trap_reason(url: str) -> str | None:
    parts = urlsplit(url)
    keys = {k.lower() for k, _v in parse_qsl(parts.query, keep_blank_values=True)}
    hit = keys & TRAP_PARAMS
    if hit:
        return f"trap parameter {sorted(hit)[0]}"
    action = action_reason(url)
    if action:
        return action
    smf = smf_trap(url)
    if smf:
        return smf
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


def _address(text: str):
    try:
        ip = ipaddress.ip_address(text.split("%")[0])
    except ValueError:
        return None
    mapped = getattr(ip, "ipv4_mapped", None)  # ::ffff:127.0.0.1 is loopback too
    return mapped or ip


class AddressPolicy:
    """Which IP addresses a crawl may connect to: public ones, and the seeds' own addresses.

    A page can point an ``<img>``, a stylesheet or a redirect at ``http://169.254.169.254/`` or
    ``http://127.0.0.1:6379/``; a crawl of a public forum must never make the archiving machine request its
    own or its network's internal services. Private, loopback, link-local and reserved addresses are allowed
    only when a seed itself resolves to that very address (archiving a forum on the local network).
    """

    def __init__(self, seeds: list[str], resolve=socket.getaddrinfo):
        self.seed_addresses = set()
        for url in seeds:
            parts = urlsplit(url)
            if not parts.hostname:
                continue
            try:
                port = parts.port or (443 if parts.scheme == "https" else 80)
                infos = resolve(parts.hostname, port, type=socket.SOCK_STREAM)
            except (OSError, UnicodeError, ValueError):
                continue  # unresolvable now: the fetch reports it
            self.seed_addresses.update(a for a in (_address(i[4][0]) for i in infos) if a is not None)

    def allows(self, ip_text: str) -> bool:
        ip = _address(ip_text)
        if ip is None:
            return False
        if ip in self.seed_addresses:
            return True
        return ip.is_global and not ip.is_multicast


class Scope:
    """Decides which discovered URLs join the queue."""

    def __init__(self, mode: str, seeds: list[str], include: list[str] = (), exclude: list[str] = (),
                 max_depth: int | None = None, avoid_traps: bool = True, requisite_hosts: bool = False):
        self.mode = mode
        self.requisite_hosts = requisite_hosts
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
            # stylesheets and images never deepen the crawl; those on other hosts or ports (a CDN, or any
            # address a post's <img> names) only when the user asked for them
            if not self.requisite_hosts and urlsplit(url).netloc.lower() not in self.hosts:
                return "requisite on another host"
            return None
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


SMF_SCRIPT = re.compile(r"/index\.php(?:/|$)")
SMF_TRAP_KEYS = {"prev_next", "wap2", "wap", "imode", "topicseen", "all", "viewresults", "sort", "desc",
                 "start_from", "highlight"}
SMF_DUPLICATE_START = re.compile(r"^\d+\.(?:new|from\d+)")


def smf_trap(url: str) -> str | None:
    """SMF's own traps; its parameters are ``;``-separated or, with queryless URLs, path segments."""
    parts = urlsplit(url)
    if not SMF_SCRIPT.search(parts.path):
        return None
    pairs: dict[str, str] = {}
    tail = parts.path.split("/index.php/", 1)[1] if "/index.php/" in parts.path else ""
    for item in re.split(r"[;&/]", parts.query + "/" + tail.removesuffix(".html")):
        key, _, value = (item if "=" in item else item.replace(",", "=", 1)).partition("=")
        if key:
            pairs[key.lower()] = value
    action = pairs.get("action")
    if action is not None and not (action == "profile" and set(pairs) == {"action", "u"}):
        return f"SMF action {action or '(empty)'}"
    hit = sorted(set(pairs) & SMF_TRAP_KEYS)
    if hit:
        return f"SMF trap parameter {hit[0]}"
    if SMF_DUPLICATE_START.match(pairs.get("topic", "")):
        return "SMF duplicate of a topic page"
    return None
