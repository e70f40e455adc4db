"""A tiny nbgrader course graded for real: one notebook with hidden tests, two students.

alice answers everything right. bob answers wrong (so hidden tests fail with
tracebacks into his own module and into numpy) and adds a cell that attacks the
grader: it tries to read the suites, the reference, the source notebook and the
gradebook, to write the gradebook, the results cache and alice's folders, and to
open sockets, and prints what each attempt achieved. The course runs with the
repository's nbgrader config, so notebook kernels start in the sandbox.
"""

import json
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

from recallkit.authoring.cells import code, notebook, solution, tests
from recallkit.paths import AUTOGRADER, REPO, SOLUTIONS
from recallkit.release.pipeline import run_nbgrader

ASSIGNMENT = "tiny"
NOTEBOOK = "answers"
POINTS = {"answer_test": 2, "helper_test": 1, "matrix_test": 1}
ALICE = {"answer": "answer = 42\nmatrix = np.eye(2)",
         "mystats": "def total(values):\n    return sum(values)\n"}
BOB = {"answer": "answer = 41\nmatrix = np.zeros((2, 2))",
       "mystats": "def total(values):\n    return values.sum()  # a list has no .sum\n"}
ATTACK_MARK = "ATTACK:"
TIMEOUT = 5  # seconds per cell

# Each entry: what the attacking cell tries, as a Python expression run inside the kernel.
ATTACK = '''
import json, os, socket
# Where the grader's files are (the attacker learnt them somehow; not in this cell's text).
globals().update(json.load(open("targets.json")))
def attempt(action):
    try:
        return "done: " + repr(action())[:80]
    except BaseException as exc:
        return f"failed: {type(exc).__name__}"
def write(path):
    with open(path, "a") as f:
        return f.write("forged")
def remount(path):
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.mount(None, path.encode(), None, 32 | 4096, None) != 0:  # MS_REMOUNT | MS_BIND
        raise OSError(ctypes.get_errno(), "mount")
    return write(path + "/forged")
def swap_socket():  # for a symlink the grader's ZeroMQ would follow when it reconnects
    from ipykernel.connect import get_connection_file
    folder = os.path.dirname(get_connection_file())
    sock = sorted(name for name in os.listdir(folder) if name.startswith("kernel-"))[0]
    os.unlink(os.path.join(folder, sock))
    os.symlink("/run/elsewhere.sock", os.path.join(folder, sock))
def connect(family, address):
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.settimeout(2)
        s.connect(address)
        return "connected"
outcome = {name: attempt(action) for name, action in {
    "read suites": lambda: os.listdir(SUITES),
    "read reference": lambda: os.listdir(REFERENCE),
    "read source notebook": lambda: open(SOURCE_NB).read(),
    "read gradebook": lambda: open(GRADEBOOK, "rb").read(10),
    "write gradebook": lambda: write(GRADEBOOK),
    "write cache": lambda: write(CACHE),
    "write classmate submission": lambda: write(CLASSMATE),
    "write classmate autograded": lambda: write(CLASSMATE_GRADED),
    "list course": lambda: os.listdir(COURSE),
    "tcp to grader": lambda: connect(socket.AF_INET, ("127.0.0.1", PORT)),
    "tcp out": lambda: connect(socket.AF_INET, ("1.1.1.1", 53)),
    "remount the system writable": lambda: remount("/usr"),
    "read a root-only file in the venv": lambda: open(ROOT_ONLY).read(),
    "swap a kernel socket for a symlink": swap_socket,
}.items()}
outcome["uid"] = os.getuid()
outcome["capabilities"] = [line.split()[1] for line in open("/proc/self/status")
                           if line.startswith("CapEff")][0]
outcome["writable here"] = attempt(lambda: write("scratch.txt"))
print("ATTACK:" + json.dumps(outcome))
'''


@dataclass
class TinyCourse:
    root: Path
    listener: socket.socket  # a TCP port on the grader's loopback the attack tries to reach
    leftovers: set[Path]     # kernels' private folders still there after grading

    def feedback(self, student: str) -> Path:
        return self.root / "feedback" / student / ASSIGNMENT / f"{NOTEBOOK}.html"

    def autograded(self, student: str) -> nbformat.NotebookNode:
        path = self.root / "autograded" / student / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
        return nbformat.read(path, as_version=4)

    def attack_outcome(self) -> dict:
        for cell in self.autograded("bob").cells:
            for output in cell.get("outputs", []):
                if output.get("name") == "stdout" and ATTACK_MARK in output.text:
                    return json.loads(output.text.split(ATTACK_MARK, 1)[1])
        raise AssertionError("the attacking cell printed nothing")

    def scores(self) -> dict[str, dict[str, float]]:
        """student -> grade cell -> autograded score, read from nbgrader's gradebook."""
        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{self.root / 'gradebook.db'}") as gb:
            return {student: {cell: gb.find_grade(cell, NOTEBOOK, ASSIGNMENT, student).score
                              for cell in POINTS}
                    for student in ("alice", "bob")}


def source_notebook() -> nbformat.NotebookNode:
    return notebook([
        code("setup", "import numpy as np"),
        solution("answer", "### BEGIN SOLUTION\nanswer = 42\nmatrix = np.eye(2)\n"
                           "### END SOLUTION"),
        tests("answer_test", """
            assert isinstance(answer, int), "answer must be a whole number"
            ### BEGIN HIDDEN TESTS
            expected_secret_value = 6 * 7
            assert answer == expected_secret_value
            ### END HIDDEN TESTS
            """, points=POINTS["answer_test"]),
        tests("helper_test", """
            ### BEGIN HIDDEN TESTS
            import mystats
            hidden_probe_total = mystats.total([1, 2, 3])
            assert hidden_probe_total == 6, "total of the hidden probe"
            ### END HIDDEN TESTS
            """, points=POINTS["helper_test"]),
        tests("matrix_test", """
            ### BEGIN HIDDEN TESTS
            inverse_of_secret = np.linalg.inv(matrix)
            assert np.allclose(inverse_of_secret @ matrix, np.eye(2))
            ### END HIDDEN TESTS
            """, points=POINTS["matrix_test"]),
    ])


def _submit(root: Path, student: str, answers: dict[str, str], *extra_cells: str) -> Path:
    folder = root / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    nb = nbformat.read(root / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "answer":
            cell.source = answers["answer"]
    for source in extra_cells:
        nb.cells.append(nbformat.v4.new_code_cell(source))
    nbformat.write(nb, folder / f"{NOTEBOOK}.ipynb")
    (folder / "mystats.py").write_text(answers["mystats"])
    return folder


def build(root: Path) -> TinyCourse:
    """Release, submit and autograde (with feedback) the tiny course in ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    config = (REPO / "nbgrader_config.py").read_text()
    timeout = f"get_config().Execute.timeout = {TIMEOUT}\n"
    (root / "nbgrader_config.py").write_text(f"{config}\n{timeout}")
    (root / "source" / ASSIGNMENT).mkdir(parents=True)
    nbformat.write(source_notebook(), root / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb")
    run_nbgrader(root, "generate_assignment", ASSIGNMENT, "--force")
    _submit(root, "alice", ALICE)
    cache = root / ".recallkit" / ASSIGNMENT / "results" / "bob.json"
    cache.parent.mkdir(parents=True)
    cache.write_text('{"score": 0}')
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setblocking(False)
    targets = {
        "SUITES": AUTOGRADER, "REFERENCE": SOLUTIONS, "COURSE": root,
        "SOURCE_NB": root / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb",
        "GRADEBOOK": root / "gradebook.db", "CACHE": cache,
        "CLASSMATE": root / "submitted" / "alice" / ASSIGNMENT / f"{NOTEBOOK}.ipynb",
        "CLASSMATE_GRADED": root / "autograded" / "alice" / ASSIGNMENT / f"{NOTEBOOK}.ipynb",
        "PORT": listener.getsockname()[1],
        # In the venv, which the kernel sees; made below, for the autograde run only.
        "ROOT_ONLY": Path(sys.prefix) / f"root-only-{os.getpid()}",
    }
    # The loop runs out of time first: the attack then proves the kernel survived it.
    folder = _submit(root, "bob", BOB, "while True:\n    pass", ATTACK)
    (folder / "targets.json").write_text(json.dumps(
        {name: value if isinstance(value, int) else str(value) for name, value in targets.items()}))
    # Kernels make their private folders in nbgrader's TMPDIR: one of this course's own,
    # so that kernels of other runs on the machine do not count.
    kernel_tmp = root.parent / "kernel-tmp"
    kernel_tmp.mkdir()
    saved = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(kernel_tmp)
    os.close(os.open(targets["ROOT_ONLY"], os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        run_nbgrader(root, "autograde", ASSIGNMENT, "--force")
    finally:
        targets["ROOT_ONLY"].unlink()
        if saved is None:
            del os.environ["TMPDIR"]
        else:
            os.environ["TMPDIR"] = saved
    leftovers = set(kernel_tmp.iterdir())
    run_nbgrader(root, "generate_feedback", ASSIGNMENT, "--force")
    return TinyCourse(root, listener, leftovers)
