"""nbgrader configuration for the recallkit course root (this folder).

Each setting below closes a measured pitfall of nbgrader 0.9.6; see
recallkit/nbgrader_settings.py for the values and the reasons.
"""

from recallkit.nbgrader_settings import configure

configure(get_config())  # noqa: F821 (nbgrader injects get_config)
