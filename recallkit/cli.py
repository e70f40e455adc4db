"""The ``recallkit`` command: one subcommand per instructor job.

Each subcommand lives in the module that does the work; this file only wires
arguments to it, importing lazily so that ``recallkit --help`` stays fast.
"""

import argparse
import gc
import importlib
import sys

# subcommand -> (module with `add_arguments(parser)` and `run(args) -> int`, help)
COMMANDS = {
    "release": ("recallkit.release.pipeline",
                "generate release/ (the student version) from source/ and solutions/"),
    "init": ("recallkit.release.course_init",
             "set up a new nbgrader course for the assignment (config, source, release)"),
    "grade": ("recallkit.grading.command", "grade one submission or a whole class"),
    "gradescope": ("recallkit.gradescope", "build a Gradescope autograder zip"),
    "bench": ("recallkit.bench", "benchmark grading against nbgrader and otter-grader"),
    "figures": ("recallkit.figures", "write the Mini-Project 3 figures as PNG files"),
    "demo": ("recallkit.demo", "grade the bundled example class end to end"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="recallkit", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    modules = {}
    wanted = (argv if argv is not None else sys.argv[1:])[:1]
    for name, (module_name, help_text) in COMMANDS.items():
        sub_parser = sub.add_parser(name, help=help_text)
        # Only the chosen subcommand's module is imported (nbgrader is slow to import).
        if wanted == [name]:
            modules[name] = importlib.import_module(module_name)
            modules[name].add_arguments(sub_parser)
    args = parser.parse_args(argv)
    status = modules[args.command].run(args)
    if argv is None:
        # The program ends now: the interpreter's last garbage collection, over every object
        # pytest, hypothesis and numpy made, would only cost time (50 ms after one grade).
        gc.freeze()
    return status


if __name__ == "__main__":
    sys.exit(main())
