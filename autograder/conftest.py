"""Hidden suites: fixtures and conventions come from recallkit.grading.plugin."""
