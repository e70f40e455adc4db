"""Demos 3 and 4: turn match scores into an attention distribution."""

import numpy as np


def stable_softmax(scores: np.ndarray) -> np.ndarray:
    """Softmax at temperature 1 over the last axis (Demo 3).

    Args:
        scores: array of shape (..., n) of match scores.

    Returns:
        array of the same shape: non-negative, summing to 1 over the last axis.
        Stable for large scores (no overflow, NaN or warning near ±1000).
    """
    scores = np.asarray(scores, dtype=float)
    # TODO Demo 3: subtract the largest score, exponentiate, and divide by the sum over the last axis.
    raise NotImplementedError("Demo 3: subtract the largest score, exponentiate, and divide by the sum over the last axis.")


def softmax(scores: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Softmax with a temperature (Demo 4).

    Low temperatures focus attention on the best match (T → 0: one-hot on
    the maximum, ties share); high temperatures spread it (T → ∞: uniform).

    Args:
        scores: array of shape (..., n) of match scores.
        temperature: T > 0; the scores are divided by T before the softmax.

    Returns:
        array of the same shape as ``scores``, summing to 1 over the last axis.

    Raises:
        ValueError: if temperature <= 0.
    """
    # TODO Demo 4: raise ValueError unless temperature > 0, then apply stable_softmax to scores / T.
    raise NotImplementedError("Demo 4: raise ValueError unless temperature > 0, then apply stable_softmax to scores / T.")
