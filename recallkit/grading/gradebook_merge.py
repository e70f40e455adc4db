"""Put some students' submissions from one nbgrader gradebook into another.

Parallel autograde gives each group of students its own copy of the gradebook
(sqlite allows one writer at a time, and nbgrader commits grade by grade). Once
every group is done, each copy's students are carried into one staging
gradebook, which is then committed as a whole. Only submission rows differ
between a copy and the gradebook it was made from (nbgrader 0.9.6's autograde
writes the student, their submitted assignment and notebooks, grades and
comments); any other difference stops the merge rather than be lost.
"""

import sqlite3
from contextlib import closing
from pathlib import Path

# The tables autograde writes, with the condition selecting a set of students' rows.
SUBMISSIONS = "SELECT id FROM {db}.submitted_assignment WHERE student_id IN {students}"
NOTEBOOKS = f"SELECT id FROM {{db}}.submitted_notebook WHERE assignment_id IN ({SUBMISSIONS})"
STUDENT_ROWS = {
    "student": "id IN {students}",
    "submitted_assignment": "student_id IN {students}",
    "submitted_notebook": f"assignment_id IN ({SUBMISSIONS})",
    "grade": f"notebook_id IN ({NOTEBOOKS})",
    "comment": f"notebook_id IN ({NOTEBOOKS})",
}
INSERT_ORDER = list(STUDENT_ROWS)  # parents first (deleted in the reverse order)
# Tables where a group may add rows (never change or remove one): nbgrader adds the
# course's own row when the configured course_id is new to the gradebook.
ADDABLE = ("course",)


class MergeError(RuntimeError):
    """A group's gradebook differs from the base beyond its own students' submissions."""


def _tables(db: sqlite3.Connection, schema: str) -> list[str]:
    return [name for (name,) in db.execute(
        f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' ORDER BY name")]


def take_students(group_db: Path, base_db: Path, students: list[str]) -> None:
    """Replace ``students``' submissions in ``base_db`` by those in ``group_db``.

    ``group_db`` must be a copy of ``base_db`` (as it was before any merge) in which
    only these students were autograded.

    Raises:
        MergeError: a table other than the submission tables differs, or the two
            gradebooks do not have the same tables.
    """
    if not students:
        return
    marks = "(" + ", ".join("?" * len(students)) + ")"
    with closing(sqlite3.connect(base_db, isolation_level=None)) as db:
        db.execute("ATTACH DATABASE ? AS grp", (str(group_db),))
        tables = _tables(db, "main")
        if tables != _tables(db, "grp") or not set(STUDENT_ROWS) <= set(tables):
            raise MergeError(f"{group_db} does not have the tables of {base_db}")
        for table in sorted(set(tables) - set(STUDENT_ROWS)):
            removed, added = (db.execute(f"SELECT * FROM {one}.{table} EXCEPT SELECT * FROM "
                                         f"{other}.{table} LIMIT 1").fetchone()
                              for one, other in (("main", "grp"), ("grp", "main")))
            if removed or (added and table not in ADDABLE):
                raise MergeError(f"nbgrader changed the table {table} of {group_db}: only "
                                 "submissions can be merged (grade with --jobs 1)")
        db.execute("BEGIN IMMEDIATE")
        try:
            for table in ADDABLE:
                db.execute(f"INSERT INTO main.{table} SELECT * FROM grp.{table} "
                           f"EXCEPT SELECT * FROM main.{table}")
            for table in reversed(INSERT_ORDER):
                where = STUDENT_ROWS[table].format(db="main", students=marks)
                db.execute(f"DELETE FROM main.{table} WHERE {where}",
                           students * where.count(marks))
            for table in INSERT_ORDER:
                where = STUDENT_ROWS[table].format(db="grp", students=marks)
                db.execute(f"INSERT INTO main.{table} SELECT * FROM grp.{table} WHERE {where}",
                           students * where.count(marks))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
