"""Shareable derivatives: keyed pseudonyms for people, masks for contact details, relative input paths.

A pseudonym is an HMAC-SHA256 of the participant's key under a secret key the user keeps: the same key gives the
same pseudonyms in every export (a longitudinal study can be extended), and without it nothing can be
reversed or confirmed by guessing names. The key is never written into the output; only a fingerprint
(an HMAC of a fixed text) lets a user check that two exports used the same key.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import posixpath
import re
from pathlib import Path

KEY_BYTES = 32
MAX_KEY_FILE = 4096

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
IPV4 = re.compile(r"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?!\.?\d)")
IPV6 = re.compile(r"(?<![\w:])(?:[0-9a-fA-F]{1,4}:){2,7}(?::|[0-9a-fA-F]{1,4})(?![\w:])|"
                  r"(?<![\w:])(?:[0-9a-fA-F]{1,4}:){1,6}:(?:[0-9a-fA-F]{1,4}:?){1,6}(?![\w:])")
# A phone number: an optional +country code, then 7 to 15 digits in groups separated by spaces, dots, dashes
# or brackets. Dates (2012-04-26), times and plain counts have fewer digits or other shapes.
PHONE = re.compile(r"(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,5}\)[\s.-]?)?\d{1,5}(?:[\s./-]\d{1,5}){1,5}(?!\w)")
_DATE_LIKE = re.compile(r"^(?:\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4})(?:\s|$)")
_URL = re.compile(r"https?://[^\s\"'<>]+")
MASKS = ((EMAIL, "[email]"), (IPV6, "[ip]"), (IPV4, "[ip]"))


class KeyError_(Exception):
    """The key file cannot be used."""


def load_key(path: str, create: bool = True) -> tuple[bytes, bool]:
    """(key, created): the secret key from ``path``, made (32 random bytes, mode 0600) when it is missing."""
    p = Path(path)
    if not p.exists():
        if not create:
            raise KeyError_(f"{path}: no such key file")
        fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(os.urandom(KEY_BYTES).hex().encode() + b"\n")
        return load_key(path, create=False)[0], True
    if not p.is_file():
        raise KeyError_(f"{path}: not a regular file")
    data = p.read_bytes()[: MAX_KEY_FILE + 1].strip()
    if len(data) < 16 or len(data) > MAX_KEY_FILE:
        raise KeyError_(f"{path}: a key must hold 16 to {MAX_KEY_FILE} bytes")
    return data, False


def _phone(m: re.Match) -> str:
    found = m.group()
    digits = sum(c.isdigit() for c in found)
    if not 7 <= digits <= 15 or _DATE_LIKE.match(found):
        return found
    return "[phone]"


def mask_contacts(text: str | None) -> str | None:
    """E-mail addresses, IP addresses and phone numbers replaced by [email], [ip], [phone]."""
    if not text:
        return text
    for pattern, mask in MASKS:
        text = pattern.sub(mask, text)
    return PHONE.sub(_phone, text)


class Pseudonymiser:
    """Replaces who said what, consistently across every table of one export (and of later ones, by key).

    ``learn(participant)`` is called for every participant row first: it records the names and profile URLs to
    look for in bodies. Names are replaced where they stand as whole words, case-sensitively (a user called
    "Rose" is replaced, the flower "rose" is not); a name shared by two people on a site gets a pseudonym of
    its own, since a body does not say which of them it means.
    """

    def __init__(self, key: bytes):
        self.key = key
        self.by_key: dict[str, str] = {}
        self.names: dict[tuple[str, str], set[str]] = {}
        self.urls: dict[str, str] = {}
        self._pattern: dict[str, re.Pattern | None] = {}

    def fingerprint(self) -> str:
        return hmac.new(self.key, b"harvester key fingerprint", hashlib.sha256).hexdigest()[:16]

    def token(self, *parts: str | None) -> str:
        message = "\0".join(p or "" for p in parts).encode("utf-8", "surrogatepass")
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()[:16]

    def person(self, key: str | None) -> str | None:
        """The pseudonym of a participant key: ``p-`` and 16 hex digits."""
        if key is None:
            return None
        found = self.by_key.get(key)
        if found is None:
            found = self.by_key[key] = "p-" + self.token("participant", key)
        return found

    def learn(self, participant: dict) -> None:
        site = participant.get("site") or "-"
        pseudonym = self.person(participant["key"])
        for name in {participant.get("name"), *(participant.get("names_seen") or ())}:
            if name and len(name) >= 2:
                self.names.setdefault((site, name), set()).add(pseudonym)
        if participant.get("url"):
            self.urls[participant["url"]] = pseudonym
        self._pattern.pop(site, None)

    def name(self, site: str | None, name: str | None) -> str | None:
        """A display name as it appears in quotes and bodies: its person's pseudonym when only one person of
        the site has it, else a pseudonym of the name itself."""
        if not name:
            return name
        people = self.names.get((site or "-", name))
        if people and len(people) == 1:
            return next(iter(people))
        return "n-" + self.token("name", site or "-", name)

    def url(self, url: str | None) -> str | None:
        if not url:
            return url
        return f"urn:pseudonym:{self.urls.get(url) or 'u-' + self.token('url', url)}"

    def text(self, site: str | None, text: str | None) -> str | None:
        """A body, title or quote: profile URLs, names, then contact details replaced."""
        if not text:
            return text
        if self.urls and "//" in text:
            text = _URL.sub(lambda m: f"urn:pseudonym:{self.urls[m.group()]}" if m.group() in self.urls
                            else m.group(), text)
        pattern = self._names_pattern(site or "-")
        if pattern is not None:
            text = pattern.sub(lambda m: m.group(1) + self.name(site, m.group(2)), text)
        return mask_contacts(text)

    def _names_pattern(self, site: str) -> re.Pattern | None:
        if site not in self._pattern:
            names = sorted((n for s, n in self.names if s == site), key=len, reverse=True)
            self._pattern[site] = re.compile(
                r"(?<![\w@])(@?)(" + "|".join(map(re.escape, names)) + r")(?!\w)") if names else None
        return self._pattern[site]


def relative_path(path: str | None, roots: list[str]) -> str | None:
    """An input path relative to the inputs given (their common folder), never an absolute machine path."""
    if not path:
        return path
    norm = path.replace(os.sep, "/")
    for root in roots:
        if root and (norm == root or norm.startswith(root.rstrip("/") + "/")):
            return posixpath.relpath(norm, root) if norm != root else posixpath.basename(norm)
    return posixpath.basename(norm)


def common_root(paths: list[str]) -> list[str]:
    """The folder holding all the given inputs (one root), for relative_path."""
    norm = [p.replace(os.sep, "/") for p in paths if p]
    if not norm:
        return []
    try:
        parent = posixpath.commonpath([posixpath.dirname(p) or "." for p in norm])
    except ValueError:  # absolute and relative paths mixed: each is reduced to its name
        return []
    return [parent] if parent else []
