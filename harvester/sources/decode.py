"""Turn page bytes into text: BOM, transport charset, meta charset, then what the bytes allow."""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]+)""", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# Browsers decode these labels as windows-1252 (WHATWG Encoding Standard), and old pages rely on it.
_AS_CP1252 = {"latin1", "latin_1", "iso8859_1", "ascii", "cp1252"}
_SINGLE_BYTE_HINT = re.compile(rb"[\x80-\xff]")


def _codec(label: str) -> str | None:
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    return "cp1252" if name.replace("-", "_") in _AS_CP1252 else name


def declared_charset(body: bytes) -> str | None:
    m = _META_CHARSET.search(body, 0, 4096)
    return m.group(1).decode("ascii", "replace") if m else None


def decode_html(body: bytes, http_charset: str | None = None) -> tuple[str, str, list[str]]:
    """Return (text, codec used, notes). Never raises: the last resort maps bytes one to one."""
    notes: list[str] = []
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(name, "replace"), name, notes

    candidates: list[str] = []
    for label, where in ((http_charset, "HTTP header"), (declared_charset(body), "meta tag")):
        if not label:
            continue
        name = _codec(label)
        if name is None:
            notes.append(f"unknown charset {label!r} in {where}, ignored")
        elif name not in candidates:
            candidates.append(name)

    if candidates and candidates[0] != "utf-8" and _looks_utf8(body):
        # A single-byte label on bytes that are valid, non-ASCII UTF-8 is a label that lies.
        notes.append(f"charset label says {candidates[0]} but the bytes are UTF-8")
        candidates.insert(0, "utf-8")
    for name in (*candidates, "utf-8", "cp1252"):
        try:
            text = body.decode(name)
        except (UnicodeDecodeError, LookupError):
            if name in candidates:
                notes.append(f"bytes are not valid {name} as labelled")
            continue
        return text, name, notes
    return body.decode("latin-1"), "latin-1", notes


def _looks_utf8(body: bytes) -> bool:
    if not _SINGLE_BYTE_HINT.search(body):
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
