"""Masking: the variable parts of Amazon replies become placeholders.

Greetings and sign-offs go; e-mails, URLs, order IDs, ASINs, case IDs, dates, amounts and other
numbers become placeholders (:data:`PLACEHOLDERS`), so that two copies of one canned reply sent
to different sellers about different products read the same.  Everything runs in pyarrow's RE2
engine over the distinct lines, so a million messages mask in seconds.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import ConfigError
from ..io._pick import selected_pieces
from ._frame import merged_vocabularies, text_values

__all__ = ["PLACEHOLDERS", "mask_rows", "mask_text"]


#: Placeholders :func:`mask_text` writes, in the order the masks run.
PLACEHOLDERS: tuple[str, ...] = (
    "<EMAIL>",
    "<URL>",
    "<ORDER_ID>",
    "<ASIN>",
    "<DATE>",
    "<AMOUNT>",
    "<CASE_ID>",
    "<NUM>",
)

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
# month names of the European marketplaces (German, French, Italian, Spanish), lower case
_MONTH_EU = (
    r"(?:januar|jänner|februar|märz|april|mai|juni|juli|august|september|oktober|november"
    r"|dezember|janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre"
    r"|décembre|gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre"
    r"|dicembre|enero|febrero|abril|mayo|junio|julio|septiembre|setiembre|octubre|noviembre"
    r"|diciembre)"
)
_TIME = (
    r"(?:,? (?:at )?\d{1,2}:\d{2}(?::\d{2})?(?: ?[ap]\.?m\.?)?"
    r"(?: (?:utc|gmt|pst|pdt|est|edt|cst|cdt|cet|cest|bst|ist))?)?"
)
_CURRENCY = r"(?:usd|eur|gbp|cad|aud|inr|jpy|mxn|dollars?|euros?|pounds?)"

# white space other than the plain space (collapsed to one space)
_W = r"[\t\n\v\f\r\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]"
_NOT_SPACE = r"[^\s\p{Z}\x{85}<>\"]"

# Masks run on lower-cased lines, in this order, each one regex pass (RE2 through pyarrow) over
# the distinct lines: no look-arounds, no back-references.
_MASKS: tuple[tuple[str, str], ...] = (
    ("<EMAIL>", r"[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)+"),
    ("<URL>", r"(?:https?://|www\.)" + _NOT_SPACE + r"*[^\s\p{Z}\x{85}<>\"'.,;:!?)\]]"),
    ("<ORDER_ID>", r"\b\d{3}-\d{7}-\d{7}\b"),
    ("<ASIN>", r"\bb0[a-z0-9]{8}\b"),
    (
        "<DATE>",
        r"\b\d{4}-\d{1,2}-\d{1,2}(?:[t ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+\-]\d{2}:?\d{2})?)?"
        r"|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b" + _TIME
        + r"|\b" + _MONTH + r" \d{1,2}(?:st|nd|rd|th)?(?:,? \d{4})?\b" + _TIME
        + r"|\b\d{1,2}(?:st|nd|rd|th)? (?:of )?" + _MONTH + r",? \d{4}\b" + _TIME
        + r"|\b" + _MONTH + r",? \d{4}\b"
        # "14. März 2026", "14 mars 2026", "14 de marzo de 2026", "1er avril 2026"
        + r"|\b\d{1,2}(?:\.|er)? (?:de )?" + _MONTH_EU + r"(?:,? (?:de )?\d{4})?\b" + _TIME
        # "2026年3月14日", "3月14日"
        + r"|(?:\d{4}年)?\d{1,2}月\d{1,2}日",
    ),
    (
        "<AMOUNT>",
        r"(?:[$€£¥]|\b" + _CURRENCY + r") ?\d[\d,]*(?:\.\d+)?"
        r"|\b\d[\d,]*(?:\.\d+)? ?" + _CURRENCY + r"\b",
    ),
    ("<CASE_ID>", r"\b\d{8,}\b"),
    ("<NUM>", r"\d+(?:[.,]\d+)*"),
)

# What every match of a mask holds: an "@" (e-mail), "http" or "www." (URL); every other mask
# needs a digit in each of its alternatives (RE2's \d is [0-9]; the "0" of an ASIN).  A line
# without it is left alone by that mask, so the mask runs on the other lines only.
_MASK_NEEDS = {"<EMAIL>": "@", "<URL>": r"http|www\."}

# Greetings and sign-offs are found line by line, on the masked line (lower case, single spaces):
# greeting: "hello"/"hi"/"dear"... and at most six words, up to a comma, colon, "!" or line end
_GREETING = (
    r"^(?:(?:(?:hello|hi|hey|dear|greetings|good (?:morning|afternoon|evening)"
    r"|sehr geehrter?|liebe[rs]?|guten (?:tag|morgen|abend)|hallo|bonjour|bonsoir|cher|chère"
    r"|madame|monsieur|gentile|gentili|egregio|buongiorno|salve|ciao|estimad[oa]s?|hola"
    r"|buenos días|buenas tardes)\b"
    r"(?: [^ ,:!]+){0,6} ?(?:[,:!]|$) ?)"
    r"|[^ 、,。]{0,12}(?:様|さま|御中)[、,]? ?|(?:いつも)?お世話になっております[。、]? ?)+"
)
# sign-off: a line that is only "Regards," / "Thank you," / "Sincerely" (+ a short name)
_SIGN_OFF = (
    r"^(?:(?:best|kind|warm|warmest|with) regards|regards|sincerely|thank you|thanks|many thanks"
    r"|best wishes|respectfully|cheers|yours (?:truly|sincerely|faithfully)"
    r"|thank you for (?:selling on amazon|your business|choosing amazon)"
    r"|mit freundlichen grüßen|mit freundlichen grüssen|freundliche grüße|viele grüße"
    r"|beste grüße|cordialement|bien cordialement|sincères salutations|salutations"
    r"|distinti saluti|cordiali saluti|saluti|un cordiale saluto|saludos|atentamente"
    r"|saludos cordiales|un saludo|よろしくお願い(?:いた|致)?します|以上(?:、)?よろしく.*"
    r"|今後ともよろしくお願い(?:いた|致)?します)"
    r" ?(?:[,.!:\-。].{0,60})?$"
)
# white space: any run that is not a single plain space becomes one space
_COLLAPSE = r"(?: |" + _W + r")*" + _W + r"(?: |" + _W + r")*| {2,}"

_PARALLEL_MIN_ROWS = 20_000


def _on_some(s: pa.Array, where: pa.Array, step) -> pa.Array:
    """``step`` applied to the strings of ``s`` where ``where`` is true (the others unchanged)."""
    n_where = pc.sum(where).as_py() or 0
    if n_where == len(s):
        return step(s)
    if not n_where:
        return s
    return pc.replace_with_mask(s, where, step(pc.filter(s, where)))


def _straight_quotes(s: pa.Array) -> pa.Array:
    s = pc.replace_substring_regex(s, "[\u2018\u2019\u201a\u201b\u2032`]", "'")
    return pc.replace_substring_regex(s, "[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]", '"')


def _apply_masks(s: pa.Array) -> pa.Array:
    """The masks of :data:`_MASKS` in order, each on the lines that hold what every one of its
    matches needs (see :data:`_MASK_NEEDS`); ``s`` are lines that may need one."""
    digit = pc.match_substring_regex(s, "[0-9]")
    for placeholder, regex in _MASKS:
        need = _MASK_NEEDS.get(placeholder)
        may = pc.match_substring_regex(s, need) if need else digit
        s = _on_some(s, may, lambda x, r=regex, p=placeholder: pc.replace_substring_regex(x, r, p))
    return s


def _mask_line_chunk(arr: pa.Array) -> pa.Array:
    """Lower-case, mask, collapse and trim single lines."""
    # curly quotes straight (only lines with a backtick or a character beyond ASCII can hold
    # one); a space lost after a sentence end or comma comes back
    # ("appeal.We received" -> "appeal. We received", "privileges,canceled" -> "privileges, canceled")
    quoted = pc.or_(pc.invert(pc.string_is_ascii(arr)), pc.match_substring_regex(arr, "`"))
    s = _on_some(arr, quoted, _straight_quotes)
    s = pc.replace_substring_regex(s, r"([\p{Ll}\)\"'])([.!?])([\p{Lu}])", r"\1\2 \3")
    s = pc.utf8_lower(s)
    # after lower-casing, so that "A,B" gets its space in the first pass, not in a second one
    s = pc.replace_substring_regex(s, r"([\p{Ll}]),([\p{L}])", r"\1, \2")
    # a text that already holds lower-case placeholders (a masked text masked again) gets them
    # back in upper case at the end: that makes masking idempotent
    has_lt = pc.match_substring_regex(s, "<")
    # the masks run only on the lines that may hold a match (a digit, "@", a link): most lines of
    # canned replies hold none of them and skip them all
    s = _on_some(s, pc.match_substring_regex(s, "[0-9@]|http|www\\."), _apply_masks)
    s = pc.replace_substring_regex(s, _COLLAPSE, " ")
    s = pc.utf8_trim(s, " ")
    if pc.any(has_lt).as_py():
        fixed = s
        for placeholder in PLACEHOLDERS:
            fixed = pc.replace_substring(fixed, placeholder.lower(), placeholder)
        s = pc.if_else(has_lt, fixed, s)
    return s


def _mask_lines(arr: pa.Array) -> pa.Array:
    """:func:`_mask_line_chunk` on two threads when there are many lines (pyarrow frees the GIL)."""
    n = len(arr)
    if n < _PARALLEL_MIN_ROWS:
        return _mask_line_chunk(arr)
    half = n // 2
    with ThreadPoolExecutor(max_workers=2) as pool:
        parts = list(pool.map(_mask_line_chunk, [arr.slice(0, half), arr.slice(half)]))
    return pa.concat_arrays(parts)


#: texts split into lines at a time: the split lines of all texts never exist at once
_SPLIT_ROWS = 100_000


def _pieces(arr: pa.Array | pa.ChunkedArray, rows: int) -> list[pa.Array]:
    """``arr`` as contiguous arrays of at most ``rows`` values each, in order (slices: no copy)."""
    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    return [c.slice(i, rows) for c in chunks for i in range(0, len(c), rows) if len(c)]


def _distinct_lines(arr: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray, pa.Array]:
    """The lines of the texts of ``arr`` (split at ``\\n``) as ids of their distinct values.

    Returns ``(offsets, line_idx, distinct)``: the lines of text ``i`` are
    ``distinct[line_idx[offsets[i]:offsets[i + 1]]]``; ``distinct`` (large_string) in order of
    first appearance.  The texts are split and encoded :data:`_SPLIT_ROWS` at a time, then the
    pieces' vocabularies are merged.
    """
    return _distinct_lines_of(_pieces(arr, _SPLIT_ROWS))


def _distinct_lines_of(
    pieces: Iterable[pa.Array], line_breaks: bool = False
) -> tuple[np.ndarray, np.ndarray, pa.Array]:
    """:func:`_distinct_lines` of the texts of ``pieces`` laid end to end (each piece is split
    and encoded as it comes, so the pieces may be made on the fly).  With ``line_breaks``,
    ``\r\n`` and a lone ``\r`` end a line too (see :func:`_line_breaks`); whether a piece holds
    one is asked of its distinct lines, not of all its text."""
    offs, idxs, vocabs = [], [], []
    for piece in pieces:
        lines = pc.split_pattern(piece, "\n")
        enc = pc.dictionary_encode(lines.flatten())
        if line_breaks and pc.any(pc.match_substring(enc.dictionary, "\r")).as_py():
            lines = pc.split_pattern(_line_breaks(piece), "\n")
            enc = pc.dictionary_encode(lines.flatten())
        off = np.asarray(lines.offsets, dtype=np.int64)
        offs.append(off[1:] - off[0])
        del lines
        idxs.append(np.asarray(enc.indices, dtype=np.int64))
        vocabs.append(enc.dictionary.cast(pa.large_string()))
        del enc
    if not vocabs:
        return np.zeros(1, np.int64), np.zeros(0, np.int64), pa.array([], pa.large_string())
    return merged_vocabularies(offs, idxs, vocabs)


def _mask_array(arr: pa.Array | pa.ChunkedArray) -> pa.ChunkedArray:
    """Mask a large_string array without nulls (see :func:`mask_text`).

    Texts are split into lines and each *distinct* line is masked once (canned replies share most
    of their lines); then, per text, leading greeting lines go, the greeting at the start of the
    first remaining line goes, everything from a sign-off line (after the first remaining line)
    on goes, empty lines go, and the rest is joined with single spaces.
    """
    n = len(arr)
    if n == 0:
        return pa.chunked_array([], type=pa.large_string())
    return _mask_pieces(_pieces(arr, _SPLIT_ROWS), n)


def _line_breaks(piece: pa.Array) -> pa.Array:
    """``piece`` with ``\\r\\n`` and lone ``\\r`` as ``\\n`` (the piece itself when it has none)."""
    if pc.any(pc.match_substring(piece, "\r")).as_py():
        return pc.replace_substring(pc.replace_substring(piece, "\r\n", "\n"), "\r", "\n")
    return piece


def _mask_pieces(
    pieces: Iterable[pa.Array], n: int, order: np.ndarray | None = None
) -> pa.ChunkedArray:
    """The masked texts of ``pieces`` (large_string arrays without nulls, ``n > 0`` texts laid
    end to end), as a large_string ChunkedArray; in ``order`` (positions among the ``n`` texts)
    when given.

    The pieces are split into lines as they come (see :func:`_distinct_lines_of`): the texts
    themselves are never all held at once, only their distinct lines.
    """
    offsets, line_idx, distinct = _distinct_lines_of(pieces, line_breaks=True)
    masked = _mask_lines(distinct)
    del distinct
    greeted = pc.utf8_trim(pc.replace_substring_regex(masked, _GREETING, ""), " ")
    n_u = len(masked)
    empty_u = np.asarray(pc.equal(masked, ""), dtype=bool)
    content_u = ~np.asarray(pc.equal(greeted, ""), dtype=bool)  # not empty, not only a greeting
    sign_u = np.asarray(pc.match_substring_regex(masked, _SIGN_OFF), dtype=bool)

    # line-level arrays (several lines per text): int32 where the counts fit, each freed after
    # its last use
    counts = np.diff(offsets)
    small = max(len(line_idx), n) < np.iinfo(np.int32).max
    idt = np.int32 if small else np.int64
    big = np.iinfo(idt).max
    msg = np.repeat(np.arange(n, dtype=idt), counts)
    pos = np.arange(len(line_idx), dtype=idt)
    pos -= np.repeat(offsets[:-1].astype(idt), counts)  # the line's place in its text
    first = np.minimum.reduceat(np.where(content_u[line_idx], pos, big), offsets[:-1])
    first_l = first[msg]
    del first
    sign = sign_u[line_idx]
    sign &= pos > first_l
    cut = np.minimum.reduceat(np.where(sign, pos, big), offsets[:-1])[msg]
    del sign
    is_first = pos == first_l
    keep = pos >= first_l
    keep &= pos < cut
    keep &= ~empty_u[line_idx]
    del pos, first_l, cut
    pick = line_idx[keep]
    pick[is_first[keep]] += n_u  # a text's first line is its greeted form
    del is_first
    kept = np.bincount(msg[keep], minlength=n)
    del msg, keep
    if order is not None and len(order) and not np.all(order[1:] > order[:-1]):
        # the kept lines of text order[0], then of order[1], ...: a gather of line ids, not of text
        start = np.r_[0, np.cumsum(kept)[:-1]]
        kept = kept[order]
        new_start = np.r_[0, np.cumsum(kept)[:-1]]
        pick = pick[np.repeat(start[order] - new_start, kept) + np.arange(int(kept.sum()))]
    both = pa.concat_arrays([masked, greeted])
    del masked, greeted
    new_offsets = np.r_[0, np.cumsum(kept)].astype(np.int64)
    # joined :data:`_SPLIT_ROWS` texts at a time: the kept lines' values exist for one slice
    # only, beside the joined texts (a chunk per slice, never concatenated)
    space = pa.scalar(" ", pa.large_string())
    chunks = []
    for lo in range(0, n, _SPLIT_ROWS):
        off = new_offsets[lo:lo + _SPLIT_ROWS + 1]
        values = pc.take(both, pa.array(pick[off[0]:off[-1]]))
        joined = pa.LargeListArray.from_arrays(pa.array(off - off[0]), values)
        del values
        chunks.append(pc.binary_join(joined, space))
        del joined
    return pa.chunked_array(chunks, type=pa.large_string())


def mask_rows(column: pd.Series, rows: np.ndarray, order: np.ndarray | None = None) -> pd.Series:
    """:func:`mask_text` of the rows of ``column`` where ``rows`` is true, in ``order``.

    The same as ``mask_text(column[rows].iloc[order].reset_index(drop=True))``, without that
    copy of the selected texts: the column is read :data:`_SPLIT_ROWS` rows at a time, each
    slice's selected rows are split into lines as they come, and only the masked texts are put
    in ``order``.

    Parameters
    ----------
    column : pandas.Series
        Strings (missing values are read as ``""``).
    rows : numpy.ndarray
        Booleans, one per row of ``column``: the texts to mask.
    order : numpy.ndarray, optional
        A permutation of ``range(rows.sum())``: the masked texts in this order (default: the
        rows' order).

    Returns
    -------
    pandas.Series
        ``str`` dtype, ``rows.sum()`` values, a fresh ``RangeIndex``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> s = pd.Series(["Hello Ann,\\nCase 12345678 closed.", "hi", "Dear Bo,\\nASIN B0ABCDE123 removed."])
    >>> list(mask_rows(s, np.array([True, False, True]), np.array([1, 0])))
    ['asin <ASIN> removed.', 'case <CASE_ID> closed.']
    """
    if not isinstance(column, pd.Series):
        raise ConfigError(f"mask_rows expects a pandas Series, got {type(column).__name__}")
    rows = np.asarray(rows, dtype=bool)
    if len(rows) != len(column):
        raise ConfigError(f"mask_rows: {len(rows)} row flags for {len(column)} texts")
    n = int(rows.sum())
    if order is not None:
        order = np.asarray(order, dtype=np.int64)
        if len(order) != n or (n and (order.min() < 0 or order.max() >= n
                                      or np.bincount(order, minlength=n).max() > 1)):
            raise ConfigError(f"mask_rows: order is not a permutation of the {n} selected rows")
    if n == 0:
        return pd.Series([], dtype="str")
    data = pa.array(text_values(column))
    if not pa.types.is_large_string(data.type):
        data = data.cast(pa.large_string())

    selected = (pc.fill_null(part, "") if part.null_count else part
                for _, part in selected_pieces(data, rows, _SPLIT_ROWS))
    out = _mask_pieces(selected, n, order)
    return pd.Series(pd.arrays.ArrowStringArray(
        out, dtype=pd.StringDtype("pyarrow", na_value=np.nan)))


def mask_text(texts: pd.Series) -> pd.Series:
    """Mask the variable parts of message texts so that copies of one template compare equal.

    In this order: lower-case; normalise white space; e-mail addresses -> ``<EMAIL>``; URLs ->
    ``<URL>``; order IDs (``123-1234567-1234567``) -> ``<ORDER_ID>``; ASINs (``B0`` + 8) ->
    ``<ASIN>``; dates (``2026-03-14``, ``03/14/2026``, ``March 3, 2026``, ``14 Mar 2026``, with an
    optional time) -> ``<DATE>``; amounts (``$1,234.50``, ``12 USD``) -> ``<AMOUNT>``; runs of 8 or
    more digits (case IDs) -> ``<CASE_ID>``; other numbers -> ``<NUM>``; then the greeting line
    (``Hello X,`` / ``Dear X,`` / ``Hi X``, at most six words of name) and everything from a
    sign-off line (``Regards, ...``, ``Thank you,``, ``Sincerely``) to the end are removed, and
    line breaks and repeated spaces become one space.

    Each step is one regex pass over the whole column (RE2 through pyarrow); masking is
    idempotent: ``mask_text(mask_text(s)).equals(mask_text(s))``.

    Parameters
    ----------
    texts : pandas.Series
        Strings (missing values are read as ``""``).

    Returns
    -------
    pandas.Series
        ``str`` dtype, same index and name.

    Examples
    --------
    >>> import pandas as pd
    >>> mask_text(pd.Series(["Hello Ann,\\nASIN B0ABCDE123 was removed on 03/14/2026.\\nRegards,\\nSP"]))
    0    asin <ASIN> was removed on <DATE>.
    dtype: str
    """
    if not isinstance(texts, pd.Series):
        raise ConfigError(f"mask_text expects a pandas Series, got {type(texts).__name__}")
    if len(texts) == 0:
        return pd.Series([], index=texts.index, dtype="str", name=texts.name)
    return pd.Series(_mask_strings(text_values(texts)), index=texts.index, name=texts.name)


def _mask_strings(values: pd.Series) -> pd.arrays.ArrowStringArray:
    """Mask a ``str`` Series; distinct texts are masked once."""
    arr = pa.array(values)  # chunks stay chunks: the lines are split piece by piece
    if not pa.types.is_large_string(arr.type):
        arr = arr.cast(pa.large_string())
    if arr.null_count:
        arr = pc.fill_null(arr, "")
    return pd.arrays.ArrowStringArray(
        _mask_array(arr), dtype=pd.StringDtype("pyarrow", na_value=np.nan)
    )


