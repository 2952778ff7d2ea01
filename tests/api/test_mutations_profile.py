"""Profile edits of the expert's own fields: ``updateProfile``, ``setAvailability``,
``setVisibility``, ``setContactConsent``; each with its success and typed failures."""

from __future__ import annotations

import json

import pytest

from registry import audit, experts
from registry.db import Database
from tests.api.conftest import Callers
from tests.api.mutation_support import audit_actions, codes, mutate, paths
from tests.api.support import gql

EXPERT = "expert { id version fullName headline bio languages verified visibility }"


def test_owner_updates_fields_and_leaves_the_rest(client, db: Database, callers: Callers):
    result = mutate(client, "updateProfile",
                    {"id": callers.expert_id, "version": 1, "headline": "Kiến trúc sư SoC",
                     "bio": None, "languages": ["vi", "en", "fr"]},
                    token=callers.owner, success=EXPERT)
    assert result["__typename"] == "ProfileUpdated"
    expert = result["expert"]
    assert expert["version"] == 2
    assert expert["headline"] == "Kiến trúc sư SoC"
    assert expert["bio"] is None  # null clears
    assert expert["languages"] == ["vi", "en", "fr"]
    assert expert["fullName"] == "Chủ Hồ Sơ"  # left out: unchanged
    stored = experts.read_profile(db, callers.expert_id)
    assert len(stored["publications"]) == 1 and len(stored["skills"]) == 2


def test_an_edit_is_audited_with_the_fields_it_changed(client, db: Database,
                                                       callers: Callers):
    mutate(client, "updateProfile",
           {"id": callers.expert_id, "version": 1, "headline": "Mới", "city": "Đà Nẵng"},
           token=callers.owner)
    [event] = audit.events(db, subject_id=callers.expert_id, action="PROFILE_UPDATED")
    assert json.loads(event.detail) == {"fields": ["city", "headline"]}


def test_admin_updates_any_profile(client, callers: Callers):
    result = mutate(client, "updateProfile",
                    {"id": callers.expert_id, "version": 1, "headline": "Sửa bởi quản trị"},
                    token=callers.admin, success=EXPERT)
    assert result["__typename"] == "ProfileUpdated"
    assert result["expert"]["headline"] == "Sửa bởi quản trị"


def test_stale_version_is_a_version_conflict(client, db: Database, callers: Callers):
    first = {"id": callers.expert_id, "version": 1, "headline": "Một"}
    assert mutate(client, "updateProfile", first, token=callers.owner)["__typename"] == \
        "ProfileUpdated"
    result = mutate(client, "updateProfile", {**first, "headline": "Hai"}, token=callers.owner)
    assert result["__typename"] == "VersionConflict"
    assert result["currentVersion"] == 2 and result["expectedVersion"] == 1
    assert result["kind"] == "Expert" and result["id"] == callers.expert_id
    assert experts.read_profile(db, callers.expert_id)["headline"] == "Một"


def test_invalid_fields_are_listed_at_the_input_paths(client, db: Database, callers: Callers):
    result = mutate(client, "updateProfile",
                    {"id": callers.expert_id, "version": 1, "fullName": None,
                     "email": "not-an-email", "languages": ["vi", "xx"],
                     "residenceCountry": "Vietnam", "birthYear": 1800},
                    token=callers.owner)
    found = paths(result)
    assert set(found) == {"fullName", "email", "languages.1", "residenceCountry", "birthYear"}
    assert "required" in found["fullName"]
    # Each reason comes with a code and the values a client needs to word it itself.
    coded = codes(result)
    assert coded["fullName"] == ("REQUIRED", {})
    assert coded["email"][0] == "INVALID_EMAIL"
    assert coded["languages.1"][0] == "INVALID_LANGUAGE"
    assert coded["residenceCountry"][0] == "INVALID_COUNTRY"
    assert coded["birthYear"][0] == "OUT_OF_RANGE" and coded["birthYear"][1]["min"] == 1900
    assert experts.read_profile(db, callers.expert_id)["version"] == 1  # nothing written


def test_unknown_profile_is_not_found_for_an_admin(client, callers: Callers):
    result = mutate(client, "updateProfile", {"id": "no-such-expert", "version": 1,
                                              "headline": "x"}, token=callers.admin)
    assert result["__typename"] == "NotFound"
    assert result["kind"] == "Expert" and result["id"] == "no-such-expert"


@pytest.mark.parametrize("who", ["other_expert", "hr", "lead"])
def test_others_may_not_edit_a_profile(client, db: Database, callers: Callers, who: str):
    result = mutate(client, "updateProfile",
                    {"id": callers.expert_id, "version": 1, "headline": "chiếm"},
                    token=getattr(callers, who))
    assert result["__typename"] == "NotAllowed"
    assert "only the expert" in result["reason"] and result["code"] == "NOT_OWNER"
    assert experts.read_profile(db, callers.expert_id)["version"] == 1


def test_anonymous_callers_are_told_to_sign_in(client, callers: Callers):
    body = mutate(client, "updateProfile", {"id": callers.expert_id, "version": 1},
                  expect_errors=True)
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]


@pytest.mark.parametrize("field, value", [("verified", True), ("registeredBy", "me"),
                                          ("externalKey", "K-1")])
def test_experts_cannot_set_verified_registered_by_or_external_key(
        client, db: Database, callers: Callers, field: str, value: object):
    body = mutate(client, "updateProfile",
                  {"id": callers.expert_id, "version": 1, field: value},
                  token=callers.owner, expect_errors=True)
    assert body["errors"] and field in body["errors"][0]["message"]
    stored = experts.read_profile(db, callers.expert_id)
    assert stored["version"] == 1 and not stored.get("verified")
    assert stored.get(field) in (None, False)


def test_an_edit_keeps_verification_and_registration(client, db: Database, callers: Callers):
    experts.update_expert(db, callers.expert_id, 1,
                          lambda d: {**d, "verified": True, "registeredBy": "agency-1",
                                     "externalKey": "HR-7"})
    result = mutate(client, "updateProfile",
                    {"id": callers.expert_id, "version": 2, "headline": "Vẫn đã xác minh"},
                    token=callers.owner, success=EXPERT)
    assert result["expert"]["verified"] is True
    stored = experts.read_profile(db, callers.expert_id)
    assert (stored["registeredBy"], stored["externalKey"]) == ("agency-1", "HR-7")


# --- availability, visibility, consent -------------------------------------------------------

def test_set_availability(client, callers: Callers):
    result = mutate(client, "setAvailability",
                    {"id": callers.expert_id, "version": 1, "availability": "ADVISORY",
                     "availableFrom": "2027-01-15", "willingToRelocate": True},
                    token=callers.owner,
                    success="expert { availability availableFrom willingToRelocate remoteOk }")
    assert result["__typename"] == "ProfileUpdated"
    assert result["expert"] == {"availability": "ADVISORY", "availableFrom": "2027-01-15",
                                "willingToRelocate": True, "remoteOk": True}
    only_remote = mutate(client, "setAvailability",
                         {"id": callers.expert_id, "version": 2, "remoteOk": False},
                         token=callers.owner, success="expert { availability remoteOk }")
    assert only_remote["expert"] == {"availability": "ADVISORY", "remoteOk": False}


def test_set_visibility_hides_the_profile_from_others(client, callers: Callers):
    result = mutate(client, "setVisibility",
                    {"id": callers.expert_id, "version": 1, "visibility": "PRIVATE"},
                    token=callers.owner, success="expert { visibility }")
    assert result["expert"]["visibility"] == "PRIVATE"
    query = "query($id: ID!) { expert(id: $id) { id } }"
    seen = gql(client, query, {"id": callers.expert_id}, token=callers.hr)
    assert seen["data"]["expert"] is None


def test_set_contact_consent(client, callers: Callers):
    result = mutate(client, "setContactConsent",
                    {"id": callers.expert_id, "version": 1, "contactConsent": False},
                    token=callers.owner, success="expert { contactConsent }")
    assert result["expert"]["contactConsent"] is False
    query = "query($id: ID!) { expert(id: $id) { contact { email } } }"
    seen = gql(client, query, {"id": callers.expert_id}, token=callers.hr)
    assert seen["data"]["expert"]["contact"] is None


@pytest.mark.parametrize("field, extra", [
    ("setAvailability", {"availability": "FULL_TIME"}),
    ("setVisibility", {"visibility": "PUBLIC"}),
    ("setContactConsent", {"contactConsent": True}),
])
def test_settings_answer_the_typed_failures(client, db: Database, callers: Callers,
                                            field: str, extra: dict):
    stale = mutate(client, field, {"id": callers.expert_id, "version": 7, **extra},
                   token=callers.owner)
    assert stale["__typename"] == "VersionConflict" and stale["currentVersion"] == 1
    missing = mutate(client, field, {"id": "nobody", "version": 1, **extra},
                     token=callers.admin)
    assert missing["__typename"] == "NotFound"
    refused = mutate(client, field, {"id": callers.expert_id, "version": 1, **extra},
                     token=callers.other_expert)
    assert refused["__typename"] == "NotAllowed"
    assert audit_actions(db, callers.expert_id) == []
