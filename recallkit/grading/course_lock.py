"""One grading run per course at a time: a second run refuses in one line."""

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

LOCK_NAME = ".recallkit/lock"


class CourseBusy(RuntimeError):
    """Another run holds the course's lock; the message names it."""


@contextlib.contextmanager
def course_lock(root: Path) -> Iterator[None]:
    """Hold ``root/.recallkit/lock`` (an advisory flock, released when the process ends).

    Raises:
        CourseBusy: another process holds it.
    """
    path = root / LOCK_NAME
    path.parent.mkdir(exist_ok=True)
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            raise CourseBusy(f"another recallkit run (pid {holder}) is grading {root}; "
                             "wait for it to finish and run again") from None
        handle.truncate(0)
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
