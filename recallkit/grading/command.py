"""``recallkit grade``: one submission folder, or a whole class."""

import argparse
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
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="submissions graded in parallel (default: the number of cores)")
    parser.add_argument("--csv", type=Path,
                        help="CSV gradebook to write (default <course>/grades_<assignment>.csv)")
    parser.add_argument("--no-notebooks", action="store_true",
                        help="grade the modules only; skip nbgrader autograde of the notebooks")
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
    from recallkit.grading.runner import grade_submission
    from recallkit.grading.submission import read_submission

    try:
        results = grade_submission(args.path)
    except RuntimeError as exc:
        print(f"recallkit grade: internal error: {exc}", file=sys.stderr)
        return 3
    note = read_submission(args.path).note  # how the modules were found, or why not
    if note:
        results["output"] = f"{note} {results['output']}"
    print(json.dumps(results) if args.json else format_summary(results))
    return 0


def grade_course(args: argparse.Namespace, course) -> int:
    from recallkit.grading import gradebook, reports
    from recallkit.grading.batch import grade_class

    results = grade_class(course, args.jobs, progress=not args.quiet)
    students = sorted(set(results) | set(gradebook.enrolled(course)))
    with_notebooks = not args.no_notebooks and (course.root / "source" / course.assignment).is_dir()
    notebooks = {}
    if with_notebooks:
        print(f"running nbgrader autograde on {len(results)} notebook submissions…",
              file=sys.stderr)
        log = gradebook.autograde_notebooks(course)
        (course.root / "recallkit" / course.assignment).mkdir(parents=True, exist_ok=True)
        (course.root / "recallkit" / course.assignment / "nbgrader.log").write_text(log)
        notebooks = gradebook.notebook_scores(course, students)
    if (course.root / "gradebook.db").exists() or with_notebooks:
        gradebook.record_module_scores(course, results)
    table = reports.rows(results, notebooks, students)
    csv_path = args.csv or course.root / f"grades_{course.assignment}.csv"
    reports.write_csv(table, csv_path)
    feedback = reports.write_feedback(course, results)
    if args.json:
        print(json.dumps(results))
    else:
        print(reports.format_table(table))
        print(f"\nCSV gradebook: {csv_path}")
        print(f"nbgrader gradebook: {course.root / 'gradebook.db'}"
              if (course.root / "gradebook.db").exists() else "")
        print(f"feedback: {len(feedback)} files, e.g. {for_terminal(feedback[0])}" if feedback else
              "feedback: none (no submissions)")
    return 0


def run(args: argparse.Namespace) -> int:
    from recallkit.grading.batch import find_course

    if not args.path.is_dir():
        print(f"recallkit grade: {args.path}: no such folder (expected a submission folder "
              f"holding {PACKAGE}/, or a course root)", file=sys.stderr)
        return 2
    if (args.path / PACKAGE).exists():
        return grade_one(args)
    course = find_course(args.path, args.assignment)
    if course is None:  # a submission without the package folder: flat files, or nothing
        return grade_one(args)
    return grade_course(args, course)
