"""formgrader, started for real, shows the autograded scores: checked in headless chromium.

A Jupyter server with nbgrader's formgrader extension serves a graded course on
a loopback port behind a random token; the browser logs in with the token as a
person would, opens a student's page, follows the link to a notebook and reads
the score formgrader shows in each grade cell. Two courses: the tiny one
(tests/tiny_course.py, notebook tests), and one graded by ``recallkit grade``
whose modules notebook holds each demo's module score. Needs Debian's chromium
and chromium-driver (``make test`` installs them).
"""

import csv
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from tiny_course import ASSIGNMENT, NOTEBOOK, POINTS

from recallkit import paths
from recallkit.demo import hand_in
from recallkit.nbgrader_plugin import MODULES_NOTEBOOK, cell_id
from recallkit.release.pipeline import build_release

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
WAIT = 60  # seconds for a page or the server (a loaded 2-core machine)


@contextmanager
def formgrader(course: Path) -> Iterator[tuple[str, str]]:
    """A Jupyter server with formgrader in ``course``; yields (base URL, token)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    token = secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(course / ".jupyter"))
    argv = [sys.executable, "-m", "jupyter_server", "--no-browser", "--allow-root",
            "--ip=127.0.0.1", f"--port={port}", f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={course}"]
    with open(course / "formgrader.log", "wb") as log:
        server = subprocess.Popen(argv, cwd=course, env=env, stdin=subprocess.DEVNULL,
                                  stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + WAIT
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                assert server.poll() is None, (course / "formgrader.log").read_text()
                assert time.monotonic() < deadline, "formgrader did not start"
                time.sleep(0.2)
        yield base, token
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--disable-gpu"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def log_in(driver: webdriver.Chrome, base: str, token: str) -> None:
    driver.get(f"{base}/login?next=/formgrader")
    password = driver.find_element(By.CSS_SELECTOR, "input[type=password]")
    password.send_keys(token)
    password.submit()
    WebDriverWait(driver, WAIT).until(lambda d: "/formgrader" in d.current_url)


def shown_scores(driver: webdriver.Chrome, base: str, student: str, assignment: str = ASSIGNMENT,
                 notebook: str = NOTEBOOK) -> tuple[str, dict]:
    """The notebook's total on the student's page, and the score formgrader shows per cell."""
    driver.get(f"{base}/formgrader/manage_students/{student}/{assignment}")
    link = WebDriverWait(driver, WAIT).until(
        lambda d: d.find_elements(By.LINK_TEXT, notebook))[0]
    row = link.find_element(By.XPATH, "./ancestor::tr").text
    link.click()
    # The score boxes show the autograded score as their placeholder, filled in by script
    # one box after another: wait until every box has it.
    boxes = WebDriverWait(driver, WAIT).until(
        lambda d: (found := d.find_elements(By.CSS_SELECTOR, "input.score")) and all(
            box.get_attribute("placeholder") for box in found) and found)
    return row, {box.get_attribute("id"): box.get_attribute("placeholder") for box in boxes}


def test_formgrader_shows_each_students_autograded_scores(tiny_course, browser):
    with formgrader(tiny_course.root) as (base, token):
        log_in(browser, base, token)
        alice_row, alice = shown_scores(browser, base, "alice")
        bob_row, bob = shown_scores(browser, base, "bob")
    total = sum(POINTS.values())
    assert alice_row.startswith(f"{NOTEBOOK} {total} / {total}"), alice_row
    assert bob_row.startswith(f"{NOTEBOOK} 0 / {total}"), bob_row
    assert {cell: float(score) for cell, score in alice.items()} == \
        {cell: float(points) for cell, points in POINTS.items()}
    assert {cell: float(score) for cell, score in bob.items()} == dict.fromkeys(POINTS, 0.0)


@pytest.fixture(scope="module")
def module_course(tmp_path_factory) -> Path:
    """The modules notebook only, graded by ``recallkit grade``: alice has the reference
    modules, bob's softmax does not subtract the largest score (Demo 3 loses points)."""
    root = tmp_path_factory.mktemp("modules")
    source = root / "source"
    source.mkdir()
    name = f"{MODULES_NOTEBOOK}.ipynb"
    (source / name).write_bytes((paths.SOURCE / paths.ASSIGNMENT / name).read_bytes())
    course = root / "course"
    release = build_release(root / "release", course_root=course, source=source)
    hand_in(course, release, "alice", [])
    hand_in(course, release, "bob", ["no_max_subtraction"])
    done = subprocess.run([sys.executable, "-m", "recallkit.cli", "grade", str(course),
                           "--jobs", "2", "--quiet"], capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return course


def test_formgrader_shows_each_demos_module_score(module_course, browser):
    with (module_course / f"grades_{paths.ASSIGNMENT}.csv").open() as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    with formgrader(module_course) as (base, token):
        log_in(browser, base, token)
        shown = {student: shown_scores(browser, base, student, paths.ASSIGNMENT,
                                       MODULES_NOTEBOOK)[1] for student in ("alice", "bob")}
    demos = sorted(column[len("demo"):] for column in rows["alice"]
                   if column.startswith("demo") and column[len("demo"):].isdigit())
    assert len(demos) == 6
    for student, scores in shown.items():
        assert {cell: float(score) for cell, score in scores.items()} == \
            {cell_id(demo): float(rows[student][f"demo{demo}"]) for demo in demos}
    assert float(shown["bob"][cell_id("3")]) < float(shown["alice"][cell_id("3")])
