"""How the sandboxed worker is started: bubblewrap where it works, rlimits otherwise."""

import functools
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

WORKER_DIR = Path(__file__).resolve().parent
BWRAP = "bubblewrap (pid, network, mount, IPC and user namespaces; read-only system; rlimits)"
RLIMITS = ("rlimits, scrubbed environment and a private temporary folder "
           "(bubblewrap unavailable: no namespaces, so the file system is visible)")
NOBODY = 65534  # the fallback's student code runs as this user when the grader is root

# Only what numpy and the interpreter need; no HOME, no user variables, one BLAS thread.
CLEAN_ENV = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8",
             "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


@dataclass(frozen=True)
class Launch:
    argv: list[str]
    cwd: str
    containment: str
    scratch: str | None  # private folder to delete afterwards (fallback only)
    uid: int | None      # unprivileged user for student code (fallback as root only)


def _read_only_system() -> list[str]:
    """bwrap arguments exposing the OS and the interpreter, read-only, and nothing else."""
    args: list[str] = []
    for top in ("/usr", "/bin", "/lib", "/lib64", "/sbin", "/etc/ld.so.cache"):
        path = Path(top)
        if path.is_symlink():
            args += ["--symlink", os.readlink(top), top]
        elif path.exists():
            args += ["--ro-bind", top, top]
    # The interpreter and its packages (a venv may live inside the course folder:
    # bind only the venv itself, never its parent).
    for prefix in sorted({sys.base_prefix, sys.prefix}):
        args += ["--ro-bind", prefix, prefix]
    return args


def _bwrap_argv(command: list[str]) -> list[str]:
    env: list[str] = []
    for key, value in CLEAN_ENV.items():
        env += ["--setenv", key, value]
    # The private /tmp comes first: binds made after it stay visible even when the
    # interpreter or the kit lives under /tmp (a checkout in /tmp, say).
    return ["bwrap", "--unshare-all", "--die-with-parent", "--new-session",
            "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
            *_read_only_system(),
            "--ro-bind", str(WORKER_DIR), "/sandbox",
            "--chdir", "/tmp", "--clearenv", *env, *command]


@functools.cache
def bwrap_works() -> bool:
    """Whether bubblewrap is installed and can create namespaces here (checked once)."""
    if shutil.which("bwrap") is None:
        return False
    probe = _bwrap_argv([sys.executable, "-I", "-c", "pass"])
    try:
        return subprocess.run(probe, capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def mode() -> str:
    """'bwrap' or 'rlimits'; RECALLKIT_SANDBOX forces one (an unusable bwrap is an error)."""
    wanted = os.environ.get("RECALLKIT_SANDBOX", "auto")
    if wanted not in ("auto", "bwrap", "rlimits"):
        raise ValueError(f"RECALLKIT_SANDBOX must be auto, bwrap or rlimits, not {wanted!r}")
    if wanted == "bwrap" and not bwrap_works():
        raise RuntimeError("RECALLKIT_SANDBOX=bwrap but bubblewrap is missing or cannot "
                           "create namespaces here (install the Debian package bubblewrap)")
    if wanted == "auto":
        return "bwrap" if bwrap_works() else "rlimits"
    return wanted


def _others_can_read(path: Path) -> bool:
    """Whether an unprivileged user can reach and read ``path`` (e.g. the stdlib)."""
    for folder in [path, *path.parents]:
        mode = folder.stat().st_mode
        if not mode & stat.S_IXOTH or (folder == path and not mode & stat.S_IROTH):
            return False
    return True


def launch(fd: int) -> Launch:
    """The command that starts a worker zygote serving control socket ``fd``."""
    if mode() == "bwrap":
        argv = [sys.executable, "-I", "-B", "/sandbox/worker.py", "zygote", str(fd)]
        return Launch(_bwrap_argv(argv), "/", BWRAP, None, None)
    scratch = tempfile.mkdtemp(prefix="recallkit-sandbox-")
    argv = [sys.executable, "-I", "-B", str(WORKER_DIR / "worker.py"), "zygote", str(fd)]
    if os.geteuid() != 0:
        return Launch(argv, scratch, RLIMITS, scratch, None)
    if not all(_others_can_read(Path(p)) for p in (sys.base_prefix, sys.prefix)):
        return Launch(argv, scratch, RLIMITS + "; student code runs as root (this Python is "
                      "not readable by other users)", scratch, None)
    os.chown(scratch, NOBODY, NOBODY)
    return Launch(argv, scratch, RLIMITS + f"; student code runs as user {NOBODY}",
                  scratch, NOBODY)
