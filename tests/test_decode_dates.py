"""Decoding page bytes and reading displayed dates."""

import codecs

import pytest

from harvester.dates import finish_dates, get_zone, normalise, order_by_capture, parse_display_date
from harvester.sources.decode import decode_html

TEXT = "José Müller said “hello” – 5 €"


def html(charset_meta: str, text: str = TEXT) -> str:
    return f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset_meta}"></head>' \
           f"<body><p>{text}</p></body></html>"


@pytest.mark.parametrize(
    "data, http_charset, expect_codec, note",
    [
        (html("utf-8").encode("utf-8"), None, "utf-8", None),
        (html("windows-1252").encode("cp1252"), None, "cp1252", None),
        # latin-1 labels mean windows-1252 to browsers: curly quotes and the euro sign live in 0x80-0x9f
        (html("iso-8859-1").encode("cp1252"), None, "cp1252", None),
        # a label that lies: says latin-1, bytes are UTF-8
        (html("iso-8859-1").encode("utf-8"), None, "utf-8", "bytes are UTF-8"),
        # says UTF-8, bytes are windows-1252
        (html("utf-8").encode("cp1252"), None, "cp1252", "not valid utf-8"),
        (html("x-made-up").encode("utf-8"), None, "utf-8", "unknown charset"),
        (codecs.BOM_UTF8 + html("iso-8859-1").encode("utf-8"), None, "utf-8", None),
        (codecs.BOM_UTF16_LE + html("utf-8").encode("utf-16-le"), None, "utf-16-le", None),
        # the transport header outranks the meta tag
        (html("utf-8").encode("cp1252"), "windows-1252", "cp1252", None),
    ],
)
def test_decode(data, http_charset, expect_codec, note):
    text, codec, notes = decode_html(data, http_charset)
    assert codec == expect_codec
    assert TEXT in text
    if note:
        assert any(note in n for n in notes), notes
    else:
        assert notes == []


@pytest.mark.parametrize(
    "shown, expect",
    [
        ("Thu, 2012-04-26 13:18", "2012-04-26T13:18:00"),  # the seed site's format
        ("Thu, 04/26/2012 - 13:18", "2012-04-26T13:18:00"),  # Drupal 7 default medium
        ("04/26/2012 - 13:18", "2012-04-26T13:18:00"),  # short
        ("Thursday, April 26, 2012 - 13:18", "2012-04-26T13:18:00"),  # long
        ("Thu, 04/26/2012 - 13:18.", "2012-04-26T13:18:00"),  # Drupal 6 comment period
        ("26 April 2012 - 1:18pm", "2012-04-26T13:18:00"),
        ("April 26, 2012 at 12:05 am", "2012-04-26T00:05:00"),
        ("26.04.2012 - 13:18", "2012-04-26T13:18:00"),
        ("26/04/2012 - 13:18", "2012-04-26T13:18:00"),
        ("Do, 26. April 2012 - 13:18", "2012-04-26T13:18:00"),
        ("2012-04-26", "2012-04-26T00:00:00"),
    ],
)
def test_display_dates(shown, expect):
    assert parse_display_date(shown).isoformat() == expect


def test_unrecognised_date_is_none():
    assert parse_display_date("3 days 4 hours ago") is None
    assert normalise("3 days 4 hours ago") == {"published_utc": None, "published_local": None, "published_tz": None,
                                              "published_tz_source": None, "published_approximate": False}


def test_normalise_prefers_markup_offset_then_zone_then_local():
    def short(raw, iso=None, zone=None):
        f = normalise(raw, iso, zone)
        return f["published_utc"], f["published_local"], f["published_tz"], f["published_tz_source"]

    # the markup's offset: the instant, and the wall clock as printed in that offset
    assert short("Thu, 2012-04-26 13:18", "2012-04-26T13:18:00+02:00") == (
        "2012-04-26T11:18:00Z", "2012-04-26T13:18:00", "+02:00", "markup")
    brussels = get_zone("Europe/Brussels")
    # winter and summer time of the site's zone
    assert short("Thu, 2012-01-26 13:18", None, brussels) == (
        "2012-01-26T12:18:00Z", "2012-01-26T13:18:00", "Europe/Brussels", "option")
    assert short("Thu, 2012-04-26 13:18", None, brussels) == (
        "2012-04-26T11:18:00Z", "2012-04-26T13:18:00", "Europe/Brussels", "option")
    # no zone anywhere: the wall clock only, never passed off as UTC
    assert short("Thu, 2012-04-26 13:18") == (None, "2012-04-26T13:18:00", None, None)


def test_unknown_zone_is_rejected():
    with pytest.raises(ValueError):
        get_zone("Mars/Olympus")


def test_day_month_order_from_the_page():
    from harvester.dates import day_first_order

    # 10 March 2012 was a Saturday, 3 October 2012 a Wednesday: the weekday settles it
    assert parse_display_date("Sat, 10/03/2012 - 09:41").isoformat() == "2012-03-10T09:41:00"
    assert parse_display_date("Wed, 10/03/2012 - 09:41").isoformat() == "2012-10-03T09:41:00"
    assert day_first_order(["Sun, 11/03/2012 - 08:30"]) is True
    assert day_first_order(["Thu, 22/03/2012 - 18:05"]) is True
    assert day_first_order(["Thu, 04/26/2012 - 13:18"]) is False
    assert day_first_order(["04/05/2012 - 13:18"]) is None
    # one settled date on a page fixes the others
    assert parse_display_date("04/05/2012 - 13:18", day_first=True).isoformat() == "2012-05-04T13:18:00"
    assert parse_display_date("04/05/2012 - 13:18").isoformat() == "2012-04-05T13:18:00"


def test_relative_dates_count_back_from_the_capture_time():
    from harvester.dates import relative_to

    assert relative_to("3 days 2 hours ago", "2012-11-05T17:30:12Z") == "2012-11-02T15:30:12Z"
    assert relative_to("Submitted by x 1 week 2 days ago", "2012-11-05T17:30:12Z") == "2012-10-27T17:30:12Z"
    assert relative_to("5 min 3 sec ago", "2012-11-05T17:30:12Z") == "2012-11-05T17:25:09Z"
    assert relative_to("1 year 2 months ago", "2012-11-05T17:30:12Z") == "2011-09-07T17:30:12Z"
    assert relative_to("3 days 2 hours ago", None) is None  # no capture time: stays unknown
    assert relative_to("Thu, 2012-04-26 13:18", "2012-11-05T17:30:12Z") is None


def test_engine_marks_relative_dates_as_approximate():
    from harvester.document import Document
    from harvester.engines import drupal
    from harvester.model import Page
    from tests import pages

    html = pages.page(pages.comment(11, shown="2 days 3 hours ago"))
    page = Page(source_file="t", source_type="wayback", body=html.encode(), capture_time="2012-11-05T17:30:12Z")
    comment = drupal.parse(Document(page)).posts[1]
    assert (comment["published_utc"], comment["published_tz"], comment["published_tz_source"]) == (
        "2012-11-03T14:30:12Z", "UTC", "capture")
    assert comment["published_local"] is None  # no site zone: the wall clock is unknown
    assert comment["published_raw"] == "2 days 3 hours ago"
    assert comment["published_approximate"] is True


@pytest.mark.parametrize("shown, expect", [
    ("12. Januar 2012, 14:30", "2012-01-12T14:30:00"),          # German
    ("mer. 14 mars 2012 18:03", "2012-03-14T18:03:00"),         # French, abbreviated weekday
    ("12 de enero de 2012, 10:15", "2012-01-12T10:15:00"),      # Spanish
    ("3 ottobre 2013, 08:00", "2013-10-03T08:00:00"),           # Italian
    ("7 februari 2011 om 21:40", "2011-02-07T21:40:00"),        # Dutch
    ("12 de janeiro de 2012 14:30", "2012-01-12T14:30:00"),     # Portuguese
    ("3 października 2013 o 09:15", "2013-10-03T09:15:00"),     # Polish genitive
    ("5 марта 2011, 10:02", "2011-03-05T10:02:00"),             # Russian genitive
])
def test_month_names_in_board_languages(shown, expect):
    assert parse_display_date(shown).isoformat() == expect


def test_relative_dates_in_board_languages():
    from harvester.dates import relative_to

    captured = "2012-11-05T17:30:12Z"
    assert relative_to("vor 3 Stunden", captured) == "2012-11-05T14:30:12Z"
    assert relative_to("il y a 2 jours", captured) == "2012-11-03T17:30:12Z"
    assert relative_to("5 минут назад", captured) == "2012-11-05T17:25:12Z"
    assert relative_to("hace 1 semana", captured) == "2012-10-29T17:30:12Z"


def test_today_and_yesterday_count_from_the_capture_time():
    from harvester.dates import day_word_fields

    berlin = get_zone("Europe/Berlin")
    # 23:30 UTC is already the next day in Berlin: "Heute" is the 6th there
    f = day_word_fields("Heute, 10:15", "2012-11-05T23:30:12Z", berlin)
    assert (f["published_utc"], f["published_local"], f["published_approximate"]) == (
        "2012-11-06T09:15:00Z", "2012-11-06T10:15:00", False)
    # no zone: the capture's UTC date stands in, so the wall clock is approximate and no instant is claimed
    f = day_word_fields("Yesterday, 09:02 PM", "2012-11-05T17:30:12Z", None)
    assert (f["published_utc"], f["published_local"], f["published_approximate"]) == (
        None, "2012-11-04T21:02:00", True)
    assert day_word_fields("Aujourd\u2019hui à 14:30", "2012-11-05T17:30:12Z", None)["published_local"] == (
        "2012-11-05T14:30:00")
    assert day_word_fields("Today, 10:15 AM", None, None) is None  # nothing to count from


@pytest.mark.parametrize("raw, date_only", [
    ("Wed, 03/13/2013 - 09:40 in Transport, Harbour | 3 comments", "Wed, 03/13/2013 - 09:40"),
    ("March 3, 2011 - 4:05pm Economy 12 comments", "March 3, 2011 - 4:05pm"),
    ("26.04.2012 13:18 Uhr Kategorie: Politik", "26.04.2012 13:18 Uhr"),
    ("26 April 2012 at 13:18 CET Tags: maps", "26 April 2012 at 13:18 CET"),
    ("12 januari 2011 om 14:00 — reacties (3)", "12 januari 2011 om 14:00"),
    # nothing after the date and time (or only their zone): unchanged
    ("Thu, 2012-04-26 13:18 +0200", "Thu, 2012-04-26 13:18 +0200"),
    ("2012-04-26 13:18 (UTC+2)", "2012-04-26 13:18 (UTC+2)"),
    ("26.04.2012 13:18 Uhr", "26.04.2012 13:18 Uhr"),
    ("April 26, 2012", "April 26, 2012"),
    ("no date at all, 3 comments", "no date at all, 3 comments"),
])
def test_trim_after_date_keeps_the_date_time_and_zone_only(raw, date_only):
    from harvester.dates import trim_after_date

    assert trim_after_date(raw) == date_only
    assert parse_display_date(trim_after_date(raw)) == parse_display_date(raw)


def test_one_invalid_byte_in_a_utf8_page_is_one_replacement_character_with_a_note():
    data = html("utf-8").encode("utf-8").replace(b"<p>", b"<p>\xff", 1)
    text, codec, notes = decode_html(data)
    assert codec == "utf-8"
    assert TEXT in text and text.count("\ufffd") == 1  # not the whole page as windows-1252 mojibake
    assert any("1 invalid byte" in n for n in notes), notes
    # unlabelled, the same bytes read as UTF-8 too: most of the non-ASCII bytes form UTF-8 sequences
    text, codec, notes = decode_html(data.replace(b"charset=utf-8", b""))
    assert (codec, text.count("\ufffd")) == ("utf-8", 1) and TEXT in text


@pytest.mark.parametrize("label", ["cp037", "unicode_escape", "rot13", "utf-7", "hex", "base64", "idna"])
def test_labels_browsers_do_not_know_are_ignored(label):
    text, codec, notes = decode_html(html(label).encode("utf-8"))
    assert codec == "utf-8" and TEXT in text
    assert any("unknown charset" in n for n in notes)


def test_labels_mean_what_they_mean_to_browsers():
    ascii_page = html("utf-16", "plain words").encode("ascii")
    assert decode_html(ascii_page)[1:] == ("utf-8", [])  # a meta tag saying UTF-16 means UTF-8 (WHATWG)
    assert decode_html(ascii_page, "utf-16")[1] == "utf-16-le"  # a transport label is obeyed
    assert decode_html(html("iso-8859-9", "Çağ").encode("cp1254"))[0].count("Çağ") == 1  # read as windows-1254
    assert decode_html(html("gb2312").encode("utf-8").replace(b"utf-8", b"gb2312"))[1] in ("gbk", "utf-8")
    assert decode_html(html("shift_jis", "日本語").encode("cp932"))[1] == "cp932"


def _posts(*raws):
    return [{"id": f"p{n}", "published_raw": raw} for n, raw in enumerate(raws)]


@pytest.mark.parametrize("raws, captured, local", [
    # 8 March or 3 August? Captured on 10 March 2019: 3 August had not happened yet, so day first
    (("08-03-2019, 10:15", "09-03-2019, 11:00"), "2019-03-10T12:00:00Z", "2019-03-08T10:15:00"),
    # the same numbers month first: 3 August to 3 September, captured in September: 8 March would also fit,
    # but 9 March is before 3 September too, so both orders fit and the page stays month first (with a note)
    (("08/03/2019 10:15", "09/03/2019 11:00"), "2019-09-05T00:00:00Z", "2019-08-03T10:15:00"),
    # captured 5 August: day first gives 8 and 9 March, month first 3 August and 3 September (after the capture)
    (("08/03/2019 10:15", "09/03/2019 11:00"), "2019-08-05T00:00:00Z", "2019-03-08T10:15:00"),
])
def test_capture_time_settles_day_and_month_order(raws, captured, local):
    posts, notes = _posts(*raws), []
    finish_dates(posts, None, captured, notes)
    assert posts[0]["published_local"] == local
    assert bool(notes) == (captured == "2019-09-05T00:00:00Z")  # the unsettled page says so


def test_order_by_capture_ignores_iso_dates_and_unambiguous_ones():
    assert order_by_capture(["2008-05-14 19:02:33"], "2008-05-01T00:00:00Z") is None
    assert order_by_capture(["25/03/2019"], "2019-01-01T00:00:00Z") is None  # no ambiguous date to settle
    assert order_by_capture(["04/05/2019"], None) is None
    notes: list = []
    finish_dates(_posts("2008-05-14 19:02:33", "2008-05-15 08:00:00"), None, None, notes)
    assert notes == []


def test_relative_date_without_capture_time_is_said_to_be_relative():
    """A saved page with "3 hours ago" and no capture time: null, and the note says why (not 'unreadable')."""
    posts, notes = _posts("3 hours ago", "vor 2 Tagen", "at teatime"), []
    finish_dates(posts, None, None, notes)
    assert [p["published_utc"] for p in posts] == [None, None, None]
    assert [n.split(" ", 1)[0] for n in notes] == ["relative", "relative", "unreadable"]
    posts, notes = _posts("3 hours ago"), []
    finish_dates(posts, None, "2023-05-04T12:00:00Z", notes)
    assert posts[0]["published_utc"] == "2023-05-04T09:00:00Z" and notes == []


@pytest.mark.parametrize("raw, captured, zone, local, utc", [
    # WordPress.com prints this year's comment dates without the year: the capture's year
    ("Jun 20th at 2:41 am", "2019-08-01T10:00:00Z", None, "2019-06-20T02:41:00", None),
    # a day after the capture cannot be this year's: the year before
    ("Jun 20th at 2:41 pm", "2019-03-01T10:00:00Z", None, "2018-06-20T14:41:00", None),
    ("20. Juni um 14:05", "2019-08-01T10:00:00Z", "Europe/Berlin", "2019-06-20T14:05:00", "2019-06-20T12:05:00Z"),
])
def test_dates_without_a_year_take_the_capture_s(raw, captured, zone, local, utc):
    posts = _posts(raw)
    finish_dates(posts, get_zone(zone) if zone else None, captured, [])
    assert posts[0]["published_local"] == local and posts[0]["published_utc"] == utc
    assert posts[0]["published_approximate"] is (zone is None)


def test_dates_without_a_year_and_no_capture_stay_null():
    posts, notes = _posts("Jun 20th at 2:41 am"), []
    finish_dates(posts, None, None, notes)
    assert posts[0]["published_local"] is None and "unreadable" in notes[0]
    posts = _posts("Mayor 5 resigned")  # not a month: nothing is made up
    finish_dates(posts, None, "2019-08-01T10:00:00Z", [])
    assert posts[0]["published_local"] is None


@pytest.mark.parametrize(("raw", "utc", "tz"), [
    ("Mon, 01/02/2017 - 10:00 GMT", "2017-01-02T10:00:00Z", "+00:00"),
    ("January 2, 2017 at 10:00 am GMT+2", "2017-01-02T08:00:00Z", "+02:00"),
    ("02.01.2017 10:00 +0100", "2017-01-02T09:00:00Z", "+01:00"),
    ("12.05.2019 um 18:20 Uhr (UTC+02:00)", "2019-05-12T16:20:00Z", "+02:00"),
    ("5 May 2019 18:20 UTC\u22123:30", "2019-05-05T21:50:00Z", "-03:30"),
])
def test_a_date_printed_with_its_offset_is_an_instant_whatever_zone_is_given(raw, utc, tz):
    for zone in (None, get_zone("America/Chicago")):
        fields = normalise(raw, None, zone)
        assert (fields["published_utc"], fields["published_tz"], fields["published_tz_source"]) == (utc, tz, "markup")


@pytest.mark.parametrize("raw", [
    "Mon, 01/02/2017 - 10:00 CET",  # abbreviations name different offsets in different places
    "2019-05-05 10:00 -2019",  # no offset is twenty hours
    "08-03-2019",  # a date's own dashes are no offset
    "Posted 10:00 by GMTfan",
])
def test_what_is_not_a_printed_offset(raw):
    fields = normalise(raw, None, None)
    assert fields["published_utc"] is None and fields["published_tz_source"] is None
