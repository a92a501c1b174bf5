"""The cases table: read from a cases sheet or derived from the messages."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..schema import (
    CASE_COLUMNS,
    STATUSES,
)
from ._asins import asin_pairs

_ASIN_ANY = r"\bB0[A-Z0-9]{8}\b"

#: keywords that let the loader infer a case's category when the export has none
_CATEGORY_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("Account suspension", r"suspen|deactivat|plan of action|\bpoa\b|reinstat|account health"),
    ("Policy violation", r"infring|intellectual property|\bip complaint|counterfeit|inauthentic|policy violation|policy warning"),
    ("Delayed payment", r"payment|disburse|\bfunds\b|\breserve\b|payout"),
    ("Listing suppression", r"suppress|listing|detail page|search results"),
    ("Technical problem", r"error|\bbug\b|image|pricing|shipping template|upload|glitch"),
    ("Routine inquiry", r"question|how do i|how can i|inquiry|wondering"),
)




def _infer_category(messages: pd.DataFrame) -> pd.Series:
    """Per case, a category from keywords in its first seller (else first) message.

    The first messages are found by position (one sort of the case, time and message ID
    columns), and only their subject and body are taken out of ``messages``."""
    codes, _ = pd.factorize(messages["case_id"], sort=True)
    if len(codes) == 0 or (codes < 0).any():  # a missing case ID: as the plain reading has it
        return _infer_category_plain(messages)
    sent = messages["sent_at"]
    nat = sent.isna().to_numpy()
    ns = pd.DatetimeIndex(sent).as_unit("ns").asi8
    # sort_values(["case_id", "sent_at", "message_id"]): NaT last within a case, ties stable
    order = np.lexsort((messages["message_id"].to_numpy(), ns, nat, codes))

    def firsts(at: np.ndarray) -> np.ndarray:  # the first row of each case among ``at``
        c = codes[at]
        return at[np.flatnonzero(np.r_[True, c[1:] != c[:-1]])] if len(at) else at

    def text_of(at: np.ndarray) -> pd.Series:  # these rows' text, by case ID (no other column taken)
        text = (messages["subject"].iloc[at] + " " + messages["body"].iloc[at]).str.lower()
        text.index = pd.Index(messages["case_id"].iloc[at], name="case_id")
        return text

    seller = messages["direction"].eq("seller").to_numpy(dtype=bool)
    first = firsts(order)  # the k-th is case code k's (every code has rows)
    first_seller = firsts(order[seller[order]])
    pick = first.copy()
    pick[codes[first_seller]] = first_seller  # a case's first seller message, else its first
    text = text_of(pick)
    if text.isna().any():  # a seller text that is missing does not replace the first message's
        text = text_of(first)
        text.update(text_of(first_seller))
    # the first listed category whose words the text holds, else Unknown
    hits = np.column_stack([_contains(text, pattern).to_numpy(dtype=bool) for _, pattern in _CATEGORY_KEYWORDS]
                           + [np.ones(len(text), dtype=bool)])
    names = np.asarray([name for name, _ in _CATEGORY_KEYWORDS] + ["Unknown"], dtype=object)
    return pd.Series(names[hits.argmax(axis=1)], index=text.index, dtype=object).astype(str)


def _infer_category_plain(messages: pd.DataFrame) -> pd.Series:
    """:func:`_infer_category` by sorting and de-duplicating whole frames (the reference)."""
    first = messages.sort_values(["case_id", "sent_at", "message_id"]).drop_duplicates("case_id")
    sellers = messages[messages["direction"].eq("seller")].sort_values(["case_id", "sent_at", "message_id"])
    sellers = sellers.drop_duplicates("case_id").set_index("case_id")
    base = first.set_index("case_id")
    text = (base["subject"] + " " + base["body"]).str.lower()
    text.update((sellers["subject"] + " " + sellers["body"]).str.lower())
    cat = pd.Series("Unknown", index=text.index, dtype=object)
    for name, pattern in reversed(_CATEGORY_KEYWORDS):  # first listed wins
        cat = cat.where(~_contains(text, pattern), name)
    return cat.astype(str)


def _contains(text: pd.Series, pattern: str) -> pd.Series:
    """``text.str.contains(pattern)`` (Python's ``re``), run with Arrow's RE2 on the ASCII values,
    where the two agree, and with ``re`` only on the others (pandas would take ``re`` for the
    whole column as soon as one value is not ASCII, because of ``\\b``)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = text.array._pa_array if hasattr(text.array, "_pa_array") else pa.array(text.to_numpy(dtype=object), type=pa.large_string())
    hit = pc.match_substring_regex(arr, pattern).to_numpy(zero_copy_only=False).astype(bool)
    other = np.flatnonzero(~pc.string_is_ascii(arr).to_numpy(zero_copy_only=False).astype(bool))
    if len(other):
        compiled = re.compile(pattern)
        hit[other] = [compiled.search(v) is not None for v in text.iloc[other].to_numpy(dtype=object)]
    return pd.Series(hit, index=text.index)


def _asins_in(text: pd.Series, per_message: int = 3) -> pd.Series:
    """The first ``per_message`` ASINs of each text (index repeated), found with Arrow's C regex."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = text.array._pa_array if hasattr(text.array, "_pa_array") else pa.array(text.to_numpy(dtype=object), type=pa.string())
    found = []
    for _ in range(per_message):
        got = pc.struct_field(pc.extract_regex(arr, r"(?P<a>\bB0[A-Z0-9]{8}\b)"), [0])
        ok = pc.is_valid(got).to_numpy(zero_copy_only=False)
        if not ok.any():
            break
        found.append(pd.Series(got.to_numpy(zero_copy_only=False)[ok], index=text.index[ok]))
        arr = pc.replace_substring_regex(arr, r"\bB0[A-Z0-9]{8}\b", "", max_replacements=1)
    return pd.concat(found) if found else pd.Series([], dtype=object)


def _join_groups(frame: pd.DataFrame, key: str, value: str, sep: str = ", ", limit: int = 20) -> pd.Series:
    """Sorted unique ``value`` strings per ``key``, joined with ``sep``.

    At most ``limit`` values per key are kept, followed by ``"…"`` when there were more. The
    distinct pairs are found and sorted as codes; each key's run of values is then joined."""
    keys, key_names = pd.factorize(frame[key], sort=True)  # codes in sorted order
    codes, names = pd.factorize(frame[value], sort=True)
    if len(keys) == 0 or (keys < 0).any() or (codes < 0).any():  # none, or a missing value
        return _join_groups_plain(frame, key, value, sep, limit)
    pair = np.unique(keys.astype(np.int64) * len(names) + codes)  # distinct pairs, sorted by key, value
    at_key, at_value = pair // len(names), pair % len(names)
    values = np.asarray(names.astype(str), dtype=object)[at_value].tolist()
    starts = np.flatnonzero(np.r_[True, at_key[1:] != at_key[:-1]])
    bounds = starts.tolist() + [len(values)]
    joined = [sep.join(values[a:min(b, a + limit)]) + (sep + "…" if b - a > limit else "")
              for a, b in zip(bounds, bounds[1:], strict=False)]
    return pd.Series(joined, index=pd.Index(key_names[at_key[starts]], name=key), dtype=str)


def _join_groups_plain(frame: pd.DataFrame, key: str, value: str, sep: str = ", ", limit: int = 20) -> pd.Series:
    """:func:`_join_groups` by a pivot of the ranked values (the reference)."""
    pairs = frame[[key, value]].drop_duplicates().sort_values([key, value], kind="stable")
    if pairs.empty:
        return pd.Series([], dtype=str, index=pd.Index([], name=key))
    rank = pairs.groupby(key, sort=False).cumcount()
    wide = pairs[rank < limit].assign(_r=rank[rank < limit]).pivot(index=key, columns="_r", values=value)
    out = wide[0].astype(str)
    for r in wide.columns[1:]:
        col = wide[r]
        out = out.where(col.isna(), out + sep + col.fillna("").astype(str))
    more = rank.groupby(pairs[key]).max() >= limit
    out = out.where(~more.reindex(out.index, fill_value=False), out + sep + "…")
    return out


def _derive_cases(messages: pd.DataFrame, sheet_cases: pd.DataFrame | None) -> tuple[pd.DataFrame, list[str]]:
    notes: list[str] = []
    m = messages
    g = m.groupby("case_id", sort=True)
    derived = pd.DataFrame(
        {
            "account": g["account"].first(),
            "opened_at": g["sent_at"].min(),
            "_last": g["sent_at"].max(),
            "source": g["source"].first(),
        }
    )
    derived["source"] = "derived from messages (first: " + derived["source"] + ")"
    if "_category" in m:
        known = m.loc[m["_category"].ne("Unknown"), ["case_id", "_category"]]
        counts = known.value_counts().reset_index(name="n")  # most frequent first
        counts = counts.sort_values(["case_id", "n", "_category"], ascending=[True, False, True])
        cat = counts.drop_duplicates("case_id").set_index("case_id")["_category"]
        derived["category"] = cat.reindex(derived.index).fillna("Unknown")
    else:
        derived["category"] = _infer_category(m).reindex(derived.index).fillna("Unknown")
        if sheet_cases is None or "category" not in sheet_cases:
            notes.append("no category column: categories inferred from the first seller message's words")
    if "_status" in m:
        # the two columns only: a mask over the whole frame would copy the text
        st = m.loc[m["_status"].ne(""), ["case_id", "_status"]].groupby("case_id")["_status"].last()  # m is in time order
        derived["status"] = st.reindex(derived.index).fillna("open")
    else:
        derived["status"] = "open"
    derived["closed_at"] = derived["_last"].where(derived["status"].eq("closed"))
    for k in ("outcome", "asins"):
        if f"_{k}" in m:
            v = m.loc[m[f"_{k}"].ne(""), ["case_id", f"_{k}"]].groupby("case_id")[f"_{k}"].last()
            derived[k] = v.reindex(derived.index).fillna("")
        else:
            derived[k] = ""
    if "_asins" not in m:
        # the first three ASINs of each message (more are rare) -> sorted unique list per case
        rows, found = asin_pairs(m["subject"], m["body"])
        if len(rows):
            pairs = pd.DataFrame({"case_id": m["case_id"].to_numpy()[rows], "asin": found})
            derived["asins"] = _join_groups(pairs, "case_id", "asin").reindex(derived.index).fillna("")
    derived = derived.reset_index()

    if sheet_cases is not None and len(sheet_cases):
        sc = sheet_cases.drop_duplicates("case_id", keep="first").set_index("case_id")
        if len(sc) < len(sheet_cases):
            notes.append(f"cases sheet: {len(sheet_cases) - len(sc)} repeated case IDs; first kept")
        d = derived.set_index("case_id")
        both = d.index.intersection(sc.index)
        # the sheet wins where it has a value; messages fill the gaps
        for col in ("account", "category", "status", "opened_at", "closed_at", "outcome", "asins"):
            sheet_val = sc.loc[both, col]
            has = sheet_val.notna() & sheet_val.astype(str).ne("") & sheet_val.astype(str).ne("Unknown")
            d.loc[both[has.to_numpy()], col] = sheet_val[has]
        d.loc[both, "source"] = sc.loc[both, "source"]
        only_sheet = sc.loc[sc.index.difference(d.index)].copy()
        if len(only_sheet):
            notes.append(f"cases sheet: {len(only_sheet)} cases have no messages")
            only_sheet["status"] = only_sheet["status"].where(only_sheet["status"].ne(""), "open")
        derived = pd.concat([d, only_sheet]).reset_index(names="case_id")
        unmatched = len(d.index.difference(sc.index))
        if unmatched:
            notes.append(f"{unmatched} cases with messages are not on the cases sheet: derived")
    # a case with a closing date but no status is closed
    no_status = derived["status"].eq("") | derived["status"].isna()
    derived.loc[no_status & derived["closed_at"].notna(), "status"] = "closed"
    derived["status"] = derived["status"].where(derived["status"].isin(STATUSES), "open")
    derived["account"] = derived["account"].fillna("default").replace("", "default")
    cases = derived[list(CASE_COLUMNS)].copy()
    return _coerce(cases, CASE_COLUMNS), notes


def _coerce(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    out = frame[list(columns)]
    for col, dtype in columns.items():
        if dtype == "str":
            out[col] = out[col].fillna("").astype(str)
        elif dtype.startswith("datetime64"):
            out[col] = pd.to_datetime(out[col], utc=True).astype(dtype)
        elif str(out[col].dtype) != dtype:
            out[col] = out[col].astype(dtype)
    return out.reset_index(drop=True)


def _fill_seller_team(messages: pd.DataFrame) -> pd.DataFrame:
    """Seller messages without a team get the team of the case's latest Amazon message before
    them (else of its first Amazon message after them); ``messages`` is in case/time order."""
    need = messages["direction"].eq("seller") & messages["team"].eq("Unknown")
    if not need.any():
        return messages
    amazon_team = messages["team"].where(messages["direction"].eq("amazon") & messages["team"].ne("Unknown"))
    filled = amazon_team.groupby(messages["case_id"]).ffill()
    filled = filled.fillna(amazon_team.groupby(messages["case_id"]).bfill())
    messages.loc[need, "team"] = filled[need].fillna("Unknown")
    return messages


