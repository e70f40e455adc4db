"""The release pipeline, end to end: real nbgrader, real kernels, real submission folders."""

import ast
import asyncio
import difflib
import json
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import PackageNotFoundError, packages_distributions, requires
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from nbclient import NotebookClient
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from traitlets.config import Config

from recallkit.nbgrader_plugin import MODULES_NOTEBOOK
from recallkit.nbgrader_settings import configure
from recallkit.paths import ASSIGNMENT, GRADED_MODULES, PACKAGE, RELEASE, SOLUTIONS
from recallkit.release.leaks import find_leaks, secret_lines
from recallkit.release.pipeline import (
    ReleaseError,
    build_release,
    lock_pins,
    run_nbgrader,
    tree_differences,
)
from recallkit.release.stubs import BEGIN, END, StubError, make_stub, solution_regions

RELEASED = RELEASE / ASSIGNMENT
REFERENCE = SOLUTIONS / PACKAGE
# Demo 3's notebook grades a loop the student writes in it (with their own encoder).
SCORES_NOTEBOOK = "03_"

# A call into each stubbed function -> the exercise its NotImplementedError must name.
STUB_CALLS = {
    "encoder.WordEncoder(4).encode('cat')": "Demo 1",
    "similarity.Similarity().cosine(a, b)": "Demo 2",
    "similarity.Similarity().euclidean(a, b)": "Demo 2",
    "similarity.Similarity('euclidean')(a, b)": "Demo 2",
    "softmax.stable_softmax(a)": "Demo 3",
    "softmax.softmax(a, 0.5)": "Demo 4",
    "attention.DotProductAttention().attend(a, np.eye(2), np.eye(2))": "Demo 5",
    "recall.cue_capture(100.0, 0.7, 300.0)": "Mini-Project 3",
    "recall.cue_reliability(0.8, 8)": "Mini-Project 3",
    "recall.race_rates(a, b, 0.5, 0.1, 0.002)": "Mini-Project 3",
    "recall.race(b, 300.0, np.random.default_rng(0))": "Mini-Project 3",
    "recall.break_valid_benefit()": "Mini-Project 3",
    "recall.my_experiment([0])": "Mini-Project 3",
}

# Runs each call; prints call -> "ok" or the NotImplementedError message.
PROBE = """
import json, numpy as np
from memory_attention import attention, encoder, recall, similarity, softmax
a, b = np.array([1.0, 0.0]), np.array([0.6, 0.8])
outcome = {}
for call in CALLS:
    try:
        eval(call)
        outcome[call] = "ok"
    except NotImplementedError as error:
        outcome[call] = str(error)
print(json.dumps(outcome))
"""

# Bob's softmax: no max-subtraction (overflows near 1000) and the temperature is ignored.
WRONG_SOFTMAX = '''"""Bob's softmax."""

import numpy as np


def stable_softmax(scores):
    weights = np.exp(np.asarray(scores, dtype=float))
    return weights / weights.sum(axis=-1, keepdims=True)


def softmax(scores, temperature=1.0):
    return stable_softmax(scores)
'''


def probe(run_python, folder: Path) -> dict[str, str]:
    result = run_python(PROBE.replace("CALLS", repr(list(STUB_CALLS))), folder)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def reference_modules() -> list[Path]:
    return sorted(REFERENCE.glob("*.py"))


# ---------------------------------------------------------------- stubs


def test_stubs_raise_not_implemented_naming_their_demo(run_python):
    outcome = probe(run_python, RELEASED)
    for call, demo in STUB_CALLS.items():
        assert outcome[call].startswith(f"{demo}: "), (call, outcome[call])


def test_every_stub_module_imports_from_the_release(run_python):
    code = ("import importlib, json, pkgutil, memory_attention as p\n"
            "print(json.dumps({m.name: importlib.import_module(f'{p.__name__}.{m.name}').__file__"
            " for m in pkgutil.iter_modules(p.__path__)}))")
    result = run_python(code, RELEASED)
    assert result.returncode == 0, result.stderr
    files = json.loads(result.stdout)
    assert set(files) == {path.stem for path in reference_modules() if path.stem != "__init__"}
    assert all(Path(file).parent == RELEASED / PACKAGE for file in files.values())


def test_a_student_done_with_demos_1_to_3_can_run_them(run_python, tmp_path):
    package = shutil.copytree(RELEASED / PACKAGE, tmp_path / PACKAGE)
    for name in ("encoder", "similarity"):
        shutil.copyfile(REFERENCE / f"{name}.py", package / f"{name}.py")
    # Demo 3 done: stable_softmax's body written in; softmax (Demo 4) still a stub.
    reference_text = (REFERENCE / "softmax.py").read_text(encoding="utf-8")
    demo3 = next(r for r in solution_regions(reference_text) if r.label.startswith("Demo 3:"))
    stub = (package / "softmax.py").read_text(encoding="utf-8")
    raise_line = f'raise NotImplementedError({json.dumps(demo3.label, ensure_ascii=False)})'
    lines = stub.splitlines(keepends=True)
    lines = [("".join(demo3.lines) if line.strip() == raise_line else line) for line in lines]
    assert "".join(lines) != stub
    (package / "softmax.py").write_text("".join(lines), encoding="utf-8")

    outcome = probe(run_python, tmp_path)
    for call, demo in STUB_CALLS.items():
        expected = "ok" if demo in ("Demo 1", "Demo 2", "Demo 3") else f"{demo}: "
        assert outcome[call].startswith(expected), (call, outcome[call])


def test_stubs_change_only_the_solution_regions():
    for path in reference_modules():
        text = path.read_text(encoding="utf-8")
        old, new = text.splitlines(keepends=True), make_stub(text).splitlines(keepends=True)
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        changes = [(old[i1:i2], new[j1:j2])
                   for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]
        regions = solution_regions(text)
        assert len(changes) == len(regions), path.name
        for (removed, added), region in zip(changes, regions, strict=True):
            assert [line.strip() for line in removed] == [
                f"# {region.label}", BEGIN, *(line.strip() for line in region.lines), END]
            todo, statement = added
            assert todo.strip() == f"# TODO {region.label}"
            raised = ast.parse(statement.strip()).body[0].exc
            assert (raised.func.id, raised.args[0].value) == ("NotImplementedError",
                                                              region.label)
            # The raise stands where the region stood, at the same indentation.
            assert statement[: len(statement) - len(statement.lstrip())] == \
                removed[1][: len(removed[1]) - len(removed[1].lstrip())]


def test_released_package_is_the_stubbed_reference():
    for path in sorted(p for p in REFERENCE.rglob("*") if p.is_file()):
        released = RELEASED / PACKAGE / path.relative_to(REFERENCE)
        if path.suffix == ".py":
            text = path.read_text(encoding="utf-8")
            assert released.read_text(encoding="utf-8") == make_stub(text)
            if not solution_regions(text):
                assert released.read_bytes() == path.read_bytes(), path.name
        elif "__pycache__" not in path.parts:
            assert released.read_bytes() == path.read_bytes(), path.name


def test_mini_project_labels_become_todos():
    text = 'def f():\n    # Mini-Project 3: recall "the" word.\n    ### BEGIN SOLUTION\n' \
           '    return 1\n    ### END SOLUTION\n'
    assert make_stub(text) == ('def f():\n    # TODO Mini-Project 3: recall "the" word.\n'
                               '    raise NotImplementedError("Mini-Project 3: recall \\"the\\" '
                               'word.")\n')


@pytest.mark.parametrize(("text", "line", "says"), [
    ("def f():\n    x = 1\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION\n",
     3, "label comment"),
    ("def f():\n    # Demo 1: one.\n    ### BEGIN SOLUTION\n    return 1\n", 3, "not closed"),
    ("def f():\n    return 1\n    ### END SOLUTION\n", 3, "without"),
    ("# Demo 1: one.\n### BEGIN SOLUTION\nX = 1\n### END SOLUTION\n", 2, "module level"),
])
def test_malformed_regions_are_errors_naming_file_and_line(text, line, says):
    with pytest.raises(StubError, match=rf"^bad\.py:{line}: .*{says}"):
        make_stub(text, "bad.py")


# ---------------------------------------------------------------- build, drift, leaks


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> SimpleNamespace:
    """A fresh build, and the nbgrader course root it was generated in (kept for grading)."""
    root = tmp_path_factory.mktemp("build")
    fresh = build_release(root / "fresh", course_root=root / "course")
    return SimpleNamespace(fresh=fresh, course=root / "course")


def test_committed_release_is_a_fresh_build(built):
    assert tree_differences(built.fresh, RELEASED) == [], "run `recallkit release`"


def test_source_with_python_files_is_refused(tmp_path):
    source = shutil.copytree(RELEASED, tmp_path / "source", ignore=shutil.ignore_patterns(PACKAGE))
    (source / "helper.py").write_text("ANSWER = 42\n")
    with pytest.raises(ReleaseError, match=r"notebooks only.*helper\.py"):
        build_release(tmp_path / "out", source=source)
    assert not (tmp_path / "out").exists()


def test_release_has_no_leaks():
    assert [str(leak) for leak in find_leaks(RELEASED)] == []


# No notebook holds hidden tests any more (the suites grade the modules once).
@pytest.mark.parametrize("origin", ["reference solution", "notebook solution", "model answer",
                                    "autograder test"])
def test_leak_check_finds_a_planted_secret(tmp_path, origin):
    secret = next(line for line, where in secret_lines().items() if where.startswith(origin))
    copy = shutil.copytree(RELEASED, tmp_path / ASSIGNMENT)
    target = copy / PACKAGE / "softmax.py"
    number = len(target.read_text(encoding="utf-8").splitlines()) + 1
    with target.open("a", encoding="utf-8") as file:
        file.write(f"    {secret}\n")
    leaks = find_leaks(copy)
    assert {(leak.file, leak.where) for leak in leaks} == {(Path(PACKAGE, "softmax.py"),
                                                            f"line {number}")}
    assert secret in {leak.text for leak in leaks}


def test_leak_check_finds_markers_and_instructor_paths_in_notebooks(tmp_path):
    copy = shutil.copytree(RELEASED, tmp_path / ASSIGNMENT)
    path = sorted(copy.glob("*.ipynb"))[0]
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(
        "x = 1\n### BEGIN HIDDEN TESTS\nsys.path.insert(0, '/work/main/solutions')"))
    nbformat.write(notebook, path)
    leaks = {(leak.file.name, leak.where, leak.origin) for leak in find_leaks(copy)}
    cell = len(notebook.cells)
    assert leaks == {(path.name, f"cell {cell}, line 2", "nbgrader marker"),
                     (path.name, f"cell {cell}, line 3", "instructor path")}


# ---------------------------------------------------------------- student environment


def _top_level_imports(code: str) -> set[str]:
    # Notebook magics (%matplotlib, !pip) are not Python.
    tree = ast.parse("\n".join(line for line in code.splitlines()
                               if not line.lstrip().startswith(("%", "!"))))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _installed_closure(names: set[str]) -> set[str]:
    """The distributions ``names`` bring along when installed (their requirements, recursively)."""
    seen, todo = set(), list(names)
    while todo:
        name = canonicalize_name(todo.pop())
        if name in seen:
            continue
        seen.add(name)
        try:
            wanted = [Requirement(text) for text in requires(name) or []]
        except PackageNotFoundError:
            continue
        todo += [r.name for r in wanted if r.marker is None or r.marker.evaluate({"extra": ""})]
    return seen


def test_requirements_match_the_lock_and_cover_every_import():
    lines = (RELEASED / "requirements.txt").read_text(encoding="utf-8").splitlines()
    wanted = [Requirement(line) for line in lines if line and not line.startswith("#")]
    names = {canonicalize_name(r.name) for r in wanted}
    assert {"numpy", "matplotlib"} <= names and not names & {"nbgrader", "recallkit"}
    pins = lock_pins()
    for requirement in wanted:
        assert pins[canonicalize_name(requirement.name)] in requirement.specifier, requirement

    code = [path.read_text(encoding="utf-8") for path in (RELEASED / PACKAGE).rglob("*.py")]
    for path in RELEASED.glob("*.ipynb"):
        notebook = nbformat.read(path, as_version=4)
        code += [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    imported = set().union(*map(_top_level_imports, code)) - set(sys.stdlib_module_names)
    provided = _installed_closure(names)
    distributions = packages_distributions()
    missing = {module for module in imported - {PACKAGE}
               if not {canonicalize_name(d) for d in distributions.get(module, [])} & provided}
    assert missing == set(), "requirements.txt does not provide these imports"


# ---------------------------------------------------------------- notebooks as released


def test_release_notebooks_fail_only_where_work_is_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    folder = shutil.copytree(RELEASED, tmp_path / ASSIGNMENT)
    notebooks = {path.name: nbformat.read(path, as_version=4)
                 for path in sorted(folder.glob("*.ipynb"))}

    async def run_all() -> None:
        # One kernel per notebook, all at once: the kernels' start-up dominates.
        await asyncio.gather(*(
            NotebookClient(notebook, kernel_name="python3", allow_errors=True, timeout=120,
                           resources={"metadata": {"path": str(folder)}}).async_execute()
            for notebook in notebooks.values()))

    asyncio.run(run_all())
    errors = [(name, cell.id, output.ename, output.evalue)
              for name, notebook in notebooks.items() for cell in notebook.cells
              for output in cell.get("outputs", []) if output.output_type == "error"]
    assert [error for error in errors if error[2] != "NotImplementedError"] == []
    # Every notebook asks for work, so every notebook stops somewhere (the modules
    # notebook asks for none: the module suites fill it in at autograding).
    assert {error[0] for error in errors} == set(notebooks) - {f"{MODULES_NOTEBOOK}.ipynb"}


# ---------------------------------------------------------------- autograding with nbgrader


def _warning_encoder() -> str:
    text = (REFERENCE / "encoder.py").read_text(encoding="utf-8")
    anchor = "        rng = np.random.default_rng(word_seed(word, self.dim, self.seed))\n"
    assert anchor in text
    # A new message on every call, so Python's warning filter never hides a repeat.
    warn = '        warnings.warn(f"harmless {next(_calls)}", UserWarning)\n'
    return ("import itertools\nimport warnings\n_calls = itertools.count()\n"
            + text.replace(anchor, warn + anchor, 1))


def _student_notebook(released: Path, source: Path) -> nbformat.NotebookNode:
    """The released notebook with every code answer filled in from the source notebook."""
    notebook = nbformat.read(released, as_version=4)
    answers = {cell.metadata.nbgrader["grade_id"]: cell.source
               for cell in nbformat.read(source, as_version=4).cells
               if cell.metadata.get("nbgrader", {}).get("solution")}
    for cell in notebook.cells:
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = answers[cell.metadata.nbgrader["grade_id"]]
    return notebook


def _submit(built: SimpleNamespace, student: str, modules: dict[str, str],
            notebooks: str = "") -> Path:
    """A submission: release notebooks (those named ``notebooks*``) with their answers
    filled in, and the stub package with the graded modules done (``modules`` overrides)."""
    folder = built.course / "submitted" / student / ASSIGNMENT
    shutil.copytree(built.fresh, folder)
    for path in sorted(folder.glob("*.ipynb")):
        if not path.name.startswith(notebooks):
            path.unlink()
            continue
        notebook = _student_notebook(path, built.course / "source" / ASSIGNMENT / path.name)
        nbformat.write(notebook, path)
    for name in GRADED_MODULES:
        if (REFERENCE / f"{name}.py").exists():
            shutil.copyfile(REFERENCE / f"{name}.py", folder / PACKAGE / f"{name}.py")
    for name, text in modules.items():
        (folder / PACKAGE / f"{name}.py").write_text(text, encoding="utf-8")
    return folder


def _code_scores(course: Path) -> dict[str, dict[str, tuple[float, float]]]:
    """student -> notebook -> (autograded score, its maximum), read from the gradebook."""
    from nbgrader.api import Gradebook  # slow to import: only the grading tests need it

    config = Config()
    configure(config)
    url = f"sqlite:///{course / 'gradebook.db'}"
    with Gradebook(url, course_id=config.CourseDirectory.course_id) as gradebook:
        return {submission.student_id: {notebook.name: (notebook.code_score,
                                                        notebook.max_code_score)
                                        for notebook in submission.notebooks}
                for submission in gradebook.assignment_submissions(ASSIGNMENT)}


@pytest.fixture(scope="module")
def graded(built) -> SimpleNamespace:
    """Autograded by nbgrader in the course the release was generated in: alice (the
    reference modules, every notebook); bob (a wrong softmax, the encoder still a stub),
    carol (alice's modules, but her encoder warns) and dan (alice's modules, Demo 3's loop
    scoring the memories in the wrong order), who hand in only Demo 3's notebook."""
    # The master modules lie in source/ too: autograde must grade the students' own files.
    shutil.copytree(REFERENCE, built.course / "source" / ASSIGNMENT / PACKAGE,
                    ignore=shutil.ignore_patterns("__pycache__"))
    _submit(built, "alice", {})
    stub_encoder = (built.fresh / PACKAGE / "encoder.py").read_text(encoding="utf-8")
    _submit(built, "bob", {"softmax": WRONG_SOFTMAX, "encoder": stub_encoder}, SCORES_NOTEBOOK)
    _submit(built, "carol", {"encoder": _warning_encoder()}, SCORES_NOTEBOOK)
    dan = next(_submit(built, "dan", {}, SCORES_NOTEBOOK).glob(f"{SCORES_NOTEBOOK}*.ipynb"))
    dan.write_text(dan.read_text(encoding="utf-8").replace(
        "cue @ enc.encode(word) for word in memories]",
        "cue @ enc.encode(word) for word in reversed(memories)]"), encoding="utf-8")
    # Control, in a copy of the course: without IgnorePattern the warnings cost carol points.
    control = shutil.copytree(built.course, built.course.with_name("control"))
    for student in ("alice", "bob", "dan"):
        shutil.rmtree(control / "submitted" / student)
    with ThreadPoolExecutor() as pool:  # two nbgrader processes at once
        runs = [pool.submit(run_nbgrader, built.course, "autograde", ASSIGNMENT),
                pool.submit(run_nbgrader, control, "autograde", ASSIGNMENT,
                            "--IgnorePattern.enabled=False")]
        for run in runs:
            run.result()
    scores = _code_scores(built.course)
    unfiltered = _code_scores(control)["carol"]
    notebook = next(name for name in scores["alice"] if name.startswith(SCORES_NOTEBOOK))
    return SimpleNamespace(scores=scores, carol_unfiltered=unfiltered, notebook=notebook,
                           course=built.course)


def test_notebook_points_never_charge_a_module_bug_again(graded):
    alice = graded.scores["alice"]
    assert len(alice) == len(list(RELEASED.glob("*.ipynb")))
    assert all(score == maximum for score, maximum in alice.values()), alice
    assert alice[graded.notebook][1] > 0
    # bob's stub encoder and wrong softmax cost him in the module suites only.
    assert graded.scores["bob"][graded.notebook] == alice[graded.notebook]


def test_the_graded_run_is_smaller_says_so_and_grades_as_before(graded):
    """nbgrader autograde sets NBGRADER_EXECUTION: the sized cells run smaller and say so,
    every notebook still runs top to bottom, and the grade cells score as in a full run."""
    autograded = graded.course / "autograded" / "alice" / ASSIGNMENT
    sized = {}
    for path in sorted(autograded.glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            outputs = cell.get("outputs", [])
            assert not [out for out in outputs if out.output_type == "error"], (path, cell.id)
            if "= sizing.for_grading(" in cell.source:
                sized[cell.id] = "".join(out.get("text", "") for out in outputs)
    assert len(sized) == 7  # the loop timing of Demo 5 and six Mini-Project experiments
    for cell, text in sized.items():
        assert "Graded run: nbgrader ran this cell with smaller sizes" in text, cell
    assert "seeds (0, 1, 2) instead of (0, 1, 2, 3, 4)" in sized["mp3-run"]
    # The graded loop: full marks for the reference, none for memories scored out of order.
    score, maximum = graded.scores["alice"][graded.notebook]
    assert score == maximum > 0 and graded.scores["dan"][graded.notebook] == (0.0, maximum)


def test_autograde_keeps_the_students_own_modules(graded):
    autograded = graded.course / "autograded" / "bob" / ASSIGNMENT / PACKAGE / "softmax.py"
    assert autograded.read_text(encoding="utf-8") == WRONG_SOFTMAX


def test_a_harmless_warning_costs_nothing(graded):
    alice, carol = graded.scores["alice"], graded.scores["carol"]
    assert carol[graded.notebook] == alice[graded.notebook]
    assert graded.carol_unfiltered[graded.notebook][0] < alice[graded.notebook][0]
