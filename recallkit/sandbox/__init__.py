"""Run untrusted student code in a contained process that only answers calls."""
