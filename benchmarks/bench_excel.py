"""Excel loading against the fastest reader of the same sheet (python-calamine).

Run ``.venv/bin/python benchmarks/bench_excel.py [--rows 100000] [--runs 5] [--dir DIR]``. It
writes (once, into ``DIR``, default ``benchmarks/_data``) an ``.xlsx`` holding the first
``--rows`` messages of the benchmark's clean CSV (generated when missing) and times, interleaved,
each in this process, medians of ``--runs``:

* ``python_calamine``: ``CalamineWorkbook.from_path(f).get_sheet_by_index(0).to_python()``,
  the raw cells of the sheet (the yardstick: no reader of ``.xlsx`` is faster here);
* ``caselog.load``: the whole load (cells, dates, values, rejects, cases).

The target of the performance work is ``caselog.load`` <= 2x the raw calamine read.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def write_book(folder: Path, rows: int) -> Path:
    """The ``.xlsx`` of the first ``rows`` messages of the clean benchmark CSV."""
    import pandas as pd
    from _data_modes import make_data

    path = folder / f"bench_excel_{rows}.xlsx"
    if path.exists():
        return path
    csv, _, _ = make_data("clean", max(1000, rows // 9), 20260101, folder)
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False, nrows=rows)
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Messages")
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False, name=None):
        ws.append(list(row))
    wb.save(path)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--dir", type=Path, default=HERE / "_data")
    args = ap.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    book = write_book(args.dir, args.rows)

    from python_calamine import CalamineWorkbook

    import caselog

    def calamine() -> int:
        return len(CalamineWorkbook.from_path(str(book)).get_sheet_by_index(0).to_python())

    def load() -> int:
        return len(caselog.load(book).messages)

    tools = {"python_calamine": calamine, "caselog.load": load}
    times: dict[str, list[float]] = {k: [] for k in tools}
    counts: dict[str, int] = {}
    for _ in range(args.runs):
        for name, work in tools.items():  # interleaved: a busy spell hits both
            t0 = time.process_time()
            counts[name] = work()
            times[name].append(time.process_time() - t0)
    base = statistics.median(times["python_calamine"])
    print(f"{book.name}: {book.stat().st_size / 1e6:.1f} MB, {args.rows:,} rows "
          f"(CPU time, medians of {args.runs}, interleaved)")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"  {name:<16} {med:7.2f} s  {med / base:5.2f}x calamine  ({counts[name]:,} rows)")


if __name__ == "__main__":
    main()
