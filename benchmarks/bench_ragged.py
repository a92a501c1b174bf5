"""The ragged-row cliff: ``caselog.load`` of the clean benchmark CSV against the same file with
one ragged row (one field too many) in its middle.

Run ``.venv/bin/python benchmarks/bench_ragged.py [--cases 100000] [--runs 3] [--dir DIR]``.
It writes (once, into ``DIR``, default ``benchmarks/_data``) the one-ragged copy of the clean
CSV of ``--cases`` cases (generated when missing) and loads each file in a fresh process,
``--runs`` rounds interleaved, reporting the median wall time of ``caselog.load`` (the imports
timed apart) and the peak resident memory of the process.

The target of the performance work: the one-ragged file loads in <= 1.1x the clean file's time,
with the same peak memory (one bad row must not send the loader down a slower path).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def one_ragged(clean: Path) -> Path:
    """A copy of ``clean`` with one field too many on the record that starts nearest its middle."""
    out = clean.with_name(clean.stem + ".one_ragged.csv")
    if out.exists() and out.stat().st_mtime >= clean.stat().st_mtime:
        return out
    import csv

    with clean.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    rows[len(rows) // 2] = rows[len(rows) // 2] + ["stray field"]
    with out.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return out


def _stage(path: str) -> None:  # in the child process
    import resource
    import time

    t0 = time.perf_counter()
    import caselog
    import caselog.io  # noqa: F401 - pandas, numpy, pyarrow: timed apart

    t1 = time.perf_counter()
    log = caselog.load(path)
    t2 = time.perf_counter()
    print(json.dumps({"import": t1 - t0, "load": t2 - t1, "messages": len(log.messages),
                      "rejects": len(log.rejects),
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--dir", type=Path, default=HERE / "_data")
    ap.add_argument("--stage", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.stage:
        _stage(args.stage)
        return
    from _data_modes import make_data

    clean, _, _ = make_data("clean", args.cases, 20260101, args.dir)
    files = {"clean": clean, "one ragged row": one_ragged(clean)}
    got: dict[str, list[dict]] = {k: [] for k in files}
    for _ in range(args.runs):
        for name, path in files.items():  # interleaved: a busy spell hits both
            proc = subprocess.run([sys.executable, __file__, "--stage", str(path)],
                                  capture_output=True, text=True, check=True)
            got[name].append(json.loads(proc.stdout.strip().splitlines()[-1]))
    base = statistics.median(r["load"] for r in got["clean"])
    print(f"{clean.name}: wall time of caselog.load, medians of {args.runs}, fresh processes, interleaved")
    for name, runs in got.items():
        load = statistics.median(r["load"] for r in runs)
        peak = statistics.median(r["peak_mb"] for r in runs)
        print(f"  {name:<15} {load:6.2f} s  {load / base:5.2f}x clean  peak {peak:7.0f} MB  "
              f"({runs[0]['messages']:,} messages, {runs[0]['rejects']:,} rejects)")


if __name__ == "__main__":
    main()
