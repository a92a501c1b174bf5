"""Timestamp parsing: each accepted form, the per-column day/month decision, time zones."""

import re
import warnings
from datetime import datetime

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caselog.errors import CaselogError, ConfigError, ParseError
from caselog.io import _dates
from caselog.io._dates import FIRST_YEAR, LAST_YEAR, UNREADABLE, parse_timestamps, to_utc_timestamp
from caselog.io._zones import AMBIGUOUS, FIXED, GENERIC, split_zone, zone_names


def utc(*texts):
    return [pd.Timestamp(t, tz="UTC") for t in texts]


def test_iso_with_and_without_offset():
    p = parse_timestamps(pd.Series(["2026-03-14T14:05:00Z", "2026-03-14 16:05+02:00", "2026-03-15 08:00"]))
    assert p.values.tolist() == utc("2026-03-14 14:05", "2026-03-14 14:05", "2026-03-15 08:00")
    assert not p.bad.any()


def test_us_form_with_am_pm_is_month_first_when_a_day_exceeds_12():
    p = parse_timestamps(pd.Series(["03/14/2026 2:05 PM", "04/01/2026 12:30 AM"]), column="Sent")
    assert p.values.tolist() == utc("2026-03-14 14:05", "2026-04-01 00:30")
    assert "month-first" in p.decision and "Sent" in p.decision


def test_day_first_decided_once_for_the_whole_column():
    # "01/04" alone is ambiguous; "31/03" settles the column as day-first
    p = parse_timestamps(pd.Series(["31/03/2026 14:05", "01/04/2026 09:00"]))
    assert p.values.tolist() == utc("2026-03-31 14:05", "2026-04-01 09:00")
    assert p.decision.startswith("day-first")


def test_ambiguous_column_defaults_to_month_first_and_says_so():
    p = parse_timestamps(pd.Series(["01/04/2026", "02/05/2026"]))
    assert p.values.tolist() == utc("2026-01-04", "2026-02-05")
    assert "assumed" in p.decision and "dayfirst=True" in p.decision


def test_dayfirst_argument_forces_the_order():
    p = parse_timestamps(pd.Series(["01/04/2026", "02/05/2026"]), dayfirst=True)
    assert p.values.tolist() == utc("2026-04-01", "2026-05-02")


def test_dotted_dates_are_read_day_first_when_nothing_settles_it():
    p = parse_timestamps(pd.Series(["01.04.2026 10:00"]))
    assert p.values.tolist() == utc("2026-04-01 10:00")


def test_mixed_order_rejects_the_minority():
    p = parse_timestamps(pd.Series(["31/03/2026", "30/03/2026", "03/31/2026"]))
    assert p.values.iloc[:2].tolist() == utc("2026-03-31", "2026-03-30")
    assert p.bad.tolist() == [False, False, True]
    assert "mixed" in p.decision


def test_excel_serials_numeric_and_text():
    # 46000.5 days after 1899-12-30 is 2025-12-09 12:00
    p = parse_timestamps(pd.Series([46000.5, 46001.0]))
    assert p.values.tolist() == utc("2025-12-09 12:00", "2025-12-10 00:00")
    p = parse_timestamps(pd.Series(["46000.5"]))
    assert p.values.tolist() == utc("2025-12-09 12:00")


def test_spreadsheet_datetime_cells_in_an_object_column():
    p = parse_timestamps(pd.Series([datetime(2026, 3, 14, 14, 5), "2026-03-15T10:00Z", None], dtype=object))
    assert p.values.iloc[:2].tolist() == utc("2026-03-14 14:05", "2026-03-15 10:00")
    assert pd.isna(p.values.iloc[2]) and not p.bad.iloc[2]


def test_naive_times_are_read_in_the_given_zone():
    p = parse_timestamps(pd.Series(["2026-07-01 09:00", "2026-01-15 09:00"]), tz="America/New_York")
    # EDT is UTC-4 in July, EST UTC-5 in January
    assert p.values.tolist() == utc("2026-07-01 13:00", "2026-01-15 14:00")


def test_written_out_dates():
    p = parse_timestamps(pd.Series(["March 3, 2026 10:00", "4 Mar 2026"]))
    assert p.values.tolist() == utc("2026-03-03 10:00", "2026-03-04")


def test_unreadable_values_are_flagged_not_guessed():
    p = parse_timestamps(pd.Series(["2026-03-14", "soon", ""]))
    assert p.bad.tolist() == [False, True, False]


def test_a_column_with_no_date_at_all_is_an_error_naming_it():
    with pytest.raises(ParseError, match="'Subject'"):
        parse_timestamps(pd.Series(["hello", "world"]), column="Subject", file="x.csv")


def test_unknown_time_zone():
    with pytest.raises(ConfigError, match="Mars/Olympus"):
        parse_timestamps(pd.Series(["2026-01-01"]), tz="Mars/Olympus")


@settings(max_examples=80, deadline=None)
@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 12, 31)), st.booleans())
def test_slashed_round_trip(dt, dayfirst):
    dt = dt.replace(second=0, microsecond=0)
    text = dt.strftime("%d/%m/%Y %H:%M" if dayfirst else "%m/%d/%Y %I:%M %p")
    p = parse_timestamps(pd.Series([text]), dayfirst=dayfirst)
    assert p.values.iloc[0] == pd.Timestamp(dt, tz="UTC")


@settings(max_examples=80, deadline=None)
@given(st.lists(st.text(max_size=20), min_size=1, max_size=8))
def test_arbitrary_text_never_raises_anything_but_parse_error(values):
    try:
        p = parse_timestamps(pd.Series(values, dtype=object))
    except ParseError:
        return
    assert len(p.values) == len(values)
    assert str(p.values.dtype) == "datetime64[ns, UTC]"


def test_written_out_values_without_a_full_date_are_unreadable_not_today():
    # dateutil would complete "10:00" and "March 3 10:00" from today's date: results would
    # depend on the wall clock; they are flagged instead
    p = parse_timestamps(pd.Series(["10:00", "March 3 10:00", "March 2026", "today", "3 March 2026 2pm"]))
    assert p.bad.tolist() == [True, True, True, True, False]
    assert p.values.iloc[4] == pd.Timestamp("2026-03-03 14:00", tz="UTC")


def test_excel_serials_beyond_the_nanosecond_range_are_unreadable_not_an_overflow():
    # serial 106750 is 2192-04-07 (the last whole day a nanosecond Timedelta reaches from
    # 1899-12-30); 2958465 is 9999-12-31, 106751.5 is past the Timedelta limit
    p = parse_timestamps(pd.Series([2958465.0, 106751.5, 106750.0, 46000.5]))
    assert p.bad.tolist() == [True, True, False, False]
    assert p.values.iloc[2:].tolist() == utc("2192-04-07", "2025-12-09 12:00")
    p = parse_timestamps(pd.Series(["999999", "46000.5"]))
    assert p.bad.tolist() == [True, False]


# --------------------------------------------------------------------- time zones after a time



#: 2026-03-14 12:00 wall time with each explicit abbreviation -> the UTC time, worked out by hand
EXPLICIT_AT_NOON = {
    "Z": "2026-03-14 12:00", "UT": "2026-03-14 12:00", "UTC": "2026-03-14 12:00",
    "GMT": "2026-03-14 12:00",
    "PST": "2026-03-14 20:00", "PDT": "2026-03-14 19:00", "MST": "2026-03-14 19:00",
    "MDT": "2026-03-14 18:00", "CDT": "2026-03-14 17:00", "EST": "2026-03-14 17:00",
    "EDT": "2026-03-14 16:00", "AKST": "2026-03-14 21:00", "AKDT": "2026-03-14 20:00",
    "HST": "2026-03-14 22:00", "HDT": "2026-03-14 21:00", "ADT": "2026-03-14 15:00",
    "NST": "2026-03-14 15:30", "NDT": "2026-03-14 14:30", "BRT": "2026-03-14 15:00",
    "BRST": "2026-03-14 14:00", "ART": "2026-03-14 15:00",
    "WET": "2026-03-14 12:00", "WEST": "2026-03-14 11:00", "CET": "2026-03-14 11:00",
    "CEST": "2026-03-14 10:00", "MET": "2026-03-14 11:00", "MEST": "2026-03-14 10:00",
    "MEZ": "2026-03-14 11:00", "MESZ": "2026-03-14 10:00", "EET": "2026-03-14 10:00",
    "EEST": "2026-03-14 09:00", "MSK": "2026-03-14 09:00", "IDT": "2026-03-14 09:00",
    "WAT": "2026-03-14 11:00", "CAT": "2026-03-14 10:00", "SAST": "2026-03-14 10:00",
    "EAT": "2026-03-14 09:00", "PKT": "2026-03-14 07:00", "NPT": "2026-03-14 06:15",
    "ICT": "2026-03-14 05:00", "WIB": "2026-03-14 05:00", "SGT": "2026-03-14 04:00",
    "HKT": "2026-03-14 04:00", "MYT": "2026-03-14 04:00", "PHT": "2026-03-14 04:00",
    "AWST": "2026-03-14 04:00", "JST": "2026-03-14 03:00", "KST": "2026-03-14 03:00",
    "ACST": "2026-03-14 02:30", "ACDT": "2026-03-14 01:30", "AEST": "2026-03-14 02:00",
    "AEDT": "2026-03-14 01:00", "NZST": "2026-03-14 00:00", "NZDT": "2026-03-13 23:00",
}
#: generic abbreviations: noon on 2026-01-14 and on 2026-07-14 -> UTC (summer time at that date)
GENERIC_AT_NOON = {
    "PT": ("2026-01-14 20:00", "2026-07-14 19:00"),
    "MT": ("2026-01-14 19:00", "2026-07-14 18:00"),
    "CT": ("2026-01-14 18:00", "2026-07-14 17:00"),
    "ET": ("2026-01-14 17:00", "2026-07-14 16:00"),
    "AKT": ("2026-01-14 21:00", "2026-07-14 20:00"),
    "AET": ("2026-01-14 01:00", "2026-07-14 02:00"),  # Sydney: summer in January
}


def parse(*values, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return parse_timestamps(pd.Series(list(values), dtype=object), **kw)


def test_the_tables_are_all_tested():
    assert set(EXPLICIT_AT_NOON) == set(FIXED)
    assert set(GENERIC_AT_NOON) == set(GENERIC)


@pytest.mark.parametrize("abbr", sorted(EXPLICIT_AT_NOON))
def test_each_explicit_abbreviation_is_its_fixed_offset(abbr):
    p = parse(f"2026-03-14 12:00 {abbr}", f"14 Mar 2026 12:00 {abbr}", f"03/14/2026 12:00 PM {abbr}")
    assert p.values.tolist() == utc(*[EXPLICIT_AT_NOON[abbr]] * 3)
    assert not p.bad.any() and p.reasons.eq("").all()


@pytest.mark.parametrize("abbr", sorted(GENERIC_AT_NOON))
def test_each_generic_abbreviation_is_the_wall_time_at_that_date(abbr):
    p = parse(f"2026-01-14 12:00 {abbr}", f"July 14, 2026 12:00 PM {abbr}")
    assert p.values.tolist() == utc(*GENERIC_AT_NOON[abbr])


def test_explicit_abbreviations_are_fixed_even_out_of_season():
    # PST in July is still UTC-8 (the writer said so); PT in July is PDT, UTC-7
    p = parse("2026-07-14 14:05 PST", "2026-07-14 14:05 PT", "2026-01-14 14:05 PDT")
    assert p.values.tolist() == utc("2026-07-14 22:05", "2026-07-14 21:05", "2026-01-14 21:05")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("14 Mar 2026 14:05 PST", "2026-03-14 22:05"),  # Seller Central
        ("March 14, 2026 2:05 PM PDT", "2026-03-14 21:05"),
        ("Sat, 14 Mar 2026 14:05:00 -0800", "2026-03-14 22:05"),  # RFC 2822 mail Date header
        ("Sat, 14 Mar 2026 14:05:00 -0800 (PST)", "2026-03-14 22:05"),
        ("Sat, 14 Mar 2026 14:05:00 +0000 (UTC)", "2026-03-14 14:05"),
        ("Sat Mar 14 14:05:00 PST 2026", "2026-03-14 22:05"),  # Unix date(1)
        ("2026-03-14 14:05 EST", "2026-03-14 19:05"),
        ("2026-03-14 14:05:00 UTC", "2026-03-14 14:05"),
        ("2026-03-14T14:05:00Z", "2026-03-14 14:05"),
        ("2026-03-14T14:05:00+05:30", "2026-03-14 08:35"),
        ("2026-03-14T14:05:00.250-0800", "2026-03-14 22:05:00.250"),
        ("2026-03-14 14:05 GMT+2", "2026-03-14 12:05"),  # two hours ahead, not POSIX's reversed sign
        ("2026-03-14 14:05 UTC-05:00", "2026-03-14 19:05"),
        ("2026-03-14 14:05 GMT+0530", "2026-03-14 08:35"),
        ("03/14/2026 2:05 PM PST", "2026-03-14 22:05"),
        ("03/14/2026 14:05 -08:00", "2026-03-14 22:05"),
        ("03/14/2026 PST", "2026-03-14 08:00"),
        ("14 Mar 2026 PST", "2026-03-14 08:00"),
        ("2026-03-14 14:05 (PST)", "2026-03-14 22:05"),
        ("3 March 2026 2pm PST", "2026-03-03 22:00"),
        ("14 Mar 2026 2:05\u202fPM PST", "2026-03-14 22:05"),  # macOS's narrow no-break space
        ("2026-03-14 10:00 PM", "2026-03-14 22:00"),  # PM is no zone
        ("2026-03-14 10:00 PM PST", "2026-03-15 06:00"),
        ("Sat, 14 Mar 2026 14:05:00 GMT", "2026-03-14 14:05"),
    ],
)
def test_every_written_form_applies_its_zone(text, expected):
    p = parse(text)
    assert p.values.tolist() == utc(expected), p.reasons.tolist()


def test_day_first_slashed_dates_with_zones():
    p = parse("31/03/2026 10:00 CEST", "01/04/2026 10:00 CEST", "14.03.2026 14:05 CET")
    assert p.values.tolist() == utc("2026-03-31 08:00", "2026-04-01 08:00", "2026-03-14 13:05")
    assert "zone written after them (CEST, CET)" in p.decision


def test_generic_zone_at_the_summer_time_changes():
    # 2026-03-08 02:30 does not exist in Los Angeles (clocks jump 02:00 -> 03:00 PDT): 03:00 PDT;
    # 2026-11-01 01:30 happens twice: the first (PDT, UTC-7) is taken
    p = parse("2026-03-08 02:30 PT", "2026-11-01 01:30 PT")
    assert p.values.tolist() == utc("2026-03-08 10:00", "2026-11-01 08:30")


def test_numeric_offsets_without_a_clock_are_not_taken_from_a_date():
    # "-2026" at the end of a dashed date is the year, not an offset of -20:26
    p = parse("14-03-2026")
    assert p.values.tolist() == utc("2026-03-14")


@pytest.mark.parametrize("abbr", sorted(AMBIGUOUS))
def test_ambiguous_abbreviations_are_rejected_with_a_way_out(abbr):
    p = parse(f"14 Mar 2026 14:05 {abbr}", f"2026-03-14 14:05 {abbr}", f"03/14/2026 2:05 PM {abbr}")
    assert p.bad.all() and p.values.isna().all()
    first_zone = AMBIGUOUS[abbr][0][1]
    for reason in p.reasons:
        assert reason.startswith(f"time zone '{abbr}' is ambiguous (")
        assert f"tzinfos={{'{abbr}': '{first_zone}'}} or --zone-abbrev {abbr}={first_zone}" in reason


def test_the_ist_message_in_full():
    p = parse("14 Mar 2026 14:05 IST")
    assert p.reasons.iloc[0] == (
        "time zone 'IST' is ambiguous (India, Ireland, Israel); "
        "pass tzinfos={'IST': 'Asia/Kolkata'} or --zone-abbrev IST=Asia/Kolkata"
    )


def test_unknown_abbreviations_and_impossible_offsets_are_rejected_not_utc():
    p = parse("14 Mar 2026 14:05 XYZ", "2026-03-14 14:05 GMT+15", "14 Mar 2026 14:05 xyz",
              "14 Mar 2026 14:05 PST -0800", "2026-03-14 10:00")
    assert p.bad.tolist() == [True, True, True, True, False]
    assert p.reasons.iloc[0].startswith("time zone 'XYZ' is not one caselog knows; pass tzinfos=")
    assert p.reasons.iloc[1].startswith("UTC offset 'GMT+15' is not one")
    assert p.reasons.iloc[2] == UNREADABLE  # an unknown lower-case word: not taken for a zone, not dropped
    assert "time zone" in p.reasons.iloc[3]  # two zones that could disagree


def test_known_zone_names_in_lower_case():
    p = parse("2026-03-14 14:05 utc", "14 Mar 2026 2:05 pm pst", "2026-03-14 14:05 Pdt", "14 Mar 2026 14:05 ist")
    assert p.values.iloc[:3].tolist() == utc("2026-03-14 14:05", "2026-03-14 22:05", "2026-03-14 21:05")
    assert p.reasons.iloc[3].startswith("time zone 'IST' is ambiguous")


def test_a_zone_after_text_that_is_no_date_says_the_date_is_unreadable():
    p = parse("2026-03-14 14:05 PST", "case 12 ABC")
    assert p.reasons.iloc[1] == UNREADABLE


def test_tzinfos_says_what_an_abbreviation_means():
    text = ["14 Mar 2026 14:05 IST", "03/14/2026 2:05 PM IST", "2026-03-14 14:05 CST"]
    p = parse(*text, tzinfos={"IST": "Asia/Kolkata", "cst": "Asia/Shanghai"})
    assert p.values.tolist() == utc("2026-03-14 08:35", "2026-03-14 08:35", "2026-03-14 06:05")
    p = parse(*text[:1], tzinfos={"IST": "+01:00"})  # Irish Summer Time, as a fixed offset
    assert p.values.tolist() == utc("2026-03-14 13:05")
    p = parse("14 Mar 2026 14:05 EST", tzinfos={"EST": "Australia/Sydney"})  # overrides the table
    assert p.values.tolist() == utc("2026-03-14 03:05")
    p = parse("14 Mar 2026 14:05 ABC", tzinfos={"ABC": "UTC-3:30"})
    assert p.values.tolist() == utc("2026-03-14 17:35")


@pytest.mark.parametrize(
    "tzinfos, message",
    [
        ({"IST": "Mars/Olympus"}, "'IST' -> 'Mars/Olympus' is neither a time zone nor a UTC offset"),
        ({"IST": "+15:00"}, "'IST' -> '+15:00': UTC offset"),
        ({"I S T": "Asia/Kolkata"}, "is not a zone abbreviation"),
        ("IST=Asia/Kolkata", "tzinfos= takes"),
    ],
)
def test_tzinfos_errors(tzinfos, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        parse("2026-03-14", tzinfos=tzinfos)


def test_split_zone():
    assert split_zone("10:00 AM") == ("10:00 AM", "")
    assert split_zone("10:00 AM PST") == ("10:00 AM", "PST")
    assert split_zone("14 MAR") == ("14 MAR", "")
    assert split_zone("2026-03-14T14:05:00Z") == ("2026-03-14T14:05:00", "Z")
    assert split_zone("Sat Mar 14 14:05:00 PST 2026") == ("Sat Mar 14 14:05:00 2026", "PST")
    assert zone_names().resolve("+05:45").minutes == 345


# ------------------------------------------------------------- years out of range, odd digits


def test_years_outside_what_a_timestamp_holds_are_rejects_not_wrapped():
    p = parse("9999-12-31", "1000-01-01 10:00", "01/01/1000", "31/12/9999 10:00", "14 Mar 1000 10:00",
              "1677-12-31 23:59", "2262-01-01", "1678-01-01 00:00", "2261-12-31 23:59",
              "2261-12-31T23:00-05:00", "9999-12-31T10:00Z")
    assert p.bad.tolist() == [True] * 7 + [False] * 3 + [True]
    assert p.reasons.iloc[0] == "year 9999 is outside the years 1678-2261 that caselog can hold"
    assert [r.split()[1] for r in p.reasons.iloc[:7]] == ["9999", "1000", "1000", "9999", "1000", "1677", "2262"]
    assert p.values.iloc[7:10].tolist() == utc("1678-01-01", "2261-12-31 23:59", "2262-01-01 04:00")


def test_to_utc_timestamp_out_of_range_is_a_config_error():
    with pytest.raises(ConfigError, match="as_of: '9999-12-31' is outside the years 1678-2261"):
        to_utc_timestamp("9999-12-31")
    assert to_utc_timestamp("2261-12-31") == pd.Timestamp("2261-12-31", tz="UTC")


def test_spreadsheet_cells_out_of_range():
    cells = [datetime(9999, 12, 31), datetime(1000, 1, 1), 2958465, datetime(2026, 3, 14, 14, 5),
             pd.Timestamp("2026-03-14 14:05", tz="Europe/Berlin"), -5]
    p = parse(*cells)
    assert p.bad.tolist() == [True, True, True, False, False, True]
    assert p.reasons.iloc[1].startswith("year 1000 is outside")
    assert p.reasons.iloc[2] == "Excel day number 2958465 is outside 1-106750 (1900-01-01 to 2192-04-07)"
    assert p.values.iloc[3:5].tolist() == utc("2026-03-14 14:05", "2026-03-14 13:05")


def test_a_datetime_column_out_of_range():
    raw = pd.Series([datetime(2026, 3, 14, 14, 5), datetime(9999, 1, 1)], dtype="datetime64[us]")
    p = parse_timestamps(raw)
    assert p.bad.tolist() == [False, True] and p.values.iloc[0] == pd.Timestamp("2026-03-14 14:05", tz="UTC")


def test_an_all_empty_spreadsheet_column_is_empty_without_warnings():
    p = parse(None, None, float("nan"))
    assert not p.bad.any() and p.values.isna().all()


@pytest.mark.parametrize(
    "text, digit",
    [
        ("２０２６-03-14 10:00", "FULLWIDTH DIGIT TWO"),
        ("١٤/٠٣/٢٠٢٦", "ARABIC-INDIC DIGIT ONE"),
        ("۱۴ Mar 2026", "EXTENDED ARABIC-INDIC DIGIT ONE"),
        ("२०२६-०३-१४", "DEVANAGARI DIGIT TWO"),
        ("14 Mar 2026 1４:05 PST", "FULLWIDTH DIGIT FOUR"),
        ("46000.５", "FULLWIDTH DIGIT FIVE"),
    ],
)
def test_non_ascii_digits_are_rejects_with_a_reason(text, digit):
    p = parse(text, "2026-03-14")
    assert p.bad.tolist() == [True, False]
    assert digit in p.reasons.iloc[0] and "ASCII digits 0-9" in p.reasons.iloc[0]


# ------------------------------------------------------------------------- properties

_ZONES = sorted(FIXED) + sorted(GENERIC) + sorted(AMBIGUOUS) + ["XYZ", "+05:30", "-0800", "GMT+2", "+1999"]
_FORMS = ["%Y-%m-%d %H:%M {z}", "%d %b %Y %H:%M {z}", "%B %d, %Y %I:%M %p {z}",
          "%a, %d %b %Y %H:%M:%S {z}", "%m/%d/%Y %I:%M %p {z}", "%Y-%m-%dT%H:%M:%S{z}"]


def _check(p, n):
    assert len(p.values) == n and str(p.values.dtype) == "datetime64[ns, UTC]"
    ok = p.values.notna()
    assert (p.values[ok].dt.year.between(1677, 2262)).all()
    assert (p.bad == ~ok & p.reasons.ne("")).all()  # every unread value has a reason
    assert p.reasons[~p.bad].eq("").all()


@settings(max_examples=150, deadline=None)
@given(
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
    st.sampled_from(_ZONES),
    st.sampled_from(_FORMS),
)
def test_any_zoned_time_is_read_right_or_rejected_with_a_reason(dt, zone, form):
    text = dt.strftime(form.replace("%Y", f"{dt.year:04d}")).replace("{z}", zone)
    try:
        p = parse(text)
    except CaselogError:
        return
    _check(p, 1)
    if zone in FIXED and FIRST_YEAR <= dt.year <= LAST_YEAR:
        wall = pd.Timestamp(dt.replace(microsecond=0, second=dt.second if "%S" in form else 0))
        assert p.values.iloc[0] == (wall - pd.Timedelta(minutes=FIXED[zone][0])).tz_localize("UTC"), text
    if zone in AMBIGUOUS or zone == "XYZ":
        assert p.bad.iloc[0]


_DATE_CHARS = st.sampled_from(list("0123456789 :/-.,+TZAPMpm()") + ["２", "٣", "PST", "IST", "Mar", "GMT"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=24), st.lists(_DATE_CHARS, max_size=14).map("".join)),
                min_size=1, max_size=6))
def test_any_text_parses_in_range_or_is_a_reject_with_a_reason_and_no_warning(values):
    try:
        p = parse(*values)
    except CaselogError:
        return
    _check(p, len(values))


# ----------------------------------------------------------------------------- through load()


def _csv(tmp_path, rows):
    path = tmp_path / "zones.csv"
    path.write_text("Case ID,Sent,From,Message\n" + "".join(",".join(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_est_and_pdt_rows_are_different_times_not_duplicates(tmp_path):
    import caselog

    path = _csv(tmp_path, [["1", "2026-03-14 14:05 EST", "Amazon", "same text"],
                           ["1", "2026-03-14 14:05 PDT", "Amazon", "same text"],
                           ["1", "14 Mar 2026 14:05 PST", "Seller", "hello"]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        log = caselog.load(path)
    assert log.duplicates == 0 and len(log.rejects) == 0
    assert sorted(log.messages["sent_at"].tolist()) == utc("2026-03-14 19:05", "2026-03-14 21:05", "2026-03-14 22:05")


def test_load_rejects_ambiguous_and_out_of_range_rows_with_the_reason(tmp_path):
    import caselog

    path = _csv(tmp_path, [["1", "2026-03-01 10:00", "Seller", "hi"],
                           ["1", "14 Mar 2026 14:05 IST", "Amazon", "x"],
                           ["2", "9999-12-31", "Amazon", "no"],
                           ["2", "01/01/1000", "Seller", "x"],
                           ["3", "２０２６-03-01 10:00", "Seller", "y"]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        log = caselog.load(path)
    assert log.input_rows == 5 and len(log.messages) == 1 and len(log.rejects) == 4
    reasons = log.rejects.sort_values("row")["reason"].tolist()
    assert reasons[0] == (
        "date '14 Mar 2026 14:05 IST' (Sent) is not a readable date: time zone 'IST' is ambiguous "
        "(India, Ireland, Israel); pass tzinfos={'IST': 'Asia/Kolkata'} or --zone-abbrev IST=Asia/Kolkata"
    )
    assert reasons[1] == ("date '9999-12-31' (Sent) is not a readable date: year 9999 is outside the "
                          "years 1678-2261 that caselog can hold")
    assert "year 1000" in reasons[2] and "FULLWIDTH DIGIT TWO" in reasons[3]
    log = caselog.load(path, tzinfos={"IST": "Asia/Kolkata"})
    assert len(log.rejects) == 3 and utc("2026-03-14 08:35")[0] in log.messages["sent_at"].tolist()
    with pytest.raises(ConfigError, match="Mars/Olympus"):
        caselog.load(path, tzinfos={"IST": "Mars/Olympus"})


def test_xlsx_date_cells_out_of_range_and_an_empty_date_column(tmp_path):
    import openpyxl

    import caselog

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Messages"
    ws.append(["Case ID", "Sent", "From", "Message"])
    ws.append(["1", datetime(2026, 3, 1, 10, 0), "Seller", "hi"])
    ws.append(["1", datetime(9999, 12, 31), "Amazon", "x"])
    ws.append(["1", 2958465, "Amazon", "serial of 9999-12-31"])
    ws.append(["1", 99999999, "Amazon", "date-formatted, past Excel's last date"])
    ws["B5"].number_format = "yyyy-mm-dd hh:mm"  # openpyxl would warn and read the cell as empty
    ws.append(["1", -5, "Amazon", "a negative day number, Excel shows ####"])
    ws["B6"].number_format = "yyyy-mm-dd"
    cases = wb.create_sheet("Cases")
    cases.append(["Case ID", "Opened", "Closed"])
    cases.append(["1", None, None])
    path = tmp_path / "cells.xlsx"
    wb.save(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an all-empty date column once leaked a Pandas4Warning
        log = caselog.load(path)
    assert len(log.messages) == 1 and len(log.rejects) == 4
    reasons = log.rejects.sort_values("row")["reason"].tolist()
    assert "year 9999 is outside" in reasons[0]
    assert reasons[1].endswith("Excel day number 2958465 is outside 1-106750 (1900-01-01 to 2192-04-07)")
    assert reasons[2] == ("date '99999999' (Sent) is not a readable date: Excel day number 99999999 is "
                          "outside 1-106750 (1900-01-01 to 2192-04-07)")
    assert reasons[3].endswith("a spreadsheet date before 1900-01-01 (a time without a date, or a negative day number)")


# ------------------------------------------------------------- fast paths of the text parser

_FORMS = [
    "03/14/2026 2:05 PM", "3/4/26", "14.03.2026 14:05", "1-2-2026T10:00", "03/14/2026, 10:00 PST",
    "45000", "45000.25", "2026-03-14 10:00", "2026-03-14T10:00+02:00", "2026-03-14 10:00 UTC",
    "14 Mar 2026 14:05", "13/13/2026", "x", "1.2", "12/31/2026 25:00",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_FORMS), min_size=1, max_size=10))
def test_a_column_reads_each_value_as_it_reads_alone(values):
    """Whichever form a column starts with (the searches run in another order then), each
    value reads as it does alone (the day/month order given, so that no value decides it)."""
    try:
        got = parse_timestamps(pd.Series(values, dtype="str"), dayfirst=False)
    except ParseError:  # no value of the column reads: none reads alone either
        for v in values:
            with pytest.raises(ParseError):
                parse_timestamps(pd.Series([v], dtype="str"), dayfirst=False)
        return
    for i, v in enumerate(values):
        try:
            alone = parse_timestamps(pd.Series([v], dtype="str"), dayfirst=False)
            want, why = alone.values.iloc[0], alone.reasons.iloc[0]
        except ParseError:
            want, why = pd.NaT, "not a readable date"
        assert (got.values.iloc[i] is pd.NaT and want is pd.NaT) or got.values.iloc[i] == want, v
        assert got.reasons.iloc[i] == why, v


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["1", "12", "/", ".", "-", " ", "T", ",", "PM", ":", "x"]),
                         min_size=1, max_size=8).map(lambda p: "1" + "".join(p)), max_size=8))
def test_date_and_clock_split_is_the_two_replaces(values):
    from caselog.io._dates import _date_and_clock

    text = pd.Series(values, dtype="str")
    date, clock = _date_and_clock(text)
    assert date.tolist() == text.str.replace(r"[ T,].*$", "", regex=True).tolist()
    assert clock.tolist() == text.str.replace(r"^[^ T,]+[ T,]*", "", regex=True).tolist()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["05", "5", "31", "00", "29"]), st.sampled_from(["Jul", "jul", "Feb", "July", "Xyz"]),
                          st.sampled_from(["2026", "2024", "26"]), st.sampled_from(["12:44", "24:00", "9:05", "12:44:10", "", "12:60"]))
                .map(lambda p: " ".join(x for x in p if x)), max_size=10, unique=True))
def test_plainest_written_dates_read_as_strptime_reads_them(values):
    from caselog.io import _dates

    bodies = pd.Series(values, dtype=object)
    got = _dates._common_words(bodies).sort_index()
    want = []
    rest = bodies.astype("str")
    rest = rest[rest.str.contains(r"[0-9]{4}")]
    for fmt in _dates._WORD_FORMATS:  # the formats one by one, as before the fast path
        parsed = pd.to_datetime(rest, format=fmt, errors="coerce")
        want.append(parsed[parsed.notna()])
        rest = rest[parsed.isna()]
    want = [w for w in want if len(w)]
    want = pd.concat(want).sort_index() if want else pd.Series(dtype="datetime64[ns]")
    assert got.index.tolist() == want.index.tolist()
    assert got.tolist() == want.tolist()
    if len(got):
        assert got.dtype == want.dtype


def test_plainest_written_dates_left_to_strptime_when_month_names_are_not_english(monkeypatch):
    import calendar

    from caselog.io import _dates

    bodies = pd.Series(["05 Jul 2026 12:44"], dtype="str")
    assert _dates._plain_first_form(bodies).tolist() == [pd.Timestamp("2026-07-05 12:44")]
    monkeypatch.setattr(calendar, "month_abbr", ["", "Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"])
    assert len(_dates._plain_first_form(bodies)) == 0


def _outcome(raw):
    try:
        p = parse_timestamps(raw, column="Sent")
    except CaselogError as exc:
        return type(exc).__name__, str(exc)
    return p.values.tolist(), p.bad.tolist(), p.decision, p.reasons.tolist(), p.reasons.dtype


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=24), st.lists(_DATE_CHARS, max_size=14).map("".join),
                          st.sampled_from(["03/14/2026 2:05 PM", "31/03/2026 14:05", "", " ", "2026-03-14"]),
                          st.sampled_from([datetime(2026, 3, 14, 9, 5), 46000.5, 46001, None])),
                min_size=1, max_size=6))
def test_object_column_of_texts_reads_as_its_cells_one_by_one(values):
    # a spreadsheet's object column of texts only skips the cell-by-cell look for dates and numbers
    raw = pd.Series(values, dtype=object)
    fast = _outcome(raw)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_dates, "_text_only", lambda s: False)
        plain = _outcome(raw)
    assert fast == plain


def test_a_long_column_of_repeated_values_reads_each_distinct_value_once_to_the_same_result():
    # past 10,000 values with few distinct ones, each distinct value is parsed once and spread
    # back: the values, the bad flags, the reasons and the decision are the row-by-row ones
    base = ["03/14/2026 2:05 PM", "14/03/2026 14:05", "14 Mar 2026 14:05 PST", "2026-03-14 14:05 IST",
            "not a date", "", "2026-03-14T14:05:00Z", "03/15/2026 09:00 CET", None]
    raw = pd.Series(base * 1_400, dtype="string[pyarrow]")
    p = parse_timestamps(raw, column="Sent")
    one = _dates._parse_column(raw, "UTC", None, "Sent", None, zone_names(None))
    pd.testing.assert_series_equal(p.values, one.values)
    pd.testing.assert_series_equal(p.bad, one.bad, check_names=False)
    pd.testing.assert_series_equal(p.reasons, one.reasons, check_names=False)
    assert p.decision == one.decision
    # and the values a user reads: PST is UTC-8, the slashed column is month-first by vote
    first = p.values.iloc[:9].tolist()
    assert first[2] == pd.Timestamp("2026-03-14 22:05", tz="UTC")
    assert first[6] == pd.Timestamp("2026-03-14 14:05", tz="UTC")
    assert p.bad.iloc[:9].tolist() == [False, True, False, True, True, False, False, False, False]
    assert p.reasons.iloc[3].startswith("time zone 'IST' is ambiguous")
    assert p.values.index.equals(raw.index)
