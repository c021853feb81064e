"""Where a piece of input came from: file, line, column and key path."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SourceLocation", "format_path"]


def format_path(path: tuple[str | int, ...]) -> str:
    """Render a key path as staff read it: ``rules[2].points.table``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """A position in an input file.

    Lines and columns count from 1, as editors show them.

    :param file: the file's path as given by the caller.
    :param line: 1-based line, or 0 when unknown.
    :param column: 1-based column, or 0 when unknown.
    :param path: the key path inside the document, e.g. ``("rules", 0, "when")``.

    >>> str(SourceLocation("rules/pack.yaml", 3, 5, ("scale", "decimals")))
    'rules/pack.yaml:3:5'

    .. versionadded:: 0.1
    """

    file: str
    line: int = 0
    column: int = 0
    path: tuple[str | int, ...] = ()

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}"
        return self.file

    @property
    def field(self) -> str:
        """The key path as text (empty for the document itself)."""
        return format_path(self.path)

    def at(self, *more: str | int) -> SourceLocation:
        """The same position with a longer key path (used when no finer mark exists)."""
        return SourceLocation(self.file, self.line, self.column, self.path + more)
