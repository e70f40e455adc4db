"""Demo 5: retrieve from memory by dot-product attention."""

import numpy as np

from memory_attention.softmax import softmax


class DotProductAttention:
    """Cue → query, memory index → key, memory representation → value.

    Args:
        temperature: softmax temperature; it plays the role of √d in scaled
            dot-product attention (lower = sharper focus).
    """

    def __init__(self, temperature: float = 1.0) -> None:
        self.temperature = temperature

    def attend(
        self, query: np.ndarray, keys: np.ndarray, values: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Attend to the memories that match the query.

        Args:
            query: cue vector of shape (d,).
            keys: memory indices of shape (n, d), one row per memory.
            values: memory representations of shape (n, d_v).

        Returns:
            (context, weights): context of shape (d_v,), the weighted mix of
            the values; weights of shape (n,), summing to 1.
        """
        # TODO Demo 5: scores = keys @ query (no Python loop), softmax at self.temperature, mix values.
        raise NotImplementedError("Demo 5: scores = keys @ query (no Python loop), softmax at self.temperature, mix values.")
