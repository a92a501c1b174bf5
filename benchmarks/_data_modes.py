"""The benchmark's three data modes, written from the sample generator as one long CSV each.

* ``clean``: the sample in the "tool A" CSV form (one date format, no rejects, no ragged rows);
* ``variety``: every Amazon message edited by hand, as agents do: a random word inserted at a
  random place, or a random sentence inserted between two lines (the template truth is
  unchanged, so template grouping is scored on text that is never an exact copy);
* ``dirty``: mixed date formats (a third ISO 8601 with ``Z``, a third ``14 Mar 2026 09:05``),
  1 % rejects (no case ID, or a date that is no date), 1 % exact duplicate rows and 0.1 %
  ragged rows (one field too many).

Beside each CSV, ``*.truth.csv`` holds ``case_id, sent_at, template, reply_class`` for
:func:`caselog.evaluate_templates`.  Files are cached in ``benchmarks/_data/``.
"""

from __future__ import annotations

import csv
import time
from pathlib import Path

import numpy as np
import pandas as pd

MODES = ("clean", "variety", "dirty")

_WORDS = (
    "kindly urgently additionally meanwhile unfortunately however furthermore regarding "
    "marketplace warehouse shipment inventory listing storefront catalogue invoice supplier "
    "manufacturer authenticity compliance documentation verification escalation resolution "
    "specialist partner merchant customer buyer review feedback rating performance metrics "
    "dashboard portal notification deadline timeline priority workflow queue department "
    "colleague supervisor manager investigation evaluation assessment outcome decision "
    "appeal request response update follow-up reminder clarification confirmation"
).split()
_OPENERS = ("Please note that", "As a reminder,", "For your information,", "In addition,",
            "We also checked whether", "Our team noticed that", "Separately,", "To be clear,")


def _edit_bodies(bodies: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Each body with one random word (half) or one random sentence (half) inserted."""
    n = len(bodies)
    out = np.empty(n, dtype=object)
    word = rng.integers(0, len(_WORDS), size=(n, 5))
    opener = rng.integers(0, len(_OPENERS), size=n)
    kind = rng.random(n) < 0.5
    where = rng.random(n)
    for i, body in enumerate(bodies):
        body = str(body)
        if kind[i]:
            words = body.split(" ")
            k = int(where[i] * (len(words) + 1))
            words.insert(k, _WORDS[word[i, 0]])
            out[i] = " ".join(words)
        else:
            lines = body.split("\n")
            k = 1 + int(where[i] * max(len(lines) - 1, 1)) if len(lines) > 1 else 1
            sentence = (f"{_OPENERS[opener[i]]} the {_WORDS[word[i, 1]]} "
                        f"{_WORDS[word[i, 2]]} {_WORDS[word[i, 3]]} is {_WORDS[word[i, 4]]}.")
            lines.insert(min(k, len(lines)), sentence)
            out[i] = "\n".join(lines)
    return out


def _truth(sample) -> pd.DataFrame:
    t = sample.truth_messages
    return pd.DataFrame({
        "case_id": t["case_id"],
        "sent_at": t["sent_at"].dt.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "template": t["template"],
        "reply_class": t["reply_class"],
    })


def _write_dirty(frame: pd.DataFrame, path: Path, rng: np.random.Generator) -> dict:
    n = len(frame)
    sent = pd.to_datetime(frame["Sent"], format="%m/%d/%Y %I:%M %p")
    which = rng.integers(0, 3, size=n)
    out = frame["Sent"].to_numpy(dtype=object).copy()
    out[which == 1] = sent[which == 1].dt.strftime("%Y-%m-%dT%H:%M:%SZ").to_numpy(dtype=object)
    out[which == 2] = sent[which == 2].dt.strftime("%d %b %Y %H:%M").to_numpy(dtype=object)
    frame = frame.assign(Sent=out)
    bad = rng.random(n) < 0.01
    no_case = bad & (rng.random(n) < 0.5)
    frame.loc[no_case, "Case ID"] = ""
    frame.loc[bad & ~no_case, "Sent"] = "not a date"
    dup = np.flatnonzero(rng.random(n) < 0.01)
    rows = np.sort(np.r_[np.arange(n), dup], kind="stable")
    ragged = set(np.flatnonzero(rng.random(len(rows)) < 0.001).tolist())
    values = frame.to_numpy(dtype=object)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(frame.columns)
        for k, r in enumerate(rows):
            row = ["" if v is None or (isinstance(v, float) and np.isnan(v)) else v
                   for v in values[r]]
            w.writerow(row + ["stray field"] if k in ragged else row)
    return {"rejects_planted": int(bad.sum()), "duplicates_planted": len(dup),
            "ragged_rows": len(ragged), "rows": len(rows)}


_CHUNK = 200_000  # cases generated at once; bigger files are written in chunks of this size


def _make_chunked(mode: str, n_cases: int, seed: int, path: Path, truth: Path) -> dict:
    """Clean data only: ``n_cases`` written in chunks of 100,000 cases, each with its own seed
    (random case IDs may collide across chunks, rarely: such cases merge)."""
    from caselog.sample import generate, to_export_frames

    if mode != "clean":
        raise SystemExit("data sets over 200,000 cases are written in the clean mode only")
    total = 0
    for i, start in enumerate(range(0, n_cases, 100_000)):
        sample = generate(seed=seed + 1000 * i, n_cases=min(100_000, n_cases - start))
        frame, _, _ = to_export_frames(sample)
        frame.to_csv(path, index=False, mode="w" if i == 0 else "a", header=i == 0)
        _truth(sample).to_csv(truth, index=False, mode="w" if i == 0 else "a", header=i == 0)
        total += len(sample.messages)
        del sample, frame
    return {"messages_generated": total, "chunks": -(-n_cases // 100_000)}


def make_data(mode: str, n_cases: int, seed: int, folder: Path) -> tuple[Path, Path, dict]:
    """Write (or find cached) the CSV of ``mode`` and its truth; return paths and notes."""
    from caselog.sample import generate, to_export_frames

    folder.mkdir(exist_ok=True)
    path = folder / f"bench_{mode}_{n_cases}_{seed}.csv"
    truth = path.with_suffix(".truth.csv")
    notes_path = path.with_suffix(".notes.json")
    if path.exists() and truth.exists() and notes_path.exists():
        import json

        return path, truth, json.loads(notes_path.read_text())
    t0 = time.perf_counter()
    if n_cases > _CHUNK:
        notes = _make_chunked(mode, n_cases, seed, path, truth)
        import json

        notes_path.write_text(json.dumps(notes))
        print(f"  data {mode}: {notes['messages_generated']:,} messages in {n_cases:,} cases, "
              f"{path.stat().st_size / 1e6:,.0f} MB, {time.perf_counter() - t0:.0f} s", flush=True)
        return path, truth, notes
    sample = generate(seed=seed, n_cases=n_cases)
    rng = np.random.default_rng(seed + MODES.index(mode))
    if mode == "variety":
        m = sample.messages
        amazon = (m["direction"] == "amazon").to_numpy()
        body = m["body"].to_numpy(dtype=object)
        body[amazon] = _edit_bodies(body[amazon], rng)
        sample = type(sample)(messages=m.assign(body=pd.array(body, dtype="str")),
                              cases=sample.cases, truth_messages=sample.truth_messages,
                              truth_cases=sample.truth_cases, as_of=sample.as_of)
    frame, _, _ = to_export_frames(sample)
    notes: dict = {"messages_generated": len(sample.messages)}
    if mode == "dirty":
        notes.update(_write_dirty(frame, path, rng))
    else:
        frame.to_csv(path, index=False)
    _truth(sample).to_csv(truth, index=False)
    import json

    notes_path.write_text(json.dumps(notes))
    print(f"  data {mode}: {len(sample.messages):,} messages in {n_cases:,} cases, "
          f"{path.stat().st_size / 1e6:,.0f} MB, {time.perf_counter() - t0:.0f} s", flush=True)
    return path, truth, notes
