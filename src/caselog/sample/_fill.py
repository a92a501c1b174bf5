"""Vectorised text filling and the array helpers of the sample generator.

A template's ``{field}`` placeholders are filled per batch of rows that share the template
(numpy adds object arrays of strings element-wise); field values come from a :class:`_Context`
that computes each field's per-message array on first use.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa

_FIELD = re.compile(r"\{(\w+)\}")


class _Context:
    """Per-message values of the template fields, computed on first use."""

    def __init__(self, makers: dict[str, Callable[[], np.ndarray]]):
        self._makers = makers
        self._cache: dict[str, np.ndarray] = {}

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self._cache:
            self._cache[name] = self._makers[name]()
        return self._cache[name]


def _fill(texts: np.ndarray, rows: np.ndarray, ctx: _Context) -> np.ndarray:
    """Fill ``{field}`` placeholders of ``texts[i]`` with ``ctx[field][rows[i]]``, per batch of
    rows sharing a text (object arrays; numpy adds strings element-wise in C)."""
    out = np.empty(len(texts), dtype=object)
    if len(texts) == 0:
        return out
    codes, uniques = pd.factorize(texts)
    order = np.argsort(codes, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(np.bincount(codes, minlength=len(uniques)))])
    for u, tmpl in enumerate(uniques):
        sel = order[bounds[u]:bounds[u + 1]]
        parts = _FIELD.split(tmpl)  # literal, field, literal, field, ..., literal
        if len(parts) == 1:
            out[sel] = tmpl
            continue
        acc = np.full(len(sel), parts[0], dtype=object)
        for i in range(1, len(parts), 2):
            acc = acc + ctx[parts[i]][rows[sel]]
            if parts[i + 1]:
                acc = acc + parts[i + 1]
        out[sel] = acc
    return out


def _pick(rng: np.random.Generator, bank: tuple[str, ...], n: int) -> np.ndarray:
    return np.asarray(bank, dtype=object)[rng.integers(0, len(bank), n)]


def _random_codes(rng: np.random.Generator, n: int, length: int) -> np.ndarray:
    alphabet = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"), dtype="<U1")
    chars = alphabet[rng.integers(0, 36, (n, length))]
    return np.ascontiguousarray(chars).view(f"<U{length}").ravel()


def _digits(rng: np.random.Generator, n: int, width: int) -> np.ndarray:
    return np.char.zfill(rng.integers(0, 10**width, n).astype(f"<U{width}"), width)



def _str(values: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """An object array of Python strings as pandas' default ``str`` array."""
    return pd.array(pa.array(values, type=pa.large_string()), dtype="str")


def _str_codes(codes: np.ndarray, values: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """``values[codes]`` as a ``str`` array, decoded from an Arrow dictionary (few values)."""
    dictionary = pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int32)),
                                                pa.array(values, type=pa.large_string()))
    return pd.array(dictionary.cast(pa.large_string()), dtype="str")

