"""Grade a whole class: every ``submitted/<student>/<assignment>/`` in parallel.

Each submission is graded in its own process (trusted, forked from a clean
forkserver) that drives its own sandbox, under its own time budget: a
submission that crashes, hangs or attacks the grader is stopped and recorded
with a reason, and never costs a classmate anything. Results are written one
file per student as soon as they finish (an interrupted run loses no finished
grade) and reused on a re-run only if the grader signed them and the
submission and the suites are unchanged.
"""

import contextlib
import hashlib
import hmac
import json
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

import recallkit
from recallkit import __version__
from recallkit.grading.safe_text import cap
from recallkit.grading.secret import ensure_secret, private_random_bytes
from recallkit.paths import AUTOGRADER, GRADED_MODULES, PACKAGE
from recallkit.sandbox.session import DEFAULT_LIMITS, Limits

MAX_RESULT_BYTES = 4 << 20  # a stored or received result larger than this is not one of ours
KEY_BYTES = 32
STOP_GRACE_SECONDS = 5.0  # after SIGTERM, for the grading process to close its sandbox
PRELOAD = "recallkit.grading.runner"


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

    @property
    def key_file(self) -> Path:
        """The key that signs cached results; only the grader's user can read it."""
        return self.work_dir.parent / "results.key"

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
    digest.update(hashlib.sha256(ensure_secret()).digest())  # new secret, new hidden inputs
    for name in GRADED_MODULES:
        path = folder / PACKAGE / f"{name}.py"
        try:
            digest.update(name.encode() + path.read_bytes() if not path.is_symlink() else b"l")
        except OSError:
            digest.update(name.encode() + b"-")
    return digest.hexdigest()


def job_seconds(limits: Limits) -> float:
    """The most one submission may take: every demo's budget and imports, plus start-up."""
    return (len(GRADED_MODULES) + 1) * (limits.demo_seconds + 2 * limits.load_seconds) + 60


def failed_result(reason: str) -> dict:
    """A submission the grader itself could not finish: zero, with the reason."""
    reason = cap(reason)
    return {"score": 0.0, "tests": [], "output": f"Grading failed: {reason}",
            "extra_data": {"demos": {}, "max_score": 0.0, "error": reason}}


def grade_job(folder: str, limits: Limits) -> dict:
    """Grade one submission, never raise."""
    from recallkit.grading.runner import grade_submission

    try:
        return grade_submission(Path(folder), limits)
    except Exception as exc:  # recorded for this student; the class goes on
        return failed_result(f"{type(exc).__name__}: {exc}")


# -- results the grader signed ---------------------------------------------------------------
def course_key(course: Course) -> bytes:
    """The course's signing key, created (mode 0600) at first use.

    Its folder (the grader's results, cache and logs) is made private to the grader's user.
    """
    path = course.key_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    # A new key only costs a regrade of every cached result.
    return private_random_bytes(path, KEY_BYTES, "signing key")


def _signature(result: dict, key: bytes) -> str:
    unsigned = {**result, "extra_data": {k: v for k, v in result["extra_data"].items()
                                         if k != "signature"}}
    return hmac.new(key, json.dumps(unsigned, sort_keys=True).encode(), "sha256").hexdigest()


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` in one step: a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.partial")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def _cached(path: Path, fingerprint_: str, key: bytes) -> dict | None:
    """The stored result, if the grader signed it for these very inputs."""
    try:
        with path.open("rb") as handle:
            result = json.loads(handle.read(MAX_RESULT_BYTES + 1))
        extra = result["extra_data"]
        signed = hmac.compare_digest(str(extra["signature"]), _signature(result, key))
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None  # unreadable, too large, unsigned or not a result: graded again
    return result if signed and extra.get("fingerprint") == fingerprint_ else None


# -- grading processes -----------------------------------------------------------------------
def _trusted_path(path: list[str]) -> list[str]:
    """``path`` without the working directory: where the instructor stands is not code."""
    here = os.path.realpath(os.getcwd())
    return [entry for entry in path
            if entry not in ("", ".") and os.path.realpath(entry) != here]


@contextlib.contextmanager
def _without_working_directory() -> Iterator[None]:
    """What a grading process inherits (sys.path, start-up flags) ignores the cwd."""
    saved_path, saved_env = sys.path[:], dict(os.environ)
    sys.path[:] = _trusted_path(sys.path)
    os.environ.update(PYTHONSAFEPATH="1", PYTHONNOUSERSITE="1")
    try:
        yield
    finally:
        sys.path[:] = saved_path
        os.environ.clear()
        os.environ.update(saved_env)


def _probe(conn: multiprocessing.connection.Connection, preload: str) -> None:
    conn.send((recallkit.__file__, preload in sys.modules, sys.path))


def _check_processes(context: multiprocessing.context.BaseContext) -> None:
    """Start the forkserver and check one process: a broken start is reported at once.

    Raises:
        RuntimeError: a grading process could not start or would import the wrong kit.
    """
    ours, theirs = context.Pipe(duplex=False)
    process = context.Process(target=_probe, args=(theirs, PRELOAD), daemon=True)
    try:
        process.start()
        theirs.close()
        if not ours.poll(60):
            raise TimeoutError("no answer in 60 s")
        kit, preloaded, path = ours.recv()
    except (EOFError, OSError) as exc:
        status = f"exit status {process.exitcode}" if process.pid else "never started"
        raise RuntimeError(f"the grading processes could not start ({status}; "
                           f"{type(exc).__name__} {exc})") from None
    finally:
        if process.pid:
            process.join(5)
        ours.close()
    if kit != recallkit.__file__ or not preloaded or _trusted_path(path) != path:
        raise RuntimeError(f"the grading processes would import the kit from {kit} (preloaded: "
                           f"{preloaded}) instead of {recallkit.__file__}; run the grader "
                           "with a clean Python environment")


def _job(folder: str, limits: Limits, conn: multiprocessing.connection.Connection) -> None:
    """A grading process: one submission's result, sent once."""
    # SIGTERM unwinds through pytest and closes the sandbox (KeyboardInterrupt stops pytest).
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    conn.send_bytes(json.dumps(grade_job(folder, limits)).encode())


@dataclass
class _Running:
    process: multiprocessing.process.BaseProcess
    conn: multiprocessing.connection.Connection
    deadline: float

    def outcome(self, now: float) -> dict | None:
        """Its result once known (sent, died, or out of time), else None."""
        if self.conn.poll():
            try:
                return json.loads(self.conn.recv_bytes(MAX_RESULT_BYTES))
            except (EOFError, OSError, ValueError):
                return failed_result("the grading process sent no result")
        if not self.process.is_alive():
            return failed_result(f"the grading process ended (exit status "
                                 f"{self.process.exitcode})")
        if now > self.deadline:
            self.stop()
            return failed_result("grading did not finish in time")
        return None

    def stop(self) -> None:
        self.process.terminate()
        self.process.join(STOP_GRACE_SECONDS)
        if self.process.is_alive():
            self.process.kill()

    def close(self) -> None:
        self.process.join(STOP_GRACE_SECONDS)
        if self.process.is_alive():
            self.stop()
        self.conn.close()


def _grade_pending(course: Course, students: list[str], jobs: int, limits: Limits,
                   budget: float, done: Callable[[str, dict], None]) -> None:
    """Grade ``students``, at most ``jobs`` at a time, each within ``budget`` seconds."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([PRELOAD])
    queue, running = list(students), {}
    with _without_working_directory():
        _check_processes(context)
        while queue or running:
            while queue and len(running) < jobs:
                student = queue.pop(0)
                ours, theirs = context.Pipe(duplex=False)
                process = context.Process(target=_job, daemon=True, args=(
                    str(course.submission(student)), limits, theirs))
                process.start()
                theirs.close()
                running[student] = _Running(process, ours, time.monotonic() + budget)
            soonest = min(job.deadline for job in running.values())
            multiprocessing.connection.wait(
                [w for job in running.values() for w in (job.conn, job.process.sentinel)],
                timeout=max(soonest - time.monotonic(), 0) + 0.01)
            now = time.monotonic()
            for student, job in list(running.items()):
                result = job.outcome(now)
                if result is not None:
                    job.close()
                    del running[student]
                    done(student, result)


def grade_class(course: Course, jobs: int | None = None, limits: Limits = DEFAULT_LIMITS,
                progress: bool = True, budget_seconds: float | None = None,
                students: list[str] | None = None) -> dict[str, dict]:
    """Module results for ``students`` (default: all with a submission), keyed by student id.

    ``budget_seconds`` (default ``job_seconds(limits)``) bounds each submission on its own.

    Raises:
        RuntimeError: the grading processes cannot start (said at once, nothing graded).
    """
    students = course.students() if students is None else students
    key = course_key(course)
    results: dict[str, dict] = {}
    fingerprints = {student: fingerprint(course.submission(student)) for student in students}
    for student in students:
        cached = _cached(course.results_dir / f"{student}.json", fingerprints[student], key)
        if cached is not None:
            results[student] = cached
    pending = [student for student in students if student not in results]
    bar = tqdm(total=len(students), initial=len(results), desc="grading", unit="student",
               file=sys.stderr, disable=not progress)

    def done(student: str, result: dict) -> None:
        if "error" not in result["extra_data"]:  # a failure of the grader is retried next run
            result["extra_data"]["fingerprint"] = fingerprints[student]
            result["extra_data"]["signature"] = _signature(result, key)
        write_atomically(course.results_dir / f"{student}.json", json.dumps(result, indent=1))
        results[student] = result
        bar.update()

    if pending:
        _grade_pending(course, pending, jobs or os.cpu_count() or 1, limits,
                       budget_seconds or job_seconds(limits), done)
    bar.close()
    return {student: results[student] for student in students}
