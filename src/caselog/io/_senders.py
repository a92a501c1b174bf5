"""A sender column that holds e-mail addresses (``From: seller-performance@amazon.com``)."""

from __future__ import annotations

import re

import pandas as pd

from ._addresses import AmazonAddresses

_HEADER = re.compile(r"^\s*(?:from|von|de|da|sender|absender)\s*:\s*", re.I)


def senders_from_addresses(
    raw: pd.Series, addresses: AmazonAddresses | None = None
) -> tuple[pd.Series, pd.Series]:
    """``(direction, team)`` of sender values that are e-mail addresses, None elsewhere.

    An address at an Amazon domain is ``amazon`` with the team its address or display name
    names (None when none); any other address is the ``seller``.

    Examples
    --------
    >>> d, t = senders_from_addresses(pd.Series(["From: seller-performance@amazon.com",
    ...                                           "Jo <jo@shop.example>", "Amazon"]))
    >>> d.tolist(), t.tolist()
    (['amazon', 'seller', nan], ['Seller Performance', nan, nan])
    """
    book = addresses or AmazonAddresses()
    uniques = [u for u in pd.unique(raw) if isinstance(u, str) and "@" in u]
    direction: dict[str, str] = {}
    team: dict[str, str | None] = {}
    for value in uniques:
        text = _HEADER.sub("", value).strip()
        if not re.search(r"[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+", text):
            continue
        if book.is_amazon(text):
            direction[value] = "amazon"
            team[value] = book.team_of(text)
        else:
            direction[value] = "seller"
            team[value] = None
    return raw.map(direction).astype(object), raw.map(team).astype(object)
