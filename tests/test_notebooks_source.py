"""The source notebooks of demos 1-5 run cleanly against the reference solutions.

Each notebook is executed by a real Python 3 kernel in a temporary folder that
holds the notebook and a copy of ``solutions/memory_attention/``, as a
student's folder would. No cell may raise, and every nbgrader test cell must
have run without an error output.
"""

import importlib
import os
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from recallkit.authoring import build
from recallkit.paths import ASSIGNMENT, PACKAGE, SOLUTIONS, SOURCE

# Only demos 1-5: other notebooks' scripts are imported (and tested) elsewhere.
DEMO_SCRIPTS = ("nb_01_encoder", "nb_02_similarity", "nb_03_softmax", "nb_04_temperature",
                "nb_05_attention")
MODULES = {module.FILENAME: module for module in
           (importlib.import_module(f"recallkit.authoring.{name}") for name in DEMO_SCRIPTS)}
DEMO_NOTEBOOKS = tuple(MODULES)
CELL_TIMEOUT = 120


def _is_test_cell(cell: nbformat.NotebookNode) -> bool:
    meta = cell.metadata.get("nbgrader", {})
    return bool(meta.get("grade")) and not meta.get("solution")


@pytest.mark.parametrize("filename", DEMO_NOTEBOOKS)
def test_source_notebook_is_built_from_its_script(filename: str) -> None:
    path = SOURCE / ASSIGNMENT / filename
    assert path.read_text(encoding="utf-8") == build.render(MODULES[filename]), (
        f"{path} differs from its authoring script: run recallkit.authoring.build.build_source()")


@pytest.mark.parametrize("filename", DEMO_NOTEBOOKS)
def test_source_notebook_runs(filename: str, tmp_path: Path) -> None:
    shutil.copytree(SOLUTIONS / PACKAGE, tmp_path / PACKAGE,
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(SOURCE / ASSIGNMENT / filename, tmp_path / filename)
    nb = nbformat.read(tmp_path / filename, as_version=4)
    client = NotebookClient(nb, kernel_name="python3", timeout=CELL_TIMEOUT,
                            resources={"metadata": {"path": str(tmp_path)}})
    # A failing cell raises CellExecutionError, which names the cell and shows its traceback.
    client.execute(env={**os.environ, "MPLBACKEND": "Agg"})

    # Most demos' notebooks hold no autograded cell: their modules are graded by the suites.
    for cell in [cell for cell in nb.cells if _is_test_cell(cell)]:
        errors = [out for out in cell.outputs if out.output_type == "error"]
        assert not errors, f"test cell {cell.metadata.nbgrader.grade_id} failed: {errors}"


def test_grade_ids_are_unique_across_the_demos() -> None:
    ids = [cell.metadata.nbgrader.grade_id
           for filename in DEMO_NOTEBOOKS for cell in MODULES[filename].cells()]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
