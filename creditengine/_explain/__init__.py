"""The renderer: reasons (codes with parameters) into English and Chinese sentences.

This is the only package of the library that makes sentences or holds Chinese
text (a structural test says so). Evaluation records :class:`~.._trace.Reason`
values; results call :func:`render` when they are shown, in the language asked.
Each code has one entry in ``MESSAGES``, a function of its parameters and the
language; conditions and requirements are rendered from their descriptions.

One module per kind of text: ``words`` (field names, values, conditions and
requirements), ``messages`` (what evaluation decided), ``advice`` (explanations
and the smallest changes), ``lint`` (warnings about a pack).
"""

from __future__ import annotations

from .advice import ADVICE
from .lint import LINT_MESSAGES, lint_fix, lint_hint, lint_line, lint_message
from .messages import MESSAGES, render
from .words import LANGUAGES, PackWords, condition_text, pack_words, requirement_text, show, speaking

__all__ = [
    "LANGUAGES",
    "LINT_MESSAGES",
    "MESSAGES",
    "PackWords",
    "condition_text",
    "lint_fix",
    "lint_hint",
    "lint_line",
    "lint_message",
    "pack_words",
    "render",
    "requirement_text",
    "show",
    "speaking",
]

# Explanations render through the same catalogue as evaluation's own reasons.
MESSAGES.update(ADVICE)
