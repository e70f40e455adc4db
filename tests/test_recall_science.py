"""Mini-Project 3: the reference model shows the effects the notebook claims, over a region.

Each claim is checked at the defaults and with one parameter at a time moved to
either end of its range in ``recall.CLAIM_REGION`` (the region the notebook
states), on three seeds pooled, by a margin of ``MARGIN`` standard errors. The
race's defining properties are checked on the race itself.
"""

import functools
import inspect
import math
from collections.abc import Callable
from types import ModuleType

import numpy as np
import pytest

SEEDS = (1, 2, 3)
MARGIN = 3.0  # standard errors
PER_CONDITION = 600  # trials per condition and seed


@pytest.fixture(scope="module")
def recall(reference) -> ModuleType:
    return reference.recall


def region_points(names: tuple[str, ...], defaults) -> list[dict]:
    """The defaults, and each named parameter at each end of its claimed range."""
    from recallkit.grading.reference import reference

    region = reference().recall.CLAIM_REGION
    points = [{}]
    for name in names:
        for value in region[name]:
            if value != getattr(defaults, name):
                points.append({name: value})
    return points


@pytest.fixture(scope="module")
def pooled(recall: ModuleType) -> Callable[..., dict]:
    """``pooled(conditions, **params)``: summary of balanced runs pooled over SEEDS.

    Equal trial counts per condition give equal standard errors; the participant's
    learned cue validity is still ``p_valid`` (a parameter), not the trial counts.
    """

    @functools.cache
    def run(conditions: tuple[str, ...], **params: float) -> dict:
        design = [(c, 1.0) for c in conditions for _ in range(PER_CONDITION)]
        trials = [t for seed in SEEDS for t in recall.run_design(design, seed, **params)]
        return recall.summarise(trials)

    return run


def assert_above(high: dict, low: dict, key: str, what: str) -> None:
    """``high[key]`` exceeds ``low[key]`` by MARGIN standard errors of the difference."""
    se_key = f"{key.split('_')[0]}_se"
    difference = high[key] - low[key]
    se = math.hypot(high[se_key], low[se_key])
    assert difference > MARGIN * se, (
        f"{what}: {high[key]:.3f} vs {low[key]:.3f}, difference {difference:.3f} "
        f"is not above {MARGIN} SE = {MARGIN * se:.3f}")


def posner_points():
    from recallkit.grading.reference import reference

    recall = reference().recall
    return region_points(("temperature", "probe_noise", "capture", "noise", "list_length"),
                         recall.Params())


@pytest.mark.parametrize("params", posner_points(), ids=str)
def test_cueing_orders_accuracy_and_correct_rt(recall, pooled, params: dict) -> None:
    summary = pooled(recall.POSNER_CONDITIONS, **params)
    valid, neutral, invalid = (summary[c] for c in recall.POSNER_CONDITIONS)
    assert_above(valid, neutral, "accuracy", "accuracy valid > neutral")
    assert_above(neutral, invalid, "accuracy", "accuracy neutral > invalid")
    assert_above(neutral, valid, "rt_ms", "correct RT neutral > valid (benefit)")
    assert_above(invalid, neutral, "rt_ms", "correct RT invalid > neutral (cost)")


def slow_error(row: dict) -> tuple[float, float]:
    """(mean error RT − mean correct RT, its standard error) of one condition."""
    return row["error_rt_ms"] - row["rt_ms"], math.hypot(row["error_rt_se"], row["rt_se"])


@pytest.mark.parametrize("params", posner_points(), ids=str)
def test_errors_are_slower_than_correct_answers(recall, pooled, params: dict) -> None:
    summary = pooled(recall.POSNER_CONDITIONS, **params)
    for condition in ("valid", "neutral"):
        difference, se = slow_error(summary[condition])
        assert difference > MARGIN * se, (condition, difference, se)


def test_errors_are_slower_on_invalid_trials_across_the_region(recall, pooled) -> None:
    """Smaller there (about 45 ms at the defaults), so averaged over the region's points."""
    pairs = [slow_error(pooled(recall.POSNER_CONDITIONS, **params)["invalid"])
             for params in posner_points()]
    mean = float(np.mean([d for d, _ in pairs]))
    se = math.sqrt(sum(s**2 for _, s in pairs)) / len(pairs)
    assert mean > MARGIN * se, (mean, se)


def test_cue_use_grows_with_cue_validity(recall, pooled) -> None:
    """Reliability 0 (chance validity) gives no effect; 0.8 gives a larger one than 0.5."""
    effects = {p: recall.cueing_effects(pooled(recall.POSNER_CONDITIONS, p_valid=p))
               for p in (0.125, 0.5, 0.8)}
    for key in ("accuracy_effect", "rt_effect_ms"):
        chance = effects[0.125]
        assert abs(chance[key]) < MARGIN * chance[f"{key}_se"], (key, chance[key])
        for low, high in ((0.125, 0.5), (0.5, 0.8)):
            difference = effects[high][key] - effects[low][key]
            se = math.hypot(effects[high][f"{key}_se"], effects[low][f"{key}_se"])
            assert difference > MARGIN * se, (key, low, high, difference, se)


def test_cueing_effect_builds_up_then_plateaus(recall, pooled) -> None:
    """An endogenous build-up: no effect at 0 ms, then flat beyond a few time constants.

    (Exogenous cues would instead peak near 100-150 ms and reverse into inhibition of
    return; the model has no such mechanism, and the notebook says so.)
    """
    effects = {i: recall.cueing_effects(pooled(recall.POSNER_CONDITIONS, interval_ms=i))
               for i in (0.0, 100.0, 600.0, 1200.0)}
    key = "accuracy_effect"
    assert abs(effects[0.0][key]) < MARGIN * effects[0.0][f"{key}_se"]
    rise = effects[600.0][key] - effects[100.0][key]
    assert rise > MARGIN * math.hypot(effects[600.0][f"{key}_se"], effects[100.0][f"{key}_se"])
    plateau = effects[1200.0][key] - effects[600.0][key]
    assert abs(plateau) < MARGIN * math.hypot(effects[600.0][f"{key}_se"],
                                              effects[1200.0][f"{key}_se"])


def encoding_points():
    from recallkit.grading.reference import reference

    recall = reference().recall
    return region_points(("temperature", "noise", "associate_similarity"), recall.Params())


@pytest.mark.parametrize("params", encoding_points(), ids=str)
def test_encoding_specificity_crossover(recall, pooled, params: dict) -> None:
    summary = pooled(recall.ENCODING_CONDITIONS, **params)
    assert_above(summary["paired/context"], summary["paired/associate"], "accuracy",
                 "studied paired: the study-context cue beats the associate")
    assert_above(summary["alone/associate"], summary["alone/context"], "accuracy",
                 "studied alone: the associate beats the context cue")
    chance = 1 / recall.Params().list_length
    alone = summary["alone/context"]
    assert abs(alone["accuracy"] - chance) < MARGIN * alone["accuracy_se"], alone


def test_strong_associate_works_after_context_encoding_unlike_thomson_and_tulving(
    recall, pooled
) -> None:
    """The model's stated limit: a strong associate recalls as well as the study context."""
    summary = pooled(recall.ENCODING_CONDITIONS, associate_similarity=1.0)
    paired, associate = summary["paired/context"], summary["paired/associate"]
    assert associate["accuracy"] > paired["accuracy"] - MARGIN * math.hypot(
        paired["accuracy_se"], associate["accuracy_se"])


@pytest.mark.parametrize("seed", SEEDS)
def test_recall_rises_with_cue_context_match(recall, seed: int) -> None:
    levels = (0.0, 0.5, 1.0)
    summary = recall.summarise(recall.run_match(levels, n_trials=400, seed=seed), by="match")
    rows = [summary[level] for level in levels]
    for lower, higher in zip(rows, rows[1:], strict=False):
        assert_above(higher, lower, "accuracy", "recall rises with cue-context match")


def test_high_temperature_shrinks_effects_toward_chance(recall, pooled) -> None:
    n = recall.Params().list_length
    high = pooled(recall.POSNER_CONDITIONS, temperature=3.0)
    for row in high.values():
        assert row["entropy_bits"] > 0.98 * math.log2(n), row
        assert abs(row["accuracy"] - 1 / n) < MARGIN * row["accuracy_se"] + 0.02, row


def test_race_rts_are_right_skewed_and_the_closed_form_rule_is_not(recall) -> None:
    trials = [t for seed in SEEDS for t in recall.run_posner(600, seed=seed)]
    for condition in recall.POSNER_CONDITIONS:
        rows = [t for t in trials if t["condition"] == condition]
        assert recall.skewness([t["rt_ms"] for t in rows]) > 1.0, condition
    invalid = [t["closed_form_rt_ms"] for t in trials if t["condition"] == "invalid"]
    assert recall.skewness(invalid) < 0 and max(invalid) <= 400 + 60 * 3 + 150


# ------------------------------------------------------------------ the race's defining properties


def test_race_winner_probabilities_equal_the_normalised_rates(recall) -> None:
    rates = np.array([0.004, 0.001, 0.002, 0.0005])
    rng = np.random.default_rng(0)
    winners = np.array([recall.race(rates, 300.0, rng)[0] for _ in range(20_000)])
    frequencies = np.bincount(winners, minlength=len(rates)) / len(winners)
    expected = rates / rates.sum()
    se = np.sqrt(expected * (1 - expected) / len(winners))
    assert np.all(np.abs(frequencies - expected) < 4 * se), (frequencies, expected)


def test_race_winner_probabilities_are_the_attention_weights_of_demo_5(recall, reference) -> None:
    """P(win) = softmax((probe + a·cue)·K / T): Demo 5's weights with that query."""
    rng = np.random.default_rng(1)
    keys = recall.unit(rng.standard_normal((6, 16)))
    probe, cue = recall.unit(rng.standard_normal(16)), recall.unit(rng.standard_normal(16))
    share, temperature = 0.6, 0.2
    rates = recall.race_rates(keys @ probe, keys @ cue, share, temperature, 0.002)
    _, weights = reference.attention.DotProductAttention(temperature).attend(
        probe + share * cue, keys, np.eye(6))
    assert np.allclose(rates / rates.sum(), weights)


def test_race_time_is_exponential_with_the_total_rate(recall) -> None:
    rates = np.array([0.003, 0.001, 0.001])
    rng = np.random.default_rng(2)
    times = np.array([recall.race(rates, 250.0, rng)[1] for _ in range(20_000)]) - 250.0
    assert times.min() >= 0
    mean = 1 / rates.sum()
    assert abs(times.mean() - mean) < 4 * mean / math.sqrt(len(times))
    assert abs(recall.skewness(times) - 2.0) < 0.3  # the exponential's skewness is 2


def test_with_fixed_rates_errors_and_correct_answers_have_the_same_times(recall) -> None:
    """The pure race's caveat: slow errors need rates that vary across trials."""
    rates = np.array([0.004, 0.002, 0.002])
    rng = np.random.default_rng(3)
    runs = [recall.race(rates, 0.0, rng) for _ in range(20_000)]
    correct = np.array([t for w, t in runs if w == 0])
    errors = np.array([t for w, t in runs if w != 0])
    se = math.hypot(correct.std() / math.sqrt(len(correct)), errors.std() / math.sqrt(len(errors)))
    assert abs(correct.mean() - errors.mean()) < 4 * se


def test_the_race_never_sees_the_target(recall) -> None:
    """Only the earlier closed-form rule is told which item is the target."""
    for function in (recall.race_rates, recall.race):
        assert "target" not in inspect.signature(function).parameters, function.__name__
    assert "target" in inspect.signature(recall.closed_form_rt).parameters


def test_same_seed_same_trials_and_design_proportions(recall) -> None:
    first = recall.run_posner(n_trials=90, seed=7)
    again = recall.run_posner(n_trials=90, seed=7)
    assert [(t["target"], t["recalled"], t["rt_ms"]) for t in first] == \
        [(t["target"], t["recalled"], t["rt_ms"]) for t in again]
    counts = {c: sum(t["condition"] == c for t in first) for c in recall.POSNER_CONDITIONS}
    assert counts == {"valid": 48, "neutral": 30, "invalid": 12}
    for trial in first:
        assert trial["correct"] == (trial["recalled"] == trial["target"])
        assert trial["weights"].shape == (recall.Params().list_length,)


def test_trial_table_cues_point_where_the_condition_says(recall) -> None:
    for trial in recall.run_posner(n_trials=300, seed=4):
        if trial["condition"] == "valid":
            assert trial["cued"] == trial["target_index"]
        elif trial["condition"] == "invalid":
            assert trial["cued"] not in (-1, trial["target_index"])
        else:
            assert trial["cued"] == -1 and trial["cue"] == ""


def test_cue_reliability_is_zero_at_chance_and_one_when_always_valid(recall) -> None:
    assert recall.cue_reliability(1 / 8, 8) == 0 == recall.cue_reliability(0.05, 8)
    assert recall.cue_reliability(1.0, 8) == 1
    assert recall.cue_reliability(0.5, 2) == 0 < recall.cue_reliability(0.5, 8)


def test_blend_has_the_requested_cosine(recall) -> None:
    rng = np.random.default_rng(0)
    base, other = rng.standard_normal(64), rng.standard_normal(64)
    for similarity in (0.0, 0.3, 0.9, 1.0):
        mixed = recall.blend(base, other, similarity)
        assert abs(np.linalg.norm(mixed) - 1) < 1e-12
        assert abs(mixed @ base / np.linalg.norm(base) - similarity) < 1e-12
