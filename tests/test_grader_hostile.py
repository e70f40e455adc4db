"""Hostile and broken submissions: the affected demo scores 0 with a clear message,
every other demo keeps its points, and nothing escapes the sandbox.

Each case is a copy of the reference with one module replaced.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from recallkit.grading.runner import grade_submission
from recallkit.mistakes import copy_reference
from recallkit.paths import PACKAGE, SOLUTIONS
from recallkit.sandbox.session import Limits

# Short limits keep the hostile cases fast; the defaults are far more generous.
FAST = Limits(call_seconds=1.5, load_seconds=3.0, demo_seconds=4.0)
DEMOS_OF = {"encoder": ["1"], "similarity": ["2"], "softmax": ["3", "4"], "attention": ["5"]}
MARKER = "31337"  # the lingering process's sleep argument, to find it afterwards

# A module whose every public function runs `BODY` (placed in all four modules' shapes).
TEMPLATE = {
    "encoder": '''
import numpy as np
{prelude}
class WordEncoder:
    def __init__(self, dim, seed=0):
        self.dim = dim
    def encode(self, word):
        {body}
''',
    "similarity": '''
import numpy as np
{prelude}
class Similarity:
    def __init__(self, metric="cosine"):
        self.metric = metric
    def cosine(self, a, b):
        {body}
    def euclidean(self, a, b):
        {body}
    def __call__(self, a, b):
        {body}
''',
    "softmax": '''
import numpy as np
{prelude}
def stable_softmax(scores):
    {body}
def softmax(scores, temperature=1.0):
    {body}
''',
    "attention": '''
import numpy as np
{prelude}
class DotProductAttention:
    def __init__(self, temperature=1.0):
        self.temperature = temperature
    def attend(self, query, keys, values):
        {body}
''',
}

# Prelude defining STOLEN: the reference's functions, if any path to them is readable.
READ_REFERENCE = f'''
import os, glob
STOLEN = {{}}
paths = [f"/proc/{{os.getppid()}}/cwd/solutions", "/proc/1/cwd/solutions", "../../solutions",
         "{SOLUTIONS}", "/autograder/source/solutions"]
paths += glob.glob("/proc/*/cwd/solutions") + glob.glob("/proc/*/root{SOLUTIONS}")
for path in paths:
    try:
        exec(open(path + "/memory_attention/softmax.py").read(), STOLEN)
        break
    except Exception:
        pass
'''

# Prelude defining steal(): look for the grader's expected values in this process.
STACK_INSPECTION = '''
import gc, inspect
def steal(scores):
    for frame in inspect.stack():
        for name in ("want", "expected"):
            if name in frame.frame.f_locals:
                return frame.frame.f_locals[name]
    for obj in gc.get_objects():
        if isinstance(obj, dict) and "want" in obj:
            return obj["want"]
    return None
'''

CASES = {
    # name: (module, prelude, body, words expected in one of the demo's messages)
    "sys_exit_at_import": ("similarity", "import sys; sys.exit(0)", "return 0.0", "SystemExit"),
    "os_exit_at_import": ("softmax", "import os; os._exit(3)", "return scores", "status 3"),
    "sys_exit_in_call": ("encoder", "import sys", "sys.exit(1)", "SystemExit"),
    "os_exit_in_call": ("similarity", "import os", "os._exit(4)", "status 4"),
    "infinite_loop_at_import": ("attention", "while True: pass", "return None", "longer than"),
    "loop_ignoring_signals": (
        "encoder", "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
        "signal.signal(signal.SIGALRM, signal.SIG_IGN)\nsignal.signal(signal.SIGTERM, "
        "signal.SIG_IGN)", "while True: pass", "longer than"),
    "memory_hog": ("softmax", "", "return bytearray(50 * 2**30)", "MemoryError"),
    "keyboard_interrupt": ("attention", "", "raise KeyboardInterrupt", "KeyboardInterrupt"),
    "patched_numpy_testing": (
        "softmax", "import numpy.testing\n"
        "numpy.testing.assert_allclose = lambda *a, **k: None\n"
        "np.allclose = lambda *a, **k: True\nnp.isclose = lambda *a, **k: True",
        "return np.zeros(np.shape(scores))", "should"),
    "patched_builtins": (
        "encoder", "import builtins\nbuiltins.isinstance = lambda *a: True\n"
        "builtins.abs = lambda x: 0\nbuiltins.len = lambda x: 0",
        "return np.zeros(self.dim)", "builtins"),
    "always_equal_object": (
        "encoder", "class Eq:\n    __eq__ = lambda s, o: True\n    __array__ = None",
        "return Eq()", "not a number or an array"),
    "lying_ndarray_subclass": (
        "similarity", "class Liar(np.ndarray):\n    def __eq__(s, o): return True\n"
        "    def __float__(s): return 0.5\n    __array_priority__ = 1e9",
        "return np.full(1, 123.0).view(Liar)", "single number"),
    "stack_inspection": ("softmax", STACK_INSPECTION, "return steal(scores)", "numpy array"),
    "read_reference": ("softmax", READ_REFERENCE,
                       "return (STOLEN.get('stable_softmax') or (lambda s: None))(scores)",
                       "numpy array"),
    "print_fake_results": (
        "encoder", "import os, json\nprint(json.dumps({'score': 999, 'tests': []}))\n"
        "for p in ('/autograder/results', 'results', '.'):\n    try:\n        "
        "os.makedirs(p, exist_ok=True)\n        open(p + '/results.json', 'w').write("
        "json.dumps({'score': 999}))\n    except OSError:\n        pass",
        "print('{\"score\": 999}'); return None", "numpy array"),
    "flood_stdout": ("similarity", "import os, sys",
                     "while True: print('x' * 100000); os.write(1, b'y' * 100000)",
                     "longer than"),
    "lingering_child_new_session": (
        "attention", "import os\nif os.fork() == 0:\n    os.setsid()\n    "
        f"os.execv('/usr/bin/sleep', ['sleep', '{MARKER}'])",
        "return None", "tuple"),
    "nan_results": ("softmax", "", "return np.full(np.shape(scores), np.nan)", "NaN"),
    "huge_return_value": ("encoder", "", "return np.zeros(20_000_000)", "refused"),
}

SOURCE_CASES = {
    # name: (module, raw bytes of the module, words expected in the message)
    "syntax_error": ("similarity", b"def cosine(a, b)\n    return 1\n", "SyntaxError"),
    "import_error": ("attention", b"import numpy_that_does_not_exist\n", "ModuleNotFoundError"),
    "non_utf8_source": ("encoder", "x = 'caf\u00e9'\n".encode("latin-1"), "UTF-8"),
}


def make_submission(root: Path) -> Path:
    return copy_reference(root / "submission")


def scores_by_demo(results: dict) -> dict[str, float]:
    return {demo: value["score"] for demo, value in results["extra_data"]["demos"].items()}


@pytest.fixture(scope="module")
def full_marks() -> dict[str, float]:
    results = grade_submission(SOLUTIONS, FAST)
    assert results["score"] == results["extra_data"]["max_score"]
    return scores_by_demo(results)


def assert_only(results: dict, affected: list[str], words: str, full: dict,
                kept: float = 0.0) -> None:
    """Only the ``affected`` demos lose points: each keeps at most ``kept``."""
    scores = scores_by_demo(results)
    for demo, full_score in full.items():
        if demo in affected:
            assert scores[demo] <= kept, (demo, results["tests"])
        else:
            assert scores[demo] == full_score, (demo, [t for t in results["tests"]
                                                       if t["score"] < t["max_score"]])
    outputs = [t["output"] for t in results["tests"] if t["number"].split(".")[0] in affected]
    assert any(words in output for output in outputs), outputs


def lingering() -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "cmdline").read_bytes() == \
                    f"sleep\0{MARKER}\0".encode():
                found.append(int(entry.name))
        except OSError:
            pass
    return found


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_module(case, tmp_path, full_marks):
    module, prelude, body, words = CASES[case]
    folder = make_submission(tmp_path)
    text = TEMPLATE[module].format(prelude=prelude, body=body)
    (folder / PACKAGE / f"{module}.py").write_text(text)
    results = grade_submission(folder, FAST)
    assert_only(results, DEMOS_OF[module], words, full_marks)
    assert lingering() == [], "a process started by the submission outlived grading"


@pytest.mark.parametrize("case", sorted(SOURCE_CASES))
def test_broken_source(case, tmp_path, full_marks):
    module, raw, words = SOURCE_CASES[case]
    folder = make_submission(tmp_path)
    (folder / PACKAGE / f"{module}.py").write_bytes(raw)
    assert_only(grade_submission(folder, FAST), DEMOS_OF[module], words, full_marks)


def test_killing_every_process_in_the_sandbox(tmp_path, monkeypatch, full_marks):
    """kill(-1) reaches everything the student's process may signal: inside bubblewrap's
    pid namespace that is the sandbox only (never run this attack without it)."""
    monkeypatch.setenv("RECALLKIT_SANDBOX", "bwrap")
    folder = make_submission(tmp_path)
    (folder / PACKAGE / "similarity.py").write_text(TEMPLATE["similarity"].format(
        prelude="import os, signal", body="os.kill(-1, signal.SIGKILL); return 0.0"))
    # A child that outlives its own kill returns 0.0, which is symmetric, zero for equal
    # vectors and non-negative: that one property test (2 points) may pass, as it should.
    assert_only(grade_submission(folder, FAST), ["2"], "", full_marks, kept=2.0)


def test_missing_module(tmp_path, full_marks):
    folder = make_submission(tmp_path)
    (folder / PACKAGE / "similarity.py").unlink()
    assert_only(grade_submission(folder, FAST), ["2"], "missing", full_marks)


def test_symlink_to_reference_is_not_followed(tmp_path, full_marks):
    folder = make_submission(tmp_path)
    target = folder / PACKAGE / "softmax.py"
    target.unlink()
    target.symlink_to(SOLUTIONS / PACKAGE / "softmax.py")
    assert_only(grade_submission(folder, FAST), ["3", "4"], "symbolic link", full_marks)


def test_empty_submission(tmp_path, full_marks):
    results = grade_submission(tmp_path, FAST)
    assert results["score"] == 0
    assert all(f"no {PACKAGE}/ folder" in t["output"] for t in results["tests"])
    assert len(results["tests"]) > 20


def test_stray_files_change_nothing(tmp_path, full_marks):
    """numpy.py, json.py, conftest.py, pytest.ini and a malformed notebook beside the modules."""
    folder = make_submission(tmp_path)
    poison = "raise SystemExit('poisoned')\n"
    for name in ("numpy.py", "json.py", "conftest.py", f"{PACKAGE}/numpy.py",
                 f"{PACKAGE}/conftest.py"):
        (folder / name).write_text(poison)
    (folder / "pytest.ini").write_text("[pytest]\naddopts = --this-breaks-pytest\n")
    (folder / "01_encoder.ipynb").write_text("{ this is not a notebook")
    assert scores_by_demo(grade_submission(folder, FAST)) == full_marks


def test_cli_prints_one_json_object_despite_fake_output(tmp_path):
    module, prelude, body, _ = CASES["print_fake_results"]
    folder = make_submission(tmp_path)
    (folder / PACKAGE / f"{module}.py").write_text(
        TEMPLATE[module].format(prelude=prelude, body=body))
    done = subprocess.run([sys.executable, "-m", "recallkit.cli", "grade", str(folder), "--json"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)  # exactly one JSON object, nothing else
    assert results["score"] < results["extra_data"]["max_score"]
    assert results["extra_data"]["demos"]["1"]["score"] == 0
    assert not (tmp_path / "results.json").exists() and not (folder / "results.json").exists()


def test_rlimits_fallback_grades_and_says_so(tmp_path, monkeypatch, full_marks):
    """Without bubblewrap the grader still contains time and memory, and says which applied."""
    monkeypatch.setenv("RECALLKIT_SANDBOX", "rlimits")
    module, prelude, body, words = CASES["loop_ignoring_signals"]
    folder = make_submission(tmp_path)
    (folder / PACKAGE / f"{module}.py").write_text(
        TEMPLATE[module].format(prelude=prelude, body=body))
    results = grade_submission(folder, FAST)
    assert "rlimits" in results["extra_data"]["containment"]
    assert_only(results, ["1"], words, full_marks)


def test_bubblewrap_is_used_here():
    """make installs bubblewrap; the tests above must have run inside it."""
    results = grade_submission(SOLUTIONS, FAST)
    assert results["extra_data"]["containment"].startswith("bubblewrap"), results["output"]
    assert os.environ.get("RECALLKIT_SANDBOX", "auto") != "rlimits"
