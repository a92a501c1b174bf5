"""Turning one raw table into canonical message rows (or case rows) and rejects."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._memory import release_memory
from ..errors import (
    MappingError,
    SchemaError,
)
from ..schema import (
    CATEGORIES,
    CHANNELS,
    DIRECTIONS,
    REQUIRED_MESSAGE_FIELDS,
    STATUSES,
    TEAMS,
)
from ._aliases import MESSAGE_FIELD_ALIASES, Aliases
from ._columns import _clean_text, _header_zone, _normalise_values, _where_text
from ._dates import UNREADABLE, parse_timestamps
from ._files import _Table
from ._pick import pick_rows
from ._senders import senders_from_addresses

# --------------------------------------------------------------------------- per-table work


@dataclass(frozen=True)
class Kept:
    """A table's message rows not yet taken out of it: ``frame.iloc[rows]`` (``rows`` is
    ``None`` when every row is a message), so that the loader copies the text once, when it
    drops the duplicates and sorts."""

    frame: pd.DataFrame
    rows: np.ndarray | None

    def __len__(self) -> int:
        return len(self.frame) if self.rows is None else len(self.rows)

    def taken(self) -> pd.DataFrame:
        """The message rows as a frame of their own."""
        return self.frame if self.rows is None else self.frame.iloc[self.rows]


def _raw_text(frame: pd.DataFrame) -> pd.Series:
    if len(frame) == 0 and len(frame.columns) and all(isinstance(c, str) for c in frame.columns):
        return pd.Series([], index=frame.index, dtype="str")  # what the joins below give no rows
    parts = [c + "=" + _clean_text(frame[c]) for c in frame.columns]
    if not parts:
        return pd.Series("", index=frame.index)
    out = parts[0]
    for p in parts[1:]:
        out = out + "; " + p
    return out


def _attachments(raw: pd.Series) -> pd.Series:
    """Attachment counts from a count, yes/no or list-of-names column (worked out once per
    distinct value)."""
    text = _clean_text(raw)
    codes, uniques = pd.factorize(text, use_na_sentinel=False)
    if len(uniques) < len(text):
        counts = _attachment_counts(pd.Series(uniques, dtype=text.dtype)).to_numpy()
        return pd.Series(counts[codes], index=text.index, dtype="int64")
    return _attachment_counts(text)


def _attachment_counts(text: pd.Series) -> pd.Series:
    num = pd.to_numeric(text, errors="coerce")
    num = num.where(num.abs() < 2**31)  # "inf", "1e30": not a count (and no int64 overflow)
    yes = text.str.lower().isin(["yes", "y", "true", "x"])
    names = text.str.count(r"[;,\n]") + 1
    count = num.where(num.notna(), np.where(yes, 1, np.where(text.eq("") | text.str.lower().isin(["no", "n", "false", "none", "0", "-"]), 0, names)))
    return count.clip(lower=0).fillna(0).astype("int64")


def _reasons(
    failures: list[tuple[np.ndarray, str | Callable[[np.ndarray], pd.Series]]], index: pd.Index
) -> pd.Series:
    """Each row's reasons, ``"; "``-joined in the order found (``""`` for a row that passes);
    a reason that is text made from the row's values is made for the failing rows only."""
    reasons = pd.Series("", index=index, dtype=object)
    for mask, why in failures:
        rows = np.flatnonzero(mask)
        add = why if isinstance(why, str) else why(rows).astype(str).to_numpy(dtype=object)
        before = reasons.iloc[rows]
        reasons.iloc[rows] = (before + np.where(before.eq(""), "", "; ") + add).to_numpy(dtype=object)
    return reasons


def _messages_from(
    table: _Table,
    fields: dict[str, str],
    case_fields: dict[str, str],
    *,
    aliases: Aliases,
    values: Mapping[str, Mapping[str, str]],
    tz: str,
    dayfirst: bool | None,
    tzinfos: Mapping[str, str] | None = None,
    defer: bool = False,
) -> tuple[Any, pd.DataFrame, list[str]]:
    """Map one table to canonical message rows (plus per-row case fields) and its rejects.

    The message rows are a frame, or with ``defer`` a :class:`Kept` (not yet taken out of
    the table's rows)."""
    f = table.frame
    where = table.where()
    missing = [r for r in REQUIRED_MESSAGE_FIELDS if r not in fields]
    if missing:
        looked = {m: list(MESSAGE_FIELD_ALIASES[m][:6]) for m in missing}
        raise SchemaError(
            f"no column for required field(s) {missing}; looked for {looked}; columns found: "
            f"{list(f.columns)}. Name your column with mapping={{'{missing[0]}': '<your column>'}} "
            f"(command line: --map {missing[0]}=COLUMN)",
            missing=missing, found=list(f.columns), **where,
        )
    notes: list[str] = []
    out = pd.DataFrame(index=f.index)
    cleaned: dict[str, pd.Series] = {}

    def clean(column: str) -> pd.Series:  # each column cleaned once
        if column not in cleaned:
            cleaned[column] = _clean_text(f[column])
        return cleaned[column]

    text = {k: clean(c) for k, c in {**fields, **case_fields}.items() if k not in ("sent_at",)}
    # reasons are written only for the rows that fail: (mask, text or text-of-those-rows maker)
    failures: list[tuple[np.ndarray, str | Callable[[np.ndarray], pd.Series]]] = []

    def fail(mask: pd.Series, why: str | Callable[[np.ndarray], pd.Series]) -> None:
        m = np.asarray(mask, dtype=bool)
        if m.any():
            failures.append((m, why))

    out["case_id"] = text["case_id"]
    fail(out["case_id"].eq(""), f"case ID ({fields['case_id']}) is empty")

    sent_tz = _header_zone(fields["sent_at"]) or tz
    if sent_tz != tz:
        notes.append(f"{_where_text(where)}: naive times in {fields['sent_at']!r} read in {sent_tz}, as its header says")
    parsed = parse_timestamps(
        f[fields["sent_at"]], tz=sent_tz, dayfirst=dayfirst, column=fields["sent_at"], file=table.file,
        tzinfos=tzinfos,
    )
    release_memory()
    if parsed.decision:
        notes.append(f"{_where_text(where)}: dates in {parsed.decision}")
    out["sent_at"] = parsed.values
    raw_sent = clean(fields["sent_at"])
    fail(raw_sent.eq(""), f"date ({fields['sent_at']}) is empty")

    def bad_date(rows: np.ndarray) -> pd.Series:
        r = parsed.reasons.iloc[rows].astype(str)
        why = pd.Series(np.where(r.isin(["", UNREADABLE]), "", ": " + r), index=r.index)  # the specific reason
        return "date " + raw_sent.iloc[rows].astype(object).map(repr) + f" ({fields['sent_at']}) is not a readable date" + why

    fail(parsed.bad, bad_date)

    # direction: seller/amazon, or a team name that implies amazon
    raw_dir = text["direction"]
    direction, dir_team, note = _directions(raw_dir, fields["direction"], aliases, values, where)
    if note:
        notes.append(note)
    fail(raw_dir.eq(""), f"sender ({fields['direction']}) is empty")
    fail(
        raw_dir.ne("") & direction.isna(),
        lambda rows: "sender " + raw_dir.iloc[rows].astype(object).map(repr) + f" ({fields['direction']}) is neither "
        "the seller nor an Amazon team; map it with values={'direction': {...}}",
    )
    out["direction"] = direction.fillna("").astype(str)

    account = text.get("account")
    out["account"] = account.where(account.ne(""), "default") if account is not None else "default"

    unknown_values: dict[str, list[str]] = {}

    def vocab(field: str, allowed: tuple[str, ...], default: str, fallback: str) -> pd.Series:
        if field not in text:
            return pd.Series(default, index=f.index, dtype=object)
        # worked out once per distinct value, then spread by position (one Arrow take)
        codes, uniques = pd.factorize(text[field], use_na_sentinel=False)
        raw = pd.Series(uniques, dtype=text[field].dtype)
        norm = _normalise_values(raw, field, aliases, values.get(field))
        bad = norm.notna() & ~norm.isin(allowed)
        if bad.any():
            raise MappingError(
                f"values= maps {field} to {sorted(set(norm[bad]))}; use one of {list(allowed)}", **where
            )
        unknown = raw.ne("") & norm.isna()
        if unknown.any():
            unknown_values[field] = sorted(set(raw[unknown]))[:8]
        per_value = norm.where(norm.notna(), np.where(raw.eq(""), default, fallback)).astype(str)
        return pd.Series(per_value.array.take(codes), index=f.index)

    team = vocab("team", TEAMS, "Unknown", "Other")
    team = team.where(~(team.eq("Unknown") & dir_team.notna()), dir_team)
    out["team"] = team.astype(str)
    out["channel"] = vocab("channel", CHANNELS, "case", "other").astype(str)
    out["subject"] = text.get("subject", "")
    out["body"] = text.get("body", "")
    out["attachments"] = _attachments(clean(fields["attachments"])) if "attachments" in fields else 0
    if "kind" in text:
        kind = _normalise_values(text["kind"], "kind", aliases, values.get("kind"))
        out["kind"] = kind.where(kind.notna(), text["kind"].str.lower()).astype(str)
    else:
        out["kind"] = ""
    label = table.file + (f" [{table.sheet}]" if table.sheet else "")
    out["source"] = label + " row " + pd.Series(table.rows, index=f.index).astype(str)
    out["_row"] = table.rows
    # per-row case fields of a long export
    if "category" in case_fields:
        out["_category"] = vocab("category", CATEGORIES, "Unknown", "Unknown").astype(str)
    if "status" in case_fields:
        out["_status"] = vocab("status", STATUSES, "", "open").astype(str)
    for k in ("outcome", "asins"):
        if k in case_fields:
            out[f"_{k}"] = text[k]
    for field, vals in unknown_values.items():
        fallback = "Other" if field == "team" else "other" if field == "channel" else "kept as is"
        notes.append(f"{_where_text(where)}: {field} values not recognised ({vals}) -> {fallback}")

    cleaned_cols = [clean(c) for c in f.columns]
    cleaned.clear()
    good, rejects, notes = _split_rejects(table, out, failures, cleaned_cols, notes)
    return (good if defer else good.taken()), rejects, notes


def _directions(raw_dir: pd.Series, column: str, aliases: Aliases,
                values: Mapping[str, Mapping[str, str]], where: dict[str, Any],
                ) -> tuple[pd.Series, pd.Series, str]:
    """Each row's direction (seller / amazon / NA when unreadable), the team a sender value
    names (NA when none), and a note when senders were read from e-mail addresses."""
    direction = _normalise_values(raw_dir, "direction", aliases, values.get("direction"))
    dir_team = _normalise_values(raw_dir, "team", aliases, values.get("team"))
    bad_target = direction.notna() & ~direction.isin(DIRECTIONS)
    if bad_target.any():
        raise MappingError(
            f"values= maps direction to {sorted(set(direction[bad_target]))}; "
            f"use one of {list(DIRECTIONS)}",
            **where,
        )
    direction = direction.where(direction.notna(), np.where(dir_team.notna() & dir_team.ne("Unknown"), "amazon", None))
    note = ""
    if direction.isna().any() and raw_dir.str.contains("@", regex=False).any():
        addr_dir, addr_team = senders_from_addresses(raw_dir.where(direction.isna(), ""))
        direction = direction.where(direction.notna(), addr_dir)
        dir_team = dir_team.where(dir_team.notna(), addr_team)
        if addr_dir.notna().any():
            note = (
                f"{_where_text(where)}: {int(addr_dir.notna().sum())} senders in {column!r} "
                "are e-mail addresses: Amazon domains are amazon (team from the address), others the seller"
            )
    return direction, dir_team, note


def _split_rejects(table: _Table, out: pd.DataFrame,
                   failures: list[tuple[np.ndarray, Any]], cleaned_cols: list[pd.Series],
                   notes: list[str]) -> tuple[Kept, pd.DataFrame, list[str]]:
    """The rows of ``out`` that are messages, the rejects (rows with a failure, with its
    reason), and the notes; blank rows are not data rows: dropped without counting."""
    f = table.frame
    where = table.where()
    blank = pd.Series(True, index=f.index)
    for c in cleaned_cols:
        blank &= c.eq("")
    if blank.any():
        notes.append(f"{_where_text(where)}: {int(blank.sum())} blank rows skipped")
    reasons = _reasons(failures, f.index)
    bad = reasons.ne("") & ~blank
    # the rejects picked chunk by chunk (an Arrow take joins a column's chunks: a copy)
    flags = bad.to_numpy(dtype=bool)
    rejects = pd.DataFrame(
        {
            "file": table.file,
            "sheet": table.sheet,
            "row": table.rows[flags],
            "source": pick_rows(out, flags, ["source"])["source"],
            "reason": reasons[flags].astype(str),
            "raw": _raw_text(pick_rows(f, flags)),
        }
    )
    keep = (~bad & ~blank).to_numpy(dtype=bool)
    return Kept(out, None if keep.all() else np.flatnonzero(keep)), rejects, notes


def _cases_from_sheet(
    table: _Table, case_id_col: str, fields: dict[str, str], *, aliases: Aliases,
    values: Mapping[str, Mapping[str, str]], tz: str, dayfirst: bool | None,
    tzinfos: Mapping[str, str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    f = table.frame
    notes: list[str] = []
    text = {k: _clean_text(f[c]) for k, c in fields.items() if k not in ("opened_at", "closed_at")}
    out = pd.DataFrame(index=f.index)
    out["case_id"] = _clean_text(f[case_id_col])
    out["account"] = text["account"] if "account" in text else ""

    def norm(field: str, allowed: tuple[str, ...], default: str) -> pd.Series:
        if field not in text:
            return pd.Series(default, index=f.index)
        v = _normalise_values(text[field], field, aliases, values.get(field))
        v = v.where(v.isin(allowed), None)
        return v.where(v.notna(), np.where(text[field].eq(""), default, "Unknown" if field == "category" else "open"))

    out["category"] = norm("category", CATEGORIES, "Unknown").astype(str)
    out["status"] = norm("status", STATUSES, "").astype(str)
    for k in ("opened_at", "closed_at"):
        if k in fields:
            p = parse_timestamps(
                f[fields[k]], tz=_header_zone(fields[k]) or tz, dayfirst=dayfirst,
                column=fields[k], file=table.file, tzinfos=tzinfos,
            )
            out[k] = p.values
            if p.decision:
                notes.append(f"{_where_text(table.where())}: dates in {p.decision}")
            if p.bad.any():
                rows = table.rows[p.bad.to_numpy()][:5].tolist()
                notes.append(
                    f"{_where_text(table.where())}: {int(p.bad.sum())} {fields[k]} values are not dates "
                    f"(rows {rows}); left empty"
                    + "".join(f" ({r})" for r in p.reasons[p.bad].head(1) if r != UNREADABLE)
                )
        else:
            out[k] = pd.Series(pd.NaT, index=f.index, dtype="datetime64[ns, UTC]")
    out["status"] = out["status"].where(
        ~(out["status"].eq("") & out["closed_at"].notna()), "closed"
    )
    out["outcome"] = text.get("outcome", "")
    out["asins"] = text.get("asins", "")
    label = table.file + f" [{table.sheet}]"
    out["source"] = label + " row " + pd.Series(table.rows, index=f.index).astype(str)
    blank = pd.Series(True, index=f.index)
    for c in f.columns:
        blank &= _clean_text(f[c]).eq("")
    bad = out["case_id"].eq("") & ~blank
    rejects = pd.DataFrame(
        {
            "file": table.file, "sheet": table.sheet, "row": table.rows[bad.to_numpy()],
            "source": out.loc[bad, "source"], "reason": f"cases sheet: case ID ({case_id_col}) is empty",
            "raw": _raw_text(f[bad]),
        }
    )
    return out[~bad & ~blank], rejects, notes


