"""Notebook kernels started by real nbgrader autograde run in the sandbox.

bob's submission adds a cell that attacks the grader (tests/tiny_course.py);
every attempt must fail, change no file and no grade, and leave nothing behind.
"""

import asyncio
import socket

import pytest
from jupyter_client.provisioning import KernelProvisionerFactory
from tiny_course import ALICE, ASSIGNMENT, NOTEBOOK, POINTS

from recallkit.sandbox import kernels
from recallkit.sandbox.launcher import SANDBOX_UID, Refused


def test_a_notebook_cell_reaches_nothing_outside_its_working_copy(tiny_course):
    outcome = tiny_course.attack_outcome()
    attempts = {name: result for name, result in outcome.items()
                if name not in ("uid", "capabilities", "writable here")}
    assert len(attempts) == 14
    assert {name: result for name, result in attempts.items()
            if not result.startswith("failed")} == {}
    assert outcome["uid"] == SANDBOX_UID
    # ...which is not root outside: a root-only file is not its own (test_containment.py
    # reads a kernel's uid from outside).
    assert attempts["read a root-only file in the venv"] == "failed: PermissionError"
    assert attempts["swap a kernel socket for a symlink"] == "failed: PermissionError"
    assert outcome["capabilities"] == "0000000000000000"
    assert outcome["writable here"].startswith("done")  # its own working copy only


def test_the_attack_changes_no_file_and_no_grade(tiny_course):
    root = tiny_course.root
    assert (root / ".recallkit" / ASSIGNMENT / "results" / "bob.json").read_text() \
        == '{"score": 0}'
    for folder in ("submitted", "autograded"):
        notebook = root / folder / "alice" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
        assert "forged" not in notebook.read_text()
    assert b"forged" not in (root / "gradebook.db").read_bytes()
    # alice keeps full marks; bob gets what his wrong answers earn: nothing.
    assert tiny_course.scores() == {"alice": {cell: float(points)
                                              for cell, points in POINTS.items()},
                                    "bob": dict.fromkeys(POINTS, 0.0)}
    with pytest.raises(BlockingIOError):  # nobody connected to the grader's port...
        tiny_course.listener.accept()
    with socket.create_connection(tiny_course.listener.getsockname(), timeout=5):
        tiny_course.listener.accept()[0].close()  # ...which the grader itself can reach


def test_the_working_copy_is_a_private_copy(tiny_course):
    # The kernel wrote scratch.txt in its working copy; nbgrader's folder never sees it.
    assert not (tiny_course.root / "autograded" / "bob" / ASSIGNMENT / "scratch.txt").exists()
    assert (tiny_course.root / "autograded" / "alice" / ASSIGNMENT / "mystats.py").read_text() \
        == ALICE["mystats"]
    assert tiny_course.leftovers == set()


def test_without_bubblewrap_no_kernel_starts(monkeypatch, tmp_path):
    monkeypatch.setenv("RECALLKIT_SANDBOX", "rlimits")  # as where bubblewrap cannot work
    manager = kernels.SandboxKernelManager(kernel_name="python3")
    with pytest.raises(Refused, match="needs bubblewrap"):
        asyncio.run(manager.start_kernel(cwd=str(tmp_path)))
    assert not manager.has_kernel
    assert manager.provisioner.private is None  # its private folder is gone again


def test_the_provisioner_is_registered_for_kernelspecs():
    factory = KernelProvisionerFactory.instance()
    assert factory._check_availability("recallkit-sandbox")
    assert factory.provisioners["recallkit-sandbox"].load() is kernels.SandboxProvisioner



def test_a_cell_that_runs_too_long_is_interrupted_and_the_kernel_goes_on(tiny_course):
    cells = tiny_course.autograded("bob").cells
    loop = next(cell for cell in cells if cell.source.startswith("while True"))
    errors = [output.ename for output in loop.outputs if output.output_type == "error"]
    assert errors == ["KeyboardInterrupt", "CellTimeoutError"]  # interrupted, not killed
    assert tiny_course.attack_outcome()  # the next cell ran in the same kernel


def test_a_kernel_draws_with_the_graders_font_list_instead_of_scanning_fonts(tmp_path):
    import nbformat
    from nbclient import NotebookClient

    cell = ("import logging, sys\n"
            "logging.basicConfig(level=logging.INFO, stream=sys.stdout)\n"
            "import matplotlib\n"
            "matplotlib.use('agg')\n"
            "import matplotlib.pyplot as plt\n"
            "plt.text(0.5, 0.5, 'recall')\n"
            "plt.savefig('drawn.png')\n"
            "print('cache:', matplotlib.get_cachedir())")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell)])
    NotebookClient(notebook, timeout=60, kernel_name="python3",
                   kernel_manager_class=kernels.SandboxKernelManager,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    output = "".join(part.get("text", "") for part in notebook.cells[0].outputs)
    assert f"cache: {kernels.FONTS}\n" in output, output
    assert "generated new fontManager" not in output  # matplotlib found its list: no scan
    assert "findfont" not in output  # and the listed fonts are where the sandbox has them
