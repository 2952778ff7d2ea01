"""``importExperts``: an HR agency (or an administrator) imports many profiles at once.

The content is read and written by the registry's importer (``registry.importer``: the same
formats, validation, batching, duplicate and unchanged-row rules, and IMPORT audit events as
the ``chuyengia import`` command). This module adds what an upload through the API needs:

* a size limit (``settings.max_import_bytes``), answered as ``ValidationFailed`` at
  ``content``;
* who may change what: an agency's rows may create profiles and update the profiles the agency
  registered; a row for a profile another account registered is rejected (administrators may
  update any), and an agency's rows cannot set ``verified`` (it stays as it is, false for a new
  profile);
* a status for every row, as the importer reports it (what the database did), with the id of
  the expert the row is: found by any of its identifiers (``registry.identity``), so the
  ownership check applies to the profile the row would really change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, Any

import strawberry

from api.context import ADMIN, HR_AGENCY, Context
from api.errors import NotAllowed, ValidationFailed
from api.guards import mutation_guard
from api.imports.inputs import ImportExpertsInput
from api.imports.types import ExpertsImported, ImportRow, ImportRowStatus
from api.permissions import HasRole
from registry import experts, identity
from registry.db import Database
from registry.errors import FieldError, ValidationError
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
    reason: str | None = None


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


def _screen(rows: Iterable[_Row], stored: dict[str, dict[str, Any]], *, account_id: str,
            is_admin: bool) -> None:
    """Reject the rows the caller may not write; keep ``verified`` as it is for agencies."""
    for row in rows:
        current = stored.get(row.expert_id) if row.expert_id else None
        if current is not None and not is_admin and current.get("registeredBy") != account_id:
            row.status, row.reason = ImportRowStatus.REJECTED, (
                f"is the profile of expert {row.expert_id}, which another account registered; "
                "only that account or an administrator may change it")
        elif not is_admin and isinstance(row.raw, dict):
            row.raw = {**row.raw, "verified": bool(current and current.get("verified"))}


def run_import(db: Database, data: bytes, fmt: str, *, account_id: str,
               is_admin: bool) -> ExpertsImported:
    """Import ``data`` for the caller and report every row (see the module docstring)."""
    rows, docs = [], {}
    for line, raw, error in read_rows(data, fmt):
        row = _Row(line, raw)
        if error is not None:
            row.status, row.reason = ImportRowStatus.REJECTED, error
        elif (doc := _identify(row)) is not None:
            docs[line] = doc
        rows.append(row)
    valid = [r for r in rows if r.line in docs]
    found = db.read(identity.resolve, [docs[r.line] for r in valid],
                    [r.raw.get("id") is not None for r in valid]) if valid else []
    for row, who in zip(valid, found, strict=True):
        row.expert_id = who.stored["id"] if who.stored else docs[row.line]["id"]
    ids = sorted({who.stored["id"] for who in found if who.stored})
    stored = db.read(experts.read_profiles, ids) if ids else {}
    _screen((r for r in rows if r.status is None), stored, account_id=account_id,
            is_admin=is_admin)
    to_write = [r for r in rows if r.status is None]
    result = import_experts(db, [(r.line, r.raw) for r in to_write], registered_by=account_id,
                            source="graphql")
    rejected = {r.line: r.reason for r in result.rejected}
    for row in to_write:
        if row.line in rejected:
            row.status, row.reason = ImportRowStatus.REJECTED, rejected[row.line]
        elif row.line in result.outcomes:
            row.expert_id, status = result.outcomes[row.line]
            row.status = ImportRowStatus[status]
    reported = [r for r in rows if r.status is not None]
    return ExpertsImported(
        created=result.created, updated=result.updated, unchanged=result.unchanged,
        rejected=sum(r.status is ImportRowStatus.REJECTED for r in reported),
        rows=[ImportRow(line=r.line, status=r.status, reason=r.reason,
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
            raise ValidationError([FieldError(
                "content", f"must be at most {limit:,} bytes (got {len(data):,}); split the "
                           "import into several parts")])
        return await ctx.db_call(run_import, ctx.db, data, input.format.value,
                                 account_id=ctx.account_id, is_admin=ctx.is_admin)
