"""Plotting helpers for Mini-Project 3 (cued recall); none of them runs the model.

Each helper takes results that ``memory_attention.recall`` has already
computed, usually one result per seed (a seed is one simulated participant),
and returns a matplotlib Figure. Points are means over seeds and error bars
±1 standard error over seeds; accuracies are in percent, response times in
milliseconds, and RTs are those of correct answers unless a label says otherwise.
"""

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

LABELS = {
    "valid": "valid cue",
    "neutral": "neutral cue",
    "invalid": "invalid cue",
    "paired/context": "studied paired, study-context cue",
    "paired/associate": "studied paired, extra-list associate",
    "alone/context": "studied alone, context cue",
    "alone/associate": "studied alone, extra-list associate",
}
COLORS = {"valid": "tab:green", "neutral": "tab:gray", "invalid": "tab:red",
          "context": "tab:green", "associate": "tab:purple"}
ROLE_COLORS = {"target": "tab:orange", "cued": "tab:red", "other": "lightgray"}


def _mean_se(values: Sequence[float]) -> tuple[float, float]:
    """Mean and standard error over seeds (0 for a single seed)."""
    x = np.asarray(values, dtype=float)
    return float(x.mean()), float(x.std(ddof=1) / np.sqrt(len(x))) if len(x) > 1 else 0.0


def _seeds(runs: Sequence) -> str:
    return f"mean ± 1 SE over {len(runs)} seeds"


def plot_conditions(
    posner_runs: Sequence[Mapping[str, Mapping]], encoding_runs: Sequence[Mapping[str, Mapping]],
    p_valid: float,
) -> Figure:
    """Accuracy and correct RT in the cueing task and in the 2 × 2 encoding design.

    Args:
        posner_runs: ``summarise`` results of ``run_posner``, one per seed.
        encoding_runs: ``summarise`` results of ``run_encoding``, one per seed.
        p_valid: the cue validity of the cueing runs (shown in the title).

    Returns:
        The figure: top row accuracy (%), bottom row mean correct RT (ms).
    """
    fig, axes = plt.subplots(2, 2, figsize=(10, 7), sharex="col", layout="constrained")
    conditions = ["valid", "neutral", "invalid"]
    xs = np.arange(len(conditions))
    colors = [COLORS[c] for c in conditions]
    for row, (key, scale) in enumerate((("accuracy", 100), ("rt_ms", 1))):
        stats = [_mean_se([scale * run[c][key] for run in posner_runs]) for c in conditions]
        axes[row][0].bar(xs, [m for m, _ in stats], yerr=[s for _, s in stats], color=colors,
                         capsize=4)
        width = 0.38
        for shift, cue in ((-width / 2, "context"), (width / 2, "associate")):
            stats = [_mean_se([scale * run[f"{e}/{cue}"][key] for run in encoding_runs])
                     for e in ("paired", "alone")]
            axes[row][1].bar(np.arange(2) + shift, [m for m, _ in stats], width,
                             yerr=[s for _, s in stats], color=COLORS[cue], capsize=4,
                             label="study-context cue" if cue == "context"
                             else "extra-list associate")
    axes[0][0].set_title(f"Retro-cueing ({p_valid:.0%} of informative cues valid)")
    axes[0][1].set_title("Encoding specificity: the cue alone at test")
    axes[0][1].legend(fontsize=8)
    for ax in axes[0]:
        ax.set_ylabel("accuracy (% correct)")
        ax.set_ylim(0, 100)
    for ax in axes[1]:
        ax.set_ylabel("mean correct RT (ms)")
        ax.margins(y=0.2)
    axes[1][0].set_xticks(xs, [LABELS[c] for c in conditions])
    axes[1][0].set_xlabel("cue")
    axes[1][1].set_xticks([0, 1], ["studied with its context", "studied alone"])
    axes[1][1].set_xlabel("encoding")
    fig.suptitle(f"Accuracy and response time by condition ({_seeds(posner_runs)})")
    return fig


def plot_weight_profiles(profile_runs: Sequence[Mapping[str, Mapping[str, float]]]) -> Figure:
    """Mean probability of winning the race, for the target, the cued item and the others.

    Args:
        profile_runs: ``weight_profiles`` results of a cueing run, one per seed.

    Returns:
        The figure: grouped bars per condition (target, cued item, an average other item).
    """
    fig, ax = plt.subplots(figsize=(7.5, 4.5), layout="constrained")
    conditions = list(profile_runs[0])
    width = 0.27
    for k, role in enumerate(("target", "cued", "other")):
        stats = [_mean_se([run[c][role] for run in profile_runs]) for c in conditions]
        means = [m for m, _ in stats]
        ax.bar(np.arange(len(conditions)) + (k - 1) * width, np.nan_to_num(means), width,
               yerr=[s if np.isfinite(m) else 0 for m, s in stats], capsize=3,
               color=ROLE_COLORS[role],
               label={"target": "probed target", "cued": "cued item (invalid only)",
                      "other": "one other studied item"}[role])
    ax.set_xticks(np.arange(len(conditions)), [LABELS.get(c, c) for c in conditions])
    ax.set_xlabel("cue")
    ax.set_ylabel("mean attention weight = P(wins the race)")
    ax.set_ylim(0, 1)
    ax.legend(fontsize=8)
    ax.set_title(f"Where attention goes, averaged over trials ({_seeds(profile_runs)})")
    return fig


def plot_rt_distributions(trials: Sequence[Mapping]) -> Figure:
    """RT distributions per cueing condition: the race, and the earlier closed-form rule.

    Args:
        trials: a trial table of ``run_posner`` (uses rt_ms and closed_form_rt_ms).

    Returns:
        The figure: histograms (density) of all RTs, correct and errors, per condition.
    """
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
    for ax, key, title in ((axes[0], "rt_ms", "Race model (TVA): right-skewed"),
                           (axes[1], "closed_form_rt_ms", "Earlier closed-form rule: bounded")):
        everything = np.array([t[key] for t in trials])
        bins = np.linspace(everything.min(), np.percentile(everything, 99), 50)
        for condition in ("valid", "neutral", "invalid"):
            values = np.array([t[key] for t in trials if t["condition"] == condition])
            ax.hist(values, bins=bins, density=True, histtype="step", linewidth=1.8,
                    color=COLORS[condition], label=f"{LABELS[condition]} (n = {len(values)})")
        ax.set_xlabel("response time (ms), all trials")
        ax.set_ylabel("density (1/ms)")
        ax.set_title(title)
        ax.legend(fontsize=8)
    fig.suptitle("Response-time distributions (one seed; longest 1 % not drawn)")
    return fig


def plot_temperature(
    temperatures: Sequence[float], runs: Sequence[Sequence[Mapping[str, Mapping]]],
    list_length: int,
) -> Figure:
    """Accuracy and mean correct RT against the temperature, per cueing condition.

    Args:
        temperatures: the temperatures T.
        runs: for each temperature, the ``summarise`` results of its seeds.
        list_length: studied items per list n (chance is 1/n).

    Returns:
        The figure: accuracy (%) and correct RT (ms) against T on a log axis.
    """
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
    for condition in ("valid", "neutral", "invalid"):
        for ax, key, scale in ((left, "accuracy", 100), (right, "rt_ms", 1)):
            stats = [_mean_se([scale * run[condition][key] for run in seeds]) for seeds in runs]
            ax.errorbar(temperatures, [m for m, _ in stats], yerr=[s for _, s in stats],
                        marker="o", capsize=3, color=COLORS[condition], label=LABELS[condition])
    left.axhline(100 / list_length, color="black", linestyle=":",
                 label=f"chance (1/{list_length})")
    left.set_ylabel("accuracy (% correct)")
    left.set_ylim(0, 100)
    left.set_title("Higher T: attention spreads, accuracy falls to chance")
    right.set_ylabel("mean correct RT (ms)")
    right.set_yscale("log")
    right.set_title("Slower at high T; invalid cues also very slow at low T")
    for ax in (left, right):
        ax.set_xscale("log")
        ax.set_xlabel("temperature T (log scale)")
        ax.legend(fontsize=8)
    fig.suptitle(f"Temperature ({_seeds(runs[0])})")
    return fig


def plot_time_and_validity(
    intervals: Sequence[float], by_interval: Sequence[Sequence[Mapping[str, float]]],
    validities: Sequence[float], by_validity: Sequence[Sequence[Mapping[str, float]]],
) -> Figure:
    """RT benefit and cost against the cue–probe interval and against the cue validity.

    Args:
        intervals: cue–probe intervals (ms).
        by_interval: for each interval, the ``cueing_effects`` of its seeds.
        validities: proportions of valid informative cues.
        by_validity: for each validity, the ``cueing_effects`` of its seeds.

    Returns:
        The figure: two panels of RT benefit (neutral − valid) and cost (invalid − neutral).
    """
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True,
                                      layout="constrained")
    for ax, xs, runs in ((left, intervals, by_interval), (right, validities, by_validity)):
        for kind, color in (("benefit", COLORS["valid"]), ("cost", COLORS["invalid"])):
            stats = [_mean_se([e[f"rt_{kind}_ms"] for e in seeds]) for seeds in runs]
            label = "benefit: neutral − valid" if kind == "benefit" else "cost: invalid − neutral"
            ax.errorbar(xs, [m for m, _ in stats], yerr=[s for _, s in stats], marker="o",
                        capsize=3, color=color, label=label)
        ax.axhline(0, color="black", linewidth=0.8)
        ax.legend(fontsize=8)
    left.set_xlabel("cue–probe interval (ms)")
    left.set_ylabel("cueing effect on correct RT (ms)")
    left.set_title("Endogenous build-up, then a plateau (no inhibition of return)")
    right.set_xlabel("proportion of informative cues that are valid")
    right.set_title("A more reliable cue takes a larger share")
    fig.suptitle(f"Cueing effects over time and validity ({_seeds(by_interval[0])})")
    return fig


def plot_match_curve(match_runs: Sequence[Mapping[float, Mapping]], list_length: int) -> Figure:
    """Recall against the cue's similarity to the study context (cue alone at test).

    Args:
        match_runs: ``summarise(trials, by="match")`` of ``run_match``, one per seed.
        list_length: studied items per list n (chance is 1/n).

    Returns:
        The figure.
    """
    fig, ax = plt.subplots(figsize=(6.5, 4.5), layout="constrained")
    levels = list(match_runs[0])
    stats = [_mean_se([100 * run[m]["accuracy"] for run in match_runs]) for m in levels]
    ax.errorbar(levels, [m for m, _ in stats], yerr=[s for _, s in stats], marker="o",
                capsize=4, color=COLORS["context"],
                label="cue = study context + a random direction")
    ax.axhline(100 / list_length, color="black", linestyle=":", label=f"chance (1/{list_length})")
    ax.set_xlabel("cue–context similarity (cosine)")
    ax.set_ylabel("recall (% correct)")
    ax.set_ylim(0, 100)
    ax.set_title(f"A cue works as far as it matches the trace ({_seeds(match_runs)})")
    ax.legend(fontsize=8, loc="upper left")
    return fig


def plot_seed_means(results: Mapping[str, Sequence[float]], ylabel: str, title: str) -> Figure:
    """Your experiment: one point per condition, mean ± 1 SE over seeds.

    Args:
        results: {condition label: [the measure in each seed]}.
        ylabel: the measure and its unit, e.g. "mean correct RT (ms)".
        title: what the figure shows (only what is true).

    Returns:
        The figure.
    """
    fig, ax = plt.subplots(figsize=(6.5, 4.5), layout="constrained")
    labels = list(results)
    stats = [_mean_se(results[label]) for label in labels]
    ax.errorbar(np.arange(len(labels)), [m for m, _ in stats], yerr=[s for _, s in stats],
                marker="o", capsize=4, color="black")
    ax.set_xticks(np.arange(len(labels)), labels)
    ax.set_xlabel("condition")
    ax.set_ylabel(ylabel)
    ax.set_title(f"{title} (mean ± 1 SE over {len(results[labels[0]])} seeds)")
    ax.margins(x=0.15, y=0.2)
    return fig
