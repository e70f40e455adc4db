"""Merging parallel autograde's gradebooks: real nbgrader gradebooks, written through
nbgrader's own API as autograde writes them (``test_nbgrader_native`` grades a class
with two nbgrader processes end to end)."""

import os
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from recallkit.grading.gradebook_merge import MergeError, take_students

CELL, NOTEBOOK, ASSIGNMENT = "answer_test", "answers", "tiny"
# nbgrader's own update_or_create_submission makes SQLAlchemy warn; nothing of ours
pytestmark = pytest.mark.filterwarnings("ignore:Object of type:sqlalchemy.exc.SAWarning")


def gradebook(path: Path) -> Gradebook:
    return Gradebook(f"sqlite:///{path}")


def autograde(path: Path, points: float, students: list[str]) -> None:
    """What nbgrader's autograde (converters/autograde.py) records for these students."""
    with gradebook(path) as gb:
        for student in students:
            gb.update_or_create_student(student, first_name=student.title())
            gb.update_or_create_submission(ASSIGNMENT, student)
            gb.find_grade(CELL, NOTEBOOK, ASSIGNMENT, student).auto_score = points
        gb.db.commit()


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("merge") / "gradebook.db"
    with pytest.MonkeyPatch.context() as patch:  # nbgrader runs `alembic` by name
        patch.setenv("PATH", os.pathsep.join([str(Path(sys.executable).parent),
                                              os.environ.get("PATH", "")]))
        Gradebook(f"sqlite:///{path}").close()
    return path


@pytest.fixture
def base(made, tmp_path) -> Path:
    path = tmp_path / "gradebook.db"
    shutil.copyfile(made, path)
    with gradebook(path) as gb:
        gb.add_assignment(ASSIGNMENT)
        gb.add_notebook(NOTEBOOK, ASSIGNMENT)
        gb.add_grade_cell(CELL, NOTEBOOK, ASSIGNMENT, max_score=2, cell_type="code")
    autograde(path, 0, ["ann", "ben", "cat"])
    with gradebook(path) as gb:  # an instructor's adjustment, made in formgrader
        gb.find_grade(CELL, NOTEBOOK, ASSIGNMENT, "cat").manual_score = 1.5
        gb.db.commit()
    return path


def test_each_groups_students_come_from_their_own_copy(base, tmp_path):
    groups = {tmp_path / "group-0.db": ["ann", "dan"], tmp_path / "group-1.db": ["ben"]}
    for copy, students in groups.items():
        shutil.copyfile(base, copy)
        autograde(copy, 2, students)
    for copy, students in groups.items():
        take_students(copy, base, students)
    with gradebook(base) as gb:
        assert [(grade.student.id, grade.auto_score, grade.manual_score)
                for grade in sorted(gb.find_notebook(NOTEBOOK, ASSIGNMENT).grade_cells[0].grades,
                                    key=lambda g: g.student.id)] == [
            ("ann", 2, None), ("ben", 2, None), ("cat", 0, 1.5), ("dan", 2, None)]
        assert gb.find_student("dan").first_name == "Dan"  # a new student came along


def test_a_change_beyond_the_submissions_stops_the_merge(base, tmp_path):
    copy = tmp_path / "group-0.db"
    shutil.copyfile(base, copy)
    autograde(copy, 2, ["ann"])
    with gradebook(copy) as gb:
        gb.add_notebook("extra", ASSIGNMENT)
    before = base.read_bytes()
    with pytest.raises(MergeError, match="table notebook"):
        take_students(copy, base, ["ann"])
    assert base.read_bytes() == before


def test_a_course_row_nbgrader_adds_in_every_group_is_merged_once(base, tmp_path):
    """A course_id new to the gradebook: nbgrader adds its row in each group's copy."""
    groups = {tmp_path / "group-0.db": ["ann"], tmp_path / "group-1.db": ["ben"]}
    for copy, students in groups.items():
        shutil.copyfile(base, copy)
        Gradebook(f"sqlite:///{copy}", course_id="new_course").close()
        autograde(copy, 2, students)
    for copy, students in groups.items():
        take_students(copy, base, students)
    with sqlite3.connect(base) as db:
        assert db.execute("SELECT count(*) FROM course WHERE id = 'new_course'").fetchone() == (1,)
    with gradebook(base) as gb:
        assert gb.find_grade(CELL, NOTEBOOK, ASSIGNMENT, "ben").auto_score == 2
