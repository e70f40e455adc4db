"""The reference solution, loaded in the trusted process only, and its callback host.

Error carried forward: when a demo builds on an earlier one, the sandboxed
child gets stand-ins for the earlier demo whose calls come back here and are
answered by the reference, so an earlier mistake is not charged twice. The
student chooses the arguments, so the reference runs in a helper process
forked from the grader under the student's own bounds (argument sizes, call
time, memory, CPU): a stand-in call cannot make the grader itself slow or big.
"""

import ctypes
import functools
import importlib
import inspect
import operator
import os
import resource
import signal
import socket
import sys
import time
import types
import weakref
from collections.abc import Callable

import numpy as np

from recallkit.paths import PACKAGE, SOLUTIONS
from recallkit.sandbox import protocol
from recallkit.sandbox.session import DEFAULT_LIMITS, Limits

MAX_NUMBER = 1_000_000        # an int argument (a dimension, a count) larger than this is refused
MAX_ELEMENTS = 4_000_000      # elements of one array, characters of one string, items of a list
PR_SET_PDEATHSIG = 1


class _Reference:
    """The reference modules by short name (``reference().softmax`` …), imported on use."""

    def __getattr__(self, name: str) -> types.ModuleType:
        if name.startswith("_") or not (SOLUTIONS / PACKAGE / f"{name}.py").is_file():
            raise AttributeError(name)
        if str(SOLUTIONS) not in sys.path:
            sys.path.insert(0, str(SOLUTIONS))
        return importlib.import_module(f"{PACKAGE}.{name}")


@functools.cache
def reference() -> _Reference:
    return _Reference()


# The special methods a stand-in forwards, and how the reference object answers each
# (iteration is materialised: an iterator cannot cross the channel).
DUNDERS: dict[str, Callable[..., object]] = {
    "__call__": lambda obj, *args, **kwargs: obj(*args, **kwargs),
    "__repr__": repr, "__str__": str, "__len__": len, "__bool__": bool,
    "__iter__": list, "__contains__": operator.contains, "__getitem__": operator.getitem,
    "__eq__": operator.eq, "__ne__": operator.ne, "__lt__": operator.lt,
    "__le__": operator.le, "__gt__": operator.gt, "__ge__": operator.ge, "__hash__": hash,
}


def describe_class(cls: type, path: str | None) -> dict:
    """What the child needs to build a look-alike of ``cls`` (plain JSON)."""
    defined = {name for klass in cls.__mro__[:-1] for name in vars(klass)}
    return {"name": cls.__name__, "qualname": cls.__qualname__, "module": cls.__module__,
            "doc": cls.__doc__, "path": path,
            "methods": sorted(name for name in dir(cls) if not name.startswith("_")
                              and inspect.isroutine(getattr(cls, name))),
            "dunders": sorted(name for name in DUNDERS
                              if name in defined or name in ("__repr__", "__str__"))}


class _Answers:
    """Answers a child's calls to substituted earlier-demo code, and nothing else."""

    def __init__(self, substitutes: dict[str, list[str] | None]) -> None:
        self.substitutes = substitutes
        self.objects: dict[int, object] = {}
        self.idents: dict[int, int] = {}  # id(object) -> its handle: one stand-in per object

    def _allowed(self, path: str) -> object:
        module, _, attribute = path.rpartition(".")
        prefix, _, name = module.partition(".")
        allowed = self.substitutes.get(name, ())
        if (prefix != PACKAGE or name not in self.substitutes or attribute.startswith("_")
                or (allowed is not None and attribute not in allowed)):
            raise PermissionError(f"{path} is not available to this demo")
        return getattr(getattr(reference(), name), attribute)

    def _class_path(self, cls: type) -> str | None:
        """The path a child may construct ``cls`` by, if it is a substituted reference class."""
        path = f"{cls.__module__}.{cls.__qualname__}"
        try:
            return path if self._allowed(path) is cls else None
        except (PermissionError, AttributeError):
            return None

    def _resolve(self, value: object) -> object:
        if isinstance(value, protocol.Handle):
            return self.objects[value.ident]
        if isinstance(value, (list, tuple)):
            return type(value)(self._resolve(item) for item in value)
        if isinstance(value, dict):
            return {key: self._resolve(item) for key, item in value.items()}
        return value

    def _arguments(self, request: dict, blob: bytes) -> tuple[list, dict]:
        """The call's arguments, bounded in size, with handles resolved to their objects."""
        args = protocol.decode(request.get("args", []), blob)
        kwargs = protocol.decode(request.get("kwargs", {"__dict__": []}), blob)
        _check_size([args, kwargs])
        return self._resolve(args), dict(self._resolve(kwargs))

    def _answer(self, value: object) -> tuple[dict, protocol.Buffers]:
        buffers = protocol.Buffers()
        encoded = protocol.encode(value, buffers)
        if isinstance(encoded, dict) and "__opaque__" in encoded:
            if id(value) not in self.idents:
                self.idents[id(value)] = len(self.objects) + 1
                self.objects[len(self.objects) + 1] = value
            cls = type(value)
            return {"ok": protocol.encode_handle(self.idents[id(value)]),
                    "class": describe_class(cls, self._class_path(cls))}, protocol.Buffers()
        return {"ok": encoded}, buffers

    def _describe(self, path: str) -> tuple[dict, protocol.Buffers]:
        value = self._allowed(path)
        if isinstance(value, type):
            return {"class": describe_class(value, path)}, protocol.Buffers()
        if callable(value):
            return {"function": {"name": getattr(value, "__name__", path.rpartition(".")[2]),
                                 "qualname": getattr(value, "__qualname__", ""),
                                 "doc": getattr(value, "__doc__", None)}}, protocol.Buffers()
        return self._answer(value)

    def _on_object(self, obj: object, request: dict, blob: bytes) -> tuple[dict, protocol.Buffers]:
        """A stand-in's attribute read or write, method call or special method."""
        name = str(request.get("get") or request.get("set") or request.get("method"))
        args, kwargs = self._arguments(request, blob)
        if name in DUNDERS and "method" in request:
            return self._answer(DUNDERS[name](obj, *args, **kwargs))
        if name.startswith("_"):
            raise PermissionError(f"{name} is private")
        if "set" in request:
            setattr(obj, name, args[0])
            return self._answer(None)
        attribute = getattr(obj, name)
        if "get" in request:
            return self._answer(attribute)
        return self._answer(attribute(*args, **kwargs))

    def __call__(self, request: dict, blob: bytes) -> tuple[dict, protocol.Buffers]:
        try:
            target = request.get("target")
            if type(target) is int:
                return self._on_object(self.objects[target], request, blob)
            if request.get("describe"):
                return self._describe(str(target))
            function = self._allowed(str(target))
            args, kwargs = self._arguments(request, blob)
            return self._answer(function(*args, **kwargs))
        except Exception as exc:  # the child sees the reference's error, as a real call would
            error = {"type": type(exc).__name__, "message": str(exc)[:300]}
            return {"error": error}, protocol.Buffers()


def _check_size(value: object) -> None:
    """Refuse arguments that would make the reference do unbounded work.

    Raises:
        ValueError: a number, array, string or list is larger than a stand-in accepts.
    """
    if type(value) is int and abs(value) > MAX_NUMBER:
        raise ValueError(f"the argument {value} is larger than the grader's stand-in accepts "
                         f"(at most {MAX_NUMBER:,})")
    size = value.size if isinstance(value, np.ndarray) else (
        len(value) if isinstance(value, (str, list, tuple, dict)) else 0)
    if size > MAX_ELEMENTS:
        raise ValueError(f"an argument of {size:,} elements is larger than the grader's "
                         f"stand-in accepts (at most {MAX_ELEMENTS:,})")
    if isinstance(value, (list, tuple)):
        for item in value:
            _check_size(item)
    elif isinstance(value, dict):
        for item in value.values():
            _check_size(item)


def _error(kind: str, message: str) -> tuple[dict, protocol.Buffers]:
    return {"error": {"type": kind, "message": message}}, protocol.Buffers()


def _bounded(limits: Limits) -> None:
    """In the helper: the student's memory and CPU limits, and death with the grader."""
    with open("/proc/self/statm") as statm:
        mapped = int(statm.read().split()[0]) * resource.getpagesize()
    resource.setrlimit(resource.RLIMIT_AS, (mapped + limits.memory_bytes,) * 2)
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 1))
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _serve(sock: socket.socket, substitutes: dict[str, list[str] | None],
           limits: Limits) -> None:
    """The helper's loop: one reply per request, until the grader closes the channel."""
    os.closerange(3, sock.fileno())  # keep no other channel of the grader's open
    os.closerange(sock.fileno() + 1, resource.getrlimit(resource.RLIMIT_NOFILE)[0])
    _bounded(limits)
    answers = _Answers(substitutes)
    while True:
        try:
            request = protocol.recv(sock)
        except (protocol.ChannelClosed, protocol.BadFrame, OSError):
            return
        try:
            reply, buffers = answers(dict(request), request.blob)
        except MemoryError:
            reply, buffers = _error("MemoryError", "the grader's stand-in ran out of memory")
        try:
            protocol.send(sock, reply, buffers)
        except protocol.BadFrame:
            protocol.send(sock, *_error("ValueError", "the stand-in's answer is too large"))


def _end_helper(sock: socket.socket, pid: int) -> None:
    sock.close()
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


class TrustedHost:
    """The callback of one child: forwards its stand-in calls to a bounded helper process.

    The helper is forked at the first call and ends with this object; if it overruns a
    call's time or its memory, that call and every later one get an error.
    """

    def __init__(self, substitutes: dict[str, list[str] | None],
                 limits: Limits = DEFAULT_LIMITS) -> None:
        self.substitutes, self.limits = substitutes, limits
        self._sock: socket.socket | None = None
        self._end: weakref.finalize | None = None
        self._failure: tuple[str, str] | None = None

    def _helper(self) -> socket.socket:
        if self._sock is None:
            for name in self.substitutes:  # imported once here, not again in every helper
                getattr(reference(), name)
            ours, theirs = socket.socketpair()
            pid = os.fork()
            if pid == 0:  # the helper: never returns into the grader's code
                status = 1
                try:
                    ours.close()
                    _serve(theirs, self.substitutes, self.limits)
                    status = 0
                finally:
                    os._exit(status)
            theirs.close()
            self._sock, self._end = ours, weakref.finalize(self, _end_helper, ours, pid)
        return self._sock

    def __call__(self, request: dict, blob: bytes) -> tuple[dict, protocol.Buffers]:
        if self._failure is None:
            target = str(request.get("get") or request.get("method") or request.get("target"))
            seconds = self.limits.call_seconds
            try:
                sock, deadline = self._helper(), time.monotonic() + seconds
                buffers = protocol.Buffers()
                buffers.add(blob)
                protocol.send(sock, request, buffers, deadline)
                reply = protocol.recv(sock, deadline)
                answer = protocol.Buffers()
                answer.add(reply.blob)
                return dict(reply), answer
            except protocol.FrameTimeout:
                self._failure = ("TimeoutError", f"the grader's stand-in for {target[:80]} took "
                                 f"longer than {seconds:g} s and was stopped")
            except (protocol.ChannelClosed, protocol.BadFrame, OSError):
                self._failure = ("MemoryError", f"the grader's stand-in for {target[:80]} "
                                 "stopped (out of memory or CPU time?)")
            self.close()
        return _error(*self._failure)

    def close(self) -> None:
        """End the helper (it also ends when this object is collected)."""
        if self._end is not None:
            self._end()
        self._sock = self._end = None
