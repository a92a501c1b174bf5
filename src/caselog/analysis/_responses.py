"""Response times: turns, first responses, summaries and business hours.

A **turn** is a maximal run of seller messages in a case, ended by the first Amazon reply
after it.  Its **response time** is that reply's time minus the *first* seller message of the
run: the seller's own follow-ups do not restart the clock.  Amazon messages that come before
any seller message (the suspension notice that opens a case, say) answer nothing and are not
replies.  Automated acknowledgements (Amazon messages whose reply class is
``acknowledgement``: "we have received your appeal and will respond within 48 hours") do not
end a turn unless ``exclude_acknowledgements=False``.  A turn without a reply is *open*; its
age runs to ``as_of``, which defaults to the newest ``sent_at`` in the data (never the wall
clock), and messages after ``as_of`` are ignored.

Everything here is vectorised (no Python loop per message or per turn), so a million messages
take a few seconds.

Functions
---------
turns
    One row per turn.
first_response
    The first turn of every case.
response_summary
    Counts, mean, median, 90th percentile and the share over the SLA, by any column(s).
business_hours_between
    Working hours between two timestamp columns under a :class:`BusinessCalendar`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._memory import uses_arrow_pool
from ..errors import ConfigError, SchemaError
from ..io import to_utc_timestamp
from ..model import CaseLog
from ..schema import SUMMARY_COLUMNS, TURN_COLUMNS, TURN_DTYPES, empty_frame
from ._calendar import BusinessCalendar, _as_utc_ns, business_hours_between
from ._frame import contains, require_columns
from ._replyclass import ReplyPatterns
from ._replyclass import reply_classes as _classify

__all__ = [
    "turns",
    "first_response",
    "response_summary",
    "TURN_COLUMNS",
    "SUMMARY_COLUMNS",
]

#: ``kind`` labels that mark an acknowledgement (the loader maps aliases to the first one)
_ACK_KINDS = ("acknowledgement", "acknowledgment", "ack", "auto-reply", "autoreply", "auto reply")
_NS_PER_HOUR = 3_600 * 10**9


# --------------------------------------------------------------------------------------------
# Turns
# --------------------------------------------------------------------------------------------

_NEEDED = ("message_id", "case_id", "sent_at", "direction")
_OPTIONAL_TEXT = {
    "account": "default",
    "team": "Unknown",
    "channel": "other",
    "kind": "",
    "subject": "",
    "body": "",
}


def _split_log(log: Any) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    if isinstance(log, CaseLog):
        return log.messages, log.cases
    if isinstance(log, pd.DataFrame):
        return log, None
    raise ConfigError(f"log: expected a CaseLog or a messages DataFrame, found {type(log).__name__}")


def _resolve_as_of(as_of: Any, sent_ns: np.ndarray) -> int | None:
    """``as_of`` as UTC nanoseconds; default the newest ``sent_at`` (None when there is none)."""
    if as_of is None:
        valid = sent_ns[sent_ns != np.iinfo(np.int64).min]
        return int(valid.max()) if valid.size else None
    return int(to_utc_timestamp(as_of).as_unit("ns").value)


def _text_at(messages: pd.DataFrame, column: str, positions: np.ndarray) -> pd.Series:
    """``messages[column]`` at ``positions`` as ``str`` (the column's default when absent)."""
    default = _OPTIONAL_TEXT[column]
    if column not in messages.columns:
        return pd.Series(default, index=np.arange(positions.size), dtype="str")
    values = messages[column].iloc[positions].reset_index(drop=True)
    return values.fillna(default).astype("str")


def _acknowledgements(
    messages: pd.DataFrame,
    positions: np.ndarray,
    pattern: str | re.Pattern[str] | None,
    classes: pd.Series | None,
) -> np.ndarray:
    """Which of the Amazon messages at ``positions`` are automated acknowledgements.

    With a ``pattern``: its kind says so, or its ``subject + "\\n" + body`` matches.  Otherwise:
    its reply class is ``acknowledgement``, taken from ``classes`` (indexed by ``message_id``)
    where they hold the message, and classified here for the others.
    """
    if pattern is not None:
        kind = _text_at(messages, "kind", positions)
        is_ack = np.array(kind.str.strip().str.lower().isin(_ACK_KINDS), dtype=bool)
        rest = np.flatnonzero(~is_ack)
        if rest.size:
            text = (_text_at(messages, "subject", positions[rest]) + "\n"
                    + _text_at(messages, "body", positions[rest]))
            is_ack[rest[contains(text, pattern, "acknowledgement_pattern")]] = True
        return is_ack
    n = positions.size
    found = np.zeros(n, dtype=bool)
    is_ack = np.zeros(n, dtype=bool)
    if classes is not None and len(classes):
        ids = np.asarray(messages["message_id"].iloc[positions], dtype=np.int64)
        values = np.asarray(classes.astype("str").fillna("").to_numpy(dtype=object) == "acknowledgement")
        keys = classes.index.to_numpy()
        if keys.shape == ids.shape and np.array_equal(keys, ids):  # the same rows in the same order
            found[:], is_ack[:] = True, values
        else:
            if not classes.index.is_unique:
                raise ConfigError("reply_classes: its index (message_id) has duplicates")
            where = classes.index.get_indexer(ids)
            found = where >= 0
            is_ack[found] = values[where[found]]
    missing = np.flatnonzero(~found)
    if missing.size:
        rows = messages.iloc[positions[missing]]
        frame = pd.DataFrame({"direction": np.full(missing.size, "amazon", dtype=object)})
        for column in ("body", "subject", "kind"):
            if column in rows.columns:
                frame[column] = rows[column].to_numpy()
        if "body" not in frame.columns:
            frame["body"] = ""
        cls = _classify(frame, ReplyPatterns.default())
        is_ack[missing] = (cls == "acknowledgement").to_numpy(dtype=bool)
    return is_ack


def _utc(ns: np.ndarray) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(ns.view("datetime64[ns]")).tz_localize("UTC")


def _month_labels(ns: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """``"YYYY-MM"`` (UTC) of each nanosecond time, missing for NaT: each distinct month is
    written once (``to_period("M").strftime`` formats every value).

    Examples
    --------
    >>> t = pd.to_datetime(["2026-03-31 23:59", "2026-04-01 00:00", None]).as_unit("ns").asi8
    >>> _month_labels(t).tolist()
    ['2026-03', '2026-04', nan]
    """
    months = np.asarray(ns, dtype=np.int64).view("datetime64[ns]").astype("datetime64[M]")
    codes, distinct = pd.factorize(months)  # NaT -> -1
    labels = pd.array(np.datetime_as_string(np.asarray(distinct, dtype="datetime64[M]"), unit="M"),
                      dtype="str")
    return labels.take(codes, allow_fill=True)


@uses_arrow_pool
def turns(
    log: CaseLog | pd.DataFrame,
    *,
    as_of: Any = None,
    calendar: BusinessCalendar | None = None,
    exclude_acknowledgements: bool = True,
    acknowledgement_pattern: str | re.Pattern[str] | None = None,
    sla_hours: float = 48,
    reply_classes: pd.Series | None = None,
) -> pd.DataFrame:
    """One row per turn: a run of seller messages and the Amazon reply that ended it.

    A turn starts at a seller message that does not follow another seller message of the same
    case and takes in the seller messages after it up to the first Amazon reply; that reply
    ends it.  Response time is measured from the turn's *first* seller message.  Amazon
    messages before any seller message, or after a reply, answer nothing and are skipped.

    With ``exclude_acknowledgements`` (the default) an automated acknowledgement does not end a
    turn: an Amazon message whose reply class (:func:`caselog.classify_replies`: its ``kind``
    label, else the ordered wording rules on its masked body) is ``acknowledgement``: "we have
    received your appeal", "we will respond within ...", "your appeal is under review", "this is
    an automated message", "thank you for contacting ...", unless a rule of a real answer comes
    first ("Thank you for contacting us. We are unable to reinstate ..." is a denial and ends the
    turn).  These are the reply classes of :func:`caselog.find_templates`; pass them as
    ``reply_classes`` (as :class:`caselog.Analysis` does) and they are not computed twice.
    ``acknowledgement_pattern`` replaces that test: a message is then an acknowledgement when
    its kind says so or its ``subject + "\\n" + body`` matches the regex (use ``(?s)`` for ``.``
    to cross the line).

    Parameters
    ----------
    log : CaseLog or pandas.DataFrame
        A CaseLog, or its ``messages`` table alone (categories are then ``"Unknown"``).
        Needed columns: ``message_id, case_id, sent_at, direction``; used when present:
        ``account, team, channel, kind, subject, body``; ``cases.category``.
    as_of : timestamp, optional
        The moment of the analysis (naive values are UTC).  Default: the newest ``sent_at``.
        Messages after it are ignored; open turns age up to it.
    calendar : BusinessCalendar, optional
        When given, ``business_hours`` holds working hours (to the reply, or to ``as_of`` for
        open turns); otherwise NaN.
    exclude_acknowledgements : bool
        Skip automated acknowledgements (default True).
    acknowledgement_pattern : str or compiled regex, optional
        Replaces the default acknowledgement test (see above).
    sla_hours : float
        Response-time target for ``over_sla`` (default 48, rule 3 of docs/domain.md).
    reply_classes : pandas.Series, optional
        The reply class of Amazon messages, indexed by ``message_id`` (e.g.
        ``find_templates(log).messages.set_index("message_id")["reply_class"]``); messages it
        does not hold are classified with the default :class:`~caselog.ReplyPatterns`.

    Returns
    -------
    pandas.DataFrame
        Sorted by ``case_id, turn``; columns:

        - ``case_id, account`` (str); ``category`` (str, from ``log.cases``, ``"Unknown"`` when
          absent); ``turn`` (int, 1-based within the case);
        - ``first_seller_message_id`` (int), ``first_seller_at`` (UTC), ``n_seller_messages``;
        - ``reply_message_id`` (Int64, NA while open), ``reply_at`` (NaT while open);
        - ``team``: the replying team, or the team of the last seller message while open;
        - ``channel``: of the reply, or of the first seller message while open;
        - ``is_open`` (bool); ``response_hours`` (NaN while open); ``age_hours`` (``as_of``
          minus first seller message; NaN once answered); ``business_hours`` (float);
        - ``over_sla``: ``response_hours > sla_hours``, or open with ``age_hours > sla_hours``;
        - ``month``: ``"YYYY-MM"`` of ``first_seller_at`` (UTC).

    Raises
    ------
    SchemaError
        A needed column is missing.
    ConfigError
        A bad ``as_of``, ``calendar``, ``sla_hours``, ``acknowledgement_pattern`` or
        ``reply_classes``.

    Examples
    --------
    >>> import caselog
    >>> t = turns(caselog.sample.generate(n_cases=20).log)
    >>> bool((t["reply_at"].dropna() >= t.loc[~t["is_open"], "first_seller_at"]).all())
    True
    """
    messages, cases = _split_log(log)
    require_columns(messages, _NEEDED, "turns()")
    if calendar is not None and not isinstance(calendar, BusinessCalendar):
        raise ConfigError(f"calendar: expected a BusinessCalendar, found {type(calendar).__name__}")
    if isinstance(sla_hours, bool) or not isinstance(sla_hours, int | float) or not sla_hours >= 0:
        raise ConfigError(f"sla_hours: expected a non-negative number, found {sla_hours!r}")
    if reply_classes is not None and not isinstance(reply_classes, pd.Series):
        raise ConfigError(
            f"reply_classes: expected a pandas Series indexed by message_id, "
            f"found {type(reply_classes).__name__}"
        )

    sent_ns, _ = _as_utc_ns(messages["sent_at"], "sent_at")
    as_of_ns = _resolve_as_of(as_of, sent_ns)
    if as_of_ns is None:
        return empty_frame(TURN_DTYPES)

    nat = np.iinfo(np.int64).min
    pos = np.flatnonzero((sent_ns != nat) & (sent_ns <= as_of_ns))  # rows of `messages`
    try:
        all_ids = np.asarray(messages["message_id"], dtype=np.int64)
    except (TypeError, ValueError) as exc:
        raise SchemaError("column 'message_id': expected integers", column="message_id") from exc
    all_codes, case_names = pd.factorize(messages["case_id"].astype("str"), sort=True)

    # canonical order: case_id, sent_at, message_id (skip the sort when already in it)
    c, t, i = all_codes[pos], sent_ns[pos], all_ids[pos]
    dc, dt_, di = np.diff(c), np.diff(t), np.diff(i)
    if not ((dc > 0) | ((dc == 0) & ((dt_ > 0) | ((dt_ == 0) & (di > 0))))).all():
        pos = pos[np.lexsort((i, t, c))]
    del c, t, i, dc, dt_, di  # message-sized: freed before the next ones are made

    direction = messages["direction"].astype("str").str.strip().str.lower()
    seller = np.array(direction == "seller", dtype=bool)[pos]
    amazon = np.array(direction == "amazon", dtype=bool)[pos]
    del direction
    if exclude_acknowledgements and amazon.any():
        amazon_rows = np.flatnonzero(amazon)
        ack = _acknowledgements(messages, pos[amazon_rows], acknowledgement_pattern, reply_classes)
        amazon[amazon_rows[ack]] = False
    used = seller | amazon
    pos, seller = pos[used], seller[used]
    if not seller.any():
        return empty_frame(TURN_DTYPES)

    codes = all_codes[pos]
    n = pos.size
    same_prev = np.zeros(n, dtype=bool)
    same_prev[1:] = codes[1:] == codes[:-1]
    same_next = np.zeros(n, dtype=bool)
    same_next[:-1] = same_prev[1:]
    prev_seller = np.zeros(n, dtype=bool)
    prev_seller[1:] = seller[:-1]
    prev_seller &= same_prev
    next_seller = np.zeros(n, dtype=bool)
    next_seller[:-1] = seller[1:]
    next_seller &= same_next

    first = np.flatnonzero(seller & ~prev_seller)  # first seller message of each turn
    last = np.flatnonzero(seller & ~next_seller)  # last seller message of each turn
    answered = same_next[last]  # the next row of the case exists and is an Amazon reply
    reply = np.where(answered, last + 1, last)  # row of the reply (own last row while open)

    turn_codes = codes[first]
    k = np.arange(first.size)
    new_case = np.ones(first.size, dtype=bool)
    new_case[1:] = turn_codes[1:] != turn_codes[:-1]
    turn_no = k - np.maximum.accumulate(np.where(new_case, k, 0)) + 1

    ns = sent_ns[pos]
    first_ns = ns[first]
    reply_ns = np.where(answered, ns[reply], nat)
    is_open = ~answered
    response = np.where(answered, (reply_ns - first_ns) / _NS_PER_HOUR, np.nan)
    age = np.where(is_open, (as_of_ns - first_ns) / _NS_PER_HOUR, np.nan)
    ids = all_ids[pos]

    # category: looked up once per case name, then taken per turn
    case_category = pd.Series("Unknown", index=case_names, dtype="str")
    if cases is not None and len(cases) and {"case_id", "category"} <= set(cases.columns):
        lookup = (
            cases[["case_id", "category"]]
            .assign(case_id=lambda x: x["case_id"].astype("str"))
            .drop_duplicates("case_id")
            .set_index("case_id")["category"]
        )
        found = pd.Series(case_names, index=case_names).map(lookup).fillna("").astype("str")
        case_category = found.where(found.str.strip() != "", "Unknown")

    team = _text_at(messages, "team", pos[np.where(answered, reply, last)])
    channel = _text_at(messages, "channel", pos[np.where(answered, reply, first)])
    account = _text_at(messages, "account", pos[first])
    first_at = _utc(first_ns)
    out = pd.DataFrame(
        {
            "case_id": case_names.take(turn_codes).astype("str").array,
            "account": account.array,
            "category": case_category.take(turn_codes).array,
            "turn": turn_no.astype(np.int64),
            "first_seller_message_id": ids[first].astype(np.int64),
            "first_seller_at": first_at,
            "n_seller_messages": (last - first + 1).astype(np.int64),
            "reply_message_id": pd.arrays.IntegerArray(
                np.where(answered, ids[reply], 0).astype(np.int64), is_open.copy()
            ),
            "reply_at": _utc(reply_ns),
            "team": team.array,
            "channel": channel.array,
            "is_open": is_open,
            "response_hours": response,
            "age_hours": age,
            "business_hours": np.full(first.size, np.nan),
            "over_sla": np.where(answered, response > sla_hours, age > sla_hours),
            "month": _month_labels(first_ns),
        }
    )
    if calendar is not None:
        end = np.where(answered, reply_ns, as_of_ns)
        out["business_hours"] = business_hours_between(
            first_at, _utc(end), calendar
        ).to_numpy()
    return out


def first_response(turns: pd.DataFrame) -> pd.DataFrame:
    """The first turn of every case: how long Amazon took to answer the first time.

    Parameters
    ----------
    turns : pandas.DataFrame
        Output of :func:`turns` (needs ``case_id, account, category, turn, response_hours,
        is_open``).

    Returns
    -------
    pandas.DataFrame
        One row per case that has a seller message, sorted by ``case_id``: ``case_id,
        account, category, first_response_hours`` (NaN while the first turn is open),
        ``is_open``.

    Examples
    --------
    >>> import caselog
    >>> t = turns(caselog.sample.generate(n_cases=20).log)
    >>> first_response(t)["case_id"].is_unique
    True
    """
    needed = ["case_id", "account", "category", "turn", "response_hours", "is_open"]
    require_columns(turns, needed, "turns")
    first = turns.loc[turns["turn"] == 1, needed].sort_values("case_id", kind="stable")
    first = first.drop_duplicates("case_id").reset_index(drop=True)
    return first.rename(columns={"response_hours": "first_response_hours"}).drop(columns="turn")


# --------------------------------------------------------------------------------------------
# Summary
# --------------------------------------------------------------------------------------------


def response_summary(
    turns: pd.DataFrame,
    by: str | Sequence[str] | None = "team",
    *,
    sla_hours: float = 48,
    value: str = "response_hours",
) -> pd.DataFrame:
    """Response-time statistics of :func:`turns`, by team, case, category, month, ...

    Parameters
    ----------
    turns : pandas.DataFrame
        Output of :func:`turns` (needs ``is_open, response_hours, age_hours`` and, for
        ``value="business_hours"``, ``business_hours``).
    by : str, list of str or None
        Column(s) to group by, e.g. ``"team"``, ``"case_id"``, ``"category"``, ``"account"``,
        ``"month"``, ``["account", "team"]``; ``None`` gives one overall row.
    sla_hours : float
        Target for ``share_over_sla`` (default 48).
    value : {"response_hours", "business_hours"}
        Which measure to summarise.

    Returns
    -------
    pandas.DataFrame
        Sorted by the ``by`` columns; ``[by...], n, n_answered, n_open, mean_hours,
        median_hours, p90_hours, share_over_sla``.

        - ``n``: turns; ``n_answered``: turns with a reply; ``n_open``: turns without one,
          i.e. the turns whose response time is missing.
        - ``mean_hours, median_hours, p90_hours``: over the answered turns (90th percentile
          with linear interpolation); NaN when the group has none.
        - ``share_over_sla``: share of *all* turns over ``sla_hours``: answered turns whose
          value exceeds it and open turns whose age (``age_hours``, or for business hours the
          working hours so far) exceeds it.  NaN when the value is unknown for all of them
          (business hours without a calendar).

    Raises
    ------
    ConfigError
        ``by`` names a column that ``turns`` lacks (the message lists those it has), or
        ``value`` is not one of the two measures.

    Examples
    --------
    >>> import caselog
    >>> t = turns(caselog.sample.generate(n_cases=20).log)
    >>> int(response_summary(t, by=None)["n"].iloc[0]) == len(t)
    True
    """
    if value not in ("response_hours", "business_hours"):
        raise ConfigError(
            f"value: expected 'response_hours' or 'business_hours', found {value!r}"
        )
    if isinstance(sla_hours, bool) or not isinstance(sla_hours, int | float) or not sla_hours >= 0:
        raise ConfigError(f"sla_hours: expected a non-negative number, found {sla_hours!r}")
    if by is None:
        keys: list[str] = []
    elif isinstance(by, str):
        keys = [by]
    else:
        keys = list(by)
    for key in keys:
        if key not in turns.columns:
            raise ConfigError(
                f"by: turns have no column {key!r}; available: {', '.join(map(str, turns.columns))}",
                column=str(key),
            )
    needed = ["is_open", value] + (["age_hours"] if value == "response_hours" else [])
    require_columns(turns, needed, "turns")

    is_open = turns["is_open"].to_numpy(dtype=bool)
    raw = turns[value].to_numpy(dtype=np.float64, na_value=np.nan)
    elapsed = raw.copy()
    if value == "response_hours":
        elapsed[is_open] = turns["age_hours"].to_numpy(dtype=np.float64, na_value=np.nan)[is_open]
    over = np.where(np.isnan(elapsed), np.nan, elapsed > sla_hours)
    work = pd.DataFrame(
        {
            "_v": np.where(is_open, np.nan, raw),
            "_answered": (~is_open).astype(np.int64),
            "_open": is_open.astype(np.int64),
            "_over": over,
        },
        index=turns.index,
    )
    if keys:
        for key in keys:
            work[key] = turns[key]
        group_keys = keys
    else:
        work["_all"] = 0
        group_keys = ["_all"]
    grouped = work.groupby(group_keys, sort=True, dropna=False, observed=True)
    out = grouped.agg(
        n=("_v", "size"),
        n_answered=("_answered", "sum"),
        n_open=("_open", "sum"),
        mean_hours=("_v", "mean"),
        median_hours=("_v", "median"),
        share_over_sla=("_over", "mean"),
    )
    out["p90_hours"] = grouped["_v"].quantile(0.9, interpolation="linear")
    out = out.reset_index()
    if not keys:
        out = out.drop(columns="_all")
        if out.empty:  # no turns at all: one row of zeros and NaN
            out = pd.DataFrame({"n": [0], "n_answered": [0], "n_open": [0]}).assign(
                mean_hours=np.nan, median_hours=np.nan, p90_hours=np.nan, share_over_sla=np.nan
            )
    for col in ("n", "n_answered", "n_open"):
        out[col] = out[col].astype(np.int64)
    for col in ("mean_hours", "median_hours", "p90_hours", "share_over_sla"):
        out[col] = out[col].astype(np.float64)
    return out[keys + list(SUMMARY_COLUMNS)]
