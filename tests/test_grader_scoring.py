"""Scoring: full marks for the reference, zero for the stubs, and each mistake charged
once, in its own demo only (error carried forward)."""

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from recallkit.grading.runner import grade_submission
from recallkit.paths import ASSIGNMENT, PACKAGE, RELEASE, SOLUTIONS

# One hand-made mistake per demo: (module, exact reference text, wrong text, demo).
WRONG = {
    "uniform_not_gaussian": ("encoder", "rng.standard_normal(self.dim)", "rng.random(self.dim)",
                             "1"),
    "squared_distance": ("similarity", "np.linalg.norm(np.asarray(a) - np.asarray(b))",
                         "np.sum((np.asarray(a) - np.asarray(b)) ** 2)", "2"),
    "no_max_subtraction": ("softmax", "shifted = scores - scores.max(axis=-1, keepdims=True)",
                           "shifted = scores", "3"),
    "times_temperature": ("softmax", "np.asarray(scores, dtype=float) / temperature",
                          "np.asarray(scores, dtype=float) * temperature", "4"),
    "context_from_keys": ("attention", "context = weights @ np.asarray(values)",
                          "context = weights @ np.asarray(keys)", "5"),
}


def demo_scores(results: dict) -> dict[str, float]:
    return {demo: v["score"] for demo, v in results["extra_data"]["demos"].items()}


def demo_maxima(results: dict) -> dict[str, float]:
    return {demo: v["max_score"] for demo, v in results["extra_data"]["demos"].items()}


@pytest.fixture(scope="module")
def reference_results() -> dict:
    return grade_submission(SOLUTIONS)


def copy_reference(tmp_path: Path) -> Path:
    shutil.copytree(SOLUTIONS / PACKAGE, tmp_path / PACKAGE)
    return tmp_path


def replace(folder: Path, module: str, old: str, new: str) -> None:
    path = folder / PACKAGE / f"{module}.py"
    text = path.read_text()
    assert old in text, f"the reference no longer contains {old!r}"
    path.write_text(text.replace(old, new))


def test_reference_scores_full_marks(reference_results):
    assert reference_results["score"] == reference_results["extra_data"]["max_score"] > 0
    assert all(t["output"] == "Passed." for t in reference_results["tests"])
    numbers = [t["number"] for t in reference_results["tests"]]
    assert len(numbers) == len(set(numbers))
    assert {n.split(".")[0] for n in numbers} >= {"1", "2", "3", "4", "5"}


def test_results_follow_gradescope_format(reference_results):
    assert set(reference_results) >= {"score", "tests"}
    for test in reference_results["tests"]:
        assert set(test) == {"name", "number", "score", "max_score", "output", "visibility"}
        demo, index = test["number"].split(".")
        assert demo.isdigit() and index.isdigit()


def test_stubs_score_zero_with_not_implemented_hints():
    results = grade_submission(RELEASE / ASSIGNMENT)
    assert results["score"] == 0
    for test in results["tests"]:
        assert test["output"].startswith("Not implemented yet: Demo") or \
            test["output"].startswith("Not implemented yet: Mini-Project 3"), test


@pytest.mark.parametrize("case", sorted(WRONG))
def test_wrong_submission_loses_points_in_its_demo_only(case, tmp_path, reference_results):
    module, old, new, demo = WRONG[case]
    folder = copy_reference(tmp_path)
    replace(folder, module, old, new)
    scores, full = demo_scores(grade_submission(folder)), demo_scores(reference_results)
    assert scores[demo] < full[demo]
    assert {d: s for d, s in scores.items() if d != demo} == \
        {d: s for d, s in full.items() if d != demo}


def test_earlier_mistakes_are_not_charged_again(tmp_path, reference_results):
    """Demo 3 left as a stub and Demo 4's core broken: Demos 4 and 5 still earn full marks."""
    folder = copy_reference(tmp_path)
    stub = (RELEASE / ASSIGNMENT / PACKAGE / "softmax.py").read_text()
    reference_softmax = (folder / PACKAGE / "softmax.py").read_text()
    # Student's softmax(): the reference's Demo 4 part on top of the stubbed Demo 3 core.
    demo4 = reference_softmax[reference_softmax.index("def softmax("):]
    (folder / PACKAGE / "softmax.py").write_text(stub[:stub.index("def softmax(")] + demo4)
    scores, full = demo_scores(grade_submission(folder)), demo_scores(reference_results)
    assert scores["3"] == 0
    assert scores["4"] == full["4"] and scores["5"] == full["5"]


def test_grades_are_reproducible(tmp_path):
    module, old, new, _ = WRONG["uniform_not_gaussian"]
    folder = copy_reference(tmp_path)
    replace(folder, module, old, new)
    first, second = grade_submission(folder), grade_submission(folder)
    assert first["tests"] == second["tests"]


def test_cli_json_on_reference_is_one_object():
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "recallkit.cli", "grade", str(SOLUTIONS),
                           "--json"], capture_output=True, text=True, timeout=120)
    elapsed = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert results["score"] == results["extra_data"]["max_score"]
    print(f"recallkit grade --json on the reference: {elapsed:.2f} s wall")


def test_cli_usage_error_is_clear(tmp_path):
    done = subprocess.run([sys.executable, "-m", "recallkit.cli", "grade",
                           str(tmp_path / "nope"), "--json"], capture_output=True, text=True)
    assert done.returncode == 2
    assert "nope" in done.stderr and "no such folder" in done.stderr
    assert done.stdout == ""
