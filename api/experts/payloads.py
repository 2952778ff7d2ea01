"""What the profile mutations answer: a success type, or one of the expected failures of
``api.errors``, as a union named after the mutation group."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from api.errors import NotAllowed, NotFound, ValidationFailed, VersionConflict
from api.experts.types import ExpertType
from api.permissions import may_view_profile

if TYPE_CHECKING:
    from api.context import Context

__all__ = ["ProfileUpdated", "ExpertRegistered", "ExpertVerified", "ProfileEditResult",
           "ProfileSettingResult", "RegisterExpertResult", "VerifyExpertResult", "shown"]


@strawberry.type(description="The profile as it is now; its `version` is the one to send "
                             "with the next edit.")
class ProfileUpdated:
    expert: ExpertType


@strawberry.type(description="The profile was registered, unverified, with the caller as "
                             "`registeredBy`.")
class ExpertRegistered:
    expert_id: strawberry.ID
    expert: ExpertType | None = strawberry.field(
        description="Null when the profile's visibility hides it from the caller.")


@strawberry.type
class ExpertVerified:
    expert: ExpertType


ProfileEditResult = Annotated[
    ProfileUpdated | ValidationFailed | VersionConflict | NotFound | NotAllowed,
    strawberry.union("ProfileEditResult")]
ProfileSettingResult = Annotated[
    ProfileUpdated | VersionConflict | NotFound | NotAllowed,
    strawberry.union("ProfileSettingResult")]
RegisterExpertResult = Annotated[
    ExpertRegistered | ValidationFailed | NotAllowed, strawberry.union("RegisterExpertResult")]
VerifyExpertResult = Annotated[
    ExpertVerified | VersionConflict | NotFound | NotAllowed,
    strawberry.union("VerifyExpertResult")]


def shown(ctx: Context, doc: dict[str, Any]) -> ExpertType | None:
    """The written profile as the caller may see it (the loaders' visibility rule), primed in
    the request's expert loader so that later fields of the same request see this version."""
    expert_id = doc["id"]
    visible = may_view_profile(ctx, expert_id=expert_id, visibility=doc.get("visibility"))
    expert = ExpertType.from_doc(doc) if visible else None
    ctx.loaders.expert.prime(expert_id, expert, force=True)
    return expert
