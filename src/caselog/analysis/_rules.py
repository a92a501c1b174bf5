"""The readiness rules' thresholds and category lists, in one frozen dataclass."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import ConfigError

__all__ = ["ReadinessRules", "FAILED_OUTCOMES"]

FAILED_OUTCOMES = ("denied", "canned", "deflected", "other", "no answer")


@dataclass(frozen=True)
class ReadinessRules:
    """Thresholds and category lists of the readiness rules (defaults from docs/domain.md).

    Attributes
    ----------
    wait_hours : float, default 48
        How long to wait for an answer before following up or escalating (rule 3).
    min_repeat_denials : int, default 2
        Repeat canned denials that make a case ready on their own (rule 6).
    max_exec_without_new_material : int, default 1
        Level-3 escalations allowed in a row without new material; more burns bridges (rule 8).
    deadline_hours : float, default 72
        An open case whose earliest open deadline (:func:`caselog.deadlines`) is at most this
        many hours away is urgent: first in the queue, with the deadline as a reason.
    routine_categories : tuple of str
        Categories that are not escalation material (``("Routine inquiry",)``).
    poa_categories : tuple of str
        Categories that need a POA and attachments before escalating
        (``("Account suspension", "Policy violation")``).

    Raises
    ------
    ConfigError
        On a negative or non-numeric threshold, or a category list that is not strings.
    """

    wait_hours: float = 48.0
    min_repeat_denials: int = 2
    max_exec_without_new_material: int = 1
    deadline_hours: float = 72.0
    routine_categories: tuple[str, ...] = ("Routine inquiry",)
    poa_categories: tuple[str, ...] = ("Account suspension", "Policy violation")

    def __post_init__(self) -> None:
        w = self.wait_hours
        if isinstance(w, bool) or not isinstance(w, (int, float, np.integer, np.floating)):
            raise ConfigError(f"ReadinessRules.wait_hours must be a number, got {w!r}")
        if not np.isfinite(w) or w < 0:
            raise ConfigError(f"ReadinessRules.wait_hours must be >= 0 hours, got {w!r}")
        object.__setattr__(self, "wait_hours", float(w))
        dh = self.deadline_hours
        if isinstance(dh, bool) or not isinstance(dh, (int, float, np.integer, np.floating)) \
                or dh < 0:
            raise ConfigError(f"ReadinessRules.deadline_hours must be a number >= 0, got {dh!r}")
        object.__setattr__(self, "deadline_hours", float(dh))
        for name in ("min_repeat_denials", "max_exec_without_new_material"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
                raise ConfigError(f"ReadinessRules.{name} must be a whole number, got {v!r}")
            if v < 0:
                raise ConfigError(f"ReadinessRules.{name} must be >= 0, got {v!r}")
        if self.min_repeat_denials < 1:
            raise ConfigError(
                f"ReadinessRules.min_repeat_denials must be >= 1, got {self.min_repeat_denials!r}"
            )
        for name in ("routine_categories", "poa_categories"):
            v = getattr(self, name)
            if isinstance(v, str) or not all(isinstance(x, str) for x in v):
                raise ConfigError(f"ReadinessRules.{name} must be a tuple of strings, got {v!r}")
            object.__setattr__(self, name, tuple(v))


