"""Shared fixtures: the package's own sample data, generated once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("MPLBACKEND", "Agg")

# CI replays the same examples every run (derandomised), so a landing never hinges on luck;
# locally hypothesis explores new examples each run.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

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
