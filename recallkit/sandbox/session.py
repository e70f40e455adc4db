"""The trusted side of the sandbox: start workers, call student code, enforce limits.

A ``Sandbox`` is one contained worker zygote (one per submission). Each
``Child`` is a fresh process forked from it that loads the student's modules
and answers calls. Every answer is plain data decoded by ``protocol.decode``;
a child that overruns its time is killed, and closing the sandbox ends its
whole process tree.
"""

import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass

from recallkit.sandbox import launcher, protocol
from recallkit.sandbox.protocol import Handle


@dataclass(frozen=True)
class Limits:
    call_seconds: float = 5.0     # wall time per call
    load_seconds: float = 10.0    # wall time to import the student's modules
    cpu_seconds: int = 60         # CPU time per child (RLIMIT_CPU)
    memory_bytes: int = 2 << 30   # address space per child (RLIMIT_AS)
    demo_seconds: float = 30.0    # wall time for all calls of one demo together


DEFAULT_LIMITS = Limits()
CONTROL_SECONDS = 10.0  # the zygote answers a control request at once, or the sandbox goes


NAME_CHARS, MESSAGE_CHARS = 200, 2000  # what is kept of a name and of a message


def _cut(text: object, size: int) -> str:
    text = text if type(text) is str else repr(type(text))
    return text if len(text) <= size else text[:size] + "…"


class StudentFailure(Exception):
    """Base class: the student's code did not answer with a value."""


class StudentError(StudentFailure):
    """The student's code raised an exception (a SystemExit or KeyboardInterrupt too)."""

    def __init__(self, info: dict) -> None:
        # Student-made text, cut here so no later copy (results, CSV, terminal) can grow.
        self.type_name = _cut(info.get("type", "Exception"), NAME_CHARS)
        mro = info.get("mro", [])
        self.mro = [_cut(name, NAME_CHARS) for name in (mro if type(mro) is list else [])[:64]]
        self.message = _cut(info.get("message", ""), MESSAGE_CHARS)
        self.where = _cut(info.get("where", ""), NAME_CHARS)
        super().__init__(f"{self.type_name}: {self.message}")

    def is_a(self, name: str) -> bool:
        return name in self.mro


def fresh_copy(failure: StudentFailure) -> StudentFailure:
    """The same failure as a new exception (re-raising one instance grows its traceback)."""
    return type(failure)(*failure.args)


class StudentTimeout(StudentFailure):
    """The call ran past its time limit and the process was killed."""


class StudentCrash(StudentFailure):
    """The process ended, or broke the protocol, instead of answering."""


def describe_status(status: int | None) -> str:
    if status is None:
        return "the process ended"
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        reason = {signal.SIGKILL: "killed (out of memory or time?)",
                  signal.SIGXCPU: "stopped: CPU time limit exceeded",
                  signal.SIGSEGV: "crashed (segmentation fault)"}.get(sig, f"killed by {sig!r}")
        return f"the process was {reason}"
    if os.WEXITSTATUS(status) == protocol.BROKEN_WORKER:
        return "your code broke the grader's worker process (did it patch Python's builtins?)"
    return f"the process exited with status {os.WEXITSTATUS(status)} (os._exit or exit?)"


class Sandbox:
    """One contained worker for one submission; children are forked from it on demand."""

    def __init__(self, limits: Limits = DEFAULT_LIMITS) -> None:
        self.limits = limits
        self.containment = ""
        self._proc: subprocess.Popen | None = None
        self._ctl: socket.socket | None = None
        self._launch: launcher.Launch | None = None
        self._ready = False
        self._fresh: Sandbox | None = None  # a second sandbox for new interpreters

    def start(self) -> None:
        """Start the worker; it gets ready (~0.25 s) while the caller does other work.

        No thread here: bwrap's --die-with-parent follows the thread that started it.
        """
        ours, theirs = socket.socketpair()
        try:
            spec = self._launch = launcher.worker(theirs.fileno())
            self.containment = spec.containment
            self._proc = subprocess.Popen(
                spec.argv, cwd=spec.cwd, env=spec.env, pass_fds=spec.pass_fds,
                preexec_fn=spec.preexec, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, start_new_session=True)
        except BaseException:
            ours.close()
            self.close()
            raise
        finally:
            theirs.close()
        spec.started()
        ours.settimeout(CONTROL_SECONDS)  # the zygote may be stopped by student code
        self._ctl, self._ready = ours, False

    def _control(self, request: dict, fds: list[int] = ()) -> dict:
        """One request to the zygote; if it does not answer, the whole sandbox goes."""
        try:
            deadline = time.monotonic() + CONTROL_SECONDS
            socket.send_fds(self._ctl, [b"!"], list(fds))
            protocol.send(self._ctl, request, deadline=deadline)
            return protocol.recv(self._ctl, deadline)
        except (OSError, protocol.ChannelClosed, protocol.FrameTimeout, protocol.BadFrame):
            self.close()
            return {}

    def spawn(self, sources: dict[str, str], load: list[str],
              substitutes: dict[str, list[str] | None],
              on_callback: "Callback", fresh: bool = False) -> "Child":
        """A new child that loads ``load`` from ``sources``; see worker.SubmissionFinder.

        ``substitutes`` names earlier-demo modules (None: the whole module) or
        attributes answered by ``on_callback`` in the trusted process instead.
        ``fresh`` starts it in a second sandbox: a new interpreter (another hash
        seed) with its own empty scratch space (and, in the fallback, its own uid).
        """
        if fresh:
            if self._fresh is None:
                self._fresh = Sandbox(self.limits)
            return self._fresh.spawn(sources, load, substitutes, on_callback)
        # A fresh sandbox if the last one is gone: an earlier demo's code may have
        # killed the zygote; that must not cost this demo anything.
        for _attempt in range(2):
            reply, ours = self._spawn_request()
            if "pid" in reply:
                break
        else:
            raise RuntimeError("the sandbox worker stopped answering right after starting")
        child = Child(self, ours, reply["pid"], on_callback)
        child.load(sources, load, substitutes)
        return child

    def _spawn_request(self) -> tuple[dict, socket.socket]:
        """Ask the zygote (started if needed) for a child; an empty reply if it is gone."""
        if self._proc is None or self._proc.poll() is not None:
            self.close()
            self.start()
        if not self._ready:
            try:
                protocol.recv(self._ctl, time.monotonic() + 60)
            except (protocol.ChannelClosed, protocol.FrameTimeout) as exc:
                self.close()
                raise RuntimeError("the sandbox worker did not start") from exc
            self._ready = True
        ours, theirs = socket.socketpair()
        settings = self._launch.confine
        # Fallback: each child confines itself (bubblewrap already confined the sandbox).
        limits = {"cpu": self.limits.cpu_seconds, "memory": self.limits.memory_bytes,
                  "confine": settings and dict(settings, program=settings["program"].hex())}
        reply = self._control({"op": "spawn", "limits": limits}, [theirs.fileno()])
        theirs.close()
        if "pid" not in reply:
            ours.close()
        return reply, ours

    def kill_child(self, pid: int) -> int | None:
        if self._ctl is None:
            return None
        return self._control({"op": "kill", "pid": pid}).get("status")

    def close(self) -> None:
        """End the sandbox and everything in it (a pid namespace dies with its init;
        in the fallback every process of the sandbox's uid is killed)."""
        if self._fresh is not None:
            self._fresh.close()
            self._fresh = None
        if self._ctl is not None:
            self._ctl.close()  # the zygote then kills everything below it and exits
            self._ctl = None
        if self._proc is not None:
            try:
                self._proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                pass
            try:
                os.killpg(self._proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._proc.wait()
            self._proc = None
        if self._launch is not None:
            self._launch.release()
            self._launch = None


# Answers a child's callback (request, raw bytes) with (reply, its array bytes).
Callback = Callable[[dict, bytes], tuple[dict, protocol.Buffers]]


class Child:
    """One forked worker holding the student's modules; every call is bounded in time."""

    def __init__(self, sandbox: Sandbox, sock: socket.socket, pid: int,
                 on_callback: Callback) -> None:
        self.sandbox, self.sock, self.pid = sandbox, sock, pid
        self.on_callback = on_callback
        self.failure: StudentFailure | None = None  # set once the child is gone
        self._loaded: dict[str, StudentError | None] | None = None
        self._load_deadline = 0.0

    def load(self, sources: dict[str, str], load: list[str],
             substitutes: dict[str, list[str] | None]) -> None:
        """Send the modules to import; the child imports them while the caller goes on."""
        setup = {"sources": sources, "load": load, "substitutes": substitutes}
        self._load_deadline = time.monotonic() + self.sandbox.limits.load_seconds
        self._exchange(setup, None, self.sandbox.limits.load_seconds, "loading your modules",
                       reply=False)

    @property
    def loaded(self) -> dict[str, "StudentError | None"]:
        """Each loaded module's import error, or None: waits for the import to finish."""
        if self._loaded is None:
            seconds = max(self._load_deadline - time.monotonic(), 0.0)
            reply = self._exchange(None, None, seconds, "loading your modules")
            self._loaded = {name: StudentError(info) if info else None
                            for name, info in dict(reply.get("loaded", {})).items()}
        return self._loaded

    def _exchange(self, message: dict | None, buffers: protocol.Buffers | None, seconds: float,
                  doing: str, reply: bool = True) -> protocol.Message:
        """Send ``message`` (if any), then (if ``reply``) answer callbacks until the reply."""
        if self.failure is not None:
            raise fresh_copy(self.failure)
        deadline = time.monotonic() + seconds
        try:
            if message is not None:
                protocol.send(self.sock, message, buffers, deadline)
            while reply:
                answer = protocol.recv(self.sock, deadline)
                if "callback" not in answer:
                    return answer
                protocol.send(self.sock, *self.on_callback(answer["callback"], answer.blob),
                              deadline)
            return protocol.Message()
        except protocol.FrameTimeout:
            self._end(StudentTimeout(f"{doing} took longer than {seconds:.1f} s "
                                     "(an infinite loop?) and was stopped"))
        except (protocol.ChannelClosed, OSError):
            status = self.sandbox.kill_child(self.pid)
            self._end(StudentCrash(f"{describe_status(status)} while {doing}"))
        except protocol.BadFrame as exc:
            self._end(StudentCrash(f"the answer while {doing} was not plain data ({exc})"))
        raise fresh_copy(self.failure)

    def _end(self, failure: StudentFailure) -> None:
        self.failure = failure
        self.sandbox.kill_child(self.pid)
        self.sock.close()

    def request(self, message: dict, buffers: protocol.Buffers, doing: str,
                seconds: float | None = None) -> object:
        self.loaded  # noqa: B018  (the import's reply comes first on the channel)
        reply = self._exchange(message, buffers, seconds or self.sandbox.limits.call_seconds,
                               doing)
        return self._value(reply, doing)

    def _value(self, reply: protocol.Message, doing: str) -> object:
        if "error" in reply:
            raise StudentError(dict(reply["error"]))
        try:
            return protocol.decode(reply.get("ok"), reply.blob)
        except protocol.BadFrame as exc:
            self._end(StudentCrash(f"the answer while {doing} was not plain data ({exc})"))
            raise fresh_copy(self.failure) from None

    def _call_message(self, target: str | Handle, path: str, args: tuple, kwargs: dict,
                      keep: bool = False) -> tuple[dict, protocol.Buffers]:
        buffers = protocol.Buffers()
        return {"op": "call", "target": _target(target), "path": path, "keep": keep,
                "args": protocol.encode(list(args), buffers),
                "kwargs": protocol.encode(kwargs, buffers)}, buffers

    def call(self, target: str | Handle, path: str, *args: object, keep: bool = False,
             seconds: float | None = None, **kwargs: object) -> object:
        """``target.path(*args, **kwargs)`` in the child; ``keep`` returns a Handle."""
        message, buffers = self._call_message(target, path, args, kwargs, keep)
        return self.request(message, buffers, f"calling {path or 'your object'}()", seconds)

    def repeat(self, times: int, limit: Callable[[], float], target: str | Handle, path: str,
               *args: object, **kwargs: object) -> tuple[list, StudentFailure | None]:
        """``target.path(*args, **kwargs)`` ``times`` times in a row in the child, as so many
        calls would be, in one round trip: each answer within ``limit()`` seconds (asked
        again before each). The answers before the first failure, and that failure."""
        message, buffers = self._call_message(target, path, args, kwargs)
        message["repeat"] = times
        doing = f"calling {path or 'your object'}()"
        values: list = []
        try:
            self.loaded  # noqa: B018  (the import's reply comes first on the channel)
            for _ in range(times):
                reply = self._exchange(message, buffers, limit(), doing)
                message = buffers = None  # sent once; the other answers follow it
                values.append(self._value(reply, doing))
        except StudentFailure as failure:
            return values, failure
        return values, None

    def get(self, target: str | Handle, path: str) -> object:
        message = {"op": "get", "target": _target(target), "path": path}
        return self.request(message, None, f"reading {path}")

    def put(self, value: object) -> Handle:
        """Store a (large) value in the child once; pass the Handle as an argument."""
        buffers = protocol.Buffers()
        message = {"op": "put", "value": protocol.encode(value, buffers)}
        return self.request(message, buffers, "receiving data",
                            seconds=max(30.0, self.sandbox.limits.call_seconds))

    def close(self) -> None:
        if self.failure is None:
            self._end(StudentCrash("closed"))


def _target(target: str | Handle) -> str | int:
    return target.ident if isinstance(target, Handle) else target
