"""Load time of the sample's mailbox and of a generated 10,000-mail mbox.

Run ``.venv/bin/python benchmarks/bench_mail.py``; prints the size, the mails, the CaseLog and the
seconds :func:`caselog.load` took for each.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import caselog
from caselog.sample._sources import mbox_cases, write_mbox, write_sources


def timed_load(path: Path) -> tuple[caselog.CaseLog, float]:
    t0 = time.perf_counter()
    log = caselog.load(path)
    return log, time.perf_counter() - t0


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    paths = write_sources(folder, caselog.sample.generate())
    log, seconds = timed_load(paths["mbox"])
    size = paths["mbox"].stat().st_size / 1e6
    print(f"sample mbox: {size:.1f} MB, {log.input_rows} mails -> {log}, {seconds:.2f} s")

    big = caselog.sample.generate(n_cases=1700, seed=7)
    ids = mbox_cases(big)
    per_case = big.messages[big.messages["case_id"].isin(ids)].groupby("case_id").size().cumsum()
    n = write_mbox(folder / "big.mbox", big, list(per_case[per_case <= 9996].index))
    log, seconds = timed_load(folder / "big.mbox")
    size = (folder / "big.mbox").stat().st_size / 1e6
    print(f"{n:,}-mail mbox: {size:.1f} MB -> {log}, {len(log.skipped)} skipped, {seconds:.2f} s")


if __name__ == "__main__":
    main()
