"""Fixtures shared by the kit's tests."""

import importlib
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

from recallkit.paths import PACKAGE, SOLUTIONS


class ReferencePackage:
    """The trusted reference package; ``reference.softmax`` imports its submodule."""

    def __getattr__(self, name: str) -> ModuleType:
        # Other names (hypothesis probes a few) are plain missing attributes.
        if not (SOLUTIONS / PACKAGE / f"{name}.py").is_file():
            raise AttributeError(name)
        module = importlib.import_module(f"{PACKAGE}.{name}")
        # A stray memory_attention elsewhere on sys.path must not stand in for it.
        assert Path(module.__file__).is_relative_to(SOLUTIONS), module.__file__
        return module


def _forget_package() -> None:
    for name in [n for n in sys.modules if n == PACKAGE or n.startswith(f"{PACKAGE}.")]:
        del sys.modules[name]


@pytest.fixture(scope="module")
def reference() -> Iterator[ReferencePackage]:
    """The reference solution, imported as package ``memory_attention`` from solutions/.

    The package is forgotten again afterwards, so that no other test module
    imports it by accident.
    """
    _forget_package()
    sys.path.insert(0, str(SOLUTIONS))
    try:
        yield ReferencePackage()
    finally:
        sys.path.remove(str(SOLUTIONS))
        _forget_package()


@pytest.fixture
def run_python() -> Callable[..., subprocess.CompletedProcess]:
    """Run Python code in a new interpreter that imports from a given folder.

    Returns:
        ``run(code, folder)``: the completed process (text stdout/stderr), run with
        ``folder`` as working directory and first on ``sys.path``.
    """

    def run(code: str, folder: Path) -> subprocess.CompletedProcess:
        env = {**os.environ, "PYTHONPATH": str(folder), "MPLBACKEND": "Agg"}
        return subprocess.run([sys.executable, "-c", code], cwd=folder, env=env,
                              capture_output=True, text=True, timeout=120, check=False)

    return run


@pytest.fixture(scope="session")
def tiny_course(tmp_path_factory):
    """A two-student course autograded by real nbgrader in sandboxed kernels (tiny_course.py)."""
    from tiny_course import build

    return build(tmp_path_factory.mktemp("tiny") / "course")
