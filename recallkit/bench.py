"""``recallkit bench``: recallkit, nbgrader and otter-grader on one synthetic class.

Builds N submissions in a temporary nbgrader course (about 70 % the reference,
30 % with one seeded mistake from ``recallkit.mistakes``, deterministic by seed),
then measures, one tool after the other:

1. recallkit's module grading of the class (``grade_class`` with ``--jobs``, in a
   fresh process), and again on N/4 submissions to check that memory is flat in N;
2. plain ``nbgrader autograde`` of the same class's notebooks (one batch process);
3. ``otter run`` on an otter-grader assignment equivalent to Demos 3 and 4, on
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

WRONG_SHARE = 0.3  # share of the class with one seeded mistake
OTTER_MAX = 10  # otter runs on this many submissions at most (then extrapolated)
SAMPLE_SECONDS = 0.2  # RSS and CPU of the process tree
PSS_SECONDS = 1.0  # PSS at least this often (and at every new RSS high)
GOAL_SECONDS, GOAL_SUBMISSIONS, GOAL_SPEEDUP = 30.0, 100, 4.0  # issue 4's goal, with 2 jobs

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
    """The source notebooks to hand in: all, or those whose names start with ``names``."""
    notebooks = sorted((SOURCE / ASSIGNMENT).glob("*.ipynb"))
    if names:
        notebooks = [nb for nb in notebooks if any(nb.name.startswith(n) for n in names)]
        if not notebooks:
            raise ValueError(f"no source notebook matches {names}")
    return notebooks


def build_class(root: Path, plan: dict[str, str | None], notebooks: list[Path]) -> Path:
    """An nbgrader course in ``root``: config, source/, and submitted/<student>/<assignment>/.

    A submission is the source notebooks with their outputs cleared (what a student
    who solved the exercises hands in) and the reference package with its mistake.
    """
    import nbformat

    from recallkit.mistakes import copy_reference, make_mistake
    from recallkit.release.pipeline import make_course

    source = root.parent / f"{root.name}-source"
    source.mkdir(parents=True)
    for notebook in notebooks:
        shutil.copy(notebook, source / notebook.name)
    make_course(root, source)
    cleared = {}
    for notebook in notebooks:
        nb = nbformat.read(notebook, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        cleared[notebook.name] = nbformat.writes(nb)
    for student, mistake in plan.items():
        folder = copy_reference(root / "submitted" / student / ASSIGNMENT)
        if mistake:
            make_mistake(folder, mistake)
        for name, text in cleared.items():
            (folder / name).write_text(text, encoding="utf-8")
    return root


def _outcome(plan: dict[str, str | None], full: dict[str, bool], tool: str) -> str:
    """How the tool's marks match the plan: correct ones at full marks, mistakes caught."""
    correct = [s for s in full if plan[s] is None]
    wrong = [s for s in full if plan[s] is not None]
    caught = sum(not full[s] for s in wrong)
    return (f"{tool}: correct at full marks {sum(full[s] for s in correct)}/{len(correct)}, "
            f"seeded mistakes caught {caught}/{len(wrong)}")


# ---------------------------------------------------------------------------- recallkit


def grade_child(root: str, jobs: str) -> None:
    """The measured recallkit process: grade the class at ``root``, print a JSON summary."""
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


def bench_recallkit(root: Path, plan: dict[str, str | None],
                    jobs: int) -> tuple[Row, dict, list[str]]:
    """The recallkit row, the memory-flatness check (N/4 vs N submissions), the containment."""
    summary, usage = grade_recallkit(root, jobs)
    row = Row("recallkit (modules, hidden suites)", len(plan), usage,
              sum(summary["tests"].values()), class_size=len(plan))
    row.notes = [f"--jobs {jobs}; grade_class itself {summary['grade_class_seconds']} s "
                 "(the rest: interpreter start and imports)",
                 f"{max(summary['tests'].values(), default=0)} tests per submission",
                 _outcome(plan, summary["full"], "marks")]
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
    return row, flatness, summary["containment"]


# ---------------------------------------------------------------------------- nbgrader


def graded_cells(notebooks: list[Path]) -> int:
    """Graded test cells (autograder tests) in the notebooks."""
    import nbformat

    return sum(1 for notebook in notebooks
               for cell in nbformat.read(notebook, as_version=4).cells
               if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade"))


def autograded_full_marks(course: Any, students: list[str]) -> dict[str, bool]:
    """Whether each student's autograded cells all have full marks (manual cells aside)."""
    from nbgrader.api import Gradebook

    from recallkit.grading.gradebook import db_url

    with Gradebook(db_url(course)) as gb:
        return {student: all(grade.auto_score == grade.max_score
                             for notebook in gb.find_submission(ASSIGNMENT, student).notebooks
                             for grade in notebook.grades if not grade.needs_manual_grade)
                for student in students}


def bench_nbgrader(root: Path, plan: dict[str, str | None], notebooks: list[Path]) -> Row:
    """``nbgrader autograde`` of every submission's notebooks, one batch process."""
    from recallkit.grading.batch import Course
    from recallkit.nbgrader_run import nbgrader
    from recallkit.release.pipeline import run_nbgrader

    run_nbgrader(root, "generate_assignment", ASSIGNMENT, "--force")  # set-up: not timed
    course = Course(root, root / "submitted", ASSIGNMENT)
    (status, _), usage = measure(lambda: nbgrader(root, "autograde", ASSIGNMENT, "--force"))
    graded = [s for s in plan if (root / "autograded" / s / ASSIGNMENT).is_dir()]
    full = autograded_full_marks(course, graded)
    cells = graded_cells(notebooks)
    notes = [f"{len(notebooks)} notebooks executed per submission "
             f"({cells} graded test cells)", _outcome(plan, full, "marks")]
    if len(graded) < len(plan):
        notes.append(f"only {len(graded)} submissions autograded")
    if status != 0:
        notes.append(f"nbgrader exited with status {status}")
    return Row("nbgrader autograde (notebooks)", len(plan), usage, cells * len(graded), notes,
               class_size=len(plan))


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


# ---------------------------------------------------------------------------- profile


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


def verdict(rows: list[Row], flatness: dict | None, n: int, jobs: int) -> list[str]:
    """The issue's goal, line by line, against what was measured."""
    mine = next((r for r in rows if r.tool.startswith("recallkit")), None)
    if mine is None:
        return []
    lines = []
    if n == GOAL_SUBMISSIONS and jobs == 2:
        met = "met" if mine.usage.seconds < GOAL_SECONDS else "missed"
        lines.append(f"{n} submissions in {mine.usage.seconds:.1f} s with {jobs} jobs "
                     f"(goal < {GOAL_SECONDS:.0f} s): {met}")
    else:
        lines.append(f"goal ({GOAL_SUBMISSIONS} submissions < {GOAL_SECONDS:.0f} s with 2 "
                     f"jobs) not checked: this run had {n} submissions and {jobs} jobs")
    cpu = mine.usage.cpu_seconds / mine.submissions
    lines.append(f"recallkit used {cpu:.2f} CPU s per submission (sandbox included): with "
                 f"{os.cpu_count()} cores that alone needs ≥ {cpu * n / (os.cpu_count() or 1):.0f}"
                 f" s for the class; {GOAL_SECONDS:.0f} s for {GOAL_SUBMISSIONS} needs ≤ "
                 f"{GOAL_SECONDS * 2 / GOAL_SUBMISSIONS:.2f} CPU s per submission on 2 cores")
    nb = next((r for r in rows if r.tool.startswith("nbgrader")), None)
    if nb is not None and mine.per_submission:
        speedup = nb.per_submission / mine.per_submission
        met = "met" if speedup >= GOAL_SPEEDUP else "missed"
        lines.append(f"{speedup:.1f}× faster per submission than nbgrader's batch "
                     f"(goal ≥ {GOAL_SPEEDUP:.0f}×: {met}), running "
                     f"{mine.checks / max(nb.checks, 1):.1f}× as many checks")
    if flatness and flatness["ratio"] is not None:
        lines.append(f"memory: peak {flatness['peak_mb_small']:.0f} MB at "
                     f"{flatness['submissions_small']} submissions vs {flatness['peak_mb']:.0f}"
                     f" MB at {flatness['submissions']} (×{flatness['ratio']}; flat means ≈ ×1)")
    return lines


def write_report(out: Path, report: dict, rows: list[Row]) -> str:
    """Write results.md and results.json into ``out``; return the markdown."""
    info = report["machine"]
    lines = ["# recallkit bench", "",
             f"Command: `{report['command']}` (seed {report['seed']}) at commit "
             f"{info['commit']}; "
             f"{report['class']['submissions']} submissions, "
             f"{report['class']['with_mistake']} with one seeded mistake.", "",
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
              "time of the tool's processes (a lower bound). Set-up (building the class, "
              "`nbgrader generate_assignment`, `otter assign`) is not timed."]
    for note in report["skipped"]:
        lines.append(f"\nSkipped: {note}")
    if report.get("profile"):
        lines += ["", "## Profile of one submission", "", "```", report["profile"].rstrip(),
                  "```"]
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
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="recallkit-bench-") as temp:
        root = build_class(Path(temp) / "course", plan, notebooks)
        print(f"recallkit bench: {args.n} submissions; grading with recallkit "
              f"(--jobs {args.jobs})…", file=sys.stderr)
        row, report["flatness"], report["containment"] = bench_recallkit(root, plan, args.jobs)
        rows.append(row)
        if args.skip_nbgrader:
            report["skipped"].append("nbgrader (--skip-nbgrader)")
        else:
            print("recallkit bench: nbgrader autograde (one batch process)…", file=sys.stderr)
            rows.append(bench_nbgrader(root, plan, notebooks))
        if args.skip_otter:
            report["skipped"].append("otter-grader (--skip-otter)")
        elif importlib.util.find_spec("otter") is None:
            report["skipped"].append("otter-grader is not installed (pip install "
                                     "otter-grader==7.0.0, see pyproject's dev extra)")
        else:
            print("recallkit bench: otter run…", file=sys.stderr)
            rows.append(bench_otter(Path(temp) / "otter", plan))
    if args.profile:
        print("recallkit bench: profiling one submission…", file=sys.stderr)
        report["profile"] = profile_one()
    report["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    report["goal"] = verdict(rows, report["flatness"], args.n, args.jobs)
    markdown = write_report(args.out, report, rows)
    print(markdown)
    return 0
