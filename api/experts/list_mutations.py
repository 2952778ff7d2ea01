"""Mutations of the lists a profile owns: skills, employment, education, publications,
patents, projects and awards.

One design for every list, so a client learns it once:

* skills are a set keyed by their taxonomy id: ``setSkills`` replaces them all, ``addSkill``
  and ``updateSkill`` take the skill as ``item`` (``item.skill`` names it) and
  ``removeSkill`` takes its id;
* the six other lists are ordered, and an item is addressed by its ``position`` (0-based) in
  the list as read at ``version``: ``add<Item>`` (at ``position``, or at the end),
  ``update<Item>`` (replace the item at ``position``) and ``remove<Item>``. Since every edit
  checks the version, a position always names the item the caller saw.

Problems are reported at the caller's paths: ``skills.2.level`` for ``setSkills``,
``item.title`` for an item, ``position`` for a position out of range. Who may edit: the expert
on their own profile, and administrators (``api.experts.mutations.own_profile``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry

from api.context import Context
from api.experts.inputs import (
    AddAwardInput,
    AddEducationInput,
    AddEmploymentInput,
    AddPatentInput,
    AddProjectInput,
    AddPublicationInput,
    RemoveItemInput,
    RemoveSkillInput,
    SetSkillsInput,
    SkillEditInput,
    UpdateAwardInput,
    UpdateEducationInput,
    UpdateEmploymentInput,
    UpdatePatentInput,
    UpdateProjectInput,
    UpdatePublicationInput,
    resolve_organizations,
)
from api.experts.mutations import edit_profile, own_profile
from api.experts.payloads import ProfileEditResult, ProfileUpdated
from api.inputs import as_document, relocate
from registry.errors import Code, ValidationError

__all__ = ["ProfileListMutations"]

Change = Callable[[dict[str, Any]], dict[str, Any]]


class ListEdit:
    """One change to one list of a profile, made inside the registry's update (so against
    the profile at the caller's version), and where the changed item sits in the document."""

    def __init__(self, key: str):
        self.key = key
        self.index: int | None = None  # the item's place in the document, once changed

    def _items(self, doc: dict[str, Any]) -> list[dict[str, Any]]:
        return list(doc.get(self.key) or [])

    def _place(self, position: int, count: int, *, at_end: bool = False) -> int:
        last = count if at_end else count - 1
        if 0 <= position <= last:
            return position
        if last < 0:
            raise ValidationError.at("position", Code.NO_ITEMS, f"names no item: the profile "
                                     f"lists no {self.key}; got {position}")
        raise ValidationError.at("position", Code.OUT_OF_RANGE, f"must be between 0 and {last} "
                                 f"(the profile lists {count}); got {position}",
                                 min=0, max=last)

    def insert(self, item: dict[str, Any], position: int | None) -> Change:
        def change(doc: dict[str, Any]) -> dict[str, Any]:
            items = self._items(doc)
            self.index = len(items) if position is None else self._place(
                position, len(items), at_end=True)
            items.insert(self.index, item)
            return {**doc, self.key: items}

        return change

    def replace(self, item: dict[str, Any], position: int) -> Change:
        def change(doc: dict[str, Any]) -> dict[str, Any]:
            items = self._items(doc)
            self.index = self._place(position, len(items))
            items[self.index] = item
            return {**doc, self.key: items}

        return change

    def remove(self, position: int) -> Change:
        def change(doc: dict[str, Any]) -> dict[str, Any]:
            items = self._items(doc)
            del items[self._place(position, len(items))]
            return {**doc, self.key: items}

        return change

    def path_of_item(self, path: str) -> str | None:
        """``employment.3.to`` -> ``item.to`` when the edited item is at 3."""
        prefix = f"{self.key}.{self.index}"
        if self.index is not None and (path == prefix or path.startswith(prefix + ".")):
            return "item" + path[len(prefix):]
        return None

    async def apply(self, ctx: Context, input: Any, change: Change) -> ProfileUpdated:
        try:
            return await edit_profile(ctx, str(input.id), input.version, change)
        except ValidationError as exc:
            raise relocate(exc, self.path_of_item) from exc


# --- skills: a set keyed by taxonomy id -----------------------------------------------------

def _sources(doc: dict[str, Any]) -> dict[str, str | None]:
    return {s["skill"]: s.get("source") for s in doc.get("skills") or ()}


def _set_skills(skills: list[dict[str, Any]]) -> Change:
    def change(doc: dict[str, Any]) -> dict[str, Any]:
        kept = _sources(doc)
        return {**doc, "skills": [{**s, "source": kept.get(s["skill"])} for s in skills]}

    return change


def _skill_at(doc: dict[str, Any], skill: str) -> int | None:
    return next((i for i, s in enumerate(doc.get("skills") or ()) if s["skill"] == skill), None)


def _add_skill(edit: ListEdit, item: dict[str, Any]) -> Change:
    def change(doc: dict[str, Any]) -> dict[str, Any]:
        if _skill_at(doc, item["skill"]) is not None:
            raise ValidationError.at("item.skill", Code.ALREADY_ON_PROFILE,
                                     "is on the profile already; change its level with "
                                     "updateSkill")
        return edit.insert(item, None)(doc)

    return change


def _update_skill(edit: ListEdit, item: dict[str, Any]) -> Change:
    def change(doc: dict[str, Any]) -> dict[str, Any]:
        at = _skill_at(doc, item["skill"])
        if at is None:
            raise ValidationError.at("item.skill", Code.NOT_ON_PROFILE,
                                     "is not on the profile; add it with addSkill")
        kept = {**item, "source": doc["skills"][at].get("source")}
        return edit.replace(kept, at)(doc)

    return change


def _remove_skill(skill: str) -> Change:
    def change(doc: dict[str, Any]) -> dict[str, Any]:
        if _skill_at(doc, skill) is None:
            raise ValidationError.at("skill", Code.NOT_ON_PROFILE, "is not on the profile")
        return {**doc, "skills": [s for s in doc["skills"] if s["skill"] != skill]}

    return change


# --- the resolvers --------------------------------------------------------------------------

async def _item(info: strawberry.Info[Context, None], input: Any) -> dict[str, Any]:
    item = as_document(input.item)
    await resolve_organizations(info.context, [item])
    return item


async def _add(key: str, info: strawberry.Info[Context, None], input: Any) -> ProfileUpdated:
    edit = ListEdit(key)
    return await edit.apply(info.context, input,
                            edit.insert(await _item(info, input), input.position))


async def _update(key: str, info: strawberry.Info[Context, None], input: Any) -> ProfileUpdated:
    edit = ListEdit(key)
    return await edit.apply(info.context, input,
                            edit.replace(await _item(info, input), input.position))


async def _remove(key: str, info: strawberry.Info[Context, None], input: Any) -> ProfileUpdated:
    edit = ListEdit(key)
    return await edit.apply(info.context, input, edit.remove(input.position))


def _doc(what: str) -> str:
    return f"{what} Only the expert, on their own profile, and administrators."


@strawberry.type
class ProfileListMutations:
    # Skills ------------------------------------------------------------------------------
    @strawberry.mutation(extensions=own_profile(), description=_doc(
        "Replace every skill of the profile. A skill that stays keeps its source (a verified "
        "skill stays verified); a new one is SELF."))
    async def set_skills(self, info: strawberry.Info[Context, None],
                         input: SetSkillsInput) -> ProfileEditResult:
        return await ListEdit("skills").apply(info.context, input,
                                              _set_skills(as_document(input.skills)))

    @strawberry.mutation(extensions=own_profile(), description=_doc("Add a skill."))
    async def add_skill(self, info: strawberry.Info[Context, None],
                        input: SkillEditInput) -> ProfileEditResult:
        edit = ListEdit("skills")
        return await edit.apply(info.context, input, _add_skill(edit, as_document(input.item)))

    @strawberry.mutation(extensions=own_profile(), description=_doc(
        "Change the level and years of a skill the profile has."))
    async def update_skill(self, info: strawberry.Info[Context, None],
                           input: SkillEditInput) -> ProfileEditResult:
        edit = ListEdit("skills")
        return await edit.apply(info.context, input,
                                _update_skill(edit, as_document(input.item)))

    @strawberry.mutation(extensions=own_profile(), description=_doc("Remove a skill."))
    async def remove_skill(self, info: strawberry.Info[Context, None],
                           input: RemoveSkillInput) -> ProfileEditResult:
        return await ListEdit("skills").apply(info.context, input,
                                              _remove_skill(str(input.skill)))

    # Employment --------------------------------------------------------------------------
    @strawberry.mutation(extensions=own_profile(), description=_doc("Add a position held."))
    async def add_employment(self, info: strawberry.Info[Context, None],
                             input: AddEmploymentInput) -> ProfileEditResult:
        return await _add("employment", info, input)

    @strawberry.mutation(extensions=own_profile(), description=_doc("Replace a position held."))
    async def update_employment(self, info: strawberry.Info[Context, None],
                                input: UpdateEmploymentInput) -> ProfileEditResult:
        return await _update("employment", info, input)

    @strawberry.mutation(extensions=own_profile(), description=_doc("Remove a position held."))
    async def remove_employment(self, info: strawberry.Info[Context, None],
                                input: RemoveItemInput) -> ProfileEditResult:
        return await _remove("employment", info, input)

    # Education ---------------------------------------------------------------------------
    @strawberry.mutation(extensions=own_profile(), description=_doc("Add a degree."))
    async def add_education(self, info: strawberry.Info[Context, None],
                            input: AddEducationInput) -> ProfileEditResult:
        return await _add("education", info, input)

    @strawberry.mutation(extensions=own_profile(), description=_doc("Replace a degree."))
    async def update_education(self, info: strawberry.Info[Context, None],
                               input: UpdateEducationInput) -> ProfileEditResult:
        return await _update("education", info, input)

    @strawberry.mutation(extensions=own_profile(), description=_doc("Remove a degree."))
    async def remove_education(self, info: strawberry.Info[Context, None],
                               input: RemoveItemInput) -> ProfileEditResult:
        return await _remove("education", info, input)

    # Publications ------------------------------------------------------------------------
    @strawberry.mutation(extensions=own_profile(), description=_doc("Add a publication."))
    async def add_publication(self, info: strawberry.Info[Context, None],
                              input: AddPublicationInput) -> ProfileEditResult:
        return await _add("publications", info, input)

    @strawberry.mutation(extensions=own_profile(), description=_doc("Replace a publication."))
    async def update_publication(self, info: strawberry.Info[Context, None],
                                 input: UpdatePublicationInput) -> ProfileEditResult:
        return await _update("publications", info, input)

    @strawberry.mutation(extensions=own_profile(), description=_doc("Remove a publication."))
    async def remove_publication(self, info: strawberry.Info[Context, None],
                                 input: RemoveItemInput) -> ProfileEditResult:
        return await _remove("publications", info, input)

    # Patents -----------------------------------------------------------------------------
    @strawberry.mutation(extensions=own_profile(), description=_doc("Add a patent."))
    async def add_patent(self, info: strawberry.Info[Context, None],
                         input: AddPatentInput) -> ProfileEditResult:
        return await _add("patents", info, input)

    @strawberry.mutation(extensions=own_profile(), description=_doc("Replace a patent."))
    async def update_patent(self, info: strawberry.Info[Context, None],
                            input: UpdatePatentInput) -> ProfileEditResult:
        return await _update("patents", info, input)

    @strawberry.mutation(extensions=own_profile(), description=_doc("Remove a patent."))
    async def remove_patent(self, info: strawberry.Info[Context, None],
                            input: RemoveItemInput) -> ProfileEditResult:
        return await _remove("patents", info, input)

    # Projects ----------------------------------------------------------------------------
    @strawberry.mutation(extensions=own_profile(), description=_doc(
        "Add a project the expert led or contributed to."))
    async def add_project(self, info: strawberry.Info[Context, None],
                          input: AddProjectInput) -> ProfileEditResult:
        return await _add("projects", info, input)

    @strawberry.mutation(extensions=own_profile(), description=_doc("Replace a project."))
    async def update_project(self, info: strawberry.Info[Context, None],
                             input: UpdateProjectInput) -> ProfileEditResult:
        return await _update("projects", info, input)

    @strawberry.mutation(extensions=own_profile(), description=_doc("Remove a project."))
    async def remove_project(self, info: strawberry.Info[Context, None],
                             input: RemoveItemInput) -> ProfileEditResult:
        return await _remove("projects", info, input)

    # Awards ------------------------------------------------------------------------------
    @strawberry.mutation(extensions=own_profile(), description=_doc("Add an award."))
    async def add_award(self, info: strawberry.Info[Context, None],
                        input: AddAwardInput) -> ProfileEditResult:
        return await _add("awards", info, input)

    @strawberry.mutation(extensions=own_profile(), description=_doc("Replace an award."))
    async def update_award(self, info: strawberry.Info[Context, None],
                           input: UpdateAwardInput) -> ProfileEditResult:
        return await _update("awards", info, input)

    @strawberry.mutation(extensions=own_profile(), description=_doc("Remove an award."))
    async def remove_award(self, info: strawberry.Info[Context, None],
                           input: RemoveItemInput) -> ProfileEditResult:
        return await _remove("awards", info, input)
