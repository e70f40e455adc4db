"""Demo 2: Similarity — cosine similarity and euclidean distance."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from recallkit.grading.hints import expect, expect_close, expect_number, expect_student_raises

LOAD = ["similarity"]
SUBSTITUTES: dict = {}

vectors = arrays(np.float64, 6, elements=st.floats(-10, 10, allow_subnormal=False)).filter(
    lambda v: np.linalg.norm(v) > 1e-3)


def cos_formula(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


@pytest.mark.points(2)
def test_cosine_formula(student, rng):
    """cosine(a, b) = a·b / (‖a‖‖b‖) on random vectors"""
    sim = student.similarity.Similarity("cosine")
    for _ in range(5):
        a, b = rng.normal(size=7) * 3, rng.normal(size=7)
        got = expect_number(sim.cosine(a, b), "cosine(a, b)")
        if np.isclose(got, 1 - cos_formula(a, b), atol=1e-6):
            expect(False, "cosine returned 1 − cos θ (a distance): return cos θ itself, a "
                   "similarity where higher means more alike")
        expect_close(got, cos_formula(a, b), "cosine(a, b) should be a·b / (‖a‖ ‖b‖): did "
                     "you divide by both norms?")


@pytest.mark.points(2)
def test_euclidean_formula(student, rng):
    """euclidean(a, b) = ‖a − b‖, not squared"""
    sim = student.similarity.Similarity("euclidean")
    for _ in range(5):
        a, b = rng.normal(size=5) * 2, rng.normal(size=5)
        got = expect_number(sim.euclidean(a, b), "euclidean(a, b)")
        want = float(np.linalg.norm(a - b))
        if np.isclose(got, want ** 2, rtol=1e-6) and not np.isclose(want, 1):
            expect(False, "euclidean returned the squared distance: take the square root")
        expect_close(got, want, "euclidean(a, b) should be the length ‖a − b‖")


@pytest.mark.points(2)
def test_call_follows_metric(student, rng):
    """calling the object scores by its metric: cos θ, or −‖a − b‖"""
    a, b = rng.normal(size=4), rng.normal(size=4)
    cosine = expect_number(student.similarity.Similarity("cosine")(a, b),
                           "Similarity('cosine')(a, b)")
    expect_close(cosine, cos_formula(a, b), "Similarity('cosine')(a, b) should return cos θ")
    euclid = expect_number(student.similarity.Similarity("euclidean")(a, b),
                           "Similarity('euclidean')(a, b)")
    want = -float(np.linalg.norm(a - b))
    if np.isclose(euclid, -want):
        expect(False, "Similarity('euclidean')(a, b) returned +distance: a similarity must be "
               "higher for closer vectors, so return −‖a − b‖")
    expect_close(euclid, want, "Similarity('euclidean')(a, b) should return −‖a − b‖")


@pytest.mark.points(1)
def test_unknown_metric(student):
    """an unknown metric raises ValueError"""
    expect_student_raises(lambda: student.similarity.Similarity("manhattan"), "ValueError",
                          "Similarity('manhattan') should raise ValueError")


@pytest.mark.points(2)
@given(a=vectors, b=vectors, scale=st.floats(0.1, 100))
def test_cosine_properties(student, a, b, scale):
    """cosine is symmetric, scale invariant, and cos(a, −a) = −1"""
    sim = student.similarity.Similarity("cosine")
    ab = expect_number(sim.cosine(a, b), "cosine(a, b)")
    expect(np.isclose(ab, expect_number(sim.cosine(b, a), "cosine(b, a)"), atol=1e-9),
           "cosine(a, b) and cosine(b, a) differ: cosine must be symmetric")
    expect(np.isclose(ab, expect_number(sim.cosine(scale * a, b), "cosine(k·a, b)"), atol=1e-6),
           "cosine changed when a vector was scaled: normalise by both vector norms")
    expect(np.isclose(expect_number(sim.cosine(a, -a), "cosine(a, −a)"), -1, atol=1e-6),
           "cosine(a, −a) should be −1")


@pytest.mark.points(1)
@given(a=vectors, b=vectors)
def test_euclidean_properties(student, a, b):
    """euclidean is symmetric, zero for equal vectors, non-negative"""
    sim = student.similarity.Similarity("euclidean")
    ab = expect_number(sim.euclidean(a, b), "euclidean(a, b)")
    expect(ab >= 0, "euclidean returned a negative distance")
    expect(np.isclose(ab, expect_number(sim.euclidean(b, a), "euclidean(b, a)")),
           "euclidean(a, b) and euclidean(b, a) differ")
    expect(np.isclose(expect_number(sim.euclidean(a, a), "euclidean(a, a)"), 0, atol=1e-9),
           "euclidean(a, a) should be 0")
