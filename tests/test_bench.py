"""``recallkit bench`` on a tiny class: the real code path, the report files, sane numbers.

No timing assertions: the numbers depend on the machine and its load.
"""

import json
from pathlib import Path

import pytest

from recallkit import bench
from recallkit.cli import main
from recallkit.mistakes import MISTAKES

COLUMNS = ["tool", "submissions", "total s", "s / submission", "peak memory (MB)", "CPU s",
           "checks run", "notes"]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str]:
    """A real run: 4 submissions, 2 jobs, one notebook (and the modules notebook), no otter."""
    out = tmp_path_factory.mktemp("bench")
    status = main(["bench", "--n", "4", "--jobs", "2", "--out", str(out), "--skip-otter",
                   "--notebooks", "02"])
    assert status == 0
    return (json.loads((out / "results.json").read_text()),
            (out / "results.md").read_text())


def test_markdown_table_has_the_columns(report):
    _, markdown = report
    header = next(line for line in markdown.splitlines() if line.startswith("| tool"))
    assert [cell.strip() for cell in header.strip("|").split("|")] == COLUMNS
    for tool in ("recallkit grade COURSE", "nbgrader 0.9.6 autograde", "recallkit, modules only",
                 "recallkit grade DIR"):
        assert f"| {tool}" in markdown
    assert "Skipped: otter-grader" in markdown
    assert "## Where the time goes" in markdown


def _row(data: dict, start: str) -> dict:
    return next(r for r in data["rows"] if r["tool"].startswith(start))


def test_whole_class_is_graded_into_the_gradebook(report):
    data, _ = report
    row = _row(data, "recallkit grade COURSE")
    assert row["submissions"] == 4
    usage = row["usage"]
    assert usage["seconds"] > 0 and usage["cpu_seconds"] > 0 and usage["peak_mb"] > 0
    # read back from nbgrader's gradebook: modules notebook graded by the plugin
    assert "gradebook: correct at full marks 3/3, seeded mistakes caught 1/1" in row["notes"]
    profile = data["profile_whole"]
    assert sum(profile["phases_seconds"].values()) == pytest.approx(usage["seconds"], abs=0.1)
    assert len(profile["phases_seconds"]) == 2  # modules, then nbgrader autograde
    # every handed-in notebook executed, for recallkit and for nbgrader alone
    assert set(profile["notebook_seconds"]) == {"02_similarity", "memory_attention_modules"}
    assert set(profile["nbgrader_notebook_seconds"]) == {"02_similarity"}
    assert all(seconds > 0 for seconds in profile["notebook_seconds"].values())


def test_modules_row_grades_everyone(report):
    data, _ = report
    row = _row(data, "recallkit, modules only")
    assert row["submissions"] == 4
    usage = row["usage"]
    assert usage["seconds"] > 0 and row["per_submission"] > 0
    assert usage["rss_mb"] >= usage["peak_mb"] > 0 and usage["cpu_seconds"] > 0
    assert row["checks"] >= 4 * 30  # every hidden test, for every submission
    assert "marks: correct at full marks 3/3, seeded mistakes caught 1/1" in row["notes"]
    assert data["flatness"]["peak_mb_small"] > 0 and data["flatness"]["ratio"] > 0
    assert data["containment"]


def test_nbgrader_anchor_autogrades_everyone(report):
    data, _ = report
    row = _row(data, "nbgrader")
    assert row["submissions"] == 4 and row["usage"]["seconds"] > 0
    assert row["usage"]["peak_mb"] > 0
    assert "autograded 4/4" in row["notes"][0] and len(row["notes"]) == 1  # exit status 0


def test_goals_are_stated(report):
    data, markdown = report
    assert [line.split(":")[0] for line in data["goal"]][:2] == [
        "whole class end to end", "against nbgrader's own autograde of the same notebooks"]
    assert _row(data, "recallkit grade DIR")["usage"]["seconds"] > 0
    assert all(f"- {line}" in markdown for line in data["goal"])


def test_machine_is_recorded(report):
    data, _ = report
    machine = data["machine"]
    assert machine["nproc"] >= 1 and machine["python"] and machine["memory_gb"] > 0
    assert data["command"].startswith("recallkit bench --n 4 --jobs 2")
    assert f"Machine: {machine['nproc']} × {machine['cpu_model']}" in report[1]


def test_class_plan_is_deterministic_and_mixed():
    plan = bench.plan_class(100, seed=3)
    assert plan == bench.plan_class(100, seed=3) != bench.plan_class(100, seed=4)
    wrong = [m for m in plan.values() if m]
    assert len(wrong) == 30 and set(wrong) == set(MISTAKES)


def test_otter_submission_carries_softmax_mistakes_only():
    master = bench.otter_master()
    text = "\n".join(cell.source for cell in master.cells)
    assert "# BEGIN SOLUTION" in text and "### BEGIN SOLUTION" not in text
    assert text.count("# BEGIN TESTS") == 2
    wrong = bench.otter_submission(master, "no_max_subtraction")
    assert MISTAKES["no_max_subtraction"].correct not in "\n".join(c.source for c in wrong.cells)
    assert bench.otter_submission(master, "context_from_keys") == master


def test_usage_error(capsys):
    assert main(["bench", "--n", "0", "--out", str(Path("/nonexistent"))]) == 2
    assert "--n" in capsys.readouterr().err
