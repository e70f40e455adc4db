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


def ensure_secret(path: Path = SECRET_FILE) -> bytes:
    """The secret in ``path``, made (mode 0600) if there is none yet.

    Raises:
        RuntimeError: the file exists but does not hold a secret.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        secret = path.read_bytes()
        if len(secret) != SECRET_BYTES:
            raise RuntimeError(f"{path}: expected a {SECRET_BYTES}-byte grading secret; "
                               "delete it to make a new one") from None
        return secret
    secret = secrets.token_bytes(SECRET_BYTES)
    with os.fdopen(fd, "wb") as handle:
        handle.write(secret)
    return secret


def input_seed(submission: Submission, test: str, secret: bytes) -> int:
    """The seed of test ``test``'s hidden inputs for this submission."""
    digest = hashlib.sha256(secret)
    for name, text in sorted(submission.sources.items()):
        digest.update(hashlib.sha256(f"{name}\0{text}".encode()).digest())
    digest.update(test.encode())
    return int.from_bytes(digest.digest()[:8], "little")
