"""Accounts and tokens: shown once, stored as a digest, stopped at once when revoked."""

from __future__ import annotations

import pytest

from registry import audit
from registry.accounts import (
    TOKEN_PREFIX,
    authenticate,
    create_account,
    get_account,
    get_accounts,
    hash_token,
    list_accounts,
    revoke_account,
    rotate_token,
)
from registry.db import Database
from registry.errors import NotAllowed, NotFound, ValidationError


def _expert(db: Database, expert_id: str = "exp-1") -> str:
    db.execute("CREATE (:Expert {id: $id, fullName: 'Trần Thị Hoa'})", id=expert_id)
    return expert_id


def test_create_returns_the_token_once_and_it_authenticates(db: Database):
    account, token = create_account(db, name="  Bộ KH&CN  ", role="ADMIN",
                                    organization="Bộ Khoa học và Công nghệ")
    assert token.startswith(TOKEN_PREFIX) and len(token) > 40
    assert (account.name, account.role, account.revoked) == ("Bộ KH&CN", "ADMIN", False)
    assert account.organization == "Bộ Khoa học và Công nghệ"
    assert authenticate(db, token) == account
    assert get_account(db, account_id=account.id) == account


def test_the_token_is_stored_only_as_its_digest(db: Database):
    _, token = create_account(db, name="HR", role="HR_AGENCY")
    rows = db.query("MATCH (n) RETURN properties(n) AS p")
    values = [str(v) for r in rows for v in r["p"].values()]
    assert not any(token in v or token[len(TOKEN_PREFIX):] in v for v in values)
    stored = db.query("MATCH (a:Account) RETURN a.tokenHash AS h")
    assert stored == [{"h": hash_token(token)}]


def test_unknown_and_malformed_tokens_are_refused(db: Database):
    _, token = create_account(db, name="HR", role="HR_AGENCY")
    for bad in ("", "cg_", "cg_nope", token[:-1], token + "x", token[3:], "x" * 500, None, 5):
        assert authenticate(db, bad) is None  # type: ignore[arg-type]


def test_a_revoked_token_stops_working_at_once(db: Database):
    account, token = create_account(db, name="Lead", role="PROGRAMME_LEAD")
    assert authenticate(db, token) is not None
    revoked = revoke_account(db, account_id=account.id, actor_id="admin-1")
    assert revoked.revoked and revoked.revoked_at is not None
    assert authenticate(db, token) is None
    again = revoke_account(db, account_id=account.id)
    assert again.revoked_at == revoked.revoked_at
    assert [e.action for e in audit.events(db, subject_id=account.id)][:1] == ["TOKEN_REVOKED"]


def test_rotating_gives_a_new_token_and_the_old_one_stops(db: Database):
    account, old = create_account(db, name="Lead", role="PROGRAMME_LEAD")
    same, new = rotate_token(db, account_id=account.id)
    assert new != old and same.id == account.id
    assert authenticate(db, old) is None
    assert authenticate(db, new) == same


def test_a_revoked_account_cannot_be_rotated_back_to_life(db: Database):
    account, token = create_account(db, name="Lead", role="PROGRAMME_LEAD")
    revoke_account(db, account_id=account.id)
    with pytest.raises(NotAllowed):
        rotate_token(db, account_id=account.id)
    assert db.query("MATCH (a:Account) RETURN a.tokenHash AS h") == [{"h": hash_token(token)}]


def test_unknown_accounts_are_not_found(db: Database):
    with pytest.raises(NotFound):
        get_account(db, account_id="nobody")
    with pytest.raises(NotFound):
        revoke_account(db, account_id="nobody")
    with pytest.raises(NotFound):
        rotate_token(db, account_id="nobody")


def test_an_expert_account_is_linked_to_its_expert(db: Database):
    expert_id = _expert(db)
    account, _ = create_account(db, name="Trần Thị Hoa", role="EXPERT", expert_id=expert_id)
    assert account.expert_id == expert_id
    assert db.query("MATCH (:Account)-[:IS]->(e:Expert) RETURN e.id AS id") == [{"id": expert_id}]


def test_one_account_per_expert(db: Database):
    expert_id = _expert(db)
    create_account(db, name="Hoa", role="EXPERT", expert_id=expert_id)
    with pytest.raises(ValidationError) as err:
        create_account(db, name="Hoa again", role="EXPERT", expert_id=expert_id)
    assert err.value.errors[0].path == "expertId"
    assert db.query("MATCH (a:Account) RETURN count(a) AS n") == [{"n": 1}]


def test_an_expert_account_needs_an_existing_expert(db: Database):
    with pytest.raises(ValidationError) as err:
        create_account(db, name="Ghost", role="EXPERT", expert_id="no-such-expert")
    assert err.value.errors[0].path == "expertId"
    assert db.query("MATCH (n) WHERE n:Account OR n:AuditEvent RETURN count(n) AS n") == [
        {"n": 0}]


@pytest.mark.parametrize(
    ("kwargs", "paths"),
    [
        ({"name": ""}, ["name"]),
        ({"name": "x" * 121}, ["name"]),
        ({"name": "a\u202eb"}, ["name"]),
        ({"role": "ROOT"}, ["role"]),
        ({"role": None}, ["role"]),
        ({"role": "EXPERT"}, ["expertId"]),
        ({"role": "HR_AGENCY", "expert_id": "exp-1"}, ["expertId"]),
        ({"organization": "o" * 201}, ["organization"]),
        ({"name": "", "role": "ROOT"}, ["name", "role"]),
    ],
)
def test_invalid_accounts_are_refused_before_writing(db: Database, kwargs, paths):
    args = {"name": "Someone", "role": "HR_AGENCY", **kwargs}
    with pytest.raises(ValidationError) as err:
        create_account(db, **args)
    assert [e.path for e in err.value.errors] == paths
    assert db.query("MATCH (a:Account) RETURN count(a) AS n") == [{"n": 0}]


def test_creation_is_audited(db: Database):
    admin, _ = create_account(db, name="Admin", role="ADMIN")
    hr, _ = create_account(db, name="HR", role="HR_AGENCY", actor_id=admin.id)
    [event] = audit.events(db, subject_id=hr.id)
    assert (event.action, event.actor_id) == ("ACCOUNT_CREATED", admin.id)


def test_list_and_batch_read(db: Database):
    a, _ = create_account(db, name="A", role="ADMIN")
    b, _ = create_account(db, name="B", role="HR_AGENCY")
    c, _ = create_account(db, name="C", role="HR_AGENCY")
    revoke_account(db, account_id=c.id)
    assert [x.id for x in list_accounts(db)] == [a.id, b.id, c.id]
    assert [x.id for x in list_accounts(db, role="HR_AGENCY", include_revoked=False)] == [b.id]
    assert [x.id for x in list_accounts(db, first=1)] == [a.id]
    found = db.read(get_accounts, [a.id, "missing", b.id])
    assert set(found) == {a.id, b.id}
    with pytest.raises(ValidationError):
        list_accounts(db, role="KING")
