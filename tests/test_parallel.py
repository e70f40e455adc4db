"""The grader's own work split over cores (recallkit.grading.parallel): the same values as
one after the other, errors raised as without the split, no process left behind."""

import os
from pathlib import Path

import numpy as np
import pytest

from recallkit.grading.parallel import side_by_side


def children() -> set[str]:
    """The processes this one has started and not yet reaped."""
    return {pid for task in Path(f"/proc/{os.getpid()}/task").iterdir()
            for pid in (task / "children").read_text().split()}


@pytest.fixture
def no_copy_left():
    """None of the copies is left (running or unreaped) after the test."""
    before = children()
    yield
    assert children() <= before


def test_values_come_back_in_order_and_unchanged(no_copy_left):
    parts = [lambda: [("valid", True, 512.25, np.float64(0.5))], lambda: {"a": np.arange(3.0)},
             lambda: os.getpid()]
    first, second, last = side_by_side(parts)
    assert first == [("valid", True, 512.25, 0.5)]
    assert np.array_equal(second["a"], np.arange(3.0))
    assert last == os.getpid()  # the last part runs here


def test_parts_run_in_other_processes_at_once():
    here = os.getpid()
    pids = side_by_side([os.getpid, os.getpid, os.getpid])
    assert pids[-1] == here and len({*pids[:-1], here}) == 3


def test_a_part_that_fails_in_its_copy_raises_here_as_it_would_alone(no_copy_left):
    def fails() -> None:
        raise ValueError("list_length must be at least 2")

    with pytest.raises(ValueError, match="at least 2"):
        side_by_side([fails, lambda: 1])


def test_a_copy_that_dies_is_replaced_by_the_part_computed_here(no_copy_left):
    here = os.getpid()

    def dies_in_a_copy() -> str:
        if os.getpid() != here:
            os._exit(9)
        return "computed here"

    assert side_by_side([dies_in_a_copy, lambda: 2]) == ["computed here", 2]
