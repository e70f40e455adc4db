"""Feedback shows no hidden test source and no server path, tracebacks included.

The tiny course's hidden tests fail for bob with tracebacks through his own
module and through numpy (tests/tiny_course.py); nbgrader generate_feedback
runs with the repository's config.
"""

import html
import re
import sys
import tempfile

import nbformat
from tiny_course import ASSIGNMENT, NOTEBOOK

from recallkit.grading.feedback_scrub import hidden_lines, scrub_text
from recallkit.paths import REPO
from recallkit.sandbox.kernels import STUDENT_HOME

TAG = re.compile(r"<[^>]+>")


def _text(path) -> str:
    """What a browser shows of an HTML file, roughly: tags gone, entities decoded."""
    return html.unescape(TAG.sub("", path.read_text(encoding="utf-8")))


def _secret_lines(course) -> set[str]:
    """Hidden test lines of the source notebook that the released notebook does not show."""
    source = nbformat.read(course.root / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", 4)
    released = (course.root / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb").read_text()
    lines = hidden_lines(source, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS", shortest=6)
    return {line for line in lines if line not in released and "HIDDEN TESTS" not in line}


def _server_paths(course) -> list[str]:
    return [str(course.root), str(REPO), sys.prefix, sys.base_prefix, STUDENT_HOME,
            tempfile.gettempdir() + "/"]


def test_the_unscrubbed_outputs_do_quote_hidden_tests_and_paths(tiny_course):
    # Control: without the scrubber, the feedback would show these.
    outputs = nbformat.writes(tiny_course.autograded("bob"))
    secrets = _secret_lines(tiny_course)
    assert len(secrets) >= 5
    assert "assert answer == expected_secret_value" in outputs
    assert f"{STUDENT_HOME}/{ASSIGNMENT}/mystats.py" in outputs
    assert sys.prefix in outputs  # numpy's frames


def test_no_feedback_shows_hidden_source_or_server_paths(tiny_course):
    files = sorted((tiny_course.root / "feedback").rglob("*.html"))
    assert len(files) == 2
    secrets = _secret_lines(tiny_course)
    for path in files:
        text = _text(path)
        assert [line for line in secrets if line in text] == [], path
        assert [prefix for prefix in _server_paths(tiny_course) if prefix in text] == [], path


def test_feedback_still_says_what_went_wrong(tiny_course):
    text = _text(tiny_course.feedback("bob"))
    assert "File mystats.py:2, in total(values)" in text  # relative to the working copy
    assert "AttributeError: 'list' object has no attribute 'sum'" in text
    assert "LinAlgError: Singular matrix" in text
    assert "answer must be a whole number" in text  # a visible test stays visible


def test_scrubbing_sees_through_colour_codes_and_keeps_urls():
    hidden = {"assert secret == 42"}
    traceback = "----> 3 \x1b[38;5;28;01massert\x1b[39;00m secret == 42\nok line\n"
    assert scrub_text(traceback, hidden) == "ok line\n"
    assert scrub_text("see https://numpy.org/doc/stable/ and 1/2/3", set()) \
        == "see https://numpy.org/doc/stable/ and 1/2/3"
    assert scrub_text("File /srv/x/lib/numpy/linalg.py:3", set()) == "File …/linalg.py:3"
