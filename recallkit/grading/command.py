"""``recallkit grade``: one submission folder, or a whole class (see batch.py)."""

import argparse
import json
import sys
from pathlib import Path

from recallkit.paths import PACKAGE


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", type=Path, help=f"a submission folder (holding {PACKAGE}/), "
                        "an nbgrader course root, or its submitted/ folder")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object (Gradescope's results format) on stdout")


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
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from recallkit.grading.runner import grade_submission

    if not args.path.is_dir():
        print(f"recallkit grade: {args.path}: no such folder (expected a submission folder "
              f"holding {PACKAGE}/, or a course root)", file=sys.stderr)
        return 2
    try:
        results = grade_submission(args.path)
    except RuntimeError as exc:
        print(f"recallkit grade: internal error: {exc}", file=sys.stderr)
        return 3
    print(json.dumps(results) if args.json else format_summary(results))
    return 0
