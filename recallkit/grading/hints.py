"""Checks for the hidden suites whose failures speak in plain words.

A failed check raises ``Mistake`` with a message for the student: what was
expected and the likely mistake. The grader shows only that message, never
the test's source, so messages must not quote hidden inputs or whole arrays.
"""

import numpy as np

from recallkit.sandbox.protocol import Handle, Opaque
from recallkit.sandbox.session import StudentCrash, StudentError, StudentFailure, StudentTimeout


class Mistake(AssertionError):
    """A check failed; the message is the feedback."""


class ImportFailure(StudentFailure):
    """A graded module is missing or could not be imported."""


def expect(condition: object, message: str) -> None:
    if not condition:
        raise Mistake(message)


def describe(value: object) -> str:
    """A short description of a returned value, safe to show."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if value is None:
        return "None (is a return statement missing?)"
    if isinstance(value, (Handle, Opaque)) or getattr(value, "is_remote", False):
        return "an object that is not a number or an array"
    return f"a {type(value).__name__}"


def expect_array(value: object, shape: tuple, what: str) -> np.ndarray:
    """``value`` must be a finite numeric array of ``shape``; returns it as float."""
    if isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        value = np.asarray(value, dtype=float)
    expect(isinstance(value, np.ndarray) and value.dtype.kind in "biuf",
           f"{what} should be a numpy array of shape {shape}, but it is {describe(value)}.")
    expect(value.shape == tuple(shape),
           f"{what} should have shape {tuple(shape)}, but it has shape {value.shape}.")
    expect(np.all(np.isfinite(value)),
           f"{what} contains NaN or infinite values.")
    return value.astype(float)


def expect_number(value: object, what: str) -> float:
    """``value`` must be one finite real number (a 0-d array counts)."""
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value[()]
    expect(isinstance(value, (int, float, np.number)) and not isinstance(value, bool),
           f"{what} should be a single number, but it is {describe(value)}.")
    expect(np.isfinite(value), f"{what} is NaN or infinite.")
    return float(value)


def expect_close(got: np.ndarray, want: np.ndarray, message: str,
                 rtol: float = 1e-5, atol: float = 1e-6) -> None:
    """Element-wise closeness; the message says what differs, never by how much (a
    difference from the expected value would let resubmissions home in on it)."""
    expect(np.allclose(got, want, rtol=rtol, atol=atol),
           f"{message} (some values differ from the right ones by more than the allowed tolerance)")


def expect_student_raises(call, type_name: str, message: str) -> None:
    """``call()`` must make the student's code raise ``type_name`` (or a subclass)."""
    try:
        call()
    except StudentError as exc:
        if exc.is_a(type_name):
            return
        if exc.is_a("NotImplementedError"):
            raise
        raise Mistake(f"{message} (it raised {exc.type_name} instead)") from None
    raise Mistake(f"{message} (nothing was raised)")


def explain(exc: BaseException) -> str:
    """The student-facing text for why a test failed."""
    if isinstance(exc, Mistake):
        return str(exc)
    if isinstance(exc, StudentError):
        if exc.is_a("NotImplementedError"):
            todo = exc.message.rstrip(". ") or "this function still raises NotImplementedError"
            return f"Not implemented yet: {todo}."
        if exc.type_name == "ReturnTooLarge":
            return f"Your result was refused: {exc.message}."
        where = f" at {exc.where}" if exc.where else ""
        message = f": {exc.message}" if exc.message else ""
        return f"Your code raised {exc.type_name}{where}{message}"
    if isinstance(exc, (StudentTimeout, StudentCrash, ImportFailure)):
        return str(exc)
    # A failure inside the trusted check itself: say so without showing the check.
    return (f"Your result could not be checked ({type(exc).__name__}); make sure the "
            "function returns the type and shape its docstring promises.")
