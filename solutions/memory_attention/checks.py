"""Visible checks for the five demos.

Each ``check_*`` function runs a few small tests on your module and prints one
"✓ ..." line per test that passes. At the first test that fails it raises
``CheckFailed`` (an AssertionError) with a message saying, in plain words, what
is wrong and the most likely mistake; the grader says the same words
(``messages.py``) about the same mistake.

The expected values are written out here with numpy (for example
``np.exp(x) / np.exp(x).sum()`` on small ``x``), so these checks depend on
nothing but numpy and your own code. Passing them is a good sign, not a
guarantee: the graded tests try more inputs.
"""

import warnings
from collections.abc import Callable
from types import ModuleType
from typing import Any, NoReturn

import numpy as np

from memory_attention.messages import MESSAGES

# Tolerances, stated once: exact formulas on small inputs must agree to 1e-8;
# a unit vector's norm, and quantities built from encoded words, to 1e-6.
TOL = 1e-8
TOL_UNIT = 1e-6


class CheckFailed(AssertionError):
    """A visible check failed; the notebook shows its message, not a traceback."""

    def _render_traceback_(self) -> list[str]:
        # IPython shows these lines instead of the traceback through this file.
        return [f"✗ {self}"]


def _fail(message: str) -> NoReturn:
    raise CheckFailed(message)


def _require(condition: bool, message: str) -> None:
    # An explicit raise, not `assert`, so the checks also run under `python -O`.
    if not condition:
        _fail(message)


def _ok(message: str) -> None:
    print(f"✓ {message}")


def _fmt(values: Any) -> str:
    return np.array2string(np.asarray(values, dtype=float), precision=4, suppress_small=True)


def _max_error(got: np.ndarray, expected: Any) -> float:
    return float(np.max(np.abs(got - np.asarray(expected, dtype=float))))


def _close(got: np.ndarray, expected: Any, tol: float = TOL) -> bool:
    return got.shape == np.shape(expected) and _max_error(got, expected) < tol


def _as_array(value: Any, what: str, shape: tuple[int, ...], hint: str) -> np.ndarray:
    """``value`` as a float array of the given shape, or a plain-words failure."""
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        _fail(f"{what} is {value!r}, which is not an array of numbers")
    _require(array.shape == shape, f"{what} has shape {array.shape}, expected {shape}: {hint}")
    return array


def _as_float(value: Any, what: str) -> float:
    _require(isinstance(value, float | np.floating),
             f"{what} returned a {type(value).__name__}, not a float: wrap the result "
             "in float(...)")
    return float(value)


def _call_quietly(function: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, list[str]]:
    """Call ``function``; collect the RuntimeWarnings it emits instead of printing them."""
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="warn", under="ignore"):
        warnings.simplefilter("always")
        result = function(*args, **kwargs)
    return result, [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]


def _softmax_formula(x: np.ndarray) -> np.ndarray:
    """Softmax straight from its definition: only for small scores (no stability needed)."""
    return np.exp(x) / np.exp(x).sum(axis=-1, keepdims=True)


# --------------------------------------------------------------------------- Demo 1


def component_kurtosis(vectors: np.ndarray) -> float:
    """Kurtosis of the components of unit vectors (rows), about 3d/(d+2) ≈ 3 when the
    directions are uniform on the sphere; about 1.8 for normalised uniform numbers and
    exactly 1 for cube corners ±1/√d."""
    coords = np.asarray(vectors, dtype=float).ravel()
    return float(np.mean(coords**4) / np.mean(coords**2) ** 2)


def sphere_mistake(kurtosis: float) -> str:
    """The message for components whose kurtosis is too low for the sphere."""
    return MESSAGES["cube_corners" if kurtosis < 1.2 else "uniform_components"]



def check_encoder(encoder: ModuleType) -> None:
    """Check Demo 1: ``WordEncoder(dim, seed).encode(word)``.

    Args:
        encoder: your ``memory_attention.encoder`` module.

    Raises:
        CheckFailed: saying what is wrong and the likely mistake.
    """
    enc = encoder.WordEncoder(dim=64, seed=0)
    vector = enc.encode("apple")
    _require(isinstance(vector, np.ndarray),
             f"encode('apple') returned a {type(vector).__name__}: return a numpy array")
    _require(vector.shape == (64,),
             f"encode('apple') has shape {vector.shape} for dim=64: {MESSAGES['encode_shape']}")
    _require(bool(np.all(np.isfinite(vector))), "encode('apple') contains NaN or infinity")
    _ok("encode('apple') returns an array of shape (dim,) = (64,)")

    norm = float(np.linalg.norm(vector))
    _require(abs(norm - 1) < TOL_UNIT,
             f"encode('apple') has length {norm:.4g}: {MESSAGES['not_unit']}")
    _ok(f"it has unit length (|‖v‖ − 1| = {abs(norm - 1):.1e} < {TOL_UNIT:g})")

    _require(np.array_equal(vector, encoder.WordEncoder(dim=64, seed=0).encode("apple")),
             MESSAGES["same_word_differs"])
    _ok("the same word gets the same vector every time")

    words = [f"word{i}" for i in range(40)]
    vectors = np.stack([enc.encode(word) for word in words])
    vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    cosines = (vectors @ vectors.T)[np.triu_indices(len(words), k=1)]
    _require(float(cosines.max()) < 1 - TOL_UNIT, MESSAGES["words_share_vector"])
    mean_cos = float(cosines.mean())
    _require(abs(mean_cos) < 0.1,
             f"random words have a mean cosine of {mean_cos:.2f}, expected within ±0.1 of 0 "
             f"in 64 dimensions: {MESSAGES['not_centred']}")
    _ok(f"different words point in different directions (mean cosine {mean_cos:+.3f})")

    kurtosis = component_kurtosis(vectors)
    _require(kurtosis > 2.4, f"the components have kurtosis {kurtosis:.2f}, expected ≈ 2.9: "
             f"{sphere_mistake(kurtosis)}")
    _ok(f"components are bell-shaped (kurtosis {kurtosis:.2f} ≈ 2.9), so directions are "
        "uniform on the sphere")


# --------------------------------------------------------------------------- Demo 2


def _check_cosine(sim: Any) -> None:
    a, b = np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 6.0])
    value = _as_float(sim.cosine(a, b), "cosine")
    for wrong, key in ((float(a @ b), "dot_not_cosine"), (0.0, "cosine_distance")):
        _require(abs(value - wrong) > TOL,
                 f"cosine({a}, {b}) = {value:g}, expected 1: {MESSAGES[key]}")
    _require(abs(value - 1) < TOL,
             f"cosine of the parallel vectors {a} and {b} is {value:.4g}, expected 1: "
             f"{MESSAGES['cosine_formula']}")
    cases = [(np.array([1.0, 0.0]), np.array([0.0, 3.0]), 0.0),
             (np.array([1.0, -2.0]), np.array([-2.0, 4.0]), -1.0)]
    for x, y, expected in cases:
        value = _as_float(sim.cosine(x, y), "cosine")
        _require(abs(value - expected) < TOL,
                 f"cosine({x}, {y}) = {value:.4g}, expected {expected:g}: "
                 f"{MESSAGES['cosine_formula']}")
    x, y = np.array([1.0, 2.0, 3.0]), np.array([4.0, -5.0, 6.0])
    expected = float(x @ y / np.sqrt((x @ x) * (y @ y)))
    value = float(sim.cosine(x, y))
    _require(abs(value - expected) < TOL,
             f"cosine({x}, {y}) = {value:.6g}, expected {expected:.6g}: "
             f"{MESSAGES['cosine_formula']}")
    _ok(f"cosine: 1 for parallel, 0 for orthogonal, −1 for opposite vectors (tolerance {TOL:g})")


def _check_euclidean(sim: Any) -> None:
    a, b = np.array([0.0, 0.0]), np.array([3.0, 4.0])
    value = _as_float(sim.euclidean(a, b), "euclidean")
    hints = {25.0: "squared_distance", -5.0: "negative_distance", 7.0: "city_block"}
    for wrong, key in hints.items():
        _require(abs(value - wrong) > TOL,
                 f"euclidean({a}, {b}) = {value:g}, expected 5: {MESSAGES[key]}")
    _require(abs(value - 5) < TOL,
             f"euclidean({a}, {b}) = {value:.4g}, expected 5: {MESSAGES['euclidean_formula']}")
    x, y = np.array([1.0, 2.0, 3.0]), np.array([4.0, -5.0, 6.0])
    expected = float(np.sqrt(np.sum((x - y) ** 2)))
    _require(abs(float(sim.euclidean(x, y)) - expected) < TOL,
             f"euclidean({x}, {y}) = {float(sim.euclidean(x, y)):.6g}, expected {expected:.6g}: "
             f"{MESSAGES['euclidean_formula']}")
    _require(abs(float(sim.euclidean(x, x))) < TOL, "the distance from a vector to itself is not 0")
    _ok(f"euclidean: ‖(0, 0) − (3, 4)‖ = 5, and 0 from a vector to itself (tolerance {TOL:g})")


def check_similarity(similarity: ModuleType) -> None:
    """Check Demo 2: ``Similarity.cosine``, ``.euclidean`` and calling it.

    Args:
        similarity: your ``memory_attention.similarity`` module.

    Raises:
        CheckFailed: saying what is wrong and the likely mistake.
    """
    _check_cosine(similarity.Similarity("cosine"))
    _check_euclidean(similarity.Similarity("euclidean"))

    x, y = np.array([1.0, 2.0, 3.0]), np.array([4.0, -5.0, 6.0])
    cosine = float(x @ y / np.sqrt((x @ x) * (y @ y)))
    distance = float(np.sqrt(np.sum((x - y) ** 2)))
    by_cosine = _as_float(similarity.Similarity("cosine")(x, y), "Similarity('cosine')(a, b)")
    by_distance = _as_float(similarity.Similarity("euclidean")(x, y),
                            "Similarity('euclidean')(a, b)")
    _require(abs(by_cosine - cosine) < TOL,
             f"Similarity('cosine')(a, b) = {by_cosine:.6g}, expected the cosine {cosine:.6g}: "
             f"{MESSAGES['call_ignores_metric']}")
    _require(abs(by_distance - distance) > TOL, MESSAGES["call_plus_distance"])
    _require(abs(by_distance + distance) < TOL,
             f"Similarity('euclidean')(a, b) = {by_distance:.6g}, expected minus the distance "
             f"{-distance:.6g}: {MESSAGES['call_ignores_metric']}")
    _ok("calling Similarity gives cos θ for 'cosine' and −‖a − b‖ for 'euclidean'")

    try:
        similarity.Similarity("manhattan")
    except ValueError:
        _ok("an unknown metric raises ValueError")
        return
    except Exception as exc:  # noqa: BLE001  (any other type is the mistake we name)
        _fail(f"{MESSAGES['unknown_metric']} (it raised {type(exc).__name__} instead)")
    _fail(f"{MESSAGES['unknown_metric']} (nothing was raised)")


# --------------------------------------------------------------------------- Demo 3


def check_cue_scores(scores: Any, keys: np.ndarray, cue_index: int = 0) -> None:
    """Check the Demo 3 notebook exercise: one match score per stored memory.

    Args:
        scores: your array of match scores, one per memory.
        keys: the stored memories' unit vectors, shape (n, d), in the same order.
        cue_index: the row of ``keys`` that is the cue's own memory.

    Raises:
        CheckFailed: saying what is wrong and the likely mistake.
    """
    n = len(keys)
    _require(isinstance(scores, np.ndarray),
             f"scores is a {type(scores).__name__}: wrap it in np.array(...)")
    scores = _as_array(scores, "scores", (n,), f"one score per memory, {n} in all")
    _ok(f"scores has one entry per memory, shape ({n},)")
    _require(abs(scores[cue_index] - 1) < TOL_UNIT,
             f"the cue's own memory scores {scores[cue_index]:.4g}, expected 1 (a unit vector "
             "matches itself perfectly: cue · cue = 1): score memory i as cue @ its vector")
    _require(int(np.argmax(scores)) == cue_index,
             f"the best score is at index {int(np.argmax(scores))}, expected {cue_index} (the "
             "cue's own memory): keep the scores in the order of `memories`")
    _ok(f"the cue matches its own memory best, with score 1 (tolerance {TOL_UNIT:g})")


def exp_ratios_hold(weights: np.ndarray, scores: np.ndarray) -> bool:
    """Whether w_i / w_j = exp(s_i − s_j) along the last axis: the weights are exponentials."""
    with np.errstate(all="ignore"):
        log_weights = np.log(np.asarray(weights, dtype=float))
    return bool(np.all(np.isfinite(log_weights))) and np.allclose(
        np.diff(log_weights, axis=-1), np.diff(scores, axis=-1), atol=1e-6)


def check_stable_softmax(softmax: ModuleType) -> None:
    """Check Demo 3: ``softmax.stable_softmax(scores)``.

    Args:
        softmax: your ``memory_attention.softmax`` module.

    Raises:
        CheckFailed: saying what is wrong and the likely mistake.
    """
    x = np.array([1.0, 2.0, 3.0])
    expected = _softmax_formula(x)
    given = x.copy()
    got, _ = _call_quietly(softmax.stable_softmax, given)
    got = _as_array(got, "stable_softmax([1, 2, 3])", (3,), "return one weight per score")
    total = float(got.sum())
    _require(np.array_equal(given, x), MESSAGES["mutates_input"])
    _require(abs(total - 1) < TOL,
             f"stable_softmax([1, 2, 3]) sums to {total:.4g}, not 1: divide the exponentials "
             "by their sum")
    _require(exp_ratios_hold(got, x), f"stable_softmax([1, 2, 3]) = {_fmt(got)}: "
             f"{MESSAGES['no_exp']}")
    _require(_close(got, expected),
             f"stable_softmax([1, 2, 3]) = {_fmt(got)}, expected {_fmt(expected)}: "
             f"{MESSAGES['softmax_formula']}")
    _ok(f"matches exp(x) / sum(exp(x)) on x = [1, 2, 3] (max error "
        f"{_max_error(got, expected):.1e} < {TOL:g})")

    # Near +1000 exp overflows, near −1000 it underflows, and a spread of 2000 does
    # both unless the largest score (not the smallest) is subtracted.
    for scores in (x + 1000.0, x - 1000.0, np.array([-1000.0, 999.0, 1000.0])):
        got, warned = _call_quietly(softmax.stable_softmax, scores)
        got = np.asarray(got, dtype=float)
        want = np.exp(scores - scores.max()) / np.exp(scores - scores.max()).sum()
        _require(not warned and bool(np.all(np.isfinite(got))) and _close(got, want),
                 f"stable_softmax({_fmt(scores)}) = {_fmt(got)}, expected {_fmt(want)}: "
                 f"{MESSAGES['overflow']}")
    _ok("no overflow, NaN or warning for scores near +1000 or −1000, or 2000 apart")

    batch = np.stack([x, x + 1000.0])
    got, warned = _call_quietly(softmax.stable_softmax, batch)
    got = _as_array(got, "stable_softmax of a (2, 3) batch", (2, 3), "keep the input's shape")
    _require(bool(np.all(np.isfinite(got))) and not warned,
             f"stable_softmax of the batch [[1, 2, 3], [1001, 1002, 1003]] gave {_fmt(got)}: "
             f"{MESSAGES['row_overflow']}")
    _require(_close(got, np.stack([expected, expected])),
             f"stable_softmax of the batch [[1, 2, 3], [1001, 1002, 1003]] gave {_fmt(got)}: "
             f"{MESSAGES['batch_rows']}")
    _ok("a (2, 3) batch is normalised row by row (over the last axis)")


# --------------------------------------------------------------------------- Demo 4


def check_softmax_temperature(softmax: ModuleType) -> None:
    """Check Demo 4: ``softmax.softmax(scores, temperature)``.

    Args:
        softmax: your ``memory_attention.softmax`` module.

    Raises:
        CheckFailed: saying what is wrong and the likely mistake.
    """
    x = np.array([1.0, 2.0, 3.0])
    try:
        got = softmax.softmax(x)
    except TypeError:
        _fail(MESSAGES["default_temperature"])
    got = _as_array(got, "softmax([1, 2, 3])", (3,), "keep the input's shape")
    _require(_close(got, _softmax_formula(x)),
             f"softmax([1, 2, 3]) = {_fmt(got)}, expected {_fmt(_softmax_formula(x))}: "
             f"{MESSAGES['default_temperature']}")
    _ok("temperature 1 (the default) gives the plain softmax")

    for temperature in (0.5, 2.0):
        got = np.asarray(softmax.softmax(x, temperature=temperature), dtype=float)
        expected = _softmax_formula(x / temperature)
        for wrong, key in ((x * temperature, "times_temperature"), (x, "ignores_temperature")):
            _require(not _close(got, _softmax_formula(wrong)),
                     f"softmax([1, 2, 3], T={temperature:g}) = {_fmt(got)}: {MESSAGES[key]}")
        _require(_close(got, expected),
                 f"softmax([1, 2, 3], T={temperature:g}) = {_fmt(got)}, expected "
                 f"{_fmt(expected)}: {MESSAGES['temperature_formula']}")
    _ok(f"T = 0.5 and T = 2 match exp(x/T) / sum(exp(x/T)) (tolerance {TOL:g})")

    got, warned = _call_quietly(softmax.softmax, np.array([2.0, 2.0, 1.0]), temperature=0.001)
    got = np.asarray(got, dtype=float)
    _require(not warned and bool(np.all(np.isfinite(got))),
             f"softmax([2, 2, 1], T=0.001) = {_fmt(got)}: {MESSAGES['cold_overflow']}")
    _require(_close(got, [0.5, 0.5, 0.0]),
             f"softmax([2, 2, 1], T=0.001) = {_fmt(got)}, expected [0.5, 0.5, 0]: a very low "
             "temperature puts all attention on the best matches (ties share it)")
    got = np.asarray(softmax.softmax(x, temperature=1e6), dtype=float)
    _require(_close(got, np.full(3, 1 / 3), tol=1e-5),
             f"softmax([1, 2, 3], T=1e6) = {_fmt(got)}, expected nearly uniform weights 1/3")
    _ok("a low temperature focuses on the best match; a high one spreads attention evenly")

    for bad in (0.0, -1.0):
        try:
            with np.errstate(all="ignore"):
                softmax.softmax(x, temperature=bad)
        except ValueError:
            continue
        except Exception as exc:  # noqa: BLE001  (any other type is the mistake we name)
            _fail(f"softmax(x, temperature={bad:g}) raised {type(exc).__name__}: "
                  f"{MESSAGES['bad_temperature']}")
        _fail(f"softmax accepted temperature={bad:g}: {MESSAGES['bad_temperature']}")
    _ok("temperature <= 0 raises ValueError")


# --------------------------------------------------------------------------- Demo 5


def attention_score_mistakes(query: np.ndarray, keys: np.ndarray,
                             values: np.ndarray) -> dict[str, np.ndarray]:
    """Scores a typical mistake computes instead of keys @ query, by message key."""
    mistakes = {"scores_cosines": keys @ query / (np.linalg.norm(keys, axis=1)
                                                  * np.linalg.norm(query)),
                "scores_sqrt_d": keys @ query / np.sqrt(len(query))}
    if values.shape[1] <= len(query):
        mistakes["scores_values"] = values @ query[:values.shape[1]]
    return mistakes



def check_attention(attention: ModuleType) -> None:
    """Check Demo 5: ``DotProductAttention(temperature).attend(query, keys, values)``.

    Args:
        attention: your ``memory_attention.attention`` module.

    Raises:
        CheckFailed: saying what is wrong and the likely mistake.
    """
    # 4 memories, keys of width 3, values of width 2: distinct sizes expose mix-ups.
    keys = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 1.0, 0.0]])
    values = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, -1.0]])
    query = np.array([2.0, 1.0, 0.0])
    temperature = 0.5
    result = attention.DotProductAttention(temperature=temperature).attend(query, keys, values)
    _require(isinstance(result, tuple | list) and len(result) == 2,
             "attend must return the pair (context, weights)")
    context, weights = (np.asarray(part, dtype=float) for part in result)
    _require(not (context.shape == (4,) and weights.shape == (2,)),
             "attend returned (weights, context): return (context, weights), in that order")
    _require(context.shape != (3,), f"context has the keys' width (3), not the values' (2): "
             f"{MESSAGES['context_of_keys']}")
    weights = _as_array(weights, "weights", (4,), "one weight per memory (row of keys)")
    context = _as_array(context, "context", (2,), "the width of one value (row of values)")
    _ok("attend returns context of shape (d_v,) = (2,) and weights of shape (n,) = (4,)")

    scores = keys @ query
    expected = _softmax_formula(scores / temperature)
    _require(abs(float(weights.sum()) - 1) < TOL,
             f"the weights sum to {float(weights.sum()):.4g}, not 1: pass the scores through "
             "softmax")
    for key, wrong in attention_score_mistakes(query, keys, values).items():
        _require(not _close(weights, _softmax_formula(wrong / temperature)),
                 f"weights = {_fmt(weights)}: {MESSAGES[key]}")
    _require(not _close(weights, _softmax_formula(scores)),
             f"weights = {_fmt(weights)}: {MESSAGES['attention_ignores_temperature']}")
    _require(_close(weights, expected), f"weights = {_fmt(weights)}, expected {_fmt(expected)}: "
             f"{MESSAGES['weights_formula']}")
    _ok(f"weights = softmax(keys @ query / T) (tolerance {TOL:g})")
    _require(_close(context, weights @ values),
             f"context = {_fmt(context)}, expected {_fmt(weights @ values)}: "
             f"{MESSAGES['context_formula']}")
    _ok("context = weights @ values")

    sharp, _ = attention.DotProductAttention(temperature=0.01).attend(query, keys, values)
    _require(_close(np.asarray(sharp, dtype=float), values[3], tol=TOL_UNIT),
             f"at T=0.01 the context is {_fmt(sharp)}, expected the best match's value "
             f"{_fmt(values[3])}")
    big, warned = _call_quietly(attention.DotProductAttention().attend, query, 1000 * keys, values)
    _require(not warned and bool(np.all(np.isfinite(np.asarray(big[1], dtype=float)))),
             MESSAGES["attention_overflow"])
    _ok("a low temperature retrieves the best match's value, and large scores stay finite")
