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
    outputs = {c.metadata["nbgrader"]["grade_id"]: c.outputs for c in nb.cells
               if c.cell_type == "code"}
    flat = [out for cell_outputs in outputs.values() for out in cell_outputs]
    assert not [out for out in flat if out.output_type == "error"]
    text = {cell: "".join(out.get("text", "") for out in outs) for cell, outs in outputs.items()}
    assert text["mp3_check"].count("✓") == 9 and "✗" not in text["mp3_check"]
    assert text["mp3_break_check"].count("✓") == 2
    images = [out for out in flat if "image/png" in out.get("data", {})]
    assert len(images) == 7, "one figure per experiment, and the student's"
    # No stderr output: nbgrader would score a test cell with stderr as failed.
    assert not [out for out in flat if out.get("name") == "stderr"]
    # The corrected claims are the ones the notebook prints and states.
    assert "temperature from 0.07 to 0.13" in text["mp3_params"]
    assert "closed-form rule -" in text["mp3_rt"]  # the old rule is left-skewed somewhere
    source = "\n".join(cell.source for cell in nb.cells)
    for corrected in ("inhibition of return", "retro-cue", "What this model cannot do",
                      "Roediger & Payne (1983)", "loosely inspired by the\nHick–Hyman law"):
        assert corrected in source, corrected
    for contradicted in ("the longer the interval between\ncue and target, the larger",
                         "no cue at all (free recall)", "is the Hick–Hyman law",
                         "Thomson & Tulving (1970) found just that"):
        assert contradicted not in source, contradicted


def test_sizes_are_full_for_the_student_and_smaller_and_said_when_graded(
    reference, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    sizes = {"seeds": ((0, 1, 2, 3, 4), (0, 1, 2)), "posner_trials": (900, 300)}
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    full = reference.sizing.for_grading(**sizes)
    assert (full.seeds, full.posner_trials) == ((0, 1, 2, 3, 4), 900)
    assert capsys.readouterr().out == ""
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")  # as nbgrader autograde sets it
    graded = reference.sizing.for_grading(**sizes)
    assert (graded.seeds, graded.posner_trials) == ((0, 1, 2), 300)
    said = capsys.readouterr().out
    assert said.startswith("Graded run: nbgrader ran this cell with smaller sizes")
    assert "seeds (0, 1, 2) instead of (0, 1, 2, 3, 4), posner trials 300 instead of 900" in said


def test_notebook_grades_only_the_written_answers() -> None:
    """The module is graded once, by the hidden suite; the notebook's checks are aids."""
    nb = nbformat.reads(render(nb_06_cued_recall), as_version=4)
    meta = [cell.metadata["nbgrader"] for cell in nb.cells]
    assert all(m["grade_id"].startswith("mp3_") for m in meta)
    assert len({m["grade_id"] for m in meta}) == len(meta)
    graded = [m for m in meta if m["grade"]]
    assert all(m["solution"] for m in graded), "only hand-graded answers carry points"
    assert len(graded) == 6 and sum(m["points"] for m in graded) == 12
    assert "BEGIN HIDDEN TESTS" not in render(nb_06_cued_recall)


def test_write_figures_writes_six_pngs(tmp_path: Path, reference, monkeypatch) -> None:
    from recallkit import figures

    monkeypatch.setattr(figures, "SEEDS", (0, 1))  # fewer participants: the same figures
    monkeypatch.setattr(figures, "N_TRIALS", 300)
    monkeypatch.setattr(figures, "N_SWEEP", 150)
    paths = figures.write_figures(tmp_path / "figures")
    assert len(paths) == 6
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
    """Small runs of each experiment over two seeds, enough to draw every figure."""
    recall = reference.recall
    seeds = (0, 1)
    posner = {s: recall.run_posner(150, seed=s) for s in seeds}
    return {
        "posner": [recall.summarise(posner[s]) for s in seeds],
        "encoding": [recall.summarise(recall.run_encoding(120, seed=s)) for s in seeds],
        "profiles": [recall.weight_profiles(posner[s]) for s in seeds],
        "trials": posner[0],
        "temperatures": [0.05, 1.0],
        "by_temperature": [[recall.summarise(recall.run_posner(90, seed=s, temperature=t))
                            for s in seeds] for t in (0.05, 1.0)],
        "effects": [[recall.cueing_effects(recall.summarise(recall.run_posner(
            90, seed=s, balanced=True, interval_ms=i))) for s in seeds] for i in (0, 500)],
        "by_match": [recall.summarise(recall.run_match((0.0, 1.0), 40, seed=s), by="match")
                     for s in seeds],
    }


def _figures(plots: ModuleType, results: dict, n: int) -> dict:
    return {
        "conditions": plots.plot_conditions(results["posner"], results["encoding"], 0.8),
        "weights": plots.plot_weight_profiles(results["profiles"]),
        "rt": plots.plot_rt_distributions(results["trials"]),
        "temperature": plots.plot_temperature(results["temperatures"],
                                              results["by_temperature"], n),
        "time": plots.plot_time_and_validity([0, 500], results["effects"], [0.5, 0.8],
                                             results["effects"]),
        "match": plots.plot_match_curve(results["by_match"], n),
        "experiment": plots.plot_seed_means({"a": [1.0, 2.0], "b": [2.0, 3.0]},
                                            "mean correct RT (ms)", "A test"),
    }


def test_every_figure_is_labelled_with_units_legends_and_seeds(reference, results) -> None:
    figures = _figures(reference.recall_plots, results, reference.recall.Params().list_length)
    try:
        for name, figure in figures.items():
            assert isinstance(figure, plt.Figure), name
            _labelled(figure)
            labels = " ".join(ax.get_xlabel() + " " + ax.get_ylabel() for ax in figure.axes)
            assert "(" in labels and ")" in labels, f"{name}: no units in {labels!r}"
            if name not in ("experiment",):
                assert any(ax.get_legend() for ax in figure.axes) or name == "conditions" \
                    and figure.axes[1].get_legend(), f"{name} has no legend"
            titles = " ".join([figure.get_suptitle()] + [ax.get_title() for ax in figure.axes])
            if name != "rt":  # one seed, said in its title
                assert "over 2 seeds" in titles, f"{name}: error bars not said to be over seeds"
        ylabels = [ax.get_ylabel() for ax in figures["conditions"].axes]
        assert ylabels.count("mean correct RT (ms)") == ylabels.count("accuracy (% correct)") == 2
    finally:
        for figure in figures.values():
            plt.close(figure)


def test_weight_profiles_figure_draws_the_mean_weights(reference, results) -> None:
    figure = reference.recall_plots.plot_weight_profiles(results["profiles"])
    try:
        bars = figure.axes[0].patches
        target = [bar.get_height() for bar in bars[:3]]
        expected = [np.mean([run[c]["target"] for run in results["profiles"]])
                    for c in ("valid", "neutral", "invalid")]
        assert np.allclose(target, expected)
        assert target[0] > target[1] > target[2], "valid > neutral > invalid on the target"
    finally:
        plt.close(figure)


def test_plots_module_ships_without_instructor_dependencies() -> None:
    text = (SOLUTIONS / PACKAGE / "recall_plots.py").read_text(encoding="utf-8")
    for forbidden in ("scipy", "recallkit", "nbgrader", "BEGIN SOLUTION"):
        assert forbidden not in text
    assert os.sep + "work" not in text


def test_release_notebook_stops_only_at_mini_project_3_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A student done with Demos 1-5 runs the released notebook 06 top to bottom: every
    error is a NotImplementedError naming the Mini-Project, and the cells that need no
    student work run."""
    from recallkit.paths import RELEASE

    folder = shutil.copytree(RELEASE / ASSIGNMENT, tmp_path / ASSIGNMENT)
    for module in ("encoder", "similarity", "softmax", "attention"):
        shutil.copy(SOLUTIONS / PACKAGE / f"{module}.py", folder / PACKAGE / f"{module}.py")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(folder / NOTEBOOK.name, as_version=4)
    NotebookClient(nb, kernel_name="python3", timeout=120, allow_errors=True,
                   resources={"metadata": {"path": str(folder)}}).execute()
    errors = {cell.metadata["nbgrader"]["grade_id"]: out for cell in nb.cells
              if cell.cell_type == "code" for out in cell.outputs if out.output_type == "error"}
    assert "mp3_check" in errors and "mp3_experiment" in errors
    for cell, error in errors.items():
        assert error.ename == "NotImplementedError", (cell, error.ename, error.evalue)
        assert error.evalue.startswith("Mini-Project 3: "), (cell, error.evalue)
    assert {"mp3_setup", "mp3_params", "mp3_data"}.isdisjoint(errors)
