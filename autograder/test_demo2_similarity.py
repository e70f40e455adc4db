"""Demo 2: Similarity — cosine similarity and euclidean distance."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from recallkit.grading.hints import expect, expect_close, expect_number, expect_student_raises
from recallkit.grading.reference import reference

MESSAGES = reference().messages.MESSAGES
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
        for wrong, key in ((1 - cos_formula(a, b), "cosine_distance"),
                           (float(a @ b), "dot_not_cosine")):
            expect(not np.isclose(got, wrong, atol=1e-6), MESSAGES[key])
        expect_close(got, cos_formula(a, b), MESSAGES["cosine_formula"])


@pytest.mark.points(2)
def test_euclidean_formula(student, rng):
    """euclidean(a, b) = ‖a − b‖, not squared"""
    sim = student.similarity.Similarity("euclidean")
    for _ in range(5):
        a, b = rng.normal(size=5) * 2, rng.normal(size=5)
        got = expect_number(sim.euclidean(a, b), "euclidean(a, b)")
        want = float(np.linalg.norm(a - b))
        for wrong, key in ((want ** 2, "squared_distance"), (-want, "negative_distance"),
                           (float(np.abs(a - b).sum()), "city_block")):
            expect(not np.isclose(got, wrong, rtol=1e-6), MESSAGES[key])
        expect_close(got, want, MESSAGES["euclidean_formula"])


@pytest.mark.points(2)
def test_call_follows_metric(student, rng):
    """calling the object scores by its metric: cos θ, or −‖a − b‖ (by its own methods)"""
    # Compared with the object's own cosine and euclidean: a formula mistake there is
    # charged by their tests, not again here.
    a, b = rng.normal(size=4), rng.normal(size=4)
    cosine = student.similarity.Similarity("cosine")
    by_call = expect_number(cosine(a, b), "Similarity('cosine')(a, b)")
    expect_close(by_call, expect_number(cosine.cosine(a, b), "cosine(a, b)"),
                 MESSAGES["call_ignores_metric"])
    euclidean = student.similarity.Similarity("euclidean")
    by_call = expect_number(euclidean(a, b), "Similarity('euclidean')(a, b)")
    distance = expect_number(euclidean.euclidean(a, b), "euclidean(a, b)")
    expect(not (np.isclose(by_call, distance) and not np.isclose(distance, 0)),
           MESSAGES["call_plus_distance"])
    expect_close(by_call, -distance, MESSAGES["call_ignores_metric"])


@pytest.mark.points(1)
def test_unknown_metric(student):
    """an unknown metric raises ValueError"""
    expect_student_raises(lambda: student.similarity.Similarity("manhattan"), "ValueError",
                          MESSAGES["unknown_metric"])


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
