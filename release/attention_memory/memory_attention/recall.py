"""Mini-Project 3: cued recall as attention over memory traces.

The model
---------
*Study.* Each studied word is stored together with its study context, the
word it was paired with at study (as in Tulving & Thomson's word pairs).
A memory trace is the sum of the word's vector and the context's vector plus
Gaussian encoding noise, scaled to unit length. Because the context is part
of the trace, a cue that matches the context matches the trace: this is
encoding specificity (Tulving & Thomson, 1973).

*Test.* A trial probes one studied item, and the participant reinstates that
item's study episode, imperfectly: the *probe* is the item's context vector
plus Gaussian noise (``probe_noise``). A cue may also be shown. The query is
the probe and the cue mixed, with unit length::

    query = unit((1 − a) · probe + a · cue),   a = capture · (1 − exp(−interval / τ))

Attention is a limited resource: the query has unit length, so whatever the
cue gains, the participant's own reinstatement loses. The cue's share ``a``
grows with the cue–target interval because attention takes time to move to
the cued memory (time constant ``tau_ms``).

*Retrieval.* ``DotProductAttention`` attends with the query over the traces
(keys) and returns the weighted mix of the studied words' vectors (values).
The recalled word is the vocabulary word whose vector is nearest (cosine) to
that mix. At low temperature one trace takes all the attention
(winner-take-all); at high temperature the traces blend and the mix lies
between words, as in modern Hopfield networks (Ramsauer et al., 2020).

*Response time.* ::

    RT = t0 + ms_per_bit · H(weights) + shift_ms · (1 − weight on the probed trace)

``t0_ms`` is the time that does not depend on memory (seeing the probe,
pressing a key). ``H`` is the entropy of the attention weights in bits: the
uncertainty retrieval must resolve, charged ``ms_per_bit`` per bit as in the
Hick–Hyman law. The last term is Posner's reorienting: the share of
attention that is on other memories must move to the probed one before the
answer is given, and moving all of it costs ``shift_ms``.

Why this mechanism: the two terms are the two ways a cue changes the time
to answer. A focused retrieval (one trace dominates) has little uncertainty
to resolve and is fast, a blended one is slow (entropy); attention that sits
on the wrong memory must first be moved (reorienting). Without the second
term an invalid cue that confidently captures attention would give fast
errors, and invalid trials would not be reliably slower than neutral ones.
Unlike a race of noisy accumulators, the RT is a closed-form function of the
weights, so it can be computed and checked exactly on every trial.

*Experiments.*

- Posner cueing (Posner, 1980): before the probe, a cue points to the probed
  item (valid: its context), to another studied item (invalid: that item's
  context) or to nothing (neutral: no cue vector). Valid cues help and
  invalid cues cost, in accuracy and in RT.
- Encoding specificity (Roediger & Payne, 1983): the cue shown with the probe
  is the study context (``"context"``), nothing (``"none"``), or an extra-list
  associate: a word whose vector has cosine ``associate_similarity`` with the
  target word but nothing in common with its context (``"associate"``). It
  matches the trace worse than the participant's own reinstatement does, yet
  takes its share of the query, so it does worse than no cue.
- Cue–context match: the cue has cosine ``match`` with the study context
  (the rest is a random direction); recall rises with ``match``.

The proportion of valid cues only sets how many trials of each kind are run:
the model participant uses every cue the same way (``capture``).
"""

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

import numpy as np

from memory_attention.attention import DotProductAttention
from memory_attention.encoder import WordEncoder

# Common concrete nouns: the vocabulary of studied words, contexts and associates.
WORDS: tuple[str, ...] = (
    "anchor", "apple", "arrow", "badge", "bag", "ball", "balloon", "banana", "barn", "barrel",
    "basket", "bat", "beach", "beard", "bed", "bee", "bell", "belt", "bench", "bicycle",
    "bird", "blanket", "boat", "bone", "book", "boot", "bottle", "bowl", "box", "bread",
    "brick", "bridge", "broom", "brush", "bucket", "bull", "butter", "button", "cabin", "cake",
    "camel", "camera", "candle", "canoe", "cap", "car", "card", "carpet", "carrot", "castle",
    "cat", "chain", "chair", "cheese", "cherry", "chest", "chicken", "chimney", "church", "circus",
    "cliff", "clock", "cloud", "coat", "coffee", "coin", "comb", "cookie", "corn", "cottage",
    "cow", "crab", "crown", "cup", "curtain", "daisy", "desk", "diamond", "dog", "doll",
    "dolphin", "donkey", "door", "dragon", "drawer", "dress", "drum", "duck", "eagle", "egg",
    "elephant", "engine", "envelope", "fan", "farm", "feather", "fence", "field", "finger", "fire",
    "fish", "flag", "flame", "flower", "flute", "fork", "fountain", "fox", "frog", "garden",
    "gate", "ghost", "gift", "giraffe", "glass", "glove", "goat", "gold", "grape", "guitar",
    "hammer", "hand", "harbor", "hat", "hawk", "heart", "helmet", "hill", "hive", "honey",
    "horn", "horse", "hose", "hotel", "house", "island", "jacket", "jar", "jelly", "jewel",
    "kettle", "key", "kite", "kitten", "knife", "knot", "ladder", "lake", "lamp", "leaf",
    "lemon", "letter", "library", "lion", "lizard", "lock", "magnet", "map", "marble", "mask",
    "meadow", "medal", "melon", "mirror", "monkey", "moon", "mountain", "mouse", "mug", "nail",
    "needle", "nest", "net", "notebook", "nut", "oak", "ocean", "onion", "orange", "owl",
    "paddle", "pail", "paint", "palace", "pan", "pear", "pearl", "pen", "pencil", "penguin",
    "piano", "pig", "pillow", "pipe", "pizza", "plate", "pocket", "pond", "potato", "puppet",
    "purse", "rabbit", "radio", "rain", "ring", "river", "road", "robe", "rock", "rocket",
    "roof", "rope", "rose", "sail", "salt", "sand", "saucer", "saw", "scarf", "school",
    "scissors", "shark", "sheep", "shell", "ship", "shirt", "shoe", "shovel", "silver", "sink",
    "skirt", "sled", "snail", "snake", "sock", "sofa", "spider", "spoon", "squirrel", "stair",
    "star", "stone", "stove", "straw", "stream", "street", "sugar", "suitcase", "sun", "swan",
    "sword", "table", "tent", "thimble", "thread", "tiger", "toast", "tomato", "tooth", "torch",
    "towel", "tower", "toy", "tractor", "train", "tree", "truck", "trumpet", "tulip", "tunnel",
    "turtle", "umbrella", "vase", "violin", "wagon", "wall", "wallet", "watch", "whale", "wheel",
    "whistle", "window", "wing", "wolf", "wool", "yacht", "zebra", "zipper", "acorn", "axe",
)

POSNER_CONDITIONS = ("valid", "neutral", "invalid")
ENCODING_CONDITIONS = ("context", "none", "associate")
# A retrieval cue stays in view while the participant recalls, so attention has
# had time to settle on it (unlike a Posner cue, a few hundred ms before the probe).
RETRIEVAL_CUE_MS = 1000.0


@dataclass(frozen=True)
class Params:
    """The model's parameters (the defaults are the ones the notebook uses).

    Attributes:
        dim: dimension of the word and context vectors.
        list_length: studied items per trial (the memories attention chooses among).
        noise: encoding noise: length of the Gaussian noise added to a trace
            before it is scaled to unit length (the word and context each have length 1).
        probe_noise: how imperfectly the participant reinstates the probed
            item's study context (the same kind of noise, added to the context).
        temperature: softmax temperature of retrieval.
        capture: the share of the query a cue takes once attention has fully moved to it.
        tau_ms: time constant (ms) of that move.
        interval_ms: cue–target interval (ms) of the Posner task (the encoding
            experiments use ``RETRIEVAL_CUE_MS``).
        associate_similarity: cosine between an extra-list associate and the target word.
        t0_ms: response time (ms) that does not depend on memory.
        ms_per_bit: ms per bit of attention entropy (Hick–Hyman slope).
        shift_ms: ms to move all of attention to the probed memory (Posner reorienting).
        vocab_seed: seed of the ``WordEncoder`` that gives the words their vectors.
    """

    dim: int = 64
    list_length: int = 8
    noise: float = 2.5
    probe_noise: float = 1.0
    temperature: float = 0.1
    capture: float = 0.7
    tau_ms: float = 300.0
    interval_ms: float = 300.0
    associate_similarity: float = 0.3
    t0_ms: float = 400.0
    ms_per_bit: float = 60.0
    shift_ms: float = 150.0
    vocab_seed: int = 0


PARAMETER_NAMES = tuple(f.name for f in fields(Params))


# --------------------------------------------------------------------------- given helpers


def unit(vectors: np.ndarray) -> np.ndarray:
    """Scale vectors to unit length along the last axis (a zero vector stays zero).

    Args:
        vectors: array of shape (..., d).

    Returns:
        array of the same shape whose rows have length 1 (or 0).
    """
    vectors = np.asarray(vectors, dtype=float)
    norms = np.sqrt(np.sum(vectors * vectors, axis=-1, keepdims=True))
    return vectors / np.where(norms > 0, norms, 1.0)


def add_noise(vectors: np.ndarray, noise: float, rng: np.random.Generator) -> np.ndarray:
    """Add Gaussian noise whose expected length is about ``noise``.

    Each component gets standard deviation noise / √d, so the noise vector has
    length ≈ ``noise`` whatever the dimension d.

    Args:
        vectors: array of shape (..., d).
        noise: the noise level (0 adds nothing).
        rng: the random generator to draw from.

    Returns:
        array of the same shape as ``vectors``.
    """
    vectors = np.asarray(vectors, dtype=float)
    return vectors + noise / math.sqrt(vectors.shape[-1]) * rng.standard_normal(vectors.shape)


def blend(base: np.ndarray, other: np.ndarray, similarity: float) -> np.ndarray:
    """A unit vector with cosine ``similarity`` to ``base``, the rest pointing toward ``other``.

    Args:
        base: vector of shape (d,).
        other: vector of shape (d,), not parallel to ``base``.
        similarity: the wanted cosine with ``base``, in [0, 1].

    Returns:
        unit vector of shape (d,): similarity · b̂ + √(1 − similarity²) · ô, where
        ô is the part of ``other`` orthogonal to ``base``, scaled to unit length.
    """
    base = unit(base)
    orthogonal = unit(other - (other @ base) * base)
    return similarity * base + math.sqrt(max(0.0, 1 - similarity**2)) * orthogonal


def entropy_bits(weights: np.ndarray) -> float:
    """Shannon entropy of a probability vector, in bits.

    Args:
        weights: array of shape (n,), non-negative, summing to 1.

    Returns:
        −Σ w log2 w (terms with w = 0 count 0): 0 when one memory has all the
        weight, log2 n when the weights are uniform.
    """
    weights = np.asarray(weights, dtype=float)
    positive = weights[weights > 0]
    return float(-(positive * np.log2(positive)).sum())


def vocabulary(dim: int, seed: int = 0) -> np.ndarray:
    """The vectors of every word in ``WORDS``.

    Args:
        dim: dimension of the vectors.
        seed: the ``WordEncoder`` seed.

    Returns:
        array of shape (len(WORDS), dim); row i encodes ``WORDS[i]`` (unit length).
    """
    encoder = WordEncoder(dim, seed)
    return np.stack([encoder.encode(word) for word in WORDS])


# --------------------------------------------------------------------------- the exercises


def encode_traces(
    word_vectors: np.ndarray, context_vectors: np.ndarray, noise: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """Store each studied word together with its study context.

    Args:
        word_vectors: array of shape (n, d), one studied word per row.
        context_vectors: array of shape (n, d), row i is the context word i was studied with.
        noise: encoding noise level, passed to ``add_noise``.
        rng: the random generator for the noise.

    Returns:
        traces of shape (n, d): unit(word + context + noise), one per row, each of
        unit length. Draw the noise with one call ``add_noise(word + context, noise, rng)``
        on the whole (n, d) array.
    """
    # TODO Mini-Project 3: add words and contexts, add noise with add_noise, scale each row to length 1.
    raise NotImplementedError("Mini-Project 3: add words and contexts, add noise with add_noise, scale each row to length 1.")


def cue_capture(interval_ms: float, capture: float, tau_ms: float) -> float:
    """The share of the query a cue has taken when the probe arrives.

    Attention moves toward the cued memory gradually: the share is
    capture · (1 − exp(−interval / τ)), so 0 at interval 0, capture · 0.63 at
    one time constant, and tending to ``capture``.

    Args:
        interval_ms: cue–target interval in ms (negative counts as 0).
        capture: the share once attention has fully moved, in [0, 1].
        tau_ms: time constant of the move, in ms (> 0).

    Returns:
        the share, a float in [0, capture].
    """
    # TODO Mini-Project 3: return capture · (1 − exp(−interval/τ)); a negative interval counts as 0.
    raise NotImplementedError("Mini-Project 3: return capture · (1 − exp(−interval/τ)); a negative interval counts as 0.")


def build_query(probe: np.ndarray, cue: np.ndarray, capture: float) -> np.ndarray:
    """Mix the participant's reinstated context with the cue into one unit-length query.

    Args:
        probe: vector of shape (d,): the reinstated study context of the probed item.
        cue: vector of shape (d,): what the cue points to; all zeros when there is no cue.
        capture: the cue's share of the query, in [0, 1].

    Returns:
        unit((1 − capture) · probe + capture · cue), shape (d,), length 1 (a zero
        mix stays zero).
    """
    # TODO Mini-Project 3: mix (1 − capture) · probe + capture · cue and scale it to length 1.
    raise NotImplementedError("Mini-Project 3: mix (1 − capture) · probe + capture · cue and scale it to length 1.")


def retrieve(
    query: np.ndarray, traces: np.ndarray, word_vectors: np.ndarray, lexicon: np.ndarray,
    temperature: float,
) -> tuple[int, np.ndarray]:
    """Recall a word: attend over the traces, then name the retrieved mix.

    Args:
        query: vector of shape (d,).
        traces: keys, shape (n, d), one memory trace per studied word.
        word_vectors: values, shape (n, d), the studied words' vectors.
        lexicon: shape (V, d), unit vectors of every word one could answer with.
        temperature: the attention temperature (> 0).

    Returns:
        (recalled, weights): recalled is the row index (an int) of the lexicon
        word with the highest cosine to the retrieved context vector; weights,
        shape (n,), are the attention weights over the traces. Use
        ``DotProductAttention(temperature).attend``.
    """
    # TODO Mini-Project 3: attend over the traces, then pick the lexicon row most similar to the context.
    raise NotImplementedError("Mini-Project 3: attend over the traces, then pick the lexicon row most similar to the context.")


def response_time(
    weights: np.ndarray, target: int, t0_ms: float, ms_per_bit: float, shift_ms: float,
) -> float:
    """Response time from the attention weights.

    Args:
        weights: attention weights of shape (n,), summing to 1.
        target: index of the probed memory in ``weights``.
        t0_ms: time that does not depend on memory (ms).
        ms_per_bit: ms per bit of entropy of the weights (Hick–Hyman).
        shift_ms: ms to move all attention to the probed memory (Posner reorienting).

    Returns:
        t0 + ms_per_bit · entropy_bits(weights) + shift_ms · (1 − weights[target]),
        a float in ms.
    """
    # TODO Mini-Project 3: add t0, ms_per_bit per bit of entropy, shift_ms · (1 − the target's weight).
    raise NotImplementedError("Mini-Project 3: add t0, ms_per_bit per bit of entropy, shift_ms · (1 − the target's weight).")


# --------------------------------------------------------------------------- experiments


def make_params(**overrides: Any) -> Params:
    """``Params`` with some defaults replaced.

    Args:
        **overrides: parameter values by name (see ``Params``).

    Returns:
        the parameters.

    Raises:
        TypeError: for a name that is not a parameter.
    """
    unknown = set(overrides) - set(PARAMETER_NAMES)
    if unknown:
        raise TypeError(f"unknown model parameter(s) {sorted(unknown)}; "
                        f"the parameters are {PARAMETER_NAMES}")
    return replace(Params(), **overrides)


def _cue(
    condition: str, target: int, context_ids: np.ndarray, target_id: int, extra_id: int,
    lexicon: np.ndarray, match: float, params: Params, rng: np.random.Generator,
) -> tuple[np.ndarray, int, int]:
    """(cue vector, row of the cue word in WORDS or −1, cued list item or −1)."""
    n = len(context_ids)
    if condition in ("valid", "invalid"):
        # An invalid cue points to any studied item but the target.
        cued = target if condition == "valid" else (target + 1 + int(rng.integers(n - 1))) % n
        return lexicon[context_ids[cued]], int(context_ids[cued]), cued
    if condition in ("neutral", "none"):
        return np.zeros(params.dim), -1, -1
    if condition == "context":
        context = lexicon[context_ids[target]]
        return blend(context, rng.standard_normal(params.dim), match), int(context_ids[target]), -1
    if condition == "associate":
        associate = blend(lexicon[target_id], lexicon[extra_id], params.associate_similarity)
        return associate, extra_id, -1
    raise ValueError(f"unknown condition {condition!r}; expected one of "
                     f"{POSNER_CONDITIONS + ENCODING_CONDITIONS}")


def simulate_trial(
    condition: str, params: Params, lexicon: np.ndarray, rng: np.random.Generator,
    match: float = 1.0,
) -> dict[str, Any]:
    """One study list and one test trial.

    Args:
        condition: "valid", "neutral", "invalid" (Posner cueing) or "context",
            "none", "associate" (encoding specificity).
        params: the model parameters.
        lexicon: ``vocabulary(params.dim, params.vocab_seed)``, shape (len(WORDS), dim).
        rng: the random generator (lists, noise, cues).
        match: for "context", the cue's cosine with the study context.

    Returns:
        one row of the trial table: condition, cue (the cue word, "" if none),
        target, recalled, correct, rt_ms, match, max_weight, entropy_bits,
        study (the studied words), cued (index of the item a Posner cue points
        to, −1 if none), target_index and weights (shape (list_length,)).
    """
    n = params.list_length
    # Studied words, their context words and one extra-list word, all different.
    picks = rng.choice(len(WORDS), size=2 * n + 1, replace=False)
    studied, context_ids, extra_id = picks[:n], picks[n:2 * n], int(picks[-1])
    words = lexicon[studied]
    traces = encode_traces(words, lexicon[context_ids], params.noise, rng)
    target = int(rng.integers(n))
    probe = unit(add_noise(lexicon[context_ids[target]], params.probe_noise, rng))
    cue, cue_id, cued = _cue(condition, target, context_ids, int(studied[target]), extra_id,
                             lexicon, match, params, rng)
    share = cue_capture(params.interval_ms, params.capture, params.tau_ms)
    recalled, weights = retrieve(build_query(probe, cue, share), traces, words, lexicon,
                                 params.temperature)
    return {
        "condition": condition,
        "cue": WORDS[cue_id] if cue_id >= 0 else "",
        "target": WORDS[studied[target]],
        "recalled": WORDS[recalled],
        "correct": bool(recalled == studied[target]),
        "rt_ms": response_time(weights, target, params.t0_ms, params.ms_per_bit,
                               params.shift_ms),
        "match": float(match) if condition == "context" else math.nan,
        "max_weight": float(weights.max()),
        "entropy_bits": entropy_bits(weights),
        "study": tuple(WORDS[i] for i in studied),
        "cued": cued,
        "target_index": target,
        "weights": weights,
    }


def run_design(
    design: Sequence[tuple[str, float]], seed: int = 0, **params: Any,
) -> list[dict[str, Any]]:
    """Run one trial per (condition, match) pair, in a shuffled order.

    Args:
        design: (condition, match) pairs; match matters only for "context".
        seed: seed of the whole run (same seed, same trials).
        **params: model parameters (see ``Params``).

    Returns:
        the trial table: a list of dicts, one per trial (see ``simulate_trial``).
    """
    model = make_params(**params)
    rng = np.random.default_rng(seed)
    lexicon = vocabulary(model.dim, model.vocab_seed)
    order = rng.permutation(len(design))
    return [simulate_trial(design[i][0], model, lexicon, rng, match=design[i][1])
            for i in order]


def run_experiment(
    n_trials: int = 900, p_valid: float = 0.8, noise: float = Params.noise,
    temperature: float = Params.temperature, interval_ms: float = Params.interval_ms,
    seed: int = 0, p_neutral: float = 1 / 3, **params: Any,
) -> list[dict[str, Any]]:
    """Posner cueing in memory: valid, neutral and invalid cues before the probe.

    A share ``p_neutral`` of the trials have a neutral cue; of the others, a
    share ``p_valid`` point to the probed item and the rest to another studied item.

    Args:
        n_trials: number of trials.
        p_valid: proportion of valid cues among the informative (non-neutral) ones;
            it sets the trial counts only (the model uses every cue alike).
        noise: encoding noise.
        temperature: softmax temperature of retrieval.
        interval_ms: cue–target interval in ms.
        seed: seed of the run.
        p_neutral: proportion of neutral trials.
        **params: other model parameters (see ``Params``).

    Returns:
        the trial table: a list of ``n_trials`` dicts (see ``simulate_trial``).
    """
    n_neutral = round(n_trials * p_neutral)
    n_valid = round((n_trials - n_neutral) * p_valid)
    counts = {"valid": n_valid, "neutral": n_neutral, "invalid": n_trials - n_neutral - n_valid}
    design = [(condition, 1.0) for condition, count in counts.items() for _ in range(count)]
    return run_design(design, seed, noise=noise, temperature=temperature,
                      interval_ms=interval_ms, **params)


def run_encoding_experiment(
    n_trials: int = 900, noise: float = Params.noise, temperature: float = Params.temperature,
    interval_ms: float = RETRIEVAL_CUE_MS, seed: int = 0, **params: Any,
) -> list[dict[str, Any]]:
    """Encoding specificity: study-context cue, no cue, or extra-list associate.

    Args:
        n_trials: number of trials, split equally between the three conditions.
        noise: encoding noise.
        temperature: softmax temperature of retrieval.
        interval_ms: time between the cue's onset and the recall (ms).
        seed: seed of the run.
        **params: other model parameters (see ``Params``), e.g. associate_similarity.

    Returns:
        the trial table: a list of dicts (see ``simulate_trial``).
    """
    design = [(condition, 1.0) for condition in ENCODING_CONDITIONS
              for _ in range(n_trials // len(ENCODING_CONDITIONS))]
    return run_design(design, seed, noise=noise, temperature=temperature,
                      interval_ms=interval_ms, **params)


def run_match_experiment(
    matches: Sequence[float] = (0.0, 0.25, 0.5, 0.75, 1.0), n_trials: int = 300,
    noise: float = Params.noise, temperature: float = Params.temperature,
    interval_ms: float = RETRIEVAL_CUE_MS, seed: int = 0, **params: Any,
) -> list[dict[str, Any]]:
    """Recall against the cue's similarity to the study context.

    Args:
        matches: cue–context cosines to test, each in [0, 1].
        n_trials: trials per level.
        noise: encoding noise.
        temperature: softmax temperature of retrieval.
        interval_ms: time between the cue's onset and the recall (ms).
        seed: seed of the run.
        **params: other model parameters (see ``Params``).

    Returns:
        the trial table (condition "context"; column "match" holds the level).
    """
    design = [("context", float(m)) for m in matches for _ in range(n_trials)]
    return run_design(design, seed, noise=noise, temperature=temperature,
                      interval_ms=interval_ms, **params)


# --------------------------------------------------------------------------- summaries

_ORDER = {condition: i for i, condition in enumerate(POSNER_CONDITIONS + ENCODING_CONDITIONS)}


def summarise(trials: Sequence[dict[str, Any]], by: str = "condition") -> dict[Any, dict]:
    """Accuracy and mean response time, with standard errors, per group of trials.

    Args:
        trials: a trial table.
        by: the column to group by ("condition", "match", ...).

    Returns:
        {group: {"n", "accuracy", "accuracy_se", "rt_ms", "rt_se", "max_weight",
        "entropy_bits"}}, groups in a fixed order (conditions as in
        ``POSNER_CONDITIONS + ENCODING_CONDITIONS``, numbers ascending). The
        accuracy's standard error is √(p(1 − p)/n); the RT is averaged over all
        trials of the group, its standard error is sd/√n.
    """
    groups: dict[Any, list[dict[str, Any]]] = {}
    for trial in trials:
        groups.setdefault(trial[by], []).append(trial)
    summary = {}
    for key in sorted(groups, key=lambda k: (_ORDER.get(k, len(_ORDER)), str(k)) if
                      isinstance(k, str) else (len(_ORDER), k)):
        rows = groups[key]
        n = len(rows)
        correct = np.array([row["correct"] for row in rows], dtype=float)
        rts = np.array([row["rt_ms"] for row in rows])
        p = float(correct.mean())
        summary[key] = {
            "n": n,
            "accuracy": p,
            "accuracy_se": math.sqrt(p * (1 - p) / n),
            "rt_ms": float(rts.mean()),
            "rt_se": float(rts.std(ddof=1) / math.sqrt(n)) if n > 1 else math.nan,
            "max_weight": float(np.mean([row["max_weight"] for row in rows])),
            "entropy_bits": float(np.mean([row["entropy_bits"] for row in rows])),
        }
    return summary


def cueing_effects(summary: dict[str, dict]) -> dict[str, float]:
    """Benefits and costs of cueing, measured against the neutral cue.

    Args:
        summary: ``summarise`` of a Posner experiment (has valid, neutral, invalid).

    Returns:
        {"rt_benefit_ms": RT neutral − valid, "rt_cost_ms": RT invalid − neutral,
        "rt_effect_ms": RT invalid − valid, "accuracy_benefit": accuracy valid −
        neutral, "accuracy_cost": accuracy neutral − invalid, "accuracy_effect":
        accuracy valid − invalid}, and the standard error of each difference
        under its name + "_se". Benefits and costs are positive when cueing works.
    """
    valid, neutral, invalid = (summary[c] for c in POSNER_CONDITIONS)
    effects = {}
    for measure, sign in (("rt_ms", -1), ("accuracy", 1)):
        # RT: faster (smaller) is better; accuracy: larger is better.
        prefix = measure.split("_")[0]
        unit_suffix = "_ms" if prefix == "rt" else ""
        for name, (better, worse) in {"benefit": (valid, neutral), "cost": (neutral, invalid),
                                      "effect": (valid, invalid)}.items():
            key = f"{prefix}_{name}{unit_suffix}"
            effects[key] = sign * (better[measure] - worse[measure])
            effects[f"{key}_se"] = math.hypot(better[f"{prefix}_se"], worse[f"{prefix}_se"])
    return effects


def example_trials(seed: int = 0, **params: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """A typical valid trial (target recalled) and a typical invalid trial (an error).

    Args:
        seed: seed of the run they are taken from.
        **params: model parameters (see ``Params``).

    Returns:
        (valid, invalid): two rows of a trial table, each with its attention weights.

    Raises:
        LookupError: if no such pair turns up in 200 trials (e.g. at a very high temperature).
    """
    trials = run_experiment(n_trials=200, p_valid=0.5, p_neutral=0.0, seed=seed, **params)
    valid = next((t for t in trials if t["condition"] == "valid" and t["correct"]), None)
    invalid = next((t for t in trials if t["condition"] == "invalid" and not t["correct"]), None)
    if valid is None or invalid is None:
        raise LookupError("no correct valid trial or no wrong invalid trial in 200 trials")
    return valid, invalid


def sweep(
    parameter: str, values: Sequence[float], experiment: Any = run_experiment,
    by: str = "condition", **kwargs: Any,
) -> list[dict[Any, dict]]:
    """Summaries of one experiment run at each value of one parameter.

    Args:
        parameter: the argument to vary, e.g. "temperature" or "interval_ms".
        values: its values.
        experiment: the runner, e.g. ``run_experiment``.
        by: the column to summarise by.
        **kwargs: the runner's other arguments (n_trials, seed, ...).

    Returns:
        one ``summarise`` result per value, in order.
    """
    return [summarise(experiment(**{parameter: value}, **kwargs), by=by) for value in values]


def describe(params: Params | None = None) -> str:
    """The parameters as one line per name, for printing in a notebook.

    Args:
        params: the parameters (the defaults if None).

    Returns:
        text with one "name = value" line per parameter.
    """
    return "\n".join(f"{k} = {v}" for k, v in asdict(params or Params()).items())
