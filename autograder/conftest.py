"""Fixtures of the hidden suites; conventions in recallkit.grading.plugin."""

import hashlib

import numpy as np
import pytest

from recallkit.grading.plugin import PLUGIN
from recallkit.grading.reference import reference as load_reference
from recallkit.grading.student import Student


@pytest.fixture(scope="module")
def student(request: pytest.FixtureRequest) -> Student:
    """The student's modules for this suite's demo, running in the sandbox."""
    return request.config.stash[PLUGIN].student_for(request.module)


@pytest.fixture(scope="session")
def reference():
    """The reference solution (trusted process only)."""
    return load_reference()


@pytest.fixture
def rng(request: pytest.FixtureRequest) -> np.random.Generator:
    """A generator seeded by the test's name: the same inputs on every run."""
    digest = hashlib.sha256(request.node.nodeid.encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))
