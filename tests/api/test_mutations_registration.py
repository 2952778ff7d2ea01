"""``registerExpert`` (HR agencies) and ``verifyExpert`` (administrators)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from registry import audit, experts
from registry.accounts import create_account
from registry.db import Database
from tests.api.conftest import Callers
from tests.api.mutation_support import mutate, paths

REGISTERED = "expertId expert { id fullName verified version skills { skill { id } } }"


def registration(**overrides: Any) -> dict[str, Any]:
    doc = {"fullName": "Lê Thị Hồng Nhung", "residenceCountry": "jp", "email": "nhung@example.jp",
           "externalKey": "HR-0042", "visibility": "REGISTERED",
           "skills": [{"skill": "machine-learning", "level": 4, "years": 5}],
           "employment": [{"organization": {"name": "Fujitsu", "country": "JP"},
                           "title": "Senior researcher", "from": 2018}],
           "publications": [{"title": "Graph neural networks for chip placement",
                             "year": 2022}]}
    doc.update(overrides)
    return doc


def test_an_agency_registers_an_unverified_expert(client, db: Database, callers: Callers):
    result = mutate(client, "registerExpert", registration(), token=callers.hr,
                    success=REGISTERED)
    assert result["__typename"] == "ExpertRegistered"
    assert result["expert"]["fullName"] == "Lê Thị Hồng Nhung"
    assert result["expert"]["verified"] is False
    stored = experts.read_profile(db, result["expertId"])
    assert stored["registeredBy"] == callers.hr_account_id
    assert stored["externalKey"] == "HR-0042" and stored["residenceCountry"] == "JP"
    [event] = audit.events(db, subject_id=result["expertId"], action="EXPERT_REGISTERED")
    assert event.actor_id == callers.hr_account_id


def test_a_profile_without_an_identifier_gets_a_fresh_id(client, callers: Callers):
    first = mutate(client, "registerExpert",
                   registration(email=None, externalKey=None), token=callers.hr,
                   success=REGISTERED)
    second = mutate(client, "registerExpert",
                    registration(email=None, externalKey=None), token=callers.hr,
                    success=REGISTERED)
    assert first["__typename"] == second["__typename"] == "ExpertRegistered"
    assert first["expertId"] != second["expertId"]


def test_a_private_registration_is_not_shown_back(client, callers: Callers):
    result = mutate(client, "registerExpert", registration(visibility="PRIVATE"),
                    token=callers.hr, success=REGISTERED)
    assert result["expertId"] and result["expert"] is None


def test_the_same_expert_cannot_be_registered_twice(client, callers: Callers):
    assert mutate(client, "registerExpert", registration(),
                  token=callers.hr)["__typename"] == "ExpertRegistered"
    again = paths(mutate(client, "registerExpert", registration(fullName="Lê Hồng Nhung"),
                         token=callers.admin))
    assert list(again) == ["externalKey"]  # the key the identity came from, not "id"


def test_a_registration_cannot_take_over_a_claimed_profile(client, db: Database,
                                                          callers: Callers):
    first = mutate(client, "registerExpert", registration(), token=callers.hr,
                   success=REGISTERED)
    create_account(db, name="Nhung", role="EXPERT", expert_id=first["expertId"])
    again = mutate(client, "registerExpert", registration(headline="ghi đè"), token=callers.hr)
    assert again["__typename"] == "ValidationFailed"
    assert paths(again) == {"externalKey": "an expert with this id exists already"}
    assert experts.read_profile(db, first["expertId"]).get("headline") is None


def test_invalid_registration_lists_every_field(client, db: Database, callers: Callers):
    result = mutate(client, "registerExpert",
                    registration(email="nope", residenceCountry="Japan",
                                 skills=[{"skill": "machine-learning", "level": 7}],
                                 publications=[{"title": ""}]),
                    token=callers.hr)
    # The registry also reports ``diaspora`` (it derives from the country, which is invalid).
    assert set(paths(result)) - {"diaspora"} == {"email", "residenceCountry", "skills.0.level",
                                                 "publications.0.title"}


def test_registration_cannot_set_verified(client, callers: Callers):
    body = mutate(client, "registerExpert", registration(verified=True), token=callers.hr,
                  expect_errors=True)
    assert "verified" in body["errors"][0]["message"]


@pytest.mark.parametrize("who", ["lead", "owner"])
def test_only_agencies_and_admins_register(client, callers: Callers, who: str):
    result = mutate(client, "registerExpert", registration(), token=getattr(callers, who))
    assert result["__typename"] == "NotAllowed"


# --- verification ----------------------------------------------------------------------------

def test_an_admin_verifies_the_profile_as_read(client, db: Database, callers: Callers):
    result = mutate(client, "verifyExpert", {"id": callers.expert_id, "version": 1},
                    token=callers.admin, success="expert { verified version }")
    assert result["__typename"] == "ExpertVerified"
    assert result["expert"] == {"verified": True, "version": 2}
    [event] = audit.events(db, subject_id=callers.expert_id, action="EXPERT_VERIFIED")
    assert json.loads(event.detail) == {"fields": ["verified"]}
    undone = mutate(client, "verifyExpert",
                    {"id": callers.expert_id, "version": 2, "verified": False},
                    token=callers.admin, success="expert { verified }")
    assert undone["expert"]["verified"] is False


def test_verifying_a_changed_profile_is_a_conflict(client, callers: Callers):
    mutate(client, "updateProfile", {"id": callers.expert_id, "version": 1, "headline": "Mới"},
           token=callers.owner)
    result = mutate(client, "verifyExpert", {"id": callers.expert_id, "version": 1},
                    token=callers.admin)
    assert result["__typename"] == "VersionConflict" and result["currentVersion"] == 2


def test_verifying_an_unknown_expert_is_not_found(client, callers: Callers):
    result = mutate(client, "verifyExpert", {"id": "nobody", "version": 1},
                    token=callers.admin)
    assert result["__typename"] == "NotFound"


@pytest.mark.parametrize("who", ["owner", "hr", "lead"])
def test_only_admins_verify(client, db: Database, callers: Callers, who: str):
    result = mutate(client, "verifyExpert", {"id": callers.expert_id, "version": 1},
                    token=getattr(callers, who))
    assert result["__typename"] == "NotAllowed"
    assert not experts.read_profile(db, callers.expert_id).get("verified")
