"""Run the real nbgrader command line in a course root.

nbgrader is trusted and runs unconfined (it keeps the gradebook); the students'
notebook kernels it starts are confined one by one (``sandbox/kernels.py``, set
in the course's nbgrader config). It runs in its own session, ended as a whole
afterwards, and its output goes to a file, never to a pipe we would wait on.
"""

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path


def nbgrader(course_root: Path, *args: str) -> tuple[int, str]:
    """``nbgrader ARGS`` in ``course_root``; returns (exit status, log)."""
    env = dict(os.environ)
    # nbgrader runs `alembic` by name to set up the gradebook: it must find this
    # environment's copy even when the environment is not activated.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    # Only the course's nbgrader_config.py may count, not one in the user's ~/.jupyter.
    env["JUPYTER_CONFIG_DIR"] = str(course_root / ".jupyter")
    # -P: the course root (the working directory) is not on the import path.
    argv = [sys.executable, "-P", "-m", "nbgrader", *args]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(argv, cwd=course_root, env=env, stdin=subprocess.DEVNULL,
                                   stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        try:
            status = process.wait()
        finally:  # also on Ctrl-C: end nbgrader and whatever is left in its session
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait()
        log.seek(0)
        return status, log.read().decode("utf-8", errors="replace")
