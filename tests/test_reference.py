"""The reference solution, checked against scipy and against its own documented contract."""

import itertools
import json
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pytest
import scipy.special
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays
from scipy.spatial import distance

from recallkit.paths import SOLUTIONS

# Reproducible examples: a failure found once is found on every run.
EXAMPLES = settings(derandomize=True, max_examples=60, deadline=None)
TEMPERATURES = (1e-3, 0.1, 0.5, 1.0, 3.0, 1e3)

scores_arrays = arrays(np.float64, array_shapes(min_dims=1, max_dims=3, max_side=6),
                       elements=st.floats(-1e3, 1e3))
vectors = st.integers(1, 12).flatmap(
    lambda d: st.tuples(*[arrays(np.float64, d, elements=st.floats(-1e3, 1e3))] * 2))


@contextmanager
def strict_numerics() -> Iterator[None]:
    """Turn every warning and floating-point fault into an error.

    Underflow is allowed: exp of a very negative shifted score is exactly the
    0 weight a softmax must give.
    """
    with warnings.catch_warnings(), np.errstate(all="raise", under="ignore"):
        warnings.simplefilter("error")
        yield


# ---------------------------------------------------------------- softmax vs scipy


@EXAMPLES
@given(scores=scores_arrays)
def test_stable_softmax_matches_scipy(reference, scores):
    expected = scipy.special.softmax(scores, axis=-1)
    np.testing.assert_allclose(reference.softmax.stable_softmax(scores), expected,
                               rtol=1e-9, atol=1e-15)


@EXAMPLES
@given(scores=scores_arrays, temperature=st.sampled_from(TEMPERATURES))
def test_softmax_matches_scipy_at_every_temperature(reference, scores, temperature):
    expected = scipy.special.softmax(scores / temperature, axis=-1)
    weights = reference.softmax.softmax(scores, temperature)
    assert weights.shape == scores.shape
    np.testing.assert_allclose(weights, expected, rtol=1e-9, atol=1e-15)


def test_softmax_default_temperature_is_one(reference):
    scores = np.array([0.3, -1.2, 2.0])
    np.testing.assert_array_equal(reference.softmax.softmax(scores),
                                  reference.softmax.softmax(scores, 1.0))


# ---------------------------------------------------------------- softmax contract


@pytest.mark.parametrize("temperature", [0.0, -0.0, -1e-12, -2.0])
def test_softmax_rejects_non_positive_temperature(reference, temperature):
    with pytest.raises(ValueError, match="temperature"):
        reference.softmax.softmax(np.array([1.0, 2.0]), temperature)


@pytest.mark.parametrize("temperature", [1.0, 1e-4])
def test_softmax_is_quiet_and_exact_for_huge_scores(reference, temperature):
    scores = np.array([[1000.0, -1000.0, 999.0], [-1000.0, -1000.0, -1001.0]])
    with strict_numerics():
        weights = reference.softmax.softmax(scores, temperature)
        stable = reference.softmax.stable_softmax(scores)
    assert np.all(np.isfinite(weights)) and np.all(np.isfinite(stable))
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(weights, scipy.special.softmax(scores / temperature, axis=-1),
                               rtol=1e-9, atol=1e-300)


def test_softmax_goes_one_hot_as_temperature_goes_to_zero_and_ties_share(reference):
    weights = reference.softmax.softmax(np.array([1.0, 3.0, 3.0, 2.0]), 1e-6)
    np.testing.assert_allclose(weights, [0.0, 0.5, 0.5, 0.0], atol=1e-12)
    one_hot = reference.softmax.softmax(np.array([0.2, -0.4, 0.9]), 1e-4)
    np.testing.assert_allclose(one_hot, [0.0, 0.0, 1.0], atol=1e-12)


def test_softmax_goes_uniform_as_temperature_goes_to_infinity(reference):
    weights = reference.softmax.softmax(np.array([5.0, -3.0, 0.0, 40.0]), 1e9)
    np.testing.assert_allclose(weights, np.full(4, 0.25), atol=1e-7)


# ---------------------------------------------------------------- similarity vs scipy


@EXAMPLES
@given(pair=vectors)
def test_similarity_matches_scipy(reference, pair):
    a, b = pair
    similarity = reference.similarity.Similarity
    assert similarity().euclidean(a, b) == pytest.approx(distance.euclidean(a, b), rel=1e-12)
    assert similarity("euclidean")(a, b) == pytest.approx(-distance.euclidean(a, b), rel=1e-12)
    if np.linalg.norm(a) > 1e-3 and np.linalg.norm(b) > 1e-3:
        cos = 1.0 - distance.cosine(a, b)
        assert similarity().cosine(a, b) == pytest.approx(cos, rel=1e-9, abs=1e-12)
        assert similarity("cosine")(a, b) == pytest.approx(cos, rel=1e-9, abs=1e-12)


def test_similarity_returns_python_floats_and_rejects_unknown_metrics(reference):
    similarity = reference.similarity.Similarity()
    a, b = np.array([1.0, 0.0]), np.array([1.0, 1.0])
    assert type(similarity.cosine(a, b)) is float
    assert type(similarity.euclidean(a, b)) is float
    assert similarity.cosine(a, b) == pytest.approx(np.sqrt(0.5))
    with pytest.raises(ValueError, match="metric"):
        reference.similarity.Similarity("manhattan")


# ---------------------------------------------------------------- encoder contract


@pytest.mark.parametrize(("dim", "seed"), [(1, 0), (3, 0), (64, 7), (1000, 123)])
def test_encoder_gives_unit_vectors_of_the_right_shape(reference, dim, seed):
    encoder = reference.encoder.WordEncoder(dim, seed)
    for word in ("cat", "dog", "", "Ünïcode"):
        vector = encoder.encode(word)
        assert vector.shape == (dim,)
        assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-12)


def test_encoder_is_deterministic_across_processes(reference, run_python):
    words = ["cat", "mat", "attention"]
    code = (f"import json; from {reference.encoder.__name__} import WordEncoder\n"
            f"encoder = WordEncoder(16, seed=3)\n"
            f"print(json.dumps([encoder.encode(w).tolist() for w in {words!r}]))")
    result = run_python(code, SOLUTIONS)
    assert result.returncode == 0, result.stderr
    here = [reference.encoder.WordEncoder(16, seed=3).encode(w).tolist() for w in words]
    # JSON round-trips floats exactly, so this is bit-for-bit equality.
    assert json.loads(result.stdout) == here


def test_encoder_vectors_differ_across_seeds_and_words(reference):
    encoder = reference.encoder.WordEncoder
    cat = encoder(32, seed=0).encode("cat")
    assert not np.allclose(cat, encoder(32, seed=1).encode("cat"))
    assert not np.allclose(cat, encoder(32, seed=0).encode("dog"))
    np.testing.assert_array_equal(cat, encoder(32, seed=0).encode("cat"))


def test_encoder_vectors_are_nearly_orthogonal_in_high_dimension(reference):
    encoder = reference.encoder.WordEncoder(1000, seed=0)
    vectors = [encoder.encode(f"word{i}") for i in range(30)]
    cosines = [abs(a @ b) for a, b in itertools.combinations(vectors, 2)]
    # Random unit vectors in 1000-d have cosines with standard deviation ~ 1/√1000 ≈ 0.03.
    assert max(cosines) < 0.15
    assert np.mean(cosines) < 0.05


def test_encoder_rejects_non_positive_dimension(reference):
    with pytest.raises(ValueError, match="dim"):
        reference.encoder.WordEncoder(0)


# ---------------------------------------------------------------- attention contract


@EXAMPLES
@given(n=st.integers(1, 6), d=st.integers(1, 6), d_v=st.integers(1, 6),
       temperature=st.sampled_from(TEMPERATURES), seed=st.integers(0, 2**32 - 1))
def test_attention_weights_and_context_follow_the_formula(reference, n, d, d_v, temperature,
                                                          seed):
    rng = np.random.default_rng(seed)
    query, keys, values = rng.normal(size=d), rng.normal(size=(n, d)), rng.normal(size=(n, d_v))
    context, weights = reference.attention.DotProductAttention(temperature).attend(
        query, keys, values)
    expected_weights = scipy.special.softmax(keys @ query / temperature)
    assert weights.shape == (n,) and context.shape == (d_v,)
    np.testing.assert_allclose(weights, expected_weights, rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(context, expected_weights @ values, rtol=1e-9, atol=1e-12)


def test_attention_returns_context_then_weights(reference):
    # Keys differ from values and n != d != d_v, so a swapped or transposed result shows.
    keys = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    values = np.array([[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [0.0, 0.0, 0.0, 1.0]])
    query = np.array([2.0, 0.0])
    context, weights = reference.attention.DotProductAttention().attend(query, keys, values)
    expected = scipy.special.softmax([2.0, 0.0, 2.0])
    np.testing.assert_allclose(weights, expected, rtol=1e-12)
    np.testing.assert_allclose(context, expected @ values, rtol=1e-12)
    assert reference.attention.DotProductAttention().temperature == 1.0
