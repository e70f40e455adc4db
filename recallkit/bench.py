"""``recallkit bench``: recallkit's whole-class grading against nbgrader's own autograde.

Builds N submissions (about 70 % the reference, 30 % with one seeded mistake from
``recallkit.mistakes``, deterministic by seed) in two nbgrader courses: recallkit's
(the repository's config: kernels in the sandbox, the module grader in autograde)
and a plain one (nbgrader 0.9.6's defaults, the same notebooks), then measures,
one after the other, each in a fresh process with nothing stored:

1. recallkit's module grading alone (``grade_class --jobs``), and again on N/4
   submissions to check that memory is flat in N;
2. ``recallkit grade COURSE``: modules and notebooks, both sandboxed, the
   gradebook written, its phases and seconds per notebook taken from its logs;
3. plain ``nbgrader autograde`` of the same notebooks (the anchor);
4. ``recallkit grade DIR`` on one submission folder;
5. ``otter run`` on an otter-grader assignment equivalent to Demos 3 and 4, on
   min(N, 10) submissions, extrapolated per submission.

Each tool is timed by wall clock; peak memory is the PSS (shared pages counted
once) summed over the tool's whole process tree, sampled by a low-priority
thread. The report goes to ``benchmarks/results.md`` and ``benchmarks/results.json``.
"""

import argparse
import cProfile
import importlib.metadata
import importlib.util
import io
import itertools
import json
import os
import platform
import pstats
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from recallkit.paths import ASSIGNMENT, PACKAGE, REPO, SOLUTIONS, SOURCE

# Appended to both courses' nbgrader_config.py: log lines stamped to the millisecond,
# so that the log tells where autograde's time goes, notebook by notebook.
LOG_TIMES = """
c = get_config()  # noqa: F821 (recallkit bench: time-stamped log lines)
c.NbGrader.log_datefmt = "%H:%M:%S"
c.NbGrader.log_format = "[%(name)s | %(levelname)s] %(asctime)s.%(msecs)03d %(message)s"
"""
STAMP = re.compile(r"\[\w+ \| \w+\] (\d\d:\d\d:\d\d\.\d+) (.*)")
# nbgrader's log lines about a whole submission (they end its last notebook's time)
SUBMISSION_LINES = ("Creating/updating student", "Overwriting files", "Setting destination")
# The anchor: nbgrader's own autograde, its defaults (no recallkit plugin, no sandbox).
ANCHOR_CONFIG = 'c = get_config()  # noqa: F821\nc.CourseDirectory.course_id = "anchor"\n'
WRONG_SHARE = 0.3  # share of the class with one seeded mistake
OTTER_MAX = 10  # otter runs on this many submissions at most (then extrapolated)
SAMPLE_SECONDS = 0.2  # RSS and CPU of the process tree
PSS_SECONDS = 1.0  # PSS at least this often (and at every new RSS high)
GOAL_SUBMISSIONS = 100  # issue 12's goals for a class of this size, on 2 cores:
GOAL_WHOLE_SECONDS = 300.0  # modules + notebooks, end to end
GOAL_SECONDS = 30.0  # modules only, 2 jobs
GOAL_ONE_SECONDS = 1.0  # one `recallkit grade DIR`

# The otter-grader assignment: Demos 3 and 4 (the reference softmax module), tested by
# (question, hidden, test code) cases in the spirit of the notebooks' and suites' checks.
OTTER_TESTS = [
    ("stable_softmax", False,
     "assert np.allclose(stable_softmax(np.array([0.0, 0.0])), [0.5, 0.5])"),
    ("stable_softmax", True,
     "x = np.random.default_rng(3).normal(size=(4, 6))\n"
     "assert np.allclose(stable_softmax(x).sum(axis=-1), 1.0)"),
    ("stable_softmax", True,
     "x = np.array([0.3, -1.2, 2.5])\n"
     "assert np.allclose(stable_softmax(x + 100.0), stable_softmax(x))"),
    ("stable_softmax", True,
     "x = np.array([1000.0, 999.0, -1000.0, 998.0])\n"
     "e = np.exp(x - x.max())\n"
     "assert np.allclose(stable_softmax(x), e / e.sum())"),
    ("stable_softmax", True,
     "x = np.random.default_rng(5).normal(size=8)\n"
     "assert np.array_equal(np.argsort(stable_softmax(x)), np.argsort(x))"),
    ("softmax", False,
     "assert np.allclose(softmax(np.array([0.0, np.log(3.0)]), 1.0), [0.25, 0.75])"),
    ("softmax", True,
     "x = np.array([1.0, 2.0, 4.0])\n"
     "e = np.exp(x / 2.0 - (x / 2.0).max())\n"
     "assert np.allclose(softmax(x, 2.0), e / e.sum())"),
    ("softmax", True,
     "assert np.allclose(softmax(np.array([1.0, 3.0, 2.0]), 0.01), [0.0, 1.0, 0.0])"),
    ("softmax", True,
     "assert np.allclose(softmax(np.array([1.0, 3.0, 2.0]), 1e4), 1 / 3, atol=1e-3)"),
    ("softmax", True,
     "try:\n    softmax(np.array([1.0, 2.0]), 0.0)\n    raised = False\n"
     "except ValueError:\n    raised = True\nassert raised"),
]


@dataclass
class Usage:
    """What one measured piece of work cost."""

    seconds: float  # wall clock
    peak_mb: float  # peak PSS of all child processes together
    cpu_seconds: float  # user + system time of the child processes
    rss_mb: float  # peak of their RSS summed (shared pages counted in each)


@dataclass
class Row:
    """One tool's line in the report."""

    tool: str
    submissions: int  # submissions handed to the tool in the measurement
    usage: Usage
    checks: int  # checks run over all measured submissions
    notes: list[str] = field(default_factory=list)
    class_size: int = 0  # the class the row stands for
    extrapolated: bool = False  # measured on part of the class, total scaled up

    @property
    def per_submission(self) -> float:
        return self.usage.seconds / self.submissions if self.submissions else 0.0

    @property
    def total_seconds(self) -> float:
        """Seconds for the whole class: measured, or extrapolated per submission."""
        return self.per_submission * self.class_size if self.extrapolated else self.usage.seconds


# ---------------------------------------------------------------------------- measuring


class TreeSampler:
    """Samples the processes below this one: memory together, CPU time of each.

    RSS and CPU are cheap to read and read every time; PSS (reading smaps costs
    milliseconds per process) only at a new high of the RSS total or once a second.
    """

    def __init__(self) -> None:
        import psutil

        self.me = psutil.Process()
        self.peak_rss = self.peak_pss = 0
        self.last_pss = 0.0
        self.cpu: dict[tuple[int, float], float] = {}  # (pid, start time) -> last CPU seen

    def sample(self) -> None:
        import psutil

        try:
            processes = self.me.children(recursive=True)
        except psutil.Error:
            return
        rss = 0
        for process in processes:
            try:
                with process.oneshot():
                    times = process.cpu_times()
                    self.cpu[process.pid, process.create_time()] = times.user + times.system
                    rss += process.memory_info().rss
            except psutil.Error:  # the process ended meanwhile
                pass
        if rss > self.peak_rss or time.monotonic() - self.last_pss >= PSS_SECONDS:
            self.peak_rss, self.last_pss = max(self.peak_rss, rss), time.monotonic()
            self.peak_pss = max(self.peak_pss, self._pss(processes))

    @staticmethod
    def _pss(processes: list) -> int:
        import psutil

        total = 0
        for process in processes:
            try:
                try:
                    total += process.memory_full_info().pss
                except psutil.AccessDenied:
                    total += process.memory_info().rss
            except psutil.Error:
                pass
        return total


def measure(work: Callable[[], Any]) -> tuple[Any, Usage]:
    """Run ``work()`` here while a low-priority thread samples this process's children.

    ``work`` must do its job in child processes, and nothing else may run any
    meanwhile. CPU time is a lower bound: the larger of what the waited-for
    children report and what the samples saw (a process's last moments may be missed).
    """
    sampler = TreeSampler()
    done = threading.Event()

    def watch() -> None:
        try:  # the sampler must not take CPU from the tool being measured
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
        except (AttributeError, OSError):
            pass
        while not done.is_set():
            sampler.sample()
            done.wait(SAMPLE_SECONDS)

    thread = threading.Thread(target=watch, daemon=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    thread.start()
    try:
        result = work()
    finally:
        seconds = time.monotonic() - started
        done.set()
        thread.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    waited = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    cpu = max(waited, sum(sampler.cpu.values()))
    return result, Usage(round(seconds, 2), round(sampler.peak_pss / 2**20, 1), round(cpu, 2),
                         round(sampler.peak_rss / 2**20, 1))


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Run a command with this environment's scripts first on PATH; raise with its log."""
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}"
               f"{os.environ.get('PATH', '')}")
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"`{' '.join(command)}` failed (exit {done.returncode}) in {cwd}:\n"
                           f"{done.stdout[-2000:]}{done.stderr[-4000:]}")
    return done


# ---------------------------------------------------------------------------- the class


def plan_class(n: int, seed: int) -> dict[str, str | None]:
    """Student id -> the seeded mistake in their modules (None: the reference)."""
    from recallkit.mistakes import MISTAKES

    names = sorted(MISTAKES)
    wrong = round(WRONG_SHARE * n)
    kinds: list[str | None] = [names[i % len(names)] for i in range(wrong)]
    kinds += [None] * (n - wrong)
    random.Random(seed).shuffle(kinds)
    return {f"student{i:03d}": kind for i, kind in enumerate(kinds, start=1)}


def notebook_sources(names: list[str] | None) -> list[Path]:
    """The demo notebooks to hand in (the modules notebook aside): all, or those whose
    names start with ``names``."""
    from recallkit.nbgrader_plugin import MODULES_NOTEBOOK

    notebooks = [nb for nb in sorted((SOURCE / ASSIGNMENT).glob("*.ipynb"))
                 if nb.stem != MODULES_NOTEBOOK]
    if names:
        notebooks = [nb for nb in notebooks if any(nb.name.startswith(n) for n in names)]
        if not notebooks:
            raise ValueError(f"no source notebook matches {names}")
    return notebooks


def _cleared(notebook: Path) -> str:
    """The notebook as a student who solved it hands it in: its outputs cleared."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nbformat.writes(nb)


def build_class(root: Path, plan: dict[str, str | None], notebooks: list[Path]) -> Path:
    """recallkit's nbgrader course in ``root``: the repository's config (sandboxed kernels,
    the module grader in autograde), the notebooks and the modules notebook released by
    ``nbgrader generate_assignment``, and submitted/<student>/<assignment>/.

    A submission is the notebooks with their outputs cleared and the reference package
    with its mistake. Set-up, not timed.
    """
    from recallkit.mistakes import copy_reference, make_mistake
    from recallkit.nbgrader_plugin import MODULES_NOTEBOOK
    from recallkit.release.pipeline import make_course, run_nbgrader

    handed_in = [*notebooks, SOURCE / ASSIGNMENT / f"{MODULES_NOTEBOOK}.ipynb"]
    source = root.parent / f"{root.name}-source"
    source.mkdir(parents=True)
    for notebook in handed_in:
        shutil.copy(notebook, source / notebook.name)
    make_course(root, source)
    with (root / "nbgrader_config.py").open("a") as config:
        config.write(LOG_TIMES)
    run_nbgrader(root, "generate_assignment", ASSIGNMENT, "--force")
    cleared = {notebook.name: _cleared(notebook) for notebook in handed_in}
    for student, mistake in plan.items():
        folder = copy_reference(root / "submitted" / student / ASSIGNMENT)
        if mistake:
            make_mistake(folder, mistake)
        for name, text in cleared.items():
            (folder / name).write_text(text, encoding="utf-8")
    return root


def build_anchor(root: Path, course: Path, notebooks: list[Path]) -> Path:
    """Plain nbgrader's course in ``root``: nbgrader's own autograde (no recallkit plugin,
    kernels not sandboxed), the same demo notebooks, each student's same submission."""
    from recallkit.release.pipeline import run_nbgrader

    (root / "source" / ASSIGNMENT).mkdir(parents=True)
    (root / "nbgrader_config.py").write_text(ANCHOR_CONFIG + LOG_TIMES)
    for notebook in notebooks:
        shutil.copy(notebook, root / "source" / ASSIGNMENT / notebook.name)
    run_nbgrader(root, "generate_assignment", ASSIGNMENT, "--force")
    names = {notebook.name for notebook in notebooks}
    for folder in sorted((course / "submitted").glob(f"*/{ASSIGNMENT}")):
        shutil.copytree(folder, root / "submitted" / folder.parent.name / ASSIGNMENT,
                        ignore=lambda _, files: [f for f in files
                                                 if f.endswith(".ipynb") and f not in names])
    return root


def _outcome(plan: dict[str, str | None], full: dict[str, bool], tool: str) -> str:
    """How the tool's marks match the plan: correct ones at full marks, mistakes caught."""
    correct = [s for s in full if plan[s] is None]
    wrong = [s for s in full if plan[s] is not None]
    caught = sum(not full[s] for s in wrong)
    return (f"{tool}: correct at full marks {sum(full[s] for s in correct)}/{len(correct)}, "
            f"seeded mistakes caught {caught}/{len(wrong)}")


def graded_cells(notebooks: list[Path]) -> int:
    """Graded test cells (autograder tests) in the notebooks."""
    import nbformat

    return sum(1 for notebook in notebooks
               for cell in nbformat.read(notebook, as_version=4).cells
               if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade"))


def autograded_full_marks(root: Path, students: list[str]) -> dict[str, bool]:
    """Whether each student's autograded cells in the gradebook all have full marks
    (manual cells aside); students the gradebook has no submission of are left out."""
    from nbgrader.api import Gradebook, MissingEntry

    full = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for student in students:
            try:
                notebooks = gb.find_submission(ASSIGNMENT, student).notebooks
            except MissingEntry:
                continue
            full[student] = all(grade.auto_score == grade.max_score for notebook in notebooks
                                for grade in notebook.grades if not grade.needs_manual_grade)
    return full


# ---------------------------------------------------------------------------- profile


def notebook_seconds(log: str) -> dict[str, float]:
    """Seconds per notebook summed over the class, from an nbgrader log stamped as
    LOG_TIMES asks: a notebook runs from its "Sanitizing" line (autograde's first step
    on it) to the next notebook's, or to the next line about a whole submission."""
    events = []
    for line in log.splitlines():
        found = STAMP.match(line)
        if found:
            hours, minutes, seconds = found.group(1).split(":")
            at = int(hours) * 3600 + int(minutes) * 60 + float(seconds)
            notebook = re.match(r"Sanitizing \S*?([^/\s]+)\.ipynb", found.group(2))
            if notebook or found.group(2).startswith(SUBMISSION_LINES):
                events.append((at, notebook.group(1) if notebook else None))
    totals: dict[str, float] = {}
    for (start, name), (end, _) in itertools.pairwise(events):
        if name:
            totals[name] = round(totals.get(name, 0.0) + (end - start) % 86400, 2)
    return dict(sorted(totals.items()))


def phases(lines: list[tuple[float, str]], total: float) -> dict[str, float]:
    """``recallkit grade``'s phases from its timestamped stderr lines."""
    nbgrader_start = next((t for t, line in lines if "running nbgrader autograde" in line),
                          None)
    if nbgrader_start is None:
        return {"whole run": round(total, 2)}
    return {"start, imports and module grading (sandboxed, --jobs)": round(nbgrader_start, 2),
            "nbgrader autograde (sandboxed kernels, module grades written) and the reports":
                round(total - nbgrader_start, 2)}


# ---------------------------------------------------------------------------- recallkit


def grade_child(root: str, jobs: str) -> None:
    """The measured modules-only process: grade the class at ``root``, print a JSON summary."""
    from recallkit.grading.batch import find_course, grade_class

    started = time.monotonic()
    results = grade_class(find_course(Path(root), ASSIGNMENT), int(jobs), progress=False)
    print(json.dumps({
        "grade_class_seconds": round(time.monotonic() - started, 2),
        "full": {s: r["score"] == r["extra_data"]["max_score"] > 0 for s, r in results.items()},
        "tests": {s: len(r["tests"]) for s, r in results.items()},
        "errors": {s: r["extra_data"]["error"] for s, r in results.items()
                   if "error" in r["extra_data"]},
        "containment": sorted({r["extra_data"].get("containment", "?")
                               for r in results.values()}),
    }))


def grade_recallkit(root: Path, jobs: int) -> tuple[dict, Usage]:
    """grade_class on the course at ``root`` in a fresh process (imports included)."""
    shutil.rmtree(root / ".recallkit", ignore_errors=True)  # no cached results
    code = "import sys; from recallkit.bench import grade_child; grade_child(*sys.argv[1:])"
    done, usage = measure(lambda: _run([sys.executable, "-c", code, str(root), str(jobs)],
                                       root))
    return json.loads(done.stdout.strip().splitlines()[-1]), usage


def bench_modules(root: Path, plan: dict[str, str | None],
                  jobs: int) -> tuple[Row, dict, list[str], int]:
    """The modules-only row, the memory-flatness check (N/4 vs N submissions), the
    containment, and the tests per submission."""
    summary, usage = grade_recallkit(root, jobs)
    tests = max(summary["tests"].values(), default=0)
    row = Row("recallkit, modules only (hidden suites, sandboxed)", len(plan), usage,
              sum(summary["tests"].values()), class_size=len(plan))
    row.notes = [f"--jobs {jobs}; grade_class itself {summary['grade_class_seconds']} s "
                 "(the rest: interpreter start and imports)",
                 f"{tests} tests per submission", _outcome(plan, summary["full"], "marks")]
    if summary["errors"]:
        row.notes.append(f"grading failed for {len(summary['errors'])}: "
                         f"{sorted(set(summary['errors'].values()))[:3]}")
    # Flatness: the first quarter of the class (enough to keep every job busy), on its own.
    quarter = root.parent / f"{root.name}-quarter"
    students = sorted(plan)[:max(jobs, len(plan) // 4)]
    for student in students:
        shutil.copytree(root / "submitted" / student, quarter / "submitted" / student)
    _, small = grade_recallkit(quarter, jobs)
    flatness = {"submissions_small": len(students), "peak_mb_small": small.peak_mb,
                "seconds_small": small.seconds, "submissions": len(plan),
                "peak_mb": usage.peak_mb,
                "ratio": round(usage.peak_mb / small.peak_mb, 2) if small.peak_mb else None}
    return row, flatness, summary["containment"], tests


def _recallkit(*args: str) -> list[str]:
    return [sys.executable, "-m", "recallkit.cli", *args]


def run_timed(command: list[str], cwd: Path) -> tuple[int, str, list[tuple[float, str]]]:
    """Run ``command``; returns its status, its stdout, and its stderr lines each with the
    seconds since the start at which it came."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.PIPE,
                                   text=True)
        lines = [(time.monotonic() - started, line.rstrip()) for line in process.stderr]
        status = process.wait()
        out.seek(0)
        return status, out.read().decode("utf-8", errors="replace"), lines


def bench_whole(root: Path, plan: dict[str, str | None], jobs: int, notebooks: list[Path],
                tests: int) -> tuple[Row, dict]:
    """``recallkit grade COURSE`` end to end in a fresh process; the row and the profile."""
    shutil.rmtree(root / ".recallkit", ignore_errors=True)  # nothing stored: grade it all
    command = _recallkit("grade", str(root), "--jobs", str(jobs), "--quiet", "--json")
    (status, _, lines), usage = measure(lambda: run_timed(command, root))
    if status not in (0, 1):  # 1: some submission not fully graded (said in the notes)
        raise RuntimeError(f"`recallkit grade` failed (exit {status}):\n"
                           + "\n".join(line for _, line in lines[-30:]))
    full = autograded_full_marks(root, sorted(plan))
    cells = graded_cells(notebooks)
    row = Row("recallkit grade COURSE (modules + notebooks, sandboxed, gradebook)", len(plan),
              usage, (tests + cells) * len(full), class_size=len(plan))
    row.notes = [f"--jobs {jobs}; {len(notebooks)} notebooks + the modules notebook executed "
                 "per submission, each kernel in bubblewrap",
                 _outcome(plan, full, "gradebook")]
    if len(full) < len(plan) or status:
        row.notes.append(f"exit status {status}; in the gradebook {len(full)}/{len(plan)}: "
                         + "; ".join(line for _, line in lines if "not fully graded" in line))
    log = root / ".recallkit" / ASSIGNMENT / "nbgrader.log"
    profile = {"phases_seconds": phases(lines, usage.seconds),
               "notebook_seconds": notebook_seconds(log.read_text() if log.exists() else "")}
    return row, profile


def bench_one(folder: Path) -> Row:
    """``recallkit grade DIR --json`` on one submission folder, in a fresh process."""
    (status, _, lines), usage = measure(lambda: run_timed(
        _recallkit("grade", str(folder), "--json"), folder))
    if status:
        raise RuntimeError(f"`recallkit grade {folder}` failed (exit {status}):\n"
                           + "\n".join(line for _, line in lines[-30:]))
    return Row("recallkit grade DIR (one submission, modules)", 1, usage, 0,
               ["the reference solution; process start and imports included"], class_size=1)


# ---------------------------------------------------------------------------- nbgrader


def bench_nbgrader(root: Path, plan: dict[str, str | None], notebooks: list[Path]
                   ) -> tuple[Row, dict]:
    """Plain ``nbgrader autograde`` of every submission's notebooks, one batch process."""
    from recallkit.nbgrader_run import nbgrader

    (status, log), usage = measure(lambda: nbgrader(root, "autograde", ASSIGNMENT, "--force"))
    graded = [s for s in plan if (root / "autograded" / s / ASSIGNMENT).is_dir()]
    cells = graded_cells(notebooks)
    notes = [f"{len(notebooks)} notebooks executed per submission, kernels not sandboxed, "
             f"no module grading ({cells} graded test cells); autograded "
             f"{len(graded)}/{len(plan)}"]
    if status != 0:
        notes.append(f"nbgrader exited with status {status}")
    return (Row("nbgrader 0.9.6 autograde, its own config (notebooks only)", len(plan), usage,
                cells * len(graded), notes, class_size=len(plan)),
            notebook_seconds(log))


# ---------------------------------------------------------------------------- otter-grader


def otter_master() -> Any:
    """The otter-grader master notebook (Otter Assign format) for Demos 3 and 4."""
    import nbformat

    raw, code = nbformat.v4.new_raw_cell, nbformat.v4.new_code_cell
    module = (SOLUTIONS / PACKAGE / "softmax.py").read_text(encoding="utf-8")
    module = module.replace("### BEGIN SOLUTION", "# BEGIN SOLUTION")
    module = module.replace("### END SOLUTION", "# END SOLUTION")
    split = module.index("def softmax(")
    solutions = {"stable_softmax": module[:split].rstrip() + "\n", "softmax": module[split:]}
    cells = [raw("# ASSIGNMENT CONFIG\nname: softmax_demos\ngenerate: true\n"
                 "export_cell: false\ncheck_all_cell: false")]
    for question, solution in solutions.items():
        tests = [(f"# HIDDEN\n{test}" if hidden else test)
                 for name, hidden, test in OTTER_TESTS if name == question]
        cells += [raw(f"# BEGIN QUESTION\nname: {question}\npoints: {2 * len(tests)}"),
                  raw("# BEGIN SOLUTION"), code(solution), raw("# END SOLUTION"),
                  raw("# BEGIN TESTS"), *[code(test) for test in tests], raw("# END TESTS"),
                  raw("# END QUESTION")]
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    return notebook


def otter_submission(solution: Any, mistake: str | None) -> Any:
    """The otter solution notebook, with the student's mistake where it is in softmax.py."""
    import copy

    from recallkit.mistakes import MISTAKES

    notebook = copy.deepcopy(solution)
    if mistake and MISTAKES[mistake].module == "softmax":
        wrong = MISTAKES[mistake]
        for cell in notebook.cells:
            cell.source = cell.source.replace(wrong.correct, wrong.wrong)
    return notebook


def bench_otter(folder: Path, plan: dict[str, str | None]) -> Row:
    """``otter run`` (one process per submission, as otter does) on min(N, 10) submissions."""
    import nbformat

    from recallkit.mistakes import MISTAKES

    folder = folder.resolve()
    folder.mkdir(parents=True)
    nbformat.write(otter_master(), folder / "softmax_demos.ipynb")
    # set-up, not timed: otter assign also runs the tests on the solution
    _run([sys.executable, "-m", "otter", "assign", "softmax_demos.ipynb", "dist"], folder)
    autograder = next((folder / "dist" / "autograder").glob("*.zip"))
    solution = nbformat.read(folder / "dist" / "autograder" / "softmax_demos.ipynb", 4)
    students = sorted(plan)[:OTTER_MAX]
    for student in students:
        (folder / student).mkdir()
        nbformat.write(otter_submission(solution, plan[student]),
                       folder / student / "softmax_demos.ipynb")

    def grade_all() -> None:
        for student in students:
            _run([sys.executable, "-m", "otter", "run", "-a", str(autograder), "-o",
                  str(folder / student), "--no-logo", str(folder / student /
                                                           "softmax_demos.ipynb")], folder)

    _, usage = measure(grade_all)
    full = {}
    for student in students:
        tests = json.loads((folder / student / "results.json").read_text())["tests"]
        full[student] = all(t["score"] == t["max_score"] for t in tests if "max_score" in t)
    in_scope = {s: plan[s] if plan[s] and MISTAKES[plan[s]].module == "softmax" else None
                for s in students}
    notes = [f"measured on {len(students)} of {len(plan)} submissions, the total "
             "extrapolated per submission" if len(students) < len(plan) else "",
             f"Demos 3 and 4 only (softmax.py): {len(OTTER_TESTS)} test cases, one otter "
             "run process and kernel per submission",
             _outcome(in_scope, full, "marks (mistakes outside softmax.py not in scope)")]
    notes = [note for note in notes if note]
    return Row("otter-grader `otter run` (Demos 3-4)", len(students), usage,
               len(OTTER_TESTS) * len(students), notes, class_size=len(plan),
               extrapolated=len(students) < len(plan))



# ---------------------------------------------------------------------------- one submission


def _area(filename: str, function: str) -> str:
    """Where a profiled function lives: a package, a kit module, or a built-in."""
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1].split("/", 1)[0]
    if filename.startswith(str(REPO)):
        return Path(filename).relative_to(REPO).as_posix()
    if filename == "~":
        return f"built-in {function}"
    return f"stdlib {Path(filename).name}"


def profile_one(top: int = 20) -> str:
    """Where one submission's grading spends its time: cProfile of ``grade_submission``.

    Only the trusted process is profiled; time spent in the sandbox shows as
    waiting (``select``) and socket calls here.
    """
    from recallkit.grading.runner import grade_submission

    grade_submission(SOLUTIONS)  # warm-up: imports, suites collected once per process
    profiler = cProfile.Profile()
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.monotonic()
    profiler.runcall(grade_submission, SOLUTIONS)
    seconds = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    stats = pstats.Stats(profiler)
    areas: dict[str, float] = {}
    for (filename, _, function), (_, _, own, _, _) in stats.stats.items():
        areas[_area(filename, function)] = areas.get(_area(filename, function), 0.0) + own
    lines = [f"grade_submission(solutions/): {seconds:.2f} s wall, {cpu:.2f} s CPU in the "
             "trusted process, under cProfile (which slows Python code down)", "",
             "own time by area:"]
    lines += [f"  {own:6.3f} s  {area}" for area, own in
              sorted(areas.items(), key=lambda item: -item[1])[:top]]
    text = io.StringIO()
    kit_files = rf"{re.escape(str(REPO))}/(recallkit|autograder|solutions)/"
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(kit_files, top)
    kit = text.getvalue().replace(f"{REPO}/", "").strip()
    return "\n".join(lines) + "\n\nthe kit's own functions by cumulative time:\n" + kit


# ---------------------------------------------------------------------------- report


def machine() -> dict:
    """The machine the numbers were measured on."""
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines()
                  if line.startswith("model name")), platform.processor() or "unknown")
    mem_kb = next((int(line.split()[1]) for line in meminfo.splitlines()
                   if line.startswith("MemTotal:")), 0)
    versions = {}
    for package in ("nbgrader", "otter-grader", "pytest", "hypothesis", "numpy"):
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = None
    git = subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty"],
                         capture_output=True, text=True, check=False)
    return {"nproc": os.cpu_count(), "cpu_model": model, "commit": git.stdout.strip() or None,
            "memory_gb": round(mem_kb / 2**20, 1), "python": platform.python_version(),
            "platform": platform.platform(), "bwrap": shutil.which("bwrap"),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
            "versions": versions}


def format_table(rows: list[Row]) -> str:
    """The markdown table of the report."""
    lines = ["| tool | submissions | total s | s / submission | peak memory (MB) | CPU s | "
             "checks run | notes |",
             "|---|---:|---:|---:|---:|---:|---:|---|"]
    for row in rows:
        submissions = (f"{row.submissions} measured (of {row.class_size})"
                       if row.extrapolated else str(row.submissions))
        total = (f"≈ {row.total_seconds:.0f} extrapolated ({row.usage.seconds:.1f} measured)"
                 if row.extrapolated else f"{row.usage.seconds:.1f}")
        lines.append(f"| {row.tool} | {submissions} | {total} | {row.per_submission:.2f} | "
                     f"{row.usage.peak_mb:.0f} | {row.usage.cpu_seconds:.0f} | {row.checks} | "
                     f"{'; '.join(row.notes)} |")
    return "\n".join(lines)


def _row(rows: list[Row], start: str) -> Row | None:
    return next((r for r in rows if r.tool.startswith(start)), None)


def verdict(rows: list[Row], flatness: dict | None, jobs: int) -> list[str]:
    """The issue's goals, line by line, against what was measured (scaled linearly per
    submission to the goal's class size when the class was smaller)."""
    lines = []
    whole, anchor = _row(rows, "recallkit grade COURSE"), _row(rows, "nbgrader")
    modules, one = _row(rows, "recallkit, modules only"), _row(rows, "recallkit grade DIR")
    if whole:
        total = whole.per_submission * GOAL_SUBMISSIONS
        lines.append(f"whole class end to end: {whole.usage.seconds:.0f} s for "
                     f"{whole.submissions}, so ≈ {total:.0f} s for {GOAL_SUBMISSIONS} "
                     f"(goal < {GOAL_WHOLE_SECONDS:.0f} s): "
                     + ("met" if total < GOAL_WHOLE_SECONDS else
                        f"missed by ×{total / GOAL_WHOLE_SECONDS:.1f}"))
    if whole and anchor and whole.usage.seconds and whole.usage.cpu_seconds:
        lines.append(f"against nbgrader's own autograde of the same notebooks: wall ×"
                     f"{anchor.usage.seconds / whole.usage.seconds:.2f}, CPU ×"
                     f"{anchor.usage.cpu_seconds / whole.usage.cpu_seconds:.2f}, peak memory ×"
                     f"{anchor.usage.peak_mb / max(whole.usage.peak_mb, 0.1):.2f} "
                     "(nbgrader ÷ recallkit; above 1: recallkit is ahead)")
    if modules:
        total = modules.per_submission * GOAL_SUBMISSIONS
        cpu = modules.usage.cpu_seconds / modules.submissions
        lines.append(f"modules only: ≈ {total:.0f} s for {GOAL_SUBMISSIONS} with {jobs} jobs "
                     f"(goal < {GOAL_SECONDS:.0f} s with 2): "
                     + ("met" if total < GOAL_SECONDS else
                        f"missed by ×{total / GOAL_SECONDS:.1f}")
                     + f"; {cpu:.2f} CPU s per submission, sandbox included (the goal needs ≤ "
                     f"{GOAL_SECONDS * 2 / GOAL_SUBMISSIONS:.2f} on 2 cores)")
    if one:
        lines.append(f"one `recallkit grade DIR`: {one.usage.seconds:.2f} s (goal < "
                     f"{GOAL_ONE_SECONDS:.0f} s): "
                     + ("met" if one.usage.seconds < GOAL_ONE_SECONDS else "missed"))
    if flatness and flatness["ratio"] is not None:
        lines.append(f"memory (modules): peak {flatness['peak_mb_small']:.0f} MB at "
                     f"{flatness['submissions_small']} submissions vs {flatness['peak_mb']:.0f}"
                     f" MB at {flatness['submissions']} (×{flatness['ratio']}; flat means ≈ ×1)")
    return lines


def profile_lines(profile: dict) -> list[str]:
    """Where the whole-class run's time goes: its phases, then seconds per notebook."""
    lines = ["`recallkit grade COURSE`, by phase (from its time-stamped progress lines):", ""]
    lines += [f"- {name}: {seconds:.1f} s" for name, seconds in profile["phases_seconds"].items()]
    mine, theirs = profile["notebook_seconds"], profile.get("nbgrader_notebook_seconds", {})
    if mine or theirs:
        lines += ["", "Seconds per notebook over the whole class (nbgrader's time-stamped log: "
                  "sanitize, execute, save the grades; recallkit's --jobs nbgrader processes "
                  "run side by side, their seconds are added up):", "",
                  "| notebook | recallkit grade (sandboxed) | nbgrader alone |", "|---|---:|---:|"]
        for name in sorted(set(mine) | set(theirs)):
            lines.append(f"| {name} | {mine.get(name, 0):.1f} | "
                         + (f"{theirs[name]:.1f} |" if name in theirs else "– |"))
        lines.append(f"| total | {sum(mine.values()):.1f} | {sum(theirs.values()):.1f} |")
    return lines


def write_report(out: Path, report: dict, rows: list[Row]) -> str:
    """Write results.md and results.json into ``out``; return the markdown."""
    info = report["machine"]
    lines = ["# recallkit bench", "",
             f"Command: `{report['command']}` (seed {report['seed']}) at commit "
             f"{info['commit']}; "
             f"{report['class']['submissions']} submissions, "
             f"{report['class']['with_mistake']} with one seeded mistake; notebooks: "
             f"{', '.join(report['class']['notebooks'])}.", "",
             format_table(rows), ""]
    lines += [f"- {line}" for line in report["goal"]]
    lines += ["", "Machine: "
              f"{info['nproc']} × {info['cpu_model']}, {info['memory_gb']} GB, Python "
              f"{info['python']} ({info['platform']}); load average at start "
              f"{info['load_average_at_start']}, at end {info['load_average_at_end']}; "
              f"student code contained by: {'; '.join(report['containment'])}; "
              "versions: "
              + ", ".join(f"{k} {v}" for k, v in info["versions"].items()), "",
              "Peak memory is the PSS (shared pages counted once) summed over the tool's "
              f"whole process tree (sampled every {SAMPLE_SECONDS} s by a low-priority thread; "
              "results.json also has the peak of the RSS sum); CPU s is the user + system "
              "time of the tool's processes (a lower bound). Each row starts a fresh process "
              "with nothing stored from an earlier run. Set-up (building the class, "
              "`nbgrader generate_assignment`, `otter assign`) is not timed."]
    for note in report["skipped"]:
        lines.append(f"\nSkipped: {note}")
    if report.get("profile_whole"):
        lines += ["", "## Where the time goes", "", *profile_lines(report["profile_whole"])]
    if report.get("profile"):
        lines += ["", "## Profile of one submission's module grading", "", "```",
                  report["profile"].rstrip(), "```"]
    markdown = "\n".join(lines) + "\n"
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.md").write_text(markdown, encoding="utf-8")
    data = dict(report, rows=[dict(asdict(r), per_submission=round(r.per_submission, 3),
                                   total_seconds=round(r.total_seconds, 2)) for r in rows])
    (out / "results.json").write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return markdown


# ---------------------------------------------------------------------------- command


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--n", type=int, default=100, help="submissions in the class "
                        "(default 100)")
    parser.add_argument("--jobs", type=int, default=2, help="recallkit's parallel jobs "
                        "(default 2)")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks",
                        help="where results.md and results.json go (default benchmarks/)")
    parser.add_argument("--seed", type=int, default=0, help="which submissions get which "
                        "mistake (default 0)")
    parser.add_argument("--skip-otter", action="store_true", help="do not run otter-grader")
    parser.add_argument("--skip-nbgrader", action="store_true", help="do not run nbgrader")
    parser.add_argument("--notebooks", nargs="+", metavar="PREFIX",
                        help="hand in only the notebooks whose names start so, e.g. 04 "
                        "(default: all; for a quick run)")
    parser.add_argument("--profile", action="store_true",
                        help="also profile one submission's grading (cProfile) into the report")


def command_line(args: argparse.Namespace) -> str:
    """The ``recallkit bench`` command that repeats this run (output folder aside)."""
    words = ["recallkit", "bench", "--n", str(args.n), "--jobs", str(args.jobs)]
    words += [f"--{flag.replace('_', '-')}" for flag in ("skip_otter", "skip_nbgrader",
                                                          "profile") if getattr(args, flag)]
    return " ".join(words + (["--notebooks", *args.notebooks] if args.notebooks else []))


def run(args: argparse.Namespace) -> int:
    if args.n < 1 or args.jobs < 1:
        print("recallkit bench: --n and --jobs must be at least 1", file=sys.stderr)
        return 2
    plan = plan_class(args.n, args.seed)
    notebooks = notebook_sources(args.notebooks)
    report: dict = {"command": command_line(args), "seed": args.seed, "machine": machine(),
                    "skipped": [],
                    "class": {"submissions": args.n,
                              "with_mistake": sum(m is not None for m in plan.values()),
                              "notebooks": [nb.name for nb in notebooks]}}

    def say(step: str) -> None:
        print(f"recallkit bench: {step}…", file=sys.stderr)

    with tempfile.TemporaryDirectory(prefix="recallkit-bench-") as temp:
        say(f"building a class of {args.n} (nbgrader generate_assignment, not timed)")
        root = build_class(Path(temp) / "course", plan, notebooks)
        anchor = None if args.skip_nbgrader else build_anchor(Path(temp) / "anchor", root,
                                                              notebooks)
        say(f"recallkit, modules only (--jobs {args.jobs})")
        modules, report["flatness"], report["containment"], tests = bench_modules(
            root, plan, args.jobs)
        say("recallkit grade COURSE, modules and notebooks")
        whole, report["profile_whole"] = bench_whole(root, plan, args.jobs, notebooks, tests)
        rows = [whole]
        if anchor is None:
            report["skipped"].append("nbgrader's own autograde (--skip-nbgrader)")
        else:
            say("nbgrader autograde with its own config (one batch process)")
            row, report["profile_whole"]["nbgrader_notebook_seconds"] = bench_nbgrader(
                anchor, plan, notebooks)
            rows.append(row)
        rows.append(modules)
        say("recallkit grade DIR on one submission")
        rows.append(bench_one(SOLUTIONS))
        if args.skip_otter:
            report["skipped"].append("otter-grader (--skip-otter)")
        elif importlib.util.find_spec("otter") is None:
            report["skipped"].append("otter-grader is not installed (pip install "
                                     "otter-grader==7.0.0, see pyproject's dev extra)")
        else:
            say("otter run")
            rows.append(bench_otter(Path(temp) / "otter", plan))
    if args.profile:
        say("profiling one submission's module grading")
        report["profile"] = profile_one()
    report["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    report["goal"] = verdict(rows, report["flatness"], args.jobs)
    markdown = write_report(args.out, report, rows)
    print(markdown)
    return 0
