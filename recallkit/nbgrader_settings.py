"""nbgrader settings shared by the course root, the demo class and the tests."""

from typing import Any

from recallkit.paths import ASSIGNMENT, GRADED_MODULES, PACKAGE

# Stderr text that is a harmless warning, not a failure (nbgrader scores any
# stderr output in a test cell as 0 unless IgnorePattern removes it).
WARNING_PATTERN = r"\w*Warning\b"


def configure(c: Any, course_id: str = "attention-memory") -> None:
    """Apply recallkit's nbgrader settings to a traitlets config object."""
    c.CourseDirectory.course_id = course_id
    # nbgrader's chain with each notebook's kernel started in the sandbox.
    c.Autograde.autograde_preprocessors = [
        "recallkit.sandbox.kernels.SandboxedExecute",
        "nbgrader.preprocessors.IgnorePattern",
        "nbconvert.preprocessors.ClearMetadataPreprocessor",
        "nbgrader.preprocessors.LimitOutput",
        "nbgrader.preprocessors.SaveAutoGrades",
        "nbgrader.preprocessors.AssignLatePenalties",
        "nbgrader.preprocessors.CheckCellMetadata",
    ]
    # Student modules are the work being graded: never overwrite them with
    # the source versions at autograde time.
    c.Autograde.exclude_overwriting = {
        ASSIGNMENT: [f"{PACKAGE}/{name}.py" for name in GRADED_MODULES]
    }
    c.IgnorePattern.enabled = True
    c.IgnorePattern.pattern = WARNING_PATTERN
    # A cell that runs away costs that cell, not the whole class.
    c.Execute.timeout = 60
    c.Execute.interrupt_on_timeout = True
    # Restore test cells a student deleted.
    c.OverwriteCells.add_missing_cells = True
    # Feedback must not show hidden tests (tracebacks included) or the server's paths.
    c.GenerateFeedback.preprocessors = [
        "nbgrader.preprocessors.GetGrades",
        "recallkit.grading.feedback_scrub.ScrubFeedback",
        "nbgrader.preprocessors.ClearHiddenTests",
        "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    ]
