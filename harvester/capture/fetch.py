"""A small HTTP client that keeps every byte it sends and receives, for WARC request/response records.

Why not requests or warcio's capture_http: requests re-creates headers from a parsed dict (case, order and
whitespace lost) and capture_http misses reused connections and digests chunk framing (see notes/warc.md).
Here the request is written and the response read on a plain socket, so the records hold the exchange
exactly as it happened. Requests are HTTP/1.0 with ``Connection: close`` (as Heritrix does): the server
then answers without chunked framing, so the payload digest is stable between fetches of the same page.
"""

from __future__ import annotations

import socket
import ssl
import time
import zlib
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

MAX_HEAD = 256 * 1024
_SAFE_PATH = "/%:@!$&'()*+,;=-._~?"


class FetchError(Exception):
    """No HTTP response: ``kind`` is connect, timeout, reset, protocol or url."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


@dataclass
class Exchange:
    """One request and the response as received (``head`` = status line + headers, ``body`` = raw bytes)."""

    url: str
    request: bytes
    head: bytes
    body: bytes
    status: int
    headers: list[tuple[str, str]]
    ip: str | None
    started: float
    duration: float
    truncated: str | None = None  # WARC-Truncated reason: length | disconnect | time
    notes: list[str] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        name = name.lower()
        for key, value in self.headers:
            if key.lower() == name:
                return value
        return None

    @property
    def raw(self) -> bytes:
        return self.head + self.body

    @property
    def mime(self) -> str:
        return (self.header("content-type") or "").split(";")[0].strip().lower() or "unknown"

    @property
    def charset(self) -> str | None:
        for part in (self.header("content-type") or "").split(";")[1:]:
            key, _, value = part.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'")
        return None

    def payload(self, max_bytes: int = 0) -> bytes:
        """The entity body decoded for parsing: chunk framing removed, gzip/deflate undone."""
        data = self.body
        if "chunked" in (self.header("transfer-encoding") or "").lower():
            data = dechunk(data)
        encoding = (self.header("content-encoding") or "").strip().lower()
        if encoding in ("gzip", "x-gzip", "deflate"):
            data = _decompress(data, encoding, max_bytes)
        return data


def dechunk(data: bytes) -> bytes:
    out, pos = [], 0
    while pos < len(data):
        end = data.find(b"\r\n", pos)
        if end < 0:
            break
        try:
            size = int(data[pos:end].split(b";")[0].strip() or b"0", 16)
        except ValueError:
            return data  # not really chunked: keep it as sent
        if size == 0:
            break
        out.append(data[end + 2:end + 2 + size])
        pos = end + 2 + size + 2
    return b"".join(out)


def _chunked_complete(data: bytes) -> bool:
    pos = 0
    while True:
        end = data.find(b"\r\n", pos)
        if end < 0:
            return False
        try:
            size = int(data[pos:end].split(b";")[0].strip() or b"x", 16)
        except ValueError:
            return True  # unparseable framing: cannot tell, do not call it torn
        if size == 0:
            return True
        pos = end + 2 + size + 2
        if pos > len(data):
            return False


def _decompress(data: bytes, encoding: str, max_bytes: int) -> bytes:
    wbits = 16 + zlib.MAX_WBITS if encoding != "deflate" else zlib.MAX_WBITS
    try:
        d = zlib.decompressobj(wbits)
        return d.decompress(data, max_bytes) if max_bytes else d.decompress(data)
    except zlib.error:
        if encoding == "deflate":  # servers send raw deflate despite the name
            try:
                return zlib.decompressobj(-zlib.MAX_WBITS).decompress(data)
            except zlib.error:
                pass
        return data


def parse_head(head: bytes) -> tuple[int, list[tuple[str, str]]]:
    lines = head.decode("iso-8859-1").split("\r\n") if b"\r\n" in head else head.decode("iso-8859-1").split("\n")
    parts = lines[0].split(None, 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
        raise FetchError("protocol", f"not an HTTP response: {lines[0][:80]!r}")
    headers = []
    for line in lines[1:]:
        if not line.strip():
            continue
        if line[0] in " \t" and headers:  # obsolete folding
            headers[-1] = (headers[-1][0], headers[-1][1] + " " + line.strip())
            continue
        name, _, value = line.partition(":")
        headers.append((name.strip(), value.strip()))
    return int(parts[1]), headers


def build_request(url: str, headers: list[tuple[str, str]]) -> tuple[bytes, str, int, bool]:
    """(request bytes, host, port, tls) for a GET of ``url``."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError("url", f"cannot fetch {url!r}")
    tls = parts.scheme == "https"
    try:
        port = parts.port or (443 if tls else 80)
    except ValueError as exc:
        raise FetchError("url", f"bad port in {url!r}") from exc
    host = parts.hostname.encode("idna").decode("ascii")
    host_header = host if parts.port is None else f"{host}:{parts.port}"
    target = quote(parts.path or "/", safe=_SAFE_PATH)
    if parts.query:
        target += "?" + quote(parts.query, safe=_SAFE_PATH)
    lines = [f"GET {target} HTTP/1.0", f"Host: {host_header}"]
    lines += [f"{k}: {v}" for k, v in headers]
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace"), host, port, tls


def fetch(url: str, headers: list[tuple[str, str]], *, timeout: float = 30.0, max_bytes: int = 100_000_000,
          allow_host=None, max_time: float | None = None) -> Exchange:
    """GET ``url`` once. Raises FetchError when no HTTP response head arrives.

    The body is read up to ``max_bytes`` (then cut, ``truncated="length"``); a connection that closes before
    Content-Length bytes or the last chunk gives ``truncated="disconnect"``. ``timeout`` bounds each read;
    ``max_time`` the whole exchange, so a server dripping a byte at a time cannot hold the crawl: the head
    must arrive in time (else FetchError timeout) and the body is cut there (``truncated="time"``).
    """
    request, host, port, tls = build_request(url, headers)
    started = time.time()
    t0 = time.monotonic()
    deadline = t0 + max_time if max_time else None
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError("connect", f"cannot resolve {host}: {exc}") from exc
    if allow_host is not None and not all(allow_host(info[4][0]) for info in infos):
        raise FetchError("url", f"{host} resolves to an address this crawl may not reach")
    try:
        sock = socket.create_connection((infos[0][4][0], port), timeout=timeout)
    except TimeoutError as exc:
        raise FetchError("timeout", f"connect to {host}:{port} timed out") from exc
    except OSError as exc:
        raise FetchError("connect", f"cannot connect to {host}:{port}: {exc}") from exc
    ip = sock.getpeername()[0]
    try:
        if tls:
            # An archive must capture what a dying forum serves, expired certificate or not; nothing is sent.
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            sock = ctx.wrap_socket(sock, server_hostname=host)
        sock.sendall(request)
        head, rest = _read_head(sock, deadline, timeout)
        status, parsed = parse_head(head)
        ex = Exchange(url=url, request=request, head=head, body=b"", status=status, headers=parsed, ip=ip,
                      started=started, duration=0.0)
        ex.body, ex.truncated = _read_body(sock, rest, ex, max_bytes, deadline, timeout)
    except TimeoutError as exc:
        raise FetchError("timeout", f"{url}: read timed out") from exc
    except (ConnectionError, ssl.SSLError) as exc:
        raise FetchError("reset", f"{url}: connection broken: {exc}") from exc
    except OSError as exc:
        raise FetchError("reset", f"{url}: {exc}") from exc
    finally:
        sock.close()
    ex.duration = time.monotonic() - t0
    return ex


def _time_left(sock, deadline: float | None, timeout: float) -> None:
    """Shorten the next read's timeout to what is left of the deadline; TimeoutError once it has passed."""
    if deadline is None:
        return
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("total deadline passed")
    sock.settimeout(min(timeout, left))


def _read_head(sock, deadline: float | None = None, timeout: float = 30.0) -> tuple[bytes, bytes]:
    buf = b""
    while True:
        end = buf.find(b"\r\n\r\n")
        if end >= 0:
            return buf[:end + 4], buf[end + 4:]
        lf = buf.find(b"\n\n")
        if lf >= 0:  # bare-LF servers exist
            return buf[:lf + 2], buf[lf + 2:]
        if len(buf) > MAX_HEAD:
            raise FetchError("protocol", "response headers too long")
        _time_left(sock, deadline, timeout)
        chunk = sock.recv(65536)
        if not chunk:
            if not buf:
                raise FetchError("reset", "connection closed before any response")
            raise FetchError("protocol", "connection closed inside the response headers")
        buf += chunk


def _read_body(sock, rest: bytes, ex: Exchange, max_bytes: int, deadline: float | None = None,
               timeout: float = 30.0) -> tuple[bytes, str | None]:
    if ex.status in (204, 304) or 100 <= ex.status < 200:
        return b"", None
    chunked = "chunked" in (ex.header("transfer-encoding") or "").lower()
    length = None
    if not chunked and (ex.header("content-length") or "").strip().isdigit():
        length = int(ex.header("content-length").strip())
    # Read into one buffer, sized up front when Content-Length is known: a large body is held once, never
    # as a list of chunks and their join.
    cap = max_bytes + 1 if length is None else min(length, max_bytes + 1)
    buf = bytearray(max(cap, len(rest)) if length is not None else len(rest))
    buf[:len(rest)] = rest
    size = len(rest)
    truncated = None
    while length is None or size < length:
        if size > max_bytes:
            break
        try:
            _time_left(sock, deadline, timeout)
            want = min(1 << 20, max(max_bytes + 1 - size, 1))
            if length is not None and size + want <= len(buf):
                got = sock.recv_into(memoryview(buf)[size:size + want])
                chunk = None
            else:
                chunk = sock.recv(want)
                got = len(chunk)
        except TimeoutError:
            truncated = "time"
            break
        except ConnectionError:
            truncated = "disconnect"
            break
        if not got:
            break
        if chunk is not None:
            buf[size:size + got] = chunk
        size += got
    del buf[size:]
    body = buf
    if len(body) > max_bytes:
        del body[max_bytes:]
        return body, "length"
    if length is not None and len(body) > length:
        del body[length:]
    if truncated is None:
        if length is not None and len(body) < length:
            truncated = "disconnect"
        elif chunked and not _chunked_complete(body):
            truncated = "disconnect"
    return body, truncated

