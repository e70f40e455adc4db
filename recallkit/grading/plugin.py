"""The pytest plugin that turns the hidden suites into Gradescope-style results.

Conventions for a suite file ``autograder/test_demoN_<topic>.py``:
- ``LOAD``: the student modules the demo grades, e.g. ``["softmax"]``;
- ``SUBSTITUTES``: earlier-demo modules (``None``: whole module) or attributes
  answered by the reference instead (error carried forward);
- each test has ``@pytest.mark.points(p)`` and a one-line docstring (its name);
- fixtures (autograder/conftest.py): ``student`` (the demo's remote modules),
  ``reference``, ``rng``.
Only the plain-words message of a failure reaches the student, never the
test source or traceback (assertion rewriting is off).
"""

import os
import re

import pytest

# At import, hypothesis runs every installed "hypothesis" entry point (trio's alone costs
# ~50 ms of each grade); the suites use none of them.
os.environ.setdefault("HYPOTHESIS_NO_PLUGINS", "1")
from hypothesis import HealthCheck, Phase, settings  # noqa: E402

from recallkit.grading.hints import explain
from recallkit.grading.safe_text import cap
from recallkit.grading.secret import ensure_secret
from recallkit.grading.student import Student
from recallkit.grading.submission import Submission
from recallkit.sandbox.session import DEFAULT_LIMITS, Limits, Sandbox

DEMO_FILE = re.compile(r"test_demo(\d+)_")
PLUGIN = pytest.StashKey["GradingPlugin"]()

# Derandomised: the same examples on every run, so a grade is reproducible. Property
# tests compare a submission's answers with each other, never with an expected value,
# so their fixed inputs are no oracle; the inputs checked against the reference come
# from the ``rng`` fixture, seeded per submission. (Seeding hypothesis per submission
# is not reproducible: it mixes in constants from whichever modules are loaded.)
# No shrinking: the student sees our message, not a minimal example, and time matters.
settings.register_profile(
    "recallkit", derandomize=True, database=None, deadline=None, max_examples=10,
    phases=(Phase.explicit, Phase.generate), print_blob=False, report_multiple_bugs=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def demo_label(demo: str) -> str:
    """How students know a demo number: 1-5 are demos, 6 is the mini-project."""
    return "Mini-Project 3" if demo == "6" else f"Demo {demo}"


class GradingPlugin:
    """Runs one submission's suites and records a result per test."""

    def __init__(self, submission: Submission, limits: Limits = DEFAULT_LIMITS,
                 sandbox: Sandbox | None = None) -> None:
        self.submission = submission
        self.secret = ensure_secret()  # seeds the hidden inputs (autograder/conftest.py)
        if sandbox is None:
            sandbox = Sandbox(limits)
            sandbox.start()  # overlaps with pytest's collection
        self.sandbox = sandbox
        self.results: list[dict] = []
        self.numbers: dict[str, str] = {}
        self.points: dict[str, float] = {}
        self.names: dict[str, str] = {}

    # -- collection: numbers "D.K", names and points -------------------------------
    def pytest_configure(self, config: pytest.Config) -> None:
        config.addinivalue_line("markers", "points(p): points the test is worth")
        config.stash[PLUGIN] = self
        settings.load_profile("recallkit")

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        counters: dict[int, int] = {}
        for item in items:
            match = DEMO_FILE.search(item.path.name)
            marker = item.get_closest_marker("points")
            if match is None or marker is None:
                raise pytest.UsageError(f"{item.nodeid}: suites must be test_demoN_*.py and "
                                        "every test needs @pytest.mark.points(p)")
            demo = int(match.group(1))
            counters[demo] = counters.get(demo, 0) + 1
            self.numbers[item.nodeid] = f"{demo}.{counters[demo]}"
            self.points[item.nodeid] = float(marker.args[0])
            doc = (getattr(item.function, "__doc__", None) or item.name).strip()
            self.names[item.nodeid] = f"{demo_label(str(demo))}: {doc.splitlines()[0]}"

    # -- results ----------------------------------------------------------------------
    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        report = yield
        if report.when == "call" or (report.when == "setup" and report.failed):
            passed = report.passed
            error = call.excinfo.value if call.excinfo is not None else None
            self.results.append({
                "name": self.names[item.nodeid],
                "number": self.numbers[item.nodeid],
                "score": self.points[item.nodeid] if passed else 0.0,
                "max_score": self.points[item.nodeid],
                "output": "Passed." if passed else cap(explain(error)),
                "visibility": "visible",
            })
        return report

    def student_for(self, module: object) -> Student:
        """The remote view of the submission for the demo of suite ``module``."""
        return Student(self.sandbox, self.submission, list(module.LOAD),
                       dict(getattr(module, "SUBSTITUTES", {})),
                       self.sandbox.limits.demo_seconds)

    def pytest_sessionfinish(self) -> None:
        self.sandbox.close()
