"""Seeded synthetic Amazon seller case histories with ground truth.

:func:`generate` builds a :class:`Sample`: canonical ``messages`` and ``cases`` tables (exactly the
columns of :data:`caselog.schema.MESSAGE_COLUMNS` / :data:`~caselog.schema.CASE_COLUMNS`) plus the
truth behind them: the template each Amazon message was made from, its reply class, which seller
messages are escalations (level and target), and per case the scenario and the readiness verdict
the rules in ``docs/architecture.md`` give at ``as_of``.  :func:`write_sample` writes the files of
``data/sample/`` (one CSV in "tool A" form, one workbook in "tool B" form, two truth CSVs).

How the data is made
--------------------
Every case follows one *variant* of a *scenario* (``SCENARIOS``): a fixed script of steps
(who writes, to which team, on which channel, which text bank).  Variants differ in the number of
rounds, optional acknowledgements, AHS calls, escalations.  Cases are assigned to scenarios in fixed
shares, then everything is built column-wise with numpy: delays per step from per-team
distributions (Seller Support hours, Seller Performance days, Executive Seller Relations days,
some beyond 48 hours), texts by filling the chosen template or sentence per batch of rows that share
it.  Amazon replies come from a bank of templates (``TEMPLATES``) with greeting and sign-off
variants, an optional added sentence (~20 %) and occasional one-word edits; a step that reuses a
*slot* in the same case repeats the same template (the canned loop).  Only ~7 % of Amazon messages
carry a ``kind`` label, so reply classes have to be read from the text.

Timing: the last message of every case lies a scenario-specific margin before ``as_of`` (the
last day of the last month at 17:00 UTC; one fresh case's message lands exactly on it), so each
scenario's verdict is unambiguous: a follow-up meant to be "unanswered for 48 hours" is at least
49 hours old, a follow-up meant to be "inside the window" is 2 to 44 hours old.  Within a case no
two messages share a minute.

Examples
--------
>>> from caselog.sample import generate
>>> s = generate(n_cases=40)
>>> len(s.cases), s.as_of == s.messages["sent_at"].max()
(40, True)

Modules
-------
``_generate``
    :func:`generate` and :class:`Sample`; ``_cases`` (which cases, which steps, when) and
    ``_texts`` (what each message says) are its steps.
``_scenarios``
    The scripts: steps, variants, scenario shares and verdicts (:data:`SCENARIOS`).
``_templates``, ``_banks``
    The texts, as data: Amazon's templates and letter parts; the seller's sentences, subjects
    and field values.
``_fill``
    Vectorised filling of ``{field}`` placeholders.
``_export``
    :func:`to_export_frames` and :func:`write_sample` (CSV, workbook, truth files).
"""

from __future__ import annotations

from ._cases import _allocate  # noqa: F401  (private helpers the tests exercise)
from ._export import (
    CSV_COLUMNS,
    TEAM_ABBREVIATIONS,
    XLSX_CASE_COLUMNS,
    XLSX_MESSAGE_COLUMNS,
    to_export_frames,
    write_sample,
)
from ._fill import _Context, _fill  # noqa: F401
from ._generate import Sample, _default_as_of, generate  # noqa: F401
from ._scenarios import SCENARIOS
from ._templates import TEMPLATES

__all__ = [
    "Sample",
    "generate",
    "write_sample",
    "to_export_frames",
    "SCENARIOS",
    "TEMPLATES",
    "TEAM_ABBREVIATIONS",
    "CSV_COLUMNS",
    "XLSX_MESSAGE_COLUMNS",
    "XLSX_CASE_COLUMNS",
]
