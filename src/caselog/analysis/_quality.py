"""The quality of an escalation letter: which of its seven items a seller message meets.

A letter that escalates a case carries a basis: the case ID, facts and figures, what was
already done, the desired outcome, the documents attached, more than a one-liner, and a plain
subject (no clickbait).  :func:`escalation_quality` scores each seller message on these items.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from ..schema import QUALITY_ITEMS
from ._frame import _arrow, col, require_columns, rx_contains, rx_replace

__all__ = ["escalation_quality", "QUALITY_ITEMS"]

# quality items
_CASE_REF = r"\bcase\s*(?:id|number|no\.?|#)?\s*[:#]?\s*\d{3,}"
_FACTS = (
    r"(?:\bB0[A-Z0-9]{8}\b|\b\d{3}-\d{7}-\d{7}\b|\d)"
)
_DONE = (
    r"(?:\b(?:we|i)\s+(?:have\s+|had\s+|already\s+)*(?:submitted|provided|sent|attached|"
    r"implemented|removed|updated|replaced|contacted|called|appealed|uploaded|supplied|answered|"
    r"followed\s+up|corrected|fixed|resolved|completed)\b"
    r"|\bplan\s+of\s+action\b|\bpoa\b|\bwe\s+have\b|\bi\s+have\b)"
)
_OUTCOME = (
    r"(?:reinstat|\brequest|please\s+review|\bwe\s+ask\b|\bi\s+ask\b|\bask\s+(?:you\s+)?(?:that|to)\b"
    r"|\bwould\s+like\b|\brestor|\brelease\b|\breactivat|\blift\b|\bremove\s+the\b|\bresolve\b)"
)
_CLICKBAIT = (
    r"(?:URGENT|!{2,}|\bASAP\b|\b[Ff][Ii][Nn][Aa][Ll]\s+(?:WARNING|NOTICE|[Ww]arning|[Nn]otice)\b"
    r"|\b[Ll]egal\s+action\b|\b[A-Z]{3,}\s+[A-Z]{3,}\b)"
)
_MIN_WORDS = 25

# ---------------------------------------------------------------------------------------------
# quality


def escalation_quality(messages: pd.DataFrame) -> pd.DataFrame:
    """Score seller messages against the seven items of an escalation letter .

    Items, in order (names as in ``missing``):

    ``case ID``
        the text holds the message's ``case_id`` or "case" followed by digits;
    ``facts and figures``
        numbers, dates, ASINs or order IDs besides the case reference;
    ``what was done``
        "we submitted / provided / sent / implemented …", "we have", a plan of action / POA;
    ``desired outcome``
        "reinstate", "request", "please review", "we ask", "restore", "release", …;
    ``attachments``
        ``attachments > 0``;
    ``more than a one-liner``
        at least 25 words in subject and body;
    ``plain subject``
        the subject has no "URGENT", "!!", "ASAP", "final notice / warning", "legal action",
        no two capitalised words in a row and is not written in capitals.

    Parameters
    ----------
    messages : pandas.DataFrame
        Needs ``message_id``; uses ``case_id, subject, body, attachments`` (missing ones count
        as empty).

    Returns
    -------
    pandas.DataFrame
        ``message_id, score`` (int, 0..7), ``missing`` (the names of the items not met,
        ``", "``-joined, ``""`` when all are met), in the order of ``messages``.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"message_id": [1], "case_id": ["123"], "subject": ["URGENT!!!"],
    ...                   "body": ["We want to escalate this."], "attachments": [0]})
    >>> q = escalation_quality(m)
    >>> int(q["score"].iloc[0]), q["missing"].iloc[0].split(", ")[:3]
    (0, ['case ID', 'facts and figures', 'what was done'])
    """
    require_columns(messages, ("message_id",), "escalation_quality")
    idx = messages.index
    subject = col(messages, "subject")
    body = col(messages, "body")
    text = subject + "\n" + body
    case_id = col(messages, "case_id")

    # case ID: "case 123…" or the case's own ID in the text (a cheap substring test per row)
    has_case_word = rx_contains(text, _CASE_REF)
    own_id = pd.Series(
        [bool(c) and c in t for c, t in zip(case_id.tolist(), text.tolist(), strict=True)],
        index=idx,
        dtype=bool,
    )
    case_ok = has_case_word | own_id

    # facts: digits left once case references and the case's own ID are removed
    stripped = rx_replace(text, _CASE_REF, " ")
    stripped = pd.Series(
        [s.replace(c, " ") if c else s for c, s in zip(case_id.tolist(), stripped.tolist(),
                                                       strict=True)],
        index=idx,
        dtype="str",
    )
    facts_ok = rx_contains(stripped, _FACTS, ignore_case=False)

    done_ok = rx_contains(text, _DONE)
    outcome_ok = rx_contains(text, _OUTCOME)
    attach_ok = pd.to_numeric(col(messages, "attachments", 0), errors="coerce").fillna(0).gt(0)
    words = pd.Series(
        pc.count_substring_regex(_arrow(text), pattern=r"\S+").to_numpy(zero_copy_only=False),
        index=idx,
    ) if len(text) else pd.Series(0, index=idx)
    long_ok = words.ge(_MIN_WORDS)
    letters = rx_replace(subject, r"[^A-Za-z]", "", ignore_case=False)
    all_caps = letters.str.len().ge(4) & ~rx_contains(letters, "[a-z]", ignore_case=False)
    subject_ok = ~(rx_contains(subject, _CLICKBAIT, ignore_case=False) | all_caps)

    items = {
        "case ID": case_ok,
        "facts and figures": facts_ok,
        "what was done": done_ok,
        "desired outcome": outcome_ok,
        "attachments": attach_ok,
        "more than a one-liner": long_ok,
        "plain subject": subject_ok,
    }
    met = np.column_stack([items[k].to_numpy(dtype=bool) for k in QUALITY_ITEMS])
    score = met.sum(axis=1).astype("int64")
    missing_bits = ((~met).astype("int64") << np.arange(len(QUALITY_ITEMS))).sum(axis=1)
    return pd.DataFrame(
        {
            "message_id": messages["message_id"].to_numpy(),
            "score": score,
            "missing": pd.Series(_MISSING_TEXT[missing_bits], dtype="str").to_numpy(),
        }
    )


#: ", "-joined names of the missing items for every 7-bit pattern of unmet items
_MISSING_TEXT = np.array(
    [", ".join(name for j, name in enumerate(QUALITY_ITEMS) if bits >> j & 1)
     for bits in range(2 ** len(QUALITY_ITEMS))],
    dtype=object,
)


