"""Settings: every number an analysis depends on, in one frozen dataclass.

The dashboard, the case explorer, the queue, the workbook, the letters and the CLI all take
their figures from one :class:`~caselog.Analysis` made with one :class:`Settings`, so they
cannot disagree about a wait window or the moment of the analysis.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..errors import ConfigError
from ..io import check_tz, to_utc_timestamp
from ._calendar import BusinessCalendar
from ._replyclass import ReplyPatterns
from ._rules import ReadinessRules
from ._templates import TemplateConfig

__all__ = ["Settings"]


@dataclass(frozen=True)
class Settings:
    """How an :class:`~caselog.Analysis` measures.

    Parameters
    ----------
    as_of : timestamp, optional
        "Now" for every analysis, in UTC (naive values are read as UTC).  Messages sent after it
        do not exist for the analysis.  ``None`` (the default) means the newest ``sent_at`` of
        the log; :func:`caselog.analyse` resolves it once, so every result shares it.
    tz : str, default "UTC"
        IANA time zone that dates are *shown* in (workbook, CLI, letters).  Analyses run in UTC.
    sla_hours : float, default 48
        Response-time target: a turn answered (or waiting) longer is an SLA breach.
    rules : ReadinessRules
        Readiness thresholds.  ``rules.wait_hours`` is the one wait window of the whole
        analysis: how long an escalation waits before it is "no answer", and how long a seller
        waits before following up or escalating.
    calendar : BusinessCalendar, optional
        Working hours for ``business_hours`` in the turns (None: not computed).
    templates : TemplateConfig
        How near-duplicate Amazon replies are grouped into templates.
    reply_patterns : ReplyPatterns
        The rules that give each Amazon reply its class.
    exclude_acknowledgements : bool, default True
        Automated acknowledgements do not end a turn.

    Examples
    --------
    >>> s = Settings(sla_hours=24)
    >>> s.sla_hours, s.rules.wait_hours
    (24.0, 48.0)
    >>> s.replace(wait_hours=72).rules.wait_hours
    72.0
    """

    as_of: pd.Timestamp | None = None
    tz: str = "UTC"
    sla_hours: float = 48.0
    rules: ReadinessRules = field(default_factory=ReadinessRules)
    calendar: BusinessCalendar | None = None
    templates: TemplateConfig = field(default_factory=TemplateConfig)
    reply_patterns: ReplyPatterns = field(default_factory=ReplyPatterns.default)
    exclude_acknowledgements: bool = True

    def __post_init__(self) -> None:
        if self.as_of is not None:
            object.__setattr__(self, "as_of", to_utc_timestamp(self.as_of, "as_of"))
        if not isinstance(self.tz, str):
            raise ConfigError(f"tz: expected an IANA time zone name, found {self.tz!r}")
        try:
            check_tz(self.tz)
        except ConfigError as exc:
            raise ConfigError(f"tz: {exc}") from None
        sla = self.sla_hours
        if isinstance(sla, bool) or not isinstance(sla, int | float) or not 0 <= float(sla) < float("inf"):
            try:  # numpy numbers
                sla = float(sla)  # type: ignore[arg-type]
                ok = not isinstance(self.sla_hours, bool) and 0 <= sla < float("inf")
            except (TypeError, ValueError):
                ok = False
            if not ok:
                raise ConfigError(f"sla_hours: expected a non-negative number, found {self.sla_hours!r}")
        object.__setattr__(self, "sla_hours", float(sla))
        checks = (
            ("rules", ReadinessRules),
            ("templates", TemplateConfig),
            ("reply_patterns", ReplyPatterns),
        )
        for name, kind in checks:
            if not isinstance(getattr(self, name), kind):
                raise ConfigError(
                    f"{name}: expected a {kind.__name__}, found {type(getattr(self, name)).__name__}"
                )
        if self.calendar is not None and not isinstance(self.calendar, BusinessCalendar):
            raise ConfigError(
                f"calendar: expected a BusinessCalendar, found {type(self.calendar).__name__}"
            )

    def replace(self, **overrides: Any) -> Settings:
        """A copy with some settings changed.

        Besides the fields, ``wait_hours=`` (and any other :class:`ReadinessRules` field)
        changes :attr:`rules`.  An unknown name is a :class:`~caselog.ConfigError`.
        """
        fields = {f.name for f in dataclasses.fields(self)}
        rule_fields = {f.name for f in dataclasses.fields(ReadinessRules)}
        direct = {k: v for k, v in overrides.items() if k in fields}
        rules = {k: v for k, v in overrides.items() if k in rule_fields and k not in fields}
        unknown = sorted(set(overrides) - set(direct) - set(rules))
        if unknown:
            raise ConfigError(
                f"unknown setting(s) {', '.join(unknown)}; settings are "
                f"{', '.join(sorted(fields | rule_fields))}"
            )
        out = dataclasses.replace(self, **direct)
        if rules:
            out = dataclasses.replace(out, rules=dataclasses.replace(out.rules, **rules))
        return out
