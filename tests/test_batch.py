"""Grading a class end to end with the real CLI: modules in the sandbox, one notebook with
real nbgrader, then the CSV, the nbgrader gradebook rows, the feedback, and a re-run."""

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from recallkit.demo import hand_in
from recallkit.grading.gradebook import UNREADABLE
from recallkit.nbgrader_plugin import MODULES_NOTEBOOK
from recallkit.paths import ASSIGNMENT, AUTOGRADER, PACKAGE, SOURCE
from recallkit.release.pipeline import build_release

NOTEBOOK = "03_softmax"  # two notebooks keep nbgrader's part of the test short
OTHER_NOTEBOOK = "01_encoder"
HOSTILE = "import os\nos._exit(9)\n"  # ends the process as soon as it is imported


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("class")
    source = root / "one_notebook"
    source.mkdir()
    for name in (NOTEBOOK, OTHER_NOTEBOOK, MODULES_NOTEBOOK):
        shutil.copy(SOURCE / ASSIGNMENT / f"{name}.ipynb", source)
    course = root / "course"
    release = build_release(root / "release", course_root=course, source=source)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        gb.update_or_create_student("absent")
    hand_in(course, release, "correct", [])
    hand_in(course, release, "wrong", ["no_max_subtraction"])
    hand_in(course, release, "hostile", [])
    (course / "submitted/hostile" / ASSIGNMENT / PACKAGE / "similarity.py").write_text(HOSTILE)
    hand_in(course, release, "broken", [])
    broken = course / "submitted/broken" / ASSIGNMENT
    (broken / PACKAGE / "attention.py").write_text("def attend(:\n")
    (broken / f"{OTHER_NOTEBOOK}.ipynb").write_text("{ not a notebook")

    def run() -> subprocess.CompletedProcess:
        done = subprocess.run([sys.executable, "-m", "recallkit.cli", "grade", str(course),
                               "--jobs", "2"], capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        return done

    first = run()
    results = course / ".recallkit" / ASSIGNMENT / "results"
    stamps = {p.name: p.stat().st_mtime_ns for p in results.glob("*.json")}
    second = run()
    return {"course": course, "first": first, "second": second, "stamps": stamps,
            "results": results}


def csv_rows(course: Path) -> dict[str, dict]:
    with (course / f"grades_{ASSIGNMENT}.csv").open() as handle:
        return {row["student_id"]: row for row in csv.DictReader(handle)}


def test_every_student_gets_a_row(graded):
    rows = csv_rows(graded["course"])
    assert set(rows) == {"correct", "wrong", "hostile", "broken", "absent"}
    assert rows["absent"]["status"] == "not submitted"
    assert float(rows["correct"]["modules"]) == float(rows["correct"]["modules_max"]) > 0
    assert float(rows["correct"][NOTEBOOK]) > 0


def test_each_problem_costs_only_its_demo(graded):
    rows = csv_rows(graded["course"])
    correct = rows["correct"]
    expected_zero = {"wrong": "demo3", "hostile": "demo2", "broken": "demo5"}
    for student, demo in expected_zero.items():
        row = rows[student]
        assert float(row[demo]) < float(correct[demo]), (student, row)
        others = [d for d in correct if d.startswith("demo") and d != demo]
        assert all(row[d] == correct[d] for d in others), (student, row)
    assert float(rows["hostile"]["demo2"]) == 0 and float(rows["broken"]["demo5"]) == 0
    # One bug, one charge: the wrong softmax costs Demo 3's module points, not notebook points.
    assert float(rows["wrong"][NOTEBOOK]) == float(correct[NOTEBOOK])
    # Its notebook is not valid JSON: set aside, it scores 0 and its other notebook counts.
    assert float(rows["broken"][OTHER_NOTEBOOK]) == 0
    assert float(rows["broken"][NOTEBOOK]) == float(correct[NOTEBOOK]) > 0
    broken = graded["course"] / "submitted/broken" / ASSIGNMENT
    assert (broken / f"{OTHER_NOTEBOOK}.ipynb{UNREADABLE}").exists()


def test_scores_are_in_nbgrader_gradebook(graded):
    rows = csv_rows(graded["course"])
    with Gradebook(f"sqlite:///{graded['course'] / 'gradebook.db'}") as gb:
        for student in ("correct", "wrong", "hostile", "broken"):
            modules = gb.find_submission_notebook(MODULES_NOTEBOOK, ASSIGNMENT, student)
            assert modules.score == pytest.approx(float(rows[student]["modules"]))
            notebook = gb.find_submission_notebook(NOTEBOOK, ASSIGNMENT, student)
            assert notebook.score == pytest.approx(float(rows[student][NOTEBOOK]))
            assert gb.find_submission(ASSIGNMENT, student).score == pytest.approx(
                float(rows[student]["total"]))


def test_feedback_has_hints_but_no_hidden_tests(graded):
    course = graded["course"]
    hidden = [line.strip() for suite in AUTOGRADER.glob("test_*.py")
              for line in suite.read_text().splitlines()
              if len(line.strip()) > 25 and not line.strip().startswith(('"', "#", "@"))]
    for student in ("correct", "wrong", "hostile", "broken"):
        page = (course / "feedback" / student / ASSIGNMENT / "modules_feedback.html").read_text()
        assert "Demo 3" in page and "</html>" in page
        assert not [line for line in hidden if line in page]
    wrong = (course / "feedback/wrong" / ASSIGNMENT / "modules_feedback.html").read_text()
    assert "subtract the largest score" in wrong
    notebook_feedback = course / "feedback/correct" / ASSIGNMENT / f"{NOTEBOOK}.html"
    assert "BEGIN HIDDEN TESTS" not in notebook_feedback.read_text()


def test_output_names_the_gradebook_files(graded):
    out = graded["first"].stdout
    assert "student_id" in out and "CSV gradebook" in out and "feedback:" in out
    assert "grading" in graded["first"].stderr  # the progress bar


def test_rerun_reuses_finished_grades(graded):
    results = graded["results"]
    assert {p.name: p.stat().st_mtime_ns for p in results.glob("*.json")} == graded["stamps"]
    assert graded["first"].stdout == graded["second"].stdout
    stored = json.loads((results / "hostile.json").read_text())
    assert stored["extra_data"]["demos"]["2"]["score"] == 0
