"""Plotting helpers for the demos (kept apart from the exercises).

Each helper computes everything it needs first and only then draws, so a
function you have not written yet stops it before an empty figure appears.
Every helper returns the matplotlib Figure.
"""

import time
from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FormatStrFormatter, NullFormatter, NullLocator


def _unit_rows(vectors: np.ndarray) -> np.ndarray:
    return vectors / np.linalg.norm(vectors, axis=-1, keepdims=True)


def _offdiagonal_cosines(vectors: np.ndarray) -> np.ndarray:
    """Cosines of every pair of distinct rows of ``vectors``."""
    unit = _unit_rows(np.asarray(vectors, dtype=float))
    return (unit @ unit.T)[np.triu_indices(len(unit), k=1)]


def plot_cosine_vs_dimension(
    encoder_cls: type, dims: Sequence[int], n_words: int = 50, seed: int = 0
) -> Figure:
    """Mean |cos θ| between random words against the dimension, with its expected value.

    For large d, cos θ is close to normal with SD 1/√d, so mean |cos θ| is √(2/(πd));
    both lines are drawn.

    Args:
        encoder_cls: the ``WordEncoder`` class (called as ``encoder_cls(dim=d, seed=seed)``).
        dims: the dimensions to try.
        n_words: how many distinct words to encode per dimension (all pairs are used).
        seed: the encoders' seed.

    Returns:
        The figure (log-log axes).
    """
    words = [f"word{i}" for i in range(n_words)]
    mean_abs = []
    for dim in dims:
        enc = encoder_cls(dim=dim, seed=seed)
        vectors = np.stack([enc.encode(word) for word in words])
        mean_abs.append(float(np.mean(np.abs(_offdiagonal_cosines(vectors)))))

    dims_array = np.asarray(dims, dtype=float)
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.loglog(dims_array, mean_abs, "o-", label=f"mean |cos θ| over {n_words} random words")
    ax.loglog(dims_array, np.sqrt(2 / (np.pi * dims_array)), "k--",
              label="√(2/(πd)): mean |cos θ| for large d")
    ax.loglog(dims_array, 1 / np.sqrt(dims_array), "k:", label="1/√d: SD of cos θ")
    # Plain numbers read better than powers of ten on these short log axes.
    ax.set_xticks(dims_array, [str(dim) for dim in dims])
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_yticks([0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0])
    ax.yaxis.set_major_formatter(FormatStrFormatter("%g"))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("dimension d (number of components)")
    ax.set_ylabel("mean |cos θ| (dimensionless)")
    ax.set_ylim(0.5 * min(mean_abs), 1.2)
    ax.set_title("Random words become nearly orthogonal as d grows")
    ax.legend()
    fig.tight_layout()
    return fig


def plot_cosine_vs_distance(
    similarity_cls: type, dim: int = 3, n_vectors: int = 30, seed: int = 0
) -> Figure:
    """Cosine against Euclidean similarity for all pairs of random unit vectors.

    For unit vectors ‖a − b‖² = 2 − 2 cos θ, so the points fall on one
    increasing curve: both metrics rank memories the same way.

    Args:
        similarity_cls: the ``Similarity`` class (called with "cosine" and "euclidean").
        dim: dimension of the random vectors (small, so the cosines span [−1, 1]).
        n_vectors: how many random unit vectors (all pairs are used).
        seed: seed of the random vectors.

    Returns:
        The figure.
    """
    rng = np.random.default_rng(seed)
    vectors = _unit_rows(rng.standard_normal((n_vectors, dim)))
    by_cosine, by_distance = similarity_cls("cosine"), similarity_cls("euclidean")
    pairs = [(a, b) for i, a in enumerate(vectors) for b in vectors[i + 1:]]
    cosines = np.array([by_cosine(a, b) for a, b in pairs])
    distances = np.array([by_distance(a, b) for a, b in pairs])

    curve = np.linspace(-1, 1, 200)
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(cosines, distances, "o", alpha=0.5, label=f"pairs of {n_vectors} random unit vectors")
    ax.plot(curve, -np.sqrt(2 - 2 * curve), "k--", label="−√(2 − 2 cos θ)")
    ax.set_xlabel("Similarity('cosine'): cos θ (dimensionless)")
    ax.set_ylabel("Similarity('euclidean'): −‖a − b‖ (vector-length units)")
    ax.set_title(f"For unit vectors in {dim}-d both metrics order pairs alike")
    ax.legend()
    fig.tight_layout()
    return fig


def plot_softmax_temperatures(
    softmax_fn: Callable[..., np.ndarray],
    scores: np.ndarray,
    temperatures: Sequence[float],
    labels: Sequence[str] | None = None,
) -> Figure:
    """Grouped bars: the softmax weights of ``scores`` at each temperature.

    Args:
        softmax_fn: called as ``softmax_fn(scores, temperature=T)``.
        scores: match scores of shape (n,).
        temperatures: the temperatures to compare.
        labels: a name per score (default: its index).

    Returns:
        The figure.
    """
    weights = np.stack([softmax_fn(scores, temperature=t) for t in temperatures])
    n = len(scores)
    labels = list(labels) if labels is not None else [str(i) for i in range(n)]

    width = 0.8 / len(temperatures)
    positions = np.arange(n)
    fig, ax = plt.subplots(figsize=(7, 4))
    for k, (temperature, row) in enumerate(zip(temperatures, weights, strict=True)):
        ax.bar(positions + (k - (len(temperatures) - 1) / 2) * width, row, width,
               label=f"T = {temperature:g}")
    ax.axhline(1 / n, color="k", linestyle=":", label=f"uniform (1/{n})")
    ax.set_xticks(positions, labels)
    ax.set_xlabel("memory")
    ax.set_ylabel("attention weight (fraction of 1)")
    ax.set_ylim(0, 1)
    ax.set_title("Softmax weights: low T focuses, high T spreads")
    ax.legend()
    fig.tight_layout()
    return fig


def plot_attention_weights(
    words: Sequence[str],
    weights: np.ndarray,
    query: str,
    temperatures: Sequence[float] | None = None,
) -> Figure:
    """Bar chart of attention weights over stored words, one panel per temperature.

    Args:
        words: the stored memories, one per weight.
        weights: shape (n,) for one panel, or (k, n) for k panels.
        query: the cue word (its own memory, if stored, is highlighted).
        temperatures: one per panel, shown in the panel titles.

    Returns:
        The figure.
    """
    rows = np.atleast_2d(np.asarray(weights, dtype=float))
    titles = ([f"T = {t:g}" for t in temperatures] if temperatures is not None
              else [""] * len(rows))
    colors = ["tab:orange" if word == query else "tab:blue" for word in words]

    fig, axes = plt.subplots(1, len(rows), figsize=(3.5 * len(rows), 3.5), sharey=True,
                             squeeze=False)
    for ax, row, title in zip(axes[0], rows, titles, strict=True):
        ax.bar(words, row, color=colors)
        ax.set_title(title)
        ax.set_xlabel("stored memory")
        ax.set_ylim(0, 1)
    axes[0][0].set_ylabel("attention weight (fraction of 1)")
    if query in words:
        axes[0][-1].legend(handles=[Patch(color="tab:orange", label=f"'{query}' (its own memory)"),
                                    Patch(color="tab:blue", label="other memories")])
    fig.suptitle(f"Attention over memories for the query '{query}'")
    fig.tight_layout()
    return fig


def _median_time(function: Callable[[], object], repeats: int, budget: float = 0.02) -> float:
    """Seconds per call: the median of many calls, steady on a busy machine.

    Makes at least ``repeats`` calls, and more (up to 200) while the total stays
    under ``budget`` seconds. (Notebook 05's set-up cell asks for one BLAS thread.)
    """
    times: list[float] = []
    while len(times) < repeats or (sum(times) < budget and len(times) < 200):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def plot_loop_vs_vectorised(
    memory_counts: Sequence[int] = (10, 100, 1000, 10000),
    dim: int = 64,
    repeats: int = 5,
    seed: int = 0,
) -> Figure:
    """Time a Python loop over memories against ``keys @ query``; print and plot.

    Args:
        memory_counts: the numbers of stored memories n to time.
        dim: the vectors' dimension d.
        repeats: the fewest calls per measurement (the median call counts).
        seed: seed of the random keys and query.

    Returns:
        The figure (log-log: time against n).
    """
    rng = np.random.default_rng(seed)
    query = rng.standard_normal(dim)
    loop_times, vector_times = [], []
    print(f"{'memories':>9} {'loop (ms)':>10} {'keys @ query (ms)':>18} {'speed-up':>9}")
    for n in memory_counts:
        keys = rng.standard_normal((n, dim))
        looped = np.array([key @ query for key in keys])
        if not np.allclose(looped, keys @ query):
            raise AssertionError("the loop and keys @ query disagree")
        loop_times.append(_median_time(lambda k=keys: np.array([key @ query for key in k]),
                                       repeats))
        vector_times.append(_median_time(lambda k=keys: k @ query, repeats))
        print(f"{n:>9} {1e3 * loop_times[-1]:>10.3f} {1e3 * vector_times[-1]:>18.4f} "
              f"{loop_times[-1] / vector_times[-1]:>8.0f}×")

    fig, ax = plt.subplots(figsize=(6, 4))
    ax.loglog(memory_counts, 1e3 * np.array(loop_times), "o-", label="Python loop over memories")
    ax.loglog(memory_counts, 1e3 * np.array(vector_times), "s-", label="vectorised keys @ query")
    ax.set_xlabel("number of stored memories n")
    ax.set_ylabel("time to score all memories (ms)")
    ax.set_title(f"Scoring n memories of dimension {dim}")
    ax.legend()
    fig.tight_layout()
    return fig
