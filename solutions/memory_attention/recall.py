"""Mini-Project 3: cued recall as attention over memory traces, answered by a race.

The model
---------
*Study.* Each studied word is stored with its study context, the word it was
paired with (as in Tulving & Thomson's word pairs). A memory trace is the sum
of the word's vector and the context's vector plus Gaussian encoding noise,
scaled to unit length. A word studied *alone* has no context in its trace.
The traces are the keys of Demo 5, the studied words the values.

*Test (retro-cueing within a studied list).* A trial probes one studied item:
the participant is shown its study context and reinstates it imperfectly (the
*probe*, ``probe_noise``). Before the probe a cue may point to one studied
item, as a retro-cue points to one item held in memory (Griffin & Nobre,
2003; Souza & Oberauer, 2016): *valid* (the probed item), *invalid* (another
one) or *neutral* (no item). This is Posner's (1980) cost–benefit design
applied to memory, not his detection task.

*Retrieval is a race* (Luce, 1959; Bundesen's 1990 theory of visual attention,
TVA). Every trace has an accumulator that finishes after an exponentially
distributed time with rate::

    v_i = rate_per_ms · exp(probe · k_i / T) · π_i,    π = softmax(a · (cue · k) / T)

``exp(probe · k_i / T)`` is the evidence that trace i matches the probe, and
π is the attention the cue has put on each trace (uniform with no cue). The
first accumulator to finish gives the answer and the response time,
RT = t0 + its finishing time. Two properties follow:

- P(trace i wins) = v_i / Σv = softmax((probe + a · cue) · k / T): exactly the
  attention weights of Demo 5 with the query probe + a · cue (the cue's share
  adds to the probe's evidence, as cue weights add log-strengths in SAM,
  Raaijmakers & Shiffrin, 1981).
- RT − t0 is exponential with rate Σv: right-skewed. The race never uses the
  target's identity: a cue that puts attention on a trace with little
  evidence (invalid) slows every answer, correct or not.

With fixed rates, correct and error RTs would have the same distribution (a
property of the exponential race). Here the rates differ from trial to trial
(encoding and probe noise), which acts like the drift variability of the
linear ballistic accumulator (Brown & Heathcote, 2008) and of the diffusion
model (Ratcliff, 1978): weak-evidence trials are both slower and more often
wrong, so errors are slower than correct answers.

*The cue's share* ``a`` grows with the cue's reliability and with time:
a = capture · reliability · (1 − exp(−interval / τ)). Reliability is 0 for a
cue that is right no more often than chance (1/n) and 1 for an always-valid
cue: people weight cues by how predictive they are (Jonides, 1980; Gunseli et
al., 2015). The build-up over the interval is that of a central, predictive
(endogenous) cue, which is largely complete after 300–400 ms and then stays
flat (Müller & Rabbitt, 1989). Peripheral (exogenous) cues behave differently:
their benefit peaks at about 100–150 ms and turns into *inhibition of return*
beyond about 300 ms (Posner & Cohen, 1984; Klein, 2000). This model has no
inhibition of return, so it does not describe peripheral cues.

*Encoding specificity* (Tulving & Thomson, 1973). With the cue as the only
retrieval cue, a study-context cue recalls words studied with that context and
fails for words studied alone, while an extra-list associate (a word close to
the target word) works about equally after either encoding: a crossover. The
model's limit: the word is stored whatever its context, so a *strong*
associate always works, unlike Thomson & Tulving (1970), where strong
associates failed after weak-cue encoding. Reproducing that needs encoding
that depends on the context (e.g. homograph senses, Roediger & Payne, 1983).

What the model cannot do: free recall (every query here is item-specific),
omissions ("don't know"), intrusions from outside the list, inhibition of
return, or a Hick-like growth of RT with the number of alternatives as a
fitted law. Accuracy effects of cueing are larger than in Posner's detection
task, where they are in RT only.
"""

import functools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

import numpy as np

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
# The 2 × 2 encoding-specificity design: how the word was studied × the cue at test.
ENCODINGS = ("paired", "alone")
TEST_CUES = ("context", "associate")
ENCODING_CONDITIONS = tuple(f"{encoding}/{cue}" for encoding in ENCODINGS for cue in TEST_CUES)

# Published effects to compare the model with. "check" marks a detail cited from
# memory that must be verified against the paper before it is taught as fact.
PUBLISHED_EFFECTS: tuple[dict[str, str], ...] = (
    {"effect": "cost-benefit of central predictive cues",
     "finding": "RT valid < neutral < invalid; benefit and cost each some tens of ms, "
                "accuracy near ceiling",
     "source": "Posner (1980); Posner, Snyder & Davidson (1980)"},
    {"effect": "cue validity",
     "finding": "cueing effects grow with the cue's predictiveness; invalid retro-cue costs "
                "at 80 % but not at 50 % validity",
     "source": "Jonides (1980) (check); Gunseli et al. (2015)"},
    {"effect": "time course, central cues",
     "finding": "effects build up over about 300 ms, then plateau",
     "source": "Müller & Rabbitt (1989)"},
    {"effect": "time course, peripheral cues",
     "finding": "benefit peaks near 100-150 ms; inhibition of return beyond about 300 ms",
     "source": "Posner & Cohen (1984); Klein (2000)"},
    {"effect": "retro-cue benefit",
     "finding": "a cue after study, pointing to one item in memory, improves its report",
     "source": "Griffin & Nobre (2003); Souza & Oberauer (2016)"},
    {"effect": "encoding specificity",
     "finding": "a weak cue present at study beats a strong extra-list associate",
     "source": "Thomson & Tulving (1970); Tulving & Thomson (1973)"},
    {"effect": "homograph senses",
     "finding": "homographs studied in one category: a congruous category cue > free "
                "recall > the other category's name",
     "source": "Roediger & Payne (1983)"},
    {"effect": "RT distributions",
     "finding": "right-skewed; errors slower than correct answers when accuracy is stressed",
     "source": "Ratcliff (1978); Luce (1986); Ratcliff & Rouder (1998) (check)"},
    {"effect": "fan effect",
     "finding": "retrieval slows as more facts share a cue",
     "source": "Anderson (1974)"},
)


@dataclass(frozen=True)
class Params:
    """The model's parameters (the defaults are the ones the notebook uses).

    Attributes:
        dim: dimension of the word and context vectors.
        list_length: studied items per trial (the memories the race is run over).
        noise: encoding noise: length of the Gaussian noise added to a trace before it is
            scaled to unit length. What enters a score is the noise's projection on one
            direction, with SD noise / √dim (0.31 at dim 64): the effect sizes are tuned
            to dim 64, and at dim ≥ 256 recall is at ceiling.
        probe_noise: how imperfectly the participant reinstates the probed item's study
            context (the same kind of noise, added to the context).
        temperature: softmax temperature T of the evidence and of the attention.
        capture: the cue's share of retrieval for an always-valid cue, once attention has
            fully moved to it.
        tau_ms: time constant (ms) of that move (an endogenous cue's build-up).
        interval_ms: cue–probe interval (ms) of the cueing task.
        p_valid: proportion of informative cues that point to the probed item, which the
            participant has learned (it sets both the trial counts and the cue's share).
        associate_similarity: cosine between an extra-list associate and the target word.
        t0_ms: non-decision time (ms): seeing the probe, pressing a key.
        rate_per_ms: finishing rate of an accumulator whose trace scores 0 with the probe
            under uniform attention (per ms).
        vocab_seed: seed of the ``WordEncoder`` that gives the words their vectors.
    """

    dim: int = 64
    list_length: int = 8
    noise: float = 2.5
    probe_noise: float = 1.0
    temperature: float = 0.1
    capture: float = 0.9
    tau_ms: float = 150.0
    interval_ms: float = 400.0
    p_valid: float = 0.8
    associate_similarity: float = 0.5
    t0_ms: float = 300.0
    rate_per_ms: float = 0.002
    vocab_seed: int = 0


PARAMETER_NAMES = tuple(f.name for f in fields(Params))

# The parameter region over which the notebook's claims are checked (tests/test_recall_science.py
# varies one parameter at a time to each end of its range, three seeds each); outside it some
# effects vanish or reverse (e.g. the RT cost at T = 0.2, every effect at ceiling for dim ≥ 256).
CLAIM_REGION: dict[str, tuple[float, float]] = {
    "temperature": (0.07, 0.13),
    "probe_noise": (0.5, 1.5),
    "capture": (0.7, 1.0),
    "noise": (2.0, 3.0),
    "list_length": (4, 8),
    "associate_similarity": (0.3, 0.7),
}


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


def skewness(values: Sequence[float]) -> float:
    """Sample skewness: the mean cubed deviation over the cubed SD (> 0: a long right tail).

    Args:
        values: at least 3 numbers, not all equal.

    Returns:
        the (biased, moment) skewness, a float.
    """
    x = np.asarray(values, dtype=float)
    deviations = x - x.mean()
    return float((deviations**3).mean() / (deviations**2).mean() ** 1.5)


def mean_and_se(values: Sequence[float]) -> tuple[float, float]:
    """Mean and standard error of the mean (sd / √n, NaN for fewer than 2 values).

    Args:
        values: numbers, e.g. one effect per seed.

    Returns:
        (mean, standard error).
    """
    x = np.asarray(values, dtype=float)
    se = float(x.std(ddof=1) / math.sqrt(len(x))) if len(x) > 1 else math.nan
    return float(x.mean()), se


def vocabulary(dim: int, seed: int = 0) -> np.ndarray:
    """The vectors of every word in ``WORDS``.

    Args:
        dim: dimension of the vectors.
        seed: the ``WordEncoder`` seed.

    Returns:
        array of shape (len(WORDS), dim); row i encodes ``WORDS[i]`` (unit length).
    """
    return _vocabulary(dim, seed).copy()


@functools.cache
def _vocabulary(dim: int, seed: int) -> np.ndarray:
    # Encoded once per (dim, seed): every run of an experiment needs the same vectors.
    encoder = WordEncoder(dim, seed)
    return np.stack([encoder.encode(word) for word in WORDS])


def closed_form_rt(
    weights: np.ndarray, target: int, t0_ms: float = 400.0, ms_per_bit: float = 60.0,
    shift_ms: float = 150.0,
) -> float:
    """The kit's earlier RT rule, kept only to compare with the race.

    RT = t0 + ms_per_bit · H(weights) + shift_ms · (1 − weights[target]). It uses
    the target's identity, which the participant does not have, and it is
    bounded above by t0 + ms_per_bit · log2 n + shift_ms, so it cannot give the
    long right tail of real RTs.

    Args:
        weights: attention weights of shape (n,), summing to 1.
        target: index of the probed memory.
        t0_ms, ms_per_bit, shift_ms: the rule's constants (ms, ms per bit, ms).

    Returns:
        the RT in ms.
    """
    return float(t0_ms + ms_per_bit * entropy_bits(weights)
                 + shift_ms * (1.0 - float(weights[target])))


# --------------------------------------------------------------------------- the exercises


def encode_traces(
    word_vectors: np.ndarray, context_vectors: np.ndarray, noise: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """Store each studied word together with its study context.

    Args:
        word_vectors: array of shape (n, d), one studied word per row.
        context_vectors: array of shape (n, d), row i is the context word i was studied
            with (all zeros for a word studied alone).
        noise: encoding noise level, passed to ``add_noise``.
        rng: the random generator for the noise.

    Returns:
        traces of shape (n, d): unit(word + context + noise), one per row, each of
        unit length. Draw the noise with one call ``add_noise(word + context, noise, rng)``
        on the whole (n, d) array.
    """
    # Mini-Project 3: add words and contexts, add noise with add_noise, scale each row to length 1.
    ### BEGIN SOLUTION
    summed = np.asarray(word_vectors, dtype=float) + np.asarray(context_vectors, dtype=float)
    return unit(add_noise(summed, noise, rng))
    ### END SOLUTION


def cue_reliability(p_valid: float, list_length: int) -> float:
    """How much a cue is worth following, from how often it is right.

    A cue that points to the probed item no more often than a random guess
    (1 / list_length) carries no information and gets 0; an always-valid cue
    gets 1; in between the reliability grows linearly:
    (p_valid − 1/n) / (1 − 1/n), clipped to [0, 1].

    Args:
        p_valid: proportion of cues that point to the probed item, in [0, 1].
        list_length: number of studied items n (≥ 2).

    Returns:
        the reliability, a float in [0, 1].
    """
    # Mini-Project 3: (p_valid − 1/n) / (1 − 1/n), clipped to [0, 1].
    ### BEGIN SOLUTION
    chance = 1.0 / list_length
    return float(min(1.0, max(0.0, (p_valid - chance) / (1.0 - chance))))
    ### END SOLUTION


def cue_capture(interval_ms: float, capture: float, tau_ms: float) -> float:
    """The share of retrieval a cue has taken when the probe arrives.

    Attention moves toward the cued memory gradually (an endogenous cue's
    build-up): the share is capture · (1 − exp(−interval / τ)), so 0 at
    interval 0, capture · 0.63 at one time constant, and flat near ``capture``
    after a few time constants.

    Args:
        interval_ms: cue–probe interval in ms (negative counts as 0).
        capture: the share once attention has fully moved, in [0, 1].
        tau_ms: time constant of the move, in ms (> 0).

    Returns:
        the share, a float in [0, capture].
    """
    # Mini-Project 3: return capture · (1 − exp(−interval/τ)); a negative interval counts as 0.
    ### BEGIN SOLUTION
    return float(capture * (1.0 - math.exp(-max(float(interval_ms), 0.0) / tau_ms)))
    ### END SOLUTION


def race_rates(
    probe_scores: np.ndarray, cue_scores: np.ndarray, share: float, temperature: float,
    rate_per_ms: float,
) -> np.ndarray:
    """The finishing rate of each memory's accumulator (TVA's rate equation).

    Args:
        probe_scores: shape (n,), the dot product of the probe with each trace.
        cue_scores: shape (n,), the dot product of the cue with each trace (all
            zeros when there is no cue).
        share: the cue's share a, in [0, 1].
        temperature: the temperature T (> 0).
        rate_per_ms: the base rate (per ms).

    Returns:
        rates of shape (n,), all > 0: rate_per_ms · exp(probe_scores / T) · π, where
        π = softmax(share · cue_scores, T) is the attention the cue puts on each trace
        (Demo 4's softmax over the n traces, summing to 1; uniform when share is 0 or
        there is no cue).
    """
    # Mini-Project 3: evidence exp(probe_scores / T) times attention softmax(share · cue_scores, T).
    ### BEGIN SOLUTION
    logits = share * np.asarray(cue_scores, dtype=float) / temperature
    attention = np.exp(logits - logits.max())
    evidence = np.exp(np.asarray(probe_scores, dtype=float) / temperature)
    return rate_per_ms * evidence * attention / attention.sum()
    ### END SOLUTION


def race(rates: np.ndarray, t0_ms: float, rng: np.random.Generator) -> tuple[int, float]:
    """Run the race: every accumulator finishes after an exponential time; the first wins.

    Args:
        rates: finishing rates of shape (n,), all > 0 (per ms).
        t0_ms: non-decision time (ms).
        rng: the random generator. Draw all n finishing times with one call,
            ``rng.exponential(1 / rates)`` (the mean of an exponential is 1 / rate).

    Returns:
        (winner, rt_ms): winner is the index (an int) of the first accumulator to
        finish; rt_ms is t0_ms plus its finishing time (a float).
    """
    # Mini-Project 3: draw the finishing times, the smallest one wins; RT = t0 + that time.
    ### BEGIN SOLUTION
    times = rng.exponential(1.0 / np.asarray(rates, dtype=float))
    winner = int(np.argmin(times))
    return winner, float(t0_ms + times[winner])
    ### END SOLUTION


def break_valid_benefit() -> dict[str, float]:
    """Break the model, part 1: parameter values under which valid cues no longer help.

    Returns:
        {parameter name: value} (names from ``Params``) such that, in ``run_posner``,
        valid cues are no faster than neutral ones. Explain in the notebook why.
    """
    # Mini-Project 3: return the parameter values that abolish the valid benefit.
    ### BEGIN SOLUTION
    # A cue right no more often than chance (1/8) is worth nothing, so it gets no share.
    return {"p_valid": 0.125}
    ### END SOLUTION


def break_encoding_specificity() -> dict[str, float]:
    """Break the model, part 2: make an extra-list associate as good as the study context.

    Returns:
        {parameter name: value} such that, for words studied with their context, the
        extra-list associate recalls the target at least as often as the study-context
        cue (Thomson & Tulving found the opposite). Explain in the notebook why.
    """
    # Mini-Project 3: return the parameter values that make the associate match the context cue.
    ### BEGIN SOLUTION
    # The word is stored whatever its context, so a close enough associate matches
    # the trace as well as the context does (both have length 1 in the trace).
    return {"associate_similarity": 1.0}
    ### END SOLUTION


def my_experiment(seeds: Sequence[int]) -> dict[str, list[float]]:
    """Your experiment: one measure per condition and seed.

    Args:
        seeds: the seeds to run (one simulated participant per seed).

    Returns:
        {condition label: [the measure in each seed, in the order of ``seeds``]},
        at least two conditions. Use the runners below (``run_posner``,
        ``run_encoding``, ``run_match``) and ``summarise``.
    """
    # Mini-Project 3: run your experiment, return {condition: [measure per seed]}.
    ### BEGIN SOLUTION
    # Model answer: mean correct RT on neutral trials grows with the list length
    # (more accumulators, each slower under uniform attention: a fan-like effect).
    results: dict[str, list[float]] = {}
    for n in (2, 4, 8, 16):
        results[f"n = {n}"] = [
            summarise(run_posner(n_trials=200, p_neutral=1.0, seed=seed,
                                 list_length=n))["neutral"]["rt_ms"] for seed in seeds]
    return results
    ### END SOLUTION


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


def _posner_cue(condition: str, target: int, contexts: np.ndarray,
                rng: np.random.Generator) -> tuple[np.ndarray, int]:
    """(cue vector, index of the cued list item or −1) of a Posner trial."""
    n, dim = contexts.shape
    if condition == "neutral":
        return np.zeros(dim), -1
    # An invalid cue points to any studied item but the target.
    cued = target if condition == "valid" else (target + 1 + int(rng.integers(n - 1))) % n
    return contexts[cued], cued


def simulate_trial(
    condition: str, params: Params, lexicon: np.ndarray, rng: np.random.Generator,
    match: float = 1.0,
) -> dict[str, Any]:
    """One study list and one test trial.

    Args:
        condition: "valid", "neutral", "invalid" (retro-cueing, the probe follows the
            cue) or one of ``ENCODING_CONDITIONS``, "paired/context" ... (encoding
            specificity: the cue at test is the only retrieval cue).
        params: the model parameters.
        lexicon: ``vocabulary(params.dim, params.vocab_seed)``, shape (len(WORDS), dim).
        rng: the random generator (lists, noise, cues, the race).
        match: for "paired/context" and "alone/context", the cue's cosine with the study
            context (the rest of the cue is a random direction).

    Returns:
        one row of the trial table: condition, encoding ("paired"/"alone"), cue_type,
        cue (the cue word, "" if none), target, recalled, correct, rt_ms,
        closed_form_rt_ms (the earlier rule, for comparison), match, weights (the
        probabilities of each trace winning, shape (list_length,)), max_weight,
        entropy_bits, study (the studied words), cued (index of the item a cue points
        to, −1 if none) and target_index.
    """
    n = params.list_length
    if condition not in POSNER_CONDITIONS + ENCODING_CONDITIONS:
        raise ValueError(f"unknown condition {condition!r}; expected one of "
                         f"{POSNER_CONDITIONS + ENCODING_CONDITIONS}")
    encoding, cue_type = (condition.split("/") if condition in ENCODING_CONDITIONS
                          else ("paired", condition))
    # Studied words, their context words and one extra-list word, all different.
    picks = rng.choice(len(WORDS), size=2 * n + 1, replace=False)
    studied, context_ids, extra_id = picks[:n], picks[n:2 * n], int(picks[-1])
    contexts = lexicon[context_ids]
    stored = contexts if encoding == "paired" else np.zeros_like(contexts)
    traces = encode_traces(lexicon[studied], stored, params.noise, rng)
    target = int(rng.integers(n))
    cued, cue_id = -1, -1
    if condition in POSNER_CONDITIONS:
        probe = unit(add_noise(contexts[target], params.probe_noise, rng))
        cue, cued = _posner_cue(condition, target, contexts, rng)
        cue_id = int(context_ids[cued]) if cued >= 0 else -1
        share = cue_capture(params.interval_ms, params.capture
                            * cue_reliability(params.p_valid, n), params.tau_ms)
        rates = race_rates(traces @ probe, traces @ cue, share, params.temperature,
                           params.rate_per_ms)
    else:
        # The cue is the only retrieval cue: it supplies the evidence, attention is uniform.
        if cue_type == "context":
            cue = blend(contexts[target], rng.standard_normal(params.dim), match)
            cue_id = int(context_ids[target])
        else:
            cue = blend(lexicon[studied[target]], lexicon[extra_id], params.associate_similarity)
            cue_id = extra_id
        rates = race_rates(traces @ cue, np.zeros(n), 0.0, params.temperature,
                           params.rate_per_ms)
    winner, rt_ms = race(rates, params.t0_ms, rng)
    weights = np.asarray(rates, dtype=float) / np.sum(rates)
    return {
        "condition": condition,
        "encoding": encoding,
        "cue_type": cue_type,
        "cue": WORDS[cue_id] if cue_id >= 0 else "",
        "target": WORDS[studied[target]],
        "recalled": WORDS[studied[winner]],
        "correct": bool(winner == target),
        "rt_ms": float(rt_ms),
        "closed_form_rt_ms": closed_form_rt(weights, target),
        "match": float(match) if condition in ENCODING_CONDITIONS[::2] else math.nan,
        "weights": weights,
        "max_weight": float(weights.max()),
        "entropy_bits": entropy_bits(weights),
        "study": tuple(WORDS[i] for i in studied),
        "cued": cued,
        "target_index": target,
    }


def run_design(
    design: Sequence[tuple[str, float]], seed: int = 0, **params: Any,
) -> list[dict[str, Any]]:
    """Run one trial per (condition, match) pair, in a shuffled order.

    Args:
        design: (condition, match) pairs; match matters only for the context cues.
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


def run_posner(
    n_trials: int = 900, seed: int = 0, p_neutral: float = 1 / 3, balanced: bool = False,
    **params: Any,
) -> list[dict[str, Any]]:
    """Retro-cueing in memory: valid, neutral and invalid cues before the probe.

    A share ``p_neutral`` of the trials have a neutral cue; of the others, a share
    ``p_valid`` (a model parameter, default 0.8) point to the probed item and the rest
    to another studied item. The participant's use of the cue depends on p_valid.

    Args:
        n_trials: number of trials.
        seed: seed of the run.
        p_neutral: proportion of neutral trials.
        balanced: simulate a third of the trials in each condition instead (equal
            standard errors); the participant still uses the cue as p_valid says.
        **params: model parameters (see ``Params``), e.g. p_valid, interval_ms.

    Returns:
        the trial table: a list of ``n_trials`` dicts (see ``simulate_trial``).
    """
    p_valid = make_params(**params).p_valid
    n_neutral = n_trials // 3 if balanced else round(n_trials * p_neutral)
    n_valid = n_trials // 3 if balanced else round((n_trials - n_neutral) * p_valid)
    counts = {"valid": n_valid, "neutral": n_neutral, "invalid": n_trials - n_neutral - n_valid}
    design = [(condition, 1.0) for condition, count in counts.items() for _ in range(count)]
    return run_design(design, seed, **params)


def run_encoding(n_trials: int = 800, seed: int = 0, **params: Any) -> list[dict[str, Any]]:
    """Encoding specificity, 2 × 2: studied paired or alone × study-context or associate cue.

    Args:
        n_trials: number of trials, split equally between the four conditions.
        seed: seed of the run.
        **params: model parameters (see ``Params``), e.g. associate_similarity.

    Returns:
        the trial table: a list of dicts (see ``simulate_trial``).
    """
    design = [(condition, 1.0) for condition in ENCODING_CONDITIONS
              for _ in range(n_trials // len(ENCODING_CONDITIONS))]
    return run_design(design, seed, **params)


def run_match(
    matches: Sequence[float] = (0.0, 0.25, 0.5, 0.75, 1.0), n_trials: int = 300,
    seed: int = 0, **params: Any,
) -> list[dict[str, Any]]:
    """Recall against the cue's similarity to the study context (words studied paired).

    Args:
        matches: cue–context cosines to test, each in [0, 1].
        n_trials: trials per level.
        seed: seed of the run.
        **params: model parameters (see ``Params``).

    Returns:
        the trial table (condition "paired/context"; column "match" holds the level).
    """
    design = [("paired/context", float(m)) for m in matches for _ in range(n_trials)]
    return run_design(design, seed, **params)


# --------------------------------------------------------------------------- summaries

_ORDER = {condition: i for i, condition in enumerate(POSNER_CONDITIONS + ENCODING_CONDITIONS)}


def _sort_key(key: Any) -> tuple:
    if isinstance(key, str):
        return (_ORDER.get(key, len(_ORDER)), 0.0, key)
    return (len(_ORDER), float(key), "")


def summarise(trials: Sequence[Mapping[str, Any]], by: str = "condition") -> dict[Any, dict]:
    """Accuracy and response times, with standard errors, per group of trials.

    RTs are summarised over correct trials (as in the cueing and memory
    literatures); error RTs are given separately.

    Args:
        trials: a trial table.
        by: the column to group by ("condition", "match", ...).

    Returns:
        {group: {"n", "accuracy", "accuracy_se", "rt_ms", "rt_se", "rt_median_ms",
        "error_rt_ms", "error_rt_se", "max_weight", "entropy_bits"}}, groups in a fixed
        order (conditions as in ``POSNER_CONDITIONS + ENCODING_CONDITIONS``, numbers
        ascending). The accuracy's standard error is √(p(1 − p)/n); an RT's is sd/√n
        (NaN with fewer than 2 trials).
    """
    groups: dict[Any, list[Mapping[str, Any]]] = {}
    for trial in trials:
        groups.setdefault(trial[by], []).append(trial)
    summary = {}
    for key in sorted(groups, key=_sort_key):
        rows = groups[key]
        correct = np.array([row["correct"] for row in rows], dtype=bool)
        rts = np.array([row["rt_ms"] for row in rows], dtype=float)
        p = float(correct.mean())
        hits, errors = rts[correct], rts[~correct]
        rt, rt_se = mean_and_se(hits) if len(hits) else (math.nan, math.nan)
        error_rt, error_se = mean_and_se(errors) if len(errors) else (math.nan, math.nan)
        summary[key] = {
            "n": len(rows),
            "accuracy": p,
            "accuracy_se": math.sqrt(p * (1 - p) / len(rows)),
            "rt_ms": rt,
            "rt_se": rt_se,
            "rt_median_ms": float(np.median(hits)) if len(hits) else math.nan,
            "error_rt_ms": error_rt,
            "error_rt_se": error_se,
            "max_weight": float(np.mean([row["max_weight"] for row in rows])),
            "entropy_bits": float(np.mean([row["entropy_bits"] for row in rows])),
        }
    return summary


def cueing_effects(summary: Mapping[str, Mapping]) -> dict[str, float]:
    """Benefits and costs of cueing, measured against the neutral cue.

    Args:
        summary: ``summarise`` of a cueing experiment (has valid, neutral, invalid).

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


def weight_profiles(trials: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, float]]:
    """Mean probability of winning for the target, the cued item and one other item.

    Args:
        trials: a trial table of a cueing experiment.

    Returns:
        {condition: {"target", "cued", "other"}}: the mean weight of the probed trace,
        of the cued trace when it is not the target (NaN if there is none), and of an
        average remaining trace.
    """
    profiles: dict[str, dict[str, list[float]]] = {}
    for trial in trials:
        weights, target, cued = trial["weights"], trial["target_index"], trial["cued"]
        rest = [i for i in range(len(weights)) if i not in (target, cued)]
        entry = profiles.setdefault(trial["condition"], {"target": [], "cued": [], "other": []})
        entry["target"].append(weights[target])
        if cued >= 0 and cued != target:
            entry["cued"].append(weights[cued])
        entry["other"].append(float(np.mean(weights[rest])))
    return {condition: {role: float(np.mean(values)) if values else math.nan
                        for role, values in roles.items()}
            for condition, roles in sorted(profiles.items(), key=lambda kv: _sort_key(kv[0]))}


def over_seeds(
    measure: Callable[[int], Mapping[Any, float]], seeds: Sequence[int],
) -> dict[Any, tuple[float, float]]:
    """Mean and standard error across seeds (simulated participants) of each measure.

    Args:
        measure: ``measure(seed)`` returns {name: number} for one run.
        seeds: the seeds.

    Returns:
        {name: (mean over seeds, standard error over seeds)}.
    """
    runs = [measure(seed) for seed in seeds]
    return {key: mean_and_se([run[key] for run in runs]) for key in runs[0]}


def sweep(
    parameter: str, values: Sequence[float], experiment: Callable[..., list] = run_posner,
    by: str = "condition", **kwargs: Any,
) -> list[dict[Any, dict]]:
    """Summaries of one experiment run at each value of one parameter.

    Args:
        parameter: the argument to vary, e.g. "temperature" or "interval_ms".
        values: its values.
        experiment: the runner, e.g. ``run_posner``.
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
