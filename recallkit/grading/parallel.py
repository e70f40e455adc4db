"""The grader's own work split over cores: parts computed at once in forked copies.

Only for trusted computations (the reference model on arguments the suite has checked),
never for student code. A part computed in a copy gives the same value as in this
process; if the copy fails (an exception, a crash, no answer in time) the part is
computed again here, so its error, if any, is raised as it would be without the split.
"""

import os
import signal
import socket
import time
from collections.abc import Callable, Sequence

from recallkit.sandbox import protocol

PART_SECONDS = 60.0  # a copy that has not answered by then is killed (the part runs here)


def _answer(part: Callable[[], object], sock: socket.socket) -> None:
    """In the copy: send the part's value (plain data), then end without cleaning up."""
    status = 1
    try:
        buffers = protocol.Buffers()
        protocol.send(sock, {"ok": protocol.encode(part(), buffers)}, buffers)
        status = 0
    finally:
        os._exit(status)  # never back into the grader's own code (pytest, the sandbox)


def _end(pid: int, sock: socket.socket) -> None:
    sock.close()
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)


def _collect(pid: int, sock: socket.socket) -> tuple[bool, object]:
    """(True, value) from the copy ``pid``, or (False, None) if it failed; it is gone after."""
    try:
        reply = protocol.recv(sock, time.monotonic() + PART_SECONDS)
        return "ok" in reply, protocol.decode(reply.get("ok"), reply.blob)
    except (protocol.ChannelClosed, protocol.FrameTimeout, protocol.BadFrame, OSError):
        return False, None
    finally:
        _end(pid, sock)


def side_by_side(parts: Sequence[Callable[[], object]]) -> list[object]:
    """Each part's value, in order; all but the last are computed in forked copies of
    this process while the last is computed here. Values must be plain data (see
    ``protocol``: numbers, strings, lists, tuples, str-keyed dicts, arrays)."""
    copies = []
    for part in parts[:-1]:
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            ours.close()
            _answer(part, theirs)
        theirs.close()
        copies.append((part, pid, ours))
    try:
        last = [parts[-1]()] if parts else []
    except BaseException:
        for _, pid, sock in copies:
            _end(pid, sock)
        raise
    answers = [_collect(pid, sock) for _, pid, sock in copies]
    return [value if done else part()
            for (part, _, _), (done, value) in zip(copies, answers, strict=True)] + last
