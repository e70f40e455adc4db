"""Notebook kernels in the sandbox: how nbgrader's autograde starts a student's kernel.

nbgrader (trusted) executes a submitted notebook through jupyter_client. Here
the kernel is launched by a kernel provisioner (jupyter_client's hook for
starting kernels) inside bubblewrap, with the guarantees module code has:

- an unprivileged host user (nobody when the grader is root), no capabilities,
  no nested user namespaces, its own pid, network, IPC and mount namespaces;
- a file system of the read-only system and Python only, plus a private copy
  of the notebook's folder (the student's working copy) at ``/home/student/``:
  the course, the suites, the reference, the gradebook, the results cache and
  classmates do not exist in it, and nbgrader's own folders cannot be touched;
- ZeroMQ over unix sockets (``transport="ipc"``) in a private folder bound into
  the sandbox: the kernel has no network at all, loopback included.

Without bubblewrap a notebook kernel is refused (one line), never run unconfined.
"""

import os
import resource
import shutil
import signal
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from nbgrader.preprocessors import Execute

from recallkit.sandbox.launcher import CLEAN_ENV, _read_only_system, bwrap_works

# Where the working copy appears inside the sandbox (feedback shows paths relative to it).
STUDENT_HOME = "/home/student"
NO_BWRAP = ("notebook kernels run only in the sandbox and bubblewrap is missing or cannot "
            "create namespaces here: install the Debian package bubblewrap")
FILE_BYTES = 256 << 20  # largest file a kernel may write
TMP_BYTES = 256 << 20   # its private /tmp (RAM-backed: sized, not half of RAM)
SANDBOX_UID = 65534     # the kernel's uid inside (the grader's uid outside, no capability)


def _bwrap_argv(command: list[str], binds: list[str], chdir: str, env: dict[str, str]) -> list[str]:
    """bwrap around a kernel: every namespace, no capabilities, no nested user namespace."""
    setenv = [arg for key, value in env.items() for arg in ("--setenv", key, value)]
    # No --new-session: the kernel stays in bwrap's process group, where jupyter_client
    # sends the interrupt of a cell that ran out of time (there is no terminal to misuse).
    return ["bwrap", "--unshare-all", "--unshare-user", "--uid", str(SANDBOX_UID),
            "--gid", str(SANDBOX_UID), "--disable-userns", "--cap-drop", "ALL",
            "--die-with-parent", "--proc", "/proc", "--dev", "/dev",
            "--size", str(TMP_BYTES), "--tmpfs", "/tmp", *_read_only_system(), *binds,
            "--chdir", chdir, "--clearenv", *setenv, "--", *command]


def _limits() -> None:
    """Runs in the kernel's process before bwrap starts (inherited by everything in it)."""
    # An interrupt (SIGINT to the process group) is for the kernel, which installs its
    # own handler while a cell runs; bwrap itself would die of it, and the kernel with it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_BYTES, FILE_BYTES))


class SandboxProvisioner(LocalProvisioner):
    """Launches the kernel inside bubblewrap as an unprivileged user; talks over unix sockets."""

    private: Path | None = None

    async def pre_launch(self, **kwargs: Any) -> dict[str, Any]:
        if not bwrap_works():
            raise RuntimeError(NO_BWRAP)
        # Private to the grader: sockets, connection file (it holds the signing key), copy.
        self.private = Path(tempfile.mkdtemp(prefix="recallkit-kernel-"))
        channels = self.private / "ipc"
        channels.mkdir(mode=0o700)
        work = Path(STUDENT_HOME) / Path(kwargs.get("cwd") or os.getcwd()).name
        copy = self.private / "work"
        shutil.copytree(Path(kwargs.get("cwd") or os.getcwd()), copy, symlinks=True)

        km = self.parent
        km.transport = "ipc"
        km.cache_ports = False
        km.ip = str(channels / "kernel")
        km.connection_file = str(channels / "connection.json")
        kwargs = await super().pre_launch(**kwargs)

        env = dict(CLEAN_ENV)
        for key in ("NBGRADER_EXECUTION", "MPLBACKEND"):
            if key in kwargs["env"]:
                env[key] = kwargs["env"][key]
        binds = ["--bind", str(channels), str(channels), "--bind", str(copy), str(work)]
        kwargs["cmd"] = _bwrap_argv(kwargs["cmd"], binds, str(work), env)
        kwargs["env"] = {"PATH": CLEAN_ENV["PATH"]}
        kwargs["cwd"] = str(self.private)
        kwargs["preexec_fn"] = _limits
        # The kernel's own output would reach nbgrader's log unbounded: cell output
        # travels over ZeroMQ anyway.
        kwargs["stdout"] = kwargs["stderr"] = subprocess.DEVNULL
        return kwargs

    async def cleanup(self, restart: bool = False) -> None:
        await super().cleanup(restart)
        if not restart and self.private is not None:
            shutil.rmtree(self.private, ignore_errors=True)
            self.private = None


class SandboxKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels always start through ``SandboxProvisioner``."""

    async def _async_pre_start_kernel(self, **kw: Any) -> tuple[list[str], dict[str, Any]]:
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", None) or str(uuid.uuid4())
            self.provisioner = SandboxProvisioner(kernel_id=self.kernel_id,
                                                  kernel_spec=self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)


class SandboxedExecute(Execute):
    """nbgrader's Execute, with each notebook's kernel in the sandbox.

    (Execute passes ``kernel_manager_class`` as an argument, which beats a
    configured value, so the class is replaced in the autograde chain instead.)
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("kernel_manager_class", SandboxKernelManager)
        super().__init__(**kwargs)
