"""The step library, from the package: ``creditengine/scenarios/`` (what ``creditengine test`` runs).

``CREDITENGINE_ENGINE=durable pytest tests/features`` runs every scenario under the durable
evaluator (tests/unit/test_durable.py runs them all that way in ``make test`` too).
"""

import os
from collections.abc import Iterator

import pytest

from creditengine.scenarios._case import EVALUATOR
from creditengine.scenarios.steps import *  # noqa: F403


@pytest.fixture(autouse=True)
def _evaluator() -> Iterator[None]:
    chosen = EVALUATOR.set(os.environ.get("CREDITENGINE_ENGINE", "compiled"))  # type: ignore[arg-type]
    yield
    EVALUATOR.reset(chosen)
