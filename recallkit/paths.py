"""Where the kit's parts live. Everything is found relative to the repository root."""

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOLUTIONS = REPO / "solutions"
SOURCE = REPO / "source"
RELEASE = REPO / "release"
AUTOGRADER = REPO / "autograder"

ASSIGNMENT = "attention_memory"
PACKAGE = "memory_attention"

# The graded modules, in demo order; a submission is judged on these files only.
GRADED_MODULES = ("encoder", "similarity", "softmax", "attention", "recall")
