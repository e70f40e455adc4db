"""Fixtures of the hidden suites; conventions in recallkit.grading.plugin."""

import numpy as np
import pytest

from recallkit.grading.plugin import PLUGIN
from recallkit.grading.reference import reference as load_reference
from recallkit.grading.secret import input_seed
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
    """Hidden inputs seeded by the test, the course secret and the submission: the same
    submission gets the same inputs on every run, a changed one gets new ones."""
    plugin = request.config.stash[PLUGIN]
    return np.random.default_rng(input_seed(plugin.submission, request.node.nodeid,
                                            plugin.secret))
