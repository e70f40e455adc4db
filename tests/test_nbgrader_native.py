"""Module grades inside nbgrader: real nbgrader, real kernels, one small course.

The course has two notebooks (03_softmax and the modules notebook) and three
students: ok (the reference), wrong (a softmax that overflows: Demo 3 loses 2
points; handed in after the due date, and the course's late penalty is "zero")
and failing (a notebook cell that kills its kernel, so nbgrader cannot grade
the submission). The tests run in file order and build
on each other's state, as an instructor's session would.
"""

import csv
import hashlib
import re
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from recallkit.authoring import build, nb_modules
from recallkit.demo import hand_in
from recallkit.grading.course_lock import course_lock
from recallkit.nbgrader_plugin import MODULES_NOTEBOOK, cell_id
from recallkit.nbgrader_plugin.suites import demo_suites
from recallkit.nbgrader_run import nbgrader
from recallkit.nbgrader_settings import AUTOGRADE_CHAIN, PREPROCESSOR
from recallkit.paths import ASSIGNMENT, SOURCE
from recallkit.release.course_init import init_course
from recallkit.release.pipeline import build_release

NOTEBOOK = "03_softmax"
DUE = datetime(2026, 11, 21)
FULL = sum(suite.points for suite in demo_suites().values())


def grade(course: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "recallkit.cli", "grade", str(course),
                           "--jobs", "2", "--quiet", *options],
                          capture_output=True, text=True, timeout=600)


def module_grades(course: Path, student: str) -> dict[str, tuple]:
    """grade id -> (auto score, manual score) of the student's modules notebook."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        notebook = gb.find_submission_notebook(MODULES_NOTEBOOK, ASSIGNMENT, student)
        return {grade.name: (grade.auto_score, grade.manual_score) for grade in notebook.grades}


def state(course: Path) -> dict[str, str]:
    """A digest of every file of the course (the gradebook included)."""
    return {str(path.relative_to(course)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(course.rglob("*")) if path.is_file()
            and not path.is_relative_to(course / ".recallkit")}


def csv_rows(course: Path) -> dict[str, dict]:
    with (course / f"grades_{ASSIGNMENT}.csv").open() as handle:
        return {row["student_id"]: row for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("native")
    source = root / "source"
    source.mkdir()
    for name in (NOTEBOOK, MODULES_NOTEBOOK):
        (source / f"{name}.ipynb").write_bytes((SOURCE / ASSIGNMENT / f"{name}.ipynb").read_bytes())
    course = root / "course"
    release = build_release(root / "release", course_root=course, source=source)
    with (course / "nbgrader_config.py").open("a") as config:
        config.write('\nc.LateSubmissionPlugin.penalty_method = "zero"\n')
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        gb.update_or_create_assignment(ASSIGNMENT, duedate=DUE)
    for student, mistakes in (("ok", []), ("wrong", ["no_max_subtraction"]), ("failing", [])):
        hand_in(course, release, student, mistakes)
        # what nbgrader submit leaves in a submission; release_feedback needs it
        (course / "submitted" / student / ASSIGNMENT / "submission_secret.txt").write_text(
            f"secret-{student}")
    (course / "submitted/wrong" / ASSIGNMENT / "timestamp.txt").write_text(
        "2026-11-22 09:00:00.000000 UTC\n")
    path = course / "submitted/failing" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    answer = next(cell for cell in notebook.cells if cell.cell_type == "code"
                  and cell.metadata.get("nbgrader", {}).get("solution"))
    answer.source = "import os\nos._exit(1)  # the kernel dies"
    nbformat.write(notebook, path)
    return course


@pytest.fixture(scope="module")
def first(course) -> subprocess.CompletedProcess:
    return grade(course)


def test_modules_notebook_is_built_from_the_suites():
    path = SOURCE / ASSIGNMENT / nb_modules.FILENAME
    assert path.read_text(encoding="utf-8") == build.render(nb_modules)
    cells = {cell.metadata.nbgrader["grade_id"]: cell.metadata.nbgrader["points"]
             for cell in nbformat.read(path, as_version=4).cells
             if cell.metadata.nbgrader.get("grade")}
    assert cells == {cell_id(demo): suite.points for demo, suite in demo_suites().items()}
    assert list(cells.values()) == [10, 10, 8, 10, 12, 15]


def test_the_plugin_sits_in_nbgraders_own_chain():
    from nbgrader.converters.autograde import Autograde
    from nbgrader.preprocessors import Execute
    from traitlets.utils.importstring import import_item

    default = Autograde.class_traits()["autograde_preprocessors"].default()
    ours = [import_item(name) for name in AUTOGRADE_CHAIN if name != PREPROCESSOR]
    # nbgrader's own chain, each step nbgrader's class or a subclass (the sandboxed Execute)
    assert len(ours) == len(default) and all(map(issubclass, ours, default))
    assert AUTOGRADE_CHAIN.index(PREPROCESSOR) == default.index(Execute) + 1


def test_module_grades_are_grade_cells_of_the_gradebook(course, first):
    assert module_grades(course, "ok") == {cell_id(d): (s.points, None)
                                           for d, s in demo_suites().items()}
    assert module_grades(course, "wrong")[cell_id("3")] == (6, None)
    rows = csv_rows(course)
    assert float(rows["ok"]["modules"]) == FULL and float(rows["wrong"]["demo3"]) == 6
    assert float(rows["ok"][NOTEBOOK]) > 0


def test_the_modules_notebook_is_graded_without_a_kernel(course, first):
    path = course / "autograded/ok" / ASSIGNMENT / f"{MODULES_NOTEBOOK}.ipynb"
    cells = [cell for cell in nbformat.read(path, as_version=4).cells
             if cell.cell_type == "code"]
    assert cells and all(cell.execution_count is None for cell in cells)  # nothing ran
    assert all(cell.outputs[-1].data["text/plain"] for cell in cells)  # the module points


def test_two_jobs_share_the_class_between_two_nbgrader_processes(course, first):
    log = (course / ".recallkit" / ASSIGNMENT / "nbgrader.log").read_text()
    runs = [run for run in log.split("$ nbgrader ")[1:] if run.startswith("autograde")]
    graded = [sorted(set(re.findall(r"Creating/updating student with ID '(\w+)'", run)))
              for run in runs]
    # two at once, then the failed submission's modules notebook on its own
    assert graded == [["failing", "wrong"], ["ok"], ["failing"]], graded


def test_an_nbgrader_failure_shows_in_table_csv_and_exit_status(course, first):
    assert first.returncode == 1, first.stderr
    status = csv_rows(course)["failing"]["status"]
    assert status.startswith("not graded by nbgrader:") and "Kernel" in status, status
    line = next(line for line in first.stdout.splitlines() if line.startswith("failing"))
    assert "not graded by nbgrader" in line
    assert "failing" in first.stderr.splitlines()[-1]
    assert {row["status"] for s, row in csv_rows(course).items() if s != "failing"} == {"graded"}
    # nbgrader gave up on the submission; its modules notebook was graded on its own
    assert float(csv_rows(course)["failing"]["modules"]) == FULL


def test_a_late_penalty_reaches_the_module_points(course, first):
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        late = gb.find_submission_notebook(MODULES_NOTEBOOK, ASSIGNMENT, "wrong")
        on_time = gb.find_submission_notebook(MODULES_NOTEBOOK, ASSIGNMENT, "ok")
        assert late.score == FULL - 2 and late.late_submission_penalty == FULL - 2
        assert not on_time.late_submission_penalty


def test_released_feedback_holds_the_module_feedback(course, first, tmp_path):
    exchange = tmp_path / "exchange"
    exchange.mkdir(mode=0o777)
    exchange.chmod(0o777)  # nbgrader's exchange must be writable by every user
    status, log = nbgrader(course, "release_feedback", ASSIGNMENT, "--student", "wrong",
                           f"--Exchange.root={exchange}")
    assert status == 0, log
    pages = [path.read_text() for path in exchange.rglob("*.html")]
    modules = [page for page in pages if "Demo 3: 6 / 8 points" in page]
    assert len(modules) == 1 and "subtract the largest score" in modules[0]


def test_an_unchanged_class_is_not_re_executed(course, first):
    ok = course / "autograded/ok" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    stamp = ok.stat().st_mtime_ns
    again = grade(course)
    assert ok.stat().st_mtime_ns == stamp
    assert "running nbgrader" not in again.stderr, again.stderr
    assert again.stdout == first.stdout  # the failure too, remembered with its reason
    assert again.returncode == 1


def test_plain_nbgrader_autograde_of_one_student_keeps_the_module_score(course, first):
    status, log = nbgrader(course, "autograde", ASSIGNMENT, "--force", "--student", "wrong")
    assert status == 0, log
    assert module_grades(course, "wrong")[cell_id("3")] == (6, None)
    status, log = nbgrader(course, "export", "--to", str(course / "export.csv"))
    assert status == 0, log
    with (course / "export.csv").open() as handle:
        exported = {row["student_id"]: row for row in csv.DictReader(handle)}
    rows = csv_rows(course)
    assert float(exported["wrong"]["raw_score"]) == float(rows["wrong"]["total"]) > FULL - 2


def test_a_manual_adjustment_survives_recallkit_grade(course, first):
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:  # as formgrader does
        gb.find_grade(cell_id("3"), MODULES_NOTEBOOK, ASSIGNMENT, "wrong").manual_score = 7.5
        gb.db.commit()
    done = grade(course, "--student", "wrong", "--no-notebooks")  # reruns the modules notebook
    assert done.returncode == 0, done.stderr
    assert module_grades(course, "wrong")[cell_id("3")] == (6, 7.5)
    row = next(line for line in done.stdout.splitlines() if line.startswith("wrong"))
    assert row.split()[3] == "7.5", done.stdout


def test_generate_assignment_force_works_after_grading(course, first):
    status, log = nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    assert status == 0, log
    assert module_grades(course, "ok")[cell_id("6")] == (15, None)


def test_an_unknown_assignment_is_one_line_and_changes_nothing(course, first):
    before = state(course)
    done = grade(course, "--assignment", "attention_memroy")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "no assignment 'attention_memroy'" in done.stderr
    assert state(course) == before


def test_a_second_run_refuses_while_one_holds_the_course(course, first):
    before = state(course)
    with course_lock(course):
        done = grade(course, "--student", "ok")
    assert done.returncode == 75 and done.stderr.count("\n") == 1, done.stderr
    assert "another recallkit run" in done.stderr
    assert state(course) == before


def test_two_runs_at_once_leave_a_consistent_gradebook(course, first):
    runs = [subprocess.Popen([sys.executable, "-m", "recallkit.cli", "grade", str(course),
                              "--student", "ok", "--no-notebooks", "--quiet"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    codes = sorted(run.wait(timeout=600) for run in runs)
    assert codes in ([0, 0], [0, 75]), [run.stderr.read() for run in runs]
    assert module_grades(course, "ok") == {cell_id(d): (s.points, None)
                                           for d, s in demo_suites().items()}
    assert (course / "autograded/ok" / ASSIGNMENT / f"{NOTEBOOK}.ipynb").exists()


def test_ctrl_c_keeps_the_previous_gradebook(course, first):
    # A copy of wrong's submission whose last cell sleeps: nbgrader is surely mid-notebook
    # when the interrupt comes, however fast the rest is graded.
    slow = course / "submitted" / "slow"
    shutil.copytree(course / "submitted" / "wrong", slow)
    try:
        path = slow / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
        notebook = nbformat.read(path, as_version=4)
        notebook.cells.append(nbformat.v4.new_code_cell("import time\ntime.sleep(60)"))
        nbformat.write(notebook, path)
        before = state(course)
        run = subprocess.Popen([sys.executable, "-m", "recallkit.cli", "grade", str(course),
                                "--student", "slow", "--quiet"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
        staged = course / ".recallkit" / ASSIGNMENT / "staging" / "autograded" / "slow"
        deadline = time.monotonic() + 120
        while not staged.exists() and time.monotonic() < deadline:  # nbgrader is grading
            time.sleep(0.05)
        assert staged.exists()
        time.sleep(1.0)  # the kernel is in the sleeping cell, or about to be
        assert run.poll() is None
        run.send_signal(signal.SIGINT)
        _, stderr = run.communicate(timeout=60)
        assert run.returncode == 130 and "Traceback" not in stderr, stderr
        assert stderr.splitlines()[-1].startswith("recallkit grade: interrupted; the gradebook "
                                                  "keeps")
        assert state(course) == before
    finally:
        shutil.rmtree(slow)


def test_no_notebooks_leaves_notebook_grades_as_they_are(course, first):
    autograded = course / "autograded/ok" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    stamp, before = autograded.stat().st_mtime_ns, csv_rows(course)["ok"][NOTEBOOK]
    done = grade(course, "--no-notebooks", "--student", "ok", "--csv",
                 str(course / "modules_only.csv"))
    assert done.returncode == 0, done.stderr
    assert autograded.stat().st_mtime_ns == stamp
    with (course / "modules_only.csv").open() as handle:
        row = next(csv.DictReader(handle))
    assert row[NOTEBOOK] == before and float(row["modules"]) == FULL


def test_a_course_without_the_settings_is_refused_in_one_line(tmp_path):
    course = tmp_path / "plain"
    (course / "source" / ASSIGNMENT).mkdir(parents=True)
    (course / "submitted" / "s1" / ASSIGNMENT).mkdir(parents=True)
    (course / "nbgrader_config.py").write_text("c = get_config()\n")
    before = state(course)
    done = grade(course)
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert "lacks recallkit's safety settings" in done.stderr and "configure(" in done.stderr
    assert state(course) == before


def test_recallkit_init_sets_up_a_course_nbgrader_can_rebuild(tmp_path):
    course = tmp_path / "mycourse"
    release = init_course(course)
    assert (release / "memory_attention" / "softmax.py").is_file()
    assert (release / f"{MODULES_NOTEBOOK}.ipynb").is_file()
    from recallkit.nbgrader_settings import missing_settings

    assert missing_settings(course) == []
    status, log = nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    assert status == 0, log
    assert (course / "release" / ASSIGNMENT / "memory_attention" / "softmax.py").is_file()
    assert "raise NotImplementedError" in (release / "memory_attention/softmax.py").read_text()
    with pytest.raises(Exception, match="already holds a course"):
        init_course(course)
