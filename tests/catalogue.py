"""The catalogue of student-written variants: correct alternatives and typical mistakes.

Each variant is a copy of the reference with a few exact textual edits in one module.
``tests/test_catalogue.py`` grades every variant and checks the expected points per demo,
that the visible check agrees with the grader, and that no feedback names an internal class.
Demos 1-5 live in ``DEMO_VARIANTS`` (this file); Mini-Project 3 in ``catalogue_recall.py``.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Variant:
    name: str
    module: str                           # encoder, similarity, softmax, attention or recall
    edits: tuple[tuple[str, str], ...]    # (exact reference text, what the student wrote), in order
    points: dict[str, float] = field(default_factory=dict)  # expected points of the demos named;
    #                                       every demo not named must score full marks
    visible: str | None = None            # the visible check that must agree (a function of
    #                                       checks.py / recall_checks.py), None if none is possible
    note: str = ""                        # why this variant is in the catalogue (issue 10 / 11)

    @property
    def correct(self) -> bool:
        return not self.points



def _v(name: str, module: str, edits: list[tuple[str, str]], points: dict[str, float] | None = None,
       visible: str | None = None, note: str = "") -> Variant:
    return Variant(name, module, tuple(edits), points or {}, visible, note)


_DRAW = "vector = rng.standard_normal(self.dim)"
_UNIT = "return vector / np.linalg.norm(vector)"
_NORM = "np.linalg.norm(np.asarray(a) - np.asarray(b))"
_COSINE = "np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b))"
_SHIFT = "shifted = scores - scores.max(axis=-1, keepdims=True)"
_EXP = "weights = np.exp(shifted)"
_NORMALISE = "return weights / weights.sum(axis=-1, keepdims=True)"
_DIVIDE = "return stable_softmax(np.asarray(scores, dtype=float) / temperature)"
_CHECK_T = "if not temperature > 0:\n        raise ValueError"
_SCORES = "scores = np.asarray(keys) @ np.asarray(query)"
_WEIGHTS = "weights = softmax(scores, self.temperature)"
_CONTEXT = "context = weights @ np.asarray(values)"

ENCODER = [
    _v("normal_with_size", "encoder", [(_DRAW, "vector = rng.normal(size=self.dim)")]),
    _v("norm_by_sqrt_of_dot", "encoder", [(_UNIT, "return vector / np.sqrt(vector @ vector)")]),
    _v("norm_by_sqrt_of_squares", "encoder",
       [(_UNIT, "return vector / np.sqrt(np.sum(vector ** 2))")]),
    _v("float32_vector", "encoder", [(_DRAW, f"{_DRAW}.astype(np.float32)")]),
    _v("draws_one_at_a_time", "encoder",
       [(_DRAW, "vector = np.array([rng.standard_normal() for _ in range(self.dim)])")]),
    _v("uniform_0_1", "encoder", [(_DRAW, "vector = rng.random(self.dim)")], {"1": 7},
       "check_encoder", "components never negative: words far from orthogonal"),
    _v("uniform_minus1_1_normalised", "encoder", [(_DRAW, "vector = rng.uniform(-1, 1, self.dim)")],
       {"1": 9}, "check_encoder", "issue 10: normalised uniform is not uniform on the sphere"),
    _v("cube_corners", "encoder",
       [(_DRAW, "vector = rng.choice([-1.0, 1.0], self.dim)"),
        (_UNIT, "return vector / np.sqrt(self.dim)")],
       {"1": 9}, "check_encoder", "issue 10: ±1/√d corners of the cube"),
    _v("not_normalised", "encoder", [(_UNIT, "return vector")], {"1": 8}, "check_encoder"),
    _v("divided_by_sum", "encoder", [(_UNIT, "return vector / vector.sum()")], {"1": 8},
       "check_encoder"),
    _v("divided_by_max", "encoder", [(_UNIT, "return vector / np.abs(vector).max()")], {"1": 8},
       "check_encoder"),
    _v("np_random_not_rng", "encoder", [(_DRAW, "vector = np.random.standard_normal(self.dim)")],
       {"1": 7}, "check_encoder", "issue 10: must not get the hash() hint"),
    _v("salted_hash_seed", "encoder",
       [("np.random.default_rng(word_seed(word, self.dim, self.seed))",
         "np.random.default_rng(abs(hash((word, self.dim, self.seed))))")],
       {"1": 8}, None, "same vectors within one process only"),
    _v("salted_hash_with_file_cache", "encoder",
       [("rng = np.random.default_rng(word_seed(word, self.dim, self.seed))",
         "import json, os\n"
         "        cache = f'vectors-{self.dim}-{self.seed}.json'\n"
         "        known = json.load(open(cache)) if os.path.exists(cache) else {}\n"
         "        if word in known:\n"
         "            return np.array(known[word])\n"
         "        rng = np.random.default_rng(abs(hash((word, self.dim, self.seed))))"),
        (_UNIT, "known[word] = list(vector / np.linalg.norm(vector))\n"
                "        json.dump(known, open(cache, 'w'))\n"
                "        return np.array(known[word])")],
       {"1": 8}, None, "issue 10: a file cache must not pass the new-process test"),
    _v("fixed_seed_for_every_word", "encoder",
       [("np.random.default_rng(word_seed(word, self.dim, self.seed))",
         "np.random.default_rng(self.seed)")],
       {"1": 8}, "check_encoder", "every word the same vector"),
    _v("seed_ignored", "encoder",
       [("word_seed(word, self.dim, self.seed)", "word_seed(word, self.dim, 0)")], {"1": 9}),
    _v("shape_1_by_dim", "encoder", [(_DRAW, "vector = rng.standard_normal((1, self.dim))")],
       {"1": 9}, "check_encoder", "issue 10: shape (1, dim) costs the shape test only"),
    _v("dim_stored_under_another_name", "encoder",
       [("self.dim = int(dim)", "self.size = int(dim)"),
        ("word_seed(word, self.dim, self.seed)", "word_seed(word, self.size, self.seed)"),
        (_DRAW, "vector = rng.standard_normal(self.size)")], {"1": 9}),
]

SIMILARITY = [
    _v("cosine_by_square_roots", "similarity",
       [(_COSINE, "np.dot(a, b) / (np.sqrt(np.dot(a, a)) * np.sqrt(np.dot(b, b)))")]),
    _v("cosine_by_unit_vectors", "similarity",
       [(_COSINE, "np.dot(a / np.linalg.norm(a), b / np.linalg.norm(b))")]),
    _v("euclidean_by_square_root", "similarity",
       [(_NORM, "np.sqrt(np.sum((np.asarray(a) - np.asarray(b)) ** 2))")]),
    _v("euclidean_by_subtract", "similarity", [(_NORM, "np.linalg.norm(np.subtract(a, b))")]),
    _v("call_by_getattr", "similarity",
       [('if self.metric == "cosine":\n            return self.cosine(a, b)\n'
         '        return -self.euclidean(a, b)',
         'sign = 1 if self.metric == "cosine" else -1\n'
         '        return sign * getattr(self, self.metric)(a, b)')]),
    _v("squared_distance", "similarity",
       [(_NORM, "np.sum((np.asarray(a) - np.asarray(b)) ** 2)")], {"2": 8}, "check_similarity",
       "charged by the euclidean test only, not again by the call test"),
    _v("city_block_distance", "similarity",
       [(_NORM, "np.sum(np.abs(np.asarray(a) - np.asarray(b)))")], {"2": 8}, "check_similarity"),
    _v("negative_distance", "similarity", [(_NORM, f"-{_NORM}")], {"2": 7}, "check_similarity"),
    _v("cosine_is_dot_product", "similarity", [(_COSINE, "np.dot(a, b)")], {"2": 6},
       "check_similarity"),
    _v("cosine_one_norm", "similarity", [(_COSINE, "np.dot(a, b) / np.linalg.norm(a)")],
       {"2": 6}, "check_similarity"),
    _v("cosine_distance", "similarity", [(_COSINE, f"1 - {_COSINE}")], {"2": 6},
       "check_similarity"),
    _v("call_returns_distance", "similarity",
       [("return -self.euclidean(a, b)", "return self.euclidean(a, b)")], {"2": 8},
       "check_similarity"),
    _v("call_always_cosine", "similarity",
       [('if self.metric == "cosine":\n            return self.cosine(a, b)\n'
         '        return -self.euclidean(a, b)', "return self.cosine(a, b)")], {"2": 8},
       "check_similarity"),
    _v("no_value_error", "similarity",
       [("if metric not in METRICS:\n            raise ValueError("
         'f"metric must be one of {METRICS}, got {metric!r}")\n        ', "")], {"2": 9},
       "check_similarity", "issue 10: the visible check must catch it too"),
    _v("type_error_for_unknown_metric", "similarity",
       [("raise ValueError(", "raise TypeError(")], {"2": 9}, "check_similarity"),
]

SOFTMAX = [
    _v("logsumexp", "softmax",
       [(_EXP + "\n    " + _NORMALISE,
         "return np.exp(shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True)))")]),
    _v("newaxis_instead_of_keepdims", "softmax",
       [(_NORMALISE, "return weights / weights.sum(axis=-1)[..., np.newaxis]")]),
    _v("copy_then_in_place", "softmax",
       [(_SHIFT, "shifted = scores.copy()\n    shifted -= shifted.max(axis=-1, keepdims=True)")]),
    _v("no_max_subtraction", "softmax", [(_SHIFT, "shifted = scores")], {"3": 6},
       "check_stable_softmax"),
    _v("subtract_minimum", "softmax",
       [(_SHIFT, "shifted = scores - scores.min(axis=-1, keepdims=True)")], {"3": 6},
       "check_stable_softmax", "issue 10: the visible check must catch it too"),
    _v("in_place_shift", "softmax",
       [(_SHIFT, "scores -= scores.max(axis=-1, keepdims=True)\n    shifted = scores")],
       {"3": 7}, "check_stable_softmax", "issue 10: changes the caller's array"),
    _v("rank_normalisation", "softmax",
       [(_EXP, "weights = np.argsort(np.argsort(shifted, axis=-1), axis=-1) + 1.0")], {"3": 2},
       "check_stable_softmax", "issue 10: no exp must not keep 3 of 8 points"),
    _v("sum_over_everything", "softmax", [(_NORMALISE, "return weights / weights.sum()")],
       {"3": 7}, "check_stable_softmax"),
    _v("global_maximum", "softmax",
       [(_SHIFT, "shifted = scores - scores.max()")], {"3": 6}, "check_stable_softmax"),
    _v("exp2_instead_of_exp", "softmax", [(_EXP, "weights = np.exp2(shifted)")], {"3": 2},
       "check_stable_softmax"),
]

TEMPERATURE = [
    _v("multiply_by_inverse", "softmax",
       [(_DIVIDE, "return stable_softmax(np.asarray(scores, dtype=float) * (1 / temperature))")]),
    _v("check_with_less_equal", "softmax",
       [("if not temperature > 0:", "if temperature <= 0:")]),
    _v("times_temperature", "softmax",
       [(_DIVIDE, "return stable_softmax(np.asarray(scores, dtype=float) * temperature)")],
       {"4": 3}, "check_softmax_temperature"),
    _v("ignores_temperature", "softmax",
       [(_DIVIDE, "return stable_softmax(np.asarray(scores, dtype=float))")], {"4": 3},
       "check_softmax_temperature"),
    _v("no_value_error_for_temperature", "softmax",
       [(_CHECK_T, "if False:\n        raise ValueError")], {"4": 8},
       "check_softmax_temperature"),
    _v("assert_instead_of_value_error", "softmax",
       [(_CHECK_T + '(f"temperature must be > 0, got {temperature}")',
         "assert temperature > 0, 'temperature must be positive'")], {"4": 8},
       "check_softmax_temperature"),
    _v("no_default_temperature", "softmax",
       [("temperature: float = 1.0", "temperature: float")], {"4": 9},
       "check_softmax_temperature"),
    _v("own_unstable_exponential", "softmax",
       [(_DIVIDE, "weights = np.exp(np.asarray(scores, dtype=float) / temperature)\n"
                  "    return weights / weights.sum(axis=-1, keepdims=True)")], {"4": 8},
       "check_softmax_temperature"),
]

ATTENTION = [
    _v("einsum_scores", "attention",
       [(_SCORES, 'scores = np.einsum("nd,d->n", np.asarray(keys), np.asarray(query))')]),
    _v("query_times_keys_transposed", "attention",
       [(_SCORES, "scores = np.asarray(query) @ np.asarray(keys).T")]),
    _v("context_by_dot", "attention", [(_CONTEXT, "context = np.dot(weights, values)")]),
    _v("context_from_keys", "attention",
       [(_CONTEXT, "context = weights @ np.asarray(keys)")], {"5": 9}, "check_attention",
       "issue 10: costs the context test only, not the weights or no-loop tests"),
    _v("forgot_temperature", "attention", [(_WEIGHTS, "weights = softmax(scores)")], {"5": 11},
       "check_attention", "issue 10: must not get the √d hint"),
    _v("scaled_by_sqrt_d", "attention",
       [(_SCORES, f"{_SCORES} / np.sqrt(len(query))")], {"5": 9}, "check_attention"),
    _v("scores_from_cosines", "attention",
       [(_SCORES, f"{_SCORES} / (np.linalg.norm(keys, axis=1) * np.linalg.norm(query))")],
       {"5": 9}, "check_attention", "issue 10: must not get the 'not of the keys' hint"),
    _v("loop_over_memories", "attention",
       [(_SCORES, "scores = np.array([np.dot(key, query) for key in np.asarray(keys)])")],
       {"5": 11}, None, "issue 10: the stub asks for one matrix product"),
    _v("loop_for_context", "attention",
       [(_CONTEXT, "context = sum(w * v for w, v in zip(weights, np.asarray(values)))")],
       {"5": 11}),
    _v("loop_slowing_the_baseline", "attention",
       [("from memory_attention.softmax import softmax",
         "import time\n\nimport memory_attention.softmax as _module\n\n"
         "_trusted = _module.softmax\n\n\n"
         "def softmax(scores, temperature=1.0):\n"
         "    return _trusted(scores, temperature)\n\n\n"
         "def _slow(scores, temperature=1.0):\n"
         "    time.sleep(1)\n"
         "    return _trusted(scores, temperature)\n\n\n"
         "_module.softmax = _slow"),
        (_SCORES, "scores = np.array([np.dot(key, query) for key in np.asarray(keys)])")],
       {"5": 11}, None, "issue 10: a slowed baseline must not let a loop pass"),
    _v("own_unstable_softmax", "attention",
       [(_WEIGHTS, "weights = np.exp(scores / self.temperature)\n"
                   "        weights = weights / weights.sum()")], {"5": 11}, "check_attention"),
]

DEMO_VARIANTS: list[Variant] = ENCODER + SIMILARITY + SOFTMAX + TEMPERATURE + ATTENTION
