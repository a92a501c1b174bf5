"""Doctest namespace: docstring examples that draw charts get ``log``, a small sample CaseLog."""

import os

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(autouse=True, scope="session")
def _doctest_log(doctest_namespace):
    from caselog.sample import generate

    doctest_namespace["log"] = generate(n_cases=40).log
