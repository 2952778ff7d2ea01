"""Domain errors: what the registry tells its callers when something cannot be done.

Driver errors are translated into these at the data-access boundary (see ``registry.db``), so
no caller above ``registry`` ever sees a Neo4j exception.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

__all__ = [
    "RegistryError",
    "ValidationError",
    "FieldError",
    "Code",
    "REFERENCE_KINDS",
    "NotFound",
    "VersionConflict",
    "NotAllowed",
    "NotAllowedCode",
    "DatabaseUnavailable",
]


class RegistryError(Exception):
    """Base of every error the registry raises on purpose."""


class Code(StrEnum):
    """What is wrong with a field, for programs: a client shows its own text for the code and
    its ``params`` (the web pages do, in Vietnamese or English), and falls back to the English
    ``reason`` for a code it does not know. A code, once published, keeps its meaning; the
    params each one carries are listed beside it."""

    # Presence and type
    REQUIRED = "REQUIRED"
    MISSING_IDENTITY = "MISSING_IDENTITY"  # a profile needs id, orcid, externalKey or email
    NOT_TEXT = "NOT_TEXT"
    NOT_INTEGER = "NOT_INTEGER"
    NOT_NUMBER = "NOT_NUMBER"
    NOT_BOOLEAN = "NOT_BOOLEAN"
    NOT_LIST = "NOT_LIST"
    NOT_OBJECT = "NOT_OBJECT"
    UNKNOWN_FIELD = "UNKNOWN_FIELD"
    # Text
    INVALID_UNICODE = "INVALID_UNICODE"  # position
    CONTROL_CHARACTER = "CONTROL_CHARACTER"  # char (U+XXXX)
    BIDI_CONTROL = "BIDI_CONTROL"  # char (U+XXXX)
    TOO_LONG = "TOO_LONG"  # limit, actual: characters
    TOO_LARGE = "TOO_LARGE"  # limit, actual: bytes
    NO_SEARCHABLE_WORDS = "NO_SEARCHABLE_WORDS"
    # Sizes and ranges
    TOO_MANY = "TOO_MANY"  # limit
    TOO_FEW = "TOO_FEW"  # min
    OUT_OF_RANGE = "OUT_OF_RANGE"  # min, max
    NEGATIVE = "NEGATIVE"
    NOT_POSITIVE = "NOT_POSITIVE"
    BEFORE_START = "BEFORE_START"  # field: the start it must not precede, start
    NO_ITEMS = "NO_ITEMS"  # a position in a list that is empty
    # Formats
    INVALID_EMAIL = "INVALID_EMAIL"
    INVALID_PHONE = "INVALID_PHONE"  # min, max: digits
    INVALID_COUNTRY = "INVALID_COUNTRY"
    INVALID_LANGUAGE = "INVALID_LANGUAGE"
    INVALID_DATE = "INVALID_DATE"
    INVALID_URL = "INVALID_URL"
    URL_HAS_SPACES = "URL_HAS_SPACES"
    URL_HAS_CREDENTIALS = "URL_HAS_CREDENTIALS"
    INVALID_ORCID = "INVALID_ORCID"
    ORCID_CHECK_DIGIT = "ORCID_CHECK_DIGIT"
    INVALID_DOI = "INVALID_DOI"
    INVALID_SLUG = "INVALID_SLUG"  # limit
    INVALID_ID = "INVALID_ID"
    INVALID_CODE = "INVALID_CODE"  # a task or programme code
    INVALID_CURSOR = "INVALID_CURSOR"
    INVALID_ORGANIZATION = "INVALID_ORGANIZATION"
    INVALID_VALUE = "INVALID_VALUE"
    # Choices and references
    UNKNOWN_VALUE = "UNKNOWN_VALUE"  # allowed
    UNKNOWN_REFERENCE = "UNKNOWN_REFERENCE"  # kind (see REFERENCE_KINDS), value
    NOT_IN_LIST = "NOT_IN_LIST"  # list: the strategic-technology list, value
    NOT_APPLICABLE = "NOT_APPLICABLE"  # field, value: the condition it applies under
    WRONG_ROLE = "WRONG_ROLE"  # allowed: roles
    # Uniqueness and state
    DUPLICATE = "DUPLICATE"  # value
    ALREADY_EXISTS = "ALREADY_EXISTS"
    ALREADY_USED = "ALREADY_USED"  # value
    ALREADY_LINKED = "ALREADY_LINKED"
    ALREADY_ON_PROFILE = "ALREADY_ON_PROFILE"
    NOT_ON_PROFILE = "NOT_ON_PROFILE"
    IMMUTABLE = "IMMUTABLE"
    # Import and restore rows (path "" is the row as a whole)
    INVALID_JSON = "INVALID_JSON"  # column (when known)
    INVALID_UTF8 = "INVALID_UTF8"  # position
    INVALID_CSV = "INVALID_CSV"
    FIELD_COUNT = "FIELD_COUNT"  # actual, expected
    UNKNOWN_COLUMNS = "UNKNOWN_COLUMNS"  # value: the unknown names, allowed
    REPEATED_COLUMNS = "REPEATED_COLUMNS"  # value
    MISSING_COLUMN = "MISSING_COLUMN"  # value
    DUPLICATE_ROW = "DUPLICATE_ROW"  # line: the first row of the same expert, value: its id
    IDENTITY_CONFLICT = "IDENTITY_CONFLICT"  # value: the stored experts the identifiers reach
    REGISTERED_BY_OTHER = "REGISTERED_BY_OTHER"  # value: the expert id
    CLAIMED_BY_EXPERT = "CLAIMED_BY_EXPERT"  # value: the expert id
    NOT_A_RECORD = "NOT_A_RECORD"
    CANNOT_RESTORE = "CANNOT_RESTORE"  # value
    BROKEN_LINKS = "BROKEN_LINKS"  # actual, limit


# The kinds an UNKNOWN_REFERENCE names (its ``kind`` param).
REFERENCE_KINDS = frozenset(
    {"skill", "techArea", "techList", "programme", "expert", "organization"})


@dataclass(frozen=True)
class FieldError:
    """One invalid field: ``path`` such as ``"skills.2.level"``, a ``code`` programs act on,
    a ``reason`` in English a person can act on, and the ``params`` the code's text needs
    (``{"limit": 200}``): numbers, text, or lists of text.

    The code is part of construction, so no error reaches a caller without one.
    """

    path: str
    code: Code
    reason: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.code, Code):
            raise TypeError(f"FieldError code must be a Code, not {self.code!r}")
        if not isinstance(self.reason, str) or not self.reason:
            raise TypeError("FieldError needs a reason in words")
        if self.code is Code.UNKNOWN_REFERENCE and \
                self.params.get("kind") not in REFERENCE_KINDS:
            raise ValueError(f"UNKNOWN_REFERENCE needs a kind among {sorted(REFERENCE_KINDS)}")

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}" if self.path else self.reason

    def at(self, path: str) -> FieldError:
        """The same error at another path."""
        return FieldError(path, self.code, self.reason, self.params)


class ValidationError(RegistryError):
    """One or more fields are invalid; nothing was written."""

    def __init__(self, errors: list[FieldError] | FieldError):
        if isinstance(errors, FieldError):
            errors = [errors]
        if not errors:
            raise ValueError("ValidationError needs at least one FieldError")
        self.errors: list[FieldError] = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors))

    @classmethod
    def at(cls, path: str, code: Code, reason: str, **params: Any) -> ValidationError:
        """One invalid field: ``ValidationError.at("code", Code.IMMUTABLE, "cannot ...")``."""
        return cls(FieldError(path, code, reason, params))


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


class NotAllowedCode(StrEnum):
    """Why the caller may not do something, for programs (the English reason is for people)."""

    ROLE = "ROLE"  # the caller's role does not allow it
    NOT_OWNER = "NOT_OWNER"  # only the record's owner (or an administrator) may
    ACCOUNT_REVOKED = "ACCOUNT_REVOKED"
    TASK_CLOSED = "TASK_CLOSED"
    HAS_TASKS = "HAS_TASKS"  # a programme with tasks is closed, not deleted
    HAS_DECISIONS = "HAS_DECISIONS"  # only a draft without decisions is deleted
    NOT_EMPTY = "NOT_EMPTY"  # a restore needs an empty registry


class NotAllowed(RegistryError):
    def __init__(self, code: NotAllowedCode, reason: str):
        if not isinstance(code, NotAllowedCode):
            raise TypeError(f"NotAllowed code must be a NotAllowedCode, not {code!r}")
        self.code = code
        self.reason = reason
        super().__init__(reason)


class DatabaseUnavailable(RegistryError):
    def __init__(self, detail: str = "the graph database cannot be reached"):
        super().__init__(detail)
