"""nbgrader's side of a class: what the course holds and what its gradebook says.

Module grades live in the gradebook as the grade cells of the real notebook
``memory_attention_modules`` (filled in during ``nbgrader autograde`` by
``recallkit.nbgrader_plugin``), so every nbgrader operation keeps them.
"""

import hashlib
import shutil
from pathlib import Path

from recallkit.grading.batch import Course
from recallkit.nbgrader_plugin import GRADE_CELL, MODULES_NOTEBOOK

UNREADABLE = ".unreadable"


def db_path(course: Course) -> Path:
    return course.root / "gradebook.db"


def db_url(course: Course) -> str:
    return f"sqlite:///{db_path(course)}"


def assignments(course: Course) -> set[str]:
    """Assignments the course knows: in source/, in the gradebook, or handed in."""
    known = {p.name for p in (course.root / "source").glob("*") if p.is_dir()}
    known |= {p.name for p in course.submitted.glob("*/*") if p.is_dir()}
    if db_path(course).exists():
        from nbgrader.api import Gradebook

        with Gradebook(db_url(course)) as gb:
            known |= {assignment.name for assignment in gb.assignments}
    return known


def gradebook_notebooks(course: Course) -> set[str] | None:
    """The assignment's notebooks in the gradebook; None if it does not know the assignment."""
    if not db_path(course).exists():
        return None
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url(course)) as gb:
        try:
            return {nb.name for nb in gb.find_assignment(course.assignment).notebooks}
        except MissingEntry:
            return None


def set_aside_unreadable(course: Course, students: list[str]) -> str:
    """Rename submitted notebooks that are not valid notebooks to ``*.ipynb.unreadable``.

    nbgrader gives up on a student's whole submission when one notebook cannot be
    read; set aside, it counts as missing (0 points) and the others are graded.
    """
    import nbformat

    notes = []
    for student in students:
        for notebook in sorted(course.submission(student).glob("*.ipynb")):
            try:
                nbformat.validate(nbformat.read(notebook, as_version=4))
            except Exception as exc:  # any reason it cannot be read: JSON, schema, encoding
                notebook.rename(notebook.with_name(notebook.name + UNREADABLE))
                notes.append(f"set aside {notebook} (not a valid notebook: "
                             f"{type(exc).__name__}); it scores 0")
    return "\n".join(notes)


def restore_modules_notebook(course: Course, students: list[str]) -> str:
    """Put the released modules notebook into submissions that lack it.

    Its cells are all locked (nbgrader restores them anyway) and hold nothing of
    the student's; without it nbgrader would record 0 for every module.
    """
    released = course.root / "release" / course.assignment / f"{MODULES_NOTEBOOK}.ipynb"
    notes = []
    for student in students:
        target = course.submission(student) / released.name
        if not target.exists():
            shutil.copyfile(released, target)
            notes.append(f"added the released {released.name} to {student}'s submission")
    return "\n".join(notes)


def notebook_scores(course: Course, students: list[str]) -> dict[str, dict[str, tuple]]:
    """(score, max score) per student per notebook (the modules notebook aside)."""
    from nbgrader.api import Gradebook, MissingEntry

    scores: dict[str, dict[str, tuple]] = {}
    with Gradebook(db_url(course)) as gb:
        notebooks = {nb.name: float(nb.max_score)
                     for nb in gb.find_assignment(course.assignment).notebooks
                     if nb.name != MODULES_NOTEBOOK}
        for student in students:
            row = scores.setdefault(student, {})
            for name, maximum in sorted(notebooks.items()):
                try:
                    submitted = gb.find_submission_notebook(name, course.assignment, student)
                    row[name] = (float(submitted.score), maximum)
                except MissingEntry:
                    row[name] = (0.0, maximum)
    return scores


def module_scores(course: Course, students: list[str]) -> dict[str, dict[str, float]]:
    """Each student's module points per demo as the gradebook holds them (manual
    adjustments included); students without a graded modules notebook are left out."""
    from nbgrader.api import Gradebook, MissingEntry

    scores: dict[str, dict[str, float]] = {}
    with Gradebook(db_url(course)) as gb:
        for student in students:
            try:
                submitted = gb.find_submission_notebook(MODULES_NOTEBOOK, course.assignment,
                                                        student)
            except MissingEntry:
                continue
            scores[student] = {match.group(1): float(grade.score or 0.0)
                               for grade in submitted.grades
                               if (match := GRADE_CELL.fullmatch(grade.name))}
    return scores


def enrolled(course: Course) -> list[str]:
    """Students in the course's gradebook (some may not have submitted)."""
    if not db_path(course).exists():
        return []
    from nbgrader.api import Gradebook

    with Gradebook(db_url(course)) as gb:
        return [student.id for student in gb.students]


def notebook_key(course: Course, student: str) -> str:
    """Changes when anything nbgrader's result depends on changes: the submission's
    files, the source notebooks, the course's config, or the module grader (suites, kit)."""
    from recallkit.grading.batch import fingerprint

    digest = hashlib.sha256(fingerprint(course.submission(student)).encode())
    for folder in (course.submission(student), course.root / "source" / course.assignment):
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()):
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    digest.update((course.root / "nbgrader_config.py").read_bytes())
    return digest.hexdigest()
