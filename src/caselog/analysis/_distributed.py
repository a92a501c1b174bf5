"""A partitioned run of :func:`caselog.analyse` on Dask (``dask.distributed``).

A case history partitions by account: every result of a case depends on that case's messages
only, and the cases of one account stay together.  Templates are the one step that crosses
partitions -- a canned reply is a template because many sellers got it -- so the run has two
rounds on the workers and one global step on the driver:

1. on the workers, per partition: the masked Amazon bodies (:func:`caselog.mask_text`, the
   costly part of template finding);
2. on the driver, once: the masked texts of all partitions grouped into templates (exact
   variants, MinHash/LSH near-duplicates, ids by first appearance) by the grouping of
   :func:`caselog.find_templates` itself (``templates_from_masked``), so the result is the same;
3. on the workers, per partition: turns (the templates' reply classes decide which replies are
   acknowledgements), escalations, deadlines and readiness with the global template
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

from .._memory import uses_arrow_pool
from ..errors import ConfigError
from ..model import CaseLog
from ._analysis import Analysis, analyse
from ._deadlines import deadlines as _deadlines
from ._escalations import escalations as _escalations
from ._masking import mask_rows
from ._readiness import readiness as _readiness
from ._replyclass import ReplyPatterns
from ._responses import turns as _turns
from ._settings import Settings
from ._templates import TemplateConfig, TemplateResult, templates_from_masked

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


def _by_partition(tm: pd.DataFrame, messages: pd.DataFrame, rows: list[np.ndarray]) -> list:
    """The rows of ``tm`` (one per Amazon message) of each partition's cases, in their order."""
    codes, names = pd.factorize(messages["case_id"].astype("str"))
    home = np.zeros(len(names), dtype=np.int64)
    for i, r in enumerate(rows):
        home[codes[r]] = i
    where = pd.Index(names).get_indexer(tm["case_id"].astype("str"))
    part = np.where(where >= 0, home[where], -1)
    return [tm[part == i].reset_index(drop=True) for i in range(len(rows))]


def _sub_log(log: CaseLog, rows: np.ndarray) -> CaseLog:
    m = log.messages.iloc[rows].reset_index(drop=True)
    ids = set(m["case_id"].astype("str").unique())
    c = log.cases
    keep = c["case_id"].astype("str").isin(ids) if len(c) else np.zeros(0, dtype=bool)
    return CaseLog(messages=m, cases=c[keep].reset_index(drop=True))


# --------------------------------------------------------------------------------------------
# the tasks run on the workers (module-level functions: Dask pickles them by reference)
# --------------------------------------------------------------------------------------------


@uses_arrow_pool
def _round_one(part: CaseLog) -> pa.Array:
    """The masked Amazon bodies of the partition, in row order."""
    m = part.messages
    amazon = (m["direction"].astype("str") == "amazon").to_numpy(dtype=bool, na_value=False)
    return pa.array(mask_rows(m["body"], amazon).array).cast(pa.large_string())


def _round_two(
    part: CaseLog, tm: pd.DataFrame, settings: Settings
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Turns, escalations, deadlines and readiness of the partition with the global template
    assignment (its reply classes decide the acknowledgements, as in :class:`Analysis`)."""
    s = settings
    tr = TemplateResult(messages=tm, catalogue=pd.DataFrame(), cases=pd.DataFrame(),
                        variants=pd.DataFrame())
    classes = None
    if s.exclude_acknowledgements:
        classes = pd.Series(tm["reply_class"].array, index=tm["message_id"].to_numpy())
    t = _turns(part, as_of=s.as_of, calendar=s.calendar,
               exclude_acknowledgements=s.exclude_acknowledgements, sla_hours=s.sla_hours,
               reply_classes=classes)
    e = _escalations(part, as_of=s.as_of, templates=tr, wait_hours=s.rules.wait_hours)
    d = _deadlines(part, as_of=s.as_of)
    r = _readiness(part, as_of=s.as_of, rules=s.rules, templates=tr, escalations=e,
                   deadlines=d)
    return t, e, d, r


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


@uses_arrow_pool
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
        With ``turns``, ``templates``, ``escalations``, ``deadlines`` and ``readiness`` already
        computed; they equal those of ``caselog.analyse(log, settings)`` (the same rows in the same order, the
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
        masked = cl.gather(cl.map(_round_one, futs, pure=False))
        # the masked bodies back in the row order of the whole log
        amazon_all = (vis.messages["direction"].astype("str") == "amazon").to_numpy(
            dtype=bool, na_value=False)
        where = np.concatenate([r[amazon_all[r]] for r in rows]) if rows else np.zeros(0, int)
        joined = pa.concat_arrays(masked) if masked else pa.array([], pa.large_string())
        # joined[i] is the body of the row where[i]; amazon rows in row order are sorted(where)
        masked_rows = joined.take(pa.array(np.argsort(where, kind="stable")))
        tr = templates_from_masked(vis, masked_rows, s.templates or TemplateConfig(),
                                    s.reply_patterns or ReplyPatterns.default())
        tm_parts = _by_partition(tr.messages, vis.messages, rows)
        two = cl.gather([cl.submit(_round_two, f, tm, s, pure=False)
                         for f, tm in zip(futs, tm_parts, strict=True)])
    a.__dict__.update(
        turns=_concat([t for t, _, _, _ in two], ["case_id", "turn"]),
        templates=tr,
        escalations=_concat([e for _, e, _, _ in two], ["case_id", "sent_at", "message_id"]),
        deadlines=_concat([d for _, _, d, _ in two], ["case_id", "sent_at", "message_id"]),
        readiness=_concat([r for _, _, _, r in two], ["case_id"]),
    )
    return a
