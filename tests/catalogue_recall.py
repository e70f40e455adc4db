"""Mini-Project 3 variants of the catalogue: correct alternatives and typical mistakes.

Same ``Variant`` format as ``catalogue.py``; every variant edits ``recall.py``. The
visible checks live in ``memory_attention.recall_checks`` and speak with the texts of
``memory_attention.recall_messages``; a correct variant must pass all of ``RECALL_CHECKS``.
Expected points are for demo "6" (15 in all); every other demo keeps full marks.
"""

from catalogue import Variant

RECALL_LIBRARY = "recall_checks"
RECALL_CHECKS = ["check_encode_traces", "check_cue_reliability", "check_cue_capture",
                 "check_race_rates", "check_race", "check_break_valid_benefit",
                 "check_break_encoding_specificity"]

ENCODE = "    return unit(add_noise(summed, noise, rng))"
SUMMED = ("    summed = np.asarray(word_vectors, dtype=float) + "
          "np.asarray(context_vectors, dtype=float)")
RELIABILITY = "    return float(min(1.0, max(0.0, (p_valid - chance) / (1.0 - chance))))"
CAPTURE = "    return float(capture * (1.0 - math.exp(-max(float(interval_ms), 0.0) / tau_ms)))"
LOGITS = "    logits = share * np.asarray(cue_scores, dtype=float) / temperature"
ATTENTION = "    attention = np.exp(logits - logits.max())"
EVIDENCE = "    evidence = np.exp(np.asarray(probe_scores, dtype=float) / temperature)"
RATES = "    return rate_per_ms * evidence * attention / attention.sum()"
IMPORTS = "from memory_attention.encoder import WordEncoder\n"
TIMES = "    times = rng.exponential(1.0 / np.asarray(rates, dtype=float))"
WINNER = "    winner = int(np.argmin(times))"
RT = "    return winner, float(t0_ms + times[winner])"
BREAK_BENEFIT = '    return {"p_valid": 0.125}'
BREAK_ASSOCIATE = '    return {"associate_similarity": 1.0}'


def _recall(name: str, edits: list[tuple[str, str]], points: float | None = None,
            visible: str | None = None, note: str = "") -> Variant:
    return Variant(name, "recall", tuple(edits), {} if points is None else {"6": points},
                   visible, note)


RECALL_VARIANTS: list[Variant] = [
    # ------------------------------------------------------------ correct alternatives
    _recall("recall_norm_by_hand", [(ENCODE, "    noisy = add_noise(summed, noise, rng)\n"
                                     "    return noisy / np.linalg.norm(noisy, axis=1, "
                                     "keepdims=True)")],
            note="unit length by np.linalg.norm instead of the given unit()"),
    _recall("recall_reliability_rescaled", [(RELIABILITY, "    return float(np.clip((p_valid * "
                                             "list_length - 1) / (list_length - 1), 0, 1))")],
            note="(p·n − 1)/(n − 1) is the same line, written another way"),
    _recall("recall_capture_expanded", [(CAPTURE, "    interval = max(float(interval_ms), 0.0)\n"
                                         "    return capture - capture * math.exp(-interval "
                                         "/ tau_ms)")],
            note="capture − capture·e^(−t/τ): algebraically the same share"),
    _recall("recall_rates_log_space", [
        (ATTENTION, "    log_attention = logits - logits.max()\n"
                    "    log_attention -= np.log(np.exp(log_attention).sum())"),
        (EVIDENCE, "    log_evidence = np.asarray(probe_scores, dtype=float) / temperature"),
        (RATES, "    return rate_per_ms * np.exp(log_evidence + log_attention)")],
            note="the product computed as a sum of logs"),
    _recall("recall_rates_with_demo4_softmax", [
        (IMPORTS, IMPORTS + "from memory_attention.softmax import softmax\n"),
        (LOGITS + "\n" + ATTENTION, "    attention = softmax(share * np.asarray(cue_scores, "
                                     "dtype=float), temperature)")],
            note="the attention by the student's own Demo 4 softmax (answered by the reference "
                 "in the sandbox: one call to the grader per trial)"),
    _recall("recall_race_standard_exponential", [
        (TIMES, "    times = rng.standard_exponential(len(rates)) / np.asarray(rates)")],
            note="Exp(1) / rate: the same draws from the same generator"),
    _recall("recall_break_with_capture_zero", [(BREAK_BENEFIT, '    return {"capture": 0.0}')],
            note="another way to abolish the valid benefit: the cue never takes a share"),
    _recall("recall_break_with_interval_zero", [(BREAK_BENEFIT,
                                                 '    return {"interval_ms": 0}')],
            note="no time for attention to move (an int value is fine)"),
    # ------------------------------------------------------------ typical mistakes
    _recall("recall_traces_without_context", [(SUMMED, "    summed = np.asarray(word_vectors, "
                                               "dtype=float)")], 12.0, "check_encode_traces",
            note="the context never reaches the trace, so the cue cannot find it"),
    _recall("recall_traces_unit_before_noise", [(ENCODE, "    return add_noise(unit(summed), "
                                                 "noise, rng)")], 14.0, "check_encode_traces",
            note="scaled before the noise: traces are not unit length"),
    _recall("recall_reliability_without_chance", [(RELIABILITY, "    return float(p_valid)")],
            13.0, "check_cue_reliability", note="a cue at chance validity still followed"),
    _recall("recall_reliability_unclipped", [(RELIABILITY, "    return float((p_valid - chance) "
                                              "/ (1.0 - chance))")], 13.0,
            "check_cue_reliability", note="below chance the reliability turns negative"),
    _recall("recall_capture_negative_interval", [(CAPTURE, "    return float(capture * (1.0 - "
                                                  "math.exp(-float(interval_ms) / tau_ms)))")],
            14.0, "check_cue_capture", note="a negative interval gives a negative share"),
    _recall("recall_rates_ignore_cue", [(RATES, "    return rate_per_ms * evidence / "
                                         "len(evidence)")], 12.0, "check_race_rates",
            note="the race runs on the probe's evidence only: no cueing at all"),
    _recall("recall_rates_evidence_without_temperature", [
        (EVIDENCE, "    evidence = np.exp(np.asarray(probe_scores, dtype=float))")], 12.0,
            "check_race_rates", note="exp(score) instead of exp(score / T)"),
    _recall("recall_rates_attention_at_temperature_one", [
        (LOGITS, "    logits = share * np.asarray(cue_scores, dtype=float)")],
            12.0, "check_race_rates", note="the cue's attention at T = 1: far too flat"),
    _recall("recall_race_slowest_wins", [(WINNER, "    winner = int(np.argmax(times))")], 13.0,
            "check_race", note="the last accumulator to finish is taken as the answer"),
    _recall("recall_race_without_t0", [(RT, "    return winner, float(times[winner])")], 14.0,
            "check_race", note="the non-decision time is left out of the RT"),
    _recall("recall_race_largest_rate_wins", [(WINNER, "    winner = int(np.argmax(rates))")],
            13.0, "check_race", note="no race: the largest rate always wins"),
    _recall("recall_break_benefit_kept", [(BREAK_BENEFIT, '    return {"capture": 1.0}')], 14.0,
            "check_break_valid_benefit", note="a larger capture makes the benefit larger"),
    _recall("recall_break_associate_too_weak", [(BREAK_ASSOCIATE,
                                                 '    return {"associate_similarity": 0.7}')],
            14.0, "check_break_encoding_specificity",
            note="a closer associate, but still below the study context"),
    _recall("recall_break_unknown_name", [(BREAK_BENEFIT, '    return {"validity": 0.125}')],
            14.0, "check_break_valid_benefit", note="a parameter name the model does not have"),
]
