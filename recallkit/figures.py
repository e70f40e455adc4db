"""``recallkit figures``: run the Mini-Project 3 reference experiments and save their figures.

The figures are the ones the notebook 06_cued_recall shows, drawn by the
reference package in solutions/ (``memory_attention.recall`` runs the model,
``memory_attention.recall_plots`` draws it), written as PNG files.
"""

import argparse
from pathlib import Path

from recallkit.grading.reference import reference

DEFAULT_OUT = Path("build/figures")
SEED = 0
# Trials per condition or level: enough for small error bars, few enough for
# the whole set to take seconds.
N_TRIALS = 1500
N_SWEEP = 600
TEMPERATURES = (0.005, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 3.0)
INTERVALS_MS = (0, 100, 200, 400, 800)
MATCHES = (0.0, 0.25, 0.5, 0.75, 1.0)


def write_figures(out_dir: Path) -> list[Path]:
    """Run the reference experiments and write the five Mini-Project 3 figures.

    Args:
        out_dir: the folder to write to (created if missing).

    Returns:
        the written PNG paths: accuracy and RT by condition, attention weights
        on a valid and an invalid trial, accuracy against temperature, recall
        against cue–context match, cueing effect against the cue–target interval.
    """
    import matplotlib

    matplotlib.use("Agg")  # files only: no display needed
    import matplotlib.pyplot as plt

    recall, plots = reference().recall, reference().recall_plots
    encoding = recall.summarise(recall.run_encoding_experiment(N_TRIALS, seed=SEED))
    figures = {
        "conditions": lambda: plots.plot_by_condition({
            "Posner cueing (80 % valid)": recall.summarise(recall.run_experiment(N_TRIALS,
                                                                                 seed=SEED)),
            "Encoding specificity": encoding,
        }),
        "attention_weights": lambda: plots.plot_attention_weights(
            *recall.example_trials(seed=SEED)),
        "temperature": lambda: plots.plot_temperature(
            TEMPERATURES, recall.sweep("temperature", TEMPERATURES, n_trials=N_SWEEP,
                                       seed=SEED), recall.Params().list_length),
        "cue_match": lambda: plots.plot_match_curve(
            recall.summarise(recall.run_match_experiment(MATCHES, N_SWEEP // 2, seed=SEED),
                             by="match"),
            {condition: encoding[condition] for condition in ("none", "associate")}),
        "interval": lambda: plots.plot_interval(
            INTERVALS_MS, [recall.cueing_effects(summary) for summary in recall.sweep(
                "interval_ms", INTERVALS_MS, n_trials=N_TRIALS, p_valid=0.5, seed=SEED)]),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for number, (name, draw) in enumerate(figures.items(), 1):
        figure = draw()
        path = out_dir / f"mp3_{number}_{name}.png"
        figure.savefig(path, dpi=110)
        plt.close(figure)
        written.append(path)
    return written


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``figures`` options to its subcommand parser."""
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="DIR",
                        help=f"folder for the PNG files (default: {DEFAULT_OUT})")


def run(args: argparse.Namespace) -> int:
    """Write the figures and print their paths; returns the exit status."""
    for path in write_figures(args.out):
        print(path)
    return 0
