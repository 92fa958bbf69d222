"""Dates as forums print them, normalised to ISO 8601 (UTC with Z when the zone is known)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Languages whose month names, weekday names and relative day words are read, from the CLDR data Babel ships
# (format and stand-alone forms: Polish and Russian print months in the genitive inside a date).
LANGUAGES = ("en", "de", "fr", "es", "it", "nl", "pt", "pl", "ru")


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, int], dict[str, int], dict[str, int], re.Pattern]:
    """(month names, weekday names, relative day words, "N units ago" pattern) for LANGUAGES.

    Built on first use (about 40 ms), so pages that print only numbers never load the locale data.
    """
    from babel import Locale
    from babel.dates import get_day_names, get_month_names

    months: dict[str, int] = {"sept": 9}  # an English abbreviation CLDR does not list
    weekdays: dict[str, int] = {"tues": 1, "thur": 3, "thurs": 3}
    days: dict[str, int] = {}
    ago: list[str] = []
    for code in LANGUAGES:
        loc = Locale.parse(code)
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, loc).items():
                    months.setdefault(_fold(name), number)
                for number, name in get_day_names(width, context, loc).items():
                    weekdays.setdefault(_fold(name), number)
        for number, name in get_day_names("short", "format", loc).items():
            weekdays.setdefault(_fold(name), number)
        fields = loc._data["date_fields"]
        for offset, word in fields["day"]["relative"].items():
            if offset <= 0:
                days.setdefault(word.lower().replace("’", "'"), offset)
        for unit in _UNITS:
            for pattern in fields[unit]["past"].values():
                ago.append(re.escape(pattern).replace(r"\{0\}", rf"(?P<{unit}>\d+)", 1))
    # one named group per unit is not allowed twice: number the alternatives instead
    numbered = [re.sub(r"\(\?P<(\w+)>", lambda m, i=i: f"(?P<{m[1]}_{i}>", alt) for i, alt in enumerate(ago)]
    return months, weekdays, days, re.compile("|".join(f"(?:{alt})" for alt in numbered), re.I)


def _fold(name: str) -> str:
    return name.lower().rstrip(".")


_UNITS = {"year": 365 * 86400, "month": 30 * 86400, "week": 7 * 86400, "day": 86400, "hour": 3600,
          "minute": 60, "second": 1}


@lru_cache(maxsize=1)
def _day_words() -> re.Pattern:
    words = sorted(_tables()[2], key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(map(re.escape, words)) + r")(?!\w)", re.I)


_MONTH = r"(?P<mon>[^\W\d_]{3,13})\.?"  # "października", the longest of LANGUAGES
_DATE_PATTERNS = [
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),
    # month-day-year with slashes, or with dashes (vBulletin's default "m-d-Y": "03-14-2009")
    re.compile(r"(?P<a>\d{1,2})(?P<sep>[/-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})\b"),
    re.compile(r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4}|\d{2})\b"),
    re.compile(_MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})"),
    re.compile(r"(?P<d>\d{1,2})(?:st|nd|rd|th|er)?\.?\s+(?:of\s+|de\s+)?" + _MONTH + r",?\s+(?:de\s+)?(?P<y>\d{4})"),
]
_WORD = re.compile(r"[^\W\d_]+")
_TIME = re.compile(r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?\s*(?P<ap>[ap]\.?\s?m\.?)?(?![\w])", re.I)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$")


_ZONE_WORD = re.compile(r"(?:\s*(?:Uhr|h|o'clock)(?![\w]))?"
                        r"(?:\s*(?:\(?(?:UTC|GMT)?\s?[+-]\d{1,2}(?::?\d{2})?\)?|\(?[A-Z]{2,5}\)?)(?![\w]))?")


def trim_after_date(text: str) -> str:
    """The text up to the end of its date and time (and a zone printed after them).

    Themes print tags, categories or "3 comments" in the byline after the date; none of it belongs in the raw
    date. Text without a recognised date is returned unchanged.
    """
    for pattern in _DATE_PATTERNS:
        m = pattern.search(text)
        if m:
            break
    else:
        return text
    end = m.end()
    after = text[end:]
    t = _TIME.search(after)
    # the time belongs to the date when only a separator or a word such as "at" / "-" stands between them
    if t and len(after[:t.start()].strip(" ,-–—|@")) <= 3:
        end += t.end()
    zone = _ZONE_WORD.match(text, end)
    if zone:
        end = zone.end()
    return text[:end].rstrip() if text[end:].strip() else text


def get_zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


class StatedZone(tzinfo):
    """The zone a page says its times are in ("All times are UTC + 1 hour [ DST ]"): an IANA zone or a fixed offset.
    Dates read with it are sourced to the markup, not to --timezone."""

    def __init__(self, inner: tzinfo):
        self.inner = inner
        self.key = getattr(inner, "key", None)

    def utcoffset(self, dt):
        return self.inner.utcoffset(dt)

    def dst(self, dt):
        return self.inner.dst(dt)

    def tzname(self, dt):
        return self.inner.tzname(dt)

    def fromutc(self, dt):
        return self.inner.fromutc(dt.replace(tzinfo=self.inner)).replace(tzinfo=self)


def stated_zone(name: str | None = None, minutes: int | None = None) -> StatedZone | None:
    """A page's stated zone from an IANA name, else from an offset in minutes (within ±14 hours); None if neither."""
    if name:
        try:
            return StatedZone(ZoneInfo(name))
        except (ZoneInfoNotFoundError, ValueError):
            pass
    if minutes is not None and abs(minutes) <= 14 * 60:
        return StatedZone(timezone(timedelta(minutes=minutes)))
    return None


def _zoned(naive: datetime, zone: tzinfo) -> dict:
    """The fields of a wall-clock time in a known zone: the --timezone option's, or the one the page states."""
    aware = naive.replace(tzinfo=zone)
    stated = isinstance(zone, StatedZone)
    return _fields(format_utc(aware), _naive(naive), getattr(zone, "key", None) or offset_label(aware),
                   "markup" if stated else "option")


def _weekday(text: str) -> int | None:
    weekdays = _tables()[1]
    for word in _WORD.findall(text[:40]):
        if word.lower() in weekdays:
            return weekdays[word.lower()]
    return None


def _slash_date(raw: str | None):
    """The m/d/y or d/m/y match of a date, None when the date is ISO (read first, so never slashed)."""
    if not raw or _DATE_PATTERNS[0].search(raw):
        return None
    return _DATE_PATTERNS[1].search(raw)


def _slash_order(raw: str) -> bool | None:
    """True if this slash date can only be day first, False if only month first, None if either."""
    m = _slash_date(raw)
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


def order_by_capture(raws, captured: str | None) -> bool | None:
    """Day/month order from the capture time: a page cannot show a date after it was captured.

    Only the order under which every ambiguous date (both numbers 12 or less) falls on or before the capture
    day (a day's grace for time zones) is possible; None when both or neither are.
    """
    limit = parse_iso(captured) if captured else None
    if limit is None:
        return None
    latest = (limit.replace(tzinfo=None) + timedelta(days=1)).date()
    possible = {False: True, True: True}
    seen = False
    for raw in raws:
        m = _slash_date(raw)
        if not m or int(m["a"]) > 12 or int(m["b"]) > 12 or m["a"] == m["b"]:
            continue
        seen = True
        a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
        y += 2000 if y < 70 else (1900 if y < 100 else 0)
        for day_first, (month, day) in ((False, (a, b)), (True, (b, a))):
            try:
                if date(y, month, day) > latest:
                    possible[day_first] = False
            except ValueError:
                possible[day_first] = False
    fits = [order for order, ok in possible.items() if ok]
    return fits[0] if seen and len(fits) == 1 else None


def ambiguous_slash_dates(raws) -> bool:
    """Whether some slash date reads as two different days (03/08/2019: March 8 or 3 August)."""
    for raw in raws:
        m = _slash_date(raw)
        if m and int(m["a"]) <= 12 and int(m["b"]) <= 12 and m["a"] != m["b"]:
            return True
    return False


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
            month = _tables()[0].get(_fold(parts["mon"])) or _month_by_prefix(_fold(parts["mon"]))
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
        hour, minute, second = _clock(text[: m.start()] + " " + text[m.end():])
        try:
            return datetime(year, month, day, hour, minute, second)
        except ValueError:
            return None
    return None


def _clock(text: str) -> tuple[int, int, int]:
    """(hour, minute, second) of the first time in ``text``, 12-hour times made 24-hour; midnight when none."""
    t = _TIME.search(text)
    if not t:
        return 0, 0, 0
    hour = int(t["h"])
    ap = (t["ap"] or "").lower().replace(".", "").replace(" ", "")
    hour = hour + 12 if ap == "pm" and hour < 12 else 0 if ap == "am" and hour == 12 else hour
    return hour, int(t["mi"]), int(t["s"] or 0)


@lru_cache(maxsize=256)
def _month_by_prefix(word: str) -> int | None:
    """A shortening CLDR does not list ("Fév", "Juil" in phpBB's French pack): the one month whose names it begins."""
    if len(word) < 3:
        return None
    found = {number for name, number in _tables()[0].items() if name.startswith(word)}
    return found.pop() if len(found) == 1 else None


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
              day_first: bool | None = None) -> dict:
    """The published_* fields from the displayed text, an ISO value in markup, and the site zone.

    An offset in markup wins; a printed wall-clock time takes the site zone when one is given; otherwise
    only the local time is known and the instant stays null. A date no calendar holds once moved to UTC
    (year 1 at +01:00, year 9999 at -05:00) gives nothing.
    """
    try:
        return _normalise(raw, iso, zone, day_first)
    except (OverflowError, ValueError):
        return _fields(None, None, None, None)


# A date printed with its own zone after the time: "10:00 GMT", "10:00 am GMT+2", "18:20 UTC-05:00", "10:00 +0100".
# Zone abbreviations ("CET", "EST") name different offsets in different places, so only these are read.
_PRINTED_ZONE = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*[aApP]\.?\s?[mM]\.?)?(?:\s*Uhr)?\s*\(?(?:"
                           r"(?:UTC|GMT)(?:\s*(?P<s1>[+\-\u2212])\s*(?P<h1>\d{1,2})(?::?(?P<m1>\d{2}))?)?"
                           r"|(?P<s2>[+\-\u2212])(?P<h2>\d{2}):?(?P<m2>\d{2}))\)?\s*$")


def _printed_offset(raw: str | None) -> timezone | None:
    m = _PRINTED_ZONE.search(raw) if raw and ("UTC" in raw or "GMT" in raw or "+" in raw or "-" in raw
                                              or "\u2212" in raw) else None
    if m is None:
        return None
    sign, hours, minutes = (m["s1"], m["h1"], m["m1"]) if m["s2"] is None else (m["s2"], m["h2"], m["m2"])
    total = int(hours or 0) * 60 + int(minutes or 0)
    return timezone(timedelta(minutes=-total if sign in ("-", "\u2212") else total)) if total <= 14 * 60 else None


def _normalise(raw, iso, zone, day_first) -> dict:
    aware = parse_iso(iso)
    if aware is not None and aware.tzinfo is not None:
        return _fields(format_utc(aware), _naive(aware), offset_label(aware), "markup")
    naive = aware or parse_display_date(raw, day_first)
    if naive is None:
        return _fields(None, None, None, None)
    printed = _printed_offset(raw) if aware is None else None
    if printed is not None:  # the date's own offset beats any zone of the page or the option
        aware = naive.replace(tzinfo=printed)
        return _fields(format_utc(aware), _naive(naive), offset_label(aware), "markup")
    if zone is not None:
        return _zoned(naive, zone)
    return _fields(None, _naive(naive), None, None)


def _naive(dt: datetime) -> str:
    return dt.replace(tzinfo=None, microsecond=0).isoformat(timespec="seconds")


def _fields(utc, local, tz, source, approximate: bool = False) -> dict:
    return {"published_utc": utc, "published_local": local, "published_tz": tz, "published_tz_source": source,
            "published_approximate": approximate}


def finish_dates(posts: list[dict], zone: ZoneInfo | None, captured: str | None, notes: list | None = None) -> None:
    """Set the published_* fields of one page's posts from ``published_raw`` and the engine's ``_iso``.

    Dates of one page share the site's format, so one unambiguous date settles day/month order (else the capture
    time may: no date can follow it; else month first, with a note). A date
    printed relative to the page's rendering ("3 days 2 hours ago") is counted back from the capture time
    when there is one, and marked approximate. A date that cannot be read stays null, with a note in ``notes``
    (the capture row's reason).
    """
    shown = [p["published_raw"] for p in posts if not p.get("_iso")]
    day_first = day_first_order(shown)
    if day_first is None:
        day_first = order_by_capture(shown, captured)
    if day_first is None and notes is not None and ambiguous_slash_dates(shown):
        notes.append("day/month order of the dates not settled by the page or its capture time: read month first")
    for post in posts:
        fields = normalise(post["published_raw"], post.pop("_iso", None), zone, day_first)
        if fields["published_local"] is None and fields["published_utc"] is None and post["published_raw"]:
            fields = (day_word_fields(post["published_raw"], captured, zone)
                      or relative_fields(post["published_raw"], captured, zone)
                      or yearless_fields(post["published_raw"], captured, zone) or fields)
            if fields["published_local"] is None and fields["published_utc"] is None and notes is not None:
                if not captured and relative_to(post["published_raw"], "2000-01-01T00:00:00Z"):
                    notes.append(f"relative date {post['published_raw'][:40]!r} of {post.get('id')}: no capture "
                                 "time to count it back from, left null")
                else:
                    notes.append(f"unreadable date {post['published_raw'][:40]!r} of {post.get('id')}: left null")
        post.update(fields)


def day_word_fields(raw: str, captured: str | None, zone: ZoneInfo | None) -> dict | None:
    """"Today, 10:15 AM", "Heute, 10:15", "Yesterday at 09:02": the day counted from the capture time.

    With the site's zone the capture is placed in the site's calendar and the time is exact; without it the
    capture's UTC date stands in for the site's, which can be a day off: then the time is approximate and no
    instant is given. Without a capture time nothing can be said.
    """
    m = _day_words().search(raw.replace("\u2019", "'"))
    ref = parse_iso(captured)
    if m is None or ref is None:
        return None
    offset = _tables()[2][m.group(1).lower()]
    hour, minute, second = _clock(raw)
    if hour > 23 or minute > 59 or second > 59:
        return None
    day = (ref.astimezone(zone) if zone is not None else ref).date() + timedelta(days=offset)
    naive = datetime(day.year, day.month, day.day, hour, minute, second)
    if zone is not None:
        return _zoned(naive, zone)
    return _fields(None, _naive(naive), None, None, approximate=True)


_YEARLESS = (re.compile(_MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\b"),
             re.compile(r"\b(?P<d>\d{1,2})(?:st|nd|rd|th|er)?\.?\s+(?:de\s+)?" + _MONTH))


def yearless_fields(raw: str, captured: str | None, zone: ZoneInfo | None) -> dict | None:
    """"Jun 20th at 2:41 am": a date printed without its year, as sites print this year's dates (WordPress.com
    comments), placed in the capture's year, or the year before when that day would follow the capture."""
    ref = parse_iso(captured)
    if ref is None or re.search(r"\b\d{4}\b", raw):
        return None
    for pattern in _YEARLESS:
        m = pattern.search(raw)
        month = _tables()[0].get(_fold(m["mon"])) if m else None
        if month:
            break
    else:
        return None
    hour, minute, _second = _clock(raw[: m.start()] + " " + raw[m.end():])
    today = (ref.astimezone(zone) if zone is not None else ref).date()
    try:
        day = date(today.year, month, int(m["d"]))
        if day > today + timedelta(days=1):
            day = date(today.year - 1, month, int(m["d"]))
        naive = datetime(day.year, day.month, day.day, hour, minute)
    except ValueError:
        return None
    if zone is not None:
        return _zoned(naive, zone)
    return _fields(None, _naive(naive), None, None, approximate=True)


def relative_fields(raw: str | None, captured: str | None, zone: ZoneInfo | None) -> dict | None:
    """published_* fields of an interval ("3 days ago") counted back from the capture time, or None."""
    utc = relative_to(raw, captured)
    if utc is None:
        return None
    local = _naive(parse_iso(utc).astimezone(zone)) if zone is not None else None
    return _fields(utc, local, "UTC", "capture", approximate=True)


_INTERVAL_PART = re.compile(r"(\d+)\s*(years?|months?|weeks?|days?|hours?|hrs?|min(?:ute)?s?|sec(?:ond)?s?)\b", re.I)
_UNIT_SECONDS = {"y": 365 * 86400, "mo": 30 * 86400, "w": 7 * 86400, "d": 86400, "h": 3600, "mi": 60, "s": 1}


def relative_to(raw: str | None, reference: str | None) -> str | None:
    """UTC time for Drupal's format_interval text ("3 days 2 hours ago") counted back from the capture time.

    Only as exact as the interval's smallest printed unit; None without a capture time or an interval.
    """
    ref = parse_iso(reference)
    if not raw or ref is None:
        return None
    parts = _INTERVAL_PART.findall(raw) if "ago" in raw.lower() else None
    if not parts:
        # one unit in any of LANGUAGES: "vor 3 Stunden", "il y a 2 jours", "3 giorni fa", "5 минут назад"
        m = _tables()[3].search(raw)
        value = next(((k, v) for k, v in m.groupdict().items() if v), None) if m else None
        if value is None:
            return None
        return format_utc(ref - timedelta(seconds=int(value[1]) * _UNITS[value[0].rsplit("_", 1)[0]]))
    seconds = 0
    for number, unit in parts:
        unit = unit.lower()
        key = "mo" if unit.startswith("mo") else "mi" if unit.startswith("mi") else unit[0]
        seconds += int(number) * _UNIT_SECONDS[key]
    try:
        return format_utc(ref - timedelta(seconds=seconds))
    except (OverflowError, ValueError):
        return None
