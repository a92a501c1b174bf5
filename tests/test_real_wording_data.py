"""Shape of the real-wording corpus in tests/data (see README_real_wording.md)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from caselog.schema import REPLY_CLASSES

DATA = Path(__file__).resolve().parent / "data"


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False, encoding="utf-8")


@pytest.fixture(scope="module")
def wording() -> pd.DataFrame:
    return _read("real_wording.csv")


def test_wording_columns_and_classes(wording):
    assert list(wording.columns) == ["id", "reply_class", "language", "text", "url", "note"]
    assert set(wording["reply_class"]) == set(REPLY_CLASSES)
    assert wording["id"].is_unique
    assert wording["text"].is_unique
    assert (wording["text"].str.strip() != "").all()
    assert wording["url"].str.match(r"https?://").all()


def test_every_class_has_eight_rows(wording):
    counts = wording["reply_class"].value_counts()
    assert counts.min() >= 8, counts.to_dict()


def test_dirty_copies_point_at_a_clean_row_of_the_same_class(wording):
    by_id = wording.set_index("id")
    dirty = wording[wording["note"].str.startswith("dirty copy of ")]
    assert len(dirty) >= 20
    for row in dirty.itertuples():
        source = row.note.removeprefix("dirty copy of ")
        assert source in by_id.index
        assert not by_id.at[source, "note"].startswith("dirty copy of ")
        assert by_id.at[source, "reply_class"] == row.reply_class
        assert by_id.at[source, "url"] == row.url


def test_templates_have_ten_groups_of_two():
    templates = _read("real_templates.csv")
    assert list(templates.columns) == ["group", "id", "text", "url"]
    assert templates["id"].is_unique
    sizes = templates.groupby("group").size()
    assert (sizes >= 2).sum() >= 10
    # the opposite-meaning controls stay in separate groups
    groups = templates.set_index("text")["group"]
    not_reinstate = groups[groups.index.str.contains("decided not to reinstate")]
    reinstate = groups[groups.index.str.contains("decided to reinstate")]
    assert set(not_reinstate).isdisjoint(reinstate)


def test_deadlines_are_hand_labelled():
    deadlines = _read("real_deadlines.csv")
    assert list(deadlines.columns) == ["id", "text", "url", "due_what", "amount", "unit"]
    assert deadlines["amount"].str.fullmatch(r"\d+").all()
    assert (deadlines["unit"] != "").all() and (deadlines["due_what"] != "").all()
    plan = deadlines[deadlines["text"].str.startswith("If you do not send an acceptable plan")]
    assert set(zip(plan["due_what"], plan["amount"], plan["unit"], strict=True)) == {
        ("plan", "17", "days"),
        ("appeals", "2", "appeals"),
    }
