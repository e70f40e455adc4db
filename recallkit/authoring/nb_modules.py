"""The modules notebook: one grade cell per demo, filled in by the hidden module suites.

Its cells run nothing of the student's: at autograding, recallkit's nbgrader
plugin replaces each cell's output with the demo's points and feedback. Points
and modules come from the suites (the one place they are written).
"""

from textwrap import dedent

from recallkit.authoring.cells import md, tests
from recallkit.grading.plugin import demo_label
from recallkit.nbgrader_plugin import MODULES_NOTEBOOK, cell_id
from recallkit.nbgrader_plugin.suites import demo_suites
from recallkit.paths import PACKAGE

FILENAME = f"{MODULES_NOTEBOOK}.ipynb"

INTRO = f"""
    # Your `{PACKAGE}/` package: how it is graded

    Most of your points come from the Python files you write in `{PACKAGE}/`.
    When your work is autograded, hidden tests (*the module suites*) call your
    functions in a sandbox and compare what they do with what they should do. Each
    demo is judged on its own module, with correct versions standing in for the
    earlier demos it uses: one mistake costs points once.

    There is nothing to do in this notebook. Each cell below is the grade cell of one
    demo: at autograding, its output becomes your points (a single number) and a line
    per check saying what passed and what to fix. Until then the cells show 0. Use the
    visible checks in the demo notebooks while you work.

    | part | module | points |
    |---|---|---|
    """


def _files(modules: tuple[str, ...]) -> str:
    return ", ".join(f"{PACKAGE}/{name}.py" for name in modules)


def cells() -> list:
    """The cells of ``memory_attention_modules.ipynb``, in order."""
    suites = demo_suites()
    table = "\n".join(f"| {demo_label(demo)} | `{_files(suite.modules)}` | {suite.points:g} |"
                      for demo, suite in suites.items())
    grade_cells = [tests(cell_id(demo), f"""
        # {demo_label(demo)}: {_files(suite.modules)}, graded by the module suites.
        # At autograding this output becomes your points (out of {suite.points:g}) and feedback.
        0
        """, suite.points) for demo, suite in suites.items()]
    return [md("modules_intro", dedent(INTRO) + table), *grade_cells]
