"""Write the README's benchmark table from ``benchmarks/results.json``.

Usage::

    .venv/bin/python benchmarks/readme_table.py [results.json] [README.md]

Replaces what stands between ``<!-- bench:start -->`` and ``<!-- bench:end -->`` in the README
(the markers stay); prints the table when the README has no markers.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
MODES = (("clean", "clean"), ("variety", "high-variety"), ("dirty", "dirty"))
ANALYSES = ("turns", "templates", "escalations", "readiness")


def _s(v: float | None) -> str:
    return "–" if v is None else f"{v:,.2f} s"


def _cell(res: dict | None, row: str) -> str:
    if not res:
        return "–"
    p, readers = res.get("pipeline", {}), res.get("readers", {})
    times = {r: v.get("seconds") for r, v in readers.items() if v.get("seconds")}
    y = min(times, key=times.get) if times else None  # the fastest plain reader of the run
    ys = times.get(y) if y else None
    n = p.get("messages") or 0
    if row in ("polars", "pyarrow", "duckdb", "pandas"):
        return _s(readers.get(row, {}).get("seconds"))
    if row == "load":
        v = p.get("load")
        return _s(v) + (f" = {v / ys:.1f} × {y}" if v and ys else "")
    if row == "imports":
        r = readers.get(y, {}).get("import") if y else None
        return _s(p.get("import")) + (f" ({y} {r:,.2f} s)" if r is not None else "")
    if row == "warm_load":
        return _s(p.get("warm_load"))
    if row == "workbook":
        return _s(p.get("workbook"))
    if row in ANALYSES:
        cold, warm = p.get(row), p.get(f"warm_{row}")
        text = _s(cold) + (f" / {warm:,.2f} s" if warm is not None else "")
        if row == "templates" and cold:
            text += f" ({p.get('amazon_messages', 0) / cold:,.0f}/s)"
        if row == "turns" and cold and p.get("turns_floor"):
            text += f" ({cold / p['turns_floor']:.1f} × the groupby floor)"
        return text
    if row == "f1":
        return "–" if p.get("templates_f1") is None else f"{p['templates_f1']:.4f}"
    if row == "total":
        v = (p.get("load") or 0) + sum(p.get(a) or 0 for a in ANALYSES)
        return _s(v) + (f" = {v / ys:.1f} × {y}" if ys else "")
    if row == "memory":
        peak = p.get("peak_mb")
        return "–" if not peak or not n else f"{peak / 1024:,.2f} GB = {peak * 1024 / n:,.2f} KB/msg"
    if row == "rows":
        return (f"{n:,.0f} msgs, {p.get('rejects', 0):,.0f} rejects, "
                f"{p.get('duplicates', 0):,.0f} dup.")
    raise KeyError(row)


ROWS = (
    ("rows", "messages kept (rejects, duplicates dropped)"),
    ("polars", "polars `read_csv` (plain read)"),
    ("pyarrow", "pyarrow `csv.read_csv(newlines_in_values=True)`"),
    ("duckdb", "duckdb `read_csv`"),
    ("pandas", "pandas `read_csv` (defaults)"),
    ("imports", "imports, once per process: caselog (pandas, numpy, pyarrow), the yardstick"),
    ("load", "**`caselog.load`**, cold (imports apart)"),
    ("warm_load", "`caselog.load`, warm"),
    ("templates", "templates, cold / warm (Amazon messages/s)"),
    ("turns", "turns (reusing the templates' reply classes), cold / warm"),
    ("f1", "templates: pairwise F1 against the truth"),
    ("escalations", "escalations, cold / warm"),
    ("readiness", "readiness, cold / warm"),
    ("total", "**load + the four analyses, cold**"),
    ("workbook", "audit workbook of the whole log (analyses done)"),
    ("memory", "peak memory of load + analyses"),
)


def table(results: dict) -> str:
    modes = results.get("modes", {})
    lines = [
        f"{results.get('cases', 0):,} cases; medians of {results.get('runs')} interleaved rounds "
        f"(high-variety: {results.get('variety_runs', results.get('runs'))}), every stage in a "
        f"fresh process; {results.get('machine', {}).get('cpus', '?')} cores; run "
        f"{results.get('started', '?')}.  Cold = first computation in a fresh process."
        + (f"  caselog's Arrow pool: {results['machine']['arrow_pool']}."
           if results.get("machine", {}).get("arrow_pool") else ""),
        "",
        "| stage | " + " | ".join(label for _, label in MODES) + " |",
        "|---|" + "---|" * len(MODES),
    ]
    for key, label in ROWS:
        lines.append(f"| {label} | " + " | ".join(_cell(modes.get(m), key) for m, _ in MODES)
                     + " |")
    for m, label in MODES:
        d = (modes.get(m) or {}).get("dask")
        p = (modes.get(m) or {}).get("pipeline", {})
        if d and d.get("partitioned"):
            single = sum(p.get(a) or 0 for a in ANALYSES)
            lines += ["", f"Dask ({label} data), `caselog.analyse_partitioned` on a local cluster "
                      f"of 2 worker processes: {d['partitioned']:,.2f} s against "
                      f"{single:,.2f} s for the four analyses in one process = "
                      f"**{single / d['partitioned']:.2f}× speed-up** (starting the cluster: "
                      f"{d['cluster_start']:,.1f} s more; worker peak "
                      f"{d.get('worker_peak_mb', 0) / 1024:,.2f} GB)."]
    peers = results.get("peers") or {}
    if peers:
        lines += ["", "Peers (`pip install -e '.[bench]'`, pm4py apart), "
                  "same generated data:", ""]
        if peers.get("bh_pm4py_s"):
            lines.append(f"- business hours of {peers['bh_pairs']:,} turns: caselog "
                         f"{peers['bh_caselog_s']:.3f} s, pm4py `BusinessHours` "
                         f"{peers['bh_pm4py_s']:.2f} s (**{peers['bh_pm4py_s'] / peers['bh_caselog_s']:,.0f}×**; "
                         f"largest difference {peers.get('bh_max_diff_hours', 0):.3f} h)")
        for mode, label in (("clean", "clean"), ("variety", "high-variety")):
            if peers.get(f"tpl_{mode}_drain3_s"):
                c, d = peers[f"tpl_{mode}_caselog_s"], peers[f"tpl_{mode}_drain3_s"]
                ratio = f"{d / c:.1f}× faster" if d >= c else f"{c / d:.1f}× slower"
                lines.append(
                    f"- templates of {peers[f'tpl_{mode}_amazon']:,} {label} Amazon messages: "
                    f"caselog {c:.2f} s, F1 {peers[f'tpl_{mode}_caselog_f1']:.3f}; drain3 on "
                    f"the raw bodies {d:.2f} s, F1 {peers[f'tpl_{mode}_drain3_f1']:.3f} "
                    f"(caselog {ratio})")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    results = Path(argv[0]) if argv else HERE / "results.json"
    readme = Path(argv[1]) if len(argv) > 1 else HERE.parent / "README.md"
    text = table(json.loads(results.read_text()))
    body = readme.read_text()
    if START not in body or END not in body:
        print(text)
        return 1
    head, rest = body.split(START, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(f"{head}{START}\n{text}\n{END}{tail}")
    print(f"wrote the benchmark table of {results} into {readme}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
