"""The sample generator: :func:`generate` and its result :class:`Sample`.

``generate`` runs in steps, each drawing from the one random generator in a fixed order (so a
seed always gives the same frames): the flattened step table of every scenario variant, cases
with their scenario, variant and account, and message times (``_cases``); the values of the
template fields, Amazon and seller texts, subjects and labels (``_texts``); then the frames
(:func:`_frames`, here).

Examples
--------
>>> s = generate(n_cases=12)
>>> len(s.cases), list(s.truth_cases.columns)[:3]
(12, ['case_id', 'account', 'scenario'])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ConfigError
from ..model import CaseLog
from ..schema import CASE_COLUMNS, MESSAGE_COLUMNS
from ._cases import _NS_PER_MIN, _assign_cases, _Cases, _place_messages, _Plan, _plan, _Rows
from ._fill import _str, _str_codes
from ._texts import (
    _amazon_texts,
    _asins,
    _field_context,
    _labels,
    _seller_texts,
    _subjects,
)


@dataclass(frozen=True)
class Sample:
    """A generated case log and its ground truth.

    Attributes
    ----------
    messages, cases : pandas.DataFrame
        Canonical tables (columns of :data:`caselog.schema.MESSAGE_COLUMNS` and
        :data:`~caselog.schema.CASE_COLUMNS`);
        ``message_id`` is ``0..n-1`` in ``case_id, sent_at`` order.
    truth_messages : pandas.DataFrame
        Row *i* describes ``message_id`` *i*: ``case_id, sent_at`` (UTC datetimes here, ISO text in
        the file), ``direction, template`` (template key, ``""`` for seller messages),
        ``reply_class`` (``""`` for seller messages), ``is_escalation, escalation_level`` (0-3),
        ``escalation_target``.
    truth_cases : pandas.DataFrame
        ``case_id, account, scenario, category, expected_verdict, as_of``.
    as_of : pandas.Timestamp
        The newest ``sent_at`` (UTC).
    """

    messages: pd.DataFrame
    cases: pd.DataFrame
    truth_messages: pd.DataFrame
    truth_cases: pd.DataFrame
    as_of: pd.Timestamp

    @property
    def log(self) -> CaseLog:
        """The canonical tables as a :class:`~caselog.model.CaseLog`."""
        return CaseLog(messages=self.messages, cases=self.cases)

    def __repr__(self) -> str:
        return (f"Sample({len(self.messages):,} messages, {len(self.cases):,} cases, "
                f"as_of={self.as_of})")


def _default_as_of(start: pd.Timestamp, months: int) -> pd.Timestamp:
    """17:00 UTC on the last day of the ``months``-th month counted from ``start``'s month."""
    first_after = (start + pd.DateOffset(months=months)).replace(day=1).normalize()
    return first_after - pd.Timedelta(days=1) + pd.Timedelta(hours=17)



@dataclass(frozen=True)
class _Texts:
    """Per message: body, subject, template key, reply class, kind label, attachments."""

    body: np.ndarray
    subject: np.ndarray
    template: np.ndarray
    reply_class: np.ndarray
    kind: np.ndarray
    attachments: np.ndarray


def _frames(seed: int, plan: _Plan, cases: _Cases, rows: _Rows, texts: _Texts,
            asins_text: np.ndarray) -> Sample:
    """The canonical and truth frames (text columns go through pyarrow: twice as fast as
    ``.astype("str")``)."""
    seed_text = f"sample seed {seed}"
    n_msg, n_cases, step, msg_case = rows.n, cases.n, rows.step, rows.msg_case
    acc_name_arr = np.array(cases.acc_names, dtype=object)
    case_id_col = _str_codes(msg_case, cases.ids.astype(object))
    sent_ns = (rows.t_min * _NS_PER_MIN).astype("datetime64[ns]")
    sent_at = pd.Series(sent_ns).dt.tz_localize("UTC")
    messages = pd.DataFrame({
        "message_id": np.arange(n_msg, dtype=np.int64),
        "case_id": case_id_col,
        "account": _str_codes(cases.acc[msg_case], acc_name_arr),
        "sent_at": sent_at,
        "direction": _str_codes(np.where(rows.seller, 1, 0),
                                np.array(["amazon", "seller"], dtype=object)),
        "team": _str_codes(plan.st_team[step], np.array(plan.teams, dtype=object)),
        "channel": _str_codes(plan.st_channel[step], np.array(plan.channels, dtype=object)),
        "subject": _str(texts.subject),
        "body": _str(texts.body),
        "attachments": texts.attachments.astype(np.int64),
        "kind": _str(texts.kind),
        "source": _str(np.char.add(f"{seed_text} row ",
                                   np.arange(1, n_msg + 1).astype(str)).astype(object)),
    })

    variants, case_var = plan.variants, cases.var
    last = rows.starts + rows.lens - 1
    status = np.array([v.status for v in variants], dtype=object)[case_var]
    closed_ns = np.where(status == "closed", sent_ns[last], np.datetime64("NaT", "ns"))
    case_frame = pd.DataFrame({
        "case_id": _str(cases.ids.astype(object)),
        "account": _str(acc_name_arr[cases.acc]),
        "category": _str(cases.cat),
        "status": _str(status),
        "opened_at": pd.Series(sent_ns[rows.starts]).dt.tz_localize("UTC"),
        "closed_at": pd.Series(closed_ns).dt.tz_localize("UTC"),
        "outcome": _str(np.array([v.outcome for v in variants], dtype=object)[case_var]),
        "asins": _str(asins_text),
        "source": _str(np.char.add(f"{seed_text} case ",
                                   np.arange(1, n_cases + 1).astype(str)).astype(object)),
    })

    esc_level = plan.st_esc[step].astype(np.int64)
    truth_messages = pd.DataFrame({
        "case_id": case_id_col,
        "sent_at": sent_at,
        "direction": messages["direction"],
        "template": _str(texts.template),
        "reply_class": _str(texts.reply_class),
        "is_escalation": esc_level > 0,
        "escalation_level": esc_level,
        "escalation_target": _str(plan.st_target[step]),
    })
    messages = messages.astype(MESSAGE_COLUMNS)  # no-op guard: the dtypes are already these
    case_frame = case_frame.astype(CASE_COLUMNS)
    as_of = messages["sent_at"].max()
    truth_cases = pd.DataFrame({
        "case_id": case_frame["case_id"],
        "account": case_frame["account"],
        "scenario": _str(np.array(plan.scen_names, dtype=object)[cases.scen]),
        "category": case_frame["category"],
        "expected_verdict": _str(np.array([v.verdict for v in variants], dtype=object)[case_var]),
        "as_of": pd.Series(np.full(n_cases, as_of.tz_localize(None).to_datetime64()))
        .dt.tz_localize("UTC"),
    })
    return Sample(messages=messages, cases=case_frame, truth_messages=truth_messages,
                  truth_cases=truth_cases, as_of=as_of)


# --------------------------------------------------------------------------------------------
# generate()
# --------------------------------------------------------------------------------------------
def generate(
    seed: int = 20260101,
    n_cases: int = 300,
    *,
    n_accounts: int | None = None,
    start: str | pd.Timestamp = "2026-01-05",
    months: int = 7,
    n_matters: int = 0,
) -> Sample:
    """Generate synthetic seller case histories with their ground truth.

    Parameters
    ----------
    seed : int
        Seed of the random generator; the same seed gives identical frames.
    n_cases : int
        Number of cases (300 gives ~3,300 messages; 100,000 gives ~1.1 million).
    n_accounts : int, optional
        Number of seller accounts (default 4: Northwind Goods, Blue Heron Home, Kestrel Outdoors,
        Tidewater Toys; more get generated names).  Cases are spread unevenly over them.
    start : str or Timestamp
        Earliest day a case may open (UTC).
    months : int
        Months covered; ``as_of`` is 17:00 UTC on the last day of the last month
        (2026-07-31 17:00 for the defaults).
    n_matters : int, default 0
        Problems spread over several cases and channels to append after the ``n_cases``
        cases, with decoys (cases that share an ASIN or a notice but are separate problems);
        see :mod:`caselog.sample._matters`.  The ``n_cases`` cases stay exactly as without them
        (their ``message_id`` values shift: messages stay in ``case_id, sent_at`` order).
        With ``n_matters`` > 0 ``truth_cases`` has two more columns: ``matter`` and
        ``expected_matter_verdict``.

    Returns
    -------
    Sample
        ``messages``, ``cases`` (canonical), ``truth_messages``, ``truth_cases`` and ``as_of``.

    Raises
    ------
    ConfigError
        If ``n_cases``, ``n_accounts`` or ``months`` is below 1 or ``start`` is not a date.

    Examples
    --------
    >>> s = generate(seed=1, n_cases=30)
    >>> sorted(s.truth_cases["expected_verdict"].unique())[:2]
    ['closed', 'not advisable']
    """
    n_accounts = 4 if n_accounts is None else n_accounts
    for name, value in (("n_cases", n_cases), ("n_accounts", n_accounts), ("months", months)):
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
            raise ConfigError(f"argument {name!r} must be a whole number >= 1, got {value!r}")
    if not isinstance(n_matters, (int, np.integer)) or isinstance(n_matters, bool) or n_matters < 0:
        raise ConfigError(f"argument 'n_matters' must be a whole number >= 0, got {n_matters!r}")
    try:
        start_ts = pd.Timestamp(start)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"argument 'start' must be a date, got {start!r}") from exc
    if start_ts.tzinfo is not None:
        start_ts = start_ts.tz_convert("UTC").tz_localize(None)
    start_ts = start_ts.normalize()
    as_of_naive = _default_as_of(start_ts, int(months))
    rng = np.random.default_rng(seed)

    # every step draws from rng in turn: changing the order changes the sample
    plan = _plan()
    cases = _assign_cases(rng, plan, int(n_cases), int(n_accounts))
    rows = _place_messages(rng, plan, cases, start_ts, as_of_naive)
    first_asin, asins_text = _asins(rng, cases)
    ctx = _field_context(rng, plan, cases, rows, as_of_naive, first_asin)
    body = np.empty(rows.n, dtype=object)
    template = np.full(rows.n, "", dtype=object)
    reply_class = np.full(rows.n, "", dtype=object)
    _amazon_texts(rng, plan, rows, ctx, body, template, reply_class)
    _seller_texts(rng, plan, rows, ctx, body)
    subject = _subjects(rng, plan, cases, rows, ctx)
    kind, attachments = _labels(rng, plan, rows, reply_class)
    texts = _Texts(body, subject, template, reply_class, kind, attachments)
    sample = _frames(seed, plan, cases, rows, texts, asins_text)
    if n_matters:
        from ._matters import append_matters

        sample = append_matters(sample, seed, int(n_matters), start_ts)
    return sample
