"""Accounts and tokens: ``createAccount``, ``revokeToken``, ``rotateToken``."""

from __future__ import annotations

import pytest

from registry import audit
from registry.accounts import revoke_account
from registry.db import Database
from registry.experts import create_expert
from tests.api.conftest import Callers
from tests.api.mutation_support import mutate, paths
from tests.api.support import person

ACCOUNT = "account { id name role expertId organization } token"
ME = "{ me { account { id role } } }"


def whoami(client, token: str) -> int:
    return client.post("/graphql", json={"query": ME},
                       headers={"Authorization": f"Bearer {token}"}).status_code


def test_an_admin_creates_an_account_and_sees_its_token_once(client, db: Database,
                                                             callers: Callers):
    result = mutate(client, "createAccount",
                    {"name": "Trung tâm Đổi mới Sáng tạo", "role": "HR_AGENCY",
                     "organization": "NIC"}, token=callers.admin, success=ACCOUNT)
    assert result["__typename"] == "AccountCreated"
    assert result["account"]["role"] == "HR_AGENCY" and result["token"].startswith("cg_")
    assert whoami(client, result["token"]) == 200
    [event] = audit.events(db, subject_id=result["account"]["id"], action="ACCOUNT_CREATED")
    assert event.actor_id == callers.admin_account_id


def test_an_expert_account_is_tied_to_its_profile(client, db: Database, callers: Callers):
    new = create_expert(db, person(77, fullName="Hồ Quang Mới"))
    result = mutate(client, "createAccount",
                    {"name": "Mới", "role": "EXPERT", "expertId": new["id"]},
                    token=callers.admin, success=ACCOUNT)
    assert result["account"]["expertId"] == new["id"]
    edited = mutate(client, "setVisibility", {"id": new["id"], "version": 1,
                                              "visibility": "PUBLIC"}, token=result["token"])
    assert edited["__typename"] == "ProfileUpdated"


def test_invalid_accounts_are_refused_by_field(client, callers: Callers):
    missing = mutate(client, "createAccount", {"name": "A", "role": "EXPERT"},
                     token=callers.admin)
    assert list(paths(missing)) == ["expertId"]
    taken = mutate(client, "createAccount",
                   {"name": "B", "role": "EXPERT", "expertId": callers.expert_id},
                   token=callers.admin)
    assert "already has an account" in paths(taken)["expertId"]
    stray = mutate(client, "createAccount",
                   {"name": " ", "role": "HR_AGENCY", "expertId": callers.expert_id},
                   token=callers.admin)
    assert set(paths(stray)) == {"name", "expertId"}


@pytest.mark.parametrize("who", ["hr", "lead", "owner"])
def test_only_admins_create_accounts(client, callers: Callers, who: str):
    result = mutate(client, "createAccount", {"name": "X", "role": "ADMIN"},
                    token=getattr(callers, who))
    assert result["__typename"] == "NotAllowed"


def test_revoking_stops_the_token_at_once(client, db: Database, callers: Callers):
    result = mutate(client, "revokeToken", {"accountId": callers.hr_account_id},
                    token=callers.admin, success="account { id }")
    assert result["__typename"] == "TokenRevoked"
    assert whoami(client, callers.hr) == 401
    assert audit.events(db, subject_id=callers.hr_account_id, action="TOKEN_REVOKED")


def test_revoke_token_answers_not_found_and_not_allowed(client, callers: Callers):
    missing = mutate(client, "revokeToken", {"accountId": "no-account"}, token=callers.admin)
    assert missing["__typename"] == "NotFound" and missing["kind"] == "Account"
    refused = mutate(client, "revokeToken", {"accountId": callers.lead_account_id},
                     token=callers.hr)
    assert refused["__typename"] == "NotAllowed"
    assert whoami(client, callers.lead) == 200


def test_an_account_rotates_its_own_token(client, db: Database, callers: Callers):
    result = mutate(client, "rotateToken", {"accountId": callers.hr_account_id},
                    token=callers.hr, success="account { id } token")
    assert result["__typename"] == "TokenRotated"
    assert whoami(client, callers.hr) == 401
    assert whoami(client, result["token"]) == 200
    assert audit.events(db, subject_id=callers.hr_account_id, action="TOKEN_ROTATED")


def test_an_admin_rotates_any_token(client, callers: Callers):
    result = mutate(client, "rotateToken", {"accountId": callers.lead_account_id},
                    token=callers.admin, success="token")
    assert whoami(client, result["token"]) == 200 and whoami(client, callers.lead) == 401


def test_rotate_token_answers_not_found_and_not_allowed(client, db: Database,
                                                        callers: Callers):
    missing = mutate(client, "rotateToken", {"accountId": "no-account"}, token=callers.admin)
    assert missing["__typename"] == "NotFound"
    someone_else = mutate(client, "rotateToken", {"accountId": callers.lead_account_id},
                          token=callers.hr)
    assert someone_else["__typename"] == "NotAllowed"
    revoke_account(db, account_id=callers.lead_account_id)
    revoked = mutate(client, "rotateToken", {"accountId": callers.lead_account_id},
                     token=callers.admin)
    assert revoked["__typename"] == "NotAllowed" and "revoked" in revoked["reason"]
