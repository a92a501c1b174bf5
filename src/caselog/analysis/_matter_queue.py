"""The readiness queue with the matters in view: cases of one matter together, and the verdict
of each matter.

:func:`matter_queue` takes the one queue order (:func:`caselog.readiness_queue`, case-level
verdicts) and moves the cases of a matter of two or more cases next to the matter's most urgent
case, keeping their own order; it adds ``matter_id``, ``matter_verdict`` (the case's verdict with
the matter in view, :func:`caselog.matter_readiness`, where it differs from the case verdict) and
``matter_reason``.  :func:`matter_verdicts` gives one verdict per matter: that of its most urgent
case with the matter in view.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..schema import VERDICTS

__all__ = ["matter_queue", "matter_verdicts", "MATTER_QUEUE_COLUMNS", "RULE_WORDS"]

#: each link rule in words for people (the faces' name of ``rule``)
RULE_WORDS: dict[str, str] = {
    "user": "marked by the user", "case_reference": "a case ID quoted",
    "same_thread": "one mail thread", "same_notice": "the same notice",
    "same_order": "the same order ID", "same_asin": "the same ASIN",
}

#: the columns :func:`matter_queue` adds to the queue
MATTER_QUEUE_COLUMNS: tuple[str, ...] = ("matter_id", "matter_verdict", "matter_reason")


def _multi(matter_readiness: pd.DataFrame, n_cases: pd.Series) -> pd.Series:
    """case ID -> matter ID for the cases of matters of two or more cases ("" otherwise)."""
    mid = matter_readiness.set_index(matter_readiness["case_id"].astype(str))["matter_id"]
    big = mid.map(n_cases).fillna(1).gt(1)
    return mid.where(big, "").astype(str)


def matter_queue(queue: pd.DataFrame, matter_readiness: pd.DataFrame,
                 n_cases: pd.Series) -> pd.DataFrame:
    """The queue with the cases of each matter together.

    Parameters
    ----------
    queue : pandas.DataFrame
        :func:`caselog.readiness_queue` rows (in its order).
    matter_readiness : pandas.DataFrame
        :func:`caselog.matter_readiness` (``case_id, matter_id, verdict, matter_reason``).
    n_cases : pandas.Series
        Cases per matter, indexed by matter ID (of the whole log).

    Returns
    -------
    pandas.DataFrame
        The rows of ``queue`` plus ``matter_id`` (``""`` for a case alone in its matter),
        ``matter_verdict`` (the verdict with the matter in view, ``""`` where it is the case
        verdict) and ``matter_reason``.  A matter's cases follow each other from the place of its
        most urgent case in ``queue``, in their queue order; every other row keeps its place
        relative to the others.

    Examples
    --------
    >>> import pandas as pd
    >>> q = pd.DataFrame({"case_id": ["A", "B", "C"], "verdict": ["ready", "ready", "not yet"]})
    >>> mr = pd.DataFrame({"case_id": ["A", "B", "C"], "matter_id": ["M-1", "M-2", "M-1"],
    ...                    "verdict": ["ready", "ready", "ready"],
    ...                    "matter_reason": ["", "", "matter M-1: 2 repeat canned denials"]})
    >>> out = matter_queue(q, mr, pd.Series({"M-1": 2, "M-2": 1}))
    >>> out[["case_id", "matter_id", "matter_verdict"]].values.tolist()
    [['A', 'M-1', ''], ['C', 'M-1', 'ready'], ['B', '', '']]
    """
    out = queue.reset_index(drop=True).copy()
    ids = out["case_id"].astype(str)
    mid = _multi(matter_readiness, n_cases).reindex(ids).fillna("").to_numpy(dtype=object)
    mr = matter_readiness.set_index(matter_readiness["case_id"].astype(str))
    mv = mr["verdict"].reindex(ids).fillna("").astype(str).to_numpy(dtype=object)
    why = (mr["matter_reason"].reindex(ids).fillna("").astype(str).to_numpy(dtype=object)
           if "matter_reason" in mr.columns else np.full(len(out), "", dtype=object))
    differs = (mid != "") & (mv != out["verdict"].astype(str).to_numpy(dtype=object))
    pos = np.arange(len(out))
    key = pd.Series(pos).groupby(pd.Series(np.where(mid != "", mid, ids.to_numpy()))).transform(
        "min").to_numpy()
    order = np.lexsort((pos, key))
    out["matter_id"] = mid
    out["matter_verdict"] = np.where(differs, mv, "")
    out["matter_reason"] = np.where(mid != "", why, "")
    for c in MATTER_QUEUE_COLUMNS:
        out[c] = out[c].astype(str)
    return out.iloc[order].reset_index(drop=True)


def matter_verdicts(matter_readiness: pd.DataFrame) -> pd.DataFrame:
    """One verdict per matter: that of its most urgent case with the matter in view.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``matter_id``: ``verdict`` (ready before not yet, not advisable, closed;
        then the highest ``urgency``, then the case ID) and ``case_id`` (the case it is the
        verdict of).

    Examples
    --------
    >>> import pandas as pd
    >>> mr = pd.DataFrame({"case_id": ["A", "B"], "matter_id": ["M-1", "M-1"],
    ...                    "verdict": ["closed", "not advisable"], "urgency": [0.0, 1e6]})
    >>> matter_verdicts(mr).loc["M-1"].tolist()
    ['not advisable', 'B']
    """
    r = matter_readiness
    rank = r["verdict"].map({v: i for i, v in enumerate(VERDICTS)}).fillna(len(VERDICTS))
    t = pd.DataFrame({"matter_id": r["matter_id"].astype(str).to_numpy(),
                      "case_id": r["case_id"].astype(str).to_numpy(),
                      "verdict": r["verdict"].astype(str).to_numpy(),
                      "rank": rank.to_numpy(),
                      "u": -r["urgency"].to_numpy(dtype="float64")})
    t = t.sort_values(["matter_id", "rank", "u", "case_id"], kind="stable")
    return t.drop_duplicates("matter_id").set_index("matter_id")[["verdict", "case_id"]]
