"""The shipped step library for policy scenarios (``features/**/*.feature``).

Policy staff write scenarios in plain words with these steps and no Python;
``features/README.md`` lists every step with an example. ``creditengine test``
runs scenarios with this module as a pytest plugin; a project's own pytest
suite uses it from a ``conftest.py``::

    from creditengine.scenarios.steps import *  # noqa: F403

The names are the fixtures pytest-bdd made for each step (``pytestbdd_stepdef_...``),
the shared ``policy_case``, ``scenario_pack_copies`` and ``step_patterns``.
"""

# The fixtures the steps share (re-exported: pytest finds fixtures by module attribute).
from ._case import policy_case, scenario_pack_copies, step_patterns  # noqa: F401
from ._given import *  # noqa: F403  (the Given and When step fixtures)
from ._then import *  # noqa: F403  (the Then step fixtures)

__all__ = sorted(
    [
        "policy_case",
        "scenario_pack_copies",
        "step_patterns",
        *(n for n in dir() if n.startswith("pytestbdd_")),
    ]
)
