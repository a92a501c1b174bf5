"""The language of a message: English, German, French, Italian, Spanish or Japanese.

A detector for the six languages of Amazon's notices, not for every language: Japanese by its
kana (hiragana and katakana; kanji alone is Chinese too and stays unknown), the others by their
most frequent function words ("the", "your", "we" / "der", "und", "Ihr" / "le", "vous", "nous" /
"il", "della", "suo" / "el", "su", "usted" ...). Each text gets the language with the most
function-word hits when it has at least two and they are more than the runner-up's; otherwise
``""``. Only the first 300 characters of a text are read. Every step is one RE2 pass (pyarrow)
over the distinct texts, so a million messages take
a few seconds -- a general detector (``langdetect``, ``lingua``) costs about a millisecond per text
and knows a hundred languages that Amazon's notices are not written in.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import ConfigError

__all__ = ["LANGUAGES", "detect_language"]

#: Language codes :func:`detect_language` returns (besides ``""`` for unknown).
LANGUAGES: tuple[str, ...] = ("en", "de", "fr", "it", "es", "ja")

_WORDS: dict[str, str] = {
    "en": r"the|and|your|you|we|have|has|been|this|that|with|for|of|to|is|are|our|please|will",
    "de": r"der|die|das|und|ihr|ihre|ihren|ihrem|sie|wir|haben|wurde|wurden|ist|nicht|mit|für"
          r"|von|auf|bitte|können|uns|einen|eine|dass",
    "fr": r"le|la|les|et|vous|votre|vos|nous|avons|est|été|pour|dans|des|une|pas|sur|au|aux"
          r"|veuillez|compte",
    "it": r"il|lo|gli|della|delle|del|suo|sua|suoi|è|stato|stata|sono|per|non|che|con|abbiamo"
          r"|nel|alla|una|le",
    "es": r"el|los|las|su|sus|usted|hemos|ha|sido|para|por|con|una|del|que|está|cuenta|tu"
          r"|puedes|no",
}
_KANA = r"[\x{3040}-\x{30ff}]"


def _word_rx(words: str) -> str:
    # whole words: bounded by start/end or a non-letter on both sides (RE2 has no look-arounds)
    return r"(?:^|[^\p{L}])(?:" + words + r")(?:[^\p{L}]|$)"


def detect_language(texts: pd.Series | pd.DataFrame) -> pd.Series:
    """The language code of each text (``en, de, fr, it, es, ja``, ``""`` when unknown).

    Parameters
    ----------
    texts : pandas.Series or pandas.DataFrame
        Strings, or a messages frame (its ``subject`` and ``body`` are read together).

    Returns
    -------
    pandas.Series
        ``str`` codes, same index, named ``language``.

    Examples
    --------
    >>> import pandas as pd
    >>> detect_language(pd.Series(["Ihr Konto wurde deaktiviert und wir haben die Angebote entfernt.",
    ...     "Votre compte a été désactivé et nous avons supprimé vos annonces.",
    ...     "出品用アカウントは閉鎖されています。", "OK"])).tolist()
    ['de', 'fr', 'ja', '']
    """
    if isinstance(texts, pd.DataFrame):
        if "body" not in texts.columns:
            raise ConfigError("detect_language needs a 'body' column (and reads 'subject' too)")
        body = texts["body"].astype("str").fillna("")
        if "subject" in texts.columns:
            body = texts["subject"].astype("str").fillna("") + "\n" + body
        texts = body
    if not isinstance(texts, pd.Series):
        raise ConfigError(f"detect_language expects a Series or DataFrame, got {type(texts).__name__}")
    # the first 300 characters tell the language; cut texts repeat more, so fewer are scanned
    cut = pc.utf8_slice_codeunits(pa.array(texts.astype("str").fillna(""), type=pa.large_string()),
                                  0, 300)
    codes, uniques = pd.factorize(pd.Series(cut.to_pandas(), dtype="str"))
    out = np.full(len(uniques), "", dtype=object)
    if len(uniques):
        arr = pc.utf8_lower(pa.array(np.asarray(uniques, dtype=object), type=pa.large_string()))
        # words are counted on a copy with every space doubled, so that adjacent words each
        # find their own boundary characters
        spaced = pc.replace_substring(arr, " ", "  ")
        names = [k for k in _WORDS]
        hits = np.stack(
            [np.asarray(pc.count_substring_regex(spaced, _word_rx(_WORDS[k])), dtype=np.int64)
             for k in names], axis=1,
        )
        order = np.argsort(-hits, axis=1, kind="stable")
        best = hits[np.arange(len(hits)), order[:, 0]]
        second = hits[np.arange(len(hits)), order[:, 1]]
        known = (best >= 2) & (best > second)
        out[known] = np.asarray(names, dtype=object)[order[known, 0]]
        kana = np.asarray(pc.count_substring_regex(arr, _KANA), dtype=np.int64)
        out[kana >= 2] = "ja"
    result = out[codes] if len(codes) else np.array([], dtype=object)
    return pd.Series(result, index=texts.index, dtype="str", name="language")
