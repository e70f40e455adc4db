"""Grading: hidden pytest suites run in the trusted process against a sandboxed submission."""
