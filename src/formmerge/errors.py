"""Exceptions and problem records.

Every exception formmerge raises on purpose derives from one root::

    FormmergeError
    ├── CatalogError        the field catalog (items, roles, code lists, materials) is invalid
    ├── FormError           a form file cannot be read or describes an impossible form
    ├── DecisionsError      a decisions file is malformed or names unknown items or roles
    ├── SourceError         a shared-data source configuration or query failed
    │   └── AccessDeniedError   a read of an item the form does not ask for (minimum necessary)
    ├── RuleError           an eligibility rule is malformed, unsafe or ill-typed
    └── BundleError         a bundle directory is malformed or its forms cannot be ordered

Data problems are :class:`Problem` records (a kebab-case ``code``, a message and a location).
An exception that stands for several problems carries them all in ``problems`` so that one run
reports every problem in a file, not only the first. Messages and locations are redacted when
they are made: anything shaped like an ID, mobile or landline number is masked, so that no
error names a subject in a log.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from formmerge.redaction import redact

__all__ = [
    "AccessDeniedError",
    "BundleError",
    "CatalogError",
    "DecisionsError",
    "FormError",
    "FormmergeError",
    "Location",
    "Problem",
    "RuleError",
    "SourceError",
]


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file, and inside it a line, a JSON pointer, a form or a field."""

    file: str | None = None
    line: int | None = None
    pointer: str | None = None
    form: str | None = None
    field: str | None = None

    def __post_init__(self) -> None:
        for name in ("pointer", "form", "field"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, redact(value))

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file:
            parts.append(self.file + (f":{self.line}" if self.line is not None else ""))
        elif self.line is not None:
            parts.append(f"line {self.line}")
        if self.pointer:
            parts.append(f"at {self.pointer}")
        if self.form:
            parts.append(f"form {self.form!r}")
        if self.field:
            parts.append(f"field {self.field!r}")
        return ", ".join(parts) or "<unknown place>"


@dataclass(frozen=True)
class Problem:
    """One data problem: a stable kebab-case code, what to fix, and where."""

    code: str
    message: str
    location: Location = field(default_factory=Location)

    def __post_init__(self) -> None:
        if isinstance(self.message, str):
            object.__setattr__(self, "message", redact(self.message))

    def __str__(self) -> str:
        return f"{self.location}: {self.message} [{self.code}]"

    def to_dict(self) -> dict[str, object]:
        """Plain-data form for JSON output and table comparisons in tests."""
        loc = {k: v for k, v in self.location.__dict__.items() if v is not None}
        return {"code": self.code, "message": self.message, "location": loc}


class FormmergeError(Exception):
    """Root of every error formmerge raises on purpose.

    Args:
        message: a summary of what went wrong.
        problems: the individual problems, when the error gathers several.
    """

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        self.problems: list[Problem] = list(problems)
        self.summary = redact(message)
        super().__init__(self._render())

    def _render(self) -> str:
        if not self.problems:
            return self.summary
        lines = [f"{self.summary} ({len(self.problems)} problem(s)):"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)

    @property
    def codes(self) -> list[str]:
        """The codes of the gathered problems, in order."""
        return [p.code for p in self.problems]

    @classmethod
    def from_problems(cls, message: str, problems: Iterable[Problem]) -> FormmergeError:
        """Build the error from problems (the caller raises it only if there are any)."""
        return cls(message, list(problems))


class CatalogError(FormmergeError):
    """The field catalog is invalid."""


class FormError(FormmergeError):
    """A form file cannot be read, or it describes an impossible form."""


class DecisionsError(FormmergeError):
    """A decisions file is malformed or names an unknown item or role."""


class SourceError(FormmergeError):
    """A shared-data source configuration is invalid or a query on it failed."""


class AccessDeniedError(SourceError):
    """A read of an item that the form being prefilled does not ask for."""


class RuleError(FormmergeError):
    """An eligibility rule is malformed, unsafe or ill-typed, or a batch check failed."""

    sql: str | None = None
    """The statement of a failed batch check (identifiers and placeholders only, no values)."""


class BundleError(FormmergeError):
    """A bundle is malformed or its departments cannot be put in an order."""
