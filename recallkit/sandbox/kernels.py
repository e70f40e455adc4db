"""Notebook kernels in the sandbox: how nbgrader's autograde starts a student's kernel.

nbgrader (trusted) executes a submitted notebook through jupyter_client. Here
the kernel is launched by a kernel provisioner (jupyter_client's hook for
starting kernels) inside bubblewrap, with the guarantees module code has:

- launcher.contain's bubblewrap sandbox: uid 65534 inside (a slot uid on the
  host when the grader is root: see launcher), no capabilities, no
  nested user namespaces, the seccomp filter, its own pid, network (loopback
  only), IPC and mount namespaces, a sized /tmp;
- a file system of the read-only system and Python only, plus a private copy
  of the notebook's folder (the student's working copy) at ``/home/student/``:
  the course, the suites, the reference, the gradebook, the results cache and
  classmates do not exist in it, and nbgrader's own folders cannot be touched;
- ZeroMQ over unix sockets (``transport="ipc"``) in a private folder bound into
  the sandbox: the kernel's network namespace holds only its own loopback, so
  nothing of the grader's, the machine's or the world's network is reachable.

Without bubblewrap a notebook kernel is refused (one line), never run unconfined.
"""

import functools
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute

from recallkit.nbgrader_plugin import MODULES_NOTEBOOK
from recallkit.sandbox.launcher import Launch, contain

# Where the working copy appears inside the sandbox (feedback shows paths relative to it).
STUDENT_HOME = "/home/student"
KERNEL_HOME = "/tmp/home"  # inside the sandbox's private /tmp
FONTS = "/tmp/matplotlib"  # the kernel's MPLCONFIGDIR: a copy of the grader's font list
FILE_BYTES = 256 << 20    # largest file a kernel may write
MEMORY_BYTES = 4 << 30    # address space of each process in it
CPU_SECONDS = 600         # CPU time of each process in it (cells also time out one by one)


def _limits(enter: Callable[[], None] | None) -> None:
    """Runs in the kernel's process before bwrap starts (inherited by everything in it),
    then ``enter``s the launch's confinement (Launch.preexec)."""
    # An interrupt (SIGINT to the process group) is for the kernel, which installs its
    # own handler while a cell runs; bwrap itself would die of it, and the kernel with it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_BYTES, FILE_BYTES))
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    if enter is not None:
        enter()


@functools.cache
def font_list() -> tuple[str, str]:
    """(file name, text) of matplotlib's font list, built once per grader process.

    A kernel without one scans the fonts (running fc-list) when it first imports
    pyplot: about 0.1 s of every notebook. Only fonts the sandbox shows at the same
    path are listed (the read-only system's and the interpreter's).
    """
    from matplotlib import font_manager

    fonts = font_manager.FontManager()
    visible = tuple(f"{folder}/" for folder in ("/usr", sys.prefix, sys.base_prefix))
    fonts.ttflist = [font for font in fonts.ttflist if font.fname.startswith(visible)]
    fonts.afmlist = [font for font in fonts.afmlist if font.fname.startswith(visible)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fontlist-v{font_manager.FontManager.__version__}.json"
        font_manager.json_dump(fonts, path)
        return path.name, path.read_text(encoding="utf-8")


class SandboxProvisioner(LocalProvisioner):
    """Launches the kernel inside bubblewrap (not root, no capabilities); unix sockets only."""

    private: Path | None = None
    spec: Launch | None = None

    async def pre_launch(self, **kwargs: Any) -> dict[str, Any]:
        # Private to the grader: sockets, connection file (it holds the signing key), copy.
        self.private = Path(tempfile.mkdtemp(prefix="recallkit-kernel-"))
        try:
            return await self._prepare(self.private, **kwargs)
        except BaseException:
            await self.cleanup()
            raise

    async def _prepare(self, private: Path, **kwargs: Any) -> dict[str, Any]:
        folder = Path(kwargs.get("cwd") or os.getcwd())
        work = f"{STUDENT_HOME}/{folder.name}"
        shutil.copytree(folder, private / "work", symlinks=True)
        channels = private / "ipc"
        channels.mkdir(mode=0o700)
        fonts = private / "matplotlib"  # the kernel's own copy: it may write there
        fonts.mkdir()
        name, text = font_list()
        (fonts / name).write_text(text, encoding="utf-8")

        km = self.parent
        km.transport = "ipc"
        km.cache_ports = False
        km.ip = str(channels / "kernel")
        km.connection_file = str(channels / "connection.json")
        kwargs = await super().pre_launch(**kwargs)

        # A home of its own under the private /tmp: IPython writes paths under HOME as "~",
        # which would hide a kit or venv that lives under /tmp from the feedback scrubber.
        settings = [f"HOME={KERNEL_HOME}", f"MPLCONFIGDIR={FONTS}"]
        if "NBGRADER_EXECUTION" in kwargs["env"]:  # notebooks may ask whether they are graded
            settings.append(f"NBGRADER_EXECUTION={kwargs['env']['NBGRADER_EXECUTION']}")
        command = ["/usr/bin/env", *settings, *kwargs["cmd"]]
        self.spec = contain(command, unix_sockets=True, own_network=True, new_session=False,
                            binds=[(str(channels), str(channels)), (str(private / "work"), work),
                                   (str(fonts), FONTS)],
                            chdir=work)
        kwargs.update(cmd=self.spec.argv, env=self.spec.env, cwd=str(private),
                      pass_fds=self.spec.pass_fds,
                      preexec_fn=functools.partial(_limits, self.spec.preexec),
                      # The kernel's own output would reach nbgrader's log unbounded:
                      # cell output travels over ZeroMQ anyway.
                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return kwargs

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        try:
            return await super().launch_kernel(cmd, **kwargs)
        finally:  # what only the new process needed (the seccomp filter's pipe)
            if self.spec is not None:
                self.spec.started()

    def seal_channels(self) -> None:
        """Once the kernel is ready, before any cell runs: its socket folder becomes the
        grader's, so student code cannot swap a socket for a symlink that the grader's
        ZeroMQ would follow when it reconnects. (A grader that is not root runs the kernel
        as itself: there the kernel could reach nothing more through it.)"""
        if self.private is not None and self.spec is not None and self.spec.uid != os.geteuid():
            channels = self.private / "ipc"
            os.chown(channels, os.geteuid(), os.getegid())
            channels.chmod(0o755)

    async def cleanup(self, restart: bool = False) -> None:
        await super().cleanup(restart)
        if self.spec is not None:
            self.spec.release()
            self.spec = None
        if self.private is not None:  # a restart makes a fresh copy
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
    A finished kernel is killed at once: a polite shutdown request costs 0.2-0.3 s
    of waiting per notebook, and nothing in the sandbox outlives it anyway. The
    modules notebook gets no kernel: its grade cells are filled from the module
    grader (GradeModules, next in the chain), so running them would compute nothing.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("kernel_manager_class", SandboxKernelManager)
        kwargs.setdefault("shutdown_kernel", "immediate")
        super().__init__(**kwargs)
        # nbclient's hook after the kernel is ready, before its first cell.
        self.on_notebook_start = lambda **_: self.km.provisioner.seal_channels()

    def preprocess(self, nb: NotebookNode, resources: Any = None,
                   km: Any = None) -> tuple[NotebookNode, Any]:
        if (resources or {}).get("nbgrader", {}).get("notebook") == MODULES_NOTEBOOK:
            return nb, resources
        return super().preprocess(nb, resources, km)
