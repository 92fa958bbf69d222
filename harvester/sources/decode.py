"""Turn page bytes into text as browsers do: BOM, transport charset, meta charset, then what the bytes allow.

Only WHATWG Encoding Standard labels are obeyed (a page cannot ask for ``unicode_escape`` or ``cp037``), each
mapped to the encoding browsers really use for it, and bytes that are invalid in the chosen encoding become
U+FFFD with a note, as in a browser, instead of switching the whole page to another encoding.
"""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]+)""", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
INVALID = "invalid byte sequence(s)"  # the note's words when bytes were replaced
_SINGLE_BYTE_HINT = re.compile(rb"[\x80-\xff]")
_VALID_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")

# The WHATWG encodings, as Python codec names. Labels that Python resolves to anything else are ignored.
_WHATWG = frozenset({
    "utf-8", "cp866", "iso8859-2", "iso8859-3", "iso8859-4", "iso8859-5", "iso8859-6", "iso8859-7", "iso8859-8",
    "iso8859-10", "iso8859-13", "iso8859-14", "iso8859-15", "iso8859-16", "koi8-r", "koi8-u", "mac-roman",
    "cp874", "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
    "mac-cyrillic", "gbk", "gb18030", "big5hkscs", "euc_jp", "iso2022_jp", "cp932", "cp949", "utf-16-le",
    "utf-16-be"})
# Where browsers decode a label with another (larger) encoding than its name says, or Python lacks the label.
_AS_BROWSERS_DO = {
    "latin-1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252", "iso8859-9": "cp1254", "iso8859-11": "cp874",
    "tis-620": "cp874", "gb2312": "gbk", "big5": "big5hkscs", "euc_kr": "cp949", "shift_jis": "cp932",
    "utf-16": "utf-16-le", "x-sjis": "cp932", "ms_kanji": "cp932", "windows-31j": "cp932", "x-gbk": "gbk",
    "x-euc-jp": "euc_jp", "dos-874": "cp874", "x-cp1250": "cp1250", "x-cp1251": "cp1251", "x-cp1252": "cp1252",
    "x-cp1253": "cp1253", "x-cp1254": "cp1254", "x-cp1255": "cp1255", "x-cp1256": "cp1256", "x-cp1257": "cp1257",
    "x-cp1258": "cp1258", "x-mac-roman": "mac-roman", "x-mac-cyrillic": "mac-cyrillic", "unicode-1-1-utf-8": "utf-8",
    "unicode11utf8": "utf-8", "unicode20utf8": "utf-8", "x-unicode20utf8": "utf-8", "ks_c_5601-1987": "cp949",
    "windows-949": "cp949", "x-x-big5": "big5hkscs", "cn-big5": "big5hkscs", "csbig5": "big5hkscs",
}


def _codec(label: str, where: str) -> str | None:
    """The Python codec a browser's reading of this label amounts to; None for a label browsers do not know."""
    label = label.strip().lower()
    name = _AS_BROWSERS_DO.get(label)
    if name is None:
        try:
            name = codecs.lookup(label).name
        except LookupError:
            return None
        name = _AS_BROWSERS_DO.get(name, name)
    if name.startswith("utf-16") and where == "meta tag":
        return "utf-8"  # a meta tag readable as ASCII cannot be UTF-16: browsers read UTF-8 (WHATWG)
    return name if name in _WHATWG else None


def declared_charset(body: bytes) -> str | None:
    m = _META_CHARSET.search(body, 0, 4096)
    return m.group(1).decode("ascii", "replace") if m else None


def decode_html(body: bytes, http_charset: str | None = None) -> tuple[str, str, list[str]]:
    """Return (text, codec used, notes). Never raises."""
    notes: list[str] = []
    for bom, name in _BOMS:
        if body.startswith(bom):
            return _decode(body[len(bom):], name, notes), name, notes

    label = None
    for raw, where in ((http_charset, "HTTP header"), (declared_charset(body), "meta tag")):
        if not raw:
            continue
        name = _codec(raw, where)
        if name is None:
            notes.append(f"unknown charset {raw!r} in {where}, ignored")
        elif label is None:
            label = name

    if label is None:
        # unlabelled: UTF-8 when the bytes hold UTF-8 sequences, else windows-1252 (browsers' Western default)
        if _mostly_utf8(body):
            return _decode(body, "utf-8", notes), "utf-8", notes
        return body.decode("cp1252", "replace"), "cp1252", notes
    if label != "utf-8" and _looks_utf8(body):
        # a single-byte label on bytes that are valid, non-ASCII UTF-8 is a label that lies
        notes.append(f"charset label says {label} but the bytes are UTF-8")
        return body.decode("utf-8"), "utf-8", notes
    if label == "utf-8" and not _mostly_utf8(body):
        # no UTF-8 sequence at all among the non-ASCII bytes: an old page relabelled by a server, not a bad byte
        notes.append("bytes are not valid utf-8 as labelled; read as windows-1252")
        return body.decode("cp1252", "replace"), "cp1252", notes
    return _decode(body, label, notes), label, notes


def _decode(body: bytes, name: str, notes: list[str]) -> str:
    text = body.decode(name, "replace")
    try:
        body.decode(name)
    except UnicodeDecodeError:
        bad = text.count("\ufffd") - body.decode(name, "ignore").count("\ufffd")
        notes.append(f"{bad} {INVALID} for {name} replaced with U+FFFD")
    return text


def _looks_utf8(body: bytes) -> bool:
    if not _SINGLE_BYTE_HINT.search(body):
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _mostly_utf8(body: bytes) -> bool:
    """Valid UTF-8, or UTF-8 with a few damaged bytes: at least as many valid multi-byte sequences as bad bytes."""
    if not _SINGLE_BYTE_HINT.search(body):
        return True
    try:
        body.decode("utf-8")
        return True
    except UnicodeDecodeError:
        pass
    good = len(_VALID_MULTIBYTE.findall(body))
    if not good:
        return False
    bad = len(body.decode("utf-8", "replace")) - len(body.decode("utf-8", "ignore"))
    return good >= bad
