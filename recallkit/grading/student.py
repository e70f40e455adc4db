"""The student's modules as the hidden suites see them: remote, bounded, plain data.

``student.softmax.stable_softmax(x)`` runs in the sandboxed child; the value
that comes back has been decoded and validated in this (trusted) process.
"""

import time
from collections.abc import Callable
from typing import TypeVar

from recallkit.grading.hints import ImportFailure
from recallkit.grading.reference import TrustedHost
from recallkit.grading.submission import Submission
from recallkit.paths import PACKAGE
from recallkit.sandbox.protocol import Handle
from recallkit.sandbox.session import (
    Child,
    Sandbox,
    StudentFailure,
    StudentTimeout,
    fresh_copy,
)

T = TypeVar("T")


class Student:
    """One demo's view of a submission: its module(s) loaded in a sandboxed child.

    Args:
        sandbox: the submission's sandbox.
        submission: the graded sources.
        load: the modules this demo grades (their failure to import fails the demo).
        substitutes: earlier-demo modules or attributes answered by the reference.
        budget_seconds: wall time for all calls of this demo together.
    """

    def __init__(self, sandbox: Sandbox, submission: Submission, load: list[str],
                 substitutes: dict[str, list[str] | None], budget_seconds: float) -> None:
        self.sandbox, self.submission = sandbox, submission
        self.load, self.substitutes = load, substitutes
        self.deadline = time.monotonic() + budget_seconds
        self._child: Child | None = None
        self._fatal: StudentFailure | None = None

    def _sources(self) -> dict[str, str]:
        # Only the demo's own modules are sent; earlier demos are stand-ins.
        return {name: text for name, text in self.submission.sources.items()
                if name in self.load}

    def problems(self) -> list[str]:
        """Why this demo's modules could not be read from the submission, if they could not."""
        return [self.submission.problems[name] for name in self.load
                if name in self.submission.problems]

    def child(self, fresh: bool = False) -> Child:
        """The live child, started (again) if needed: one crash costs one test."""
        if self._fatal is not None:
            raise fresh_copy(self._fatal)
        if self.problems():
            self._fatal = ImportFailure(self.problems()[0])
            raise self._fatal
        if time.monotonic() > self.deadline:
            self._fatal = StudentTimeout("this demo used up its time budget: earlier calls "
                                         "took longer than allowed or never returned")
            raise self._fatal
        if fresh or self._child is None or self._child.failure is not None:
            if self._child is not None and not fresh:
                self._child.close()
            child = self.sandbox.spawn(self._sources(), self.load, self.substitutes,
                                       TrustedHost(self.substitutes, self.sandbox.limits),
                                       fresh=fresh)
            child = self._checked(child)
            if fresh:
                return child
            self._child = child
        return self._child

    def _checked(self, child: Child) -> Child:
        """``child`` once its modules imported; an import failure fails the whole demo."""
        try:
            loaded = child.loaded
        except StudentFailure as exc:
            # Import never finished (loop, exit, crash): no later call can work.
            self._fatal = ImportFailure(f"importing {self._modules()} failed: {exc}")
            raise self._fatal from None
        for name, error in loaded.items():
            if error is not None:
                where = f" ({error.where})" if error.where else ""
                self._fatal = ImportFailure(
                    f"{PACKAGE}/{name}.py could not be imported{where}: "
                    f"{error.type_name}: {error.message}")
                raise self._fatal
        return child

    def _modules(self) -> str:
        return ", ".join(f"{PACKAGE}/{name}.py" for name in self.load)

    def __getattr__(self, name: str) -> "Remote":
        if name.startswith("_"):
            raise AttributeError(name)
        return Remote(self, f"{PACKAGE}.{name}", None)

    def fresh(self) -> "Student":
        """The same demo in a brand-new interpreter (another hash seed)."""
        other = Student(self.sandbox, self.submission, self.load, self.substitutes, 0)
        other.deadline = self.deadline
        other._child = self.child(fresh=True)
        return other

    def get(self, obj: "Remote", attribute: str) -> object:
        """Read a plain attribute of a remote object."""
        return self.child().get(obj.target, attribute)

    def put(self, value: object) -> Handle:
        """Send a large value once; pass the returned handle as an argument."""
        return self.child().put(value)

    def seconds(self, child: Child, seconds: float | None = None) -> float:
        """A call's time limit: its own (or the default), within what is left of the demo's."""
        remaining = self.deadline - time.monotonic()
        return min(seconds or child.sandbox.limits.call_seconds, max(remaining, 0.1))

    def repeat(self, function: "Remote", times: int, *args: object,
               check: Callable[[object], T]) -> list[T]:
        """``check(function(*args))`` ``times`` times in a row, in one round trip: as so many
        calls would be (each within its time limit), the first problem in call order raised
        (a value ``check`` refuses, or the student's error)."""
        child = self.child()
        values, failure = child.repeat(times, lambda: self.seconds(child), function.target,
                                       function.path or "", *(_plain(a) for a in args))
        checked = [check(Remote(self, value, None) if isinstance(value, Handle) else value)
                   for value in values]
        if failure is not None:
            raise failure
        return checked


def _plain(value: object) -> object:
    """A remote object passed back to the child travels as its handle."""
    if isinstance(value, Remote) and isinstance(value.target, Handle) and value.path is None:
        return value.target
    return value


class Remote:
    """A module, function, class or object in the child."""

    is_remote = True

    def __init__(self, student: Student, target: str | Handle, path: str | None) -> None:
        self.student, self.target, self.path = student, target, path

    def __getattr__(self, name: str) -> "Remote":
        if name.startswith("_"):
            raise AttributeError(name)
        if self.path is None:
            return Remote(self.student, self.target, name)
        return Remote(self.student, self.target, f"{self.path}.{name}")

    def __call__(self, *args: object, seconds: float | None = None, **kwargs: object) -> object:
        child = self.student.child()
        limit = self.student.seconds(child, seconds)
        args = tuple(_plain(a) for a in args)
        kwargs = {key: _plain(value) for key, value in kwargs.items()}
        value = child.call(self.target, self.path or "", *args, seconds=limit, **kwargs)
        if isinstance(value, Handle):
            return Remote(self.student, value, None)
        return value
