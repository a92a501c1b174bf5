"""Render every chart on the bundled sample to docs/img/ (the images the README shows).

Usage: ``.venv/bin/python scripts/render_charts.py [OUT_DIR]``.  Open the PNGs and look at them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import caselog  # noqa: E402
from caselog import plotting  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    log = caselog.load(ROOT / "data" / "sample" / "caselog_sample.xlsx")
    from caselog.report._catalogue import display_catalogue

    a = caselog.analyse(log)  # every result once
    turns, tpl, esc, ready = a.turns, a.templates, a.escalations, a.readiness
    shown = display_catalogue(a)  # template texts in their original case, <SELLER> for names
    case = caselog.readiness_queue(ready)["case_id"].iloc[0]
    charts = {
        "response_distribution": (lambda ax: plotting.plot_response_distribution(turns, ax=ax), (9, 5)),
        "response_trend": (lambda ax: plotting.plot_response_trend(turns, ax=ax), (9, 4.5)),
        "case_timeline": (
            lambda ax: plotting.plot_case_timeline(log, case, templates=tpl, escalations=esc, ax=ax),
            (10, 3.4),
        ),
        "top_templates": (lambda ax: plotting.plot_top_templates(shown, ax=ax), (10, 5)),
        "repeat_heatmap": (lambda ax: plotting.plot_repeat_heatmap(tpl, ax=ax), (10, 7)),
        "escalation_outcomes": (lambda ax: plotting.plot_escalation_outcomes(esc, ax=ax), (7, 5)),
        "readiness": (lambda ax: plotting.plot_readiness(ready, ax=ax), (9, 4.5)),
    }
    for name, (draw, size) in charts.items():
        fig, ax = plt.subplots(figsize=size, layout="constrained")
        draw(ax)
        fig.savefig(out / f"{name}.png", dpi=100)
        plt.close(fig)
        print(out / f"{name}.png")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "img")
