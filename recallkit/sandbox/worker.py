"""The sandboxed side: a fork server that starts one child per graded demo.

Runs inside the sandbox with only the standard library, numpy and the
neighbouring ``protocol.py``; it never sees the kit, the reference or the
hidden tests. Student modules arrive as source text over the channel and are
loaded from memory, so no file of the submission folder (symlinks, stray
``numpy.py``, ``conftest.py``) is ever on ``sys.path``.

    worker.py zygote FD   serve control requests on socket FD (spawn, kill)

The zygote is not dumpable (no process of the same uid can trace it or write its
memory through /proc). In the fallback it keeps the grader's uid and each child
confines itself before touching student code (``confine.py``).
"""

import builtins
import ctypes
import importlib.abc
import importlib.util
import io
import os
import resource
import signal
import socket
import sys
import traceback
import types

# The neighbouring modules; then the venv's packages when the interpreter is another one
# (the fallback's world-readable Python, see launcher.fallback_python).
sys.path[:0] = [os.path.dirname(os.path.abspath(__file__)),
                *(sys.argv[3:4] if __name__ == "__main__" else [])]

import confine  # noqa: E402
import numpy  # noqa: E402,F401  (imported once here, shared by every forked child)
import protocol  # noqa: E402

PACKAGE = "memory_attention"
SUBMISSION_PREFIX = f"/submission/{PACKAGE}/"
OUTPUT_CAP = 64 * 1024
PR_SET_CHILD_SUBREAPER = 36


# --------------------------------------------------------------------------- child

class CappedOutput(io.TextIOBase):
    """stdout/stderr for student code: keeps the first 64 KiB, drops the rest."""

    def __init__(self) -> None:
        self.kept: list[str] = []
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        text = str(text)
        if self.size < OUTPUT_CAP:
            self.kept.append(text[: OUTPUT_CAP - self.size])
        self.size += len(text)
        return len(text)


class SubmissionFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves ``memory_attention`` and its submodules from in-memory sources."""

    def __init__(self, sources: dict, substitutes: dict) -> None:
        self.sources = sources
        self.substitutes = substitutes

    def find_spec(self, fullname, path, target=None):
        if fullname == PACKAGE:
            return importlib.util.spec_from_loader(fullname, self, is_package=True)
        prefix, _, name = fullname.partition(".")
        if prefix == PACKAGE and (name in self.sources or name in self.substitutes):
            return importlib.util.spec_from_loader(
                fullname, self, origin=SUBMISSION_PREFIX + name + ".py")
        return None

    def create_module(self, spec):
        name = spec.name.partition(".")[2]
        if name in self.substitutes and self.substitutes[name] is None:
            return TrustedModule(spec.name)
        return None

    def exec_module(self, module) -> None:
        name = module.__name__.partition(".")[2]
        if not name:
            module.__path__ = []
            return
        if isinstance(module, TrustedModule):
            return
        filename = SUBMISSION_PREFIX + name + ".py"
        module.__file__ = filename
        exec(compile(self.sources[name], filename, "exec", dont_inherit=True), module.__dict__)
        for attribute in self.substitutes.get(name) or ():
            setattr(module, attribute, stand_in_for(f"{module.__name__}.{attribute}"))


class Channel:
    """The child's end: answers the grader's requests, asks it for trusted help."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.objects: dict[int, object] = {}

    def keep(self, value: object) -> dict:
        ident = len(self.objects) + 1
        self.objects[ident] = value
        return protocol.encode_handle(ident)

    def resolve(self, value: object) -> object:
        if isinstance(value, protocol.Handle):
            return self.objects[value.ident]
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        if isinstance(value, tuple):
            return tuple(self.resolve(item) for item in value)
        if isinstance(value, dict):
            return {key: self.resolve(item) for key, item in value.items()}
        return value

    def ask_trusted(self, request: dict) -> protocol.Message:
        """A call into the grader's trusted reference (error-carried-forward): its reply."""
        buffers = protocol.Buffers()
        request = {key: protocol.encode(value, buffers) if key in ("args", "kwargs") else value
                   for key, value in request.items()}
        protocol.send(self.sock, {"callback": request}, buffers)
        reply = protocol.recv(self.sock)
        if "error" in reply:
            error = reply["error"]
            kind = getattr(builtins, str(error.get("type")), None)
            if not (isinstance(kind, type) and issubclass(kind, Exception)):
                kind = RuntimeError
            raise kind(error.get("message", ""))
        return reply


CHANNEL: Channel | None = None


def _trusted_args(args: tuple, kwargs: dict) -> dict:
    """Arguments for a trusted call: stand-ins travel as the handles they stand for."""
    return {"args": [_plain(a) for a in args],
            "kwargs": {key: _plain(value) for key, value in kwargs.items()}}


def _plain(value: object) -> object:
    if isinstance(value, StandIn):
        return protocol.Handle(object.__getattribute__(value, "_ident"))
    if type(value) in (list, tuple):
        return type(value)(_plain(item) for item in value)
    if type(value) is dict:
        return {key: _plain(item) for key, item in value.items()}
    return value


def _ask(request: dict) -> object:
    """A trusted call whose answer is a value; an object comes back as its stand-in."""
    reply = CHANNEL.ask_trusted(request)
    value = protocol.decode(reply.get("ok"), reply.blob)
    if isinstance(value, protocol.Handle):
        return _stand_in(value.ident, reply.get("class") or {})
    return value


# Stand-ins look like the objects they stand for: a class of the same name and
# module (so isinstance and subclassing work), methods and the dunders the
# reference class defines, attribute reads and writes. They hold no data: every
# use is answered by the grader's reference object.
_CLASSES: dict[str, type] = {}
_OBJECTS: dict[int, "StandIn"] = {}


def _forward(name: str):
    def method(self, *args, **kwargs):
        value = _ask({"target": object.__getattribute__(self, "_ident"), "method": name,
                      **_trusted_args(args, kwargs)})
        return iter(value) if name == "__iter__" else value
    method.__name__ = method.__qualname__ = name
    return method


class StandIn:
    """Base of the stand-ins for instances of an earlier demo's classes."""

    _path = ""

    def __new__(cls, *args, **kwargs):
        if not cls._path:
            raise TypeError(f"cannot create {cls.__name__} objects")
        made = CHANNEL.ask_trusted({"target": cls._path, **_trusted_args(args, kwargs)})
        value = protocol.decode(made.get("ok"), made.blob)
        if not isinstance(value, protocol.Handle):
            return value
        return _stand_in(value.ident, made.get("class") or {}, cls)

    def __init__(self, *args, **kwargs) -> None:
        pass  # the reference object was initialised when it was made

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return _ask({"target": object.__getattribute__(self, "_ident"), "get": name})

    def __setattr__(self, name: str, value: object) -> None:
        _ask({"target": object.__getattribute__(self, "_ident"), "set": name,
              **_trusted_args((value,), {})})

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete attribute {name!r}")


def _stand_in_class(info: dict) -> type:
    key = f"{info.get('module')}.{info.get('qualname')}"
    if key not in _CLASSES:
        namespace = {"__module__": str(info.get("module", "")),
                     "__qualname__": str(info.get("qualname", "")),
                     "__doc__": info.get("doc"), "_path": str(info.get("path") or "")}
        for name in list(info.get("methods", [])) + list(info.get("dunders", [])):
            namespace[str(name)] = _forward(str(name))
        if "__eq__" in namespace and "__hash__" not in namespace:
            namespace["__hash__"] = None
        _CLASSES[key] = type(str(info.get("name", "object")), (StandIn,), namespace)
    return _CLASSES[key]


def _stand_in(ident: int, info: dict, cls: type | None = None) -> StandIn:
    """The one stand-in for trusted object ``ident`` (the same object: the same stand-in)."""
    if ident not in _OBJECTS:
        obj = object.__new__(cls or _stand_in_class(info))
        object.__setattr__(obj, "_ident", ident)
        _OBJECTS[ident] = obj
    return _OBJECTS[ident]


def _stand_in_function(path: str, info: dict):
    def function(*args, **kwargs):
        return _ask({"target": path, **_trusted_args(args, kwargs)})
    function.__name__ = str(info.get("name", ""))
    function.__qualname__ = str(info.get("qualname", function.__name__))
    function.__module__ = path.rpartition(".")[0]
    function.__doc__ = info.get("doc")
    return function


def stand_in_for(path: str) -> object:
    """The stand-in for ``memory_attention.<module>.<name>`` of an earlier demo."""
    reply = CHANNEL.ask_trusted({"target": path, "describe": True})
    if "class" in reply and "ok" not in reply:
        return _stand_in_class(reply["class"])
    if "function" in reply:
        return _stand_in_function(path, reply["function"])
    value = protocol.decode(reply.get("ok"), reply.blob)
    if isinstance(value, protocol.Handle):
        return _stand_in(value.ident, reply.get("class") or {})
    return value


class TrustedModule(types.ModuleType):
    """A whole earlier-demo module replaced by the grader's reference."""

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        value = stand_in_for(f"{self.__name__}.{name}")
        setattr(self, name, value)  # looked up once, as a real module's attribute is
        return value


def describe_error(exc: BaseException) -> dict:
    """Type, message and the student's own line for an exception."""
    try:
        message = str(exc)[:500]
    except BaseException:  # a hostile __str__
        message = "(the exception's message could not be read)"
    where = ""
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.startswith(SUBMISSION_PREFIX):
            where = f"{PACKAGE}/{frame.filename[len(SUBMISSION_PREFIX):]}, line {frame.lineno}"
    if isinstance(exc, SyntaxError) and (exc.filename or "").startswith(SUBMISSION_PREFIX):
        where = f"{PACKAGE}/{exc.filename[len(SUBMISSION_PREFIX):]}, line {exc.lineno}"
    return {"type": type(exc).__name__[:200], "mro": [c.__name__[:200] for c in
                                                        type(exc).__mro__[:64]],
            "message": message, "where": where}


def handle_request(channel: Channel, request: protocol.Message) -> tuple[dict, protocol.Buffers]:
    op, buffers = request.get("op"), protocol.Buffers()
    if op == "put":
        return {"ok": channel.keep(protocol.decode(request["value"], request.blob))}, buffers
    target = request["target"]
    obj = channel.objects[target] if isinstance(target, int) else importlib.import_module(target)
    for part in filter(None, request["path"].split(".")):
        obj = getattr(obj, part)
    if op == "get":
        value = obj
    else:
        args = channel.resolve(protocol.decode(request.get("args", []), request.blob))
        kwargs = channel.resolve(protocol.decode(request.get("kwargs", {"__dict__": []}),
                                                 request.blob))
        value = obj(*args, **kwargs)
    encoded = protocol.encode(value, buffers)
    if buffers.size > protocol.MAX_FRAME:
        return {"error": {"type": "ReturnTooLarge", "mro": ["ReturnTooLarge"], "where": "",
                          "message": f"the returned value holds {buffers.size:,} bytes of "
                                     f"arrays, more than the grader accepts "
                                     f"({protocol.MAX_FRAME:,})"}}, protocol.Buffers()
    # Objects that are not plain data stay here; the grader gets a handle to them.
    if request.get("keep") or (isinstance(encoded, dict) and "__opaque__" in encoded):
        return {"ok": channel.keep(value)}, protocol.Buffers()
    return {"ok": encoded}, buffers


def serve(fd: int) -> None:
    """Load the student's modules as asked, then answer requests until closed."""
    global CHANNEL
    sock = socket.socket(fileno=fd)
    CHANNEL = channel = Channel(sock)
    sys.stdout = sys.stderr = CappedOutput()
    setup = protocol.recv(sock)
    sys.meta_path.insert(0, SubmissionFinder(setup["sources"], setup["substitutes"]))
    loaded = {}
    for name in setup["load"]:
        try:
            importlib.import_module(f"{PACKAGE}.{name}")
            loaded[name] = None
        except BaseException as exc:  # SystemExit and KeyboardInterrupt at import too
            loaded[name] = describe_error(exc)
    protocol.send(sock, {"loaded": loaded})
    while True:
        try:
            request = protocol.recv(sock)
        except protocol.ChannelClosed:
            os._exit(0)
        # "repeat": the same request made that many times in a row, one reply each, none
        # after an error (one round trip for many calls of, say, a race on one generator).
        repeat = request.get("repeat", 1)
        for _ in range(repeat if type(repeat) is int else 1):
            try:
                reply, buffers = handle_request(channel, request)
            except BaseException as exc:
                reply, buffers = {"error": describe_error(exc)}, None
            protocol.send(sock, reply, buffers)
            if "error" in reply:
                break


def start_child(fd: int, limits: dict) -> None:
    """In the forked child: detach, limit, confine (fallback), then serve."""
    os.setsid()
    devnull = os.open(os.devnull, os.O_RDWR)
    for std in (0, 1, 2):
        os.dup2(devnull, std)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))
    resource.setrlimit(resource.RLIMIT_CPU, (limits["cpu"], limits["cpu"] + 1))
    resource.setrlimit(resource.RLIMIT_AS, (limits["memory"], limits["memory"]))
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    settings = limits.get("confine")
    if settings:
        confine.enter(**dict(settings, program=bytes.fromhex(settings["program"])))
    serve(fd)


# --------------------------------------------------------------------------- zygote

def kill_descendants() -> None:
    """Kill every process below this one (orphans reparent here: we are a subreaper)."""
    me = os.getpid()
    while True:
        children = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat", "rb") as stat:
                        fields = stat.read().rsplit(b")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == me:
                    children.append(int(entry))
        if not children:
            return
        for pid in children:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass


def zygote(fd: int) -> None:
    ctl = socket.socket(fileno=fd)
    confine.not_dumpable()
    try:
        ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    protocol.send(ctl, {"ready": True})
    while True:
        try:
            _, fds, _, _ = socket.recv_fds(ctl, 1, 1)
            request = protocol.recv(ctl)
        except (protocol.ChannelClosed, OSError):
            kill_descendants()
            os._exit(0)
        if request["op"] == "spawn":
            pid = os.fork()
            if pid == 0:
                ctl.close()
                try:
                    start_child(fds[0], request["limits"])
                finally:
                    os._exit(protocol.BROKEN_WORKER)
            os.close(fds[0])
            protocol.send(ctl, {"pid": pid})
        elif request["op"] == "kill":
            pid = request["pid"]
            for kill in (os.killpg, os.kill):
                try:
                    kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            protocol.send(ctl, {"status": reap(pid)})


def reap(pid: int) -> int | None:
    """Wait for the killed ``pid``: its wait status tells how it ended."""
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:
        return None


if __name__ == "__main__":
    if sys.argv[1:2] != ["zygote"] or len(sys.argv) not in (3, 4):
        sys.exit("usage: worker.py zygote FD [PACKAGES]")
    zygote(int(sys.argv[2]))
