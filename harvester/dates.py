"""Dates as forums print them, normalised to ISO 8601 (UTC with Z when the zone is known)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_MONTHS = {
    name: i
    for i, names in enumerate(
        (
            ("january", "jan", "januar", "janvier", "enero", "gennaio"),
            ("february", "feb", "februar", "février", "fevrier", "febrero", "febbraio"),
            ("march", "mar", "märz", "maerz", "mars", "marzo"),
            ("april", "apr", "avril", "abril", "aprile"),
            ("may", "mai", "mayo", "maggio"),
            ("june", "jun", "juni", "juin", "junio", "giugno"),
            ("july", "jul", "juli", "juillet", "julio", "luglio"),
            ("august", "aug", "août", "aout", "agosto"),
            ("september", "sep", "sept", "septembre", "septiembre", "settembre"),
            ("october", "oct", "oktober", "octobre", "octubre", "ottobre"),
            ("november", "nov", "novembre", "noviembre"),
            ("december", "dec", "dezember", "décembre", "decembre", "diciembre", "dicembre"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<mon>[^\W\d_]{3,10})\.?"
_DATE_PATTERNS = [
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),
    re.compile(r"(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})\b"),
    re.compile(r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4}|\d{2})\b"),
    re.compile(_MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})"),
    re.compile(r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?" + _MONTH + r",?\s+(?P<y>\d{4})"),
]
_WEEKDAYS = {
    name: i
    for i, names in enumerate((
        ("monday", "mon", "montag", "mo", "lundi", "lun", "lunes"),
        ("tuesday", "tue", "tues", "dienstag", "di", "mardi", "mar", "martes"),
        ("wednesday", "wed", "mittwoch", "mi", "mercredi", "mer", "miércoles", "mie"),
        ("thursday", "thu", "thur", "thurs", "donnerstag", "do", "jeudi", "jeu", "jueves", "jue"),
        ("friday", "fri", "freitag", "fr", "vendredi", "ven", "viernes", "vie"),
        ("saturday", "sat", "samstag", "sa", "samedi", "sam", "sábado", "sab"),
        ("sunday", "sun", "sonntag", "so", "dimanche", "dim", "domingo", "dom"),
    ))
    for name in names
}
_WORD = re.compile(r"[^\W\d_]+")
_TIME = re.compile(r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?\s*(?P<ap>[ap]\.?\s?m\.?)?(?![\w])", re.I)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$")


def get_zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def _weekday(text: str) -> int | None:
    for word in _WORD.findall(text[:40]):
        if word.lower() in _WEEKDAYS:
            return _WEEKDAYS[word.lower()]
    return None


def _slash_order(raw: str) -> bool | None:
    """True if this slash date can only be day first, False if only month first, None if either."""
    m = _DATE_PATTERNS[1].search(raw or "")
    if not m:
        return None
    a, b = int(m["a"]), int(m["b"])
    if a > 12 >= b:
        return True
    if b > 12 >= a:
        return False
    weekday = _weekday(raw)
    if weekday is None or a == b:
        return None
    year = int(m["y"]) + (2000 if len(m["y"]) == 2 else 0)
    fits = []
    for day_first, (month, day) in ((False, (a, b)), (True, (b, a))):
        try:
            if date(year, month, day).weekday() == weekday:
                fits.append(day_first)
        except ValueError:
            pass
    return fits[0] if len(fits) == 1 else None


def day_first_order(raws) -> bool | None:
    """Whether slash dates read day first: settled by a day above 12 or by the weekday printed with it."""
    for raw in raws:
        order = _slash_order(raw)
        if order is not None:
            return order
    return None


def parse_display_date(raw: str | None, day_first: bool | None = None) -> datetime | None:
    """A naive datetime from a displayed date such as ``Thu, 2012-04-26 13:18``; None if unrecognised.

    Slash dates read month first (Drupal's default) unless ``day_first`` or the numbers say otherwise.
    """
    if not raw:
        return None
    text = raw.strip()
    for pattern in _DATE_PATTERNS:
        m = pattern.search(text)
        if not m:
            continue
        parts = m.groupdict()
        year = int(parts["y"])
        year += 2000 if year < 70 else (1900 if year < 100 else 0)
        if "mon" in parts:
            month = _MONTHS.get(parts["mon"].lower().rstrip("."))
            day = int(parts["d"])
            if month is None:
                continue
        elif "a" in parts:
            a, b = int(parts["a"]), int(parts["b"])
            if day_first is None:
                day_first = _slash_order(text)
            month, day = (b, a) if day_first or a > 12 else (a, b)
        else:
            month, day = int(parts["m"]), int(parts["d"])
        rest = text[: m.start()] + " " + text[m.end():]
        t = _TIME.search(rest)
        hour = minute = second = 0
        if t:
            hour, minute, second = int(t["h"]), int(t["mi"]), int(t["s"] or 0)
            ap = (t["ap"] or "").lower().replace(".", "").replace(" ", "")
            if ap == "pm" and hour < 12:
                hour += 12
            elif ap == "am" and hour == 12:
                hour = 0
        try:
            return datetime(year, month, day, hour, minute, second)
        except ValueError:
            return None
    return None


def parse_iso(value: str | None) -> datetime | None:
    if not value or not _ISO.match(value.strip()):
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def format_utc(dt: datetime) -> str:
    return dt.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def offset_label(dt: datetime) -> str:
    off = dt.utcoffset() or timedelta(0)
    sign = "-" if off < timedelta(0) else "+"
    minutes = abs(int(off.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def normalise(raw: str | None, iso: str | None = None, zone: ZoneInfo | None = None,
              day_first: bool | None = None):
    """Return (published, published_tz) from the displayed text, an ISO value in markup, and the site zone;
    (None, None) for a date no calendar holds once moved to UTC (year 1 at +01:00, year 9999 at -05:00)."""
    try:
        return _normalise(raw, iso, zone, day_first)
    except (OverflowError, ValueError):
        return None, None


def _normalise(raw, iso, zone, day_first):
    aware = parse_iso(iso)
    if aware is not None and aware.tzinfo is not None:
        return format_utc(aware), offset_label(aware)
    naive = aware or parse_display_date(raw, day_first)
    if naive is None:
        return None, None
    if zone is not None:
        return format_utc(naive.replace(tzinfo=zone)), zone.key
    return naive.isoformat(timespec="seconds"), None


_INTERVAL_PART = re.compile(r"(\d+)\s*(years?|months?|weeks?|days?|hours?|hrs?|min(?:ute)?s?|sec(?:ond)?s?)\b", re.I)
_UNIT_SECONDS = {"y": 365 * 86400, "mo": 30 * 86400, "w": 7 * 86400, "d": 86400, "h": 3600, "mi": 60, "s": 1}


def relative_to(raw: str | None, reference: str | None) -> str | None:
    """UTC time for Drupal's format_interval text ("3 days 2 hours ago") counted back from the capture time.

    Only as exact as the interval's smallest printed unit; None without a capture time or an interval.
    """
    if not raw or not reference or "ago" not in raw.lower():
        return None
    parts = _INTERVAL_PART.findall(raw)
    ref = parse_iso(reference)
    if not parts or ref is None:
        return None
    seconds = 0
    for number, unit in parts:
        unit = unit.lower()
        key = "mo" if unit.startswith("mo") else "mi" if unit.startswith("mi") else unit[0]
        seconds += int(number) * _UNIT_SECONDS[key]
    try:
        return format_utc(ref - timedelta(seconds=seconds))
    except (OverflowError, ValueError):
        return None
