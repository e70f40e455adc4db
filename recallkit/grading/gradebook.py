"""nbgrader's side of a class: notebook autograding, feedback, and the gradebook database.

The module scores go into nbgrader's own database as one extra "notebook"
(``MODULES_NOTEBOOK``) with a grade cell per demo, so ``nbgrader export`` and
formgrader show them next to the notebook grades.
"""

from recallkit.grading.batch import Course
from recallkit.nbgrader_run import nbgrader

MODULES_NOTEBOOK = "memory_attention_modules"


def autograde_notebooks(course: Course) -> str:
    """nbgrader autograde + generate_feedback for every submission; returns nbgrader's log.

    nbgrader carries on past a broken or hanging notebook (per-cell timeout)
    and exits non-zero; the other students' grades are still recorded.
    """
    logs = [set_aside_unreadable(course)]
    for step in (["autograde", course.assignment, "--force"],
                 ["generate_feedback", course.assignment, "--force"]):
        status, log = nbgrader(course.root, *step)
        logs.append(f"$ nbgrader {' '.join(step)} (exit {status})\n{log}")
    return "\n".join(logs)


UNREADABLE = ".unreadable"


def set_aside_unreadable(course: Course) -> str:
    """Rename submitted notebooks that are not valid notebooks to ``*.ipynb.unreadable``.

    nbgrader gives up on a student's whole submission when one notebook cannot be
    read; set aside, it counts as missing (0 points) and the others are graded.
    """
    import nbformat

    notes = []
    for notebook in sorted(course.submitted.glob(f"*/{course.assignment}/*.ipynb")):
        try:
            nbformat.validate(nbformat.read(notebook, as_version=4))
        except Exception as exc:  # any reason it cannot be read: JSON, schema, encoding
            notebook.rename(notebook.with_name(notebook.name + UNREADABLE))
            notes.append(f"set aside {notebook} (not a valid notebook: "
                         f"{type(exc).__name__}); it scores 0")
    return "\n".join(notes)


def db_url(course: Course) -> str:
    return f"sqlite:///{course.root / 'gradebook.db'}"


def notebook_scores(course: Course, students: list[str]) -> dict[str, dict[str, tuple]]:
    """(score, max score) per student per notebook, as nbgrader graded them."""
    from nbgrader.api import Gradebook, MissingEntry

    scores: dict[str, dict[str, tuple]] = {}
    with Gradebook(db_url(course)) as gb:
        notebooks = [nb.name for nb in gb.find_assignment(course.assignment).notebooks
                     if nb.name != MODULES_NOTEBOOK]
        for student in students:
            row = scores.setdefault(student, {})
            for name in sorted(notebooks):
                try:
                    submitted = gb.find_submission_notebook(name, course.assignment, student)
                    row[name] = (float(submitted.score), float(submitted.max_score))
                except MissingEntry:
                    row[name] = (0.0, float(gb.find_notebook(name, course.assignment).max_score))
    return scores


def record_module_scores(course: Course, results: dict[str, dict]) -> None:
    """Write each student's per-demo module scores into the course gradebook."""
    from nbgrader.api import Grade, Gradebook, MissingEntry, SubmittedNotebook

    maxima: dict[str, float] = {}
    for result in results.values():
        for demo, value in result["extra_data"]["demos"].items():
            maxima[demo] = max(maxima.get(demo, 0.0), value["max_score"])
    with Gradebook(db_url(course)) as gb:
        gb.update_or_create_assignment(course.assignment)
        notebook = gb.update_or_create_notebook(MODULES_NOTEBOOK, course.assignment)
        cells = {demo: gb.update_or_create_grade_cell(
                     f"demo{demo}_hidden_suite", MODULES_NOTEBOOK, course.assignment,
                     max_score=maximum, cell_type="code")
                 for demo, maximum in sorted(maxima.items())}
        for student, result in sorted(results.items()):
            gb.update_or_create_student(student)
            try:
                submission = gb.find_submission(course.assignment, student)
            except MissingEntry:
                submission = gb.add_submission(course.assignment, student)
            try:
                submitted = gb.find_submission_notebook(MODULES_NOTEBOOK, course.assignment,
                                                        student)
            except MissingEntry:
                submitted = SubmittedNotebook(notebook=notebook, assignment=submission)
                gb.db.add(submitted)
            demos = result["extra_data"]["demos"]
            for demo, cell in cells.items():
                try:
                    grade = gb.find_grade(cell.name, MODULES_NOTEBOOK, course.assignment,
                                          student)
                except MissingEntry:
                    grade = Grade(cell_id=cell.id, notebook=submitted)
                    gb.db.add(grade)
                grade.auto_score = demos.get(demo, {}).get("score", 0.0)
                grade.needs_manual_grade = False
        gb.db.commit()


def enrolled(course: Course) -> list[str]:
    """Students in the course's gradebook (some may not have submitted)."""
    if not (course.root / "gradebook.db").exists():
        return []
    from nbgrader.api import Gradebook

    with Gradebook(db_url(course)) as gb:
        return [student.id for student in gb.students]
