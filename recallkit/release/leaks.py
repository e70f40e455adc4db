"""Leak check: no instructor-only text may reach the student version.

Secret text is collected from the instructor side (reference solution regions,
the source notebooks' solutions, hidden tests and model answers, the hidden
autograder suites) and every line of every released file is searched for it.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from recallkit.paths import ASSIGNMENT, AUTOGRADER, REPO, SOLUTIONS, SOURCE
from recallkit.release.stubs import make_stub, solution_regions

# Shorter lines (``return x``, ``else:``) occur in honest code too.
MIN_LENGTH = 12

# nbgrader's region markers, and paths that only exist on the instructor's side.
MARKERS = (
    "### BEGIN SOLUTION", "### END SOLUTION",
    "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS",
    "=== BEGIN MARK SCHEME ===", "=== END MARK SCHEME ===",
)
INSTRUCTOR_PATHS = (f"{REPO}/", "/work/", "solutions/")

# (begin, end) markers of the notebook regions nbgrader removes from the release.
REGION_BEGINS = {
    "### BEGIN SOLUTION": "notebook solution",
    "### BEGIN HIDDEN TESTS": "hidden test",
    "=== BEGIN MARK SCHEME ===": "mark scheme",
}
REGION_ENDS = {"### END SOLUTION", "### END HIDDEN TESTS", "=== END MARK SCHEME ==="}


@dataclass(frozen=True)
class Leak:
    """Instructor-only text found in a released file.

    Attributes:
        file: the released file, relative to the checked folder.
        where: the place in it: ``line 12``, or ``cell 3, line 2`` in a notebook.
        text: the secret text found there.
        origin: what the text is and where it comes from.
    """

    file: Path
    where: str
    text: str
    origin: str

    def __str__(self) -> str:
        return f"{self.file}, {self.where}: {self.origin}: {self.text!r}"


def _significant(line: str) -> str | None:
    stripped = line.strip()
    return stripped if len(stripped) >= MIN_LENGTH else None


def _cell_lines(cell: dict) -> list[str]:
    source = cell.get("source", "")
    return ("".join(source) if isinstance(source, list) else source).splitlines()


def _output_lines(output: dict) -> list[str]:
    parts = [output.get("text", ""), *output.get("traceback", []),
             *output.get("data", {}).values()]
    return "\n".join("".join(p) if isinstance(p, list) else str(p) for p in parts).splitlines()


def _notebook_secrets(path: Path) -> tuple[dict[str, str], set[str]]:
    """(secret line -> origin, public lines) of one source notebook."""
    secrets: dict[str, str] = {}
    public: set[str] = set()
    for number, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"], 1):
        lines = _cell_lines(cell)
        meta = cell.get("metadata", {}).get("nbgrader", {})
        has_solution_region = any(line.strip() == "### BEGIN SOLUTION" for line in lines)
        # Like nbgrader: a solution cell without markers is replaced as a whole.
        whole_cell = "model answer" if cell["cell_type"] == "markdown" else "notebook solution"
        region = whole_cell if meta.get("solution") and not has_solution_region else None
        for line in lines:
            stripped = line.strip()
            if stripped in REGION_BEGINS:
                region = REGION_BEGINS[stripped]
            elif stripped in REGION_ENDS:
                region = whole_cell if region == whole_cell else None
            elif region is None:
                public.add(stripped)
            elif _significant(line):
                secrets[stripped] = f"{region} ({path.name}, cell {number})"
    return secrets, public


def secret_lines(
    solutions: Path = SOLUTIONS,
    source: Path = SOURCE / ASSIGNMENT,
    autograder: Path = AUTOGRADER,
) -> dict[str, str]:
    """Every instructor-only line, mapped to where it comes from.

    Reference solution lines are secret even if a notebook shows them too (that
    notebook would be the leak). Notebook and autograder lines that also stand in
    a public part of the source (a visible test, a set-up cell, a module's
    signature, the visible checks), whole or as part of a line, are not secret.

    Args:
        solutions: the reference packages (their ``### BEGIN/END SOLUTION`` regions).
        source: the source notebooks of the assignment.
        autograder: the hidden test suites.

    Returns:
        stripped line -> origin, for lines of at least ``MIN_LENGTH`` characters.
    """
    reference: dict[str, str] = {}
    public: set[str] = set()
    for path in sorted(solutions.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        public.update(line.strip() for line in make_stub(text, str(path)).splitlines())
        for region in solution_regions(text, str(path)):
            for offset, line in enumerate(region.lines, 1):
                if stripped := _significant(line):
                    where = f"{path.relative_to(solutions)}:{region.begin + offset}"
                    reference[stripped] = f"reference solution ({where})"
    others: dict[str, str] = {}
    for path in sorted(source.glob("*.ipynb")):
        secrets, visible = _notebook_secrets(path)
        others.update(secrets)
        public |= visible
    for path in sorted(autograder.rglob("*.py")) if autograder.is_dir() else []:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if stripped := _significant(line):
                others.setdefault(stripped, f"autograder test ({path.name}:{number})")
    # Secrets are searched as substrings, so a fragment of a public line is public.
    public_text = "\n".join(sorted(public))
    secrets = {line: origin for line, origin in others.items() if line not in public_text}
    return secrets | reference


def _released_lines(path: Path) -> Iterator[tuple[str, str]]:
    """(place, line) for every line of a released file, notebooks cell by cell."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    if path.suffix != ".ipynb":
        for number, line in enumerate(text.splitlines(), 1):
            yield f"line {number}", line
        return
    for number, cell in enumerate(json.loads(text)["cells"], 1):
        for line_number, line in enumerate(_cell_lines(cell), 1):
            yield f"cell {number}, line {line_number}", line
        # Outputs should be cleared, but a stored traceback could quote a solution.
        for output in cell.get("outputs", []):
            for line in _output_lines(output):
                yield f"cell {number}, output", line


def find_leaks(
    release: Path,
    solutions: Path = SOLUTIONS,
    source: Path = SOURCE / ASSIGNMENT,
    autograder: Path = AUTOGRADER,
) -> list[Leak]:
    """Search a student version for instructor-only text.

    Args:
        release: the folder to check, e.g. ``release/attention_memory``.
        solutions: the reference packages.
        source: the source notebooks.
        autograder: the hidden test suites.

    Returns:
        one Leak per (file, line, secret) found; empty if the release is clean.
    """
    secrets = secret_lines(solutions, source, autograder)
    fixed = {marker: "nbgrader marker" for marker in MARKERS}
    fixed |= {path: "instructor path" for path in INSTRUCTOR_PATHS}
    leaks = []
    for path in sorted(p for p in release.rglob("*") if p.is_file()):
        for where, line in _released_lines(path):
            found = [(text, origin) for text, origin in fixed.items() if text in line]
            stripped = line.strip()
            found += [(text, origin) for text, origin in secrets.items() if text in stripped]
            leaks += [Leak(path.relative_to(release), where, text, origin)
                      for text, origin in found]
    return leaks
