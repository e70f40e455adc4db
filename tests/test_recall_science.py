"""Mini-Project 3: the reference model shows the findings it is meant to explain.

Every ordering is checked on several seeds, each time by a margin of at least
``MARGIN`` standard errors, so that no single lucky seed can pass a test.
"""

import functools
import math
from collections.abc import Callable
from types import ModuleType

import numpy as np
import pytest
from scipy.stats import spearmanr

SEEDS = (1, 2)
MARGIN = 3.0  # standard errors


@pytest.fixture(scope="module")
def recall(reference) -> ModuleType:
    return reference.recall


@pytest.fixture(scope="module")
def posner(recall: ModuleType) -> Callable[..., dict]:
    """``posner(seed, **arguments)``: summary of a Posner run, computed once per arguments.

    Half of the informative cues are valid here: the model's cue use does not
    depend on p_valid, and more invalid trials make smaller standard errors.
    """

    @functools.cache
    def run(seed: int, n_trials: int = 1500, **arguments: float) -> dict:
        return recall.summarise(recall.run_experiment(n_trials=n_trials, p_valid=0.5,
                                                      seed=seed, **arguments))

    return run


def assert_above(high: dict, low: dict, key: str, what: str) -> None:
    """``high[key]`` exceeds ``low[key]`` by MARGIN standard errors of the difference."""
    se_key = f"{key.split('_')[0]}_se"
    difference = high[key] - low[key]
    se = math.hypot(high[se_key], low[se_key])
    assert difference > MARGIN * se, (
        f"{what}: {high[key]:.3f} vs {low[key]:.3f}, difference {difference:.3f} "
        f"is not above {MARGIN} SE = {MARGIN * se:.3f}")


@pytest.mark.parametrize("seed", SEEDS)
def test_posner_cueing_orders_accuracy_and_rt(posner: Callable[..., dict], seed: int) -> None:
    valid, neutral, invalid = (posner(seed, 2400)[c] for c in ("valid", "neutral", "invalid"))
    assert_above(valid, neutral, "accuracy", "accuracy valid > neutral")
    assert_above(neutral, invalid, "accuracy", "accuracy neutral > invalid")
    # For RT the order is the other way round: valid fastest.
    assert_above(neutral, valid, "rt_ms", "RT neutral > valid (benefit)")
    assert_above(invalid, neutral, "rt_ms", "RT invalid > neutral (cost)")


def test_posner_benefit_and_cost_are_some_tens_of_ms(recall: ModuleType) -> None:
    # The paradigm's own proportions: 80 % of the informative cues are valid.
    effects = recall.cueing_effects(recall.summarise(recall.run_experiment(n_trials=1500)))
    for key in ("rt_benefit_ms", "rt_cost_ms"):
        assert 10 + MARGIN * effects[f"{key}_se"] < effects[key] < 100, effects


@pytest.mark.parametrize("seed", SEEDS)
def test_encoding_specificity_context_beats_none_beats_associate(
    recall: ModuleType, seed: int
) -> None:
    summary = recall.summarise(recall.run_encoding_experiment(n_trials=2400, seed=seed))
    assert_above(summary["context"], summary["none"], "accuracy", "study-context cue > no cue")
    assert_above(summary["none"], summary["associate"], "accuracy",
                 "no cue > extra-list associate")


@pytest.mark.parametrize("seed", SEEDS)
def test_recall_rises_with_cue_context_match(recall: ModuleType, seed: int) -> None:
    levels = (0.0, 0.25, 0.5, 0.75, 1.0)
    summary = recall.summarise(
        recall.run_match_experiment(levels, n_trials=300, seed=seed), by="match")
    assert list(summary) == list(levels)
    rows = [summary[level] for level in levels]
    accuracy = [row["accuracy"] for row in rows]
    assert spearmanr(levels, accuracy).statistic > 0.9, accuracy
    for lower, higher in zip(rows, rows[1:], strict=False):
        # No step may go down by more than noise (2 SE of the difference).
        se = math.hypot(lower["accuracy_se"], higher["accuracy_se"])
        assert higher["accuracy"] > lower["accuracy"] - 2 * se, accuracy
    assert_above(rows[-1], rows[0], "accuracy", "full match > no match")


@pytest.mark.parametrize("seed", SEEDS)
def test_low_temperature_is_winner_take_all(posner: Callable[..., dict], seed: int) -> None:
    for condition, row in posner(seed, 300, temperature=0.005).items():
        assert row["max_weight"] > 0.95, (condition, row)


@pytest.mark.parametrize("seed", SEEDS)
def test_high_temperature_blends_memories_and_lowers_accuracy(
    recall: ModuleType, posner: Callable[..., dict], seed: int
) -> None:
    n = recall.Params().list_length
    low, high = posner(seed, temperature=0.02), posner(seed, temperature=3.0)
    for condition in recall.POSNER_CONDITIONS:
        # Near-uniform weights: entropy close to log2 n bits, max weight close to 1/n.
        assert high[condition]["entropy_bits"] > 0.98 * math.log2(n), high[condition]
        assert high[condition]["max_weight"] < 1.5 / n, high[condition]
    for condition in ("valid", "neutral"):
        assert_above(low[condition], high[condition], "accuracy",
                     f"{condition}: accuracy at T = 0.02 > at T = 3")


@pytest.mark.parametrize("seed", SEEDS)
def test_high_temperature_shrinks_cueing_effects(
    recall: ModuleType, posner: Callable[..., dict], seed: int
) -> None:
    low, high = (recall.cueing_effects(posner(seed, temperature=t)) for t in (0.02, 3.0))
    for key in ("accuracy_effect", "rt_effect_ms"):
        difference = low[key] - high[key]
        se = math.hypot(low[f"{key}_se"], high[f"{key}_se"])
        assert difference > MARGIN * se, (key, low[key], high[key], se)


@pytest.mark.parametrize("seed", SEEDS)
def test_cueing_effect_grows_with_cue_target_interval(
    recall: ModuleType, posner: Callable[..., dict], seed: int
) -> None:
    intervals = (0.0, 150.0, 1000.0)
    effects = [recall.cueing_effects(posner(seed, interval_ms=i)) for i in intervals]
    for key in ("accuracy_effect", "rt_effect_ms"):
        values = [e[key] for e in effects]
        ses = [e[f"{key}_se"] for e in effects]
        # With no time to move attention, the cue has no effect.
        assert abs(values[0]) < MARGIN * ses[0], (key, values)
        for i in range(len(intervals) - 1):
            assert values[i + 1] - values[i] > MARGIN * math.hypot(ses[i], ses[i + 1]), \
                (key, values)


def test_same_seed_same_trials_and_design_proportions(recall: ModuleType) -> None:
    first = recall.run_experiment(n_trials=90, seed=7)
    again = recall.run_experiment(n_trials=90, seed=7)
    assert [(t["target"], t["recalled"], t["rt_ms"]) for t in first] == \
        [(t["target"], t["recalled"], t["rt_ms"]) for t in again]
    counts = {c: sum(t["condition"] == c for t in first) for c in recall.POSNER_CONDITIONS}
    assert counts == {"valid": 48, "neutral": 30, "invalid": 12}
    for trial in first:
        assert trial["correct"] == (trial["recalled"] == trial["target"])
        assert trial["weights"].shape == (recall.Params().list_length,)
        assert abs(trial["weights"].sum() - 1) < 1e-9


def test_trial_table_cues_point_where_the_condition_says(recall: ModuleType) -> None:
    trials = recall.run_experiment(n_trials=300, seed=4)
    for trial in trials:
        if trial["condition"] == "valid":
            assert trial["cued"] == trial["target_index"]
        elif trial["condition"] == "invalid":
            assert trial["cued"] not in (-1, trial["target_index"])
        else:
            assert trial["cued"] == -1 and trial["cue"] == ""


def test_blend_has_the_requested_cosine(recall: ModuleType) -> None:
    rng = np.random.default_rng(0)
    base, other = rng.standard_normal(64), rng.standard_normal(64)
    for similarity in (0.0, 0.3, 0.9, 1.0):
        mixed = recall.blend(base, other, similarity)
        assert abs(np.linalg.norm(mixed) - 1) < 1e-12
        assert abs(mixed @ base / np.linalg.norm(base) - similarity) < 1e-12


def test_response_time_mechanism(recall: ModuleType) -> None:
    n = 8
    uniform = np.full(n, 1 / n)
    rt = recall.response_time(uniform, 0, t0_ms=400, ms_per_bit=60, shift_ms=150)
    assert rt == pytest.approx(400 + 60 * math.log2(n) + 150 * (1 - 1 / n))
    focused = np.eye(n)[2]
    assert recall.response_time(focused, 2, 400, 60, 150) == pytest.approx(400)
    assert recall.response_time(focused, 3, 400, 60, 150) == pytest.approx(550)
