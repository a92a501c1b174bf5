"""A partitioned run of :func:`caselog.analyse` on Dask (``dask.distributed``).

A case history partitions by case: every result of a case -- its turns, escalations, deadlines
and readiness -- depends on that case's messages only.  The cases are cut into groups of about
equal numbers of messages (:func:`partition_by_case`; whole accounts on request,
:func:`partition_by_account`).  Templates are the one step that crosses partitions -- a canned
reply is a template because many sellers got it -- so the run has two rounds on the workers and
one global step on the driver:

1. on the workers, per partition: the masked Amazon bodies (:func:`caselog.mask_text`, the
   costly part of template finding);
2. on the driver, once: the masked texts of all partitions grouped into templates (exact
   variants, MinHash/LSH near-duplicates, ids by first appearance) by the grouping of
   :func:`caselog.find_templates` itself (``templates_from_masked``), so the result is the same;
3. on the workers, per partition: the deadlines (they need no templates: they are computed
   while the driver groups), then turns (the templates' reply classes decide which replies are
   acknowledgements), escalations and readiness with the global template assignment.

On a local cluster the partitions and the results travel as memory-mapped Arrow files in a
shared temporary folder, not as pickles over a socket (see :func:`_on_workers`).

The partitions' results are put together into a normal :class:`~caselog.Analysis`.  Dask is an
optional dependency (``pip install 'caselog[dask]'``); it is imported only here, when used.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
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

__all__ = ["analyse_partitioned", "partition_by_account", "partition_by_case"]


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


def partition_by_case(log: CaseLog, n_partitions: int) -> list[np.ndarray]:
    """Row positions of ``log.messages`` in ``n_partitions`` groups of whole cases, of about
    equal numbers of messages.

    The cases are taken in the order of their first message and cut into consecutive groups,
    each cut at the case boundary nearest to an equal share of the messages; a case is never
    split, and empty groups are dropped.  When the messages of each case are already together
    (as :func:`caselog.load` returns them), every group is a run of consecutive rows.  Every
    analysis but the templates depends on a case's own messages only, so this balances a
    partitioned run whatever the number of accounts (one seller's audit has one account).

    Examples
    --------
    >>> import caselog
    >>> log = caselog.sample.generate(n_cases=40, n_accounts=1).log
    >>> parts = partition_by_case(log, 2)
    >>> len(parts)
    2
    >>> sum(len(p) for p in parts) == len(log.messages)
    True
    """
    if not isinstance(n_partitions, int | np.integer) or n_partitions < 1:
        raise ConfigError(f"n_partitions must be a whole number >= 1, got {n_partitions!r}")
    codes = _case_codes(log.messages)
    n = len(codes)
    order = None if _non_decreasing(codes) else np.argsort(codes, kind="stable")
    ordered = codes if order is None else codes[order]
    # the rows where a case begins, and the end: the only places a cut may go
    bounds = np.r_[0, np.flatnonzero(ordered[1:] != ordered[:-1]) + 1, n] if n else np.zeros(1, int)
    targets = n * np.arange(1, n_partitions) / n_partitions
    right = np.minimum(np.searchsorted(bounds, targets), len(bounds) - 1)
    left = np.maximum(right - 1, 0)
    nearer = np.where(targets - bounds[left] <= bounds[right] - targets, bounds[left], bounds[right])
    cuts = np.r_[0, nearer, n].astype(np.int64)
    rows = np.arange(n, dtype=np.int64) if order is None else order.astype(np.int64)
    return [rows[a:b] for a, b in zip(cuts[:-1], cuts[1:], strict=True) if b > a]


def _case_codes(messages: pd.DataFrame) -> np.ndarray:
    """Code of each message's case, numbered by first appearance."""
    codes, _ = pd.factorize(messages["case_id"].astype("str").fillna(""))
    return codes.astype(np.int64)


def _non_decreasing(x: np.ndarray) -> bool:
    return bool(len(x) < 2 or (x[1:] >= x[:-1]).all())


def _consecutive(rows: np.ndarray) -> bool:
    """``rows`` is a run ``a, a + 1, ..., b - 1`` (its rows are a slice)."""
    return bool(len(rows) == 0 or rows[-1] - rows[0] == len(rows) - 1 and _non_decreasing(rows))


@dataclass(frozen=True)
class _Homes:
    """The partition of each case: ``names`` the case IDs (in order of first message),
    ``home[k]`` the partition of case ``names[k]``."""

    names: pd.Index
    home: np.ndarray

    @classmethod
    def of(cls, messages: pd.DataFrame, rows: list[np.ndarray]) -> _Homes:
        codes, names = pd.factorize(messages["case_id"].astype("str").fillna(""))
        home = np.zeros(len(names), dtype=np.int64)
        for i, r in enumerate(rows):
            home[codes[r]] = i
        return cls(names=pd.Index(names), home=home)

    def of_cases(self, case_id: pd.Series, missing: int) -> np.ndarray:
        """The partition of each case ID of ``case_id`` (``missing`` for one without messages)."""
        where = self.names.get_indexer(case_id.astype("str").fillna(""))
        return np.where(where >= 0, self.home[np.maximum(where, 0)], missing)


def _sub_logs(log: CaseLog, rows: list[np.ndarray], homes: _Homes) -> list[CaseLog]:
    """The partitions' case logs: the messages at ``rows`` (a slice, not a copy, when the rows
    are consecutive) and the rows of ``log.cases`` of their cases.  A case listed without any
    message goes with the first partition, so that its readiness row is not lost."""
    m, c = log.messages, log.cases
    if len(c) and "case_id" in c.columns:
        case_part = homes.of_cases(c["case_id"], missing=0)
    else:
        case_part = np.zeros(len(c), dtype=np.int64)
    out = []
    for i, r in enumerate(rows):
        part = m.iloc[int(r[0]):int(r[-1]) + 1] if _consecutive(r) and len(r) else m.iloc[r]
        out.append(CaseLog(messages=part.reset_index(drop=True),
                           cases=c[case_part == i].reset_index(drop=True)))
    return out


def _by_partition(tm: pd.DataFrame, homes: _Homes, n_parts: int) -> list[pd.DataFrame]:
    """The rows of ``tm`` (one per Amazon message) of each partition's cases, in their order."""
    part = homes.of_cases(tm["case_id"], missing=-1)
    return [tm[part == i].reset_index(drop=True) for i in range(n_parts)]


# --------------------------------------------------------------------------------------------
# the tasks run on the workers (module-level functions: Dask pickles them by reference)
# --------------------------------------------------------------------------------------------


def _read_part(messages_path: str, cases_path: str) -> CaseLog:
    """The partition :func:`_on_workers` wrote, memory-mapped (its columns are not copied)."""
    return CaseLog(messages=_read_table(messages_path), cases=_read_table(cases_path))


def _read_ipc(path: str) -> pa.Table:
    """The Arrow IPC file at ``path``, memory-mapped."""
    with pa.memory_map(path) as source:
        return pa.ipc.open_file(source).read_all()


def _write_ipc(table: pa.Table, path: Path) -> None:
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as w:
        w.write_table(table)


def _read_table(path: str) -> pd.DataFrame:
    return _read_ipc(path).to_pandas()


def _can_share(folder: str, paths: list[str]) -> bool:
    """The worker sees the driver's files and may write beside them (the same machine, or a
    shared folder)."""
    return os.access(folder, os.W_OK) and all(
        os.path.isfile(p) and os.path.getsize(p) > 0 for p in paths)


@uses_arrow_pool
def _round_one(part: CaseLog, folder: str | None = None, i: int = 0) -> Any:
    """The masked Amazon bodies of the partition, in row order (left in ``folder`` when given,
    see :func:`_ship`)."""
    m = part.messages
    amazon = (m["direction"].astype("str") == "amazon").to_numpy(dtype=bool, na_value=False)
    masked = pa.array(mask_rows(m["body"], amazon).array)  # large_string, chunked
    if isinstance(masked, pa.ChunkedArray):
        masked = masked.combine_chunks()
    return _ship(masked, folder, f"masked{i}")


def _partition_deadlines(part: CaseLog, settings: Settings) -> pd.DataFrame:
    """The deadlines of the partition: they need no templates, so they are computed while the
    driver groups the templates."""
    return _deadlines(part, as_of=settings.as_of)


def _round_two(
    part: CaseLog, tm: pd.DataFrame, settings: Settings, d: pd.DataFrame | None = None,
    folder: str | None = None, i: int = 0,
) -> tuple[Any, Any, Any, Any]:
    """Turns, escalations, deadlines (``d`` when computed already) and readiness of the
    partition with the global template assignment (its reply classes decide the
    acknowledgements, as in :class:`Analysis`)."""
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
    if d is None:
        d = _partition_deadlines(part, s)
    r = _readiness(part, as_of=s.as_of, rules=s.rules, templates=tr, escalations=e,
                   deadlines=d)
    return tuple(_ship(x, folder, f"{name}{i}")
                 for x, name in zip((t, e, d, r), ("turns", "escalations", "deadlines",
                                                    "readiness"), strict=True))


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


_PARTITIONERS = {"case": partition_by_case, "account": partition_by_account}


def _write_frame(frame: pd.DataFrame, path: Path) -> bool:
    """``frame`` as an Arrow IPC file at ``path``; False (and no file) when a column would not
    come back as the same dtype, so that the frame must travel pickled instead.  A column of
    Python objects always travels pickled: Arrow would infer one type for its values (dicts
    with other keys, numbers among strings) and could hand back other values of the same dtype.
    """
    if any(pd.api.types.is_object_dtype(dtype) for dtype in frame.dtypes):
        return False
    try:
        _write_ipc(pa.Table.from_pandas(frame, preserve_index=False), path)
        back = _read_table(str(path))
    except (pa.ArrowException, OSError, TypeError, ValueError):  # OSError: e.g. a full folder
        back = None
    if (back is not None and list(back.columns) == list(frame.columns)
            and back.dtypes.equals(frame.dtypes)):
        return True
    path.unlink(missing_ok=True)
    return False


@dataclass(frozen=True)
class _Shipped:
    """A result a worker left in the shared folder instead of sending it back."""

    path: str
    array: bool = False


def _ship(value: pd.DataFrame | pa.Array, folder: str | None, name: str) -> Any:
    """``value`` written to ``folder`` (a :class:`_Shipped` to hand back), or ``value`` itself
    when there is no shared folder or it would not come back the same."""
    if folder is None:
        return value
    path = Path(folder) / f"{name}.arrow"
    if not isinstance(value, pa.Array):
        return _Shipped(str(path)) if _write_frame(value, path) else value
    try:
        _write_ipc(pa.table({"value": value}), path)
    except (pa.ArrowException, OSError):  # e.g. the shared folder is full: send it instead
        path.unlink(missing_ok=True)
        return value
    return _Shipped(str(path), array=True)


def _unship(value: Any) -> Any:
    """What :func:`_ship` handed back, as the value itself (memory-mapped, not copied)."""
    if not isinstance(value, _Shipped):
        return value
    table = _read_ipc(value.path)
    return table.column(0).combine_chunks() if value.array else table.to_pandas()


def _scratch_parent() -> str | None:
    """Where the shared folder goes: ``/dev/shm`` (memory) when there is one, else the system's
    temporary folder."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


@contextmanager
def _on_workers(cl: Any, parts: list[CaseLog]):
    """``(futures, folder)``: futures of the partitions on the workers, and the folder the
    workers and this process share (``None`` when they share none).

    When every worker can read and write this machine's files (a local cluster), each
    partition is written once to Arrow files in a temporary folder (in ``/dev/shm`` when there
    is one) and memory-mapped by the worker that reads it, and the workers leave their results
    there too: nothing is pickled or copied through the network.  Otherwise the partitions are
    scattered to the workers and the results come back over the network.  The files go when
    the run ends.
    """
    folder = Path(tempfile.mkdtemp(prefix="caselog-parts-", dir=_scratch_parent()))
    try:
        written = []
        for i, p in enumerate(parts):
            pair = (folder / f"part{i}-messages.arrow", folder / f"part{i}-cases.arrow")
            if not (_write_frame(p.messages, pair[0]) and _write_frame(p.cases, pair[1])):
                break
            written.append((str(pair[0]), str(pair[1])))
        shared = bool(parts) and len(written) == len(parts) and all(
            cl.run(_can_share, str(folder), [x for w in written for x in w]).values()
        )
        if shared:  # partition i read by worker i (modulo): the later tasks follow their data
            workers = sorted(cl.scheduler_info().get("workers", {})) or [None]
            yield [cl.submit(_read_part, m, c, pure=False, allow_other_workers=True,
                             workers=None if workers[0] is None else [workers[i % len(workers)]])
                   for i, (m, c) in enumerate(written)], str(folder)
        else:
            shutil.rmtree(folder, ignore_errors=True)
            yield cl.scatter(parts, hash=False), None
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _in_row_order(log: CaseLog, rows: list[np.ndarray], masked: list[pa.Array]) -> pa.Array:
    """The partitions' masked Amazon bodies as one array in the row order of ``log.messages``."""
    amazon = (log.messages["direction"].astype("str") == "amazon").to_numpy(
        dtype=bool, na_value=False)
    where = np.concatenate([r[amazon[r]] for r in rows]) if rows else np.zeros(0, np.int64)
    joined = pa.concat_arrays(masked) if masked else pa.array([], pa.large_string())
    if _non_decreasing(where):  # consecutive partitions in row order: already in place
        return joined
    # joined[i] is the body of the row where[i]; the Amazon rows in row order are sorted(where)
    return joined.take(pa.array(np.argsort(where, kind="stable")))


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
    by: str = "case",
    **overrides: Any,
) -> Analysis:
    """:func:`caselog.analyse` run partitioned by case on a Dask cluster.

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
        Groups of cases; default the number of workers of the cluster.
    by : {"case", "account"}
        How the cases are grouped: ``"case"`` (default) cuts the cases into groups of about
        equal numbers of messages (:func:`partition_by_case`); ``"account"`` keeps the cases of
        an account together (:func:`partition_by_account`), which balances only when there are
        many accounts of similar size.

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
    if by not in _PARTITIONERS:
        raise ConfigError(f"by must be one of {sorted(_PARTITIONERS)}, got {by!r}")
    a = analyse(log, settings, **overrides)
    if not isinstance(n_workers, int | np.integer) or isinstance(n_workers, bool) or n_workers < 1:
        raise ConfigError(f"n_workers must be a whole number >= 1, got {n_workers!r}")
    s, vis = a.settings, a.log
    with _cluster(client, int(n_workers)) as cl:
        k = n_partitions or max(len(cl.scheduler_info().get("workers", {})), 1)
        rows = _PARTITIONERS[by](vis, int(k))
        homes = _Homes.of(vis.messages, rows)
        parts = _sub_logs(vis, rows, homes)
        with _on_workers(cl, parts) as (futs, folder):
            one = [cl.submit(_round_one, f, folder, i, pure=False) for i, f in enumerate(futs)]
            # queued behind the masking on each worker: they run while the templates are grouped
            dl = [cl.submit(_partition_deadlines, f, s, pure=False) for f in futs]
            masked = [_unship(x) for x in cl.gather(one)]
            tr = templates_from_masked(vis, _in_row_order(vis, rows, masked),
                                        s.templates or TemplateConfig(),
                                        s.reply_patterns or ReplyPatterns.default())
            # the partitions' shares of the template assignment go as data, not in the graph
            tm_futs = cl.scatter(_by_partition(tr.messages, homes, len(rows)), hash=False)
            two = [tuple(_unship(x) for x in out) for out in cl.gather(
                [cl.submit(_round_two, f, tm, s, d, folder, i, pure=False)
                 for i, (f, tm, d) in enumerate(zip(futs, tm_futs, dl, strict=True))])]
    a.__dict__.update(
        turns=_concat([t for t, _, _, _ in two], ["case_id", "turn"]),
        templates=tr,
        escalations=_concat([e for _, e, _, _ in two], ["case_id", "sent_at", "message_id"]),
        deadlines=_concat([d for _, _, d, _ in two], ["case_id", "sent_at", "message_id"]),
        readiness=_concat([r for _, _, _, r in two], ["case_id"]),
    )
    return a
