"""Stand-ins for earlier demos behave like the reference objects they stand for.

A probe module runs in a real sandboxed child whose earlier demos are all stand-ins
(as in Mini-Project 3) and reports what it saw as plain data.
"""

from pathlib import Path

import numpy as np
import pytest

from recallkit.grading.reference import reference
from recallkit.grading.student import Student
from recallkit.grading.submission import Submission
from recallkit.sandbox.session import Sandbox

PROBE = '''
import numpy as np
from memory_attention.attention import DotProductAttention
from memory_attention.encoder import WordEncoder
from memory_attention.similarity import METRICS, Similarity
from memory_attention import softmax as softmax_module


class Sharper(DotProductAttention):
    """A student's subclass: its own method, the reference's attend."""

    def halve(self):
        self.temperature = self.temperature / 2
        return self


def probe(a, b):
    sim = Similarity("cosine")
    model = Sharper(2.0).halve()
    encoder = WordEncoder(8, seed=3)
    _, weights = model.attend(a, np.stack([a, b]), np.eye(2))
    try:
        Similarity("manhattan")
        rejected = ""
    except ValueError as exc:
        rejected = type(exc).__name__
    return {
        "called": sim(a, b), "method": sim.cosine(a, b), "metric": sim.metric,
        "isinstance": [isinstance(sim, Similarity), isinstance(model, DotProductAttention),
                       isinstance(model, Sharper), isinstance(encoder, Similarity)],
        "names": [type(sim).__name__, type(model).__name__, Similarity.__name__,
                  softmax_module.softmax.__name__],
        "repr": repr(sim), "str": str(encoder), "temperature": model.temperature,
        "weights": weights, "same": sim == sim and sim != Similarity("cosine"),
        "hashable": len({sim, encoder}), "metrics": list(METRICS), "rejected": rejected,
        "encoded": encoder.encode("apple"), "dim": encoder.dim,
    }


def misuse():
    return len(Similarity("cosine"))
'''


@pytest.fixture(scope="module")
def student(tmp_path_factory: pytest.TempPathFactory):
    sandbox = Sandbox()
    sandbox.start()
    submission = Submission(Path(tmp_path_factory.mktemp("probe")), {"recall": PROBE})
    substitutes = {"encoder": None, "similarity": None, "softmax": None, "attention": None}
    yield Student(sandbox, submission, ["recall"], substitutes, 30)
    sandbox.close()


def test_stand_ins_behave_like_the_reference_objects(student):
    a, b = np.array([1.0, 2.0, 0.5]), np.array([-1.0, 0.5, 2.0])
    seen = student.recall.probe(a, b)
    want = reference().similarity.Similarity("cosine")(a, b)
    assert seen["called"] == pytest.approx(want) and seen["method"] == pytest.approx(want)
    assert seen["metric"] == "cosine" and seen["metrics"] == ["cosine", "euclidean"]
    assert seen["isinstance"] == [True, True, True, False]
    assert seen["names"] == ["Similarity", "Sharper", "Similarity", "softmax"]
    assert seen["repr"].startswith("<memory_attention.similarity.Similarity object")
    assert seen["str"].startswith("<memory_attention.encoder.WordEncoder object")
    assert seen["temperature"] == 1.0  # the subclass's own method set it on the reference
    scores = np.stack([a, b]) @ a
    assert np.allclose(seen["weights"], reference().softmax.softmax(scores, 1.0))
    assert seen["same"] is True and seen["hashable"] == 2
    assert seen["rejected"] == "ValueError"
    assert np.allclose(seen["encoded"], reference().encoder.WordEncoder(8, seed=3).encode("apple"))
    assert seen["dim"] == 8


def test_misuse_reads_like_the_real_object(student):
    with pytest.raises(Exception) as caught:
        student.recall.misuse()
    assert "object of type 'Similarity' has no len()" in str(caught.value)
