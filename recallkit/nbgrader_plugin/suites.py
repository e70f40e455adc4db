"""What each hidden suite grades: its points (``@pytest.mark.points(p)``) and modules (``LOAD``).

The suites are the one place points are written; the modules notebook takes
its grade cells' points from here. Read with ``ast``, so nothing is imported.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

from recallkit.grading.plugin import DEMO_FILE
from recallkit.paths import AUTOGRADER


@dataclass(frozen=True)
class Suite:
    """One demo's hidden suite."""

    points: float
    modules: tuple[str, ...]


def _points(decorator: ast.expr) -> float:
    if (isinstance(decorator, ast.Call) and ast.unparse(decorator.func) == "pytest.mark.points"
            and len(decorator.args) == 1 and isinstance(decorator.args[0], ast.Constant)):
        return float(decorator.args[0].value)
    return 0.0


def _load(tree: ast.Module) -> tuple[str, ...]:
    for node in tree.body:
        if (isinstance(node, ast.Assign) and [ast.unparse(t) for t in node.targets] == ["LOAD"]):
            return tuple(ast.literal_eval(node.value))
    return ()


def demo_suites(suites: Path = AUTOGRADER) -> dict[str, Suite]:
    """Demo number (as text) -> its suite, in demo order."""
    found = {}
    for path in suites.glob("test_demo*_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        points = sum(_points(decorator) for node in ast.walk(tree)
                     if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
                     for decorator in node.decorator_list)
        found[DEMO_FILE.search(path.name).group(1)] = Suite(points, _load(tree))
    return dict(sorted(found.items(), key=lambda item: int(item[0])))
