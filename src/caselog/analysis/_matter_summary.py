"""Analyses by matter: the summary of each matter, and readiness with the matter in view.

:func:`matter_summary` counts across a matter's cases what case-by-case analysis restarts in
every case: the time since the problem started, the time without an answer, canned repeats (a
template already sent in *any* case of the matter) and escalations at every level.

:func:`matter_readiness` takes the case-level verdicts of :func:`caselog.readiness` and applies,
across the cases of each matter of two or more cases:

* the bridge rule: more than ``max_exec_without_new_material`` executive escalations in the
  matter with no new material (attachments, POA, documents in any of its cases) between them
  make every open case of the matter *not advisable*;
* "already escalated": a failed level-2 escalation or an executive escalation in another case
  raises the target to level 3 (Executive Seller Relations, with new material only); a level-2
  escalation of another case still waiting for its answer turns *ready* into *not yet*;
* repeat canned denials counted across the matter: a case that is *not yet* only because the
  standard channel still answers (nothing missing) becomes *ready* when the matter has
  ``min_repeat_denials`` of them.

Cases alone in their matter keep their verdicts unchanged.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..model import CaseLog
from ._escalations import material_flags
from ._frame import resolve_as_of
from ._matters import MatterResult
from ._rules import FAILED_OUTCOMES, ReadinessRules

__all__ = ["matter_summary", "matter_readiness", "MATTER_SUMMARY_COLUMNS"]

#: columns of :func:`matter_summary`
MATTER_SUMMARY_COLUMNS: tuple[str, ...] = (
    "matter_id", "accounts", "n_cases", "case_ids", "channels", "first_at", "last_at",
    "first_message", "days_since_start", "hours_without_answer", "canned_repeats",
    "case_canned_repeats", "repeat_canned_denials", "case_repeat_canned_denials",
    "escalations", "escalations_level_1", "escalations_level_2", "escalations_level_3",
    "verdicts",
)


def _d(ts: Any) -> str:
    return "-" if ts is None or pd.isna(ts) else pd.Timestamp(ts).strftime("%Y-%m-%d")


def _matter_templates(result: MatterResult, templates: Any, log: CaseLog) -> pd.DataFrame:
    """Amazon messages with their template, matter, and repeat flags across the matter."""
    tm = templates.messages if hasattr(templates, "messages") else templates
    cols = ["message_id", "case_id", "template_id", "reply_class", "is_canned_repeat",
            "is_repeat_denial"]
    t = tm[cols].merge(log.messages[["message_id", "sent_at"]], on="message_id", how="left")
    t["matter_id"] = t["case_id"].astype(str).map(
        result.matters.set_index("case_id")["matter_id"])
    t = t.sort_values(["matter_id", "sent_at", "message_id"], kind="stable")
    has = t["template_id"].notna()
    dup = t[has].duplicated(["matter_id", "template_id"])
    t["matter_repeat"] = False
    t.loc[dup.index, "matter_repeat"] = dup.to_numpy()
    t["matter_repeat_denial"] = t["matter_repeat"] & t["reply_class"].astype(str).eq("denial")
    return t


def _utc_naive(s: pd.Series) -> np.ndarray:
    """Timestamps as naive UTC ``datetime64[ns]`` (not an array of Timestamp objects)."""
    s = pd.to_datetime(s, utc=True)
    return s.dt.tz_localize(None).to_numpy(dtype="datetime64[ns]")


def _waiting_hours(turns: pd.DataFrame, case_matter: pd.Series, as_of: Any) -> pd.Series:
    """Per matter: hours covered by at least one unanswered seller turn (overlaps once)."""
    if turns.empty:
        return pd.Series(dtype="float64")
    t = pd.DataFrame({"matter_id": turns["case_id"].astype(str).map(case_matter).to_numpy(),
                      "s": _utc_naive(turns["first_seller_at"]),
                      "e": _utc_naive(turns["reply_at"].fillna(pd.Timestamp(as_of))
                                      if as_of is not None else turns["reply_at"])})
    t = t.dropna().sort_values(["matter_id", "s"], kind="stable").reset_index(drop=True)
    if t.empty:
        return pd.Series(dtype="float64")
    reach = t.groupby("matter_id")["e"].cummax()
    prev = reach.groupby(t["matter_id"]).shift(1)
    new_run = prev.isna() | (t["s"] > prev)
    run = new_run.cumsum()
    spans = t.assign(run=run, reach=reach).groupby(["matter_id", "run"]).agg(
        s=("s", "min"), e=("reach", "max"))
    hours = (spans["e"] - spans["s"]) / pd.Timedelta(hours=1)
    return hours.groupby(level="matter_id").sum().astype("float64")


def matter_summary(
    log: CaseLog,
    result: MatterResult,
    *,
    templates: Any,
    escalations: pd.DataFrame,
    turns: pd.DataFrame,
    readiness: pd.DataFrame | None = None,
    as_of: Any = None,
) -> pd.DataFrame:
    """One row per matter: its cases, channels, start, waits, canned repeats and escalations.

    Parameters
    ----------
    log : CaseLog
        The log the matters were found in.
    result : MatterResult
        :func:`caselog.matters` of ``log``.
    templates, escalations, turns : results of ``log``
        :func:`caselog.find_templates`, :func:`caselog.escalations`, :func:`caselog.turns`.
    readiness : pandas.DataFrame, optional
        Verdicts to list per matter (:func:`matter_readiness` or :func:`caselog.readiness`).
    as_of : timestamp, optional
        "Now" for ``days_since_start`` and open waits; default the newest ``sent_at``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`MATTER_SUMMARY_COLUMNS`, sorted by matter number: ``matter_id,
        accounts, n_cases, case_ids, channels, first_at, last_at, first_message`` (the first
        message's case, direction, channel and its first words), ``days_since_start`` (from
        the first message to ``as_of``), ``hours_without_answer`` (the hours during which at
        least one seller message of the matter waited for an answer, overlaps counted once),
        ``canned_repeats`` / ``repeat_canned_denials`` (a template already sent in any case of
        the matter) next to ``case_canned_repeats`` / ``case_repeat_canned_denials`` (the sum of
        the case-level counts), ``escalations`` and ``escalations_level_1..3``, ``verdicts``
        (``case: verdict`` per case, when ``readiness`` is given).

    Examples
    --------
    >>> import caselog
    >>> a = caselog.analyse(caselog.sample.generate(n_cases=20, n_matters=2).log)
    >>> s = a.matter_summary()
    >>> int(s["n_cases"].max()) > 1
    True
    """
    m = log.messages
    as_of = resolve_as_of(m, as_of)
    mt = result.matters
    case_matter = mt.set_index("case_id")["matter_id"]
    g = mt.groupby("matter_id", sort=False)
    out = pd.DataFrame({
        "accounts": _joined(mt, "account", lambda s: ", ".join(dict.fromkeys(s))),
        "n_cases": g["case_id"].size().astype("int64"),
        "case_ids": _joined(mt, "case_id", ", ".join),
        "channels": _joined(mt, "channels", lambda s: ", ".join(
            dict.fromkeys(c for x in s for c in x.split(", ") if c))),
        "first_at": g["first_at"].first(),
        "last_at": g["last_at"].first(),
    })
    # each matter's first message: sorted by the keys alone, then its rows taken
    keys = pd.DataFrame({"sent_at": m["sent_at"].array, "message_id": m["message_id"].array,
                         "matter_id": m["case_id"].astype(str).map(case_matter).array})
    keys = keys.sort_values(["sent_at", "message_id"]).drop_duplicates("matter_id")
    first = m[["message_id", "case_id", "sent_at", "direction", "channel", "body"]].iloc[
        keys.index.to_numpy()]
    first = first.set_axis(pd.Index(keys["matter_id"].to_numpy(), name="matter_id"))
    words = first["body"].fillna("").astype(str).str.split().str[:12].str.join(" ")
    out["first_message"] = (
        "case " + first["case_id"].astype(str) + ", " + first["direction"].astype(str) + " "
        + first["channel"].astype(str) + ": " + words
    ).reindex(out.index).fillna("")
    start = out["first_at"]
    out["days_since_start"] = (
        (pd.Timestamp(as_of) - start) / pd.Timedelta(days=1) if as_of is not None else np.nan
    )
    out["hours_without_answer"] = _waiting_hours(turns, case_matter, as_of).reindex(
        out.index).fillna(0.0)
    t = _matter_templates(result, templates, log)
    tg = t.groupby("matter_id")
    for name, c in (("canned_repeats", "matter_repeat"),
                    ("case_canned_repeats", "is_canned_repeat"),
                    ("repeat_canned_denials", "matter_repeat_denial"),
                    ("case_repeat_canned_denials", "is_repeat_denial")):
        out[name] = tg[c].sum().reindex(out.index).fillna(0).astype("int64")
    e = escalations.assign(matter_id=escalations["case_id"].astype(str).map(case_matter))
    out["escalations"] = e.groupby("matter_id").size().reindex(out.index).fillna(0).astype("int64")
    for level in (1, 2, 3):
        n = e[e["level"].eq(level)].groupby("matter_id").size()
        out[f"escalations_level_{level}"] = n.reindex(out.index).fillna(0).astype("int64")
    if readiness is not None and len(readiness):
        v = readiness.assign(matter_id=readiness["case_id"].astype(str).map(case_matter))
        v = v.assign(text=v["case_id"].astype(str) + ": " + v["verdict"].astype(str))
        out["verdicts"] = _joined(v, "text", "; ".join).reindex(out.index).fillna("")
    else:
        out["verdicts"] = ""
    out = out.reset_index(names="matter_id")
    out["_n"] = out["matter_id"].str[2:].astype(int)
    return out.sort_values("_n").drop(columns="_n").reset_index(drop=True)[
        list(MATTER_SUMMARY_COLUMNS)]


def _joined(frame: pd.DataFrame, column: str, join: Any) -> pd.Series:
    """``join`` of ``column``'s values per ``matter_id`` (in order of first appearance).

    Most matters hold one case: their value is ``join`` of one value, computed row by row;
    only the matters of several cases go through a group-by.
    """
    key = frame["matter_id"]
    size = key.map(key.value_counts(sort=False))
    alone = (size == 1).to_numpy()
    values = frame[column].astype(str)
    one = pd.Series([join([x]) for x in values[alone]], index=key[alone].to_numpy(), dtype=object)
    many = values[~alone].groupby(key[~alone], sort=False).agg(join)
    both = pd.concat([one, many.astype(object)])
    return both.reindex(pd.unique(key.to_numpy())).astype("str")


_RANK = {"ready": 3, "not yet": 2, "not advisable": 1, "closed": 0}


def _exec_runs(esc: pd.DataFrame, me_rows: np.ndarray, material_at: dict[str, np.ndarray],
               cases: list[str]) -> tuple[int, list[tuple]]:
    """The longest run of executive escalations of these cases without new material between
    them, and the escalations of that run (case, time).  ``me_rows``: the positions in ``esc``
    of the cases' escalations (in ``esc`` order); ``material_at``: per case, the times of its
    messages that bring material."""
    me = esc.iloc[me_rows]
    e3 = me[me["level"].eq(3)].sort_values("sent_at")
    if e3.empty:
        return 0, []
    times = [material_at[c] for c in cases if c in material_at]
    mat_t = np.sort(np.concatenate(times)) if times else np.zeros(0, dtype="datetime64[ns]")
    cum = np.searchsorted(mat_t, e3["sent_at"].to_numpy(dtype="datetime64[ns]"), side="right")
    best, best_rows, run = 0, [], []
    rows = list(zip(e3["case_id"].astype(str), e3["sent_at"], cum, strict=True))
    for i, r in enumerate(rows):
        run = run + [r] if i and r[2] == rows[i - 1][2] else [r]
        if len(run) > best:
            best, best_rows = len(run), list(run)
    return best, [(c, t) for c, t, _ in best_rows]


def matter_readiness(
    readiness: pd.DataFrame,
    result: MatterResult,
    *,
    log: CaseLog,
    escalations: pd.DataFrame,
    templates: Any,
    rules: ReadinessRules | None = None,
) -> pd.DataFrame:
    """Readiness with the matter in view: the case-level verdicts, adjusted across each matter.

    Parameters
    ----------
    readiness : pandas.DataFrame
        :func:`caselog.readiness` of ``log``.
    result : MatterResult
        :func:`caselog.matters` of ``log``.
    log, escalations, templates : the log and its results
        :func:`caselog.escalations` and :func:`caselog.find_templates` of ``log``.
    rules : ReadinessRules, optional
        The thresholds the case-level verdicts used.

    Returns
    -------
    pandas.DataFrame
        The columns of ``readiness`` (``verdict, reasons, missing, next_step, target_level,
        target, urgency`` adjusted) plus ``matter_id``, ``case_verdict`` and ``case_reasons``
        (the case-level ones), ``matter_changed`` (bool: verdict or target changed) and
        ``matter_reason`` (``"matter M-3: executive escalation already sent in case X on
        DATE"``; ``""`` when unchanged).  The rules are described in
        :mod:`caselog.analysis._matter_summary`.

    Examples
    --------
    >>> import caselog
    >>> a = caselog.analyse(caselog.sample.generate(n_cases=20, n_matters=1).log)
    >>> r = a.matter_readiness
    >>> bool((r["verdict"] != r["case_verdict"]).any())
    True
    """
    rules = rules or ReadinessRules()
    out = readiness.copy()
    case_matter = result.matters.set_index("case_id")["matter_id"]
    out["matter_id"] = out["case_id"].astype(str).map(case_matter).fillna("").astype(str)
    out["case_verdict"] = out["verdict"]
    out["case_reasons"] = out["reasons"]
    out["matter_changed"] = False
    out["matter_reason"] = ""
    multi = result.matters[result.matters["n_cases"] > 1]
    if multi.empty:
        return out
    t = _matter_templates(result, templates, log)
    rep_den = t.groupby("matter_id")["matter_repeat_denial"].sum()
    esc = escalations.assign(case_id=escalations["case_id"].astype(str)).reset_index(drop=True)
    out["target_level"] = out["target_level"].astype("Int64")
    pos = {c: i for i, c in enumerate(out["case_id"].astype(str))}
    # looked up once, not searched again for every matter: each case's escalations and the
    # times of its messages that bring material (a row's flag depends on that row alone)
    esc_rows = esc.groupby("case_id", sort=False).indices
    m = log.messages
    flagged = m[material_flags(m).to_numpy()]
    flag_at = flagged["sent_at"].to_numpy(dtype="datetime64[ns]")
    material_at = {c: flag_at[r] for c, r in
                   flagged.groupby(flagged["case_id"].astype(str), sort=False).indices.items()}
    no_rows = np.zeros(0, dtype=np.int64)
    # the loop below works on plain Python lists (a pandas lookup per row and matter cost
    # ~10 ms: minutes at a million messages); the columns are written back once at the end
    rows = _Rows(out)
    level = pd.to_numeric(esc["level"], errors="coerce").fillna(-1).astype("int64").tolist()
    e_case = esc["case_id"].tolist()
    e_out = esc["outcome"].astype(str).tolist() if "outcome" in esc.columns else [""] * len(esc)
    e_at = list(esc["sent_at"])
    has_exec = np.asarray(level, dtype=np.int64) == 3
    rep = {str(k): int(v) for k, v in rep_den.items()}
    for mid, grp in multi.groupby("matter_id", sort=False):
        cases = grp["case_id"].astype(str).tolist()
        found = [esc_rows[c] for c in cases if c in esc_rows]
        me_rows = np.sort(np.concatenate(found)) if found else no_rows
        if has_exec[me_rows].any():
            run, run_rows = _exec_runs(esc, me_rows, material_at, cases)
        else:
            run, run_rows = 0, []
        burned = run > rules.max_exec_without_new_material
        me = [(e_case[j], level[j], e_out[j], e_at[j]) for j in me_rows.tolist()]
        for c in cases:
            i = pos.get(c)
            if i is None or rows.verdict[i] not in ("ready", "not yet"):
                continue
            why = _adjust(rows, i, c, mid, me, burned, run_rows, rep.get(str(mid), 0), rules)
            if why:
                rows.matter_changed[i] = True
                rows.matter_reason[i] = why
                rows.reasons[i] = why + "; case alone: " + str(rows.case_reasons[i])
                rank = _RANK[str(rows.verdict[i])]
                u = float(rows.urgency[i])
                deadline = 1e7 if u >= 1e7 else 0.0  # a near deadline keeps the case first
                rows.urgency[i] = deadline + rank * 1e6 + (u - deadline) % 1e6
    rows.write(out)
    return out


class _Rows:
    """The columns of the readiness frame that matter readiness may change, as Python lists."""

    COLUMNS = ("verdict", "reasons", "missing", "next_step", "target_level", "target", "urgency",
               "case_reasons", "matter_changed", "matter_reason")

    def __init__(self, out: pd.DataFrame):
        self.dtypes = {c: out[c].dtype for c in self.COLUMNS}
        for c in self.COLUMNS:
            setattr(self, c, out[c].tolist())

    def write(self, out: pd.DataFrame) -> None:
        for c in self.COLUMNS:
            out[c] = pd.Series(pd.array(getattr(self, c), dtype=self.dtypes[c]), index=out.index)


def _adjust(out: _Rows, i: int, case: str, mid: str, me: list[tuple], burned: bool,
            run_rows: list[tuple], rep_den: int, rules: ReadinessRules) -> str:
    """Change row ``i`` for its matter; the reason in plain words ("" when unchanged).

    ``me``: the matter's escalations in escalation order, ``(case_id, level, outcome, sent_at)``
    (level -1 when unknown)."""
    others = [e for e in me if e[0] != case]
    if burned:
        where = ", ".join(f"case {c} on {_d(t)}" for c, t in run_rows)
        out.verdict[i] = "not advisable"
        out.target[i], out.target_level[i], out.missing[i] = "", pd.NA, ""
        out.next_step[i] = ("do not escalate again with the same material: prepare a new "
                            "plan of action or new documents first")
        return (f"matter {mid}: bridges burned: {len(run_rows)} executive escalations without "
                f"new material between them ({where})")
    reasons = []
    exec_other = [e for e in others if e[1] == 3]
    failed2 = [e for e in others if e[1] == 2 and e[2] in FAILED_OUTCOMES]
    waiting2 = [e for e in others if e[1] == 2 and e[2] == "waiting"]
    if out.verdict[i] == "ready" and waiting2:
        w_case, _, _, w_at = waiting2[-1]
        out.verdict[i] = "not yet"
        out.missing[i] = f"the answer to the level-2 escalation in case {w_case}"
        out.next_step[i] = (f"wait for the answer to the level-2 escalation sent in case "
                            f"{w_case} on {_d(w_at)}")
        return (f"matter {mid}: level-2 escalation already sent in case {w_case} on "
                f"{_d(w_at)}, still waiting for its answer")
    if (out.verdict[i] == "not yet" and str(out.missing[i]) == ""
            and rep_den >= rules.min_repeat_denials):
        out.verdict[i] = "ready"
        reasons.append(f"matter {mid}: {rep_den} repeat canned denials across its cases")
    target_level = out.target_level[i]
    if pd.notna(target_level) and int(target_level) == 2 and (exec_other or failed2):
        if exec_other:
            x_case, _, _, x_at = exec_other[0]
            reasons.append(f"matter {mid}: executive escalation already sent in case "
                           f"{x_case} on {_d(x_at)}")
        else:
            x_case, _, x_out, x_at = failed2[-1]
            reasons.append(f"matter {mid}: level-2 escalation in case {x_case} on "
                           f"{_d(x_at)} failed ({x_out})")
        out.target_level[i], out.target[i] = 3, "Executive Seller Relations"
    if reasons and out.verdict[i] == "ready":
        extra = " with new material only" if exec_other else ""
        out.next_step[i] = (
            f"escalate to {out.target[i]} (level {int(out.target_level[i])}){extra}: "
            "send the brief with every case ID of the matter, the actions taken, the repeated "
            "replies and the documents")
    return "; ".join(reasons)
