"""``recallkit grade``: one submission folder, or a whole class.

A class whose course has ``source/<assignment>/`` is graded through nbgrader:
the modules in the sandbox first (in parallel, stored per student), then
``nbgrader autograde`` on the students whose submission changed, where
recallkit's plugin writes the stored module grades into the modules notebook's
grade cells. The gradebook is then the one record: the table and the CSV are
read from it (manual adjustments made in formgrader included).
"""

import argparse
import copy
import json
import os
import sys
from pathlib import Path

from recallkit.grading.safe_text import for_terminal
from recallkit.paths import ASSIGNMENT, PACKAGE


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", type=Path, help=f"a submission folder (holding {PACKAGE}/), "
                        "an nbgrader course root, or its submitted/ folder")
    parser.add_argument("--json", action="store_true",
                        help="print JSON on stdout (one submission: Gradescope's results "
                        "format; a class: those results by student)")
    parser.add_argument("--assignment", default=ASSIGNMENT,
                        help=f"assignment name in the course (default {ASSIGNMENT})")
    parser.add_argument("--student", help="regrade this student only (table and, with --csv, "
                        "CSV of that student)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="submissions graded in parallel (default: the number of cores)")
    parser.add_argument("--csv", type=Path,
                        help="CSV gradebook to write (default <course>/grades_<assignment>.csv)")
    parser.add_argument("--no-notebooks", action="store_true",
                        help="grade the modules only; notebook grades stay as they are")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def format_summary(results: dict) -> str:
    """A short human-readable table of a single submission's results."""
    lines = [f"{'test':<6} {'score':>7}  name"]
    for test in results["tests"]:
        lines.append(f"{test['number']:<6} {test['score']:>3g}/{test['max_score']:<3g}  "
                     f"{test['name']}")
        if test["score"] < test["max_score"]:
            lines.append(f"{'':<16}{test['output']}")
    lines.append(f"total {results['score']:g}/{results['extra_data']['max_score']:g}  "
                 f"({results['output']})")
    return for_terminal("\n".join(lines))


def grade_one(args: argparse.Namespace) -> int:
    """One submission folder: the package, flat modules, or nothing gradable (score 0)."""
    from recallkit.grading.submission import read_submission
    from recallkit.sandbox.session import Sandbox

    try:
        # Started first, so that the sandbox gets ready while pytest and hypothesis import.
        sandbox = Sandbox()
        sandbox.start()
        from recallkit.grading.runner import grade_submission

        results = grade_submission(args.path, sandbox=sandbox)
    except RuntimeError as exc:
        print(f"recallkit grade: internal error: {exc}", file=sys.stderr)
        return 3
    note = read_submission(args.path).note  # how the modules were found, or why not
    if note:
        results["output"] = f"{note} {results['output']}"
    print(json.dumps(results) if args.json else format_summary(results))
    return 0


def uses_nbgrader(course) -> bool:
    return (course.root / "source" / course.assignment).is_dir()


def course_problem(args: argparse.Namespace, course) -> str | None:
    """Why the course cannot be graded as asked (one line), or None. Changes nothing."""
    from recallkit.grading import gradebook
    from recallkit.nbgrader_plugin import MODULES_NOTEBOOK
    from recallkit.nbgrader_settings import SETUP, missing_settings

    known = gradebook.assignments(course)
    if course.assignment not in known:
        return (f"no assignment '{course.assignment}' in {course.root} "
                f"(known: {', '.join(sorted(known)) or 'none'})")
    if args.student and args.student not in course.students():
        return f"no submission of '{args.student}' for {course.assignment} in {course.submitted}"
    if not uses_nbgrader(course):
        return None
    if missing := missing_settings(course.root):
        return (f"{course.root / 'nbgrader_config.py'} lacks recallkit's safety settings "
                f"({', '.join(missing)}): add the line `{SETUP}` to it, or set up the course "
                "with `recallkit init`")
    notebooks = gradebook.gradebook_notebooks(course)
    released = course.root / "release" / course.assignment / f"{MODULES_NOTEBOOK}.ipynb"
    if notebooks is None or MODULES_NOTEBOOK not in notebooks or not released.is_file():
        return (f"the gradebook of {course.root} does not know {course.assignment} with its "
                f"{MODULES_NOTEBOOK} notebook: run `nbgrader generate_assignment "
                f"{course.assignment} --force` in {course.root}")
    return None


def autograde_changed(args: argparse.Namespace, course, students: list[str],
                      results: dict[str, dict]) -> dict[str, str]:
    """nbgrader autograde for the students whose submission changed since their last
    grading (or ``--student``); returns the students nbgrader could not grade, with the
    reason (remembered for unchanged submissions: the same input fails the same way)."""
    from recallkit.grading import gradebook, staged_autograde
    from recallkit.grading.batch import write_atomically
    from recallkit.nbgrader_plugin import MODULES_NOTEBOOK

    folder = course.work_dir
    manifest_path = folder / "notebooks.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    notes = [gradebook.set_aside_unreadable(course, students),
             gradebook.restore_modules_notebook(course, students)]
    keys = {student: gradebook.notebook_key(course, student) for student in students}
    todo = [s for s in students if args.student or args.no_notebooks
            or manifest.get(s, {}).get("key") != keys[s] or "error" in results[s]["extra_data"]
            or not (course.root / "autograded" / s / course.assignment).is_dir()]
    remembered = {s: manifest[s]["failed"] for s in students
                  if s not in todo and manifest[s].get("failed")}
    if not todo:
        return remembered
    print(f"running nbgrader autograde on {len(todo)} submission(s)"
          f"{' (modules notebook only)' if args.no_notebooks else ''}…", file=sys.stderr)

    outcome = staged_autograde.autograde(course, todo, MODULES_NOTEBOOK if args.no_notebooks
                                         else None, args.jobs)
    if outcome.failed and not args.no_notebooks:
        # nbgrader gives up on a whole submission; the module grades need only their notebook.
        retry = staged_autograde.autograde(course, sorted(outcome.failed), MODULES_NOTEBOOK,
                                           args.jobs)
        outcome.log += retry.log
        for student, reason in retry.failed.items():
            outcome.failed[student] += f"; modules notebook: {reason}"
    (folder / "nbgrader.log").write_text("\n".join(notes) + "\n" + outcome.log)
    if not args.no_notebooks:
        manifest.update({s: {"key": keys[s], "failed": outcome.failed.get(s)} for s in todo})
        write_atomically(manifest_path, json.dumps(manifest, indent=1))
    return {**remembered, **outcome.failed}


def as_recorded(results: dict[str, dict], recorded: dict[str, dict[str, float]]
                ) -> dict[str, dict]:
    """The module results with each demo's score as the gradebook holds it."""
    view = {}
    for student, result in results.items():
        result = copy.deepcopy(result)
        for demo, score in recorded.get(student, {}).items():
            result["extra_data"]["demos"].setdefault(demo, {"max_score": 0.0})["score"] = score
        if student in recorded:
            result["score"] = sum(d["score"] for d in result["extra_data"]["demos"].values())
        view[student] = result
    return view


def grade_course_locked(args: argparse.Namespace, course) -> int:
    from recallkit.grading import gradebook, reports
    from recallkit.grading.batch import grade_class

    students = [args.student] if args.student else course.students()
    results = grade_class(course, args.jobs, progress=not args.quiet, students=students)
    everyone = students if args.student else sorted(set(results) | set(gradebook.enrolled(course)))
    failed: dict[str, str] = {}
    notebooks: dict[str, dict[str, tuple]] = {}
    if uses_nbgrader(course):
        failed = autograde_changed(args, course, students, results)
        notebooks = gradebook.notebook_scores(course, everyone)
        results = as_recorded(results, gradebook.module_scores(course, everyone))
    table = reports.rows(results, notebooks, everyone)
    for row in table:
        if row["student_id"] in failed:
            row["status"] = f"not graded by nbgrader: {failed[row['student_id']]}"
    csv_path = args.csv or (None if args.student else
                            course.root / f"grades_{course.assignment}.csv")
    if csv_path:
        reports.write_csv(table, csv_path)
    feedback = reports.write_feedback(course, results)
    if args.json:
        print(json.dumps(results))
    else:
        print(reports.format_table(table))
        print(f"\nCSV gradebook: {csv_path}" if csv_path else "")
        print(f"nbgrader gradebook: {gradebook.db_path(course)}"
              if gradebook.db_path(course).exists() else "")
        print(f"feedback: {len(feedback)} files, e.g. {for_terminal(feedback[0])}" if feedback else
              "feedback: none (no submissions)")
    not_graded = [row["student_id"] for row in table
                  if row["status"] not in ("graded", "not submitted")]
    if not_graded:
        print(f"recallkit grade: not fully graded: {', '.join(not_graded)} (see the status "
              "column)", file=sys.stderr)
    return 1 if not_graded else 0


def grade_course(args: argparse.Namespace, course) -> int:
    """Grade a class under the course's lock; 0 when every submission was graded."""
    from recallkit.grading.course_lock import CourseBusy, course_lock
    from recallkit.grading.staged_autograde import AutogradeError
    from recallkit.sandbox.launcher import Refused, check

    problem = course_problem(args, course)
    if problem is None:
        try:
            check()
        except Refused as refused:  # no student can be graded: say it once, up front
            problem = str(refused)
    if problem:
        print(f"recallkit grade: {problem}", file=sys.stderr)
        return 2
    try:
        with course_lock(course.root):
            return grade_course_locked(args, course)
    except CourseBusy as busy:
        print(f"recallkit grade: {busy}", file=sys.stderr)
        return 75
    except AutogradeError as error:
        print(f"recallkit grade: {error}; the gradebook keeps its previous grades",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("recallkit grade: interrupted; the gradebook keeps its previous grades "
              "(finished module results are kept for the next run)", file=sys.stderr)
        return 130


def run(args: argparse.Namespace) -> int:
    if not args.path.is_dir():
        print(f"recallkit grade: {args.path}: no such folder (expected a submission folder "
              f"holding {PACKAGE}/, or a course root)", file=sys.stderr)
        return 2
    if (args.path / PACKAGE).exists():
        return grade_one(args)
    from recallkit.grading.batch import find_course  # a class: not needed for one folder

    course = find_course(args.path, args.assignment)
    if course is None:  # a submission without the package folder: flat files, or nothing
        return grade_one(args)
    return grade_course(args, course)
