"""Feedback that shows neither hidden test source nor the server's paths.

nbgrader's ``ClearHiddenTests`` removes hidden tests from a cell's source, but
the cell's outputs still carry them: a failed hidden assert's traceback quotes
the lines around it, and printed or displayed text may quote them too. Paths
(``/srv/course/autograded/alice/...``, the server's Python in numpy's frames)
tell students where the course lives. ``ScrubFeedback`` runs in
``GenerateFeedback`` before ``ClearHiddenTests`` (it reads the hidden regions
from the sources) and rewrites every text output of the notebook:

- colour codes go (they would split a quoted line and hide it from the check);
- a line that contains a line of hidden test source is dropped;
- a path in the student's working copy becomes relative to it; any other
  absolute path becomes ``…/`` and its last part.
"""

import re
from typing import Any

from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor
from traitlets import Integer

from recallkit.sandbox.kernels import STUDENT_HOME

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# An absolute path of two parts or more, not part of a word, a URL or a relative path.
ABSOLUTE_PATH = re.compile(r"(?<![\w.:/~@+-])/(?:[\w.@+~-]+/)+[\w.@+~-]*")
WORKING_COPY = re.compile(re.escape(STUDENT_HOME) + r"/[^/\s]+/")


def hidden_lines(nb: NotebookNode, begin: str, end: str, shortest: int) -> set[str]:
    """Stripped lines of every hidden region (markers included) at least ``shortest`` long."""
    found: set[str] = set()
    for cell in nb.cells:
        inside = False
        for line in cell.source.splitlines():
            inside = inside or begin in line
            if inside and len(line.strip()) >= shortest:
                found.add(line.strip())
            inside = inside and end not in line
    return found


def _relative(match: re.Match) -> str:
    path = match.group(0)
    inside = WORKING_COPY.match(path)
    if inside:
        return path[inside.end():]
    return "…/" + path.rstrip("/").rsplit("/", 1)[-1]


def scrub_text(text: str, hidden: set[str]) -> str:
    """``text`` without colour codes, lines quoting hidden source, or absolute paths."""
    kept = [line for line in ANSI.sub("", text).splitlines(keepends=True)
            if not any(secret in line for secret in hidden)]
    return ABSOLUTE_PATH.sub(_relative, "".join(kept))


def _scrub_output(output: NotebookNode, hidden: set[str]) -> None:
    if output.output_type == "stream":
        output.text = scrub_text(output.text, hidden)
    elif output.output_type == "error":
        output.ename = scrub_text(output.ename, hidden)
        output.evalue = scrub_text(output.evalue, hidden)
        frames = (scrub_text(frame, hidden) for frame in output.traceback)
        output.traceback = [frame for frame in frames if frame.strip()]
    else:  # execute_result, display_data
        for mime, value in output.get("data", {}).items():
            if mime.startswith("text/"):
                text = "".join(value) if isinstance(value, list) else value
                output.data[mime] = scrub_text(text, hidden)


class ScrubFeedback(NbGraderPreprocessor):
    """Removes hidden test lines and server paths from every output of the feedback."""

    shortest_line = Integer(
        6, help="Hidden lines shorter than this (a lone bracket, `else:`) are not searched for."
    ).tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]
                   ) -> tuple[NotebookNode, dict[str, Any]]:
        markers = ClearHiddenTests(parent=self.parent)
        hidden = hidden_lines(nb, markers.begin_test_delimeter, markers.end_test_delimeter,
                              self.shortest_line)
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                _scrub_output(output, hidden)
        return nb, resources
