"""Demo 5: DotProductAttention — retrieve from memory by matching the cue."""

import time

import numpy as np
import pytest

from recallkit.grading.hints import expect, expect_array, expect_close

LOAD = ["attention"]
# Earlier demos come from the reference (error carried forward).
SUBSTITUTES: dict = {"encoder": None, "similarity": None, "softmax": None}
MEMORIES = ["apple", "bread", "cloud", "drum", "eagle"]


def attend(student, query, keys, values, temperature: float = 1.0):
    result = student.attention.DotProductAttention(temperature).attend(query, keys, values)
    expect(isinstance(result, tuple) and len(result) == 2,
           "attend should return a tuple (context, weights)")
    context, weights = result
    if np.shape(context) == (len(keys),) and np.shape(weights) == (np.shape(values)[1],):
        expect(False, "attend returned (weights, context): return (context, weights)")
    return (expect_array(context, (np.shape(values)[1],), "context"),
            expect_array(weights, (len(keys),), "weights"))


def problem(rng, n: int = 7, d: int = 4, d_v: int = 3):
    return rng.normal(size=d), rng.normal(size=(n, d)), rng.normal(size=(n, d_v))


@pytest.mark.points(3)
def test_weights_formula(student, reference, rng):
    """weights = softmax(keys @ query / T) with keys ≠ values and d ≠ n"""
    query, keys, values = problem(rng)
    for temperature in (0.5, 2.0):
        _, weights = attend(student, query, keys, values, temperature)
        want = reference.softmax.softmax(keys @ query, temperature)
        if np.allclose(weights, reference.softmax.softmax(values @ query[:3], temperature)):
            expect(False, "the scores used the values: compare the query with the keys")
        if np.allclose(weights, reference.softmax.softmax(keys @ query / np.sqrt(4), temperature)):
            expect(False, "the scores were divided by √d: here the temperature alone scales "
                   "them (scores = keys @ query)")
        expect_close(weights, want, f"weights should be softmax(keys @ query, T={temperature:g})")


@pytest.mark.points(3)
def test_context_formula(student, reference, rng):
    """context = weights @ values"""
    query, keys, values = problem(rng)
    context, weights = attend(student, query, keys, values, 1.0)
    want_weights = reference.softmax.softmax(keys @ query, 1.0)
    expect_close(context, want_weights @ values, "context should be the attention-weighted sum "
                 "of the values (weights @ values), not of the keys")


@pytest.mark.points(1)
def test_convex_hull(student, rng):
    """weights sum to 1 and the context lies inside the values' range"""
    query, keys, values = problem(rng, n=9, d=5, d_v=2)
    context, weights = attend(student, query, keys, values, 0.7)
    expect_close(weights.sum(), 1.0, "the attention weights should sum to 1")
    expect(np.all(context >= values.min(axis=0) - 1e-9) and
           np.all(context <= values.max(axis=0) + 1e-9),
           "the context is outside the range of the values: it must be a weighted average")


@pytest.mark.points(1)
def test_one_hot_returns_value(student, rng):
    """a query matching one key far better returns that memory's value"""
    keys = np.eye(4) * 10
    values = rng.normal(size=(4, 3))
    context, _ = attend(student, keys[2], keys, values, 0.5)
    expect_close(context, values[2], "with all attention on memory 2 the context should "
                 "be exactly that memory's value", atol=1e-6)


@pytest.mark.points(1)
def test_temperature_honoured(student, rng):
    """the temperature given to the constructor is used"""
    query, keys, values = problem(rng)
    _, cold = attend(student, query, keys, values, 0.1)
    _, hot = attend(student, query, keys, values, 10.0)
    expect(cold.max() > hot.max(), "the weights did not change with the temperature: pass "
           "self.temperature to softmax")


@pytest.mark.points(2)
def test_seed_example(student, reference):
    """the cue 'apple' retrieves 'apple' from the seed's memories at low temperature"""
    encoder = reference.encoder.WordEncoder(64, seed=0)
    memory = np.stack([encoder.encode(w) for w in MEMORIES])
    context, weights = attend(student, encoder.encode("apple"), memory, memory, 0.1)
    expect(int(np.argmax(weights)) == 0 and weights[0] > 0.99,
           "querying with 'apple' at T=0.1 should put almost all attention on 'apple'")
    expect_close(context, memory[0], "the retrieved context should be apple's vector", atol=1e-2)


def best_time(function, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


@pytest.mark.points(1)
def test_vectorised(student, reference, rng):
    """vectorised over the memories: no Python loop over n (n = 100,000)"""
    n, d, d_v = 100_000, 4, 2  # small rows: the time is in the loop, not in the transfer
    query, keys, values = problem(rng, n, d, d_v)
    handles = [student.put(array) for array in (query, keys, values, keys @ query)]
    model = student.attention.DotProductAttention(1.0)
    outputs = []
    student_seconds = best_time(lambda: outputs.append(model.attend(*handles[:3], seconds=20)))
    # The same data crossing the same channels without any student work: the
    # trusted softmax answered through the child, as attend's own call is.
    transfer_seconds = best_time(lambda: student.softmax.softmax(handles[3]))
    reference_model = reference.attention.DotProductAttention(1.0)
    reference_seconds = best_time(lambda: reference_model.attend(query, keys, values))
    expect(isinstance(outputs[-1], tuple) and len(outputs[-1]) == 2,
           "attend should return a tuple (context, weights)")
    expect_close(expect_array(outputs[-1][0], (d_v,), "context"),
                 reference_model.attend(query, keys, values)[0],
                 "wrong context for a large memory")
    allowed = transfer_seconds + 10 * reference_seconds + 0.05  # generous on a busy machine
    expect(student_seconds < allowed,
           f"attend took {student_seconds:.2f} s for {n:,} memories, where a vectorised "
           f"version takes about {transfer_seconds + reference_seconds:.2f} s: replace the "
           "Python loop over the memories with one matrix product, keys @ query")
