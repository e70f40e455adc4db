"""Turn reference modules into student stubs (Neuromatch style).

In a reference module every solution region is::

    # Demo 3: subtract the largest score, ...
    ### BEGIN SOLUTION
    <solution lines>
    ### END SOLUTION

and in the stub it becomes::

    # TODO Demo 3: subtract the largest score, ...
    raise NotImplementedError("Demo 3: subtract the largest score, ...")

Every other byte of the module (signatures, docstrings, imports, helpers) is kept.
"""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
# The label names the exercise the region belongs to; the student sees it as a TODO.
LABEL = re.compile(r"#\s*(?P<label>(?:Demo|Mini-Project) \d+: \S.*?)\s*$")


class StubError(ValueError):
    """A reference module whose solution regions cannot be turned into a stub."""


@dataclass(frozen=True)
class Region:
    """One solution region of a reference module.

    Attributes:
        label: the exercise label, e.g. "Demo 3: subtract the largest score, ...".
        begin: 1-based line number of the ``### BEGIN SOLUTION`` marker.
        lines: the solution lines between the markers, line endings included.
    """

    label: str
    begin: int
    lines: tuple[str, ...]


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _newline(line: str) -> str:
    return line[len(line.rstrip("\r\n")):] or "\n"


def _scan(text: str, name: str) -> Iterator[tuple[int, int, str]]:
    """Yield (begin index, end index, label) of every region; indices into ``text``'s lines."""
    lines = text.splitlines(keepends=True)
    index = 0
    while index < len(lines):
        if lines[index].strip() == END:
            raise StubError(f"{name}:{index + 1}: '{END}' without '{BEGIN}'")
        if lines[index].strip() != BEGIN:
            index += 1
            continue
        begin = index
        match = LABEL.fullmatch(lines[begin - 1].strip()) if begin else None
        if match is None:
            raise StubError(
                f"{name}:{begin + 1}: '{BEGIN}' must directly follow a label comment "
                "such as '# Demo 3: what to write' (it becomes the student's TODO)"
            )
        if not _indent(lines[begin]):
            # A module-level `raise` would make the whole stub module unimportable.
            raise StubError(f"{name}:{begin + 1}: solution region at module level; "
                            "put it inside a function or method")
        end = begin + 1
        while end < len(lines) and lines[end].strip() not in (BEGIN, END):
            end += 1
        if end == len(lines) or lines[end].strip() != END:
            raise StubError(f"{name}:{begin + 1}: '{BEGIN}' is not closed by '{END}'")
        yield begin, end, match["label"]
        index = end + 1


def solution_regions(text: str, name: str = "<module>") -> list[Region]:
    """The solution regions of a reference module.

    Args:
        text: the module's source text.
        name: file name used in error messages.

    Returns:
        the regions in file order.

    Raises:
        StubError: on an unlabelled, unclosed, stray or module-level region.
    """
    lines = text.splitlines(keepends=True)
    return [Region(label, begin + 1, tuple(lines[begin + 1:end]))
            for begin, end, label in _scan(text, name)]


def make_stub(text: str, name: str = "<module>") -> str:
    """The student stub of a reference module.

    Args:
        text: the module's source text.
        name: file name used in error messages.

    Returns:
        ``text`` with each label comment turned into ``# TODO <label>`` and each
        solution region replaced by ``raise NotImplementedError("<label>")`` at the
        region's indentation; unchanged if the module has no region.

    Raises:
        StubError: on an unlabelled, unclosed, stray or module-level region.
    """
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    done = 0
    for begin, end, label in _scan(text, name):
        label_line = lines[begin - 1]
        out.extend(lines[done:begin - 1])
        out.append(f"{_indent(label_line)}# TODO {label}{_newline(label_line)}")
        # json.dumps gives a valid double-quoted Python literal for any label.
        message = json.dumps(label, ensure_ascii=False)
        out.append(f"{_indent(lines[begin])}raise NotImplementedError({message})"
                   f"{_newline(lines[end])}")
        done = end + 1
    out.extend(lines[done:])
    return "".join(out)


def write_stub_package(reference: Path, dest: Path) -> list[Path]:
    """Write the student version of a reference package.

    Python files are stubbed with :func:`make_stub`; every other file (data,
    modules without regions) is copied byte for byte. Caches are skipped.

    Args:
        reference: the reference package folder, e.g. ``solutions/memory_attention``.
        dest: the folder to write (created if missing).

    Returns:
        the written files, sorted.

    Raises:
        StubError: if a reference module has a malformed solution region.
    """
    written = []
    for path in sorted(reference.rglob("*")):
        relative = path.relative_to(reference)
        if path.is_dir() or "__pycache__" in relative.parts or path.suffix == ".pyc":
            continue
        target = dest / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".py":
            text = path.read_text(encoding="utf-8")
            target.write_text(make_stub(text, str(path)), encoding="utf-8", newline="")
        else:
            target.write_bytes(path.read_bytes())
        written.append(target)
    return written
