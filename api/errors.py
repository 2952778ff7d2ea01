"""Errors the API tells its callers about, typed in the schema, and the mapping from the
registry's domain errors to them.

Expected failures of a mutation are part of its return type, a union such as
``ProfileUpdated | ValidationFailed | VersionConflict | NotFound``. A mutation resolver simply
lets the registry raise (``ValidationError``, ``VersionConflict``, ``NotFound``,
``NotAllowed``): the ``EXCEPTION_HANDLERS`` below, registered where the schema is built, turn
the exception into the matching union member whenever the field's union contains it. When it
does not (reads, or a union without that member) the exception becomes a GraphQL error with an
``extensions.code`` (see ``api.safeguards.ErrorPolicy``). ``typed_error`` does the same
conversion by hand for code that catches the exception itself.
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from registry import errors as domain

__all__ = [
    "UserError", "FieldErrorCode", "FieldErrorType", "field_error", "ValidationFailed", "NotFound", "VersionConflict",
    "NotAllowed", "typed_error", "ERROR_TYPES", "EXCEPTION_HANDLERS", "error_code",
    "UNAVAILABLE_MESSAGE",
]


@strawberry.interface(description="An expected failure: the request was understood but "
                                  "could not be carried out. `message` says why.")
class UserError:
    message: str


FieldErrorCode = strawberry.enum(
    domain.Code, name="FieldErrorCode",
    description="What is wrong with a field, for programs: show your own text for the code "
                "and its `params`, and the English `reason` for a code you do not know yet.")


@strawberry.type(name="FieldError", description="One invalid input field.")
class FieldErrorType:
    path: str = strawberry.field(description="Dotted path of the field, e.g. `skills.2.level`; "
                                             "empty for an import row as a whole.")
    code: FieldErrorCode = strawberry.field(  # type: ignore[valid-type]
        description="Stable, machine-readable kind of the problem.")
    reason: str = strawberry.field(description="The problem in English, for people.")
    params: JSON = strawberry.field(description="What the code's text needs, such as "
                                                "`{\"limit\": 200}` for TOO_LONG or "
                                                "`{\"min\": 0, \"max\": 70}` for OUT_OF_RANGE.")


def field_error(error: domain.FieldError) -> FieldErrorType:
    return FieldErrorType(path=error.path, code=error.code, reason=error.reason,
                          params=dict(error.params))


@strawberry.type(description="Input was invalid; nothing was written. Every problem is listed.")
class ValidationFailed(UserError):
    fields: list[FieldErrorType]


@strawberry.type(description="The record does not exist, or the caller may not see it.")
class NotFound(UserError):
    kind: str
    id: strawberry.ID


@strawberry.type(description="The record changed since the caller read it: read it again "
                             "(`currentVersion`) and re-apply the change.")
class VersionConflict(UserError):
    kind: str
    id: strawberry.ID
    expected_version: int
    current_version: int


NotAllowedCodeType = strawberry.enum(
    domain.NotAllowedCode, name="NotAllowedCode",
    description="Why the caller may not do this, for programs; `reason` says it in English.")


@strawberry.type(description="The caller may not do this.")
class NotAllowed(UserError):
    code: NotAllowedCodeType  # type: ignore[valid-type]
    reason: str


ERROR_TYPES: tuple[type, ...] = (ValidationFailed, NotFound, VersionConflict, NotAllowed)


def typed_error(exc: domain.RegistryError) -> UserError:
    """The schema type for an expected registry error. ``DatabaseUnavailable`` (and anything
    unexpected) is not a user error: it is re-raised to become a GraphQL error."""
    if isinstance(exc, domain.ValidationError):
        return ValidationFailed(
            message="The input is invalid: " + "; ".join(str(e) for e in exc.errors),
            fields=[field_error(e) for e in exc.errors])
    if isinstance(exc, domain.NotFound):
        return NotFound(message=str(exc), kind=exc.kind, id=strawberry.ID(exc.ident))
    if isinstance(exc, domain.VersionConflict):
        return VersionConflict(message=str(exc), kind=exc.kind, id=strawberry.ID(exc.ident),
                               expected_version=exc.expected, current_version=exc.current)
    if isinstance(exc, domain.NotAllowed):
        return NotAllowed(message=str(exc), code=exc.code, reason=exc.reason)
    raise exc


def _handler(exception: type[Exception], error: type) -> Any:
    class Handler:
        exception_type = exception
        error_type = error

        def handle(self, exc: domain.RegistryError, *, field: Any, info: Info) -> UserError:
            return typed_error(exc)

    Handler.__name__ = f"{error.__name__}Handler"
    return Handler()


EXCEPTION_HANDLERS = (
    _handler(domain.ValidationError, ValidationFailed),
    _handler(domain.NotFound, NotFound),
    _handler(domain.VersionConflict, VersionConflict),
    _handler(domain.NotAllowed, NotAllowed),
)


# --- GraphQL error codes, for failures that are not part of a field's type -----------------

_CODES: tuple[tuple[type[Exception], str], ...] = (
    (domain.DatabaseUnavailable, "SERVICE_UNAVAILABLE"),
    (domain.ValidationError, "BAD_USER_INPUT"),
    (domain.NotFound, "NOT_FOUND"),
    (domain.VersionConflict, "CONFLICT"),
    (domain.NotAllowed, "FORBIDDEN"),
)

UNAVAILABLE_MESSAGE = ("The registry's database cannot be reached right now; nothing was "
                       "changed. Try again in a few seconds.")


def error_code(exc: BaseException) -> tuple[str, str, dict[str, Any]] | None:
    """``(code, message, extra extensions)`` for a registry error, ``None`` for anything else
    (which must be masked)."""
    for kind, code in _CODES:
        if isinstance(exc, kind):
            break
    else:
        return None
    if isinstance(exc, domain.DatabaseUnavailable):
        return code, UNAVAILABLE_MESSAGE, {}
    if isinstance(exc, domain.ValidationError):
        fields = [{"path": e.path, "code": e.code.value, "reason": e.reason,
                   "params": dict(e.params)} for e in exc.errors]
        return code, "The input is invalid: " + str(exc), {"fields": fields}
    if isinstance(exc, domain.VersionConflict):
        return code, str(exc), {"currentVersion": exc.current}
    if isinstance(exc, domain.NotAllowed):
        return code, str(exc), {"notAllowedCode": exc.code.value}
    return code, str(exc), {}
