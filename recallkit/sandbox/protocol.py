"""Length-prefixed JSON frames and the plain-data codec shared by both sides.

This file is also loaded by the sandboxed worker, so it imports only the
standard library and numpy. Values cross as plain data: None, bool, int,
float, str, lists, tuples, str-keyed dicts and numeric arrays. Nothing is
ever unpickled; the trusted side rebuilds arrays from raw bytes after checking
dtype, shape and length.
"""

import base64
import json
import select
import socket
import struct
import time

import numpy as np

HEADER = struct.Struct("!I")
MAX_FRAME = 64 * 1024 * 1024  # a bigger answer is refused, not read
ARRAY_KINDS = "biufc"  # bool, ints, floats, complex: no object, string or void arrays
MAX_DEPTH = 32


class ChannelClosed(Exception):
    """The other side closed the channel (its process most likely ended)."""


class FrameTimeout(Exception):
    """No complete frame arrived before the deadline."""


class BadFrame(Exception):
    """The other side sent something that is not plain data in the agreed format."""


def send(sock: socket.socket, message: object) -> None:
    """Send one message as a length-prefixed JSON frame."""
    body = json.dumps(message, allow_nan=True, separators=(",", ":")).encode("utf-8")
    if len(body) > MAX_FRAME:
        raise BadFrame(f"message of {len(body)} bytes exceeds {MAX_FRAME}")
    sock.sendall(HEADER.pack(len(body)) + body)


def _read_exact(sock: socket.socket, size: int, deadline: float | None) -> bytes:
    chunks, remaining = [], size
    while remaining:
        if deadline is not None:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([sock], [], [], wait)[0]:
                raise FrameTimeout()
        chunk = sock.recv(min(remaining, 1 << 20))
        if not chunk:
            raise ChannelClosed()
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def recv(sock: socket.socket, deadline: float | None = None) -> dict:
    """Receive one frame; ``deadline`` is a time.monotonic() value or None."""
    (size,) = HEADER.unpack(_read_exact(sock, HEADER.size, deadline))
    if size > MAX_FRAME:
        raise BadFrame(f"a frame of {size} bytes was announced (limit {MAX_FRAME})")
    try:
        message = json.loads(_read_exact(sock, size, deadline))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadFrame(f"frame is not JSON: {exc}") from None
    if not isinstance(message, dict):
        raise BadFrame("frame is not a JSON object")
    return message


def encode(value: object, depth: int = 0) -> object:
    """Plain data → JSON-ready structure. Unknown objects become an opaque marker."""
    if depth > MAX_DEPTH:
        return {"__opaque__": "nesting too deep"}
    if value is None or type(value) in (bool, str):
        return value
    if isinstance(value, Handle):
        return encode_handle(value.ident)
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, (int, float)) and type(value) in (int, float, bool):
        return value
    if isinstance(value, np.ndarray):
        # Plain ndarray bytes, whatever the subclass claims about itself.
        plain = np.ascontiguousarray(np.ndarray.view(value, np.ndarray))
        if plain.dtype.kind not in ARRAY_KINDS:
            return {"__opaque__": f"array of dtype {plain.dtype}"}
        return {"__nd__": [plain.dtype.str, list(plain.shape),
                           base64.b64encode(plain.tobytes()).decode("ascii")]}
    if isinstance(value, np.generic) and value.dtype.kind in ARRAY_KINDS:
        return encode(np.asarray(value)[()].item(), depth + 1)
    if isinstance(value, (int, float)):  # subclasses: keep the plain number only
        return encode(float(value) if isinstance(value, float) else int(value), depth + 1)
    if type(value) in (list, tuple):
        items = [encode(item, depth + 1) for item in value]
        return {"__tuple__": items} if type(value) is tuple else items
    if type(value) is dict and all(type(key) is str for key in value):
        return {"__dict__": [[key, encode(item, depth + 1)] for key, item in value.items()]}
    return {"__opaque__": type(value).__name__}


class Opaque:
    """Stands for a value that could not cross as plain data (e.g. a custom object)."""

    def __init__(self, description: str) -> None:
        self.description = str(description)[:200]

    def __repr__(self) -> str:
        return f"<{self.description}>"


def decode(value: object, depth: int = 0) -> object:
    """JSON structure → plain data, validating every array (the trusted direction)."""
    if depth > MAX_DEPTH:
        raise BadFrame("nesting too deep")
    if value is None or type(value) in (bool, int, float, str):
        return value
    if type(value) is list:
        return [decode(item, depth + 1) for item in value]
    if type(value) is not dict or len(value) != 1:
        raise BadFrame("unexpected JSON object")
    (tag, payload), = value.items()
    if tag == "__tuple__" and type(payload) is list:
        return tuple(decode(item, depth + 1) for item in payload)
    if tag == "__dict__" and type(payload) is list:
        return {str(key): decode(item, depth + 1) for key, item in payload}
    if tag == "__nd__" and type(payload) is list and len(payload) == 3:
        return _decode_array(*payload)
    if tag == "__opaque__":
        return Opaque(payload)
    if tag == "__handle__" and type(payload) is int:
        return Handle(payload)
    raise BadFrame(f"unknown tag {tag!r}")


def _decode_array(dtype_str: object, shape: object, data: object) -> np.ndarray:
    if not (type(dtype_str) is str and type(shape) is list and type(data) is str):
        raise BadFrame("malformed array")
    try:
        dtype = np.dtype(dtype_str)
    except TypeError:
        raise BadFrame(f"bad dtype {dtype_str!r}") from None
    if dtype.kind not in ARRAY_KINDS or dtype.fields is not None or dtype.subdtype is not None:
        raise BadFrame(f"dtype {dtype_str!r} is not numeric")
    if not all(type(n) is int and n >= 0 for n in shape) or len(shape) > 32:
        raise BadFrame("bad array shape")
    raw = base64.b64decode(data, validate=True)
    if len(raw) != int(np.prod(shape, dtype=np.int64)) * dtype.itemsize:
        raise BadFrame("array data does not match its shape")
    return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()


class Handle:
    """A reference to an object that lives on the other side of the channel."""

    def __init__(self, ident: int) -> None:
        self.ident = ident

    def __repr__(self) -> str:
        return f"Handle({self.ident})"


def encode_handle(ident: int) -> dict:
    return {"__handle__": ident}

