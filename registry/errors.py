"""Domain errors: what the registry tells its callers when something cannot be done.

Driver errors are translated into these at the data-access boundary (see ``registry.db``), so
no caller above ``registry`` ever sees a Neo4j exception.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "RegistryError",
    "ValidationError",
    "FieldError",
    "NotFound",
    "VersionConflict",
    "NotAllowed",
    "DatabaseUnavailable",
]


class RegistryError(Exception):
    """Base of every error the registry raises on purpose."""


@dataclass(frozen=True)
class FieldError:
    """One invalid field: ``path`` such as ``"skills.2.level"`` and a reason a person can act on."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class ValidationError(RegistryError):
    """One or more fields are invalid; nothing was written."""

    def __init__(self, errors: list[FieldError] | FieldError | str, reason: str | None = None):
        if isinstance(errors, str):
            errors = [FieldError(errors, reason or "is invalid")]
        elif isinstance(errors, FieldError):
            errors = [errors]
        if not errors:
            raise ValueError("ValidationError needs at least one FieldError")
        self.errors: list[FieldError] = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors))


class NotFound(RegistryError):
    def __init__(self, kind: str, ident: str):
        self.kind = kind
        self.ident = ident
        super().__init__(f"{kind} {ident!r} was not found")


class VersionConflict(RegistryError):
    """The record changed since the caller read it; re-read and apply the change again."""

    def __init__(self, kind: str, ident: str, expected: int, current: int):
        self.kind = kind
        self.ident = ident
        self.expected = expected
        self.current = current
        super().__init__(
            f"{kind} {ident!r} is at version {current}, not {expected}: "
            "it was changed meanwhile; read it again and re-apply the change"
        )


class NotAllowed(RegistryError):
    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


class DatabaseUnavailable(RegistryError):
    def __init__(self, detail: str = "the graph database cannot be reached"):
        super().__init__(detail)
