"""The root schema, composed in one place, with its safeguards.

``Query`` is merged from each domain's ``*Queries`` type, ``Mutation`` from each domain's
``*Mutations`` type (see ``api/__init__.py`` for how to add one). ``build_schema(settings)``
adds the limits of ``api.safeguards`` and the exception handlers of ``api.errors``; the module
attribute ``schema`` (built from the process settings) is what goes into ``schema.graphql``:

    python -m api.schema schema.graphql      # same output as
    strawberry export-schema api.schema:schema --output schema.graphql   # (needs strawberry[cli])

``tests/api/test_gql_schema.py`` fails when the file and the code disagree.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.printer import print_schema
from strawberry.tools import merge_types

from api.accounts.mutations import AccountMutations
from api.accounts.queries import AccountQueries
from api.decisions.mutations import DecisionMutations
from api.errors import ERROR_TYPES, EXCEPTION_HANDLERS
from api.experts.list_mutations import ProfileListMutations
from api.experts.mutations import ExpertMutations
from api.experts.queries import ExpertQueries
from api.imports.mutations import ImportMutations
from api.matching.queries import MatchingQueries
from api.network.queries import NetworkQueries
from api.organizations.queries import OrganizationQueries
from api.safeguards import extensions_for, is_unexpected
from api.shortlists.mutations import ShortlistMutations
from api.shortlists.queries import ShortlistQueries
from api.tasks.mutations import TaskMutations
from api.tasks.queries import TaskQueries
from api.taxonomy.queries import TaxonomyQueries
from registry.settings import Settings, get_settings

__all__ = ["QUERIES", "MUTATIONS", "Query", "Mutation", "build_schema", "schema", "sdl"]

log = logging.getLogger("api")

QUERIES: tuple[type, ...] = (
    ExpertQueries, TaxonomyQueries, OrganizationQueries, TaskQueries, NetworkQueries,
    AccountQueries, ShortlistQueries, MatchingQueries,
)
# Each domain's mutations type, e.g. ``ExpertMutations`` from ``api/experts/mutations.py``.
MUTATIONS: tuple[type, ...] = (
    ExpertMutations, ProfileListMutations, ImportMutations, TaskMutations, DecisionMutations,
    AccountMutations, ShortlistMutations,
)

Query = merge_types("Query", QUERIES)
Mutation = merge_types("Mutation", MUTATIONS) if MUTATIONS else None


class RegistrySchema(strawberry.Schema):
    """Logs unexpected errors with their traceback; expected ones (bad input, database
    down) briefly, since the client is told about them."""

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        for error in errors:
            if is_unexpected(error):
                log.error("unexpected error in %s", error.path, exc_info=error.original_error)
            else:
                log.info("request error: %s", error.message)


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    settings = settings or get_settings()
    return RegistrySchema(
        query=Query, mutation=Mutation, types=ERROR_TYPES,
        extensions=extensions_for(settings), exception_handlers=EXCEPTION_HANDLERS,
    )


schema = build_schema()


def sdl(built: strawberry.Schema | None = None) -> str:
    """The schema's SDL exactly as ``strawberry export-schema --output`` writes it."""
    return print_schema(built or schema) + "\n"


if __name__ == "__main__":
    if len(sys.argv) > 1:
        Path(sys.argv[1]).write_text(sdl(), encoding="utf-8")
    else:
        sys.stdout.write(sdl())
