"""Mini-Project 3: the source notebook runs on the reference, and the figures are readable."""

import os
import shutil
from pathlib import Path
from types import ModuleType

import matplotlib
import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

from recallkit.authoring import nb_06_cued_recall
from recallkit.authoring.build import render
from recallkit.paths import ASSIGNMENT, PACKAGE, SOLUTIONS, SOURCE

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 (after choosing the backend)

NOTEBOOK = SOURCE / ASSIGNMENT / nb_06_cued_recall.FILENAME


def _labelled(figure: plt.Figure) -> None:
    """Every panel of ``figure`` has an x and a y label, or shares its axis with one that does."""
    assert figure.axes, "the figure has no axes"
    for ax in figure.axes:
        for axis in ("x", "y"):
            # Siblings include the panel itself; panels sharing an axis may label it once.
            siblings = getattr(ax, f"get_shared_{axis}_axes")().get_siblings(ax)
            labels = [getattr(other, f"get_{axis}label")() for other in siblings]
            assert any(labels), f"panel {ax.get_title()!r} has no {axis} label"


def test_committed_notebook_is_built_from_its_authoring_script() -> None:
    assert NOTEBOOK.read_text(encoding="utf-8") == render(nb_06_cued_recall)


def test_notebook_runs_without_errors_on_the_reference(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(NOTEBOOK, tmp_path)
    shutil.copytree(SOLUTIONS / PACKAGE, tmp_path / PACKAGE,
                    ignore=shutil.ignore_patterns("__pycache__"))
    # The kernel must import the copy next to the notebook, and draw without a display.
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(tmp_path / NOTEBOOK.name, as_version=4)
    NotebookClient(nb, kernel_name="python3", timeout=120,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs]
    assert not [out for out in outputs if out.output_type == "error"]
    check = next(c for c in nb.cells if c.metadata["nbgrader"]["grade_id"] == "mp3_check")
    assert "".join(out.get("text", "") for out in check.outputs).count("✓") == 5
    images = [out for out in outputs if "image/png" in out.get("data", {})]
    assert len(images) == 5, "one figure per experiment"
    # No stderr output: nbgrader would score a test cell with stderr as failed.
    assert not [out for out in outputs if out.get("name") == "stderr"]


def test_notebook_has_graded_cells_worth_eleven_points() -> None:
    nb = nbformat.reads(render(nb_06_cued_recall), as_version=4)
    meta = [cell.metadata["nbgrader"] for cell in nb.cells]
    assert all(m["grade_id"].startswith("mp3_") for m in meta)
    assert len({m["grade_id"] for m in meta}) == len(meta)
    graded = {m["grade_id"]: m["points"] for m in meta if m["grade"]}
    assert graded["mp3_check"] == 2 and graded["mp3_hidden"] == 3
    answers = [m for m in meta if m["grade"] and m["solution"]]
    assert len(answers) == 3 and all(m["points"] == 2 for m in answers)
    hidden = next(c for c in nb.cells if c.metadata["nbgrader"]["grade_id"] == "mp3_hidden")
    assert "### BEGIN HIDDEN TESTS" in hidden.source and "### END HIDDEN TESTS" in hidden.source


def test_write_figures_writes_five_pngs(tmp_path: Path, reference) -> None:
    from recallkit.figures import write_figures

    paths = write_figures(tmp_path / "figures")
    assert len(paths) == 5
    for path in paths:
        assert path.parent == tmp_path / "figures" and path.suffix == ".png"
        data = path.read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 10_000, path


def test_figures_command_prints_the_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    from recallkit import cli, figures

    written = [tmp_path / "a.png", tmp_path / "b.png"]
    calls = []
    monkeypatch.setattr(figures, "write_figures", lambda out: calls.append(out) or written)
    assert cli.main(["figures", "--out", str(tmp_path)]) == 0
    assert calls == [tmp_path]
    assert capsys.readouterr().out.split() == [str(p) for p in written]


@pytest.fixture(scope="module")
def results(reference) -> dict:
    """Small runs of each experiment, enough to draw every figure."""
    recall = reference.recall
    posner = recall.summarise(recall.run_experiment(n_trials=120, seed=0))
    encoding = recall.summarise(recall.run_encoding_experiment(n_trials=90, seed=0))
    temperatures = [0.01, 1.0]
    return {
        "posner": posner,
        "encoding": encoding,
        "temperatures": temperatures,
        "by_temperature": recall.sweep("temperature", temperatures, n_trials=90, seed=0),
        "by_match": recall.summarise(recall.run_match_experiment((0.0, 1.0), 40, seed=0),
                                     by="match"),
        "examples": recall.example_trials(seed=0),
        "effects": [recall.cueing_effects(recall.summarise(recall.run_experiment(
            n_trials=120, interval_ms=i, seed=0))) for i in (0, 500)],
    }


def _figures(plots: ModuleType, results: dict, n: int) -> dict:
    return {
        "by condition": plots.plot_by_condition({"Posner": results["posner"],
                                                 "Encoding": results["encoding"]}),
        "weights": plots.plot_attention_weights(*results["examples"]),
        "temperature": plots.plot_temperature(results["temperatures"],
                                              results["by_temperature"], n),
        "match": plots.plot_match_curve(results["by_match"],
                                        {"none": results["encoding"]["none"]}),
        "interval": plots.plot_interval([0, 500], results["effects"]),
    }


def test_every_figure_is_labelled_with_units_and_legends(reference, results: dict) -> None:
    figures = _figures(reference.recall_plots, results, reference.recall.Params().list_length)
    try:
        for name, figure in figures.items():
            assert isinstance(figure, plt.Figure), name
            _labelled(figure)
            labels = " ".join(ax.get_xlabel() + " " + ax.get_ylabel() for ax in figure.axes)
            if name != "weights":  # the weights panels name words, not a quantity with a unit
                assert "(" in labels and ")" in labels, f"{name}: no units in {labels!r}"
            if name in ("weights", "temperature", "match", "interval"):
                assert any(ax.get_legend() for ax in figure.axes), f"{name} has no legend"
        ylabels = [ax.get_ylabel() for ax in figures["by condition"].axes]
        assert ylabels.count("mean RT (ms)") == ylabels.count("accuracy (% correct)") == 2
    finally:
        for figure in figures.values():
            plt.close(figure)


def test_weights_figure_marks_target_and_cued_memory(reference, results: dict) -> None:
    valid, invalid = results["examples"]
    figure = reference.recall_plots.plot_attention_weights(valid, invalid)
    try:
        left, right = figure.axes[:2]
        heights = [bar.get_height() for bar in right.patches]
        assert np.allclose(heights, invalid["weights"])
        cued = right.patches[invalid["cued"]]
        assert cued.get_linewidth() > 1, "the cued memory is outlined"
        assert [t.get_text() for t in left.get_xticklabels()] == list(valid["study"])
    finally:
        plt.close(figure)


def test_plots_module_ships_without_instructor_dependencies() -> None:
    text = (SOLUTIONS / PACKAGE / "recall_plots.py").read_text(encoding="utf-8")
    for forbidden in ("scipy", "recallkit", "nbgrader", "BEGIN SOLUTION"):
        assert forbidden not in text
    assert os.sep + "work" not in text
