"""How big the notebooks' simulations and timings are: full size when you run a notebook,
smaller when nbgrader runs it to grade it.

nbgrader sets ``NBGRADER_EXECUTION`` while it autogrades (or validates) a notebook. The
sized cells compute feedback only (plots, timings, simulated participants), never a grade,
so the graded run does less of that work and each sized cell says so in its output.
"""

import os
from types import SimpleNamespace
from typing import Any


def graded_run() -> bool:
    """Whether nbgrader is running this notebook to grade (or validate) it."""
    return bool(os.environ.get("NBGRADER_EXECUTION"))


def for_grading(**sizes: tuple[Any, Any]) -> SimpleNamespace:
    """The full size of each setting, or its smaller size in nbgrader's graded run.

    Args:
        **sizes: ``name=(full, graded)`` pairs, e.g. ``seeds=((0, 1, 2, 3, 4), (0, 1, 2))``.

    Returns:
        one attribute per name holding the size to use. In the graded run one sentence is
        printed naming the smaller sizes, so the feedback is not mistaken for a full run.
    """
    graded = graded_run()
    if graded:
        smaller = ", ".join(f"{name.replace('_', ' ')} {small} instead of {full}"
                            for name, (full, small) in sizes.items())
        print(f"Graded run: nbgrader ran this cell with smaller sizes than your own run, "
              f"to keep grading fast ({smaller}). Nothing in it is graded; run the "
              "notebook yourself for the full-size results.")
    return SimpleNamespace(**{name: pair[graded] for name, pair in sizes.items()})
