"""Demo 3: stable_softmax — exponentiate and normalise, without overflow."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from recallkit.grading.hints import expect, expect_array, expect_close
from recallkit.grading.reference import reference

MESSAGES = reference().messages.MESSAGES
LOAD = ["softmax"]
SUBSTITUTES: dict = {}

# 1-D scores here; the batch (2-D) behaviour has its own test.
scores_strategy = arrays(np.float64, st.integers(1, 6),
                         elements=st.floats(-50, 50, allow_subnormal=False))


def call(student, scores: np.ndarray) -> np.ndarray:
    return expect_array(student.softmax.stable_softmax(scores), scores.shape,
                        f"stable_softmax(scores of shape {scores.shape})")


def softmax_formula(scores: np.ndarray) -> np.ndarray:
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return weights / weights.sum(axis=-1, keepdims=True)


@pytest.mark.points(2)
def test_matches_reference(student, rng):
    """equals exp(s) / sum(exp(s)) on random scores"""
    scores = rng.normal(size=6) * 3
    got = call(student, scores)
    expect(reference().checks.exp_ratios_hold(got, scores), MESSAGES["no_exp"])
    expect_close(got, softmax_formula(scores), MESSAGES["softmax_formula"])


@pytest.mark.points(1)
@given(scores=scores_strategy)
def test_distribution(student, scores):
    """weights are non-negative and sum to 1"""
    weights = call(student, scores)
    expect(np.all(weights >= 0), "stable_softmax returned negative weights")
    expect_close(weights.sum(), 1.0, "the weights should sum to 1 (divide by their sum)")


@pytest.mark.points(1)
@given(scores=scores_strategy.filter(lambda s: s.size > 1),
       bump=st.floats(-5, 5).filter(lambda x: abs(x) > 0.1))
def test_exponential_ratios(student, scores, bump):
    """raising one score by δ multiplies its weight relative to any other by e^δ"""
    before = call(student, scores)
    raised = scores.copy()
    raised[0] += bump
    after = call(student, raised)
    expect(np.all(before > 0) and np.all(after > 0) and np.isclose(
        (after[0] / after[1:]).max() / (before[0] / before[1:]).max(), np.exp(bump),
        rtol=1e-4), MESSAGES["no_exp"])


@pytest.mark.points(2)
def test_large_scores(student):
    """no overflow, NaN or warning for scores near ±1000 or 2000 apart, also row by row"""
    for scores in (np.array([1000.0, 999.0, 998.5]), np.array([-1000.0, -999.0, -998.5]),
                   np.array([1000.0, 999.0, -1000.0, 998.0])):
        got = student.softmax.stable_softmax(scores)
        expect(isinstance(got, np.ndarray) and np.all(np.isfinite(got)), MESSAGES["overflow"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expect_close(call(student, scores), softmax_formula(scores), MESSAGES["overflow"])
    batch = np.array([[1000.0, 999.0, 998.5], [-1000.0, -999.0, -998.5]])
    got = student.softmax.stable_softmax(batch)
    expect(isinstance(got, np.ndarray) and np.all(np.isfinite(got)), MESSAGES["row_overflow"])
    got = call(student, batch)  # normalising over the right axis is the batch test's part
    expect_close(got / got.sum(axis=-1, keepdims=True), softmax_formula(batch),
                 MESSAGES["row_overflow"])


@pytest.mark.points(1)
def test_batch_rows(student, rng):
    """each row of a 2-D batch is the softmax of that row alone"""
    scores = rng.normal(size=(3, 4)) * 3 + np.array([[0.0], [20.0], [-20.0]])
    expect_close(call(student, scores), softmax_formula(scores), MESSAGES["batch_rows"])


@pytest.mark.points(1)
def test_input_unchanged(student, rng):
    """weights come back and the caller's array of scores is left unchanged"""
    scores = rng.normal(size=6)
    handle = student.put(scores)
    weights = expect_array(student.softmax.stable_softmax(handle), scores.shape,
                           "stable_softmax(scores)")
    expect(np.all(weights >= 0) and np.isclose(weights.sum(), 1),
           "stable_softmax should return weights that are non-negative and sum to 1")
    expect(np.array_equal(student.child().get(handle, ""), scores), MESSAGES["mutates_input"])
