"""CDXJ index for pywb / ReplayWeb.page: ``SURT TIMESTAMP {json}`` lines sorted by bytes."""

from __future__ import annotations

import json
import os
import re
from urllib.parse import parse_qsl, urlencode, urlsplit

_IP = re.compile(r"^\d+\.\d+\.\d+\.\d+$")


def surt(url: str) -> str:
    """The SURT key pywb uses: host labels reversed, ``www`` dropped, lower case, query sorted."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host.startswith("www.") or re.match(r"^www\d+\.", host):
        host = host.split(".", 1)[1]
    key = host if _IP.match(host) else ",".join(reversed(host.split(".")))
    if parts.port and parts.port not in (80, 443):
        key += f":{parts.port}"
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True))) if parts.query else ""
    path = (parts.path or "/").lower()
    return f"{key}){path}" + (f"?{query.lower()}" if query else "")


def index_file(path: str) -> list[bytes]:
    """Lines for the response, revisit and resource records of one WARC."""
    from warcio.archiveiterator import ArchiveIterator

    name = os.path.basename(path)
    lines = []
    with open(path, "rb") as fh:
        it = ArchiveIterator(fh)
        for record in it:
            rtype = record.rec_type
            if rtype not in ("response", "revisit", "resource"):
                continue
            headers = record.rec_headers
            uri = headers.get_header("WARC-Target-URI")
            date = headers.get_header("WARC-Date") or ""
            entry = {"url": uri}
            if record.http_headers is not None:
                entry["mime"] = "warc/revisit" if rtype == "revisit" else (
                    (record.http_headers.get_header("Content-Type") or "unk").split(";")[0].strip())
                entry["status"] = record.http_headers.get_statuscode()
            digest = headers.get_header("WARC-Payload-Digest")
            if digest:
                entry["digest"] = digest
            offset = it.get_record_offset()
            record.raw_stream.read()
            it.read_to_end(record)
            entry.update(length=str(it.get_record_length()), offset=str(offset), filename=name)
            stamp = re.sub(r"\D", "", date)[:14]
            lines.append(f"{surt(uri)} {stamp} {json.dumps(entry)}".encode())
    return lines


def write_index(warcs: list[str], out_path: str) -> int:
    lines = []
    for path in warcs:
        lines.extend(index_file(path))
    lines.sort()
    tmp = out_path + ".tmp"
    with open(tmp, "wb") as fh:
        for ln in lines:
            fh.write(ln + b"\n")
    os.replace(tmp, out_path)
    return len(lines)
