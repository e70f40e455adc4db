"""Say so in the notebook when an edited module cannot be reloaded.

``%autoreload`` keeps running the last version that imported when a file no longer
compiles (a syntax error), while the grader gives that file 0 points. Before each
cell, ``warn_when_reload_fails`` compiles every loaded module of this package and
prints one line for each file that fails.
"""

import sys
from pathlib import Path
from typing import Any

PACKAGE = __name__.rpartition(".")[0]


def broken_modules() -> list[str]:
    """One line per loaded module of the package whose file does not compile."""
    lines = []
    for name, module in sorted(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if not name.startswith(PACKAGE + ".") or not path or not path.endswith(".py"):
            continue
        try:
            compile(Path(path).read_text(encoding="utf-8"), path, "exec")
        except (SyntaxError, ValueError, OSError) as exc:
            where = f" at line {exc.lineno}" if getattr(exc, "lineno", None) else ""
            lines.append(f"⚠ {PACKAGE}/{Path(path).name} has an error{where} "
                         f"({getattr(exc, 'msg', exc)}): this notebook still runs the version "
                         "from before that edit, and the grader cannot import the file. Fix it, "
                         "save, and re-run the cell.")
    return lines


def _report(*_: Any) -> None:
    for line in broken_modules():
        print(line)


def warn_when_reload_fails() -> None:
    """Check the package's files before every cell of this notebook (once registered)."""
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None and _report not in shell.events.callbacks["pre_run_cell"]:
        shell.events.register("pre_run_cell", _report)
