"""Mini-Project 3: cued recall — traces, the cue's share, the query, retrieval, response time."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recallkit.grading.hints import expect, expect_array, expect_close, expect_number

LOAD = ["recall"]
# Demos 1–5 come from the reference (error carried forward).
SUBSTITUTES: dict = {"encoder": None, "similarity": None, "softmax": None, "attention": None}


def unit(vectors: np.ndarray) -> np.ndarray:
    return vectors / np.linalg.norm(vectors, axis=-1, keepdims=True)


def study_list(rng, n: int = 6, d: int = 16) -> tuple[np.ndarray, np.ndarray]:
    """Unit word and context vectors, one row per studied item."""
    return unit(rng.normal(size=(n, d))), unit(rng.normal(size=(n, d)))


def generator(student, seed: int):
    """A handle to np.random.default_rng(seed) made in the sandbox (a Generator is not
    plain data, so it cannot be sent there)."""
    return student.recall.np.random.default_rng(seed)


def encode(student, words, contexts, noise: float, seed: int) -> np.ndarray:
    traces = student.recall.encode_traces(words, contexts, noise, generator(student, seed))
    traces = expect_array(traces, words.shape, "encode_traces(words, contexts, noise, rng)")
    expect_close(np.linalg.norm(traces, axis=1), np.ones(len(words)),
                 "every trace should have length 1: scale each row with unit()")
    return traces


@pytest.mark.points(1)
def test_traces_without_noise(student, rng):
    """with no noise a trace is unit(word + context)"""
    words, contexts = study_list(rng)
    traces = encode(student, words, contexts, 0.0, 1)
    expect(not np.allclose(traces, words, atol=1e-6),
           "the traces hold only the words: store word + context, so that a cue matching "
           "the study context finds the trace")
    expect_close(traces, unit(words + contexts),
                 "with noise 0 each trace should be unit(word + context)")


@pytest.mark.points(2)
def test_traces_with_noise(student, reference, rng):
    """noisy traces equal the reference's for the same random generator"""
    words, contexts = study_list(rng)
    seed = int(rng.integers(2**32))
    traces = encode(student, words, contexts, 1.5, seed)
    expect(not np.allclose(traces, unit(words + contexts), atol=1e-3),
           "the traces have no noise: add it with add_noise(word + context, noise, rng)")
    want = reference.recall.encode_traces(words, contexts, 1.5, np.random.default_rng(seed))
    expect_close(traces, want, "the noisy traces differ from unit(add_noise(word + context, "
                 "noise, rng)): draw the noise with one add_noise call on the whole (n, d) "
                 "array, with the rng given, before scaling to unit length")


def share(student, interval: float, capture: float, tau: float) -> float:
    value = student.recall.cue_capture(interval, capture, tau)
    return expect_number(value, "cue_capture(interval_ms, capture, tau_ms)")


@pytest.mark.points(1)
def test_capture_limits(student):
    """the cue's share is 0 at interval 0 and approaches capture at long intervals"""
    expect(abs(share(student, 0.0, 0.7, 300.0)) < 1e-9,
           "at interval 0 attention has not moved yet: the share should be 0 "
           "(capture · (1 − exp(0)))")
    expect(abs(share(student, -200.0, 0.7, 300.0)) < 1e-9,
           "a negative interval should count as 0, so the share should be 0")
    expect(abs(share(student, 30_000.0, 0.7, 300.0) - 0.7) < 1e-6,
           "at an interval far longer than tau_ms the share should reach capture")


@pytest.mark.points(1)
@settings(max_examples=10)  # a closed form: a few examples suffice, and time counts
@given(interval=st.floats(0, 3000), later=st.floats(1, 3000), capture=st.floats(0.05, 1),
       tau=st.floats(10, 1000))
def test_capture_formula(student, reference, interval, later, capture, tau):
    """the share is capture · (1 − exp(−interval / tau)) and grows with the interval"""
    got = share(student, interval, capture, tau)
    expect(abs(got - reference.recall.cue_capture(interval, capture, tau)) < 1e-9,
           "the share should be capture · (1 − exp(−interval_ms / tau_ms))")
    expect(share(student, interval + later, capture, tau) >= got,
           "the share should grow (never shrink) as the interval gets longer")


def query(student, probe, cue, capture: float) -> np.ndarray:
    return expect_array(student.recall.build_query(probe, cue, capture), probe.shape,
                        f"build_query(probe, cue, capture={capture:g})")


@pytest.mark.points(1)
def test_query_unit_length(student, rng):
    """the query has length 1, and a zero mix stays zero"""
    probe, cue = rng.normal(size=12) * 2, rng.normal(size=12) * 0.5
    for capture in (0.0, 0.4, 1.0):
        expect(abs(np.linalg.norm(query(student, probe, cue, capture)) - 1) < 1e-6,
               f"with capture={capture:g} the query does not have length 1: scale the mix "
               "with unit()")
    zero = student.recall.build_query(probe, np.zeros(12), 1.0)
    expect(not (isinstance(zero, np.ndarray) and np.isnan(zero).any()),
           "with capture 1 and no cue (all zeros) the mix is zero and should stay zero, not "
           "NaN: scale it with the given unit()")
    expect_close(query(student, probe, np.zeros(12), 1.0), np.zeros(12),
                 "with capture 1 and no cue the mix (1 − 1) · probe + 1 · cue is zero, so the "
                 "query should be all zeros")


@pytest.mark.points(2)
def test_query_mix(student, reference, rng):
    """the query is unit((1 − capture) · probe + capture · cue)"""
    probe, cue = rng.normal(size=12) * 2, rng.normal(size=12) * 0.5
    for capture in (0.3, 0.8, 0.0, 1.0):
        got = query(student, probe, cue, capture)
        if 0 < capture:
            expect(not np.allclose(got, unit(probe), atol=1e-6),
                   f"with capture={capture:g} the query ignores the cue: mix in capture · cue")
        if 0 < capture < 1:
            expect(not np.allclose(got, unit(capture * probe + (1 - capture) * cue), atol=1e-6),
                   "the shares are swapped: the cue gets capture, the probe 1 − capture")
            expect(not np.allclose(got, unit((1 - capture) * unit(probe) + capture * unit(cue)),
                                   atol=1e-6),
                   "scale only the mix to unit length, not the probe and the cue first")
        expect_close(got, reference.recall.build_query(probe, cue, capture),
                     f"with capture={capture:g} the query should be unit((1 − capture) · probe "
                     "+ capture · cue)")


def memory(rng, n: int = 6, d: int = 16, size: int = 40):
    """A lexicon and a study list whose words are lexicon rows other than 0 … n − 1."""
    lexicon = unit(rng.normal(size=(size, d)))
    ids = 10 + rng.choice(size - 10, n, replace=False)
    words, contexts = lexicon[ids], unit(rng.normal(size=(n, d)))
    return lexicon, words, unit(words + contexts), contexts


def recall(student, query_vector, traces, words, lexicon, temperature):
    result = student.recall.retrieve(query_vector, traces, words, lexicon, temperature)
    expect(isinstance(result, tuple) and len(result) == 2,
           "retrieve should return a tuple (recalled, weights)")
    recalled, weights = result
    expect(isinstance(recalled, int) and not isinstance(recalled, bool),
           f"recalled should be an int (a row of the lexicon), but it is a "
           f"{type(recalled).__name__}")
    return recalled, expect_array(weights, (len(traces),), "the weights returned by retrieve")


@pytest.mark.points(1)
def test_retrieve_weights(student, reference, rng):
    """the weights are softmax(traces @ query / T) over the traces and sum to 1"""
    lexicon, words, traces, contexts = memory(rng)
    for temperature in (0.1, 1.0):
        q = unit(contexts[2] + rng.normal(size=16) * 0.3)
        _, weights = recall(student, q, traces, words, lexicon, temperature)
        expect_close(weights.sum(), 1.0, "the attention weights should sum to 1")
        expect(not np.allclose(weights, reference.softmax.softmax(words @ q, temperature)),
               "the weights compare the query with the words: the traces are the keys, the "
               "words the values")
        expect_close(weights, reference.softmax.softmax(traces @ q, temperature),
                     f"at T={temperature:g} the weights should be those of "
                     "DotProductAttention(T).attend(query, traces, word_vectors)")


@pytest.mark.points(2)
def test_retrieve_names_nearest_word(student, reference, rng):
    """recalled is the lexicon word nearest to the retrieved mix"""
    lexicon, words, traces, contexts = memory(rng)
    for temperature, item in ((0.1, 1), (0.1, 4), (1.0, 3), (3.0, 0)):
        q = unit(contexts[item] + rng.normal(size=16) * 0.3)
        recalled, weights = recall(student, q, traces, words, lexicon, temperature)
        want, _ = reference.recall.retrieve(q, traces, words, lexicon, temperature)
        expect(recalled != int(np.argmax(weights)) or recalled == want,
               "recalled is the position of the largest weight in the study list: return the "
               "row of the lexicon whose word is most similar to the retrieved context")
        expect(recalled == want, f"at T={temperature:g} recalled should be the lexicon row "
               "with the highest cosine to the retrieved context (the weighted mix of the "
               "word vectors), not to the query or to one trace")


def rt(student, weights, target: int, t0=400.0, ms_per_bit=60.0, shift_ms=150.0) -> float:
    value = student.recall.response_time(np.asarray(weights, dtype=float), target, t0,
                                         ms_per_bit, shift_ms)
    expect(not (isinstance(value, float) and np.isnan(value)),
           "the RT is NaN when some weights are 0: use entropy_bits(weights), which counts "
           "0 · log 0 as 0")
    return expect_number(value, "response_time(weights, target, t0_ms, ms_per_bit, shift_ms)")


def rt_check(student, reference, weights, target, t0, ms_per_bit, shift_ms) -> None:
    """The student's RT must be the reference's; if not, name the likely mistake."""
    got = rt(student, weights, target, t0, ms_per_bit, shift_ms)
    want = reference.recall.response_time(weights, target, t0, ms_per_bit, shift_ms)
    if abs(got - want) < 1e-6 * max(1.0, abs(want)):
        return
    bits = reference.recall.entropy_bits(weights)
    likely = [  # (an RT the student may have computed instead, the mistake)
        (t0 + shift_ms * (1 - weights[target]),
         "the entropy term is missing: add ms_per_bit · entropy_bits(weights)"),
        (t0 + ms_per_bit * bits * np.log(2) + shift_ms * (1 - weights[target]),
         "the entropy is in nats: measure it in bits (log base 2), as entropy_bits does"),
        (t0 + ms_per_bit * bits + shift_ms * (1 - weights.max()),
         "the reorienting term used the largest weight: use the target's, weights[target]"),
    ]
    for value, mistake in likely:
        expect(abs(got - value) > 1e-6 * max(1.0, abs(value)), mistake)
    expect(False, "the RT should be t0_ms + ms_per_bit · entropy_bits(weights) + shift_ms · "
           "(1 − weights[target])")


def random_weights(rng) -> np.ndarray:
    """Attention weights over 2–8 memories, some of them exactly 0."""
    weights = rng.dirichlet(np.ones(rng.integers(2, 9)))
    weights[rng.random(len(weights)) < 0.3] = 0.0
    weights[rng.integers(len(weights))] += 0.1
    return weights / weights.sum()


@pytest.mark.points(1)
def test_rt_formula(student, reference, rng):
    """RT = t0 + ms_per_bit · H(weights) in bits + shift_ms · (1 − weights[target])"""
    for _ in range(8):
        weights = random_weights(rng)
        target = int(rng.integers(len(weights)))
        t0, ms_per_bit, shift_ms = rng.uniform(0, 800), rng.uniform(1, 200), rng.uniform(1, 400)
        rt_check(student, reference, weights, target, t0, ms_per_bit, shift_ms)


@pytest.mark.points(1)
def test_rt_grows(student):
    """RT grows with the entropy of the weights and with the weight away from the target"""
    expect(abs(rt(student, [0, 1, 0, 0], 1) - 400) < 1e-6,
           "with all attention on the target there is nothing to resolve or move: the RT "
           "should be t0_ms")
    expect(rt(student, [0.5, 1 / 6, 1 / 6, 1 / 6], 0) > rt(student, [0.5, 0.5, 0, 0], 0),
           "spreading the same weight over more memories (more entropy) should slow the "
           "answer: add ms_per_bit · entropy_bits(weights)")
    expect(rt(student, [0.2, 0.8], 0) > rt(student, [0.2, 0.8], 1),
           "with the same weights, a target holding less of them should be slower: add "
           "shift_ms · (1 − weights[target])")


def paired_trials(student, reference, pairs: int, seed: int) -> dict[str, list]:
    """Valid and invalid trials (default parameters) on the same lists, traces and probes.

    Pair i draws from a generator seeded seed + i in both conditions, so the two
    differ only in the cue. The vocabulary is sent from here: built in the
    sandbox it would take 600 calls to the trusted encoder.
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


@pytest.mark.points(2)
def test_posner_cueing(student, reference):
    """in paired Posner trials valid cues beat invalid ones in accuracy and speed"""
    trials = paired_trials(student, reference, 16, 6)
    accuracy, speed = {}, {}
    for condition, rows in trials.items():
        expect(all(isinstance(row, dict) for row in rows),
               "simulate_trial should return a dict per trial")
        accuracy[condition] = np.mean([bool(row["correct"]) for row in rows])
        speed[condition] = np.mean([expect_number(row["rt_ms"], "rt_ms") for row in rows])
    expect(accuracy["valid"] >= 0.5,
           f"with valid cues the model should recall most targets, but it recalled "
           f"{accuracy['valid']:.0%}: check encode_traces and retrieve (recalled is a row of "
           "the lexicon)")
    expect(accuracy["valid"] - accuracy["invalid"] >= 0.25,
           f"valid cues should help recall and invalid ones hurt it, but on the same study "
           f"lists accuracy was {accuracy['valid']:.0%} valid vs {accuracy['invalid']:.0%} "
           "invalid: does the query mix in the cue with the share from cue_capture?")
    expect(speed["valid"] < speed["invalid"],
           "valid cues should give faster answers than invalid ones on the same study lists: "
           "check the query mix and the response time's reorienting term")
