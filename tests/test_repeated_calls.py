"""One call made many times in one round trip (``Student.repeat``, used by the race test):
the same answers as call by call, the first problem in call order, a time limit per call.
A real sandbox and real submissions (the reference with a wrapped ``race``)."""

import time
from pathlib import Path

import numpy as np
import pytest

from recallkit.grading.hints import Mistake, expect
from recallkit.grading.student import Student
from recallkit.grading.submission import read_submission
from recallkit.mistakes import copy_reference
from recallkit.paths import PACKAGE
from recallkit.sandbox.session import Limits, Sandbox, StudentError, StudentTimeout

LIMITS = Limits(call_seconds=1.0, demo_seconds=20.0)
STAND_INS = {"encoder": None, "similarity": None, "softmax": None, "attention": None}
RATES = np.array([0.004, 0.001, 0.002, 0.001])
# The reference's race, misbehaving at chosen calls (counted in the child).
WRAPPED = '''

_reference_race, CALLS = race, []


def race(rates, t0_ms, rng):
    CALLS.append(1)
    {body}
    return _reference_race(rates, t0_ms, rng)
'''


def student_of(tmp_path: Path, body: str = "pass") -> Student:
    folder = copy_reference(tmp_path / "submission")
    recall = folder / PACKAGE / "recall.py"
    recall.write_text(recall.read_text() + WRAPPED.format(body=body))
    sandbox = Sandbox(LIMITS)
    sandbox.start()
    return Student(sandbox, read_submission(folder), ["recall"], STAND_INS, LIMITS.demo_seconds)


def pair(result: object) -> object:
    expect(isinstance(result, tuple) and len(result) == 2, "race should return a pair")
    return result


@pytest.fixture
def make_student(tmp_path):
    made = []

    def make(body: str = "pass") -> Student:
        made.append(student_of(tmp_path / str(len(made)), body))
        return made[-1]

    yield make
    for student in made:
        student.sandbox.close()


def test_the_same_answers_as_call_by_call(make_student):
    student = make_student()
    rng = student.recall.np.random.default_rng(11)
    repeated = student.repeat(student.recall.race, 50, RATES, 0.0, rng, check=pair)
    rng = student.recall.np.random.default_rng(11)
    assert repeated == [student.recall.race(RATES, 0.0, rng) for _ in range(50)]
    assert student.get(student.recall, "CALLS") == [1] * 100


def test_a_bad_answer_before_an_error_is_the_problem_reported(make_student):
    student = make_student("if len(CALLS) == 3: return None\n"
                           "    if len(CALLS) == 5: raise ValueError('call five')")
    rng = student.recall.np.random.default_rng(1)
    with pytest.raises(Mistake, match="pair"):
        student.repeat(student.recall.race, 10, RATES, 0.0, rng, check=pair)


def test_an_error_stops_the_calls_and_is_raised(make_student):
    student = make_student("if len(CALLS) == 2: raise ValueError('call two')")
    rng = student.recall.np.random.default_rng(1)
    with pytest.raises(StudentError, match="call two"):
        student.repeat(student.recall.race, 10, RATES, 0.0, rng, check=pair)
    assert len(student.get(student.recall, "CALLS")) == 2  # no call after the error


def test_each_call_has_its_own_time_limit(make_student):
    student = make_student("if len(CALLS) == 3:\n        while True: pass")
    rng = student.recall.np.random.default_rng(1)
    started = time.monotonic()
    with pytest.raises(StudentTimeout):
        student.repeat(student.recall.race, 400, RATES, 0.0, rng, check=pair)
    assert time.monotonic() - started < 3 * LIMITS.call_seconds
