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


class Run:
    """One nbgrader command running in its own session (several may run side by side)."""

    def __init__(self, course_root: Path, *args: str) -> None:
        env = dict(os.environ)
        # nbgrader runs `alembic` by name to set up the gradebook: it must find this
        # environment's copy even when the environment is not activated.
        env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
        # Only the course's nbgrader_config.py may count, not one in the user's ~/.jupyter.
        env["JUPYTER_CONFIG_DIR"] = str(course_root / ".jupyter")
        # -P: the course root (the working directory) is not on the import path.
        argv = [sys.executable, "-P", "-m", "nbgrader", *args]
        self.log = tempfile.TemporaryFile()
        try:
            self.process = subprocess.Popen(argv, cwd=course_root, env=env,
                                            stdin=subprocess.DEVNULL, stdout=self.log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        except BaseException:
            self.log.close()
            raise

    def done(self) -> bool:
        return self.process.poll() is not None

    def finish(self) -> tuple[int, str]:
        """End nbgrader (if still running) and whatever is left in its session; returns
        (exit status, log). Its status is negative when it had to be killed."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        status = self.process.wait()
        with self.log:
            self.log.seek(0)
            return status, self.log.read().decode("utf-8", errors="replace")


def nbgrader(course_root: Path, *args: str) -> tuple[int, str]:
    """``nbgrader ARGS`` in ``course_root``; returns (exit status, log)."""
    run = Run(course_root, *args)
    try:
        run.process.wait()
    finally:  # also on Ctrl-C: end nbgrader and whatever is left in its session
        result = run.finish()
    return result
