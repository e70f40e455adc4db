"""Demo 1: WordEncoder — words as random directions on the unit sphere."""

import numpy as np
import pytest

from recallkit.grading.hints import expect, expect_array, expect_close, expect_number
from recallkit.grading.reference import reference

MESSAGES = reference().messages.MESSAGES
LOAD = ["encoder"]
SUBSTITUTES: dict = {}
WORDS = ["apple", "bread", "cloud", "drum", "eagle", "forest", "guitar", "harbor"]


def encode_all(student, dim: int, seed: int, words=WORDS) -> np.ndarray:
    """The words' vectors as rows; a vector of dim numbers in another shape (e.g. (1, dim))
    is flattened here: only the shape test charges for the shape."""
    encoder = student.encoder.WordEncoder(dim, seed=seed)
    vectors = []
    for word in words:
        vector = encoder.encode(word)
        if isinstance(vector, np.ndarray) and vector.size == dim:
            vector = vector.reshape(dim)
        vectors.append(expect_array(vector, (dim,), f"encode({word!r}) at dim={dim}"))
    return np.stack(vectors)


@pytest.mark.points(1)
def test_shape_and_dim(student):
    """encode returns a vector of shape (dim,) and the encoder remembers dim"""
    for dim in (3, 64):
        encoder = student.encoder.WordEncoder(dim, seed=0)
        expect(expect_number(student.get(encoder, "dim"), "WordEncoder.dim") == dim,
               f"WordEncoder({dim}).dim should be {dim}: store the dimension as self.dim.")
        vector = encoder.encode("apple")
        expect(not isinstance(vector, np.ndarray) or vector.shape == (dim,),
               f"encode('apple') with dim={dim} has shape {np.shape(vector)}: "
               f"{MESSAGES['encode_shape']}")
        expect_array(vector, (dim,), f"encode('apple') with dim={dim}")


@pytest.mark.points(2)
def test_unit_norm(student):
    """every vector has unit L2 norm"""
    norms = np.linalg.norm(encode_all(student, 50, 3), axis=1)
    expect_close(norms, np.ones_like(norms), MESSAGES["not_unit"], rtol=1e-4, atol=1e-4)


@pytest.mark.points(1)
def test_same_word_same_vector(student):
    """the same word gives the same vector, also from a new encoder"""
    first = encode_all(student, 32, 7)
    again = encode_all(student, 32, 7)
    expect_close(first, again, MESSAGES["same_word_differs"])


@pytest.mark.points(2)
def test_reproducible_in_new_process(student, reference):
    """vectors are the same in a new Python process (no salted hash())"""
    here = encode_all(student, 32, 11)
    encoder = reference.encoder.WordEncoder(32, seed=11)
    if np.allclose(here, [encoder.encode(w) for w in WORDS]):
        return  # the reference's vectors are seeded by a digest: the same in every process
    there = encode_all(student.fresh(), 32, 11)
    if np.allclose(here, there):
        return
    # Name hash() only when that is the signature: the same vectors within one process.
    stable_here = np.allclose(here, encode_all(student, 32, 11))
    expect(False, "A new Python process gave other vectors for the same words: " + (
        "Python's hash() is salted per process, so do not seed from hash(word)" if stable_here
        else "they change within one process too. " + MESSAGES["same_word_differs"]))


@pytest.mark.points(1)
def test_seed_changes_vectors(student):
    """another seed gives other vectors"""
    a, b = encode_all(student, 32, 0), encode_all(student, 32, 1)
    expect(not np.allclose(a, b), "WordEncoder(dim, seed=0) and seed=1 gave the same "
           "vectors: the seed must change the draw")


@pytest.mark.points(2)
def test_unrelated_words_nearly_orthogonal(student):
    """unrelated words are nearly orthogonal in high dimension (mean |cos| ≈ 1/√d)"""
    dim = 1024
    words = [f"word{i}" for i in range(24)]
    vectors = encode_all(student, dim, 5, words)
    vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    cosines = np.abs((vectors @ vectors.T)[np.triu_indices(len(words), 1)])
    expected = np.sqrt(2 / (np.pi * dim))  # mean |cos| of random directions
    if (cosines > 1 - 1e-9).any():
        expect(False, MESSAGES["words_share_vector"])
    expect(cosines.mean() < 3 * expected,
           f"Different words should be nearly orthogonal at dim={dim} (mean |cos| about "
           f"{expected:.3f}), but the mean |cos| is {cosines.mean():.3f}: "
           + MESSAGES["not_centred"])


@pytest.mark.points(1)
def test_directions_uniform_on_sphere(student):
    """directions are uniform on the sphere: bell-shaped components, half of them negative"""
    vectors = encode_all(student, 64, 2, [f"w{i}" for i in range(40)])
    vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    negative_share = (vectors < 0).mean()
    expect(0.3 < negative_share < 0.7,
           f"Only {negative_share:.0%} of the coordinates are negative: "
           + MESSAGES["not_centred"])
    checks = reference().checks
    kurtosis = checks.component_kurtosis(vectors)
    expect(kurtosis > 2.4, f"The components have kurtosis {kurtosis:.2f}, expected about 2.9: "
           + checks.sphere_mistake(kurtosis))
