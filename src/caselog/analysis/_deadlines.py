"""Deadlines and limits stated in Amazon's texts: "within 17 days", "by March 31, 2026".

Each Amazon message body is split into sentences; each sentence is searched for the phrases
below (English, German, French, Italian, Spanish, Japanese). A phrase gives an ``amount`` and a
``unit``; the due date is computed from the message's ``sent_at``:

* a period ahead -- "within 17 days", "within 72 hours", "you have 30 calendar days to", "in 30
  days", "after 90 days", "may take up to 5 business days", "should not exceed 30 days",
  "innerhalb von 17 Tagen", "dans un délai de 17 jours", "entro 17 giorni", "ha 90 giorni di
  tempo", "en un plazo de 17 días", "17日以内": ``due_at = sent_at + amount`` (hours, days,
  calendar days and weeks as elapsed time; business days Monday to Friday, the time of day
  kept);
* a date -- "by March 31, 2026", "bis zum 31. März 2026", "avant le 31 mars 2026", "entro il 31
  marzo 2026", "antes del 31 de marzo de 2026", "2026年3月31日まで": ``due_at`` is the end of that
  day (23:59:59) in UTC -- the notices name no time zone; ``amount`` and ``unit`` are empty;
* a limit with no date -- "you may appeal up to two times", "after two unsuccessful appeals"
  (``unit = "appeals"``), "issued in the last 180 days" (``what = "document age"``):
  ``due_at`` is NaT.

``what`` is the thing due, from the words nearest to the phrase in its sentence: ``"plan of
action"``, ``"appeal"``, ``"response"``, ``"documents"``, ``"claim"``, ``"removal order"``,
``"deactivation"``, ``"decision"``, ``"funds"``, ``"review"``, ``"appeals allowed"``,
``"document age"``, ``"processing"`` ("can take up to 5 business days"), ``"Amazon reply"``
(Amazon's own promise: "we will respond within 48 hours"), else ``"deadline"``.

:func:`deadline_facts` adds the open deadlines that are the seller's to meet to readiness.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._memory import uses_arrow_pool
from ..io._pick import selected_pieces
from ._frame import _arrow, messages_of, resolve_as_of

__all__ = ["deadlines", "deadline_facts", "DEADLINE_COLUMNS", "SELLER_DUE"]

#: Columns of :func:`deadlines`.
DEADLINE_COLUMNS: tuple[str, ...] = (
    "case_id", "message_id", "sent_at", "what", "due_at", "amount", "unit", "sentence", "is_open",
)

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "fourteen": 14, "fifteen": 15, "thirty": 30, "ninety": 90,
    "ein": 1, "eine": 1, "einem": 1, "zwei": 2, "drei": 3, "fünf": 5, "sieben": 7, "zehn": 10,
    "un": 1, "une": 1, "deux": 2, "trois": 3, "cinq": 5, "sept": 7, "dix": 10,
    "uno": 1, "una": 1, "due": 2, "tre": 3, "cinque": 5, "sette": 7, "dieci": 10,
    "dos": 2, "tres": 3, "cinco": 5, "siete": 7, "diez": 10,
}
_NUM = r"(\d{1,4}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"

# unit words -> (unit, kind): kind "h" hours, "d" days, "b" business days, "w" weeks
_UNITS = {
    "hour": ("hours", "h"), "hours": ("hours", "h"), "stunden": ("hours", "h"),
    "heures": ("hours", "h"), "ore": ("hours", "h"), "horas": ("hours", "h"), "時間": ("hours", "h"),
    "day": ("days", "d"), "days": ("days", "d"), "tage": ("days", "d"), "tagen": ("days", "d"),
    "jours": ("days", "d"), "giorni": ("days", "d"), "días": ("days", "d"), "dias": ("days", "d"),
    "日": ("days", "d"),
    "week": ("weeks", "w"), "weeks": ("weeks", "w"), "wochen": ("weeks", "w"),
    "semaines": ("weeks", "w"), "settimane": ("weeks", "w"), "semanas": ("weeks", "w"),
    "werktage": ("business days", "b"), "werktagen": ("business days", "b"),
    "jours ouvrés": ("business days", "b"), "jours ouvrables": ("business days", "b"),
    "giorni lavorativi": ("business days", "b"), "días hábiles": ("business days", "b"),
    "営業日": ("business days", "b"),
}
_UNIT = (
    r"((?:business |calendar |working )?(?:days?|hours?|weeks?)|werktagen?|tagen?|stunden|wochen"
    r"|jours ouvr(?:és|ables)|jours|heures|semaines|giorni lavorativi|giorni|ore|settimane"
    r"|días hábiles|d[ií]as|horas|semanas)"
)
_S = r"\s+"
# (regex, kind): kind "ahead" (due = sent + amount), "age" (a window in the past)
_PERIODS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rx, re.IGNORECASE), kind)
    for rx, kind in (
        (r"\bwithin(?:\s+the\s+next)?" + _S + _NUM + _S + _UNIT + r"\b", "ahead"),
        (r"\byou\s+have" + _S + _NUM + _S + _UNIT + r"\s+to\b", "ahead"),
        (r"\b(?:may|can|could|will)\s+take\s+up\s+to" + _S + _NUM + _S + _UNIT + r"\b", "wait"),
        (r"\bfor\s+up\s+to" + _S + _NUM + _S + _UNIT + r"\b", "ahead"),
        (r"\b(?:not|never)\s+exceed" + _S + _NUM + _S + _UNIT + r"\b", "ahead"),
        (r"\bafter" + _S + _NUM + _S + _UNIT + r"\b", "ahead"),
        (r"\bin" + _S + _NUM + _S + _UNIT + r"\b", "ahead"),
        (r"\b(?:in\s+)?the\s+(?:last|past|preceding)" + _S + _NUM + _S + _UNIT + r"\b", "age"),
        (r"\binnerhalb\s+(?:von|der\s+nächsten)" + _S + _NUM + _S + _UNIT, "ahead"),
        (r"\bbinnen" + _S + _NUM + _S + _UNIT, "ahead"),
        (r"\binnerhalb\s+der\s+letzten" + _S + _NUM + _S + _UNIT, "age"),
        (r"\b" + _NUM + _S + _UNIT + r"\s+nicht\s+überschreiten", "ahead"),
        (r"\bdans\s+un\s+délai\s+de" + _S + _NUM + _S + _UNIT, "ahead"),
        (r"\bsous" + _S + _NUM + _S + _UNIT, "ahead"),
        (r"\bentro" + _S + _NUM + _S + _UNIT, "ahead"),
        (r"\bha" + _S + _NUM + _S + _UNIT + r"\s+di\s+tempo", "ahead"),
        (r"\ben\s+un\s+plazo\s+de" + _S + _NUM + _S + _UNIT, "ahead"),
        (r"\bdentro\s+de" + _S + _NUM + _S + _UNIT, "ahead"),
        (r"(\d{1,4})\s*(営業日|日|時間)以内", "ahead"),
    )
)
_APPEALS = re.compile(
    r"\b(?:appeal|submit\s+an\s+appeal)\s+up\s+to" + _S + _NUM + r"\s+times\b"
    r"|\bafter" + _S + _NUM + r"\s+unsuccessful\s+appeals\b"
    r"|\bup\s+to" + _S + _NUM + r"\s+appeals\b",
    re.IGNORECASE,
)
_MONTHS = {
    m: i for i, names in enumerate(
        [("january", "jan", "januar", "jänner", "janvier", "gennaio", "enero"),
         ("february", "feb", "februar", "février", "febbraio", "febrero"),
         ("march", "mar", "märz", "mars", "marzo"),
         ("april", "apr", "avril", "aprile", "abril"),
         ("may", "mai", "maggio", "mayo"),
         ("june", "jun", "juni", "juin", "giugno", "junio"),
         ("july", "jul", "juli", "juillet", "luglio", "julio"),
         ("august", "aug", "août", "agosto"),
         ("september", "sep", "sept", "septembre", "settembre", "septiembre", "setiembre"),
         ("october", "oct", "oktober", "octobre", "ottobre", "octubre"),
         ("november", "nov", "novembre", "noviembre"),
         ("december", "dec", "dezember", "décembre", "dicembre", "diciembre")],
        start=1,
    ) for m in names
}
_MONTH_RX = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATES = (
    # "by March 31, 2026", "no later than March 31, 2026"
    re.compile(r"\b(?:by|before|no\s+later\s+than|until)\s+" + _MONTH_RX + r"\s+(\d{1,2})"
               r"(?:st|nd|rd|th)?,?\s+(\d{4})\b", re.IGNORECASE),
    # "by 31 March 2026", "bis zum 31. März 2026", "avant le 31 mars 2026",
    # "entro il 31 marzo 2026", "antes del 31 de marzo de 2026"
    re.compile(r"\b(?:by|before|bis(?:\s+zum)?|spätestens(?:\s+am)?|avant\s+le|d'ici\s+le"
               r"|entro\s+il|antes\s+del|a\s+más\s+tardar\s+el)\s+(\d{1,2})(?:\.|er)?\s+(?:de\s+)?"
               + _MONTH_RX + r"(?:\s+de)?\s+(\d{4})\b", re.IGNORECASE),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日(?:まで|までに)"),
)
_WHAT: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (what, re.compile(rx, re.IGNORECASE))
    for what, rx in (
        ("plan of action", r"plan\s+of\s+action|\bplan\b|aktionsplan|plan\s+d'action"
         r"|piano\s+d'azione|plan\s+de\s+acción|改善計画"),
        ("appeal", r"appeal|widerspruch|einspruch|ricorso|recurso|apelaci|\bappel|異議"),
        ("claim", r"claim|réclamation|reclamo|reclamación"),
        ("removal order", r"removal\s+order"),
        ("response", r"respond|reply|response|antwort|répond|rispond|responder|回答|返信"),
        ("documents", r"invoice|document|information|rechnung|dokument|facture|fattur|factura"
         r"|書類|請求書"),
        ("deactivation", r"deactivat|deaktiv|désactiv|disattiv|desactiv"),
        ("decision", r"decision|decide|entscheid|décision|decisione|decisión|決定"),
        ("funds", r"funds|\bhold\b|reserve|gelder|\bfonds|fondi|fondos|売上金|資金"),
        ("review", r"review|überprüf|examen|revision|revisión|審査|期間"),
    )
)
# "we will respond within 48 hours", "we'll notify you ..., usually within 48 hours": Amazon's own
# promise, not something the seller must do
_PROMISE = re.compile(
    r"\b(?:we\s+will|we'll|we\s+expect|you\s+will\s+receive|usually|typically|will\s+(?:respond"
    r"|reply|contact|update|notify|get\s+back|review)|will\s+be\s+"
    r"(?:active|available|transferred|visible|updated)|wir\s+werden|nous\s+(?:allons|vous)"
    r"|ti\s+risponderemo|le\s+risponderemo|le\s+responderemos|te\s+responderemos)\b[^,;]{0,80}$",
    re.IGNORECASE,
)
#: ``what`` values that are the seller's to do; readiness flags the open ones
SELLER_DUE: frozenset[str] = frozenset(
    {"plan of action", "appeal", "response", "documents", "claim", "removal order",
     "deactivation", "deadline"}
)
_SENTENCE_END = re.compile(r"(?<=[^\d\s][.!?])\s+|(?<=。)|\n\s*\n")
#: rows of bodies searched by the prefilter at a time
_SLICE_ROWS = 100_000
# a text can hold a phrase only if a number is followed by a unit (or "times", "unsuccessful"), or
# it holds a written date: one RE2 pass over all bodies, then the same per sentence
_PREFILTER = (
    r"(?i)(?:\d|\b(?:" + "|".join(_NUMBER_WORDS) + r"))\s*(?:business |calendar |working )?"
    r"(?:day|hour|week|tag|stunde|woche|werktag|jour|heure|semaine|giorn|ore|settiman|d[ií]a|hora"
    r"|semana|time|unsuccessful|appeals|日|時間|営業日)"
    r"|\b(?:" + "|".join(m for m in _MONTHS if len(m) > 3) + r")\b"
    r"|\d年\d"
)
# the prefilter and the sentence cuts in Python: the definitions the RE2 paths below are tested
# against (tests/test_deadlines.py)
_MAYBE = re.compile(_PREFILTER[4:], re.IGNORECASE)
_VARIABLE = re.compile(r"\bB0[A-Z0-9]{8}\b|\b\d{5,}\b|\S+@\S+|https?://\S+|\b\d{3}-\d{7}-\d{7}\b")


_ALL_WHAT = np.ones(len(_WHAT), dtype=bool)


def _amount(token: str) -> int:
    token = token.lower()
    return int(token) if token.isdigit() else _NUMBER_WORDS[token]


def _unit(word: str) -> tuple[str, str]:
    w = " ".join(word.lower().split())
    if w in _UNITS:
        return _UNITS[w]
    base = w.split(" ")[-1]
    unit, kind = _UNITS.get(base, _UNITS.get(base.rstrip("s"), ("days", "d")))
    if w.startswith(("business ", "working ")):
        return "business days", "b"
    if w.startswith("calendar "):
        return "calendar days", "d"
    return unit, kind


def _what(sentence: str, at: int, can: np.ndarray = _ALL_WHAT) -> str:
    """The thing due: the keyword nearest to position ``at`` of the sentence (``can`` says
    which keywords the sentence may hold)."""
    best, dist = "deadline", None
    for (what, rx), ok in zip(_WHAT, can, strict=False):
        if not ok:
            continue
        for m in rx.finditer(sentence):
            d = abs(m.start() - at)
            if dist is None or d < dist:
                best, dist = what, d
    return best


def _re2(rx: str) -> str:
    """A Python pattern of this module for RE2: ``\\d`` as Unicode digits, as in Python."""
    return rx.replace(r"\d", r"\p{Nd}")


# RE2 tests that a Python pattern can match: a sentence none of them accept is not searched by
# it.  RE2's ``\b`` and case folding accept at least what Python's do in these patterns (their
# word edges are ASCII letters), so a gate never drops a phrase Python would find.
_GATE_MAYBE = _re2(_PREFILTER[4:])
_GATE_PERIODS = tuple(_re2(rx.pattern) for rx, _ in _PERIODS)
_GATE_APPEALS = _re2(_APPEALS.pattern)
_GATE_DATES = tuple(_re2(rx.pattern) for rx in _DATES)
_GATE_WHAT = tuple(_re2(rx.pattern) for _, rx in _WHAT)
_GATE_VARIABLE = r"B0|@|https?://|\p{Nd}{5}"


def _gates(keys: list[str], patterns: tuple[str, ...]) -> np.ndarray:
    """``out[i, j]``: RE2 finds ``patterns[j]`` (case-insensitive) in ``keys[i]``."""
    arr = pa.array(keys, pa.large_string())
    out = np.zeros((len(keys), len(patterns)), dtype=bool)
    for j, rx in enumerate(patterns):
        out[:, j] = np.asarray(pc.match_substring_regex(arr, rx, ignore_case=True), dtype=bool)
    return out


# Python's white space (str.isspace, the \\s of its patterns) and digits (\\d) for RE2
_PY_WS = (r"\t\n\x0b\x0c\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}"
          r"\x{202f}\x{205f}\x{3000}")
# the cuts of _SENTENCE_END in RE2: the character before ".!?" is taken and put back, the white
# space after it (or a blank line) becomes NUL; texts holding "。" or NUL are cut in Python
_RE2_CUT = rf"([^\p{{Nd}}{_PY_WS}][.!?])[{_PY_WS}]+|\n[{_PY_WS}]*\n"


def _sentences_of(texts: list[str]) -> tuple[list[str], np.ndarray]:
    """The sentences of all texts, white space collapsed (``" ".join(part.split())``), and
    the text each belongs to (the texts' sentences in order, one text after the other)."""
    codes, owner, distinct = _distinct_sentences(pa.array(texts, pa.large_string()))
    order = np.argsort(owner, kind="stable")
    return [distinct[c] for c in codes[order]], owner[order]


def _distinct_sentences(arr: pa.Array) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """:func:`_sentences_of` as ``(codes, owner, distinct)``: sentence ``j`` of the texts laid end
    to end is ``distinct[codes[j]]`` and belongs to text ``owner[j]`` (a text's sentences in
    order).  The sentences are cut and numbered in Arrow; only the distinct ones become Python
    strings."""
    python = np.asarray(pc.match_substring_regex(arr, "[\x00。]"), dtype=bool)
    cut = pc.replace_substring_regex(arr, _RE2_CUT, "\\1\x00")
    parts = pc.split_pattern(cut, "\x00")
    del cut
    flat = pc.list_flatten(parts)
    owner = np.asarray(pc.list_parent_indices(parts), dtype=np.int64)
    del parts
    flat = pc.utf8_trim(pc.replace_substring_regex(flat, f"[{_PY_WS}]+", " "), " ")
    keep = np.asarray(pc.not_equal(flat, ""), dtype=bool) & ~python[owner]
    enc = pc.dictionary_encode(flat.filter(pa.array(keep)))
    del flat
    codes = np.asarray(enc.indices, dtype=np.int64)
    distinct = enc.dictionary.to_pylist()
    del enc
    owner = owner[keep]
    if python.any():  # the few texts cut by Python's pattern (their sentences after the others)
        number = {t: k for k, t in enumerate(distinct)}
        extra, extra_owner = [], []
        for i in np.flatnonzero(python):
            for part in _SENTENCE_END.split(arr[int(i)].as_py()):
                sentence = " ".join(part.split())
                if sentence:
                    extra.append(number.setdefault(sentence, len(number)))
                    extra_owner.append(i)
        distinct = list(number)
        codes = np.r_[codes, np.asarray(extra, dtype=np.int64)]
        owner = np.r_[owner, np.asarray(extra_owner, dtype=np.int64)]
    return codes, owner, distinct


# _VARIABLE for RE2 on ASCII text, where the two engines agree on \b and \d; \S is Python's,
# whose white space holds \v and \x1c-\x1f (RE2's \s does not)
_ASCII_NOT_WS = r"[^\t\n\x0b\x0c\r\x1c-\x1f ]"
_VARIABLE_ASCII = (rf"\bB0[A-Z0-9]{{8}}\b|\b[0-9]{{5,}}\b|{_ASCII_NOT_WS}+@{_ASCII_NOT_WS}+"
                   rf"|https?://{_ASCII_NOT_WS}+|\b[0-9]{{3}}-[0-9]{{7}}-[0-9]{{7}}\b")


def _variable_keys(sentences: list[str], variable: np.ndarray | list) -> list[str]:
    """Each sentence with its ASINs, IDs, e-mails and links as ``#`` (``_VARIABLE.sub("#", s)``)
    where ``variable`` says it may hold one, else the sentence itself.  The ASCII sentences are
    masked in RE2 at once, the others (a few) in Python."""
    out = list(sentences)
    idx = np.flatnonzero(np.asarray(variable, dtype=bool))
    if not len(idx):
        return out
    arr = pa.array([sentences[i] for i in idx], pa.large_string())
    ascii_ = np.asarray(pc.string_is_ascii(arr), dtype=bool)
    if ascii_.any():
        done = pc.replace_substring_regex(arr.filter(pa.array(ascii_)), _VARIABLE_ASCII, "#")
        for i, text in zip(idx[ascii_], done.to_pylist(), strict=True):
            out[i] = text
    for i in idx[~ascii_]:
        out[i] = _VARIABLE.sub("#", sentences[i])
    return out


def _find_all(texts: list[str] | pa.Array) -> list[list[tuple[str, int | None, str, str, str, Any]]]:
    """``(what, amount, unit, kind, sentence, date)`` for every phrase of each text.

    Sentences repeat across messages (canned replies, and edited copies of them), so each
    distinct sentence is searched once, and each distinct sentence once its ASINs, IDs, e-mails
    and links are masked (they hold no phrase); the texts are cut into sentences, and which
    patterns can match a sentence is decided, for all of them at once in RE2; only the patterns
    that can match run in Python.
    """
    arr = texts if isinstance(texts, pa.Array) else pa.array(texts, pa.large_string())
    out: list[list] = [[] for _ in range(len(arr))]
    if not len(arr):
        return out
    codes, owner, sentences = _distinct_sentences(arr)
    # only a sentence with "B0", "@", a link or five digits in a row can hold a variable part
    variable = _gates(sentences, (_GATE_VARIABLE,))[:, 0] if sentences else []
    key_no: dict[str, int] = {}
    key_of = [key_no.setdefault(k, len(key_no)) for k in _variable_keys(sentences, variable)]
    keys = list(key_no)
    hits: list[list] = [[] for _ in keys]
    maybe = np.flatnonzero(_gates(keys, (_GATE_MAYBE,))[:, 0]) if keys else np.zeros(0, int)
    if maybe.size:
        cand = [keys[i] for i in maybe]
        gate = _gates(cand, _GATE_PERIODS + (_GATE_APPEALS,) + _GATE_DATES + _GATE_WHAT)
        n_p, n_d = len(_PERIODS), len(_DATES)
        for row, i in enumerate(maybe):
            g = gate[row]
            hits[i] = _find_sentence(keys[i], g[:n_p], bool(g[n_p]), g[n_p + 1:n_p + 1 + n_d],
                                     g[n_p + 1 + n_d:])
    sentence_hits = [
        [h[:4] + (sentence,) + h[5:] for h in hits[k]] if hits[k] else []
        for sentence, k in zip(sentences, key_of, strict=True)
    ]
    has = np.array([bool(h) for h in sentence_hits], dtype=bool)
    for j in np.flatnonzero(has[codes]) if len(codes) else []:
        out[owner[j]].extend(sentence_hits[codes[j]])
    return out


_ALL = np.ones(64, dtype=bool)


def _find_sentence(
    sentence: str,
    periods: np.ndarray = _ALL,
    appeals: bool = True,
    dates: np.ndarray = _ALL,
    what: np.ndarray = _ALL,
) -> list[tuple[str, int | None, str, str, str, Any]]:
    """The phrases of one sentence; the masks say which patterns can match (default: all)."""
    out = []
    taken: list[tuple[int, int]] = []
    for (rx, kind), can in zip(_PERIODS, periods, strict=False):
        if not can:
            continue
        for m in rx.finditer(sentence):
            if any(a <= m.start() < b or m.start() <= a < m.end() for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            unit, ukind = _unit(m.group(2))
            if kind == "age":
                thing = "document age"
            elif kind == "wait":
                thing = "processing"
            elif _PROMISE.search(sentence[: m.start()].replace("’", "'")):
                thing = "Amazon reply"
            else:
                thing = _what(sentence, m.start(), what)
            out.append((thing, _amount(m.group(1)), unit, "" if kind == "age" else ukind,
                        sentence, None))
    if appeals:
        for m in _APPEALS.finditer(sentence):
            n = next(g for g in m.groups() if g)
            out.append(("appeals allowed", _amount(n), "appeals", "", sentence, None))
    for i, (rx, can) in enumerate(zip(_DATES, dates, strict=False)):
        if not can:
            continue
        for m in rx.finditer(sentence):
            g = m.groups()
            if i == 0:
                month, day, year = _MONTHS[g[0].lower()], int(g[1]), int(g[2])
            elif i == 1:
                day, month, year = int(g[0]), _MONTHS[g[1].lower()], int(g[2])
            else:
                year, month, day = int(g[0]), int(g[1]), int(g[2])
            try:
                date = pd.Timestamp(year=year, month=month, day=day, tz="UTC")
            except ValueError:
                continue
            date = date + pd.Timedelta(hours=23, minutes=59, seconds=59)
            out.append((_what(sentence, m.start(), what), None, "", "", sentence, date))
    return out


_UNIT_NS = {"h": 3_600 * 10**9, "d": 86_400 * 10**9, "w": 7 * 86_400 * 10**9}


def _due_at(sent: pd.Series, amount: pd.Series, ukind: np.ndarray, date: pd.Series) -> pd.Series:
    """``due_at`` of each phrase: its ``date`` when it names one, else ``sent`` plus ``amount``
    hours, days, weeks (elapsed time) or business days (Monday to Friday, time of day kept);
    NaT for a limit without a unit (appeals, document age) or an unknown ``sent``."""
    due = date.astype("datetime64[ns, UTC]")
    sent = sent.astype("datetime64[ns, UTC]")
    sent_ns = sent.to_numpy(dtype="datetime64[ns]").view(np.int64)
    nat = np.iinfo(np.int64).min
    n = np.asarray(pd.array(amount.tolist(), dtype="Int64").fillna(0).to_numpy(), dtype=np.int64)
    use = date.isna().to_numpy() & amount.notna().to_numpy() & (sent_ns != nat)
    out = np.full(len(sent), nat, dtype=np.int64)
    for k, step in _UNIT_NS.items():
        w = use & (ukind == k)
        out[w] = sent_ns[w] + n[w] * step
    b = np.flatnonzero(use & (ukind == "b"))
    if b.size:
        day = (sent_ns[b] // _UNIT_NS["d"]).astype("datetime64[D]")
        shifted = np.busday_offset(day, n[b], roll="forward")
        out[b] = sent_ns[b] + (shifted - day).astype(np.int64) * _UNIT_NS["d"]
    filled = out != nat
    if filled.any():
        due[filled] = pd.DatetimeIndex(out[filled].view("datetime64[ns]")).tz_localize("UTC")
    return due


def _deadline_rows(
    amazon: pd.DataFrame, codes: np.ndarray, found: list[list[tuple]]
) -> tuple[pd.DataFrame, np.ndarray]:
    """One row per phrase found in a message: ``amazon`` (``case_id, message_id, sent_at``) holds
    the messages, ``codes`` the distinct text of each and ``found`` the phrases of each distinct
    text (``what, amount, unit, unit kind, sentence, date``).  Rows in message order, a message's
    phrases in their order; returns the frame (``DEADLINE_COLUMNS`` but ``is_open``, the stated
    date in ``due_at``) and the unit kind of each row."""
    columns = list(DEADLINE_COLUMNS[:-1])
    n_found = np.array([len(f) for f in found], dtype=np.int64)
    per_row = n_found[codes] if len(codes) else np.zeros(0, dtype=np.int64)
    total = int(per_row.sum())
    if total == 0:
        return pd.DataFrame([], columns=columns), np.zeros(0, dtype=object)
    row_of = np.repeat(np.arange(len(codes), dtype=np.int64), per_row)
    first = np.cumsum(n_found) - n_found  # each distinct text's first phrase in the flat list
    within = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(per_row) - per_row, per_row)
    item = np.repeat(first[codes], per_row) + within
    flat = [phrase for phrases in found for phrase in phrases]
    fields = [np.empty(len(flat), dtype=object) for _ in range(6)]
    for j, field in enumerate(fields):
        field[:] = [phrase[j] for phrase in flat]
    what, amount, unit, ukind, sentence, date = (f[item] for f in fields)
    frame = pd.DataFrame({
        "case_id": amazon["case_id"].astype("str").to_numpy(dtype=object)[row_of],
        # the IDs as Python values, so that their dtype is inferred as for any built frame
        "message_id": pd.Series(amazon["message_id"].array.take(row_of).tolist()).to_numpy(),
        "sent_at": amazon["sent_at"].array.take(row_of),
        "what": what, "due_at": date, "amount": amount, "unit": unit, "sentence": sentence,
    }, columns=columns)
    return frame, ukind


def _prefiltered(body: pa.Array | pa.ChunkedArray, rows: np.ndarray) -> tuple[np.ndarray, pa.Array]:
    """The positions and texts (one array) of the bodies at the true ``rows`` that
    :data:`_PREFILTER` finds a deadline phrase in: the same as filtering the bodies by ``rows``
    and then by the prefilter, a slice of :data:`_SLICE_ROWS` rows at a time (the selected
    bodies are never all copied, only the kept ones)."""
    at, kept = [], []
    for where, part in selected_pieces(body, rows, _SLICE_ROWS):
        hit = pc.match_substring_regex(part, _PREFILTER[4:], ignore_case=True)
        hit = np.asarray(hit.fill_null(False), dtype=bool)
        if hit.any():
            at.append(where[hit])
            kept.append(part.filter(pa.array(hit)))
    if not kept:
        return np.zeros(0, dtype=np.int64), pa.array([], body.type)
    # one array: unifying many chunks' dictionaries is slow
    return np.concatenate(at), pa.concat_arrays(kept) if len(kept) > 1 else kept[0]


@uses_arrow_pool
def deadlines(log: Any, as_of: Any = None) -> pd.DataFrame:
    """Deadlines and limits stated in Amazon messages.

    Parameters
    ----------
    log : CaseLog or pandas.DataFrame
        A case log or its ``messages``; needs ``case_id, message_id, sent_at, direction, body``.
    as_of : timestamp, optional
        The moment a deadline is judged open at (default: the newest ``sent_at`` in the data).

    Returns
    -------
    pandas.DataFrame
        One row per phrase found, in ``case_id, sent_at, message_id`` order: ``case_id,
        message_id, sent_at, what, due_at`` (UTC; NaT for a limit without a date, such as "up to
        two times"), ``amount`` (Int64), ``unit`` (``hours``, ``days``, ``calendar days``,
        ``business days``, ``weeks``, ``appeals``; ``""`` for a date), ``sentence`` and
        ``is_open`` (``due_at`` is at or after ``as_of``).

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"case_id": ["C1"], "message_id": [1], "direction": ["amazon"],
    ...     "sent_at": [pd.Timestamp("2026-03-02 10:00", tz="UTC")],
    ...     "body": ["If you do not send an acceptable plan within 17 days, we may act."]})
    >>> d = deadlines(m)
    >>> d[["what", "amount", "unit"]].values.tolist(), str(d.loc[0, "due_at"])
    ([['plan of action', 17, 'days']], '2026-03-19 10:00:00+00:00')
    """
    messages = messages_of(log, ("case_id", "message_id", "sent_at", "direction", "body"),
                           "deadlines()")
    as_of_ts = resolve_as_of(messages, as_of)
    # only the four columns used, and the body filled only when it misses a value: no copy of
    # the other text columns of the Amazon rows
    is_amazon = (messages["direction"].astype("str") == "amazon").to_numpy(dtype=bool,
                                                                           na_value=False)
    # the bodies are read a slice of rows at a time: only the Amazon ones the prefilter keeps
    # are copied (once), and only their distinct texts are read sentence by sentence
    rows, body = _prefiltered(_arrow(messages["body"].astype("str")), is_amazon)
    encoded = pc.dictionary_encode(body)
    del body
    texts, codes = encoded.dictionary, np.asarray(encoded.indices, dtype=np.int64)
    del encoded
    amazon = messages[["case_id", "message_id", "sent_at"]].iloc[rows]
    found = _find_all(texts)
    frame, kinds = _deadline_rows(amazon, codes, found)
    frame["sent_at"] = pd.to_datetime(frame["sent_at"], utc=True)
    frame["due_at"] = _due_at(frame["sent_at"], frame["amount"], np.asarray(kinds, dtype=object),
                              pd.to_datetime(frame["due_at"], utc=True))
    frame["amount"] = pd.array(frame["amount"].tolist(), dtype="Int64")
    for col in ("case_id", "what", "unit", "sentence"):
        frame[col] = frame[col].astype("str")
    frame["is_open"] = (
        (frame["due_at"] >= as_of_ts).fillna(False).astype(bool)
        if as_of_ts is not None else frame["due_at"].notna()
    )
    frame = frame.sort_values(["case_id", "sent_at", "message_id"], kind="stable")
    return frame.reset_index(drop=True)[list(DEADLINE_COLUMNS)]


def deadline_facts(
    ready: pd.DataFrame, messages: pd.DataFrame, dl: pd.DataFrame, as_of: Any, hours: float
) -> pd.DataFrame:
    """``ready`` (a :func:`caselog.readiness` frame) with the deadlines of ``dl`` applied.

    A deadline counts when it is the seller's to meet (:data:`SELLER_DUE`), has a ``due_at`` at
    or after ``as_of``, was stated at or before ``as_of``, and no seller message in the case
    followed the message that stated it. ``deadline_at`` is the earliest such ``due_at`` of the
    case (NaT when none). An open case (verdict not ``closed``) whose ``deadline_at`` is at most
    ``hours`` away gets the fact and the reason ``"deadline: <what> due <date>"`` and ``1e7``
    added to ``urgency``, which puts it first in :func:`caselog.readiness_queue` whatever else
    holds; the verdict does not change.
    """
    out = ready.copy()
    out["deadline_at"] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns, UTC]")
    if dl is None or not len(dl) or as_of is None or not len(out):
        return out
    as_of = pd.Timestamp(as_of)
    d = dl[dl["what"].isin(SELLER_DUE) & dl["due_at"].notna()]
    d = d[(d["due_at"] >= as_of) & (d["sent_at"] <= as_of)]
    if not len(d):
        return out
    seller = messages[(messages["direction"].astype("str") == "seller")
                      & (messages["sent_at"] <= as_of)]
    last_seller = seller.groupby(seller["case_id"].astype("str"))["sent_at"].max()
    after = d["case_id"].map(last_seller)
    d = d[~(after > d["sent_at"]).fillna(False).astype(bool).to_numpy()]
    if not len(d):
        return out
    first = d.sort_values(["due_at", "message_id"], kind="stable").drop_duplicates("case_id")
    first = first.set_index("case_id")
    cid = out["case_id"].astype("str")
    due = cid.map(first["due_at"])
    out["deadline_at"] = pd.to_datetime(due, utc=True)
    soon = (out["verdict"] != "closed") & due.notna() & (
        (due - as_of) <= pd.Timedelta(hours=float(hours))
    )
    if soon.any():
        text = ("deadline: " + cid[soon].map(first["what"]).astype("str") + " due "
                + out.loc[soon, "deadline_at"].dt.strftime("%-d %b %Y %H:%M UTC"))
        for col in ("reasons", "facts"):
            old = out.loc[soon, col].astype("str")
            out.loc[soon, col] = np.where(old == "", text, text + "; " + old)
        out.loc[soon, "urgency"] = out.loc[soon, "urgency"] + 1e7
    return out
