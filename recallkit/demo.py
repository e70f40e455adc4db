"""``recallkit demo``: the kit's main job on the bundled example class.

Sets up an nbgrader course under build/demo_course (``recallkit init``), hands
in one submission per example student (examples/class/README.md), grades the
class with ``recallkit grade`` (modules in the sandbox, written into the
gradebook by nbgrader autograde through recallkit's plugin), prints the
gradebook and writes the Mini-Project 3 figures.
"""

import argparse
import csv
import json
import shutil
import sys
from pathlib import Path

import nbformat

from recallkit.mistakes import copy_reference, make_mistake
from recallkit.paths import ASSIGNMENT, PACKAGE, REPO

EXAMPLES = REPO / "examples" / "class"
# student -> mistakes applied to the reference (the rest of the class is in EXAMPLES)
STUDENTS = {"ada": [], "ben": ["squared_distance", "no_max_subtraction"], "cleo": [],
            "dev": [], "eve": None}  # None: enrolled, did not submit
DEMO_CELL_TIMEOUT = 10  # seconds per notebook cell in the demo (the course default is 60)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=REPO / "build",
                        help="where the demo course and the figures go (default build/)")
    parser.add_argument("--jobs", type=int, default=None, help="submissions graded in parallel")


def completed(release_nb: Path, source_nb: Path) -> nbformat.NotebookNode:
    """The released notebook with every exercise cell answered as in the source."""
    answers = {cell.metadata["nbgrader"]["grade_id"]: cell.source
               for cell in nbformat.read(source_nb, as_version=4).cells
               if cell.metadata.get("nbgrader", {}).get("solution")}
    notebook = nbformat.read(release_nb, as_version=4)
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    return notebook


def hand_in(course: Path, release: Path, student: str, mistakes: list[str]) -> None:
    """submitted/<student>/<assignment>/: completed notebooks, modules, then their changes."""
    folder = course / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    for notebook in sorted(release.glob("*.ipynb")):
        nbformat.write(completed(notebook, course / "source" / ASSIGNMENT / notebook.name),
                       folder / notebook.name)
    copy_reference(folder)
    shutil.rmtree(folder / PACKAGE / "__pycache__", ignore_errors=True)
    for mistake in mistakes:
        make_mistake(folder, mistake)
    if (EXAMPLES / student).is_dir():
        shutil.copytree(EXAMPLES / student, folder, dirs_exist_ok=True)
    (folder / "timestamp.txt").write_text("2026-11-20 17:00:00.000000 UTC\n")


def build_course(out: Path) -> Path:
    """A fresh nbgrader course with the release built into it and the class handed in."""
    from nbgrader.api import Gradebook

    from recallkit.release.course_init import init_course

    course = out / "demo_course"
    if course.exists():
        shutil.rmtree(course)
    print(f"setting up {course} with recallkit init (real nbgrader generate_assignment)…",
          file=sys.stderr)
    release = init_course(course)
    with (course / "nbgrader_config.py").open("a") as config:
        config.write(f"\nc.Execute.timeout = {DEMO_CELL_TIMEOUT}  # the demo's hostile cell\n")
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student in STUDENTS:
            gb.update_or_create_student(student)
    for student, mistakes in STUDENTS.items():
        if mistakes is not None:
            hand_in(course, release, student, mistakes)
    return course


def _only_cleo_not_graded(course: Path) -> bool:
    """Whether the grades CSV was written and cleo is the one submission not graded."""
    table = course / f"grades_{ASSIGNMENT}.csv"
    if not table.exists():  # the run stopped before its reports (its error says why)
        return False
    with table.open(newline="") as handle:
        missed = [row["student_id"] for row in csv.DictReader(handle)
                  if row["status"] not in ("graded", "not submitted")]
    return missed == ["cleo"]


def run(args: argparse.Namespace) -> int:
    from recallkit.figures import write_figures
    from recallkit.grading.batch import find_course
    from recallkit.grading.command import add_arguments as grade_arguments
    from recallkit.grading.command import grade_course

    course = build_course(args.out)
    grade_parser = argparse.ArgumentParser()
    grade_arguments(grade_parser)
    grade_args = grade_parser.parse_args([str(course)] + (
        ["--jobs", str(args.jobs)] if args.jobs else []))
    status = grade_course(grade_args, find_course(course, ASSIGNMENT))
    figures = write_figures(args.out / "figures")
    print(f"\nMini-Project 3 figures: {', '.join(str(p) for p in figures)}")
    summary = {"course": str(course), "figures": [str(p) for p in figures]}
    (args.out / "demo_summary.json").write_text(json.dumps(summary, indent=1))
    if status == 1 and _only_cleo_not_graded(course):  # her hostile notebook, as intended
        print("(cleo's notebook loops forever: nbgrader cannot grade it, and the status "
              "column says so; her module points are recorded all the same)")
        return 0
    return status
