"""The fast paths of template finding against plain reference implementations.

Shingles, exact intersections, MinHash signatures (one thread and two), the line masks (run on
the lines that may need them) and the side-by-side reply classes must give exactly what the
straightforward computation gives.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import caselog
from caselog import TemplateConfig, find_templates
from caselog.analysis import _masking, _neardup, _templates

_WORDS = ["we", "have", "reviewed", "your", "appeal", "<ASIN>", "the", "listing", "is",
          "removed", "has", "been", "e-mail", "ok.", "...", "a,b", "<NUM>"]


def _docs(draw_texts: list[list[str]]) -> pa.Array:
    return pa.array([" ".join(t) for t in draw_texts], pa.large_string())


def _reference_shingle_sets(docs: pa.Array, k: int) -> list[frozenset]:
    """Each text's set of k-token tuples, the tokens as :func:`_neardup._tokens` gives them."""
    offsets, tok, _ = _neardup._tokens(docs)
    out = []
    for d in range(len(docs)):
        t = tok[offsets[d] : offsets[d + 1]].tolist()
        if len(t) < k:
            out.append(frozenset([tuple(t)]))
        else:
            out.append(frozenset(tuple(t[i : i + k]) for i in range(len(t) - k + 1)))
    return out


_texts = st.lists(st.lists(st.sampled_from(_WORDS), min_size=0, max_size=12), min_size=1,
                  max_size=25)


@settings(max_examples=60, deadline=None)
@given(texts=_texts, k=st.integers(1, 4))
def test_shingles_are_the_token_tuples(texts, k):
    docs = _docs(texts)
    doc, shingle, sizes = _neardup._shingles(docs, k, seed=7)
    ref = _reference_shingle_sets(docs, k)
    # sorted by document, then shingle id, each pair once
    key = doc * (int(shingle.max()) + 1) + shingle
    assert np.all(np.diff(key) > 0)
    assert sizes.tolist() == [len(s) for s in ref]
    # shingle ids number the distinct tuples in order of first appearance
    first: dict[tuple, int] = {}
    offsets, tok, _ = _neardup._tokens(docs)
    for d in range(len(docs)):
        t = tok[offsets[d] : offsets[d + 1]].tolist()
        seq = [tuple(t)] if len(t) < k else [tuple(t[i : i + k]) for i in range(len(t) - k + 1)]
        for s in seq:
            first.setdefault(s, len(first))
    for d in range(len(docs)):
        got = set(shingle[doc == d].tolist())
        assert got == {first[s] for s in ref[d]}


@settings(max_examples=60, deadline=None)
@given(texts=_texts, data=st.data())
def test_intersections_are_exact(texts, data):
    docs = _docs(texts)
    doc, shingle, sizes = _neardup._shingles(docs, 3, seed=7)
    n = len(docs)
    pairs = np.array(
        data.draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=40)),
        dtype=np.int64,
    ).reshape(-1, 2)
    got = _neardup._intersections(pairs, shingle, sizes)
    sets = [set(shingle[doc == d].tolist()) for d in range(n)]
    assert got.tolist() == [len(sets[i] & sets[j]) for i, j in pairs]


def _reference_signatures(doc, shingle, n_docs, num_perm, seed):
    n_sh = int(shingle.max()) + 1
    salt = np.random.default_rng(seed + 1).integers(1, 1 << 62, size=num_perm, dtype=np.uint64)
    ids = np.arange(n_sh, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    sig = np.empty((n_docs, num_perm), dtype=np.uint32)
    with np.errstate(over="ignore"):
        for p in range(num_perm):
            value = (_neardup._mix64(ids ^ salt[p]) >> np.uint64(32)).astype(np.uint32)
            for d in range(n_docs):
                sig[d, p] = value[shingle[doc == d]].min()
    return sig


@pytest.mark.parametrize("threads", [False, True])
@pytest.mark.parametrize("at_once", [None, (1, 1), (5, 3), (17, 64)])
def test_signatures_one_and_two_threads(monkeypatch, threads, at_once):
    """The signatures equal a per-document minimum, on one thread or two, whatever the slices
    of pairs gathered and of shingles hashed at a time (a document longer than a slice of pairs
    is a slice of its own)."""
    rng = np.random.default_rng(3)
    texts = [list(rng.choice(_WORDS, size=rng.integers(0, 15))) for _ in range(60)]
    texts[7] = list(rng.choice(_WORDS, size=40))
    docs = _docs(texts)
    doc, shingle, sizes = _neardup._shingles(docs, 3, seed=7)
    monkeypatch.setattr(_neardup, "_THREAD_MIN_PAIRS", 0 if threads else 10**12)
    if at_once is not None:
        monkeypatch.setattr(_neardup, "_PAIRS_AT_ONCE", at_once[0])
        monkeypatch.setattr(_neardup, "_MIX_AT_ONCE", at_once[1])
    got = _neardup._signatures(doc, shingle, len(docs), 16, seed=11)
    assert np.array_equal(got, _reference_signatures(doc, shingle, len(docs), 16, 11))


@pytest.mark.parametrize("at_once", [1, 3, 1 << 20])
def test_mix64_in_slices_equals_one_pass(monkeypatch, at_once):
    """splitmix64 worked a slice at a time gives the finaliser's values (hand-checked first
    value: splitmix64's output for state 0 after one increment is 0xE220A8397B1DCDAF)."""
    x = np.arange(10, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    monkeypatch.setattr(_neardup, "_MIX_AT_ONCE", at_once)
    got = _neardup._mix64(x)
    assert int(got[1]) == 0xE220A8397B1DCDAF
    with np.errstate(over="ignore"):  # a copy: the input is left as it was
        assert np.array_equal(x, np.arange(10, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15))
    monkeypatch.setattr(_neardup, "_MIX_AT_ONCE", 1 << 20)
    assert np.array_equal(got, _neardup._mix64(x))


def _reference_mask_lines(arr: pa.Array) -> pa.Array:
    """The line masks with every step run on every line."""
    s = pc.replace_substring_regex(arr, "[\u2018\u2019\u201a\u201b\u2032`]", "'")
    s = pc.replace_substring_regex(s, "[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]", '"')
    s = pc.replace_substring_regex(s, r"([\p{Ll}\)\"'])([.!?])([\p{Lu}])", r"\1\2 \3")
    s = pc.utf8_lower(s)
    s = pc.replace_substring_regex(s, r"([\p{Ll}]),([\p{L}])", r"\1, \2")
    has_lt = pc.match_substring(s, "<")
    for placeholder, regex in _masking._MASKS:
        s = pc.replace_substring_regex(s, regex, placeholder)
    s = pc.replace_substring_regex(s, _masking._COLLAPSE, " ")
    s = pc.utf8_trim(s, " ")
    fixed = s
    for placeholder in _masking.PLACEHOLDERS:
        fixed = pc.replace_substring(fixed, placeholder.lower(), placeholder)
    return pc.if_else(has_lt, fixed, s)


_pieces = st.sampled_from(
    ["We", "have", "Hello", "appeal.We", "A,B", "\u2019", "\u201c", "`", "don\u2019t", "3",
     "12/03/2026", "$1,234.50", "B0ABCDE123", "123-1234567-1234567", "a@b.com",
     "https://x.y/z.", "www.amazon.com", "12345678", "<num>", "<ASIN>", "  ", "\t", "\u00a0",
     "M\u00e4rz", "14.", "2026", "\u65e5", " ", ".", ",", "Ok!Now"]
)


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(st.lists(_pieces, max_size=10).map("".join), min_size=1, max_size=30))
def test_line_masks_run_where_needed_as_everywhere(lines):
    arr = pa.array(lines, pa.large_string())
    got = _masking._mask_line_chunk(arr)
    assert got.to_pylist() == _reference_mask_lines(arr).to_pylist()


def test_classes_beside_the_sketch_same_result(monkeypatch):
    log = caselog.sample.generate(seed=5, n_cases=120).log
    monkeypatch.setattr(_templates, "_OVERLAP_MIN_TEXTS", 10**12)
    one = find_templates(log)
    monkeypatch.setattr(_templates, "_OVERLAP_MIN_TEXTS", 0)
    monkeypatch.setattr(_neardup, "_THREAD_MIN_PAIRS", 0)
    two = find_templates(log)
    for name in ("messages", "catalogue", "cases", "variants"):
        pd.testing.assert_frame_equal(getattr(one, name), getattr(two, name))


def test_sketch_given_or_not_same_roots():
    texts = ["we have reviewed your appeal", "we have reviewed your appeal today",
             "the listing is removed", "the listing has been removed", "ok"]
    docs = pa.array(texts, pa.large_string())
    cfg = TemplateConfig()
    classes = np.zeros(len(texts), dtype=np.int64)
    a = _neardup._near_duplicate_roots(docs, classes, cfg)
    b = _neardup._near_duplicate_roots(docs, classes, cfg, _neardup._sketch(docs, cfg))
    assert a.tolist() == b.tolist()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(alphabet="ab 1\n@.", max_size=30)), max_size=20))
def test_missing_texts_mask_as_empty_ones(texts):
    """The column is filled only when it holds a missing value: the result is that of ``""``."""
    with_na = pd.Series(texts, dtype="str")
    filled = pd.Series([t or "" for t in texts], dtype="str")
    pd.testing.assert_series_equal(_masking.mask_text(with_na), _masking.mask_text(filled))
    from caselog.analysis._frame import amazon_strings

    keep = np.array([i % 2 == 0 for i in range(len(texts))], dtype=bool)
    order = np.arange(int(keep.sum()))[::-1].copy()
    pd.testing.assert_series_equal(amazon_strings(with_na, keep, order),
                                   amazon_strings(filled, keep, order))


_LINE_TEXTS = st.lists(
    st.lists(st.sampled_from(["", "hello ann,", "we have reviewed", "regards,", "x", "é ü"]),
             min_size=1, max_size=5).map("\n".join),
    max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(texts=_LINE_TEXTS, cuts=st.lists(st.integers(0, 30), max_size=4),
       rows=st.integers(1, 7))
def test_distinct_lines_in_pieces_equal_one_split(texts, cuts, rows):
    """Texts in several chunks, split a few rows at a time: each text's lines, in order, are
    exactly those of one plain split; the distinct lines are distinct, in first-seen order."""
    bounds = sorted({0, len(texts), *[min(c, len(texts)) for c in cuts]})
    chunks = [pa.array(texts[a:b], pa.large_string()) for a, b in itertools.pairwise(bounds)]
    arr = pa.chunked_array(chunks, pa.large_string())
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_masking, "_SPLIT_ROWS", rows)
        offsets, line_idx, distinct = _masking._distinct_lines(arr)
    values = distinct.to_pylist()
    got = [[values[j] for j in line_idx[offsets[i]:offsets[i + 1]]] for i in range(len(texts))]
    assert got == [t.split("\n") for t in texts]
    seen = list(dict.fromkeys(line for t in texts for line in t.split("\n")))
    assert values == seen


def test_mask_text_of_many_chunks_equals_one_chunk(monkeypatch):
    """A column in many Arrow chunks, split a few rows at a time, masks as one contiguous array."""
    texts = ["Hello Ann,\nASIN B0ABCDE123 was removed.\nRegards,\nSP", "Dear Bo,\nCase 12345678 is\n"
             "closed.", "", "we have reviewed\nyour appeal\n\nThank you,\nX"] * 7
    one = _masking.mask_text(pd.Series(texts, dtype="str"))
    monkeypatch.setattr(_masking, "_SPLIT_ROWS", 3)
    chunked = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array(
        [pa.array(texts[:5], pa.large_string()), pa.array(texts[5:], pa.large_string())])))
    assert _masking.mask_text(chunked).tolist() == one.tolist()
    assert one.tolist()[:4] == ["asin <ASIN> was removed.", "case <CASE_ID> is closed.", "",
                                "we have reviewed your appeal"]


_ROW_TEXTS = st.lists(
    st.one_of(st.none(), st.lists(st.sampled_from(
        ["", "Hello Ann,", "We have reviewed case 12345678.", "Regards,", "x", "\u00e9 \u00fc",
         "ASIN B0ABCDE123 removed\r", "Thank you,"]), min_size=1, max_size=5).map("\n".join)),
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(texts=_ROW_TEXTS, data=st.data(), rows=st.integers(1, 6))
def test_masking_selected_rows_equals_masking_their_copy(texts, data, rows):
    """``mask_rows`` (the selected texts split slice by slice, the masked ones put in order)
    gives what masking a copy of the selected texts, in that order, gives."""
    column = pd.Series(texts, dtype="str")
    keep = np.array(data.draw(st.lists(st.booleans(), min_size=len(texts), max_size=len(texts))),
                    dtype=bool)
    order = np.array(data.draw(st.permutations(range(int(keep.sum())))), dtype=np.int64)
    copy = column[keep].iloc[order].reset_index(drop=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_masking, "_SPLIT_ROWS", rows)
        got = _masking.mask_rows(column, keep, order)
        in_row_order = _masking.mask_rows(column, keep)
    pd.testing.assert_series_equal(got, _masking.mask_text(copy))
    assert in_row_order.tolist() == _masking.mask_text(column[keep].reset_index(drop=True)).tolist()


@settings(max_examples=150, deadline=None)
@given(texts=st.lists(st.lists(st.sampled_from(
    ["Hello Ann,", "We have reviewed case 12345678.", "Regards,", "x", "", "Thank you,"]),
    min_size=1, max_size=4).flatmap(lambda lines: st.lists(
        st.sampled_from(["\n", "\r\n", "\r"]), min_size=len(lines), max_size=len(lines)).map(
        lambda ends: "".join(a + b for a, b in zip(lines, ends, strict=True)))),
    min_size=1, max_size=12), rows=st.integers(1, 5))
def test_carriage_returns_end_lines_in_every_piece(texts, rows):
    """``\r\n`` and a lone ``\r`` end a line like ``\n`` does, whether or not the other texts
    split with a text hold one (the check is made per piece, on its distinct lines)."""
    plain = [t.replace("\r\n", "\n").replace("\r", "\n") for t in texts]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_masking, "_SPLIT_ROWS", rows)
        got = _masking.mask_text(pd.Series(texts, dtype="str")).tolist()
    assert got == _masking.mask_text(pd.Series(plain, dtype="str")).tolist()


def test_mask_rows_hand_example_and_bad_arguments():
    s = pd.Series(["Hello Ann,\nCase 12345678 closed.", "hi", "Dear Bo,\nASIN B0ABCDE123 removed."])
    keep = np.array([True, False, True])
    assert _masking.mask_rows(s, keep, np.array([1, 0])).tolist() == [
        "asin <ASIN> removed.", "case <CASE_ID> closed."]
    assert _masking.mask_rows(s, np.zeros(3, dtype=bool)).tolist() == []
    with pytest.raises(caselog.CaselogError, match="2 row flags for 3 texts"):
        _masking.mask_rows(s, np.array([True, False]))
    with pytest.raises(caselog.CaselogError, match="not a permutation"):
        _masking.mask_rows(s, keep, np.array([0, 0]))


@settings(max_examples=60, deadline=None)
@given(texts=_texts, at_once=st.integers(1, 5), docs_at_once=st.integers(1, 6),
       cut=st.integers(0, 25))
def test_tokens_looked_up_in_slices_of_pieces_are_the_words_of_each_text(
    texts, at_once, docs_at_once, cut
):
    # the words of each text as a reader folds them: each space-separated piece split at every
    # run of characters other than letters, digits, "<", ">", "_"; a text with no word at all
    # keeps its pieces.  The ids are the same whatever the number of pieces looked up at once.
    import re

    docs = _docs(texts)
    offsets, tok, _ = _neardup._tokens(docs)
    words = []
    for t in texts:
        w = [x for p in " ".join(t).split(" ") for x in re.sub(r"[^0-9A-Za-z<>_]+", " ", p).split()]
        words.append(w if w else " ".join(t).split(" "))
    spelled: dict[int, str] = {}
    for d, w in enumerate(words):
        ids = tok[offsets[d]:offsets[d + 1]].tolist()
        assert len(ids) == len(w)
        for i, x in zip(ids, w, strict=True):
            assert spelled.setdefault(i, x) == x  # one id, one word
    assert len(set(spelled.values())) == len(spelled)  # one word, one id
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_neardup, "_PIECES_AT_ONCE", at_once)
        sliced_offsets, sliced, _ = _neardup._tokens(docs)
    assert sliced_offsets.tolist() == offsets.tolist() and sliced.tolist() == tok.tolist()
    # texts split a few at a time, from two chunks: the same ids (first appearance in the whole)
    cut = min(cut, len(docs))
    chunked = pa.chunked_array([docs.slice(0, cut), docs.slice(cut)], docs.type)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_neardup, "_DOCS_AT_ONCE", docs_at_once)
        got_offsets, got, n_vocab = _neardup._tokens(chunked)
    assert got_offsets.tolist() == offsets.tolist() and got.tolist() == tok.tolist()
    assert n_vocab == _neardup._tokens(docs)[2]


@settings(max_examples=40, deadline=None)
@given(texts=_texts, k=st.integers(1, 4), at_once=st.integers(1, 7))
def test_shingles_hashed_a_slice_of_tokens_at_a_time_are_the_same(texts, k, at_once):
    docs = _docs(texts)
    whole = _neardup._shingles(docs, k, seed=7)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_neardup, "_TOKENS_AT_ONCE", at_once)
        sliced = _neardup._shingles(docs, k, seed=7)
    for a, b in zip(whole, sliced, strict=True):
        assert a.tolist() == b.tolist()


def test_no_text_no_shingle():
    doc, shingle, sizes = _neardup._shingles(pa.array([], pa.large_string()), 3, seed=7)
    assert len(doc) == len(shingle) == len(sizes) == 0
