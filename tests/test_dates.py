"""Timestamp parsing: each accepted form, the per-column day/month decision, time zones."""

from datetime import datetime

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caselog.errors import ConfigError, ParseError
from caselog.io import parse_timestamps


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
