"""Student-controlled text made safe to store, print and open in a spreadsheet.

Exception names and messages, reprs and folder names come from student code:
they are cut to a fixed size before anything keeps them, control characters
never reach a terminal raw (an ANSI escape could draw a fake total), and a CSV
cell never starts like a formula.
"""

import re

TEXT_LIMIT = 1000  # characters of one piece of feedback (a test's output, a reason)
# C0 and C1 control characters except newline and tab; ESC (0x1b) starts ANSI sequences.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cap(text: str, limit: int = TEXT_LIMIT) -> str:
    """``text`` cut to ``limit`` characters, saying so when cut."""
    text = str(text)
    if len(text) <= limit:
        return text
    return text[: limit - 20] + " … (text cut short)"


def for_terminal(text: str) -> str:
    """``text`` with control characters shown as ``?`` (newlines and tabs kept)."""
    return _CONTROL.sub("?", str(text))


def csv_cell(value: object) -> object:
    """A CSV cell a spreadsheet will not run: a leading = + - @ tab or CR is quoted away."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
