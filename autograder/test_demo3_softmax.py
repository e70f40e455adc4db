"""Demo 3: stable_softmax — exponentiate and normalise, without overflow."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from recallkit.grading.hints import expect, expect_array, expect_close

LOAD = ["softmax"]
SUBSTITUTES: dict = {}

scores_strategy = arrays(np.float64, array_shapes(min_dims=1, max_dims=2, max_side=6),
                         elements=st.floats(-50, 50, allow_subnormal=False))


def call(student, scores: np.ndarray) -> np.ndarray:
    return expect_array(student.softmax.stable_softmax(scores), scores.shape,
                        f"stable_softmax(scores of shape {scores.shape})")


@pytest.mark.points(3)
def test_matches_reference(student, reference, rng):
    """equals the reference on random scores (1-D and 2-D)"""
    for shape in [(5,), (3, 4)]:
        scores = rng.normal(size=shape) * 3
        expect_close(call(student, scores), reference.softmax.stable_softmax(scores),
                     f"stable_softmax differs from exp(s) / sum(exp(s)) for scores of shape "
                     f"{shape} (normalise over the last axis only)")


@pytest.mark.points(1)
@given(scores=scores_strategy)
def test_distribution(student, scores):
    """weights are non-negative and sum to 1 over the last axis"""
    weights = call(student, scores)
    expect(np.all(weights >= 0), "stable_softmax returned negative weights")
    expect_close(weights.sum(axis=-1), np.ones(scores.shape[:-1]),
                 "the weights should sum to 1 over the last axis (divide by the sum "
                 "with keepdims=True)")


@pytest.mark.points(1)
@given(scores=scores_strategy, shift=st.floats(-100, 100))
def test_shift_invariance(student, scores, shift):
    """adding a constant to every score changes nothing"""
    expect_close(call(student, scores).sum(axis=-1), np.ones(scores.shape[:-1]),
                 "the weights should sum to 1 over the last axis")
    expect_close(call(student, scores + shift), call(student, scores),
                 "adding the same number to every score changed the weights")


@pytest.mark.points(2)
def test_large_scores(student):
    """no overflow, NaN or warning for scores near ±1000"""
    scores = np.array([1000.0, 999.0, -1000.0, 998.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = np.exp(scores - scores.max()) / np.exp(scores - scores.max()).sum()
    got = student.softmax.stable_softmax(scores)
    expect(isinstance(got, np.ndarray) and np.all(np.isfinite(got)),
           "exp overflowed for scores near 1000 (NaN or inf): subtract the largest score "
           "before exponentiating")
    expect_close(call(student, scores), expected, "wrong weights for scores near ±1000")
    expect_close(call(student, -scores), call(student, -scores - 500),
                 "wrong weights for scores near −1000 (underflow): subtract the largest score")


@pytest.mark.points(1)
def test_order_preserved(student, rng):
    """a higher score never gets less weight"""
    scores = rng.normal(size=8)
    weights = call(student, scores)
    expect(np.array_equal(np.argsort(weights, kind="stable"), np.argsort(scores, kind="stable")),
           "the weights are not in the same order as the scores")
