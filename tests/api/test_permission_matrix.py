"""Who may call which mutation: one table, every mutation, every kind of caller.

Each row names a mutation, the callers allowed to make it, and an input that succeeds for
them. The test runs every (mutation, caller) pair on a fresh registry and expects:

* an allowed caller: the mutation's success type;
* a signed-in caller who is not allowed: the typed ``NotAllowed`` member;
* an anonymous caller: no data and a top-level ``UNAUTHENTICATED`` error (sign in first).

The targets are fixed: profile edits are on the EXPERT owner's profile (so the other expert
is refused), task edits and decisions are on a task the PROGRAMME_LEAD posted, the shortlist
is the HR agency's, ``rotateToken`` is on the HR agency's own account.
``test_every_mutation_has_a_row`` fails when a mutation exists without a row here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pytest
import strawberry
from graphql import get_named_type

from api.guards import mutation_guard
from api.permissions import IsAdmin
from api.schema import schema
from registry import decisions, programmes
from registry.db import Database
from tests.api.conftest import Callers
from tests.api.mutation_support import ERROR_FIELDS, mutate
from tests.api.support import person

ADMIN, HR, LEAD, OWNER, OTHER, ANON = ("ADMIN", "HR_AGENCY", "PROGRAMME_LEAD", "EXPERT owner",
                                       "EXPERT non-owner", "anonymous")
CALLERS = (ADMIN, HR, LEAD, OWNER, OTHER, ANON)


@dataclass
class World:
    """What the inputs refer to, made on first use."""

    db: Database
    callers: Callers

    def token(self, who: str) -> str | None:
        return {ADMIN: self.callers.admin, HR: self.callers.hr, LEAD: self.callers.lead,
                OWNER: self.callers.owner, OTHER: self.callers.other_expert, ANON: None}[who]

    @cached_property
    def task(self) -> str:
        return programmes.create_task(self.db, posted_by=self.callers.lead_account_id, data={
            "title": "Mạng 5G riêng", "description": "Hệ thống 5G cho khu công nghiệp.",
            "roleSought": "CHIEF_ENGINEER", "chiefEngineerKind": "PROJECT",
            "onsite": "REMOTE", "techListId": "qd-1131-2025", "areas": ["semiconductor-chips"],
            "status": "OPEN", "requirements": [{"skill": "machine-learning"}]}).id

    @cached_property
    def shortlist(self) -> str:
        return decisions.add_to_shortlist(self.db, account_id=self.callers.hr_account_id,
                                          expert_id=self.callers.expert_id).id

    def edit(self, **fields: Any) -> dict[str, Any]:
        """An edit of the owner's profile at the version it was seeded with."""
        return {"id": self.callers.expert_id, "version": 1, **fields}


Input = Callable[[World], dict[str, Any]]
OWN_PROFILE = frozenset({ADMIN, OWNER})
REGISTRARS = frozenset({ADMIN, HR})
LEADS = frozenset({ADMIN, LEAD})
ADMINS = frozenset({ADMIN})
KEEPERS = frozenset({ADMIN, HR, LEAD})

ITEMS = {
    "Employment": {"organization": {"name": "VNPT", "country": "VN"}, "title": "Kỹ sư"},
    "Education": {"organization": {"name": "MIT", "country": "US"}, "degree": "PHD"},
    "Publication": {"title": "Mạng nơ-ron đồ thị", "year": 2024},
    "Patent": {"title": "Ăng-ten mảng pha", "year": 2023},
    "Project": {"title": "Vệ tinh quan sát", "relation": "LED"},
    "Award": {"title": "Giải thưởng Hồ Chí Minh", "year": 2020},
}


def _list_rows() -> dict[str, tuple[frozenset[str], Input]]:
    rows: dict[str, tuple[frozenset[str], Input]] = {}
    for name, item in ITEMS.items():
        rows[f"add{name}"] = (OWN_PROFILE, lambda w, item=item: w.edit(item=item))
        rows[f"update{name}"] = (OWN_PROFILE,
                                 lambda w, item=item: w.edit(position=0, item=item))
        rows[f"remove{name}"] = (OWN_PROFILE, lambda w: w.edit(position=0))
    return rows


TABLE: dict[str, tuple[frozenset[str], Input]] = {
    # Experts, on their own profile (and administrators).
    "updateProfile": (OWN_PROFILE, lambda w: w.edit(headline="Kiến trúc sư hệ thống")),
    "setAvailability": (OWN_PROFILE, lambda w: w.edit(availability="FULL_TIME")),
    "setVisibility": (OWN_PROFILE, lambda w: w.edit(visibility="PRIVATE")),
    "setContactConsent": (OWN_PROFILE, lambda w: w.edit(contactConsent=False)),
    "setSkills": (OWN_PROFILE, lambda w: w.edit(skills=[{"skill": "computer-vision"}])),
    "addSkill": (OWN_PROFILE, lambda w: w.edit(item={"skill": "computer-vision"})),
    "updateSkill": (OWN_PROFILE, lambda w: w.edit(item={"skill": "machine-learning",
                                                        "level": 5})),
    "removeSkill": (OWN_PROFILE, lambda w: w.edit(skill="machine-learning")),
    **_list_rows(),
    # HR agencies.
    "registerExpert": (REGISTRARS, lambda w: {"fullName": "Đinh Thị Mới",
                                              "residenceCountry": "DE",
                                              "email": "moi@example.de"}),
    "importExperts": (REGISTRARS, lambda w: {"format": "JSONL",
                                             "content": json.dumps(person(4242)) + "\n"}),
    "addToShortlist": (KEEPERS, lambda w: {"taskId": w.task, "expertId": w.callers.expert_id}),
    "removeFromShortlist": (frozenset({HR}), lambda w: {"shortlistId": w.shortlist,
                                                        "expertId": w.callers.expert_id}),
    # Programme leads (on the task they posted) and administrators.
    "createProgramme": (LEADS, lambda w: {"code": "CT-5G", "title": "Chương trình 5G",
                                          "techListId": "qd-1131-2025"}),
    "postTask": (LEADS, lambda w: {"title": "Robot", "description": "AMR.",
                                   "roleSought": "MEMBER", "onsite": "REMOTE",
                                   "techListId": "qd-1131-2025",
                                   "areas": ["semiconductor-chips"],
                                   "requirements": [{"skill": "machine-learning"}]}),
    "updateTask": (LEADS, lambda w: {"id": w.task, "version": 1, "title": "Mạng 5G lõi"}),
    "closeTask": (LEADS, lambda w: {"id": w.task, "version": 1}),
    "recordDecision": (LEADS, lambda w: {"taskId": w.task, "expertId": w.callers.expert_id,
                                         "kind": "INTERVIEWED"}),
    # Administrators.
    "verifyExpert": (ADMINS, lambda w: w.edit()),
    "createAccount": (ADMINS, lambda w: {"name": "Cơ quan mới", "role": "HR_AGENCY"}),
    "revokeToken": (ADMINS, lambda w: {"accountId": w.callers.lead_account_id}),
    "rotateToken": (frozenset({ADMIN, HR}), lambda w: {"accountId": w.callers.hr_account_id}),
}


def _success_type(field: str) -> str:
    mutation_type = schema._schema.mutation_type
    assert mutation_type is not None
    union = get_named_type(mutation_type.fields[field].type)
    [success] = [t.name for t in union.types if t.name not in ERROR_FIELDS]  # type: ignore
    return success


def test_every_mutation_has_a_row():
    mutation_type = schema._schema.mutation_type
    assert mutation_type is not None
    missing = sorted(set(mutation_type.fields) - set(TABLE))
    assert not missing, f"mutations without a row in the permission table: {missing}"
    unknown = sorted(set(TABLE) - set(mutation_type.fields))
    assert not unknown, f"rows for mutations the schema does not have: {unknown}"


def test_every_guarded_mutation_answers_not_allowed():
    mutation_type = schema._schema.mutation_type
    assert mutation_type is not None
    for name, field in mutation_type.fields.items():
        members = {t.name for t in get_named_type(field.type).types}  # type: ignore
        assert "NotAllowed" in members, name


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("field", sorted(TABLE))
def test_permission(client, db: Database, callers: Callers, field: str, caller: str):
    allowed, make_input = TABLE[field]
    world = World(db, callers)
    variables = make_input(world)
    token = world.token(caller)
    if caller == ANON:
        body = mutate(client, field, variables, token=None, expect_errors=True)
        assert body["data"] is None
        assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
        return
    result = mutate(client, field, variables, token=token)
    if caller in allowed:
        assert result["__typename"] == _success_type(field), result
    else:
        assert result["__typename"] == "NotAllowed", result



@strawberry.type
class _Done:
    ok: bool


@strawberry.type
class _MisconfiguredMutation:
    @strawberry.mutation(extensions=mutation_guard(IsAdmin(), "admins only"))
    def act(self) -> _Done:
        return _Done(ok=True)


@strawberry.type
class _Query:
    ping: bool = True


def test_a_guard_on_a_payload_without_not_allowed_fails_when_the_schema_is_built():
    with pytest.raises(TypeError, match="has no NotAllowed member"):
        strawberry.Schema(query=_Query, mutation=_MisconfiguredMutation)
