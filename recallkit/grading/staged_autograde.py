"""nbgrader autograde and generate_feedback on a staging copy, committed all at once.

nbgrader commits each grade as it goes: interrupted midway, a gradebook would
hold some new grades and some old. So nbgrader works on a copy of
``gradebook.db`` and on staging ``autograded/`` and ``feedback/`` folders. With
several jobs the students are shared out among as many nbgrader processes, each
with its own copy of the gradebook (sqlite has one writer at a time), and their
students' submissions are then merged into one staging gradebook
(``gradebook_merge``). When all have finished, the staging gradebook goes into
the gradebook in one sqlite transaction (the backup API: same file, a reader
sees all old or all new), then each graded student's folders are swapped in.
If the gradebook changed meanwhile (a grade entered in formgrader), nothing is
committed and the run says so.
"""

import hashlib
import os
import re
import shutil
import signal
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from recallkit.grading.batch import Course
from recallkit.grading.gradebook import db_path
from recallkit.grading.gradebook_merge import MergeError, take_students
from recallkit.nbgrader_run import Run

POLL_SECONDS = 0.05  # how often the nbgrader processes are checked (each runs for seconds)


class AutogradeError(RuntimeError):
    """nbgrader failed as a whole, or the gradebook changed under the run; nothing was kept."""


@dataclass
class Outcome:
    """What a staged run did: nbgrader's log, and the students it could not grade."""

    log: str = ""
    failed: dict[str, str] = field(default_factory=dict)


def _copy_db(source: Path, dest: Path) -> None:
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(dest)) as dst:
        src.backup(dst)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# "package.module.SomeError: message" -> "SomeError: message"
EXCEPTION_LINE = re.compile(r"^\s*(?:[A-Za-z_]\w*\.)*"
                            r"([A-Za-z_]\w*(?:Error|Exception|Exit|Interrupt)\b.*)$", re.MULTILINE)


def _reason(log: str, student: str, assignment: str) -> str:
    """The exception nbgrader logged for a student, or a pointer to the log."""
    records = re.split(r"\n(?=\[\w+ \| \w+\])", log)
    for index, record in enumerate(records):
        if re.search(rf"{re.escape(os.sep + student + os.sep + assignment)}\b", record) and (
                "There was an error processing assignment:" in record):
            trace = records[index + 1] if index + 1 < len(records) else ""
            exceptions = EXCEPTION_LINE.findall(trace)
            return exceptions[-1].strip() if exceptions else "see nbgrader.log"
        if "kernel became unresponsive" in record and f"{os.sep}{student}{os.sep}" in record:
            return "the kernel became unresponsive (a loop that ignores interrupts?)"
    return "see nbgrader.log"


def failures(log: str, assignment: str) -> dict[str, str]:
    """Students nbgrader reported it could not process, with the reason."""
    found = re.findall(rf"error processing assignment '{re.escape(assignment)}' for student "
                       r"'([^']+)'", log)
    return {student: _reason(log, student, assignment) for student in found}


def _commit_folder(new: Path, old: Path, whole: bool) -> None:
    """Put ``new`` in the place of ``old``: the whole folder, or only the files it holds."""
    if not new.is_dir():
        return
    old.parent.mkdir(parents=True, exist_ok=True)
    if not whole and old.is_dir():
        for path in new.iterdir():
            if path.is_file():
                os.replace(path, old / path.name)
        return
    trash = old.with_name(old.name + ".replaced")
    shutil.rmtree(trash, ignore_errors=True)
    if old.exists():
        os.rename(old, trash)
    os.rename(new, old)
    shutil.rmtree(trash, ignore_errors=True)


@dataclass
class _Group:
    """Students autograded by one nbgrader process, on their own copy of the gradebook."""

    students: list[str]
    db: Path
    steps: list[str] = field(default_factory=lambda: ["autograde", "generate_feedback"])
    outcome: Outcome = field(default_factory=Outcome)

    def start(self, course: Course, staging: Path, others: list[str],
              notebook: str | None) -> Run:
        options = [f"--CourseDirectory.db_url=sqlite:///{self.db}",
                   f"--CourseDirectory.autograded_directory={staging / 'autograded'}",
                   f"--CourseDirectory.feedback_directory={staging / 'feedback'}",
                   f"--CourseDirectory.student_id_exclude={','.join(others)}"]
        if notebook:
            options.append(f"--CourseDirectory.notebook_id={notebook}")
        return Run(course.root, self.steps[0], course.assignment, "--force", *options)

    def finished(self, course: Course, staging: Path, status: int, log: str) -> None:
        """Record a step's log and failures; the next step, if any is still due."""
        step = self.steps.pop(0)
        self.outcome.log += f"$ nbgrader {step} {course.assignment} (exit {status})\n{log}\n"
        failed = failures(log, course.assignment)
        if status != 0 and not failed:
            errors = [line for line in log.splitlines() if "| ERROR]" in line]
            raise AutogradeError(f"nbgrader {step} failed: "
                                 f"{errors[-1] if errors else f'exit status {status}'}")
        for student, reason in failed.items():
            self.outcome.failed.setdefault(student, f"nbgrader {step}: {reason}")
        if not any((staging / "autograded" / s / course.assignment).is_dir()
                   for s in self.students):
            self.steps.clear()  # nbgrader graded no one: no feedback to write (it would fail)


def _run_groups(course: Course, staging: Path, groups: list[_Group],
                notebook: str | None) -> None:
    """Each group's steps one after the other, the groups side by side; on any error or
    interrupt every nbgrader still running is ended with its session."""
    everyone = course.students()
    running: dict[int, Run] = {}
    try:
        while True:
            for index, group in enumerate(groups):
                if index not in running and group.steps:
                    others = [s for s in everyone if s not in group.students]
                    running[index] = group.start(course, staging, others, notebook)
            if not running:
                return
            time.sleep(POLL_SECONDS)
            for index, run in list(running.items()):
                if run.done():
                    del running[index]
                    groups[index].finished(course, staging, *run.finish())
    finally:
        for run in running.values():
            run.finish()


def autograde(course: Course, students: list[str], notebook: str | None = None,
              jobs: int = 1) -> Outcome:
    """Autograde ``students`` (leaving the others alone) and write their feedback.

    Args:
        notebook: grade only this notebook (the others' grades stay as they are).
        jobs: nbgrader processes run side by side, each on its share of the students.

    Raises:
        AutogradeError: nbgrader failed for everyone, or the gradebook changed meanwhile.
    """
    staging = course.work_dir / "staging"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    real = db_path(course)
    before = _digest(real)
    merged = staging / "gradebook.db"
    _copy_db(real, merged)
    count = max(1, min(jobs, len(students)))
    groups = [_Group(students[k::count], staging / f"gradebook-{k}.db") for k in range(count)]
    for group in groups:
        shutil.copyfile(merged, group.db)
    _run_groups(course, staging, groups, notebook)
    outcome = Outcome()
    for group in groups:
        try:
            take_students(group.db, merged, group.students)
        except MergeError as error:
            raise AutogradeError(str(error)) from None
        outcome.log += group.outcome.log
        outcome.failed.update(group.outcome.failed)
    if _digest(real) != before:
        raise AutogradeError(f"{real} changed during the run (a grade entered in formgrader?); "
                             "it was kept as it is: run again")
    # The commit must not be cut in half by Ctrl-C: it takes well under a second.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        _copy_db(staging / "gradebook.db", real)
        for student in students:
            for kind in ("autograded", "feedback"):
                _commit_folder(staging / kind / student / course.assignment,
                               course.root / kind / student / course.assignment,
                               whole=notebook is None)
    finally:
        signal.signal(signal.SIGINT, previous)
    shutil.rmtree(staging, ignore_errors=True)
    return outcome
