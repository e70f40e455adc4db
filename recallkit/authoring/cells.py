"""Constructors for nbgrader cells (metadata schema 3).

Every cell carries a unique ``grade_id``; nbgrader locks, checksums and
grades cells by it.
"""

from textwrap import dedent

import nbformat
from nbformat.notebooknode import NotebookNode

SCHEMA_VERSION = 3


def _meta(grade_id: str, *, grade: bool, solution: bool, locked: bool,
          points: float | None = None) -> dict:
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": SCHEMA_VERSION,
        "solution": solution,
        "task": False,
    }
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def _text(source: str) -> str:
    return dedent(source).strip("\n")


def md(grade_id: str, source: str) -> NotebookNode:
    """A read-only explanation cell."""
    return nbformat.v4.new_markdown_cell(
        _text(source), metadata=_meta(grade_id, grade=False, solution=False, locked=True))


def code(grade_id: str, source: str) -> NotebookNode:
    """A read-only code cell (set-up, helpers, plots)."""
    return nbformat.v4.new_code_cell(
        _text(source), metadata=_meta(grade_id, grade=False, solution=False, locked=True))


def solution(grade_id: str, source: str) -> NotebookNode:
    """A code cell the student completes; ``### BEGIN/END SOLUTION`` marks the answer."""
    return nbformat.v4.new_code_cell(
        _text(source), metadata=_meta(grade_id, grade=False, solution=True, locked=False))


def tests(grade_id: str, source: str, points: float) -> NotebookNode:
    """An autograded test cell; ``### BEGIN/END HIDDEN TESTS`` marks hidden checks."""
    return nbformat.v4.new_code_cell(
        _text(source), metadata=_meta(grade_id, grade=True, solution=False, locked=True,
                                      points=points))


def answer(grade_id: str, source: str, points: float) -> NotebookNode:
    """A written answer graded by hand; ``source`` is the model answer (source version only)."""
    return nbformat.v4.new_markdown_cell(
        _text(source), metadata=_meta(grade_id, grade=True, solution=True, locked=False,
                                      points=points))


def notebook(cells: list[NotebookNode]) -> NotebookNode:
    """A notebook for the Python 3 kernel holding ``cells``."""
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python",
                                 "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb
