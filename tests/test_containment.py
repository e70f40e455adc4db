"""Containment (issue 8): hostile submissions against the sandbox, each run in bubblewrap
and in the forced fallback (RECALLKIT_SANDBOX=rlimits), as root, as CI runs.

Every grading case checks the grade (the attack gains nothing and costs at most the
attacker's own demo) and that nothing outside changed: the venv and the kit (a stat
digest: size, times, mode, owner of every file), no file left outside the scratch, no
process left of the sandbox. Attack code reports what worked by raising ESCAPED at
import, so an attack that ran and found every door shut leaves the demo's full marks,
and an attack with a bug of its own fails the test too (its demo scores 0).
"""

import asyncio
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyseccomp
import pytest

from recallkit.grading.runner import grade_submission
from recallkit.mistakes import copy_reference
from recallkit.paths import ASSIGNMENT, PACKAGE, REPO, SOLUTIONS
from recallkit.sandbox import kernels, launcher
from recallkit.sandbox.session import Limits, Sandbox, StudentTimeout

# Short calls keep the hostile cases fast; the demo budget leaves room for the
# mini-project's experiments on a busy machine (no attack here waits it out).
FAST = Limits(call_seconds=1.5, load_seconds=3.0, demo_seconds=20.0)
MODES = ("bwrap", "rlimits")
TOKEN = "recallkit-containment-escape"
MARKER = f"3{os.getpid()}"  # the daemon's sleep argument: ours, not another test run's
SLOT_UIDS = range(launcher.FIRST_SLOT_UID, launcher.FIRST_SLOT_UID + launcher.SLOTS)

# Appended to a module of the reference: helpers, the attack, then the verdict.
HARNESS = '''
import ctypes as _ctypes, errno as _errno, os as _os, socket as _socket, sys as _sys
_libc = _ctypes.CDLL(None, use_errno=True)
_ESCAPES = []
{attack}
if _ESCAPES:
    raise RuntimeError("ESCAPED: " + "; ".join(_ESCAPES))
'''

ATTACKS = {
    # Cause 1: root with every capability. Never root, never a capability, in any set.
    "privileges": '''
class _Header(_ctypes.Structure):
    _fields_ = [("version", _ctypes.c_uint32), ("pid", _ctypes.c_int)]
class _Data(_ctypes.Structure):
    _fields_ = [("e", _ctypes.c_uint32), ("p", _ctypes.c_uint32), ("i", _ctypes.c_uint32)]
_data = (_Data * 2)()
assert _libc.capget(_ctypes.byref(_Header(0x20080522, 0)), _data) == 0
if any(d.e or d.p or d.i for d in _data):
    _ESCAPES.append("capabilities")
if 0 in (_os.getuid(), _os.geteuid(), _os.getgid(), _os.getegid()):
    _ESCAPES.append("root")
if any(_libc.prctl(23, cap, 0, 0, 0) == 1 for cap in range(41)):  # PR_CAPBSET_READ
    _ESCAPES.append("a capability in the bounding set")
if any(_libc.prctl(47, 1, cap, 0, 0) == 1 for cap in range(41)):  # PR_CAP_AMBIENT_IS_SET
    _ESCAPES.append("an ambient capability")
for _become in (_os.setuid, _os.setgid):
    try:
        _become(0)
        _ESCAPES.append(_become.__name__ + "(0)")
    except OSError:
        pass
''',
    # Cause 1: remount a read-only bind read-write, then write the venv, the kit's worker,
    # the standard library, the system.
    "remount_and_write_binds": '''
import numpy as _numpy
_targets = [_sys.prefix, _sys.base_prefix, _os.path.dirname(_os.__file__),
            _os.path.dirname(_numpy.__file__), _os.path.dirname(_sys.modules["protocol"].__file__),
            "/usr/lib", "/usr/bin", "/etc", "/"]
for _path in _targets:
    if _libc.mount(None, _path.encode(), None, 32 | 4096, None) == 0:  # MS_REMOUNT|MS_BIND
        _ESCAPES.append("remounted " + _path)
    for _name in ("escape.pth", "escape.py"):
        try:
            open(_os.path.join(_path, _name), "x").close()
            _ESCAPES.append("wrote in " + _path)
        except OSError:
            pass
    try:
        _os.chmod(_path, 0o777)
        _ESCAPES.append("chmod " + _path)
    except OSError:
        pass
for _file in (_os.__file__, _numpy.__file__, _sys.modules["protocol"].__file__,
              _sys.modules["__main__"].__file__):
    try:
        open(_file, "r+b").close()
        _ESCAPES.append("opened for writing " + _file)
    except OSError:
        pass
if _libc.mount(b"none", b"/usr", b"tmpfs", 0, None) == 0:
    _ESCAPES.append("mounted a tmpfs")
''',
    # Cause 1: a nested user namespace would give back every capability.
    "new_namespaces": '''
class _CloneArgs(_ctypes.Structure):
    _fields_ = [(name, _ctypes.c_uint64) for name in (
        "flags", "pidfd", "child_tid", "parent_tid", "exit_signal", "stack", "stack_size", "tls")]
for _flag, _name in ((0x10000000, "user"), (0x00020000, "mount"), (0x40000000, "net"),
                     (0x20000000, "pid")):
    if _libc.unshare(_flag) == 0:
        _ESCAPES.append("unshare " + _name)
    for _how, _call in (("clone", lambda: _libc.syscall(56, _flag | 17, 0, 0, 0, 0)),
                        ("clone3", lambda: _libc.syscall(
                            435, _ctypes.byref(_CloneArgs(_flag, 0, 0, 0, 17)), 64))):
        _pid = _call()
        if _pid == 0:
            _os._exit(0)
        if _pid > 0:
            _os.waitpid(_pid, 0)
            _ESCAPES.append(_how + " " + _name)
''',
    # Cause 1: trace the zygote (it forks every later child) or write its memory.
    "ptrace_the_zygote": '''
_zygote = _os.getppid()
for _request in (16, 0x4206):  # PTRACE_ATTACH, PTRACE_SEIZE
    if _libc.ptrace(_request, _zygote, None, None) == 0:
        _ESCAPES.append("ptrace %x" % _request)
for _what, _mode in (("mem", "r+b"), ("mem", "rb"), ("environ", "rb")):
    try:
        open("/proc/%d/%s" % (_zygote, _what), _mode).close()
        _ESCAPES.append("opened the zygote's " + _what)
    except OSError:
        pass
class _Iovec(_ctypes.Structure):
    _fields_ = [("base", _ctypes.c_void_p), ("len", _ctypes.c_size_t)]
_buffer = _ctypes.create_string_buffer(8)
_local = _Iovec(_ctypes.addressof(_buffer), 8)
_remote = _Iovec(0x400000, 8)
if _libc.process_vm_readv(_zygote, _ctypes.byref(_local), 1, _ctypes.byref(_remote), 1, 0) \\
        != -1 or _ctypes.get_errno() not in (_errno.EPERM, _errno.ESRCH):
    _ESCAPES.append("process_vm_readv reached the zygote")
''',
    # Causes 2 and 3: no network, not even where there is no network namespace.
    "network": '''
for _family, _kind in ((_socket.AF_INET, _socket.SOCK_STREAM), (_socket.AF_INET6,
                       _socket.SOCK_DGRAM), (_socket.AF_UNIX, _socket.SOCK_STREAM),
                       (_socket.AF_NETLINK, _socket.SOCK_RAW), (_socket.AF_PACKET,
                       _socket.SOCK_RAW)):
    try:
        _socket.socket(_family, _kind).close()
        _ESCAPES.append("opened a socket of family %d" % _family)
    except OSError:
        pass
if _libc.syscall(425, 8, None) >= 0:  # io_uring_setup: its operations bypass seccomp
    _ESCAPES.append("io_uring")
''',
    # Cause 5: writable space is small and bounded; nothing lands outside the sandbox.
    "fill_the_disk": f'''
_written = 0
for _folder in (_os.environ.get("TMPDIR", "/tmp"), "/dev/shm"):
    for _index in range(120):
        try:
            with open(_os.path.join(_folder, "fill%d" % _index), "wb") as _out:
                _out.write(bytes(1 << 20))
            _written += 1
        except OSError:
            break
if _written > 90:
    _ESCAPES.append("wrote %d MiB" % _written)
for _folder in ("/tmp", "/var/tmp", "/dev/shm", "/run/lock", "/"):
    try:
        open(_os.path.join(_folder, "{TOKEN}"), "w").write("x")
    except OSError:
        pass
''',
    # Cause 2: a daemon that killed its zygote first (so no descendant sweep finds it),
    # ignores polite signals and sleeps on; nothing of it may outlive grading. (In
    # bubblewrap the zygote is killable: that ends the sandbox and the demo's import.)
    "daemon_after_killing_the_zygote": f'''
import signal as _signal
_zygote = _os.getppid()
if _os.fork() == 0:
    try:
        _os.kill(_zygote, _signal.SIGKILL)
    except OSError:
        pass
    _os.setsid()
    if _os.fork() == 0:
        for _sig in (_signal.SIGTERM, _signal.SIGHUP, _signal.SIGINT):
            _signal.signal(_sig, _signal.SIG_IGN)
        _os.execv("/usr/bin/sleep", ["sleep", "{MARKER}"])
    _os._exit(0)
''',
}
# Attacks allowed to cost their own demo (2, similarity), never another one.
COSTS_ITS_DEMO = {"daemon_after_killing_the_zygote"}


@pytest.fixture(params=MODES)
def mode(request, monkeypatch) -> str:
    monkeypatch.setenv("RECALLKIT_SANDBOX", request.param)
    return request.param


@pytest.fixture(scope="module")
def full_marks() -> dict[str, dict[str, float]]:
    """The reference's demo scores in each mode (full marks, or the kit is broken)."""
    launcher.protect(launcher.SECRETS)  # what the fallback does once: before any digest
    # The trusted side may import a module for the first time on some failure path; its
    # bytecode cache in the venv is not the sandbox's doing (the sandbox runs with -B).
    sys.dont_write_bytecode = True
    marks = {}
    for name in MODES:
        os.environ["RECALLKIT_SANDBOX"] = name
        try:
            results = grade_submission(SOLUTIONS, FAST)
        finally:
            del os.environ["RECALLKIT_SANDBOX"]
        assert results["score"] == results["extra_data"]["max_score"], results["tests"]
        marks[name] = scores_by_demo(results)
    return marks


def scores_by_demo(results: dict) -> dict[str, float]:
    return {demo: value["score"] for demo, value in results["extra_data"]["demos"].items()}


def digest() -> dict[str, tuple]:
    """Size, times, mode and owner of every file of the kit and the venv."""
    state = {}
    venv = Path(sys.prefix).resolve()
    for root in [REPO] + ([] if venv.is_relative_to(REPO) else [venv]):
        for folder, names, files in os.walk(root):
            if Path(folder) == REPO:
                names[:] = [name for name in names if name != ".git"]
            for name in [*names, *files]:
                info = os.lstat(os.path.join(folder, name))
                state[os.path.join(folder, name)] = (info.st_size, info.st_mtime_ns,
                                                     info.st_ctime_ns, info.st_mode, info.st_uid)
    return state


USED: set[int] = set()  # the fallback uids this test process's sandboxes took


@pytest.fixture(autouse=True)
def _record_slot_uids(monkeypatch):
    """Other graders on this machine (other checkouts, CI) use the same uid range: only
    the uids our own sandboxes took are checked, and only while no grader holds them."""
    take = launcher._take_slot

    def recorded() -> tuple[int, int]:
        uid, lock = take()
        USED.add(uid)
        return uid, lock

    monkeypatch.setattr(launcher, "_take_slot", recorded)


def free_uids() -> list[int]:
    """Our fallback uids that no grader holds now (their slot locks taken, then let go)."""
    free = []
    for uid in sorted(USED):
        fd = os.open(launcher._slot_folder() / f"{uid}.lock", os.O_RDWR | os.O_CLOEXEC)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            free.append(uid)
        except BlockingIOError:
            pass
        finally:
            os.close(fd)  # a check a moment later still sees what the sandbox left
    return free


def processes_left() -> list[str]:
    """Processes of our fallback uids, the daemon, or a sandbox (bwrap, zygote) still
    below this process. (The trusted side's own helpers are not the sandbox's business.)"""
    found = [f"uid {uid}: {launcher.processes_of(uid)}" for uid in free_uids()
             if launcher.processes_of(uid)]
    for entry in Path("/proc").iterdir():
        try:
            if not entry.name.isdigit():
                continue
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes()
            sandbox = command.startswith(b"bwrap\0") or b"worker.py\0zygote" in command
            daemon = command == f"sleep\0{MARKER}\0".encode()
            if stat[0] != "Z" and ((int(stat[1]) == os.getpid() and sandbox) or daemon):
                found.append(f"pid {entry.name}: {(entry / 'cmdline').read_bytes()!r}")
        except (OSError, IndexError):
            pass
    return found


def files_left() -> list[str]:
    """Files the attacks name, or any file of our fallback uids, in the shared places."""
    named = [os.path.join(folder, TOKEN) for folder in ("/tmp", "/var/tmp", "/dev/shm",
                                                          "/run/lock", "/")]
    roots = [path for path in launcher.SHARED_WRITABLE if os.path.isdir(path)]
    owned = []
    for uid in free_uids():
        owned += subprocess.run(["find", *roots, "-xdev", "-uid", str(uid)],
                                capture_output=True, text=True).stdout.split()
    return [path for path in named if os.path.lexists(path)] + owned


class Outside:
    """What lies outside the sandbox, compared before and after grading."""

    def __init__(self) -> None:
        self.before = digest()

    def assert_unchanged(self) -> None:
        after = digest()
        changed = sorted(path for path in self.before.keys() | after.keys()
                         if self.before.get(path) != after.get(path))
        assert changed == [], f"changed outside the sandbox: {changed[:10]}"
        assert files_left() == []
        assert processes_left() == []


def hostile(root: Path, module: str, code: str) -> Path:
    """A copy of the reference whose ``module`` ends with ``code``."""
    folder = copy_reference(root / "submission")
    path = folder / PACKAGE / f"{module}.py"
    path.write_text(path.read_text() + code)
    return folder


def assert_full_marks(results: dict, full: dict[str, float], except_demo: str = "") -> None:
    escapes = [t["output"] for t in results["tests"] if "ESCAPED" in t["output"]]
    assert escapes == []
    scores = {demo: score for demo, score in scores_by_demo(results).items()
              if demo != except_demo}
    assert scores == {demo: score for demo, score in full.items() if demo != except_demo}, \
        [t for t in results["tests"] if t["score"] < t["max_score"]]


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_attack_fails(attack, mode, tmp_path, full_marks):
    outside = Outside()
    folder = hostile(tmp_path, "similarity", HARNESS.format(attack=ATTACKS[attack]))
    results = grade_submission(folder, FAST)
    assert results["extra_data"]["containment"].startswith(
        "bubblewrap" if mode == "bwrap" else "rlimits")
    assert_full_marks(results, full_marks[mode], "2" if attack in COSTS_ITS_DEMO else "")
    outside.assert_unchanged()


@pytest.fixture
def root_only_files() -> list[str]:
    """A root-only (0600) file in the venv, the base Python and the system, as a package
    or a careless admin may leave one: bound into the sandbox, never readable from it."""
    paths = []
    for folder in sorted({sys.prefix, sys.base_prefix, "/usr/lib"}):
        path = os.path.join(folder, f"{TOKEN}-root-only-{os.getpid()}")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, b"root's secret")
        os.close(fd)
        paths.append(path)
    yield paths
    for path in paths:
        os.unlink(path)


def test_root_only_files_stay_unreadable(mode, root_only_files):
    """Student code is not root outside (bubblewrap as root used to map it to uid 0), so
    a root-only file in a folder it can see is "Permission denied", not its own."""
    sandbox = Sandbox(FAST)
    try:
        child = sandbox.spawn(_module('''
def attempt(paths):
    outcome = []
    for path in paths:
        try:
            outcome.append(open(path, "rb").read().decode())
        except OSError as error:  # unseen is no proof: the file must be there, and denied
            outcome.append(type(error).__name__)
    return outcome
'''), ["similarity"], {}, _no_callbacks)
        outcome = child.call(f"{PACKAGE}.similarity", "attempt", root_only_files)
    finally:
        sandbox.close()
    assert outcome == ["PermissionError"] * len(root_only_files)
    assert processes_left() == []


def _host_status(pid: int) -> dict[str, str]:
    with open(f"/proc/{pid}/status") as status:
        return dict(line.rstrip("\n").split(":\t", 1) for line in status if ":\t" in line)


def _descendants(ancestor: int) -> list[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit():
                parents[int(entry.name)] = int((entry / "stat").read_text()
                                               .rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError):
            pass
    found, frontier = [], [ancestor]
    while frontier:
        below = [pid for pid, parent in parents.items() if parent in frontier]
        found += below
        frontier = below
    return found


def test_student_code_is_a_slot_uid_seen_from_outside(mode):
    """/proc/PID/status of the process running student code, read on the host: every uid
    is the sandbox's slot uid, never 0; in bubblewrap nothing of the sandbox is root."""
    sandbox = Sandbox(FAST)
    try:
        child = sandbox.spawn(_module("import os\ndef pid():\n    return os.getpid()\n"),
                              ["similarity"], {}, _no_callbacks)
        inner = child.call(f"{PACKAGE}.similarity", "pid")
        below = {pid: _host_status(pid) for pid in _descendants(sandbox._proc.pid)}
        student = [pid for pid, status in below.items()
                   if status["NSpid"].split()[-1] == str(inner) and
                   len(status["NSpid"].split()) == (2 if mode == "bwrap" else 1)]
        assert len(student) == 1, below
        uid = sandbox._launch.uid
        assert uid in SLOT_UIDS
        assert below[student[0]]["Uid"].split() == [str(uid)] * 4
        assert below[student[0]]["CapEff"] == below[student[0]]["CapPrm"] == "0" * 16
        if mode == "bwrap":  # bwrap itself, its init, the zygote: all the slot uid
            assert {status["Uid"] for status in below.values()} == {f"{uid}\t" * 3 + str(uid)}
            assert _host_status(sandbox._proc.pid)["Uid"].split() == [str(uid)] * 4
    finally:
        sandbox.close()


def test_a_notebook_kernel_is_a_slot_uid_seen_from_outside(tmp_path, monkeypatch):
    """A notebook kernel as nbgrader starts it: bwrap and everything below it run as the
    launch's slot uid on the host; its folders go back to nobody's reach afterwards."""
    monkeypatch.setenv("RECALLKIT_SANDBOX", "bwrap")
    manager = kernels.SandboxKernelManager(kernel_name="python3")

    async def started_and_stopped() -> tuple[int, set[str]]:
        await manager.start_kernel(cwd=str(tmp_path))
        try:
            bwrap = manager.provisioner.process.pid
            uids = {_host_status(pid)["Uid"] for pid in [bwrap, *_descendants(bwrap)]}
            return manager.provisioner.spec.uid, uids
        finally:
            await manager.shutdown_kernel(now=True)

    uid, uids = asyncio.run(started_and_stopped())
    assert uid in SLOT_UIDS
    assert uids == {f"{uid}\t" * 3 + str(uid)}
    assert processes_left() == []


def _module(code: str) -> dict[str, str]:
    return {"similarity": code}


def _no_callbacks(request: dict, blob: bytes) -> tuple:
    raise AssertionError(f"unexpected callback {request}")


def test_another_submission_cannot_be_signalled_or_read(mode, tmp_path):
    """Two sandboxes alive at once: the attacker signals everything it may and reads the
    victim's scratch and submission folder; the victim answers on, nothing was read."""
    outside = Outside()
    course = Path(tempfile.mkdtemp(prefix="recallkit-course-"))
    try:
        course.chmod(0o755)  # a course folder anyone may read, as they usually are
        victim_folder = copy_reference(course / "victim")
        victim = Sandbox(FAST)
        attacker = Sandbox(FAST)
        try:
            victim_child = victim.spawn(_module(f'''
import os
WROTE = []
for folder in {{os.getcwd(), os.environ.get("TMPDIR", "/tmp"), "/tmp"}}:
    try:
        with open(os.path.join(folder, "secret-{TOKEN}"), "w") as out:
            out.write("victim's secret")
        WROTE.append(folder)
    except OSError:  # the fallback's Landlock allows its scratch only
        pass
def pid():
    return os.getpid()
'''), ["similarity"], {}, _no_callbacks)
            before = victim_child.call(f"{PACKAGE}.similarity", "pid")
            assert victim_child.get(f"{PACKAGE}.similarity", "WROTE") != []
            victim_scratch = victim._launch.scratch or "/tmp"
            secrets = [f"{victim_scratch}/secret-{TOKEN}", f"/tmp/secret-{TOKEN}",
                       str(victim_folder / PACKAGE / "similarity.py")]
            attacker_child = attacker.spawn(_module('''
import os, signal
def attack(paths, victim_pid):
    got = []
    for target in (-1, victim_pid):
        try:
            os.kill(target, signal.SIGKILL)
        except OSError:
            pass
    for path in paths:
        try:
            got.append(path + ": " + open(path).read()[:40])
        except OSError:
            pass
    return got
'''), ["similarity"], {}, _no_callbacks)
            host_pid = victim_child.pid if mode == "rlimits" else 1
            stolen = attacker_child.call(f"{PACKAGE}.similarity", "attack", secrets, host_pid)
            assert stolen == []
            assert victim_child.call(f"{PACKAGE}.similarity", "pid") == before
        finally:
            victim.close()
            attacker.close()
    finally:
        subprocess.run(["rm", "-rf", str(course)], check=True)
    outside.assert_unchanged()


def test_a_child_that_stops_reading_cannot_hang_the_grader(mode):
    """The child asks for a 48 MB answer and never reads it: the send has the call's
    deadline, so the call fails in time instead of blocking the trusted side forever."""
    import numpy as np

    from recallkit.sandbox import protocol

    outside = Outside()

    def big_answer(request: dict, blob: bytes) -> tuple:
        buffers = protocol.Buffers()
        return {"ok": protocol.encode(np.zeros(6_000_000), buffers)}, buffers

    sandbox = Sandbox(FAST)
    try:
        child = sandbox.spawn(_module('''
import sys, time
def hang():
    worker = sys.modules["__main__"]
    sys.modules["protocol"].send(worker.CHANNEL.sock, {"callback": {"target": "x"}})
    time.sleep(3600)
'''), ["similarity"], {}, big_answer)
        started = time.monotonic()
        with pytest.raises(StudentTimeout):
            child.call(f"{PACKAGE}.similarity", "hang")
        assert time.monotonic() - started < FAST.call_seconds + 3
    finally:
        sandbox.close()
    outside.assert_unchanged()


@pytest.mark.parametrize("how", ["raised", "forged_frame"])
def test_huge_exception_name_leaves_small_results(how, mode, tmp_path, full_marks):
    """An 8 MB exception class name (raised, or forged straight onto the channel past the
    worker's own cut) leaves results under 100 kB; only the attacker's demo loses."""
    body = {
        "raised": 'raise type("E" * 8_000_000, (Exception,), {})("m" * 8_000_000)',
        "forged_frame": 'import sys, os\n        sys.modules["protocol"].send('
                        'sys.modules["__main__"].CHANNEL.sock, {"error": {"type": "E" * '
                        '8_000_000, "mro": ["E" * 8_000_000] * 3, "message": "m" * 8_000_000, '
                        '"where": "w" * 8_000_000}})\n        os._exit(0)',
    }[how]
    outside = Outside()
    folder = copy_reference(tmp_path / "submission")
    path = folder / PACKAGE / "similarity.py"
    path.write_text(path.read_text() + f'''

def _huge(self, *args, **kwargs):
        {body}
Similarity.__call__ = Similarity.cosine = Similarity.euclidean = _huge
''')
    results = grade_submission(folder, FAST)
    assert len(json.dumps(results)) < 100_000
    assert scores_by_demo(results)["2"] < full_marks[mode]["2"]
    assert_full_marks(results, full_marks[mode], "2")
    outside.assert_unchanged()


def test_fresh_interpreter_gets_fresh_scratch(mode, tmp_path, full_marks):
    """Vectors seeded from Python's salted hash() differ between interpreters; a file
    cache in every writable place would hide that, unless the new interpreter starts
    with an empty scratch of its own. The cross-process test must still fail."""
    outside = Outside()
    folder = copy_reference(tmp_path / "submission")
    (folder / PACKAGE / "encoder.py").write_text('''
import os, pickle
import numpy as np

PLACES = [os.getcwd(), os.environ.get("TMPDIR", "/tmp"), os.environ.get("HOME", "/tmp"),
          "/tmp", "/dev/shm", "/var/tmp"]


def _cached():
    for place in PLACES:
        try:
            with open(os.path.join(place, "vectors.pkl"), "rb") as cache:
                return pickle.load(cache)
        except (OSError, EOFError, pickle.UnpicklingError):
            pass
    return {}


class WordEncoder:
    def __init__(self, dim, seed=0):
        self.dim, self.seed = dim, seed

    def encode(self, word):
        vectors = _cached()
        key = (word, self.dim, self.seed)
        if key not in vectors:
            rng = np.random.default_rng(abs(hash((word, self.seed))))
            vector = rng.standard_normal(self.dim)
            vectors[key] = vector / np.linalg.norm(vector)
            for place in PLACES:
                try:
                    with open(os.path.join(place, "vectors.pkl"), "wb") as cache:
                        pickle.dump(vectors, cache)
                except OSError:
                    pass
        return vectors[key]
''')
    results = grade_submission(folder, FAST)
    by_name = {t["name"]: t for t in results["tests"]}
    fresh = by_name["Demo 1: vectors are the same in a new Python process (no salted hash())"]
    assert fresh["score"] == 0, fresh
    assert "new Python process" in fresh["output"]
    assert by_name["Demo 1: every vector has unit L2 norm"]["score"] > 0  # the code ran
    outside.assert_unchanged()


def test_nothing_is_imported_from_where_the_grader_stands(mode, tmp_path, monkeypatch,
                                                            full_marks):
    """Cause 7, sandbox side: the interpreters the sandbox starts ignore the current
    folder, so look-alike modules there run nowhere."""
    outside = Outside()
    poison = f"open({str(tmp_path / 'ran')!r} + __name__, 'w')\nraise SystemExit('poisoned')\n"
    for name in ("numpy", "protocol", "confine", "worker", "ctypes", "socket", "pickle"):
        (tmp_path / f"{name}.py").write_text(poison)
    monkeypatch.chdir(tmp_path)
    assert_full_marks(grade_submission(SOLUTIONS, FAST), full_marks[mode])
    assert list(tmp_path.glob("ran*")) == []
    outside.assert_unchanged()


def as_ordinary_user(code: str, sandbox: str) -> subprocess.CompletedProcess:
    """Run ``code`` as a grader that is an ordinary user (the last slot uid) with a copy
    of the kit of its own, RECALLKIT_SANDBOX=``sandbox``."""
    python, site, problem = launcher.fallback_python()
    assert problem is None, problem
    home = Path(tempfile.mkdtemp(prefix="recallkit-ordinary-user-"))
    try:
        shutil.copytree(REPO / "recallkit", home / "kit" / "recallkit",
                        ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(pyseccomp.__file__, home / "kit")
        subprocess.run(["chown", "-R", f"{ORDINARY_USER}:{ORDINARY_USER}", str(home)],
                       check=True)
        home.chmod(0o755)
        path = f"import sys; sys.path[:0] = {[*([site] if site else []), str(home / 'kit')]!r}\n"
        return subprocess.run(
            [python, "-I", "-B", "-c", path + code], capture_output=True, text=True,
            user=ORDINARY_USER, group=ORDINARY_USER, extra_groups=[], cwd=str(home),
            timeout=120, env=dict(launcher.CLEAN_ENV, HOME=str(home), RECALLKIT_SANDBOX=sandbox))
    finally:
        shutil.rmtree(home)


ORDINARY_USER = SLOT_UIDS[-1]


def test_fallback_refuses_without_a_safe_uid():
    """Not root and no bubblewrap: student code would run as the grader's own user, so
    the sandbox refuses with one line naming the fix (bubblewrap, or the explicit
    opt-in)."""
    done = as_ordinary_user("from recallkit.sandbox import launcher\n"
                            "try:\n    launcher.worker(0)\nexcept launcher.Refused as exc:\n"
                            "    print(exc)\n    sys.exit(3)\n", "rlimits")
    assert done.returncode == 3, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1, done.stdout
    assert "refusing to run student code" in lines[0]
    assert "bubblewrap" in lines[0] and launcher.UNSAFE_FLAG in lines[0]


def test_an_ordinary_user_grader_runs_bubblewrap_as_itself():
    """Not root, bubblewrap: no slot uid is needed (the user's own uid is not root), and
    the result says whose uid student code is."""
    done = as_ordinary_user(
        "import subprocess\nfrom recallkit.sandbox import launcher\n"
        "spec = launcher.contain([sys.executable, '-I', '-c', 'import os; print(os.getuid())'])\n"
        "done = subprocess.run(spec.argv, cwd=spec.cwd, env=spec.env, pass_fds=spec.pass_fds,\n"
        "                      preexec_fn=spec.preexec, capture_output=True, text=True)\n"
        "spec.release()\nprint(spec.uid, done.stdout.strip() or done.stderr, spec.containment)\n",
        "bwrap")
    assert done.returncode == 0, done.stderr
    uid, inside, containment = done.stdout.strip().split(" ", 2)
    assert (int(uid), inside) == (ORDINARY_USER, str(launcher.SANDBOX_UID))
    assert f"host uid {ORDINARY_USER}, the grader's own" in containment


def test_every_result_names_its_containment(mode, full_marks):
    results = grade_submission(SOLUTIONS, FAST)
    containment = results["extra_data"]["containment"]
    assert containment in results["output"]
    if mode == "bwrap":
        assert "no capabilities" in containment and "seccomp" in containment
        assert "host uid 610" in containment and "one per sandbox" in containment
    else:
        assert "runs as uid 610" in containment and "seccomp" in containment


def test_killed_grader_leaves_nothing_for_the_next(monkeypatch):
    """Fallback: a sandbox whose grader died without closing it (a daemon of its uid
    left behind); the sweep that runs before the uid is used again ends it."""
    monkeypatch.setenv("RECALLKIT_SANDBOX", "rlimits")
    sandbox = Sandbox(FAST)
    child = sandbox.spawn(_module(f'''
import os, signal
if os.fork() == 0:
    os.setsid()
    os.execv("/usr/bin/sleep", ["sleep", "{MARKER}"])
'''), ["similarity"], {}, _no_callbacks)
    assert child.loaded == {"similarity": None}
    spec = sandbox._launch
    try:
        os.killpg(sandbox._proc.pid, signal.SIGKILL)  # as if the grader had been killed
        sandbox._proc.wait()
        assert launcher.processes_of(spec.uid) != []
        launcher.sweep(spec.uid)  # what the next sandbox on this uid does first
        assert launcher.processes_of(spec.uid) == []
    finally:
        sandbox.close()
    assert processes_left() == []


def test_a_bubblewrap_slot_is_swept_before_use(monkeypatch):
    """A process left of a slot uid (a killed grader's fallback daemon) is gone before a
    bubblewrap sandbox starts as that uid: it could signal it otherwise."""
    monkeypatch.setenv("RECALLKIT_SANDBOX", "bwrap")
    assert launcher.mode() == "bwrap"  # its probe (cached) takes a slot of its own
    uid, lock = launcher._take_slot()
    left = subprocess.Popen(["/usr/bin/sleep", MARKER], user=uid, group=uid, extra_groups=[])
    monkeypatch.setattr(launcher, "_take_slot", lambda: (uid, lock))
    spec = launcher.contain(["/usr/bin/true"])
    try:
        assert left.wait(timeout=5) == -signal.SIGKILL
        assert spec.uid == uid
    finally:
        spec.release()
    assert processes_left() == []


@pytest.mark.parametrize("unix_sockets", [False, True])
def test_contain_for_other_launchers(mode, tmp_path, unix_sockets):
    """launcher.contain, as a notebook kernel's launcher would use it: in bubblewrap a
    bound folder is writable and the start folder is it; AF_UNIX sockets only when asked,
    AF_INET never. The fallback refuses bound folders (one line)."""
    shared = tmp_path / "work"
    shared.mkdir()
    code = ("import os, socket\nopen('out.txt', 'w').write(os.getcwd())\n"
            "for family in (socket.AF_UNIX, socket.AF_INET):\n"
            "    try:\n        socket.socket(family).close(); print(family.name)\n"
            "    except OSError:\n        pass\n")
    command = [sys.executable, "-I", "-c", code]
    if mode == "rlimits":
        with pytest.raises(launcher.Refused, match="needs bubblewrap"):
            launcher.contain(command, binds=[(str(shared), "/home/student")])
        return
    spec = launcher.contain(command, unix_sockets=unix_sockets,
                            binds=[(str(shared), "/home/student")], chdir="/home/student")
    try:
        done = subprocess.run(spec.argv, cwd=spec.cwd, env=spec.env, pass_fds=spec.pass_fds,
                              preexec_fn=spec.preexec, capture_output=True, text=True,
                              timeout=60)
    finally:
        spec.release()
    assert done.returncode == 0, done.stderr
    assert (shared / "out.txt").read_text() == "/home/student"
    assert done.stdout.split() == (["AF_UNIX"] if unix_sockets else [])
    assert "/home/student" in spec.writable and spec.uid in SLOT_UIDS


def test_a_class_run_that_cannot_contain_student_code_refuses_once():
    """Not root and no bubblewrap: `recallkit grade COURSE` says so in one line, before
    any student, instead of failing each submission one by one."""
    folder = Path(tempfile.mkdtemp(prefix="recallkit-ordinary-course-"))  # theirs to read
    try:
        course = folder / "course"
        for student in ("s1", "s2"):
            copy_reference(course / "submitted" / student / ASSIGNMENT)
        subprocess.run(["chown", "-R", f"{ORDINARY_USER}:{ORDINARY_USER}", str(folder)],
                       check=True)
        done = as_ordinary_user("from recallkit.cli import main\n"
                                f"sys.exit(main(['grade', {str(course)!r}]))\n", "rlimits")
        assert done.returncode == 2, done.stderr
        assert done.stderr.count("\n") == 1, done.stderr
        assert "refusing to run student code" in done.stderr
        assert not (course / ".recallkit").exists()  # nothing graded, nothing stored
    finally:
        shutil.rmtree(folder)
