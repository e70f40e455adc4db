"""Mini-Project 3: cued recall — traces, cue reliability and share, the race, breaking the model.

One property per test. Feedback uses the texts of ``recall_messages.py``, the same
words the notebook's visible checks (``recall_checks.py``) print for the same mistake.
"""

import functools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recallkit.grading.hints import expect, expect_array, expect_close, expect_number
from recallkit.grading.parallel import side_by_side
from recallkit.grading.reference import reference

LOAD = ["recall"]
# Demos 1–5 come from the reference (error carried forward).
SUBSTITUTES: dict = {"encoder": None, "similarity": None, "softmax": None, "attention": None}
MESSAGES = reference().recall_messages.MESSAGES
# Parameter values a "break the model" answer may use: the reference model runs them in the
# grader's process, so they must be numbers in a range that keeps it small and fast.
BREAK_BOUNDS = {"dim": (2, 256), "list_length": (2, 32), "temperature": (0.005, 100.0),
                "tau_ms": (1.0, 1e5), "rate_per_ms": (1e-5, 10.0), "vocab_seed": (0, 2**31)}


def unit(vectors: np.ndarray) -> np.ndarray:
    return vectors / np.linalg.norm(vectors, axis=-1, keepdims=True)


def generator(student, seed: int):
    """A handle to np.random.default_rng(seed) made in the sandbox (a Generator is not
    plain data, so it cannot be sent there)."""
    return student.recall.np.random.default_rng(seed)


def encode(student, words, contexts, noise: float, seed: int) -> np.ndarray:
    traces = student.recall.encode_traces(words, contexts, noise, generator(student, seed))
    traces = expect_array(traces, words.shape, "encode_traces(words, contexts, noise, rng)")
    expect_close(np.linalg.norm(traces, axis=1), np.ones(len(words)), MESSAGES["traces_not_unit"])
    return traces


@pytest.mark.points(1)
def test_traces_without_noise(student, rng):
    """with no noise a trace is unit(word + context)"""
    words, contexts = unit(rng.normal(size=(6, 16))), unit(rng.normal(size=(6, 16)))
    traces = encode(student, words, contexts, 0.0, 1)
    expect(not np.allclose(traces, words, atol=1e-6), MESSAGES["traces_no_context"])
    expect_close(traces, unit(words + contexts), MESSAGES["traces_formula"])


@pytest.mark.points(1)
def test_traces_with_noise(student, reference, rng):
    """noisy traces equal the reference's for the same random generator"""
    words, contexts = unit(rng.normal(size=(6, 16))), unit(rng.normal(size=(6, 16)))
    seed = int(rng.integers(2**32))
    traces = encode(student, words, contexts, 1.5, seed)
    expect(not np.allclose(traces, unit(words + contexts), atol=1e-3), MESSAGES["traces_no_noise"])
    want = reference.recall.encode_traces(words, contexts, 1.5, np.random.default_rng(seed))
    expect_close(traces, want, MESSAGES["traces_formula"])


def reliability(student, p_valid: float, n: int) -> float:
    return expect_number(student.recall.cue_reliability(p_valid, n),
                         "cue_reliability(p_valid, list_length)")


@pytest.mark.points(1)
def test_reliability_is_zero_at_or_below_chance(student):
    """a cue right no more often than chance gets reliability 0"""
    expect(abs(reliability(student, 0.25, 4)) < 1e-9, MESSAGES["reliability_chance"])
    expect(abs(reliability(student, 0.05, 8)) < 1e-9, MESSAGES["reliability_clip"])


@pytest.mark.points(1)
@settings(max_examples=10)  # a closed form: a few examples suffice, and time counts
@given(p_valid=st.floats(0, 1), n=st.integers(2, 32))
def test_reliability_formula(student, reference, p_valid, n):
    """the reliability is (p_valid − 1/n) / (1 − 1/n), clipped to [0, 1]"""
    want = reference.recall.cue_reliability(p_valid, n)
    expect(abs(reliability(student, p_valid, n) - want) < 1e-9, MESSAGES["reliability_formula"])


def share(student, interval: float, capture: float, tau: float) -> float:
    return expect_number(student.recall.cue_capture(interval, capture, tau),
                         "cue_capture(interval_ms, capture, tau_ms)")


@pytest.mark.points(1)
def test_capture_limits(student):
    """the cue's share is 0 at interval 0 and approaches capture at long intervals"""
    expect(abs(share(student, 0.0, 0.7, 300.0)) < 1e-9, MESSAGES["capture_zero"])
    expect(abs(share(student, -200.0, 0.7, 300.0)) < 1e-9, MESSAGES["capture_negative"])
    expect(abs(share(student, 30_000.0, 0.7, 300.0) - 0.7) < 1e-6, MESSAGES["capture_limit"])


@pytest.mark.points(1)
@settings(max_examples=10)
@given(interval=st.floats(0, 3000), capture=st.floats(0.05, 1), tau=st.floats(10, 1000))
def test_capture_formula(student, reference, interval, capture, tau):
    """the share is capture · (1 − exp(−interval / tau))"""
    got = share(student, interval, capture, tau)
    expect(abs(got - reference.recall.cue_capture(interval, capture, tau)) < 1e-9,
           MESSAGES["capture_formula"])


def rates(student, probe, cue, a: float, temperature: float) -> np.ndarray:
    got = student.recall.race_rates(probe, cue, a, temperature, 0.002)
    got = expect_array(got, probe.shape, "race_rates(probe_scores, cue_scores, share, T, rate)")
    expect(np.all(got > 0), MESSAGES["rates_shape"])
    return got


@pytest.mark.points(1)
def test_rates_follow_the_evidence_without_a_cue(student, rng):
    """with no cue the rates are rate · exp(probe_scores / T) / n"""
    probe = rng.uniform(-0.4, 0.4, size=6)
    for temperature in (0.1, 0.5):
        got = rates(student, probe, np.zeros(6), 0.0, temperature)
        expect(not np.allclose(got, 0.002 * np.exp(probe) / 6, rtol=1e-6),
               MESSAGES["rates_evidence_temperature"])
        expect_close(got, 0.002 * np.exp(probe / temperature) / 6, MESSAGES["rates_formula"],
                     rtol=1e-6, atol=1e-12)


@pytest.mark.points(2)
def test_rates_weight_the_evidence_by_the_cues_attention(student, reference, rng):
    """the cue's attention softmax(share · cue_scores, T) multiplies the evidence"""
    probe, cue = rng.uniform(-0.4, 0.4, size=6), rng.uniform(-0.4, 0.4, size=6)
    for a, temperature in ((0.6, 0.1), (0.3, 0.2)):
        got = rates(student, probe, cue, a, temperature)
        expect(not np.allclose(got, 0.002 * np.exp(probe / temperature) / 6, rtol=1e-6),
               MESSAGES["rates_ignore_cue"])
        at_one = np.exp(a * cue) / np.exp(a * cue).sum()
        expect(not np.allclose(got, 0.002 * np.exp(probe / temperature) * at_one, rtol=1e-6),
               MESSAGES["rates_attention_temperature"])
        want = reference.recall.race_rates(probe, cue, a, temperature, 0.002)
        expect_close(got, want, MESSAGES["rates_formula"], rtol=1e-6, atol=1e-12)


def run_race(student, rates_, t0: float, seed: int) -> tuple[int, float]:
    result = student.recall.race(rates_, t0, generator(student, seed))
    expect(isinstance(result, tuple) and len(result) == 2, MESSAGES["race_return"])
    winner, rt = result
    expect(isinstance(winner, int) and not isinstance(winner, bool), MESSAGES["race_return"])
    return winner, expect_number(rt, "the response time returned by race")


@pytest.mark.points(1)
def test_race_first_to_finish_wins(student, rng):
    """the winner is the first finisher of rng.exponential(1 / rates); RT = t0 + its time"""
    races = []
    for _ in range(3):
        race_rates = rng.uniform(0.0005, 0.005, size=5)
        seed = int(rng.integers(2**32))
        races.append((*run_race(student, race_rates, 250.0, seed),
                      np.random.default_rng(seed).exponential(1 / race_rates)))
    # "The slowest wins" only when it did in every race: a winner chosen some other way
    # can be the slowest once by chance, and its hint must not depend on the draw.
    expect(not all(winner == int(np.argmax(times)) != int(np.argmin(times))
                   for winner, _, times in races), MESSAGES["race_slowest"])
    for winner, rt, times in races:
        expect(rt >= 250.0 and abs(rt - times.min()) > 1e-6, MESSAGES["race_no_t0"])
        expect(winner == int(np.argmin(times)) and abs(rt - 250.0 - times.min()) < 1e-6,
               MESSAGES["race_draw"])


@pytest.mark.points(1)
def test_race_winners_follow_the_rates(student):
    """each accumulator wins in proportion to its rate"""
    race_rates = np.array([0.004, 0.001, 0.002, 0.001])
    # 400 races on one generator, asked in one round trip.
    wins = student.repeat(student.recall.race, 400, race_rates, 0.0, generator(student, 11),
                          check=winner)
    counts = np.bincount(wins, minlength=4) / len(wins)
    expect(counts.min() > 0.02, MESSAGES["race_not_random"])
    expected = race_rates / race_rates.sum()
    se = np.sqrt(expected * (1 - expected) / len(wins))
    expect(np.all(np.abs(counts - expected) < 4 * se), MESSAGES["race_draw"])


def winner(result) -> int:
    """The winner of what race returned."""
    expect(isinstance(result, tuple) and len(result) == 2, MESSAGES["race_return"])
    return int(result[0])


def break_params(student, function: str) -> dict:
    """The student's parameter values, checked to be safe to run in this process."""
    params = getattr(student.recall, function)()
    names = reference().recall.PARAMETER_NAMES
    expect(isinstance(params, dict) and all(isinstance(k, str) and k in names for k in params),
           MESSAGES["break_names"])
    for name, value in params.items():
        low, high = BREAK_BOUNDS.get(name, (0.0, 1e4))
        expect(isinstance(value, int | float) and not isinstance(value, bool)
               and math.isfinite(value) and low <= value <= high,
               f"{MESSAGES['break_names']}; {name} should be a number between {low:g} and "
               f"{high:g}")
    return params


# The trial columns summarise() reads: all that comes back from a forked copy.
SUMMARISED = ("condition", "correct", "rt_ms", "max_weight", "entropy_bits")


def pooled_summary(run: str, seeds: tuple[int, ...], **arguments) -> dict:
    """summarise() of the reference's ``run`` (run_posner, run_encoding) pooled over
    ``seeds``, the seeds computed side by side (one per core): the numbers are the same."""
    def columns(seed: int) -> list[list]:
        trials = getattr(reference().recall, run)(seed=seed, **arguments)
        return [[trial[name] for name in SUMMARISED] for trial in trials]

    parts = side_by_side([functools.partial(columns, seed) for seed in seeds])
    return reference().recall.summarise([dict(zip(SUMMARISED, row, strict=True))
                                         for part in parts for row in part])


@pytest.mark.points(1)
def test_break_valid_benefit(student, reference):
    """the parameter values returned abolish the valid benefit in the reference model"""
    params = break_params(student, "break_valid_benefit")
    summary = pooled_summary("run_posner", (3, 4), n_trials=900, balanced=True, **params)
    effects = reference.recall.cueing_effects(summary)
    expect(effects["rt_benefit_ms"] < 2 * effects["rt_benefit_ms_se"], MESSAGES["break_benefit"])


@pytest.mark.points(1)
def test_break_encoding_specificity(student, reference):
    """the parameter values returned make the associate as good as the study-context cue"""
    params = break_params(student, "break_encoding_specificity")
    summary = pooled_summary("run_encoding", (3, 4), n_trials=800, **params)
    context, associate = summary["paired/context"], summary["paired/associate"]
    se = math.hypot(context["accuracy_se"], associate["accuracy_se"])
    expect(associate["accuracy"] > context["accuracy"] - 2 * se, MESSAGES["break_associate"])


@pytest.mark.points(1)
def test_my_experiment_returns_a_measure_per_condition_and_seed(student):
    """my_experiment returns {condition: [one number per seed]}, two conditions or more"""
    results = student.recall.my_experiment([0], seconds=20.0)
    expect(isinstance(results, dict) and len(results) >= 2, MESSAGES["experiment_shape"])
    for values in results.values():
        # NaN counts as a number: a condition with no correct trial has no mean RT.
        numbers = isinstance(values, list | tuple) and all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in values)
        expect(numbers and len(values) == 1, MESSAGES["experiment_shape"])


def paired_trials(student, reference, pairs: int, seed: int) -> dict[str, list]:
    """Valid and invalid trials (default parameters) on the same lists, traces and probes.

    Pair i draws from a generator seeded seed + i in both conditions, so the two
    differ only in the cue. The vocabulary is sent from here: built in the
    sandbox it would take many calls to the trusted encoder.
    """
    defaults = reference.recall.Params()
    lexicon = student.put(reference.recall.vocabulary(defaults.dim, defaults.vocab_seed))
    params = student.recall.make_params()
    trials: dict[str, list] = {"valid": [], "invalid": []}
    for i in range(pairs):
        for condition, rows in trials.items():
            rows.append(student.recall.simulate_trial(condition, params, lexicon,
                                                      generator(student, seed + i)))
    return trials


@pytest.mark.points(1)
def test_posner_cueing(student, reference):
    """on the same study lists, a valid cue gives the target more weight than an invalid one"""
    trials = paired_trials(student, reference, 16, 6)
    weight = {}
    for condition, rows in trials.items():
        expect(all(isinstance(row, dict) for row in rows),
               "simulate_trial should return a dict per trial")
        weight[condition] = np.mean([expect_array(row["weights"], (8,), "a trial's weights")
                                     [row["target_index"]] for row in rows])
    expect(weight["valid"] - weight["invalid"] >= 0.15,
           f"valid cues should help recall and invalid ones hurt it, but on the same study "
           f"lists the target's chance of winning the race was {weight['valid']:.0%} after a "
           f"valid cue vs {weight['invalid']:.0%} after an invalid one: check that race_rates "
           "weights the evidence by the cue's attention, with the share from cue_reliability "
           "and cue_capture")
