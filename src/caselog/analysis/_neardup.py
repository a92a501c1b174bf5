"""Near-duplicate grouping of masked texts: MinHash signatures, LSH candidates, exact Jaccard
check, and the union of similar variants that never joins opposite decisions.

Used by :func:`caselog.find_templates` (see :mod:`caselog.analysis._templates` for the recipe).
"""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._memory import release_memory
from ..schema import REPLY_CLASSES
from ._frame import merged_vocabularies

if TYPE_CHECKING:  # pragma: no cover
    from ._templates import TemplateConfig

# --------------------------------------------------------------------------------------------
# near-duplicate stage (MinHash + LSH + verified Jaccard + union-find)
# --------------------------------------------------------------------------------------------

_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)
_PRIME = np.uint64((1 << 61) - 1)


#: values mixed at a time by :func:`_mix64` (its temporary is this size, not the input's)
_MIX_AT_ONCE = 1 << 20


def _mix64(x: np.ndarray, inplace: bool = False) -> np.ndarray:
    """splitmix64 finaliser: spreads uint64 values (wrap-around arithmetic); ``inplace``
    overwrites ``x`` instead of copying it.  Works :data:`_MIX_AT_ONCE` values at a time."""
    if not inplace:
        x = x.copy()
    tmp = np.empty(min(len(x), _MIX_AT_ONCE), dtype=x.dtype)
    for lo in range(0, len(x), _MIX_AT_ONCE):
        part = x[lo:lo + _MIX_AT_ONCE]
        t = tmp[:len(part)]
        for shift, factor in ((30, 0xBF58476D1CE4E5B9), (27, 0x94D049BB133111EB), (31, None)):
            np.right_shift(part, np.uint64(shift), out=t)
            part ^= t
            if factor is not None:
                part *= np.uint64(factor)
    return x


#: (doc, shingle) pairs from which the signatures are computed on two threads
_THREAD_MIN_PAIRS = 500_000

_FOLD = r"[^\p{L}\p{N}<>_]+"

#: pieces whose words are looked up at once, and tokens whose shingle hashes are computed at
#: once (bound the token-level temporaries of many long texts)
_PIECES_AT_ONCE = 1 << 21
#: texts split into pieces at a time
_DOCS_AT_ONCE = 50_000
_TOKENS_AT_ONCE = 1 << 21


def _distinct_pieces(docs: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray, pa.Array]:
    """The space-separated pieces of the texts as ids of their distinct values.

    Returns ``(offsets, piece, distinct)``: the pieces of text ``i`` are
    ``distinct[piece[offsets[i]:offsets[i + 1]]]``, ``piece`` int32, ``distinct`` in order of
    first appearance.  The texts are split and encoded :data:`_DOCS_AT_ONCE` at a time (the
    split pieces of all texts, the largest arrays of the stage, never exist at once), then the
    slices' vocabularies are merged: first appearance in the slices laid end to end is first
    appearance in the whole, so the ids are those of one pass.
    """
    chunks = docs.chunks if isinstance(docs, pa.ChunkedArray) else [docs]
    offs, idxs, vocabs = [], [], []
    for chunk in chunks:
        for lo in range(0, len(chunk), _DOCS_AT_ONCE):
            pieces = pc.split_pattern(chunk.slice(lo, _DOCS_AT_ONCE), " ")
            off = np.asarray(pieces.offsets, dtype=np.int64)
            offs.append(off[1:] - off[0])
            enc = pc.dictionary_encode(pieces.values)
            del pieces
            idxs.append(enc.indices.to_numpy(zero_copy_only=False))  # int32
            vocabs.append(enc.dictionary)
            del enc
    if not vocabs:
        return np.zeros(1, np.int64), np.zeros(0, np.int32), pa.array([], pa.large_string())
    return merged_vocabularies(offs, idxs, vocabs)


def _tokens(docs: pa.Array) -> tuple[np.ndarray, np.ndarray, int]:
    """The masked texts as shingles see them: word ids, punctuation folded.

    Masked texts are lower case already, single-spaced, with curly quotes straight and lost
    spaces after a full stop restored (:func:`mask_text`); here "has been assigned." and "has
    been assigned" and "e-mail" / "e mail" become the same tokens: every run of characters other
    than letters, digits, ``<``, ``>`` and ``_`` separates words. Placeholders (``<ASIN>``) stay
    tokens. A text with no word at all ("...") keeps its space-separated pieces.  The folding
    runs once per distinct space-separated piece, not over the whole texts.

    Returns ``(offsets, ids, n_words)``: the words of text ``i`` are
    ``ids[offsets[i]:offsets[i + 1]]``, ids (int32) dense in ``range(n_words)``.
    """
    p_off, piece, distinct = _distinct_pieces(docs)
    folded = pc.utf8_trim(pc.replace_substring_regex(distinct, _FOLD, " "), " ")
    words = pc.split_pattern(folded, " ")
    w_off = np.asarray(words.offsets, dtype=np.int64)
    w_off = w_off - w_off[0]
    n_words = np.diff(w_off).astype(np.int32)
    n_words[np.asarray(pc.equal(folded, ""), dtype=bool)] = 0
    # one vocabulary for folded words and (for texts without any word) unfolded pieces
    vocab = pc.dictionary_encode(pa.concat_arrays([words.values.cast(pa.large_string()),
                                                   distinct.cast(pa.large_string())]))
    vid = vocab.indices.to_numpy(zero_copy_only=False)  # int32
    word_id, raw_id = vid[: len(words.values)], vid[len(words.values):]
    n_vocab = len(vocab.dictionary)
    del vid, vocab, words, folded
    n_docs = len(docs)
    last_word = max(len(word_id) - 1, 0)
    source = word_id if len(word_id) else raw_id  # no word anywhere: every text is bare
    # slices of whole texts, about _PIECES_AT_ONCE pieces each: the piece- and word-level
    # temporaries are the size of a slice.  A first pass counts each text's tokens (a text
    # with no word at all is "bare": its pieces themselves are its tokens), a second writes
    # them: word j of a piece is word w_off[piece] + j of its folded text
    cuts = _slices_of_docs(p_off, _PIECES_AT_ONCE)
    per_doc = np.zeros(n_docs, dtype=np.int64)
    for d0, d1 in itertools.pairwise(cuts):
        a, b = p_off[d0], p_off[d1]
        words_in = np.add.reduceat(n_words[piece[a:b]], p_off[d0:d1] - a, dtype=np.int64)
        bare = words_in == 0  # every text has at least one piece ("" splits to [""])
        words_in[bare] = np.diff(p_off[d0:d1 + 1])[bare]
        per_doc[d0:d1] = words_in
    offsets = np.r_[0, np.cumsum(per_doc)].astype(np.int64)
    ids = np.empty(int(offsets[-1]), dtype=word_id.dtype)
    for d0, d1 in itertools.pairwise(cuts):
        a, b = p_off[d0], p_off[d1]
        pieces = piece[a:b]
        c = n_words[pieces]
        bare_doc = np.add.reduceat(c, p_off[d0:d1] - a, dtype=np.int64) == 0
        bare_piece = np.repeat(bare_doc, np.diff(p_off[d0:d1 + 1])) if bare_doc.any() else None
        if bare_piece is not None:
            c[bare_piece] = 1
        starts = np.cumsum(c, dtype=np.int64)
        starts -= c  # each piece's first token among the slice's tokens
        pos = np.repeat(w_off[pieces] - starts, c)
        pos += np.arange(len(pos), dtype=np.int64)
        np.minimum(pos, last_word, out=pos)
        tok = source[pos]
        del pos
        if bare_piece is not None:  # one token each (c 1): the piece itself
            tok[starts[bare_piece]] = raw_id[pieces[bare_piece]]
        ids[offsets[d0]:offsets[d1]] = tok
    return offsets, ids, n_vocab


def _slices_of_docs(bounds: np.ndarray, at_once: int) -> np.ndarray:
    """Cuts ``[c0 = 0, c1, ..., n]`` of ``n`` documents whose items are ``[bounds[d],
    bounds[d + 1])``, so that documents ``[c_k, c_k+1)`` hold about ``at_once`` items: each cut
    is at the start of the document holding item ``j * at_once`` (a long document makes a
    longer slice).

    >>> _slices_of_docs(np.array([0, 3, 4, 9, 10]), 4).tolist()  # items 4 and 8: document 2
    [0, 2, 4]
    """
    n = len(bounds) - 1
    total = int(bounds[-1])
    inner = np.searchsorted(bounds, np.arange(at_once, total, at_once), side="right") - 1
    return np.unique(np.r_[0, inner, n]).astype(np.int64)


def _sorted_unique(x: np.ndarray) -> np.ndarray:
    """Distinct values of an integer array, sorted (a sort and a neighbour test: numpy's own
    ``np.unique`` hashes first and is many times slower on millions of values)."""
    if not len(x):
        return x
    s = np.sort(x)
    keep = np.empty(len(s), dtype=bool)
    keep[0] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    return s[keep]


def _shingles(docs: pa.Array, k: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct word-shingle ids per document.

    Returns ``(doc, shingle, n_shingles)``: ``doc`` and ``shingle`` (dense ids) of every distinct
    (document, shingle) pair sorted by document then shingle, and the set size of each document.
    """
    n_docs = len(docs)
    offsets, tok, n_vocab = _tokens(docs)
    rng = np.random.default_rng(seed)
    tok_hash = rng.integers(1, np.iinfo(np.int64).max, size=n_vocab, dtype=np.int64)
    tok_hash = tok_hash.astype(np.uint64)
    n_tok = np.diff(offsets)
    counts = np.maximum(n_tok - k + 1, 1)
    n_pairs = int(counts.sum(dtype=np.int64))
    # shingle hash: h = sum_j tok_hash[token j] * B^(k-1-j), the k tokens from the shingle's
    # start; a text shorter than k is one shingle whose missing tokens count 0.  Computed over
    # the token array (k shifted slices, the tokens past the end counting 0) a slice of
    # positions at a time, of which the shingle starts are kept: shingle i of text d starts at
    # token offsets[d] + i, i < counts[d] (every text has a token: see _tokens)
    base = np.uint64(0x100000001B3)
    n_vals = len(tok)
    edge = np.zeros(n_vals + 1, dtype=np.int8)
    np.add.at(edge, offsets[:-1] + counts, 1)
    np.add.at(edge, offsets[1:], -1)
    is_start = np.cumsum(edge[:-1], dtype=np.int8) == 0
    del edge
    h = np.empty(n_pairs, dtype=np.uint64)
    filled = 0
    acc = None
    with np.errstate(over="ignore"):
        for lo in range(0, n_vals, _TOKENS_AT_ONCE):
            hi = min(lo + _TOKENS_AT_ONCE, n_vals)
            acc = np.zeros(hi - lo, dtype=np.uint64)
            for j in range(k):
                np.multiply(acc, base, out=acc)
                m = max(min(hi, n_vals - j) - lo, 0)  # the positions with a j-th token
                if m:
                    np.add(acc[:m], tok_hash[tok[lo + j:lo + j + m]], out=acc[:m])
            picked = acc[is_start[lo:hi]]
            h[filled:filled + len(picked)] = picked
            filled += len(picked)
        del is_start, acc
        full = n_tok >= k
        short = np.flatnonzero(~full)
        if len(short):  # texts shorter than k tokens: their tokens, the rest 0
            at = (np.cumsum(counts) - counts)[short]  # one shingle each, its first
            hs = np.zeros(len(short), dtype=np.uint64)
            for j in range(k):
                pos = offsets[:-1][short] + j
                ok = pos < offsets[1:][short]
                v = np.where(ok, tok_hash[tok[np.minimum(pos, max(n_vals - 1, 0))]] if n_vals else 0, 0)
                hs = hs * base + v.astype(np.uint64)
            h[at] = hs
        del tok
        h = _mix64(h, inplace=True)
    codes, distinct = pd.factorize(h)
    del h
    n_sh = len(distinct)
    del distinct  # a value per distinct shingle, not needed past its count
    # distinct pairs sorted by document, then shingle: the keys are in document order already,
    # so a stable sort (a merge of sorted runs) orders them much faster than a quicksort.  The
    # key doc * n_sh + shingle is written into the codes, a slice of documents at a time
    key = codes
    del codes
    at = 0
    width = np.int64(max(n_sh, 1))
    for lo in range(0, n_docs, _DOCS_AT_ONCE):
        hi = min(lo + _DOCS_AT_ONCE, n_docs)
        doc_ids = np.repeat(np.arange(lo, hi, dtype=np.int64), counts[lo:hi])
        doc_ids *= width
        key[at:at + len(doc_ids)] += doc_ids
        at += len(doc_ids)
    key.sort(kind="stable")
    if len(key):
        keep = np.empty(len(key), dtype=bool)
        keep[0] = True
        np.not_equal(key[1:], key[:-1], out=keep[1:])
        key = key[keep]
        del keep
    # ids as int32 when they fit (they are kept through the whole near-duplicate stage)
    small = max(n_docs, n_sh) < np.iinfo(np.int32).max
    doc = np.empty(len(key), dtype=np.int32 if small else np.int64)
    np.floor_divide(key, width, out=doc, casting="unsafe")  # no int64 temporaries
    np.remainder(key, width, out=key)
    shingle = key.astype(np.int32 if small else np.int64, copy=False)
    del key
    return doc, shingle, np.bincount(doc, minlength=n_docs)


#: (doc, shingle) pairs gathered at a time per permutation (cut at a document's end)
_PAIRS_AT_ONCE = 1 << 21


def _signatures(
    doc: np.ndarray, shingle: np.ndarray, n_docs: int, num_perm: int, seed: int
) -> np.ndarray:
    """MinHash signature matrix (``n_docs x num_perm``, uint32) from (doc, shingle) pairs.

    Permutation ``p`` gives every distinct shingle a pseudo-random 32-bit value (a hash of the
    shingle id and a per-permutation salt), and a document's entry is the smallest value among
    its shingles: one gather and one ``minimum.reduceat`` over the pairs per permutation, column
    by column (a pass over a ``pairs x num_perm`` block costs several times more).  The pairs
    are gathered :data:`_PAIRS_AT_ONCE` at a time (whole documents), so the temporaries are the
    size of a slice, not of all the pairs.
    """
    n_sh = int(shingle.max()) + 1 if len(shingle) else 0
    rng = np.random.default_rng(seed + 1)
    salt = rng.integers(1, 1 << 62, size=num_perm, dtype=np.uint64)
    sig = np.empty((num_perm, n_docs), dtype=np.uint32)
    if not len(doc):
        sig[:] = np.iinfo(np.uint32).max
        return sig.T
    bounds = np.r_[np.searchsorted(doc, np.arange(n_docs)), len(doc)]  # document d: [d, d+1)
    # slices of whole documents, documents [cut[c], cut[c + 1]): each cut is at the start of
    # the document holding pair k * _PAIRS_AT_ONCE (a long document makes a longer slice)
    cut = _slices_of_docs(bounds, _PAIRS_AT_ONCE)
    longest = int(np.diff(bounds[cut]).max())
    golden = np.uint64(0x9E3779B97F4A7C15)

    def fill(perms: range) -> None:
        value = np.empty(n_sh, dtype=np.uint32)
        picked = np.empty(longest, dtype=np.uint32)
        with np.errstate(over="ignore"):
            for p in perms:
                for lo in range(0, n_sh, _MIX_AT_ONCE):  # the shingles' values, a slice at a time
                    ids = np.arange(lo, min(lo + _MIX_AT_ONCE, n_sh), dtype=np.uint64)
                    ids *= golden
                    ids ^= salt[p]
                    mixed = _mix64(ids, inplace=True)
                    value[lo:lo + len(ids)] = np.right_shift(mixed, np.uint64(32), out=mixed)
                for d0, d1 in itertools.pairwise(cut):
                    a, b = bounds[d0], bounds[d1]
                    got = picked[:b - a]
                    np.take(value, shingle[a:b], out=got, mode="clip")  # the ids are in range
                    np.minimum.reduceat(got, bounds[d0:d1] - a, out=sig[p, d0:d1])

    if len(shingle) < _THREAD_MIN_PAIRS or num_perm < 2:
        fill(range(num_perm))
    else:  # two threads, half of the permutations each (numpy's loops release the GIL)
        half = num_perm // 2
        with ThreadPoolExecutor(max_workers=1) as pool:
            other = pool.submit(fill, range(half, num_perm))
            fill(range(half))
            other.result()
    return sig.T


def _explode(docs: np.ndarray, doc_start: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For the shingle sets of ``docs`` laid end to end: the index into ``docs`` and the position
    in the (doc, shingle) pairs of every element."""
    cnt = sizes[docs]
    owner = np.repeat(np.arange(len(docs), dtype=np.int64), cnt)
    pos = np.arange(int(cnt.sum()), dtype=np.int64) - np.repeat(
        np.cumsum(cnt) - cnt - doc_start[docs], cnt
    )
    return owner, pos


#: shingles looked up at a time by :func:`_intersections` (its slice-sized temporaries)
_PROBES_AT_ONCE = 1 << 20


def _intersections(pairs: np.ndarray, shingle: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Size of the intersection of the shingle sets of each (i, j) row of ``pairs``.

    ``shingle`` holds the (doc, shingle) pairs' shingles, sorted by document, ``sizes`` the
    number of each document's (see :func:`_shingles`).

    The ``j`` of candidate pairs are bucket representatives, few of them: their shingles form one
    small hash table of ``(representative, shingle)`` keys, and every shingle of every ``i`` is
    looked up in it (a hash probe into a table that stays in cache, not a binary search over
    all the pairs).
    """
    if not len(pairs):
        return np.zeros(0)
    n_sh = int(shingle.max()) + 1
    # where each document's pairs begin (a sum over the documents, not a search over the pairs)
    doc_start = np.r_[0, np.cumsum(sizes, dtype=np.int64)]
    reps, rep_of = np.unique(pairs[:, 1], return_inverse=True)
    rid, rpos = _explode(reps, doc_start, sizes)
    # one hash table, built once (an Index's engine) and probed slice by slice
    table = pd.Index(rid * n_sh + shingle[rpos], copy=False)
    out = np.empty(len(pairs))
    step = max(1, _PROBES_AT_ONCE // max(int(sizes.max()), 1))
    for p0 in range(0, len(pairs), step):
        xs = pairs[p0 : p0 + step, 0]
        pid, pos = _explode(xs, doc_start, sizes)
        probe = rep_of[p0 : p0 + step][pid] * n_sh + shingle[pos]
        found = table.get_indexer(probe) >= 0
        out[p0 : p0 + step] = np.bincount(pid, weights=found, minlength=len(xs))
    return out


def _components(n: int, edges: np.ndarray) -> np.ndarray:
    """Union-find by label propagation: each node's label is the smallest node of its component."""
    label = np.arange(n, dtype=np.int64)
    if not len(edges):
        return label
    i, j = edges[:, 0], edges[:, 1]
    while True:
        li, lj = label[i], label[j]
        if np.array_equal(li, lj):
            return label
        m = np.minimum(li, lj)
        np.minimum.at(label, i, m)
        np.minimum.at(label, j, m)
        while True:  # pointer jumping
            nxt = label[label]
            if np.array_equal(nxt, label):
                break
            label = nxt


def _bucket_codes(key: np.ndarray) -> np.ndarray:
    """The buckets of equal ``key`` values, numbered by first appearance (int32 when they fit):
    all that the candidate search needs of a band's keys, in half their memory."""
    codes, _ = pd.factorize(key)
    return codes.astype(np.int32) if len(codes) < np.iinfo(np.int32).max else codes


def _first_of_codes(codes: np.ndarray) -> np.ndarray:
    """For each element, the index of the first element with the same code, where the codes are
    numbered by first appearance (:func:`_bucket_codes`).

    >>> _first_of_codes(np.array([0, 1, 0, 2, 1]))
    array([0, 1, 0, 3, 1])
    """
    if not len(codes):
        return np.zeros(0, dtype=np.int64)
    top = np.maximum.accumulate(codes)
    new = np.empty(len(codes), dtype=bool)
    new[:1] = True
    np.greater(top[1:], top[:-1], out=new[1:])
    return np.flatnonzero(new)[codes]


def _first_of_bucket(key: np.ndarray) -> np.ndarray:
    """For each element, the index of the first element with the same key."""
    return _first_of_codes(_bucket_codes(key))


@dataclass(frozen=True)
class _Sketch:
    """What the near-duplicate stage needs of the texts before their reply classes are known:
    the shingles of the (doc, shingle) pairs and the set sizes (see :func:`_shingles`; the
    pairs' documents follow from the sizes), and the LSH bucket of every text in every band
    (``buckets[b]``, the band's keys numbered by first appearance, :func:`_bucket_codes`)."""

    shingle: np.ndarray
    sizes: np.ndarray
    buckets: list[np.ndarray]


def _sketch(docs: pa.Array, config: TemplateConfig) -> _Sketch:
    """Shingles, MinHash signatures and the class-blind LSH buckets of ``docs``."""
    doc, shingle, sizes = _shingles(docs, config.shingle_size, config.seed)
    release_memory()  # the token-level arrays' pages, before the signatures' own
    sig = _signatures(doc, shingle, len(docs), config.num_perm, config.seed)
    del doc  # the pairs' documents: the sizes say where each one's pairs begin
    rng = np.random.default_rng(config.seed + 2)
    mult = rng.integers(1, 1 << 62, size=config.rows, dtype=np.uint64) | np.uint64(1)
    buckets = []
    with np.errstate(over="ignore"):
        for b in range(config.bands):
            block = sig[:, b * config.rows : (b + 1) * config.rows]
            buckets.append(_bucket_codes(
                (block.astype(np.uint64) * mult[None, :]).sum(axis=1, dtype=np.uint64)
            ))
    return _Sketch(shingle=shingle, sizes=sizes, buckets=buckets)


def _needs_sketch(n: int, config: TemplateConfig) -> bool:
    return n >= 2 and config.near_duplicates


def _near_duplicate_roots(
    docs: pa.Array, group_class: np.ndarray, config: TemplateConfig, sketch: _Sketch | None = None
) -> np.ndarray:
    """For each distinct masked text (in first-appearance order), the index of its template root.

    ``sketch`` is :func:`_sketch` of ``docs`` when computed already (it does not depend on the
    reply classes, so it can be computed while they are).
    """
    n = len(docs)
    if not _needs_sketch(n, config):
        return np.arange(n, dtype=np.int64)
    sk = sketch if sketch is not None else _sketch(docs, config)
    shingle, sizes = sk.shingle, sk.sizes
    n_classes = np.int64(int(group_class.max(initial=0)) + 1)
    # Bands are taken in rounds (1, 1, 2, 4, ... bands); a candidate pair is checked only when
    # its two variants are not yet connected by checked pairs of one class and it was not
    # checked before.  Skipping the others changes no component: a pair inside a component of
    # one class joins nothing new, whatever its similarity (see _join_by_polarity).
    label = np.arange(n, dtype=np.int64)  # components of the same-class edges found so far
    checked = np.zeros(0, dtype=np.int64)  # keys i * n + j of the pairs checked, sorted
    found: list[np.ndarray] = []
    band, step = 0, 1
    at_n = np.arange(n)
    while band < config.bands:
        cand = []
        for b in range(band, min(band + step, config.bands)):
            # class-aware: candidates within a class, and (for the variants of another class
            # that may join, see _join_by_polarity) candidates across classes
            bucket = sk.buckets[b]
            # a bucket of one class: the pair (bucket, class) numbered by first appearance
            reps = ([_first_of_bucket(bucket.astype(np.int64) * n_classes + group_class)]
                    if config.class_aware else [])
            for rep in [*reps, _first_of_codes(bucket)]:
                sel = np.flatnonzero((rep != at_n) & (label != label[rep]))
                cand.append(sel * n + rep[sel])
        band, step = band + step, step if band == 0 else step * 2
        flat_pairs = _sorted_unique(np.concatenate(cand))
        if len(checked):
            at = np.minimum(np.searchsorted(checked, flat_pairs), len(checked) - 1)
            flat_pairs = flat_pairs[checked[at] != flat_pairs]
        if not len(flat_pairs):
            continue
        # two sorted runs without a common value: a stable sort merges them in one pass
        checked = np.sort(np.concatenate([checked, flat_pairs]), kind="stable")
        pairs = np.stack([flat_pairs // n, flat_pairs % n], axis=1)
        inter = _intersections(pairs, shingle, sizes)
        a, b = sizes[pairs[:, 0]], sizes[pairs[:, 1]]
        jaccard = inter / (a + b - inter)
        smaller = np.minimum(a, b)
        contained = (inter >= config.containment_threshold * smaller) & (
            smaller >= config.min_containment_shingles
        )
        new = pairs[(jaccard >= config.jaccard_threshold) | contained]
        found.append(new)
        if config.class_aware:
            new = new[group_class[new[:, 0]] == group_class[new[:, 1]]]
        joined = label[new]
        label = _components(n, joined)[label]
    edges = np.concatenate(found) if found else np.zeros((0, 2), dtype=np.int64)
    if not config.class_aware:
        return _components(n, edges)
    return _join_by_polarity(n, edges, group_class)


#: polarity of a reply class for grouping: acceptance and denial never share a template
_POLARITY = {"acceptance": 1, "denial": 2}


def _join_by_polarity(n: int, edges: np.ndarray, group_class: np.ndarray) -> np.ndarray:
    """Components of the similar pairs, where a template never holds opposite decisions.

    Variants of one class join first; then a variant whose class is neither acceptance nor
    denial (an added or missing closing sentence such as "Our decision is final." changes the
    class of a copy) joins a similar one of another class, unless that would put an acceptance
    and a denial into one template ("has been reinstated" / "has been deactivated").
    """
    names = list(REPLY_CLASSES) + ["other"]
    pol_of_code = np.array([_POLARITY.get(c, 0) for c in names], dtype=np.int64)
    pol = pol_of_code[np.minimum(group_class, len(names) - 1)]
    same = group_class[edges[:, 0]] == group_class[edges[:, 1]]
    label = _components(n, edges[same])
    cross = edges[~same]
    cross = cross[(pol[cross[:, 0]] == 0) | (pol[cross[:, 1]] == 0)
                  | (pol[cross[:, 0]] == pol[cross[:, 1]])]
    if not len(cross):
        return label
    # union-find over the components, with the set of polarities each holds (bit mask)
    parent = np.arange(n, dtype=np.int64)
    mask = np.zeros(n, dtype=np.int64)
    np.bitwise_or.at(mask, label, np.where(pol > 0, 1 << pol, 0))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = int(parent[x])
        return x

    order = np.lexsort((cross[:, 1], cross[:, 0]))
    for a, b in cross[order]:
        ra, rb = find(int(label[a])), find(int(label[b]))
        if ra == rb or (mask[ra] | mask[rb]) == 0b110:
            continue
        lo, hi = min(ra, rb), max(ra, rb)
        parent[hi] = lo
        mask[lo] |= mask[hi]
    uniq = _sorted_unique(label)
    root = np.array([find(int(x)) for x in uniq], dtype=np.int64)
    return root[np.searchsorted(uniq, label)]
