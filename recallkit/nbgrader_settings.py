"""nbgrader settings shared by the course root, the demo class, ``recallkit init`` and the tests."""

from pathlib import Path
from typing import Any

from recallkit.nbgrader_plugin import PREPROCESSOR
from recallkit.paths import ASSIGNMENT, GRADED_MODULES, PACKAGE

# Stderr text that is a harmless warning, not a failure (nbgrader scores any
# stderr output in a test cell as 0 unless IgnorePattern removes it).
WARNING_PATTERN = r"\w*Warning\b"
# nbgrader 0.9.6's autograde chain (Autograde.autograde_preprocessors) with each
# notebook's kernel started in the sandbox, and the module grader right after
# Execute: it fills the modules notebook's grade cells before SaveAutoGrades
# records them and AssignLatePenalties sees them.
AUTOGRADE_CHAIN = [
    "recallkit.sandbox.kernels.SandboxedExecute",
    PREPROCESSOR,
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
# Settings a course may choose for itself; every other one configure() makes is required.
COURSE_CHOICES = {("CourseDirectory", "course_id"), ("Execute", "timeout")}
SETUP = "from recallkit.nbgrader_settings import configure; configure(get_config())"


def configure(c: Any, course_id: str = "attention-memory") -> None:
    """Apply recallkit's nbgrader settings to a traitlets config object."""
    c.CourseDirectory.course_id = course_id
    c.Autograde.autograde_preprocessors = AUTOGRADE_CHAIN
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


def missing_settings(course_root: Path) -> list[str]:
    """The safety settings the course's ``nbgrader_config.py`` lacks (``Section.name``)."""
    from traitlets.config import Config, PyFileConfigLoader

    path = course_root / "nbgrader_config.py"
    wanted = Config()
    configure(wanted)
    if not path.is_file():
        return ["nbgrader_config.py"]
    found = PyFileConfigLoader(path.name, path=str(course_root)).load_config()
    return [f"{section}.{name}" for section, values in wanted.items()
            for name, value in values.items() if (section, name) not in COURSE_CHOICES and
            (section not in found or name not in found[section] or found[section][name] != value)]
