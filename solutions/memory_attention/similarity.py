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
        # Demo 2: keep the metric as self.metric; reject any metric not in METRICS.
        ### BEGIN SOLUTION
        if metric not in METRICS:
            raise ValueError(f"metric must be one of {METRICS}, got {metric!r}")
        self.metric = metric
        ### END SOLUTION

    def cosine(self, a: np.ndarray, b: np.ndarray) -> float:
        """Cosine similarity.

        Args:
            a: vector of shape (d,).
            b: vector of shape (d,).

        Returns:
            cos θ = a·b / (‖a‖ ‖b‖), a float in [-1, 1].
        """
        # Demo 2: return a·b / (‖a‖ ‖b‖) as a float.
        ### BEGIN SOLUTION
        return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))
        ### END SOLUTION

    def euclidean(self, a: np.ndarray, b: np.ndarray) -> float:
        """Euclidean distance.

        Args:
            a: vector of shape (d,).
            b: vector of shape (d,).

        Returns:
            ‖a − b‖, a float >= 0 (the distance, not its square).
        """
        # Demo 2: return the length ‖a − b‖ of the difference vector as a float.
        ### BEGIN SOLUTION
        return float(np.linalg.norm(np.asarray(a) - np.asarray(b)))
        ### END SOLUTION

    def __call__(self, a: np.ndarray, b: np.ndarray) -> float:
        """Similarity by the chosen metric: cos θ, or −‖a − b‖.

        Args:
            a: vector of shape (d,).
            b: vector of shape (d,).

        Returns:
            a float; higher means more similar.
        """
        # Demo 2: use the cosine method for the cosine metric, else minus the euclidean distance.
        ### BEGIN SOLUTION
        if self.metric == "cosine":
            return self.cosine(a, b)
        return -self.euclidean(a, b)
        ### END SOLUTION
