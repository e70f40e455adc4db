"""The reference solution, loaded in the trusted process only, and its callback host.

Error carried forward: when a demo builds on an earlier one, the sandboxed
child gets stand-ins for the earlier demo whose calls come back here and are
answered by the reference, so an earlier mistake is not charged twice.
"""

import functools
import importlib
import sys
import types

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


class TrustedHost:
    """Answers a child's calls to substituted earlier-demo code, and nothing else."""

    def __init__(self, substitutes: dict[str, list[str] | None]) -> None:
        self.substitutes = substitutes
        self.objects: dict[int, object] = {}

    def _allowed(self, path: str) -> object:
        module, _, attribute = path.rpartition(".")
        prefix, _, name = module.partition(".")
        allowed = self.substitutes.get(name, ())
        if (prefix != PACKAGE or name not in self.substitutes or attribute.startswith("_")
                or (allowed is not None and attribute not in allowed)):
            raise PermissionError(f"{path} is not available to this demo")
        return getattr(getattr(reference(), name), attribute)

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
            ident = len(self.objects) + 1
            self.objects[ident] = value
            return {"ok": protocol.encode_handle(ident)}, protocol.Buffers()
        return {"ok": encoded}, buffers

    def __call__(self, request: dict, blob: bytes) -> tuple[dict, protocol.Buffers]:
        try:
            target = request.get("target")
            if type(target) is int:
                obj = self.objects[target]
                name = str(request.get("get") or request.get("method"))
                if name.startswith("_"):
                    raise PermissionError(f"{name} is private")
                attribute = getattr(obj, name)
                if "get" in request:
                    if callable(attribute):
                        return {"ok": {"__opaque__": "method"}}, protocol.Buffers()
                    return self._answer(attribute)
                function = attribute
            else:
                function = self._allowed(str(target))
            args = self._resolve(protocol.decode(request.get("args", []), blob))
            kwargs = self._resolve(protocol.decode(request.get("kwargs", {"__dict__": []}), blob))
            return self._answer(function(*args, **dict(kwargs)))
        except Exception as exc:  # the child sees the reference's error, as a real call would
            error = {"type": type(exc).__name__, "message": str(exc)[:300]}
            return {"error": error}, protocol.Buffers()
