"""Mini-Project 3 (demo 6) grading: full marks for the reference, zero for the stubs,
a wrong recall.py costs demo 6 only, and a broken earlier demo costs demo 6 nothing."""

from pathlib import Path

import pytest

from recallkit.grading.runner import grade_submission
from recallkit.mistakes import copy_reference
from recallkit.paths import PACKAGE, SOLUTIONS
from recallkit.release.stubs import make_stub, write_stub_package

# One hand-made mistake in recall.py each: (exact reference text, wrong text).
WRONG_RECALL = {
    "rates_ignore_cue": ("return rate_per_ms * evidence * attention",
                         "return rate_per_ms * evidence / len(evidence)"),
    "slowest_wins": ("winner = int(np.argmin(times))", "winner = int(np.argmax(times))"),
    "reliability_without_chance": ("return float(min(1.0, max(0.0, (p_valid - chance) / "
                                   "(1.0 - chance))))", "return float(p_valid)"),
}


@pytest.fixture(scope="module")
def reference_results() -> dict:
    return grade_submission(SOLUTIONS)


def copy_with(folder: Path, module: str, change) -> Path:
    """``folder`` holding a copy of the reference with ``change(text)`` applied to ``module``."""
    path = copy_reference(folder) / PACKAGE / f"{module}.py"
    path.write_text(change(path.read_text()))
    return folder


def demo_scores(results: dict) -> dict[str, float]:
    return {demo: v["score"] for demo, v in results["extra_data"]["demos"].items()}


def demo6_tests(results: dict) -> list[dict]:
    return [test for test in results["tests"] if test["number"].startswith("6.")]


def test_reference_scores_full_marks_on_demo6(reference_results):
    demo6 = reference_results["extra_data"]["demos"]["6"]
    assert demo6["score"] == demo6["max_score"] and 12 <= demo6["max_score"] <= 15
    assert all(t["output"] == "Passed." and t["name"].startswith("Mini-Project 3: ")
               for t in demo6_tests(reference_results))


def test_stubs_score_zero_on_demo6(tmp_path: Path):
    write_stub_package(SOLUTIONS / PACKAGE, tmp_path / PACKAGE)
    tests = demo6_tests(grade_submission(tmp_path))
    assert len(tests) >= 8
    for test in tests:
        assert test["score"] == 0, test
        assert test["output"].startswith("Not implemented yet: Mini-Project 3"), test


@pytest.mark.parametrize("case", sorted(WRONG_RECALL))
def test_wrong_recall_loses_demo6_points_only(case, tmp_path, reference_results):
    correct, wrong = WRONG_RECALL[case]
    assert correct in (SOLUTIONS / PACKAGE / "recall.py").read_text(), "update WRONG_RECALL"
    folder = copy_with(tmp_path, "recall", lambda text: text.replace(correct, wrong))
    scores, full = demo_scores(grade_submission(folder)), demo_scores(reference_results)
    assert scores["6"] < full["6"]
    assert {d: s for d, s in scores.items() if d != "6"} == \
        {d: s for d, s in full.items() if d != "6"}


def test_broken_softmax_costs_demo6_nothing(tmp_path, reference_results):
    """softmax.py raising NotImplementedError: Demos 3 and 4 lose, recall.py's attention
    is answered by the reference."""
    folder = copy_with(tmp_path, "softmax", make_stub)
    scores, full = demo_scores(grade_submission(folder)), demo_scores(reference_results)
    assert scores["3"] == scores["4"] == 0
    assert scores["6"] == full["6"] > 0
