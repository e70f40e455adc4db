"""``recallkit init COURSE``: a new nbgrader course for the assignment, in one command.

The course gets the source notebooks (the modules notebook included), an
``nbgrader_config.py`` with every safety setting, and the student version in
``release/`` built by the real ``nbgrader generate_assignment`` plus the stub
package and ``requirements.txt``. Those student files are also put in
``source/<assignment>/``, so a later plain ``nbgrader generate_assignment``
releases them too (they hold no solution: they are what students get).
"""

import argparse
import shutil
import sys
from pathlib import Path

from recallkit.paths import ASSIGNMENT
from recallkit.release.pipeline import ReleaseError, build_release
from recallkit.release.stubs import StubError

CONFIG = '''"""nbgrader configuration of this course, written by `recallkit init`.

recallkit's settings close nbgrader 0.9.6's pitfalls and put the module grader
into nbgrader's autograde chain; `recallkit grade` refuses a course without them.
"""

from recallkit.nbgrader_settings import configure

configure(get_config(), course_id={course_id!r})  # noqa: F821 (nbgrader injects get_config)
'''


def init_course(root: Path) -> Path:
    """Set up the course at ``root``; returns its release folder.

    Raises:
        ReleaseError: ``root`` already holds a course, or the release cannot be built.
    """
    if (root / "nbgrader_config.py").exists() or (root / "source").exists():
        raise ReleaseError(f"{root} already holds a course (nbgrader_config.py or source/); "
                           "recallkit init sets up a new one")
    release = build_release(root / "release", course_root=root)
    (root / "nbgrader_config.py").write_text(CONFIG.format(course_id=root.resolve().name))
    for path in release.iterdir():
        if path.suffix != ".ipynb":
            copy = shutil.copytree if path.is_dir() else shutil.copyfile
            copy(path, root / "source" / ASSIGNMENT / path.name)
    return release


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("course", type=Path, help="the folder of the new course")


def run(args: argparse.Namespace) -> int:
    try:
        release = init_course(args.course)
    except (ReleaseError, StubError) as error:
        print(f"recallkit init: {error}", file=sys.stderr)
        return 1
    print(f"course ready in {args.course}: the student version is {release}; hand it out "
          f"(nbgrader release_assignment {ASSIGNMENT}), collect into submitted/, then "
          f"`recallkit grade {args.course}`")
    return 0
