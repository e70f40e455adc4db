"""Demo 2: how alike are two memory representations?"""

import numpy as np

METRICS = ("cosine", "euclidean")


class Similarity:
    """Scores how similar two vectors are; higher always means more similar.

    Args:
        metric: "cosine" (cos of the angle) or "euclidean" (minus the distance).

    Raises:
        ValueError: for any other metric.
    """

    def __init__(self, metric: str = "cosine") -> None:
        # TODO Demo 2: keep the metric as self.metric; reject any metric not in METRICS.
        raise NotImplementedError("Demo 2: keep the metric as self.metric; reject any metric not in METRICS.")

    def cosine(self, a: np.ndarray, b: np.ndarray) -> float:
        """Cosine similarity.

        Args:
            a: vector of shape (d,).
            b: vector of shape (d,).

        Returns:
            cos θ = a·b / (‖a‖ ‖b‖), a float in [-1, 1].
        """
        # TODO Demo 2: return a·b / (‖a‖ ‖b‖) as a float.
        raise NotImplementedError("Demo 2: return a·b / (‖a‖ ‖b‖) as a float.")

    def euclidean(self, a: np.ndarray, b: np.ndarray) -> float:
        """Euclidean distance.

        Args:
            a: vector of shape (d,).
            b: vector of shape (d,).

        Returns:
            ‖a − b‖, a float >= 0 (the distance, not its square).
        """
        # TODO Demo 2: return the length ‖a − b‖ of the difference vector as a float.
        raise NotImplementedError("Demo 2: return the length ‖a − b‖ of the difference vector as a float.")

    def __call__(self, a: np.ndarray, b: np.ndarray) -> float:
        """Similarity by the chosen metric: cos θ, or −‖a − b‖.

        Args:
            a: vector of shape (d,).
            b: vector of shape (d,).

        Returns:
            a float; higher means more similar.
        """
        # TODO Demo 2: use the cosine method for the cosine metric, else minus the euclidean distance.
        raise NotImplementedError("Demo 2: use the cosine method for the cosine metric, else minus the euclidean distance.")
