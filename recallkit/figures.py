"""``recallkit figures``: run the Mini-Project 3 reference experiments and save their figures.

The figures are the ones the notebook 06_cued_recall shows, drawn by the
reference package in solutions/ (``memory_attention.recall`` runs the model,
``memory_attention.recall_plots`` draws it), written as PNG files. Every
figure uses the default cue validity and averages over ``SEEDS`` (simulated
participants), with ±1 SE over seeds; none picks a favourable seed.
"""

import argparse
from pathlib import Path

from recallkit.grading.reference import reference

DEFAULT_OUT = Path("build/figures")
SEEDS = (0, 1, 2, 3, 4)
# Trials per run: enough for small error bars, few enough for the set to take seconds.
N_TRIALS = 900
N_SWEEP = 450
TEMPERATURES = (0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 3.0)
INTERVALS_MS = (0, 100, 200, 400, 800)
VALIDITIES = (0.125, 0.3, 0.5, 0.8, 0.95)
MATCHES = (0.0, 0.25, 0.5, 0.75, 1.0)


def write_figures(out_dir: Path) -> list[Path]:
    """Run the reference experiments and write the six Mini-Project 3 figures.

    Args:
        out_dir: the folder to write to (created if missing).

    Returns:
        the written PNG paths: conditions, weight profiles, RT distributions,
        temperature, time course and validity, cue match.
    """
    import matplotlib

    matplotlib.use("Agg")  # files only: no display needed
    import matplotlib.pyplot as plt

    recall, plots = reference().recall, reference().recall_plots
    params = recall.Params()

    def posner(seed: int, **kwargs) -> list:
        return recall.run_posner(kwargs.pop("n_trials", N_TRIALS), seed=seed, **kwargs)

    def effects(**kwargs) -> list:
        return [recall.cueing_effects(recall.summarise(
            posner(s, n_trials=N_SWEEP, balanced=True, **kwargs))) for s in SEEDS]

    trials = {seed: posner(seed) for seed in SEEDS}
    figures = {
        "conditions": lambda: plots.plot_conditions(
            [recall.summarise(trials[s]) for s in SEEDS],
            [recall.summarise(recall.run_encoding(N_TRIALS, seed=s)) for s in SEEDS],
            params.p_valid),
        "weight_profiles": lambda: plots.plot_weight_profiles(
            [recall.weight_profiles(trials[s]) for s in SEEDS]),
        "rt_distributions": lambda: plots.plot_rt_distributions(trials[SEEDS[0]]),
        "temperature": lambda: plots.plot_temperature(
            TEMPERATURES, [[recall.summarise(posner(s, n_trials=N_SWEEP, temperature=t))
                            for s in SEEDS] for t in TEMPERATURES], params.list_length),
        "time_and_validity": lambda: plots.plot_time_and_validity(
            INTERVALS_MS, [effects(interval_ms=i) for i in INTERVALS_MS],
            VALIDITIES, [effects(p_valid=p) for p in VALIDITIES]),
        "cue_match": lambda: plots.plot_match_curve(
            [recall.summarise(recall.run_match(MATCHES, N_SWEEP // 3, seed=s), by="match")
             for s in SEEDS], params.list_length),
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
