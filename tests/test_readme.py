"""Every Python example in the README runs, in order, as a reader would paste them.

Blocks marked ``<!-- readme-test: skip -->`` on the line before show a user's own file
(``my_export.xlsx``) and are not run.  The blocks run in a scratch folder that links the
repository's ``data/``, so files they write stay out of the checkout.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
_BLOCK = re.compile(r"(<!-- readme-test: skip -->\n)?```python\n(.*?)```", re.S)


def _blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [m.group(2) for m in _BLOCK.finditer(text) if not m.group(1)]


def test_readme_has_examples():
    blocks = _blocks()
    assert len(blocks) >= 8
    assert any("caselog.analyse(log" in b for b in blocks)


def test_readme_examples_run(tmp_path, monkeypatch):
    (tmp_path / "data").symlink_to(ROOT / "data")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "readme"}
    for i, block in enumerate(_blocks()):
        try:
            exec(compile(block, f"README.md python block {i + 1}", "exec"), namespace)
        except Exception as exc:  # pragma: no cover - the message names the block
            raise AssertionError(f"README python block {i + 1} failed: {exc!r}\n{block}") from exc
    assert os.path.exists(tmp_path / "audit.xlsx")
