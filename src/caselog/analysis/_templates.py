"""Canned templates: mask the variable parts of Amazon replies, then group near-duplicates.

The recipe:

1. **mask** every Amazon message body (:func:`mask_text`): greetings and sign-offs go, e-mails,
   URLs, order IDs, ASINs, case IDs, dates, amounts and other numbers become placeholders;
2. **exact groups**: identical masked texts form one *variant*;
3. **near-duplicates**: one MinHash signature per variant (numpy, word shingles), LSH bands give
   candidate pairs -- each variant is compared with its bucket's representative only, never with
   every member of a bucket -- and every candidate pair's *true* Jaccard similarity of the shingle
   sets is checked before the two variants are joined (union-find). The bands are taken in
   rounds, and a pair that checked pairs of one class already connect is not checked again (it
   could join nothing new), so a million edited copies of a few hundred templates cost a few
   checks each. Shingles are taken on
   normalised tokens (punctuation folded, so "has been assigned." and "has been assigned" are
   one wording's tokens). Variants of one reply class join first; a variant of another class
   joins when it is neither acceptance nor denial (a copy that adds "Our decision is final."),
   but an acceptance and a denial never share a template ("your account has been reinstated" and
   "... has been deactivated" share almost every word);
4. **one class per template**: messages classified by their text take their template's most
   common class, so canned repeats count across the variants of a template;
5. the connected variants form a **template**; ``template_id`` numbers templates by first
   appearance in ``(sent_at, message_id)`` order, ``variant_id`` numbers the exact masked wordings
   inside a template the same way.

A **canned repeat** is an Amazon message whose template already appeared earlier in the same case;
a **repeat canned denial** is a canned repeat whose reply class is ``denial``.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from .._memory import release_memory, uses_arrow_pool
from ..errors import ConfigError, SchemaError
from ..model import CaseLog
from ..schema import REPLY_CLASSES
from ._frame import messages_of
from ._masking import PLACEHOLDERS, mask_rows, mask_text
from ._neardup import _near_duplicate_roots, _needs_sketch, _Sketch, _sketch, _sorted_unique
from ._replyclass import ReplyPatterns, reply_classes

__all__ = [
    "TemplateConfig",
    "TemplateResult",
    "mask_text",
    "find_templates",
    "evaluate_templates",
    "PLACEHOLDERS",
]

# --------------------------------------------------------------------------------------------
# configuration and result
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateConfig:
    """How :func:`find_templates` groups masked texts.

    Parameters
    ----------
    num_perm : int
        MinHash permutations (signature length).
    bands, rows : int
        LSH banding: ``bands * rows <= num_perm``; two variants become a candidate pair when all
        ``rows`` values of one band agree. With 32 x 2 a pair with Jaccard 0.5 is a candidate with
        probability 0.9999, one with 0.3 with 0.95 (candidates are cheap: each is checked against
        one bucket representative, and the check is exact).
    shingle_size : int
        Words per shingle (texts shorter than this are one shingle).
    jaccard_threshold : float
        A candidate pair is joined when the true Jaccard similarity of its shingle sets is at
        least this ...
    containment_threshold, min_containment_shingles : float, int
        ... or when at least this share of the smaller set's shingles is in the larger set and the
        smaller set has at least ``min_containment_shingles`` shingles: a reply with one added
        sentence is a variant of the reply without it, however short the reply.
    seed : int
        Seed of the MinHash permutations (results are deterministic for a seed).
    class_aware : bool
        Never join variants whose (most common) reply classes differ.
    near_duplicates : bool
        False groups exact masked duplicates only.
    """

    num_perm: int = 64
    bands: int = 32
    rows: int = 2
    shingle_size: int = 3
    jaccard_threshold: float = 0.6
    containment_threshold: float = 0.9
    min_containment_shingles: int = 12
    seed: int = 20260101
    class_aware: bool = True
    near_duplicates: bool = True

    def __post_init__(self) -> None:
        for name in ("num_perm", "bands", "rows", "shingle_size"):
            value = getattr(self, name)
            if not isinstance(value, int | np.integer) or value < 1:
                raise ConfigError(f"TemplateConfig.{name} must be a positive integer, got {value!r}")
        if self.bands * self.rows > self.num_perm:
            raise ConfigError(
                f"TemplateConfig: bands * rows ({self.bands} * {self.rows}) exceeds num_perm "
                f"({self.num_perm})"
            )
        for name in ("jaccard_threshold", "containment_threshold"):
            value = getattr(self, name)
            if not 0.0 < float(value) <= 1.0:
                raise ConfigError(f"TemplateConfig.{name} must be in (0, 1], got {value!r}")


@dataclass(frozen=True)
class TemplateResult:
    """What :func:`find_templates` returns.

    Attributes
    ----------
    messages : pandas.DataFrame
        One row per Amazon message, in ``case_id, sent_at, message_id`` order: ``message_id,
        case_id, template_id`` (Int64; ``<NA>`` when the masked body is empty, e.g. a logged
        call without notes), ``variant_id`` (Int64, 1 = the template's first-seen wording),
        ``reply_class``, ``is_canned_repeat``, ``is_repeat_denial``.
    catalogue : pandas.DataFrame
        One row per template: ``template_id, text`` (its most common masked wording),
        ``n_messages, n_cases, n_accounts, teams`` (sorted, ``", "``-joined), ``first_seen,
        last_seen, reply_class`` (most common), ``n_variants``; most used first.
    cases : pandas.DataFrame
        One row per case with Amazon messages: ``case_id, amazon_messages, canned_repeats,
        repeat_canned_denials, longest_canned_run``.
    variants : pandas.DataFrame
        One row per variant: ``template_id, variant_id, text, n_messages``.
    """

    messages: pd.DataFrame
    catalogue: pd.DataFrame
    cases: pd.DataFrame
    variants: pd.DataFrame


# --------------------------------------------------------------------------------------------
# find_templates
# --------------------------------------------------------------------------------------------

_NEEDED = ("message_id", "case_id", "sent_at", "direction", "body")


def _kind_classes(kind: pd.Series, patterns: ReplyPatterns) -> np.ndarray:
    """Reply class named by each ``kind`` label (``""`` when none), one lookup per distinct label."""
    codes, uniques = pd.factorize(kind.astype("str").fillna(""))
    named = patterns.kind_class(pd.Series(uniques, dtype="str")).to_numpy(dtype=object)
    return named[codes] if len(named) else np.full(len(codes), "", dtype=object)


def _class_codes(values: np.ndarray, class_order: dict[str, int]) -> np.ndarray:
    """Position of each reply class in ``class_order`` (``len(class_order)`` when not in it),
    looked up once per distinct value."""
    codes, uniques = pd.factorize(values)
    lut = np.array([class_order.get(u, len(class_order)) for u in uniques] + [len(class_order)],
                   dtype=np.int64)
    return lut[codes]  # a missing value (code -1) takes the last entry


def _first_per_key(key: np.ndarray) -> np.ndarray:
    """True where ``key`` occurs for the first time (in array order)."""
    _, first = np.unique(key, return_index=True)
    out = np.zeros(len(key), dtype=bool)
    out[first] = True
    return out


@uses_arrow_pool
def find_templates(
    log: CaseLog | pd.DataFrame,
    *,
    config: TemplateConfig | None = None,
    patterns: ReplyPatterns | None = None,
) -> TemplateResult:
    """Group Amazon replies into templates and count canned repeats per case.

    Parameters
    ----------
    log : CaseLog or pandas.DataFrame
        A case log, or its ``messages`` table. Needs ``message_id, case_id, sent_at, direction,
        body``; uses ``account``, ``team``, ``kind`` and ``subject`` when present.
    config : TemplateConfig, optional
        Grouping parameters (defaults: 64 permutations, 32 bands x 2 rows, word 3-shingles,
        Jaccard >= 0.6 or 90 % containment, class-aware).
    patterns : ReplyPatterns, optional
        Reply-class rules (see :func:`caselog.classify_replies`).

    Returns
    -------
    TemplateResult
        ``.messages`` (``message_id, case_id, template_id, variant_id, reply_class,
        is_canned_repeat, is_repeat_denial``), ``.catalogue`` (``template_id, text, n_messages,
        n_cases, n_accounts, teams, first_seen, last_seen, reply_class, n_variants``), ``.cases``
        (``case_id, amazon_messages, canned_repeats, repeat_canned_denials,
        longest_canned_run``) and ``.variants``. See :class:`TemplateResult`.

    Notes
    -----
    Amazon messages whose masked body is empty get no template (``<NA>``) and are never canned
    repeats. ``longest_canned_run`` counts consecutive canned repeats among a case's Amazon
    messages; seller messages in between do not break a run (that is the "generic loop" of
    rule 6 of docs/domain.md). The reply class of a message is its ``kind`` when that names a class, else
    the class of its masked text (:func:`caselog.classify_replies`).

    Examples
    --------
    >>> import caselog
    >>> result = caselog.find_templates(caselog.sample.generate(n_cases=30).log)
    >>> list(result.cases.columns)
    ['case_id', 'amazon_messages', 'canned_repeats', 'repeat_canned_denials', 'longest_canned_run']
    """
    config = config or TemplateConfig()
    patterns = patterns or ReplyPatterns.default()
    messages = messages_of(log, _NEEDED, "find_templates()")
    am = _canonical_order(messages)
    exact = _exact(mask_rows(messages["body"], am.amazon, am.order), am)
    release_memory()  # masking's Arrow pages and the per-message masked texts
    return _group_masked(messages, am, exact, config, patterns)


@uses_arrow_pool
def templates_from_masked(
    log: CaseLog | pd.DataFrame,
    masked_rows: pa.Array,
    config: TemplateConfig | None = None,
    patterns: ReplyPatterns | None = None,
) -> TemplateResult:
    """:func:`find_templates` of ``log`` given its masked Amazon bodies.

    The entry point of a partitioned run (:func:`caselog.analyse_partitioned`): the costly
    masking runs per partition, and the grouping -- exact variants, near-duplicates, ids by first
    appearance -- runs once over all of them here, exactly as :func:`find_templates` runs it.

    Parameters
    ----------
    log : CaseLog or pandas.DataFrame
        As for :func:`find_templates`.
    masked_rows : pyarrow.Array
        :func:`mask_text` of the Amazon bodies, one string per Amazon message in row order of
        ``log.messages``.
    config, patterns
        As for :func:`find_templates`.

    Returns
    -------
    TemplateResult
        The same as ``find_templates(log, config=config, patterns=patterns)``.
    """
    config = config or TemplateConfig()
    patterns = patterns or ReplyPatterns.default()
    messages = messages_of(log, _NEEDED, "find_templates()")
    am = _canonical_order(messages)
    if len(masked_rows) != len(am.order):
        raise ConfigError(
            f"templates_from_masked: {len(masked_rows)} masked bodies for {len(am.order)} "
            "Amazon messages"
        )
    taken = masked_rows.take(pa.array(am.order, pa.int64())).cast(pa.large_string())
    exact = _exact(pd.Series(pd.arrays.ArrowStringArray(
        pa.chunked_array([taken]), dtype=pd.StringDtype("pyarrow", na_value=np.nan)
    )), am)
    del taken
    return _group_masked(messages, am, exact, config, patterns)


@dataclass(frozen=True)
class _Amazon:
    """The Amazon messages of a messages table in canonical order (``case_id, sent_at,
    message_id``): ``order`` puts the Amazon rows (taken in row order) into it; ``pos`` are their
    rows, ``case`` codes into the sorted ``case_names``, ``sent`` (ns) and ``mid``."""

    amazon: np.ndarray
    order: np.ndarray
    pos: np.ndarray
    case: np.ndarray
    case_names: pd.Index
    sent: np.ndarray
    mid: np.ndarray


def _canonical_order(messages: pd.DataFrame) -> _Amazon:
    amazon = (messages["direction"].astype("str") == "amazon").to_numpy(dtype=bool, na_value=False)
    pos = np.flatnonzero(amazon)
    case_codes_all, case_names = pd.factorize(
        messages["case_id"].astype("str").fillna(""), sort=True
    )
    case = case_codes_all[pos]
    sent = messages["sent_at"].to_numpy(dtype="datetime64[ns]")[pos].view(np.int64)
    mid = messages["message_id"].to_numpy()[pos]
    order = np.lexsort((mid, sent, case))
    return _Amazon(amazon=amazon, order=order, pos=pos[order], case=case[order],
                   case_names=case_names, sent=sent[order], mid=mid[order])


#: variants from which their reply classes and the near-duplicate sketch are computed side by
#: side on two threads
_OVERLAP_MIN_TEXTS = 5_000


def _classes_and_sketch(
    texts: pd.Series, docs: pa.Array, patterns: ReplyPatterns, config: TemplateConfig
) -> tuple[np.ndarray, _Sketch | None]:
    """Reply class of each variant's text, and the near-duplicate sketch of the texts (``None``
    when there is no near-duplicate stage).

    Neither needs the other, so with many variants the classes are matched on a second thread
    while the sketch is computed (Arrow's regexes and numpy's loops release the GIL); the result
    is the same either way.
    """
    if not _needs_sketch(len(docs), config):
        return patterns.classify_text(texts).to_numpy(dtype=object), None
    if len(docs) < _OVERLAP_MIN_TEXTS:
        return patterns.classify_text(texts).to_numpy(dtype=object), _sketch(docs, config)
    with ThreadPoolExecutor(max_workers=1) as pool:
        classes = pool.submit(patterns.classify_text, texts)
        sketch = _sketch(docs, config)
        return classes.result().to_numpy(dtype=object), sketch


@dataclass(frozen=True)
class _Exact:
    """The masked Amazon bodies as exact groups (variants): ``has_text`` per message (the masked
    body is not empty), ``g_raw`` the variant of each message (-1 without text), numbered by
    first appearance in ``(sent_at, message_id)`` order, and ``texts`` the variants' masked
    texts in that order.  The per-message texts themselves are not kept."""

    has_text: np.ndarray
    g_raw: np.ndarray
    texts: pd.Series


def _exact(masked: pd.Series, am: _Amazon) -> _Exact:
    """:class:`_Exact` of ``masked``, the masked Amazon bodies in the canonical order of ``am``."""
    n = len(am.pos)
    masked = masked.reset_index(drop=True)
    has_text = (masked != "").to_numpy(dtype=bool)
    codes, uniques = pd.factorize(masked[has_text])
    del masked
    g_raw = np.full(n, -1, dtype=np.int64)
    n_groups = len(uniques)
    time_rank = np.empty(n, dtype=np.int64)
    time_rank[np.lexsort((am.mid, am.sent))] = np.arange(n)
    first = np.full(n_groups, n, dtype=np.int64)
    np.minimum.at(first, codes, time_rank[has_text])
    perm = np.argsort(first, kind="stable")
    renumber = np.empty(n_groups, dtype=np.int64)
    renumber[perm] = np.arange(n_groups)
    g_raw[has_text] = renumber[codes]
    texts = pd.Series(pd.array(uniques, dtype="str").take(perm), dtype="str")
    return _Exact(has_text=has_text, g_raw=g_raw, texts=texts)


def _group_masked(
    messages: pd.DataFrame,
    am: _Amazon,
    exact: _Exact,
    config: TemplateConfig,
    patterns: ReplyPatterns,
) -> TemplateResult:
    """The grouping of :func:`find_templates`: ``exact`` holds the exact groups of the masked
    Amazon bodies in the canonical order of ``am``."""
    pos, case, case_names, sent, mid = am.pos, am.case, am.case_names, am.sent, am.mid
    n = len(pos)
    has_text, g_raw, texts = exact.has_text, exact.g_raw, exact.texts
    n_groups = len(texts)

    # reply classes: the kind label, else the class of the variant's text
    docs = pa.array(texts).cast(pa.large_string()) if n_groups else pa.array([], pa.large_string())
    text_class, sketch = _classes_and_sketch(texts, docs, patterns, config)
    cls = (
        _kind_classes(messages["kind"].iloc[pos], patterns)
        if patterns.use_kind and "kind" in messages.columns
        else np.full(n, "", dtype=object)
    )
    need = cls == ""
    cls[need & has_text] = text_class[g_raw[need & has_text]]
    blank = need & ~has_text
    if blank.any():  # empty body: the subject stands in (as in classify_replies)
        cls[blank] = reply_classes(messages.iloc[pos[blank]], patterns).to_numpy(
            dtype=object
        )
    class_order = {c: i for i, c in enumerate(REPLY_CLASSES)}
    group_class = _class_codes(text_class, class_order)

    roots = _near_duplicate_roots(docs, group_class, config, sketch)
    del docs, sketch  # the shingles and signatures: the rest is per message and per variant
    release_memory()
    # template ids: roots numbered by first appearance (a root is its component's first variant)
    root_rank = np.zeros(n_groups, dtype=np.int64)
    distinct_roots = _sorted_unique(roots)
    root_rank[distinct_roots] = np.arange(1, len(distinct_roots) + 1)
    template_of_group = root_rank[roots]
    variant_of_group = np.zeros(n_groups, dtype=np.int64)
    if n_groups:
        g_order = np.lexsort((np.arange(n_groups), template_of_group))
        t_sorted = template_of_group[g_order]
        starts = np.r_[0, np.flatnonzero(np.diff(t_sorted)) + 1]
        run_start = np.repeat(starts, np.diff(np.r_[starts, n_groups]))
        variant_of_group[g_order] = np.arange(n_groups) - run_start + 1
    tid = np.zeros(n, dtype=np.int64)
    vid = np.zeros(n, dtype=np.int64)
    tid[has_text] = template_of_group[g_raw[has_text]]
    vid[has_text] = variant_of_group[g_raw[has_text]]

    # one template, one class: a message classified by its text takes its template's most
    # common text class (ties: REPLY_CLASSES order), so a copy with an added closing sentence
    # counts as the same reply as the others; a kind label that names a class still wins
    from_text = need & has_text
    if from_text.any():
        names_ext = list(REPLY_CLASSES) + ["other"]
        codes_t = _class_codes(cls[from_text], class_order)
        n_tt = int(tid.max(initial=0)) + 1
        counts = np.zeros((n_tt, len(names_ext)), dtype=np.int64)
        np.add.at(counts, (tid[from_text], codes_t), 1)
        cls[from_text] = np.asarray(names_ext, dtype=object)[counts.argmax(axis=1)][tid[from_text]]

    # canned repeats: the (case, template) pair was seen before in the case (canonical order)
    n_t = int(tid.max(initial=0)) + 1
    first = _first_per_key(case.astype(np.int64) * n_t + tid)
    repeat = has_text & ~first
    repeat_denial = repeat & (cls == "denial")

    class_codes, class_names = pd.factorize(cls)
    out = pd.DataFrame(
        {
            "message_id": mid,
            "case_id": case_names.take(case).astype("str") if n else pd.array([], dtype="str"),
            "template_id": pd.arrays.IntegerArray(tid, ~has_text),
            "variant_id": pd.arrays.IntegerArray(vid, ~has_text),
            "reply_class": (
                pd.array(class_names, dtype="str").take(class_codes) if n
                else pd.array([], dtype="str")
            ),
            "is_canned_repeat": repeat,
            "is_repeat_denial": repeat_denial,
        }
    )
    cases = _case_counts(case, case_names, repeat, repeat_denial)
    catalogue, variants = _catalogue(
        messages, pos, case, sent, tid, vid, has_text, g_raw, texts, cls, class_order
    )
    return TemplateResult(messages=out, catalogue=catalogue, cases=cases, variants=variants)


def _case_counts(
    case: np.ndarray, case_names: pd.Index, repeat: np.ndarray, repeat_denial: np.ndarray
) -> pd.DataFrame:
    """Per-case counts; ``case`` (sorted codes) and flags are in canonical order."""
    n_cases = len(case_names)
    amazon_messages = np.bincount(case, minlength=n_cases)
    canned = np.bincount(case, weights=repeat, minlength=n_cases).astype(np.int64)
    denials = np.bincount(case, weights=repeat_denial, minlength=n_cases).astype(np.int64)
    # runs of consecutive canned repeats within a case
    longest = np.zeros(n_cases, dtype=np.int64)
    if len(case):
        case_change = np.r_[True, case[1:] != case[:-1]]
        run_id = np.cumsum(~repeat | case_change)
        run_len = np.bincount(run_id, weights=repeat)
        run_case = np.zeros(len(run_len), dtype=np.int64)
        run_case[run_id] = case
        np.maximum.at(longest, run_case, run_len.astype(np.int64))
    keep = amazon_messages > 0
    return pd.DataFrame(
        {
            "case_id": pd.array(np.asarray(case_names)[keep], dtype="str"),
            "amazon_messages": amazon_messages[keep].astype(np.int64),
            "canned_repeats": canned[keep],
            "repeat_canned_denials": denials[keep],
            "longest_canned_run": longest[keep],
        }
    )


def _count_distinct(tid: np.ndarray, other: np.ndarray, n_t: int) -> np.ndarray:
    """Number of distinct ``other`` values per template id."""
    key = _sorted_unique(tid.astype(np.int64) * (int(other.max(initial=0)) + 1) + other)
    n_other = int(other.max(initial=0)) + 1
    return np.bincount(key // n_other, minlength=n_t)


def _catalogue(
    messages: pd.DataFrame,
    pos: np.ndarray,
    case: np.ndarray,
    sent: np.ndarray,
    tid: np.ndarray,
    vid: np.ndarray,
    has_text: np.ndarray,
    g_raw: np.ndarray,
    texts: pd.Series,
    cls: np.ndarray,
    class_order: dict[str, int],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    cat_cols = ["template_id", "text", "n_messages", "n_cases", "n_accounts", "teams",
                "first_seen", "last_seen", "reply_class", "n_variants"]
    if not has_text.any():
        catalogue = pd.DataFrame({c: pd.Series(dtype="object") for c in cat_cols})
        variants = pd.DataFrame(columns=["template_id", "variant_id", "text", "n_messages"])
        return catalogue, variants
    t = tid[has_text]
    n_t = int(t.max()) + 1
    g = g_raw[has_text]
    n_messages = np.bincount(t, minlength=n_t)
    n_cases = _count_distinct(t, case[has_text].astype(np.int64), n_t)
    if "account" in messages.columns:
        acc, _ = pd.factorize(messages["account"].astype("str").iloc[pos[has_text]])
    else:
        acc = np.zeros(len(t), dtype=np.int64)
    n_accounts = _count_distinct(t, acc.astype(np.int64), n_t)
    ts = sent[has_text]
    first_seen = np.full(n_t, np.iinfo(np.int64).max, dtype=np.int64)
    last_seen = np.full(n_t, np.iinfo(np.int64).min, dtype=np.int64)
    np.minimum.at(first_seen, t, ts)
    np.maximum.at(last_seen, t, ts)
    # teams: distinct (template, team) pairs joined per template
    teams = np.full(n_t, "", dtype=object)
    if "team" in messages.columns:
        team_codes, team_names = pd.factorize(messages["team"].astype("str").iloc[pos[has_text]])
        n_team = len(team_names)
        pairs = _sorted_unique(t.astype(np.int64) * n_team + team_codes)
        pt, pteam = pairs // n_team, pairs % n_team
        names = np.asarray(team_names, dtype=object)[pteam]
        frame = pd.DataFrame({"t": pt, "team": names})
        frame = frame[frame["team"] != ""].sort_values(["t", "team"], kind="stable")
        joined = frame.groupby("t", sort=True)["team"].agg(", ".join)
        teams[joined.index.to_numpy()] = joined.to_numpy(dtype=object)
    # most common reply class per template (ties: REPLY_CLASSES order)
    names_ext = list(REPLY_CLASSES) + ["other"]
    c_msg = pd.Series(cls[has_text]).map(class_order).fillna(len(REPLY_CLASSES)).to_numpy(np.int64)
    counts = np.zeros((n_t, len(names_ext)), dtype=np.int64)
    np.add.at(counts, (t, c_msg), 1)
    best = counts.argmax(axis=1)
    reply_class = np.asarray(names_ext, dtype=object)[best]
    # variants: one row per exact wording, the most common one represents the template
    n_g = len(texts)
    g_count = np.bincount(g, minlength=n_g)
    g_tid = np.zeros(n_g, dtype=np.int64)
    g_vid = np.zeros(n_g, dtype=np.int64)
    g_tid[g] = t
    g_vid[g] = vid[has_text]
    variants = pd.DataFrame({"template_id": g_tid, "variant_id": g_vid, "n_messages": g_count}
                            ).sort_values(["template_id", "variant_id"], kind="stable")
    # the representative's text is looked up for it alone (the index is the variant's position
    # in ``texts``), before the texts are laid out in the variants' order
    rep = variants.sort_values(
        ["template_id", "n_messages", "variant_id"], ascending=[True, False, True], kind="stable"
    ).drop_duplicates("template_id")
    text = np.full(n_t, "", dtype=object)
    text[rep["template_id"].to_numpy()] = texts.iloc[rep.index.to_numpy()].to_numpy(dtype=object)
    del rep
    # the texts follow the sort as Arrow strings (never one Python string per variant)
    in_order = texts.iloc[variants.index.to_numpy()].reset_index(drop=True)
    variants = variants.reset_index(drop=True)
    variants.insert(2, "text", in_order)
    n_variants = np.bincount(g_tid, minlength=n_t)

    ids = np.arange(1, n_t)
    catalogue = pd.DataFrame(
        {
            "template_id": ids.astype(np.int64),
            "text": pd.array(text[ids], dtype="str"),
            "n_messages": n_messages[ids].astype(np.int64),
            "n_cases": n_cases[ids].astype(np.int64),
            "n_accounts": n_accounts[ids].astype(np.int64),
            "teams": pd.array(teams[ids], dtype="str"),
            "first_seen": pd.to_datetime(first_seen[ids], utc=True).as_unit("ns"),
            "last_seen": pd.to_datetime(last_seen[ids], utc=True).as_unit("ns"),
            "reply_class": pd.array(reply_class[ids], dtype="str"),
            "n_variants": n_variants[ids].astype(np.int64),
        }
    )
    catalogue = catalogue.sort_values(
        ["n_messages", "template_id"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)
    return catalogue[cat_cols], variants


# --------------------------------------------------------------------------------------------
# evaluation against known templates
# --------------------------------------------------------------------------------------------


def _pairs(counts: np.ndarray) -> float:
    counts = counts.astype(np.float64)
    return float((counts * (counts - 1) / 2).sum())


def evaluate_templates(
    result: TemplateResult, truth_messages: pd.DataFrame, messages: pd.DataFrame
) -> dict[str, float]:
    """Score a :class:`TemplateResult` against known templates.

    Parameters
    ----------
    result : TemplateResult
        From :func:`find_templates`.
    truth_messages : pandas.DataFrame
        Needs ``case_id, sent_at, template`` (the true template key, ``""`` for a reply that is
        no template: each such message is a group of its own); ``reply_class`` is scored when
        present. Matched to messages on ``(case_id, sent_at)``.
    messages : pandas.DataFrame
        The canonical messages (``message_id, case_id, sent_at``) the result was computed on.

    Returns
    -------
    dict
        ``n`` (Amazon messages scored), ``precision``, ``recall``, ``f1`` -- pairwise: over all
        pairs of messages, a pair is *predicted* when both share a ``template_id`` and *true*
        when both share a true template (computed from the contingency table, not by listing
        pairs) -- ``grouping_accuracy`` (the Loghub measure: share of messages whose predicted
        group holds exactly the messages of their true group), ``majority_accuracy`` (share of
        messages whose predicted template's majority true template is theirs) and
        ``reply_class_accuracy`` (when the truth has ``reply_class``).
    """
    for name, frame, cols in (
        ("truth_messages", truth_messages, ("case_id", "sent_at", "template")),
        ("messages", messages, ("message_id", "case_id", "sent_at")),
    ):
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            raise SchemaError(f"evaluate_templates: {name} lacks {missing}", missing=missing,
                              found=frame.columns)
    key = messages[["message_id", "case_id", "sent_at"]].copy()
    key["case_id"] = key["case_id"].astype("str")
    key["sent_at"] = pd.to_datetime(key["sent_at"], utc=True)
    truth = truth_messages.copy()
    truth["case_id"] = truth["case_id"].astype("str")
    truth["sent_at"] = pd.to_datetime(truth["sent_at"], utc=True).astype(key["sent_at"].dtype)
    truth = truth.merge(key, on=["case_id", "sent_at"], how="inner")
    pred = result.messages[["message_id", "template_id", "reply_class"]]
    joined = pred.merge(truth, on="message_id", how="inner", suffixes=("", "_true"))
    n = len(joined)
    if n == 0:
        return {"n": 0, "precision": float("nan"), "recall": float("nan"), "f1": float("nan"),
                "grouping_accuracy": float("nan"), "majority_accuracy": float("nan")}
    true_key = joined["template"].astype("str").to_numpy(dtype=object).copy()
    lone = true_key == ""
    true_key[lone] = ["\x00" + str(m) for m in joined["message_id"].to_numpy()[lone]]
    t_codes, _ = pd.factorize(true_key)
    p_raw = joined["template_id"].astype("Int64")
    p_codes = p_raw.fillna(-1).to_numpy(dtype=np.int64)
    no_t = p_codes < 0  # messages without a template are groups of their own
    p_codes = p_codes.copy()
    p_codes[no_t] = p_codes.max(initial=0) + 1 + np.arange(int(no_t.sum()))
    p_codes, _ = pd.factorize(p_codes)
    cont = pd.DataFrame({"p": p_codes, "t": t_codes}).value_counts()
    tp = _pairs(cont.to_numpy())
    pp = _pairs(np.bincount(p_codes))
    tt = _pairs(np.bincount(t_codes))
    precision = tp / pp if pp else 1.0
    recall = tp / tt if tt else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    # Loghub grouping accuracy: the predicted group equals the true group as a set
    cont_df = cont.rename("n_pt").reset_index()
    cont_df["n_p"] = np.bincount(p_codes)[cont_df["p"].to_numpy()]
    cont_df["n_t"] = np.bincount(t_codes)[cont_df["t"].to_numpy()]
    exact = cont_df[(cont_df["n_pt"] == cont_df["n_p"]) & (cont_df["n_pt"] == cont_df["n_t"])]
    grouping_accuracy = float(exact["n_pt"].sum()) / n
    majority = cont_df.sort_values(["p", "n_pt"], ascending=[True, False]).drop_duplicates("p")
    majority_accuracy = float(majority["n_pt"].sum()) / n
    scores = {
        "n": n,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "grouping_accuracy": grouping_accuracy,
        "majority_accuracy": majority_accuracy,
    }
    if "reply_class_true" in joined.columns:
        rc_true = joined["reply_class_true"].astype("str").to_numpy(dtype=object)
        known = rc_true != ""
        if known.any():
            rc_pred = joined["reply_class"].astype("str").to_numpy(dtype=object)
            scores["reply_class_accuracy"] = float((rc_pred[known] == rc_true[known]).mean())
    return scores
