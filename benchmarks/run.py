"""End-to-end benchmark: load + the four analyses on ~1M messages in 100,000 cases.

Usage::

    make bench                      # or: .venv/bin/python benchmarks/run.py [--cases N] [--runs 3]

It generates the sample at scale once (cached in ``benchmarks/_data/``), then runs every
stage in a fresh subprocess ``--runs`` times and prints the median seconds per stage, the
analyses' total against the time pandas takes just to read the CSV, the template assignment
rate (Amazon messages per second) and the peak resident memory of the pipeline process.

Targets (issue 3): analyses together <= 3x pandas' CSV read, template assignment >= 100,000
Amazon messages/s, peak memory < 2 GB.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "_data"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def make_data(n_cases: int, seed: int) -> Path:
    """Write the scaled sample as one long CSV (the export form of tool A); cached."""
    from caselog.sample import generate, to_export_frames

    DATA.mkdir(exist_ok=True)
    path = DATA / f"bench_{n_cases}_{seed}.csv"
    if path.exists():
        return path
    t0 = time.perf_counter()
    sample = generate(seed=seed, n_cases=n_cases)
    t1 = time.perf_counter()
    csv_frame, _, _ = to_export_frames(sample)
    csv_frame.to_csv(path, index=False)
    print(
        f"generated {len(sample.messages):,} messages in {n_cases:,} cases in {t1 - t0:.1f} s; "
        f"wrote {path.name} ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t1:.1f} s",
        flush=True,
    )
    return path


def stage_read_csv(path: Path) -> dict:
    import pandas as pd

    t0 = time.perf_counter()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return {"read_csv": time.perf_counter() - t0, "rows": len(frame), "peak_mb": _peak_mb()}


def stage_pipeline(path: Path) -> dict:
    import caselog
    from caselog import escalations
    from caselog import readiness
    from caselog import turns
    from caselog import find_templates

    out: dict[str, float] = {}
    t0 = time.perf_counter()
    log = caselog.load(path)
    out["load"] = time.perf_counter() - t0
    as_of = log.as_of

    t0 = time.perf_counter()
    turns(log, as_of=as_of)
    out["turns"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    templates = find_templates(log)
    out["templates"] = time.perf_counter() - t0
    out["amazon_messages"] = float(len(templates.messages))

    t0 = time.perf_counter()
    esc = escalations(log, as_of=as_of, templates=templates)
    out["escalations"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    readiness(log, as_of=as_of, templates=templates, escalations=esc)
    out["readiness"] = time.perf_counter() - t0

    out["messages"] = float(len(log.messages))
    out["peak_mb"] = _peak_mb()
    return out


def _run_stage(stage: str, path: Path) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, "--stage", stage, str(path)],
        capture_output=True, text=True, check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"stage {stage} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=20260101)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--stage", choices=["read_csv", "pipeline"])
    ap.add_argument("path", nargs="?")
    args = ap.parse_args(argv)
    if args.stage:
        fn = stage_read_csv if args.stage == "read_csv" else stage_pipeline
        print(json.dumps(fn(Path(args.path))))
        return 0

    path = make_data(args.cases, args.seed)
    reads = [_run_stage("read_csv", path) for _ in range(args.runs)]
    pipes = [_run_stage("pipeline", path) for _ in range(args.runs)]

    def med(rows: list[dict], key: str) -> float:
        return statistics.median(r[key] for r in rows)

    read = med(reads, "read_csv")
    stages = ["load", "turns", "templates", "escalations", "readiness"]
    analyses = ["turns", "templates", "escalations", "readiness"]
    total = sum(med(pipes, s) for s in analyses)
    rate = pipes[0]["amazon_messages"] / med(pipes, "templates")
    print(f"\n{int(pipes[0]['messages']):,} messages, {args.cases:,} cases; median of {args.runs} runs")
    print(f"  pandas read_csv        {read:8.2f} s")
    for s in stages:
        print(f"  {s:<22} {med(pipes, s):8.2f} s")
    print(f"  four analyses together {total:8.2f} s  = {total / read:.2f} x read_csv (target <= 3)")
    print(f"  template assignment    {rate:,.0f} Amazon messages/s (target >= 100,000)")
    print(f"  peak memory (pipeline) {max(r['peak_mb'] for r in pipes):8.0f} MB (target < 2048)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
