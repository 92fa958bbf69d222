"""A Page decoded and parsed once, with the archive wrapping removed and URLs mapped to the original site."""

from __future__ import annotations

import codecs
import os
import re
import sys
from collections import Counter
from datetime import datetime
from urllib.parse import parse_qs, urljoin, urlsplit

from lxml import etree

from harvester.model import InputError, Page
from harvester.sources.decode import INVALID, decode_html
from harvester.text import text_content

# Wayback replay URLs: /web/TIMESTAMP[modifier]/ORIGINAL, absolute or relative to web.archive.org.
_WAYBACK_URL = re.compile(
    r"^(?:(?:https?:)?//(?:web\.)?archive\.org)?/web/(\d{4,14})([a-z]{2}_)?/+(.*)$", re.I | re.S
)
_ARCHIVE_TODAY_HOSTS = r"archive\.(?:today|ph|is|li|vn|fo|md)"
_ARCHIVE_TODAY_LINK = re.compile(rf"^https?://{_ARCHIVE_TODAY_HOSTS}/o/[A-Za-z0-9]+/(https?://.+)$", re.I)
_ARCHIVE_TODAY_SAVED = re.compile(r"(https?://\S+?)\s*[.,;]?\s+(\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2}) UTC")
_ARCHIVE_TODAY_ID = re.compile(rf"https?://{_ARCHIVE_TODAY_HOSTS}/[A-Za-z0-9]{{4,6}}\b", re.I)
_SCHEME_ONE_SLASH = re.compile(r"^(https?):/(?!/)", re.I)
_WOMBAT = re.compile(r"""__wm\.wombat\(\s*["']([^"']+)["']\s*,\s*["'](\d{14})["']""")
_TOOLBAR = re.compile(r"<!--\s*BEGIN WAYBACK TOOLBAR INSERT\s*-->.*?<!--\s*END WAYBACK TOOLBAR INSERT\s*-->", re.S)
_REWRITE_JS = re.compile(r"<script[^>]*(?:bundle-playback|wombat|archive\.org)[^>]*>.*?"
                         r"<!--\s*End Wayback Rewrite JS Include\s*-->", re.S | re.I)
_TRAILER = re.compile(r"</html>\s*<!--\s*FILE ARCHIVED ON.*$", re.S | re.I)
_ARCHIVED_ON = re.compile(r"FILE ARCHIVED ON (\d{1,2}:\d{2}:\d{2} [A-Z][a-z]{2} \d{1,2}, \d{4})")
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_DOC_START = re.compile(r"<!doctype\s+html|<html[\s>]", re.I)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_ABSOLUTE_ASSET = ("//link[@href]/@href", "//script[@src]/@src", "//style/text()")
# A plain etree parser: lxml.html's element classes cost a Python call for every element proxy.
# huge_tree lifts libxml2's 10 MB text and 256-level depth limits (pages are already bounded by
# --max-page-mb); what still stops it (2048 levels) is read from its error log and noted.
_UTF8_PARSER = etree.HTMLParser(encoding="utf-8", huge_tree=True)
# libxml2 compares each attribute with every earlier one of its element: a million attributes never finish
# (30,000 take 4.5 s). Start tags this long are looked at; past MAX_ATTRIBUTES, the rest of the tag is dropped.
MAX_ATTRIBUTES = 4096
# The tree libxml2 builds costs 10-14 times a real page's size but up to 60 times for dense markup (``x<br>``
# over and over): a page under --max-page-mb could still take gigabytes. The page is fed to the parser in
# chunks and the process's resident memory read after each: a tree past TREE_FACTOR times --max-page-mb is
# dropped and the page refused. That bounds the tree whatever the page holds (README: memory).
TREE_FACTOR = 20
PARSE_CHUNK = 1 << 20
_LONG_TAG = re.compile(r"<[A-Za-z][^\s<>/]*(?=[^<>]{65536})")
_ATTRIBUTE = re.compile(r"""\s+[^\s=>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?""")


def cap_attributes(text: str, notes: list[str]) -> str:
    """The text with every start tag cut after MAX_ATTRIBUTES attributes (a note says where)."""
    if len(text) < 65536 or not _LONG_TAG.search(text):
        return text
    out, pos = [], 0
    for m in _LONG_TAG.finditer(text):
        if m.start() < pos:
            continue
        end = m.end()
        for n, attr in enumerate(_ATTRIBUTE.finditer(text, end), 1):
            if attr.start() != end:
                break
            end = attr.end()
            if n == MAX_ATTRIBUTES:
                close = text.find(">", end)
                close = len(text) if close < 0 else close
                extra = text.count("=", end, close)
                out.append(text[pos:end])
                pos = close
                notes.append(f"an <{m.group()[1:]}> start tag had about {MAX_ATTRIBUTES + extra} attributes: "
                             f"those after the first {MAX_ATTRIBUTES} were dropped")
                break
    out.append(text[pos:])
    return "".join(out)
_HTTP_URL = re.compile(r"https?://[^\s\"'()<>]+", re.I)
# A root-relative href that urljoin would only prefix with the base's origin: no "." or ".." or empty
# segments (which urljoin normalises), no ;params, no empty ?query or #fragment (which it drops), no tabs
# or newlines. Dots inside a segment ("picture-19.jpg") are plain.
_PLAIN_ROOT_PATH = re.compile(r"(?:/(?!\.\.?(?:[/?#]|$))[^/?#;\s]+)+/?(?:\?[^#\t\r\n]+)?(?:#[^\t\r\n]+)?")
# An absolute link with a plain host and such a path comes back from urljoin as it was written.
_PLAIN_ABSOLUTE = re.compile(r"https?://[A-Za-z0-9.-]+(?::\d+)?(?:/|" + _PLAIN_ROOT_PATH.pattern + ")?")


def wayback_timestamp_to_iso(ts: str) -> str | None:
    """A 14-digit Wayback/ARC timestamp as UTC ISO 8601; None when it is no date at all (``/web/2012/``, a
    short address the Wayback Machine redirects from, or a damaged ``99999999999999``)."""
    ts = ts.ljust(14, "0")
    try:
        datetime.strptime(ts[:14], "%Y%m%d%H%M%S")
    except ValueError:
        return None
    return f"{ts[0:4]}-{ts[4:6]}-{ts[6:8]}T{ts[8:10]}:{ts[10:12]}:{ts[12:14]}Z"


def unwrap_wayback(url: str) -> tuple[str, str | None, str | None]:
    """Split a replay URL into (original URL, timestamp, modifier); other URLs come back unchanged.

    archive.today's outgoing links (``https://archive.ph/o/ID/ORIGINAL``) unwrap too, without a timestamp.
    """
    m = _WAYBACK_URL.match(url.strip())
    if not m:
        today = _ARCHIVE_TODAY_LINK.match(url.strip())
        return (today.group(1), None, None) if today else (url, None, None)
    original = _SCHEME_ONE_SLASH.sub(r"\1://", m.group(3))
    if not re.match(r"^[a-z][a-z0-9+.-]*:", original, re.I):
        original = "http://" + original
    return original, m.group(1), m.group(2)


# No thread has ten million comment pages: a larger number in a link is damage or mischief, and counts
# built on it (the pages a thread should have) would size allocations and overflow 64-bit fields.
MAX_PAGE_NUMBER = 10_000_000


def page_number(url: str | None) -> int | None:
    """Drupal's zero-based ``?page=N`` (the first number when several pagers share the parameter)."""
    if not url:
        return None
    values = parse_qs(urlsplit(url).query).get("page")
    if not values:
        return None
    m = re.match(r"\d{1,8}(?!\d)", values[0])
    return int(m.group()) if m and int(m.group()) < MAX_PAGE_NUMBER else None


class Document:
    """Decoded, parsed page; ``absolute()`` resolves any href against the original site."""

    def __init__(self, page: Page, site_url: str | None = None, max_bytes: int = 0):
        """``max_bytes`` is --max-page-mb: the parsed tree may take TREE_FACTOR times it (0: no bound)."""
        self.page = page
        self.site_url_option = site_url
        self._absolute: dict[str, str] = {}
        self._folder: str | None = None  # the base URL's folder, for plain relative links
        if not page.body or page.body.isspace():  # isspace() stops at the first byte; strip() copies
            raise InputError("empty file")
        if _looks_binary(page.body):
            raise InputError("not an HTML document (binary data)")
        decoded, self.encoding, notes = decode_html(page.body, page.http_charset)
        page.notes.extend(notes)
        text = _XML_DECL.sub("", decoded, count=1)
        text = _from_document_start(cap_attributes(self._unwrap_saved_forms(text), page.notes), page.notes)
        self.text = text  # engines test it for a word before scanning the whole tree for it
        # lxml parses UTF-8 bytes faster than a str (by more than encoding them costs); the declared
        # encoding makes libxml2 ignore the page's own meta charset, which decode_html already weighed.
        # Bytes that are that UTF-8 already (no BOM, nothing unwrapped) are parsed as they are: no copy.
        same = (text is decoded and self.encoding == "utf-8" and not page.body.startswith(codecs.BOM_UTF8)
                and not any(INVALID in n for n in notes))  # libxml2 would stop at a bad byte: parse the repair
        self.root = _parse(page.body if same else text.encode("utf-8", "surrogatepass"), TREE_FACTOR * max_bytes)
        limits = [e.message.strip() for e in _UTF8_PARSER.error_log if e.type_name == "ERR_RESOURCE_LIMIT"]
        if limits:
            page.notes.append(f"the HTML parser stopped early ({limits[0]}): later content is missing")
        if self.root is None:
            raise InputError("not an HTML document")
        if self.root.find("body") is None and len(self.root) == 0:
            raise InputError("not an HTML document")
        if "HEADER" in text:  # archive.today's div#HEADER; skip the lookup on every other page
            self._unwrap_archive_today()
        is_json = text.lstrip().startswith("{")
        if "</html>" not in text[-4096:].lower() and not is_json:  # JSON has no </html>
            page.notes.append("page looks truncated (no closing </html>)")
        if not page.url:
            page.url = self._infer_url()
        self.url = page.url  # None when only the site could be recovered
        # a JSON page's links are those its posts make to other sites: never a guess at its own
        site_base = self.url or site_url or (None if is_json else self._site_from_links())
        self.site = urlsplit(site_base).hostname if site_base else None
        self.base = self._base_url(site_base)
        parts = urlsplit(self.base) if self.base else None
        # Most links are root-relative: for those, joining is prefixing the origin (see ``absolute``).
        self._origin = f"{parts.scheme}://{parts.netloc}" if parts and parts.scheme in ("http", "https") \
            and parts.netloc else None
        if not self.site:
            page.notes.append("original site unknown; pass --site-url")
        elif not self.url:
            page.notes.append("page URL unknown (no canonical link); links resolved against the site root")

    def _unwrap_saved_forms(self, text: str) -> str:
        page = self.page
        head = text[:2048]
        saved = _SAVED_FROM.search(head)
        if saved and not page.url:
            self._set_original(saved.group(1))
        if "__wm." in text or "WAYBACK TOOLBAR" in text:
            m = _WOMBAT.search(text)
            if m and not page.url:
                self._set_original(f"https://web.archive.org/web/{m.group(2)}/{m.group(1)}")
            archived = _ARCHIVED_ON.search(text, max(0, len(text) - 4096))
            if archived and not page.capture_time:
                page.capture_time = datetime.strptime(archived.group(1), "%H:%M:%S %b %d, %Y").strftime(
                    "%Y-%m-%dT%H:%M:%SZ")
            text = _TOOLBAR.sub("", _REWRITE_JS.sub("", text, count=1), count=1)
            text = _TRAILER.sub("</html>", text, count=1)
            if page.source_type == "html":
                page.source_type = "wayback"
        return text

    def _unwrap_archive_today(self) -> None:
        """archive.today snapshots put the page under div#CONTENT after a div#HEADER naming the capture."""
        headers = self.root.xpath("//div[@id='HEADER']")
        if not headers or not re.search(_ARCHIVE_TODAY_HOSTS, text_content(headers[0]) + " ".join(
                headers[0].xpath(".//a/@href")), re.I):
            return
        header = headers[0]
        text = " ".join(text_content(header).split())
        page = self.page
        saved = _ARCHIVE_TODAY_SAVED.search(text)
        if saved and not page.url:
            page.url = saved.group(1)
            page.capture_time = page.capture_time or datetime.strptime(
                saved.group(2), "%d %b %Y %H:%M:%S").strftime("%Y-%m-%dT%H:%M:%SZ")
        snapshot = _ARCHIVE_TODAY_ID.search(" ".join(header.xpath(".//a/@href")) + " " + text)
        if snapshot and not page.archive_url:
            page.archive_url = snapshot.group(0)
        header.getparent().remove(header)

    def _set_original(self, url: str) -> None:
        original, ts, _mod = unwrap_wayback(url)
        page = self.page
        page.url = original
        if ts:
            page.archive_url = url if url.startswith("http") else "https://web.archive.org" + url
            page.capture_time = page.capture_time or wayback_timestamp_to_iso(ts)
            if page.capture_time is None:
                page.notes.append(f"capture time unknown (Wayback timestamp {ts[:14]!r} is not a full date)")
            if page.source_type == "html":
                page.source_type = "wayback"

    def _infer_url(self) -> str | None:
        """For pages saved without their URL: an absolute or replay canonical/shortlink."""
        for rel in ("canonical", "shortlink"):
            hrefs = self.root.xpath(f"/html/head/link[@rel='{rel}']/@href")
            if not hrefs:
                continue
            original, ts, _mod = unwrap_wayback(hrefs[0].strip())
            if ts:  # a replay page without the wombat script still has its canonical link rewritten
                self._set_original(hrefs[0].strip())
                return original
            if original.startswith(("http://", "https://")):
                return original
            site = self.site_url_option or self._site_from_links()
            return urljoin(site, original) if site else None
        return None

    def _site_from_links(self) -> str | None:
        for exprs in (_ABSOLUTE_ASSET, ("//a/@href",)):
            hosts: Counter[str] = Counter()
            for expr in exprs:
                for value in self.root.xpath(expr):
                    for found in _HTTP_URL.findall(value):
                        parts = urlsplit(unwrap_wayback(found)[0])
                        if parts.hostname and not parts.hostname.endswith("archive.org"):
                            hosts[f"{parts.scheme}://{parts.netloc}/"] += 1
            if hosts:
                return hosts.most_common(1)[0][0]
        return None

    def _base_url(self, site_base: str | None) -> str | None:
        bases = self.root.xpath("/html/head/base/@href")
        if bases and site_base:
            candidate = unwrap_wayback(bases[-1])[0]
            # A stale <base> (a saved copy's folder, an archive host) must not redirect site links.
            if urlsplit(candidate).hostname == self.site:
                return urljoin(site_base, candidate)
        return site_base

    def absolute(self, href: str | None) -> str | None:
        """The original-site URL of a link as written in the page (memoised: pages repeat their links)."""
        if not href:
            return None
        found = self._absolute.get(href)
        if found is None:
            found = self._absolute[href] = self._resolve(href)
        return found

    def _resolve(self, href: str) -> str:
        href = href.strip()
        if href.startswith(("javascript:", "mailto:", "data:")):
            return href
        if href.startswith("/") and not href.startswith("//") and href[:5].lower() != "/web/":
            pass  # root-relative and not an archive's replay path: nothing to unwrap
        else:
            original, _ts, _mod = unwrap_wayback(href)
            if original is not href:
                return original  # an archive's replay or redirect link
        if self._origin and _PLAIN_ROOT_PATH.fullmatch(href):
            return self._origin + href  # what urljoin returns for these, at a fraction of the cost
        if self._origin and href[:1] not in ("/", "?", "#", "") and _plain_relative(href):
            # "./viewtopic.php?p=5" or "viewtopic.php?p=5" (phpBB's links): the base's folder plus the name
            if self._folder is None:
                path = urlsplit(self.base).path
                self._folder = self._origin + (path[: path.rfind("/") + 1] or "/")
            return self._folder + (href[2:] if href.startswith("./") else href)
        if _PLAIN_ABSOLUTE.fullmatch(href):
            return href
        return urljoin(self.base, href) if self.base else href


def _from_document_start(text: str, notes: list[str]) -> str:
    """The page from its doctype or <html> on when text comes before it (a PHP warning printed ahead of the page, a
    pipeline's front matter): the parser would open the body there and put the head's meta and links in it."""
    m = _DOC_START.search(text, 0, 65536)
    if not m or not m.start() or text.lstrip().startswith("{") or not _COMMENT.sub("", text[:m.start()]).strip():
        return text
    notes.append(f"{m.start()} characters before the page's doctype or <html> left out")
    return text[m.start():]


def _parse(data: bytes, budget: int):
    """The page's tree, parsed a chunk at a time; InputError past ``budget`` bytes of new resident memory."""
    start = _resident() if budget else None
    try:
        if start is None or len(data) <= PARSE_CHUNK:  # one chunk: the check after it comes too late anyway
            return etree.fromstring(data, parser=_UTF8_PARSER)
        grown = 0
        for at in range(0, len(data), PARSE_CHUNK):
            try:
                _UTF8_PARSER.feed(data[at:at + PARSE_CHUNK])
                grown = _resident() - start
            except BaseException:
                _reset()  # an interrupted feed must not run on into the next page
                raise
            if grown > budget:
                _reset()
                raise InputError(
                    f"markup too dense to parse within the memory bound: its tree took over {grown / 1e6:.0f} MB"
                    f" after {(at + PARSE_CHUNK) / 1e6:.0f} MB of the page ({TREE_FACTOR} times --max-page-mb;"
                    " raise --max-page-mb to read it)")
        return _UTF8_PARSER.close()
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise InputError(f"cannot parse HTML: {exc}") from exc


def _reset() -> None:
    """Close the shared parser's unfinished document (the partial tree goes with it)."""
    try:
        _UTF8_PARSER.close()
    except (etree.ParserError, etree.XMLSyntaxError):
        pass


_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _resident() -> int | None:
    """This process's resident memory in bytes (Linux), else its peak so far (macOS, BSD); None elsewhere."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE_SIZE
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def _plain_relative(href: str) -> bool:
    """A relative link urljoin would only append to the base's folder: no scheme, no dot segments after an
    optional leading "./", and a plain path (see _PLAIN_ROOT_PATH)."""
    rest = href[2:] if href.startswith("./") else href
    head = rest.split("/", 1)[0].split("?", 1)[0]
    return ":" not in head and not rest.startswith(".") and _PLAIN_ROOT_PATH.fullmatch("/" + rest) is not None


def _looks_binary(body: bytes) -> bool:
    head = body[:1024]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text carries NULs
    return b"\x00" in head
