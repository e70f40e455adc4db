"""Module feedback through nbgrader's own exchange, end to end, with the real binaries.

The instructor (a course from `recallkit init`) releases the assignment into a
temporary exchange; a student fetches it, puts a softmax that overflows into
memory_attention/ (Demo 3 loses 2 of its 8 points) and submits; the instructor
collects, runs `recallkit grade` and releases the feedback; the student runs
`nbgrader fetch_feedback`. fetch_feedback finds feedback only by the hash of a
notebook the student really submitted (its secret and timestamp), so every step
goes through nbgrader.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from recallkit.grading.reports import FEEDBACK_NAME
from recallkit.mistakes import copy_reference, make_mistake
from recallkit.nbgrader_plugin import MODULES_NOTEBOOK
from recallkit.paths import ASSIGNMENT, PACKAGE

BIN = Path(sys.executable).parent
COURSE_ID = "exchange-course"
STUDENT = "alice"


def run(cwd: Path, *argv: str) -> subprocess.CompletedProcess:
    """A real binary of this environment, run in ``cwd``; only that folder's config counts."""
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(cwd / ".jupyter"),
           "PATH": os.pathsep.join([str(BIN), os.environ.get("PATH", "")])}
    return subprocess.run([str(BIN / argv[0]), *argv[1:]], cwd=cwd, env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600)


def nbgrader(cwd: Path, command: str, *options: str, exchange: Path,
             cache: Path | None = None) -> str:
    """``nbgrader COMMAND`` against the test's exchange; its log (the test fails on error)."""
    extra = [f"--Exchange.cache={cache}"] if cache else []
    done = run(cwd, "nbgrader", command, *options, f"--Exchange.root={exchange}",
               f"--CourseDirectory.course_id={COURSE_ID}",
               "--Exchange.path_includes_course=False", *extra)
    assert done.returncode == 0, f"nbgrader {command}:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def test_fetch_feedback_delivers_the_module_feedback(tmp_path: Path) -> None:
    # the course folder's name is the course id `recallkit init` writes into the config
    course, student, exchange, cache = (tmp_path / name for name in
                                        (COURSE_ID, "student", "exchange", "cache"))
    done = run(tmp_path, "recallkit", "init", str(course))
    assert done.returncode == 0, done.stderr
    exchange.mkdir()
    exchange.chmod(0o777)  # nbgrader's exchange must be writable by every user
    student.mkdir()

    nbgrader(course, "release_assignment", ASSIGNMENT, exchange=exchange)
    nbgrader(student, "fetch_assignment", ASSIGNMENT, exchange=exchange)
    work = student / ASSIGNMENT
    assert (work / f"{MODULES_NOTEBOOK}.ipynb").is_file()
    assert "raise NotImplementedError" in (work / PACKAGE / "softmax.py").read_text()
    copy_reference(work)
    make_mistake(work, "no_max_subtraction")  # Demo 3: 6 / 8 points
    # Hand in only the modules notebook: executing the unanswered exercise notebooks
    # would add a minute and prove nothing about module feedback (nbgrader only warns).
    for notebook in work.glob("*.ipynb"):
        if notebook.stem != MODULES_NOTEBOOK:
            notebook.unlink()
    shutil.rmtree(work / PACKAGE / "__pycache__", ignore_errors=True)
    nbgrader(student, "submit", ASSIGNMENT, f"--student={STUDENT}", exchange=exchange,
             cache=cache)

    nbgrader(course, "collect", ASSIGNMENT, exchange=exchange)
    assert (course / "submitted" / STUDENT / ASSIGNMENT / "submission_secret.txt").is_file()
    graded = run(course, "recallkit", "grade", str(course), "--jobs", "1", "--quiet")
    assert graded.returncode == 0, graded.stdout + graded.stderr
    feedback = course / "feedback" / STUDENT / ASSIGNMENT
    # recallkit grade runs nbgrader's generate_feedback itself, and writes its own page too
    assert {f"{MODULES_NOTEBOOK}.html", FEEDBACK_NAME} <= {p.name for p in feedback.iterdir()}
    nbgrader(course, "release_feedback", ASSIGNMENT, exchange=exchange)

    log = nbgrader(student, "fetch_feedback", ASSIGNMENT, f"--student={STUDENT}",
                   exchange=exchange, cache=cache)
    fetched = {path.name: path.read_text(encoding="utf-8")
               for path in (work / "feedback").glob("*/*.html")}
    assert f"{MODULES_NOTEBOOK}.html" in fetched, log
    page = fetched[f"{MODULES_NOTEBOOK}.html"]
    assert "Demo 3: 6 / 8 points" in page and "subtract the largest score" in page
    # nbgrader's fetch_feedback only looks for the feedback of submitted notebooks
    # (<notebook>.html), so recallkit's extra page never reaches the student; the
    # modules notebook's feedback above is how module feedback gets there.
    assert FEEDBACK_NAME not in fetched
