"""Demo 1: encode words as random directions in a semantic space."""

import hashlib

import numpy as np


def word_seed(word: str, dim: int, seed: int) -> int:
    """A stable 64-bit seed for (word, dim, seed).

    Python's ``hash()`` is salted per process, so it would give a word a
    different vector in every new session; a cryptographic digest does not.
    """
    digest = hashlib.sha256(f"{seed}:{dim}:{word}".encode()).digest()
    return int.from_bytes(digest[:8], "little")


class WordEncoder:
    """Maps each word to a fixed random unit vector.

    Args:
        dim: dimension of the semantic space.
        seed: selects one of many possible vocabularies of vectors.
    """

    def __init__(self, dim: int, seed: int = 0) -> None:
        if dim < 1:
            raise ValueError(f"dim must be a positive integer, got {dim}")
        self.dim = int(dim)
        self.seed = int(seed)

    def encode(self, word: str) -> np.ndarray:
        """Encode one word.

        Args:
            word: the word to encode.

        Returns:
            np.ndarray of shape (dim,) with unit L2 norm, drawn uniformly on the
            sphere and depending only on (word, dim, seed).
        """
        rng = np.random.default_rng(word_seed(word, self.dim, self.seed))
        # TODO Demo 1: draw a standard normal vector of length dim with rng and scale it to unit L2 norm.
        raise NotImplementedError("Demo 1: draw a standard normal vector of length dim with rng and scale it to unit L2 norm.")
