"""Read the graded modules of a submission folder, refusing anything unsafe."""

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from recallkit.paths import GRADED_MODULES, PACKAGE

MAX_SOURCE_BYTES = 512 * 1024


@dataclass
class Submission:
    """The graded sources of one submission, and why any module could not be read."""

    folder: Path
    sources: dict[str, str] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)
    note: str = ""  # how the modules were found, when not as memory_attention/ (for the student)


def _read_regular_file(package_dir: Path, name: str) -> str:
    """Read ``package_dir/name`` without following a symbolic link anywhere."""
    path = package_dir / f"{name}.py"
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        raise ValueError(f"{PACKAGE}/{name}.py is missing from the submission") from None
    except OSError:
        if path.is_symlink():
            raise ValueError(f"{PACKAGE}/{name}.py is a symbolic link; submit the file "
                             "itself") from None
        raise ValueError(f"{PACKAGE}/{name}.py could not be opened") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(f"{PACKAGE}/{name}.py is not a regular file")
        data = handle.read(MAX_SOURCE_BYTES + 1)
    if len(data) > MAX_SOURCE_BYTES:
        raise ValueError(f"{PACKAGE}/{name}.py is larger than {MAX_SOURCE_BYTES // 1024} KiB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{PACKAGE}/{name}.py is not UTF-8 text (byte {exc.start}): save "
                         "it as UTF-8") from None


def _missing_package(folder: Path) -> str:
    expected = ", ".join(f"{name}.py" for name in GRADED_MODULES)
    single = (f"; {PACKAGE}.py was found, but each demo has its own module: submit the "
              f"{PACKAGE} folder" if os.path.lexists(folder / f"{PACKAGE}.py") else "")
    return (f"the submission has no {PACKAGE}/ folder (expected {PACKAGE}/ holding "
            f"{expected}){single}")


def read_submission(folder: Path) -> Submission:
    """The graded modules under ``folder/memory_attention/``; nothing else is read.

    Without that folder, graded modules at the top of ``folder`` (``encoder.py`` …)
    are graded as the package, as the Gradescope upload path does.

    Raises:
        NotADirectoryError: if ``folder`` is not a folder (a usage error).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise NotADirectoryError(f"{folder}: not a submission folder (expected a folder "
                                 f"holding {PACKAGE}/)")
    submission = Submission(folder)
    package_dir = folder / PACKAGE
    flat = not os.path.lexists(package_dir) and any(
        os.path.lexists(folder / f"{name}.py") for name in GRADED_MODULES)
    if flat:
        package_dir = folder
        submission.note = f"Graded the .py files at the top of the folder as {PACKAGE}/."
    elif package_dir.is_symlink() or not package_dir.is_dir():
        reason = (f"{PACKAGE}/ is a symbolic link; submit the folder itself"
                  if package_dir.is_symlink() else _missing_package(folder))
        submission.problems = {name: reason for name in GRADED_MODULES}
        submission.note = f"Not graded: {reason}."
        return submission
    for name in GRADED_MODULES:
        try:
            submission.sources[name] = _read_regular_file(package_dir, name)
        except ValueError as exc:
            submission.problems[name] = str(exc)
    return submission
