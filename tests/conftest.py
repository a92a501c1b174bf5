"""Shared fixtures: the package's own sample data, generated once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "data" / "sample"


@pytest.fixture(scope="session")
def sample():
    """The 300-case sample (canonical frames + ground truth), as committed in data/sample."""
    from caselog.sample import generate

    return generate()


@pytest.fixture(scope="session")
def sample_log(sample):
    return sample.log


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE_DIR
