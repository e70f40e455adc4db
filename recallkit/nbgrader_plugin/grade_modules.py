"""The nbgrader preprocessor that grades a student's modules during ``nbgrader autograde``.

It runs right after ``Execute`` on every notebook and acts on the modules
notebook only: the trusted, sandboxed module grader (``recallkit.grading.batch``,
which reuses a stored result when the submission and the suites are unchanged)
grades the student's ``memory_attention/``, and each demo's grade cell gets two
outputs: the feedback as text, then the points as the execute result, which
nbgrader's ``SaveAutoGrades`` reads as partial credit. Manual adjustments live in
the gradebook's ``manual_score`` and are never touched here.
"""

from pathlib import Path

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbformat.v4 import new_output
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor

from recallkit.grading.batch import Course, grade_class
from recallkit.grading.plugin import demo_label
from recallkit.nbgrader_plugin import GRADE_CELL, MODULES_NOTEBOOK


class ModulesNotebookError(ValueError):
    """The modules notebook does not fit the suites (it was built from other suites)."""


def feedback(result: dict, demo: str) -> str:
    """A demo's results in plain words: its score, then one line per check."""
    summary = result["extra_data"]["demos"].get(demo)
    if summary is None:
        return f"{demo_label(demo)}: 0 points. {result['output']}\n"
    lines = [f"{demo_label(demo)}: {summary['score']:g} / {summary['max_score']:g} points"]
    lines += [f"  {test['number']} {test['name']} ({test['score']:g}/{test['max_score']:g}): "
              f"{test['output']}" for test in result["tests"]
              if test["number"].split(".")[0] == demo]
    return "\n".join(lines) + "\n"


class GradeModules(NbGraderPreprocessor):
    """Fill the grade cells of the modules notebook from the sandboxed module grader."""

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict
                   ) -> tuple[NotebookNode, ResourcesDict]:
        info = resources["nbgrader"]
        if info["notebook"] != MODULES_NOTEBOOK:
            return nb, resources
        coursedir = CourseDirectory(config=self.config)
        course = Course(Path(coursedir.root), Path(coursedir.root) / coursedir.submitted_directory,
                        info["assignment"])
        result = grade_class(course, jobs=1, progress=False, students=[info["student"]])
        result = result[info["student"]]
        self.log.info("module grades for %s: %g (%s)", info["student"], result["score"],
                      result["output"])
        for cell in nb.cells:
            match = GRADE_CELL.fullmatch(cell.metadata.get("nbgrader", {}).get("grade_id", ""))
            if match is None or cell.cell_type != "code":
                continue
            demo = match.group(1)
            summary = result["extra_data"]["demos"].get(demo, {"score": 0.0})
            points = float(cell.metadata["nbgrader"]["points"])
            if summary.get("max_score", points) != points:
                raise ModulesNotebookError(
                    f"{MODULES_NOTEBOOK}.ipynb gives {demo_label(demo)} {points:g} points but "
                    f"its suite {summary['max_score']:g}: rebuild the notebook from the suites "
                    "(recallkit release) and run nbgrader generate_assignment again")
            cell.outputs = [
                new_output("stream", name="stdout", text=feedback(result, demo)),
                new_output("execute_result", data={"text/plain": f"{summary['score']:g}"},
                           execution_count=cell.get("execution_count")),
            ]
        return nb, resources
