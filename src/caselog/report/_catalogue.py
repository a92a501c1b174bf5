"""The template catalogue as people read it: each template shown in its original case, with
placeholders for its variable parts and never one client's name.

The catalogue's ``text`` is the masked, lower-cased form the grouping compares.  For the
deliverables :func:`display_catalogue` writes one message of each template again, masked
without lower-casing: e-mails, URLs, order IDs, ASINs, dates, amounts, case IDs and other
numbers become ``<EMAIL> <URL> <ORDER_ID> <ASIN> <DATE> <AMOUNT> <CASE_ID> <NUM>``, every
account name of the log becomes ``<SELLER>``, and the greeting and sign-off lines (where names
of people stand) are left out.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..analysis._masking import _MASKS

__all__ = ["display_catalogue", "display_texts"]

_GREETING = re.compile(
    r"^(?:hello|hi|hey|dear|greetings|good (?:morning|afternoon|evening))\b[^.!?\n]{0,60}"
    r"[,:!]?\s*$", re.I)
_SIGN_OFF = re.compile(
    r"^(?:(?:best|kind|warm|warmest|with) regards|regards|sincerely|thank you|thanks|many thanks"
    r"|best wishes|respectfully|cheers|yours (?:truly|sincerely|faithfully)"
    r"|thank you for (?:selling on amazon|your business|choosing amazon))\b.{0,60}$", re.I)
_LEAD_GREETING = re.compile(r"^(?:hello|hi|dear|greetings)\b[^,:!.\n]{0,40}[,:!]\s*", re.I)


def _core_lines(text: str) -> str:
    lines = [ln.strip() for ln in str(text).replace("\r", "\n").split("\n")]
    lines = [ln for ln in lines if ln]
    while lines and _GREETING.match(lines[0]):
        lines = lines[1:]
    for i, ln in enumerate(lines):
        if i and _SIGN_OFF.match(ln):
            lines = lines[:i]
            break
    flat = " ".join(" ".join(lines).split())
    return _LEAD_GREETING.sub("", flat)


def display_texts(texts: pd.Series, names: Any = ()) -> pd.Series:
    """``texts`` masked in their original case, greeting and sign-off left out, each name of
    ``names`` (account names) written ``<SELLER>``.

    Examples
    --------
    >>> import pandas as pd
    >>> display_texts(pd.Series(["Dear Ann,\\nWe reviewed ASIN B0ABCDEFGH for Acme Ltd on "
    ...                          "3 March 2026.\\nRegards,\\nBob"]), ["Acme Ltd"]).iloc[0]
    'We reviewed ASIN <ASIN> for <SELLER> on <DATE>.'
    """
    core = [_core_lines(t) for t in texts.fillna("").astype(str).tolist()]
    if not core:
        return pd.Series([], dtype="str", index=texts.index)
    arr = pa.array(core, type=pa.large_string())
    for name in sorted({str(n) for n in names if str(n).strip()}, key=len, reverse=True):
        arr = pc.replace_substring_regex(arr, "(?i)" + re.escape(name), "<SELLER>")
    for placeholder, regex in _MASKS:
        arr = pc.replace_substring_regex(arr, "(?i)" + regex, placeholder)
    return pd.Series(arr.to_pylist(), index=texts.index, dtype="str")


def display_catalogue(a: Any) -> pd.DataFrame:
    """``a.templates.catalogue`` with ``text`` as people read it (see the module docstring).

    The text of a template is that of its longest-lived variant's first message; a template
    whose messages are not in the log keeps its masked text.
    """
    cat = a.templates.catalogue
    if cat.empty:
        return cat.copy()
    tm = a.templates.messages
    tm = tm[tm["template_id"].notna()][["message_id", "template_id"]]
    bodies = tm.merge(a.log.messages[["message_id", "body", "sent_at"]], on="message_id")
    bodies = bodies.sort_values(["template_id", "sent_at", "message_id"], kind="stable")
    first = bodies.drop_duplicates("template_id").set_index("template_id")["body"]
    shown = display_texts(first, a.log.account_names)
    out = cat.copy()
    mapped = out["template_id"].map(shown)
    out["text"] = mapped.where(mapped.notna() & mapped.ne(""), out["text"]).astype("str")
    return out
