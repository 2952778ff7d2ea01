"""Mutations of a profile's own fields, and of who registered and verified it.

* ``updateProfile``, ``setAvailability``, ``setVisibility``, ``setContactConsent``: the expert
  on their own profile, and administrators. Each carries the ``version`` the caller read; the
  registry writes the whole profile under a lock, so a stale version is a ``VersionConflict``
  and two edits never interleave. The lists of a profile are edited in
  ``api.experts.list_mutations``.
* ``registerExpert``: an HR agency (or an administrator) registers an expert it represents;
  the profile is unverified and names the agency as ``registeredBy`` (audited as
  EXPERT_REGISTERED).
* ``verifyExpert``: administrators (audited as EXPERT_VERIFIED).

Every edit is audited as PROFILE_UPDATED with the names of the fields that changed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import strawberry

from api.context import ADMIN, HR_AGENCY, Context
from api.experts.inputs import (
    RegisterExpertInput,
    SetAvailabilityInput,
    SetContactConsentInput,
    SetVisibilityInput,
    UpdateProfileInput,
    VerifyExpertInput,
    resolve_organizations,
)
from api.experts.payloads import (
    ExpertRegistered,
    ExpertVerified,
    ProfileEditResult,
    ProfileSettingResult,
    ProfileUpdated,
    RegisterExpertResult,
    VerifyExpertResult,
    shown,
)
from api.guards import EditsOwnProfile, MutationGuard, mutation_guard
from api.inputs import as_document, relocate
from api.permissions import HasRole, IsAdmin
from registry import experts
from registry.audit import AuditAction
from registry.errors import NotAllowedCode, ValidationError

__all__ = ["ExpertMutations", "edit_profile", "own_profile"]

Change = Callable[[dict[str, Any]], dict[str, Any]]
# The keys an expert's registration may be found by, strongest first (as
# ``registry.profile.derive_expert_id`` uses them).
_IDENTITY_KEYS = ("orcid", "externalKey", "email")


def own_profile() -> list[MutationGuard]:
    """The guard of every edit of a profile: its expert, or an administrator."""
    return mutation_guard(
        IsAdmin() | EditsOwnProfile(),
        "only the expert whose profile this is, or an administrator, may change it",
        NotAllowedCode.NOT_OWNER)


def _registrars() -> list[MutationGuard]:
    return mutation_guard(HasRole(HR_AGENCY, ADMIN),
                          "only HR agencies and administrators register experts")


def _administrators() -> list[MutationGuard]:
    return mutation_guard(IsAdmin(), "only an administrator verifies profiles")


async def edit_profile(ctx: Context, expert_id: str, version: int, change: Change, *,
                       action: AuditAction = AuditAction.PROFILE_UPDATED) -> ProfileUpdated:
    """Apply ``change`` to the profile read at ``version`` and answer with the new profile."""
    doc = await ctx.db_call(experts.update_expert, ctx.db, expert_id, version, change,
                            actor_id=ctx.account_id, action=action)
    expert = shown(ctx, doc)
    if expert is None:  # the guards only let the expert and administrators edit
        raise LookupError(f"an edit of {expert_id!r} was made by a caller who cannot see it")
    return ProfileUpdated(expert=expert)


def _with(fields: dict[str, Any]) -> Change:
    return lambda doc: {**doc, **fields}


def _fields(input: Any) -> dict[str, Any]:
    """The input's profile fields as a partial document (``id`` and ``version`` left out)."""
    return {k: v for k, v in as_document(input).items() if k not in ("id", "version")}


def _registration(input: RegisterExpertInput) -> dict[str, Any]:
    raw = as_document(input)
    if not any(raw.get(k) for k in _IDENTITY_KEYS):
        # Nothing to recognise a later re-registration by: the profile gets a fresh id.
        raw["id"] = str(uuid.uuid4())
    return raw


def _identity_path(raw: dict[str, Any]) -> Callable[[str], str | None]:
    """The registry reports a taken identity as ``id``; the caller wrote it as one of
    ``_IDENTITY_KEYS``."""
    key = next((k for k in _IDENTITY_KEYS if raw.get(k)), None)
    return lambda path: key if path == "id" and key else None


@strawberry.type
class ExpertMutations:
    @strawberry.mutation(extensions=own_profile(), description=(
        "Change what the profile says about the expert. Fields left out stay as they are; "
        "`null` clears an optional one."))
    async def update_profile(self, info: strawberry.Info[Context, None],
                             input: UpdateProfileInput) -> ProfileEditResult:
        return await edit_profile(info.context, str(input.id), input.version,
                                  _with(_fields(input)))

    @strawberry.mutation(extensions=own_profile(), description=(
        "How much time the expert can give, from when, and whether they would relocate or "
        "work remotely."))
    async def set_availability(self, info: strawberry.Info[Context, None],
                               input: SetAvailabilityInput) -> ProfileSettingResult:
        return await edit_profile(info.context, str(input.id), input.version,
                                  _with(_fields(input)))

    @strawberry.mutation(extensions=own_profile(), description=(
        "Who may see the profile: anyone (PUBLIC), signed-in callers (REGISTERED), or only "
        "the expert and administrators (PRIVATE)."))
    async def set_visibility(self, info: strawberry.Info[Context, None],
                             input: SetVisibilityInput) -> ProfileSettingResult:
        return await edit_profile(info.context, str(input.id), input.version,
                                  _with(_fields(input)))

    @strawberry.mutation(extensions=own_profile(), description=(
        "Whether HR agencies and programme leads may see the expert's e-mail and phone "
        "(each such read is audited)."))
    async def set_contact_consent(self, info: strawberry.Info[Context, None],
                                  input: SetContactConsentInput) -> ProfileSettingResult:
        return await edit_profile(info.context, str(input.id), input.version,
                                  _with(_fields(input)))

    @strawberry.mutation(extensions=_registrars(), description=(
        "Register an expert the caller represents. The profile is unverified and records the "
        "caller as `registeredBy`. Its id derives from the ORCID iD, the external key or the "
        "e-mail, so the same expert cannot be registered twice."))
    async def register_expert(self, info: strawberry.Info[Context, None],
                              input: RegisterExpertInput) -> RegisterExpertResult:
        ctx = info.context
        raw = _registration(input)
        await resolve_organizations(
            ctx, [*(raw.get("employment") or ()), *(raw.get("education") or ())])
        try:
            doc = await ctx.db_call(experts.create_expert, ctx.db, raw,
                                    registered_by=ctx.account_id)
        except ValidationError as exc:
            raise relocate(exc, _identity_path(raw)) from exc
        return ExpertRegistered(expert_id=strawberry.ID(doc["id"]), expert=shown(ctx, doc))

    @strawberry.mutation(extensions=_administrators(), description=(
        "Mark the profile, as read at `version`, as checked by an administrator. The version "
        "makes sure that what was checked is what gets the mark."))
    async def verify_expert(self, info: strawberry.Info[Context, None],
                            input: VerifyExpertInput) -> VerifyExpertResult:
        updated = await edit_profile(info.context, str(input.id), input.version,
                                     _with({"verified": input.verified}),
                                     action=AuditAction.EXPERT_VERIFIED)
        return ExpertVerified(expert=updated.expert)
