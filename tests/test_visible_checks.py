"""The notebook side of fair grades: what a student sees when something is wrong.

A failed visible check shows its plain-words message without a traceback, a module
that no longer compiles is reported before the next cell, and an old Python gets one
clear line, all in a real Jupyter kernel (or, for the old Python, the real package file).
"""

import ast
import os
import sys
import types

import nbformat
import pytest
from nbclient import NotebookClient

from recallkit.mistakes import copy_reference
from recallkit.paths import PACKAGE, SOLUTIONS

CELLS = [
    "%load_ext autoreload\n%autoreload 2\n"
    "from memory_attention import checks, encoder, reloading, softmax\n"
    "reloading.warn_when_reload_fails()",
    "checks.check_stable_softmax(softmax)",
    "with open('memory_attention/encoder.py', 'a') as file:\n    file.write('\\ndef broken(:\\n')",
    "print('next cell')",
]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> list[list[dict]]:
    folder = copy_reference(tmp_path_factory.mktemp("student"))
    softmax = folder / PACKAGE / "softmax.py"  # the in-place mistake of the catalogue
    softmax.write_text(softmax.read_text().replace(
        "shifted = scores - scores.max(axis=-1, keepdims=True)",
        "scores -= scores.max(axis=-1, keepdims=True)\n    shifted = scores"))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    NotebookClient(nb, kernel_name="python3", timeout=60, allow_errors=True,
                   resources={"metadata": {"path": str(folder)}}).execute(
        env={**os.environ, "MPLBACKEND": "Agg"})
    return [cell.outputs for cell in nb.cells]


def test_failed_check_shows_its_message_without_a_traceback(outputs):
    from recallkit.grading.reference import reference

    errors = [out for out in outputs[1] if out.output_type == "error"]
    assert len(errors) == 1 and errors[0].ename == "CheckFailed"
    assert errors[0].traceback == [f"✗ {reference().messages.MESSAGES['mutates_input']}"]
    assert not [out for out in outputs[0] if out.output_type == "error"]


def test_module_that_fails_to_reload_is_reported(outputs):
    printed = "".join(out.text for out in outputs[3]
                      if out.output_type == "stream" and out.name == "stdout")
    lines = printed.splitlines()
    assert lines[0].startswith(f"⚠ {PACKAGE}/encoder.py has an error at line ")
    assert "still runs the version from before that edit" in lines[0]
    assert lines[-1] == "next cell"


def test_old_python_gets_one_clear_line():
    source = (SOLUTIONS / PACKAGE / "__init__.py").read_text()
    old_sys = types.SimpleNamespace(version_info=(3, 9, 6), version="3.9.6 (default)")
    code = compile(source.replace("import sys\n", ""), "__init__.py", "exec")
    with pytest.raises(RuntimeError) as caught:
        exec(code, {"sys": old_sys, "__name__": PACKAGE})
    assert caught.value._render_traceback_() == [
        "PythonTooOld: memory_attention needs Python 3.10 or newer, but this is Python 3.9.6: "
        "install a newer Python (python.org) and choose it as the notebook's kernel."]
    exec(compile(source, "__init__.py", "exec"), {"__name__": PACKAGE})  # this Python is fine
    assert sys.version_info >= (3, 10)


@pytest.mark.parametrize("name", ["checks.py", "messages.py", "recall_checks.py"])
def test_every_visible_failure_has_a_message(name):
    tree = ast.parse((SOLUTIONS / PACKAGE / name).read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert):
            assert node.msg is not None, f"{name}:{node.lineno}: assert without a message"
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "_require":
            assert len(node.args) == 2, f"{name}:{node.lineno}: _require without a message"
