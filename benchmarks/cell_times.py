"""Seconds per cell of the source notebooks, executed with a real kernel on the reference.

    .venv/bin/python benchmarks/cell_times.py [--graded] [--repeat 5] [--top 8]

Kernel start is excluded: a cell's time runs from the kernel's busy status to its reply,
as nbclient records them. ``--graded`` sets ``NBGRADER_EXECUTION=autograde`` in
the kernel's environment, as ``nbgrader autograde`` does. Each notebook runs ``--repeat``
times in a fresh kernel; the median per cell is shown.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from datetime import datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from recallkit.paths import ASSIGNMENT, PACKAGE, SOLUTIONS, SOURCE


def cell_seconds(path: Path, folder: Path) -> dict[str, float]:
    """grade_id -> seconds of each code cell of one run of ``path`` in ``folder``."""
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, kernel_name="python3", timeout=600,
                   resources={"metadata": {"path": str(folder)}}).execute()
    seconds = {}
    for cell in notebook.cells:
        timing = cell.metadata.get("execution", {})
        if cell.cell_type == "code" and "shell.execute_reply" in timing:
            start, end = (datetime.fromisoformat(timing[key].replace("Z", "+00:00"))
                          for key in ("iopub.status.busy", "shell.execute_reply"))
            seconds[cell.metadata.nbgrader["grade_id"]] = (end - start).total_seconds()
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graded", action="store_true",
                        help="run as nbgrader autograde does (NBGRADER_EXECUTION=autograde)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--top", type=int, default=6, help="cells listed per notebook")
    args = parser.parse_args()
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    os.environ.pop("NBGRADER_EXECUTION", None)
    if args.graded:
        os.environ["NBGRADER_EXECUTION"] = "autograde"
    with tempfile.TemporaryDirectory(prefix="cell-times-") as tmp:
        folder = Path(tmp)
        shutil.copytree(SOLUTIONS / PACKAGE, folder / PACKAGE,
                        ignore=shutil.ignore_patterns("__pycache__"))
        total = 0.0
        for path in sorted((SOURCE / ASSIGNMENT).glob("0*.ipynb")):
            runs = [cell_seconds(path, folder) for _ in range(args.repeat)]
            median = {cell: statistics.median(run[cell] for run in runs) for cell in runs[0]}
            total += sum(median.values())
            print(f"{path.stem}: {sum(median.values()):.2f} s in {len(median)} code cells "
                  f"(median of {args.repeat})")
            for cell, seconds in sorted(median.items(), key=lambda item: -item[1])[:args.top]:
                print(f"  {seconds:7.3f} s  {cell}")
        print(f"all notebooks: {total:.2f} s of cell execution "
              f"({'graded' if args.graded else 'ungraded'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
