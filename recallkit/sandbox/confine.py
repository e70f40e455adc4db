"""Confine the calling process: an unprivileged uid, no capabilities, a seccomp filter.

Standard library only: the sandboxed worker loads this file too (its folder is on
the worker's ``sys.path``), and so can any launcher's ``preexec_fn``.
"""

import ctypes
import os
import resource

PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
PR_SET_DUMPABLE = 4
PR_CAPBSET_DROP = 24
PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 47, 4
SECCOMP_MODE_FILTER = 2
MAX_PROCESSES = 256  # RLIMIT_NPROC of the unprivileged uid: bounds fork bombs


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


# Looked up once, here: ``become`` may run in the forked child of a threaded grader
# (a launch's preexec), where looking a symbol up could wait for a lock forever.
_PRCTL = ctypes.CDLL(None, use_errno=True).prctl


def _prctl(*args: int | ctypes.c_void_p) -> None:
    # unsigned long arguments: the kernel rejects garbage in unused upper bits.
    if _PRCTL(*(ctypes.c_ulong(a) if isinstance(a, int) else a for a in args)) != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"prctl{args[:1]}: {os.strerror(error)}")


def become(uid: int) -> None:
    """Drop to ``uid`` (group ``uid``, no supplementary groups) for good: no way back,
    and no capability left anywhere (bounding and ambient sets emptied first)."""
    resource.setrlimit(resource.RLIMIT_NPROC, (MAX_PROCESSES, MAX_PROCESSES))
    _prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    for capability in range(64):
        try:
            _prctl(PR_CAPBSET_DROP, capability, 0, 0, 0)
        except OSError:  # EINVAL: past the last capability this kernel knows
            break
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    if os.getresuid() != (uid, uid, uid) or os.getresgid() != (uid, uid, uid):
        raise PermissionError(f"could not become uid {uid}")


def not_dumpable() -> None:
    """Other processes of the same uid may not ptrace this one or open its /proc memory."""
    _prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)


def apply_filter(program: bytes) -> None:
    """Load a seccomp BPF ``program`` (raw ``struct sock_filter`` array) for good."""
    if not program or len(program) % 8:
        raise ValueError("a seccomp program is a non-empty array of 8-byte instructions")
    code = ctypes.create_string_buffer(program, len(program))
    fprog = _SockFprog(len(program) // 8, ctypes.cast(code, ctypes.c_void_p))
    _prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    _prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.c_void_p(ctypes.addressof(fprog)), 0, 0)


# Landlock (Linux 5.13+, unprivileged): only the listed folders can be opened at all.
SYS_LANDLOCK_CREATE_RULESET, SYS_LANDLOCK_ADD_RULE, SYS_LANDLOCK_RESTRICT_SELF = 444, 445, 446
LANDLOCK_CREATE_RULESET_VERSION = 1
LANDLOCK_RULE_PATH_BENEATH = 1
# Rights on files: execute, write, read, truncate (ABI 3), ioctl on devices (ABI 5).
FILE_RIGHTS = {1: 0b111, 3: 0b111 | 1 << 14, 5: 0b111 | 3 << 14}
ALL_RIGHTS = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 5: (1 << 16) - 1}
READ_ONLY = 0b1101  # execute, read file, read folder


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _syscall(number: int, *args: object) -> int:
    libc = ctypes.CDLL(None, use_errno=True)
    result = libc.syscall(ctypes.c_long(number), *args)
    if result < 0:
        error = ctypes.get_errno()
        raise OSError(error, f"system call {number}: {os.strerror(error)}")
    return result


def landlock_abi() -> int:
    """The kernel's Landlock ABI version, 0 when Landlock is missing or disabled."""
    try:
        return _syscall(SYS_LANDLOCK_CREATE_RULESET, None, ctypes.c_size_t(0),
                        ctypes.c_uint32(LANDLOCK_CREATE_RULESET_VERSION))
    except OSError:
        return 0


def _rights(table: dict[int, int], abi: int) -> int:
    return table[max(version for version in table if version <= abi)]


def restrict_files(read: list[str], write: list[str]) -> None:
    """From now on this process (and its children) may only read and execute beneath
    ``read`` and do anything beneath ``write``: nothing else can even be opened."""
    abi = landlock_abi()
    if not abi:
        return
    handled = _rights(ALL_RIGHTS, abi)
    ruleset = ctypes.c_uint64(handled)
    fd = _syscall(SYS_LANDLOCK_CREATE_RULESET, ctypes.byref(ruleset), ctypes.c_size_t(8),
                  ctypes.c_uint32(0))
    try:
        for paths, rights in ((read, READ_ONLY), (write, handled)):
            for path in paths:
                try:
                    target = os.open(path, os.O_PATH | os.O_CLOEXEC)
                except OSError:
                    continue  # not on this system
                try:
                    allowed = rights if os.path.isdir(path) else rights & _rights(FILE_RIGHTS, abi)
                    rule = _PathBeneath(allowed, target)
                    _syscall(SYS_LANDLOCK_ADD_RULE, ctypes.c_int(fd),
                             ctypes.c_int(LANDLOCK_RULE_PATH_BENEATH), ctypes.byref(rule),
                             ctypes.c_uint32(0))
                finally:
                    os.close(target)
        _prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
        _syscall(SYS_LANDLOCK_RESTRICT_SELF, ctypes.c_int(fd), ctypes.c_uint32(0))
    finally:
        os.close(fd)


def enter(uid: int | None, program: bytes, read: list[str], write: list[str]) -> None:
    """The fallback's whole confinement, in order: uid, files, system calls."""
    if uid is not None:
        become(uid)
    restrict_files(read, write)
    apply_filter(program)
