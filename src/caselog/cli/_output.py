"""What the command line writes: progress on stderr, notes, text tables, CSV / JSON output
(formula-safe, control characters removed on a terminal)."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

import pandas as pd

from ._args import PROG

_TEXT_WIDTH = 70  # max characters of a text cell in table output


# ---------------------------------------------------------------------------------- progress


class _Progress:
    """Stage messages ("loading... 0.8 s") on stderr, only when it is a terminal."""

    def __init__(self, enabled: bool, stream: TextIO) -> None:
        self.enabled = enabled
        self.stream = stream
        self.start = time.perf_counter()

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        t0 = time.perf_counter()
        if self.enabled:
            self.stream.write(f"{PROG}: {name}... ")
            self.stream.flush()
        try:
            yield
        finally:
            if self.enabled:
                self.stream.write(f"{time.perf_counter() - t0:.1f} s\n")
                self.stream.flush()

    def note(self, text: str) -> None:
        if self.enabled:
            self.stream.write(f"{PROG}: {text}\n")
            self.stream.flush()


def _progress(args: argparse.Namespace) -> _Progress:
    err = sys.stderr
    tty = bool(getattr(err, "isatty", lambda: False)())
    return _Progress(tty and not getattr(args, "quiet", False), err)


def _tell(args: argparse.Namespace, text: str) -> None:
    """A note on stderr (what was written, the closing counts), unless ``--quiet``."""
    if not getattr(args, "quiet", False):
        from ..report import terminal_safe

        sys.stderr.write(f"{PROG}: {terminal_safe(text)}\n")


def _open_out(path: str | None) -> tuple[TextIO, bool]:
    if path is None:
        return sys.stdout, False
    return open(path, "w", encoding="utf-8", newline=""), True  # noqa: SIM115


def _emit(text: str, path: str | None, *, quiet: bool = False, terminal: bool = True) -> None:
    """Write ``text`` to ``path`` or stdout.  On stdout, text meant for people (``terminal``)
    and anything going to a terminal loses its control characters."""
    out, close = _open_out(path)
    if path is None and (terminal or bool(getattr(out, "isatty", lambda: False)())):
        from ..report import terminal_safe

        text = terminal_safe(text)
    try:
        out.write(text if text.endswith("\n") else text + "\n")
    finally:
        if close:
            out.close()
    if path is not None and not quiet:
        sys.stderr.write(f"{PROG}: wrote {path}\n")


def _table_text(frame: pd.DataFrame, tz: str, wrap: dict[str, int] | None = None) -> str:
    """A plain left-aligned text table: long texts cut to ``_TEXT_WIDTH`` characters, except
    the columns of ``wrap`` (name -> width), whose text is wrapped onto more lines, whole."""
    import textwrap

    wrap = {c: w for c, w in (wrap or {}).items() if c in frame.columns}
    if frame.empty:
        return "(none)"
    cells: dict[str, pd.Series] = {}
    numeric: set[str] = set()
    for c in frame.columns:
        s = frame[c]
        if isinstance(s.dtype, pd.DatetimeTZDtype):
            text = s.dt.tz_convert(tz).dt.strftime("%Y-%m-%d %H:%M").where(s.notna(), "")
        elif pd.api.types.is_bool_dtype(s):
            text = s.map({True: "yes", False: "no"}).astype(str)
        elif pd.api.types.is_float_dtype(s):
            text = s.map(lambda v: "" if pd.isna(v) else f"{v:,.1f}")
            numeric.add(c)
        elif pd.api.types.is_numeric_dtype(s):
            text = s.astype(object).where(s.notna(), "").astype(str)
            numeric.add(c)
        else:
            text = s.astype(object).where(s.notna(), "").astype(str)
            text = text.str.replace(r"\s+", " ", regex=True).str.strip()
            if c not in wrap:
                long = text.str.len() > _TEXT_WIDTH
                text = text.where(~long, text.str.slice(0, _TEXT_WIDTH - 1) + "…")
        cells[c] = text.astype(str)
    wrapped = {c: [textwrap.wrap(v, w, break_on_hyphens=False) or [""]
                   for v in cells[c].tolist()] for c, w in wrap.items()}
    widths = {c: max(len(str(c)), int(cells[c].str.len().max() or 0)) for c in frame.columns}
    for c in wrap:
        widths[c] = max(len(str(c)), max((len(p) for ps in wrapped[c] for p in ps), default=0))
    last = frame.columns[-1]

    def fmt(c: str, value: str) -> str:
        if c in numeric:
            return value.rjust(widths[c])
        return value if c == last else value.ljust(widths[c])

    lines = ["  ".join(fmt(c, str(c)) if c in numeric else
                       (str(c) if c == last else str(c).ljust(widths[c])) for c in frame.columns)]
    rows = zip(*(cells[c].tolist() for c in frame.columns), strict=True)
    for i, row in enumerate(rows):
        if not wrap:
            lines.append("  ".join(fmt(c, v) for c, v in zip(frame.columns, row, strict=True)))
            continue
        height = max(len(wrapped[c][i]) for c in wrap)
        for j in range(height):
            parts = []
            for c, v in zip(frame.columns, row, strict=True):
                if c in wrap:
                    v = wrapped[c][i][j] if j < len(wrapped[c][i]) else ""
                elif j:
                    v = ""
                parts.append(fmt(c, v))
            lines.append("  ".join(parts))
        if height > 1:
            lines.append("")
    return "\n".join(line.rstrip() for line in lines).rstrip("\n")


def _write_frame(frame: pd.DataFrame, fmt: str, tz: str, path: str | None, *,
                 quiet: bool = False, wrap: dict[str, int] | None = None) -> None:
    from ..report import frame_json, write_frame_csv

    if fmt == "csv":
        _emit(str(write_frame_csv(frame, tz=tz)), path, quiet=quiet, terminal=False)
    elif fmt == "json":
        _emit(frame_json(frame, tz=tz), path, quiet=quiet, terminal=False)
    else:
        _emit(_table_text(frame, tz, wrap), path, quiet=quiet)


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")
