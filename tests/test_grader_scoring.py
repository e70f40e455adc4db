"""Scoring: full marks for the reference, zero for the stubs, and each mistake charged
once, in its own demo only (error carried forward)."""

import json
import subprocess
import sys
import time

import pytest

from recallkit.grading.runner import grade_submission
from recallkit.mistakes import MISTAKES, copy_reference, make_mistake
from recallkit.paths import ASSIGNMENT, PACKAGE, RELEASE, SOLUTIONS


def demo_scores(results: dict) -> dict[str, float]:
    return {demo: v["score"] for demo, v in results["extra_data"]["demos"].items()}


def demo_maxima(results: dict) -> dict[str, float]:
    return {demo: v["max_score"] for demo, v in results["extra_data"]["demos"].items()}


@pytest.fixture(scope="module")
def reference_results() -> dict:
    return grade_submission(SOLUTIONS)


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


@pytest.mark.parametrize("case", sorted(MISTAKES))
def test_wrong_submission_loses_points_in_its_demo_only(case, tmp_path, reference_results):
    folder = copy_reference(tmp_path)
    make_mistake(folder, case)
    demo = MISTAKES[case].demo
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
    folder = copy_reference(tmp_path)
    make_mistake(folder, "uniform_not_gaussian")
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


@pytest.mark.parametrize("layout", ["empty", "single_module", "flat_modules"])
def test_cli_json_on_a_folder_without_the_package(layout, tmp_path):
    """An empty folder or a single memory_attention.py scores 0 with one line saying what
    was expected; flat modules are graded as the Gradescope upload path grades them."""
    if layout == "single_module":
        (tmp_path / f"{PACKAGE}.py").write_text((SOLUTIONS / PACKAGE / "encoder.py").read_text())
    if layout == "flat_modules":
        for name in ("encoder", "similarity"):
            (tmp_path / f"{name}.py").write_text((SOLUTIONS / PACKAGE / f"{name}.py").read_text())
    done = subprocess.run([sys.executable, "-m", "recallkit.cli", "grade", str(tmp_path),
                           "--json"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    scores = demo_scores(results)
    if layout == "flat_modules":
        assert results["output"].startswith("Graded the .py files at the top of the folder")
        assert scores["1"] == scores["2"] == 10 and scores["3"] == 0
        return
    assert results["score"] == 0 and results["output"].startswith(
        f"Not graded: the submission has no {PACKAGE}/ folder (expected {PACKAGE}/ holding "
        "encoder.py, similarity.py")
    assert (f"{PACKAGE}.py was found" in results["output"]) == (layout == "single_module")
    assert all(test["output"] in results["output"] for test in results["tests"])
