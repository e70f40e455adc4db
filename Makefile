# Two commands set everything up on a fresh machine (Python 3.11+ and make):
#   make demo   build the environment and the release, then grade the bundled example class
#   make test   build the environment and run every test
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint release sandbox-deps browser-deps bench clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

# bubblewrap gives the grader a real sandbox (namespaces); without it a root grader falls
# back to a uid per sandbox with seccomp and Landlock, and a non-root one refuses to grade.
# libseccomp compiles the seccomp filter (through pyseccomp) in both modes.
sandbox-deps:
	@{ command -v bwrap && ldconfig -p | grep -q 'libseccomp\.so\.2'; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq bubblewrap libseccomp2; \
	  elif command -v sudo >/dev/null 2>&1; then sudo apt-get update -qq && sudo apt-get install -y -qq bubblewrap libseccomp2; \
	  else echo "warning: bubblewrap or libseccomp2 missing and no root: grading refuses" >&2; fi; }

# The formgrader test drives a real headless browser: Debian's chromium and its driver.
browser-deps:
	@{ command -v chromium && command -v chromedriver; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium chromium-driver; \
	  elif command -v sudo >/dev/null 2>&1; then sudo apt-get update -qq && sudo apt-get install -y -qq chromium chromium-driver; \
	  else echo "warning: chromium/chromium-driver missing and no root: the formgrader test will fail" >&2; fi; }

demo: $(STAMP) sandbox-deps
	$(VENV)/bin/recallkit demo

test: $(STAMP) sandbox-deps browser-deps
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

release: $(STAMP)
	$(VENV)/bin/recallkit release

bench: $(STAMP) sandbox-deps
	$(VENV)/bin/recallkit bench

clean:
	rm -rf build
