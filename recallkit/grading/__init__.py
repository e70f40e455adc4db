"""Grading: hidden pytest suites run in the trusted process against a sandboxed submission."""

import os

# One BLAS thread in the grader, as in the sandbox (set before numpy loads): its arrays are
# small, and OpenBLAS's idle threads spin on a core the sandbox needs (measured: a fifth
# of a grade's CPU time). It also times the reference as student code runs.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
