"""Grade a whole class: every ``submitted/<student>/<assignment>/`` in parallel.

Each submission is graded in a pool process (trusted) that drives its own
sandbox; a submission that crashes, hangs or attacks the grader is recorded
with a reason and never stops the rest. Results are written one file per
student as soon as they finish (an interrupted run loses no finished grade)
and reused on a re-run while the submission and the suites are unchanged.
"""

import hashlib
import json
import multiprocessing
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from recallkit import __version__
from recallkit.paths import AUTOGRADER, GRADED_MODULES, PACKAGE
from recallkit.sandbox.session import DEFAULT_LIMITS, Limits


@dataclass(frozen=True)
class Course:
    """Where a class's submissions are and where the grader writes."""

    root: Path
    submitted: Path
    assignment: str

    @property
    def work_dir(self) -> Path:
        """The grader's own files (hidden; a folder named recallkit in the course root
        would shadow the package in nbgrader, which puts its working directory on sys.path)."""
        return self.root / ".recallkit" / self.assignment

    @property
    def results_dir(self) -> Path:
        return self.work_dir / "results"

    def submission(self, student: str) -> Path:
        return self.submitted / student / self.assignment

    def students(self) -> list[str]:
        return sorted(p.name for p in self.submitted.iterdir()
                      if p.is_dir() and (p / self.assignment).is_dir())


def find_course(path: Path, assignment: str) -> Course | None:
    """The course at ``path`` (a course root or its submitted/ folder), or None."""
    path = path.resolve()
    if path.name == "submitted" and path.is_dir():
        return Course(path.parent, path, assignment)
    if (path / "submitted").is_dir():
        return Course(path, path / "submitted", assignment)
    return None


def fingerprint(folder: Path) -> str:
    """Changes when a graded module, the suites or the kit change (the cache key)."""
    digest = hashlib.sha256(__version__.encode())
    for suite in sorted(AUTOGRADER.glob("*.py")):
        digest.update(suite.read_bytes())
    for name in GRADED_MODULES:
        path = folder / PACKAGE / f"{name}.py"
        try:
            digest.update(name.encode() + path.read_bytes() if not path.is_symlink() else b"l")
        except OSError:
            digest.update(name.encode() + b"-")
    return digest.hexdigest()


def job_seconds(limits: Limits) -> float:
    """The most one submission can take: every demo's budget, plus start-up."""
    return (len(GRADED_MODULES) + 1) * limits.demo_seconds + 120


def failed_result(reason: str) -> dict:
    """A submission the grader itself could not finish: zero, with the reason."""
    return {"score": 0.0, "tests": [], "output": f"Grading failed: {reason}",
            "extra_data": {"demos": {}, "max_score": 0.0, "error": reason}}


def grade_job(folder: str, limits: Limits) -> dict:
    """Runs in a pool process: grade one submission, never raise."""
    from recallkit.grading.runner import grade_submission

    try:
        return grade_submission(Path(folder), limits)
    except Exception as exc:  # recorded for this student; the class goes on
        return failed_result(f"{type(exc).__name__}: {exc}")


def _store(path: Path, result: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(result, indent=1))
    os.replace(temporary, path)  # atomic: a crash never leaves half a result


def _cached(path: Path, key: str) -> dict | None:
    try:
        result = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return result if result.get("extra_data", {}).get("fingerprint") == key else None


def grade_class(course: Course, jobs: int | None = None, limits: Limits = DEFAULT_LIMITS,
                progress: bool = True, students: list[str] | None = None) -> dict[str, dict]:
    """Module results for ``students`` (default: all with a submission), keyed by student id."""
    students = course.students() if students is None else students
    results: dict[str, dict] = {}
    pending: dict[str, str] = {}
    for student in students:
        key = fingerprint(course.submission(student))
        cached = _cached(course.results_dir / f"{student}.json", key)
        if cached is not None:
            results[student] = cached
        else:
            pending[student] = key
    bar = tqdm(total=len(students), initial=len(results), desc="grading", unit="student",
               file=sys.stderr, disable=not progress)
    if pending:
        # forkserver: workers fork from a clean process that has imported the grader once.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["recallkit.grading.runner"])
        with context.Pool(jobs or os.cpu_count() or 1, maxtasksperchild=200) as pool:
            running = {student: pool.apply_async(grade_job, (str(course.submission(student)),
                                                             limits))
                       for student in pending}
            # A pool process that dies loses its task silently: bound the wait.
            rounds = -(-len(pending) // (jobs or os.cpu_count() or 1))
            deadline = time.monotonic() + rounds * job_seconds(limits)
            while running and time.monotonic() < deadline:
                for student in [s for s, job in running.items() if job.ready()]:
                    try:
                        result = running.pop(student).get()
                    except Exception as exc:  # the pool process itself failed
                        result = failed_result(f"the grading process failed: {exc}")
                    finish(course, student, pending[student], result, results)
                    bar.update()
                time.sleep(0.02)
            for student in running:
                finish(course, student, pending[student],
                       failed_result("grading did not finish in time"), results)
    bar.close()
    return {student: results[student] for student in students}


def finish(course: Course, student: str, key: str, result: dict,
           results: dict[str, dict]) -> None:
    if "error" not in result["extra_data"]:  # a failure of the grader is retried next run
        result["extra_data"]["fingerprint"] = key
    _store(course.results_dir / f"{student}.json", result)
    results[student] = result
