"""Authoring: the source notebooks are built from these scripts, never edited as JSON."""
