"""Length-prefixed JSON frames and the plain-data codec shared by both sides.

This file is also loaded by the sandboxed worker, so it imports only the
standard library and numpy. Values cross as plain data: None, bool, int,
float, str, lists, tuples, str-keyed dicts and numeric arrays. Nothing is
ever unpickled; the trusted side rebuilds arrays from raw bytes after checking
dtype, shape and length.
"""

import json
import select
import socket
import struct
import time

import numpy as np

HEADER = struct.Struct("!II")  # JSON length, then the length of the raw array bytes
MAX_FRAME = 64 * 1024 * 1024  # a bigger answer is refused, not read
ARRAY_KINDS = "biufc"  # bool, ints, floats, complex: no object, string or void arrays
MAX_DEPTH = 32
MAX_TEXT = 64 * 1024  # a longer string from the other side is cut (student text is data)
BROKEN_WORKER = 70  # a child's exit status when the worker's own code failed (patched builtins)


class ChannelClosed(Exception):
    """The other side closed the channel (its process most likely ended)."""


class FrameTimeout(Exception):
    """No complete frame arrived before the deadline."""


class BadFrame(Exception):
    """The other side sent something that is not plain data in the agreed format."""


class Buffers:
    """Raw array bytes that travel after a frame's JSON (no base64, no escaping)."""

    def __init__(self) -> None:
        self.chunks: list[bytes | bytearray | memoryview] = []
        self.size = 0

    def add(self, data: bytes | bytearray | memoryview) -> int:
        offset = self.size
        self.chunks.append(data)
        self.size += len(data)
        return offset


class Message(dict):
    """A received frame: the JSON object, plus the raw bytes its arrays point into."""

    blob: bytes | bytearray = b""


def send(sock: socket.socket, message: dict, buffers: Buffers | None = None,
         deadline: float | None = None) -> None:
    """Send one message; arrays encoded with ``buffers`` travel as raw bytes after it.

    With a ``deadline`` (a time.monotonic() value) a peer that stops reading raises
    FrameTimeout instead of blocking the sender forever.
    """
    body = json.dumps(message, allow_nan=True, separators=(",", ":")).encode("utf-8")
    blob_size = buffers.size if buffers else 0
    if len(body) + blob_size > MAX_FRAME:
        raise BadFrame(f"message of {len(body) + blob_size} bytes exceeds {MAX_FRAME}")
    for chunk in (HEADER.pack(len(body), blob_size) + body, *(buffers.chunks if buffers else ())):
        if deadline is None:
            sock.sendall(chunk)
            continue
        view = memoryview(chunk)
        while view:
            _wait(sock, select.POLLOUT, deadline)
            try:
                view = view[sock.send(view, socket.MSG_DONTWAIT):]
            except BlockingIOError:
                pass


def _wait(sock: socket.socket, event: int, deadline: float) -> None:
    """Until ``sock`` is ready for ``event`` (or hung up); FrameTimeout at the deadline."""
    poller = select.poll()
    poller.register(sock, event)
    wait = deadline - time.monotonic()
    if wait <= 0 or not poller.poll(wait * 1000):
        raise FrameTimeout()


def _read_exact(sock: socket.socket, size: int, deadline: float | None) -> bytearray:
    data = bytearray(size)
    view, received = memoryview(data), 0
    while received < size:
        if deadline is not None:
            _wait(sock, select.POLLIN, deadline)
        count = sock.recv_into(view[received:], min(size - received, 1 << 22))
        if not count:
            raise ChannelClosed()
        received += count
    return data  # not copied into bytes: decode copies each array out of it anyway


def recv(sock: socket.socket, deadline: float | None = None) -> Message:
    """Receive one frame; ``deadline`` is a time.monotonic() value or None."""
    body_size, blob_size = HEADER.unpack(_read_exact(sock, HEADER.size, deadline))
    if body_size + blob_size > MAX_FRAME:
        raise BadFrame(f"a frame of {body_size + blob_size} bytes was announced "
                       f"(limit {MAX_FRAME})")
    try:
        parsed = json.loads(_read_exact(sock, body_size, deadline))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadFrame(f"frame is not JSON: {exc}") from None
    if not isinstance(parsed, dict):
        raise BadFrame("frame is not a JSON object")
    message = Message(parsed)
    message.blob = _read_exact(sock, blob_size, deadline)
    return message


def encode(value: object, buffers: Buffers, depth: int = 0) -> object:
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
        # The array's own memory, not a copy: send() writes it out before anyone can change it.
        offset = buffers.add(plain.reshape(-1).view(np.uint8).data)
        return {"__nd__": [plain.dtype.str, list(plain.shape), offset]}
    if isinstance(value, np.generic) and value.dtype.kind in ARRAY_KINDS:
        return encode(np.asarray(value)[()].item(), buffers, depth + 1)
    if isinstance(value, (int, float)):  # subclasses: keep the plain number only
        plain_number = float(value) if isinstance(value, float) else int(value)
        return encode(plain_number, buffers, depth + 1)
    if type(value) in (list, tuple):
        items = [encode(item, buffers, depth + 1) for item in value]
        return {"__tuple__": items} if type(value) is tuple else items
    if type(value) is dict and all(type(key) is str for key in value):
        return {"__dict__": [[key, encode(item, buffers, depth + 1)]
                             for key, item in value.items()]}
    return {"__opaque__": type(value).__name__}


class Opaque:
    """Stands for a value that could not cross as plain data (e.g. a custom object)."""

    def __init__(self, description: str) -> None:
        self.description = str(description)[:200]

    def __repr__(self) -> str:
        return f"<{self.description}>"


def decode(value: object, blob: bytes = b"", depth: int = 0) -> object:
    """JSON structure → plain data, validating every array (the trusted direction)."""
    if depth > MAX_DEPTH:
        raise BadFrame("nesting too deep")
    if type(value) is str:
        return value[:MAX_TEXT]
    if value is None or type(value) in (bool, int, float):
        return value
    if type(value) is list:
        return [decode(item, blob, depth + 1) for item in value]
    if type(value) is not dict or len(value) != 1:
        raise BadFrame("unexpected JSON object")
    (tag, payload), = value.items()
    if tag == "__tuple__" and type(payload) is list:
        return tuple(decode(item, blob, depth + 1) for item in payload)
    if tag == "__dict__" and type(payload) is list and all(
            type(pair) is list and len(pair) == 2 for pair in payload):
        return {str(key)[:MAX_TEXT]: decode(item, blob, depth + 1) for key, item in payload}
    if tag == "__nd__" and type(payload) is list and len(payload) == 3:
        return _decode_array(blob, *payload)
    if tag == "__opaque__":
        return Opaque(payload)
    if tag == "__handle__" and type(payload) is int:
        return Handle(payload)
    raise BadFrame(f"unknown tag {tag!r}")


def _decode_array(blob: bytes, dtype_str: object, shape: object, offset: object) -> np.ndarray:
    if not (type(dtype_str) is str and type(shape) is list and type(offset) is int):
        raise BadFrame("malformed array")
    try:
        dtype = np.dtype(dtype_str)
    except TypeError:
        raise BadFrame(f"bad dtype {dtype_str!r}") from None
    if dtype.kind not in ARRAY_KINDS or dtype.fields is not None or dtype.subdtype is not None:
        raise BadFrame(f"dtype {dtype_str!r} is not numeric")
    if not all(type(n) is int and n >= 0 for n in shape) or len(shape) > 32:
        raise BadFrame("bad array shape")
    count = int(np.prod(shape, dtype=np.int64))
    if offset < 0 or offset + count * dtype.itemsize > len(blob):
        raise BadFrame("array data does not match its shape")
    return np.frombuffer(blob, dtype=dtype, count=count, offset=offset).reshape(shape).copy()


class Handle:
    """A reference to an object that lives on the other side of the channel."""

    def __init__(self, ident: int) -> None:
        self.ident = ident

    def __repr__(self) -> str:
        return f"Handle({self.ident})"


def encode_handle(ident: int) -> dict:
    return {"__handle__": ident}

