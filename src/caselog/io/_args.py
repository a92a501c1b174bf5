"""Checking :func:`caselog.load`'s arguments, and keeping library warnings from the user."""

from __future__ import annotations

import dataclasses
import functools
import warnings
from collections.abc import Callable, Mapping
from typing import Any

from ..errors import ConfigError, MappingError
from ._aliases import Aliases
from ._limits import ReadLimits


def check_load_args(
    *, mapping: object, values: object, sheets: object, dayfirst: object, aliases: object, limits: object
) -> None:
    """Raise :class:`ConfigError` / :class:`MappingError` for an argument of the wrong kind.

    Examples
    --------
    >>> check_load_args(mapping=None, values=None, sheets=None, dayfirst=None, aliases=None, limits=None)
    >>> check_load_args(mapping=None, values=None, sheets=None, dayfirst="yes", aliases=None, limits=None)
    Traceback (most recent call last):
    ...
    caselog.errors.ConfigError: dayfirst: expected True, False or None, found 'yes'
    """
    if aliases is not None and not isinstance(aliases, Aliases):
        raise ConfigError(f"aliases: expected a caselog.Aliases (Aliases.default()...), found {aliases!r:.80}")
    if limits is not None and not isinstance(limits, ReadLimits):
        raise ConfigError(f"limits: expected a caselog.ReadLimits, found {limits!r:.80}")
    if dayfirst is not None and type(dayfirst).__name__ not in ("bool", "bool_"):
        raise ConfigError(f"dayfirst: expected True, False or None, found {dayfirst!r:.80}")
    if mapping is not None:
        if not isinstance(mapping, Mapping):
            raise MappingError(f"mapping= takes {{field: column name}}, found {mapping!r:.80}")
        bad = [(k, v) for k, v in mapping.items() if not isinstance(k, str) or not isinstance(v, str)]
        if bad:
            raise MappingError(f"mapping= takes {{field: column name}} as text, found {bad[0]!r:.80}")
    if values is not None:
        if not isinstance(values, Mapping) or not all(isinstance(v, Mapping) for v in values.values()):
            raise MappingError(f"values= takes {{field: {{raw value: canonical value}}}}, found {values!r:.80}")
        for field, table in values.items():
            bad = [(k, v) for k, v in table.items() if not isinstance(k, str) or not isinstance(v, str)]
            if not isinstance(field, str) or bad:
                raise MappingError(
                    f"values= takes text {{field: {{raw value: canonical value}}}}; "
                    f"{field!r:.40} has {bad[0] if bad else table!r:.80}"
                )
    _check_sheets(sheets)


def _names(value: object) -> bool:
    if isinstance(value, str):
        return True
    return isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)


def _check_sheets(sheets: object) -> None:
    if sheets is None or _names(sheets):
        return
    if isinstance(sheets, Mapping):
        unknown = [k for k in sheets if k not in ("messages", "cases")]
        if unknown:
            raise ConfigError(f"sheets: keys are 'messages' and 'cases', found {unknown!r:.80}")
        if all(_names(v) for v in sheets.values()):
            return
    raise ConfigError(
        "sheets: expected a sheet name, a list of names, or {'messages': ..., 'cases': ...}, "
        f"found {sheets!r:.80}"
    )


def warnings_as_decisions(func: Callable[..., Any]) -> Callable[..., Any]:
    """Run ``func`` (which returns a CaseLog) with every library warning caught and recorded:
    each distinct warning becomes one line of the log's ``decisions`` instead of text on stderr."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            log = func(*args, **kwargs)
        notes: list[str] = []
        for w in caught:
            first = str(w.message).strip().splitlines()[0][:200] if str(w.message).strip() else ""
            note = f"a library warned while reading ({w.category.__name__}): {first}"
            if note not in notes:
                notes.append(note)
        return dataclasses.replace(log, decisions=tuple(log.decisions) + tuple(notes)) if notes else log

    return wrapper
