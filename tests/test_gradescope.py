"""``recallkit gradescope``: the zip as Gradescope unpacks it, and its run_autograder on uploads.

The zip is built with the real command; each case unpacks it into a folder laid out like
Gradescope's ``/autograder`` and runs the real ``run_autograder`` with this interpreter
(``setup.sh`` is only checked: it needs apt and the network).
"""

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from recallkit.paths import GRADED_MODULES, PACKAGE, REPO, SOLUTIONS

VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}


def build(out: Path) -> bytes:
    subprocess.run([sys.executable, "-m", "recallkit.cli", "gradescope", "--out", str(out)],
                   cwd=REPO, check=True, capture_output=True, timeout=60)
    return out.read_bytes()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gradescope") / "autograder.zip"
    build(out)
    return out


class Autograder:
    """A folder laid out like Gradescope's /autograder, with the zip unpacked in source/."""

    def __init__(self, zip_path: Path, root: Path) -> None:
        self.root = root
        self.submission = root / "submission"
        self.results = root / "results" / "results.json"
        with zipfile.ZipFile(zip_path) as archive:
            archive.extractall(root / "source")
        # Gradescope copies run_autograder to /autograder and runs it from there.
        shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
        self.submission.mkdir()
        self.results.parent.mkdir()
        self.stdout = ""

    def run(self, **env: str) -> dict:
        variables = {**os.environ, "AUTOGRADER_ROOT": str(self.root),
                     "RECALLKIT_PYTHON": sys.executable, **env}
        done = subprocess.run(["bash", str(self.root / "run_autograder")], cwd=self.root,
                              env=variables, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        self.stdout = done.stdout
        results = json.loads(self.results.read_text())
        assert_gradescope_results(results)
        return results


@pytest.fixture
def autograder(built: Path, tmp_path: Path) -> Autograder:
    return Autograder(built, tmp_path / "autograder")


def assert_gradescope_results(results: dict) -> None:
    """The fields Gradescope reads, with the types its specification gives."""
    assert isinstance(results["score"], (int, float))
    assert isinstance(results["output"], str) and results["output"]
    assert results["stdout_visibility"] in VISIBILITY
    for test in results["tests"]:
        assert {"name", "number", "score", "max_score", "output", "visibility"} <= set(test)
        assert 0 <= test["score"] <= test["max_score"]
        assert test["visibility"] in VISIBILITY
    if results["tests"]:
        assert results["score"] == pytest.approx(sum(t["score"] for t in results["tests"]))


def full_marks(results: dict) -> bool:
    return results["score"] == results["extra_data"]["max_score"] > 0


# -- the zip ------------------------------------------------------------------------------------
def test_zip_is_byte_identical_when_rebuilt(built: Path, tmp_path: Path) -> None:
    assert build(tmp_path / "again.zip") == built.read_bytes()


def test_zip_layout(built: Path) -> None:
    with zipfile.ZipFile(built) as archive:
        infos = {info.filename: info for info in archive.infolist()}
    for script in ("setup.sh", "run_autograder"):
        assert stat.S_IMODE(infos[script].external_attr >> 16) == 0o755, script
    for name in ("pyproject.toml", "requirements-gradescope.txt", "autograder/conftest.py",
                 "recallkit/grading/runner.py", f"solutions/{PACKAGE}/softmax.py"):
        assert name in infos
    assert list(infos) == sorted(infos)
    for name in infos:
        parts = name.split("/")  # recallkit/release/ is the kit's module, release/ the students'
        assert parts[0] not in {"build", "release", "tests", "examples", "source"}, name
        assert not {".venv", "__pycache__", ".git"} & set(parts), name
        assert not name.endswith(".pyc"), name


def test_setup_script_is_bash_and_pins_the_lock(built: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(built) as archive:
        archive.extractall(tmp_path)
    subprocess.run(["bash", "-n", str(tmp_path / "setup.sh")], check=True)
    subprocess.run(["bash", "-n", str(tmp_path / "run_autograder")], check=True)
    setup = (tmp_path / "setup.sh").read_text()
    assert "--no-deps" in setup and "requirements-gradescope.txt" in setup
    lock = {line.split("==")[0].lower(): line
            for line in (REPO / "requirements.lock").read_text().splitlines() if "==" in line}
    pins = [line for line in (tmp_path / "requirements-gradescope.txt").read_text().splitlines()
            if line and not line.startswith("#")]
    assert {"numpy", "pytest", "hypothesis"} <= {pin.split("==")[0].lower() for pin in pins}
    assert "nbgrader" not in {pin.split("==")[0].lower() for pin in pins}
    for pin in pins:
        assert lock[pin.split("==")[0].lower()] == pin


# -- run_autograder on uploads ------------------------------------------------------------------
def test_reference_folder_upload_gets_full_marks(autograder: Autograder) -> None:
    shutil.copytree(SOLUTIONS / PACKAGE, autograder.submission / PACKAGE)
    results = autograder.run()
    assert full_marks(results), results
    assert "contained by:" in results["output"]
    # The grader that ran is the zip's, not this checkout's.
    assert f"recallkit grader at {autograder.root / 'source' / 'recallkit'}" in autograder.stdout


def test_reference_flat_upload_gets_full_marks(autograder: Autograder) -> None:
    for name in GRADED_MODULES:
        shutil.copy(SOLUTIONS / PACKAGE / f"{name}.py", autograder.submission)
    results = autograder.run()
    assert full_marks(results), results
    assert "top of your upload" in results["output"]


def test_zip_top_folder_found_and_symlinks_not_followed(autograder: Autograder) -> None:
    # A zip of a whole assignment folder, with macOS's resource-fork folder beside it.
    junk = autograder.submission / "__MACOSX" / "hw" / PACKAGE
    junk.mkdir(parents=True)
    (junk / "._encoder.py").write_bytes(b"\x00\x05\x16\x07")
    package = autograder.submission / "hw" / PACKAGE
    shutil.copytree(SOLUTIONS / PACKAGE, package)
    # A link to the reference inside source/ must not earn Demo 1's points.
    (package / "encoder.py").unlink()
    (package / "encoder.py").symlink_to(autograder.root / "source" / "solutions" / PACKAGE
                                        / "encoder.py")
    results = autograder.run()
    assert "hw/memory_attention/" in results["output"]
    assert "symbolic link" in results["output"]
    demo1 = [t for t in results["tests"] if t["number"].startswith("1.")]
    assert demo1 and all(t["score"] == 0 for t in demo1)
    assert results["extra_data"]["demos"]["3"]["score"] > 0


def test_empty_submission_scores_zero_with_a_message(autograder: Autograder) -> None:
    results = autograder.run()
    assert results["score"] == 0
    assert results["output"].startswith(f"No {PACKAGE}/ folder")
    assert results["tests"] and all(t["score"] == 0 for t in results["tests"])


@pytest.mark.parametrize("sandbox", ["auto", "rlimits"])
def test_submission_cannot_write_its_own_results(autograder: Autograder, sandbox: str) -> None:
    shutil.copytree(SOLUTIONS / PACKAGE, autograder.submission / PACKAGE)
    fake = json.dumps({"score": 1000, "tests": [], "output": "FAKE RESULTS"})
    attack = (f"import json as _json\nprint({fake!r})\n"
              f"for _path in [{str(autograder.results)!r}]:\n"
              "    try:\n"
              "        open(_path, 'w').write(" + repr(fake) + ")\n"
              "        open(_path + '.student-wrote-here', 'w').close()\n"
              "    except OSError:\n"
              "        pass\n")
    encoder = autograder.submission / PACKAGE / "encoder.py"
    encoder.write_text(attack + encoder.read_text())
    results = autograder.run(RECALLKIT_SANDBOX=sandbox)
    assert full_marks(results), results
    assert "FAKE" not in autograder.results.read_text()
    # Not even written: bubblewrap does not mount it, the fallback's uid may not write it.
    assert not Path(f"{autograder.results}.student-wrote-here").exists()


def test_grader_that_cannot_start_still_leaves_results(autograder: Autograder) -> None:
    autograder.results.write_text('{"score": 1000}')  # a stale or planted file
    results = autograder.run(RECALLKIT_PYTHON="/bin/false")
    assert results["score"] == 0 and results["tests"] == []
    assert "could not be graded" in results["output"]


def test_broken_suites_give_score_zero_with_the_reason(autograder: Autograder) -> None:
    shutil.copytree(SOLUTIONS / PACKAGE, autograder.submission / PACKAGE)
    (autograder.root / "source" / "autograder" / "conftest.py").write_text("import nothing_here\n")
    results = autograder.run()
    assert results["score"] == 0 and results["tests"] == []
    assert "internal error" in results["output"]
