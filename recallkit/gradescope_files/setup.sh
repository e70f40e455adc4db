#!/usr/bin/env bash
# Gradescope runs this once, as root and with network, when it builds the autograder image
# (an Ubuntu base image). It installs only what grading needs, at the versions pinned in
# requirements-gradescope.txt; grading itself (run_autograder) needs no network.
# AUTOGRADER_ROOT (default /autograder) lets it be tried on another machine.
set -euo pipefail

ROOT="${AUTOGRADER_ROOT:-/autograder}"
SOURCE="$ROOT/source"
VENV="$ROOT/venv"

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# bubblewrap contains student code where the container allows namespaces; where it does
# not, the grader falls back to rlimits by itself and says so in every result.
command -v bwrap >/dev/null 2>&1 || apt_install bubblewrap
# libseccomp compiles the sandbox's system-call filter (through pyseccomp), in every mode.
ldconfig -p | grep -q 'libseccomp\.so\.2' || apt_install libseccomp2

# Python 3.11 or newer: Ubuntu 22.04's python3 is 3.10, so take its python3.11 package.
python_ok() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; }
PYTHON=""
for candidate in python3 python3.13 python3.12 python3.11; do
  if command -v "$candidate" >/dev/null 2>&1 && python_ok "$candidate"; then
    PYTHON="$(command -v "$candidate")"
    break
  fi
done
if [ -z "$PYTHON" ]; then
  apt_install python3.11 python3.11-venv
  PYTHON=/usr/bin/python3.11
fi

# Debian and Ubuntu ship venv's ensurepip separately, as python3.X-venv.
rm -rf "$VENV"
if ! "$PYTHON" -m venv "$VENV" >/dev/null 2>&1; then
  rm -rf "$VENV"
  apt_install "python3.$("$PYTHON" -c 'import sys; print(sys.version_info.minor)')-venv"
  "$PYTHON" -m venv "$VENV"
fi

# Wheels only and --no-deps: exactly the pinned set, nothing resolved afresh.
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps \
  --only-binary=:all: -r "$SOURCE/requirements-gradescope.txt"
"$VENV/bin/python" -m pip check
# Editable: recallkit finds autograder/ and solutions/ next to its own folder, in source/.
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -e "$SOURCE"
"$VENV/bin/python" -c 'import numpy, pytest, hypothesis, recallkit.grading.runner'
# Compiled once here, so that each submission starts faster.
"$VENV/bin/python" -m compileall -q "$SOURCE/recallkit" "$SOURCE/autograder" "$SOURCE/solutions"
if [ -f "$ROOT/run_autograder" ]; then chmod +x "$ROOT/run_autograder"; fi
echo "recallkit autograder ready: $("$VENV/bin/python" --version), bubblewrap $(bwrap --version)"
