"""Execute every notebook headless (nbclient) on the bundled sample data.

The kernel is this interpreter (``sys.executable``): a kernel spec named ``python3`` is
written to a temporary ``JUPYTER_PATH`` so that the notebooks' own kernel name resolves to the
virtual environment's Python, whatever ``python`` means on ``PATH``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SAMPLE = ROOT / "data" / "sample" / "caselog_sample.xlsx"

#: notebook -> texts that must appear in its outputs
EXPECTED = {
    "01_overview.ipynb": ["input rows", "messages by team", "caselog dashboard (300 cases"],
    "02_response_times.ipynb": ["median_hours", "first_response_hours", "caselog dashboard ("],
    "03_canned_denials.ipynb": ["n_messages", "repeat_canned_denials", "caselog case explorer"],
    "04_escalations.ipynb": ["n_decided", "bridges_at_risk", "caselog case explorer: case"],
    "05_readiness_queue.ipynb": ["ready", "next_step", "caselog readiness queue:"],
}


def test_every_notebook_is_listed():
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_notebook_is_stored_without_outputs(name):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, "a notebook without code"
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# caselog")
    # one load cell with one clear line to point at another export
    loads = [c for c in code if "caselog.load(" in c.source]
    assert len(loads) == 1
    assert 'DATA = Path("../data/sample/caselog_sample.xlsx")' in loads[0].source
    # the widget comes last
    assert "caselog.widgets import" in code[-1].source


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory):
    """A JUPYTER_PATH whose ``python3`` kernel runs this interpreter."""
    root = tmp_path_factory.mktemp("jupyter")
    spec = root / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3 (caselog tests)",
                "language": "python",
            }
        )
    )
    return root


def _texts(nb) -> str:
    parts: list[str] = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if "text" in out:
                parts.append(out["text"])
            for mime in ("text/plain", "text/html", "text/markdown"):
                if mime in out.get("data", {}):
                    parts.append(str(out["data"][mime]))
    return "\n".join(parts)


@pytest.mark.notebook
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_notebook_runs(name, kernel_env, monkeypatch, tmp_path):
    if not SAMPLE.exists():
        pytest.fail(f"the sample data {SAMPLE} is missing (make sample)")
    monkeypatch.setenv("JUPYTER_PATH", str(kernel_env))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        kernel_name="python3",
        timeout=240,
        startup_timeout=120,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute()
    errors = [
        out for cell in nb.cells for out in cell.get("outputs", []) if out.output_type == "error"
    ]
    assert not errors, errors
    text = _texts(nb)
    for expected in EXPECTED[name]:
        assert expected in text, f"{name}: {expected!r} not in the outputs"
    images = [
        out for cell in nb.cells for out in cell.get("outputs", [])
        if "image/png" in out.get("data", {})
    ]
    if name != "01_overview.ipynb":
        assert images, f"{name}: no chart was drawn"
    # nothing written next to the notebooks by running them (the queue writes only on click)
    assert not (NOTEBOOKS / "output").exists()
