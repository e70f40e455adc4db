"""Visible checks for Mini-Project 3.

Each ``check_*`` function runs a few small tests on your ``recall`` module and
prints one "✓ ..." line per test that passes. At the first test that fails it
raises ``CheckFailed`` with a message saying, in plain words, what is wrong and
the most likely mistake; the grader says the same words (``recall_messages.py``)
about the same mistake. Passing them is a good sign, not a guarantee: the
graded tests try more inputs.
"""

import math
from types import ModuleType
from typing import Any, NoReturn

import numpy as np

# One failure type and one success line for every visible check of the kit.
from memory_attention.checks import CheckFailed, _ok
from memory_attention.recall_messages import MESSAGES

TOL = 1e-8


def _fail(key: str) -> NoReturn:
    raise CheckFailed(MESSAGES[key])


def _require(condition: Any, key: str) -> None:
    # An explicit raise, not `assert`, so the checks also run under `python -O`.
    if not condition:
        _fail(key)


def _unit(vectors: np.ndarray) -> np.ndarray:
    return vectors / np.linalg.norm(vectors, axis=-1, keepdims=True)


def _array(value: Any, shape: tuple[int, ...], key: str) -> np.ndarray:
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        _fail(key)
    _require(array.shape == shape and np.all(np.isfinite(array)), key)
    return array


def _close(got: Any, want: Any, tol: float = TOL) -> bool:
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    return got.shape == want.shape and bool(np.all(np.abs(got - want) < tol))


def check_encode_traces(recall: ModuleType) -> None:
    """encode_traces: unit(word + context + noise), one trace per row."""
    rng = np.random.default_rng(0)
    words, contexts = _unit(rng.standard_normal((5, 16))), _unit(rng.standard_normal((5, 16)))
    clean = _array(recall.encode_traces(words, contexts, 0.0, np.random.default_rng(1)),
                   (5, 16), "traces_shape")
    _require(_close(np.linalg.norm(clean, axis=1), np.ones(5), 1e-6), "traces_not_unit")
    _require(not _close(clean, words, 1e-6), "traces_no_context")
    _require(_close(clean, _unit(words + contexts), 1e-6), "traces_formula")
    _ok("encode_traces: with noise 0, each trace is unit(word + context)")
    noisy = _array(recall.encode_traces(words, contexts, 1.5, np.random.default_rng(2)),
                   (5, 16), "traces_shape")
    _require(not _close(noisy, clean, 1e-3), "traces_no_noise")
    _require(_close(np.linalg.norm(noisy, axis=1), np.ones(5), 1e-6), "traces_not_unit")
    expected = _unit(recall.add_noise(words + contexts, 1.5, np.random.default_rng(2)))
    _require(_close(noisy, expected, 1e-6), "traces_formula")
    _ok("encode_traces: noise drawn with add_noise(word + context, noise, rng), then unit length")


def check_cue_reliability(recall: ModuleType) -> None:
    """cue_reliability: (p_valid − 1/n) / (1 − 1/n), clipped to [0, 1]."""
    _require(abs(recall.cue_reliability(0.25, 4)) < TOL, "reliability_chance")
    _require(abs(recall.cue_reliability(1.0, 8) - 1) < TOL, "reliability_formula")
    _ok("cue_reliability: 0 at chance (1/n), 1 for an always-valid cue")
    _require(abs(recall.cue_reliability(0.05, 8)) < TOL, "reliability_clip")
    _require(abs(recall.cue_reliability(0.8, 8) - (0.8 - 1 / 8) / (1 - 1 / 8)) < TOL,
             "reliability_formula")
    _ok("cue_reliability: linear in between, never below 0")


def check_cue_capture(recall: ModuleType) -> None:
    """cue_capture: capture · (1 − exp(−interval / τ)), 0 for a negative interval."""
    _require(abs(recall.cue_capture(0.0, 0.7, 150.0)) < TOL, "capture_zero")
    _require(abs(recall.cue_capture(-50.0, 0.7, 150.0)) < TOL, "capture_negative")
    _require(abs(recall.cue_capture(1e5, 0.7, 150.0) - 0.7) < 1e-6, "capture_limit")
    _require(abs(recall.cue_capture(150.0, 0.7, 150.0) - 0.7 * (1 - math.exp(-1))) < TOL,
             "capture_formula")
    _ok("cue_capture: 0 at once, capture · (1 − 1/e) after one time constant, then flat")


def check_race_rates(recall: ModuleType) -> None:
    """race_rates: rate · exp(probe_scores / T) · softmax(share · cue_scores, T)."""
    probe = np.array([0.3, 0.1, -0.2, 0.0])
    cue = np.array([0.0, 0.4, 0.1, -0.1])
    plain = _array(recall.race_rates(probe, np.zeros(4), 0.0, 0.1, 0.002), (4,), "rates_shape")
    _require(np.all(plain > 0), "rates_shape")
    evidence = np.exp(probe / 0.1)
    if _close(plain, 0.002 * np.exp(probe) / 4, 1e-9):
        _fail("rates_evidence_temperature")
    _require(_close(plain, 0.002 * evidence / 4, 1e-9), "rates_formula")
    _ok("race_rates: with no cue, attention is uniform and the rates follow the evidence")
    cued = _array(recall.race_rates(probe, cue, 0.5, 0.1, 0.002), (4,), "rates_shape")
    _require(not _close(cued, plain, 1e-9), "rates_ignore_cue")
    attention = np.exp(0.5 * cue / 0.1) / np.exp(0.5 * cue / 0.1).sum()
    at_one = np.exp(0.5 * cue) / np.exp(0.5 * cue).sum()
    if _close(cued, 0.002 * evidence * at_one, 1e-9):
        _fail("rates_attention_temperature")
    _require(_close(cued, 0.002 * evidence * attention, 1e-9), "rates_formula")
    _ok("race_rates: the cue's attention softmax(share · cue_scores, T) weights the evidence")


def check_race(recall: ModuleType) -> None:
    """race: exponential finishing times, the first to finish wins, RT = t0 + its time."""
    rates = np.array([0.004, 0.001, 0.002])
    result = recall.race(rates, 300.0, np.random.default_rng(0))
    _require(isinstance(result, tuple) and len(result) == 2, "race_return")
    winner, rt = result
    _require(isinstance(winner, int | np.integer) and not isinstance(winner, bool)
             and isinstance(rt, float | np.floating), "race_return")
    times = np.random.default_rng(0).exponential(1 / rates)
    if int(winner) == int(np.argmax(times)) != int(np.argmin(times)):
        _fail("race_slowest")
    _require(rt >= 300.0 and abs(rt - times.min()) > 1e-6, "race_no_t0")
    _require(int(winner) == int(np.argmin(times)) and abs(rt - 300.0 - times.min()) < 1e-6,
             "race_draw")
    _ok("race: the first of the exponential finishing times wins; RT = t0 + that time")
    rng = np.random.default_rng(1)
    winners = [int(recall.race(rates, 0.0, rng)[0]) for _ in range(2000)]
    share = np.bincount(winners, minlength=3) / len(winners)
    _require(share.min() > 0.05, "race_not_random")
    _require(np.all(np.abs(share - rates / rates.sum()) < 0.05), "race_draw")
    _ok("race: each accumulator wins in proportion to its rate (the attention weight)")


def check_break_valid_benefit(recall: ModuleType) -> None:
    """break_valid_benefit: the returned parameters abolish the valid benefit."""
    params = recall.break_valid_benefit()
    _require(isinstance(params, dict) and set(params) <= set(recall.PARAMETER_NAMES),
             "break_names")
    runs = [recall.run_posner(900, seed=seed, balanced=True, **params) for seed in (0, 1)]
    effects = recall.cueing_effects(recall.summarise([t for run in runs for t in run]))
    _require(effects["rt_benefit_ms"] < 2 * effects["rt_benefit_ms_se"], "break_benefit")
    _ok(f"break_valid_benefit: with {params} the valid benefit is "
        f"{effects['rt_benefit_ms']:.0f} ± {effects['rt_benefit_ms_se']:.0f} ms")


def check_break_encoding_specificity(recall: ModuleType) -> None:
    """break_encoding_specificity: the associate does as well as the study-context cue."""
    params = recall.break_encoding_specificity()
    _require(isinstance(params, dict) and set(params) <= set(recall.PARAMETER_NAMES),
             "break_names")
    runs = [recall.run_encoding(800, seed=seed, **params) for seed in (0, 1)]
    summary = recall.summarise([t for run in runs for t in run])
    context, associate = summary["paired/context"], summary["paired/associate"]
    se = math.hypot(context["accuracy_se"], associate["accuracy_se"])
    _require(associate["accuracy"] > context["accuracy"] - 2 * se, "break_associate")
    _ok(f"break_encoding_specificity: with {params} the associate recalls "
        f"{associate['accuracy']:.0%}, the study-context cue {context['accuracy']:.0%}")


def check_my_experiment(results: Any, seeds: Any) -> None:
    """my_experiment's result: {condition: [one number per seed]}, at least two conditions."""
    _require(isinstance(results, dict) and len(results) >= 2, "experiment_shape")
    for values in results.values():
        try:
            numbers = np.asarray(values, dtype=float)
        except (TypeError, ValueError):
            _fail("experiment_shape")
        _require(numbers.shape == (len(seeds),), "experiment_shape")
    _ok(f"my_experiment: {len(results)} conditions × {len(seeds)} seeds")
