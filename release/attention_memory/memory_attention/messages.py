"""What a failed check says, in plain words: one text per typical mistake.

The visible checks (``checks.py``) and the grader's hidden tests both use these
texts, so the notebook and the grade say the same thing about the same mistake.
"""

MESSAGES = {
    # Demo 1
    "encode_shape": "encode(word) should return a vector of shape (dim,): draw exactly "
                    "self.dim numbers, e.g. rng.standard_normal(self.dim)",
    "not_unit": "each vector should have length 1: divide it by its length, "
                "np.linalg.norm(vector)",
    "same_word_differs": "encoding the same word twice gave two different vectors: draw the "
                         "numbers from the `rng` that encode creates for the word, not from "
                         "np.random",
    "words_share_vector": "different words got the same vector: use the `rng` that encode "
                          "creates (it is seeded by the word), not a generator with a fixed "
                          "seed",
    "not_centred": "the vectors' components are not centred at 0, so different words are not "
                   "nearly orthogonal: draw from rng.standard_normal, not rng.random (which is "
                   "never negative)",
    "uniform_components": "the vectors' components look uniformly distributed: normalised "
                          "uniform numbers crowd toward the corners of a cube. Draw from "
                          "rng.standard_normal to get directions uniform on the sphere",
    "cube_corners": "every component has the same size, ±1/√d: those vectors point at the "
                    "corners of a cube, a few directions only. Draw from rng.standard_normal "
                    "to get directions uniform on the sphere",
    # Demo 2
    "dot_not_cosine": "cosine returned the dot product: divide it by both lengths, "
                      "np.linalg.norm(a) * np.linalg.norm(b)",
    "cosine_distance": "cosine returned 1 − cos θ (a distance): return cos θ itself, a "
                       "similarity where higher means more alike",
    "cosine_formula": "cosine(a, b) should be a·b / (‖a‖ ‖b‖), divided by both lengths",
    "squared_distance": "euclidean returned the squared distance: take the square root",
    "negative_distance": "euclidean returned minus the distance: return the distance itself "
                         "(>= 0); the minus sign belongs in __call__",
    "city_block": "euclidean summed the absolute differences (city-block distance): take the "
                  "square root of the sum of squared differences",
    "euclidean_formula": "euclidean(a, b) should be the length ‖a − b‖ = sqrt(sum((a − b)²))",
    "call_plus_distance": "Similarity('euclidean')(a, b) returned the distance, but higher must "
                          "mean more similar: return minus the distance, -self.euclidean(a, b)",
    "call_ignores_metric": "calling a Similarity should follow self.metric: self.cosine(a, b) "
                           "for 'cosine', -self.euclidean(a, b) for 'euclidean'",
    "unknown_metric": "Similarity('manhattan') should raise ValueError: reject any metric not "
                      "in METRICS",
    # Demo 3
    "mutates_input": "stable_softmax changed the array it was given: write shifted = scores - "
                     "max rather than scores -= max",
    "no_exp": "stable_softmax does not exponentiate the scores: the weights should be "
              "exp(s) / sum(exp(s))",
    "softmax_formula": "stable_softmax should equal exp(s) / sum(exp(s))",
    "overflow": "softmax overflowed or underflowed for large scores (NaN, inf or a warning): "
                "subtract the largest score before exponentiating",
    "row_overflow": "softmax overflowed or underflowed for a batch whose rows have different "
                    "ranges: subtract each row's own maximum, scores.max(axis=-1, keepdims=True)",
    "batch_rows": "each row of a batch should be the softmax of that row alone: subtract each "
                  "row's own maximum and sum over the last axis, with keepdims=True",
    # Demo 4
    "times_temperature": "the scores were multiplied by the temperature: divide them by it (a "
                         "higher temperature should flatten the weights)",
    "ignores_temperature": "softmax ignores the temperature: apply stable_softmax to "
                           "scores / temperature",
    "temperature_formula": "softmax(scores, T) should equal stable_softmax(scores / T)",
    "default_temperature": "softmax(scores) without a temperature should equal temperature 1: "
                           "give temperature the default value 1.0",
    "cold_overflow": "softmax overflowed at a tiny temperature (scores / T are huge): use "
                     "stable_softmax on scores / temperature instead of exponentiating yourself",
    "bad_temperature": "a temperature <= 0 should raise ValueError: a temperature must be "
                       "positive",
    # Demo 5
    "context_of_keys": "the context mixes the keys: it should be the attention-weighted sum of "
                       "the values, weights @ values",
    "context_formula": "the context should be the attention-weighted sum of the values, "
                       "weights @ values",
    "scores_cosines": "the scores were cosines: attention scores are the raw dot products "
                      "keys @ query",
    "scores_sqrt_d": "the scores were divided by √d: here the temperature alone scales them "
                     "(scores = keys @ query)",
    "scores_values": "the scores used the values: compare the query with the keys",
    "weights_formula": "the weights should be softmax(keys @ query / T)",
    "attention_ignores_temperature": "the weights ignore the temperature: pass "
                                     "self.temperature to softmax",
    "attention_overflow": "attention overflowed for large scores: compute the weights with "
                          "your stable softmax",
}
