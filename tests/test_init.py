"""The public API: every name resolves, and ``import caselog`` loads nothing heavy."""

from __future__ import annotations

import subprocess
import sys

import caselog


def test_every_public_name_resolves():
    for name in caselog.__all__:
        assert getattr(caselog, name) is not None, name
    assert callable(caselog.readiness) and callable(caselog.escalations)  # functions, not modules
    # names of the first version keep working
    for name in ("plot_readiness", "PALETTE", "summary_table", "filter_analyses", "write_queue"):
        assert getattr(caselog, name) is not None
    assert caselog.widgets.Analyses is caselog.Analysis


def test_import_loads_nothing_heavy():
    code = (
        "import sys, caselog; "
        "print(sorted(m for m in ('pandas', 'numpy', 'matplotlib', 'openpyxl', 'ipywidgets', "
        "'caselog.sample') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_unknown_name_is_an_attribute_error():
    try:
        caselog.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("expected AttributeError")
