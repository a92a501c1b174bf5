"""The Excel audit workbook: one .xlsx a consultant can send as it is.

:func:`write_workbook` runs the analyses and writes, in this order:

===================  ===========================================================================
sheet                content
===================  ===========================================================================
Summary              key figures (accounts, cases, messages, date range, first response median
                     and p90, canned repeats, escalations and outcomes, readiness counts),
                     response times by team, notes (redaction, truncation, how the input was
                     read); prints on at most two portrait pages
Charts               the main charts as images, one per printed page
Cases                one row per case with its readiness verdict, reasons, facts and next step
                     (and its matter, when the log has matters of two or more cases)
Matters              one row per matter of two or more cases: accounts, case IDs, channels,
                     first and last message, days since the problem started, hours without
                     an answer, canned repeats and repeat denials across the matter, highest
                     escalation level, the matter's verdict and the evidence of its links
Messages             one row per message with its template id and reply class; loads back with
                     ``caselog.load(path)`` (or ``sheets={"messages": "Messages"}``)
Response times       one row per turn (:func:`caselog.turns`)
Templates            the template catalogue (:func:`caselog.find_templates`), each text in its
                     original case with placeholders (``<SELLER>``, ``<ASIN>``, ``<DATE>`` ...)
Escalations          one row per escalation (:func:`caselog.escalations`)
Briefs               the escalation letters of the ready cases, most urgent first: one
                     paragraph a row (case, part, text), plain text, notes for the sender last
Rejects              input rows that could not be used, with the reason
===================  ===========================================================================

Every sheet prints: landscape, one page wide, the header row and the ID column repeated on
every page, reasons, bodies and letter text wrapped.  Every data sheet is a real Excel table (filter buttons, a table style), with a frozen header
row, column widths from the content (capped) and explicit number formats: hours as numbers
(``0.0``), dates as Excel date-times converted to **one** named time zone ``tz`` with the zone
in the header (``"Sent (UTC)"``).  Response times over ``sla_hours`` and ready cases are
highlighted by conditional formatting.

Text is always stored as text: a cell starting with ``= + - @``, a tab or a CR is written as a
string with Excel's quote prefix, never as a formula.  Excel's limits are respected: text longer
than 32,767 characters is cut with a visible marker (counted in the Summary notes), sheets stop
at 1,048,576 rows (noted), control characters Excel cannot store are replaced by U+FFFD and line
ends are written as ``\\n``.

The workbook is written in openpyxl's write-only (streaming) mode, row chunk by row chunk, so
memory stays flat for large logs.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import AbstractContextManager
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook

from .._memory import uses_arrow_pool
from ..analysis import Analysis, Settings, analyse
from ..errors import ConfigError
from ..model import CaseLog
from ..schema import VERDICTS
from ._catalogue import display_catalogue
from ._sheet_columns import (
    _BRIEF_COLS,
    _CASE_COLS,
    _CASE_PRINT_LAST,
    _ESCALATION_COLS,
    _MATTER_COLS,
    _MESSAGE_COLS,
    _REJECT_COLS,
    _TEMPLATE_COLS,
    _TURN_COLS,
    _case_rules,
    _drop_empty,
    _escalation_rules,
    _message_rules,
    _turn_rules,
)
from ._summary_sheet import _chart_images, _write_charts, _write_summary
from ._xlsx import (
    EXCEL_MAX_CHARS,
    EXCEL_MAX_ROWS,
    _Notes,
    _paused_gc,
    _private_temp,
    _SheetWriter,
    _stage,
    excel_safe,
    excel_sheet_name,
    excel_text,
    save_stamped,
)

__all__ = [
    "write_workbook",
    "SHEETS",
    "EXCEL_MAX_CHARS",
    "EXCEL_MAX_ROWS",
    "excel_sheet_name",
    "excel_text",
    "excel_safe",
]

#: Sheet names, in workbook order.
SHEETS: tuple[str, ...] = (
    "Summary",
    "Charts",
    "Cases",
    "Matters",
    "Messages",
    "Response times",
    "Templates",
    "Escalations",
    "Briefs",
    "Rejects",
)



def _briefs_frame(a: Any, max_briefs: int | None, notes: _Notes) -> pd.DataFrame:
    """The Briefs sheet: the letters of the ready cases in queue order (at most
    ``max_briefs`` of them), one paragraph or list item a row.  A case is ready as the letter
    sees it: with its matter's verdict where the matter changes the case's."""
    from ._briefs import letters

    queue = a.queue()
    verdict = queue["verdict"].astype(str)
    if "matter_verdict" in queue.columns:
        mv = queue["matter_verdict"].fillna("").astype(str)
        verdict = mv.where(mv.ne(""), verdict)
    queue = queue[verdict.eq("ready").to_numpy()]
    ids = queue["case_id"].astype(str).tolist()
    total = len(ids)
    if max_briefs is not None and total > max_briefs:
        ids = ids[:max_briefs]
        notes.add(
            f"Briefs: the letters of the {max_briefs:,} most urgent of {total:,} ready cases; "
            "'caselog brief CASE_ID FILE...' writes any other."
        )
    accounts = dict(zip(queue["case_id"].astype(str), queue["account"].astype(str), strict=True))
    rows = []
    for letter in letters(a, ids):
        for part, text in letter.rows():
            rows.append((letter.case_id, accounts.get(letter.case_id, ""), part, text))
    return pd.DataFrame(rows, columns=["case_id", "account", "part", "text"], dtype="str")


# ------------------------------------------------------------------------------------ main


def _messages_frame(an: Analysis) -> pd.DataFrame:
    tm = an.templates.messages[
        ["message_id", "template_id", "variant_id", "reply_class", "is_canned_repeat"]
    ]
    return an.log.messages.merge(tm, on="message_id", how="left", sort=False, validate="one_to_one")


def _link_evidence(an: Analysis) -> pd.Series:
    """Per matter: the links that joined its cases (strongest rule first, one a line), then
    how many more links say the same."""
    from ..analysis._matter_queue import RULE_WORDS
    from ..analysis._matters import LINK_RULES

    case_matter = an.matters.matters.set_index("case_id")["matter_id"]
    links = an.matters.links
    links = links[links["applied"]]
    rank = links["rule"].map({r: i for i, r in enumerate(LINK_RULES)})
    links = links.assign(matter_id=links["case_a"].map(case_matter), _r=rank).sort_values(
        "_r", kind="stable")
    parent: dict[str, str] = {}

    def root(c: str) -> str:
        while parent.get(c, c) != c:
            c = parent[c]
        return c

    lines: dict[str, list[str]] = {}
    more: dict[str, int] = {}
    for a, b, rule, ev, mid in zip(links["case_a"], links["case_b"], links["rule"],
                                   links["evidence"], links["matter_id"], strict=True):
        ra, rb = root(a), root(b)
        if ra == rb:
            more[mid] = more.get(mid, 0) + 1
            continue
        parent[rb] = ra
        lines.setdefault(mid, []).append(
            f"{a} and {b} ({RULE_WORDS.get(rule, rule)}): {ev}")
    out = {}
    for mid, ls in lines.items():
        if more.get(mid):
            n = more[mid]
            ls = ls + [f"and {n} more {'link' if n == 1 else 'links'} between these cases "
                       "('caselog matters --links' lists them all)"]
        out[mid] = "\n".join(ls)
    return pd.Series(out, dtype="object")


def _matters_frame(an: Analysis) -> pd.DataFrame:
    """The Matters sheet: one row per matter of two or more cases (:meth:`Analysis.
    matter_summary`), with its verdict (that of its most urgent case with the matter in view),
    its highest escalation level and the evidence of its links, one link a line."""
    from ..analysis._matter_queue import matter_verdicts

    s = an.matter_summary()
    s = s[s["n_cases"] > 1].reset_index(drop=True)
    if s.empty:
        return s.assign(highest_level=pd.Series(dtype="float64"), matter_verdict="", evidence="")
    level = pd.Series(float("nan"), index=s.index)
    for k in (1, 2, 3):
        level = level.mask(s[f"escalations_level_{k}"].gt(0), float(k))
    s["highest_level"] = level
    verdict = matter_verdicts(an.matter_readiness)
    s["matter_verdict"] = [
        f"{verdict.at[m, 'verdict']} (case {verdict.at[m, 'case_id']})" if m in verdict.index
        else "" for m in s["matter_id"]
    ]
    s["evidence"] = s["matter_id"].map(_link_evidence(an)).fillna("")
    s["case_ids"] = s["case_ids"].str.replace(", ", "\n", regex=False)
    s["verdicts"] = s["verdicts"].str.replace("; ", "\n", regex=False)
    return s


def _cases_frame(an: Analysis) -> pd.DataFrame:
    cases = an.log.cases
    ready = an.queue(VERDICTS)
    extra = [c for c in ready.columns if c not in cases.columns or c == "case_id"]
    out = ready[extra].merge(cases, on="case_id", how="left", sort=False, suffixes=("", "_case"))
    for c in ("account", "category", "status"):
        if c in ready.columns:
            out[c] = ready[c].to_numpy()
    return out


@uses_arrow_pool
def write_workbook(
    log: CaseLog | Analysis,
    path: str | PathLike[str],
    *,
    settings: Settings | None = None,
    as_of: Any = None,
    tz: str | None = None,
    redact: bool = False,
    order_ids: bool = False,
    sla_hours: float | None = None,
    charts: bool = True,
    max_briefs: int | None = 10,
    progress: Callable[[str], AbstractContextManager[Any]] | None = None,
) -> Path:
    """Write the Excel audit workbook of ``log`` to ``path``.

    The workbook renders one :class:`~caselog.Analysis`: the one given, or
    ``caselog.analyse(log, settings, as_of=..., tz=..., sla_hours=...)``.

    Parameters
    ----------
    log : CaseLog or Analysis
        The loaded case log, or its analysis (then ``settings``, ``as_of``, ``tz`` and
        ``sla_hours`` change it only when given).
    settings : Settings, optional
        The analysis settings; ``as_of``, ``tz`` and ``sla_hours`` override its fields.
    path : str or Path
        Where to write the ``.xlsx`` (parent folders must exist; an existing file is replaced).
    as_of : timestamp, optional
        "Now" for the analyses; default the newest ``sent_at``.  Naive values are UTC.
    tz : str, optional
        IANA time zone every date is shown in (the zone is named in the headers, e.g.
        ``"Sent (Europe/Berlin)"``); default ``settings.tz`` (UTC).
    redact : bool
        Mask e-mails, phone numbers, street addresses and greeting names first
        (:func:`caselog.redact`), then analyse the masked log with the same settings; the
        counts go to the Summary notes.
    order_ids : bool
        With ``redact``, also mask order IDs.
    sla_hours : float, optional
        Response time highlighted as a breach (default ``settings.sla_hours``, 48).  The wait
        window of escalations and readiness is ``settings.rules.wait_hours`` (48).
    charts : bool
        Put the main charts on the Summary sheet (default True).
    max_briefs : int or None
        Briefs for at most this many ready cases, most urgent first (default 10; None = all).
    progress : callable, optional
        ``progress(stage_name)`` returning a context manager (the CLI's stage printer).

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    ConfigError
        ``tz`` is not a known time zone, ``sla_hours`` / ``max_briefs`` are negative, or the
        folder of ``path`` does not exist.
    OSError
        The file cannot be written (permissions, disk full).

    Examples
    --------
    >>> import caselog
        >>> import tempfile, pathlib
    >>> log = caselog.load("data/sample/caselog_sample.xlsx")
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "audit.xlsx"
    >>> write_workbook(log, out, tz="Europe/Berlin", charts=False).name
    'audit.xlsx'
    """
    if max_briefs is not None and (
        isinstance(max_briefs, bool) or not isinstance(max_briefs, int) or max_briefs < 0
    ):
        raise ConfigError(f"max_briefs: expected a non-negative whole number, found {max_briefs!r}")
    path = Path(path)
    if not path.parent.is_dir():
        raise ConfigError(f"cannot write {path}: folder {path.parent} does not exist")
    if path.is_dir():
        raise ConfigError(f"cannot write {path}: it is a folder")
    # the analyses and the sheets build millions of objects but few reference cycles: full
    # collections over them (and over the caller's big frames) would cost seconds for nothing
    with _paused_gc():
        notes = _Notes()
        with _stage(progress, "analysing"):
            an = analyse(log, settings, as_of=as_of, tz=tz, sla_hours=sla_hours)
        if redact:
            from .._redaction import redact_with_report

            with _stage(progress, "redacting"):
                # a filtered view (one client) is redacted as the view, the whole log otherwise
                source = an.log if an._source is not None else an._full
                masked, _report = redact_with_report(source, order_ids=order_ids)
            an = analyse(masked, an.settings)
        sla = an.settings.sla_hours
        with _stage(progress, "writing briefs"):
            briefs = _briefs_frame(an, max_briefs, notes)

        with _stage(progress, "writing"):
            images = _chart_images(an, sla, notes) if charts else []
            wb = Workbook(write_only=True)
            wb.properties.creator = "caselog"
            wb.properties.title = "Seller case audit"
            summary = wb.create_sheet("Summary")
            _write_charts(wb.create_sheet("Charts"), images)
            writer = _SheetWriter(wb, an.settings.tz, notes, path.parent)
            try:
                written: dict[str, int] = {}
                cases = _cases_frame(an)
                has_matters = bool(cases["matter_id"].ne("").any())  # no matters: no columns
                case_cols = [c for c in _CASE_COLS if has_matters or not c.source.startswith(
                    "matter_")]
                written["Cases"] = writer.write(
                    "Cases", cases, case_cols, freeze="B2",
                    print_cols=[c.source for c in case_cols].index(_CASE_PRINT_LAST) + 1,
                    rules=_case_rules(an.settings.rules.wait_hours),
                )
                written["Matters"] = writer.write(
                    "Matters", _matters_frame(an), _MATTER_COLS, freeze="B2", wrap_header=True,
                    print_cols=len(_MATTER_COLS) - 1,  # the first message's words on screen only
                )
                messages = _messages_frame(an)
                optional = {"template_id", "variant_id", "reply_class", "is_canned_repeat"}
                written["Messages"] = writer.write(
                    "Messages", messages,
                    _drop_empty(_MESSAGE_COLS, messages, optional, if_all_missing=False),
                    freeze="C2", rules=_message_rules,
                )
                written["Response times"] = writer.write(
                    "Response times", an.turns,
                    _drop_empty(_TURN_COLS, an.turns, {"business_hours"}),
                    freeze="B2", rules=_turn_rules(sla),
                )
                written["Templates"] = writer.write(
                    "Templates", display_catalogue(an), _TEMPLATE_COLS, freeze="B2"
                )
                written["Escalations"] = writer.write(
                    "Escalations", an.escalations, _ESCALATION_COLS, freeze="B2",
                    rules=_escalation_rules(an.settings.rules.wait_hours),
                )
                written["Briefs"] = writer.write("Briefs", briefs, _BRIEF_COLS, freeze="B2")
                written["Rejects"] = writer.write("Rejects", an.log.rejects, _REJECT_COLS)
                _write_summary(summary, an, notes, written)
                # a random, exclusively created name beside the target: no half-written workbook
                # under the real name, no predictable name to plant a symlink on
                partial = _private_temp(path.parent, ".xlsx")
                try:
                    # stamped with the analysis' "now", not the clock: same data, same bytes
                    save_stamped(wb, partial, an.as_of if an.as_of is not None
                                 else pd.Timestamp("1980-01-01"))
                    writer.splice(partial)
                    umask = os.umask(0)
                    os.umask(umask)
                    os.chmod(partial, 0o666 & ~umask)  # mkstemp made it private
                    os.replace(partial, path)  # replaces a symlink at path, never its target
                finally:
                    partial.unlink(missing_ok=True)
            finally:
                writer.close()
    return path
