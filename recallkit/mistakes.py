"""Typical student mistakes, made from the reference by one textual change each.

Used to build wrong submissions for the tests, the example class and the
benchmark, so that they follow the reference as it changes.
"""

import shutil
from dataclasses import dataclass
from pathlib import Path

from recallkit.paths import PACKAGE, SOLUTIONS


@dataclass(frozen=True)
class Mistake:
    module: str
    correct: str  # exact text of the reference
    wrong: str    # what the student wrote instead
    demo: str     # the demo that should lose points


MISTAKES = {
    "uniform_not_gaussian": Mistake("encoder", "rng.standard_normal(self.dim)",
                                    "rng.random(self.dim)", "1"),
    "salted_hash_seed": Mistake("encoder",
                                "np.random.default_rng(word_seed(word, self.dim, self.seed))",
                                "np.random.default_rng(abs(hash((word, self.dim, self.seed))))",
                                "1"),
    "squared_distance": Mistake("similarity", "np.linalg.norm(np.asarray(a) - np.asarray(b))",
                                "np.sum((np.asarray(a) - np.asarray(b)) ** 2)", "2"),
    "no_max_subtraction": Mistake("softmax",
                                  "shifted = scores - scores.max(axis=-1, keepdims=True)",
                                  "shifted = scores", "3"),
    "times_temperature": Mistake("softmax", "np.asarray(scores, dtype=float) / temperature",
                                 "np.asarray(scores, dtype=float) * temperature", "4"),
    "context_from_keys": Mistake("attention", "context = weights @ np.asarray(values)",
                                 "context = weights @ np.asarray(keys)", "5"),
}


def copy_reference(folder: Path) -> Path:
    """``folder/memory_attention/``: a copy of the reference package (a correct submission)."""
    shutil.copytree(SOLUTIONS / PACKAGE, folder / PACKAGE, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def make_mistake(folder: Path, name: str) -> None:
    """Apply mistake ``name`` to the submission in ``folder``."""
    mistake = MISTAKES[name]
    path = folder / PACKAGE / f"{mistake.module}.py"
    text = path.read_text(encoding="utf-8")
    if mistake.correct not in text:
        raise ValueError(f"{path} no longer contains {mistake.correct!r}: update "
                         "recallkit/mistakes.py to match the reference")
    path.write_text(text.replace(mistake.correct, mistake.wrong), encoding="utf-8")
