"""The reference solution, loaded in the trusted process only, and its callback host.

Error carried forward: when a demo builds on an earlier one, the sandboxed
child gets stand-ins for the earlier demo whose calls come back here and are
answered by the reference, so an earlier mistake is not charged twice.
"""

import functools
import importlib
import inspect
import operator
import sys
import types
from collections.abc import Callable

from recallkit.paths import PACKAGE, SOLUTIONS
from recallkit.sandbox import protocol


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


class TrustedHost:
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
        args = self._resolve(protocol.decode(request.get("args", []), blob))
        kwargs = dict(self._resolve(protocol.decode(request.get("kwargs", {"__dict__": []}),
                                                    blob)))
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
            args = self._resolve(protocol.decode(request.get("args", []), blob))
            kwargs = self._resolve(protocol.decode(request.get("kwargs", {"__dict__": []}), blob))
            return self._answer(function(*args, **dict(kwargs)))
        except Exception as exc:  # the child sees the reference's error, as a real call would
            error = {"type": type(exc).__name__, "message": str(exc)[:300]}
            return {"error": error}, protocol.Buffers()
