"""The benchmark: caselog against the fastest plain readers and its peers, three data modes.

Usage::

    make bench                         # = .venv/bin/python benchmarks/run.py (100,000 cases)
    .venv/bin/python benchmarks/run.py --cases 2000 --runs 1          # a quick look
    .venv/bin/python benchmarks/run.py --cases 1000000 --runs 1 --modes clean --no-peers \\
        --no-readers --no-dask --no-warm --no-workbook --out benchmarks/results_10m.json  # 10M

For each data mode (``clean``, ``variety``, ``dirty``: see ``_data_modes.py``) every stage runs
in a fresh process, ``--runs`` rounds interleaved (round-robin over the stages), and the median
is reported:

* the plain readers: polars ``read_csv``, pyarrow ``csv.read_csv(newlines_in_values=True)``,
  duckdb ``read_csv`` and ``pandas.read_csv`` with its defaults; the yardstick is the fastest
  of them in the run;
* ``caselog.load`` and each analysis of ``caselog.analyse`` (turns, templates, escalations,
  readiness) **cold** -- the first computation in a fresh process; the imports (pandas,
  numpy, pyarrow for caselog; each reader's own) are timed apart -- then
  **warm** (load and a new ``analyse`` again in the same process), with the peak resident
  memory after each stage, and the pairwise F1 of the templates against the generator's truth;
* ``caselog.analyse_partitioned`` on a local Dask cluster of 2 worker processes (speed-up
  against the single-process analyses; the cluster start is reported apart);
* peers (when installed, ``pip install -e '.[bench]'``; pm4py separately): business hours
  against pm4py's ``BusinessHours``, templates against drain3 on the raw bodies (F1 of both).

Results go to ``benchmarks/results.json``; ``benchmarks/readme_table.py`` writes the README table
from it.  Issue-14 targets: load <= 3x the fastest reader; templates >= 100,000 Amazon
messages/s on high-variety text with F1 >= 0.99; peak memory <= 1 KB per message.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
DATA = HERE / "_data"
READERS = ("polars", "pyarrow", "duckdb", "pandas")
# templates first: turns reuses the templates' reply classes (its acknowledgement test), so its
# figure is its own work; the sum of the four is the whole of the analyses either way
ANALYSES = ("templates", "turns", "escalations", "readiness")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


# ------------------------------------------------------------------------------------ stages
def stage_read(tool: str, path: Path, mode: str) -> dict:
    ragged = mode == "dirty"
    t_import = time.perf_counter()
    if tool == "polars":
        import polars as pl

        t0 = time.perf_counter()
        n = pl.read_csv(path, truncate_ragged_lines=ragged, infer_schema=False).height
    elif tool == "pyarrow":
        import pyarrow.csv as pcsv

        t0 = time.perf_counter()
        parse = pcsv.ParseOptions(newlines_in_values=True,
                                  invalid_row_handler=(lambda r: "skip") if ragged else None)
        n = pcsv.read_csv(path, parse_options=parse).num_rows
    elif tool == "duckdb":
        import duckdb

        t0 = time.perf_counter()
        con = duckdb.connect()
        opts = ", null_padding=true, ignore_errors=true, parallel=false" if ragged else ""
        n = con.sql(f"select * from read_csv('{path}', all_varchar=true{opts})"
                    ).fetch_arrow_table().num_rows
    else:
        import pandas as pd

        t0 = time.perf_counter()
        n = len(pd.read_csv(path, on_bad_lines="skip" if ragged else "error",
                            engine="python" if ragged else "c"))
    return {"seconds": time.perf_counter() - t0, "import": t0 - t_import, "rows": n,
            "peak_mb": _peak_mb()}


def _timed(out: dict, key: str, fn):
    t0 = time.perf_counter()
    value = fn()
    out[key] = time.perf_counter() - t0
    out[f"{key}_peak_mb"] = _peak_mb()
    return value


def _analyses(log, out: dict, prefix: str) -> object:
    import caselog

    a = _timed(out, f"{prefix}analyse", lambda: caselog.analyse(log))
    for name in ANALYSES:
        _timed(out, f"{prefix}{name}", lambda n=name: getattr(a, n))
    return a


def _turns_floor(messages) -> float:
    """The pandas floor of ``turns``: what a user writes for the first seller message and the
    first Amazon reply of each case (sort by case and time, then one groupby), median of 3."""
    def floor():
        s = messages.sort_values(["case_id", "sent_at", "message_id"])
        return s.groupby(["case_id", "direction"], sort=False)["sent_at"].agg(["first", "count"])

    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        floor()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def stage_pipeline(path: Path, truth: Path, warm: bool, workbook: bool = True) -> dict:
    out: dict = {}
    t0 = time.perf_counter()
    import caselog
    import caselog.analysis
    import caselog.io  # pandas, numpy, pyarrow: timed apart, as the readers' imports are

    out["import"] = time.perf_counter() - t0
    log = _timed(out, "load", lambda: caselog.load(path))
    out["messages"] = len(log.messages)
    out["rejects"] = len(log.rejects)
    out["duplicates"] = int(log.duplicates)
    out["input_rows"] = int(log.input_rows)
    a = _analyses(log, out, "")
    out["amazon_messages"] = len(a.templates.messages)
    out["peak_mb"] = _peak_mb()
    import pandas as pd

    tm = pd.read_csv(truth, dtype=str, keep_default_na=False)
    tm["sent_at"] = pd.to_datetime(tm["sent_at"], utc=True)
    scores = caselog.evaluate_templates(a.templates, tm, log.messages)
    out["templates_f1"] = scores["f1"]
    out["templates_found"] = len(a.templates.catalogue)
    out["turns_floor"] = _turns_floor(log.messages)
    import tempfile

    if workbook:
        with tempfile.TemporaryDirectory() as tmp:  # the audit workbook of the whole log
            _timed(out, "workbook", lambda: caselog.write_workbook(a, Path(tmp) / "audit.xlsx"))
    if warm:
        del a
        log = _timed(out, "warm_load", lambda: caselog.load(path))
        _analyses(log, out, "warm_")
    return out


def stage_dask(path: Path, n_workers: int) -> dict:
    from distributed import Client, LocalCluster

    import caselog

    out: dict = {}
    log = caselog.load(path)
    out["messages"] = len(log.messages)
    t0 = time.perf_counter()
    cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                           dashboard_address=":0", silence_logs=40)
    client = Client(cluster)
    client.run(lambda: __import__("caselog.analysis"))  # a ready cluster: workers imported
    out["cluster_start"] = time.perf_counter() - t0
    try:
        t0 = time.perf_counter()
        caselog.analyse_partitioned(log, client=client)
        out["partitioned"] = time.perf_counter() - t0
        peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0)
        out["worker_peak_mb"] = max(peaks.values())
    finally:
        client.close()
        cluster.close()
    out["driver_peak_mb"] = _peak_mb()
    return out


def stage_peers(n_cases: int, seed: int) -> dict:
    """Business hours against pm4py, templates against drain3 (clean and high-variety text)."""
    import numpy as np
    import pandas as pd
    from _data_modes import _edit_bodies

    import caselog

    out: dict = {}
    sample = caselog.sample.generate(seed=seed, n_cases=n_cases)
    log = sample.log
    t = caselog.turns(log)
    t = t[t["reply_at"].notna()]
    cal = caselog.BusinessCalendar(tz="UTC")
    start, end = t["first_seller_at"], t["reply_at"]
    t0 = time.perf_counter()
    ours = caselog.business_hours_between(start, end, cal)
    out["bh_pairs"] = len(t)
    out["bh_caselog_s"] = time.perf_counter() - t0
    try:
        from pm4py.util.business_hours import BusinessHours

        slots = [((d * 24 + 9) * 3600, (d * 24 + 17) * 3600) for d in range(5)]
        k = min(len(t), 20_000)
        s_py, e_py = start.iloc[:k].dt.to_pydatetime(), end.iloc[:k].dt.to_pydatetime()
        t0 = time.perf_counter()
        theirs = [BusinessHours(a, b, business_hour_slots=slots).get_seconds() / 3600
                  for a, b in zip(s_py, e_py, strict=True)]
        out["bh_pm4py_s"] = (time.perf_counter() - t0) * len(t) / k
        out["bh_pm4py_pairs"] = k
        out["bh_max_diff_hours"] = float(np.nanmax(np.abs(ours.iloc[:k].to_numpy() - theirs)))
    except ImportError:
        out["bh_pm4py_s"] = None
    for mode in ("clean", "variety"):
        m = log.messages
        if mode == "variety":
            amazon = (m["direction"] == "amazon").to_numpy()
            body = m["body"].to_numpy(dtype=object)
            body[amazon] = _edit_bodies(body[amazon], np.random.default_rng(seed + 1))
            m = m.assign(body=pd.array(body, dtype="str"))
        mlog = caselog.CaseLog(messages=m, cases=log.cases)
        t0 = time.perf_counter()
        ours_t = caselog.find_templates(mlog)
        out[f"tpl_{mode}_caselog_s"] = time.perf_counter() - t0
        out[f"tpl_{mode}_caselog_f1"] = caselog.evaluate_templates(
            ours_t, sample.truth_messages, m)["f1"]
        out[f"tpl_{mode}_amazon"] = len(ours_t.messages)
        try:
            from drain3 import TemplateMiner
            from drain3.template_miner_config import TemplateMinerConfig
        except ImportError:
            out[f"tpl_{mode}_drain3_s"] = None
            continue
        am = m[m["direction"] == "amazon"]
        config = TemplateMinerConfig()
        config.profiling_enabled = False
        miner = TemplateMiner(config=config)
        bodies = am["body"].astype(str).str.replace("\n", " ").tolist()
        t0 = time.perf_counter()
        ids = [miner.add_log_message(b)["cluster_id"] for b in bodies]
        out[f"tpl_{mode}_drain3_s"] = time.perf_counter() - t0
        pred = pd.DataFrame({"message_id": am["message_id"].to_numpy(),
                             "template_id": pd.array(ids, dtype="Int64"),
                             "reply_class": ""})
        fake = caselog.TemplateResult(messages=pred, catalogue=pd.DataFrame(),
                                      cases=pd.DataFrame(), variants=pd.DataFrame())
        out[f"tpl_{mode}_drain3_f1"] = caselog.evaluate_templates(
            fake, sample.truth_messages.drop(columns="reply_class"), m)["f1"]
    return out


# ------------------------------------------------------------------------------------ driver
def _run(args: list[str], timeout: float | None = None) -> dict | None:
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                          check=False, timeout=timeout)
    if proc.returncode != 0:
        print(f"  stage {' '.join(args[:4])} failed:\n{proc.stderr[-2000:]}", flush=True)
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _installed(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def _median(rows: list[dict], key: str) -> float | None:
    vals = [r[key] for r in rows if r and r.get(key) is not None]
    return statistics.median(vals) if vals else None


def _mode_results(mode: str, args, seed: int) -> dict:
    from _data_modes import make_data

    path, truth, notes = make_data(mode, args.cases, seed, DATA)
    readers = [] if args.no_readers else [r for r in READERS if r == "pandas" or _installed(r)]
    if args.no_pandas and "pandas" in readers:
        readers.remove("pandas")
    stages = [("read", r) for r in readers] + [("pipeline", "")]
    if not args.no_dask and mode in args.dask_modes and _installed("distributed"):
        stages.append(("dask", ""))
    rows: dict[tuple, list] = {s: [] for s in stages}
    runs = args.variety_runs if mode == "variety" else args.runs
    for r in range(runs):  # interleaved: one round over every stage, then the next
        for kind, tool in stages:
            if kind == "read":
                res = _run(["--stage", "read", "--tool", tool, "--mode", mode, str(path)])
            elif kind == "pipeline":
                warm = not args.no_warm and mode in args.warm_modes
                res = _run(["--stage", "pipeline", "--truth", str(truth), str(path)]
                           + (["--warm"] if warm else [])
                           + (["--no-workbook"] if args.no_workbook else []))
            else:
                res = _run(["--stage", "dask", "--workers", str(args.workers), str(path)])
            rows[(kind, tool)].append(res)
            print(f"  {mode} round {r + 1}: {kind} {tool} done", flush=True)
    out: dict = {"file_mb": path.stat().st_size / 1e6, "notes": notes, "readers": {}}
    for r in readers:
        out["readers"][r] = {"seconds": _median(rows[("read", r)], "seconds"),
                             "import": _median(rows[("read", r)], "import"),
                             "peak_mb": _median(rows[("read", r)], "peak_mb")}
    fast = {r: v["seconds"] for r, v in out["readers"].items() if v["seconds"] is not None}
    if fast:
        out["yardstick"] = min(fast, key=fast.get)
    pipe = [p for p in rows[("pipeline", "")] if p]
    keys = sorted({k for p in pipe for k in p})
    out["pipeline"] = {k: _median(pipe, k) for k in keys}
    if ("dask", "") in rows:
        d = [p for p in rows[("dask", "")] if p]
        out["dask"] = {k: _median(d, k) for k in sorted({k for p in d for k in p})}
    return out


def _print(mode: str, res: dict) -> None:
    p = res["pipeline"]
    n = p.get("messages") or 0
    print(f"\n== {mode}: {n:,.0f} messages, {res['file_mb']:,.0f} MB "
          f"(rejects {p.get('rejects', 0):,.0f}, duplicates {p.get('duplicates', 0):,.0f})")
    for r, v in res["readers"].items():
        if v["seconds"] is not None:
            print(f"  {r + ' read_csv':<28} {v['seconds']:8.2f} s")
    y = res.get("yardstick")
    ys = res["readers"][y]["seconds"] if y else None
    cold = sum(p.get(a) or 0 for a in ANALYSES)
    print(f"  {'caselog imports':<28} {p.get('import', 0):8.2f} s (pandas, numpy, pyarrow)")
    print(f"  {'caselog.load (cold)':<28} {p.get('load', 0):8.2f} s"
          + (f"  = {p['load'] / ys:.1f}x {y}" if ys else ""))
    for a in ANALYSES:
        w = p.get(f"warm_{a}")
        print(f"  {a + ' (cold / warm)':<28} {p.get(a) or 0:8.2f} s"
              + (f"  / {w:.2f} s" if w is not None else ""))
    if p.get("warm_load") is not None:
        print(f"  {'caselog.load (warm)':<28} {p['warm_load']:8.2f} s")
    total = p.get("load", 0) + cold
    print(f"  {'load + analyses (cold)':<28} {total:8.2f} s"
          + (f"  = {total / ys:.1f}x {y}" if ys else ""))
    if p.get("workbook") is not None:
        print(f"  {'audit workbook':<28} {p['workbook']:8.2f} s (after the analyses)")
    if p.get("turns_floor"):
        w = p.get("warm_turns")
        print(f"  turns: {p.get('turns', 0) / p['turns_floor']:.2f}x the pandas groupby floor "
              f"({p['turns_floor']:.2f} s)" + (f", warm {w / p['turns_floor']:.2f}x" if w else ""))
    if p.get("amazon_messages") and p.get("templates"):
        print(f"  templates: {p['amazon_messages'] / p['templates']:,.0f} Amazon messages/s "
              f"(cold), pairwise F1 {p.get('templates_f1', float('nan')):.4f}")
    if n:
        print(f"  peak memory {p.get('peak_mb', 0):,.0f} MB = "
              f"{p.get('peak_mb', 0) * 1024 / n:,.2f} KB per message (load peak "
              f"{p.get('load_peak_mb', 0):,.0f} MB)")
    d = res.get("dask")
    if d and d.get("partitioned"):
        print(f"  dask, 2 workers: analyses {d['partitioned']:.2f} s = "
              f"{cold / d['partitioned']:.2f}x speed-up over {cold:.2f} s single-process "
              f"(cluster start {d['cluster_start']:.1f} s apart)")


def _arrow_pool() -> str:
    """The Arrow pool caselog's entry points allocate from (jemalloc where pyarrow has it) and
    the default one the plain pyarrow reader uses."""
    import pyarrow as pa

    from caselog._memory import _preferred_pool

    ours = _preferred_pool()
    default = pa.default_memory_pool().backend_name
    return f"{ours.backend_name if ours is not None else default} (pyarrow's default: {default})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=20260101)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--modes", default=",".join(("clean", "variety", "dirty")))
    ap.add_argument("--dask-modes", default="clean")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--peer-cases", type=int, default=10_000)
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--no-readers", action="store_true")
    ap.add_argument("--no-pandas", action="store_true")
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--no-warm", action="store_true")
    ap.add_argument("--no-workbook", action="store_true",
                    help="skip the audit workbook (at 10M messages it alone takes minutes)")
    ap.add_argument("--warm-modes", default="clean,dirty",
                    help="modes whose pipeline also times a warm round (default clean,dirty)")
    ap.add_argument("--variety-runs", type=int, default=1,
                    help="rounds of the high-variety mode (its templates take minutes at 1M)")
    ap.add_argument("--out", default=str(HERE / "results.json"))
    # internal: one stage in this (fresh) process
    ap.add_argument("--stage", choices=["read", "pipeline", "dask", "peers"])
    ap.add_argument("--tool")
    ap.add_argument("--mode")
    ap.add_argument("--truth")
    ap.add_argument("--warm", action="store_true")
    ap.add_argument("path", nargs="?")
    args = ap.parse_args(argv)
    if args.stage == "read":
        res = stage_read(args.tool, Path(args.path), args.mode)
    elif args.stage == "pipeline":
        res = stage_pipeline(Path(args.path), Path(args.truth), args.warm,
                             workbook=not args.no_workbook)
    elif args.stage == "dask":
        res = stage_dask(Path(args.path), args.workers)
    elif args.stage == "peers":
        res = stage_peers(args.peer_cases, args.seed)
    if args.stage:
        print(json.dumps(res))
        return 0

    args.dask_modes = args.dask_modes.split(",")
    args.warm_modes = args.warm_modes.split(",")
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    results: dict = {
        "started": started, "cases": args.cases, "runs": args.runs,
        "variety_runs": args.variety_runs, "seed": args.seed,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform(), "arrow_pool": _arrow_pool()},
        "modes": {},
    }
    for mode in args.modes.split(","):
        results["modes"][mode] = _mode_results(mode, args, args.seed)
        _print(mode, results["modes"][mode])
        Path(args.out).write_text(json.dumps(results, indent=2, default=str) + "\n")
    if not args.no_peers:
        peers = _run(["--stage", "peers", "--peer-cases", str(min(args.peer_cases, args.cases)),
                      "--seed", str(args.seed)])
        results["peers"] = peers
        if peers:
            print(f"\n== peers ({min(args.peer_cases, args.cases):,} cases)")
            if peers.get("bh_pm4py_s"):
                print(f"  business hours: caselog {peers['bh_caselog_s']:.3f} s, pm4py "
                      f"{peers['bh_pm4py_s']:.2f} s for {peers['bh_pairs']:,} pairs "
                      f"= {peers['bh_pm4py_s'] / peers['bh_caselog_s']:.0f}x")
            for mode in ("clean", "variety"):
                if peers.get(f"tpl_{mode}_drain3_s"):
                    print(f"  templates ({mode}): caselog {peers[f'tpl_{mode}_caselog_s']:.2f} s "
                          f"F1 {peers[f'tpl_{mode}_caselog_f1']:.3f}; drain3 "
                          f"{peers[f'tpl_{mode}_drain3_s']:.2f} s F1 "
                          f"{peers[f'tpl_{mode}_drain3_f1']:.3f} = "
                          f"{peers[f'tpl_{mode}_drain3_s'] / peers[f'tpl_{mode}_caselog_s']:.0f}x")
    results["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    Path(args.out).write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
