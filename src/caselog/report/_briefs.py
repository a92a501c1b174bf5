"""Escalation briefs: the letter of a case, written from the computed analyses.

A ``ready`` case gets a letter (see :mod:`caselog.report._letter`); any other case a short note
of why not and what to do first.  Data inside the Markdown is escaped (:func:`md_escape`), so a
message or account name shows as text and never renders as HTML or Markdown.
"""

from __future__ import annotations

import difflib
from typing import Any

import numpy as np
import pandas as pd

from ..analysis import ReadinessRules, col, template_frame
from ..errors import CaseNotFoundError, ConfigError
from ._letter import CaseFacts, Letter, compose, no_letter
from ._text import md_escape


def brief(
    log: Any,
    case_id: str,
    *,
    as_of: Any = None,
    rules: ReadinessRules | None = None,
    templates: Any = None,
) -> str:
    """The escalation letter of one case, in Markdown (rule 7 of docs/domain.md).

    For a ``ready`` case: subject ``Escalation request: Case <ID> – <issue>``, addressee, an
    opening that says what is asked of whom, a summary from the thread's own facts (since when,
    what the seller's messages say it costs), what was already done (dated; repeated chasers
    folded into one line with their count and dates), why the replies fail (the same template N
    times with dates, information already supplied, Amazon's time promises not kept, waits in
    days), the outcome asked for by category, and the attachments.  Notes for the sender
    (verdict, reasons, placeholders to fill) follow a rule, outside the letter.  A fact the data
    cannot hold is written ``[add: ...]`` and counted in the notes.  For any other verdict: a
    short note of why not and what to do first, never a letter.

    Parameters
    ----------
    log : CaseLog
    case_id : str
        The case to write about.
    as_of, rules, templates
        As in :func:`readiness`.

    Returns
    -------
    str
        Markdown text.

    Raises
    ------
    CaseNotFoundError
        ``case_id`` is not in the log; the message suggests close IDs.

    Examples
    --------
    >>> import caselog
    >>> log = caselog.sample.generate(n_cases=30).log
    >>> a = caselog.analyse(log)
    >>> ready = a.queue(("ready",))["case_id"]
    >>> caselog.brief(log, ready.iloc[0]).startswith("# Escalation request: Case ")
    True
    """
    return briefs(log, [case_id], as_of=as_of, rules=rules, templates=templates)[0]


def _unknown_case(case_id: str, known: pd.Index) -> CaseNotFoundError:
    close = difflib.get_close_matches(case_id, [str(k) for k in known], n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return CaseNotFoundError(f"case {case_id!r} is not in the case log{hint}", column="case_id")


def briefs(
    log: Any,
    case_ids: Any,
    *,
    as_of: Any = None,
    rules: ReadinessRules | None = None,
    templates: Any = None,
) -> list[str]:
    """The :func:`brief` of each case in ``case_ids``, with the analyses computed once.

    Templates (when not given), escalations and readiness are computed once for all the cases
    together instead of once per case, so a queue of briefs costs about one :func:`brief`.
    Each text is exactly what :func:`brief` writes for that case.

    Parameters
    ----------
    log : CaseLog
    case_ids : iterable of str
        The cases to write about, in the order wanted (repeats allowed).
    as_of, rules, templates
        As in :func:`brief`.  Without ``templates`` the templates are found among the messages
        of ``case_ids`` only; pass ``find_templates(log)`` for the verdicts of
        ``readiness(log)``.

    Returns
    -------
    list of str
        One Markdown text per entry of ``case_ids``, in that order (``[]`` for no cases).

    Raises
    ------
    CaseNotFoundError
        A case ID is not in the log (the first unknown one is named, with close IDs).

    Examples
    --------
    >>> import caselog
    >>> from caselog import briefs
    >>> log = caselog.sample.generate(n_cases=10).log
    >>> texts = briefs(log, log.cases["case_id"].iloc[:2])
    >>> len(texts), all(t.startswith(("# Escalation request", "No escalation letter"))
    ...                     for t in texts)
    (2, True)
    """
    from ..analysis import Analysis, analyse

    if isinstance(log, Analysis) and as_of is None and rules is None and templates is None:
        return log.briefs(case_ids)
    a = analyse(log, as_of=as_of, rules=rules)
    if templates is not None:
        if not isinstance(getattr(templates, "messages", templates), pd.DataFrame):
            raise ConfigError(
                "templates must be the result of caselog.find_templates() (or its .messages), "
                f"got {type(templates).__name__}"
            )
        a.__dict__["templates"] = templates  # the caller's grouping, e.g. of a larger log
    return a.briefs(case_ids)


def write_briefs(a: Any, case_ids: list[str]) -> list[str]:
    """The brief texts (Markdown) of ``case_ids`` (unique, in order) from analysis ``a``."""
    return [letter.markdown() for letter in letters(a, case_ids, markdown=True)]


def letters(a: Any, case_ids: Any, *, markdown: bool = False) -> list[Letter]:
    """The :class:`Letter` of each case in ``case_ids`` from the results of analysis ``a``.

    A ``ready`` case gets an escalation letter; any other verdict a short note of why not and
    what to do first.  With ``markdown`` the data inside is escaped with :func:`md_escape`
    (for :meth:`Letter.markdown`); otherwise it is plain text (the workbook's Briefs sheet).

    Examples
    --------
    >>> import caselog
    >>> from caselog.report import letters
    >>> a = caselog.analyse(caselog.sample.generate(n_cases=30).log)
    >>> first = letters(a, a.queue(("ready",))["case_id"].iloc[:1])[0]
    >>> first.subject.startswith("Escalation request: Case ")
    True
    """
    ids = [case_ids] if isinstance(case_ids, str) else [str(c) for c in case_ids]
    if not ids:
        return []
    known = a.case_ids
    absent = ~pd.Index(ids).isin(known)
    if absent.any():
        raise _unknown_case(ids[int(np.flatnonzero(absent)[0])], known)
    esc = md_escape if markdown else str
    rules = a.settings.rules
    rows = a.readiness.set_index("case_id", drop=False)
    matter, matter_rows = _matters_of(a, ids)
    # the verdict a letter follows: the matter's, where the whole matter changes the case's
    applied = {c: r for c, r in matter_rows.items() if bool(r.get("matter_changed", False))}
    verdict = {c: str(applied[c]["verdict"] if c in applied else rows.loc[c, "verdict"])
               for c in dict.fromkeys(ids)}
    ready = [c for c, v in verdict.items() if v == "ready"]
    facts = _facts(a, ready, applied) if ready else {}
    out = []
    for cid in ids:
        if cid in facts:
            out.append(compose(facts[cid], esc, tuple(rules.poa_categories)))
        else:
            out.append(no_letter(cid, applied.get(cid, rows.loc[cid]), esc,
                                 matter.get(cid, ()), matter_rows.get(cid)))
    return out


def _matters_of(a: Any, ids: list[str]) -> tuple[dict[str, tuple], dict[str, pd.Series]]:
    """Per case of ``ids`` in a matter of two or more cases: the matter's cases ``(case ID,
    channels, first message)`` in order, and the case's row of ``a.matter_readiness``."""
    mt = a.matters.matters
    mine = mt[mt["case_id"].isin(ids) & mt["n_cases"].gt(1)]
    if mine.empty:
        return {}, {}
    whole = (a._source or a).matters.matters  # a filtered view still names every case
    whole = whole[whole["matter_id"].isin(mine["matter_id"])]
    cases = {mid: tuple(zip(g["case_id"], g["channels"], g["case_first_at"], strict=True))
             for mid, g in whole.groupby("matter_id", sort=False)}
    mr = a.matter_readiness
    mr = mr[mr["case_id"].astype(str).isin(mine["case_id"])].set_index("case_id", drop=False)
    matter = {c: cases[m] for c, m in zip(mine["case_id"], mine["matter_id"], strict=True)}
    return matter, {c: mr.loc[c] for c in matter if c in mr.index}


def _facts(a: Any, ids: list[str],
           applied: dict[str, pd.Series] | None = None) -> dict[str, CaseFacts]:
    """The per-case rows :func:`compose` needs, for the cases ``ids``; ``applied`` holds the
    readiness rows the case's matter changed (verdict, target and next step of the matter)."""
    applied = applied or {}
    keep = pd.Index(ids)
    rows = a.readiness.set_index("case_id", drop=False)
    matter, matter_rows = _matters_of(a, ids)
    in_matters = pd.Index(sorted({c for cases in matter.values() for c, _ch, _t in cases}))
    m = a.log.messages
    m = m[m["case_id"].astype(str).isin(keep.union(in_matters))].sort_values(
        ["sent_at", "message_id"], kind="stable")
    m = m.assign(subject=col(m, "subject"), body=col(m, "body"), team=col(m, "team"),
                 channel=col(m, "channel"), kind=col(m, "kind"),
                 attachments=pd.to_numeric(col(m, "attachments", 0), errors="coerce").fillna(0))
    am = m[m["direction"].eq("amazon")].merge(template_frame(a.templates), on="message_id",
                                              how="left")
    am["reply_class"] = am["reply_class"].fillna("other").astype(str)
    cases = a.log.cases.drop_duplicates("case_id").set_index("case_id", drop=False)
    esc = a.escalations[a.escalations["case_id"].astype(str).isin(keep)]
    t = a.turns[a.turns["case_id"].astype(str).isin(keep)]
    by = {name: dict(tuple(frame.groupby("case_id", sort=False)))
          for name, frame in (("m", m), ("am", am), ("esc", esc), ("t", t))}
    empty = {"m": m.iloc[:0], "am": am.iloc[:0], "esc": esc.iloc[:0], "t": t.iloc[:0]}
    out = {}
    for cid in ids:
        case = cases.loc[cid] if cid in cases.index else None
        asins = str(case["asins"]) if case is not None and "asins" in case.index and \
            pd.notna(case["asins"]) else ""
        opened = case["opened_at"] if case is not None and "opened_at" in case.index else pd.NaT
        out[cid] = CaseFacts(
            case_id=cid, row=applied.get(cid, rows.loc[cid]), asins=asins, opened=opened,
            messages=by["m"].get(cid, empty["m"]), amazon=by["am"].get(cid, empty["am"]),
            escalations=by["esc"].get(cid, empty["esc"]), turns=by["t"].get(cid, empty["t"]),
            as_of=a.as_of, wait_hours=float(a.settings.rules.wait_hours),
            attachments_recorded=bool(getattr(a.log, "attachments_recorded", True)),
            matter=matter.get(cid, ()), matter_row=matter_rows.get(cid),
            matter_amazon=(am[am["case_id"].astype(str).isin(
                [c for c, _ch, _t in matter[cid] if c != cid])] if cid in matter else None),
        )
    return out
