"""The release pipeline: source notebooks + reference modules -> the student version.

``stubs`` turns reference modules into stubs, ``leaks`` checks a release for
instructor-only text, ``pipeline`` runs nbgrader and assembles ``release/``.
"""
