"""ASINs mentioned in messages, found in the UTF-8 bytes of the subject and body columns.

An ASIN here is ``\\bB0[A-Z0-9]{8}\\b`` as Arrow's RE2 reads it: ``\\b`` is an ASCII word
boundary (a byte outside ``[0-9A-Za-z_]``, or the start or end of the value, on the outer side),
so the search can run on bytes.  Two such matches cannot overlap (each is a whole run of ten word
bytes), so the matches of ``subject + " " + body`` are those of the subject followed by those of
the body, and taking the first match out of a text (as an extract-then-replace loop does) never
makes a new one.  A message whose text is not ASCII counts only when Python's ``re`` (whose
``\\b`` knows Unicode letters) also finds an ASIN in it, as :func:`caselog.io._cases._contains`
decides.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

__all__ = ["asin_pairs"]

_ASIN_RE = re.compile(r"\bB0[A-Z0-9]{8}\b")

#: bytes RE2 counts as word characters (``\w``: ASCII letters, digits, underscore)
_WORD = np.zeros(256, dtype=bool)
_WORD[list(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")] = True
#: bytes allowed after ``B0``
_TAIL = np.zeros(256, dtype=bool)
_TAIL[list(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")] = True
#: bytes of the data buffer scanned at once (bounds the temporary masks)
_SLICE = 1 << 22


def _arrow_text(s: pd.Series):
    """The Arrow string array behind ``s`` (chunked), or one made from its values."""
    import pyarrow as pa

    arr = getattr(s.array, "_pa_array", None)
    if arr is None:
        arr = pa.chunked_array([pa.array(s.to_numpy(dtype=object), type=pa.large_string(), from_pandas=True)])
    return arr


def _matches_in(arr) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(row, byte position, ASIN)`` of every match in a (chunked) Arrow string array, in order."""
    import pyarrow as pa

    rows_out: list[np.ndarray] = []
    pos_out: list[np.ndarray] = []
    found: list[np.ndarray] = []
    base = 0
    for chunk in arr.chunks:
        n = len(chunk)
        if n == 0:
            continue
        _, offsets_buf, data_buf = chunk.buffers()
        if data_buf is None or data_buf.size == 0:
            base += n
            continue
        width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
        offsets = np.frombuffer(offsets_buf, dtype=width, count=n + 1,
                                offset=chunk.offset * np.dtype(width).itemsize).astype(np.int64)
        data = np.frombuffer(data_buf, dtype=np.uint8)
        lo, hi = int(offsets[0]), int(offsets[-1])
        cand: list[np.ndarray] = []
        for s in range(lo, hi, _SLICE):
            e = min(s + _SLICE, hi - 1)  # a match needs the byte after the B
            if e <= s:
                break
            p = np.flatnonzero(data[s:e] == 66) + s  # "B"
            p = p[data[p + 1] == 48]  # "0"
            if len(p):
                cand.append(p)
        if not cand:
            base += n
            continue
        p = np.concatenate(cand)
        row = np.searchsorted(offsets, p, side="right") - 1
        start, end = offsets[row], offsets[row + 1]
        ok = p + 10 <= end
        p, row, start, end = p[ok], row[ok], start[ok], end[ok]
        ok = np.ones(len(p), dtype=bool)
        for k in range(2, 10):
            ok &= _TAIL[data[p + k]]
        ok &= (p == start) | ~_WORD[data[np.maximum(p - 1, 0)]]
        after = np.minimum(p + 10, len(data) - 1)
        ok &= (p + 10 == end) | ~_WORD[data[after]]
        p, row = p[ok], row[ok]
        if len(p):
            found.append(data[p[:, None] + np.arange(10)].view("S10").ravel())
        rows_out.append(row + base)
        pos_out.append(p)
        base += n
    if not rows_out:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, dtype="S10")
    return (np.concatenate(rows_out), np.concatenate(pos_out),
            np.concatenate(found) if found else np.zeros(0, dtype="S10"))


def asin_pairs(subject: pd.Series, body: pd.Series, per_message: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """The first ``per_message`` ASINs of each message's ``subject + " " + body``.

    Returns ``(positions, asins)``: the message's position (0-based, in ``subject``'s order)
    and the ASIN, an object array of str, for each ASIN found (a message repeated once per
    ASIN, in no particular order).  The same pairs as ``_asins_in(text[_contains(text,
    ASIN)])`` with ``text = subject + " " + body``, in a single pass over the bytes.
    """
    import pyarrow.compute as pc

    if len(subject) == 0:
        return np.zeros(0, np.int64), np.zeros(0, dtype=object)
    sub, bod = _arrow_text(subject), _arrow_text(body)
    rows_s, pos_s, asin_s = _matches_in(sub)
    rows_b, pos_b, asin_b = _matches_in(bod)
    rows = np.concatenate([rows_s, rows_b])
    part = np.r_[np.zeros(len(rows_s), np.int8), np.ones(len(rows_b), np.int8)]
    pos = np.concatenate([pos_s, pos_b])
    asins = np.concatenate([asin_s, asin_b]).astype("U10").astype(object)
    valid = np.ones(len(subject), dtype=bool)
    for arr in (sub, bod):
        if arr.null_count:
            valid &= arr.is_valid().to_numpy(zero_copy_only=False).astype(bool)
    if not valid.all():  # a missing subject or body: no text, no ASIN
        rows, part, pos, asins = rows[valid[rows]], part[valid[rows]], pos[valid[rows]], asins[valid[rows]]
    if not len(rows):
        return rows, asins
    order = np.lexsort((pos, part, rows))
    rows, asins = rows[order], asins[order]
    first = np.r_[True, rows[1:] != rows[:-1]]
    rank = np.arange(len(rows)) - np.maximum.accumulate(np.where(first, np.arange(len(rows)), 0))
    keep = rank < per_message
    rows, asins = rows[keep], asins[keep]
    # a text that is not ASCII counts only where Python's re (Unicode \b) finds an ASIN too
    ascii_ = (pc.string_is_ascii(sub).to_numpy(zero_copy_only=False).astype(bool)
              & pc.string_is_ascii(bod).to_numpy(zero_copy_only=False).astype(bool))
    odd = np.unique(rows[~ascii_[rows]])
    if len(odd):
        subj, bodies = subject.to_numpy(dtype=object), body.to_numpy(dtype=object)
        refused = [r for r in odd.tolist() if _ASIN_RE.search(f"{subj[r]} {bodies[r]}") is None]
        if refused:
            drop = np.isin(rows, refused)
            rows, asins = rows[~drop], asins[~drop]
    return rows, asins
