"""The course's grading secret: hidden inputs no resubmission can learn.

Made at release time (``recallkit release``, or the first grading) beside the
hidden suites, shipped inside the Gradescope zip, never in ``release/``, and
readable by the grader's user only. Hidden inputs are seeded by the test, this
secret and the submission itself: the same submission always gets the same
inputs (and grade), a changed one gets new inputs, so a lookup table learnt
from feedback over many resubmissions matches nothing.
"""

import hashlib
import os
import secrets
from pathlib import Path

from recallkit.grading.submission import Submission
from recallkit.paths import AUTOGRADER

SECRET_FILE = AUTOGRADER / "course_secret"
SECRET_BYTES = 32


def private_random_bytes(path: Path, size: int, what: str) -> bytes:
    """The ``size`` random bytes kept in ``path``, made (mode 0600) if there are none yet.

    Raises:
        RuntimeError: the file exists but does not hold ``size`` bytes.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        kept = path.read_bytes()
        if len(kept) != size:
            raise RuntimeError(f"{path}: expected a {size}-byte {what}; delete it to make "
                               "a new one") from None
        return kept
    made = secrets.token_bytes(size)
    with os.fdopen(fd, "wb") as handle:
        handle.write(made)
    return made


def ensure_secret(path: Path = SECRET_FILE) -> bytes:
    """The grading secret in ``path``, made (mode 0600) if there is none yet."""
    return private_random_bytes(path, SECRET_BYTES, "grading secret")


def input_seed(submission: Submission, test: str, secret: bytes) -> int:
    """The seed of test ``test``'s hidden inputs for this submission."""
    digest = hashlib.sha256(secret)
    for name, text in sorted(submission.sources.items()):
        digest.update(hashlib.sha256(f"{name}\0{text}".encode()).digest())
    digest.update(test.encode())
    return int.from_bytes(digest.digest()[:8], "little")
