"""Fuzz caselog's read path and entry points with generated hostile inputs; print outcome counts.

Usage::

    python benchmarks/fuzz.py [--n 10000] [--seed 1] [--show 3]

Inputs (seeded, reproducible): generated CSV text, byte-mutated sample CSV, byte- and
XML-mutated small XLSX workbooks, and hostile arguments to ``load()``, ``analyse()`` and
``write_workbook()``.  Each input ends in exactly one outcome:

- ``loaded``: ``input_rows == messages + rejects + duplicates`` held;
- ``CaselogError:<subclass>``: refused with caselog's own error;
- ``RAW:<type>``: any other exception (a bug);
- ``counts-mismatch``: loaded, but the counts did not add up (a bug);
- ``warning:<category>``: a warning reached the caller (a bug).

The target is zero of the last three.  ``tests/test_fuzz.py`` runs the same generators under
hypothesis in the suite.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import tempfile
import time
import traceback
import warnings
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CSV = ROOT / "data" / "sample" / "caselog_sample.csv"

HEADERS = ["Case ID", "case_id", "Date", "Sent", "Created (Europe/Berlin)", "From", "Sender", "Team",
           "Channel", "Subject", "Body", "Message", "Attachments", "Type", "Status", "Category",
           "Account", "Closed", "Opened", "ASINs", "", "Case ID", "x"]
TOKENS = ["1", "12345678901", "NA", "N/A", "NULL", "None", "", " ", "Amazon", "seller", "Seller Support",
          "From: seller-performance@amazon.com", "jo@shop.example", "2026-03-14 14:05", "03/14/2026 2:05 PM",
          "14.03.2026 14:05", "14/03/2026", "01/01/1000", "9999-12-31", "1677-01-01", "45000", "45000.5",
          "1e30", "inf", "-1", "yes", "0", "２０２６-０３-１４", "١٤/٠٣/٢٠٢٦", "14 Mar 2026 14:05 PST",
          "2026-03-14T14:05:00+25:00", "=SUM(1)", "@x", "\u202e", "\ufffe", "\x00", "\r", "\n", "\"",
          "a\"b", ",", ";", "\t", "|", "é", "😀", "Ünïcödé", "<script>", "\x1b[2J"]
LONG = "x" * 140_000  # over Python csv's 131,072-character field limit: at most one per file


def _cell(rng: random.Random) -> str:
    t = rng.choice(TOKENS)
    if rng.random() < 0.2:
        t = t + rng.choice(TOKENS)
    if rng.random() < 0.1:
        t = "".join(chr(rng.randrange(1, 0x2FFFF)) for _ in range(rng.randrange(1, 6)))
    return t


def gen_csv_text(rng: random.Random) -> tuple[str, bytes]:
    """A delimited text file of random headers and cells, in a random encoding."""
    sep = rng.choice([",", ",", "\t", ";", "|"])
    cols = rng.sample(HEADERS, rng.randrange(1, 9))
    if rng.random() < 0.7:  # usually a loadable core
        cols = ["Case ID", "Date", "From"] + cols
    lines = [sep.join(cols)]
    for _ in range(rng.randrange(0, 12)):
        n = len(cols) + rng.choice([0, 0, 0, 0, -1, 1, 3])
        cells = [_cell(rng) for _ in range(max(n, 0))]
        if rng.random() < 0.5:
            cells = ['"' + c.replace('"', '""') + '"' if rng.random() < 0.5 else c for c in cells]
        lines.append(sep.join(cells))
    if rng.random() < 0.03 and len(lines) > 1:
        lines[-1] += sep + LONG
    text = rng.choice(["\n", "\r\n", "\r"]).join(lines) + rng.choice(["", "\n"])
    enc = rng.choice(["utf-8", "utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"])
    data = text.encode(enc, errors="replace") if enc != "utf-8" else text.encode("utf-8", "surrogatepass")
    return rng.choice([".csv", ".csv", ".tsv", ".txt"]), data


def _mutate(rng: random.Random, data: bytes, n: int) -> bytes:
    b = bytearray(data)
    for _ in range(n):
        if not b:
            b += bytes([rng.randrange(256)])
        op = rng.randrange(5)
        i = rng.randrange(len(b))
        if op == 0:
            b[i] = rng.randrange(256)
        elif op == 1:
            b[i:i] = rng.choice([b",", b"\"", b"\n", b"\r", b"\t", b"\x00", b"\xff\xfe", b"NA", b"\xe2\x80"])
        elif op == 2:
            del b[i:i + rng.randrange(1, 50)]
        elif op == 3:
            j = rng.randrange(len(b))
            b[i:i] = b[j:j + rng.randrange(1, 200)]
        else:
            b[i:i + 1] = b""
    return bytes(b)


_SAMPLE_LINES: list[bytes] = []


def gen_mutated_csv(rng: random.Random) -> tuple[str, bytes]:
    if not _SAMPLE_LINES:
        _SAMPLE_LINES.extend(SAMPLE_CSV.read_bytes().splitlines(keepends=True)[:200])
    k = rng.randrange(2, 40)
    start = rng.randrange(1, len(_SAMPLE_LINES) - k)
    data = _SAMPLE_LINES[0] + b"".join(_SAMPLE_LINES[start:start + k])
    return ".csv", _mutate(rng, data, rng.randrange(1, 12))


_XLSX: dict[str, bytes] = {}


def _base_xlsx() -> dict[str, bytes]:
    """The parts of a small workbook (the sample's first 25 messages and their cases)."""
    if not _XLSX:
        import openpyxl
        import pandas as pd

        frame = pd.read_csv(SAMPLE_CSV, dtype=str, keep_default_na=False, nrows=25)
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Messages"
        ws.append(list(frame.columns))
        for row in frame.itertuples(index=False):
            ws.append(list(row))
        ws["F2"].value = pd.Timestamp("2026-03-14 14:05").to_pydatetime()
        cs = wb.create_sheet("Cases")
        cs.append(["Case ID", "Opened", "Closed"])
        cs.append([frame.iloc[0, 0], None, None])
        buf = io.BytesIO()
        wb.save(buf)
        with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
            _XLSX.update({n: z.read(n) for n in z.namelist()})
    return _XLSX


def gen_mutated_xlsx(rng: random.Random) -> tuple[str, bytes]:
    parts = dict(_base_xlsx())
    if rng.random() < 0.75:  # mutate the XML of one part and re-zip (reaches the cell reader)
        name = rng.choice([n for n in parts if n.startswith("xl/")])
        xml = parts[name]
        if rng.random() < 0.5:
            swaps = [(b">1<", b">NA<"), (b"Amazon", b"N/A"), (b"<v>", b"<v>9"), (b'r="A', b'r="XFD'),
                     (b"</row>", b"</row><row r=\"1048576\"><c r=\"A1048576\"><v>1</v></c></row>"),
                     (b't="s"', b't="n"'), (b't="n"', b't="s"'), (b"<v>4", b"<v>-4"), (b"<v>4", b"<v>99999999")]
            a, b = rng.choice(swaps)
            xml = xml.replace(a, b, rng.randrange(1, 4))
        else:
            xml = _mutate(rng, xml, rng.randrange(1, 6))
        parts[name] = xml
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for n, d in parts.items():
                z.writestr(n, d)
        return ".xlsx", buf.getvalue()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in parts.items():
            z.writestr(n, d)
    return ".xlsx", _mutate(rng, buf.getvalue(), rng.randrange(1, 8))


HOSTILE = [None, 5, -1, 0, "x", "", "garbage", [], [5], {}, {"x": 1}, {"case_id": 5}, {"direction": {"a": 5}},
           {"direction": {"x": "amazon"}}, True, 1.5, float("nan"), object(), b"bytes", ("a",), {"messages": 5}]
LOAD_ARGS = ["mapping", "values", "sheets", "dayfirst", "tz", "aliases", "limits"]
ANALYSE_ARGS = ["as_of", "tz", "sla_hours", "wait_hours", "calendar", "rules", "exclude_acknowledgements", "nonsense"]
WB_ARGS = ["as_of", "tz", "sla_hours", "max_briefs", "charts", "redact", "settings"]


def gen_args(rng: random.Random, names: list[str]) -> dict[str, Any]:
    return {k: rng.choice(HOSTILE + ["UTC", "2026-03-14", "Messages", 24, False])
            for k in rng.sample(names, rng.randrange(1, 3))}


# --------------------------------------------------------------------------- running one input

def classify(call: Callable[[], Any], check_counts: bool = True) -> str:
    import caselog

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = call()
        except caselog.CaselogError as exc:
            outcome = f"CaselogError:{type(exc).__name__}"
        except RecursionError:
            outcome = "RAW:RecursionError"
        except Exception as exc:  # noqa: BLE001 - the point is to count them
            outcome = f"RAW:{type(exc).__name__}"
        else:
            outcome = "loaded"
            if check_counts and isinstance(result, caselog.CaseLog):
                log = result
                if log.input_rows != len(log.messages) + len(log.rejects) + log.duplicates + len(getattr(log, "skipped", ())):
                    outcome = "counts-mismatch"
    caught = [w for w in caught if not issubclass(w.category, ResourceWarning)]
    if caught:
        return f"warning:{caught[0].category.__name__}"
    return outcome


def run(n: int, seed: int, show: int) -> Counter:
    import caselog

    rng = random.Random(seed)
    counts: Counter = Counter()
    examples: dict[str, list[str]] = {}
    tmp = Path(tempfile.mkdtemp(prefix="caselog_fuzz_"))
    small = caselog.load(SAMPLE_CSV).subset([str(c) for c in caselog.load(SAMPLE_CSV).cases["case_id"][:6]])
    plan = ([gen_csv_text] * 40 + [gen_mutated_csv] * 28 + [gen_mutated_xlsx] * 25 + ["load"] * 4
            + ["analyse"] * 2 + ["workbook"])
    for i in range(n):
        kind = plan[i % len(plan)]
        if kind == "load":
            kw = gen_args(rng, LOAD_ARGS)
            outcome = classify(lambda kw=kw: caselog.load(SAMPLE_CSV, **kw))
            label = f"load({kw!r:.200})"
        elif kind == "analyse":
            kw = gen_args(rng, ANALYSE_ARGS)
            outcome = classify(lambda kw=kw: caselog.analyse(small, **kw).readiness,
                               check_counts=False)
            label = f"analyse({kw!r:.200})"
        elif kind == "workbook":
            kw = gen_args(rng, WB_ARGS)
            out = tmp / f"wb{i}.xlsx"
            outcome = classify(lambda kw=kw, out=out: caselog.write_workbook(small, out, **kw),
                               check_counts=False)
            label = f"write_workbook({kw!r:.200})"
        else:
            suffix, data = kind(rng)
            path = tmp / f"in{i % 50}{suffix}"
            path.write_bytes(data)
            outcome = classify(lambda path=path: caselog.load(path))
            label = f"{kind.__name__} #{i} ({len(data)} bytes) {data[:120]!r}"
        counts[outcome] += 1
        if (i + 1) % 250 == 0:
            print(f"  {i + 1:,} inputs: {dict(sorted(counts.items()))}", file=sys.stderr, flush=True)
        if outcome.startswith(("RAW", "counts", "warning")) and len(examples.setdefault(outcome, [])) < show:
            examples[outcome].append(label)
    print(f"{n} inputs, seed {seed}")
    for outcome, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {c:6d}  {outcome}")
    bad = sum(c for o, c in counts.items() if o.startswith(("RAW", "counts", "warning")))
    print(f"bugs (raw exceptions + count mismatches + warnings): {bad}")
    for outcome, labels in examples.items():
        print(f"examples of {outcome}:")
        for label in labels:
            print("   ", label)
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--show", type=int, default=3)
    args = ap.parse_args()
    t0 = time.perf_counter()
    counts = run(args.n, args.seed, args.show)
    print(f"{time.perf_counter() - t0:.0f} s")
    bad = sum(c for o, c in counts.items() if o.startswith(("RAW", "counts", "warning")))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        traceback.print_exc()
