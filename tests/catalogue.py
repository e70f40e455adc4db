"""The catalogue of student-written variants: correct alternatives and typical mistakes.

Each variant is a copy of the reference with a few exact textual edits in one module.
``tests/test_catalogue.py`` grades every variant and checks the expected points per demo,
that the visible check agrees with the grader, and that no feedback names an internal class.
Demos 1-5 live in ``DEMO_VARIANTS`` (this file); Mini-Project 3 in ``catalogue_recall.py``.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Variant:
    name: str
    module: str                           # "encoder", "similarity", "softmax", "attention", …
    edits: tuple[tuple[str, str], ...]    # (exact reference text, what the student wrote), in order
    points: dict[str, float] = field(default_factory=dict)  # expected points of the demos named;
    #                                       every demo not named must score full marks
    visible: str | None = None            # the visible check that must agree (a function of
    #                                       checks.py / recall_checks.py), None if none is possible
    note: str = ""                        # why this variant is in the catalogue (issue 10 / 11)

    @property
    def correct(self) -> bool:
        return not self.points


DEMO_VARIANTS: list[Variant] = []
