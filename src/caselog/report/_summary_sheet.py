"""The audit workbook's Summary sheet (key figures, response times by team, notes in plain
words) and its Charts sheet (the main charts as images, one per printed page)."""

from __future__ import annotations

import importlib
import io
import textwrap
from typing import Any

import pandas as pd
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from ..analysis import Analysis
from ._xlsx import (
    EXCEL_MAX_CHARS,
    _Notes,
    _page_setup,
    excel_text,
)

# ------------------------------------------------------------------------------------ summary


def _fmt_ts(ts: Any, tz: str) -> str:
    if ts is None or pd.isna(ts):
        return "-"
    return pd.Timestamp(ts).tz_convert(tz).strftime("%Y-%m-%d %H:%M")


_KPI_FORMATS = {"int": "#,##0", "hours": "0.0", "share": "0%", "datetime": "yyyy-mm-dd hh:mm"}


def _local(ts: Any, tz: str) -> Any:
    """A naive datetime in ``tz`` (what an Excel date cell holds), None when missing."""
    if ts is None or pd.isna(ts):
        return None
    return pd.Timestamp(ts).tz_convert(tz).tz_localize(None).floor("us").to_pydatetime()


_DECISION_WORDS = (
    # how the input was read, in words for a client
    (r"^(.*?): messages from sheet\(s\) \[(.*)\], cases from \[(.*)\]$",
     r"\1: messages read from sheet \2, cases from sheet \3."),
    (r"^(.*?): dates in (.*?): spreadsheet date cells$", r"\1: the dates in column \2 are "
     r"spreadsheet dates."),
    (r"^(.*?): dates in (.*?): day-first \(DD/MM\): (\d+) dates have a day above 12$",
     r"\1: the dates in column \2 are read day first (DD/MM): \3 of them have a day above 12."),
    (r"^(.*?): dates in (.*?): month-first \(MM/DD\): (\d+) dates have a day above 12$",
     r"\1: the dates in column \2 are read month first (MM/DD): \3 of them have a day above 12."),
)


def _plain_decision(line: str) -> str:
    """A loader decision in words for a client (``case_id <- 'Ticket #'`` becomes "column
    'Ticket #' read as the case ID")."""
    import re

    if " <- " in line:
        where, _, pairs = line.partition(": ")
        parts = [p.split(" <- ", 1) for p in pairs.split(", ") if " <- " in p]
        if parts:
            words = ", ".join(f"{src} as {dst.replace('_', ' ').replace('id', 'ID')}"
                              for dst, src in parts)
            return f"{where}: columns read: {words}."
    for pattern, repl in _DECISION_WORDS:
        if re.match(pattern, line):
            return re.sub(pattern, repl, line)
    return line


def _summary_rows(a: Analysis, tz: str) -> list[tuple[str, Any, str]]:
    """(label, value, number format or "") rows of the key-figures block; label "#" = section.

    The figures are :meth:`Analysis.kpis`; escalation outcomes that never occur are left out.
    """
    rows: list[tuple[str, Any, str]] = []
    section = None
    for r in a.kpis().itertuples(index=False):
        if r.section != section:
            section = r.section
            rows.append(("#", "Readiness to escalate (see Cases)" if section.startswith("Readiness")
                         else section, ""))
        if r.key.startswith("outcome_") and r.value == 0:
            continue
        value, label = r.value, r.metric
        if r.format == "datetime":  # a real date-time cell, in tz
            value, label = _local(value, tz), f"{label} ({tz})"
        elif r.format != "int":
            value = _num(value)
        rows.append((label, value, _KPI_FORMATS[r.format]))
    return rows


def _num(v: Any) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def _chart_images(an: Analysis, sla: float, notes: _Notes) -> list[tuple[str, bytes]]:
    """PNG images of the main charts; a chart that cannot be drawn is left out with a note."""
    try:
        from matplotlib.figure import Figure

        plotting = importlib.import_module("caselog.plotting")
    except ImportError:
        notes.add("Charts: caselog.plotting (matplotlib) is not available; no charts.")
        return []
    jobs = [
        ("Response times by team", "plot_response_distribution", an.turns, {"sla_hours": sla}),
        ("Response time by month", "plot_response_trend", an.turns, {"sla_hours": sla}),
        ("Top templates", "plot_top_templates", an.templates.catalogue, {}),
        ("Escalation outcomes", "plot_escalation_outcomes", an.escalations, {}),
        ("Readiness", "plot_readiness", an.readiness, {}),
    ]
    images = []
    for title, name, data, kwargs in jobs:
        func = getattr(plotting, name, None)
        if func is None:
            notes.add(f"Charts: {title} left out (caselog.plotting has no {name}).")
            continue
        fig = Figure(figsize=(8, 4.5), dpi=100)
        ax = fig.subplots()
        try:
            func(data, ax=ax, **kwargs)
            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
        except Exception as exc:  # a chart must not stop the audit  # noqa: BLE001
            notes.add(f"Charts: {title} left out ({type(exc).__name__}: {exc}).")
            continue
        images.append((title, buf.getvalue()))
    return images


def _write_summary(
    ws: Any,
    an: Analysis,
    notes: _Notes,
    sheets_written: dict[str, int],
) -> None:
    from .. import __version__

    log, as_of, tz, sla = an.log, an.as_of, an.settings.tz, an.settings.sla_hours
    _page_setup(ws, summary=True)
    ws.column_dimensions["A"].width = 50
    ws.column_dimensions["B"].width = 18
    ws.column_dimensions["C"].width = 12
    ws.column_dimensions["D"].width = 12
    ws.column_dimensions["E"].width = 12
    ws.column_dimensions["F"].width = 12
    bold = Font(bold=True)
    title_font = Font(bold=True, size=14)

    def cell(value: Any, *, font: Font | None = None, fmt: str = "", wrap: bool = False,
             align: Alignment | None = None):
        if isinstance(value, str):
            value = excel_text(pd.Series([value], dtype=object))[0].iloc[0]
        c = WriteOnlyCell(ws, value=value)
        if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
            c.data_type = "s"
            c.quotePrefix = True
        if font is not None:
            c.font = font
        if fmt:
            c.number_format = fmt
        if wrap:
            c.alignment = Alignment(wrap_text=True, vertical="top")
        if align is not None:
            c.alignment = align
        return c

    ws.append([cell("Seller case audit", font=title_font)])
    ws.append([cell(f"As of {_fmt_ts(as_of, tz)} ({tz}); all times in {tz}. "
                    f"Written by caselog {__version__}.")])
    ws.append([])
    for label, value, fmt in _summary_rows(an, tz):
        if label == "#":
            ws.append([])
            ws.append([cell(value, font=bold)])
        else:
            ws.append([cell(label), cell(value, fmt=fmt)])

    by_team = an.response_summary(by="team")
    if len(by_team):
        ws.append([])
        ws.append([cell("Response times by team (hours)", font=bold)])
        right = Alignment(horizontal="right")
        ws.append([cell("Team", font=bold)] + [
            cell(h, font=bold, align=right)
            for h in ("Turns", "Open", "Median", "90th pct", "Over SLA")
        ])
        for row in by_team.itertuples(index=False):
            ws.append([
                cell(row.team), cell(int(row.n), fmt="#,##0"), cell(int(row.n_open), fmt="#,##0"),
                cell(_num(row.median_hours), fmt="0.0"), cell(_num(row.p90_hours), fmt="0.0"),
                cell(_num(row.share_over_sla), fmt="0%"),
            ])

    ws.append([])
    ws.append([cell("Sheets", font=bold)])
    guide = {
        "Cases": "one row per case: readiness verdict (ready cases in green), reasons, next step "
                 "(prints case ID to target)",
        "Matters": "one row per matter of two or more cases (one problem over several cases): "
                   "its cases, waits, repeats, escalations, verdict and the evidence of its links",
        "Messages": "one row per message, with its template and reply class",
        "Response times": f"one row per turn; responses over {sla:g} h in red",
        "Templates": "the Amazon reply templates, most used first",
        "Escalations": "one row per escalation with its level, outcome and quality",
        "Briefs": "escalation letters of the ready cases, most urgent first, a paragraph a row",
        "Rejects": "input rows that could not be used, with the reason",
    }
    for name, text in guide.items():
        if name in sheets_written:
            ws.append([cell(name), cell(f"{sheets_written[name]:,} rows: {text}")])

    lines = list(notes.lines)
    for where, k in notes.cut.items():
        lines.append(
            f"{where}: {k:,} cells longer than Excel's {EXCEL_MAX_CHARS:,} characters were cut "
            "(marked '… [cut by caselog …]')."
        )
    lines += [_plain_decision(d) for d in log.decisions]
    if lines:
        ws.append([])
        ws.append([cell("Notes", font=bold)])
        for line in lines:
            text, _ = excel_text(pd.Series([line]))
            parts = textwrap.wrap(text.iloc[0], 110, subsequent_indent="    ") or [""]
            for part in parts:
                ws.append([cell(part)])



def _write_charts(ws: Any, images: list[tuple[str, bytes]]) -> None:
    """The charts, one per printed landscape page (a row break after each)."""
    from openpyxl.drawing.image import Image
    from openpyxl.worksheet.pagebreak import Break

    _page_setup(ws, summary=False, title_cols=None, title_rows=False)
    row = 1
    for title, png in images:
        head = WriteOnlyCell(ws, value=title)
        head.font = Font(bold=True, size=12)
        ws.append([head])
        img = Image(io.BytesIO(png))
        scale = min(1.0, 900 / max(img.width, 1), 520 / max(img.height, 1))
        img.width, img.height = int(img.width * scale), int(img.height * scale)
        ws.add_image(img, f"A{row + 1}")
        n_rows = int(img.height / 20) + 2
        for _ in range(n_rows):
            ws.append([])
        row += n_rows + 1
        ws.row_breaks.append(Break(id=row - 1))
    if not images:
        ws.append(["No charts in this workbook."])
