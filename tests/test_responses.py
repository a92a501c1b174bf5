"""Tests of caselog.responses: turns, first responses, summaries, business hours."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caselog import (
    BusinessCalendar,
    business_hours_between,
    first_response,
    response_summary,
    turns,
)
from caselog.errors import ConfigError, SchemaError
from caselog.model import CaseLog
from caselog.schema import TURN_COLUMNS, empty_cases, empty_messages


def frame(*rows: tuple) -> pd.DataFrame:
    """Canonical messages from ``(case_id, "YYYY-MM-DD HH:MM", direction, extras...)`` tuples.

    The fourth item, when given, is a dict of other columns (team, channel, body, kind, ...).
    ``message_id`` is the row's position.
    """
    records = []
    for i, row in enumerate(rows):
        case_id, when, direction = row[:3]
        extra = row[3] if len(row) > 3 else {}
        rec = {
            "message_id": i,
            "case_id": case_id,
            "account": "acct-1",
            "sent_at": pd.Timestamp(when, tz="UTC"),
            "direction": direction,
            "team": "Seller Support",
            "channel": "case",
            "subject": "",
            "body": "",
            "attachments": 0,
            "kind": "",
            "source": f"hand row {i}",
        }
        rec.update(extra)
        records.append(rec)
    if not records:
        return empty_messages()
    out = pd.DataFrame.from_records(records)
    out["sent_at"] = out["sent_at"].astype("datetime64[ns, UTC]")
    return out.sort_values(["case_id", "sent_at", "message_id"], kind="stable", ignore_index=True)


def caselog_of(messages: pd.DataFrame, categories: dict[str, str] | None = None) -> CaseLog:
    cases = empty_cases()
    if categories:
        cases = pd.DataFrame({"case_id": list(categories), "category": list(categories.values())})
    return CaseLog(messages=messages, cases=cases)


SP = {"team": "Seller Performance", "body": "We are unable to reinstate your account."}


@pytest.fixture
def two_cases() -> CaseLog:
    msgs = frame(
        ("A", "2026-03-01 08:00", "amazon", {"team": "Seller Performance", "body": "notice"}),
        ("A", "2026-03-02 10:00", "seller", {"channel": "email"}),
        ("A", "2026-03-02 12:00", "seller"),
        ("A", "2026-03-03 09:00", "seller"),
        ("A", "2026-03-03 10:00", "amazon", SP),
        ("A", "2026-03-03 11:00", "amazon", {"body": "a second Amazon message"}),
        ("A", "2026-03-04 10:00", "seller", {"team": "Account Health Services", "channel": "phone"}),
        ("B", "2026-03-05 10:00", "seller"),
        ("B", "2026-03-06 12:00", "amazon", {"channel": "email"}),
    )
    return caselog_of(msgs, {"A": "Account suspension"})


# ---------------------------------------------------------------------------------- turns


def test_turn_measured_from_first_seller_message(two_cases: CaseLog) -> None:
    t = turns(two_cases)
    assert list(t.columns) == list(TURN_COLUMNS)
    assert t[["case_id", "turn"]].values.tolist() == [["A", 1], ["A", 2], ["B", 1]]
    first = t.iloc[0]
    assert first["first_seller_message_id"] == 1
    assert first["n_seller_messages"] == 3
    assert first["reply_message_id"] == 4
    assert first["reply_at"] == pd.Timestamp("2026-03-03 10:00", tz="UTC")
    assert first["response_hours"] == pytest.approx(24.0)  # not 1.0 from the last follow-up
    assert first["team"] == "Seller Performance"
    assert first["channel"] == "case"  # the reply's channel
    assert not first["is_open"] and not first["over_sla"]
    assert np.isnan(first["age_hours"])
    assert first["month"] == "2026-03"
    assert first["category"] == "Account suspension"
    assert t.iloc[2]["category"] == "Unknown"  # case B has no cases row
    assert t.iloc[2]["response_hours"] == pytest.approx(26.0)
    assert t.iloc[2]["channel"] == "email"


def test_amazon_message_before_any_seller_message_is_not_a_reply() -> None:
    msgs = frame(
        ("A", "2026-03-01 08:00", "amazon"),
        ("A", "2026-03-01 09:00", "amazon"),
        ("A", "2026-03-02 10:00", "seller"),
        ("A", "2026-03-02 13:30", "amazon"),
    )
    t = turns(caselog_of(msgs))
    assert len(t) == 1
    assert t["first_seller_message_id"].tolist() == [2]
    assert t["reply_message_id"].tolist() == [3]
    assert t["response_hours"].tolist() == [3.5]


def test_open_turn_ages_to_newest_timestamp(two_cases: CaseLog) -> None:
    t = turns(two_cases)
    open_turn = t.iloc[1]
    assert open_turn["is_open"]
    assert pd.isna(open_turn["reply_message_id"]) and pd.isna(open_turn["reply_at"])
    assert np.isnan(open_turn["response_hours"])
    # 2026-03-04 10:00 -> newest timestamp 2026-03-06 12:00 (case B's reply) = 50 h
    assert open_turn["age_hours"] == pytest.approx(50.0)
    assert open_turn["over_sla"]
    assert open_turn["team"] == "Account Health Services"  # the last seller message's team
    assert open_turn["channel"] == "phone"  # the first seller message's channel
    assert t["reply_message_id"].dtype == "Int64"


def test_explicit_as_of_ignores_later_messages(two_cases: CaseLog) -> None:
    t = turns(two_cases, as_of="2026-03-03 09:30")  # naive: read as UTC
    assert t[["case_id", "turn"]].values.tolist() == [["A", 1]]
    row = t.iloc[0]
    assert row["is_open"] and row["n_seller_messages"] == 3
    assert row["age_hours"] == pytest.approx(23.5)  # 2026-03-02 10:00 -> 03-03 09:30
    assert not row["over_sla"]
    short = turns(two_cases, as_of="2026-03-03 09:30", sla_hours=20)
    assert short["over_sla"].tolist() == [True]


def test_acknowledgement_does_not_end_the_turn() -> None:
    msgs = frame(
        ("A", "2026-03-02 10:00", "seller"),
        ("A", "2026-03-02 10:05", "amazon",
         {"body": "Hello, we have received your appeal and will respond within 48 hours."}),
        ("A", "2026-03-02 11:00", "seller"),
        ("A", "2026-03-03 10:00", "amazon", SP),
    )
    log = caselog_of(msgs)
    t = turns(log)
    assert t["n_seller_messages"].tolist() == [2]
    assert t["reply_message_id"].tolist() == [3]
    assert t["response_hours"].tolist() == [24.0]

    raw = turns(log, exclude_acknowledgements=False)
    assert raw["reply_message_id"].tolist() == [1, 3]
    assert raw["response_hours"].tolist() == pytest.approx([5 / 60, 23.0])
    assert raw["n_seller_messages"].tolist() == [1, 1]


def test_acknowledgement_by_kind_and_substantive_text() -> None:
    msgs = frame(
        ("A", "2026-03-02 10:00", "seller"),
        ("A", "2026-03-02 11:00", "amazon", {"kind": "acknowledgement", "body": "Noted."}),
        ("A", "2026-03-02 11:30", "amazon", {"kind": "Auto-Reply", "body": "Out of office."}),
        ("A", "2026-03-02 12:00", "amazon", {"body": "This is an automated message."}),
        # acknowledgement wording, but a real answer: it ends the turn
        ("A", "2026-03-02 14:00", "amazon",
         {"body": "Thank you for contacting us. We are unable to reinstate your account."}),
    )
    t = turns(caselog_of(msgs))
    assert t["reply_message_id"].tolist() == [4]
    assert t["response_hours"].tolist() == [4.0]
    # a pattern of one's own replaces the default test ("Noted." stays an ack through kind)
    custom = turns(caselog_of(msgs), acknowledgement_pattern=r"(?i)automated|unable")
    assert custom["is_open"].tolist() == [True]
    with pytest.raises(ConfigError, match="acknowledgement_pattern"):
        turns(caselog_of(msgs), acknowledgement_pattern="(unclosed")


def test_acknowledgement_is_the_reply_class() -> None:
    # the reply classifier decides: "we've received" and "this is an automated message" are
    # acknowledgements; the same canned help-page answer is not (it ends the turn)
    msgs = frame(
        ("A", "2026-03-02 10:00", "seller"),
        ("A", "2026-03-02 10:05", "amazon", {"body": "We've received your e-mail."}),
        ("A", "2026-03-02 10:06", "amazon", {"body": "This is an automated response."}),
        ("A", "2026-03-02 16:00", "amazon",
         {"body": "Thank you for contacting Selling Partner Support. For more information, "
                  "please review the following help page."}),
    )
    t = turns(caselog_of(msgs))
    assert t["reply_message_id"].tolist() == [3]
    assert t["response_hours"].tolist() == [6.0]


def test_reply_classes_given_are_used_and_checked() -> None:
    msgs = frame(
        ("A", "2026-03-02 10:00", "seller"),
        ("A", "2026-03-02 11:00", "amazon", {"body": "Your account has been reinstated."}),
        ("A", "2026-03-02 13:00", "amazon", {"body": "Noted."}),
    )
    log = caselog_of(msgs)
    assert turns(log)["reply_message_id"].tolist() == [1]
    # the classes of a templates run (by message_id): message 1 was an acknowledgement there,
    # message 2 is missing from them and is classified here ("other": it ends the turn)
    given_classes = pd.Series(["acknowledgement"], index=[1])
    t = turns(log, reply_classes=given_classes)
    assert t["reply_message_id"].tolist() == [2]
    assert t["response_hours"].tolist() == [3.0]
    # the same rows in the same order take the fast path and give the same answer
    same = pd.Series(["acknowledgement", "other"], index=[1, 2])
    assert turns(log, reply_classes=same)["reply_message_id"].tolist() == [2]
    with pytest.raises(ConfigError, match="reply_classes"):
        turns(log, reply_classes=["acknowledgement"])
    with pytest.raises(ConfigError, match="duplicates"):
        turns(log, reply_classes=pd.Series(["other", "other", "other"], index=[1, 1, 2]))
    # without acknowledgements nothing is classified
    assert turns(log, exclude_acknowledgements=False)["reply_message_id"].tolist() == [1]


def test_analysis_turns_use_the_template_classes() -> None:
    # an edited copy of a canned acknowledgement: on its own wording ("please provide the
    # invoice") it is an information request and ends the turn; in the analysis it is grouped
    # with its template (six plain copies) and shares that template's class, acknowledgement
    import caselog

    ack = "We have received your appeal and will respond within 48 hours."
    rows = [("A", "2026-03-02 10:00", "seller")]
    for k in range(6):
        rows += [(f"C{k}", f"2026-03-0{k + 2} 10:00", "seller"),
                 (f"C{k}", f"2026-03-0{k + 2} 10:30", "amazon", {"body": ack})]
    rows += [("A", "2026-03-02 10:30", "amazon",
              {"body": ack + " Please provide the invoice."}),  # message 13
             ("A", "2026-03-03 10:00", "amazon", SP)]  # message 14
    log = caselog_of(frame(*rows))
    alone = turns(log).set_index("case_id")
    assert alone.loc["A", "reply_message_id"] == 13
    assert alone.loc["A", "response_hours"] == 0.5
    a = caselog.analyse(log)
    tm = a.templates.messages.set_index("message_id")
    assert tm.loc[13, "template_id"] == tm.loc[2, "template_id"]
    assert tm.loc[13, "reply_class"] == "acknowledgement"
    by_case = a.turns.set_index("case_id")
    assert by_case.loc["A", "reply_message_id"] == 14
    assert by_case.loc["A", "response_hours"] == 24.0
    assert by_case.loc[[f"C{k}" for k in range(6)], "is_open"].all()


def test_acknowledgement_in_non_ascii_text_and_python_only_pattern() -> None:
    msgs = frame(
        ("A", "2026-03-02 10:00", "seller", {"body": "Grüße, unser Aktionsplan"}),
        ("A", "2026-03-02 10:05", "amazon",
         {"body": "Hallo Jürgen — we’ve received your appeal. This is an automated message."}),
        ("A", "2026-03-02 12:00", "amazon", {"body": "Merci — nous avons examiné votre dossier."}),
    )
    assert turns(msgs)["reply_message_id"].tolist() == [2]
    # a lookahead (Python re only): acknowledgement unless the text says "examiné"
    custom = turns(msgs, acknowledgement_pattern=r"(?is)^(?!.*examiné)")
    assert custom["reply_message_id"].tolist() == [2]
    everything = turns(msgs, acknowledgement_pattern=r"(?is)^(?!.*zzz)")
    assert everything["is_open"].tolist() == [True]


def test_unsorted_input_and_equal_timestamps() -> None:
    msgs = frame(
        ("B", "2026-03-02 10:00", "seller"),
        ("A", "2026-03-02 11:00", "amazon"),
        ("A", "2026-03-02 09:00", "seller"),
        ("B", "2026-03-02 10:00", "amazon"),  # same time as B's seller message, later id
    ).sample(frac=1.0, random_state=3)
    t = turns(msgs)
    assert t["case_id"].tolist() == ["A", "B"]
    assert t["reply_message_id"].tolist() == [1, 3]
    assert t["response_hours"].tolist() == [2.0, 0.0]


def test_turns_business_hours_for_answered_and_open_turns() -> None:
    msgs = frame(
        ("A", "2026-03-06 16:00", "seller"),  # Friday
        ("A", "2026-03-09 10:00", "amazon"),  # Monday: 2 working hours
        ("A", "2026-03-09 11:00", "seller"),
        ("B", "2026-03-09 15:30", "seller"),  # newest: as_of
    )
    t = turns(caselog_of(msgs), calendar=BusinessCalendar())
    assert t["business_hours"].tolist() == pytest.approx([2.0, 4.5, 0.0])
    assert t["response_hours"].iloc[0] == pytest.approx(66.0)
    assert turns(caselog_of(msgs))["business_hours"].isna().all()


def test_turns_accepts_a_messages_frame_and_checks_columns() -> None:
    msgs = frame(("A", "2026-03-02 10:00", "seller"), ("A", "2026-03-02 11:00", "amazon"))
    assert turns(msgs)["response_hours"].tolist() == [1.0]
    with pytest.raises(SchemaError, match="direction"):
        turns(msgs.drop(columns="direction"))
    with pytest.raises(ConfigError, match="calendar"):
        turns(msgs, calendar="9-5")


def test_turns_empty_inputs() -> None:
    empty = turns(caselog_of(frame()))
    assert list(empty.columns) == list(TURN_COLUMNS) and len(empty) == 0
    only_amazon = turns(caselog_of(frame(("A", "2026-03-02 10:00", "amazon"))))
    assert len(only_amazon) == 0
    assert response_summary(only_amazon, by=None)["n"].tolist() == [0]
    assert len(response_summary(only_amazon, by="team")) == 0
    assert list(first_response(only_amazon).columns) == [
        "case_id", "account", "category", "first_response_hours", "is_open"]


def test_first_response(two_cases: CaseLog) -> None:
    fr = first_response(turns(two_cases))
    assert list(fr.columns) == ["case_id", "account", "category", "first_response_hours", "is_open"]
    assert fr["case_id"].tolist() == ["A", "B"]
    assert fr["first_response_hours"].tolist() == [24.0, 26.0]
    assert fr["is_open"].tolist() == [False, False]


# ---------------------------------------------------------------------------- business hours


def bh(start: str, end: str, cal: BusinessCalendar) -> float:
    """Business hours between two UTC wall times."""
    s = pd.Series([pd.Timestamp(start, tz="UTC")])
    e = pd.Series([pd.Timestamp(end, tz="UTC")])
    return float(business_hours_between(s, e, cal).iloc[0])


def test_business_hours_across_a_weekend() -> None:
    assert bh("2026-03-06 16:00", "2026-03-09 10:00", BusinessCalendar()) == pytest.approx(2.0)
    assert bh("2026-03-09 07:00", "2026-03-09 09:30", BusinessCalendar()) == pytest.approx(0.5)
    assert bh("2026-03-09 10:00", "2026-03-09 12:30", BusinessCalendar()) == pytest.approx(2.5)
    assert bh("2026-03-07 10:00", "2026-03-08 20:00", BusinessCalendar()) == 0.0
    # a full week Monday 00:00 -> next Monday 00:00 is 40 h
    assert bh("2026-03-09 00:00", "2026-03-16 00:00", BusinessCalendar()) == pytest.approx(40.0)


def test_business_hours_across_a_holiday() -> None:
    cal = BusinessCalendar(holidays=(dt.date(2026, 12, 25),))
    # Thu 16:00 -> Mon 10:00: Thu 1 h + Fri 25 Dec (holiday) 0 h + Mon 1 h
    assert bh("2026-12-24 16:00", "2026-12-28 10:00", cal) == pytest.approx(2.0)
    assert bh("2026-12-24 16:00", "2026-12-28 10:00", BusinessCalendar()) == pytest.approx(10.0)
    assert bh("2026-12-25 10:00", "2026-12-25 12:00", cal) == 0.0


def test_business_hours_in_a_non_utc_zone_across_dst() -> None:
    ny = BusinessCalendar(tz="America/New_York")
    # Fri 20:00 UTC = 15:00 EST; Mon 14:00 UTC = 10:00 EDT (clocks moved on Sun 8 March)
    assert bh("2026-03-06 20:00", "2026-03-09 14:00", ny) == pytest.approx(3.0)
    # the same instants under UTC hours: Mon 09:00-14:00 = 5 h
    assert bh("2026-03-06 20:00", "2026-03-09 14:00", BusinessCalendar()) == pytest.approx(5.0)
    berlin = BusinessCalendar(tz="Europe/Berlin")
    # Fri 27 March 16:00 CET -> Mon 30 March 10:00 CEST (DST on Sun 29 March)
    assert bh("2026-03-27 15:00", "2026-03-30 08:00", berlin) == pytest.approx(2.0)


def test_business_hours_split_shifts_nat_and_index() -> None:
    cal = BusinessCalendar(weekly=((("09:00", "12:00"), ("13:00", "17:00")),) * 5 + ((), ()))
    assert bh("2026-03-09 11:00", "2026-03-09 14:00", cal) == pytest.approx(2.0)
    start = pd.Series(pd.to_datetime(["2026-03-09 10:00", None], utc=True), index=[7, 8])
    end = pd.Series(pd.to_datetime(["2026-03-09 11:00", "2026-03-09 11:00"], utc=True), index=[7, 8])
    out = business_hours_between(start, end, BusinessCalendar())
    assert out.index.tolist() == [7, 8]
    assert out.iloc[0] == 1.0 and np.isnan(out.iloc[1])


def test_business_calendar_validation() -> None:
    assert BusinessCalendar(weekly=(("08:00", "16:00"),) * 7).hours_per_week == 56.0
    assert BusinessCalendar(holidays=("2026-12-25",)).holidays == (dt.date(2026, 12, 25),)
    with pytest.raises(ConfigError, match="Mars/Olympus"):
        BusinessCalendar(tz="Mars/Olympus")
    with pytest.raises(ConfigError, match="seven"):
        BusinessCalendar(weekly=(("09:00", "17:00"),) * 6)
    with pytest.raises(ConfigError, match=r"weekly\[0\]"):
        BusinessCalendar(weekly=(("17:00", "09:00"),) + ((),) * 6)
    with pytest.raises(ConfigError, match="25:00"):
        BusinessCalendar(weekly=(("09:00", "25:00"),) + ((),) * 6)
    with pytest.raises(ConfigError, match="overlap"):
        BusinessCalendar(weekly=((("09:00", "13:00"), ("12:00", "17:00")),) + ((),) * 6)
    with pytest.raises(ConfigError, match="holidays"):
        BusinessCalendar(holidays=("soon",))
    with pytest.raises(ConfigError, match="BusinessCalendar"):
        business_hours_between(pd.Series([], dtype="datetime64[ns, UTC]"),
                               pd.Series([], dtype="datetime64[ns, UTC]"), "UTC")


# --------------------------------------------------------------------------------- summary


@pytest.fixture
def hand_turns() -> pd.DataFrame:
    """Team A: answered 1, 2, 3, 10 h and one open turn aged 50 h; team B: 60 h and open 10 h."""
    return pd.DataFrame(
        {
            "case_id": ["c1", "c1", "c2", "c3", "c4", "c5", "c6"],
            "team": ["A", "A", "A", "A", "A", "B", "B"],
            "is_open": [False, False, False, False, True, False, True],
            "response_hours": [1.0, 2.0, 3.0, 10.0, np.nan, 60.0, np.nan],
            "age_hours": [np.nan] * 4 + [50.0, np.nan, 10.0],
            "business_hours": [0.5, 1.0, 1.5, 5.0, 20.0, 30.0, 2.0],
        }
    )


def test_summary_by_team(hand_turns: pd.DataFrame) -> None:
    s = response_summary(hand_turns, by="team")
    assert list(s.columns) == ["team", "n", "n_answered", "n_open", "mean_hours",
                               "median_hours", "p90_hours", "share_over_sla"]
    a, b = s.iloc[0], s.iloc[1]
    assert (a["team"], a["n"], a["n_answered"], a["n_open"]) == ("A", 5, 4, 1)
    assert a["mean_hours"] == pytest.approx(4.0)
    assert a["median_hours"] == pytest.approx(2.5)
    assert a["p90_hours"] == pytest.approx(7.9)  # 3 + 0.7 * (10 - 3)
    assert a["share_over_sla"] == pytest.approx(0.2)  # only the open turn aged 50 h
    assert (b["n"], b["n_open"], b["mean_hours"], b["p90_hours"]) == (2, 1, 60.0, 60.0)
    assert b["share_over_sla"] == pytest.approx(0.5)


def test_summary_overall_and_sla(hand_turns: pd.DataFrame) -> None:
    s = response_summary(hand_turns, by=None)
    assert list(s.columns)[0] == "n" and len(s) == 1
    row = s.iloc[0]
    assert (row["n"], row["n_answered"], row["n_open"]) == (7, 5, 2)
    assert row["mean_hours"] == pytest.approx(15.2)
    assert row["median_hours"] == pytest.approx(3.0)
    assert row["p90_hours"] == pytest.approx(40.0)  # 10 + 0.6 * (60 - 10)
    assert row["share_over_sla"] == pytest.approx(2 / 7)
    tight = response_summary(hand_turns, by="team", sla_hours=5)
    assert tight["share_over_sla"].tolist() == pytest.approx([2 / 5, 2 / 2])


def test_summary_business_hours_and_lists(hand_turns: pd.DataFrame) -> None:
    s = response_summary(hand_turns, by=["team"], value="business_hours", sla_hours=8)
    a = s.iloc[0]
    assert a["mean_hours"] == pytest.approx(2.0)  # 0.5, 1, 1.5, 5 (the open 20 h is an age)
    assert a["share_over_sla"] == pytest.approx(1 / 5)  # the open turn's 20 working hours
    by_case = response_summary(hand_turns, by=["team", "case_id"])
    assert by_case[["team", "case_id"]].values.tolist()[:2] == [["A", "c1"], ["A", "c2"]]
    assert by_case["n"].tolist() == [2, 1, 1, 1, 1, 1]


def test_summary_unknown_by_names_the_column(hand_turns: pd.DataFrame) -> None:
    with pytest.raises(ConfigError, match="'departement'.*available: case_id, team") as err:
        response_summary(hand_turns, by="departement")
    assert err.value.column == "departement"
    with pytest.raises(ConfigError, match="value"):
        response_summary(hand_turns, value="minutes")


# ---------------------------------------------------------------------------- property test


def reference_turns(directions: list[str], acks: list[bool]) -> list[tuple[int, int, int | None]]:
    """(first seller index, seller count, reply index or None) by a plain loop."""
    out: list[list] = []
    current = None
    for i, (d, ack) in enumerate(zip(directions, acks, strict=True)):
        if d == "seller":
            if current is None:
                current = [i, 0, None]
                out.append(current)
            current[1] += 1
        elif not ack and current is not None:
            current[2] = i
            current = None
    return [tuple(t) for t in out]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["A", "B", "C"]),
            st.sampled_from(["seller", "amazon"]),
            st.booleans(),
            st.integers(1, 90),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_turns_partition_seller_messages(events: list[tuple[str, str, bool, int]]) -> None:
    """Turns partition each case's seller messages; replies are found as a plain loop does.

    Precisely, per case: every seller message (at or before ``as_of``, which here is the
    newest message) lies in exactly one turn, so the turns' ``n_seller_messages`` add up to the
    case's seller messages; a turn's reply is the first Amazon message after its last seller
    message that is not an acknowledgement; only the case's last turn can be open; response
    and age hours are >= 0 and equal the minutes between the messages.
    """
    start = pd.Timestamp("2026-01-05 00:00", tz="UTC")
    minutes = np.cumsum([gap for *_, gap in events])  # strictly increasing: no ties
    rows = [
        (case, str((start + pd.Timedelta(minutes=int(mins))).tz_localize(None)), d,
         {"kind": "acknowledgement" if ack and d == "amazon" else "",
          "body": "We are unable to reinstate." if d == "amazon" else "appeal"})
        for (case, d, ack, _), mins in zip(events, minutes, strict=True)
    ]
    msgs = frame(*rows)  # message_id = position in `events`
    t = turns(caselog_of(msgs))

    expected = []
    for case in sorted({e[0] for e in events}):
        idx = [i for i, e in enumerate(events) if e[0] == case]
        ref = reference_turns([events[i][1] for i in idx], [events[i][2] for i in idx])
        for no, (first, count, reply) in enumerate(ref, start=1):
            end = minutes[idx[reply]] if reply is not None else minutes[-1]
            expected.append((case, no, idx[first], count, None if reply is None else idx[reply],
                             (end - minutes[idx[first]]) / 60))
    hours = t["response_hours"].fillna(t["age_hours"])
    reply_ids = t["reply_message_id"].astype(object).where(t["reply_message_id"].notna(), None)
    got = list(zip(t["case_id"], t["turn"], t["first_seller_message_id"], t["n_seller_messages"],
                   reply_ids, hours, strict=True))
    assert [g[:5] for g in got] == [e[:5] for e in expected]
    assert [g[5] for g in got] == pytest.approx([e[5] for e in expected])

    sellers = pd.Series([e[0] for e in events if e[1] == "seller"], dtype="str")
    per_case = t.groupby("case_id")["n_seller_messages"].sum()
    assert per_case.to_dict() == sellers.value_counts().to_dict()
    last_turn = t["turn"] == t.groupby("case_id")["turn"].transform("max")
    assert not (t["is_open"] & ~last_turn).any()
    assert (t["response_hours"].dropna() >= 0).all() and (t["age_hours"].dropna() >= 0).all()


def reference_business_hours(start: pd.Timestamp, end: pd.Timestamp, tz: str,
                             weekly: tuple, holidays: tuple) -> float:
    """Working hours by walking the local calendar days one at a time (wall time)."""
    a = start.tz_convert(tz).tz_localize(None)
    b = end.tz_convert(tz).tz_localize(None)
    total = 0.0
    day = a.normalize()
    while day <= b:
        if day.date() not in holidays:
            for s, e in weekly[day.weekday()]:
                lo = max(a, day + pd.Timedelta(s + ":00"))
                hi = min(b, day + pd.Timedelta(e + ":00"))
                total += max((hi - lo).total_seconds(), 0.0) / 3600
        day += pd.Timedelta(days=1)
    return total


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 60 * 24 * 40), st.integers(0, 60 * 24 * 12)),
             min_size=1, max_size=6),
    st.sampled_from(["UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata"]),
    st.booleans(),
)
def test_business_hours_match_a_day_by_day_reference(
    spans: list[tuple[int, int]], tz: str, split: bool
) -> None:
    """Vectorised business hours equal a per-day loop, and never exceed the elapsed time."""
    shifts = (("08:30", "12:00"), ("13:00", "18:15")) if split else (("09:00", "17:00"),)
    weekly = (shifts,) * 5 + ((("10:00", "14:00"),), ())
    holidays = (dt.date(2026, 3, 9), dt.date(2026, 3, 30))
    cal = BusinessCalendar(tz=tz, weekly=weekly, holidays=holidays)
    base = pd.Timestamp("2026-02-25 00:00", tz="UTC")  # across both 2026 DST changes
    starts = pd.Series([base + pd.Timedelta(minutes=s) for s, _ in spans])
    ends = pd.Series([base + pd.Timedelta(minutes=s + d) for s, d in spans])
    got = business_hours_between(starts, ends, cal)
    want = [reference_business_hours(s, e, tz, cal.weekly, holidays)
            for s, e in zip(starts, ends, strict=True)]
    assert got.tolist() == pytest.approx(want, abs=1e-9)
    elapsed = (ends - starts).dt.total_seconds() / 3600
    assert ((got >= 0) & (got <= elapsed + 1e-9)).all()


# ------------------------------------------------------------------------------ sample data


@pytest.fixture(scope="module")
def small_sample():
    from caselog.sample import generate

    return generate(n_cases=60)


def test_turns_on_sample_data(small_sample) -> None:
    log = small_sample.log
    t = turns(log, calendar=BusinessCalendar())
    assert len(t) > 0
    assert not t.duplicated(["case_id", "turn"]).any()
    assert t.groupby("case_id")["turn"].apply(lambda s: s.tolist() == list(range(1, len(s) + 1))).all()
    answered = t[~t["is_open"]]
    assert (answered["reply_at"] >= answered["first_seller_at"]).all()
    assert (answered["response_hours"] >= 0).all() and answered["age_hours"].isna().all()
    assert t.loc[t["is_open"], "response_hours"].isna().all()
    assert (t["business_hours"] <= t["response_hours"].fillna(t["age_hours"]) + 1e-9).all()
    seller = log.messages[log.messages["direction"] == "seller"]
    assert int(t["n_seller_messages"].sum()) == len(seller)
    assert set(t["case_id"]) == set(seller["case_id"])
    assert set(t["category"]) <= set(log.cases["category"]) | {"Unknown"}
    s = response_summary(t, by="team")
    assert int(s["n"].sum()) == len(t)
    assert set(first_response(t)["case_id"]) == set(seller["case_id"])


def test_sample_acknowledgements_never_end_a_turn(small_sample) -> None:
    """The generator's true acknowledgements (many without a ``kind``) are all skipped."""
    log = small_sample.log
    truth = small_sample.truth_messages
    keyed = log.messages.merge(truth[["case_id", "sent_at", "reply_class"]],
                               on=["case_id", "sent_at"], how="left", validate="one_to_one")
    acks = set(keyed.loc[keyed["reply_class"] == "acknowledgement", "message_id"])
    assert acks, "the sample has acknowledgements"
    replies = set(turns(log)["reply_message_id"].dropna())
    assert not replies & acks
    raw_replies = set(turns(log, exclude_acknowledgements=False)["reply_message_id"].dropna())
    assert raw_replies & acks
    others = set(keyed.loc[keyed["reply_class"].isin(["denial", "acceptance"]), "message_id"])
    assert others & replies  # real answers still end turns


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), st.datetimes(min_value=dt.datetime(1900, 1, 1),
                                                  max_value=dt.datetime(2200, 12, 31))), max_size=30))
def test_month_labels_are_the_months_pandas_writes(times):
    from caselog.analysis._responses import _month_labels

    ns = pd.DatetimeIndex(pd.Series(times, dtype="datetime64[ns]")).asi8
    want = pd.array(pd.DatetimeIndex(ns.view("datetime64[ns]")).to_period("M").strftime("%Y-%m"),
                    dtype="str")
    got = _month_labels(ns)
    assert got.dtype == want.dtype
    assert [x if isinstance(x, str) else None for x in got.tolist()] == \
        [x if isinstance(x, str) else None for x in want.tolist()]
