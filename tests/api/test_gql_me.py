"""``me``: the caller's account and, for an expert, their own full profile."""

from __future__ import annotations

from starlette.testclient import TestClient

from registry.db import Database
from tests.api.conftest import Callers
from tests.api.support import covers, gql, person, seed

ME = """{ me { account { id name role expertId organization createdAt }
  expert { id fullName visibility birthYear contact { email } } } }"""


@covers("me")
def test_me_for_an_expert_includes_the_full_own_profile(client: TestClient, db: Database,
                                                        callers: Callers):
    seed(db, [person(9001, fullName="Chủ Hồ Sơ", visibility="PRIVATE", birthYear=1979,
                     contactConsent=False)])
    me = gql(client, ME, token=callers.owner)["data"]["me"]
    assert me["account"]["role"] == "EXPERT" and me["account"]["expertId"] == callers.expert_id
    assert me["expert"] == {"id": callers.expert_id, "fullName": "Chủ Hồ Sơ",
                            "visibility": "PRIVATE", "birthYear": 1979,
                            "contact": {"email": "expert9001@example.org"}}


def test_me_for_other_roles_and_anonymous(client: TestClient, callers: Callers):
    hr = gql(client, ME, token=callers.hr)["data"]["me"]
    assert hr["account"]["role"] == "HR_AGENCY" and hr["expert"] is None
    assert hr["account"]["id"] == callers.hr_account_id
    assert gql(client, ME)["data"]["me"] is None
