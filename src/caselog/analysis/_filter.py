"""Filtering a case log, and an analysis without recomputing it.

Filter semantics (one definition, used by every face):

* ``accounts``, ``categories``, ``statuses`` select cases by their row in ``log.cases``;
* ``teams`` selects the cases that have at least one message with one of the teams; the
  response-time turns are further restricted to turns answered by (or, while open, sent to)
  one of the teams;
* ``start`` / ``end`` (dates, inclusive, UTC) keep the messages sent on those days and the
  cases that have at least one of them; turns are kept by the time of their first seller
  message, escalations by their time, readiness rows by case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import pandas as pd

from ..errors import ConfigError
from ..io import to_utc_timestamp
from ..model import CaseLog

__all__ = ["filter_log", "ALL"]

ALL = ""  # the value of the "all" entry of every dropdown


def _timestamp(value: Any, name: str) -> pd.Timestamp | None:
    """An optional bound or ``as_of``: ``None``/NaT means "not set", anything else must parse."""
    if value is None or value is pd.NaT:
        return None
    return to_utc_timestamp(value, name)


def _choice(values: Any, name: str) -> tuple[str, ...] | None:
    """None (no filter) or a tuple of strings; a single string is one value; "" means all."""
    if values is None:
        return None
    if isinstance(values, str):
        return None if values == ALL else (values,)
    if not isinstance(values, Iterable):
        raise ConfigError(f"{name}: expected a string or a list of strings, found {values!r}")
    chosen = tuple(str(v) for v in values)
    return chosen or None


def _is_day(value: Any, ts: pd.Timestamp) -> bool:
    """A date, or a string without a time of day: a whole day."""
    if isinstance(value, dt.datetime):
        return False
    if isinstance(value, dt.date):
        return True
    return isinstance(value, str) and ts == ts.normalize()


def _day_bounds(start: Any, end: Any) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """UTC bounds ``[lo, hi)``: a day-valued ``end`` includes that whole day."""
    lo = _timestamp(start, "start")
    hi = _timestamp(end, "end")
    if hi is not None and _is_day(end, hi):
        hi = hi + pd.Timedelta(days=1)
    if lo is not None and hi is not None and hi <= lo:
        raise ConfigError(f"end ({end}) comes before start ({start})")
    return lo, hi


def _in_range(times: pd.Series, lo: pd.Timestamp | None, hi: pd.Timestamp | None) -> pd.Series:
    keep = pd.Series(True, index=times.index)
    if lo is not None:
        keep &= times >= lo
    if hi is not None:
        keep &= times < hi
    return keep.fillna(False).astype(bool)


def _selected_cases(
    log: CaseLog,
    accounts: tuple[str, ...] | None,
    teams: tuple[str, ...] | None,
    categories: tuple[str, ...] | None,
    statuses: tuple[str, ...] | None,
    lo: pd.Timestamp | None,
    hi: pd.Timestamp | None,
) -> pd.Index:
    cases = log.cases
    m = log.messages
    ids = pd.Index(cases["case_id"].astype(str)).union(pd.Index(m["case_id"].astype(str).unique()))
    lookup = cases.drop_duplicates("case_id")
    lookup = lookup.set_index(lookup["case_id"].astype(str))
    account = pd.Series(lookup["account"], dtype="str").reindex(ids)
    if account.isna().any():  # cases known only from their messages
        from_msgs = m.drop_duplicates("case_id")
        from_msgs = from_msgs.set_index(from_msgs["case_id"].astype(str))
        account = account.fillna(from_msgs["account"].astype(str).reindex(ids))
    keep = pd.Series(True, index=ids)
    if accounts is not None:
        keep &= account.isin(accounts).to_numpy()
    if categories is not None:
        cat = lookup["category"].astype(str).reindex(ids).fillna("Unknown")
        keep &= cat.isin(categories).to_numpy()
    if statuses is not None:
        status = lookup["status"].astype(str).reindex(ids).fillna("open")
        keep &= status.isin(statuses).to_numpy()
    if teams is not None:
        with_team = pd.Index(m.loc[m["team"].isin(teams), "case_id"].astype(str).unique())
        keep &= ids.isin(with_team)
    if lo is not None or hi is not None:
        active = pd.Index(m.loc[_in_range(m["sent_at"], lo, hi), "case_id"].astype(str).unique())
        keep &= ids.isin(active)
    return ids[keep.to_numpy()]


def _filter(
    log: CaseLog,
    accounts: Any,
    teams: Any,
    categories: Any,
    statuses: Any,
    start: Any,
    end: Any,
) -> tuple[CaseLog, tuple[str, ...] | None, pd.Timestamp | None, pd.Timestamp | None]:
    accounts = _choice(accounts, "accounts")
    teams = _choice(teams, "teams")
    categories = _choice(categories, "categories")
    statuses = _choice(statuses, "statuses")
    lo, hi = _day_bounds(start, end)
    if accounts is teams is categories is statuses is lo is hi is None:
        return log, None, None, None
    ids = _selected_cases(log, accounts, teams, categories, statuses, lo, hi)
    m = log.messages
    keep = m["case_id"].astype(str).isin(ids) & _in_range(m["sent_at"], lo, hi)
    cases = log.cases[log.cases["case_id"].astype(str).isin(ids)]
    sub = CaseLog(
        messages=m[keep].reset_index(drop=True),
        cases=cases.reset_index(drop=True),
        rejects=log.rejects,
        duplicates=log.duplicates,
        input_rows=log.input_rows,
        decisions=log.decisions,
        skipped=log.skipped,
        attachments_recorded=log.attachments_recorded,
    )
    return sub, teams, lo, hi


def filter_log(
    log: CaseLog,
    accounts: Any = None,
    teams: Any = None,
    categories: Any = None,
    statuses: Any = None,
    start: Any = None,
    end: Any = None,
) -> CaseLog:
    """The part of ``log`` that matches the filters (see the module docstring).

    Parameters
    ----------
    log : CaseLog
    accounts, teams, categories, statuses : str or sequence of str, optional
        Values to keep; None, ``""`` or an empty list keeps all.
    start, end : date, string or timestamp, optional
        First and last day to keep (inclusive, UTC).  A timestamp with a time is used as is
        (``end`` exclusive).

    Returns
    -------
    CaseLog
        ``messages`` of the selected cases sent within the range, and the selected ``cases``
        rows; ``rejects``, ``duplicates`` and ``input_rows`` as in ``log``.

    Raises
    ------
    ConfigError
        A filter value that is not a string or a list of strings, or ``end`` before ``start``.

    Examples
    --------
    >>> import caselog
    >>> log = caselog.sample.generate(n_cases=20).log
    >>> acct = log.cases["account"].iloc[0]
    >>> set(filter_log(log, accounts=[acct]).messages["account"]) == {acct}
    True
    """
    return _filter(log, accounts, teams, categories, statuses, start, end)[0]


def _sub_catalogue(catalogue: pd.DataFrame, tm: pd.DataFrame) -> pd.DataFrame:
    """Catalogue counts recomputed over the template messages ``tm`` (text etc. kept)."""
    has = tm[tm["template_id"].notna()]
    if has.empty or catalogue.empty:
        return catalogue.iloc[:0]
    counts = has.groupby("template_id").agg(
        n_messages=("message_id", "size"), n_cases=("case_id", "nunique")
    )
    cat = catalogue.drop(columns=["n_messages", "n_cases"]).merge(
        counts.reset_index(), on="template_id", how="inner"
    )
    cat = cat.sort_values(["n_messages", "template_id"], ascending=[False, True], kind="stable")
    return cat[list(catalogue.columns)].reset_index(drop=True)


