"""A partitioned run of :func:`caselog.analyse` on Dask (``dask.distributed``).

A case history partitions by account: every result of a case depends on that case's messages
only, and the cases of one account stay together.  Templates are the one step that crosses
partitions -- a canned reply is a template because many sellers got it -- so the run has two
rounds on the workers and one global step on the driver:

1. on the workers, per partition: the turns, and the masked Amazon bodies
   (:func:`caselog.mask_text`, the costly part of template finding);
2. on the driver, once: the masked texts of all partitions grouped into templates (exact
   variants, MinHash/LSH near-duplicates, ids by first appearance) -- exactly as
   :func:`caselog.find_templates` groups them, so the result is the same;
3. on the workers, per partition: escalations and readiness with the global template
   assignment.

The partitions' results are put together into a normal :class:`~caselog.Analysis`.  Dask is an
optional dependency (``pip install 'caselog[dask]'``); it is imported only here, when used.
"""

from __future__ import annotations

import logging
import warnings
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ..errors import ConfigError
from ..model import CaseLog
from ..schema import REPLY_CLASSES
from ._analysis import Analysis, analyse
from ._escalations import escalations as _escalations
from ._frame import amazon_strings, messages_of
from ._masking import mask_text
from ._readiness import readiness as _readiness
from ._replyclass import ReplyPatterns, reply_classes
from ._responses import turns as _turns
from ._settings import Settings
from ._templates import (
    _NEEDED,
    TemplateConfig,
    TemplateResult,
    _case_counts,
    _catalogue,
    _first_per_key,
    _kind_classes,
    _near_duplicate_roots,
)

__all__ = ["analyse_partitioned", "partition_by_account"]


# --------------------------------------------------------------------------------------------
# partitions
# --------------------------------------------------------------------------------------------


def partition_by_account(log: CaseLog, n_partitions: int) -> list[np.ndarray]:
    """Row positions of ``log.messages`` in ``n_partitions`` groups of whole accounts.

    A case goes with the account named for it in ``log.cases`` (else with the account of its
    first message), so a case is never split.  Accounts are packed greedily, largest first,
    into the partition with the fewest messages; empty partitions are dropped.

    Examples
    --------
    >>> import caselog
    >>> log = caselog.sample.generate(n_cases=40, n_accounts=5).log
    >>> parts = partition_by_account(log, 2)
    >>> sum(len(p) for p in parts) == len(log.messages)
    True
    """
    if not isinstance(n_partitions, int | np.integer) or n_partitions < 1:
        raise ConfigError(f"n_partitions must be a whole number >= 1, got {n_partitions!r}")
    m = log.messages
    case = m["case_id"].astype("str").fillna("")
    own = m["account"].astype("str").fillna("") if "account" in m.columns else case.map(lambda _: "")
    first_acc = own.groupby(case, sort=False).first()
    c = log.cases
    if len(c) and {"case_id", "account"} <= set(c.columns):
        named = c.assign(case_id=c["case_id"].astype("str")).drop_duplicates("case_id")
        named = named.set_index("case_id")["account"].astype("str").fillna("")
        first_acc.update(named[named != ""])
    acc = case.map(first_acc).to_numpy(dtype=object)
    codes, names = pd.factorize(acc)
    sizes = np.bincount(codes, minlength=len(names))
    load = np.zeros(n_partitions, dtype=np.int64)
    home = np.zeros(len(names), dtype=np.int64)
    for a in np.lexsort((np.arange(len(names)), -sizes)):  # largest first, ties by appearance
        p = int(np.argmin(load))
        home[a] = p
        load[p] += sizes[a]
    part = home[codes]
    order = np.argsort(part, kind="stable")
    bounds = np.searchsorted(part[order], np.arange(n_partitions + 1))
    return [order[bounds[i]:bounds[i + 1]] for i in range(n_partitions) if bounds[i + 1] > bounds[i]]


def _sub_log(log: CaseLog, rows: np.ndarray) -> CaseLog:
    m = log.messages.iloc[rows].reset_index(drop=True)
    ids = set(m["case_id"].astype("str").unique())
    c = log.cases
    keep = c["case_id"].astype("str").isin(ids) if len(c) else np.zeros(0, dtype=bool)
    return CaseLog(messages=m, cases=c[keep].reset_index(drop=True))


# --------------------------------------------------------------------------------------------
# the tasks run on the workers (module-level functions: Dask pickles them by reference)
# --------------------------------------------------------------------------------------------


def _round_one(part: CaseLog, settings: Settings) -> tuple[pd.DataFrame, pa.Array]:
    """Turns of the partition, and the masked Amazon bodies in row order."""
    s = settings
    t = _turns(part, as_of=s.as_of, calendar=s.calendar,
               exclude_acknowledgements=s.exclude_acknowledgements, sla_hours=s.sla_hours)
    m = part.messages
    amazon = (m["direction"].astype("str") == "amazon").to_numpy(dtype=bool, na_value=False)
    body = amazon_strings(m["body"], amazon, np.arange(int(amazon.sum())))
    masked = pa.array(mask_text(body).array).cast(pa.large_string())
    return t, masked


def _round_two(part: CaseLog, tm: pd.DataFrame, settings: Settings) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Escalations and readiness of the partition with the global template assignment."""
    tr = TemplateResult(messages=tm, catalogue=pd.DataFrame(), cases=pd.DataFrame(),
                        variants=pd.DataFrame())
    e = _escalations(part, as_of=settings.as_of, templates=tr,
                     wait_hours=settings.rules.wait_hours)
    r = _readiness(part, as_of=settings.as_of, rules=settings.rules, templates=tr, escalations=e)
    return e, r


# --------------------------------------------------------------------------------------------
# the global template step (driver)
# --------------------------------------------------------------------------------------------


def _templates_from_masked(
    log: CaseLog, masked_rows: pa.Array, config: TemplateConfig, patterns: ReplyPatterns
) -> TemplateResult:
    """:func:`caselog.find_templates` of ``log`` given the masked Amazon bodies (in row order of
    ``log.messages``): the same grouping, numbering and tables."""
    messages = messages_of(log, _NEEDED, "find_templates()")
    amazon = (messages["direction"].astype("str") == "amazon").to_numpy(dtype=bool, na_value=False)
    pos = np.flatnonzero(amazon)
    n = len(pos)
    case_codes_all, case_names = pd.factorize(
        messages["case_id"].astype("str").fillna(""), sort=True
    )
    case = case_codes_all[pos]
    sent = messages["sent_at"].to_numpy(dtype="datetime64[ns]")[pos].view(np.int64)
    mid = messages["message_id"].to_numpy()[pos]
    order = np.lexsort((mid, sent, case))
    pos, case, sent, mid = pos[order], case[order], sent[order], mid[order]
    masked = pd.Series(pd.arrays.ArrowStringArray(
        pa.chunked_array([masked_rows.take(pa.array(order))]),
        dtype=pd.StringDtype("pyarrow", na_value=np.nan),
    ))
    has_text = (masked != "").to_numpy(dtype=bool)
    g_raw = np.full(n, -1, dtype=np.int64)
    codes, uniques = pd.factorize(masked[has_text])
    n_groups = len(uniques)
    time_rank = np.empty(n, dtype=np.int64)
    time_rank[np.lexsort((mid, sent))] = np.arange(n)
    first = np.full(n_groups, n, dtype=np.int64)
    np.minimum.at(first, codes, time_rank[has_text])
    perm = np.argsort(first, kind="stable")
    renumber = np.empty(n_groups, dtype=np.int64)
    renumber[perm] = np.arange(n_groups)
    g_raw[has_text] = renumber[codes]
    texts = pd.Series(pd.array(uniques, dtype="str").take(perm), dtype="str")

    text_class = patterns.classify_masked(texts).to_numpy(dtype=object)
    cls = (
        _kind_classes(messages["kind"].iloc[pos], patterns)
        if patterns.use_kind and "kind" in messages.columns
        else np.full(n, "", dtype=object)
    )
    need = cls == ""
    cls[need & has_text] = text_class[g_raw[need & has_text]]
    blank = need & ~has_text
    if blank.any():
        cls[blank] = reply_classes(messages.iloc[pos[blank]], patterns).to_numpy(dtype=object)
    class_order = {c: i for i, c in enumerate(REPLY_CLASSES)}
    group_class = np.array([class_order.get(c, len(class_order)) for c in text_class],
                           dtype=np.int64)
    roots = _near_duplicate_roots(
        pa.array(texts).cast(pa.large_string()) if n_groups else pa.array([], pa.large_string()),
        group_class, config,
    )
    root_rank = np.zeros(n_groups, dtype=np.int64)
    distinct_roots = np.unique(roots)
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

    n_t = int(tid.max(initial=0)) + 1
    repeat = has_text & ~_first_per_key(case.astype(np.int64) * n_t + tid)
    repeat_denial = repeat & (cls == "denial")
    class_codes, class_names = pd.factorize(cls)
    out = pd.DataFrame({
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
    })
    cases = _case_counts(case, case_names, repeat, repeat_denial)
    catalogue, variants = _catalogue(
        messages, pos, case, sent, tid, vid, has_text, g_raw, texts, cls, class_order
    )
    return TemplateResult(messages=out, catalogue=catalogue, cases=cases, variants=variants)


# --------------------------------------------------------------------------------------------
# the run
# --------------------------------------------------------------------------------------------


@contextmanager
def _cluster(client: Any, n_workers: int):
    """The client given, a client of the scheduler at an address, or a LocalCluster of
    ``n_workers`` processes; what is opened here is closed afterwards."""
    if client is not None and not isinstance(client, str):
        yield client
        return
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ConfigError(
            "a partitioned run needs Dask: pip install 'caselog[dask]' (dask[distributed])"
        ) from exc
    if isinstance(client, str):
        try:
            own = Client(client, timeout=30)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ConfigError(f"Dask scheduler {client!r}: cannot connect ({exc})") from exc
        with own:
            yield own
        return
    with warnings.catch_warnings():  # "port in use" and similar notices are Dask's business
        warnings.simplefilter("ignore")
        cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                               dashboard_address=":0", silence_logs=logging.ERROR)
    try:
        with Client(cluster) as own:
            yield own
    finally:
        cluster.close()


def _concat(frames: list[pd.DataFrame], by: list[str]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)] or frames[:1]
    out = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return out.sort_values(by, kind="stable").reset_index(drop=True)


def analyse_partitioned(
    log: CaseLog,
    settings: Settings | None = None,
    *,
    client: Any = None,
    n_workers: int = 2,
    n_partitions: int | None = None,
    **overrides: Any,
) -> Analysis:
    """:func:`caselog.analyse` run partitioned by account on a Dask cluster.

    Parameters
    ----------
    log : CaseLog
        A loaded case log.
    settings : Settings, optional
        As for :func:`caselog.analyse` (``**overrides`` too).
    client : distributed.Client or str, optional
        The cluster to run on (a client, or a scheduler address such as
        ``"tcp://10.0.0.5:8786"``); by default a ``LocalCluster`` of ``n_workers`` processes (one
        thread each) is started and closed again.
    n_workers : int
        Workers of the local cluster (ignored when ``client`` is given).
    n_partitions : int, optional
        Groups of accounts; default the number of workers of the cluster.

    Returns
    -------
    Analysis
        With ``turns``, ``templates``, ``escalations`` and ``readiness`` already computed; they
        equal those of ``caselog.analyse(log, settings)`` (the same rows in the same order, the
        same template ids).

    Raises
    ------
    ConfigError
        Dask is not installed, or an argument is invalid.

    Examples
    --------
    >>> import caselog
    >>> log = caselog.sample.generate(n_cases=40, n_accounts=3).log
    >>> a = caselog.analyse_partitioned(log, n_workers=2)  # doctest: +SKIP
    >>> a.readiness.equals(caselog.analyse(log).readiness)  # doctest: +SKIP
    True
    """
    a = analyse(log, settings, **overrides)
    if not isinstance(n_workers, int | np.integer) or isinstance(n_workers, bool) or n_workers < 1:
        raise ConfigError(f"n_workers must be a whole number >= 1, got {n_workers!r}")
    s, vis = a.settings, a.log
    with _cluster(client, int(n_workers)) as cl:
        k = n_partitions or max(len(cl.scheduler_info().get("workers", {})), 1)
        rows = partition_by_account(vis, int(k))
        parts = [_sub_log(vis, r) for r in rows]
        futs = cl.scatter(parts, hash=False)
        one = cl.gather(cl.map(_round_one, futs, settings=s, pure=False))
        # the masked bodies back in the row order of the whole log
        masked = [m for _, m in one]
        amazon_all = (vis.messages["direction"].astype("str") == "amazon").to_numpy(
            dtype=bool, na_value=False)
        where = np.concatenate([r[amazon_all[r]] for r in rows]) if rows else np.zeros(0, int)
        joined = pa.concat_arrays(masked) if masked else pa.array([], pa.large_string())
        # joined[i] is the body of the row where[i]; amazon rows in row order are sorted(where)
        masked_rows = joined.take(pa.array(np.argsort(where, kind="stable")))
        tr = _templates_from_masked(vis, masked_rows, s.templates or TemplateConfig(),
                                    s.reply_patterns or ReplyPatterns.default())
        tm_case = tr.messages["case_id"].astype("str")
        tm_parts = [tr.messages[tm_case.isin(set(p.messages["case_id"].astype("str")))]
                    .reset_index(drop=True) for p in parts]
        two = cl.gather([cl.submit(_round_two, f, tm, s, pure=False)
                         for f, tm in zip(futs, tm_parts, strict=True)])
    a.__dict__.update(
        turns=_concat([t for t, _ in one], ["case_id", "turn"]),
        templates=tr,
        escalations=_concat([e for e, _ in two], ["case_id", "sent_at", "message_id"]),
        readiness=_concat([r for _, r in two], ["case_id"]),
    )
    return a
