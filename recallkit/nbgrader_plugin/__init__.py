"""recallkit inside nbgrader: module grades as grade cells of a real notebook.

The assignment ships a notebook ``memory_attention_modules.ipynb`` with one
autograded grade cell per demo (grade id ``modules_demoN``). The course's
``nbgrader_config.py`` puts :class:`~recallkit.nbgrader_plugin.grade_modules.GradeModules`
into nbgrader's autograde chain, right after ``Execute``: it writes each demo's
module points as the cell's numeric output (nbgrader's partial credit) and the
plain-words feedback as its text. Every nbgrader operation (autograde,
formgrader, late penalties, feedback, export) then sees real grade cells.
"""

import re

MODULES_NOTEBOOK = "memory_attention_modules"
PREPROCESSOR = "recallkit.nbgrader_plugin.grade_modules.GradeModules"


def cell_id(demo: str) -> str:
    """The grade id of a demo's module grade cell, e.g. ``modules_demo3``."""
    return f"modules_demo{demo}"


GRADE_CELL = re.compile(cell_id(r"(\d+)"))
