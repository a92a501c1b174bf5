"""Reply-class accuracy on real Amazon wording (``tests/data/real_wording.csv``).

Usage::

    .venv/bin/python benchmarks/real_wording.py [--csv PATH] [--errors N] [--clean-only] [--all]

Every text becomes one Amazon message (``direction="amazon"``, empty ``subject`` and
``kind``), the way the tests build their frames; :func:`caselog.classify_replies` labels
them and the script prints the accuracy overall, per class and per language, a confusion
table (rows: true class, columns: predicted class) and the first ``--errors``
misclassifications. ``--clean-only`` leaves out the rows whose ``note`` starts with
``dirty copy of``. The accuracy is also printed per half of a deterministic split by URL
(md5 of the URL, even first byte = ``dev``, odd = ``test``; a dirty copy shares its original's
URL and half). ``--all`` reports the corpus and both hold-out files
(``real_wording_holdout.csv``, ``real_wording_holdout2.csv``) one after the other.

Before the rules by function (commit d000d2c, the English-only rules): 35.7 % overall (dev
35.9 %, test 35.4 %); recall acceptance 40 %, acknowledgement 10 %, deflection 13.3 %, denial
12.9 %, information request 31.8 %, other 89.5 %.

Hold-out 2 (``--csv tests/data/real_wording_holdout2.csv``, 55 texts labelled before the rules saw
them), first sight: 61.8 % (34/55); recall denial 4/10, information request 1/9, deflection 1/4,
acknowledgement 0/1, other 28/31.
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

import pandas as pd

import caselog
from caselog.schema import REPLY_CLASSES

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "tests" / "data"
DEFAULT_CSV = DATA / "real_wording.csv"
ALL_CSVS = (DEFAULT_CSV, DATA / "real_wording_holdout.csv", DATA / "real_wording_holdout2.csv")


def load(path: Path, clean_only: bool = False) -> pd.DataFrame:
    """The corpus as a frame of strings (``note`` may be empty)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    if clean_only:
        frame = frame[~frame["note"].str.startswith("dirty copy of")]
    return frame.reset_index(drop=True)


def classify(frame: pd.DataFrame) -> pd.Series:
    """One Amazon message per text, classified with the public API."""
    n = len(frame)
    messages = pd.DataFrame(
        {
            "direction": ["amazon"] * n,
            "subject": [""] * n,
            "body": frame["text"].tolist(),
            "kind": [""] * n,
        }
    )
    return caselog.classify_replies(messages).reset_index(drop=True)


def half(url: str) -> str:
    """``dev`` or ``test``: the half of the corpus a URL belongs to."""
    return "dev" if hashlib.md5(url.encode()).digest()[0] % 2 == 0 else "test"


def report(frame: pd.DataFrame, predicted: pd.Series, n_errors: int) -> None:
    truth = frame["reply_class"]
    hit = truth == predicted
    print(f"texts: {len(frame)}  accuracy: {hit.mean():.1%} ({int(hit.sum())}/{len(frame)})")
    halves = frame["url"].map(half)
    for name in ("dev", "test"):
        sel = halves == name
        per = ", ".join(f"{c} {hit[sel & (truth == c)].mean():.0%}" for c in REPLY_CLASSES
                        if (sel & (truth == c)).any())
        print(f"  {name:<4} n={int(sel.sum()):>3}  accuracy={hit[sel].mean():6.1%}  ({per})")
    print("\nper class (recall: right / texts of that class; precision: right / predicted):")
    for cls in REPLY_CLASSES:
        mask = truth == cls
        pred_mask = predicted == cls
        if not mask.any() and not pred_mask.any():
            continue
        recall = hit[mask].mean() if mask.any() else float("nan")
        precision = hit[pred_mask].mean() if pred_mask.any() else float("nan")
        print(
            f"  {cls:<20} n={int(mask.sum()):>3}  recall={recall:6.1%}  precision={precision:6.1%}"
        )
    print("\nper language:")
    for lang, idx in frame.groupby("language").groups.items():
        print(f"  {lang:<4} n={len(idx):>3}  accuracy={hit[idx].mean():6.1%}")
    labels = [c for c in REPLY_CLASSES if (truth == c).any() or (predicted == c).any()]
    table = pd.crosstab(
        pd.Categorical(truth, categories=labels),
        pd.Categorical(predicted, categories=labels),
        rownames=["true"],
        colnames=["predicted"],
        dropna=False,
    )
    table.index = [s[:12] for s in table.index]
    table.columns = [s[:12] for s in table.columns]
    print("\nconfusion (rows true, columns predicted):")
    print(table.to_string())
    if n_errors:
        wrong = frame[~hit].assign(predicted=predicted[~hit])
        print(f"\nfirst {min(n_errors, len(wrong))} of {len(wrong)} misclassifications:")
        for row in wrong.head(n_errors).itertuples():
            text = " ".join(row.text.split())
            text = text if len(text) <= 110 else text[:107] + "..."
            print(f"  {row.id}: {row.reply_class} -> {row.predicted}: {text}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--errors", type=int, default=25, help="misclassifications to list")
    parser.add_argument("--clean-only", action="store_true", help="leave out the dirty copies")
    parser.add_argument("--all", action="store_true",
                        help="report the corpus and both hold-out files, one after the other")
    args = parser.parse_args(argv)
    paths = ALL_CSVS if args.all else (args.csv,)
    for i, path in enumerate(paths):
        if args.all:
            print(("\n" if i else "") + f"== {path.name}")
        frame = load(path, clean_only=args.clean_only)
        report(frame, classify(frame), args.errors)


if __name__ == "__main__":
    main()
