"""The step library, from the package: ``creditengine/scenarios/`` (what ``creditengine test`` runs)."""

from creditengine.scenarios.steps import *  # noqa: F403
