"""The schema's safeguards, configured in one place from ``Settings``.

* depth, alias and token limits (refused before execution, as validation errors);
* introspection switched off when ``settings.introspection`` is false;
* parsed documents and their validation results cached (``DOCUMENT_CACHE`` most recent
  query texts): a search page sends the same query text with new variables, and parsing plus
  validating it again cost more than running it. The limits still apply: the validation
  rules are made once per schema, so they are part of the cached validation's key, and a text
  over the token limit fails to parse every time (a failure is never cached);
* ``ErrorPolicy``: no driver error or stack trace reaches a client. Registry errors become
  GraphQL errors with an ``extensions.code`` (``SERVICE_UNAVAILABLE`` when Neo4j is down,
  ``BAD_USER_INPUT`` with the invalid fields, ...); anything unexpected is logged with its
  traceback and answered with ``Unexpected error.`` and ``INTERNAL_SERVER_ERROR``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)

from api.errors import error_code
from registry.settings import Settings

__all__ = ["ErrorPolicy", "extensions_for", "is_unexpected"]

log = logging.getLogger("api.errors")

MASKED_MESSAGE = "Unexpected error."
DOCUMENT_CACHE = 256  # query texts whose parsed and validated documents are kept


def _original(error: GraphQLError) -> BaseException | None:
    return error.original_error


def is_unexpected(error: GraphQLError) -> bool:
    """True for errors a client must not see as they are (bugs, driver errors)."""
    original = _original(error)
    if original is None or isinstance(original, GraphQLError):
        return False  # parse/validation errors and errors raised on purpose (permissions)
    return error_code(original) is None


def public_error(error: GraphQLError) -> GraphQLError:
    original = _original(error)
    if original is None or isinstance(original, GraphQLError):
        return error
    mapped = error_code(original)
    if mapped is None:
        code, message, extra = "INTERNAL_SERVER_ERROR", MASKED_MESSAGE, {}
    else:
        code, message, extra = mapped
    return GraphQLError(message, nodes=error.nodes, source=error.source,
                        positions=error.positions, path=error.path,
                        extensions={"code": code, **extra})


class ErrorPolicy(SchemaExtension):
    """Rewrites the result's errors into what a client may see (see the module docstring)."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = [public_error(e) for e in errors]  # type: ignore[union-attr]


def extensions_for(settings: Settings) -> list[Callable[[], Any] | type]:
    """The extension factories for a schema built with ``settings`` (one instance per request).

    The limiters' validation rules are built here, once: rules made per request would be new
    classes each time, and the validation cache, keyed by the rules, would never hit."""
    rules = [
        *QueryDepthLimiter(max_depth=settings.max_query_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.max_aliases).validation_rules,
    ]
    found: list[Callable[[], Any] | type] = [
        lambda: AddValidationRules(rules),
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: ParserCache(maxsize=DOCUMENT_CACHE),
        lambda: ValidationCache(maxsize=DOCUMENT_CACHE),
        ErrorPolicy,
    ]
    if not settings.introspection:
        found.insert(0, DisableIntrospection)
    return found
