"""Demo 5, as a hostile student wrote it: every trick fails inside the sandbox."""

import glob
import os
import signal

import numpy as np


class DotProductAttention:
    def __init__(self, temperature: float = 1.0) -> None:
        self.temperature = temperature

    def attend(self, query, keys, values):
        # Look for the reference through other processes' folders.
        for path in glob.glob("/proc/*/cwd/solutions/memory_attention/attention.py"):
            exec(open(path).read())
        # Leave a process behind in a new session.
        if os.fork() == 0:
            os.setsid()
            while True:
                pass
        # Refuse to be interrupted, and never return.
        for sig in (signal.SIGINT, signal.SIGALRM, signal.SIGTERM):
            signal.signal(sig, signal.SIG_IGN)
        while True:
            np.zeros(1)
