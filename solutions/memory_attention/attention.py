"""Demo 5: retrieve from memory by dot-product attention."""

import numpy as np

from memory_attention.softmax import softmax


class DotProductAttention:
    """Cue → query, a memory's address vector → key, memory representation → value.

    Args:
        temperature: softmax temperature on the scores (lower = sharper focus); for
            unit vectors, a transformer's scaled dot product q·k/√d corresponds to
            T = 1/√d on cosines.
    """

    def __init__(self, temperature: float = 1.0) -> None:
        self.temperature = temperature

    def attend(
        self, query: np.ndarray, keys: np.ndarray, values: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Attend to the memories that match the query.

        Args:
            query: cue vector of shape (d,).
            keys: shape (n, d), one row per memory: the vector by which a memory is found
                (its address).
            values: memory representations of shape (n, d_v).

        Returns:
            (context, weights): context of shape (d_v,), the weighted mix of
            the values; weights of shape (n,), summing to 1.
        """
        # Demo 5: scores = keys @ query (no Python loop), softmax at self.temperature, mix values.
        ### BEGIN SOLUTION
        scores = np.asarray(keys) @ np.asarray(query)
        weights = softmax(scores, self.temperature)
        context = weights @ np.asarray(values)
        return context, weights
        ### END SOLUTION
