"""memory_attention: dot-product attention over memories, built in five demos.

The submodules are deliberately not imported here: a broken module must not
stop the others from loading (import ``memory_attention.encoder`` etc.).
This file must stay valid on old Pythons: it is what tells their users to upgrade.
"""

import sys

SUPPORTED_PYTHON = "3.10 or newer"

if sys.version_info < (3, 10):  # noqa: UP036  (the point: run on old Pythons too)
    class PythonTooOld(RuntimeError):
        """Shown by Jupyter as its message alone: one clear line, no traceback."""

        def _render_traceback_(self):
            return ["PythonTooOld: " + str(self)]

    raise PythonTooOld("memory_attention needs Python " + SUPPORTED_PYTHON + ", but this is "
                       "Python " + sys.version.split()[0] + ": install a newer Python "
                       "(python.org) and choose it as the notebook's kernel.")
