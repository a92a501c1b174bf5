"""The readiness queue widget: the flagged cases, and the files a consultant sends on."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..analysis import Analysis, Settings
from ..model import CaseLog
from ..report import write_frame_csv
from ..schema import VERDICTS
from ._common import _as_analyses, _bundle, _html_table, _options, _size, _widgets

_QUEUE_SHOWN = (
    "rank", "case_id", "matter_id", "account", "category", "verdict", "matter_verdict",
    "reasons", "missing", "next_step", "repeat_canned_denials", "hours_since_last_seller",
)

#: the queue's columns in words
_QUEUE_HEADERS = {
    "rank": "rank", "case_id": "case", "account": "account", "category": "category",
    "verdict": "verdict", "matter_id": "matter", "matter_verdict": "with the matter",
    "reasons": "reasons", "missing": "missing", "next_step": "next step",
    "repeat_canned_denials": "repeat denials", "hours_since_last_seller": "days waiting",
}

_QUEUE_COLUMNS = (
    "case_id", "account", "category", "verdict", "urgency", "reasons", "missing", "next_step",
    "target_level", "target", "canned_repeats", "repeat_canned_denials", "last_seller_at",
    "hours_since_last_seller", "matter_id", "matter_verdict", "matter_reason",
)


def queue_frame(
    data: CaseLog | Analysis,
    verdicts: Sequence[str] = ("ready", "not yet"),
    accounts: Any = None,
    as_of: Any = None,
) -> pd.DataFrame:
    """The flagged cases, most urgent first (:meth:`caselog.Analysis.queue`: the cases of a
    matter together, from the place of its most urgent case).

    Parameters
    ----------
    data : CaseLog or Analysis
    verdicts : sequence of str
        Verdicts to keep (default ready and not yet).
    accounts : str or sequence of str, optional
        Keep these accounts only.

    Returns
    -------
    pandas.DataFrame
        ``rank`` then ``case_id, account, category, verdict, urgency, reasons, missing,
        next_step, target_level, target, canned_repeats, repeat_canned_denials,
        last_seller_at, hours_since_last_seller, matter_id, matter_verdict, matter_reason``
        (``matter_id`` ``""`` for a case alone in its matter; ``matter_verdict`` the verdict
        with the matter in view where it differs from ``verdict``, else ``""``).
    """
    a = _as_analyses(data, as_of).filter(accounts=accounts)
    q = a.queue(tuple(verdicts))
    q = q[[c for c in _QUEUE_COLUMNS if c in q.columns]].reset_index(drop=True)
    q.insert(0, "rank", np.arange(1, len(q) + 1, dtype=np.int64))
    return q


def write_queue(
    data: CaseLog | Analysis,
    out_dir: str | Path = ".",
    verdicts: Sequence[str] = ("ready", "not yet"),
    accounts: Any = None,
    as_of: Any = None,
    brief_verdicts: Sequence[str] = ("ready",),
) -> tuple[Path, Path]:
    """Write the queue to ``readiness_queue.csv`` and the briefs to ``escalation_briefs.md``.

    The CSV holds :func:`queue_frame` (formula-safe, timestamps as ISO 8601 UTC text); the Markdown file the
    :func:`caselog.brief` of every case in the queue whose verdict is in
    ``brief_verdicts`` (default: the ready cases, the ones to escalate now), most urgent first,
    separated by horizontal rules.  ``out_dir`` is created when missing.  The briefs are written by
    :func:`caselog.briefs` in one batch (about 4 s for the 136 ready cases of the
    sample).  The CSV is written by :func:`caselog.report.write_frame_csv` (the CLI's writer):
    text quoted, a ``'`` before any ``= + - @`` that starts a text or a line in it.

    Returns
    -------
    tuple of Path
        The CSV and the Markdown file.
    """
    a = _as_analyses(data, as_of)
    q = queue_frame(a, verdicts=verdicts, accounts=accounts)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    csv_path, md_path = out / "readiness_queue.csv", out / "escalation_briefs.md"
    write_frame_csv(q, csv_path, tz="UTC")
    asof = "" if a.as_of is None else a.as_of.strftime("%Y-%m-%d %H:%M UTC")
    chosen = q[q["verdict"].isin(tuple(brief_verdicts))]
    from ..report._text import plural

    parts = [
        f"# Escalation briefs\n\n{plural(len(chosen), 'brief')} for the "
        f"{' / '.join(brief_verdicts)} cases of the readiness queue "
        f"({plural(len(q), 'case')} in all)" + (f", as of {asof}" if asof else "") + ".\n"
    ]
    parts += a.briefs(chosen["case_id"].tolist())
    md_path.write_text("\n\n---\n\n".join(parts) + "\n", encoding="utf-8")
    return csv_path, md_path


@dataclass
class ReadinessQueue:
    """What :func:`readiness_queue_widget` returns.

    Attributes
    ----------
    root : ipywidgets.VBox
    verdicts : ipywidgets.SelectMultiple
        Verdicts shown (default ready and not yet); shown as one check box per verdict, which
        follow its ``value`` (and set it when clicked).
    account : ipywidgets.Dropdown
        ``""`` = all accounts.
    table : ipywidgets.HTML
        The queue, most urgent first.
    out_dir : ipywidgets.Text
        Folder the button writes to.
    write : ipywidgets.Button
        Writes ``readiness_queue.csv`` and ``escalation_briefs.md``.
    status : ipywidgets.HTML
        What was written.
    analyses : Analysis
    queue : pandas.DataFrame
        The queue shown now (:func:`queue_frame`).
    written : tuple of Path
        The files written last.
    """

    root: Any
    verdicts: Any
    account: Any
    table: Any
    out_dir: Any
    write: Any
    status: Any
    analyses: Analysis
    queue: pd.DataFrame | None = None
    written: tuple[Path, ...] = ()

    def _text(self) -> str:
        n = 0 if self.queue is None else len(self.queue)
        return f"caselog readiness queue: {n} cases ({_size(self.analyses)})"

    def refresh(self, *_: Any) -> None:
        """Redraw the queue for the chosen verdicts and account."""
        self.queue = queue_frame(self.analyses, self.verdicts.value, self.account.value or None)
        # the matter columns only when a case of the queue is in a matter (or changed by it)
        cols = [c for c in _QUEUE_SHOWN if c in self.queue.columns and not (
            c in ("matter_id", "matter_verdict") and self.queue[c].eq("").all())]
        shown = self.queue[cols].copy()
        if "hours_since_last_seller" in shown.columns:
            days = (shown["hours_since_last_seller"] / 24).round(0)
            shown["hours_since_last_seller"] = days.astype("Int64")
        shown = shown.rename(columns=_QUEUE_HEADERS)
        n_ready = int(self.queue["verdict"].eq("ready").sum())
        self.table.value = (
            f"<p><b>{len(self.queue)}</b> cases in the queue, <b>{n_ready}</b> ready "
            "(most urgent first, the cases of a matter together; the CSV has every column)</p>"
            + _html_table(shown, max_rows=200, wide="reasons")
        )

    def save(self, *_: Any) -> tuple[Path, Path]:
        """Write the queue and the briefs to :attr:`out_dir` (what the button does)."""
        n = 0 if self.queue is None else int(self.queue["verdict"].eq("ready").sum())
        self.status.value = f"writing the queue and {n} brief(s)…"
        try:
            paths = write_queue(
                self.analyses, self.out_dir.value or ".", self.verdicts.value,
                self.account.value or None,
            )
        except OSError as exc:
            self.status.value = (
                f"<span style='color:#c92a2a'>could not write: {html.escape(str(exc))}</span>"
            )
            raise
        self.written = paths
        self.status.value = "wrote " + ", ".join(
            f"<code>{html.escape(str(p))}</code>" for p in paths
        )
        return paths

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return _bundle(self.root, self._text())


def _link_boxes(verdicts: Any, boxes: list[Any]) -> None:
    """Keep the check boxes and the verdict tuple in step, both ways."""

    busy = [False]  # syncing boxes from the tuple: their changes are not choices

    def from_boxes(_: Any = None) -> None:
        if busy[0]:
            return
        chosen = tuple(b.description for b in boxes if b.value)
        if chosen != tuple(verdicts.value):
            verdicts.value = chosen

    def to_boxes(_: Any = None) -> None:
        busy[0] = True
        try:
            for b in boxes:
                if b.value != (b.description in verdicts.value):
                    b.value = b.description in verdicts.value
        finally:
            busy[0] = False

    for b in boxes:
        b.observe(from_boxes, names="value")
    verdicts.observe(to_boxes, names="value")


def readiness_queue_widget(
    log: CaseLog | Analysis, *, as_of: Any = None, settings: Settings | None = None, out_dir: str | Path = "."
) -> ReadinessQueue:
    """The flagged cases sorted by urgency with reasons, and a button that writes them out.

    Parameters
    ----------
    log : CaseLog or Analysis
    as_of : timestamp, optional
    settings : Settings, optional
        Analysis settings when ``log`` is a CaseLog (or to re-analyse an Analysis).
    out_dir : str or Path
        Default folder for ``readiness_queue.csv`` and ``escalation_briefs.md``.

    Returns
    -------
    ReadinessQueue
    """

    w = _widgets()
    a = _as_analyses(log, as_of, settings)
    # the verdicts as check boxes (no Ctrl-click); ``verdicts`` holds the chosen tuple
    verdicts = w.SelectMultiple(options=list(VERDICTS), value=("ready", "not yet"),
                                layout=w.Layout(display="none"))
    boxes = [w.Checkbox(value=v in verdicts.value, description=v, indent=False,
                        layout=w.Layout(width="120px")) for v in VERDICTS]
    _link_boxes(verdicts, boxes)
    account = w.Dropdown(
        options=_options(a.readiness["account"], "All accounts"), description="Account"
    )
    out = w.Text(value=str(out_dir), description="Folder")
    write = w.Button(description="Write queue and briefs", icon="download",
                     button_style="primary", layout=w.Layout(width="220px"))
    status = w.HTML()
    table = w.HTML(layout=w.Layout(max_height="560px", overflow="auto"))
    root = w.VBox([
        w.HTML("<h3 style='margin:4px 0'>readiness queue</h3>"),
        w.HBox([w.Label("Verdicts", layout=w.Layout(width="70px")), *boxes, verdicts]),
        account,
        w.HBox([out, write]),
        status,
        table,
    ])
    q = ReadinessQueue(root, verdicts, account, table, out, write, status, a)
    verdicts.observe(q.refresh, names="value")
    account.observe(q.refresh, names="value")
    write.on_click(q.save)
    q.refresh()
    return q
