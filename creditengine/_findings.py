"""Lint findings as data, the report that holds them, and the ``# lint: allow`` comments that
accept a known finding.

A finding is a code, a location and its message's parameters (no language: ``_explain`` words
it). A pack accepts a finding it means by a comment beside the rule it concerns::

    mo-dsal: {levels: [junior, intermediate, senior]}  # lint: allow unconverted-level — why

or alone on the line(s) above it. Accepted findings are not counted (``--strict`` passes) but
stay in the report, with their reason; an allow comment that accepts nothing is itself a finding
(``unused-allow``), so a stale one cannot hide the next real warning.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from ._explain import LINT_MESSAGES, lint_fix, lint_hint, lint_line, lint_message
from ._source import SourceLocation
from ._yaml import Comment

__all__ = ["CODES", "LintFinding", "LintReport", "accept"]

#: The codes, sorted.
CODES = tuple(sorted(LINT_MESSAGES))


@dataclass(frozen=True, slots=True)
class LintFinding:
    """One lint warning: a code, where it is, and the parts of its message.

    :param code: one of :data:`CODES`, e.g. ``"shadowed"``.
    :param location: the file, line and column it points at.
    :param params: the message's parts, as (name, text) pairs.

    .. versionadded:: 0.2
    """

    code: str
    location: SourceLocation
    params: tuple[tuple[str, str], ...]
    severity: Literal["warning"] = "warning"
    #: Why the pack accepts it (a ``# lint: allow CODE — reason`` comment), or None.
    accepted: str | None = None

    @property
    def message(self) -> str:
        """The finding in English."""
        return self.text("en")

    def text(self, lang: str = "en") -> str:
        """The finding in ``lang`` (``en`` or ``zh``)."""
        return lint_message(self.code, dict(self.params), lang)

    def line(self, lang: str = "en") -> str:
        """``FILE:LINE:COL: code: message (at key.path)``, as ``creditengine lint`` prints it
        (in Chinese the key path is worded in Chinese)."""
        loc = self.location
        accepted = self.accepted is not None
        return lint_line(str(loc), self.code, self.text(lang), loc.field, lang, accepted=accepted)

    def fix(self, lang: str = "en") -> str:
        """What to do about it, in ``lang``."""
        return lint_fix(self.code, lang)

    def hint(self, lang: str = "en") -> str:
        """The indented line printed under :meth:`line`: ``fix: ...``, or for an accepted
        finding ``accepted: <reason>``."""
        return lint_hint(self.code, lang, self.accepted)

    def __str__(self) -> str:
        return self.line()

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Files, then lines and columns, then codes: the same pack always lists the same way."""
        loc = self.location
        return (loc.file, loc.line, loc.column, self.code, self.message)

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """The finding as JSON-ready data, its message in ``lang``."""
        loc = self.location
        return {
            "file": loc.file,
            "line": loc.line,
            "column": loc.column,
            "path": loc.field,
            "code": self.code,
            "severity": self.severity,
            "message": self.text(lang),
            "fix": self.fix(lang),
            "params": dict(self.params),
            **({"accepted": self.accepted} if self.accepted is not None else {}),
        }


@dataclass(frozen=True, slots=True)
class LintReport:
    """What :func:`lint` found in a pack, in file, line and column order.

    :param pack: the pack's name.
    :param root: the pack folder as given.
    :param findings: every finding not accepted, sorted by file, line, column and code: what
        ``--strict`` fails on.
    :param accepted: the findings a ``# lint: allow`` comment accepts (each with its reason), in
        the same order: not counted, but still shown.

    >>> lint().findings
    ()
    >>> lint().accepted[0].code
    'unconverted-level'

    .. versionadded:: 0.2
    """

    pack: str
    root: str
    findings: tuple[LintFinding, ...]
    accepted: tuple[LintFinding, ...] = ()

    @property
    def clean(self) -> bool:
        """Whether there is nothing to report (accepted findings aside)."""
        return not self.findings

    def counts(self, *, accepted: bool = False) -> dict[str, int]:
        """How many findings (with ``accepted``, accepted findings) of each code, by code."""
        counts: dict[str, int] = {}
        for finding in self.accepted if accepted else self.findings:
            counts[finding.code] = counts.get(finding.code, 0) + 1
        return dict(sorted(counts.items()))

    def to_json(self, lang: str = "en") -> str:
        """Deterministic JSON: the pack, every finding (messages in ``lang``), and the count per code."""
        body = {
            "pack": self.pack,
            "root": self.root,
            "findings": [f.to_dict(lang) for f in self.findings],
            "counts": self.counts(),
            "accepted": [f.to_dict(lang) for f in self.accepted],
        }
        return json.dumps(body, ensure_ascii=False, indent=2)


#: A comment meant for lint: ``# lint: ...``.
_LINT_COMMENT = re.compile(r"\s*lint\s*:")
#: ``# lint: allow CODE[, CODE...] — reason`` (the dash may also be -, --, – or :).
_ALLOW = re.compile(
    r"\s*lint:\s*allow\s+(?P<codes>[a-z][a-z-]*(?:\s*,\s*[a-z][a-z-]*)*)"
    r"\s*(?:(?:—|–|--|-|:)\s*(?P<reason>.*?))?\s*$"
)


def _next_line(lines: list[str], after: int) -> int:
    """The number of the first line after line ``after`` that is neither blank nor a comment."""
    for number in range(after + 1, len(lines) + 1):
        text = lines[number - 1].strip()
        if text and not text.startswith("#"):
            return number
    return 0


def accept(
    found: list[LintFinding], files: Mapping[str, tuple[list[str], list[Comment]]]
) -> tuple[list[LintFinding], list[LintFinding]]:
    """Split ``found`` into the findings still reported and those a ``# lint: allow CODE —
    reason`` comment accepts: one on the finding's line, or alone on the line(s) above it.
    An allow comment that accepts nothing, names no code lint reports, or cannot be read is
    itself reported (``unused-allow``, which no comment can accept).

    :param files: each file's lines and comments, by the name findings give it.
    """
    allows: dict[tuple[str, int, str], str] = {}
    where: dict[tuple[str, int, str], SourceLocation] = {}
    unused: list[LintFinding] = []
    for file, (lines, comments) in files.items():
        for comment in comments:
            if not _LINT_COMMENT.match(comment.text):
                continue
            at = SourceLocation(file, comment.line, comment.column)
            parsed = _ALLOW.match(comment.text)
            if parsed is None:
                unused.append(LintFinding("unused-allow", at, (("code", ""), ("reason", "unreadable"))))
                continue
            target = comment.line if not comment.alone else _next_line(lines, comment.line)
            for code in re.split(r"\s*,\s*", parsed["codes"]):
                if code not in LINT_MESSAGES or code == "unused-allow":
                    unused.append(LintFinding("unused-allow", at, (("code", code), ("reason", "unknown"))))
                    continue
                key = (file, target, code)
                allows[key] = (parsed["reason"] or "").strip()
                where[key] = at
    used: set[tuple[str, int, str]] = set()
    kept: list[LintFinding] = []
    accepted: list[LintFinding] = []
    for finding in found:
        key = (finding.location.file, finding.location.line, finding.code)
        if key in allows:
            used.add(key)
            accepted.append(replace(finding, accepted=allows[key]))
        else:
            kept.append(finding)
    for key, at in where.items():
        if key not in used:
            unused.append(LintFinding("unused-allow", at, (("code", key[2]), ("reason", "unmatched"))))
    return kept + unused, accepted
