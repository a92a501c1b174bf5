"""The one orchestrator: an :class:`Analysis` computes each result of a log once, lazily.

Every face (dashboard, case explorer, queue widget, workbook, letters, CLI) renders an
``Analysis``; none of them runs an analysis itself, so they cannot disagree.  Results are
computed on first use and cached; :meth:`Analysis.filter` returns a filtered view that reuses
them without recomputing.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from .._memory import release_memory
from ..errors import ConfigError
from ..model import CaseLog
from ..schema import OUTCOMES, VERDICTS
from ._deadlines import deadlines as _deadlines
from ._escalations import escalations as _escalations
from ._filter import _filter, _in_range
from ._matter_queue import matter_queue
from ._matter_summary import matter_readiness, matter_summary
from ._matters import MatterResult
from ._matters import matters as _matters
from ._readiness import readiness as _readiness
from ._readiness import readiness_queue
from ._responses import first_response, response_summary, turns
from ._settings import Settings
from ._templates import TemplateResult, find_templates

__all__ = ["Analysis", "analyse", "KPI_COLUMNS"]

#: columns of :meth:`Analysis.kpis`
KPI_COLUMNS: tuple[str, ...] = ("key", "section", "metric", "value", "format")


def _visible(log: CaseLog, as_of: pd.Timestamp | None) -> CaseLog:
    """``log`` without the messages sent after ``as_of`` (and cases opened after it)."""
    if as_of is None:
        return log
    m = log.messages
    late = m["sent_at"].gt(as_of).to_numpy(dtype=bool, na_value=False)
    opened = log.cases["opened_at"] if "opened_at" in log.cases.columns else None
    late_cases = (
        opened.gt(as_of).to_numpy(dtype=bool, na_value=False) if opened is not None
        else np.zeros(len(log.cases), dtype=bool)
    )
    if not late.any() and not late_cases.any():
        return log
    return CaseLog(
        messages=m[~late].reset_index(drop=True),
        cases=log.cases[~late_cases].reset_index(drop=True),
        rejects=log.rejects,
        duplicates=log.duplicates,
        input_rows=log.input_rows,
        decisions=log.decisions,
        skipped=log.skipped,
        attachments_recorded=log.attachments_recorded,
    )



def _stage(result: Any) -> Any:
    """``result``, once the free memory its stage leaves behind is handed back (see
    :func:`caselog._memory.release_memory`): the next stage's peak does not stack on it."""
    release_memory()
    return result

class Analysis:
    """Every analysis of one case log under one :class:`Settings`, each computed once.

    Make one with :func:`caselog.analyse`.  Attributes are computed on first access and cached.

    Attributes
    ----------
    log : CaseLog
        The log as analysed: messages sent after ``settings.as_of`` are not part of it.
    settings : Settings
        With ``as_of`` resolved (the newest ``sent_at`` unless given).
    as_of : pandas.Timestamp or None
        ``settings.as_of`` (None for an empty log).
    turns : pandas.DataFrame
        :func:`caselog.turns`.
    first_responses : pandas.DataFrame
        :func:`caselog.first_response` of the turns.
    templates : TemplateResult
        :func:`caselog.find_templates`.
    escalations : pandas.DataFrame
        :func:`caselog.escalations`, waiting ``settings.rules.wait_hours``.
    readiness : pandas.DataFrame
        :func:`caselog.readiness`, with the deadlines below (``deadline_at``; a deadline at most
        ``settings.rules.deadline_hours`` away makes a case urgent).
    deadlines : pandas.DataFrame
        :func:`caselog.deadlines` as of ``as_of``.
    matters : MatterResult
        :func:`caselog.matters` (default window, no user links); a filtered view keeps the
        matter IDs of the whole log.
    matter_readiness : pandas.DataFrame
        :func:`caselog.matter_readiness`: the readiness rows adjusted across each matter.

    Examples
    --------
    >>> import caselog
    >>> a = caselog.analyse(caselog.sample.generate(n_cases=20).log)
    >>> a.readiness is a.readiness  # computed once
    True
    >>> list(a.kpis().columns)
    ['key', 'section', 'metric', 'value', 'format']
    """

    def __init__(
        self,
        log: CaseLog,
        settings: Settings,
        *,
        source: Analysis | None = None,
        full: CaseLog | None = None,
    ):
        self.settings = settings
        self.log = log
        self._full = full if full is not None else log  # the log before as_of cut it
        self._source = source  # the unfiltered analysis of a filtered view
        self._summaries: dict[Any, pd.DataFrame] = {}
        self._briefs: dict[str, str] = {}

    def __repr__(self) -> str:
        when = "-" if self.as_of is None else self.as_of.strftime("%Y-%m-%d %H:%M UTC")
        return (
            f"Analysis({len(self.log.messages):,} messages, {self.n_cases:,} cases, as of {when})"
        )

    # ------------------------------------------------------------------ the results
    @property
    def as_of(self) -> pd.Timestamp | None:
        return self.settings.as_of

    @cached_property
    def case_ids(self) -> pd.Index:
        """Every case ID of the log: those of ``log.cases`` and those only seen in messages."""
        return self.log.case_ids

    @property
    def n_cases(self) -> int:
        return len(self.case_ids)

    @cached_property
    def turns(self) -> pd.DataFrame:
        s = self.settings
        classes = None
        if s.exclude_acknowledgements:  # the reply classes of the templates: one classification
            tm = self.templates.messages
            classes = pd.Series(tm["reply_class"].array, index=tm["message_id"].to_numpy())
        return _stage(turns(
            self.log,
            as_of=self.as_of,
            calendar=s.calendar,
            exclude_acknowledgements=s.exclude_acknowledgements,
            sla_hours=s.sla_hours,
            reply_classes=classes,
        ))

    @cached_property
    def first_responses(self) -> pd.DataFrame:
        return first_response(self.turns)

    def response_summary(self, by: str | list[str] | None = "team") -> pd.DataFrame:
        """:func:`caselog.response_summary` of the turns with ``settings.sla_hours`` (cached)."""
        key = tuple(by) if isinstance(by, list) else by
        if key not in self._summaries:
            self._summaries[key] = response_summary(self.turns, by=by, sla_hours=self.settings.sla_hours)
        return self._summaries[key]

    @cached_property
    def templates(self) -> TemplateResult:
        s = self.settings
        return _stage(find_templates(self.log, config=s.templates, patterns=s.reply_patterns))

    @cached_property
    def escalations(self) -> pd.DataFrame:
        return _stage(_escalations(
            self.log,
            as_of=self.as_of,
            templates=self.templates,
            wait_hours=self.settings.rules.wait_hours,
        ))

    @cached_property
    def readiness(self) -> pd.DataFrame:
        return _stage(_readiness(
            self.log,
            as_of=self.as_of,
            rules=self.settings.rules,
            templates=self.templates,
            escalations=self.escalations,
            deadlines=self.deadlines,
        ))

    @cached_property
    def matters(self) -> MatterResult:
        if self._source is not None:
            return self._source.matters.subset(self.case_ids)
        return _stage(_matters(self.log, templates=self.templates))

    @cached_property
    def matter_readiness(self) -> pd.DataFrame:
        if self._source is not None:
            r = self._source.matter_readiness
            return r[r["case_id"].astype(str).isin(self.case_ids)].reset_index(drop=True)
        return matter_readiness(
            self.readiness, self.matters, log=self.log, escalations=self.escalations,
            templates=self.templates, rules=self.settings.rules,
        )

    def with_matters(
        self, *, links: Any = None, unlink: Any = None, window_days: float = 60
    ) -> Analysis:
        """The same analysis with the matters linked as given (see :func:`caselog.matters`):
        user ``links``, ``unlink`` pairs, another ``window_days``.  Every other result is
        shared, not recomputed (a filtered view gives the analysis of its whole log).

        Examples
        --------
        >>> import caselog
        >>> a = caselog.analyse(caselog.sample.generate(n_cases=20, n_matters=1).log)
        >>> pair = a.matters.links[["case_a", "case_b"]].iloc[0].tolist()
        >>> b = a.with_matters(unlink=[pair])
        >>> b.matters.matter_of(pair[0]) != b.matters.matter_of(pair[1])
        True
        """
        base = self._source or self
        view = Analysis(base.log, base.settings, full=base._full)
        keep = {k: v for k, v in base.__dict__.items()
                if k in ("case_ids", "turns", "first_responses", "templates", "escalations",
                         "readiness")}
        view.__dict__.update(keep)
        view._summaries, view._briefs = base._summaries, base._briefs
        view.__dict__["matters"] = _matters(
            base.log, links=links, unlink=unlink, window_days=window_days,
            templates=view.templates,
        )
        return view

    def matter_summary(self) -> pd.DataFrame:
        """:func:`caselog.matter_summary` of the matters, with the matter-adjusted verdicts."""
        if "_matter_summary" not in self.__dict__:
            self.__dict__["_matter_summary"] = matter_summary(
                self.log, self.matters, templates=self.templates, escalations=self.escalations,
                turns=self.turns, readiness=self.matter_readiness, as_of=self.as_of,
            )
        return self.__dict__["_matter_summary"]

    @cached_property
    def deadlines(self) -> pd.DataFrame:
        return _stage(_deadlines(self.log, as_of=self.as_of))

    def queue(self, verdicts: tuple[str, ...] = ("ready", "not yet")) -> pd.DataFrame:
        """The readiness rows with a verdict in ``verdicts``, in the one queue order:
        verdict (ready, not yet, not advisable, closed), then urgency, then case ID; the cases
        of a matter of two or more cases together, from the place of its most urgent case.

        Plus ``matter_id`` (``""`` for a case alone in its matter), ``matter_verdict`` (the
        verdict with the matter in view, :attr:`matter_readiness`, where it differs from the
        case verdict ``verdict``; ``""`` otherwise) and ``matter_reason``
        (:func:`caselog.analysis._matter_queue.matter_queue`).  ``verdicts`` filters on the
        case verdict."""
        q = readiness_queue(self.readiness, tuple(verdicts))
        n_cases = self.matters.matters.drop_duplicates("matter_id").set_index("matter_id")[
            "n_cases"]
        return matter_queue(q, self.matter_readiness, n_cases)

    def briefs(self, case_ids: Any) -> list[str]:
        """The escalation brief of each case in ``case_ids`` (see :func:`caselog.briefs`)."""
        from ..report import write_briefs

        ids = [case_ids] if isinstance(case_ids, str) else [str(c) for c in case_ids]
        todo = [c for c in dict.fromkeys(ids) if c not in self._briefs]
        if todo:
            self._briefs.update(zip(todo, write_briefs(self, todo), strict=True))
        return [self._briefs[c] for c in ids]

    def brief(self, case_id: str, *, format: str = "markdown") -> str:
        """The escalation brief of one case: ``format="markdown"`` (data escaped for a
        Markdown renderer) or ``"text"`` (plain text to paste into a case or an e-mail)."""
        if format == "markdown":
            return self.briefs([str(case_id)])[0]
        if format != "text":
            from ..errors import ConfigError

            raise ConfigError(f"brief: format must be 'markdown' or 'text', not {format!r}")
        from ..report._briefs import letters

        return letters(self, [str(case_id)])[0].text()

    # ------------------------------------------------------------------ key figures
    def kpis(self) -> pd.DataFrame:
        """The key figures, one definition for every face.

        Returns
        -------
        pandas.DataFrame
            Columns ``key`` (stable identifier), ``section``, ``metric`` (a label for people),
            ``value`` (int, float -- NaN when there is nothing to measure -- or Timestamp) and
            ``format`` (``int``, ``hours``, ``share`` or ``datetime``).  Accounts and cases count
            those of ``log.cases`` and those only seen in the messages.
        """
        rows: list[tuple[str, str, str, Any, str]] = []

        def add(key: str, section: str, metric: str, value: Any, fmt: str = "int") -> None:
            rows.append((key, section, metric, value, fmt))

        log, m = self.log, self.log.messages
        sec = "Data"
        add("accounts", sec, "Accounts", len(log.account_names))
        add("cases", sec, "Cases", self.n_cases)
        status = self.readiness["status"] if len(self.readiness) else pd.Series([], dtype=str)
        add("open_cases", sec, "Open cases", int(status.eq("open").sum()))
        n_seller = int(m["direction"].eq("seller").sum())
        add("messages", sec, "Messages", len(m))
        add("seller_messages", sec, "  from the seller", n_seller)
        add("amazon_messages", sec, "  from Amazon", len(m) - n_seller)
        add("input_rows", sec, "Input rows", int(log.input_rows))
        add("rejects", sec, "Rejected rows (see Rejects)", len(log.rejects))
        add("duplicates", sec, "Duplicate rows dropped", int(log.duplicates))
        add("first_message", sec, "First message", m["sent_at"].min() if len(m) else pd.NaT,
            "datetime")
        add("last_message", sec, "Last message", m["sent_at"].max() if len(m) else pd.NaT,
            "datetime")

        sec, t, sla = "Response times (hours)", self.turns, self.settings.sla_hours
        first = self.first_responses
        first_h = first["first_response_hours"].dropna().astype("float64")
        overall = self.response_summary(by=None).iloc[0]
        add("first_response_median", sec, "First response, median", _f(first_h.median()), "hours")
        add("first_response_p90", sec, "First response, 90th percentile",
            _f(first_h.quantile(0.9)), "hours")
        add("cases_answered", sec, "Cases with a first response", len(first_h))
        add("cases_waiting", sec, "Cases still waiting for a first response",
            int(first["is_open"].sum()))
        add("response_median", sec, "All responses, median", _f(overall["median_hours"]), "hours")
        add("response_p90", sec, "All responses, 90th percentile", _f(overall["p90_hours"]),
            "hours")
        add("turns", sec, "Turns (seller messages answered or waiting)", len(t))
        add("turns_answered", sec, "  answered", int(overall["n_answered"]))
        add("turns_open", sec, "  still open", int(overall["n_open"]))
        add("turns_over_sla", sec, f"  over {sla:g} hours (SLA breaches)",
            int(t["over_sla"].astype(bool).sum()) if len(t) else 0)
        add("share_over_sla", sec, "  share over SLA", _f(overall["share_over_sla"]), "share")

        sec = "Canned replies"
        tm, cat = self.templates.messages, self.templates.catalogue
        repeated = cat[cat["n_messages"] >= 2]
        add("templates_repeated", sec, "Templates used more than once", len(repeated))
        add("template_messages", sec, "Amazon messages from those templates",
            int(repeated["n_messages"].sum()))
        add("canned_repeats", sec, "Canned repeats (template already sent in the case)",
            int(tm["is_canned_repeat"].sum()))
        add("repeat_canned_denials", sec, "Repeat canned denials", int(tm["is_repeat_denial"].sum()))
        add("cases_with_canned", sec, "Cases with a canned repeat",
            int(tm.loc[tm["is_canned_repeat"].astype(bool), "case_id"].nunique()))

        sec, e = "Escalations", self.escalations
        add("escalations", sec, "Escalations", len(e))
        for level in (1, 2, 3):
            add(f"escalations_level_{level}", sec, f"  level {level}", int(e["level"].eq(level).sum()))
        for outcome in OUTCOMES:
            add(f"outcome_{outcome.replace(' ', '_')}", sec, f"  outcome: {outcome}",
                int(e["outcome"].eq(outcome).sum()))

        sec, verdict = "Readiness to escalate", self.readiness["verdict"]
        for v in VERDICTS:
            add(v.replace(" ", "_"), sec, v, int(verdict.eq(v).sum()))
        frame = pd.DataFrame(rows, columns=list(KPI_COLUMNS))
        frame["value"] = pd.Series([r[3] for r in rows], dtype=object)
        return frame

    # ------------------------------------------------------------------ views
    def filter(
        self,
        accounts: Any = None,
        teams: Any = None,
        categories: Any = None,
        statuses: Any = None,
        start: Any = None,
        end: Any = None,
    ) -> Analysis:
        """The analysis of a part of the log, from the results already computed.

        Rows are kept by case (turns also by team and time, escalations by time); the template
        catalogue is recounted over the kept messages (``n_messages, n_cases, n_accounts,
        teams, first_seen, last_seen, n_variants``).  Template IDs stay those of the whole
        log, so a template keeps its number in every view.  Response times near the edges of a
        date range still count replies sent after the range.  Filter semantics: see
        :func:`caselog.filter_log`.

        Returns
        -------
        Analysis
            A view whose ``log`` is ``filter_log(self.log, ...)``; ``self`` when nothing is
            filtered.

        Examples
        --------
        >>> import caselog
        >>> a = caselog.analyse(caselog.sample.generate(n_cases=20).log)
        >>> acct = a.log.cases["account"].iloc[0]
        >>> set(a.filter(accounts=acct).readiness["account"]) == {acct}
        True
        """
        log, team_set, lo, hi = _filter(self.log, accounts, teams, categories, statuses, start, end)
        if log is self.log:
            return self
        view = Analysis(log, self.settings, source=self)
        ids = view.case_ids
        t = self.turns
        keep = t["case_id"].astype(str).isin(ids) & _in_range(t["first_seller_at"], lo, hi)
        if team_set is not None:
            keep &= t["team"].isin(team_set)
        e = self.escalations
        e = e[e["case_id"].astype(str).isin(ids) & _in_range(e["sent_at"], lo, hi)]
        r = self.readiness
        view.__dict__.update(
            turns=t[keep].reset_index(drop=True),
            escalations=e.reset_index(drop=True),
            readiness=r[r["case_id"].astype(str).isin(ids)].reset_index(drop=True),
            templates=_filter_templates(self.templates, log, ids),
        )
        view._briefs = self._briefs  # a case's brief does not depend on the view
        return view


def _f(v: Any) -> float:
    return float("nan") if v is None or pd.isna(v) else float(v)


def _filter_templates(tr: TemplateResult, log: CaseLog, ids: pd.Index) -> TemplateResult:
    """The template results of the kept messages, the catalogue recounted over them."""
    tm = tr.messages[tr.messages["message_id"].isin(log.messages["message_id"])]
    tc = tr.cases[tr.cases["case_id"].astype(str).isin(ids)]
    cat = tr.catalogue
    has = tm[tm["template_id"].notna()]
    if has.empty or cat.empty:
        sub = cat.iloc[:0]
    else:
        info = log.messages[["message_id", "account", "team", "sent_at"]]
        has = has.merge(info, on="message_id", how="left")
        g = has.groupby("template_id")
        counts = pd.DataFrame({
            "n_messages": g.size(),
            "n_cases": g["case_id"].nunique(),
            "n_accounts": g["account"].nunique(),
            "teams": g["team"].agg(lambda s: ", ".join(sorted(set(map(str, s))))),
            "first_seen": g["sent_at"].min(),
            "last_seen": g["sent_at"].max(),
            "n_variants": g["variant_id"].nunique(),
        })
        recount = [c for c in counts.columns if c in cat.columns]
        sub = cat.drop(columns=recount).merge(
            counts[recount].reset_index(), on="template_id", how="inner"
        )
        sub = sub.sort_values(["n_messages", "template_id"], ascending=[False, True], kind="stable")
        sub = sub[list(cat.columns)].reset_index(drop=True)
    return TemplateResult(
        messages=tm.reset_index(drop=True),
        catalogue=sub,
        cases=tc.reset_index(drop=True),
        variants=tr.variants,
    )


def analyse(log: CaseLog | Analysis, settings: Settings | None = None, **overrides: Any) -> Analysis:
    """Analyse a case log: one :class:`Analysis` with every result, each computed once.

    Parameters
    ----------
    log : CaseLog
        A loaded case log (:func:`caselog.load`).  An :class:`Analysis` is returned as it is
        (or re-made with its log when settings are given).
    settings : Settings, optional
        Default ``Settings()``.
    **overrides
        Settings to change: any field of :class:`Settings` (``as_of``, ``tz``, ``sla_hours``,
        ``rules``, ``calendar``, ``templates``, ``reply_patterns``,
        ``exclude_acknowledgements``) or of :class:`~caselog.ReadinessRules`
        (``wait_hours`` ...).  ``None`` values are ignored.

    Returns
    -------
    Analysis
        With ``settings.as_of`` resolved: the given one, else the newest ``sent_at``.

    Raises
    ------
    ConfigError
        ``log`` is not a CaseLog, or a setting is unknown or invalid.

    Examples
    --------
    >>> import caselog
    >>> log = caselog.sample.generate(n_cases=20).log
    >>> a = caselog.analyse(log, sla_hours=24)
    >>> a.settings.sla_hours, a.settings.rules.wait_hours, a.as_of == log.as_of
    (24.0, 48.0, True)
    """
    if isinstance(log, Analysis):
        if settings is None and not any(v is not None for v in overrides.values()):
            return log
        settings = settings or log.settings
        log = (log._source or log)._full
    if not isinstance(log, CaseLog):
        raise ConfigError(f"log: expected a CaseLog (caselog.load), found {type(log).__name__}")
    if settings is not None and not isinstance(settings, Settings):
        raise ConfigError(f"settings: expected a caselog.Settings, found {type(settings).__name__}")
    settings = settings or Settings()
    given = {k: v for k, v in overrides.items() if v is not None}
    if given:
        settings = settings.replace(**given)
    if settings.as_of is None and log.as_of is not None:
        settings = settings.replace(as_of=log.as_of)
    return Analysis(_visible(log, settings.as_of), settings, full=log)
