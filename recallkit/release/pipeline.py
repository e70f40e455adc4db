"""``recallkit release``: build the student version in ``release/attention_memory/``.

The real ``nbgrader generate_assignment`` turns the source notebooks into the
student notebooks; the stub package is written from the reference modules
(``stubs.py``) and a ``requirements.txt`` for the student environment is added.
Everything is built in a temporary course root first, so a failed or leaky
build never touches ``release/``.
"""

import argparse
import filecmp
import os
import re
import shutil
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

from packaging.utils import canonicalize_name
from packaging.version import Version

from recallkit.grading.secret import ensure_secret
from recallkit.paths import ASSIGNMENT, PACKAGE, RELEASE, REPO, SOLUTIONS, SOURCE
from recallkit.release.leaks import Leak, find_leaks
from recallkit.nbgrader_run import nbgrader
from recallkit.release.stubs import StubError, write_stub_package

LOCK = REPO / "requirements.lock"
# What a student needs, with the oldest version the kit supports; the upper
# bound follows the major version pinned in requirements.lock.
STUDENT_PACKAGES = (("numpy", "2"), ("matplotlib", "3.8"), ("notebook", "7"))


class ReleaseError(RuntimeError):
    """The release cannot be built; the message says why and what to do."""


def check_source(source: Path) -> list[Path]:
    """The source notebooks, after checking that the folder holds nothing else to hide.

    Args:
        source: the assignment's source folder, e.g. ``source/attention_memory``.

    Returns:
        the notebooks, sorted.

    Raises:
        ReleaseError: if the folder holds a ``.py`` file or no notebook.
    """
    modules = sorted(source.rglob("*.py"))
    if modules:
        listing = ", ".join(str(path) for path in modules)
        raise ReleaseError(
            f"{source} must hold notebooks only, but it has {listing}: nbgrader "
            "generate_assignment copies every non-notebook file into the release verbatim, "
            "solutions included. Reference modules belong in solutions/; the stubs are "
            "generated from there."
        )
    notebooks = sorted(source.glob("*.ipynb"))
    if not notebooks:
        raise ReleaseError(f"no notebooks in {source}: build them with "
                           "recallkit.authoring.build.build_source()")
    return notebooks


def make_course(course_root: Path, source: Path = SOURCE / ASSIGNMENT) -> Path:
    """Set up an nbgrader course root holding the repository's config and ``source``.

    Args:
        course_root: the folder to use (created if missing).
        source: the assignment's source notebooks.

    Returns:
        ``course_root``.

    Raises:
        ReleaseError: if ``source`` is not a notebooks-only folder.
    """
    check_source(source)
    course_root.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REPO / "nbgrader_config.py", course_root / "nbgrader_config.py")
    shutil.copytree(source, course_root / "source" / ASSIGNMENT, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return course_root


def run_nbgrader(course_root: Path, *args: str) -> str:
    """Run the real nbgrader command line in a course root.

    Args:
        course_root: the course root (holds ``nbgrader_config.py``).
        *args: the nbgrader arguments, e.g. ``"autograde", "attention_memory"``.

    Returns:
        nbgrader's log (stdout and stderr).

    Raises:
        ReleaseError: with the log, if nbgrader exits with a non-zero status.
    """
    status, log = nbgrader(course_root, *args)
    if status != 0:
        raise ReleaseError(f"`nbgrader {' '.join(args)}` failed with exit status "
                           f"{status} in {course_root}; its log:\n{log}")
    return log


def lock_pins(lock: Path = LOCK) -> dict[str, Version]:
    """The versions pinned in a ``name==version`` lock file.

    Args:
        lock: the lock file.

    Returns:
        normalized distribution name (lower case, ``-`` separated) -> pinned version.
    """
    pins = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        if match := re.fullmatch(r"([A-Za-z0-9_.-]+)==(\S+)", line.strip()):
            pins[canonicalize_name(match[1])] = Version(match[2])
    return pins


def student_requirements(lock: Path = LOCK) -> str:
    """The ``requirements.txt`` text of the student environment.

    Args:
        lock: the instructor's pinned environment; every range must contain its pin.

    Returns:
        one ``name>=oldest,<next major`` line per package in ``STUDENT_PACKAGES``.

    Raises:
        ReleaseError: if a package is not pinned in ``lock`` or pinned below the oldest.
    """
    pins = lock_pins(lock)
    lines = ["# The student environment: pip install -r requirements.txt",
             "# Python 3.10 or newer (each notebook checks it when it imports memory_attention)"]
    for name, oldest in STUDENT_PACKAGES:
        pinned = pins.get(name)
        if pinned is None or pinned < Version(oldest):
            raise ReleaseError(f"{lock} must pin {name} at version {oldest} or later "
                               f"(the student range starts there), found {pinned}")
        lines.append(f"{name}>={oldest},<{pinned.major + 1}")
    return "\n".join(lines) + "\n"


def build_release(
    dest_root: Path,
    course_root: Path | None = None,
    source: Path = SOURCE / ASSIGNMENT,
    reference: Path = SOLUTIONS / PACKAGE,
) -> Path:
    """Build the student version of the assignment.

    Args:
        dest_root: where to write; ``dest_root/attention_memory`` is replaced entirely.
        course_root: the nbgrader course root to build in, kept afterwards (its
            gradebook knows the assignment); a temporary one if None.
        source: the source notebooks.
        reference: the reference package the stubs are made from.

    Returns:
        the written folder ``dest_root/attention_memory``: the nbgrader release
        notebooks, the stub package and ``requirements.txt``. Rebuilding from the
        same inputs gives byte-identical files.

    Raises:
        ReleaseError: if the source folder is unfit or nbgrader fails.
        StubError: if a reference module has a malformed solution region.
    """
    with ExitStack() as stack:
        if course_root is None:
            course_root = Path(stack.enter_context(
                tempfile.TemporaryDirectory(prefix="recallkit-course-")))
        make_course(course_root, source)
        run_nbgrader(course_root, "generate_assignment", ASSIGNMENT, "--force")
        released, dest = course_root / "release" / ASSIGNMENT, dest_root / ASSIGNMENT
        if dest.resolve() != released.resolve():  # else the course's own release is the dest
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(released, dest)
        write_stub_package(reference, dest / PACKAGE)
        (dest / "requirements.txt").write_text(student_requirements(), encoding="utf-8")
    return dest


def _files(root: Path) -> set[Path]:
    if not root.is_dir():
        return set()
    return {path.relative_to(root) for path in root.rglob("*") if path.is_file()}


def tree_differences(expected: Path, actual: Path) -> list[str]:
    """How the files below two folders differ (byte by byte).

    Args:
        expected: the reference folder (e.g. a fresh build).
        actual: the folder to compare with it (e.g. the committed release).

    Returns:
        one line per differing, missing or extra file, sorted by path; empty if identical.
    """
    wanted, present = _files(expected), _files(actual)
    lines = [(path, "missing") for path in wanted - present]
    lines += [(path, "not generated") for path in present - wanted]
    lines += [(path, "differs") for path in wanted & present
              if not filecmp.cmp(expected / path, actual / path, shallow=False)]
    return [f"{what}: {path}" for path, what in sorted(lines)]


def _report(title: str, problems: list[str] | list[Leak]) -> None:
    print(f"{title} ({len(problems)}):", file=sys.stderr)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``recallkit release`` options.

    Args:
        parser: the subcommand's parser.
    """
    parser.add_argument("--check", action="store_true",
                        help="build into a temporary folder and fail if release/ differs "
                             "from it (drift) or leaks instructor text; write nothing")


def run(args: argparse.Namespace) -> int:
    """Run ``recallkit release`` (or ``recallkit release --check``).

    Args:
        args: the parsed arguments (``args.check``).

    Returns:
        0 on success; 1 on a build error, a leak, or (with ``--check``) drift.
    """
    committed = RELEASE / ASSIGNMENT
    shown = committed.relative_to(REPO)
    with tempfile.TemporaryDirectory(prefix="recallkit-release-") as tmp:
        try:
            fresh = build_release(Path(tmp))
        except (ReleaseError, StubError) as error:
            print(f"recallkit release: {error}", file=sys.stderr)
            return 1
        leaks = find_leaks(committed if args.check else fresh)
        drift = tree_differences(fresh, committed) if args.check else []
        if leaks:
            _report(f"instructor text in the {'committed' if args.check else 'new'} release",
                    leaks)
        if drift:
            _report(f"{shown} differs from a fresh build; run `recallkit release` "
                    "and commit the result", drift)
        if leaks or drift:
            if not args.check:
                print(f"{shown} left unchanged", file=sys.stderr)
            return 1
        if not args.check:
            ensure_secret()  # seeds the hidden inputs; kept beside the suites, not released
            # Replace the whole folder so that files no longer generated disappear.
            if committed.exists():
                shutil.rmtree(committed)
            shutil.copytree(fresh, committed)
    print(f"{shown}: {'up to date' if args.check else 'written'}, no leaks")
    return 0
