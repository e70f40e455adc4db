"""What a failed Mini-Project 3 check says, in plain words: one text per typical mistake.

The visible checks (``recall_checks.py``) and the grader's hidden tests both use
these texts, so the notebook and the grade say the same thing about the same mistake.
"""

MESSAGES = {
    # encode_traces
    "traces_shape": "encode_traces should return one trace per studied word: an array of "
                    "shape (n, d), like word_vectors",
    "traces_not_unit": "every trace should have length 1: scale each row with unit()",
    "traces_no_context": "the traces hold only the words: store word + context, so that a cue "
                         "matching the study context finds the trace",
    "traces_no_noise": "the traces have no noise: add it with add_noise(word + context, noise, "
                       "rng) before scaling to unit length",
    "traces_formula": "the noisy traces differ from unit(add_noise(word + context, noise, rng)): "
                      "draw the noise with one add_noise call on the whole (n, d) array, with "
                      "the rng given, then scale each row to length 1",
    # cue_reliability
    "reliability_chance": "a cue that is right no more often than chance (1 / list_length) "
                          "tells nothing: its reliability should be 0. Subtract the chance "
                          "level: (p_valid − 1/n) / (1 − 1/n)",
    "reliability_clip": "a cue that is right less often than chance should get reliability 0, "
                        "not a negative number: clip the result to [0, 1]",
    "reliability_formula": "the reliability should be (p_valid − 1/n) / (1 − 1/n), clipped to "
                           "[0, 1]: 0 at chance, 1 for an always-valid cue",
    # cue_capture
    "capture_zero": "at interval 0 attention has not moved yet: the share should be 0 "
                    "(capture · (1 − exp(0)))",
    "capture_negative": "a negative interval should count as 0, so the share should be 0",
    "capture_limit": "at an interval far longer than tau_ms the share should reach capture",
    "capture_formula": "the share should be capture · (1 − exp(−interval_ms / tau_ms))",
    # race_rates
    "rates_shape": "race_rates should return one rate per trace: an array of shape (n,), all "
                   "positive",
    "rates_ignore_cue": "the rates ignore the cue: multiply the evidence by the attention the "
                        "cue puts on each trace, softmax(share · cue_scores, T)",
    "rates_evidence_temperature": "the evidence should be exp(probe_scores / T): divide the "
                                  "probe's scores by the temperature before exponentiating",
    "rates_attention_temperature": "the cue's attention should be softmax(share · cue_scores, T) "
                                   "at the same temperature T as the evidence",
    "rates_formula": "the rates should be rate_per_ms · exp(probe_scores / T) · "
                     "softmax(share · cue_scores, T)",
    # race
    "race_return": "race should return a tuple (winner, rt_ms): the winner's index as an int "
                   "and the response time as a float",
    "race_not_random": "the winner should be random: draw a finishing time for every "
                       "accumulator and take the first to finish, not the largest rate",
    "race_slowest": "the winner is the accumulator that finishes first: take the smallest "
                    "finishing time (np.argmin), not the largest",
    "race_no_t0": "the response time should include the non-decision time: rt_ms = t0_ms + "
                  "the winner's finishing time",
    "race_draw": "draw all finishing times with one call, rng.exponential(1 / rates): the "
                 "mean time of an accumulator is 1 / its rate",
    # breaking the model
    "break_names": "return a dict {parameter name: value} whose names are parameters of the "
                   "model (the fields of Params)",
    "break_benefit": "with these parameter values valid cues still make answers faster than "
                     "neutral cues: the valid benefit is not abolished",
    "break_associate": "with these parameter values the study-context cue still recalls words "
                       "studied with their context more often than the extra-list associate",
    # your experiment
    "experiment_shape": "my_experiment should return {condition label: [one number per seed]}, "
                        "with at least two conditions and as many numbers as seeds",
}
