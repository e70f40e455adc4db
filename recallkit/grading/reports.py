"""What an instructor takes away from a class run: CSV gradebook, feedback, a table."""

import csv
import html
import io
from pathlib import Path

from recallkit.grading.batch import Course, write_atomically
from recallkit.grading.plugin import demo_label
from recallkit.grading.safe_text import cap, csv_cell, for_terminal

FEEDBACK_NAME = "modules_feedback.html"


def rows(results: dict[str, dict], notebooks: dict[str, dict[str, tuple]],
         students: list[str]) -> list[dict]:
    """One row per student: a column per demo, per notebook, and the totals."""
    demos = sorted({d for r in results.values() for d in r["extra_data"]["demos"]}, key=int)
    modules_max = max((r["extra_data"]["max_score"] for r in results.values()), default=0.0)
    notebooks_max = max((sum(m for _, m in nb.values()) for nb in notebooks.values()),
                        default=0.0)
    table = []
    for student in students:
        result = results.get(student)
        row: dict = {"student_id": student}
        if result is None:
            row["status"] = "not submitted"
        else:
            row["status"] = cap(result["extra_data"].get("error", "graded"))
        module_demos = result["extra_data"]["demos"] if result else {}
        for demo in demos:
            row[f"demo{demo}"] = module_demos.get(demo, {}).get("score", 0.0)
        row["modules"] = result["score"] if result else 0.0
        row["modules_max"] = modules_max
        for name, (score, _) in sorted(notebooks.get(student, {}).items()):
            row[name] = score
        row["notebooks"] = sum(score for score, _ in notebooks.get(student, {}).values())
        row["notebooks_max"] = notebooks_max
        row["total"] = row["modules"] + row["notebooks"]
        row["max"] = row["modules_max"] + row["notebooks_max"]
        table.append(row)
    return table


def write_csv(table: list[dict], path: Path) -> None:
    fields = list(dict.fromkeys(key for row in table for key in row))
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=fields, restval="")
    writer.writeheader()
    writer.writerows({key: csv_cell(value) for key, value in row.items()} for row in table)
    write_atomically(path, text.getvalue())


def format_table(table: list[dict]) -> str:
    """The gradebook as a fixed-width text table for the terminal."""
    columns = ["student_id"] + [k for k in table[0] if k.startswith("demo")] + \
        ["modules", "notebooks", "total", "status"] if table else []
    widths = {c: max(len(c), *(len(_cell(row.get(c, ""))) for row in table)) for c in columns}
    lines = ["  ".join(c.ljust(widths[c]) for c in columns)]
    lines += ["  ".join(_cell(row.get(c, "")).ljust(widths[c]) for c in columns) for row in table]
    return "\n".join(lines)


def _cell(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else for_terminal(value)


def feedback_html(student: str, result: dict) -> str:
    """A self-contained page of the student's module results: names, scores, hints."""
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>Feedback: "
             f"{html.escape(student)}</title><style>body{{font-family:sans-serif;max-width:"
             "60em;margin:2em auto}}td,th{{padding:.3em .6em;border-bottom:1px solid #ddd;"
             "vertical-align:top;text-align:left}}.lost{{color:#a00}}</style></head><body>",
             f"<h1>Attention and memory: module feedback for {html.escape(student)}</h1>",
             f"<p><b>Score: {result['score']:g} / "
             f"{result['extra_data'].get('max_score', 0):g}</b></p>"]
    if "error" in result["extra_data"]:
        parts.append(f"<p class='lost'>{html.escape(result['output'])}</p>")
    for demo, summary in sorted(result["extra_data"]["demos"].items(), key=lambda d: int(d[0])):
        parts.append(f"<h2>{demo_label(demo)}: {summary['score']:g} / "
                     f"{summary['max_score']:g}</h2><table><tr><th>test</th><th>check</th>"
                     "<th>points</th><th>feedback</th></tr>")
        for test in result["tests"]:
            if test["number"].split(".")[0] == demo:
                lost = " class='lost'" if test["score"] < test["max_score"] else ""
                parts.append(f"<tr{lost}><td>{test['number']}</td><td>"
                             f"{html.escape(test['name'])}</td><td>{test['score']:g}/"
                             f"{test['max_score']:g}</td><td>{html.escape(test['output'])}"
                             "</td></tr>")
        parts.append("</table>")
    parts.append(f"<p><small>{html.escape(result['output'])}</small></p></body></html>")
    return "\n".join(parts)


def write_feedback(course: Course, results: dict[str, dict]) -> list[Path]:
    """feedback/<student>/<assignment>/modules_feedback.html, beside nbgrader's feedback."""
    written = []
    for student, result in results.items():
        path = course.root / "feedback" / student / course.assignment / FEEDBACK_NAME
        write_atomically(path, feedback_html(student, result))
        written.append(path)
    return written
