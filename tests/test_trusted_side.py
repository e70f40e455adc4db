"""Issue 8, the trusted side: hostile submissions graded for real (real sandbox, real
submission folders, the real ``recallkit grade`` CLI) cannot hang a class, shape what the
grader stores or prints, forge a cached grade, import code into the grader, make it do
unbounded work, or learn the hidden inputs.
"""

import csv
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from recallkit.grading.batch import Course, grade_class
from recallkit.grading.reference import TrustedHost
from recallkit.grading.runner import grade_submission
from recallkit.mistakes import copy_reference, make_mistake
from recallkit.paths import ASSIGNMENT, PACKAGE, RELEASE
from recallkit.sandbox import protocol
from recallkit.sandbox.session import Limits

RECALLKIT = Path(sys.executable).parent / "recallkit"  # the console script, as instructors run it
FAST = Limits(call_seconds=1.5, load_seconds=3.0, demo_seconds=4.0)  # full marks not needed
ESC = "\x1b"

# Demo 5 asks a stand-in for an 8 MB answer by writing the request frame itself, then never
# reads the channel again: the grader's send of the answer cannot complete.
NEVER_READS = '''
import sys, time
class DotProductAttention:
    def __init__(self, temperature=1.0):
        pass
    def attend(self, query, keys, values):
        from memory_attention.encoder import WordEncoder
        encoder = WordEncoder(1_000_000)
        worker = sys.modules["__main__"]
        worker.protocol.send(worker.CHANNEL.sock, {"callback": {
            "target": encoder.handle.ident, "method": "encode", "args": ["x"],
            "kwargs": {"__dict__": []}}})
        time.sleep(3600)
'''

# Demo 2 raises an exception whose class name is 8 MB and whose message draws a fake total.
HOSTILE_TEXT = '''
FAKE = "\\x1b[2J\\x1b[H\\x1b[32mtotal 65/65\\x1b[0m\\r"
Huge = type("E" * 8_000_000, (Exception,), {})
class Similarity:
    def __init__(self, metric="cosine"):
        raise Huge(FAKE)
'''

# Demo 2 reports the hidden inputs it is given, as a lookup-table builder would.
REPORTS_INPUTS = '''
import hashlib
class Similarity:
    def __init__(self, metric="cosine"):
        self.metric = metric
    def cosine(self, a, b):
        raise ValueError("seen " + hashlib.sha256(a.tobytes()).hexdigest()[:16])
'''

# Files that write a marker if the grader ever imports them.
PLANTED = ("bisect.py", "numpy.py", "recallkit/__init__.py", "recallkit/grading/__init__.py")


def submission(folder: Path, replace: dict[str, str] | None = None) -> Path:
    """The reference with the released stub of the mini-project (its experiment is the slow
    part of grading), then ``replace``'s modules."""
    copy_reference(folder)
    shutil.copy(RELEASE / ASSIGNMENT / PACKAGE / "recall.py", folder / PACKAGE / "recall.py")
    for module, text in (replace or {}).items():
        (folder / PACKAGE / f"{module}.py").write_text(text)
    return folder


def course_with(root: Path, students: dict[str, dict[str, str]]) -> Course:
    for student, replace in students.items():
        submission(root / "submitted" / student / ASSIGNMENT, replace)
    return Course(root, root / "submitted", ASSIGNMENT)


def plant(folder: Path, marker: Path) -> None:
    for name in PLANTED:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(f"open({str(marker)!r}, 'a').write({name!r})\n")


def full(result: dict, but: tuple[str, ...] = ()) -> bool:
    """Graded, with full marks in every demo but the mini-project (a stub) and ``but``."""
    return "error" not in result["extra_data"] and len(result["tests"]) > 0 and all(
        t["score"] == t["max_score"] for t in result["tests"]
        if t["number"].split(".")[0] not in ("6", *but))


def test_never_reading_child_costs_only_its_own_grade(tmp_path):
    # One job at a time and the hostile student first: the classmates can only be graded
    # once it has been stopped.
    course = course_with(tmp_path, {"anna": {"attention": NEVER_READS}, "bob": {}, "carl": {}})
    budget = 20.0  # each submission on its own; the innocent ones need a few seconds
    started = time.monotonic()
    results = grade_class(course, jobs=1, progress=False, budget_seconds=budget)
    elapsed = time.monotonic() - started
    assert full(results["bob"]) and full(results["carl"]), (results["bob"], results["carl"])
    anna = results["anna"]
    assert anna["score"] < results["bob"]["score"]
    if "error" not in anna["extra_data"]:  # stopped by the sandbox's own send deadline
        assert anna["extra_data"]["demos"]["5"]["score"] == 0
    assert elapsed < budget + 60, elapsed


def test_a_submission_over_its_budget_is_stopped_alone(tmp_path):
    """The backstop whatever hangs a grading process: it is stopped at its own budget, the
    reason is recorded, and the submission is graded again on the next run."""
    course = course_with(tmp_path, {"dora": {}})
    started = time.monotonic()
    dora = grade_class(course, jobs=1, progress=False, budget_seconds=0.5)["dora"]
    assert time.monotonic() - started < 30
    assert dora["extra_data"]["error"] == "grading did not finish in time" and dora["score"] == 0
    assert "fingerprint" not in dora["extra_data"]  # not cached: graded again next run
    assert full(grade_class(course, jobs=1, progress=False)["dora"])


def test_forged_or_edited_cache_is_regraded(tmp_path):
    course = course_with(tmp_path, {"eve": {}})
    make_mistake(course.submission("eve"), "no_max_subtraction")
    honest = grade_class(course, jobs=1, progress=False)["eve"]
    assert 0 < honest["score"] < honest["extra_data"]["max_score"]
    key = course.key_file
    assert key.stat().st_mode & 0o777 == 0o600 and key.parent.stat().st_mode & 0o777 == 0o700
    stored = course.results_dir / "eve.json"

    def forge(edit) -> dict:
        result = json.loads(stored.read_text())
        edit(result)
        stored.write_text(json.dumps(result))
        return grade_class(course, jobs=1, progress=False)["eve"]

    def full_marks(result: dict) -> None:  # keeps the grader's signature: no longer matches
        result["score"] = result["extra_data"]["max_score"]

    def unsigned(result: dict) -> None:
        full_marks(result)
        del result["extra_data"]["signature"]

    for edit in (full_marks, unsigned):
        regraded = forge(edit)
        assert regraded["score"] == honest["score"], edit.__name__
        assert json.loads(stored.read_text())["score"] == honest["score"]
    # Untouched, it is reused as it is (not regraded).
    before = stored.stat().st_mtime_ns
    assert grade_class(course, jobs=1, progress=False)["eve"] == \
        json.loads(stored.read_text())
    assert stored.stat().st_mtime_ns == before


def test_pool_that_cannot_start_says_so_at_once(tmp_path):
    """A grading process that would not have the grader preloaded is refused before any
    grading (in its own interpreter: the forkserver outlives a call)."""
    course_with(tmp_path, {"bob": {}})
    code = ("import sys\nfrom pathlib import Path\nfrom recallkit.grading import batch\n"
            "batch.PRELOAD = 'recallkit.no_such_module'\n"
            "batch.grade_class(batch.find_course(Path(sys.argv[1]), sys.argv[2]), 1, "
            "progress=False)\n")
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-I", "-c", code, str(tmp_path), ASSIGNMENT],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode != 0
    assert "RuntimeError: the grading processes would import" in done.stderr, done.stderr
    assert time.monotonic() - started < 60
    assert not (tmp_path / ".recallkit" / ASSIGNMENT / "results" / "bob.json").exists()


@pytest.fixture(scope="module")
def class_run(tmp_path_factory) -> dict:
    """``recallkit grade .`` run in a course root that holds a results folder and files
    that would run if imported; one student id is a formula, one raises hostile text."""
    root = tmp_path_factory.mktemp("course")
    marker = root.parent / f"{root.name}-imported"
    course_with(root, {"=cmd": {}, "loud": {"similarity": HOSTILE_TEXT}})
    (root / ".recallkit" / ASSIGNMENT / "results").mkdir(parents=True)
    plant(root, marker)
    done = subprocess.run([str(RECALLKIT), "grade", ".", "--no-notebooks", "--jobs", "2",
                           "--quiet"], cwd=root, capture_output=True, text=True, timeout=600)
    return {"root": root, "marker": marker, "done": done}


def test_class_graded_from_course_root_imports_nothing_from_it(class_run):
    done, root = class_run["done"], class_run["root"]
    assert done.returncode == 0, done.stderr
    assert not class_run["marker"].exists(), class_run["marker"].read_text()
    stored = json.loads((root / ".recallkit" / ASSIGNMENT / "results" / "=cmd.json").read_text())
    assert full(stored)


def test_formula_student_id_is_neutralised_in_csv(class_run):
    text = (class_run["root"] / f"grades_{ASSIGNMENT}.csv").read_text()
    rows = {row["student_id"]: row for row in csv.DictReader(text.splitlines())}
    assert set(rows) == {"'=cmd", "loud"}
    assert not any(line.startswith("=") for line in text.splitlines())


def test_huge_exception_name_leaves_small_results(class_run):
    results = class_run["root"] / ".recallkit" / ASSIGNMENT / "results"
    loud = results / "loud.json"
    assert loud.stat().st_size < 100_000
    stored = json.loads(loud.read_text())
    assert stored["extra_data"]["demos"]["2"]["score"] == 0 and full(stored, but=("2",))
    assert "EEEE" in json.dumps(stored)  # the student still learns what was raised
    feedback = class_run["root"] / "feedback" / "loud" / ASSIGNMENT / "modules_feedback.html"
    assert feedback.stat().st_size < 100_000
    assert ESC not in class_run["done"].stdout


def test_single_submission_graded_from_inside_it(tmp_path):
    """Run from inside the submission folder (planted files and a recallkit/ folder there);
    the feedback's ANSI escapes do not reach the terminal raw and cannot fake the total."""
    folder = submission(tmp_path / "sub", {"similarity": HOSTILE_TEXT})
    marker = tmp_path / "imported"
    plant(folder, marker)
    done = subprocess.run([str(RECALLKIT), "grade", "."], cwd=folder, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert not marker.exists(), marker.read_text()
    assert ESC not in done.stdout and "\r" not in done.stdout
    assert "total 40/65" in done.stdout.splitlines()[-1]  # demo 2 and the stub lose 10 + 15
    assert len(done.stdout) < 100_000


def test_stand_in_refuses_huge_arguments_fast_and_small():
    host = TrustedHost({"encoder": None}, FAST)
    started = time.monotonic()
    reply, _ = host({"target": f"{PACKAGE}.encoder.WordEncoder", "args": [250_000_000]}, b"")
    assert time.monotonic() - started < 5
    assert reply["error"]["type"] == "ValueError"
    assert "larger than the grader's stand-in accepts" in reply["error"]["message"]
    # A legal encoder still works through the same helper.
    made, _ = host({"target": f"{PACKAGE}.encoder.WordEncoder", "args": [8]}, b"")
    assert "ok" in made, made
    host.close()


def stand_in_request(target: str, *args: object) -> tuple[dict, bytes]:
    buffers = protocol.Buffers()
    request = {"target": target, "args": protocol.encode(list(args), buffers)}
    return request, b"".join(buffers.chunks)


def test_stand_in_runs_under_the_students_memory_and_time():
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    scores = np.linspace(0, 1, 4_000_000)  # an allowed size: 32 MB, and its softmax more
    small = TrustedHost({"softmax": None}, Limits(memory_bytes=4 << 20))
    reply, _ = small(*stand_in_request(f"{PACKAGE}.softmax.stable_softmax", scores))
    assert reply["error"]["type"] == "MemoryError", reply
    small.close()
    slow = TrustedHost({"softmax": None}, Limits(call_seconds=0.005))  # not answered in 5 ms
    reply, _ = slow(*stand_in_request(f"{PACKAGE}.softmax.stable_softmax", scores))
    assert reply["error"]["type"] == "TimeoutError", reply
    assert "took longer than" in reply["error"]["message"]
    again, _ = slow(*stand_in_request(f"{PACKAGE}.softmax.stable_softmax", scores[:3]))
    assert again["error"]["type"] == "TimeoutError"  # the stand-ins are gone for this child
    slow.close()
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak < 200 * 1024


def test_stand_in_call_does_not_grow_the_grader(tmp_path):
    """A student's huge WordEncoder through the stand-in: refused fast, the grader stays small."""
    attention = ('class DotProductAttention:\n    def __init__(self, temperature=1.0):\n'
                 '        pass\n    def attend(self, query, keys, values):\n'
                 '        from memory_attention.encoder import WordEncoder\n'
                 '        return WordEncoder(250_000_000).encode("x")\n')
    folder = submission(tmp_path / "sub", {"attention": attention})
    code = ("import json, resource, sys\nfrom recallkit.grading.runner import grade_submission\n"
            "from recallkit.sandbox.session import Limits\n"
            f"r = grade_submission(sys.argv[1], Limits(**{FAST.__dict__!r}))\n"
            "print(json.dumps([resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, r]))")
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-I", "-c", code, str(folder)], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    peak_kib, result = json.loads(done.stdout)
    assert time.monotonic() - started < 60
    assert peak_kib < 600 * 1024, peak_kib  # the grader itself; 250M floats would be 2 GB
    outputs = [t["output"] for t in result["tests"] if t["number"].startswith("5.")]
    assert any("stand-in accepts" in output for output in outputs), outputs


def test_lookup_table_cannot_learn_the_hidden_inputs(tmp_path):
    """The inputs a submission sees are the same on every run of that submission, and new
    as soon as it changes: what one submission learns is useless to the next."""
    def seen(folder: Path) -> list[str]:  # the inputs of the check against the reference
        tests = grade_submission(folder, FAST)["tests"]
        return [t["output"] for t in tests if t["name"].endswith("on random vectors")]

    folder = submission(tmp_path / "sub", {"similarity": REPORTS_INPUTS})
    first = seen(folder)
    assert "seen " in first[0] and seen(folder) == first
    (folder / PACKAGE / "similarity.py").write_text(REPORTS_INPUTS + "# learnt a table\n")
    changed = seen(folder)
    assert "seen " in changed[0] and changed != first


def test_grading_secret_is_private_and_not_released():
    from recallkit.grading.secret import SECRET_FILE, ensure_secret
    from recallkit.paths import RELEASE

    secret = ensure_secret()
    assert SECRET_FILE.stat().st_mode & 0o777 == 0o600
    for path in RELEASE.rglob("*"):
        assert not path.is_file() or secret not in path.read_bytes(), path
    assert shutil.which("git") is None or subprocess.run(
        ["git", "check-ignore", "-q", str(SECRET_FILE)], cwd=SECRET_FILE.parent).returncode == 0

