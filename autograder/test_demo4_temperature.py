"""Demo 4: softmax with a temperature — how sharply attention is focused."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from recallkit.grading.hints import expect, expect_array, expect_close, expect_student_raises
from recallkit.grading.reference import reference
from recallkit.sandbox.session import StudentError

MESSAGES = reference().messages.MESSAGES

LOAD = ["softmax"]
# Demo 3's core comes from the reference: a Demo 3 mistake is not charged again here.
SUBSTITUTES: dict = {"softmax": ["stable_softmax"]}


def call(student, scores: np.ndarray, temperature: float) -> np.ndarray:
    return expect_array(student.softmax.softmax(scores, temperature), np.shape(scores),
                        f"softmax(scores, temperature={temperature:g})")


def entropy(p: np.ndarray) -> float:
    p = p[p > 0]
    return float(-(p * np.log(p)).sum())


@pytest.mark.points(3)
def test_matches_reference(student, reference, rng):
    """equals the reference at several temperatures"""
    scores = rng.normal(size=(2, 6)) * 2
    for temperature in (0.25, 1.0, 3.0):
        got = call(student, scores, temperature)
        want = reference.softmax.softmax(scores, temperature)
        if temperature != 1:
            for wrong, key in ((scores * temperature, "times_temperature"),
                               (scores, "ignores_temperature")):
                expect(not np.allclose(got, reference.softmax.stable_softmax(wrong)),
                       MESSAGES[key])
        expect_close(got, want, MESSAGES["temperature_formula"])


@pytest.mark.points(1)
def test_default_temperature(student, reference, rng):
    """the default temperature is 1"""
    scores = rng.normal(size=5)
    try:
        weights = student.softmax.softmax(scores)
    except StudentError as exc:
        if exc.is_a("TypeError"):
            expect(False, MESSAGES["default_temperature"])
        raise
    expect_close(expect_array(weights, (5,), "softmax(scores)"),
                 reference.softmax.stable_softmax(scores), MESSAGES["default_temperature"])


@pytest.mark.points(2)
def test_cold_limit_one_hot(student):
    """T → 0 puts all weight on the maximum, and ties share it"""
    weights = student.softmax.softmax(np.array([1.0, 3.0, 2.0]), 1e-4)
    expect(not isinstance(weights, np.ndarray) or np.all(np.isfinite(weights)),
           MESSAGES["cold_overflow"])
    weights = call(student, np.array([1.0, 3.0, 2.0]), 1e-4)
    expect_close(weights, [0, 1, 0], "at a tiny temperature all weight should go to the "
                 "largest score", atol=1e-6)
    tied = call(student, np.array([2.0, 0.5, 2.0]), 1e-4)
    expect_close(tied, [0.5, 0, 0.5], "two equal maxima should share the weight at a tiny "
                 "temperature", atol=1e-6)


@pytest.mark.points(1)
def test_hot_limit_uniform(student, rng):
    """T → ∞ gives uniform weights"""
    scores = rng.normal(size=6)
    expect_close(call(student, scores, 1e6), np.full(6, 1 / 6),
                 "at a huge temperature the weights should be uniform", atol=1e-4)


@pytest.mark.points(1)
@given(temperatures=st.lists(st.floats(0.05, 50), min_size=2, max_size=4, unique=True).filter(
    lambda ts: min(np.diff(np.log(sorted(ts)))) > 0.1))
def test_entropy_grows(student, temperatures):
    """the entropy of the weights grows with the temperature"""
    scores = np.array([2.0, -1.0, 0.5, 1.5, -0.3])
    temperatures = sorted(temperatures)
    weights = [call(student, scores, t) for t in temperatures]
    expect(all(np.isclose(w.sum(), 1) for w in weights), "the weights should sum to 1")
    entropies = [entropy(w) for w in weights]
    expect(all(a < b for a, b in zip(entropies, entropies[1:], strict=False)),
           "a higher temperature should spread the weights (higher entropy), but it "
           "sharpened them")


@pytest.mark.points(2)
def test_rejects_bad_temperature(student):
    """temperature ≤ 0 raises ValueError"""
    for bad in (0.0, -1.0):
        expect_student_raises(lambda bad=bad: student.softmax.softmax(np.ones(3), bad),
                              "ValueError", f"softmax(scores, temperature={bad:g}): "
                              + MESSAGES["bad_temperature"])
