"""Grade one submission folder: the hidden suites, in this process, against a sandbox."""

import contextlib
import gc
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from recallkit.grading.plugin import GradingPlugin
from recallkit.grading.submission import read_submission
from recallkit.paths import AUTOGRADER
from recallkit.sandbox.session import DEFAULT_LIMITS, Limits, Sandbox


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """pytest's own chatter must not mix with the one JSON object on stdout."""
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def _number_key(test: dict) -> tuple[int, int]:
    demo, index = test["number"].split(".")
    return int(demo), int(index)


def grade_submission(folder: Path, limits: Limits = DEFAULT_LIMITS,
                     suites: Path = AUTOGRADER, sandbox: Sandbox | None = None) -> dict:
    """Gradescope-format results for the submission in ``folder``.

    ``sandbox``: one already started (with ``limits``) for this grading, which closes it;
    by default a new one.

    Raises:
        NotADirectoryError: ``folder`` is not a folder.
        RuntimeError: the suites themselves could not run (an internal error).
    """
    started = time.monotonic()
    try:
        plugin = GradingPlugin(read_submission(Path(folder)), limits, sandbox)
    except BaseException:
        if sandbox is not None:
            sandbox.close()
        raise
    # No tracebacks, no assertion rewriting: only our plain-words messages are used.
    # Unraisable-exception tracking costs two full garbage collections per run.
    # Installed pytest plugins (anyio, hypothesis's reporting) play no part in grading.
    args = [str(suites), "-q", "--tb=no", "--assert=plain", "--disable-plugin-autoload",
            "-p", "no:cacheprovider",
            "-p", "no:unraisableexception",
            "-c", str(suites / "pytest.ini"), "--rootdir", str(suites)]
    # No garbage collection while grading: its passes over the objects of pytest, hypothesis
    # and numpy cost 0.1-0.15 s a grade, and the grade's own cyclic garbage is small (about
    # 16,000 objects, no measurable memory: student values live in the sandbox).
    collecting = gc.isenabled()
    gc.disable()
    try:
        with _quiet_stdout():
            exit_code = pytest.main(args, plugins=[plugin])
    finally:
        if collecting:
            gc.enable()
        plugin.sandbox.close()
    if exit_code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        raise RuntimeError(f"the hidden suites in {suites} could not run (pytest exit "
                           f"status {int(exit_code)})")
    tests = sorted(plugin.results, key=_number_key)
    demos: dict[str, dict] = {}
    for test in tests:
        demo = demos.setdefault(test["number"].split(".")[0], {"score": 0.0, "max_score": 0.0})
        demo["score"] += test["score"]
        demo["max_score"] += test["max_score"]
    containment = plugin.sandbox.containment or "none needed (no student code was run)"
    return {
        "score": sum(test["score"] for test in tests),
        "execution_time": round(time.monotonic() - started, 3),
        "output": f"Student code ran in a separate process contained by: {containment}.",
        "tests": tests,
        "extra_data": {"containment": containment, "demos": demos,
                       "max_score": sum(test["max_score"] for test in tests)},
    }
