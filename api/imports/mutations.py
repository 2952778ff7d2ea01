"""``importExperts``: an HR agency (or an administrator) imports many profiles at once.

The content is read and written by the registry's importer (``registry.importer``: the same
formats, validation, batching, duplicate and unchanged-row rules, and IMPORT audit events as
the ``chuyengia import`` command). This module adds what an upload through the API needs:

* a size limit (``settings.max_import_bytes``), answered as ``ValidationFailed`` at
  ``content``;
* who may change what: an agency's rows may create profiles and update the profiles the agency
  registered and no expert has claimed; a row that reaches any other existing profile, by any
  of its identifiers, is rejected, with the identifier that reached it as the path (the
  importer checks it in the writing transaction, see ``registry.ownership``; administrators
  may update any), and an agency's rows cannot set ``verified`` (the importer keeps it as
  stored, false for a new profile);
* a status for every row, as the importer reports it (what the database did), with the id of
  the expert the row is: found by any of its identifiers (``registry.identity``), so a rejected
  row names the profile it would have changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, Any

import strawberry

from api.context import ADMIN, HR_AGENCY, Context
from api.errors import NotAllowed, ValidationFailed, field_error
from api.guards import mutation_guard
from api.imports.inputs import ImportExpertsInput
from api.imports.types import ExpertsImported, ImportRow, ImportRowStatus
from api.permissions import HasRole
from registry import identity
from registry.db import Database
from registry.errors import Code, FieldError, ValidationError
from registry.importer import import_experts, read_rows
from registry.profile import validate_profile

__all__ = ["ImportMutations", "run_import"]

ImportExpertsResult = Annotated[ExpertsImported | ValidationFailed | NotAllowed,
                                strawberry.union("ImportExpertsResult")]
# Keys of a ``chuyengia export`` record that are not profile fields (the importer drops them).
_RECORD_ONLY = ("kind", "meta", "links")


@dataclass
class _Row:
    line: int
    raw: Any
    expert_id: str | None = None
    status: ImportRowStatus | None = None
    errors: tuple[FieldError, ...] = ()

    def reject(self, *errors: FieldError) -> None:
        self.status, self.errors = ImportRowStatus.REJECTED, errors


def _identify(row: _Row) -> dict[str, Any] | None:
    """The row's validated document (hence its expert id), or None when the importer will
    reject or ignore the row anyway."""
    raw = row.raw
    if not isinstance(raw, dict) or raw.get("kind", "expert") != "expert":
        return None
    try:
        return validate_profile({k: v for k, v in raw.items() if k not in _RECORD_ONLY})
    except ValidationError:
        return None


def _without_verified(rows: Iterable[_Row]) -> None:
    """An agency's row does not set ``verified``: the importer keeps it as stored (false for a
    new profile), read in the writing transaction."""
    for row in rows:
        if isinstance(row.raw, dict) and "verified" in row.raw:
            row.raw = {k: v for k, v in row.raw.items() if k != "verified"}


def run_import(db: Database, data: bytes, fmt: str, *, account_id: str,
               is_admin: bool) -> ExpertsImported:
    """Import ``data`` for the caller and report every row (see the module docstring)."""
    rows, docs = [], {}
    for line, raw, error in read_rows(data, fmt):
        row = _Row(line, raw)
        if error is not None:
            row.reject(error)
        elif (doc := _identify(row)) is not None:
            docs[line] = doc
        rows.append(row)
    # The expert each valid row is, for the report of a row the importer rejects (a written
    # row's id comes from the importer's outcome).
    valid = [r for r in rows if r.line in docs]
    found = db.read(identity.resolve, [docs[r.line] for r in valid],
                    [r.raw.get("id") is not None for r in valid]) if valid else []
    for row, who in zip(valid, found, strict=True):
        row.expert_id = who.stored["id"] if who.stored else docs[row.line]["id"]
    if not is_admin:
        _without_verified(r for r in rows if r.status is None)
    to_write = [r for r in rows if r.status is None]
    result = import_experts(db, [(r.line, r.raw) for r in to_write], registered_by=account_id,
                            source="graphql", agency=None if is_admin else account_id)
    rejected = {r.line: r.errors for r in result.rejected}
    for row in to_write:
        if row.line in rejected:
            row.reject(*rejected[row.line])
        elif row.line in result.outcomes:
            row.expert_id, status = result.outcomes[row.line]
            row.status = ImportRowStatus[status]
    reported = [r for r in rows if r.status is not None]
    return ExpertsImported(
        created=result.created, updated=result.updated, unchanged=result.unchanged,
        rejected=sum(r.status is ImportRowStatus.REJECTED for r in reported),
        rows=[ImportRow(line=r.line, status=r.status,
                        reason="; ".join(str(e) for e in r.errors) or None,
                        errors=[field_error(e) for e in r.errors],
                        expert_id=strawberry.ID(r.expert_id) if r.expert_id else None)
              for r in sorted(reported, key=lambda r: r.line)])


@strawberry.type
class ImportMutations:
    @strawberry.mutation(
        extensions=mutation_guard(HasRole(HR_AGENCY, ADMIN),
                                  "only HR agencies and administrators import experts"),
        description="Import profiles from JSON Lines or CSV content. Valid rows are written; "
                    "every row is reported with its line. Profiles are matched by id, ORCID "
                    "iD, external key or e-mail, so importing the same content again changes "
                    "nothing.")
    async def import_experts(self, info: strawberry.Info[Context, None],
                             input: ImportExpertsInput) -> ImportExpertsResult:
        ctx = info.context
        data = input.content.encode("utf-8", "surrogateescape")
        limit = ctx.settings.max_import_bytes
        if len(data) > limit:
            raise ValidationError.at(
                "content", Code.TOO_LARGE, f"must be at most {limit:,} bytes (got "
                                           f"{len(data):,}); split the import into several "
                                           "parts", limit=limit, actual=len(data))
        return await ctx.db_call(run_import, ctx.db, data, input.format.value,
                                 account_id=ctx.account_id, is_admin=ctx.is_admin)
