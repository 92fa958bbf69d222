"""Build small web archives for the tests: WARCs through warcio's writer, ARC v1 files by hand, a WACZ zip."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from dataclasses import dataclass

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


def html(title: str, text: str = "", charset: str = "utf-8") -> bytes:
    return (f"<!DOCTYPE html>\n<html><head><meta charset=\"{charset}\"><title>{title}</title></head>"
            f"<body><h1>{title}</h1><p>{text or title}</p></body></html>\n").encode(charset)


def chunked(body: bytes, size: int = 40) -> bytes:
    parts = [b"%x\r\n%s\r\n" % (len(body[i:i + size]), body[i:i + size]) for i in range(0, len(body), size)]
    return b"".join(parts) + b"0\r\n\r\n"


@dataclass
class Rec:
    """One record to write; ``body`` is the decoded payload a reader should get back."""

    uri: str
    body: bytes = b""
    rec_type: str = "response"
    status: str = "200 OK"
    content_type: str | None = "text/html; charset=utf-8"
    date: str = "2021-03-04T05:06:07Z"
    record_id: str | None = None
    chunked: bool = False
    gzip: bool = False  # Content-Encoding: gzip
    warc_headers: dict | None = None
    extra_http: tuple = ()

    def http_headers(self) -> StatusAndHeaders:
        headers = []
        if self.content_type:
            headers.append(("Content-Type", self.content_type))
        if self.gzip:
            headers.append(("Content-Encoding", "gzip"))
        if self.chunked:
            headers.append(("Transfer-Encoding", "chunked"))
        headers.extend(self.extra_http)
        return StatusAndHeaders(self.status, headers, protocol="HTTP/1.1")

    def wire_payload(self) -> bytes:
        data = gzip.compress(self.body, mtime=0) if self.gzip else self.body
        return chunked(data) if self.chunked else data


def write_warc(path, recs: list[Rec], gz: bool = True, version: str = "1.1", warcinfo: bool = True) -> None:
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gz, warc_version=version)
        if warcinfo:
            info = writer.create_warcinfo_record(str(path).rsplit("/", 1)[-1], {"software": "tests"})
            writer.write_record(info)
        for n, rec in enumerate(recs):
            headers = {"WARC-Date": rec.date, "WARC-Record-ID": rec.record_id or f"<urn:uuid:00000000-0000-0000-0000"
                                                                                  f"-{n:012d}>"}
            headers.update(rec.warc_headers or {})
            if rec.rec_type in ("response", "revisit") and rec.uri.startswith("http"):
                payload = None if rec.rec_type == "revisit" else io.BytesIO(rec.wire_payload())
                if rec.rec_type == "revisit":
                    record = writer.create_revisit_record(
                        rec.uri, headers.pop("WARC-Payload-Digest"), headers.pop("WARC-Refers-To-Target-URI"),
                        headers.pop("WARC-Refers-To-Date"), http_headers=rec.http_headers(),
                        warc_headers_dict=headers)
                else:
                    record = writer.create_warc_record(rec.uri, "response", payload=payload,
                                                       http_headers=rec.http_headers(), warc_headers_dict=headers)
            elif rec.rec_type == "request":
                req = StatusAndHeaders(f"GET {rec.uri} HTTP/1.1", [("Host", "forum.example.org")],
                                       is_http_request=True)
                record = writer.create_warc_record(rec.uri, "request", http_headers=req, warc_headers_dict=headers)
            else:  # resource, metadata, a dns response: a block without HTTP headers
                headers["Content-Type"] = rec.content_type
                record = writer.create_warc_record(rec.uri, rec.rec_type, payload=io.BytesIO(rec.body),
                                                   length=len(rec.body), warc_content_type=rec.content_type,
                                                   warc_headers_dict=headers)
            writer.write_record(record)


def warcio_records(path) -> list[dict]:
    """What plain warcio sees in an intact file: type, URI, offset, length, digest, per record."""
    out = []
    with open(path, "rb") as fh:
        it = ArchiveIterator(fh)
        for record in it:
            h = record.rec_headers
            out.append({
                "type": record.rec_type,
                "uri": h.get_header("WARC-Target-URI") or h.get_header("uri"),
                "id": h.get_header("WARC-Record-ID"),
                "digest": h.get_header("WARC-Payload-Digest"),
                "offset": it.get_record_offset(),
                "length": it.get_record_length(),
            })
    return out


def write_arc(path, pages: list[tuple[str, str, bytes]], gz: bool = False) -> None:
    """ARC v1 from (uri, 14-digit date, HTTP response) triples: a filedesc record, then one record per page."""
    name = str(path).rsplit("/", 1)[-1]
    version_block = b"1 0 harvester-tests\nURL IP-address Archive-date Content-type Archive-length\n"
    records = [b"filedesc://%s 0.0.0.0 20110101000000 text/plain %d\n" % (name.encode(), len(version_block))
               + version_block + b"\n"]
    for uri, date, http in pages:
        records.append(b"%s 127.0.0.1 %s text/html %d\n" % (uri.encode(), date.encode(), len(http)) + http + b"\n")
    with open(path, "wb") as fh:
        for rec in records:
            fh.write(gzip.compress(rec, mtime=0) if gz else rec)


def http_response(body: bytes, content_type: str = "text/html", status: str = "200 OK") -> bytes:
    return (f"HTTP/1.0 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body


def write_wacz(path, warcs: dict[str, bytes]) -> None:
    """A minimal WACZ: WARCs stored under archive/, plus the package files replay tools expect."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, data in warcs.items():
            zf.writestr(f"archive/{name}", data)
        zf.writestr("pages/pages.jsonl", json.dumps({"format": "json-pages-1.0", "id": "pages"}) + "\n")
        zf.writestr("indexes/index.cdx", "")
        zf.writestr("datapackage.json", json.dumps({"profile": "data-package", "wacz_version": "1.1.1"}))
