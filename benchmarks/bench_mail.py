"""Mails/s of the e-mail and help-desk readers, against the standard library's mail parser.

Run ``.venv/bin/python benchmarks/bench_mail.py [--mails 20000] [--dir DIR]``. It writes (once, into
``DIR``, default a temporary folder; the mbox takes a few minutes to write) an mbox of the sample's
e-mail cases with at least ``--mails`` mails and the same cases as a Zendesk JSON export, then
times, each in this process:

(``--mails 20000`` writes 19,999 case mails and the sample's 4 mails that are not case mail.)

* ``email.message_from_bytes`` (compat32) over every mail of the mbox: the yardstick, the plain
  parse any mail reader starts from (times below are also given in yardsticks, so that runs on a
  busy machine compare);
* ``read_email`` (the reader alone: raw table of text) and ``caselog.load`` (reader, then the
  loader's pipeline: dates, values, rejects, cases) on the mbox;
* ``read_helpdesk`` and ``caselog.load`` on the Zendesk export.
"""

from __future__ import annotations

import argparse
import email
import mailbox
import tempfile
import time
from email.policy import compat32
from pathlib import Path

import caselog
from caselog.io._email import read_email
from caselog.io._helpdesk import read_helpdesk
from caselog.sample._sources import mbox_cases, write_helpdesk_json, write_mbox


def write_inputs(folder: Path, mails: int) -> tuple[Path, Path]:
    """The mbox (at least ``mails`` mails) and the Zendesk export of the same cases."""
    mbox, desk = folder / f"bench_{mails}.mbox", folder / f"bench_{mails}_zendesk.json"
    if mbox.exists() and desk.exists():
        return mbox, desk
    sample = caselog.sample.generate(n_cases=max(20, mails * 18 // 100), seed=7)
    ids = mbox_cases(sample)
    per_case = sample.messages[sample.messages["case_id"].isin(ids)].groupby("case_id").size().cumsum()
    chosen = list(per_case[per_case <= mails].index)
    write_mbox(mbox, sample, chosen)
    write_helpdesk_json(desk, sample, chosen)
    return mbox, desk


def timed(work) -> tuple[object, float]:
    t0 = time.perf_counter()
    out = work()
    return out, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mails", type=int, default=20_000)
    ap.add_argument("--dir", type=Path, default=None)
    args = ap.parse_args()
    folder = args.dir or Path(tempfile.mkdtemp())
    folder.mkdir(parents=True, exist_ok=True)
    mbox, desk = write_inputs(folder, args.mails)
    box = mailbox.mbox(str(mbox), create=False)
    raws = [box.get_bytes(k) for k in box.keys()]
    box.close()
    _, yard = timed(lambda: [email.message_from_bytes(r, policy=compat32) for r in raws])
    n = len(raws)
    print(f"mbox: {mbox.stat().st_size / 1e6:.1f} MB, {n:,} mails; yardstick (email.message_from_bytes "
          f"of each) {yard:.2f} s = {n / yard:,.0f} mails/s")
    table, s = timed(lambda: read_email(mbox))
    print(f"read_email   : {s:6.2f} s = {table.items / s:8,.0f} mails/s  ({s / yard:.2f} yardsticks)")
    log, s = timed(lambda: caselog.load(mbox))
    print(f"caselog.load : {s:6.2f} s = {log.input_rows / s:8,.0f} mails/s  ({s / yard:.2f} yardsticks) -> {log}")
    table, s = timed(lambda: read_helpdesk(desk))
    print(f"zendesk {desk.stat().st_size / 1e6:.1f} MB, read_helpdesk: {s:6.2f} s = {table.items / s:8,.0f} "
          f"comments/s  ({s / yard:.2f} yardsticks)")
    log, s = timed(lambda: caselog.load(desk))
    print(f"zendesk caselog.load : {s:6.2f} s = {log.input_rows / s:8,.0f} comments/s  "
          f"({s / yard:.2f} yardsticks) -> {log}")


if __name__ == "__main__":
    main()
