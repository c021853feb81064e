"""Every scenario under ``features/`` (all folders), run with the step library in conftest.py.

A new ``.feature`` file anywhere under ``features/`` is picked up here: no Python to write.
"""

from pytest_bdd import scenarios

scenarios(".")
