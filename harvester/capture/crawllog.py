"""Heritrix ``crawl.log`` lines: timestamp, status, size, URI, discovery path, via, MIME, thread,
fetch start+duration, digest, source tag, annotations (space separated, ``-`` for empty)."""

from __future__ import annotations

import time

# Heritrix's negative fetch codes for outcomes without an HTTP status.
CODES = {"connect": -2, "reset": -3, "timeout": -4, "protocol": -3, "url": -7, "robots": -9998,
         "robots-failed": -61, "retries": -8, "quota": -5003}


def line(status: int, size: int, uri: str, hops: str, via: str | None, mime: str, started: float,
         duration: float, digest: str | None, annotations: list[str], now: float | None = None) -> str:
    now = time.time() if now is None else now
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{int(now * 1000) % 1000:03d}Z"
    begin = time.strftime("%Y%m%d%H%M%S", time.gmtime(started)) + f"{int(started * 1000) % 1000:03d}"
    return (f"{stamp} {status:5d} {size:10d} {uri} {hops or '-'} {via or '-'} {mime or '-'} #000 "
            f"{begin}+{int(duration * 1000)} {digest or '-'} - {','.join(annotations) or '-'}")
