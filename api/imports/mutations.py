"""``importExperts``: an HR agency (or an administrator) imports many profiles at once.

The content is read and written by the registry's importer (``registry.importer``: the same
formats, validation, batching, duplicate and unchanged-row rules, and IMPORT audit events as
the ``chuyengia import`` command). This module adds what an upload through the API needs:

* a size limit (``settings.max_import_bytes``), answered as ``ValidationFailed`` at
  ``content``;
* who may change what: an agency's rows may create profiles and update the profiles the agency
  registered and no expert has claimed; a row for any other existing profile is rejected, with
  the field that names the profile (the importer checks it in the writing transaction, see
  ``registry.ownership``; administrators may update any), and an agency's rows cannot set
  ``verified`` (it stays as it is, false for a new profile);
* a status for every row. The importer reports rejected rows; the others are told apart by
  reading, before the write, whether the row's profile exists and has the same content. A
  profile changed by someone else between that read and the write can make a row reported as
  UPDATED where it was UNCHANGED (or the reverse); the counts are the importer's own.
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
from registry import experts
from registry.db import Database
from registry.errors import Code, FieldError, ValidationError
from registry.importer import import_experts, read_rows
from registry.profile import content_hash, validate_profile

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


def _keep_verified(rows: Iterable[_Row], stored: dict[str, dict[str, Any]]) -> None:
    """An agency's row leaves ``verified`` as it is (false for a new profile)."""
    for row in rows:
        current = stored.get(row.expert_id) if row.expert_id else None
        if isinstance(row.raw, dict):
            row.raw = {**row.raw, "verified": bool(current and current.get("verified"))}


def _expected(row: _Row, stored: dict[str, dict[str, Any]]) -> ImportRowStatus | None:
    doc = _identify(row)
    if doc is None:
        return None  # a record of another kind: ignored, not a row of the report
    current = stored.get(doc["id"])
    if current is None:
        return ImportRowStatus.CREATED
    same = current.get("contentHash") == content_hash(doc)
    return ImportRowStatus.UNCHANGED if same else ImportRowStatus.UPDATED


def run_import(db: Database, data: bytes, fmt: str, *, account_id: str,
               is_admin: bool) -> ExpertsImported:
    """Import ``data`` for the caller and report every row (see the module docstring)."""
    rows = []
    for line, raw, error in read_rows(data, fmt):
        row = _Row(line, raw)
        if error is not None:
            row.reject(error)
        else:
            doc = _identify(row)
            row.expert_id = doc["id"] if doc else None
        rows.append(row)
    ids = sorted({r.expert_id for r in rows if r.expert_id})
    stored = db.read(experts.read_profiles, ids) if ids else {}
    if not is_admin:
        _keep_verified((r for r in rows if r.status is None), stored)
    to_write = [r for r in rows if r.status is None]
    result = import_experts(db, [(r.line, r.raw) for r in to_write], registered_by=account_id,
                            source="graphql", agency=None if is_admin else account_id)
    rejected = {r.line: r.errors for r in result.rejected}
    for row in to_write:
        if row.line in rejected:
            row.reject(*rejected[row.line])
        else:
            row.status = _expected(row, stored)
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
