"""Plotting helpers for Mini-Project 3 (cued recall); none of them runs the model.

Each helper takes results that ``memory_attention.recall`` has already
computed (summaries from ``summarise``, effects from ``cueing_effects``, rows
of a trial table) and returns a matplotlib Figure. Accuracies are shown in
percent, response times in milliseconds, error bars are ±1 standard error.
"""

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

LABELS = {
    "valid": "valid cue",
    "neutral": "neutral cue",
    "invalid": "invalid cue",
    "context": "study-context cue",
    "none": "no cue",
    "associate": "extra-list associate",
}
COLORS = {
    "valid": "tab:green",
    "neutral": "tab:gray",
    "invalid": "tab:red",
    "context": "tab:green",
    "none": "tab:gray",
    "associate": "tab:purple",
}
TARGET_COLOR, CUED_COLOR, OTHER_COLOR = "tab:orange", "tab:red", "lightgray"


def _percent(rows: Sequence[Mapping], key: str = "accuracy") -> tuple[np.ndarray, np.ndarray]:
    """(values, standard errors) of ``key`` over ``rows``, in percent."""
    return (100 * np.array([row[key] for row in rows]),
            100 * np.array([row[f"{key}_se"] for row in rows]))


def _annotate_bars(ax: Axes, xs: np.ndarray, values: np.ndarray, tops: np.ndarray) -> None:
    """Write each bar's value (in %) just above its error bar."""
    for x, value, top in zip(xs, values, tops, strict=True):
        ax.annotate(f"{value:.0f} %", (x, top), xytext=(0, 3), textcoords="offset points",
                    ha="center", va="bottom", fontsize=9)


def plot_by_condition(summaries: Mapping[str, Mapping[str, Mapping]]) -> Figure:
    """Accuracy (bars) and mean RT (points) per condition, one column per experiment.

    Args:
        summaries: {experiment title: ``summarise`` result}, e.g.
            {"Posner cueing": ..., "Encoding specificity": ...}; each summary maps a
            condition ("valid", "none", ...) to its accuracy, rt_ms and their SEs.

    Returns:
        The figure: row 1 accuracy (% correct), row 2 mean RT (ms), error bars ±1 SE.
    """
    fig, axes = plt.subplots(2, len(summaries), figsize=(4.2 * len(summaries), 6.5),
                             squeeze=False, sharex="col", layout="constrained")
    for column, (title, summary) in enumerate(summaries.items()):
        conditions = list(summary)
        rows = [summary[c] for c in conditions]
        xs = np.arange(len(conditions))
        colors = [COLORS.get(c, "tab:blue") for c in conditions]
        accuracy, accuracy_se = _percent(rows)
        top, bottom = axes[0][column], axes[1][column]
        top.bar(xs, accuracy, yerr=accuracy_se, color=colors, capsize=4)
        _annotate_bars(top, xs, accuracy, accuracy + accuracy_se)
        top.set_ylim(0, 105)
        top.set_ylabel("accuracy (% correct)")
        top.set_title(title)
        rts = np.array([row["rt_ms"] for row in rows])
        bottom.plot(xs, rts, color="black", alpha=0.3)
        bottom.scatter(xs, rts, c=colors, s=60, zorder=3)
        bottom.errorbar(xs, rts, yerr=[row["rt_se"] for row in rows], fmt="none",
                        ecolor="black", capsize=4)
        bottom.set_ylabel("mean RT (ms)")
        bottom.set_xticks(xs, [LABELS.get(c, str(c)) for c in conditions], rotation=15)
        bottom.set_xlabel("condition")
        bottom.margins(y=0.3)
    fig.suptitle("Recall accuracy and response time by cue (±1 SE)")
    return fig


def plot_attention_weights(valid_trial: Mapping, invalid_trial: Mapping) -> Figure:
    """Attention over the studied words on a valid and on an invalid trial.

    Args:
        valid_trial: a trial-table row of a valid trial (needs "weights", "study",
            "target_index", "cued", "recalled", "correct").
        invalid_trial: the same for an invalid trial.

    Returns:
        The figure: one bar chart per trial; the probed target in orange, the
        item the cue pointed to outlined in red.
    """
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True, layout="constrained")
    for ax, trial in zip(axes, (valid_trial, invalid_trial), strict=True):
        weights = np.asarray(trial["weights"])
        xs = np.arange(len(weights))
        colors = [TARGET_COLOR if i == trial["target_index"] else OTHER_COLOR for i in xs]
        bars = ax.bar(xs, weights, color=colors)
        if trial["cued"] >= 0:
            bars[trial["cued"]].set_edgecolor(CUED_COLOR)
            bars[trial["cued"]].set_linewidth(3)
        ax.set_xticks(xs, trial["study"], rotation=45, ha="right")
        ax.set_xlabel("studied word (memory trace)")
        outcome = "correct" if trial["correct"] else "error"
        ax.set_title(f"{LABELS[trial['condition']]}: recalled '{trial['recalled']}' ({outcome})")
        ax.set_ylim(0, 1)
    axes[0].set_ylabel("attention weight (sums to 1)")
    axes[1].legend(handles=[
        Patch(color=TARGET_COLOR, label="probed target"),
        Patch(facecolor="white", edgecolor=CUED_COLOR, linewidth=3, label="cued memory"),
        Patch(color=OTHER_COLOR, label="other studied words"),
    ], loc="upper right")
    fig.suptitle("Where attention goes: the cue pulls it to the cued memory")
    return fig


def plot_temperature(
    temperatures: Sequence[float], summaries: Sequence[Mapping[str, Mapping]], list_length: int,
) -> Figure:
    """Accuracy and attention entropy against the retrieval temperature.

    Args:
        temperatures: the temperatures T, one per summary.
        summaries: Posner ``summarise`` results, one per temperature.
        list_length: studied items per list n (chance is 1/n, uniform entropy log2 n).

    Returns:
        The figure: accuracy (%) per condition, and mean entropy of the weights
        (bits), against T on a log axis.
    """
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
    conditions = [c for c in summaries[0] if c in LABELS]
    for condition in conditions:
        accuracy, se = _percent([summary[condition] for summary in summaries])
        left.errorbar(temperatures, accuracy, yerr=se, marker="o", capsize=3,
                      color=COLORS[condition], label=LABELS[condition])
        entropy = [summary[condition]["entropy_bits"] for summary in summaries]
        right.plot(temperatures, entropy, marker="o", color=COLORS[condition],
                   label=LABELS[condition])
    left.axhline(100 / list_length, color="black", linestyle=":",
                 label=f"chance (1/{list_length})")
    left.set_ylabel("accuracy (% correct)")
    left.set_ylim(0, 100)
    left.set_title("Low T: the best match wins; high T: memories blend")
    right.axhline(np.log2(list_length), color="black", linestyle="--",
                  label=f"uniform over {list_length} memories (log2 n)")
    right.axhline(0, color="black", linestyle=":", label="one memory takes all")
    right.set_ylabel("entropy of the attention weights (bits)")
    right.set_title("How spread out attention is")
    for ax in (left, right):
        ax.set_xscale("log")
        ax.set_xlabel("softmax temperature T (log scale)")
        ax.legend(fontsize=8)
    return fig


def plot_match_curve(
    match_summary: Mapping[float, Mapping], references: Mapping[str, Mapping] | None = None,
) -> Figure:
    """Recall probability against the cue's similarity to the study context.

    Args:
        match_summary: ``summarise(trials, by="match")`` of a match experiment.
        references: optional {condition: summary row}, e.g. the "none" and
            "associate" rows of an encoding experiment, drawn as horizontal lines
            with a ±1 SE band.

    Returns:
        The figure.
    """
    fig, ax = plt.subplots(figsize=(6.5, 4.5), layout="constrained")
    levels = list(match_summary)
    accuracy, se = _percent([match_summary[level] for level in levels])
    ax.errorbar(levels, accuracy, yerr=se, marker="o", capsize=4, color=COLORS["context"],
                label="cue = study context + a random direction")
    for condition, row in (references or {}).items():
        level, band = 100 * row["accuracy"], 100 * row["accuracy_se"]
        ax.axhline(level, color=COLORS.get(condition, "black"), linestyle="--",
                   label=LABELS.get(condition, str(condition)))
        ax.axhspan(level - band, level + band, color=COLORS.get(condition, "black"), alpha=0.15)
    ax.set_xlabel("cue–context similarity (cosine)")
    ax.set_ylabel("recall probability (% correct)")
    ax.set_ylim(0, 100)
    ax.set_title("Encoding specificity: a cue works as far as it matches the encoding")
    ax.legend(fontsize=8, loc="lower right")
    return fig


def plot_interval(intervals: Sequence[float], effects: Sequence[Mapping[str, float]]) -> Figure:
    """Cueing benefit and cost against the cue–target interval.

    Args:
        intervals: cue–target intervals in ms.
        effects: ``cueing_effects`` results, one per interval.

    Returns:
        The figure: RT benefit and cost (ms), and accuracy benefit and cost
        (percentage points), against the interval; ±1 SE.
    """
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
    for kind, color in (("benefit", COLORS["valid"]), ("cost", COLORS["invalid"])):
        label = ("benefit: neutral − valid" if kind == "benefit"
                 else "cost: invalid − neutral")
        rt_key, accuracy_key = f"rt_{kind}_ms", f"accuracy_{kind}"
        left.errorbar(intervals, [e[rt_key] for e in effects],
                      yerr=[e[f"{rt_key}_se"] for e in effects], marker="o", capsize=3,
                      color=color, label=f"RT {label}")
        accuracy, se = _percent(effects, accuracy_key)
        # Accuracy benefit is valid − neutral: the same sign convention as RT.
        right.errorbar(intervals, accuracy, yerr=se, marker="o", capsize=3, color=color,
                       label=f"accuracy {kind}")
    left.set_ylabel("cueing effect on RT (ms)")
    right.set_ylabel("cueing effect on accuracy (percentage points)")
    left.set_title("RT: attention needs time to move to the cued memory")
    right.set_title("Accuracy: the same time course")
    for ax in (left, right):
        ax.axhline(0, color="black", linewidth=0.8)
        ax.set_xlabel("cue–target interval (ms)")
        ax.legend(fontsize=8)
    return fig
