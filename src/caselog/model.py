"""The :class:`CaseLog` container returned by :func:`caselog.load`."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .schema import empty_rejects


def empty_skipped() -> pd.DataFrame:
    """An empty ``skipped`` table: ``file, source, reason``."""
    return pd.DataFrame({c: pd.Series(dtype="str") for c in ("file", "source", "reason")})

__all__ = ["CaseLog", "Summary"]


@dataclass(frozen=True)
class Summary:
    """Key figures of a :class:`CaseLog` (what ``caselog summary`` prints).

    Attributes
    ----------
    input_rows, messages, rejects, duplicates : int
        Row accounting; ``input_rows == messages + rejects + duplicates``.
    accounts, cases : int
        Distinct accounts and cases.
    first, last : pandas.Timestamp or None
        Earliest and latest ``sent_at`` (UTC).
    by_team, by_channel, by_account : pandas.DataFrame
        Message counts by team / channel / account, split into seller and amazon columns.
    reject_reasons : pandas.DataFrame
        ``reason, rows`` (most frequent first).
    decisions : tuple of str
        How the loader read the input (column matches, date orders chosen, encodings).
    skipped : int
        Items skipped as not case correspondence (mails, help-desk notes);
        ``input_rows == messages + rejects + duplicates + skipped``.
    """

    input_rows: int
    messages: int
    rejects: int
    duplicates: int
    accounts: int
    cases: int
    first: pd.Timestamp | None
    last: pd.Timestamp | None
    by_team: pd.DataFrame
    by_channel: pd.DataFrame
    by_account: pd.DataFrame
    reject_reasons: pd.DataFrame
    decisions: tuple[str, ...] = ()
    skipped: int = 0

    def __str__(self) -> str:
        def fmt(ts: pd.Timestamp | None) -> str:
            return "-" if ts is None or pd.isna(ts) else ts.strftime("%Y-%m-%d %H:%M UTC")

        lines = [
            f"input rows   {self.input_rows:>8,}",
            f"messages     {self.messages:>8,}",
            f"rejects      {self.rejects:>8,}",
            f"duplicates   {self.duplicates:>8,}",
            *([f"skipped      {self.skipped:>8,}  (not case correspondence)"] if self.skipped else []),
            f"accounts     {self.accounts:>8,}",
            f"cases        {self.cases:>8,}",
            f"date range   {fmt(self.first)} .. {fmt(self.last)}",
        ]
        for title, table in (
            ("messages by account", self.by_account),
            ("messages by team", self.by_team),
            ("messages by channel", self.by_channel),
        ):
            lines += ["", title, table.to_string()]
        if len(self.reject_reasons):
            lines += ["", "rejects by reason", self.reject_reasons.to_string(index=False)]
        if self.decisions:
            lines += ["", "how the input was read"] + [f"  - {d}" for d in self.decisions]
        return "\n".join(lines)

    def _repr_html_(self) -> str:  # pragma: no cover - notebook display
        return "<pre>" + str(self).replace("&", "&amp;").replace("<", "&lt;") + "</pre>"


def _crosstab(messages: pd.DataFrame, key: str) -> pd.DataFrame:
    if messages.empty:
        return pd.DataFrame(columns=["seller", "amazon", "total"])
    table = (
        messages.groupby([key, "direction"], sort=True)
        .size()
        .unstack("direction", fill_value=0)
        .reindex(columns=["seller", "amazon"], fill_value=0)
    )
    table["total"] = table["seller"] + table["amazon"]
    table.columns.name = None
    return table.sort_values(["total"], ascending=False, kind="stable")


@dataclass(frozen=True)
class CaseLog:
    """Case histories in canonical form.

    Attributes
    ----------
    messages : pandas.DataFrame
        One row per message (columns in :data:`caselog.schema.MESSAGE_COLUMNS`).
    cases : pandas.DataFrame
        One row per case (columns in :data:`caselog.schema.CASE_COLUMNS`).
    rejects : pandas.DataFrame
        Input rows that could not be used, with ``file, sheet, row, source, reason, raw``.
    duplicates : int
        Input rows dropped as exact duplicates of another row (same case, time, sender and text).
    input_rows : int
        Data rows read from all inputs (mails, page cards and help-desk comments count as rows).
    decisions : tuple of str
        How the input was read, in plain words.
    skipped : pandas.DataFrame
        Items of a mailbox, case page or help-desk export that are not case correspondence
        (newsletters, order mails, calendar invitations, internal notes): ``file, source,
        reason``.  ``input_rows == len(messages) + len(rejects) + duplicates + len(skipped)``.
    attachments_recorded : bool
        False when no input had an attachments column: a count of 0 then means "not known",
        and readiness and briefs do not claim that nothing was attached.

    Examples
    --------
    >>> import caselog
    >>> log = caselog.sample.generate(n_cases=20).log
    >>> log.input_rows == len(log.messages) + len(log.rejects) + log.duplicates
    True
    """

    messages: pd.DataFrame
    cases: pd.DataFrame
    rejects: pd.DataFrame = field(default_factory=empty_rejects)
    duplicates: int = 0
    input_rows: int = -1
    decisions: tuple[str, ...] = ()
    skipped: pd.DataFrame = field(default_factory=empty_skipped)
    attachments_recorded: bool = True

    def __post_init__(self) -> None:
        if self.input_rows < 0:  # built in code rather than loaded: every row is a message
            object.__setattr__(
                self, "input_rows",
                len(self.messages) + len(self.rejects) + self.duplicates + len(self.skipped),
            )

    @property
    def as_of(self) -> pd.Timestamp | None:
        """The newest ``sent_at`` in the data: the default ``as_of`` of every analysis."""
        if self.messages.empty:
            return None
        return self.messages["sent_at"].max()

    @property
    def case_ids(self) -> pd.Index:
        """Every case ID, sorted: those of ``cases`` and those only seen in ``messages``."""
        return pd.Index(self.cases["case_id"].astype(str)).union(
            pd.Index(self.messages["case_id"].astype(str).unique())
        )

    @property
    def account_names(self) -> pd.Index:
        """Every account, sorted: those of ``cases`` and those only seen in ``messages``."""
        return pd.Index(self.cases["account"].astype(str).unique()).union(
            pd.Index(self.messages["account"].astype(str).unique())
        )

    def summary(self) -> Summary:
        """Key figures: row accounting, accounts, cases, date range, counts by team and channel.

        Returns
        -------
        Summary
            Printable (``print(log.summary())``) and with the tables as attributes.
        """
        m = self.messages
        reasons = (
            self.rejects.groupby("reason", sort=True).size().rename("rows").reset_index()
            .sort_values("rows", ascending=False, kind="stable")
            if len(self.rejects)
            else pd.DataFrame({"reason": [], "rows": []})
        )
        return Summary(
            input_rows=self.input_rows,
            messages=len(m),
            rejects=len(self.rejects),
            duplicates=self.duplicates,
            accounts=len(self.account_names),
            cases=len(self.case_ids),
            first=None if m.empty else m["sent_at"].min(),
            last=None if m.empty else m["sent_at"].max(),
            by_team=_crosstab(m, "team"),
            by_channel=_crosstab(m, "channel"),
            by_account=_crosstab(m, "account"),
            reject_reasons=reasons,
            decisions=self.decisions,
            skipped=len(self.skipped),
        )

    def subset(self, case_ids) -> CaseLog:
        """A CaseLog restricted to ``case_ids`` (one ID or several; rejects and counts kept as
        they are)."""
        ids = pd.Index([case_ids] if isinstance(case_ids, str) else list(case_ids))
        return CaseLog(
            messages=self.messages[self.messages["case_id"].isin(ids)].reset_index(drop=True),
            cases=self.cases[self.cases["case_id"].isin(ids)].reset_index(drop=True),
            rejects=self.rejects,
            duplicates=self.duplicates,
            input_rows=self.input_rows,
            decisions=self.decisions,
            skipped=self.skipped,
            attachments_recorded=self.attachments_recorded,
        )

    def __repr__(self) -> str:
        return (
            f"CaseLog({len(self.messages):,} messages, {len(self.cases):,} cases, "
            f"{len(self.rejects):,} rejects, {self.duplicates:,} duplicates)"
        )


