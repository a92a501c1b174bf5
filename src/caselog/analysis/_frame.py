"""Frame and text helpers shared by the analyses.

One place for what every analysis needs: reading a column that may be absent, checking the
columns a function needs (one error message for all of them), vectorised regex search in
pyarrow's RE2 engine, per-case ordering and running counts, and ``as_of``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import ConfigError, SchemaError
from ..io import to_utc_timestamp
from ..model import CaseLog

__all__ = [
    "col",
    "merged_vocabularies",
    "message_text",
    "require_columns",
    "messages_of",
    "rx_contains",
    "rx_replace",
    "contains",
    "amazon_strings",
    "matching_texts",
    "hours",
    "case_order",
    "case_cumsum",
    "resolve_as_of",
    "template_messages",
    "template_frame",
]


def col(frame: pd.DataFrame, name: str, default: Any = "") -> pd.Series:
    """``frame[name]`` or a column of ``default`` when the frame lacks it.

    A text default (``""``) also fills missing values and casts to ``str``.
    """
    if name in frame.columns:
        s = frame[name]
        if isinstance(default, str):
            return s.fillna("").astype(str)
        return s
    return pd.Series([default] * len(frame), index=frame.index)


def message_text(frame: pd.DataFrame) -> pd.Series:
    """Subject and body, one string per message."""
    return col(frame, "subject") + "\n" + col(frame, "body")


#: rows whose message text is made at a time by :func:`matching_texts`
_TEXT_ROWS = 50_000


def matching_texts(
    frame: pd.DataFrame, rows: np.ndarray, pattern: str
) -> tuple[np.ndarray, pd.Series]:
    """:func:`message_text` of the rows ``rows`` (positions) of ``frame`` that match ``pattern``
    (:func:`rx_contains`, ignoring case): their positions and their texts (with their index
    labels).

    The texts are made and searched a slice of rows at a time, so that only the matching ones
    are ever held together: the same as ``t = message_text(frame.iloc[rows]);
    t[rx_contains(t, pattern)]``.  ``rows`` must be increasing (rows are picked with a mask
    within each slice: a filter of Arrow strings is much cheaper than a gather).
    """
    cols = [c for c in ("subject", "body") if c in frame.columns]
    at, parts = [], []
    for a in range(0, len(rows), _TEXT_ROWS):
        r = rows[a : a + _TEXT_ROWS]
        lo, hi = int(r[0]), int(r[-1]) + 1
        pick = np.zeros(hi - lo, dtype=bool)
        pick[r - lo] = True
        text = message_text(frame[cols].iloc[lo:hi][pick])
        hit = rx_contains(text, pattern).to_numpy(dtype=bool)
        at.append(r[hit])
        parts.append(text[hit])
    if not parts:
        return np.zeros(0, dtype=np.int64), message_text(frame[cols].iloc[:0])
    return np.concatenate(at), pd.concat(parts) if len(parts) > 1 else parts[0]


def require_columns(frame: pd.DataFrame, needed: Sequence[str], what: str) -> None:
    """Raise :class:`~caselog.SchemaError` naming the columns of ``needed`` that ``frame`` lacks.

    Examples
    --------
    >>> import pandas as pd
    >>> require_columns(pd.DataFrame({"case_id": []}), ("case_id", "sent_at"), "turns()")
    Traceback (most recent call last):
    ...
    caselog.errors.SchemaError: turns() needs column(s) sent_at; found case_id
    """
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise SchemaError(
            f"{what} needs column(s) {', '.join(missing)}; found {', '.join(map(str, frame.columns))}",
            missing=missing,
            found=frame.columns,
            column=missing[0],
        )


def messages_of(log: Any, needed: Sequence[str], what: str) -> pd.DataFrame:
    """The messages frame of a :class:`~caselog.CaseLog` (or a messages DataFrame as is),
    checked for the ``needed`` columns."""
    if isinstance(log, CaseLog):
        messages = log.messages
    elif isinstance(log, pd.DataFrame):
        messages = log
    else:
        raise ConfigError(
            f"{what}: expected a CaseLog (caselog.load) or a messages DataFrame, "
            f"found {type(log).__name__}"
        )
    require_columns(messages, needed, what)
    return messages


def _arrow(s: pd.Series) -> pa.Array:
    """A string column as an Arrow array (zero-copy for pandas' Arrow-backed ``str``)."""
    arr = pa.array(s, from_pandas=True)
    if not pa.types.is_string(arr.type) and not pa.types.is_large_string(arr.type):
        arr = pa.array(s.astype(str), from_pandas=True)
    return arr


def rx_contains(s: pd.Series, pattern: str, *, ignore_case: bool = True) -> pd.Series:
    """Vectorised regex search in RE2 (pyarrow), bool Series aligned with ``s``.

    RE2 has no look-arounds or back-references; ``\\b``, ``\\w``, ``\\d`` are ASCII.
    """
    if len(s) == 0:
        return pd.Series(False, index=s.index, dtype=bool)
    res = pc.match_substring_regex(_arrow(s), pattern=pattern, ignore_case=ignore_case)
    return pd.Series(
        res.fill_null(False).to_numpy(zero_copy_only=False).astype(bool), index=s.index
    )


def rx_replace(s: pd.Series, pattern: str, repl: str, *, ignore_case: bool = True) -> pd.Series:
    """Vectorised regex replace in RE2 (pyarrow), str Series aligned with ``s``."""
    if len(s) == 0:
        return s.astype("str")
    pat = "(?i)" + pattern if ignore_case else pattern
    res = pc.replace_substring_regex(_arrow(s), pattern=pat, replacement=repl)
    out = res.to_pandas()
    out.index = s.index
    return out.astype("str")


def contains(text: pd.Series, pattern: str | re.Pattern[str], what: str = "pattern") -> np.ndarray:
    """Boolean mask of ``text`` matching a user-given ``pattern`` anywhere.

    Runs in RE2 when it accepts the pattern (pandas would fall back to Python's ``re`` for any
    text with non-ASCII characters: ten to forty times slower); other patterns (look-arounds,
    back-references, compiled Python patterns) go through pandas.  A pattern that is not a
    regex is a :class:`~caselog.ConfigError` naming ``what``.
    """
    if isinstance(pattern, str):
        try:
            hit = pc.match_substring_regex(pa.array(text.astype("str")), pattern)
            return np.asarray(hit.fill_null(False), dtype=bool)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
            pass  # not RE2 syntax: Python's re decides below
    try:
        return np.array(text.str.contains(pattern, regex=True), dtype=bool)
    except (re.error, TypeError, ValueError) as exc:
        raise ConfigError(f"{what}: not a valid regex ({exc})") from exc


def merged_vocabularies(
    offs: list[np.ndarray], idxs: list[np.ndarray], vocabs: list[pa.Array]
) -> tuple[np.ndarray, np.ndarray, pa.Array]:
    """Texts split and dictionary-encoded a slice at a time, as if in one pass.

    Slice ``k`` split its texts into parts: text ``i`` of the slice holds the parts
    ``vocabs[k][idxs[k][offs[k][i - 1]:offs[k][i]]]`` (``offs[k]`` are the slice's part
    offsets without the leading 0).  Returns ``(offsets, idx, distinct)`` over all the texts
    laid end to end: ``distinct`` in order of first appearance (first appearance in the slices
    in order is first appearance in the whole, so the ids are those of one pass), ``idx`` of
    the dtype of ``idxs``.  At least one slice is needed.  ``vocabs`` is emptied and ``idxs``
    cleared (its entries set to ``None``): the slices' vocabularies are freed once laid end to
    end, before the merged one is made (together they hold most of the texts' distinct parts
    when these seldom repeat), and each slice's ids once moved.

    Examples
    --------
    >>> import numpy as np, pyarrow as pa
    >>> off, idx, d = merged_vocabularies(
    ...     [np.array([2]), np.array([1, 2])], [np.array([0, 1]), np.array([0, 1])],
    ...     [pa.array(["a", "b"]), pa.array(["b", "c"])])
    >>> off.tolist(), idx.tolist(), d.to_pylist()
    ([0, 2, 3, 4], [0, 1, 1, 2], ['a', 'b', 'c'])
    """
    if len(vocabs) == 1:
        idx, distinct = idxs[0], vocabs.pop()
    else:  # one vocabulary: a slice's ids move to the merged ones
        base = np.cumsum([0] + [len(v) for v in vocabs[:-1]])
        laid = pa.concat_arrays(vocabs)
        vocabs.clear()
        merged = pc.dictionary_encode(laid)
        del laid
        distinct = merged.dictionary
        gid = merged.indices.to_numpy(zero_copy_only=False).astype(idxs[0].dtype, copy=False)
        del merged
        idx = np.empty(sum(len(i) for i in idxs), dtype=gid.dtype)
        at = 0
        for k, b in enumerate(base):
            i = idxs[k]
            idx[at:at + len(i)] = gid[b + i]
            at += len(i)
            idxs[k] = i = None  # each slice's ids freed once moved
    shift = np.cumsum([0] + [o[-1] if len(o) else 0 for o in offs[:-1]])
    offsets = np.concatenate([[0]] + [o + t for o, t in zip(offs, shift, strict=True)])
    return offsets.astype(np.int64), idx, distinct


def text_values(column: pd.Series) -> pd.Series:
    """``column`` as ``str`` text with ``""`` for missing values (no copy when none is missing)."""
    column = column.astype("str")
    return column.fillna("") if column.hasnans else column


def amazon_strings(column: pd.Series, amazon: np.ndarray, order: np.ndarray) -> pd.Series:
    """``column`` restricted to the Amazon rows (a boolean filter keeps the input order, and is
    much cheaper than a gather on chunked Arrow strings), then put in ``order``."""
    arr = pc.filter(pa.array(text_values(column)), pa.array(amazon))
    if len(order) and not np.all(order[1:] > order[:-1]):
        arr = pc.take(arr, pa.array(order))
    if not isinstance(arr, pa.ChunkedArray):
        arr = pa.chunked_array([arr])
    return pd.Series(
        pd.arrays.ArrowStringArray(
            arr.cast(pa.large_string()), dtype=pd.StringDtype("pyarrow", na_value=np.nan)
        )
    )


def hours(delta: pd.Series) -> pd.Series:
    """A timedelta column in hours (float)."""
    return delta.dt.total_seconds() / 3600.0


def case_order(code: np.ndarray, t: np.ndarray, mid: np.ndarray) -> np.ndarray:
    """Row order by (case code, time, message_id); the identity when already in that order."""
    n = len(code)
    if n < 2:
        return np.arange(n)
    dc = np.diff(code)
    same = dc == 0
    dt = np.diff(t)
    ok = (dc >= 0).all() and (dt[same] >= 0).all()
    if ok:
        tie = same & (dt == 0)
        ok = bool((np.diff(mid)[tie] > 0).all())
    return np.arange(n) if ok else np.lexsort((mid, t, code))


def case_cumsum(messages: pd.DataFrame, flags: np.ndarray) -> np.ndarray:
    """Running count of ``flags`` within each case, in ``sent_at, message_id`` order.

    Returns an int64 array aligned with the rows of ``messages``: for each message, how many
    flagged messages of its case came up to and including it.
    """
    if len(messages) == 0:
        return np.zeros(0, dtype="int64")
    code = pd.factorize(messages["case_id"])[0]
    t = np.asarray(
        pd.to_datetime(messages["sent_at"], utc=True).dt.as_unit("ns").array.asi8, dtype="int64"
    )
    order = case_order(code, t, messages["message_id"].to_numpy(dtype="int64"))
    del t  # message-sized arrays, each freed after its last use
    fl = np.asarray(flags, dtype="int64")[order]
    oc = code[order]
    del code
    start = np.r_[True, oc[1:] != oc[:-1]]
    del oc
    first = np.maximum.accumulate(np.where(start, np.arange(len(start)), 0))
    del start
    cs = np.cumsum(fl)
    np.subtract(cs, fl, out=fl)  # the running count before each message
    cs -= fl[first]  # minus the count before the case's first message
    del fl, first
    out = np.empty(len(messages), dtype="int64")
    out[order] = cs
    return out


def resolve_as_of(messages: pd.DataFrame, as_of: Any) -> pd.Timestamp | None:
    """``as_of`` in UTC; by default the newest ``sent_at`` (None when there are no messages)."""
    if as_of is None:
        return None if messages.empty else messages["sent_at"].max()
    return to_utc_timestamp(as_of)


def template_messages(log: Any, templates: Any) -> pd.DataFrame:
    """``message_id, reply_class, is_canned_repeat`` of the Amazon messages.

    ``templates`` is a :class:`~caselog.TemplateResult` (or its ``.messages`` frame); None
    finds the templates of ``log`` here.
    """
    if templates is None:
        from ._templates import find_templates

        templates = find_templates(log)
    tm = templates.messages if hasattr(templates, "messages") else templates
    if not isinstance(tm, pd.DataFrame):
        raise ConfigError(
            "templates must be the result of caselog.find_templates() (or its .messages frame), "
            f"got {type(templates).__name__}"
        )
    require_columns(tm, ("message_id", "reply_class", "is_canned_repeat"), "templates.messages")
    out = tm[["message_id", "reply_class", "is_canned_repeat"]].copy()
    out["reply_class"] = out["reply_class"].fillna("").astype(str)
    out["is_canned_repeat"] = out["is_canned_repeat"].fillna(False).astype(bool)
    return out


def template_frame(templates: Any) -> pd.DataFrame:
    """``message_id, reply_class, is_canned_repeat, template_id`` of a TemplateResult (or its
    ``.messages`` frame); an empty frame for None."""
    cols = ["message_id", "reply_class", "is_canned_repeat", "template_id"]
    if templates is None:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols}).astype(
            {"message_id": "int64"}
        )
    src = templates.messages if hasattr(templates, "messages") else templates
    out = template_messages(None, src)
    out["template_id"] = src["template_id"].to_numpy() if "template_id" in src.columns else np.nan
    return out.drop_duplicates("message_id")
