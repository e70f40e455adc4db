"""How a process that runs student code is started: bubblewrap where it works, a
per-slot unprivileged uid otherwise; never as root, never with a capability.

For anything that runs student code (the module grader's worker, a notebook kernel):

    spec = launcher.contain(["python", "-I", ...], keep_fds=[fd])   # may raise Refused
    proc = subprocess.Popen(spec.argv, cwd=spec.cwd, env=spec.env, pass_fds=spec.pass_fds,
                            preexec_fn=spec.preexec, start_new_session=True)
    spec.started()   # closes what only the new process needed
    ...
    spec.release()   # after the process ended: kills every process left of spec.uid
                     # (a slot uid), deletes its files and scratch, frees the uid for reuse

``preexec`` confines the process itself (bubblewrap as root: the staged folders and
the slot uid; fallback: ``confine.enter``: the slot uid, Landlock, seccomp): never
leave it out. In the fallback a parent that must keep root to fork confined children
(the worker's zygote) passes ``confine_self=False`` and calls
``confine.enter(**spec.confine)`` in each child. In the fallback the command must use
``fallback_python()``'s interpreter (and add its packages folder to ``sys.path``).

bubblewrap mode: user, pid, network, mount, IPC and UTS namespaces; student code is
uid ``SANDBOX_UID`` inside with no capability (bounding set empty), cannot create a
user namespace again, and runs under the seccomp filter of ``seccomp_filter.py``; it
sees the system and the interpreter read-only, a sized /tmp and /dev/shm, nothing
else. A root grader starts bwrap itself as a slot uid (``FIRST_SLOT_UID`` onwards, one
per live sandbox, as the fallback's), so outside student code is that unprivileged
uid: a root-only file in a bound folder stays unreadable. bwrap then resolves its
sources as that uid, so ``preexec`` first gives the launch a mount namespace of its
own where ``STAGE`` holds the bound folders (found there while still root): a venv, a
kit or a scratch folder under a 0700 parent (pyenv in /root) is reachable all the same.
A grader that is not root runs bwrap as itself (its own uid is not root).

Fallback (no usable bubblewrap, or RECALLKIT_SANDBOX=rlimits): a uid of its own per
concurrently running sandbox (``FIRST_SLOT_UID`` onwards, locked with flock), a
0700 scratch folder, rlimits, the same seccomp filter (so no socket at all), Landlock
where the kernel has it (nothing readable but the system, the interpreter and the
worker; nothing writable but the scratch), and the kit's secret folders made
unreadable to other users. As root with a Python an
unprivileged uid cannot run, or when not root at all, it refuses unless
RECALLKIT_ALLOW_UNSAFE=1, and then says so in every result.
"""

import ctypes
import fcntl
import functools
import os
import pwd
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy

from recallkit.paths import AUTOGRADER, REPO, SOLUTIONS, SOURCE
from recallkit.sandbox import confine, seccomp_filter

WORKER_DIR = Path(__file__).resolve().parent
SANDBOX_UID = 65534               # student code's uid inside bubblewrap
FIRST_SLOT_UID, SLOTS = 61000, 64  # the fallback's uids: one per live sandbox
PROBE_UID = 65534                 # "can any unprivileged uid run this Python?"
TMP_BYTES = 64 << 20              # bubblewrap's /tmp (RAM-backed: sized, never half of RAM)
SHM_BYTES = 16 << 20              # bubblewrap's /dev/shm
# World-writable places an unprivileged uid can leave files in (swept after each sandbox).
SHARED_WRITABLE = ("/tmp", "/var/tmp", "/dev/shm", "/run/lock", "/dev/mqueue")
# What the fallback makes unreadable to other users (without namespaces nothing hides them).
SECRETS = (SOLUTIONS, AUTOGRADER, SOURCE, REPO / ".git")
UNSAFE_FLAG = "RECALLKIT_ALLOW_UNSAFE"
NUMPY_COPIES = Path("/var/cache/recallkit")  # see fallback_python
MS_NOSUID, MS_NODEV, MNT_DETACH = 2, 4, 2
MS_BIND, MS_REC, MS_PRIVATE, CLONE_NEWNS = 4096, 16384, 1 << 18, 0x00020000
# In a root launch's own mount namespace: a small tmpfs holding only the bound folders.
STAGE = "/tmp"
RLIMITS = "rlimits and seccomp (no bubblewrap: no namespaces)"

# Only what numpy and the interpreter need; no HOME, no user variables, one BLAS thread.
CLEAN_ENV = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8",
             "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


_LIBC = ctypes.CDLL(None, use_errno=True)
# Looked up now: the forked child of a threaded grader must not wait for the loader's lock.
_mount, _unshare = _LIBC.mount, _LIBC.unshare


def _checked(result: int, what: str) -> None:
    if result != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")


class Refused(RuntimeError):
    """No safe containment can be had here; the message says how to get one."""


@dataclass
class Launch:
    """A contained command: start it with subprocess.Popen as the module docstring shows."""

    argv: list[str]
    cwd: str
    env: dict[str, str]
    containment: str                # what every result reports
    uid: int | None                 # student code's host uid (None: unchanged, unsafe opt-in)
    writable: tuple[str, ...]       # all that student code can write, as it sees it
    pass_fds: tuple[int, ...] = ()
    confine: dict | None = None     # fallback: confine.enter(**confine) in each process
    preexec: Callable[[], None] | None = None
    scratch: str | None = None      # fallback: the 0700 folder of this sandbox's uid
    _close_after_start: list[int] = field(default_factory=list)
    _slot_lock: int | None = None
    _shared_files: bool = True      # may it have left files in SHARED_WRITABLE?

    def started(self) -> None:
        """Close the descriptors only the started process needed."""
        for fd in self._close_after_start:
            os.close(fd)
        self._close_after_start.clear()

    def release(self) -> None:
        """Sweep the uid's processes and files, delete the scratch, free the slot."""
        self.started()
        if self._slot_lock is not None:
            sweep(self.uid, self._shared_files)
        if self.scratch is not None:
            _remove_scratch(self.scratch)
            self.scratch = None
        if self._slot_lock is not None:
            os.close(self._slot_lock)  # closing the descriptor releases the flock
            self._slot_lock = None


# --------------------------------------------------------------------------- bubblewrap

SYSTEM = ("/usr", "/bin", "/lib", "/lib64", "/sbin", "/etc/ld.so.cache")
DEVICES = ("/dev/null", "/dev/zero", "/dev/urandom", "/dev/random")


def _read_only_system() -> list[str]:
    """bwrap arguments exposing the OS read-only (world-readable: no staging needed)."""
    args: list[str] = []
    for top in SYSTEM:
        path = Path(top)
        if path.is_symlink():
            args += ["--symlink", os.readlink(top), top]
        elif path.exists():
            args += ["--ro-bind", top, top]
    return args


def _folders(binds: Sequence[tuple[str, str]]) -> list[tuple[str, str, bool]]:
    """(host folder, path inside, writable) of all that is bound besides the system."""
    # The interpreter and its packages (a venv may live inside the course folder:
    # bind only the venv itself, never its parent), the worker, the caller's folders.
    return [*((prefix, prefix, False) for prefix in sorted({sys.base_prefix, sys.prefix})),
            (str(WORKER_DIR), "/sandbox", False),
            *((source, dest, True) for source, dest in binds)]


def _bwrap_argv(command: list[str], seccomp_fd: int, folders: list[tuple[str, str, bool]],
                staged: bool, chdir: str = "/tmp",
                new_session: bool = True) -> list[str]:
    env: list[str] = []
    for key, value in CLEAN_ENV.items():
        env += ["--setenv", key, value]
    bound: list[str] = []
    for index, (source, dest, writable) in enumerate(folders):
        bound += ["--bind" if writable else "--ro-bind",
                  f"{STAGE}/{index}" if staged else source, dest]
    # The private /tmp comes first: binds made after it stay visible even when the
    # interpreter or the kit lives under /tmp (a checkout in /tmp, say). /dev is
    # read-only. In the user namespace only SANDBOX_UID exists (the caller's uid outside).
    return ["bwrap", "--unshare-all", "--unshare-user", "--uid", str(SANDBOX_UID),
            "--gid", str(SANDBOX_UID), "--cap-drop", "ALL", "--disable-userns",
            "--assert-userns-disabled", "--die-with-parent",
            *(["--new-session"] if new_session else []), "--proc", "/proc", "--dev", "/dev",
            "--size", str(SHM_BYTES), "--tmpfs", "/dev/shm", "--remount-ro", "/dev",
            "--size", str(TMP_BYTES), "--tmpfs", "/tmp",
            *_read_only_system(), *bound,
            "--remount-ro", "/",  # bubblewrap's root is an unsized tmpfs: no writes there
            "--seccomp", str(seccomp_fd),
            "--chdir", chdir, "--clearenv", *env, "--", *command]


def _bwrap_containment(uid: int) -> str:
    who = (f"host uid {uid}, one per sandbox" if uid != os.geteuid() else
           f"host uid {uid}, the grader's own")
    return (f"bubblewrap (user, pid, network, mount and IPC namespaces; uid {SANDBOX_UID} "
            f"inside, {who}; no capabilities, no new user namespaces, seccomp; read-only "
            f"system; {TMP_BYTES >> 20} MiB /tmp; rlimits)")


def _enter_as(uid: int, folders: Sequence[str]) -> None:
    """In a root launch's child before bwrap: a mount namespace of its own whose STAGE
    holds ``folders`` (so their parents' modes no longer matter), then ``uid`` for good.
    Nothing of it reaches the host's mounts."""
    _checked(_unshare(CLONE_NEWNS), "unshare")
    _checked(_mount(None, b"/", None, MS_REC | MS_PRIVATE, None), "mount --make-rprivate /")
    # Opened in this namespace (a bind's source must be in it), before STAGE hides them.
    fds = [os.open(folder, os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC) for folder in folders]
    _checked(_mount(b"stage", STAGE.encode(), b"tmpfs", MS_NOSUID | MS_NODEV,
                    b"mode=0755,size=64k"), f"mount tmpfs {STAGE}")
    for index, fd in enumerate(fds):
        target = f"{STAGE}/{index}"
        os.mkdir(target)
        _checked(_mount(f"/proc/self/fd/{fd}".encode(), target.encode(), None,
                        MS_BIND | MS_REC, None), f"bind {target}")
        os.close(fd)
    confine.become(uid)


def _give(folder: str, uid: int) -> None:
    """Make a folder bound writable ``uid``'s own (0700: no other uid may enter it).
    A file with other hard links stays as it is: it may be someone else's file."""
    os.chown(folder, uid, uid)
    os.chmod(folder, 0o700)
    for parent, names, files in os.walk(folder):
        for name in [*names, *files]:
            path = os.path.join(parent, name)
            info = os.lstat(path)
            if stat.S_ISDIR(info.st_mode) or info.st_nlink == 1:
                os.lchown(path, uid, uid)


def _bwrap(command: list[str], keep_fds: Sequence[int], program: bytes,
           binds: Sequence[tuple[str, str]] = (), chdir: str = "/tmp",
           new_session: bool = True) -> Launch:
    """A bubblewrap launch; as root, bwrap starts as a slot uid from staged folders."""
    folders = _folders(binds)
    missing = [source for source, _, _ in folders if not os.path.isdir(source)]
    if missing:
        raise Refused(f"{missing[0]}: expected a folder to bind into the sandbox")
    uid, lock, preexec = os.geteuid(), None, None
    if uid == 0:
        uid, lock = _take_slot()
        try:
            sweep(uid, files=False)  # what a killed grader's fallback sandbox left running
            for source, _, writable in folders:
                if writable:
                    _give(source, uid)
        except BaseException:
            os.close(lock)
            raise
        preexec = functools.partial(_enter_as, uid, [source for source, _, _ in folders])
    fd = _program_fd(program)
    argv = _bwrap_argv(command, fd, folders, lock is not None, chdir, new_session)
    return Launch(argv, "/", dict(CLEAN_ENV), _bwrap_containment(uid), uid,
                  ("/tmp", "/dev/shm", *(dest for _, dest in binds)),
                  pass_fds=(*keep_fds, fd), preexec=preexec,
                  _close_after_start=[fd], _slot_lock=lock, _shared_files=False)


def _program_fd(program: bytes) -> int:
    """A pipe's read end holding the BPF program (bubblewrap reads it once)."""
    read, write = os.pipe()
    os.write(write, program)  # a few hundred bytes: well within a pipe's buffer
    os.close(write)
    return read


@functools.cache
def bwrap_works() -> bool:
    """Whether bubblewrap is installed and can build the whole sandbox here, started as
    it will be (checked once)."""
    if shutil.which("bwrap") is None:
        return False
    spec = None
    try:
        spec = _bwrap([sys.executable, "-I", "-c", "pass"], (), seccomp_filter.program())
        return subprocess.run(spec.argv, cwd=spec.cwd, env=spec.env, pass_fds=spec.pass_fds,
                              preexec_fn=spec.preexec, capture_output=True,
                              timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError, Refused):
        return False
    finally:
        if spec is not None:
            spec.release()


def mode() -> str:
    """'bwrap' or 'rlimits'; RECALLKIT_SANDBOX forces one (an unusable bwrap is an error)."""
    wanted = os.environ.get("RECALLKIT_SANDBOX", "auto")
    if wanted not in ("auto", "bwrap", "rlimits"):
        raise ValueError(f"RECALLKIT_SANDBOX must be auto, bwrap or rlimits, not {wanted!r}")
    if wanted == "bwrap" and not bwrap_works():
        raise Refused("RECALLKIT_SANDBOX=bwrap but bubblewrap is missing or cannot "
                      "create namespaces here as an unprivileged uid (install the Debian "
                      "package bubblewrap; allow user namespaces: user.max_user_namespaces)")
    if wanted == "auto":
        return "bwrap" if bwrap_works() else "rlimits"
    return wanted


# --------------------------------------------------------------------------- fallback

def _unsafe_allowed() -> bool:
    return os.environ.get(UNSAFE_FLAG) == "1"


def _probe(python: str, site: str | None) -> str | None:
    """Why an unprivileged uid cannot import numpy with ``python``, or None. (The worker's
    own files need not be readable: children fork from a zygote that loaded them.)"""
    code = f"import sys; sys.path[:0] = {[site] if site else []!r}; import numpy.random"
    try:
        done = subprocess.run([python, "-I", "-B", "-c", code], user=PROBE_UID,
                              group=PROBE_UID, extra_groups=[], env=CLEAN_ENV, cwd="/",
                              capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        return str(exc)
    lines = done.stderr.strip().splitlines()
    return None if done.returncode == 0 else (lines[-1] if lines else f"exit {done.returncode}")


@functools.cache
def fallback_python() -> tuple[str, str | None, str | None]:
    """(interpreter, folder of packages it must add, problem) for unprivileged student code.

    This interpreter if an unprivileged uid can run it; else the system's Python of the
    same version (numpy's compiled modules fit any 3.X.Y) with this venv's packages, or,
    when the venv itself lies in a private folder, with a world-readable copy of numpy
    (``NUMPY_COPIES``); else the problem, and the fallback refuses.
    """
    problem = _probe(sys.executable, None)
    if problem is None:
        return sys.executable, None, None
    system = f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}"
    if os.path.exists(system):
        site = str(Path(numpy.__file__).parent.parent)
        if _probe(system, site) is None:
            return system, site, None
        if os.geteuid() == 0:
            copy = _readable_numpy()
            if _probe(system, copy) is None:
                return system, copy, None
    return sys.executable, None, problem


def _readable_numpy() -> str:
    """A root-owned, world-readable copy of this numpy (made once per version)."""
    version = f"numpy-{numpy.__version__}-py{sys.version_info.major}.{sys.version_info.minor}"
    folder = NUMPY_COPIES / version
    if not (folder / "complete").exists():
        NUMPY_COPIES.mkdir(mode=0o755, parents=True, exist_ok=True)
        info = NUMPY_COPIES.lstat()
        if info.st_uid != 0 or info.st_mode & 0o022 or not stat.S_ISDIR(info.st_mode):
            raise Refused(f"{NUMPY_COPIES}: expected a folder of root, writable by root only")
        building = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=NUMPY_COPIES))
        source = Path(numpy.__file__).parent
        for package in (source, source.with_name("numpy.libs")):
            if package.is_dir():
                shutil.copytree(package, building / package.name,
                                ignore=shutil.ignore_patterns("__pycache__", "tests"))
        (building / "complete").touch()
        subprocess.run(["chmod", "-R", "u=rwX,go=rX", str(building)], check=True)
        try:
            building.rename(folder)
        except OSError:  # another grader finished the same copy first
            shutil.rmtree(building)
    return str(folder)


def _slot_folder() -> Path:
    """A folder only the grader's uid can use for the slot locks (checked, not trusted)."""
    base = Path("/run") if os.access("/run", os.W_OK) else Path(tempfile.gettempdir())
    folder = base / f"recallkit-sandbox-slots-{os.geteuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    info = folder.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o077:
        raise Refused(f"{folder}: expected a folder of uid {os.geteuid()} with mode 0700 "
                      "(someone else made it: delete it)")
    return folder


def _take_slot() -> tuple[int, int]:
    """A free fallback uid (no account uses it) and the locked descriptor holding it."""
    folder = _slot_folder()
    for uid in range(FIRST_SLOT_UID, FIRST_SLOT_UID + SLOTS):
        try:
            pwd.getpwuid(uid)
            continue  # a real account: its processes are not ours to kill
        except KeyError:
            pass
        fd = os.open(folder / f"{uid}.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        return uid, fd
    raise Refused(f"all {SLOTS} sandbox uids from {FIRST_SLOT_UID} are in use "
                  "(fewer parallel jobs, please)")


def processes_of(uid: int) -> list[int]:
    """Live (not zombie) processes with ``uid`` as real, effective, saved or file uid."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
        except OSError:
            continue
        if fields.get("State", "").strip().startswith("Z"):
            continue
        if str(uid) in fields.get("Uid", "").split():
            found.append(int(entry))
    return found


def sweep(uid: int, files: bool = True) -> None:
    """Kill every process of ``uid`` (daemons included), then delete its shared files
    (``files``: bubblewrap's own /tmp and /dev/shm die with it, nothing else is shared)."""
    for _ in range(100):
        if not processes_of(uid):
            break
        pid = os.fork()
        if pid == 0:  # as ``uid``, kill(-1) reaches exactly that uid's processes
            try:
                os.setresgid(uid, uid, uid)
                os.setresuid(uid, uid, uid)
                os.kill(-1, signal.SIGKILL)
            finally:
                os._exit(0)
        os.waitpid(pid, 0)
        time.sleep(0.005)
    if not files:
        return
    for stale in Path(tempfile.gettempdir()).glob(f"recallkit-sandbox-{uid}-*"):
        _remove_scratch(str(stale))  # a grader that was killed left it
    roots = [path for path in SHARED_WRITABLE if os.path.isdir(path)]
    subprocess.run(["find", *roots, "-xdev", "-depth", "-uid", str(uid), "-delete"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)


def protect(paths: Sequence[Path]) -> None:
    """Make folders the grader owns unreadable to other users (idempotent)."""
    for path in paths:
        try:
            info = path.lstat()
        except FileNotFoundError:
            continue
        if stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid() and info.st_mode & 0o077:
            path.chmod(stat.S_IMODE(info.st_mode) & 0o700)


def _unsafe(argv: list[str], unix_sockets: bool, confine_self: bool, why: str,
            fix: str) -> Launch:
    """The explicit opt-in: student code keeps the grader's uid, under seccomp and rlimits."""
    if not _unsafe_allowed():
        raise Refused(f"refusing to run student code: {why}; fix: install bubblewrap (Debian "
                      f"package bubblewrap){fix}, or set {UNSAFE_FLAG}=1 to run it anyway")
    scratch = tempfile.mkdtemp(prefix="recallkit-sandbox-")
    who = "root" if os.geteuid() == 0 else f"the grader's own uid {os.geteuid()}"
    return _confined(argv, scratch, None, unix_sockets, confine_self, None,
                     f"UNSAFE ({UNSAFE_FLAG}=1): {RLIMITS}; student code runs as {who}")


def _fallback(argv: list[str], unix_sockets: bool, confine_self: bool) -> Launch:
    if os.geteuid() != 0:
        return _unsafe(argv, unix_sockets, confine_self, "no bubblewrap, and without root "
                       "student code would run as the grader's own user", "")
    python, site, problem = fallback_python()
    if problem is not None:
        return _unsafe(argv, unix_sockets, confine_self, f"no bubblewrap, and an unprivileged "
                       f"user cannot run {python} ({problem}), so student code would run as "
                       "root", ", or make the interpreter and the venv readable by other users "
                       "(e.g. a venv made from /usr/bin/python3)")
    protect(SECRETS)
    uid, lock = _take_slot()
    sweep(uid)  # whatever an earlier, interrupted grader left behind
    scratch = tempfile.mkdtemp(prefix=f"recallkit-sandbox-{uid}-")
    sized = _mount_tmpfs(scratch, uid)
    os.chown(scratch, uid, uid)
    space = (f"a {TMP_BYTES >> 20} MiB scratch" if sized else
             "a scratch bounded per file only (no mount here)")
    return _confined(argv, scratch, uid, unix_sockets, confine_self, lock,
                     f"{RLIMITS}; student code runs as uid {uid}, one per sandbox; {space}")


def _mount_tmpfs(folder: str, uid: int) -> bool:
    """Make ``folder`` a tmpfs of TMP_BYTES owned by ``uid`` (False where mounts are denied)."""
    options = f"size={TMP_BYTES},mode=0700,uid={uid},gid={uid}".encode()
    return _mount(b"tmpfs", folder.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, options) == 0


def _remove_scratch(folder: str) -> None:
    """Unmount (if it is a tmpfs) and delete a scratch folder."""
    if os.path.ismount(folder):
        _LIBC.umount2(folder.encode(), MNT_DETACH)
    shutil.rmtree(folder, ignore_errors=True)


def _confined(argv: list[str], scratch: str, uid: int | None, unix_sockets: bool,
              confine_self: bool, lock: int | None, containment: str) -> Launch:
    """A fallback launch: ``uid`` (None: unchanged), Landlock, seccomp, a scratch folder."""
    python, site, _ = fallback_python()
    read = [*SYSTEM, sys.base_prefix, sys.prefix, python, *([site] if site else []),
            *DEVICES[1:]]
    settings = {"uid": uid, "program": seccomp_filter.program(unix_sockets), "read": read,
                "write": [scratch, DEVICES[0]]}
    if confine.landlock_abi():
        containment += "; Landlock: nothing readable but the system, Python and its scratch"
        writable: tuple[str, ...] = (scratch,)
    else:
        containment += "; no Landlock: files other users may read stay readable"
        writable = (scratch, *SHARED_WRITABLE)
    return Launch(argv, scratch, dict(CLEAN_ENV, HOME=scratch, TMPDIR=scratch), containment,
                  uid, writable, confine=settings, scratch=scratch, _slot_lock=lock,
                  preexec=functools.partial(confine.enter, **settings) if confine_self
                  else None)


def contain(command: list[str], keep_fds: Sequence[int] = (), unix_sockets: bool = False,
            confine_self: bool = True, binds: Sequence[tuple[str, str]] = (),
            chdir: str = "/tmp", new_session: bool = True, own_network: bool = False) -> Launch:
    """``command`` (absolute paths; a Python started with -I) made into a contained launch.

    ``keep_fds`` are inherited by the process; ``unix_sockets`` lets it create AF_UNIX
    sockets (never AF_INET/AF_INET6). bubblewrap only (the fallback refuses them):
    ``binds`` are (host folder, path inside) pairs it may write (folders made for this
    launch: as root they become the sandbox uid's own, 0700), ``chdir`` where it
    starts, ``new_session=False`` keeps it in the caller's process group (an interrupt
    sent there reaches it: a notebook kernel). ``own_network`` allows sockets of every
    family: bubblewrap's network namespace has loopback only (a notebook kernel needs a
    TCP socket on it). Raises Refused when no safe containment exists.
    """
    if mode() == "rlimits":
        if binds or own_network:
            raise Refused("this process needs bubblewrap (bound folders); install the "
                          "Debian package bubblewrap")
        spec = _fallback(command, unix_sockets, confine_self)
        spec.pass_fds = tuple(keep_fds)
        return spec
    return _bwrap(command, keep_fds, seccomp_filter.program(unix_sockets, own_network),
                  binds, chdir, new_session)


def check() -> None:
    """Raise Refused now if student code could not be contained here: a class run says so
    once, before any student, instead of failing every submission one by one."""
    contain([sys.executable, "-I", "-c", "pass"]).release()


def worker(fd: int) -> Launch:
    """The worker zygote serving control socket ``fd``; it confines each child itself."""
    if mode() == "bwrap":
        command = [sys.executable, "-I", "-B", "/sandbox/worker.py", "zygote", str(fd)]
    else:
        python, site, _ = fallback_python()
        command = [python, "-I", "-B", str(WORKER_DIR / "worker.py"), "zygote", str(fd),
                   *([site] if site else [])]
    return contain(command, [fd], confine_self=False)
