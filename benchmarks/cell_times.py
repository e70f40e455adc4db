"""Kernel CPU seconds per cell of the source notebooks, run with a real kernel on the reference.

    .venv/bin/python benchmarks/cell_times.py [--graded] [--repeat 5] [--top 8] [--notebooks DIR]

Kernel start is excluded: a cell's time is the CPU time (user + system) the kernel process
spends from the execute request to its reply, figure rendering included; CPU time, unlike
wall time, barely moves when other work loads the machine. ``--graded`` sets
``NBGRADER_EXECUTION=autograde`` in the kernel's environment, as ``nbgrader autograde``
does. Each notebook runs ``--repeat`` times in a fresh kernel; the median per cell is shown.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from recallkit.paths import ASSIGNMENT, PACKAGE, SOLUTIONS, SOURCE


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def cell_seconds(path: Path, folder: Path) -> dict[str, float]:
    """grade_id -> kernel CPU seconds of each code cell of one run of ``path`` in ``folder``."""
    notebook = nbformat.read(path, as_version=4)
    seconds: dict[str, float] = {}
    client = NotebookClient(notebook, kernel_name="python3", timeout=600,
                            resources={"metadata": {"path": str(folder)}})

    def kernel_cpu() -> float:
        return _cpu_seconds(client.km.provisioner.process.pid)

    def started(cell, cell_index: int) -> None:
        seconds[cell.metadata.nbgrader["grade_id"]] = -kernel_cpu()

    def executed(cell, cell_index: int, execute_reply) -> None:
        seconds[cell.metadata.nbgrader["grade_id"]] += kernel_cpu()

    client.on_cell_execute, client.on_cell_executed = started, executed
    client.execute()
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graded", action="store_true",
                        help="run as nbgrader autograde does (NBGRADER_EXECUTION=autograde)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--top", type=int, default=6, help="cells listed per notebook")
    parser.add_argument("--notebooks", type=Path, default=SOURCE / ASSIGNMENT,
                        help="the folder of source notebooks (e.g. an earlier commit's)")
    args = parser.parse_args()
    os.environ.pop("NBGRADER_EXECUTION", None)
    if args.graded:
        os.environ["NBGRADER_EXECUTION"] = "autograde"
    with tempfile.TemporaryDirectory(prefix="cell-times-") as tmp:
        folder = Path(tmp)
        shutil.copytree(SOLUTIONS / PACKAGE, folder / PACKAGE,
                        ignore=shutil.ignore_patterns("__pycache__"))
        total = 0.0
        for path in sorted(args.notebooks.glob("0*.ipynb")):
            runs = [cell_seconds(path, folder) for _ in range(args.repeat)]
            median = {cell: statistics.median(run[cell] for run in runs) for cell in runs[0]}
            total += sum(median.values())
            print(f"{path.stem}: {sum(median.values()):.2f} CPU s in {len(median)} code cells "
                  f"(median of {args.repeat})")
            for cell, seconds in sorted(median.items(), key=lambda item: -item[1])[:args.top]:
                print(f"  {seconds:7.3f} s  {cell}")
        print(f"all notebooks: {total:.2f} CPU s of cell execution "
              f"({'graded' if args.graded else 'ungraded'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
